//! The theme's Tera 2 templates and the functions a Zola theme author expects: `get_url`,
//! `get_page`, `get_section`, `load_data`, `trans`, and the `markdown` filter.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, Weak};

use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::diagnostics::{Diagnostic, Source, closest};
use crate::model::config::{Config, ENQUETE_LINK};
use crate::model::teksten::{self, Teksten};
use crate::render::html::escape;
use crate::render::inline;

/// What template functions can look up: filled in stages while the site is built.
#[derive(Default)]
pub struct Lookup {
    /// `leidraad/x.md` (canonical path + language) → template value of that page or section.
    pub items: HashMap<(String, String), Value>,
    /// `leidraad/x.md` + language → URL path.
    pub urls: HashMap<(String, String), String>,
}

/// State shared by the template functions.
pub struct Shared {
    pub config: Config,
    /// The interface texts for `trans()`.
    pub teksten: Teksten,
    pub content_root: PathBuf,
    pub lookup: RwLock<Arc<Lookup>>,
    data_cache: RwLock<HashMap<String, Value>>,
    /// The theme's files by their hashed names (`style.css` → `style.3f2a9c1e.css`), see
    /// [`crate::site::assets`].
    assets: RwLock<HashMap<String, String>>,
    /// The theme's small SVG files, for `inline_svg` and `get_url(…, inline=true)`.
    svgs: RwLock<HashMap<String, String>>,
}

impl Shared {
    pub fn new(config: Config, teksten: Teksten, content_root: PathBuf) -> Arc<Self> {
        Arc::new(Shared {
            config,
            teksten,
            content_root,
            lookup: RwLock::new(Arc::new(Lookup::default())),
            data_cache: RwLock::new(HashMap::new()),
            assets: RwLock::new(HashMap::new()),
            svgs: RwLock::new(HashMap::new()),
        })
    }

    /// Sets the hashed names `get_url` gives for the theme's files, and the small SVG files
    /// that go into pages ([`crate::render::inline`]).
    pub fn set_assets(&self, assets: HashMap<String, String>, svgs: HashMap<String, String>) {
        if let Ok(mut current) = self.assets.write() {
            *current = assets;
        }
        if let Ok(mut current) = self.svgs.write() {
            *current = svgs;
        }
    }

    fn hashed(&self, relative: &str) -> Option<String> {
        self.assets.read().ok()?.get(relative).cloned()
    }

    /// The text of `path` (a theme file) when it is a small SVG.
    fn svg(&self, path: &str) -> Option<String> {
        self.svgs
            .read()
            .ok()?
            .get(path.trim_start_matches('/'))
            .cloned()
    }

    pub fn set_lookup(&self, lookup: Lookup) {
        if let Ok(mut current) = self.lookup.write() {
            *current = Arc::new(lookup);
        }
    }

    fn current(&self) -> Arc<Lookup> {
        self.lookup
            .read()
            .map(|l| Arc::clone(&l))
            .unwrap_or_default()
    }

    /// URL for `@/file.md`, `@enquete/ouders` (a survey, at `[enquete] url`), a site path
    /// (`/style.css`, `leidraad/`) or an absolute URL. A theme file gets its hashed name
    /// (`/style.3f2a9c1e.css`).
    pub fn url_for(&self, path: &str, lang: &str) -> Option<String> {
        if let Some(survey) = path.strip_prefix(ENQUETE_LINK) {
            // `build` has already resolved `[enquete] url` (Config::enquete_url).
            return Some(format!("{}{survey}", self.config.enquete.url));
        }
        if let Some(internal) = path.strip_prefix("@/") {
            let (file, anchor) = internal.split_once('#').unwrap_or((internal, ""));
            let lookup = self.current();
            let url = lookup
                .urls
                .get(&(file.to_string(), lang.to_string()))
                .or_else(|| {
                    lookup
                        .urls
                        .get(&(file.to_string(), self.config.default_language.clone()))
                })?;
            return Some(if anchor.is_empty() {
                url.clone()
            } else {
                format!("{url}#{anchor}")
            });
        }
        if path.contains("://") || path.starts_with("mailto:") || path.starts_with("tel:") {
            return Some(path.to_string());
        }
        let relative = path.trim_start_matches('/');
        let end = relative.find(['?', '#']).unwrap_or(relative.len());
        let (file, rest) = relative.split_at(end);
        let file = self.hashed(file).unwrap_or_else(|| file.to_string());
        Some(format!("{}/{file}{rest}", self.config.path_prefix()))
    }
}

