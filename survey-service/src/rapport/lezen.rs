//! Counting stored answers in one pass, without building a map per response.
//!
//! Each response's answer column (`{"<item>@<versie>": value, …}`) is walked by
//! [`super::velden`] (the writer's compact shape) or, for any other shape, by a serde visitor;
//! both borrow the keys from the row and count numbers straight into per-slot arrays; texts
//! (open answers) are skipped, never copied.
//!
//! Category scores need one score per respondent over only the items whose cell turns out to be
//! shown, which is known only after the pass. So the pass also keeps every scale answer (1-5)
//! as one packed `u32` (`slot << 3 | value`) in a flat list per period, with one end offset per
//! respondent who gave any; [`super::maak`] walks that list once more to build the scores.

use std::fmt;

use rusqlite::Connection;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::velden::{self, Waarde};
use super::{HOOGSTE_WAARDE, Sleutels};
use crate::domain::Kanaal;
use crate::storage::OpslagFout;
use crate::storage::vrijgave::Vrijgegeven;

/// Counts per answer value (0 = "weet ik niet", 1..=20).
pub type Aantallen = [u64; HOOGSTE_WAARDE + 1];

#[derive(Debug, Clone)]
pub struct PeriodeTelling {
    pub respondenten: u64,
    /// In [`Kanaal::ALLE`] order.
    pub per_kanaal: [u64; 4],
    /// Indexed by slot (item version).
    pub slots: Vec<Aantallen>,
    /// Every scale answer 1-5 of a scale slot, packed as `slot << 3 | value`, respondent after
    /// respondent.
    pub schaalantwoorden: Vec<u32>,
    /// Per respondent with at least one scale answer: the end of their answers in
    /// `schaalantwoorden`.
    pub grenzen: Vec<u32>,
}

impl PeriodeTelling {
    /// The scale answers of each respondent who gave any, as `(slot, value)`.
    pub fn per_respondent(&self) -> impl Iterator<Item = impl Iterator<Item = (usize, u8)> + '_> {
        let mut begin = 0usize;
        self.grenzen.iter().map(move |&eind| {
            let eind = eind as usize;
            let deel = &self.schaalantwoorden[begin..eind];
            begin = eind;
            deel.iter().map(|&x| ((x >> 3) as usize, (x & 7) as u8))
        })
    }
}

#[derive(Debug, Clone)]
pub struct Telling {
    pub periodes: Vec<PeriodeTelling>,
    pub onleesbaar: u64,
}

