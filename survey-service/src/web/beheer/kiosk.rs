//! Switching kiosks on and off from the dashboard (see `web::kiosk` for the cookie).

use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;

use super::{Aangemeld, Velden, naar, onbeschikbaar, probleem, sessie_cookie};
use crate::storage::audit::{self, Gebeurtenis};
use crate::storage::{self, gebruikers};
use crate::web::{AppState, kiosk};

/// `POST /beheer/kiosk`: this device becomes a kiosk of the questionnaire until the end of the
/// day, and the staff member is logged out on it (a kiosk must not carry a dashboard session).
pub async fn aan(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Response {
    let Some(lijst) = state.vragenlijsten.get(v.get("vragenlijst").unwrap_or("")) else {
        return probleem(
            &state,
            StatusCode::BAD_REQUEST,
            "Deze vragenlijst bestaat niet",
            "Ga terug naar het overzicht en kies een vragenlijst uit de lijst.",
        );
    };
    let id = lijst.id.clone();
    let detail = format!("kiosk aangezet voor {id} (tot het einde van de dag)");
    let Aangemeld { naam, sessie, .. } = a;
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            audit::schrijf(c, &naam, Gebeurtenis::Kiosk, &detail)?;
            gebruikers::sessie_einde(c, &sessie)?;
            audit::schrijf(c, &naam, Gebeurtenis::Afgemeld, "")
        })
        .await;
    if let Err(e) = uitkomst {
        return onbeschikbaar(&state, &e);
    }
    let mut r = naar(&state, &format!("/enquete/{id}/kiosk"));
    let h = r.headers_mut();
    h.append(header::SET_COOKIE, kiosk::zet_cookie(&state, &id));
    h.append(header::SET_COOKIE, sessie_cookie(&state, None));
    r
}

/// `POST /beheer/kiosk/stop-alle` (`beheer`): a new kiosk key, so every kiosk stops at once.
pub async fn stop_alle(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
) -> Response {
    let naam = a.naam.clone();
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            let sleutel = storage::kiosk::vernieuw(c)?;
            audit::schrijf(c, &naam, Gebeurtenis::Kiosk, "alle kiosken gestopt")?;
            Ok(sleutel)
        })
        .await;
    match uitkomst {
        Ok(sleutel) => {
            state.kiosk.vervang(&sleutel);
            naar(&state, "/beheer/?kiosken=gestopt")
        }
        Err(e) => onbeschikbaar(&state, &e),
    }
}
