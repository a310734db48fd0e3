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
use std::sync::mpsc;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::velden::{self, Waarde};
use super::{HOOGSTE_WAARDE, Sleutels};
use crate::domain::Kanaal;
use crate::storage::vrijgave::Vrijgegeven;
use crate::storage::{OpslagFout, RijBron};

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
///
/// Two threads share the work: this one steps through the rows (either engine, [`RijBron`]) and hands them over in
/// batches, a scoped helper thread parses and counts them, in the order read. On two cores the
/// report then takes about as long as the longer of the two halves instead of their sum.
pub fn tel_uit(
    bron: &mut dyn RijBron,
    vragenlijst: &str,
    periodes: &[Option<Vrijgegeven>],
    sleutels: &Sleutels<'_>,
    schaal: &[bool],
) -> Result<Telling, OpslagFout> {
    let telling = Telling::leeg(periodes.len(), sleutels.len());
    std::thread::scope(|s| {
        // Two batches in flight at most; emptied batches come back to be filled again.
        let (vol, te_tellen) = mpsc::sync_channel::<Stapel>(2);
        let (terug, leeg) = mpsc::channel::<Stapel>();
        let teller = s.spawn(move || {
            let mut telling = telling;
            for mut stapel in te_tellen {
                telling.tel_stapel(&stapel, sleutels, schaal);
                stapel.rijen.clear();
                stapel.tekst.clear();
                // The reader may have stopped early (an error): nothing left to refill.
                let _ = terug.send(stapel);
            }
            telling
        });
        let gelezen = lees(bron, vragenlijst, periodes, vol, leeg);
        match teller.join() {
            Ok(telling) => gelezen.map(|()| telling),
            Err(paniek) => std::panic::resume_unwind(paniek),
        }
    })
}

/// Rows read but not yet counted: the answers' JSON one after another in `tekst`.
struct Stapel {
    tekst: Vec<u8>,
    rijen: Vec<GelezenRij>,
}

struct GelezenRij {
    /// Index in the report's periods.
    periode: usize,
    /// Index in [`Kanaal::ALLE`].
    kanaal: Option<usize>,
    /// End of this row's JSON in [`Stapel::tekst`] (it starts where the previous row ended).
    eind: usize,
}

/// About this much JSON per batch: large enough that handing over costs nothing, small enough
/// to stay in the cache.
const STAPEL_BYTES: usize = 256 * 1024;

/// Steps through the questionnaire's responses and sends the rows of the report's periods to
/// the counting thread.
fn lees(
    bron: &mut dyn RijBron,
    vragenlijst: &str,
    periodes: &[Option<Vrijgegeven>],
    vol: mpsc::SyncSender<Stapel>,
    leeg: mpsc::Receiver<Stapel>,
) -> Result<(), OpslagFout> {
    let nieuwe = || Stapel {
        tekst: Vec::with_capacity(STAPEL_BYTES + 4096),
        rijen: Vec::with_capacity(1024),
    };
    let mut stapel = nieuwe();
    bron.lees(vragenlijst, &mut |periode, kanaal, antwoorden| {
        let Some(p) = periodes
            .iter()
            .position(|v| v.as_ref().is_some_and(|v| v.naam() == periode))
        else {
            return true;
        };
        let kanaal = Kanaal::parse(kanaal).and_then(|k| Kanaal::ALLE.iter().position(|x| *x == k));
        stapel.tekst.extend_from_slice(antwoorden);
        stapel.rijen.push(GelezenRij {
            periode: p,
            kanaal,
            eind: stapel.tekst.len(),
        });
        if stapel.tekst.len() >= STAPEL_BYTES {
            let volgende = leeg.try_recv().unwrap_or_else(|_| nieuwe());
            // The counting thread is gone (it panicked): stop reading; `tel` reports that.
            return vol.send(std::mem::replace(&mut stapel, volgende)).is_ok();
        }
        true
    })?;
    if !stapel.rijen.is_empty() {
        let _ = vol.send(stapel);
    }
    Ok(())
}

impl Telling {
    /// Zero counts for `periodes` periods of `slots` slots.
    pub fn leeg(periodes: usize, slots: usize) -> Telling {
        Telling {
            periodes: (0..periodes)
                .map(|_| PeriodeTelling {
                    respondenten: 0,
                    per_kanaal: [0; 4],
                    slots: vec![[0; HOOGSTE_WAARDE + 1]; slots],
                    schaalantwoorden: Vec::new(),
                    grenzen: Vec::new(),
                })
                .collect(),
            onleesbaar: 0,
        }
    }

