//! The school's own recordings for read-aloud (`content/enquetes/audio/<vragenlijst>/<vraag>.<taal>.<ext>`)
//! through the real `zorgenquete` binary: served with their content type, cache headers and
//! ranges; 404 for anything else; `media-src 'self'` in the CSP; a bad file refuses the start
//! with its path; and in headless Chromium the recording plays instead of speech synthesis
//! (`tests/browser/opname.mjs`). The example school has one recording: the Dutch
//! `ouders/zorg-zorgcoordinator.nl.mp3`.

mod enquete_common;

use enquete_common::{Dienst, attribuut, copy_of_content, serve_op, workspace_root};

const VOORBEELD: &str = "content/enquetes/audio/ouders/zorg-zorgcoordinator.nl.mp3";

/// GET through the tests' HTTP client, with the body as bytes.
fn get(d: &Dienst, pad: &str, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut request = e2e::ureq::http::Request::builder()
        .method("GET")
        .uri(format!("http://{}{pad}", d.adres));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let mut r = e2e::http_client()
        .run(request.body(()).unwrap())
        .expect("connect");
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = r.body_mut().read_to_vec().expect("body");
    (r.status().as_u16(), headers, body)
}

fn header<'a>(headers: &'a [(String, String)], naam: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(naam))
        .map(|(_, v)| v.as_str())
}

/// The address of the recording on a page, from its `<source>`.
fn bron(html: &str) -> Option<String> {
    attribuut(html, "<source ", "src").map(str::to_string)
}

