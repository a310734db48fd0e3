//! Masking contact details in open answers before anyone reads them: e-mail addresses become
//! `[e-mailadres]`, phone numbers `[telefoonnummer]`.
//!
//! A parent who writes "bel me op 0478 12 34 56" or "mail an.peeters@telenet.be" signs the
//! answer. Open answers are shown to the care team and go into the raw export on request, so
//! both pass through [`maskeer`].
//!
//! E-mail: anything shaped `deel@domein.tld` (also `deel (at) domein.tld`, `[at]`,
//! `(apenstaartje)`). Phone numbers: a run of digits with spaces, dots, slashes, dashes or
//! brackets in between, found by a regex and then checked in code:
//! - international: `+` or `00` and then 8 to 15 digits (`+32 478 12 34 56`,
//!   `0032 3 123 45 67`, `+31 6 12345678`, `+32 (0)3 …`);
//! - Belgian (and other national formats with a trunk `0`): `0` and a non-zero digit, 9 or 10
//!   digits in all (`03 123 45 67`, `0478/12.34.56`, `09-123.45.67`).
//!
//! Dates, school years, times, amounts and postal codes do not start with `0`+digit or `+`, or
//! have too few digits, so they stay. When a run holds more digits than one number (a number
//! followed by "2 kinderen"), the longest valid number at its start is masked and the rest is
//! looked at again. Masking too much is safe; the test corpus
//! (`survey-service/tests/corpus/maskeren.txt`) holds what must and must not be masked.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex_lite::Regex;

/// What an e-mail address becomes.
pub const EMAIL: &str = "[e-mailadres]";
/// What a phone number becomes.
pub const TELEFOON: &str = "[telefoonnummer]";

static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    // The local part and the domain: anything but spaces and the characters that end an
    // address in running text; then a top-level domain of letters.
    let deel = r#"[^\s@<>()\[\]{},;:"'`]"#;
    let at = r"(?:@|\s*[(\[]\s*(?:at|apenstaart(?:je)?)\s*[)\]]\s*)";
    Regex::new(&format!(r"(?i){deel}+{at}{deel}+\.[a-z]{{2,}}")).expect("valid regex")
});

static TELEFOON_RE: LazyLock<Regex> = LazyLock::new(|| {
    // A possible number: an optional `+`, then digits with separators, ending on a digit.
    Regex::new(r"\+?[ (]*\d[\d ./()\-\u{a0}]{6,}\d").expect("valid regex")
});

/// The text with every e-mail address and phone number masked.
///
/// Most answers hold neither, and the regexes try every position of the text, so each runs
/// only when a cheap check says a match is possible: an address needs `@` or a bracket (the
/// `(at)` forms), a phone number at least 8 digits. This made masking a million answers for the
/// raw export about ten times faster; the corpus test covers both paths.
pub fn maskeer(tekst: &str) -> Cow<'_, str> {
    let zonder_email = if tekst.contains(['@', '(', '[']) {
        EMAIL_RE.replace_all(tekst, EMAIL)
    } else {
        Cow::Borrowed(tekst)
    };
    if zonder_email.bytes().filter(u8::is_ascii_digit).count() < MINSTE_CIJFERS {
        return zonder_email;
    }
    match telefoons(&zonder_email) {
        Some(t) => Cow::Owned(t),
        None => zonder_email,
    }
}

/// The fewest digits of a phone number [`nummer_lengte`] accepts (international: 8).
const MINSTE_CIJFERS: usize = 8;

