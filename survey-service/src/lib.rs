//! `zorgenquete`: anonymous parent and colleague surveys about a school's care, per period.
//!
//! The pipeline, one module per stage:
//! - [`domain`]: questionnaires (`content/enquetes/*.toml`), form answers, codes, channels and
//!   periods, parsed once at the edge;
//! - [`storage`]: the SQLite file, migrations, and the single group-committing writer;
//! - [`web`]: the axum router, handlers and middleware; every page is a template of the theme
//!   (`web::render`); [`site`] builds the public site served at `/` and loads those templates;
//! - [`brieven`]: printable letters with access codes; [`cli`]: the command line (staff
//!   accounts in `cli_gebruiker`).

// A `Diagnostic` (path, position, message, hint, source line) is larger than clippy likes in an
// `Err`, but errors are the cold path (as in `zorgsite`).
#![allow(clippy::result_large_err)]

pub mod brieven;
pub mod cli;
mod cli_gebruiker;
pub mod domain;
pub mod instellingen;
pub mod onderhoud;
pub mod papier;
pub mod rapport;
pub mod site;
pub mod storage;
pub mod telemetry;
pub mod web;

use std::sync::Arc;
use std::thread::JoinHandle;

use axum::Router;
use zorgsite::diagnostics::Diagnostic;

use domain::vragenlijst::{self, Vragenlijsten};
use instellingen::Instellingen;
use site::Site;
use storage::OpslagFout;
use storage::opslag::DbAdres;
use storage::schrijver::Schrijver;

/// Why the service could not start.
#[derive(Debug)]
pub enum StartFout {
    /// Problems in the school's files, with file:line:col.
    Bestanden(Vec<Diagnostic>),
    Opslag(OpslagFout),
}

impl From<OpslagFout> for StartFout {
    fn from(e: OpslagFout) -> Self {
        StartFout::Opslag(e)
    }
}

/// A ready service: the router to serve, and the writer thread to join after shutdown (it ends
/// once the router, and with it every handle to the writer, is dropped).
pub struct Dienst {
    pub router: Router,
    /// The school's state, weakly (the group level takes its reader and questionnaires from
    /// it while the router is alive): a strong handle kept past shutdown would keep the writer
    /// thread waiting for more, and `schrijver.join()` would never return.
    pub state: std::sync::Weak<web::Staat>,
    pub schrijver: JoinHandle<()>,
    /// Warnings to show at start-up (e.g. an item text changed without a new version).
    pub waarschuwingen: Vec<String>,
    /// The form-token key of this start: the submission benchmark makes one valid, single-use
    /// token per request with it (what a GET of the form would hand out) instead of fetching
    /// a form page each time.
    pub sleutel: web::csrf::FormSleutel,
}

/// Loads the questionnaires, builds the site (and with it the theme's templates), opens (and
/// migrates) the database and builds the router.
pub fn bereid_voor(inst: &Instellingen) -> Result<Dienst, StartFout> {
    let lijsten = vragenlijst::laad(&inst.root).map_err(StartFout::Bestanden)?;
    // Compressed once, here (brotli and gzip of every text file), never per request.
    let site = site::bouw_compressed(
        &inst.root,
        &inst.theme,
        inst.publieke_url.as_ref().map(|u| u.url.as_str()),
    )
    .map_err(StartFout::Bestanden)?;
    bereid_voor_met(inst, lijsten, site)
}

