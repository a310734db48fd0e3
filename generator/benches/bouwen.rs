//! Build benchmark: the example school's full build (load, Markdown, templates, output in memory),
//! against a baseline measured in the same run: only reading every Markdown file and turning it
//! into HTML with comrak, the least any generator has to do. A last line shows what
//! `zorgsite build --precompress` adds (brotli and gzip of every text file; off by default).
//!
//! Run: `cargo bench -p zorgsite --bench bouwen` (release mode).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use zorgsite::site::{BuildOptions, build};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm-up: file cache, allocator
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn markdown_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            markdown_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
}

fn main() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let options = BuildOptions::new(workspace.join("content"), workspace.join("site"));
    let runs = 30;

    let mut files = Vec::new();
    markdown_files(&workspace.join("content"), &mut files);
    let baseline = time(runs, || {
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            std::hint::black_box(comrak::markdown_to_html(&text, &comrak::Options::default()));
        }
    });
    let mut pages = 0;
    let full = time(runs, || {
        let site = build(&options).expect("the example site builds");
        pages = site.html_pages().len();
    });

    let built = build(&options).expect("the example site builds");
    let precompress = time(5, || {
        let mut site = built.clone();
        site.add_precompressed();
        std::hint::black_box(site.files.len());
    });

    println!("example site: {pages} pages, median of {runs} runs");
    println!(
        "  baseline (read + comrak only): {:>8.2} ms",
        baseline.as_secs_f64() * 1e3
    );
    println!(
        "  full build (zorgsite):         {:>8.2} ms",
        full.as_secs_f64() * 1e3
    );
    println!(
        "  ratio full / baseline:         {:>8.1}x   (goal: full build <= 50 ms)",
        full.as_secs_f64() / baseline.as_secs_f64()
    );
    println!(
        "  --precompress adds (median of 5): {:>5.0} ms for {} files",
        precompress.as_secs_f64() * 1e3,
        built.files.len()
    );
}
