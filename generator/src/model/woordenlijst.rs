//! `data/woordenlijst.toml`: school jargon with a plain explanation.
//!
//! The generator explains the first use of each term on a page and builds the glossary page
//! from this file; `zorgsite check` warns about terms used on parent pages without explanation.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Source};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The word as the school uses it ("zorgcontinuüm").
    pub woord: String,
    /// Other forms that mean the same (plural, without accents, …).
    #[serde(default)]
    pub varianten: Vec<String>,
    /// A plain explanation, one or two short sentences.
    pub uitleg: String,
}

impl Term {
    /// The anchor of this term on the glossary page.
    pub fn anchor(&self) -> String {
        crate::slug::slugify(&self.woord)
    }

    /// All written forms, longest first so "zorgleerkrachten" wins over "zorgleerkracht".
    pub fn forms(&self) -> Vec<&str> {
        let mut forms: Vec<&str> = std::iter::once(self.woord.as_str())
            .chain(self.varianten.iter().map(String::as_str))
            .collect();
        forms.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
        forms
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Woordenlijst {
    #[serde(default, rename = "term")]
    pub termen: Vec<Term>,
}

impl Woordenlijst {
    pub fn parse(source: &Source) -> Result<Woordenlijst, Vec<Diagnostic>> {
        let mut lijst: Woordenlijst = source
            .parse_toml(0..source.text.len())
            .map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        for term in &lijst.termen {
            if term.uitleg.trim().is_empty() || term.woord.trim().is_empty() {
                let span = source.find_value("woord", &term.woord);
                errors.push(
                    source
                        .error_at(span, format!("de term `{}` heeft geen uitleg", term.woord))
                        .with_hint("schrijf bij `uitleg = \"…\"` in een of twee korte zinnen wat het woord betekent"),
                );
            }
        }
        lijst.termen.sort_by_key(|t| t.woord.to_lowercase());
        if errors.is_empty() {
            Ok(lijst)
        } else {
            Err(errors)
        }
    }
}
