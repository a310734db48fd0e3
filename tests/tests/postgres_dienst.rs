//! `zorgenquete serve` on PostgreSQL (issue 17), over real HTTP against the real binary, with a
//! fresh database on the test harness's throwaway server (`e2e::postgres`; without PostgreSQL
//! these tests print that they did not run, with `CI=true` they fail):
//! - one school: parents answer (online, and with a code), staff log in, close and open
//!   periods, make codes, add an account and log out; the CLI (`periode`, `codes`, `gebruiker`)
//!   works on the same database;
//! - (durability after `kill -9` on PostgreSQL is `duurzaamheid.rs`, which runs on both
//!   engines; so do the survey, dashboard, results and hostile-input suites);
//! - a group of two schools sharing one database: each school's answers, codes and accounts
//!   land in its own schema only, and a session of one school (or of the group level) gets the
//!   403 page for another school's session on every route and export of the others.

mod beheer_common;
mod enquete_common;

use std::io::Write;
use std::process::{Command, Stdio};

use beheer_common::{
    WACHTWOORD, aanmelden, get, groep_routes, isolatie_verzoeken, maak_gebruiker,
    overal_andere_school, post, school_routes, token,
};
use enquete_common::{Dienst, Opties, binary, cli, urlencode, workspace_root};

/// The schema of a service of one school.
const SCHEMA: &str = "zorgenquete";

