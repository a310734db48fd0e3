//! The group dashboard at `<group>/groep/beheer/`: for the accounts of the group's own file
//! (role `groep`, `storage::groep`), every school's results and the whole group's, per
//! questionnaire and released period.
//!
//! It is a dashboard like a school's: its own [`AppState`] (built by [`state`] from the
//! group's file, with no questionnaires, site or recordings), so logging in and out, sessions,
//! form tokens, the login throttle, argon2 and the audit log are the schools' code
//! ([`super::aanmelden`], [`super::poort`]). Its routes are only those in [`ROUTES`]; a school's
//! routes do not exist here, and a group session is unknown in every school's file (and
//! named as the group's in its cookie, so a school answers it with its 403 for a session of
//! another school, [`super::sessie`]).
//!
//! The numbers come from [`crate::rapport::groep`]: counts per school, merged, built into
//! reports by the school report's own code. The schools are reached through [`Bronnen`]
//! (database paths and questionnaires only: no school state, so nothing here keeps a school's
//! writer alive at shutdown, and no school's own reader is held while the group counts).

use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::middleware;
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
use axum::{Extension, Router};
use rusqlite::Connection;

use crate::storage::opslag::Opslag;
use crate::storage::pg::Moment;
use crate::storage::vrijgave::{PeriodeStaat, Vrijgegeven};
use crate::storage::{RijBron, VraagRij};
use serde::Serialize;

use super::pages::{VerschilView, interval_tekst};
use super::{Aangemeld, Error, Toegang, aanmelden, naar, pagina, poort};
use crate::domain::gebruiker::Rol;
use crate::domain::vragenlijst::{Categorie, Vragenlijsten};
use crate::domain::vrijgave::MinimumGroep;
use crate::rapport::groep::{Groepstelling, SchoolBron};
use crate::rapport::{Cel, Rapport, Vrijgave};
use crate::storage::OpslagFout;
use crate::web::AppState;

/// One school as the group level reads it.
pub struct Bron {
    pub id: String,
    /// The school's name (`[school] naam`).
    pub naam: String,
    /// The school's database file: the group level opens its own query-only connections,
    /// so counting many schools never holds a school's own reader (its survey pages).
    pub db: std::path::PathBuf,
    /// The school's storage: on PostgreSQL the group reads a snapshot of the school's schema
    /// through it ([`crate::storage::pg::Moment`]); on SQLite `db` above is used.
    pub opslag: crate::storage::opslag::Opslag,
    pub vragenlijsten: Arc<Vragenlijsten>,
}

/// Every school of the group, in the order of `groep.toml`.
pub type Bronnen = Arc<Vec<Bron>>;

/// A school's place in its group: every school's readers, and which one is this school.
pub struct Plaats {
    pub bronnen: Bronnen,
    pub index: usize,
}

/// The group dashboard's state: its own dashboard state and the schools' readers.
#[derive(Clone)]
pub struct GroepStaat {
    pub app: AppState,
    pub bronnen: Bronnen,
}

impl FromRef<GroepStaat> for AppState {
    fn from_ref(g: &GroepStaat) -> AppState {
        g.app.clone()
    }
}

const GROEP: Toegang = Toegang::Rol(Rol::Groep);

/// The group dashboard's routes (under `<group>/groep`).
pub const ROUTES: &[(&str, Toegang)] = &[
    ("/beheer/login", Toegang::Publiek),
    ("/beheer/afmelden", GROEP),
    ("/beheer/", GROEP),
    ("/beheer/export/{vragenlijst}", GROEP),
];

/// The router of the group dashboard, gated like a school's dashboard.
pub fn router(g: GroepStaat) -> Router {
    let gate = |t: Toegang| middleware::from_fn_with_state((g.app.clone(), t), poort);
    let route = |m: MethodRouter<GroepStaat>, t: Toegang| m.layer(gate(t));
    Router::new()
        .route(
            "/beheer/login",
            route(
                get(aanmelden::toon).post(aanmelden::meld_aan),
                Toegang::Publiek,
            ),
        )
        .route("/beheer/afmelden", route(post(aanmelden::meld_af), GROEP))
        .route("/beheer/", route(get(overzicht), GROEP))
        .route("/beheer/export/{vragenlijst}", route(post(export), GROEP))
        .route("/beheer", get(naar_overzicht))
        .route("/", get(naar_overzicht))
        .with_state(g)
}

