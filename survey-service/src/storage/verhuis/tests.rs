//! `verhuis` and the PostgreSQL backup: a SQLite file filled through the service's own storage
//! paths, moved into a fresh schema, checked, and a `pg_dump` of it restored elsewhere.

use super::*;
use crate::domain::code::Code;
use crate::domain::gebruiker::{GebruikersNaam, Rol};
use crate::domain::vragenlijst;
use crate::domain::{Kanaal, PeriodeNaam};
use crate::storage::opslag::DbAdres;
use crate::storage::schrijver::{NieuweInzending, Uitkomst};

fn lijsten() -> Vragenlijsten {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    vragenlijst::laad(&root).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn inz(periode: &str, kanaal: Kanaal, code: Option<[u8; 32]>, json: String) -> NieuweInzending {
    NieuweInzending {
        code,
        ..NieuweInzending::new("ouders", periode, kanaal, json)
    }
}

/// A school's file as the service leaves it: two released periods, one open with codes (one
/// used, one not), item texts, an account, audit lines and a kiosk key. Returns the unused code.
async fn vul(pad: &Path) -> Code {
    let (o, draad) = Opslag::open(&DbAdres::Sqlite(pad.into()), Some("a"))
        .await
        .unwrap();
    let geheim = o.geheim();
    for (p, n) in [("2023-2024", 9usize), ("2024-2025", 14)] {
        let naam = PeriodeNaam::parse(p).unwrap();
        o.periode_open("ouders", &naam, Some(30)).await.unwrap();
        for i in 0..n {
            let json = format!(
                r#"{{"zorg-aanspreekpunt@1":{},"leren-op-maat@1":{},"welbevinden-veilig@1":{},"open-goed@1":"tekst {i} van {p}"}}"#,
                i % 6,
                1 + (i * 7) % 5,
                1 + (i * 3) % 5
            );
            let kanaal = [Kanaal::Online, Kanaal::Papier, Kanaal::Online][i % 3];
            assert_eq!(
                o.bewaar(inz(p, kanaal, None, json)).await.unwrap(),
                Uitkomst::Bewaard
            );
        }
        o.periode_sluit("ouders", &naam, MinimumGroep::STANDAARD)
            .await
            .unwrap();
    }
    let open = PeriodeNaam::parse("2025-2026").unwrap();
    o.periode_open("ouders", &open, None).await.unwrap();
    let codes = o.maak_codes("ouders", &open, 2).await.unwrap();
    let met = inz(
        "2025-2026",
        Kanaal::Online,
        Some(codes[0].hash(&geheim)),
        r#"{"zorg-aanspreekpunt@1":5}"#.into(),
    );
    assert_eq!(o.bewaar(met).await.unwrap(), Uitkomst::Bewaard);
    drop(o);
    draad.unwrap().join().unwrap();
    let conn = crate::storage::open(pad).unwrap();
    crate::storage::bewaar_vragen(&conn, &lijsten()).unwrap();
    crate::storage::gebruikers::maak(
        &conn,
        &GebruikersNaam::parse("an").unwrap(),
        Rol::Beheer,
        "$argon2id$v=19$m=19456,t=2,p=1$x$y",
    )
    .unwrap();
    crate::storage::audit::schrijf(&conn, "an", &crate::storage::audit::Gebeurtenis::Aangemeld)
        .unwrap();
    crate::storage::audit::schrijf(&conn, "an", &crate::storage::audit::Gebeurtenis::Afgemeld)
        .unwrap();
    crate::storage::kiosk::sleutel(&conn).unwrap();
    codes[1].clone()
}

#[test]
fn a_school_moves_with_everything_and_a_backup_restores_the_same_report() {
    let Some(server) = e2e::postgres::server(
        "a_school_moves_with_everything_and_a_backup_restores_the_same_report",
    ) else {
        return;
    };
    let map = e2e::TempDir::new("verhuis");
    let pad = map.path().join("a.sqlite");
    let rt = runtime();
    let db = server.databank();
    let lijsten = lijsten();
    rt.block_on(async {
        let ongebruikt = vul(&pad).await;
        let bron = crate::storage::open(&pad).unwrap();
        let geheim = crate::storage::geheim(&bron).unwrap();
        let kiosk = crate::storage::kiosk::sleutel(&bron).unwrap();
        let aantallen = tellingen_bestand(&bron).unwrap();
        drop(bron);

        // Another school's file is refused before anything is copied.
        let naar_b = PgOpslag::open(&db.url(), Some("b")).await.unwrap();
        let fout = verhuis(&pad, &naar_b, Some("b"), &lijsten, MinimumGroep::STANDAARD)
            .await
            .unwrap_err();
        assert!(fout.to_string().contains("hoort bij school `a`"), "{fout}");

        let naar = PgOpslag::open(&db.url(), Some("a")).await.unwrap();
        let verslag = verhuis(&pad, &naar, Some("a"), &lijsten, MinimumGroep::STANDAARD)
            .await
            .unwrap();
        assert_eq!(verslag.tabellen, aantallen);
        let n = |t: &str| verslag.tabellen.iter().find(|x| x.0 == t).unwrap().1;
        assert_eq!(n("inzending"), 24);
        assert_eq!(n("periode"), 3);
        assert_eq!(n("code"), 2);
        assert_eq!(n("gebruiker"), 1);
        assert_eq!(n("audit"), 2);
        assert_eq!(n("geheim"), 2, "the secret and the kiosk key");
        assert!(n("vraag") > 10);
        assert!(verslag.vragenlijsten.contains(&"ouders".to_string()));
        assert_eq!(
            verslag.exports,
            verslag.vragenlijsten.len() * Formaat::ALLE.len()
        );

        // A second move into the same schema is refused, and changes nothing.
        let fout = verhuis(&pad, &naar, Some("a"), &lijsten, MinimumGroep::STANDAARD)
            .await
            .unwrap_err();
        assert!(
            matches!(&fout, OpslagFout::Geweigerd(t) if t.contains("niet leeg")),
            "{fout}"
        );
        assert_eq!(
            db.getal("SELECT count(*) FROM school_a.inzending"),
            24,
            "nothing copied twice"
        );

        // Reopened: the same secret, so the unused code works once, the used one not at all.
        let (o, _) = Opslag::open(&DbAdres::Postgres(db.url()), Some("a"))
            .await
            .unwrap();
        assert_eq!(o.geheim(), geheim);
        let client = naar.pool().get().await.unwrap();
        let k: Vec<u8> = client
            .query_one("SELECT waarde FROM geheim WHERE naam = 'kiosk'", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(k, kiosk);
        drop(client);
        let met = |c: &Code| {
            inz(
                "2025-2026",
                Kanaal::Online,
                Some(c.hash(&geheim)),
                "{}".into(),
            )
        };
        assert_eq!(o.bewaar(met(&ongebruikt)).await.unwrap(), Uitkomst::Bewaard);
        assert_eq!(
            o.bewaar(met(&ongebruikt)).await.unwrap(),
            Uitkomst::CodeOngeldig
        );
        assert_eq!(o.periodes().await.unwrap()[2].antwoorden, 2, "count kept");

        // Backup with pg_dump, restored into a fresh database: the same report.
        let lijst = lijsten.get("ouders").unwrap();
        let keuze = Keuze::default();
        let voor = o.rapport(lijst, &keuze).await.unwrap();
        let dump = map.path().join("a.dump");
        let url = db.url();
        let schema = naar.schema().to_string();
        let pg_dump = server.bin("pg_dump");
        let d = dump.clone();
        tokio::task::spawn_blocking(move || {
            crate::storage::pg::rapport::backup(&url, &schema, &d, &pg_dump)
        })
        .await
        .unwrap()
        .unwrap();
        // Never over an existing file.
        let fout = crate::storage::pg::rapport::backup(
            &db.url(),
            naar.schema(),
            &dump,
            &server.bin("pg_dump"),
        )
        .unwrap_err();
        assert!(fout.to_string().contains("bestaat al"));
        let fout = crate::storage::pg::rapport::backup(
            &db.url(),
            naar.schema(),
            &map.path().join("b.dump"),
            Path::new("/nergens/pg_dump"),
        )
        .unwrap_err();
        assert!(fout.to_string().contains("niet gevonden"), "{fout}");

        let elders = server.databank();
        let uit = std::process::Command::new(server.bin("pg_restore"))
            .arg("--no-owner")
            .arg("--dbname")
            .arg(elders.url())
            .arg(&dump)
            .output()
            .unwrap();
        assert!(
            uit.status.success(),
            "{}",
            String::from_utf8_lossy(&uit.stderr)
        );
        let (terug, _) = Opslag::open(&DbAdres::Postgres(elders.url()), Some("a"))
            .await
            .unwrap();
        assert_eq!(terug.geheim(), geheim);
        let na = terug.rapport(lijst, &keuze).await.unwrap();
        assert_eq!(na, voor, "the restored report equals the original");
        assert_eq!(terug.periodes().await.unwrap(), o.periodes().await.unwrap());
    });
}
