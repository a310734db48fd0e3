//! Reports and exports over a real SQLite file, seeded through the real storage path with known
//! answers in three periods:
//!
//! - 2024-2025: 6 responses (4 online, 2 papier);
//! - 2025-2026: 7 responses (online); item `b` changed to version 2;
//! - 2026-2027: 3 responses: below the minimum, so everything about it is hidden.

use std::path::PathBuf;

use zorgenquete::domain::vragenlijst::{Vragenlijst, parse};
use zorgenquete::domain::{Kanaal, PeriodeNaam};
use zorgenquete::rapport::export::{self, Formaat, Opdracht};
use zorgenquete::rapport::open::open_antwoorden;
use zorgenquete::rapport::{self, Cel, Keuze, MinimumGroep, Rapport, Verschil};
use zorgenquete::storage::{self, schrijver::NieuweInzending, schrijver::schrijf_groep};
use zorgsite::diagnostics::Source;

fn lijst(versie_b: u32) -> Vragenlijst {
    let text = format!(
        r#"
id = "ouders"
titel = "Hoe ervaar jij de zorg?"
intro = "i"
bedankt = "b"
[[vraag]]
id = "a"
versie = 1
categorie = "leren"
soort = "schaal"
tekst = "=Mijn kind leert graag."
[[vraag]]
id = "b"
versie = {versie_b}
categorie = "welbevinden"
soort = "schaal"
tekst = "B versie {versie_b}"
[[vraag]]
id = "c"
versie = 1
categorie = "samenwerking"
soort = "janee"
tekst = "C"
[[vraag]]
id = "idee"
versie = 1
categorie = "samenwerking"
soort = "open"
tekst = "Idee?"
"#
    );
    parse(&Source::new("ouders.toml", text), "ouders").unwrap()
}

struct Db {
    pad: PathBuf,
}

impl Drop for Db {
    fn drop(&mut self) {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", self.pad.display()));
        }
    }
}

fn periode(
    conn: &mut rusqlite::Connection,
    lijst: &Vragenlijst,
    naam: &str,
    uitgenodigd: u32,
    antwoorden: &[(Kanaal, &str)],
) {
    storage::bewaar_vragen(
        conn,
        &zorgenquete::domain::vragenlijst::Vragenlijsten(
            [(lijst.id.clone(), lijst.clone())].into(),
        ),
    )
    .unwrap();
    let p = PeriodeNaam::parse(naam).unwrap();
    storage::periode_open(conn, "ouders", &p, Some(uitgenodigd)).unwrap();
    let inz: Vec<NieuweInzending> = antwoorden
        .iter()
        .map(|(k, json)| NieuweInzending {
            vragenlijst: "ouders".into(),
            periode: naam.into(),
            kanaal: *k,
            code: None,
            antwoorden: json.to_string(),
        })
        .collect();
    let refs: Vec<&NieuweInzending> = inz.iter().collect();
    schrijf_groep(conn, &refs).unwrap();
    storage::periode_sluit(conn, "ouders", &p).unwrap();
}

