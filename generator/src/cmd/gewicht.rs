//! The page-weight budget of `zorgsite check`: every page, gzipped as a browser downloads it,
//! together with the stylesheets and images it loads, stays under [`BUDGET`]. Parents often read
//! on old phones with little data; inline SVG (the flowcharts) counts with the HTML.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::diagnostics::Diagnostic;
use crate::model::config::Config;

/// At most this many bytes per page, gzipped, including its CSS and images.
pub const BUDGET: usize = 60 * 1024;

/// Gzipped size of `bytes` (default compression, as web servers use).
pub fn gzipped(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(bytes.len(), |v| v.len())
}

/// One page's weight: the HTML and every site file it references (`href="…css"`, `src="…"`).
pub fn page_weight(html: &str, files: &BTreeMap<String, Vec<u8>>, config: &Config) -> usize {
    let mut total = gzipped(html.as_bytes());
    let mut seen = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (at, _) in html.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            let Some(end) = rest.find('"') else { continue };
            let url = &rest[..end];
            let is_asset = attr == "src=\"" || url.ends_with(".css");
            if !is_asset || url.contains("://") || seen.contains(&url) {
                continue;
            }
            seen.push(url);
            let key = url
                .strip_prefix(config.path_prefix())
                .unwrap_or(url)
                .trim_start_matches('/');
            if let Some(bytes) = files.get(key) {
                total += gzipped(bytes);
            }
        }
    }
    total
}

/// An error for every HTML page over the budget, named by its address.
pub fn check(files: &BTreeMap<String, Vec<u8>>, config: &Config) -> Vec<Diagnostic> {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .filter_map(|(path, bytes)| {
            let html = std::str::from_utf8(bytes).ok()?;
            let weight = page_weight(html, files, config);
            (weight > BUDGET).then(|| {
                let url = format!(
                    "{}/{}",
                    config.path_prefix(),
                    path.strip_suffix("index.html").unwrap_or(path)
                );
                Diagnostic::error(
                    url,
                    format!(
                        "deze pagina weegt {} kB (gzip, met CSS en afbeeldingen); de grens is {} kB",
                        weight.div_ceil(1024),
                        BUDGET / 1024
                    ),
                )
                .with_hint("maak de pagina korter of verdeel ze over twee pagina's; gebruik kleinere afbeeldingen")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Source;

    #[test]
    fn counts_html_css_and_images_once() {
        let config =
            Config::parse(&Source::new("c.toml", "base_url = \"https://x.be/zorg\"")).unwrap();
        let css = "a{color:red}".repeat(100);
        let mut files = BTreeMap::new();
        files.insert("style.css".to_string(), css.clone().into_bytes());
        let html = "<link rel=\"stylesheet\" href=\"/zorg/style.css\"><link rel=\"stylesheet\" href=\"/zorg/style.css\"><a href=\"/zorg/x/\">x</a>";
        assert_eq!(
            page_weight(html, &files, &config),
            gzipped(html.as_bytes()) + gzipped(css.as_bytes())
        );
    }

    #[test]
    fn heavy_pages_are_named_with_their_size() {
        let config = Config::parse(&Source::new("c.toml", "base_url = \"https://x.be\"")).unwrap();
        // Hex noise: gzip gets it down to about half, still far over 60 kB.
        let mut seed = 7u64;
        let noise: String = (0..200_000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b"0123456789abcdef"[(seed >> 60) as usize])
            })
            .collect();
        let mut files = BTreeMap::new();
        files.insert("zwaar/index.html".to_string(), noise.into_bytes());
        files.insert("licht/index.html".to_string(), b"<p>ok</p>".to_vec());
        let found = check(&files, &config);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path.to_string_lossy(), "/zwaar/");
        assert!(found[0].message.contains("kB"), "{}", found[0].message);
    }
}
