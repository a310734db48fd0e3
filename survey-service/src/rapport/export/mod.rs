//! Exports of a report: aggregated CSV (standard and Dutch-Excel), XLSX, the public JSON
//! summary, and the anonymous raw responses.
//!
//! Every aggregated format is written from a [`Rapport`], so hidden cells stay hidden. The raw
//! export streams straight from the database row by row (flat memory) and leaves out periods
//! below the minimum group entirely.

pub mod csv;
pub mod json;
pub mod opdrachtregel;
pub mod ruw;
pub mod xlsx;

use std::io::Write;

use rusqlite::Connection;

use super::{Keuze, Rapport};
use crate::domain::vragenlijst::Vragenlijst;
use crate::storage::OpslagFout;

/// The export formats of `zorgenquete export --formaat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formaat {
    /// Comma-separated, decimal point, UTF-8.
    Csv,
    /// For Dutch-locale Excel: UTF-8 with BOM, `;`, decimal comma.
    CsvNl,
    /// One sheet per period plus a comparison sheet.
    Xlsx,
    /// The public summary (schema 2) the site generator reads.
    Json,
    /// Anonymous raw responses (CSV), open answers only on request.
    Ruw,
}

impl Formaat {
    pub const ALLE: [Formaat; 5] = [
        Formaat::Csv,
        Formaat::CsvNl,
        Formaat::Xlsx,
        Formaat::Json,
        Formaat::Ruw,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Formaat::Csv => "csv",
            Formaat::CsvNl => "csv-nl",
            Formaat::Xlsx => "xlsx",
            Formaat::Json => "json",
            Formaat::Ruw => "ruw",
        }
    }

    pub fn parse(s: &str) -> Option<Formaat> {
        Formaat::ALLE.into_iter().find(|f| f.id() == s)
    }

    /// File extension for downloads.
    pub fn extensie(self) -> &'static str {
        match self {
            Formaat::Csv | Formaat::CsvNl | Formaat::Ruw => "csv",
            Formaat::Xlsx => "xlsx",
            Formaat::Json => "json",
        }
    }

    /// Content type for downloads.
    pub fn content_type(self) -> &'static str {
        match self {
            Formaat::Csv | Formaat::CsvNl | Formaat::Ruw => "text/csv; charset=utf-8",
            Formaat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Formaat::Json => "application/json",
        }
    }

    /// Whether the output is binary (refused on a terminal).
    pub fn binair(self) -> bool {
        self == Formaat::Xlsx
    }
}

/// What to export.
#[derive(Debug, Clone)]
pub struct Opdracht {
    pub keuze: Keuze,
    pub formaat: Formaat,
    /// Only for [`Formaat::Ruw`]: include the open answers (they may name people).
    pub open_antwoorden: bool,
}

/// Writes one export. Returns notes for the person who asked (e.g. periods left out).
pub fn schrijf(
    conn: &Connection,
    lijst: &Vragenlijst,
    opdracht: &Opdracht,
    uit: &mut dyn Write,
) -> Result<Vec<String>, OpslagFout> {
    crate::storage::vrijgave::in_een_moment(conn, |conn| {
        schrijf_uit(&mut { conn }, lijst, opdracht, uit)
    })
}

/// As [`schrijf`], from one snapshot of either engine.
pub fn schrijf_uit(
    bron: &mut dyn crate::storage::RijBron,
    lijst: &Vragenlijst,
    opdracht: &Opdracht,
    uit: &mut dyn Write,
) -> Result<Vec<String>, OpslagFout> {
    if opdracht.open_antwoorden && opdracht.formaat != Formaat::Ruw {
        return Err(OpslagFout::Geweigerd(
            "open antwoorden kunnen alleen in de ruwe export (--formaat ruw); ze komen nooit in een samenvatting".into(),
        ));
    }
    if opdracht.formaat == Formaat::Ruw {
        return ruw::schrijf_uit(bron, lijst, &opdracht.keuze, opdracht.open_antwoorden, uit);
    }
    let rapport = super::maak_uit(bron, lijst, &opdracht.keuze)?;
    schrijf_rapport(&rapport, opdracht.formaat, uit)
}

/// Writes a summary export ([`Formaat::Csv`], [`Formaat::CsvNl`], [`Formaat::Xlsx`],
/// [`Formaat::Json`]) of a report already made: a school's, or a group's
/// ([`super::groep`]). The raw export needs a school's file and is refused here.
pub fn schrijf_rapport(
    rapport: &Rapport,
    formaat: Formaat,
    uit: &mut dyn Write,
) -> Result<Vec<String>, OpslagFout> {
    let mut notities = verborgen_notities(rapport);
    match formaat {
        Formaat::Csv => csv::schrijf(rapport, csv::Stijl::Standaard, uit),
        Formaat::CsvNl => csv::schrijf(rapport, csv::Stijl::Nederlands, uit),
        Formaat::Xlsx => uit.write_all(&xlsx::maak(rapport)?).map_err(schrijffout),
        Formaat::Json => uit
            .write_all(json::samenvatting(rapport).naar_json().as_bytes())
            .map_err(schrijffout),
        Formaat::Ruw => {
            return Err(OpslagFout::Geweigerd(
                "de ruwe export bestaat alleen per school".into(),
            ));
        }
    }?;
    if rapport.onleesbaar > 0 {
        notities.push(format!(
            "{} antwoorden konden niet gelezen worden en tellen niet mee",
            rapport.onleesbaar
        ));
    }
    Ok(notities)
}

fn verborgen_notities(rapport: &Rapport) -> Vec<String> {
    rapport
        .periodes
        .iter()
        .filter(|p| p.deelname.is_verborgen())
        .map(|p| match p.vrijgave {
            super::Vrijgave::Vrijgegeven => format!(
                "periode {} heeft minder dan {} antwoorden: de cijfers ervan blijven verborgen",
                p.naam,
                rapport.minimum_groep.get()
            ),
            v => format!(
                "periode {} staat er zonder cijfers in: {}",
                p.naam,
                v.tekst()
            ),
        })
        .collect()
}

pub(crate) fn schrijffout(e: impl std::fmt::Display) -> OpslagFout {
    OpslagFout::Databank(format!("kan de export niet schrijven ({e})"))
}

/// Neutralises spreadsheet formulas: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a
/// leading apostrophe, so Excel shows it as text instead of running it.
pub fn veilig(tekst: &str) -> std::borrow::Cow<'_, str> {
    match tekst.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{tekst}").into(),
        _ => tekst.into(),
    }
}

/// Rounded for files: means to 2 decimals, shares to 3. Never `-0` (adding `0.0` turns a
/// negative zero into a positive one).
pub fn afgerond(x: f64, decimalen: i32) -> f64 {
    let f = 10f64.powi(decimalen);
    (x * f).round() / f + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for gevaarlijk in ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(veilig(gevaarlijk).starts_with('\''), "{gevaarlijk}");
        }
        assert_eq!(veilig("Mijn kind"), "Mijn kind");
        assert_eq!(veilig(""), "");
    }

    #[test]
    fn rounding_never_gives_minus_zero() {
        assert_eq!(afgerond(-0.0004, 3).to_string(), "0");
        assert_eq!(afgerond(-0.0006, 3), -0.001);
    }

    #[test]
    fn formats_round_trip_by_name() {
        for f in Formaat::ALLE {
            assert_eq!(Formaat::parse(f.id()), Some(f));
        }
        assert_eq!(Formaat::parse("pdf"), None);
    }
}