fn seed(naam: &str) -> (Db, rusqlite::Connection) {
    let pad = std::env::temp_dir().join(format!(
        "zorgenquete-rapport-{naam}-{}.sqlite",
        std::process::id()
    ));
    let db = Db { pad };
    drop(Db {
        pad: db.pad.clone(),
    });
    let mut conn = storage::open(&db.pad).unwrap();
    use Kanaal::*;
    periode(
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
    periode(
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
    periode(
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
    match a.verschil(0, 1) {
        Verschil::Vergelijkbaar {
            gemiddelde: Some(g),
            aandeel_eens: Some(e),
        } => {
            assert!(dicht(g, 25.0 / 6.0 - 3.6));
            assert!(dicht(e, 5.0 / 6.0 - 0.6));
        }
        v => panic!("a should compare: {v:?}"),
    }
    // Period 3 has 3 respondents: hidden, no numbers at all.
    assert_eq!(a.per_periode[2].cijfers, Cel::Verborgen);
    assert_eq!(a.verschil(1, 2), Verschil::Verborgen);
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
    assert_eq!(b.verschil(0, 1), Verschil::NietVergelijkbaar);
    assert!(b.trend()[1].breuk);

    // Yes/no: counts, no mean.
    let c = r.items.iter().find(|i| i.id == "c").unwrap();
    let cc = c.per_periode[0].cijfers.zichtbaar().unwrap();
    assert_eq!(cc.verdeling, vec![3, 2, 1]);
    assert_eq!(cc.gemiddelde, None);

    // Open items are not in the report.
    assert!(r.items.iter().all(|i| i.id != "idee"));

    // Category "leren" (only item a) in period 1: 6 respondents, pooled mean 3.6.
    let leren = &r.categorieen[1];
    assert_eq!(leren.categorie.id(), "leren");
    let s = leren.per_periode[0].zichtbaar().unwrap();
    assert_eq!(s.n, 6);
    assert!(dicht(s.gemiddelde.unwrap(), 3.6));
    assert!(leren.per_periode[2].is_verborgen());
}

#[test]
fn a_higher_minimum_hides_more_and_unknown_periods_are_named() {
    let (_db, conn) = seed("minimum");
    let keuze = Keuze {
        periodes: vec!["2024-2025".into(), "2025-2026".into()],
        minimum: MinimumGroep::nieuw(7).unwrap(),
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
fn open_answers_only_for_large_enough_periods() {
    let (_db, conn) = seed("open");
    let min = MinimumGroep::default();
    let open = open_antwoorden(&conn, &lijst(2), "2024-2025", min).unwrap();
    assert_eq!(open[0].id, "idee");
    assert_eq!(open[0].antwoorden, Cel::Zichtbaar(vec!["Meer tijd".into()]));
    let klein = open_antwoorden(&conn, &lijst(2), "2026-2027", min).unwrap();
    assert_eq!(klein[0].antwoorden, Cel::Verborgen);
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
    // 3 items × 3 periods, every row the same width.
    assert_eq!(rijen.len(), 9);
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
    assert_eq!(&rij("b", "2024-2025")[kol("versie")], "1");
    assert_eq!(&rij("b", "2025-2026")[kol("versie")], "2");
}

#[test]
fn standard_csv_uses_points_and_commas() {
    let (_db, conn) = seed("csv");
    let (bytes, _) = export(&conn, Formaat::Csv, false);
    let tekst = String::from_utf8(bytes).unwrap();
    assert!(tekst.starts_with("item,versie,"));
    assert!(tekst.contains(",3.60,0.600,"), "{tekst}");
}

#[test]
fn json_summary_follows_schema_1() {
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
    assert_eq!(v["schema"], 1);
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
        a["per_periode"][0]["verdeling"][0]["antwoord"],
        "helemaal niet akkoord"
    );
    let verborgen = a["per_periode"][2].as_object().unwrap();
    let mut sleutels: Vec<&str> = verborgen.keys().map(String::as_str).collect();
    sleutels.sort();
    assert_eq!(sleutels, ["periode", "verborgen", "versie"]);
    assert_eq!(s.items[1].per_periode[0].versie, Some(1));
    assert_eq!(s.items[1].per_periode[1].versie, Some(2));
    let c = &v["items"][2]["per_periode"][0];
    assert!(c.get("gemiddelde").is_none(), "no mean for yes/no");
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
    let v = boek.worksheet_range("Vergelijking").unwrap();
    let rijen: Vec<_> = v.rows().collect();
    // a: 3.6 → 4.17, delta 0.57; b: not comparable; period 3 hidden.
    assert_eq!(rijen[1][1], Data::Float(3.6));
    assert_eq!(rijen[1][4], Data::Float(0.57));
    assert_eq!(rijen[2][4], Data::String("niet vergelijkbaar".into()));
    assert_eq!(
        rijen[1][5],
        Data::String("te weinig antwoorden om te tonen".into())
    );
}

#[test]
fn raw_export_leaves_out_small_periods_and_open_answers_unless_asked() {
    let (_db, conn) = seed("ruw");
    let (bytes, notities) = export(&conn, Formaat::Ruw, false);
    let tekst = String::from_utf8(bytes).unwrap();
    let mut lezer = csv::Reader::from_reader(tekst.as_bytes());
    let kop: Vec<String> = lezer.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(kop, ["id", "periode", "kanaal", "a@1", "b@2", "c@1", "b@1"]);
    let rijen: Vec<csv::StringRecord> = lezer.records().map(Result::unwrap).collect();
    assert_eq!(rijen.len(), 13, "6 + 7; the period of 3 is left out");
    assert!(notities.iter().any(|n| n.contains("2026-2027")));
    assert_eq!(rijen.iter().filter(|r| &r[2] == "papier").count(), 2);
    assert!(!tekst.contains("Meer tijd"));

    let (bytes, _) = export(&conn, Formaat::Ruw, true);
    let tekst = String::from_utf8(bytes).unwrap();
    assert!(tekst.contains("idee@1"));
    assert!(tekst.contains("Meer tijd"));
    assert!(tekst.contains("'=HYPERLINK(1)"), "formula neutralised");
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
