//! Error and warning messages for people who edit the school's files.
//!
//! Every problem the generator finds is a [`Diagnostic`]: a file, a line and column, what is wrong
//! and how to fix it, in Dutch. They print as `path:line:col: fout: what — how`, followed by the
//! offending line with a caret, the way rustc shows errors.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file, with a position a person can jump to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters).
    pub col: usize,
    /// What is wrong, in plain Dutch.
    pub message: String,
    /// How to fix it, in plain Dutch.
    pub hint: Option<String>,
    /// The source line the problem is on, shown under the message.
    pub source_line: Option<String>,
    /// Width of the underline under the problem, in characters.
    pub width: usize,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
            source_line: None,
            width: 1,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Places the diagnostic at a 1-based line and column, without a source excerpt.
    pub fn at_line_col(mut self, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self
    }

    /// Places the diagnostic at a byte range of a source file and keeps the line for display.
    pub fn at(mut self, source: &Source, span: Range<usize>) -> Self {
        let (line, col) = source.line_col(span.start);
        self.line = line;
        self.col = col;
        let text = source.line_text(line);
        let end = span.end.min(source.line_end(line)).max(span.start);
        self.width = source.text[span.start.min(source.text.len())..end.min(source.text.len())]
            .chars()
            .count()
            .max(1);
        self.source_line = Some(text.to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "fout",
            Severity::Warning => "waarschuwing",
        };
        let path = self.path.display();
        if self.line > 0 {
            write!(
                f,
                "{path}:{}:{}: {kind}: {}",
                self.line, self.col, self.message
            )?;
        } else {
            write!(f, "{path}: {kind}: {}", self.message)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " — {hint}")?;
        }
        if let Some(text) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let caret_pad = " ".repeat(self.col.saturating_sub(1));
            write!(
                f,
                "\n{pad} |\n{number} | {text}\n{pad} | {caret_pad}{}",
                "^".repeat(self.width)
            )?;
        }
        Ok(())
    }
}

/// A text file with its display path, able to turn byte offsets into lines and columns.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    /// Byte range of `key = "value"` in a TOML source, for pointing at a field after parsing.
    /// Falls back to the start of the file when the text cannot be found.
    pub fn find_value(&self, key: &str, value: &str) -> Range<usize> {
        self.find_nth_value(key, value, 0)
    }

    /// Like [`Source::find_value`], for the `n`-th (0-based) occurrence of the same key and
    /// value.
    pub fn find_nth_value(&self, key: &str, value: &str, n: usize) -> Range<usize> {
        let needle = format!("\"{value}\"");
        self.text
            .match_indices(&needle)
            .filter(|(i, _)| {
                let line_start = self.text[..*i].rfind('\n').map_or(0, |p| p + 1);
                self.text[line_start..*i].trim_start().starts_with(key)
            })
            .nth(n)
            .map_or(0..0, |(i, _)| i..i + needle.len())
    }

    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Reads a file as UTF-8; invalid bytes give a diagnostic on the line where they are.
    pub fn read(full_path: &Path, display_path: impl Into<PathBuf>) -> Result<Self, Diagnostic> {
        let display_path = display_path.into();
        let bytes = std::fs::read(full_path).map_err(|e| {
            Diagnostic::error(&display_path, format!("kan het bestand niet lezen ({e})"))
                .with_hint("controleer of het bestand bestaat en leesbaar is")
        })?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(display_path, text)),
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let bytes = err.as_bytes();
                let before = String::from_utf8_lossy(&bytes[..valid]);
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                Err(Diagnostic::error(
                    display_path,
                    "het bestand bevat tekens die geen geldige UTF-8 zijn",
                )
                .with_hint("bewaar het bestand opnieuw als UTF-8 (in Kladblok: Opslaan als… › Codering: UTF-8)")
                .at_line_col(line, col))
            }
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_index = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line_index];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line_index + 1, col + 1)
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    fn line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self.line_end(line).max(start);
        self.text[start..end].trim_end_matches('\r')
    }

    /// A diagnostic placed at a byte range of this file.
    pub fn error_at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.path, message).at(self, span)
    }

    /// A warning placed at a byte range of this file.
    pub fn warning_at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(&self.path, message).at(self, span)
    }

    /// Parses TOML (the whole file, or a part starting at `offset`) into a typed value.
    /// Errors are translated to Dutch and point at the right line of this file.
    pub fn parse_toml<T: DeserializeOwned>(&self, range: Range<usize>) -> Result<T, Diagnostic> {
        let part = &self.text[range.clone()];
        toml::from_str(part).map_err(|err| {
            let span = err.span().map_or(range.start..range.start, |s| {
                range.start + s.start..range.start + s.end
            });
            let (message, hint) = translate_toml_error(err.message());
            let diagnostic = self.error_at(span, message);
            match hint {
                Some(hint) => diagnostic.with_hint(hint),
                None => diagnostic,
            }
        })
    }
}

