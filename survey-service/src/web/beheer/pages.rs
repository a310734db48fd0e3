//! The values of the dashboard's pages (templates in `site/templates/beheer/`, on
//! `layouts/beheer.html`). Words are in `content/teksten/nl.toml` (`[beheer]`); here only
//! what the database and the questionnaires say, numbers formatted the Dutch way, and the SVG
//! charts of `zorgsite::render::grafiek`.

use serde::Serialize;
use zorgsite::render::grafiek::{self, Balk, Deel, Verdeling, komma, procent};

use super::Aangemeld;
use super::matrix::{Bespreekpunt, Matrix, Sortering};
use crate::domain::Kanaal;
use crate::domain::gebruiker::Rol;
use crate::domain::vragenlijst::{Categorie, Vragenlijst, Vragenlijsten};
use crate::rapport::open::OpenAntwoorden;
use crate::rapport::{
    Interval, ItemRapport, MinimumGroep, Oordeel, Rapport, Reden, Verschil, Vrijgave,
};
use crate::storage::PeriodeInfo;
use crate::storage::audit::{AuditRegel, tijdstip};
use crate::storage::gebruikers::Gebruiker;
use crate::storage::invoer::InvoerTelling;
use crate::storage::respons::PerKanaal;
use crate::web::render::Renderer;

/// The dashboard menu in the header: who is logged in, a token for the logout form, and
/// which entry is the current page.
#[derive(Debug, Clone, Serialize)]
pub struct Menu {
    pub naam: String,
    pub rol: &'static str,
    /// May see `Gebruikers` (role `beheer`).
    pub beheer: bool,
    /// The group dashboard (role `groep`): its own menu.
    pub groep: bool,
    pub csrf: String,
    /// `overzicht`, `gebruikers`, or empty (no entry is current).
    pub huidig: &'static str,
}

impl Menu {
    pub fn van(a: &Aangemeld, huidig: &'static str) -> Menu {
        Menu {
            naam: a.naam.clone(),
            rol: a.rol.id(),
            beheer: a.rol.mag(Rol::Beheer),
            groep: a.rol == Rol::Groep,
            csrf: a.csrf.clone(),
            huidig,
        }
    }
}

/// A dashboard page: the menu (none on the login and error pages) and the page's own values
/// beside it (`pagina.menu`, `pagina.<field>`).
#[derive(Debug, Serialize)]
pub struct Dashboard<'a, P: Serialize> {
    pub menu: Option<&'a Menu>,
    #[serde(flatten)]
    pub pagina: P,
}

/// `beheer/aanmelden.html`.
#[derive(Debug, Serialize)]
pub struct LoginPage<'a> {
    pub csrf: &'a str,
    /// The name as typed, to show again.
    pub naam: &'a str,
    pub fout: Option<LoginFout>,
}

