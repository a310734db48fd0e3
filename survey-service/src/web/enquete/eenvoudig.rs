//! The simple mode (`/enquete/<vragenlijst>/eenvoudig`, served by [`super::show`] and
//! [`super::submit`]): one question per screen, the answers
//! as big buttons with a face and the words, "vraag 3 van 16", a back button. It works without
//! JavaScript and keeps nothing on the server between screens:
//!
//! - every screen is a form that POSTs to the same address; the answers given so far travel in
//!   hidden fields (item id = value, exactly the fields of the normal form), plus `_stap` (the
//!   screen that was shown), `_ga` (`verder`, `terug`, `versturen`), `_antwoord` (the button
//!   pressed on a choice screen) and `_taal` (the language switcher). Item ids never start with
//!   `_`, so these names cannot clash with an item;
//! - each step goes through [`super::verstuur`]: the same junk checks, the same form token
//!   (checked valid and unused at every step, taken only by the final store) and the one
//!   validation ([`crate::domain::antwoord::lees`]); a tampered step (unknown item, value out of
//!   range, a changed hidden field) is refused and shown again with every answer kept;
//! - the last screen ("Klaar") sends an ordinary form body down the one storage path
//!   ([`super::bewaar_met`]), so codes, kiosk, channels and anonymity are those of the form.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::pages::{self, CodeVeld, FormInput, FoutRegel, KioskStop, VraagVeld};
use super::{Bestemming, Weergave};
use crate::domain::Kanaal;
use crate::domain::antwoord::{Form, Fout, Gelezen, Melding, VELD_CODE};
use crate::domain::vragenlijst::{Soort, Vragenlijst};
use crate::web::AppState;
use crate::web::render::ENQUETE_EENVOUDIG;
use crate::web::taal::{Taal, Talen};

/// The navigation fields of a step (removed from the form before it is read).
pub const VELD_STAP: &str = "_stap";
pub const VELD_GA: &str = "_ga";
pub const VELD_ANTWOORD: &str = "_antwoord";
pub const VELD_TAAL: &str = "_taal";

/// One screen of the simple mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scherm {
    /// The access code (online, in a period with codes, when the letter's QR code did not
    /// fill it in).
    Code,
    /// The item at this index of the questionnaire.
    Vraag(usize),
    /// "Klaar": the privacy note and the button that sends everything.
    Klaar,
}

impl Scherm {
    fn waarde(self) -> String {
        match self {
            Scherm::Code => "code".into(),
            Scherm::Vraag(i) => (i + 1).to_string(),
            Scherm::Klaar => "klaar".into(),
        }
    }

    fn lees(s: &str, aantal: usize) -> Option<Scherm> {
        match s {
            "code" => Some(Scherm::Code),
            "klaar" => Some(Scherm::Klaar),
            n => n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=aantal).contains(n))
                .map(|n| Scherm::Vraag(n - 1)),
        }
    }
}

/// What the person pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ga {
    /// An answer button, or "Verder".
    Verder,
    Terug,
    /// "Versturen" on the last screen: the ordinary submission.
    Versturen,
    /// The language switcher: the same screen in that language.
    Taal(Taal),
}

/// The navigation of one step.
#[derive(Debug, Clone)]
pub struct Stap {
    /// The screen the step was sent from.
    pub scherm: Scherm,
    pub ga: Ga,
    /// `_stap` or `_ga` was missing or not one we make (a tampered step).
    pub onbekend: bool,
}

