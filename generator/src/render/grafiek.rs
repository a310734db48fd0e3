//! Accessible inline SVG charts for survey results, shared by the public results page and the
//! survey service's dashboard.
//!
//! No `style` attributes, no `<style>`, no scripts (a strict Content-Security-Policy applies):
//! colours come from CSS classes in `site/static/style.css` (`g-balk`, `g-w0` … `g-w5`, …).
//! Every chart has `role="img"` with a title and description, and the page shows the same
//! numbers as text next to it; meaning never depends on colour alone. The title and description
//! are either inside the SVG ([`Naam::Binnen`], for the dashboard) or elements of the page with
//! the ids `<id>-t` and `<id>-d` ([`Naam::Buiten`], so the public page's wording stays in the
//! theme's template).
//!
//! A bar may carry its 95 % interval ([`Balk::band`]): a translucent band from the low to the
//! high end (`g-band`) with a short vertical mark at each end (`g-band-rand`, dark on a light
//! halo `g-band-halo`), so the band is visible on the dark bar, on the light track and in print.

use crate::render::stappenplan::svg::escape;

/// The text shown instead of a hidden result.
pub const TE_WEINIG: &str = "te weinig antwoorden om te tonen";

/// One bar of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Balk {
    /// Shown left of the bar (e.g. the period).
    pub label: String,
    /// Length as a share 0..=1; `None` for a hidden result.
    pub waarde: Option<f64>,
    /// Shown right of the bar (e.g. "85 %").
    pub tekst: String,
    /// The 95 % interval of `waarde` as `(laag, hoog)` shares, drawn as a band over the bar's
    /// end (darker band with a mark at each end), or `None`.
    pub band: Option<(f64, f64)>,
}

/// One part of a stacked distribution bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Deel {
    pub aantal: u64,
    /// CSS class for the colour (e.g. `g-w5`).
    pub klasse: String,
}

/// One row of a distribution chart: a label and its parts, or `None` when hidden.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdeling {
    pub label: String,
    pub delen: Option<Vec<Deel>>,
}

const BREED: f64 = 640.0;
const LABEL: f64 = 120.0;
const STAAF: f64 = 400.0;
const RIJ: f64 = 30.0;
const HOOG: f64 = 20.0;

/// Where a chart's accessible name and description come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naam<'a> {
    /// `<title>` and `<desc>` inside the SVG.
    Binnen {
        titel: &'a str,
        beschrijving: &'a str,
    },
    /// Elements of the page with the ids `<id>-t` (name) and `<id>-d` (description).
    Buiten,
}

fn kop(id: &str, naam: Naam, hoogte: f64) -> String {
    let mut s = format!(
        "<svg class=\"grafiek\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {BREED} {hoogte}\" \
         width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    if let Naam::Binnen {
        titel,
        beschrijving,
    } = naam
    {
        s.push_str(&format!(
            "<title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
            escape(titel),
            escape(beschrijving)
        ));
    }
    s
}

fn label(y: f64, tekst: &str) -> String {
    format!(
        "<text class=\"g-label\" x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        LABEL - 8.0,
        y + HOOG * 0.72,
        escape(tekst)
    )
}

fn verborgen(y: f64, tekst: &str) -> String {
    format!(
        "<text class=\"g-verborgen\" x=\"{LABEL:.0}\" y=\"{:.1}\">{}</text>",
        y + HOOG * 0.72,
        escape(tekst)
    )
}

/// A horizontal bar chart (e.g. the share agreeing per period). `id` must be unique on the page.
pub fn staven(id: &str, titel: &str, beschrijving: &str, balken: &[Balk]) -> String {
    staven_met(
        id,
        Naam::Binnen {
            titel,
            beschrijving,
        },
        balken,
    )
}

