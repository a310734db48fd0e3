//! The page "Wat jullie ons vertelden": public survey results from
//! `data/resultaten/<vragenlijst>.json` (written by `zorgenquete export --formaat json`) and the
//! school's own answers from `data/resultaten/<vragenlijst>.toml` ("wat doen we ermee"), both
//! read by [`crate::model::resultaten`].
//!
//! This module turns both into template values: numbers formatted the Dutch way, ready-made
//! SVG charts ([`crate::render::grafiek`], named by elements of the template) and the verdict
//! of the last comparison. Every sentence is in the theme's `resultaten.html` (and
//! `partials/vergelijking.html`), not here: the page says "meer" or "minder" only when the
//! verdict is "hoger" or "lager", otherwise "ongeveer evenveel". Items get stable anchors
//! (`<vragenlijst>-<item>`), so the poster's keys can link to them.

use serde::Serialize;

use crate::model::resultaten::{Antwoorden, Interval, Item, Samenvatting, Verschil};
use crate::render::grafiek::{self, Balk, Deel, Naam, Verdeling, komma, procent};

#[derive(Debug, Clone, Serialize)]
pub struct ResultatenView {
    pub id: String,
    pub titel: String,
    /// "ouders", "collega's".
    pub wie: String,
    pub minimum_groep: u64,
    /// Schema 2: the bars have interval bands and comparisons have verdicts.
    pub met_onzekerheid: bool,
    pub periodes: Vec<PeriodeView>,
    pub categorieen: Vec<CategorieView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodeView {
    pub naam: String,
    /// `None` when hidden.
    pub respondenten: Option<u64>,
    /// "39 %" of those invited, when known.
    pub respons: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategorieView {
    pub id: String,
    pub naam: String,
    pub anker: String,
    pub svg: String,
    /// The chart's id: the template names it with `<grafiek>-t` and `<grafiek>-d`.
    pub grafiek: String,
    /// Text equivalent per period.
    pub rijen: Vec<Rij>,
    pub vergelijking: Option<VergelijkingView>,
    pub wat_doen_we: Option<String>,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub id: String,
    pub anker: String,
    pub tekst: String,
    /// `schaal` (share bars with bands), `janee` or `keuze` (stacked answers).
    pub soort: String,
    pub svg: String,
    /// The chart's id: the template names it with `<grafiek>-t` and `<grafiek>-d`.
    pub grafiek: String,
    pub rijen: Vec<Rij>,
    pub vergelijking: Option<VergelijkingView>,
}

/// One period of an item or category, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct Rij {
    pub periode: String,
    /// `None` when hidden.
    pub n: Option<u64>,
    /// "85 %".
    pub akkoord: Option<String>,
    /// The 95 % interval of `akkoord`: "78 %" and "90 %".
    pub laag: Option<String>,
    pub hoog: Option<String>,
    /// "4,2".
    pub gemiddelde: Option<String>,
    /// "2 helemaal niet akkoord, 5 niet akkoord, …" (items).
    pub verdeling: Option<String>,
}

/// The comparison the page speaks about: the last one in the file.
#[derive(Debug, Clone, Serialize)]
pub struct VergelijkingView {
    pub van: String,
    pub naar: String,
    /// `hoger`, `lager`, `geen duidelijk verschil` or `niet vergelijkbaar`.
    pub oordeel: String,
    /// With `niet vergelijkbaar`: `andere versie`, `niet gevraagd`, `te weinig antwoorden`,
    /// `geen antwoorden op de schaal` or `andere vragen`.
    pub reden: Option<String>,
    /// The share agreeing in both periods ("85 %").
    pub van_akkoord: Option<String>,
    pub naar_akkoord: Option<String>,
}

fn wie(id: &str) -> String {
    match id {
        "ouders" => "ouders".into(),
        "collegas" => "collega's".into(),
        other => other.replace('-', " "),
    }
}

/// The results page's values of every questionnaire with published results.
pub fn views(resultaten: &[(Samenvatting, Antwoorden)]) -> Vec<ResultatenView> {
    resultaten.iter().map(|(s, a)| view(s, a)).collect()
}

/// CSS class per answer label, so charts colour scale answers consistently.
fn klasse(soort: &str, index: usize, antwoord: &str) -> String {
    if antwoord == "weet ik niet" {
        return "g-w0".into();
    }
    match soort {
        "schaal" => format!("g-w{}", index + 1),
        "janee" if index == 0 => "g-w5".into(),
        "janee" => "g-w1".into(),
        _ => format!("g-k{}", index % 6),
    }
}

/// The share bars of one item or category, with their interval bands.
fn staven(id: &str, cellen: &[(String, bool, Option<f64>, Option<Interval>)]) -> String {
    grafiek::staven_met(
        id,
        Naam::Buiten,
        &cellen
            .iter()
            .map(|(periode, verborgen, aandeel, interval)| Balk {
                label: periode.clone(),
                waarde: aandeel.filter(|_| !verborgen),
                tekst: match (verborgen, aandeel) {
                    (false, Some(a)) => procent(*a),
                    (false, None) => "–".into(),
                    (true, _) => String::new(),
                },
                band: interval.filter(|_| !verborgen).map(|[l, h]| (l, h)),
            })
            .collect::<Vec<_>>(),
    )
}

/// The last comparison of the file (schema 2), for the sentence under the chart.
fn vergelijking(
    verschillen: &[Verschil],
    per_periode: &[(&str, Option<f64>)],
) -> Option<VergelijkingView> {
    let v = verschillen.last()?;
    let aandeel = |periode: &str| {
        per_periode
            .iter()
            .find(|(p, _)| *p == periode)
            .and_then(|(_, a)| a.map(procent))
    };
    Some(VergelijkingView {
        van: v.van.clone(),
        naar: v.naar.clone(),
        oordeel: v.oordeel.tekst().to_string(),
        reden: v.reden.map(|r| r.tekst().to_string()),
        van_akkoord: aandeel(&v.van),
        naar_akkoord: aandeel(&v.naar),
    })
}

fn item_view(vragenlijst: &str, item: &Item) -> ItemView {
    let anker = Item::anker(vragenlijst, &item.id);
    let grafiek_id = format!("g-{anker}");
    let rijen: Vec<Rij> = item
        .per_periode
        .iter()
        .map(|c| Rij {
            periode: c.periode.clone(),
            n: c.n.filter(|_| !c.verborgen),
            akkoord: c.aandeel_eens.map(procent),
            laag: c.aandeel_eens_interval.map(|[l, _]| procent(l)),
            hoog: c.aandeel_eens_interval.map(|[_, h]| procent(h)),
            gemiddelde: c.gemiddelde.map(|g| komma(g, 1)),
            verdeling: c.verdeling.as_ref().map(|v| {
                v.iter()
                    .map(|a| format!("{} {}", a.aantal, a.antwoord))
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        })
        .collect();
    let svg = if item.soort == "schaal" {
        staven(
            &grafiek_id,
            &item
                .per_periode
                .iter()
                .map(|c| {
                    (
                        c.periode.clone(),
                        c.verborgen,
                        c.aandeel_eens,
                        c.aandeel_eens_interval,
                    )
                })
                .collect::<Vec<_>>(),
        )
    } else {
        grafiek::verdeling_met(
            &grafiek_id,
            Naam::Buiten,
            &item
                .per_periode
                .iter()
                .map(|c| Verdeling {
                    label: c.periode.clone(),
                    delen: c.verdeling.as_ref().map(|v| {
                        v.iter()
                            .enumerate()
                            .map(|(i, a)| Deel {
                                aantal: a.aantal,
                                klasse: klasse(&item.soort, i, &a.antwoord),
                            })
                            .collect()
                    }),
                })
                .collect::<Vec<_>>(),
        )
    };
    let aandelen: Vec<(&str, Option<f64>)> = item
        .per_periode
        .iter()
        .map(|c| (c.periode.as_str(), c.aandeel_eens))
        .collect();
    ItemView {
        id: item.id.clone(),
        anker,
        tekst: item.tekst.clone(),
        soort: item.soort.clone(),
        svg,
        grafiek: grafiek_id,
        rijen,
        vergelijking: vergelijking(&item.verschillen, &aandelen),
    }
}

fn view(s: &Samenvatting, antwoorden: &Antwoorden) -> ResultatenView {
    let periodes = s
        .periodes
        .iter()
        .map(|p| PeriodeView {
            naam: p.naam.clone(),
            respondenten: p.respondenten.filter(|_| !p.verborgen),
            respons: match (p.respondenten, p.uitgenodigd) {
                (Some(n), Some(u)) if u > 0 && !p.verborgen => Some(procent(n as f64 / u as f64)),
                _ => None,
            },
        })
        .collect();
    let categorieen = s
        .categorieen
        .iter()
        .map(|c| {
            let anker = format!("{}-{}", s.vragenlijst.id, c.id);
            let grafiek_id = format!("g-{anker}");
            let svg = staven(
                &grafiek_id,
                &c.per_periode
                    .iter()
                    .map(|p| {
                        (
                            p.periode.clone(),
                            p.verborgen,
                            p.aandeel_eens,
                            p.aandeel_eens_interval,
                        )
                    })
                    .collect::<Vec<_>>(),
            );
            let rijen = c
                .per_periode
                .iter()
                .map(|p| Rij {
                    periode: p.periode.clone(),
                    n: p.n.filter(|_| !p.verborgen),
                    akkoord: p.aandeel_eens.map(procent),
                    laag: p.aandeel_eens_interval.map(|[l, _]| procent(l)),
                    hoog: p.aandeel_eens_interval.map(|[_, h]| procent(h)),
                    gemiddelde: p.gemiddelde.map(|g| komma(g, 1)),
                    verdeling: None,
                })
                .collect();
            let aandelen: Vec<(&str, Option<f64>)> = c
                .per_periode
                .iter()
                .map(|p| (p.periode.as_str(), p.aandeel_eens))
                .collect();
            CategorieView {
                id: c.id.clone(),
                naam: c.naam.clone(),
                anker,
                svg,
                grafiek: grafiek_id,
                rijen,
                vergelijking: vergelijking(&c.verschillen, &aandelen),
                wat_doen_we: antwoorden
                    .categorie
                    .iter()
                    .find(|a| a.id.get_ref() == &c.id)
                    .map(|a| a.wat_doen_we.trim().to_string()),
                items: s
                    .items
                    .iter()
                    .filter(|i| i.categorie == c.id)
                    .map(|i| item_view(&s.vragenlijst.id, i))
                    .collect(),
            }
        })
        .collect();
    ResultatenView {
        id: s.vragenlijst.id.clone(),
        titel: s.vragenlijst.titel.clone(),
        wie: wie(&s.vragenlijst.id),
        minimum_groep: s.minimum_groep,
        met_onzekerheid: s.schema >= 2,
        periodes,
        categorieen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Source;

    fn samenvatting(schema: u32, verschillen: &str, intervallen: bool) -> Samenvatting {
        let (i1, i2) = if intervallen {
            (
                r#", "aandeel_eens_interval": [0.449, 0.686]"#,
                r#", "aandeel_eens_interval": [0.59, 0.84]"#,
            )
        } else {
            ("", "")
        };
        let text = format!(
            r#"{{ "schema": {schema}, "vragenlijst": {{ "id": "ouders", "titel": "T" }},
  "minimum_groep": 5,
  "periodes": [ {{ "naam": "2024-2025", "respondenten": 63, "uitgenodigd": 100 }},
                {{ "naam": "2025-2026", "respondenten": 45, "uitgenodigd": null }} ],
  "categorieen": [ {{ "id": "leren", "naam": "Leren", "per_periode": [] }} ],
  "items": [ {{ "id": "a", "versie": 1, "categorie": "leren", "soort": "schaal", "tekst": "A",
    "per_periode": [
      {{ "periode": "2024-2025", "versie": 1, "n": 63, "aandeel_eens": 0.571{i1} }},
      {{ "periode": "2025-2026", "versie": 1, "n": 45, "aandeel_eens": 0.733{i2} }} ]
    {verschillen} }} ] }}"#
        );
        Samenvatting::parse(&Source::new("ouders.json", text)).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn the_view_carries_the_verdict_and_the_interval_not_sentences() {
        let s = samenvatting(
            2,
            r#", "verschillen": [ { "van": "2024-2025", "naar": "2025-2026",
              "aandeel_eens": { "verschil": 0.162, "interval": [-0.022, 0.325], "oordeel": "geen duidelijk verschil" },
              "gemiddelde": { "verschil": 0.1, "interval": [-0.2, 0.4], "oordeel": "geen duidelijk verschil" },
              "oordeel": "geen duidelijk verschil" } ]"#,
            true,
        );
        let v = view(&s, &Antwoorden::default());
        assert!(v.met_onzekerheid);
        assert_eq!(v.periodes[0].respons.as_deref(), Some("63 %"));
        assert_eq!(v.periodes[1].respons, None);
        let item = &v.categorieen[0].items[0];
        let vg = item.vergelijking.as_ref().unwrap();
        assert_eq!(vg.oordeel, "geen duidelijk verschil");
        assert_eq!(vg.van_akkoord.as_deref(), Some("57 %"));
        assert_eq!(vg.naar_akkoord.as_deref(), Some("73 %"));
        assert_eq!(item.rijen[1].laag.as_deref(), Some("59 %"));
        assert_eq!(item.rijen[1].hoog.as_deref(), Some("84 %"));
        assert!(item.svg.contains("class=\"g-band\""));
        assert!(
            item.svg
                .contains("aria-labelledby=\"g-ouders-a-t g-ouders-a-d\"")
        );
    }

    #[test]
    fn a_schema_1_file_gives_no_comparison_and_no_band() {
        let s = samenvatting(1, "", false);
        let v = view(&s, &Antwoorden::default());
        assert!(!v.met_onzekerheid);
        let item = &v.categorieen[0].items[0];
        assert!(item.vergelijking.is_none());
        assert!(!item.svg.contains("g-band"));
        assert_eq!(item.rijen[0].akkoord.as_deref(), Some("57 %"));
    }
}
