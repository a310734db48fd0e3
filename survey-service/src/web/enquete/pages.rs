//! The values of the survey pages (templates in `site/templates/enquete/`): the form (empty,
//! or again with the answers and what to fix), the thank-you page, the overview of open
//! questionnaires. Words come from `content/teksten/<taal>.toml` in the templates; here only
//! what the questionnaire and the person filled in say, in the page's language.

use serde::Serialize;

use crate::domain::Kanaal;
use crate::domain::antwoord::{Fout, Ingevuld, Melding, VELD_CODE};
use crate::domain::vragenlijst::{Categorie, Soort, Vraag, Vragenlijst};
use crate::web::opname::{OpnameLink, Opnames};
use crate::web::render::Taalkeuze;
use crate::web::taal::{Taal, Talen};

/// What a form page is about; [`FormPage::new`] turns it into the template's values.
pub struct FormInput<'a> {
    pub lijst: &'a Vragenlijst,
    pub periode: &'a str,
    pub met_codes: bool,
    pub kanaal: Kanaal,
    pub csrf: &'a str,
    pub ingevuld: &'a Ingevuld,
    pub fouten: &'a [Fout],
    /// Texts (keys of `content/teksten/`) shown above the form, e.g. the kiosk's "saved".
    pub berichten: Vec<&'static str>,
    pub taal: &'a Taal,
    /// On a kiosk device: the token of the "Kiosk stoppen" button below the form.
    pub kiosk_stop: Option<&'a str>,
}

/// `enquete/formulier.html` (and the staff entry form, `beheer/invoer.html`).
#[derive(Debug, Serialize)]
pub struct FormPage<'a> {
    pub id: &'a str,
    /// Who answers it ("Ouders"), for the staff entry page's title.
    pub naam: &'a str,
    /// The questionnaire's title in the page's language.
    pub titel: &'a str,
    pub intro: &'a str,
    /// Where the form posts to (with `?taal=`).
    pub actie: String,
    pub csrf: &'a str,
    pub periode: &'a str,
    /// The period uses access codes (the privacy note says what a code keeps).
    pub met_codes: bool,
    /// The code field, when the period uses codes or a code was filled in.
    pub code: Option<CodeVeld<'a>>,
    pub berichten: Vec<&'static str>,
    /// The error summary at the top, in the order found.
    pub fouten: Vec<FoutRegel>,
    pub categorieen: Vec<CategorieVelden<'a>>,
    /// On a kiosk device: the staff's "Kiosk stoppen" form below the questions.
    pub kiosk_stop: Option<KioskStop<'a>>,
    /// The simple mode of this form (one question per screen), for the public form.
    pub eenvoudig: Option<String>,
    /// The public form's id: the header's language switcher submits it (answers kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taalformulier: Option<&'static str>,
    /// Staff entry of paper forms: the printable paper questionnaire it follows.
    pub papier: Option<String>,
}

/// The "Kiosk stoppen" form: where it posts to and its token.
#[derive(Debug, Serialize)]
pub struct KioskStop<'a> {
    pub actie: String,
    pub csrf: &'a str,
}

#[derive(Debug, Serialize)]
pub struct CodeVeld<'a> {
    pub waarde: &'a str,
    /// Online, a period with codes needs one; the kiosk and staff entry do not.
    pub verplicht: bool,
    pub fout: Option<Melding>,
}

/// One line of the error summary: what is wrong, and the control it links to.
#[derive(Debug, Serialize)]
pub struct FoutRegel {
    pub anker: Option<String>,
    pub melding: Melding,
}

/// The items of one care category, under its heading.
#[derive(Debug, Serialize)]
pub struct CategorieVelden<'a> {
    pub id: &'static str,
    pub vragen: Vec<VraagVeld<'a>>,
}

#[derive(Debug, Serialize)]
pub struct VraagVeld<'a> {
    pub id: &'a str,
    /// The number on the form (1, 2, …), as the error messages use it.
    pub nummer: usize,
    pub tekst: &'a str,
    pub uitleg: Option<&'a str>,
    pub verplicht: bool,
    /// `Some` for an open item: the longest answer.
    pub max_tekens: Option<usize>,
    /// What was filled in (the text of an open item, the value of a choice).
    pub waarde: &'a str,
    pub fout: Option<Melding>,
    /// `aria-describedby` of a choice item (the open item adds its hint first): the
    /// explanation and the error, when there are.
    pub beschreven: Option<String>,
    pub opties: Vec<Optie<'a>>,
    /// The school's recording of this item in the page's language (public pages only): played
    /// instead of the browser's speech synthesis.
    pub opname: Option<OpnameLink>,
}

impl VraagVeld<'_> {
    /// Links the school's recording of this item in `taal`, if there is one.
    pub fn zet_opname(&mut self, opnames: &Opnames, basis: &str, vragenlijst: &str, taal: &str) {
        self.opname = opnames.link(basis, vragenlijst, self.id, taal);
    }
}

/// One answer option of a choice item.
#[derive(Debug, Serialize)]
pub struct Optie<'a> {
    pub waarde: u8,
    /// The text's key for the fixed scales (`enquete.schaal.4`), else `None`...
    pub sleutel: Option<String>,
    /// ...and the option's own text in the page's language.
    pub label: Option<&'a str>,
    pub checked: bool,
}

/// Where the summary links to for a field: the first focusable control of it.
pub(crate) fn anker(lijst: &Vragenlijst, veld: &str) -> String {
    if veld == VELD_CODE {
        return "code".to_string();
    }
    match lijst.vraag(veld) {
        Some(v) => match v.opties().first() {
            Some((w, _)) => format!("v-{}-{w}", v.id),
            None => format!("v-{}", v.id),
        },
        None => "vragen".to_string(),
    }
}

