//! Tests across the stages: example flows and random flows, parsed, laid out and drawn.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::colour::{INK, LINE, RoleColours, WHITE, contrast};
use super::diagram::{NARROW_WIDTH, diagram, narrow_diagram};
use super::layout::Layout;
use super::testflow::{random_flow_toml, rollen_toml};
use super::*;
use crate::diagnostics::Source;
use crate::model::rollen::Rollen;
use crate::model::stappenplan::{DIR, Stappenplan, load_all, parse};

fn rollen() -> Rollen {
    Rollen::parse(&Source::new("rollen.toml", rollen_toml())).unwrap()
}

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn example_plans() -> std::collections::BTreeMap<String, Stappenplan> {
    load_all(&content_dir(), &rollen()).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n\n")
        )
    })
}

/// Geometry of the narrow drawing beyond [`Layout::problems`]: one column in step order,
/// labels of one box apart from each other.
fn narrow_problems(layout: &Layout) -> Vec<String> {
    let mut problems = layout.problems();
    for (i, pair) in layout.nodes.windows(2).enumerate() {
        if pair[0].rect.x != pair[1].rect.x || pair[0].rect.bottom() >= pair[1].rect.y {
            problems.push(format!("box {} is not under box {i}", i + 1));
        }
    }
    let labels: Vec<_> = layout
        .edges
        .iter()
        .filter_map(|e| e.label.as_ref().map(|l| (e.from, l.rect)))
        .collect();
    for (k, (from, a)) in labels.iter().enumerate() {
        for (other, b) in &labels[k + 1..] {
            if from == other && a.overlaps(b, 0.0) {
                problems.push(format!("two labels under box {from} overlap"));
            }
        }
    }
    problems
}

