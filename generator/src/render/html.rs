//! The generator's one HTML escaper, for text in HTML or SVG content and in double- or
//! single-quoted attribute values. (Templates escape with Tera's autoescape; this is for the
//! little HTML and SVG written in Rust.)

/// Escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_both_quotes_are_escaped() {
        assert_eq!(
            super::escape("<a href=\"x\">'t & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;t &amp; co&lt;/a&gt;"
        );
    }
}
