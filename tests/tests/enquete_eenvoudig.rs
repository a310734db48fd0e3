//! The simple mode (`/enquete/<vragenlijst>/eenvoudig`) over plain HTTP, as a browser without
//! JavaScript uses it: every screen is a form, every step a POST with the answers so far in
//! hidden fields. Nothing is stored before the last step, exactly one response after it; a
//! tampered step is refused with the answers kept; codes and the staff kiosk work as on the
//! normal form.

mod enquete_common;

use enquete_common::{Antwoord, Dienst, cli, urlencode};

/// One screen of the simple mode as the page offers it.
#[derive(Debug, Clone)]
struct Scherm {
    actie: String,
    /// The hidden fields of the step form, in page order (names and values unescaped).
    verborgen: Vec<(String, String)>,
    /// The submit buttons of the step form: (name, value).
    knoppen: Vec<(String, String)>,
    /// The open item's text field on this screen, if any.
    tekstveld: Option<String>,
    html: String,
}

fn ontsnap(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, naam: &str) -> Option<String> {
    enquete_common::attr_in_tag(tag, naam).map(ontsnap)
}

impl Scherm {
    fn uit(r: &Antwoord) -> Scherm {
        let html = r.body.clone();
        let begin = html
            .find("<form class=\"eenvoudig-stap\"")
            .unwrap_or_else(|| panic!("no step form ({}):\n{html}", r.status));
        let eind = begin + html[begin..].find("</form>").expect("form ends");
        let form = &html[begin..eind];
        let open = &form[..form.find('>').unwrap() + 1];
        let mut verborgen = Vec::new();
        let mut knoppen = Vec::new();
        for (i, _) in form.match_indices('<') {
            let Some(tag) = enquete_common::tag_rond(form, i + 1) else {
                continue;
            };
            if tag.starts_with("<input") && tag.contains("type=\"hidden\"") {
                verborgen.push((attr(tag, "name").unwrap(), attr(tag, "value").unwrap()));
            } else if tag.starts_with("<button") && tag.contains("type=\"submit\"") {
                knoppen.push((attr(tag, "name").unwrap(), attr(tag, "value").unwrap()));
            }
        }
        let tekstveld = form
            .find("<textarea ")
            .and_then(|i| enquete_common::tag_rond(form, i + 1))
            .and_then(|t| attr(t, "name"));
        Scherm {
            actie: attr(open, "action").unwrap(),
            verborgen,
            knoppen,
            tekstveld,
            html,
        }
    }

    fn stap(&self) -> &str {
        self.veld("_stap").expect("_stap")
    }

    fn veld(&self, naam: &str) -> Option<&str> {
        self.verborgen
            .iter()
            .find(|(n, _)| n == naam)
            .map(|(_, w)| w.as_str())
    }

    fn heeft_knop(&self, naam: &str, waarde: &str) -> bool {
        self.knoppen.iter().any(|(n, w)| n == naam && w == waarde)
    }

