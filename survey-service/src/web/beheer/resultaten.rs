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

use super::pages::{
    LijstNaam, OpenAntwoordenPage, PerspectiefRij, PerspectievenPage, ResultatenPage,
    VergelijkKeuze, VerslagPage, VraagPage,
};
use super::{Aangemeld, Error, Velden, pagina};
use crate::domain::antwoord;
use crate::domain::vragenlijst::Vragenlijst;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::matrix::Sortering;
use crate::rapport::{self, Keuze, Vergelijk, export};
use crate::storage::audit::Gebeurtenis;
use crate::storage::{OpslagFout, RijBron};
use crate::web::AppState;
use crate::web::render::{
    BEHEER_OPEN_ANTWOORDEN, BEHEER_PERSPECTIEVEN, BEHEER_RESULTATEN, BEHEER_VERSLAG, BEHEER_VRAAG,
};

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
    bron: &mut dyn RijBron,
    vragenlijst: &str,
    gevraagd: &[String],
) -> Result<Result<Periodes, String>, OpslagFout> {
    let alle: Vec<String> = rapport::periodes_uit(bron, vragenlijst)?
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

/// What a query value keeps as it is: period names are letters, digits, `-`, `_` and `.`.
const IN_QUERY: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// What the results page was asked to show: periods, comparison and order.
#[derive(Debug, Default, PartialEq)]
struct Weergave {
    periodes: Vec<String>,
    /// `vergelijk=paar` with `van` and `naar`.
    paar: Option<(String, String)>,
    /// `vergelijk=paar` with a period missing (the form is shown again with the choice).
    paar_half: (Option<String>, Option<String>),
    sortering: Sortering,
}

impl Weergave {
    fn lees(velden: &[(String, String)]) -> Weergave {
        let veld = |naam: &str| {
            velden
                .iter()
                .find(|(k, v)| k == naam && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
        };
        let mut periodes = gevraagde_periodes(velden.iter());
        let (van, naar) = (veld("van"), veld("naar"));
        let paar = match (veld("vergelijk").as_deref(), &van, &naar) {
            (Some("paar"), Some(v), Some(n)) => {
                // Both periods of the pair are shown, whatever else is ticked.
                if !periodes.is_empty() {
                    for p in [v, n] {
                        if !periodes.contains(p) {
                            periodes.push(p.clone());
                        }
                    }
                }
                Some((v.clone(), n.clone()))
            }
            _ => None,
        };
        Weergave {
            periodes,
            paar,
            paar_half: (van, naar),
            sortering: veld("sorteer").map_or_else(Sortering::default, |s| Sortering::parse(&s)),
        }
    }

    /// The query string without the order, for the sort links.
    fn query(&self) -> String {
        let enc = |s: &str| utf8_percent_encode(s, IN_QUERY).to_string();
        let mut delen: Vec<String> = self
            .periodes
            .iter()
            .map(|p| format!("periode={}", enc(p)))
            .collect();
        if let Some((v, n)) = &self.paar {
            delen.push(format!("vergelijk=paar&van={}&naar={}", enc(v), enc(n)));
        }
        delen.join("&")
    }
}

/// The known periods and the report for what the page was asked to show (`None`: the
/// questionnaire has no periods yet).
async fn rapport_voor(
    state: &AppState,
    lijst: &Vragenlijst,
    weergave: &Weergave,
) -> Result<(Vec<String>, Option<rapport::Rapport>), Error> {
    if let Some((v, n)) = &weergave.paar
        && v == n
    {
        return Err(Error::ZelfdePeriode(v.clone()));
    }
    let minimum = state.beheer.minimum;
    let lijst_db = lijst.clone();
    let gevraagd = weergave.periodes.clone();
    let paar = weergave.paar.clone();
    // The period check and the report read one snapshot of either engine.
    let (alle, rapport) = state
        .opslag
        .lees_moment(move |c| {
            if let Some((v, n)) = &paar {
                // The pair's periods are checked like every named period (`Weergave::lees`
                // added them to a non-empty choice; no choice is every period).
                if let Err(naam) = kies(c, &lijst_db.id, &[v.clone(), n.clone()])? {
                    return Ok(Err(naam));
                }
            }
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
                vergelijk: match paar {
                    Some((v, n)) => Vergelijk::Paar(v, n),
                    None => Vergelijk::Opeenvolgend,
                },
            };
            Ok(Ok((alle, Some(rapport::maak_uit(c, &lijst_db, &keuze)?))))
        })
        .await?
        .map_err(Error::OnbekendePeriode)?;
    Ok((alle, rapport))
}

/// The questionnaire in the address, the view its query asks for, every period name and the
/// report (see [`rapport_voor`]).
async fn gevraagd(
    state: &AppState,
    pad: &Result<Path<String>, PathRejection>,
    query: Option<&str>,
) -> Result<(Vragenlijst, Weergave, Vec<String>, Option<rapport::Rapport>), Error> {
    let lijst = lijst(state, pad)?.clone();
    let weergave = Weergave::lees(&query_velden(query));
    let (alle, rapport) = rapport_voor(state, &lijst, &weergave).await?;
    Ok((lijst, weergave, alle, rapport))
}

/// `GET /beheer/resultaten/{vragenlijst}?periode=…&periode=…[&vergelijk=paar&van=…&naar=…]
/// [&sorteer=verandering|score]`
pub async fn toon(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let (lijst, weergave, alle, rapport) = gevraagd(&state, &pad, query.as_deref()).await?;
    let vergelijk = VergelijkKeuze {
        paar: weergave.paar.is_some(),
        van: weergave.paar_half.0.clone(),
        naar: weergave.paar_half.1.clone(),
    };
    let page = ResultatenPage::new(
        &state.renderer,
        &lijst,
        &alle,
        rapport.as_ref(),
        weergave.sortering,
        weergave.query(),
        vergelijk,
    );
    // In a group: the school beside the rest of the group (never beside one other school).
    let naast = match state.groep.get() {
        Some(_) => {
            let s = state.clone();
            let id = lijst.id.clone();
            tokio::task::spawn_blocking(move || {
                let plaats = s.groep.get().expect("checked above");
                super::groep::naast_de_rest(&s.renderer, plaats, &id, s.beheer.minimum)
            })
            .await
            .map_err(|e| OpslagFout::Databank(format!("leestaak mislukt ({e})")))??
        }
        None => None,
    };
    let page = MetGroep { page, naast };
    Ok(pagina(&state, &a, "", BEHEER_RESULTATEN, page))
}

/// The results page, with "our school beside the rest of the group" in a group.
#[derive(serde::Serialize)]
struct MetGroep<P: serde::Serialize> {
    #[serde(flatten)]
    page: P,
    naast: Option<super::groep::NaastView>,
}

/// `GET /beheer/resultaten/{vragenlijst}/vraag/{vraag}` with the results page's query: every
/// number of one item (opened from a row of the summary).
pub async fn vraag(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    pad: Result<Path<(String, String)>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let (id, vraag) = pad
        .map(|Path(p)| p)
        .map_err(|_| Error::OnbekendeVragenlijst { in_adres: true })?;
    let lijst = state
        .vragenlijsten
        .get(&id)
        .cloned()
        .ok_or(Error::OnbekendeVragenlijst { in_adres: true })?;
    let weergave = Weergave::lees(&query_velden(query.as_deref()));
    let (_, rapport) = rapport_voor(&state, &lijst, &weergave).await?;
    let page = rapport
        .as_ref()
        .and_then(|r| VraagPage::new(&state.renderer, &lijst, r, &vraag, weergave.query()))
        .ok_or(Error::OnbekendeVraag)?;
    Ok(pagina(&state, &a, "", BEHEER_VRAAG, page))
}

/// `GET /beheer/verslag/{vragenlijst}` with the results page's query: the meeting report, a
/// page the staff member's own browser prints on A4 (the service never starts a browser).
pub async fn verslag(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let (lijst, weergave, _, rapport) = gevraagd(&state, &pad, query.as_deref()).await?;
    let page = VerslagPage::new(
        &state.renderer,
        &lijst,
        rapport.as_ref(),
        state.acties.get(&lijst.id),
        weergave.query(),
    );
    Ok(pagina(&state, &a, "", BEHEER_VERSLAG, page))
}

/// `GET /beheer/perspectieven?van=<vragenlijst>&naar=<vragenlijst>&periode=…`: two
/// questionnaires side by side on the items they share, in one period both have (default: the
/// first two questionnaires, the newest shared period).
pub async fn perspectieven(
    State(state): State<AppState>,
    Extension(a): Extension<Aangemeld>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let velden = query_velden(query.as_deref());
    let veld = |naam: &str| {
        velden
            .iter()
            .find(|(k, v)| k == naam && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    };
    let lijsten: Vec<&Vragenlijst> = state.vragenlijsten.0.values().collect();
    let zoek = |id: Option<String>, behalve: Option<&str>| -> Result<Option<Vragenlijst>, Error> {
        match id {
            Some(id) => state
                .vragenlijsten
                .get(&id)
                .cloned()
                .map(Some)
                .ok_or(Error::OnbekendeVragenlijst { in_adres: false }),
            None => Ok(lijsten
                .iter()
                .find(|l| Some(l.id.as_str()) != behalve)
                .map(|l| (*l).clone())),
        }
    };
    let van = zoek(veld("van"), None)?;
    let naar = zoek(veld("naar"), van.as_ref().map(|l| l.id.as_str()))?;
    let minimum = state.beheer.minimum;
    let gevraagd = veld("periode");
    let mut page = PerspectievenPage {
        vragenlijsten: lijsten.iter().map(|l| LijstNaam::van(l)).collect(),
        van: van.as_ref().map(LijstNaam::van),
        naar: naar.as_ref().map(LijstNaam::van),
        periodes: Vec::new(),
        periode: None,
        minimum: minimum.get(),
        rijen: Vec::new(),
    };
    if let (Some(van), Some(naar)) = (van, naar)
        && van.id != naar.id
    {
        let (periodes, gedeeld) = state
            .opslag
            .lees_moment(move |c| {
                let mut namen = |id: &str| -> Result<Vec<String>, OpslagFout> {
                    Ok(rapport::periodes_uit(c, id)?
                        .into_iter()
                        .map(|(n, _)| n)
                        .collect())
                };
                let andere = namen(&naar.id)?;
                let samen: Vec<String> = namen(&van.id)?
                    .into_iter()
                    .filter(|p| andere.contains(p))
                    .collect();
                let periode = match gevraagd {
                    Some(p) if !samen.contains(&p) => return Ok(Err(p)),
                    Some(p) => Some(p),
                    None => samen.last().cloned(),
                };
                let Some(periode) = periode else {
                    return Ok(Ok((samen, None)));
                };
                let keuze = Keuze {
                    periodes: vec![periode.clone()],
                    minimum,
                    vergelijk: Vergelijk::Opeenvolgend,
                };
                let rv = rapport::maak_uit(c, &van, &keuze)?;
                let rn = rapport::maak_uit(c, &naar, &keuze)?;
                let gedeeld = rapport::perspectief::vergelijk(&rv, 0, &rn, 0);
                Ok(Ok((samen, Some((periode, gedeeld)))))
            })
            .await?
            .map_err(Error::OnbekendePeriode)?;
        page.periodes = periodes;
        if let Some((periode, gedeeld)) = gedeeld {
            page.periode = Some(periode);
            page.rijen = gedeeld
                .iter()
                .map(|g| PerspectiefRij::new(&state.renderer, g))
                .collect();
        }
    }
    Ok(pagina(
        &state,
        &a,
        "perspectieven",
        BEHEER_PERSPECTIEVEN,
        page,
    ))
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
        .opslag
        .lees_moment(move |c| {
            let (alle, gekozen) = match kies(c, &lijst_db.id, &gevraagd)? {
                Ok(x) => x,
                Err(naam) => return Ok(Err(naam)),
            };
            let Some(periode) = gekozen.last().cloned() else {
                return Ok(Ok((alle, None)));
            };
            let vragen = rapport::open::open_antwoorden_uit(c, &lijst_db, &periode, minimum)?;
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
    // The export from one snapshot of either engine; then the audit line, before anything
    // leaves (no line, no download).
    let (gekozen, bytes) = state
        .opslag
        .lees_moment(move |c| {
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
            export::schrijf_uit(c, &lijst_db, &opdracht, &mut bytes)?;
            Ok(Ok((gekozen, bytes)))
        })
        .await?
        .map_err(Error::OnbekendePeriode)?;
    let gebeurtenis = Gebeurtenis::Export {
        vragenlijst: lijst.id.clone(),
        formaat: formaat.id(),
        periodes: gekozen.clone(),
        open_antwoorden: open,
    };
    state.opslag.audit(&wie, &gebeurtenis).await?;
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
pub(super) fn download(content_type: &'static str, bestand: &str, bytes: Vec<u8>) -> Response {
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

    #[test]
    fn a_chosen_pair_is_shown_and_kept_in_the_sort_links() {
        let lees = |q: &str| Weergave::lees(&antwoord::decodeer(q.as_bytes()).velden);
        let w = lees("periode=a&vergelijk=paar&van=b&naar=c&sorteer=score");
        assert_eq!(w.periodes, ["a", "b", "c"]);
        assert_eq!(w.paar, Some(("b".into(), "c".into())));
        assert_eq!(w.sortering, Sortering::Score);
        assert_eq!(
            w.query(),
            "periode=a&periode=b&periode=c&vergelijk=paar&van=b&naar=c"
        );
        // No periods ticked: every period, the pair among them.
        let w = lees("vergelijk=paar&van=b&naar=c");
        assert!(w.periodes.is_empty() && w.paar.is_some());
        // Half a pair, or "opeenvolgend": consecutive.
        assert_eq!(lees("vergelijk=paar&van=b").paar, None);
        assert_eq!(lees("vergelijk=opeenvolgend&van=b&naar=c").paar, None);
        assert_eq!(lees("periode=2025%262026").query(), "periode=2025%262026");
    }
}
