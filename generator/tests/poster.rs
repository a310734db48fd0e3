//! `zorgsite poster --pdf`: the real binary over a copy of the example school prints one A3
//! page with real text, and broken poster data fails with `path:line:col` and no PDF.
//!
//! Needs Chromium (or `CHROMIUM=/path`) and poppler-utils (`pdfinfo`, `pdftotext`,
//! `pdftoppm`); CI installs both. Missing tools fail these tests with instructions: they are
//! never skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zorgsite::model::poster::budget;

/// A3 in PDF points (297 × 420 mm). Chromium rounds the page to whole CSS pixels, which
/// makes it up to 0.6 pt (0.2 mm) larger; anything further off is not A3.
const A3: (f64, f64) = (841.89, 1190.55);
const A3_TOLERANCE: f64 = 1.0;

#[macro_use]
mod common;
use common::SchoolCopy;

// A copy of the example school with an empty `uit/` for PDFs.
school_fixture!(Fixture);

impl Fixture {
    fn new(name: &str) -> Fixture {
        let copy = SchoolCopy::example(&format!("poster-{name}"));
        std::fs::create_dir_all(copy.path("uit")).unwrap();
        Fixture(copy)
    }

    fn run(&self, args: &[&str], envs: &[(&str, &str)]) -> Output {
        self.run_with_env(args, envs)
    }

    /// `zorgsite poster --pdf uit/<name>`, which must succeed; returns the PDF's path.
    fn print(&self, name: &str) -> PathBuf {
        self.print_with(name, &[])
    }

