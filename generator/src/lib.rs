//! `zorgsite`: the static-site generator of Samen zorg dragen.
//!
//! A library first (the survey service embeds it), with a thin command-line front in `main.rs`.
//! The pipeline is the folder tree, in layers; a module only uses its own layer or lower ones
//! (the test `layers::no_module_uses_a_higher_layer` keeps it so):
//!
//! 0. [`diagnostics`], [`slug`]: located Dutch errors, URL-safe names;
//! 1. [`model`]: every content file parsed and validated (config, pages, roles, glossary,
//!    stappenplan, poster, results, questionnaires, translations);
//! 2. [`render`]: Markdown, templates, flowcharts, charts: HTML in memory;
//! 3. [`site`]: load → render → write: the build, link checking, languages, output;
//! 4. [`cmd`]: `serve`, `check` and the poster PDF, on top of a built site.

// A `Diagnostic` (path, position, message, hint, source line) is larger than clippy likes in an
// `Err`, but errors are the cold path and boxing every one would only add noise.
#![allow(clippy::result_large_err)]

pub mod cmd;
pub mod diagnostics;
pub mod model;
pub mod render;
pub mod site;
pub mod slug;

#[cfg(test)]
mod layers;
