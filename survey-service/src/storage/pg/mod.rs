//! PostgreSQL as the second storage engine (`db = "postgres://…"`): the same tables, the same
//! rules, the same answers as the SQLite file.
//!
//! **One schema per school.** A service that runs a group keeps one SQLite file per school;
//! on PostgreSQL every school gets its own schema (`school_<id>`; `zorgenquete` for a service
//! without `[[school]]`) in one database, and every connection of the school's pool has that
//! schema as its `search_path`. So the SQL is the same text as on SQLite, without a school
//! column in any key or `WHERE`: a query that forgets the school cannot exist, a school is
//! moved or removed as one unit (`pg_dump -n`, `DROP SCHEMA … CASCADE`), and an IT partner can
//! give a school its own role with rights on its schema only. A school column would have put
//! the isolation into every query and every index of the program instead of into one
//! connection setting. The cost: group-wide reads (the group report) read each school's schema
//! in turn, which they do anyway, because suppression is decided per school. The `school`
//! table inside the schema holds the school's id, as in the SQLite file (a schema never serves
//! another school).
//!
//! **Plain SQL on the wire protocol.** No extensions, no advisory locks, no LISTEN/NOTIFY, no
//! `ctid` tricks, no PL/pgSQL: row locks (`FOR UPDATE`), `ON CONFLICT`, `unnest` and
//! identity columns only, so a managed or distributed PostgreSQL-compatible service works.
//! Connection settings are plain `SET`s run once per new connection (a pooler in transaction
//! mode would lose them: use session mode).
//!
//! **Durability.** Every connection runs with `synchronous_commit = on`: `COMMIT` returns
//! only after the commit record is flushed (and, with synchronous replication, on the
//! standby), and the writer ([`schrijver`]) answers a submission only after its group's
//! `COMMIT` returned. Acknowledged means committed.
//!
//! **Anonymity.** [`PgOpslag::open`] refuses a server with `track_commit_timestamp = on` (it
//! would keep the commit time of every response). Every read of responses orders by the random
//! id, never by physical (arrival) order. What a database administrator can still learn from
//! the WAL, base backups and replicas is in the threat model (`docs/dreigingsmodel.md`, point 16).

pub mod beheer;
pub mod rapport;
pub mod schrijver;

use std::sync::Arc;

use deadpool_postgres::{Hook, HookError, Manager, ManagerConfig, Pool, RecyclingMethod};
use futures_util::StreamExt;
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

use super::respons::PerKanaal;
use super::vrijgave::PeriodeStaat;
use super::{Conflict, Geopend, OpenPeriode, OpslagFout, PeriodeInfo, aantal};
use crate::domain::Kanaal;
use crate::domain::PeriodeNaam;
use crate::domain::code::Code;
use crate::domain::vrijgave::{self as regels, Aantal, MinimumGroep};

/// Migration `i` brings a school's schema from version `i` to `i + 1` (forward only, each in
/// its own transaction; never edit one that has shipped, add a file). The version lives in the
/// table `schemaversie` of the schema.
pub const MIGRATIES: &[&str] = &[include_str!("0001_schema.sql")];

/// Connections per school: the writer holds one while it commits a group, readers share the
/// rest. Small on purpose: a group of 40 schools on one server stays far below PostgreSQL's
/// default `max_connections` (100).
const POOLGROOTTE: usize = 4;

/// A school's storage on PostgreSQL. Cheap to clone (the pool and the writer are shared).
#[derive(Clone)]
pub struct PgOpslag {
    pool: Pool,
    schema: Arc<str>,
    geheim: Arc<Vec<u8>>,
    schrijver: schrijver::PgSchrijver,
}

/// The schema of a school: `school_<id>`, or `zorgenquete` for a service of one school. The id
/// is checked again here (lower-case letters, digits, `-`; at most 32), since it becomes an
/// identifier.
pub fn schema_naam(school: Option<&str>) -> Result<String, OpslagFout> {
    match school {
        None => Ok("zorgenquete".into()),
        Some(id)
            if !id.is_empty()
                && id.len() <= 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
        {
            Ok(format!("school_{id}"))
        }
        Some(id) => Err(OpslagFout::Geweigerd(format!(
            "`{id}` kan geen schoolnaam in PostgreSQL zijn (kleine letters, cijfers en `-`, hoogstens 32 tekens)"
        ))),
    }
}