/// Why logging in did not work.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(tag = "soort", rename_all = "snake_case")]
pub enum LoginFout {
    /// Name or password empty.
    Leeg,
    /// Name and password do not belong together.
    Onjuist,
    /// Too many failures: wait this long (`beheer.wachttijd.seconden|minuut|minuten`, `{n}`).
    TeVeel { wacht: &'static str, n: u64 },
    /// Too many logins at once: nothing was checked.
    TeDruk,
}

/// `beheer/overzicht.html`: per questionnaire its periods.
#[derive(Debug, Serialize)]
pub struct OverzichtPage {
    /// Channel ids in table order (`beheer.kanaal.<id>`).
    pub kanalen: Vec<&'static str>,
    pub lijsten: Vec<LijstOverzicht>,
    /// Periods, codes: only for the role `beheer`.
    pub beheer: bool,
    /// Just after "Alle kiosken stoppen": say that it happened.
    pub kiosken_gestopt: bool,
    /// The minimum group: channel counts below it read "minder dan {minimum}".
    pub minimum: u32,
}

#[derive(Debug, Serialize)]
pub struct LijstOverzicht {
    pub id: String,
    /// Who answers it ("Ouders"): the name in headings, links and buttons.
    pub naam: String,
    /// The title the respondents see.
    pub titel: String,
    pub periodes: Vec<PeriodeRij>,
    /// The open period, if any.
    pub open: Option<String>,
    /// The open period has no access codes (one person can answer more than once).
    pub open_zonder_codes: bool,
}

#[derive(Debug, Serialize)]
pub struct PeriodeRij {
    pub naam: String,
    pub open: bool,
    pub uitgenodigd: String,
    pub antwoorden: i64,
    pub respons: String,
    /// Per channel: "6 (20 %)"; `None` below the minimum group (also 0): "minder dan 5".
    pub kanalen: Vec<Option<String>>,
    /// How many more responses before a close shows its results again (0: none needed; see
    /// `domain::vrijgave`).
    pub nog_nodig: u64,
    /// "12 (3)" codes made (used), or "–".
    pub codes: String,
}

fn procent_van(n: i64, van: Option<u32>) -> String {
    match van {
        Some(v) if v > 0 => format!("{} %", (n * 100 + i64::from(v) / 2) / i64::from(v)),
        _ => "–".into(),
    }
}

impl OverzichtPage {
    pub fn new(
        a: &Aangemeld,
        lijsten: &Vragenlijsten,
        periodes: &[PeriodeInfo],
        per_kanaal: &PerKanaal,
        minimum: MinimumGroep,
    ) -> OverzichtPage {
        let lijsten = lijsten
            .0
            .values()
            .map(|lijst| {
                let eigen: Vec<&PeriodeInfo> = periodes
                    .iter()
                    .filter(|p| p.vragenlijst == lijst.id)
                    .collect();
                LijstOverzicht {
                    id: lijst.id.clone(),
                    naam: lijst.naam().to_string(),
                    titel: lijst.titel.nl().to_string(),
                    open: eigen.iter().find(|p| p.open).map(|p| p.naam.clone()),
                    open_zonder_codes: eigen.iter().any(|p| p.open && p.codes == 0),
                    periodes: eigen
                        .iter()
                        .map(|p| {
                            let kanalen = per_kanaal.get(&(p.vragenlijst.clone(), p.naam.clone()));
                            PeriodeRij {
                                naam: p.naam.clone(),
                                open: p.open,
                                uitgenodigd: p.uitgenodigd.map_or("–".into(), |n| n.to_string()),
                                antwoorden: p.antwoorden,
                                respons: procent_van(p.antwoorden, p.uitgenodigd),
                                kanalen: Kanaal::ALLE
                                    .iter()
                                    .map(|k| {
                                        let n = kanalen
                                            .and_then(|m| m.get(k))
                                            .and_then(|n| n.precies())?;
                                        let n = n as i64;
                                        Some(format!("{n} ({})", procent_van(n, p.uitgenodigd)))
                                    })
                                    .collect(),
                                nog_nodig: p.nog_nodig(minimum),
                                codes: if p.codes > 0 {
                                    format!("{} ({})", p.codes, p.codes_gebruikt)
                                } else {
                                    "–".into()
                                },
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        OverzichtPage {
            kanalen: Kanaal::ALLE.iter().map(|k| k.id()).collect(),
            lijsten,
            beheer: a.rol.mag(Rol::Beheer),
            kiosken_gestopt: false,
            minimum: minimum.get(),
        }
    }
}

/// `beheer/gebruikers.html`: accounts and the recent audit log.
#[derive(Debug, Serialize)]
pub struct GebruikersPage {
    pub gebruikers: Vec<GebruikerRij>,
    /// Role ids for the new-account form, the default first (`beheer.rol.<id>`).
    pub rollen: Vec<&'static str>,
    pub log: Vec<LogRij>,
    /// How many answers each staff member typed in (`storage::invoer`).
    pub invoer: Vec<InvoerRij>,
}

#[derive(Debug, Serialize)]
pub struct InvoerRij {
    pub vragenlijst: String,
    pub periode: String,
    pub gebruiker: String,
    /// Channel id (`beheer.kanaal.<id>`).
    pub kanaal: &'static str,
    pub aantal: u64,
}

#[derive(Debug, Serialize)]
pub struct GebruikerRij {
    pub naam: String,
    pub rol: &'static str,
}

#[derive(Debug, Serialize)]
pub struct LogRij {
    pub tijd: String,
    pub gebruiker: String,
    pub gebeurtenis: String,
    pub detail: String,
}

impl GebruikersPage {
    pub fn new(
        lijst: &[Gebruiker],
        log: &[AuditRegel],
        invoer: &[InvoerTelling],
    ) -> GebruikersPage {
        GebruikersPage {
            gebruikers: lijst
                .iter()
                .map(|g| GebruikerRij {
                    naam: g.naam.clone(),
                    rol: g.rol.id(),
                })
                .collect(),
            rollen: Rol::ALLE.into_iter().rev().map(Rol::id).collect(),
            log: log
                .iter()
                .map(|r| LogRij {
                    tijd: tijdstip(r.tijd),
                    gebruiker: r.gebruiker.clone(),
                    gebeurtenis: r.gebeurtenis.clone(),
                    detail: r.detail.clone(),
                })
                .collect(),
            invoer: invoer
                .iter()
                .map(|t| InvoerRij {
                    vragenlijst: t.vragenlijst.clone(),
                    periode: t.periode.clone(),
                    gebruiker: t.gebruiker.clone(),
                    kanaal: t.kanaal.id(),
                    aantal: t.aantal,
                })
                .collect(),
        }
    }
}

/// `beheer/brieven.html`: one printable letter per code.
#[derive(Debug, Serialize)]
pub struct BrievenPage<'a> {
    pub titel: &'a str,
    /// How the letter greets the reader, from the questionnaire (else the text
    /// `beheer.brieven.aanspreking`).
    pub aanspreking: Option<&'a str>,
    /// The address on paper, without `https://`.
    pub adres: String,
    pub brieven: Vec<Brief>,
    /// The questionnaire's other languages: one line each, in that language, saying the form
    /// exists in it and how to choose it (`enquete.brief.taal` of `teksten/<taal>.toml`).
    pub talen: Vec<BriefTaal>,
}

#[derive(Debug, Serialize)]
pub struct BriefTaal {
    pub code: String,
    pub richting: &'static str,
    /// The language's own name ("العربية"), as the switcher shows it.
    pub naam: String,
}

#[derive(Debug, Serialize)]
pub struct Brief {
    pub code: String,
    /// What the QR code opens: the simple mode with the code filled in.
    pub qr_adres: String,
    /// The QR code (inline SVG, made in Rust: `crate::brieven`).
    pub qr: String,
}

/// `beheer/open-antwoorden.html`.
#[derive(Debug, Serialize)]
pub struct OpenAntwoordenPage<'a> {
    pub id: &'a str,
    /// Who answers the questionnaire ("Ouders").
    pub naam: &'a str,
    pub titel: &'a str,
    pub periodes: &'a [String],
    /// The chosen period and its open items; `None` without periods.
    pub periode: Option<&'a str>,
    pub minimum: u32,
    /// The period's results wait (`beheer.vrijgave.<id>`): nothing of its answers is shown.
    pub wacht: Option<&'static str>,
    pub vragen: Vec<OpenVraagView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct OpenVraagView<'a> {
    pub tekst: &'a str,
    /// `None`: hidden (too few respondents).
    pub antwoorden: Option<&'a [String]>,
}

impl<'a> OpenAntwoordenPage<'a> {
    pub fn new(
        lijst: &'a Vragenlijst,
        alle: &'a [String],
        gekozen: Option<(&'a str, &'a OpenAntwoorden)>,
        minimum: MinimumGroep,
    ) -> OpenAntwoordenPage<'a> {
        OpenAntwoordenPage {
            id: &lijst.id,
            naam: lijst.naam(),
            titel: lijst.titel.nl(),
            periodes: alle,
            periode: gekozen.map(|(p, _)| p),
            minimum: minimum.get(),
            wacht: gekozen.and_then(|(_, o)| wacht(o.vrijgave)),
            vragen: gekozen
                .map(|(_, open)| {
                    open.vragen
                        .iter()
                        .map(|v| OpenVraagView {
                            tekst: &v.tekst,
                            antwoorden: v.antwoorden.zichtbaar().map(Vec::as_slice),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// The text key of a period whose results wait (`beheer.vrijgave.<id>.kort|uitleg`).
pub(super) fn wacht(v: Vrijgave) -> Option<&'static str> {
    match v {
        Vrijgave::Vrijgegeven => None,
        Vrijgave::NogOpen => Some("nog_open"),
        Vrijgave::WachtOpMeer => Some("wacht_op_meer"),
    }
}

/// Periods whose results wait, for a note above the results.
#[derive(Debug, Serialize)]
pub struct Wachtend {
    /// `beheer.vrijgave.<wacht>`.
    pub wacht: &'static str,
    pub periodes: String,
}

/// `beheer/resultaten.html`: the report of one questionnaire over the chosen periods.
#[derive(Debug, Serialize)]
pub struct ResultatenPage<'a> {
    pub id: &'a str,
    /// Who answers the questionnaire ("Ouders").
    pub naam: &'a str,
    pub titel: &'a str,
    /// Every period, and whether it is chosen.
    pub periodes: Vec<PeriodeKeuze<'a>>,
    /// `None` when the questionnaire has no periods yet.
    pub rapport: Option<RapportView>,
    /// The query string of this view without `sorteer` (chosen periods, comparison), URL
    /// encoded, for the sort links.
    pub query: String,
    /// How periods are compared: a chosen pair, or each with the one before.
    pub vergelijk: VergelijkKeuze,
}

/// The comparison asked for (`?vergelijk=paar&van=…&naar=…`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct VergelijkKeuze {
    pub paar: bool,
    pub van: Option<String>,
    pub naar: Option<String>,
}

/// `beheer/verslag.html`: the meeting report, printed on A4 by the staff member's browser.
#[derive(Debug, Serialize)]
pub struct VerslagPage<'a> {
    pub id: &'a str,
    pub naam: &'a str,
    pub titel: &'a str,
    /// The results page's query for the same choice ("periode=…&…"), for the way back.
    pub query: String,
    /// `None` when the questionnaire has no periods yet.
    pub rapport: Option<VerslagView>,
    /// The planned actions per category, in category order (`data/resultaten/<id>.toml`).
    pub acties: Vec<Actie>,
}

#[derive(Debug, Serialize)]
pub struct VerslagView {
    pub minimum: u32,
    pub periodes: Vec<String>,
    pub samenvatting: Matrix,
    pub bespreken: Vec<Bespreekpunt>,
}

#[derive(Debug, Serialize)]
pub struct Actie {
    /// `enquete.categorie.<id>`.
    pub categorie: &'static str,
    pub tekst: String,
}

/// How many of the lowest scores the meeting report lists besides the real drops.
pub const LAAGSTE_BESPREKEN: usize = 3;

impl<'a> VerslagPage<'a> {
    pub fn new(
        r: &Renderer,
        lijst: &'a Vragenlijst,
        rapport: Option<&Rapport>,
        acties: Option<&zorgsite::model::resultaten::Antwoorden>,
        query: String,
    ) -> VerslagPage<'a> {
        VerslagPage {
            id: &lijst.id,
            naam: lijst.naam(),
            titel: lijst.titel.nl(),
            query,
            rapport: rapport.map(|rapport| {
                let samenvatting = Matrix::new(r, rapport, Sortering::Vragenlijst);
                VerslagView {
                    minimum: rapport.minimum_groep.get(),
                    periodes: rapport.periodes.iter().map(|p| p.naam.clone()).collect(),
                    bespreken: samenvatting.bespreken(LAAGSTE_BESPREKEN),
                    samenvatting,
                }
            }),
            acties: Categorie::ALLE
                .into_iter()
                .filter_map(|c| {
                    acties?
                        .categorie
                        .iter()
                        .find(|a| a.id.get_ref() == c.id())
                        .map(|a| Actie {
                            categorie: c.id(),
                            tekst: a.wat_doen_we.clone(),
                        })
                })
                .collect(),
        }
    }
}

/// `beheer/perspectieven.html`: two questionnaires side by side on their shared items.
#[derive(Debug, Serialize)]
pub struct PerspectievenPage {
    /// Every questionnaire, for the choice.
    pub vragenlijsten: Vec<LijstNaam>,
    /// The two compared; `None` with fewer than two questionnaires.
    pub van: Option<LijstNaam>,
    pub naar: Option<LijstNaam>,
    /// The periods both have, in name order, and the chosen one.
    pub periodes: Vec<String>,
    pub periode: Option<String>,
    pub minimum: u32,
    pub rijen: Vec<PerspectiefRij>,
}

/// A questionnaire's id and its name for staff (`Vragenlijst::naam`).
#[derive(Debug, Clone, Serialize)]
pub struct LijstNaam {
    pub id: String,
    pub naam: String,
}

impl LijstNaam {
    pub fn van(l: &Vragenlijst) -> LijstNaam {
        LijstNaam {
            id: l.id.clone(),
            naam: l.naam().to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PerspectiefRij {
    pub id: String,
    pub tekst_van: String,
    pub tekst_naar: String,
    pub van: PerspectiefCel,
    pub naar: PerspectiefCel,
    /// The gap `naar − van` in percentage points with its verdict (`beheer.oordeel.<id>`), or
    /// why not compared (`verborgen`, or `niet_vergelijkbaar` with a reason).
    pub oordeel: &'static str,
    pub pijl: bool,
    pub verschil: String,
    pub laag: String,
    pub hoog: String,
    pub reden: Option<&'static str>,
}

/// One group's share agreeing: `getal`, `verborgen`, `niet-gevraagd` or `geen-schaal`.
#[derive(Debug, Serialize)]
pub struct PerspectiefCel {
    pub soort: &'static str,
    pub aandeel: String,
    pub interval: String,
    pub n: u64,
}

impl PerspectiefCel {
    fn new(r: &Renderer, g: &Result<crate::rapport::Groep, Reden>) -> PerspectiefCel {
        match g {
            Ok(g) => PerspectiefCel {
                soort: "getal",
                aandeel: procent(g.aandeel_eens()),
                interval: interval_tekst(r, Some(g.aandeel_interval()), true),
                n: g.n,
            },
            Err(reden) => PerspectiefCel {
                soort: match reden {
                    Reden::TeWeinig => "verborgen",
                    Reden::NietGevraagd => "niet-gevraagd",
                    _ => "geen-schaal",
                },
                aandeel: String::new(),
                interval: String::new(),
                n: 0,
            },
        }
    }
}

impl PerspectiefRij {
    pub fn new(r: &Renderer, g: &crate::rapport::perspectief::Gedeeld) -> PerspectiefRij {
        let punten = |x: f64| met_teken((x * 100.0).round(), 0);
        let (oordeel, verschil, laag, hoog, reden) = match &g.verschil {
            Ok((v, o)) => (
                oordeel_id(*o),
                punten(v.verschil),
                punten(v.interval.laag),
                punten(v.interval.hoog),
                None,
            ),
            Err(Reden::TeWeinig) => (
                "verborgen",
                String::new(),
                String::new(),
                String::new(),
                None,
            ),
            Err(reden) => (
                "niet_vergelijkbaar",
                String::new(),
                String::new(),
                String::new(),
                Some(reden_id(*reden)),
            ),
        };
        PerspectiefRij {
            id: g.id.clone(),
            tekst_van: g.tekst_van.clone(),
            tekst_naar: g.tekst_naar.clone(),
            van: PerspectiefCel::new(r, &g.van),
            naar: PerspectiefCel::new(r, &g.naar),
            pijl: matches!(oordeel, "hoger" | "lager"),
            oordeel,
            verschil,
            laag,
            hoog,
            reden,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PeriodeKeuze<'a> {
    pub naam: &'a str,
    pub gekozen: bool,
}

#[derive(Debug, Serialize)]
pub struct RapportView {
    pub minimum: u32,
    pub onleesbaar: u64,
    /// The chosen periods' names, in order.
    pub periodes: Vec<String>,
    pub kanalen: Vec<&'static str>,
    /// The summary matrix, first on the page.
    pub samenvatting: Matrix,
    /// Periods whose results wait, per reason.
    pub wachtend: Vec<Wachtend>,
    pub deelname: Vec<DeelnameRij>,
    pub themas: Vec<ThemaRij>,
    pub categorieen: Vec<CategorieItems>,
    /// Download kinds, the default first (`beheer.resultaten.formaat.<id>`).
    pub formaten: Vec<&'static str>,
}

/// A number or "too few to show" (`None`).
type Waarde = Option<String>;

#[derive(Debug, Serialize)]
pub struct DeelnameRij {
    pub naam: String,
    pub uitgenodigd: String,
    /// `None`: the whole period is hidden.
    pub cijfers: Option<DeelnameCijfers>,
    /// Its results wait (`beheer.vrijgave.<id>`), instead of "too few".
    pub wacht: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct DeelnameCijfers {
    pub respondenten: u64,
    pub respons: String,
    pub kanalen: Vec<Waarde>,
}

#[derive(Debug, Serialize)]
pub struct ThemaRij {
    pub id: &'static str,
    pub cellen: Vec<Option<ThemaCel>>,
    /// With two periods or more: the change of the category's score per compared pair.
    pub verschillen: Vec<VerschilView>,
    /// The bar chart of the share agreeing (SVG).
    pub grafiek: String,
}

#[derive(Debug, Serialize)]
pub struct ThemaCel {
    pub gemiddelde: String,
    /// "2,6 tot 4,6" (`beheer.resultaten.interval`).
    pub gemiddelde_interval: String,
    pub akkoord: String,
    /// "31 % tot 86 %".
    pub akkoord_interval: String,
    pub n: u64,
}

#[derive(Debug, Serialize)]
pub struct CategorieItems {
    pub id: &'static str,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Serialize)]
pub struct ItemView {
    pub id: String,
    pub tekst: String,
    pub versie: u32,
    pub schaal: bool,
    /// The distribution chart (SVG).
    pub grafiek: String,
    /// Per period: its name and the version asked.
    pub kolommen: Vec<Kolom>,
    /// One row per answer option: its label and per period "n (pct)".
    pub rijen: Vec<Rij>,
    pub aantal: Vec<ItemWaarde>,
    pub gemiddelde: Vec<ItemWaarde>,
    /// The 95 % interval of the mean, "2,6 tot 4,6".
    pub gemiddelde_interval: Vec<ItemWaarde>,
    pub akkoord: Vec<ItemWaarde>,
    /// The 95 % interval of the share agreeing, "31 % tot 86 %".
    pub akkoord_interval: Vec<ItemWaarde>,
    /// Scale items with two periods or more: the change per compared pair of periods.
    pub verschillen: Vec<VerschilView>,
    pub trend: Option<TrendView>,
}

#[derive(Debug, Serialize)]
pub struct Kolom {
    pub naam: String,
    pub versie: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct Rij {
    pub label: String,
    pub cellen: Vec<ItemWaarde>,
}

/// A cell of an item's table: a value, or why there is none.
#[derive(Debug, Serialize)]
pub struct ItemWaarde {
    pub waarde: Waarde,
    /// Not asked in this period (else hidden for too few answers).
    pub niet_gevraagd: bool,
}

/// The change of an item or category between two periods (`naar − van`), worded by the
/// template: each difference with its 95 % interval and its verdict, or why it was not compared.
#[derive(Debug, Serialize)]
pub struct VerschilView {
    /// `vergelijkbaar`, `niet-vergelijkbaar` or `verborgen` (`data-verschil`).
    pub soort: &'static str,
    /// The verdict as written in files (`data-oordeel`): "hoger", "geen duidelijk verschil", …
    pub oordeel: &'static str,
    pub van: String,
    pub naar: String,
    /// Not compared for another reason than too few answers: `beheer.resultaten.reden.<id>`.
    pub reden: Option<&'static str>,
    /// Compared: the share agreeing in percentage points ("+15", interval "-25" to "+51").
    pub akkoord: Option<MaatView>,
    /// Compared: the mean ("+0,6", interval "-0,5" to "+1,7").
    pub gemiddelde: Option<MaatView>,
}

/// One compared number: signed, never "-0".
#[derive(Debug, Serialize)]
pub struct MaatView {
    pub verschil: String,
    pub laag: String,
    pub hoog: String,
    /// `beheer.oordeel.<id>`.
    pub oordeel: &'static str,
}

impl VerschilView {
    pub(crate) fn new(van: &str, naar: &str, v: &Verschil) -> VerschilView {
        let (soort, reden) = match v {
            Verschil::Vergeleken(_) => ("vergelijkbaar", None),
            Verschil::NietVergelijkbaar(Reden::TeWeinig) => ("verborgen", None),
            Verschil::NietVergelijkbaar(r) => ("niet-vergelijkbaar", Some(reden_id(*r))),
        };
        let punten = |x: f64| met_teken((x * 100.0).round(), 0);
        let gem = |x: f64| met_teken(x, 1);
        let vgl = v.vergeleken();
        VerschilView {
            soort,
            oordeel: v.oordeel().tekst(),
            van: van.to_string(),
            naar: naar.to_string(),
            reden,
            akkoord: vgl.map(|v| MaatView {
                verschil: punten(v.aandeel_eens.verschil),
                laag: punten(v.aandeel_eens.interval.laag),
                hoog: punten(v.aandeel_eens.interval.hoog),
                oordeel: oordeel_id(v.aandeel_eens.oordeel),
            }),
            gemiddelde: vgl.map(|v| MaatView {
                verschil: gem(v.gemiddelde.verschil),
                laag: gem(v.gemiddelde.interval.laag),
                hoog: gem(v.gemiddelde.interval.hoog),
                oordeel: oordeel_id(v.gemiddelde.oordeel),
            }),
        }
    }

    /// One per compared pair of the report.
    pub(crate) fn lijst(rapport: &Rapport, verschillen: &[Verschil]) -> Vec<VerschilView> {
        rapport
            .paren
            .iter()
            .zip(verschillen)
            .map(|(paar, v)| {
                VerschilView::new(
                    &rapport.periodes[paar.van].naam,
                    &rapport.periodes[paar.naar].naam,
                    v,
                )
            })
            .collect()
    }
}

/// The key of a verdict under `[beheer.oordeel]`.
fn oordeel_id(o: Oordeel) -> &'static str {
    match o {
        Oordeel::Hoger => "hoger",
        Oordeel::Lager => "lager",
        Oordeel::GeenDuidelijkVerschil => "geen_duidelijk_verschil",
        Oordeel::NietVergelijkbaar => "niet_vergelijkbaar",
    }
}

/// The key of a reason under `[beheer.resultaten.reden]`.
pub(super) fn reden_id(r: Reden) -> &'static str {
    match r {
        Reden::AndereVersie => "andere_versie",
        Reden::NietGevraagd => "niet_gevraagd",
        // Shown as `beheer.resultaten.te_weinig` (soort "verborgen"), like every hidden cell.
        Reden::TeWeinig => "te_weinig",
        Reden::GeenSchaalantwoorden => "geen_schaalantwoorden",
        Reden::AndereVragen => "andere_vragen",
    }
}

#[derive(Debug, Serialize)]
pub struct TrendView {
    pub grafiek: String,
    /// What the chart shows, with the version breaks spelled out (also its SVG description).
    pub uitleg: String,
}

fn gemiddelde(x: Option<f64>) -> String {
    x.map_or("–".into(), |x| komma(x, 1))
}

fn aandeel(x: Option<f64>) -> String {
    x.map_or("–".into(), procent)
}

/// "+0,3", "-0,2", "0,0".
pub fn met_teken(d: f64, decimalen: usize) -> String {
    let s = komma(d, decimalen);
    let nul = komma(0.0, decimalen);
    if s == format!("-{nul}") || s == nul {
        nul
    } else if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
    }
}

/// "2,6 tot 4,6" (a mean) or "31 % tot 86 %" (a share), worded by
/// `beheer.resultaten.interval`; "–" without an interval.
pub(crate) fn interval_tekst(r: &Renderer, i: Option<Interval>, aandeel: bool) -> String {
    let Some(i) = i else {
        return "–".into();
    };
    let getal = |x: f64| if aandeel { procent(x) } else { komma(x, 1) };
    r.tekst(
        "beheer.resultaten.interval",
        &[("laag", &getal(i.laag)), ("hoog", &getal(i.hoog))],
    )
}

fn kleur(soort: &str, waarde: u8, i: usize) -> String {
    if soort == "schaal" {
        format!("g-w{}", waarde.min(5))
    } else {
        format!("g-k{}", i % 6)
    }
}

impl<'a> ResultatenPage<'a> {
    pub fn new(
        r: &Renderer,
        lijst: &'a Vragenlijst,
        alle: &'a [String],
        rapport: Option<&Rapport>,
        sortering: Sortering,
        query: String,
        vergelijk: VergelijkKeuze,
    ) -> ResultatenPage<'a> {
        ResultatenPage {
            id: &lijst.id,
            naam: lijst.naam(),
            titel: lijst.titel.nl(),
            periodes: alle
                .iter()
                .map(|p| PeriodeKeuze {
                    naam: p,
                    gekozen: rapport.is_some_and(|r| r.periodes.iter().any(|q| q.naam == *p)),
                })
                .collect(),
            rapport: rapport.map(|rapport| RapportView::new(r, rapport, sortering)),
            query,
            vergelijk,
        }
    }
}

impl RapportView {
    fn new(r: &Renderer, rapport: &Rapport, sortering: Sortering) -> RapportView {
        let deelname = rapport
            .periodes
            .iter()
            .map(|p| DeelnameRij {
                naam: p.naam.clone(),
                wacht: wacht(p.vrijgave),
                uitgenodigd: p.uitgenodigd.map_or("–".into(), |n| n.to_string()),
                cijfers: p.deelname.zichtbaar().map(|d| DeelnameCijfers {
                    respondenten: d.respondenten,
                    respons: aandeel(d.respons),
                    kanalen: d
                        .per_kanaal
                        .iter()
                        .map(|(_, n)| {
                            n.zichtbaar().map(|n| {
                                let pct = p
                                    .uitgenodigd
                                    .filter(|u| *u > 0)
                                    .map(|u| format!(" ({})", procent(*n as f64 / f64::from(u))))
                                    .unwrap_or_default();
                                format!("{n}{pct}")
                            })
                        })
                        .collect(),
                }),
            })
            .collect();
        let themas = rapport
            .categorieen
            .iter()
            .map(|c| {
                let kop = r.tekst(&format!("enquete.categorie.{}", c.categorie.id()), &[]);
                let balken: Vec<Balk> = rapport
                    .periodes
                    .iter()
                    .zip(&c.per_periode)
                    .map(|(p, cel)| Balk {
                        label: p.naam.clone(),
                        waarde: cel.zichtbaar().map(|s| s.aandeel_eens),
                        tekst: cel
                            .zichtbaar()
                            .map_or_else(String::new, |s| procent(s.aandeel_eens)),
                        band: cel
                            .zichtbaar()
                            .map(|s| (s.aandeel_eens_interval.laag, s.aandeel_eens_interval.hoog)),
                    })
                    .collect();
                ThemaRij {
                    id: c.categorie.id(),
                    cellen: c
                        .per_periode
                        .iter()
                        .map(|cel| {
                            cel.zichtbaar().map(|s| ThemaCel {
                                gemiddelde: komma(s.gemiddelde, 1),
                                gemiddelde_interval: interval_tekst(
                                    r,
                                    Some(s.gemiddelde_interval),
                                    false,
                                ),
                                akkoord: procent(s.aandeel_eens),
                                akkoord_interval: interval_tekst(
                                    r,
                                    Some(s.aandeel_eens_interval),
                                    true,
                                ),
                                n: s.n,
                            })
                        })
                        .collect(),
                    verschillen: VerschilView::lijst(rapport, &c.verschillen),
                    grafiek: grafiek::staven(
                        &format!("thema-{}", c.categorie.id()),
                        &r.tekst("beheer.resultaten.grafiek_thema", &[("thema", &kop)]),
                        &r.tekst("beheer.resultaten.grafiek_thema_uitleg", &[]),
                        &balken,
                    ),
                }
            })
            .collect();
        let categorieen = Categorie::ALLE
            .into_iter()
            .filter_map(|c| {
                let items: Vec<ItemView> = rapport
                    .items
                    .iter()
                    .filter(|i| i.categorie == c)
                    .map(|it| item(r, rapport, it))
                    .collect();
                (!items.is_empty()).then_some(CategorieItems { id: c.id(), items })
            })
            .collect();
        use crate::rapport::export::Formaat;
        RapportView {
            minimum: rapport.minimum_groep.get(),
            onleesbaar: rapport.onleesbaar,
            periodes: rapport.periodes.iter().map(|p| p.naam.clone()).collect(),
            kanalen: Kanaal::ALLE.iter().map(|k| k.id()).collect(),
            samenvatting: Matrix::new(r, rapport, sortering),
            wachtend: [Vrijgave::NogOpen, Vrijgave::WachtOpMeer]
                .into_iter()
                .filter_map(|v| {
                    let namen: Vec<&str> = rapport
                        .periodes
                        .iter()
                        .filter(|p| p.vrijgave == v)
                        .map(|p| p.naam.as_str())
                        .collect();
                    Some(Wachtend {
                        wacht: wacht(v)?,
                        periodes: namen.join(", "),
                    })
                    .filter(|_| !namen.is_empty())
                })
                .collect(),
            deelname,
            themas,
            categorieen,
            formaten: [
                Formaat::CsvNl,
                Formaat::Xlsx,
                Formaat::Csv,
                Formaat::Json,
                Formaat::Ruw,
            ]
            .iter()
            .map(|f| f.id())
            .collect(),
        }
    }
}

/// `beheer/vraag.html`: all numbers of one item.
#[derive(Debug, Serialize)]
pub struct VraagPage<'a> {
    pub id: &'a str,
    pub naam: &'a str,
    /// The results page's query (periods, comparison), for the way back.
    pub query: String,
    pub periodes: Vec<String>,
    pub minimum: u32,
    /// `enquete.categorie.<id>`.
    pub categorie: &'static str,
    pub item: ItemView,
}

impl<'a> VraagPage<'a> {
    /// `None` when the report has no such item.
    pub fn new(
        r: &Renderer,
        lijst: &'a Vragenlijst,
        rapport: &Rapport,
        vraag: &str,
        query: String,
    ) -> Option<VraagPage<'a>> {
        let it = rapport.items.iter().find(|i| i.id == vraag)?;
        Some(VraagPage {
            id: &lijst.id,
            naam: lijst.naam(),
            query,
            periodes: rapport.periodes.iter().map(|p| p.naam.clone()).collect(),
            minimum: rapport.minimum_groep.get(),
            categorie: it.categorie.id(),
            item: item(r, rapport, it),
        })
    }
}

fn item(r: &Renderer, rapport: &Rapport, it: &ItemRapport) -> ItemView {
    let rijen: Vec<Verdeling> = rapport
        .periodes
        .iter()
        .zip(&it.per_periode)
        .map(|(p, cel)| Verdeling {
            label: p.naam.clone(),
            delen: cel.cijfers.zichtbaar().map(|c| {
                it.opties
                    .iter()
                    .zip(&c.verdeling)
                    .enumerate()
                    .map(|(i, ((w, _), n))| Deel {
                        aantal: *n,
                        klasse: kleur(it.soort, *w, i),
                    })
                    .collect()
            }),
        })
        .collect();
    let grafiek = grafiek::verdeling(
        &format!("verdeling-{}", it.id),
        &r.tekst(
            "beheer.resultaten.grafiek_verdeling",
            &[("vraag", &it.tekst)],
        ),
        &r.tekst("beheer.resultaten.grafiek_verdeling_uitleg", &[]),
        &rijen,
    );
    let cel = |cel: &crate::rapport::ItemCel,
               waarde: &dyn Fn(&crate::rapport::Cijfers) -> String| {
        ItemWaarde {
            waarde: cel.cijfers.zichtbaar().map(waarde),
            niet_gevraagd: cel.versie.is_none(),
        }
    };
    let per_periode = |waarde: &dyn Fn(&crate::rapport::Cijfers) -> String| -> Vec<ItemWaarde> {
        it.per_periode.iter().map(|c| cel(c, waarde)).collect()
    };
    let rijen_tabel = it
        .opties
        .iter()
        .enumerate()
        .map(|(o, (_, label))| Rij {
            label: label.clone(),
            cellen: per_periode(&|c| {
                let n = c.verdeling[o];
                let pct = if c.n > 0 {
                    procent(n as f64 / c.n as f64)
                } else {
                    "–".into()
                };
                format!("{n} ({pct})")
            }),
        })
        .collect();
    let schaal = it.soort == "schaal";
    let verschillen = VerschilView::lijst(rapport, &it.verschillen);
    let mut trend = None;
    // The trend over the chosen periods: scale items, two periods or more.
    if schaal && rapport.periodes.len() >= 2 {
        let punten = it.trend();
        let balken: Vec<Balk> = punten
            .iter()
            .map(|t| Balk {
                label: rapport.periodes[t.periode].naam.clone(),
                waarde: t.aandeel_eens,
                tekst: aandeel(t.aandeel_eens),
                band: t.aandeel_eens_interval.map(|i| (i.laag, i.hoog)),
            })
            .collect();
        let mut uitleg = r.tekst("beheer.resultaten.trend_uitleg", &[]);
        for t in punten.iter().filter(|t| t.breuk) {
            uitleg.push(' ');
            uitleg.push_str(&r.tekst(
                "beheer.resultaten.trend_breuk",
                &[("periode", &rapport.periodes[t.periode].naam)],
            ));
        }
        trend = Some(TrendView {
            grafiek: grafiek::staven(
                &format!("trend-{}", it.id),
                &r.tekst("beheer.resultaten.grafiek_trend", &[("vraag", &it.tekst)]),
                &uitleg,
                &balken,
            ),
            uitleg,
        });
    }
    ItemView {
        id: it.id.clone(),
        tekst: it.tekst.clone(),
        versie: it.versie,
        schaal,
        grafiek,
        kolommen: rapport
            .periodes
            .iter()
            .zip(&it.per_periode)
            .map(|(p, c)| Kolom {
                naam: p.naam.clone(),
                versie: c.versie,
            })
            .collect(),
        rijen: rijen_tabel,
        aantal: per_periode(&|c| c.n.to_string()),
        gemiddelde: per_periode(&|c| gemiddelde(c.gemiddelde)),
        gemiddelde_interval: per_periode(&|c| interval_tekst(r, c.gemiddelde_interval, false)),
        akkoord: per_periode(&|c| aandeel(c.aandeel_eens)),
        akkoord_interval: per_periode(&|c| interval_tekst(r, c.aandeel_eens_interval, true)),
        verschillen,
        trend,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_have_a_sign_and_never_minus_zero() {
        assert_eq!(met_teken(0.34, 1), "+0,3");
        assert_eq!(met_teken(-0.26, 1), "-0,3");
        assert_eq!(met_teken(-0.01, 1), "0,0");
        assert_eq!(met_teken(-10.4_f64.round(), 0), "-10");
    }

    #[test]
    fn differences_carry_interval_verdict_and_reason() {
        use crate::rapport::{Maat, Vergelijking};
        let maat = |verschil, laag, hoog, oordeel| Maat {
            verschil,
            interval: Interval { laag, hoog },
            p: 0.5,
            p_aangepast: 0.5,
            oordeel,
        };
        let v = VerschilView::new(
            "2024-2025",
            "2025-2026",
            &Verschil::Vergeleken(Vergelijking {
                aandeel_eens: maat(0.162, -0.022, 0.325, Oordeel::GeenDuidelijkVerschil),
                gemiddelde: maat(0.5, 0.1, 0.9, Oordeel::Hoger),
            }),
        );
        assert_eq!(
            (v.soort, v.oordeel),
            ("vergelijkbaar", "geen duidelijk verschil")
        );
        let a = v.akkoord.unwrap();
        assert_eq!(
            (
                a.verschil.as_str(),
                a.laag.as_str(),
                a.hoog.as_str(),
                a.oordeel
            ),
            ("+16", "-2", "+33", "geen_duidelijk_verschil")
        );
        let g = v.gemiddelde.unwrap();
        assert_eq!(
            (
                g.verschil.as_str(),
                g.laag.as_str(),
                g.hoog.as_str(),
                g.oordeel
            ),
            ("+0,5", "+0,1", "+0,9", "hoger")
        );
        let v = VerschilView::new("a", "b", &Verschil::NietVergelijkbaar(Reden::AndereVersie));
        assert_eq!(
            (v.soort, v.oordeel, v.reden),
            (
                "niet-vergelijkbaar",
                "niet vergelijkbaar",
                Some("andere_versie")
            )
        );
        assert!(v.akkoord.is_none() && v.gemiddelde.is_none());
        let v = VerschilView::new("a", "b", &Verschil::NietVergelijkbaar(Reden::TeWeinig));
        assert_eq!((v.soort, v.reden), ("verborgen", None));
    }

    #[test]
    fn every_verdict_and_reason_has_its_text_in_the_example_school() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let (config, _) = zorgsite::model::config::Config::load(&root).unwrap();
        let (teksten, _) = zorgsite::model::teksten::Teksten::load(&root, &config).unwrap();
        for o in Oordeel::ALLE {
            let key = format!("beheer.oordeel.{}", oordeel_id(o));
            assert!(teksten.bestaat(&key), "{key}");
        }
        for r in [
            Reden::AndereVersie,
            Reden::NietGevraagd,
            Reden::GeenSchaalantwoorden,
            Reden::AndereVragen,
        ] {
            let key = format!("beheer.resultaten.reden.{}", reden_id(r));
            assert!(teksten.bestaat(&key), "{key}");
        }
    }
}
