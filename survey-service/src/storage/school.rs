//! Which school a database file belongs to, when the service runs a group (`[[school]]` in
//! `groep.toml`): one file per school, and a file never serves another school. A mistake in
//! the group file (two schools' `db` swapped, a copied line) is refused at start-up instead of
//! mixing two schools' answers, accounts and secrets.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::OpslagFout;

/// The school stored in the file, if any.
pub fn owner(conn: &Connection) -> Result<Option<String>, OpslagFout> {
    Ok(conn
        .query_row("SELECT id FROM school WHERE enig = 1", [], |r| r.get(0))
        .optional()?)
}

/// Marks the file (opened and migrated with [`super::open`]) as school `id`'s, or checks that
/// it is. A file of another school is refused with a Dutch sentence naming both.
pub fn claim(conn: &Connection, pad: &Path, id: &str) -> Result<(), OpslagFout> {
    match owner(conn)? {
        Some(eigen) if eigen == id => Ok(()),
        Some(ander) => Err(OpslagFout::Geweigerd(format!(
            "het databankbestand {} hoort bij school `{ander}`, niet bij `{id}`; controleer `db` van beide scholen in het instellingenbestand (elke school heeft haar eigen bestand)",
            pad.display()
        ))),
        None => {
            conn.execute("INSERT INTO school (enig, id) VALUES (1, ?1)", [id])?;
            Ok(())
        }
    }
}

/// As [`claim`] for a file that may not exist yet (commands): an existing file is opened,
/// migrated and checked (claimed when it has no school yet); a missing one is left for the
/// command, and for `serve`, which claims it.
pub fn claim_if_exists(pad: &Path, id: &str) -> Result<(), OpslagFout> {
    if !pad.exists() {
        return Ok(());
    }
    let conn = super::open(pad)?;
    claim(&conn, pad, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_belongs_to_one_school() {
        let dir = std::env::temp_dir().join(format!("zorgenquete-school-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let pad = dir.join("a.sqlite");
        claim_if_exists(&pad, "a").unwrap();
        assert!(!pad.exists(), "a missing file is not made");
        let conn = super::super::open(&pad).unwrap();
        assert_eq!(owner(&conn).unwrap(), None);
        claim(&conn, &pad, "a").unwrap();
        claim(&conn, &pad, "a").unwrap();
        assert_eq!(owner(&conn).unwrap().as_deref(), Some("a"));
        drop(conn);
        let fout = claim_if_exists(&pad, "b").unwrap_err().to_string();
        assert!(
            fout.contains("hoort bij school `a`, niet bij `b`"),
            "{fout}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
