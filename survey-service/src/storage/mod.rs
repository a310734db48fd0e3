//! The SQLite file: opening it safely, forward-only migrations, and the queries the CLI and the
//! web pages need. Submissions go through the [`schrijver`] (one writer thread, group commit).
//!
//! Durability: WAL with `synchronous = FULL`, so every commit is fsynced to the WAL before the
//! writer acknowledges it; an acknowledged answer survives a crash and a power cut. Group commit
//! shares that fsync between all submissions waiting at that moment.

pub mod audit;
pub mod backup;
pub mod gebruikers;
pub mod groep;
pub mod invoer;
pub mod kiosk;
pub mod migraties;
pub mod opruimen;
pub mod opslag;
pub mod pg;
pub mod respons;
pub mod school;
pub mod schrijver;
pub mod vacuum;
pub mod verhuis;
pub mod vrijgave;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::PeriodeNaam;
use crate::domain::code::Code;
use crate::domain::vragenlijst::Vragenlijsten;
use crate::domain::vrijgave::{self as regels, MinimumGroep, Vrijgave};

/// What went wrong in storage, by kind, so every caller can answer in its own way: the
/// dashboard maps the kinds to status codes and words them from `content/teksten/nl.toml`
/// (`web::beheer::Error::status`, the one place), the command line prints [`Display`], a
/// Dutch sentence that may name a CLI command.
///
/// [`Display`]: std::fmt::Display
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpslagFout {
    /// The database, the disk or a worker failed: the same request may work later (503 on a
    /// page). The text is for logs and the command line.
    Databank(String),
    /// What was asked conflicts with what is stored (409 on a page).
    Conflict(Conflict),
    /// A request the storage refuses as asked (a period a report does not know, an existing
    /// backup file): the text says why, for the command line.
    Geweigerd(String),
}

/// A conflict with what is stored, without words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Another period of this questionnaire is still open.
    AnderePeriodeOpen { vragenlijst: String, open: String },
    /// No such period.
    PeriodeBestaatNiet {
        vragenlijst: String,
        periode: String,
    },
    /// The account name is taken.
    GebruikerBestaatAl(String),
    /// No such account.
    GebruikerBestaatNiet(String),
    /// The last account with the role `beheer` cannot go: the school would lock itself out.
    LaatsteBeheerder(String),
}

impl std::fmt::Display for Conflict {
    /// The sentence for the command line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conflict::AnderePeriodeOpen { vragenlijst, open } => write!(
                f,
                "periode {open} van {vragenlijst} is nog open; sluit die eerst met `zorgenquete periode sluit {vragenlijst} {open}`"
            ),
            Conflict::PeriodeBestaatNiet {
                vragenlijst,
                periode,
            } => write!(
                f,
                "periode {periode} van {vragenlijst} bestaat niet; zie `zorgenquete periode lijst`"
            ),
            Conflict::GebruikerBestaatAl(naam) => write!(
                f,
                "er is al een gebruiker `{naam}`; kies een andere naam of verander het wachtwoord met `zorgenquete gebruiker wachtwoord {naam}`"
            ),
            Conflict::GebruikerBestaatNiet(naam) => write!(
                f,
                "er is geen gebruiker `{naam}`; zie `zorgenquete gebruiker lijst`"
            ),
            Conflict::LaatsteBeheerder(naam) => write!(
                f,
                "`{naam}` is de laatste gebruiker met de rol beheer; maak eerst een andere beheerder"
            ),
        }
    }
}

impl std::fmt::Display for OpslagFout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpslagFout::Databank(t) | OpslagFout::Geweigerd(t) => f.write_str(t),
            OpslagFout::Conflict(c) => c.fmt(f),
        }
    }
}

impl std::error::Error for OpslagFout {}

impl From<Conflict> for OpslagFout {
    fn from(c: Conflict) -> Self {
        OpslagFout::Conflict(c)
    }
}

impl From<rusqlite::types::FromSqlError> for OpslagFout {
    fn from(e: rusqlite::types::FromSqlError) -> Self {
        OpslagFout::Databank(format!("onverwachte waarde in de databank: {e}"))
    }
}

