//! The storage interface's behaviour, asserted once and run on both engines: a SQLite file in a
//! temporary folder, and a fresh database on the throwaway PostgreSQL server of the test
//! harness (`e2e::postgres`; without PostgreSQL that half prints that it did not run, under
//! `CI=true` it fails).

use std::future::Future;

use super::*;
use crate::domain::Kanaal;
use crate::domain::vrijgave::{Aantal, Vrijgave};
use crate::rapport::Sleutels;
use crate::rapport::lezen::{Telling, tel_uit};
use crate::storage::schrijver::NieuweInzending;
use crate::storage::vrijgave::Vrijgegeven;
use crate::storage::{Conflict, RijBron};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `test` on a fresh storage of each engine (school `a`). The closure gets the runtime's
/// handle too, for the parts that run on a blocking thread (the report's rows).
pub(crate) fn op_elke_engine<F, Fut>(naam: &str, test: F)
where
    F: Fn(Opslag, tokio::runtime::Handle) -> Fut,
    Fut: Future<Output = ()>,
{
    let rt = runtime();
    let map = e2e::TempDir::new("opslag");
    let adres = DbAdres::Sqlite(map.path().join("a.sqlite"));
    rt.block_on(async {
        let (opslag, _draad) = Opslag::open(&adres, Some("a")).await.unwrap();
        assert_eq!(opslag.engine(), "sqlite");
        test(opslag, rt.handle().clone()).await;
    });
    if let Some(server) = e2e::postgres::server(naam) {
        let db = server.databank();
        rt.block_on(async {
            let (opslag, draad) = Opslag::open(&DbAdres::Postgres(db.url()), Some("a"))
                .await
                .unwrap();
            assert!(draad.is_none());
            assert_eq!(opslag.engine(), "postgres");
            test(opslag, rt.handle().clone()).await;
        });
    }
}

fn periode() -> PeriodeNaam {
    PeriodeNaam::parse("2025-2026").unwrap()
}

fn inz(kanaal: Kanaal, code: Option<[u8; 32]>, antwoorden: &str) -> NieuweInzending {
    NieuweInzending {
        code,
        ..NieuweInzending::new("ouders", "2025-2026", kanaal, antwoorden.into())
    }
}

#[test]
fn db_addresses_choose_the_engine() {
    assert_eq!(
        DbAdres::parse("postgres://zorg@db.school.be/zorg"),
        DbAdres::Postgres("postgres://zorg@db.school.be/zorg".into())
    );
    assert!(matches!(
        DbAdres::parse("postgresql://x@y/z"),
        DbAdres::Postgres(_)
    ));
    assert_eq!(
        DbAdres::parse("data/zorgenquete.sqlite"),
        DbAdres::Sqlite("data/zorgenquete.sqlite".into())
    );
}

