//! The survey service's pages come from the theme and the texts from `content/teksten/`, over
//! real HTTP with the real binary: a changed template in a copy of the theme shows on the
//! survey page; the Arabic form has its own frame without a Dutch word of the site; the text
//! files are checked at start-up with file and line; on the dashboard a database that cannot
//! be written is a 503 page and a real conflict still a 409.

mod beheer_common;
mod enquete_common;

use std::path::Path;

use beheer_common::{aanmelden, maak_gebruiker, post, token};
use enquete_common::{Dienst, Opties, copy_of_content, serve_op, workspace_root};
use zorgsite::model::config::Config;
use zorgsite::model::teksten::Teksten;

/// As the templates escape text.
fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn lees(pad: &Path) -> String {
    std::fs::read_to_string(pad).unwrap_or_else(|e| panic!("{}: {e}", pad.display()))
}

#[test]
fn a_changed_template_in_a_copy_of_the_theme_shows_on_the_survey_page() {
    let tmp = e2e::TempDir::new("sjablonen-thema");
    let thema = tmp.path().join("site");
    e2e::copy_dir(&workspace_root().join("site"), &thema);
    let formulier = thema.join("templates/enquete/formulier.html");
    let tekst = lees(&formulier);
    let gewijzigd = tekst.replace(
        "{% block content %}\n",
        "{% block content %}\n<p class=\"proef\">Proef met {{ pagina.titel }} in {{ lang }}</p>\n",
    );
    assert_ne!(tekst, gewijzigd);
    std::fs::write(&formulier, gewijzigd).unwrap();

    let d = Dienst::start_met(Opties {
        theme: Some(thema.clone()),
        ..Opties::default()
    });
    let r = d.get("/enquete/ouders");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains(
            "<p class=\"proef\">Proef met Hoe ervaar jij de zorg op onze school? in nl</p>"
        ),
        "{}",
        r.body
    );
    let r = d.get("/enquete/ouders?taal=fr");
    assert!(r.body.contains("<p class=\"proef\">Proef met ") && r.body.contains(" in fr</p>"));
    // The unchanged example theme does not have it.
    let gewoon = Dienst::start();
    assert!(
        !gewoon
            .get("/enquete/ouders")
            .body
            .contains("class=\"proef\"")
    );
}

#[test]
fn the_arabic_form_has_its_own_frame_without_a_dutch_word_of_the_site() {
    let content = workspace_root().join("content");
    let (config, _) = Config::load(&content).unwrap();
    let (teksten, _) = Teksten::load(&content, &config).unwrap();
    let d = Dienst::start();
    let r = d.get("/enquete/ouders?taal=ar");
    assert_eq!(r.status, 200, "{}", r.body);
    let html = &r.body;
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");

    // Every Dutch text of the frame (every page's texts, the site's menu, header and footer)
    // and of the survey itself is absent, unless Arabic happens to use the same word.
    let mut getoetst = 0;
    for key in teksten.sleutels() {
        let tabel = key.split('.').next().unwrap();
        if !["algemeen", "site", "enquete", "melding"].contains(&tabel) {
            continue;
        }
        let nl = teksten.eigen(key, "nl").unwrap();
        if nl.chars().count() < 5 || teksten.eigen(key, "ar") == Some(nl) {
            continue;
        }
        // As it would appear in the page: escaped, before any placeholder.
        let nl = escape(nl.split('{').next().unwrap());
        if nl.trim().chars().count() < 5 {
            continue;
        }
        getoetst += 1;
        assert!(
            !html.contains(nl.trim()),
            "Dutch `{key}` ({nl}) on the Arabic page"
        );
    }
    assert!(getoetst > 80, "only {getoetst} texts checked");
    // Nothing of the public site's frame: no main menu, no footer with the school's numbers.
    for deel in [
        "class=\"voet\"",
        "aria-label=\"Hoofdmenu\"",
        "Geef je mening",
    ] {
        assert!(!html.contains(deel), "{deel}");
    }
    // Its own: the Arabic skip link, switcher label and privacy link, the school's name.
    for key in [
        "algemeen.ga_naar_inhoud",
        "algemeen.taalkeuze",
        "enquete.privacy_kop",
    ] {
        let ar = teksten.eigen(key, "ar").unwrap();
        assert!(html.contains(ar), "{key}: {ar}");
    }
    assert!(html.contains(&format!(">{}</a>", config.school_naam())));
}