    /// The counts of several schools as if they were one: every count added up, every
    /// respondent's scale answers kept as that respondent's (so category scores stay one per
    /// person). All must be counted with the same periods and slots (the same `Sleutels`), in
    /// the same order; a period a school did not release is all zeros in its counts, so it adds
    /// nothing. Period `p` of the `i`-th counts only when `telt(i, p)`. This is the only way a
    /// group report gets its numbers: the statistics are then the school report's own
    /// ([`super::bouw`]).
    pub fn voeg_samen<'a>(
        tellingen: impl IntoIterator<Item = &'a Telling>,
        periodes: usize,
        slots: usize,
        telt: impl Fn(usize, usize) -> bool,
    ) -> Telling {
        let mut som = Telling::leeg(periodes, slots);
        for (i, t) in tellingen.into_iter().enumerate() {
            assert_eq!(t.periodes.len(), periodes, "counted with other periods");
            som.onleesbaar += t.onleesbaar;
            for (n, (s, p)) in som.periodes.iter_mut().zip(&t.periodes).enumerate() {
                assert_eq!(p.slots.len(), slots, "counted with other slots");
                if !telt(i, n) {
                    continue;
                }
                s.respondenten += p.respondenten;
                for (a, b) in s.per_kanaal.iter_mut().zip(p.per_kanaal) {
                    *a += b;
                }
                for (a, b) in s.slots.iter_mut().zip(&p.slots) {
                    for (x, y) in a.iter_mut().zip(b) {
                        *x += y;
                    }
                }
                let verschuif = s.schaalantwoorden.len() as u32;
                s.schaalantwoorden.extend_from_slice(&p.schaalantwoorden);
                s.grenzen.extend(p.grenzen.iter().map(|g| g + verschuif));
            }
        }
        som
    }

    fn tel_stapel(&mut self, stapel: &Stapel, sleutels: &Sleutels<'_>, schaal: &[bool]) {
        // The numbers of one row, kept until the whole row turned out to be readable.
        let mut getallen: Vec<(usize, u64)> = Vec::with_capacity(32);
        let mut begin = 0;
        for rij in &stapel.rijen {
            let bytes = &stapel.tekst[begin..rij.eind];
            begin = rij.eind;
            let t = &mut self.periodes[rij.periode];
            let eerste = t.schaalantwoorden.len();
            let mut slots_rij = SlotTeller {
                sleutels,
                gok: 0,
                schaal,
                slots: &mut t.slots,
                schaalantwoorden: &mut t.schaalantwoorden,
            };
            // The writer's own shape first (fast); anything else through serde_json.
            getallen.clear();
            let gelezen = std::str::from_utf8(bytes).map_err(|_| ()).and_then(|json| {
                let snel = velden::velden(json, sleutels, |_, slot, waarde| {
                    if let (Waarde::Getal(w), Some(slot)) = (waarde, slot) {
                        getallen.push((slot, w));
                    }
                });
                if snel.is_ok() {
                    for (slot, w) in getallen.drain(..) {
                        slots_rij.tel(slot, w);
                    }
                    Ok(())
                } else {
                    let mut de = serde_json::Deserializer::from_str(json);
                    (&mut slots_rij).deserialize(&mut de).map_err(|_| ())
                }
            });
            if gelezen.is_err() {
                // A row the writer cannot have produced; count it so the report can say so.
                self.onleesbaar += 1;
            }
            t.respondenten += 1;
            if let Some(k) = rij.kanaal {
                t.per_kanaal[k] += 1;
            }
            if t.schaalantwoorden.len() > eerste {
                t.grenzen.push(t.schaalantwoorden.len() as u32);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One period, two slots; `personen` are each respondent's scale answers `(slot, value)`.
    fn telling(personen: &[&[(u32, u32)]], kanaal: usize) -> Telling {
        let mut t = Telling::leeg(1, 2);
        let p = &mut t.periodes[0];
        for persoon in personen {
            p.respondenten += 1;
            p.per_kanaal[kanaal] += 1;
            for (slot, w) in *persoon {
                p.slots[*slot as usize][*w as usize] += 1;
                p.schaalantwoorden.push(slot << 3 | w);
            }
            if !persoon.is_empty() {
                p.grenzen.push(p.schaalantwoorden.len() as u32);
            }
        }
        t
    }

    #[test]
    fn merged_counts_equal_the_counts_of_all_answers_together() {
        let a: &[&[(u32, u32)]] = &[&[(0, 5), (1, 4)], &[(0, 2)], &[]];
        let b: &[&[(u32, u32)]] = &[&[(1, 1)], &[(0, 3), (1, 3)]];
        let mut samen = Telling::voeg_samen([&telling(a, 0), &telling(b, 2)], 1, 2, |_, _| true);
        let mut alles = telling(&[a, b].concat(), 0);
        // The channels differ on purpose: one school counted online, the other on paper.
        alles.periodes[0].per_kanaal = [3, 0, 2, 0];
        let p = &samen.periodes[0];
        let q = &alles.periodes[0];
        assert_eq!(p.respondenten, 5);
        assert_eq!(p.per_kanaal, q.per_kanaal);
        assert_eq!(p.slots, q.slots);
        // Every respondent keeps their own answers: the second school's boundaries moved.
        let personen = |t: &PeriodeTelling| {
            t.per_respondent()
                .map(|r| r.collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        assert_eq!(personen(p), personen(q));
        assert_eq!(
            personen(p),
            vec![
                vec![(0, 5), (1, 4)],
                vec![(0, 2)],
                vec![(1, 1)],
                vec![(0, 3), (1, 3)]
            ]
        );
        // Merging with nothing, or with a school that released nothing, changes nothing.
        samen = Telling::voeg_samen([&samen, &Telling::leeg(1, 2)], 1, 2, |_, _| true);
        assert_eq!(personen(&samen.periodes[0]), personen(q));
        assert_eq!(samen.periodes[0].slots, q.slots);
        // A period that does not count adds nothing, however many answers it has.
        let zonder_b = Telling::voeg_samen([&telling(a, 0), &telling(b, 2)], 1, 2, |i, _| i == 0);
        assert_eq!(zonder_b.periodes[0].respondenten, 3);
        assert_eq!(
            personen(&zonder_b.periodes[0]),
            personen(&telling(a, 0).periodes[0])
        );
    }
}
