//! Shared helpers for the dashboard tests: accounts made with the real CLI, logging in over
//! HTTP, and requests with the session cookie.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::enquete_common::{Antwoord, Dienst, attribuut, binary, browser_script, workspace_root};

pub const WACHTWOORD: &str = "zeven lange woorden";

/// `zorgenquete gebruiker <args…> --db <db>` with `stdin` piped in; (success, stdout, stderr).
pub fn gebruiker_cli(d: &Dienst, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut kind = Command::new(binary())
        .arg("gebruiker")
        .args(args)
        .arg("--db")
        .arg(&d.db)
        .current_dir(workspace_root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run zorgenquete gebruiker");
    // The command may refuse its arguments and exit before it reads stdin: a broken pipe is fine.
    if let Err(e) = kind.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    let out = kind.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Makes an account with [`WACHTWOORD`].
pub fn maak_gebruiker(d: &Dienst, naam: &str, rol: &str) {
    let (ok, out, err) =
        gebruiker_cli(d, &["maak", naam, "--rol", rol], &format!("{WACHTWOORD}\n"));
    assert!(ok, "gebruiker maak failed: {out}{err}");
}

/// The token of the login form.
pub fn login_token(d: &Dienst) -> String {
    let page = d.get("/beheer/login");
    assert_eq!(page.status, 200, "{}", page.body);
    attribuut(&page.body, "name=\"csrf\"", "value")
        .expect("csrf on login page")
        .to_string()
}

/// Posts the login form; returns the response.
pub fn probeer_aanmelden(d: &Dienst, naam: &str, wachtwoord: &str) -> Antwoord {
    let token = login_token(d);
    d.post_form(
        "/beheer/login",
        format!(
            "csrf={token}&naam={}&wachtwoord={}",
            crate::enquete_common::urlencode(naam),
            crate::enquete_common::urlencode(wachtwoord)
        )
        .as_bytes(),
    )
}

/// Logs in and returns the `Cookie` header value (`beheer_sessie=…`).
pub fn aanmelden(d: &Dienst, naam: &str) -> String {
    let r = probeer_aanmelden(d, naam, WACHTWOORD);
    assert_eq!(r.status, 303, "login failed: {}", r.body);
    let set = r.header("set-cookie").expect("session cookie");
    set.split(';').next().unwrap().to_string()
}

pub fn get(d: &Dienst, cookie: &str, pad: &str) -> Antwoord {
    d.verzoek("GET", pad, &[("Cookie", cookie)], b"")
}

pub fn post(d: &Dienst, cookie: &str, pad: &str, body: &str) -> Antwoord {
    d.verzoek(
        "POST",
        pad,
        &[
            ("Cookie", cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        body.as_bytes(),
    )
}

/// The session's form token, read from a dashboard page.
pub fn token(d: &Dienst, cookie: &str) -> String {
    let page = get(d, cookie, "/beheer/");
    assert_eq!(page.status, 200, "{}", page.body);
    attribuut(&page.body, "name=\"csrf\"", "value")
        .expect("csrf on dashboard")
        .to_string()
}

/// Runs the browser script `naam` (tests/browser/) on the dashboard of `d`, logged in with
/// `cookie`: `--base <address> --cookie <cookie>` and then `args`.
pub fn dashboard_script(d: &Dienst, cookie: &str, naam: &str, args: &[&str]) -> Output {
    let base = format!("http://{}", d.adres);
    let vast = ["--base", base.as_str(), "--cookie", cookie];
    e2e::run_node_script(&browser_script(naam), &[&vast, args].concat())
}

/// A route path with its parameters filled in with real values.
pub fn concreet(pad: &str) -> String {
    pad.replace("{vragenlijst}", "ouders")
        .replace("{kanaal}", "papier")
}

/// The title of the one page a dashboard answers a session of another school (or of the group
/// level) with, on every protected route (403).
pub const ANDERE_SCHOOL: &str = "Je bent aangemeld bij een andere school";

/// One request of the isolation walk: method, path under the school (or group) and body.
pub struct Verzoek {
    pub methode: &'static str,
    pub pad: String,
    pub body: String,
}

/// Every request the isolation walk sends to the routes `routes` (method, path pattern; only
/// protected ones): each route with real and unknown values in its path (questionnaires,
/// channels, items), GET pages with and without an existing and a missing period, POST forms
/// that name an existing and a missing period and account (with the token `token`, valid
/// where it was made), and the export once for every format and once raw with open answers.
/// `periode` and `naam` are a period and an account the school asked for really has.
pub fn isolatie_verzoeken(
    routes: &[(&'static str, &str)],
    token: &str,
    periode: &str,
    naam: &str,
) -> Vec<Verzoek> {
    use zorgenquete::rapport::export::Formaat;
    let mut uit = Vec::new();
    for &(methode, patroon) in routes {
        let mut paden = Vec::new();
        for vragenlijst in ["ouders", "collegas", "bestaat-niet"] {
            for kanaal in ["papier", "mondeling", "online"] {
                for vraag in ["zorg-aanspreekpunt", "bestaat-niet"] {
                    let pad = patroon
                        .replace("{vragenlijst}", vragenlijst)
                        .replace("{kanaal}", kanaal)
                        .replace("{vraag}", vraag);
                    if !paden.contains(&pad) {
                        paden.push(pad);
                    }
                }
            }
        }
        for pad in paden {
            if methode == "GET" {
                for query in ["", &format!("?periode={periode}"), "?periode=1999-2000"] {
                    uit.push(Verzoek {
                        methode,
                        pad: format!("{pad}{query}"),
                        body: String::new(),
                    });
                }
                continue;
            }
            let mut bodies = Vec::new();
            for (p, n) in [(periode, naam), ("1999-2000", "niemand")] {
                bodies.push(format!(
                    "csrf={token}&vragenlijst=ouders&periode={p}&naam={n}&rol=beheer\
                     &wachtwoord=zeven+lange+woorden&uitgenodigd=10&aantal=3&formaat=csv"
                ));
            }
            if pad.contains("/export/") {
                for f in Formaat::ALLE {
                    bodies.push(format!("csrf={token}&periode={periode}&formaat={}", f.id()));
                }
                bodies.push(format!(
                    "csrf={token}&periode={periode}&formaat=ruw&open=ja"
                ));
            }
            for body in bodies {
                uit.push(Verzoek {
                    methode,
                    pad: pad.clone(),
                    body,
                });
            }
        }
    }
    uit
}

/// The protected routes of a school's dashboard ([`zorgenquete::web::beheer::ROUTES`]).
pub fn school_routes() -> Vec<(&'static str, &'static str)> {
    use zorgenquete::web::beheer::{Methode, ROUTES, Toegang};
    ROUTES
        .iter()
        .filter(|r| r.toegang != Toegang::Publiek)
        .map(|r| {
            let m = match r.methode {
                Methode::Get => "GET",
                Methode::Post => "POST",
            };
            (m, r.pad)
        })
        .collect()
}

/// The protected routes of the group dashboard ([`zorgenquete::web::beheer::groep::ROUTES`]):
/// its overview is a page, the rest are forms.
pub fn groep_routes() -> Vec<(&'static str, &'static str)> {
    use zorgenquete::web::beheer::Toegang;
    zorgenquete::web::beheer::groep::ROUTES
        .iter()
        .filter(|(_, t)| *t != Toegang::Publiek)
        .map(|&(pad, _)| (if pad == "/beheer/" { "GET" } else { "POST" }, pad))
        .collect()
}

/// Sends every request of `verzoeken` through `stuur` (method, path, extra headers, body;
/// the caller adds the school's prefix or host) with the cookie `cookie` and checks that each
/// gets the page for a session of another school: 403, never cached, no cookie set, and the
/// very same bytes every time (so nothing tells whether the school has that period, account
/// or questionnaire), naming none of `verboden` (names of schools, accounts, periods). Without a
/// cookie, every one of them goes to the login page at `login` as before. Returns the page.
pub fn overal_andere_school(
    stuur: impl Fn(&str, &str, &[(&str, &str)], &[u8]) -> Antwoord,
    cookie: &str,
    verzoeken: &[Verzoek],
    verboden: &[&str],
    login: &str,
) -> String {
    assert!(!verzoeken.is_empty());
    let mut eerste: Option<String> = None;
    for v in verzoeken {
        let mut zonder_cookie = Vec::new();
        if v.methode == "POST" {
            zonder_cookie.push(("Content-Type", "application/x-www-form-urlencoded"));
        }
        let mut met_cookie = zonder_cookie.clone();
        met_cookie.push(("Cookie", cookie));
        let wie = format!("{} {} {}", v.methode, v.pad, v.body);
        let r = stuur(v.methode, &v.pad, &met_cookie, v.body.as_bytes());
        assert_eq!(r.status, 403, "{wie}: {}", r.body);
        assert!(r.body.contains(ANDERE_SCHOOL), "{wie}: {}", r.body);
        assert_eq!(r.header("cache-control"), Some("no-store"), "{wie}");
        assert_eq!(r.header("set-cookie"), None, "{wie}");
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("text/html")),
            "{wie}"
        );
        for naam in verboden {
            assert!(!r.body.contains(naam), "{wie} names {naam}: {}", r.body);
        }
        match &eerste {
            None => eerste = Some(r.body),
            Some(p) => assert_eq!(p, &r.body, "{wie}: another page than the first"),
        }
        let zonder = stuur(v.methode, &v.pad, &zonder_cookie, v.body.as_bytes());
        assert_eq!(zonder.status, 303, "{wie} without a cookie");
        assert_eq!(zonder.header("location"), Some(login), "{wie}");
    }
    eerste.unwrap()
}
