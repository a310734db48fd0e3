//! Switching kiosks on and off from the dashboard (see `web::kiosk` for the cookie).

use axum::Extension;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;

use super::{Aangemeld, Error, Velden, naar, sessie_cookie};
use crate::storage::audit::{self, Gebeurtenis};
use crate::storage::{self, gebruikers};
use crate::web::{AppState, kiosk};

/// `POST /beheer/kiosk`: this device becomes a kiosk of the questionnaire until the end of the
/// day, and the staff member is logged out on it (a kiosk must not carry a dashboard session).
pub async fn aan(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Result<Response, Error> {
    let lijst = state
        .vragenlijsten
        .get(v.get("vragenlijst").unwrap_or(""))
        .ok_or(Error::OnbekendeVragenlijst { in_adres: false })?;
    let id = lijst.id.clone();
    let gebeurtenis = Gebeurtenis::KioskAan {
        vragenlijst: id.clone(),
    };
    let Aangemeld { naam, sessie, .. } = a;
    state
        .beheer
        .met_db(move |c| {
            audit::schrijf(c, &naam, &gebeurtenis)?;
            gebruikers::sessie_einde(c, &sessie)?;
            audit::schrijf(c, &naam, &Gebeurtenis::Afgemeld)
        })
        .await?;
    let mut r = naar(&state, &format!("/enquete/{id}/kiosk"));
    let h = r.headers_mut();
    h.append(header::SET_COOKIE, kiosk::zet_cookie(&state, &id));
    h.append(header::SET_COOKIE, sessie_cookie(&state, None));
    Ok(r)
}

/// `POST /beheer/kiosk/stop-alle` (`beheer`): a new kiosk key, so every kiosk stops at once.
pub async fn stop_alle(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
) -> Result<Response, Error> {
    let naam = a.naam.clone();
    let sleutel = state
        .beheer
        .met_db(move |c| {
            let sleutel = storage::kiosk::vernieuw(c)?;
            audit::schrijf(c, &naam, &Gebeurtenis::KioskenGestopt)?;
            Ok(sleutel)
        })
        .await?;
    state.kiosk.vervang(&sleutel);
    Ok(naar(&state, "/beheer/?kiosken=gestopt"))
}
