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
