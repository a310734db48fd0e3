//! Round trip: answers in a real SQLite file → `zorgenquete export --formaat json` (the real
//! binary) → the generator's results page. What the exporter writes, the site reads and shows;
//! small groups stay hidden all the way.

mod enquete_common;

use e2e::TempDir;
use enquete_common::{cli, workspace_root};

#[test]
fn exported_json_is_read_by_the_generator() {
    let tmp = TempDir::new("resultaten");
    let content = tmp.path().join("content");
    e2e::copy_dir(&workspace_root().join("content"), &content);
    let db = tmp.path().join("db.sqlite");
    let (db_s, content_s) = (db.to_str().unwrap(), content.to_str().unwrap());

    let (ok, _, err) = cli(&[
        "periode",
        "open",
        "ouders",
        "2025-2026",
        "--uitgenodigd",
        "40",
        "--db",
        db_s,
        "--root",
        content_s,
    ]);
    assert!(ok, "{err}");
    // 12 parents: all answered zorg-aanspreekpunt (9 agree), only 3 answered leren-op-maat.
    let conn = rusqlite::Connection::open(&db).unwrap();
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
        conn.execute(
            "INSERT INTO inzending (id, vragenlijst, periode, kanaal, antwoorden) VALUES (?1, 'ouders', '2025-2026', 'online', ?2)",
            rusqlite::params![1000 + i * 7919, json],
        )
        .unwrap();
    }
    drop(conn);

    // Unknown period: a clear Dutch error and a non-zero exit.
    let (ok, _, err) = cli(&[
        "export",
        "ouders",
        "--periode",
        "2025-2027",
        "--formaat",
        "json",
        "--db",
        db_s,
        "--root",
        content_s,
    ]);
    assert!(!ok);
    assert!(
        err.contains("geen periode `2025-2027`") && err.contains("bedoel je `2025-2026`"),
        "{err}"
    );

    let uit = content.join("data/resultaten/ouders.json");
    let (ok, _, err) = cli(&[
        "export",
        "ouders",
        "--formaat",
        "json",
        "-o",
        uit.to_str().unwrap(),
        "--db",
        db_s,
        "--root",
        content_s,
    ]);
    assert!(ok, "{err}");
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
