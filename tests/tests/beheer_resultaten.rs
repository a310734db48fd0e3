//! The dashboard's results over real HTTP: three periods with known answers in a real SQLite
//! file or PostgreSQL database (`op_elke_engine!`; the middle one asks a changed version of
//! one item, the last has too few respondents), the results page against the service's own
//! report of the same database (`rapport::maak`, or `Opslag::rapport` on PostgreSQL), deltas
//! and "niet vergelijkbaar", open answers (escaped, hidden for small groups), and every
//! download (hidden cells, neutralised formulas, an audit row per download).

mod beheer_common;
mod enquete_common;

use beheer_common::*;
use enquete_common::{
    Antwoord, Dienst, Engine, Opties, close_periode, copy_of_content, new_version_of_leren_op_maat,
    op_elke_engine, open_periode,
};
use zorgenquete::domain::vragenlijst::{self, Vragenlijst};
use zorgenquete::rapport::{self, Keuze, Rapport, TE_WEINIG};
use zorgenquete::storage::opslag::{DbAdres, Opslag};
use zorgsite::render::grafiek::{komma, procent};

const A: &str = "2024-2025";
const B: &str = "2025-2026";
const C: &str = "2026-2027";
/// Still open, with 6 responses: nothing of its answers may show (issue 14).
const D: &str = "2027-2028";

/// One parents' respons straight in the database.
fn zet(d: &Dienst, id: i64, periode: &str, kanaal: &str, json: &str) {
    d.check().zet_respons(id, ("ouders", periode, kanaal), json);
}

/// The report of the service's database as the service computes it: `rapport::maak` on the
/// SQLite file, the storage interface's `rapport` on PostgreSQL.
fn rapport_van(d: &Dienst, lijst: &Vragenlijst) -> Rapport {
    match d.engine() {
        Engine::Sqlite => rapport::maak(&d.db(), lijst, &Keuze::default()).unwrap(),
        Engine::Postgres => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let adres = DbAdres::parse(d.db.to_str().unwrap());
                let (opslag, _) = Opslag::open(&adres, None).await.unwrap();
                opslag.rapport(lijst, &Keuze::default()).await.unwrap()
            })
        }
    }
}

