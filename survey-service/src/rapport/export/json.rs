//! The public summary (schema 1, see `zorgsite::model::resultaten`), from a report.
//!
//! Only scale, yes/no and choice items; open items and open answers never appear. A hidden cell
//! becomes `"verborgen": true` without numbers, because the report has none to give.

use zorgsite::model::resultaten::{
    Aantal, Categorie, CategorieCel, Item, ItemCel, Kop, Periode, SCHEMA, Samenvatting,
};

use super::afgerond;
use crate::rapport::{Cel, Rapport};

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
                            gemiddelde: s.gemiddelde.map(|g| afgerond(g, 2)),
                            aandeel_eens: s.aandeel_eens.map(|a| afgerond(a, 3)),
                            verborgen: false,
                        },
                        Cel::Verborgen => CategorieCel {
                            periode: periode(p),
                            n: None,
                            gemiddelde: None,
                            aandeel_eens: None,
                            verborgen: true,
                        },
                    })
                    .collect(),
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
                            aandeel_eens: c.aandeel_eens.map(|a| afgerond(a, 3)),
                            verborgen: false,
                        },
                        Cel::Verborgen => ItemCel {
                            periode: periode(p),
                            versie: cel.versie,
                            n: None,
                            verdeling: None,
                            gemiddelde: None,
                            aandeel_eens: None,
                            verborgen: true,
                        },
                    })
                    .collect(),
            })
            .collect(),
    }
}