/// [`staven`] with the name and description from where `naam` says. A bar without a value
/// shows its `tekst` in grey, or [`TE_WEINIG`] when that is empty.
pub fn staven_met(id: &str, naam: Naam, balken: &[Balk]) -> String {
    let hoogte = RIJ * balken.len() as f64 + 6.0;
    let mut svg = kop(id, naam, hoogte);
    for (i, b) in balken.iter().enumerate() {
        let y = 3.0 + RIJ * i as f64;
        svg.push_str(&label(y, &b.label));
        match b.waarde {
            Some(w) => {
                let lengte = (w.clamp(0.0, 1.0) * STAAF).max(1.0);
                svg.push_str(&format!(
                    "<rect class=\"g-spoor\" x=\"{LABEL:.0}\" y=\"{y:.1}\" width=\"{STAAF:.0}\" height=\"{HOOG:.0}\"/>\
                     <rect class=\"g-balk\" x=\"{LABEL:.0}\" y=\"{y:.1}\" width=\"{lengte:.1}\" height=\"{HOOG:.0}\"/>"
                ));
                if let Some(band) = b.band {
                    svg.push_str(&band_svg(y, band));
                }
                svg.push_str(&format!(
                    "<text class=\"g-waarde\" x=\"{:.0}\" y=\"{:.1}\">{}</text>",
                    LABEL + STAAF + 8.0,
                    y + HOOG * 0.72,
                    escape(&b.tekst)
                ));
            }
            None if b.tekst.is_empty() => svg.push_str(&verborgen(y, TE_WEINIG)),
            None => svg.push_str(&verborgen(y, &b.tekst)),
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The interval band of one bar: from `laag` to `hoog` (shares), a little taller than the bar.
fn band_svg(y: f64, (laag, hoog): (f64, f64)) -> String {
    let (laag, hoog) = (laag.clamp(0.0, 1.0), hoog.clamp(0.0, 1.0));
    let (x1, x2) = (LABEL + laag * STAAF, LABEL + hoog.max(laag) * STAAF);
    let (boven, onder) = (y - 3.0, y + HOOG + 3.0);
    format!(
        "<rect class=\"g-band\" x=\"{x1:.1}\" y=\"{boven:.1}\" width=\"{:.1}\" height=\"{:.0}\"/>\
         <path class=\"g-band-halo\" d=\"M{x1:.1} {boven:.1}V{onder:.1}M{x2:.1} {boven:.1}V{onder:.1}\"/>\
         <path class=\"g-band-rand\" d=\"M{x1:.1} {boven:.1}V{onder:.1}M{x2:.1} {boven:.1}V{onder:.1}\"/>",
        x2 - x1,
        onder - boven
    )
}

/// Stacked 100 % bars, one per row (e.g. the answers per period).
pub fn verdeling(id: &str, titel: &str, beschrijving: &str, rijen: &[Verdeling]) -> String {
    verdeling_met(
        id,
        Naam::Binnen {
            titel,
            beschrijving,
        },
        rijen,
    )
}

/// [`verdeling`] with the name and description from where `naam` says.
pub fn verdeling_met(id: &str, naam: Naam, rijen: &[Verdeling]) -> String {
    let hoogte = RIJ * rijen.len() as f64 + 6.0;
    let mut svg = kop(id, naam, hoogte);
    for (i, r) in rijen.iter().enumerate() {
        let y = 3.0 + RIJ * i as f64;
        svg.push_str(&label(y, &r.label));
        let Some(delen) = r.delen.as_ref().filter(|d| d.iter().any(|d| d.aantal > 0)) else {
            svg.push_str(&verborgen(y, TE_WEINIG));
            continue;
        };
        let totaal: u64 = delen.iter().map(|d| d.aantal).sum();
        let mut x = LABEL;
        for d in delen.iter().filter(|d| d.aantal > 0) {
            let w = STAAF * d.aantal as f64 / totaal as f64;
            svg.push_str(&format!(
                "<rect class=\"{}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{HOOG:.0}\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                escape(&d.klasse)
            ));
            x += w;
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A number with a decimal comma ("4,2").
pub fn komma(x: f64, decimalen: usize) -> String {
    format!("{x:.decimalen$}").replace('.', ",")
}

/// A share as a Dutch percentage ("85 %").
pub fn procent(x: f64) -> String {
    format!("{:.0} %", (x * 100.0).round())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_accessible_and_have_no_inline_styles() {
        let svg = staven(
            "x",
            "Akkoord <per> jaar",
            "Het aandeel",
            &[
                Balk {
                    label: "2024-2025".into(),
                    waarde: Some(0.85),
                    tekst: "85 %".into(),
                    band: Some((0.75, 0.95)),
                },
                Balk {
                    label: "2025-2026".into(),
                    waarde: None,
                    tekst: String::new(),
                    band: None,
                },
            ],
        );
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"x-t x-d\""));
        assert!(svg.contains("Akkoord &lt;per&gt; jaar"));
        assert!(svg.contains("width=\"340.0\""), "{svg}");
        assert!(svg.contains(TE_WEINIG));
        assert!(!svg.contains("style"));
        // The band runs from 75 % to 95 % of the 400-wide bar: x 420 to 500, 80 wide.
        assert!(
            svg.contains(
                "<rect class=\"g-band\" x=\"420.0\" y=\"0.0\" width=\"80.0\" height=\"26\"/>"
            ),
            "{svg}"
        );
        assert!(
            svg.contains("<path class=\"g-band-rand\" d=\"M420.0 0.0V26.0M500.0 0.0V26.0\"/>"),
            "a mark at each end: {svg}"
        );
    }

    #[test]
    fn a_chart_can_be_named_by_the_page() {
        let svg = staven_met(
            "g-x",
            Naam::Buiten,
            &[Balk {
                label: "p".into(),
                waarde: None,
                tekst: "–".into(),
                band: None,
            }],
        );
        assert!(svg.contains("aria-labelledby=\"g-x-t g-x-d\""));
        assert!(!svg.contains("<title") && !svg.contains("<desc"));
        assert!(svg.contains(">–</text>") && !svg.contains(TE_WEINIG));
    }

    #[test]
    fn distribution_widths_add_up() {
        let svg = verdeling(
            "v",
            "t",
            "d",
            &[Verdeling {
                label: "p".into(),
                delen: Some(vec![
                    Deel {
                        aantal: 1,
                        klasse: "g-w1".into(),
                    },
                    Deel {
                        aantal: 3,
                        klasse: "g-w5".into(),
                    },
                ]),
            }],
        );
        assert!(svg.contains("width=\"100.0\"") && svg.contains("width=\"300.0\""));
        assert_eq!(komma(4.25, 1), "4,2");
        assert_eq!(procent(0.846), "85 %");
    }
}
