//! The infographic poster "Samen zorg dragen", from `data/poster.toml`.
//!
//! Two panels, "ZORG op onze school" (what the school does in each phase 0–3 of the care
//! continuum) and "Dat doen we SAMEN" (the people and groups involved, reused from
//! `data/rollen.toml`), plus stars (what our care is strong in) and keys (what we will work on,
//! optionally tied to the survey item that motivated them).
//!
//! The stages, one module each:
//! - [`schema`]: the file format as written, with positions;
//! - [`validate`]: checks and character budgets, Dutch errors with `path:line:col`;
//! - [`view`]: [`PosterView`], the validated poster, ready for templates as the global
//!   `poster` (validation builds it directly: texts trimmed, roles resolved, titles split);
//!
//! `zorgsite poster --pdf` (the A3 page printed by headless Chromium) is
//! [`crate::cmd::poster_pdf`].
//!
//! The page itself is `site/templates/poster.html` with `site/static/poster.css` (screen and
//! A3 print): one design for the web page, the printout and the PDF.

mod schema;
#[cfg(test)]
mod tests;
pub mod validate;
pub mod view;

use std::path::Path;

use crate::diagnostics::{Diagnostic, Source};
use crate::model::rollen::Rollen;

pub use validate::{Bronnen, budget, parse};
pub use view::PosterView;

/// Where the poster's data lives, relative to the content directory.
pub const FILE: &str = "data/poster.toml";

/// Reads and validates `<root>/data/poster.toml`; `None` when the school has no poster file.
pub fn load(root: &Path, rollen: &Rollen) -> Result<Option<PosterView>, Vec<Diagnostic>> {
    let full = root.join(FILE);
    if !full.exists() {
        return Ok(None);
    }
    let source = Source::read(&full, crate::model::display(root, FILE)).map_err(|d| vec![d])?;
    parse(&source, rollen, &Bronnen::load(root)).map(Some)
}
