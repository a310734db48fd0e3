//! `zorgenquete export`: writes one export to a file or to standard output.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;

use super::{Formaat, Opdracht};
use crate::domain::vragenlijst::Vragenlijst;
use crate::rapport::{Keuze, MinimumGroep, Vergelijk};
use crate::storage;
use crate::storage::opslag::{DbAdres, Opslag};

/// What the command line asked for.
#[derive(Debug, Clone)]
pub struct Vraag<'a> {
    pub lijst: &'a Vragenlijst,
    pub periodes: Vec<String>,
    pub formaat: &'a str,
    pub uit: Option<&'a Path>,
    pub open_antwoorden: bool,
    pub minimum: Option<u32>,
    /// Which periods to compare.
    pub vergelijk: Vergelijk,
    pub db: &'a Path,
    /// The school (its PostgreSQL schema), in a group.
    pub school: Option<&'a str>,
}

/// Runs the export; returns a Dutch error message on failure.
pub fn voer_uit(vraag: Vraag<'_>) -> Result<(), String> {
    let formaat = Formaat::parse(vraag.formaat).ok_or_else(|| {
        format!(
            "formaat `{}` kennen we niet; kies uit {}",
            vraag.formaat,
            Formaat::ALLE.map(Formaat::id).join(", ")
        )
    })?;
    let minimum = match vraag.minimum {
        Some(n) => MinimumGroep::nieuw(n)?,
        None => MinimumGroep::default(),
    };
    if vraag.open_antwoorden && formaat != Formaat::Ruw {
        return Err(
            "--open-antwoorden kan alleen met --formaat ruw: open antwoorden komen nooit in een samenvatting"
                .into(),
        );
    }
    if formaat.binair() && vraag.uit.is_none() && std::io::stdout().is_terminal() {
        return Err(format!(
            "een {}-bestand kan niet op het scherm; geef een bestand met -o, bv. -o resultaten.{}",
            formaat.id(),
            formaat.extensie()
        ));
    }
    let opdracht = Opdracht {
        keuze: Keuze {
            periodes: vraag.periodes,
            minimum,
            vergelijk: vraag.vergelijk,
        },
        formaat,
        open_antwoorden: vraag.open_antwoorden,
    };
    let notities = match DbAdres::uit_pad(vraag.db) {
        DbAdres::Postgres(url) => {
            // Made in memory from one snapshot, then written.
            let (bytes, notities) =
                crate::onderhoud::met_postgres(&url, vraag.school, |o| async move {
                    Opslag::Postgres(o).export(vraag.lijst, &opdracht).await
                })
                .map_err(|e| e.to_string())?;
            schrijf_bytes(vraag.uit, &bytes)?;
            notities
        }
        DbAdres::Sqlite(_) => {
            if !vraag.db.exists() {
                return Err(format!(
                    "de databank {} bestaat niet; geef de juiste met --db",
                    vraag.db.display()
                ));
            }
            let conn = storage::open_lezer(vraag.db).map_err(|e| e.to_string())?;
            schrijf_sqlite(&conn, vraag.lijst, &opdracht, vraag.uit)?
        }
    };
    for n in notities {
        eprintln!("let op: {n}");
    }
    if let Some(pad) = vraag.uit {
        eprintln!("{} geschreven", pad.display());
    }
    if vraag.open_antwoorden {
        eprintln!(
            "let op: dit bestand bevat open antwoorden; die kunnen namen noemen. Deel het alleen met het zorgteam."
        );
    }
    Ok(())
}

/// The export of a SQLite file, streamed to `uit` (a file, removed again on failure) or to
/// standard output.
fn schrijf_sqlite(
    conn: &rusqlite::Connection,
    lijst: &Vragenlijst,
    opdracht: &Opdracht,
    uit: Option<&Path>,
) -> Result<Vec<String>, String> {
    Ok(match uit {
        Some(pad) => {
            let bestand = std::fs::File::create(pad)
                .map_err(|e| format!("kan {} niet maken ({e})", pad.display()))?;
            let mut w = BufWriter::new(bestand);
            let r = super::schrijf(conn, lijst, opdracht, &mut w)
                .map_err(|e| e.to_string())
                .and_then(|n| {
                    w.flush()
                        .map_err(|e| format!("kan {} niet schrijven ({e})", pad.display()))?;
                    Ok(n)
                });
            if r.is_err() {
                drop(w);
                let _ = std::fs::remove_file(pad);
            }
            r?
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            let n = super::schrijf(conn, lijst, opdracht, &mut w).map_err(|e| e.to_string())?;
            w.flush().map_err(|e| format!("kan niet schrijven ({e})"))?;
            n
        }
    })
}

/// Writes an export made in memory to `uit` or to standard output.
fn schrijf_bytes(uit: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match uit {
        Some(pad) => std::fs::write(pad, bytes).map_err(|e| {
            let _ = std::fs::remove_file(pad);
            format!("kan {} niet schrijven ({e})", pad.display())
        }),
        None => {
            let mut w = std::io::stdout().lock();
            w.write_all(bytes)
                .and_then(|()| w.flush())
                .map_err(|e| format!("kan niet schrijven ({e})"))
        }
    }
}