impl From<rusqlite::Error> for OpslagFout {
    fn from(e: rusqlite::Error) -> Self {
        OpslagFout::Databank(format!("databankfout: {e}"))
    }
}

/// Where the report's rows come from, whatever the engine: each stored response of a
/// questionnaire as (period, channel, answers' JSON), handed to `rij` until it returns `false`.
/// Both engines hand them over in random-id order, never in order of arrival. SQLite: a
/// [`Connection`] (inside [`vrijgave::in_een_moment`]); PostgreSQL: a [`pg::Moment`].
///
/// One value is one consistent snapshot: everything a report, an export or the open answers
/// read ([`RijBron::staten`], [`RijBron::vragen`], the rows) comes from the same moment, so the
/// same Rust code computes the same result from either engine.
pub trait RijBron {
    fn lees(
        &mut self,
        vragenlijst: &str,
        rij: &mut dyn FnMut(&str, &str, &[u8]) -> bool,
    ) -> Result<(), OpslagFout>;

    /// The periods of a questionnaire in name order, with their release state.
    fn staten(&mut self, vragenlijst: &str) -> Result<Vec<vrijgave::PeriodeStaat>, OpslagFout>;

    /// What the `vraag` table remembers of a questionnaire's item versions, by id and version.
    fn vragen(&mut self, vragenlijst: &str) -> Result<Vec<VraagRij>, OpslagFout>;

    /// The responses of one released period as (channel, answers' JSON), in random-id order,
    /// handed to `rij` until it returns `false`.
    fn lees_periode(
        &mut self,
        vragenlijst: &str,
        periode: &vrijgave::Vrijgegeven,
        rij: &mut dyn FnMut(&str, &str) -> bool,
    ) -> Result<(), OpslagFout>;
}

/// One row of the `vraag` table: (id, versie, categorie, soort, tekst).
pub type VraagRij = (String, u32, String, String, String);

impl RijBron for &Connection {
    fn lees(
        &mut self,
        vragenlijst: &str,
        rij: &mut dyn FnMut(&str, &str, &[u8]) -> bool,
    ) -> Result<(), OpslagFout> {
        // A rowid table keyed by the random id: a scan is in id order.
        let mut stmt = self.prepare_cached(
            "SELECT periode, kanaal, antwoorden FROM inzending WHERE vragenlijst = ?1",
        )?;
        let mut rijen = stmt.query([vragenlijst])?;
        while let Some(r) = rijen.next()? {
            if !rij(
                r.get_ref(0)?.as_str()?,
                r.get_ref(1)?.as_str()?,
                r.get_ref(2)?.as_bytes()?,
            ) {
                break;
            }
        }
        Ok(())
    }

    fn staten(&mut self, vragenlijst: &str) -> Result<Vec<vrijgave::PeriodeStaat>, OpslagFout> {
        vrijgave::staten(self, vragenlijst)
    }

    fn vragen(&mut self, vragenlijst: &str) -> Result<Vec<VraagRij>, OpslagFout> {
        Ok(rows(
            self,
            "SELECT id, versie, categorie, soort, tekst FROM vraag WHERE vragenlijst = ?1 ORDER BY id, versie",
            [vragenlijst],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?)
    }

    fn lees_periode(
        &mut self,
        vragenlijst: &str,
        periode: &vrijgave::Vrijgegeven,
        rij: &mut dyn FnMut(&str, &str) -> bool,
    ) -> Result<(), OpslagFout> {
        // A rowid table keyed by the random id: a scan is in id order.
        let mut stmt = self.prepare_cached(
            "SELECT kanaal, antwoorden FROM inzending WHERE vragenlijst = ?1 AND periode = ?2",
        )?;
        let mut rijen = stmt.query(params![vragenlijst, periode.naam()])?;
        while let Some(r) = rijen.next()? {
            if !rij(r.get_ref(0)?.as_str()?, r.get_ref(1)?.as_str()?) {
                break;
            }
        }
        Ok(())
    }
}

/// Every row of `sql` with `params`, each read by `row` (a cached statement).
pub fn rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    conn.prepare_cached(sql)?.query_map(params, row)?.collect()
}

