//! Layer 4, the commands on top of a built site: `zorgsite build`, `serve`, `check` and
//! `poster --pdf`. `main.rs` only parses arguments, calls these and prints a [`CliError`] once.

pub mod build;
pub mod check;
pub mod error;
pub mod gewicht;
pub mod poster_pdf;
pub mod serve;

pub use error::CliError;
