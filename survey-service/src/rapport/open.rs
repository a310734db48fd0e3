//! Open answers, for the care team only.
//!
//! They may name people, so they are never part of the report, the public summary or an export
//! unless someone explicitly asks (`--open-antwoorden` on the raw export). A period with fewer
//! respondents than the minimum shows none of them.

use rusqlite::{Connection, params};

use super::{Cel, MinimumGroep};
use crate::domain::vragenlijst::{Soort, Vragenlijst};
use crate::storage::OpslagFout;

/// The answers to one open item in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenVraag {
    pub id: String,
    pub versie: u32,
    pub tekst: String,
    /// In the (random) order of the stored response ids; hidden for small periods.
    pub antwoorden: Cel<Vec<String>>,
}

/// The open answers of one period, per open item of the questionnaire (current versions).
pub fn open_antwoorden(
    conn: &Connection,
    lijst: &Vragenlijst,
    periode: &str,
    minimum: MinimumGroep,
) -> Result<Vec<OpenVraag>, OpslagFout> {
    let open: Vec<_> = lijst
        .vragen
        .iter()
        .filter(|v| matches!(v.soort, Soort::Open { .. }))
        .collect();
    let n = super::respondenten(conn, &lijst.id, periode)?;
    let mut vragen: Vec<OpenVraag> = open
        .iter()
        .map(|v| OpenVraag {
            id: v.id.clone(),
            versie: v.versie,
            tekst: v.tekst.nl().to_string(),
            antwoorden: minimum.cel(n, Vec::new),
        })
        .collect();
    if n < u64::from(minimum.get()) || open.is_empty() {
        return Ok(vragen);
    }
    let sleutels: Vec<String> = open.iter().map(|v| v.sleutel()).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT antwoorden FROM inzending WHERE vragenlijst = ?1 AND periode = ?2 ORDER BY id",
    )?;
    let mut rijen = stmt.query(params![lijst.id, periode])?;
    while let Some(rij) = rijen.next()? {
        let json = rij.get_ref(0)?.as_str()?;
        let Ok(map) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json)
        else {
            continue;
        };
        for (i, sleutel) in sleutels.iter().enumerate() {
            if let (Some(serde_json::Value::String(t)), Cel::Zichtbaar(lijst)) =
                (map.get(sleutel), &mut vragen[i].antwoorden)
            {
                lijst.push(t.clone());
            }
        }
    }
    Ok(vragen)
}
