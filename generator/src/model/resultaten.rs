//! `data/resultaten/<vragenlijst>.json`: the public summary of a survey (schema 2; schema 1
//! files are still read), and beside it `data/resultaten/<vragenlijst>.toml`: what the school
//! does with the results ([`Antwoorden`]).
//!
//! `zorgenquete export <vragenlijst> --formaat json` writes these files with the same types, so
//! the writer and the reader can never disagree about the format. The reader checks the rules a
//! hand-edited file could break (a hidden cell with numbers, a share above 1, a period that is
//! not listed, an open item, an interval that does not hold its number, a verdict "hoger" whose
//! interval includes 0) and points at the line.
//!
//! Schema 2 adds uncertainty (see `zorgenquete::rapport::statistiek` for how it is computed):
//! per shown cell `aandeel_eens_interval` and `gemiddelde_interval` (95 %, `[laag, hoog]`), and
//! per item and per category `verschillen`: one entry per compared pair of periods with the
//! difference (later minus earlier) of the share agreeing and of the mean, each with its 95 %
//! interval, and the verdict [`Oordeel`]. Schema 1 files have none of these; the site then shows
//! the numbers without saying whether anything changed.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Source, closest};

/// The schema version this program writes.
pub const SCHEMA: u32 = 2;
/// The schema versions this program reads.
pub const SCHEMAS: [u32; 2] = [1, 2];
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
    /// Schema 2: one entry per compared pair of periods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verschillen: Vec<Verschil>,
}

/// A category's score in one period: either hidden, or `n` respondents with the numbers of one
/// score per respondent (the mean of that person's scale answers on the category's shown items).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorieCel {
    pub periode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemiddelde: Option<f64>,
    /// Schema 2: the 95 % t interval of the mean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemiddelde_interval: Option<Interval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aandeel_eens: Option<f64>,
    /// Schema 2: the 95 % Wilson interval of the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aandeel_eens_interval: Option<Interval>,
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
    /// Schema 2: one entry per compared pair of periods (scale items only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verschillen: Vec<Verschil>,
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
    /// Schema 2: the 95 % t interval of the mean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemiddelde_interval: Option<Interval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aandeel_eens: Option<f64>,
    /// Schema 2: the 95 % Wilson interval of the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aandeel_eens_interval: Option<Interval>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub verborgen: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aantal {
    pub antwoord: String,
    pub aantal: u64,
}

/// A 95 % interval as `[laag, hoog]`.
pub type Interval = [f64; 2];

/// The verdict on a difference between two periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Oordeel {
    /// Higher, beyond chance (also after the correction for comparing many items at once).
    #[serde(rename = "hoger")]
    Hoger,
    /// Lower, beyond chance.
    #[serde(rename = "lager")]
    Lager,
    /// The difference may well be chance.
    #[serde(rename = "geen duidelijk verschil")]
    GeenDuidelijkVerschil,
    /// Not compared: see [`Reden`].
    #[serde(rename = "niet vergelijkbaar")]
    NietVergelijkbaar,
}

impl Oordeel {
    pub const ALLE: [Oordeel; 4] = [
        Oordeel::Hoger,
        Oordeel::Lager,
        Oordeel::GeenDuidelijkVerschil,
        Oordeel::NietVergelijkbaar,
    ];

    /// The word as it is written in files and shown to people.
    pub fn tekst(self) -> &'static str {
        match self {
            Oordeel::Hoger => "hoger",
            Oordeel::Lager => "lager",
            Oordeel::GeenDuidelijkVerschil => "geen duidelijk verschil",
            Oordeel::NietVergelijkbaar => "niet vergelijkbaar",
        }
    }
}

impl std::fmt::Display for Oordeel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tekst())
    }
}

/// Why two periods were not compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reden {
    /// The item's version differs between the two periods.
    #[serde(rename = "andere versie")]
    AndereVersie,
    /// The item was not asked (or not answered at all) in one of the two periods.
    #[serde(rename = "niet gevraagd")]
    NietGevraagd,
    /// One of the two cells is hidden: too few answers.
    #[serde(rename = "te weinig antwoorden")]
    TeWeinig,
    /// One of the two cells has only "weet ik niet".
    #[serde(rename = "geen antwoorden op de schaal")]
    GeenSchaalantwoorden,
    /// A category: the items (or item versions) that count differ between the two periods.
    #[serde(rename = "andere vragen")]
    AndereVragen,
}