/// An identifier in double quotes (the schema name holds a `-`).
fn ident(naam: &str) -> String {
    format!("\"{}\"", naam.replace('"', "\"\""))
}

/// A PostgreSQL error as a storage failure, with the server's own message when there is one
/// (`tokio_postgres::Error`'s `Display` alone says only "db error").
pub(crate) fn fout(e: tokio_postgres::Error) -> OpslagFout {
    match e.as_db_error() {
        Some(db) => OpslagFout::Databank(format!(
            "databankfout (PostgreSQL {}): {}",
            db.code().code(),
            db.message()
        )),
        None => {
            // The cause too ("Connection refused"), not only "error connecting to server".
            let mut tekst = e.to_string();
            let mut bron = std::error::Error::source(&e);
            while let Some(b) = bron {
                tekst.push_str(&format!(": {b}"));
                bron = b.source();
            }
            if e.is_closed() || tekst.contains("connect") {
                OpslagFout::Databank(format!(
                    "geen verbinding met PostgreSQL ({tekst}); staat de server aan en klopt `db` (server, poort, databank, gebruiker)?"
                ))
            } else {
                OpslagFout::Databank(format!("databankfout (PostgreSQL): {tekst}"))
            }
        }
    }
}

pub(crate) fn poolfout(e: deadpool_postgres::PoolError) -> OpslagFout {
    match e {
        deadpool_postgres::PoolError::Backend(e) => fout(e),
        e => OpslagFout::Databank(format!("geen verbinding met PostgreSQL: {e}")),
    }
}