/// The theme's template files: (template name, source).
pub type ThemeSources = Vec<(String, Source)>;

/// A theme's templates, parsed once: the Tera instance with the site functions (`get_url`,
/// `trans`, …), filters and autoescaping, and the sources for locating errors. Every school
/// of a group that uses the same theme shares one (see [`Theme::load`]); what differs per
/// school (its [`Shared`] state and its global values) is in [`Templates`].
pub struct Theme {
    dir: PathBuf,
    tera: Tera,
    sources: ThemeSources,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("dir", &self.dir)
            .field("templates", &self.sources.len())
            .finish()
    }
}

/// Themes in use, so that fifty schools of a group parse their common theme once. Weak: a
/// theme nobody renders with any more (an edited theme after a rebuild) is dropped.
static THEMES: Mutex<Vec<Weak<Theme>>> = Mutex::new(Vec::new());

impl Theme {
    /// Reads every `*.html` and `*.xml` under `dir/templates` (names relative to it, as in
    /// Zola) and gives the parsed theme: the one already in use when the files are the same
    /// (same folder, same names, same texts), else a newly parsed one.
    pub fn load(dir: &Path) -> Result<Arc<Theme>, Vec<Diagnostic>> {
        let sources = read_sources(dir)?;
        let mut themes = THEMES.lock().unwrap_or_else(|e| e.into_inner());
        themes.retain(|t| t.strong_count() > 0);
        if let Some(theme) = themes
            .iter()
            .filter_map(Weak::upgrade)
            .find(|t| t.dir == dir && same_sources(&t.sources, &sources))
        {
            return Ok(theme);
        }
        let theme = Arc::new(Theme::parse(dir, sources)?);
        themes.push(Arc::downgrade(&theme));
        Ok(theme)
    }

    /// Site functions are registered first: Tera checks every function a template calls when
    /// the template is added.
    fn parse(dir: &Path, sources: ThemeSources) -> Result<Theme, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // The generator's one escaper (same output as Tera's own, a run of text at a time).
        tera.set_escape_fn(crate::render::html::escape_into);
        register_static(&mut tera);
        register_site_functions(&mut tera);
        let result = tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, source)| (name.as_str(), source.text.as_str())),
        );
        match result {
            Ok(()) => Ok(Theme {
                dir: dir.to_path_buf(),
                tera,
                sources,
            }),
            Err(err) => Err(vec![template_error(&err, &sources, None)]),
        }
    }

    pub fn sources(&self) -> &ThemeSources {
        &self.sources
    }

    /// Whether the theme has template `name`.
    pub fn contains_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    pub fn contains_component(&self, name: &str) -> bool {
        self.tera.contains_component(name)
    }

    pub fn component_names(&self) -> impl Iterator<Item = &str> {
        self.tera.get_component_names()
    }
}

fn read_sources(theme: &Path) -> Result<ThemeSources, Vec<Diagnostic>> {
    let dir = theme.join("templates");
    let mut files = Vec::new();
    collect(&dir, &mut files).map_err(|e| {
        vec![
            Diagnostic::error(&dir, format!("kan de sjablonen niet lezen ({e})"))
                .with_hint("controleer of --theme naar de map met templates/ wijst"),
        ]
    })?;
    files.sort();
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let name = crate::model::content::relative_path(&dir, &file);
        match Source::read(&file, file.clone()) {
            Ok(source) => sources.push((name, source)),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

fn same_sources(a: &ThemeSources, b: &ThemeSources) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((na, sa), (nb, sb))| na == nb && sa.text == sb.text)
}

/// The site's global values under a render's own context (the context wins, as Tera's
/// global context would). Cheap: Tera values share their contents.
fn with_globals(globals: &Context, context: &Context) -> Context {
    let mut all = globals.clone();
    all.extend(context.clone());
    all
}

thread_local! {
    /// The site being rendered on this thread. The site functions belong to the theme, which
    /// the schools of a group share; they find their school here (a render runs on one
    /// thread from start to end).
    static RENDERING: RefCell<Option<Arc<Shared>>> = const { RefCell::new(None) };
}