#[test]
fn start_up_reports_a_missing_and_an_unknown_text_with_file_and_line() {
    let (tmp, root) = copy_of_content("sjablonen-teksten");
    let en = root.join("teksten/en.toml");
    let tekst = lees(&en);
    let regel = |t: &str, begin: &str| t.lines().position(|l| l.starts_with(begin)).unwrap() + 1;
    let gewijzigd = tekst
        .replace("versturen = \"Send answers\"\n", "")
        .replace("bedankt_kop = ", "bedankt_kopje = ");
    let fout_regel = regel(&gewijzigd, "bedankt_kopje = ");
    let tabel = regel(&gewijzigd, "[enquete]");
    std::fs::write(&en, &gewijzigd).unwrap();
    let db = tmp.path().join("z.sqlite");
    let (ok, _, err) = serve_op(&root, &db);
    assert!(!ok, "an unknown text stops start-up");
    let onbekend = format!(
        "teksten/en.toml:{fout_regel}:1: fout: onbekende tekst `enquete.bedankt_kopje` — bedoel je `enquete.bedankt_kop`?"
    );
    assert!(err.contains(&onbekend), "{onbekend}\n{err}");
    let ontbreekt = format!(
        "teksten/en.toml:{tabel}:2: waarschuwing: de tekst `enquete.versturen` is nog niet vertaald"
    );
    assert!(err.contains(&ontbreekt), "{ontbreekt}\n{err}");
    assert!(!db.exists(), "nothing started");

    // Only a missing text: the service starts, says so, and shows the Dutch words.
    std::fs::write(&en, gewijzigd.replace("bedankt_kopje = ", "bedankt_kop = ")).unwrap();
    let d = Dienst::start_met(Opties {
        root: Some(root.clone()),
        ..Opties::default()
    });
    assert!(d.log().contains(&ontbreekt), "{}", d.log());
    let r = d.get("/enquete/ouders?taal=en");
    assert!(
        r.body.contains("<html lang=\"en\"") && r.body.contains(">Antwoorden versturen</button>"),
        "{}",
        r.body
    );
}

#[test]
fn a_database_failure_on_the_dashboard_is_a_503_page_and_a_conflict_still_a_409() {
    let d = Dienst::start();
    maak_gebruiker(&d, "an", "beheer");
    let cookie = aanmelden(&d, "an");
    let csrf = token(&d, &cookie);

    // Another program holds the write lock on the file: the dashboard cannot write (after its
    // busy timeout of 5 s) and says so, without pretending the period is at fault.
    let slot = d.db();
    slot.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let r = post(
        &d,
        &cookie,
        "/beheer/periode/sluit",
        &format!("csrf={csrf}&vragenlijst=ouders&periode=2025-2026"),
    );
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(
        r.body.contains("<h1>Even niet beschikbaar</h1>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("De databank is nu niet bruikbaar."),
        "{}",
        r.body
    );
    assert!(r.body.contains("<html lang=\"nl\""));
    assert!(
        !r.body.contains("Dat lukte niet"),
        "not worded as a conflict"
    );
    slot.execute_batch("ROLLBACK").unwrap();
    drop(slot);
    assert_eq!(
        d.getal("SELECT open FROM periode WHERE vragenlijst = 'ouders' AND naam = '2025-2026'"),
        1,
        "nothing changed"
    );

    // With the file free again, opening a second period while one is open is a real conflict.
    let r = post(
        &d,
        &cookie,
        "/beheer/periode/open",
        &format!("csrf={csrf}&vragenlijst=ouders&periode=2026-2027"),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body
            .contains("Periode 2025-2026 van ouders is nog open. Sluit die eerst."),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("zorgenquete periode"),
        "no command line on a page"
    );
}

#[test]
fn a_template_that_fails_while_rendering_gives_the_prepared_500_page() {
    let tmp = e2e::TempDir::new("sjablonen-kapot");
    let thema = tmp.path().join("site");
    e2e::copy_dir(&workspace_root().join("site"), &thema);
    let bedankt = thema.join("templates/enquete/bedankt.html");
    let tekst = lees(&bedankt);
    // Parses fine (so the service starts), fails only when the page is made.
    std::fs::write(
        &bedankt,
        tekst.replace(
            "{% block content %}",
            "{% block content %}{{ bestaat_niet.veld }}",
        ),
    )
    .unwrap();
    let mut d = Dienst::start_met(Opties {
        theme: Some(thema),
        ..Opties::default()
    });
    let r = d.get("/enquete/ouders/bedankt");
    assert_eq!(r.status, 500, "{}", r.body);
    assert!(r.body.contains("<h1>Er ging iets mis</h1>"), "{}", r.body);
    assert!(r.body.contains("<html lang=\"nl\" dir=\"ltr\">"));
    // Every other page still works.
    assert_eq!(d.get("/enquete/ouders").status, 200);
    // The failure is logged. Read the log after a clean stop: the reader thread of the
    // service's output may lag behind the response on a busy machine.
    assert!(d.stop(), "{}", d.log());
    assert!(
        d.log().contains("een pagina kon niet gemaakt worden"),
        "{}",
        d.log()
    );
}