/// Whether the error is a violated unique constraint (a race two writers lost to each other).
fn is_uniek(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// A `CREATE … IF NOT EXISTS` that lost a race with another service creating the same object:
/// depending on the moment, PostgreSQL reports a unique violation in its catalogue, a
/// duplicate type (the table's row type) or a duplicate table or schema.
fn is_al_gemaakt(e: &tokio_postgres::Error) -> bool {
    [
        SqlState::UNIQUE_VIOLATION,
        SqlState::DUPLICATE_OBJECT,
        SqlState::DUPLICATE_TABLE,
        SqlState::DUPLICATE_SCHEMA,
    ]
    .iter()
    .any(|c| e.code() == Some(c))
}

impl PgOpslag {
    /// Connects to `url` (`postgres://user@host:port/db`), makes the school's schema if it is
    /// missing, brings it up to date, checks the server's settings, draws the secret once, and
    /// claims the schema for `school` (refusing a schema of another school). Starts the writer
    /// on the current tokio runtime.
    pub async fn open(url: &str, school: Option<&str>) -> Result<PgOpslag, OpslagFout> {
        Self::open_met(url, school, MIGRATIES).await
    }

    /// As [`PgOpslag::open`], with the list of migrations passed in (tests add one).
    pub async fn open_met(
        url: &str,
        school: Option<&str>,
        migraties: &[&str],
    ) -> Result<PgOpslag, OpslagFout> {
        let schema = schema_naam(school)?;
        let config: tokio_postgres::Config = url.parse().map_err(|e| {
            OpslagFout::Geweigerd(format!(
                "`{}` is geen geldig PostgreSQL-adres ({e}); schrijf postgres://gebruiker@server:5432/databank",
                zonder_wachtwoord(url)
            ))
        })?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        // Every new connection: the school's schema, commits that wait for the WAL flush, and
        // at most SQLite's busy timeout (5 s) waiting for a lock another connection holds: a
        // parent then gets the 503 page with the answers kept instead of a request that hangs
        // (migrations lift it: see `migreer`).
        let instellen = format!(
            "SET search_path TO {}; SET synchronous_commit TO on; SET lock_timeout TO '5s'",
            ident(&schema)
        );
        let pool = Pool::builder(manager)
            .max_size(POOLGROOTTE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .create_timeout(Some(std::time::Duration::from_secs(10)))
            .wait_timeout(Some(std::time::Duration::from_secs(30)))
            .post_create(Hook::async_fn(move |client, _| {
                let sql = instellen.clone();
                Box::pin(
                    async move { client.batch_execute(&sql).await.map_err(HookError::Backend) },
                )
            }))
            .build()
            .map_err(|e| OpslagFout::Databank(format!("PostgreSQL-pool: {e}")))?;
        let client = pool.get().await.map_err(poolfout)?;
        controleer_server(&client).await?;
        maak_schema(&client, &schema).await?;
        drop(client);
        migreer(&pool, migraties).await?;
        let client = pool.get().await.map_err(poolfout)?;
        let geheim = eenmalig_geheim(&client, "sleutel").await?;
        if let Some(id) = school {
            claim(&client, &schema, id).await?;
        }
        drop(client);
        let schrijver = schrijver::PgSchrijver::start(pool.clone());
        Ok(PgOpslag {
            pool,
            schema: schema.into(),
            geheim: Arc::new(geheim),
            schrijver,
        })
    }

    /// The school's schema.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The pool (tests, and the row source of the report).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The secret for form tokens and code hashes (read once at [`PgOpslag::open`]).
    pub fn geheim(&self) -> Vec<u8> {
        self.geheim.to_vec()
    }

    /// Stores one submission through the group-commit writer; returns after its group's
    /// `COMMIT` returned.
    pub async fn bewaar(
        &self,
        inzending: super::schrijver::NieuweInzending,
    ) -> Result<super::schrijver::Uitkomst, OpslagFout> {
        self.schrijver.bewaar(inzending).await
    }

    pub async fn open_periode(&self, vragenlijst: &str) -> Result<Option<OpenPeriode>, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        let stmt = client
            .prepare_cached("SELECT naam, met_codes FROM periode WHERE vragenlijst = $1 AND open")
            .await
            .map_err(fout)?;
        let rij = client
            .query_opt(&stmt, &[&vragenlijst])
            .await
            .map_err(fout)?;
        Ok(rij.map(|r| OpenPeriode {
            naam: r.get(0),
            met_codes: r.get(1),
        }))
    }

    /// Opens a period (new, or reopened). Only one period per questionnaire can be open (the
    /// partial unique index decides a race between two services).
    pub async fn periode_open(
        &self,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        uitgenodigd: Option<u32>,
    ) -> Result<Geopend, OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        match periode_open_in(&tx, vragenlijst, periode, uitgenodigd).await {
            Ok(geopend) => {
                tx.commit().await.map_err(fout)?;
                Ok(geopend)
            }
            Err(e) => {
                drop(tx);
                Err(self.met_open_naam(e, vragenlijst).await)
            }
        }
    }

    /// A race lost to another service that opened another period ([`periode_open_in`] cannot
    /// read in its aborted transaction): the error with the open period's name read anew.
    pub(crate) async fn met_open_naam(&self, e: OpslagFout, vragenlijst: &str) -> OpslagFout {
        match e {
            OpslagFout::Conflict(Conflict::AnderePeriodeOpen {
                vragenlijst: v,
                open,
            }) if open.is_empty() => {
                let open = match self.open_periode(vragenlijst).await {
                    Ok(p) => p.map(|p| p.naam).unwrap_or_default(),
                    Err(e) => return e,
                };
                Conflict::AnderePeriodeOpen {
                    vragenlijst: v,
                    open,
                }
                .into()
            }
            e => e,
        }
    }
}

