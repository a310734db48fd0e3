//! Hostile input for the generator's file parsers: front matter, `rollen.toml`,
//! `woordenlijst.toml`, `poster.toml` and the stappenplan TOML files. Random mutations of the
//! example school's real files (proptest) and a corpus of nasty files (`tests/corpus/`) must
//! never panic; every refusal is a located Dutch error naming the file.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use zorgsite::diagnostics::{Diagnostic, Source};
use zorgsite::model::content::front_matter;
use zorgsite::model::content::{PageFrontMatter, SectionFrontMatter};
use zorgsite::model::poster::{self, Bronnen};
use zorgsite::model::rollen::Rollen;
use zorgsite::model::woordenlijst::Woordenlijst;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rollen() -> Rollen {
    let src = Source::read(
        &workspace().join("content/data/rollen.toml"),
        "data/rollen.toml",
    )
    .unwrap();
    Rollen::parse(&src).unwrap()
}

/// Every error names the file it is about.
fn benoemt_bestand(src: &Source, fouten: &[Diagnostic]) {
    let pad = src.path.display().to_string();
    for f in fouten {
        assert!(f.to_string().starts_with(&pad), "{f}");
    }
}

#[derive(Debug, Clone, Copy)]
enum Soort {
    FrontMatter,
    Rollen,
    Woordenlijst,
    Poster,
    Stappenplan,
}

const ALLE: [Soort; 5] = [
    Soort::FrontMatter,
    Soort::Rollen,
    Soort::Woordenlijst,
    Soort::Poster,
    Soort::Stappenplan,
];

/// Runs one parser; returning at all (no panic) is the property, plus located errors.
fn lees(soort: Soort, src: &Source, rollen: &Rollen) {
    let fouten: Vec<Diagnostic> = match soort {
        Soort::FrontMatter => match front_matter::split(src) {
            Ok(split) => {
                let mut f = Vec::new();
                if let Err(d) = src.parse_toml::<PageFrontMatter>(split.front_matter.clone()) {
                    f.push(d);
                }
                if let Err(d) = src.parse_toml::<SectionFrontMatter>(split.front_matter) {
                    f.push(d);
                }
                f
            }
            Err(d) => vec![d],
        },
        Soort::Rollen => Rollen::parse(src).err().unwrap_or_default(),
        Soort::Woordenlijst => Woordenlijst::parse(src).err().unwrap_or_default(),
        Soort::Poster => poster::parse(src, rollen, &Bronnen::default())
            .err()
            .unwrap_or_default(),
        Soort::Stappenplan => zorgsite::model::stappenplan::parse(src, rollen)
            .err()
            .unwrap_or_default(),
    };
    benoemt_bestand(src, &fouten);
}

#[test]
fn the_corpus_never_panics_and_every_error_is_located() {
    let rollen = rollen();
    let dir = workspace().join("generator/tests/corpus");
    let mut gelezen = 0;
    let mut paden: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paden.sort();
    for pad in paden {
        let naam = pad.file_name().unwrap().to_string_lossy().into_owned();
        let soorten: Vec<Soort> = match naam.split('-').next().unwrap() {
            "front_matter" => vec![Soort::FrontMatter],
            "rollen" => vec![Soort::Rollen],
            "woordenlijst" => vec![Soort::Woordenlijst],
            "poster" => vec![Soort::Poster],
            "stappenplan" => vec![Soort::Stappenplan],
            _ => ALLE.to_vec(),
        };
        let src = match Source::read(&pad, format!("corpus/{naam}")) {
            Ok(src) => src,
            // Not UTF-8: the reader refuses it with a located error, before any parser.
            Err(d) => {
                assert!(d.to_string().starts_with("corpus/"), "{d}");
                gelezen += 1;
                continue;
            }
        };
        for soort in soorten {
            lees(soort, &src, &rollen);
        }
        gelezen += 1;
    }
    assert!(gelezen >= 15, "corpus too small: {gelezen}");
}

/// Snippets that often break parsers: fences, quotes, brackets, escapes, control characters.
const STUKJES: &[&str] = &[
    "+++",
    "\n+++\n",
    "\"",
    "'''",
    "\"\"\"",
    "[",
    "]]",
    "[[",
    "{",
    "}",
    "=",
    "\n",
    "\r\n",
    "\\",
    "\\u",
    "\\uD800",
    "#",
    "\u{0}",
    "\u{feff}",
    "\u{202e}",
    "é",
    "🙂",
    "<script>",
    "1e999",
    "-9223372036854775809",
    "[[stap]]\n",
    "[[rol]]\n",
    "id = \"\"\n",
    "= =",
    "\t",
    "nan",
    "inf",
];

fn muteer(basis: &str, stappen: &[(prop::sample::Index, u8, prop::sample::Index)]) -> String {
    let mut tekst: Vec<char> = basis.chars().collect();
    for (plek, soort, stukje) in stappen {
        let i = if tekst.is_empty() {
            0
        } else {
            plek.index(tekst.len() + 1)
        };
        match soort % 4 {
            0 => {
                let s = stukje.get(STUKJES);
                tekst.splice(i..i, s.chars());
            }
            1 => {
                let eind = (i + 1 + stukje.index(40)).min(tekst.len());
                if i < eind {
                    tekst.drain(i..eind);
                }
            }
            2 => {
                // Duplicate a stretch (repeated tables and keys).
                let eind = (i + stukje.index(120)).min(tekst.len());
                let kopie: Vec<char> = tekst[i.min(eind)..eind].to_vec();
                tekst.splice(i..i, kopie);
            }
            _ => {
                if i < tekst.len() {
                    tekst[i] = char::from_u32(stukje.index(0x800) as u32).unwrap_or('?');
                }
            }
        }
    }
    tekst.into_iter().collect()
}

fn voorbeelden() -> Vec<(Soort, String, String)> {
    let w = workspace().join("content");
    let lees = |p: &str| std::fs::read_to_string(w.join(p)).unwrap();
    vec![
        (
            Soort::FrontMatter,
            "leidraad/oudergesprek.md".into(),
            lees("leidraad/oudergesprek.md"),
        ),
        (Soort::FrontMatter, "_index.md".into(), lees("_index.md")),
        (
            Soort::Rollen,
            "data/rollen.toml".into(),
            lees("data/rollen.toml"),
        ),
        (
            Soort::Woordenlijst,
            "data/woordenlijst.toml".into(),
            lees("data/woordenlijst.toml"),
        ),
        (
            Soort::Poster,
            "data/poster.toml".into(),
            lees("data/poster.toml"),
        ),
        (
            Soort::Stappenplan,
            "data/stappenplan/leerling.toml".into(),
            lees("data/stappenplan/leerling.toml"),
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Mutated real files: any result is fine except a panic or an unlocated error.
    #[test]
    fn mutated_example_files_never_panic(
        welk in any::<prop::sample::Index>(),
        stappen in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<u8>(), any::<prop::sample::Index>()),
            1..12,
        ),
    ) {
        let voorbeelden = voorbeelden();
        let (soort, pad, tekst) = welk.get(&voorbeelden);
        let src = Source::new(pad.as_str(), muteer(tekst, &stappen));
        lees(*soort, &src, &rollen());
    }

    /// Arbitrary text into every parser.
    #[test]
    fn arbitrary_text_never_panics(tekst in "\\PC{0,400}") {
        let rollen = rollen();
        for soort in ALLE {
            lees(soort, &Source::new("x.toml", tekst.clone()), &rollen);
        }
    }
}
