//! Interface texts: `teksten/<taal>.toml`, one file per language, with every fixed text of the
//! site, the survey pages and the dashboard (menus, buttons, headings, error messages), so a
//! coordinator can correct or translate them without a developer.
//!
//! ```toml
//! # teksten/nl.toml
//! [site]
//! hoofdmenu = "Hoofdmenu"
//!
//! [melding]
//! kies_antwoord = "Kies een antwoord bij vraag {n}."
//! ```
//!
//! A text is named by its table and key: `site.hoofdmenu`, `melding.kies_antwoord`; templates
//! show it with `trans(key="site.hoofdmenu")` and fill placeholders with arguments of the same
//! name: `trans(key="melding.kies_antwoord", n=3)`.
//!
//! The default language's file (`nl.toml`) is the reference and has every key. Checks, all
//! located (`file:line:col`):
//! - a key another language has but the reference lacks is an **error** (a typo would never
//!   be shown), as is a placeholder the reference text does not have (it would never be filled);
//! - a key the reference has but another language lacks is a **warning**: the page shows the
//!   Dutch text until someone translates it, so adding a key in `nl.toml` never breaks a build;
//! - tables in [`ALLEEN_STANDAARDTAAL`] (`[beheer]`: the dashboard is always Dutch) are needed
//!   in the reference only;
//! - a file for a language that `config.toml` does not list is an error, a listed language
//!   without a file a warning.
//!
//! The list of languages itself lives only in `config.toml` (`[languages.<code>]`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Source, closest};
use crate::model::config::Config;

/// The folder with the text files, relative to the content root.
pub const DIR: &str = "teksten";

/// Tables only the default language needs: the dashboard is Dutch only.
pub const ALLEEN_STANDAARDTAAL: &[&str] = &["beheer"];

/// One text as written: its words and where they are.
#[derive(Debug, Clone)]
struct Tekst {
    tekst: String,
    /// Byte range of the key in its file.
    span: std::ops::Range<usize>,
}

/// One language's file.
#[derive(Debug, Clone)]
struct Bestand {
    source: Source,
    teksten: BTreeMap<String, Tekst>,
    /// Where each table (`enquete`, `enquete.schaal`) is declared, for "missing" warnings.
    tabellen: BTreeMap<String, std::ops::Range<usize>>,
}

/// The interface texts of every language, checked.
#[derive(Debug, Clone, Default)]
pub struct Teksten {
    standaard: String,
    /// Per language, per key (hashed: pages look texts up on every request).
    talen: BTreeMap<String, HashMap<String, String>>,
    /// The reference's keys, sorted (for hints and the template check).
    sleutels: Vec<String>,
}

