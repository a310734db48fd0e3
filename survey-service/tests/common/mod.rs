//! Helpers the service's integration tests share (`mod common;`): a throw-away SQLite file, a
//! questionnaire from a table of items, and periods and responses through the real storage path.

#![allow(dead_code)] // Each test file uses a different part.

use std::path::PathBuf;

use rusqlite::Connection;
use zorgenquete::domain::vragenlijst::{Vragenlijst, Vragenlijsten, parse};
use zorgenquete::domain::{Kanaal, PeriodeNaam};
use zorgenquete::storage;
use zorgenquete::storage::schrijver::{NieuweInzending, Uitkomst, schrijf_groep};
use zorgsite::diagnostics::Source;

/// A SQLite file `zorgenquete-<naam>-<pid>.sqlite` in the temp folder, removed (with its WAL
/// files) when dropped.
pub struct TempDb(pub PathBuf);

impl TempDb {
    /// A fresh file (leftovers of an earlier run removed) and a connection to it.
    pub fn open(naam: &str) -> (TempDb, Connection) {
        let pad =
            std::env::temp_dir().join(format!("zorgenquete-{naam}-{}.sqlite", std::process::id()));
        drop(TempDb(pad.clone()));
        let conn = storage::open(&pad).unwrap();
        (TempDb(pad), conn)
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", self.0.display()));
        }
    }
}

/// The questionnaire `ouders` titled `titel`, one item per (id, versie, categorie, soort, tekst).
pub fn ouders(titel: &str, vragen: &[(&str, u32, &str, &str, &str)]) -> Vragenlijst {
    let mut text =
        format!("id = \"ouders\"\ntitel = \"{titel}\"\nintro = \"i\"\nbedankt = \"b\"\n");
    for (id, versie, categorie, soort, tekst) in vragen {
        text.push_str(&format!(
            "[[vraag]]\nid = \"{id}\"\nversie = {versie}\ncategorie = \"{categorie}\"\nsoort = \"{soort}\"\ntekst = \"{tekst}\"\n"
        ));
    }
    parse(&Source::new("ouders.toml", text), "ouders").unwrap()
}

/// Stores the questionnaire's items and opens period `naam` with `uitgenodigd` invited.
pub fn open_periode(
    conn: &mut Connection,
    lijst: &Vragenlijst,
    naam: &str,
    uitgenodigd: Option<u32>,
) -> PeriodeNaam {
    let lijsten = Vragenlijsten([(lijst.id.clone(), lijst.clone())].into());
    storage::bewaar_vragen(conn, &lijsten).unwrap();
    let p = PeriodeNaam::parse(naam).unwrap();
    storage::periode_open(conn, &lijst.id, &p, uitgenodigd).unwrap();
    p
}

/// Responses to `ouders` in `periode`, written as one group through the single writer's path.
pub fn schrijf(
    conn: &mut Connection,
    periode: &str,
    antwoorden: &[(Kanaal, &str)],
) -> Vec<Uitkomst> {
    let inz: Vec<NieuweInzending> = antwoorden
        .iter()
        .map(|(kanaal, json)| NieuweInzending::new("ouders", periode, *kanaal, json.to_string()))
        .collect();
    let refs: Vec<&NieuweInzending> = inz.iter().collect();
    schrijf_groep(conn, &refs).unwrap()
}

/// Opens period `naam` of `ouders`, stores `antwoorden` in one group and closes it again.
pub fn periode_met(
    conn: &mut Connection,
    lijst: &Vragenlijst,
    naam: &str,
    uitgenodigd: u32,
    antwoorden: &[(Kanaal, &str)],
) {
    let p = open_periode(conn, lijst, naam, Some(uitgenodigd));
    schrijf(conn, naam, antwoorden);
    storage::periode_sluit(conn, "ouders", &p, Default::default()).unwrap();
}
