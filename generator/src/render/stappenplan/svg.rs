//! The flowchart as an accessible inline SVG.
//!
//! - `role="img"` with a `<title>` and `<desc>` (`aria-labelledby`); the full equivalent is
//!   the text version next to it ([`super::tekst`]).
//! - Real `<text>` with one `<tspan>` per line; every box names its role in text and carries
//!   a badge with the role's initials, so colour is never the only cue.
//! - Text contrast at least 4.5:1, borders and lines at least 3:1 ([`super::colour`]).
//! - `width="100%"` and a `viewBox`, no fixed size, so it scales on screen and on paper.
//! - All ids start with the given prefix, so several flows can share a page.
//! - One element per line and never an empty line, so Markdown keeps it as one HTML block.
//! - Deterministic: the same plan always gives the same bytes.

use std::fmt::Write;

use super::colour::{INK, LINE, WHITE};
use super::diagram::Diagram;
use super::layout::{PlacedNode, Shape};
use super::measure::BADGE_GAP;
use super::tekst::Woorden;
use crate::model::stappenplan::{Soort, Stappenplan};

/// Font stack the text widths are estimated for (wide fonts first; narrower ones fit too).
pub const FONT_FAMILY: &str = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif";

/// Renders `diagram` (made from `plan`) as SVG; `id` prefixes every id in it.
pub fn render(plan: &Stappenplan, diagram: &Diagram, id: &str) -> String {
    render_in(plan, diagram, id, &Woorden::default())
}

/// [`render`] in a language: its description, and for right-to-left scripts `direction="rtl"`
/// with the role line drawn from the right (the layout itself is mirrored by the caller).
pub fn render_in(plan: &Stappenplan, diagram: &Diagram, id: &str, woorden: &Woorden) -> String {
    let layout = &diagram.layout;
    let m = diagram.variant.metrics();
    let rtl = woorden.rtl;
    let mut out = String::with_capacity(4096 + plan.stappen.len() * 1024);
    let line = LINE.hex();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}-tekening\" class=\"stappenplan-svg {}\" role=\"img\" aria-labelledby=\"{id}-titel {id}-desc\" viewBox=\"0 0 {} {}\" width=\"100%\" preserveAspectRatio=\"xMidYMin meet\" font-family=\"{FONT_FAMILY}\" font-size=\"{}\"{}>",
        diagram.variant.class(),
        num(layout.width),
        num(layout.height),
        num(m.font_size),
        if rtl { " direction=\"rtl\"" } else { "" },
    );
    let _ = writeln!(
        out,
        "<title id=\"{id}-titel\">{}</title>",
        escape(&plan.titel)
    );
    let _ = writeln!(
        out,
        "<desc id=\"{id}-desc\">{}</desc>",
        escape(&match &woorden.beschrijving {
            Some(template) => template
                .replace("{stappen}", &plan.stappen.len().to_string())
                .replace(
                    "{start}",
                    plan.stappen.first().map_or("", |s| s.tekst.as_str())
                ),
            None => description(plan),
        })
    );
    let _ = writeln!(
        out,
        "<defs><marker id=\"{id}-pijl\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"{line}\"/></marker></defs>"
    );

    let _ = writeln!(
        out,
        "<g class=\"verbindingen\" fill=\"none\" stroke=\"{line}\" stroke-width=\"2\" stroke-linejoin=\"round\">"
    );
    for edge in &layout.edges {
        let mut d = String::new();
        for (k, p) in edge.points.iter().enumerate() {
            let _ = write!(
                d,
                "{}{},{}",
                if k == 0 { "M" } else { "L" },
                num(p.x),
                num(p.y)
            );
        }
        let _ = writeln!(out, "<path d=\"{d}\" marker-end=\"url(#{id}-pijl)\"/>");
    }
    out.push_str("</g>\n");

    out.push_str("<g class=\"stappen\">\n");
    for (i, (stap, node)) in plan.stappen.iter().zip(&layout.nodes).enumerate() {
        let text = &diagram.texts[i];
        let colours = &diagram.colours[i];
        let _ = writeln!(
            out,
            "<g id=\"{id}-vak-{}\" class=\"stap {}\">",
            i + 1,
            stap.soort.as_str()
        );
        let paint = format!(
            "fill=\"{}\" stroke=\"{}\" stroke-width=\"2\"",
            colours.fill.hex(),
            colours.stroke.hex()
        );
        out.push_str(&shape(node, &paint));
        out.push('\n');
        let c = node.center();
        let top = c.y - text.height / 2.0;
        // Role line: badge with initials, then the role's name, centred as a group.
        let badge_w = m.badge_width(&text.initials);
        // Left to right: badge, then name. Right to left: badge on the right, name before it.
        let (badge_x, name_x) = if rtl {
            let right = c.x + text.header_width(m) / 2.0;
            (right - badge_w, right - badge_w - BADGE_GAP)
        } else {
            let left = c.x - text.header_width(m) / 2.0;
            (left, left + badge_w + BADGE_GAP)
        };
        let mid = top + m.header_height / 2.0 - 1.0;
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\"/>",
            num(badge_x),
            num(mid - m.badge_radius),
            num(badge_w),
            num(2.0 * m.badge_radius),
            num(m.badge_radius),
            colours.badge.hex()
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"bold\" fill=\"{}\">{}</text>",
            num(badge_x + badge_w / 2.0),
            num(mid + m.badge_baseline),
            num(m.badge_font_size),
            WHITE.hex(),
            escape(&text.initials)
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" fill=\"{}\">{}</text>",
            num(name_x),
            num(mid + m.role_baseline),
            num(m.role_font_size),
            INK.hex(),
            escape(&text.role)
        );
        let _ = write!(out, "<text text-anchor=\"middle\" fill=\"{}\">", INK.hex());
        for (k, l) in text.lines.iter().enumerate() {
            let y = top + m.header_height + m.line_baseline + m.line_height * k as f64;
            let _ = write!(
                out,
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                num(c.x),
                num(y),
                escape(l)
            );
        }
        out.push_str("</text>\n</g>\n");
    }
    out.push_str("</g>\n");

    let labels: Vec<_> = layout
        .edges
        .iter()
        .filter_map(|e| e.label.as_ref())
        .collect();
    if !labels.is_empty() {
        let _ = writeln!(
            out,
            "<g class=\"labels\" font-size=\"{}\" font-weight=\"bold\" text-anchor=\"middle\">",
            num(m.label_font_size)
        );
        for label in labels {
            let r = &label.rect;
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>",
                num(r.x),
                num(r.y),
                num(r.width),
                num(r.height),
                WHITE.hex(),
                num(r.x + r.width / 2.0),
                num(r.y + m.label_baseline),
                INK.hex(),
                escape(&label.text)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>");
    out
}

/// The outline of a box as an SVG element (without a line break).
fn shape(node: &PlacedNode, paint: &str) -> String {
    let r = &node.rect;
    match node.shape {
        Shape::Diamond | Shape::Hexagon => {
            let points: Vec<String> = node
                .polygon()
                .iter()
                .map(|p| format!("{},{}", num(p.x), num(p.y)))
                .collect();
            format!("<polygon points=\"{}\" {paint}/>", points.join(" "))
        }
        Shape::Rect | Shape::Rounded => {
            let radius = match node.shape {
                Shape::Rounded => node.corner_radius(),
                _ => 3.0,
            };
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {paint}/>",
                num(r.x),
                num(r.y),
                num(r.width),
                num(r.height),
                num(radius)
            )
        }
    }
}