/// Runs `render` with `site` as the site the template functions read (and the previous one
/// back afterwards, also when `render` panics).
fn rendering_for<R>(site: &Arc<Shared>, render: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<Shared>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            RENDERING.with(|r| *r.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(RENDERING.with(|r| r.borrow_mut().replace(Arc::clone(site))));
    render()
}

/// The site a template function works for: set by [`Templates::render_context`].
fn site() -> TeraResult<Arc<Shared>> {
    RENDERING
        .with(|r| r.borrow().clone())
        .ok_or_else(|| tera::Error::message("sjabloonfunctie buiten het bouwen van een site"))
}

/// The theme's templates with one site's state and global values, for pages rendered later
/// on request (the survey service's survey and dashboard pages): the same templates,
/// functions, global values and autoescaping as the site. Cheap to clone; thread-safe.
#[derive(Clone)]
pub struct Templates {
    theme: Arc<Theme>,
    shared: Arc<Shared>,
    globals: Arc<Context>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("theme", &self.theme)
            .finish()
    }
}

impl Templates {
    pub fn new(theme: Arc<Theme>, shared: Arc<Shared>, globals: Context) -> Templates {
        Templates {
            theme,
            shared,
            globals: Arc::new(globals),
        }
    }

    /// Renders template `name` (`enquete/formulier.html`) with the fields of `context` as its
    /// top-level values. Errors point at the template's line.
    pub fn render<T: serde::Serialize>(
        &self,
        name: &str,
        context: &T,
    ) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(context).map_err(|e| {
            Diagnostic::error(
                format!("site/templates/{name}"),
                format!("de waarden voor dit sjabloon zijn onbruikbaar ({e})"),
            )
        })?;
        self.render_context(name, &context)
            .map_err(|err| template_error(&err, &self.theme.sources, None))
    }

    /// Renders template `name` for this site: the templates see the site's global values
    /// (`config`, `rollen`, …) under `context`, which wins on equal names; the site functions
    /// see this site.
    pub fn render_context(&self, name: &str, context: &Context) -> TeraResult<String> {
        let context = with_globals(&self.globals, context);
        rendering_for(&self.shared, || self.theme.tera.render(name, &context))
    }

    /// Renders a page body that calls components, as [`Templates::render_context`] does a
    /// template.
    pub fn render_body(&self, body: &str, context: &Context) -> TeraResult<String> {
        let context = with_globals(&self.globals, context);
        rendering_for(&self.shared, || {
            self.theme.tera.render_str(body, &context, false)
        })
    }

    /// Whether the theme has template `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.theme.contains_template(name)
    }

    /// The site's settings, as the templates see them.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The interface texts, as `trans()` reads them.
    pub fn teksten(&self) -> &Teksten {
        &self.shared.teksten
    }

    /// The parsed theme (shared with every other school using it).
    pub fn theme(&self) -> &Arc<Theme> {
        &self.theme
    }

    /// The site's state that the template functions read.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "html" || e == "xml") {
            files.push(path);
        }
    }
    Ok(())
}

/// Filters that need no site data.
fn register_static(tera: &mut Tera) {
    tera.register_filter("attr", |text: &str, _: Kwargs, _: &State| -> Value {
        Value::safe_string(&escape(text))
    });
    // Plain text with blank lines between paragraphs and single line breaks inside them:
    // `{% for a in tekst | alineas %}<p>{% for r in a %}…` (each line still escaped).
    tera.register_filter("alineas", |text: &str, _: Kwargs, _: &State| -> Value {
        Value::from_serializable(&alineas(text))
    });
}

/// Paragraphs (split at blank lines) of lines, trimmed, without empty paragraphs.
pub fn alineas(text: &str) -> Vec<Vec<&str>> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.lines().map(str::trim).collect())
        .collect()
}

