//! The public summary (schema 2, see `zorgsite::model::resultaten`), from a report.
//!
//! Only scale, yes/no and choice items; open items and open answers never appear. A hidden cell
//! becomes `"verborgen": true` without numbers, because the report has none to give. Shares and
//! their intervals are rounded to 3 decimals, means and theirs to 2.

use zorgsite::model::resultaten::{
    self as schema, Aantal, Categorie, CategorieCel, Item, ItemCel, Kop, Periode, SCHEMA,
    Samenvatting,
};

use super::afgerond;
use crate::rapport::{Cel, Interval, Maat, Paar, Rapport, Verschil};

fn interval(i: Interval, decimalen: i32) -> [f64; 2] {
    [afgerond(i.laag, decimalen), afgerond(i.hoog, decimalen)]
}

fn maat(m: &Maat, decimalen: i32) -> schema::Maat {
    schema::Maat {
        verschil: afgerond(m.verschil, decimalen),
        interval: interval(m.interval, decimalen),
        oordeel: m.oordeel,
    }
}

/// The `verschillen` of one item or category.
fn verschillen(rapport: &Rapport, lijst: &[Verschil]) -> Vec<schema::Verschil> {
    rapport
        .paren
        .iter()
        .zip(lijst)
        .map(|(Paar { van, naar }, v)| {
            let (aandeel_eens, gemiddelde, reden) = match v {
                Verschil::Vergeleken(v) => (
                    Some(maat(&v.aandeel_eens, 3)),
                    Some(maat(&v.gemiddelde, 2)),
                    None,
                ),
                Verschil::NietVergelijkbaar(r) => (None, None, Some(*r)),
            };
            schema::Verschil {
                van: rapport.periodes[*van].naam.clone(),
                naar: rapport.periodes[*naar].naam.clone(),
                aandeel_eens,
                gemiddelde,
                oordeel: v.oordeel(),
                reden,
            }
        })
        .collect()
}

pub fn samenvatting(rapport: &Rapport) -> Samenvatting {
    let periode = |p: usize| rapport.periodes[p].naam.clone();
    Samenvatting {
        schema: SCHEMA,
        vragenlijst: Kop {
            id: rapport.vragenlijst.clone(),
            titel: rapport.titel.clone(),
        },
        minimum_groep: u64::from(rapport.minimum_groep.get()),
        periodes: rapport
            .periodes
            .iter()
            .map(|p| Periode {
                naam: p.naam.clone(),
                respondenten: p.deelname.zichtbaar().map(|d| d.respondenten),
                uitgenodigd: p.uitgenodigd.map(u64::from),
                verborgen: p.deelname.is_verborgen(),
            })
            .collect(),
        categorieen: rapport
            .categorieen
            .iter()
            .map(|c| Categorie {
                id: c.categorie.id().to_string(),
                naam: c.categorie.kop().to_string(),
                per_periode: c
                    .per_periode
                    .iter()
                    .enumerate()
                    .map(|(p, cel)| match cel {
                        Cel::Zichtbaar(s) => CategorieCel {
                            periode: periode(p),
                            n: Some(s.n),
                            gemiddelde: Some(afgerond(s.gemiddelde, 2)),
                            gemiddelde_interval: Some(interval(s.gemiddelde_interval, 2)),
                            aandeel_eens: Some(afgerond(s.aandeel_eens, 3)),
                            aandeel_eens_interval: Some(interval(s.aandeel_eens_interval, 3)),
                            verborgen: false,
                        },
                        Cel::Verborgen => CategorieCel {
                            periode: periode(p),
                            n: None,
                            gemiddelde: None,
                            gemiddelde_interval: None,
                            aandeel_eens: None,
                            aandeel_eens_interval: None,
                            verborgen: true,
                        },
                    })
                    .collect(),
                verschillen: verschillen(rapport, &c.verschillen),
            })
            .collect(),
        items: rapport
            .items
            .iter()
            .map(|i| Item {
                id: i.id.clone(),
                versie: i.versie,
                categorie: i.categorie.id().to_string(),
                soort: i.soort.to_string(),
                tekst: i.tekst.clone(),
                per_periode: i
                    .per_periode
                    .iter()
                    .enumerate()
                    .map(|(p, cel)| match &cel.cijfers {
                        Cel::Zichtbaar(c) => ItemCel {
                            periode: periode(p),
                            versie: cel.versie,
                            n: Some(c.n),
                            verdeling: Some(
                                i.opties
                                    .iter()
                                    .zip(&c.verdeling)
                                    .map(|((_, label), aantal)| Aantal {
                                        antwoord: if i.soort == "keuze" {
                                            label.clone()
                                        } else {
                                            label.to_lowercase()
                                        },
                                        aantal: *aantal,
                                    })
                                    .collect(),
                            ),
                            gemiddelde: c.gemiddelde.map(|g| afgerond(g, 2)),
                            gemiddelde_interval: c.gemiddelde_interval.map(|i| interval(i, 2)),
                            aandeel_eens: c.aandeel_eens.map(|a| afgerond(a, 3)),
                            aandeel_eens_interval: c.aandeel_eens_interval.map(|i| interval(i, 3)),
                            verborgen: false,
                        },
                        Cel::Verborgen => ItemCel {
                            periode: periode(p),
                            versie: cel.versie,
                            n: None,
                            verdeling: None,
                            gemiddelde: None,
                            gemiddelde_interval: None,
                            aandeel_eens: None,
                            aandeel_eens_interval: None,
                            verborgen: true,
                        },
                    })
                    .collect(),
                verschillen: verschillen(rapport, &i.verschillen),
            })
            .collect(),
    }
}