    /// The body the browser sends when `knop` is pressed, with `extra` fields (a text field).
    fn body(&self, knop: (&str, &str), extra: &[(&str, &str)]) -> String {
        self.verborgen
            .iter()
            .map(|(n, w)| (n.as_str(), w.as_str()))
            .chain(extra.iter().copied())
            .chain(std::iter::once(knop))
            .map(|(n, w)| format!("{}={}", urlencode(n), urlencode(w)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Presses a button: a POST of the screen's form.
fn druk(d: &Dienst, s: &Scherm, knop: (&str, &str), extra: &[(&str, &str)]) -> Antwoord {
    d.post_form(&s.actie, s.body(knop, extra).as_bytes())
}

fn druk_kiosk(d: &Dienst, cookie: &str, s: &Scherm, knop: (&str, &str)) -> Antwoord {
    d.kiosk_post(cookie, &s.actie, s.body(knop, &[]).as_bytes())
}

/// Answers the screen as a parent would: "Akkoord" (4) on a choice, a sentence in a text field.
fn beantwoord(d: &Dienst, s: &Scherm) -> Antwoord {
    match &s.tekstveld {
        Some(naam) => druk(
            d,
            s,
            ("_ga", "verder"),
            &[(naam, "Fijne school & goede zorg")],
        ),
        None if s.heeft_knop("_antwoord", "4") => druk(d, s, ("_antwoord", "4"), &[]),
        None => druk(d, s, ("_antwoord", &s.knoppen[0].1.clone()), &[]),
    }
}

fn ok(r: &Antwoord) -> Scherm {
    assert_eq!(r.status, 200, "{}", r.body);
    Scherm::uit(r)
}

/// Walks from the first question to "Klaar", checking the progress line and that nothing is
/// stored on the way. Returns the "Klaar" screen.
fn loop_tot_klaar(d: &Dienst, begin: Scherm, voortgang: impl Fn(usize) -> String) -> Scherm {
    let mut s = begin;
    let mut nummer = 1;
    while s.stap() != "klaar" {
        assert_eq!(s.stap(), nummer.to_string());
        assert!(s.html.contains(&voortgang(nummer)), "{}", voortgang(nummer));
        s = ok(&beantwoord(d, &s));
        assert_eq!(
            d.aantal_inzendingen(),
            0,
            "nothing is stored before the end"
        );
        nummer += 1;
    }
    assert_eq!(nummer, 17, "16 questions, one screen each");
    s
}

#[test]
fn a_parent_walks_the_simple_mode_in_dutch_and_one_response_is_stored_at_the_end() {
    let d = Dienst::start();
    // The normal form links to it.
    let form = d.get("/enquete/ouders");
    assert!(form.body.contains("href=\"/enquete/ouders/eenvoudig\""));

    let s = ok(&d.get("/enquete/ouders/eenvoudig"));
    assert!(s.html.contains("<html lang=\"nl\" dir=\"ltr\">"));
    assert!(s.html.contains("Vraag 1 van 16"));
    // Five faces with words and "weet ik niet", as buttons.
    for w in 0..=5 {
        assert!(s.heeft_knop("_antwoord", &w.to_string()), "{w}");
    }
    // The five faces and the question mark, inside the page (see snelheid_http), one per button.
    assert_eq!(s.html.matches("<svg width=\"48\" height=\"48\"").count(), 6);
    assert!(s.html.contains("Helemaal akkoord") && s.html.contains("Weet ik niet"));
    assert!(!s.heeft_knop("_ga", "terug"), "no screen before the first");

    // Two steps, then back: the answer of question 2 is still there (marked as chosen).
    let s2 = ok(&druk(&d, &s, ("_antwoord", "5"), &[]));
    assert_eq!(s2.stap(), "2");
    assert_eq!(s2.veld("zorg-aanspreekpunt"), Some("5"));
    let s3 = ok(&druk(&d, &s2, ("_antwoord", "0"), &[]));
    let terug = ok(&druk(&d, &s3, ("_ga", "terug"), &[]));
    assert_eq!(terug.stap(), "2");
    assert!(terug.html.contains("(je koos dit)"), "{}", terug.html);
    assert_eq!(terug.veld("zorg-zorgcoordinator"), Some("0"));
    // The same form token travels through every step.
    assert_eq!(terug.veld("csrf"), s.veld("csrf"));

    let begin = ok(&d.get("/enquete/ouders/eenvoudig"));
    let klaar = loop_tot_klaar(&d, begin, |n| format!("Vraag {n} van 16"));
    assert!(klaar.html.contains("Klaar! Verstuur nu je antwoorden"));
    assert!(
        klaar.html.contains("Wat we bewaren"),
        "privacy note before sending"
    );
    let r = druk(&d, &klaar, ("_ga", "versturen"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/enquete/ouders/bedankt"));
    assert_eq!(d.aantal_inzendingen(), 1);
    let (kanaal, json): (String, String) = d
        .db()
        .query_row("SELECT kanaal, antwoorden FROM inzending", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(kanaal, "online");
    assert!(json.contains("\"samen-welkom@1\":4"), "{json}");
    assert!(
        json.contains("\"open-goed@1\":\"Fijne school & goede zorg\""),
        "{json}"
    );

    // The token is spent now: sending the last screen again, or any step of it, stores nothing.
    let nog = druk(&d, &klaar, ("_ga", "versturen"), &[]);
    assert_eq!(nog.status, 409, "{}", nog.body);
    let stap = druk(&d, &klaar, ("_ga", "terug"), &[]);
    assert_eq!(stap.status, 409, "{}", stap.body);
    assert!(
        Scherm::uit(&stap).veld("samen-welkom").is_some(),
        "answers kept"
    );
    assert_eq!(d.aantal_inzendingen(), 1);
}

#[test]
fn a_parent_walks_the_simple_mode_in_arabic_right_to_left() {
    let d = Dienst::start();
    let s = ok(&d.get("/enquete/ouders/eenvoudig?taal=ar"));
    assert!(s.html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert_eq!(s.actie, "/enquete/ouders/eenvoudig?taal=ar");
    assert!(s.html.contains("غير موافق إطلاقًا") && s.html.contains("لا أعرف"));
    let klaar = loop_tot_klaar(&d, s, |n| format!("السؤال {n} من 16"));
    assert!(klaar.html.contains("انتهيت! أرسل أجوبتك الآن"));
    let r = druk(&d, &klaar, ("_ga", "versturen"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some("/enquete/ouders/bedankt?taal=ar")
    );
    assert_eq!(d.aantal_inzendingen(), 1);
}

#[test]
fn a_tampered_step_is_refused_with_the_answers_kept() {
    let d = Dienst::start();
    let mut s = ok(&d.get("/enquete/ouders/eenvoudig"));
    for _ in 0..4 {
        s = ok(&beantwoord(&d, &s));
    }
    assert_eq!(s.stap(), "5");

    // A changed hidden field: question 2 gets a value that is not an option.
    let mut veranderd = s.clone();
    for (n, w) in &mut veranderd.verborgen {
        if n == "zorg-zorgcoordinator" {
            *w = "9".into();
        }
    }
    let r = druk(&d, &veranderd, ("_antwoord", "4"), &[]);
    assert_eq!(r.status, 400, "{}", r.body);
    let fout = Scherm::uit(&r);
    assert_eq!(fout.stap(), "2", "shown at the question with the problem");
    assert!(
        fout.html
            .contains("Dit antwoord bij vraag 2 kennen we niet")
    );
    for id in [
        "zorg-aanspreekpunt",
        "zorg-info-duidelijk",
        "zorg-snel-opgevolgd",
        "leren-op-maat",
    ] {
        assert_eq!(fout.veld(id), Some("4"), "{id} kept");
    }
    assert_eq!(
        fout.veld("zorg-zorgcoordinator"),
        None,
        "the bad value is dropped"
    );

    // An answer out of range on the current screen.
    let r = druk(&d, &s, ("_antwoord", "6"), &[]);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(Scherm::uit(&r).stap(), "5");
    assert!(r.body.contains("Dit antwoord bij vraag 5 kennen we niet"));

    // An item that is not in the questionnaire.
    let r = druk(&d, &s, ("_antwoord", "4"), &[("bestaat-niet", "3")]);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body
            .contains("een vraag die niet in deze vragenlijst staat")
    );
    assert_eq!(Scherm::uit(&r).veld("zorg-aanspreekpunt"), Some("4"));

    // A step we never make, and a forged token.
    let r = druk(&d, &s, ("_ga", "springen"), &[]);
    assert_eq!(r.status, 400, "{}", r.body);
    let mut vals = s.clone();
    for (n, w) in &mut vals.verborgen {
        if n == "csrf" {
            *w = "0.0.00000000000000000000000000000000".into();
        }
    }
    let r = druk(&d, &vals, ("_antwoord", "4"), &[]);
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(
        Scherm::uit(&r).veld("leren-op-maat"),
        Some("4"),
        "answers kept"
    );

    // The last step with a hidden answer removed: refused at that question, nothing stored.
    let mut klaar = s;
    while klaar.stap() != "klaar" {
        klaar = ok(&beantwoord(&d, &klaar));
    }
    klaar.verborgen.retain(|(n, _)| n != "welbevinden-veilig");
    let r = druk(&d, &klaar, ("_ga", "versturen"), &[]);
    assert_eq!(r.status, 400, "{}", r.body);
    let terug = Scherm::uit(&r);
    assert_eq!(terug.stap(), "10", "{}", terug.html);
    assert!(terug.html.contains("Kies een antwoord bij vraag 10."));
    assert_eq!(d.aantal_inzendingen(), 0);
    // Answering it, the walk goes on and stores once.
    let mut s = ok(&beantwoord(&d, &terug));
    while s.stap() != "klaar" {
        s = ok(&beantwoord(&d, &s));
    }
    let r = druk(&d, &s, ("_ga", "versturen"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(d.aantal_inzendingen(), 1);
}

#[test]
fn codes_and_the_kiosk_work_in_the_simple_mode() {
    let d = Dienst::start();
    let db = d.db.to_str().unwrap().to_string();
    let (gelukt, out, err) = cli(&["codes", "ouders", "2025-2026", "--aantal", "2", "--db", &db]);
    assert!(gelukt, "{err}");
    let codes: Vec<&str> = out.lines().collect();

    // With codes, the simple mode asks for the code first.
    let s = ok(&d.get("/enquete/ouders/eenvoudig"));
    assert_eq!(s.stap(), "code");
    assert!(s.html.contains("id=\"code\""));
    let r = druk(&d, &s, ("_ga", "verder"), &[("code", "")]);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("Vul je code in."));
    let s = ok(&druk(&d, &s, ("_ga", "verder"), &[("code", codes[0])]));
    assert_eq!(s.stap(), "1");
    assert_eq!(s.veld("code"), Some(codes[0]), "the code travels hidden");
    let mut s = s;
    while s.stap() != "klaar" {
        s = ok(&beantwoord(&d, &s));
    }
    let r = druk(&d, &s, ("_ga", "versturen"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(d.getal("SELECT count(*) FROM code WHERE gebruikt = 1"), 1);

    // The letter's QR code fills the code in: straight to question 1. A used code is refused
    // at the end and the code screen comes back, with every answer kept.
    let s = ok(&d.get(&format!("/enquete/ouders/eenvoudig?code={}", codes[0])));
    assert_eq!(s.stap(), "1");
    let mut s = s;
    while s.stap() != "klaar" {
        s = ok(&beantwoord(&d, &s));
    }
    let r = druk(&d, &s, ("_ga", "versturen"), &[]);
    assert_eq!(r.status, 403, "{}", r.body);
    let code = Scherm::uit(&r);
    assert_eq!(code.stap(), "code");
    assert!(
        r.body
            .contains("Deze code kennen we niet, of ze werd al gebruikt.")
    );
    assert_eq!(code.veld("samen-welkom"), Some("4"));
    assert_eq!(d.aantal_inzendingen(), 1);

    // The kiosk: no code screen, channel `kiosk`, back to an empty simple mode afterwards.
    let cookie = d.kiosk_aan("ouders");
    let s = ok(&d.kiosk_get(&cookie, "/enquete/ouders/kiosk/eenvoudig"));
    assert_eq!(s.stap(), "1");
    assert_eq!(s.actie, "/enquete/ouders/kiosk/eenvoudig");
    let mut s = s;
    while s.stap() != "klaar" {
        let knop = match &s.tekstveld {
            Some(_) => ("_ga", "verder"),
            None => ("_antwoord", "3"),
        };
        s = ok(&druk_kiosk(&d, &cookie, &s, knop));
    }
    let r = druk_kiosk(&d, &cookie, &s, ("_ga", "versturen"));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some("/enquete/ouders/kiosk/eenvoudig?klaar=1")
    );
    assert_eq!(
        d.getal("SELECT count(*) FROM inzending WHERE kanaal = 'kiosk'"),
        1
    );
    let volgende = ok(&d.kiosk_get(&cookie, "/enquete/ouders/kiosk/eenvoudig?klaar=1"));
    assert_eq!(volgende.stap(), "1");
    assert!(volgende.html.contains("Het formulier is weer leeg"));
    assert_eq!(volgende.veld("samen-welkom"), None);
    // Without the kiosk cookie the kiosk address is the online simple mode, with codes.
    let s = ok(&d.get("/enquete/ouders/kiosk/eenvoudig"));
    assert_eq!(s.stap(), "code");
}

#[test]
fn the_language_switcher_keeps_the_answers_and_stores_nothing() {
    let d = Dienst::start();
    let mut s = ok(&d.get("/enquete/ouders/eenvoudig"));
    for _ in 0..3 {
        s = ok(&beantwoord(&d, &s));
    }
    // The switcher's buttons belong to the step form (`form="stap"`).
    assert!(
        s.html.contains("form=\"stap\" name=\"_taal\" value=\"ar\""),
        "{}",
        s.html
    );
    let r = d.post_form(&s.actie, s.body(("_taal", "ar"), &[]).as_bytes());
    let ar = ok(&r);
    assert!(ar.html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert_eq!(ar.stap(), "4", "the same screen");
    assert!(ar.html.contains("السؤال 4 من 16"));
    assert_eq!(ar.actie, "/enquete/ouders/eenvoudig?taal=ar");
    for id in [
        "zorg-aanspreekpunt",
        "zorg-zorgcoordinator",
        "zorg-info-duidelijk",
    ] {
        assert_eq!(ar.veld(id), Some("4"), "{id}");
    }
    assert_eq!(d.aantal_inzendingen(), 0);
}

/// The printed letter carries one line in each other language of the questionnaire (in that
/// language, from `content/teksten/<taal>.toml`), and its QR code opens the simple mode with
/// the code filled in.
#[test]
fn the_letters_speak_every_questionnaire_language() {
    let d = Dienst::start();
    let db = d.db.to_str().unwrap().to_string();
    let brieven = d.tmp.path().join("brieven.html");
    let (gelukt, out, err) = cli(&[
        "codes",
        "ouders",
        "2025-2026",
        "--aantal",
        "2",
        "--brieven",
        brieven.to_str().unwrap(),
        "--db",
        &db,
    ]);
    assert!(gelukt, "{err}");
    assert_eq!(out.lines().count(), 2);
    let html = std::fs::read_to_string(&brieven).unwrap();
    for (taal, dir, zin) in [
        ("en", "ltr", "This survey is also in English"),
        ("fr", "ltr", "Ce questionnaire existe aussi en Français"),
        ("tr", "ltr", "Bu anket Türkçe dilinde de var"),
        ("ar", "rtl", "هذا الاستبيان موجود أيضًا باللغة العربية"),
    ] {
        let regel = format!("<li lang=\"{taal}\" dir=\"{dir}\">{zin}");
        assert_eq!(
            html.matches(&regel).count(),
            2,
            "{taal} on both letters:\n{html}"
        );
    }
    assert!(
        !html.contains("<li lang=\"nl\""),
        "the letter itself is Dutch"
    );
}
