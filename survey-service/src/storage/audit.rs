//! The staff audit log: logins (success or failure) and exports, with the staff member's name
//! and a time. It is about staff actions only; nothing here describes a respondent.

use rusqlite::{Connection, params};

use super::OpslagFout;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gebeurtenis {
    Aangemeld,
    AanmeldenMislukt,
    Afgemeld,
    Export,
    Codes,
    Periode,
    Gebruiker,
    Invoer,
    Kiosk,
}

impl Gebeurtenis {
    pub fn id(self) -> &'static str {
        match self {
            Gebeurtenis::Aangemeld => "aangemeld",
            Gebeurtenis::AanmeldenMislukt => "aanmelden-mislukt",
            Gebeurtenis::Afgemeld => "afgemeld",
            Gebeurtenis::Export => "export",
            Gebeurtenis::Codes => "codes",
            Gebeurtenis::Periode => "periode",
            Gebeurtenis::Gebruiker => "gebruiker",
            Gebeurtenis::Invoer => "invoer",
            Gebeurtenis::Kiosk => "kiosk",
        }
    }
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRegel {
    /// Seconds since 1970 (UTC).
    pub tijd: i64,
    pub gebruiker: String,
    pub gebeurtenis: String,
    pub detail: String,
}

pub fn nu() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Adds a row. `gebruiker` is a known staff name or `(onbekend)`; never what a stranger typed.
pub fn schrijf(
    conn: &Connection,
    gebruiker: &str,
    wat: Gebeurtenis,
    detail: &str,
) -> Result<(), OpslagFout> {
    conn.prepare_cached(
        "INSERT INTO audit (tijd, gebruiker, gebeurtenis, detail) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![nu(), gebruiker, wat.id(), detail])?;
    Ok(())
}

/// The most recent rows, newest first.
pub fn laatste(conn: &Connection, aantal: u32) -> Result<Vec<AuditRegel>, OpslagFout> {
    let mut stmt = conn.prepare_cached(
        "SELECT tijd, gebruiker, gebeurtenis, detail FROM audit ORDER BY id DESC LIMIT ?1",
    )?;
    let rijen = stmt.query_map([aantal], |r| {
        Ok(AuditRegel {
            tijd: r.get(0)?,
            gebruiker: r.get(1)?,
            gebeurtenis: r.get(2)?,
            detail: r.get(3)?,
        })
    })?;
    Ok(rijen.collect::<Result<_, _>>()?)
}

/// `2025-10-03 14:05 UTC` for a time in seconds since 1970.
pub fn tijdstip(secs: i64) -> String {
    let secs = secs.max(0) as u64;
    let rest = secs % 86_400;
    format!(
        "{} {:02}:{:02} UTC",
        super::datum(secs / 86_400),
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back_newest_first() {
        let mut c = Connection::open_in_memory().unwrap();
        super::super::migraties::voer_uit(&mut c).unwrap();
        schrijf(&c, "an", Gebeurtenis::Aangemeld, "").unwrap();
        schrijf(&c, "an", Gebeurtenis::Export, "csv ouders").unwrap();
        let l = laatste(&c, 10).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].gebeurtenis, "export");
        assert_eq!(l[0].detail, "csv ouders");
        assert_eq!(tijdstip(86_400 + 3600 + 120), "1970-01-02 01:02 UTC");
    }
}
