//! `zorgsite check`: builds in memory and reports what a reader would trip over: broken links
//! (from the build), images without alt text, pages without title or description, and for pages
//! meant for parents, long sentences and jargon without explanation.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Source};
use crate::model::config::Config;
use crate::model::content::{Item, Library};
use crate::model::opname;
use crate::model::vertaling::Schema;
use crate::model::vragenlijst::{self, ENQUETE_VELDEN, VRAAG_LIJSTEN, VRAAG_VELDEN};
use crate::render::context::for_parents;
use crate::render::glossary::Matcher;
use crate::render::markdown::Prose;
use crate::site::talen::read_all;
use crate::site::{Analysis, BuildOptions, build_with_analysis};

/// `zorgsite check`: prints every finding, the overview of recordings and the summary; an
/// error when any finding is one.
pub fn run(options: &BuildOptions) -> Result<(), super::CliError> {
    let (findings, opnames) = check_all(options);
    for regel in opnames {
        println!("{regel}");
    }
    if findings.iter().any(Diagnostic::is_error) {
        return Err(super::CliError::Check(findings));
    }
    super::error::print_check(&findings);
    Ok(())
}

/// Every problem found, errors and warnings together.
pub fn check(options: &BuildOptions) -> Vec<Diagnostic> {
    check_all(options).0
}

/// Every problem found, and the lines of the recordings overview ([`opname::overzicht`]).
fn check_all(options: &BuildOptions) -> (Vec<Diagnostic>, Vec<String>) {
    let mut found = build_findings(options);
    // Checked also when the build fails: a bad recording is its own problem to fix.
    let (meldingen, regels) = recordings(&options.root);
    found.extend(meldingen);
    (found, regels)
}

/// The school's recordings for read-aloud: every problem (the same ones `zorgenquete` refuses
/// to start on) and the overview of items without a recording. Nothing without a readable
/// `config.toml` (the build reports that).
fn recordings(root: &Path) -> (Vec<Diagnostic>, Vec<String>) {
    let Ok(Some((config, _))) = Config::load_if_present(root) else {
        return (Vec::new(), Vec::new());
    };
    let lijsten = vragenlijst::laad_elk(root);
    let elk = || lijsten.iter().map(|(id, l)| (id.as_str(), l.as_ref()));
    let gevonden = opname::laad(root, &config.all_languages(), elk());
    let regels = opname::overzicht(root, &config, elk(), &gevonden);
    (gevonden.meldingen, regels)
}

fn build_findings(options: &BuildOptions) -> Vec<Diagnostic> {
    match build_with_analysis(options, true) {
        Err(errors) => errors,
        Ok((site, analysis)) => {
            let mut found = crate::cmd::gewicht::check(&site.files, &analysis.config);
            found.extend(site.warnings);
            found.extend(analyse(&analysis, &options.root));
            found.extend(missing_pages(
                &analysis.library,
                &analysis.config,
                &options.root,
            ));
            found.extend(missing_questionnaire_items(&options.root, &analysis.config));
            found
        }
    }
}

