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

use rayon::prelude::*;
use rusqlite::Connection;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{schrijffout, veilig};
use crate::domain::Kanaal;
use crate::domain::vragenlijst::Vragenlijst;
use crate::domain::vrijgave::{OVERIG, samen_te_voegen};
use crate::rapport::velden::{self, Waarde};
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
    let mut kop = ::csv::Writer::from_writer(Vec::new());
    kop.write_record(
        ["nr", "periode", "kanaal"]
            .into_iter()
            .chain(kolommen.iter().map(String::as_str)),
    )
    .map_err(schrijffout)?;
    uit.write_all(&kop.into_inner().map_err(schrijffout)?)
        .map_err(schrijffout)?;
    let min = keuze.minimum;
    let mut notities = Vec::new();
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
        let periode_rijen = PeriodeRijen {
            periode,
            getoond: getoonde_slots(&refs, &rijen.beantwoord, rijen.aantal() as u64, min),
            samen: samen_te_voegen(&rijen.per_kanaal, min),
            rijen: &rijen,
        };
        let mut volgorde: Vec<u32> = (0..rijen.aantal() as u32).collect();
        schud(&mut volgorde);
        // Parts of the shuffled order are written to memory side by side (both cores on a
        // small server) and then to `uit` in order; at most one part per thread is held.
        let deel = DEEL * rayon::current_num_threads();
        for venster in volgorde.chunks(deel) {
            let stukken: Vec<Result<Vec<u8>, OpslagFout>> = venster
                .par_chunks(DEEL)
                .enumerate()
                .map(|(i, stuk)| periode_rijen.schrijf(nr + (i * DEEL) as u64, stuk))
                .collect();
            for stuk in stukken {
                uit.write_all(&stuk?).map_err(schrijffout)?;
            }
            nr += venster.len() as u64;
        }
        if rijen.onleesbaar > 0 {
            notities.push(format!(
                "{} antwoorden van periode {periode} konden niet gelezen worden en staan leeg in de export",
                rijen.onleesbaar
            ));
        }
    }
    uit.flush().map_err(schrijffout)?;
    Ok(notities)
}

/// Rows of the shuffled order written as one piece of CSV.
const DEEL: usize = 16_384;

/// One period's rows ready to be written: which cells are shown, which channels merged.
struct PeriodeRijen<'a> {
    periode: &'a str,
    rijen: &'a Rijen,
    /// Per column: whether the report shows it (else the cells stay empty).
    getoond: Vec<bool>,
    /// Per channel: merged into `overig`.
    samen: [bool; Kanaal::ALLE.len()],
}

