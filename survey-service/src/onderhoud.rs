//! Maintenance commands for the school's IT partner: `backup` and `opruimen`.
//! The storage work is in [`crate::storage::backup`] and [`crate::storage::opruimen`]; this
//! module says in Dutch what happened.

use std::path::Path;

use crate::instellingen::Instellingen;
use crate::storage::{self, OpslagFout, opruimen};

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
        return Ok(());
    }
    let kop = if dry_run {
        "Deze periodes zouden verwijderd worden (proef: er is niets verwijderd):"
    } else {
        "Verwijderd:"
    };
    if !dry_run {
        opruimen::verwijder(&mut conn, &keuze.te_oud).map_err(|e| e.to_string())?;
    }
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
    Ok(())
}
