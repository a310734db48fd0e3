//! The single writer: one thread owns the write connection and commits submissions in groups.
//!
//! Handlers send a submission and wait for its outcome. The writer thread takes everything that
//! is waiting (up to [`MAX_GROEP`]) and writes it in one transaction. A second thread, the
//! syncer, then makes the WAL durable with `fdatasync` and only after that tells the handlers
//! "bewaard". So an acknowledged answer is on disk, one fsync serves every group committed
//! since the previous one, and the writer already writes the next group while the disk syncs
//! (pipelined group commit).
//!
//! Why this is as durable as `synchronous = FULL`: in WAL mode a transaction is committed once
//! its frames, ending in a commit frame, are in the `-wal` file. The write connection runs with
//! `synchronous = NORMAL` (SQLite writes the frames but does not fsync them; it still syncs
//! around checkpoints), and the syncer fsyncs the `-wal` file after the commit returned and
//! before anyone hears about it. A crash before that fsync can lose only unacknowledged groups;
//! SQLite's WAL checksums make sure a torn tail is ignored, never half-applied.
//!
//! When a commit fails, every submission of the group gets the error (the person sees a 503
//! page with their answers kept); the next group simply tries again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::{mpsc, oneshot};

use super::OpslagFout;
use crate::domain::Kanaal;

/// Most submissions committed together.
pub const MAX_GROEP: usize = 1024;
/// Submissions that may wait for the writer before senders are slowed down.
const WACHTRIJ: usize = 4096;

/// A response ready to store: everything here has been validated by the domain layer.
#[derive(Debug, Clone)]
pub struct NieuweInzending {
    pub vragenlijst: String,
    pub periode: String,
    pub kanaal: Kanaal,
    /// Hash of the access code, when one was given.
    pub code: Option<[u8; 32]>,
    /// The answers as JSON (see `domain::antwoord::Antwoorden`).
    pub antwoorden: String,
    /// Staff entry (`papier`, `mondeling`): the staff member who typed it in, counted per
    /// period and channel in `invoer` (a count only, never linked to the row).
    pub invoerder: Option<String>,
}

impl NieuweInzending {
    /// A response without an access code, not typed in by staff.
    pub fn new(vragenlijst: &str, periode: &str, kanaal: Kanaal, antwoorden: String) -> Self {
        NieuweInzending {
            vragenlijst: vragenlijst.into(),
            periode: periode.into(),
            kanaal,
            code: None,
            antwoorden,
            invoerder: None,
        }
    }
}

/// What became of one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uitkomst {
    Bewaard,
    /// The period is closed or does not exist.
    PeriodeDicht,
    /// This period needs an access code and none was given.
    CodeNodig,
    /// The code is unknown for this period or was used before.
    CodeOngeldig,
}

struct Job {
    inzending: NieuweInzending,
    /// The outcome, with the submission handed back: it was allocated on a web thread and is
    /// freed there too (cross-thread frees made the allocator a bottleneck under load).
    klaar: oneshot::Sender<(Result<Uitkomst, OpslagFout>, NieuweInzending)>,
}

/// Cheap to clone; held by the web state. The thread stops when every handle is gone.
#[derive(Clone)]
pub struct Schrijver {
    tx: mpsc::Sender<Job>,
    /// Outcomes from the syncer, handed out inside the async runtime (see [`bezorg`]).
    bezorging: Arc<Mutex<Option<mpsc::UnboundedReceiver<Vec<Bezorging>>>>>,
}

/// One outcome to hand back to its waiting handler.
type Bezorging = (Job, Result<Uitkomst, OpslagFout>);

/// Completes the handlers' waits. It runs as a task inside the runtime, so waking 64 handlers
/// is 64 pushes onto a local run queue instead of 64 wake-ups from a foreign thread (each a
/// futex call and, on a virtual machine, an expensive inter-processor interrupt).
async fn bezorg(mut rx: mpsc::UnboundedReceiver<Vec<Bezorging>>) {
    while let Some(partij) = rx.recv().await {
        for (job, uitkomst) in partij {
            let _ = job.klaar.send((uitkomst, job.inzending));
        }
    }
}