/// Counts the responses of `periodes` (in report order). Only released periods are read; a
/// `None` (a period whose answers are not released) stays at zero.
pub fn tel(
    conn: &Connection,
    vragenlijst: &str,
    periodes: &[Option<Vrijgegeven>],
    sleutels: &Sleutels<'_>,
    schaal: &[bool],
) -> Result<Telling, OpslagFout> {
    let mut telling = Telling {
        periodes: periodes
            .iter()
            .map(|_| PeriodeTelling {
                respondenten: 0,
                per_kanaal: [0; 4],
                slots: vec![[0; HOOGSTE_WAARDE + 1]; sleutels.len()],
                schaalantwoorden: Vec::new(),
                grenzen: Vec::new(),
            })
            .collect(),
        onleesbaar: 0,
    };
    let mut stmt = conn.prepare_cached(
        "SELECT periode, kanaal, antwoorden FROM inzending WHERE vragenlijst = ?1",
    )?;
    let mut rijen = stmt.query([vragenlijst])?;
    // The numbers of one row, kept until the whole row turned out to be readable.
    let mut getallen: Vec<(usize, u64)> = Vec::with_capacity(32);
    while let Some(rij) = rijen.next()? {
        let periode = rij.get_ref(0)?.as_str()?;
        let Some(p) = periodes
            .iter()
            .position(|v| v.as_ref().is_some_and(|v| v.naam() == periode))
        else {
            continue;
        };
        let t = &mut telling.periodes[p];
        let kanaal = Kanaal::parse(rij.get_ref(1)?.as_str()?);
        let json = rij.get_ref(2)?.as_str()?;
        let begin = t.schaalantwoorden.len();
        let mut slots_rij = SlotTeller {
            sleutels,
            gok: 0,
            schaal,
            slots: &mut t.slots,
            schaalantwoorden: &mut t.schaalantwoorden,
        };
        // The writer's own shape first (fast); anything else through serde_json.
        getallen.clear();
        let mut gok = 0;
        let snel = velden::velden(json, |sleutel, waarde| {
            if let (Waarde::Getal(w), Some(slot)) = (waarde, sleutels.zoek(sleutel, &mut gok)) {
                getallen.push((slot, w));
            }
        });
        if snel.is_ok() {
            for (slot, w) in getallen.drain(..) {
                slots_rij.tel(slot, w);
            }
        } else {
            let mut de = serde_json::Deserializer::from_str(json);
            if (&mut slots_rij).deserialize(&mut de).is_err() {
                // A row the writer cannot have produced; count it so the report can say so.
                telling.onleesbaar += 1;
            }
        }
        t.respondenten += 1;
        if let Some(k) = kanaal.and_then(|k| Kanaal::ALLE.iter().position(|x| *x == k)) {
            t.per_kanaal[k] += 1;
        }
        if t.schaalantwoorden.len() > begin {
            t.grenzen.push(t.schaalantwoorden.len() as u32);
        }
    }
    Ok(telling)
}

struct SlotTeller<'a> {
    sleutels: &'a Sleutels<'a>,
    /// The next slot expected (see [`Sleutels::zoek`]).
    gok: usize,
    /// Per slot: a scale item.
    schaal: &'a [bool],
    slots: &'a mut [Aantallen],
    schaalantwoorden: &'a mut Vec<u32>,
}

/// An answer value as serde_json reads it: a number is counted, anything else (open text)
/// skipped.
enum JsonWaarde {
    Getal(u64),
    Anders,
}

impl<'de> serde::Deserialize<'de> for JsonWaarde {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonWaarde;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a text")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonWaarde, E> {
                Ok(JsonWaarde::Getal(v))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<JsonWaarde, E> {
                Ok(JsonWaarde::Anders)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<JsonWaarde, E> {
                Ok(JsonWaarde::Anders)
            }
            fn visit_borrowed_str<E: de::Error>(self, _: &'de str) -> Result<JsonWaarde, E> {
                Ok(JsonWaarde::Anders)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<JsonWaarde, E> {
                Ok(JsonWaarde::Anders)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<JsonWaarde, E> {
                Ok(JsonWaarde::Anders)
            }
            fn visit_unit<E: de::Error>(self) -> Result<JsonWaarde, E> {
                Ok(JsonWaarde::Anders)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut s: A) -> Result<JsonWaarde, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(JsonWaarde::Anders)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<JsonWaarde, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(JsonWaarde::Anders)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> DeserializeSeed<'de> for &mut SlotTeller<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut SlotTeller<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of answers")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Keys are item ids with `@version`: never escaped, so they can be borrowed.
        while let Some(sleutel) = map.next_key::<&'de str>()? {
            if let (JsonWaarde::Getal(w), Some(slot)) = (
                map.next_value()?,
                self.sleutels.zoek(sleutel, &mut self.gok),
            ) {
                self.tel(slot, w);
            }
        }
        Ok(())
    }
}

impl SlotTeller<'_> {
    /// Counts answer `w` in `slot` (values out of range are skipped).
    fn tel(&mut self, slot: usize, w: u64) {
        let Some(w) = usize::try_from(w).ok().filter(|w| *w <= HOOGSTE_WAARDE) else {
            return;
        };
        self.slots[slot][w] += 1;
        if self.schaal[slot] && (1..=5).contains(&w) {
            self.schaalantwoorden.push((slot as u32) << 3 | w as u32);
        }
    }
}
