//! The summary matrix at the top of the results page and of the meeting report: per scale item
//! and per category one row, per period the share agreeing with its 95 % interval, per compared
//! pair of periods the verdict (an arrow only for a real change, `hoger`/`lager`). Rows can be
//! sorted on the server (`?sorteer=verandering|score`), so the page needs no script.
//!
//! Only what the report gives is shown: a hidden cell stays hidden ([`CelView::soort`]
//! `verborgen`), a pair that is not compared says why.

use serde::Serialize;
use zorgsite::render::grafiek::procent;

use super::pages::{met_teken, reden_id, wacht};
use crate::rapport::{Cel, Interval, Oordeel, Rapport, Reden, Verschil};
use crate::web::render::Renderer;

/// The order of the matrix's rows (`?sorteer=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sortering {
    /// As in the questionnaire (categories in their fixed order).
    #[default]
    Vragenlijst,
    /// Real changes in the last compared pair first (drops before rises), then the largest
    /// differences.
    Verandering,
    /// The lowest share agreeing in the last period first: what to discuss.
    Score,
}

impl Sortering {
    pub const ALLE: [Sortering; 3] = [
        Sortering::Vragenlijst,
        Sortering::Verandering,
        Sortering::Score,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Sortering::Vragenlijst => "vragenlijst",
            Sortering::Verandering => "verandering",
            Sortering::Score => "score",
        }
    }

    /// An unknown value is the default order, not an error: it only changes the order.
    pub fn parse(s: &str) -> Sortering {
        Sortering::ALLE
            .into_iter()
            .find(|x| x.id() == s)
            .unwrap_or_default()
    }
}

/// The matrix (`beheer/samenvatting.html`).
#[derive(Debug, Serialize)]
pub struct Matrix {
    /// The chosen periods' names, in order.
    pub periodes: Vec<String>,
    /// The compared pairs, in the report's order.
    pub paren: Vec<PaarKop>,
    /// `Sortering::id`.
    pub sortering: &'static str,
    /// The column the rows are sorted on (`aria-sort`): `periode-<i>`, `paar-<i>` or empty.
    pub gesorteerd_op: String,
    /// One row per category with a score in some period.
    pub themas: Vec<MatrixRij>,
    /// One row per scale item.
    pub items: Vec<MatrixRij>,
    /// Yes/no and choice items are only in the details.
    pub andere_items: usize,
    /// Every `hoger` or `lager` of an item, per compared pair (questionnaire order).
    pub echte_veranderingen: Vec<EchteVerandering>,
}

/// A real change of one item between two periods (the meeting report lists them).
#[derive(Debug, Clone, Serialize)]
pub struct EchteVerandering {
    pub id: String,
    pub tekst: String,
    pub van: String,
    pub naar: String,
    pub verandering: VeranderingView,
}

