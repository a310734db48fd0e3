//! Logging in and out. A wrong name and a wrong password get the same answer, take about as
//! long (the password is checked against a decoy hash), and count for the throttle alike.

use std::time::Instant;

use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;

use super::drempel::wachttijd;
use super::pages::{Dashboard, LoginFout, LoginPage};
use super::{Aangemeld, Error, Velden, naar, sessie_cookie};
use crate::domain::gebruiker;
use crate::storage::audit::{self, Gebeurtenis};
use crate::storage::gebruikers;
use crate::web::AppState;
use crate::web::render::BEHEER_AANMELDEN;

pub async fn toon(State(state): State<AppState>) -> Response {
    pagina(&state, StatusCode::OK, "", None)
}

/// The login page, empty or again with the typed name and what went wrong.
fn pagina(state: &AppState, status: StatusCode, naam: &str, fout: Option<LoginFout>) -> Response {
    let csrf = state.sleutel.voor_aanmelden();
    let r = &state.renderer;
    let page = Dashboard {
        menu: None,
        pagina: LoginPage {
            csrf: &csrf,
            naam,
            fout,
        },
    };
    r.html(status, BEHEER_AANMELDEN, &r.talen.standaard(), &[], &page)
}

pub async fn meld_aan(
    State(state): State<AppState>,
    Extension(velden): Extension<Velden>,
) -> Result<Response, Error> {
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
        return Ok(pagina(
            &state,
            StatusCode::BAD_REQUEST,
            &naam,
            Some(LoginFout::Leeg),
        ));
    }
    let wacht = state
        .beheer
        .drempel
        .lock()
        .ok()
        .and_then(|mut d| d.wacht(&naam, Instant::now()));
    if let Some(w) = wacht {
        let (wacht, n) = wachttijd(w);
        return Ok(pagina(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &naam,
            Some(LoginFout::TeVeel { wacht, n }),
        ));
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
                audit::schrijf(c, &n, &Gebeurtenis::Aangemeld)?;
                Ok(Some(id))
            } else {
                // Only known names go into the log: a stranger may have typed a password there.
                let wie = if gevonden.is_some() {
                    n.as_str()
                } else {
                    "(onbekend)"
                };
                audit::schrijf(c, wie, &Gebeurtenis::AanmeldenMislukt)?;
                Ok(None)
            }
        })
        .await?;
    match uitkomst {
        Some(id) => {
            if let Ok(mut d) = state.beheer.drempel.lock() {
                d.gelukt(&naam);
            }
            let mut r = naar(&state, "/beheer/");
            r.headers_mut()
                .insert(header::SET_COOKIE, sessie_cookie(&state, Some(&id)));
            Ok(r)
        }
        None => {
            if let Ok(mut d) = state.beheer.drempel.lock() {
                d.mislukt(&naam, Instant::now());
            }
            Ok(pagina(
                &state,
                StatusCode::UNAUTHORIZED,
                &naam,
                Some(LoginFout::Onjuist),
            ))
        }
    }
}

pub async fn meld_af(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
) -> Result<Response, Error> {
    let naam = a.naam.clone();
    let sessie = a.sessie.clone();
    state
        .beheer
        .met_db(move |c| {
            gebruikers::sessie_einde(c, &sessie)?;
            audit::schrijf(c, &naam, &Gebeurtenis::Afgemeld)
        })
        .await?;
    let mut r = naar(&state, "/beheer/login");
    r.headers_mut()
        .insert(header::SET_COOKIE, sessie_cookie(&state, None));
    Ok(r)
}
