//! Attack suite, network part (issue 14): the real `zorgenquete serve` over real HTTP on
//! loopback, attacked the way a pupil on the school wifi or an outsider would, behind the
//! reverse proxy the README recommends (the test plays the proxy: it connects from 127.0.0.1,
//! a trusted proxy, and says who the client is in `X-Forwarded-For`).
//!
//! Each test asserts that the attacker gets nothing stored or is limited, and that the people
//! the attack aims at (other parents, the staff) are not locked out:
//! - a submission flood behind the proxy limits only the attacker;
//! - junk posts never spend the tokens of the parents behind the same address;
//! - one fetched form gives at most one stored answer (also in parallel, also after a restart);
//! - the kiosk address without staff is the normal form (codes required);
//! - wrong passwords for random names and for a real name lock out nobody at another address;
//! - slow-loris: trickling sockets are cut off and do not stop a normal request; beyond the
//!   connection cap a 503 page.

mod beheer_common;
mod enquete_common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use enquete_common::{
    Antwoord, Dienst, Formulier, Opties, attribuut, cli, close_periode, open_periode, rows,
    urlencode,
};

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// The service behind a trusted proxy (127.0.0.1, the test), with `config` added to its
/// `zorgenquete.toml` and `extra` arguments for `serve`.
fn achter_proxy(config: &str, extra: Vec<&'static str>) -> (Dienst, e2e::TempDir) {
    let tmp = e2e::TempDir::new("aanval");
    let pad = tmp.path().join("zorgenquete.toml");
    std::fs::write(
        &pad,
        format!("vertrouwde_proxies = [\"127.0.0.1\"]\n{config}"),
    )
    .unwrap();
    let d = Dienst::start_met(Opties {
        config: Some(pad),
        extra,
        ..Opties::default()
    });
    (d, tmp)
}

/// A GET as the proxy forwards it for client `ip`.
fn get_als(d: &Dienst, ip: &str, pad: &str) -> Antwoord {
    d.verzoek("GET", pad, &[("X-Forwarded-For", ip)], b"")
}

/// A form POST as the proxy forwards it for client `ip`.
fn post_als(d: &Dienst, ip: &str, pad: &str, body: &[u8]) -> Antwoord {
    d.verzoek("POST", pad, &[("X-Forwarded-For", ip), FORM], body)
}

/// A parent at `ip`: fetches the form and sends it filled in.
fn vul_in_als(d: &Dienst, ip: &str, tekst: &str) -> Antwoord {
    let page = get_als(d, ip, "/enquete/ouders");
    assert_eq!(page.status, 200, "{}", page.body);
    let f = Formulier::uit(&page.body);
    post_als(d, ip, "/enquete/ouders", f.body(tekst).as_bytes())
}

#[test]
fn a_flood_behind_the_proxy_limits_only_the_attacker() {
    // 20 answers an hour per client, 10 at once: a small bucket keeps the test short.
    let (d, _tmp) = achter_proxy("", vec!["--max-antwoorden-per-uur", "20"]);
    let aanvaller = "203.0.113.66";
    for i in 0..10 {
        let r = vul_in_als(&d, aanvaller, "vloed");
        assert_eq!(r.status, 303, "answer {i} of the burst: {}", r.body);
    }
    let r = vul_in_als(&d, aanvaller, "vloed");
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    // Writing someone else's address in front does not help: the proxy appends the real one,
    // and only the right-most hop that is not a trusted proxy counts.
    let vervalst = "198.51.100.7, 203.0.113.66";
    let page = get_als(&d, vervalst, "/enquete/ouders");
    let f = Formulier::uit(&page.body);
    let r = post_als(&d, vervalst, "/enquete/ouders", f.body("vloed").as_bytes());
    assert_eq!(r.status, 429, "{}", r.body);

    // Another parent behind the same proxy still answers.
    let r = vul_in_als(&d, "198.51.100.7", "een echte ouder");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(d.aantal_inzendingen(), 11);
    // The client address is in no log line.
    let log = d.log();
    assert!(log.contains("status=429"), "{log}");
    assert!(
        !log.contains("203.0.113.66") && !log.contains("198.51.100.7"),
        "{log}"
    );

    // Without a trusted proxy the header is never believed: a new address in it per request
    // does not make a new bucket.
    let d = Dienst::start_met(Opties {
        extra: vec!["--max-antwoorden-per-uur", "20"],
        ..Opties::default()
    });
    let mut statussen = Vec::new();
    for i in 0..11 {
        let r = vul_in_als(&d, &format!("192.0.2.{i}"), "vloed");
        statussen.push(r.status);
    }
    assert_eq!(statussen[..10], [303; 10]);
    assert_eq!(statussen[10], 429);
}

