//! `zorgenquete verhuis` end to end: parents answer through the real service on SQLite, the
//! period is closed, every export is taken from the file; the file moves to PostgreSQL with the
//! CLI; every export taken from PostgreSQL with the CLI is the same, byte for byte (the raw
//! export row for row: its order is new on every export). Then `opruimen` and `backup` on
//! PostgreSQL through the CLI.

mod enquete_common;

use std::path::Path;

use enquete_common::{Dienst, Formulier, cli, workspace_root};

const FORMATEN: [&str; 5] = ["csv", "csv-nl", "xlsx", "json", "ruw"];

fn export(db: &str, formaat: &str, uit: &Path) -> Vec<u8> {
    let mut args = vec![
        "export",
        "ouders",
        "--formaat",
        formaat,
        "-o",
        uit.to_str().unwrap(),
        "--db",
        db,
    ];
    if formaat == "ruw" {
        args.push("--open-antwoorden");
    }
    let (ok, out, err) = cli(&args);
    assert!(ok, "export {formaat} from {db}: {out}{err}");
    let bytes = std::fs::read(uit).unwrap();
    if formaat == "ruw" {
        let tekst = String::from_utf8(bytes).unwrap();
        let mut rijen: Vec<&str> = tekst
            .lines()
            .skip(1)
            .map(|r| r.split_once(',').unwrap().1)
            .collect();
        rijen.sort_unstable();
        assert_eq!(rijen.len(), 12, "{formaat}");
        return rijen.join("\n").into_bytes();
    }
    bytes
}

#[test]
fn a_school_moved_to_postgres_exports_the_same_bytes() {
    let Some(server) = e2e::postgres::server("a_school_moved_to_postgres_exports_the_same_bytes")
    else {
        return;
    };
    let pg = server.databank();
    let mut d = Dienst::start();
    let db = d.db.clone();
    let db_s = db.to_str().unwrap().to_string();
    let kiosk = d.kiosk_aan("ouders");
    for i in 0..12 {
        let koppen = [("Cookie", kiosk.as_str())];
        let page = enquete_common::verzoek(d.adres, "GET", "/enquete/ouders/kiosk", &koppen, b"");
        let f = Formulier::uit(&page.body);
        let r = enquete_common::verzoek(
            d.adres,
            "POST",
            "/enquete/ouders/kiosk",
            &[
                ("Cookie", kiosk.as_str()),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            f.body(&format!("antwoord {i}")).as_bytes(),
        );
        assert_eq!(r.status, 303);
    }
    assert!(d.stop());
    let (ok, out, err) = cli(&["periode", "sluit", "ouders", "2025-2026", "--db", &db_s]);
    assert!(ok, "{out}{err}");

    let voor: Vec<Vec<u8>> = FORMATEN
        .iter()
        .map(|f| export(&db_s, f, &d.tmp.path().join(format!("voor.{f}"))))
        .collect();

    let root = workspace_root().join("content");
    let (ok, out, err) = cli(&[
        "verhuis",
        "--van",
        &db_s,
        "--naar",
        &pg.url(),
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("verhuisd:"), "{out}");
    assert!(
        out.contains("inzending: 12 rijen, gelijk in beide"),
        "{out}"
    );
    assert!(
        out.contains("zijn gelijk in het bestand en in PostgreSQL"),
        "{out}"
    );

    // A second time: refused in Dutch, nothing copied.
    let (ok, _, err) = cli(&["verhuis", "--van", &db_s, "--naar", &pg.url()]);
    assert!(!ok && err.contains("is niet leeg"), "{err}");
    assert_eq!(pg.getal("SELECT count(*) FROM zorgenquete.inzending"), 12);
    // Not a PostgreSQL address.
    let (ok, _, err) = cli(&["verhuis", "--van", &db_s, "--naar", "/tmp/x.sqlite"]);
    assert!(!ok && err.contains("PostgreSQL-adres"), "{err}");

    let url = pg.url();
    for (f, verwacht) in FORMATEN.iter().zip(&voor) {
        let na = export(&url, f, &d.tmp.path().join(format!("na.{f}")));
        assert!(&na == verwacht, "export {f} differs after the move");
    }

    // Retention and backup on PostgreSQL through the same commands.
    let (ok, out, err) = cli(&["opruimen", "--dry-run", "--db", &url]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("er is niets te verwijderen"), "{out}");
    let dump = d.tmp.path().join("school.dump");
    let (ok, out, err) = cli(&["backup", dump.to_str().unwrap(), "--db", &url]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("kopie gemaakt") && out.contains("12 antwoorden"),
        "{out}"
    );
    assert!(std::fs::metadata(&dump).unwrap().len() > 0);
}
