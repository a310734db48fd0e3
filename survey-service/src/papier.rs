//! The paper questionnaire: the same questionnaire TOML as an A4 form to hand out (large type,
//! the face scale with a box per answer, question numbers, the period, a privacy line, no field
//! that identifies anyone), in any language of the questionnaire.
//!
//! One template, `beheer/papier.html`, with `static/papier.css` (A4 print rules):
//! - the dashboard shows it at `/beheer/papier/<vragenlijst>?taal=xx`, printed by the staff
//!   member's own browser (the service never starts a browser);
//! - `zorgenquete papier <vragenlijst> [--taal xx] --pdf formulier.pdf` renders the same page
//!   and prints it with `zorgsite`'s Chromium code ([`zorgsite::cmd::poster_pdf::print_page`],
//!   the site served from memory through the one site responder).
//!
//! Numbers follow the staff entry form (`web::enquete::pages::FormPage`: category by category),
//! so a stack of forms is typed in in the order it is printed.

use std::path::Path;

use serde::Serialize;
use zorgsite::cmd::poster_pdf::{self, PdfError};

use crate::domain::vragenlijst::{Categorie, Soort, Vragenlijst};
use crate::web::beheer::pages::Menu;
use crate::web::render::{BEHEER_PAPIER, Renderer};
use crate::web::taal::{Taal, Talen};

/// `beheer/papier.html`.
#[derive(Debug, Serialize)]
pub struct PapierPage<'a> {
    pub menu: Option<&'a Menu>,
    pub id: &'a str,
    pub titel: &'a str,
    /// The open period's name, when there is one.
    pub periode: Option<&'a str>,
    /// The form's language and direction (the dashboard around it stays Dutch).
    pub taal: &'a str,
    pub richting: &'static str,
    pub categorieen: Vec<PapierCategorie<'a>>,
    /// The same form in the questionnaire's other languages (dashboard links).
    pub talen: Vec<PapierTaal<'a>>,
    /// Staff entry of filled-in forms (dashboard only).
    pub invoer: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PapierCategorie<'a> {
    pub id: &'static str,
    pub vragen: Vec<PapierVraag<'a>>,
}

#[derive(Debug, Serialize)]
pub struct PapierVraag<'a> {
    pub nummer: usize,
    pub tekst: &'a str,
    pub uitleg: Option<&'a str>,
    /// An open item: room to write instead of boxes.
    pub open: bool,
    pub opties: Vec<PapierOptie<'a>>,
}

#[derive(Debug, Serialize)]
pub struct PapierOptie<'a> {
    pub waarde: u8,
    /// The text's key for the fixed scales, else the option's own `label`.
    pub sleutel: Option<String>,
    pub label: Option<&'a str>,
    /// The pictogram (`icons/<file>`): faces for the five-point scale, a question mark for
    /// "weet ik niet".
    pub pictogram: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PapierTaal<'a> {
    pub code: &'a str,
    pub naam: &'a str,
    pub url: String,
    pub huidig: bool,
}

impl<'a> PapierPage<'a> {
    pub fn new(
        lijst: &'a Vragenlijst,
        taal: &'a Taal,
        talen: &'a Talen,
        basis: &str,
        periode: Option<&'a str>,
    ) -> PapierPage<'a> {
        let t = taal.code.as_str();
        let mut nummer = 0;
        let categorieen = Categorie::ALLE
            .into_iter()
            .filter_map(|categorie| {
                let vragen: Vec<PapierVraag> = lijst
                    .vragen
                    .iter()
                    .filter(|v| v.categorie == categorie)
                    .map(|v| {
                        nummer += 1;
                        let opties = v
                            .opties()
                            .into_iter()
                            .enumerate()
                            .map(|(i, (w, _))| {
                                let (sleutel, label, pictogram) = match &v.soort {
                                    Soort::Schaal => (
                                        Some(format!("enquete.schaal.{w}")),
                                        None,
                                        Some(match w {
                                            0 => "weet-niet.svg".to_string(),
                                            w => format!("gezicht-{w}.svg"),
                                        }),
                                    ),
                                    Soort::JaNee => (
                                        Some(format!("enquete.janee.{w}")),
                                        None,
                                        (w == 0).then(|| "weet-niet.svg".to_string()),
                                    ),
                                    Soort::Keuze(o) => (None, Some(o[i].in_taal(t)), None),
                                    Soort::Open { .. } => (None, None, None),
                                };
                                PapierOptie {
                                    waarde: w,
                                    sleutel,
                                    label,
                                    pictogram,
                                }
                            })
                            .collect();
                        PapierVraag {
                            nummer,
                            tekst: v.tekst.in_taal(t),
                            uitleg: v.uitleg.as_ref().map(|u| u.in_taal(t)),
                            open: matches!(v.soort, Soort::Open { .. }),
                            opties,
                        }
                    })
                    .collect();
                (!vragen.is_empty()).then_some(PapierCategorie {
                    id: categorie.id(),
                    vragen,
                })
            })
            .collect();
        PapierPage {
            menu: None,
            id: &lijst.id,
            titel: lijst.titel.in_taal(t),
            periode,
            taal: t,
            richting: taal.richting,
            categorieen,
            talen: lijst
                .talen
                .iter()
                .map(|code| PapierTaal {
                    code,
                    naam: talen.naam(code),
                    url: format!(
                        "{basis}/beheer/papier/{}{}",
                        lijst.id,
                        talen.van(code).query(talen, true)
                    ),
                    huidig: *code == taal.code,
                })
                .collect(),
            invoer: None,
        }
    }
}

