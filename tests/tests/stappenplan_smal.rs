//! The stappenplan on phones (issue 16), in headless Chromium at 360 and 390 px wide: every
//! page of the example site that shows a flow, in every language, fits the screen without
//! scrolling sideways, shows the one-column drawing with every text at 14 CSS px or larger in
//! one frame, keeps the text version below it, draws right to left in Arabic, and shows the
//! layered drawing on a wide screen and on paper (`tests/browser/stappenplan-smal.mjs`).

use e2e::{StaticServer, TempDir, html_pages, run_node_script, workspace_root};
use zorgsite::site::{BuildOptions, build};

#[test]
fn every_stappenplan_page_fits_a_phone_in_every_language() {
    let root = workspace_root();
    let site = build(&BuildOptions::new(root.join("content"), root.join("site")))
        .unwrap_or_else(|d| panic!("example site does not build: {d:?}"));
    let out = TempDir::new("stappenplan-smal");
    site.write_to(out.path()).unwrap();
    let pages: Vec<String> = html_pages(out.path())
        .into_iter()
        .filter(|p| {
            let file = out
                .path()
                .join(p.trim_start_matches('/'))
                .join("index.html");
            std::fs::read_to_string(file)
                .is_ok_and(|html| html.contains("class=\"stappenplan-tekening\""))
        })
        .collect();
    // Four flows in Dutch, the parents' flow in four more languages, Arabic among them.
    assert!(pages.len() >= 8, "{pages:?}");
    assert!(pages.iter().any(|p| p.starts_with("/ar/")), "{pages:?}");

    let server = StaticServer::start(out.path());
    let base = server.base_url();
    let mut args = vec!["--base", base.as_str()];
    args.extend(pages.iter().map(String::as_str));
    let run = run_node_script("stappenplan-smal.mjs", &args);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "stappenplan-smal: {} pagina's, 0 fout",
            pages.len()
        )),
        "{stdout}"
    );
}
