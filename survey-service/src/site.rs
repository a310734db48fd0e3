//! The one call into the site generator: build the public site in memory, with the theme's
//! templates for the service's own pages.

use std::collections::BTreeMap;
use std::path::Path;

use zorgsite::diagnostics::Diagnostic;
use zorgsite::render::templates::Templates;
use zorgsite::site::{BuildOptions, build, templates_only};

use crate::instellingen::Instellingen;
use crate::web::render::Renderer;
use crate::web::site::SiteBestanden;

/// The built site and the theme's templates it was built with.
#[derive(Debug, Clone)]
pub struct Site {
    pub bestanden: SiteBestanden,
    /// Every survey and dashboard page is rendered with these (`web::render`).
    pub templates: Templates,
}

/// Builds the site from `root` (content) and `theme` (site) into memory. Warnings are
/// printed; errors are returned. With a public address (`https://school.be/enquete`) the site
/// is built for that address, so every link carries the base path the service lives under.
pub fn bouw(
    root: &Path,
    theme: &Path,
    publieke_url: Option<&str>,
) -> Result<Site, Vec<Diagnostic>> {
    bouw_als(root, theme, publieke_url, SiteBestanden::new)
}

/// As [`bouw`], with brotli and gzip variants of every text file made once, here, never per
/// request (the server: `zorgenquete serve`; see `SiteBestanden::compressed`).
pub fn bouw_compressed(
    root: &Path,
    theme: &Path,
    publieke_url: Option<&str>,
) -> Result<Site, Vec<Diagnostic>> {
    bouw_als(root, theme, publieke_url, SiteBestanden::compressed)
}

fn bouw_als(
    root: &Path,
    theme: &Path,
    publieke_url: Option<&str>,
    load: fn(BTreeMap<String, Vec<u8>>) -> SiteBestanden,
) -> Result<Site, Vec<Diagnostic>> {
    let mut opts = BuildOptions::new(root, theme);
    opts.base_url = publieke_url.map(str::to_string);
    let site = build(&opts)?;
    if !site.warnings.is_empty() {
        zorgsite::diagnostics::report(&site.warnings);
    }
    let templates = site
        .templates
        .ok_or_else(|| vec![Diagnostic::error(theme, "het thema gaf geen sjablonen")])?;
    Ok(Site {
        bestanden: load(site.files),
        templates,
    })
}

/// A built site's files: relative path (`leidraad/index.html`) → bytes.
pub type Bestanden = std::collections::BTreeMap<String, Vec<u8>>;

/// The built site's files (path → bytes) and the theme's templates, for a site built for
/// `base_url` outside the service: the paper questionnaire's PDF (`zorgenquete papier`) is
/// printed from them.
pub fn bouw_bestanden(
    root: &Path,
    theme: &Path,
    base_url: &str,
) -> Result<(Bestanden, Templates), Vec<Diagnostic>> {
    let mut opts = BuildOptions::new(root, theme);
    opts.base_url = Some(base_url.to_string());
    let site = build(&opts)?;
    let templates = site
        .templates
        .ok_or_else(|| vec![Diagnostic::error(theme, "het thema gaf geen sjablonen")])?;
    Ok((site.files, templates))
}

/// The theme's templates without building the site, for documents made on the command line
/// (the letters of `zorgenquete codes --brieven`).
pub fn renderer_zonder_site(inst: &Instellingen) -> Result<Renderer, Vec<Diagnostic>> {
    let mut opts = BuildOptions::new(&inst.root, &inst.theme);
    opts.base_url = inst.publieke_url.as_ref().map(|u| u.url.clone());
    let (templates, warnings) = templates_only(&opts)?;
    if !warnings.is_empty() {
        zorgsite::diagnostics::report(&warnings);
    }
    Renderer::new(templates, inst.basis.clone(), None)
}
