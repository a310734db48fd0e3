//! What templates get: the validated poster with roles resolved from `data/rollen.toml`.
//!
//! Everything here is ready to print: texts are trimmed and fit their space, contact links are
//! built, and panel titles are split so a template can stress the word written in capitals
//! ("ZORG op onze school").

use serde::Serialize;

/// The whole poster (`poster` in the templates' global context).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PosterView {
    pub titel: String,
    pub ondertitel: Option<String>,
    pub schooljaar: Option<String>,
    pub zorg: ZorgView,
    pub samen: SamenView,
    pub sterren: Vec<SterView>,
    pub sleutels: Vec<SleutelView>,
}

/// A panel title in parts: `"ZORG op onze school"` → `[ZORG (nadruk), " op onze school"]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitelView {
    /// The title as written.
    pub tekst: String,
    pub delen: Vec<Deel>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deel {
    /// Text as written, spaces included.
    pub tekst: String,
    /// A word in capitals: the template stresses it (`<strong>`).
    pub nadruk: bool,
}

impl TitelView {
    pub fn new(tekst: &str) -> TitelView {
        let mut delen: Vec<Deel> = Vec::new();
        for word in tekst.split(' ') {
            let nadruk = is_capitalised(word);
            match delen.last_mut() {
                Some(last) if last.nadruk == nadruk => {
                    last.tekst.push(' ');
                    last.tekst.push_str(word);
                }
                Some(last) if !last.nadruk => {
                    last.tekst.push(' ');
                    delen.push(Deel {
                        tekst: word.to_string(),
                        nadruk,
                    });
                }
                Some(_) => delen.push(Deel {
                    tekst: format!(" {word}"),
                    nadruk,
                }),
                None => delen.push(Deel {
                    tekst: word.to_string(),
                    nadruk,
                }),
            }
        }
        TitelView {
            tekst: tekst.to_string(),
            delen,
        }
    }
}

/// A word written in capitals ("ZORG", "SAMEN"): at least two letters, all upper case.
fn is_capitalised(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// Panel "ZORG op onze school": the four phases of the care continuum, in order 0–3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZorgView {
    pub titel: TitelView,
    pub inleiding: Option<String>,
    pub fasen: Vec<FaseView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaseView {
    pub nummer: u8,
    pub naam: String,
    pub kort: Option<String>,
    /// Icon name in `site/static/icons/` (without `.svg`).
    pub pictogram: String,
    /// What the school does in this phase, one short sentence each.
    pub wat: Vec<String>,
}

/// Panel "Dat doen we SAMEN": the people and groups involved, in the poster's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SamenView {
    pub titel: TitelView,
    pub inleiding: Option<String>,
    pub rollen: Vec<WieView>,
}

/// A role from `data/rollen.toml` as the poster shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WieView {
    /// The role id: templates use `rol-{{ id }}` for its colour (from `rollen.css`).
    pub id: String,
    pub naam: String,
    pub persoon: Option<String>,
    /// What they do (the poster's `taak`, or the role's `wat`).
    pub taak: String,
    /// How to reach them (the poster's `bereik`, or the role's).
    pub bereik: String,
    pub contact: Option<String>,
    /// `mailto:` or `tel:` link for `contact`.
    pub contact_href: Option<String>,
    pub pictogram: String,
    /// `intern` or `extern`.
    pub groep: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SterView {
    pub tekst: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SleutelView {
    pub tekst: String,
    pub waarom: Option<String>,
    pub bron: Option<BronView>,
}

/// The survey item behind a key, so the poster, the survey and its results tell one story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BronView {
    /// Questionnaire id (`ouders`, `collegas`): the file `enquetes/<id>.toml`.
    pub vragenlijst: String,
    /// Item id inside that questionnaire.
    pub item: String,
    /// Who was asked, for people: "ouders", "collega's".
    pub wie: String,
    /// The question as asked, when the questionnaire is present.
    pub vraag: Option<String>,
    /// Where the results of this item are shown; filled in once public results exist.
    pub url: Option<String>,
}

/// `mailto:` for an e-mail address, `tel:` (without spaces) for anything else.
pub fn contact_href(contact: &str) -> String {
    if contact.contains('@') {
        format!("mailto:{contact}")
    } else {
        format!(
            "tel:{}",
            contact
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(t: &str) -> Vec<(String, bool)> {
        TitelView::new(t)
            .delen
            .into_iter()
            .map(|d| (d.tekst, d.nadruk))
            .collect()
    }

    #[test]
    fn capitalised_words_are_stressed() {
        assert_eq!(
            parts("ZORG op onze school"),
            [("ZORG".into(), true), (" op onze school".into(), false)]
        );
        assert_eq!(
            parts("Dat doen we SAMEN"),
            [("Dat doen we ".into(), false), ("SAMEN".into(), true)]
        );
        assert_eq!(
            parts("Hier zijn we sterk in"),
            [("Hier zijn we sterk in".into(), false)]
        );
        assert_eq!(parts("A"), [("A".into(), false)]);
        let joined: String = TitelView::new("Dat doen we SAMEN thuis")
            .delen
            .iter()
            .map(|d| d.tekst.as_str())
            .collect();
        assert_eq!(joined, "Dat doen we SAMEN thuis");
        assert_eq!(
            parts("Met het CLB en u"),
            [
                ("Met het ".into(), false),
                ("CLB".into(), true),
                (" en u".into(), false)
            ]
        );
    }

    #[test]
    fn contact_links() {
        assert_eq!(contact_href("a@b.be"), "mailto:a@b.be");
        assert_eq!(contact_href("01 234 56 79"), "tel:012345679");
    }
}
