//! The values templates see, with Zola's names: `page.title`, `page.content`, `section.pages`, …

use std::collections::HashMap;

use serde::Serialize;
use tera::Value;

use crate::model::config::Config;
use crate::model::content::{Item, Library};
use crate::render::markdown::{Heading, Rendered};
use crate::render::templates::Lookup;

/// A page or section as a template sees it before its Markdown is rendered.
#[derive(Serialize)]
pub struct Brief<'a> {
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub path: &'a str,
    pub permalink: String,
    pub relative_path: &'a str,
    pub lang: &'a str,
    pub weight: Option<i64>,
    pub extra: &'a toml::Table,
}

pub fn brief<'a>(library: &'a Library, item: Item, config: &Config) -> Brief<'a> {
    let file = library.file_of(item);
    let (title, description, weight, extra) = match item {
        Item::Page(i) => {
            let m = &library.pages[i].meta;
            (&m.title, &m.description, m.weight, &m.extra)
        }
        Item::Section(i) => {
            let m = &library.sections[i].meta;
            (&m.title, &m.description, m.weight, &m.extra)
        }
    };
    let path = library.path_of(item);
    Brief {
        title: title.as_deref(),
        description: description.as_deref(),
        path,
        permalink: format!("{}{}", config.origin(), path),
        relative_path: &file.relative,
        lang: &file.lang,
        weight,
        extra,
    }
}

#[derive(Serialize)]
struct Link<'a> {
    title: Option<&'a str>,
    path: &'a str,
    permalink: String,
}

#[derive(Serialize)]
struct Translation<'a> {
    lang: &'a str,
    title: Option<&'a str>,
    path: &'a str,
    permalink: String,
}

#[derive(Serialize)]
struct PageValue<'a> {
    #[serde(flatten)]
    brief: Brief<'a>,
    slug: &'a str,
    content: &'a str,
    summary: Option<&'a str>,
    toc: &'a [Heading],
    word_count: usize,
    reading_time: usize,
    ancestors: Vec<&'a str>,
    translations: Vec<Translation<'a>>,
    /// The previous and next page in the section's order (Zola's `lower` / `higher`).
    lower: Option<Link<'a>>,
    higher: Option<Link<'a>>,
    /// Whether the page is written for parents (`[extra] doelgroep = "ouders"`, inherited from
    /// its section).
    voor_ouders: bool,
}

#[derive(Serialize)]
struct SectionValue<'a> {
    #[serde(flatten)]
    brief: Brief<'a>,
    content: &'a str,
    toc: &'a [Heading],
    word_count: usize,
    reading_time: usize,
    ancestors: Vec<&'a str>,
    translations: Vec<Translation<'a>>,
    pages: Vec<Value>,
    subsections: Vec<&'a str>,
    voor_ouders: bool,
}

/// Template values of every page and section, built once and shared by all templates.
pub struct Contexts {
    pages: Vec<Value>,
    sections: Vec<Value>,
}

impl Contexts {
    pub fn page(&self, i: usize) -> &Value {
        &self.pages[i]
    }

    pub fn section(&self, i: usize) -> &Value {
        &self.sections[i]
    }

    /// Lookup tables for `get_page` / `get_section` / `get_url`, now with content.
    pub fn lookup(&self, library: &Library) -> Lookup {
        let mut lookup = Lookup::default();
        for (i, page) in library.pages.iter().enumerate() {
            let key = (page.file.canonical.clone(), page.file.lang.clone());
            lookup.urls.insert(key.clone(), page.path.clone());
            lookup.items.insert(key, self.pages[i].clone());
        }
        for (i, section) in library.sections.iter().enumerate() {
            let key = (section.file.canonical.clone(), section.file.lang.clone());
            lookup.urls.insert(key.clone(), section.path.clone());
            lookup.items.insert(key, self.sections[i].clone());
        }
        lookup
    }

    /// The lookup tables once every page is built, for pages rendered later on request (the
    /// survey service's survey and dashboard pages, whose frame reads titles, paths and
    /// subsections): the same items without their rendered bodies (`content`, `summary`,
    /// `toc`, also of a section's `pages`), which a service with fifty schools would otherwise
    /// keep in memory for nothing.
    pub fn lookup_after_build(&self, library: &Library) -> Lookup {
        let mut lookup = self.lookup(library);
        for value in lookup.items.values_mut() {
            *value = without_bodies(value, true);
        }
        lookup
    }
}

/// The rendered parts of a page or section value, kept only while the site is built.
const BODIES: [&str; 3] = ["content", "summary", "toc"];

/// `value` without [`BODIES`]; with `pages`, also each of its `pages` (a section's).
fn without_bodies(value: &Value, pages: bool) -> Value {
    let Some(map) = value.as_map() else {
        return value.clone();
    };
    let slim: tera::Map = map
        .iter()
        .filter(|(key, _)| !key.as_str().is_some_and(|k| BODIES.contains(&k)))
        .map(|(key, v)| {
            let v = match v.as_array() {
                Some(list) if pages && key.as_str() == Some("pages") => Value::from(
                    list.iter()
                        .map(|p| without_bodies(p, false))
                        .collect::<Vec<_>>(),
                ),
                _ => v.clone(),
            };
            (key.clone(), v)
        })
        .collect();
    Value::from(slim)
}

