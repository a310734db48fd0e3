//! `data/resultaten/<vragenlijst>.json`: the public summary of a survey (schema 1), and beside
//! it `data/resultaten/<vragenlijst>.toml`: what the school does with the results ([`Antwoorden`]).
//!
//! `zorgenquete export <vragenlijst> --formaat json` writes these files with the same types, so
//! the writer and the reader can never disagree about the format. The reader checks the rules a
//! hand-edited file could break (a hidden cell with numbers, a share above 1, a period that is
//! not listed, an open item) and points at the line.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Source, closest};

/// The only schema version this program reads and writes.
pub const SCHEMA: u32 = 1;
/// Results of fewer respondents are never shown; a file may raise this, never lower it.
pub const MINIMUM_GROEP: u64 = 5;

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Samenvatting {
    pub schema: u32,
    pub vragenlijst: Kop,
    pub minimum_groep: u64,
    /// In chronological (name) order.
    pub periodes: Vec<Periode>,
    pub categorieen: Vec<Categorie>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kop {
    pub id: String,
    pub titel: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Periode {
    pub naam: String,
    /// `null` when the period is hidden (too few respondents).
    pub respondenten: Option<u64>,
    pub uitgenodigd: Option<u64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub verborgen: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Categorie {
    pub id: String,
    pub naam: String,
    pub per_periode: Vec<CategorieCel>,
}

/// A category's score in one period: either hidden, or `n` with the pooled scale numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorieCel {
    pub periode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemiddelde: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aandeel_eens: Option<f64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub verborgen: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    /// The newest version (its text is `tekst`).
    pub versie: u32,
    pub categorie: String,
    /// `schaal`, `janee` or `keuze`; open items never appear here.
    pub soort: String,
    pub tekst: String,
    pub per_periode: Vec<ItemCel>,
}

impl Item {
    /// The stable anchor of this item on the results page (the poster links to it).
    pub fn anker(vragenlijst: &str, item: &str) -> String {
        format!("{vragenlijst}-{item}")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCel {
    pub periode: String,
    /// The version asked in this period; periods compare only with the same version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versie: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdeling: Option<Vec<Aantal>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemiddelde: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aandeel_eens: Option<f64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub verborgen: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aantal {
    pub antwoord: String,
    pub aantal: u64,
}

impl Samenvatting {
    /// Pretty JSON with a final newline, as the exporter writes it.
    pub fn naar_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plain data always serialises");
        s.push('\n');
        s
    }

    /// Reads and checks a summary file. Every problem is reported with its line.
    pub fn parse(source: &Source) -> Result<Samenvatting, Vec<Diagnostic>> {
        let s: Samenvatting = serde_json::from_str(&source.text).map_err(|e| {
            let (line, col) = (e.line(), e.column());
            let bericht = vertaal(&e.to_string());
            vec![
                Diagnostic::error(&source.path, bericht)
                    .with_hint("maak dit bestand opnieuw met `zorgenquete export <vragenlijst> --formaat json -o …`")
                    .at(source, offset(source, line, col)),
            ]
        })?;
        // (text to point at, message); all get the same hint.
        let mut problemen: Vec<(String, String)> = Vec::new();
        let fout = |p: &mut Vec<(String, String)>, zoek: &str, bericht: String| {
            p.push((zoek.to_string(), bericht));
        };
        if s.schema != SCHEMA {
            fout(
                &mut problemen,
                "\"schema\"",
                format!("schema {} kennen we niet (alleen {SCHEMA})", s.schema),
            );
        }
        if s.minimum_groep < MINIMUM_GROEP {
            fout(
                &mut problemen,
                "\"minimum_groep\"",
                format!(
                    "minimum_groep is {}, maar mag nooit kleiner zijn dan {MINIMUM_GROEP}",
                    s.minimum_groep
                ),
            );
        }
        let min = s.minimum_groep.max(MINIMUM_GROEP);
        let namen: Vec<&str> = s.periodes.iter().map(|p| p.naam.as_str()).collect();
        if namen.windows(2).any(|w| w[0] >= w[1]) {
            fout(
                &mut problemen,
                "\"periodes\"",
                "de periodes staan niet in volgorde (of een periode staat er twee keer)".into(),
            );
        }
        for p in &s.periodes {
            let zoek = format!("\"{}\"", p.naam);
            if p.verborgen && p.respondenten.is_some() {
                fout(
                    &mut problemen,
                    &zoek,
                    format!("periode {} is verborgen maar toont toch een aantal", p.naam),
                );
            }
            if !p.verborgen && p.respondenten.is_none_or(|n| n < min) {
                fout(
                    &mut problemen,
                    &zoek,
                    format!(
                        "periode {} heeft minder dan {min} antwoorden en moet verborgen zijn",
                        p.naam
                    ),
                );
            }
        }
        let cel = |problemen: &mut Vec<(String, String)>,
                   periode: &str,
                   n: Option<u64>,
                   verborgen: bool,
                   cijfers: bool,
                   wat: &str,
                   anker: &str| {
            if !namen.contains(&periode) {
                fout(
                    problemen,
                    &format!("{anker}\u{0}\"periode\": \"{periode}\""),
                    format!("{wat}: periode {periode} staat niet bij \"periodes\""),
                );
            } else if verborgen && (n.is_some() || cijfers) {
                fout(
                    problemen,
                    &format!("{anker}\u{0}\"periode\": \"{periode}\""),
                    format!("{wat}, periode {periode}: een verborgen cel mag geen cijfers hebben"),
                );
            } else if !verborgen && n.is_none_or(|n| n < min) {
                fout(
                    problemen,
                    &format!("{anker}\u{0}\"periode\": \"{periode}\""),
                    format!(
                        "{wat}, periode {periode}: minder dan {min} antwoorden moet verborgen zijn"
                    ),
                );
            }
        };
        for c in &s.categorieen {
            for p in &c.per_periode {
                let cijfers = p.gemiddelde.is_some() || p.aandeel_eens.is_some();
                cel(
                    &mut problemen,
                    &p.periode,
                    p.n,
                    p.verborgen,
                    cijfers,
                    &format!("categorie {}", c.id),
                    &format!("\"id\": \"{}\"", c.id),
                );
            }
        }
        for i in &s.items {
            let wat = format!("vraag {}", i.id);
            if !matches!(i.soort.as_str(), "schaal" | "janee" | "keuze") {
                fout(
                    &mut problemen,
                    &format!("\"{}\"", i.id),
                    format!(
                        "{wat} heeft soort `{}`; open vragen horen nooit in de samenvatting",
                        i.soort
                    ),
                );
            }
            for p in &i.per_periode {
                let cijfers =
                    p.verdeling.is_some() || p.gemiddelde.is_some() || p.aandeel_eens.is_some();
                cel(
                    &mut problemen,
                    &p.periode,
                    p.n,
                    p.verborgen,
                    cijfers,
                    &wat,
                    &format!("\"id\": \"{}\"", i.id),
                );
                let buiten = p.gemiddelde.is_some_and(|g| !(1.0..=5.0).contains(&g))
                    || p.aandeel_eens.is_some_and(|a| !(0.0..=1.0).contains(&a));
                if buiten {
                    fout(
                        &mut problemen,
                        &format!("\"{}\"", i.id),
                        format!(
                            "{wat}, periode {}: gemiddelde moet tussen 1 en 5 liggen, aandeel_eens tussen 0 en 1",
                            p.periode
                        ),
                    );
                }
            }
        }
        if problemen.is_empty() {
            return Ok(s);
        }
        Err(problemen
            .into_iter()
            .map(|(zoek, bericht)| {
                let span = zoek_in(&source.text, &zoek);
                source.error_at(span, bericht).with_hint(
                    "maak dit bestand opnieuw met `zorgenquete export`; pas het niet met de hand aan",
                )
            })
            .collect())
    }
}

/// Byte range of `zoek` in the text; `anchor\0needle` finds the needle after the anchor.
/// `data/resultaten/<id>.toml`: what the school does with the results, per category.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Antwoorden {
    #[serde(default)]
    pub categorie: Vec<Antwoord>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Antwoord {
    pub id: toml::Spanned<String>,
    pub wat_doen_we: String,
}

/// Loads every `data/resultaten/*.json` (sorted by name), with its optional `.toml`.
pub fn load_all(root: &Path) -> Result<Vec<(Samenvatting, Antwoorden)>, Vec<Diagnostic>> {
    let map = root.join("data/resultaten");
    let Ok(entries) = std::fs::read_dir(&map) else {
        return Ok(Vec::new());
    };
    let mut paden: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paden.sort();
    let mut views = Vec::new();
    let mut errors = Vec::new();
    for pad in paden {
        let stem = pad
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = match Source::read(&pad, &pad) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let s = match Samenvatting::parse(&source) {
            Ok(s) => s,
            Err(mut d) => {
                errors.append(&mut d);
                continue;
            }
        };
        if s.vragenlijst.id != stem {
            let span = source.find_value("\"id\"", &s.vragenlijst.id);
            errors.push(
                source
                    .error_at(
                        span,
                        format!(
                            "dit bestand heet {stem}.json maar bevat de vragenlijst `{}`",
                            s.vragenlijst.id
                        ),
                    )
                    .with_hint(format!("noem het bestand {}.json", s.vragenlijst.id)),
            );
            continue;
        }
        let toml_pad = pad.with_extension("toml");
        let antwoorden = if toml_pad.exists() {
            match lees_antwoorden(&toml_pad, &s) {
                Ok(a) => a,
                Err(mut d) => {
                    errors.append(&mut d);
                    continue;
                }
            }
        } else {
            Antwoorden::default()
        };
        views.push((s, antwoorden));
    }
    if errors.is_empty() {
        Ok(views)
    } else {
        Err(errors)
    }
}

fn lees_antwoorden(pad: &Path, s: &Samenvatting) -> Result<Antwoorden, Vec<Diagnostic>> {
    let source = Source::read(pad, pad).map_err(|d| vec![d])?;
    let a: Antwoorden = source
        .parse_toml(0..source.text.len())
        .map_err(|d| vec![d])?;
    let ids: Vec<&str> = s.categorieen.iter().map(|c| c.id.as_str()).collect();
    let errors: Vec<Diagnostic> = a
        .categorie
        .iter()
        .filter(|c| !ids.contains(&c.id.get_ref().as_str()))
        .map(|c| {
            let hint = match closest(c.id.get_ref(), ids.iter().copied()) {
                Some(best) => format!("bedoel je `{best}`?"),
                None => format!("kies uit: {}", ids.join(", ")),
            };
            source
                .error_at(
                    c.id.span(),
                    format!(
                        "de categorie `{}` staat niet in de resultaten",
                        c.id.get_ref()
                    ),
                )
                .with_hint(hint)
        })
        .collect();
    if errors.is_empty() {
        Ok(a)
    } else {
        Err(errors)
    }
}

fn zoek_in(text: &str, zoek: &str) -> std::ops::Range<usize> {
    let (anker, naald) = zoek.split_once('\0').unwrap_or(("", zoek));
    let vanaf = text.find(anker).unwrap_or(0);
    text[vanaf..]
        .find(naald)
        .map(|i| vanaf + i)
        .or_else(|| text.find(naald))
        .map_or(0..0, |i| i..i + naald.len())
}

fn offset(source: &Source, line: usize, col: usize) -> std::ops::Range<usize> {
    let start = (source.line_start(line) + col.saturating_sub(1)).min(source.text.len());
    start..start
}

/// serde_json's English messages, translated for the common cases.
fn vertaal(bericht: &str) -> String {
    let kern = bericht.split(" at line ").next().unwrap_or(bericht);
    if let Some(rest) = kern.strip_prefix("unknown field `") {
        let veld = rest.split('`').next().unwrap_or(rest);
        format!("onbekend veld `{veld}`")
    } else if let Some(rest) = kern.strip_prefix("missing field `") {
        let veld = rest.split('`').next().unwrap_or(rest);
        format!("het veld `{veld}` ontbreekt")
    } else if kern.starts_with("invalid type") {
        format!("verkeerd soort waarde ({kern})")
    } else if kern.starts_with("EOF") {
        "het bestand houdt te vroeg op".to_string()
    } else {
        format!("geen geldige JSON ({kern})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOED: &str = r#"{
  "schema": 1,
  "vragenlijst": { "id": "ouders", "titel": "T" },
  "minimum_groep": 5,
  "periodes": [
    { "naam": "2024-2025", "respondenten": 7, "uitgenodigd": 30 },
    { "naam": "2025-2026", "respondenten": null, "uitgenodigd": null, "verborgen": true }
  ],
  "categorieen": [
    { "id": "leren", "naam": "Leren", "per_periode": [
      { "periode": "2024-2025", "n": 7, "gemiddelde": 4.1, "aandeel_eens": 0.8 },
      { "periode": "2025-2026", "verborgen": true } ] }
  ],
  "items": [
    { "id": "a", "versie": 1, "categorie": "leren", "soort": "schaal", "tekst": "A",
      "per_periode": [
        { "periode": "2024-2025", "versie": 1, "n": 7,
          "verdeling": [ { "antwoord": "akkoord", "aantal": 7 } ],
          "gemiddelde": 4.0, "aandeel_eens": 1.0 },
        { "periode": "2025-2026", "versie": 1, "verborgen": true } ] }
  ]
}"#;

    #[test]
    fn reads_a_valid_summary_and_writes_it_back_the_same() {
        let s = Samenvatting::parse(&Source::new("ouders.json", GOED)).unwrap();
        assert_eq!(s.items[0].per_periode[1].n, None);
        let terug = Samenvatting::parse(&Source::new("x.json", s.naar_json())).unwrap();
        assert_eq!(terug, s);
    }

    #[test]
    fn hidden_cells_with_numbers_and_small_groups_are_refused_with_a_line() {
        let fout = GOED.replace(
            r#"{ "periode": "2025-2026", "verborgen": true }"#,
            r#"{ "periode": "2025-2026", "n": 3 }"#,
        );
        let d = Samenvatting::parse(&Source::new("ouders.json", fout)).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("verborgen"), "{}", d[0].message);
        assert_eq!(d[0].line, 12);

        let fout = GOED.replace("\"minimum_groep\": 5", "\"minimum_groep\": 3");
        let d = Samenvatting::parse(&Source::new("ouders.json", fout)).unwrap_err();
        assert!(d[0].message.contains("nooit kleiner"));
        assert_eq!(d[0].line, 4);
    }

    #[test]
    fn syntax_errors_and_unknown_fields_are_located_in_dutch() {
        let fout = GOED.replace("\"tekst\": \"A\"", "\"tekst\": \"A\", \"open\": 1");
        let d = Samenvatting::parse(&Source::new("ouders.json", fout)).unwrap_err();
        assert!(
            d[0].message.contains("onbekend veld `open`"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].line, 15);
        let d = Samenvatting::parse(&Source::new("ouders.json", "{\"schema\": 1,")).unwrap_err();
        assert_eq!(d[0].line, 1);
    }
}
