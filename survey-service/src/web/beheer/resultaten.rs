//! Results for the care team: the report of one questionnaire over the chosen periods, the open
//! answers of one period, and export downloads (audited). The numbers come from
//! [`crate::rapport`], which already hides every group below the minimum; the pages are
//! `beheer/resultaten.html` and `beheer/open-antwoorden.html` with the values of
//! [`super::pages`].

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::pages::{OpenAntwoordenPage, ResultatenPage};
use super::{Aangemeld, Error, Velden, pagina};
use crate::domain::antwoord;
use crate::domain::vragenlijst::Vragenlijst;
use crate::rapport::{self, Keuze, Vergelijk, export};
use crate::storage::OpslagFout;
use crate::storage::audit::{self, Gebeurtenis};
use crate::web::AppState;
use crate::web::render::{BEHEER_OPEN_ANTWOORDEN, BEHEER_RESULTATEN};

/// The questionnaire in the path.
fn lijst<'a>(
    state: &'a AppState,
    pad: &Result<Path<String>, PathRejection>,
) -> Result<&'a Vragenlijst, Error> {
    pad.as_ref()
        .ok()
        .and_then(|Path(id)| state.vragenlijsten.get(id))
        .ok_or(Error::OnbekendeVragenlijst { in_adres: true })
}

/// Every `periode` field of a query string or form, in the order given, without duplicates.
fn gevraagde_periodes<'a>(velden: impl Iterator<Item = &'a (String, String)>) -> Vec<String> {
    let mut namen: Vec<String> = Vec::new();
    for (k, v) in velden {
        let v = v.trim();
        if k == "periode" && !v.is_empty() && !namen.iter().any(|n| n == v) {
            namen.push(v.to_string());
        }
    }
    namen
}

/// The known periods of a questionnaire (name order) and the chosen ones.
type Periodes = (Vec<String>, Vec<String>);

/// The known periods of a questionnaire and the chosen ones (checked against them; empty
/// choice: all). `Ok(Err(naam))` names an unknown period.
fn kies(
    conn: &rusqlite::Connection,
    vragenlijst: &str,
    gevraagd: &[String],
) -> Result<Result<Periodes, String>, OpslagFout> {
    let alle: Vec<String> = rapport::periodes(conn, vragenlijst)?
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    if let Some(onbekend) = gevraagd.iter().find(|g| !alle.contains(g)) {
        return Ok(Err(onbekend.clone()));
    }
    let gekozen = if gevraagd.is_empty() {
        alle.clone()
    } else {
        alle.iter()
            .filter(|p| gevraagd.contains(p))
            .cloned()
            .collect()
    };
    Ok(Ok((alle, gekozen)))
}

fn query_velden(query: Option<&str>) -> Vec<(String, String)> {
    query.map_or_else(Vec::new, |q| antwoord::decodeer(q.as_bytes()).velden)
}

/// `GET /beheer/resultaten/{vragenlijst}?periode=…&periode=…`
pub async fn toon(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let lijst = lijst(&state, &pad)?.clone();
    let gevraagd = gevraagde_periodes(query_velden(query.as_deref()).iter());
    let minimum = state.beheer.minimum;
    let lijst_db = lijst.clone();
    let (alle, rapport) = state
        .beheer
        .met_db(move |c| {
            let (alle, gekozen) = match kies(c, &lijst_db.id, &gevraagd)? {
                Ok(x) => x,
                Err(naam) => return Ok(Err(naam)),
            };
            if gekozen.is_empty() {
                return Ok(Ok((alle, None)));
            }
            let keuze = Keuze {
                periodes: gekozen,
                minimum,
                vergelijk: Vergelijk::Opeenvolgend,
            };
            Ok(Ok((alle, Some(rapport::maak(c, &lijst_db, &keuze)?))))
        })
        .await?
        .map_err(Error::OnbekendePeriode)?;
    let page = ResultatenPage::new(&state.renderer, &lijst, &alle, rapport.as_ref());
    Ok(pagina(&state, &a, "", BEHEER_RESULTATEN, page))
}