/// [`PgOpslag::periode_open`] inside the caller's transaction (with an audit line in the same
/// transaction: `storage::pg::beheer`). A lost race with another service is
/// `AnderePeriodeOpen` with an empty name (the transaction is aborted; see
/// [`PgOpslag::met_open_naam`]).
pub(crate) async fn periode_open_in(
    tx: &tokio_postgres::Transaction<'_>,
    vragenlijst: &str,
    periode: &PeriodeNaam,
    uitgenodigd: Option<u32>,
) -> Result<Geopend, OpslagFout> {
    let ander = tx
        .query_opt(
            "SELECT naam FROM periode WHERE vragenlijst = $1 AND open FOR UPDATE",
            &[&vragenlijst],
        )
        .await
        .map_err(fout)?
        .map(|r| r.get::<_, String>(0));
    if let Some(ander) = ander
        && ander != periode.as_str()
    {
        return Err(Conflict::AnderePeriodeOpen {
            vragenlijst: vragenlijst.to_string(),
            open: ander,
        }
        .into());
    }
    let bestond = tx
        .query_opt(
            "SELECT 1 FROM periode WHERE vragenlijst = $1 AND naam = $2",
            &[&vragenlijst, &periode.as_str()],
        )
        .await
        .map_err(fout)?
        .is_some();
    let uitgenodigd = uitgenodigd.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    let gezet = tx
        .execute(
            "INSERT INTO periode (vragenlijst, naam, open, uitgenodigd, met_codes)
             VALUES ($1, $2, true, $3, false)
             ON CONFLICT (vragenlijst, naam) DO UPDATE SET open = true,
               uitgenodigd = coalesce(excluded.uitgenodigd, periode.uitgenodigd)",
            &[&vragenlijst, &periode.as_str(), &uitgenodigd],
        )
        .await;
    match gezet {
        Ok(_) => {}
        Err(e) if is_uniek(&e) => {
            // Another service opened another period of this questionnaire meanwhile; the
            // caller reads its name after the rollback (`PgOpslag::met_open_naam`).
            return Err(Conflict::AnderePeriodeOpen {
                vragenlijst: vragenlijst.to_string(),
                open: String::new(),
            }
            .into());
        }
        Err(e) => return Err(fout(e)),
    }
    Ok(if bestond {
        Geopend::Heropend
    } else {
        Geopend::Nieuw
    })
}

impl PgOpslag {
    /// Closes a period and decides the release in the same transaction (as
    /// [`super::periode_sluit`]). The row lock waits for a group the writer is committing into
    /// this period, so the count read is the final one.
    pub async fn periode_sluit(
        &self,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        minimum: MinimumGroep,
    ) -> Result<u64, OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        let nog = periode_sluit_in(&tx, vragenlijst, periode, minimum).await?;
        tx.commit().await.map_err(fout)?;
        Ok(nog)
    }

    /// Every period, as [`super::periodes`].
    pub async fn periodes(&self) -> Result<Vec<PeriodeInfo>, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        let rijen = client
            .query(
                "SELECT p.vragenlijst, p.naam, p.open, p.uitgenodigd, p.inzendingen,
                   (SELECT count(*) FROM code c WHERE c.vragenlijst = p.vragenlijst AND c.periode = p.naam),
                   (SELECT count(*) FROM code c WHERE c.vragenlijst = p.vragenlijst AND c.periode = p.naam AND c.gebruikt),
                   p.vrijgegeven
                 FROM periode p ORDER BY p.vragenlijst, p.naam",
                &[],
            )
            .await
            .map_err(fout)?;
        Ok(rijen
            .iter()
            .map(|r| PeriodeInfo {
                vragenlijst: r.get(0),
                naam: r.get(1),
                open: r.get(2),
                uitgenodigd: r.get::<_, Option<i32>>(3).map(|n| n.max(0) as u32),
                antwoorden: r.get(4),
                codes: r.get(5),
                codes_gebruikt: r.get(6),
                vrijgegeven: r.get(7),
            })
            .collect())
    }

    /// The periods of a questionnaire with their release state, as [`super::vrijgave::staten`].
    pub async fn staten(&self, vragenlijst: &str) -> Result<Vec<PeriodeStaat>, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        staten_op(&client, vragenlijst).await
    }

    /// Makes `aantal` new codes for a period and stores only their hashes.
    pub async fn maak_codes(
        &self,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        aantal: u32,
    ) -> Result<Vec<Code>, OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        let codes = maak_codes_in(&tx, &self.geheim, vragenlijst, periode, aantal).await?;
        tx.commit().await.map_err(fout)?;
        Ok(codes)
    }

    /// Live counts per channel, as [`super::respons::per_kanaal`].
    pub async fn per_kanaal(&self, minimum: MinimumGroep) -> Result<PerKanaal, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        let rijen = client
            .query(
                "SELECT vragenlijst, periode, kanaal, count(*) FROM inzending GROUP BY 1, 2, 3",
                &[],
            )
            .await
            .map_err(fout)?;
        let mut uit = PerKanaal::new();
        for r in &rijen {
            let Some(k) = Kanaal::parse(r.get(2)) else {
                continue;
            };
            uit.entry((r.get(0), r.get(1)))
                .or_insert_with(|| {
                    Kanaal::ALLE
                        .iter()
                        .map(|k| (*k, Aantal::van(0, minimum)))
                        .collect()
                })
                .insert(k, Aantal::van(aantal(r.get(3)), minimum));
        }
        Ok(uit)
    }

    /// A read-only view of one moment (`REPEATABLE READ`): the release states and then the
    /// rows of the report, as SQLite's [`super::vrijgave::in_een_moment`]. For a blocking
    /// thread (the report counts synchronously): see [`Moment`].
    pub fn moment(&self, runtime: tokio::runtime::Handle) -> Result<Moment, OpslagFout> {
        let pool = self.pool.clone();
        let client = runtime.block_on(async move {
            let client = pool.get().await.map_err(poolfout)?;
            client
                .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .await
                .map_err(fout)?;
            Ok::<_, OpslagFout>(client)
        })?;
        Ok(Moment {
            runtime,
            client: Some(client),
        })
    }
}