#[test]
fn junk_posts_do_not_spend_the_parents_tokens() {
    let (d, _tmp) = achter_proxy("", vec!["--max-antwoorden-per-uur", "20"]);
    // Everyone at the school shares one address (the school's NAT): the parents' bucket holds
    // 10 answers at once.
    let school = "192.0.2.50";

    // One parent answered; their form is now used.
    let gebruikt = Formulier::uit(&get_als(&d, school, "/enquete/ouders").body);
    let gebruikt_body = gebruikt.body("al verstuurd");
    assert_eq!(
        post_als(&d, school, "/enquete/ouders", gebruikt_body.as_bytes()).status,
        303
    );
    // Forms fetched, then the period closes before they are sent: refused, and the token
    // they took from the bucket is given back.
    let te_laat: Vec<Formulier> = (0..3)
        .map(|_| Formulier::uit(&get_als(&d, school, "/enquete/ouders").body))
        .collect();
    close_periode(&d.db, "ouders", "2025-2026");
    for f in &te_laat {
        let r = post_als(&d, school, "/enquete/ouders", f.body("te laat").as_bytes());
        assert_eq!(r.status, 409, "{}", r.body);
    }
    let root = enquete_common::workspace_root().join("content");
    open_periode(&d.db, &root, "ouders", "2025-2026", None);

    // A pupil on the school wifi sends junk from the same address.
    let geldig = Formulier::uit(&get_als(&d, school, "/enquete/ouders").body).body("rommel");
    let zonder_token: String = geldig
        .split('&')
        .filter(|v| !v.starts_with("csrf="))
        .collect::<Vec<_>>()
        .join("&");
    let vervalst = geldig.replacen("csrf=", "csrf=1.1.0000", 1);
    let mut te_groot = geldig.clone().into_bytes();
    te_groot.extend_from_slice(b"&open-beter=");
    te_groot.extend(std::iter::repeat_n(b'a', 100 * 1024));
    let mut rommel: Vec<(&str, Antwoord)> = Vec::new();
    for _ in 0..4 {
        rommel.push((
            "no token",
            post_als(&d, school, "/enquete/ouders", zonder_token.as_bytes()),
        ));
        rommel.push((
            "forged token",
            post_als(&d, school, "/enquete/ouders", vervalst.as_bytes()),
        ));
        rommel.push((
            "used form",
            post_als(&d, school, "/enquete/ouders", gebruikt_body.as_bytes()),
        ));
        rommel.push((
            "not a form",
            d.verzoek(
                "POST",
                "/enquete/ouders",
                &[("X-Forwarded-For", school), ("Content-Type", "text/plain")],
                geldig.as_bytes(),
            ),
        ));
        rommel.push((
            "too large",
            post_als(&d, school, "/enquete/ouders", &te_groot),
        ));
        rommel.push((
            "unknown questionnaire",
            post_als(&d, school, "/enquete/bestaat-niet", geldig.as_bytes()),
        ));
        rommel.push((
            "wrong method",
            d.verzoek(
                "PUT",
                "/enquete/ouders",
                &[("X-Forwarded-For", school), FORM],
                geldig.as_bytes(),
            ),
        ));
    }
    for (wat, r) in &rommel {
        assert!(
            (400..500).contains(&r.status) && r.status != 429,
            "{wat}: {} {}",
            r.status,
            r.body
        );
    }
    assert_eq!(d.aantal_inzendingen(), 1, "junk stores nothing");

    // The parents behind the same address still have all their answers: 9 more fit in the
    // burst (one was used above), then the limit.
    for i in 0..9 {
        let r = vul_in_als(&d, school, "ouderavond");
        assert_eq!(r.status, 303, "parent {i}: {}", r.body);
    }
    let r = vul_in_als(&d, school, "ouderavond");
    assert_eq!(r.status, 429, "the bucket is exact: {}", r.body);
    assert_eq!(d.aantal_inzendingen(), 10);

    // Junk has its own, smaller bucket: a flood of it ends in short 429 pages that cost no
    // form to build, while the parents' bucket is untouched by it.
    let mut beperkt = 0;
    for _ in 0..40 {
        let r = post_als(&d, "192.0.2.51", "/enquete/ouders", zonder_token.as_bytes());
        if r.status == 429 {
            beperkt += 1;
            assert!(!r.body.contains("<form"), "no form for junk: {}", r.body);
        }
    }
    assert!(beperkt >= 5, "{beperkt} junk posts limited");
    let r = vul_in_als(&d, "192.0.2.51", "na de rommel");
    assert_eq!(r.status, 303, "{}", r.body);
}

