//! Kiosk mode: a device at school (a tablet at the parents' evening) on which parents answer
//! one after another without a code, counted as channel `kiosk`.
//!
//! Only staff switch it on. A `zorgteam` or `beheer` member presses "Dit toestel als kiosk
//! gebruiken" on the dashboard *on that device*: the answer is a cookie scoped to
//! `<basis>/enquete/<vragenlijst>/kiosk`, signed with the kiosk key, valid until the end of the
//! day; the staff member is logged out on that device at the same moment (a kiosk must not
//! carry a dashboard session). Without a valid cookie the kiosk address is simply the normal
//! form: codes where the period has codes, channel `online`.
//!
//! Stopping: "Kiosk stoppen" at the bottom of the kiosk page removes the cookie of that device;
//! "Alle kiosken stoppen" (`beheer`) replaces the kiosk key (`storage::kiosk`), so every cookie
//! ever handed out is worthless. The audit log records who switched a kiosk on and that kiosks
//! were stopped, never which device and never anything about answers.

use std::sync::RwLock;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::AppState;
use super::enquete::{Error, MAX_BODY, is_formulier, lees_body, van_andere_site};
use super::herkomst::{cookie_values, set_cookie};
use super::render::ENQUETE_KIOSK_GESTOPT;
use crate::domain::antwoord::{self, VELD_CSRF};
use crate::storage::audit::Gebeurtenis;

/// The cookie's name (its path makes it one per questionnaire).
pub const COOKIE: &str = "kiosk";

/// Signs and checks kiosk cookies. The key is the database secret mixed with the kiosk key,
/// which [`KioskSleutel::vervang`] swaps when every kiosk must stop.
pub struct KioskSleutel {
    geheim: Vec<u8>,
    basis: RwLock<Hmac<Sha256>>,
}

fn mac_voor(geheim: &[u8], kiosk: &[u8]) -> Hmac<Sha256> {
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(geheim) {
        Ok(m) => m,
        // HMAC takes keys of any length; this arm is unreachable in practice.
        Err(_) => <Hmac<Sha256> as KeyInit>::new(&Default::default()),
    };
    mac.update(b"zorgenquete-kiosk-v1\0");
    mac.update(kiosk);
    mac
}

impl KioskSleutel {
    pub fn new(geheim: &[u8], kiosk: &[u8]) -> KioskSleutel {
        KioskSleutel {
            geheim: geheim.to_vec(),
            basis: RwLock::new(mac_voor(geheim, kiosk)),
        }
    }

    /// Uses a new kiosk key from now on (after `storage::kiosk::vernieuw`).
    pub fn vervang(&self, kiosk: &[u8]) {
        if let Ok(mut b) = self.basis.write() {
            *b = mac_voor(&self.geheim, kiosk);
        }
    }

    fn tag(&self, vragenlijst: &str, verloopt: u64) -> Option<Hmac<Sha256>> {
        let mut mac = self.basis.read().ok()?.clone();
        mac.update(vragenlijst.as_bytes());
        mac.update(b"\0");
        mac.update(&verloopt.to_be_bytes());
        Some(mac)
    }

    /// The cookie value for a kiosk of `vragenlijst` until `verloopt` (seconds since 1970).
    pub fn waarde(&self, vragenlijst: &str, verloopt: u64) -> String {
        let tag = self
            .tag(vragenlijst, verloopt)
            .map(|m| m.finalize().into_bytes().to_vec())
            .unwrap_or_default();
        let hex: String = tag.iter().take(16).map(|b| format!("{b:02x}")).collect();
        format!("{verloopt:x}.{hex}")
    }

    /// Whether a cookie value is ours, for this questionnaire, with the current key, and not
    /// expired at `nu`.
    pub fn geldig(&self, waarde: &str, vragenlijst: &str, nu: u64) -> bool {
        let Some((verloopt, hex)) = waarde.split_once('.') else {
            return false;
        };
        let Ok(verloopt) = u64::from_str_radix(verloopt, 16) else {
            return false;
        };
        if verloopt <= nu || hex.len() != 32 {
            return false;
        }
        let mut bytes = [0u8; 16];
        for (i, b) in bytes.iter_mut().enumerate() {
            match hex
                .get(2 * i..2 * i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(v) => *b = v,
                None => return false,
            }
        }
        self.tag(vragenlijst, verloopt)
            .is_some_and(|m| m.verify_truncated_left(&bytes).is_ok())
    }
}

pub fn nu() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The end of the school day a kiosk was switched on: the next midnight in Belgium, taken as
/// UTC+1 all year (in summer that is 1 a.m.). At least an hour from `nu`.
pub fn einde_van_de_dag(nu: u64) -> u64 {
    const UUR: u64 = 3600;
    let lokaal = nu + UUR;
    let middernacht = (lokaal / 86_400 + 1) * 86_400 - UUR;
    middernacht.max(nu + UUR)
}

