//! Staff entry of paper and oral answers (channels `papier` and `mondeling`): the public form,
//! rendered and validated by the same code (`web::pages::formulier`, `domain::antwoord::lees`,
//! `web::enquete::bewaar`), only with the session's token and a dashboard address.

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{Aangemeld, Velden, onbeschikbaar, probleem};
use crate::domain::Kanaal;
use crate::domain::antwoord::{self, Ingevuld};
use crate::domain::vragenlijst::Vragenlijst;
use crate::web::enquete::{Bestemming, bewaar};
use crate::web::{AppState, html_antwoord, pages};

fn kies<'a>(
    state: &'a AppState,
    pad: &Result<Path<(String, String)>, PathRejection>,
) -> Result<(&'a Vragenlijst, Kanaal), Box<Response>> {
    let gevonden = pad.as_ref().ok().and_then(|Path((id, kanaal))| {
        let lijst = state.vragenlijsten.get(id)?;
        let kanaal =
            Kanaal::parse(kanaal).filter(|k| matches!(k, Kanaal::Papier | Kanaal::Mondeling))?;
        Some((lijst, kanaal))
    });
    gevonden.ok_or_else(|| {
        Box::new(probleem(
            state,
            StatusCode::NOT_FOUND,
            "Deze pagina bestaat niet",
            "Kies op het overzicht welke antwoorden je wil invoeren: op papier of uit een gesprek.",
        ))
    })
}

fn bestemming(state: &AppState, a: &Aangemeld, lijst: &Vragenlijst, kanaal: Kanaal) -> Bestemming {
    Bestemming {
        kanaal,
        csrf: a.csrf.clone(),
        klaar: state.opmaak.url(&format!(
            "/beheer/invoer/{}/{}?klaar=1",
            lijst.id,
            kanaal.id()
        )),
        taal: crate::web::taal::van("nl"),
        invoerder: Some(a.naam.clone()),
    }
}

fn uitleg(kanaal: Kanaal) -> &'static str {
    match kanaal {
        Kanaal::Mondeling => {
            "Je voert antwoorden in die iemand in een gesprek gaf. Vul in wat de persoon zei, niet wat jij denkt. Zet geen namen in de open antwoorden."
        }
        _ => {
            "Je voert de antwoorden van één papieren formulier in. Neem over wat er staat; laat een vraag zonder antwoord leeg als ze niet verplicht is."
        }
    }
}

pub async fn toon(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    pad: Result<Path<(String, String)>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Response {
    let (lijst, kanaal) = match kies(&state, &pad) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let periode = match state.open_periode(&lijst.id).await {
        Ok(Some(p)) => p,
        Ok(None) => {
            return probleem(
                &state,
                StatusCode::CONFLICT,
                "Er is geen open periode",
                "Antwoorden invoeren kan alleen in een open periode. Open er een op het overzicht.",
            );
        }
        Err(e) => return onbeschikbaar(&state, &e),
    };
    let klaar = query.as_deref().is_some_and(|q| {
        antwoord::decodeer(q.as_bytes())
            .velden
            .iter()
            .any(|(k, _)| k == "klaar")
    });
    let melding = if klaar {
        format!(
            "Bewaard. Het formulier is weer leeg voor het volgende antwoord. {}",
            uitleg(kanaal)
        )
    } else {
        uitleg(kanaal).to_string()
    };
    let body = pages::formulier(
        &state.opmaak,
        &pages::Formulier {
            lijst,
            periode: &periode.naam,
            met_codes: periode.met_codes,
            kanaal,
            csrf: &a.csrf,
            ingevuld: &Ingevuld::default(),
            fouten: &[],
            melding: Some(&melding),
            taal: crate::web::taal::van("nl"),
            kiosk_stop: None,
        },
    );
    html_antwoord(StatusCode::OK, body)
}

pub async fn verstuur(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
    pad: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let (lijst, kanaal) = match kies(&state, &pad) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    // The gate already checked the token against the session.
    let gelezen = antwoord::lees(lijst, &v.0);
    let doel = bestemming(&state, &a, lijst, kanaal);
    bewaar(
        &state,
        lijst,
        &doel,
        gelezen,
        Vec::new(),
        StatusCode::BAD_REQUEST,
    )
    .await
}