impl Schrijver {
    /// Opens the write connection and starts the thread.
    pub fn start(pad: &Path) -> Result<(Schrijver, JoinHandle<()>), OpslagFout> {
        let conn = super::open(pad)?;
        // Durability comes from the syncer's fdatasync of the WAL before acknowledging (see
        // the module documentation), so SQLite itself need not fsync at each commit.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // The writer checks in the same transaction that the period exists and is open, which
        // is what the foreign key on `inzending` guards; skipping the second lookup per row
        // matters at thousands of rows a second. Every other connection keeps the check on.
        conn.pragma_update(None, "foreign_keys", false)?;
        // Checkpoints (copying the WAL into the database file) run on their own thread so a
        // commit never waits for one; this high limit is only a safety net.
        conn.pragma_update(None, "wal_autocheckpoint", 20_000)?;
        let checkpoint_conn = super::open(pad)?;
        let wal = wal_pad(pad);
        let (tx, rx) = mpsc::channel(WACHTRIJ);
        let (bezorg_tx, bezorg_rx) = mpsc::unbounded_channel();
        let thread = std::thread::Builder::new()
            .name("zorgenquete-schrijver".into())
            .spawn(move || {
                let stop = Arc::new(AtomicBool::new(false));
                let checkpointer = {
                    let stop = stop.clone();
                    std::thread::Builder::new()
                        .name("zorgenquete-checkpoint".into())
                        .spawn(move || checkpoints(checkpoint_conn, &stop))
                };
                let (sync_tx, sync_rx) = std::sync::mpsc::channel::<Gecommit>();
                let syncer = std::thread::Builder::new()
                    .name("zorgenquete-sync".into())
                    .spawn(move || synchroniseer(&wal, sync_rx, &bezorg_tx));
                lus(conn, rx, &sync_tx);
                drop(sync_tx);
                if let Ok(s) = syncer {
                    let _ = s.join();
                }
                stop.store(true, Ordering::Relaxed);
                if let Ok(c) = checkpointer {
                    let _ = c.join();
                }
            })
            .map_err(|e| OpslagFout::Databank(format!("kan de schrijver niet starten ({e})")))?;
        Ok((
            Schrijver {
                tx,
                bezorging: Arc::new(Mutex::new(Some(bezorg_rx))),
            },
            thread,
        ))
    }

    /// Stores one submission; returns only after its group was committed (or failed).
    pub async fn bewaar(&self, inzending: NieuweInzending) -> Result<Uitkomst, OpslagFout> {
        // The first submission starts the delivery task on the runtime that serves requests.
        if let Some(rx) = self.bezorging.lock().ok().and_then(|mut r| r.take()) {
            tokio::spawn(bezorg(rx));
        }
        let (klaar, antwoord) = oneshot::channel();
        self.tx
            .send(Job { inzending, klaar })
            .await
            .map_err(|_| OpslagFout::Databank("de schrijver is gestopt".into()))?;
        let (uitkomst, _terug) = antwoord
            .await
            .map_err(|_| OpslagFout::Databank("de schrijver is gestopt".into()))?;
        uitkomst
    }
}

/// Copies committed WAL frames into the database file a few times a second (PASSIVE: never
/// blocks the writer), and once more, fully, when the service stops.
fn checkpoints(conn: Connection, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(fout = %e, "checkpoint mislukt");
        }
    }
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
}

/// A committed group on its way to the syncer.
type Gecommit = Vec<(Job, Uitkomst)>;

/// The `-wal` file next to the database.
fn wal_pad(db: &Path) -> PathBuf {
    let mut naam = db.as_os_str().to_owned();
    naam.push("-wal");
    PathBuf::from(naam)
}

/// Makes the WAL durable. The file is opened anew each time, so a WAL that SQLite recreated is
/// never missed (fsync works per file, not per descriptor).
fn sync_wal(wal: &Path) -> std::io::Result<()> {
    std::fs::File::open(wal)?.sync_data()
}

fn synchroniseer(
    wal: &Path,
    rx: std::sync::mpsc::Receiver<Gecommit>,
    bezorg: &mpsc::UnboundedSender<Vec<Bezorging>>,
) {
    while let Ok(eerste) = rx.recv() {
        let mut groepen = vec![eerste];
        while let Ok(meer) = rx.try_recv() {
            groepen.push(meer);
        }
        let gesynct = sync_wal(wal);
        if let Err(e) = &gesynct {
            tracing::error!(fout = %e, "de antwoorden konden niet veilig op schijf gezet worden");
        }
        let partij: Vec<Bezorging> = groepen
            .into_iter()
            .flatten()
            .map(|(job, uitkomst)| match &gesynct {
                Ok(()) => (job, Ok(uitkomst)),
                Err(e) => (
                    job,
                    Err(OpslagFout::Databank(format!("fsync mislukt: {e}"))),
                ),
            })
            .collect();
        if let Err(mpsc::error::SendError(partij)) = bezorg.send(partij) {
            // No runtime to deliver on (shutting down): complete the waits from here.
            for (job, uitkomst) in partij {
                let _ = job.klaar.send((uitkomst, job.inzending));
            }
        }
    }
}