/// Functions that read the site: registered once per theme; each finds the site it renders
/// for with [`site`].
fn register_site_functions(tera: &mut Tera) {
    // `markdown` resolves `@/` and `@enquete/` links like page bodies do (a component's body
    // is Markdown too); the link checker has already checked them in the page's source.
    tera.register_filter(
        "markdown",
        |text: &str, kwargs: Kwargs, state: &State| -> TeraResult<Value> {
            let s = site()?;
            let inline = kwargs.get::<bool>("inline")?.unwrap_or(false);
            let lang = language(&kwargs, state, &s.config)?;
            let resolve = |link: &str| s.url_for(link, &lang);
            let ctx = crate::render::markdown::MarkdownContext {
                resolve: &resolve,
                glossary: None,
                smart_punctuation: false,
                collect_prose: false,
                permalink: "",
            };
            let mut html = crate::render::markdown::render(text, &ctx).html;
            if inline {
                html = html
                    .trim()
                    .strip_prefix("<p>")
                    .and_then(|h| h.strip_suffix("</p>"))
                    .map_or(html.clone(), str::to_string);
            }
            // Component output lands inside Markdown: blank lines would end the HTML block.
            Ok(Value::safe_string(&remove_blank_lines(&html)))
        },
    );
    tera.register_function("get_url", |kwargs: Kwargs, state: &State| {
        let s = site()?;
        let path: String = kwargs.must_get("path")?;
        // `inline=true`: a small SVG of the theme in the page itself (`data:` URL), no request.
        if kwargs.get::<bool>("inline")?.unwrap_or(false)
            && let Some(svg) = s.svg(&path)
        {
            return Ok(inline::data_url(&svg));
        }
        let lang = language(&kwargs, state, &s.config)?;
        s.url_for(&path, &lang)
            .ok_or_else(|| tera::Error::message(format!("get_url: `{path}` bestaat niet")))
    });
    let get_item = |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
        let s = site()?;
        let path: String = kwargs.must_get("path")?;
        let lang = language(&kwargs, state, &s.config)?;
        let path = path.trim_start_matches("@/").to_string();
        let lookup = s.current();
        lookup
            .items
            .get(&(path.clone(), lang))
            .cloned()
            .ok_or_else(|| tera::Error::message(format!("`{path}` bestaat niet in content/")))
    };
    // `inline_svg(path='icons/zorg.svg', width=32, height=32, class='…')`: a small SVG of the
    // theme as an element of the page (decorative), so it costs no request.
    tera.register_function("inline_svg", |kwargs: Kwargs, _: &State| {
        let s = site()?;
        let path: String = kwargs.must_get("path")?;
        let svg = s.svg(&path).ok_or_else(|| {
            tera::Error::message(format!(
                "inline_svg: `{path}` is geen SVG-bestand van het thema van hoogstens {} bytes; \
                 gebruik <img src=\"{{{{ get_url(path='{path}') }}}}\"> voor grotere bestanden",
                inline::INLINE_MAX
            ))
        })?;
        let mut attributes: Vec<(&str, String)> = Vec::new();
        for name in ["width", "height", "class"] {
            if let Some(v) = kwargs.get::<Value>(name)? {
                attributes.push((name, v.to_string()));
            }
        }
        let attributes: Vec<(&str, &str)> =
            attributes.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let element = inline::element(&svg, &attributes).ok_or_else(|| {
            tera::Error::message(format!("inline_svg: `{path}` heeft geen <svg>-element"))
        })?;
        Ok::<Value, tera::Error>(Value::safe_string(&element))
    });
    tera.register_function("get_page", get_item);
    tera.register_function("get_section", get_item);
    tera.register_function("load_data", |kwargs: Kwargs, _: &State| {
        let path: String = kwargs.must_get("path")?;
        site()?.load_data(&path)
    });
    tera.register_function("trans", |kwargs: Kwargs, state: &State| {
        let s = site()?;
        let key: String = kwargs.must_get("key")?;
        let lang = language(&kwargs, state, &s.config)?;
        let text = s.teksten.get(&key, &lang).ok_or_else(|| {
            tera::Error::message(format!(
                "trans: de tekst `{key}` bestaat niet in {}/{}.toml",
                teksten::DIR,
                s.config.default_language
            ))
        })?;
        Ok::<Value, tera::Error>(Value::from(fill_placeholders(text, &kwargs)))
    });
}

/// `trans(key=…, n=3)`: every argument besides `key` and `lang` fills the placeholder of the
/// same name (`{n}`).
fn fill_placeholders(text: &str, kwargs: &Kwargs) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    teksten::vul_in(text, |name| {
        kwargs
            .iter()
            .find(|(k, _)| k.as_str() == Some(name))
            .map(|(_, v)| v.to_string())
    })
}

