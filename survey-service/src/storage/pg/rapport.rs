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
