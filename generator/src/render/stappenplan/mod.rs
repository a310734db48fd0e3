//! Zorgstappenplan drawn: one flowchart per starting actor ("Ik ben ouder / leerkracht / …"),
//! from a validated [`crate::model::stappenplan::Stappenplan`], with an equivalent text version.
//!
//! The stages, one module each:
//! - [`diagram`]: box texts and sizes ([`measure`]), then the layered [`layout`];
//! - [`svg`]: the accessible inline SVG; [`colour`]: safe role colours;
//! - [`tekst`]: what templates get: [`StappenplanView`] with the SVG and the text version.
//!
//! Typical use:
//! ```ignore
//! let plans = model::stappenplan::load_all(content_dir, &rollen)?; // BTreeMap<actor, Stappenplan>
//! let view = render::stappenplan::view(&plans["ouder"], &rollen);   // Serialize: give it to Tera
//! ```

pub mod colour;
pub mod diagram;
pub mod layout;
pub mod measure;
pub mod svg;
pub mod tekst;
#[cfg(test)]
mod testflow;
#[cfg(test)]
mod tests;

pub use tekst::{RolView, StapView, StappenplanView, UitgangView, Woorden, view, view_in};