/// The cookie path for the kiosk of a questionnaire.
fn pad(state: &AppState, vragenlijst: &str) -> String {
    state.renderer.url(&format!("/enquete/{vragenlijst}/kiosk"))
}

/// `Set-Cookie` that turns this device into a kiosk of `vragenlijst` until the end of the day.
pub fn zet_cookie(state: &AppState, vragenlijst: &str) -> HeaderValue {
    let nu = nu();
    let verloopt = einde_van_de_dag(nu);
    let waarde = state.kiosk.waarde(vragenlijst, verloopt);
    cookie(state, vragenlijst, &waarde, verloopt - nu)
}

/// `Set-Cookie` that removes the kiosk cookie of `vragenlijst` from this device.
pub fn wis_cookie(state: &AppState, vragenlijst: &str) -> HeaderValue {
    cookie(state, vragenlijst, "", 0)
}

fn cookie(state: &AppState, vragenlijst: &str, waarde: &str, max_age: u64) -> HeaderValue {
    let pad = pad(state, vragenlijst);
    set_cookie(COOKIE, waarde, &pad, max_age, state.beheer.https)
}

/// Whether the request comes from a device that staff turned into a kiosk of `vragenlijst`.
pub fn is_kiosk(state: &AppState, headers: &HeaderMap, vragenlijst: &str) -> bool {
    let nu = nu();
    cookie_values(headers, COOKIE).any(|w| state.kiosk.geldig(w, vragenlijst, nu))
}

/// `POST /enquete/<vragenlijst>/kiosk/stop`: "Kiosk stoppen" on the device. Removes the cookie
/// and says so (in the default language: the button is for the school's staff); the audit log
/// notes it when the device really was a kiosk.
pub async fn stop(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, Error> {
    let taal = state.renderer.talen.standaard();
    let lijst = pad
        .ok()
        .and_then(|Path(id)| state.vragenlijsten.get(&id))
        .ok_or_else(|| Error::Onbekend(taal.clone()))?;
    if van_andere_site(&headers) || !is_formulier(&headers) {
        return Err(Error::AndereSite(taal));
    }
    let token_ok = match lees_body(body, MAX_BODY).await {
        Ok((bytes, false)) => antwoord::decodeer(&bytes)
            .velden
            .iter()
            .any(|(k, v)| k == VELD_CSRF && state.sleutel.geldig_voor_kiosk_stop(v, &lijst.id)),
        _ => false,
    };
    if !token_ok {
        return Err(Error::KioskVerlopen(taal));
    }
    if is_kiosk(&state, &headers, &lijst.id) {
        let gebeurtenis = Gebeurtenis::KioskGestopt {
            vragenlijst: lijst.id.clone(),
        };
        let r = state.opslag.audit("(kiosk)", &gebeurtenis).await;
        if let Err(e) = r {
            tracing::warn!(fout = %e, "kiosk: logboek niet bijgewerkt");
        }
    }
    let mut r = state
        .renderer
        .html(StatusCode::OK, ENQUETE_KIOSK_GESTOPT, &taal, &[], &());
    r.headers_mut()
        .insert(header::SET_COOKIE, wis_cookie(&state, &lijst.id));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_bound_to_questionnaire_key_and_time() {
        let k = KioskSleutel::new(b"geheim", b"kiosk-1");
        let w = k.waarde("ouders", 2000);
        assert!(k.geldig(&w, "ouders", 1000));
        assert!(!k.geldig(&w, "ouders", 2000), "expired");
        assert!(!k.geldig(&w, "collegas", 1000), "other questionnaire");
        assert!(!KioskSleutel::new(b"ander", b"kiosk-1").geldig(&w, "ouders", 1000));
        // A later expiry written into the cookie breaks the signature.
        let (_, tag) = w.split_once('.').unwrap();
        assert!(!k.geldig(&format!("{:x}.{tag}", 99_999), "ouders", 1000));
        for slecht in ["", ".", "zz.00", "7d0.", "7d0.é"] {
            assert!(!k.geldig(slecht, "ouders", 1000), "{slecht}");
        }
        // "Alle kiosken stoppen": a new kiosk key makes every earlier cookie worthless.
        k.vervang(b"kiosk-2");
        assert!(!k.geldig(&w, "ouders", 1000));
        assert!(k.geldig(&k.waarde("ouders", 2000), "ouders", 1000));
    }

    #[test]
    fn a_kiosk_lasts_until_the_end_of_the_day() {
        // 2026-03-02 09:00 in Belgium (08:00 UTC) → midnight, 23:00 UTC.
        let ochtend = 1_772_409_600 + 8 * 3600;
        assert_eq!(einde_van_de_dag(ochtend), 1_772_409_600 + 23 * 3600);
        // Switched on at 23:30 Belgian time: still at least an hour.
        let laat = 1_772_409_600 + 22 * 3600 + 1800;
        assert_eq!(einde_van_de_dag(laat), laat + 3600);
    }
}
