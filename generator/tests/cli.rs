//! Drives the real `zorgsite` binary over a copy of the example school: broken content must give
//! `path:line:col` errors, exit code 1, no panic, and an untouched `public/`.

#[macro_use]
mod common;
use common::SchoolCopy;

// A copy of the example school with a previous build in `public/`.
school_fixture!(Fixture);

impl Fixture {
    fn new(name: &str) -> Fixture {
        let copy = SchoolCopy::example(&format!("cli-{name}"));
        copy.write("public/index.html", "vorige versie");
        Fixture(copy)
    }

    /// Runs `zorgsite` with `args`, expects exit code 0, and returns stdout.
    fn run_ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Replaces `from` by `to` once in `file`, then expects the build to fail at
    /// `file:<line of to>:<column>` (the line where the first line of `to` now stands; `column`
    /// may be empty) with `expected` in the errors, and nothing written.
    fn replace_fails_at(&self, file: &str, from: &str, to: &str, column: &str, expected: &[&str]) {
        self.edit(file, |t| t.replacen(from, to, 1));
        let line = line_of(self, file, to.lines().next().unwrap());
        let at = format!("{file}:{line}:{column}");
        let mut all = vec![at.as_str()];
        all.extend_from_slice(expected);
        self.build_fails_with(&all);
    }

