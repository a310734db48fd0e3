//! Which language a survey page is in: `?taal=` on every survey address, checked against the
//! languages of the school's `config.toml` (`[languages.<code>]`, the one list of languages)
//! and, for a form, against the questionnaire's translations. The words themselves are in
//! `content/teksten/<taal>.toml` and reach the page through the templates.

use serde::Serialize;
use zorgsite::model::config::Config;

/// The language of one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Taal {
    pub code: String,
    /// `ltr` or `rtl`, for `dir` on `<html>`.
    pub richting: &'static str,
}

impl Taal {
    /// `?taal=xx` (or `&taal=xx` when not `eerste`) for a language other than the default, so
    /// the language travels with links, form actions and redirects; empty for the default.
    pub fn query(&self, talen: &Talen, eerste: bool) -> String {
        match (self.code == talen.standaard, eerste) {
            (true, _) => String::new(),
            (false, true) => format!("?taal={}", self.code),
            (false, false) => format!("&taal={}", self.code),
        }
    }
}

/// One language of the site.
#[derive(Debug, Clone)]
struct Gegeven {
    code: String,
    /// Its own name ("Français"), for the language switcher.
    naam: String,
    richting: &'static str,
}

/// The languages of the school, default first.
#[derive(Debug, Clone)]
pub struct Talen {
    pub standaard: String,
    talen: Vec<Gegeven>,
}

impl Talen {
    pub fn uit(config: &Config) -> Talen {
        Talen {
            standaard: config.default_language.clone(),
            talen: config
                .all_languages()
                .into_iter()
                .map(|code| Gegeven {
                    code: code.to_string(),
                    naam: config.taal_naam(code).to_string(),
                    richting: if config.richting(code) == "rtl" {
                        "rtl"
                    } else {
                        "ltr"
                    },
                })
                .collect(),
        }
    }

    /// A language of the site by its code; the default language for any other code.
    pub fn van(&self, code: &str) -> Taal {
        let g = self
            .talen
            .iter()
            .find(|t| t.code == code)
            .unwrap_or(&self.talen[0]);
        Taal {
            code: g.code.clone(),
            richting: g.richting,
        }
    }

    /// Every language code, the default first.
    pub fn codes(&self) -> Vec<&str> {
        self.talen.iter().map(|t| t.code.as_str()).collect()
    }

    /// The default language.
    pub fn standaard(&self) -> Taal {
        self.van(&self.standaard)
    }

    /// The language asked for in a query string (`taal=ar`); the default when absent or
    /// unknown.
    pub fn kies(&self, query: Option<&str>) -> Taal {
        let gevraagd = query
            .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("taal=")))
            .unwrap_or(&self.standaard);
        self.van(gevraagd)
    }

    /// The language's own name, for the switcher.
    pub fn naam<'a>(&'a self, code: &'a str) -> &'a str {
        self.talen
            .iter()
            .find(|t| t.code == code)
            .map_or(code, |t| t.naam.as_str())
    }

    /// The site's home page in a language (`/`, `/ar/`), under the base path.
    pub fn home(&self, basis: &str, taal: &Taal) -> String {
        if taal.code == self.standaard {
            format!("{basis}/")
        } else {
            format!("{basis}/{}/", taal.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zorgsite::diagnostics::Source;

    fn talen() -> Talen {
        let config = Config::parse(&Source::new(
            "config.toml",
            "base_url = \"https://x.be\"\n[languages.fr]\nnaam = \"Français\"\n[languages.ar]\nnaam = \"العربية\"\nrichting = \"rtl\"\n",
        ))
        .unwrap();
        Talen::uit(&config)
    }

    #[test]
    fn language_from_the_query_with_the_default_as_fallback() {
        let t = talen();
        assert_eq!(t.kies(Some("taal=ar")).code, "ar");
        assert_eq!(t.kies(Some("code=X&taal=ar")).richting, "rtl");
        assert_eq!(
            t.kies(Some("taal=tr")).code,
            "nl",
            "not a language of this school"
        );
        assert_eq!(t.kies(None), t.standaard());
        assert_eq!(t.naam("fr"), "Français");
        assert_eq!(t.naam("nl"), "Nederlands");
    }

    #[test]
    fn the_language_travels_in_the_query_except_the_default() {
        let t = talen();
        assert_eq!(t.van("ar").query(&t, true), "?taal=ar");
        assert_eq!(t.van("ar").query(&t, false), "&taal=ar");
        assert_eq!(t.standaard().query(&t, true), "");
        assert_eq!(t.home("/zorg", &t.van("fr")), "/zorg/fr/");
        assert_eq!(t.home("", &t.standaard()), "/");
    }
}
