//! The dashboard over real HTTP on loopback, with the real binary on a SQLite file and on a
//! PostgreSQL database (every test here through `op_elke_engine!`: accounts, sessions, the
//! audit log and staff entry all live in the database): every route of the route table needs a
//! session, every POST needs the session's token, wrong passwords are throttled, cookies are
//! strict, and staff entry validates like the public form.

mod beheer_common;
mod enquete_common;

use beheer_common::*;
use enquete_common::{Dienst, Engine, Formulier, op_elke_engine, urlencode};
use zorgenquete::web::beheer::{Methode, ROUTES, Toegang};

op_elke_engine!(
    every_route_without_a_session_redirects_to_login,
    posts_without_a_valid_token_are_refused,
    wrong_passwords_are_throttled_without_revealing_names,
    sessions_use_strict_cookies_and_end_at_logout,
    roles_periods_codes_and_users_from_the_dashboard,
    staff_entry_validates_like_the_public_form_and_stores_the_channel,
    the_gebruiker_command_line,
);

fn dienst_met_beheerder(engine: Engine) -> Dienst {
    let d = Dienst::start_op(engine);
    maak_gebruiker(&d, "an", "beheer");
    d
}

fn every_route_without_a_session_redirects_to_login(engine: Engine) {
    let d = dienst_met_beheerder(engine);
    let beschermd: Vec<_> = ROUTES
        .iter()
        .filter(|r| r.toegang != Toegang::Publiek)
        .collect();
    assert!(beschermd.len() >= 10, "the table lists the dashboard");
    // Public: only the login page.
    assert!(
        ROUTES
            .iter()
            .filter(|r| r.toegang == Toegang::Publiek)
            .all(|r| r.pad == "/beheer/login")
    );
    let nep = format!("beheer_sessie={}", "ab".repeat(32));
    for route in beschermd {
        let pad = concreet(route.pad);
        for cookie in ["", "beheer_sessie=", nep.as_str()] {
            let r = match route.methode {
                Methode::Get => get(&d, cookie, &pad),
                Methode::Post => post(
                    &d,
                    cookie,
                    &pad,
                    "csrf=x&vragenlijst=ouders&periode=2025-2026",
                ),
            };
            assert_eq!(
                r.status, 303,
                "{:?} {pad} with cookie {cookie:?}",
                route.methode
            );
            assert_eq!(r.header("location"), Some("/beheer/login"), "{pad}");
            assert!(r.header("set-cookie").is_none(), "{pad}");
        }
    }
    // Nothing happened: the open period is still open.
    let open = d.getal("SELECT open FROM periode WHERE vragenlijst = 'ouders'");
    assert_eq!(open, 1);
}

