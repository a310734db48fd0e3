//! The kiosk key: a random value in the `geheim` table that every kiosk cookie is signed with
//! (see `web::kiosk`). Replacing it stops every kiosk at once ("alle kiosken stoppen"); it
//! survives restarts, so a kiosk switched on this morning keeps working after an update.

use rusqlite::{Connection, OptionalExtension};

use super::OpslagFout;

/// The current kiosk key; made on first use.
pub fn sleutel(conn: &Connection) -> Result<Vec<u8>, OpslagFout> {
    let bestaand: Option<Vec<u8>> = conn
        .query_row("SELECT waarde FROM geheim WHERE naam = 'kiosk'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match bestaand {
        Some(k) => Ok(k),
        None => vernieuw(conn),
    }
}

/// A new kiosk key: every kiosk cookie signed with the old one is worthless from now on.
pub fn vernieuw(conn: &Connection) -> Result<Vec<u8>, OpslagFout> {
    Ok(conn.query_row(
        "INSERT INTO geheim (naam, waarde) VALUES ('kiosk', randomblob(32))
         ON CONFLICT (naam) DO UPDATE SET waarde = excluded.waarde RETURNING waarde",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_replaced_on_request() {
        let mut c = Connection::open_in_memory().unwrap();
        super::super::migraties::voer_uit(&mut c).unwrap();
        let a = sleutel(&c).unwrap();
        assert_eq!(a.len(), 32);
        assert_eq!(sleutel(&c).unwrap(), a);
        let b = vernieuw(&c).unwrap();
        assert_ne!(a, b);
        assert_eq!(sleutel(&c).unwrap(), b);
    }
}
