//! The page "Wat jullie ons vertelden": public survey results from
//! `data/resultaten/<vragenlijst>.json` (written by `zorgenquete export --formaat json`) and the
//! school's own answers from `data/resultaten/<vragenlijst>.toml` ("wat doen we ermee").
//!
//! This module turns both into template values with ready-made SVG charts ([`crate::grafiek`])
//! and text equivalents. Items get stable anchors (`<vragenlijst>-<item>`), so the poster's keys
//! can link to them.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::data::resultaten::{Item, ItemCel, Samenvatting};
use crate::diagnostics::{Diagnostic, Source};
use crate::grafiek::{self, Balk, Deel, TE_WEINIG, Verdeling, komma, procent};

/// `data/resultaten/<id>.toml`: what the school does with the results, per category.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Antwoorden {
    #[serde(default)]
    categorie: Vec<Antwoord>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Antwoord {
    id: toml::Spanned<String>,
    wat_doen_we: String,
}

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

/// Loads every `data/resultaten/*.json` (sorted by name), with its optional `.toml`.
pub fn load(root: &Path) -> Result<Vec<ResultatenView>, Vec<Diagnostic>> {
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
            let span = crate::data::rollen::find_value(&source, "\"id\"", &s.vragenlijst.id);
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
        views.push(view(&s, &antwoorden));
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
            let hint = match crate::diagnostics::closest(c.id.get_ref(), ids.iter().copied()) {
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
