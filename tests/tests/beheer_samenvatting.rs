//! The dashboard's summary matrix over real HTTP, with known counts in a real SQLite file:
//! three closed periods of 40 parents. `zorg-aanspreekpunt` really changes (10/40 → 36/40 agree
//! → 12/40), `zorg-zorgcoordinator` moves 15 points (20/40 → 26/40 → 20/40, which may be chance),
//! every other item stays the same, and `leren-op-maat` has only 3 answers in the middle period
//! (hidden). Also: the questionnaires are named for who answers them, the server-side sort,
//! a chosen pair of periods, and channels below the minimum shown as "minder dan 5".

mod beheer_common;
mod enquete_common;

use std::path::Path;

use beheer_common::*;
use enquete_common::{
    Dienst, Opties, cli_on, close_periode, copy_of_content, insert_respons, open_periode,
};

const A: &str = "2023-2024";
const B: &str = "2024-2025";
const C: &str = "2025-2026";

/// Agreeing parents per period: (zorg-aanspreekpunt, zorg-zorgcoordinator) out of 40.
fn akkoord(p: &str) -> (usize, usize) {
    match p {
        A => (10, 20),
        B => (36, 26),
        _ => (12, 20),
    }
}

const ANDERE: [&str; 12] = [
    "zorg-info-duidelijk",
    "zorg-snel-opgevolgd",
    "leren-opvolging",
    "leren-rapport-begrijpen",
    "leren-thuis-helpen",
    "welbevinden-graag-naar-school",
    "welbevinden-veilig",
    "welbevinden-aandacht",
    "samen-welkom",
    "samen-gehoord",
    "samen-afspraken",
    "leren-op-maat",
];

/// 40 parents in period `p`: online, in B two on paper.
fn vul(d: &Dienst, p: &str, start: i64) {
    let (zorg, coordinator) = akkoord(p);
    for i in 0..40 {
        let mut antwoorden = vec![
            format!("\"zorg-aanspreekpunt@1\":{}", if i < zorg { 4 } else { 2 }),
            format!(
                "\"zorg-zorgcoordinator@1\":{}",
                if i < coordinator { 5 } else { 3 }
            ),
        ];
        for id in ANDERE {
            if id == "leren-op-maat" && p == B && i >= 3 {
                continue;
            }
            antwoorden.push(format!("\"{id}@1\":{}", if i < 30 { 4 } else { 3 }));
        }
        let kanaal = if p == B && i >= 38 {
            "papier"
        } else {
            "online"
        };
        insert_respons(
            &d.db(),
            start + i as i64,
            ("ouders", p, kanaal),
            &format!("{{{}}}", antwoorden.join(",")),
        );
    }
}

fn seed() -> (Dienst, e2e::TempDir) {
    let (tmp, root) = copy_of_content("beheer-samenvatting");
    let mut d = Dienst::start_met(Opties {
        open: vec![("ouders", A)],
        root: Some(root.clone()),
        ..Opties::default()
    });
    d.stop();
    vul(&d, A, 1000);
    close_periode(&d.db, "ouders", A);
    open_periode(&d.db, &root, "ouders", B, Some(50));
    vul(&d, B, 2000);
    close_periode(&d.db, "ouders", B);
    open_periode(&d.db, &root, "ouders", C, Some(50));
    vul(&d, C, 3000);
    close_periode(&d.db, "ouders", C);
    d.herstart();
    maak_gebruiker(&d, "an", "zorgteam");
    (d, tmp)
}

/// The matrix's HTML.
fn matrix(html: &str) -> &str {
    let begin = html.find("id=\"samenvatting\"").expect("the summary");
    let rest = &html[begin..];
    &rest[..rest.find("</section>").unwrap()]
}

/// One row of the matrix, by item id or category id.
fn rij<'a>(m: &'a str, id: &str) -> &'a str {
    let begin = m
        .find(&format!("<tr data-rij=\"{id}\">"))
        .unwrap_or_else(|| panic!("row {id}\n{m}"));
    let rest = &m[begin..];
    &rest[..rest.find("</tr>").unwrap()]
}