fn lus(
    mut conn: Connection,
    mut rx: mpsc::Receiver<Job>,
    sync: &std::sync::mpsc::Sender<Gecommit>,
) {
    let mut groep: Vec<Job> = Vec::with_capacity(MAX_GROEP);
    while let Some(eerste) = rx.blocking_recv() {
        groep.push(eerste);
        while groep.len() < MAX_GROEP {
            match rx.try_recv() {
                Ok(o) => groep.push(o),
                Err(_) => break,
            }
        }
        let inzendingen: Vec<&NieuweInzending> = groep.iter().map(|o| &o.inzending).collect();
        match schrijf_groep(&mut conn, &inzendingen) {
            Ok(uitkomsten) => {
                let gecommit: Gecommit = groep.drain(..).zip(uitkomsten).collect();
                if let Err(std::sync::mpsc::SendError(gecommit)) = sync.send(gecommit) {
                    for (job, _) in gecommit {
                        let fout = OpslagFout::Databank("de schrijver is gestopt".into());
                        let _ = job.klaar.send((Err(fout), job.inzending));
                    }
                }
            }
            Err(e) => {
                tracing::error!(
                    fout = %e,
                    groep = groep.len(),
                    "antwoorden konden niet bewaard worden"
                );
                for job in groep.drain(..) {
                    let _ = job
                        .klaar
                        .send((Err(OpslagFout::Databank(e.to_string())), job.inzending));
                }
            }
        }
    }
    tracing::debug!("schrijver gestopt");
}

