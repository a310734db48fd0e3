//! `content/config.toml`: the site's settings, with Zola's names where Zola has them.
//!
//! Unknown keys are an error (a typo must not be silently ignored); keys that Zola knows but this
//! generator does not use (`compile_sass`, `build_search_index`, …) are accepted and ignored, so a
//! Zola user's config keeps working.

pub mod privacy;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Source};

/// The school's settings, relative to the content directory.
pub const FILE: &str = "config.toml";

/// The school's name where `config.toml` gives none (no `[school] naam`, no `title`).
pub const STANDAARD_NAAM: &str = "Samen zorg dragen";

/// Links to the survey service in Markdown: `[Vul de vragenlijst in](@enquete/ouders)`, resolved
/// with [`Config::enquete_url`].
pub const ENQUETE_LINK: &str = "@enquete/";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the site will live, e.g. `https://zorg.delinde.be` or `https://delinde.be/zorg`.
    pub base_url: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    /// Other languages (`[languages.fr]`), Zola style.
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// Zola's `[translations]`: refused with a located error, the texts live in
    /// `teksten/<taal>.toml` ([`crate::model::teksten`]).
    #[serde(default, skip_serializing)]
    translations: Option<toml::Value>,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// The school's name and contact details, shown in the footer and the contact card.
    #[serde(default)]
    pub school: School,
    /// Where the survey service lives (absolute URL or a path on the same host).
    #[serde(default)]
    pub enquete: Enquete,
    #[serde(default)]
    pub woordenlijst: WoordenlijstConfig,
    /// What the privacy page for parents says (`/privacy/`); no page without it.
    #[serde(default)]
    pub privacy: Option<privacy::Privacy>,
    /// Plain-language checks for pages meant for parents.
    #[serde(default)]
    pub taal: TaalConfig,
    #[serde(default)]
    pub extra: toml::Table,

    // Zola settings that have no effect here; accepted so Zola configs load.
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    compile_sass: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    build_search_index: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    generate_feeds: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    generate_sitemap: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    minify_html: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    theme: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    link_checker: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    slugify: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    search: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    taxonomies: Option<toml::Value>,
}