pub(crate) fn fout_bij(fouten: &[Fout], veld: &str) -> Option<Melding> {
    fouten
        .iter()
        .find(|f| f.veld.as_deref() == Some(veld))
        .map(|f| f.melding)
}

pub(crate) fn vraag_veld<'a>(v: &'a Vraag, nummer: usize, input: &FormInput<'a>) -> VraagVeld<'a> {
    let taal = input.taal.code.as_str();
    let waarde = input.ingevuld.get(&v.id).unwrap_or("");
    let opties = v
        .opties()
        .into_iter()
        .enumerate()
        .map(|(i, (w, _))| {
            let (sleutel, label) = match &v.soort {
                Soort::Schaal => (Some(format!("enquete.schaal.{w}")), None),
                Soort::JaNee => (Some(format!("enquete.janee.{w}")), None),
                Soort::Keuze(opties) => (None, Some(opties[i].in_taal(taal))),
                Soort::Open { .. } => (None, None),
            };
            Optie {
                waarde: w,
                sleutel,
                label,
                checked: waarde == w.to_string(),
            }
        })
        .collect();
    let fout = fout_bij(input.fouten, &v.id);
    let beschreven: Vec<String> = v
        .uitleg
        .as_ref()
        .map(|_| format!("uitleg-{}", v.id))
        .into_iter()
        .chain(fout.map(|_| format!("fout-{}", v.id)))
        .collect();
    VraagVeld {
        id: &v.id,
        nummer,
        tekst: v.tekst.in_taal(taal),
        uitleg: v.uitleg.as_ref().map(|u| u.in_taal(taal)),
        verplicht: v.verplicht,
        max_tekens: match v.soort {
            Soort::Open { max_tekens } => Some(max_tekens),
            _ => None,
        },
        waarde,
        fout,
        beschreven: (!beschreven.is_empty()).then(|| beschreven.join(" ")),
        opties,
        opname: None,
    }
}

impl<'a> FormPage<'a> {
    /// Links the school's recordings of the items in `taal` (the public form, not staff entry).
    pub fn zet_opnames(&mut self, opnames: &Opnames, basis: &str, taal: &str) {
        for cat in &mut self.categorieen {
            for v in &mut cat.vragen {
                v.zet_opname(opnames, basis, self.id, taal);
            }
        }
    }

    /// `actie` is where the form posts to; `basis` the service's base path.
    pub fn new(input: &FormInput<'a>, actie: String, basis: &str) -> FormPage<'a> {
        let lijst = input.lijst;
        let taal = input.taal.code.as_str();
        let code_waarde = input.ingevuld.get(VELD_CODE).unwrap_or("");
        let code = (input.met_codes || !code_waarde.is_empty()).then(|| CodeVeld {
            waarde: code_waarde,
            verplicht: input.met_codes && input.kanaal == Kanaal::Online,
            fout: fout_bij(input.fouten, VELD_CODE),
        });
        let mut nummer = 0;
        let categorieen = Categorie::ALLE
            .into_iter()
            .filter_map(|categorie| {
                let vragen: Vec<VraagVeld> = lijst
                    .vragen
                    .iter()
                    .filter(|v| v.categorie == categorie)
                    .map(|v| {
                        nummer += 1;
                        vraag_veld(v, nummer, input)
                    })
                    .collect();
                (!vragen.is_empty()).then_some(CategorieVelden {
                    id: categorie.id(),
                    vragen,
                })
            })
            .collect();
        FormPage {
            id: &lijst.id,
            naam: lijst.naam(),
            titel: lijst.titel.in_taal(taal),
            intro: lijst.intro.in_taal(taal),
            actie,
            csrf: input.csrf,
            periode: input.periode,
            met_codes: input.met_codes,
            code,
            berichten: input.berichten.clone(),
            fouten: input
                .fouten
                .iter()
                .map(|f| FoutRegel {
                    anker: f.veld.as_deref().map(|v| anker(lijst, v)),
                    melding: f.melding,
                })
                .collect(),
            categorieen,
            kiosk_stop: input.kiosk_stop.map(|csrf| KioskStop {
                actie: format!("{basis}/enquete/{}/kiosk/stop", lijst.id),
                csrf,
            }),
            eenvoudig: None,
            taalformulier: None,
            papier: None,
        }
    }
}

/// `enquete/bedankt.html`.
#[derive(Debug, Serialize)]
pub struct BedanktPage<'a> {
    /// What happens with the answers, in the page's language.
    pub bedankt: &'a str,
}

/// `enquete/overzicht.html`: the questionnaires open now.
#[derive(Debug, Serialize)]
pub struct OverzichtPage {
    pub open: Vec<OpenVragenlijst>,
}

#[derive(Debug, Serialize)]
pub struct OpenVragenlijst {
    pub titel: String,
    pub url: String,
}

/// The language switcher of a questionnaire's pages: its languages, each linking to `pad`
/// (under the base path) in that language.
pub fn taalkeuze<'a>(
    lijst: &'a Vragenlijst,
    talen: &'a Talen,
    basis: &str,
    pad: &str,
    huidig: &Taal,
) -> Vec<Taalkeuze<'a>> {
    if lijst.talen.len() < 2 {
        return Vec::new();
    }
    lijst
        .talen
        .iter()
        .map(|code| {
            let t = talen.van(code);
            let url = format!("{basis}{pad}{}", t.query(talen, true));
            Taalkeuze {
                code,
                naam: talen.naam(code),
                richting: t.richting,
                permalink: url.clone(),
                url,
                vertaald: true,
                huidig: t.code == huidig.code,
            }
        })
        .collect()
}