    /// Builds, expects failure with `expected` in stderr, and checks nothing was written.
    fn build_fails_with(&self, expected: &[&str]) -> String {
        let out = self.run(&["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        for e in expected {
            assert!(stderr.contains(e), "expected `{e}` in:\n{stderr}");
        }
        assert_eq!(
            std::fs::read_to_string(self.path("public/index.html")).unwrap(),
            "vorige versie",
            "public/ must keep its previous content"
        );
        let entries = std::fs::read_dir(&self.dir).unwrap().count();
        assert_eq!(entries, 3, "no staging folders left beside public/");
        stderr
    }
}

/// 1-based line of the first line containing `needle`.
fn line_of(fixture: &Fixture, relative: &str, needle: &str) -> usize {
    std::fs::read_to_string(fixture.path(relative))
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

#[test]
fn example_site_builds_every_page_and_checks_clean() {
    let f = Fixture::new("ok");
    f.run_ok(&["build"]);
    for page in [
        "index.html",
        "leidraad/index.html",
        "leidraad/oudergesprek/index.html",
        "leidraad/zorg-in-fasen/index.html",
        "leidraad/vorderingsgesprek/index.html",
        "leidraad/wie-is-wie/index.html",
        "leidraad/sterke-leerders/index.html",
        "leidraad/woordenlijst/index.html",
        "zorg-op-onze-school/index.html",
        "404.html",
        "style.css",
        "sitemap.xml",
    ] {
        assert!(f.path("public").join(page).is_file(), "{page} missing");
    }
    let who = std::fs::read_to_string(f.path("public/leidraad/wie-is-wie/index.html")).unwrap();
    assert!(
        who.contains("id=\"rol-zorgcoordinator\""),
        "roles come from rollen.toml"
    );
    let glossary =
        std::fs::read_to_string(f.path("public/leidraad/woordenlijst/index.html")).unwrap();
    assert!(glossary.contains("id=\"zorgcontinuum\""));
    assert!(
        !glossary.contains("<script"),
        "no JavaScript in a normal build"
    );

    let stdout = f.run_ok(&["check"]);
    assert!(stdout.contains("0 fouten"), "{stdout}");
}

#[test]
fn bad_toml_in_front_matter_is_located() {
    Fixture::new("toml").replace_fails_at(
        "content/leidraad/oudergesprek.md",
        "title = \"",
        "title = ",
        "",
        &["fout:"],
    );
}

#[test]
fn unclosed_front_matter_is_located() {
    let f = Fixture::new("unclosed");
    let file = "content/leidraad/sterke-leerders.md";
    f.edit(file, |t| {
        let mut lines: Vec<&str> = t.lines().collect();
        let close = lines.iter().skip(1).position(|l| *l == "+++").unwrap() + 1;
        lines.remove(close);
        lines.join("\n")
    });
    f.build_fails_with(&[&format!("{file}:1:1"), "niet afgesloten", "+++"]);
}

#[test]
fn typo_in_front_matter_suggests_the_key() {
    Fixture::new("typo").replace_fails_at(
        "content/leidraad/wie-is-wie.md",
        "description =",
        "descriptoin =",
        "1",
        &["onbekend veld `descriptoin`", "bedoel je `description`?"],
    );
}

#[test]
fn broken_internal_link_is_located() {
    Fixture::new("link").replace_fails_at(
        "content/_index.md",
        "@/leidraad/wie-is-wie.md",
        "@/leidraad/wie-is-wei.md",
        "",
        &[
            "@/leidraad/wie-is-wei.md",
            "bedoel je `@/leidraad/wie-is-wie.md`?",
        ],
    );
}

#[test]
fn broken_anchor_is_located() {
    Fixture::new("anchor").replace_fails_at(
        "content/_index.md",
        "(@/leidraad/wie-is-wie.md)",
        "(@/leidraad/wie-is-wie.md#bij-wie-begin-jij)",
        "",
        &[
            "`#bij-wie-begin-jij` bestaat niet",
            "bedoel je `#bij-wie-begin-je`?",
        ],
    );
}

#[test]
fn unknown_component_is_located() {
    Fixture::new("component").replace_fails_at(
        "content/leidraad/wie-is-wie.md",
        "{{ <rollen/> }}",
        "{{ <rolen/> }}",
        "5",
        &["onbekende component `rolen`", "bedoel je `rollen`?"],
    );
}

#[test]
fn tera_error_in_markdown_is_located_in_the_page() {
    Fixture::new("tera-md").replace_fails_at(
        "content/leidraad/wie-is-wie.md",
        "## Alle mensen",
        "{{ onbekend }}\n\n## Alle mensen",
        "",
        &["onbekend"],
    );
}

#[test]
fn template_error_is_located_in_the_theme() {
    Fixture::new("template").replace_fails_at(
        "site/templates/page.html",
        "{{ page.title }}</h1>",
        "{{ page.title </h1>",
        "",
        &["fout in sjabloon"],
    );
}

#[test]
fn invalid_utf8_is_located() {
    let f = Fixture::new("utf8");
    let file = "content/leidraad/oudergesprek.md";
    let mut bytes = std::fs::read(f.path(file)).unwrap();
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes.insert(at + 3, 0xff);
    std::fs::write(f.path(file), bytes).unwrap();
    f.build_fails_with(&[&format!("{file}:2:4"), "UTF-8"]);
}

#[test]
fn bad_roles_file_is_located() {
    Fixture::new("rollen").replace_fails_at(
        "content/data/rollen.toml",
        "kleur = \"#1f6f8b\"",
        "kleur = \"blauw\"",
        "",
        &["ongeldige kleur", "#rrggbb"],
    );
}

#[test]
fn bad_config_is_located() {
    Fixture::new("config").replace_fails_at(
        "content/config.toml",
        "default_language",
        "default_langauge",
        "1",
        &["bedoel je `default_language`?"],
    );
}

#[test]
fn missing_template_is_located_in_the_front_matter() {
    let f = Fixture::new("missing-template");
    let file = "content/leidraad/oudergesprek.md";
    f.edit(file, |t| {
        t.replacen("+++\n", "+++\ntemplate = \"gesprek.html\"\n", 1)
    });
    f.build_fails_with(&[&format!("{file}:2:"), "`gesprek.html` bestaat niet"]);
}

#[test]
fn check_reports_plain_language_and_accessibility_problems() {
    let f = Fixture::new("check");
    let file = "content/leidraad/oudergesprek.md";
    let long = "Dit is een heel lange zin die maar doorgaat en doorgaat zodat ouders die de taal nog leren de draad kwijtraken omdat er geen punt komt en er nog meer woorden volgen.";
    f.edit(file, |t| {
        let end = t[3..].find("+++").unwrap() + 3 + 4;
        format!("{}\n{long}\n\n![](foto.png)\n{}", &t[..end], &t[end..])
    });
    f.edit(file, |t| {
        t.replacen("title = \"", "title = \"Het CLB en ", 1)
    });
    let out = f.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "missing alt text is an error:\n{stderr}"
    );
    let long_line = line_of(&f, file, "Dit is een heel lange zin");
    let image_line = line_of(&f, file, "![](foto.png)");
    let title_line = line_of(&f, file, "title = ");
    assert!(
        stderr.contains(&format!(
            "{file}:{long_line}:1: waarschuwing: lange zin (32 woorden)"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{file}:{image_line}:1: fout: afbeelding zonder alt-tekst"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{file}:{title_line}:"))
            && stderr.contains("vakwoord `CLB` in de titel"),
        "{stderr}"
    );
    assert!(!f.path("public/leidraad").exists(), "check writes nothing");
}

#[test]
fn check_exits_zero_with_only_warnings() {
    let f = Fixture::new("warnings");
    // The example school has warnings of its own (pages not translated yet): count them first.
    let before = String::from_utf8_lossy(&f.run(&["check"]).stdout).to_string();
    let warnings = |stdout: &str| -> usize {
        stdout
            .split(" fouten, ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{stdout}"))
    };
    let file = "content/leidraad/oudergesprek.md";
    f.edit(file, |t| t.replacen("title = \"", "title = \"CLB: ", 1));
    let stdout = f.run_ok(&["check"]);
    assert!(stdout.contains("Controle klaar: 0 fouten, "), "{stdout}");
    assert_eq!(warnings(&stdout), warnings(&before) + 1, "{stdout}");
}

