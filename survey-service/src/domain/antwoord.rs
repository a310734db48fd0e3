//! Turning a submitted form into answers: strict decoding, one error per field, nothing lost.
//!
//! Whatever the body holds, [`lees`] returns what the person filled in (to show it again) and
//! either validated [`Antwoorden`] or the list of problems. It never panics.

use std::collections::HashMap;

use serde_json::Value;

use super::code::Code;
use super::vragenlijst::{Soort, Vragenlijst};

/// Form fields that are not items.
pub const VELD_CSRF: &str = "csrf";
pub const VELD_PERIODE: &str = "periode";
pub const VELD_CODE: &str = "code";

/// The decoded fields of an `application/x-www-form-urlencoded` body, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Form {
    pub velden: Vec<(String, String)>,
    /// Some bytes were not valid UTF-8 (they were replaced by U+FFFD to show them again).
    pub onleesbaar: bool,
}

/// One name or value of a form body: `+` is a space, `%xx` a byte (a `%` without two hex digits
/// stays as it is).
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let spaced: Vec<u8> = bytes
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&spaced).collect()
}

/// Decodes a form body strictly: invalid UTF-8 (raw or percent-encoded) is flagged, not hidden.
pub fn decodeer(body: &[u8]) -> Form {
    let mut form = Form::default();
    for paar in body.split(|&b| b == b'&') {
        if paar.is_empty() {
            continue;
        }
        let (naam, waarde) = match paar.iter().position(|&b| b == b'=') {
            Some(i) => (&paar[..i], &paar[i + 1..]),
            None => (paar, &[][..]),
        };
        let mut tekst = |bytes: &[u8]| match String::from_utf8(percent_decode(bytes)) {
            Ok(s) => s,
            Err(e) => {
                form.onleesbaar = true;
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        let naam = tekst(naam);
        let waarde = tekst(waarde);
        form.velden.push((naam, waarde));
    }
    form
}

/// What the person filled in, by field name, to show the form again exactly as it was.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ingevuld {
    pub waarden: HashMap<String, String>,
}

impl Ingevuld {
    pub fn get(&self, veld: &str) -> Option<&str> {
        self.waarden.get(veld).map(String::as_str)
    }
}

/// One problem, tied to a field (item id or `code`) when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fout {
    pub veld: Option<String>,
    pub melding: Melding,
}

/// What is wrong, without words: the survey pages say it in the form's language, with the
/// text [`Melding::sleutel`] of `content/teksten/<taal>.toml` (`[melding]`) and its numbers
/// (`{n}`, `{max}`, `{lengte}`); it serializes as `{ sleutel, n, max, lengte }` for the
/// templates. Numbers are question numbers as shown on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Melding {
    /// The form had bytes that are not UTF-8.
    Onleesbaar,
    /// A field that is not in this questionnaire.
    OnbekendeVraag,
    /// The code does not have the shape of a code.
    CodeVorm,
    /// More than one answer to question `n`.
    Dubbel(usize),
    /// The open answer to question `nummer` is longer than `max` characters.
    TeLang {
        nummer: usize,
        max: usize,
        lengte: usize,
    },
    /// A required open question left empty.
    VulIn(usize),
    /// A required choice not answered.
    KiesAntwoord(usize),
    /// A value that is not one of the options.
    OnbekendAntwoord(usize),
    /// Not sent as a form (415).
    GeenFormulier,
    /// The body was too large (413).
    TeGroot,
    /// The form token was missing, expired or wrong.
    Verlopen,
    /// This form (its token) was already sent and stored once.
    AlGebruikt,
    /// Too many submissions from one network (429).
    TeVeel,
    /// The period needs a code and none was given.
    CodeNodig,
    /// Unknown or already used code.
    CodeOngeldig,
    /// The database could not store the answers (503).
    NietBewaard,
}

impl Melding {
    /// The text that words it: `melding.<naam>` in `content/teksten/<taal>.toml`.
    pub fn sleutel(self) -> &'static str {
        match self {
            Melding::Onleesbaar => "melding.onleesbaar",
            Melding::OnbekendeVraag => "melding.onbekende_vraag",
            Melding::CodeVorm => "melding.code_vorm",
            Melding::Dubbel(_) => "melding.dubbel",
            Melding::TeLang { .. } => "melding.te_lang",
            Melding::VulIn(_) => "melding.vul_in",
            Melding::KiesAntwoord(_) => "melding.kies_antwoord",
            Melding::OnbekendAntwoord(_) => "melding.onbekend_antwoord",
            Melding::GeenFormulier => "melding.geen_formulier",
            Melding::TeGroot => "melding.te_groot",
            Melding::Verlopen => "melding.verlopen",
            Melding::AlGebruikt => "melding.al_gebruikt",
            Melding::TeVeel => "melding.te_veel",
            Melding::CodeNodig => "melding.code_nodig",
            Melding::CodeOngeldig => "melding.code_ongeldig",
            Melding::NietBewaard => "melding.niet_bewaard",
        }
    }

    /// The question number (`{n}`), and for a too long answer `{max}` and `{lengte}`.
    pub fn getallen(self) -> (Option<usize>, Option<usize>, Option<usize>) {
        match self {
            Melding::Dubbel(n)
            | Melding::VulIn(n)
            | Melding::KiesAntwoord(n)
            | Melding::OnbekendAntwoord(n) => (Some(n), None, None),
            Melding::TeLang {
                nummer,
                max,
                lengte,
            } => (Some(nummer), Some(max), Some(lengte)),
            _ => (None, None, None),
        }
    }
}

