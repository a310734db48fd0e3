//! Layer 1, the content model: every file a school writes, parsed and validated in one place
//! with located Dutch diagnostics. Both programs use it: `zorgsite` builds the site from it,
//! `zorgenquete` reads the questionnaires and the school's settings through it.
//!
//! One module per kind of content file:
//! - [`config`]: `config.toml` (with `config::privacy`, its `[privacy]` table);
//! - [`content`]: Markdown pages and sections with their front matter;
//! - [`rollen`], [`woordenlijst`]: `data/rollen.toml`, `data/woordenlijst.toml`;
//! - [`stappenplan`]: `data/stappenplan/<actor>.toml`, the flow and its validation;
//! - [`poster`]: `data/poster.toml`, its schema, validation and character budgets;
//! - [`resultaten`]: `data/resultaten/<id>.json` (the survey's public summary);
//! - [`vragenlijst`]: `enquetes/<id>.toml` and its `<id>.<taal>.toml` translations;
//! - [`opname`]: `enquetes/audio/<vragenlijst>/<vraag>.<taal>.mp3`, recordings for read-aloud;
//! - [`vertaling`]: the translation overlays (`<naam>.<taal>.toml`) shared by the above;
//! - [`teksten`]: `teksten/<taal>.toml`, the interface texts of site, survey and dashboard.
//!
//! Nothing here renders, writes or serves: this layer uses only [`crate::diagnostics`] and
//! [`crate::slug`].

pub mod config;
pub mod content;
pub mod opname;
pub mod poster;
pub mod resultaten;
pub mod rollen;
pub mod stappenplan;
pub mod teksten;
pub mod vertaling;
pub mod vragenlijst;
pub mod woordenlijst;

use std::path::{Path, PathBuf};

/// Display path of a content file: the content root joined with the file's relative path, so
/// diagnostics name it as the user would find it from the current folder.
pub fn display(root: &Path, relative: &str) -> PathBuf {
    root.join(relative)
}
