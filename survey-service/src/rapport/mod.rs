//! Reports: the responses of one questionnaire over one or more periods, aggregated.
//!
//! This is the reading half of the service, without HTTP: the dashboard renders these types and
//! the exports ([`export`]) write them. Small-group suppression lives HERE, in the types: a cell
//! with fewer respondents than [`MinimumGroep`] is [`Cel::Verborgen`] and carries no numbers at
//! all, so no page or file can show them by mistake.
//!
//! Items are compared between periods only when they have the same id AND version; otherwise the
//! comparison says [`Verschil::NietVergelijkbaar`]. Open (free-text) items never appear in a
//! [`Rapport`]; the team reads them through [`open::open_antwoorden`].

pub mod export;
mod lezen;
pub mod open;

use std::collections::HashMap;

use rusqlite::{Connection, params};

use crate::domain::Kanaal;
use crate::domain::vragenlijst::{Categorie, JANEE, SCHAAL, Soort, Vragenlijst};
use crate::storage::OpslagFout;

/// The smallest group whose results may be shown: 5 by default, configurable upwards only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MinimumGroep(u32);

impl MinimumGroep {
    /// The legal floor and the default.
    pub const STANDAARD: MinimumGroep = MinimumGroep(5);

    /// Refuses anything below 5.
    pub fn nieuw(n: u32) -> Result<MinimumGroep, String> {
        if n < Self::STANDAARD.0 {
            Err(format!(
                "minimum_groep is {n}, maar mag nooit kleiner zijn dan {}: zo blijft niemand herkenbaar",
                Self::STANDAARD.0
            ))
        } else {
            Ok(MinimumGroep(n))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Shows `waarde` only when `n` reaches the minimum.
    pub fn cel<T>(self, n: u64, waarde: impl FnOnce() -> T) -> Cel<T> {
        if n >= u64::from(self.0) {
            Cel::Zichtbaar(waarde())
        } else {
            Cel::Verborgen
        }
    }
}

impl Default for MinimumGroep {
    fn default() -> Self {
        Self::STANDAARD
    }
}

/// A result that is either shown, or hidden because too few people answered. A hidden cell
/// holds nothing: not even how many answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Cel<T> {
    Verborgen,
    Zichtbaar(T),
}

impl<T> Cel<T> {
    pub fn zichtbaar(&self) -> Option<&T> {
        match self {
            Cel::Zichtbaar(t) => Some(t),
            Cel::Verborgen => None,
        }
    }

