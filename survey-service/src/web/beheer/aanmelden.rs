//! Logging in and out. A wrong name and a wrong password get the same answer, take about as
//! long (the password is checked against a decoy hash), and count for the throttle alike.

use std::time::Instant;

use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;

use super::drempel::wachttijd_tekst;
use super::{Aangemeld, Velden, naar, onbeschikbaar, paginas, sessie_cookie};
use crate::domain::gebruiker;
use crate::storage::audit::{self, Gebeurtenis};
use crate::storage::gebruikers;
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

pub async fn meld_aan(
    State(state): State<AppState>,
    Extension(velden): Extension<Velden>,
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
    let wacht = state
        .beheer
        .drempel
        .lock()
        .ok()
        .and_then(|mut d| d.wacht(&naam, Instant::now()));
    if let Some(w) = wacht {
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
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            let gevonden = gebruikers::hash_van(c, &n)?;
            let hash = gevonden
                .as_ref()
                .map_or(gebruiker::lokhash(), |(_, h)| h.as_str());
            let ok = gebruiker::klopt(&wachtwoord, hash) && gevonden.is_some();
            if ok {
                let id = gebruikers::sessie_begin(c, &n)?;
                audit::schrijf(c, &n, Gebeurtenis::Aangemeld, "")?;
                Ok(Some(id))
            } else {
                // Only known names go into the log: a stranger may have typed a password there.
                let wie = if gevonden.is_some() {
                    n.as_str()
                } else {
                    "(onbekend)"
                };
                audit::schrijf(c, wie, Gebeurtenis::AanmeldenMislukt, "")?;
                Ok(None)
            }
        })
        .await;
    match uitkomst {
        Ok(Some(id)) => {
            if let Ok(mut d) = state.beheer.drempel.lock() {
                d.gelukt(&naam);
            }
            let mut r = naar(&state, "/beheer/");
            r.headers_mut()
                .insert(header::SET_COOKIE, sessie_cookie(&state, Some(&id)));
            r
        }
        Ok(None) => {
            if let Ok(mut d) = state.beheer.drempel.lock() {
                d.mislukt(&naam, Instant::now());
            }
            opnieuw(
                &state,
                StatusCode::UNAUTHORIZED,
                &naam,
                "Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar. Kijk ze na en probeer opnieuw.",
            )
        }
        Err(e) => onbeschikbaar(&state, &e),
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
