//! Staff accounts: names, roles and passwords (argon2id). Respondents never have accounts.

use std::fmt;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Shortest password accepted.
pub const MIN_WACHTWOORD: usize = 10;
/// Longest password accepted (argon2 takes any length; this keeps requests small).
pub const MAX_WACHTWOORD: usize = 200;

/// What a staff member may do on the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rol {
    /// Reads results (the care team).
    Zorgteam,
    /// Everything the care team does, plus periods, codes and users.
    Beheer,
    /// The group level (quality coordinator, CLB): every school's results and the group's,
    /// on the group dashboard only. Never a school's role (not in [`Rol::ALLE`], not parsed by
    /// [`Rol::parse`]): only accounts of the group's own file have it (`storage::groep`).
    Groep,
}

impl Rol {
    pub const ALLE: [Rol; 2] = [Rol::Beheer, Rol::Zorgteam];

    pub fn id(self) -> &'static str {
        match self {
            Rol::Beheer => "beheer",
            Rol::Zorgteam => "zorgteam",
            Rol::Groep => "groep",
        }
    }

    pub fn parse(s: &str) -> Option<Rol> {
        Rol::ALLE.into_iter().find(|r| r.id() == s)
    }

    /// Whether this role may do what `nodig` allows.
    pub fn mag(self, nodig: Rol) -> bool {
        match (self, nodig) {
            (Rol::Groep, Rol::Groep) => true,
            // The group level and a school's dashboard are two worlds: neither opens the other.
            (Rol::Groep, _) | (_, Rol::Groep) => false,
            _ => self >= nodig,
        }
    }
}

impl fmt::Display for Rol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Why a name or a new password cannot be used. [`fmt::Display`] is the sentence for the
/// command line; the dashboard words it from `content/teksten/nl.toml` ([`Ongeldig::sleutel`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ongeldig {
    /// Not a valid user name.
    Naam(String),
    /// Shorter than [`MIN_WACHTWOORD`] characters (it has this many).
    WachtwoordTeKort(usize),
    /// Longer than [`MAX_WACHTWOORD`] characters.
    WachtwoordTeLang,
}

impl Ongeldig {
    /// The text on the dashboard: `beheer.ongeldig.<naam>` with `{naam}`, `{n}`, `{min}`, `{max}`.
    pub fn sleutel(&self) -> &'static str {
        match self {
            Ongeldig::Naam(_) => "beheer.ongeldig.naam",
            Ongeldig::WachtwoordTeKort(_) => "beheer.ongeldig.wachtwoord_te_kort",
            Ongeldig::WachtwoordTeLang => "beheer.ongeldig.wachtwoord_te_lang",
        }
    }
}

impl fmt::Display for Ongeldig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ongeldig::Naam(s) => write!(
                f,
                "`{s}` is geen geldige gebruikersnaam; gebruik 2 tot 40 kleine letters, cijfers, punten of koppeltekens, bv. an.peeters"
            ),
            Ongeldig::WachtwoordTeKort(n) => write!(
                f,
                "het wachtwoord is te kort ({n} tekens); kies er een van minstens {MIN_WACHTWOORD} tekens, bv. vier losse woorden"
            ),
            Ongeldig::WachtwoordTeLang => write!(
                f,
                "het wachtwoord is te lang; gebruik hoogstens {MAX_WACHTWOORD} tekens"
            ),
        }
    }
}

/// A user name: lowercase letters, digits, `.`, `-` and `_`; 2 to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GebruikersNaam(String);

impl GebruikersNaam {
    pub fn parse(s: &str) -> Result<GebruikersNaam, Ongeldig> {
        let ok = (2..=40).contains(&s.len())
            && s.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
            });
        if ok {
            Ok(GebruikersNaam(s.to_string()))
        } else {
            Err(Ongeldig::Naam(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GebruikersNaam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a new password's length.
pub fn controleer_nieuw_wachtwoord(w: &str) -> Result<(), Ongeldig> {
    let n = w.chars().count();
    if n < MIN_WACHTWOORD {
        return Err(Ongeldig::WachtwoordTeKort(n));
    }
    if n > MAX_WACHTWOORD {
        return Err(Ongeldig::WachtwoordTeLang);
    }
    Ok(())
}

/// An argon2id hash (PHC string with salt and parameters) of a password.
pub fn hash_wachtwoord(w: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(w.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("kan het wachtwoord niet beveiligen ({e})"))
}

/// Whether `w` matches the stored hash. A malformed hash never matches.
pub fn klopt(w: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .ok()
        .is_some_and(|h| Argon2::default().verify_password(w.as_bytes(), &h).is_ok())
}

/// A hash that matches no password, checked when a user name is unknown so that a wrong name
/// takes as long as a wrong password.
pub fn lokhash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_wachtwoord("lokaas-zonder-gebruiker").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash_wachtwoord("correct paard batterij").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(klopt("correct paard batterij", &h));
        assert!(!klopt("correct paard batterij!", &h));
        assert!(!klopt("x", "geen hash"));
        assert_ne!(
            h,
            hash_wachtwoord("correct paard batterij").unwrap(),
            "salted"
        );
    }

    #[test]
    fn names_roles_and_password_rules() {
        assert!(GebruikersNaam::parse("an.peeters").is_ok());
        for slecht in ["", "a", "An", "an peeters", "<b>", &"a".repeat(41)] {
            assert!(GebruikersNaam::parse(slecht).is_err(), "{slecht}");
        }
        assert!(Rol::Beheer.mag(Rol::Zorgteam));
        assert!(!Rol::Zorgteam.mag(Rol::Beheer));
        assert!(Rol::Groep.mag(Rol::Groep));
        for school in Rol::ALLE {
            assert!(!Rol::Groep.mag(school), "{school}");
            assert!(!school.mag(Rol::Groep), "{school}");
        }
        assert_eq!(Rol::parse("groep"), None, "never a school's role");
        assert_eq!(Rol::parse("zorgteam"), Some(Rol::Zorgteam));
        assert!(controleer_nieuw_wachtwoord("kort").is_err());
        assert!(controleer_nieuw_wachtwoord("lang genoeg nu").is_ok());
    }
}
