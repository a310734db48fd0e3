//! Translation files: `<naam>.<taal>.toml` beside a Dutch data file, holding only the translated
//! texts, keyed by the ids the Dutch file uses. The Dutch file stays the one place for ids,
//! order, roles, colours and versions, so every language shows the same steps and counts the
//! same survey items.
//!
//! ```toml
//! # data/stappenplan/ouder.en.toml
//! titel = "I am a parent and I am worried about my child"
//!
//! [stap.zorg]                  # `stap` + the id of a step in ouder.toml
//! tekst = "You are worried about your child."
//! hoe = "…"
//! ```
//!
//! The same shape serves `data/rollen.<taal>.toml` (`[rol.<id>]`) and the survey service's
//! `enquetes/<id>.<taal>.toml` (`[vraag.<id>]`). [`parse`] refuses unknown ids and fields with
//! a located Dutch error; [`Vertaling::ontbrekend`] lists what is not translated yet.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Source, closest};

/// What a translation file may contain.
pub struct Schema<'a> {
    /// Text fields at the top of the file (`titel`, `intro`, …).
    pub velden: &'a [&'a str],
    /// The table that holds items: `stap`, `rol`, `vraag`.
    pub groep: &'a str,
    /// The ids of the items in the Dutch file, in order.
    pub ids: &'a [&'a str],
    /// Text fields of one item (`tekst`, `hoe`, …).
    pub item_velden: &'a [&'a str],
    /// Item fields that hold a list of texts (`opties` of a choice item).
    pub lijst_velden: &'a [&'a str],
}

/// A parsed translation file.
#[derive(Debug, Clone)]
pub struct Vertaling {
    pub taal: String,
    pub source: Source,
    /// Top-level texts.
    pub velden: BTreeMap<String, String>,
    /// Per item id: field → text.
    pub items: BTreeMap<String, BTreeMap<String, String>>,
    /// Per item id: list field → texts.
    pub lijsten: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl Vertaling {
    pub fn veld(&self, veld: &str) -> Option<&str> {
        self.velden.get(veld).map(String::as_str)
    }

    pub fn tekst(&self, id: &str, veld: &str) -> Option<&str> {
        self.items.get(id)?.get(veld).map(String::as_str)
    }

    pub fn lijst(&self, id: &str, veld: &str) -> Option<&[String]> {
        self.lijsten.get(id)?.get(veld).map(Vec::as_slice)
    }

    /// Ids of the Dutch file that have no `[groep.<id>]` table here.
    pub fn ontbrekend<'a>(&self, schema: &Schema<'a>) -> Vec<&'a str> {
        schema
            .ids
            .iter()
            .copied()
            .filter(|id| !self.items.contains_key(*id))
            .collect()
    }

    /// One warning for the items not translated yet (none when all are there).
    pub fn waarschuwing_ontbrekend(&self, schema: &Schema) -> Option<Diagnostic> {
        let missing = self.ontbrekend(schema);
        if missing.is_empty() {
            return None;
        }
        Some(
            Diagnostic::warning(
                &self.source.path,
                format!(
                    "{} {} nog niet vertaald naar `{}`: {}",
                    missing.len(),
                    if missing.len() == 1 {
                        "tekst is"
                    } else {
                        "teksten zijn"
                    },
                    self.taal,
                    missing.join(", ")
                ),
            )
            .with_hint(format!(
                "voeg voor elk een tabel [{}.<id>] toe; tot dan staat er de Nederlandse tekst",
                schema.groep
            )),
        )
    }
}

/// `ouders.en.toml` → `("ouders", "en")`; `None` for a file without a language part.
pub fn naam_en_taal(file_name: &str) -> Option<(&str, &str)> {
    let stem = file_name.strip_suffix(".toml")?;
    let (naam, taal) = stem.rsplit_once('.')?;
    (!naam.is_empty() && !taal.is_empty()).then_some((naam, taal))
}

