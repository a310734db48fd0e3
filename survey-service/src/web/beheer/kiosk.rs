//! Switching kiosks on and off from the dashboard (see `web::kiosk` for the cookie).

use axum::Extension;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;

use super::{Aangemeld, Error, Velden, naar, sessie_cookie};
use crate::storage::audit::Gebeurtenis;
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
        .opslag
        .sessie_einde(&sessie, &naam, Some(gebeurtenis))
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
    let sleutel = state.opslag.vernieuw_kiosk_sleutel(&a.naam).await?;
    state.kiosk.vervang(&sleutel);
    Ok(naar(&state, "/beheer/?kiosken=gestopt"))
}
