//! The survey service over real HTTP on loopback with a real SQLite file or PostgreSQL
//! database: what is stored, what is refused, and that nothing is stored or logged about the
//! person. Tests where the engine matters run on both (`op_elke_engine!`); start-up and page
//! checks, and the SQLite file's own settings, on SQLite only.

mod enquete_common;

use enquete_common::{
    Dienst, Engine, Formulier, Opties, cli, close_periode, copy_of_content, op_elke_engine,
    urlencode,
};

op_elke_engine!(
    a_submission_is_stored_with_its_channel_and_nothing_that_dates_it,
    a_code_works_once_and_never_points_at_its_response,
    a_closed_or_unknown_period_refuses_answers,
    every_kind_of_invalid_submission_stores_nothing_and_keeps_the_answers,
    shutdown_finishes_submissions_in_flight_and_keeps_every_acknowledged_one,
    a_database_that_cannot_be_written_gives_a_503_page_with_the_answers_kept_and_recovers,
    neither_the_database_nor_the_log_holds_the_clients_address_or_user_agent,
);

const OPEN_TEKST: &str = "Meer uitleg over het rapport, graag <b>vet</b> & duidelijk";

fn formulier(d: &Dienst, pad: &str) -> Formulier {
    let r = d.get(pad);
    assert_eq!(r.status, 200, "{}", r.body);
    Formulier::uit(&r.body)
}

