//! One render-blocking stylesheet per page: a theme stylesheet may begin with
//! `@import "style.css";` lines naming other stylesheets of the theme, and the build puts their
//! content in place of each line (and of their own imports, in order). On a phone with 400 ms
//! round trips every extra stylesheet a page waits for costs a connection and a request before
//! anything is drawn (issue 16), so `enquete.css` imports `style.css` and a survey page links
//! only `enquete.css`. Authors write it as they would with Sass or any CSS bundler.
//!
//! Only imports of the theme's own files are put in place. An import of a web address or with a
//! media condition is refused with its line: the site's CSP (`style-src 'self'`) blocks other
//! sites' stylesheets, and a condition belongs in an `@media` block in the file itself.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Source};

/// Puts every leading `@import` of a theme stylesheet in place, in `files` (theme-relative
/// path → bytes). `static_dir` is only for the file names in messages.
pub fn bundle(
    files: &mut BTreeMap<String, Vec<u8>>,
    static_dir: &Path,
) -> Result<(), Vec<Diagnostic>> {
    let names: Vec<String> = files
        .keys()
        .filter(|k| k.ends_with(".css"))
        .cloned()
        .collect();
    let mut bundled = BTreeMap::new();
    let mut errors = Vec::new();
    for name in &names {
        match resolve(name, files, static_dir, &mut Vec::new()) {
            Ok(Some(text)) => {
                bundled.insert(name.clone(), text.into_bytes());
            }
            Ok(None) => {}
            // A broken file imported by others fails each of them the same way: say it once.
            Err(e) if !errors.contains(&e) => errors.push(e),
            Err(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    files.extend(bundled);
    Ok(())
}

/// The stylesheet `name` with its imports in place, or `None` when it has none.
fn resolve(
    name: &str,
    files: &BTreeMap<String, Vec<u8>>,
    static_dir: &Path,
    chain: &mut Vec<String>,
) -> Result<Option<String>, Diagnostic> {
    let Some(text) = files.get(name).and_then(|b| std::str::from_utf8(b).ok()) else {
        return Ok(None);
    };
    let source = Source::new(static_dir.join(name), text);
    let imports = leading_imports(&source)?;
    if imports.is_empty() {
        return Ok(None);
    }
    chain.push(name.to_string());
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for import in imports {
        let target = join(name, &import.target);
        if chain.contains(&target) {
            return Err(source
                .error_at(
                    import.span.clone(),
                    format!("`{}` importeert zichzelf via {}", target, chain.join(" → ")),
                )
                .with_hint("haal een van de @import-regels weg"));
        }
        let Some(bytes) = files.get(&target) else {
            let hint = match crate::diagnostics::closest(
                &target,
                files
                    .keys()
                    .filter(|k| k.ends_with(".css"))
                    .map(String::as_str),
            ) {
                Some(best) => format!("bedoel je \"{best}\"?"),
                None => "zet het bestand in site/static/ of haal de regel weg".to_string(),
            };
            return Err(source
                .error_at(
                    import.span.clone(),
                    format!(
                        "@import van `{}`: dat bestand staat niet in het thema",
                        import.target
                    ),
                )
                .with_hint(hint));
        };
        out.push_str(&text[rest..import.span.start]);
        match resolve(&target, files, static_dir, chain)? {
            Some(inner) => out.push_str(&inner),
            None => out.push_str(&String::from_utf8_lossy(bytes)),
        }
        rest = import.span.end;
    }
    out.push_str(&text[rest..]);
    chain.pop();
    Ok(Some(out))
}

struct Import {
    /// The whole rule, `@import` to `;`.
    span: std::ops::Range<usize>,
    target: String,
}

/// The `@import` rules before the first other rule (CSS allows them only there), skipping
/// white space and comments.
fn leading_imports(source: &Source) -> Result<Vec<Import>, Diagnostic> {
    let text = source.text.as_str();
    let mut imports = Vec::new();
    let mut at = 0;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("/*") {
            at += trimmed.find("*/").map_or(trimmed.len(), |e| e + 2);
            continue;
        }
        if !trimmed.starts_with("@import") {
            return Ok(imports);
        }
        let end = at
            + trimmed.find(';').ok_or_else(|| {
                source
                    .error_at(at..at + "@import".len(), "@import zonder `;` aan het einde")
                    .with_hint("schrijf het als @import \"style.css\";")
            })?;
        let span = at..end + 1;
        let body = text[at + "@import".len()..end].trim();
        let target = plain_target(body).ok_or_else(|| {
            source
                .error_at(
                    span.clone(),
                    format!("deze @import kan de bouw niet invoegen: `{body}`"),
                )
                .with_hint(
                    "importeer alleen een bestand van het thema zelf, zonder voorwaarde \
                     (@import \"style.css\";): een stylesheet van een andere site blokkeert de \
                     CSP, en een voorwaarde hoort in een @media-blok in het bestand zelf",
                )
        })?;
        imports.push(Import { span, target });
        at = end + 1;
    }
}

/// `"x.css"`, `'x.css'`, `url(x.css)` or `url("x.css")` naming a theme file; `None` for a web
/// address, an absolute path or anything after the name (a media condition, a layer).
fn plain_target(body: &str) -> Option<String> {
    let inner = match body.strip_prefix("url(") {
        Some(u) => u.strip_suffix(')')?.trim(),
        None => body,
    };
    let name = ['"', '\'']
        .iter()
        .find_map(|q| inner.strip_prefix(*q)?.strip_suffix(*q))
        .or_else(|| (!body.starts_with(['"', '\''])).then_some(inner))?;
    let local = !name.is_empty()
        && !name.contains(['"', '\'', ' ', '(', ')', '?', '#'])
        && !name.contains("://")
        && !name.starts_with('/')
        && name.ends_with(".css");
    local.then(|| name.to_string())
}

/// `target` relative to the folder of `from` (`a/b.css` + `../c.css` → `c.css`).
fn join(from: &str, target: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
        String::from_utf8(files[name].clone()).unwrap()
    }

    #[test]
    fn imports_are_put_in_place_in_order_and_nested() {
        let mut f = files(&[
            ("style.css", "body { color: black; }\n"),
            (
                "enquete.css",
                "/* survey */\n@import \"style.css\";\n.enquete { margin: 0; }\n",
            ),
            (
                "beheer.css",
                "@import url(enquete.css);\n@import url('extra/x.css');\n.beheer {}\n",
            ),
            ("extra/x.css", "@import '../style.css';\n.x {}\n"),
            ("poster.css", ".poster {}\n"),
        ]);
        bundle(&mut f, Path::new("site/static")).unwrap();
        assert_eq!(
            text(&f, "enquete.css"),
            "/* survey */\nbody { color: black; }\n\n.enquete { margin: 0; }\n"
        );
        assert_eq!(
            text(&f, "beheer.css"),
            "/* survey */\nbody { color: black; }\n\n.enquete { margin: 0; }\n\nbody { color: black; }\n\n.x {}\n\n.beheer {}\n"
        );
        assert_eq!(text(&f, "poster.css"), ".poster {}\n");
        assert_eq!(text(&f, "style.css"), "body { color: black; }\n");
    }

    #[test]
    fn only_leading_imports_count() {
        let mut f = files(&[
            ("style.css", "a {}\n"),
            ("b.css", "b {}\n/* @import \"style.css\"; */\n"),
        ]);
        let voor = f.clone();
        bundle(&mut f, Path::new("site/static")).unwrap();
        assert_eq!(f, voor);
    }

    #[test]
    fn a_broken_import_shared_by_several_stylesheets_is_reported_once() {
        let mut f = files(&[
            ("a.css", "@import \"weg.css\";\n"),
            ("b.css", "@import \"a.css\";\n"),
            ("m.css", "@import \"ook-weg.css\";\n"),
            ("z.css", "@import \"a.css\";\n"),
        ]);
        let fouten = bundle(&mut f, Path::new("site/static")).unwrap_err();
        // a.css's error (through a, b and z) and m.css's own, each once.
        assert_eq!(fouten.len(), 2, "{fouten:?}");
        assert!(format!("{}", fouten[0]).contains("a.css:1:1"), "{fouten:?}");
        assert!(format!("{}", fouten[1]).contains("m.css:1:1"), "{fouten:?}");
    }

    #[test]
    fn unknown_remote_conditional_and_circular_imports_are_located_errors() {
        let cases = [
            (
                "@import \"stijl.css\";\n",
                "enquete.css:1:1",
                "bedoel je \"style.css\"?",
            ),
            (
                "\n@import url(https://example.org/a.css);\n",
                "enquete.css:2:1",
                "CSP",
            ),
            (
                "@import \"style.css\" print;\n",
                "enquete.css:1:1",
                "@media",
            ),
            (
                "@import \"enquete.css\";\n",
                "enquete.css:1:1",
                "importeert zichzelf",
            ),
            ("@import \"style.css\"\n", "enquete.css:1:1", "zonder `;`"),
        ];
        for (css, plaats, woorden) in cases {
            let mut f = files(&[("style.css", "a {}\n"), ("enquete.css", css)]);
            let fouten = bundle(&mut f, Path::new("site/static")).unwrap_err();
            let tekst = fouten
                .iter()
                .map(|d| format!("{d}"))
                .collect::<Vec<_>>()
                .join("\n");
            assert!(tekst.contains(plaats), "{css:?}: {tekst}");
            assert!(tekst.contains(woorden), "{css:?}: {tekst}");
        }
    }
}
