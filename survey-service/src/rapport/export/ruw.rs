//! The anonymous raw responses as CSV, streamed row by row with flat memory.
//!
//! Columns: `id, periode, kanaal`, then one column per item version (`<item>@<versie>`) with the
//! stored number (0 = "weet ik niet"); open items only when asked for. The id is the random
//! number the response was stored under: it says nothing about who or when. Periods with fewer
//! respondents than the minimum are left out entirely.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;

use rusqlite::{Connection, params};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{schrijffout, veilig};
use crate::domain::vragenlijst::Vragenlijst;
use crate::rapport::{Keuze, kies_periodes, respondenten, vraag_versies};
use crate::storage::OpslagFout;

/// Writes the raw export; returns notes about periods left out.
pub fn schrijf(
    conn: &Connection,
    lijst: &Vragenlijst,
    keuze: &Keuze,
    open: bool,
    uit: &mut dyn Write,
) -> Result<Vec<String>, OpslagFout> {
    let periodes = kies_periodes(conn, &lijst.id, &keuze.periodes)?;
    let kolommen: Vec<String> = vraag_versies(conn, lijst)?
        .into_iter()
        .filter(|v| open || v.soort != "open")
        .map(|v| format!("{}@{}", v.id, v.versie))
        .collect();
    let index: HashMap<&str, usize> = kolommen
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut w = ::csv::WriterBuilder::new().from_writer(uit);
    w.write_record(
        ["id", "periode", "kanaal"]
            .into_iter()
            .chain(kolommen.iter().map(String::as_str)),
    )
    .map_err(schrijffout)?;
    let mut notities = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, kanaal, antwoorden FROM inzending WHERE vragenlijst = ?1 AND periode = ?2",
    )?;
    // One reused buffer per column: nothing grows with the number of rows.
    let mut velden: Vec<String> = vec![String::new(); 3 + kolommen.len()];
    for (periode, _) in &periodes {
        let n = respondenten(conn, &lijst.id, periode)?;
        if n < u64::from(keuze.minimum.get()) {
            notities.push(format!(
                "periode {periode} heeft minder dan {} antwoorden en staat niet in de ruwe export",
                keuze.minimum.get()
            ));
            continue;
        }
        let mut rijen = stmt.query(params![lijst.id, periode])?;
        while let Some(rij) = rijen.next()? {
            for v in &mut velden {
                v.clear();
            }
            use std::fmt::Write as _;
            let _ = write!(velden[0], "{}", rij.get::<_, i64>(0)?);
            velden[1].push_str(periode);
            velden[2].push_str(rij.get_ref(1)?.as_str()?);
            let json = rij.get_ref(2)?.as_str()?;
            let mut vuller = Vuller {
                index: &index,
                velden: &mut velden[3..],
            };
            let mut de = serde_json::Deserializer::from_str(json);
            if (&mut vuller).deserialize(&mut de).is_err() {
                notities.push(format!(
                    "antwoord {} kon niet gelezen worden en staat leeg in de export",
                    velden[0]
                ));
                for v in &mut velden[3..] {
                    v.clear();
                }
            }
            w.write_record(&velden).map_err(schrijffout)?;
        }
    }
    w.flush().map_err(schrijffout)?;
    Ok(notities)
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
        self.0.push_str(&veilig(v));
        Ok(())
    }
}