/// Hides a password in an address before it goes into a message.
pub fn zonder_wachtwoord(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(a)) if a > s => {
            let gebruiker = &url[s + 3..a];
            match gebruiker.find(':') {
                Some(d) => format!("{}{}:***{}", &url[..s + 3], &gebruiker[..d], &url[a..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// [`PgOpslag::periode_sluit`] inside the caller's transaction.
pub(crate) async fn periode_sluit_in(
    tx: &tokio_postgres::Transaction<'_>,
    vragenlijst: &str,
    periode: &PeriodeNaam,
    minimum: MinimumGroep,
) -> Result<u64, OpslagFout> {
    let rij = tx
        .query_opt(
            "SELECT vrijgegeven, inzendingen FROM periode
             WHERE vragenlijst = $1 AND naam = $2 FOR UPDATE",
            &[&vragenlijst, &periode.as_str()],
        )
        .await
        .map_err(fout)?;
    let Some(rij) = rij else {
        return Err(Conflict::PeriodeBestaatNiet {
            vragenlijst: vragenlijst.to_string(),
            periode: periode.to_string(),
        }
        .into());
    };
    let vorige: Option<i64> = rij.get(0);
    let n: i64 = rij.get(1);
    let vrij = regels::mag_vrijgeven(vorige.map(aantal), aantal(n), minimum);
    tx.execute(
        "UPDATE periode SET open = false,
           vrijgegeven = CASE WHEN $3 THEN $4 ELSE vrijgegeven END
         WHERE vragenlijst = $1 AND naam = $2",
        &[&vragenlijst, &periode.as_str(), &vrij, &n],
    )
    .await
    .map_err(fout)?;
    Ok(regels::nog_nodig(vorige.map(aantal), aantal(n), minimum))
}

/// [`PgOpslag::maak_codes`] inside the caller's transaction.
pub(crate) async fn maak_codes_in(
    tx: &tokio_postgres::Transaction<'_>,
    geheim: &[u8],
    vragenlijst: &str,
    periode: &PeriodeNaam,
    aantal: u32,
) -> Result<Vec<Code>, OpslagFout> {
    let bestaat = tx
        .query_opt(
            "SELECT 1 FROM periode WHERE vragenlijst = $1 AND naam = $2 FOR UPDATE",
            &[&vragenlijst, &periode.as_str()],
        )
        .await
        .map_err(fout)?
        .is_some();
    if !bestaat {
        return Err(Conflict::PeriodeBestaatNiet {
            vragenlijst: vragenlijst.to_string(),
            periode: periode.to_string(),
        }
        .into());
    }
    let insert = tx
        .prepare(
            "INSERT INTO code (hash, vragenlijst, periode, gebruikt) VALUES ($1, $2, $3, false)
             ON CONFLICT (hash) DO NOTHING",
        )
        .await
        .map_err(fout)?;
    let mut codes = Vec::with_capacity(aantal as usize);
    while codes.len() < aantal as usize {
        let code = Code::nieuw().map_err(|e| {
            OpslagFout::Databank(format!("geen willekeurige getallen beschikbaar ({e})"))
        })?;
        let hash = code.hash(geheim);
        // A collision with an existing code inserts nothing; then we simply draw again.
        if tx
            .execute(&insert, &[&&hash[..], &vragenlijst, &periode.as_str()])
            .await
            .map_err(fout)?
            == 1
        {
            codes.push(code);
        }
    }
    tx.execute(
        "UPDATE periode SET met_codes = true WHERE vragenlijst = $1 AND naam = $2",
        &[&vragenlijst, &periode.as_str()],
    )
    .await
    .map_err(fout)?;
    Ok(codes)
}

async fn staten_op(
    client: &tokio_postgres::Client,
    vragenlijst: &str,
) -> Result<Vec<PeriodeStaat>, OpslagFout> {
    let rijen = client
        .query(
            "SELECT naam, uitgenodigd, open, inzendingen, vrijgegeven
             FROM periode WHERE vragenlijst = $1 ORDER BY naam",
            &[&vragenlijst],
        )
        .await
        .map_err(fout)?;
    Ok(rijen
        .iter()
        .map(|r| {
            PeriodeStaat::uit_kolommen(
                r.get(0),
                r.get::<_, Option<i32>>(1).map(|n| n.max(0) as u32),
                r.get(2),
                r.get(3),
                r.get(4),
            )
        })
        .collect())
}

/// The server must not keep the commit time of every transaction: with
/// `track_commit_timestamp = on`, `pg_xact_commit_timestamp(xmin)` dates every response.
async fn controleer_server(client: &tokio_postgres::Client) -> Result<(), OpslagFout> {
    match client.query_one("SHOW track_commit_timestamp", &[]).await {
        Ok(rij) => {
            let waarde: String = rij.get(0);
            if waarde != "off" {
                return Err(OpslagFout::Geweigerd(format!(
                    "de PostgreSQL-server bewaart het tijdstip van elke commit (track_commit_timestamp = {waarde}); daarmee is van elk antwoord te zien wanneer het binnenkwam. Zet `track_commit_timestamp = off` in postgresql.conf (of bij de beheerde dienst) en herstart de server; zorgenquete start niet zolang het aan staat"
                )));
            }
            Ok(())
        }
        // A compatible service without this setting: nothing to check here; the threat model
        // says what such a service may keep instead.
        Err(e) if e.code() == Some(&SqlState::UNDEFINED_OBJECT) => {
            tracing::warn!(
                "de server kent track_commit_timestamp niet; controleer zelf of hij tijdstippen van rijen bewaart (zie de handleiding)"
            );
            Ok(())
        }
        Err(e) => Err(fout(e)),
    }
}

async fn maak_schema(client: &tokio_postgres::Client, schema: &str) -> Result<(), OpslagFout> {
    // A schema the IT partner made beforehand (`CREATE SCHEMA … AUTHORIZATION <role>`) is used
    // as it is: `CREATE SCHEMA IF NOT EXISTS` would need CREATE on the database even then.
    let bestaat = client
        .query_opt(
            "SELECT has_schema_privilege($1, 'USAGE') AND has_schema_privilege($1, 'CREATE'),
               current_user::text
             FROM pg_namespace WHERE nspname = $1",
            &[&schema],
        )
        .await
        .map_err(fout)?;
    if let Some(rij) = bestaat {
        let (mag, rol): (bool, String) = (rij.get(0), rij.get(1));
        if !mag {
            return Err(OpslagFout::Geweigerd(format!(
                "de databankgebruiker `{rol}` mag het schema `{schema}` niet gebruiken (PostgreSQL 42501); maak die gebruiker eigenaar (ALTER SCHEMA {} OWNER TO {}) of controleer of `db` het adres van de juiste school is",
                ident(schema),
                ident(&rol)
            )));
        }
        return Ok(());
    }
    let sql = format!("CREATE SCHEMA IF NOT EXISTS {}", ident(schema));
    match client.batch_execute(&sql).await {
        Ok(()) => Ok(()),
        // Two services creating it at once: one wins, the other finds it there.
        Err(e) if is_al_gemaakt(&e) => Ok(()),
        Err(e) => Err(fout(e)),
    }
}

/// Runs the missing migrations, each in its own transaction that holds the version row
/// locked (`FOR UPDATE`), so two services starting at once migrate once.
async fn migreer(pool: &Pool, migraties: &[&str]) -> Result<(i64, i64), OpslagFout> {
    let mut client = pool.get().await.map_err(poolfout)?;
    let doel = migraties.len() as i64;
    // Two statements: when two services start at once, one `CREATE TABLE IF NOT EXISTS` can
    // fail on the other's (committed) table, and the row must be inserted all the same.
    let maak = client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schemaversie (
                 enig   integer PRIMARY KEY CHECK (enig = 1),
                 versie integer NOT NULL
             )",
        )
        .await;
    match maak {
        Ok(()) => {}
        Err(e) if is_al_gemaakt(&e) => {}
        Err(e) => return Err(fout(e)),
    }
    client
        .batch_execute(
            "INSERT INTO schemaversie (enig, versie) VALUES (1, 0) ON CONFLICT (enig) DO NOTHING",
        )
        .await
        .map_err(fout)?;
    let mut voor = None;
    loop {
        let tx = client.transaction().await.map_err(fout)?;
        // A second service starting at once waits for the first one's migration, however long.
        tx.batch_execute("SET LOCAL lock_timeout TO 0")
            .await
            .map_err(fout)?;
        let nu: i64 = tx
            .query_one(
                "SELECT versie FROM schemaversie WHERE enig = 1 FOR UPDATE",
                &[],
            )
            .await
            .map_err(fout)?
            .get::<_, i32>(0)
            .into();
        voor.get_or_insert(nu);
        if nu > doel {
            return Err(OpslagFout::Geweigerd(format!(
                "het PostgreSQL-schema heeft schemaversie {nu}, deze versie van zorgenquete kent er maar {doel}; installeer de nieuwste versie"
            )));
        }
        if nu == doel {
            tx.commit().await.map_err(fout)?;
            return Ok((voor.unwrap_or(nu), nu));
        }
        tx.batch_execute(migraties[nu as usize])
            .await
            .map_err(|e| match fout(e) {
                OpslagFout::Databank(t) => {
                    OpslagFout::Databank(format!("migratie naar versie {}: {t}", nu + 1))
                }
                f => f,
            })?;
        tx.execute(
            "UPDATE schemaversie SET versie = $1 WHERE enig = 1",
            &[&((nu + 1) as i32)],
        )
        .await
        .map_err(fout)?;
        tx.commit().await.map_err(fout)?;
    }
}

/// The schema version of the school (tests, `zorgenquete` diagnostics).
pub async fn versie(opslag: &PgOpslag) -> Result<i64, OpslagFout> {
    let client = opslag.pool.get().await.map_err(poolfout)?;
    Ok(client
        .query_one("SELECT versie FROM schemaversie WHERE enig = 1", &[])
        .await
        .map_err(fout)?
        .get::<_, i32>(0)
        .into())
}

/// `N` random bytes from the OS (core PostgreSQL has no random bytes without pgcrypto).
pub(super) fn willekeurig<const N: usize>() -> Result<[u8; N], OpslagFout> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        OpslagFout::Databank(format!("geen willekeurige getallen beschikbaar ({e})"))
    })?;
    Ok(bytes)
}

