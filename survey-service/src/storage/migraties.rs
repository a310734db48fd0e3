//! Forward-only schema migrations, numbered by SQLite's `user_version`.
//!
//! Each entry of [`MIGRATIES`] moves the schema one version up and runs in its own transaction.
//! Never edit an entry that has shipped; add a new one. A database newer than this program is
//! refused rather than guessed at.

use rusqlite::Connection;

use super::OpslagFout;

/// Migration `i` brings the schema from version `i` to `i + 1`.
pub const MIGRATIES: &[&str] = &[
    // 1: periods, responses, codes, per-day counters, item texts, the secret.
    r#"
    CREATE TABLE periode (
        vragenlijst TEXT NOT NULL,
        naam        TEXT NOT NULL,
        open        INTEGER NOT NULL CHECK (open IN (0, 1)),
        uitgenodigd INTEGER CHECK (uitgenodigd >= 0),
        met_codes   INTEGER NOT NULL DEFAULT 0 CHECK (met_codes IN (0, 1)),
        PRIMARY KEY (vragenlijst, naam)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX een_open_periode ON periode (vragenlijst) WHERE open = 1;

    -- One row per response. The id is a random 63-bit number drawn by the writer (never a
    -- counter), and rows are stored in id order, so neither the id nor the physical order says
    -- anything about the order of arrival. No date, time or client data.
    -- (A rowid table keyed by a random integer rather than a WITHOUT ROWID table with a 16-byte
    -- key: the same anonymity, and rows of a few hundred bytes insert much faster.)
    CREATE TABLE inzending (
        id          INTEGER PRIMARY KEY,
        vragenlijst TEXT NOT NULL,
        periode     TEXT NOT NULL,
        kanaal      TEXT NOT NULL CHECK (kanaal IN ('online', 'kiosk', 'papier', 'mondeling')),
        -- {"<item>@<versie>": 0..5 or option number, or text for open items}
        antwoorden  TEXT NOT NULL,
        FOREIGN KEY (vragenlijst, periode) REFERENCES periode (vragenlijst, naam)
    );

    -- Access codes: only a hash and "used or not"; never which response a code produced.
    CREATE TABLE code (
        hash        BLOB PRIMARY KEY,
        vragenlijst TEXT NOT NULL,
        periode     TEXT NOT NULL,
        gebruikt    INTEGER NOT NULL DEFAULT 0 CHECK (gebruikt IN (0, 1)),
        FOREIGN KEY (vragenlijst, periode) REFERENCES periode (vragenlijst, naam)
    ) WITHOUT ROWID;

    -- Progress during a period: counts per day and channel, unlinked to responses.
    CREATE TABLE teller (
        datum       TEXT NOT NULL,
        vragenlijst TEXT NOT NULL,
        periode     TEXT NOT NULL,
        kanaal      TEXT NOT NULL,
        aantal      INTEGER NOT NULL,
        PRIMARY KEY (datum, vragenlijst, periode, kanaal)
    ) WITHOUT ROWID;

    -- What each item version asked, for reports across years.
    CREATE TABLE vraag (
        vragenlijst TEXT NOT NULL,
        id          TEXT NOT NULL,
        versie      INTEGER NOT NULL,
        categorie   TEXT NOT NULL,
        soort       TEXT NOT NULL,
        tekst       TEXT NOT NULL,
        PRIMARY KEY (vragenlijst, id, versie)
    ) WITHOUT ROWID;

    CREATE TABLE geheim (
        naam   TEXT PRIMARY KEY,
        waarde BLOB NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO geheim (naam, waarde) VALUES ('sleutel', randomblob(32));
    "#,
    // 2: staff accounts, their sessions, and the staff audit log (dashboard).
    r#"
    CREATE TABLE gebruiker (
        naam TEXT PRIMARY KEY,
        rol  TEXT NOT NULL CHECK (rol IN ('beheer', 'zorgteam')),
        -- argon2id PHC string (salt and parameters included)
        hash TEXT NOT NULL
    ) WITHOUT ROWID;

    -- Staff sessions: only a SHA-256 of the random session id in the cookie. Times are seconds
    -- since 1970 (staff data; survey answers never carry a time).
    CREATE TABLE sessie (
        hash      BLOB PRIMARY KEY,
        gebruiker TEXT NOT NULL REFERENCES gebruiker (naam) ON DELETE CASCADE,
        begin     INTEGER NOT NULL,
        laatst    INTEGER NOT NULL
    ) WITHOUT ROWID;

    -- Who logged in (or failed to) and who exported what. About staff, never about respondents.
    CREATE TABLE audit (
        id          INTEGER PRIMARY KEY,
        tijd        INTEGER NOT NULL,
        gebruiker   TEXT NOT NULL,
        gebeurtenis TEXT NOT NULL,
        detail      TEXT NOT NULL DEFAULT ''
    );
    "#,
    // 3: results only for closed periods (the count at the last release), progress counters
    // per ISO week without the channel, and staff entry counted per staff member.
    r#"
    -- The number of responses when the period's answers were last released (at a close);
    -- NULL: never released. Periods closed before this version were visible already.
    ALTER TABLE periode ADD COLUMN vrijgegeven INTEGER CHECK (vrijgegeven >= 0);
    UPDATE periode SET vrijgegeven = (
        SELECT count(*) FROM inzending i
        WHERE i.vragenlijst = periode.vragenlijst AND i.periode = periode.naam
    ) WHERE open = 0;

    -- Progress per ISO week (`2026-W07`), without the channel: a day and a channel together
    -- could date the one answer given in a conversation.
    CREATE TABLE teller_week (
        week        TEXT NOT NULL,
        vragenlijst TEXT NOT NULL,
        periode     TEXT NOT NULL,
        aantal      INTEGER NOT NULL,
        PRIMARY KEY (week, vragenlijst, periode)
    ) WITHOUT ROWID;
    INSERT INTO teller_week (week, vragenlijst, periode, aantal)
        SELECT strftime('%G-W%V', datum), vragenlijst, periode, sum(aantal)
        FROM teller GROUP BY 1, 2, 3;
    DROP TABLE teller;
    ALTER TABLE teller_week RENAME TO teller;

    -- Who typed in how many paper or oral answers for which period: counts only, no times and
    -- no link to the responses.
    CREATE TABLE invoer (
        gebruiker   TEXT NOT NULL,
        vragenlijst TEXT NOT NULL,
        periode     TEXT NOT NULL,
        kanaal      TEXT NOT NULL CHECK (kanaal IN ('papier', 'mondeling')),
        aantal      INTEGER NOT NULL CHECK (aantal > 0),
        PRIMARY KEY (gebruiker, vragenlijst, periode, kanaal)
    ) WITHOUT ROWID;
    "#,
    // 4: the number of responses per period, kept by the database itself. Counting the rows
    // of a period means reading all of them (answers included): a fifth of a report's time and
    // half a second per dashboard page at a million responses, and `periode_sluit` did it while
    // holding the write lock. The triggers run inside every statement that adds, removes or
    // moves a response, so the number cannot drift from `count(*)`.
    r#"
    ALTER TABLE periode ADD COLUMN inzendingen INTEGER NOT NULL DEFAULT 0 CHECK (inzendingen >= 0);
    UPDATE periode SET inzendingen = (
        SELECT count(*) FROM inzending i
        WHERE i.vragenlijst = periode.vragenlijst AND i.periode = periode.naam
    );
    CREATE TRIGGER inzending_erbij AFTER INSERT ON inzending BEGIN
        UPDATE periode SET inzendingen = inzendingen + 1
        WHERE vragenlijst = NEW.vragenlijst AND naam = NEW.periode;
    END;
    CREATE TRIGGER inzending_eraf AFTER DELETE ON inzending BEGIN
        UPDATE periode SET inzendingen = inzendingen - 1
        WHERE vragenlijst = OLD.vragenlijst AND naam = OLD.periode;
    END;
    CREATE TRIGGER inzending_verplaatst AFTER UPDATE OF vragenlijst, periode ON inzending BEGIN
        UPDATE periode SET inzendingen = inzendingen - 1
        WHERE vragenlijst = OLD.vragenlijst AND naam = OLD.periode;
        UPDATE periode SET inzendingen = inzendingen + 1
        WHERE vragenlijst = NEW.vragenlijst AND naam = NEW.periode;
    END;
    "#,
    // 6: which school of a group the file belongs to (`storage::school`). At most one row; no
    // row: a file of a service that runs one school, or not yet claimed.
    r#"
    CREATE TABLE school (
        enig INTEGER PRIMARY KEY CHECK (enig = 1),
        id   TEXT NOT NULL
    );
    "#,
];

/// The schema version this program writes.
pub fn doelversie() -> i64 {
    MIGRATIES.len() as i64
}

/// Runs the missing migrations. Returns the version before and after.
pub fn voer_uit(conn: &mut Connection) -> Result<(i64, i64), OpslagFout> {
    voer_uit_met(conn, MIGRATIES)
}

/// As [`voer_uit`], with the list of migrations passed in (tests add one to see an upgrade).
pub fn voer_uit_met(conn: &mut Connection, migraties: &[&str]) -> Result<(i64, i64), OpslagFout> {
    let doel = migraties.len() as i64;
    let voor: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if voor > doel {
        return Err(OpslagFout::Geweigerd(format!(
            "de databank heeft schemaversie {voor}, deze versie van zorgenquete kent er maar {doel}; installeer de nieuwste versie"
        )));
    }
    for (i, sql) in migraties.iter().enumerate().skip(voor.max(0) as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        // Re-check inside the lock: another process may have migrated meanwhile.
        let nu: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if nu > i as i64 {
            continue;
        }
        tx.execute_batch(sql)
            .map_err(|e| OpslagFout::Databank(format!("migratie {} mislukte: {e}", i + 1)))?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok((voor, doel))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::rows;

    #[test]
    fn migrates_once_and_refuses_newer_databases() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(voer_uit(&mut conn).unwrap(), (0, doelversie()));
        assert_eq!(voer_uit(&mut conn).unwrap(), (doelversie(), doelversie()));
        conn.pragma_update(None, "user_version", doelversie() + 1)
            .unwrap();
        assert!(voer_uit(&mut conn).is_err());
    }

    #[test]
    fn only_one_open_period_per_questionnaire() {
        let mut conn = Connection::open_in_memory().unwrap();
        voer_uit(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO periode (vragenlijst, naam, open) VALUES ('ouders', 'a', 1)",
            [],
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO periode (vragenlijst, naam, open) VALUES ('ouders', 'b', 1)",
                []
            )
            .is_err()
        );
    }

    #[test]
    fn version_3_merges_counters_into_weeks_and_releases_closed_periods() {
        let mut conn = Connection::open_in_memory().unwrap();
        voer_uit_met(&mut conn, &MIGRATIES[..2]).unwrap();
        conn.execute_batch(
            "INSERT INTO periode (vragenlijst, naam, open) VALUES ('ouders', 'dicht', 0), ('ouders', 'open', 1);
             INSERT INTO inzending (vragenlijst, periode, kanaal, antwoorden) VALUES
               ('ouders', 'dicht', 'online', '{}'), ('ouders', 'dicht', 'mondeling', '{}'),
               ('ouders', 'open', 'online', '{}');
             -- Monday to Sunday of 2026-W07, and the Monday after; one day per channel.
             INSERT INTO teller VALUES
               ('2026-02-09', 'ouders', 'dicht', 'online', 3),
               ('2026-02-09', 'ouders', 'dicht', 'mondeling', 1),
               ('2026-02-15', 'ouders', 'dicht', 'papier', 2),
               ('2026-02-16', 'ouders', 'dicht', 'online', 4),
               ('2026-02-16', 'ouders', 'open', 'kiosk', 5);",
        )
        .unwrap();
        assert_eq!(voer_uit(&mut conn).unwrap(), (2, doelversie()));
        let tellers: Vec<(String, String, i64)> = rows(
            &conn,
            "SELECT week, periode, aantal FROM teller ORDER BY 1, 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
        assert_eq!(
            tellers,
            [
                ("2026-W07".into(), "dicht".into(), 6),
                ("2026-W08".into(), "dicht".into(), 4),
                ("2026-W08".into(), "open".into(), 5),
            ]
        );
        let kolommen: Vec<String> = rows(
            &conn,
            "SELECT name FROM pragma_table_info('teller')",
            [],
            |r| r.get(0),
        )
        .unwrap();
        assert!(
            !kolommen.iter().any(|k| k == "kanaal" || k == "datum"),
            "{kolommen:?}"
        );
        // A period closed before version 3 stays visible (released at its count); an open one
        // was never released.
        let vrij: Vec<(String, Option<i64>)> = rows(
            &conn,
            "SELECT naam, vrijgegeven FROM periode ORDER BY naam",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
        assert_eq!(vrij, [("dicht".into(), Some(2)), ("open".into(), None)]);
    }

    /// `periode.inzendingen` next to the real count, per period.
    fn aantallen(conn: &Connection) -> Vec<(String, i64, i64)> {
        conn.prepare(
            "SELECT naam, inzendingen,
               (SELECT count(*) FROM inzending i WHERE i.vragenlijst = p.vragenlijst AND i.periode = p.naam)
             FROM periode p ORDER BY vragenlijst, naam",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    #[test]
    fn version_4_counts_the_responses_of_each_period_and_keeps_counting() {
        let mut conn = Connection::open_in_memory().unwrap();
        voer_uit_met(&mut conn, &MIGRATIES[..3]).unwrap();
        conn.execute_batch(
            "INSERT INTO periode (vragenlijst, naam, open) VALUES ('ouders', 'a', 0), ('ouders', 'b', 1), ('collegas', 'a', 1);
             INSERT INTO inzending (vragenlijst, periode, kanaal, antwoorden) VALUES
               ('ouders', 'a', 'online', '{}'), ('ouders', 'a', 'papier', '{}'), ('ouders', 'b', 'online', '{}');",
        )
        .unwrap();
        assert_eq!(voer_uit(&mut conn).unwrap(), (3, doelversie()));
        assert_eq!(
            aantallen(&conn),
            [("a".into(), 0, 0), ("a".into(), 2, 2), ("b".into(), 1, 1)]
        );

        // Every way a response is added, moved or removed.
        conn.execute_batch(
            "INSERT INTO inzending (vragenlijst, periode, kanaal, antwoorden) VALUES
               ('collegas', 'a', 'online', '{}'), ('ouders', 'b', 'kiosk', '{}'), ('ouders', 'b', 'online', '{}');
             UPDATE inzending SET periode = 'a' WHERE rowid = (SELECT max(rowid) FROM inzending);
             UPDATE inzending SET kanaal = 'mondeling' WHERE periode = 'b';
             DELETE FROM inzending WHERE rowid = (SELECT min(rowid) FROM inzending WHERE periode = 'b');",
        )
        .unwrap();
        assert_eq!(
            aantallen(&conn),
            [("a".into(), 1, 1), ("a".into(), 3, 3), ("b".into(), 1, 1)]
        );
        conn.execute("DELETE FROM inzending", []).unwrap();
        assert!(
            aantallen(&conn)
                .iter()
                .all(|(_, n, echt)| *n == 0 && *echt == 0)
        );
    }
}
