//! Loading `content/`: Markdown pages and sections in Zola's layout, their paths and languages.
//!
//! `_index.md` makes a section, any other `.md` is a page, `foo/index.md` is a page that keeps
//! its files beside it, `page.fr.md` is the French translation of `page.md`.

pub mod front_matter;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Source};
use crate::model::config::Config;
use crate::slug::slugify;
pub use front_matter::{PageFrontMatter, SectionFrontMatter, SortBy};

/// Folders of `content/` that hold data, not pages.
pub const DATA_DIRS: &[&str] = &["data", "enquetes", crate::model::teksten::DIR];

/// One Markdown file: where it is and what it says.
#[derive(Debug, Clone)]
pub struct File {
    /// Path relative to the content root, with `/` separators (`leidraad/oudergesprek.md`).
    pub relative: String,
    /// The same path without the language suffix (`leidraad/oudergesprek.md` for `….fr.md`),
    /// which is what `@/` links and translations use.
    pub canonical: String,
    pub source: Source,
    /// Byte offset of the Markdown body in `source`.
    pub body_start: usize,
    pub lang: String,
}

impl File {
    pub fn body(&self) -> &str {
        &self.source.text[self.body_start..]
    }

    /// Line number (1-based) of the first body line, to map body positions to file positions.
    pub fn body_line(&self) -> usize {
        self.source.line_col(self.body_start).0
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub file: File,
    pub meta: PageFrontMatter,
    /// URL path from the site root, with the base_url prefix: `/leidraad/oudergesprek/`.
    pub path: String,
    pub slug: String,
    /// Index of the section this page belongs to.
    pub section: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub file: File,
    pub meta: SectionFrontMatter,
    pub path: String,
    /// Directory relative to the content root (`leidraad`, or empty for the home section).
    pub dir: String,
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    pub parent: Option<usize>,
}

/// Everything under `content/`, loaded and linked together.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    /// Non-Markdown files that sit beside pages (images, PDFs): relative path in content.
    pub assets: Vec<String>,
    by_file: HashMap<(String, String), Item>,
    /// Drafts (`draft = true`, or inside a draft section), by canonical path and language.
    /// They are left out before any page or section gets an index, so every index is stable.
    drafts: HashSet<(String, String)>,
}

/// A page or a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Page(usize),
    Section(usize),
}

impl Library {
    /// Looks up a file by its canonical path (`leidraad/oudergesprek.md`) in a language.
    pub fn get(&self, canonical: &str, lang: &str) -> Option<Item> {
        self.by_file
            .get(&(canonical.to_string(), lang.to_string()))
            .copied()
    }

    /// Whether `canonical` in `lang` is a draft: it exists, but is not published.
    pub fn is_draft(&self, canonical: &str, lang: &str) -> bool {
        self.drafts
            .contains(&(canonical.to_string(), lang.to_string()))
    }

    pub fn path_of(&self, item: Item) -> &str {
        match item {
            Item::Page(i) => &self.pages[i].path,
            Item::Section(i) => &self.sections[i].path,
        }
    }

    pub fn file_of(&self, item: Item) -> &File {
        match item {
            Item::Page(i) => &self.pages[i].file,
            Item::Section(i) => &self.sections[i].file,
        }
    }

    /// All files that are translations of `canonical` (including itself), by language.
    pub fn translations(&self, canonical: &str, languages: &[&str]) -> Vec<(String, Item)> {
        languages
            .iter()
            .filter_map(|l| self.get(canonical, l).map(|item| (l.to_string(), item)))
            .collect()
    }
}

