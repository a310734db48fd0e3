//! Many schools on one service: the `[[school]]` tables of `groep.toml` (the same file as
//! `zorgenquete.toml`, with one table per school).
//!
//! Every school gets its own complete [`Instellingen`]: its content `root`, theme, database file
//! (by default `<folder of db>/<id>.sqlite`), public address and retention period. The service
//! then builds one ordinary router per school from those settings (see `web::groep`), so a
//! school's state (secrets, tokens, sessions, kiosk key, rate limits, storage) is never shared.
//!
//! A school is found by host name (`host = ["zorg.delinde.be"]`) or, without hosts, by path
//! prefix `/<id>/` under the group's `publieke_url`. A school's public address has one source:
//! its `publieke_url` for a host school, `<group publieke_url>/<id>` for a prefix school (stating
//! a different one is a located error).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use zorgsite::diagnostics::{Diagnostic, Source, closest};

use crate::instellingen::{Instellingen, PubliekeUrl};

/// One `[[school]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SchoolTable {
    id: Spanned<String>,
    root: Spanned<String>,
    theme: Option<Spanned<String>>,
    db: Option<Spanned<String>>,
    publieke_url: Option<Spanned<String>>,
    host: Option<Vec<Spanned<String>>>,
}

/// Every school of a group, with the settings they share.
#[derive(Debug, Clone)]
pub struct Groep {
    /// The group file (for messages).
    pub bestand: PathBuf,
    /// The shared settings: `bind`, proxies, connections, and the group's own `publieke_url`
    /// (whose path, `basis`, sits in front of every prefix school's `/<id>`).
    pub gedeeld: Instellingen,
    pub scholen: Vec<SchoolConfig>,
}

/// One school of the group.
#[derive(Debug, Clone)]
pub struct SchoolConfig {
    pub id: String,
    /// Host names that lead to this school (lower case, without port); empty: found by its
    /// path prefix `<group basis>/<id>`.
    pub hosts: Vec<String>,
    /// Everything the school's own router and commands need ([`Instellingen::school`] is `id`).
    pub inst: Instellingen,
}

impl Groep {
    /// The school a command works on: `--school <id>`, or the only one. The error is one Dutch
    /// sentence that lists the valid ids.
    pub fn choose(&self, id: Option<&str>) -> Result<&SchoolConfig, Diagnostic> {
        let ids: Vec<&str> = self.scholen.iter().map(|s| s.id.as_str()).collect();
        match id {
            None if self.scholen.len() == 1 => Ok(&self.scholen[0]),
            None => Err(Diagnostic::error(
                &self.bestand,
                format!(
                    "er zijn {} scholen ingesteld; zeg met --school voor welke school dit is",
                    ids.len()
                ),
            )
            .with_hint(format!(
                "bv. --school {}; gekend zijn: {}",
                ids[0],
                ids.join(", ")
            ))),
            Some(id) => self.scholen.iter().find(|s| s.id == id).ok_or_else(|| {
                let hint = match closest(id, ids.iter().copied()) {
                    Some(best) => format!("bedoel je `{best}`? gekend zijn: {}", ids.join(", ")),
                    None => format!("gekend zijn: {}", ids.join(", ")),
                };
                Diagnostic::error(
                    &self.bestand,
                    format!("er is geen school `{id}` in dit bestand"),
                )
                .with_hint(hint)
            }),
        }
    }
}

/// Ids no school may take: kept for the group level (its dashboard at `<group basis>/groep/`).
pub const RESERVED_IDS: &[&str] = &["groep"];

/// Whether `id` may name a school: a short slug, as it becomes a path segment and a file name.
fn valid_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !host.starts_with(['.', '-'])
}

/// A path without `.` and `..`, for comparing two database paths that may not exist yet.
fn plain_path(p: &Path) -> PathBuf {
    let mut uit = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                uit.pop();
            }
            other => uit.push(other),
        }
    }
    uit
}