/// Opens (and creates, with its folder) the database and brings the schema up to date. Before
/// an existing database is migrated, a copy is made next to it
/// ([`backup::naam_voor_migratie`]).
pub fn open(pad: &Path) -> Result<Connection, OpslagFout> {
    open_met(pad, migraties::MIGRATIES)
}

fn open_met(pad: &Path, lijst: &[&str]) -> Result<Connection, OpslagFout> {
    open_en_herschreven(pad, lijst).map(|(conn, _)| conn)
}

/// [`open_met`], also saying whether the file had to be rewritten once for incremental
/// auto-vacuum (never for a new file).
pub(crate) fn open_en_herschreven(
    pad: &Path,
    lijst: &[&str],
) -> Result<(Connection, bool), OpslagFout> {
    weiger_postgres(pad)?;
    if let Some(map) = pad.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(map).map_err(|e| {
            OpslagFout::Databank(format!("kan de map {} niet maken ({e})", map.display()))
        })?;
    }
    let mut conn = Connection::open(pad)
        .map_err(|e| OpslagFout::Databank(format!("kan {} niet openen ({e})", pad.display())))?;
    // Before WAL mode: switching a new file to WAL writes its header, after which SQLite no
    // longer changes the auto-vacuum mode without a rewrite.
    vacuum::zet_incrementeel_voor(&conn)?;
    stel_in(&conn)?;
    let versie: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let doel = lijst.len() as i64;
    if versie > 0 && versie < doel {
        let kopie = backup::naam_voor_migratie(pad, versie);
        backup::kopieer_van(&conn, &kopie).map_err(|e| {
            OpslagFout::Databank(format!(
                "de databank wordt niet bijgewerkt want de kopie vooraf mislukte: {e}"
            ))
        })?;
        tracing::info!(
            "kopie vóór het bijwerken van schemaversie {versie} naar {doel}: {}",
            kopie.display()
        );
    }
    migraties::voer_uit_met(&mut conn, lijst)?;
    let herschreven = vacuum::zet_incrementeel_na(&conn)?;
    Ok((conn, herschreven))
}

/// Every command opens a `postgres://` address through `storage::opslag`; this is the guard
/// for code that opens a SQLite file directly (the SQLite side of an engine, `verhuis --van`):
/// such an address is refused with a Dutch sentence instead of making a folder `postgres:`.
fn weiger_postgres(pad: &Path) -> Result<(), OpslagFout> {
    let tekst = pad.to_string_lossy();
    let Some(begin) = ["postgres:/", "postgresql:/"]
        .iter()
        .filter_map(|s| tekst.find(s))
        .min()
    else {
        return Ok(());
    };
    Err(OpslagFout::Geweigerd(format!(
        "{} is een PostgreSQL-adres; hier hoort het pad van een SQLite-bestand (bv. /var/lib/zorgenquete/zorgenquete.sqlite)",
        pg::zonder_wachtwoord(&tekst[begin..])
    )))
}

/// Opens an existing database for reading only (web pages that only look things up).
pub fn open_lezer(pad: &Path) -> Result<Connection, OpslagFout> {
    weiger_postgres(pad)?;
    let conn = Connection::open(pad)
        .map_err(|e| OpslagFout::Databank(format!("kan {} niet openen ({e})", pad.display())))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

fn stel_in(conn: &Connection) -> Result<(), OpslagFout> {
    conn.busy_timeout(Duration::from_secs(5))?;
    let modus: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !modus.eq_ignore_ascii_case("wal") {
        return Err(OpslagFout::Databank(format!(
            "de databank kan niet in WAL-modus (kreeg `{modus}`); staat ze op een netwerkschijf?"
        )));
    }
    // FULL: a commit is on disk (WAL fsynced) before we say "bewaard".
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Deleted data is overwritten, not left in free pages.
    conn.pragma_update(None, "secure_delete", true)?;
    // After a checkpoint resets the WAL, it is cut back to this size: no large tail of old
    // page images after a burst.
    conn.pragma_update(None, "journal_size_limit", vacuum::WAL_GRENS)?;
    Ok(())
}

/// The secret used for form tokens and code hashes; made once per database.
pub fn geheim(conn: &Connection) -> Result<Vec<u8>, OpslagFout> {
    Ok(conn.query_row(
        "SELECT waarde FROM geheim WHERE naam = 'sleutel'",
        [],
        |r| r.get(0),
    )?)
}

/// One period as the CLI lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodeInfo {
    pub vragenlijst: String,
    pub naam: String,
    pub open: bool,
    pub uitgenodigd: Option<u32>,
    pub antwoorden: i64,
    pub codes: i64,
    pub codes_gebruikt: i64,
    /// The number of responses at the last release of its answers (`None`: never).
    pub vrijgegeven: Option<i64>,
}

