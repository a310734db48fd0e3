//! The config file `zorgenquete.toml` (`--config`), environment overrides and command-line
//! flags, merged into [`Instellingen`].
//!
//! Order, weakest first: built-in defaults, the file, `ZORGENQUETE_*` environment variables,
//! command-line flags. Relative paths in the file are relative to the file's folder, so the
//! service finds its files whatever its working directory. Every problem is a located Dutch
//! [`Diagnostic`] (`zorgenquete.toml:3:8: fout: …`), reported before anything starts.
//!
//! The retention period has one source: `[privacy] bewaren_jaren` in the school's
//! `content/config.toml`, the number the privacy page promises parents (see [`bewaartermijn`]).

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::Deserialize;
use toml::Spanned;
use zorgsite::diagnostics::{Diagnostic, Source};

use crate::instellingen::{Instellingen, PubliekeUrl};
use crate::rapport::MinimumGroep;

/// The keys of `zorgenquete.toml`; all optional (see `deploy/zorgenquete.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Bestand {
    bind: Option<Spanned<String>>,
    db: Option<Spanned<String>>,
    root: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    publieke_url: Option<Spanned<String>>,
    vertrouwde_proxies: Option<Vec<Spanned<String>>>,
    max_verbindingen: Option<Spanned<i64>>,
    minimum_groep: Option<Spanned<i64>>,
    /// Only for schools without `[privacy]`; otherwise it must match it (see [`bewaartermijn`]).
    bewaren_jaren: Option<Spanned<i64>>,
    /// One table per school when the service runs a group (see [`super::groep`]).
    school: Option<Vec<super::groep::SchoolTable>>,
}

/// Values given on the command line; they win over the file and the environment.
#[derive(Debug, Default, Clone)]
pub struct Vlaggen {
    pub config: Option<PathBuf>,
    pub bind: Option<SocketAddr>,
    pub db: Option<PathBuf>,
    pub root: Option<PathBuf>,
    pub theme: Option<PathBuf>,
    /// `--school <id>`: which school of a group a command is for.
    pub school: Option<String>,
}

/// Environment variables that override the file (for paths and, later, secrets), by key.
pub const OMGEVING: &[(&str, &str)] = &[
    ("ZORGENQUETE_CONFIG", "config"),
    ("ZORGENQUETE_BIND", "bind"),
    ("ZORGENQUETE_DB", "db"),
    ("ZORGENQUETE_ROOT", "root"),
    ("ZORGENQUETE_THEME", "theme"),
    ("ZORGENQUETE_PUBLIEKE_URL", "publieke_url"),
];

fn omgeving_naam(sleutel: &str) -> &'static str {
    OMGEVING
        .iter()
        .find(|(_, k)| *k == sleutel)
        .map_or("ZORGENQUETE_?", |(n, _)| n)
}

/// What the settings describe: one school (no `[[school]]` table, as before groups existed), or
/// a group of schools.
#[derive(Debug, Clone)]
pub enum Setup {
    Single(Instellingen),
    Groep(super::groep::Groep),
}

/// Reads the settings from the process environment and `vlaggen`: for a group, those of the
/// school `vlaggen.school` (or the only one).
pub fn laad(vlaggen: &Vlaggen) -> Result<Instellingen, Vec<Diagnostic>> {
    laad_met(vlaggen, &|naam| std::env::var(naam).ok())
}

/// As [`laad`], for `serve`: every school.
pub fn load_setup(vlaggen: &Vlaggen) -> Result<Setup, Vec<Diagnostic>> {
    load_setup_with(vlaggen, &|naam| std::env::var(naam).ok())
}

