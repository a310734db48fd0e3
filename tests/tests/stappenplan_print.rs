//! Each flowchart page printed by headless Chromium: the first page has the paper size the flow
//! asks for (A4, A3 for the largest) and holds the whole drawing (its last step is on page 1).

use std::process::Command;

use e2e::{StaticServer, TempDir, chromium_path, workspace_root};
use zorgsite::site::{BuildOptions, build};

fn pdf_text(pdf: &std::path::Path, page: u32) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: apt-get install poppler-utils");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn first_page_size(pdf: &std::path::Path) -> String {
    let out = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "1"])
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils) must be installed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with("Page    1 size:"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_flow_prints_its_drawing_on_one_page_of_the_right_size() {
    let root = workspace_root();
    let site = build(&BuildOptions::new(root.join("content"), root.join("site")))
        .unwrap_or_else(|d| panic!("example site does not build: {d:?}"));
    let out = TempDir::new("stappenplan-print");
    site.write_to(out.path()).unwrap();
    let server = StaticServer::start(out.path());
    let rollen = zorgsite::model::rollen::Rollen::parse(
        &zorgsite::diagnostics::Source::read(&root.join("content/data/rollen.toml"), "rollen.toml")
            .unwrap(),
    )
    .unwrap();
    let plans = zorgsite::model::stappenplan::load_all(&root.join("content"), &rollen).unwrap();
    assert!(plans.len() >= 4);
    for (actor, plan) in &plans {
        let view = zorgsite::render::stappenplan::view(plan, &rollen);
        let pdf = out.path().join(format!("{actor}.pdf"));
        let profile = TempDir::new("chromium-profile");
        let status = Command::new(chromium_path())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("{}/stappenplan/{actor}/", server.base_url()))
            .output()
            .unwrap();
        assert!(pdf.is_file(), "{actor}: no PDF: {status:?}");
        let size = first_page_size(&pdf);
        let expected = if view.afdrukformaat == "A3" {
            "(A3)"
        } else {
            "(A4)"
        };
        assert!(
            size.contains(expected),
            "{actor}: first page {size}, expected {expected}"
        );
        let text = pdf_text(&pdf, 1);
        let last = view.stappen.len();
        assert!(
            text.contains(&format!("{last}. ")),
            "{actor}: step {last} of the drawing is not on page 1:\n{text}"
        );
    }
}