impl Teksten {
    /// Reads `<root>/teksten/*.toml` for the languages of `config`. Errors stop the build;
    /// the warnings (missing texts, a language without a file) are returned with the texts.
    pub fn load(
        root: &Path,
        config: &Config,
    ) -> Result<(Teksten, Vec<Diagnostic>), Vec<Diagnostic>> {
        let dir = root.join(DIR);
        let talen = config.all_languages();
        let mut errors = Vec::new();
        let mut bestanden: Vec<(String, Source)> = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map(|it| it.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for path in entries {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(taal) = name.strip_suffix(".toml") else {
                continue;
            };
            let display = crate::model::display(root, &format!("{DIR}/{name}"));
            if !talen.contains(&taal) {
                errors.push(crate::model::vertaling::onbekende_taal(
                    display, taal, &talen,
                ));
                continue;
            }
            match Source::read(&path, display) {
                Ok(source) => bestanden.push((taal.to_string(), source)),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Teksten::parse(
            &bestanden,
            &config.default_language,
            &talen,
            &crate::model::display(root, DIR),
        )
    }

    /// Checks the files of every language (`(taal, source)`) against the reference
    /// (`standaard`). `dir` names the folder in diagnostics about a missing file.
    pub fn parse(
        bestanden: &[(String, Source)],
        standaard: &str,
        talen: &[&str],
        dir: &Path,
    ) -> Result<(Teksten, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut gelezen: BTreeMap<String, Bestand> = BTreeMap::new();
        for (taal, source) in bestanden {
            match lees(source) {
                Ok(b) => {
                    gelezen.insert(taal.clone(), b);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        let Some(referentie) = gelezen.get(standaard) else {
            if errors.is_empty() {
                errors.push(
                    Diagnostic::error(
                        dir.join(format!("{standaard}.toml")),
                        "het bestand met de teksten van de website en de bevragingen ontbreekt",
                    )
                    .with_hint(format!(
                        "maak {standaard}.toml in de map {DIR}: kopieer het uit de voorbeeldschool en pas de teksten aan"
                    )),
                );
            }
            return Err(errors);
        };
        for &taal in talen {
            if taal != standaard && !gelezen.contains_key(taal) {
                warnings.push(
                    Diagnostic::warning(
                        dir.join(format!("{taal}.toml")),
                        format!("er zijn nog geen teksten in de taal `{taal}`: de pagina's tonen de Nederlandse"),
                    )
                    .with_hint(format!(
                        "kopieer {standaard}.toml naar {taal}.toml en vertaal de teksten (laat [{}] weg)",
                        ALLEEN_STANDAARDTAAL.join("], [")
                    )),
                );
            }
        }
        for (taal, bestand) in &gelezen {
            if taal == standaard {
                continue;
            }
            vergelijk(bestand, referentie, &mut errors, &mut warnings);
        }
        if !errors.is_empty() {
            // The warnings too: whoever fixes the errors sees everything at once.
            errors.append(&mut warnings);
            errors.sort_by(|a, b| {
                (a.severity, &a.path, a.line, a.col).cmp(&(b.severity, &b.path, b.line, b.col))
            });
            return Err(errors);
        }
        warnings.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        let sleutels = referentie.teksten.keys().cloned().collect();
        let teksten = Teksten {
            standaard: standaard.to_string(),
            talen: gelezen
                .into_iter()
                .map(|(taal, b)| {
                    let t = b.teksten.into_iter().map(|(k, t)| (k, t.tekst)).collect();
                    (taal, t)
                })
                .collect(),
            sleutels,
        };
        Ok((teksten, warnings))
    }

    /// The text of `key` in `lang`, else in the default language; `None` for an unknown key.
    pub fn get(&self, key: &str, lang: &str) -> Option<&str> {
        self.eigen(key, lang)
            .or_else(|| self.eigen(key, &self.standaard))
    }

    /// The text of `key` in `lang` itself, without falling back to the default language.
    pub fn eigen(&self, key: &str, lang: &str) -> Option<&str> {
        self.talen.get(lang)?.get(key).map(String::as_str)
    }

    /// Whether the reference has this key.
    pub fn bestaat(&self, key: &str) -> bool {
        self.eigen(key, &self.standaard).is_some()
    }

    /// The reference's keys, sorted.
    pub fn sleutels(&self) -> impl Iterator<Item = &str> {
        self.sleutels.iter().map(String::as_str)
    }
}

/// `{naam}` placeholders in a text, in order of appearance, without duplicates.
pub fn plaatshouders(tekst: &str) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    let mut rest = tekst;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !found.contains(&name)
        {
            found.push(name);
        }
        rest = &after[close + 1..];
    }
    found
}

/// Fills `{naam}` placeholders with `waarde(naam)`; unknown ones stay as they are.
pub fn vul_in(tekst: &str, waarde: impl Fn(&str) -> Option<String>) -> String {
    let mut out = tekst.to_string();
    for naam in plaatshouders(tekst) {
        if let Some(w) = waarde(naam) {
            out = out.replace(&format!("{{{naam}}}"), &w);
        }
    }
    out
}

/// Reads one file into flat keys (`enquete.schaal.1`).
fn lees(source: &Source) -> Result<Bestand, Vec<Diagnostic>> {
    let table = match DeTable::parse(&source.text) {
        Ok(t) => t,
        // The same parse through serde gives the located Dutch message.
        Err(_) => {
            return Err(vec![
                source
                    .parse_toml::<toml::Table>(0..source.text.len())
                    .err()
                    .unwrap_or_else(|| source.error_at(0..0, "ongeldige TOML")),
            ]);
        }
    };
    let mut bestand = Bestand {
        source: source.clone(),
        teksten: BTreeMap::new(),
        tabellen: BTreeMap::new(),
    };
    let mut errors = Vec::new();
    plat(source, table.get_ref(), "", &mut bestand, &mut errors);
    if errors.is_empty() {
        Ok(bestand)
    } else {
        Err(errors)
    }
}

fn plat(
    source: &Source,
    table: &DeTable,
    prefix: &str,
    bestand: &mut Bestand,
    errors: &mut Vec<Diagnostic>,
) {
    for (key, value) in table.iter() {
        let naam = format!("{prefix}{}", key.get_ref());
        match value.get_ref() {
            DeValue::Table(sub) => {
                bestand.tabellen.insert(naam.clone(), key.span());
                plat(source, sub, &format!("{naam}."), bestand, errors);
            }
            DeValue::String(tekst) => {
                bestand.teksten.insert(
                    naam,
                    Tekst {
                        tekst: tekst.to_string(),
                        span: key.span(),
                    },
                );
            }
            _ => errors.push(
                source
                    .error_at(value.span(), format!("`{naam}` moet een tekst zijn"))
                    .with_hint("zet de tekst tussen aanhalingstekens: sleutel = \"…\""),
            ),
        }
    }
}

/// Checks one language's file against the reference.
fn vergelijk(
    bestand: &Bestand,
    referentie: &Bestand,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    let source = &bestand.source;
    let ref_naam = referentie
        .source
        .path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    for (key, tekst) in &bestand.teksten {
        let Some(origineel) = referentie.teksten.get(key) else {
            let hint = match closest(key, referentie.teksten.keys().map(String::as_str)) {
                Some(best) => format!("bedoel je `{best}`?"),
                None => format!(
                    "deze tekst staat niet in {ref_naam}; voeg ze daar eerst toe, of verwijder ze hier"
                ),
            };
            errors.push(
                source
                    .error_at(tekst.span.clone(), format!("onbekende tekst `{key}`"))
                    .with_hint(hint),
            );
            continue;
        };
        let bekend = plaatshouders(&origineel.tekst);
        for naam in plaatshouders(&tekst.tekst) {
            if !bekend.contains(&naam) {
                let hint = if bekend.is_empty() {
                    "deze tekst heeft geen invulplaatsen; laat de accolades weg".to_string()
                } else {
                    format!(
                        "gebruik dezelfde invulplaatsen als in {ref_naam}: {}",
                        bekend
                            .iter()
                            .map(|b| format!("{{{b}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                errors.push(
                    source
                        .error_at(
                            tekst.span.clone(),
                            format!("`{{{naam}}}` in `{key}` wordt nooit ingevuld"),
                        )
                        .with_hint(hint),
                );
            }
        }
    }
    let alleen_referentie: BTreeSet<&str> = ALLEEN_STANDAARDTAAL.iter().copied().collect();
    for (key, origineel) in &referentie.teksten {
        let tabel = key.split('.').next().unwrap_or("");
        if alleen_referentie.contains(tabel) || bestand.teksten.contains_key(key) {
            continue;
        }
        // Point at the nearest table of the key that this file has, else at its first line.
        let mut span = 0..0;
        let mut prefix = key.as_str();
        while let Some((kop, _)) = prefix.rsplit_once('.') {
            if let Some(s) = bestand.tabellen.get(kop) {
                span = s.clone();
                break;
            }
            prefix = kop;
        }
        let (regel, _) = referentie.source.line_col(origineel.span.start);
        warnings.push(
            source
                .warning_at(span, format!("de tekst `{key}` is nog niet vertaald"))
                .with_hint(format!(
                    "voeg ze toe (in {ref_naam} staat ze op regel {regel}); tot dan staat er de Nederlandse tekst"
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(files: &[(&str, &str)]) -> Result<(Teksten, Vec<Diagnostic>), Vec<Diagnostic>> {
        let bestanden: Vec<(String, Source)> = files
            .iter()
            .map(|(taal, text)| {
                (
                    taal.to_string(),
                    Source::new(format!("teksten/{taal}.toml"), *text),
                )
            })
            .collect();
        let talen: Vec<&str> = files.iter().map(|(t, _)| *t).collect();
        Teksten::parse(&bestanden, "nl", &talen, Path::new("teksten"))
    }

    const NL: &str = "[site]\nhoofdmenu = \"Hoofdmenu\"\nvorige = \"Vorige\"\n\n[melding]\nkies = \"Kies bij vraag {n}.\"\n\n[beheer]\ntitel = \"Dashboard\"\n";

    #[test]
    fn texts_fall_back_to_the_reference() {
        let (t, warnings) = parse(&[
            ("nl", NL),
            ("fr", "[site]\nhoofdmenu = \"Menu principal\"\nvorige = \"Précédent\"\n[melding]\nkies = \"Choisissez ({n}).\"\n"),
        ])
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(t.get("site.hoofdmenu", "fr"), Some("Menu principal"));
        assert_eq!(t.get("beheer.titel", "fr"), Some("Dashboard"));
        assert_eq!(t.eigen("beheer.titel", "fr"), None);
        assert_eq!(t.get("site.niets", "nl"), None);
        assert!(t.bestaat("melding.kies"));
    }

    #[test]
    fn unknown_keys_are_errors_and_missing_ones_warnings_with_their_line() {
        let en = "[site]\nhoofdmenu = \"Main menu\"\nvorgie = \"Previous\"\n";
        let errors = parse(&[("nl", NL), ("en", en)]).unwrap_err();
        // The error, then the warnings for what is missing (`vorige`, `melding.kies`).
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[1..].iter().all(|w| !w.is_error()));
        let e = &errors[0];
        assert_eq!(e.path, Path::new("teksten/en.toml"));
        assert_eq!((e.line, e.col), (3, 1));
        assert_eq!(e.message, "onbekende tekst `site.vorgie`");
        assert_eq!(e.hint.as_deref(), Some("bedoel je `site.vorige`?"));

        let en = "[site]\nhoofdmenu = \"Main menu\"\n";
        let (_, warnings) = parse(&[("nl", NL), ("en", en)]).unwrap();
        let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(warnings.len(), 2, "{shown:?}");
        // `site.vorige`: at the [site] table of en.toml; `melding.kies`: no table, line 1.
        assert!(
            shown[0].starts_with("teksten/en.toml:1:1: waarschuwing: de tekst `melding.kies`"),
            "{shown:?}"
        );
        assert!(
            shown[1].starts_with(
                "teksten/en.toml:1:2: waarschuwing: de tekst `site.vorige` is nog niet vertaald"
            ),
            "{shown:?}"
        );
        assert!(shown[1].contains("regel 3"), "{shown:?}");
    }

    #[test]
    fn placeholders_must_exist_in_the_reference() {
        let fr = "[site]\nhoofdmenu = \"Menu\"\nvorige = \"Précédent {x}\"\n[melding]\nkies = \"Choisissez ({n}).\"\n";
        let errors = parse(&[("nl", NL), ("fr", fr)]).unwrap_err();
        assert_eq!(
            errors[0].message,
            "`{x}` in `site.vorige` wordt nooit ingevuld"
        );
        assert_eq!(errors[0].line, 3);
    }

    #[test]
    fn a_missing_reference_and_non_texts_are_errors() {
        let errors = parse(&[("fr", "[site]\nx = \"y\"\n")]).unwrap_err();
        assert!(errors[0].message.contains("ontbreekt"), "{errors:?}");
        let errors = parse(&[("nl", "[site]\nx = 3\n")]).unwrap_err();
        assert_eq!(
            (errors[0].line, errors[0].message.as_str()),
            (2, "`site.x` moet een tekst zijn")
        );
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(plaatshouders("a {n} b {max} {n} {} {x y}"), ["n", "max"]);
        let t = vul_in(
            "Vraag {n} is te lang: {max} ({lengte}).",
            |naam| match naam {
                "n" => Some("2".into()),
                "max" => Some("10".into()),
                _ => None,
            },
        );
        assert_eq!(t, "Vraag 2 is te lang: 10 ({lengte}).");
    }
}
