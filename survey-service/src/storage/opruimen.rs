//! Deleting old periods after the retention time (`bewaren_jaren`): their responses, codes,
//! counters and staff-entry counts, then the period itself.
//!
//! A period's age comes from the last year in its name (`2019-2020` ended in 2020). It is old
//! when at least `bewaren_jaren` school years have started since then: with 5, `2019-2020` goes
//! from school year 2025-2026 on. Open periods and names without a year are never deleted.
//! A dry run and a real run select with the same function, and the real run deletes exactly
//! what it selected, in one transaction.

use rusqlite::{Connection, params};

use super::{OpslagFout, vacuum};

/// A period selected for deletion, with what goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OudePeriode {
    pub vragenlijst: String,
    pub naam: String,
    pub antwoorden: i64,
    pub codes: i64,
}

/// What [`kies`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keuze {
    pub te_oud: Vec<OudePeriode>,
    /// Closed periods whose name has no year (`vragenlijst naam`): kept, but worth a look.
    pub zonder_jaar: Vec<String>,
}

/// The last four-digit year in a period name (`2024-2025` → 2025, `najaar-2024` → 2024).
pub fn jaar_van(naam: &str) -> Option<i32> {
    naam.split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse().ok())
        .next_back()
}

/// The calendar year in which the current school year started (September), from `YYYY-MM-DD`.
pub fn schooljaar_begin(vandaag: &str) -> Option<i32> {
    let jaar: i32 = vandaag.get(0..4)?.parse().ok()?;
    let maand: u32 = vandaag.get(5..7)?.parse().ok()?;
    Some(if maand >= 9 { jaar } else { jaar - 1 })
}

