//! The dashboard pages in headless Chromium: axe-core (WCAG 2.2 AA tags) at 360 px and desktop
//! width, logged in with a real session (the cookie is handed to `tests/browser/axe.mjs`).

mod beheer_common;
mod enquete_common;

use beheer_common::*;
use enquete_common::Dienst;

#[test]
fn dashboard_pages_pass_axe() {
    let d = Dienst::start();
    maak_gebruiker(&d, "an", "beheer");
    let cookie = aanmelden(&d, "an");
    // Something in the audit log and the tables.
    let t = token(&d, &cookie);
    let r = post(
        &d,
        &cookie,
        "/beheer/codes",
        &format!("csrf={t}&vragenlijst=ouders&periode=2025-2026&aantal=2"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let paden: Vec<String> = [
        "/beheer/",
        "/beheer/gebruikers",
        "/beheer/invoer/ouders/papier",
        "/beheer/invoer/ouders/mondeling?klaar=1",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    let base = format!("http://{}", d.adres);
    let uitkomst = e2e::run_axe_with(&base, &paden, &["--lang-check=nl", "--cookie", &cookie]);
    assert!(uitkomst.passed(), "{}", uitkomst.output());
    assert_eq!(uitkomst.pages, Some(paden.len()), "{}", uitkomst.output());
    assert_eq!(uitkomst.violations, Some(0), "{}", uitkomst.output());
    // The login page, without a session.
    let uitkomst = e2e::run_axe_with(&base, &["/beheer/login".to_string()], &["--lang-check=nl"]);
    assert!(uitkomst.passed(), "{}", uitkomst.output());
}
