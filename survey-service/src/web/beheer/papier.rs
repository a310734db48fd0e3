//! `GET /beheer/papier/<vragenlijst>?taal=xx`: the paper questionnaire as a print-ready page
//! (see [`crate::papier`]); the staff member's browser prints it.

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::pages::Menu;
use super::{Aangemeld, Error};
use crate::domain::Kanaal;
use crate::papier::PapierPage;
use crate::web::AppState;
use crate::web::render::BEHEER_PAPIER;

pub async fn toon(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let lijst = pad
        .as_ref()
        .ok()
        .and_then(|Path(id)| state.vragenlijsten.get(id))
        .ok_or(Error::OnbekendeVragenlijst { in_adres: true })?;
    let r = &state.renderer;
    let gekozen = r.talen.kies(query.as_deref());
    let taal = if lijst.talen.contains(&gekozen.code) {
        gekozen
    } else {
        r.talen.standaard()
    };
    let periode = state.open_periode(&lijst.id).await?;
    let menu = Menu::van(&a, "");
    let mut page = PapierPage::new(
        lijst,
        &taal,
        &r.talen,
        &r.basis,
        periode.as_ref().map(|p| p.naam.as_str()),
    );
    page.menu = Some(&menu);
    page.invoer = periode.is_some().then(|| {
        r.url(&format!(
            "/beheer/invoer/{}/{}",
            lijst.id,
            Kanaal::Papier.id()
        ))
    });
    Ok(r.html(
        StatusCode::OK,
        BEHEER_PAPIER,
        &r.talen.standaard(),
        &[],
        &page,
    ))
}