/// The row `naam` of `geheim` (the secret `sleutel`, the kiosk key `kiosk`), drawn from the OS
/// the first time. `ON CONFLICT DO NOTHING` and a read afterwards: two services starting at
/// once agree on one value.
pub(super) async fn eenmalig_geheim(
    client: &tokio_postgres::Client,
    naam: &str,
) -> Result<Vec<u8>, OpslagFout> {
    let nieuw = willekeurig::<32>()?;
    client
        .execute(
            "INSERT INTO geheim (naam, waarde) VALUES ($1, $2) ON CONFLICT (naam) DO NOTHING",
            &[&naam, &&nieuw[..]],
        )
        .await
        .map_err(fout)?;
    Ok(client
        .query_one("SELECT waarde FROM geheim WHERE naam = $1", &[&naam])
        .await
        .map_err(fout)?
        .get(0))
}

/// Marks the schema as school `id`'s, or checks that it is (as [`super::school::claim`]).
async fn claim(client: &tokio_postgres::Client, schema: &str, id: &str) -> Result<(), OpslagFout> {
    client
        .execute(
            "INSERT INTO school (enig, id) VALUES (1, $1) ON CONFLICT (enig) DO NOTHING",
            &[&id],
        )
        .await
        .map_err(fout)?;
    let eigen: String = client
        .query_one("SELECT id FROM school WHERE enig = 1", &[])
        .await
        .map_err(fout)?
        .get(0);
    if eigen == id {
        Ok(())
    } else {
        Err(OpslagFout::Geweigerd(format!(
            "het PostgreSQL-schema {schema} hoort bij school `{eigen}`, niet bij `{id}`; controleer de instellingen van beide scholen"
        )))
    }
}

