//! The anonymous raw responses as CSV, a fresh anonymous table on every export.
//!
//! Columns: `nr, periode, kanaal`, then one column per item version (`<item>@<versie>`) with the
//! stored number (0 = "weet ik niet"); open items only when asked for (masked, see
//! [`crate::rapport::maskeren`]). What keeps two exports from being compared row by row:
//!
//! - only released periods ([`crate::storage::vrijgave`]): an open period is left out with a
//!   note, so an export cannot grow by one response;
//! - `nr` is numbered afresh (1..n) and the rows are in a new random order on every export: no
//!   stored id leaves the service, and two exports share nothing to match rows on;
//! - channels with fewer than the minimum group in a period are merged into `overig`
//!   ([`samen_te_voegen`]), so the one answer given "in een gesprek" does not stand out;
//! - a cell the report hides is empty here too ([`getoonde_slots`]; an open item only with at
//!   least the minimum group of written answers), and periods below the minimum are left out.
//!
//! Memory: the row ids of a period (8 bytes each) are kept to shuffle them; the rows themselves
//! are read one by one.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;

use rusqlite::{Connection, params};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{schrijffout, veilig};
use crate::domain::Kanaal;
use crate::domain::vragenlijst::Vragenlijst;
use crate::domain::vrijgave::{OVERIG, samen_te_voegen};
use crate::rapport::{
    Keuze, VraagVersie, getoonde_slots, kies_periodes, maskeren, schud, vraag_versies,
};
use crate::storage::OpslagFout;
use crate::storage::vrijgave::in_een_moment;

/// Writes the raw export; returns notes about periods left out.
pub fn schrijf(
    conn: &Connection,
    lijst: &Vragenlijst,
    keuze: &Keuze,
    open: bool,
    uit: &mut dyn Write,
) -> Result<Vec<String>, OpslagFout> {
    in_een_moment(conn, |conn| schrijf_nu(conn, lijst, keuze, open, uit))
}

fn schrijf_nu(
    conn: &Connection,
    lijst: &Vragenlijst,
    keuze: &Keuze,
    open: bool,
    uit: &mut dyn Write,
) -> Result<Vec<String>, OpslagFout> {
    let periodes = kies_periodes(conn, &lijst.id, &keuze.periodes)?;
    let versies: Vec<VraagVersie> = vraag_versies(conn, lijst)?
        .into_iter()
        .filter(|v| open || v.soort != "open")
        .collect();
    let kolommen: Vec<String> = versies
        .iter()
        .map(|v| format!("{}@{}", v.id, v.versie))
        .collect();
    let index: HashMap<&str, usize> = kolommen
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut w = ::csv::WriterBuilder::new().from_writer(uit);
    w.write_record(
        ["nr", "periode", "kanaal"]
            .into_iter()
            .chain(kolommen.iter().map(String::as_str)),
    )
    .map_err(schrijffout)?;
    let min = keuze.minimum;
    let mut notities = Vec::new();
    let mut alle = conn.prepare_cached(
        "SELECT id, kanaal, antwoorden FROM inzending WHERE vragenlijst = ?1 AND periode = ?2",
    )?;
    let mut een = conn.prepare_cached("SELECT kanaal, antwoorden FROM inzending WHERE id = ?1")?;
    // One reused buffer per column: nothing grows with the number of rows.
    let mut velden: Vec<String> = vec![String::new(); 3 + kolommen.len()];
    let mut nr: u64 = 0;
    for staat in &periodes {
        let periode = staat.naam();
        let Some(vrij) = staat.vrijgegeven() else {
            notities.push(format!(
                "periode {periode} staat niet in de ruwe export: {}",
                staat.vrijgave().tekst()
            ));
            continue;
        };
        // First pass: the ids, the channels and how many answered each column.
        let mut ids: Vec<i64> = Vec::new();
        let mut per_kanaal = [0u64; Kanaal::ALLE.len()];
        let mut n = vec![0u64; kolommen.len()];
        let mut rijen = alle.query(params![lijst.id, vrij.naam()])?;
        while let Some(rij) = rijen.next()? {
            ids.push(rij.get(0)?);
            if let Some(k) = kanaal_index(rij.get_ref(1)?.as_str()?) {
                per_kanaal[k] += 1;
            }
            if vul(&index, &mut velden[3..], rij.get_ref(2)?.as_str()?) {
                for (k, v) in velden[3..].iter().enumerate() {
                    n[k] += u64::from(!v.trim().is_empty());
                }
            }
        }
        drop(rijen);
        if !min.toont(ids.len() as u64) {
            notities.push(format!(
                "periode {periode} heeft minder dan {} antwoorden en staat niet in de ruwe export",
                min.get()
            ));
            continue;
        }
        let refs: Vec<&VraagVersie> = versies.iter().collect();
        let getoond = getoonde_slots(&refs, &n, ids.len() as u64, min);
        let samen = samen_te_voegen(&per_kanaal, min);
        let mut onleesbaar = 0u64;
        schud(&mut ids);
        for id in ids {
            let (kanaal, json): (String, String) =
                een.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            nr += 1;
            velden[0].clear();
            velden[1].clear();
            velden[2].clear();
            use std::fmt::Write as _;
            let _ = write!(velden[0], "{nr}");
            velden[1].push_str(periode);
            velden[2].push_str(match kanaal_index(&kanaal) {
                Some(k) if samen[k] => OVERIG,
                _ => &kanaal,
            });
            if !vul(&index, &mut velden[3..], &json) {
                onleesbaar += 1;
            }
            for (k, v) in velden[3..].iter_mut().enumerate() {
                if !getoond[k] {
                    v.clear();
                }
            }
            w.write_record(&velden).map_err(schrijffout)?;
        }
        if onleesbaar > 0 {
            notities.push(format!(
                "{onleesbaar} antwoorden van periode {periode} konden niet gelezen worden en staan leeg in de export"
            ));
        }
    }
    w.flush().map_err(schrijffout)?;
    Ok(notities)
}

fn kanaal_index(kanaal: &str) -> Option<usize> {
    let k = Kanaal::parse(kanaal)?;
    Kanaal::ALLE.iter().position(|x| *x == k)
}

/// Fills the column buffers from one stored answer object (cleared first); `false` (and all
/// empty) when it cannot be read. Open answers are masked.
fn vul(index: &HashMap<&str, usize>, velden: &mut [String], json: &str) -> bool {
    for v in velden.iter_mut() {
        v.clear();
    }
    let mut vuller = Vuller { index, velden };
    let mut de = serde_json::Deserializer::from_str(json);
    if (&mut vuller).deserialize(&mut de).is_err() {
        for v in velden.iter_mut() {
            v.clear();
        }
        return false;
    }
    true
}

/// Fills the column buffers from one stored answer object.
struct Vuller<'a> {
    index: &'a HashMap<&'a str, usize>,
    velden: &'a mut [String],
}

impl<'de> DeserializeSeed<'de> for &mut Vuller<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Vuller<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of answers")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(sleutel) = map.next_key::<&'de str>()? {
            match self.index.get(sleutel) {
                Some(&k) => map.next_value_seed(Veld(&mut self.velden[k]))?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Writes one answer value (number or text) into its buffer.
struct Veld<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for Veld<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Veld<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a text")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        use std::fmt::Write as _;
        let _ = write!(self.0, "{v}");
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push_str(&veilig(&maskeren::maskeer(v)));
        Ok(())
    }
}