fn default_language() -> String {
    "nl".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The language's own name, for the language switcher ("Français").
    #[serde(default)]
    pub naam: Option<String>,
    /// `rtl` for Arabic and other right-to-left scripts.
    #[serde(default)]
    pub richting: Option<String>,
    /// Refused like `[translations]` (see [`Config::translations`]).
    #[serde(default, skip_serializing)]
    translations: Option<toml::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Turn straight quotes into curly ones and `--` into dashes.
    #[serde(default)]
    pub smart_punctuation: bool,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    highlight_code: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    render_emoji: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    external_links_target_blank: Option<toml::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct School {
    #[serde(default)]
    pub naam: String,
    #[serde(default)]
    pub adres: String,
    #[serde(default)]
    pub telefoon: String,
    #[serde(default)]
    pub email: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Enquete {
    #[serde(default = "default_enquete_url")]
    pub url: String,
}

impl Default for Enquete {
    fn default() -> Self {
        Enquete {
            url: default_enquete_url(),
        }
    }
}

fn default_enquete_url() -> String {
    "/enquete/".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct WoordenlijstConfig {
    /// The glossary page, as an internal link (`@/leidraad/woordenlijst.md`).
    #[serde(default)]
    pub pagina: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaalConfig {
    /// Sentences longer than this (in words) get a warning on parent pages.
    #[serde(default = "default_max_words")]
    pub max_woorden_per_zin: usize,
}

impl Default for TaalConfig {
    fn default() -> Self {
        TaalConfig {
            max_woorden_per_zin: default_max_words(),
        }
    }
}

fn default_max_words() -> usize {
    25
}

impl Config {
    /// Reads and checks `<root>/config.toml`, the one way both programs read it. The source is
    /// returned too, so callers can point at a value later.
    pub fn load(root: &Path) -> Result<(Config, Source), Diagnostic> {
        let source = Source::read(&root.join(FILE), crate::model::display(root, FILE))?;
        let config = Config::parse(&source)?;
        Ok((config, source))
    }

    /// As [`Config::load`], with `None` when the school has no `config.toml` (the survey
    /// service can run without a site).
    pub fn load_if_present(root: &Path) -> Result<Option<(Config, Source)>, Diagnostic> {
        if root.join(FILE).is_file() {
            Config::load(root).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Parses `config.toml` and checks the values that other parts rely on.
    pub fn parse(source: &Source) -> Result<Config, Diagnostic> {
        let mut config: Config = source.parse_toml(0..source.text.len())?;
        let base_url = config.base_url.trim_end_matches('/').to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            let span = source.find_value("base_url", &config.base_url);
            return Err(source
                .error_at(span, "`base_url` moet beginnen met http:// of https://")
                .with_hint(
                    "schrijf het volledige adres van de site, bv. \"https://zorg.onzeschool.be\"",
                ));
        }
        config.base_url = base_url;
        if let Some(error) = config.old_translations(source) {
            return Err(error);
        }
        if let Some(error) = config
            .privacy
            .as_ref()
            .and_then(|p| p.check(source).into_iter().next())
        {
            return Err(error);
        }
        for (code, language) in &config.languages {
            let valid_code =
                (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
            if !valid_code {
                let at = source.text.find(&format!("languages.{code}")).unwrap_or(0);
                return Err(source
                    .error_at(at..at + 10 + code.len(), format!("`{code}` is geen taalcode"))
                    .with_hint("gebruik de korte code van de taal in kleine letters, bv. [languages.fr] of [languages.ar]"));
            }
            if let Some(richting) = &language.richting
                && richting != "ltr"
                && richting != "rtl"
            {
                let span = source.find_value("richting", richting);
                return Err(source
                    .error_at(span, format!("onbekende schrijfrichting `{richting}`"))
                    .with_hint("schrijf richting = \"rtl\" voor talen die van rechts naar links lopen (Arabisch), anders laat je het weg"));
            }
        }
        Ok(config)
    }

    /// Interface texts in `config.toml` (`[translations]`, `[languages.<taal>.translations]`,
    /// Zola's place for them) are an error that says where they live now.
    fn old_translations(&self, source: &Source) -> Option<Diagnostic> {
        let tabel = if self.translations.is_some() {
            "translations".to_string()
        } else {
            let (code, _) = self
                .languages
                .iter()
                .find(|(_, l)| l.translations.is_some())?;
            format!("languages.{code}.translations")
        };
        let kop = format!("[{tabel}]");
        let mut at = 0;
        for line in source.text.split_inclusive('\n') {
            if line.trim_start().starts_with(&kop) {
                at += line.len() - line.trim_start().len();
                break;
            }
            at += line.len();
        }
        let at = if at >= source.text.len() { 0 } else { at };
        Some(
            source
                .error_at(
                    at..at + tabel.len() + 2,
                    format!("de teksten van [{tabel}] staan niet meer in config.toml"),
                )
                .with_hint(format!(
                    "zet ze in teksten/<taal>.toml (tabel [site]) en verwijder [{tabel}] hier"
                )),
        )
    }

    /// The path prefix of the site, from `base_url` (`https://x.be/zorg` → `/zorg`).
    pub fn path_prefix(&self) -> &str {
        let without_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        without_scheme
            .find('/')
            .map_or("", |i| &without_scheme[i..])
    }

    /// The origin of the site (`https://x.be`), without path.
    pub fn origin(&self) -> &str {
        let prefix = self.path_prefix();
        &self.base_url[..self.base_url.len() - prefix.len()]
    }

    /// Where links to the surveys go: an absolute `[enquete] url` as it is, a path (`/enquete/`)
    /// under the site's own base path, always ending in `/`. The site can thus be published
    /// anywhere while the survey service runs elsewhere.
    pub fn enquete_url(&self) -> String {
        let url = self.enquete.url.trim();
        let url = if url.contains("://") {
            url.to_string()
        } else {
            format!("{}/{}", self.path_prefix(), url.trim_start_matches('/'))
        };
        if url.ends_with('/') {
            url
        } else {
            format!("{url}/")
        }
    }

    /// Right-to-left or left-to-right, for `dir` on `<html>`.
    pub fn richting(&self, lang: &str) -> &str {
        match self.languages.get(lang).and_then(|l| l.richting.as_deref()) {
            Some("rtl") => "rtl",
            _ => "ltr",
        }
    }

    /// The site's title in a language (`[languages.<taal>] title`, else `title`).
    pub fn titel(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .and_then(|l| l.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The language's own name ("Français"), from `[languages.<taal>] naam`, else its code.
    pub fn taal_naam<'a>(&'a self, lang: &'a str) -> &'a str {
        self.languages
            .get(lang)
            .and_then(|l| l.naam.as_deref())
            .unwrap_or(match lang {
                "nl" => "Nederlands",
                other => other,
            })
    }

    /// The full public address of the surveys, for letters and QR codes: [`Config::enquete_url`]
    /// with the site's origin in front when it is a path. Always ends in `/`.
    pub fn enquete_publieke_url(&self) -> String {
        let url = self.enquete_url();
        if url.contains("://") {
            url
        } else {
            format!("{}{url}", self.origin())
        }
    }

    /// The school's name for the survey pages and letters: `[school] naam`, else `title`.
    pub fn school_naam(&self) -> &str {
        [self.school.naam.trim(), self.title.trim()]
            .into_iter()
            .find(|n| !n.is_empty())
            .unwrap_or(STANDAARD_NAAM)
    }

    /// Every language of the site, default first.
    pub fn all_languages(&self) -> Vec<&str> {
        std::iter::once(self.default_language.as_str())
            .chain(
                self.languages
                    .keys()
                    .map(String::as_str)
                    .filter(|l| *l != self.default_language),
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(&Source::new("config.toml", text))
    }

    #[test]
    fn base_url_gives_prefix_and_origin() {
        let config = parse("base_url = \"https://delinde.be/zorg/\"").unwrap();
        assert_eq!(config.base_url, "https://delinde.be/zorg");
        assert_eq!(config.path_prefix(), "/zorg");
        assert_eq!(config.origin(), "https://delinde.be");
        let config = parse("base_url = \"http://127.0.0.1:8080\"").unwrap();
        assert_eq!(config.path_prefix(), "");
    }

    #[test]
    fn survey_url_is_absolute_or_under_the_base_path() {
        let config = parse("base_url = \"https://delinde.be/zorg\"\n").unwrap();
        assert_eq!(config.enquete_url(), "/zorg/enquete/");
        let config = parse(
            "base_url = \"https://delinde.be\"\n[enquete]\nurl = \"https://enquete.delinde.be/s\"\n",
        )
        .unwrap();
        assert_eq!(config.enquete_url(), "https://enquete.delinde.be/s/");
        assert_eq!(
            config.enquete_publieke_url(),
            "https://enquete.delinde.be/s/"
        );
    }

    #[test]
    fn the_public_survey_url_joins_origin_base_path_and_survey_path() {
        let config = parse("base_url = \"https://school.be/zorg/\"\n").unwrap();
        assert_eq!(
            config.enquete_publieke_url(),
            "https://school.be/zorg/enquete/"
        );
        // One trailing-slash rule for both programs, whichever way the path is written.
        for url in ["enquete", "/enquete", "/enquete/"] {
            let config = parse(&format!(
                "base_url = \"https://school.be\"\n[enquete]\nurl = \"{url}\"\n"
            ))
            .unwrap();
            assert_eq!(config.enquete_url(), "/enquete/");
            assert_eq!(config.enquete_publieke_url(), "https://school.be/enquete/");
        }
    }

    #[test]
    fn the_school_name_falls_back_to_the_title_then_the_project() {
        let config =
            parse("base_url = \"https://x.be\"\ntitle = \"T\"\n[school]\nnaam = \"De Linde\"\n")
                .unwrap();
        assert_eq!(config.school_naam(), "De Linde");
        let config = parse("base_url = \"https://x.be\"\ntitle = \"T\"\n").unwrap();
        assert_eq!(config.school_naam(), "T");
        let config = parse("base_url = \"https://x.be\"\n").unwrap();
        assert_eq!(config.school_naam(), STANDAARD_NAAM);
    }

    #[test]
    fn typos_are_errors_but_zola_keys_are_accepted() {
        let err = parse("base_url = \"https://x.be\"\ntitel = \"x\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.hint.unwrap().contains("title"));
        assert!(parse("base_url = \"https://x.be\"\ncompile_sass = false\n").is_ok());
    }

    #[test]
    fn language_codes_and_directions_are_checked() {
        let err = parse("base_url = \"https://x.be\"\n[languages.ar]\nrichting = \"rechts\"\n")
            .unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("rechts"));
        let err = parse("base_url = \"https://x.be\"\n[languages.Frans]\n").unwrap_err();
        assert_eq!(err.line, 2);
        let ok =
            parse("base_url = \"https://x.be\"\n[languages.ar]\nrichting = \"rtl\"\n").unwrap();
        assert_eq!(ok.richting("ar"), "rtl");
        assert_eq!(ok.richting("nl"), "ltr");
    }

    #[test]
    fn texts_in_config_say_where_they_live_now() {
        let err = parse("base_url = \"https://x.be\"\n\n[translations]\nterug = \"Terug\"\n")
            .unwrap_err();
        assert_eq!((err.line, err.col), (3, 1));
        assert!(err.message.contains("[translations]"), "{}", err.message);
        assert!(err.hint.unwrap().contains("teksten/<taal>.toml"));
        let err = parse(
            "base_url = \"https://x.be\"\n[languages.fr]\nnaam = \"Français\"\n[languages.fr.translations]\nterug = \"Retour\"\n",
        )
        .unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("[languages.fr.translations]"));
    }

    #[test]
    fn base_url_must_be_absolute() {
        let err = parse("title = \"x\"\nbase_url = \"zorg.be\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("http"));
    }
}
