//! Small HTML helpers: escaping and the page frame shared by every survey page.
//!
//! Pages are written by hand rather than with a template engine: they are few, driven by data
//! (items, options, errors), and every piece of user or file text goes through [`esc`]. No inline
//! styles or scripts, so a strict Content-Security-Policy can be added without `unsafe-inline`.

use std::fmt::Write;

/// Escapes text for HTML content and double- or single-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
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

/// Text with blank-line paragraphs and single line breaks, escaped.
pub fn alineas(s: &str) -> String {
    let mut out = String::new();
    for alinea in s.split("\n\n").map(str::trim).filter(|a| !a.is_empty()) {
        let regels: Vec<String> = alinea.lines().map(|r| esc(r.trim())).collect();
        let _ = write!(out, "<p>{}</p>", regels.join("<br>"));
    }
    out
}

/// What every page needs to know about where it lives.
#[derive(Debug, Clone)]
pub struct Opmaak {
    /// The school's name (from `content/config.toml`), shown in the header.
    pub school: String,
    /// Path prefix when the service runs under a sub-path (issue 9); empty at the root.
    pub basis: String,
}

impl Opmaak {
    /// An absolute path under the service's base path.
    pub fn url(&self, pad: &str) -> String {
        format!("{}{pad}", self.basis)
    }

    /// The page frame: `titel` is plain text, `inhoud` is ready HTML.
    pub fn pagina(&self, titel: &str, inhoud: &str) -> String {
        let mut out = String::with_capacity(inhoud.len() + 1500);
        let _ = write!(
            out,
            r##"<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{titel} – {school}</title>
<link rel="stylesheet" href="{css}">
<link rel="stylesheet" href="{enquete_css}">
</head>
<body class="enquete">
<a class="skip-link" href="#inhoud">Ga naar de inhoud</a>
<header class="site-header enquete-kop">
<p class="enquete-school"><a href="{home}">{school}</a></p>
</header>
<main id="inhoud" class="enquete-main">
{inhoud}
</main>
<footer class="site-footer enquete-voet">
<p>Deze bevraging is anoniem. We bewaren geen naam, geen IP-adres en geen datum of uur bij je antwoorden.</p>
</footer>
</body>
</html>
"##,
            titel = esc(titel),
            school = esc(&self.school),
            css = self.url("/static/style.css"),
            enquete_css = self.url("/enquete/enquete.css"),
            home = self.url("/"),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn paragraphs_and_breaks() {
        assert_eq!(alineas("a\nb\n\n<c>"), "<p>a<br>b</p><p>&lt;c&gt;</p>");
    }
}
