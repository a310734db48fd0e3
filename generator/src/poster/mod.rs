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
//! - [`view`]: [`PosterView`], what templates get as the global `poster`;
//! - [`pdf`]: `zorgsite poster --pdf`, the A3 page printed by headless Chromium.
//!
//! The page itself is `site/templates/poster.html` with `site/static/poster.css` (screen and
//! A3 print): one design for the web page, the printout and the PDF.

pub mod pdf;
mod schema;
#[cfg(test)]
mod tests;
pub mod validate;
pub mod view;

use std::path::Path;

use crate::data::Rollen;
use crate::diagnostics::{Diagnostic, Source};

pub use validate::{Vragenlijsten, budget, parse};
pub use view::PosterView;

/// Where the poster's data lives, relative to the content directory.
pub const FILE: &str = "data/poster.toml";

/// Reads and validates `<root>/data/poster.toml`; `None` when the school has no poster file.
pub fn load(root: &Path, rollen: &Rollen) -> Result<Option<PosterView>, Vec<Diagnostic>> {
    let full = root.join(FILE);
    if !full.exists() {
        return Ok(None);
    }
    let source = Source::read(&full, crate::site::display(root, FILE)).map_err(|d| vec![d])?;
    parse(&source, rollen, &Vragenlijsten::load(root)).map(Some)
}