/// The text with phone numbers masked, or `None` when there are none.
fn telefoons(tekst: &str) -> Option<String> {
    let mut uit = String::new();
    let mut gedaan = 0;
    let mut zoek_vanaf = 0;
    while let Some(m) = TELEFOON_RE.find_at(tekst, zoek_vanaf) {
        // A digit glued to a letter or digit before it is part of a word or a longer number.
        let los = tekst[..m.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        match los.then(|| nummer_lengte(m.as_str())).flatten() {
            Some(lengte) => {
                // Spaces and a bracket before the number stay.
                let kandidaat = m.as_str();
                let voor = kandidaat.len() - kandidaat.trim_start_matches([' ', '(']).len();
                uit.push_str(&tekst[gedaan..m.start() + voor]);
                uit.push_str(TELEFOON);
                gedaan = m.start() + lengte;
                zoek_vanaf = gedaan;
            }
            None => {
                // Look again from the next character: a number may start further on.
                zoek_vanaf = m.start() + m.as_str().chars().next().map_or(1, char::len_utf8);
            }
        }
        if zoek_vanaf >= tekst.len() {
            break;
        }
    }
    if gedaan == 0 {
        return None;
    }
    uit.push_str(&tekst[gedaan..]);
    Some(uit)
}

/// The length in bytes of the longest phone number at the start of `kandidaat`, if any.
fn nummer_lengte(kandidaat: &str) -> Option<usize> {
    let begin = kandidaat.trim_start_matches([' ', '(']);
    let voor = kandidaat.len() - begin.len();
    let (internationaal, rest) = if let Some(r) = begin.strip_prefix('+') {
        (true, r)
    } else if let Some(r) = begin.strip_prefix("00") {
        (true, r)
    } else {
        (false, begin)
    };
    let prefix = begin.len() - rest.len();
    let mut eerste: Option<char> = None;
    let mut tweede: Option<char> = None;
    let mut cijfers = 0usize;
    let mut beste = None;
    let mut tekens = rest.char_indices().peekable();
    while let Some((i, c)) = tekens.next() {
        if !c.is_ascii_digit() {
            continue;
        }
        cijfers += 1;
        match (eerste, tweede) {
            (None, _) => eerste = Some(c),
            (Some(_), None) => tweede = Some(c),
            _ => {}
        }
        // Only at the end of a group of digits.
        if tekens.peek().is_some_and(|(_, n)| n.is_ascii_digit()) {
            continue;
        }
        let geldig = if internationaal {
            (8..=15).contains(&cijfers) && eerste != Some('0')
        } else {
            eerste == Some('0')
                && tweede.is_some_and(|t| t != '0')
                && (cijfers == 9 || cijfers == 10)
        };
        if geldig {
            beste = Some(voor + prefix + i + c.len_utf8());
        }
        if cijfers > 16 {
            break;
        }
    }
    beste
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corpus: `+ invoer => verwacht` must be masked so, `- tekst` must stay as it is.
    const CORPUS: &str = include_str!("../../tests/corpus/maskeren.txt");

    #[test]
    fn the_corpus_masks_what_it_must_and_nothing_else() {
        let mut positief = 0;
        let mut negatief = 0;
        for (nr, regel) in CORPUS.lines().enumerate() {
            let plaats = format!("maskeren.txt:{}", nr + 1);
            if let Some(rest) = regel.strip_prefix("+ ") {
                let (invoer, verwacht) = rest
                    .split_once(" => ")
                    .unwrap_or_else(|| panic!("{plaats}: `+ invoer => verwacht`"));
                assert_eq!(maskeer(invoer), verwacht, "{plaats}");
                positief += 1;
            } else if let Some(tekst) = regel.strip_prefix("- ") {
                assert_eq!(maskeer(tekst), tekst, "{plaats}: must stay");
                negatief += 1;
            } else {
                assert!(
                    regel.is_empty() || regel.starts_with('#'),
                    "{plaats}: a line starts with `+ `, `- ` or `#`"
                );
            }
        }
        assert!(positief >= 30 && negatief >= 30, "{positief} / {negatief}");
    }

    #[test]
    fn text_without_contact_details_is_not_copied() {
        assert!(matches!(
            maskeer("Meer tijd voor gesprekken."),
            Cow::Borrowed(_)
        ));
    }
}