/// A: 8 parents (6 online, 2 on paper), zorg-aanspreekpunt 4,4,4,5,5,2,2,3 and leren-op-maat
/// version 1, five open answers per open item. B: 10 parents, zorg-aanspreekpunt 5,5,5,5,4,4,4,3,3 and one "weet ik niet",
/// leren-op-maat version 2. C: 3 parents.
fn seed(engine: Engine) -> (Dienst, e2e::TempDir) {
    let (tmp, root) = copy_of_content("beheer-resultaten");
    let mut d = Dienst::start_met(Opties {
        open: vec![("ouders", A)],
        root: Some(root.clone()),
        ..Opties::op(engine)
    });
    d.stop();
    for (i, w) in [4, 4, 4, 5, 5, 2, 2, 3].into_iter().enumerate() {
        // Five parents wrote an answer to each open item (fewer would hide the item).
        let open = match i {
            0 => r#","open-goed@1":"<script>alert(1)</script> Juf Anouk","open-beter@1":"Meer uitleg""#.to_string(),
            1 => r#","open-goed@1":"De juf","open-beter@1":"=1+2""#.to_string(),
            2..5 => format!(r#","open-goed@1":"Goed {i}","open-beter@1":"Beter {i}""#),
            _ => String::new(),
        };
        zet(
            &d,
            100 + i as i64,
            A,
            if i < 6 { "online" } else { "papier" },
            &format!(
                r#"{{"zorg-aanspreekpunt@1":{w},"leren-op-maat@1":{}{open}}}"#,
                1 + i % 5
            ),
        );
    }
    close_periode(&d.db, "ouders", A);
    // A new version of one item: not comparable with A.
    new_version_of_leren_op_maat(&root);
    open_periode(&d.db, &root, "ouders", B, Some(20));
    for (i, w) in [5, 5, 5, 5, 4, 4, 4, 3, 3, 0].into_iter().enumerate() {
        zet(
            &d,
            200 + i as i64,
            B,
            "online",
            &format!(r#"{{"zorg-aanspreekpunt@1":{w},"leren-op-maat@2":4}}"#),
        );
    }
    close_periode(&d.db, "ouders", B);
    // C: 3 parents, closed; D: 6 parents, still open.
    for (periode, eerste, aantal, tekst) in [
        (C, 300, 3, "Geheim uit een kleine groep"),
        (D, 400, 6, "Nog open: geheim"),
    ] {
        open_periode(&d.db, &root, "ouders", periode, Some(20));
        let json = format!(r#"{{"zorg-aanspreekpunt@1":1,"open-goed@1":"{tekst}"}}"#);
        for id in eerste..eerste + aantal {
            zet(&d, id, periode, "online", &json);
        }
        if periode == C {
            close_periode(&d.db, "ouders", C);
        }
    }
    d.herstart();
    maak_gebruiker(&d, "an", "zorgteam");
    (d, tmp)
}

/// The HTML of one item's section on the results page.
fn sectie<'a>(html: &'a str, id: &str) -> &'a str {
    let begin = html
        .find(&format!("id=\"item-{id}\""))
        .unwrap_or_else(|| panic!("item {id} on the page"));
    let rest = &html[begin..];
    &rest[..rest.find("</section>").unwrap()]
}

fn download(d: &Dienst, cookie: &str, t: &str, formaat: &str, extra: &str) -> Antwoord {
    post(
        d,
        cookie,
        "/beheer/export/ouders",
        &format!("csrf={t}&formaat={formaat}&periode={A}&periode={B}&periode={C}{extra}"),
    )
}

op_elke_engine!(results_compare_periods_hide_small_groups_and_downloads_are_audited);

fn results_compare_periods_hide_small_groups_and_downloads_are_audited(engine: Engine) {
    let (d, tmp) = seed(engine);
    let cookie = aanmelden(&d, "an");

    // The overview links to the results.
    let overzicht = get(&d, &cookie, "/beheer/");
    assert!(overzicht.body.contains("/beheer/resultaten/ouders"));

    // --- The results page, all three periods (no choice: all) ---
    let r = get(&d, &cookie, "/beheer/resultaten/ouders");
    assert_eq!(r.status, 200, "{}", r.body);
    let html = &r.body;
    for p in [A, B, C, D] {
        assert!(
            html.contains(&format!("name=\"periode\" value=\"{p}\" checked")),
            "{p}"
        );
    }
    // The numbers are those of rapport::maak on the same file.
    let lijsten = vragenlijst::laad(&tmp.path().join("content")).expect("questionnaires");
    let lijst = lijsten.get("ouders").unwrap();
    let rapport = rapport_van(&d, lijst);
    assert_eq!(rapport.periodes.len(), 4);
    // D is open: the page says why its results wait, and shows none of them.
    assert!(
        html.contains(&format!(
            "Periode {D}: nog open: resultaten na het sluiten."
        )) && html.contains("Sluit de periode om de resultaten te zien."),
        "{html}"
    );
    assert!(!html.contains("Nog open: geheim"));
    let zorg = rapport
        .items
        .iter()
        .find(|i| i.id == "zorg-aanspreekpunt")
        .unwrap();
    // Every number of an item is on its own page, linked from the summary.
    let pad = "/beheer/resultaten/ouders/vraag/zorg-aanspreekpunt";
    assert!(html.contains(&format!("href=\"{pad}\"")), "{html}");
    let detail = get(&d, &cookie, pad);
    assert_eq!(detail.status, 200, "{}", detail.body);
    let s = sectie(&detail.body, "zorg-aanspreekpunt");
    for p in 0..2 {
        let c = zorg.per_periode[p].cijfers.zichtbaar().unwrap();
        assert!(s.contains(&format!("<td>{}</td>", komma(c.gemiddelde.unwrap(), 1))));
        assert!(s.contains(&format!("<td>{}</td>", procent(c.aandeel_eens.unwrap()))));
        assert!(s.contains(&format!("<td>{}</td>", c.n)));
    }
    // Known values: A 29/8 = 3,6 and 5/8 agree; B 38/9 = 4,2 and 7/9 agree.
    assert!(
        s.contains("<td>3,6</td>") && s.contains("<td>63 %</td>"),
        "{s}"
    );
    assert!(
        s.contains("<td>4,2</td>") && s.contains("<td>78 %</td>"),
        "{s}"
    );
    // "helemaal akkoord" in A: 2 of 8.
    assert!(s.contains("<td>2 (25 %)</td>"), "{s}");
    // Deltas with their 95 % intervals and verdicts, from rapport and by hand: 5/8 → 7/9 agree
    // is +15 points, Newcombe −25 to +51 (statsmodels confint_proportions_2indep(7, 9, 5, 8,
    // method='newcomb', compare='diff') → (-0.2503, 0.5094)); mean 29/8 → 38/9 is +0,6, Welch
    // −0,5 to +1,7 (scipy ttest_ind(B, A, equal_var=False).confidence_interval() →
    // (-0.4960, 1.6904)).
    let rapport::Verschil::Vergeleken(vgl) = &zorg.verschillen[0] else {
        panic!("{:?}", zorg.verschillen[0]);
    };
    assert_eq!(
        (
            komma(vgl.gemiddelde.verschil, 1),
            (vgl.aandeel_eens.verschil * 100.0).round()
        ),
        ("0,6".to_string(), 15.0)
    );
    let v = "akkoord +15 procentpunten (-25 tot +51): geen duidelijk verschil; gemiddelde +0,6 (-0,5 tot +1,7): geen duidelijk verschil";
    assert!(
        s.contains(&format!(
            "<li data-verschil=\"vergelijkbaar\" data-oordeel=\"geen duidelijk verschil\">Van {A} naar {B}: {v}</li>"
        )),
        "{s}"
    );
    // The intervals of each period are in the table too (Wilson 5/8: 31 % to 86 %).
    assert!(s.contains("<td>31 % tot 86 %</td>"), "{s}");
    assert!(
        s.contains(&format!(
            "<li data-verschil=\"verborgen\" data-oordeel=\"niet vergelijkbaar\">Van {B} naar {C}: {TE_WEINIG}"
        )),
        "{s}"
    );
    // The open period D is compared with nothing.
    assert!(!s.contains(&format!("naar {D}")), "{s}");
    // The trend chart has a text equivalent.
    assert!(s.contains("id=\"trend-zorg-aanspreekpunt-t\""), "{s}");
    // C is hidden in every cell of the item: its column says so, never a count of 3.
    assert!(s.contains(&format!("<td>{TE_WEINIG}</td>")), "{s}");

    // A changed item version is never compared.
    let detail = get(&d, &cookie, "/beheer/resultaten/ouders/vraag/leren-op-maat");
    let s = sectie(&detail.body, "leren-op-maat");
    assert!(
        s.contains(&format!(
            "<li data-verschil=\"niet-vergelijkbaar\" data-oordeel=\"niet vergelijkbaar\">Van {A} naar {B}: niet vergelijkbaar"
        )),
        "{s}"
    );
    assert!(s.contains(&format!("{A} (versie 1)")) && s.contains(&format!("{B} (versie 2)")));
    assert!(
        s.contains("niet vergelijkbaar met de periodes ervoor"),
        "{s}"
    );

    // Participation: A 8 of 30 (27 %), 6 online and 2 on paper (paper below 5: hidden); C hidden.
    let deelname = &html[html.find("tabel-deelname").unwrap()..html.find("id=\"themas\"").unwrap()];
    assert!(
        deelname.contains(&format!(
            "<th scope=\"row\">{A}</th><td>30</td><td>8</td><td>27 %</td><td>6 (20 %)</td>"
        )),
        "{deelname}"
    );
    assert!(
        deelname.contains(&format!("<th scope=\"row\">{C}</th><td>20</td><td colspan")),
        "{deelname}"
    );
    assert!(
        deelname.contains(&format!(
            "<th scope=\"row\">{D}</th><td>20</td><td colspan=\"6\">nog open: resultaten na het sluiten</td>"
        )),
        "{deelname}"
    );
    // No inline style or script anywhere.
    assert!(
        !html.contains("style=") && !html.contains("<script"),
        "strict CSP"
    );

    // A choice of periods: only those are shown; an unknown one is a clear error.
    let r = get(
        &d,
        &cookie,
        &format!("/beheer/resultaten/ouders?periode={B}"),
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!("value=\"{A}\">")) && !r.body.contains("data-verschil"));
    let r = get(&d, &cookie, "/beheer/resultaten/ouders?periode=1999-2000");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Deze periode bestaat niet"));
    assert_eq!(get(&d, &cookie, "/beheer/resultaten/nergens").status, 404);
    let r = get(&d, &cookie, "/beheer/resultaten/ouders/vraag/nergens");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Deze vraag bestaat niet"));

    // --- Open answers ---
    let r = get(
        &d,
        &cookie,
        &format!("/beheer/open-antwoorden/ouders?periode={A}"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Publiceer ze nooit"));
    assert!(
        r.body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; Juf Anouk")
    );
    assert!(!r.body.contains("<script>alert"));
    let r = get(&d, &cookie, "/beheer/open-antwoorden/ouders");
    assert!(
        r.body.contains(&format!("<option selected>{D}</option>")),
        "newest first"
    );
    // D is open: nothing of it, and the page says why.
    assert!(
        r.body
            .contains("Sluit de periode om de resultaten te zien.")
            && !r.body.contains("Nog open: geheim"),
        "{}",
        r.body
    );
    let r = get(
        &d,
        &cookie,
        &format!("/beheer/open-antwoorden/ouders?periode={C}"),
    );
    assert!(
        r.body.contains(TE_WEINIG) && !r.body.contains("Geheim"),
        "{}",
        r.body
    );

    // --- Downloads ---
    let t = token(&d, &cookie);
    let mut aantal = 0;
    for (formaat, extra, soort, bestand) in [
        ("csv", "", "text/csv", "ouders-2024-2025-tot-2026-2027.csv"),
        (
            "csv-nl",
            "",
            "text/csv",
            "ouders-2024-2025-tot-2026-2027-excel.csv",
        ),
        (
            "xlsx",
            "",
            "spreadsheetml",
            "ouders-2024-2025-tot-2026-2027.xlsx",
        ),
        (
            "json",
            "",
            "application/json",
            "ouders-2024-2025-tot-2026-2027.json",
        ),
        (
            "ruw",
            "&open=ja",
            "text/csv",
            "ouders-2024-2025-tot-2026-2027-ruw.csv",
        ),
    ] {
        let r = download(&d, &cookie, &t, formaat, extra);
        aantal += 1;
        assert_eq!(r.status, 200, "{formaat}: {}", r.body);
        assert!(
            r.header("content-type").unwrap().contains(soort),
            "{formaat}"
        );
        assert_eq!(
            r.header("content-disposition"),
            Some(format!("attachment; filename=\"{bestand}\"").as_str())
        );
        assert!(
            !r.body.contains("Geheim"),
            "{formaat}: no open answers of C"
        );
        match formaat {
            "csv" | "csv-nl" => {
                let sep = if formaat == "csv" { ',' } else { ';' };
                let rij = r
                    .body
                    .lines()
                    .find(|l| {
                        l.starts_with(&format!(
                            "zorg-aanspreekpunt{sep}1{sep}zorgbeleid{sep}schaal{sep}{C}{sep}"
                        ))
                    })
                    .unwrap_or_else(|| panic!("{formaat}: row for C\n{}", r.body));
                assert!(rij.contains(TE_WEINIG), "{rij}");
                assert!(!rij.contains(&format!("{sep}3{sep}")), "{rij}");
                let a = r
                    .body
                    .lines()
                    .find(|l| {
                        l.starts_with(&format!(
                            "zorg-aanspreekpunt{sep}1{sep}zorgbeleid{sep}schaal{sep}{A}{sep}8{sep}"
                        ))
                    })
                    .unwrap_or_else(|| panic!("{formaat}: row for A"));
                let gem = if formaat == "csv" { "3.63" } else { "3,63" };
                assert!(a.contains(gem), "{a}");
            }
            "xlsx" => assert!(r.body.starts_with("PK")),
            "json" => {
                assert!(
                    r.body.contains("\"verborgen\": true") || r.body.contains("\"verborgen\":true")
                );
                assert!(!r.body.contains("open-goed") && !r.body.contains("Anouk"));
            }
            _ => {
                // Raw: C is left out; the open answer is there, its formula neutralised.
                assert!(!r.body.contains(C), "{}", r.body);
                assert!(r.body.contains("'=1+2"), "{}", r.body);
                assert!(
                    !r.body
                        .lines()
                        .any(|l| l.split(',').any(|c| c.starts_with('='))),
                    "{}",
                    r.body
                );
                assert!(r.body.contains("Anouk"));
            }
        }
    }
    // Without the checkbox, the raw export has no open answers.
    let r = download(&d, &cookie, &t, "ruw", "");
    aantal += 1;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("Anouk") && !r.body.contains("open-goed"));
    // Open answers never go into a summary.
    let r = download(&d, &cookie, &t, "csv", "&open=ja");
    assert_eq!(r.status, 400);
    assert!(
        r.body
            .contains("Open antwoorden alleen bij de ruwe antwoorden")
    );

    // Every download left an audit row with who and what.
    let rijen: Vec<(String, String)> = d
        .rijen("SELECT gebruiker, detail FROM audit WHERE gebeurtenis = 'export' ORDER BY id")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(rijen.len(), aantal, "{rijen:?}");
    assert!(rijen.iter().all(|(wie, _)| wie == "an"));
    assert_eq!(
        rijen[4].1,
        format!("ouders ruw periodes {A},{B},{C} met open antwoorden")
    );
    assert!(rijen[1].1.starts_with("ouders csv-nl"));
}