/// An item to discuss at the meeting: a real drop, or one of the lowest shares agreeing in
/// the last period.
#[derive(Debug, Clone, Serialize)]
pub struct Bespreekpunt {
    pub id: String,
    pub tekst: String,
    /// `lager` (a real drop) or `laag` (among the lowest scores).
    pub reden: &'static str,
    /// The last period with a shown share, and that share ("63 %").
    pub periode: String,
    pub aandeel: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaarKop {
    pub van: String,
    pub naar: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRij {
    pub id: String,
    /// The item's text, or the category's id (`enquete.categorie.<id>`) for a theme row.
    pub tekst: String,
    /// The category (`enquete.categorie.<id>`).
    pub categorie: &'static str,
    pub cellen: Vec<CelView>,
    /// One per compared pair.
    pub veranderingen: Vec<VeranderingView>,
}

/// One period of one row.
#[derive(Debug, Clone, Serialize)]
pub struct CelView {
    /// `getal`, `verborgen` (fewer than the minimum), `niet-gevraagd`, `geen-schaal`
    /// (only "weet ik niet"), or `wacht` (the period's results are not released yet).
    pub soort: &'static str,
    /// With `wacht`: why (`beheer.vrijgave.<id>.kort`).
    pub wacht: Option<&'static str>,
    /// "63 %".
    pub aandeel: String,
    /// "31 % tot 86 %".
    pub interval: String,
    pub n: u64,
    /// For sorting only.
    #[serde(skip)]
    waarde: Option<f64>,
}

/// One compared pair of one row.
#[derive(Debug, Clone, Serialize)]
pub struct VeranderingView {
    /// `hoger`, `lager`, `geen_duidelijk_verschil`, `niet_vergelijkbaar` (`beheer.oordeel.<id>`)
    /// or `verborgen` (a hidden cell: `beheer.resultaten.te_weinig`).
    pub oordeel: &'static str,
    /// Only a real change has an arrow.
    pub pijl: bool,
    /// Percentage points, signed ("+15"); empty when not compared.
    pub verschil: String,
    pub laag: String,
    pub hoog: String,
    /// Why not compared (`beheer.resultaten.reden.<id>`).
    pub reden: Option<&'static str>,
    #[serde(skip)]
    grootte: f64,
}

impl VeranderingView {
    fn new(v: &Verschil) -> VeranderingView {
        let punten = |x: f64| met_teken((x * 100.0).round(), 0);
        match v {
            Verschil::Vergeleken(vgl) => {
                let m = vgl.aandeel_eens;
                let oordeel = match m.oordeel {
                    Oordeel::Hoger => "hoger",
                    Oordeel::Lager => "lager",
                    Oordeel::GeenDuidelijkVerschil => "geen_duidelijk_verschil",
                    Oordeel::NietVergelijkbaar => "niet_vergelijkbaar",
                };
                VeranderingView {
                    oordeel,
                    pijl: matches!(m.oordeel, Oordeel::Hoger | Oordeel::Lager),
                    verschil: punten(m.verschil),
                    laag: punten(m.interval.laag),
                    hoog: punten(m.interval.hoog),
                    reden: None,
                    grootte: m.verschil.abs(),
                }
            }
            Verschil::NietVergelijkbaar(r) => VeranderingView {
                oordeel: if *r == Reden::TeWeinig {
                    "verborgen"
                } else {
                    "niet_vergelijkbaar"
                },
                pijl: false,
                verschil: String::new(),
                laag: String::new(),
                hoog: String::new(),
                reden: (*r != Reden::TeWeinig).then(|| reden_id(*r)),
                grootte: 0.0,
            },
        }
    }

    /// Sort rank: drops, rises, the rest, then what was not compared.
    fn rang(&self) -> u8 {
        match self.oordeel {
            "lager" => 0,
            "hoger" => 1,
            "geen_duidelijk_verschil" => 2,
            _ => 3,
        }
    }
}

fn interval(r: &Renderer, i: Interval) -> String {
    r.tekst(
        "beheer.resultaten.interval",
        &[("laag", &procent(i.laag)), ("hoog", &procent(i.hoog))],
    )
}

fn cel(soort: &'static str) -> CelView {
    CelView {
        soort,
        wacht: None,
        aandeel: String::new(),
        interval: String::new(),
        n: 0,
        waarde: None,
    }
}

impl Matrix {
    pub fn new(r: &Renderer, rapport: &Rapport, sortering: Sortering) -> Matrix {
        let paren = rapport
            .paren
            .iter()
            .map(|p| PaarKop {
                van: rapport.periodes[p.van].naam.clone(),
                naar: rapport.periodes[p.naar].naam.clone(),
            })
            .collect();
        let themas: Vec<MatrixRij> = rapport
            .categorieen
            .iter()
            .filter(|c| c.per_periode.iter().any(|s| !s.is_verborgen()))
            .map(|c| MatrixRij {
                id: c.categorie.id().to_string(),
                tekst: c.categorie.id().to_string(),
                categorie: c.categorie.id(),
                cellen: c
                    .per_periode
                    .iter()
                    .map(|s| match s {
                        Cel::Verborgen => cel("verborgen"),
                        Cel::Zichtbaar(s) => CelView {
                            soort: "getal",
                            wacht: None,
                            aandeel: procent(s.aandeel_eens),
                            interval: interval(r, s.aandeel_eens_interval),
                            n: s.n,
                            waarde: Some(s.aandeel_eens),
                        },
                    })
                    .collect(),
                veranderingen: c.verschillen.iter().map(VeranderingView::new).collect(),
            })
            .collect();
        let items: Vec<MatrixRij> = rapport
            .items
            .iter()
            .filter(|i| i.soort == "schaal")
            .map(|it| MatrixRij {
                id: it.id.clone(),
                tekst: it.tekst.clone(),
                categorie: it.categorie.id(),
                cellen: it
                    .per_periode
                    .iter()
                    .map(|c| match (&c.cijfers, c.versie) {
                        (_, None) => cel("niet-gevraagd"),
                        (Cel::Verborgen, _) => cel("verborgen"),
                        (Cel::Zichtbaar(x), _) => match (x.aandeel_eens, x.aandeel_eens_interval) {
                            (Some(a), Some(i)) => CelView {
                                soort: "getal",
                                wacht: None,
                                aandeel: procent(a),
                                interval: interval(r, i),
                                n: x.n,
                                waarde: Some(a),
                            },
                            _ => cel("geen-schaal"),
                        },
                    })
                    .collect(),
                veranderingen: it.verschillen.iter().map(VeranderingView::new).collect(),
            })
            .collect();
        let echte_veranderingen = items
            .iter()
            .flat_map(|i| {
                i.veranderingen
                    .iter()
                    .zip(&rapport.paren)
                    .filter(|(v, _)| v.pijl)
                    .map(|(v, p)| EchteVerandering {
                        id: i.id.clone(),
                        tekst: i.tekst.clone(),
                        van: rapport.periodes[p.van].naam.clone(),
                        naar: rapport.periodes[p.naar].naam.clone(),
                        verandering: v.clone(),
                    })
            })
            .collect();
        let gesorteerd_op = match sortering {
            Sortering::Vragenlijst => String::new(),
            Sortering::Verandering if !rapport.paren.is_empty() => {
                format!("paar-{}", rapport.paren.len() - 1)
            }
            Sortering::Verandering => String::new(),
            Sortering::Score => format!("periode-{}", rapport.periodes.len().saturating_sub(1)),
        };
        // A period whose results are not released shows why, in every cell and comparison.
        let wachten: Vec<Option<&'static str>> =
            rapport.periodes.iter().map(|p| wacht(p.vrijgave)).collect();
        let markeer = |rij: &mut MatrixRij| {
            for (c, w) in rij.cellen.iter_mut().zip(&wachten) {
                if let Some(w) = w {
                    *c = CelView {
                        wacht: Some(w),
                        ..cel("wacht")
                    };
                }
            }
            for (v, p) in rij.veranderingen.iter_mut().zip(&rapport.paren) {
                if wachten[p.van].is_some() || wachten[p.naar].is_some() {
                    v.oordeel = "wacht";
                    v.pijl = false;
                    v.reden = None;
                    v.verschil.clear();
                }
            }
        };
        let mut themas = themas;
        let mut items = items;
        themas.iter_mut().for_each(markeer);
        items.iter_mut().for_each(markeer);
        let mut m = Matrix {
            periodes: rapport.periodes.iter().map(|p| p.naam.clone()).collect(),
            paren,
            sortering: sortering.id(),
            gesorteerd_op,
            themas,
            items,
            andere_items: rapport.items.iter().filter(|i| i.soort != "schaal").count(),
            echte_veranderingen,
        };
        sorteer(&mut m.themas, sortering);
        sorteer(&mut m.items, sortering);
        m
    }
}

impl Matrix {
    /// What the meeting should discuss: every item with a real drop, then the `laagste`
    /// lowest shares agreeing in their last shown period (each item once, drops first).
    pub fn bespreken(&self, laagste: usize) -> Vec<Bespreekpunt> {
        let laatst = |r: &MatrixRij| {
            r.cellen
                .iter()
                .zip(&self.periodes)
                .rev()
                .find(|(c, _)| c.waarde.is_some())
                .map(|(c, p)| (c.waarde.unwrap_or(0.0), c.aandeel.clone(), p.clone()))
        };
        let punt = |r: &MatrixRij, reden| {
            let (_, aandeel, periode) = laatst(r).unwrap_or_default();
            Bespreekpunt {
                id: r.id.clone(),
                tekst: r.tekst.clone(),
                reden,
                periode,
                aandeel,
            }
        };
        let mut punten: Vec<Bespreekpunt> = self
            .items
            .iter()
            .filter(|r| r.veranderingen.iter().any(|v| v.oordeel == "lager"))
            .map(|r| punt(r, "lager"))
            .collect();
        let mut laag: Vec<(&MatrixRij, f64)> = self
            .items
            .iter()
            .filter(|r| !punten.iter().any(|p| p.id == r.id))
            .filter_map(|r| laatst(r).map(|(w, _, _)| (r, w)))
            .collect();
        laag.sort_by(|a, b| a.1.total_cmp(&b.1));
        punten.extend(laag.into_iter().take(laagste).map(|(r, _)| punt(r, "laag")));
        punten
    }
}

/// Sorts rows in place (stable: ties keep the questionnaire's order).
fn sorteer(rijen: &mut [MatrixRij], sortering: Sortering) {
    match sortering {
        Sortering::Vragenlijst => {}
        Sortering::Verandering => rijen.sort_by(|a, b| {
            let sleutel = |r: &MatrixRij| {
                r.veranderingen
                    .last()
                    .map_or((4, 0.0), |v| (v.rang(), -v.grootte))
            };
            let (ra, ga) = sleutel(a);
            let (rb, gb) = sleutel(b);
            ra.cmp(&rb).then(ga.total_cmp(&gb))
        }),
        Sortering::Score => rijen.sort_by(|a, b| {
            let sleutel = |r: &MatrixRij| r.cellen.last().and_then(|c| c.waarde);
            match (sleutel(a), sleutel(b)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rij(id: &str, oordeel: &'static str, grootte: f64, score: Option<f64>) -> MatrixRij {
        MatrixRij {
            id: id.into(),
            tekst: id.into(),
            categorie: "leren",
            cellen: vec![CelView {
                waarde: score,
                ..cel("getal")
            }],
            veranderingen: vec![VeranderingView {
                oordeel,
                pijl: matches!(oordeel, "hoger" | "lager"),
                verschil: String::new(),
                laag: String::new(),
                hoog: String::new(),
                reden: None,
                grootte,
            }],
        }
    }

    fn ids(rijen: &[MatrixRij]) -> Vec<&str> {
        rijen.iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn sorting_by_change_puts_real_changes_first_drops_before_rises() {
        let mut rijen = vec![
            rij("groot-toeval", "geen_duidelijk_verschil", 0.16, Some(0.7)),
            rij("nieuw", "niet_vergelijkbaar", 0.0, Some(0.5)),
            rij("stijgt", "hoger", 0.12, Some(0.9)),
            rij("klein", "geen_duidelijk_verschil", 0.02, None),
            rij("daalt", "lager", 0.10, Some(0.4)),
        ];
        sorteer(&mut rijen, Sortering::Verandering);
        assert_eq!(
            ids(&rijen),
            ["daalt", "stijgt", "groot-toeval", "klein", "nieuw"]
        );
        sorteer(&mut rijen, Sortering::Score);
        assert_eq!(
            ids(&rijen),
            ["daalt", "nieuw", "groot-toeval", "stijgt", "klein"]
        );
    }

    #[test]
    fn an_unknown_order_is_the_questionnaires() {
        assert_eq!(Sortering::parse("score"), Sortering::Score);
        assert_eq!(Sortering::parse("<script>"), Sortering::Vragenlijst);
    }
}
