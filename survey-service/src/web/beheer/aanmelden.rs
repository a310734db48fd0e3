//! Logging in and out. A wrong name and a wrong password get the same answer, take about as
//! long (the password is checked against a decoy hash), and count for the throttle alike.
//! Argon2 runs outside every lock, a few at a time (`BeheerStaat::met_argon2`).

use std::net::IpAddr;
use std::time::{Duration, Instant};

use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;

use super::drempel::wachttijd;
use super::pages::{Dashboard, LoginFout, LoginPage};
use super::{Aangemeld, Error, TeDruk, Velden, naar, sessie_cookie};
use crate::domain::gebruiker;
use crate::storage::audit::Gebeurtenis;
use crate::web::AppState;
use crate::web::herkomst::KlantAdres;
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

/// Logs a staff member in. In three steps, so no lock is held while argon2 runs: read the hash
/// (the dashboard's database connection, briefly), check the password (behind the argon2
/// queue, [`super::BeheerStaat::met_argon2`]), then start the session or log the failure. The
/// attempt is counted (per address and per name at that address, see [`super::drempel`])
/// before the password is checked.
pub async fn meld_aan(
    State(state): State<AppState>,
    Extension(velden): Extension<Velden>,
    klant: Option<Extension<KlantAdres>>,
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
    // Without a known peer (only in tests that call the router directly) all share one count.
    let adres = klant.map_or(IpAddr::from([0, 0, 0, 0]), |Extension(KlantAdres(ip))| ip);
    let poging = match state.beheer.drempel.lock() {
        Ok(mut d) => d.probeer(&naam, adres, Instant::now()),
        Err(_) => Err(Duration::from_secs(60)),
    };
    if let Err(w) = poging {
        let (wacht, n) = wachttijd(w);
        return Ok(pagina(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &naam,
            Some(LoginFout::TeVeel { wacht, n }),
        ));
    }
    let gevonden = match state.opslag.hash_van(&naam).await {
        Ok(g) => g,
        Err(e) => {
            niet_gecontroleerd(&state, &naam, adres);
            return Err(e.into());
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
            return Ok(pagina(
                &state,
                StatusCode::SERVICE_UNAVAILABLE,
                &naam,
                Some(LoginFout::TeDruk),
            ));
        }
    };
    let uitkomst = if ok {
        Some(state.opslag.sessie_begin(&naam).await?)
    } else {
        // Only known names go into the log: a stranger may have typed a password there.
        let wie = if bestaat { naam.as_str() } else { "(onbekend)" };
        state
            .opslag
            .audit(wie, &Gebeurtenis::AanmeldenMislukt)
            .await?;
        None
    };
    match uitkomst {
        Some(id) => {
            if let Ok(mut d) = state.beheer.drempel.lock() {
                d.gelukt(&naam, adres);
            }
            let mut r = naar(&state, "/beheer/");
            r.headers_mut()
                .insert(header::SET_COOKIE, sessie_cookie(&state, Some(&id)));
            Ok(r)
        }
        None => Ok(pagina(
            &state,
            StatusCode::UNAUTHORIZED,
            &naam,
            Some(LoginFout::Onjuist),
        )),
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
) -> Result<Response, Error> {
    state.opslag.sessie_einde(&a.sessie, &a.naam, None).await?;
    let mut r = naar(&state, "/beheer/login");
    r.headers_mut()
        .insert(header::SET_COOKIE, sessie_cookie(&state, None));
    Ok(r)
}
