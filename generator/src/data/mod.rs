//! The school's structured data files under `content/data/`, parsed into domain types.

pub mod resultaten;
pub mod rollen;
pub mod woordenlijst;

pub use rollen::{Rol, Rollen};
pub use woordenlijst::{Term, Woordenlijst};