/// Reads every Markdown file under `root`, parses front matter, and builds the section tree.
pub fn load(root: &Path, config: &Config) -> Result<Library, Vec<Diagnostic>> {
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    collect_files(root, root, &mut markdown, &mut assets).map_err(|e| {
        vec![
            Diagnostic::error(root, format!("kan de map niet lezen ({e})"))
                .with_hint("controleer of --root naar de map met config.toml en de pagina's wijst"),
        ]
    })?;
    markdown.sort();
    assets.sort();

    let languages = config.all_languages();
    let parsed: Vec<Result<Parsed, Diagnostic>> = markdown
        .par_iter()
        .map(|relative| parse_file(root, relative, &languages, &config.default_language))
        .collect();
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for result in parsed {
        match result {
            Ok(file) => files.push(file),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Drafts never enter the library: no index, no path, no output, no menu entry.
    let drafts = drafts(&files);
    let draft_dirs: Vec<&str> = files
        .iter()
        .filter(|f| drafts.contains(&f.key()) && f.file().lang == config.default_language)
        .filter_map(|f| match f {
            Parsed::Section(file, _) => file.canonical.strip_suffix("_index.md"),
            Parsed::Page(file, _) => file.canonical.strip_suffix("index.md"),
        })
        .collect();
    let assets = assets
        .into_iter()
        .filter(|a| !draft_dirs.iter().any(|d| !d.is_empty() && a.starts_with(d)))
        .collect();
    let files: Vec<Parsed> = files
        .into_iter()
        .filter(|f| !drafts.contains(&f.key()))
        .collect();
    let mut library = Library {
        assets,
        drafts,
        ..Library::default()
    };
    let prefix = config.path_prefix();
    // Sections first, so pages can find theirs.
    for parsed in files.iter() {
        if let Parsed::Section(file, meta) = parsed {
            let dir = file
                .canonical
                .strip_suffix("_index.md")
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string();
            let path = url_path(prefix, &file.lang, &config.default_language, &dir);
            let index = library.sections.len();
            library.by_file.insert(
                (file.canonical.clone(), file.lang.clone()),
                Item::Section(index),
            );
            library.sections.push(Section {
                file: file.clone(),
                meta: meta.clone(),
                path,
                dir,
                pages: Vec::new(),
                subsections: Vec::new(),
                parent: None,
            });
        }
    }
    for i in 0..library.sections.len() {
        let (dir, lang) = (
            library.sections[i].dir.clone(),
            library.sections[i].file.lang.clone(),
        );
        if dir.is_empty() {
            continue;
        }
        if let Some(parent) = find_section(&library, parent_dir(&dir), &lang) {
            library.sections[i].parent = Some(parent);
            library.sections[parent].subsections.push(i);
        }
    }

    let mut paths: HashMap<String, String> = library
        .sections
        .iter()
        .map(|s| (s.path.clone(), s.file.relative.clone()))
        .collect();
    for parsed in files {
        let Parsed::Page(file, meta) = parsed else {
            continue;
        };
        let (dir, stem) = page_dir_and_stem(&file.canonical);
        let slug = match &meta.slug {
            Some(slug) => slugify(slug),
            None => slugify(stem),
        };
        let path = match &meta.path {
            Some(custom) => {
                format!(
                    "{}/{}",
                    url_path(prefix, &file.lang, &config.default_language, "")
                        .trim_end_matches('/'),
                    custom.trim_matches('/')
                ) + "/"
            }
            None => {
                let joined = if dir.is_empty() {
                    slug.clone()
                } else {
                    format!("{dir}/{slug}")
                };
                url_path(prefix, &file.lang, &config.default_language, &joined)
            }
        };
        if let Some(other) = paths.insert(path.clone(), file.relative.clone()) {
            errors.push(
                Diagnostic::error(
                    &file.source.path,
                    format!("het adres {path} wordt al gebruikt door {other}"),
                )
                .with_hint(
                    "geef een van beide pagina's een andere bestandsnaam of een eigen `slug`",
                )
                .at_line_col(1, 1),
            );
            continue;
        }
        let section = find_section(&library, dir, &file.lang);
        let index = library.pages.len();
        library.by_file.insert(
            (file.canonical.clone(), file.lang.clone()),
            Item::Page(index),
        );
        if let Some(s) = section {
            library.sections[s].pages.push(index);
        }
        library.pages.push(Page {
            file,
            meta,
            path,
            slug,
            section,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    sort_sections(&mut library);
    Ok(library)
}

enum Parsed {
    Page(File, PageFrontMatter),
    Section(File, SectionFrontMatter),
}

impl Parsed {
    fn file(&self) -> &File {
        match self {
            Parsed::Page(file, _) | Parsed::Section(file, _) => file,
        }
    }

    fn key(&self) -> (String, String) {
        let file = self.file();
        (file.canonical.clone(), file.lang.clone())
    }

    fn draft(&self) -> bool {
        match self {
            Parsed::Page(_, meta) => meta.draft,
            Parsed::Section(_, meta) => meta.draft,
        }
    }
}

/// Pages and sections that are drafts: marked `draft = true`, or inside a section (folder) that
/// is, in the same language (as in Zola, a draft section takes its pages with it).
fn drafts(files: &[Parsed]) -> HashSet<(String, String)> {
    let draft_sections: Vec<(&str, &str)> = files
        .iter()
        .filter(|f| matches!(f, Parsed::Section(..)) && f.draft())
        .map(|f| {
            let file = f.file();
            let dir = file.canonical.strip_suffix("_index.md").unwrap_or("");
            (dir, file.lang.as_str())
        })
        .collect();
    files
        .iter()
        .filter(|f| {
            let file = f.file();
            f.draft()
                || draft_sections
                    .iter()
                    .any(|(dir, lang)| *lang == file.lang && file.canonical.starts_with(dir))
        })
        .map(Parsed::key)
        .collect()
}

fn parse_file(
    root: &Path,
    relative: &str,
    languages: &[&str],
    default_language: &str,
) -> Result<Parsed, Diagnostic> {
    let source = Source::read(&root.join(relative), relative)?;
    let split = front_matter::split(&source)?;
    let (canonical, lang) = language_of(relative, languages, default_language);
    let file = File {
        relative: relative.to_string(),
        canonical,
        body_start: split.body_start,
        lang,
        source,
    };
    let is_section =
        file.canonical.ends_with("_index.md") && page_dir_and_stem(&file.canonical).1 == "_index";
    if is_section {
        let meta = file.source.parse_toml(split.front_matter)?;
        Ok(Parsed::Section(file, meta))
    } else {
        let meta = file.source.parse_toml(split.front_matter)?;
        Ok(Parsed::Page(file, meta))
    }
}

/// `leidraad/gesprek.fr.md` → (`leidraad/gesprek.md`, `fr`) when `fr` is a configured language.
fn language_of(relative: &str, languages: &[&str], default_language: &str) -> (String, String) {
    let without_ext = relative.strip_suffix(".md").unwrap_or(relative);
    if let Some((stem, lang)) = without_ext.rsplit_once('.')
        && languages.contains(&lang)
        && !lang.contains('/')
    {
        return (format!("{stem}.md"), lang.to_string());
    }
    (relative.to_string(), default_language.to_string())
}

/// (`leidraad`, `gesprek`) for `leidraad/gesprek.md`; (`leidraad`, `over-ons`) for
/// `leidraad/over-ons/index.md`, a page that keeps its assets beside it.
fn page_dir_and_stem(canonical: &str) -> (&str, &str) {
    let without_ext = canonical.strip_suffix(".md").unwrap_or(canonical);
    let (dir, stem) = without_ext.rsplit_once('/').unwrap_or(("", without_ext));
    if stem == "index" {
        let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
        return (parent, name);
    }
    (dir, stem)
}

fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// The nearest section at or above `dir` in a language.
fn find_section(library: &Library, mut dir: &str, lang: &str) -> Option<usize> {
    loop {
        let canonical = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dir}/_index.md")
        };
        if let Some(Item::Section(i)) = library.get(&canonical, lang) {
            return Some(i);
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent_dir(dir);
    }
}

/// `/zorg` + `fr` + `leidraad/gesprek` → `/zorg/fr/leidraad/gesprek/`.
fn url_path(prefix: &str, lang: &str, default_language: &str, relative_dir: &str) -> String {
    let mut path = prefix.trim_end_matches('/').to_string();
    if lang != default_language {
        path.push('/');
        path.push_str(lang);
    }
    for part in relative_dir.split('/').filter(|p| !p.is_empty()) {
        path.push('/');
        path.push_str(part);
    }
    path.push('/');
    path
}

fn sort_sections(library: &mut Library) {
    for s in 0..library.sections.len() {
        let sort_by = library.sections[s].meta.sort_by;
        let mut pages = std::mem::take(&mut library.sections[s].pages);
        let key = |i: &usize| {
            let page = &library.pages[*i];
            (
                match sort_by {
                    SortBy::Weight => page.meta.weight.unwrap_or(i64::MAX),
                    _ => 0,
                },
                match sort_by {
                    SortBy::Title => page.meta.title.clone().unwrap_or_default().to_lowercase(),
                    SortBy::Date => page.meta.date.map(|d| d.to_string()).unwrap_or_default(),
                    _ => String::new(),
                },
                page.file.relative.clone(),
            )
        };
        pages.sort_by_key(key);
        if sort_by == SortBy::Date {
            pages.reverse();
        }
        library.sections[s].pages = pages;
        let mut subsections = std::mem::take(&mut library.sections[s].subsections);
        subsections.sort_by_key(|i| {
            let sub = &library.sections[*i];
            (sub.meta.weight.unwrap_or(i64::MAX), sub.dir.clone())
        });
        library.sections[s].subsections = subsections;
    }
}

fn collect_files(
    root: &Path,
    dir: &Path,
    markdown: &mut Vec<String>,
    assets: &mut Vec<String>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let relative = relative_path(root, &path);
        if entry.file_type()?.is_dir() {
            if dir == root && DATA_DIRS.contains(&name.as_ref()) {
                continue;
            }
            collect_files(root, &path, markdown, assets)?;
        } else if name.ends_with(".md") {
            markdown.push(relative);
        } else if dir != root {
            assets.push(relative);
        }
    }
    Ok(())
}

/// `root/a/b.md` → `a/b.md`, always with `/`.
pub fn relative_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_suffix_is_recognised_only_for_configured_languages() {
        let langs = ["nl", "fr"];
        assert_eq!(
            language_of("a/b.fr.md", &langs, "nl"),
            ("a/b.md".to_string(), "fr".to_string())
        );
        assert_eq!(
            language_of("a/b.de.md", &langs, "nl"),
            ("a/b.de.md".to_string(), "nl".to_string())
        );
    }

    #[test]
    fn page_bundles_take_their_folder_name() {
        assert_eq!(
            page_dir_and_stem("leidraad/over/index.md"),
            ("leidraad", "over")
        );
        assert_eq!(
            page_dir_and_stem("leidraad/gesprek.md"),
            ("leidraad", "gesprek")
        );
        assert_eq!(page_dir_and_stem("start.md"), ("", "start"));
    }

    #[test]
    fn url_paths_have_prefix_and_language() {
        assert_eq!(
            url_path("/zorg", "fr", "nl", "leidraad/x"),
            "/zorg/fr/leidraad/x/"
        );
        assert_eq!(url_path("", "nl", "nl", ""), "/");
    }
}