impl Reden {
    /// The words as written in files.
    pub fn tekst(self) -> &'static str {
        match self {
            Reden::AndereVersie => "andere versie",
            Reden::NietGevraagd => "niet gevraagd",
            Reden::TeWeinig => "te weinig antwoorden",
            Reden::GeenSchaalantwoorden => "geen antwoorden op de schaal",
            Reden::AndereVragen => "andere vragen",
        }
    }
}

/// The difference between two periods (schema 2): `naar` minus `van`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verschil {
    pub van: String,
    pub naar: String,
    /// The share agreeing (absent when not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aandeel_eens: Option<Maat>,
    /// The mean 1-5 (absent when not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemiddelde: Option<Maat>,
    /// The verdict on the share agreeing: the number the site and the dashboard speak about.
    pub oordeel: Oordeel,
    /// Only with `"niet vergelijkbaar"`: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reden: Option<Reden>,
}

/// One compared number: the difference, its unadjusted 95 % interval, and the verdict on it
/// (the verdict accounts for comparing many items at once; the interval does not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Maat {
    pub verschil: f64,
    pub interval: Interval,
    pub oordeel: Oordeel,
}

/// What the checks need of one cell, a category's or an item's alike.
struct Cel<'a> {
    periode: &'a str,
    n: Option<u64>,
    verborgen: bool,
    /// The cell has any number besides `n` (a hidden cell may have none).
    cijfers: bool,
    waarden: Waarden,
}

