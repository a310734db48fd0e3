//! Issue 14: what a staff member can see of the answers only changes in steps of at least the
//! minimum group of responses. A property test drives a real SQLite file through any sequence
//! of submissions, closes, re-openings and views, and compares everything a staff member can
//! see of the answers at each view: the report's JSON and CSV, the raw export (with open
//! answers; rows sorted and numbers dropped, since those are shuffled on purpose) and the open
//! answers (sorted).

mod common;

use common::{TempDb, open_periode, ouders, schrijf};
use proptest::prelude::*;
use zorgenquete::domain::Kanaal;
use zorgenquete::domain::vragenlijst::Vragenlijst;
use zorgenquete::rapport::export::{self, Formaat, Opdracht};
use zorgenquete::rapport::open::open_antwoorden;
use zorgenquete::rapport::{self, Cel, Keuze, MinimumGroep};
use zorgenquete::storage;

const PERIODE: &str = "2025-2026";

fn lijst() -> Vragenlijst {
    ouders(
        "T",
        &[
            ("a", 1, "leren", "schaal", "A"),
            ("b", 1, "leren", "schaal", "B (optioneel)"),
            ("c", 1, "samenwerking", "janee", "C"),
            ("idee", 1, "samenwerking", "open", "Idee?"),
        ],
    )
}

#[derive(Debug, Clone)]
enum Stap {
    Antwoord {
        kanaal: usize,
        a: u8,
        b: Option<u8>,
        c: u8,
        idee: Option<usize>,
    },
    Sluit,
    Heropen,
    Kijk,
}

fn stap() -> impl Strategy<Value = Stap> {
    prop_oneof![
        8 => (0..4usize, 0..=5u8, proptest::option::of(1..=5u8), 1..=2u8, proptest::option::of(0..4usize))
            .prop_map(|(kanaal, a, b, c, idee)| Stap::Antwoord { kanaal, a, b, c, idee }),
        1 => Just(Stap::Sluit),
        1 => Just(Stap::Heropen),
        3 => Just(Stap::Kijk),
    ]
}

const IDEEEN: [&str; 4] = ["Meer tijd", "Bel 0478 12 34 56", "Goed", "a@b.be"];