/// As [`laad`], with the environment passed in (tests).
pub fn laad_met(
    vlaggen: &Vlaggen,
    omgeving: &dyn Fn(&str) -> Option<String>,
) -> Result<Instellingen, Vec<Diagnostic>> {
    match load_setup_with(vlaggen, omgeving)? {
        Setup::Single(inst) => match &vlaggen.school {
            Some(id) => Err(vec![
                Diagnostic::error(
                    vlaggen
                        .config
                        .clone()
                        .unwrap_or_else(|| PathBuf::from("--school")),
                    format!("--school {id}: er zijn geen scholen ingesteld (geen [[school]] in het instellingenbestand)"),
                )
                .with_hint("laat --school weg, of geef met --config het bestand van de groep (groep.toml)"),
            ]),
            None => Ok(inst),
        },
        Setup::Groep(groep) => Ok(groep
            .choose(vlaggen.school.as_deref())
            .map_err(|d| vec![d])?
            .inst
            .clone()),
    }
}

/// As [`load_setup`], with the environment passed in (tests).
pub fn load_setup_with(
    vlaggen: &Vlaggen,
    omgeving: &dyn Fn(&str) -> Option<String>,
) -> Result<Setup, Vec<Diagnostic>> {
    let env = |sleutel: &str| omgeving(omgeving_naam(sleutel)).filter(|v| !v.is_empty());
    let mut inst = Instellingen::default();
    let mut fouten = Vec::new();

    let pad = vlaggen
        .config
        .clone()
        .or_else(|| env("config").map(PathBuf::from));
    let mut eigen_termijn = None;
    // The `[[school]]` tables, their file and its folder.
    let mut groep = None;
    if let Some(pad) = &pad {
        let source = Source::read(pad, pad).map_err(|d| vec![d])?;
        let mut bestand: Bestand = source
            .parse_toml(0..source.text.len())
            .map_err(|d| vec![d])?;
        let map = pad.parent().unwrap_or(Path::new("")).to_path_buf();
        pas_toe(&mut inst, &bestand, &source, &map, &mut fouten);
        if let Some(scholen) = bestand.school.take().filter(|s| !s.is_empty()) {
            if let Some(root) = &bestand.root {
                fouten.push(
                    source
                        .error_at(root.span(), "`root` geldt per school in een groep")
                        .with_hint(
                            "zet root = \"…\" in elke [[school]]-tabel en haal deze regel weg",
                        ),
                );
            }
            groep = Some((scholen, source.clone(), map));
        }
        eigen_termijn = bestand
            .bewaren_jaren
            .filter(|_| fouten.is_empty())
            .map(|v| (v, source));
    }

    // The environment.
    let env_fout = |sleutel: &str, bericht: String| {
        Diagnostic::error(omgeving_naam(sleutel), bericht)
            .with_hint("pas de omgevingsvariabele aan of verwijder ze")
    };
    if let Some(v) = env("bind") {
        match parse_bind(&v) {
            Ok(a) => inst.bind = a,
            Err(e) => fouten.push(env_fout("bind", e)),
        }
    }
    if let Some(v) = env("db") {
        inst.db = PathBuf::from(v);
    }
    if let Some(v) = env("root") {
        inst.root = PathBuf::from(v);
    }
    if let Some(v) = env("theme") {
        inst.theme = PathBuf::from(v);
    }
    if let Some(v) = env("publieke_url") {
        match PubliekeUrl::parse(&v) {
            Ok(u) => inst.zet_publieke_url(Some(u)),
            Err(e) => fouten.push(env_fout("publieke_url", e)),
        }
    }

    // The command line.
    if let Some(a) = vlaggen.bind {
        inst.bind = a;
    }
    if let Some(p) = &vlaggen.db {
        inst.db = p.clone();
    }
    if let Some(p) = &vlaggen.root {
        inst.root = p.clone();
    }
    if let Some(p) = &vlaggen.theme {
        inst.theme = p.clone();
    }
    if let Some((scholen, source, map)) = groep {
        // Per school in the group file only: a flag or variable would point every school at
        // one file or folder.
        for (gezet, naam) in [
            (vlaggen.db.is_some(), "--db"),
            (vlaggen.root.is_some(), "--root"),
            (env("db").is_some(), omgeving_naam("db")),
            (env("root").is_some(), omgeving_naam("root")),
        ] {
            if gezet {
                fouten.push(
                    Diagnostic::error(&source.path, format!("{naam} kan niet samen met [[school]]: elke school heeft haar eigen databank en inhoud"))
                        .with_hint("laat het weg en kies de school met --school <id>; de paden staan per school in dit bestand"),
                );
            }
        }
        return match super::groep::build(inst, &scholen, &source, &map, eigen_termijn.as_ref()) {
            Ok(groep) if fouten.is_empty() => Ok(Setup::Groep(groep)),
            Ok(_) => Err(fouten),
            Err(meer) => {
                fouten.extend(meer);
                Err(fouten)
            }
        };
    }
    if fouten.is_empty() {
        match bewaartermijn(&inst.root, eigen_termijn.as_ref()) {
            Ok(Some(jaren)) => inst.bewaren_jaren = jaren,
            Ok(None) => {}
            Err(d) => fouten.extend(d),
        }
    }
    if fouten.is_empty()
        && let Err(d) = super::check_address(&inst)
    {
        fouten.extend(d);
    }

    if fouten.is_empty() {
        Ok(Setup::Single(inst))
    } else {
        Err(fouten)
    }
}

