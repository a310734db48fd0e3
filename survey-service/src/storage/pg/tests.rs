//! What only PostgreSQL has: schemas per school, its migrations, the server check, and the
//! order rows are stored in. The behaviour both engines share is tested once for both in
//! `storage::opslag::tests`.

use super::*;
use crate::domain::Kanaal;
use crate::storage::schrijver::{NieuweInzending, Uitkomst};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn periode() -> PeriodeNaam {
    PeriodeNaam::parse("2025-2026").unwrap()
}

#[test]
fn schema_names_come_from_valid_school_ids_only() {
    assert_eq!(schema_naam(None).unwrap(), "zorgenquete");
    assert_eq!(schema_naam(Some("sint-jan")).unwrap(), "school_sint-jan");
    for fout in ["", "Sint", "a\"b", "a;drop", &"x".repeat(33)] {
        assert!(schema_naam(Some(fout)).is_err(), "{fout:?}");
    }
    assert_eq!(ident("school_sint-jan"), "\"school_sint-jan\"");
    assert_eq!(
        zonder_wachtwoord("postgres://zorg:geheim@db:5432/z"),
        "postgres://zorg:***@db:5432/z"
    );
    assert_eq!(
        zonder_wachtwoord("postgres://zorg@db/z"),
        "postgres://zorg@db/z"
    );
}

#[test]
fn each_school_has_its_own_schema_secret_and_rows() {
    let Some(server) = e2e::postgres::server("each_school_has_its_own_schema_secret_and_rows")
    else {
        return;
    };
    let db = server.databank();
    runtime().block_on(async {
        let a = PgOpslag::open(&db.url(), Some("a")).await.unwrap();
        let b = PgOpslag::open(&db.url(), Some("b")).await.unwrap();
        assert_ne!(a.geheim(), b.geheim(), "own secret per school");
        assert_eq!(a.geheim().len(), 32);
        a.periode_open("ouders", &periode(), None).await.unwrap();
        let inz = NieuweInzending::new("ouders", "2025-2026", Kanaal::Online, "{}".into());
        assert_eq!(a.bewaar(inz.clone()).await.unwrap(), Uitkomst::Bewaard);
        // School b has no such period: its writer refuses, and sees nothing of a.
        assert_eq!(b.bewaar(inz).await.unwrap(), Uitkomst::PeriodeDicht);
        assert!(b.periodes().await.unwrap().is_empty());
        assert_eq!(a.periodes().await.unwrap()[0].antwoorden, 1);
        // Opening again keeps the secret; the schema of a refuses school b's name.
        let a2 = PgOpslag::open(&db.url(), Some("a")).await.unwrap();
        assert_eq!(a2.geheim(), a.geheim());
        drop(a2);
    });
    assert_eq!(
        db.getal("SELECT count(*) FROM \"school_a\".inzending"),
        1,
        "a's row in a's schema"
    );
    assert_eq!(db.getal("SELECT count(*) FROM \"school_b\".inzending"), 0);
    // A schema claimed by another school (a copied line in the settings) is refused.
    db.sql("UPDATE \"school_b\".school SET id = 'a'");
    let fout = runtime()
        .block_on(PgOpslag::open(&db.url(), Some("b")))
        .err()
        .expect("refused");
    assert!(
        fout.to_string()
            .contains("school_b hoort bij school `a`, niet bij `b`"),
        "{fout}"
    );
}

#[test]
fn migrations_run_once_in_order_and_a_newer_schema_is_refused() {
    let Some(server) =
        e2e::postgres::server("migrations_run_once_in_order_and_a_newer_schema_is_refused")
    else {
        return;
    };
    let db = server.databank();
    let rt = runtime();
    let doel = MIGRATIES.len() as i64;
    rt.block_on(async {
        // Two services starting at once migrate once.
        let url = db.url();
        let (x, y) = tokio::join!(PgOpslag::open(&url, None), PgOpslag::open(&url, None));
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x.geheim(), y.geheim(), "one secret, whoever came first");
        assert_eq!(versie(&x).await.unwrap(), doel);
        assert_eq!(x.schema(), "zorgenquete");
        // A newer program adds a migration: it runs once.
        let mut later = MIGRATIES.to_vec();
        later.push("CREATE TABLE later (x integer); INSERT INTO later VALUES (1);");
        let z = PgOpslag::open_met(&db.url(), None, &later).await.unwrap();
        assert_eq!(versie(&z).await.unwrap(), doel + 1);
        drop(PgOpslag::open_met(&db.url(), None, &later).await.unwrap());
    });
    assert_eq!(db.getal("SELECT count(*) FROM zorgenquete.later"), 1);
    // This program is older than the schema now.
    let fout = rt
        .block_on(PgOpslag::open(&db.url(), None))
        .err()
        .expect("refused");
    assert!(
        fout.to_string().contains(&format!(
            "schemaversie {}, deze versie van zorgenquete kent er maar {doel}",
            doel + 1
        )),
        "{fout}"
    );
}