#[test]
fn one_fetched_form_gives_at_most_one_stored_answer() {
    let mut d = Dienst::start();
    let f = Formulier::uit(&d.get("/enquete/ouders").body);
    let body = f.body("mijn enige antwoord");
    assert_eq!(d.post_form("/enquete/ouders", body.as_bytes()).status, 303);
    // The same form again (a replay, a double click, a script): refused, nothing stored, the
    // form comes back with the answers and a new token.
    let r = d.post_form("/enquete/ouders", body.as_bytes());
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("al verstuurd en bewaard"), "{}", r.body);
    assert!(r.body.contains("mijn enige antwoord"), "answers kept");
    assert!(r.body.contains(" checked"), "choices kept");
    let nieuw = attribuut(&r.body, "name=\"csrf\"", "value").unwrap();
    assert_ne!(nieuw, f.csrf, "a fresh form");
    assert_eq!(d.aantal_inzendingen(), 1);
    // In the form's language too.
    let en = Formulier::uit(&d.get("/enquete/ouders?taal=en").body);
    let en_body = en.body("once");
    assert_eq!(
        d.post_form("/enquete/ouders?taal=en", en_body.as_bytes())
            .status,
        303
    );
    let r = d.post_form("/enquete/ouders?taal=en", en_body.as_bytes());
    assert_eq!(r.status, 409);
    assert!(r.body.contains("already sent and saved"), "{}", r.body);
    assert_eq!(d.aantal_inzendingen(), 2);

    // Eight copies of one form sent at the same moment: exactly one is stored.
    let f = Formulier::uit(&d.get("/enquete/ouders").body);
    let body = Arc::new(f.body("tegelijk"));
    let adres = d.adres;
    let bewaard = Arc::new(AtomicUsize::new(0));
    let draden: Vec<_> = (0..8)
        .map(|_| {
            let (body, bewaard) = (body.clone(), bewaard.clone());
            std::thread::spawn(move || {
                let r = enquete_common::verzoek(
                    adres,
                    "POST",
                    "/enquete/ouders",
                    &[FORM],
                    body.as_bytes(),
                );
                match r.status {
                    303 => {
                        bewaard.fetch_add(1, Ordering::SeqCst);
                    }
                    409 => {}
                    s => panic!("unexpected {s}: {}", r.body),
                }
            })
        })
        .collect();
    for t in draden {
        t.join().unwrap();
    }
    assert_eq!(bewaard.load(Ordering::SeqCst), 1);
    assert_eq!(d.aantal_inzendingen(), 3);

    // A form fetched before a restart has expired after it (the used ones are only in
    // memory): it comes back with the answers kept, and the new form is stored.
    let f = Formulier::uit(&d.get("/enquete/ouders").body);
    assert!(d.stop());
    d.herstart();
    let r = d.post_form("/enquete/ouders", f.body("over de herstart").as_bytes());
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("verlopen"), "{}", r.body);
    assert!(r.body.contains("over de herstart"), "answers kept");
    let opnieuw = Formulier::uit(&r.body);
    let r = d.post_form(
        "/enquete/ouders",
        opnieuw.body("over de herstart").as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(d.aantal_inzendingen(), 4);
}

