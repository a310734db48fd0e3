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
//! Speed and memory: each period is read once, in storage order, into a compact table
//! ([`Rijen`]: one byte per number, open answers as masked texts), shuffled in memory and
//! written. Memory grows with the period (about 25 MB for 1,000,000 responses to 16 items);
//! looking each row up again in random order instead took about 25 s for 1,000,000 rows.

use std::fmt;
use std::io::Write;

use rusqlite::Connection;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{schrijffout, veilig};
use crate::domain::Kanaal;
use crate::domain::vragenlijst::Vragenlijst;
use crate::domain::vrijgave::{OVERIG, samen_te_voegen};
use crate::rapport::{
    Keuze, Sleutels, VraagVersie, getoonde_slots, kies_periodes, maskeren, schud, vraag_versies,
};
use crate::storage::vrijgave::in_een_moment;
use crate::storage::{OpslagFout, RijBron};

/// Writes the raw export; returns notes about periods left out.
pub fn schrijf(
    conn: &Connection,
    lijst: &Vragenlijst,
    keuze: &Keuze,
    open: bool,
    uit: &mut dyn Write,
) -> Result<Vec<String>, OpslagFout> {
    in_een_moment(conn, |conn| {
        schrijf_uit(&mut { conn }, lijst, keuze, open, uit)
    })
}

/// As [`schrijf`], from one snapshot of either engine.
pub fn schrijf_uit(
    bron: &mut dyn RijBron,
    lijst: &Vragenlijst,
    keuze: &Keuze,
    open: bool,
    uit: &mut dyn Write,
) -> Result<Vec<String>, OpslagFout> {
    let periodes = kies_periodes(bron, &lijst.id, &keuze.periodes)?;
    let versies: Vec<VraagVersie> = vraag_versies(bron, lijst)?
        .into_iter()
        .filter(|v| open || v.soort != "open")
        .collect();
    let kolommen: Vec<String> = versies
        .iter()
        .map(|v| format!("{}@{}", v.id, v.versie))
        .collect();
    let index = Sleutels::new(kolommen.iter().map(String::as_str));
    let mut w = ::csv::WriterBuilder::new().from_writer(uit);
    w.write_record(
        ["nr", "periode", "kanaal"]
            .into_iter()
            .chain(kolommen.iter().map(String::as_str)),
    )
    .map_err(schrijffout)?;
    let min = keuze.minimum;
    let mut notities = Vec::new();
    // One reused buffer per column for the row being written.
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
        let mut rijen = Rijen::nieuw(kolommen.len());
        bron.lees_periode(&lijst.id, &vrij, &mut |kanaal, json| {
            rijen.lees(&index, kanaal, json);
            true
        })?;
        if !min.toont(rijen.aantal() as u64) {
            notities.push(format!(
                "periode {periode} heeft minder dan {} antwoorden en staat niet in de ruwe export",
                min.get()
            ));
            continue;
        }
        let refs: Vec<&VraagVersie> = versies.iter().collect();
        let getoond = getoonde_slots(&refs, &rijen.beantwoord, rijen.aantal() as u64, min);
        let samen = samen_te_voegen(&rijen.per_kanaal, min);
        let mut volgorde: Vec<u32> = (0..rijen.aantal() as u32).collect();
        schud(&mut volgorde);
        for r in volgorde {
            nr += 1;
            rijen.vul(r as usize, &mut velden[3..]);
            velden[0].clear();
            velden[1].clear();
            velden[2].clear();
            use std::fmt::Write as _;
            let _ = write!(velden[0], "{nr}");
            velden[1].push_str(periode);
            if let Some(k) = rijen.kanaal(r as usize) {
                velden[2].push_str(if samen[k] {
                    OVERIG
                } else {
                    Kanaal::ALLE[k].id()
                });
            }
            for (k, v) in velden[3..].iter_mut().enumerate() {
                if !getoond[k] {
                    v.clear();
                }
            }
            w.write_record(&velden).map_err(schrijffout)?;
        }
        if rijen.onleesbaar > 0 {
            notities.push(format!(
                "{} antwoorden van periode {periode} konden niet gelezen worden en staan leeg in de export",
                rijen.onleesbaar
            ));
        }
    }
    w.flush().map_err(schrijffout)?;
    Ok(notities)
}

