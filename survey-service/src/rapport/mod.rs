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
//!
//! Every number that is compared carries its uncertainty ([`statistiek`]): per cell the share
//! agreeing with its 95 % Wilson interval and the mean with its 95 % t interval; per compared
//! pair of periods ([`Rapport::paren`]: consecutive periods, or the two the caller picks) the
//! differences with Newcombe and Welch intervals and a verdict ([`Oordeel`]), with
//! Benjamini–Hochberg over all items (and separately over the categories) of one pair.
//!
//! **A hidden cell counts nowhere.** A category score is one score per respondent: the mean of
//! that person's scale answers on the category's items whose own cell is shown in that period
//! (the version shown for the item, with at least the minimum group of answers). An item hidden
//! for too few answers, a second version answered in the same period, or anything in a hidden
//! period contributes nothing to any category, total or export.

pub mod export;
pub mod groep;
pub(crate) mod lezen;
pub mod maskeren;
pub mod open;
pub mod perspectief;
pub mod statistiek;
mod velden;

use std::collections::HashMap;

use rusqlite::{Connection, params};

use crate::domain::Kanaal;
use crate::domain::vragenlijst::{Categorie, JANEE, SCHAAL, Soort, Vragenlijst};
pub use crate::domain::vrijgave::{Cel, MinimumGroep, Vrijgave};
use crate::storage::vrijgave::{self, PeriodeStaat, Vrijgegeven};
use crate::storage::{OpslagFout, RijBron};
pub use statistiek::{Groep, Interval, Oordeel};
pub use zorgsite::model::resultaten::Reden;

/// The text shown instead of a hidden cell.
pub const TE_WEINIG: &str = "te weinig antwoorden om te tonen";

/// Which periods to report on, which to compare, and how small a group may be.
#[derive(Debug, Clone, Default)]
pub struct Keuze {
    /// Period names; empty means all periods of the questionnaire.
    pub periodes: Vec<String>,
    pub minimum: MinimumGroep,
    pub vergelijk: Vergelijk,
}

/// Which pairs of periods a report compares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Vergelijk {
    /// Every period with the one before it (in name order).
    #[default]
    Opeenvolgend,
    /// Only these two: `(van, naar)`, both among the chosen periods; the difference is
    /// `naar − van`.
    Paar(String, String),
}

/// A compared pair of periods: indexes into [`Rapport::periodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paar {
    pub van: usize,
    pub naar: usize,
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
    /// The compared pairs; every `verschillen` below uses the same indexes.
    pub paren: Vec<Paar>,
    /// Responses whose stored answers could not be read (should stay 0).
    pub onleesbaar: u64,
}

impl Rapport {
    /// The index in [`Rapport::paren`] of the comparison `van → naar` (period indexes).
    pub fn paar(&self, van: usize, naar: usize) -> Option<usize> {
        self.paren
            .iter()
            .position(|p| p.van == van && p.naar == naar)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeriodeRapport {
    pub naam: String,
    pub uitgenodigd: Option<u32>,
    /// Whether the period's answers are released. A period that is not ([`Vrijgave::NogOpen`],
    /// [`Vrijgave::WachtOpMeer`]) is in the report without any number: its answers were not
    /// even read, every cell of it is hidden, and no comparison involves it.
    pub vrijgave: Vrijgave,
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
    /// One per [`Rapport::paren`].
    pub verschillen: Vec<Verschil>,
}

/// A care category's score in one period: one score per respondent, the mean of that person's
/// scale answers (1-5, "weet ik niet" left out) on the category's items that are shown in this
/// period. Agreeing means a personal mean of 4 or more.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Respondents with a score (at least one answer 1-5 on a counted item).
    pub n: u64,
    /// Mean of the respondents' scores, 1-5.
    pub gemiddelde: f64,
    /// 95 % t interval of that mean.
    pub gemiddelde_interval: Interval,
    /// Share of respondents whose score is 4 or more.
    pub aandeel_eens: f64,
    /// 95 % Wilson interval of that share.
    pub aandeel_eens_interval: Interval,
    /// The scores as one group, for comparisons.
    pub groep: Groep,
    /// The items that count, as `(id, versie)`, in questionnaire order.
    pub vragen: Vec<(String, u32)>,
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
    /// Scale items: one per [`Rapport::paren`]. Yes/no and choice items: empty (they have no
    /// share agreeing or mean).
    pub verschillen: Vec<Verschil>,
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
    /// Mean of 1..5 without "weet ik niet" (scale items with at least one such answer).
    pub gemiddelde: Option<f64>,
    /// 95 % t interval of the mean (the whole scale with fewer than 2 answers).
    pub gemiddelde_interval: Option<Interval>,
    /// Share of 4 and 5 among the answers other than "weet ik niet" (scale items only).
    pub aandeel_eens: Option<f64>,
    /// 95 % Wilson interval of the share.
    pub aandeel_eens_interval: Option<Interval>,
    /// The answers 1-5 as one group, for comparisons (`None`: not a scale item, or only
    /// "weet ik niet").
    pub schaal: Option<Groep>,
}

/// The change of an item or category between two periods (`naar − van`).
#[derive(Debug, Clone, PartialEq)]
pub enum Verschil {
    Vergeleken(Vergelijking),
    /// Not compared, and why.
    NietVergelijkbaar(Reden),
}

impl Verschil {
    /// The verdict: that of the share agreeing, or "niet vergelijkbaar".
    pub fn oordeel(&self) -> Oordeel {
        match self {
            Verschil::Vergeleken(v) => v.oordeel(),
            Verschil::NietVergelijkbaar(_) => Oordeel::NietVergelijkbaar,
        }
    }

