//! The hostile corpus (`tests/corpus/formulier/*.txt`) over real HTTP against the real service
//! with a real SQLite file and with a PostgreSQL database (`op_elke_engine!`): every body gets
//! a 4xx page, nothing is stored, and nothing the attacker sent comes back unescaped.

mod enquete_common;

use enquete_common::{Dienst, Engine, Formulier, op_elke_engine, workspace_root};

/// Markup from the corpus that must never appear as markup in a page.
const NOOIT_RAUW: &[&str] = &["<script>alert", "<img src=x onerror", "\"><img", "<x-boos"];

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = workspace_root().join("tests/corpus/formulier");
    let mut uit: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    uit.sort();
    assert!(uit.len() >= 15, "corpus too small");
    uit
}

fn vervang(body: &[u8], van: &str, door: &str) -> Vec<u8> {
    let mut uit = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(van.as_bytes()) {
            uit.extend_from_slice(door.as_bytes());
            i += van.len();
        } else {
            uit.push(body[i]);
            i += 1;
        }
    }
    uit
}

// Both engines (issue 17): the checks are the service's business, so every refusal must hold
// on PostgreSQL too.
op_elke_engine!(
    the_hostile_corpus_stores_nothing_and_gets_only_4xx,
    script_in_an_open_answer_or_the_address_comes_back_escaped,
);

/// Every corpus body at the online form and the kiosk: a 4xx page without the attacker's
/// markup, and the stored responses unchanged; then one proper answer per form.
fn the_hostile_corpus_stores_nothing_and_gets_only_4xx(engine: Engine) {
    let d = Dienst::start_op(engine);
    let aantal = || d.aantal_inzendingen();
    for (bewaard, pad) in ["/enquete/ouders", "/enquete/ouders/kiosk"]
        .into_iter()
        .enumerate()
    {
        let r = d.get(pad);
        assert_eq!(r.status, 200);
        let f = Formulier::uit(&r.body);
        let alles: String = f
            .body("")
            .split('&')
            .filter(|v| !v.starts_with("csrf=") && !v.starts_with("periode="))
            .collect::<Vec<_>>()
            .join("&");
        for (naam, ruw) in corpus() {
            let body = vervang(&ruw, "{csrf}", &f.csrf);
            let body = vervang(&body, "{periode}", &f.periode);
            let body = vervang(&body, "{alles}", &alles);
            let r = d.post_form(pad, &body);
            assert!(
                (400..500).contains(&r.status),
                "{pad} {naam}: HTTP {}\n{}",
                r.status,
                r.body
            );
            for rauw in NOOIT_RAUW {
                assert!(!r.body.contains(rauw), "{pad} {naam}: {rauw} unescaped");
            }
            assert_eq!(aantal(), bewaard as i64, "{pad} {naam}: stored");
        }
        // The same form, filled in properly, is stored: the refusals were about the input.
        assert_eq!(d.post_form(pad, f.body("").as_bytes()).status, 303);
    }
    assert_eq!(aantal(), 2);
}

fn script_in_an_open_answer_or_the_address_comes_back_escaped(engine: Engine) {
    let d = Dienst::start_op(engine);
    let f = Formulier::uit(&d.get("/enquete/ouders").body);
    let boos = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    // An unknown field, so the page comes back with the text in it.
    let body = format!("{}&bestaat-niet=1", f.body(boos));
    let r = d.post_form("/enquete/ouders", body.as_bytes());
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
        ),
        "{}",
        r.body
    );
    for rauw in NOOIT_RAUW {
        assert!(!r.body.contains(rauw), "{rauw}");
    }
    let r = d.get("/enquete/ouders?code=%22%3E%3Cscript%3Ealert(1)%3C/script%3E");
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("<script>alert"), "{}", r.body);
    assert!(
        r.body.contains("value=\"&quot;&gt;&lt;script&gt;"),
        "{}",
        r.body
    );
    // The stored text is kept as typed (escaping is the page's job, not the database's).
    assert_eq!(
        d.post_form("/enquete/ouders", f.body(boos).as_bytes())
            .status,
        303
    );
    let opgeslagen = d.tekst("SELECT antwoorden FROM inzending");
    assert!(
        opgeslagen.contains("<script>alert(1)</script>"),
        "{opgeslagen}"
    );
}
