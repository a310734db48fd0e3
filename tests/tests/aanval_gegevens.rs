//! Attack suite, data part (issue 14): a logged-in `zorgteam` member tries to learn what one
//! parent answered, over real HTTP against the real `zorgenquete serve`:
//! - differencing: look at every results view and every export, let one parent answer, look
//!   again; also across a re-opening of a period whose results were shown;
//! - raw-export diffing: two raw exports share no ids and no order, and the one answer given
//!   "in een gesprek" hides in `overig`;
//! - open answers of an item that too few parents filled in;
//! - recovering a hidden answer from the category scores (an item whose new version only one
//!   parent answered).
//!
//! Every test asserts that what the attacker sees is identical before and after (or holds
//! nothing of the parent's answer).
//!
//! Every test runs on a SQLite file and on a PostgreSQL database (`op_elke_engine!`).

mod beheer_common;
mod enquete_common;

use beheer_common::*;
use enquete_common::{
    Antwoord, Dienst, Engine, Formulier, Opties, copy_of_content, new_version_of_leren_op_maat,
    op_elke_engine,
};

// On both engines (issue 17): PostgreSQL's heap keeps rows in arrival order, so what the
// attacker sees must not depend on the engine's row order either.
op_elke_engine!(
    one_more_response_changes_no_view_and_no_export,
    raw_exports_share_no_ids_no_order_and_merge_small_channels,
    a_hidden_answer_cannot_be_recovered_from_the_category_scores,
);

const PERIODE: &str = "2025-2026";
/// The end of the dashboard's note while a period is open (`beheer.vrijgave.nog_open.uitleg`).
const WAAROM_WACHTEN: &str = "Sluit de periode om de resultaten te zien.";
/// The end of its note for a re-opened period (`beheer.vrijgave.wacht_op_meer.uitleg`).
const WAAROM_MEER: &str = "Open de periode opnieuw om meer antwoorden te verzamelen.";
const FORMATEN: [&str; 5] = ["csv", "csv-nl", "xlsx", "json", "ruw"];

