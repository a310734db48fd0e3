//! Reports and exports over a real SQLite file, seeded through the real storage path with known
//! answers in three periods:
//!
//! - 2024-2025: 6 responses (4 online, 2 papier);
//! - 2025-2026: 7 responses (online); item `b` changed to version 2;
//! - 2026-2027: 3 responses: below the minimum, so everything about it is hidden.

mod common;

use common::{TempDb, ouders, periode_met};
use zorgenquete::domain::vragenlijst::{Vragenlijst, parse};
use zorgenquete::domain::{Kanaal, PeriodeNaam};
use zorgenquete::rapport::export::{self, Formaat, Opdracht};
use zorgenquete::rapport::open::open_antwoorden;
use zorgenquete::rapport::{
    self, Cel, Keuze, MinimumGroep, Oordeel, Rapport, Reden, Vergelijk, Verschil,
};
use zorgenquete::storage;
use zorgsite::diagnostics::Source;

fn lijst(versie_b: u32) -> Vragenlijst {
    let b = format!("B versie {versie_b}");
    ouders(
        "Hoe ervaar jij de zorg?",
        &[
            ("a", 1, "leren", "schaal", "=Mijn kind leert graag."),
            ("b", versie_b, "welbevinden", "schaal", &b),
            ("c", 1, "samenwerking", "janee", "C"),
            ("idee", 1, "samenwerking", "open", "Idee?"),
        ],
    )
}