impl PeriodeInfo {
    /// Whether its answers may be seen (see [`crate::domain::vrijgave`]).
    pub fn vrijgave(&self) -> Vrijgave {
        Vrijgave::van(
            self.open,
            aantal(self.antwoorden),
            self.vrijgegeven.map(aantal),
        )
    }

    /// Its status for the dashboard's overview: open or closed, and when its results wait.
    pub fn status(&self, minimum: MinimumGroep) -> String {
        let nodig = self.nog_nodig(minimum);
        match (self.open, nodig) {
            (true, 0) => "open: resultaten na het sluiten".into(),
            (true, n) => format!("open: resultaten pas na nog {n} antwoorden en het sluiten"),
            (false, 0) => "gesloten".into(),
            (false, n) => format!(
                "gesloten: resultaten verborgen tot er nog {n} antwoorden bij zijn (heropen de periode)"
            ),
        }
    }

    /// How many more responses it needs before a close releases its answers again (0: none).
    pub fn nog_nodig(&self, minimum: MinimumGroep) -> u64 {
        regels::nog_nodig(
            self.vrijgegeven.map(aantal),
            aantal(self.antwoorden),
            minimum,
        )
    }
}

/// A count from SQLite (never negative) as `u64`.
pub(crate) fn aantal(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The open period of a questionnaire, and whether it uses access codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPeriode {
    pub naam: String,
    pub met_codes: bool,
}

pub fn open_periode(
    conn: &Connection,
    vragenlijst: &str,
) -> Result<Option<OpenPeriode>, OpslagFout> {
    Ok(conn
        .prepare_cached("SELECT naam, met_codes FROM periode WHERE vragenlijst = ?1 AND open = 1")?
        .query_row([vragenlijst], |r| {
            Ok(OpenPeriode {
                naam: r.get(0)?,
                met_codes: r.get(1)?,
            })
        })
        .optional()?)
}

/// What opening a period did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Geopend {
    /// A new period.
    Nieuw,
    /// A closed period with this name is open again.
    Heropend,
}

/// Opens a period (new, or reopened). Only one period per questionnaire can be open.
pub fn periode_open(
    conn: &mut Connection,
    vragenlijst: &str,
    periode: &PeriodeNaam,
    uitgenodigd: Option<u32>,
) -> Result<Geopend, OpslagFout> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let geopend = periode_open_in(&tx, vragenlijst, periode, uitgenodigd)?;
    tx.commit()?;
    Ok(geopend)
}