/// As [`bereid_voor`], with questionnaires and site already loaded (tests, benchmarks).
pub fn bereid_voor_met(
    inst: &Instellingen,
    lijsten: Vragenlijsten,
    site: Site,
) -> Result<Dienst, StartFout> {
    let privacy = site
        .bestanden
        .get(zorgsite::model::config::privacy::FILE)
        .map(|_| format!("{}/privacy/", inst.basis));
    let renderer = web::render::Renderer::new(site.templates, inst.basis.clone(), privacy)
        .map_err(StartFout::Bestanden)?;
    // The school's recordings: the same checks as `zorgsite check`; an error refuses the start.
    let opnames = zorgsite::model::opname::laad(
        &inst.root,
        &renderer.talen.codes(),
        lijsten.0.iter().map(|(id, l)| (id.as_str(), Some(l))),
    );
    if !opnames.fouten().is_empty() {
        return Err(StartFout::Bestanden(opnames.meldingen));
    }
    if !opnames.meldingen.is_empty() {
        zorgsite::diagnostics::report(&opnames.meldingen);
    }
    let opnames = web::opname::Opnames::new(opnames.opnames);
    let lijsten = Arc::new(lijsten);
    let (opslag, thread, waarschuwingen, kiosk) = match inst.db_adres() {
        DbAdres::Sqlite(_) => {
            let (schrijver, thread) = Schrijver::start(&inst.db)?;
            let conn = storage::open(&inst.db)?;
            if let Some(id) = &inst.school {
                storage::school::claim(&conn, &inst.db, id)?;
            }
            let waarschuwingen = storage::bewaar_vragen(&conn, &lijsten)?;
            let geheim = storage::geheim(&conn)?;
            let kiosk = storage::kiosk::sleutel(&conn)?;
            let opslag = storage::opslag::Opslag::sqlite(&inst.db, schrijver, conn, geheim);
            (opslag, thread, waarschuwingen, kiosk)
        }
        adres @ DbAdres::Postgres(_) => {
            // The school's schema, its pool and its writer task, on the runtime that serves.
            let (opslag, _) = op_runtime(storage::opslag::Opslag::open(
                &adres,
                inst.school.as_deref(),
            ))?;
            let waarschuwingen = op_runtime(opslag.bewaar_vragen(lijsten.clone()))?;
            let kiosk = op_runtime(opslag.kiosk_sleutel())?;
            // No writer thread on PostgreSQL (the writer is a task); an empty one keeps
            // `Dienst::schrijver` the same for both engines.
            let thread = std::thread::spawn(|| ());
            (opslag, thread, waarschuwingen, kiosk)
        }
    };
    let geheim = opslag.geheim();
    let kiosk = web::kiosk::KioskSleutel::new(&geheim, &kiosk);
    let school = instellingen::lees_school(&inst.root).map_err(StartFout::Bestanden)?;
    let mut beheer =
        web::beheer::BeheerStaat::new(inst.https, inst.survey_address(&school), inst.minimum_groep);
    // In a group, the school's session cookies carry its id (`web::beheer::sessie`).
    beheer.eigenaar = inst.school.clone();
    let sleutel = web::csrf::FormSleutel::new(&geheim);
    let mut acties = std::collections::BTreeMap::new();
    let mut fouten = Vec::new();
    for id in lijsten.ids() {
        match zorgsite::model::resultaten::lees_acties(&inst.root, id) {
            Ok(Some(a)) => {
                acties.insert(id.to_string(), a);
            }
            Ok(None) => {}
            Err(mut d) => fouten.append(&mut d),
        }
    }
    if !fouten.is_empty() {
        return Err(StartFout::Bestanden(fouten));
    }
    let state = web::AppState::new(web::Staat {
        vragenlijsten: lijsten,
        opslag,
        sleutel: sleutel.clone(),
        geheim: Arc::new(geheim),
        site: Arc::new(site.bestanden),
        opnames: Arc::new(opnames),
        renderer: Arc::new(renderer),
        beheer,
        limiet_inzendingen: inst.limiet_inzendingen.map(web::begrenzer::Begrenzer::new),
        // Junk is limited whenever answers are (not in benchmarks, which send from one address).
        limiet_rommel: inst
            .limiet_inzendingen
            .map(|_| web::begrenzer::Begrenzer::new(web::begrenzer::Limiet::rommel())),
        acties: Arc::new(acties),
        kiosk,
        herkomst: web::herkomst::Beleid::new(inst),
        groep: Default::default(),
    });
    Ok(Dienst {
        state: state.zwak(),
        router: web::router(state),
        schrijver: thread,
        waarschuwingen,
        sleutel,
    })
}