/// Checks that hold for every drawing and text version.
fn check_view(plan: &Stappenplan, rollen: &Rollen) {
    let drawing = diagram(plan, rollen);
    let problems = drawing.layout.problems();
    assert!(problems.is_empty(), "{}: {problems:#?}", plan.actor);
    let narrow = narrow_diagram(plan, rollen);
    let problems = narrow_problems(&narrow.layout);
    assert!(
        problems.is_empty(),
        "{} (narrow): {problems:#?}",
        plan.actor
    );

    let v = view(plan, rollen);
    let svg = &v.svg;
    assert!(svg.starts_with("<svg "), "{svg}");
    assert!(svg.ends_with("</svg>"));
    assert!(!svg.contains("\n\n"), "blank line in SVG");
    let root = svg.lines().next().unwrap();
    assert!(
        root.contains(" width=\"100%\"") && !root.contains(" height="),
        "{root}"
    );
    let id = format!("stappenplan-{}", plan.actor);
    assert!(svg.contains(&format!(
        "role=\"img\" aria-labelledby=\"{id}-titel {id}-desc\""
    )));
    assert!(svg.contains(&format!("<title id=\"{id}-titel\">")));
    assert!(svg.contains(&format!("<desc id=\"{id}-desc\">")));
    // Every id in the SVG carries the prefix.
    for part in svg.split(" id=\"").skip(1) {
        assert!(
            part.starts_with(&id),
            "id without prefix: {}",
            &part[..30.min(part.len())]
        );
    }
    assert_eq!(
        svg.matches("<tspan ").count(),
        drawing.texts.iter().map(|t| t.lines.len()).sum::<usize>()
    );
    assert_eq!(
        svg.matches("marker-end=").count(),
        drawing.layout.edges.len()
    );
    // Every box names its role in text.
    for (stap, text) in plan.stappen.iter().zip(&drawing.texts) {
        let naam = &rollen.get(&stap.wie).unwrap().naam;
        assert_eq!(&text.role, naam);
        assert!(svg.contains(&format!(">{}</text>", svg::escape(naam))));
    }
    // Same output twice.
    assert_eq!(view(plan, rollen).svg, v.svg);

    // The narrow drawing: its own ids, every text at least 14 units (shown at 100 % or more
    // on a phone), the same boxes and texts.
    let smal = &v.svg_smal;
    assert!(smal.contains("class=\"stappenplan-svg stappenplan-smal\""));
    assert!(svg.contains("class=\"stappenplan-svg stappenplan-breed\""));
    let smal_ids: Vec<&str> = smal
        .split(" id=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .collect();
    assert!(
        smal_ids
            .iter()
            .all(|i| i.starts_with(&format!("{id}-smal-")))
    );
    let sizes: Vec<f64> = smal
        .split(" font-size=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(
        sizes.len() >= 3 && sizes.iter().all(|&s| s >= 14.0),
        "{sizes:?}"
    );
    assert_eq!(
        smal.matches("<tspan ").count(),
        narrow.texts.iter().map(|t| t.lines.len()).sum::<usize>()
    );
    assert_eq!(
        smal.matches("marker-end=").count(),
        narrow.layout.edges.len()
    );
    assert_eq!(smal.matches("<g id=").count(), plan.stappen.len());

    // The text version has every step and every connection.
    assert_eq!(v.stappen.len(), plan.stappen.len());
    for (i, (stap, sv)) in plan.stappen.iter().zip(&v.stappen).enumerate() {
        assert_eq!(sv.nummer, i + 1);
        assert_eq!(sv.tekst, stap.tekst);
        assert!(sv.hoe.is_some(), "every step says how");
        assert_eq!(sv.volgende.len(), stap.uitgangen.len());
        for (u, uv) in stap.uitgangen.iter().zip(&sv.volgende) {
            assert_eq!(uv.naar, u.naar + 1);
            assert!(uv.tekst.contains(&format!("stap {}", u.naar + 1)));
            if let Some(label) = &u.label {
                assert!(uv.tekst.starts_with(&format!("Als {label}:")));
            }
        }
    }
    assert!(v.afdrukformaat == "A4" || v.afdrukformaat == "A3");
}

#[test]
fn example_flows_exist_for_every_actor() {
    let plans = example_plans();
    let actors: Vec<&str> = plans.keys().map(String::as_str).collect();
    assert_eq!(actors, ["leerkracht", "leerling", "ouder", "partner"]);
    for plan in plans.values() {
        assert!(plan.stappen.len() >= 6, "{}: too short", plan.actor);
        for stap in &plan.stappen {
            assert!(
                stap.tekst.len() <= 90,
                "{}: keep box text short: {}",
                plan.actor,
                stap.tekst
            );
        }
    }
    let leerkracht = &plans["leerkracht"];
    assert!(
        plans
            .values()
            .all(|p| p.stappen.len() <= leerkracht.stappen.len())
    );
}

#[test]
fn example_flows_are_drawn_cleanly_and_completely() {
    let rollen = rollen();
    for plan in example_plans().values() {
        check_view(plan, &rollen);
        // The narrow drawing fits a phone: its text is shown at 100 % or larger.
        let width = narrow_diagram(plan, &rollen).layout.width;
        assert_eq!(width, NARROW_WIDTH, "{}", plan.actor);
    }
}

#[test]
fn example_flows_print_on_a4_except_the_largest() {
    let rollen = rollen();
    for plan in example_plans().values() {
        let v = view(plan, &rollen);
        let expected = if plan.actor == "leerkracht" {
            ["A4", "A3"].as_slice()
        } else {
            &["A4"]
        };
        assert!(
            expected.contains(&v.afdrukformaat),
            "{}: {} x {} gives {}",
            plan.actor,
            v.breedte,
            v.hoogte,
            v.afdrukformaat
        );
    }
}

#[test]
fn colours_meet_contrast_minimums() {
    let rollen = rollen();
    assert!(contrast(LINE, WHITE) >= 3.0);
    assert!(contrast(INK, WHITE) >= 4.5);
    for rol in &rollen.rollen {
        let c = RoleColours::from_hex(&rol.kleur);
        assert!(contrast(INK, c.fill) >= 4.5, "{}", rol.id);
        assert!(contrast(c.stroke, WHITE) >= 3.0, "{}", rol.id);
        assert!(contrast(WHITE, c.badge) >= 4.5, "{}", rol.id);
    }
}

#[test]
fn load_all_reports_every_broken_file_with_its_content_path() {
    let dir = std::env::temp_dir().join(format!("zorgsite-stappenplan-{}", std::process::id()));
    let flows = dir.join(DIR);
    std::fs::create_dir_all(&flows).unwrap();
    std::fs::write(flows.join("goed.toml"), random_flow_toml(5, 1)).unwrap();
    std::fs::write(
        flows.join("fout.toml"),
        "titel = \"x\"\n[[stap]]\nid = \"a\"\n",
    )
    .unwrap();
    std::fs::write(flows.join("kapot.toml"), b"titel = \"\xff\"\n").unwrap();
    std::fs::write(flows.join("notities.txt"), "niet lezen").unwrap();
    let errors = load_all(&dir, &rollen()).unwrap_err();
    let paths: Vec<String> = errors
        .iter()
        .map(|e| e.path.display().to_string())
        .collect();
    assert_eq!(
        paths,
        ["data/stappenplan/fout.toml", "data/stappenplan/kapot.toml"]
    );
    std::fs::remove_file(flows.join("fout.toml")).unwrap();
    std::fs::remove_file(flows.join("kapot.toml")).unwrap();
    let plans = load_all(&dir, &rollen()).unwrap();
    assert_eq!(plans.keys().collect::<Vec<_>>(), ["goed"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(load_all(&dir, &rollen()).unwrap().is_empty());
}

#[test]
fn two_flows_on_one_page_share_no_ids() {
    let rollen = rollen();
    let source = |actor: &str, seed| {
        Source::new(
            format!("data/stappenplan/{actor}.toml"),
            random_flow_toml(8, seed),
        )
    };
    let a = view(&parse(&source("ouder", 3), &rollen).unwrap(), &rollen);
    let b = view(&parse(&source("leerling", 3), &rollen).unwrap(), &rollen);
    let ids = |svg: &str| -> Vec<String> {
        svg.split(" id=\"")
            .skip(1)
            .map(|p| p.split('"').next().unwrap().to_string())
            .collect()
    };
    let (ia, ib) = (ids(&a.svg), ids(&b.svg));
    assert!(ia.iter().all(|i| !ib.contains(i)));
    let mut unique = ia.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ia.len());
}

proptest! {
    // Failing cases are printed with their TOML; add them to `KNOWN_HARD_FLOWS` below
    // instead of a regressions file.
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Random valid flows parse, and their drawings have no overlapping boxes, edges that
    /// start and end on their boxes' borders, and no edge or label over a box.
    #[test]
    fn random_flows_are_drawn_cleanly(n in 2usize..36, seed in any::<u64>()) {
        let rollen = rollen();
        let source = Source::new("data/stappenplan/test.toml", random_flow_toml(n, seed));
        let plan = match parse(&source, &rollen) {
            Ok(plan) => plan,
            Err(errors) => panic!("{}\n{}", source.text, errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
        };
        prop_assert_eq!(plan.stappen.len(), n);
        let problems = diagram(&plan, &rollen).layout.problems();
        prop_assert!(problems.is_empty(), "{:#?}\n{}", problems, source.text);
        let problems = narrow_problems(&narrow_diagram(&plan, &rollen).layout);
        prop_assert!(problems.is_empty(), "narrow: {:#?}\n{}", problems, source.text);
    }
}

/// Flows that once broke the layout: (steps, seed) for `random_flow_toml`.
const KNOWN_HARD_FLOWS: &[(usize, u64)] = &[(4, 6303563247108741020)];

#[test]
fn known_hard_flows() {
    let rollen = rollen();
    for &(n, seed) in KNOWN_HARD_FLOWS {
        let source = Source::new("data/stappenplan/test.toml", random_flow_toml(n, seed));
        check_view(&parse(&source, &rollen).unwrap(), &rollen);
    }
}

#[test]
fn random_flows_render_and_read_completely() {
    let rollen = rollen();
    for seed in 0..20 {
        let source = Source::new("data/stappenplan/test.toml", random_flow_toml(12, seed));
        check_view(&parse(&source, &rollen).unwrap(), &rollen);
    }
}

/// Writes `target/stappenplan-preview/<actor>.html` for every example flow, to look at the
/// drawings in a browser: `cargo test -p zorgsite preview_examples -- --ignored`.
#[test]
#[ignore]
fn preview_examples() {
    let rollen = rollen();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/stappenplan-preview");
    std::fs::create_dir_all(&out).unwrap();
    for plan in example_plans().values() {
        let v = view(plan, &rollen);
        let mut html = format!(
            "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>{}</title><body style=\"margin:0\"><div style=\"width:{}px\">{}</div><ol>",
            v.titel, v.breedte, v.svg
        );
        for s in &v.stappen {
            let next: Vec<&str> = s.volgende.iter().map(|u| u.tekst.as_str()).collect();
            html.push_str(&format!(
                "<li>{} ({}) {}</li>",
                s.tekst,
                s.wie_naam,
                next.join(" ")
            ));
        }
        html.push_str("</ol></body></html>");
        std::fs::write(out.join(format!("{}.html", plan.actor)), html).unwrap();
        println!(
            "{}: {} x {} {}",
            plan.actor, v.breedte, v.hoogte, v.afdrukformaat
        );
    }
}
