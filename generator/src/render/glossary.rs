//! Finding glossary terms in running text, so the first use on a page can be explained.

use crate::model::woordenlijst::Woordenlijst;

/// A term found in a text: which term, and the byte range of the match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub term: usize,
    pub start: usize,
    pub end: usize,
}

/// Lower-cased written forms of every term, ready for searching.
pub struct Matcher {
    forms: Vec<(usize, String)>,
}

impl Matcher {
    pub fn new(lijst: &Woordenlijst) -> Self {
        let mut forms: Vec<(usize, String)> = lijst
            .termen
            .iter()
            .enumerate()
            .flat_map(|(i, term)| term.forms().into_iter().map(move |f| (i, f.to_lowercase())))
            .filter(|(_, f)| !f.is_empty())
            .collect();
        forms.sort_by_key(|(_, f)| std::cmp::Reverse(f.len()));
        Matcher { forms }
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The earliest whole-word match in `text` of a term not in `skip`.
    pub fn first(&self, text: &str, skip: &[bool]) -> Option<Match> {
        if self.forms.is_empty() {
            return None;
        }
        let lower = text.to_lowercase();
        // Lower-casing can change byte lengths (rare outside ASCII); then we give up safely.
        if lower.len() != text.len() {
            return None;
        }
        let mut best: Option<Match> = None;
        for (term, form) in &self.forms {
            if skip.get(*term).copied().unwrap_or(false) {
                continue;
            }
            let mut from = 0;
            while let Some(found) = lower[from..].find(form.as_str()) {
                let start = from + found;
                let end = start + form.len();
                if is_boundary(&lower, start, end) {
                    if best.as_ref().is_none_or(|b| start < b.start) {
                        best = Some(Match {
                            term: *term,
                            start,
                            end,
                        });
                    }
                    break;
                }
                from = start + form.chars().next().map_or(1, char::len_utf8);
            }
        }
        best
    }

    /// Every term that occurs in `text` (for warnings about jargon in titles and headings).
    pub fn all(&self, text: &str) -> Vec<usize> {
        let mut found = vec![false; self.forms.iter().map(|(t, _)| t + 1).max().unwrap_or(0)];
        let mut rest = text.to_string();
        while let Some(m) = self.first(&rest, &found) {
            found[m.term] = true;
            rest.replace_range(m.start..m.end, &" ".repeat(m.end - m.start));
        }
        found
            .iter()
            .enumerate()
            .filter(|(_, f)| **f)
            .map(|(i, _)| i)
            .collect()
    }
}

fn is_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::woordenlijst::Term;

    fn lijst() -> Woordenlijst {
        let term = |w: &str, v: &[&str]| Term {
            woord: w.into(),
            varianten: v.iter().map(|s| s.to_string()).collect(),
            uitleg: "uitleg".into(),
        };
        Woordenlijst {
            termen: vec![
                term("CLB", &[]),
                term("zorgleerkracht", &["zorgleerkrachten"]),
            ],
        }
    }

    #[test]
    fn finds_whole_words_case_insensitively_earliest_first() {
        let m = Matcher::new(&lijst());
        let text = "De zorgleerkrachten en het clb.";
        let found = m.first(text, &[false, false]).unwrap();
        assert_eq!(&text[found.start..found.end], "zorgleerkrachten");
        assert_eq!(found.term, 1);
        let found = m.first(text, &[false, true]).unwrap();
        assert_eq!(&text[found.start..found.end], "clb");
        assert!(m.first("CLBX en xclb", &[false, false]).is_none());
    }

    #[test]
    fn lists_all_terms_in_a_title() {
        let m = Matcher::new(&lijst());
        assert_eq!(m.all("Het CLB en de zorgleerkracht"), vec![0, 1]);
        assert!(m.all("Welkom").is_empty());
    }
}
