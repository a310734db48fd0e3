//! The parent survey in every language, over real HTTP with a real SQLite file: `?taal=` picks
//! the form's language (texts from `enquetes/ouders.<taal>.toml`, same item ids), `lang`/`dir`
//! are right, errors and the thank-you page follow the language, and answers in every language
//! are stored under the same keys.

mod enquete_common;

use enquete_common::{Dienst, Formulier, close_periode, rows};

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
        // The switcher offers the other languages as buttons of the form (they keep the
        // answers); the form posts back in the same language.
        for (ander, _, _) in verwacht.iter().filter(|(t, _, _)| *t != taal) {
            assert!(
                r.body
                    .contains(&format!("form=\"vragen\" name=\"_taal\" value=\"{ander}\"")),
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
    let sleutels: Vec<String> = rows(&db, "SELECT antwoorden FROM inzending", |r| r.get(0));
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

/// What a parent must read on each page, per language: (taal, dir, a choice left open, the
/// closed page, the thank-you page, the kiosk after saving, an unknown questionnaire).
const ZINNEN: [[&str; 7]; 5] = [
    [
        "nl",
        "ltr",
        "Kies een antwoord bij vraag",
        "Je kan deze bevraging nu niet invullen.",
        "Bedankt voor je antwoorden!",
        "Het formulier is weer leeg voor de volgende persoon.",
        "Deze bevraging bestaat niet",
    ],
    [
        "en",
        "ltr",
        "Choose an answer for question",
        "You cannot fill in this survey now.",
        "Thank you for your answers!",
        "The form is empty again for the next person.",
        "This survey does not exist",
    ],
    [
        "fr",
        "ltr",
        "Choisissez une réponse à la question",
        "Vous ne pouvez pas remplir cette enquête maintenant.",
        "Merci pour vos réponses !",
        "Le formulaire est de nouveau vide pour la personne suivante.",
        "Cette enquête n&#39;existe pas",
    ],
    [
        "tr",
        "ltr",
        "soru için bir cevap seçin.",
        "Bu anketi şu anda dolduramazsınız.",
        "Cevaplarınız için teşekkürler!",
        "Form bir sonraki kişi için yine boş.",
        "Böyle bir anket yok",
    ],
    [
        "ar",
        "rtl",
        "اختر جوابًا للسؤال",
        "لا يمكنك ملء هذا الاستبيان الآن.",
        "شكرًا على أجوبتك!",
        "الاستمارة فارغة من جديد للشخص التالي.",
        "هذا الاستبيان غير موجود",
    ],
];

fn met_taal(pad: &str, taal: &str) -> String {
    match (taal, pad.contains('?')) {
        ("nl", _) => pad.to_string(),
        (_, true) => format!("{pad}&taal={taal}"),
        (_, false) => format!("{pad}?taal={taal}"),
    }
}

fn in_taal(body: &str, taal: &str, dir: &str) -> bool {
    body.contains(&format!("<html lang=\"{taal}\" dir=\"{dir}\">"))
}

#[test]
fn every_page_a_parent_reaches_speaks_the_form_language() {
    let mut d = Dienst::start();
    let kiosk_cookie = d.kiosk_aan("ouders");
    let mut bewaard = Vec::new();
    for [taal, dir, kies, _, bedankt, kiosk, onbekend] in ZINNEN {
        let pad = met_taal("/enquete/ouders", taal);
        let f = Formulier::uit(&d.get(&pad).body);
        bewaard.push((taal, dir, pad.clone(), Formulier::uit(&d.get(&pad).body)));

        // An invalid submission: the first choice left open. The page comes back in the same
        // language, with every other answer and the typed text still there.
        let tekst = format!("Mijn mening in {taal}: één");
        let (open, _) = f.keuzes[0].clone();
        let body = f
            .body(&tekst)
            .replace(&format!("&{open}=4"), "")
            .replace(&format!("&{open}=1"), "");
        let r = d.post_form(&pad, body.as_bytes());
        assert_eq!(r.status, 400, "{taal}: {}", r.body);
        assert!(in_taal(&r.body, taal, dir), "{taal}");
        assert!(r.body.contains(kies), "{taal}: {}", r.body);
        assert!(r.body.contains(&format!("action=\"{pad}\"")), "{taal}");
        for (naam, waarde) in &f.keuzes[1..] {
            assert!(
                r.body
                    .contains(&format!("name=\"{naam}\" value=\"{waarde}\" checked")),
                "{taal}: answer to {naam} kept"
            );
        }
        assert!(r.body.contains(&format!("{tekst}</textarea>")), "{taal}");

        // The thank-you page after a valid submission.
        let r = d.post_form(&pad, f.body(&tekst).as_bytes());
        assert_eq!(r.status, 303, "{taal}: {}", r.body);
        let naar = r.header("location").unwrap().to_string();
        assert_eq!(naar, met_taal("/enquete/ouders/bedankt", taal));
        let b = d.get(&naar);
        assert!(
            in_taal(&b.body, taal, dir) && b.body.contains(bedankt),
            "{taal}"
        );

        // The kiosk loop stays in the language and says the answers were saved.
        let kpad = met_taal("/enquete/ouders/kiosk", taal);
        let k = Formulier::uit(&d.kiosk_get(&kiosk_cookie, &kpad).body);
        let r = d.kiosk_post(&kiosk_cookie, &kpad, k.body("").as_bytes());
        assert_eq!(r.status, 303, "{taal}: {}", r.body);
        let naar = r.header("location").unwrap().to_string();
        assert_eq!(naar, met_taal("/enquete/ouders/kiosk?klaar=1", taal));
        let k = d.kiosk_get(&kiosk_cookie, &naar);
        assert!(
            in_taal(&k.body, taal, dir) && k.body.contains(kiosk),
            "{taal}"
        );

        // An unknown questionnaire and a typed trailing slash.
        let r = d.get(&met_taal("/enquete/bestaat-niet", taal));
        assert_eq!(r.status, 404);
        assert!(
            in_taal(&r.body, taal, dir) && r.body.contains(onbekend),
            "{taal}"
        );
        let r = d.get(&met_taal("/enquete/ouders/", taal));
        assert_eq!(r.header("location"), Some(pad.as_str()), "{taal}");
    }
    assert_eq!(d.aantal_inzendingen(), 10);

    // The period closes while parents are filling in: sending and opening the form both say
    // so in the parent's language.
    close_periode(&d.db, "ouders", "2025-2026");
    for ((taal, dir, pad, f), [.., gesloten, _, _, _]) in bewaard.into_iter().zip(ZINNEN) {
        let r = d.post_form(&pad, f.body("te laat").as_bytes());
        assert_eq!(r.status, 409, "{taal}: {}", r.body);
        assert!(
            in_taal(&r.body, taal, dir) && r.body.contains(gesloten),
            "{taal}: {}",
            r.body
        );
        let r = d.get(&pad);
        assert_eq!(r.status, 404, "{taal}");
        assert!(
            in_taal(&r.body, taal, dir) && r.body.contains(gesloten),
            "{taal}"
        );
    }
    assert_eq!(d.aantal_inzendingen(), 10, "nothing stored after closing");
    assert!(d.stop());
}

/// The normal form's language switcher is a POST of the form: the form comes back in the chosen
/// language with every answer (and text) kept, the token unused, and nothing stored.
#[test]
fn switching_language_on_the_form_keeps_the_answers_and_stores_nothing() {
    let d = Dienst::start();
    let r = d.get("/enquete/ouders");
    let f = Formulier::uit(&r.body);
    let body = format!(
        "csrf={}&periode={}&zorg-aanspreekpunt=5&leren-op-maat=0&open-goed=Fijne+juf&_taal=ar",
        f.csrf, f.periode
    );
    let r = d.post_form("/enquete/ouders", body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(r.body.contains("action=\"/enquete/ouders?taal=ar\""));
    assert!(
        r.body.contains(
            "id=\"v-zorg-aanspreekpunt-5\" name=\"zorg-aanspreekpunt\" value=\"5\" checked"
        )
    );
    assert!(
        r.body
            .contains("id=\"v-leren-op-maat-0\" name=\"leren-op-maat\" value=\"0\" checked")
    );
    assert!(r.body.contains(">Fijne juf</textarea>"));
    assert!(
        !r.body.contains("enquete-foutsamenvatting"),
        "no errors for a switch"
    );
    assert_eq!(d.aantal_inzendingen(), 0);
    // The same form (its token was not spent) is then sent in Arabic and stored once.
    let ar = Formulier::uit(&r.body);
    assert_eq!(ar.csrf, f.csrf);
    let post = d.post_form("/enquete/ouders?taal=ar", ar.body("").as_bytes());
    assert_eq!(post.status, 303, "{}", post.body);
    assert_eq!(d.aantal_inzendingen(), 1);
}
