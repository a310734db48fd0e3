//! `zorgsite`: the static-site generator of Samen zorg dragen.
//!
//! A library first (the survey service embeds it), with a thin command-line front in `main.rs`.

pub mod data;
pub mod diagnostics;
pub mod slug;
// pub mod stappenplan; (pending)
pub mod config;
pub mod content;
pub mod glossary;
pub mod markdown;
pub mod templates;
pub mod context;
pub mod links;
pub mod output;
pub mod serve;
pub mod site;
pub mod check;
