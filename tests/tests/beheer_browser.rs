//! The dashboard pages in headless Chromium: axe-core (WCAG 2.2 AA tags) at 360 px and desktop
//! width, logged in with a real session (the cookie is handed to `tests/browser/axe.mjs`), with
//! answers in two periods so the results and open-answer pages show tables, charts and lists.

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
    // Results with data: 6 answers in 2025-2026, then 5 in 2026-2027 (two periods to compare).
    let db = d.db();
    let zet = |id: i64, periode: &str, w: i64| {
        db.execute(
            "INSERT INTO inzending (id, vragenlijst, periode, kanaal, antwoorden) VALUES (?1, 'ouders', ?2, 'online', ?3)",
            rusqlite::params![
                id,
                periode,
                format!(r#"{{"zorg-aanspreekpunt@1":{w},"leren-op-maat@1":{},"open-goed@1":"Goed <b>zo</b>"}}"#, 5 - w % 5)
            ],
        )
        .unwrap();
    };
    for i in 0..6 {
        zet(100 + i, "2025-2026", 1 + i % 5);
    }
    for (stap, periode) in [("sluit", "2025-2026"), ("open", "2026-2027")] {
        let r = post(
            &d,
            &cookie,
            &format!("/beheer/periode/{stap}"),
            &format!("csrf={t}&vragenlijst=ouders&periode={periode}&uitgenodigd=20"),
        );
        assert_eq!(r.status, 303, "{stap}: {}", r.body);
    }
    for i in 0..5 {
        zet(200 + i, "2026-2027", 5 - i % 3);
    }
    let paden: Vec<String> = [
        "/beheer/",
        "/beheer/gebruikers",
        "/beheer/invoer/ouders/papier",
        "/beheer/papier/ouders",
        "/beheer/papier/ouders?taal=ar",
        "/beheer/invoer/ouders/mondeling?klaar=1",
        "/beheer/resultaten/ouders",
        "/beheer/open-antwoorden/ouders?periode=2025-2026",
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

/// A stack of paper forms is typed in with the keyboard alone: one digit per answer (the box's
/// number on the paper), the focus moving on by itself; the response is stored as `papier`
/// with the digits in paper order.
#[test]
fn a_paper_form_is_entered_with_one_key_per_answer() {
    let d = Dienst::start();
    maak_gebruiker(&d, "an", "zorgteam");
    let cookie = aanmelden(&d, "an");
    let cijfers = ["--cijfers", "12345012345012"];
    let out = dashboard_script(&d, &cookie, "papier-invoer.mjs", &cijfers);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "paper entry:\n{stdout}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("stappen, 0 fout"), "{stdout}");
    let (kanaal, json): (String, String) = d
        .db()
        .query_row("SELECT kanaal, antwoorden FROM inzending", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(kanaal, "papier");
    for (item, w) in [
        ("zorg-aanspreekpunt", 1),
        ("zorg-zorgcoordinator", 2),
        ("zorg-snel-opgevolgd", 4),
        ("leren-op-maat", 5),
        ("leren-opvolging", 0),
        ("samen-afspraken", 2),
    ] {
        assert!(
            json.contains(&format!("\"{item}@1\":{w}")),
            "{item}: {json}"
        );
    }
    assert!(
        json.contains("\"open-beter@1\":\"Ook van papier\""),
        "{json}"
    );
}