/// Takes the navigation fields out of `form` and puts a pressed answer button in place of the
/// current item's hidden value, so the rest is an ordinary form body for the one validation.
pub fn neem_navigatie(form: &mut Form, lijst: &Vragenlijst, talen: &Talen) -> Stap {
    let mut stap = None;
    let mut ga = None;
    let mut antwoord = None;
    let mut taal = None;
    let mut onbekend = false;
    form.velden.retain(|(naam, waarde)| {
        let doel = match naam.as_str() {
            VELD_STAP => &mut stap,
            VELD_GA => &mut ga,
            VELD_ANTWOORD => &mut antwoord,
            VELD_TAAL => &mut taal,
            _ => return true,
        };
        if doel.is_some() {
            onbekend = true;
        }
        *doel = Some(waarde.clone());
        false
    });
    let scherm = stap
        .as_deref()
        .and_then(|s| Scherm::lees(s, lijst.vragen.len()));
    let ga = match (ga.as_deref(), &antwoord, &taal) {
        (_, _, Some(t)) => Some(Ga::Taal(talen.van(t))),
        (_, Some(_), None) | (Some("verder"), None, None) => Some(Ga::Verder),
        (Some("terug"), None, None) => Some(Ga::Terug),
        (Some("versturen"), None, None) if scherm == Some(Scherm::Klaar) => Some(Ga::Versturen),
        _ => None,
    };
    if antwoord.is_some() && !matches!(scherm, Some(Scherm::Vraag(_))) {
        onbekend = true;
    }
    if let (Some(Scherm::Vraag(i)), Some(waarde)) = (scherm, antwoord) {
        let id = &lijst.vragen[i].id;
        form.velden.retain(|(naam, _)| naam != id);
        form.velden.push((id.clone(), waarde));
    }
    Stap {
        onbekend: onbekend || scherm.is_none() || ga.is_none(),
        scherm: scherm.unwrap_or(Scherm::Vraag(0)),
        ga: ga.unwrap_or(Ga::Terug),
    }
}

/// Takes the language switcher's `_taal` out of a normal form's body: the language chosen.
pub fn neem_taal(form: &mut Form, talen: &Talen) -> Option<Taal> {
    let mut taal = None;
    form.velden.retain(|(naam, waarde)| {
        if naam == VELD_TAAL {
            taal = Some(talen.van(waarde));
            false
        } else {
            true
        }
    });
    taal
}

/// Whether this form shows the code screen: online, in a period with codes.
fn met_codescherm(input: &FormInput<'_>) -> bool {
    input.met_codes && input.kanaal == Kanaal::Online
}

/// The first screen: the code when one is needed and not filled in yet, else question 1.
pub fn eerste_scherm(input: &FormInput<'_>) -> Scherm {
    if met_codescherm(input) && input.ingevuld.get(VELD_CODE).unwrap_or("").is_empty() {
        Scherm::Code
    } else {
        Scherm::Vraag(0)
    }
}

/// A screen that exists for this form (no code screen without codes, no item past the end).
fn bestaand(scherm: Scherm, input: &FormInput<'_>) -> Scherm {
    match scherm {
        Scherm::Code if !met_codescherm(input) => Scherm::Vraag(0),
        Scherm::Vraag(i) if i >= input.lijst.vragen.len() => Scherm::Klaar,
        s => s,
    }
}

/// Where to show `fouten`: the screen of the first problem tied to a field, else `scherm`.
pub fn foutscherm(
    lijst: &Vragenlijst,
    fouten: &[Fout],
    scherm: Scherm,
    input: &FormInput<'_>,
) -> Scherm {
    let eerste = fouten.iter().find_map(|f| match f.veld.as_deref() {
        Some(VELD_CODE) if met_codescherm(input) => Some(Scherm::Code),
        Some(id) => lijst
            .vragen
            .iter()
            .position(|v| v.id == id)
            .map(Scherm::Vraag),
        None => None,
    });
    eerste.unwrap_or(scherm)
}

/// The screen after a valid step.
fn na(scherm: Scherm, ga: &Ga, aantal: usize) -> Scherm {
    match (ga, scherm) {
        (Ga::Verder, Scherm::Code) => Scherm::Vraag(0),
        (Ga::Verder, Scherm::Vraag(i)) if i + 1 < aantal => Scherm::Vraag(i + 1),
        (Ga::Verder, _) => Scherm::Klaar,
        (Ga::Terug, Scherm::Vraag(0) | Scherm::Code) => Scherm::Code,
        (Ga::Terug, Scherm::Vraag(i)) => Scherm::Vraag(i - 1),
        (Ga::Terug, Scherm::Klaar) => Scherm::Vraag(aantal.saturating_sub(1)),
        (Ga::Taal(_) | Ga::Versturen, s) => s,
    }
}

/// Whether a problem found by the one validation blocks this step. Everything blocks except
/// an unanswered question the person has not reached yet (or leaves with "terug" or the
/// language switcher): tampering (unknown items, values out of range, doubled fields,
/// unreadable bytes, a badly formed code) is refused at every step.
fn blokkeert(f: &Fout, lijst: &Vragenlijst, stap: &Stap) -> bool {
    let open = matches!(f.melding, Melding::KiesAntwoord(_) | Melding::VulIn(_));
    if !open {
        return true;
    }
    let bereikt = match stap.scherm {
        Scherm::Code => return false,
        Scherm::Vraag(i) => i,
        Scherm::Klaar => lijst.vragen.len(),
    };
    let index = f
        .veld
        .as_deref()
        .and_then(|id| lijst.vragen.iter().position(|v| v.id == id));
    match (&stap.ga, index) {
        (Ga::Verder, Some(i)) => i <= bereikt,
        _ => false,
    }
}

