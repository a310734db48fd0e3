//! Right to left in headless Chromium: screenshots of the Arabic poster, parent flowchart and
//! parent survey beside the Dutch ones (served by the survey service, which serves the site too),
//! checked to be mirrored by element positions (`tests/browser/spiegel.mjs`). The PNGs go to a
//! temporary folder; set `SPIEGEL_SCREENSHOTS=<dir>` to keep them for a look.

mod enquete_common;

use enquete_common::{Dienst, Opties};

#[test]
fn arabic_poster_flowchart_and_survey_are_mirrored() {
    let d = Dienst::start_met(Opties {
        open: vec![("ouders", "2025-2026")],
        ..Opties::default()
    });
    let tmp = e2e::TempDir::new("spiegel");
    let dir = std::env::var("SPIEGEL_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let base = format!("http://{}", d.adres);
    let script = enquete_common::browser_script("spiegel.mjs");
    let out = e2e::run_node_script(
        &script,
        &["--base", &base, "--shots", dir.to_str().unwrap()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("spiegel: 0 fout"), "{stdout}");
    for name in ["stappenplan", "poster", "enquete"] {
        for taal in ["nl", "ar"] {
            let png = dir.join(format!("{name}-{taal}.png"));
            let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
            assert!(
                bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
                "{}",
                png.display()
            );
        }
    }
}
