//! The staff audit log: logins (success or failure) and exports, with the staff member's name
//! and a time. It is about staff actions only; nothing here describes a respondent.

use rusqlite::{Connection, params};

use super::{OpslagFout, rows};
use crate::domain::gebruiker::Rol;

/// What happened: each entry is its own typed value, with what the log shows of it
/// ([`Gebeurtenis::id`] in the column `gebeurtenis`, [`Gebeurtenis::detail`] in `detail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gebeurtenis {
    Aangemeld,
    AanmeldenMislukt,
    Afgemeld,
    Export {
        vragenlijst: String,
        /// `csv`, `xlsx`, … ([`crate::rapport::export::Formaat::id`]).
        formaat: &'static str,
        periodes: Vec<String>,
        open_antwoorden: bool,
    },
    Codes {
        vragenlijst: String,
        periode: String,
        aantal: usize,
    },
    PeriodeGeopend {
        vragenlijst: String,
        periode: String,
        /// A closed period with this name opened again.
        heropend: bool,
    },
    PeriodeGesloten {
        vragenlijst: String,
        periode: String,
    },
    GebruikerGemaakt {
        naam: String,
        rol: Rol,
    },
    GebruikerVerwijderd {
        naam: String,
    },
    NieuwWachtwoord {
        naam: String,
    },
    /// A device became a kiosk of a questionnaire (until the end of the day).
    KioskAan {
        vragenlijst: String,
    },
    /// "Kiosk stoppen" on a device that was a kiosk.
    KioskGestopt {
        vragenlijst: String,
    },
    /// "Alle kiosken stoppen": a new kiosk key.
    KioskenGestopt,
}

impl Gebeurtenis {
    /// The kind, as stored.
    pub fn id(&self) -> &'static str {
        match self {
            Gebeurtenis::Aangemeld => "aangemeld",
            Gebeurtenis::AanmeldenMislukt => "aanmelden-mislukt",
            Gebeurtenis::Afgemeld => "afgemeld",
            Gebeurtenis::Export { .. } => "export",
            Gebeurtenis::Codes { .. } => "codes",
            Gebeurtenis::PeriodeGeopend { .. } | Gebeurtenis::PeriodeGesloten { .. } => "periode",
            Gebeurtenis::GebruikerGemaakt { .. }
            | Gebeurtenis::GebruikerVerwijderd { .. }
            | Gebeurtenis::NieuwWachtwoord { .. } => "gebruiker",
            Gebeurtenis::KioskAan { .. }
            | Gebeurtenis::KioskGestopt { .. }
            | Gebeurtenis::KioskenGestopt => "kiosk",
        }
    }

    /// The details, as stored and shown on the dashboard's log (in Dutch: the log is read by
    /// the school's staff, and rows outlive any later change of wording).
    pub fn detail(&self) -> String {
        match self {
            Gebeurtenis::Aangemeld | Gebeurtenis::AanmeldenMislukt | Gebeurtenis::Afgemeld => {
                String::new()
            }
            Gebeurtenis::Export {
                vragenlijst,
                formaat,
                periodes,
                open_antwoorden,
            } => format!(
                "{vragenlijst} {formaat} periodes {}{}",
                if periodes.is_empty() {
                    "(geen)".to_string()
                } else {
                    periodes.join(",")
                },
                if *open_antwoorden {
                    " met open antwoorden"
                } else {
                    ""
                }
            ),
            Gebeurtenis::Codes {
                vragenlijst,
                periode,
                aantal,
            } => format!("{aantal} codes voor {vragenlijst} {periode}"),
            Gebeurtenis::PeriodeGeopend {
                vragenlijst,
                periode,
                heropend,
            } => format!(
                "periode {periode} van {vragenlijst} is {}",
                if *heropend { "weer open" } else { "open" }
            ),
            Gebeurtenis::PeriodeGesloten {
                vragenlijst,
                periode,
            } => format!("periode {periode} van {vragenlijst} is gesloten"),
            Gebeurtenis::GebruikerGemaakt { naam, rol } => format!("maakte {naam} ({rol})"),
            Gebeurtenis::GebruikerVerwijderd { naam } => format!("verwijderde {naam}"),
            Gebeurtenis::NieuwWachtwoord { naam } => format!("nieuw wachtwoord voor {naam}"),
            Gebeurtenis::KioskAan { vragenlijst } => {
                format!("kiosk aangezet voor {vragenlijst} (tot het einde van de dag)")
            }
            Gebeurtenis::KioskGestopt { vragenlijst } => {
                format!("kiosk gestopt op een toestel ({vragenlijst})")
            }
            Gebeurtenis::KioskenGestopt => "alle kiosken gestopt".to_string(),
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
pub fn schrijf(conn: &Connection, gebruiker: &str, wat: &Gebeurtenis) -> Result<(), OpslagFout> {
    conn.prepare_cached(
        "INSERT INTO audit (tijd, gebruiker, gebeurtenis, detail) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![nu(), gebruiker, wat.id(), wat.detail()])?;
    Ok(())
}

/// The most recent rows, newest first.
pub fn laatste(conn: &Connection, aantal: u32) -> Result<Vec<AuditRegel>, OpslagFout> {
    let sql = "SELECT tijd, gebruiker, gebeurtenis, detail FROM audit ORDER BY id DESC LIMIT ?1";
    Ok(rows(conn, sql, [aantal], |r| {
        Ok(AuditRegel {
            tijd: r.get(0)?,
            gebruiker: r.get(1)?,
            gebeurtenis: r.get(2)?,
            detail: r.get(3)?,
        })
    })?)
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
        schrijf(&c, "an", &Gebeurtenis::Aangemeld).unwrap();
        let export = Gebeurtenis::Export {
            vragenlijst: "ouders".into(),
            formaat: "csv",
            periodes: vec!["2024-2025".into(), "2025-2026".into()],
            open_antwoorden: false,
        };
        schrijf(&c, "an", &export).unwrap();
        let l = laatste(&c, 10).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].gebeurtenis, "export");
        assert_eq!(l[0].detail, "ouders csv periodes 2024-2025,2025-2026");
        assert_eq!(l[1].detail, "");
        assert_eq!(tijdstip(86_400 + 3600 + 120), "1970-01-02 01:02 UTC");
    }
}
