//! Stateless form tokens: an HMAC over the questionnaire and an expiry time, keyed with the
//! database's secret. Nothing personal goes in, no cookie is needed, and tokens survive restarts.
//!
//! Together with the `Sec-Fetch-Site` check in the POST handler this keeps other websites from
//! submitting forms through a visitor's browser.
//!
//! Dashboard forms use the same tokens bound to the staff session (a hash of its id, see
//! [`FormSleutel::voor_sessie`]), and the login form to a fixed purpose: a token of one
//! session is worthless in another, and neither works on a survey form.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// How long a rendered form can be sent: long enough to fill it in at leisure.
pub const GELDIG_MINUTEN: u64 = 24 * 60;

#[derive(Clone)]
pub struct FormSleutel {
    /// The HMAC with the key already absorbed; cloned per token.
    basis: Hmac<Sha256>,
}

fn minuten_nu() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 60)
}

impl FormSleutel {
    pub fn new(geheim: &[u8]) -> FormSleutel {
        let basis = match <Hmac<Sha256> as KeyInit>::new_from_slice(geheim) {
            Ok(m) => m,
            // HMAC takes keys of any length; this arm is unreachable in practice.
            Err(_) => <Hmac<Sha256> as KeyInit>::new(&Default::default()),
        };
        FormSleutel { basis }
    }

    fn mac(&self, vragenlijst: &str, verloopt: u64) -> Hmac<Sha256> {
        let mut mac = self.basis.clone();
        mac.update(b"zorgenquete-formulier-v1\0");
        mac.update(vragenlijst.as_bytes());
        mac.update(b"\0");
        mac.update(&verloopt.to_be_bytes());
        mac
    }

    /// A token for a form rendered now.
    pub fn maak(&self, vragenlijst: &str) -> String {
        self.maak_op(vragenlijst, minuten_nu())
    }

    fn maak_op(&self, vragenlijst: &str, nu: u64) -> String {
        let verloopt = nu + GELDIG_MINUTEN;
        let tag = self.mac(vragenlijst, verloopt).finalize().into_bytes();
        let mut token = format!("{verloopt:x}.");
        for b in &tag[..16] {
            token.push_str(&format!("{b:02x}"));
        }
        token
    }

    /// Whether `token` was made by us, for this questionnaire, and has not expired.
    pub fn geldig(&self, token: &str, vragenlijst: &str) -> bool {
        self.geldig_op(token, vragenlijst, minuten_nu())
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

    fn geldig_op(&self, token: &str, vragenlijst: &str, nu: u64) -> bool {
        let Some((verloopt, tag)) = token.split_once('.') else {
            return false;
        };
        let Ok(verloopt) = u64::from_str_radix(verloopt, 16) else {
            return false;
        };
        if verloopt < nu || verloopt > nu + GELDIG_MINUTEN || tag.len() != 32 {
            return false;
        }
        let mut bytes = [0u8; 16];
        for (i, b) in bytes.iter_mut().enumerate() {
            match tag
                .get(2 * i..2 * i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(v) => *b = v,
                None => return false,
            }
        }
        self.mac(vragenlijst, verloopt)
            .verify_truncated_left(&bytes)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_questionnaire_key_and_time() {
        let k = FormSleutel::new(b"geheim");
        let t = k.maak_op("ouders", 1000);
        assert!(k.geldig_op(&t, "ouders", 1000));
        assert!(k.geldig_op(&t, "ouders", 1000 + GELDIG_MINUTEN));
        assert!(!k.geldig_op(&t, "ouders", 1001 + GELDIG_MINUTEN), "expired");
        assert!(!k.geldig_op(&t, "collegas", 1000), "other questionnaire");
        assert!(
            !FormSleutel::new(b"ander").geldig_op(&t, "ouders", 1000),
            "other key"
        );
        let mut kapot = t.clone();
        kapot.pop();
        kapot.push('0');
        assert!(!k.geldig_op(&kapot, "ouders", 1000) || t.ends_with('0'));
        let s = k.voor_sessie("abc");
        assert!(k.geldig_voor_sessie(&s, "abc"));
        assert!(!k.geldig_voor_sessie(&s, "abd"), "other session");
        assert!(!k.geldig_voor_aanmelden(&s));
        assert!(k.geldig_voor_aanmelden(&k.voor_aanmelden()));
        for slecht in ["", ".", "zz.00", "1.", "ffffffffffffffffff.00", "é.é"] {
            assert!(!k.geldig_op(slecht, "ouders", 1000));
        }
    }
}