/// Runs a storage future to its end from the (synchronous) start-up, on the runtime the
/// service will run on: `serve` enters its runtime before it prepares the schools, so the
/// PostgreSQL pool and writer task live there. Without a runtime: a Dutch error.
fn op_runtime<T>(
    fut: impl std::future::Future<Output = Result<T, OpslagFout>>,
) -> Result<T, OpslagFout> {
    let handle = tokio::runtime::Handle::try_current().map_err(|_| {
        OpslagFout::Databank(
            "PostgreSQL openen kan alleen binnen de tokio-runtime van de dienst".into(),
        )
    })?;
    // Leaves the runtime's async context first when called from one (a multi-threaded
    // runtime's worker, e.g. a test), so `block_on` may wait here.
    tokio::task::block_in_place(|| handle.block_on(fut))
}

/// A ready group of schools: one router in front of every school's own router, and every
/// school's writer thread to join after shutdown.
pub struct GroepService {
    pub router: Router,
    pub schrijvers: Vec<JoinHandle<()>>,
    /// Warnings to show at start-up, each with the school's id in front.
    pub waarschuwingen: Vec<String>,
}

/// Prepares every school of a group with [`bereid_voor`] (its own site, templates, database,
/// secrets and limits) and puts the dispatch layer (`web::groep`) in front. The first school
/// that cannot start stops the whole start, with its id in front of the problem.
pub fn prepare_groep(groep: &instellingen::groep::Groep) -> Result<GroepService, StartFout> {
    let mut routers = Vec::new();
    let mut schrijvers = Vec::new();
    let mut waarschuwingen = Vec::new();
    let mut bronnen = Vec::new();
    let mut states = Vec::new();
    for school in &groep.scholen {
        let dienst = bereid_voor(&school.inst).map_err(|e| match e {
            StartFout::Opslag(storage::OpslagFout::Databank(t)) => StartFout::Opslag(
                storage::OpslagFout::Databank(format!("school {}: {t}", school.id)),
            ),
            StartFout::Opslag(storage::OpslagFout::Geweigerd(t)) => StartFout::Opslag(
                storage::OpslagFout::Geweigerd(format!("school {}: {t}", school.id)),
            ),
            andere => andere,
        })?;
        waarschuwingen.extend(
            dienst
                .waarschuwingen
                .into_iter()
                .map(|w| format!("school {}: {w}", school.id)),
        );
        schrijvers.push(dienst.schrijver);
        // Alive: the school's router (below) holds it.
        let state = dienst
            .state
            .upgrade()
            .expect("the router keeps the school's state");
        bronnen.push(web::beheer::groep::Bron {
            id: school.id.clone(),
            naam: state.renderer.school.clone(),
            db: school.inst.db.clone(),
            opslag: state.opslag.clone(),
            vragenlijsten: state.vragenlijsten.clone(),
        });
        states.push(state);
        routers.push(web::groep::SchoolRouter {
            id: school.id.clone(),
            hosts: school.hosts.clone(),
            router: dienst.router,
        });
    }
    let bronnen = Arc::new(bronnen);
    for (index, state) in states.iter().enumerate() {
        // Set once, right after the school was made: it cannot have been set before.
        let _ = state.groep.set(web::beheer::groep::Plaats {
            bronnen: bronnen.clone(),
            index,
        });
    }
    drop(states);
    let (router, schrijver) = prepare_groep_dashboard(groep, bronnen)?;
    schrijvers.push(schrijver);
    routers.push(web::groep::SchoolRouter {
        id: storage::groep::ID.to_string(),
        hosts: Vec::new(),
        router,
    });
    Ok(GroepService {
        router: web::groep::router(&groep.gedeeld, routers),
        schrijvers,
        waarschuwingen,
    })
}

