//! `zorgenquete papier`: the paper questionnaire as an A4 PDF in every language of the
//! questionnaire, printed by headless Chromium from the same page the dashboard shows
//! (`/beheer/papier/<vragenlijst>`). `pdfinfo` reads the page size back and `pdftotext` finds
//! every item's text in that language, the period and the privacy line.

mod enquete_common;

use std::path::Path;

use enquete_common::{cli_on, open_periode, workspace_root};

/// Text as it is compared: only letters and digits (pdftotext moves neutral punctuation and
/// spaces in right-to-left lines), without Arabic diacritics, and the lam-alef ligature read one
/// way (pdftotext gives its two letters in visual order). Every letter of the item must still be
/// there, in order.
fn genormaliseerd(s: &str) -> String {
    let zonder_tekens: String = s
        .chars()
        .filter(|c| !matches!(*c as u32, 0x064b..=0x065f | 0x0670))
        .collect();
    // The ligature while words are still apart.
    zonder_tekens
        .replace("لا", "ال")
        .replace("لأ", "أل")
        .replace("لآ", "آل")
        .replace("لإ", "إل")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn pdf_tool(tool: &str, pdf: &std::path::Path) -> String {
    let out = std::process::Command::new(tool)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_paper_questionnaire_is_an_a4_pdf_with_every_item_in_every_language() {
    let tmp = e2e::TempDir::new("papier");
    let db = tmp.path().join("zorgenquete.sqlite");
    let root = workspace_root().join("content");
    open_periode(&db, &root, "ouders", "2025-2026", None);
    let papier = |taal: &str, pdf: &Path| {
        let pdf = pdf.to_str().unwrap();
        cli_on(
            &db,
            &root,
            &["papier", "ouders", "--taal", taal, "--pdf", pdf],
        )
    };
    let lijsten =
        zorgsite::model::vragenlijst::laad(&root).expect("the example questionnaires load");
    let lijst = lijsten.get("ouders").unwrap();
    assert!(lijst.talen.len() >= 5, "{:?}", lijst.talen);
    let privacy = [
        ("nl", "Schrijf je naam niet op dit blad."),
        ("en", "Do not write your name on this sheet."),
        ("fr", "N’écrivez pas votre nom sur cette feuille."),
        ("tr", "Bu kâğıda adınızı yazmayın."),
        ("ar", "لا تكتب اسمك على هذه الورقة."),
    ];
    for taal in &lijst.talen {
        let pdf = tmp.path().join(format!("formulier-{taal}.pdf"));
        let (ok, _, err) = papier(taal, &pdf);
        assert!(ok, "{taal}: {err}");
        assert!(err.contains("A4"), "{err}");
        let info = pdf_tool("pdfinfo", &pdf);
        assert!(
            info.contains("Page size:       594.96 x 841.92 pts (A4)"),
            "{taal}: {info}"
        );
        let tekst = genormaliseerd(&pdf_tool("pdftotext", &pdf));
        for v in &lijst.vragen {
            let item = genormaliseerd(v.tekst.in_taal(taal));
            assert!(
                tekst.contains(&item),
                "{taal}: item {} ({item}) not in:\n{tekst}",
                v.id
            );
        }
        let (_, zin) = privacy
            .iter()
            .find(|(t, _)| t == taal)
            .expect("a privacy line per language");
        assert!(tekst.contains(&genormaliseerd(zin)), "{taal}: privacy line");
        assert!(
            tekst.contains("2025") && tekst.contains("2026"),
            "{taal}: the period"
        );
        // Nothing that identifies anyone: no field for a name, class or date.
        for woord in ["Naam:", "Klas:", "Datum:"] {
            assert!(!tekst.contains(woord), "{taal}: {woord}");
        }
    }

    // An unknown language is refused with the ones there are; nothing is written.
    let pdf = tmp.path().join("formulier-xx.pdf");
    let (ok, _, err) = papier("xx", &pdf);
    assert!(!ok && err.contains("kies een van: nl"), "{err}");
    assert!(!pdf.exists());
}