/// The [`Cel`] of a [`CategorieCel`] or an [`ItemCel`] (same field names); `meer`: other numbers
/// the cell kind has (an item's `verdeling`).
macro_rules! cel {
    ($c:expr, $meer:expr) => {{
        let c = $c;
        let waarden = Waarden {
            gemiddelde: c.gemiddelde,
            gemiddelde_interval: c.gemiddelde_interval,
            aandeel_eens: c.aandeel_eens,
            aandeel_eens_interval: c.aandeel_eens_interval,
        };
        Cel {
            periode: &c.periode,
            n: c.n,
            verborgen: c.verborgen,
            cijfers: $meer || waarden.iets(),
            waarden,
        }
    }};
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
        if !SCHEMAS.contains(&s.schema) {
            fout(
                &mut problemen,
                "\"schema\"",
                format!("schema {} kennen we niet (alleen 1 en {SCHEMA})", s.schema),
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
        let schema2 = s.schema >= 2;
        // One series of cells (a category's or an item's): each cell, then the comparisons.
        let reeks = |problemen: &mut Vec<(String, String)>,
                     wat: &str,
                     anker: &str,
                     cellen: &[Cel],
                     lijst: &[Verschil]| {
            for c in cellen {
                let periode = c.periode;
                let zoek = format!("{anker}\u{0}\"periode\": \"{periode}\"");
                if !namen.contains(&periode) {
                    fout(
                        problemen,
                        &zoek,
                        format!("{wat}: periode {periode} staat niet bij \"periodes\""),
                    );
                } else if c.verborgen && (c.n.is_some() || c.cijfers) {
                    fout(
                        problemen,
                        &zoek,
                        format!(
                            "{wat}, periode {periode}: een verborgen cel mag geen cijfers hebben"
                        ),
                    );
                } else if !c.verborgen && c.n.is_none_or(|n| n < min) {
                    fout(
                        problemen,
                        &zoek,
                        format!(
                            "{wat}, periode {periode}: minder dan {min} antwoorden moet verborgen zijn"
                        ),
                    );
                }
                waarden_kloppen(problemen, &c.waarden, schema2, wat, anker, periode);
            }
            let verborgen = |periode: &str| {
                cellen
                    .iter()
                    .find(|c| c.periode == periode)
                    .is_none_or(|c| c.verborgen)
            };
            verschillen(problemen, &namen, schema2, wat, anker, lijst, verborgen);
        };
        for c in &s.categorieen {
            let cellen: Vec<Cel> = c.per_periode.iter().map(|p| cel!(p, false)).collect();
            reeks(
                &mut problemen,
                &format!("categorie {}", c.id),
                &format!("\"id\": \"{}\"", c.id),
                &cellen,
                &c.verschillen,
            );
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
            let cellen: Vec<Cel> = (i.per_periode.iter())
                .map(|p| cel!(p, p.verdeling.is_some()))
                .collect();
            reeks(
                &mut problemen,
                &wat,
                &format!("\"id\": \"{}\"", i.id),
                &cellen,
                &i.verschillen,
            );
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

/// The numbers of one shown cell, for the checks both cell kinds share.
struct Waarden {
    gemiddelde: Option<f64>,
    gemiddelde_interval: Option<Interval>,
    aandeel_eens: Option<f64>,
    aandeel_eens_interval: Option<Interval>,
}

impl Waarden {
    /// Any of the numbers is there.
    fn iets(&self) -> bool {
        self.gemiddelde.is_some()
            || self.aandeel_eens.is_some()
            || self.gemiddelde_interval.is_some()
            || self.aandeel_eens_interval.is_some()
    }

    /// What is wrong with these numbers (Dutch, without the cell's name).
    fn problemen(&self, schema2: bool) -> Vec<String> {
        let mut uit = Vec::new();
        let buiten = self.gemiddelde.is_some_and(|g| !(1.0..=5.0).contains(&g))
            || self.aandeel_eens.is_some_and(|a| !(0.0..=1.0).contains(&a));
        if buiten {
            uit.push(
                "gemiddelde moet tussen 1 en 5 liggen, aandeel_eens tussen 0 en 1".to_string(),
            );
        }
        let paren = [
            (
                "gemiddelde",
                self.gemiddelde,
                self.gemiddelde_interval,
                1.0,
                5.0,
            ),
            (
                "aandeel_eens",
                self.aandeel_eens,
                self.aandeel_eens_interval,
                0.0,
                1.0,
            ),
        ];
        for (naam, waarde, interval, laagst, hoogst) in paren {
            match (schema2, waarde, interval) {
                (false, _, Some(_)) => uit.push(format!(
                    "{naam}_interval bestaat pas in schema {SCHEMA}; zet \"schema\": {SCHEMA}"
                )),
                (true, Some(_), None) => uit.push(format!("{naam} heeft geen {naam}_interval")),
                (true, None, Some(_)) => uit.push(format!("{naam}_interval zonder {naam}")),
                (true, Some(w), Some([laag, hoog]))
                    if !(laagst <= laag && laag <= w && w <= hoog && hoog <= hoogst) =>
                {
                    uit.push(format!(
                        "{naam}_interval [{laag}, {hoog}] moet {w} bevatten en tussen {laagst} en {hoogst} liggen"
                    ))
                }
                _ => {}
            }
        }
        uit
    }
}

/// The numbers of one shown or hidden cell (an item's or a category's, in one period) must be
/// consistent with each other and with the schema; every problem is reported at the cell.
fn waarden_kloppen(
    problemen: &mut Vec<(String, String)>,
    waarden: &Waarden,
    schema2: bool,
    wat: &str,
    anker: &str,
    periode: &str,
) {
    for bericht in waarden.problemen(schema2) {
        problemen.push((
            format!("{anker}\u{0}\"periode\": \"{periode}\""),
            format!("{wat}, periode {periode}: {bericht}"),
        ));
    }
}

/// Checks the `verschillen` of one item or category.
fn verschillen(
    problemen: &mut Vec<(String, String)>,
    namen: &[&str],
    schema2: bool,
    wat: &str,
    anker: &str,
    lijst: &[Verschil],
    verborgen: impl Fn(&str) -> bool,
) {
    for v in lijst {
        let zoek = format!("{anker}\u{0}\"naar\": \"{}\"", v.naar);
        let mut fout = |bericht: String| {
            problemen.push((
                zoek.clone(),
                format!("{wat}, verschil {} → {}: {bericht}", v.van, v.naar),
            ));
        };
        if !schema2 {
            fout(format!(
                "verschillen bestaan pas in schema {SCHEMA}; zet \"schema\": {SCHEMA}"
            ));
            continue;
        }
        if !namen.contains(&v.van.as_str()) || !namen.contains(&v.naar.as_str()) {
            fout("beide periodes moeten bij \"periodes\" staan".into());
            continue;
        }
        if v.van == v.naar {
            fout("een periode kan niet met zichzelf vergeleken worden".into());
        }
        if v.oordeel == Oordeel::NietVergelijkbaar {
            if v.reden.is_none() {
                fout("\"niet vergelijkbaar\" vraagt een \"reden\"".into());
            }
            if v.aandeel_eens.is_some() || v.gemiddelde.is_some() {
                fout("wat niet vergelijkbaar is, heeft geen verschil".into());
            }
            continue;
        }
        if v.reden.is_some() {
            fout("een \"reden\" hoort alleen bij \"niet vergelijkbaar\"".into());
        }
        if verborgen(&v.van) || verborgen(&v.naar) {
            fout("een verborgen cel kan niet vergeleken worden".into());
        }
        let (Some(aandeel), Some(gemiddelde)) = (&v.aandeel_eens, &v.gemiddelde) else {
            fout("een vergelijking heeft aandeel_eens en gemiddelde".into());
            continue;
        };
        if v.oordeel != aandeel.oordeel {
            fout(format!(
                "het oordeel \"{}\" moet dat van aandeel_eens zijn (\"{}\")",
                v.oordeel, aandeel.oordeel
            ));
        }
        for (naam, m, grens) in [
            ("aandeel_eens", aandeel, 1.0),
            ("gemiddelde", gemiddelde, 4.0),
        ] {
            let [laag, hoog] = m.interval;
            if !(-grens <= laag && laag <= m.verschil && m.verschil <= hoog && hoog <= grens) {
                fout(format!(
                    "{naam}: het interval [{laag}, {hoog}] moet het verschil {} bevatten en tussen -{grens} en {grens} liggen",
                    m.verschil
                ));
            }
            let eerlijk = match m.oordeel {
                // ≥ rather than >: a bound of 0.0004 is written as 0.0.
                Oordeel::Hoger => laag >= 0.0 && m.verschil >= 0.0,
                Oordeel::Lager => hoog <= 0.0 && m.verschil <= 0.0,
                Oordeel::GeenDuidelijkVerschil => true,
                Oordeel::NietVergelijkbaar => false,
            };
            if !eerlijk {
                fout(format!(
                    "{naam}: het oordeel \"{}\" past niet bij het verschil {} en het interval [{laag}, {hoog}]",
                    m.oordeel, m.verschil
                ));
            }
        }
    }
}

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

/// The planned actions of one questionnaire for the dashboard's meeting report:
/// `<root>/data/resultaten/<vragenlijst>.toml`, the same file the results page reads, checked
/// without its JSON (the care team writes the actions before results are published). `None`
/// when there is no such file. Errors are located (`file:line:col`), with a hint.
pub fn lees_acties(root: &Path, vragenlijst: &str) -> Result<Option<Antwoorden>, Vec<Diagnostic>> {
    let pad = root
        .join("data/resultaten")
        .join(format!("{vragenlijst}.toml"));
    if !pad.exists() {
        return Ok(None);
    }
    let display = Path::new(root.file_name().unwrap_or(root.as_os_str()))
        .join("data/resultaten")
        .join(format!("{vragenlijst}.toml"));
    let source = Source::read(&pad, display).map_err(|d| vec![d])?;
    let a: Antwoorden = source
        .parse_toml(0..source.text.len())
        .map_err(|d| vec![d])?;
    let ids: Vec<&str> = crate::model::vragenlijst::Categorie::ALLE
        .iter()
        .map(|c| c.id())
        .collect();
    let mut errors = Vec::new();
    for (i, c) in a.categorie.iter().enumerate() {
        let id = c.id.get_ref().as_str();
        if !ids.contains(&id) {
            let hint = match closest(id, ids.iter().copied()) {
                Some(best) => format!("bedoel je `{best}`?"),
                None => format!("kies uit: {}", ids.join(", ")),
            };
            errors.push(
                source
                    .error_at(c.id.span(), format!("onbekende categorie `{id}`"))
                    .with_hint(hint),
            );
        } else if a.categorie[..i].iter().any(|e| e.id.get_ref() == id) {
            errors.push(
                source
                    .error_at(
                        c.id.span(),
                        format!("de categorie `{id}` staat er twee keer"),
                    )
                    .with_hint("zet alle acties van een categorie in één `wat_doen_we`"),
            );
        }
    }
    if errors.is_empty() {
        Ok(Some(a))
    } else {
        Err(errors)
    }
}

/// Byte range of `zoek` in the text; `anchor\0needle` finds the needle after the anchor.
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

    #[test]
    fn planned_actions_are_read_without_the_json_and_bad_categories_are_located() {
        let root = std::env::temp_dir().join(format!("zorgsite-acties-{}", std::process::id()));
        let map = root.join("data/resultaten");
        std::fs::create_dir_all(&map).unwrap();
        assert!(lees_acties(&root, "ouders").unwrap().is_none());
        std::fs::write(
            map.join("ouders.toml"),
            "[[categorie]]\nid = \"leren\"\nwat_doen_we = \"Tips op het oudercontact.\"\n",
        )
        .unwrap();
        let a = lees_acties(&root, "ouders").unwrap().unwrap();
        assert_eq!(a.categorie[0].wat_doen_we, "Tips op het oudercontact.");
        std::fs::write(
            map.join("ouders.toml"),
            "[[categorie]]\nid = \"leren\"\nwat_doen_we = \"a\"\n\n[[categorie]]\nid = \"welbevinde\"\nwat_doen_we = \"b\"\n\n[[categorie]]\nid = \"leren\"\nwat_doen_we = \"c\"\n",
        )
        .unwrap();
        let errs = lees_acties(&root, "ouders").unwrap_err();
        let gevonden: Vec<(usize, usize, &str)> = errs
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            gevonden,
            [
                (6, 6, "onbekende categorie `welbevinde`"),
                (10, 6, "de categorie `leren` staat er twee keer")
            ]
        );
        assert_eq!(errs[0].hint.as_deref(), Some("bedoel je `welbevinden`?"));
        assert!(
            errs[0]
                .to_string()
                .contains("data/resultaten/ouders.toml:6:6"),
            "{}",
            errs[0]
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// The problems found in a summary that must be refused.
    fn fouten(tekst: &str) -> Vec<Diagnostic> {
        Samenvatting::parse(&Source::new("ouders.json", tekst)).unwrap_err()
    }

    /// The first problem found in `basis` with `van` replaced by `naar`.
    fn eerste_fout(basis: &str, van: &str, naar: &str) -> Diagnostic {
        let tekst = basis.replace(van, naar);
        assert_ne!(tekst, basis, "`{van}` is not in the file");
        fouten(&tekst).remove(0)
    }

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
        let d = fouten(&fout);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("verborgen"), "{}", d[0].message);
        assert_eq!(d[0].line, 12);

        let fout = GOED.replace("\"minimum_groep\": 5", "\"minimum_groep\": 3");
        let d = fouten(&fout);
        assert!(d[0].message.contains("nooit kleiner"));
        assert_eq!(d[0].line, 4);
    }

    const GOED2: &str = r#"{
  "schema": 2,
  "vragenlijst": { "id": "ouders", "titel": "T" },
  "minimum_groep": 5,
  "periodes": [
    { "naam": "2024-2025", "respondenten": 63, "uitgenodigd": 100 },
    { "naam": "2025-2026", "respondenten": 45, "uitgenodigd": 100 }
  ],
  "categorieen": [],
  "items": [
    { "id": "a", "versie": 1, "categorie": "leren", "soort": "schaal", "tekst": "A",
      "per_periode": [
        { "periode": "2024-2025", "versie": 1, "n": 63, "gemiddelde": 3.7,
          "gemiddelde_interval": [3.45, 3.95], "aandeel_eens": 0.571,
          "aandeel_eens_interval": [0.449, 0.686] },
        { "periode": "2025-2026", "versie": 1, "n": 45, "gemiddelde": 4.0,
          "gemiddelde_interval": [3.7, 4.3], "aandeel_eens": 0.733,
          "aandeel_eens_interval": [0.59, 0.84] } ],
      "verschillen": [
        { "van": "2024-2025", "naar": "2025-2026",
          "aandeel_eens": { "verschil": 0.162, "interval": [-0.022, 0.325],
                            "oordeel": "geen duidelijk verschil" },
          "gemiddelde": { "verschil": 0.3, "interval": [-0.08, 0.68],
                          "oordeel": "geen duidelijk verschil" },
          "oordeel": "geen duidelijk verschil" } ] }
  ]
}"#;

    #[test]
    fn reads_schema_2_with_intervals_and_verdicts() {
        let s = Samenvatting::parse(&Source::new("ouders.json", GOED2)).unwrap();
        let v = &s.items[0].verschillen[0];
        assert_eq!(v.oordeel, Oordeel::GeenDuidelijkVerschil);
        assert_eq!(v.aandeel_eens.as_ref().unwrap().interval, [-0.022, 0.325]);
        assert_eq!(
            s.items[0].per_periode[1].aandeel_eens_interval,
            Some([0.59, 0.84])
        );
        let terug = Samenvatting::parse(&Source::new("x.json", s.naar_json())).unwrap();
        assert_eq!(terug, s);
    }

    #[test]
    fn a_verdict_that_its_interval_does_not_support_is_refused() {
        // "hoger" while the interval runs from -2 to +33 points: the dishonest edit the
        // verdicts exist to prevent.
        let fout = GOED2.replacen(
            "\"oordeel\": \"geen duidelijk verschil\" },\n          \"gemiddelde\"",
            "\"oordeel\": \"hoger\" },\n          \"gemiddelde\"",
            1,
        );
        let d = fouten(&fout);
        assert!(
            d.iter()
                .any(|d| d.message.contains("past niet bij het verschil")),
            "{d:?}"
        );
        assert!(
            d.iter()
                .any(|d| d.message.contains("moet dat van aandeel_eens zijn"))
        );
        assert_eq!(d[0].line, 20, "the line of the difference: {d:?}");
        // An interval that does not hold its number.
        let d = eerste_fout(GOED2, "[0.59, 0.84]", "[0.75, 0.84]");
        assert!(d.message.contains("moet 0.733 bevatten"), "{d:?}");
        // A shown cell without its interval in schema 2.
        let zonder = ",\n          \"aandeel_eens_interval\": [0.449, 0.686]";
        let d = eerste_fout(GOED2, zonder, "");
        assert!(d.message.contains("geen aandeel_eens_interval"), "{d:?}");
        // "niet vergelijkbaar" needs a reason and no numbers.
        let v = r#"{ "van": "2024-2025", "naar": "2025-2026", "oordeel": "niet vergelijkbaar" }"#;
        let start = GOED2.find("{ \"van\"").unwrap();
        let eind = GOED2.rfind("} ]").unwrap();
        let fout = format!("{}{v} ]{}", &GOED2[..start], &GOED2[eind + 3..]);
        let d = fouten(&fout);
        assert!(d[0].message.contains("vraagt een \"reden\""), "{d:?}");
    }

    #[test]
    fn schema_1_has_no_intervals_or_differences() {
        let met = "\"gemiddelde\": 4.0, \"gemiddelde_interval\": [3.5, 4.5],";
        let d = eerste_fout(GOED, "\"gemiddelde\": 4.0,", met);
        assert!(d.message.contains("bestaat pas in schema 2"), "{d:?}");
        let d = eerste_fout(GOED, "\"schema\": 1", "\"schema\": 3");
        assert!(d.message.contains("schema 3 kennen we niet"), "{d:?}");
    }

    #[test]
    fn syntax_errors_and_unknown_fields_are_located_in_dutch() {
        let fout = GOED.replace("\"tekst\": \"A\"", "\"tekst\": \"A\", \"open\": 1");
        let d = fouten(&fout);
        assert!(
            d[0].message.contains("onbekend veld `open`"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].line, 15);
        let d = fouten("{\"schema\": 1,");
        assert_eq!(d[0].line, 1);
    }
}
