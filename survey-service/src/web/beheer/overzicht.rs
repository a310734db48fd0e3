//! The dashboard home: per questionnaire its periods (open or closed, respondents, response
//! rate per channel), and for `beheer` opening and closing periods and making codes.

use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::{Aangemeld, Velden, naar, onbeschikbaar, paginas, probleem};
use crate::brieven;
use crate::domain::PeriodeNaam;
use crate::storage::audit::{self, Gebeurtenis};
use crate::storage::{self, respons};
use crate::web::{AppState, html_antwoord};

pub async fn naar_overzicht(State(state): State<AppState>) -> Response {
    naar(&state, "/beheer/")
}

pub async fn toon(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    RawQuery(query): RawQuery,
) -> Response {
    let melding = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "kiosken=gestopt"))
        .then_some("Alle kiosken zijn gestopt. Elk toestel toont nu weer het gewone formulier.");
    let minimum = state.beheer.minimum;
    let gegevens = state
        .beheer
        .met_db(move |c| Ok((storage::periodes(c)?, respons::per_kanaal(c, minimum)?)))
        .await;
    match gegevens {
        Ok((periodes, per_kanaal)) => html_antwoord(
            StatusCode::OK,
            paginas::overzicht(
                &state.opmaak,
                &a,
                &state.vragenlijsten,
                &periodes,
                &per_kanaal,
                minimum,
                melding,
            ),
        ),
        Err(e) => onbeschikbaar(&state, &e),
    }
}

/// The questionnaire and period named in a form, checked; else a Dutch problem page.
fn lijst_en_periode(state: &AppState, v: &Velden) -> Result<(String, PeriodeNaam), Box<Response>> {
    let id = v.get("vragenlijst").unwrap_or("");
    if state.vragenlijsten.get(id).is_none() {
        return Err(Box::new(probleem(
            state,
            StatusCode::BAD_REQUEST,
            "Deze vragenlijst bestaat niet",
            "Ga terug naar het overzicht en kies een vragenlijst uit de lijst.",
        )));
    }
    let periode = PeriodeNaam::parse(v.get("periode").unwrap_or("").trim()).map_err(|_| {
        Box::new(probleem(
            state,
            StatusCode::BAD_REQUEST,
            "Deze naam voor een periode kan niet",
            "Gebruik letters, cijfers en koppeltekens, bijvoorbeeld 2025-2026. Ga terug en probeer opnieuw.",
        ))
    })?;
    Ok((id.to_string(), periode))
}

fn lukt_niet(state: &AppState, e: &storage::OpslagFout) -> Response {
    // Storage messages say what is wrong in Dutch ("periode … is nog open; sluit die eerst").
    probleem(state, StatusCode::CONFLICT, "Dat lukte niet", &e.0)
}

pub async fn open(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Response {
    let (id, periode) = match lijst_en_periode(&state, &v) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let uitgenodigd = match v.get("uitgenodigd").map(str::trim).unwrap_or("") {
        "" => None,
        t => match t.parse::<u32>() {
            Ok(n) if n <= 100_000 => Some(n),
            _ => {
                return probleem(
                    &state,
                    StatusCode::BAD_REQUEST,
                    "Het aantal uitgenodigden klopt niet",
                    "Vul een getal in, zoals 300, of laat het vak leeg. Ga terug en probeer opnieuw.",
                );
            }
        },
    };
    wijzig_periode(&state, a, move |c| {
        storage::periode_open(c, &id, &periode, uitgenodigd)
    })
    .await
}

pub async fn sluit(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Response {
    let (id, periode) = match lijst_en_periode(&state, &v) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let minimum = state.beheer.minimum;
    wijzig_periode(&state, a, move |c| {
        storage::periode_sluit(c, &id, &periode, minimum)
    })
    .await
}

/// Runs a period change, writes its message to the audit log and goes back to the overview.
async fn wijzig_periode(
    state: &AppState,
    a: Aangemeld,
    wijzig: impl FnOnce(&mut rusqlite::Connection) -> Result<String, storage::OpslagFout>
    + Send
    + 'static,
) -> Response {
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            let bericht = wijzig(c)?;
            audit::schrijf(c, &a.naam, Gebeurtenis::Periode, &bericht)
        })
        .await;
    match uitkomst {
        Ok(_) => naar(state, "/beheer/"),
        Err(e) => lukt_niet(state, &e),
    }
}

/// Makes codes and answers with the printable letters as a download.
pub async fn codes(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Response {
    let (id, periode) = match lijst_en_periode(&state, &v) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let aantal = match v.get("aantal").and_then(|t| t.trim().parse::<u32>().ok()) {
        Some(n) if (1..=10_000).contains(&n) => n,
        _ => {
            return probleem(
                &state,
                StatusCode::BAD_REQUEST,
                "Het aantal codes klopt niet",
                "Vul een getal tussen 1 en 10000 in. Ga terug en probeer opnieuw.",
            );
        }
    };
    let Some(url) = state.beheer.enquete_url.clone() else {
        return probleem(
            &state,
            StatusCode::CONFLICT,
            "Het adres van de bevragingen ontbreekt",
            "Voor brieven met een code is het adres van de bevragingen nodig. Zet base_url (en eventueel [enquete] url) in content/config.toml en start de dienst opnieuw.",
        );
    };
    let Some(lijst) = state.vragenlijsten.get(&id) else {
        return naar(&state, "/beheer/");
    };
    let bestand = format!("brieven-{id}-{periode}.html");
    let (id2, p2) = (id.clone(), periode.clone());
    let uitkomst = state
        .beheer
        .met_db(move |c| {
            let codes = storage::maak_codes(c, &id2, &p2, aantal)?;
            audit::schrijf(
                c,
                &a.naam,
                Gebeurtenis::Codes,
                &format!("{} codes voor {id2} {p2}", codes.len()),
            )?;
            Ok(codes)
        })
        .await;
    let codes = match uitkomst {
        Ok(c) => c,
        Err(e) => return lukt_niet(&state, &e),
    };
    let html = brieven::maak(&state.opmaak.school, lijst, &url, &codes);
    let mut r = html_antwoord(StatusCode::OK, html);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{bestand}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}
