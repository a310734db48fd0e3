//! Settings: what `serve` needs, and the little it reads from the school's `config.toml`.
//!
//! Issue 9 adds a config file (`--config`) with environment overrides; it fills [`Instellingen`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Everything `zorgenquete serve` needs.
#[derive(Debug, Clone)]
pub struct Instellingen {
    pub bind: SocketAddr,
    pub db: PathBuf,
    /// The school's content folder (`content/`), with `enquetes/*.toml`.
    pub root: PathBuf,
    /// The theme folder (`site/`).
    pub theme: PathBuf,
    /// Path prefix when the service lives under a sub-path (e.g. `/zorg`); empty at the root.
    pub basis: String,
    /// The public address is https (directly or behind a proxy): dashboard cookies get `Secure`.
    pub https: bool,
    /// Smallest group whose results are shown (5, or more; never less).
    pub minimum_groep: crate::rapport::MinimumGroep,
    /// Submissions per client address (`None`: no limit, for benchmarks).
    pub limiet_inzendingen: Option<crate::web::begrenzer::Limiet>,
}

/// What the survey pages and letters show about the school, from `content/config.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub naam: String,
    /// Public address of the surveys (`base_url` joined with `[enquete] url`), if configured.
    pub enquete_url: Option<String>,
}

/// Reads the school's name and survey address leniently: the generator validates this file
/// strictly; here a missing or odd value just falls back.
pub fn lees_school(root: &Path) -> School {
    let tabel: toml::Table = std::fs::read_to_string(root.join("config.toml"))
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_default();
    let tekst = |t: &toml::Table, k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let naam = tabel
        .get("school")
        .and_then(|s| s.as_table())
        .and_then(|s| tekst(s, "naam"))
        .or_else(|| tekst(&tabel, "title"))
        .unwrap_or_else(|| "Samen zorg dragen".to_string());
    let pad = tabel
        .get("enquete")
        .and_then(|s| s.as_table())
        .and_then(|s| tekst(s, "url"));
    let enquete_url = match (tekst(&tabel, "base_url"), pad) {
        (_, Some(p)) if p.starts_with("http://") || p.starts_with("https://") => Some(p),
        (Some(base), Some(p)) => Some(format!(
            "{}/{}",
            base.trim_end_matches('/'),
            p.trim_start_matches('/')
        )),
        (Some(base), None) => Some(format!("{}/enquete/", base.trim_end_matches('/'))),
        (None, _) => None,
    };
    School { naam, enquete_url }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_name_and_joins_survey_url() {
        let dir = std::env::temp_dir().join(format!("zorgenquete-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config.toml"),
            "base_url = \"https://school.be/\"\ntitle = \"T\"\n[school]\nnaam = \"De Linde\"\n[enquete]\nurl = \"/enquete/\"\n",
        )
        .unwrap();
        let s = lees_school(&dir);
        assert_eq!(s.naam, "De Linde");
        assert_eq!(s.enquete_url.as_deref(), Some("https://school.be/enquete/"));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(lees_school(&dir).naam, "Samen zorg dragen");
    }
}