#[test]
fn flowchart_pages_have_a_drawing_and_every_step_in_words() {
    let f = Fixture::new("stappenplan");
    f.run_ok(&["build"]);
    let chooser = std::fs::read_to_string(f.path("public/stappenplan/index.html")).unwrap();
    for actor in ["ouder", "leerling", "leerkracht", "partner"] {
        assert!(
            chooser.contains(&format!("href=\"/stappenplan/{actor}/\"")),
            "{actor} in chooser"
        );
        let page =
            std::fs::read_to_string(f.path(&format!("public/stappenplan/{actor}/index.html")))
                .unwrap();
        let data =
            std::fs::read_to_string(f.path(&format!("content/data/stappenplan/{actor}.toml")))
                .unwrap();
        let steps = data.lines().filter(|l| l.trim() == "[[stap]]").count();
        assert!(page.contains("role=\"img\""), "{actor}: accessible svg");
        assert_eq!(
            page.matches(&format!("id=\"stappenplan-{actor}-stap-"))
                .count(),
            steps,
            "{actor}: every step is in the text version"
        );
        let exits: usize = data
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(|l| {
                l.matches("naar = \"").count()
                    + usize::from(l.starts_with("ja =") || l.starts_with("nee ="))
            })
            .sum();
        assert_eq!(
            page.matches(&format!("<li><a href=\"#stappenplan-{actor}-stap-"))
                .count(),
            exits,
            "{actor}: every connection is written out"
        );
        assert!(
            page.contains("/leidraad/wie-is-wie/#rol-"),
            "{actor}: roles are linked"
        );
    }
}

#[test]
fn broken_flowchart_is_located() {
    Fixture::new("stappenplan-fout").replace_fails_at(
        "content/data/stappenplan/ouder.toml",
        "wie = \"brugfiguur\"",
        "wie = \"brugfiguru\"",
        "",
        &["bedoel je `brugfiguur`?"],
    );
}

