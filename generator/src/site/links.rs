//! Internal links (`@/leidraad/x.md#anker`): every one must point at an existing page and
//! heading. Links are found in the Markdown source so errors carry the exact line and column.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Source, closest};
use crate::model::config::Config;
use crate::model::content::{Item, Library};
use crate::render::markdown::Rendered;

/// An `@/` link in a source file: byte range of the target and the target text.
pub fn find_internal(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("@/") {
        let start = from + i;
        let before = text[..start].chars().next_back();
        if matches!(before, Some('(' | '<' | '"' | '\'' | ' ')) {
            let end = text[start..]
                .find(|c: char| matches!(c, ')' | '>' | '"' | '\'') || c.is_whitespace())
                .map_or(text.len(), |e| start + e);
            found.push((start..end, &text[start..end]));
        }
        from = start + 2;
    }
    found
}

pub fn check_internal_links(
    library: &Library,
    rendered: &HashMap<Item, Rendered>,
    config: &Config,
    root: &Path,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let all_files: Vec<&str> = library
        .pages
        .iter()
        .map(|p| p.file.canonical.as_str())
        .chain(library.sections.iter().map(|s| s.file.canonical.as_str()))
        .collect();
    let items = (0..library.pages.len())
        .map(Item::Page)
        .chain((0..library.sections.len()).map(Item::Section));
    for item in items {
        let file = library.file_of(item);
        let body = file.body();
        let links = find_internal(body);
        if links.is_empty() {
            continue;
        }
        let source = Source::new(root.join(&file.relative), file.source.text.clone());
        for (range, link) in links {
            let span = file.body_start + range.start..file.body_start + range.end;
            let target = &link[2..];
            let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
            let found = library
                .get(path, &file.lang)
                .or_else(|| library.get(path, &config.default_language));
            let Some(found) = found else {
                if library.is_draft(path, &file.lang)
                    || library.is_draft(path, &config.default_language)
                {
                    errors.push(
                        source
                            .error_at(
                                span,
                                format!("de link `{link}` wijst naar een klad (draft = true), dat niet gepubliceerd wordt"),
                            )
                            .with_hint(format!(
                                "haal `draft = true` weg in {path} als de pagina klaar is, of verwijder deze link"
                            )),
                    );
                    continue;
                }
                let hint = match closest(path, all_files.iter().copied()) {
                    Some(best) => format!("bedoel je `@/{best}`?"),
                    None => "schrijf het pad vanaf de map content/, bv. @/leidraad/oudergesprek.md"
                        .to_string(),
                };
                errors.push(
                    source
                        .error_at(
                            span,
                            format!("de link `{link}` wijst naar een pagina die niet bestaat"),
                        )
                        .with_hint(hint),
                );
                continue;
            };
            if anchor.is_empty() {
                continue;
            }
            let anchors = rendered
                .get(&found)
                .map(|r| r.anchors.as_slice())
                .unwrap_or_default();
            if !anchors.iter().any(|a| a == anchor) {
                let hint = match closest(anchor, anchors.iter().map(String::as_str)) {
                    Some(best) => format!("bedoel je `#{best}`?"),
                    None if anchors.is_empty() => {
                        format!("`{path}` heeft geen tussentitels; verwijder `#{anchor}`")
                    }
                    None => format!("tussentitels op die pagina: {}", anchors.join(", ")),
                };
                errors.push(
                    source
                        .error_at(
                            span,
                            format!("de tussentitel `#{anchor}` bestaat niet in `{path}`"),
                        )
                        .with_hint(hint),
                );
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markdown_and_html_links() {
        let text = "Zie [x](@/a.md#b), <@/c.md> en <a href=\"@/d.md\">d</a>. Mail naam@/x niet.";
        let links: Vec<&str> = find_internal(text).into_iter().map(|(_, l)| l).collect();
        assert_eq!(links, ["@/a.md#b", "@/c.md", "@/d.md"]);
    }
}
