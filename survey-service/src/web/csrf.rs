//! Form tokens: an HMAC over the purpose (a questionnaire, a staff session, the login form), an
//! expiry time and a number that is new for every rendered form. Nothing personal goes in and no
//! cookie is needed.
//!
//! Together with the `Sec-Fetch-Site` check in the POST handlers this keeps other websites from
//! submitting forms through a visitor's browser.
//!
//! **Survey forms give at most one stored answer** ([`FormSleutel::claim`]): the number of a
//! token that produced an answer is remembered in memory until the token expires, so the same
//! form cannot be sent twice (a replay, a double click, a script posting one fetched form in a
//! loop). Nothing about it reaches the disk: the set holds numbers and expiry minutes, never a
//! response id. The key mixes the database secret with a random value drawn at every start, so
//! after a restart (which empties the set) every earlier token is simply expired; the form then
//! comes back with the answers kept and a fresh token.
//!
//! Dashboard forms use the same tokens bound to the staff session (a hash of its id, see
//! [`FormSleutel::voor_sessie`]), and the login form to a fixed purpose: a token of one
//! session is worthless in another, and neither works on a survey form. Those may be sent more
//! than once (a staff page has many forms with one token).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// How long a rendered form can be sent: a slow parent (or one who is called away for an hour)
/// still makes it; a form left open overnight comes back with the answers kept and a new token.
pub const GELDIG_MINUTEN: u64 = 4 * 60;

/// Most used survey tokens remembered at once (about 32 MiB at most). Beyond it, and after
/// forgetting the expired ones, no further answer is taken until tokens expire: refusing is
/// safer than forgetting which forms were already sent.
const MAX_GEBRUIKT: usize = 1 << 20;

#[derive(Clone)]
pub struct FormSleutel {
    /// The HMAC with the key and this start's random value already absorbed; cloned per token.
    basis: Hmac<Sha256>,
    /// The number for the next token (unique within this start).
    volgende: Arc<AtomicU64>,
    gebruikt: Arc<Gebruikt>,
}

/// A token that passed [`FormSleutel::lees`]: made by us, for this purpose, not expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geldig {
    verloopt: u64,
    nummer: u64,
}

/// Why a survey token cannot give an answer now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Geweigerd {
    /// This form was already sent and stored (or is being stored right now).
    AlGebruikt,
    /// Too many used tokens to remember (see [`MAX_GEBRUIKT`]).
    Vol,
}

fn minuten_nu() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 60)
}

/// A random value per start. Without the OS random source (it never fails on Linux) the time
/// and process id still differ per start; the secrecy of tokens comes from the database secret.
fn startwaarde() -> [u8; 16] {
    let mut w = [0u8; 16];
    if getrandom::fill(&mut w).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        w[..12].copy_from_slice(&t.to_le_bytes()[..12]);
        w[12..].copy_from_slice(&std::process::id().to_le_bytes());
    }
    w
}

impl FormSleutel {
    pub fn new(geheim: &[u8]) -> FormSleutel {
        let mut basis = match <Hmac<Sha256> as KeyInit>::new_from_slice(geheim) {
            Ok(m) => m,
            // HMAC takes keys of any length; this arm is unreachable in practice.
            Err(_) => <Hmac<Sha256> as KeyInit>::new(&Default::default()),
        };
        basis.update(b"zorgenquete-formulier-v2\0");
        basis.update(&startwaarde());
        FormSleutel {
            basis,
            volgende: Arc::new(AtomicU64::new(1)),
            gebruikt: Arc::new(Gebruikt::default()),
        }
    }

    fn mac(&self, doel: &str, verloopt: u64, nummer: u64) -> Hmac<Sha256> {
        let mut mac = self.basis.clone();
        mac.update(doel.as_bytes());
        mac.update(b"\0");
        mac.update(&verloopt.to_be_bytes());
        mac.update(&nummer.to_be_bytes());
        mac
    }

    /// A token for a form rendered now.
    pub fn maak(&self, doel: &str) -> String {
        self.maak_op(doel, minuten_nu())
    }

    fn maak_op(&self, doel: &str, nu: u64) -> String {
        let verloopt = nu + GELDIG_MINUTEN;
        let nummer = self.volgende.fetch_add(1, Ordering::Relaxed);
        let tag = self.mac(doel, verloopt, nummer).finalize().into_bytes();
        let mut token = format!("{verloopt:x}.{nummer:x}.");
        for b in &tag[..16] {
            token.push_str(&format!("{b:02x}"));
        }
        token
    }

    /// Whether `token` was made by us (since this start), for this purpose, and has not expired.
    pub fn geldig(&self, token: &str, doel: &str) -> bool {
        self.lees(token, doel).is_some()
    }

