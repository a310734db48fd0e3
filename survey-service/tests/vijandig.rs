//! Hostile input for the survey side, without a server: random and malicious form bodies
//! through decoding, validation and the page that shows them again, and mutated questionnaire
//! files through the parser. Nothing may panic, a body is only accepted when every value is
//! valid, and nothing sent comes back as markup.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use zorgenquete::domain::Kanaal;
use zorgenquete::domain::antwoord::{self, Fout};
use zorgenquete::domain::vragenlijst::{self, Vragenlijst, Vragenlijsten};
use zorgenquete::web::enquete::pages::{FormInput, FormPage};
use zorgenquete::web::render::{ENQUETE_FORMULIER, Renderer};
use zorgsite::diagnostics::Source;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The theme's templates, loaded once (building the example site takes a moment).
fn renderer() -> &'static Renderer {
    static R: std::sync::OnceLock<Renderer> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        let site = zorgenquete::site::bouw(
            &workspace().join("content"),
            &workspace().join("site"),
            None,
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        Renderer::new(site.templates, String::new(), None).unwrap_or_else(|d| panic!("{d:?}"))
    })
}

fn lijsten() -> Vragenlijsten {
    vragenlijst::laad(&workspace().join("content")).expect("example questionnaires")
}

/// Decodes, validates and renders one body; checks what must hold for any input.
fn verwerk(lijst: &Vragenlijst, body: &[u8]) {
    let form = antwoord::decodeer(body);
    let gelezen = antwoord::lees(lijst, &form);
    if let Ok(a) = &gelezen.resultaat {
        // Accepted: a JSON object of known items with valid values only.
        let v: serde_json::Value = serde_json::from_str(&a.json).expect("valid JSON");
        let obj = v.as_object().expect("an object");
        for (sleutel, waarde) in obj {
            let (id, _) = sleutel.split_once('@').expect("item@versie");
            let vraag = lijst
                .vraag(id)
                .unwrap_or_else(|| panic!("unknown item {id}"));
            match waarde {
                serde_json::Value::Number(n) => {
                    let n = n.as_u64().expect("whole number");
                    assert!(
                        vraag.opties().iter().any(|(w, _)| u64::from(*w) == n),
                        "{id}={n}"
                    );
                }
                serde_json::Value::String(s) => {
                    assert!(!s.is_empty() && !s.contains('\u{fffd}'), "{s:?}")
                }
                other => panic!("{id}: {other}"),
            }
        }
        assert!(!form.onleesbaar, "invalid UTF-8 is never accepted");
    }
    let fouten: Vec<Fout> = gelezen.resultaat.err().unwrap_or_default();
    let r = renderer();
    let taal = r.talen.standaard();
    let page = FormPage::new(
        &FormInput {
            lijst,
            periode: "2025-2026",
            met_codes: true,
            kanaal: Kanaal::Online,
            csrf: "t",
            ingevuld: &gelezen.ingevuld,
            fouten: &fouten,
            berichten: Vec::new(),
            taal: &taal,
            kiosk_stop: None,
        },
        "/enquete/x".into(),
        "",
    );
    let html = r
        .render(ENQUETE_FORMULIER, &taal, &[], &page)
        .unwrap_or_else(|d| panic!("{d}"));
    assert!(!html.contains("<x-boos"), "markup from the body came back");
    assert!(
        !html.contains("\"boos=") && !html.contains("'boos="),
        "an attribute from the body came back"
    );
    // No script from the body: the only script tag is the theme's own `<script src=…>`.
    assert!(!html.contains("<script>"), "{html}");
}

/// Values an attacker would send.
const BOOS: &[&str] = &[
    "<x-boos>",
    "\"boos=1 x=\"",
    "'boos='",
    "<script>alert(1)</script>",
    "%3Cx-boos%3E",
    "%22boos%3D",
    "%ff%fe",
    "%",
    "%0",
    "+",
    "4",
    "0",
    "5",
    "6",
    "-1",
    "04",
    "4 ",
    "",
    "\u{0}",
    "\u{202e}",
    "=",
    "&",
];

fn veldnamen(lijst: &Vragenlijst) -> Vec<String> {
    let mut namen: Vec<String> = lijst.vragen.iter().map(|v| v.id.clone()).collect();
    namen.extend(
        ["csrf", "periode", "code", "x", "<x-boos>", "%22boos%3D"]
            .iter()
            .map(|s| s.to_string()),
    );
    namen
}

const STUKJES: &[&str] = &[
    "[[vraag]]\n",
    "\"",
    "=",
    "\n",
    "versie = -1\n",
    "soort = \"open\"\nmax_tekens = 0\n",
    "id = \"\"\n",
    "\\u",
    "[",
    "}",
    "\u{0}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..600)) {
        for lijst in lijsten().0.values() {
            verwerk(lijst, &body);
        }
    }

    /// Bodies made of the real field names and hostile values: they get much further into
    /// validation than random bytes.
    #[test]
    fn hostile_forms_never_panic_and_never_come_back_as_markup(
        velden in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
            0..40,
        ),
        geldig_eerst in any::<bool>(),
    ) {
        let lijsten = lijsten();
        let lijst = lijsten.get("ouders").unwrap();
        let namen = veldnamen(lijst);
        let mut delen: Vec<String> = Vec::new();
        if geldig_eerst {
            // Start from a complete valid form, then add the hostile fields.
            for v in &lijst.vragen {
                if let Some((w, _)) = v.opties().last() {
                    delen.push(format!("{}={w}", v.id));
                }
            }
        }
        for (n, w) in &velden {
            delen.push(format!("{}={}", n.get(&namen), w.get(BOOS)));
        }
        verwerk(lijst, delen.join("&").as_bytes());
    }

    /// Mutated questionnaire files: a located error or a questionnaire, never a panic.
    #[test]
    fn mutated_questionnaires_never_panic(
        plekken in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<bool>()),
            1..10,
        ),
    ) {
        let tekst =
            std::fs::read_to_string(workspace().join("content/enquetes/ouders.toml")).unwrap();
        let mut tekens: Vec<char> = tekst.chars().collect();
        for (plek, stukje, weg) in &plekken {
            let i = plek.index(tekens.len() + 1);
            if *weg && i < tekens.len() {
                let eind = (i + 1 + stukje.index(30)).min(tekens.len());
                tekens.drain(i..eind);
            } else {
                tekens.splice(i..i, stukje.get(STUKJES).chars());
            }
        }
        let src = Source::new(
            "enquetes/ouders.toml",
            tekens.into_iter().collect::<String>(),
        );
        if let Err(fouten) = vragenlijst::parse(&src, "ouders") {
            for f in fouten {
                prop_assert!(f.to_string().starts_with("enquetes/ouders.toml"), "{}", f);
            }
        }
    }
}

#[test]
fn the_form_corpus_never_panics() {
    let lijsten = lijsten();
    let lijst = lijsten.get("ouders").unwrap();
    let dir = workspace().join("tests/corpus/formulier");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        verwerk(lijst, &std::fs::read(&p).unwrap());
        n += 1;
    }
    assert!(n >= 15);
}