#[test]
fn submissions_are_stored_counted_and_refused_once_the_period_closes() {
    op_elke_engine(
        "submissions_are_stored_counted_and_refused_once_the_period_closes",
        |o, _| async move {
            assert_eq!(o.open_periode("ouders").await.unwrap(), None);
            assert_eq!(
                o.bewaar(inz(Kanaal::Online, None, "{}")).await.unwrap(),
                Uitkomst::PeriodeDicht,
                "{}: no period",
                o.engine()
            );
            o.periode_open("ouders", &periode(), Some(10))
                .await
                .unwrap();
            // Many at once: they share group commits.
            let mut taken = Vec::new();
            for i in 0..40 {
                let o = o.clone();
                let kanaal = if i % 4 == 0 {
                    Kanaal::Kiosk
                } else {
                    Kanaal::Online
                };
                taken.push(tokio::spawn(async move {
                    o.bewaar(inz(kanaal, None, r#"{"a@1":4}"#)).await
                }));
            }
            for t in taken {
                assert_eq!(t.await.unwrap().unwrap(), Uitkomst::Bewaard);
            }
            let lijst = o.periodes().await.unwrap();
            assert_eq!(lijst.len(), 1);
            assert_eq!(
                (lijst[0].open, lijst[0].uitgenodigd, lijst[0].antwoorden),
                (true, Some(10), 40),
                "{}",
                o.engine()
            );
            let per = o.per_kanaal(MinimumGroep::STANDAARD).await.unwrap();
            let kanalen = &per[&("ouders".to_string(), "2025-2026".to_string())];
            assert_eq!(kanalen[&Kanaal::Online], Aantal::Precies(30));
            assert_eq!(kanalen[&Kanaal::Kiosk], Aantal::Precies(10));
            assert_eq!(kanalen[&Kanaal::Papier], Aantal::MinderDan(5));
            assert_eq!(
                o.periode_sluit("ouders", &periode(), MinimumGroep::STANDAARD)
                    .await
                    .unwrap(),
                0
            );
            assert_eq!(
                o.bewaar(inz(Kanaal::Online, None, "{}")).await.unwrap(),
                Uitkomst::PeriodeDicht
            );
            assert_eq!(o.periodes().await.unwrap()[0].antwoorden, 40);
        },
    );
}

/// A close while groups are being written: whatever the interleaving, every acknowledged
/// submission is counted, nothing is stored after the close, and the count the close released
/// is the final count (the invariant any change to the writers' locking must keep).
#[test]
fn a_close_during_concurrent_groups_keeps_the_count_exact() {
    op_elke_engine(
        "a_close_during_concurrent_groups_keeps_the_count_exact",
        |o, _| async move {
            o.periode_open("ouders", &periode(), None).await.unwrap();
            for _ in 0..10 {
                assert_eq!(
                    o.bewaar(inz(Kanaal::Online, None, "{}")).await.unwrap(),
                    Uitkomst::Bewaard
                );
            }
            let mut taken = Vec::new();
            for _ in 0..300 {
                let o = o.clone();
                taken.push(tokio::spawn(async move {
                    o.bewaar(inz(Kanaal::Online, None, r#"{"a@1":3}"#)).await
                }));
            }
            for _ in 0..20 {
                tokio::task::yield_now().await;
            }
            o.periode_sluit("ouders", &periode(), MinimumGroep::STANDAARD)
                .await
                .unwrap();
            let mut bewaard = 10;
            for t in taken {
                match t.await.unwrap().unwrap() {
                    Uitkomst::Bewaard => bewaard += 1,
                    Uitkomst::PeriodeDicht => {}
                    ander => panic!("{}: {ander:?}", o.engine()),
                }
            }
            let p = &o.periodes().await.unwrap()[0];
            assert!(!p.open);
            assert_eq!(
                (p.antwoorden, p.vrijgegeven),
                (bewaard, Some(bewaard)),
                "{}",
                o.engine()
            );
            assert_eq!(
                o.bewaar(inz(Kanaal::Online, None, "{}")).await.unwrap(),
                Uitkomst::PeriodeDicht
            );
        },
    );
}

#[test]
fn codes_work_once_and_are_required_online_only() {
    op_elke_engine(
        "codes_work_once_and_are_required_online_only",
        |o, _| async move {
            o.periode_open("ouders", &periode(), None).await.unwrap();
            let codes = o.maak_codes("ouders", &periode(), 2).await.unwrap();
            assert_eq!(codes.len(), 2);
            assert!(o.open_periode("ouders").await.unwrap().unwrap().met_codes);
            let geheim = o.geheim();
            let met = || inz(Kanaal::Online, Some(codes[0].hash(&geheim)), "{}");
            assert_eq!(o.bewaar(met()).await.unwrap(), Uitkomst::Bewaard);
            assert_eq!(o.bewaar(met()).await.unwrap(), Uitkomst::CodeOngeldig);
            let vreemd = inz(Kanaal::Online, Some([7; 32]), "{}");
            assert_eq!(o.bewaar(vreemd).await.unwrap(), Uitkomst::CodeOngeldig);
            assert_eq!(
                o.bewaar(inz(Kanaal::Online, None, "{}")).await.unwrap(),
                Uitkomst::CodeNodig
            );
            assert_eq!(
                o.bewaar(inz(Kanaal::Kiosk, None, "{}")).await.unwrap(),
                Uitkomst::Bewaard
            );
            let p = &o.periodes().await.unwrap()[0];
            assert_eq!(
                (p.codes, p.codes_gebruikt, p.antwoorden),
                (2, 1, 2),
                "{}",
                o.engine()
            );
            // Codes of a period that does not exist: refused, nothing made.
            let fout = o
                .maak_codes("ouders", &PeriodeNaam::parse("2030").unwrap(), 1)
                .await
                .unwrap_err();
            assert!(matches!(
                fout,
                OpslagFout::Conflict(Conflict::PeriodeBestaatNiet { .. })
            ));
        },
    );
}

#[test]
fn one_period_is_open_per_questionnaire_and_a_close_decides_the_release() {
    op_elke_engine(
        "one_period_is_open_per_questionnaire_and_a_close_decides_the_release",
        |o, _| async move {
            let min = MinimumGroep::STANDAARD;
            let ander = PeriodeNaam::parse("2026-2027").unwrap();
            assert_eq!(
                o.periode_open("ouders", &periode(), None).await.unwrap(),
                Geopend::Nieuw
            );
            let fout = o.periode_open("ouders", &ander, None).await.unwrap_err();
            assert_eq!(
                fout,
                OpslagFout::Conflict(Conflict::AnderePeriodeOpen {
                    vragenlijst: "ouders".into(),
                    open: "2025-2026".into()
                }),
                "{}",
                o.engine()
            );
            // Another questionnaire is independent.
            o.periode_open("collega", &ander, None).await.unwrap();
            for _ in 0..6 {
                o.bewaar(inz(Kanaal::Online, None, "{}")).await.unwrap();
            }
            assert_eq!(
                o.staten("ouders").await.unwrap()[0].vrijgave(),
                Vrijgave::NogOpen
            );
            assert_eq!(o.periode_sluit("ouders", &periode(), min).await.unwrap(), 0);
            let staat = &o.staten("ouders").await.unwrap()[0];
            assert_eq!(staat.vrijgave(), Vrijgave::Vrijgegeven);
            assert!(staat.vrijgegeven().is_some());
            // Reopened and one more answer: closed again, the answers stay hidden until the
            // minimum group more came in.
            assert_eq!(
                o.periode_open("ouders", &periode(), None).await.unwrap(),
                Geopend::Heropend
            );
            o.bewaar(inz(Kanaal::Online, None, "{}")).await.unwrap();
            assert_eq!(o.periode_sluit("ouders", &periode(), min).await.unwrap(), 4);
            let staat = &o.staten("ouders").await.unwrap()[0];
            assert!(staat.vrijgegeven().is_none(), "{}", o.engine());
            let fout = o.periode_sluit("ouders", &ander, min).await.unwrap_err();
            assert!(matches!(
                fout,
                OpslagFout::Conflict(Conflict::PeriodeBestaatNiet { .. })
            ));
        },
    );
}

/// Per period: respondents, per channel, counts per slot, respondents with scale answers.
type Samenvatting = Vec<(u64, [u64; 4], Vec<Vec<u64>>, usize)>;

/// What the report counts, in a form both engines can be compared on.
fn samengevat(t: &Telling) -> Samenvatting {
    t.periodes
        .iter()
        .map(|p| {
            (
                p.respondenten,
                p.per_kanaal,
                p.slots.iter().map(|s| s.to_vec()).collect(),
                p.grenzen.len(),
            )
        })
        .collect()
}

#[test]
fn the_report_counts_the_same_from_either_engine() {
    let verwacht: std::sync::Mutex<Option<Vec<_>>> = std::sync::Mutex::new(None);
    op_elke_engine("the_report_counts_the_same_from_either_engine", |o, rt| {
        let verwacht = &verwacht;
        async move {
            o.periode_open("ouders", &periode(), None).await.unwrap();
            let antwoorden = [
                r#"{"a@1":4,"b@1":2}"#,
                r#"{"a@1":5}"#,
                r#"{"a@1":0,"b@1":1,"c@1":"tekst"}"#,
                r#"{"b@1":3}"#,
                r#"{"a@1":4,"b@1":4}"#,
                r#"{"a@1":1}"#,
            ];
            for (i, a) in antwoorden.iter().enumerate() {
                let kanaal = if i % 2 == 0 {
                    Kanaal::Online
                } else {
                    Kanaal::Papier
                };
                o.bewaar(inz(kanaal, None, a)).await.unwrap();
            }
            o.periode_sluit("ouders", &periode(), MinimumGroep::STANDAARD)
                .await
                .unwrap();
            let o2 = o.clone();
            let telling = tokio::task::spawn_blocking(move || {
                let sleutels = Sleutels::new(["a@1", "b@1"]);
                let schaal = [true, true];
                let tel = |bron: &mut dyn RijBron, staten: Vec<PeriodeStaat>| {
                    let te_lezen: Vec<Option<Vrijgegeven>> =
                        staten.iter().map(PeriodeStaat::vrijgegeven).collect();
                    assert!(te_lezen[0].is_some());
                    tel_uit(bron, "ouders", &te_lezen, &sleutels, &schaal).unwrap()
                };
                match &o2 {
                    Opslag::Sqlite(s) => {
                        let conn = s.conn.lock().unwrap();
                        super::super::vrijgave::in_een_moment(&conn, |c| {
                            let staten = super::super::vrijgave::staten(c, "ouders")?;
                            Ok(samengevat(&tel(&mut { c }, staten)))
                        })
                        .unwrap()
                    }
                    Opslag::Postgres(p) => {
                        let mut moment = p.moment(rt).unwrap();
                        let staten = moment.staten("ouders").unwrap();
                        let uit = samengevat(&tel(&mut moment, staten));
                        moment.sluit().unwrap();
                        uit
                    }
                }
            })
            .await
            .unwrap();
            assert_eq!(telling[0].0, 6, "{}: respondents", o.engine());
            assert_eq!(telling[0].1, [3, 0, 3, 0], "{}: per channel", o.engine());
            // Item a: one "weet ik niet", 1, 4, 4, 5.
            assert_eq!(telling[0].2[0][..6], [1, 1, 0, 0, 2, 1]);
            let mut v = verwacht.lock().unwrap();
            match &*v {
                None => *v = Some(telling),
                Some(sqlite) => assert_eq!(&telling, sqlite, "PostgreSQL counts as SQLite"),
            }
        }
    });
}