    pub fn is_verborgen(&self) -> bool {
        matches!(self, Cel::Verborgen)
    }
}

/// The text shown instead of a hidden cell.
pub const TE_WEINIG: &str = "te weinig antwoorden om te tonen";

/// Which periods to report on and how small a group may be.
#[derive(Debug, Clone, Default)]
pub struct Keuze {
    /// Period names; empty means all periods of the questionnaire.
    pub periodes: Vec<String>,
    pub minimum: MinimumGroep,
}

/// The whole report for one questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Rapport {
    pub vragenlijst: String,
    pub titel: String,
    pub minimum_groep: MinimumGroep,
    /// In chronological (name) order; every `per_periode` below uses the same indexes.
    pub periodes: Vec<PeriodeRapport>,
    pub categorieen: Vec<CategorieRapport>,
    /// Items in the order of the questionnaire (items no longer asked come last); no open items.
    pub items: Vec<ItemRapport>,
    /// Responses whose stored answers could not be read (should stay 0).
    pub onleesbaar: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeriodeRapport {
    pub naam: String,
    pub uitgenodigd: Option<u32>,
    pub deelname: Cel<Deelname>,
}

/// How many took part in a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Deelname {
    pub respondenten: u64,
    /// Respondents / invited (0..=1, can exceed 1 if the invited count was too low).
    pub respons: Option<f64>,
    /// Per channel, in [`Kanaal::ALLE`] order; a channel with too few responses is hidden.
    pub per_kanaal: Vec<(Kanaal, Cel<u64>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategorieRapport {
    pub categorie: Categorie,
    pub per_periode: Vec<Cel<Score>>,
}

/// A care category's score: all its scale answers (1-5) pooled.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Respondents who gave at least one scale answer in this category.
    pub n: u64,
    pub gemiddelde: Option<f64>,
    pub aandeel_eens: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemRapport {
    pub id: String,
    /// The newest version known; `tekst` is its text.
    pub versie: u32,
    pub categorie: Categorie,
    /// `schaal`, `janee` or `keuze`.
    pub soort: &'static str,
    pub tekst: String,
    /// Answer values and labels, in display order ("weet ik niet" last).
    pub opties: Vec<(u8, String)>,
    pub per_periode: Vec<ItemCel>,
}

/// One item in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemCel {
    /// The version asked in this period (`None`: the item was not answered at all).
    pub versie: Option<u32>,
    pub cijfers: Cel<Cijfers>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cijfers {
    /// Everyone who answered the item, "weet ik niet" included.
    pub n: u64,
    /// Counts aligned with [`ItemRapport::opties`].
    pub verdeling: Vec<u64>,
    /// Mean of 1..5 without "weet ik niet" (scale items only).
    pub gemiddelde: Option<f64>,
    /// Share of 4 and 5 among the answers other than "weet ik niet" (scale items only).
    pub aandeel_eens: Option<f64>,
}

/// The change of an item between two periods.
#[derive(Debug, Clone, PartialEq)]
pub enum Verschil {
    /// Same id and version: later minus earlier.
    Vergelijkbaar {
        gemiddelde: Option<f64>,
        aandeel_eens: Option<f64>,
    },
    /// The version differs (or the item was not asked in one of them): never compared.
    NietVergelijkbaar,
    /// One of the two cells is hidden.
    Verborgen,
}

/// One point of an item's trend over all periods of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPunt {
    pub periode: usize,
    /// `None` when hidden or not a scale item.
    pub gemiddelde: Option<f64>,
    pub aandeel_eens: Option<f64>,
    /// The version differs from the previous shown point: the line must break here.
    pub breuk: bool,
}

impl ItemRapport {
    /// Compares period `van` with period `naar` (indexes into [`Rapport::periodes`]).
    pub fn verschil(&self, van: usize, naar: usize) -> Verschil {
        let (a, b) = (&self.per_periode[van], &self.per_periode[naar]);
        if a.versie.is_none() || a.versie != b.versie {
            return Verschil::NietVergelijkbaar;
        }
        match (a.cijfers.zichtbaar(), b.cijfers.zichtbaar()) {
            (Some(x), Some(y)) => Verschil::Vergelijkbaar {
                gemiddelde: x.gemiddelde.zip(y.gemiddelde).map(|(x, y)| y - x),
                aandeel_eens: x.aandeel_eens.zip(y.aandeel_eens).map(|(x, y)| y - x),
            },
            _ => Verschil::Verborgen,
        }
    }

