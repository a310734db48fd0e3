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

/// The site's own frame (stylesheet links, header with menu, footer), taken from the built
/// site's `index.html` so survey pages look like the rest of the site. Falls back to a plain
/// frame when there is no site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kader {
    /// `<link rel="stylesheet">` and `<link rel="icon">` elements of the site's head.
    pub links: String,
    /// The `<header>…</header>` element.
    pub header: String,
    /// The `<footer>…</footer>` element.
    pub footer: String,
}

impl Kader {
    /// Extracts the frame from a built page; `None` when it does not have one.
    pub fn uit_pagina(html: &str) -> Option<Kader> {
        let element = |open: &str, sluit: &str| {
            let start = html.find(open)?;
            let einde = html[start..].find(sluit)? + start + sluit.len();
            Some(html[start..einde].to_string())
        };
        let head = element("<head", "</head>")?;
        let links: Vec<&str> = head
            .lines()
            .map(str::trim)
            .filter(|l| {
                l.starts_with("<link ")
                    && (l.contains("rel=\"stylesheet\"") || l.contains("rel=\"icon\""))
            })
            .collect();
        Some(Kader {
            links: links.join("\n"),
            header: element("<header", "</header>")?,
            footer: element("<footer", "</footer>")?,
        })
    }
}

/// What every page needs to know about where it lives.
#[derive(Debug, Clone)]
pub struct Opmaak {
    /// The school's name (from `content/config.toml`), shown in the fallback header.
    pub school: String,
    /// Path prefix when the service runs under a sub-path (issue 9); empty at the root.
    pub basis: String,
    /// The site's frame, when the site was built.
    pub kader: Option<Kader>,
    /// Link to the privacy page (`/privacy/`), when the site has one.
    pub privacy: Option<String>,
}

impl Opmaak {
    /// An absolute path under the service's base path.
    pub fn url(&self, pad: &str) -> String {
        format!("{}{pad}", self.basis)
    }

    /// The page frame: `titel` is plain text, `inhoud` is ready HTML.
    pub fn pagina(&self, titel: &str, inhoud: &str) -> String {
        self.pagina_in(super::taal::van("nl"), titel, inhoud)
    }

    /// [`Opmaak::pagina`] in a language: `lang` and `dir` on `<html>`, the skip link translated.
    pub fn pagina_in(&self, taal: &super::taal::Teksten, titel: &str, inhoud: &str) -> String {
        let (links, header, footer) = match &self.kader {
            Some(k) => (k.links.clone(), k.header.clone(), k.footer.clone()),
            None => (
                String::new(),
                format!(
                    "<header class=\"kop\"><p class=\"enquete-school\"><a href=\"{}\">{}</a></p></header>",
                    self.url("/"),
                    esc(&self.school)
                ),
                format!(
                    "<footer class=\"voet\"><p>{}</p></footer>",
                    esc(&self.school)
                ),
            ),
        };
        let mut out = String::with_capacity(inhoud.len() + 3000);
        let _ = write!(
            out,
            r##"<!doctype html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{titel} – {school}</title>
{links}
<link rel="stylesheet" href="{enquete_css}">
</head>
<body class="enquete">
<a class="skip" href="#inhoud">{skip}</a>
{header}
<main id="inhoud" tabindex="-1" class="enquete-main">
{inhoud}
</main>
{footer}
</body>
</html>
"##,
            titel = esc(titel),
            school = esc(&self.school),
            enquete_css = self.url("/enquete/enquete.css"),
            lang = taal.code,
            dir = taal.dir(),
            skip = esc(taal.skip),
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
    fn frame_is_taken_from_a_site_page() {
        let page = "<html><head>\n<title>x</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n<link rel=\"icon\" href=\"/i.svg\">\n</head><body><header class=\"kop\"><nav>m</nav></header><main>x</main><footer class=\"voet\">v</footer></body></html>";
        let k = Kader::uit_pagina(page).unwrap();
        assert_eq!(
            k.links,
            "<link rel=\"stylesheet\" href=\"/style.css\">\n<link rel=\"icon\" href=\"/i.svg\">"
        );
        assert_eq!(k.header, "<header class=\"kop\"><nav>m</nav></header>");
        assert_eq!(k.footer, "<footer class=\"voet\">v</footer>");
        assert_eq!(Kader::uit_pagina("<p>geen kader</p>"), None);
    }

    #[test]
    fn paragraphs_and_breaks() {
        assert_eq!(alineas("a\nb\n\n<c>"), "<p>a<br>b</p><p>&lt;c&gt;</p>");
    }
}
