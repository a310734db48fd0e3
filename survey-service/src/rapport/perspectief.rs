//! Perspectives side by side ("perspectieven verbinden"): two questionnaires that share item
//! ids (parents and colleagues both answer `zorg-aanspreekpunt`), in one period each, item by
//! item: the share agreeing of each group with its 95 % Wilson interval, and the gap
//! (`naar − van`) with a Newcombe interval for two independent groups and a verdict, with
//! Benjamini–Hochberg over all shared items (as between periods).
//!
//! Items are matched by id only: the two groups read their own wording (and version) of the
//! item, which the page shows. A hidden cell on either side is never compared.

use super::statistiek::{self, Groep, Verschil};
use super::{Cel, Oordeel, Rapport, Reden};

/// One shared scale item.
#[derive(Debug, Clone, PartialEq)]
pub struct Gedeeld {
    pub id: String,
    /// Each questionnaire's own text of the item.
    pub tekst_van: String,
    pub tekst_naar: String,
    /// The answers 1-5 of each group in its period; `Err` why there are none to show.
    pub van: Result<Groep, Reden>,
    pub naar: Result<Groep, Reden>,
    /// The gap `naar − van` of the shares agreeing with its verdict; `Err` why not compared.
    pub verschil: Result<(Verschil, Oordeel), Reden>,
}

/// The answers of one item in one period of a report, or why there are none.
fn groep(r: &Rapport, periode: usize, id: &str) -> Result<Groep, Reden> {
    let item = r
        .items
        .iter()
        .find(|i| i.id == id)
        .ok_or(Reden::NietGevraagd)?;
    let cel = item.per_periode.get(periode).ok_or(Reden::NietGevraagd)?;
    if cel.versie.is_none() {
        return Err(Reden::NietGevraagd);
    }
    match &cel.cijfers {
        Cel::Verborgen => Err(Reden::TeWeinig),
        Cel::Zichtbaar(c) => c.schaal.ok_or(Reden::GeenSchaalantwoorden),
    }
}

/// The scale items both reports share, in the order of `van`, compared in period `pv` of `van`
/// and `pn` of `naar`.
pub fn vergelijk(van: &Rapport, pv: usize, naar: &Rapport, pn: usize) -> Vec<Gedeeld> {
    let mut gedeeld: Vec<Gedeeld> = van
        .items
        .iter()
        .filter(|i| i.soort == "schaal")
        .filter_map(|i| {
            let ander = naar
                .items
                .iter()
                .find(|j| j.id == i.id && j.soort == "schaal")?;
            let (a, b) = (groep(van, pv, &i.id), groep(naar, pn, &i.id));
            let verschil = match (&a, &b) {
                (Ok(a), Ok(b)) => Ok((
                    statistiek::verschil_aandeel(a, b),
                    Oordeel::GeenDuidelijkVerschil,
                )),
                (Err(r), _) | (_, Err(r)) => Err(*r),
            };
            Some(Gedeeld {
                id: i.id.clone(),
                tekst_van: i.tekst.clone(),
                tekst_naar: ander.tekst.clone(),
                van: a,
                naar: b,
                verschil,
            })
        })
        .collect();
    // One family: every compared gap.
    let verschillen: Vec<Verschil> = gedeeld
        .iter()
        .filter_map(|g| g.verschil.as_ref().ok().map(|(v, _)| *v))
        .collect();
    let mut oordelen = statistiek::oordelen(&verschillen).into_iter();
    for g in &mut gedeeld {
        if let Ok((_, o)) = &mut g.verschil {
            *o = oordelen
                .next()
                .map_or(Oordeel::GeenDuidelijkVerschil, |(o, _)| o);
        }
    }
    gedeeld
}
