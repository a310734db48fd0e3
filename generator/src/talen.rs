//! The site in every language: roles, flowcharts and posters per language, the language
//! switcher's values, and what `zorgsite check` says is not translated yet.
//!
//! Translated data lives beside the Dutch file ([`crate::vertaling`]):
//! - `data/rollen.<taal>.toml`: `[rol.<id>]` with `naam`, `persoon`, `wat`, `bereik`;
//! - `data/stappenplan/<actor>.<taal>.toml`: `titel`, `beschrijving`, `[stap.<id>]` with
//!   `tekst`, `hoe`, `wanneer` (`ja`/`nee` come from the `ja`/`nee` translations in config.toml);
//! - `data/poster.<taal>.toml`: a whole poster in that language, checked like `poster.toml`;
//! - `enquetes/<id>.<taal>.toml`: the questionnaire's texts (read by the survey service).
//!
//! What is missing falls back to Dutch and gives a warning; an unknown id is an error.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::content::{Item, Library};
use crate::data::Rollen;
use crate::diagnostics::{Diagnostic, Source};
use crate::poster::{PosterView, Vragenlijsten};
use crate::stappenplan::{Stappenplan, StappenplanView, Woorden};
use crate::templates::translate;
use crate::vertaling::{self, Schema, Vertaling};

/// Fields of a role that a translation may give.
const ROL_VELDEN: &[&str] = &["naam", "persoon", "wat", "bereik"];
/// Fields of a step that a translation may give.
const STAP_VELDEN: &[&str] = &["tekst", "hoe", "wanneer"];
/// A questionnaire's translatable texts (shared with the survey service).
pub const ENQUETE_VELDEN: &[&str] = &["titel", "intro", "bedankt", "aanspreking"];
pub const VRAAG_VELDEN: &[&str] = &["tekst", "uitleg"];
pub const VRAAG_LIJSTEN: &[&str] = &["opties"];

/// Everything that differs per language, ready for the templates.
#[derive(Debug, Default)]
pub struct Talen {
    /// Language → poster (Dutch when the language has no poster file).
    pub posters: BTreeMap<String, PosterView>,
    /// Actor → language → flowchart (Dutch texts where not translated).
    pub stappenplannen: BTreeMap<String, BTreeMap<String, StappenplanView>>,
    /// Language → roles (for the who-is-who component).
    pub rollen: BTreeMap<String, Rollen>,
    /// Translations that are incomplete.
    pub warnings: Vec<Diagnostic>,
}

/// Right-to-left or left-to-right, for `dir` on `<html>`.
pub fn richting<'a>(config: &'a Config, lang: &str) -> &'a str {
    match config
        .languages
        .get(lang)
        .and_then(|l| l.richting.as_deref())
    {
        Some("rtl") => "rtl",
        _ => "ltr",
    }
}

/// The site's title in a language (`[languages.<taal>] title`, else `title`).
pub fn titel<'a>(config: &'a Config, lang: &str) -> &'a str {
    config
        .languages
        .get(lang)
        .and_then(|l| l.title.as_deref())
        .unwrap_or(&config.title)
}

/// The language's own name ("Français"), from `[languages.<taal>] naam`, else its code.
pub fn naam<'a>(config: &'a Config, lang: &'a str) -> &'a str {
    config
        .languages
        .get(lang)
        .and_then(|l| l.naam.as_deref())
        .unwrap_or(match lang {
            "nl" => "Nederlands",
            other => other,
        })
}

