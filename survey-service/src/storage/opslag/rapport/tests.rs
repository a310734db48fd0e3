//! Reports, exports, open answers and retention: the same assertions on both engines, and
//! the results of the two engines compared with each other (same answers in, same bytes out).

use std::sync::Mutex;

use super::super::tests::op_elke_engine;
use super::*;
use crate::domain::vragenlijst::{self, Vragenlijsten};
use crate::domain::vrijgave::Vrijgave;
use crate::domain::{Kanaal, PeriodeNaam};
use crate::rapport::Cel;
use crate::rapport::export::Formaat;
use crate::storage::schrijver::{NieuweInzending, Uitkomst};

fn lijsten() -> Vragenlijsten {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    vragenlijst::laad(&root).unwrap()
}

fn naam(p: &str) -> PeriodeNaam {
    PeriodeNaam::parse(p).unwrap()
}

/// Runs `sql` on the engine's storage directly (tests only: rows no service path writes here).
async fn sql(o: &Opslag, sql: &str) {
    match o {
        Opslag::Sqlite(s) => {
            let sql = sql.to_string();
            s.met(move |c| Ok(c.execute_batch(&sql)?)).await.unwrap()
        }
        Opslag::Postgres(p) => p
            .pool()
            .get()
            .await
            .unwrap()
            .batch_execute(sql)
            .await
            .unwrap(),
    }
}

async fn bewaar(o: &Opslag, periode: &str, kanaal: Kanaal, antwoorden: String) {
    let i = NieuweInzending::new("ouders", periode, kanaal, antwoorden);
    assert_eq!(o.bewaar(i).await.unwrap(), Uitkomst::Bewaard);
}