/// The group dashboard (`<group>/groep/beheer/`, [`web::beheer::groep`]): a dashboard state of
/// its own on the group's file ([`storage::groep`], the top-level `db`), with the theme's
/// templates and the texts of the first school (the dashboard is Dutch-only), and no survey,
/// site or recordings. Returns its router, nested at `<group basis>/groep`, and its writer
/// thread (unused but for the dashboard's own needs; joined at shutdown like a school's).
fn prepare_groep_dashboard(
    groep: &instellingen::groep::Groep,
    bronnen: web::beheer::groep::Bronnen,
) -> Result<(Router, JoinHandle<()>), StartFout> {
    let mut inst = groep.gedeeld.clone();
    if let Some(eerste) = groep.scholen.first() {
        inst.root = eerste.inst.root.clone();
    }
    let url = match &inst.publieke_url {
        Some(u) => Some(
            instellingen::PubliekeUrl::parse(&format!("{}/{}", u.url, storage::groep::ID))
                .map_err(|e| StartFout::Opslag(OpslagFout::Geweigerd(e)))?,
        ),
        None => None,
    };
    let basis = format!("{}/{}", inst.basis, storage::groep::ID);
    inst.zet_publieke_url(url);
    inst.basis = basis;
    let (opslag, thread, kiosk) = open_groep_opslag(&inst)?;
    let geheim = opslag.geheim();
    let kiosk = web::kiosk::KioskSleutel::new(&geheim, &kiosk);
    let mut renderer = site::renderer_zonder_site(&inst).map_err(StartFout::Bestanden)?;
    renderer.school = renderer.tekst("beheer.groep.merk", &[]);
    let mut beheer = web::beheer::BeheerStaat::new(inst.https, None, inst.minimum_groep);
    beheer.vaste_rol = Some(storage::groep::ROL);
    beheer.eigenaar = Some(storage::groep::ID.to_string());
    let sleutel = web::csrf::FormSleutel::new(&geheim);
    let app = web::AppState::new(web::Staat {
        vragenlijsten: Arc::new(Vragenlijsten(Default::default())),
        opslag,
        sleutel,
        geheim: Arc::new(geheim),
        site: Arc::new(Default::default()),
        opnames: Arc::new(Default::default()),
        renderer: Arc::new(renderer),
        beheer,
        limiet_inzendingen: None,
        limiet_rommel: None,
        acties: Arc::new(Default::default()),
        kiosk,
        herkomst: web::herkomst::Beleid::new(&inst),
        groep: Default::default(),
    });
    let routes = web::beheer::groep::router(web::beheer::groep::GroepStaat {
        app: app.clone(),
        bronnen,
    });
    Ok((web::omhul(&app, routes), thread))
}

/// The group's own storage (accounts, sessions, audit log of the group level): the group's
/// SQLite file ([`storage::groep`], refused when it is a school's), or on PostgreSQL a schema
/// of its own claimed with the id [`storage::groep::ID`], which no school can have. Returns the
/// storage, the SQLite writer's thread (an empty one on PostgreSQL) and the kiosk key.
fn open_groep_opslag(
    inst: &Instellingen,
) -> Result<(storage::opslag::Opslag, JoinHandle<()>, Vec<u8>), StartFout> {
    match inst.db_adres() {
        DbAdres::Sqlite(_) => {
            let conn = storage::groep::open(&inst.db)?;
            let (schrijver, thread) = Schrijver::start(&inst.db)?;
            let geheim = storage::geheim(&conn)?;
            let kiosk = storage::kiosk::sleutel(&conn)?;
            let opslag = storage::opslag::Opslag::sqlite(&inst.db, schrijver, conn, geheim);
            Ok((opslag, thread, kiosk))
        }
        adres @ DbAdres::Postgres(_) => {
            let (opslag, _) = op_runtime(storage::opslag::Opslag::open(
                &adres,
                Some(storage::groep::ID),
            ))?;
            let kiosk = op_runtime(opslag.kiosk_sleutel())?;
            Ok((opslag, std::thread::spawn(|| ()), kiosk))
        }
    }
}