    /// [`FormSleutel::geldig`], with what [`FormSleutel::claim`] needs.
    pub fn lees(&self, token: &str, doel: &str) -> Option<Geldig> {
        self.lees_op(token, doel, minuten_nu())
    }

    fn lees_op(&self, token: &str, doel: &str, nu: u64) -> Option<Geldig> {
        let mut delen = token.split('.');
        let (verloopt, nummer, tag) = (delen.next()?, delen.next()?, delen.next()?);
        if delen.next().is_some() || tag.len() != 32 || verloopt.len() > 16 || nummer.len() > 16 {
            return None;
        }
        let verloopt = u64::from_str_radix(verloopt, 16).ok()?;
        let nummer = u64::from_str_radix(nummer, 16).ok()?;
        if verloopt < nu || verloopt > nu + GELDIG_MINUTEN {
            return None;
        }
        let mut bytes = [0u8; 16];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = tag
                .get(2 * i..2 * i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())?;
        }
        self.mac(doel, verloopt, nummer)
            .verify_truncated_left(&bytes)
            .ok()?;
        Some(Geldig { verloopt, nummer })
    }

    /// Marks a valid survey token as used, before its answer goes to the writer. The [`Claim`]
    /// gives the token back when nothing was stored (dropped, or [`Claim::laat_los`]).
    pub fn claim(&self, g: Geldig) -> Result<Claim, Geweigerd> {
        self.gebruikt.neem(g, minuten_nu())?;
        Ok(Claim {
            gebruikt: self.gebruikt.clone(),
            nummer: g.nummer,
            los_bij_drop: true,
        })
    }

    /// Whether a valid survey token was already used (a step of the simple mode checks this
    /// without taking the token: only the final store takes it).
    pub fn is_gebruikt(&self, g: &Geldig) -> bool {
        self.gebruikt.bevat(g.nummer)
    }

    /// Number of used tokens remembered now (for tests).
    pub fn aantal_gebruikt(&self) -> usize {
        self.gebruikt.aantal()
    }

    /// A token for a dashboard form of the session with this `kenmerk`
    /// (`storage::gebruikers::sessie_kenmerk`). Questionnaire ids cannot contain `:`, so these
    /// never pass as survey tokens.
    pub fn voor_sessie(&self, kenmerk: &str) -> String {
        self.maak(&format!("beheer:{kenmerk}"))
    }

    pub fn geldig_voor_sessie(&self, token: &str, kenmerk: &str) -> bool {
        self.geldig(token, &format!("beheer:{kenmerk}"))
    }

    /// A token for the login form (no session yet).
    pub fn voor_aanmelden(&self) -> String {
        self.maak("beheer:aanmelden")
    }

    pub fn geldig_voor_aanmelden(&self, token: &str) -> bool {
        self.geldig(token, "beheer:aanmelden")
    }

    /// A token for the "stop the kiosk" button on a kiosk device.
    pub fn voor_kiosk_stop(&self, vragenlijst: &str) -> String {
        self.maak(&format!("kiosk:{vragenlijst}"))
    }

    pub fn geldig_voor_kiosk_stop(&self, token: &str, vragenlijst: &str) -> bool {
        self.geldig(token, &format!("kiosk:{vragenlijst}"))
    }
}

/// The numbers of used survey tokens with their expiry minute, in memory only.
#[derive(Default)]
struct Gebruikt {
    set: Mutex<GebruiktSet>,
}

#[derive(Default)]
struct GebruiktSet {
    nummers: HashMap<u64, u64>,
    /// Expired numbers are forgotten when the set reaches this size.
    opruimen_bij: usize,
}

impl Gebruikt {
    fn neem(&self, g: Geldig, nu: u64) -> Result<(), Geweigerd> {
        let Ok(mut s) = self.set.lock() else {
            return Err(Geweigerd::Vol);
        };
        if s.nummers.len() >= s.opruimen_bij.min(MAX_GEBRUIKT) {
            s.nummers.retain(|_, verloopt| *verloopt >= nu);
            s.opruimen_bij = (2 * s.nummers.len()).max(4096);
        }
        if s.nummers.contains_key(&g.nummer) {
            return Err(Geweigerd::AlGebruikt);
        }
        if s.nummers.len() >= MAX_GEBRUIKT {
            return Err(Geweigerd::Vol);
        }
        s.nummers.insert(g.nummer, g.verloopt);
        Ok(())
    }

    fn geef_terug(&self, nummer: u64) {
        if let Ok(mut s) = self.set.lock() {
            s.nummers.remove(&nummer);
        }
    }

    fn bevat(&self, nummer: u64) -> bool {
        // A poisoned lock: count it as used (refusing is safer, as in `neem`).
        self.set
            .lock()
            .map_or(true, |s| s.nummers.contains_key(&nummer))
    }