fn language(kwargs: &Kwargs, state: &State, config: &Config) -> TeraResult<String> {
    Ok(kwargs
        .get::<String>("lang")?
        .or(state.get::<String>("lang")?)
        .unwrap_or_else(|| config.default_language.clone()))
}

impl Shared {
    fn load_data(&self, path: &str) -> TeraResult<Value> {
        if let Some(v) = self
            .data_cache
            .read()
            .ok()
            .and_then(|c| c.get(path).cloned())
        {
            return Ok(v);
        }
        let relative = path.trim_start_matches('/');
        if relative.split('/').any(|p| p == "..") {
            return Err(tera::Error::message("load_data: `..` is niet toegelaten"));
        }
        let full = self.content_root.join(relative);
        let source =
            Source::read(&full, relative).map_err(|d| tera::Error::message(d.to_string()))?;
        let value = if relative.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&source.text)
                .map(|v| Value::from_serializable(&v))
                .map_err(|e| tera::Error::message(format!("{relative}: ongeldige JSON ({e})")))?
        } else {
            let table: toml::Table = source
                .parse_toml(0..source.text.len())
                .map_err(|d| tera::Error::message(d.to_string()))?;
            Value::from_serializable(&table)
        };
        if let Ok(mut cache) = self.data_cache.write() {
            cache.insert(path.to_string(), value.clone());
        }
        Ok(value)
    }
}

/// Where Markdown bodies rendered through Tera came from, to put errors on the right line.
pub struct BodyOrigin<'a> {
    pub path: &'a Path,
    pub source: &'a Source,
    /// 1-based line of the file where the body starts.
    pub first_line: usize,
}

/// Turns a Tera error into a diagnostic on the template file, or on the Markdown file when the
/// error is in a page body.
pub fn template_error(
    err: &tera::Error,
    theme: &[(String, Source)],
    body: Option<&BodyOrigin>,
) -> Diagnostic {
    let report = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r.as_ref()),
        _ => None,
    };
    let (name, line, col, message) = match report {
        Some(r) => (
            r.filename().to_string(),
            r.span().start_line,
            r.span().start_col + 1,
            r.message().to_string(),
        ),
        None => {
            let text = err.to_string();
            let (name, line, col) = locate_in_report(&text).unwrap_or_default();
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            (name, line, col, first)
        }
    };
    let hint = hint_for(&message);
    let is_body = name == "__tera_one_off" || name.is_empty();
    if let (true, Some(body)) = (is_body, body) {
        let line = body.first_line + line.saturating_sub(1);
        let offset = body.source.line_start(line) + col.saturating_sub(1);
        let end = (offset + 1).min(body.source.text.len());
        return Diagnostic::error(body.path, format!("fout in sjablooncode: {message}"))
            .at(body.source, offset.min(end)..end)
            .with_hint(hint);
    }
    match theme.iter().find(|(n, _)| *n == name).map(|(_, s)| s) {
        Some(source) if line > 0 => {
            let offset = source.line_start(line) + col.saturating_sub(1);
            let end = (offset + 1).min(source.text.len());
            Diagnostic::error(&source.path, format!("fout in sjabloon: {message}"))
                .at(source, offset.min(end)..end)
                .with_hint(hint)
        }
        _ => Diagnostic::error(
            if name.is_empty() {
                "site/templates".into()
            } else {
                PathBuf::from(name)
            },
            format!("fout in sjabloon: {}", err),
        )
        .with_hint(hint),
    }
}

