//! `data/rollen.toml`: the school's roles and people, one place to update when someone changes.
//!
//! The who-is-who page, the stappenplan flowcharts and the poster all read roles from here.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Source, closest};

/// One role at the school (zorgcoördinator, klasleerkracht, CLB, …).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rol {
    /// Stable identifier used by other files (`wie = "zorgcoordinator"`): lowercase, no spaces.
    pub id: String,
    /// Name shown to people ("Zorgcoördinator").
    pub naam: String,
    /// The person or people in this role, if the school wants to name them.
    #[serde(default)]
    pub persoon: Option<String>,
    /// What this role does, in plain words.
    pub wat: String,
    /// How to reach them (when, where, how).
    pub bereik: String,
    /// Optional phone number or e-mail shown as a link.
    #[serde(default)]
    pub contact: Option<String>,
    /// Colour for flowcharts and the poster, as `#rrggbb`.
    pub kleur: String,
    /// Pictogram name from `site/static/icons/` (without `.svg`).
    pub pictogram: String,
    /// Roles in the team around the pupil ("intern") or partners from outside ("extern").
    #[serde(default = "default_groep")]
    pub groep: String,
}

fn default_groep() -> String {
    "intern".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rollen {
    #[serde(default, rename = "rol")]
    pub rollen: Vec<Rol>,
}

impl Rollen {
    /// Parses `data/rollen.toml` and checks ids and colours.
    pub fn parse(source: &Source) -> Result<Rollen, Vec<Diagnostic>> {
        let rollen: Rollen = source
            .parse_toml(0..source.text.len())
            .map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let mut seen = std::collections::HashMap::new();
        for rol in &rollen.rollen {
            let count = seen.entry(rol.id.as_str()).or_insert(0usize);
            let span = source.find_nth_value("id", &rol.id, *count);
            *count += 1;
            if rol.id.is_empty()
                || !rol
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                errors.push(
                    source
                        .error_at(span.clone(), format!("ongeldige rol-id `{}`", rol.id))
                        .with_hint(
                            "gebruik alleen kleine letters, cijfers en -, bv. `zorgcoordinator`",
                        ),
                );
            }
            if *count > 1 {
                errors.push(
                    source
                        .error_at(span, format!("de rol `{}` staat er twee keer in", rol.id))
                        .with_hint("geef elke rol een eigen id"),
                );
            }
            if !is_hex_colour(&rol.kleur) {
                errors.push(
                    source
                        .error_at(
                            source.find_value("kleur", &rol.kleur),
                            format!("ongeldige kleur `{}`", rol.kleur),
                        )
                        .with_hint("schrijf een kleur als #rrggbb, bv. \"#1f6f8b\""),
                );
            }
        }
        if errors.is_empty() {
            Ok(rollen)
        } else {
            Err(errors)
        }
    }

    pub fn get(&self, id: &str) -> Option<&Rol> {
        self.rollen.iter().find(|r| r.id == id)
    }

    /// A "bedoel je …?" hint for an unknown role id.
    pub fn suggest(&self, id: &str) -> String {
        match closest(id, self.rollen.iter().map(|r| r.id.as_str())) {
            Some(best) => format!("bedoel je `{best}`?"),
            None => format!(
                "kies een rol uit data/rollen.toml: {}",
                self.rollen
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"
[[rol]]
id = "zorgcoordinator"
naam = "Zorgcoördinator"
wat = "Volgt de zorg op."
bereik = "Elke dag op school."
kleur = "#1f6f8b"
pictogram = "zorg"
"##;

    #[test]
    fn parses_roles() {
        let rollen = Rollen::parse(&Source::new("rollen.toml", GOOD)).unwrap();
        assert_eq!(
            rollen.get("zorgcoordinator").unwrap().naam,
            "Zorgcoördinator"
        );
        assert_eq!(rollen.get("zorgcoordinator").unwrap().groep, "intern");
        assert_eq!(
            rollen.suggest("zorgcordinator"),
            "bedoel je `zorgcoordinator`?"
        );
    }

    #[test]
    fn duplicate_ids_and_bad_colours_are_located() {
        let text = format!("{GOOD}{}", GOOD.replace("#1f6f8b", "blauw"));
        let errors = Rollen::parse(&Source::new("rollen.toml", text)).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].line, 11);
        assert!(errors[0].message.contains("twee keer"));
        assert_eq!(errors[1].line, 15);
        assert!(errors[1].message.contains("ongeldige kleur"));
    }
}