impl serde::Serialize for Melding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (n, max, lengte) = self.getallen();
        let mut st = s.serialize_struct("Melding", 4)?;
        st.serialize_field("sleutel", self.sleutel())?;
        st.serialize_field("n", &n)?;
        st.serialize_field("max", &max)?;
        st.serialize_field("lengte", &lengte)?;
        st.end()
    }
}

impl Fout {
    pub fn bij(veld: &str, melding: Melding) -> Fout {
        Fout {
            veld: Some(veld.to_string()),
            melding,
        }
    }

    pub fn algemeen(melding: Melding) -> Fout {
        Fout {
            veld: None,
            melding,
        }
    }
}

/// Validated answers, as the JSON object stored with the response:
/// `{"<item>@<versie>": <number or text>, …}`; unanswered optional items are absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Antwoorden {
    pub json: String,
    pub aantal: usize,
}

/// The outcome of reading a submitted form.
#[derive(Debug, Clone)]
pub struct Gelezen {
    pub ingevuld: Ingevuld,
    pub csrf: Option<String>,
    pub periode: Option<String>,
    pub code: Option<Code>,
    pub resultaat: Result<Antwoorden, Vec<Fout>>,
}

/// Reads a decoded form against a questionnaire.
pub fn lees(lijst: &Vragenlijst, form: &Form) -> Gelezen {
    let mut ingevuld = Ingevuld::default();
    let mut fouten: Vec<Fout> = Vec::new();
    let mut dubbel: Vec<String> = Vec::new();
    let mut onbekend = 0usize;
    let mut csrf = None;
    let mut periode = None;
    let mut code_tekst = None;

    for (naam, waarde) in &form.velden {
        match naam.as_str() {
            VELD_CSRF => csrf = Some(waarde.clone()),
            VELD_PERIODE => periode = Some(waarde.clone()),
            VELD_CODE => {
                code_tekst = Some(waarde.clone());
                ingevuld.waarden.insert(naam.clone(), waarde.clone());
            }
            _ if lijst.vraag(naam).is_some() => {
                if ingevuld.waarden.contains_key(naam) {
                    if !dubbel.contains(naam) {
                        dubbel.push(naam.clone());
                    }
                } else {
                    ingevuld.waarden.insert(naam.clone(), waarde.clone());
                }
            }
            _ => onbekend += 1,
        }
    }

    if form.onleesbaar {
        fouten.push(Fout::algemeen(Melding::Onleesbaar));
    }
    if onbekend > 0 {
        fouten.push(Fout::algemeen(Melding::OnbekendeVraag));
    }

    let code = match code_tekst.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => match Code::parse(t) {
            Some(c) => Some(c),
            None => {
                fouten.push(Fout::bij(VELD_CODE, Melding::CodeVorm));
                None
            }
        },
    };

    // The JSON object is written directly (keys are ids, so they need no escaping; texts go
    // through serde_json): a few hundred submissions a second should not cost a map each.
    let mut json = String::with_capacity(512);
    json.push('{');
    let mut aantal = 0usize;
    let mut zet = |sleutel: String, waarde: &str| {
        if aantal > 0 {
            json.push(',');
        }
        json.push('"');
        json.push_str(&sleutel);
        json.push_str("\":");
        json.push_str(waarde);
        aantal += 1;
    };
    for (i, vraag) in lijst.vragen.iter().enumerate() {
        let nummer = i + 1;
        if dubbel.contains(&vraag.id) {
            fouten.push(Fout::bij(&vraag.id, Melding::Dubbel(nummer)));
            continue;
        }
        let waarde = ingevuld.get(&vraag.id).unwrap_or("");
        match &vraag.soort {
            Soort::Open { max_tekens } => {
                let tekst: String = waarde
                    .replace("\r\n", "\n")
                    .chars()
                    .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
                    .collect();
                let tekst = tekst.trim();
                let lengte = tekst.chars().count();
                if lengte > *max_tekens {
                    fouten.push(Fout::bij(
                        &vraag.id,
                        Melding::TeLang {
                            nummer,
                            max: *max_tekens,
                            lengte,
                        },
                    ));
                } else if tekst.is_empty() {
                    if vraag.verplicht {
                        fouten.push(Fout::bij(&vraag.id, Melding::VulIn(nummer)));
                    }
                } else {
                    zet(
                        vraag.sleutel(),
                        &Value::String(tekst.to_string()).to_string(),
                    );
                }
            }
            _ => {
                if waarde.is_empty() {
                    if vraag.verplicht {
                        fouten.push(Fout::bij(&vraag.id, Melding::KiesAntwoord(nummer)));
                    }
                    continue;
                }
                let gekozen = waarde
                    .parse::<u8>()
                    .ok()
                    .filter(|w| vraag.opties().iter().any(|(o, _)| o == w));
                match gekozen {
                    Some(w) => zet(vraag.sleutel(), &w.to_string()),
                    None => fouten.push(Fout::bij(&vraag.id, Melding::OnbekendAntwoord(nummer))),
                }
            }
        }
    }

    json.push('}');
    let resultaat = if fouten.is_empty() {
        Ok(Antwoorden { json, aantal })
    } else {
        Err(fouten)
    };
    Gelezen {
        ingevuld,
        csrf,
        periode,
        code,
        resultaat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vragenlijst::parse;
    use zorgsite::diagnostics::Source;

    fn lijst() -> Vragenlijst {
        let text = r#"
id = "ouders"
titel = "t"
intro = "i"
bedankt = "b"
[[vraag]]
id = "a"
versie = 1
categorie = "leren"
soort = "schaal"
tekst = "A"
[[vraag]]
id = "b"
versie = 3
categorie = "welbevinden"
soort = "janee"
tekst = "B"
[[vraag]]
id = "idee"
versie = 1
categorie = "samenwerking"
soort = "open"
max_tekens = 10
tekst = "Idee?"
"#;
        parse(&Source::new("ouders.toml", text), "ouders").unwrap()
    }

    #[test]
    fn decodes_plus_percent_and_flags_invalid_utf8() {
        let f = decodeer(b"a=1&idee=caf%C3%A9+ok&x");
        assert_eq!(
            f.velden,
            vec![
                ("a".into(), "1".into()),
                ("idee".into(), "café ok".into()),
                ("x".into(), "".into())
            ]
        );
        assert!(!f.onleesbaar);
        assert!(decodeer(b"idee=%FF").onleesbaar);
        assert!(decodeer(b"idee=\xff\xfe").onleesbaar);
        // Broken escapes stay literal.
        assert_eq!(decodeer(b"idee=50%").velden[0].1, "50%");
        assert_eq!(decodeer(b"idee=%4").velden[0].1, "%4");
        assert_eq!(decodeer(b"idee=%zz").velden[0].1, "%zz");
    }

    #[test]
    fn valid_form_gives_keyed_json() {
        let g = lees(
            &lijst(),
            &decodeer(b"csrf=t&periode=p&a=4&b=0&idee=Meer+tijd"),
        );
        let a = g.resultaat.unwrap();
        assert_eq!(a.json, r#"{"a@1":4,"b@3":0,"idee@1":"Meer tijd"}"#);
        assert_eq!(g.csrf.as_deref(), Some("t"));
        assert_eq!(g.periode.as_deref(), Some("p"));
    }

    #[test]
    fn every_problem_is_reported_and_answers_are_kept() {
        let g = lees(
            &lijst(),
            &decodeer(b"a=9&idee=veel+te+lange+tekst&onbekend=1&code=XX"),
        );
        let fouten = g.resultaat.unwrap_err();
        let velden: Vec<Option<&str>> = fouten.iter().map(|f| f.veld.as_deref()).collect();
        assert!(velden.contains(&None), "unknown field is reported");
        assert!(velden.contains(&Some("a")), "out of range");
        assert!(velden.contains(&Some("b")), "missing");
        assert!(velden.contains(&Some("idee")), "too long");
        assert!(velden.contains(&Some("code")), "malformed code");
        assert_eq!(g.ingevuld.get("a"), Some("9"));
        assert_eq!(g.ingevuld.get("idee"), Some("veel te lange tekst"));
    }

    #[test]
    fn duplicate_answers_are_refused() {
        let g = lees(&lijst(), &decodeer(b"a=1&a=2&b=1"));
        let fouten = g.resultaat.unwrap_err();
        assert_eq!(fouten.len(), 1);
        assert_eq!(fouten[0].melding, Melding::Dubbel(1));
    }
}
