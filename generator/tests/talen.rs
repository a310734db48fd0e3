//! Languages, end to end through the real `zorgsite` binary over a copy of the example school:
//! every language builds with the right `lang`/`dir`, switcher and hreflang links; `check`
//! reports what is not translated and pages over the weight budget; translation files with
//! unknown ids are located errors.

mod common;
use common::SchoolCopy;

fn copy(name: &str) -> SchoolCopy {
    SchoolCopy::example(&format!("talen-{name}"))
}

#[test]
fn every_language_gets_lang_dir_switcher_and_hreflang() {
    let c = copy("bouw");
    let out = c.run(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (lang, dir) in [("en", "ltr"), ("fr", "ltr"), ("tr", "ltr"), ("ar", "rtl")] {
        for page in [
            "",
            "stappenplan/ouder/",
            "poster/",
            "leidraad/oudergesprek/",
        ] {
            let html = c.read(&format!("public/{lang}/{page}index.html"));
            assert!(
                html.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")),
                "{lang}/{page}"
            );
            // The note on translated pages links back to the Dutch page.
            assert!(
                html.contains("class=\"taalnota\"")
                    && html.contains(&format!("href=\"/{page}\" hreflang=\"nl\"")),
                "{lang}/{page}: no way back to Dutch"
            );
            for other in ["nl", "en", "fr", "tr", "ar"] {
                assert!(
                    html.contains(&format!("<link rel=\"alternate\" hreflang=\"{other}\"")),
                    "{lang}/{page}: no hreflang {other}"
                );
            }
        }
    }
    // A Dutch page without translations links to each language's home, saying so.
    let dutch = c.read("public/leidraad/woordenlijst/index.html");
    assert!(dutch.contains("<html lang=\"nl\" dir=\"ltr\">"));
    assert!(
        dutch
            .contains("<a href=\"/ar/\" hreflang=\"ar\">العربية</a> <small>(لم تُترجم بعد)</small>"),
        "{dutch}"
    );
    assert!(
        !dutch.contains("hreflang=\"en\" href"),
        "no alternate for a missing translation"
    );
    // The Arabic flowchart is drawn right to left, in Arabic, with the same steps.
    let ar = c.read("public/ar/stappenplan/ouder/index.html");
    assert!(ar.contains("direction=\"rtl\""));
    assert!(ar.contains("أنت قلق على طفلك."));
    assert!(ar.contains("id=\"stappenplan-ouder-stap-13\""));
    assert!(ar.contains("إذا كان الجواب نعم: اذهب إلى الخطوة"));
    let poster = c.read("public/fr/poster/index.html");
    assert!(poster.contains("Nos étoiles") && poster.contains("Enseignant de la classe"));
}

#[test]
fn check_reports_missing_translations_and_unknown_ids() {
    let c = copy("ontbrekend");
    std::fs::remove_file(c.dir.join("content/leidraad/oudergesprek.tr.md")).unwrap();
    std::fs::remove_file(c.dir.join("content/enquetes/ouders.ar.toml")).unwrap();
    let flow = c.read("content/data/stappenplan/ouder.en.toml");
    let without_klaar = flow
        .split("\n[stap.")
        .filter(|part| !part.starts_with("klaar]"))
        .collect::<Vec<_>>()
        .join("\n[stap.");
    c.write("content/data/stappenplan/ouder.en.toml", &without_klaar);
    c.write(
        "content/enquetes/ouders.fr.toml",
        "titel = \"Comment vivez-vous l'aide à l'école ?\"\n\n[vraag.samen-welkom]\ntekst = \"Je me sens bienvenu à l'école.\"\n",
    );
    let out = c.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "warnings only:\n{stderr}");
    assert!(
        stderr.contains("leidraad/oudergesprek.md: waarschuwing: deze pagina voor ouders is nog niet vertaald naar Türkçe (tr)"),
        "{stderr}"
    );
    assert!(stderr.contains("data/stappenplan/ouder.en.toml: waarschuwing: 1 tekst is nog niet vertaald naar `en`: klaar"), "{stderr}");
    assert!(
        stderr.contains(
            "enquetes/ouders.fr.toml: waarschuwing: 15 teksten zijn nog niet vertaald naar `fr`"
        ),
        "{stderr}"
    );
    let expected = "enquetes/ouders.toml: waarschuwing: de vragenlijst `ouders` is nog niet vertaald naar العربية (ar)";
    assert!(stderr.contains(expected), "{expected}\n{stderr}");
    assert!(
        !stderr.contains("de vragenlijst `ouders` is nog niet vertaald naar English"),
        "{stderr}"
    );

    // An id that the Dutch flow does not have is an error on its line, with a suggestion.
    c.write(
        "content/data/stappenplan/ouder.en.toml",
        &flow.replace("[stap.genoeg]", "[stap.genog]"),
    );
    let out = c.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = flow.lines().position(|l| l == "[stap.genoeg]").unwrap() + 1;
    assert!(
        stderr.contains(&format!("data/stappenplan/ouder.en.toml:{line}:2: fout: `genog` bestaat niet in het Nederlandse bestand — bedoel je `genoeg`?")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn check_reports_pages_over_the_weight_budget() {
    let c = copy("gewicht");
    // 90 000 characters that gzip cannot shrink much: far over 60 kB.
    let mut seed = 11u64;
    let noise: String = (0..90_000)
        .map(|i| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if i % 60 == 59 {
                ' '
            } else {
                char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[(seed >> 58) as usize % 36])
            }
        })
        .collect();
    c.write(
        "content/zwaar.md",
        &format!(
            "+++\ntitle = \"Zwaar\"\ndescription = \"Een te zware pagina.\"\n+++\n\n{noise}\n"
        ),
    );
    let out = c.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("/zwaar/: fout: deze pagina weegt"))
        .unwrap_or_else(|| panic!("{stderr}"));
    let kb: usize = line
        .split("weegt ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(kb > 60, "{line}");
    assert_eq!(
        stderr.matches("deze pagina weegt").count(),
        1,
        "only the heavy page: {stderr}"
    );
}

#[test]
fn check_reports_a_missing_and_an_unknown_interface_text_with_file_and_line() {
    let c = copy("teksten");
    let en = c.read("content/teksten/en.toml");
    // `site.vorige` left out (the page shows the Dutch word), `site.volgend` a typo.
    let line_of = |text: &str, needle: &str| {
        text.lines()
            .position(|l| l.starts_with(needle))
            .map(|i| i + 1)
            .unwrap()
    };
    let site_table = line_of(&en, "[site]");
    let edited = en
        .replace("vorige = \"Previous\"\n", "")
        .replace("volgende = \"Next\"", "volgend = \"Next\"");
    let typo_line = line_of(&edited, "volgend = ");
    c.write("content/teksten/en.toml", &edited);
    let out = c.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unknown text is an error:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let unknown = format!(
        "content/teksten/en.toml:{typo_line}:1: fout: onbekende tekst `site.volgend` — bedoel je `site.volgende`?"
    );
    assert!(stderr.contains(&unknown), "{unknown}\n{stderr}");
    for missing in ["site.vorige", "site.volgende"] {
        let expected = format!(
            "content/teksten/en.toml:{site_table}:2: waarschuwing: de tekst `{missing}` is nog niet vertaald"
        );
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }

    // Fixed typo, one text still missing: a warning, and the Dutch word on the English pages.
    c.write(
        "content/teksten/en.toml",
        &edited.replace("volgend = \"Next\"", "volgende = \"Next\""),
    );
    let out = c.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "warnings only:\n{stderr}");
    assert!(
        stderr.contains("de tekst `site.vorige` is nog niet vertaald"),
        "{stderr}"
    );
    let out = c.run(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = c.read("public/en/stappenplan/ouder/index.html");
    assert!(page.contains("<span>Vorige</span>"), "{page}");
    let page = c.read("public/en/leidraad/oudergesprek/index.html");
    assert!(page.contains("<span>Next</span>"), "{page}");
}

#[test]
fn texts_left_in_config_toml_and_unknown_keys_in_templates_are_located_errors() {
    let c = copy("teksten-oud");
    let config = c.read("content/config.toml");
    c.write(
        "content/config.toml",
        &format!("{config}\n[translations]\nhoofdmenu = \"Hoofdmenu\"\n"),
    );
    let out = c.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = config.lines().count() + 2;
    let expected = format!(
        "content/config.toml:{line}:1: fout: de teksten van [translations] staan niet meer in config.toml — zet ze in teksten/<taal>.toml"
    );
    assert!(stderr.contains(&expected), "{expected}\n{stderr}");

    c.write("content/config.toml", &config);
    let base = c.read("site/templates/layouts/site.html");
    assert!(base.contains("key=\"site.bellen\""));
    c.write(
        "site/templates/layouts/site.html",
        &base.replace("key=\"site.bellen\"", "key=\"site.belen\""),
    );
    let out = c.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = base
        .lines()
        .position(|l| l.contains("site.bellen"))
        .unwrap()
        + 1;
    let expected = format!("site/templates/layouts/site.html:{line}:");
    assert!(
        stderr.contains(&expected)
            && stderr.contains("de tekst `site.belen` bestaat niet")
            && stderr.contains("bedoel je `site.bellen`?"),
        "{expected}\n{stderr}"
    );
}
