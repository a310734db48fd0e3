//! The values of the dashboard's pages (templates in `site/templates/beheer/`, on
//! `layouts/beheer.html`). Words are in `content/teksten/nl.toml` (`[beheer]`); here only
//! what the database and the questionnaires say, numbers formatted the Dutch way, and the SVG
//! charts of `zorgsite::render::grafiek`.

use serde::Serialize;
use zorgsite::render::grafiek::{self, Balk, Deel, Verdeling, komma, procent};

use super::Aangemeld;
use crate::domain::Kanaal;
use crate::domain::gebruiker::Rol;
use crate::domain::vragenlijst::{Categorie, Vragenlijst, Vragenlijsten};
use crate::rapport::open::OpenVraag;
use crate::rapport::{ItemRapport, MinimumGroep, Rapport, Verschil};
use crate::storage::PeriodeInfo;
use crate::storage::audit::{AuditRegel, tijdstip};
use crate::storage::gebruikers::Gebruiker;
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
}

#[derive(Debug, Serialize)]
pub struct LijstOverzicht {
    pub id: String,
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
    /// Per channel: "3 (10 %)".
    pub kanalen: Vec<String>,
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
                                        let n =
                                            kanalen.and_then(|m| m.get(k)).copied().unwrap_or(0);
                                        format!("{n} ({})", procent_van(n, p.uitgenodigd))
                                    })
                                    .collect(),
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
    pub fn new(lijst: &[Gebruiker], log: &[AuditRegel]) -> GebruikersPage {
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
}

#[derive(Debug, Serialize)]
pub struct Brief {
    pub code: String,
    /// The QR code (inline SVG, made in Rust: `crate::brieven`).
    pub qr: String,
}

/// `beheer/open-antwoorden.html`.
#[derive(Debug, Serialize)]
pub struct OpenAntwoordenPage<'a> {
    pub id: &'a str,
    pub titel: &'a str,
    pub periodes: &'a [String],
    /// The chosen period and its open items; `None` without periods.
    pub periode: Option<&'a str>,
    pub minimum: u32,
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
        gekozen: Option<(&'a str, &'a [OpenVraag])>,
        minimum: MinimumGroep,
    ) -> OpenAntwoordenPage<'a> {
        OpenAntwoordenPage {
            id: &lijst.id,
            titel: lijst.titel.nl(),
            periodes: alle,
            periode: gekozen.map(|(p, _)| p),
            minimum: minimum.get(),
            vragen: gekozen
                .map(|(_, vragen)| {
                    vragen
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

/// `beheer/resultaten.html`: the report of one questionnaire over the chosen periods.
#[derive(Debug, Serialize)]
pub struct ResultatenPage<'a> {
    pub id: &'a str,
    pub titel: &'a str,
    /// Every period, and whether it is chosen.
    pub periodes: Vec<PeriodeKeuze<'a>>,
    /// `None` when the questionnaire has no periods yet.
    pub rapport: Option<RapportView>,
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
    /// The bar chart of the share agreeing (SVG).
    pub grafiek: String,
}

#[derive(Debug, Serialize)]
pub struct ThemaCel {
    pub gemiddelde: String,
    pub akkoord: String,
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
    pub akkoord: Vec<ItemWaarde>,
    /// With two periods or more: the change between each pair of consecutive periods.
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

#[derive(Debug, Serialize)]
pub struct VerschilView {
    /// `vergelijkbaar`, `niet-vergelijkbaar` or `verborgen`.
    pub soort: &'static str,
    pub van: String,
    pub naar: String,
    /// "+0,3" (signed, never "-0,0").
    pub gemiddelde: Option<String>,
    /// Percentage points, signed.
    pub akkoord: Option<String>,
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
    ) -> ResultatenPage<'a> {
        ResultatenPage {
            id: &lijst.id,
            titel: lijst.titel.nl(),
            periodes: alle
                .iter()
                .map(|p| PeriodeKeuze {
                    naam: p,
                    gekozen: rapport.is_some_and(|r| r.periodes.iter().any(|q| q.naam == *p)),
                })
                .collect(),
            rapport: rapport.map(|rapport| RapportView::new(r, rapport)),
        }
    }
}

impl RapportView {
    fn new(r: &Renderer, rapport: &Rapport) -> RapportView {
        let deelname = rapport
            .periodes
            .iter()
            .map(|p| DeelnameRij {
                naam: p.naam.clone(),
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
                        waarde: cel.zichtbaar().and_then(|s| s.aandeel_eens),
                        tekst: cel
                            .zichtbaar()
                            .map_or_else(String::new, |s| aandeel(s.aandeel_eens)),
                    })
                    .collect();
                ThemaRij {
                    id: c.categorie.id(),
                    cellen: c
                        .per_periode
                        .iter()
                        .map(|cel| {
                            cel.zichtbaar().map(|s| ThemaCel {
                                gemiddelde: gemiddelde(s.gemiddelde),
                                akkoord: aandeel(s.aandeel_eens),
                                n: s.n,
                            })
                        })
                        .collect(),
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
    let mut verschillen = Vec::new();
    let mut trend = None;
    if rapport.periodes.len() >= 2 {
        for naar in 1..rapport.periodes.len() {
            let v = it.verschil(naar - 1, naar);
            let (soort, gem, akkoord) = match v {
                Verschil::Vergelijkbaar {
                    gemiddelde,
                    aandeel_eens,
                } => (
                    "vergelijkbaar",
                    gemiddelde.map(|g| met_teken(g, 1)),
                    aandeel_eens.map(|a| met_teken((a * 100.0).round(), 0)),
                ),
                Verschil::NietVergelijkbaar => ("niet-vergelijkbaar", None, None),
                Verschil::Verborgen => ("verborgen", None, None),
            };
            verschillen.push(VerschilView {
                soort,
                van: rapport.periodes[naar - 1].naam.clone(),
                naar: rapport.periodes[naar].naam.clone(),
                gemiddelde: gem,
                akkoord,
            });
        }
        if schaal {
            let punten = it.trend();
            let balken: Vec<Balk> = punten
                .iter()
                .map(|t| Balk {
                    label: rapport.periodes[t.periode].naam.clone(),
                    waarde: t.aandeel_eens,
                    tekst: aandeel(t.aandeel_eens),
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
        akkoord: per_periode(&|c| aandeel(c.aandeel_eens)),
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
}