fn parse_bind(v: &str) -> Result<SocketAddr, String> {
    v.parse().map_err(|_| {
        format!("`{v}` is geen adres met poort; schrijf bv. \"127.0.0.1:8080\" of \"[::1]:8080\"")
    })
}

fn pas_toe(
    inst: &mut Instellingen,
    b: &Bestand,
    source: &Source,
    map: &Path,
    fouten: &mut Vec<Diagnostic>,
) {
    let pad = |s: &Spanned<String>| {
        let p = PathBuf::from(s.get_ref());
        // A PostgreSQL address (`db`) is no path: never joined to the folder.
        let postgres = matches!(
            crate::storage::opslag::DbAdres::parse(s.get_ref()),
            crate::storage::opslag::DbAdres::Postgres(_)
        );
        if p.is_relative() && !postgres {
            map.join(p)
        } else {
            p
        }
    };
    if let Some(v) = &b.bind {
        match parse_bind(v.get_ref()) {
            Ok(a) => inst.bind = a,
            Err(e) => fouten.push(source.error_at(v.span(), e)),
        }
    }
    for (veld, doel) in [
        (&b.db, &mut inst.db),
        (&b.root, &mut inst.root),
        (&b.theme, &mut inst.theme),
    ] {
        if let Some(v) = veld {
            if v.get_ref().trim().is_empty() {
                fouten.push(
                    source
                        .error_at(v.span(), "een leeg pad")
                        .with_hint("schrijf een pad, of laat de regel weg voor de standaardwaarde"),
                );
            } else {
                *doel = pad(v);
            }
        }
    }
    if let Some(v) = &b.publieke_url {
        match PubliekeUrl::parse(v.get_ref()) {
            Ok(u) => inst.zet_publieke_url(Some(u)),
            Err(e) => fouten.push(source.error_at(v.span(), e)),
        }
    }
    if let Some(lijst) = &b.vertrouwde_proxies {
        inst.vertrouwde_proxies.clear();
        for v in lijst {
            match parse_proxy(v.get_ref()) {
                Some(net) => inst.vertrouwde_proxies.push(net),
                None => fouten.push(
                    source
                        .error_at(v.span(), format!("`{}` is geen IP-adres", v.get_ref()))
                        .with_hint("schrijf het adres van de reverse proxy, bv. \"127.0.0.1\", of een reeks zoals \"10.0.0.0/8\""),
                ),
            }
        }
    }
    if let Some(v) = &b.max_verbindingen {
        match usize::try_from(*v.get_ref()) {
            Ok(n) if (16..=100_000).contains(&n) => inst.max_verbindingen = n,
            _ => fouten.push(
                source
                    .error_at(v.span(), "`max_verbindingen` moet tussen 16 en 100000 liggen")
                    .with_hint(format!(
                        "het aantal verbindingen dat de dienst tegelijk bedient, bv. {} (de standaard); houd LimitNOFILE in de systemd-unit groter",
                        crate::web::verbinding::MAX_VERBINDINGEN
                    )),
            ),
        }
    }
    if let Some(v) = &b.minimum_groep {
        match u32::try_from(*v.get_ref()).ok().filter(|n| *n <= 1000).map(MinimumGroep::nieuw) {
            Some(Ok(n)) => inst.minimum_groep = n,
            _ => fouten.push(
                source
                    .error_at(
                        v.span(),
                        format!(
                            "`minimum_groep` moet minstens {} zijn",
                            MinimumGroep::STANDAARD.get()
                        ),
                    )
                    .with_hint(
                        "kleinere groepen zouden te herkennen zijn; kies 5 of meer (hoogstens 1000)",
                    ),
            ),
        }
    }
    if let Some(v) = &b.bewaren_jaren
        && !(1..=50).contains(v.get_ref())
    {
        fouten.push(
            source
                .error_at(v.span(), "`bewaren_jaren` moet tussen 1 en 50 liggen")
                .with_hint("het aantal schooljaren dat antwoorden bewaard blijven, bv. 5"),
        );
    }
}

