//! Icons inside the page (issue 16): the theme's small SVG files travel in the HTML, so a
//! page's icons cost no request at all. On a slow phone every request that finishes before the
//! largest paint is on that paint's path (Lighthouse measured the header logo and the favicon
//! as 0.4 s of the home page's largest paint, and the poster's images, even as `data:` URLs,
//! as 0.4 s of the poster's).
//!
//! - `inline_svg(path='icons/zorg.svg', width=32, height=32, class='…')` puts the file's
//!   `<svg>` element in the page ([`element`]), decorative: `aria-hidden="true"`.
//! - `get_url(path='icons/favicon.svg', inline=true)` gives it as a `data:` URL ([`data_url`]),
//!   for where only a URL fits (the favicon). The CSP allows `img-src data:`.
//!
//! Only SVG files of at most [`INLINE_MAX`] bytes (icons, not drawings); anything else stays a
//! file with its hashed name. Scripts and stylesheets never go inline (the CSP forbids it).

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::html::escape;

/// The largest SVG that goes into a page (bytes).
pub const INLINE_MAX: usize = 2048;

/// A theme file as SVG text to put in pages, or `None` when it is no SVG, not UTF-8 or larger
/// than [`INLINE_MAX`]. Line breaks and indentation are dropped; nothing else changes.
pub fn svg_text(key: &str, bytes: &[u8]) -> Option<String> {
    let svg = key
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("svg"));
    if !svg || bytes.len() > INLINE_MAX {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    Some(lines.join(" "))
}

/// What a `data:` URL in an HTML attribute must not carry as is: everything HTML would escape
/// (so Tera's autoescaping leaves the URL alone, in single or double quotes) and what a URL
/// reserves.
const DATA_URL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

/// `svg` as a `data:image/svg+xml,` URL.
pub fn data_url(svg: &str) -> String {
    format!("data:image/svg+xml,{}", utf8_percent_encode(svg, DATA_URL))
}

/// The `<svg>` element of `svg` (anything before it, such as an XML declaration, dropped),
/// with `attributes` set on it in place of the file's own of those names, and marked
/// decorative (`aria-hidden="true" focusable="false"`, like `<img alt="">`). Values are
/// escaped for HTML. `None` when `svg` has no `<svg …>` start tag.
pub fn element(svg: &str, attributes: &[(&str, &str)]) -> Option<String> {
    let begin = svg.find("<svg")?;
    let rest = &svg[begin + "<svg".len()..];
    let einde = rest.find('>')?;
    let (tag, inhoud) = (&rest[..einde], &rest[einde..]);
    let zelf: Vec<&str> = attributes.iter().map(|(n, _)| *n).collect();
    let mut uit = String::with_capacity(svg.len() + 64);
    uit.push_str("<svg");
    for (naam, waarde) in attributes
        .iter()
        .copied()
        .chain([("aria-hidden", "true"), ("focusable", "false")])
    {
        uit.push_str(&format!(" {naam}=\"{}\"", escape(waarde)));
    }
    for (naam, ruw) in attributen(tag)? {
        if !zelf.contains(&naam) && naam != "aria-hidden" && naam != "focusable" {
            uit.push(' ');
            uit.push_str(ruw);
        }
    }
    if tag.trim_end().ends_with('/') {
        uit.push('/');
    }
    uit.push_str(inhoud);
    Some(uit)
}

/// The attributes of a start tag's inside, as (name, the whole `name="value"` text). `None`
/// on an attribute without a quoted value (not what an icon file holds).
fn attributen(tag: &str) -> Option<Vec<(&str, &str)>> {
    let mut uit = Vec::new();
    let mut rest = tag.trim_start();
    while !rest.is_empty() && rest != "/" {
        let is = rest.find('=')?;
        let naam = rest[..is].trim();
        let waarde = rest[is + 1..].trim_start();
        let quote = waarde.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let sluit = waarde[1..].find(quote)? + 2;
        let begin = tag.len() - rest.len();
        let eind = tag.len() - waarde.len() + sluit;
        uit.push((naam, &tag[begin..eind]));
        rest = tag[eind..].trim_start();
    }
    Some(uit)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIJN: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"\n  \
                        width=\"48\" height='48'>\n  <path d='M0 0h4' stroke=\"#0d3b4b\"/>\n</svg>\n";

    #[test]
    fn a_small_svg_is_kept_as_one_line_and_anything_else_stays_a_file() {
        assert_eq!(
            svg_text("icons/lijn.svg", LIJN.as_bytes()).unwrap(),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\" width=\"48\" \
             height='48'> <path d='M0 0h4' stroke=\"#0d3b4b\"/> </svg>"
        );
        assert_eq!(svg_text("style.css", b"a{}"), None);
        let groot = format!("<svg>{}</svg>", " ".repeat(INLINE_MAX));
        assert_eq!(svg_text("icons/groot.svg", groot.as_bytes()), None);
        assert_eq!(svg_text("icons/kapot.svg", b"<svg>\xff</svg>"), None);
    }

    #[test]
    fn a_data_url_is_left_alone_by_html_and_decodes_to_the_svg() {
        let svg = svg_text("icons/lijn.svg", LIJN.as_bytes()).unwrap();
        let url = data_url(&svg);
        let data = url.strip_prefix("data:image/svg+xml,").unwrap();
        // Nothing Tera would escape, nothing a URL reserves, no white space.
        assert!(
            !data.contains(['"', '\'', '<', '>', '&', '#', ' ', '\n']),
            "{data}"
        );
        let decoded = percent_encoding::percent_decode_str(data)
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, svg);
    }

    #[test]
    fn the_element_gets_the_pages_size_and_class_in_place_of_the_files_own() {
        let svg = svg_text("icons/lijn.svg", LIJN.as_bytes()).unwrap();
        let el = element(
            &format!("<?xml version=\"1.0\"?>{svg}"),
            &[("width", "20"), ("height", "20"), ("class", "a \"b\"")],
        )
        .unwrap();
        assert_eq!(
            el,
            "<svg width=\"20\" height=\"20\" class=\"a &quot;b&quot;\" aria-hidden=\"true\" \
             focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"> \
             <path d='M0 0h4' stroke=\"#0d3b4b\"/> </svg>"
        );
        // An attribute the page does not set stays; a self-closing element stays one.
        assert_eq!(
            element("<svg viewBox='0 0 1 1' aria-hidden=\"false\"/>", &[]).unwrap(),
            "<svg aria-hidden=\"true\" focusable=\"false\" viewBox='0 0 1 1'/>"
        );
        assert_eq!(element("<g/>", &[]), None);
        assert_eq!(element("<svg width=48>", &[]), None, "unquoted value");
    }
}
