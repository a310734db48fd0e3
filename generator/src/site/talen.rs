//! The site in every language: roles, flowcharts and posters per language, the language
//! switcher's values, and what `zorgsite check` says is not translated yet.
//!
//! Translated data lives beside the Dutch file ([`crate::model::vertaling`]):
//! - `data/rollen.<taal>.toml`: `[rol.<id>]` with `naam`, `persoon`, `wat`, `bereik`;
//! - `data/stappenplan/<actor>.<taal>.toml`: `titel`, `beschrijving`, `[stap.<id>]` with
//!   `tekst`, `hoe`, `wanneer` (`ja`/`nee` come from the `ja`/`nee` translations in config.toml);
//! - `data/poster.<taal>.toml`: a whole poster in that language, checked like `poster.toml`;
//! - `enquetes/<id>.<taal>.toml`: the questionnaire's texts (read by the survey service).
//!
//! What is missing falls back to Dutch and gives a warning; an unknown id is an error.

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::config::Config;

use crate::diagnostics::{Diagnostic, Source};
use crate::model::poster::{Bronnen, PosterView};
use crate::model::rollen::Rollen;
use crate::model::stappenplan::Stappenplan;
use crate::model::teksten::Teksten;
use crate::model::vertaling::{self, Schema, Vertaling};
use crate::render::stappenplan::{StappenplanView, Woorden};

/// Fields of a role that a translation may give.
const ROL_VELDEN: &[&str] = &["naam", "persoon", "wat", "bereik"];
/// Fields of a step that a translation may give.
const STAP_VELDEN: &[&str] = &["tekst", "hoe", "wanneer"];

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

/// Loads the per-language roles, flowcharts and posters.
pub fn load(
    root: &Path,
    config: &Config,
    teksten: &Teksten,
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
            crate::model::stappenplan::DIR,
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
                    let plan = translate_plan(plan, v, teksten, lang);
                    crate::render::stappenplan::view_in(
                        &plan,
                        rollen,
                        &woorden(config, teksten, lang),
                    )
                }
                _ => crate::render::stappenplan::view_in(
                    plan,
                    rollen,
                    &woorden(config, teksten, lang),
                ),
            };
            per_lang.insert(lang.to_string(), view);
        }
        talen.stappenplannen.insert(actor.clone(), per_lang);
    }

    // Posters: a whole file per language.
    if let Some(dutch) = poster {
        let bronnen = Bronnen::load(root);
        let files = vertaling::bestanden(&root.join("data"), "poster");
        for (lang, path) in &files {
            if !languages.contains(&lang.as_str()) {
                errors.push(vertaling::onbekende_taal(
                    crate::model::display(root, &format!("data/poster.{lang}.toml")),
                    lang,
                    &languages,
                ));
                continue;
            }
            let display = crate::model::display(root, &format!("data/poster.{lang}.toml"));
            let source = match Source::read(path, display) {
                Ok(s) => s,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            match crate::model::poster::parse(&source, &talen.rollen[lang.as_str()], &bronnen) {
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

/// Phrases of the flowchart's text version in `lang` (`site.stappenplan_*` in
/// `teksten/<taal>.toml`; Dutch where a language has none).
pub fn woorden(config: &Config, teksten: &Teksten, lang: &str) -> Woorden {
    let dutch = Woorden::default();
    let t = |key: &str, fallback: &str| {
        teksten
            .get(key, lang)
            .map_or_else(|| fallback.to_string(), str::to_string)
    };
    Woorden {
        als: t("site.stappenplan_als", &dutch.als),
        daarna: t("site.stappenplan_daarna", &dutch.daarna),
        // Dutch gets a richer description built from the plan itself.
        beschrijving: (lang != config.default_language)
            .then(|| teksten.eigen("site.stappenplan_beschrijving", lang))
            .flatten()
            .map(str::to_string),
        rtl: config.richting(lang) == "rtl",
    }
}

/// Reads `<dir>/<naam>.<taal>.toml` for every language that has one.
pub(crate) fn read_all(
    root: &Path,
    dir: &str,
    naam: &str,
    languages: &[&str],
    schema: &Schema,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vertaling> {
    let mut found = BTreeMap::new();
    for (lang, path) in vertaling::bestanden(&root.join(dir), naam) {
        let display = crate::model::display(root, &format!("{dir}/{naam}.{lang}.toml"));
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

fn translate_plan(plan: &Stappenplan, v: &Vertaling, teksten: &Teksten, lang: &str) -> Stappenplan {
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
                && let Some(t) = teksten.get(&format!("site.{label}"), lang)
            {
                *label = t.to_string();
            }
        }
    }
    out
}