/// Every `trans(key="…")` in the theme whose text does not exist in the reference language:
/// an error on the template's line, found at build time rather than when a page is asked
/// for. A key built in the template (`key="enquete.schaal." ~ w`) must be the start of at
/// least one text.
pub fn unknown_texts(theme: &[(String, Source)], teksten: &Teksten) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (_, source) in theme {
        let text = &source.text;
        let mut from = 0;
        while let Some(at) = text[from..].find("trans(") {
            let start = from + at + "trans(".len();
            from = start;
            let rest = &text[start..];
            let Some(after_key) = rest
                .trim_start()
                .strip_prefix("key")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
                .map(str::trim_start)
            else {
                continue;
            };
            let Some(quote) = after_key.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(len) = after_key[1..].find(quote) else {
                continue;
            };
            let key = &after_key[1..1 + len];
            let key_start = start + (rest.len() - after_key.len()) + 1;
            let prefix = after_key[1 + len + 1..].trim_start().starts_with('~');
            let known = if prefix {
                teksten.sleutels().any(|k| k.starts_with(key))
            } else {
                teksten.bestaat(key)
            };
            if !known {
                let hint = match closest(key, teksten.sleutels()) {
                    Some(best) => format!("bedoel je `{best}`?"),
                    None => format!(
                        "voeg de tekst toe in {}/<taal>.toml, of kies een bestaande",
                        teksten::DIR
                    ),
                };
                found.push(
                    source
                        .error_at(
                            key_start..key_start + key.len(),
                            format!("de tekst `{key}` bestaat niet"),
                        )
                        .with_hint(hint),
                );
            }
        }
    }
    found
}

/// Finds ` --> name:line:col` in a rendered Tera report.
fn locate_in_report(text: &str) -> Option<(String, usize, usize)> {
    let rest = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = rest.rsplitn(3, ':');
    let col = parts.next()?.trim().parse::<usize>().ok()?;
    let line = parts.next()?.trim().parse::<usize>().ok()?;
    let name = parts.next()?.to_string();
    Some((name, line, col))
}

fn hint_for(message: &str) -> String {
    if message.contains("is not defined") {
        "controleer de schrijfwijze van de naam; wil je echt {{ tonen, zet het dan tussen {% raw %} en {% endraw %}".into()
    } else if message.contains("Unknown component") || message.contains("Component") {
        "controleer de naam van de component; de componenten staan in site/templates/components/"
            .into()
    } else if message.contains("not found") {
        "controleer de naam van het sjabloon in de front matter (`template = …`) of in extends/include".into()
    } else {
        "kijk de sjablooncode op deze plaats na: elke {{ sluit met }} en elke {% met %}".into()
    }
}

/// A diagnostic for a component name that the theme does not define, with a suggestion.
pub fn unknown_component(
    theme: &Theme,
    source: &Source,
    span: std::ops::Range<usize>,
    name: &str,
) -> Diagnostic {
    let names: Vec<&str> = theme.component_names().collect();
    let hint = match closest(name, names.iter().copied()) {
        Some(best) => format!("bedoel je `{best}`?"),
        None => format!("beschikbare componenten: {}", names.join(", ")),
    };
    source
        .error_at(span, format!("onbekende component `{name}`"))
        .with_hint(hint)
}

/// Finds component calls (`{{ <naam …/> }}` and `{% <naam …> %}`) in a Markdown body:
/// (byte range of the name, name).
pub fn component_calls(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut calls = Vec::new();
    for opener in ["{{", "{%"] {
        let mut from = 0;
        while let Some(found) = text[from..].find(opener) {
            let start = from + found + 2;
            let rest = &text[start..];
            let trimmed = rest.trim_start_matches([' ', '-']);
            let skipped = rest.len() - trimmed.len();
            if let Some(after) = trimmed.strip_prefix('<') {
                let name_len = after
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .unwrap_or(after.len());
                let name_start = start + skipped + 1;
                if name_len > 0 {
                    calls.push((
                        name_start..name_start + name_len,
                        &text[name_start..name_start + name_len],
                    ));
                }
            }
            from = start;
        }
    }
    calls.sort_by_key(|(r, _)| r.start);
    calls
}

/// Removes empty lines so HTML stays one block inside Markdown.
pub fn remove_blank_lines(html: &str) -> String {
    html.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_component_calls_in_markdown() {
        let text =
            "a {{ <rollen groep=\"x\"/> }} b {% <kader titel=\"T\"> %}x{% </kader> %} {{ naam }}";
        let names: Vec<&str> = component_calls(text).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["rollen", "kader"]);
    }

    #[test]
    fn paragraphs_and_lines() {
        assert_eq!(
            alineas("a\nb \n\n\n <c>\n\n"),
            vec![vec!["a", "b"], vec!["<c>"]]
        );
    }

    #[test]
    fn reads_the_location_from_a_report() {
        let report = "error: Unknown component `x`\n --> __tera_one_off:3:7\n  |";
        assert_eq!(
            locate_in_report(report),
            Some(("__tera_one_off".to_string(), 3, 7))
        );
    }
}