fn seed(naam: &str) -> (TempDb, rusqlite::Connection) {
    let (db, mut conn) = TempDb::open(&format!("rapport-{naam}"));
    use Kanaal::*;
    periode_met(
        &mut conn,
        &lijst(1),
        "2024-2025",
        10,
        &[
            (Online, r#"{"a@1":5,"b@1":4,"c@1":1,"idee@1":"Meer tijd"}"#),
            (Online, r#"{"a@1":4,"b@1":4,"c@1":1}"#),
            (Online, r#"{"a@1":4,"b@1":4,"c@1":1}"#),
            (Online, r#"{"a@1":3,"b@1":4,"c@1":2}"#),
            (Papier, r#"{"a@1":2,"b@1":4,"c@1":2}"#),
            (Papier, r#"{"a@1":0,"b@1":4,"c@1":0}"#),
        ],
    );
    periode_met(
        &mut conn,
        &lijst(2),
        "2025-2026",
        14,
        &[
            (
                Online,
                r#"{"a@1":5,"b@2":3,"c@1":1,"idee@1":"=HYPERLINK(1)"}"#,
            ),
            (Online, r#"{"a@1":5,"b@2":3,"c@1":1}"#),
            (Online, r#"{"a@1":4,"b@2":3,"c@1":1}"#),
            (Online, r#"{"a@1":4,"b@2":3,"c@1":1}"#),
            (Online, r#"{"a@1":4,"b@2":3,"c@1":1}"#),
            (Online, r#"{"a@1":3,"b@2":3,"c@1":1}"#),
            (Online, r#"{"a@1":0,"b@2":3,"c@1":1}"#),
        ],
    );
    periode_met(
        &mut conn,
        &lijst(2),
        "2026-2027",
        20,
        &[
            (Online, r#"{"a@1":1,"b@2":1,"c@1":2}"#),
            (Online, r#"{"a@1":1,"b@2":1,"c@1":2}"#),
            (Online, r#"{"a@1":1,"b@2":1,"c@1":2,"idee@1":"Juf X"}"#),
        ],
    );
    (db, conn)
}

fn dicht(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn rapport(conn: &rusqlite::Connection) -> Rapport {
    rapport::maak(conn, &lijst(2), &Keuze::default()).unwrap()
}

#[test]
fn counts_means_deltas_trend_and_suppression() {
    let (_db, conn) = seed("rapport");
    let r = rapport(&conn);
    let namen: Vec<&str> = r.periodes.iter().map(|p| p.naam.as_str()).collect();
    assert_eq!(namen, ["2024-2025", "2025-2026", "2026-2027"]);

    let d = r.periodes[0].deelname.zichtbaar().unwrap();
    assert_eq!(d.respondenten, 6);
    assert!(dicht(d.respons.unwrap(), 0.6));
    // 4 online and 2 on paper are groups below 5: hidden; 7 online in the next period shown.
    assert_eq!(d.per_kanaal[0], (Kanaal::Online, Cel::Verborgen));
    assert_eq!(d.per_kanaal[2], (Kanaal::Papier, Cel::Verborgen));
    let d1 = r.periodes[1].deelname.zichtbaar().unwrap();
    assert_eq!(d1.per_kanaal[0], (Kanaal::Online, Cel::Zichtbaar(7)));
    assert!(r.periodes[2].deelname.is_verborgen());

    let a = r.items.iter().find(|i| i.id == "a").unwrap();
    let c0 = a.per_periode[0].cijfers.zichtbaar().unwrap();
    assert_eq!(c0.n, 6);
    // Options: 1..5 then "weet ik niet".
    assert_eq!(c0.verdeling, vec![0, 1, 1, 2, 1, 1]);
    assert!(dicht(c0.gemiddelde.unwrap(), 3.6));
    assert!(dicht(c0.aandeel_eens.unwrap(), 0.6));
    let c1 = a.per_periode[1].cijfers.zichtbaar().unwrap();
    assert!(dicht(c1.gemiddelde.unwrap(), 25.0 / 6.0));
    // Intervals: statsmodels proportion_confint(5, 6, method='wilson') → (0.43649718,
    // 0.96994663); scipy.stats.t.interval(0.95, 5, loc=25/6, scale=stdev([5,5,4,4,4,3])/√6)
    // → (3.37668022, 4.95665312).
    let i = c1.aandeel_eens_interval.unwrap();
    assert!((i.laag - 0.43649718).abs() < 1e-7 && (i.hoog - 0.96994663).abs() < 1e-7);
    let i = c1.gemiddelde_interval.unwrap();
    assert!((i.laag - 3.37668022).abs() < 1e-7 && (i.hoog - 4.95665312).abs() < 1e-7);
    // Compared pairs: consecutive.
    assert_eq!(r.paren.len(), 2);
    assert_eq!((r.paren[0].van, r.paren[0].naar), (0, 1));
    assert_eq!(r.paar(1, 2), Some(1));
    match &a.verschillen[0] {
        Verschil::Vergeleken(v) => {
            assert!(dicht(v.gemiddelde.verschil, 25.0 / 6.0 - 3.6));
            assert!(dicht(v.aandeel_eens.verschil, 5.0 / 6.0 - 0.6));
            // confint_proportions_2indep(5, 6, 3, 5, method='newcomb', compare='diff')
            //   → (-0.25371591, 0.62706897); proportions_ztest([5, 3], [6, 5]) → p 0.38691632
            let i = v.aandeel_eens.interval;
            assert!((i.laag + 0.25371591).abs() < 1e-7 && (i.hoog - 0.62706897).abs() < 1e-7);
            assert!((v.aandeel_eens.p - 0.38691632).abs() < 1e-7);
            // scipy.stats.ttest_ind([5,5,4,4,4,3], [5,4,4,3,2], equal_var=False)
            //   → p 0.37414008, CI (-0.85291730, 1.98625063)
            let i = v.gemiddelde.interval;
            assert!((i.laag + 0.85291730).abs() < 1e-7 && (i.hoog - 1.98625063).abs() < 1e-7);
            assert!((v.gemiddelde.p - 0.37414008).abs() < 1e-7);
            assert_eq!(v.oordeel(), Oordeel::GeenDuidelijkVerschil);
        }
        v => panic!("a should compare: {v:?}"),
    }
    // Period 3 has 3 respondents: hidden, no numbers at all.
    assert_eq!(a.per_periode[2].cijfers, Cel::Verborgen);
    assert_eq!(
        a.verschillen[1],
        Verschil::NietVergelijkbaar(Reden::TeWeinig)
    );
    assert_eq!(a.verschillen[1].oordeel(), Oordeel::NietVergelijkbaar);
    let trend = a.trend();
    assert!(dicht(trend[0].gemiddelde.unwrap(), 3.6));
    assert!(dicht(trend[1].gemiddelde.unwrap(), 25.0 / 6.0));
    assert_eq!(trend[2].gemiddelde, None);
    assert!(!trend[1].breuk);

    // b changed version: never compared, and the trend breaks.
    let b = r.items.iter().find(|i| i.id == "b").unwrap();
    assert_eq!(b.versie, 2);
    assert_eq!(b.tekst, "B versie 2");
    assert_eq!(b.per_periode[0].versie, Some(1));
    assert_eq!(b.per_periode[1].versie, Some(2));
    assert_eq!(
        b.verschillen[0],
        Verschil::NietVergelijkbaar(Reden::AndereVersie)
    );
    assert!(b.trend()[1].breuk);

    // Yes/no: counts, no mean.
    let c = r.items.iter().find(|i| i.id == "c").unwrap();
    let cc = c.per_periode[0].cijfers.zichtbaar().unwrap();
    assert_eq!(cc.verdeling, vec![3, 2, 1]);
    assert_eq!(cc.gemiddelde, None);
    assert_eq!(cc.aandeel_eens_interval, None);
    assert!(
        c.verschillen.is_empty(),
        "yes/no items have no share agreeing to compare"
    );

    // Open items are not in the report.
    assert!(r.items.iter().all(|i| i.id != "idee"));

    // Category "leren" (only item a) in period 1: one score per respondent; the "weet ik niet"
    // has none, so 5 respondents with scores 5,4,4,3,2: mean 3.6, 3 of 5 agree.
    let leren = &r.categorieen[1];
    assert_eq!(leren.categorie.id(), "leren");
    let s = leren.per_periode[0].zichtbaar().unwrap();
    assert_eq!(s.n, 5);
    assert!(dicht(s.gemiddelde, 3.6));
    assert!(dicht(s.aandeel_eens, 0.6));
    assert_eq!(s.vragen, [("a".to_string(), 1)]);
    assert!(leren.per_periode[2].is_verborgen());
    // Same item, same version in both periods: compared, like the item itself.
    assert_eq!(
        leren.verschillen[0].vergeleken().unwrap().aandeel_eens,
        a.verschillen[0].vergeleken().unwrap().aandeel_eens
    );
    // "welbevinden" holds b, whose version changed: the category is not comparable.
    let welbevinden = &r.categorieen[2];
    assert_eq!(
        welbevinden.verschillen[0],
        Verschil::NietVergelijkbaar(Reden::AndereVragen)
    );
}

#[test]
fn a_higher_minimum_hides_more_and_unknown_periods_are_named() {
    let (_db, conn) = seed("minimum");
    let keuze = Keuze {
        periodes: vec!["2024-2025".into(), "2025-2026".into()],
        minimum: MinimumGroep::nieuw(7).unwrap(),
        ..Keuze::default()
    };
    let r = rapport::maak(&conn, &lijst(2), &keuze).unwrap();
    assert_eq!(r.periodes.len(), 2);
    assert!(r.periodes[0].deelname.is_verborgen(), "6 < 7");
    assert!(!r.periodes[1].deelname.is_verborgen());
    let fout = rapport::maak(
        &conn,
        &lijst(2),
        &Keuze {
            periodes: vec!["2024-2026".into()],
            ..Keuze::default()
        },
    )
    .unwrap_err();
    assert!(
        fout.to_string().contains("geen periode `2024-2026`"),
        "{fout}"
    );
    assert!(fout.to_string().contains("bedoel je"), "{fout}");
}

#[test]
fn open_answers_only_for_items_with_the_minimum_group_of_written_answers() {
    let (_db, conn) = seed("open");
    let min = MinimumGroep::default();
    // 2024-2025 has 6 responses but only one wrote something: hidden (it was shown before
    // issue 14; one written answer next to five empty ones is that parent's own words).
    let open = open_antwoorden(&conn, &lijst(2), "2024-2025", min).unwrap();
    assert_eq!(open.vrijgave, rapport::Vrijgave::Vrijgegeven);
    assert_eq!(open.vragen[0].id, "idee");
    assert_eq!(open.vragen[0].antwoorden, Cel::Verborgen);
    let klein = open_antwoorden(&conn, &lijst(2), "2026-2027", min).unwrap();
    assert_eq!(klein.vragen[0].antwoorden, Cel::Verborgen);
}

/// A period of 6 where 5 wrote an open answer (one with a phone number, one with an e-mail
/// address): shown, masked, in a new order on each view; while the period is open, nothing.
#[test]
fn open_answers_are_masked_shuffled_and_wait_for_the_close() {
    let (_db, mut conn) = TempDb::open("rapport-open5");
    let teksten = [
        "Bel me op 0478 12 34 56",
        "Mail an.peeters@telenet.be",
        "Meer tijd",
        "Minder huiswerk",
        "Goed zo",
        "",
    ];
    let json: Vec<String> = teksten
        .iter()
        .map(|t| format!(r#"{{"a@1":4,"idee@1":"{t}"}}"#))
        .collect();
    let antwoorden: Vec<(Kanaal, &str)> =
        json.iter().map(|j| (Kanaal::Online, j.as_str())).collect();
    periode_met(&mut conn, &lijst(1), "2025-2026", 10, &antwoorden);
    let min = MinimumGroep::default();
    let mut volgordes = std::collections::HashSet::new();
    for _ in 0..20 {
        let open = open_antwoorden(&conn, &lijst(1), "2025-2026", min).unwrap();
        let Cel::Zichtbaar(lijst) = &open.vragen[0].antwoorden else {
            panic!("5 wrote something: shown");
        };
        let mut gesorteerd = lijst.clone();
        gesorteerd.sort();
        assert_eq!(
            gesorteerd,
            [
                "Bel me op [telefoonnummer]",
                "Goed zo",
                "Mail [e-mailadres]",
                "Meer tijd",
                "Minder huiswerk"
            ]
        );
        volgordes.insert(lijst.clone());
    }
    assert!(volgordes.len() > 1, "a new order on every view");

    // Re-opened: nothing at all until it is closed again.
    let p = PeriodeNaam::parse("2025-2026").unwrap();
    storage::periode_open(&mut conn, "ouders", &p, None).unwrap();
    let open = open_antwoorden(&conn, &lijst(1), "2025-2026", min).unwrap();
    assert_eq!(open.vrijgave, rapport::Vrijgave::NogOpen);
    assert_eq!(open.vragen[0].antwoorden, Cel::Verborgen);
}

fn export(conn: &rusqlite::Connection, formaat: Formaat, open: bool) -> (Vec<u8>, Vec<String>) {
    let mut uit = Vec::new();
    let notities = export::schrijf(
        conn,
        &lijst(2),
        &Opdracht {
            keuze: Keuze::default(),
            formaat,
            open_antwoorden: open,
        },
        &mut uit,
    )
    .unwrap();
    (uit, notities)
}

#[test]
fn dutch_csv_matches_the_report() {
    let (_db, conn) = seed("csvnl");
    let r = rapport(&conn);
    let (bytes, notities) = export(&conn, Formaat::CsvNl, false);
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    assert!(notities.iter().any(|n| n.contains("2026-2027")));
    let mut lezer = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let kop: Vec<String> = lezer.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        kop[..6],
        ["item", "versie", "categorie", "soort", "periode", "n"]
    );
    let kol = |naam: &str| kop.iter().position(|k| k == naam).unwrap();
    let rijen: Vec<csv::StringRecord> = lezer.records().map(Result::unwrap).collect();
    // (3 items + 4 categories) × 3 periods, every row the same width.
    assert_eq!(rijen.len(), 21);
    assert!(rijen.iter().all(|r| r.len() == kop.len()));
    let rij = |item: &str, periode: &str| {
        rijen
            .iter()
            .find(|r| &r[0] == item && &r[kol("periode")] == periode)
            .unwrap()
            .clone()
    };
    let a = rij("a", "2025-2026");
    let c = r.items[0].per_periode[1].cijfers.zichtbaar().unwrap();
    assert_eq!(&a[kol("n")], c.n.to_string());
    assert_eq!(&a[kol("gemiddelde")], "4,17");
    assert_eq!(&a[kol("aandeel_eens")], "0,833");
    assert_eq!(&a[kol("antwoord_5")], "2");
    assert_eq!(&a[kol("weet_ik_niet")], "1");
    // Intervals and the comparison with the period before (values as in the report test).
    assert_eq!(&a[kol("aandeel_eens_laag")], "0,436");
    assert_eq!(&a[kol("aandeel_eens_hoog")], "0,970");
    assert_eq!(&a[kol("gemiddelde_laag")], "3,38");
    assert_eq!(&a[kol("gemiddelde_hoog")], "4,96");
    assert_eq!(&a[kol("vergeleken_met")], "2024-2025");
    assert_eq!(&a[kol("verschil_aandeel_eens")], "0,233");
    assert_eq!(&a[kol("verschil_aandeel_eens_laag")], "-0,254");
    assert_eq!(&a[kol("verschil_aandeel_eens_hoog")], "0,627");
    assert_eq!(&a[kol("verschil_gemiddelde")], "0,57");
    assert_eq!(&a[kol("verschil_gemiddelde_laag")], "-0,85");
    assert_eq!(&a[kol("oordeel")], "geen duidelijk verschil");
    assert_eq!(&a[kol("oordeel_gemiddelde")], "geen duidelijk verschil");
    // The first period has nothing to compare with: empty, like every other empty cell.
    assert_eq!(&rij("a", "2024-2025")[kol("vergeleken_met")], "");
    assert_eq!(&rij("a", "2024-2025")[kol("oordeel")], "");
    // b changed version; c is yes/no (nothing to compare).
    let b = rij("b", "2025-2026");
    assert_eq!(&b[kol("oordeel")], "niet vergelijkbaar");
    assert_eq!(&b[kol("reden")], "andere versie");
    assert_eq!(&b[kol("verschil_aandeel_eens")], "");
    assert_eq!(&rij("c", "2025-2026")[kol("oordeel")], "");
    // Category rows: one score per respondent.
    let leren = rij("leren", "2024-2025");
    assert_eq!(&leren[kol("soort")], "categorie");
    assert_eq!(&leren[kol("n")], "5");
    assert_eq!(&leren[kol("gemiddelde")], "3,60");
    assert_eq!(&leren[kol("aandeel_eens")], "0,600");
    assert_eq!(&leren[kol("antwoord_1")], "");
    // Formula in the item text is neutralised.
    assert_eq!(&a[kol("tekst")], "'=Mijn kind leert graag.");
    // Hidden period: no numbers, the reason instead.
    let verborgen = rij("a", "2026-2027");
    assert_eq!(&verborgen[kol("n")], "");
    assert_eq!(&verborgen[kol("antwoord_1")], "");
    assert_eq!(&verborgen[kol("gemiddelde")], "");
    assert_eq!(
        &verborgen[kol("opmerking")],
        "te weinig antwoorden om te tonen"
    );
    assert_eq!(&verborgen[kol("aandeel_eens_laag")], "");
    assert_eq!(&verborgen[kol("oordeel")], "niet vergelijkbaar");
    assert_eq!(&verborgen[kol("reden")], "te weinig antwoorden");
    assert_eq!(&rij("leren", "2026-2027")[kol("gemiddelde")], "");
    assert_eq!(&rij("b", "2024-2025")[kol("versie")], "1");
    assert_eq!(&rij("b", "2025-2026")[kol("versie")], "2");
}

#[test]
fn standard_csv_uses_points_and_commas() {
    let (_db, conn) = seed("csv");
    let (bytes, _) = export(&conn, Formaat::Csv, false);
    let tekst = String::from_utf8(bytes).unwrap();
    assert!(tekst.starts_with("item,versie,"));
    // a in 2024-2025: mean 3.60 with its t interval (2.18 to 5.02, clipped to the scale),
    // share 0.600 with its Wilson interval.
    assert!(
        tekst.contains(",3.60,2.18,5.00,0.600,0.231,0.882,"),
        "{tekst}"
    );
    // Negative differences are numbers, not neutralised as formulas.
    assert!(tekst.contains(",-0.254,"), "{tekst}");
    assert!(!tekst.contains("'-"), "{tekst}");
}

#[test]
fn json_summary_follows_schema_2() {
    let (_db, conn) = seed("json");
    let (bytes, _) = export(&conn, Formaat::Json, false);
    let tekst = String::from_utf8(bytes).unwrap();
    assert!(
        !tekst.contains("idee") && !tekst.contains("Meer tijd"),
        "no open items"
    );
    let s = zorgsite::model::resultaten::Samenvatting::parse(&Source::new(
        "ouders.json",
        tekst.as_str(),
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&tekst).unwrap();
    assert_eq!(v["schema"], 2);
    assert_eq!(v["minimum_groep"], 5);
    assert_eq!(v["periodes"][0]["respondenten"], 6);
    assert_eq!(v["periodes"][0]["uitgenodigd"], 10);
    assert_eq!(v["periodes"][2]["respondenten"], serde_json::Value::Null);
    assert_eq!(v["periodes"][2]["verborgen"], true);
    let a = &v["items"][0];
    assert_eq!(a["id"], "a");
    assert_eq!(a["per_periode"][1]["gemiddelde"], 4.17);
    assert_eq!(a["per_periode"][1]["aandeel_eens"], 0.833);
    assert_eq!(
        a["per_periode"][1]["aandeel_eens_interval"],
        serde_json::json!([0.436, 0.97])
    );
    assert_eq!(
        a["per_periode"][1]["gemiddelde_interval"],
        serde_json::json!([3.38, 4.96])
    );
    // One difference per consecutive pair: numbers with intervals, or why not.
    assert_eq!(
        a["verschillen"],
        serde_json::json!([
            { "van": "2024-2025", "naar": "2025-2026",
              "aandeel_eens": { "verschil": 0.233, "interval": [-0.254, 0.627],
                                "oordeel": "geen duidelijk verschil" },
              "gemiddelde": { "verschil": 0.57, "interval": [-0.85, 1.99],
                              "oordeel": "geen duidelijk verschil" },
              "oordeel": "geen duidelijk verschil" },
            { "van": "2025-2026", "naar": "2026-2027",
              "oordeel": "niet vergelijkbaar", "reden": "te weinig antwoorden" }
        ])
    );
    assert_eq!(v["items"][1]["verschillen"][0]["reden"], "andere versie");
    // Categories: one score per respondent, with intervals and differences.
    let leren = &v["categorieen"][1];
    assert_eq!(leren["id"], "leren");
    assert_eq!(leren["per_periode"][0]["n"], 5);
    assert_eq!(
        leren["per_periode"][0]["aandeel_eens_interval"],
        serde_json::json!([0.231, 0.882])
    );
    assert_eq!(
        leren["verschillen"][0]["oordeel"],
        "geen duidelijk verschil"
    );
    assert_eq!(
        a["per_periode"][0]["verdeling"][0]["antwoord"],
        "helemaal niet akkoord"
    );
    let verborgen = a["per_periode"][2].as_object().unwrap();
    let mut sleutels: Vec<&str> = verborgen.keys().map(String::as_str).collect();
    sleutels.sort();
    assert_eq!(sleutels, ["periode", "verborgen", "versie"]);
    assert_eq!(s.items[1].per_periode[0].versie, Some(1));
    assert_eq!(s.items[1].per_periode[1].versie, Some(2));
    let c = &v["items"][2];
    assert!(
        c["per_periode"][0].get("gemiddelde").is_none(),
        "no mean for yes/no"
    );
    assert!(
        c.get("verschillen").is_none(),
        "nothing to compare for yes/no"
    );
}

#[test]
fn xlsx_has_a_sheet_per_period_and_a_comparison() {
    use calamine::{Data, Reader, Xlsx};
    let (_db, conn) = seed("xlsx");
    let (bytes, _) = export(&conn, Formaat::Xlsx, false);
    let mut boek: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        boek.sheet_names(),
        ["2024-2025", "2025-2026", "2026-2027", "Vergelijking"]
    );
    let blad = boek.worksheet_range("2025-2026").unwrap();
    let kop: Vec<String> = blad
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let kol = |naam: &str| kop.iter().position(|k| k == naam).unwrap();
    let a = blad.rows().nth(1).unwrap();
    assert_eq!(a[0], Data::String("a".into()));
    assert_eq!(a[kol("n")], Data::Float(7.0));
    assert_eq!(a[kol("gemiddelde")], Data::Float(4.17));
    let klein = boek.worksheet_range("2026-2027").unwrap();
    let a = klein.rows().nth(1).unwrap();
    assert_eq!(a[kol("n")], Data::Empty);
    assert_eq!(
        a[kol("opmerking")],
        Data::String("te weinig antwoorden om te tonen".into())
    );
    // The sheet per period has the interval and verdict columns of the CSV.
    let a = blad.rows().nth(1).unwrap();
    assert_eq!(a[kol("aandeel_eens_laag")], Data::Float(0.436));
    assert_eq!(a[kol("verschil_aandeel_eens_laag")], Data::Float(-0.254));
    assert_eq!(
        a[kol("oordeel")],
        Data::String("geen duidelijk verschil".into())
    );
    let v = boek.worksheet_range("Vergelijking").unwrap();
    let rijen: Vec<_> = v.rows().collect();
    let kop: Vec<String> = rijen[0].iter().map(|c| c.to_string()).collect();
    let kol = |naam: &str| kop.iter().position(|k| k == naam).unwrap();
    // a: mean 3.6 → 4.17, difference 0.57 with its interval; b: not comparable; period 3 hidden.
    assert_eq!(rijen[1][0], Data::String("a".into()));
    assert_eq!(rijen[1][kol("gemiddelde 2024-2025")], Data::Float(3.6));
    assert_eq!(rijen[1][kol("akkoord 2025-2026")], Data::Float(0.833));
    let g = kol("verschil gemiddelde 2024-2025 → 2025-2026");
    assert_eq!(rijen[1][g], Data::Float(0.57));
    assert_eq!(rijen[1][g + 1], Data::Float(-0.85));
    assert_eq!(rijen[1][g + 2], Data::Float(1.99));
    let oordeel = kol("oordeel 2024-2025 → 2025-2026");
    assert_eq!(
        rijen[1][oordeel],
        Data::String("geen duidelijk verschil".into())
    );
    assert_eq!(rijen[2][oordeel], Data::String("niet vergelijkbaar".into()));
    assert_eq!(
        rijen[2][kol("verschil akkoord 2024-2025 → 2025-2026")],
        Data::String("andere versie".into())
    );
    assert_eq!(
        rijen[1][kol("akkoord 2026-2027")],
        Data::String("te weinig antwoorden om te tonen".into())
    );
    assert_eq!(
        rijen[1][kol("oordeel 2025-2026 → 2026-2027")],
        Data::String("niet vergelijkbaar".into())
    );
    // Categories follow the items.
    assert!(
        rijen
            .iter()
            .any(|r| r[0] == Data::String("leren".into())
                && r[1] == Data::String("categorie".into()))
    );
}

#[test]
fn raw_export_leaves_out_small_periods_and_open_answers_unless_asked() {
    let (_db, conn) = seed("ruw");
    let (bytes, notities) = export(&conn, Formaat::Ruw, false);
    let tekst = String::from_utf8(bytes).unwrap();
    let mut lezer = csv::Reader::from_reader(tekst.as_bytes());
    let kop: Vec<String> = lezer.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(kop, ["nr", "periode", "kanaal", "a@1", "b@2", "c@1", "b@1"]);
    let rijen: Vec<csv::StringRecord> = lezer.records().map(Result::unwrap).collect();
    assert_eq!(rijen.len(), 13, "6 + 7; the period of 3 is left out");
    assert!(notities.iter().any(|n| n.contains("2026-2027")));
    // Numbered afresh: 1..13, no stored id.
    let mut nrs: Vec<u64> = rijen.iter().map(|r| r[0].parse().unwrap()).collect();
    nrs.sort_unstable();
    assert_eq!(nrs, (1..=13).collect::<Vec<u64>>());
    // 2024-2025: 4 online and 2 papier are both below 5, so both become `overig`.
    assert_eq!(rijen.iter().filter(|r| &r[2] == "papier").count(), 0);
    assert_eq!(rijen.iter().filter(|r| &r[2] == "overig").count(), 6);
    assert_eq!(rijen.iter().filter(|r| &r[2] == "online").count(), 7);
    assert!(!tekst.contains("Meer tijd"));
    // A fresh order on every export (6! × 7! orders: equal only by a fluke of 1 in 3.6 million).
    let (bytes2, _) = export(&conn, Formaat::Ruw, false);
    let rijen2: Vec<Vec<String>> = csv::Reader::from_reader(bytes2.as_slice())
        .records()
        .map(|r| r.unwrap().iter().skip(1).map(String::from).collect())
        .collect();
    let rijen1: Vec<Vec<String>> = rijen
        .iter()
        .map(|r| r.iter().skip(1).map(String::from).collect())
        .collect();
    assert_ne!(rijen1, rijen2, "same order twice");
    let (mut a, mut b) = (rijen1.clone(), rijen2.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b, "the same rows");

    let (bytes, _) = export(&conn, Formaat::Ruw, true);
    let tekst = String::from_utf8(bytes).unwrap();
    assert!(tekst.contains("idee@1"));
    // One person wrote something in each period: below the minimum group, so the column stays
    // empty (before issue 14 these were exported; formulas are still neutralised, see
    // `export::tests::formulas_are_neutralised`).
    assert!(!tekst.contains("Meer tijd"));
    assert!(!tekst.contains("HYPERLINK"));
    assert!(!tekst.contains("Juf X"), "small period stays out");

    // Open answers never go into a summary.
    let mut uit = Vec::new();
    let fout = export::schrijf(
        &conn,
        &lijst(2),
        &Opdracht {
            keuze: Keuze::default(),
            formaat: Formaat::Json,
            open_antwoorden: true,
        },
        &mut uit,
    )
    .unwrap_err();
    assert!(fout.to_string().contains("alleen in de ruwe export"));
}

/// Three scale items in "welbevinden" (`r` optional, answered by 1 person: hidden), one in
/// "leren" (`s`: everyone "5" in both periods) and one in "samenwerking" (`t`: everyone "1",
/// then everyone "5").
fn lijst_thema() -> Vragenlijst {
    let mut text = String::from("id = \"ouders\"\ntitel = \"T\"\nintro = \"i\"\nbedankt = \"b\"\n");
    for (id, cat, verplicht) in [
        ("p", "welbevinden", true),
        ("q", "welbevinden", true),
        ("r", "welbevinden", false),
        ("s", "leren", true),
        ("t", "samenwerking", true),
    ] {
        text.push_str(&format!(
            "[[vraag]]\nid = \"{id}\"\nversie = 1\ncategorie = \"{cat}\"\nsoort = \"schaal\"\ntekst = \"{id}\"\nverplicht = {verplicht}\n"
        ));
    }
    parse(&Source::new("ouders.toml", text), "ouders").unwrap()
}

/// 2024-2025: 7 respondents; the 4th also answered the optional `r` with `r_antwoord`.
/// 2025-2026: exactly 5 respondents (the minimum group).
fn seed_thema(naam: &str, r_antwoord: u8) -> (TempDb, rusqlite::Connection) {
    let (db, mut conn) = TempDb::open(&format!("rapport-{naam}"));
    let a: Vec<String> = [(5, 3), (4, 3), (4, 4), (2, 2), (5, 5), (3, 0), (0, 0)]
        .iter()
        .enumerate()
        .map(|(i, (p, q))| {
            let r = if i == 3 {
                format!(",\"r@1\":{r_antwoord}")
            } else {
                String::new()
            };
            format!(r#"{{"p@1":{p},"q@1":{q}{r},"s@1":5,"t@1":1}}"#)
        })
        .collect();
    let b: Vec<String> = [(4, 4), (4, 4), (5, 5), (3, 3), (4, 4)]
        .iter()
        .map(|(p, q)| format!(r#"{{"p@1":{p},"q@1":{q},"s@1":5,"t@1":5}}"#))
        .collect();
    for (periode_naam, rijen) in [("2024-2025", &a), ("2025-2026", &b)] {
        let antwoorden: Vec<(Kanaal, &str)> =
            rijen.iter().map(|j| (Kanaal::Online, j.as_str())).collect();
        periode_met(&mut conn, &lijst_thema(), periode_naam, 20, &antwoorden);
    }
    (db, conn)
}

#[track_caller]
fn interval_is(i: rapport::Interval, laag: f64, hoog: f64) {
    assert!(
        (i.laag - laag).abs() < 1e-7 && (i.hoog - hoog).abs() < 1e-7,
        "{i:?} is not [{laag}, {hoog}]"
    );
}

#[test]
fn category_scores_are_one_per_respondent_with_intervals_and_verdicts() {
    let (_db, conn) = seed_thema("thema", 1);
    let r = rapport::maak(&conn, &lijst_thema(), &Keuze::default()).unwrap();
    let welbevinden = &r.categorieen[2];
    // 2024-2025: scores (p+q)/answers per respondent: 4, 3.5, 4, 2, 5, 3 (the 6th said "weet
    // ik niet" on q: score 3 from p alone; the 7th only "weet ik niet": no score). r is hidden,
    // so it does not count: the 4th respondent's score is 2, not (2+2+1)/3.
    let a = welbevinden.per_periode[0].zichtbaar().unwrap();
    assert_eq!(a.n, 6);
    assert!(dicht(a.gemiddelde, 21.5 / 6.0));
    assert!(
        dicht(a.aandeel_eens, 0.5),
        "4, 4 and 5 are 4 or more; 3.5 is not"
    );
    assert_eq!(a.vragen, [("p".to_string(), 1), ("q".to_string(), 1)]);
    // scipy.stats.t.interval(0.95, 5, loc=3.58333, scale=stdev([4,3.5,4,2,5,3])/√6)
    //   → (2.51225757, 4.65440910); proportion_confint(3, 6, method='wilson')
    //   → (0.18761631, 0.81238369)
    interval_is(a.gemiddelde_interval, 2.51225757, 4.65440910);
    interval_is(a.aandeel_eens_interval, 0.18761631, 0.81238369);
    // 2025-2026, n = 5 (the minimum group): scores 4, 4, 5, 3, 4.
    let b = welbevinden.per_periode[1].zichtbaar().unwrap();
    assert_eq!(b.n, 5);
    assert!(dicht(b.gemiddelde, 4.0));
    // t.interval(0.95, 4, loc=4, scale=stdev([4,4,5,3,4])/√5) → (3.12201097, 4.87798903);
    // proportion_confint(4, 5, method='wilson') → (0.37553463, 0.96377589)
    interval_is(b.gemiddelde_interval, 3.12201097, 4.87798903);
    interval_is(b.aandeel_eens_interval, 0.37553463, 0.96377589);
    // Same items count in both periods (r is not asked in 2025-2026 and hidden before):
    // compared. confint_proportions_2indep(4, 5, 3, 6, method='newcomb', compare='diff')
    //   → (-0.22702412, 0.65271251); proportions_ztest([4, 3], [5, 6]) → p 0.30305233;
    // ttest_ind([4,4,5,3,4], [4,3.5,4,2,5,3], equal_var=False) → p 0.44670993,
    //   CI (-0.77118960, 1.60452293)
    let v = welbevinden.verschillen[0].vergeleken().unwrap();
    interval_is(v.aandeel_eens.interval, -0.22702412, 0.65271251);
    assert!((v.aandeel_eens.p - 0.30305233).abs() < 1e-7);
    interval_is(v.gemiddelde.interval, -0.77118960, 1.60452293);
    assert!((v.gemiddelde.p - 0.44670993).abs() < 1e-7);
    assert_eq!(v.oordeel(), Oordeel::GeenDuidelijkVerschil);

    // 100 % in both periods (s, and the category "leren"): no spread anywhere, nothing NaN,
    // no verdict. confint_proportions_2indep(5, 5, 7, 7, method='newcomb', compare='diff')
    //   → (-0.43448246, 0.35433044)
    let s = r.items.iter().find(|i| i.id == "s").unwrap();
    let v = s.verschillen[0].vergeleken().unwrap();
    assert_eq!(v.aandeel_eens.verschil, 0.0);
    interval_is(v.aandeel_eens.interval, -0.43448246, 0.35433044);
    assert_eq!(v.aandeel_eens.p, 1.0);
    assert_eq!(v.gemiddelde.verschil, 0.0);
    assert_eq!(v.gemiddelde.p, 1.0);
    assert!(v.gemiddelde.interval.laag < 0.0 && v.gemiddelde.interval.hoog > 0.0);
    assert_eq!(v.oordeel(), Oordeel::GeenDuidelijkVerschil);
    assert_eq!(v.gemiddelde.oordeel, Oordeel::GeenDuidelijkVerschil);
    let leren = r.categorieen[1].verschillen[0].vergeleken().unwrap();
    assert_eq!(leren.oordeel(), Oordeel::GeenDuidelijkVerschil);

    // 0 % then 100 % (t): the one real change. confint_proportions_2indep(5, 5, 0, 7,
    // method='newcomb', compare='diff') → (0.43935299, 1.0); proportions_ztest([5, 0], [5, 7])
    // → p 0.00053201; with the floors 1/7 and 1/5, ttest_ind_from_stats(5, √(1/5), 5, 1,
    // √(1/7), 7, equal_var=False) → p 2.7707e-07, df 7.7738, CI (3.43034526, 4.56965474),
    // clipped to the largest possible difference on the scale, +4.
    // Benjamini–Hochberg over p, q, s, t: 0.00053 × 4 ≤ 0.05: "hoger".
    let t = r.items.iter().find(|i| i.id == "t").unwrap();
    let v = t.verschillen[0].vergeleken().unwrap();
    interval_is(v.aandeel_eens.interval, 0.43935299, 1.0);
    assert!((v.aandeel_eens.p - 0.00053201).abs() < 1e-7);
    assert!((v.aandeel_eens.p_aangepast - 4.0 * 0.00053201).abs() < 1e-6);
    interval_is(v.gemiddelde.interval, 3.43034526, 4.0);
    assert_eq!(v.oordeel(), Oordeel::Hoger);
    assert_eq!(v.gemiddelde.oordeel, Oordeel::Hoger);
    // p and q moved, but not beyond chance.
    for id in ["p", "q"] {
        let i = r.items.iter().find(|i| i.id == id).unwrap();
        assert_eq!(
            i.verschillen[0].oordeel(),
            Oordeel::GeenDuidelijkVerschil,
            "{id}"
        );
    }
    // r: hidden in the first period, not asked in the second.
    let ri = r.items.iter().find(|i| i.id == "r").unwrap();
    assert!(ri.per_periode[0].cijfers.is_verborgen());
    assert_eq!(
        ri.verschillen[0],
        Verschil::NietVergelijkbaar(Reden::NietGevraagd)
    );
}

/// The pooled category mean of the previous version of the report (every scale answer of the
/// category, hidden items included), computed straight from the database.
fn oude_gepoolde_score(conn: &rusqlite::Connection, periode: &str) -> f64 {
    let mut som = 0u64;
    let mut aantal = 0u64;
    let mut stmt = conn
        .prepare("SELECT antwoorden FROM inzending WHERE periode = ?1")
        .unwrap();
    let rijen = stmt
        .query_map([periode], |r| r.get::<_, String>(0))
        .unwrap();
    for json in rijen {
        let v: serde_json::Value = serde_json::from_str(&json.unwrap()).unwrap();
        for k in ["p@1", "q@1", "r@1"] {
            if let Some(w) = v[k].as_u64().filter(|w| (1..=5).contains(w)) {
                som += w;
                aantal += 1;
            }
        }
    }
    som as f64 / aantal as f64
}

#[test]
fn a_hidden_answer_cannot_be_recovered_from_the_category_score() {
    // Two schools, identical except for the one hidden answer on r (1 or 5).
    let (_db1, een) = seed_thema("verborgen-1", 1);
    let (_db5, vijf) = seed_thema("verborgen-5", 5);

    // The attack on the previous report: the items p and q are shown in full (sums 23 over 6
    // answers and 17 over 5), so a pooled category mean m over N answers gives the hidden
    // answers back as m·N − 40. With one hidden answer N = 12.
    for (conn, echt) in [(&een, 1.0), (&vijf, 5.0)] {
        let m = oude_gepoolde_score(conn, "2024-2025");
        let teruggevonden = m * 12.0 - 40.0;
        assert!(
            (teruggevonden - echt).abs() < 1e-9,
            "the old pooled score gave the hidden answer away: {teruggevonden}"
        );
    }

    // Now: r's cell is hidden, so r counts nowhere. Everything anyone can see is the same in
    // both schools: the report's categories, and every aggregated export byte for byte.
    let r1 = rapport::maak(&een, &lijst_thema(), &Keuze::default()).unwrap();
    let r5 = rapport::maak(&vijf, &lijst_thema(), &Keuze::default()).unwrap();
    assert_eq!(r1.categorieen, r5.categorieen);
    assert_eq!(r1.items, r5.items);
    for formaat in [Formaat::Csv, Formaat::CsvNl, Formaat::Json] {
        let schrijf = |conn: &rusqlite::Connection| {
            let mut uit = Vec::new();
            export::schrijf(
                conn,
                &lijst_thema(),
                &Opdracht {
                    keuze: Keuze::default(),
                    formaat,
                    open_antwoorden: false,
                },
                &mut uit,
            )
            .unwrap();
            uit
        };
        assert_eq!(schrijf(&een), schrijf(&vijf), "{formaat:?}");
    }
    // And the category mean is that of p and q alone.
    let s = r1.categorieen[2].per_periode[0].zichtbaar().unwrap();
    assert!(dicht(s.gemiddelde, 21.5 / 6.0));
}

#[test]
fn a_chosen_pair_is_compared_and_a_bad_choice_is_refused_in_dutch() {
    let (_db, conn) = seed("paar");
    let keuze = |van: &str, naar: &str| Keuze {
        vergelijk: Vergelijk::Paar(van.into(), naar.into()),
        ..Keuze::default()
    };
    // 2025-2026 against 2024-2025, the other way round: the difference flips its sign.
    let r = rapport::maak(&conn, &lijst(2), &keuze("2025-2026", "2024-2025")).unwrap();
    assert_eq!(r.paren.len(), 1);
    assert_eq!((r.paren[0].van, r.paren[0].naar), (1, 0));
    let a = r.items.iter().find(|i| i.id == "a").unwrap();
    let v = a.verschillen[0].vergeleken().unwrap();
    assert!(dicht(v.aandeel_eens.verschil, 0.6 - 5.0 / 6.0));
    interval_is(v.aandeel_eens.interval, -0.62706897, 0.25371591);

    let fout = rapport::maak(
        &conn,
        &lijst(2),
        &Keuze {
            periodes: vec!["2024-2025".into(), "2025-2026".into()],
            ..keuze("2024-2025", "2026-2027")
        },
    )
    .unwrap_err();
    assert!(
        matches!(&fout, zorgenquete::storage::OpslagFout::Geweigerd(t)
            if t.contains("`2026-2027` kan niet vergeleken worden")),
        "{fout}"
    );
    let fout = rapport::maak(&conn, &lijst(2), &keuze("2024-2025", "2024-2025")).unwrap_err();
    assert!(
        matches!(&fout, zorgenquete::storage::OpslagFout::Geweigerd(t)
            if t.contains("twee verschillende periodes")),
        "{fout}"
    );
}

/// More rows than the reading thread hands over in one batch (256 KB of answers): every row
/// is counted once, in its own period, and each respondent's category score is built from
/// that respondent's answers only. The reference is a plain serde_json pass over the same rows.
#[test]
fn a_report_over_many_batches_counts_every_row_like_a_plain_pass() {
    let (_db, mut conn) = TempDb::open("rapport-stapels");
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut volgende = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % 6
    };
    let mut rijen: Vec<Vec<String>> = vec![Vec::new(), Vec::new()];
    for (p, aantal) in [(0, 9_000), (1, 6_000)] {
        for i in 0..aantal {
            let (a, b, c, d, e) = (volgende(), volgende(), volgende(), volgende(), volgende());
            rijen[p].push(if i % 500 == 7 {
                // Not the writer's compact shape: read through serde_json.
                format!(r#"{{ "p@1": {a}, "q@1": {b}, "s@1": {d}, "t@1": {e} }}"#)
            } else if i % 3 == 0 {
                format!(r#"{{"p@1":{a},"q@1":{b},"r@1":{c},"s@1":{d},"t@1":{e}}}"#)
            } else {
                format!(r#"{{"p@1":{a},"q@1":{b},"s@1":{d},"t@1":{e}}}"#)
            });
        }
    }
    assert!(rijen.iter().flatten().map(String::len).sum::<usize>() > 2 * 256 * 1024);
    for (naam, p) in [("2024-2025", 0), ("2025-2026", 1)] {
        let antwoorden: Vec<(Kanaal, &str)> = rijen[p]
            .iter()
            .map(|j| (Kanaal::Online, j.as_str()))
            .collect();
        periode_met(&mut conn, &lijst_thema(), naam, 20_000, &antwoorden);
    }

    let r = rapport::maak(&conn, &lijst_thema(), &Keuze::default()).unwrap();
    for (p, rijen) in rijen.iter().enumerate() {
        let waarden: Vec<serde_json::Value> = rijen
            .iter()
            .map(|j| serde_json::from_str(j).unwrap())
            .collect();
        let schaal = |v: &serde_json::Value, k: &str| v[k].as_u64().filter(|w| (1..=5).contains(w));
        assert_eq!(
            r.periodes[p].deelname.zichtbaar().unwrap().respondenten,
            rijen.len() as u64
        );
        for item in &r.items {
            let k = format!("{}@1", item.id);
            let cel = item.per_periode[p].cijfers.zichtbaar().unwrap();
            let beantwoord = waarden.iter().filter(|v| v[&k].is_u64()).count();
            assert_eq!(cel.n, beantwoord as u64, "{k}");
            let eens: Vec<u64> = waarden.iter().filter_map(|v| schaal(v, &k)).collect();
            let gemiddelde = eens.iter().sum::<u64>() as f64 / eens.len() as f64;
            assert!(dicht(cel.gemiddelde.unwrap(), gemiddelde), "{k}");
        }
        // Welbevinden: p, q and r, one score per respondent who gave any of them.
        let scores: Vec<f64> = waarden
            .iter()
            .filter_map(|v| {
                let eigen: Vec<u64> = ["p@1", "q@1", "r@1"]
                    .iter()
                    .filter_map(|k| schaal(v, k))
                    .collect();
                (!eigen.is_empty()).then(|| eigen.iter().sum::<u64>() as f64 / eigen.len() as f64)
            })
            .collect();
        let welbevinden = r.categorieen[2].per_periode[p].zichtbaar().unwrap();
        assert_eq!(welbevinden.n, scores.len() as u64);
        assert!(dicht(
            welbevinden.gemiddelde,
            scores.iter().sum::<f64>() / scores.len() as f64
        ));
    }
}