/// `GET /beheer/open-antwoorden/{vragenlijst}?periode=…` (default: the newest period).
pub async fn open_antwoorden(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let lijst = lijst(&state, &pad)?.clone();
    let gevraagd: Vec<String> = gevraagde_periodes(query_velden(query.as_deref()).iter())
        .into_iter()
        .take(1)
        .collect();
    let minimum = state.beheer.minimum;
    let lijst_db = lijst.clone();
    let (alle, gekozen) = state
        .beheer
        .met_db(move |c| {
            let (alle, gekozen) = match kies(c, &lijst_db.id, &gevraagd)? {
                Ok(x) => x,
                Err(naam) => return Ok(Err(naam)),
            };
            let Some(periode) = gekozen.last().cloned() else {
                return Ok(Ok((alle, None)));
            };
            let vragen = rapport::open::open_antwoorden(c, &lijst_db, &periode, minimum)?;
            Ok(Ok((alle, Some((periode, vragen)))))
        })
        .await?
        .map_err(Error::OnbekendePeriode)?;
    let page = OpenAntwoordenPage::new(
        &lijst,
        &alle,
        gekozen.as_ref().map(|(p, v)| (p.as_str(), v)),
        minimum,
    );
    Ok(pagina(&state, &a, "", BEHEER_OPEN_ANTWOORDEN, page))
}

/// `POST /beheer/export/{vragenlijst}` with `formaat`, `periode`… and (raw only) `open=ja`.
pub async fn export(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
    pad: Result<Path<String>, PathRejection>,
) -> Result<Response, Error> {
    let lijst = lijst(&state, &pad)?.clone();
    let formaat = v
        .get("formaat")
        .and_then(export::Formaat::parse)
        .ok_or(Error::GeenFormaat)?;
    let open = v.get("open") == Some("ja");
    if open && formaat != export::Formaat::Ruw {
        return Err(Error::OpenAlleenRuw);
    }
    let gevraagd = gevraagde_periodes(v.0.velden.iter());
    let minimum = state.beheer.minimum;
    let wie = a.naam.clone();
    let lijst_db = lijst.clone();
    let (gekozen, bytes) = state
        .beheer
        .met_db(move |c| {
            let (_, gekozen) = match kies(c, &lijst_db.id, &gevraagd)? {
                Ok(x) => x,
                Err(naam) => return Ok(Err(naam)),
            };
            let opdracht = export::Opdracht {
                keuze: Keuze {
                    periodes: gekozen.clone(),
                    minimum,
                    vergelijk: Vergelijk::Opeenvolgend,
                },
                formaat,
                open_antwoorden: open,
            };
            let mut bytes = Vec::new();
            export::schrijf(c, &lijst_db, &opdracht, &mut bytes)?;
            let gebeurtenis = Gebeurtenis::Export {
                vragenlijst: lijst_db.id.clone(),
                formaat: formaat.id(),
                periodes: gekozen.clone(),
                open_antwoorden: open,
            };
            audit::schrijf(c, &wie, &gebeurtenis)?;
            Ok(Ok((gekozen, bytes)))
        })
        .await?
        .map_err(Error::OnbekendePeriode)?;
    let bestand = format!(
        "{}-{}{}.{}",
        lijst.id,
        match gekozen.as_slice() {
            [] => "geen".to_string(),
            [een] => een.clone(),
            [eerste, .., laatste] => format!("{eerste}-tot-{laatste}"),
        },
        match formaat {
            export::Formaat::Ruw => "-ruw",
            export::Formaat::CsvNl => "-excel",
            _ => "",
        },
        formaat.extensie()
    );
    Ok(download(formaat.content_type(), &bestand, bytes))
}

/// A file to save, never cached. `bestand` holds only ids and period names (checked
/// characters), so it needs no quoting beyond the quotes.
fn download(content_type: &'static str, bestand: &str, bytes: Vec<u8>) -> Response {
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let veilig: String = bestand
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{veilig}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_read_once_in_order() {
        let velden = antwoord::decodeer(b"periode=b&x=1&periode=a&periode=b&periode=+").velden;
        assert_eq!(gevraagde_periodes(velden.iter()), ["b", "a"]);
    }
}
