//! Schools that share a theme share its parsed templates (issue 17: fifty schools on one
//! service), and each still renders with its own settings, texts and content.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use e2e::{TempDir, copy_dir, workspace_root};
use zorgsite::site::{BuildOptions, BuiltSite, build};

/// A copy of the example school whose `title` and school name are `naam`.
fn school(tmp: &TempDir, naam: &str) -> PathBuf {
    let root = tmp.path().join(naam);
    copy_dir(&workspace_root().join("content"), &root);
    let config = root.join("config.toml");
    let tekst = std::fs::read_to_string(&config).unwrap();
    let tekst = tekst
        .replacen(
            "title = \"Samen zorg dragen\"",
            &format!("title = \"{naam}\""),
            1,
        )
        .replace("Basisschool De Linde", naam);
    std::fs::write(&config, tekst).unwrap();
    root
}

fn bouw(root: &Path, theme: &Path) -> BuiltSite {
    build(&BuildOptions::new(root, theme)).unwrap_or_else(|e| panic!("{e:?}"))
}

fn pagina(site: &BuiltSite, file: &str) -> String {
    String::from_utf8(site.files[file].clone()).unwrap()
}

#[test]
fn schools_with_one_theme_share_its_templates_and_keep_their_own_values() {
    let tmp = TempDir::new("thema");
    let theme = workspace_root().join("site");
    let eik = bouw(&school(&tmp, "Basisschool De Eik"), &theme);
    let beuk = bouw(&school(&tmp, "Basisschool De Beuk"), &theme);
    let (t_eik, t_beuk) = (
        eik.templates.clone().unwrap(),
        beuk.templates.clone().unwrap(),
    );
    assert!(
        Arc::ptr_eq(t_eik.theme(), t_beuk.theme()),
        "one parse for both schools"
    );

    // Each school's pages, built in parallel through the shared theme, carry its own name.
    let (home_eik, home_beuk) = (pagina(&eik, "index.html"), pagina(&beuk, "index.html"));
    assert!(home_eik.contains("De Eik") && !home_eik.contains("De Beuk"));
    assert!(home_beuk.contains("De Beuk") && !home_beuk.contains("De Eik"));

    // Pages rendered later (as the survey service does) use the school's own globals and
    // functions (`config`, `get_url`, `trans`), also when the two take turns.
    for _ in 0..2 {
        for (templates, eigen, ander) in [
            (&t_eik, "De Eik", "De Beuk"),
            (&t_beuk, "De Beuk", "De Eik"),
        ] {
            let html = templates
                .render(
                    "404.html",
                    &serde_json::json!({
                        "lang": "nl",
                        "richting": "ltr",
                        "current_path": "/404.html",
                        "site_titel": "titel",
                    }),
                )
                .unwrap();
            assert!(html.contains(eigen) && !html.contains(ander), "{html}");
        }
    }
}

#[test]
fn an_edited_theme_is_parsed_anew_and_an_unused_one_is_dropped() {
    let tmp = TempDir::new("thema-bewerkt");
    let theme = tmp.path().join("site");
    copy_dir(&workspace_root().join("site"), &theme);
    let root = school(&tmp, "Basisschool De Eik");
    let voor = bouw(&root, &theme).templates.unwrap();
    let nog_eens = bouw(&root, &theme).templates.unwrap();
    assert!(Arc::ptr_eq(voor.theme(), nog_eens.theme()));

    let pad = theme.join("templates/404.html");
    let tekst = std::fs::read_to_string(&pad).unwrap();
    let bewerkt = tekst.replace("</article>", "<!-- bewerkt --></article>");
    assert_ne!(bewerkt, tekst);
    std::fs::write(&pad, bewerkt).unwrap();
    let na = bouw(&root, &theme);
    assert!(!Arc::ptr_eq(
        voor.theme(),
        na.templates.as_ref().unwrap().theme()
    ));
    assert!(pagina(&na, "404.html").contains("<!-- bewerkt -->"));

    // Once no site uses the old parse, it is gone (nothing keeps every edit alive).
    let oud = Arc::downgrade(voor.theme());
    drop((voor, nog_eens));
    assert!(oud.upgrade().is_none());
}

#[test]
fn pages_rendered_after_the_build_see_titles_and_paths_but_no_bodies() {
    let tmp = TempDir::new("thema-na-bouw");
    let theme = tmp.path().join("site");
    copy_dir(&workspace_root().join("site"), &theme);
    std::fs::write(
        theme.join("templates/proef.html"),
        "{% set s = get_section(path=\"_index.md\") %}{{ s.title }}|{{ s.subsections | length }}|\
         {{ s.content is defined }}|{{ s.pages | length }}|\
         {% for p in s.pages %}{{ p.title }}:{{ p.content is defined }};{% endfor %}",
    )
    .unwrap();
    let site = bouw(&school(&tmp, "Basisschool De Eik"), &theme);
    // While the site was built, the bodies were there: the home page shows its text.
    let home = pagina(&site, "index.html");
    let begin = std::fs::read_to_string(workspace_root().join("content/_index.md")).unwrap();
    let zin = begin
        .split("+++")
        .nth(2)
        .unwrap()
        .lines()
        .find(|l| l.len() > 40 && !l.starts_with(['#', '{', '<', '-', '*']))
        .expect("a plain sentence on the home page");
    assert!(home.contains(&zin[..30]), "{zin}");

    let html = site
        .templates
        .unwrap()
        .render("proef.html", &serde_json::json!({"lang": "nl"}))
        .unwrap();
    let velden: Vec<&str> = html.split('|').collect();
    assert_eq!(velden[0], "Samen zorg dragen", "{html}");
    assert_ne!(velden[1], "0", "the menu's subsections are there: {html}");
    assert_eq!(velden[2], "false", "no body after the build: {html}");
    assert_ne!(velden[3], "0", "{html}");
    assert!(
        velden[4].contains(":false;") && !velden[4].contains(":true"),
        "{html}"
    );
}

#[test]
fn an_icon_too_large_to_go_inside_the_page_is_an_error_on_the_template_line() {
    let tmp = TempDir::new("thema-icoon");
    let root = school(&tmp, "Basisschool De Eik");
    let theme = tmp.path().join("site");
    copy_dir(&workspace_root().join("site"), &theme);
    // A drawing, not an icon: larger than what goes inside a page.
    let tekening = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 9 9\">{}</svg>",
        "<path d=\"M0 0h9v9H0z\"/>".repeat(120)
    );
    std::fs::write(theme.join("static/icons/tekening.svg"), tekening).unwrap();
    let layout = theme.join("templates/layouts/site.html");
    let tekst = std::fs::read_to_string(&layout).unwrap();
    let regel = 1 + tekst
        .lines()
        .position(|l| l.contains("inline_svg(path='icons/zorg.svg'"))
        .unwrap();
    std::fs::write(
        &layout,
        tekst.replace("icons/zorg.svg', width=32", "icons/tekening.svg', width=32"),
    )
    .unwrap();
    let fouten = build(&BuildOptions::new(&root, &theme)).expect_err("a build error");
    let tekst: Vec<String> = fouten.iter().map(|d| d.to_string()).collect();
    assert!(
        tekst
            .iter()
            .any(|t| t.contains(&format!("layouts/site.html:{regel}"))
                && t.contains("icons/tekening.svg")
                && t.contains("get_url")),
        "{tekst:#?}"
    );
}
