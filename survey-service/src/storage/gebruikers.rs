//! Staff accounts and their sessions in the database.
//!
//! A session id is 32 random bytes, sent to the browser once (as hex, in a cookie) and stored
//! here only as its SHA-256: someone who reads the database cannot take over a session.
//! In a group the cookie carries the id of the school in front of it (`web::beheer::sessie`);
//! only the secret part reaches this module.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::audit::nu;
use super::{Conflict, OpslagFout, rows};
use crate::domain::gebruiker::{GebruikersNaam, Rol};

/// A session ends after this long without a request...
pub const SESSIE_STIL: Duration = Duration::from_secs(30 * 60);
/// ...and in any case this long after logging in.
pub const SESSIE_MAX: Duration = Duration::from_secs(10 * 60 * 60);

/// One account as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gebruiker {
    pub naam: String,
    pub rol: Rol,
}

fn rol_uit(s: String) -> Rol {
    // The CHECK constraint allows only the two roles; anything else gets the least rights.
    Rol::parse(&s).unwrap_or(Rol::Zorgteam)
}

/// Adds an account. Fails (in Dutch) when the name is taken.
pub fn maak(
    conn: &Connection,
    naam: &GebruikersNaam,
    rol: Rol,
    hash: &str,
) -> Result<(), OpslagFout> {
    let n = conn.execute(
        "INSERT INTO gebruiker (naam, rol, hash) VALUES (?1, ?2, ?3) ON CONFLICT (naam) DO NOTHING",
        params![naam.as_str(), rol.id(), hash],
    )?;
    if n == 0 {
        return Err(Conflict::GebruikerBestaatAl(naam.to_string()).into());
    }
    Ok(())
}

pub fn lijst(conn: &Connection) -> Result<Vec<Gebruiker>, OpslagFout> {
    let sql = "SELECT naam, rol FROM gebruiker ORDER BY naam";
    Ok(rows(conn, sql, [], |r| {
        Ok(Gebruiker {
            naam: r.get(0)?,
            rol: rol_uit(r.get(1)?),
        })
    })?)
}

fn bestaat_niet(naam: &str) -> OpslagFout {
    Conflict::GebruikerBestaatNiet(naam.to_string()).into()
}

/// Removes an account and its sessions. The last `beheer` account cannot be removed, so the
/// school never locks itself out of the dashboard.
pub fn verwijder(conn: &mut Connection, naam: &str) -> Result<(), OpslagFout> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    verwijder_in(&tx, naam)?;
    tx.commit()?;
    Ok(())
}

/// [`verwijder`] inside the caller's transaction.
pub(crate) fn verwijder_in(tx: &Connection, naam: &str) -> Result<(), OpslagFout> {
    let rol: Option<String> = tx
        .query_row("SELECT rol FROM gebruiker WHERE naam = ?1", [naam], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(rol) = rol else {
        return Err(bestaat_niet(naam));
    };
    if rol_uit(rol) == Rol::Beheer {
        let beheerders: i64 = tx.query_row(
            "SELECT count(*) FROM gebruiker WHERE rol = 'beheer'",
            [],
            |r| r.get(0),
        )?;
        if beheerders <= 1 {
            return Err(Conflict::LaatsteBeheerder(naam.to_string()).into());
        }
    }
    tx.execute("DELETE FROM sessie WHERE gebruiker = ?1", [naam])?;
    tx.execute("DELETE FROM gebruiker WHERE naam = ?1", [naam])?;
    Ok(())
}

/// Sets a new password hash and ends the account's sessions.
pub fn zet_wachtwoord(conn: &mut Connection, naam: &str, hash: &str) -> Result<(), OpslagFout> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    zet_wachtwoord_in(&tx, naam, hash)?;
    tx.commit()?;
    Ok(())
}

/// [`zet_wachtwoord`] inside the caller's transaction.
pub(crate) fn zet_wachtwoord_in(tx: &Connection, naam: &str, hash: &str) -> Result<(), OpslagFout> {
    let n = tx.execute(
        "UPDATE gebruiker SET hash = ?2 WHERE naam = ?1",
        params![naam, hash],
    )?;
    if n == 0 {
        return Err(bestaat_niet(naam));
    }
    tx.execute("DELETE FROM sessie WHERE gebruiker = ?1", [naam])?;
    Ok(())
}

/// The role and password hash of an account, if it exists.
pub fn hash_van(conn: &Connection, naam: &str) -> Result<Option<(Rol, String)>, OpslagFout> {
    Ok(conn
        .prepare_cached("SELECT rol, hash FROM gebruiker WHERE naam = ?1")?
        .query_row([naam], |r| Ok((rol_uit(r.get(0)?), r.get(1)?)))
        .optional()?)
}

pub(crate) fn sessie_hash(id: &str) -> [u8; 32] {
    Sha256::digest(id.as_bytes()).into()
}

