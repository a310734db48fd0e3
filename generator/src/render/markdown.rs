//! Markdown to HTML with comrak: heading anchors, `@/` internal links, glossary explanations on
//! first use, and the facts the checker needs (images without alt text, prose for plain-language
//! checks).

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{Ast, AstNode, NodeValue, Sourcepos};
use comrak::{Arena, Options, options::Plugins};
use serde::Serialize;

use crate::model::woordenlijst::Woordenlijst;
use crate::render::glossary::Matcher;
use crate::slug::slugify;

/// What the Markdown renderer needs from the rest of the site.
pub struct MarkdownContext<'a> {
    /// Turns `@/leidraad/x.md#anker` into a URL; `None` when it does not resolve (the link
    /// checker reports it with the exact position in the source).
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Glossary terms, their explanations and the glossary page's URL.
    pub glossary: Option<(&'a Matcher, &'a Woordenlijst, &'a str)>,
    pub smart_punctuation: bool,
    /// Collect sentences and headings for the plain-language checks.
    pub collect_prose: bool,
    /// The page's own permalink, for table-of-contents links.
    pub permalink: &'a str,
}

/// A heading in a page, for the table of contents and anchor checks.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub permalink: String,
    pub children: Vec<Heading>,
}

/// A paragraph-like block of text and the body line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Prose {
    pub line: usize,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The part before `<!-- more -->`, if the page has one.
    pub summary: Option<String>,
    pub toc: Vec<Heading>,
    /// Every heading id on the page, for anchor checks.
    pub anchors: Vec<String>,
    pub word_count: usize,
    /// Body lines of images that have no alt text.
    pub images_without_alt: Vec<usize>,
    pub prose: Vec<Prose>,
    pub headings: Vec<Prose>,
    /// Glossary terms explained on this page (indices into the woordenlijst).
    pub terms_explained: Vec<usize>,
}

pub fn render(body: &str, ctx: &MarkdownContext<'_>) -> Rendered {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.footnotes = true;
    options.parse.smart = ctx.smart_punctuation;
    options.render.r#unsafe = true;

    let arena = Arena::new();
    let root = comrak::parse_document(&arena, body, &options);
    let mut rendered = Rendered::default();

    let mut heading_ids = Vec::new();
    let mut used_ids = std::collections::HashSet::new();
    let mut explained = ctx
        .glossary
        .map(|(_, lijst, _)| vec![false; lijst.termen.len()])
        .unwrap_or_default();

    let nodes: Vec<_> = root.descendants().collect();
    for node in nodes {
        let line = node.data().sourcepos.start.line;
        let value = node.data().value.clone();
        match value {
            NodeValue::Heading(heading) => {
                let title = collect_text(node);
                let mut id = slugify(&title);
                if id.is_empty() {
                    id = "kop".to_string();
                }
                let base = id.clone();
                let mut n = 1;
                while !used_ids.insert(id.clone()) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                rendered.anchors.push(id.clone());
                heading_ids.push(id.clone());
                push_toc(
                    &mut rendered.toc,
                    Heading {
                        level: heading.level,
                        permalink: format!("{}#{id}", ctx.permalink),
                        id,
                        title: title.clone(),
                        children: Vec::new(),
                    },
                );
                if ctx.collect_prose {
                    rendered.headings.push(Prose { line, text: title });
                }
            }
            NodeValue::Link(link)
                if link.url.starts_with("@/")
                    || link.url.starts_with(crate::model::config::ENQUETE_LINK) =>
            {
                let url = (ctx.resolve)(&link.url).unwrap_or_else(|| "#".to_string());
                if let NodeValue::Link(link) = &mut node.data_mut().value {
                    link.url = url;
                }
            }
            NodeValue::Image(_) if collect_text(node).trim().is_empty() => {
                rendered.images_without_alt.push(line);
            }
            NodeValue::Text(text) => {
                rendered.word_count += text.split_whitespace().count();
                if let Some((matcher, lijst, page)) = ctx.glossary
                    && !inside_excluded(node)
                {
                    link_terms(&arena, node, &text, matcher, lijst, page, &mut explained);
                }
            }
            NodeValue::Paragraph | NodeValue::TableCell if ctx.collect_prose => {
                let text = collect_text(node);
                if !text.trim().is_empty() {
                    rendered.prose.push(Prose { line, text });
                }
            }
            _ => {}
        }
    }
    rendered.terms_explained = explained
        .iter()
        .enumerate()
        .filter(|(_, e)| **e)
        .map(|(i, _)| i)
        .collect();

    let adapter = HeadingIds {
        ids: Mutex::new(heading_ids.into()),
    };
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&adapter);
    let mut html = String::new();
    comrak::format_html_with_plugins(root, &options, &mut html, &plugins)
        .expect("writing to a String cannot fail");
    rendered.summary = html
        .find("<!-- more -->")
        .map(|i| html[..i].trim_end().to_string());
    rendered.html = html;
    rendered
}

/// Plain text of a node and its descendants (soft breaks as spaces).
fn collect_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    for d in node.descendants() {
        match &d.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Glossary links go in running text only: not in headings, links, code or raw HTML.
fn inside_excluded<'a>(node: &'a AstNode<'a>) -> bool {
    node.ancestors().skip(1).any(|a| {
        matches!(
            a.data().value,
            NodeValue::Heading(_)
                | NodeValue::Link(_)
                | NodeValue::Image(_)
                | NodeValue::Code(_)
                | NodeValue::CodeBlock(_)
                | NodeValue::HtmlBlock(_)
        )
    })
}

