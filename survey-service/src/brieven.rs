//! Printable letters with an access code: one A5 letter per code, two per A4 sheet, from the
//! theme's `beheer/brieven.html`.
//!
//! A standalone HTML file to open in a browser and print (its small stylesheet is in the
//! template, since the file is opened from disk). Each letter has the short address, the code
//! and a QR code (inline SVG, made here) that opens the simple mode (one question per screen,
//! big buttons: what a phone that scanned a letter suits best; it links to the whole form) with
//! the code filled in, plus one line in each other language of the questionnaire.

use axum::http::StatusCode;
use axum::response::Response;
use qrcode::QrCode;
use qrcode::render::svg;
use zorgsite::diagnostics::Diagnostic;

use crate::domain::code::Code;
use crate::domain::vragenlijst::Vragenlijst;
use crate::web::beheer::pages::{Brief, BriefTaal, BrievenPage};
use crate::web::render::{BEHEER_BRIEVEN, Renderer};

/// The address shown on paper: without `https://`, so it is short to type.
fn kort(url: &str) -> &str {
    url.strip_prefix("https://").unwrap_or(url)
}

/// A QR code as inline SVG, labelled with `label` for screen readers.
fn qr_svg(inhoud: &str, label: &str) -> String {
    match QrCode::new(inhoud.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color>()
            .quiet_zone(true)
            .min_dimensions(160, 160)
            .build()
            .replace(r#"<?xml version="1.0" standalone="yes"?>"#, "")
            .replacen(
                "<svg ",
                &format!(
                    "<svg role=\"img\" aria-label=\"{}\" ",
                    zorgsite::render::html::escape(label)
                ),
                1,
            ),
        Err(_) => String::new(),
    }
}

/// The letters' values. `enquete_url` is the public address of the survey root
/// (e.g. `https://school.be/enquete/`).
fn pagina<'a>(
    r: &Renderer,
    lijst: &'a Vragenlijst,
    enquete_url: &str,
    codes: &[Code],
) -> BrievenPage<'a> {
    let adres = format!("{}/{}", enquete_url.trim_end_matches('/'), lijst.id);
    let label = r.tekst("beheer.brieven.qr_label", &[]);
    BrievenPage {
        titel: lijst.titel.nl(),
        aanspreking: lijst.aanspreking.as_ref().map(|a| a.nl()),
        adres: kort(&adres).to_string(),
        brieven: codes
            .iter()
            .map(|code| {
                let qr_adres = format!("{adres}/eenvoudig?code={}", code.leesbaar());
                Brief {
                    code: code.leesbaar(),
                    qr: qr_svg(&qr_adres, &label),
                    qr_adres,
                }
            })
            .collect(),
        talen: lijst
            .talen
            .iter()
            .filter(|t| **t != r.talen.standaard)
            .map(|code| BriefTaal {
                code: code.clone(),
                richting: r.talen.van(code).richting,
                naam: r.talen.naam(code).to_string(),
            })
            .collect(),
    }
}

/// The letters as an HTML document.
pub fn maak(
    r: &Renderer,
    lijst: &Vragenlijst,
    enquete_url: &str,
    codes: &[Code],
) -> Result<String, Diagnostic> {
    let taal = r.talen.standaard();
    r.render(
        BEHEER_BRIEVEN,
        &taal,
        &[],
        &pagina(r, lijst, enquete_url, codes),
    )
}

/// The letters as a response (the dashboard's download).
pub fn response(r: &Renderer, lijst: &Vragenlijst, enquete_url: &str, codes: &[Code]) -> Response {
    let taal = r.talen.standaard();
    r.html(
        StatusCode::OK,
        BEHEER_BRIEVEN,
        &taal,
        &[],
        &pagina(r, lijst, enquete_url, codes),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_is_inline_svg_with_a_label() {
        let svg = qr_svg(
            "https://school.be/enquete/ouders?code=ABCD-EFGH",
            "QR-code \"naar\" de bevraging",
        );
        assert!(
            svg.starts_with(
                "<svg role=\"img\" aria-label=\"QR-code &quot;naar&quot; de bevraging\" "
            ),
            "{svg:.80}"
        );
        assert!(!svg.contains("<?xml"));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn the_qr_code_opens_the_simple_mode_with_the_code() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../site");
        let mut opts = zorgsite::site::BuildOptions::new(&root, &theme);
        opts.base_url = Some("https://school.be".into());
        let (templates, _) = zorgsite::site::templates_only(&opts).unwrap();
        let r = Renderer::new(templates, String::new(), None).unwrap();
        let lijsten = zorgsite::model::vragenlijst::laad(&root).unwrap();
        let code = Code::parse("ABCD-EFGH").unwrap();
        let p = pagina(
            &r,
            lijsten.get("ouders").unwrap(),
            "https://school.be/enquete/",
            &[code],
        );
        assert_eq!(
            p.brieven[0].qr_adres,
            "https://school.be/enquete/ouders/eenvoudig?code=ABCD-EFGH"
        );
        assert_eq!(p.adres, "school.be/enquete/ouders", "typed: the whole form");
        let talen: Vec<&str> = p.talen.iter().map(|t| t.code.as_str()).collect();
        assert!(!talen.contains(&"nl") && talen.contains(&"ar"), "{talen:?}");
    }
}
