//! The command line: `serve`, `periode open|sluit|lijst`, `codes`, `export`, `backup`,
//! `opruimen`, `gebruiker maak|lijst|verwijder|wachtwoord`.
//!
//! Messages are Dutch (the care coordinator runs these); errors print as `fout: …` on stderr
//! and exit with status 1. Every command takes `--config zorgenquete.toml`; flags win over the
//! file (see [`crate::instellingen::laden`]).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use zorgsite::diagnostics::{Diagnostic, closest, report};

use crate::domain::PeriodeNaam;
use crate::domain::vragenlijst::{self, Vragenlijsten};
use crate::instellingen::laden::{self, Vlaggen};
use crate::instellingen::{Instellingen, lees_school};
use crate::storage;
use crate::{StartFout, brieven, onderhoud, telemetry, web};

#[derive(Parser, Debug)]
#[command(
    name = "zorgenquete",
    version,
    about = "Anonieme bevragingen van ouders en collega's over de zorg op school"
)]
pub struct Cli {
    /// Het instellingenbestand (zorgenquete.toml); ook via ZORGENQUETE_CONFIG
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// De school (id uit [[school]] in het instellingenbestand); nodig als er meer dan één is
    #[arg(long, global = true)]
    pub school: Option<String>,
    #[command(subcommand)]
    pub commando: Commando,
}

