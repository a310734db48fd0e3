//! XLSX: one sheet per period (the same columns as the CSV) plus a comparison sheet with the
//! mean per period and the change between consecutive periods ("niet vergelijkbaar" when the
//! item's version changed).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::csv::{antwoordkolommen, kop};
use super::{afgerond, veilig};
use crate::rapport::{Cel, Rapport, TE_WEINIG, Verschil};
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
    let vet = Format::new().set_bold();
    let k = antwoordkolommen(rapport);
    let kolommen = kop(k);
    for (p, periode) in rapport.periodes.iter().enumerate() {
        let blad = boek.add_worksheet();
        blad.set_name(bladnaam(&periode.naam)).map_err(fout)?;
        for (c, naam) in kolommen.iter().enumerate() {
            blad.write_string_with_format(0, c as u16, naam, &vet)
                .map_err(fout)?;
        }
        for (r, item) in rapport.items.iter().enumerate() {
            let r = r as u32 + 1;
            let cel = &item.per_periode[p];
            tekst(blad, r, 0, &item.id).map_err(fout)?;
            if let Some(v) = cel.versie {
                blad.write_number(r, 1, f64::from(v)).map_err(fout)?;
            }
            tekst(blad, r, 2, item.categorie.id()).map_err(fout)?;
            tekst(blad, r, 3, item.soort).map_err(fout)?;
            tekst(blad, r, 4, &periode.naam).map_err(fout)?;
            let opmerking_kol = 6 + k as u16 + 3;
            match &cel.cijfers {
                Cel::Zichtbaar(c) => {
                    blad.write_number(r, 5, c.n as f64).map_err(fout)?;
                    let mut i = 0u16;
                    for ((w, _), aantal) in item.opties.iter().zip(&c.verdeling) {
                        let kol = if *w == 0 {
                            6 + k as u16
                        } else {
                            i += 1;
                            5 + i
                        };
                        blad.write_number(r, kol, *aantal as f64).map_err(fout)?;
                    }
                    if let Some(g) = c.gemiddelde {
                        blad.write_number(r, 7 + k as u16, afgerond(g, 2))
                            .map_err(fout)?;
                    }
                    if let Some(a) = c.aandeel_eens {
                        blad.write_number(r, 8 + k as u16, afgerond(a, 3))
                            .map_err(fout)?;
                    }
                }
                Cel::Verborgen => {
                    let reden = if cel.versie.is_none() {
                        "niet gevraagd in deze periode"
                    } else {
                        TE_WEINIG
                    };
                    tekst(blad, r, opmerking_kol, reden).map_err(fout)?;
                }
            }
            tekst(blad, r, opmerking_kol + 1, &item.tekst).map_err(fout)?;
        }
        blad.set_freeze_panes(1, 1).map_err(fout)?;
        blad.autofit();
    }

    // Comparison: item, then per period the mean, then per pair of consecutive periods the change.
    let blad = boek.add_worksheet();
    blad.set_name(VERGELIJKING).map_err(fout)?;
    tekst(blad, 0, 0, "item").map_err(fout)?;
    let np = rapport.periodes.len();
    for (p, periode) in rapport.periodes.iter().enumerate() {
        blad.write_string_with_format(
            0,
            1 + p as u16,
            format!("gemiddelde {}", periode.naam),
            &vet,
        )
        .map_err(fout)?;
    }
    for p in 1..np {
        let titel = format!(
            "verschil {} → {}",
            rapport.periodes[p - 1].naam,
            rapport.periodes[p].naam
        );
        blad.write_string_with_format(0, (np + p) as u16, titel, &vet)
            .map_err(fout)?;
    }
    for (r, item) in rapport.items.iter().enumerate() {
        let r = r as u32 + 1;
        tekst(blad, r, 0, &item.id).map_err(fout)?;
        for (p, cel) in item.per_periode.iter().enumerate() {
            let kol = 1 + p as u16;
            match cel.cijfers.zichtbaar() {
                Some(c) => {
                    if let Some(g) = c.gemiddelde {
                        blad.write_number(r, kol, afgerond(g, 2)).map_err(fout)?;
                    }
                }
                None => tekst(blad, r, kol, TE_WEINIG).map_err(fout)?,
            }
        }
        for p in 1..np {
            let kol = (np + p) as u16;
            match item.verschil(p - 1, p) {
                Verschil::Vergelijkbaar {
                    gemiddelde: Some(d),
                    ..
                } => {
                    blad.write_number(r, kol, afgerond(d, 2)).map_err(fout)?;
                }
                Verschil::Vergelijkbaar { .. } => {}
                Verschil::NietVergelijkbaar => {
                    tekst(blad, r, kol, "niet vergelijkbaar").map_err(fout)?
                }
                Verschil::Verborgen => tekst(blad, r, kol, TE_WEINIG).map_err(fout)?,
            }
        }
    }
    blad.set_freeze_panes(1, 1).map_err(fout)?;
    blad.autofit();
    boek.save_to_buffer().map_err(fout)
}
