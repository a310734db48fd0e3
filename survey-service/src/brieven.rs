//! Printable letters with an access code: one A5 letter per code, two per A4 sheet, from the
//! theme's `beheer/brieven.html`.
//!
//! A standalone HTML file to open in a browser and print (its small stylesheet is in the
//! template, since the file is opened from disk). Each letter has the short address, the code
//! and a QR code (inline SVG, made here) that opens the form with the code filled in.

use axum::http::StatusCode;
use axum::response::Response;
use qrcode::QrCode;
use qrcode::render::svg;
use zorgsite::diagnostics::Diagnostic;

use crate::domain::code::Code;
use crate::domain::vragenlijst::Vragenlijst;
use crate::web::beheer::pages::{Brief, BrievenPage};
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
            .map(|code| Brief {
                code: code.leesbaar(),
                qr: qr_svg(&format!("{adres}?code={}", code.leesbaar()), &label),
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
}
