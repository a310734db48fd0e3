//! Open answers, for the care team only.
//!
//! They may name people, so they are never part of the report, the public summary or an export
//! unless someone explicitly asks (`--open-antwoorden` on the raw export). They are read only
//! for a released period ([`crate::storage::vrijgave`]); an item shows its answers only when at
//! least the minimum group wrote something (an item three people filled in shows nothing), in
//! a fresh random order on every view, with e-mail addresses and phone numbers masked
//! ([`super::maskeren`]).

use rusqlite::Connection;

use super::{Cel, MinimumGroep, Vrijgave, maskeren, schud};
use crate::domain::vragenlijst::{Soort, Vragenlijst};
use crate::storage::vrijgave::in_een_moment;
use crate::storage::{OpslagFout, RijBron};

/// The answers to one open item in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenVraag {
    pub id: String,
    pub versie: u32,
    pub tekst: String,
    /// In a random order, masked; hidden when fewer than the minimum group wrote something or
    /// the period is not released.
    pub antwoorden: Cel<Vec<String>>,
}

/// The open answers of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenAntwoorden {
    /// Whether the period's answers are released; when not, every item is hidden.
    pub vrijgave: Vrijgave,
    pub vragen: Vec<OpenVraag>,
}

/// The open answers of one period, per open item of the questionnaire (current versions).
pub fn open_antwoorden(
    conn: &Connection,
    lijst: &Vragenlijst,
    periode: &str,
    minimum: MinimumGroep,
) -> Result<OpenAntwoorden, OpslagFout> {
    in_een_moment(conn, |conn| {
        open_antwoorden_uit(&mut { conn }, lijst, periode, minimum)
    })
}

/// As [`open_antwoorden`], from one snapshot of either engine.
pub fn open_antwoorden_uit(
    bron: &mut dyn RijBron,
    lijst: &Vragenlijst,
    periode: &str,
    minimum: MinimumGroep,
) -> Result<OpenAntwoorden, OpslagFout> {
    let open: Vec<_> = lijst
        .vragen
        .iter()
        .filter(|v| matches!(v.soort, Soort::Open { .. }))
        .collect();
    let mut vragen: Vec<OpenVraag> = open
        .iter()
        .map(|v| OpenVraag {
            id: v.id.clone(),
            versie: v.versie,
            tekst: v.tekst.nl().to_string(),
            antwoorden: Cel::Verborgen,
        })
        .collect();
    let staat = bron
        .staten(&lijst.id)?
        .into_iter()
        .find(|s| s.naam() == periode);
    let vrijgave = staat.as_ref().map_or(Vrijgave::NogOpen, |s| s.vrijgave());
    let Some(vrij) = staat.as_ref().and_then(|s| s.vrijgegeven()) else {
        return Ok(OpenAntwoorden { vrijgave, vragen });
    };
    let sleutels: Vec<String> = open.iter().map(|v| v.sleutel()).collect();
    let mut teksten: Vec<Vec<String>> = vec![Vec::new(); open.len()];
    let mut respondenten = 0u64;
    bron.lees_periode(&lijst.id, &vrij, &mut |_, json| {
        respondenten += 1;
        if open.is_empty() {
            return true;
        }
        let Ok(map) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json)
        else {
            return true;
        };
        for (i, sleutel) in sleutels.iter().enumerate() {
            if let Some(serde_json::Value::String(t)) = map.get(sleutel)
                && !t.trim().is_empty()
            {
                teksten[i].push(maskeren::maskeer(t).into_owned());
            }
        }
        true
    })?;
    if minimum.toont(respondenten) {
        for (vraag, mut lijst) in vragen.iter_mut().zip(teksten) {
            if minimum.toont(lijst.len() as u64) {
                schud(&mut lijst);
                vraag.antwoorden = Cel::Zichtbaar(lijst);
            }
        }
    }
    Ok(OpenAntwoorden { vrijgave, vragen })
}
