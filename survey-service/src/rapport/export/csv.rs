//! Aggregated CSV: one row per item and period, then one per care category and period, the
//! same columns for every period. The XLSX sheets per period use the same rows ([`rijen`]).
//!
//! Columns: `item, versie, categorie, soort, periode, n, antwoord_1 … antwoord_K, weet_ik_niet,
//! gemiddelde, gemiddelde_laag, gemiddelde_hoog, aandeel_eens, aandeel_eens_laag,
//! aandeel_eens_hoog, vergeleken_met, verschil_aandeel_eens, verschil_aandeel_eens_laag,
//! verschil_aandeel_eens_hoog, verschil_gemiddelde, verschil_gemiddelde_laag,
//! verschil_gemiddelde_hoog, oordeel, oordeel_gemiddelde, reden, opmerking, tekst`.
//!
//! - `antwoord_1 … antwoord_5` of a scale item are "helemaal niet akkoord" … "helemaal
//!   akkoord"; of a yes/no item `antwoord_1` = ja and `antwoord_2` = nee; of a choice item the
//!   options in order. K is at least 5 (more when a choice item has more options).
//! - `_laag`/`_hoog` are the 95 % interval (Wilson for shares, t for means).
//! - `vergeleken_met` names the earlier period of the comparison that ends at this row's
//!   period (consecutive periods by default); the `verschil_*` columns are this period minus
//!   that one with their 95 % intervals (Newcombe, Welch); `oordeel` is the verdict on the share
//!   agreeing, `oordeel_gemiddelde` that on the mean (`hoger`, `lager`, `geen duidelijk
//!   verschil`, `niet vergelijkbaar`); `reden` says why something was not compared.
//! - Category rows have `soort` = `categorie`, the category id in `item`, no `versie` and no
//!   answer counts; `n` counts respondents (one score per respondent).
//! - A hidden cell has empty numbers and the reason in `opmerking`.

use std::io::Write;

use super::{afgerond, schrijffout, veilig};
use crate::rapport::{Cel, Interval, Rapport, TE_WEINIG, Verschil};
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
        let s = if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        };
        match self {
            Stijl::Standaard => s,
            Stijl::Nederlands => s.replace('.', ","),
        }
    }
}

/// One field of a row: written as text in CSV, as a number or text in XLSX.
#[derive(Debug, Clone, PartialEq)]
pub enum Veld {
    Leeg,
    Tekst(String),
    /// A count.
    Aantal(u64),
    /// A number with this many decimals.
    Getal(f64, usize),
}

