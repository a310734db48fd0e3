//! The page "Wat jullie ons vertelden": public survey results from
//! `data/resultaten/<vragenlijst>.json` (written by `zorgenquete export --formaat json`) and the
//! school's own answers from `data/resultaten/<vragenlijst>.toml` ("wat doen we ermee"), both
//! read by [`crate::model::resultaten`].
//!
//! This module turns both into template values with ready-made SVG charts ([`crate::render::grafiek`])
//! and text equivalents. Items get stable anchors (`<vragenlijst>-<item>`), so the poster's keys
//! can link to them.

use serde::Serialize;

use crate::model::resultaten::{Antwoorden, Item, ItemCel, Samenvatting};
use crate::render::grafiek::{self, Balk, Deel, TE_WEINIG, Verdeling, komma, procent};

#[derive(Debug, Clone, Serialize)]
pub struct ResultatenView {
    pub id: String,
    pub titel: String,
    /// "ouders", "collega's".
    pub wie: String,
    pub periodes: Vec<PeriodeView>,
    pub categorieen: Vec<CategorieView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodeView {
    pub naam: String,
    /// "118 ouders (39 % van wie we uitnodigden)" or the hidden text.
    pub deelname: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategorieView {
    pub id: String,
    pub naam: String,
    pub anker: String,
    pub svg: String,
    /// Text equivalent per period.
    pub rijen: Vec<CategorieRij>,
    pub wat_doen_we: Option<String>,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategorieRij {
    pub periode: String,
    pub tekst: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub id: String,
    pub anker: String,
    pub tekst: String,
    pub svg: String,
    pub rijen: Vec<ItemRij>,
    /// "Meer ouders akkoord dan vorig jaar: 85 % → 95 %", or why there is no comparison.
    pub vergelijking: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemRij {
    pub periode: String,
    /// `None` when hidden.
    pub n: Option<u64>,
    pub akkoord: Option<String>,
    pub gemiddelde: Option<String>,
    /// "2 helemaal niet akkoord, 5 niet akkoord, …".
    pub verdeling: Option<String>,
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

fn item_view(vragenlijst: &str, wie_: &str, item: &Item) -> ItemView {
    let anker = Item::anker(vragenlijst, &item.id);
    let rijen: Vec<ItemRij> = item
        .per_periode
        .iter()
        .map(|c| ItemRij {
            periode: c.periode.clone(),
            n: c.n.filter(|_| !c.verborgen),
            akkoord: c.aandeel_eens.map(procent),
            gemiddelde: c.gemiddelde.map(|g| komma(g, 1)),
            verdeling: c.verdeling.as_ref().map(|v| {
                v.iter()
                    .map(|a| format!("{} {}", a.aantal, a.antwoord))
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        })
        .collect();
    let svg = grafiek::verdeling(
        &format!("g-{anker}"),
        &format!("Antwoorden per periode: {}", item.tekst),
        "De antwoorden per periode als gestapelde balk; de tabel eronder geeft dezelfde aantallen.",
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
    );
    ItemView {
        id: item.id.clone(),
        anker,
        tekst: item.tekst.clone(),
        svg,
        rijen,
        vergelijking: vergelijking(wie_, &item.per_periode),
    }
}

/// Compares the last two periods, only when both are shown and asked the same version.
fn vergelijking(wie: &str, cellen: &[ItemCel]) -> Option<String> {
    let [.., vorige, laatste] = cellen else {
        return None;
    };
    if vorige.verborgen || laatste.verborgen {
        return None;
    }
    if vorige.versie != laatste.versie {
        return Some(format!(
            "Niet vergelijkbaar met {}: de vraag is intussen veranderd.",
            vorige.periode
        ));
    }
    let (a, b) = (vorige.aandeel_eens?, laatste.aandeel_eens?);
    let verschil = ((b - a) * 100.0).round();
    let woord = if verschil > 0.0 {
        "meer"
    } else if verschil < 0.0 {
        "minder"
    } else {
        return Some(format!(
            "Evenveel {wie} akkoord als in {}: {}.",
            vorige.periode,
            procent(b)
        ));
    };
    Some(format!(
        "{} {wie} akkoord dan in {}: {} → {}.",
        if woord == "meer" { "Meer" } else { "Minder" },
        vorige.periode,
        procent(a),
        procent(b)
    ))
}

fn view(s: &Samenvatting, antwoorden: &Antwoorden) -> ResultatenView {
    let wie_ = wie(&s.vragenlijst.id);
    let periodes = s
        .periodes
        .iter()
        .map(|p| PeriodeView {
            naam: p.naam.clone(),
            deelname: match (p.respondenten, p.uitgenodigd) {
                (Some(n), Some(u)) if u > 0 && !p.verborgen => format!(
                    "{n} {wie_} vulden de bevraging in ({} van wie we uitnodigden)",
                    procent(n as f64 / u as f64)
                ),
                (Some(n), _) if !p.verborgen => format!("{n} {wie_} vulden de bevraging in"),
                _ => format!(
                    "Te weinig antwoorden om te tonen (minder dan {}).",
                    s.minimum_groep
                ),
            },
        })
        .collect();
    let categorieen = s
        .categorieen
        .iter()
        .map(|c| {
            let anker = format!("{}-{}", s.vragenlijst.id, c.id);
            let svg = grafiek::staven(
                &format!("g-{anker}"),
                &format!("{}: aandeel akkoord per periode", c.naam),
                "Hoeveel procent akkoord of helemaal akkoord antwoordde, over alle vragen van dit deel samen.",
                &c.per_periode
                    .iter()
                    .map(|p| Balk {
                        label: p.periode.clone(),
                        waarde: p.aandeel_eens.filter(|_| !p.verborgen),
                        tekst: p.aandeel_eens.map(procent).unwrap_or_default(),
                        band: p.aandeel_eens_interval.map(|[l, h]| (l, h)),
                    })
                    .collect::<Vec<_>>(),
            );
            let rijen = c
                .per_periode
                .iter()
                .map(|p| {
                    let tekst = match (p.verborgen, p.aandeel_eens) {
                        (false, Some(a)) => format!("{} akkoord", procent(a)),
                        (false, None) => "geen antwoorden op een schaal".into(),
                        (true, _) => TE_WEINIG.into(),
                    };
                    CategorieRij {
                        periode: p.periode.clone(),
                        tekst,
                    }
                })
                .collect();
            CategorieView {
                id: c.id.clone(),
                naam: c.naam.clone(),
                anker,
                svg,
                rijen,
                wat_doen_we: antwoorden
                    .categorie
                    .iter()
                    .find(|a| a.id.get_ref() == &c.id)
                    .map(|a| a.wat_doen_we.trim().to_string()),
                items: s
                    .items
                    .iter()
                    .filter(|i| i.categorie == c.id)
                    .map(|i| item_view(&s.vragenlijst.id, &wie_, i))
                    .collect(),
            }
        })
        .collect();
    ResultatenView {
        id: s.vragenlijst.id.clone(),
        titel: s.vragenlijst.titel.clone(),
        wie: wie_,
        periodes,
        categorieen,
    }
}