#[derive(Args, Debug, Clone)]
pub struct DbArg {
    /// Het databankbestand (wordt gemaakt als het nog niet bestaat) [standaard: data/zorgenquete.sqlite]
    #[arg(long)]
    pub db: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct RootArg {
    /// De map met de inhoud van de school (met enquetes/*.toml) [standaard: content]
    #[arg(long)]
    pub root: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Commando {
    /// Start de website en de bevragingen
    Serve {
        /// Adres en poort om op te luisteren [standaard: 127.0.0.1:8080]
        #[arg(long)]
        bind: Option<SocketAddr>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        root: RootArg,
        /// De map met het thema van de website [standaard: site]
        #[arg(long)]
        theme: Option<PathBuf>,
        /// Hoeveel antwoorden één netwerkadres per uur mag sturen, de helft ervan meteen
        /// (0: geen limiet) [standaard: 600]
        #[arg(long)]
        max_antwoorden_per_uur: Option<u32>,
    },
    /// Toon de scholen uit het instellingenbestand: adres, databank en inhoud
    Scholen,
    /// Maak een kopie van de databank, ook terwijl de dienst draait
    Backup {
        /// Het nieuwe bestand, bv. backup/zorgenquete-2026-06-30.sqlite
        bestand: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// Verhuis de gegevens van een school van haar SQLite-bestand naar PostgreSQL (één keer,
    /// naar een leeg schema), en controleer daarna of alles gelijk is
    Verhuis {
        /// Het SQLite-bestand van de school, bv. /var/lib/zorgenquete/zorgenquete.sqlite
        #[arg(long)]
        van: PathBuf,
        /// Het PostgreSQL-adres, bv. postgres://zorgenquete@localhost:5432/zorgenquete
        #[arg(long)]
        naar: String,
        #[command(flatten)]
        root: RootArg,
    },
    /// Verwijder periodes die ouder zijn dan de bewaartermijn ([privacy] bewaren_jaren in content/config.toml)
    Opruimen {
        /// Toon alleen wat verwijderd zou worden; verwijder niets
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Open, sluit of bekijk periodes
    Periode {
        #[command(subcommand)]
        actie: PeriodeActie,
    },
    /// Maak toegangscodes voor een periode (één antwoord per persoon)
    Codes {
        /// De vragenlijst, bv. ouders
        vragenlijst: String,
        /// De periode, bv. 2025-2026
        periode: String,
        /// Hoeveel codes
        #[arg(long)]
        aantal: u32,
        /// Schrijf ook brieven om af te drukken naar dit HTML-bestand
        #[arg(long)]
        brieven: Option<PathBuf>,
        /// Het openbare adres van de bevragingen, bv. https://school.be/enquete/
        /// (standaard: base_url en [enquete] url uit config.toml)
        #[arg(long)]
        url: Option<String>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        root: RootArg,
    },
    /// Maak een papieren vragenlijst (PDF, A4) om uit te delen, met headless Chromium
    Papier {
        /// De vragenlijst, bv. ouders
        vragenlijst: String,
        /// De taal van het formulier, bv. ar [standaard: de standaardtaal van de school]
        #[arg(long)]
        taal: Option<String>,
        /// De periode die op het formulier staat [standaard: de open periode in de databank]
        #[arg(long)]
        periode: Option<String>,
        /// Het PDF-bestand, bv. formulier.pdf
        #[arg(long)]
        pdf: PathBuf,
        /// De map met het thema van de website [standaard: site]
        #[arg(long)]
        theme: Option<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        root: RootArg,
    },
    /// Beheer de accounts van het dashboard (/beheer/), of met --groep die van de scholengroep
    Gebruiker {
        /// Accounts van de scholengroep (rol groep: alle scholen en de groep, op <groep>/groep/),
        /// in het eigen bestand van de groep (`db` bovenaan groep.toml)
        #[arg(long, global = true)]
        groep: bool,
        #[command(subcommand)]
        actie: GebruikerActie,
    },
    /// Exporteer de resultaten (csv, csv-nl voor Excel, xlsx, json voor de website, ruw)
    Export {
        /// De vragenlijst, bv. ouders
        vragenlijst: String,
        /// Een periode (mag meer dan eens); zonder: alle periodes
        #[arg(long = "periode")]
        periodes: Vec<String>,
        /// csv, csv-nl (Excel in het Nederlands), xlsx, json (samenvatting voor de website) of ruw
        #[arg(long)]
        formaat: String,
        /// Schrijf naar dit bestand (anders naar het scherm)
        #[arg(short = 'o', long = "uit")]
        uit: Option<PathBuf>,
        /// Alleen bij --formaat ruw: neem ook de open antwoorden op
        #[arg(long)]
        open_antwoorden: bool,
        /// Toon geen resultaten van groepen kleiner dan dit (minstens 5)
        #[arg(long)]
        minimum_groep: Option<u32>,
        /// Vergelijk alleen deze twee periodes (van, naar), bv. --vergelijk 2023-2024 2025-2026;
        /// zonder: elke periode met de vorige
        #[arg(long, num_args = 2, value_names = ["VAN", "NAAR"])]
        vergelijk: Option<Vec<String>>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        root: RootArg,
    },
    /// Maak het verslag voor de vergadering als PDF (A4): samenvatting, echte veranderingen,
    /// wat te bespreken, en de acties uit content/data/resultaten/<vragenlijst>.toml
    Rapport {
        /// De vragenlijst, bv. ouders
        vragenlijst: String,
        /// Een periode (mag meer dan eens); zonder: alle periodes
        #[arg(long = "periode")]
        periodes: Vec<String>,
        /// Vergelijk alleen deze twee periodes (van, naar); zonder: elke periode met de vorige
        #[arg(long, num_args = 2, value_names = ["VAN", "NAAR"])]
        vergelijk: Option<Vec<String>>,
        /// Schrijf de PDF naar dit bestand (Chromium, Chrome of Edge maakt ze)
        #[arg(long)]
        pdf: PathBuf,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        root: RootArg,
        /// De map met het thema [standaard: site]
        #[arg(long)]
        theme: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum GebruikerActie {
    /// Maak een account; het wachtwoord wordt gevraagd (of gelezen van stdin)
    Maak {
        /// De gebruikersnaam, bv. an.peeters
        naam: String,
        /// beheer (periodes, codes, gebruikers) of zorgteam (resultaten lezen); niet bij --groep
        #[arg(long)]
        rol: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Toon alle accounts
    Lijst {
        #[command(flatten)]
        db: DbArg,
    },
    /// Verwijder een account
    Verwijder {
        naam: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Geef een account een nieuw wachtwoord (de persoon wordt overal afgemeld)
    Wachtwoord {
        naam: String,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand, Debug)]
pub enum PeriodeActie {
    /// Open een periode: vanaf nu kan men antwoorden
    Open {
        vragenlijst: String,
        periode: String,
        /// Hoeveel mensen uitgenodigd zijn (voor het responspercentage)
        #[arg(long)]
        uitgenodigd: Option<u32>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        root: RootArg,
    },
    /// Sluit een periode: vanaf nu worden antwoorden geweigerd
    Sluit {
        vragenlijst: String,
        periode: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Toon alle periodes met hun aantal antwoorden
    Lijst {
        #[command(flatten)]
        db: DbArg,
    },
}

/// Why a command failed: printed once, in [`main`], which then exits with status 1.
#[derive(Debug)]
pub enum Error {
    /// Problems in the school's or the service's files, each with `file:line:col`.
    Bestanden(Vec<Diagnostic>),
    /// One Dutch sentence, printed as `fout: …`.
    Bericht(String),
}

impl From<String> for Error {
    fn from(bericht: String) -> Self {
        Error::Bericht(bericht)
    }
}

impl From<&str> for Error {
    fn from(bericht: &str) -> Self {
        Error::Bericht(bericht.to_string())
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(d: Vec<Diagnostic>) -> Self {
        Error::Bestanden(d)
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Bestanden(vec![d])
    }
}

impl From<storage::OpslagFout> for Error {
    fn from(e: storage::OpslagFout) -> Self {
        Error::Bericht(e.to_string())
    }
}

impl From<crate::domain::gebruiker::Ongeldig> for Error {
    fn from(e: crate::domain::gebruiker::Ongeldig) -> Self {
        Error::Bericht(e.to_string())
    }
}

impl From<StartFout> for Error {
    fn from(e: StartFout) -> Self {
        match e {
            StartFout::Bestanden(d) => Error::Bestanden(d),
            StartFout::Opslag(e) => e.into(),
        }
    }
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    match voer_uit(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Bestanden(d)) => {
            report(&d);
            ExitCode::FAILURE
        }
        Err(Error::Bericht(bericht)) => {
            eprintln!("fout: {bericht}");
            ExitCode::FAILURE
        }
    }
}

/// Where a command's settings come from: `--config` and, for a group, `--school`.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConfigSource {
    pub config: Option<PathBuf>,
    pub school: Option<String>,
}

/// The settings for one command: defaults, config file, environment, then these flags. For a
/// group: the settings of the school `--school` (or the only one), whose existing database file
/// must be that school's (see [`storage::school`]).
fn instellingen(config: &ConfigSource, vlaggen: Vlaggen) -> Result<Instellingen, Error> {
    let inst = laden::laad(&Vlaggen {
        config: config.config.clone(),
        school: config.school.clone(),
        ..vlaggen
    })?;
    if let Some(id) = &inst.school {
        storage::school::claim_if_exists(&inst.db, id)?;
    }
    Ok(inst)
}

/// The group's own settings for `gebruiker … --groep`: its storage is `db` at the top of
/// `groep.toml` (see [`storage::groep`]), a SQLite file (checked to be the group's, not a
/// school's) or a PostgreSQL schema of its own, claimed with the id [`storage::groep::ID`].
/// Without `[[school]]` there is no group: a Dutch error.
pub(crate) fn groep_instellingen(config: &ConfigSource, db: &DbArg) -> Result<Instellingen, Error> {
    if db.db.is_some() {
        return Err("--db kan niet samen met --groep: het bestand van de groep is `db` bovenaan het instellingenbestand (groep.toml)".into());
    }
    match laden::load_setup(&Vlaggen {
        config: config.config.clone(),
        ..Vlaggen::default()
    })? {
        laden::Setup::Groep(groep) => {
            let mut inst = groep.gedeeld;
            if let storage::opslag::DbAdres::Sqlite(pad) = inst.db_adres() {
                storage::groep::open(&pad)?;
            }
            inst.school = Some(storage::groep::ID.to_string());
            Ok(inst)
        }
        laden::Setup::Single(_) => Err("--groep: er is geen scholengroep ingesteld (geen [[school]] in het instellingenbestand); geef met --config het bestand van de groep (groep.toml)".into()),
    }
}

/// The database path for a command that needs nothing else (config file, environment, `--db`).
/// The settings of the school for a command that needs only its database.
pub(crate) fn school_instellingen(
    config: &ConfigSource,
    db: &DbArg,
) -> Result<Instellingen, Error> {
    instellingen(config, met_db(db))
}

/// Runs `f` with the school's storage (`db`: a SQLite file or a PostgreSQL schema) on a small
/// runtime of its own, then closes it (and waits for the SQLite writer thread).
pub(crate) fn met_opslag<T, Fut>(
    inst: &Instellingen,
    f: impl FnOnce(storage::opslag::Opslag) -> Fut,
) -> Result<T, Error>
where
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("kan de databank niet openen ({e})"))?;
    let adres = inst.db_adres();
    let (uit, draad) = runtime.block_on(async {
        let (opslag, draad) = storage::opslag::Opslag::open(&adres, inst.school.as_deref()).await?;
        Ok::<_, Error>((f(opslag).await, draad))
    })?;
    drop(runtime);
    if let Some(draad) = draad {
        let _ = draad.join();
    }
    uit
}

fn met_db(db: &DbArg) -> Vlaggen {
    Vlaggen {
        db: db.db.clone(),
        ..Vlaggen::default()
    }
}

fn met_db_root(db: &DbArg, root: &RootArg) -> Vlaggen {
    Vlaggen {
        root: root.root.clone(),
        ..met_db(db)
    }
}

/// Runs one command.
pub fn voer_uit(cli: Cli) -> Result<(), Error> {
    let config = ConfigSource {
        config: cli.config,
        school: cli.school,
    };
    match cli.commando {
        Commando::Serve {
            bind,
            db,
            root,
            theme,
            max_antwoorden_per_uur,
        } => {
            let opzet = laden::load_setup(&Vlaggen {
                config: config.config.clone(),
                bind,
                theme,
                ..met_db_root(&db, &root)
            })?;
            let limiet = max_antwoorden_per_uur.map(web::begrenzer::Limiet::per_uur);
            match opzet {
                laden::Setup::Single(mut inst) => {
                    if config.school.is_some() {
                        // The same Dutch error as every other command.
                        instellingen(&config, met_db_root(&db, &root))?;
                    }
                    if let Some(l) = limiet {
                        inst.limiet_inzendingen = l;
                    }
                    serve(inst)
                }
                laden::Setup::Groep(mut groep) => {
                    if let Some(id) = &config.school {
                        // Only this school (e.g. to try one school's content).
                        let een = groep.choose(Some(id))?.clone();
                        groep.scholen = vec![een];
                    }
                    for s in &mut groep.scholen {
                        if let Some(l) = limiet {
                            s.inst.limiet_inzendingen = l;
                        }
                    }
                    serve_groep(groep)
                }
            }
        }
        Commando::Periode { actie } => periode(&config, actie),
        Commando::Scholen => scholen(&config),
        Commando::Codes {
            vragenlijst,
            periode,
            aantal,
            brieven,
            url,
            db,
            root,
        } => {
            let inst = instellingen(&config, met_db_root(&db, &root))?;
            codes(
                &vragenlijst,
                &periode,
                aantal,
                brieven.as_deref(),
                url,
                &inst,
            )
        }
        Commando::Backup { bestand, db } => {
            let inst = instellingen(&config, met_db(&db))?;
            let bericht = onderhoud::backup_van(&inst, &bestand)?;
            println!("{bericht}");
            Ok(())
        }
        Commando::Verhuis { van, naar, root } => {
            let inst = instellingen(
                &config,
                Vlaggen {
                    root: root.root.clone(),
                    db: Some(van.clone()),
                    ..Vlaggen::default()
                },
            )?;
            let lijsten = vragenlijst::laad(&inst.root)?;
            let bericht = onderhoud::verhuis(
                &van,
                &naar,
                inst.school.as_deref(),
                &lijsten,
                inst.minimum_groep,
            )?;
            println!("{bericht}");
            Ok(())
        }
        Commando::Opruimen { dry_run, db } => {
            let inst = instellingen(&config, met_db(&db))?;
            Ok(onderhoud::opruimen_cli(&inst, dry_run)?)
        }
        Commando::Papier {
            vragenlijst,
            taal,
            periode,
            pdf,
            theme,
            db,
            root,
        } => {
            let mut inst = instellingen(&config, met_db_root(&db, &root))?;
            if let Some(theme) = theme {
                inst.theme = theme;
            }
            papier(&vragenlijst, taal.as_deref(), periode, &pdf, &inst)
        }
        Commando::Gebruiker { groep, actie } => {
            crate::cli_gebruiker::voer_uit(&config, groep, actie)
        }
        Commando::Rapport {
            vragenlijst,
            periodes,
            vergelijk,
            pdf,
            db,
            root,
            theme,
        } => {
            let inst = instellingen(
                &config,
                Vlaggen {
                    theme,
                    ..met_db_root(&db, &root)
                },
            )?;
            rapport_pdf(&inst, &vragenlijst, periodes, vergelijk, &pdf)
        }
        Commando::Export {
            vragenlijst,
            periodes,
            formaat,
            uit,
            open_antwoorden,
            minimum_groep,
            vergelijk,
            db,
            root,
        } => {
            let inst = instellingen(&config, met_db_root(&db, &root))?;
            let lijsten = bekende_vragenlijst(&inst.root, &vragenlijst)?;
            let lijst = lijsten.get(&vragenlijst).expect("checked above");
            Ok(crate::rapport::export::opdrachtregel::voer_uit(
                crate::rapport::export::opdrachtregel::Vraag {
                    lijst,
                    periodes,
                    formaat: &formaat,
                    uit: uit.as_deref(),
                    open_antwoorden,
                    minimum: minimum_groep.or(Some(inst.minimum_groep.get())),
                    vergelijk: match vergelijk.as_deref() {
                        Some([van, naar]) => {
                            crate::rapport::Vergelijk::Paar(van.clone(), naar.clone())
                        }
                        _ => crate::rapport::Vergelijk::Opeenvolgend,
                    },
                    db: &inst.db,
                    school: inst.school.as_deref(),
                },
            )?)
        }
    }
}

/// `zorgenquete rapport <vragenlijst> … --pdf <bestand>`: the dashboard's meeting report
/// (`beheer/verslag.html`, rendered as the dashboard renders it, without the menu) printed by
/// headless Chromium with the generator's PDF route, the site served from memory on loopback.
fn rapport_pdf(
    inst: &Instellingen,
    vragenlijst: &str,
    periodes: Vec<String>,
    vergelijk: Option<Vec<String>>,
    pdf: &Path,
) -> Result<(), Error> {
    use zorgsite::cmd::poster_pdf::{self, PdfError};
    let lijsten = bekende_vragenlijst(&inst.root, vragenlijst)?;
    let lijst = lijsten.get(vragenlijst).expect("checked above");
    let keuze = crate::rapport::Keuze {
        periodes,
        minimum: inst.minimum_groep,
        vergelijk: match vergelijk.as_deref() {
            Some([van, naar]) => crate::rapport::Vergelijk::Paar(van.clone(), naar.clone()),
            _ => crate::rapport::Vergelijk::Opeenvolgend,
        },
    };
    let acties = zorgsite::model::resultaten::lees_acties(&inst.root, vragenlijst)?;
    let rapport = match inst.db_adres() {
        storage::opslag::DbAdres::Postgres(url) => {
            onderhoud::met_postgres(&url, inst.school.as_deref(), |o| async move {
                storage::opslag::Opslag::Postgres(o)
                    .rapport(lijst, &keuze)
                    .await
            })?
        }
        storage::opslag::DbAdres::Sqlite(_) => {
            let conn = storage::open_lezer(&inst.db)?;
            crate::rapport::maak(&conn, lijst, &keuze)?
        }
    };
    let mut opts = zorgsite::site::BuildOptions::new(&inst.root, &inst.theme);
    opts.live_reload = false;
    let site = zorgsite::site::build(&opts)?;
    let templates = site
        .templates
        .ok_or_else(|| "het thema gaf geen sjablonen".to_string())?;
    let renderer = web::render::Renderer::new(templates, String::new(), None)?;
    let page = web::beheer::pages::VerslagPage::new(
        &renderer,
        lijst,
        Some(&rapport),
        acties.as_ref(),
        String::new(),
    );
    let html = renderer.render(
        web::render::BEHEER_VERSLAG,
        &renderer.talen.standaard(),
        &[],
        &web::beheer::pages::Dashboard {
            menu: None,
            pagina: page,
        },
    )?;
    let mut files = site.files;
    let pagina = format!("beheer/verslag/{vragenlijst}/index.html");
    files.insert(pagina, html.into_bytes());
    let printed = poster_pdf::loopback()
        .and_then(|l| {
            poster_pdf::print_page(l, files, &format!("/beheer/verslag/{vragenlijst}/"), pdf)
        })
        .map_err(|e| match e {
            PdfError::Build(d) => Error::Bestanden(d),
            PdfError::NoChromium(_) => Error::Bericht(format!(
                "geen Chromium, Google Chrome of Microsoft Edge gevonden om de PDF te maken — \
                 installeer Chromium (Debian/Ubuntu: sudo apt-get install chromium) of zet \
                 CHROMIUM op het programma. Zonder Chromium: open /beheer/verslag/{vragenlijst} \
                 in het dashboard en kies Afdrukken (A4)."
            )),
            other => Error::Bericht(other.to_string().trim_start_matches("fout: ").to_string()),
        })?;
    println!(
        "verslag van {vragenlijst} geschreven naar {} ({} kB, met {})",
        pdf.display(),
        printed.bytes.div_ceil(1024),
        printed.browser.display()
    );
    Ok(())
}

fn serve(inst: Instellingen) -> Result<(), Error> {
    telemetry::init();
    // The site is compressed once, at start-up (brotli and gzip of every text file), never per
    // request: `bereid_voor` loads it with `SiteBestanden::compressed`.
    let runtime = runtime()?;
    // Entered while the schools are prepared: a PostgreSQL school's pool and writer task live
    // on the runtime that serves.
    let binnen = runtime.enter();
    let dienst = crate::bereid_voor(&inst)?;
    drop(binnen);
    for w in &dienst.waarschuwingen {
        eprintln!("waarschuwing: {w}");
    }
    let crate::Dienst {
        router, schrijver, ..
    } = dienst;
    run_server(
        runtime,
        &inst,
        router,
        vec![schrijver],
        &format!("databank {}", zonder_wachtwoord(&inst)),
    )
}

/// `serve` for a group: every school's router behind `web::groep`.
fn serve_groep(groep: crate::instellingen::groep::Groep) -> Result<(), Error> {
    telemetry::init();
    let runtime = runtime()?;
    let binnen = runtime.enter();
    let dienst = crate::prepare_groep(&groep)?;
    drop(binnen);
    for w in &dienst.waarschuwingen {
        eprintln!("waarschuwing: {w}");
    }
    let scholen: Vec<String> = groep
        .scholen
        .iter()
        .map(|s| format!("{} ({})", s.id, zonder_wachtwoord(&s.inst)))
        .collect();
    run_server(
        runtime,
        &groep.gedeeld,
        dienst.router,
        dienst.schrijvers,
        &format!("{} scholen: {}", scholen.len(), scholen.join(", ")),
    )
}

/// The service's runtime (multi-threaded).
fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("kan de server niet starten ({e})"))?)
}

/// `db` for the log: a path, or a PostgreSQL address without its password.
fn zonder_wachtwoord(inst: &Instellingen) -> String {
    match inst.db_adres() {
        storage::opslag::DbAdres::Sqlite(p) => p.display().to_string(),
        storage::opslag::DbAdres::Postgres(url) => storage::pg::zonder_wachtwoord(&url),
    }
}

/// Serves `router` until a stop signal, then waits for the writers.
fn run_server(
    runtime: tokio::runtime::Runtime,
    inst: &Instellingen,
    router: axum::Router,
    schrijvers: Vec<std::thread::JoinHandle<()>>,
    wat: &str,
) -> Result<(), Error> {
    runtime.block_on(async {
        web::vang_bestandslimiet();
        let listener = tokio::net::TcpListener::bind(inst.bind)
            .await
            .map_err(|e| format!("kan niet luisteren op {} ({e})", inst.bind))?;
        let adres = listener.local_addr().map_err(|e| e.to_string())?;
        tracing::info!(
            "zorgenquete luistert op http://{adres}/ (bevragingen onder /enquete/, {wat})"
        );
        if let Some(w) = web::verbinding::bestandslimiet_waarschuwing(inst.max_verbindingen) {
            tracing::warn!("{w}");
        }
        web::draai(listener, router, inst.max_verbindingen, web::stopsignaal())
            .await
            .map_err(|e| format!("de server stopte onverwacht ({e})"))
    })?;
    drop(runtime);
    for schrijver in schrijvers {
        let _ = schrijver.join();
    }
    tracing::info!("gestopt; alle bewaarde antwoorden staan in de databank");
    Ok(())
}

/// Loads the questionnaires and checks that `id` is one of them (with a "bedoel je" hint).
fn bekende_vragenlijst(root: &Path, id: &str) -> Result<Vragenlijsten, Error> {
    let lijsten = vragenlijst::laad(root)?;
    if lijsten.get(id).is_none() {
        let hint = match closest(id, lijsten.ids()) {
            Some(best) => format!("; bedoel je `{best}`?"),
            None => format!(
                "; gekend zijn: {}",
                lijsten.ids().collect::<Vec<_>>().join(", ")
            ),
        };
        return Err(format!(
            "er is geen vragenlijst `{id}` in {}{hint}",
            root.join("enquetes").display()
        )
        .into());
    }
    Ok(lijsten)
}

fn periode(config: &ConfigSource, actie: PeriodeActie) -> Result<(), Error> {
    match actie {
        PeriodeActie::Open {
            vragenlijst,
            periode,
            uitgenodigd,
            db,
            root,
        } => {
            let inst = instellingen(config, met_db_root(&db, &root))?;
            bekende_vragenlijst(&inst.root, &vragenlijst)?;
            let naam = PeriodeNaam::parse(&periode)?;
            let (v, n) = (vragenlijst.clone(), naam.clone());
            let geopend = met_opslag(&inst, |o| async move {
                Ok(o.periode_open(&v, &n, uitgenodigd).await?)
            })?;
            println!(
                "periode {naam} van {vragenlijst} is {}",
                match geopend {
                    storage::Geopend::Nieuw => "open",
                    storage::Geopend::Heropend => "weer open",
                }
            );
            Ok(())
        }
        PeriodeActie::Sluit {
            vragenlijst,
            periode,
            db,
        } => {
            let inst = instellingen(config, met_db(&db))?;
            let naam = PeriodeNaam::parse(&periode)?;
            let minimum = inst.minimum_groep;
            let (v, n) = (vragenlijst.clone(), naam.clone());
            let nog = met_opslag(&inst, |o| async move {
                Ok(o.periode_sluit(&v, &n, minimum).await?)
            })?;
            if nog == 0 {
                println!("periode {naam} van {vragenlijst} is gesloten");
            } else {
                println!(
                    "periode {naam} van {vragenlijst} is gesloten; de resultaten blijven verborgen tot er nog {nog} antwoorden bij zijn (de periode werd heropend nadat haar resultaten getoond waren)"
                );
            }
            Ok(())
        }
        PeriodeActie::Lijst { db } => {
            let inst = instellingen(config, met_db(&db))?;
            let periodes = met_opslag(&inst, |o| async move { Ok(o.periodes().await?) })?;
            if periodes.is_empty() {
                println!(
                    "Er zijn nog geen periodes. Open er een met `zorgenquete periode open ouders 2025-2026`."
                );
                return Ok(());
            }
            println!(
                "{:<14} {:<14} {:<9} {:>11} {:>10} {:>8} {:>16}",
                "vragenlijst",
                "periode",
                "status",
                "uitgenodigd",
                "antwoorden",
                "respons",
                "codes (gebruikt)"
            );
            for p in periodes {
                let respons = match p.uitgenodigd {
                    Some(n) if n > 0 => format!(
                        "{} %",
                        (p.antwoorden * 100 + i64::from(n) / 2) / i64::from(n)
                    ),
                    _ => "–".to_string(),
                };
                let codes = if p.codes > 0 {
                    format!("{} ({})", p.codes, p.codes_gebruikt)
                } else {
                    "–".to_string()
                };
                println!(
                    "{:<14} {:<14} {:<9} {:>11} {:>10} {:>8} {:>16}",
                    p.vragenlijst,
                    p.naam,
                    if p.open { "open" } else { "gesloten" },
                    p.uitgenodigd.map_or("–".to_string(), |n| n.to_string()),
                    p.antwoorden,
                    respons,
                    codes
                );
            }
            Ok(())
        }
    }
}

/// `zorgenquete scholen`: every configured school with its address, database and content, for
/// the IT partner (nothing is opened or made).
fn scholen(config: &ConfigSource) -> Result<(), Error> {
    let opzet = laden::load_setup(&Vlaggen {
        config: config.config.clone(),
        ..Vlaggen::default()
    })?;
    let adres = |inst: &Instellingen| {
        inst.publieke_url
            .as_ref()
            .map_or("(adres volgt uit de aanvraag)".to_string(), |u| {
                format!("{}/", u.url)
            })
    };
    match opzet {
        laden::Setup::Single(inst) => {
            println!(
                "Eén school (geen [[school]] in het instellingenbestand)\n  adres:    {}\n  databank: {}\n  inhoud:   {}",
                adres(&inst),
                zonder_wachtwoord(&inst),
                inst.root.display()
            );
        }
        laden::Setup::Groep(groep) => {
            println!(
                "{} scholen in {}",
                groep.scholen.len(),
                groep.bestand.display()
            );
            for s in &groep.scholen {
                let hoe = if s.hosts.is_empty() {
                    format!("pad /{}/", s.id)
                } else {
                    format!("host {}", s.hosts.join(", "))
                };
                println!(
                    "\n{}\n  adres:    {} ({hoe})\n  databank: {}\n  inhoud:   {}\n  thema:    {}",
                    s.id,
                    adres(&s.inst),
                    zonder_wachtwoord(&s.inst),
                    s.inst.root.display(),
                    s.inst.theme.display()
                );
            }
        }
    }
    Ok(())
}

/// `zorgenquete papier`: the paper questionnaire as an A4 PDF.
fn papier(
    vragenlijst: &str,
    taal: Option<&str>,
    periode: Option<String>,
    pdf: &Path,
    inst: &Instellingen,
) -> Result<(), Error> {
    let lijsten = bekende_vragenlijst(&inst.root, vragenlijst)?;
    let lijst = lijsten.get(vragenlijst).expect("checked above");
    if let Some(t) = taal
        && !lijst.talen.iter().any(|l| l == t)
    {
        return Err(format!(
            "de vragenlijst {vragenlijst} bestaat niet in de taal {t:?} — kies een van: {}",
            lijst.talen.join(", ")
        )
        .into());
    }
    // The period on the form: as given, else the open one (when the database exists).
    let periode = match periode {
        Some(p) => Some(PeriodeNaam::parse(&p)?.to_string()),
        None if inst.db.exists() => {
            let conn = storage::open(&inst.db)?;
            storage::open_periode(&conn, vragenlijst)?.map(|p| p.naam)
        }
        None if matches!(inst.db_adres(), storage::opslag::DbAdres::Postgres(_)) => {
            let v = vragenlijst.to_string();
            met_opslag(inst, |o| async move { Ok(o.open_periode(&v).await?) })?.map(|p| p.naam)
        }
        None => None,
    };
    let bytes = crate::papier::pdf(
        &inst.root,
        &inst.theme,
        lijst,
        taal,
        periode.as_deref(),
        pdf,
    )
    .map_err(|e| {
        if let crate::papier::PapierFout::Site(d) = &e {
            zorgsite::diagnostics::report(d);
        }
        e.to_string()
    })?;
    eprintln!(
        "papieren vragenlijst {vragenlijst}{} geschreven naar {} ({bytes} bytes, A4)",
        taal.map(|t| format!(" ({t})")).unwrap_or_default(),
        pdf.display()
    );
    Ok(())
}

fn codes(
    vragenlijst: &str,
    periode: &str,
    aantal: u32,
    brieven_pad: Option<&Path>,
    url: Option<String>,
    inst: &Instellingen,
) -> Result<(), Error> {
    let root = inst.root.as_path();
    if !(1..=10_000).contains(&aantal) {
        return Err("--aantal moet tussen 1 en 10000 liggen".into());
    }
    let lijsten = bekende_vragenlijst(root, vragenlijst)?;
    let naam = PeriodeNaam::parse(periode)?;
    let school = lees_school(root)?;
    let enquete_url = match (&brieven_pad, url.or(inst.survey_address(&school))) {
        (Some(_), None) => {
            return Err(
                "voor brieven is het adres van de bevragingen nodig: geef --url https://school.be/enquete/ \
                 of zet publieke_url in zorgenquete.toml"
                    .into(),
            );
        }
        (_, u) => u.unwrap_or_default(),
    };
    // The letters come from the theme: check it before any code is made.
    let renderer = match brieven_pad {
        Some(_) => Some(crate::site::renderer_zonder_site(inst)?),
        None => None,
    };
    let n = naam.clone();
    let codes = met_opslag(inst, |o| async move {
        Ok(o.maak_codes(vragenlijst, &n, aantal).await?)
    })?;
    for code in &codes {
        println!("{}", code.leesbaar());
    }
    if let (Some(pad), Some(lijst), Some(r)) = (brieven_pad, lijsten.get(vragenlijst), renderer) {
        let html = brieven::maak(&r, lijst, &enquete_url, &codes)?;
        std::fs::write(pad, html)
            .map_err(|e| format!("kan {} niet schrijven ({e})", pad.display()))?;
        eprintln!(
            "{} brieven geschreven naar {} (open het bestand in een browser en druk af)",
            codes.len(),
            pad.display()
        );
    }
    eprintln!(
        "{} codes gemaakt voor {vragenlijst} {naam}. Bewaar ze niet bij namen: deel de brieven willekeurig uit.",
        codes.len()
    );
    Ok(())
}