/// The ids of the item rows (not the categories), in page order.
fn item_volgorde(m: &str) -> Vec<&str> {
    let items = &m[m.find("</tbody>").unwrap()..];
    items
        .split("<tr data-rij=\"")
        .skip(1)
        .map(|r| &r[..r.find('"').unwrap()])
        .collect()
}

#[test]
fn the_summary_comes_first_with_intervals_and_arrows_only_for_real_changes() {
    let (d, _tmp) = seed();
    let cookie = aanmelden(&d, "an");

    // Named for who answers them: the overview's headings and the result page's title.
    let overzicht = get(&d, &cookie, "/beheer/");
    assert!(
        overzicht.body.contains(">Ouders</h2>") && overzicht.body.contains(">Collega&#39;s</h2>"),
        "{}",
        overzicht.body
    );
    assert!(overzicht.body.contains("Resultaten van Ouders bekijken"));

    let r = get(&d, &cookie, "/beheer/resultaten/ouders");
    assert_eq!(r.status, 200, "{}", r.body);
    let html = &r.body;
    assert!(html.contains("<title>Resultaten: Ouders – "), "{html}");
    // Summary first: before participation, themes and every item's detail.
    let samenvatting = html.find("id=\"samenvatting\"").unwrap();
    for later in ["id=\"deelname\"", "id=\"themas\"", "id=\"vragen\""] {
        assert!(samenvatting < html.find(later).unwrap(), "{later}");
    }
    let m = matrix(html);
    assert!(m.contains(&format!("{A} → {B}")) && m.contains(&format!("{B} → {C}")));

    // The real change: 10/40 → 36/40 → 12/40, Wilson intervals (by hand, z = 1.959964:
    // 10/40 → 14.19 % to 40.19 %; 36/40 → 76.95 % to 96.04 %).
    let zorg = rij(m, "zorg-aanspreekpunt");
    assert!(
        zorg.contains(
            "<span class=\"m-getal\">25 %</span> <span class=\"m-interval\">(14 % tot 40 %)</span>"
        ),
        "{zorg}"
    );
    assert!(zorg.contains("(77 % tot 96 %)"), "{zorg}");
    assert!(zorg.contains("data-oordeel=\"hoger\"") && zorg.contains("data-oordeel=\"lager\""));
    assert_eq!(zorg.matches("class=\"m-pijl\"").count(), 2, "{zorg}");
    assert!(
        zorg.contains("href=\"/beheer/resultaten/ouders/vraag/zorg-aanspreekpunt\""),
        "row opens its detail"
    );

    // +15 points (20/40 → 26/40; Wilson 35.20–64.80 % and 49.51–77.87 %) may be chance: no arrow.
    let coordinator = rij(m, "zorg-zorgcoordinator");
    assert!(coordinator.contains("(35 % tot 65 %)") && coordinator.contains("(50 % tot 78 %)"));
    assert!(
        coordinator.contains("<td data-oordeel=\"geen_duidelijk_verschil\">geen duidelijk verschil <span class=\"m-interval\">+15 punten"),
        "{coordinator}"
    );
    assert!(!coordinator.contains("m-pijl"), "{coordinator}");

    // Only the one item that really changed has arrows.
    let items = &m[m.find("</tbody>").unwrap()..];
    assert_eq!(items.matches("class=\"m-pijl\"").count(), 2, "{items}");
    assert_eq!(items.matches("data-oordeel=\"hoger\"").count(), 1);
    assert_eq!(items.matches("data-oordeel=\"lager\"").count(), 1);

    // The hidden cell and the comparisons it is part of are marked, without numbers.
    let maat = rij(m, "leren-op-maat");
    assert!(
        maat.contains(
            "<td data-cel=\"verborgen\" class=\"m-leeg\">te weinig antwoorden om te tonen</td>"
        ),
        "{maat}"
    );
    assert_eq!(
        maat.matches("data-oordeel=\"verborgen\"").count(),
        2,
        "{maat}"
    );
    assert!(!maat.contains("8 %"), "3 of 40 never shows");

    // Category rows, first.
    assert!(
        m.contains("<th scope=\"row\">Thema: Zorg op onze school</th>"),
        "{m}"
    );
    assert!(
        m.find("data-rij=\"zorgbeleid\"").unwrap()
            < m.find("data-rij=\"zorg-aanspreekpunt\"").unwrap()
    );

    // Channels per period: 2 on paper in B is "minder dan 5".
    let deelname = &html[html.find("tabel-deelname").unwrap()..html.find("id=\"themas\"").unwrap()];
    assert!(
        deelname.contains(&format!(
            "<th scope=\"row\">{B}</th><td>50</td><td>40</td><td>80 %</td><td>38 (76 %)</td><td>minder dan 5</td>"
        )),
        "{deelname}"
    );
    assert!(
        !html.contains("style=") && !html.contains("<script"),
        "strict CSP"
    );
}