    pub fn vergeleken(&self) -> Option<&Vergelijking> {
        match self {
            Verschil::Vergeleken(v) => Some(v),
            Verschil::NietVergelijkbaar(_) => None,
        }
    }
}

/// Both compared numbers of one item or category for one pair of periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Vergelijking {
    /// The share agreeing (0..1): Newcombe interval, two-proportion score test.
    pub aandeel_eens: Maat,
    /// The mean 1-5: Welch interval and test.
    pub gemiddelde: Maat,
}

impl Vergelijking {
    /// The verdict on the share agreeing: the headline number of the dashboard and the site.
    pub fn oordeel(&self) -> Oordeel {
        self.aandeel_eens.oordeel
    }
}

/// One compared number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Maat {
    /// `naar − van`.
    pub verschil: f64,
    /// Unadjusted 95 % interval.
    pub interval: Interval,
    /// p-value of the matching test.
    pub p: f64,
    /// Benjamini–Hochberg adjusted p-value within its family.
    pub p_aangepast: f64,
    pub oordeel: Oordeel,
}

/// One point of an item's trend over all periods of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPunt {
    pub periode: usize,
    /// `None` when hidden or not a scale item.
    pub gemiddelde: Option<f64>,
    pub aandeel_eens: Option<f64>,
    pub aandeel_eens_interval: Option<Interval>,
    /// The version differs from the previous shown point: the line must break here.
    pub breuk: bool,
}

impl ItemRapport {
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
                    aandeel_eens_interval: c.and_then(|c| c.aandeel_eens_interval),
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
    periodes_uit(&mut { conn }, vragenlijst)
}

/// As [`periodes`], from either engine.
pub fn periodes_uit(
    bron: &mut dyn RijBron,
    vragenlijst: &str,
) -> Result<Vec<(String, Option<u32>)>, OpslagFout> {
    Ok(bron
        .staten(vragenlijst)?
        .into_iter()
        .map(|p| (p.naam().to_string(), p.uitgenodigd()))
        .collect())
}

