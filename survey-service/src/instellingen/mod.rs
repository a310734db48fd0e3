//! Settings: what `serve` and the other commands need, and the little they read from the
//! school's `config.toml`. [`laden`] fills them from `zorgenquete.toml`, the environment and
//! the command line.

pub mod groep;
pub mod laden;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use zorgsite::diagnostics::Diagnostic;
use zorgsite::model::config::Config;

/// Everything `zorgenquete serve` needs. [`Default`] gives the documented defaults.
#[derive(Debug, Clone)]
pub struct Instellingen {
    pub bind: SocketAddr,
    pub db: PathBuf,
    /// The school's content folder (`content/`), with `enquetes/*.toml`.
    pub root: PathBuf,
    /// The theme folder (`site/`).
    pub theme: PathBuf,
    /// Path prefix when the service lives under a sub-path (e.g. `/zorg`); empty at the root.
    /// Follows [`Instellingen::publieke_url`]; set it through [`Instellingen::zet_publieke_url`].
    pub basis: String,
    /// The public address is https: cookies get `Secure` and responses HSTS.
    /// Follows [`Instellingen::publieke_url`].
    pub https: bool,
    /// The address parents use (`https://school.be/enquete`), when known.
    pub publieke_url: Option<PubliekeUrl>,
    /// Reverse proxies whose `X-Forwarded-Proto`/`-Host` and `Forwarded` headers are believed
    /// for scheme and host, and whose `X-Forwarded-For` (or `Forwarded: for=`) names the client
    /// for rate limits and the login throttle (see `web::herkomst`).
    pub vertrouwde_proxies: Vec<IpNet>,
    /// Connections served at once; beyond it a 503 page (see `web::verbinding`).
    pub max_verbindingen: usize,
    /// Smallest group whose results are shown (never below 5).
    pub minimum_groep: crate::rapport::MinimumGroep,
    /// Submissions per client address (`None`: no limit, for benchmarks).
    pub limiet_inzendingen: Option<crate::web::begrenzer::Limiet>,
    /// How many school years a period is kept before `zorgenquete opruimen` deletes it: the
    /// school's `[privacy] bewaren_jaren` (see [`crate::instellingen::laden::bewaartermijn`]).
    pub bewaren_jaren: u32,
    /// The school's id when the service runs a group (`[[school]]` in `groep.toml`): stored in
    /// its database file, which then refuses to serve another school. `None`: one school.
    pub school: Option<String>,
}

impl Instellingen {
    /// `db` as an address: a SQLite path or a PostgreSQL connection string.
    pub fn db_adres(&self) -> crate::storage::opslag::DbAdres {
        crate::storage::opslag::DbAdres::uit_pad(&self.db)
    }
}

impl Default for Instellingen {
    fn default() -> Self {
        Instellingen {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: PathBuf::from("data/zorgenquete.sqlite"),
            root: PathBuf::from("content"),
            theme: PathBuf::from("site"),
            basis: String::new(),
            https: false,
            publieke_url: None,
            vertrouwde_proxies: Vec::new(),
            max_verbindingen: crate::web::verbinding::MAX_VERBINDINGEN,
            minimum_groep: crate::rapport::MinimumGroep::STANDAARD,
            limiet_inzendingen: Some(crate::web::begrenzer::Limiet::standaard()),
            bewaren_jaren: 5,
            school: None,
        }
    }
}

impl Instellingen {
    /// Sets the public address and the base path that follows from it.
    pub fn zet_publieke_url(&mut self, url: Option<PubliekeUrl>) {
        self.basis = url.as_ref().map_or(String::new(), |u| u.basis.clone());
        self.https = url.as_ref().is_some_and(|u| u.https);
        self.publieke_url = url;
    }

    /// The public address of the surveys (letters, QR codes, the dashboard): derived from
    /// `publieke_url` when it is set (the one source of truth while the service runs), else
    /// from the school's `base_url` and `[enquete] url` (see [`lees_school`]).
    pub fn survey_address(&self, school: &School) -> Option<String> {
        match &self.publieke_url {
            Some(u) => Some(format!("{}/enquete/", u.url)),
            None => school.enquete_url.clone(),
        }
    }

    /// Whether a peer is one of the trusted reverse proxies.
    pub fn vertrouwt(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        self.vertrouwde_proxies.iter().any(|n| n.contains(&ip))
    }
}

/// The public address of the service: `http(s)://host[:port][/pad]`, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PubliekeUrl {
    /// The whole address, e.g. `https://school.be/enquete`.
    pub url: String,
    pub https: bool,
    /// `school.be` or `school.be:8443`.
    pub host: String,
    /// `/enquete`, or empty at the root.
    pub basis: String,
}

impl PubliekeUrl {
    /// Checks and normalises an address; the error is a Dutch sentence.
    pub fn parse(tekst: &str) -> Result<PubliekeUrl, String> {
        let t = tekst.trim();
        let (https, rest) = if let Some(r) = t.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = t.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(format!(
                "`{t}` moet beginnen met https:// (of http://), bv. \"https://www.onzeschool.be/enquete\""
            ));
        };
        let (host, pad) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
        if !host_ok {
            return Err(format!("`{t}` heeft geen geldige servernaam"));
        }
        let pad = pad.trim_end_matches('/');
        let pad_ok = pad.split('/').skip(1).all(|deel| {
            !deel.is_empty()
                && deel != "."
                && deel != ".."
                && deel
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
        });
        if !pad_ok {
            return Err(format!(
                "het pad in `{t}` mag alleen letters, cijfers, - , _ , . en / bevatten (geen ? of #)"
            ));
        }
        Ok(PubliekeUrl {
            url: format!("{}://{host}{pad}", if https { "https" } else { "http" }),
            https,
            host: host.to_ascii_lowercase(),
            basis: pad.to_string(),
        })
    }
}