    /// [`Fixture::print`] with more arguments (`--taal ar`).
    fn print_with(&self, name: &str, more: &[&str]) -> PathBuf {
        require_chromium();
        let relative = format!("uit/{name}");
        let mut args = vec!["poster", "--pdf", &relative];
        args.extend_from_slice(more);
        let out = self.run(&args, &[]);
        assert!(
            out.status.success(),
            "zorgsite poster failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let pdf = self.path(&relative);
        assert!(pdf.is_file(), "no PDF at {}", pdf.display());
        pdf
    }

    /// Files left in `uit/` (to see that nothing half-written stays behind).
    fn output_files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path("uit"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
}

fn require_chromium() {
    let set = std::env::var_os("CHROMIUM").is_some_and(|c| Path::new(&c).is_file());
    assert!(
        set || ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .any(|n| on_path(n)),
        "the poster PDF tests need Chromium: install it (apt-get install chromium) or set \
         CHROMIUM=/path/to/chromium"
    );
}

/// Runs a poppler tool, which must exist and succeed.
fn poppler(tool: &str, args: &[&str]) -> String {
    assert!(
        on_path(tool),
        "`{tool}` not found: the poster PDF tests need poppler-utils (apt-get install poppler-utils)"
    );
    let out = Command::new(tool).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{tool} {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Pages and page size (points) from `pdfinfo`.
fn pdf_pages_and_size(pdf: &Path) -> (usize, f64, f64) {
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no `{name}` in pdfinfo output:\n{info}"))
            .trim()
            .to_string()
    };
    let pages = field("Pages:").parse().unwrap();
    // "841.92 x 1191.12 pts (A3)"
    let size = field("Page size:");
    let numbers: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (pages, numbers[0], numbers[1])
}

fn assert_one_a3_page(pdf: &Path) {
    let (pages, width, height) = pdf_pages_and_size(pdf);
    assert_eq!(pages, 1, "the poster must fill exactly one page");
    assert!(
        (width - A3.0).abs() <= A3_TOLERANCE && (height - A3.1).abs() <= A3_TOLERANCE,
        "expected an A3 portrait page ({} x {} pt), got {width} x {height}",
        A3.0,
        A3.1
    );
}

/// The PDF's text with all whitespace runs joined, for finding texts that wrap.
fn pdf_text(pdf: &Path) -> String {
    let text = poppler("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    squash(&text)
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every phase name, star and key from a poster file.
fn texts_to_find(poster_toml: &str) -> Vec<String> {
    let table: toml::Table = toml::from_str(poster_toml).unwrap();
    let mut texts = Vec::new();
    for fase in table["zorg"]["fase"].as_array().unwrap() {
        texts.push(fase["naam"].as_str().unwrap().to_string());
    }
    for key in ["ster", "sleutel"] {
        for item in table[key].as_array().unwrap() {
            texts.push(item["tekst"].as_str().unwrap().to_string());
        }
    }
    texts.iter().map(|t| squash(t)).collect()
}

/// Renders page 1 to PNG and returns its width and height in pixels.
fn render_png(pdf: &Path) -> (u32, u32) {
    let prefix = pdf.with_extension("");
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "30",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let png = std::fs::read(prefix.with_extension("png")).unwrap();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "pdftoppm wrote no PNG"
    );
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn the_example_poster_is_one_a3_page_with_real_text() {
    let f = Fixture::new("voorbeeld");
    let pdf = f.print("poster.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_one_a3_page(&pdf);

    let text = pdf_text(&pdf);
    let wanted = texts_to_find(&f.read("content/data/poster.toml"));
    assert_eq!(
        wanted.len(),
        4 + 5 + 4,
        "the example has 4 phases, 5 stars, 4 keys"
    );
    for item in wanted.iter().chain(
        [
            "Samen zorg dragen",
            "ZORG op onze school",
            "Dat doen we SAMEN",
            "Onze sterren",
            "Onze sleutels",
            "Zorgcoördinator",
            "Basisschool De Linde",
        ]
        .map(String::from)
        .iter(),
    ) {
        assert!(
            text.contains(item.as_str()),
            "`{item}` is not in the PDF's text:\n{text}"
        );
    }
    // The page's introduction for the web is not printed.
    assert!(!text.contains("past op één blad A3"), "{text}");

    // A3 at 30 dpi is about 351 × 496 pixels.
    let (width, height) = render_png(&pdf);
    assert!(
        (345..=356).contains(&width) && (490..=501).contains(&height),
        "{width}x{height}"
    );
    assert_eq!(
        f.output_files(),
        ["poster.pdf", "poster.png"],
        "no temporary files left"
    );
}

/// Every language of the example school prints its poster on one A3 page, footer included,
/// without the web page's "this page is a translation" notice (issue 16: translated posters
/// took two pages). An unknown language is a Dutch error that lists the languages there are.
#[test]
fn every_language_prints_its_poster_on_one_a3_page() {
    let f = Fixture::new("talen");
    let config: toml::Table = toml::from_str(&f.read("content/config.toml")).unwrap();
    let talen: Vec<&String> = config["languages"].as_table().unwrap().keys().collect();
    assert_eq!(talen, ["ar", "en", "fr", "nl", "tr"]);
    for taal in talen {
        let pdf = f.print_with(&format!("poster-{taal}.pdf"), &["--taal", taal]);
        assert_one_a3_page(&pdf);
        let text = pdf_text(&pdf);
        // The school's name at the top and its phone number in the footer, the last line.
        for item in ["Basisschool De Linde", "01 234 56 78", "delinde@example.be"] {
            assert!(text.contains(item), "{taal}: `{item}` is not in:\n{text}");
        }
        if taal != "nl" {
            // The notice names the Dutch original ("… (Nederlands)").
            assert!(
                !text.contains("Nederlands"),
                "{taal}: notice printed:\n{text}"
            );
        }
    }

    let out = f.run(&["poster", "--pdf", "uit/de.pdf", "--taal", "de"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("fout: er is geen poster in de taal `de`")
            && stderr.contains("content/poster.de.md")
            && stderr.contains("ar, en, fr, nl, tr"),
        "{stderr}"
    );
    assert!(!f.path("uit/de.pdf").exists());
}

/// Text of exactly `n` characters, from ordinary words (long ones included), so it wraps like
/// real Dutch.
fn filler(n: usize, seed: usize) -> String {
    const WORDS: [&str; 24] = [
        "we",
        "de",
        "het",
        "kind",
        "juf",
        "meester",
        "school",
        "hulp",
        "samen",
        "ouders",
        "leren",
        "klas",
        "elke",
        "dag",
        "extra",
        "tijd",
        "vragen",
        "luisteren",
        "afspraken",
        "zorgleerkracht",
        "ondersteuningsnetwerk",
        "begeleiding",
        "gesprek",
        "welkom",
    ];
    let mut text = String::new();
    let mut i = seed;
    loop {
        let word = WORDS[i % WORDS.len()];
        i += 7;
        let extra = if text.is_empty() { 0 } else { 1 } + word.len();
        if text.len() + extra + 1 > n {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    // Fill up with short words, then one last short word of the right length.
    let short = ["en", "op", "al", "nu", "zo"];
    let mut j = 0;
    while n - text.len() > 4 {
        text.push(' ');
        text.push_str(short[j % short.len()]);
        j += 1;
    }
    let rest = n - text.len() - 1;
    if rest >= 2 {
        text.push(' ');
        text.push_str(&"w".repeat(rest - 1));
    } else if rest == 1 {
        text.push('e');
    }
    text.push('.');
    assert_eq!(text.chars().count(), n, "{text}");
    text
}

/// A poster with every text at its budget and every list at its maximum length.
fn fullest_poster() -> String {
    let mut t = String::new();
    let line = |t: &mut String, key: &str, value: String| {
        t.push_str(&format!("{key} = \"{value}\"\n"));
    };
    line(&mut t, "titel", filler(budget::TITEL, 1));
    line(&mut t, "ondertitel", filler(budget::ONDERTITEL, 2));
    line(
        &mut t,
        "schooljaar",
        "2025-2026 tot 2026-27"
            .chars()
            .take(budget::SCHOOLJAAR)
            .collect(),
    );
    t.push_str("[zorg]\ntitel = \"ZORG op onze school\"\n");
    line(&mut t, "inleiding", filler(budget::PANEEL_INLEIDING, 3));
    for n in 0..4 {
        t.push_str(&format!("[[zorg.fase]]\nnummer = {n}\n"));
        line(&mut t, "naam", filler(budget::FASE_NAAM, 4 + n));
        line(&mut t, "kort", filler(budget::FASE_KORT, 5 + n));
        // As many full points as the phase's total allows, the rest in one more point.
        let mut left = budget::FASE_TOTAAL;
        let mut points = Vec::new();
        while left > 0 && points.len() < budget::FASE_PUNTEN {
            let size = left.min(budget::FASE_PUNT);
            points.push(format!(
                "\"{}\"",
                filler(size.max(3), 10 + 3 * n + points.len())
            ));
            left -= size;
        }
        t.push_str(&format!("wat = [{}]\n", points.join(", ")));
    }
    t.push_str("[samen]\ntitel = \"Dat doen we SAMEN\"\n");
    line(
        &mut t,
        "inleiding",
        filler(budget::PANEEL_INLEIDING - 25, 20),
    );
    let roles = [
        "leerling",
        "ouder",
        "klasleerkracht",
        "zorgleerkracht",
        "zorgcoordinator",
        "zorgteam",
        "directie",
        "brugfiguur",
        "ouderraad",
        "leerlingenraad",
        "clb",
        "ondersteuner",
    ];
    assert!(roles.len() >= budget::ROLLEN);
    for (i, id) in roles.iter().take(budget::ROLLEN).enumerate() {
        t.push_str(&format!("[[samen.rol]]\nid = \"{id}\"\n"));
        line(&mut t, "taak", filler(budget::ROL_TAAK, 30 + i));
        line(&mut t, "bereik", filler(budget::ROL_BEREIK, 50 + i));
    }
    for i in 0..budget::STERREN {
        t.push_str("[[ster]]\n");
        line(&mut t, "tekst", filler(budget::STER, 70 + i));
    }
    for i in 0..budget::SLEUTELS {
        t.push_str("[[sleutel]]\n");
        line(&mut t, "tekst", filler(budget::SLEUTEL, 80 + i));
        line(&mut t, "waarom", filler(budget::WAAROM, 90 + i));
        t.push_str("bron = { vragenlijst = \"collegas\", item = \"zorg-aanspreekpunt\" }\n");
    }
    t
}

#[test]
fn a_poster_with_every_text_at_its_budget_still_fits_one_page() {
    let f = Fixture::new("vol");
    let poster = fullest_poster();
    f.write("content/data/poster.toml", &poster);
    let pdf = f.print("vol.pdf");
    assert_one_a3_page(&pdf);
    let text = pdf_text(&pdf);
    // The last key is the last thing on the poster before the footer: it made it onto the page.
    for item in texts_to_find(&poster) {
        assert!(text.contains(&item), "`{item}` is not in the PDF's text");
    }
    assert!(text.contains("Een vraag of een zorg?"), "{text}");
    render_png(&pdf);
}

/// Replaces one unique piece of the example poster file.
fn edit_poster(f: &Fixture, from: &str, to: &str) -> String {
    let text = f.read("content/data/poster.toml");
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    let changed = text.replacen(from, to, 1);
    f.write("content/data/poster.toml", &changed);
    changed
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// `poster --pdf` and `build` both fail with exit 1 and `expected` in stderr; the old PDF
/// stays as it was and nothing else is written.
fn fails_with(f: &Fixture, expected: &str) -> String {
    f.write("uit/poster.pdf", "vorige versie");
    let out = f.run(&["poster", "--pdf", "uit/poster.pdf"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in:\n{stderr}"
    );
    assert!(stderr.contains("De poster is niet gemaakt"), "{stderr}");
    assert_eq!(f.read("uit/poster.pdf"), "vorige versie");
    assert_eq!(f.output_files(), ["poster.pdf"]);

    let build = f.run(&["build", "--output", "uit/site"], &[]);
    let build_err = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "{build_err}");
    assert!(build_err.contains(expected), "{build_err}");
    stderr
}

#[test]
fn a_missing_phase_fails_with_file_and_line() {
    let f = Fixture::new("fase");
    let text = edit_poster(&f, "nummer = 2", "nummer = 1");
    let line = text.lines().position(|l| l == "[zorg]").unwrap() + 1;
    let stderr = fails_with(
        &f,
        &format!(
            "content/data/poster.toml:{line}:1: fout: fase 2 ontbreekt in het paneel ‘ZORG op onze school’"
        ),
    );
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "nummer = 1")
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert!(
        stderr.contains(&format!(
            "content/data/poster.toml:{second}:10: fout: fase 1 staat er twee keer in"
        )),
        "{stderr}"
    );
}

#[test]
fn too_long_text_and_unknown_role_fail_with_file_and_line() {
    let f = Fixture::new("lang");
    let text = edit_poster(
        &f,
        "tekst = \"De leerlingenraad en de ouderraad denken mee over onze zorg.\"",
        "tekst = \"De leerlingenraad en de ouderraad denken elke maand samen met ons mee over onze zorg.\"",
    );
    let line = line_of(&text, "denken elke maand");
    let over =
        "De leerlingenraad en de ouderraad denken elke maand samen met ons mee over onze zorg."
            .chars()
            .count()
            - budget::STER;
    fails_with(
        &f,
        &format!(
            "content/data/poster.toml:{line}:9: fout: de tekst van deze ster is {over} tekens te lang voor de poster"
        ),
    );

    let text = edit_poster(&f, "id = \"brugfiguur\"", "id = \"brugfigur\"");
    let line = line_of(&text, "brugfigur\"");
    fails_with(
        &f,
        &format!(
            "content/data/poster.toml:{line}:6: fout: onbekende rol `brugfigur` — bedoel je `brugfiguur`?"
        ),
    );
}

#[test]
fn without_chromium_the_message_says_what_to_do() {
    let f = Fixture::new("geen-chromium");
    let out = f.run(
        &["poster", "--pdf", "uit/poster.pdf"],
        &[("CHROMIUM", "/bestaat/niet/chromium")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for expected in [
        "CHROMIUM wijst naar /bestaat/niet/chromium",
        "apt-get install chromium",
        "Afdrukken → Opslaan als PDF",
        "/poster/",
    ] {
        assert!(
            stderr.contains(expected),
            "expected `{expected}` in:\n{stderr}"
        );
    }
    assert!(f.output_files().is_empty());
}

#[test]
fn without_poster_data_there_is_no_pdf_but_the_site_builds() {
    let f = Fixture::new("geen-data");
    std::fs::remove_file(f.path("content/data/poster.toml")).unwrap();
    let out = f.run(&["poster", "--pdf", "uit/poster.pdf"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/data/poster.toml: fout: dit bestand bestaat niet"),
        "{stderr}"
    );
    let build = f.run(&["build", "--output", "uit/site"], &[]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let page = std::fs::read_to_string(f.path("uit/site/poster/index.html")).unwrap();
    assert!(page.contains("nog geen poster"), "{page}");
}