/// One read-only moment on PostgreSQL, for a blocking thread: the release states, then the
/// rows of the report from the same snapshot ([`super::RijBron`]). Its calls block on the
/// runtime given to [`PgOpslag::moment`]; never use it on a runtime thread (use
/// `spawn_blocking`). End it with [`Moment::sluit`].
pub struct Moment {
    runtime: tokio::runtime::Handle,
    client: Option<deadpool_postgres::Object>,
}

impl Moment {
    pub fn staten(&mut self, vragenlijst: &str) -> Result<Vec<PeriodeStaat>, OpslagFout> {
        let client = self.client()?;
        self.runtime.block_on(staten_op(client, vragenlijst))
    }

    fn client(&self) -> Result<&deadpool_postgres::Object, OpslagFout> {
        self.client
            .as_ref()
            .ok_or_else(|| OpslagFout::Databank("de leesverbinding is al gesloten".into()))
    }
}

impl super::RijBron for Moment {
    fn lees(
        &mut self,
        vragenlijst: &str,
        rij: &mut dyn FnMut(&str, &str, &[u8]) -> bool,
    ) -> Result<(), OpslagFout> {
        let client = self.client()?;
        let runtime = self.runtime.clone();
        runtime.block_on(async {
            // Streamed inside the open transaction, in random-id order (never the heap's
            // arrival order).
            let rijen = client
                .query_raw(
                    "SELECT periode, kanaal, antwoorden FROM inzending WHERE vragenlijst = $1 ORDER BY id",
                    [vragenlijst],
                )
                .await
                .map_err(fout)?;
            let mut rijen = std::pin::pin!(rijen);
            while let Some(r) = rijen.next().await {
                let r = r.map_err(fout)?;
                let periode: &str = r.get(0);
                let kanaal: &str = r.get(1);
                let antwoorden: &str = r.get(2);
                if !rij(periode, kanaal, antwoorden.as_bytes()) {
                    break;
                }
            }
            Ok(())
        })
    }

