//! The one storage interface over both engines: [`Opslag`] is an enum over a school's SQLite
//! file and its PostgreSQL schema, with one async method per question a handler asks. Handlers
//! see neither `rusqlite` nor SQL; each method runs the engine's own code (SQLite on a blocking
//! thread, PostgreSQL on the runtime).
//!
//! Why an enum and not a trait: there are exactly two engines, both known here; an enum needs
//! no boxed futures or `async_trait`, every `match` shows at a glance that both engines answer,
//! and adding a query is one method with two arms (see "How to add a query" in the docs).
//!
//! What is behind it so far (issue 17, first storage slice): the parents' paths (storing a
//! submission, the open period, the secret for form tokens and code hashes), periods (open,
//! close, list, counts per channel, release states) and access codes. The report reads through
//! [`super::RijBron`] ([`crate::rapport::lezen::tel_uit`]). The dashboard, accounts, sessions,
//! audit log, exports, backups and retention still take a SQLite [`Connection`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::pg::PgOpslag;
use super::respons::PerKanaal;
use super::schrijver::{NieuweInzending, Schrijver, Uitkomst};
use super::vrijgave::PeriodeStaat;
use super::{Geopend, OpenPeriode, OpslagFout, PeriodeInfo};
use crate::domain::PeriodeNaam;
use crate::domain::code::Code;
use crate::domain::vrijgave::MinimumGroep;

