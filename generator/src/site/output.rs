//! The output folder: static files, extra pages (404, privacy, redirects, sitemap) and the atomic
//! write.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::model::config::Config;
use crate::model::content::Library;
use crate::render::inline;
use crate::render::templates::{self, Templates};
use crate::site::assets;

/// Where `zorgsite serve` sends its reload events (server-sent events).
pub const RELOAD_PATH: &str = "/__zorgsite/herlaad";
/// The live-reload script, served as a file (the Content-Security-Policy forbids inline script).
pub const RELOAD_SCRIPT: &str =
    "const b=new EventSource('/__zorgsite/herlaad');b.onmessage=()=>location.reload();";

/// Adds the live-reload script of `zorgsite serve` just before `</body>`.
pub fn inject_reload_script(html: &str) -> String {
    let tag = "<script src=\"/__zorgsite/herlaad.js\"></script>";
    match html.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &html[..i], &html[i..]),
        None => format!("{html}{tag}"),
    }
}

/// `/zorg/leidraad/` → `leidraad/index.html` (the base_url's path prefix is not a folder).
pub fn file_for_path(config: &Config, path: &str) -> String {
    let without_prefix = path
        .strip_prefix(config.path_prefix())
        .unwrap_or(path)
        .trim_start_matches('/');
    format!("{without_prefix}index.html")
}

/// 404 page, redirect pages for `aliases`, `sitemap.xml` and `robots.txt`.
/// The context of a page that is not content (404, privacy): the frame's values in the
/// default language.
fn frame_context(config: &Config, current_path: &str) -> Context {
    let lang = &config.default_language;
    let mut context = Context::new();
    context.insert("lang", lang);
    context.insert("current_path", current_path);
    context.insert("richting", config.richting(lang));
    context.insert("site_titel", config.titel(lang));
    context
}

pub fn add_extras(
    files: &mut BTreeMap<String, Vec<u8>>,
    library: &Library,
    config: &Config,
    templates: &Templates,
    live_reload: bool,
) -> Result<(), Vec<Diagnostic>> {
    let theme = templates.theme();
    if theme.contains_template("404.html") {
        let context = frame_context(config, "/404.html");
        let html = templates
            .render_context("404.html", &context)
            .map_err(|e| vec![templates::template_error(&e, theme.sources(), None)])?;
        let html = if live_reload {
            inject_reload_script(&html)
        } else {
            html
        };
        files.insert("404.html".to_string(), html.into_bytes());
    }
    if config.privacy.is_some() && theme.contains_template(crate::model::config::privacy::TEMPLATE)
    {
        let context = frame_context(config, &format!("{}/privacy/", config.path_prefix()));
        let html = templates
            .render_context(crate::model::config::privacy::TEMPLATE, &context)
            .map_err(|e| vec![templates::template_error(&e, theme.sources(), None)])?;
        files.insert(
            crate::model::config::privacy::FILE.to_string(),
            html.into_bytes(),
        );
    }
    let aliases = library
        .pages
        .iter()
        .map(|p| (&p.meta.aliases, &p.path))
        .chain(library.sections.iter().map(|s| (&s.meta.aliases, &s.path)));
    for (list, target) in aliases {
        for alias in list {
            let alias = format!("/{}", alias.trim_matches('/'));
            let file = file_for_path(config, &format!("{}{alias}/", config.path_prefix()));
            files.insert(file, redirect_page(target).into_bytes());
        }
    }
    let mut sitemap = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&str> = library
        .pages
        .iter()
        .map(|p| p.path.as_str())
        .chain(
            library
                .sections
                .iter()
                .filter(|s| s.meta.render)
                .map(|s| s.path.as_str()),
        )
        .collect();
    paths.sort();
    for path in paths {
        sitemap.push_str(&format!(
            "  <url><loc>{}{path}</loc></url>\n",
            config.origin()
        ));
    }
    sitemap.push_str("</urlset>\n");
    files.insert("sitemap.xml".to_string(), sitemap.into_bytes());
    files.insert(
        "robots.txt".to_string(),
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
            config.base_url
        )
        .into_bytes(),
    );
    Ok(())
}

fn redirect_page(target: &str) -> String {
    let target = crate::render::html::escape(target);
    format!(
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Doorverwijzing</title>\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\"><link rel=\"canonical\" href=\"{target}\"></head>\
         <body><main><p>Deze pagina is verhuisd: <a href=\"{target}\">ga naar de nieuwe pagina</a>.</p></main></body></html>"
    )
}

/// Reads `theme/static/**`: relative path → bytes.
pub fn read_static(theme: &Path) -> Result<BTreeMap<String, Vec<u8>>, Diagnostic> {
    let static_dir = theme.join("static");
    let mut found = Vec::new();
    if static_dir.is_dir() {
        walk(&static_dir, &mut found)
            .map_err(|e| Diagnostic::error(&static_dir, format!("kan de map niet lezen ({e})")))?;
    }
    let mut files = BTreeMap::new();
    for path in found {
        let relative = crate::model::content::relative_path(&static_dir, &path);
        let bytes = std::fs::read(&path)
            .map_err(|e| Diagnostic::error(&path, format!("kan het bestand niet lezen ({e})")))?;
        files.insert(relative, bytes);
    }
    Ok(files)
}

