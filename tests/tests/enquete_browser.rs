//! The survey pages in headless Chromium: axe-core (WCAG 2.2 AA tags) over every survey page at
//! 360 px and desktop width, and a keyboard-only walk through the form with JavaScript off
//! (`tests/browser/enquete-toetsenbord.mjs`: skip link, radio groups with Space and arrows,
//! error summary with focus and links, answers kept, thank-you page, kiosk reset).

mod enquete_common;

use enquete_common::{Dienst, Opties, rows};

fn dienst() -> Dienst {
    Dienst::start_met(Opties {
        open: vec![("ouders", "2025-2026"), ("collegas", "2025-2026")],
        ..Opties::default()
    })
}

#[test]
fn survey_pages_pass_axe() {
    let d = dienst();
    // The kiosk pages as a device that staff switched on sees them (with the stop button).
    let kiosk = d.kiosk_aan("ouders");
    let paden: Vec<String> = [
        "/enquete/",
        "/enquete/ouders",
        "/enquete/ouders/kiosk",
        "/enquete/ouders/kiosk?klaar=1",
        "/enquete/ouders/bedankt",
        "/enquete/collegas",
        "/enquete/collegas/bedankt",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    let base = format!("http://{}", d.adres);
    let uitkomst = e2e::run_axe_with(&base, &paden, &["--lang-check=nl", "--cookie", &kiosk]);
    assert!(uitkomst.passed(), "{}", uitkomst.output());
    assert_eq!(uitkomst.pages, Some(paden.len()), "{}", uitkomst.output());
    assert_eq!(uitkomst.violations, Some(0), "{}", uitkomst.output());

    // The parent survey in every other language: form, kiosk and thank-you page.
    for taal in ["en", "fr", "tr", "ar"] {
        let paden: Vec<String> = [
            "/enquete/ouders",
            "/enquete/ouders/kiosk",
            "/enquete/ouders/bedankt",
        ]
        .iter()
        .map(|p| format!("{p}?taal={taal}"))
        .collect();
        let uitkomst = e2e::run_axe_with(
            &base,
            &paden,
            &[
                &format!("--lang-check={taal}"),
                "--rtl=ar",
                "--cookie",
                &kiosk,
            ],
        );
        assert!(uitkomst.passed(), "{taal}: {}", uitkomst.output());
        assert_eq!(uitkomst.pages, Some(paden.len()), "{}", uitkomst.output());
        assert_eq!(uitkomst.violations, Some(0), "{}", uitkomst.output());
    }
}

#[test]
fn the_form_works_with_the_keyboard_only_and_without_javascript() {
    let d = dienst();
    let base = format!("http://{}", d.adres);
    let kiosk = d.kiosk_aan("ouders");
    let script = enquete_common::browser_script("enquete-toetsenbord.mjs");
    let out = e2e::run_node_script(&script, &["--base", &base, "--kiosk-cookie", &kiosk]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "keyboard walk failed:\n{stdout}\n--- stderr ---\n{stderr}"
    );
    assert!(stdout.contains("stappen, 0 fout"), "{stdout}");
    // The walk sent one online and one kiosk response; the refused first try stored nothing.
    let kanalen: Vec<String> = rows(
        &d.db(),
        "SELECT kanaal FROM inzending ORDER BY kanaal",
        |r| r.get(0),
    );
    assert_eq!(kanalen, ["kiosk", "online"]);
}

#[test]
fn the_arabic_form_works_with_the_keyboard_only() {
    let d = dienst();
    let base = format!("http://{}", d.adres);
    let script = enquete_common::browser_script("enquete-toetsenbord.mjs");
    let kiosk = d.kiosk_aan("ouders");
    let out = e2e::run_node_script(
        &script,
        &["--base", &base, "--taal", "ar", "--kiosk-cookie", &kiosk],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "keyboard walk in Arabic failed:\n{stdout}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("taal ar: lang en dir kloppen"), "{stdout}");
    assert!(stdout.contains("stappen, 0 fout"), "{stdout}");
}

/// The simple mode in Chromium at 390 x 844 with JavaScript off, in Dutch and Arabic: axe on
/// every screen, touch targets of at least 44 x 44 px, the question and its first answer
/// visible without scrolling, and one response stored at the end of each walk.
#[test]
fn the_simple_mode_passes_axe_on_every_screen_in_dutch_and_arabic() {
    let d = dienst();
    let base = format!("http://{}", d.adres);
    let script = enquete_common::browser_script("eenvoudig.mjs");
    for (i, taal) in ["nl", "ar"].into_iter().enumerate() {
        let out = e2e::run_node_script(&script, &["--base", &base, "--taal", taal]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "simple mode in {taal}:\n{stdout}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Code screen absent (no codes), 16 questions, "klaar".
        assert!(
            stdout.contains(&format!("taal {taal}: 17 schermen")),
            "{stdout}"
        );
        assert!(stdout.contains("stappen, 0 fout"), "{stdout}");
        assert_eq!(d.aantal_inzendingen(), i as i64 + 1);
    }
}

/// On a 390 x 844 phone the first question is on the first screen, in Dutch and Arabic, and the
/// one language switcher brings the form back in the other language with the answers kept.
#[test]
fn the_first_question_is_on_the_first_screen_and_switching_language_keeps_the_answers() {
    let d = dienst();
    let base = format!("http://{}", d.adres);
    let script = enquete_common::browser_script("eerste-scherm.mjs");
    for (taal, naar) in [("nl", "ar"), ("ar", "nl")] {
        let out = e2e::run_node_script(&script, &["--base", &base, "--taal", taal, "--naar", naar]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "first screen in {taal}:\n{stdout}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("eerste scherm: 4 stappen, 0 fout"),
            "{stdout}"
        );
    }
    assert_eq!(
        d.aantal_inzendingen(),
        0,
        "switching language stores nothing"
    );
}

/// "Lees voor": with a voice for the page's language a button beside every question that speaks
/// the question and its answers in that language (simple mode in Arabic, the form in Dutch);
/// without a voice for the language, no button.
#[test]
fn read_aloud_appears_only_with_a_voice_and_speaks_the_page_language() {
    let d = dienst();
    let base = format!("http://{}", d.adres);
    let script = enquete_common::browser_script("voorlezen.mjs");
    for (pad, stemmen, verwacht) in [
        ("/enquete/ouders/eenvoudig?taal=ar", "ar-SA,nl-BE", "knop"),
        ("/enquete/ouders", "nl-NL", "knop"),
        ("/enquete/ouders/eenvoudig?taal=ar", "nl-BE,en-GB", "geen"),
    ] {
        let out = e2e::run_node_script(
            &script,
            &[
                "--base",
                &base,
                "--pad",
                pad,
                "--stemmen",
                stemmen,
                "--verwacht",
                verwacht,
            ],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{pad} {stemmen}:\n{stdout}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(" 0 fout"), "{stdout}");
    }
}