/// A cell of [`Rijen::getallen`] without a number (not answered, or a text).
const GEEN_GETAL: u8 = u8::MAX;

/// One period's responses, read in a single sequential pass and kept compactly, so they can be
/// written in a fresh random order without looking each row up again (a random lookup per row
/// made a 1,000,000-row export take about 25 s). One byte per answer: 1,000,000 responses to 16
/// items take 16 MB, plus 9 bytes per response for its channel, text bounds and place in the
/// shuffled order, and each open answer's text with 16 bytes.
struct Rijen {
    breedte: usize,
    /// Row after row, one byte per column: the stored number, or [`GEEN_GETAL`].
    getallen: Vec<u8>,
    /// Per row: its channel's place in [`Kanaal::ALLE`], or [`GEEN_GETAL`] when unreadable.
    kanalen: Vec<u8>,
    /// Answers that are not a small number (open answers, already masked), row after row: the
    /// column and the end of its text in `tekst`.
    teksten: Vec<(u16, usize)>,
    tekst: String,
    /// Per row: the end of its texts in `teksten`.
    tekst_eind: Vec<u32>,
    /// Per column: how many rows answered it (an empty text does not count).
    beantwoord: Vec<u64>,
    per_kanaal: [u64; Kanaal::ALLE.len()],
    onleesbaar: u64,
}

impl Rijen {
    fn nieuw(breedte: usize) -> Rijen {
        Rijen {
            breedte,
            getallen: Vec::new(),
            kanalen: Vec::new(),
            teksten: Vec::new(),
            tekst: String::new(),
            tekst_eind: Vec::new(),
            beantwoord: vec![0; breedte],
            per_kanaal: [0; Kanaal::ALLE.len()],
            onleesbaar: 0,
        }
    }

    fn aantal(&self) -> usize {
        self.kanalen.len()
    }

    /// Adds one stored response; an unreadable one is kept as an empty row and counted.
    fn lees(&mut self, index: &Sleutels<'_>, kanaal: &str, json: &str) {
        let begin = self.getallen.len();
        let tekst_begin = self.teksten.len();
        let arena_begin = self.tekst.len();
        self.getallen.resize(begin + self.breedte, GEEN_GETAL);
        let mut lezer = RijLezer {
            index,
            gok: 0,
            getallen: &mut self.getallen[begin..],
            teksten: &mut self.teksten,
            tekst: &mut self.tekst,
        };
        let mut de = serde_json::Deserializer::from_str(json);
        let kanaal = kanaal_index(kanaal);
        if (&mut lezer).deserialize(&mut de).is_err() || kanaal.is_none() {
            self.getallen[begin..].fill(GEEN_GETAL);
            self.teksten.truncate(tekst_begin);
            self.tekst.truncate(arena_begin);
            self.onleesbaar += 1;
        } else {
            for (k, g) in self.getallen[begin..].iter().enumerate() {
                self.beantwoord[k] += u64::from(*g != GEEN_GETAL);
            }
            for i in tekst_begin..self.teksten.len() {
                let (k, t) = self.tekst_van(i);
                self.beantwoord[k] += u64::from(!t.trim().is_empty());
            }
        }
        match kanaal {
            Some(k) => {
                self.per_kanaal[k] += 1;
                self.kanalen.push(k as u8);
            }
            None => self.kanalen.push(GEEN_GETAL),
        }
        self.tekst_eind.push(self.teksten.len() as u32);
    }

    /// The channel of row `r` as its place in [`Kanaal::ALLE`].
    fn kanaal(&self, r: usize) -> Option<usize> {
        Some(self.kanalen[r])
            .filter(|k| *k != GEEN_GETAL)
            .map(usize::from)
    }

