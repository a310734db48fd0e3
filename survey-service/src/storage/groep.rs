//! The group's own database file (a service with `[[school]]`): the group accounts (role
//! `groep`, for the quality coordinator or the CLB), their sessions and their audit log. It is
//! the top-level `db` of `groep.toml` (the folder of which also holds the schools' files).
//!
//! The file has the schools' schema (same migrations, [`super::open`]) and uses only its
//! `gebruiker`, `sessie`, `audit` and `geheim` tables: the login, session and audit code is the
//! schools' own. It is marked with the id `groep` in the `school` table ([`super::school`]),
//! an id no school can have (`instellingen::groep::RESERVED_IDS`), so a school's file is never
//! taken for the group's nor the other way round. Every account in it is a group account: the
//! role comes from the file ([`ROL`]), not from the `rol` column, which holds `zorgteam`, the
//! least a school would grant, should the file ever be read as a school's.

use std::path::Path;

use rusqlite::Connection;

use super::{OpslagFout, school};
use crate::domain::gebruiker::Rol;

/// The id of the group's file in its `school` table.
pub const ID: &str = "groep";
/// The role of every account of the group's file.
pub const ROL: Rol = Rol::Groep;
/// What the `rol` column of a group account holds (see the module documentation).
pub const ROL_IN_KOLOM: Rol = Rol::Zorgteam;

/// Opens (creates, migrates) the group's file and checks that it is the group's. A file that
/// belongs to a school, or an unmarked file that already holds a school's periods or answers
/// (a former single-school database left as the top-level `db`), is refused: its accounts
/// would otherwise become group accounts.
pub fn open(pad: &Path) -> Result<Connection, OpslagFout> {
    let conn = super::open(pad)?;
    check(&conn, pad)?;
    Ok(conn)
}

fn check(conn: &Connection, pad: &Path) -> Result<(), OpslagFout> {
    match school::owner(conn)? {
        Some(id) if id == ID => Ok(()),
        Some(id) => Err(OpslagFout::Geweigerd(format!(
            "het databankbestand {} (`db` bovenaan het instellingenbestand) hoort bij school `{id}`; de scholengroep heeft een eigen bestand nodig: zet bovenaan bv. db = \"{}\"",
            pad.display(),
            pad.with_file_name("groep.sqlite").display()
        ))),
        None => {
            let gegevens: i64 = conn.query_row(
                "SELECT (SELECT count(*) FROM periode) + (SELECT count(*) FROM inzending)",
                [],
                |r| r.get(0),
            )?;
            if gegevens > 0 {
                return Err(OpslagFout::Geweigerd(format!(
                    "het databankbestand {} (`db` bovenaan het instellingenbestand) bevat al periodes of antwoorden van een school; de scholengroep heeft een eigen, nieuw bestand nodig: zet bovenaan bv. db = \"{}\", en geef dit bestand aan de school met `db` in haar [[school]]",
                    pad.display(),
                    pad.with_file_name("groep.sqlite").display()
                )));
            }
            school::claim(conn, pad, ID)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_file_is_never_a_school_file() {
        let map = std::env::temp_dir().join(format!("zorgenquete-groep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&map);
        std::fs::create_dir_all(&map).unwrap();
        let pad = map.join("groep.sqlite");
        open(&pad).unwrap();
        open(&pad).unwrap();
        // A school cannot take it…
        let conn = super::super::open(&pad).unwrap();
        let fout = school::claim(&conn, &pad, "delinde").unwrap_err();
        assert!(
            fout.to_string().contains("hoort bij school `groep`"),
            "{fout}"
        );
        // …and the group cannot take a school's file, nor an old one with answers in it.
        let school_pad = map.join("delinde.sqlite");
        let conn = super::super::open(&school_pad).unwrap();
        school::claim(&conn, &school_pad, "delinde").unwrap();
        let fout = open(&school_pad).unwrap_err().to_string();
        assert!(fout.contains("hoort bij school `delinde`"), "{fout}");
        let oud = map.join("zorgenquete.sqlite");
        let mut conn = super::super::open(&oud).unwrap();
        let periode = crate::domain::PeriodeNaam::parse("2025-2026").unwrap();
        super::super::periode_open(&mut conn, "ouders", &periode, None).unwrap();
        let fout = open(&oud).unwrap_err().to_string();
        assert!(fout.contains("bevat al periodes of antwoorden"), "{fout}");
        assert_eq!(school::owner(&conn).unwrap(), None, "nothing claimed");
        std::fs::remove_dir_all(&map).unwrap();
    }
}