/// The translation files of `<dir>/<naam>.toml`: `(taal, path)` for every `<naam>.<taal>.toml`,
/// sorted by language.
pub fn bestanden(dir: &Path, naam: &str) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let file_name = e.file_name().to_string_lossy().into_owned();
            let (n, taal) = naam_en_taal(&file_name)?;
            (n == naam).then(|| (taal.to_string(), e.path()))
        })
        .collect();
    found.sort();
    found
}

/// A located error when `taal` is not one of `talen` (a file `ouders.de.toml` while the site
/// has no German).
pub fn onbekende_taal(path: impl Into<PathBuf>, taal: &str, talen: &[&str]) -> Diagnostic {
    let hint = match closest(taal, talen.iter().copied()) {
        Some(best) => format!(
            "bedoel je `{best}`? Een nieuwe taal voeg je eerst toe in config.toml met [languages.{taal}]"
        ),
        None => format!("voeg de taal eerst toe in config.toml met [languages.{taal}]"),
    };
    Diagnostic::error(path, format!("de taal `{taal}` staat niet in config.toml"))
        .with_hint(hint)
        .at_line_col(1, 1)
}

/// Reads and checks a translation file against `schema`. All problems are reported.
pub fn parse(source: &Source, taal: &str, schema: &Schema) -> Result<Vertaling, Vec<Diagnostic>> {
    let table: toml::Table = source
        .parse_toml(0..source.text.len())
        .map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let mut vertaling = Vertaling {
        taal: taal.to_string(),
        source: source.clone(),
        velden: BTreeMap::new(),
        items: BTreeMap::new(),
        lijsten: BTreeMap::new(),
    };
    for (key, value) in &table {
        if key == schema.groep {
            let Some(items) = value.as_table() else {
                errors.push(
                    source
                        .error_at(
                            locate_key(source, key, 0),
                            format!("`{key}` moet een tabel zijn"),
                        )
                        .with_hint(format!(
                            "schrijf per tekst een tabel: [{}.<id>]",
                            schema.groep
                        )),
                );
                continue;
            };
            for (id, fields) in items {
                item(source, schema, id, fields, &mut vertaling, &mut errors);
            }
        } else if schema.velden.contains(&key.as_str()) {
            match value.as_str() {
                Some(text) => {
                    vertaling.velden.insert(key.clone(), text.to_string());
                }
                None => errors.push(not_text(source, key, 0)),
            }
        } else {
            let names: Vec<&str> = schema
                .velden
                .iter()
                .copied()
                .chain(std::iter::once(schema.groep))
                .collect();
            errors.push(unknown_field(source, key, 0, &names));
        }
    }
    errors.sort_by_key(|d| (d.line, d.col));
    if errors.is_empty() {
        Ok(vertaling)
    } else {
        Err(errors)
    }
}

fn item(
    source: &Source,
    schema: &Schema,
    id: &str,
    fields: &toml::Value,
    vertaling: &mut Vertaling,
    errors: &mut Vec<Diagnostic>,
) {
    let header = format!("{}.{id}", schema.groep);
    let at = source.text.find(&header).unwrap_or(0);
    if !schema.ids.contains(&id) {
        let hint = match closest(id, schema.ids.iter().copied()) {
            Some(best) => format!("bedoel je `{best}`?"),
            None => format!(
                "gebruik een id uit het Nederlandse bestand: {}",
                schema.ids.join(", ")
            ),
        };
        errors.push(
            source
                .error_at(
                    at..at + header.len(),
                    format!("`{id}` bestaat niet in het Nederlandse bestand"),
                )
                .with_hint(hint),
        );
        return;
    }
    let Some(fields) = fields.as_table() else {
        errors.push(
            source
                .error_at(
                    at..at + header.len(),
                    format!("`{header}` moet een tabel zijn"),
                )
                .with_hint(format!(
                    "schrijf [{header}] met daaronder bv. tekst = \"…\""
                )),
        );
        return;
    };
    for (key, value) in fields {
        if schema.item_velden.contains(&key.as_str()) {
            match value.as_str() {
                Some(text) => {
                    vertaling
                        .items
                        .entry(id.to_string())
                        .or_default()
                        .insert(key.clone(), text.to_string());
                }
                None => errors.push(not_text(source, key, at)),
            }
        } else if schema.lijst_velden.contains(&key.as_str()) {
            let list: Option<Vec<String>> = value
                .as_array()
                .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect());
            match list {
                Some(list) => {
                    vertaling.items.entry(id.to_string()).or_default();
                    vertaling
                        .lijsten
                        .entry(id.to_string())
                        .or_default()
                        .insert(key.clone(), list);
                }
                None => errors.push(
                    source
                        .error_at(
                            locate_key(source, key, at),
                            format!("`{key}` moet een lijst met teksten zijn"),
                        )
                        .with_hint(format!("schrijf {key} = [\"…\", \"…\"]")),
                ),
            }
        } else {
            let names: Vec<&str> = schema
                .item_velden
                .iter()
                .chain(schema.lijst_velden)
                .copied()
                .collect();
            errors.push(unknown_field(source, key, at, &names));
        }
    }
}