/// [`periode_open`] inside the caller's transaction (`storage::opslag::beheer`: with its audit
/// line in the same transaction).
pub(crate) fn periode_open_in(
    tx: &Connection,
    vragenlijst: &str,
    periode: &PeriodeNaam,
    uitgenodigd: Option<u32>,
) -> Result<Geopend, OpslagFout> {
    if let Some(ander) = open_periode(tx, vragenlijst)?
        && ander.naam != periode.as_str()
    {
        return Err(Conflict::AnderePeriodeOpen {
            vragenlijst: vragenlijst.to_string(),
            open: ander.naam,
        }
        .into());
    }
    let bestond: bool = tx
        .query_row(
            "SELECT 1 FROM periode WHERE vragenlijst = ?1 AND naam = ?2",
            params![vragenlijst, periode.as_str()],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    tx.execute(
        "INSERT INTO periode (vragenlijst, naam, open, uitgenodigd, met_codes) VALUES (?1, ?2, 1, ?3, 0)
         ON CONFLICT (vragenlijst, naam) DO UPDATE SET open = 1,
           uitgenodigd = coalesce(excluded.uitgenodigd, periode.uitgenodigd)",
        params![vragenlijst, periode.as_str(), uitgenodigd],
    )?;
    Ok(if bestond {
        Geopend::Heropend
    } else {
        Geopend::Nieuw
    })
}

/// Closes a period: from now on its form refuses answers. In the same transaction it decides
/// whether the period's answers are released ([`regels::mag_vrijgeven`]): always the first
/// time; after a re-opening only with at least `minimum` responses more than at the last
/// release. The message says so.
pub fn periode_sluit(
    conn: &mut Connection,
    vragenlijst: &str,
    periode: &PeriodeNaam,
    minimum: MinimumGroep,
) -> Result<u64, OpslagFout> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let nog = periode_sluit_in(&tx, vragenlijst, periode, minimum)?;
    tx.commit()?;
    // Free pages (e.g. of deleted codes) back to the file system, in short steps.
    if let Err(e) = vacuum::geef_vrije_paginas_terug(conn) {
        tracing::warn!("vrije pagina's na het sluiten niet opgeruimd: {e}");
    }
    Ok(nog)
}