/// A step before the last one: the next screen, or the same screen with what to fix. Nothing
/// is stored; the token travels on unused.
pub(crate) async fn volgende_stap(
    state: &AppState,
    lijst: &Vragenlijst,
    doel: &mut Bestemming,
    gelezen: Gelezen,
    stap: &Stap,
) -> Response {
    let mut fouten: Vec<Fout> = match &gelezen.resultaat {
        Ok(_) => Vec::new(),
        Err(f) => f
            .iter()
            .filter(|f| blokkeert(f, lijst, stap))
            .cloned()
            .collect(),
    };
    if stap.onbekend {
        fouten.insert(0, Fout::algemeen(Melding::OnbekendeVraag));
    }
    // The code screen asks for the code before the questions (the writer checks it exists).
    if stap.scherm == Scherm::Code
        && stap.ga == Ga::Verder
        && doel.kanaal == Kanaal::Online
        && gelezen.code.is_none()
        && !fouten.iter().any(|f| f.veld.as_deref() == Some(VELD_CODE))
    {
        fouten.push(Fout::bij(VELD_CODE, Melding::CodeNodig));
    }
    if fouten.is_empty() {
        doel.weergave = Weergave::Eenvoudig(na(stap.scherm, &stap.ga, lijst.vragen.len()));
        super::opnieuw(state, lijst, doel, &gelezen.ingevuld, &[], StatusCode::OK).await
    } else {
        doel.weergave = Weergave::Eenvoudig(stap.scherm);
        super::opnieuw(
            state,
            lijst,
            doel,
            &gelezen.ingevuld,
            &fouten,
            StatusCode::BAD_REQUEST,
        )
        .await
    }
}

/// `enquete/eenvoudig.html`: one screen.
#[derive(Debug, Serialize)]
pub struct EenvoudigPage<'a> {
    pub id: &'a str,
    pub titel: &'a str,
    /// Where every step posts to (with `?taal=`).
    pub actie: String,
    pub csrf: &'a str,
    pub periode: &'a str,
    /// `_stap`: this screen.
    pub stap: String,
    /// `code`, `vraag` or `klaar`.
    pub scherm: &'static str,
    /// The question's number and the number of questions ("vraag 3 van 16").
    pub nummer: usize,
    pub totaal: usize,
    pub vraag: Option<VraagVeld<'a>>,
    /// On the code screen: the code field.
    pub code: Option<CodeVeld<'a>>,
    /// Every answer given so far (and the code), except the field on this screen.
    pub verborgen: Vec<Verborgen<'a>>,
    pub fouten: Vec<FoutRegel>,
    pub berichten: Vec<&'static str>,
    /// There is a screen before this one.
    pub terug: bool,
    pub met_codes: bool,
    /// The whole form on one page.
    pub formulier: String,
    /// The form the language switcher's buttons belong to (they submit it, keeping answers).
    pub taalformulier: &'static str,
    pub kiosk_stop: Option<KioskStop<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Verborgen<'a> {
    pub naam: &'a str,
    pub waarde: &'a str,
}

