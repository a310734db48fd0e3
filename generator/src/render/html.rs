//! The generator's one HTML escaper, for text in HTML or SVG content and in double- or
//! single-quoted attribute values. (Templates escape with Tera's autoescape; this is for the
//! little HTML and SVG written in Rust.)

/// Escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 8);
    // Writing into a Vec cannot fail.
    let _ = escape_into(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`escape`] into a writer, a run of plain text at a time: Tera's escape function for every
/// template (`render::templates`), so templates and Rust-made HTML escape the same way.
pub fn escape_into(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut plain = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[plain..i])?;
        out.write_all(entity)?;
        plain = i + 1;
    }
    out.write_all(&bytes[plain..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_both_quotes_are_escaped() {
        assert_eq!(
            super::escape("<a href=\"x\">'t & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;t &amp; co&lt;/a&gt;"
        );
        assert_eq!(super::escape("één & twee"), "één &amp; twee");
        assert_eq!(super::escape(""), "");
    }
}
