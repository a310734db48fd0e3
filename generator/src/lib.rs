//! `zorgsite`: the static-site generator of Samen zorg dragen.
//!
//! A library first (the survey service embeds it), with a thin command-line front in `main.rs`.

pub mod data;
pub mod diagnostics;
pub mod slug;