impl Veld {
    pub fn tekst(&self, stijl: Stijl) -> String {
        match self {
            Veld::Leeg => String::new(),
            Veld::Tekst(t) => veilig(t).into_owned(),
            Veld::Aantal(n) => n.to_string(),
            Veld::Getal(x, d) => stijl.getal(*x, *d),
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

/// The columns after the answer counts, in order.
const STATISTIEK: [&str; 17] = [
    "weet_ik_niet",
    "gemiddelde",
    "gemiddelde_laag",
    "gemiddelde_hoog",
    "aandeel_eens",
    "aandeel_eens_laag",
    "aandeel_eens_hoog",
    "vergeleken_met",
    "verschil_aandeel_eens",
    "verschil_aandeel_eens_laag",
    "verschil_aandeel_eens_hoog",
    "verschil_gemiddelde",
    "verschil_gemiddelde_laag",
    "verschil_gemiddelde_hoog",
    "oordeel",
    "oordeel_gemiddelde",
    "reden",
];

/// The header row.
pub fn kop(k: usize) -> Vec<String> {
    let mut kop: Vec<String> = ["item", "versie", "categorie", "soort", "periode", "n"]
        .map(String::from)
        .to_vec();
    kop.extend((1..=k).map(|i| format!("antwoord_{i}")));
    kop.extend(STATISTIEK.map(String::from));
    kop.extend(["opmerking", "tekst"].map(String::from));
    kop
}

fn getal(x: Option<f64>, d: usize) -> Veld {
    x.map_or(Veld::Leeg, |x| Veld::Getal(x, d))
}

fn interval(i: Option<Interval>, d: usize) -> [Veld; 2] {
    match i {
        Some(i) => [Veld::Getal(i.laag, d), Veld::Getal(i.hoog, d)],
        None => [Veld::Leeg, Veld::Leeg],
    }
}

/// The comparison columns for the pair that ends at period `p` (empty if none does).
fn vergelijking(rapport: &Rapport, verschillen: &[Verschil], p: usize) -> Vec<Veld> {
    let gevonden = rapport
        .paren
        .iter()
        .zip(verschillen)
        .find(|(paar, _)| paar.naar == p);
    let Some((paar, v)) = gevonden else {
        return vec![Veld::Leeg; 10];
    };
    let mut velden = vec![Veld::Tekst(rapport.periodes[paar.van].naam.clone())];
    match v {
        Verschil::Vergeleken(v) => {
            let a = &v.aandeel_eens;
            let g = &v.gemiddelde;
            velden.push(Veld::Getal(a.verschil, 3));
            velden.extend(interval(Some(a.interval), 3));
            velden.push(Veld::Getal(g.verschil, 2));
            velden.extend(interval(Some(g.interval), 2));
            velden.push(Veld::Tekst(a.oordeel.tekst().into()));
            velden.push(Veld::Tekst(g.oordeel.tekst().into()));
            velden.push(Veld::Leeg);
        }
        Verschil::NietVergelijkbaar(reden) => {
            velden.extend(std::iter::repeat_n(Veld::Leeg, 6));
            let oordeel = v.oordeel().tekst();
            velden.push(Veld::Tekst(oordeel.into()));
            velden.push(Veld::Tekst(oordeel.into()));
            velden.push(Veld::Tekst(reden.tekst().into()));
        }
    }
    velden
}

/// The rows, per period (items, then categories), with the period index.
pub fn rijen(rapport: &Rapport) -> Vec<(usize, Vec<Veld>)> {
    let k = antwoordkolommen(rapport);
    let mut rijen = Vec::new();
    for (p, periode) in rapport.periodes.iter().enumerate() {
        for item in &rapport.items {
            let cel = &item.per_periode[p];
            let mut rij = vec![
                Veld::Tekst(item.id.clone()),
                cel.versie
                    .map_or(Veld::Leeg, |v| Veld::Aantal(u64::from(v))),
                Veld::Tekst(item.categorie.id().to_string()),
                Veld::Tekst(item.soort.to_string()),
                Veld::Tekst(periode.naam.clone()),
            ];
            let opmerking = match &cel.cijfers {
                Cel::Zichtbaar(c) => {
                    rij.push(Veld::Aantal(c.n));
                    let mut antwoorden = vec![Veld::Leeg; k];
                    let mut weet_niet = Veld::Leeg;
                    let mut i = 0;
                    for ((w, _), aantal) in item.opties.iter().zip(&c.verdeling) {
                        if *w == 0 {
                            weet_niet = Veld::Aantal(*aantal);
                        } else if i < k {
                            antwoorden[i] = Veld::Aantal(*aantal);
                            i += 1;
                        }
                    }
                    rij.extend(antwoorden);
                    rij.push(weet_niet);
                    rij.push(getal(c.gemiddelde, 2));
                    rij.extend(interval(c.gemiddelde_interval, 2));
                    rij.push(getal(c.aandeel_eens, 3));
                    rij.extend(interval(c.aandeel_eens_interval, 3));
                    Veld::Leeg
                }
                Cel::Verborgen => {
                    rij.extend(std::iter::repeat_n(Veld::Leeg, 1 + k + 7));
                    Veld::Tekst(if cel.versie.is_none() {
                        "niet gevraagd in deze periode".to_string()
                    } else {
                        TE_WEINIG.to_string()
                    })
                }
            };
            rij.extend(vergelijking(rapport, &item.verschillen, p));
            rij.push(opmerking);
            rij.push(Veld::Tekst(item.tekst.clone()));
            rijen.push((p, rij));
        }
        for c in &rapport.categorieen {
            let mut rij = vec![
                Veld::Tekst(c.categorie.id().to_string()),
                Veld::Leeg,
                Veld::Tekst(c.categorie.id().to_string()),
                Veld::Tekst("categorie".into()),
                Veld::Tekst(periode.naam.clone()),
            ];
            let opmerking = match &c.per_periode[p] {
                Cel::Zichtbaar(s) => {
                    rij.push(Veld::Aantal(s.n));
                    rij.extend(std::iter::repeat_n(Veld::Leeg, k + 1));
                    rij.push(Veld::Getal(s.gemiddelde, 2));
                    rij.extend(interval(Some(s.gemiddelde_interval), 2));
                    rij.push(Veld::Getal(s.aandeel_eens, 3));
                    rij.extend(interval(Some(s.aandeel_eens_interval), 3));
                    Veld::Leeg
                }
                Cel::Verborgen => {
                    rij.extend(std::iter::repeat_n(Veld::Leeg, 1 + k + 7));
                    Veld::Tekst(TE_WEINIG.to_string())
                }
            };
            rij.extend(vergelijking(rapport, &c.verschillen, p));
            rij.push(opmerking);
            rij.push(Veld::Tekst(c.categorie.kop().to_string()));
            rijen.push((p, rij));
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
    for (_, rij) in rijen(rapport) {
        w.write_record(rij.iter().map(|v| v.tekst(stijl)))
            .map_err(schrijffout)?;
    }
    w.flush().map_err(schrijffout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_never_show_minus_zero() {
        assert_eq!(Stijl::Standaard.getal(-0.0001, 3), "0.000");
        assert_eq!(Stijl::Nederlands.getal(-0.25, 2), "-0,25");
        assert_eq!(Stijl::Nederlands.getal(4.166, 2), "4,17");
    }

    #[test]
    fn the_header_has_the_interval_and_verdict_columns() {
        let k = kop(5);
        assert_eq!(k.len(), 6 + 5 + STATISTIEK.len() + 2);
        for naam in ["aandeel_eens_laag", "verschil_gemiddelde_hoog", "oordeel"] {
            assert!(k.iter().any(|c| c == naam), "{naam}");
        }
    }
}