fn posts_without_a_valid_token_are_refused(engine: Engine) {
    let d = dienst_met_beheerder(engine);
    // The login form itself needs its token.
    let r = d.post_form(
        "/beheer/login",
        format!("naam=an&wachtwoord={}", urlencode(WACHTWOORD)).as_bytes(),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("verlopen"), "Dutch page: {}", r.body);

    let cookie = aanmelden(&d, "an");
    let ander = aanmelden(&d, "an");
    let token_ander = token(&d, &ander);
    for route in ROUTES.iter().filter(|r| r.methode == Methode::Post) {
        let pad = concreet(route.pad);
        let cookie = if route.toegang == Toegang::Publiek {
            ""
        } else {
            cookie.as_str()
        };
        for body in [
            "vragenlijst=ouders&periode=2025-2026&naam=an".to_string(),
            "csrf=&vragenlijst=ouders&periode=2025-2026".to_string(),
            // A token of another session does not work here.
            format!("csrf={token_ander}&vragenlijst=ouders&periode=2025-2026&naam=an"),
        ] {
            let r = post(&d, cookie, &pad, &body);
            assert_eq!(r.status, 403, "{pad} {body}: {}", r.body);
            assert!(r.body.contains("Dit formulier is verlopen"), "{pad}");
        }
        // From another site, even with the right token.
        let r = d.verzoek(
            "POST",
            &pad,
            &[
                ("Cookie", cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Sec-Fetch-Site", "cross-site"),
            ],
            format!(
                "csrf={}&vragenlijst=ouders&periode=2025-2026",
                token(&d, &ander)
            )
            .as_bytes(),
        );
        assert_eq!(r.status, 403, "{pad} cross-site");
    }
    let open = d.getal("SELECT open FROM periode WHERE vragenlijst = 'ouders'");
    assert_eq!(open, 1, "nothing was closed");
    assert_eq!(d.aantal_inzendingen(), 0, "nothing was stored");
}

fn wrong_passwords_are_throttled_without_revealing_names(engine: Engine) {
    let d = dienst_met_beheerder(engine);
    let onbekend = probeer_aanmelden(&d, "niemand", "fout wachtwoord 1");
    let fout = probeer_aanmelden(&d, "an", "fout wachtwoord 1");
    assert_eq!(onbekend.status, 401);
    assert_eq!(fout.status, 401);
    let melding = |b: &str| {
        b.split("role=\"alert\"")
            .nth(1)
            .map(|s| s[..200].to_string())
    };
    assert_eq!(
        melding(&onbekend.body),
        melding(&fout.body),
        "same answer for unknown names"
    );
    for i in 2..=5 {
        let r = probeer_aanmelden(&d, "an", &format!("fout wachtwoord {i}"));
        assert_eq!(r.status, 401, "attempt {i}");
    }
    // Now even the right password has to wait.
    let r = probeer_aanmelden(&d, "an", WACHTWOORD);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("te veel foute pogingen"), "{}", r.body);
    assert!(r.header("set-cookie").is_none());
    // Another account is not locked out by this.
    maak_gebruiker(&d, "bo", "zorgteam");
    assert!(aanmelden(&d, "bo").starts_with("beheer_sessie="));

    // The audit log has the failures, with known names only; the log has no passwords.
    let rijen: Vec<(String, String)> = d
        .rijen("SELECT gebruiker, gebeurtenis FROM audit ORDER BY id")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(rijen[0], ("(onbekend)".into(), "aanmelden-mislukt".into()));
    assert_eq!(rijen[1], ("an".into(), "aanmelden-mislukt".into()));
    assert!(rijen.contains(&("bo".into(), "aangemeld".into())));
    assert!(!rijen.iter().any(|(g, _)| g == "niemand"));
    let log = d.log();
    assert!(
        !log.contains("fout wachtwoord") && !log.contains(WACHTWOORD),
        "{log}"
    );
}

fn sessions_use_strict_cookies_and_end_at_logout(engine: Engine) {
    let d = dienst_met_beheerder(engine);
    let r = probeer_aanmelden(&d, "an", WACHTWOORD);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/beheer/"));
    let set = r.header("set-cookie").unwrap().to_string();
    for deel in ["HttpOnly", "SameSite=Strict", "Path=/beheer", "Max-Age="] {
        assert!(set.contains(deel), "{set}");
    }
    assert!(!set.contains("Secure"), "plain http here: {set}");
    let cookie = set.split(';').next().unwrap().to_string();
    let id = cookie.trim_start_matches("beheer_sessie=");
    assert_eq!(id.len(), 64);
    // Only a hash of the id is in the database: 32 bytes, and the id itself (as sent, and as
    // a dump shows bytes) nowhere.
    assert_eq!(d.getal("SELECT length(hash) FROM sessie"), 32);
    for (naam, bytes) in d.check().alles() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(id),
            "the session id in {naam}"
        );
    }

    let home = get(&d, &cookie, "/beheer/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Aangemeld als <strong>an</strong>"));
    assert_eq!(home.header("cache-control"), Some("no-store"));

    let t = token(&d, &cookie);
    let r = post(&d, &cookie, "/beheer/afmelden", &format!("csrf={t}"));
    assert_eq!(r.status, 303);
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    let na = get(&d, &cookie, "/beheer/");
    assert_eq!(na.status, 303, "the old cookie no longer works");
}

