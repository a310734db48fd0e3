//! Storage hygiene: what deleted or overwritten answers may leave on disk, and how it is
//! removed.
//!
//! - `secure_delete` (set in `stel_in`) overwrites deleted rows inside the pages.
//! - Free pages are handed back to the file system with `auto_vacuum = INCREMENTAL` and
//!   [`geef_vrije_paginas_terug`], after a period closes and after `opruimen`.
//! - The WAL keeps old page images until a checkpoint resets it: `journal_size_limit`
//!   ([`WAL_GRENS`]) caps what stays after a reset, and `opruimen` truncates it to 0 bytes and checks that it did
//!   ([`leeg_wal`]).
//! - Backups are written with `VACUUM INTO` (`backup`): a fresh file without free pages.
//!
//! **Why incremental vacuum in small steps instead of one `VACUUM`.** A full `VACUUM` rewrites
//! the whole file under an exclusive lock: the writer thread, and so every parent submitting to
//! another open period, waits for all of it, and that wait grows with the database. An
//! incremental vacuum of [`STAP_PAGINAS`] pages is one short write transaction; between two
//! steps the connection sleeps a moment so the writer's next group commit gets the lock. The
//! longest a submission can wait is then one step, whatever the size of the database (measured
//! in `docs/benchmarks.md`). Only the first open of a database made before this version
//! runs one full `VACUUM` to switch it to incremental mode, at start-up, before it serves.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::OpslagFout;

/// Pages handed back per incremental-vacuum step (4 KiB each: 256 KiB).
pub const STAP_PAGINAS: u32 = 64;

/// The WAL size kept after a checkpoint resets it (SQLite truncates to this): 256 MiB, so a
/// burst behind a long reader (an export) does not leave an unbounded WAL of old page images
/// behind. Not smaller: under load the WAL grows to tens of MiB between two resets (about
/// 80 MiB at 10,000 submissions a second on two cores), and a limit below that makes the writer
/// cut the file at every reset and grow it again, each growth a file-size change that every
/// `fdatasync` must then also write. 4 MiB gave p99 78-94 ms against 23-31 ms without the cut;
/// 64 MiB (cut at every reset under that load) p99 16.5-30.2 ms against 13.4-40.1 ms (5 of 6
/// runs under 25 ms) with 256 MiB, alternating in `cargo bench -p zorgenquete --bench
/// inzendingen` (docs/benchmarks.md). At a school's own pace the WAL stays far below either.
/// What must be gone is emptied explicitly by `opruimen` ([`leeg_wal`]).
pub const WAL_GRENS: i64 = 256 * 1024 * 1024;

/// `auto_vacuum = INCREMENTAL` for every database. A new one gets it before its first table;
/// an older one is rewritten once with `VACUUM` (at start-up, before anything is served).
pub(crate) fn zet_incrementeel_voor(conn: &Connection) -> Result<(), OpslagFout> {
    conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    Ok(())
}

/// See [`zet_incrementeel_voor`]: after the migrations, rewrites a database that is not yet in
/// incremental mode; says whether it did.
pub(crate) fn zet_incrementeel_na(conn: &Connection) -> Result<bool, OpslagFout> {
    let modus: i64 = conn.pragma_query_value(None, "auto_vacuum", |r| r.get(0))?;
    if modus != 2 {
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        conn.execute_batch("VACUUM")?;
        tracing::info!("de databank is eenmalig herschreven voor incrementeel opruimen");
        return Ok(true);
    }
    Ok(false)
}

/// What [`geef_vrije_paginas_terug`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stappen {
    pub stappen: u32,
    /// The longest single step: the longest a submission could have waited for it.
    pub langste: Duration,
}

/// Hands the free pages back to the file system in steps of [`STAP_PAGINAS`], each its own
/// short write transaction, with a pause between steps for the writer.
pub fn geef_vrije_paginas_terug(conn: &Connection) -> Result<Stappen, OpslagFout> {
    // A step only moves pages; if the machine loses power right after one, the free pages are
    // simply still free. So no fsync per step (`NORMAL` in WAL mode stays consistent): a step
    // then holds the write lock for well under a millisecond instead of a disk flush. The
    // writer's next `FULL` commit flushes these frames too.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let uit = stappen(conn);
    conn.pragma_update(None, "synchronous", "FULL")?;
    uit
}

