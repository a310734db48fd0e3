//! Domain types: input is parsed into these once, at the edge, and trusted afterwards.

pub mod antwoord;
pub mod code;
pub mod gebruiker;
pub mod vragenlijst;
pub mod vrijgave;

use std::fmt;

/// How a response reached the school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kanaal {
    /// The public form on a parent's own device.
    Online,
    /// The form on a shared device at school.
    Kiosk,
    /// A paper form, typed in by staff (dashboard issue).
    Papier,
    /// Answers given in a conversation, typed in by staff (dashboard issue).
    Mondeling,
}

impl Kanaal {
    pub const ALLE: [Kanaal; 4] = [
        Kanaal::Online,
        Kanaal::Kiosk,
        Kanaal::Papier,
        Kanaal::Mondeling,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Kanaal::Online => "online",
            Kanaal::Kiosk => "kiosk",
            Kanaal::Papier => "papier",
            Kanaal::Mondeling => "mondeling",
        }
    }

    pub fn parse(s: &str) -> Option<Kanaal> {
        Kanaal::ALLE.into_iter().find(|k| k.id() == s)
    }
}

impl fmt::Display for Kanaal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The name of a period, such as `2025-2026` or `2026-voorjaar`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeriodeNaam(String);

impl PeriodeNaam {
    /// Letters, digits, `-`, `_` and `.`; 1 to 40 characters.
    pub fn parse(s: &str) -> Result<PeriodeNaam, String> {
        let ok = (1..=40).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(PeriodeNaam(s.to_string()))
        } else {
            Err(format!(
                "`{s}` is geen geldige naam voor een periode; gebruik letters, cijfers en koppeltekens, bv. 2025-2026"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PeriodeNaam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
