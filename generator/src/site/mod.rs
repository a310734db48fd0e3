//! Layer 3, the site: load → render → write. [`build`] loads the model, renders Markdown and
//! templates in parallel and collects every output file in memory.
//!
//! - [`talen`]: the languages merged (roles, flowcharts and posters per language);
//! - [`links`]: every `@/` link checked against the pages and their headings;
//! - [`output`]: extra pages (404, privacy, redirects, sitemap), static files and the atomic
//!   write; [`responder`]: the one way the built site answers HTTP requests;
//!   [`beveiliging`]: the security headers every response carries.
//!
//! Nothing is written during the build: [`BuiltSite::write_to`] writes the finished site in one
//! swap, so a failed build never leaves a half-written `public/`.

pub mod assets;
pub mod beveiliging;
pub mod css;
pub mod links;
pub mod output;
pub mod responder;
pub mod talen;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostics::{Diagnostic, Source};
use crate::model::config::Config;
use crate::model::content::{self, Item, Library};
use crate::model::rollen::Rollen;
use crate::model::teksten::Teksten;
use crate::model::woordenlijst::Woordenlijst;
use crate::render::glossary::Matcher;
use crate::render::markdown::{self, MarkdownContext, Rendered};
use crate::render::templates::{self, BodyOrigin, Lookup, Shared, Templates, Theme};

/// Where the content and theme are, and how to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub theme: PathBuf,
    /// Overrides `base_url` from config.toml (for `serve`).
    pub base_url: Option<String>,
    /// Adds the live-reload script to every page (`serve` only).
    pub live_reload: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>, theme: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            theme: theme.into(),
            base_url: None,
            live_reload: false,
        }
    }
}

/// The finished site: every output file by its path relative to the output folder, and the
/// theme's templates for pages rendered later (the survey service's pages).
#[derive(Debug, Clone, Default)]
pub struct BuiltSite {
    pub files: BTreeMap<String, Vec<u8>>,
    pub warnings: Vec<Diagnostic>,
    /// `None` only for an empty [`BuiltSite::default`].
    pub templates: Option<Templates>,
}

impl BuiltSite {
    /// URL paths of every HTML page (`/`, `/leidraad/`, …), sorted.
    pub fn html_pages(&self) -> Vec<String> {
        self.files
            .keys()
            .filter(|k| k.ends_with(".html"))
            .map(|k| match k.strip_suffix("index.html") {
                Some(dir) => format!("/{dir}"),
                None => format!("/{k}"),
            })
            .collect()
    }

    /// Adds `name.br` and `name.gz` beside every text file, when smaller (for a web server
    /// that serves precompressed files; see [`assets::Variants`]). Compressed in parallel.
    pub fn add_precompressed(&mut self) {
        let variants: Vec<(String, Vec<u8>)> = self
            .files
            .par_iter()
            .flat_map_iter(|(key, bytes)| {
                let v = assets::Variants::of(key, bytes, assets::PRECOMPRESS);
                [
                    v.br.map(|b| (format!("{key}.br"), b)),
                    v.gzip.map(|g| (format!("{key}.gz"), g)),
                ]
                .into_iter()
                .flatten()
            })
            .collect();
        self.files.extend(variants);
    }

    /// Writes the site to `dir` atomically: into a sibling folder first, then swapped in.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        output::write_atomically(&self.files, dir)
    }
}

impl responder::Files for BuiltSite {
    fn file(&self, key: &str) -> Option<Arc<responder::SiteFile>> {
        self.files.get(key).map(|bytes| {
            Arc::new(responder::SiteFile::plain(
                axum::body::Bytes::copy_from_slice(bytes),
            ))
        })
    }
}

/// Everything a build learned about the content, for `check`.
pub struct Analysis {
    pub config: Config,
    pub library: Library,
    pub rendered: HashMap<Item, Rendered>,
    pub woordenlijst: Woordenlijst,
    pub rollen: Rollen,
}