pub fn analyse(analysis: &Analysis, root: &Path) -> Vec<Diagnostic> {
    let library = &analysis.library;
    let matcher = Matcher::new(&analysis.woordenlijst);
    let max_words = analysis.config.taal.max_woorden_per_zin;
    let mut found = Vec::new();
    let items = (0..library.sections.len())
        .map(Item::Section)
        .chain((0..library.pages.len()).map(Item::Page));
    for item in items {
        let file = library.file_of(item);
        let source = Source::new(root.join(&file.relative), file.source.text.clone());
        let (title, description, render) = match item {
            Item::Page(i) => {
                let m = &library.pages[i].meta;
                (&m.title, &m.description, true)
            }
            Item::Section(i) => {
                let m = &library.sections[i].meta;
                (&m.title, &m.description, m.render)
            }
        };
        if !render {
            continue;
        }
        let top = 0..3.min(source.text.len());
        if title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            found.push(
                source
                    .error_at(top.clone(), "deze pagina heeft geen titel")
                    .with_hint("voeg in de front matter title = \"…\" toe"),
            );
        }
        if description.as_deref().is_none_or(|t| t.trim().is_empty()) {
            found.push(
                source
                    .error_at(top, "deze pagina heeft geen beschrijving")
                    .with_hint("voeg in de front matter description = \"…\" toe: één korte zin over de pagina"),
            );
        }
        let Some(rendered) = analysis.rendered.get(&item) else {
            continue;
        };
        let to_file_line = |line: usize| file.body_line() + line.saturating_sub(1);
        for &line in &rendered.images_without_alt {
            let line = to_file_line(line);
            let start = source.line_start(line);
            found.push(
                source
                    .error_at(start..start + source.line_text(line).len(), "afbeelding zonder alt-tekst")
                    .with_hint("schrijf tussen de [ ] wat er op de afbeelding te zien is: ![Een leerkracht praat met een ouder](foto.jpg)"),
            );
        }
        if !for_parents(library, item) {
            continue;
        }
        for prose in &rendered.prose {
            for sentence in long_sentences(&prose.text, max_words) {
                let line = to_file_line(prose.line);
                found.push(locate_text(&source, line, &sentence).with_hint(format!(
                    "knip deze zin in kortere zinnen: ouders lezen makkelijker met hoogstens {max_words} woorden per zin"
                )));
            }
        }
        if matcher.is_empty() {
            continue;
        }
        let glossary_off = match item {
            Item::Page(i) => &library.pages[i].meta.extra,
            Item::Section(i) => &library.sections[i].meta.extra,
        }
        .get("woordenlijst")
        .and_then(toml::Value::as_bool)
            == Some(false);
        let mut places: Vec<(&str, Option<usize>, &str)> = Vec::new();
        if let Some(t) = title {
            places.push(("titel", None, t));
        }
        if let Some(d) = description {
            places.push(("beschrijving", None, d));
        }
        for Prose { line, text } in &rendered.headings {
            places.push(("tussentitel", Some(*line), text));
        }
        if glossary_off {
            for Prose { line, text } in &rendered.prose {
                places.push(("tekst", Some(*line), text));
            }
        }
        for (place, line, text) in places {
            for term in matcher.all(text) {
                let woord = &analysis.woordenlijst.termen[term].woord;
                let diagnostic = match line {
                    Some(line) => locate_text(&source, to_file_line(line), text),
                    None => {
                        let key = if place == "titel" {
                            "title"
                        } else {
                            "description"
                        };
                        let span = source.find_value(key, text);
                        source.warning_at(span, "")
                    }
                };
                found.push(Diagnostic {
                    message: format!("vakwoord `{woord}` in de {place} zonder uitleg"),
                    hint: Some(if place == "tekst" {
                        "leg het woord uit in de tekst of zet de uitleg in de woordenlijst aan (woordenlijst = true)".to_string()
                    } else {
                        "gebruik een gewoon woord; in lopende tekst legt de site vakwoorden wel zelf uit".to_string()
                    }),
                    ..diagnostic
                });
            }
        }
    }
    found
}

/// A warning on `line`, underlining `text` (or its first words) when found on that line.
fn locate_text(source: &Source, line: usize, text: &str) -> Diagnostic {
    let start = source.line_start(line);
    let line_text = source.line_text(line);
    let probe: String = text
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let span = match line_text.find(&probe) {
        Some(i) => start + i..start + i + probe.len(),
        None => start..start + line_text.len(),
    };
    let words = text.split_whitespace().count();
    source.warning_at(span, format!("lange zin ({words} woorden)"))
}

/// Sentences in `text` with more than `max` words.
pub fn long_sentences(text: &str, max: usize) -> Vec<String> {
    sentences(text)
        .into_iter()
        .filter(|s| s.split_whitespace().count() > max)
        .collect()
}

/// Splits on `.`, `!`, `?`, `:` and `;` followed by a space, keeping abbreviations like
/// "bv." and "o.a." inside their sentence.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
        let ends = word.ends_with(['.', '!', '?', ':', ';']);
        let abbreviation = matches!(
            word.to_lowercase().as_str(),
            "bv." | "bijv." | "o.a." | "d.w.z." | "enz." | "nr." | "mevr." | "dhr." | "vb."
        );
        if ends && !abbreviation {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
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
                || !for_parents(library, item)
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
                    format!("deze pagina voor ouders is nog niet vertaald naar {} ({lang})", config.taal_naam(lang)),
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
    for (id, lijst) in vragenlijst::laad_elk(root) {
        let Some(lijst) = lijst else { continue };
        let ids: Vec<&str> = lijst.vragen.iter().map(|v| v.id.as_str()).collect();
        let schema = Schema {
            velden: ENQUETE_VELDEN,
            groep: "vraag",
            ids: &ids,
            item_velden: VRAAG_VELDEN,
            lijst_velden: VRAAG_LIJSTEN,
        };
        let files = read_all(root, vragenlijst::DIR, &id, &languages, &schema, &mut found);
        for v in files.values() {
            found.extend(v.waarschuwing_ontbrekend(&schema));
        }
        for lang in languages.iter().skip(1) {
            // A questionnaire that is translated at all should be in every language.
            if !files.is_empty() && !files.contains_key(*lang) {
                found.push(
                    Diagnostic::warning(
                        crate::model::display(root, &format!("enquetes/{id}.toml")),
                        format!(
                            "de vragenlijst `{id}` is nog niet vertaald naar {} ({lang})",
                            config.taal_naam(lang)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_but_not_abbreviations() {
        let s = sentences("Kom langs, bv. na school. Dat kan! Of bel: 0123.");
        assert_eq!(
            s,
            ["Kom langs, bv. na school.", "Dat kan!", "Of bel:", "0123."]
        );
    }

    #[test]
    fn finds_long_sentences() {
        let long = "woord ".repeat(30);
        let text = format!("Korte zin. {}einde.", long);
        let found = long_sentences(&text, 25);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("woord woord"));
    }
}
