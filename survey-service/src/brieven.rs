//! Printable letters with an access code: one A5 letter per code, two per A4 sheet.
//!
//! A standalone HTML file to open in a browser and print; it is never served, so its small
//! stylesheet is inline. Each letter has the short address, the code and a QR code (inline SVG)
//! that opens the form with the code filled in.

use std::fmt::Write;

use qrcode::QrCode;
use qrcode::render::svg;

use crate::domain::code::Code;
use crate::domain::vragenlijst::Vragenlijst;
use crate::web::html::esc;

const STIJL: &str = r#"
@page { size: A4 portrait; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Liberation Sans", Arial, sans-serif; font-size: 12pt; line-height: 1.45; color: #000; }
.brief { height: 148.5mm; padding: 14mm 18mm; border-bottom: 1px dashed #888; break-inside: avoid; display: flex; gap: 10mm; }
.brief:nth-of-type(2n) { border-bottom: 0; break-after: page; }
.tekst { flex: 1; }
h1 { font-size: 15pt; margin: 0 0 3mm; }
.school { font-weight: bold; margin: 0 0 4mm; }
.code { font-family: "Liberation Mono", monospace; font-size: 20pt; font-weight: bold; letter-spacing: 1mm; border: 2px solid #000; padding: 1mm 4mm; display: inline-block; }
.adres { font-weight: bold; word-break: break-all; }
.qr { width: 42mm; flex: none; text-align: center; font-size: 9pt; }
.qr svg { width: 42mm; height: 42mm; }
ol { padding-left: 6mm; }
small { display: block; margin-top: 3mm; }
"#;

/// The address shown on paper: without `https://`, so it is short to type.
fn kort(url: &str) -> &str {
    url.strip_prefix("https://").unwrap_or(url)
}

fn qr_svg(inhoud: &str) -> String {
    match QrCode::new(inhoud.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color>()
            .quiet_zone(true)
            .min_dimensions(160, 160)
            .build()
            .replace(r#"<?xml version="1.0" standalone="yes"?>"#, "")
            .replacen(
                "<svg ",
                r#"<svg role="img" aria-label="QR-code naar de bevraging" "#,
                1,
            ),
        Err(_) => String::new(),
    }
}

/// The letters page. `enquete_url` is the public address of the survey root
/// (e.g. `https://school.be/enquete/`).
pub fn maak(school: &str, lijst: &Vragenlijst, enquete_url: &str, codes: &[Code]) -> String {
    let adres = format!("{}/{}", enquete_url.trim_end_matches('/'), lijst.id);
    let mut out = String::with_capacity(codes.len() * 8000 + 2000);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>Brieven met code – {}</title>\n<style>{STIJL}</style>\n</head>\n<body>\n",
        esc(lijst.titel.nl())
    );
    let aanspreking = lijst.aanspreking.as_ref().map_or("Hallo,", |a| a.nl());
    for code in codes {
        let link = format!("{adres}?code={}", code.leesbaar());
        let _ = write!(
            out,
            r#"<section class="brief">
<div class="tekst">
<p class="school">{school}</p>
<h1>{titel}</h1>
<p>{aanspreking}</p>
<p>We willen graag weten wat je vindt. Het invullen duurt ongeveer 5 minuten.</p>
<ol>
<li>Scan de QR-code met de camera van je gsm,<br>of surf naar <span class="adres">{adres_kort}</span></li>
<li>Vul je code in: <span class="code">{code}</span></li>
</ol>
<small>Je code werkt één keer. We vragen geen naam en we kunnen niet zien welke antwoorden bij welke code horen. Liever op papier of in een gesprek? Vraag het op school.</small>
</div>
<div class="qr">{qr}<br>Scan mij</div>
</section>
"#,
            school = esc(school),
            titel = esc(lijst.titel.nl()),
            aanspreking = esc(aanspreking),
            adres_kort = esc(kort(&adres)),
            code = esc(&code.leesbaar()),
            qr = qr_svg(&link),
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_is_inline_svg_with_a_label() {
        let svg = qr_svg("https://school.be/enquete/ouders?code=ABCD-EFGH");
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label="),
            "{svg:.80}"
        );
        assert!(!svg.contains("<?xml"));
        assert!(svg.ends_with("</svg>"));
    }
}