/// The page as HTML (Dutch dashboard frame, the form in its own language).
pub fn html(
    r: &Renderer,
    page: &PapierPage<'_>,
) -> Result<String, zorgsite::diagnostics::Diagnostic> {
    r.render(BEHEER_PAPIER, &r.talen.standaard(), &[], page)
}

/// Why `zorgenquete papier` wrote no PDF.
#[derive(Debug)]
pub enum PapierFout {
    Site(Vec<zorgsite::diagnostics::Diagnostic>),
    Pdf(PdfError),
}

/// Without Chromium the staff member's own browser prints the same page.
const IN_DE_BROWSER: &str = "zonder Chromium kan het ook: open op het dashboard \
     \"Papieren vragenlijst\" en kies Afdrukken (papier A4)";

impl std::fmt::Display for PapierFout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PapierFout::Site(d) => write!(
                f,
                "de site en het thema konden niet gelezen worden ({} {}); er is geen PDF gemaakt",
                d.len(),
                if d.len() == 1 { "fout" } else { "fouten" }
            ),
            PapierFout::Pdf(PdfError::NoChromium(reden)) => write!(
                f,
                "{} — installeer Chromium (Debian/Ubuntu: sudo apt-get install chromium) of zet \
                 CHROMIUM op het programma; {IN_DE_BROWSER}",
                reden.as_deref().unwrap_or(
                    "geen Chromium, Google Chrome of Microsoft Edge gevonden om de PDF te maken"
                )
            ),
            PapierFout::Pdf(PdfError::Chromium(detail)) => write!(
                f,
                "Chromium heeft geen PDF gemaakt ({detail}) — probeer het opnieuw; {IN_DE_BROWSER}"
            ),
            PapierFout::Pdf(e) => write!(f, "{}", e.to_string().trim_start_matches("fout: ")),
        }
    }
}

/// `zorgenquete papier`: renders the paper form for `lijst` in `taal` and prints it to `uit`
/// (A4) with headless Chromium. Returns the number of bytes written.
pub fn pdf(
    root: &Path,
    theme: &Path,
    lijst: &Vragenlijst,
    taal: Option<&str>,
    periode: Option<&str>,
    uit: &Path,
) -> Result<u64, PapierFout> {
    let listener = poster_pdf::loopback().map_err(PapierFout::Pdf)?;
    let port = listener
        .local_addr()
        .map_err(|e| PapierFout::Pdf(PdfError::Io(e.to_string())))?
        .port();
    let (files, templates) =
        crate::site::bouw_bestanden(root, theme, &format!("http://127.0.0.1:{port}"))
            .map_err(PapierFout::Site)?;
    let r = Renderer::new(templates, String::new(), None).map_err(PapierFout::Site)?;
    let taal = r.talen.van(taal.unwrap_or(&r.talen.standaard));
    let page = PapierPage::new(lijst, &taal, &r.talen, "", periode);
    let html = html(&r, &page).map_err(|d| PapierFout::Site(vec![d]))?;
    let mut files = files;
    files.insert("papier/index.html".to_string(), html.into_bytes());
    let printed =
        poster_pdf::print_page(listener, files, "/papier/", uit).map_err(PapierFout::Pdf)?;
    Ok(printed.bytes)
}
