//! `zorgsite`: the static-site generator of Samen zorg dragen.
//!
//! A library first (the survey service embeds it), with a thin command-line front in `main.rs`.

// A `Diagnostic` (path, position, message, hint, source line) is larger than clippy likes in an
// `Err`, but errors are the cold path and boxing every one would only add noise.
#![allow(clippy::result_large_err)]

pub mod beveiliging;
pub mod check;
pub mod config;
pub mod content;
pub mod context;
pub mod data;
pub mod diagnostics;
pub mod gewicht;
pub mod glossary;
pub mod grafiek;
pub mod links;
pub mod markdown;
pub mod output;
pub mod poster;
pub mod privacy;
pub mod resultaten;
pub mod serve;
pub mod site;
pub mod slug;
pub mod stappenplan;
pub mod talen;
pub mod templates;
pub mod vertaling;