/// A random positive 63-bit id; a collision with an existing row (about one in 10^7 at a million
/// rows) just draws again.
fn voeg_toe(
    insert: &mut rusqlite::CachedStatement<'_>,
    inz: &NieuweInzending,
) -> Result<(), rusqlite::Error> {
    loop {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| {
            rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(e.to_string())))
        })?;
        let id = i64::from_le_bytes(bytes) & i64::MAX;
        if id == 0 {
            continue;
        }
        match insert.execute(params![
            id,
            inz.vragenlijst,
            inz.periode,
            inz.kanaal.id(),
            inz.antwoorden
        ]) {
            Ok(_) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                continue;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Writes a group in one transaction. Per-submission refusals (closed period, used code) do not
/// write anything for that submission; a database error fails the whole group.
pub fn schrijf_groep(
    conn: &mut Connection,
    groep: &[&NieuweInzending],
) -> Result<Vec<Uitkomst>, rusqlite::Error> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut uitkomsten = Vec::with_capacity(groep.len());
    let mut tellers: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    let mut invoer: BTreeMap<(&str, &str, &str, Kanaal), i64> = BTreeMap::new();
    {
        let mut periode = tx.prepare_cached(
            "SELECT met_codes FROM periode WHERE vragenlijst = ?1 AND naam = ?2 AND open = 1",
        )?;
        let mut code = tx.prepare_cached(
            "UPDATE code SET gebruikt = 1
             WHERE hash = ?1 AND vragenlijst = ?2 AND periode = ?3 AND gebruikt = 0",
        )?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO inzending (id, vragenlijst, periode, kanaal, antwoorden)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        // A group almost always holds one or two periods: look each up once.
        let mut periodes: Vec<(&str, &str, Option<bool>)> = Vec::new();
        for inz in groep {
            let bekend = periodes
                .iter()
                .find(|(v, p, _)| *v == inz.vragenlijst && *p == inz.periode)
                .map(|(_, _, m)| *m);
            let met_codes = match bekend {
                Some(m) => m,
                None => {
                    let m: Option<bool> = periode
                        .query_row(params![inz.vragenlijst, inz.periode], |r| r.get(0))
                        .optional()?;
                    periodes.push((&inz.vragenlijst, &inz.periode, m));
                    m
                }
            };
            let Some(met_codes) = met_codes else {
                uitkomsten.push(Uitkomst::PeriodeDicht);
                continue;
            };
            // Marking the code used happens in the same transaction as the insert below, but
            // nothing ties the two rows together.
            let code_ok = match &inz.code {
                Some(hash) => code.execute(params![&hash[..], inz.vragenlijst, inz.periode])? == 1,
                None => true,
            };
            if !code_ok {
                uitkomsten.push(Uitkomst::CodeOngeldig);
                continue;
            }
            // Online answers need a code when the period has codes. At the kiosk a staff member
            // is present, so a code is welcome but not required.
            if inz.code.is_none() && met_codes && inz.kanaal == Kanaal::Online {
                uitkomsten.push(Uitkomst::CodeNodig);
                continue;
            }
            voeg_toe(&mut insert, inz)?;
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
        if !tellers.is_empty() {
            // Per ISO week and without the channel: no finer than progress needs.
            let week = super::deze_week();
            let mut teller = tx.prepare_cached(
                "INSERT INTO teller (week, vragenlijst, periode, aantal) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (week, vragenlijst, periode) DO UPDATE SET aantal = aantal + excluded.aantal",
            )?;
            for ((vragenlijst, periode), aantal) in &tellers {
                teller.execute(params![week, vragenlijst, periode, aantal])?;
            }
        }
        if !invoer.is_empty() {
            let mut tel = tx.prepare_cached(
                "INSERT INTO invoer (gebruiker, vragenlijst, periode, kanaal, aantal) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (gebruiker, vragenlijst, periode, kanaal) DO UPDATE SET aantal = aantal + excluded.aantal",
            )?;
            for ((wie, vragenlijst, periode, kanaal), aantal) in &invoer {
                tel.execute(params![wie, vragenlijst, periode, kanaal.id(), aantal])?;
            }
        }
    }
    tx.commit()?;
    Ok(uitkomsten)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PeriodeNaam;
    use crate::storage::rows;
    use crate::storage::{migraties, periode_open, periode_sluit};

    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migraties::voer_uit(&mut conn).unwrap();
        conn
    }

    fn inz(kanaal: Kanaal, code: Option<[u8; 32]>) -> NieuweInzending {
        NieuweInzending {
            code,
            ..NieuweInzending::new("ouders", "2025-2026", kanaal, "{\"a@1\":4}".into())
        }
    }

    #[test]
    fn a_group_stores_answers_and_counts_without_linking_them() {
        let mut conn = db();
        let p = PeriodeNaam::parse("2025-2026").unwrap();
        periode_open(&mut conn, "ouders", &p, Some(10)).unwrap();
        let a = inz(Kanaal::Online, None);
        let b = inz(Kanaal::Kiosk, None);
        let out = schrijf_groep(&mut conn, &[&a, &b, &a]).unwrap();
        assert_eq!(out, vec![Uitkomst::Bewaard; 3]);
        let n: i64 = conn
            .query_row("SELECT count(*) FROM inzending", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 3);
        // One counter for the week, without the channel.
        let tellers: Vec<(String, i64)> = rows(&conn, "SELECT week, aantal FROM teller", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
        assert_eq!(tellers, [(crate::storage::deze_week(), 3)]);
        periode_sluit(&mut conn, "ouders", &p, Default::default()).unwrap();
        assert_eq!(
            schrijf_groep(&mut conn, &[&a]).unwrap(),
            vec![Uitkomst::PeriodeDicht]
        );
    }

    #[test]
    fn staff_entry_is_counted_per_staff_member_and_channel() {
        let mut conn = db();
        let p = PeriodeNaam::parse("2025-2026").unwrap();
        periode_open(&mut conn, "ouders", &p, None).unwrap();
        let door = |wie: &str, kanaal| NieuweInzending {
            invoerder: Some(wie.into()),
            ..inz(kanaal, None)
        };
        let (an, an_m, bo) = (
            door("an", Kanaal::Papier),
            door("an", Kanaal::Mondeling),
            door("bo", Kanaal::Papier),
        );
        schrijf_groep(&mut conn, &[&an, &an, &bo]).unwrap();
        schrijf_groep(&mut conn, &[&an, &an_m, &inz(Kanaal::Online, None)]).unwrap();
        let rijen: Vec<(String, String, i64)> = rows(
            &conn,
            "SELECT gebruiker, kanaal, aantal FROM invoer ORDER BY 1, 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
        assert_eq!(
            rijen,
            [
                ("an".into(), "mondeling".into(), 1),
                ("an".into(), "papier".into(), 3),
                ("bo".into(), "papier".into(), 1)
            ]
        );
        // Refused answers are not counted.
        periode_sluit(&mut conn, "ouders", &p, Default::default()).unwrap();
        schrijf_groep(&mut conn, &[&bo]).unwrap();
        let bo_n: i64 = conn
            .query_row(
                "SELECT aantal FROM invoer WHERE gebruiker = 'bo'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(bo_n, 1);
    }

    // Codes (once, required online only): storage::opslag::tests, on both engines.
}