/// Builds the group from the shared settings `gedeeld` (file, environment and flags already
/// applied) and the `[[school]]` tables of `source`. `map` is the folder of the file (relative
/// paths resolve against it); `eigen_termijn` is a top-level `bewaren_jaren`, if any.
pub(crate) fn build(
    gedeeld: Instellingen,
    tabellen: &[SchoolTable],
    source: &Source,
    map: &Path,
    eigen_termijn: Option<&(Spanned<i64>, Source)>,
) -> Result<Groep, Vec<Diagnostic>> {
    let mut fouten = Vec::new();
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
    let regel = |span: std::ops::Range<usize>| source.line_col(span.start).0;
    let db_map = gedeeld
        .db
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut hosts: HashMap<String, usize> = HashMap::new();
    let mut dbs: HashMap<PathBuf, (String, usize)> = HashMap::new();
    let mut scholen = Vec::new();
    let zonder_host = tabellen
        .iter()
        .any(|t| t.host.as_ref().is_none_or(Vec::is_empty));
    if zonder_host && gedeeld.publieke_url.is_none() {
        let eerste = tabellen
            .iter()
            .find(|t| t.host.as_ref().is_none_or(Vec::is_empty))
            .expect("checked above");
        fouten.push(
            source
                .error_at(
                    eerste.id.span(),
                    format!(
                        "school `{}` heeft geen `host`, dus staat ze onder een pad (/{}/) van het adres van de groep, maar dat adres ontbreekt",
                        eerste.id.get_ref(),
                        eerste.id.get_ref()
                    ),
                )
                .with_hint(
                    "zet bovenaan het bestand publieke_url = \"https://zorg.onzegroep.be\", of geef deze school host = [\"zorg.school.be\"]",
                ),
        );
    }
    for t in tabellen {
        let id = t.id.get_ref().trim().to_string();
        if !valid_id(&id) {
            fouten.push(
                source
                    .error_at(t.id.span(), format!("`{id}` is geen geldige id voor een school"))
                    .with_hint("kleine letters, cijfers en -, hoogstens 32 tekens, bv. \"delinde\" of \"sint-jan\""),
            );
            continue;
        }
        if RESERVED_IDS.contains(&id.as_str()) {
            fouten.push(
                source
                    .error_at(t.id.span(), format!("de id `{id}` is voorbehouden"))
                    .with_hint(format!(
                        "{} blijven vrij voor het niveau van de groep; kies een andere id",
                        RESERVED_IDS.join(", ")
                    )),
            );
            continue;
        }
        if let Some(eerder) = ids.insert(id.clone(), regel(t.id.span())) {
            fouten.push(
                source
                    .error_at(t.id.span(), format!("de id `{id}` staat er twee keer"))
                    .with_hint(format!(
                        "elke school heeft haar eigen id; de eerste `{id}` staat op regel {eerder}"
                    )),
            );
            continue;
        }
        let mut eigen_hosts = Vec::new();
        for h in t.host.iter().flatten() {
            let host = h.get_ref().trim().to_ascii_lowercase();
            let groep_host = gedeeld
                .publieke_url
                .as_ref()
                .map(|u| u.host.split(':').next().unwrap_or_default().to_string());
            if !valid_host(&host) {
                fouten.push(
                    source
                        .error_at(h.span(), format!("`{host}` is geen geldige servernaam"))
                        .with_hint(
                            "alleen de naam, zonder https:// of pad, bv. \"zorg.delinde.be\"",
                        ),
                );
            } else if zonder_host && groep_host.as_deref() == Some(host.as_str()) {
                fouten.push(
                    source
                        .error_at(h.span(), format!("`{host}` is de servernaam van de groep zelf"))
                        .with_hint("de scholen zonder host staan onder die naam (/<id>/); geef deze school een eigen servernaam"),
                );
            } else if let Some(eerder) = hosts.insert(host.clone(), regel(h.span())) {
                fouten.push(
                    source
                        .error_at(h.span(), format!("de servernaam `{host}` staat er twee keer"))
                        .with_hint(format!(
                            "één servernaam leidt naar één school; de eerste staat op regel {eerder}"
                        )),
                );
            } else {
                eigen_hosts.push(host);
            }
        }
        let mut inst = gedeeld.clone();
        inst.school = Some(id.clone());
        inst.root = pad(&t.root);
        if let Some(theme) = &t.theme {
            inst.theme = pad(theme);
        }
        inst.db = match &t.db {
            Some(db) => pad(db),
            // On PostgreSQL the schools share the group's database, one schema each.
            None if matches!(
                gedeeld.db_adres(),
                crate::storage::opslag::DbAdres::Postgres(_)
            ) =>
            {
                gedeeld.db.clone()
            }
            None => db_map.join(format!("{id}.sqlite")),
        };
        let span_db = t.db.as_ref().map_or(t.id.span(), Spanned::span);
        // One PostgreSQL database holds many schools (a schema each): only files must differ.
        let postgres = matches!(
            inst.db_adres(),
            crate::storage::opslag::DbAdres::Postgres(_)
        );
        if !postgres
            && let Some((ander, r)) =
                dbs.insert(plain_path(&inst.db), (id.clone(), regel(span_db.clone())))
        {
            fouten.push(
                source
                    .error_at(
                        span_db,
                        format!(
                            "school `{id}` en school `{ander}` (regel {r}) gebruiken hetzelfde databankbestand {}",
                            inst.db.display()
                        ),
                    )
                    .with_hint("elke school heeft haar eigen bestand: laat `db` weg (dan is het <map>/<id>.sqlite) of kies een andere naam"),
            );
        }
        // The public address: one source per school.
        let eigen = match &t.publieke_url {
            Some(v) => match PubliekeUrl::parse(v.get_ref()) {
                Ok(u) => Some((u, v.span())),
                Err(e) => {
                    fouten.push(source.error_at(v.span(), e));
                    continue;
                }
            },
            None => None,
        };
        if eigen_hosts.is_empty() && t.host.as_ref().is_none_or(Vec::is_empty) {
            // A prefix school: `<group address>/<id>`.
            let Some(groep) = &gedeeld.publieke_url else {
                continue;
            };
            let afgeleid = PubliekeUrl::parse(&format!("{}/{id}", groep.url))
                .expect("a valid address with a valid slug");
            if let Some((u, span)) = &eigen
                && u.url != afgeleid.url
            {
                fouten.push(
                    source
                        .error_at(
                            span.clone(),
                            format!(
                                "dit adres spreekt het adres van de groep tegen: school `{id}` (zonder host) staat op {}",
                                afgeleid.url
                            ),
                        )
                        .with_hint("laat publieke_url hier weg (het volgt uit het adres van de groep en de id), of geef de school een eigen `host`"),
                );
            }
            inst.zet_publieke_url(Some(afgeleid));
        } else {
            if let Some((u, span)) = &eigen {
                let naam = u.host.split(':').next().unwrap_or_default();
                if !eigen_hosts.iter().any(|h| h == naam) {
                    fouten.push(
                        source
                            .error_at(
                                span.clone(),
                                format!(
                                    "dit adres spreekt `host` tegen: `{naam}` staat niet in host = [{}]",
                                    eigen_hosts.join(", ")
                                ),
                            )
                            .with_hint("zet dezelfde servernaam in publieke_url en in host"),
                    );
                }
            }
            inst.zet_publieke_url(eigen.map(|(u, _)| u));
        }
        match super::laden::bewaartermijn(&inst.root, eigen_termijn) {
            Ok(Some(jaren)) => inst.bewaren_jaren = jaren,
            Ok(None) => {}
            Err(d) => fouten.extend(d),
        }
        if let Err(d) = super::check_address(&inst) {
            fouten.extend(d);
        }
        scholen.push(SchoolConfig {
            id,
            hosts: eigen_hosts,
            inst,
        });
    }
    if fouten.is_empty() {
        Ok(Groep {
            bestand: source.path.clone(),
            gedeeld,
            scholen,
        })
    } else {
        Err(fouten)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instellingen::laden::{Setup, Vlaggen, laad_met, load_setup_with};

    fn schrijf(naam: &str, tekst: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("zorgenquete-groep-{}-{naam}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pad = dir.join("groep.toml");
        std::fs::write(&pad, tekst).unwrap();
        pad
    }

    fn geen_omgeving(_: &str) -> Option<String> {
        None
    }

    fn met(pad: &Path, school: Option<&str>) -> Vlaggen {
        Vlaggen {
            config: Some(pad.to_path_buf()),
            school: school.map(str::to_string),
            ..Vlaggen::default()
        }
    }

    const TWEE: &str = "publieke_url = \"https://zorg.groep.be\"\ndb = \"data/zorgenquete.sqlite\"\n\n[[school]]\nid = \"delinde\"\nroot = \"delinde/content\"\n\n[[school]]\nid = \"atheneum\"\nroot = \"atheneum\"\ntheme = \"eigen-thema\"\nhost = [\"Zorg.Atheneum.be\", \"enquete.atheneum.be\"]\npublieke_url = \"https://zorg.atheneum.be\"\n";

    #[test]
    fn every_school_gets_its_own_settings() {
        let pad = schrijf("twee", TWEE);
        let map = pad.parent().unwrap();
        let Setup::Groep(g) = load_setup_with(&met(&pad, None), &geen_omgeving).unwrap() else {
            panic!("a group")
        };
        assert_eq!(g.gedeeld.basis, "");
        let [a, b] = &g.scholen[..] else {
            panic!("two schools")
        };
        assert_eq!(a.id, "delinde");
        assert!(a.hosts.is_empty());
        assert_eq!(a.inst.school.as_deref(), Some("delinde"));
        assert_eq!(a.inst.db, map.join("data/delinde.sqlite"));
        assert_eq!(a.inst.root, map.join("delinde/content"));
        assert_eq!(a.inst.theme, PathBuf::from("site"));
        assert_eq!(
            (
                a.inst.basis.as_str(),
                a.inst.publieke_url.as_ref().unwrap().url.as_str()
            ),
            ("/delinde", "https://zorg.groep.be/delinde")
        );
        assert_eq!(b.hosts, ["zorg.atheneum.be", "enquete.atheneum.be"]);
        assert_eq!(b.inst.db, map.join("data/atheneum.sqlite"));
        assert_eq!(b.inst.theme, map.join("eigen-thema"));
        assert_eq!(b.inst.basis, "");
        assert!(b.inst.https);

        // Commands pick a school with --school; without it there are two to choose from.
        let inst = laad_met(&met(&pad, Some("atheneum")), &geen_omgeving).unwrap();
        assert_eq!(inst.school.as_deref(), Some("atheneum"));
        let fout = laad_met(&met(&pad, None), &geen_omgeving).unwrap_err();
        assert!(fout[0].message.contains("--school"), "{}", fout[0]);
        assert!(
            fout[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("delinde, atheneum"),
            "{}",
            fout[0]
        );
        let fout = laad_met(&met(&pad, Some("atheneun")), &geen_omgeving).unwrap_err();
        assert!(fout[0].message.contains("geen school `atheneun`"));
        assert!(
            fout[0]
                .hint
                .as_deref()
                .unwrap()
                .starts_with("bedoel je `atheneum`?")
        );
        // A flag that would point every school at one file is refused.
        let fout = laad_met(
            &Vlaggen {
                db: Some(PathBuf::from("x.sqlite")),
                ..met(&pad, Some("delinde"))
            },
            &geen_omgeving,
        )
        .unwrap_err();
        assert!(
            fout[0]
                .message
                .starts_with("--db kan niet samen met [[school]]")
        );
    }

    #[test]
    fn one_school_needs_no_school_flag_and_refuses_one() {
        let pad = schrijf(
            "een",
            "[[school]]\nid = \"delinde\"\nroot = \"content\"\nhost = [\"zorg.delinde.be\"]\n",
        );
        let inst = laad_met(&met(&pad, None), &geen_omgeving).unwrap();
        assert_eq!(inst.school.as_deref(), Some("delinde"));
        // The default `db` is relative to the working directory, so the school's file is too.
        assert_eq!(inst.db, PathBuf::from("data/delinde.sqlite"));
        // Without [[school]], --school is a mistake worth saying.
        let pad = schrijf("geen", "minimum_groep = 5\n");
        let fout = laad_met(&met(&pad, Some("delinde")), &geen_omgeving).unwrap_err();
        assert!(
            fout[0].message.contains("geen scholen ingesteld"),
            "{}",
            fout[0]
        );
    }

    #[test]
    fn group_errors_are_located_and_dutch() {
        let pad = schrijf(
            "fouten",
            "publieke_url = \"https://zorg.groep.be\"\ndb = \"data/zorgenquete.sqlite\"\n\
             [[school]]\nid = \"a\"\nroot = \"a\"\nhost = [\"a.be\"]\n\
             [[school]]\nid = \"a\"\nroot = \"b\"\n\
             [[school]]\nid = \"c\"\nroot = \"c\"\nhost = [\"A.be\"]\n\
             [[school]]\nid = \"d\"\nroot = \"d\"\ndb = \"data/c.sqlite\"\n\
             [[school]]\nid = \"Sint Jan\"\nroot = \"e\"\n\
             [[school]]\nid = \"f\"\nroot = \"f\"\npublieke_url = \"https://zorg.groep.be/g\"\n",
        );
        let fouten = load_setup_with(&met(&pad, None), &geen_omgeving).unwrap_err();
        let tekst: Vec<String> = fouten.iter().map(ToString::to_string).collect();
        let regels: Vec<usize> = fouten.iter().map(|d| d.line).collect();
        assert_eq!(regels, [8, 13, 17, 19, 24], "{tekst:#?}");
        assert!(
            tekst[0].contains("groep.toml:8:6: fout: de id `a` staat er twee keer"),
            "{}",
            tekst[0]
        );
        assert!(fouten[0].hint.as_deref().unwrap().contains("regel 4"));
        assert!(
            tekst[1].contains("servernaam `a.be` staat er twee keer"),
            "{}",
            tekst[1]
        );
        assert!(
            tekst[2].contains("hetzelfde databankbestand"),
            "{}",
            tekst[2]
        );
        assert!(tekst[3].contains("geen geldige id"), "{}", tekst[3]);
        assert!(tekst[4].contains("https://zorg.groep.be/f"), "{}", tekst[4]);

        // The group's own host name and the reserved id.
        let pad = schrijf(
            "groepshost",
            "publieke_url = \"https://zorg.groep.be\"\n[[school]]\nid = \"groep\"\nroot = \"a\"\n[[school]]\nid = \"b\"\nroot = \"b\"\nhost = [\"zorg.groep.be\"]\n",
        );
        let fout = load_setup_with(&met(&pad, None), &geen_omgeving).unwrap_err();
        let regels: Vec<usize> = fout.iter().map(|d| d.line).collect();
        assert_eq!(regels, [3, 8]);
        assert!(fout[0].message.contains("voorbehouden"), "{}", fout[0]);
        assert!(
            fout[1].message.contains("servernaam van de groep"),
            "{}",
            fout[1]
        );

        // An unknown key in a school's table, with a "bedoel je" hint.
        let pad = schrijf(
            "typo",
            "[[school]]\nid = \"a\"\nroot = \"a\"\nhots = [\"a.be\"]\n",
        );
        let fout = load_setup_with(&met(&pad, None), &geen_omgeving).unwrap_err();
        assert_eq!(fout[0].line, 4, "{}", fout[0]);
        assert_eq!(fout[0].hint.as_deref(), Some("bedoel je `host`?"));

        // A school without host needs the group's address; root is per school.
        let pad = schrijf(
            "zonder",
            "root = \"content\"\n[[school]]\nid = \"a\"\nroot = \"a\"\n",
        );
        let fout = load_setup_with(&met(&pad, None), &geen_omgeving).unwrap_err();
        let tekst: Vec<String> = fout.iter().map(ToString::to_string).collect();
        assert!(
            tekst[0].contains("groep.toml:1:8: fout: `root` geldt per school"),
            "{tekst:?}"
        );
        assert!(tekst[1].contains("groep.toml:3:6: fout:"), "{tekst:?}");
        assert!(fout[1].message.contains("adres van de groep"), "{tekst:?}");
    }

    #[test]
    fn a_survey_address_that_contradicts_the_public_one_is_located() {
        let pad = schrijf(
            "adres",
            "publieke_url = \"https://zorg.groep.be\"\n[[school]]\nid = \"a\"\nroot = \"a\"\n",
        );
        let root = pad.parent().unwrap().join("a");
        std::fs::create_dir_all(&root).unwrap();
        let config = |url: &str| {
            std::fs::write(
                root.join("config.toml"),
                format!("base_url = \"http://127.0.0.1:8080\"\ntitle = \"A\"\n\n[enquete]\nurl = \"{url}\"\n"),
            )
            .unwrap();
        };
        // The path, or the derived address itself: consistent (base_url is the preview's).
        for goed in ["/enquete/", "enquete", "https://zorg.groep.be/a/enquete"] {
            config(goed);
            load_setup_with(&met(&pad, None), &geen_omgeving).unwrap();
        }
        for slecht in ["https://elders.be/enquete/", "/bevraging/"] {
            config(slecht);
            let fout = load_setup_with(&met(&pad, None), &geen_omgeving).unwrap_err();
            let tekst = fout[0].to_string();
            assert!(tekst.contains("config.toml:5:7: fout:"), "{tekst}");
            assert!(
                tekst.contains("https://zorg.groep.be/a/enquete/"),
                "{tekst}"
            );
        }
        // The same rule holds for one school with publieke_url in zorgenquete.toml.
        let een = schrijf("adres-een", "publieke_url = \"https://school.be/zorg\"\n");
        let fout = laad_met(
            &Vlaggen {
                root: Some(root.clone()),
                ..met(&een, None)
            },
            &geen_omgeving,
        )
        .unwrap_err();
        assert!(
            fout[0].message.contains("https://school.be/zorg/enquete/"),
            "{}",
            fout[0]
        );
    }
}

#[cfg(test)]
mod voorbeeld {
    use super::*;
    use crate::instellingen::laden::{Setup, Vlaggen, load_setup_with};

    #[test]
    fn the_group_example_in_deploy_is_valid() {
        let pad = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/groep.toml");
        let vlaggen = Vlaggen {
            config: Some(pad),
            ..Vlaggen::default()
        };
        let Setup::Groep(g) = load_setup_with(&vlaggen, &|_| None).unwrap() else {
            panic!("a group")
        };
        let kort: Vec<(&str, &str, String)> = g
            .scholen
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.inst.publieke_url.as_ref().unwrap().url.as_str(),
                    s.inst.db.display().to_string(),
                )
            })
            .collect();
        assert_eq!(
            kort,
            [
                (
                    "delinde",
                    "https://zorg.scholengroep-voorbeeld.be/delinde",
                    "/var/lib/zorgenquete/delinde.sqlite".to_string()
                ),
                (
                    "sint-jan",
                    "https://zorg.scholengroep-voorbeeld.be/sint-jan",
                    "/var/lib/zorgenquete/sint-jan.sqlite".to_string()
                ),
                (
                    "atheneum",
                    "https://zorg.atheneum-voorbeeld.be",
                    "/var/lib/zorgenquete/atheneum-noord.sqlite".to_string()
                ),
            ]
        );
        assert_eq!(g.scholen[2].hosts, ["zorg.atheneum-voorbeeld.be"]);
    }
}