/// The answers of the test: 12 responses over three channels, scale answers, one removed item
/// (`oud-item@1`, known only from the `vraag` table), open answers (one with an e-mail address;
/// `open-beter` gets only 3 texts, below the minimum group).
async fn vul(o: &Opslag) {
    sql(
        o,
        "INSERT INTO vraag (vragenlijst, id, versie, categorie, soort, tekst) \
         VALUES ('ouders', 'oud-item', 1, 'zorgbeleid', 'schaal', 'Een vraag van vroeger')",
    )
    .await;
    o.periode_open("ouders", &naam("2025-2026"), Some(20))
        .await
        .unwrap();
    for i in 0..12usize {
        let kanaal = [
            Kanaal::Online,
            Kanaal::Online,
            Kanaal::Papier,
            Kanaal::Kiosk,
        ][i % 4];
        let open_goed = if i == 3 {
            "mail me op jan.peeters@voorbeeld.be".to_string()
        } else {
            format!("goed punt {i}")
        };
        let open_beter = if i < 3 {
            format!(r#","open-beter@1":"beter {i}""#)
        } else {
            String::new()
        };
        let json = format!(
            r#"{{"zorg-aanspreekpunt@1":{},"zorg-zorgcoordinator@1":{},"leren-op-maat@1":{},"oud-item@1":{},"open-goed@1":"{open_goed}"{open_beter}}}"#,
            i % 6,
            (i * 5 + 1) % 6,
            1 + i % 5,
            1 + (i * 3) % 5,
        );
        bewaar(o, "2025-2026", kanaal, json).await;
    }
}

/// What one engine produced, to compare with the other.
#[derive(Debug, PartialEq)]
struct Uitkomsten {
    rapport: Rapport,
    exports: Vec<(Formaat, Vec<u8>, Vec<String>)>,
    /// The raw export's rows without `nr`, sorted (its order is new on every export).
    ruw: Vec<String>,
    open: OpenAntwoorden,
}

fn ruwe_rijen(bytes: &[u8]) -> Vec<String> {
    let tekst = String::from_utf8(bytes.to_vec()).unwrap();
    let mut rijen: Vec<String> = tekst
        .lines()
        .skip(1)
        .map(|r| r.split_once(',').unwrap().1.to_string())
        .collect();
    rijen.sort();
    rijen
}

#[test]
fn reports_exports_and_open_answers_are_the_same_on_both_engines() {
    let lijsten = lijsten();
    let lijst = lijsten.get("ouders").unwrap().clone();
    let verwacht: Mutex<Option<Uitkomsten>> = Mutex::new(None);
    op_elke_engine(
        "reports_exports_and_open_answers_are_the_same_on_both_engines",
        |o, _| {
            let (lijst, verwacht) = (&lijst, &verwacht);
            async move {
                let e = o.engine();
                vul(&o).await;
                let keuze = Keuze::default();

                // Open: the period is in the report without a number, and nothing is read.
                let r = o.rapport(lijst, &keuze).await.unwrap();
                assert_eq!(r.periodes.len(), 1);
                assert_eq!(r.periodes[0].vrijgave, Vrijgave::NogOpen, "{e}");
                assert_eq!(r.periodes[0].deelname, Cel::Verborgen, "{e}");
                let open = o
                    .open_antwoorden(lijst, "2025-2026", MinimumGroep::STANDAARD)
                    .await
                    .unwrap();
                assert_eq!(open.vrijgave, Vrijgave::NogOpen);
                assert!(open.vragen.iter().all(|v| v.antwoorden == Cel::Verborgen));
                let (ruw, notities) = o.ruwe_export(lijst, &keuze, true).await.unwrap();
                assert_eq!(ruwe_rijen(&ruw), Vec::<String>::new(), "{e}: nothing raw");
                assert_eq!(notities.len(), 1, "{e}: {notities:?}");

                o.periode_sluit("ouders", &naam("2025-2026"), MinimumGroep::STANDAARD)
                    .await
                    .unwrap();

                let rapport = o.rapport(lijst, &keuze).await.unwrap();
                assert_eq!(rapport.periodes[0].vrijgave, Vrijgave::Vrijgegeven);
                let Cel::Zichtbaar(d) = &rapport.periodes[0].deelname else {
                    panic!("{e}: participation hidden");
                };
                assert_eq!(d.respondenten, 12, "{e}");
                assert_eq!(d.respons, Some(12.0 / 20.0));
                assert!(
                    rapport.items.iter().any(|i| i.id == "oud-item"),
                    "{e}: the removed item comes from the vraag table"
                );
                assert_eq!(
                    o.rapport_periodes("ouders").await.unwrap(),
                    vec![("2025-2026".to_string(), Some(20))]
                );

                let open = o
                    .open_antwoorden(lijst, "2025-2026", MinimumGroep::STANDAARD)
                    .await
                    .unwrap();
                let goed = open.vragen.iter().find(|v| v.id == "open-goed").unwrap();
                let Cel::Zichtbaar(teksten) = &goed.antwoorden else {
                    panic!("{e}: open-goed hidden");
                };
                assert_eq!(teksten.len(), 12);
                assert!(!teksten.iter().any(|t| t.contains("jan.peeters")), "masked");
                let beter = open.vragen.iter().find(|v| v.id == "open-beter").unwrap();
                assert_eq!(beter.antwoorden, Cel::Verborgen, "{e}: 3 texts stay hidden");

                let (ruw, _) = o.ruwe_export(lijst, &keuze, true).await.unwrap();
                let ruw = ruwe_rijen(&ruw);
                assert_eq!(ruw.len(), 12, "{e}");
                let (zonder_open, _) = o.ruwe_export(lijst, &keuze, false).await.unwrap();
                assert!(
                    !String::from_utf8(zonder_open)
                        .unwrap()
                        .contains("goed punt")
                );

                let mut exports = Vec::new();
                for formaat in [Formaat::Csv, Formaat::CsvNl, Formaat::Json, Formaat::Xlsx] {
                    let opdracht = Opdracht {
                        keuze: keuze.clone(),
                        formaat,
                        open_antwoorden: false,
                    };
                    let (bytes, notities) = o.export(lijst, &opdracht).await.unwrap();
                    assert!(!bytes.is_empty());
                    exports.push((formaat, bytes, notities));
                }
                // Open answers in a summary are refused on either engine.
                let fout = o
                    .export(
                        lijst,
                        &Opdracht {
                            keuze: keuze.clone(),
                            formaat: Formaat::Csv,
                            open_antwoorden: true,
                        },
                    )
                    .await
                    .unwrap_err();
                assert!(matches!(fout, OpslagFout::Geweigerd(_)));

                // Open answers come in a fresh random order: compare them sorted.
                let mut open = open;
                for v in &mut open.vragen {
                    if let Cel::Zichtbaar(t) = &mut v.antwoorden {
                        t.sort();
                    }
                }
                let uit = Uitkomsten {
                    rapport,
                    exports,
                    ruw,
                    open,
                };
                let mut v = verwacht.lock().unwrap();
                match &*v {
                    None => *v = Some(uit),
                    Some(sqlite) => {
                        // The two databases drew different random ids, so respondents are
                        // summed in another order: equal up to the last bits of a float.
                        assert_eq!(
                            zonder_ruis(&uit.rapport),
                            zonder_ruis(&sqlite.rapport),
                            "the report"
                        );
                        assert_eq!(uit.ruw, sqlite.ruw, "the raw export");
                        assert_eq!(uit.open, sqlite.open, "the open answers");
                        for (a, b) in uit.exports.iter().zip(&sqlite.exports) {
                            assert!(a == b, "export {} differs between the engines", a.0.id());
                        }
                    }
                }
            }
        },
    );
}

#[test]
fn retention_deletes_old_closed_periods_only_and_nothing_when_one_was_reopened() {
    op_elke_engine(
        "retention_deletes_old_closed_periods_only_and_nothing_when_one_was_reopened",
        |o, _| async move {
            let e = o.engine();
            for (p, n) in [("2019-2020", 6), ("2020-2021", 5), ("2024-2025", 7)] {
                o.periode_open("ouders", &naam(p), None).await.unwrap();
                o.maak_codes("ouders", &naam(p), 2).await.unwrap();
                for _ in 0..n {
                    bewaar(&o, p, Kanaal::Kiosk, r#"{"zorg-aanspreekpunt@1":4}"#.into()).await;
                }
                o.periode_sluit("ouders", &naam(p), MinimumGroep::STANDAARD)
                    .await
                    .unwrap();
            }
            o.periode_open("ouders", &naam("proef"), None)
                .await
                .unwrap();
            o.periode_sluit("ouders", &naam("proef"), MinimumGroep::STANDAARD)
                .await
                .unwrap();
            // An open old period is never selected.
            sql(
                &o,
                "INSERT INTO periode (vragenlijst, naam, open, inzendingen) VALUES ('collegas', '2018-2019', true, 0)",
            )
            .await;

            // School year 2026-2027 with 5 years: 2019-2020 and 2020-2021 are old.
            let keuze = o.oude_periodes(5, "2026-10-01").await.unwrap();
            let namen: Vec<(&str, i64, i64)> = keuze
                .te_oud
                .iter()
                .map(|p| (p.naam.as_str(), p.antwoorden, p.codes))
                .collect();
            assert_eq!(namen, [("2019-2020", 6, 2), ("2020-2021", 5, 2)], "{e}");
            assert_eq!(keuze.zonder_jaar, ["ouders proef"]);

            // Reopened in between: nothing at all is deleted.
            o.periode_open("ouders", &naam("2020-2021"), None)
                .await
                .unwrap();
            let fout = o.verwijder_periodes(&keuze.te_oud).await.unwrap_err();
            assert!(
                matches!(&fout, OpslagFout::Geweigerd(t) if t.contains("2020-2021")),
                "{e}: {fout:?}"
            );
            assert_eq!(o.periodes().await.unwrap().len(), 5, "{e}: nothing deleted");
            o.periode_sluit("ouders", &naam("2020-2021"), MinimumGroep::STANDAARD)
                .await
                .unwrap();

            o.verwijder_periodes(&keuze.te_oud).await.unwrap();
            let over: Vec<(String, i64)> = o
                .periodes()
                .await
                .unwrap()
                .into_iter()
                .map(|p| (p.naam, p.antwoorden))
                .collect();
            assert_eq!(
                over,
                [
                    ("2018-2019".to_string(), 0),
                    ("2024-2025".to_string(), 7),
                    ("proef".to_string(), 0)
                ],
                "{e}"
            );
            // The kept period still reports; nothing of the deleted ones remains to read.
            let lijst = lijsten().get("ouders").unwrap().clone();
            let r = o.rapport(&lijst, &Keuze::default()).await.unwrap();
            let namen: Vec<&str> = r.periodes.iter().map(|p| p.naam.as_str()).collect();
            assert_eq!(namen, ["2024-2025", "proef"]);
            let (ruw, _) = o
                .ruwe_export(&lijst, &Keuze::default(), false)
                .await
                .unwrap();
            assert_eq!(ruwe_rijen(&ruw).len(), 7, "{e}");
            assert!(
                o.oude_periodes(5, "2026-10-01")
                    .await
                    .unwrap()
                    .te_oud
                    .is_empty()
            );
        },
    );
}

#[test]
fn a_postgres_address_is_read_back_from_a_settings_path() {
    let pg = |p: &str| DbAdres::uit_pad(Path::new(p));
    assert_eq!(
        pg("postgres://zorg@db:5432/zorg"),
        DbAdres::Postgres("postgres://zorg@db:5432/zorg".into())
    );
    // Put behind the config file's folder, with `//` collapsed.
    assert_eq!(
        pg("/etc/zorgenquete/postgres:/zorg@db/zorg"),
        DbAdres::Postgres("postgres://zorg@db/zorg".into())
    );
    assert_eq!(
        pg("postgresql://x@y/z"),
        DbAdres::Postgres("postgresql://x@y/z".into())
    );
    assert_eq!(
        pg("/var/lib/zorgenquete/zorgenquete.sqlite"),
        DbAdres::Sqlite("/var/lib/zorgenquete/zorgenquete.sqlite".into())
    );
}