#[test]
fn the_matrix_sorts_on_the_server_and_compares_the_chosen_pair() {
    let (d, _tmp) = seed();
    let cookie = aanmelden(&d, "an");
    let twee = format!("periode={A}&periode={B}");

    let r = get(&d, &cookie, &format!("/beheer/resultaten/ouders?{twee}"));
    let m = matrix(&r.body);
    let standaard = item_volgorde(m);
    assert_eq!(
        &standaard[..2],
        ["zorg-aanspreekpunt", "zorg-zorgcoordinator"]
    );
    // The sort links keep the chosen periods.
    assert!(
        m.contains(&format!(
            "href=\"/beheer/resultaten/ouders?periode={A}&amp;periode={B}&amp;sorteer=score#samenvatting\""
        )),
        "{m}"
    );
    assert!(m.contains("aria-current=\"true\">zoals in de vragenlijst"));

    // By change: the real rise first, then the 15 points that may be chance, hidden last.
    let r = get(
        &d,
        &cookie,
        &format!("/beheer/resultaten/ouders?{twee}&sorteer=verandering"),
    );
    let m = matrix(&r.body);
    let volgorde = item_volgorde(m);
    assert_eq!(
        &volgorde[..2],
        ["zorg-aanspreekpunt", "zorg-zorgcoordinator"]
    );
    assert_eq!(volgorde.last(), Some(&"leren-op-maat"));
    assert!(m.contains("aria-sort=\"other\""), "{m}");
    assert!(m.contains("aria-current=\"true\">grootste verandering eerst"));

    // By score in the last period (B): 65 % first, 90 % after the 75 % items, hidden last.
    let r = get(
        &d,
        &cookie,
        &format!("/beheer/resultaten/ouders?{twee}&sorteer=score"),
    );
    let m = matrix(&r.body);
    let volgorde = item_volgorde(m);
    assert_eq!(volgorde[0], "zorg-zorgcoordinator");
    assert_eq!(
        &volgorde[volgorde.len() - 2..],
        ["zorg-aanspreekpunt", "leren-op-maat"]
    );
    assert_eq!(volgorde.len(), standaard.len());
    assert!(
        m.contains(&format!(
            "<th scope=\"col\" aria-sort=\"ascending\">{B}</th>"
        )),
        "{m}"
    );
    // The form keeps the order when other periods are chosen.
    assert!(
        r.body
            .contains("<input type=\"hidden\" name=\"sorteer\" value=\"score\">")
    );

    // A chosen pair: A against C only (25 % → 30 %: no clear difference), B still shown.
    let r = get(
        &d,
        &cookie,
        &format!("/beheer/resultaten/ouders?vergelijk=paar&van={A}&naar={C}"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let m = matrix(&r.body);
    assert!(m.contains(&format!("{A} → {C}")), "{m}");
    assert!(!m.contains(&format!("{A} → {B}")) && !m.contains(&format!("{B} → {C}")));
    let zorg = rij(m, "zorg-aanspreekpunt");
    assert_eq!(zorg.matches("data-oordeel=").count(), 1);
    assert!(
        zorg.contains("data-oordeel=\"geen_duidelijk_verschil\""),
        "{zorg}"
    );
    assert!(zorg.contains("(77 % tot 96 %)"), "B is still shown");
    assert!(
        r.body
            .contains("id=\"vergelijk-paar\" name=\"vergelijk\" value=\"paar\" checked")
    );
    assert!(r.body.contains(&format!("<option selected>{C}</option>")));

    // The pair's periods are added to a narrower choice; the same period twice is refused.
    let r = get(
        &d,
        &cookie,
        &format!("/beheer/resultaten/ouders?periode={B}&vergelijk=paar&van={A}&naar={C}"),
    );
    let m = matrix(&r.body);
    assert!(
        m.contains(&format!("<th scope=\"col\">{A}</th>")) && m.contains(&format!("{A} → {C}"))
    );
    let r = get(
        &d,
        &cookie,
        &format!("/beheer/resultaten/ouders?vergelijk=paar&van={B}&naar={B}"),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("Kies twee verschillende periodes"),
        "{}",
        r.body
    );
    let r = get(
        &d,
        &cookie,
        "/beheer/resultaten/ouders?vergelijk=paar&van=1999-2000&naar=2025-2026",
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Deze periode bestaat niet"));
}

/// The matrix in real Chromium with JavaScript off: no sideways scrolling at 1280 and 1920 px
/// outside the tables marked to scroll, sort and detail by keyboard, axe clean; and axe over
/// every dashboard page of a questionnaire with three periods (360 px and desktop).
#[test]
fn the_matrix_is_usable_by_keyboard_and_fits_1280_px() {
    let (d, _tmp) = seed();
    let cookie = aanmelden(&d, "an");
    let base = format!("http://{}", d.adres);
    for breedte in ["1280", "1920"] {
        let args = ["--breedte", breedte];
        let out = dashboard_script(&d, &cookie, "beheer-matrix.mjs", &args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{breedte} px:\n{stdout}\n--- stderr ---\n{stderr}"
        );
        assert!(stdout.contains("matrix: 11 stappen, 0 fout"), "{stdout}");
    }
    let paden: Vec<String> = [
        "/beheer/".to_string(),
        "/beheer/resultaten/ouders".to_string(),
        "/beheer/resultaten/ouders?sorteer=score".to_string(),
        format!("/beheer/resultaten/ouders?vergelijk=paar&van={A}&naar={C}"),
        format!("/beheer/open-antwoorden/ouders?periode={B}"),
        "/beheer/resultaten/ouders/vraag/zorg-aanspreekpunt".to_string(),
        format!("/beheer/resultaten/ouders/vraag/leren-op-maat?periode={A}&periode={B}"),
    ]
    .to_vec();
    let uitkomst = e2e::run_axe_with(&base, &paden, &["--lang-check=nl", "--cookie", &cookie]);
    assert!(uitkomst.passed(), "{}", uitkomst.output());
    assert_eq!(uitkomst.pages, Some(paden.len()), "{}", uitkomst.output());
    assert_eq!(uitkomst.violations, Some(0), "{}", uitkomst.output());
}

/// The meeting report: the matrix without sort links, the real changes, the items to discuss
/// and the planned actions of `data/resultaten/ouders.toml`; printed by Chromium as the
/// browser's print dialog would, it is A4 and has every item of the summary.
#[test]
fn the_meeting_report_prints_on_a4_with_changes_and_planned_actions() {
    let (d, tmp) = seed();
    let cookie = aanmelden(&d, "an");
    let r = get(&d, &cookie, "/beheer/resultaten/ouders");
    assert!(
        r.body
            .contains("href=\"/beheer/verslag/ouders\">Verslag voor de vergadering")
    );
    let r = get(&d, &cookie, "/beheer/verslag/ouders");
    assert_eq!(r.status, 200, "{}", r.body);
    let html = &r.body;
    assert!(
        html.contains("<title>Verslag voor de vergadering: Ouders – "),
        "{html}"
    );
    let m = matrix(html);
    assert!(!m.contains("beheer-sorteer"), "no sort links on paper");
    assert_eq!(item_volgorde(m)[0], "zorg-aanspreekpunt");
    // The real changes: only zorg-aanspreekpunt, up from A to B and down from B to C.
    let veranderd = &html
        [html.find("id=\"veranderd-kop\"").unwrap()..html.find("id=\"bespreken-kop\"").unwrap()];
    assert_eq!(
        veranderd
            .matches("<li data-verandering=\"zorg-aanspreekpunt\">")
            .count(),
        2,
        "{veranderd}"
    );
    assert_eq!(veranderd.matches("<li ").count(), 2, "{veranderd}");
    assert!(
        veranderd.contains(&format!("hoger van {A} naar {B} (+65 punten")),
        "{veranderd}"
    );
    assert!(
        veranderd.contains(&format!("lager van {B} naar {C} (-60 punten")),
        "{veranderd}"
    );
    // To discuss: the real drop first, then the lowest shares of C (zorg-zorgcoordinator 50 %,
    // then items at 75 %); the hidden item never.
    let bespreken =
        &html[html.find("id=\"bespreken-kop\"").unwrap()..html.find("id=\"acties-kop\"").unwrap()];
    let ids: Vec<&str> = bespreken
        .split("data-bespreken=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(ids.len(), 4, "{bespreken}");
    assert_eq!(&ids[..2], ["zorg-aanspreekpunt", "zorg-zorgcoordinator"]);
    assert!(
        bespreken.contains(&format!(
            "duidelijk lager dan de periode ervoor; nu 30 % akkoord ({C})"
        )),
        "{bespreken}"
    );
    // The planned actions of the example school's file.
    let acties = &html[html.find("id=\"acties-kop\"").unwrap()..];
    assert!(
        acties.contains("<dt>Leren</dt>") && acties.contains("twee of drie concrete tips"),
        "{acties}"
    );

    // Printed: A4, every item of the summary in the text.
    let pdf = tmp.path().join("verslag.pdf");
    let args = [
        "--pad",
        "/beheer/verslag/ouders",
        "--pdf",
        pdf.to_str().unwrap(),
    ];
    let out = dashboard_script(&d, &cookie, "beheer-matrix.mjs", &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("matrix: 3 stappen, 0 fout"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tekst = a4_met_elke_vraag(&pdf, &tmp.path().join("content"));
    assert!(
        !tekst.contains("Afmelden") && !tekst.contains("Druk deze pagina af"),
        "menu and hint stay off paper"
    );
}

/// Checks that `pdf` is A4 and that its text has every scale item of `ouders` and the report's
/// headings; returns the text (whitespace collapsed).
fn a4_met_elke_vraag(pdf: &Path, root: &Path) -> String {
    let info = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains(" x 841.92 pts (A4)"), "{info}");
    let tekst = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let tekst = String::from_utf8_lossy(&tekst.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let lijsten = zorgenquete::domain::vragenlijst::laad(root).unwrap();
    let lijst = lijsten.get("ouders").unwrap();
    let schaal: Vec<_> = lijst
        .vragen
        .iter()
        .filter(|v| v.soort.id() == "schaal")
        .collect();
    assert_eq!(schaal.len(), 14);
    for v in schaal {
        // The start of the text: a table cell may wrap anywhere after it.
        let begin: String = v
            .tekst
            .nl()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(tekst.contains(&begin), "{}: {begin}\n{tekst}", v.id);
    }
    for kop in [
        "Samenvatting",
        "Wat echt veranderde",
        "Om te bespreken",
        "Wat we gaan doen",
    ] {
        assert!(tekst.contains(kop), "{kop}");
    }
    tekst
}

/// `zorgenquete rapport ouders --pdf`: the same report printed by the CLI through the
/// generator's Chromium route (the service does not need to run).
#[test]
fn the_cli_prints_the_meeting_report_to_an_a4_pdf() {
    let (mut d, tmp) = seed();
    d.stop();
    let root = tmp.path().join("content");
    let pdf = tmp.path().join("rapport.pdf");
    let (ok, out, err) = cli_on(
        &d.db,
        &root,
        &["rapport", "ouders", "--pdf", pdf.to_str().unwrap()],
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("verslag van ouders geschreven naar"), "{out}");
    let tekst = a4_met_elke_vraag(&pdf, &root);
    assert!(tekst.contains("twee of drie concrete tips"), "{tekst}");
    assert!(!tekst.contains("Afmelden") && !tekst.contains("Druk deze pagina af"));
    // An unknown period is refused before anything is printed.
    let niets = tmp.path().join("niets.pdf");
    let (ok, _, err) = cli_on(
        &d.db,
        &root,
        &[
            "rapport",
            "ouders",
            "--periode",
            "1999-2000",
            "--pdf",
            niets.to_str().unwrap(),
        ],
    );
    assert!(!ok && err.contains("1999-2000"), "{err}");
    assert!(!niets.exists());
}

/// A mistake in the planned actions stops the start with its place in the file, also before
/// any results are published (no `ouders.json` yet: the team writes actions first).
#[test]
fn a_wrong_category_in_the_planned_actions_is_located() {
    let (tmp, root) = copy_of_content("beheer-acties");
    let pad = root.join("data/resultaten/ouders.toml");
    let toml = std::fs::read_to_string(&pad).unwrap();
    std::fs::write(&pad, toml.replace("id = \"leren\"", "id = \"lerne\"")).unwrap();
    std::fs::remove_file(root.join("data/resultaten/ouders.json")).unwrap();
    let regel = toml.lines().position(|l| l == "id = \"leren\"").unwrap() + 1;
    let (ok, out, err) = enquete_common::serve_op(&root, &tmp.path().join("db.sqlite"));
    assert!(!ok, "{out}{err}");
    assert!(
        err.contains(&format!("data/resultaten/ouders.toml:{regel}:6"))
            && err.contains("onbekende categorie `lerne`")
            && err.contains("bedoel je `leren`?"),
        "{err}"
    );
}

/// Parents and colleagues side by side: `zorg-aanspreekpunt` is in both questionnaires. In A,
/// 10 of 40 parents agree (see [`akkoord`]) and 9 of 10 colleagues.
#[test]
fn perspectives_put_parents_and_colleagues_side_by_side_with_the_gap_interval() {
    let (mut d, tmp) = seed();
    d.stop();
    let root = tmp.path().join("content");
    open_periode(&d.db, &root, "collegas", A, None);
    for i in 0..10 {
        let w = if i < 9 { 4 } else { 2 };
        insert_respons(
            &d.db(),
            5000 + i,
            ("collegas", A, "online"),
            &format!("{{\"zorg-aanspreekpunt@1\":{w}}}"),
        );
    }
    close_periode(&d.db, "collegas", A);
    d.herstart();
    let cookie = aanmelden(&d, "an");

    let r = get(
        &d,
        &cookie,
        "/beheer/perspectieven?van=ouders&naar=collegas",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let html = &r.body;
    assert!(
        html.contains("aria-current=\"page\">Ouders en collega&#39;s naast elkaar"),
        "{html}"
    );
    // The only period both have, the only shared scale item.
    assert!(
        html.contains(&format!("<option selected>{A}</option>")),
        "{html}"
    );
    assert_eq!(html.matches("<tr data-rij=").count(), 1, "{html}");
    let rij = &html[html.find("<tr data-rij=\"zorg-aanspreekpunt\">").unwrap()..];
    let rij = &rij[..rij.find("</tr>").unwrap()];
    // Independent computation (by hand, z = 1.959964): Wilson 10/40 = 14.19–40.19 %,
    // 9/10 = 59.58–98.21 %; Newcombe's hybrid score interval (Newcombe 1998, method 10) for
    // 9/10 − 10/40 = +0.65: 0.65 − √((0.9 − 0.5958)² + (0.4019 − 0.25)²) = 0.310 and
    // 0.65 + √((0.9821 − 0.9)² + (0.25 − 0.1419)²) = 0.786.
    assert!(rij.contains("<span class=\"m-getal\">25 %</span> <span class=\"m-interval\">(14 % tot 40 %, n = 40)</span>"), "{rij}");
    assert!(rij.contains("<span class=\"m-getal\">90 %</span> <span class=\"m-interval\">(60 % tot 98 %, n = 10)</span>"), "{rij}");
    assert!(rij.contains("data-oordeel=\"hoger\""), "{rij}");
    assert!(rij.contains("Collega&#39;s vaker akkoord</strong> <span class=\"m-interval\">+65 punten (+31 tot +79)</span>"), "{rij}");
    // Each group's own wording is shown.
    assert!(
        rij.contains("Collega&#39;s: „Het is duidelijk bij wie ik terechtkan"),
        "{rij}"
    );
    // A period the colleagues do not have is refused; an unknown questionnaire too.
    let r = get(
        &d,
        &cookie,
        &format!("/beheer/perspectieven?van=ouders&naar=collegas&periode={B}"),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Deze periode bestaat niet"));
    assert_eq!(
        get(&d, &cookie, "/beheer/perspectieven?van=nergens").status,
        400
    );
    // The default pair is the first two questionnaires, also without a query.
    assert_eq!(get(&d, &cookie, "/beheer/perspectieven").status, 200);
    let base = format!("http://{}", d.adres);
    let paden = vec!["/beheer/perspectieven?van=ouders&naar=collegas".to_string()];
    let uitkomst = e2e::run_axe_with(&base, &paden, &["--lang-check=nl", "--cookie", &cookie]);
    assert!(uitkomst.passed(), "{}", uitkomst.output());
    assert_eq!(uitkomst.violations, Some(0), "{}", uitkomst.output());
}

/// An open period arrives without numbers (issue 14): the matrix says why in each of its cells
/// and it is in no comparison, so no share or arrow for it.
#[test]
fn an_open_period_shows_no_numbers_in_the_matrix() {
    let (mut d, tmp) = seed();
    d.stop();
    let root = tmp.path().join("content");
    open_periode(&d.db, &root, "ouders", "2026-2027", Some(50));
    vul(&d, "2026-2027", 4000);
    d.herstart();
    let cookie = aanmelden(&d, "an");
    let r = get(&d, &cookie, "/beheer/resultaten/ouders");
    assert_eq!(r.status, 200, "{}", r.body);
    let m = matrix(&r.body);
    let zorg = rij(m, "zorg-aanspreekpunt");
    assert!(m.contains("<th scope=\"col\">2026-2027</th>"), "{m}");
    assert!(
        zorg.contains(
            "<td data-cel=\"wacht\" class=\"m-leeg\">nog open: resultaten na het sluiten</td>"
        ),
        "{zorg}"
    );
    // C → D is not compared (the report leaves the open period out of every pair): exactly the
    // earlier arrows remain, and D's 30 % never shows (C's 30 % does, once).
    assert!(!m.contains(&format!("{C} → 2026-2027")), "{m}");
    assert_eq!(zorg.matches("class=\"m-pijl\"").count(), 2, "{zorg}");
    assert_eq!(zorg.matches(">30 %<").count(), 1, "{zorg}");
    // The meeting report keeps it out too.
    let r = get(&d, &cookie, "/beheer/verslag/ouders");
    assert!(r.body.contains("data-cel=\"wacht\""));
    assert!(
        !r.body.contains("naar 2026-2027"),
        "no change into an open period"
    );
}
