//! The writer on PostgreSQL: one task takes every submission that is waiting (up to
//! [`MAX_GROEP`]) and commits them in one transaction, as the SQLite writer does. The
//! connection runs with `synchronous_commit = on`, so `COMMIT` returns after the commit record
//! is flushed; only then are the handlers answered. One WAL flush serves the whole group, and
//! submissions that arrive during a commit form the next group.
//!
//! Inside the transaction: the group's periods are locked (`FOR UPDATE`, in name order so two
//! services cannot deadlock) and checked to be open, codes are marked used, the accepted rows
//! are inserted with one `INSERT … SELECT FROM unnest(…)` **sorted by their random ids** (so
//! within a group the heap order is the random order, not the order of arrival), and the
//! period counts, week counters and staff-entry counts are raised. A failed group answers an
//! error to each of its submissions (a 503 page with the answers kept); the next group tries
//! again.

use std::collections::{BTreeMap, HashSet};

use deadpool_postgres::Pool;
use tokio::sync::{mpsc, oneshot};

use super::{fout, poolfout};
use crate::domain::Kanaal;
use crate::storage::OpslagFout;
use crate::storage::schrijver::{MAX_GROEP, NieuweInzending, Uitkomst};

/// Submissions that may wait for the writer before senders are slowed down.
const WACHTRIJ: usize = 4096;

struct Job {
    inzending: NieuweInzending,
    klaar: oneshot::Sender<Result<Uitkomst, OpslagFout>>,
}

/// Cheap to clone; the task stops when every handle is gone.
#[derive(Clone)]
pub struct PgSchrijver {
    tx: mpsc::Sender<Job>,
}

impl PgSchrijver {
    /// Starts the writer task on the current runtime.
    pub fn start(pool: Pool) -> PgSchrijver {
        let (tx, rx) = mpsc::channel(WACHTRIJ);
        tokio::spawn(lus(pool, rx));
        PgSchrijver { tx }
    }

    /// Stores one submission; returns only after its group was committed (or failed).
    pub async fn bewaar(&self, inzending: NieuweInzending) -> Result<Uitkomst, OpslagFout> {
        let (klaar, antwoord) = oneshot::channel();
        self.tx
            .send(Job { inzending, klaar })
            .await
            .map_err(|_| OpslagFout::Databank("de schrijver is gestopt".into()))?;
        antwoord
            .await
            .map_err(|_| OpslagFout::Databank("de schrijver is gestopt".into()))?
    }
}

async fn lus(pool: Pool, mut rx: mpsc::Receiver<Job>) {
    let mut groep: Vec<Job> = Vec::with_capacity(MAX_GROEP);
    while let Some(eerste) = rx.recv().await {
        groep.push(eerste);
        while groep.len() < MAX_GROEP {
            match rx.try_recv() {
                Ok(j) => groep.push(j),
                Err(_) => break,
            }
        }
        let inzendingen: Vec<&NieuweInzending> = groep.iter().map(|j| &j.inzending).collect();
        match schrijf_groep(&pool, &inzendingen).await {
            Ok(uitkomsten) => {
                for (job, uitkomst) in groep.drain(..).zip(uitkomsten) {
                    let _ = job.klaar.send(Ok(uitkomst));
                }
            }
            Err(e) => {
                tracing::error!(
                    fout = %e,
                    groep = groep.len(),
                    "antwoorden konden niet bewaard worden (PostgreSQL)"
                );
                for job in groep.drain(..) {
                    let _ = job.klaar.send(Err(e.clone()));
                }
            }
        }
    }
    tracing::debug!("schrijver (PostgreSQL) gestopt");
}

/// A random positive 63-bit id.
fn willekeurig_id() -> Result<i64, OpslagFout> {
    loop {
        let id = i64::from_le_bytes(super::willekeurig::<8>()?) & i64::MAX;
        if id != 0 {
            return Ok(id);
        }
    }
}

