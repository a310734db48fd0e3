//! Copies of the database with `VACUUM INTO`: `zorgenquete backup <bestand>` while the service
//! keeps serving, and the copy taken before a migration.
//!
//! The copy is written inside one read transaction: in WAL mode that does not block the
//! writer, and the copy is one consistent moment (every acknowledged answer up to then, nothing
//! half). Unlike a page-by-page copy it holds no free pages, so nothing deleted travels along. The copy is written next to its final name and renamed
//! into place, so a crash never leaves a half-written backup under the real name; it is a
//! single file (rollback journal, no `-wal`), checked with `PRAGMA quick_check`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use super::OpslagFout;

/// How long to keep retrying while the database is busy (another writer holds a lock).
const WACHT_MAX: Duration = Duration::from_secs(30);

/// Copies the database in `bron` to `doel` (which must not exist yet). Returns the schema version
/// and the number of responses in the copy.
pub fn kopieer(bron: &Path, doel: &Path) -> Result<(i64, i64), OpslagFout> {
    if doel.exists() {
        return Err(OpslagFout::Geweigerd(format!(
            "{} bestaat al; kies een nieuwe naam (bv. met de datum erin) of verwijder het oude bestand eerst",
            doel.display()
        )));
    }
    if !bron.is_file() {
        return Err(OpslagFout::Geweigerd(format!(
            "er is geen databank {}; kijk het pad na (--db of db in zorgenquete.toml)",
            bron.display()
        )));
    }
    // Read-write without create: a read-only handle cannot use the WAL index of a live database.
    let src = Connection::open_with_flags(
        bron,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| OpslagFout::Databank(format!("kan {} niet openen ({e})", bron.display())))?;
    src.busy_timeout(Duration::from_secs(5))?;
    kopieer_van(&src, doel)
}

/// As [`kopieer`], from an open connection (the copy before a migration).
pub fn kopieer_van(src: &Connection, doel: &Path) -> Result<(i64, i64), OpslagFout> {
    if let Some(map) = doel.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(map).map_err(|e| {
            OpslagFout::Databank(format!("kan de map {} niet maken ({e})", map.display()))
        })?;
    }
    let tijdelijk = tijdelijke_naam(doel);
    let _ = std::fs::remove_file(&tijdelijk);
    let resultaat = schrijf_kopie(src, &tijdelijk).and_then(|info| {
        std::fs::rename(&tijdelijk, doel).map_err(|e| {
            OpslagFout::Databank(format!(
                "kan de kopie niet naar {} verplaatsen ({e})",
                doel.display()
            ))
        })?;
        Ok(info)
    });
    if resultaat.is_err() {
        let _ = std::fs::remove_file(&tijdelijk);
    }
    resultaat
}

fn tijdelijke_naam(doel: &Path) -> PathBuf {
    let mut naam = doel.file_name().unwrap_or_default().to_os_string();
    naam.push(".bezig");
    doel.with_file_name(naam)
}

fn schrijf_kopie(src: &Connection, pad: &Path) -> Result<(i64, i64), OpslagFout> {
    let fout = |e: rusqlite::Error| {
        OpslagFout::Databank(format!("de kopie naar {} mislukte ({e})", pad.display()))
    };
    let naam = pad.to_str().ok_or_else(|| {
        OpslagFout::Databank(format!(
            "de kopie kan niet naar {}: kies een pad zonder vreemde tekens",
            pad.display()
        ))
    })?;
    // `VACUUM INTO` writes a fresh, compact copy: only live pages, no free pages that could
    // still hold deleted rows. It reads in one read transaction (one consistent moment; in WAL
    // mode the writer goes on meanwhile).
    let start = std::time::Instant::now();
    loop {
        match src.execute("VACUUM INTO ?1", [naam]) {
            Ok(_) => break,
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && start.elapsed() < WACHT_MAX =>
            {
                let _ = std::fs::remove_file(pad);
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                return Err(OpslagFout::Databank(
                    "de databank bleef bezet; probeer de kopie straks opnieuw".into(),
                ));
            }
            Err(e) => return Err(fout(e)),
        }
    }
    let dst = Connection::open(pad).map_err(fout)?;
    // One self-contained file: no WAL beside it.
    let _: String = dst
        .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))
        .map_err(fout)?;
    let controle: String = dst
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(fout)?;
    if controle != "ok" {
        return Err(OpslagFout::Databank(format!(
            "de kopie is niet in orde ({controle}); probeer opnieuw"
        )));
    }
    let versie: i64 = dst
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(fout)?;
    let antwoorden: i64 = dst
        .query_row(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'inzending')
                    THEN (SELECT count(*) FROM inzending) ELSE 0 END",
            [],
            |r| r.get(0),
        )
        .map_err(fout)?;
    dst.close().map_err(|(_, e)| fout(e))?;
    Ok((versie, antwoorden))
}

/// The copies taken before migrations (`<db>.schemaN.bak`) whose last change is more than
/// `ouder_dan` ago. They hold every answer of their day, also of periods deleted since, so
/// `opruimen` removes them once they are older than the retention period.
pub fn oude_migratiekopieen(db: &Path, ouder_dan: Duration) -> Vec<PathBuf> {
    let Some(naam) = db.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let begin = format!("{naam}.schema");
    let map = match db.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(m) => m.to_path_buf(),
        None => PathBuf::from("."),
    };
    let Ok(lijst) = std::fs::read_dir(&map) else {
        return Vec::new();
    };
    let mut uit: Vec<PathBuf> = lijst
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name().to_str().is_some_and(|n| {
                n.strip_prefix(&begin)
                    .and_then(|r| r.strip_suffix(".bak"))
                    .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            })
        })
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|leeftijd| leeftijd > ouder_dan)
        })
        .map(|e| e.path())
        .collect();
    uit.sort();
    uit
}

/// Where the copy before migrating from schema `versie` goes: next to the database,
/// `zorgenquete.sqlite` → `zorgenquete.sqlite.schema3.bak`.
pub fn naam_voor_migratie(db: &Path, versie: i64) -> PathBuf {
    let mut naam = db.file_name().unwrap_or_default().to_os_string();
    naam.push(format!(".schema{versie}.bak"));
    db.with_file_name(naam)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_one_consistent_file_and_never_overwrites() {
        let dir = std::env::temp_dir().join(format!("zorgenquete-backup-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("z.sqlite");
        let mut conn = super::super::open(&db).unwrap();
        crate::storage::periode_open(
            &mut conn,
            "ouders",
            &crate::domain::PeriodeNaam::parse("2025-2026").unwrap(),
            None,
        )
        .unwrap();
        conn.execute(
            "INSERT INTO inzending (id, vragenlijst, periode, kanaal, antwoorden) VALUES (7, 'ouders', '2025-2026', 'online', '{}')",
            [],
        )
        .unwrap();
        let doel = dir.join("kopie").join("z.sqlite");
        let (versie, antwoorden) = kopieer(&db, &doel).unwrap();
        assert_eq!(
            (versie, antwoorden),
            (super::super::migraties::doelversie(), 1)
        );
        assert!(!dir.join("kopie").join("z.sqlite-wal").exists());
        assert!(!tijdelijke_naam(&doel).exists());
        let err = kopieer(&db, &doel).unwrap_err();
        assert!(err.to_string().contains("bestaat al"), "{err}");
        assert!(kopieer(&dir.join("geen.sqlite"), &dir.join("x")).is_err());
        assert_eq!(naam_voor_migratie(&db, 2), dir.join("z.sqlite.schema2.bak"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