/// A short spoken summary of the drawing for `<desc>`.
fn description(plan: &Stappenplan) -> String {
    let count = plan.stappen.len();
    let ends = plan
        .stappen
        .iter()
        .filter(|s| s.soort == Soort::Einde)
        .count();
    let questions = plan
        .stappen
        .iter()
        .filter(|s| s.soort == Soort::Beslissing)
        .count();
    let start = plan.stappen.first().map_or("", |s| s.tekst.as_str());
    let mut text = format!("Stroomdiagram met {count} stappen. Het begint zo: {start}");
    if !text.ends_with(['.', '?', '!']) {
        text.push('.');
    }
    if questions > 0 {
        let _ = write!(
            text,
            " Er {} {questions} {} met een keuze.",
            if questions == 1 { "is" } else { "zijn" },
            if questions == 1 { "vraag" } else { "vragen" }
        );
    }
    let _ = write!(
        text,
        " Het stappenplan heeft {ends} {}. Alle stappen staan ook als tekst op deze pagina.",
        if ends == 1 {
            "einde"
        } else {
            "mogelijke einden"
        }
    );
    text
}

/// A coordinate with at most one decimal, without a trailing `.0`.
fn num(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded == 0.0 {
        return "0".to_string();
    }
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// Escapes text for SVG content and attribute values; control characters (a line break in a
/// TOML string) become spaces.
pub(crate) fn escape(text: &str) -> String {
    crate::render::html::escape(&text.replace(char::is_control, " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.01), "0");
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }
}
