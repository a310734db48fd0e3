//! The value of the session cookie: whose session it is, and its secret.
//!
//! In a group (`[[school]]`) every dashboard (each school's, and the group level's) issues
//! session cookies of the form `<eigenaar>.<geheim>`: the id of the school (or `groep`) that
//! made the session, a dot, and the 64 hex characters of the secret that the store knows only
//! as a hash (`storage::gebruikers`). A service of one school has no id and issues the secret
//! alone, as it always did.
//!
//! The owner part is no secret and proves nothing: only the store decides whether a session is
//! valid, and it is given only the secret. What the owner part does decide, in O(1) and without
//! asking any other school's store, is how a dashboard answers a cookie that is not its own:
//! - a well-formed cookie of another owner is a **foreign** session ([`Sessie::Vreemd`]): a 403
//!   page that names nothing of this school ("you are logged in at another school");
//! - anything else that is not this dashboard's (no dot in a group, a malformed value, an old
//!   cookie from before the owner part existed) is **unknown** ([`Sessie::Onbekend`]), answered
//!   like no cookie at all: to the login page.
//!
//! A foreign cookie is foreign whether or not its session is still valid at its own school,
//! and whether or not its owner exists: this dashboard cannot tell, and does not try.

/// The length of the secret part: 32 random bytes as lowercase hex.
pub const GEHEIM_LENGTE: usize = 64;

/// What a session cookie is to the dashboard that received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sessie<'a> {
    /// This dashboard's own kind: the secret, to look up in its own store.
    Eigen(&'a str),
    /// A session of another school, or of the group level at a school and the other way round.
    Vreemd,
    /// Malformed, or without an owner where one is needed: as if there were no cookie.
    Onbekend,
}

/// The cookie value for a new session with secret `geheim` of the dashboard of `eigenaar`
/// (the school's id in a group, `groep` for the group level, `None` for a service of one
/// school).
pub fn waarde(eigenaar: Option<&str>, geheim: &str) -> String {
    match eigenaar {
        Some(e) => format!("{e}.{geheim}"),
        None => geheim.to_string(),
    }
}

/// What the cookie `waarde` is to the dashboard of `eigenaar` (see the module documentation).
pub fn lees<'a>(waarde: &'a str, eigenaar: Option<&str>) -> Sessie<'a> {
    match waarde.split_once('.') {
        Some((van, geheim)) => {
            if !geldig_geheim(geheim) || !geldige_eigenaar(van) {
                Sessie::Onbekend
            } else if eigenaar == Some(van) {
                Sessie::Eigen(geheim)
            } else {
                Sessie::Vreemd
            }
        }
        // Without an owner: the cookie of a service of one school (its own), or in a group
        // one from before owners existed (unknown: log in again).
        None if eigenaar.is_none() && geldig_geheim(waarde) => Sessie::Eigen(waarde),
        None => Sessie::Onbekend,
    }
}

fn geldig_geheim(s: &str) -> bool {
    s.len() == GEHEIM_LENGTE
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The shape of a school id (`instellingen::groep`) or `groep`: a short lowercase slug.
fn geldige_eigenaar(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geheim() -> String {
        "0123456789abcdef".repeat(4)
    }

    #[test]
    fn a_school_reads_its_own_cookie_back_and_only_the_secret_goes_to_the_store() {
        let g = geheim();
        let w = waarde(Some("a"), &g);
        assert_eq!(w, format!("a.{g}"));
        assert_eq!(lees(&w, Some("a")), Sessie::Eigen(&g));
        let groep = waarde(Some("groep"), &g);
        assert_eq!(lees(&groep, Some("groep")), Sessie::Eigen(&g));
        let ids = waarde(Some("sint-jan-2"), &g);
        assert_eq!(lees(&ids, Some("sint-jan-2")), Sessie::Eigen(&g));
    }

    #[test]
    fn a_service_of_one_school_keeps_the_bare_secret() {
        let g = geheim();
        assert_eq!(waarde(None, &g), g);
        assert_eq!(lees(&g, None), Sessie::Eigen(&g));
    }

    #[test]
    fn another_owner_is_foreign_whatever_its_secret_is_worth() {
        let g = geheim();
        assert_eq!(lees(&format!("a.{g}"), Some("b")), Sessie::Vreemd);
        // The group level at a school, and a school at the group level.
        assert_eq!(lees(&format!("groep.{g}"), Some("a")), Sessie::Vreemd);
        assert_eq!(lees(&format!("a.{g}"), Some("groep")), Sessie::Vreemd);
        // A group's cookie at a service of one school.
        assert_eq!(lees(&format!("a.{g}"), None), Sessie::Vreemd);
        // An owner that is no school of this group is still someone else's.
        assert_eq!(lees(&format!("nergens.{g}"), Some("a")), Sessie::Vreemd);
        // An owner that is a prefix of ours, or ours with a suffix, is not ours.
        assert_eq!(lees(&format!("a.{g}"), Some("ab")), Sessie::Vreemd);
        assert_eq!(lees(&format!("ab.{g}"), Some("a")), Sessie::Vreemd);
    }

    #[test]
    fn malformed_or_ownerless_cookies_in_a_group_are_unknown() {
        let g = geheim();
        let onbekend = |w: &str, e: Option<&str>| assert_eq!(lees(w, e), Sessie::Onbekend, "{w}");
        // An old cookie from before the owner part: log in again.
        onbekend(&g, Some("a"));
        onbekend("", Some("a"));
        onbekend("", None);
        onbekend("a.", Some("a"));
        onbekend(&format!(".{g}"), Some("a"));
        onbekend(&format!("a.{}", &g[1..]), Some("a"));
        onbekend(&format!("a.{g}0"), Some("a"));
        onbekend(&format!("a.{}", g.to_uppercase()), Some("a"));
        onbekend(&format!("a.{}", "g".repeat(64)), Some("a"));
        onbekend(&format!("A.{g}"), Some("a"));
        onbekend(&format!("a b.{g}"), Some("a"));
        onbekend(&format!("{}.{g}", "a".repeat(33)), Some("a"));
        // A second dot belongs to the secret, which then is malformed.
        onbekend(&format!("a.b.{g}"), Some("a"));
        onbekend(&format!("a.{g}.x"), Some("a"));
        // Malformed is unknown even where it would otherwise be foreign.
        onbekend(&format!("b.{}", &g[2..]), Some("a"));
        onbekend("kort", None);
    }
}
