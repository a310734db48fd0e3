//! The one call into the site generator: build the public site in memory.

use std::collections::BTreeMap;
use std::path::Path;

use zorgsite::diagnostics::Diagnostic;
use zorgsite::site::{BuildOptions, build};

/// Builds the site from `root` (content) and `theme` (site) into memory:
/// relative path (`leidraad/index.html`) → bytes. Warnings are printed; errors are returned.
/// With a public address (`https://school.be/enquete`) the site is built for that address, so
/// every link carries the base path the service lives under.
pub fn bouw(
    root: &Path,
    theme: &Path,
    publieke_url: Option<&str>,
) -> Result<BTreeMap<String, Vec<u8>>, Vec<Diagnostic>> {
    let mut opts = BuildOptions::new(root, theme);
    opts.base_url = publieke_url.map(str::to_string);
    let site = build(&opts)?;
    if !site.warnings.is_empty() {
        zorgsite::diagnostics::report(&site.warnings);
    }
    Ok(site.files)
}
