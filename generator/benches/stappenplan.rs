//! Layout and render time of stappenplan flowcharts, by size.
//!
//! `cargo bench -p zorgsite --bench stappenplan` (add `-- --quick` for fewer runs).
//! Prints the median of several runs for the example teacher flow and for generated valid
//! flows of 20 to 200 steps, and how each compares with the 20-step flow, to show how the
//! time grows with the size of a flow. The last column is the narrow drawing for phones
//! (one column, layout and render together).

use std::path::Path;
use std::time::{Duration, Instant};

use zorgsite::diagnostics::Source;
use zorgsite::model::rollen::Rollen;
use zorgsite::model::stappenplan::{self, Stappenplan};
use zorgsite::render::stappenplan::{diagram, svg};

#[allow(dead_code)]
#[path = "../src/render/stappenplan/testflow.rs"]
mod testflow;

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

struct Row {
    name: String,
    steps: usize,
    edges: usize,
    layout: Duration,
    render: Duration,
    /// The narrow (one-column) drawing for phones: layout and render together.
    narrow: Duration,
}

fn measure(name: &str, plan: &Stappenplan, rollen: &Rollen, runs: usize) -> Row {
    let drawing = diagram::diagram(plan, rollen);
    assert!(
        drawing.layout.problems().is_empty(),
        "{name}: {:?}",
        drawing.layout.problems()
    );
    let layout = median(runs, || {
        std::hint::black_box(diagram::diagram(plan, rollen));
    });
    let render = median(runs, || {
        std::hint::black_box(svg::render(plan, &drawing, "stappenplan-bench"));
    });
    let narrow_drawing = diagram::narrow_diagram(plan, rollen);
    assert!(
        narrow_drawing.layout.problems().is_empty(),
        "{name} (smal): {:?}",
        narrow_drawing.layout.problems()
    );
    let narrow = median(runs, || {
        let drawing = diagram::narrow_diagram(plan, rollen);
        std::hint::black_box(svg::render(plan, &drawing, "stappenplan-bench"));
    });
    Row {
        name: name.to_string(),
        steps: plan.stappen.len(),
        edges: drawing.layout.edges.len(),
        layout,
        render,
        narrow,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 5 } else { 31 };
    let rollen = Rollen::parse(&Source::new("rollen.toml", testflow::rollen_toml()))
        .expect("fixture roles parse");
    let mut rows = Vec::new();

    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data/stappenplan/leerkracht.toml");
    if let Ok(text) = std::fs::read_to_string(&example) {
        let source = Source::new("data/stappenplan/leerkracht.toml", text);
        let plan = stappenplan::parse(&source, &rollen).expect("example flow parses");
        rows.push(measure("voorbeeld leerkracht", &plan, &rollen, runs));
    }
    for steps in [20, 50, 100, 200] {
        let source = Source::new(
            "data/stappenplan/bench.toml",
            testflow::random_flow_toml(steps, 2024),
        );
        let plan = stappenplan::parse(&source, &rollen).expect("generated flow parses");
        let runs = if steps >= 100 { runs.min(11) } else { runs };
        rows.push(measure(&format!("{steps} stappen"), &plan, &rollen, runs));
    }

    let baseline = rows
        .iter()
        .find(|r| r.name == "20 stappen")
        .map(|r| r.layout + r.render)
        .expect("baseline row");
    println!("stappenplan: layout + render, median of {runs} runs (baseline: 20 stappen)");
    println!(
        "{:<22} {:>6} {:>9} {:>11} {:>11} {:>11} {:>9} {:>9}",
        "flow", "stappen", "pijlen", "layout ms", "render ms", "totaal ms", "x basis", "smal ms"
    );
    for r in &rows {
        let total = r.layout + r.render;
        println!(
            "{:<22} {:>6} {:>9} {:>11.3} {:>11.3} {:>11.3} {:>9.1} {:>9.3}",
            r.name,
            r.steps,
            r.edges,
            ms(r.layout),
            ms(r.render),
            ms(total),
            total.as_secs_f64() / baseline.as_secs_f64(),
            ms(r.narrow)
        );
    }
}