fn a_submission_is_stored_with_its_channel_and_nothing_that_dates_it(engine: Engine) {
    let d = Dienst::start_op(engine);
    let f = formulier(&d, "/enquete/ouders");
    assert!(
        f.keuzes.len() >= 10,
        "the form shows the items: {:?}",
        f.keuzes
    );
    assert_eq!(f.teksten.len(), 2, "two open questions");

    let r = d.post_form("/enquete/ouders", f.body(OPEN_TEKST).as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/enquete/ouders/bedankt"));
    let bedankt = d.get("/enquete/ouders/bedankt");
    assert_eq!(bedankt.status, 200);
    assert!(bedankt.body.contains("Wat gebeurt er nu?"));
    assert!(bedankt.body.contains("minstens 5"));

    let kiosk = d.kiosk_aan("ouders");
    let k = Formulier::uit(&d.kiosk_get(&kiosk, "/enquete/ouders/kiosk").body);
    let r = d.kiosk_post(&kiosk, "/enquete/ouders/kiosk", k.body("").as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/enquete/ouders/kiosk?klaar=1"));

    // The response table holds exactly these columns: nothing about time or the client.
    assert_eq!(
        d.check().kolommen("inzending"),
        ["id", "vragenlijst", "periode", "kanaal", "antwoorden"]
    );
    let mut rijen: Vec<(i64, String, String)> = d
        .rijen("SELECT id, kanaal, antwoorden FROM inzending ORDER BY kanaal")
        .into_iter()
        .map(|r| (r[0].parse().unwrap(), r[1].clone(), r[2].clone()))
        .collect();
    assert_eq!(rijen.len(), 2);
    let (online_id, kanaal, antwoorden) = rijen.remove(1);
    assert_eq!(kanaal, "online");
    assert!(
        antwoorden.contains("\"zorg-aanspreekpunt@1\":4"),
        "{antwoorden}"
    );
    assert!(
        antwoorden.contains("<b>vet</b> & duidelijk"),
        "{antwoorden}"
    );
    let (kiosk_id, kanaal, antwoorden) = rijen.remove(0);
    assert_eq!(kanaal, "kiosk");
    assert!(
        !antwoorden.contains("open-"),
        "empty open answers are not stored"
    );
    // Random ids, not a counter: two consecutive rowids would be 1 and 2.
    assert!(
        online_id > 1 << 20 && kiosk_id > 1 << 20,
        "ids look sequential: {online_id}, {kiosk_id}"
    );
    for tekst in [&antwoorden, &format!("{online_id}")] {
        assert!(
            !tekst.contains("2026-") && !tekst.contains("2025-11"),
            "{tekst}"
        );
    }
    // Progress lives in per-week counters without the channel (issue 14: a day and a channel
    // together could date the one answer given in a conversation), with no link to a response.
    let tellers = d.rijen("SELECT week, aantal FROM teller");
    assert_eq!(
        tellers,
        [[zorgenquete::storage::deze_week(), "2".to_string()]]
    );

    let (ok, out, _) = cli(&["periode", "lijst", "--db", d.db.to_str().unwrap()]);
    assert!(ok);
    let regel = out.lines().find(|l| l.starts_with("ouders")).unwrap();
    assert!(
        regel.contains("open") && regel.contains(" 2 ") && regel.contains("7 %"),
        "{out}"
    );
}

#[test]
fn kiosk_returns_to_a_fresh_form_that_is_never_cached() {
    let d = Dienst::start();
    let kiosk = d.kiosk_aan("ouders");
    let r = d.kiosk_get(&kiosk, "/enquete/ouders/kiosk");
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert!(r.body.contains("autocomplete=\"off\""));
    assert!(r.body.contains("action=\"/enquete/ouders/kiosk\""));
    let f = Formulier::uit(&r.body);
    let body = f.body("Iets wat de volgende ouder niet mag zien");
    assert_eq!(
        d.kiosk_post(&kiosk, "/enquete/ouders/kiosk", body.as_bytes())
            .status,
        303
    );
    let na = d.kiosk_get(&kiosk, "/enquete/ouders/kiosk?klaar=1");
    assert_eq!(na.status, 200);
    assert_eq!(na.header("cache-control"), Some("no-store"));
    assert!(na.body.contains("weer leeg voor de volgende persoon"));
    assert!(!na.body.contains(" checked"), "no answer is pre-selected");
    assert!(!na.body.contains("volgende ouder niet mag zien"));
    // The kiosk never takes a code from its address bar.
    let met_code = d.kiosk_get(&kiosk, "/enquete/ouders/kiosk?code=ABCD-EFGH");
    assert!(!met_code.body.contains("ABCD-EFGH"));
}

fn a_code_works_once_and_never_points_at_its_response(engine: Engine) {
    let d = Dienst::start_op(engine);
    let db = d.db.to_str().unwrap().to_string();
    let brieven = d.tmp.path().join("brieven.html");
    let (ok, out, err) = cli(&[
        "codes",
        "ouders",
        "2025-2026",
        "--aantal",
        "3",
        "--brieven",
        brieven.to_str().unwrap(),
        "--db",
        &db,
    ]);
    assert!(ok, "{err}");
    let codes: Vec<&str> = out.lines().collect();
    assert_eq!(codes.len(), 3, "{out}");
    let html = std::fs::read_to_string(&brieven).unwrap();
    for code in &codes {
        assert!(html.contains(code), "letter for {code}");
    }
    // The address from config.toml (base_url + [enquete] url), short enough to type.
    assert!(
        html.contains("127.0.0.1:8080/enquete/ouders</span>"),
        "{html}"
    );
    assert_eq!(
        html.matches("<svg role=\"img\"").count(),
        3,
        "one QR per letter"
    );
    // The database keeps hashes only (the SQLite file and its WAL, or a dump of PostgreSQL's).
    let alles = d.check().alles();
    assert!(!alles.is_empty());
    for code in &codes {
        let plain = code.replace('-', "");
        for (naam, hay) in &alles {
            assert!(
                !contains(hay, plain.as_bytes()) && !contains(hay, code.as_bytes()),
                "{code} in {naam}"
            );
        }
    }

    // `?code=` fills in the code field.
    let page = d.get(&format!("/enquete/ouders?code={}", codes[0]));
    assert!(page.body.contains(&format!("value=\"{}\"", codes[0])));
    let f = Formulier::uit(&page.body);

    // Online without a code is refused once the period has codes; answers are kept.
    let zonder = d.post_form("/enquete/ouders", f.body("zonder code").as_bytes());
    assert_eq!(zonder.status, 400);
    assert!(zonder.body.contains("Vul je code in"));
    assert!(zonder.body.contains("zonder code"));

    let met = format!(
        "{}&code={}",
        f.body("met code"),
        urlencode(&codes[0].to_lowercase())
    );
    // The same form, refused for its missing code, may be sent again with the code.
    assert_eq!(d.post_form("/enquete/ouders", met.as_bytes()).status, 303);
    // The same form once more: refused as already sent (its token is single-use).
    let nog_eens = d.post_form("/enquete/ouders", met.as_bytes());
    assert_eq!(nog_eens.status, 409, "{}", nog_eens.body);
    assert!(nog_eens.body.contains("al verstuurd"));
    // A fresh form with the used code: the code is refused.
    let f = formulier(&d, "/enquete/ouders");
    let met = format!(
        "{}&code={}",
        f.body("met code"),
        urlencode(&codes[0].to_lowercase())
    );
    let opnieuw = d.post_form("/enquete/ouders", met.as_bytes());
    assert_eq!(opnieuw.status, 403, "a replayed code is refused");
    assert!(opnieuw.body.contains("al gebruikt"));
    assert!(opnieuw.body.contains("met code"), "answers are kept");
    assert!(opnieuw.body.contains("aria-invalid=\"true\""));
    assert_eq!(d.aantal_inzendingen(), 1);

    assert_eq!(d.getal("SELECT count(*) FROM code WHERE gebruikt"), 1);
    // Neither table has a column that could point at the other.
    assert_eq!(
        d.check().kolommen("code"),
        ["hash", "vragenlijst", "periode", "gebruikt"]
    );
}

fn a_closed_or_unknown_period_refuses_answers(engine: Engine) {
    let d = Dienst::start_op(engine);
    let f = formulier(&d, "/enquete/ouders");
    close_periode(&d.db, "ouders", "2025-2026");
    let r = d.post_form("/enquete/ouders", f.body("te laat").as_bytes());
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("gesloten"));
    let g = d.get("/enquete/ouders");
    assert_eq!(g.status, 404);
    assert!(g.body.contains("gesloten"));
    // A trailing slash, as people type it, leads to the form.
    let r = d.get("/enquete/ouders/?code=abcd-efgh");
    assert_eq!(r.status, 308);
    assert_eq!(r.header("location"), Some("/enquete/ouders?code=ABCD-EFGH"));
    // The colleagues' questionnaire never had a period.
    assert_eq!(d.get("/enquete/collegas").status, 404);
    assert_eq!(d.get("/enquete/bestaat-niet").status, 404);
    assert_eq!(d.aantal_inzendingen(), 0);
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn every_kind_of_invalid_submission_stores_nothing_and_keeps_the_answers(engine: Engine) {
    let d = Dienst::start_op(engine);
    let f = formulier(&d, "/enquete/ouders");
    let goed = f.body("Bewaar mij 42");
    let zonder_csrf: String = goed
        .split('&')
        .filter(|v| !v.starts_with("csrf="))
        .collect::<Vec<_>>()
        .join("&");
    let verkeerde_csrf = goed.replacen(&f.csrf, "1.00000000000000000000000000000000", 1);
    let onbekend = format!("{goed}&bestaat-niet=3");
    let buiten_bereik = goed.replacen(
        &format!("{}={}", f.keuzes[1].0, f.keuzes[1].1),
        &format!("{}=7", f.keuzes[1].0),
        1,
    );
    let onvolledig: String = goed
        .split('&')
        .filter(|v| !v.starts_with(&format!("{}=", f.keuzes[2].0)))
        .collect::<Vec<_>>()
        .join("&");
    let te_lang_antwoord = goed.replacen(
        "Bewaar+mij+42",
        &format!("Bewaar+mij+42{}", "x".repeat(2100)),
        1,
    );
    let mut ongeldig_utf8 = goed.clone().into_bytes();
    ongeldig_utf8.extend_from_slice(b"&open-beter=Bewaar+mij+42+\xff\xfe");
    // Also a percent-encoded invalid sequence in a field that is otherwise fine.
    let ongeldig_procent = goed.replacen("Bewaar+mij+42", "Bewaar+mij+42%C3%28", 1);
    let mut te_groot = goed.clone().into_bytes();
    te_groot.extend_from_slice(b"&open-beter=");
    te_groot.extend(std::iter::repeat_n(b'a', 200 * 1024));

    let gevallen: Vec<(&str, Vec<u8>, u16)> = vec![
        ("missing CSRF token", zonder_csrf.into_bytes(), 403),
        ("forged CSRF token", verkeerde_csrf.into_bytes(), 403),
        ("unknown item", onbekend.into_bytes(), 400),
        ("out-of-range value", buiten_bereik.into_bytes(), 400),
        ("missing required answer", onvolledig.into_bytes(), 400),
        ("open answer too long", te_lang_antwoord.into_bytes(), 400),
        ("invalid UTF-8", ongeldig_utf8, 400),
        (
            "invalid percent-encoded UTF-8",
            ongeldig_procent.into_bytes(),
            400,
        ),
        ("oversize body", te_groot, 413),
    ];
    let eerste = &f.keuzes[0];
    for (naam, body, status) in gevallen {
        let r = d.post_form("/enquete/ouders", &body);
        assert_eq!(r.status, status, "{naam}: {}", r.body);
        assert!(
            r.body.contains("enquete-foutsamenvatting"),
            "{naam}: error summary at the top"
        );
        assert!(
            r.body.contains("<title>Fout: "),
            "{naam}: title says there is an error"
        );
        assert!(
            r.body.contains(&format!(
                "id=\"v-{}-{}\" name=\"{}\" value=\"{}\" checked",
                eerste.0, eerste.1, eerste.0, eerste.1
            )),
            "{naam}: the first answer is still selected"
        );
        assert!(r.body.contains("Bewaar mij 42"), "{naam}: open answer kept");
        assert!(
            r.body.contains("name=\"csrf\" value=\"") && !r.body.contains("value=\"1.0000"),
            "{naam}: a fresh token to send again"
        );
        assert_eq!(d.aantal_inzendingen(), 0, "{naam}: nothing stored");
    }

    // Field errors link to the field, which points back at its message.
    let r = d.post_form("/enquete/ouders", onvolledig_body(&f).as_bytes());
    let veld = &f.keuzes[2].0;
    assert!(
        r.body.contains(&format!("<a href=\"#v-{veld}-1\">")),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(&format!("aria-describedby=\"fout-{veld}\""))
    );
    assert!(r.body.contains(&format!("id=\"fout-{veld}\"")));

    // Not a form at all, and a cross-site POST.
    let r = d.verzoek(
        "POST",
        "/enquete/ouders",
        &[("Content-Type", "application/json")],
        b"{\"a\":1}",
    );
    assert_eq!(r.status, 415);
    let r = d.verzoek(
        "POST",
        "/enquete/ouders",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Sec-Fetch-Site", "cross-site"),
        ],
        goed.as_bytes(),
    );
    assert_eq!(r.status, 403);
    assert_eq!(d.aantal_inzendingen(), 0);

    // And the valid body still works: the refusals were about the input, not the service.
    assert_eq!(d.post_form("/enquete/ouders", goed.as_bytes()).status, 303);
    assert_eq!(d.aantal_inzendingen(), 1);
}

fn shutdown_finishes_submissions_in_flight_and_keeps_every_acknowledged_one(engine: Engine) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    // A load test from one address: without the rate limit.
    let mut d = Dienst::start_met(Opties {
        extra: vec!["--max-antwoorden-per-uur", "0"],
        ..Opties::op(engine)
    });
    let f = formulier(&d, "/enquete/ouders");
    let adres = d.adres;
    let klaar = Arc::new(AtomicBool::new(false));
    let bevestigd = Arc::new(AtomicU64::new(0));
    let draden: Vec<_> = (0..6)
        .map(|_| {
            let (mut f, klaar, bevestigd) = (f.clone(), klaar.clone(), bevestigd.clone());
            std::thread::spawn(move || {
                let koppen = [("Content-Type", "application/x-www-form-urlencoded")];
                while !klaar.load(Ordering::Relaxed) {
                    // Every form gives one answer: a fresh one each time.
                    let Some(token) = enquete_common::vers_token(adres, "/enquete/ouders") else {
                        break;
                    };
                    f.csrf = token;
                    let body = f.body("tijdens het afsluiten");
                    match enquete_common::probeer_verzoek(
                        adres,
                        "POST",
                        "/enquete/ouders",
                        &koppen,
                        body.as_bytes(),
                    ) {
                        Some(r) if r.status == 303 => {
                            bevestigd.fetch_add(1, Ordering::Relaxed);
                        }
                        Some(r) => panic!("unexpected {}: {}", r.status, r.body),
                        None => break, // the server stopped listening
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert!(d.stop(), "SIGTERM ends the service cleanly:\n{}", d.log());
    klaar.store(true, Ordering::Relaxed);
    for t in draden {
        t.join().unwrap();
    }
    let bevestigd = bevestigd.load(Ordering::Relaxed) as i64;
    assert!(bevestigd > 0, "submissions were made before the stop");
    let opgeslagen = d.aantal_inzendingen();
    // Every acknowledged submission is stored; at most one per client may have been committed
    // while its connection was being cut (stored but never acknowledged).
    assert!(
        (bevestigd..=bevestigd + 6).contains(&opgeslagen),
        "acknowledged {bevestigd}, stored {opgeslagen}"
    );
    assert!(
        d.log().contains("lopende verzoeken worden afgewerkt"),
        "{}",
        d.log()
    );
}

fn a_database_that_cannot_be_written_gives_a_503_page_with_the_answers_kept_and_recovers(
    engine: Engine,
) {
    let d = Dienst::start_op(engine);
    let f = formulier(&d, "/enquete/ouders");
    // Another connection holds the write lock longer than the service waits (5 s).
    let blokkeer = d.check().houd_schrijfslot();
    let r = d.post_form("/enquete/ouders", f.body("Bewaar mij straks").as_bytes());
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("niet bewaren"), "{}", r.body);
    assert!(r.body.contains("Bewaar mij straks"), "answers kept");
    assert!(r.body.contains(" checked"), "choices kept");
    drop(blokkeer);
    // The person sends the same page again: now it is stored.
    let opnieuw = Formulier::uit(&r.body);
    let r = d.post_form(
        "/enquete/ouders",
        opnieuw.body("Bewaar mij straks").as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(d.aantal_inzendingen(), 1);
}

fn onvolledig_body(f: &Formulier) -> String {
    f.body("x")
        .split('&')
        .filter(|v| !v.starts_with(&format!("{}=", f.keuzes[2].0)))
        .collect::<Vec<_>>()
        .join("&")
}

fn neither_the_database_nor_the_log_holds_the_clients_address_or_user_agent(engine: Engine) {
    // The service listens on 127.0.0.3; the client connects from 127.0.0.1, an address that
    // then appears nowhere else.
    let mut d = Dienst::start_met(Opties {
        bind: "127.0.0.3:0",
        ..Opties::op(engine)
    });
    let ua = "ZorgTestBrowser/9.9 (uniek-ua-7781)";
    let doorgestuurd = "203.0.113.77";
    let koppen = [
        ("User-Agent", ua),
        ("X-Forwarded-For", doorgestuurd),
        ("X-Real-IP", doorgestuurd),
        ("Forwarded", "for=203.0.113.77"),
        ("Cookie", "sessie=koekje-5521"),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let client = std::net::TcpStream::connect(d.adres).unwrap();
    assert_eq!(
        client.local_addr().unwrap().ip().to_string(),
        "127.0.0.1",
        "the client's address differs from the server's"
    );
    drop(client);
    for pad in ["/enquete/ouders", "/enquete/ouders/kiosk"] {
        let page = d.verzoek("GET", pad, &koppen, b"");
        let f = Formulier::uit(&page.body);
        let r = d.verzoek("POST", pad, &koppen, f.body("hallo").as_bytes());
        assert_eq!(r.status, 303);
        // A refused one too: errors are logged as well.
        let r = d.verzoek("POST", pad, &koppen, b"csrf=x&zorg-aanspreekpunt=9");
        assert_eq!(r.status, 403);
    }
    d.get("/enquete/ouders?code=ABCD-EFGH");
    assert!(d.stop(), "graceful stop exits 0");
    assert_eq!(d.aantal_inzendingen(), 2);

    let log = d.log();
    assert!(log.contains("verzoek"), "request logging was on:\n{log}");
    let mut bestanden = vec![("log".to_string(), log.into_bytes())];
    // Every file of the SQLite database, or a dump of the PostgreSQL one.
    bestanden.extend(d.check().alles());
    for (naam, bytes) in &bestanden {
        for verboden in [
            "127.0.0.1",
            doorgestuurd,
            ua,
            "uniek-ua-7781",
            "koekje-5521",
            "ABCD-EFGH",
        ] {
            assert!(
                !contains(bytes, verboden.as_bytes()),
                "{naam} contains {verboden:?}"
            );
        }
    }
}

/// SQLite only: the file, its `user_version` and WAL mode (PostgreSQL's schema version is
/// checked in `storage::pg`'s own tests).
#[test]
fn the_database_is_created_with_its_folder_and_versioned_schema() {
    let d = Dienst::start();
    assert!(d.db.is_file());
    let conn = d.db();
    let versie: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert!(versie >= 1);
    let modus: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(modus, "wal");
    // The item texts of both questionnaires are kept for later reports.
    let vragen: i64 = conn
        .query_row("SELECT count(*) FROM vraag", [], |r| r.get(0))
        .unwrap();
    assert!(vragen >= 20, "{vragen}");
    // The site is served at / next to the surveys.
    let home = d.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let css = d.get("/enquete.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert_eq!(d.get("/bestaat/niet/").status, 404);
}

#[test]
fn a_broken_questionnaire_stops_start_up_with_file_line_and_column() {
    let (tmp, root) = copy_of_content("enquete-kapot");
    let pad = root.join("enquetes").join("ouders.toml");
    let tekst = std::fs::read_to_string(&pad).unwrap();
    std::fs::write(
        &pad,
        tekst.replacen("categorie = \"leren\"", "categorie = \"lren\"", 1),
    )
    .unwrap();
    let regel = std::fs::read_to_string(&pad)
        .unwrap()
        .lines()
        .position(|l| l.contains("\"lren\""))
        .unwrap()
        + 1;
    let db = tmp.path().join("db.sqlite");
    let (ok, _, err) = enquete_common::serve_op(&root, &db);
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "enquetes/ouders.toml:{regel}:13: fout: onbekende categorie `lren`"
        )),
        "{err}"
    );
    assert!(err.contains("bedoel je `leren`?"), "{err}");
}
