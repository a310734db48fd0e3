//! The site published on its own (any static host) while the survey service runs elsewhere:
//! every survey link follows `[enquete] url`, and the privacy page follows `[privacy]`.

mod common;

use common::SchoolCopy;
use zorgsite::site::{BuildOptions, build};

fn config_path(copy: &SchoolCopy) -> std::path::PathBuf {
    copy.dir.join("content").join("config.toml")
}

fn build_copy(copy: &SchoolCopy) -> zorgsite::site::BuiltSite {
    build(&BuildOptions::new(
        copy.dir.join("content"),
        copy.dir.join("site"),
    ))
    .expect("example builds")
}

fn hrefs(html: &str) -> Vec<&str> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn every_survey_link_uses_the_configured_service_url() {
    let copy = SchoolCopy::example("publiceren");
    let config = std::fs::read_to_string(config_path(&copy)).unwrap();
    let config = config
        .replace(
            "base_url = \"http://127.0.0.1:8080\"",
            "base_url = \"https://pages.example.org/delinde\"",
        )
        .replace(
            "url = \"/enquete/\"",
            "url = \"https://enquete.example.org/zorg\"",
        );
    std::fs::write(config_path(&copy), config).unwrap();
    let site = build_copy(&copy);
    let mut survey_links = 0;
    for (file, bytes) in &site.files {
        if !file.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        assert!(
            !html.contains("@enquete"),
            "{file}: unresolved @enquete link"
        );
        for href in hrefs(&html) {
            if href.contains("enquete") && !href.starts_with("mailto:") {
                assert!(
                    href.starts_with("https://enquete.example.org/zorg/"),
                    "{file}: survey link {href} does not use [enquete] url"
                );
                survey_links += 1;
            } else if href.starts_with('/') {
                assert!(
                    href.starts_with("/delinde/"),
                    "{file}: site link {href} misses the base path"
                );
            }
        }
    }
    let home = String::from_utf8_lossy(&site.files["index.html"]).into_owned();
    assert!(home.contains("href=\"https://enquete.example.org/zorg/ouders\""));
    assert!(survey_links >= site.html_pages().len(), "{survey_links}");
}

#[test]
fn the_privacy_page_comes_from_config_and_is_in_every_footer() {
    let copy = SchoolCopy::example("privacy");
    let site = build_copy(&copy);
    let page = String::from_utf8_lossy(&site.files["privacy/index.html"]).into_owned();
    for wanted in [
        "privacy@delinde.example.be",
        "5 schooljaren",
        "het zorgteam en de directie",
        "Geen IP-adres",
        "minstens\n  5 mensen",
    ] {
        assert!(page.contains(wanted), "privacy page lacks {wanted:?}");
    }
    let mut pages = 0;
    for (file, bytes) in &site.files {
        let html = String::from_utf8_lossy(bytes);
        if file.ends_with(".html") && html.contains("<footer") {
            assert!(
                html.contains("href=\"/privacy/\""),
                "{file} has no privacy link"
            );
            pages += 1;
        }
    }
    assert!(pages >= site.html_pages().len(), "{pages}");

    // Without [privacy]: no page, no link.
    let config = std::fs::read_to_string(config_path(&copy)).unwrap();
    let start = config.find("[privacy]").unwrap();
    let end = config.find("[woordenlijst]").unwrap();
    std::fs::write(
        config_path(&copy),
        format!("{}{}", &config[..start], &config[end..]),
    )
    .unwrap();
    let site = build_copy(&copy);
    assert!(!site.files.contains_key("privacy/index.html"));
    assert!(!String::from_utf8_lossy(&site.files["index.html"]).contains("/privacy/"));
}