/// The retention period in school years, from `[privacy] bewaren_jaren` in
/// `<root>/config.toml`: what the privacy page tells parents is what `opruimen` does.
///
/// `eigen` is `bewaren_jaren` from `zorgenquete.toml` (an older way to set it): used only when
/// the school has no `[privacy]`; when it differs from the school's number the service refuses
/// to start, rather than keep answers longer (or shorter) than parents were told. `None`: no
/// value anywhere (the default stays).
pub fn bewaartermijn(
    root: &Path,
    eigen: Option<&(Spanned<i64>, Source)>,
) -> Result<Option<u32>, Vec<Diagnostic>> {
    let pad = root.join(zorgsite::model::config::FILE);
    let school = zorgsite::model::config::Config::load_if_present(root)
        .map_err(|d| vec![d])?
        .and_then(|(config, source)| config.privacy.map(|p| (p.bewaren_jaren, source)));
    // Both were checked to lie within 1..=50.
    let jaren = |v: &Spanned<i64>| u32::try_from(*v.get_ref()).unwrap_or(5);
    match (school, eigen) {
        (Some((s, school)), Some((e, bron))) if s.get_ref() != e.get_ref() => {
            let (regel, _) = school.line_col(s.span().start);
            Err(vec![bron
                .error_at(
                    e.span(),
                    format!(
                        "`bewaren_jaren = {}` verschilt van de {} schooljaren die de privacypagina aan ouders belooft ({}:{regel})",
                        e.get_ref(),
                        s.get_ref(),
                        pad.display()
                    ),
                )
                .with_hint(
                    "haal deze regel weg: de bewaartermijn staat alleen nog onder [privacy] in content/config.toml, zodat `zorgenquete opruimen` doet wat ouders lezen",
                )])
        }
        (Some((s, _)), _) => Ok(Some(jaren(&s))),
        (None, Some((e, _))) => Ok(Some(jaren(e))),
        (None, None) => Ok(None),
    }
}

