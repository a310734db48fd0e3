//! Layer 4, the commands on top of a built site: `zorgsite serve`, `zorgsite check` and
//! `zorgsite poster --pdf`. `main.rs` only parses arguments and calls these.

pub mod check;
pub mod gewicht;
pub mod poster_pdf;
pub mod serve;
