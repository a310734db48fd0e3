//! Many schools on one service (`[[school]]` in `groep.toml`), over real HTTP against the real
//! binary: two schools under path prefixes of one domain and one school on its own host name.
//! Every school's pages carry its prefix, and nothing of one school opens anything of another:
//! sessions, form tokens, codes, kiosk cookies, and each school's answers land in its own file.

mod beheer_common;
mod enquete_common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use beheer_common::{
    WACHTWOORD, groep_routes, isolatie_verzoeken, overal_andere_school, school_routes,
};
use enquete_common::{
    Antwoord, Dienst, Formulier, attribuut, binary, cli, te_volgen_links, urlencode, workspace_root,
};

/// The group: `a` and `b` under `http://groep.test/<id>/`, `c` on the host `zorg.c.test`.
struct Groep {
    dir: PathBuf,
    config: PathBuf,
}

impl Groep {
    fn maak(naam: &str) -> (e2e::TempDir, Groep) {
        let tmp = e2e::TempDir::new(naam);
        let dir = tmp.path().to_path_buf();
        for school in ["a", "b"] {
            e2e::copy_dir(&workspace_root().join("content"), &dir.join(school));
        }
        // School b has its own name, to look for it in A's pages.
        enquete_common::replace_in(
            &dir.join("b"),
            "config.toml",
            "Basisschool De Linde",
            "Atheneum Noord",
        );
        let config = dir.join("groep.toml");
        std::fs::write(
            &config,
            format!(
                "publieke_url = \"http://groep.test\"\ndb = \"data/groep.sqlite\"\ntheme = \"{}\"\n\n\
                 [[school]]\nid = \"a\"\nroot = \"a\"\n\n\
                 [[school]]\nid = \"b\"\nroot = \"b\"\n\n\
                 [[school]]\nid = \"c\"\nroot = \"a\"\nhost = [\"zorg.c.test\"]\npublieke_url = \"http://zorg.c.test\"\n",
                workspace_root().join("site").display()
            ),
        )
        .unwrap();
        (tmp, Groep { dir, config })
    }

    fn db(&self, school: &str) -> PathBuf {
        self.dir.join("data").join(format!("{school}.sqlite"))
    }

    /// `zorgenquete --config groep.toml --school <school> <args…>`, which must succeed.
    fn cli(&self, school: &str, args: &[&str]) -> String {
        let (ok, out, err) = self.probeer(Some(school), args);
        assert!(ok, "{args:?} for {school}: {out}{err}");
        out
    }

    fn probeer(&self, school: Option<&str>, args: &[&str]) -> (bool, String, String) {
        let config = self.config.to_str().unwrap();
        let mut alle = vec!["--config", config];
        if let Some(s) = school {
            alle.extend(["--school", s]);
        }
        alle.extend(args);
        cli(&alle)
    }

    /// `zorgenquete --config <groep.toml> <args…>` with the test password on standard input
    /// (as `gebruiker maak` asks for it): success, stdout, stderr.
    fn met_wachtwoord(&self, args: &[&str]) -> (bool, String, String) {
        let mut kind = Command::new(binary())
            .args(["--config", self.config.to_str().unwrap()])
            .args(args)
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
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }

    fn gebruiker(&self, school: &str, naam: &str) {
        let (ok, _, err) = self.met_wachtwoord(&[
            "--school",
            school,
            "gebruiker",
            "maak",
            naam,
            "--rol",
            "beheer",
        ]);
        assert!(ok, "{err}");
    }

    fn aantal(&self, school: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.db(school)).unwrap();
        conn.query_row("SELECT count(*) FROM inzending", [], |r| r.get(0))
            .unwrap()
    }
}

fn start(tmp: e2e::TempDir, g: &Groep) -> Dienst {
    let args = [
        "serve",
        "--config",
        g.config.to_str().unwrap(),
        "--bind",
        "127.0.0.1:0",
    ]
    .map(String::from)
    .to_vec();
    Dienst::start_args(tmp, g.db("a"), args)
}

/// Walks every page reachable from `prefix` (`/<id>/`): all answer 200, every local link,
/// stylesheet and form stays under the prefix, every cookie is scoped to it, and no page names
/// school b.
fn walk(d: &Dienst, prefix: &str) -> std::collections::BTreeSet<String> {
    let prefix = prefix.to_string();
    let absoluut = format!("http://groep.test{prefix}");
    let mut te_doen = vec![prefix.clone()];
    let mut gezien = std::collections::BTreeSet::new();
    while let Some(pad) = te_doen.pop() {
        if !gezien.insert(pad.clone()) {
            continue;
        }
        let r = d.get(&pad);
        assert_eq!(r.status, 200, "{pad}");
        for (k, v) in &r.headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                assert!(v.contains(&format!("Path={prefix};")), "{pad}: {v}");
            }
        }
        if !r
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/html"))
        {
            continue;
        }
        assert!(!r.body.contains("Atheneum Noord"), "{pad} names school b");
        for link in te_volgen_links(&r.body) {
            if link.starts_with("http://") || link.starts_with("https://") {
                if link.starts_with("http://groep.test") {
                    assert!(link.starts_with(&absoluut), "{pad}: {link}");
                }
                continue;
            }
            assert!(link.starts_with(&prefix), "{pad}: {link} lacks the prefix");
            let zonder_anker = link.split('#').next().unwrap().to_string();
            if !zonder_anker.contains('?') {
                te_doen.push(zonder_anker);
            }
        }
    }
    gezien
}

