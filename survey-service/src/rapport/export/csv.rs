//! Aggregated CSV: one row per item and period, the same columns for every period.
//!
//! Columns: `item, versie, categorie, soort, periode, n, antwoord_1 … antwoord_K, weet_ik_niet,
//! gemiddelde, aandeel_eens, opmerking, tekst`. `antwoord_1 … antwoord_5` of a scale item are
//! "helemaal niet akkoord" … "helemaal akkoord"; of a yes/no item `antwoord_1` = ja and
//! `antwoord_2` = nee; of a choice item the options in order. K is at least 5 (more when a
//! choice item has more options). A hidden cell has empty numbers and the reason in `opmerking`.

use std::io::Write;

use super::{afgerond, schrijffout, veilig};
use crate::rapport::{Cel, Rapport, TE_WEINIG};
use crate::storage::OpslagFout;

/// Standard CSV or the variant that opens right in Dutch-locale Excel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stijl {
    /// `,` between fields, `.` decimals, UTF-8.
    Standaard,
    /// UTF-8 with BOM, `;` between fields, decimal comma.
    Nederlands,
}

impl Stijl {
    pub fn scheiding(self) -> u8 {
        match self {
            Stijl::Standaard => b',',
            Stijl::Nederlands => b';',
        }
    }

    /// A number with `decimalen` decimals, in this style.
    pub fn getal(self, x: f64, decimalen: usize) -> String {
        let s = format!("{:.*}", decimalen, afgerond(x, decimalen as i32));
        match self {
            Stijl::Standaard => s,
            Stijl::Nederlands => s.replace('.', ","),
        }
    }
}

/// Number of answer columns for this report (at least 5).
pub fn antwoordkolommen(rapport: &Rapport) -> usize {
    rapport
        .items
        .iter()
        .map(|i| i.opties.iter().filter(|(w, _)| *w > 0).count())
        .max()
        .unwrap_or(0)
        .max(5)
}

/// The header row.
pub fn kop(k: usize) -> Vec<String> {
    let mut kop: Vec<String> = ["item", "versie", "categorie", "soort", "periode", "n"]
        .map(String::from)
        .to_vec();
    kop.extend((1..=k).map(|i| format!("antwoord_{i}")));
    kop.extend(
        [
            "weet_ik_niet",
            "gemiddelde",
            "aandeel_eens",
            "opmerking",
            "tekst",
        ]
        .map(String::from),
    );
    kop
}

/// The rows, as text in this style (also used by the XLSX comparison of columns in tests).
pub fn rijen(rapport: &Rapport, stijl: Stijl) -> Vec<Vec<String>> {
    let k = antwoordkolommen(rapport);
    let mut rijen = Vec::new();
    for (p, periode) in rapport.periodes.iter().enumerate() {
        for item in &rapport.items {
            let cel = &item.per_periode[p];
            let mut rij = vec![
                item.id.clone(),
                cel.versie.map_or(String::new(), |v| v.to_string()),
                item.categorie.id().to_string(),
                item.soort.to_string(),
                periode.naam.clone(),
            ];
            match &cel.cijfers {
                Cel::Zichtbaar(c) => {
                    rij.push(c.n.to_string());
                    let mut antwoorden = vec![String::new(); k];
                    let mut weet_niet = String::new();
                    let mut i = 0;
                    for ((w, _), aantal) in item.opties.iter().zip(&c.verdeling) {
                        if *w == 0 {
                            weet_niet = aantal.to_string();
                        } else if i < k {
                            antwoorden[i] = aantal.to_string();
                            i += 1;
                        }
                    }
                    rij.extend(antwoorden);
                    rij.push(weet_niet);
                    rij.push(c.gemiddelde.map_or(String::new(), |g| stijl.getal(g, 2)));
                    rij.push(c.aandeel_eens.map_or(String::new(), |a| stijl.getal(a, 3)));
                    rij.push(String::new());
                }
                Cel::Verborgen => {
                    rij.extend(std::iter::repeat_n(String::new(), k + 4));
                    rij.push(if cel.versie.is_none() {
                        "niet gevraagd in deze periode".to_string()
                    } else {
                        TE_WEINIG.to_string()
                    });
                }
            }
            rij.push(item.tekst.clone());
            rijen.push(rij);
        }
    }
    rijen
}

/// Writes the aggregated CSV.
pub fn schrijf(rapport: &Rapport, stijl: Stijl, uit: &mut dyn Write) -> Result<(), OpslagFout> {
    if stijl == Stijl::Nederlands {
        uit.write_all("\u{feff}".as_bytes()).map_err(schrijffout)?;
    }
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(stijl.scheiding())
        .from_writer(uit);
    w.write_record(kop(antwoordkolommen(rapport)))
        .map_err(schrijffout)?;
    for rij in rijen(rapport, stijl) {
        w.write_record(rij.iter().map(|c| veilig(c).into_owned()))
            .map_err(schrijffout)?;
    }
    w.flush().map_err(schrijffout)
}