/// Builds the site in memory.
pub fn build(options: &BuildOptions) -> Result<BuiltSite, Vec<Diagnostic>> {
    build_with_analysis(options, false).map(|(site, _)| site)
}

/// Builds the site and keeps what the checker needs.
pub fn build_with_analysis(
    options: &BuildOptions,
    collect_prose: bool,
) -> Result<(BuiltSite, Analysis), Vec<Diagnostic>> {
    let root = options.root.as_path();
    let (mut config, _) = Config::load(root).map_err(|d| vec![d])?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.trim_end_matches('/').to_string();
    }
    // Templates use `config.enquete.url` as a ready link.
    config.enquete.url = config.enquete_url();

    let (teksten, mut warnings) = Teksten::load(root, &config)?;
    let shared = Shared::new(config.clone(), teksten, root.to_path_buf());
    let theme = Theme::load(&options.theme)?;
    let unknown = templates::unknown_texts(theme.sources(), &shared.teksten);
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let library = content::load(root, &config).map_err(|errors| relocate(root, errors))?;
    let rollen = load_data_file(root, "data/rollen.toml", Rollen::parse)?;
    let woordenlijst = load_data_file(root, "data/woordenlijst.toml", Woordenlijst::parse)?;
    let poster = crate::model::poster::load(root, &rollen)?;
    let resultaten = crate::render::resultaten::views(&crate::model::resultaten::load_all(root)?);
    let plannen = crate::model::stappenplan::load_all(root, &rollen)
        .map_err(|errors| relocate(root, errors))?;
    let mut talen = talen::load(
        root,
        &config,
        &shared.teksten,
        &rollen,
        &plannen,
        poster.as_ref(),
    )?;

    // What every template of this site sees besides its own values (Tera's global context,
    // kept per site: the parsed theme is shared with other schools).
    let mut globals = Context::new();
    {
        let global = &mut globals;
        global.insert("config", &config);
        global.insert("rollen", &rollen.rollen);
        let rollen_per_taal: BTreeMap<&str, &Vec<crate::model::rollen::Rol>> = talen
            .rollen
            .iter()
            .map(|(lang, r)| (lang.as_str(), &r.rollen))
            .collect();
        global.insert("rollen_per_taal", &rollen_per_taal);
        global.insert("woordenlijst", &glossary_entries(&woordenlijst));
        global.insert("stappenplannen", &talen.stappenplannen);
        global.insert("resultaten", &resultaten);
    }
    shared.set_lookup(lookup_before_render(&library, &config));
    // The theme's files (and the role colours) under content-hashed names, known before any
    // page is rendered so `get_url(path='style.css')` gives `/style.3f2a9c1e.css`.
    let mut theme_files = output::read_static(&options.theme).map_err(|d| vec![d])?;
    let colours = role_colours(&rollen);
    // The role colours also go at the end of the theme's stylesheet: one render-blocking
    // stylesheet instead of two costs a phone on a slow network a round trip (issue 16).
    // `rollen.css` stays for themes that link it.
    if let Some(style) = theme_files.get_mut("style.css") {
        style.extend_from_slice(
            b"\n/* Role colours from data/rollen.toml (also in rollen.css) */\n",
        );
        style.extend_from_slice(colours.as_bytes());
    }
    theme_files.insert("rollen.css".to_string(), colours.into_bytes());
    // Stylesheets that begin with `@import "style.css";` get its content in place: one
    // render-blocking file per page.
    css::bundle(&mut theme_files, &options.theme.join("static"))?;
    let hashed = output::hashed_names(&theme_files);
    shared.set_assets(hashed.clone(), output::inline_svgs(&theme_files));
    // The poster's keys link to their item on the results page, when it is published there.
    let mut poster = poster;
    if let Some(pagina) = shared.url_for("@/resultaten.md", &config.default_language) {
        for view in poster.iter_mut().chain(talen.posters.values_mut()) {
            for bron in view.sleutels.iter_mut().filter_map(|s| s.bron.as_mut()) {
                let gepubliceerd = resultaten.iter().any(|r| {
                    r.id == bron.vragenlijst
                        && r.categorieen
                            .iter()
                            .any(|c| c.items.iter().any(|i| i.id == bron.item))
                });
                if gepubliceerd {
                    bron.url = Some(format!(
                        "{pagina}#{}",
                        crate::model::resultaten::Item::anker(&bron.vragenlijst, &bron.item)
                    ));
                }
            }
        }
    }
    {
        let global = &mut globals;
        global.insert("poster", &poster);
        global.insert("posters", &talen.posters);
    }
    let templates = Templates::new(theme, Arc::clone(&shared), globals);

    let glossary_url = config
        .woordenlijst
        .pagina
        .as_deref()
        .and_then(|p| shared.url_for(p, &config.default_language));
    let matcher = Matcher::new(&woordenlijst);
    let languages: Vec<String> = config
        .all_languages()
        .into_iter()
        .map(String::from)
        .collect();

    // 1. Markdown bodies (through Tera first when they call components), in parallel.
    let items: Vec<Item> = (0..library.sections.len())
        .map(Item::Section)
        .chain((0..library.pages.len()).map(Item::Page))
        .collect();
    let results: Vec<(Item, Result<Rendered, Vec<Diagnostic>>)> = items
        .par_iter()
        .map(|&item| {
            let result = render_body(
                &library,
                item,
                &templates,
                &matcher,
                &woordenlijst,
                glossary_url.as_deref(),
                collect_prose,
                root,
            );
            (item, result)
        })
        .collect();
    let mut errors = Vec::new();
    let mut rendered = HashMap::new();
    for (item, result) in results {
        match result {
            Ok(r) => {
                rendered.insert(item, r);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    errors.extend(links::check_internal_links(
        &library, &rendered, &config, root,
    ));
    if !errors.is_empty() {
        return Err(errors);
    }

    // 2. Template values for every page and section, then the templates themselves.
    let contexts = crate::render::context::build(&library, &rendered, &config, &languages);
    shared.set_lookup(contexts.lookup(&library));
    let outputs: Vec<Result<(String, Vec<u8>), Diagnostic>> = items
        .par_iter()
        .filter_map(|&item| {
            render_template(
                &library, item, &contexts, &templates, &config, options, root,
            )
        })
        .collect();
    let mut files = BTreeMap::new();
    for output in outputs {
        match output {
            Ok((path, bytes)) => {
                files.insert(path, bytes);
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    output::add_extras(
        &mut files,
        &library,
        &config,
        &templates,
        options.live_reload,
    )?;
    output::add_static(&mut files, theme_files, &hashed, root, &library).map_err(|d| vec![d])?;

    // Every page is written: what the service renders later needs no page bodies.
    shared.set_lookup(contexts.lookup_after_build(&library));
    warnings.append(&mut talen.warnings);
    let site = BuiltSite {
        files,
        warnings,
        templates: Some(templates),
    };
    let analysis = Analysis {
        config,
        library,
        rendered,
        woordenlijst,
        rollen,
    };
    Ok((site, analysis))
}

/// The theme's templates with the school's settings and texts, without building the pages:
/// for documents made outside a running service (the letters of `zorgenquete codes`).
/// `get_page` and `get_section` find nothing there.
pub fn templates_only(
    options: &BuildOptions,
) -> Result<(Templates, Vec<Diagnostic>), Vec<Diagnostic>> {
    let root = options.root.as_path();
    let (mut config, _) = Config::load(root).map_err(|d| vec![d])?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.trim_end_matches('/').to_string();
    }
    config.enquete.url = config.enquete_url();
    let (teksten, warnings) = Teksten::load(root, &config)?;
    let shared = Shared::new(config.clone(), teksten, root.to_path_buf());
    let theme = Theme::load(&options.theme)?;
    let unknown = templates::unknown_texts(theme.sources(), &shared.teksten);
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let mut globals = Context::new();
    globals.insert("config", &config);
    Ok((Templates::new(theme, shared, globals), warnings))
}

/// Diagnostics from the content loader name files relative to the root; show them with it.
fn relocate(root: &Path, errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|mut d| {
            if d.path.is_relative() && !d.path.starts_with(root) {
                d.path = root.join(&d.path);
            }
            d
        })
        .collect()
}

fn load_data_file<T: Default>(
    root: &Path,
    relative: &str,
    parse: fn(&Source) -> Result<T, Vec<Diagnostic>>,
) -> Result<T, Vec<Diagnostic>> {
    let full = root.join(relative);
    if !full.exists() {
        return Ok(T::default());
    }
    let source = Source::read(&full, crate::model::display(root, relative)).map_err(|d| vec![d])?;
    parse(&source)
}

/// One CSS rule per role, so templates colour roles with a class (no inline styles: the
/// survey service sends a strict Content-Security-Policy).
fn role_colours(rollen: &Rollen) -> String {
    rollen
        .rollen
        .iter()
        .map(|r| format!(".rol-{}{{--rolkleur:{}}}\n", r.id, r.kleur))
        .collect()
}

#[derive(Serialize)]
struct GlossaryEntry<'a> {
    woord: &'a str,
    uitleg: &'a str,
    anker: String,
}

fn glossary_entries(lijst: &Woordenlijst) -> Vec<GlossaryEntry<'_>> {
    lijst
        .termen
        .iter()
        .map(|t| GlossaryEntry {
            woord: &t.woord,
            uitleg: &t.uitleg,
            anker: t.anchor(),
        })
        .collect()
}

/// URLs and titles are known before any Markdown is rendered, so `get_url` and `get_page`
/// work inside Markdown too (without `content`, which does not exist yet).
fn lookup_before_render(library: &Library, config: &Config) -> Lookup {
    let mut lookup = Lookup::default();
    for (i, page) in library.pages.iter().enumerate() {
        let key = (page.file.canonical.clone(), page.file.lang.clone());
        lookup.urls.insert(key.clone(), page.path.clone());
        lookup.items.insert(
            key,
            Value::from_serializable(&crate::render::context::brief(
                library,
                Item::Page(i),
                config,
            )),
        );
    }
    for (i, section) in library.sections.iter().enumerate() {
        let key = (section.file.canonical.clone(), section.file.lang.clone());
        lookup.urls.insert(key.clone(), section.path.clone());
        lookup.items.insert(
            key,
            Value::from_serializable(&crate::render::context::brief(
                library,
                Item::Section(i),
                config,
            )),
        );
    }
    lookup
}

#[allow(clippy::too_many_arguments)]
fn render_body(
    library: &Library,
    item: Item,
    templates: &Templates,
    matcher: &Matcher,
    woordenlijst: &Woordenlijst,
    glossary_url: Option<&str>,
    collect_prose: bool,
    root: &Path,
) -> Result<Rendered, Vec<Diagnostic>> {
    let (theme, shared) = (templates.theme(), templates.shared());
    let file = library.file_of(item);
    let path = crate::model::display(root, &file.relative);
    let body = file.body();
    let text = if body.contains("{{") || body.contains("{%") {
        let located = Source::new(&path, file.source.text.clone());
        let unknown: Vec<Diagnostic> = templates::component_calls(body)
            .into_iter()
            .filter(|(_, name)| !theme.contains_component(name))
            .map(|(range, name)| {
                let span = file.body_start + range.start..file.body_start + range.end;
                templates::unknown_component(theme, &located, span, name)
            })
            .collect();
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let mut context = Context::new();
        context.insert("lang", &file.lang);
        context.insert("current_path", library.path_of(item));
        if let Some(v) = shared.lookup.read().ok().and_then(|l| {
            l.items
                .get(&(file.canonical.clone(), file.lang.clone()))
                .cloned()
        }) {
            context.insert_value(
                match item {
                    Item::Page(_) => "page",
                    Item::Section(_) => "section",
                },
                v,
            );
        }
        templates.render_body(body, &context).map_err(|err| {
            let origin = BodyOrigin {
                path: &path,
                source: &located,
                first_line: file.body_line(),
            };
            vec![templates::template_error(
                &err,
                theme.sources(),
                Some(&origin),
            )]
        })?
    } else {
        body.to_string()
    };
    let permalink = library.path_of(item).to_string();
    let lang = file.lang.clone();
    let resolve = |link: &str| {
        shared.url_for(link, &lang).filter(|_| {
            link.starts_with("@/") || link.starts_with(crate::model::config::ENQUETE_LINK)
        })
    };
    let ctx = MarkdownContext {
        resolve: &resolve,
        glossary: match glossary_url {
            // The glossary explains Dutch words: only Dutch pages link to it.
            Some(url)
                if !matcher.is_empty()
                    && wants_glossary(library, item)
                    && lang == shared.config.default_language =>
            {
                Some((matcher, woordenlijst, url))
            }
            _ => None,
        },
        smart_punctuation: shared.config.markdown.smart_punctuation,
        collect_prose,
        permalink: &permalink,
    };
    Ok(markdown::render(&text, &ctx))
}

/// Pages get glossary links unless they opt out (`[extra] woordenlijst = false`); the
/// glossary page itself never links to itself.
fn wants_glossary(library: &Library, item: Item) -> bool {
    let extra = match item {
        Item::Page(i) => &library.pages[i].meta.extra,
        Item::Section(i) => &library.sections[i].meta.extra,
    };
    extra.get("woordenlijst").and_then(toml::Value::as_bool) != Some(false)
}

#[allow(clippy::too_many_arguments)]
fn render_template(
    library: &Library,
    item: Item,
    contexts: &crate::render::context::Contexts,
    templates: &Templates,
    config: &Config,
    options: &BuildOptions,
    root: &Path,
) -> Option<Result<(String, Vec<u8>), Diagnostic>> {
    let theme = templates.theme();
    let file = library.file_of(item);
    let (template, key, value) = match item {
        Item::Page(i) => {
            let page = &library.pages[i];
            let template = page.meta.template.clone().unwrap_or_else(|| {
                page.section
                    .and_then(|s| inherited_page_template(library, s))
                    .unwrap_or_else(|| "page.html".to_string())
            });
            (template, "page", contexts.page(i))
        }
        Item::Section(i) => {
            let section = &library.sections[i];
            if !section.meta.render {
                return None;
            }
            let default = if section.dir.is_empty() {
                "index.html"
            } else {
                "section.html"
            };
            let template = section
                .meta
                .template
                .clone()
                .unwrap_or_else(|| default.to_string());
            (template, "section", contexts.section(i))
        }
    };
    let path = library.path_of(item).to_string();
    if !theme.contains_template(&template) {
        let source = Source::new(
            crate::model::display(root, &file.relative),
            file.source.text.clone(),
        );
        let span = source.find_value("template", &template);
        return Some(Err(source
            .error_at(span, format!("het sjabloon `{template}` bestaat niet"))
            .with_hint(format!(
                "maak site/templates/{template} aan of kies een bestaand sjabloon"
            ))));
    }
    let mut context = Context::new();
    context.insert_value(key, value.clone());
    context.insert("lang", &file.lang);
    context.insert("current_path", &path);
    context.insert("current_url", &format!("{}{}", config.origin(), path));
    context.insert("richting", config.richting(&file.lang));
    context.insert("site_titel", config.titel(&file.lang));
    context.insert(
        "taalkeuze",
        &crate::render::context::taalkeuzes(library, item, config),
    );
    let result = templates
        .render_context(&template, &context)
        .map_err(|err| templates::template_error(&err, theme.sources(), None))
        .map(|html| {
            let html = if options.live_reload {
                output::inject_reload_script(&html)
            } else {
                html
            };
            (output::file_for_path(config, &path), html.into_bytes())
        });
    Some(result)
}

fn inherited_page_template(library: &Library, mut section: usize) -> Option<String> {
    loop {
        let s = &library.sections[section];
        if let Some(t) = &s.meta.page_template {
            return Some(t.clone());
        }
        section = s.parent?;
    }
}
