//! The dashboard home: per questionnaire its periods (open or closed, respondents, response
//! rate per channel), and for `beheer` opening and closing periods and making codes.

use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;

use super::pages::OverzichtPage;
use super::{Aangemeld, Error, Velden, naar, pagina};
use crate::brieven;
use crate::domain::PeriodeNaam;
use crate::web::AppState;
use crate::web::render::BEHEER_OVERZICHT;

pub async fn naar_overzicht(State(state): State<AppState>) -> Response {
    naar(&state, "/beheer/")
}

pub async fn toon(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let kiosken_gestopt = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "kiosken=gestopt"));
    let minimum = state.beheer.minimum;
    let periodes = state.opslag.periodes().await?;
    let per_kanaal = state.opslag.per_kanaal(minimum).await?;
    let mut page = OverzichtPage::new(&a, &state.vragenlijsten, &periodes, &per_kanaal, minimum);
    page.kiosken_gestopt = kiosken_gestopt;
    Ok(pagina(&state, &a, "overzicht", BEHEER_OVERZICHT, page))
}

/// The questionnaire and period named in a form, checked.
fn lijst_en_periode(state: &AppState, v: &Velden) -> Result<(String, PeriodeNaam), Error> {
    let id = v.get("vragenlijst").unwrap_or("");
    if state.vragenlijsten.get(id).is_none() {
        return Err(Error::OnbekendeVragenlijst { in_adres: false });
    }
    let periode = PeriodeNaam::parse(v.get("periode").unwrap_or("").trim())
        .map_err(|_| Error::OngeldigePeriodeNaam)?;
    Ok((id.to_string(), periode))
}

pub async fn open(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Result<Response, Error> {
    let (id, periode) = lijst_en_periode(&state, &v)?;
    let uitgenodigd = match v.get("uitgenodigd").map(str::trim).unwrap_or("") {
        "" => None,
        t => match t.parse::<u32>() {
            Ok(n) if n <= 100_000 => Some(n),
            _ => return Err(Error::OngeldigAantalUitgenodigd),
        },
    };
    state
        .opslag
        .periode_open_door(&a.naam, &id, &periode, uitgenodigd)
        .await?;
    Ok(naar(&state, "/beheer/"))
}

pub async fn sluit(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Result<Response, Error> {
    let (id, periode) = lijst_en_periode(&state, &v)?;
    let minimum = state.beheer.minimum;
    state
        .opslag
        .periode_sluit_door(&a.naam, &id, &periode, minimum)
        .await?;
    Ok(naar(&state, "/beheer/"))
}

/// Makes codes and answers with the printable letters as a download.
pub async fn codes(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
) -> Result<Response, Error> {
    let (id, periode) = lijst_en_periode(&state, &v)?;
    let aantal = match v.get("aantal").and_then(|t| t.trim().parse::<u32>().ok()) {
        Some(n) if (1..=10_000).contains(&n) => n,
        _ => return Err(Error::OngeldigAantalCodes),
    };
    let url = state
        .beheer
        .enquete_url
        .clone()
        .ok_or(Error::GeenEnqueteUrl)?;
    let Some(lijst) = state.vragenlijsten.get(&id) else {
        return Ok(naar(&state, "/beheer/"));
    };
    let bestand = format!("brieven-{id}-{periode}.html");
    let codes = state
        .opslag
        .maak_codes_door(&a.naam, &id, &periode, aantal)
        .await?;
    let mut r = brieven::response(&state.renderer, lijst, &url, &codes);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{bestand}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
