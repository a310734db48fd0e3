//! Managing staff accounts from the dashboard (role `beheer`): list, add, remove, new
//! password; and the recent audit log.

use axum::Extension;
use axum::extract::State;
use axum::response::Response;

use super::pages::GebruikersPage;
use super::{Aangemeld, Error, Velden, naar, pagina};
use crate::domain::gebruiker::{self, GebruikersNaam, Rol};
use crate::storage::OpslagFout;
use crate::web::AppState;
use crate::web::render::BEHEER_GEBRUIKERS;

/// Audit rows shown on the page.
const AUDIT_REGELS: u32 = 50;

pub async fn toon(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
) -> Result<Response, Error> {
    let lijst = state.opslag.gebruikers().await?;
    let log = state.opslag.audit_laatste(AUDIT_REGELS).await?;
    let invoer = state.opslag.invoer_tellingen().await?;
    let page = GebruikersPage::new(&lijst, &log, &invoer);
    Ok(pagina(&state, &a, "gebruikers", BEHEER_GEBRUIKERS, page))
}

/// A password from the form, checked, hashed when argon2 gets a turn (it is slow on purpose,
/// [`super::BeheerStaat::met_argon2`]).
async fn nieuwe_hash(state: &AppState, v: &Velden) -> Result<String, Error> {
    let w = v.get("wachtwoord").unwrap_or("").to_string();
    gebruiker::controleer_nieuw_wachtwoord(&w)?;
    let hash = state
        .beheer
        .met_argon2(move || gebruiker::hash_wachtwoord(&w))
        .await
        .map_err(|_| Error::TeDruk)?;
    Ok(hash.map_err(OpslagFout::Databank)?)
}

pub async fn maak(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Result<Response, Error> {
    let naam = GebruikersNaam::parse(v.get("naam").unwrap_or("").trim())?;
    let rol = v.get("rol").and_then(Rol::parse).ok_or(Error::GeenRol)?;
    let hash = nieuwe_hash(&state, &v).await?;
    state
        .opslag
        .maak_gebruiker(&naam, rol, &hash, Some(&a.naam))
        .await?;
    Ok(naar(&state, "/beheer/gebruikers"))
}

pub async fn verwijder(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Result<Response, Error> {
    let naam = v.get("naam").unwrap_or("").to_string();
    state
        .opslag
        .verwijder_gebruiker(&naam, Some(&a.naam))
        .await?;
    Ok(naar(&state, "/beheer/gebruikers"))
}

pub async fn wachtwoord(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Result<Response, Error> {
    let naam = v.get("naam").unwrap_or("").to_string();
    let hash = nieuwe_hash(&state, &v).await?;
    let zelf = naam == a.naam;
    state
        .opslag
        .zet_wachtwoord(&naam, &hash, Some(&a.naam))
        .await?;
    // A new password ends the account's sessions, your own included.
    Ok(if zelf {
        naar(&state, "/beheer/login")
    } else {
        naar(&state, "/beheer/gebruikers")
    })
}