    /// Every period of the report, with a break wherever the version changes.
    pub fn trend(&self) -> Vec<TrendPunt> {
        let mut vorige: Option<u32> = None;
        self.per_periode
            .iter()
            .enumerate()
            .map(|(i, cel)| {
                let c = cel.cijfers.zichtbaar();
                let breuk = c.is_some() && vorige.is_some() && cel.versie != vorige;
                if c.is_some() {
                    vorige = cel.versie;
                }
                TrendPunt {
                    periode: i,
                    gemiddelde: c.and_then(|c| c.gemiddelde),
                    aandeel_eens: c.and_then(|c| c.aandeel_eens),
                    breuk,
                }
            })
            .collect()
    }
}

/// One `(item, version)` as stored in the `vraag` table or the questionnaire file.
#[derive(Debug, Clone)]
pub(crate) struct VraagVersie {
    pub id: String,
    pub versie: u32,
    pub categorie: Categorie,
    pub soort: String,
    pub tekst: String,
}

/// The periods of a questionnaire, in name order, with their invited counts.
pub fn periodes(
    conn: &Connection,
    vragenlijst: &str,
) -> Result<Vec<(String, Option<u32>)>, OpslagFout> {
    let mut stmt = conn.prepare_cached(
        "SELECT naam, uitgenodigd FROM periode WHERE vragenlijst = ?1 ORDER BY naam",
    )?;
    let rijen = stmt.query_map([vragenlijst], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rijen.collect::<Result<_, _>>()?)
}

/// Checks the chosen period names against the database; all periods when none are named.
pub fn kies_periodes(
    conn: &Connection,
    vragenlijst: &str,
    namen: &[String],
) -> Result<Vec<(String, Option<u32>)>, OpslagFout> {
    let alle = periodes(conn, vragenlijst)?;
    if namen.is_empty() {
        return Ok(alle);
    }
    for naam in namen {
        if !alle.iter().any(|(p, _)| p == naam) {
            let hint =
                match zorgsite::diagnostics::closest(naam, alle.iter().map(|(p, _)| p.as_str())) {
                    Some(best) => format!("; bedoel je `{best}`?"),
                    None if alle.is_empty() => format!(
                        "; {vragenlijst} heeft nog geen periodes (zie `zorgenquete periode lijst`)"
                    ),
                    None => format!(
                        "; gekend zijn: {}",
                        alle.iter()
                            .map(|(p, _)| p.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
            return Err(OpslagFout::Geweigerd(format!(
                "vragenlijst {vragenlijst} heeft geen periode `{naam}`{hint}"
            )));
        }
    }
    Ok(alle
        .into_iter()
        .filter(|(p, _)| namen.contains(p))
        .collect())
}

/// Every known version of every item: the questionnaire file first (its order), then what the
/// `vraag` table remembers of older versions and removed items.
pub(crate) fn vraag_versies(
    conn: &Connection,
    lijst: &Vragenlijst,
) -> Result<Vec<VraagVersie>, OpslagFout> {
    let mut alle: Vec<VraagVersie> = lijst
        .vragen
        .iter()
        .map(|v| VraagVersie {
            id: v.id.clone(),
            versie: v.versie,
            categorie: v.categorie,
            soort: v.soort.id().to_string(),
            tekst: v.tekst.nl().to_string(),
        })
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT id, versie, categorie, soort, tekst FROM vraag WHERE vragenlijst = ?1 ORDER BY id, versie",
    )?;
    let rijen = stmt.query_map([&lijst.id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for rij in rijen {
        let (id, versie, categorie, soort, tekst) = rij?;
        if alle.iter().any(|v| v.id == id && v.versie == versie) {
            continue;
        }
        let Some(categorie) = Categorie::parse(&categorie) else {
            continue;
        };
        alle.push(VraagVersie {
            id,
            versie,
            categorie,
            soort,
            tekst,
        });
    }
    Ok(alle)
}

/// The answer options of an item, as (value, label).
fn opties_voor(lijst: &Vragenlijst, id: &str, soort: &str, hoogste: u8) -> Vec<(u8, String)> {
    if let Some(v) = lijst.vraag(id)
        && v.soort.id() == soort
        && !matches!(v.soort, Soort::Open { .. })
    {
        return v.opties();
    }
    match soort {
        "schaal" => SCHAAL.iter().map(|(w, l)| (*w, l.to_string())).collect(),
        "janee" => JANEE.iter().map(|(w, l)| (*w, l.to_string())).collect(),
        _ => (1..=hoogste.max(1))
            .map(|w| (w, format!("Keuze {w}")))
            .collect(),
    }
}

/// Highest answer value a stored answer may have (keuze allows up to 20 options).
const HOOGSTE_WAARDE: usize = 20;

/// Builds the report. One pass over the responses of the questionnaire.
pub fn maak(conn: &Connection, lijst: &Vragenlijst, keuze: &Keuze) -> Result<Rapport, OpslagFout> {
    let gekozen = kies_periodes(conn, &lijst.id, &keuze.periodes)?;
    let versies = vraag_versies(conn, lijst)?;
    let min = keuze.minimum;

    // Slots: one per (item, version) of a non-open item; answers are counted per slot.
    let slots: Vec<&VraagVersie> = versies.iter().filter(|v| v.soort != "open").collect();
    let sleutels: HashMap<String, usize> = slots
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("{}@{}", v.id, v.versie), i))
        .collect();
    let slot_categorie: Vec<Option<usize>> = slots
        .iter()
        .map(|v| {
            (v.soort == "schaal")
                .then(|| Categorie::ALLE.iter().position(|c| *c == v.categorie))
                .flatten()
        })
        .collect();

    let namen: Vec<&str> = gekozen.iter().map(|(n, _)| n.as_str()).collect();
    let telling = lezen::tel(conn, &lijst.id, &namen, &sleutels, &slot_categorie)?;

    let periodes: Vec<PeriodeRapport> = gekozen
        .iter()
        .zip(&telling.periodes)
        .map(|((naam, uitgenodigd), t)| PeriodeRapport {
            naam: naam.clone(),
            uitgenodigd: *uitgenodigd,
            deelname: min.cel(t.respondenten, || Deelname {
                respondenten: t.respondenten,
                respons: uitgenodigd
                    .filter(|u| *u > 0)
                    .map(|u| t.respondenten as f64 / f64::from(u)),
                per_kanaal: Kanaal::ALLE
                    .iter()
                    .enumerate()
                    .map(|(k, kanaal)| (*kanaal, min.cel(t.per_kanaal[k], || t.per_kanaal[k])))
                    .collect(),
            }),
        })
        .collect();

    let categorieen = Categorie::ALLE
        .iter()
        .enumerate()
        .map(|(c, categorie)| CategorieRapport {
            categorie: *categorie,
            per_periode: telling
                .periodes
                .iter()
                .map(|t| {
                    let ct = &t.categorieen[c];
                    // A period below the minimum hides everything in it.
                    let n = if t.respondenten >= u64::from(min.get()) {
                        ct.respondenten
                    } else {
                        0
                    };
                    min.cel(n, || {
                        let (gemiddelde, aandeel_eens) = schaalcijfers(&ct.waarden);
                        Score {
                            n: ct.respondenten,
                            gemiddelde,
                            aandeel_eens,
                        }
                    })
                })
                .collect(),
        })
        .collect();

    // Items by id, in questionnaire order; each period uses the newest version answered there.
    let mut ids: Vec<&str> = Vec::new();
    for v in &slots {
        if !ids.contains(&v.id.as_str()) {
            ids.push(&v.id);
        }
    }
    let items = ids
        .into_iter()
        .map(|id| {
            let eigen: Vec<usize> = (0..slots.len()).filter(|&s| slots[s].id == id).collect();
            let nieuwste = *eigen
                .iter()
                .max_by_key(|&&s| slots[s].versie)
                .expect("an id has at least one slot");
            let soort: &'static str = match slots[nieuwste].soort.as_str() {
                "schaal" => "schaal",
                "janee" => "janee",
                _ => "keuze",
            };
            let hoogste = eigen
                .iter()
                .flat_map(|&s| telling.periodes.iter().map(move |t| &t.slots[s]))
                .filter_map(|a| a.iter().rposition(|&x| x > 0))
                .max()
                .unwrap_or(0) as u8;
            let opties = opties_voor(lijst, id, soort, hoogste);
            let per_periode = telling
                .periodes
                .iter()
                .map(|t| {
                    let beantwoord = eigen
                        .iter()
                        .copied()
                        .filter(|&s| t.slots[s].iter().any(|&x| x > 0))
                        .max_by_key(|&s| slots[s].versie);
                    let Some(s) = beantwoord else {
                        return ItemCel {
                            versie: None,
                            cijfers: Cel::Verborgen,
                        };
                    };
                    let aantallen = &t.slots[s];
                    let n: u64 = aantallen.iter().sum();
                    let n_zichtbaar = if t.respondenten >= u64::from(min.get()) {
                        n
                    } else {
                        0
                    };
                    ItemCel {
                        versie: Some(slots[s].versie),
                        cijfers: min.cel(n_zichtbaar, || {
                            let (gemiddelde, aandeel_eens) = if soort == "schaal" {
                                schaalcijfers(aantallen)
                            } else {
                                (None, None)
                            };
                            Cijfers {
                                n,
                                verdeling: opties
                                    .iter()
                                    .map(|(w, _)| {
                                        aantallen.get(usize::from(*w)).copied().unwrap_or(0)
                                    })
                                    .collect(),
                                gemiddelde,
                                aandeel_eens,
                            }
                        }),
                    }
                })
                .collect();
            ItemRapport {
                id: id.to_string(),
                versie: slots[nieuwste].versie,
                categorie: slots[nieuwste].categorie,
                soort,
                tekst: slots[nieuwste].tekst.clone(),
                opties,
                per_periode,
            }
        })
        .collect();

    Ok(Rapport {
        vragenlijst: lijst.id.clone(),
        titel: lijst.titel.nl().to_string(),
        minimum_groep: min,
        periodes,
        categorieen,
        items,
        onleesbaar: telling.onleesbaar,
    })
}

/// Mean of 1..5 and share of 4+5, from counts indexed by answer value (0 = "weet ik niet").
fn schaalcijfers(aantallen: &[u64]) -> (Option<f64>, Option<f64>) {
    let telt: u64 = (1..=5)
        .map(|w| aantallen.get(w).copied().unwrap_or(0))
        .sum();
    if telt == 0 {
        return (None, None);
    }
    let som: u64 = (1..=5u64)
        .map(|w| w * aantallen.get(w as usize).copied().unwrap_or(0))
        .sum();
    let eens = aantallen.get(4).copied().unwrap_or(0) + aantallen.get(5).copied().unwrap_or(0);
    (
        Some(som as f64 / telt as f64),
        Some(eens as f64 / telt as f64),
    )
}

/// How many responses each chosen period has (cheap; for exports that skip small periods).
pub fn respondenten(
    conn: &Connection,
    vragenlijst: &str,
    periode: &str,
) -> Result<u64, OpslagFout> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM inzending WHERE vragenlijst = ?1 AND periode = ?2")?
        .query_row(params![vragenlijst, periode], |r| r.get::<_, i64>(0))? as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_is_never_below_five() {
        assert!(MinimumGroep::nieuw(4).is_err());
        assert_eq!(MinimumGroep::nieuw(8).unwrap().get(), 8);
        assert_eq!(MinimumGroep::default().get(), 5);
        assert_eq!(MinimumGroep::STANDAARD.cel(4, || 1), Cel::Verborgen);
        assert_eq!(MinimumGroep::STANDAARD.cel(5, || 1), Cel::Zichtbaar(1));
    }

    #[test]
    fn scale_numbers_leave_out_dont_know() {
        // 2×1, 1×4, 1×5, 3× weet ik niet
        let (g, a) = schaalcijfers(&[3, 2, 0, 0, 1, 1]);
        assert!((g.unwrap() - 11.0 / 4.0).abs() < 1e-9);
        assert!((a.unwrap() - 0.5).abs() < 1e-9);
        assert_eq!(schaalcijfers(&[7, 0, 0, 0, 0, 0]), (None, None));
    }
}
