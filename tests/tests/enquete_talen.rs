//! The parent survey in every language, over real HTTP with a real SQLite file: `?taal=` picks
//! the form's language (texts from `enquetes/ouders.<taal>.toml`, same item ids), `lang`/`dir`
//! are right, errors and the thank-you page follow the language, and answers in every language
//! are stored under the same keys.

mod enquete_common;

use enquete_common::{Dienst, Formulier};

#[test]
fn the_parent_form_in_every_language_counts_together() {
    let d = Dienst::start();
    let verwacht = [
        ("nl", "ltr", "Ik voel me welkom op school."),
        ("en", "ltr", "I feel welcome at school."),
        ("fr", "ltr", "Je me sens bienvenu à l&#39;école."),
        ("tr", "ltr", "Okulda kendimi hoş karşılanmış hissediyorum."),
        ("ar", "rtl", "أشعر بأنني مرحّب بي في المدرسة."),
    ];
    for (taal, dir, welkom) in verwacht {
        let pad = if taal == "nl" {
            "/enquete/ouders".to_string()
        } else {
            format!("/enquete/ouders?taal={taal}")
        };
        let r = d.get(&pad);
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(
            r.body
                .contains(&format!("<html lang=\"{taal}\" dir=\"{dir}\">")),
            "{taal}"
        );
        assert!(r.body.contains(welkom), "{taal}: item text");
        // The switcher offers the other languages; the form posts back in the same language.
        for (ander, _, _) in verwacht.iter().filter(|(t, _, _)| *t != taal) {
            assert!(
                r.body.contains(&format!("hreflang=\"{ander}\"")),
                "{taal} → {ander}"
            );
        }
        assert!(r.body.contains(&format!("action=\"{pad}\"")), "{taal}");
        let f = Formulier::uit(&r.body);
        let post = d.post_form(&pad, f.body("").as_bytes());
        assert_eq!(post.status, 303, "{taal}: {}", post.body);
        let bedankt = post.header("location").unwrap().to_string();
        let b = d.get(&bedankt);
        assert!(
            b.body.contains(&format!("<html lang=\"{taal}\"")),
            "{bedankt}"
        );
    }
    assert!(
        d.get("/enquete/ouders/bedankt?taal=ar")
            .body
            .contains("شكرًا على أجوبتك!")
    );

    // All five used the same item ids and versions.
    let db = d.db();
    let sleutels: Vec<String> = db
        .prepare("SELECT antwoorden FROM inzending")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(sleutels.len(), 5);
    for json in &sleutels {
        assert!(json.contains("\"samen-welkom@1\""), "{json}");
    }
}

#[test]
fn errors_are_shown_in_the_form_language() {
    let d = Dienst::start();
    let r = d.get("/enquete/ouders?taal=ar");
    let f = Formulier::uit(&r.body);
    let leeg = format!("csrf={}&periode={}", f.csrf, f.periode);
    let r = d.post_form("/enquete/ouders?taal=ar", leeg.as_bytes());
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(r.body.contains("اختر جوابًا للسؤال 1."), "{}", r.body);
    assert!(!r.body.contains("Kies een antwoord"), "no Dutch error left");
    // A language without a translation falls back to Dutch.
    let r = d.get("/enquete/collegas?taal=ar");
    assert!(
        r.body.contains("<html lang=\"nl\" dir=\"ltr\">") || r.status == 404,
        "{}",
        r.status
    );
}