/// Renders one screen of the simple mode for a form's state.
pub(crate) fn scherm(
    state: &AppState,
    input: &FormInput<'_>,
    scherm: Scherm,
    status: StatusCode,
) -> Response {
    let r = &state.renderer;
    let lijst = input.lijst;
    let scherm = bestaand(scherm, input);
    let huidig = match scherm {
        Scherm::Vraag(i) => Some(&lijst.vragen[i]),
        _ => None,
    };
    let mut verborgen = Vec::new();
    if scherm != Scherm::Code
        && let Some(code) = input.ingevuld.get(VELD_CODE).filter(|c| !c.is_empty())
    {
        verborgen.push(Verborgen {
            naam: VELD_CODE,
            waarde: code,
        });
    }
    for v in &lijst.vragen {
        let Some(waarde) = input.ingevuld.get(&v.id).filter(|w| !w.is_empty()) else {
            continue;
        };
        let hier = huidig.is_some_and(|h| h.id == v.id);
        // The open item on its own screen is the text field; a choice keeps its answer
        // hidden (so "terug" keeps it) only when it is one of the options.
        let houden = !hier
            || (!matches!(v.soort, Soort::Open { .. })
                && v.opties().iter().any(|(w, _)| w.to_string() == waarde));
        if houden {
            verborgen.push(Verborgen {
                naam: &v.id,
                waarde,
            });
        }
    }
    let fouten = input
        .fouten
        .iter()
        .map(|f| {
            let op_dit_scherm = match (f.veld.as_deref(), scherm) {
                (Some(VELD_CODE), Scherm::Code) => true,
                (Some(id), Scherm::Vraag(_)) => huidig.is_some_and(|h| h.id == id),
                _ => false,
            };
            FoutRegel {
                anker: op_dit_scherm
                    .then(|| f.veld.as_deref().map(|v| pages::anker(lijst, v)))
                    .flatten(),
                melding: f.melding,
            }
        })
        .collect();
    let query = input.taal.query(&r.talen, true);
    let id = &lijst.id;
    let pad = match input.kanaal {
        Kanaal::Kiosk => format!("/enquete/{id}/kiosk"),
        _ => format!("/enquete/{id}"),
    };
    let code_waarde = input.ingevuld.get(VELD_CODE).unwrap_or("");
    let mut page = EenvoudigPage {
        id,
        titel: lijst.titel.in_taal(&input.taal.code),
        actie: r.url(&format!("{pad}/eenvoudig{query}")),
        csrf: input.csrf,
        periode: input.periode,
        stap: scherm.waarde(),
        scherm: match scherm {
            Scherm::Code => "code",
            Scherm::Vraag(_) => "vraag",
            Scherm::Klaar => "klaar",
        },
        nummer: match scherm {
            Scherm::Vraag(i) => i + 1,
            _ => 0,
        },
        totaal: lijst.vragen.len(),
        vraag: match scherm {
            Scherm::Vraag(i) => Some(pages::vraag_veld(&lijst.vragen[i], i + 1, input)),
            _ => None,
        },
        code: (scherm == Scherm::Code).then(|| CodeVeld {
            waarde: code_waarde,
            verplicht: true,
            fout: pages::fout_bij(input.fouten, VELD_CODE),
        }),
        verborgen,
        fouten,
        berichten: input.berichten.clone(),
        terug: match scherm {
            Scherm::Code => false,
            Scherm::Vraag(0) => met_codescherm(input),
            _ => true,
        },
        met_codes: input.met_codes,
        formulier: r.url(&format!("{pad}{query}")),
        taalformulier: "stap",
        kiosk_stop: input.kiosk_stop.map(|csrf| KioskStop {
            actie: r.url(&format!("/enquete/{id}/kiosk/stop")),
            csrf,
        }),
    };
    if let Some(v) = page.vraag.as_mut() {
        v.zet_opname(&state.opnames, &r.basis, id, &input.taal.code);
    }
    let keuze = pages::taalkeuze(
        lijst,
        &r.talen,
        &r.basis,
        &format!("{pad}/eenvoudig"),
        input.taal,
    );
    r.html(status, ENQUETE_EENVOUDIG, input.taal, &keuze, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screens_round_trip_and_refuse_what_we_never_make() {
        for s in [
            Scherm::Code,
            Scherm::Vraag(0),
            Scherm::Vraag(15),
            Scherm::Klaar,
        ] {
            assert_eq!(Scherm::lees(&s.waarde(), 16), Some(s));
        }
        for fout in ["0", "17", "-1", "", "KLAAR", "3.0"] {
            assert_eq!(Scherm::lees(fout, 16), None, "{fout}");
        }
    }

    #[test]
    fn navigation_walks_forward_and_back() {
        assert_eq!(na(Scherm::Code, &Ga::Verder, 3), Scherm::Vraag(0));
        assert_eq!(na(Scherm::Vraag(1), &Ga::Verder, 3), Scherm::Vraag(2));
        assert_eq!(na(Scherm::Vraag(2), &Ga::Verder, 3), Scherm::Klaar);
        assert_eq!(na(Scherm::Klaar, &Ga::Terug, 3), Scherm::Vraag(2));
        assert_eq!(na(Scherm::Vraag(0), &Ga::Terug, 3), Scherm::Code);
        assert_eq!(na(Scherm::Vraag(2), &Ga::Terug, 3), Scherm::Vraag(1));
    }
}
