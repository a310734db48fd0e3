//! Drafts, nested sections, page bundles and a news section, through the real `zorgsite`
//! binary: the fixture school `tests/fixtures/bundels` and the example school with a draft added.
//!
//! A draft (`draft = true`, or a page inside a draft section) is left out entirely: no output,
//! no menu or list entry, no sitemap line, no files beside it. A link to a draft is a located
//! error, as in Zola. Every other link resolves, to the right page and heading.

use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::SchoolCopy;

/// Every file of a built site: path relative to `public/` → text (binary files as empty text).
fn built_files(public: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(relative, std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(public, public, &mut out);
    out
}

/// Every `href="…"` and `src="…"` in an HTML page.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (at, _) in html.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].to_string());
            }
        }
    }
    found
}

/// Checks that every link of the site that stays on the site (`prefix…`, the origin plus
/// `prefix…`, or relative) names an existing file, and its `#anker` an existing id there.
/// Links to the survey service (`<prefix>/enquete/`) are not part of the site.
fn assert_every_link_resolves(files: &BTreeMap<String, String>, origin: &str, prefix: &str) {
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, html) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let page_dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        for link in links(html) {
            let local = link.strip_prefix(origin).unwrap_or(&link);
            let target = if let Some(path) = local.strip_prefix(&format!("{prefix}/")) {
                path.to_string()
            } else if local.starts_with('/') {
                broken.push(format!("{page}: `{link}` leaves the base path {prefix}"));
                continue;
            } else if local.contains(':') || local.starts_with('#') {
                continue; // mailto:, tel:, other sites, links within the page
            } else {
                format!("{page_dir}/{local}")
                    .trim_start_matches('/')
                    .to_string()
            };
            if target.starts_with("enquete/") {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let path = path.split('?').next().unwrap_or("");
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            checked += 1;
            match files.get(&file) {
                None => broken.push(format!("{page}: `{link}` → no {file}")),
                Some(html) if !anchor.is_empty() && !html.contains(&format!("id=\"{anchor}\"")) => {
                    broken.push(format!("{page}: `{link}` → {file} has no #{anchor}"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn the_fixture_school_leaves_drafts_out_and_every_link_resolves() {
    let school = SchoolCopy::fixture("bundels", "klad-bundels");
    let out = school.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let files = built_files(&school.path("public"));

    // Drafts: a page, a bundle with its image, a news item, a whole section.
    for gone in [
        "leidraad/concept/index.html",
        "concept/index.html",
        "concept/schets.svg",
        "nieuws/aankondiging/index.html",
        "archief/index.html",
        "archief/oud/index.html",
    ] {
        assert!(!files.contains_key(gone), "{gone} was published");
    }
    for (path, text) in &files {
        for draft in [
            "Conceptpagina",
            "Conceptbundel",
            "Geheime aankondiging",
            "Archief",
            "Oud bericht",
        ] {
            assert!(!text.contains(draft), "{path} mentions the draft `{draft}`");
        }
        for draft in ["/leidraad/concept/", "/nieuws/aankondiging/", "/archief/"] {
            assert!(!text.contains(draft), "{path} links to the draft {draft}");
        }
    }

    // The page bundle keeps its image beside it; nested sections and the news section build.
    assert!(files.contains_key("over/gebouw.svg"));
    assert!(files["over/index.html"].contains("src=\"gebouw.svg\""));
    assert!(files.contains_key("leidraad/diep/stap/index.html"));
    let news = &files["nieuws/index.html"];
    let (new, old) = (news.find("Schoolfeest"), news.find("Infoavond"));
    assert!(
        new.is_some() && old.is_some() && new < old,
        "news, newest first:\n{news}"
    );

    // Links land on the right page in the right language, with the right heading.
    assert!(files["index.html"].contains("href=\"/zorg/leidraad/gesprek/#voor-het-gesprek\""));
    assert!(
        files["en/index.html"]
            .contains("href=\"/zorg/en/leidraad/gesprek/#before-the-conversation\"")
    );
    assert_every_link_resolves(&files, "https://school.example.be", "/zorg");
}

#[test]
fn a_link_to_a_draft_is_a_located_error() {
    let school = SchoolCopy::fixture("bundels", "klad-link");
    std::fs::create_dir_all(school.path("public")).unwrap();
    school.edit("content/over/index.md", |text| {
        text.replace(
            "Zie ook [de gids]",
            "Zie het [concept](@/leidraad/concept.md) en [de gids]",
        )
    });
    let out = school.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("content/over/index.md:10:36: fout: de link `@/leidraad/concept.md` wijst naar een klad (draft = true)"),
        "{stderr}"
    );
    assert!(stderr.contains("haal `draft = true` weg"), "{stderr}");
}

/// The case of issue 13: a draft early in the guide shifted every later page, so links to
/// `oudergesprek.md#voor-het-gesprek` were checked against the Turkish translation's headings.
#[test]
fn a_draft_in_the_example_school_shifts_nothing() {
    let school = SchoolCopy::example("klad-voorbeeld");
    school.write(
        "content/leidraad/klad.md",
        "+++\ntitle = \"Klad\"\ndescription = \"Nog niet klaar.\"\ndraft = true\n+++\n\n## Alleen hier\n",
    );
    let out = school.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let files = built_files(&school.path("public"));
    assert!(!files.contains_key("leidraad/klad/index.html"));
    for page in [
        "leidraad/index.html",
        "leidraad/zorg-in-fasen/index.html",
        "leidraad/vorderingsgesprek/index.html",
    ] {
        assert!(
            files[page].contains("href=\"/leidraad/oudergesprek/#voor-het-gesprek\""),
            "{page}"
        );
    }
    assert!(files["leidraad/oudergesprek/index.html"].contains("id=\"voor-het-gesprek\""));
    assert_every_link_resolves(&files, "http://127.0.0.1:8080", "");
}
