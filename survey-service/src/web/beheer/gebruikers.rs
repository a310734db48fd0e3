//! Managing staff accounts from the dashboard (role `beheer`): list, add, remove, new
//! password; and the recent audit log.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Aangemeld, Velden, naar, onbeschikbaar, paginas, probleem};
use crate::domain::gebruiker::{self, GebruikersNaam, Rol};
use crate::storage::audit::{self, Gebeurtenis};
use crate::storage::{gebruikers, invoer};
use crate::web::{AppState, html_antwoord};

/// Audit rows shown on the page.
const AUDIT_REGELS: u32 = 50;

pub async fn toon(State(state): State<AppState>, Extension(a): Extension<Aangemeld>) -> Response {
    let gegevens = state
        .beheer
        .met_db(|c| {
            Ok((
                gebruikers::lijst(c)?,
                audit::laatste(c, AUDIT_REGELS)?,
                invoer::tellingen(c)?,
            ))
        })
        .await;
    match gegevens {
        Ok((lijst, log, invoer)) => html_antwoord(
            StatusCode::OK,
            paginas::gebruikers(&state.opmaak, &a, &lijst, &log, &invoer),
        ),
        Err(e) => onbeschikbaar(&state, &e),
    }
}

fn ongeldig(state: &AppState, tekst: &str) -> Response {
    probleem(
        state,
        StatusCode::BAD_REQUEST,
        "Dat lukte niet",
        &format!("{tekst}\n\nGa terug en probeer opnieuw."),
    )
}

/// A password from the form, checked, hashed on a blocking thread (argon2 is slow on purpose).
async fn nieuwe_hash(state: &AppState, v: &Velden) -> Result<String, String> {
    let w = v.get("wachtwoord").unwrap_or("").to_string();
    gebruiker::controleer_nieuw_wachtwoord(&w).map_err(|e| hoofdletter(&e))?;
    state
        .beheer
        .met_argon2(move || gebruiker::hash_wachtwoord(&w))
        .await
        .map_err(|_| "Het is nu te druk om het wachtwoord te beveiligen. Probeer het over een minuut opnieuw.".to_string())?
}

/// Storage and domain messages start lowercase (for `fout: …` on the command line).
fn hoofdletter(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

pub async fn maak(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Response {
    let naam = match GebruikersNaam::parse(v.get("naam").unwrap_or("").trim()) {
        Ok(n) => n,
        Err(e) => return ongeldig(&state, &hoofdletter(&e)),
    };
    let Some(rol) = v.get("rol").and_then(Rol::parse) else {
        return ongeldig(&state, "Kies een rol: beheer of zorgteam.");
    };
    let hash = match nieuwe_hash(&state, &v).await {
        Ok(h) => h,
        Err(e) => return ongeldig(&state, &e),
    };
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            gebruikers::maak(c, &naam, rol, &hash)?;
            audit::schrijf(
                c,
                &a.naam,
                Gebeurtenis::Gebruiker,
                &format!("maakte {naam} ({rol})"),
            )
        })
        .await;
    match uitkomst {
        Ok(()) => naar(&state, "/beheer/gebruikers"),
        Err(e) => ongeldig(&state, &hoofdletter(&e.0)),
    }
}

pub async fn verwijder(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Response {
    let naam = v.get("naam").unwrap_or("").to_string();
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            gebruikers::verwijder(c, &naam)?;
            audit::schrijf(
                c,
                &a.naam,
                Gebeurtenis::Gebruiker,
                &format!("verwijderde {naam}"),
            )
        })
        .await;
    match uitkomst {
        Ok(()) => naar(&state, "/beheer/gebruikers"),
        Err(e) if e.0.starts_with("databank") => onbeschikbaar(&state, &e),
        Err(e) => ongeldig(&state, &hoofdletter(&e.0)),
    }
}

pub async fn wachtwoord(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Response {
    let naam = v.get("naam").unwrap_or("").to_string();
    let hash = match nieuwe_hash(&state, &v).await {
        Ok(h) => h,
        Err(e) => return ongeldig(&state, &e),
    };
    let zelf = naam == a.naam;
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            gebruikers::zet_wachtwoord(c, &naam, &hash)?;
            audit::schrijf(
                c,
                &a.naam,
                Gebeurtenis::Gebruiker,
                &format!("nieuw wachtwoord voor {naam}"),
            )
        })
        .await;
    match uitkomst {
        // A new password ends the account's sessions, your own included.
        Ok(()) if zelf => naar(&state, "/beheer/login"),
        Ok(()) => naar(&state, "/beheer/gebruikers"),
        Err(e) => ongeldig(&state, &hoofdletter(&e.0)),
    }
}