    fn aantal(&self) -> usize {
        self.set.lock().map_or(0, |s| s.nummers.len())
    }
}

/// A survey token taken for one submission. Dropped, it gives the token back (nothing was
/// stored); [`Claim::vast`] keeps it used from the moment the answer goes to the writer.
pub struct Claim {
    gebruikt: Arc<Gebruikt>,
    nummer: u64,
    los_bij_drop: bool,
}

impl Claim {
    /// The answer is handed to the writer: from now on the token stays used even if this
    /// request is abandoned (the answer may be stored), unless [`Claim::laat_los`] is called.
    pub fn vast(&mut self) {
        self.los_bij_drop = false;
    }

    /// Nothing was stored: the form may be sent again.
    pub fn laat_los(mut self) {
        self.gebruikt.geef_terug(self.nummer);
        self.los_bij_drop = false;
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if self.los_bij_drop {
            self.gebruikt.geef_terug(self.nummer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_purpose_key_start_and_time() {
        let k = FormSleutel::new(b"geheim");
        let t = k.maak_op("ouders", 1000);
        assert!(k.lees_op(&t, "ouders", 1000).is_some());
        assert!(k.lees_op(&t, "ouders", 1000 + GELDIG_MINUTEN).is_some());
        assert!(
            k.lees_op(&t, "ouders", 1001 + GELDIG_MINUTEN).is_none(),
            "expired"
        );
        assert!(
            k.lees_op(&t, "collegas", 1000).is_none(),
            "other questionnaire"
        );
        assert!(
            FormSleutel::new(b"ander")
                .lees_op(&t, "ouders", 1000)
                .is_none(),
            "other key"
        );
        assert!(
            FormSleutel::new(b"geheim")
                .lees_op(&t, "ouders", 1000)
                .is_none(),
            "same key, but a token from before a restart"
        );
        // Every rendered form has its own token.
        assert_ne!(k.maak_op("ouders", 1000), t);
        let mut kapot = t.clone();
        kapot.pop();
        kapot.push('0');
        assert!(k.lees_op(&kapot, "ouders", 1000).is_none() || t.ends_with('0'));
        let s = k.voor_sessie("abc");
        assert!(k.geldig_voor_sessie(&s, "abc"));
        assert!(!k.geldig_voor_sessie(&s, "abd"), "other session");
        assert!(!k.geldig_voor_aanmelden(&s));
        assert!(k.geldig_voor_aanmelden(&k.voor_aanmelden()));
        let stop = k.voor_kiosk_stop("ouders");
        assert!(k.geldig_voor_kiosk_stop(&stop, "ouders"));
        assert!(!k.geldig(&stop, "ouders"), "not a survey token");
        for slecht in [
            "",
            ".",
            "..",
            "zz.1.00",
            "1.",
            "ffffffffffffffffff.1.00",
            "é.é.é",
            "1.2.3.4",
        ] {
            assert!(k.lees_op(slecht, "ouders", 1000).is_none(), "{slecht}");
        }
    }

    #[test]
    fn a_survey_token_gives_at_most_one_answer() {
        let k = FormSleutel::new(b"geheim");
        let t = k.maak("ouders");
        let g = k.lees(&t, "ouders").unwrap();
        // Taken, then given back because nothing was stored (a form error): usable again.
        let c = k.claim(g).unwrap();
        assert_eq!(k.claim(g).err(), Some(Geweigerd::AlGebruikt), "in flight");
        drop(c);
        let c = k.claim(g).unwrap();
        c.laat_los();
        // Stored: used for good, even when the request is dropped afterwards.
        let mut c = k.claim(g).unwrap();
        c.vast();
        drop(c);
        assert_eq!(k.claim(g).err(), Some(Geweigerd::AlGebruikt));
        assert_eq!(k.aantal_gebruikt(), 1);
        // Another form is not affected.
        let ander = k.lees(&k.maak("ouders"), "ouders").unwrap();
        assert!(k.claim(ander).is_ok());
    }

    #[test]
    fn expired_numbers_are_forgotten() {
        let g = Gebruikt::default();
        // 8192 numbers: the set was cleaned at 4096 (nothing had expired yet) and is cleaned
        // again at its next growth.
        for nummer in 0..8192 {
            g.neem(
                Geldig {
                    verloopt: 100,
                    nummer,
                },
                50,
            )
            .unwrap();
        }
        // Later, the set is cleaned when it grows: the expired ones go.
        g.neem(
            Geldig {
                verloopt: 400,
                nummer: 9999,
            },
            200,
        )
        .unwrap();
        assert_eq!(g.aantal(), 1);
    }
}