/// Splits a text node around the first use of each not-yet-explained term and wraps the term
/// in a link to its explanation.
fn link_terms<'a>(
    arena: &'a Arena<'a>,
    node: &'a AstNode<'a>,
    text: &str,
    matcher: &Matcher,
    lijst: &Woordenlijst,
    glossary_page: &str,
    explained: &mut [bool],
) {
    let Some(found) = matcher.first(text, explained) else {
        return;
    };
    explained[found.term] = true;
    let term = &lijst.termen[found.term];
    let position = node.data().sourcepos;
    let new_node = |value: NodeValue| -> &'a AstNode<'a> {
        arena.alloc(AstNode::from(Ast::new_with_sourcepos(value, position)))
    };
    let open = format!(
        "<a class=\"term\" href=\"{glossary_page}#{}\" title=\"{}\">",
        term.anchor(),
        crate::render::html::escape(&term.uitleg)
    );
    let before = &text[..found.start];
    let word = &text[found.start..found.end];
    let after = &text[found.end..];
    if let NodeValue::Text(t) = &mut node.data_mut().value {
        *t = before.to_string().into();
    }
    let pieces = [
        new_node(NodeValue::HtmlInline(open)),
        new_node(NodeValue::Text(word.to_string().into())),
        new_node(NodeValue::HtmlInline("</a>".to_string())),
    ];
    let mut last = node;
    for piece in pieces {
        last.insert_after(piece);
        last = piece;
    }
    if !after.is_empty() {
        let rest = new_node(NodeValue::Text(after.to_string().into()));
        last.insert_after(rest);
        link_terms(arena, rest, after, matcher, lijst, glossary_page, explained);
    }
}

fn push_toc(toc: &mut Vec<Heading>, heading: Heading) {
    match toc.last_mut() {
        Some(last) if heading.level > last.level => push_toc(&mut last.children, heading),
        _ => toc.push(heading),
    }
}

/// Writes heading tags with the ids computed while walking the tree, in document order.
struct HeadingIds {
    ids: Mutex<VecDeque<String>>,
}

impl HeadingAdapter for HeadingIds {
    fn enter(
        &self,
        output: &mut dyn fmt::Write,
        heading: &HeadingMeta,
        _sourcepos: Option<Sourcepos>,
    ) -> fmt::Result {
        let id = self
            .ids
            .lock()
            .map(|mut ids| ids.pop_front().unwrap_or_default())
            .unwrap_or_default();
        write!(output, "<h{} id=\"{id}\">", heading.level)
    }

    fn exit(&self, output: &mut dyn fmt::Write, heading: &HeadingMeta) -> fmt::Result {
        write!(output, "</h{}>", heading.level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::woordenlijst::Term;

    fn ctx<'a>(
        resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
        glossary: Option<(&'a Matcher, &'a Woordenlijst, &'a str)>,
    ) -> MarkdownContext<'a> {
        MarkdownContext {
            resolve,
            glossary,
            smart_punctuation: false,
            collect_prose: true,
            permalink: "/p/",
        }
    }

    #[test]
    fn headings_get_readable_unique_ids_and_a_toc() {
        let none = |_: &str| None;
        let out = render(
            "## Na het gesprek\n\n### Daarna\n\n## Na het gesprek\n",
            &ctx(&none, None),
        );
        assert!(
            out.html
                .contains("<h2 id=\"na-het-gesprek\">Na het gesprek</h2>")
        );
        assert!(out.html.contains("<h2 id=\"na-het-gesprek-1\">"));
        assert_eq!(
            out.anchors,
            ["na-het-gesprek", "daarna", "na-het-gesprek-1"]
        );
        assert_eq!(out.toc.len(), 2);
        assert_eq!(out.toc[0].children[0].permalink, "/p/#daarna");
    }

    #[test]
    fn internal_links_are_resolved() {
        let resolve = |link: &str| (link == "@/a.md#x").then(|| "/a/#x".to_string());
        let out = render("[A](@/a.md#x) en [B](@/b.md)", &ctx(&resolve, None));
        assert!(out.html.contains("href=\"/a/#x\""));
        assert!(out.html.contains("href=\"#\""));
    }

    #[test]
    fn first_use_of_a_term_links_to_the_glossary() {
        let lijst = Woordenlijst {
            termen: vec![Term {
                woord: "CLB".into(),
                varianten: vec![],
                uitleg: "Centrum voor \"leerlingenbegeleiding\"".into(),
            }],
        };
        let matcher = Matcher::new(&lijst);
        let none = |_: &str| None;
        let out = render(
            "## Het CLB\n\nHet CLB helpt. Het CLB komt.\n",
            &ctx(&none, Some((&matcher, &lijst, "/woordenlijst/"))),
        );
        assert_eq!(out.html.matches("class=\"term\"").count(), 1);
        assert!(out.html.contains(
            "Het <a class=\"term\" href=\"/woordenlijst/#clb\" title=\"Centrum voor &quot;leerlingenbegeleiding&quot;\">CLB</a> helpt."
        ));
        assert!(out.html.contains("<h2 id=\"het-clb\">Het CLB</h2>"));
        assert_eq!(out.terms_explained, [0]);
    }

    #[test]
    fn images_without_alt_and_prose_are_collected() {
        let none = |_: &str| None;
        let out = render(
            "Tekst een.\n\n![](a.png)\n\n![Een kind](b.png)\n",
            &ctx(&none, None),
        );
        assert_eq!(out.images_without_alt, [3]);
        assert_eq!(
            out.prose[0],
            Prose {
                line: 1,
                text: "Tekst een.".into()
            }
        );
    }

    #[test]
    fn summary_stops_at_more() {
        let none = |_: &str| None;
        let out = render("Kort.\n\n<!-- more -->\n\nLang.\n", &ctx(&none, None));
        assert_eq!(out.summary.as_deref(), Some("<p>Kort.</p>"));
    }
}
