//! Maintenance commands for the school's IT partner: `backup`, `opruimen` and `verhuis`, on
//! either engine. The storage work is in [`crate::storage::backup`],
//! [`crate::storage::opruimen`], [`crate::storage::pg::rapport`] and [`crate::storage::verhuis`];
//! this module says in Dutch what happened.

use std::future::Future;
use std::path::{Path, PathBuf};

use crate::domain::vragenlijst::Vragenlijsten;
use crate::instellingen::Instellingen;
use crate::storage::opslag::{DbAdres, Opslag};
use crate::storage::pg::PgOpslag;
use crate::storage::{self, OpslagFout, opruimen};

/// Runs `f` with the school's PostgreSQL storage on a runtime of its own (the commands are
/// synchronous).
pub fn met_postgres<T, Fut>(
    url: &str,
    school: Option<&str>,
    f: impl FnOnce(PgOpslag) -> Fut,
) -> Result<T, OpslagFout>
where
    Fut: Future<Output = Result<T, OpslagFout>>,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| OpslagFout::Databank(format!("kan geen runtime starten ({e})")))?;
    rt.block_on(async {
        let opslag = PgOpslag::open(url, school).await?;
        f(opslag).await
    })
}

/// The program that dumps a PostgreSQL schema: `ZORG_PG_DUMP`, else `pg_dump` on `PATH`.
fn pg_dump() -> PathBuf {
    std::env::var_os("ZORG_PG_DUMP")
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from("pg_dump"), PathBuf::from)
}

/// `zorgenquete backup <bestand>` on either engine.
pub fn backup_van(inst: &Instellingen, doel: &Path) -> Result<String, OpslagFout> {
    match inst.db_adres() {
        DbAdres::Sqlite(pad) => backup(&pad, doel),
        DbAdres::Postgres(url) => {
            let (schema, antwoorden) =
                met_postgres(&url, inst.school.as_deref(), |o| async move {
                    Ok((o.schema().to_string(), o.aantal_inzendingen().await?))
                })?;
            storage::pg::rapport::backup(&url, &schema, doel, &pg_dump())?;
            Ok(format!(
                "kopie gemaakt: {} (schema {schema} met pg_dump, {antwoorden} antwoorden). \
                 Terugzetten in een lege databank: pg_restore --no-owner --dbname postgres://…/databank {}; \
                 start daarna de dienst met die databank.",
                doel.display(),
                doel.display()
            ))
        }
    }
}

/// `zorgenquete verhuis --van <bestand> --naar postgres://…`: moves the school's file into its
/// schema and prints a Dutch summary.
pub fn verhuis(
    van: &Path,
    naar: &str,
    school: Option<&str>,
    lijsten: &Vragenlijsten,
    minimum: crate::rapport::MinimumGroep,
) -> Result<String, OpslagFout> {
    let DbAdres::Postgres(url) = DbAdres::parse(naar) else {
        return Err(OpslagFout::Geweigerd(format!(
            "--naar moet een PostgreSQL-adres zijn (postgres://gebruiker@server:5432/databank), niet `{naar}`"
        )));
    };
    let (schema, verslag) = met_postgres(&url, school, |o| async move {
        let verslag = storage::verhuis::verhuis(van, &o, school, lijsten, minimum).await?;
        Ok((o.schema().to_string(), verslag))
    })?;
    let mut uit = format!(
        "verhuisd: {} → PostgreSQL-schema {schema} ({})\n",
        van.display(),
        storage::pg::zonder_wachtwoord(&url)
    );
    for (tabel, n) in &verslag.tabellen {
        uit.push_str(&format!("  {tabel}: {n} rijen, gelijk in beide\n"));
    }
    uit.push_str(&format!(
        "gecontroleerd: het rapport van {} en {} exports (alle formaten) zijn gelijk in het bestand en in PostgreSQL.\n\
         De sessies van het personeel zijn niet meegekomen: iedereen meldt zich opnieuw aan. \
         Zet nu `db` op het PostgreSQL-adres en start de dienst opnieuw; bewaar het SQLite-bestand als kopie.",
        if verslag.vragenlijsten.is_empty() {
            "geen enkele vragenlijst".to_string()
        } else {
            verslag.vragenlijsten.join(", ")
        },
        verslag.exports
    ));
    Ok(uit)
}