fn roles_periods_codes_and_users_from_the_dashboard(engine: Engine) {
    let d = dienst_met_beheerder(engine);
    maak_gebruiker(&d, "zorg", "zorgteam");
    let team = aanmelden(&d, "zorg");
    let team_token = token(&d, &team);
    let r = get(&d, &team, "/beheer/gebruikers");
    assert_eq!(r.status, 403);
    let r = post(
        &d,
        &team,
        "/beheer/periode/sluit",
        &format!("csrf={team_token}&vragenlijst=ouders&periode=2025-2026"),
    );
    assert_eq!(r.status, 403, "zorgteam cannot close periods");
    let home = get(&d, &team, "/beheer/");
    assert!(
        !home.body.contains("sluiten</button>"),
        "no admin buttons for zorgteam"
    );

    let an = aanmelden(&d, "an");
    let t = token(&d, &an);
    let home = get(&d, &an, "/beheer/");
    assert!(
        home.body.contains("Periode 2025-2026 sluiten"),
        "{}",
        home.body
    );
    let r = post(
        &d,
        &an,
        "/beheer/periode/sluit",
        &format!("csrf={t}&vragenlijst=ouders&periode=2025-2026"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(
        &d,
        &an,
        "/beheer/periode/open",
        &format!("csrf={t}&vragenlijst=ouders&periode=2026-2027&uitgenodigd=120"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(
        &d,
        &an,
        "/beheer/periode/open",
        &format!("csrf={t}&vragenlijst=ouders&periode=2027-2028"),
    );
    assert_eq!(r.status, 409, "only one open period");
    assert!(r.body.contains("nog open"), "{}", r.body);
    let r = post(
        &d,
        &an,
        "/beheer/periode/open",
        &format!("csrf={t}&vragenlijst=ouders&periode=%3Cb%3E"),
    );
    assert_eq!(r.status, 400);
    let home = get(&d, &an, "/beheer/");
    assert!(
        home.body.contains(
            "<th scope=\"row\">2026-2027</th><td>open: resultaten na het sluiten</td><td>120</td>"
        ),
        "{}",
        home.body
    );

    let r = post(
        &d,
        &an,
        "/beheer/codes",
        &format!("csrf={t}&vragenlijst=ouders&periode=2026-2027&aantal=3"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains("brieven-ouders-2026-2027.html")
    );
    let codes = d.getal("SELECT count(*) FROM code WHERE periode = '2026-2027'");
    assert_eq!(codes, 3);

    // Users: add, refuse a short password, remove; the last admin stays.
    let r = post(
        &d,
        &an,
        "/beheer/gebruikers/maak",
        &format!("csrf={t}&naam=cis&rol=zorgteam&wachtwoord=kort"),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("te kort"));
    let r = post(
        &d,
        &an,
        "/beheer/gebruikers/maak",
        &format!(
            "csrf={t}&naam=cis&rol=zorgteam&wachtwoord={}",
            urlencode(WACHTWOORD)
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(aanmelden(&d, "cis").starts_with("beheer_sessie="));
    let r = post(
        &d,
        &an,
        "/beheer/gebruikers/verwijder",
        &format!("csrf={t}&naam=cis"),
    );
    assert_eq!(r.status, 303);
    let r = post(
        &d,
        &an,
        "/beheer/gebruikers/verwijder",
        &format!("csrf={t}&naam=an"),
    );
    assert_eq!(r.status, 400, "last admin");
    let pagina = get(&d, &an, "/beheer/gebruikers");
    assert!(pagina.body.contains("maakte cis (zorgteam)"), "audit shown");
    assert!(pagina.body.contains("3 codes voor ouders 2026-2027"));
}

fn staff_entry_validates_like_the_public_form_and_stores_the_channel(engine: Engine) {
    let d = dienst_met_beheerder(engine);
    let an = aanmelden(&d, "an");
    let pagina = get(&d, &an, "/beheer/invoer/ouders/papier");
    assert_eq!(pagina.status, 200, "{}", pagina.body);
    assert!(
        pagina
            .body
            .contains("action=\"/beheer/invoer/ouders/papier\"")
    );
    let form = Formulier::uit(&pagina.body);
    // Incomplete: the first choice is missing; the answers come back.
    let mut onvolledig = Formulier {
        keuzes: form.keuzes[1..].to_vec(),
        ..Formulier::uit(&pagina.body)
    };
    onvolledig.teksten = form.teksten.clone();
    let r = post(
        &d,
        &an,
        "/beheer/invoer/ouders/papier",
        &onvolledig.body("Meer <b>overleg</b>"),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("Kies een antwoord bij vraag 1"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("Meer &lt;b&gt;overleg&lt;/b&gt;"),
        "answers kept, escaped"
    );
    assert_eq!(d.aantal_inzendingen(), 0);

    let r = post(
        &d,
        &an,
        "/beheer/invoer/ouders/papier",
        &form.body("Meer overleg"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some("/beheer/invoer/ouders/papier?klaar=1")
    );
    let r = post(&d, &an, "/beheer/invoer/ouders/mondeling", &form.body(""));
    assert_eq!(r.status, 303, "{}", r.body);
    let kanalen = d.kolom("SELECT kanaal FROM inzending ORDER BY kanaal");
    assert_eq!(kanalen, ["mondeling", "papier"]);
    // Only paper and oral answers can be entered here.
    assert_eq!(get(&d, &an, "/beheer/invoer/ouders/online").status, 404);
    // The overview counts them per channel, but a channel below the minimum group only as
    // "minder dan 5" (issue 14: the one answer given in a conversation is not pointed out).
    let home = get(&d, &an, "/beheer/");
    assert!(
        home.body.contains(
            "<td>minder dan 5</td><td>minder dan 5</td><td>minder dan 5</td><td>minder dan 5</td>"
        ),
        "{}",
        home.body
    );
    assert!(!home.body.contains("<td>1 (3 %)</td>"), "{}", home.body);
    // Staff entry is audited as counts: who typed in how many per channel, nothing else.
    let invoer = d.rijen("SELECT gebruiker, kanaal, aantal FROM invoer ORDER BY kanaal");
    assert_eq!(invoer, [["an", "mondeling", "1"], ["an", "papier", "1"]]);
    // No time is stored anywhere near the answers: the audit log has no entry for them.
    let audit = d.getal("SELECT count(*) FROM audit WHERE gebeurtenis NOT LIKE 'aan%'");
    assert_eq!(audit, 0);
}

fn the_gebruiker_command_line(engine: Engine) {
    let d = dienst_met_beheerder(engine);
    let (ok, _, err) = gebruiker_cli(&d, &["maak", "bo", "--rol", "zorgteam"], "kort\n");
    assert!(!ok);
    assert!(err.contains("fout: het wachtwoord is te kort"), "{err}");
    let (ok, _, err) = gebruiker_cli(
        &d,
        &["maak", "bo", "--rol", "baas"],
        "lang genoeg wachtwoord\n",
    );
    assert!(!ok && err.contains("--rol beheer"), "{err}");
    let (ok, _, err) = gebruiker_cli(
        &d,
        &["maak", "an", "--rol", "zorgteam"],
        "lang genoeg wachtwoord\n",
    );
    assert!(!ok && err.contains("er is al een gebruiker `an`"), "{err}");
    maak_gebruiker(&d, "bo", "zorgteam");
    let (ok, out, _) = gebruiker_cli(&d, &["lijst"], "");
    assert!(ok);
    assert!(
        out.contains("an") && out.contains("beheer") && out.contains("bo"),
        "{out}"
    );
    let sessie = aanmelden(&d, "bo");
    let (ok, _, err) = gebruiker_cli(&d, &["wachtwoord", "bo"], "een heel nieuw wachtwoord\n");
    assert!(ok, "{err}");
    assert_eq!(
        get(&d, &sessie, "/beheer/").status,
        303,
        "sessions end with a new password"
    );
    assert_eq!(
        probeer_aanmelden(&d, "bo", "een heel nieuw wachtwoord").status,
        303
    );
    let (ok, _, _) = gebruiker_cli(&d, &["verwijder", "bo"], "");
    assert!(ok);
    let (ok, _, err) = gebruiker_cli(&d, &["verwijder", "an"], "");
    assert!(!ok && err.contains("laatste"), "{err}");
    let hash = d.tekst("SELECT hash FROM gebruiker WHERE naam = 'an'");
    assert!(hash.starts_with("$argon2id$"));
}
