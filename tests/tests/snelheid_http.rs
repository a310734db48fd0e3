//! Fast pages on mobile data (issue 16), over real HTTP on loopback against the real
//! `zorgenquete` (which serves the site through the generator's one responder):
//! - the site is sent brotli- or gzip-compressed as `Accept-Encoding` allows, and the body
//!   decompresses to exactly the plain one; `Vary: Accept-Encoding`;
//! - CSS and icons have content-hashed names and are cached for a year (`immutable`), and a
//!   page loads one stylesheet (the role colours are appended to it); pages
//!   revalidate (`no-cache`) and a repeated request with `If-None-Match` gets `304`;
//! - survey and dashboard pages are `no-store`; only the blank survey form and the simple
//!   mode's first screen (a fresh token in every response) are compressed, never an answer page that echoes what a person typed, nor
//!   the dashboard (BREACH, see docs).

mod beheer_common;
mod enquete_common;

use percent_encoding::percent_decode_str;
use std::io::Read;

use enquete_common::{Antwoord, Dienst, Formulier, attr_in_tag, attribuut, tag_rond, urlencode};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn get(d: &Dienst, pad: &str, headers: &[(&str, &str)]) -> Antwoord {
    d.verzoek("GET", pad, headers, b"")
}

fn decompress(r: &Antwoord) -> Vec<u8> {
    let mut plain = Vec::new();
    match r.header("content-encoding") {
        Some("br") => brotli::Decompressor::new(&r.ruw[..], 4096)
            .read_to_end(&mut plain)
            .expect("valid brotli"),
        Some("gzip") => flate2::read::GzDecoder::new(&r.ruw[..])
            .read_to_end(&mut plain)
            .expect("valid gzip"),
        other => panic!("not compressed: {other:?}"),
    };
    plain
}

