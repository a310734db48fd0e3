//! Logging in and out. A wrong name and a wrong password get the same answer, take about as
//! long (the password is checked against a decoy hash), and count for the throttle alike.
//! Argon2 runs outside every lock, a few at a time (`BeheerStaat::met_argon2`).

use std::net::IpAddr;
use std::time::{Duration, Instant};

use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;

use super::drempel::wachttijd_tekst;
use super::{Aangemeld, TeDruk, Velden, naar, onbeschikbaar, paginas, sessie_cookie};
use crate::domain::gebruiker;
use crate::storage::audit::{self, Gebeurtenis};
use crate::storage::gebruikers;
use crate::web::herkomst::KlantAdres;
use crate::web::{AppState, html_antwoord};

pub async fn toon(State(state): State<AppState>) -> Response {
    let csrf = state.sleutel.voor_aanmelden();
    html_antwoord(
        StatusCode::OK,
        paginas::aanmelden(&state.opmaak, &csrf, "", None),
    )
}

fn opnieuw(state: &AppState, status: StatusCode, naam: &str, fout: &str) -> Response {
    let csrf = state.sleutel.voor_aanmelden();
    html_antwoord(
        status,
        paginas::aanmelden(&state.opmaak, &csrf, naam, Some(fout)),
    )
}

/// Logs a staff member in. In three steps, so no lock is held while argon2 runs: read the hash
/// (the dashboard's database connection, briefly), check the password (behind the argon2
/// queue, [`super::BeheerStaat::met_argon2`]), then start the session or log the failure. The
/// attempt is counted (per address and per name at that address, see [`super::drempel`])
/// before the password is checked.
pub async fn meld_aan(
    State(state): State<AppState>,
    Extension(velden): Extension<Velden>,
    klant: Option<Extension<KlantAdres>>,
) -> Response {
    // Names are lowercase; what is typed with capitals or spaces around still counts as one name.
    let naam: String = velden
        .get("naam")
        .unwrap_or("")
        .trim()
        .to_lowercase()
        .chars()
        .take(60)
        .collect();
    let wachtwoord = velden.get("wachtwoord").unwrap_or("").to_string();
    if naam.is_empty() || wachtwoord.is_empty() {
        return opnieuw(
            &state,
            StatusCode::BAD_REQUEST,
            &naam,
            "Vul je gebruikersnaam en je wachtwoord in.",
        );
    }
    // Without a known peer (only in tests that call the router directly) all share one count.
    let adres = klant.map_or(IpAddr::from([0, 0, 0, 0]), |Extension(KlantAdres(ip))| ip);
    let poging = match state.beheer.drempel.lock() {
        Ok(mut d) => d.probeer(&naam, adres, Instant::now()),
        Err(_) => Err(Duration::from_secs(60)),
    };
    if let Err(w) = poging {
        return opnieuw(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &naam,
            &format!(
                "Er waren te veel foute pogingen. Wacht {} en probeer dan opnieuw.",
                wachttijd_tekst(w)
            ),
        );
    }
    let n = naam.clone();
    let gevonden = match state
        .beheer
        .met_db(move |c| gebruikers::hash_van(c, &n))
        .await
    {
        Ok(g) => g,
        Err(e) => {
            niet_gecontroleerd(&state, &naam, adres);
            return onbeschikbaar(&state, &e);
        }
    };
    let bestaat = gevonden.is_some();
    let hash = gevonden.map(|(_, h)| h);
    let check = state
        .beheer
        .met_argon2(move || {
            let hash = hash.as_deref().unwrap_or(gebruiker::lokhash());
            gebruiker::klopt(&wachtwoord, hash)
        })
        .await;
    let ok = match check {
        Ok(klopt) => klopt && bestaat,
        Err(TeDruk) => {
            niet_gecontroleerd(&state, &naam, adres);
            return opnieuw(
                &state,
                StatusCode::SERVICE_UNAVAILABLE,
                &naam,
                "Het is nu erg druk op het dashboard. Probeer het over een minuut opnieuw.",
            );
        }
    };
    let n = naam.clone();
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            if ok {
                let id = gebruikers::sessie_begin(c, &n)?;
                audit::schrijf(c, &n, Gebeurtenis::Aangemeld, "")?;
                Ok(Some(id))
            } else {
                // Only known names go into the log: a stranger may have typed a password there.
                let wie = if bestaat { n.as_str() } else { "(onbekend)" };
                audit::schrijf(c, wie, Gebeurtenis::AanmeldenMislukt, "")?;
                Ok(None)
            }
        })
        .await;
    match uitkomst {
        Ok(Some(id)) => {
            if let Ok(mut d) = state.beheer.drempel.lock() {
                d.gelukt(&naam, adres);
            }
            let mut r = naar(&state, "/beheer/");
            r.headers_mut()
                .insert(header::SET_COOKIE, sessie_cookie(&state, Some(&id)));
            r
        }
        Ok(None) => opnieuw(
            &state,
            StatusCode::UNAUTHORIZED,
            &naam,
            "Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar. Kijk ze na en probeer opnieuw.",
        ),
        Err(e) => onbeschikbaar(&state, &e),
    }
}

fn niet_gecontroleerd(state: &AppState, naam: &str, adres: IpAddr) {
    if let Ok(mut d) = state.beheer.drempel.lock() {
        d.niet_gecontroleerd(naam, adres);
    }
}

pub async fn meld_af(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
) -> Response {
    let naam = a.naam.clone();
    let sessie = a.sessie.clone();
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            gebruikers::sessie_einde(c, &sessie)?;
            audit::schrijf(c, &naam, Gebeurtenis::Afgemeld, "")
        })
        .await;
    if let Err(e) = uitkomst {
        return onbeschikbaar(&state, &e);
    }
    let mut r = naar(&state, "/beheer/login");
    r.headers_mut()
        .insert(header::SET_COOKIE, sessie_cookie(&state, None));
    r
}
