//! Splitting a Markdown file into its `+++` TOML front matter and its body, and typing both kinds
//! of front matter (pages and sections) with Zola's keys.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Source};

/// Front matter of a page (`leidraad/oudergesprek.md`).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    pub path: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub date: Option<toml::value::Datetime>,
    pub updated: Option<toml::value::Datetime>,
    #[serde(default)]
    pub extra: toml::Table,
    // Zola keys accepted for compatibility.
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    authors: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    taxonomies: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    in_search_index: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    render: Option<toml::Value>,
}

/// Front matter of a section (`_index.md`).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SectionFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub sort_by: SortBy,
    pub template: Option<String>,
    pub page_template: Option<String>,
    #[serde(default = "yes")]
    pub render: bool,
    pub redirect_to: Option<String>,
    #[serde(default)]
    pub transparent: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub extra: toml::Table,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    paginate_by: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    insert_anchor_links: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    in_search_index: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    generate_feeds: Option<toml::Value>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    None,
    Weight,
    Title,
    Date,
}

/// Where the front matter and the body are in a file.
#[derive(Debug)]
pub struct Split {
    /// Byte range of the TOML between the `+++` lines.
    pub front_matter: std::ops::Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Finds the `+++` fences. A missing or unclosed fence is a located error with a fix.
pub fn split(source: &Source) -> Result<Split, Diagnostic> {
    let text = source.text.as_str();
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[text_start..]
        .find('\n')
        .map_or(text.len(), |i| text_start + i);
    if text[text_start..first_line_end].trim_end() != "+++" {
        return Err(source
            .error_at(text_start..first_line_end, "dit bestand begint niet met front matter")
            .with_hint(
                "zet bovenaan een regel met alleen +++, daaronder title = \"…\" en description = \"…\", en sluit af met +++",
            ));
    }
    let fm_start = (first_line_end + 1).min(text.len());
    let mut offset = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front_matter: fm_start..offset,
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(source
        .error_at(
            text_start..first_line_end,
            "de front matter wordt niet afgesloten",
        )
        .with_hint("zet na de laatste instelling (title, description, …) een regel met alleen +++"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let source = Source::new("a.md", "+++\ntitle = \"A\"\n+++\nHallo\n");
        let split = split(&source).unwrap();
        assert_eq!(&source.text[split.front_matter], "title = \"A\"\n");
        assert_eq!(&source.text[split.body_start..], "Hallo\n");
    }

    #[test]
    fn unclosed_front_matter_points_at_the_opening_line() {
        let source = Source::new("a.md", "+++\ntitle = \"A\"\nHallo\n");
        let err = split(&source).unwrap_err();
        assert_eq!((err.line, err.col), (1, 1));
        assert!(err.message.contains("niet afgesloten"));
    }

    #[test]
    fn missing_front_matter_is_an_error() {
        let err = split(&Source::new("a.md", "# Titel\n")).unwrap_err();
        assert!(err.message.contains("begint niet met front matter"));
    }
}