    /// Fills the column buffers with row `r`.
    fn vul(&self, r: usize, velden: &mut [String]) {
        use std::fmt::Write as _;
        let getallen = &self.getallen[r * self.breedte..(r + 1) * self.breedte];
        for (v, g) in velden.iter_mut().zip(getallen) {
            v.clear();
            if *g != GEEN_GETAL {
                let _ = write!(v, "{g}");
            }
        }
        let begin = if r == 0 {
            0
        } else {
            self.tekst_eind[r - 1] as usize
        };
        for i in begin..self.tekst_eind[r] as usize {
            let (k, t) = self.tekst_van(i);
            velden[k].push_str(&veilig(t));
        }
    }

    /// The column and the text of text `i`.
    fn tekst_van(&self, i: usize) -> (usize, &str) {
        let begin = if i == 0 { 0 } else { self.teksten[i - 1].1 };
        let (k, eind) = self.teksten[i];
        (usize::from(k), &self.tekst[begin..eind])
    }
}

fn kanaal_index(kanaal: &str) -> Option<usize> {
    let k = Kanaal::parse(kanaal)?;
    Kanaal::ALLE.iter().position(|x| *x == k)
}

/// Reads one stored answer object into a row of [`Rijen`].
struct RijLezer<'a> {
    index: &'a Sleutels<'a>,
    /// The next column expected (see [`Sleutels::zoek`]).
    gok: usize,
    getallen: &'a mut [u8],
    teksten: &'a mut Vec<(u16, usize)>,
    tekst: &'a mut String,
}

impl<'de> DeserializeSeed<'de> for &mut RijLezer<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut RijLezer<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of answers")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(sleutel) = map.next_key::<&'de str>()? {
            match self.index.zoek(sleutel, &mut self.gok) {
                Some(k) => map.next_value_seed(Cel {
                    rij: self,
                    kolom: k,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// One answer value: a small number goes into its byte, anything else (an open answer,
/// masked) into the texts.
struct Cel<'r, 'a> {
    rij: &'r mut RijLezer<'a>,
    kolom: usize,
}

impl Cel<'_, '_> {
    fn tekst(self, tekst: &str) {
        self.rij.tekst.push_str(tekst);
        // Columns are item versions of one questionnaire: far fewer than 65,536.
        self.rij
            .teksten
            .push((self.kolom as u16, self.rij.tekst.len()));
    }
}

impl<'de> DeserializeSeed<'de> for Cel<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Cel<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a text")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        match u8::try_from(v).ok().filter(|g| *g != GEEN_GETAL) {
            Some(g) => self.rij.getallen[self.kolom] = g,
            None => self.tekst(&v.to_string()),
        }
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.tekst(&maskeren::maskeer(v));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn velden(rijen: &Rijen, r: usize) -> Vec<String> {
        let mut v = vec![String::new(); rijen.breedte];
        rijen.vul(r, &mut v);
        v
    }

    #[test]
    fn rows_come_back_as_read_with_texts_masked_and_unreadable_rows_empty() {
        let index = Sleutels::new(["a@1", "b@1", "idee@1"]);
        let mut rijen = Rijen::nieuw(3);
        rijen.lees(
            &index,
            "online",
            r#"{"a@1":4,"idee@1":"mail me: an@voorbeeld.be"}"#,
        );
        rijen.lees(&index, "papier", r#"{"a@1":"#);
        rijen.lees(
            &index,
            "kiosk",
            r#"{"b@1":0,"weg@9":3,"a@1":300,"idee@1":"  "}"#,
        );
        assert_eq!(rijen.aantal(), 3);
        assert_eq!(rijen.onleesbaar, 1);
        let eerste = velden(&rijen, 0);
        assert_eq!(eerste[..2], ["4", ""]);
        assert!(!eerste[2].contains("an@voorbeeld.be") && eerste[2].starts_with("mail me"));
        assert_eq!(velden(&rijen, 1), ["", "", ""], "unreadable: empty");
        // A number too big for a byte is kept exactly; an empty text is not an answer.
        assert_eq!(velden(&rijen, 2), ["300", "0", "  "]);
        assert_eq!(rijen.beantwoord, [2, 1, 1]);
        assert_eq!(
            rijen.kanaal(1),
            Kanaal::ALLE.iter().position(|k| *k == Kanaal::Papier)
        );
        assert_eq!(rijen.per_kanaal.iter().sum::<u64>(), 3);
    }
}