impl PeriodeRijen<'_> {
    /// The CSV lines of rows `stuk`, numbered from `vorige + 1`.
    fn schrijf(&self, vorige: u64, stuk: &[u32]) -> Result<Vec<u8>, OpslagFout> {
        let mut w = ::csv::Writer::from_writer(Vec::with_capacity(stuk.len() * 64));
        // One reused buffer per column for the row being written.
        let mut velden: Vec<String> = vec![String::new(); 3 + self.rijen.breedte];
        let mut getal = itoa::Buffer::new();
        for (i, &r) in stuk.iter().enumerate() {
            let r = r as usize;
            self.rijen.vul(r, &mut velden[3..]);
            for v in &mut velden[..3] {
                v.clear();
            }
            velden[0].push_str(getal.format(vorige + i as u64 + 1));
            velden[1].push_str(self.periode);
            if let Some(k) = self.rijen.kanaal(r) {
                velden[2].push_str(if self.samen[k] {
                    OVERIG
                } else {
                    Kanaal::ALLE[k].id()
                });
            }
            for (v, getoond) in velden[3..].iter_mut().zip(&self.getoond) {
                if !getoond {
                    v.clear();
                }
            }
            w.write_record(&velden).map_err(schrijffout)?;
        }
        w.into_inner().map_err(schrijffout)
    }
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
            tekst_begin,
            arena_begin,
        };
        let kanaal = kanaal_index(kanaal);
        // The writer's own shape first (the report's fast reader); a row it does not take, or
        // with a text that has an escape, again from the start with serde_json.
        let mut escape = false;
        let snel = velden::velden(json, index, |_, kolom, waarde| match (kolom, waarde) {
            (Some(k), Waarde::Getal(g)) => lezer.getal(k, g),
            (Some(k), Waarde::Tekst(Some(t))) => lezer.tekst(k, t),
            (Some(_), Waarde::Tekst(None)) => escape = true,
            (None, _) => {}
        });
        let gelezen = (snel.is_ok() && !escape) || {
            lezer.wis();
            let mut de = serde_json::Deserializer::from_str(json);
            (&mut lezer).deserialize(&mut de).is_ok()
        };
        if !gelezen || kanaal.is_none() {
            lezer.wis();
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
        let getallen = &self.getallen[r * self.breedte..(r + 1) * self.breedte];
        let mut getal = itoa::Buffer::new();
        for (v, g) in velden.iter_mut().zip(getallen) {
            v.clear();
            if *g != GEEN_GETAL {
                v.push_str(getal.format(*g));
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

/// Reads one stored answer object into a row of [`Rijen`]: a small number goes into its byte,
/// anything else (an open answer, masked here) into the texts.
struct RijLezer<'a> {
    index: &'a Sleutels<'a>,
    /// The next column expected (see [`Sleutels::zoek`]).
    gok: usize,
    getallen: &'a mut [u8],
    teksten: &'a mut Vec<(u16, usize)>,
    tekst: &'a mut String,
    /// Where this row's texts begin in `teksten` and `tekst`.
    tekst_begin: usize,
    arena_begin: usize,
}

impl RijLezer<'_> {
    /// Empties the row again (before a second reading, or when it cannot be read).
    fn wis(&mut self) {
        self.getallen.fill(GEEN_GETAL);
        self.teksten.truncate(self.tekst_begin);
        self.tekst.truncate(self.arena_begin);
    }

    fn getal(&mut self, kolom: usize, waarde: u64) {
        match u8::try_from(waarde).ok().filter(|g| *g != GEEN_GETAL) {
            Some(g) => self.getallen[kolom] = g,
            None => self.bewaar(kolom, &waarde.to_string()),
        }
    }

    fn tekst(&mut self, kolom: usize, tekst: &str) {
        self.bewaar(kolom, &maskeren::maskeer(tekst));
    }

    fn bewaar(&mut self, kolom: usize, tekst: &str) {
        self.tekst.push_str(tekst);
        // Columns are item versions of one questionnaire: far fewer than 65,536.
        self.teksten.push((kolom as u16, self.tekst.len()));
    }
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

/// One answer value read by serde_json (see [`RijLezer`]).
struct Cel<'r, 'a> {
    rij: &'r mut RijLezer<'a>,
    kolom: usize,
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
        self.rij.getal(self.kolom, v);
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.rij.tekst(self.kolom, v);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PeriodeNaam;
    use crate::storage;
    use crate::storage::schrijver::{NieuweInzending, schrijf_groep};

    /// More rows than one written part ([`DEEL`]), so parts are written side by side.
    #[test]
    fn a_large_period_is_written_once_per_row_numbered_one_to_n() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let lijsten = crate::domain::vragenlijst::laad(&root).unwrap();
        let lijst = lijsten.get("ouders").unwrap().clone();
        let dir = std::env::temp_dir().join(format!("zorgenquete-ruw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut conn = storage::open(&dir.join("ruw.sqlite")).unwrap();
        storage::bewaar_vragen(&conn, &lijsten).unwrap();
        let periode = PeriodeNaam::parse("2025-2026").unwrap();
        let n = 2 * DEEL * rayon::current_num_threads().max(2) + 77;
        storage::periode_open(&mut conn, "ouders", &periode, Some(n as u32)).unwrap();
        let item = lijst.vragen[0].sleutel();
        let inzendingen: Vec<NieuweInzending> = (0..n)
            .map(|i| {
                let kanaal = if i % 10 == 0 {
                    Kanaal::Papier
                } else {
                    Kanaal::Online
                };
                NieuweInzending::new(
                    "ouders",
                    "2025-2026",
                    kanaal,
                    format!(r#"{{"{item}":{}}}"#, i % 6),
                )
            })
            .collect();
        for groep in inzendingen.chunks(4096) {
            let refs: Vec<&NieuweInzending> = groep.iter().collect();
            schrijf_groep(&mut conn, &refs).unwrap();
        }
        storage::periode_sluit(&mut conn, "ouders", &periode, Default::default()).unwrap();

        let mut uit = Vec::new();
        let notities = schrijf(&conn, &lijst, &Keuze::default(), false, &mut uit).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(notities.is_empty(), "{notities:?}");
        let mut lezer = ::csv::Reader::from_reader(uit.as_slice());
        let kop = lezer.headers().unwrap().clone();
        let kolom = kop.iter().position(|k| k == item).unwrap();
        let mut nrs = Vec::new();
        let mut per_waarde = [0usize; 6];
        let mut papier = 0;
        let mut op_volgorde = 0;
        for (i, rij) in lezer.records().enumerate() {
            let rij = rij.unwrap();
            assert_eq!(rij.len(), kop.len());
            nrs.push(rij[0].parse::<usize>().unwrap());
            assert_eq!(&rij[1], "2025-2026");
            papier += usize::from(&rij[2] == "papier");
            let waarde: usize = rij[kolom].parse().unwrap();
            per_waarde[waarde] += 1;
            op_volgorde += usize::from(waarde == i % 6);
        }
        assert_eq!(
            nrs,
            (1..=n).collect::<Vec<_>>(),
            "every row once, numbered 1..n in order"
        );
        assert_eq!(papier, n.div_ceil(10));
        let verwacht: Vec<usize> = (0..6)
            .map(|w| (0..n).filter(|i| i % 6 == w).count())
            .collect();
        assert_eq!(per_waarde.to_vec(), verwacht, "every stored answer once");
        assert!(
            op_volgorde < n / 3,
            "the rows are shuffled: {op_volgorde} of {n} in place"
        );
    }

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

    /// The fast reader (`rapport::velden`) leaves a row halfway (white space after two fields
    /// and a text) or at a text with an escape: serde_json reads it again from the start, and
    /// nothing the fast reader had kept stays twice.
    #[test]
    fn a_row_the_fast_reader_leaves_is_read_again_from_the_start() {
        let index = Sleutels::new(["a@1", "b@1", "idee@1"]);
        let mut rijen = Rijen::nieuw(3);
        rijen.lees(&index, "online", r#"{"idee@1":"eerst","a@1":2, "b@1":1}"#);
        rijen.lees(
            &index,
            "online",
            r#"{"a@1":5,"idee@1":"met \"aanhalingstekens\"\nen een tweede regel"}"#,
        );
        rijen.lees(&index, "online", r#"{"a@1":1,"idee@1":"gewoon"}"#);
        assert_eq!(rijen.onleesbaar, 0);
        assert_eq!(velden(&rijen, 0), ["2", "1", "eerst"]);
        assert_eq!(
            velden(&rijen, 1),
            ["5", "", "met \"aanhalingstekens\"\nen een tweede regel"]
        );
        assert_eq!(velden(&rijen, 2), ["1", "", "gewoon"]);
        assert_eq!(rijen.teksten.len(), 3, "one text per row");
        assert_eq!(rijen.beantwoord, [3, 1, 3]);
    }
}