async fn naar_overzicht(State(app): State<AppState>) -> Response {
    naar(&app, "/beheer/")
}

/// The group overview: per questionnaire, per released period, every school and the group.
pub async fn overzicht(
    State(g): State<GroepStaat>,
    Extension(a): Extension<Aangemeld>,
) -> Result<Response, Error> {
    let bronnen = g.bronnen.clone();
    let min = g.app.beheer.minimum;
    let tellingen = tokio::task::spawn_blocking(move || tel_alles(&bronnen, min))
        .await
        .map_err(|e| OpslagFout::Databank(format!("leestaak mislukt ({e})")))??;
    let r = &g.app.renderer;
    let lijsten = tellingen
        .iter()
        .map(|(scholen, t)| LijstView::new(r, &g.bronnen, scholen, t))
        .collect();
    use crate::rapport::export::Formaat;
    let page = GroepPage {
        lijsten,
        minimum: min.get(),
        scholen: g.bronnen.len(),
        // The summaries only: the raw export is a school's own.
        formaten: [Formaat::CsvNl, Formaat::Xlsx, Formaat::Csv, Formaat::Json]
            .iter()
            .map(|f| f.id())
            .collect(),
    };
    Ok(pagina(
        &g.app,
        &a,
        "overzicht",
        crate::web::render::BEHEER_GROEP,
        page,
    ))
}