/// `zorgenquete backup <bestand>`: an online copy, safe while the service serves.
pub fn backup(db: &Path, doel: &Path) -> Result<String, OpslagFout> {
    let (versie, antwoorden) = storage::backup::kopieer(db, doel)?;
    Ok(format!(
        "kopie gemaakt: {} ({antwoorden} antwoorden, schemaversie {versie}). \
         Terugzetten: stop de dienst, zet dit bestand op de plaats van {} \
         (verwijder daar ook eventuele -wal en -shm bestanden) en start de dienst opnieuw.",
        doel.display(),
        db.display()
    ))
}

/// `zorgenquete opruimen [--dry-run]`: lists, and unless dry, deletes the periods past
/// `bewaren_jaren` (from the school's `[privacy]`, see [`crate::instellingen::laden::bewaartermijn`]).
pub fn opruimen_cli(inst: &Instellingen, dry_run: bool) -> Result<(), String> {
    if let DbAdres::Postgres(url) = inst.db_adres() {
        // No copies before migrations on PostgreSQL (backups are the server's); one
        // transaction, as on SQLite.
        return met_postgres(&url, inst.school.as_deref(), |o| async move {
            let o = Opslag::Postgres(o);
            let keuze = o
                .oude_periodes(inst.bewaren_jaren, &storage::vandaag())
                .await?;
            if !dry_run && !keuze.te_oud.is_empty() {
                o.verwijder_periodes(&keuze.te_oud).await?;
            }
            Ok(keuze)
        })
        .map_err(|e| e.to_string())
        .map(|keuze| meld_opruimen(inst, &keuze, dry_run));
    }
    let mut conn = storage::open(&inst.db).map_err(|e| e.to_string())?;
    let keuze = opruimen::kies(&conn, inst.bewaren_jaren, &storage::vandaag())
        .map_err(|e| e.to_string())?;
    // Copies taken before migrations hold every answer of their day: gone after the retention
    // period like the periods themselves.
    let bewaren = std::time::Duration::from_secs(u64::from(inst.bewaren_jaren) * 365 * 86_400);
    for kopie in storage::backup::oude_migratiekopieen(&inst.db, bewaren) {
        if dry_run {
            println!(
                "Deze kopie van vóór een update is ouder dan {} jaar en zou verwijderd worden: {}",
                inst.bewaren_jaren,
                kopie.display()
            );
        } else {
            std::fs::remove_file(&kopie)
                .map_err(|e| format!("kan {} niet verwijderen ({e})", kopie.display()))?;
            println!(
                "Verwijderd: {} (kopie van vóór een update)",
                kopie.display()
            );
        }
    }
    if !dry_run && !keuze.te_oud.is_empty() {
        opruimen::verwijder(&mut conn, &keuze.te_oud).map_err(|e| e.to_string())?;
    }
    meld_opruimen(inst, &keuze, dry_run);
    Ok(())
}

/// What `opruimen` selected (and, unless dry, deleted), in Dutch.
fn meld_opruimen(inst: &Instellingen, keuze: &opruimen::Keuze, dry_run: bool) {
    for p in &keuze.zonder_jaar {
        eprintln!(
            "waarschuwing: periode {p} heeft geen jaartal in haar naam en wordt nooit vanzelf verwijderd"
        );
    }
    if keuze.te_oud.is_empty() {
        println!(
            "Geen periodes ouder dan {} schooljaren: er is niets te verwijderen.",
            inst.bewaren_jaren
        );
        return;
    }
    let kop = if dry_run {
        "Deze periodes zouden verwijderd worden (proef: er is niets verwijderd):"
    } else {
        "Verwijderd:"
    };
    println!("{kop}");
    for p in &keuze.te_oud {
        println!(
            "  {} {} ({} antwoorden, {} codes)",
            p.vragenlijst, p.naam, p.antwoorden, p.codes
        );
    }
    if dry_run {
        println!("Verwijder ze echt met `zorgenquete opruimen` (zonder --dry-run).");
    }
}
