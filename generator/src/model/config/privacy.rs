//! The privacy page for parents (`/privacy/`), built from `[privacy]` in `config.toml`: what the
//! survey keeps and does not keep, why, how long, who sees the results and whom to ask.
//!
//! The keys are checked here with located Dutch errors; the text is in the theme's
//! `privacy.html`, so a school can reword it without touching code.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Source};

/// Where the page is written.
pub const FILE: &str = "privacy/index.html";
/// The theme template that renders it.
pub const TEMPLATE: &str = "privacy.html";

/// `[privacy]` in `config.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Who is responsible for the data: the school or its school board (scholengroep).
    pub verantwoordelijke: Spanned<String>,
    /// E-mail address for questions about privacy.
    pub contact: Spanned<String>,
    /// How many school years answers are kept (`zorgenquete opruimen` deletes them after).
    pub bewaren_jaren: Spanned<i64>,
    /// Who sees the results, e.g. "het zorgteam en de directie".
    pub resultaten_voor: Spanned<String>,
    /// The data protection officer's e-mail address, if the school board has one.
    #[serde(default)]
    pub functionaris: Option<Spanned<String>>,
}

fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((naam, domein)) => {
            !naam.is_empty()
                && domein.contains('.')
                && !domein.starts_with('.')
                && !domein.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

impl Privacy {
    /// Checks the values; every problem points at its line in `config.toml`.
    pub fn check(&self, source: &Source) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for (field, naam, hint) in [
            (
                &self.verantwoordelijke,
                "verantwoordelijke",
                "schrijf wie verantwoordelijk is voor de gegevens, bv. \"Basisschool De Linde\" of de naam van de scholengroep",
            ),
            (
                &self.resultaten_voor,
                "resultaten_voor",
                "schrijf wie de resultaten ziet, bv. \"het zorgteam en de directie\"",
            ),
        ] {
            if field.get_ref().trim().is_empty() {
                errors.push(
                    source
                        .error_at(field.span(), format!("`{naam}` is leeg"))
                        .with_hint(hint),
                );
            }
        }
        let mails = std::iter::once((&self.contact, "contact"))
            .chain(self.functionaris.as_ref().map(|f| (f, "functionaris")));
        for (field, naam) in mails {
            if !looks_like_email(field.get_ref()) {
                errors.push(
                    source
                        .error_at(field.span(), format!("`{naam}` is geen e-mailadres"))
                        .with_hint(
                            "schrijf een volledig e-mailadres, bv. \"privacy@onzeschool.be\"",
                        ),
                );
            }
        }
        if !(1..=50).contains(self.bewaren_jaren.get_ref()) {
            errors.push(
                source
                    .error_at(
                        self.bewaren_jaren.span(),
                        "`bewaren_jaren` moet tussen 1 en 50 liggen",
                    )
                    .with_hint("het aantal schooljaren dat antwoorden bewaard blijven, bv. 5"),
            );
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use crate::diagnostics::Source;

    fn parse(privacy: &str) -> Result<Config, crate::diagnostics::Diagnostic> {
        Config::parse(&Source::new(
            "config.toml",
            format!("base_url = \"https://x.be\"\n[privacy]\n{privacy}"),
        ))
    }

    const GOED: &str = "verantwoordelijke = \"De Linde\"\ncontact = \"privacy@x.be\"\nbewaren_jaren = 5\nresultaten_voor = \"het zorgteam\"\n";

    #[test]
    fn a_complete_privacy_table_is_accepted() {
        let config = parse(GOED).unwrap();
        assert_eq!(*config.privacy.unwrap().bewaren_jaren.get_ref(), 5);
    }

    #[test]
    fn bad_values_are_located() {
        let err = parse(&GOED.replace("privacy@x.be", "privacy")).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("e-mailadres"));
        let err = parse(&GOED.replace("= 5", "= 0")).unwrap_err();
        assert_eq!(err.line, 5);
        let err = parse(&GOED.replace("\"het zorgteam\"", "\" \"")).unwrap_err();
        assert_eq!(err.line, 6);
        let err = parse("contact = \"a@b.be\"\n").unwrap_err();
        assert!(err.message.contains("ontbreekt"), "{}", err.message);
        let err = parse(&format!("{GOED}bewaartijd = 3\n")).unwrap_err();
        assert_eq!(err.line, 7);
    }
}
