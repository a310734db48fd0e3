//! Staff entry of paper and oral answers (channels `papier` and `mondeling`): the public form,
//! rendered and validated by the same code (`web::enquete::pages::FormPage`,
//! `domain::antwoord::lees`, `web::enquete::bewaar`), only with the session's token, a
//! dashboard address and the dashboard's frame (`beheer/invoer.html`).

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::pages::Menu;
use super::{Aangemeld, Error, Velden};
use crate::domain::Kanaal;
use crate::domain::antwoord::{self, Ingevuld};
use crate::domain::vragenlijst::Vragenlijst;
use crate::web::AppState;
use crate::web::enquete::pages::FormInput;
use crate::web::enquete::{Bestemming, Weergave, bewaar, formulier};

fn kies<'a>(
    state: &'a AppState,
    pad: &Result<Path<(String, String)>, PathRejection>,
) -> Result<(&'a Vragenlijst, Kanaal), Error> {
    pad.as_ref()
        .ok()
        .and_then(|Path((id, kanaal))| {
            let lijst = state.vragenlijsten.get(id)?;
            let kanaal = Kanaal::parse(kanaal)
                .filter(|k| matches!(k, Kanaal::Papier | Kanaal::Mondeling))?;
            Some((lijst, kanaal))
        })
        .ok_or(Error::OnbekendeInvoer)
}

/// What staff see above the form: `beheer.invoer.<kanaal>` (and after saving, first
/// `beheer.invoer.bewaard`).
fn berichten(kanaal: Kanaal, klaar: bool) -> Vec<&'static str> {
    let uitleg = match kanaal {
        Kanaal::Mondeling => "beheer.invoer.mondeling",
        _ => "beheer.invoer.papier",
    };
    if klaar {
        vec!["beheer.invoer.bewaard", uitleg]
    } else {
        vec![uitleg]
    }
}

pub async fn toon(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    pad: Result<Path<(String, String)>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let (lijst, kanaal) = kies(&state, &pad)?;
    let periode = state
        .open_periode(&lijst.id)
        .await?
        .ok_or(Error::GeenOpenPeriode)?;
    let klaar = query.as_deref().is_some_and(|q| {
        antwoord::decodeer(q.as_bytes())
            .velden
            .iter()
            .any(|(k, _)| k == "klaar")
    });
    let taal = state.renderer.talen.standaard();
    let input = FormInput {
        lijst,
        periode: &periode.naam,
        met_codes: periode.met_codes,
        kanaal,
        csrf: &a.csrf,
        ingevuld: &Ingevuld::default(),
        fouten: &[],
        berichten: berichten(kanaal, klaar),
        taal: &taal,
        kiosk_stop: None,
    };
    let menu = Menu::van(&a, "");
    Ok(formulier(&state, &input, Some(&menu), StatusCode::OK))
}

pub async fn verstuur(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
    pad: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, Error> {
    let (lijst, kanaal) = kies(&state, &pad)?;
    // The gate already checked the token against the session.
    let gelezen = antwoord::lees(lijst, &v.0);
    let doel = Bestemming {
        kanaal,
        csrf: a.csrf.clone(),
        klaar: state.renderer.url(&format!(
            "/beheer/invoer/{}/{}?klaar=1",
            lijst.id,
            kanaal.id()
        )),
        taal: state.renderer.talen.standaard(),
        menu: Some(Menu::van(&a, "")),
        weergave: Weergave::Formulier,
        invoerder: Some(a.naam.clone()),
    };
    // A closed period shows the survey's own page, as the public form does.
    Ok(bewaar(
        &state,
        lijst,
        &doel,
        gelezen,
        Vec::new(),
        StatusCode::BAD_REQUEST,
    )
    .await)
}