/// Turns the toml crate's English messages into Dutch ones with a hint for the common cases.
fn translate_toml_error(message: &str) -> (String, Option<String>) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        let hint = match crate::diagnostics::closest(field, expected.iter().copied()) {
            Some(best) => format!("bedoel je `{best}`?"),
            None if !expected.is_empty() => {
                format!("toegelaten velden: {}", expected.join(", "))
            }
            None => "verwijder dit veld".to_string(),
        };
        return (format!("onbekend veld `{field}`"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            format!("het veld `{field}` ontbreekt"),
            Some(format!("voeg `{field} = …` toe")),
        );
    }
    if message.starts_with("invalid type") {
        return (
            format!("verkeerd soort waarde ({message})"),
            Some("tekst staat tussen aanhalingstekens, getallen niet, lijsten tussen [ ]".into()),
        );
    }
    if message.contains("duplicate key") {
        return (
            format!("dubbele sleutel ({message})"),
            Some("elk veld mag maar één keer voorkomen; verwijder of hernoem het tweede".into()),
        );
    }
    if message.contains("unclosed") || message.contains("expected") || message.contains("invalid") {
        return (
            format!("ongeldige TOML ({message})"),
            Some("controleer aanhalingstekens, = tekens en haakjes op deze regel".into()),
        );
    }
    (format!("ongeldige TOML ({message})"), None)
}

/// The candidate closest to `word` (for "bedoel je …?" hints), if any is close enough.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// Prints diagnostics to stderr, errors first, and returns how many errors there were.
pub fn report(diagnostics: &[Diagnostic]) -> usize {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by(|a, b| {
        (a.severity, &a.path, a.line, a.col).cmp(&(b.severity, &b.path, b.line, b.col))
    });
    for d in &sorted {
        eprintln!("{d}\n");
    }
    diagnostics.iter().filter(|d| d.is_error()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let source = Source::new("a.md", "één\ntwee drie\n");
        assert_eq!(source.line_col(0), (1, 1));
        let offset = source.text.find("drie").unwrap();
        assert_eq!(source.line_col(offset), (2, 6));
        assert_eq!(source.line_text(2), "twee drie");
    }

    #[test]
    fn display_shows_position_message_hint_and_caret() {
        let source = Source::new("data/rollen.toml", "[[rol]]\nid = \"zoco\"\n");
        let start = source.text.find("\"zoco\"").unwrap();
        let d = source
            .error_at(start..start + 6, "onbekende rol")
            .with_hint("bedoel je `zorgcoordinator`?");
        let shown = d.to_string();
        assert!(shown.starts_with("data/rollen.toml:2:6: fout: onbekende rol — bedoel je"));
        assert!(shown.contains("2 | id = \"zoco\""));
        assert!(shown.ends_with("|      ^^^^^^"));
    }

    #[test]
    fn toml_errors_are_dutch_and_located() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Rol {
            naam: String,
        }
        let source = Source::new("x.toml", "\nnaam = \"a\"\nnam = \"b\"\n");
        let err = source.parse_toml::<Rol>(0..source.text.len()).unwrap_err();
        assert_eq!((err.line, err.col), (3, 1));
        assert_eq!(err.message, "onbekend veld `nam`");
        assert_eq!(err.hint.as_deref(), Some("bedoel je `naam`?"));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = std::env::temp_dir().join(format!("zorgsite-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("p.md");
        std::fs::write(&file, b"regel een\nab\xffc\n").unwrap();
        let err = Source::read(&file, "p.md").unwrap_err();
        assert_eq!((err.line, err.col), (2, 3));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn closest_suggests_only_near_words() {
        let roles = ["zorgcoordinator", "directie", "klasleerkracht"];
        assert_eq!(closest("zorgcordinator", roles), Some("zorgcoordinator"));
        assert_eq!(closest("bakker", roles), None);
    }
}
