//! Results for the care team: the report of one questionnaire over the chosen periods, the open
//! answers of one period, and export downloads (audited). The numbers come from
//! [`crate::rapport`], which already hides every group below the minimum; the HTML is in
//! [`super::resultaatpaginas`].

use axum::Extension;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Aangemeld, Velden, onbeschikbaar, probleem, resultaatpaginas};
use crate::domain::antwoord;
use crate::domain::vragenlijst::Vragenlijst;
use crate::rapport::{self, Keuze, Vergelijk, export};
use crate::storage::OpslagFout;
use crate::storage::audit::{self, Gebeurtenis};
use crate::web::{AppState, html_antwoord};

/// The questionnaire in the path, or a Dutch 404 page.
fn lijst<'a>(
    state: &'a AppState,
    pad: &Result<Path<String>, PathRejection>,
) -> Result<&'a Vragenlijst, Box<Response>> {
    pad.as_ref()
        .ok()
        .and_then(|Path(id)| state.vragenlijsten.get(id))
        .ok_or_else(|| {
            Box::new(probleem(
                state,
                StatusCode::NOT_FOUND,
                "Deze vragenlijst bestaat niet",
                "Ga terug naar het overzicht en kies een vragenlijst uit de lijst.",
            ))
        })
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

fn onbekende_periode(state: &AppState, naam: &str) -> Response {
    probleem(
        state,
        StatusCode::BAD_REQUEST,
        "Deze periode bestaat niet",
        &format!("Er is geen periode „{naam}”. Ga terug en kies een periode uit de lijst."),
    )
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
) -> Response {
    let lijst = match lijst(&state, &pad) {
        Ok(l) => l.clone(),
        Err(r) => return *r,
    };
    let gevraagd = gevraagde_periodes(query_velden(query.as_deref()).iter());
    let minimum = state.beheer.minimum;
    let lijst_db = lijst.clone();
    let uitkomst = state
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
        .await;
    match uitkomst {
        Ok(Ok((alle, r))) => html_antwoord(
            StatusCode::OK,
            resultaatpaginas::resultaten(&state.opmaak, &a, &lijst, &alle, r.as_ref()),
        ),
        Ok(Err(naam)) => onbekende_periode(&state, &naam),
        Err(e) => onbeschikbaar(&state, &e),
    }
}

/// `GET /beheer/open-antwoorden/{vragenlijst}?periode=…` (default: the newest period).
pub async fn open_antwoorden(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Response {
    let lijst = match lijst(&state, &pad) {
        Ok(l) => l.clone(),
        Err(r) => return *r,
    };
    let gevraagd: Vec<String> = gevraagde_periodes(query_velden(query.as_deref()).iter())
        .into_iter()
        .take(1)
        .collect();
    let minimum = state.beheer.minimum;
    let lijst_db = lijst.clone();
    let uitkomst = state
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
        .await;
    match uitkomst {
        Ok(Ok((alle, gekozen))) => html_antwoord(
            StatusCode::OK,
            resultaatpaginas::open_antwoorden(
                &state.opmaak,
                &a,
                &lijst,
                &alle,
                gekozen.as_ref().map(|(p, v)| (p.as_str(), v)),
                minimum,
            ),
        ),
        Ok(Err(naam)) => onbekende_periode(&state, &naam),
        Err(e) => onbeschikbaar(&state, &e),
    }
}

/// `POST /beheer/export/{vragenlijst}` with `formaat`, `periode`… and (raw only) `open=ja`.
pub async fn export(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<Velden>,
    pad: Result<Path<String>, PathRejection>,
) -> Response {
    let lijst = match lijst(&state, &pad) {
        Ok(l) => l.clone(),
        Err(r) => return *r,
    };
    let Some(formaat) = v.get("formaat").and_then(export::Formaat::parse) else {
        return probleem(
            &state,
            StatusCode::BAD_REQUEST,
            "Kies een soort bestand",
            "Ga terug en kies hoe je de resultaten wilt downloaden, bijvoorbeeld als Excel-bestand.",
        );
    };
    let open = v.get("open") == Some("ja");
    if open && formaat != export::Formaat::Ruw {
        return probleem(
            &state,
            StatusCode::BAD_REQUEST,
            "Open antwoorden alleen bij de ruwe antwoorden",
            "Open antwoorden kunnen namen bevatten. Ze gaan alleen mee in het bestand met ruwe antwoorden. Ga terug en kies dat bestand, of vink de open antwoorden uit.",
        );
    }
    let gevraagd = gevraagde_periodes(v.0.velden.iter());
    let minimum = state.beheer.minimum;
    let wie = a.naam.clone();
    let lijst_db = lijst.clone();
    let uitkomst = state
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
            let detail = format!(
                "{} {} periodes {}{}",
                lijst_db.id,
                formaat.id(),
                if gekozen.is_empty() {
                    "(geen)".to_string()
                } else {
                    gekozen.join(",")
                },
                if open { " met open antwoorden" } else { "" }
            );
            audit::schrijf(c, &wie, Gebeurtenis::Export, &detail)?;
            Ok(Ok((gekozen, bytes)))
        })
        .await;
    match uitkomst {
        Ok(Ok((gekozen, bytes))) => {
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
            download(formaat.content_type(), &bestand, bytes)
        }
        Ok(Err(naam)) => onbekende_periode(&state, &naam),
        Err(e) => onbeschikbaar(&state, &e),
    }
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