#[test]
fn a_server_that_keeps_commit_times_is_refused() {
    // Needs its own server: the setting takes a restart.
    if e2e::postgres::server("a_server_that_keeps_commit_times_is_refused").is_none() {
        return;
    }
    let server = e2e::postgres::Server::start(&e2e::postgres::Opties {
        instellingen: vec![("track_commit_timestamp".into(), "on".into())],
        ..Default::default()
    })
    .unwrap();
    let db = server.databank();
    let fout = runtime()
        .block_on(PgOpslag::open(&db.url(), Some("a")))
        .err()
        .expect("refused");
    let tekst = fout.to_string();
    assert!(matches!(fout, OpslagFout::Geweigerd(_)), "{tekst}");
    assert!(
        tekst.contains("track_commit_timestamp = on") && tekst.contains("postgresql.conf"),
        "{tekst}"
    );
    assert_eq!(
        db.getal("SELECT count(*) FROM pg_namespace WHERE nspname = 'school_a'"),
        0,
        "nothing made on a refused server"
    );
}

#[test]
fn the_writer_keeps_the_count_and_stores_a_group_in_random_id_order() {
    let Some(server) =
        e2e::postgres::server("the_writer_keeps_the_count_and_stores_a_group_in_random_id_order")
    else {
        return;
    };
    let db = server.databank();
    let rt = runtime();
    rt.block_on(async {
        let o = PgOpslag::open(&db.url(), None).await.unwrap();
        o.periode_open("ouders", &periode(), None).await.unwrap();
        // One group, written directly: its rows go to the heap sorted by their random ids.
        let inz: Vec<NieuweInzending> = (0..200)
            .map(|i| {
                NieuweInzending::new(
                    "ouders",
                    "2025-2026",
                    Kanaal::Online,
                    format!("{{\"a@1\":{}}}", i % 5 + 1),
                )
            })
            .collect();
        let refs: Vec<&NieuweInzending> = inz.iter().collect();
        let uit = schrijver::schrijf_groep(o.pool(), &refs).await.unwrap();
        assert!(uit.iter().all(|u| *u == Uitkomst::Bewaard));
        let mut taken = Vec::new();
        for _ in 0..50 {
            let o = o.clone();
            taken.push(tokio::spawn(async move {
                o.bewaar(NieuweInzending::new(
                    "ouders",
                    "2025-2026",
                    Kanaal::Kiosk,
                    "{}".into(),
                ))
                .await
            }));
        }
        for t in taken {
            assert_eq!(t.await.unwrap().unwrap(), Uitkomst::Bewaard);
        }
    });
    assert_eq!(
        db.getal("SELECT inzendingen FROM zorgenquete.periode"),
        db.getal("SELECT count(*) FROM zorgenquete.inzending"),
        "the count kept by the writer is count(*)"
    );
    assert_eq!(db.getal("SELECT count(*) FROM zorgenquete.inzending"), 250);
    assert_eq!(db.getal("SELECT sum(aantal) FROM zorgenquete.teller"), 250);
    // The first group (the online rows): physical order (ctid, the arrival order of a heap) is
    // the order of the random ids, not of the submissions. (ctid only in this test.)
    let fysiek = db.sql(
        "SELECT string_agg(id::text, ',' ORDER BY ctid) FROM zorgenquete.inzending WHERE kanaal = 'online'",
    );
    let op_id = db.sql(
        "SELECT string_agg(id::text, ',' ORDER BY id) FROM zorgenquete.inzending WHERE kanaal = 'online'",
    );
    assert_eq!(fysiek, op_id);
    assert!(db.getal("SELECT min(id) FROM zorgenquete.inzending") > 0);
}