/// Where a school's data lives: `db` in the settings (`--db`), a path or a PostgreSQL address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbAdres {
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…` (the whole connection string).
    Postgres(String),
}

impl DbAdres {
    pub fn parse(db: &str) -> DbAdres {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            DbAdres::Postgres(db.to_string())
        } else {
            DbAdres::Sqlite(PathBuf::from(db))
        }
    }
}

/// A school's storage on one of the two engines. Cheap to clone.
#[derive(Clone)]
pub enum Opslag {
    Sqlite(SqliteOpslag),
    Postgres(PgOpslag),
}

/// The SQLite side: the writer thread for submissions, and one connection for everything
/// else (periods and codes are rare, short transactions).
#[derive(Clone)]
pub struct SqliteOpslag {
    pad: PathBuf,
    schrijver: Schrijver,
    conn: Arc<Mutex<Connection>>,
    geheim: Arc<Vec<u8>>,
}

impl SqliteOpslag {
    pub fn pad(&self) -> &Path {
        &self.pad
    }

    /// Runs `f` with the connection on a blocking thread.
    async fn met<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, OpslagFout> + Send + 'static,
    ) -> Result<T, OpslagFout> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn
                .lock()
                .map_err(|_| OpslagFout::Databank("de verbinding is onbruikbaar".into()))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| OpslagFout::Databank(format!("databanktaak mislukt ({e})")))?
    }
}

impl Opslag {
    /// A school's SQLite storage from connections the caller opened (the service's start-up,
    /// which opens and claims the file itself): the writer and one connection.
    pub fn sqlite(pad: &Path, schrijver: Schrijver, conn: Connection, geheim: Vec<u8>) -> Opslag {
        Opslag::Sqlite(SqliteOpslag {
            pad: pad.to_path_buf(),
            schrijver,
            conn: Arc::new(Mutex::new(conn)),
            geheim: Arc::new(geheim),
        })
    }

    /// Opens a school's storage: the SQLite file (made, migrated, claimed for `school`) with
    /// its writer thread, or the PostgreSQL schema (made, migrated, checked, claimed) with its
    /// writer task. The SQLite writer's thread handle is returned for a clean shutdown (join it
    /// after the last clone is dropped).
    pub async fn open(
        adres: &DbAdres,
        school: Option<&str>,
    ) -> Result<(Opslag, Option<JoinHandle<()>>), OpslagFout> {
        match adres {
            DbAdres::Sqlite(pad) => {
                let pad = pad.clone();
                let school = school.map(str::to_string);
                let (conn, geheim, pad) = tokio::task::spawn_blocking(move || {
                    let conn = super::open(&pad)?;
                    if let Some(id) = &school {
                        super::school::claim(&conn, &pad, id)?;
                    }
                    let geheim = super::geheim(&conn)?;
                    Ok::<_, OpslagFout>((conn, geheim, pad))
                })
                .await
                .map_err(|e| OpslagFout::Databank(format!("databanktaak mislukt ({e})")))??;
                let (schrijver, draad) = Schrijver::start(&pad)?;
                Ok((
                    Opslag::Sqlite(SqliteOpslag {
                        pad,
                        schrijver,
                        conn: Arc::new(Mutex::new(conn)),
                        geheim: Arc::new(geheim),
                    }),
                    Some(draad),
                ))
            }
            DbAdres::Postgres(url) => {
                Ok((Opslag::Postgres(PgOpslag::open(url, school).await?), None))
            }
        }
    }

    /// The engine's name, for messages and test names.
    pub fn engine(&self) -> &'static str {
        match self {
            Opslag::Sqlite(_) => "sqlite",
            Opslag::Postgres(_) => "postgres",
        }
    }

    /// The secret for form tokens and code hashes.
    pub fn geheim(&self) -> Vec<u8> {
        match self {
            Opslag::Sqlite(s) => s.geheim.to_vec(),
            Opslag::Postgres(p) => p.geheim(),
        }
    }

    /// Stores one submission; returns only when it is committed (durable) or refused.
    pub async fn bewaar(&self, inzending: NieuweInzending) -> Result<Uitkomst, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => s.schrijver.bewaar(inzending).await,
            Opslag::Postgres(p) => p.bewaar(inzending).await,
        }
    }

    /// The open period of a questionnaire, and whether it uses codes.
    pub async fn open_periode(&self, vragenlijst: &str) -> Result<Option<OpenPeriode>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let v = vragenlijst.to_string();
                s.met(move |c| super::open_periode(c, &v)).await
            }
            Opslag::Postgres(p) => p.open_periode(vragenlijst).await,
        }
    }

    pub async fn periode_open(
        &self,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        uitgenodigd: Option<u32>,
    ) -> Result<Geopend, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (v, p) = (vragenlijst.to_string(), periode.clone());
                s.met(move |c| super::periode_open(c, &v, &p, uitgenodigd))
                    .await
            }
            Opslag::Postgres(pg) => pg.periode_open(vragenlijst, periode, uitgenodigd).await,
        }
    }

    /// Closes a period; returns how many more responses a close needs to release its answers
    /// again (0: released).
    pub async fn periode_sluit(
        &self,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        minimum: MinimumGroep,
    ) -> Result<u64, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (v, p) = (vragenlijst.to_string(), periode.clone());
                s.met(move |c| super::periode_sluit(c, &v, &p, minimum))
                    .await
            }
            Opslag::Postgres(pg) => pg.periode_sluit(vragenlijst, periode, minimum).await,
        }
    }

    pub async fn periodes(&self) -> Result<Vec<PeriodeInfo>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => s.met(|c| super::periodes(c)).await,
            Opslag::Postgres(p) => p.periodes().await,
        }
    }

    /// The periods of a questionnaire with their release state.
    pub async fn staten(&self, vragenlijst: &str) -> Result<Vec<PeriodeStaat>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let v = vragenlijst.to_string();
                s.met(move |c| super::vrijgave::staten(c, &v)).await
            }
            Opslag::Postgres(p) => p.staten(vragenlijst).await,
        }
    }

    /// Makes `aantal` new access codes (only their hashes are stored).
    pub async fn maak_codes(
        &self,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        aantal: u32,
    ) -> Result<Vec<Code>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (v, p) = (vragenlijst.to_string(), periode.clone());
                s.met(move |c| super::maak_codes(c, &v, &p, aantal)).await
            }
            Opslag::Postgres(pg) => pg.maak_codes(vragenlijst, periode, aantal).await,
        }
    }

    /// Live counts per channel (below the minimum group: "minder dan 5").
    pub async fn per_kanaal(&self, minimum: MinimumGroep) -> Result<PerKanaal, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => s.met(move |c| super::respons::per_kanaal(c, minimum)).await,
            Opslag::Postgres(p) => p.per_kanaal(minimum).await,
        }
    }
}

mod beheer;
mod rapport;
#[cfg(test)]
pub(crate) use rapport::zonder_ruis;
#[cfg(test)]
mod tests;