fn stappen(conn: &Connection) -> Result<Stappen, OpslagFout> {
    let mut uit = Stappen::default();
    loop {
        let vrij: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
        if vrij == 0 {
            return Ok(uit);
        }
        let begin = Instant::now();
        // The pragma frees one page per step of its statement: step it to the end.
        let mut stmt =
            conn.prepare_cached(&format!("PRAGMA incremental_vacuum({STAP_PAGINAS})"))?;
        let mut rijen = stmt.query([])?;
        while rijen.next()?.is_some() {}
        uit.langste = uit.langste.max(begin.elapsed());
        uit.stappen += 1;
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The WAL file next to the database of `conn` (`None` for an in-memory database).
fn wal_pad(conn: &Connection) -> Option<PathBuf> {
    let pad = conn.path().filter(|p| !p.is_empty())?;
    Some(PathBuf::from(format!("{pad}-wal")))
}

/// Empties the WAL: a `TRUNCATE` checkpoint, retried while a reader or writer keeps it busy
/// (`pogingen` times, 100 ms apart), and verified: the checkpoint reports no busy frames and
/// the WAL file is 0 bytes (or absent). Otherwise a Dutch error: old page images may still be
/// in the WAL.
pub fn leeg_wal(conn: &Connection, pogingen: u32) -> Result<(), OpslagFout> {
    // Short waits per attempt; the attempts themselves are the patience.
    conn.busy_timeout(Duration::from_millis(100))?;
    let uitkomst = (|| {
        for poging in 0..pogingen.max(1) {
            if poging > 0 {
                std::thread::sleep(Duration::from_millis(100));
            }
            let bezig = match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            }) {
                Ok(b) => b != 0,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy =>
                {
                    true
                }
                Err(e) => return Err(e.into()),
            };
            let grootte = match wal_pad(conn) {
                Some(p) => std::fs::metadata(&p).map_or(0, |m| m.len()),
                None => 0,
            };
            if !bezig && grootte == 0 {
                return Ok(());
            }
        }
        Err(OpslagFout::Databank(format!(
            "het logbestand van de databank (de WAL) kon na {pogingen} pogingen niet geleegd worden: er bleef iemand lezen of schrijven. Er kunnen nog oude gegevens in staan; voer `zorgenquete opruimen` straks opnieuw uit"
        )))
    })();
    conn.busy_timeout(Duration::from_secs(5))?;
    uitkomst
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{backup, open, opruimen};

    /// A fresh folder for one test's database, removed afterwards.
    struct Map(PathBuf);

    impl Map {
        fn nieuw(naam: &str) -> Map {
            let pad = std::env::temp_dir()
                .join(format!("zorgenquete-vacuum-{naam}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&pad);
            std::fs::create_dir_all(&pad).unwrap();
            Map(pad)
        }
    }

    impl Drop for Map {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn bevat(pad: &std::path::Path, merk: &[u8]) -> bool {
        std::fs::read(pad).is_ok_and(|b| b.windows(merk.len()).any(|w| w == merk))
    }

    fn vul(conn: &Connection, periode: &str, tekst: &str, n: usize) {
        conn.execute(
            "INSERT OR IGNORE INTO periode (vragenlijst, naam, open) VALUES ('ouders', ?1, 0)",
            [periode],
        )
        .unwrap();
        for i in 0..n {
            conn.execute(
                "INSERT INTO inzending (vragenlijst, periode, kanaal, antwoorden) VALUES ('ouders', ?1, 'online', ?2)",
                rusqlite::params![periode, format!(r#"{{"idee@1":"{tekst} {i}"}}"#)],
            )
            .unwrap();
        }
    }

    #[test]
    fn a_deleted_period_is_gone_from_the_file_its_wal_and_a_fresh_backup() {
        let map = Map::nieuw("weg");
        let db = map.0.join("zorgenquete.sqlite");
        let wal = map.0.join("zorgenquete.sqlite-wal");
        let mut conn = open(&db).unwrap();
        let merk = b"MERKTEKST-OUDE-PERIODE";
        vul(&conn, "2019-2020", "MERKTEKST-OUDE-PERIODE", 400);
        vul(&conn, "2025-2026", "Blijft staan", 400);
        // Half of it checkpointed into the file, the rest still in the WAL.
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .unwrap();
        vul(&conn, "2019-2020", "MERKTEKST-OUDE-PERIODE", 50);
        assert!(bevat(&db, merk) && bevat(&wal, merk), "the test can fail");

        let keuze = opruimen::kies(&conn, 5, "2025-09-01").unwrap();
        assert_eq!(keuze.te_oud.len(), 1);
        opruimen::verwijder(&mut conn, &keuze.te_oud).unwrap();
        assert!(!bevat(&db, merk), "database file");
        assert!(!bevat(&wal, merk), "WAL");
        assert_eq!(std::fs::metadata(&wal).map_or(0, |m| m.len()), 0);
        let vrij: i64 = conn
            .pragma_query_value(None, "freelist_count", |r| r.get(0))
            .unwrap();
        assert_eq!(vrij, 0, "free pages handed back");
        let kopie = map.0.join("kopie.sqlite");
        let (_, antwoorden) = backup::kopieer(&db, &kopie).unwrap();
        assert_eq!(antwoorden, 400);
        assert!(!bevat(&kopie, merk), "fresh backup");
        assert!(bevat(&kopie, b"Blijft staan"));
    }

    #[test]
    fn the_checkpoint_is_retried_until_a_reader_lets_go_and_gives_up_in_dutch() {
        let map = Map::nieuw("wal");
        let db = map.0.join("zorgenquete.sqlite");
        let conn = open(&db).unwrap();
        vul(&conn, "2025-2026", "x", 50);
        // A reader in the middle of a read transaction pins the WAL.
        let lezer = Connection::open(&db).unwrap();
        lezer.execute_batch("BEGIN").unwrap();
        let _: i64 = lezer
            .query_row("SELECT count(*) FROM inzending", [], |r| r.get(0))
            .unwrap();
        vul(&conn, "2025-2026", "y", 50);
        let fout = leeg_wal(&conn, 2).unwrap_err();
        assert!(
            fout.to_string()
                .contains("kon na 2 pogingen niet geleegd worden"),
            "{fout}"
        );
        // The reader finishes a moment later (on another thread): the retries get through.
        let klaar = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            lezer.execute_batch("COMMIT").unwrap();
        });
        leeg_wal(&conn, 100).unwrap();
        klaar.join().unwrap();
        assert_eq!(
            std::fs::metadata(map.0.join("zorgenquete.sqlite-wal")).map_or(0, |m| m.len()),
            0
        );
    }

    #[test]
    fn every_database_ends_up_in_incremental_mode_and_gives_pages_back() {
        let map = Map::nieuw("incrementeel");
        // A database made before this version: no auto-vacuum.
        let db = map.0.join("oud.sqlite");
        {
            let mut c = Connection::open(&db).unwrap();
            crate::storage::migraties::voer_uit(&mut c).unwrap();
            let modus: i64 = c
                .pragma_query_value(None, "auto_vacuum", |r| r.get(0))
                .unwrap();
            assert_eq!(modus, 0);
        }
        let (conn, herschreven) =
            crate::storage::open_en_herschreven(&db, crate::storage::migraties::MIGRATIES).unwrap();
        assert!(herschreven, "an older file is rewritten once");
        let modus: i64 = conn
            .pragma_query_value(None, "auto_vacuum", |r| r.get(0))
            .unwrap();
        assert_eq!(modus, 2);
        vul(&conn, "2025-2026", &"lang ".repeat(200), 500);
        conn.execute("DELETE FROM inzending", []).unwrap();
        let vrij: i64 = conn
            .pragma_query_value(None, "freelist_count", |r| r.get(0))
            .unwrap();
        assert!(vrij > i64::from(STAP_PAGINAS), "{vrij}");
        let stappen = geef_vrije_paginas_terug(&conn).unwrap();
        // Whole steps of 64 pages each (the pragma must be stepped to its end).
        assert_eq!(
            i64::from(stappen.stappen),
            (vrij + i64::from(STAP_PAGINAS) - 1) / i64::from(STAP_PAGINAS),
            "{stappen:?}"
        );
        let vrij: i64 = conn
            .pragma_query_value(None, "freelist_count", |r| r.get(0))
            .unwrap();
        assert_eq!(vrij, 0);
        // A new database is incremental from its first table: no rewrite.
        let (nieuw, herschreven) = crate::storage::open_en_herschreven(
            &map.0.join("nieuw.sqlite"),
            crate::storage::migraties::MIGRATIES,
        )
        .unwrap();
        assert!(!herschreven, "a new file needs no rewrite");
        let modus: i64 = nieuw
            .pragma_query_value(None, "auto_vacuum", |r| r.get(0))
            .unwrap();
        assert_eq!(modus, 2);
    }

    #[test]
    fn migration_copies_older_than_the_retention_period_are_found() {
        let map = Map::nieuw("kopieen");
        let db = map.0.join("zorgenquete.sqlite");
        std::fs::write(&db, b"").unwrap();
        let oud = map.0.join("zorgenquete.sqlite.schema1.bak");
        let jong = map.0.join("zorgenquete.sqlite.schema2.bak");
        let ander = map.0.join("zorgenquete.sqlite.schemaX.bak");
        for p in [&oud, &jong, &ander] {
            std::fs::write(p, b"kopie").unwrap();
        }
        let lang_geleden = std::time::SystemTime::now() - Duration::from_secs(6 * 365 * 86_400);
        for p in [&oud, &ander] {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(lang_geleden)
                .unwrap();
        }
        let bewaren = Duration::from_secs(5 * 365 * 86_400);
        assert_eq!(backup::oude_migratiekopieen(&db, bewaren), [oud]);
    }
}