/// Selects the periods to delete on `vandaag` (`YYYY-MM-DD`).
pub fn kies(conn: &Connection, bewaren_jaren: u32, vandaag: &str) -> Result<Keuze, OpslagFout> {
    let mut stmt = conn.prepare(
        "SELECT p.vragenlijst, p.naam,
           p.inzendingen,
           (SELECT count(*) FROM code c WHERE c.vragenlijst = p.vragenlijst AND c.periode = p.naam)
         FROM periode p WHERE p.open = 0 ORDER BY p.vragenlijst, p.naam",
    )?;
    let gesloten = stmt
        .query_map([], |r| {
            Ok(OudePeriode {
                vragenlijst: r.get(0)?,
                naam: r.get(1)?,
                antwoorden: r.get(2)?,
                codes: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    kies_uit(gesloten, bewaren_jaren, vandaag)
}

/// Selects, among the closed periods `gesloten` (either engine), those to delete on `vandaag`.
pub fn kies_uit(
    gesloten: Vec<OudePeriode>,
    bewaren_jaren: u32,
    vandaag: &str,
) -> Result<Keuze, OpslagFout> {
    let nu = schooljaar_begin(vandaag)
        .ok_or_else(|| OpslagFout::Databank(format!("onbekende datum `{vandaag}`")))?;
    let mut keuze = Keuze::default();
    for p in gesloten {
        match jaar_van(&p.naam) {
            Some(jaar) if i64::from(nu) - i64::from(jaar) >= i64::from(bewaren_jaren) => {
                keuze.te_oud.push(p)
            }
            Some(_) => {}
            None => keuze
                .zonder_jaar
                .push(format!("{} {}", p.vragenlijst, p.naam)),
        }
    }
    Ok(keuze)
}

/// The refusal when a selected period was reopened or removed before the deletion.
pub fn intussen_veranderd(p: &OudePeriode) -> OpslagFout {
    OpslagFout::Geweigerd(format!(
        "periode {} van {} is intussen geopend of verdwenen; er is niets verwijderd",
        p.naam, p.vragenlijst
    ))
}

/// Deletes exactly `periodes` (as selected by [`kies`]) in one transaction, then empties the
/// WAL (retried and verified) and hands the free pages back, so the deleted answers are gone
/// from the file and its WAL too (`secure_delete` overwrites the rows in their pages).
pub fn verwijder(conn: &mut Connection, periodes: &[OudePeriode]) -> Result<(), OpslagFout> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for p in periodes {
        let sleutel = params![p.vragenlijst, p.naam];
        tx.execute(
            "DELETE FROM inzending WHERE vragenlijst = ?1 AND periode = ?2",
            sleutel,
        )?;
        tx.execute(
            "DELETE FROM code WHERE vragenlijst = ?1 AND periode = ?2",
            sleutel,
        )?;
        tx.execute(
            "DELETE FROM teller WHERE vragenlijst = ?1 AND periode = ?2",
            sleutel,
        )?;
        tx.execute(
            "DELETE FROM invoer WHERE vragenlijst = ?1 AND periode = ?2",
            sleutel,
        )?;
        // Only a closed period: if it was reopened meanwhile, nothing is deleted at all.
        let n = tx.execute(
            "DELETE FROM periode WHERE vragenlijst = ?1 AND naam = ?2 AND open = 0",
            sleutel,
        )?;
        if n != 1 {
            return Err(intussen_veranderd(p));
        }
    }
    tx.commit()?;
    // The deleted rows are overwritten in their pages (`secure_delete`); now the old page
    // images leave the WAL, the free pages leave the file, and the WAL is emptied again.
    vacuum::leeg_wal(conn, WAL_POGINGEN)?;
    vacuum::geef_vrije_paginas_terug(conn)?;
    vacuum::leeg_wal(conn, WAL_POGINGEN)?;
    Ok(())
}

/// Attempts to empty the WAL, 100 ms apart: 30 s in all.
const WAL_POGINGEN: u32 = 300;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::rows;

    #[test]
    fn years_from_names_and_dates() {
        assert_eq!(jaar_van("2024-2025"), Some(2025));
        assert_eq!(jaar_van("najaar-2024"), Some(2024));
        assert_eq!(jaar_van("proef"), None);
        assert_eq!(jaar_van("12345"), None);
        assert_eq!(schooljaar_begin("2026-08-31"), Some(2025));
        assert_eq!(schooljaar_begin("2026-09-01"), Some(2026));
    }

    #[test]
    fn selects_only_old_closed_periods_and_deletes_exactly_those() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::migraties::voer_uit(&mut conn).unwrap();
        for (naam, open) in [
            ("2019-2020", 0),
            ("2020-2021", 0),
            ("2018-2019", 1),
            ("proef", 0),
        ] {
            conn.execute(
                "INSERT INTO periode (vragenlijst, naam, open, uitgenodigd, met_codes) VALUES ('ouders', ?1, ?2, NULL, 0)",
                params![naam, open],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO inzending (vragenlijst, periode, kanaal, antwoorden) VALUES ('ouders', ?1, 'online', '{}')",
                [naam],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO teller (week, vragenlijst, periode, aantal) VALUES ('2020-W01', 'ouders', '2019-2020', 1)",
            [],
        )
        .unwrap();
        // With 5 years, on 2025-09-01: 2025 - 2020 = 5 → old; 2020-2021 stays.
        let keuze = kies(&conn, 5, "2025-09-01").unwrap();
        let namen: Vec<&str> = keuze.te_oud.iter().map(|p| p.naam.as_str()).collect();
        assert_eq!(namen, ["2019-2020"]);
        assert_eq!(keuze.te_oud[0].antwoorden, 1);
        assert_eq!(keuze.zonder_jaar, ["ouders proef"]);
        assert!(kies(&conn, 5, "2025-08-31").unwrap().te_oud.is_empty());

        verwijder(&mut conn, &keuze.te_oud).unwrap();
        let over: Vec<String> = rows(
            &conn,
            "SELECT periode FROM inzending ORDER BY periode",
            [],
            |r| r.get(0),
        )
        .unwrap();
        assert_eq!(over, ["2018-2019", "2020-2021", "proef"]);
        let tellers: i64 = conn
            .query_row("SELECT count(*) FROM teller", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tellers, 0);
        // A second delete of the same list fails as a whole.
        assert!(verwijder(&mut conn, &keuze.te_oud).is_err());
    }
}
