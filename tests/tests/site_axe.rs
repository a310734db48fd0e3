//! Builds the example school (`content/` with the theme in `site/`), serves it on loopback and
//! runs axe-core (WCAG 2.2 AA tag set) in headless Chromium over every generated HTML page, at
//! a mobile and a desktop viewport. Any violation, failed load, console error, external
//! request, or a wrong `lang`/`dir` (Dutch `ltr` at the root, `/<code>/` pages in that language,
//! Arabic `rtl`) fails the test.

use e2e::{StaticServer, TempDir, html_pages, run_axe_with, workspace_root};
use zorgsite::site::{BuildOptions, build};

/// The example site has at least this many pages; fewer means pages went missing.
const MIN_PAGES: usize = 8;

#[test]
fn every_page_of_the_example_site_passes_axe() {
    let root = workspace_root();
    let opts = BuildOptions::new(root.join("content"), root.join("site"));
    let site = build(&opts).unwrap_or_else(|diagnostics| {
        let list: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!("the example site does not build:\n{}", list.join("\n"))
    });
    let out = TempDir::new("site-axe");
    site.write_to(out.path())
        .unwrap_or_else(|e| panic!("cannot write the site to {}: {e}", out.path().display()));

    let pages = html_pages(out.path());
    assert!(
        pages.len() >= MIN_PAGES,
        "expected at least {MIN_PAGES} HTML pages, found {}: {pages:?}",
        pages.len()
    );

    let server = StaticServer::start(out.path());
    for lang in ["en", "fr", "tr", "ar"] {
        assert!(
            pages.iter().any(|p| p.starts_with(&format!("/{lang}/"))),
            "no pages in {lang}: {pages:?}"
        );
    }
    let outcome = run_axe_with(
        &server.base_url(),
        &pages,
        &["--lang-check=nl", "--lang-prefixes=en,fr,tr,ar", "--rtl=ar"],
    );
    assert!(
        outcome.passed(),
        "axe found problems on the example site ({} pages):\n{}",
        pages.len(),
        outcome.output()
    );
    assert_eq!(outcome.pages, Some(pages.len()), "{}", outcome.output());
    assert_eq!(outcome.violations, Some(0), "{}", outcome.output());
    // Show what was checked, also when the test passes (cargo test --nocapture).
    println!("{}", outcome.stdout);
}
