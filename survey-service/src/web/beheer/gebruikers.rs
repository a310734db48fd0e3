//! Managing staff accounts from the dashboard (role `beheer`): list, add, remove, new
//! password; and the recent audit log.

use axum::Extension;
use axum::extract::State;
use axum::response::Response;

use super::pages::GebruikersPage;
use super::{Aangemeld, Error, Velden, naar, pagina};
use crate::domain::gebruiker::{self, GebruikersNaam, Rol};
use crate::storage::OpslagFout;
use crate::storage::audit::{self, Gebeurtenis};
use crate::storage::{gebruikers, invoer};
use crate::web::AppState;
use crate::web::render::BEHEER_GEBRUIKERS;

/// Audit rows shown on the page.
const AUDIT_REGELS: u32 = 50;

pub async fn toon(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
) -> Result<Response, Error> {
    let (lijst, log, invoer) = state
        .beheer
        .met_db(|c| {
            Ok((
                gebruikers::lijst(c)?,
                audit::laatste(c, AUDIT_REGELS)?,
                invoer::tellingen(c)?,
            ))
        })
        .await?;
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
        .beheer
        .met_db(move |c| {
            gebruikers::maak(c, &naam, rol, &hash)?;
            let gebeurtenis = Gebeurtenis::GebruikerGemaakt {
                naam: naam.to_string(),
                rol,
            };
            audit::schrijf(c, &a.naam, &gebeurtenis)
        })
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
        .beheer
        .met_db(move |c| {
            gebruikers::verwijder(c, &naam)?;
            audit::schrijf(c, &a.naam, &Gebeurtenis::GebruikerVerwijderd { naam })
        })
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
        .beheer
        .met_db(move |c| {
            gebruikers::zet_wachtwoord(c, &naam, &hash)?;
            audit::schrijf(c, &a.naam, &Gebeurtenis::NieuwWachtwoord { naam })
        })
        .await?;
    // A new password ends the account's sessions, your own included.
    Ok(if zelf {
        naar(&state, "/beheer/login")
    } else {
        naar(&state, "/beheer/gebruikers")
    })
}