/// Is this page or section meant for parents? The nearest `[extra] doelgroep` wins: set on the
/// item itself or on a section above it (`doelgroep = "ouders"`, or e.g. `"school"` to opt out).
pub fn for_parents(library: &Library, item: Item) -> bool {
    let doelgroep = |extra: &toml::Table| {
        extra
            .get("doelgroep")
            .and_then(toml::Value::as_str)
            .map(str::to_owned)
    };
    let mut section = match item {
        Item::Page(i) => {
            if let Some(d) = doelgroep(&library.pages[i].meta.extra) {
                return d == "ouders";
            }
            library.pages[i].section
        }
        Item::Section(i) => Some(i),
    };
    while let Some(s) = section {
        if let Some(d) = doelgroep(&library.sections[s].meta.extra) {
            return d == "ouders";
        }
        section = library.sections[s].parent;
    }
    false
}

pub fn build(
    library: &Library,
    rendered: &HashMap<Item, Rendered>,
    config: &Config,
    languages: &[String],
) -> Contexts {
    let languages: Vec<&str> = languages.iter().map(String::as_str).collect();
    let empty = Rendered::default();
    let rendered_of = |item: Item| rendered.get(&item).unwrap_or(&empty);
    let link = |i: usize| {
        let p = &library.pages[i];
        Link {
            title: p.meta.title.as_deref(),
            path: &p.path,
            permalink: format!("{}{}", config.origin(), p.path),
        }
    };
    let translations = |canonical: &str| -> Vec<Translation> {
        library
            .translations(canonical, &languages)
            .into_iter()
            .map(|(_, item)| {
                let b = brief(library, item, config);
                Translation {
                    lang: b.lang,
                    title: b.title,
                    path: b.path,
                    permalink: b.permalink,
                }
            })
            .collect()
    };
    let ancestors = |mut section: Option<usize>| {
        let mut list = Vec::new();
        while let Some(s) = section {
            list.push(library.sections[s].file.canonical.as_str());
            section = library.sections[s].parent;
        }
        list.reverse();
        list
    };

    let pages: Vec<Value> = (0..library.pages.len())
        .map(|i| {
            let page = &library.pages[i];
            let r = rendered_of(Item::Page(i));
            let (lower, higher) = match page.section {
                Some(s) => {
                    let siblings = &library.sections[s].pages;
                    let at = siblings.iter().position(|&p| p == i);
                    (
                        at.and_then(|a| a.checked_sub(1)).map(|a| link(siblings[a])),
                        at.and_then(|a| siblings.get(a + 1)).map(|&n| link(n)),
                    )
                }
                None => (None, None),
            };
            Value::from_serializable(&PageValue {
                brief: brief(library, Item::Page(i), config),
                slug: &page.slug,
                content: &r.html,
                summary: r.summary.as_deref(),
                toc: &r.toc,
                word_count: r.word_count,
                reading_time: reading_time(r.word_count),
                ancestors: ancestors(page.section),
                translations: translations(&page.file.canonical),
                lower,
                higher,
                voor_ouders: for_parents(library, Item::Page(i)),
            })
        })
        .collect();
    let sections = (0..library.sections.len())
        .map(|i| {
            let section = &library.sections[i];
            let r = rendered_of(Item::Section(i));
            Value::from_serializable(&SectionValue {
                brief: brief(library, Item::Section(i), config),
                content: &r.html,
                toc: &r.toc,
                word_count: r.word_count,
                reading_time: reading_time(r.word_count),
                ancestors: ancestors(section.parent),
                translations: translations(&section.file.canonical),
                pages: section.pages.iter().map(|&p| pages[p].clone()).collect(),
                subsections: section
                    .subsections
                    .iter()
                    .map(|&s| library.sections[s].file.canonical.as_str())
                    .collect(),
                voor_ouders: for_parents(library, Item::Section(i)),
            })
        })
        .collect();
    Contexts { pages, sections }
}

/// Minutes to read, at a slow pace (parents reading in a second language).
fn reading_time(words: usize) -> usize {
    words.div_ceil(150).max(1)
}

/// One entry of the language switcher on a page (the site's, and the survey pages' of
/// `zorgenquete`: `layouts/taalkeuze.html`).
#[derive(Debug, Serialize)]
pub struct Taalkeuze<'a> {
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
pub fn taalkeuzes<'a>(library: &Library, item: Item, config: &'a Config) -> Vec<Taalkeuze<'a>> {
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
            Some(Taalkeuze {
                code: lang,
                naam: config.taal_naam(lang),
                richting: config.richting(lang),
                permalink: format!("{}{url}", config.origin()),
                url,
                vertaald,
                huidig: lang == file.lang,
            })
        })
        .collect()
}