/// Writes a group in one transaction (see the module documentation). Per-submission refusals
/// (closed period, used code) write nothing for that submission; a database error fails the
/// whole group and nothing of it is stored.
pub async fn schrijf_groep(
    pool: &Pool,
    groep: &[&NieuweInzending],
) -> Result<Vec<Uitkomst>, OpslagFout> {
    let mut client = pool.get().await.map_err(poolfout)?;
    let tx = client.transaction().await.map_err(fout)?;
    // The group's periods, locked in name order; `None`: closed or unknown.
    let mut periodes: BTreeMap<(&str, &str), Option<bool>> = groep
        .iter()
        .map(|i| ((i.vragenlijst.as_str(), i.periode.as_str()), None))
        .collect();
    let periode = tx
        .prepare_cached(
            "SELECT met_codes FROM periode WHERE vragenlijst = $1 AND naam = $2 AND open FOR UPDATE",
        )
        .await
        .map_err(fout)?;
    for ((vragenlijst, naam), met_codes) in periodes.iter_mut() {
        *met_codes = tx
            .query_opt(&periode, &[vragenlijst, naam])
            .await
            .map_err(fout)?
            .map(|r| r.get(0));
    }
    let code = tx
        .prepare_cached(
            "UPDATE code SET gebruikt = true
             WHERE hash = $1 AND vragenlijst = $2 AND periode = $3 AND NOT gebruikt",
        )
        .await
        .map_err(fout)?;
    let mut uitkomsten = Vec::with_capacity(groep.len());
    let mut rijen: Vec<(i64, &NieuweInzending)> = Vec::with_capacity(groep.len());
    let mut tellers: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    let mut invoer: BTreeMap<(&str, &str, &str, Kanaal), i64> = BTreeMap::new();
    for inz in groep {
        let Some(met_codes) = periodes[&(inz.vragenlijst.as_str(), inz.periode.as_str())] else {
            uitkomsten.push(Uitkomst::PeriodeDicht);
            continue;
        };
        // Marking the code used happens in the same transaction as the insert below, but
        // nothing ties the two rows together.
        let code_ok = match &inz.code {
            Some(hash) => {
                tx.execute(&code, &[&&hash[..], &inz.vragenlijst, &inz.periode])
                    .await
                    .map_err(fout)?
                    == 1
            }
            None => true,
        };
        if !code_ok {
            uitkomsten.push(Uitkomst::CodeOngeldig);
            continue;
        }
        // Online answers need a code when the period has codes; at the kiosk staff is present.
        if inz.code.is_none() && met_codes && inz.kanaal == Kanaal::Online {
            uitkomsten.push(Uitkomst::CodeNodig);
            continue;
        }
        rijen.push((willekeurig_id()?, inz));
        *tellers.entry((&inz.vragenlijst, &inz.periode)).or_default() += 1;
        if let Some(wie) = &inz.invoerder
            && matches!(inz.kanaal, Kanaal::Papier | Kanaal::Mondeling)
        {
            *invoer
                .entry((wie, &inz.vragenlijst, &inz.periode, inz.kanaal))
                .or_default() += 1;
        }
        uitkomsten.push(Uitkomst::Bewaard);
    }
    if !rijen.is_empty() {
        let insert = tx
            .prepare_cached(
                "INSERT INTO inzending (id, vragenlijst, periode, kanaal, antwoorden)
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])
                 ON CONFLICT (id) DO NOTHING
                 RETURNING id",
            )
            .await
            .map_err(fout)?;
        // A collision with an existing id (or two equal draws) inserts nothing for that row:
        // those draw again.
        while !rijen.is_empty() {
            rijen.sort_unstable_by_key(|(id, _)| *id);
            let ids: Vec<i64> = rijen.iter().map(|(id, _)| *id).collect();
            let lijsten: Vec<&str> = rijen.iter().map(|(_, i)| i.vragenlijst.as_str()).collect();
            let pers: Vec<&str> = rijen.iter().map(|(_, i)| i.periode.as_str()).collect();
            let kanalen: Vec<&str> = rijen.iter().map(|(_, i)| i.kanaal.id()).collect();
            let antwoorden: Vec<&str> = rijen.iter().map(|(_, i)| i.antwoorden.as_str()).collect();
            let gezet: HashSet<i64> = tx
                .query(&insert, &[&ids, &lijsten, &pers, &kanalen, &antwoorden])
                .await
                .map_err(fout)?
                .iter()
                .map(|r| r.get(0))
                .collect();
            rijen.retain(|(id, _)| !gezet.contains(id));
            for (id, _) in &mut rijen {
                *id = willekeurig_id()?;
            }
        }
        let tel = tx
            .prepare_cached(
                "UPDATE periode SET inzendingen = inzendingen + $3 WHERE vragenlijst = $1 AND naam = $2",
            )
            .await
            .map_err(fout)?;
        // Per ISO week and without the channel: no finer than progress needs.
        let week = crate::storage::deze_week();
        let teller = tx
            .prepare_cached(
                "INSERT INTO teller (week, vragenlijst, periode, aantal) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (week, vragenlijst, periode) DO UPDATE SET aantal = teller.aantal + excluded.aantal",
            )
            .await
            .map_err(fout)?;
        for ((vragenlijst, periode), n) in &tellers {
            tx.execute(&tel, &[vragenlijst, periode, n])
                .await
                .map_err(fout)?;
            tx.execute(&teller, &[&week, vragenlijst, periode, n])
                .await
                .map_err(fout)?;
        }
    }
    if !invoer.is_empty() {
        let tel = tx
            .prepare_cached(
                "INSERT INTO invoer (gebruiker, vragenlijst, periode, kanaal, aantal) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (gebruiker, vragenlijst, periode, kanaal) DO UPDATE SET aantal = invoer.aantal + excluded.aantal",
            )
            .await
            .map_err(fout)?;
        for ((wie, vragenlijst, periode, kanaal), n) in &invoer {
            tx.execute(&tel, &[wie, vragenlijst, periode, &kanaal.id(), n])
                .await
                .map_err(fout)?;
        }
    }
    tx.commit().await.map_err(fout)?;
    Ok(uitkomsten)
}