/// Checks the chosen period names against the database; all periods when none are named.
/// Each comes with its release state: the only way to read its answers
/// ([`PeriodeStaat::vrijgegeven`]).
pub fn kies_periodes(
    bron: &mut dyn RijBron,
    vragenlijst: &str,
    namen: &[String],
) -> Result<Vec<PeriodeStaat>, OpslagFout> {
    let alle = bron.staten(vragenlijst)?;
    if namen.is_empty() {
        return Ok(alle);
    }
    for naam in namen {
        if !alle.iter().any(|p| p.naam() == naam) {
            let hint =
                match zorgsite::diagnostics::closest(naam, alle.iter().map(PeriodeStaat::naam)) {
                    Some(best) => format!("; bedoel je `{best}`?"),
                    None if alle.is_empty() => format!(
                        "; {vragenlijst} heeft nog geen periodes (zie `zorgenquete periode lijst`)"
                    ),
                    None => format!(
                        "; gekend zijn: {}",
                        alle.iter()
                            .map(PeriodeStaat::naam)
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
        .filter(|p| namen.iter().any(|n| n == p.naam()))
        .collect())
}

/// Every known version of every item: the questionnaire file first (its order), then what the
/// `vraag` table remembers of older versions and removed items.
pub(crate) fn vraag_versies(
    bron: &mut dyn RijBron,
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
    for (id, versie, categorie, soort, tekst) in bron.vragen(&lijst.id)? {
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

/// Finds the column (slot) of an answer key (`<item>@<versie>`) in a stored answer object.
///
/// The writer lists the keys of every object in questionnaire order, and columns are in that
/// order too, so the column after the previous key's is tried first: one string comparison
/// instead of hashing the key, for nearly every key of nearly every row (hashing was a fifth of
/// the report's time). A key that is not the guess is looked up in the map.
pub(crate) struct Sleutels<'a> {
    namen: Vec<&'a str>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Sleutels<'a> {
    pub(crate) fn new(namen: impl IntoIterator<Item = &'a str>) -> Sleutels<'a> {
        let namen: Vec<&str> = namen.into_iter().collect();
        let index = namen.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        Sleutels { namen, index }
    }

    pub(crate) fn len(&self) -> usize {
        self.namen.len()
    }

    /// The guess `gok` when `rest` (the bytes after a key's opening quote) starts with that
    /// key and its closing quote: `(column, key length)`. Names never contain a quote or a
    /// backslash (item ids), so a match is that key exactly.
    pub(crate) fn verwacht(&self, gok: usize, rest: &[u8]) -> Option<(usize, usize)> {
        let naam = self.namen.get(gok)?.as_bytes();
        (rest.get(naam.len()) == Some(&b'"') && rest.starts_with(naam)).then_some((gok, naam.len()))
    }

    /// The column of `sleutel`; `gok` is the guess, moved past the column found. Start each
    /// object with a guess of 0.
    pub(crate) fn zoek(&self, sleutel: &str, gok: &mut usize) -> Option<usize> {
        let kolom = match self.namen.get(*gok) {
            Some(naam) if *naam == sleutel => *gok,
            _ => *self.index.get(sleutel)?,
        };
        *gok = kolom + 1;
        Some(kolom)
    }
}

/// Puts `v` in a random order, a fresh one on every call (Fisher-Yates, seeded from the OS),
/// so no order of rows or open answers can be matched between two views.
pub(crate) fn schud<T>(v: &mut [T]) {
    let mut seed = [0u8; 8];
    let mut rng = match getrandom::fill(&mut seed) {
        Ok(()) => fastrand::Rng::with_seed(u64::from_le_bytes(seed)),
        // Without OS randomness fastrand's own seed still gives a fresh order.
        Err(_) => fastrand::Rng::new(),
    };
    rng.shuffle(v);
}

/// Highest answer value a stored answer may have (keuze allows up to 20 options).
const HOOGSTE_WAARDE: usize = 20;

/// The pairs to compare: consecutive released periods (a period whose answers are not
/// released is skipped), or the one pair the caller picked (both must be released).
fn kies_paren(gekozen: &[PeriodeStaat], vergelijk: &Vergelijk) -> Result<Vec<Paar>, OpslagFout> {
    match vergelijk {
        Vergelijk::Opeenvolgend => {
            let vrij: Vec<usize> = (0..gekozen.len())
                .filter(|&p| gekozen[p].vrijgave() == Vrijgave::Vrijgegeven)
                .collect();
            Ok(vrij
                .windows(2)
                .map(|w| Paar {
                    van: w[0],
                    naar: w[1],
                })
                .collect())
        }
        Vergelijk::Paar(van, naar) => {
            let index = |naam: &str| {
                let p = gekozen.iter().position(|p| p.naam() == naam).ok_or_else(|| {
                    OpslagFout::Geweigerd(format!(
                        "periode `{naam}` kan niet vergeleken worden: ze hoort niet bij de gekozen periodes ({})",
                        gekozen
                            .iter()
                            .map(PeriodeStaat::naam)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?;
                match gekozen[p].vrijgave() {
                    Vrijgave::Vrijgegeven => Ok(p),
                    v => Err(OpslagFout::Geweigerd(format!(
                        "periode `{naam}` kan nog niet vergeleken worden ({})",
                        v.tekst()
                    ))),
                }
            };
            let (v, n) = (index(van)?, index(naar)?);
            if v == n {
                return Err(OpslagFout::Geweigerd(format!(
                    "kies twee verschillende periodes om te vergelijken (twee keer `{van}`)"
                )));
            }
            Ok(vec![Paar { van: v, naar: n }])
        }
    }
}

/// Which slots (item versions, not open) of one period are shown: per item the newest version
/// answered in the period, when the period and that version each reach the minimum group.
/// `n` is the number of answers per slot, `respondenten` the period's. The one rule for the
/// report and the raw export, so a hidden cell counts nowhere.
pub(crate) fn getoonde_slots(
    slots: &[&VraagVersie],
    n: &[u64],
    respondenten: u64,
    minimum: MinimumGroep,
) -> Vec<bool> {
    let mut getoond = vec![false; slots.len()];
    if !minimum.toont(respondenten) {
        return getoond;
    }
    for s in 0..slots.len() {
        let nieuwste = (0..slots.len())
            .filter(|&t| slots[t].id == slots[s].id && n[t] > 0)
            .max_by_key(|&t| slots[t].versie);
        getoond[s] = nieuwste == Some(s) && minimum.toont(n[s]);
    }
    getoond
}

/// Builds the report. One pass over the responses of the released periods, then one pass over
/// the kept scale answers for the category scores. The release states and the answers are read
/// in one read transaction.
pub fn maak(conn: &Connection, lijst: &Vragenlijst, keuze: &Keuze) -> Result<Rapport, OpslagFout> {
    vrijgave::in_een_moment(conn, |conn| maak_uit(&mut { conn }, lijst, keuze))
}

/// As [`maak`], from one snapshot of either engine ([`RijBron`]; the caller holds the moment).
pub fn maak_uit(
    bron: &mut dyn RijBron,
    lijst: &Vragenlijst,
    keuze: &Keuze,
) -> Result<Rapport, OpslagFout> {
    let gekozen = kies_periodes(bron, &lijst.id, &keuze.periodes)?;
    let paren = kies_paren(&gekozen, &keuze.vergelijk)?;
    let versies = vraag_versies(bron, lijst)?;

    // Slots: one per (item, version) of a non-open item; answers are counted per slot.
    let slots: Vec<&VraagVersie> = versies.iter().filter(|v| v.soort != "open").collect();
    let namen = slot_namen(&slots);
    let sleutels = Sleutels::new(namen.iter().map(String::as_str));
    let schaal: Vec<bool> = slots.iter().map(|v| v.soort == "schaal").collect();

    // Only released periods are read; the others stay at zero and are hidden below.
    let te_lezen: Vec<Option<Vrijgegeven>> =
        gekozen.iter().map(PeriodeStaat::vrijgegeven).collect();
    let telling = lezen::tel_uit(bron, &lijst.id, &te_lezen, &sleutels, &schaal)?;
    let koppen: Vec<PeriodeKop> = gekozen.iter().map(PeriodeKop::from).collect();
    Ok(bouw(lijst, &koppen, paren, &slots, &telling, keuze.minimum))
}

/// `<item>@<versie>` per slot: the keys of the stored answers.
pub(crate) fn slot_namen(slots: &[&VraagVersie]) -> Vec<String> {
    slots
        .iter()
        .map(|v| format!("{}@{}", v.id, v.versie))
        .collect()
}

/// What [`bouw`] needs to know of one period besides its counts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PeriodeKop {
    pub naam: String,
    pub uitgenodigd: Option<u32>,
    /// Only a [`Vrijgave::Vrijgegeven`] period may show numbers; the counts of any other
    /// period must be zero (it was not read).
    pub vrijgave: Vrijgave,
}

impl From<&PeriodeStaat> for PeriodeKop {
    fn from(p: &PeriodeStaat) -> Self {
        PeriodeKop {
            naam: p.naam().to_string(),
            uitgenodigd: p.uitgenodigd(),
            vrijgave: p.vrijgave(),
        }
    }
}

/// Builds a report from counts: suppression, intervals, category scores, comparisons and
/// verdicts. One school's report ([`maak`]) and a group's ([`groep`], from merged counts) go
/// through here alike.
pub(crate) fn bouw(
    lijst: &Vragenlijst,
    gekozen: &[PeriodeKop],
    paren: Vec<Paar>,
    slots: &[&VraagVersie],
    telling: &lezen::Telling,
    min: MinimumGroep,
) -> Rapport {
    let periode_zichtbaar: Vec<bool> = telling
        .periodes
        .iter()
        .zip(gekozen)
        .map(|(t, kop)| kop.vrijgave == Vrijgave::Vrijgegeven && min.toont(t.respondenten))
        .collect();
    // Per period, per slot: whether its answers are shown (and so may count in a category).
    let getoond: Vec<Vec<bool>> = telling
        .periodes
        .iter()
        .zip(&periode_zichtbaar)
        .map(|(t, zichtbaar)| {
            let n: Vec<u64> = t.slots.iter().map(|a| a.iter().sum()).collect();
            let respondenten = if *zichtbaar { t.respondenten } else { 0 };
            getoonde_slots(slots, &n, respondenten, min)
        })
        .collect();

    let periodes: Vec<PeriodeRapport> = gekozen
        .iter()
        .zip(&telling.periodes)
        .zip(&periode_zichtbaar)
        .map(|((staat, t), zichtbaar)| PeriodeRapport {
            naam: staat.naam.clone(),
            uitgenodigd: staat.uitgenodigd,
            vrijgave: staat.vrijgave,
            deelname: if *zichtbaar {
                Cel::Zichtbaar(Deelname {
                    respondenten: t.respondenten,
                    respons: staat
                        .uitgenodigd
                        .filter(|u| *u > 0)
                        .map(|u| t.respondenten as f64 / f64::from(u)),
                    per_kanaal: Kanaal::ALLE
                        .iter()
                        .enumerate()
                        .map(|(k, kanaal)| (*kanaal, min.cel(t.per_kanaal[k], || t.per_kanaal[k])))
                        .collect(),
                })
            } else {
                Cel::Verborgen
            },
        })
        .collect();

    // Items by id, in questionnaire order; each period uses the newest version answered there.
    let mut ids: Vec<&str> = Vec::new();
    for v in slots {
        if !ids.contains(&v.id.as_str()) {
            ids.push(&v.id);
        }
    }
    let mut items: Vec<ItemRapport> = ids
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
            // Only shown cells may shape the options (of an item no longer in the file).
            let hoogste = eigen
                .iter()
                .flat_map(|&s| {
                    telling
                        .periodes
                        .iter()
                        .zip(&getoond)
                        .filter(move |(_, g)| g[s])
                        .map(move |(t, _)| &t.slots[s])
                })
                .filter_map(|a| a.iter().rposition(|&x| x > 0))
                .max()
                .unwrap_or(0) as u8;
            let opties = opties_voor(lijst, id, soort, hoogste);
            let per_periode = telling
                .periodes
                .iter()
                .enumerate()
                .map(|(p, t)| {
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
                    let cijfers = if !getoond[p][s] {
                        Cel::Verborgen
                    } else {
                        let groep = if soort == "schaal" {
                            Groep::uit_aantallen(aantallen)
                        } else {
                            None
                        };
                        Cel::Zichtbaar(Cijfers {
                            n,
                            verdeling: opties
                                .iter()
                                .map(|(w, _)| aantallen.get(usize::from(*w)).copied().unwrap_or(0))
                                .collect(),
                            gemiddelde: groep.map(|g| g.gemiddelde),
                            gemiddelde_interval: groep.map(|g| g.gemiddelde_interval()),
                            aandeel_eens: groep.map(|g| g.aandeel_eens()),
                            aandeel_eens_interval: groep.map(|g| g.aandeel_interval()),
                            schaal: groep,
                        })
                    };
                    ItemCel {
                        versie: Some(slots[s].versie),
                        cijfers,
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
                verschillen: Vec::new(),
            }
        })
        .collect();

    // Category scores: one per respondent, over the shown scale slots of the category only.
    let slot_categorie: Vec<Option<usize>> = slots
        .iter()
        .map(|v| {
            (v.soort == "schaal")
                .then(|| Categorie::ALLE.iter().position(|c| *c == v.categorie))
                .flatten()
        })
        .collect();
    let mut categorieen: Vec<CategorieRapport> = Categorie::ALLE
        .iter()
        .map(|c| CategorieRapport {
            categorie: *c,
            per_periode: Vec::with_capacity(telling.periodes.len()),
            verschillen: Vec::new(),
        })
        .collect();
    for (p, t) in telling.periodes.iter().enumerate() {
        let telt: Vec<Option<usize>> = slot_categorie
            .iter()
            .zip(&getoond[p])
            .map(|(c, g)| c.filter(|_| *g))
            .collect();
        // Per category: respondents, agreeing, sum and sum of squares of the scores.
        let mut sommen = [(0u64, 0u64, 0f64, 0f64); 4];
        if periode_zichtbaar[p] {
            for antwoorden in t.per_respondent() {
                let mut eigen = [(0u32, 0u32); 4];
                for (slot, w) in antwoorden {
                    if let Some(c) = telt[slot] {
                        eigen[c].0 += u32::from(w);
                        eigen[c].1 += 1;
                    }
                }
                for (c, (som, aantal)) in eigen.into_iter().enumerate() {
                    if aantal == 0 {
                        continue;
                    }
                    let score = f64::from(som) / f64::from(aantal);
                    let s = &mut sommen[c];
                    s.0 += 1;
                    // A mean of 4 or more, without rounding: som ≥ 4 · aantal.
                    if f64::from(som) >= statistiek::EENS_VANAF * f64::from(aantal) {
                        s.1 += 1;
                    }
                    s.2 += score;
                    s.3 += score * score;
                }
            }
        }
        for (c, cat) in categorieen.iter_mut().enumerate() {
            let (n, eens, som, kwadraten) = sommen[c];
            let vragen: Vec<(String, u32)> = (0..slots.len())
                .filter(|&s| telt[s] == Some(c))
                .map(|s| (slots[s].id.clone(), slots[s].versie))
                .collect();
            cat.per_periode
                .push(match Groep::nieuw(n, eens, som, kwadraten) {
                    Some(groep) if n >= u64::from(min.get()) => Cel::Zichtbaar(Score {
                        n,
                        gemiddelde: groep.gemiddelde,
                        gemiddelde_interval: groep.gemiddelde_interval(),
                        aandeel_eens: groep.aandeel_eens(),
                        aandeel_eens_interval: groep.aandeel_interval(),
                        groep,
                        vragen,
                    }),
                    _ => Cel::Verborgen,
                });
        }
    }

    // Comparisons, with Benjamini–Hochberg per pair over the items and over the categories.
    for paar in &paren {
        let item_groepen: Vec<Result<(Groep, Groep), Reden>> = items
            .iter()
            .filter(|i| i.soort == "schaal")
            .map(|i| item_groepen(&i.per_periode[paar.van], &i.per_periode[paar.naar]))
            .collect();
        let mut uit = vergelijk(&item_groepen).into_iter();
        for item in items.iter_mut().filter(|i| i.soort == "schaal") {
            item.verschillen
                .push(uit.next().expect("one result per scale item"));
        }
        let categorie_groepen: Vec<Result<(Groep, Groep), Reden>> = categorieen
            .iter()
            .map(|c| {
                match (
                    c.per_periode[paar.van].zichtbaar(),
                    c.per_periode[paar.naar].zichtbaar(),
                ) {
                    (Some(a), Some(b)) if a.vragen == b.vragen => Ok((a.groep, b.groep)),
                    (Some(_), Some(_)) => Err(Reden::AndereVragen),
                    _ => Err(Reden::TeWeinig),
                }
            })
            .collect();
        for (c, v) in categorieen.iter_mut().zip(vergelijk(&categorie_groepen)) {
            c.verschillen.push(v);
        }
    }

    Rapport {
        vragenlijst: lijst.id.clone(),
        titel: lijst.titel.nl().to_string(),
        minimum_groep: min,
        periodes,
        categorieen,
        items,
        paren,
        onleesbaar: telling.onleesbaar,
    }
}

/// The two groups of an item to compare, or why not. A hidden cell is checked before the
/// versions, so a hidden cell never tells which version was answered.
fn item_groepen(van: &ItemCel, naar: &ItemCel) -> Result<(Groep, Groep), Reden> {
    if van.versie.is_none() || naar.versie.is_none() {
        return Err(Reden::NietGevraagd);
    }
    let (Some(a), Some(b)) = (van.cijfers.zichtbaar(), naar.cijfers.zichtbaar()) else {
        return Err(Reden::TeWeinig);
    };
    if van.versie != naar.versie {
        return Err(Reden::AndereVersie);
    }
    match (a.schaal, b.schaal) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(Reden::GeenSchaalantwoorden),
    }
}

/// Compares one family (all items, or all categories, of one pair): intervals per difference,
/// verdicts after Benjamini–Hochberg over the family, separately for shares and means.
pub(crate) fn vergelijk(groepen: &[Result<(Groep, Groep), Reden>]) -> Vec<Verschil> {
    let paren: Vec<&(Groep, Groep)> = groepen.iter().filter_map(|g| g.as_ref().ok()).collect();
    let aandelen: Vec<statistiek::Verschil> = paren
        .iter()
        .map(|(a, b)| statistiek::verschil_aandeel(a, b))
        .collect();
    let gemiddelden: Vec<statistiek::Verschil> = paren
        .iter()
        .map(|(a, b)| statistiek::verschil_gemiddelde(a, b))
        .collect();
    let maat = |v: &statistiek::Verschil, (oordeel, p_aangepast): (Oordeel, f64)| Maat {
        verschil: v.verschil,
        interval: v.interval,
        p: v.p,
        p_aangepast,
        oordeel,
    };
    let mut vergeleken = aandelen
        .iter()
        .zip(statistiek::oordelen(&aandelen))
        .zip(gemiddelden.iter().zip(statistiek::oordelen(&gemiddelden)))
        .map(|((a, oa), (g, og))| {
            Verschil::Vergeleken(Vergelijking {
                aandeel_eens: maat(a, oa),
                gemiddelde: maat(g, og),
            })
        });
    groepen
        .iter()
        .map(|g| match g {
            Ok(_) => vergeleken.next().expect("one result per compared pair"),
            Err(reden) => Verschil::NietVergelijkbaar(*reden),
        })
        .collect()
}

/// Mean of 1..5 and share of 4+5, from counts indexed by answer value (0 = "weet ik niet").
#[cfg(test)]
fn schaalcijfers(aantallen: &[u64]) -> (Option<f64>, Option<f64>) {
    let g = Groep::uit_aantallen(aantallen);
    (g.map(|g| g.gemiddelde), g.map(|g| g.aandeel_eens()))
}

/// How many responses each chosen period has (cheap; for exports that skip small periods).
pub fn respondenten(
    conn: &Connection,
    vragenlijst: &str,
    periode: &str,
) -> Result<u64, OpslagFout> {
    Ok(conn
        .prepare_cached("SELECT inzendingen FROM periode WHERE vragenlijst = ?1 AND naam = ?2")?
        .query_row(params![vragenlijst, periode], |r| r.get::<_, i64>(0))? as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_found_by_guess_or_by_lookup() {
        let sleutels = Sleutels::new(["a@1", "b@1", "c@2"]);
        let mut gok = 0;
        assert_eq!(sleutels.zoek("a@1", &mut gok), Some(0));
        assert_eq!(gok, 1);
        assert_eq!(sleutels.zoek("c@2", &mut gok), Some(2), "not the guess");
        assert_eq!(sleutels.zoek("idee@1", &mut gok), None);
        assert_eq!(gok, 3, "a miss keeps the guess");
        assert_eq!(sleutels.zoek("b@1", &mut gok), Some(1));
        assert_eq!(sleutels.zoek("c@2", &mut gok), Some(2));
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