/// What the survey pages and letters show about the school, from `content/config.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub naam: String,
    /// Public address of the surveys (`base_url` joined with `[enquete] url`), if configured.
    pub enquete_url: Option<String>,
}

/// Reads the school's name and survey address through the content model
/// ([`zorgsite::model::config`]), the same reader and URL rule the site generator uses. Without
/// a `config.toml` there is no address and the project's name stands in; a broken one is a
/// located error (the site could not be built from it either).
pub fn lees_school(root: &Path) -> Result<School, Vec<Diagnostic>> {
    Ok(match Config::load_if_present(root).map_err(|d| vec![d])? {
        Some((config, _)) => School {
            naam: config.school_naam().to_string(),
            enquete_url: Some(config.enquete_publieke_url()),
        },
        None => School {
            naam: zorgsite::model::config::STANDAARD_NAAM.to_string(),
            enquete_url: None,
        },
    })
}

/// Refuses a school whose `config.toml` contradicts the service's public address: with
/// `publieke_url` set the service serves the surveys at `<publieke_url>/enquete/`, so an
/// `[enquete] url` that sends the site's links (and letters) anywhere else is a located error in
/// the school's file. `base_url` is not compared: the service builds the site with
/// `publieke_url` in its place, and `base_url` stays the address of a preview or static copy.
pub fn check_address(inst: &Instellingen) -> Result<(), Vec<Diagnostic>> {
    #[derive(serde::Deserialize, Default)]
    struct Bestand {
        #[serde(default)]
        enquete: Option<Enquete>,
    }
    #[derive(serde::Deserialize)]
    struct Enquete {
        url: Option<toml::Spanned<String>>,
    }
    let Some(publiek) = &inst.publieke_url else {
        return Ok(());
    };
    let pad = inst.root.join(zorgsite::model::config::FILE);
    if !pad.is_file() {
        return Ok(());
    }
    let source = zorgsite::diagnostics::Source::read(&pad, &pad).map_err(|d| vec![d])?;
    let bestand: Bestand = source
        .parse_toml(0..source.text.len())
        .map_err(|d| vec![d])?;
    let Some(url) = bestand.enquete.and_then(|e| e.url) else {
        return Ok(());
    };
    let tekst = url.get_ref().trim();
    let verwacht = format!("{}/enquete/", publiek.url);
    let klopt = if tekst.contains("://") {
        tekst
            .trim_end_matches('/')
            .eq_ignore_ascii_case(verwacht.trim_end_matches('/'))
    } else {
        tekst.trim_matches('/') == "enquete"
    };
    if klopt {
        return Ok(());
    }
    Err(vec![
        source
            .error_at(
                url.span(),
                format!(
                    "`[enquete] url = \"{tekst}\"` spreekt het adres van de dienst tegen: de bevragingen staan op {verwacht}"
                ),
            )
            .with_hint(format!(
                "het adres staat op één plaats, publieke_url ({}); schrijf hier url = \"/enquete/\" of laat de regel weg",
                publiek.url
            )),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_give_scheme_host_and_base_path() {
        let u = PubliekeUrl::parse("https://School.be/enquete/").unwrap();
        assert_eq!(
            (u.url.as_str(), u.https, u.host.as_str(), u.basis.as_str()),
            ("https://School.be/enquete", true, "school.be", "/enquete")
        );
        let u = PubliekeUrl::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!((u.https, u.basis.as_str()), (false, ""));
        for slecht in [
            "school.be",
            "https://",
            "https://x.be/a?b",
            "https://x.be/../y",
            "https://x y",
        ] {
            assert!(PubliekeUrl::parse(slecht).is_err(), "{slecht}");
        }
    }

    #[test]
    fn reads_name_and_joins_survey_url() {
        let dir = std::env::temp_dir().join(format!("zorgenquete-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config.toml"),
            "base_url = \"https://school.be/\"\ntitle = \"T\"\n[school]\nnaam = \"De Linde\"\n[enquete]\nurl = \"/enquete/\"\n",
        )
        .unwrap();
        let s = lees_school(&dir).unwrap();
        assert_eq!(s.naam, "De Linde");
        assert_eq!(s.enquete_url.as_deref(), Some("https://school.be/enquete/"));
        // A typo is a located error, as in `zorgsite build`.
        std::fs::write(
            dir.join("config.toml"),
            "base_url = \"https://school.be/\"\n[enqeute]\n",
        )
        .unwrap();
        let fout = &lees_school(&dir).unwrap_err()[0];
        assert_eq!(
            (fout.line, fout.message.contains("enqeute")),
            (2, true),
            "{fout}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        let s = lees_school(&dir).unwrap();
        assert_eq!(
            (s.naam.as_str(), s.enquete_url),
            ("Samen zorg dragen", None)
        );
    }
}