/// The `kiosk` cookie (as the device sends it back) from a response's `Set-Cookie`s.
fn set_cookie<'a>(r: &'a Antwoord, naam: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .find(|v| v.starts_with(&format!("{naam}=")))
}

#[test]
fn the_kiosk_address_without_staff_is_the_normal_form() {
    let d = Dienst::start();
    let db = d.db.to_str().unwrap().to_string();
    let (ok, out, err) = cli(&["codes", "ouders", "2025-2026", "--aantal", "2", "--db", &db]);
    assert!(ok, "{err}");
    let codes: Vec<&str> = out.lines().collect();

    // Anyone who knows the address: the normal form, which needs a code in this period.
    let r = d.get("/enquete/ouders/kiosk");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("action=\"/enquete/ouders\""), "{}", r.body);
    assert!(r.body.contains("name=\"code\""));
    assert!(!r.body.contains("Kiosk stoppen"));
    let f = Formulier::uit(&r.body);
    let r = d.post_form("/enquete/ouders/kiosk", f.body("zonder code").as_bytes());
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("Vul je code in"));
    // A made-up kiosk cookie changes nothing.
    let nep = "kiosk=7fffffff.00000000000000000000000000000000";
    let r = d.kiosk_post(nep, "/enquete/ouders/kiosk", f.body("nep").as_bytes());
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(d.aantal_inzendingen(), 0);
    // With a code it is an online answer.
    let met_code = format!("{}&code={}", f.body("met code"), urlencode(codes[0]));
    let r = d.post_form("/enquete/ouders/kiosk", met_code.as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/enquete/ouders/bedankt"));
    assert_eq!(
        d.getal("SELECT count(*) FROM inzending WHERE kanaal = 'online'"),
        1
    );

    // A staff member switches this device on: kiosk answers without a code.
    let kiosk = d.kiosk_aan("ouders");
    let r = d.kiosk_get(&kiosk, "/enquete/ouders/kiosk");
    assert!(r.body.contains("action=\"/enquete/ouders/kiosk\""));
    assert!(r.body.contains("Kiosk stoppen"));
    let k = Formulier::uit(&r.body);
    let r = d.kiosk_post(&kiosk, "/enquete/ouders/kiosk", k.body("").as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        d.getal("SELECT count(*) FROM inzending WHERE kanaal = 'kiosk'"),
        1
    );
    // "Kiosk stoppen" on the device: the cookie is removed.
    let page = d.kiosk_get(&kiosk, "/enquete/ouders/kiosk").body;
    let i = page
        .find("action=\"/enquete/ouders/kiosk/stop\"")
        .expect("stop button");
    let stop_token = attribuut(&page[i..], "name=\"csrf\"", "value").unwrap();
    let r = d.kiosk_post(
        &kiosk,
        "/enquete/ouders/kiosk/stop",
        format!("csrf={stop_token}").as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let wis = set_cookie(&r, "kiosk").expect("cookie removed");
    assert!(
        wis.contains("Max-Age=0") && wis.contains("Path=/enquete/ouders/kiosk"),
        "{wis}"
    );

    // "Alle kiosken stoppen" (beheer): a cookie handed out before is worthless from then on.
    let tweede = d.kiosk_aan("ouders");
    assert!(
        d.kiosk_get(&tweede, "/enquete/ouders/kiosk")
            .body
            .contains("Kiosk stoppen")
    );
    beheer_common::maak_gebruiker(&d, "an.peeters", "beheer");
    let sessie = beheer_common::aanmelden(&d, "an.peeters");
    let token = beheer_common::token(&d, &sessie);
    let r = beheer_common::post(
        &d,
        &sessie,
        "/beheer/kiosk/stop-alle",
        &format!("csrf={token}"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let overzicht = beheer_common::get(&d, &sessie, "/beheer/?kiosken=gestopt");
    assert!(overzicht.body.contains("Alle kiosken zijn gestopt"));
    let r = d.kiosk_get(&tweede, "/enquete/ouders/kiosk");
    assert!(r.body.contains("action=\"/enquete/ouders\""), "stopped");
    let k = Formulier::uit(&r.body);
    let r = d.kiosk_post(&tweede, "/enquete/ouders/kiosk", k.body("").as_bytes());
    assert_eq!(r.status, 400, "a code is needed again: {}", r.body);
    assert_eq!(d.aantal_inzendingen(), 2);

    // The audit log says who switched kiosks on and that they were stopped; nothing about a
    // device or an answer.
    let log: Vec<(String, String)> = rows(
        &d.db(),
        "SELECT gebruiker, detail FROM audit WHERE gebeurtenis = 'kiosk' ORDER BY id",
        |r| Ok((r.get(0)?, r.get(1)?)),
    );
    let verwacht = [
        (
            "kiosk.zetter",
            "kiosk aangezet voor ouders (tot het einde van de dag)",
        ),
        ("(kiosk)", "kiosk gestopt op een toestel (ouders)"),
        (
            "kiosk.zetter",
            "kiosk aangezet voor ouders (tot het einde van de dag)",
        ),
        ("an.peeters", "alle kiosken gestopt"),
    ];
    assert_eq!(
        log.iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect::<Vec<_>>(),
        verwacht
    );
    // The staff member who switched a device on is logged out on it.
    assert!(
        d.getal("SELECT count(*) FROM audit WHERE gebeurtenis = 'afgemeld' AND gebruiker = 'kiosk.zetter'")
            >= 2
    );
}

/// Posts the login form for `naam` as client `ip`.
fn aanmelden_als(d: &Dienst, ip: &str, naam: &str, wachtwoord: &str) -> Antwoord {
    let page = get_als(d, ip, "/beheer/login");
    let token = attribuut(&page.body, "name=\"csrf\"", "value").expect("login token");
    post_als(
        d,
        ip,
        "/beheer/login",
        format!(
            "csrf={token}&naam={}&wachtwoord={}",
            urlencode(naam),
            urlencode(wachtwoord)
        )
        .as_bytes(),
    )
}

#[test]
fn no_outsider_can_lock_out_the_staff() {
    let (d, _tmp) = achter_proxy("", Vec::new());
    beheer_common::maak_gebruiker(&d, "an.peeters", "beheer");
    let aanvaller = "203.0.113.66";
    // Wrong passwords for made-up names and for the real one, from one address.
    let mut gecontroleerd = 0;
    let mut beperkt = 0;
    for i in 0..30 {
        for naam in [format!("gok{i}"), "an.peeters".to_string()] {
            let r = aanmelden_als(&d, aanvaller, &naam, "fout wachtwoord 123");
            match r.status {
                401 => gecontroleerd += 1,
                429 => {
                    beperkt += 1;
                    assert!(r.body.contains("te veel foute pogingen"), "{}", r.body);
                }
                s => panic!("unexpected {s}: {}", r.body),
            }
        }
    }
    assert!(
        gecontroleerd <= 20,
        "only the free attempts of one address were checked: {gecontroleerd}"
    );
    assert!(beperkt >= 40, "{beperkt}");

    // Guesses sent in parallel from a fresh address: each is counted before its password is
    // checked, so no more than the free attempts for the name get through.
    let tweede = "203.0.113.67";
    let tokens: Vec<String> = (0..12)
        .map(|_| {
            let page = get_als(&d, tweede, "/beheer/login");
            attribuut(&page.body, "name=\"csrf\"", "value")
                .unwrap()
                .to_string()
        })
        .collect();
    let adres = d.adres;
    let draden: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            std::thread::spawn(move || {
                enquete_common::verzoek(
                    adres,
                    "POST",
                    "/beheer/login",
                    &[("X-Forwarded-For", tweede), FORM],
                    format!("csrf={token}&naam=an.peeters&wachtwoord=parallel+geraden+1")
                        .as_bytes(),
                )
                .status
            })
        })
        .collect();
    let statussen: Vec<u16> = draden.into_iter().map(|t| t.join().unwrap()).collect();
    let parallel_gecontroleerd = statussen.iter().filter(|s| **s == 401).count();
    assert!(
        parallel_gecontroleerd <= 5,
        "{parallel_gecontroleerd} checked: {statussen:?}"
    );
    assert!(
        statussen.iter().all(|s| [401, 429].contains(s)),
        "{statussen:?}"
    );

    // The real staff member, from another address, logs in at once.
    let r = aanmelden_als(&d, "198.51.100.7", "an.peeters", beheer_common::WACHTWOORD);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("set-cookie").is_some());
    // The audit log shows the failed attempts that were checked, without addresses.
    let mislukt = d.getal("SELECT count(*) FROM audit WHERE gebeurtenis = 'aanmelden-mislukt'");
    assert_eq!(mislukt, (gecontroleerd + parallel_gecontroleerd) as i64);
    let alles: String = d
        .db()
        .prepare("SELECT group_concat(gebruiker || detail, ' ') FROM audit")
        .unwrap()
        .query_row([], |r| r.get(0))
        .unwrap();
    assert!(!alles.contains("203.0.113") && !alles.contains("198.51.100"));
}