/// Loads the per-language roles, flowcharts and posters.
pub fn load(
    root: &Path,
    config: &Config,
    rollen: &Rollen,
    plannen: &BTreeMap<String, Stappenplan>,
    poster: Option<&PosterView>,
) -> Result<Talen, Vec<Diagnostic>> {
    let languages = config.all_languages();
    let default = config.default_language.as_str();
    let mut talen = Talen::default();
    let mut errors = Vec::new();

    // Roles.
    let ids: Vec<&str> = rollen.rollen.iter().map(|r| r.id.as_str()).collect();
    let rol_schema = Schema {
        velden: &[],
        groep: "rol",
        ids: &ids,
        item_velden: ROL_VELDEN,
        lijst_velden: &[],
    };
    let rol_files = read_all(root, "data", "rollen", &languages, &rol_schema, &mut errors);
    for &lang in &languages {
        let translated = match rol_files.get(lang) {
            Some(v) if lang != default => {
                if let Some(w) = v.waarschuwing_ontbrekend(&rol_schema) {
                    talen.warnings.push(w);
                }
                translate_roles(rollen, v)
            }
            _ => rollen.clone(),
        };
        talen.rollen.insert(lang.to_string(), translated);
    }

    // Flowcharts.
    for (actor, plan) in plannen {
        let ids: Vec<&str> = plan.stappen.iter().map(|s| s.id.as_str()).collect();
        let schema = Schema {
            velden: &["titel", "beschrijving"],
            groep: "stap",
            ids: &ids,
            item_velden: STAP_VELDEN,
            lijst_velden: &[],
        };
        let files = read_all(
            root,
            crate::stappenplan::DIR,
            actor,
            &languages,
            &schema,
            &mut errors,
        );
        let mut per_lang = BTreeMap::new();
        for &lang in &languages {
            let rollen = &talen.rollen[lang];
            let view = match files.get(lang) {
                Some(v) if lang != default => {
                    if let Some(w) = v.waarschuwing_ontbrekend(&schema) {
                        talen.warnings.push(w);
                    }
                    let plan = translate_plan(plan, v, config, lang);
                    crate::stappenplan::view_in(&plan, rollen, &woorden(config, lang))
                }
                _ => crate::stappenplan::view_in(plan, rollen, &woorden(config, lang)),
            };
            per_lang.insert(lang.to_string(), view);
        }
        talen.stappenplannen.insert(actor.clone(), per_lang);
    }

    // Posters: a whole file per language.
    if let Some(dutch) = poster {
        let vragenlijsten = Vragenlijsten::load(root);
        let files = vertaling::bestanden(&root.join("data"), "poster");
        for (lang, path) in &files {
            if !languages.contains(&lang.as_str()) {
                errors.push(vertaling::onbekende_taal(
                    crate::site::display(root, &format!("data/poster.{lang}.toml")),
                    lang,
                    &languages,
                ));
                continue;
            }
            let display = crate::site::display(root, &format!("data/poster.{lang}.toml"));
            let source = match Source::read(path, display) {
                Ok(s) => s,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            match crate::poster::parse(&source, &talen.rollen[lang.as_str()], &vragenlijsten) {
                Ok(view) => {
                    talen.posters.insert(lang.clone(), view);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        for &lang in &languages {
            talen
                .posters
                .entry(lang.to_string())
                .or_insert_with(|| dutch.clone());
        }
    }

    if errors.is_empty() {
        Ok(talen)
    } else {
        Err(errors)
    }
}

/// Phrases of the flowchart's text version in `lang` (Dutch where config.toml has none).
pub fn woorden(config: &Config, lang: &str) -> Woorden {
    let dutch = Woorden::default();
    let t = |key: &str, fallback: &str| {
        let text = translate(config, key, lang);
        if text == key {
            fallback.to_string()
        } else {
            text
        }
    };
    let beschrijving = translate(config, "stappenplan_beschrijving", lang);
    Woorden {
        als: t("stappenplan_als", &dutch.als),
        daarna: t("stappenplan_daarna", &dutch.daarna),
        beschrijving: (lang != config.default_language
            && beschrijving != "stappenplan_beschrijving")
            .then_some(beschrijving),
        rtl: richting(config, lang) == "rtl",
    }
}

/// Reads `<dir>/<naam>.<taal>.toml` for every language that has one.
fn read_all(
    root: &Path,
    dir: &str,
    naam: &str,
    languages: &[&str],
    schema: &Schema,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vertaling> {
    let mut found = BTreeMap::new();
    for (lang, path) in vertaling::bestanden(&root.join(dir), naam) {
        let display = crate::site::display(root, &format!("{dir}/{naam}.{lang}.toml"));
        if !languages.contains(&lang.as_str()) {
            errors.push(vertaling::onbekende_taal(display, &lang, languages));
            continue;
        }
        let source = match Source::read(&path, display) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        match vertaling::parse(&source, &lang, schema) {
            Ok(v) => {
                found.insert(lang, v);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    found
}

fn translate_roles(rollen: &Rollen, v: &Vertaling) -> Rollen {
    let mut out = rollen.clone();
    for rol in &mut out.rollen {
        if let Some(t) = v.tekst(&rol.id, "naam") {
            rol.naam = t.to_string();
        }
        if let Some(t) = v.tekst(&rol.id, "persoon") {
            rol.persoon = Some(t.to_string());
        }
        if let Some(t) = v.tekst(&rol.id, "wat") {
            rol.wat = t.to_string();
        }
        if let Some(t) = v.tekst(&rol.id, "bereik") {
            rol.bereik = t.to_string();
        }
    }
    out
}

fn translate_plan(plan: &Stappenplan, v: &Vertaling, config: &Config, lang: &str) -> Stappenplan {
    let mut out = plan.clone();
    if let Some(t) = v.veld("titel") {
        out.titel = t.to_string();
    }
    if let Some(t) = v.veld("beschrijving") {
        out.beschrijving = t.to_string();
    }
    for stap in &mut out.stappen {
        if let Some(t) = v.tekst(&stap.id, "tekst") {
            stap.tekst = t.to_string();
        }
        if let Some(t) = v.tekst(&stap.id, "hoe") {
            stap.hoe = Some(t.to_string());
        }
        if let Some(t) = v.tekst(&stap.id, "wanneer") {
            stap.wanneer = Some(t.to_string());
        }
        for uitgang in &mut stap.uitgangen {
            if let Some(label) = &mut uitgang.label
                && (label == "ja" || label == "nee")
            {
                *label = translate(config, label, lang);
            }
        }
    }
    out
}

/// One entry of the language switcher on a page.
#[derive(Debug, Serialize)]
pub struct Keuze<'a> {
    pub code: &'a str,
    pub naam: &'a str,
    pub richting: &'a str,
    /// The same page in that language, or its home page when not translated.
    pub url: String,
    /// `url` with the site's origin, for `<link rel="alternate" hreflang>`.
    pub permalink: String,
    pub vertaald: bool,
    pub huidig: bool,
}

/// The language switcher of `item`: every language, the page's own first.
pub fn keuzes<'a>(library: &Library, item: Item, config: &'a Config) -> Vec<Keuze<'a>> {
    let file = library.file_of(item);
    let languages = config.all_languages();
    languages
        .into_iter()
        .filter_map(|lang| {
            let (url, vertaald) = match library.get(&file.canonical, lang) {
                Some(t) => (library.path_of(t).to_string(), true),
                None => (
                    library.path_of(library.get("_index.md", lang)?).to_string(),
                    false,
                ),
            };
            Some(Keuze {
                code: lang,
                naam: naam(config, lang),
                richting: richting(config, lang),
                permalink: format!("{}{url}", config.origin()),
                url,
                vertaald,
                huidig: lang == file.lang,
            })
        })
        .collect()
}

/// Warnings for pages that exist in Dutch but not in a language, one per language, naming the
/// files to make. Only pages meant for parents count: those are the ones worth translating.
pub fn missing_pages(library: &Library, config: &Config, root: &Path) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for lang in config.all_languages().into_iter().skip(1) {
        let items = (0..library.pages.len())
            .map(Item::Page)
            .chain((0..library.sections.len()).map(Item::Section));
        for item in items {
            let file = library.file_of(item);
            if file.lang != config.default_language
                || !crate::context::for_parents(library, item)
                || library.get(&file.canonical, lang).is_some()
            {
                continue;
            }
            let target = file
                .canonical
                .strip_suffix(".md")
                .map_or(file.canonical.clone(), |s| format!("{s}.{lang}.md"));
            found.push(
                Diagnostic::warning(
                    root.join(&file.relative),
                    format!("deze pagina voor ouders is nog niet vertaald naar {} ({lang})", naam(config, lang)),
                )
                .with_hint(format!("maak {target} met de vertaalde tekst; tot dan wijst de taalkeuze naar de startpagina in die taal")),
            );
        }
    }
    found
}

/// Warnings for questionnaires whose translation misses items, and errors for translations
/// that name unknown items (the survey service refuses those at start-up too).
pub fn missing_questionnaire_items(root: &Path, config: &Config) -> Vec<Diagnostic> {
    let languages = config.all_languages();
    let mut found = Vec::new();
    let vragenlijsten = Vragenlijsten::load(root);
    for (id, items) in &vragenlijsten.lijsten {
        let Some(items) = items else { continue };
        let ids: Vec<&str> = items.iter().map(|(i, _)| i.as_str()).collect();
        let schema = Schema {
            velden: ENQUETE_VELDEN,
            groep: "vraag",
            ids: &ids,
            item_velden: VRAAG_VELDEN,
            lijst_velden: VRAAG_LIJSTEN,
        };
        let files = read_all(root, "enquetes", id, &languages, &schema, &mut found);
        for v in files.values() {
            found.extend(v.waarschuwing_ontbrekend(&schema));
        }
        for lang in languages.iter().skip(1) {
            // A questionnaire that is translated at all should be in every language.
            if !files.is_empty() && !files.contains_key(*lang) {
                found.push(
                    Diagnostic::warning(
                        crate::site::display(root, &format!("enquetes/{id}.toml")),
                        format!(
                            "de vragenlijst `{id}` is nog niet vertaald naar {} ({lang})",
                            naam(config, lang)
                        ),
                    )
                    .with_hint(format!(
                        "maak enquetes/{id}.{lang}.toml met [vraag.<id>] en tekst = \"…\" per vraag"
                    )),
                );
            }
        }
    }
    found
}