/// Starts a session; returns the id for the cookie (64 hex characters).
pub fn sessie_begin(conn: &Connection, naam: &str) -> Result<String, OpslagFout> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        OpslagFout::Databank(format!("geen willekeurige getallen beschikbaar ({e})"))
    })?;
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let t = nu();
    // Old sessions of everyone are cleaned up now and then, here.
    conn.execute(
        "DELETE FROM sessie WHERE laatst < ?1 OR begin < ?2",
        params![
            t - SESSIE_STIL.as_secs() as i64,
            t - SESSIE_MAX.as_secs() as i64
        ],
    )?;
    conn.execute(
        "INSERT INTO sessie (hash, gebruiker, begin, laatst) VALUES (?1, ?2, ?3, ?3)",
        params![&sessie_hash(&id)[..], naam, t],
    )?;
    Ok(id)
}

/// The logged-in staff member behind a session id, if the session is still valid; marks it
/// as used now. An expired session is removed.
pub fn sessie_zoek(conn: &Connection, id: &str) -> Result<Option<Gebruiker>, OpslagFout> {
    if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = sessie_hash(id);
    let t = nu();
    let rij: Option<(String, String, i64, i64)> = conn
        .prepare_cached(
            "SELECT s.gebruiker, g.rol, s.begin, s.laatst FROM sessie s
             JOIN gebruiker g ON g.naam = s.gebruiker WHERE s.hash = ?1",
        )?
        .query_row([&hash[..]], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((naam, rol, begin, laatst)) = rij else {
        return Ok(None);
    };
    if t - laatst > SESSIE_STIL.as_secs() as i64 || t - begin > SESSIE_MAX.as_secs() as i64 {
        conn.execute("DELETE FROM sessie WHERE hash = ?1", [&hash[..]])?;
        return Ok(None);
    }
    if t != laatst {
        conn.prepare_cached("UPDATE sessie SET laatst = ?2 WHERE hash = ?1")?
            .execute(params![&hash[..], t])?;
    }
    Ok(Some(Gebruiker {
        naam,
        rol: rol_uit(rol),
    }))
}

/// Ends a session (logout).
pub fn sessie_einde(conn: &Connection, id: &str) -> Result<(), OpslagFout> {
    conn.execute("DELETE FROM sessie WHERE hash = ?1", [&sessie_hash(id)[..]])?;
    Ok(())
}

/// The hex SHA-256 of a session id, to bind form tokens to the session without the id itself.
pub fn sessie_kenmerk(id: &str) -> String {
    sessie_hash(id)
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "foreign_keys", true).unwrap();
        crate::storage::migraties::voer_uit(&mut c).unwrap();
        c
    }

    #[test]
    fn accounts_sessions_and_the_last_admin() {
        let mut c = db();
        let an = GebruikersNaam::parse("an").unwrap();
        maak(&c, &an, Rol::Beheer, "h1").unwrap();
        assert!(maak(&c, &an, Rol::Zorgteam, "h2").is_err(), "name taken");
        maak(
            &c,
            &GebruikersNaam::parse("bo").unwrap(),
            Rol::Zorgteam,
            "h3",
        )
        .unwrap();
        assert_eq!(lijst(&c).unwrap().len(), 2);
        assert_eq!(
            hash_van(&c, "an").unwrap(),
            Some((Rol::Beheer, "h1".into()))
        );

        let id = sessie_begin(&c, "an").unwrap();
        assert_eq!(sessie_zoek(&c, &id).unwrap().unwrap().naam, "an");
        assert_eq!(sessie_zoek(&c, &"0".repeat(64)).unwrap(), None);
        assert_eq!(sessie_zoek(&c, "kort").unwrap(), None);
        // Only the hash is stored.
        let opgeslagen: Vec<u8> = c
            .query_row("SELECT hash FROM sessie", [], |r| r.get(0))
            .unwrap();
        assert!(!String::from_utf8_lossy(&opgeslagen).contains(&id));

        // Idle expiry.
        c.execute("UPDATE sessie SET laatst = laatst - 3600", [])
            .unwrap();
        assert_eq!(sessie_zoek(&c, &id).unwrap(), None);
        assert_eq!(
            c.query_row("SELECT count(*) FROM sessie", [], |r| r.get::<_, i64>(0))
                .unwrap(),
            0
        );
        // Absolute expiry, even when active.
        let id = sessie_begin(&c, "an").unwrap();
        c.execute("UPDATE sessie SET begin = begin - 11 * 3600", [])
            .unwrap();
        assert_eq!(sessie_zoek(&c, &id).unwrap(), None);

        // A new password ends sessions; the last admin cannot be removed.
        let id = sessie_begin(&c, "an").unwrap();
        zet_wachtwoord(&mut c, "an", "h9").unwrap();
        assert_eq!(sessie_zoek(&c, &id).unwrap(), None);
        assert!(verwijder(&mut c, "an").is_err());
        verwijder(&mut c, "bo").unwrap();
        assert!(verwijder(&mut c, "bo").is_err());
        let id = sessie_begin(&c, "an").unwrap();
        sessie_einde(&c, &id).unwrap();
        assert_eq!(sessie_zoek(&c, &id).unwrap(), None);
    }
}