fn parse_proxy(v: &str) -> Option<IpNet> {
    let v = v.trim();
    v.parse::<IpNet>()
        .ok()
        .or_else(|| v.parse::<IpAddr>().ok().map(IpNet::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schrijf(naam: &str, tekst: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("zorgenquete-conf-{}-{naam}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pad = dir.join("zorgenquete.toml");
        std::fs::write(&pad, tekst).unwrap();
        pad
    }

    fn geen_omgeving(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn defaults_without_a_file() {
        let inst = laad_met(&Vlaggen::default(), &geen_omgeving).unwrap();
        assert_eq!(inst.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(inst.db, PathBuf::from("data/zorgenquete.sqlite"));
        assert_eq!(inst.basis, "");
        assert!(!inst.https);
        assert_eq!(inst.minimum_groep.get(), 5);
        assert_eq!(inst.max_verbindingen, 512);
    }

    #[test]
    fn file_then_environment_then_flags() {
        let pad = schrijf(
            "volgorde",
            "bind = \"0.0.0.0:9000\"\ndb = \"data/x.sqlite\"\npublieke_url = \"https://school.be/enquete/\"\nvertrouwde_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\nmax_verbindingen = 200\nminimum_groep = 8\nbewaren_jaren = 3\n",
        );
        let vlaggen = Vlaggen {
            config: Some(pad.clone()),
            ..Vlaggen::default()
        };
        let inst = laad_met(&vlaggen, &geen_omgeving).unwrap();
        assert_eq!(inst.bind.to_string(), "0.0.0.0:9000");
        assert_eq!(inst.db, pad.parent().unwrap().join("data/x.sqlite"));
        assert_eq!(inst.basis, "/enquete");
        assert!(inst.https);
        assert_eq!(inst.vertrouwde_proxies.len(), 2);
        assert!(inst.vertrouwt("10.1.2.3".parse().unwrap()));
        assert!(!inst.vertrouwt("192.168.1.1".parse().unwrap()));
        assert_eq!((inst.minimum_groep.get(), inst.bewaren_jaren), (8, 3));
        assert_eq!(inst.max_verbindingen, 200);

        let omgeving = |n: &str| match n {
            "ZORGENQUETE_DB" => Some("/srv/db.sqlite".to_string()),
            "ZORGENQUETE_BIND" => Some("127.0.0.1:7000".to_string()),
            _ => None,
        };
        let inst = laad_met(&vlaggen, &omgeving).unwrap();
        assert_eq!(inst.db, PathBuf::from("/srv/db.sqlite"));
        assert_eq!(inst.bind.port(), 7000);

        let vlaggen = Vlaggen {
            db: Some(PathBuf::from("vlag.sqlite")),
            ..vlaggen
        };
        assert_eq!(
            laad_met(&vlaggen, &omgeving).unwrap().db,
            PathBuf::from("vlag.sqlite")
        );
    }

    #[test]
    fn a_postgres_address_in_the_file_is_kept_as_it_is() {
        let url = "postgres://zorg@db.school.be:5432/zorgenquete";
        let pad = schrijf("postgres", &format!("db = \"{url}\"\n"));
        let vlaggen = Vlaggen {
            config: Some(pad),
            ..Vlaggen::default()
        };
        let inst = laad_met(&vlaggen, &geen_omgeving).unwrap();
        assert_eq!(inst.db, PathBuf::from(url), "not joined to the folder");
        assert_eq!(
            inst.db_adres(),
            crate::storage::opslag::DbAdres::Postgres(url.into())
        );
    }

    #[test]
    fn errors_are_located_and_dutch() {
        let pad = schrijf(
            "fouten",
            "bind = \"8080\"\nminimum_groep = 3\npublieke_url = \"school.be\"\nvertrouwde_proxies = [\"proxy\"]\nmax_verbindingen = 3\n",
        );
        let vlaggen = Vlaggen {
            config: Some(pad),
            ..Vlaggen::default()
        };
        let fouten = laad_met(&vlaggen, &geen_omgeving).unwrap_err();
        let regels: Vec<usize> = fouten.iter().map(|d| d.line).collect();
        assert_eq!(regels, [1, 3, 4, 5, 2]);
        assert!(fouten[3].message.contains("max_verbindingen"));
        assert!(fouten[4].message.contains("minstens 5"));
        assert!(fouten[1].message.contains("https://"));
        assert!(
            fouten[0]
                .to_string()
                .contains("zorgenquete.toml:1:8: fout:")
        );

        let pad = schrijf("typo", "\nbnid = \"127.0.0.1:80\"\n");
        let fout = laad_met(
            &Vlaggen {
                config: Some(pad),
                ..Vlaggen::default()
            },
            &geen_omgeving,
        )
        .unwrap_err();
        assert_eq!(fout[0].line, 2);
        assert_eq!(fout[0].hint.as_deref(), Some("bedoel je `bind`?"));
    }

    #[test]
    fn the_example_in_deploy_is_valid() {
        let pad = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/zorgenquete.toml");
        let vlaggen = Vlaggen {
            config: Some(pad),
            ..Vlaggen::default()
        };
        let inst = laad_met(&vlaggen, &geen_omgeving).unwrap();
        assert_eq!(inst.basis, "/zorg");
        assert!(inst.https);
        assert!(inst.vertrouwt("::1".parse().unwrap()));
        assert_eq!(
            inst.db,
            PathBuf::from("/var/lib/zorgenquete/zorgenquete.sqlite")
        );
    }

    #[test]
    fn a_bad_environment_value_names_the_variable() {
        let omgeving = |n: &str| (n == "ZORGENQUETE_PUBLIEKE_URL").then(|| "ftp://x".to_string());
        let fout = laad_met(&Vlaggen::default(), &omgeving).unwrap_err();
        assert!(
            fout[0]
                .to_string()
                .starts_with("ZORGENQUETE_PUBLIEKE_URL: fout:")
        );
    }

    /// A school folder whose `config.toml` promises `jaren` in `[privacy]`.
    fn school(naam: &str, jaren: i64) -> PathBuf {
        let dir = schrijf(naam, "").parent().unwrap().join("content");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config.toml"),
            format!(
                "base_url = \"https://x.be\"\n[privacy]\nverantwoordelijke = \"De Linde\"\ncontact = \"privacy@x.be\"\nbewaren_jaren = {jaren}\nresultaten_voor = \"het zorgteam\"\n"
            ),
        )
        .unwrap();
        dir
    }

    #[test]
    fn the_retention_period_comes_from_the_privacy_page() {
        let root = school("termijn", 4);
        let met = |tekst: &str| {
            let pad = schrijf("termijn", tekst);
            laad_met(
                &Vlaggen {
                    config: Some(pad),
                    root: Some(root.clone()),
                    ..Vlaggen::default()
                },
                &geen_omgeving,
            )
        };
        // Not in zorgenquete.toml, or the same number: the school's four years.
        assert_eq!(met("").unwrap().bewaren_jaren, 4);
        assert_eq!(met("bewaren_jaren = 4\n").unwrap().bewaren_jaren, 4);
        // A different number refuses to start, pointing at both places.
        let fout = met("minimum_groep = 5\nbewaren_jaren = 7\n").unwrap_err();
        let tekst = fout[0].to_string();
        assert!(tekst.contains("zorgenquete.toml:2:17: fout:"), "{tekst}");
        assert!(tekst.contains("belooft"), "{tekst}");
        assert!(tekst.contains("config.toml:5)"), "{tekst}");
        assert!(
            fout[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("haal deze regel weg"),
            "{tekst}"
        );
        // A school without `[privacy]` keeps the file's number.
        let leeg = schrijf("zonder", "").parent().unwrap().join("leeg");
        std::fs::create_dir_all(&leeg).unwrap();
        let pad = schrijf("zonder", "bewaren_jaren = 7\n");
        let inst = laad_met(
            &Vlaggen {
                config: Some(pad),
                root: Some(leeg),
                ..Vlaggen::default()
            },
            &geen_omgeving,
        )
        .unwrap();
        assert_eq!(inst.bewaren_jaren, 7);
    }

    #[test]
    fn a_wrong_privacy_period_is_located_in_the_school_config() {
        let root = school("ongeldig", 0);
        let fout = laad_met(
            &Vlaggen {
                root: Some(root),
                ..Vlaggen::default()
            },
            &geen_omgeving,
        )
        .unwrap_err();
        assert_eq!(fout[0].line, 5);
        assert!(fout[0].message.contains("tussen 1 en 50"));
    }
}