fn met_host(d: &Dienst, methode: &str, host: &str, pad: &str, body: &[u8]) -> Antwoord {
    d.verzoek(
        methode,
        pad,
        &[
            ("Host", host),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        body,
    )
}

/// Fetches the parents' survey of the school on `host` (its action at the root of the host) and
/// answers it with `tekst` as the open answer; the POST goes to `host_post` (the same school,
/// written differently). Returns the answer to the POST.
fn antwoord_via_host(d: &Dienst, host: &str, host_post: &str, tekst: &str) -> Antwoord {
    let page = met_host(d, "GET", host, "/enquete/ouders", b"");
    assert!(
        page.body.contains("action=\"/enquete/ouders\""),
        "{}",
        page.body
    );
    met_host(
        d,
        "POST",
        host_post,
        "/enquete/ouders",
        Formulier::uit(&page.body).body(tekst).as_bytes(),
    )
}

fn aanmelden(d: &Dienst, school: &str, naam: &str) -> String {
    let page = d.get(&format!("/{school}/beheer/login"));
    assert_eq!(page.status, 200, "{}", page.body);
    let token = attribuut(&page.body, "name=\"csrf\"", "value").unwrap();
    let r = d.post_form(
        &format!("/{school}/beheer/login"),
        format!(
            "csrf={token}&naam={naam}&wachtwoord={}",
            urlencode(WACHTWOORD)
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 303, "login at {school}: {}", r.body);
    let set = r.header("set-cookie").unwrap();
    assert!(set.contains(&format!("Path=/{school}/beheer;")), "{set}");
    set.split(';').next().unwrap().to_string()
}

/// Logs `naam` in at the school on `host` (its dashboard at the root of the host).
fn aanmelden_host(d: &Dienst, host: &str, naam: &str) -> String {
    let page = met_host(d, "GET", host, "/beheer/login", b"");
    assert_eq!(page.status, 200, "{}", page.body);
    let token = attribuut(&page.body, "name=\"csrf\"", "value").unwrap();
    let r = met_host(
        d,
        "POST",
        host,
        "/beheer/login",
        format!(
            "csrf={token}&naam={naam}&wachtwoord={}",
            urlencode(WACHTWOORD)
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 303, "login at {host}: {}", r.body);
    let set = r.header("set-cookie").unwrap();
    assert!(set.contains("Path=/beheer;"), "{set}");
    set.split(';').next().unwrap().to_string()
}

/// A GET on the school at `host` with the session `cookie`.
fn met_cookie(d: &Dienst, host: &str, pad: &str, cookie: &str) -> Antwoord {
    d.verzoek("GET", pad, &[("Host", host), ("Cookie", cookie)], b"")
}

#[test]
fn schools_on_one_service_share_nothing() {
    let (tmp, g) = Groep::maak("scholen");
    for school in ["a", "b", "c"] {
        g.cli(school, &["periode", "open", "ouders", "2025-2026"]);
    }
    let codes = |school: &str| -> Vec<String> {
        g.cli(school, &["codes", "ouders", "2025-2026", "--aantal", "2"])
            .lines()
            .map(str::to_string)
            .collect()
    };
    let (codes_a, codes_b) = (codes("a"), codes("b"));
    g.gebruiker("a", "an");
    g.gebruiker("b", "bert");
    g.gebruiker("c", "cornelia");
    let d = start(tmp, &g);

    // Each school's pages carry its own prefix; a is walked from its home page.
    let gezien = walk(&d, "/a/");
    for verwacht in ["/a/enquete/ouders", "/a/enquete/", "/a/privacy/"] {
        assert!(
            gezien.contains(verwacht),
            "{verwacht} not reached: {gezien:?}"
        );
    }
    assert!(d.get("/b/").body.contains("Atheneum Noord"));

    // Unknown prefixes and hosts: one plain Dutch page that names no school.
    for (host, pad) in [
        (None, "/"),
        (None, "/x/"),
        (None, "/ab/enquete/ouders"),
        (Some("onbekend.test"), "/"),
        (Some("zorg.c.test.evil"), "/enquete/ouders"),
    ] {
        let r = match host {
            Some(h) => met_host(&d, "GET", h, pad, b""),
            None => d.get(pad),
        };
        assert_eq!(r.status, 404, "{host:?} {pad}");
        assert!(r.body.contains("Deze pagina bestaat niet"), "{pad}");
        for naam in ["De Linde", "Atheneum", "/a/", "/b/", "zorg.c.test"] {
            assert!(!r.body.contains(naam), "{pad} names {naam}");
        }
        assert!(r.header("content-security-policy").is_some(), "{pad}");
    }

    // A parent of school a answers with a's code: it lands in a's file only.
    let form_a = d.vers_formulier("/a/enquete/ouders");
    assert!(
        d.get("/a/enquete/ouders")
            .body
            .contains("action=\"/a/enquete/ouders\"")
    );
    let r = d.post_form(
        "/a/enquete/ouders",
        format!("{}&code={}", form_a.body("voor a"), urlencode(&codes_a[0])).as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/a/enquete/ouders/bedankt"));
    assert_eq!((g.aantal("a"), g.aantal("b")), (1, 0));

    // A form token of a is refused by b's form, with the friendly message; nothing stored.
    let form_a = d.vers_formulier("/a/enquete/ouders");
    let r = d.post_form(
        "/b/enquete/ouders",
        format!(
            "{}&code={}",
            form_a.body("a's token"),
            urlencode(&codes_b[0])
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("Dit formulier was verlopen"), "{}", r.body);
    assert!(r.body.contains("action=\"/b/enquete/ouders\""));
    // A code of a does not open b's survey.
    let form_b = d.vers_formulier("/b/enquete/ouders");
    let r = d.post_form(
        "/b/enquete/ouders",
        format!(
            "{}&code={}",
            form_b.body("a's code"),
            urlencode(&codes_a[1])
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!((g.aantal("a"), g.aantal("b")), (1, 0));
    // b's own code works at b, and lands in b's file.
    let form_b = d.vers_formulier("/b/enquete/ouders");
    let r = d.post_form(
        "/b/enquete/ouders",
        format!("{}&code={}", form_b.body("voor b"), urlencode(&codes_b[0])).as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/b/enquete/ouders/bedankt"));
    assert_eq!((g.aantal("a"), g.aantal("b")), (1, 1));

    // School c by its host name: its pages live at the root of its host.
    let home = met_host(&d, "GET", "zorg.c.test:8080", "/", b"");
    assert_eq!(home.status, 200);
    let r = antwoord_via_host(&d, "zorg.c.test", "Zorg.C.test", "voor c");
    assert_eq!(r.status, 303, "{}", r.body);
    // Its host never reaches another school's prefix.
    assert_eq!(
        met_host(&d, "GET", "zorg.c.test", "/a/enquete/ouders", b"").status,
        404
    );
    assert_eq!((g.aantal("a"), g.aantal("b"), g.aantal("c")), (1, 1, 1));

    // A staff session of a at b (both under prefixes): on every dashboard route and export,
    // GET and POST, b answers with one 403 page that names nothing of b, nor of any school;
    // without a cookie, as before, with its own login page.
    let b = rusqlite::Connection::open(g.db("b")).unwrap();
    let getal = |sql: &str| -> i64 { b.query_row(sql, [], |r| r.get(0)).unwrap() };
    let audit_b = getal("SELECT count(*) FROM audit");
    let sessie_a = aanmelden(&d, "a", "an");
    let overzicht = d.verzoek("GET", "/a/beheer/", &[("Cookie", &sessie_a)], b"");
    assert_eq!(overzicht.status, 200, "the session works at a");
    let token_a = attribuut(&overzicht.body, "name=\"csrf\"", "value").unwrap();
    let via_prefix = |prefix: &'static str| {
        let d = &d;
        move |m: &str, pad: &str, h: &[(&str, &str)], body: &[u8]| {
            d.verzoek(m, &format!("{prefix}{pad}"), h, body)
        }
    };
    let via_host = |host: &'static str| {
        let d = &d;
        move |m: &str, pad: &str, h: &[(&str, &str)], body: &[u8]| {
            let mut h = h.to_vec();
            h.push(("Host", host));
            d.verzoek(m, pad, &h, body)
        }
    };
    let scholen = ["De Linde", "Atheneum"];
    let verzoeken = isolatie_verzoeken(&school_routes(), token_a, "2025-2026", "bert");
    assert!(verzoeken.len() > 100, "{}", verzoeken.len());
    let pagina = overal_andere_school(
        via_prefix("/b"),
        &sessie_a,
        &verzoeken,
        &[&scholen[..], &["bert", "2025-2026"]].concat(),
        "/b/beheer/login",
    );
    // The way on is b's own login page.
    assert!(pagina.contains("href=\"/b/beheer/login\""), "{pagina}");
    assert!(pagina.contains("<title>Je bent aangemeld bij een andere school</title>"));
    // Host routing: a's session at c, and c's at a.
    let verzoeken = isolatie_verzoeken(&school_routes(), token_a, "2025-2026", "cornelia");
    overal_andere_school(
        via_host("zorg.c.test"),
        &sessie_a,
        &verzoeken,
        &[&scholen[..], &["cornelia", "2025-2026"]].concat(),
        "/beheer/login",
    );
    let sessie_c = aanmelden_host(&d, "zorg.c.test", "cornelia");
    let overzicht = met_cookie(&d, "zorg.c.test", "/beheer/", &sessie_c);
    assert_eq!(overzicht.status, 200, "the session works at c");
    let token_c = attribuut(&overzicht.body, "name=\"csrf\"", "value").unwrap();
    let verzoeken = isolatie_verzoeken(&school_routes(), token_c, "2025-2026", "an");
    overal_andere_school(
        via_prefix("/a"),
        &sessie_c,
        &verzoeken,
        &[&scholen[..], &["2025-2026", "cornelia"]].concat(),
        "/a/beheer/login",
    );
    // Form tokens are bound to their school: b's own staff member with a's token (or a's
    // login form's) changes nothing at b.
    let sessie_b = aanmelden(&d, "b", "bert");
    let sluit = format!("csrf={token_a}&vragenlijst=ouders&periode=2025-2026");
    let r = d.verzoek(
        "POST",
        "/b/beheer/periode/sluit",
        &[
            ("Cookie", &sessie_b),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        sluit.as_bytes(),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("Dit formulier is verlopen"), "{}", r.body);
    let login_a = d.get("/a/beheer/login");
    let login_token_a = attribuut(&login_a.body, "name=\"csrf\"", "value").unwrap();
    let r = d.post_form(
        "/b/beheer/login",
        format!(
            "csrf={login_token_a}&naam=bert&wachtwoord={}",
            urlencode(WACHTWOORD)
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.header("set-cookie"), None);
    // b's own session works at b, and is foreign at a.
    assert_eq!(
        d.verzoek("GET", "/b/beheer/", &[("Cookie", &sessie_b)], b"")
            .status,
        200
    );
    let r = d.verzoek("GET", "/a/beheer/", &[("Cookie", &sessie_b)], b"");
    assert_eq!(r.status, 403);
    assert_eq!(r.body, pagina.replace("/b/", "/a/"));
    // A cookie without an owner (from before owners) or with a made-up secret is unknown:
    // the login page, as without a cookie.
    let geheim = sessie_a.split_once('.').unwrap().1.to_string();
    assert!(sessie_a.starts_with("beheer_sessie=a."), "{sessie_a}");
    for cookie in [
        format!("beheer_sessie={geheim}"),
        format!("beheer_sessie=b.{}", "0".repeat(64)),
        "beheer_sessie=b.kort".to_string(),
    ] {
        let r = d.verzoek("GET", "/b/beheer/", &[("Cookie", &cookie)], b"");
        assert_eq!(r.status, 303, "{cookie}");
        assert_eq!(r.header("location"), Some("/b/beheer/login"), "{cookie}");
    }
    // a's secret under b's name is not a session of b either: only b's store decides.
    let r = d.verzoek(
        "GET",
        "/b/beheer/",
        &[("Cookie", &format!("beheer_sessie=b.{geheim}"))],
        b"",
    );
    assert_eq!(r.status, 303);
    // Nothing changed at b: its period is open, its account is there, and the only session
    // and audit lines are bert's own login.
    assert_eq!(
        getal("SELECT open FROM periode WHERE vragenlijst = 'ouders'"),
        1
    );
    assert_eq!(
        getal("SELECT count(*) FROM gebruiker WHERE naam = 'bert'"),
        1
    );
    assert_eq!(getal("SELECT count(*) FROM sessie"), 1);
    assert_eq!(
        getal("SELECT count(*) FROM audit") - audit_b,
        1,
        "one audit line: bert's login"
    );
    assert_eq!(
        getal("SELECT count(*) FROM audit WHERE gebeurtenis = 'aangemeld'"),
        1
    );
    assert_eq!(getal("SELECT count(*) FROM code"), 2);

    // A kiosk cookie of a does not make b's form a kiosk.
    let kiosk_a = d.kiosk_aan_onder("/a", "ouders");
    let r = d.kiosk_get(&kiosk_a, "/b/enquete/ouders/kiosk");
    assert_eq!(r.status, 200);
    assert!(
        !r.body.contains("action=\"/b/enquete/ouders/kiosk\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("action=\"/b/enquete/ouders\""));

    // Each file knows its school, and the secrets differ.
    let school_en_geheim = |s: &str| -> (String, Vec<u8>) {
        let c = rusqlite::Connection::open(g.db(s)).unwrap();
        (
            c.query_row("SELECT id FROM school", [], |r| r.get(0))
                .unwrap(),
            c.query_row(
                "SELECT waarde FROM geheim WHERE naam = 'sleutel'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
        )
    };
    let (sa, ga) = school_en_geheim("a");
    let (sb, gb) = school_en_geheim("b");
    assert_eq!((sa.as_str(), sb.as_str()), ("a", "b"));
    assert_ne!(ga, gb);
}

#[test]
fn commands_need_a_known_school_and_its_own_file() {
    let (_tmp, g) = Groep::maak("scholen-cli");
    // `scholen` lists every school with its address and database, and opens nothing.
    let (ok, out, err) = g.probeer(None, &["scholen"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("3 scholen in "), "{out}");
    for verwacht in [
        "http://groep.test/a/ (pad /a/)".to_string(),
        "http://groep.test/b/ (pad /b/)".to_string(),
        "http://zorg.c.test/ (host zorg.c.test)".to_string(),
        g.db("c").display().to_string(),
    ] {
        assert!(out.contains(&verwacht), "{verwacht}: {out}");
    }
    assert!(!g.db("a").exists());
    // Missing or unknown --school: a Dutch error that lists the valid ids.
    let (ok, _, err) = g.probeer(None, &["periode", "lijst"]);
    assert!(!ok);
    assert!(err.contains("er zijn 3 scholen ingesteld"), "{err}");
    assert!(err.contains("a, b, c"), "{err}");
    let (ok, _, err) = g.probeer(Some("d"), &["periode", "lijst"]);
    assert!(!ok);
    assert!(err.contains("er is geen school `d`"), "{err}");
    assert!(err.contains("a, b, c"), "{err}");
    // Without [[school]], --school is refused too.
    let (ok, _, err) = cli(&[
        "--school",
        "a",
        "periode",
        "lijst",
        "--db",
        "/nonexistent/x.sqlite",
    ]);
    assert!(!ok);
    assert!(err.contains("geen scholen ingesteld"), "{err}");

    // A file that belongs to another school is refused, by commands and by serve.
    g.cli("b", &["periode", "open", "ouders", "2025-2026"]);
    g.cli("b", &["periode", "lijst"]);
    let verkeerd = g.dir.join("verkeerd.toml");
    let tekst = std::fs::read_to_string(&g.config).unwrap().replace(
        "id = \"a\"\nroot = \"a\"\n",
        "id = \"a\"\nroot = \"a\"\ndb = \"data/b.sqlite\"\n",
    );
    std::fs::write(
        &verkeerd,
        tekst.replace(
            "id = \"b\"\nroot = \"b\"\n",
            "id = \"b\"\nroot = \"b\"\ndb = \"data/b2.sqlite\"\n",
        ),
    )
    .unwrap();
    let config = verkeerd.to_str().unwrap();
    let (ok, _, err) = cli(&["--config", config, "--school", "a", "periode", "lijst"]);
    assert!(!ok);
    assert!(err.contains("hoort bij school `b`, niet bij `a`"), "{err}");
    let (ok, _, err) = cli(&["--config", config, "serve", "--bind", "127.0.0.1:0"]);
    assert!(!ok);
    assert!(
        err.contains("school a:") && err.contains("hoort bij school `b`"),
        "{err}"
    );
    assert!(!Path::new(&g.db("b2")).exists() || g.aantal("b2") == 0);
}

#[test]
fn under_a_group_path_the_prefix_follows_it() {
    // One domain with the group under /zorg: school a lives at /zorg/a/.
    let (tmp, g) = Groep::maak("scholen-pad");
    // And school d on its own host without a publieke_url: its address comes from the request.
    let tekst = std::fs::read_to_string(&g.config)
        .unwrap()
        .replace("\"http://groep.test\"", "\"http://groep.test/zorg\"")
        + "\n[[school]]\nid = \"d\"\nroot = \"b\"\nhost = [\"d.test\"]\n";
    std::fs::write(&g.config, tekst).unwrap();
    g.cli("a", &["periode", "open", "ouders", "2025-2026"]);
    g.cli("d", &["periode", "open", "ouders", "2025-2026"]);
    g.gebruiker("a", "an");
    g.gebruiker("d", "dirk");
    let d = start(tmp, &g);
    let gezien = walk(&d, "/zorg/a/");
    assert!(gezien.contains("/zorg/a/enquete/ouders"), "{gezien:?}");
    let form = d.vers_formulier("/zorg/a/enquete/ouders");
    let r = d.post_form(
        "/zorg/a/enquete/ouders",
        form.body("onder een pad").as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/zorg/a/enquete/ouders/bedankt"));
    assert_eq!(g.aantal("a"), 1);
    for pad in ["/a/", "/zorg/", "/zorg/x/", "/"] {
        assert_eq!(d.get(pad).status, 404, "{pad}");
    }

    let home = met_host(&d, "GET", "d.test", "/", b"");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Atheneum Noord"));
    let r = antwoord_via_host(&d, "d.test", "d.test", "voor d");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/enquete/ouders/bedankt"));
    assert_eq!((g.aantal("a"), g.aantal("d")), (1, 1));

    // Sessions stay foreign under the group path too: a's at d (by host), d's at a.
    let page = d.get("/zorg/a/beheer/login");
    let token = attribuut(&page.body, "name=\"csrf\"", "value").unwrap();
    let r = d.post_form(
        "/zorg/a/beheer/login",
        format!("csrf={token}&naam=an&wachtwoord={}", urlencode(WACHTWOORD)).as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let sessie_a = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let sessie_d = aanmelden_host(&d, "d.test", "dirk");
    let token_a = {
        let r = d.verzoek("GET", "/zorg/a/beheer/", &[("Cookie", &sessie_a)], b"");
        assert_eq!(r.status, 200, "{}", r.body);
        attribuut(&r.body, "name=\"csrf\"", "value")
            .unwrap()
            .to_string()
    };
    let token_d = {
        let r = met_cookie(&d, "d.test", "/beheer/", &sessie_d);
        assert_eq!(r.status, 200, "{}", r.body);
        attribuut(&r.body, "name=\"csrf\"", "value")
            .unwrap()
            .to_string()
    };
    let namen = ["De Linde", "Atheneum", "dirk", "2025-2026"];
    overal_andere_school(
        |m: &str, pad: &str, h: &[(&str, &str)], body: &[u8]| {
            let mut h = h.to_vec();
            h.push(("Host", "d.test"));
            d.verzoek(m, pad, &h, body)
        },
        &sessie_a,
        &isolatie_verzoeken(&school_routes(), &token_a, "2025-2026", "dirk"),
        &namen,
        "/beheer/login",
    );
    overal_andere_school(
        |m: &str, pad: &str, h: &[(&str, &str)], body: &[u8]| {
            d.verzoek(m, &format!("/zorg/a{pad}"), h, body)
        },
        &sessie_d,
        &isolatie_verzoeken(&school_routes(), &token_d, "2025-2026", "an"),
        &namen,
        "/zorg/a/beheer/login",
    );
}

/// Four schools under prefixes, each with its own name, for the group level.
fn vier_scholen(naam: &str) -> (e2e::TempDir, Groep) {
    let tmp = e2e::TempDir::new(naam);
    let dir = tmp.path().to_path_buf();
    let mut config = format!(
        "publieke_url = \"http://groep.test\"\ndb = \"data/groep.sqlite\"\ntheme = \"{}\"\n",
        workspace_root().join("site").display()
    );
    for (id, naam) in [
        ("a", "Basisschool De Linde"),
        ("b", "Atheneum Noord"),
        ("c", "Sint-Jan"),
        ("d", "Het Klavertje"),
    ] {
        e2e::copy_dir(&workspace_root().join("content"), &dir.join(id));
        enquete_common::replace_in(&dir.join(id), "config.toml", "Basisschool De Linde", naam);
        config += &format!("\n[[school]]\nid = \"{id}\"\nroot = \"{id}\"\n");
    }
    let pad = dir.join("groep.toml");
    std::fs::write(&pad, config).unwrap();
    (tmp, Groep { dir, config: pad })
}

/// Stores one response per value: every `zorgbeleid` item answered with that value, so each
/// respondent's category score is the value itself.
fn zorgbeleid(g: &Groep, school: &str, waarden: &[u8]) {
    g.cli(school, &["periode", "open", "ouders", "2025-2026"]);
    let conn = rusqlite::Connection::open(g.db(school)).unwrap();
    for (i, w) in waarden.iter().enumerate() {
        let json = format!(
            r#"{{"zorg-aanspreekpunt@1":{w},"zorg-zorgcoordinator@1":{w},"zorg-info-duidelijk@1":{w},"zorg-snel-opgevolgd@1":{w}}}"#
        );
        enquete_common::insert_respons(
            &conn,
            i as i64 + 1,
            ("ouders", "2025-2026", "papier"),
            &json,
        );
    }
}

/// The share agreeing (a score of 4 or more) with its 95 % Wilson interval, as the dashboard
/// writes it, computed here from the values themselves.
fn akkoord(waarden: &[u8]) -> String {
    let n = waarden.len() as f64;
    let p = waarden.iter().filter(|w| **w >= 4).count() as f64 / n;
    let z: f64 = 1.959_963_984_540_054;
    let noemer = 1.0 + z * z / n;
    let midden = (p + z * z / (2.0 * n)) / noemer;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / noemer;
    let pct = |x: f64| format!("{:.0} %", (x * 100.0).round());
    format!(
        "{} ({} tot {})",
        pct(p),
        pct((midden - half).max(0.0)),
        pct((midden + half).min(1.0))
    )
}

/// The row of `naam` in the group table: its cells' text.
fn rij<'a>(html: &'a str, naam: &str) -> &'a str {
    let begin = html
        .find(&format!("<th scope=\"row\">{naam}</th>"))
        .or_else(|| html.find(&format!("<th scope=\"row\"><strong>{naam}</strong></th>")))
        .unwrap_or_else(|| panic!("no row {naam}: {html}"));
    let rest = &html[begin..];
    &rest[..rest.find("</tr>").unwrap()]
}

#[test]
fn the_group_level_sees_every_school_and_only_group_accounts_get_in() {
    let (tmp, g) = vier_scholen("scholen-groep");
    let a = [5, 5, 4, 2, 3, 1];
    let b = [4, 4, 4, 4, 5, 1, 2];
    let c = [5, 4, 1, 1, 2];
    let d_waarden = [4, 4, 4, 4, 4, 1, 1, 1];
    zorgbeleid(&g, "a", &a);
    zorgbeleid(&g, "b", &b);
    zorgbeleid(&g, "c", &c);
    // School d answers too, but keeps its period open: nothing of it may count anywhere.
    zorgbeleid(&g, "d", &d_waarden);
    for s in ["a", "b", "c"] {
        g.cli(s, &["periode", "sluit", "ouders", "2025-2026"]);
    }
    g.gebruiker("a", "an");
    // A group account: `gebruiker maak --groep`, in the group's own file.
    let maak = |args: &[&str]| g.met_wachtwoord(args);
    let (ok, out, err) = maak(&["gebruiker", "maak", "coord", "--groep"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("rol groep"), "{out}");
    let (ok, _, err) = maak(&["--school", "a", "gebruiker", "maak", "xx", "--groep"]);
    assert!(
        !ok && err.contains("--groep en --school gaan niet samen"),
        "{err}"
    );
    let (ok, _, err) = maak(&["gebruiker", "maak", "xx", "--groep", "--rol", "beheer"]);
    assert!(!ok && err.contains("laat --rol weg"), "{err}");
    let (ok, out, err) = g.probeer(None, &["gebruiker", "lijst", "--groep"]);
    assert!(ok, "{err}");
    assert!(out.contains("coord") && out.contains("groep"), "{out}");
    assert!(
        !out.contains("an "),
        "a school's account is not a group account: {out}"
    );
    assert!(g.dir.join("data/groep.sqlite").exists());

    let d = start(tmp, &g);
    // The group dashboard: every school and the group as a whole.
    let groep = aanmelden(&d, "groep", "coord");
    let r = d.verzoek("GET", "/groep/beheer/", &[("Cookie", &groep)], b"");
    assert_eq!(r.status, 200, "{}", r.body);
    let html = &r.body;
    assert!(html.contains("Resultaten van de scholengroep"), "{html}");
    for (naam, waarden) in [
        ("Basisschool De Linde", &a[..]),
        ("Atheneum Noord", &b[..]),
        ("Sint-Jan", &c[..]),
    ] {
        let cellen = rij(html, naam);
        assert!(
            cellen.contains(&format!("<td data-antwoorden>{}</td>", waarden.len())),
            "{naam}: {cellen}"
        );
        assert!(cellen.contains(&akkoord(waarden)), "{naam}: {cellen}");
    }
    assert!(
        rij(html, "Het Klavertje").contains("nog geen resultaten (periode niet gesloten)"),
        "{html}"
    );
    // The group: the three released schools' answers together, computed here from the values.
    let alle: Vec<u8> = [&a[..], &b[..], &c[..]].concat();
    let geheel = rij(html, "Hele scholengroep");
    assert!(geheel.contains("<td data-antwoorden>18</td>"), "{geheel}");
    assert!(
        geheel.contains(&akkoord(&alle)),
        "{} in {geheel}",
        akkoord(&alle)
    );
    assert!(
        geheel.contains("te weinig antwoorden om te tonen"),
        "other themes: {geheel}"
    );
    // The group's report as a file: the schools' own export code, the group's numbers.
    let token = attribuut(html, "name=\"csrf\"", "value")
        .unwrap()
        .to_string();
    let exporteer = |cookie: &str, formaat: &str| {
        d.verzoek(
            "POST",
            "/groep/beheer/export/ouders",
            &[
                ("Cookie", cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", "http://groep.test"),
            ],
            format!("csrf={}&formaat={formaat}", urlencode(&token)).as_bytes(),
        )
    };
    let r = exporteer(&groep, "csv");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.header("content-disposition")
            .is_some_and(|h| h.contains("ouders-groep.csv")),
        "{:?}",
        r.header("content-disposition")
    );
    assert!(
        r.body
            .lines()
            .any(|l| l.starts_with("zorg-aanspreekpunt,") && l.contains(",2025-2026,18,")),
        "{}",
        r.body
    );
    // Never the raw export: that is a school's own.
    assert_eq!(exporteer(&groep, "ruw").status, 400);
    // `/groep/` leads to the dashboard.
    let r = d.get("/groep/");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/groep/beheer/"));

    // A school's account does not get in at the group level…
    let school = aanmelden(&d, "a", "an");
    let page = d.get("/groep/beheer/login");
    let token = attribuut(&page.body, "name=\"csrf\"", "value").unwrap();
    let r = d.post_form(
        "/groep/beheer/login",
        format!("csrf={token}&naam=an&wachtwoord={}", urlencode(WACHTWOORD)).as_bytes(),
    );
    assert_eq!(r.status, 401, "{}", r.body);
    // …and its session is foreign at the group level: one 403 page on every route of the
    // group dashboard, naming no school and no account…
    let namen = [
        "De Linde",
        "Atheneum",
        "Sint-Jan",
        "Klavertje",
        "coord",
        "2025-2026",
        "scholengroep",
        "Scholengroep",
    ];
    let via_prefix = |prefix: &'static str| {
        let d = &d;
        move |m: &str, pad: &str, h: &[(&str, &str)], body: &[u8]| {
            d.verzoek(m, &format!("{prefix}{pad}"), h, body)
        }
    };
    let token_van = |pad: &str, cookie: &str| {
        let r = d.verzoek("GET", pad, &[("Cookie", cookie)], b"");
        assert_eq!(r.status, 200, "{pad}: {}", r.body);
        attribuut(&r.body, "name=\"csrf\"", "value")
            .unwrap()
            .to_string()
    };
    let token_school = token_van("/a/beheer/", &school);
    let token_groep = token_van("/groep/beheer/", &groep);
    let pagina = overal_andere_school(
        via_prefix("/groep"),
        &school,
        &isolatie_verzoeken(&groep_routes(), &token_school, "2025-2026", "coord"),
        &namen,
        "/groep/beheer/login",
    );
    assert!(pagina.contains("href=\"/groep/beheer/login\""), "{pagina}");
    // …and a group session opens nothing of a school's dashboard (every route of the table,
    // at a school with released results and at one without).
    for (prefix, login) in [("/a", "/a/beheer/login"), ("/d", "/d/beheer/login")] {
        overal_andere_school(
            via_prefix(prefix),
            &groep,
            &isolatie_verzoeken(&school_routes(), &token_groep, "2025-2026", "an"),
            &namen,
            login,
        );
    }
    // The group's session still works at the group level: nothing above ended it.
    assert_eq!(
        d.verzoek("GET", "/groep/beheer/", &[("Cookie", &groep)], b"")
            .status,
        200
    );

    // Our school beside the rest: school a has two other schools with results (d is open).
    let resultaten = |s: &str, cookie: &str| {
        let r = d.verzoek(
            "GET",
            &format!("/{s}/beheer/resultaten/ouders"),
            &[("Cookie", cookie)],
            b"",
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.body
    };
    let html = resultaten("a", &school);
    assert!(html.contains("data-naast=\"niet\""), "{html}");
    assert!(html.contains("minstens 3 andere scholen"), "{html}");
    assert!(html.contains("(nu 2)"), "{html}");
    assert!(!html.contains("Rest van de scholengroep"), "{html}");
    // Once d closes its period, a has three others: the rest is b, c and d merged.
    g.cli("d", &["periode", "sluit", "ouders", "2025-2026"]);
    let html = resultaten("a", &school);
    assert!(html.contains("data-naast=\"ja\""), "{html}");
    let rest: Vec<u8> = [&b[..], &c[..], &d_waarden[..]].concat();
    let tabel = &html[html.find("data-naast=\"ja\"").unwrap()..];
    let zorg = &tabel[..tabel.find("</tr>\n<tr>").unwrap_or(tabel.len())];
    assert!(zorg.contains(&akkoord(&a)), "{zorg}");
    assert!(
        zorg.contains(&akkoord(&rest)),
        "{} in {zorg}",
        akkoord(&rest)
    );
    for enkel in [&b[..], &c[..], &d_waarden[..]] {
        assert!(!zorg.contains(&akkoord(enkel)), "one school alone: {zorg}");
    }
    // The difference carries its interval and a verdict, never a bare number.
    assert!(zorg.contains("procentpunten ("), "{zorg}");
    assert!(
        ["hoger", "lager", "geen duidelijk verschil"]
            .iter()
            .any(|o| zorg.contains(&format!("data-oordeel=\"{o}\""))),
        "{zorg}"
    );
    // The group now counts d too.
    let r = d.verzoek("GET", "/groep/beheer/", &[("Cookie", &groep)], b"");
    let alle: Vec<u8> = [&a[..], &rest[..]].concat();
    assert!(rij(&r.body, "Hele scholengroep").contains(&akkoord(&alle)));
    // Every school's writer and the group's end at shutdown: a clean stop.
    let mut d = d;
    assert!(d.stop(), "{}", d.log());
}
