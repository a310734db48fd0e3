//! The released-periods view: the one place below the web pages and the command line that
//! decides whose answers a report, an export or the open answers may read.
//!
//! Every function that reads stored answers (`rapport::lezen`, `rapport::open`,
//! `rapport::export::ruw`) takes a [`Vrijgegeven`], and only [`PeriodeStaat::vrijgegeven`] makes
//! one: for a closed period whose answers were released at its last close (see
//! [`crate::domain::vrijgave`]). So no caller can read an open period by forgetting a check.
//! Read the states and the answers inside one read transaction ([`in_een_moment`]) so they
//! belong to the same moment.

use rusqlite::Connection;

use super::{OpslagFout, aantal, rows};
use crate::domain::vrijgave::Vrijgave;

/// One period of a questionnaire and whether its answers may be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodeStaat {
    naam: String,
    uitgenodigd: Option<u32>,
    vrijgave: Vrijgave,
}

impl PeriodeStaat {
    /// A period's state from its stored columns (both engines read the same columns).
    pub(crate) fn uit_kolommen(
        naam: String,
        uitgenodigd: Option<u32>,
        open: bool,
        inzendingen: i64,
        vrijgegeven: Option<i64>,
    ) -> PeriodeStaat {
        PeriodeStaat {
            naam,
            uitgenodigd,
            vrijgave: Vrijgave::van(open, aantal(inzendingen), vrijgegeven.map(aantal)),
        }
    }

    pub fn naam(&self) -> &str {
        &self.naam
    }

    pub fn uitgenodigd(&self) -> Option<u32> {
        self.uitgenodigd
    }

    pub fn vrijgave(&self) -> Vrijgave {
        self.vrijgave
    }

    /// The permission to read this period's answers, if they are released.
    pub fn vrijgegeven(&self) -> Option<Vrijgegeven> {
        (self.vrijgave == Vrijgave::Vrijgegeven).then(|| Vrijgegeven {
            naam: self.naam.clone(),
        })
    }
}

/// A period whose answers may be read. Only [`PeriodeStaat::vrijgegeven`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vrijgegeven {
    naam: String,
}

impl Vrijgegeven {
    pub fn naam(&self) -> &str {
        &self.naam
    }
}

/// The periods of a questionnaire in name order, with their release state.
pub fn staten(conn: &Connection, vragenlijst: &str) -> Result<Vec<PeriodeStaat>, OpslagFout> {
    let sql = "SELECT p.naam, p.uitgenodigd, p.open, p.vrijgegeven, p.inzendingen
         FROM periode p WHERE p.vragenlijst = ?1 ORDER BY p.naam";
    Ok(rows(conn, sql, [vragenlijst], |r| {
        let open: bool = r.get(2)?;
        let vrijgegeven: Option<i64> = r.get(3)?;
        let n: i64 = r.get(4)?;
        Ok(PeriodeStaat {
            naam: r.get(0)?,
            uitgenodigd: r.get(1)?,
            vrijgave: Vrijgave::van(open, aantal(n), vrijgegeven.map(aantal)),
        })
    })?)
}

/// Runs `f` inside one read transaction (unless the connection is in one already), so the
/// release states and the answers read after them belong to the same moment: a period cannot
/// open and take an answer in between.
pub fn in_een_moment<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<T, OpslagFout>,
) -> Result<T, OpslagFout> {
    if !conn.is_autocommit() {
        return f(conn);
    }
    let tx = conn.unchecked_transaction()?;
    let uit = f(&tx)?;
    // Nothing was written; ending the read transaction releases its snapshot.
    tx.rollback()?;
    Ok(uit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PeriodeNaam;
    use crate::domain::vrijgave::MinimumGroep;
    use crate::storage::{migraties, periode_open, periode_sluit};

    fn antwoord(conn: &Connection, periode: &str) {
        conn.execute(
            "INSERT INTO inzending (vragenlijst, periode, kanaal, antwoorden) VALUES ('ouders', ?1, 'online', '{}')",
            [periode],
        )
        .unwrap();
    }

    fn staat(conn: &Connection) -> Vrijgave {
        staten(conn, "ouders").unwrap()[0].vrijgave()
    }

    #[test]
    fn only_a_closed_period_at_its_released_count_may_be_read() {
        let mut conn = Connection::open_in_memory().unwrap();
        migraties::voer_uit(&mut conn).unwrap();
        let p = PeriodeNaam::parse("2025-2026").unwrap();
        let min = MinimumGroep::STANDAARD;
        periode_open(&mut conn, "ouders", &p, None).unwrap();
        for _ in 0..6 {
            antwoord(&conn, "2025-2026");
        }
        assert_eq!(staat(&conn), Vrijgave::NogOpen);
        assert!(staten(&conn, "ouders").unwrap()[0].vrijgegeven().is_none());
        let nog = periode_sluit(&mut conn, "ouders", &p, min).unwrap();
        assert_eq!(nog, 0, "released");
        assert_eq!(staat(&conn), Vrijgave::Vrijgegeven);
        assert_eq!(
            staten(&conn, "ouders").unwrap()[0]
                .vrijgegeven()
                .unwrap()
                .naam(),
            "2025-2026"
        );

        // Re-opened: four more are not enough to show it again.
        periode_open(&mut conn, "ouders", &p, None).unwrap();
        for _ in 0..4 {
            antwoord(&conn, "2025-2026");
        }
        let nog = periode_sluit(&mut conn, "ouders", &p, min).unwrap();
        assert_eq!(nog, 1, "one more needed");
        assert_eq!(staat(&conn), Vrijgave::WachtOpMeer);
        // Closing again changes nothing.
        periode_sluit(&mut conn, "ouders", &p, min).unwrap();
        assert_eq!(staat(&conn), Vrijgave::WachtOpMeer);
        // One more, and it is released at 11.
        periode_open(&mut conn, "ouders", &p, None).unwrap();
        antwoord(&conn, "2025-2026");
        periode_sluit(&mut conn, "ouders", &p, min).unwrap();
        assert_eq!(staat(&conn), Vrijgave::Vrijgegeven);
        let vrijgegeven: i64 = conn
            .query_row("SELECT vrijgegeven FROM periode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(vrijgegeven, 11);
    }

    #[test]
    fn a_release_below_five_holds_nothing_back() {
        let mut conn = Connection::open_in_memory().unwrap();
        migraties::voer_uit(&mut conn).unwrap();
        let p = PeriodeNaam::parse("proef").unwrap();
        let min = MinimumGroep::STANDAARD;
        periode_open(&mut conn, "ouders", &p, None).unwrap();
        for _ in 0..3 {
            antwoord(&conn, "proef");
        }
        periode_sluit(&mut conn, "ouders", &p, min).unwrap();
        periode_open(&mut conn, "ouders", &p, None).unwrap();
        antwoord(&conn, "proef");
        antwoord(&conn, "proef");
        periode_sluit(&mut conn, "ouders", &p, min).unwrap();
        assert_eq!(staat(&conn), Vrijgave::Vrijgegeven);
    }

    #[test]
    fn reading_in_one_moment_nests() {
        let mut conn = Connection::open_in_memory().unwrap();
        migraties::voer_uit(&mut conn).unwrap();
        let n = in_een_moment(&conn, |c| {
            in_een_moment(c, |c| Ok(staten(c, "ouders")?.len()))
        })
        .unwrap();
        assert_eq!(n, 0);
        assert!(conn.is_autocommit());
    }
}