/// Byte range of `key =` at or after `from` (or of the file start when not found).
fn locate_key(source: &Source, key: &str, from: usize) -> std::ops::Range<usize> {
    let text = &source.text[from.min(source.text.len())..];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let start = from + offset + (line.len() - trimmed.len());
            return start..start + key.len();
        }
        offset += line.len();
    }
    from..from
}

fn not_text(source: &Source, key: &str, from: usize) -> Diagnostic {
    source
        .error_at(
            locate_key(source, key, from),
            format!("`{key}` moet een tekst zijn"),
        )
        .with_hint(format!(
            "zet de tekst tussen aanhalingstekens: {key} = \"…\""
        ))
}

fn unknown_field(source: &Source, key: &str, from: usize, names: &[&str]) -> Diagnostic {
    let hint = match closest(key, names.iter().copied()) {
        Some(best) => format!("bedoel je `{best}`?"),
        None => format!("mogelijk zijn: {}", names.join(", ")),
    };
    source
        .error_at(
            locate_key(source, key, from),
            format!("onbekend veld `{key}`"),
        )
        .with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: Schema = Schema {
        velden: &["titel"],
        groep: "stap",
        ids: &["zorg", "klaar"],
        item_velden: &["tekst", "hoe"],
        lijst_velden: &["opties"],
    };

    #[test]
    fn reads_texts_by_id_and_lists_what_is_missing() {
        let source = Source::new(
            "ouder.en.toml",
            "titel = \"Parent\"\n\n[stap.zorg]\ntekst = \"You worry.\"\nopties = [\"a\", \"b\"]\n",
        );
        let v = parse(&source, "en", &SCHEMA).unwrap();
        assert_eq!(v.veld("titel"), Some("Parent"));
        assert_eq!(v.tekst("zorg", "tekst"), Some("You worry."));
        assert_eq!(v.lijst("zorg", "opties").unwrap().len(), 2);
        assert_eq!(v.ontbrekend(&SCHEMA), ["klaar"]);
        let w = v.waarschuwing_ontbrekend(&SCHEMA).unwrap();
        assert!(!w.is_error());
        assert!(w.message.contains("klaar"), "{}", w.message);
    }

    #[test]
    fn unknown_ids_and_fields_are_located_errors() {
        let source = Source::new(
            "ouder.en.toml",
            "titel = \"Parent\"\n\n[stap.zorgg]\ntekst = \"x\"\n\n[stap.klaar]\ntekts = \"y\"\n",
        );
        let errors = parse(&source, "en", &SCHEMA).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].line, 3);
        assert_eq!(errors[0].hint.as_deref(), Some("bedoel je `zorg`?"));
        assert_eq!(errors[1].line, 7);
        assert_eq!(errors[1].message, "onbekend veld `tekts`");
    }

    #[test]
    fn file_names_give_name_and_language() {
        assert_eq!(naam_en_taal("ouders.en.toml"), Some(("ouders", "en")));
        assert_eq!(naam_en_taal("ouders.toml"), None);
    }
}
