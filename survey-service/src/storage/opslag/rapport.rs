//! Reports, exports, open answers and retention behind [`Opslag`], on either engine.
//!
//! Every reading method runs the SAME Rust code ([`crate::rapport::maak_uit`],
//! [`crate::rapport::open::open_antwoorden_uit`], [`crate::rapport::export::schrijf_uit`]) on
//! one consistent snapshot of the school's storage ([`RijBron`]), on a blocking thread:
//! SQLite: a fresh query-only connection inside one read transaction (so a long report never
//! holds the connection that opens forms); PostgreSQL: a [`crate::storage::pg::Moment`]
//! (`REPEATABLE READ, READ ONLY`).

use std::path::Path;

use super::{DbAdres, Opslag};
use crate::domain::vragenlijst::Vragenlijst;
use crate::domain::vrijgave::MinimumGroep;
use crate::rapport::export::{self, Opdracht};
use crate::rapport::open::{self, OpenAntwoorden};
use crate::rapport::{self, Keuze, Rapport};
use crate::storage::opruimen::{self, OudePeriode};
use crate::storage::{OpslagFout, RijBron, vrijgave};

impl DbAdres {
    /// The address behind a `db` setting that went through path handling (a config file's
    /// folder may have been put in front of `postgres://…`, and `//` may have become `/`).
    pub fn uit_pad(pad: &Path) -> DbAdres {
        let tekst = pad.to_string_lossy();
        for (schema, volledig) in [
            ("postgresql:/", "postgresql://"),
            ("postgres:/", "postgres://"),
        ] {
            if let Some(begin) = tekst.find(schema) {
                let rest = tekst[begin + schema.len()..].trim_start_matches('/');
                return DbAdres::Postgres(format!("{volledig}{rest}"));
            }
        }
        DbAdres::Sqlite(pad.to_path_buf())
    }
}

fn taakfout(e: tokio::task::JoinError) -> OpslagFout {
    OpslagFout::Databank(format!("databanktaak mislukt ({e})"))
}

impl Opslag {
    /// Runs `f` on one consistent, read-only snapshot of the school's storage, on a blocking
    /// thread (see the module's documentation).
    pub async fn lees_moment<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn RijBron) -> Result<T, OpslagFout> + Send + 'static,
    ) -> Result<T, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let pad = s.pad().to_path_buf();
                tokio::task::spawn_blocking(move || {
                    let conn = crate::storage::open_lezer(&pad)?;
                    vrijgave::in_een_moment(&conn, |c| f(&mut { c }))
                })
                .await
                .map_err(taakfout)?
            }
            Opslag::Postgres(p) => {
                let p = p.clone();
                let runtime = tokio::runtime::Handle::current();
                tokio::task::spawn_blocking(move || {
                    let mut moment = p.moment(runtime)?;
                    let uit = f(&mut moment)?;
                    moment.sluit()?;
                    Ok(uit)
                })
                .await
                .map_err(taakfout)?
            }
        }
    }

    /// The full report of one questionnaire ([`rapport::maak_uit`]).
    pub async fn rapport(&self, lijst: &Vragenlijst, keuze: &Keuze) -> Result<Rapport, OpslagFout> {
        let (lijst, keuze) = (lijst.clone(), keuze.clone());
        self.lees_moment(move |b| rapport::maak_uit(b, &lijst, &keuze))
            .await
    }

    /// The periods of a questionnaire with their invited counts, in name order.
    pub async fn rapport_periodes(
        &self,
        vragenlijst: &str,
    ) -> Result<Vec<(String, Option<u32>)>, OpslagFout> {
        let v = vragenlijst.to_string();
        self.lees_moment(move |b| rapport::periodes_uit(b, &v))
            .await
    }

    /// The open answers of one period (only a released period shows any).
    pub async fn open_antwoorden(
        &self,
        lijst: &Vragenlijst,
        periode: &str,
        minimum: MinimumGroep,
    ) -> Result<OpenAntwoorden, OpslagFout> {
        let (lijst, periode) = (lijst.clone(), periode.to_string());
        self.lees_moment(move |b| open::open_antwoorden_uit(b, &lijst, &periode, minimum))
            .await
    }

    /// One export (any format, the raw export included) as bytes, with the notes for the
    /// person who asked.
    pub async fn export(
        &self,
        lijst: &Vragenlijst,
        opdracht: &Opdracht,
    ) -> Result<(Vec<u8>, Vec<String>), OpslagFout> {
        let (lijst, opdracht) = (lijst.clone(), opdracht.clone());
        self.lees_moment(move |b| {
            let mut bytes = Vec::new();
            let notities = export::schrijf_uit(b, &lijst, &opdracht, &mut bytes)?;
            Ok((bytes, notities))
        })
        .await
    }

    /// The raw export ([`export::Formaat::Ruw`]) of `keuze`, open answers only when asked.
    pub async fn ruwe_export(
        &self,
        lijst: &Vragenlijst,
        keuze: &Keuze,
        open_antwoorden: bool,
    ) -> Result<(Vec<u8>, Vec<String>), OpslagFout> {
        let opdracht = Opdracht {
            keuze: keuze.clone(),
            formaat: export::Formaat::Ruw,
            open_antwoorden,
        };
        self.export(lijst, &opdracht).await
    }

    /// The periods past the retention time on `vandaag` (`YYYY-MM-DD`), as
    /// [`opruimen::kies`] selects them.
    pub async fn oude_periodes(
        &self,
        bewaren_jaren: u32,
        vandaag: &str,
    ) -> Result<opruimen::Keuze, OpslagFout> {
        let vandaag = vandaag.to_string();
        match self {
            Opslag::Sqlite(s) => {
                s.met(move |c| opruimen::kies(c, bewaren_jaren, &vandaag))
                    .await
            }
            Opslag::Postgres(p) => {
                opruimen::kies_uit(p.gesloten_periodes().await?, bewaren_jaren, &vandaag)
            }
        }
    }

    /// Deletes exactly `periodes` (from [`Opslag::oude_periodes`]) in one transaction; nothing
    /// at all when one of them was reopened meanwhile. SQLite also empties its WAL and hands
    /// the free pages back ([`opruimen::verwijder`]).
    pub async fn verwijder_periodes(&self, periodes: &[OudePeriode]) -> Result<(), OpslagFout> {
        let periodes = periodes.to_vec();
        match self {
            Opslag::Sqlite(s) => s.met(move |c| opruimen::verwijder(c, &periodes)).await,
            Opslag::Postgres(p) => p.verwijder_periodes(&periodes).await,
        }
    }
}

/// The report's debug text with every number rounded to 9 decimals (tests: two databases with
/// other random ids sum respondents in another order, equal up to a float's last bits).
#[cfg(test)]
pub(crate) fn zonder_ruis(r: &Rapport) -> String {
    let tekst = format!("{r:?}");
    let mut uit = String::with_capacity(tekst.len());
    let mut getal = String::new();
    let schrijf = |getal: &mut String, uit: &mut String| {
        if getal.contains('.')
            && let Ok(x) = getal.parse::<f64>()
        {
            uit.push_str(&format!("{x:.9}"));
            getal.clear();
            return;
        }
        uit.push_str(getal);
        getal.clear();
    };
    for c in tekst.chars() {
        if c.is_ascii_digit() || (c == '.' && !getal.is_empty()) || (c == '-' && getal.is_empty()) {
            getal.push(c);
        } else {
            schrijf(&mut getal, &mut uit);
            uit.push(c);
        }
    }
    schrijf(&mut getal, &mut uit);
    uit
}

#[cfg(test)]
mod tests;
