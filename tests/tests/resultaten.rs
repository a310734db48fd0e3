//! Round trip: answers in a real SQLite file or PostgreSQL database (both tests run on both
//! engines, `op_elke_engine!`) → `zorgenquete export --formaat json` (the real binary) → the
//! generator's results page. What the exporter writes, the site reads and shows; small groups
//! stay hidden all the way.

mod enquete_common;

use std::path::Path;

use enquete_common::{
    Db, Dienst, Engine, Formulier, Opties, cli_on, close_periode, copy_of_content, op_elke_engine,
    open_periode, workspace_root,
};
use zorgsite::diagnostics::Source;
use zorgsite::model::resultaten::{Oordeel, Samenvatting};

op_elke_engine!(
    exported_json_is_read_by_the_generator,
    the_public_page_says_more_only_for_the_real_change,
);

fn exported_json_is_read_by_the_generator(engine: Engine) {
    let (tmp, content) = copy_of_content("resultaten");
    let check = Db::nieuw(engine, tmp.path());
    let db = check.adres().to_path_buf();
    open_periode(&db, &content, "ouders", "2025-2026", Some(40));
    // 12 parents: all answered zorg-aanspreekpunt (9 agree), only 3 answered leren-op-maat.
    for i in 0..12i64 {
        let json = if i < 3 {
            format!(
                r#"{{"zorg-aanspreekpunt@1":{},"leren-op-maat@1":2}}"#,
                4 + i % 2
            )
        } else if i < 9 {
            r#"{"zorg-aanspreekpunt@1":4,"open-goed@1":"Juf Anouk"}"#.to_string()
        } else {
            r#"{"zorg-aanspreekpunt@1":2}"#.to_string()
        };
        let plaats = ("ouders", "2025-2026", "online");
        check.zet_respons(1000 + i * 7919, plaats, &json);
    }

    // Unknown period: a clear Dutch error and a non-zero exit.
    let (ok, _, err) = cli_on(
        &db,
        &content,
        &[
            "export",
            "ouders",
            "--periode",
            "2025-2027",
            "--formaat",
            "json",
        ],
    );
    assert!(!ok);
    assert!(
        err.contains("geen periode `2025-2027`") && err.contains("bedoel je `2025-2026`"),
        "{err}"
    );

    let uit = content.join("data/resultaten/ouders.json");
    // While the period is open, the export has no numbers and says why (issue 14).
    let (ok, json, err) = cli_on(&db, &content, &["export", "ouders", "--formaat", "json"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("periode 2025-2026 staat er zonder cijfers in: nog open"),
        "{err}"
    );
    assert!(
        !json.contains("\"respondenten\": 12") && !json.contains("0.75"),
        "{json}"
    );
    close_periode(&db, "ouders", "2025-2026");
    export_json(&db, &content, &uit);
    let json = std::fs::read_to_string(&uit).unwrap();
    assert!(
        !json.contains("Juf Anouk") && !json.contains("open-goed"),
        "no open answers"
    );

    let site = zorgsite::site::build(&zorgsite::site::BuildOptions::new(
        &content,
        workspace_root().join("site"),
    ))
    .unwrap_or_else(|d| panic!("{d:?}"));
    let pagina = String::from_utf8(site.files["resultaten/index.html"].clone()).unwrap();
    assert!(
        pagina.contains("12 ouders vulden de bevraging in (30 % van wie we uitnodigden)"),
        "{pagina}"
    );
    let item = &pagina[pagina.find("id=\"ouders-zorg-aanspreekpunt\"").unwrap()..];
    let item = &item[..item.find("</table>").unwrap()];
    // 9 of 12 agree (4 or 5): 75 %.
    assert!(item.contains("<td>12</td><td>75 %</td>"), "{item}");
    let klein = &pagina[pagina.find("id=\"ouders-leren-op-maat\"").unwrap()..];
    let klein = &klein[..klein.find("</table>").unwrap()];
    assert!(
        klein.contains("te weinig antwoorden om te tonen"),
        "{klein}"
    );
    assert!(!klein.contains("<td>3</td>"));
    // The poster's key about this item links to it.
    let poster = String::from_utf8(site.files["poster/index.html"].clone()).unwrap();
    assert!(
        poster.contains("/resultaten/#ouders-"),
        "poster links to results"
    );
}

/// `zorgenquete export ouders --formaat json -o <uit>`, which must succeed.
fn export_json(db: &Path, content: &Path, uit: &Path) {
    let uit = uit.to_str().unwrap();
    let (ok, _, err) = cli_on(
        db,
        content,
        &["export", "ouders", "--formaat", "json", "-o", uit],
    );
    assert!(ok, "{err}");
}

/// Submits one parent's answers over HTTP: every scale item "akkoord" (4) except those given.
fn antwoord(d: &Dienst, anders: &[(&str, &str)]) {
    let pagina = d.get("/enquete/ouders");
    assert_eq!(pagina.status, 200, "{}", pagina.body);
    let mut f = Formulier::uit(&pagina.body);
    for (item, waarde) in anders {
        let keuze = f
            .keuzes
            .iter_mut()
            .find(|(n, _)| n == item)
            .unwrap_or_else(|| panic!("{item} on the form"));
        keuze.1 = waarde.to_string();
    }
    let r = d.post_form("/enquete/ouders", f.body("").as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
}

/// The issue's example over real HTTP: 63 parents, then 45. "zorg-aanspreekpunt" goes from 36
/// to 33 agreeing (57 % → 73 %, +16 points: the interval runs from −2 to +32, chance is
/// possible); "welbevinden-veilig" from 20 to 40 agreeing (32 % → 89 %: a real change). Every
/// other item is "akkoord" for everyone in both years. Schema 2 JSON from the real binary, then
/// the public page: "meer" only for the real change.
fn the_public_page_says_more_only_for_the_real_change(engine: Engine) {
    const A: &str = "2024-2025";
    const B: &str = "2025-2026";
    let mut d = Dienst::start_met(Opties {
        open: vec![("ouders", A)],
        ..Opties::op(engine)
    });
    for i in 0..63 {
        let x = if i < 36 { "4" } else { "3" };
        let y = if i < 20 { "4" } else { "3" };
        antwoord(&d, &[("zorg-aanspreekpunt", x), ("welbevinden-veilig", y)]);
    }
    let root = workspace_root().join("content");
    close_periode(&d.db, "ouders", A);
    open_periode(&d.db, &root, "ouders", B, Some(60));
    for i in 0..45 {
        let x = if i < 33 { "4" } else { "3" };
        let y = if i < 40 { "4" } else { "3" };
        antwoord(&d, &[("zorg-aanspreekpunt", x), ("welbevinden-veilig", y)]);
    }
    close_periode(&d.db, "ouders", B);
    d.stop();

    // Schema 2 from the real binary.
    let (_tmp, content) = copy_of_content("resultaten-meer");
    let uit = content.join("data/resultaten/ouders.json");
    export_json(&d.db, &content, &uit);
    // Read with the generator's own reader: it checks every interval and verdict.
    let tekst = std::fs::read_to_string(&uit).unwrap();
    let json = Samenvatting::parse(&Source::new("ouders.json", tekst.as_str()))
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(json.schema, 2);
    assert_eq!(json.periodes[0].respondenten, Some(63));
    assert_eq!(json.periodes[1].respondenten, Some(45));
    let item = |id: &str| {
        json.items
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    // statsmodels: proportion_confint(36, 63, method='wilson') → (0.4486, 0.6860);
    // confint_proportions_2indep(33, 45, 36, 63, method='newcomb', compare='diff')
    //   → (-0.0219, 0.3248); proportions_ztest([33, 36], [45, 63]) → p 0.084.
    let x = item("zorg-aanspreekpunt");
    assert_eq!(x.per_periode[0].aandeel_eens, Some(0.571));
    assert_eq!(x.per_periode[0].aandeel_eens_interval, Some([0.449, 0.686]));
    assert_eq!(x.per_periode[1].aandeel_eens, Some(0.733));
    let v = &x.verschillen[0];
    assert_eq!((v.van.as_str(), v.naar.as_str()), (A, B));
    let aandeel = v.aandeel_eens.as_ref().unwrap();
    assert_eq!(aandeel.verschil, 0.162);
    assert_eq!(aandeel.interval, [-0.022, 0.325]);
    assert_eq!(v.oordeel, Oordeel::GeenDuidelijkVerschil);
    // confint_proportions_2indep(40, 45, 20, 63, method='newcomb', compare='diff')
    //   → (0.3972, 0.6908), p 3.8e-09: a real change, also among 14 items.
    let y = item("welbevinden-veilig");
    let v = &y.verschillen[0];
    assert_eq!(v.aandeel_eens.as_ref().unwrap().interval, [0.397, 0.691]);
    assert_eq!(v.oordeel, Oordeel::Hoger);
    assert_eq!(v.gemiddelde.as_ref().unwrap().oordeel, Oordeel::Hoger);
    // Everyone "akkoord" in both years: 100 % twice, no difference, nothing NaN.
    let z = item("samen-welkom");
    assert_eq!(
        z.verschillen[0].aandeel_eens.as_ref().unwrap().verschil,
        0.0
    );
    assert_eq!(z.verschillen[0].oordeel, Oordeel::GeenDuidelijkVerschil);
    // Categories follow their changing item (one score per respondent).
    let categorie = |id: &str| {
        json.categorieen
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .verschillen[0]
            .oordeel
    };
    assert_eq!(categorie("welbevinden"), Oordeel::Hoger);
    assert_eq!(categorie("zorgbeleid"), Oordeel::GeenDuidelijkVerschil);
    assert_eq!(categorie("leren"), Oordeel::GeenDuidelijkVerschil);

    // The public page built from it.
    let site = zorgsite::site::build(&zorgsite::site::BuildOptions::new(
        &content,
        workspace_root().join("site"),
    ))
    .unwrap_or_else(|d| panic!("{d:?}"));
    let pagina = String::from_utf8(site.files["resultaten/index.html"].clone()).unwrap();
    let blok = |anker: &str| {
        let begin = pagina
            .find(&format!("id=\"{anker}\""))
            .unwrap_or_else(|| panic!("{anker}"));
        let rest = &pagina[begin..];
        rest[..rest
            .find("</table>")
            .or_else(|| rest.find("</figure>"))
            .unwrap()]
            .to_string()
    };
    // "Meer" exactly twice: the real change and its category; never for the +16 points.
    assert_eq!(pagina.matches("Meer ouders akkoord").count(), 2, "{pagina}");
    assert!(!pagina.contains("Minder ouders akkoord"));
    let y = blok("ouders-welbevinden-veilig");
    assert!(
        y.contains("Meer ouders akkoord dan in 2024-2025: 32 % → 89 %."),
        "{y}"
    );
    let x = blok("ouders-zorg-aanspreekpunt");
    assert!(
        x.contains("Ongeveer evenveel ouders akkoord als in 2024-2025 (57 % → 73 %)."),
        "{x}"
    );
    assert!(!x.contains("Meer"), "{x}");
    // The band: drawn, explained once in words, and its numbers in the table.
    assert!(x.contains("class=\"g-band\""), "{x}");
    assert!(x.contains("<td>73 %</td><td>59 % en 84 %</td>"), "{x}");
    assert!(pagina.contains("De grijze band op elke balk toont"));
    assert!(!pagina.contains("style="), "strict CSP: no inline styles");

    // A schema 1 file (as written before intervals existed) still builds: the same numbers,
    // no bands and no sentence about a change.
    let mut oud = json.clone();
    oud.schema = 1;
    for c in &mut oud.categorieen {
        c.verschillen.clear();
        for p in &mut c.per_periode {
            p.aandeel_eens_interval = None;
            p.gemiddelde_interval = None;
        }
    }
    for i in &mut oud.items {
        i.verschillen.clear();
        for p in &mut i.per_periode {
            p.aandeel_eens_interval = None;
            p.gemiddelde_interval = None;
        }
    }
    std::fs::write(&uit, oud.naar_json()).unwrap();
    assert!(!std::fs::read_to_string(&uit).unwrap().contains("interval"));
    let site = zorgsite::site::build(&zorgsite::site::BuildOptions::new(
        &content,
        workspace_root().join("site"),
    ))
    .unwrap_or_else(|d| panic!("schema 1 must still build: {d:?}"));
    let pagina = String::from_utf8(site.files["resultaten/index.html"].clone()).unwrap();
    let x = &pagina[pagina.find("id=\"ouders-zorg-aanspreekpunt\"").unwrap()..];
    let x = &x[..x.find("</table>").unwrap()];
    assert!(x.contains("<td>63</td><td>57 %</td><td>"), "{x}");
    assert!(!pagina.contains("g-band") && !pagina.contains("De grijze band"));
    assert!(!pagina.contains("ouders akkoord dan in") && !pagina.contains("Ongeveer evenveel"));
}