/// Everything a staff member can see of the answers now, as one comparable text; and whether
/// any answer shows at all (the raw export has rows).
fn zicht(conn: &rusqlite::Connection, lijst: &Vragenlijst, min: MinimumGroep) -> (String, bool) {
    let keuze = Keuze {
        minimum: min,
        ..Keuze::default()
    };
    let mut zicht = String::new();
    for formaat in [Formaat::Json, Formaat::Csv] {
        let mut uit = Vec::new();
        export::schrijf(
            conn,
            lijst,
            &Opdracht {
                keuze: keuze.clone(),
                formaat,
                open_antwoorden: false,
            },
            &mut uit,
        )
        .unwrap();
        zicht.push_str(&String::from_utf8(uit).unwrap());
    }
    let mut uit = Vec::new();
    export::schrijf(
        conn,
        lijst,
        &Opdracht {
            keuze: keuze.clone(),
            formaat: Formaat::Ruw,
            open_antwoorden: true,
        },
        &mut uit,
    )
    .unwrap();
    let mut rijen: Vec<Vec<String>> = csv::Reader::from_reader(uit.as_slice())
        .records()
        .map(|r| r.unwrap().iter().skip(1).map(String::from).collect())
        .collect();
    rijen.sort();
    let toont = !rijen.is_empty();
    zicht.push_str(&format!("{rijen:?}"));
    let open = open_antwoorden(conn, lijst, PERIODE, min).unwrap();
    for v in open.vragen {
        let mut lijst = v.antwoorden.zichtbaar().cloned().unwrap_or_default();
        lijst.sort();
        zicht.push_str(&format!("{}:{lijst:?}", v.id));
    }
    if !toont {
        // Nothing shows: every cell of the report is hidden, and so are the open answers.
        let r = rapport::maak(conn, lijst, &keuze).unwrap();
        assert!(r.periodes.iter().all(|p| p.deelname.is_verborgen()));
        assert!(
            r.items
                .iter()
                .all(|i| i.per_periode.iter().all(|c| c.cijfers.is_verborgen()))
        );
        assert!(
            r.categorieen
                .iter()
                .all(|c| c.per_periode.iter().all(Cel::is_verborgen))
        );
        assert!(
            open_antwoorden(conn, lijst, PERIODE, min)
                .unwrap()
                .vragen
                .iter()
                .all(|v| v.antwoorden.is_verborgen())
        );
    }
    (zicht, toont)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn what_staff_see_changes_only_in_steps_of_the_minimum_group(
        stappen in proptest::collection::vec(stap(), 1..90),
        acht in any::<bool>(),
    ) {
        let min = if acht { MinimumGroep::nieuw(8).unwrap() } else { MinimumGroep::STANDAARD };
        let lijst = lijst();
        let draad = std::thread::current().name().unwrap_or("t").replace(':', "_");
        let (_db, mut conn) = TempDb::open(&format!("vrijgave-{draad}"));
        let p = open_periode(&mut conn, &lijst, PERIODE, Some(40));
        let mut n: u64 = 0;
        // Every view that showed answers: (number of responses then, what was seen).
        let mut gezien: Vec<(u64, String)> = Vec::new();
        for s in stappen {
            match s {
                Stap::Antwoord { kanaal, a, b, c, idee } => {
                    let mut json = format!(r#"{{"a@1":{a},"c@1":{c}"#);
                    if let Some(b) = b {
                        json.push_str(&format!(r#","b@1":{b}"#));
                    }
                    if let Some(i) = idee {
                        json.push_str(&format!(r#","idee@1":"{}""#, IDEEEN[i]));
                    }
                    json.push('}');
                    if schrijf(&mut conn, PERIODE, &[(Kanaal::ALLE[kanaal], &json)])
                        == [storage::schrijver::Uitkomst::Bewaard]
                    {
                        n += 1;
                    }
                }
                Stap::Sluit => {
                    storage::periode_sluit(&mut conn, "ouders", &p, min).unwrap();
                }
                Stap::Heropen => {
                    storage::periode_open(&mut conn, "ouders", &p, None).unwrap();
                }
                Stap::Kijk => {
                    let (zicht, toont) = zicht(&conn, &lijst, min);
                    if toont {
                        for (m, eerder) in &gezien {
                            if *eerder != zicht {
                                prop_assert!(
                                    n.abs_diff(*m) >= u64::from(min.get()),
                                    "seen at {m} and at {n} responses, and they differ"
                                );
                            }
                        }
                        gezien.push((n, zicht));
                    }
                }
            }
        }
    }
}

/// One extra response while a period is open changes nothing anyone can see of the answers;
/// neither does one extra response in a re-opened period once it is closed again.
#[test]
fn one_extra_response_changes_nothing_that_shows() {
    let lijst = lijst();
    let (_db, mut conn) = TempDb::open("vrijgave-een");
    let p = open_periode(&mut conn, &lijst, PERIODE, None);
    let min = MinimumGroep::STANDAARD;
    let antwoord = |conn: &mut rusqlite::Connection, a: u8, kanaal: Kanaal| {
        let json = format!(r#"{{"a@1":{a},"c@1":1,"idee@1":"Idee {a}"}}"#);
        schrijf(conn, PERIODE, &[(kanaal, &json)]);
    };
    for i in 0..10 {
        antwoord(&mut conn, 1 + i % 5, Kanaal::Online);
    }
    let open_voor = zicht(&conn, &lijst, min);
    antwoord(&mut conn, 5, Kanaal::Mondeling);
    assert_eq!(
        zicht(&conn, &lijst, min),
        open_voor,
        "open: one more changes nothing"
    );
    assert!(!open_voor.1, "nothing shows while open");

    storage::periode_sluit(&mut conn, "ouders", &p, min).unwrap();
    let dicht = zicht(&conn, &lijst, min);
    assert!(dicht.1, "11 responses, released");
    // Re-opened, one more, closed again: still nothing new, and never the old numbers plus one.
    storage::periode_open(&mut conn, "ouders", &p, None).unwrap();
    antwoord(&mut conn, 1, Kanaal::Mondeling);
    storage::periode_sluit(&mut conn, "ouders", &p, min).unwrap();
    let na = zicht(&conn, &lijst, min);
    assert!(!na.1, "12 responses: waits for 16");
    let info = storage::periodes(&conn).unwrap();
    assert_eq!(info[0].nog_nodig(min), 4);
    for _ in 0..4 {
        storage::periode_open(&mut conn, "ouders", &p, None).unwrap();
        antwoord(&mut conn, 2, Kanaal::Online);
        storage::periode_sluit(&mut conn, "ouders", &p, min).unwrap();
    }
    let weer = zicht(&conn, &lijst, min);
    assert!(weer.1, "16 responses: released again");
    assert_ne!(weer.0, dicht.0);
}
