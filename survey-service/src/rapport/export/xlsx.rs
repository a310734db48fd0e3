//! XLSX: one sheet per period (the same columns and rows as the CSV, numbers as numbers) plus a
//! comparison sheet: per item and category the share agreeing and the mean per period, then per
//! compared pair the two differences with their 95 % intervals and the verdict ("niet
//! vergelijkbaar" with the reason when the item's version changed or a cell is hidden).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::csv::{Veld, antwoordkolommen, kop, rijen};
use super::{afgerond, veilig};
use crate::rapport::{Rapport, TE_WEINIG, Verschil};
use crate::storage::OpslagFout;

/// Name of the comparison sheet.
pub const VERGELIJKING: &str = "Vergelijking";

fn fout(e: XlsxError) -> OpslagFout {
    OpslagFout::Databank(format!("kan het Excel-bestand niet maken ({e})"))
}

/// Sheet names: at most 31 characters, without `[]:*?/\`.
fn bladnaam(naam: &str) -> String {
    naam.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

fn tekst(blad: &mut Worksheet, r: u32, c: u16, t: &str) -> Result<(), XlsxError> {
    blad.write_string(r, c, veilig(t).as_ref()).map(|_| ())
}

/// The workbook as bytes.
pub fn maak(rapport: &Rapport) -> Result<Vec<u8>, OpslagFout> {
    let mut boek = Workbook::new();
    // A fixed creation date instead of "now": the file says nothing about when it was made,
    // and the same report gives the same bytes (issue 14: two downloads can be compared only
    // to find them equal).
    boek.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1).map_err(fout)?),
    );
    let vet = Format::new().set_bold();
    let kolommen = kop(antwoordkolommen(rapport));
    let alle = rijen(rapport);
    for (p, periode) in rapport.periodes.iter().enumerate() {
        let blad = boek.add_worksheet();
        blad.set_name(bladnaam(&periode.naam)).map_err(fout)?;
        for (c, naam) in kolommen.iter().enumerate() {
            blad.write_string_with_format(0, c as u16, naam, &vet)
                .map_err(fout)?;
        }
        for (r, (_, rij)) in alle.iter().filter(|(q, _)| *q == p).enumerate() {
            let r = r as u32 + 1;
            for (c, veld) in rij.iter().enumerate() {
                let c = c as u16;
                match veld {
                    Veld::Leeg => {}
                    Veld::Tekst(t) => tekst(blad, r, c, t).map_err(fout)?,
                    Veld::Aantal(n) => {
                        blad.write_number(r, c, *n as f64).map_err(fout)?;
                    }
                    Veld::Getal(x, d) => {
                        blad.write_number(r, c, afgerond(*x, *d as i32))
                            .map_err(fout)?;
                    }
                }
            }
        }
        blad.set_freeze_panes(1, 1).map_err(fout)?;
        blad.autofit();
    }

    // Comparison: per item and category the share and mean per period, then per pair.
    let blad = boek.add_worksheet();
    blad.set_name(VERGELIJKING).map_err(fout)?;
    let mut koppen: Vec<String> = vec!["item".into(), "soort".into()];
    for periode in &rapport.periodes {
        koppen.push(format!("akkoord {}", periode.naam));
        koppen.push(format!("gemiddelde {}", periode.naam));
    }
    for paar in &rapport.paren {
        let pijl = format!(
            "{} → {}",
            rapport.periodes[paar.van].naam, rapport.periodes[paar.naar].naam
        );
        koppen.extend([
            format!("verschil akkoord {pijl}"),
            "laag".into(),
            "hoog".into(),
            format!("verschil gemiddelde {pijl}"),
            "laag".into(),
            "hoog".into(),
            format!("oordeel {pijl}"),
        ]);
    }
    for (c, naam) in koppen.iter().enumerate() {
        blad.write_string_with_format(0, c as u16, naam, &vet)
            .map_err(fout)?;
    }
    struct Rij<'a> {
        id: &'a str,
        soort: &'a str,
        per_periode: Vec<Option<(Option<f64>, Option<f64>)>>,
        verschillen: &'a [Verschil],
    }
    let mut rijen_v: Vec<Rij> = rapport
        .items
        .iter()
        .map(|i| Rij {
            id: &i.id,
            soort: i.soort,
            per_periode: i
                .per_periode
                .iter()
                .map(|c| {
                    c.cijfers
                        .zichtbaar()
                        .map(|c| (c.aandeel_eens, c.gemiddelde))
                })
                .collect(),
            verschillen: &i.verschillen,
        })
        .collect();
    rijen_v.extend(rapport.categorieen.iter().map(|c| {
        Rij {
            id: c.categorie.id(),
            soort: "categorie",
            per_periode: c
                .per_periode
                .iter()
                .map(|s| {
                    s.zichtbaar()
                        .map(|s| (Some(s.aandeel_eens), Some(s.gemiddelde)))
                })
                .collect(),
            verschillen: &c.verschillen,
        }
    }));
    let np = rapport.periodes.len() as u16;
    for (r, rij) in rijen_v.iter().enumerate() {
        let r = r as u32 + 1;
        tekst(blad, r, 0, rij.id).map_err(fout)?;
        tekst(blad, r, 1, rij.soort).map_err(fout)?;
        for (p, cel) in rij.per_periode.iter().enumerate() {
            let kol = 2 + 2 * p as u16;
            match cel {
                Some((a, g)) => {
                    if let Some(a) = a {
                        blad.write_number(r, kol, afgerond(*a, 3)).map_err(fout)?;
                    }
                    if let Some(g) = g {
                        blad.write_number(r, kol + 1, afgerond(*g, 2))
                            .map_err(fout)?;
                    }
                }
                None => {
                    tekst(blad, r, kol, TE_WEINIG).map_err(fout)?;
                    tekst(blad, r, kol + 1, TE_WEINIG).map_err(fout)?;
                }
            }
        }
        for (q, v) in rij.verschillen.iter().enumerate() {
            let kol = 2 + 2 * np + 7 * q as u16;
            match v {
                Verschil::Vergeleken(v) => {
                    let (a, g) = (&v.aandeel_eens, &v.gemiddelde);
                    for (i, x) in [
                        afgerond(a.verschil, 3),
                        afgerond(a.interval.laag, 3),
                        afgerond(a.interval.hoog, 3),
                        afgerond(g.verschil, 2),
                        afgerond(g.interval.laag, 2),
                        afgerond(g.interval.hoog, 2),
                    ]
                    .into_iter()
                    .enumerate()
                    {
                        blad.write_number(r, kol + i as u16, x).map_err(fout)?;
                    }
                }
                Verschil::NietVergelijkbaar(reden) => {
                    tekst(blad, r, kol, reden.tekst()).map_err(fout)?;
                }
            }
            tekst(blad, r, kol + 6, v.oordeel().tekst()).map_err(fout)?;
        }
    }
    blad.set_freeze_panes(1, 1).map_err(fout)?;
    blad.autofit();
    boek.save_to_buffer().map_err(fout)
}