#[test]
fn check_lists_items_without_a_recording_and_refuses_a_bad_one() {
    let f = Fixture::new("opnames");
    // The example school has one Dutch recording of the parents' questionnaire.
    let stdout = f.run_ok(&["check"]);
    assert!(
        stdout.contains("Opnames om voor te lezen (enquetes/audio/):\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  ouders, Nederlands (nl): 1 van de 16 vragen heeft een opname; nog zonder opname: zorg-aanspreekpunt, zorg-info-duidelijk,"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("nog zonder opname: zorg-zorgcoordinator")
            && !stdout.contains(", zorg-zorgcoordinator"),
        "the recorded item is not listed: {stdout}"
    );
    assert!(
        stdout.contains("  collegas: nog geen opnames\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  ouders: nog geen opnames in العربية (ar)"),
        "{stdout}"
    );

    // A text file named like a recording, and a recording of an item that does not exist.
    f.write(
        "content/enquetes/audio/ouders/samen-welkom.nl.mp3",
        "geen geluid",
    );
    let mp3 =
        std::fs::read(f.path("content/enquetes/audio/ouders/zorg-zorgcoordinator.nl.mp3")).unwrap();
    std::fs::write(
        f.path("content/enquetes/audio/ouders/samen-welkon.nl.mp3"),
        mp3,
    )
    .unwrap();
    let out = f.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "content/enquetes/audio/ouders/samen-welkom.nl.mp3: fout: dit is geen MP3-bestand"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/enquetes/audio/ouders/samen-welkon.nl.mp3: fout: de vragenlijst `ouders` heeft geen vraag `samen-welkon` — bedoel je `samen-welkom`?"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("Controle klaar: 2 fouten,"), "{stdout}");
    // The overview is still printed: the bad files are not counted as recordings.
    assert!(
        stdout.contains("1 van de 16 vragen heeft een opname"),
        "{stdout}"
    );
}

#[test]
fn precompress_writes_br_and_gz_beside_text_files_only_when_asked() {
    use std::io::Read;
    let f = Fixture::new("precompress");
    f.run_ok(&["build"]);
    let public = f.path("public");
    assert!(!public.join("index.html.br").exists());
    assert!(!public.join("index.html.gz").exists());
    // The stylesheet under its content-hashed name, linked from the pages.
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    let style = home
        .split("href=\"/")
        .filter_map(|rest| rest.split('"').next())
        .find(|h| h.starts_with("style.") && h.ends_with(".css"))
        .unwrap_or_else(|| panic!("no stylesheet link in:\n{home}"))
        .to_string();
    assert_eq!(style.len(), "style.12345678.css".len(), "{style}");
    assert_eq!(
        std::fs::read(public.join(&style)).unwrap(),
        std::fs::read(public.join("style.css")).unwrap()
    );

    let out = f.run(&["build", "--precompress"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("gecomprimeerd"), "{stdout}");
    for file in [
        "index.html",
        "leidraad/index.html",
        style.as_str(),
        "sitemap.xml",
    ] {
        let plain = std::fs::read(public.join(file)).unwrap();
        let mut from_br = Vec::new();
        brotli::Decompressor::new(
            std::fs::File::open(public.join(format!("{file}.br"))).unwrap(),
            4096,
        )
        .read_to_end(&mut from_br)
        .unwrap();
        assert_eq!(from_br, plain, "{file}.br");
        let mut from_gz = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(public.join(format!("{file}.gz"))).unwrap(),
        )
        .read_to_end(&mut from_gz)
        .unwrap();
        assert_eq!(from_gz, plain, "{file}.gz");
    }
    // Nothing twice, and no compressed copies of what does not get smaller.
    let names: Vec<String> = walk(&public);
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".br.br") || n.ends_with(".gz.gz"))
    );
    assert!(!names.iter().any(|n| n.ends_with(".png.br")));
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}
