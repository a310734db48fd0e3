//! PostgreSQL queries for reports, retention and moving a school (`verhuis`): the engine's half
//! of [`crate::storage::opslag::rapport`].

use super::{PgOpslag, fout, poolfout};
use crate::storage::opruimen::{self, OudePeriode};
use crate::storage::{OpslagFout, VraagRij};

/// The `vraag` rows of a questionnaire, by id and version (as SQLite's).
pub(super) async fn vragen_op(
    client: &tokio_postgres::Client,
    vragenlijst: &str,
) -> Result<Vec<VraagRij>, OpslagFout> {
    let rijen = client
        .query(
            "SELECT id, versie, categorie, soort, tekst FROM vraag WHERE vragenlijst = $1 ORDER BY id, versie",
            &[&vragenlijst],
        )
        .await
        .map_err(fout)?;
    Ok(rijen
        .iter()
        .map(|r| {
            (
                r.get(0),
                r.get::<_, i32>(1).max(0) as u32,
                r.get(2),
                r.get(3),
                r.get(4),
            )
        })
        .collect())
}

impl PgOpslag {
    /// The closed periods with their numbers of responses and codes, for retention
    /// ([`opruimen::kies_uit`]).
    pub async fn gesloten_periodes(&self) -> Result<Vec<OudePeriode>, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        let rijen = client
            .query(
                "SELECT p.vragenlijst, p.naam, p.inzendingen,
                   (SELECT count(*) FROM code c WHERE c.vragenlijst = p.vragenlijst AND c.periode = p.naam)
                 FROM periode p WHERE NOT p.open ORDER BY p.vragenlijst, p.naam",
                &[],
            )
            .await
            .map_err(fout)?;
        Ok(rijen
            .iter()
            .map(|r| OudePeriode {
                vragenlijst: r.get(0),
                naam: r.get(1),
                antwoorden: r.get(2),
                codes: r.get(3),
            })
            .collect())
    }

    /// Deletes exactly `periodes` in one transaction: responses, codes, counters, staff-entry
    /// counts, then the period (only while still closed; otherwise nothing is deleted).
    /// `periode.inzendingen` is lowered by what was deleted before the period goes (no triggers
    /// on PostgreSQL: the program keeps the count).
    pub async fn verwijder_periodes(&self, periodes: &[OudePeriode]) -> Result<(), OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        for p in periodes {
            let (v, n) = (&p.vragenlijst, &p.naam);
            // Lock the period first: a writer's group holds it `FOR UPDATE` too.
            let open: Option<bool> = tx
                .query_opt(
                    "SELECT open FROM periode WHERE vragenlijst = $1 AND naam = $2 FOR UPDATE",
                    &[v, n],
                )
                .await
                .map_err(fout)?
                .map(|r| r.get(0));
            if open != Some(false) {
                return Err(opruimen::intussen_veranderd(p));
            }
            let weg = tx
                .execute(
                    "DELETE FROM inzending WHERE vragenlijst = $1 AND periode = $2",
                    &[v, n],
                )
                .await
                .map_err(fout)?;
            tx.execute(
                "UPDATE periode SET inzendingen = inzendingen - $3 WHERE vragenlijst = $1 AND naam = $2",
                &[v, n, &(weg as i64)],
            )
            .await
            .map_err(fout)?;
            for tabel in ["code", "teller", "invoer"] {
                tx.execute(
                    &format!("DELETE FROM {tabel} WHERE vragenlijst = $1 AND periode = $2"),
                    &[v, n],
                )
                .await
                .map_err(fout)?;
            }
            tx.execute(
                "DELETE FROM periode WHERE vragenlijst = $1 AND naam = $2 AND NOT open",
                &[v, n],
            )
            .await
            .map_err(fout)?;
        }
        tx.commit().await.map_err(fout)
    }
}

/// `zorgenquete backup` on PostgreSQL: `pg_dump --schema=<the school's schema> --format=custom`
/// into `doel` (which must not exist yet), written next to it and renamed when complete.
/// `pg_dump`: the program to run (`pg_dump` on `PATH` unless the caller knows better).
pub fn backup(
    url: &str,
    schema: &str,
    doel: &std::path::Path,
    pg_dump: &std::path::Path,
) -> Result<(), OpslagFout> {
    if doel.exists() {
        return Err(OpslagFout::Geweigerd(format!(
            "{} bestaat al; kies een nieuwe naam (bv. met de datum erin) of verwijder het oude bestand eerst",
            doel.display()
        )));
    }
    if let Some(map) = doel.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(map).map_err(|e| {
            OpslagFout::Databank(format!("kan de map {} niet maken ({e})", map.display()))
        })?;
    }
    let mut tijdelijk = doel.as_os_str().to_os_string();
    tijdelijk.push(".bezig");
    let tijdelijk = std::path::PathBuf::from(tijdelijk);
    let uit = std::process::Command::new(pg_dump)
        .arg("--format=custom")
        .arg(format!("--schema={}", super::ident(schema)))
        .arg("--no-owner")
        .arg("--file")
        .arg(&tijdelijk)
        .arg("--dbname")
        .arg(url)
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                OpslagFout::Geweigerd(format!(
                    "het programma `{}` is niet gevonden; het maakt de kopie van een PostgreSQL-databank. Installeer de PostgreSQL-clientprogramma's (Debian/Ubuntu: sudo apt-get install postgresql-client, dezelfde hoofdversie als de server of nieuwer) of zet ZORG_PG_DUMP op het volledige pad van pg_dump",
                    pg_dump.display()
                ))
            } else {
                OpslagFout::Databank(format!("kan {} niet starten ({e})", pg_dump.display()))
            }
        })?;
    if !uit.status.success() {
        let _ = std::fs::remove_file(&tijdelijk);
        return Err(OpslagFout::Databank(format!(
            "pg_dump mislukte ({}): {}",
            uit.status,
            super::zonder_wachtwoord(String::from_utf8_lossy(&uit.stderr).trim())
        )));
    }
    std::fs::rename(&tijdelijk, doel).map_err(|e| {
        let _ = std::fs::remove_file(&tijdelijk);
        OpslagFout::Databank(format!(
            "kan de kopie niet naar {} verplaatsen ({e})",
            doel.display()
        ))
    })
}

impl PgOpslag {
    /// The number of stored responses (for the backup's message).
    pub async fn aantal_inzendingen(&self) -> Result<i64, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        Ok(client
            .query_one("SELECT count(*) FROM inzending", &[])
            .await
            .map_err(fout)?
            .get(0))
    }
}