/// Opens a connection and sends the start of a request head that never ends.
fn half_verzoek(d: &Dienst) -> TcpStream {
    let mut s = TcpStream::connect(d.adres).unwrap();
    s.write_all(b"GET /enquete/ouders HTTP/1.1\r\nHost: x\r\nX-Traag: ")
        .unwrap();
    s
}

#[test]
fn slow_clients_are_cut_off_and_the_connection_cap_answers_503() {
    let (d, _tmp) = achter_proxy("max_verbindingen = 16\n", Vec::new());

    // A slow-loris client: one byte of its head every 200 ms, for ever (its head would take
    // minutes). The head deadline cuts it off however steadily it trickles.
    let mut traag = half_verzoek(&d);
    let mut lezer = traag.try_clone().unwrap();
    let klaar = Arc::new(AtomicBool::new(false));
    let druppel = {
        let klaar = klaar.clone();
        std::thread::spawn(move || {
            while !klaar.load(Ordering::Relaxed) {
                if traag.write_all(b"a").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    // Ten more that send half a head and then nothing.
    let stil: Vec<TcpStream> = (0..10).map(|_| half_verzoek(&d)).collect();
    // Meanwhile a parent's request is answered normally.
    let r = d.get("/enquete/ouders");
    assert_eq!(r.status, 200);

    // The server closes the trickling connection (EOF or reset) before its head is complete.
    lezer
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut buf = [0u8; 64];
    let gelezen = lezer.read(&mut buf);
    let gesloten = match &gelezen {
        Ok(n) => *n == 0,
        // A reset counts; our own read timeout does not.
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    };
    assert!(
        gesloten,
        "the server closed the trickling connection: {gelezen:?}"
    );
    klaar.store(true, Ordering::Relaxed);
    druppel.join().unwrap();
    // The silent ones are cut off by the same deadline. Wait for that before filling the cap:
    // one of them closing after the cap is full would free a place for the request below.
    for mut s in stil {
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let gelezen = s.read(&mut buf);
        assert!(
            matches!(&gelezen, Ok(0))
                || matches!(&gelezen, Err(e) if !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
            "the server closed a silent connection: {gelezen:?}"
        );
    }

    // Beyond the cap: fill it with silent connections, then a new one gets a 503 page.
    let mut vol: Vec<TcpStream> = (0..16).map(|_| half_verzoek(&d)).collect();
    let r = d.get("/enquete/ouders");
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("Het is even te druk"), "{}", r.body);
    assert!(r.body.contains("lang=\"nl\""));
    assert!(r.header("retry-after").is_some());
    assert_eq!(
        r.header("content-security-policy"),
        Some(zorgsite::site::beveiliging::CSP)
    );
    // Once those go away, the service answers again.
    vol.clear();
    let start = Instant::now();
    let status = loop {
        let r = d.get("/enquete/ouders");
        if r.status != 503 || start.elapsed() > Duration::from_secs(60) {
            break r.status;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status, 200);
}