#[test]
fn the_recording_is_served_with_its_type_cache_headers_and_ranges() {
    let d = Dienst::start();
    let verwacht = std::fs::read(workspace_root().join(VOORBEELD)).unwrap();

    let pagina = d.get("/enquete/ouders");
    assert_eq!(pagina.status, 200);
    let csp = pagina.header("content-security-policy").unwrap();
    assert!(csp.contains("; media-src 'self'; "), "{csp}");
    assert_eq!(
        csp,
        zorgsite::site::beveiliging::CSP,
        "one policy, nothing else loosened"
    );
    let src = bron(&pagina.body).expect("an <audio> source on the Dutch form");
    assert!(
        src.starts_with("/enquete/ouders/audio/zorg-zorgcoordinator.nl.") && src.ends_with(".mp3"),
        "{src}"
    );
    assert_eq!(
        attribuut(&pagina.body, "<source ", "type"),
        Some("audio/mpeg")
    );
    assert_eq!(
        pagina.body.matches("<audio ").count(),
        1,
        "only the recorded item"
    );
    // The simple mode's first screen is another item; Arabic has no recording.
    assert!(bron(&d.get("/enquete/ouders/eenvoudig").body).is_none());
    assert!(bron(&d.get("/enquete/ouders?taal=ar").body).is_none());
    assert!(bron(&d.get("/enquete/collegas").body).is_none());

    let (status, h, body) = get(&d, &src, &[]);
    assert_eq!(status, 200);
    assert_eq!(body, verwacht);
    assert_eq!(header(&h, "content-type"), Some("audio/mpeg"));
    assert_eq!(
        header(&h, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(header(&h, "accept-ranges"), Some("bytes"));
    assert_eq!(header(&h, "x-content-type-options"), Some("nosniff"));
    let etag = header(&h, "etag").expect("an ETag").to_string();
    assert!(src.contains(etag.trim_matches('"')), "{etag} {src}");

    // What Safari asks first, a tail, and a range outside the file.
    let (status, h, body) = get(&d, &src, &[("range", "bytes=0-1")]);
    assert_eq!(status, 206);
    assert_eq!(body, &verwacht[..2]);
    assert_eq!(
        header(&h, "content-range"),
        Some(format!("bytes 0-1/{}", verwacht.len()).as_str())
    );
    assert_eq!(header(&h, "content-type"), Some("audio/mpeg"));
    let (status, _, body) = get(&d, &src, &[("range", "bytes=-100")]);
    assert_eq!(status, 206);
    assert_eq!(body, &verwacht[verwacht.len() - 100..]);
    let buiten = format!("bytes={}-", verwacht.len());
    let (status, h, _) = get(&d, &src, &[("range", &buiten)]);
    assert_eq!(status, 416);
    assert_eq!(
        header(&h, "content-range"),
        Some(format!("bytes */{}", verwacht.len()).as_str())
    );
    // A range for another version of the file: the whole (current) file.
    let (status, _, body) = get(
        &d,
        &src,
        &[("range", "bytes=0-1"), ("if-range", "\"0000000000\"")],
    );
    assert_eq!((status, body.len()), (200, verwacht.len()));
    // The browser's copy is current.
    let (status, _, body) = get(&d, &src, &[("if-none-match", &etag)]);
    assert_eq!((status, body.len()), (304, 0));

    // Anything else under audio/ is not found.
    let oud = src.replace(etag.trim_matches('"'), "0000000000");
    for pad in [
        "/enquete/ouders/audio/zorg-zorgcoordinator.nl.mp3".to_string(),
        oud,
        src.replace("zorg-zorgcoordinator.nl", "zorg-zorgcoordinator.ar"),
        src.replace("/ouders/", "/collegas/"),
        src.replace("/ouders/", "/bestaat-niet/"),
        "/enquete/ouders/audio/..%2f..%2fconfig.toml".to_string(),
    ] {
        let (status, _, _) = get(&d, &pad, &[]);
        assert_eq!(status, 404, "{pad}");
    }
    // The log names the route, never the item or language played.
    let log = d.log();
    assert!(!log.contains("zorg-zorgcoordinator.nl"), "{log}");
}

#[test]
fn a_bad_recording_refuses_the_start_with_its_path_and_a_hint() {
    let (tmp, root) = copy_of_content("opname");
    let pad = root.join("enquetes/audio/ouders/samen-welkom.nl.mp3");
    std::fs::write(&pad, "dit is tekst, geen geluid").unwrap();
    let onbekend = root.join("enquetes/audio/ouders/samen-welkon.ar.mp3");
    std::fs::copy(workspace_root().join(VOORBEELD), &onbekend).unwrap();
    let (ok, out, err) = serve_op(&root, &tmp.path().join("db.sqlite"));
    assert!(!ok, "{out}{err}");
    assert!(
        err.contains(&format!(
            "{}: fout: dit is geen MP3-bestand: de inhoud begint niet zoals een geluidsbestand — bewaar de opname opnieuw als MP3",
            pad.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}: fout: de vragenlijst `ouders` heeft geen vraag `samen-welkon` — bedoel je `samen-welkom`?",
            onbekend.display()
        )),
        "{err}"
    );

    // A recording in a language the questionnaire is not translated to only warns.
    std::fs::remove_file(&pad).unwrap();
    std::fs::remove_file(&onbekend).unwrap();
    let collegas = root.join("enquetes/audio/collegas/zorg-aanspreekpunt.fr.mp3");
    std::fs::create_dir_all(collegas.parent().unwrap()).unwrap();
    std::fs::copy(workspace_root().join(VOORBEELD), &collegas).unwrap();
    let d = Dienst::start_met(enquete_common::Opties {
        root: Some(root.clone()),
        ..enquete_common::Opties::default()
    });
    assert_eq!(d.get("/enquete/ouders").status, 200);
    let log = d.log();
    assert!(
        log.contains(&format!(
            "{}: waarschuwing: deze opname wordt niet afgespeeld: de vragenlijst `collegas` is niet vertaald naar `fr`",
            collegas.display()
        )),
        "{log}"
    );
}

/// In Chromium: the recorded item's "Lees voor" plays the school's file (its `<audio>` source is
/// checked), an item without a recording still uses speech synthesis, in the form and the simple
/// mode; Arabic has no recording; without JavaScript the browser's player is there.
#[test]
fn the_schools_recording_plays_instead_of_speech_synthesis() {
    let d = Dienst::start();
    let base = format!("http://{}", d.adres);
    let script = enquete_common::browser_script("opname.mjs");
    let out = e2e::run_node_script(&script, &["--base", &base]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 fout"), "{stdout}");
    assert!(stdout.contains("opname: 16 stappen"), "{stdout}");
}
