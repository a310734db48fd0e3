//! The group count from either engine: three schools filled with the same answers through
//! their storage, counted once from SQLite files and once from PostgreSQL schemas.

use super::*;
use crate::domain::{Kanaal, PeriodeNaam};
use crate::storage::opslag::DbAdres;
use crate::storage::schrijver::{NieuweInzending, Uitkomst};

fn lijsten() -> Arc<Vragenlijsten> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    Arc::new(crate::domain::vragenlijst::laad(&root).unwrap())
}

/// School `s` gets `6 + s` answers in a released period.
async fn vul(o: &Opslag, s: usize) {
    let p = PeriodeNaam::parse("2025-2026").unwrap();
    o.periode_open("ouders", &p, None).await.unwrap();
    for i in 0..6 + s {
        let json = format!(
            r#"{{"zorg-aanspreekpunt@1":{},"zorg-zorgcoordinator@1":{}}}"#,
            1 + (i + s) % 5,
            1 + (i * 3) % 5
        );
        let n = NieuweInzending::new("ouders", "2025-2026", Kanaal::Online, json);
        assert_eq!(o.bewaar(n).await.unwrap(), Uitkomst::Bewaard);
    }
    o.periode_sluit("ouders", &p, MinimumGroep::STANDAARD)
        .await
        .unwrap();
}

async fn bronnen(adres: impl Fn(usize) -> DbAdres) -> Vec<Bron> {
    let lijsten = lijsten();
    let mut uit = Vec::new();
    for s in 0..3 {
        let id = ["a", "b", "c"][s];
        let adres = adres(s);
        let (opslag, _) = Opslag::open(&adres, Some(id)).await.unwrap();
        vul(&opslag, s).await;
        uit.push(Bron {
            id: id.into(),
            naam: id.into(),
            db: match &adres {
                DbAdres::Sqlite(p) => p.clone(),
                DbAdres::Postgres(u) => u.into(),
            },
            opslag,
            vragenlijsten: lijsten.clone(),
        });
    }
    uit
}

fn groepsrapport(bronnen: Vec<Bron>, rt: &tokio::runtime::Runtime) -> Rapport {
    rt.block_on(async move {
        tokio::task::spawn_blocking(move || {
            let t = tel_lijst(&bronnen, &[0, 1, 2], "ouders", MinimumGroep::STANDAARD).unwrap();
            assert_eq!(t.scholen_met_resultaten(0, |_| true), 3);
            t.rapport(|_| true)
        })
        .await
        .unwrap()
    })
}

#[test]
fn the_group_counts_the_same_from_sqlite_files_and_postgres_schemas() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let map = e2e::TempDir::new("groep-engines");
    let sqlite = rt.block_on(bronnen(|s| {
        DbAdres::Sqlite(map.path().join(format!("{s}.sqlite")))
    }));
    let uit_sqlite = groepsrapport(sqlite, &rt);
    let Cel::Zichtbaar(d) = &uit_sqlite.periodes[0].deelname else {
        panic!("hidden");
    };
    assert_eq!(d.respondenten, 6 + 7 + 8);
    let Some(server) =
        e2e::postgres::server("the_group_counts_the_same_from_sqlite_files_and_postgres_schemas")
    else {
        return;
    };
    let db = server.databank();
    let pg = rt.block_on(bronnen(|_| DbAdres::Postgres(db.url())));
    let uit_pg = groepsrapport(pg, &rt);
    // Other random ids: respondents are summed in another order (the last bits of a float).
    assert_eq!(
        crate::storage::opslag::zonder_ruis(&uit_pg),
        crate::storage::opslag::zonder_ruis(&uit_sqlite)
    );
}
