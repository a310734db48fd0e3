//! The one call into the site generator: build the public site in memory.

use std::collections::BTreeMap;
use std::path::Path;

use zorgsite::diagnostics::Diagnostic;
use zorgsite::site::{BuildOptions, build};

/// Builds the site from `root` (content) and `theme` (site) into memory:
/// relative path (`leidraad/index.html`) → bytes. Warnings are printed; errors are returned.
pub fn bouw(root: &Path, theme: &Path) -> Result<BTreeMap<String, Vec<u8>>, Vec<Diagnostic>> {
    let opts = BuildOptions::new(root, theme);
    let site = build(&opts)?;
    if !site.warnings.is_empty() {
        zorgsite::diagnostics::report(&site.warnings);
    }
    Ok(site.files)
}