/// A parent answers the online form: every choice `waarde` (or the page's default choice when
/// `None`) and `tekst` in the open questions.
fn ouder(d: &Dienst, waarde: Option<&str>, tekst: &str) {
    let mut f = d.vers_formulier("/enquete/ouders");
    if let Some(w) = waarde {
        for k in &mut f.keuzes {
            k.1 = w.to_string();
        }
    }
    let r = d.post_form("/enquete/ouders", f.body(tekst).as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
}

/// Staff enter one answer from a paper form or a conversation.
fn invoer(d: &Dienst, cookie: &str, kanaal: &str, tekst: &str) {
    let pad = format!("/beheer/invoer/ouders/{kanaal}");
    let f = Formulier::uit(&get(d, cookie, &pad).body);
    let r = post(d, cookie, &pad, &f.body(tekst));
    assert_eq!(r.status, 303, "{}", r.body);
}

fn periode(d: &Dienst, beheer: &str, actie: &str) {
    let t = token(d, beheer);
    let r = post(
        d,
        beheer,
        &format!("/beheer/periode/{actie}"),
        &format!("csrf={t}&vragenlijst=ouders&periode={PERIODE}"),
    );
    assert_eq!(r.status, 303, "periode {actie}: {}", r.body);
}

fn export(d: &Dienst, cookie: &str, formaat: &str) -> Antwoord {
    let t = token(d, cookie);
    let extra = if formaat == "ruw" { "&open=ja" } else { "" };
    let r = post(
        d,
        cookie,
        "/beheer/export/ouders",
        &format!("csrf={t}&formaat={formaat}{extra}"),
    );
    assert_eq!(r.status, 200, "{formaat}: {}", r.body);
    r
}

/// The raw export's rows without their number, sorted: the content, apart from the order and
/// numbering that change on purpose.
fn ruwe_inhoud(csv: &str) -> Vec<Vec<String>> {
    let mut rijen: Vec<Vec<String>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').skip(1).map(String::from).collect())
        .collect();
    rijen.sort();
    rijen
}

/// A page without its form tokens (fresh on every request; they carry nothing of the answers).
fn zonder_tokens(html: &str) -> String {
    let mut uit = String::new();
    let mut rest = html;
    let merk = "name=\"csrf\" value=\"";
    while let Some(i) = rest.find(merk) {
        uit.push_str(&rest[..i + merk.len()]);
        rest = &rest[i + merk.len()..];
        rest = &rest[rest.find('"').unwrap()..];
    }
    uit.push_str(rest);
    uit
}

/// Everything the attacker can look at of the answers: the results page, the open answers
/// page, every export. (The dashboard's overview shows live response counts: allowed.)
fn alles(d: &Dienst, cookie: &str) -> Vec<(String, String)> {
    // The results page and every item's own page it links to (the summary's rows).
    let mut resultaten = zonder_tokens(&get(d, cookie, "/beheer/resultaten/ouders").body);
    let mut vragen: Vec<String> = resultaten
        .split("href=\"/beheer/resultaten/ouders/vraag/")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect();
    vragen.sort();
    vragen.dedup();
    assert!(!vragen.is_empty(), "{resultaten}");
    for v in vragen {
        let pad = format!(
            "/beheer/resultaten/ouders/vraag/{}",
            v.replace("&amp;", "&")
        );
        resultaten.push_str(&zonder_tokens(&get(d, cookie, &pad).body));
    }
    let mut uit = vec![
        ("resultaten".to_string(), resultaten),
        (
            "open antwoorden".to_string(),
            // In a new order on every view: compared as a sorted list of lines.
            {
                let pagina = zonder_tokens(&get(d, cookie, "/beheer/open-antwoorden/ouders").body);
                let mut regels: Vec<&str> = pagina.lines().collect();
                regels.sort_unstable();
                regels.join("\n")
            },
        ),
    ];
    for f in FORMATEN {
        let body = export(d, cookie, f).body;
        let body = if f == "ruw" {
            format!("{:?}", ruwe_inhoud(&body))
        } else {
            body
        };
        uit.push((f.to_string(), body));
    }
    uit
}

fn zelfde(voor: &[(String, String)], na: &[(String, String)], wanneer: &str) {
    for ((naam, a), (_, b)) in voor.iter().zip(na) {
        if a != b {
            let verschil: Vec<(&str, &str)> = a
                .lines()
                .zip(b.lines())
                .filter(|(x, y)| x != y)
                .take(3)
                .collect();
            panic!("{wanneer}: {naam} changed after one response: {verschil:?}");
        }
    }
}

fn one_more_response_changes_no_view_and_no_export(engine: Engine) {
    let d = Dienst::start_op(engine);
    maak_gebruiker(&d, "an", "zorgteam");
    maak_gebruiker(&d, "bea", "beheer");
    let an = aanmelden(&d, "an");
    let bea = aanmelden(&d, "bea");
    for _ in 0..9 {
        ouder(&d, None, "Gewoon goed");
    }
    // While open: nothing of the answers, and the page says why.
    let voor = alles(&d, &an);
    assert!(voor[0].1.contains(WAAROM_WACHTEN), "{}", voor[0].1);
    assert!(voor[1].1.contains(WAAROM_WACHTEN), "{}", voor[1].1);
    ouder(&d, Some("1"), "Mijn geheim: bel 0478 12 34 56");
    let na = alles(&d, &an);
    zelfde(&voor, &na, "open period");
    assert!(na.iter().all(|(_, b)| !b.contains("Mijn geheim")));
    // The live count did change: counts are allowed, answers are not.
    assert!(get(&d, &an, "/beheer/").body.contains("<td>10</td>"));

    // Closed: released with 10, and the masked answer is there among the others.
    periode(&d, &bea, "sluit");
    let dicht = alles(&d, &an);
    // Looking twice gives the same (the xlsx carries no creation time, the raw rows only a
    // new order).
    zelfde(&dicht, &alles(&d, &an), "closed period, looked at twice");
    assert!(dicht[1].1.contains("Mijn geheim: bel [telefoonnummer]"));
    assert!(!dicht.iter().any(|(_, b)| b.contains("0478")));
    assert!(
        dicht[3].1.contains(",10,") || dicht[3].1.contains(";10;"),
        "{}",
        dicht[3].1
    );

    // Re-opened: one more parent, closed again. The results stay hidden until 5 new responses
    // came in, so the attacker never sees "the old numbers plus one".
    periode(&d, &bea, "open");
    let heropend = alles(&d, &an);
    ouder(&d, Some("5"), "Nog een geheim");
    zelfde(&heropend, &alles(&d, &an), "re-opened period");
    periode(&d, &bea, "sluit");
    let wacht = alles(&d, &an);
    assert!(wacht[0].1.contains(WAAROM_MEER), "{}", wacht[0].1);
    assert!(
        wacht
            .iter()
            .all(|(_, b)| !b.contains("Nog een geheim") && !b.contains("Mijn geheim"))
    );
    assert!(
        get(&d, &bea, "/beheer/")
            .body
            .contains("resultaten verborgen tot er nog 4 antwoorden bij zijn"),
    );
    // Four more: released again at 15, five more than at the last release.
    periode(&d, &bea, "open");
    for _ in 0..4 {
        ouder(&d, None, "");
    }
    periode(&d, &bea, "sluit");
    let weer = alles(&d, &an);
    assert!(weer[1].1.contains("Nog een geheim"));
    assert!(
        weer[3].1.contains(",15,") || weer[3].1.contains(";15;"),
        "{}",
        weer[3].1
    );
}

fn raw_exports_share_no_ids_no_order_and_merge_small_channels(engine: Engine) {
    let d = Dienst::start_op(engine);
    maak_gebruiker(&d, "an", "zorgteam");
    maak_gebruiker(&d, "bea", "beheer");
    let an = aanmelden(&d, "an");
    let bea = aanmelden(&d, "bea");
    for _ in 0..6 {
        ouder(&d, None, "");
    }
    for _ in 0..5 {
        invoer(&d, &an, "papier", "");
    }
    invoer(&d, &an, "mondeling", "In een gesprek gezegd");
    periode(&d, &bea, "sluit");

    let eerste = export(&d, &an, "ruw").body;
    let tweede = export(&d, &an, "ruw").body;
    let nrs = |csv: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    };
    // Numbered 1..12 both times: the numbers are positions, not stored ids.
    let mut a = nrs(&eerste);
    a.sort_by_key(|n| n.parse::<u32>().unwrap());
    assert_eq!(a, (1..=12).map(|n| n.to_string()).collect::<Vec<_>>());
    let ids = d.kolom("SELECT id FROM inzending");
    assert_eq!(ids.len(), 12);
    for id in ids {
        assert!(!eerste.contains(&id) && !tweede.contains(&id));
    }
    // A new order each time (12 rows: the same order by chance is 1 in 479 million).
    let rijen = |csv: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.split_once(',').unwrap().1.to_string())
            .collect()
    };
    assert_ne!(rijen(&eerste), rijen(&tweede));
    assert_eq!(ruwe_inhoud(&eerste), ruwe_inhoud(&tweede));
    // The one oral answer is merged with the smallest other channel (papier, 5) into `overig`.
    let kanalen = |csv: &str, k: &str| {
        csv.lines()
            .skip(1)
            .filter(|l| l.split(',').nth(2) == Some(k))
            .count()
    };
    assert_eq!(kanalen(&eerste, "mondeling"), 0);
    assert_eq!(kanalen(&eerste, "papier"), 0);
    assert_eq!(kanalen(&eerste, "overig"), 6);
    assert_eq!(kanalen(&eerste, "online"), 6);
    // And its open answer, the only one written, is not there either (fewer than 5 wrote).
    assert!(!eerste.contains("In een gesprek gezegd"));
    let open = get(&d, &an, "/beheer/open-antwoorden/ouders").body;
    assert!(!open.contains("In een gesprek gezegd"), "{open}");
    // The overview shows the small channel as "minder dan 5".
    let home = get(&d, &an, "/beheer/").body;
    assert!(home.contains("<td>minder dan 5</td>"), "{home}");
    // beheer sees who typed in how many, and nothing else about those answers.
    let gebruikers = get(&d, &bea, "/beheer/gebruikers").body;
    let invoer = &gebruikers[gebruikers.find("tabel-invoer").expect("staff counts")..];
    assert!(
        invoer.contains("<td>an</td><td>Op papier</td><td>5</td>"),
        "{invoer}"
    );
    assert!(
        invoer.contains("<td>an</td><td>In een gesprek</td><td>1</td>"),
        "{invoer}"
    );
}