    fn staten(&mut self, vragenlijst: &str) -> Result<Vec<PeriodeStaat>, OpslagFout> {
        Moment::staten(self, vragenlijst)
    }

    fn vragen(&mut self, vragenlijst: &str) -> Result<Vec<super::VraagRij>, OpslagFout> {
        let client = self.client()?;
        self.runtime
            .block_on(rapport::vragen_op(client, vragenlijst))
    }

    fn lees_periode(
        &mut self,
        vragenlijst: &str,
        periode: &super::vrijgave::Vrijgegeven,
        rij: &mut dyn FnMut(&str, &str) -> bool,
    ) -> Result<(), OpslagFout> {
        let client = self.client()?;
        let runtime = self.runtime.clone();
        runtime.block_on(async {
            let rijen = client
                .query_raw(
                    "SELECT kanaal, antwoorden FROM inzending WHERE vragenlijst = $1 AND periode = $2 ORDER BY id",
                    [vragenlijst, periode.naam()],
                )
                .await
                .map_err(fout)?;
            let mut rijen = std::pin::pin!(rijen);
            while let Some(r) = rijen.next().await {
                let r = r.map_err(fout)?;
                if !rij(r.get(0), r.get(1)) {
                    break;
                }
            }
            Ok(())
        })
    }
}

impl Moment {
    /// Ends the read transaction and hands the connection back to the pool.
    pub fn sluit(mut self) -> Result<(), OpslagFout> {
        if let Some(client) = self.client.take() {
            self.runtime
                .block_on(client.batch_execute("ROLLBACK"))
                .map_err(fout)?;
        }
        Ok(())
    }
}

impl Drop for Moment {
    /// Without [`Moment::sluit`] (an error on the way): the connection must not go back to the
    /// pool in the middle of a transaction, so it is closed instead (no blocking in `drop`).
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            drop(deadpool_postgres::Object::take(client));
        }
    }
}

#[cfg(test)]
mod tests;
