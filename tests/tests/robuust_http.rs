//! Hardening of the survey service over real HTTP on loopback with a real SQLite file: security
//! headers on every kind of response (SQLite only: the pages do not depend on the engine), the
//! rate limit for a parents' evening (on both engines, `op_elke_engine!`: 300 answers stored),
//! and a full disk (SQLite only, see the test).

mod enquete_common;

use enquete_common::{Antwoord, Dienst, Engine, Formulier, op_elke_engine};

fn formulier(d: &Dienst, pad: &str) -> Formulier {
    let r = d.get(pad);
    assert_eq!(r.status, 200, "{}", r.body);
    Formulier::uit(&r.body)
}

fn heeft_beveiligingskoppen(wat: &str, r: &Antwoord) {
    for (naam, waarde) in zorgsite::site::beveiliging::KOPPEN {
        assert_eq!(
            r.header(naam),
            Some(*waarde),
            "{wat} (HTTP {}): header {naam}\n{:?}",
            r.status,
            r.headers
        );
    }
    let csp = r.header("content-security-policy").unwrap_or("");
    assert!(!csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"));
}

#[test]
fn every_kind_of_response_carries_the_security_headers() {
    let d = Dienst::start();
    let f = formulier(&d, "/enquete/ouders");
    let goed = f.body("met koppen");
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let mut te_groot = goed.clone().into_bytes();
    te_groot.extend_from_slice(b"&open-beter=");
    te_groot.extend(std::iter::repeat_n(b'a', 100 * 1024));

    let gevallen: Vec<(&str, Antwoord, u16)> = vec![
        ("site page", d.get("/"), 200),
        ("site stylesheet", d.get("/style.css"), 200),
        ("site robots.txt", d.get("/robots.txt"), 200),
        ("site folder without slash", d.get("/leidraad"), 308),
        ("site 404", d.get("/bestaat/niet/"), 404),
        ("site path escape", d.get("/%2e%2e/Cargo.toml"), 404),
        ("site POST", d.verzoek("POST", "/", &form, b"a=1"), 405),
        ("HEAD", d.verzoek("HEAD", "/", &[], b""), 200),
        ("survey overview", d.get("/enquete/"), 200),
        ("survey form", d.get("/enquete/ouders"), 200),
        (
            "kiosk address without staff",
            d.get("/enquete/ouders/kiosk"),
            200,
        ),
        ("survey stylesheet", d.get("/enquete.css"), 200),
        ("survey redirect", d.get("/enquete/ouders/"), 308),
        ("unknown survey", d.get("/enquete/bestaat-niet"), 404),
        ("closed survey", d.get("/enquete/collegas"), 404),
        ("thank-you page", d.get("/enquete/ouders/bedankt"), 200),
        (
            "submission",
            d.post_form("/enquete/ouders", goed.as_bytes()),
            303,
        ),
        (
            "refused submission",
            d.post_form("/enquete/ouders", b"csrf=x"),
            403,
        ),
        (
            "not a form",
            d.verzoek(
                "POST",
                "/enquete/ouders",
                &[("Content-Type", "application/json")],
                b"{}",
            ),
            415,
        ),
        (
            "oversize body",
            d.post_form("/enquete/ouders", &te_groot),
            413,
        ),
        (
            "wrong method on a survey",
            d.verzoek("DELETE", "/enquete/ouders", &[], b""),
            405,
        ),
    ];
    for (wat, r, status) in &gevallen {
        assert_eq!(r.status, *status, "{wat}: {}", r.body);
        heeft_beveiligingskoppen(wat, r);
    }
}

op_elke_engine!(a_parents_evening_from_one_address_passes_and_a_flood_is_limited);

/// A parents' evening: 300 parents answer through the school's one network address within a
/// minute (each with the form they fetched), and all are stored. A flood beyond the limit gets
/// a friendly 429 page that keeps the answers and stores nothing.
fn a_parents_evening_from_one_address_passes_and_a_flood_is_limited(engine: Engine) {
    let d = Dienst::start_op(engine);
    for i in 0..300 {
        let r = d.vul_in("/enquete/ouders", "ouderavond");
        assert_eq!(r.status, 303, "parent {i}: {}", r.body);
    }
    assert_eq!(d.aantal_inzendingen(), 300);

    let mut doorgelaten = 0;
    let mut beperkt = Vec::new();
    for _ in 0..60 {
        let r = d.vul_in("/enquete/ouders", "stortvloed");
        match r.status {
            303 => doorgelaten += 1,
            429 => beperkt.push(r),
            s => panic!("unexpected {s}: {}", r.body),
        }
    }
    // 600 an hour after the burst: at most a few tokens came back during the test.
    assert!(beperkt.len() >= 50, "{} limited", beperkt.len());
    assert_eq!(d.aantal_inzendingen(), 300 + doorgelaten);
    let r = &beperkt[0];
    heeft_beveiligingskoppen("429", r);
    assert!(r.header("retry-after").is_some(), "{:?}", r.headers);
    assert!(r.body.contains("wacht een minuutje"), "{}", r.body);
    assert!(r.body.contains("stortvloed"), "the answers are kept");
    assert!(r.body.contains(" checked"), "the choices are kept");
    assert!(r.body.contains("<title>Fout: "));
    // Reading is never limited.
    assert_eq!(d.get("/enquete/ouders").status, 200);
    // The limited requests are logged like any other: without the address.
    let log = d.log();
    let regels: Vec<&str> = log.lines().filter(|l| l.contains("status=429")).collect();
    assert!(!regels.is_empty(), "{log}");
    assert!(regels.iter().all(|l| !l.contains("127.0.0.1")), "{log}");
}

/// Sets the soft file-size limit of a running process (`prlimit`, util-linux). Writes beyond it
/// fail as on a full disk.
fn bestandslimiet(pid: u32, limiet: &str) {
    let status = std::process::Command::new("prlimit")
        .args([
            "--pid",
            &pid.to_string(),
            &format!("--fsize={limiet}:unlimited"),
        ])
        .status()
        .expect("prlimit (util-linux) is installed");
    assert!(status.success(), "prlimit --fsize={limiet}");
}

/// The disk fills up while the service runs: submissions get a clear 503 page with the answers
/// kept and nothing half-stored; once there is room again, the same page can be sent without a
/// restart. SQLite only: the limit is set on the service's own process, which writes the
/// SQLite file; on PostgreSQL the server process writes (a lock held too long is the
/// PostgreSQL case of "cannot write", in `enquete_http`).
#[test]
fn a_full_disk_gives_a_503_with_the_answers_kept_and_recovers_without_a_restart() {
    let d = Dienst::start();
    let f = formulier(&d, "/enquete/ouders");
    assert_eq!(
        d.post_form("/enquete/ouders", f.body("voor").as_bytes())
            .status,
        303
    );
    // A parent with a form fetched before the fault, sending it again after each 503.
    let mut f = formulier(&d, "/enquete/ouders");
    // No file may grow beyond 4 KiB: every WAL frame (4 KiB page + header) now fails to write.
    bestandslimiet(d.pid(), "4096");
    for poging in 0..3 {
        let r = d.post_form("/enquete/ouders", f.body("Schijf vol").as_bytes());
        assert_eq!(r.status, 503, "attempt {poging}: {}", r.body);
        heeft_beveiligingskoppen("503", &r);
        assert!(r.body.contains("niet bewaren"), "{}", r.body);
        assert!(r.body.contains("Schijf vol"), "answers kept");
        assert!(r.body.contains(" checked"), "choices kept");
        // The page that came back carries a fresh form token; either one may be sent again.
        if poging == 1 {
            f = Formulier::uit(&r.body);
        }
    }
    // Reading still works during the fault.
    assert_eq!(d.get("/enquete/ouders").status, 200);
    assert_eq!(d.get("/").status, 200);

    bestandslimiet(d.pid(), "unlimited");
    let r = d.post_form("/enquete/ouders", f.body("Schijf vol").as_bytes());
    assert_eq!(r.status, 303, "recovered: {}\n{}", r.body, d.log());
    assert_eq!(d.aantal_inzendingen(), 2, "nothing of the failed tries");
    let ok: String = d
        .db()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}