/// One period of 7 parents in which `leren-op-maat` got a new version after 6 of them answered:
/// only the victim answered version 2, so that cell is hidden. The victim answers it with
/// `waarde`, everything else as the others. Returns everything the attacker sees once closed.
fn met_verborgen_antwoord(engine: Engine, waarde: &str) -> Vec<(String, String)> {
    let (_tmp, root) = copy_of_content("aanval-verborgen");
    let mut d = Dienst::start_met(Opties {
        root: Some(root.clone()),
        ..Opties::op(engine)
    });
    for _ in 0..6 {
        ouder(&d, None, "");
    }
    d.stop();
    new_version_of_leren_op_maat(&root);
    d.herstart();
    let mut f = d.vers_formulier("/enquete/ouders");
    let k = f
        .keuzes
        .iter_mut()
        .find(|(n, _)| n == "leren-op-maat")
        .expect("the item on the form");
    k.1 = waarde.to_string();
    let r = d.post_form("/enquete/ouders", f.body("").as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
    maak_gebruiker(&d, "an", "zorgteam");
    maak_gebruiker(&d, "bea", "beheer");
    let an = aanmelden(&d, "an");
    periode(&d, &aanmelden(&d, "bea"), "sluit");
    let gezien = alles(&d, &an);
    // The category "leren" is shown, the changed item is not.
    let json = &gezien.iter().find(|(n, _)| n == "json").unwrap().1;
    assert!(json.contains("\"leren\""), "{json}");
    let pagina = &gezien[0].1;
    let item = &pagina[pagina
        .find("id=\"item-leren-op-maat\"")
        .expect("item section")..];
    assert!(item[..item.find("</section>").unwrap()].contains("te weinig antwoorden"));
    drop(d);
    gezien
}

fn a_hidden_answer_cannot_be_recovered_from_the_category_scores(engine: Engine) {
    let laag = met_verborgen_antwoord(engine, "1");
    let hoog = met_verborgen_antwoord(engine, "5");
    // Pages and every export (CSV, Excel, JSON, raw) are the same, whatever the hidden answer.
    zelfde(&laag, &hoog, "the hidden answer 1 or 5");
}
