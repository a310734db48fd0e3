//! Zorgstappenplan: one flowchart per starting actor ("Ik ben ouder / leerkracht / …"),
//! drawn from `data/stappenplan/<actor>.toml`, with an equivalent text version.
//!
//! The stages, one module each:
//! - [`model`]: the TOML schema and its validation (Dutch errors with `path:line:col`);
//! - [`diagram`]: box texts and sizes ([`measure`]), then the layered [`layout`];
//! - [`svg`]: the accessible inline SVG; [`colour`]: safe role colours;
//! - [`tekst`]: what templates get: [`StappenplanView`] with the SVG and the text version.
//!
//! Typical use:
//! ```ignore
//! let plans = stappenplan::load_all(content_dir, &rollen)?;   // BTreeMap<actor, Stappenplan>
//! let view = stappenplan::view(&plans["ouder"], &rollen);       // Serialize: give it to Tera
//! ```

pub mod colour;
pub mod diagram;
mod graaf;
pub mod layout;
pub mod measure;
pub mod model;
pub mod svg;
pub mod tekst;
#[cfg(test)]
mod testflow;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use model::{Soort, Stap, Stappenplan, Uitgang, parse};
pub use tekst::{RolView, StapView, StappenplanView, UitgangView, Woorden, view, view_in};

use crate::data::Rollen;
use crate::diagnostics::{Diagnostic, Source};

/// Where the flows live, relative to the content directory.
pub const DIR: &str = "data/stappenplan";

/// Reads and validates every `*.toml` in `<content_dir>/data/stappenplan/`, keyed by actor
/// (the file stem), in a stable order. Diagnostics name files relative to the content
/// directory (`data/stappenplan/ouder.toml`). A missing directory means no flows.
pub fn load_all(
    content_dir: &Path,
    rollen: &Rollen,
) -> Result<BTreeMap<String, Stappenplan>, Vec<Diagnostic>> {
    let dir = content_dir.join(DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => {
            return Err(vec![
                Diagnostic::error(DIR, format!("kan de map niet lezen ({e})"))
                    .with_hint("controleer of de map bestaat en leesbaar is"),
            ]);
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        // `ouder.en.toml` holds translated texts of `ouder.toml` (see crate::talen).
        .filter(|p| {
            p.file_stem()
                .is_some_and(|s| !s.to_string_lossy().contains('.'))
        })
        .collect();
    files.sort();
    let mut plans = BTreeMap::new();
    let mut errors = Vec::new();
    for file in files {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let display = Path::new(DIR).join(name.as_ref());
        let source = match Source::read(&file, display) {
            Ok(source) => source,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        match parse(&source, rollen) {
            Ok(plan) => {
                plans.insert(plan.actor.clone(), plan);
            }
            Err(mut ds) => errors.append(&mut ds),
        }
    }
    if errors.is_empty() {
        Ok(plans)
    } else {
        Err(errors)
    }
}