/// `POST /beheer/export/{vragenlijst}`: the whole group's report (every school's released
/// answers merged, every period) as csv, csv-nl, xlsx or json, written by the schools' export
/// code ([`crate::rapport::export::schrijf_rapport`]); never the raw export, which is a
/// school's own. Logged in the group's audit log.
pub async fn export(
    State(g): State<GroepStaat>,
    Extension(a): Extension<Aangemeld>,
    Extension(v): Extension<super::Velden>,
    pad: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, Error> {
    use crate::rapport::export::Formaat;
    let axum::extract::Path(id) =
        pad.map_err(|_| Error::OnbekendeVragenlijst { in_adres: true })?;
    let formaat = v
        .get("formaat")
        .and_then(Formaat::parse)
        .filter(|f| *f != Formaat::Ruw)
        .ok_or(Error::GeenFormaat)?;
    let bronnen = g.bronnen.clone();
    let min = g.app.beheer.minimum;
    let lijst_id = id.clone();
    let gevonden = tokio::task::spawn_blocking(move || {
        let scholen: Vec<usize> = (0..bronnen.len())
            .filter(|&i| bronnen[i].vragenlijsten.0.contains_key(&lijst_id))
            .collect();
        if scholen.is_empty() {
            return Ok(None);
        }
        let rapport = tel_lijst(&bronnen, &scholen, &lijst_id, min)?.rapport(|_| true);
        let mut bytes = Vec::new();
        crate::rapport::export::schrijf_rapport(&rapport, formaat, &mut bytes)?;
        let periodes: Vec<String> = rapport
            .periodes
            .iter()
            .filter(|p| p.vrijgave == Vrijgave::Vrijgegeven)
            .map(|p| p.naam.clone())
            .collect();
        Ok::<_, OpslagFout>(Some((periodes, bytes)))
    })
    .await
    .map_err(|e| OpslagFout::Databank(format!("leestaak mislukt ({e})")))??;
    let (periodes, bytes) = gevonden.ok_or(Error::OnbekendeVragenlijst { in_adres: true })?;
    let wie = a.naam.clone();
    let gebeurtenis = crate::storage::audit::Gebeurtenis::Export {
        vragenlijst: id.clone(),
        formaat: formaat.id(),
        periodes,
        open_antwoorden: false,
    };
    g.app.opslag.audit(&wie, &gebeurtenis).await?;
    let bestand = format!("{id}-groep.{}", formaat.extensie());
    Ok(super::resultaten::download(
        formaat.content_type(),
        &bestand,
        bytes,
    ))
}

/// Counts every questionnaire that any school has, at every school that has it: per
/// questionnaire the indexes (in `bronnen`) of those schools and their counts.
pub fn tel_alles(
    bronnen: &[Bron],
    min: MinimumGroep,
) -> Result<Vec<(Vec<usize>, Groepstelling)>, OpslagFout> {
    let mut ids: Vec<&str> = bronnen.iter().flat_map(|b| b.vragenlijsten.ids()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut uit = Vec::new();
    for id in ids {
        let scholen: Vec<usize> = (0..bronnen.len())
            .filter(|&i| bronnen[i].vragenlijsten.0.contains_key(id))
            .collect();
        uit.push((scholen.clone(), tel_lijst(bronnen, &scholen, id, min)?));
    }
    Ok(uit)
}

/// Counts questionnaire `id` at the schools `scholen` (indexes in `bronnen`), each from one
/// snapshot of its own: on SQLite a query-only connection opened for this count (a few per
/// request; SQLite's WAL lets them read beside the school's writer), in one read transaction;
/// on PostgreSQL a read-only `REPEATABLE READ` moment of the school's schema. Runs on a
/// blocking thread of the runtime.
pub fn tel_lijst(
    bronnen: &[Bron],
    scholen: &[usize],
    id: &str,
    min: MinimumGroep,
) -> Result<Groepstelling, OpslagFout> {
    let mut conns: Vec<Option<Connection>> = Vec::with_capacity(scholen.len());
    for &i in scholen {
        conns.push(match &bronnen[i].opslag {
            Opslag::Postgres(_) => None,
            Opslag::Sqlite(_) => Some(crate::storage::open_lezer(&bronnen[i].db)?),
        });
    }
    let mut lezers: Vec<SchoolLezer<'_>> = Vec::with_capacity(scholen.len());
    for (&i, conn) in scholen.iter().zip(&conns) {
        lezers.push(match (&bronnen[i].opslag, conn) {
            (Opslag::Postgres(p), _) => {
                let runtime = tokio::runtime::Handle::try_current().map_err(|e| {
                    OpslagFout::Databank(format!("geen runtime voor PostgreSQL ({e})"))
                })?;
                SchoolLezer::Postgres(Box::new(p.moment(runtime)?))
            }
            (Opslag::Sqlite(_), Some(c)) => SchoolLezer::Sqlite(c.unchecked_transaction()?),
            (Opslag::Sqlite(_), None) => unreachable!("opened above"),
        });
    }
    let telling = {
        let mut bron: Vec<SchoolBron<'_>> = scholen
            .iter()
            .zip(lezers.iter_mut())
            .filter_map(|(&i, bron)| {
                Some(SchoolBron {
                    bron,
                    lijst: bronnen[i].vragenlijsten.0.get(id)?,
                })
            })
            .collect();
        crate::rapport::groep::tel(&mut bron, min)?
    };
    for lezer in lezers {
        if let SchoolLezer::Postgres(m) = lezer {
            (*m).sluit()?;
        }
    }
    Ok(telling)
}

/// One school's snapshot for the group count, on either engine.
enum SchoolLezer<'c> {
    Sqlite(rusqlite::Transaction<'c>),
    Postgres(Box<Moment>),
}

impl RijBron for SchoolLezer<'_> {
    fn lees(
        &mut self,
        vragenlijst: &str,
        rij: &mut dyn FnMut(&str, &str, &[u8]) -> bool,
    ) -> Result<(), OpslagFout> {
        match self {
            SchoolLezer::Sqlite(t) => (&mut &**t as &mut dyn RijBron).lees(vragenlijst, rij),
            SchoolLezer::Postgres(m) => m.lees(vragenlijst, rij),
        }
    }

    fn staten(&mut self, vragenlijst: &str) -> Result<Vec<PeriodeStaat>, OpslagFout> {
        match self {
            SchoolLezer::Sqlite(t) => (&mut &**t as &mut dyn RijBron).staten(vragenlijst),
            SchoolLezer::Postgres(m) => RijBron::staten(&mut **m, vragenlijst),
        }
    }

    fn vragen(&mut self, vragenlijst: &str) -> Result<Vec<VraagRij>, OpslagFout> {
        match self {
            SchoolLezer::Sqlite(t) => (&mut &**t as &mut dyn RijBron).vragen(vragenlijst),
            SchoolLezer::Postgres(m) => m.vragen(vragenlijst),
        }
    }

    fn lees_periode(
        &mut self,
        vragenlijst: &str,
        periode: &Vrijgegeven,
        rij: &mut dyn FnMut(&str, &str) -> bool,
    ) -> Result<(), OpslagFout> {
        match self {
            SchoolLezer::Sqlite(t) => {
                (&mut &**t as &mut dyn RijBron).lees_periode(vragenlijst, periode, rij)
            }
            SchoolLezer::Postgres(m) => m.lees_periode(vragenlijst, periode, rij),
        }
    }
}

/// `beheer/groep.html`.
#[derive(Debug, Serialize)]
pub struct GroepPage {
    pub lijsten: Vec<LijstView>,
    pub minimum: u32,
    pub scholen: usize,
    /// The export formats offered (`beheer.resultaten.formaat.<id>`).
    pub formaten: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct LijstView {
    pub id: String,
    pub titel: String,
    pub categorieen: Vec<&'static str>,
    /// Released periods only (at one school at least).
    pub periodes: Vec<PeriodeView>,
    /// The whole group, per category: its changes between consecutive released periods.
    pub verschillen: Vec<CategorieVerschillen>,
}

#[derive(Debug, Serialize)]
pub struct CategorieVerschillen {
    pub categorie: &'static str,
    pub verschillen: Vec<VerschilView>,
}

#[derive(Debug, Serialize)]
pub struct PeriodeView {
    pub naam: String,
    pub rijen: Vec<RijView>,
}

/// One school, or the whole group, in one period.
#[derive(Debug, Serialize)]
pub struct RijView {
    pub naam: String,
    pub geheel: bool,
    /// Respondents; `None` when hidden (see `vrijgegeven`).
    pub antwoorden: Option<u64>,
    /// The period is released at this school.
    pub vrijgegeven: bool,
    /// Per category: "62 % (48 % tot 74 %)", or `None` when hidden.
    pub cellen: Vec<Option<String>>,
}

impl LijstView {
    fn new(
        r: &crate::web::render::Renderer,
        bronnen: &[Bron],
        scholen: &[usize],
        t: &Groepstelling,
    ) -> LijstView {
        let geheel = t.rapport(|_| true);
        let per_school: Vec<(String, Rapport)> = scholen
            .iter()
            .enumerate()
            .map(|(k, &i)| (bronnen[i].naam.clone(), t.rapport(|j| j == k)))
            .collect();
        let rij = |naam: &str, rapport: &Rapport, p: usize, is_geheel: bool| {
            let periode = &rapport.periodes[p];
            RijView {
                naam: naam.to_string(),
                geheel: is_geheel,
                antwoorden: periode.deelname.zichtbaar().map(|d| d.respondenten),
                vrijgegeven: periode.vrijgave == Vrijgave::Vrijgegeven,
                cellen: rapport
                    .categorieen
                    .iter()
                    .map(|c| match &c.per_periode[p] {
                        Cel::Zichtbaar(s) => Some(format!(
                            "{} ({})",
                            zorgsite::render::grafiek::procent(s.aandeel_eens),
                            interval_tekst(r, Some(s.aandeel_eens_interval), true)
                        )),
                        Cel::Verborgen => None,
                    })
                    .collect(),
            }
        };
        let periodes = (0..geheel.periodes.len())
            .filter(|&p| geheel.periodes[p].vrijgave == Vrijgave::Vrijgegeven)
            .map(|p| {
                let mut rijen: Vec<RijView> = per_school
                    .iter()
                    .map(|(naam, rapport)| rij(naam, rapport, p, false))
                    .collect();
                rijen.push(rij(&r.tekst("beheer.groep.geheel", &[]), &geheel, p, true));
                PeriodeView {
                    naam: geheel.periodes[p].naam.clone(),
                    rijen,
                }
            })
            .collect();
        LijstView {
            id: geheel.vragenlijst.clone(),
            titel: geheel.titel.clone(),
            categorieen: Categorie::ALLE.iter().map(|c| c.id()).collect(),
            periodes,
            verschillen: geheel
                .categorieen
                .iter()
                .filter(|_| !geheel.paren.is_empty())
                .map(|c| CategorieVerschillen {
                    categorie: c.categorie.id(),
                    verschillen: VerschilView::lijst(&geheel, &c.verschillen),
                })
                .collect(),
        }
    }
}

/// "Our school beside the rest of the group" on a school's results page, for the newest
/// period of questionnaire `id` that this school released: per category the school's share
/// agreeing and the rest's (every other school merged), or why the rest is not shown (fewer
/// than [`crate::rapport::groep::MINIMUM_ANDERE_SCHOLEN`] other schools with results of their
/// own in that period). `None`: the school released no period of it.
pub fn naast_de_rest(
    r: &crate::web::render::Renderer,
    plaats: &Plaats,
    id: &str,
    min: MinimumGroep,
) -> Result<Option<NaastView>, OpslagFout> {
    let bronnen = &plaats.bronnen;
    let scholen: Vec<usize> = (0..bronnen.len())
        .filter(|&i| bronnen[i].vragenlijsten.0.contains_key(id))
        .collect();
    let Some(zelf) = scholen.iter().position(|&i| i == plaats.index) else {
        return Ok(None);
    };
    let t = tel_lijst(bronnen, &scholen, id, min)?;
    let eigen = t.rapport(|i| i == zelf);
    let Some(p) = (0..eigen.periodes.len())
        .rev()
        .find(|&p| eigen.periodes[p].vrijgave == Vrijgave::Vrijgegeven)
    else {
        return Ok(None);
    };
    let cel = |rapport: &Rapport, c: usize| match &rapport.categorieen[c].per_periode[p] {
        Cel::Zichtbaar(s) => Some(format!(
            "{} ({})",
            zorgsite::render::grafiek::procent(s.aandeel_eens),
            interval_tekst(r, Some(s.aandeel_eens_interval), true)
        )),
        Cel::Verborgen => None,
    };
    let periode = eigen.periodes[p].naam.clone();
    Ok(Some(
        match crate::rapport::groep::naast_de_rest(&t, zelf, p) {
            Err(reden) => NaastView {
                periode,
                reden: Some(reden),
                rijen: Vec::new(),
                rest_antwoorden: None,
            },
            Ok(rest) => {
                // Our school against the rest, per category: one family, so its verdicts get
                // the same Benjamini–Hochberg step as a comparison of two periods.
                let groepen: Vec<_> = (0..Categorie::ALLE.len())
                    .map(|c| {
                        match (
                            &rest.categorieen[c].per_periode[p],
                            &eigen.categorieen[c].per_periode[p],
                        ) {
                            (Cel::Zichtbaar(r), Cel::Zichtbaar(e)) => Ok((r.groep, e.groep)),
                            _ => Err(crate::rapport::Reden::TeWeinig),
                        }
                    })
                    .collect();
                let verschillen = crate::rapport::vergelijk(&groepen);
                NaastView {
                    periode,
                    reden: None,
                    rest_antwoorden: rest.periodes[p]
                        .deelname
                        .zichtbaar()
                        .map(|d| d.respondenten),
                    rijen: Categorie::ALLE
                        .iter()
                        .enumerate()
                        .map(|(c, cat)| NaastRij {
                            categorie: cat.id(),
                            school: cel(&eigen, c),
                            rest: cel(&rest, c),
                            verschil: VerschilView::new("", "", &verschillen[c]),
                        })
                        .collect(),
                }
            }
        },
    ))
}

/// The results page's "beside the rest of the group" (`pagina.naast`).
#[derive(Debug, Serialize)]
pub struct NaastView {
    pub periode: String,
    /// Why the rest is not shown (a Dutch sentence); then `rijen` is empty.
    pub reden: Option<String>,
    pub rest_antwoorden: Option<u64>,
    pub rijen: Vec<NaastRij>,
}

#[derive(Debug, Serialize)]
pub struct NaastRij {
    pub categorie: &'static str,
    /// "62 % (48 % tot 74 %)", `None` when hidden.
    pub school: Option<String>,
    pub rest: Option<String>,
    /// Our school minus the rest: the difference with its 95 % interval and its verdict.
    pub verschil: VerschilView,
}

#[cfg(test)]
mod tests;