/// The hashed name of every theme file that pages load (`style.css` → `style.3f2a9c1e.css`).
pub fn hashed_names(theme_files: &BTreeMap<String, Vec<u8>>) -> HashMap<String, String> {
    theme_files
        .iter()
        .filter_map(|(key, bytes)| Some((key.clone(), assets::hashed_name(key, bytes)?)))
        .collect()
}

/// The theme's small SVG files as text to put in pages (`inline_svg`, `get_url(…,
/// inline=true)`; see [`crate::render::inline`]).
pub fn inline_svgs(theme_files: &BTreeMap<String, Vec<u8>>) -> HashMap<String, String> {
    theme_files
        .iter()
        .filter_map(|(key, bytes)| Some((key.clone(), inline::svg_text(key, bytes)?)))
        .collect()
}

/// Puts the theme's files in the output root, under their own name and their hashed name
/// (see [`hashed_names`]), and the files beside pages in `content/`.
pub fn add_static(
    files: &mut BTreeMap<String, Vec<u8>>,
    theme_files: BTreeMap<String, Vec<u8>>,
    hashed: &HashMap<String, String>,
    root: &Path,
    library: &Library,
) -> Result<(), Diagnostic> {
    for (relative, bytes) in theme_files {
        if let Some(name) = hashed.get(&relative) {
            files.insert(name.clone(), bytes.clone());
        }
        files.insert(relative, bytes);
    }
    for asset in &library.assets {
        let bytes = std::fs::read(root.join(asset)).map_err(|e| {
            Diagnostic::error(
                root.join(asset),
                format!("kan het bestand niet lezen ({e})"),
            )
        })?;
        // `leidraad/over/index.md` keeps `leidraad/over/foto.jpg` beside it: same relative path.
        files.insert(asset.clone(), bytes);
    }
    Ok(())
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), files)?;
        } else {
            files.push(entry.path());
        }
    }
    Ok(())
}

/// Writes `bytes` to `path`; when the previous build's `old` file has the same bytes, hard-links
/// it instead. Creating and deleting hundreds of inodes is most of a small site's build time.
fn write_or_link(old: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let unchanged = std::fs::metadata(old)
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(old).is_ok_and(|old_bytes| old_bytes == bytes);
    if unchanged && std::fs::hard_link(old, path).is_ok() {
        return Ok(());
    }
    std::fs::write(path, bytes)
}

/// Writes all files into a new sibling folder, then swaps it with `dir`. If anything fails
/// before the swap, `dir` is untouched.
pub fn write_atomically(files: &BTreeMap<String, Vec<u8>>, dir: &Path) -> std::io::Result<()> {
    let name = dir
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().to_string());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let staging = parent.join(format!(".{name}.nieuw-{}", std::process::id()));
    let old = parent.join(format!(".{name}.oud-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&staging)?;
        // Each folder once, then the files; both in parallel (`create_dir_all` allows races).
        let folders: BTreeSet<&Path> = files
            .keys()
            .filter_map(|relative| Path::new(relative).parent())
            .collect();
        folders
            .par_iter()
            .try_for_each(|folder| std::fs::create_dir_all(staging.join(folder)))?;
        files.par_iter().try_for_each(|(relative, bytes)| {
            write_or_link(&dir.join(relative), &staging.join(relative), bytes)
        })
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(dir, &old)?;
    }
    if let Err(e) = std::fs::rename(&staging, dir) {
        if had_old {
            let _ = std::fs::rename(&old, dir);
        }
        return Err(e);
    }
    if had_old {
        remove_tree(&old)?;
    }
    Ok(())
}

/// `remove_dir_all`, with the top-level entries in parallel.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_whole_folder() {
        let base = std::env::temp_dir().join(format!("zorgsite-out-{}", std::process::id()));
        let dir = base.join("public");
        std::fs::create_dir_all(dir.join("oud")).unwrap();
        std::fs::write(dir.join("oud/index.html"), "oud").unwrap();
        let mut files = BTreeMap::new();
        files.insert("index.html".to_string(), b"nieuw".to_vec());
        write_atomically(&files, &dir).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("index.html")).unwrap(),
            "nieuw"
        );
        assert!(!dir.join("oud").exists());
        let leftovers: Vec<_> = std::fs::read_dir(&base).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
        std::fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn a_rebuild_reuses_only_files_with_the_same_bytes() {
        let base = std::env::temp_dir().join(format!("zorgsite-herbouw-{}", std::process::id()));
        let dir = base.join("public");
        let mut files = BTreeMap::new();
        files.insert("a/b/index.html".to_string(), b"zelfde".to_vec());
        files.insert("a/index.html".to_string(), b"versie 1".to_vec());
        files.insert("style.css".to_string(), b"weg".to_vec());
        write_atomically(&files, &dir).unwrap();
        // Same size, other bytes: must not be taken over from the previous build.
        files.insert("a/index.html".to_string(), b"versie 2".to_vec());
        files.remove("style.css");
        write_atomically(&files, &dir).unwrap();
        let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
        assert_eq!(read("a/index.html"), "versie 2");
        assert_eq!(read("a/b/index.html"), "zelfde");
        assert!(!dir.join("style.css").exists());
        let leftovers: Vec<_> = std::fs::read_dir(&base).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
        std::fs::remove_dir_all(base).unwrap();
    }
}