#[test]
fn a_school_on_postgres_takes_answers_and_is_run_from_the_dashboard_and_the_cli() {
    let Some(server) = e2e::postgres::server(
        "a_school_on_postgres_takes_answers_and_is_run_from_the_dashboard_and_the_cli",
    ) else {
        return;
    };
    let db = server.databank();
    let url = db.url();
    // `periode open` (CLI, on PostgreSQL) runs before the service starts.
    let d = Dienst::start_met(Opties {
        db: Some(url.clone()),
        ..Opties::default()
    });
    let aantal = |sql: &str| db.getal(&sql.replace("$s", SCHEMA));

    // A parent answers online.
    let r = d.vul_in("/enquete/ouders", "online op postgres");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(aantal("SELECT count(*) FROM $s.inzending"), 1);
    assert_eq!(
        aantal("SELECT inzendingen FROM $s.periode WHERE naam = '2025-2026'"),
        1
    );

    // The CLI: an account, the list of periods.
    maak_gebruiker(&d, "an", "beheer");
    let (ok, out, err) = cli(&["periode", "lijst", "--db", &url]);
    assert!(ok, "{err}");
    assert!(out.contains("2025-2026") && out.contains("open"), "{out}");
    let (ok, out, err) = beheer_common::gebruiker_cli(&d, &["lijst"], "");
    assert!(ok, "{err}");
    assert!(out.contains("an") && out.contains("beheer"), "{out}");

    // Staff log in; the overview shows the period.
    let an = aanmelden(&d, "an");
    let t = token(&d, &an);
    let home = get(&d, &an, "/beheer/");
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("2025-2026"), "{}", home.body);

    // Close it, open the next one, make codes on the dashboard.
    let r = post(
        &d,
        &an,
        "/beheer/periode/sluit",
        &format!("csrf={t}&vragenlijst=ouders&periode=2025-2026"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        aantal("SELECT count(*) FROM $s.periode WHERE open"),
        0,
        "closed"
    );
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
    assert_eq!(
        aantal("SELECT count(*) FROM $s.code WHERE periode = '2026-2027'"),
        3
    );

    // Two more codes with the CLI; a parent answers with one of them, once.
    let (ok, out, err) = cli(&[
        "codes",
        "ouders",
        "2026-2027",
        "--aantal",
        "2",
        "--db",
        &url,
    ]);
    assert!(ok, "{err}");
    let codes: Vec<&str> = out.lines().collect();
    assert_eq!(codes.len(), 2, "{out}");
    let f = d.vers_formulier("/enquete/ouders");
    let zonder = d.post_form("/enquete/ouders", f.body("zonder code").as_bytes());
    assert_eq!(zonder.status, 400, "a period with codes needs one online");
    let met = format!("{}&code={}", f.body("met code"), urlencode(codes[0]));
    let r = d.post_form("/enquete/ouders", met.as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
    let f = d.vers_formulier("/enquete/ouders");
    let nog_eens = format!("{}&code={}", f.body("nog eens"), urlencode(codes[0]));
    assert_ne!(
        d.post_form("/enquete/ouders", nog_eens.as_bytes()).status,
        303,
        "a used code"
    );
    assert_eq!(
        aantal("SELECT count(*) FROM $s.code WHERE gebruikt"),
        1,
        "one code used"
    );
    assert_eq!(
        aantal("SELECT count(*) FROM $s.inzending WHERE periode = '2026-2027'"),
        1
    );

    // An account made on the dashboard logs in; the audit log has every step.
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
    let cis = aanmelden(&d, "cis");
    assert_eq!(get(&d, &cis, "/beheer/").status, 200);
    assert_eq!(get(&d, &cis, "/beheer/gebruikers").status, 403, "zorgteam");
    let pagina = get(&d, &an, "/beheer/gebruikers");
    assert_eq!(pagina.status, 200, "{}", pagina.body);
    for regel in [
        "maakte cis (zorgteam)",
        "3 codes voor ouders 2026-2027",
        "periode 2026-2027 van ouders is open",
        "periode 2025-2026 van ouders is gesloten",
    ] {
        assert!(pagina.body.contains(regel), "{regel}: {}", pagina.body);
    }
    assert_eq!(
        aantal("SELECT count(*) FROM $s.audit WHERE gebeurtenis = 'aangemeld'"),
        2
    );

    // Logging out ends the session.
    let t_cis = token(&d, &cis);
    let r = post(&d, &cis, "/beheer/afmelden", &format!("csrf={t_cis}"));
    assert_eq!(r.status, 303, "{}", r.body);
    let r = get(&d, &cis, "/beheer/");
    assert_eq!(r.status, 303, "back to the login page");
    assert_eq!(
        aantal("SELECT count(*) FROM $s.sessie s WHERE s.gebruiker = 'cis'"),
        0
    );

    // Nothing landed outside the school's schema.
    assert_eq!(
        db.getal("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"),
        0
    );
}

#[test]
fn two_schools_share_one_postgres_database_and_nothing_else() {
    let Some(server) =
        e2e::postgres::server("two_schools_share_one_postgres_database_and_nothing_else")
    else {
        return;
    };
    let db = server.databank();
    let url = db.url();
    let tmp = e2e::TempDir::new("pg-groep");
    let dir = tmp.path().to_path_buf();
    for school in ["a", "b"] {
        e2e::copy_dir(&workspace_root().join("content"), &dir.join(school));
    }
    let config = dir.join("groep.toml");
    std::fs::write(
        &config,
        format!(
            "publieke_url = \"http://groep.test\"\ndb = \"{url}\"\ntheme = \"{}\"\n\n\
             [[school]]\nid = \"a\"\nroot = \"a\"\n\n\
             [[school]]\nid = \"b\"\nroot = \"b\"\n",
            workspace_root().join("site").display()
        ),
    )
    .unwrap();
    let c = config.to_str().unwrap().to_string();
    let groep_cli = |school: &str, args: &[&str]| -> String {
        let (ok, out, err) = cli(&[&["--config", &c, "--school", school], args].concat());
        assert!(ok, "{args:?} for {school}: {out}{err}");
        out
    };
    groep_cli("a", &["periode", "open", "ouders", "2025-2026"]);
    groep_cli("b", &["periode", "open", "ouders", "2025-2026"]);
    let codes_b: Vec<String> = groep_cli("b", &["codes", "ouders", "2025-2026", "--aantal", "2"])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(codes_b.len(), 2);
    // Accounts made with the password on stdin: one of school a, one of the group.
    let maak = |args: &[&str]| {
        let mut kind = Command::new(binary())
            .args([&["--config", &c][..], args].concat())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        kind.stdin
            .take()
            .unwrap()
            .write_all(format!("{WACHTWOORD}\n").as_bytes())
            .unwrap();
        let out = kind.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    maak(&[
        "--school",
        "a",
        "gebruiker",
        "maak",
        "an",
        "--rol",
        "beheer",
    ]);
    maak(&["gebruiker", "maak", "coordinator", "--groep"]);

    let args = ["serve", "--config", &c, "--bind", "127.0.0.1:0"]
        .map(String::from)
        .to_vec();
    let d = Dienst::start_args(tmp, dir.join("niet-gebruikt"), args);
    let aantal =
        |school: &str, sql: &str| db.getal(&sql.replace("$s", &format!("\"school_{school}\"")));

    // Two answers for a (online, no codes); one for b with b's code.
    for tekst in ["voor a", "nog voor a"] {
        let r = d.vul_in("/a/enquete/ouders", tekst);
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let f = d.vers_formulier("/b/enquete/ouders");
    let r = d.post_form(
        "/b/enquete/ouders",
        format!("{}&code={}", f.body("voor b"), urlencode(&codes_b[0])).as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/b/enquete/ouders/bedankt"));

    assert_eq!(aantal("a", "SELECT count(*) FROM $s.inzending"), 2);
    assert_eq!(aantal("b", "SELECT count(*) FROM $s.inzending"), 1);
    assert_eq!(
        aantal(
            "a",
            "SELECT count(*) FROM $s.inzending WHERE antwoorden LIKE '%voor b%'"
        ),
        0
    );
    assert_eq!(aantal("a", "SELECT count(*) FROM $s.code"), 0);
    assert_eq!(
        aantal("b", "SELECT count(*) FROM $s.code WHERE gebruikt"),
        1
    );
    // Each schema is claimed by its school and has its own secret.
    assert_eq!(db.sql("SELECT id FROM \"school_a\".school").trim(), "a");
    assert_eq!(db.sql("SELECT id FROM \"school_b\".school").trim(), "b");
    assert_eq!(
        db.getal(
            "SELECT count(*) FROM \"school_a\".geheim a JOIN \"school_b\".geheim b
             ON a.naam = b.naam AND a.waarde = b.waarde"
        ),
        0,
        "no secret shared"
    );

    // a's account logs in on a, not on b; the session works on a only.
    assert_eq!(aantal("a", "SELECT count(*) FROM $s.gebruiker"), 1);
    assert_eq!(aantal("b", "SELECT count(*) FROM $s.gebruiker"), 0);
    // `naam` logs in at `<prefix>/beheer/login` (a school's, or the group's).
    let login = |prefix: &str, naam: &str| {
        let pad = format!("/{prefix}/beheer/login");
        let page = d.get(&pad);
        assert_eq!(page.status, 200, "{}", page.body);
        let token = enquete_common::attribuut(&page.body, "name=\"csrf\"", "value")
            .unwrap()
            .to_string();
        d.post_form(
            &pad,
            format!(
                "csrf={token}&naam={naam}&wachtwoord={}",
                urlencode(WACHTWOORD)
            )
            .as_bytes(),
        )
    };
    let cookie_van = |r: &enquete_common::Antwoord| -> String {
        r.header("set-cookie")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(login("b", "an").status, 401, "no account an on b");
    let r = login("a", "an");
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = cookie_van(&r);
    let home = get(&d, &cookie, "/a/beheer/");
    assert_eq!(home.status, 200, "{}", home.body);
    assert_ne!(get(&d, &cookie, "/b/beheer/").status, 200);
    assert_eq!(
        aantal(
            "a",
            "SELECT count(*) FROM $s.audit WHERE gebeurtenis = 'aangemeld'"
        ),
        1
    );
    assert_eq!(
        aantal(
            "b",
            "SELECT count(*) FROM $s.audit WHERE gebeurtenis = 'aanmelden-mislukt'"
        ),
        1,
        "b logs its own failed login"
    );

    // The group level on PostgreSQL: its accounts live in a schema of their own, claimed as
    // the group's; a school's account does not get in, the group's does and sees both schools.
    assert_eq!(
        db.sql("SELECT id FROM \"school_groep\".school").trim(),
        "groep"
    );
    assert_eq!(
        db.sql("SELECT naam FROM \"school_groep\".gebruiker").trim(),
        "coordinator"
    );
    assert_eq!(
        login("groep", "an").status,
        401,
        "a school's account is not the group's"
    );
    let r = login("groep", "coordinator");
    assert_eq!(r.status, 303, "{}", r.body);
    let groep_cookie = cookie_van(&r);
    let overzicht = get(&d, &groep_cookie, "/groep/beheer/");
    assert_eq!(overzicht.status, 200, "{}", overzicht.body);
    assert!(
        overzicht
            .body
            .contains("Nog geen enkele school heeft een periode van deze vragenlijst gesloten"),
        "{}",
        overzicht.body
    );
    // School a reaches the minimum group and closes its period: the group page reads a's
    // five answers from a's schema; b's period is still open, so b shows nothing.
    for tekst in ["drie", "vier", "vijf"] {
        let r = d.vul_in("/a/enquete/ouders", tekst);
        assert_eq!(r.status, 303, "{}", r.body);
    }
    groep_cli("a", &["periode", "sluit", "ouders", "2025-2026"]);
    let overzicht = get(&d, &groep_cookie, "/groep/beheer/");
    assert_eq!(overzicht.status, 200, "{}", overzicht.body);
    assert!(
        overzicht.body.contains("<td data-antwoorden>5</td>"),
        "{}",
        overzicht.body
    );
    assert!(
        overzicht
            .body
            .contains("nog geen resultaten (periode niet gesloten)"),
        "{}",
        overzicht.body
    );
    assert_ne!(get(&d, &groep_cookie, "/a/beheer/").status, 200);

    // The isolation walk on one shared database: a's session at b, the group's at a and b,
    // a's at the group level: one 403 page on every route and export, naming nothing; nothing
    // lands in b's schema.
    let voor_b = |sql: &str| aantal("b", sql);
    let audit_b = voor_b("SELECT count(*) FROM $s.audit");
    let csrf = |pad: &str, cookie: &str| {
        let r = get(&d, cookie, pad);
        assert_eq!(r.status, 200, "{pad}: {}", r.body);
        enquete_common::attribuut(&r.body, "name=\"csrf\"", "value")
            .unwrap()
            .to_string()
    };
    let token_a = csrf("/a/beheer/", &cookie);
    let token_groep = csrf("/groep/beheer/", &groep_cookie);
    let via_prefix = |prefix: &'static str| {
        let d = &d;
        move |m: &str, pad: &str, h: &[(&str, &str)], body: &[u8]| {
            d.verzoek(m, &format!("{prefix}{pad}"), h, body)
        }
    };
    let namen = ["De Linde", "coordinator", "2025-2026", "Scholengroep"];
    overal_andere_school(
        via_prefix("/b"),
        &cookie,
        &isolatie_verzoeken(&school_routes(), &token_a, "2025-2026", "an"),
        &namen,
        "/b/beheer/login",
    );
    for (prefix, login) in [("/a", "/a/beheer/login"), ("/b", "/b/beheer/login")] {
        overal_andere_school(
            via_prefix(prefix),
            &groep_cookie,
            &isolatie_verzoeken(&school_routes(), &token_groep, "2025-2026", "an"),
            &namen,
            login,
        );
    }
    overal_andere_school(
        via_prefix("/groep"),
        &cookie,
        &isolatie_verzoeken(&groep_routes(), &token_a, "2025-2026", "coordinator"),
        &namen,
        "/groep/beheer/login",
    );
    assert_eq!(voor_b("SELECT count(*) FROM $s.audit"), audit_b);
    assert_eq!(voor_b("SELECT count(*) FROM $s.sessie"), 0);
    assert_eq!(voor_b("SELECT count(*) FROM $s.gebruiker"), 0);
    assert_eq!(voor_b("SELECT count(*) FROM $s.periode WHERE open"), 1);
    assert_eq!(voor_b("SELECT count(*) FROM $s.code"), 2);
    assert_eq!(voor_b("SELECT count(*) FROM $s.inzending"), 1);
    // Both sessions still work where they belong.
    assert_eq!(get(&d, &cookie, "/a/beheer/").status, 200);
    assert_eq!(get(&d, &groep_cookie, "/groep/beheer/").status, 200);
}

#[test]
fn a_kiosk_on_postgres_takes_answers_until_every_kiosk_is_stopped() {
    let Some(server) =
        e2e::postgres::server("a_kiosk_on_postgres_takes_answers_until_every_kiosk_is_stopped")
    else {
        return;
    };
    let db = server.databank();
    let d = Dienst::start_met(Opties {
        db: Some(db.url()),
        ..Opties::default()
    });
    // A staff member switches this device to a kiosk on the dashboard (and is logged out).
    let kiosk = d.kiosk_aan("ouders");
    let k = enquete_common::Formulier::uit(&d.kiosk_get(&kiosk, "/enquete/ouders/kiosk").body);
    let r = d.kiosk_post(
        &kiosk,
        "/enquete/ouders/kiosk",
        k.body("aan de kiosk").as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/enquete/ouders/kiosk?klaar=1"));
    assert_eq!(
        db.getal("SELECT count(*) FROM zorgenquete.inzending WHERE kanaal = 'kiosk'"),
        1
    );
    assert_eq!(
        db.getal("SELECT count(*) FROM zorgenquete.sessie"),
        0,
        "the kiosk device carries no dashboard session"
    );

    // "Alle kiosken stoppen": a new key, the cookie is worthless.
    maak_gebruiker(&d, "an", "beheer");
    let an = aanmelden(&d, "an");
    let t = token(&d, &an);
    let sleutel =
        db.sql("SELECT encode(waarde, 'hex') FROM zorgenquete.geheim WHERE naam = 'kiosk'");
    let r = post(&d, &an, "/beheer/kiosk/stop-alle", &format!("csrf={t}"));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_ne!(
        db.sql("SELECT encode(waarde, 'hex') FROM zorgenquete.geheim WHERE naam = 'kiosk'"),
        sleutel
    );
    let r = d.kiosk_get(&kiosk, "/enquete/ouders/kiosk");
    assert!(r.body.contains("action=\"/enquete/ouders\""), "stopped");
    let log = db.sql(
        "SELECT gebruiker || ': ' || detail FROM zorgenquete.audit WHERE gebeurtenis = 'kiosk' ORDER BY id",
    );
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            "kiosk.zetter: kiosk aangezet voor ouders (tot het einde van de dag)",
            "an: alle kiosken gestopt"
        ]
    );
    // The key survives a restart (a kiosk switched on this morning keeps working).
    let kiosk = d.kiosk_aan("ouders");
    let mut d = d;
    d.stop();
    d.herstart();
    assert!(
        d.kiosk_get(&kiosk, "/enquete/ouders/kiosk")
            .body
            .contains("Kiosk stoppen"),
        "still a kiosk after the restart"
    );
}