/// [`periode_sluit`] inside the caller's transaction (without giving free pages back).
pub(crate) fn periode_sluit_in(
    tx: &Connection,
    vragenlijst: &str,
    periode: &PeriodeNaam,
    minimum: MinimumGroep,
) -> Result<u64, OpslagFout> {
    let rij: Option<(Option<i64>, i64)> = tx
        .query_row(
            "SELECT vrijgegeven,
               p.inzendingen
             FROM periode p WHERE vragenlijst = ?1 AND naam = ?2",
            params![vragenlijst, periode.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((vorige, n)) = rij else {
        return Err(Conflict::PeriodeBestaatNiet {
            vragenlijst: vragenlijst.to_string(),
            periode: periode.to_string(),
        }
        .into());
    };
    let vrij = regels::mag_vrijgeven(vorige.map(aantal), aantal(n), minimum);
    tx.execute(
        "UPDATE periode SET open = 0, vrijgegeven = CASE WHEN ?3 THEN ?4 ELSE vrijgegeven END
         WHERE vragenlijst = ?1 AND naam = ?2",
        params![vragenlijst, periode.as_str(), vrij, n],
    )?;
    Ok(regels::nog_nodig(vorige.map(aantal), aantal(n), minimum))
}

pub fn periodes(conn: &Connection) -> Result<Vec<PeriodeInfo>, OpslagFout> {
    let sql = "SELECT p.vragenlijst, p.naam, p.open, p.uitgenodigd,
           p.inzendingen,
           (SELECT count(*) FROM code c WHERE c.vragenlijst = p.vragenlijst AND c.periode = p.naam),
           (SELECT count(*) FROM code c WHERE c.vragenlijst = p.vragenlijst AND c.periode = p.naam AND c.gebruikt = 1),
           p.vrijgegeven
         FROM periode p ORDER BY p.vragenlijst, p.naam";
    Ok(rows(conn, sql, [], |r| {
        Ok(PeriodeInfo {
            vragenlijst: r.get(0)?,
            naam: r.get(1)?,
            open: r.get(2)?,
            uitgenodigd: r.get(3)?,
            antwoorden: r.get(4)?,
            codes: r.get(5)?,
            codes_gebruikt: r.get(6)?,
            vrijgegeven: r.get(7)?,
        })
    })?)
}

/// Makes `aantal` new codes for a period and stores only their hashes.
pub fn maak_codes(
    conn: &mut Connection,
    vragenlijst: &str,
    periode: &PeriodeNaam,
    aantal: u32,
) -> Result<Vec<Code>, OpslagFout> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let codes = maak_codes_in(&tx, vragenlijst, periode, aantal)?;
    tx.commit()?;
    Ok(codes)
}

/// [`maak_codes`] inside the caller's transaction.
pub(crate) fn maak_codes_in(
    tx: &Connection,
    vragenlijst: &str,
    periode: &PeriodeNaam,
    aantal: u32,
) -> Result<Vec<Code>, OpslagFout> {
    let geheim = geheim(tx)?;
    let bestaat = tx
        .query_row(
            "SELECT 1 FROM periode WHERE vragenlijst = ?1 AND naam = ?2",
            params![vragenlijst, periode.as_str()],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !bestaat {
        return Err(Conflict::PeriodeBestaatNiet {
            vragenlijst: vragenlijst.to_string(),
            periode: periode.to_string(),
        }
        .into());
    }
    let mut codes = Vec::with_capacity(aantal as usize);
    {
        let mut insert = tx.prepare(
            "INSERT OR IGNORE INTO code (hash, vragenlijst, periode, gebruikt) VALUES (?1, ?2, ?3, 0)",
        )?;
        while codes.len() < aantal as usize {
            let code = Code::nieuw().map_err(|e| {
                OpslagFout::Databank(format!("geen willekeurige getallen beschikbaar ({e})"))
            })?;
            // A collision with an existing code inserts nothing; then we simply draw again.
            if insert.execute(params![
                &code.hash(&geheim)[..],
                vragenlijst,
                periode.as_str()
            ])? == 1
            {
                codes.push(code);
            }
        }
    }
    tx.execute(
        "UPDATE periode SET met_codes = 1 WHERE vragenlijst = ?1 AND naam = ?2",
        params![vragenlijst, periode.as_str()],
    )?;
    Ok(codes)
}

/// Keeps the item texts and versions of the questionnaires, so reports can show what was asked
/// even after an item changed. Returns warnings for items whose text changed without a new
/// version.
pub fn bewaar_vragen(
    conn: &Connection,
    lijsten: &Vragenlijsten,
) -> Result<Vec<String>, OpslagFout> {
    let mut waarschuwingen = Vec::new();
    let mut select =
        conn.prepare("SELECT tekst FROM vraag WHERE vragenlijst = ?1 AND id = ?2 AND versie = ?3")?;
    let mut upsert = conn.prepare(
        "INSERT INTO vraag (vragenlijst, id, versie, categorie, soort, tekst) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (vragenlijst, id, versie) DO UPDATE SET categorie = excluded.categorie,
           soort = excluded.soort, tekst = excluded.tekst",
    )?;
    for lijst in lijsten.0.values() {
        for v in &lijst.vragen {
            let oud: Option<String> = select
                .query_row(params![lijst.id, v.id, v.versie], |r| r.get(0))
                .optional()?;
            if let Some(oud) = oud
                && oud != v.tekst.nl()
            {
                waarschuwingen.push(format!(
                    "de tekst van vraag `{}` in {}.toml veranderde, maar de versie ({}) niet; verandert de betekenis, verhoog dan `versie`",
                    v.id, lijst.id, v.versie
                ));
            }
            upsert.execute(params![
                lijst.id,
                v.id,
                v.versie,
                v.categorie.id(),
                v.soort.id(),
                v.tekst.nl()
            ])?;
        }
    }
    Ok(waarschuwingen)
}

/// Days since 1970-01-01 (UTC), now.
fn dagen_nu() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        / 86_400
}

/// Today's date (UTC) as `YYYY-MM-DD` (retention, audit times; never stored with answers).
pub fn vandaag() -> String {
    datum(dagen_nu())
}

/// This ISO week (UTC) as `YYYY-Www`, for the progress counters only.
pub fn deze_week() -> String {
    iso_week(dagen_nu())
}

/// Civil date `(year, month, day)` from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civiel(dagen: u64) -> (i64, i64, i64) {
    let z = dagen as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Civil date from days since 1970-01-01, as `YYYY-MM-DD`.
pub(crate) fn datum(dagen: u64) -> String {
    let (y, m, d) = civiel(dagen);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of a civil date (the inverse of [`civiel`]).
fn dagen_van(jaar: i64, maand: i64, dag: i64) -> i64 {
    let y = if maand <= 2 { jaar - 1 } else { jaar };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((maand + 9) % 12) + 2) / 5 + dag - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The ISO 8601 week of a day (days since 1970-01-01) as `YYYY-Www`: weeks start on Monday,
/// and week 1 is the week with the year's first Thursday (SQLite's `strftime('%G-W%V')`).
pub(crate) fn iso_week(dagen: u64) -> String {
    let dagen = dagen as i64;
    // 1970-01-01 was a Thursday; Monday = 0. The Thursday of the same week decides the year.
    let donderdag = dagen - (dagen + 3).rem_euclid(7) + 3;
    let (jaar, _, _) = civiel(donderdag.max(0) as u64);
    let week = (donderdag - dagen_van(jaar, 1, 1)) / 7 + 1;
    format!("{jaar:04}-W{week:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upgrade_first_copies_the_database_next_to_it() {
        let dir = std::env::temp_dir().join(format!("zorgenquete-upgrade-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = dir.join("z.sqlite");
        let mut conn = open(&db).unwrap();
        periode_open(
            &mut conn,
            "ouders",
            &PeriodeNaam::parse("2025-2026").unwrap(),
            None,
        )
        .unwrap();
        drop(conn);
        let huidig = migraties::doelversie();
        let kopie = backup::naam_voor_migratie(&db, huidig);
        // Opening at the same version copies nothing.
        drop(open(&db).unwrap());
        assert!(!kopie.exists());
        // A newer program with one more migration copies first, then migrates.
        let mut later = migraties::MIGRATIES.to_vec();
        later.push("CREATE TABLE later (x INTEGER);");
        let conn = open_met(&db, &later).unwrap();
        let versie: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(versie, huidig + 1);
        let oud = Connection::open(&kopie).unwrap();
        let oude_versie: i64 = oud
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(oude_versie, huidig);
        assert_eq!(periodes(&oud).unwrap().len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_postgres_address_is_never_opened_as_a_sqlite_file() {
        let dir = std::env::temp_dir().join(format!("zorgenquete-pgadres-{}", std::process::id()));
        for adres in [
            "postgres://zorg:geheim@db.school.be/zorg".to_string(),
            dir.join("postgresql://zorg:geheim@db/zorg")
                .to_string_lossy()
                .into_owned(),
        ] {
            let fout = open(Path::new(&adres)).unwrap_err();
            let tekst = fout.to_string();
            assert!(matches!(fout, OpslagFout::Geweigerd(_)), "{tekst}");
            assert!(tekst.contains("is een PostgreSQL-adres"), "{tekst}");
            assert!(
                !tekst.contains("geheim"),
                "no password in messages: {tekst}"
            );
            assert!(open_lezer(Path::new(&adres)).is_err());
        }
        assert!(
            !Path::new("postgres:").exists() && !dir.exists(),
            "no folder made"
        );
    }

    #[test]
    fn iso_weeks_agree_with_sqlite() {
        let conn = Connection::open_in_memory().unwrap();
        let mut stmt = conn
            .prepare("SELECT strftime('%G-W%V', ?1 * 86400, 'unixepoch')")
            .unwrap();
        // Every day from 1970 to 2100.
        for dag in 0..47_500u64 {
            let sqlite: String = stmt.query_row([dag as i64], |r| r.get(0)).unwrap();
            assert_eq!(iso_week(dag), sqlite, "day {dag} ({})", datum(dag));
        }
        // Thursday 2026-01-01 opens 2026-W01; the Sunday before ends 2025-W52.
        assert_eq!(
            (datum(20_454).as_str(), iso_week(20_454).as_str()),
            ("2026-01-01", "2026-W01")
        );
        assert_eq!(
            (datum(20_450).as_str(), iso_week(20_450).as_str()),
            ("2025-12-28", "2025-W52")
        );
        assert_eq!(dagen_van(2026, 11, 23), 20_780);
    }

    #[test]
    fn civil_dates() {
        assert_eq!(datum(0), "1970-01-01");
        assert_eq!(datum(19_782), "2024-02-29");
        assert_eq!(datum(20_780), "2026-11-23");
    }
}