/// Every `attr="…"` value in `html` that ends with `suffix`.
fn links(html: &str, attr: &str, suffix: &str) -> Vec<String> {
    html.split(&format!("{attr}=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|v| v.ends_with(suffix))
        .map(str::to_string)
        .collect()
}

/// `name.<8 lower-case hex>.ext`
fn is_hashed(path: &str) -> bool {
    let parts: Vec<&str> = path.rsplit('.').collect();
    parts.len() >= 3
        && parts[1].len() == 8
        && parts[1]
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

#[test]
fn the_site_is_compressed_once_and_cached_by_name_and_etag() {
    let d = Dienst::start();
    for pad in ["/", "/leidraad/", "/ar/"] {
        let plain = get(&d, pad, &[]);
        assert_eq!(plain.status, 200, "{pad}");
        assert_eq!(plain.header("content-encoding"), None, "{pad}");
        assert_eq!(plain.header("cache-control"), Some("no-cache"), "{pad}");
        assert_eq!(plain.header("vary"), Some("accept-encoding"), "{pad}");
        let etag = plain.header("etag").expect("an ETag").to_string();
        for (accept, encoding) in [
            ("br", "br"),
            ("gzip", "gzip"),
            ("gzip, deflate, br, zstd", "br"),
            ("br;q=0.5, gzip", "gzip"),
        ] {
            let r = get(&d, pad, &[("Accept-Encoding", accept)]);
            assert_eq!(r.status, 200, "{pad} {accept}");
            assert_eq!(
                r.header("content-encoding"),
                Some(encoding),
                "{pad} {accept}"
            );
            assert_eq!(r.header("vary"), Some("accept-encoding"));
            assert_eq!(decompress(&r), plain.ruw, "{pad} {accept}");
            assert!(
                r.ruw.len() * 2 < plain.ruw.len(),
                "{pad} {accept}: {} of {} bytes",
                r.ruw.len(),
                plain.ruw.len()
            );
            // One ETag per representation, so a cache never mixes them up.
            assert_ne!(r.header("etag"), Some(etag.as_str()));
        }
        let identity = get(&d, pad, &[("Accept-Encoding", "identity")]);
        assert_eq!(identity.header("content-encoding"), None);
        assert_eq!(identity.ruw, plain.ruw);

        // Revalidation: the same version gives 304 without a body, a changed one the page.
        let again = get(&d, pad, &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304, "{pad}");
        assert!(again.ruw.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        assert_eq!(again.header("cache-control"), Some("no-cache"));
        let br = get(&d, pad, &[("Accept-Encoding", "br")]);
        let br_etag = br.header("etag").unwrap();
        let again = get(
            &d,
            pad,
            &[("Accept-Encoding", "br"), ("If-None-Match", br_etag)],
        );
        assert_eq!(again.status, 304, "{pad} br");
        let other = get(&d, pad, &[("If-None-Match", "\"0123456789abcdef\"")]);
        assert_eq!((other.status, &other.ruw), (200, &plain.ruw), "{pad}");
    }

    // Stylesheets and icons: hashed names, kept for a year, and the same bytes as the plain
    // name (which stays for links from outside, and revalidates).
    let home = get(&d, "/", &[]).body;
    let css = links(&home, "href", ".css");
    // The page's icons (logo, favicon) are in the page itself: no request before the first
    // paint but the stylesheet (see `icons_are_in_the_page_itself`).
    assert_eq!(links(&home, "src", ".svg"), Vec::<String>::new());
    // One render-blocking stylesheet, with the role colours of rollen.toml at its end.
    assert_eq!(css.len(), 1, "{css:?}");
    // The survey pages load one render-blocking stylesheet too, their own (`enquete.css`,
    // hashed, linked with `get_url` in `layouts/dienst-links.html`), which carries the site's
    // stylesheet in place of its `@import "style.css";` (put there by the build).
    let survey = get(&d, "/enquete/ouders", &[]).body;
    let survey_css = links(&survey, "href", ".css");
    assert_eq!(survey_css.len(), 1, "{survey_css:?}");
    assert!(survey_css[0].starts_with("/enquete."), "{survey_css:?}");
    let site_stijl = get(&d, &css[0], &[]).body;
    let enquete_stijl = get(&d, &survey_css[0], &[]).body;
    assert!(enquete_stijl.contains(&site_stijl), "{enquete_stijl}");
    assert!(!enquete_stijl.contains("@import \"style.css\";"));
    // The read-aloud script of the survey pages, and the paper form's stylesheet, pictograms
    // and entry script in the dashboard: theme files too.
    let survey_js = links(&survey, "src", ".js");
    assert!(
        survey_js.iter().any(|j| j.starts_with("/voorlezen.")),
        "{survey_js:?}"
    );
    beheer_common::maak_gebruiker(&d, "juf", "beheer");
    let cookie = beheer_common::aanmelden(&d, "juf");
    let papier = get(&d, "/beheer/papier/ouders", &[("Cookie", &cookie)]);
    assert_eq!(papier.status, 200, "{}", papier.body);
    let papier_assets: Vec<String> = links(&papier.body, "href", ".css")
        .into_iter()
        .chain(links(&papier.body, "src", ".svg"))
        .collect();
    assert!(
        papier_assets.iter().any(|c| c.starts_with("/papier."))
            && papier_assets.iter().any(|c| c.starts_with("/icons/")),
        "{papier_assets:?}"
    );
    let invoer = get(&d, "/beheer/invoer/ouders/papier", &[("Cookie", &cookie)]);
    assert_eq!(invoer.status, 200, "{}", invoer.body);
    let invoer_js = links(&invoer.body, "src", ".js");
    assert!(
        invoer_js.iter().any(|j| j.starts_with("/invoer.")),
        "{invoer_js:?}"
    );
    let style = get(&d, &css[0], &[]).body;
    assert!(
        style.contains(".rol-zorgcoordinator{--rolkleur:"),
        "{style}"
    );
    for asset in css
        .iter()
        .chain(&survey_css)
        .chain(&survey_js)
        .chain(&papier_assets)
        .chain(&invoer_js)
    {
        assert!(is_hashed(asset), "{asset} has no hashed name");
        let r = get(&d, asset, &[]);
        assert_eq!(r.status, 200, "{asset}");
        assert_eq!(r.header("cache-control"), Some(IMMUTABLE), "{asset}");
        let (stem, ext) = asset.rsplit_once('.').unwrap();
        let plain_name = format!("{}.{ext}", stem.rsplit_once('.').unwrap().0);
        let unhashed = get(&d, &plain_name, &[]);
        assert_eq!(unhashed.ruw, r.ruw, "{plain_name}");
        assert_eq!(unhashed.header("cache-control"), Some("no-cache"));
        let etag = r.header("etag").unwrap();
        assert_eq!(get(&d, asset, &[("If-None-Match", etag)]).status, 304);
    }
    let style = css.iter().find(|c| c.contains("/style.")).unwrap();
    let r = get(&d, style, &[("Accept-Encoding", "br")]);
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(r.header("cache-control"), Some(IMMUTABLE));
    assert_eq!(decompress(&r), get(&d, style, &[]).ruw);
}

/// The icons of the public pages and of the simple survey are inside the page
/// (`inline_svg`, and the favicon as a `data:` URL with `get_url(…, inline=true)`): on a slow
/// phone every request before the largest paint costs a round trip or a new connection. Each
/// is the theme's own file, marked decorative.
#[test]
fn icons_are_in_the_page_itself() {
    let d = Dienst::start();
    let compact = |icoon: &str| {
        let file = get(&d, &format!("/icons/{icoon}.svg"), &[]).body;
        file.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (pad, icoon) in [
        ("/", "zorg"),
        ("/poster/", "praat"),
        ("/ar/poster/", "ster-goud"),
        ("/stappenplan/ouder/", "leerkracht"),
        ("/leidraad/wie-is-wie/", "brug"),
        ("/enquete/ouders/eenvoudig", "gezicht-1"),
        ("/enquete/ouders/eenvoudig", "weet-niet"),
    ] {
        let page = get(&d, pad, &[]).body;
        let requested: Vec<String> = links(&page, "src", ".svg")
            .into_iter()
            .chain(links(&page, "href", ".svg"))
            .collect();
        assert_eq!(requested, Vec::<String>::new(), "{pad}");
        assert!(!page.contains("<img"), "{pad}: an image to fetch");
        // The file's drawing, in an <svg> of the page's size that screen readers skip.
        let svg = compact(icoon);
        let tekening = &svg[svg.find('>').unwrap() + 1..];
        let at = page
            .find(tekening)
            .unwrap_or_else(|| panic!("{pad}: {icoon} not inline"));
        let begin = page[..at].rfind("<svg ").unwrap();
        let tag = &page[begin..begin + page[begin..].find('>').unwrap()];
        assert!(tag.contains("aria-hidden=\"true\""), "{pad}: {tag}");
        assert!(
            tag.contains(" width=\"") && tag.contains(" viewBox="),
            "{pad}: {tag}"
        );

        // The favicon: a data: URL that decodes to the file.
        let favicon: Vec<String> = links(&page, "href", "")
            .into_iter()
            .filter_map(|v| {
                let data = v.strip_prefix("data:image/svg+xml,")?;
                Some(percent_decode_str(data).decode_utf8().ok()?.into_owned())
            })
            .collect();
        assert_eq!(favicon, [compact("favicon")], "{pad}");
    }
}

#[test]
fn survey_and_dashboard_pages_are_no_store_and_compressed_only_when_breach_safe() {
    let d = Dienst::start();
    let both = [("Accept-Encoding", "gzip, deflate, br")];

    // The blank form: compressed; every response carries a token of its own.
    let plain = get(&d, "/enquete/ouders", &[]);
    assert_eq!(plain.status, 200, "{}", plain.body);
    assert_eq!(plain.header("cache-control"), Some("no-store"));
    assert_eq!(plain.header("content-encoding"), None);
    for accept in ["br", "gzip"] {
        let r = get(&d, "/enquete/ouders", &[("Accept-Encoding", accept)]);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("cache-control"), Some("no-store"), "{accept}");
        assert_eq!(r.header("content-encoding"), Some(accept));
        let page = String::from_utf8(decompress(&r)).unwrap();
        let token = |html: &str| {
            attribuut(html, "name=\"csrf\"", "value")
                .unwrap()
                .to_string()
        };
        assert_ne!(
            token(&page),
            token(&plain.body),
            "a fresh token per response"
        );
        assert_eq!(
            page.replace(&token(&page), "TOKEN"),
            plain.body.replace(&token(&plain.body), "TOKEN"),
            "{accept}: the same page apart from its token"
        );
    }
    // The simple mode's first screen is the same page (a fresh token, input only from the
    // URL): compressed; its steps carry the answers so far back and forth: never.
    let eenvoudig = get(
        &d,
        "/enquete/ouders/eenvoudig",
        &[("Accept-Encoding", "br")],
    );
    assert_eq!(eenvoudig.status, 200);
    assert_eq!(eenvoudig.header("cache-control"), Some("no-store"));
    let eenvoudig = String::from_utf8(decompress(&eenvoudig)).unwrap();
    let stap_form = &eenvoudig[eenvoudig
        .find("<form class=\"eenvoudig-stap\"")
        .expect("the step form")..];
    let stap_form = &stap_form[..stap_form.find("</form>").unwrap()];
    let mut velden: Vec<String> = stap_form
        .match_indices("<input")
        .filter_map(|(i, _)| tag_rond(stap_form, i + 1))
        .filter(|tag| tag.contains("type=\"hidden\""))
        .map(|tag| {
            let veld = |naam| attr_in_tag(tag, naam).unwrap().replace("&#x2F;", "/");
            format!("{}={}", urlencode(&veld("name")), urlencode(&veld("value")))
        })
        .collect();
    velden.push("_antwoord=5".to_string());
    let stap = d.verzoek(
        "POST",
        "/enquete/ouders/eenvoudig",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            both[0],
        ],
        velden.join("&").as_bytes(),
    );
    assert_eq!(stap.status, 200, "{}", stap.body);
    assert!(stap.body.contains("Vraag 2 van"), "{}", stap.body);
    assert_eq!(stap.header("content-encoding"), None);
    assert_eq!(stap.header("cache-control"), Some("no-store"));

    let bedankt = get(&d, "/enquete/ouders/bedankt", &both);
    assert_eq!(bedankt.header("cache-control"), Some("no-store"));

    // An answer page that shows what the person typed: never compressed.
    let f = Formulier::uit(&plain.body);
    let eigen = "mijn eigen woorden over de school";
    let body = f.body(eigen).replacen(
        &format!("{}={}", f.keuzes[0].0, f.keuzes[0].1),
        &format!("{}=9", f.keuzes[0].0),
        1,
    );
    let r = d.verzoek(
        "POST",
        "/enquete/ouders",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            both[0],
        ],
        body.as_bytes(),
    );
    assert!(r.status >= 400, "{} {}", r.status, r.body);
    assert!(r.body.contains(eigen), "the answers are kept: {}", r.body);
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(d.aantal_inzendingen(), 0);

    // The dashboard: no-store, never compressed (a staff session, codes on letters).
    let login = get(&d, "/beheer/login", &both);
    assert_eq!(login.status, 200);
    assert_eq!(login.header("cache-control"), Some("no-store"));
    assert_eq!(login.header("content-encoding"), None);
    beheer_common::maak_gebruiker(&d, "juf", "beheer");
    let cookie = beheer_common::aanmelden(&d, "juf");
    let r = get(&d, "/beheer/", &[("Cookie", &cookie), both[0]]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("content-encoding"), None);
    assert!(r.body.contains("name=\"csrf\""));
}
