//! A school's own recordings for read-aloud: `content/enquetes/audio/<vragenlijst>/<vraag>.<taal>.<ext>`.
//!
//! The one place that finds, reads and checks them: `zorgsite check` reports what is wrong and
//! lists the items without a recording ([`overzicht`]); `zorgenquete` refuses to start on the
//! same errors ([`laad`]) and serves what it found. A recording is played on the survey pages
//! instead of the browser's speech synthesis, for that item in that language only.
//!
//! Accepted: MP3 (`.mp3`), Ogg (`.ogg`, `.oga`, `.opus`) and MPEG-4 audio (`.m4a`). The
//! content is checked against the extension by its first bytes (an ID3 tag or an MPEG audio
//! frame, `OggS`, `ftyp` at offset 4). Three fixed signatures are a few lines here; a detection
//! crate would bring a table of hundreds of formats to tell three apart, and we also want to
//! name a few unsupported ones (WAV, FLAC, WebM, AAC) in the hint.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, closest};
use crate::model::config::Config;
use crate::model::vertaling;
use crate::model::vragenlijst::{self, Vragenlijst};

/// Where the recordings live, relative to the content directory.
pub const DIR: &str = "enquetes/audio";

/// Above this a file is refused: the service keeps every recording in memory, and one item read
/// aloud lasts seconds, not minutes.
pub const HOOGSTE_GROOTTE: u64 = 5 * 1024 * 1024;
/// Above this a warning: parents on mobile data wait for it.
pub const GROOT: u64 = 1024 * 1024;

/// The audio formats a survey page can play.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Formaat {
    Mp3,
    Ogg,
    M4a,
}

impl Formaat {
    /// The format a (lowercase) file extension promises.
    pub fn uit_extensie(ext: &str) -> Option<Formaat> {
        match ext {
            "mp3" => Some(Formaat::Mp3),
            "ogg" | "oga" | "opus" => Some(Formaat::Ogg),
            "m4a" => Some(Formaat::M4a),
            _ => None,
        }
    }

    /// The `Content-Type` it is served with (and the `type` of the page's `<source>`).
    pub fn content_type(self) -> &'static str {
        match self {
            Formaat::Mp3 => "audio/mpeg",
            Formaat::Ogg => "audio/ogg",
            Formaat::M4a => "audio/mp4",
        }
    }

    /// The extension the service uses in addresses.
    pub fn extensie(self) -> &'static str {
        match self {
            Formaat::Mp3 => "mp3",
            Formaat::Ogg => "ogg",
            Formaat::M4a => "m4a",
        }
    }

    /// How the coordinator knows it.
    pub fn naam(self) -> &'static str {
        match self {
            Formaat::Mp3 => "MP3",
            Formaat::Ogg => "Ogg",
            Formaat::M4a => "M4A",
        }
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inhoud {
    Audio(Formaat),
    /// A known audio format that pages cannot rely on: its name, for the hint.
    NietOndersteund(&'static str),
    Onbekend,
}

/// Recognises the content by its first bytes.
pub fn herken(bytes: &[u8]) -> Inhoud {
    let begin = |p: &[u8]| bytes.starts_with(p);
    if begin(b"ID3") {
        return Inhoud::Audio(Formaat::Mp3);
    }
    if begin(b"OggS") {
        return Inhoud::Audio(Formaat::Ogg);
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        return Inhoud::Audio(Formaat::M4a);
    }
    if begin(b"RIFF") && bytes.get(8..12) == Some(b"WAVE") {
        return Inhoud::NietOndersteund("WAV");
    }
    if begin(b"fLaC") {
        return Inhoud::NietOndersteund("FLAC");
    }
    if begin(&[0x1a, 0x45, 0xdf, 0xa3]) {
        return Inhoud::NietOndersteund("WebM");
    }
    if let [0xff, b1, ..] = *bytes
        && b1 & 0xe0 == 0xe0
    {
        // An MPEG audio frame: 11 sync bits, then version (01 reserved) and layer (00 is
        // reserved for MPEG audio, and is what AAC in ADTS has there).
        let versie = (b1 >> 3) & 0b11;
        let laag = (b1 >> 1) & 0b11;
        return match (versie, laag) {
            (0b01, _) => Inhoud::Onbekend,
            (_, 0b00) => Inhoud::NietOndersteund("AAC"),
            _ => Inhoud::Audio(Formaat::Mp3),
        };
    }
    Inhoud::Onbekend
}

/// One recording: which item, in which language, and its bytes (checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opname {
    pub vragenlijst: String,
    pub vraag: String,
    pub taal: String,
    pub formaat: Formaat,
    /// The file as a person finds it (`content/enquetes/audio/ouders/x.nl.mp3`).
    pub pad: PathBuf,
    pub inhoud: Vec<u8>,
}

/// What [`laad`] found: the usable recordings, sorted, and every problem (errors and warnings).
#[derive(Debug, Default)]
pub struct Gevonden {
    pub opnames: Vec<Opname>,
    pub meldingen: Vec<Diagnostic>,
    /// Whether `enquetes/audio/` exists at all.
    pub map: bool,
}

impl Gevonden {
    /// Only the errors (a service refuses to start on them; warnings are only shown).
    pub fn fouten(&self) -> Vec<Diagnostic> {
        self.meldingen
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect()
    }
}

const NAAM_HINT: &str = "noem het bestand <vraag>.<taal>.mp3, bv. zorg-aanspreekpunt.nl.mp3";
const FORMATEN: &str = ".mp3, .m4a of .ogg";
const KLEINER: &str =
    "sla de opname op als MP3 in mono met 64 kbit/s: een halve minuut is dan ongeveer 250 kB";

/// Files an operating system leaves in a folder by itself; never a recording.
fn genegeerd(naam: &str) -> bool {
    naam.starts_with('.')
        || naam.eq_ignore_ascii_case("thumbs.db")
        || naam.eq_ignore_ascii_case("desktop.ini")
}

/// Sorted entries of a folder: (name, path, is a folder). Unreadable entries are skipped (the
/// folder itself being unreadable is an error of the caller).
fn entries(dir: &Path) -> std::io::Result<Vec<(String, PathBuf, bool)>> {
    let mut out: Vec<(String, PathBuf, bool)> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| {
            let naam = e.file_name().to_string_lossy().into_owned();
            let map = e.path().is_dir();
            (naam, e.path(), map)
        })
        .filter(|(naam, _, _)| !genegeerd(naam))
        .collect();
    out.sort();
    Ok(out)
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

/// The languages a questionnaire is shown in: the default one and each `<id>.<taal>.toml`.
fn talen_van(root: &Path, id: &str, standaard: &str) -> BTreeSet<String> {
    vertaling::bestanden(&root.join(vragenlijst::DIR), id)
        .into_iter()
        .map(|(taal, _)| taal)
        .chain(std::iter::once(standaard.to_string()))
        .collect()
}

/// Finds, reads and checks every recording in `<root>/enquetes/audio/`.
///
/// `talen` are the school's languages (`config.toml`, the default first); `lijsten` every
/// questionnaire file by id, `None` for one that does not parse (its recordings are skipped:
/// the questionnaire's own error is reported elsewhere).
pub fn laad<'a>(
    root: &Path,
    talen: &[&str],
    lijsten: impl IntoIterator<Item = (&'a str, Option<&'a Vragenlijst>)>,
) -> Gevonden {
    let lijsten: BTreeMap<&str, Option<&Vragenlijst>> = lijsten.into_iter().collect();
    let dir = root.join(DIR);
    let display = |rel: &str| crate::model::display(root, &format!("{DIR}/{rel}"));
    let mut gevonden = Gevonden::default();
    if !dir.exists() {
        return gevonden;
    }
    gevonden.map = true;
    let mappen = match entries(&dir) {
        Ok(e) => e,
        Err(e) => {
            gevonden.meldingen.push(
                Diagnostic::error(&dir, format!("kan de map met opnames niet lezen ({e})"))
                    .with_hint("controleer of de map bestaat en leesbaar is"),
            );
            return gevonden;
        }
    };
    let standaard = talen.first().copied().unwrap_or("nl");
    for (id, pad, is_map) in mappen {
        if !is_map {
            gevonden.meldingen.push(
                Diagnostic::error(
                    display(&id),
                    "dit bestand staat niet in de map van een vragenlijst",
                )
                .with_hint(format!(
                    "zet het in een map met de naam van de vragenlijst, bv. {DIR}/{}/",
                    lijsten.keys().next().copied().unwrap_or("ouders")
                )),
            );
            continue;
        }
        let lijst = match lijsten.get(id.as_str()) {
            Some(Some(l)) => *l,
            Some(None) => continue,
            None => {
                let hint = match closest(&id, lijsten.keys().copied()) {
                    Some(best) => format!("bedoel je `{best}`? De map heet zoals de vragenlijst (enquetes/{best}.toml)"),
                    None => "de map heet zoals de vragenlijst: enquetes/<naam>.toml hoort bij enquetes/audio/<naam>/".to_string(),
                };
                gevonden.meldingen.push(
                    Diagnostic::error(display(&id), format!("er is geen vragenlijst `{id}`"))
                        .with_hint(hint),
                );
                continue;
            }
        };
        let lijst_talen = talen_van(root, &lijst.id, standaard);
        let bestanden = match entries(&pad) {
            Ok(b) => b,
            Err(e) => {
                gevonden.meldingen.push(
                    Diagnostic::error(display(&id), format!("kan de map niet lezen ({e})"))
                        .with_hint("controleer of de map leesbaar is"),
                );
                continue;
            }
        };
        let mut gezien: BTreeMap<(String, String), String> = BTreeMap::new();
        for (naam, pad, is_map) in bestanden {
            let rel = format!("{id}/{naam}");
            let fout = |boodschap: String| Diagnostic::error(display(&rel), boodschap);
            if is_map {
                gevonden.meldingen.push(
                    fout("een map in de map van een vragenlijst wordt niet gelezen".into())
                        .with_hint(format!("zet de opnames rechtstreeks in {DIR}/{id}/")),
                );
                continue;
            }
            let delen: Vec<&str> = naam.split('.').collect();
            let [vraag, taal, ext] = delen[..] else {
                gevonden.meldingen.push(
                    fout("de naam van dit bestand volgt de afspraak niet".into())
                        .with_hint(NAAM_HINT),
                );
                continue;
            };
            let ext = ext.to_ascii_lowercase();
            let Some(formaat) = Formaat::uit_extensie(&ext) else {
                gevonden.meldingen.push(
                    fout(format!("bestanden met `.{ext}` kan de enquête niet afspelen"))
                        .with_hint(format!(
                            "bewaar de opname als MP3 (bv. in Audacity: Exporteren als MP3) en noem het {vraag}.{taal}.mp3; alleen {FORMATEN} horen in deze map"
                        )),
                );
                continue;
            };
            if lijst.vraag(vraag).is_none() {
                let hint = match closest(vraag, lijst.vragen.iter().map(|v| v.id.as_str())) {
                    Some(best) => format!("bedoel je `{best}`?"),
                    None => format!(
                        "de naam begint met de id van een vraag uit enquetes/{id}.toml, bv. {}",
                        lijst.vragen.first().map_or("", |v| v.id.as_str())
                    ),
                };
                gevonden.meldingen.push(
                    fout(format!("de vragenlijst `{id}` heeft geen vraag `{vraag}`"))
                        .with_hint(hint),
                );
                continue;
            }
            if !talen.contains(&taal) {
                let hint = match closest(taal, talen.iter().copied()) {
                    Some(best) => format!(
                        "bedoel je `{best}`? Een nieuwe taal voeg je eerst toe in config.toml met [languages.{taal}]"
                    ),
                    None => format!(
                        "gebruik een taal uit config.toml ({}), of voeg de taal eerst toe met [languages.{taal}]",
                        talen.join(", ")
                    ),
                };
                gevonden.meldingen.push(
                    fout(format!("de taal `{taal}` staat niet in config.toml")).with_hint(hint),
                );
                continue;
            }
            let sleutel = (vraag.to_string(), taal.to_string());
            if let Some(eerder) = gezien.get(&sleutel) {
                gevonden.meldingen.push(
                    fout(format!(
                        "er is al een opname voor deze vraag in deze taal: {eerder}"
                    ))
                    .with_hint("houd één bestand per vraag en taal; verwijder het andere"),
                );
                continue;
            }
            gezien.insert(sleutel, naam.clone());
            let grootte = match std::fs::metadata(&pad) {
                Ok(m) => m.len(),
                Err(e) => {
                    gevonden.meldingen.push(
                        fout(format!("kan het bestand niet lezen ({e})"))
                            .with_hint("controleer of het bestand leesbaar is"),
                    );
                    continue;
                }
            };
            if grootte > HOOGSTE_GROOTTE {
                gevonden.meldingen.push(
                    fout(format!(
                        "het bestand is te groot ({} MB; hoogstens {} MB)",
                        mb(grootte),
                        mb(HOOGSTE_GROOTTE)
                    ))
                    .with_hint(KLEINER),
                );
                continue;
            }
            let inhoud = match std::fs::read(&pad) {
                Ok(b) => b,
                Err(e) => {
                    gevonden.meldingen.push(
                        fout(format!("kan het bestand niet lezen ({e})")).with_hint(
                            "controleer of het bestand leesbaar is en niet open staat in een ander programma",
                        ),
                    );
                    continue;
                }
            };
            if inhoud.is_empty() {
                gevonden.meldingen.push(
                    fout("het bestand is leeg".into())
                        .with_hint("neem de vraag opnieuw op, of verwijder het bestand"),
                );
                continue;
            }
            match herken(&inhoud) {
                Inhoud::Audio(echt) if echt == formaat => {}
                Inhoud::Audio(echt) => {
                    gevonden.meldingen.push(
                        fout(format!(
                            "dit is een {}-bestand met de extensie .{ext}",
                            echt.naam()
                        ))
                        .with_hint(format!(
                            "hernoem het naar {vraag}.{taal}.{}",
                            echt.extensie()
                        )),
                    );
                    continue;
                }
                Inhoud::NietOndersteund(soort) => {
                    gevonden.meldingen.push(
                        fout(format!(
                            "dit is een {soort}-bestand: dat kan de enquête niet afspelen"
                        ))
                        .with_hint(
                            "bewaar de opname als MP3 (bv. in Audacity: Exporteren als MP3); de extensie veranderen is niet genoeg",
                        ),
                    );
                    continue;
                }
                Inhoud::Onbekend => {
                    gevonden.meldingen.push(
                        fout(format!(
                            "dit is geen {}-bestand: de inhoud begint niet zoals een geluidsbestand",
                            formaat.naam()
                        ))
                        .with_hint(format!(
                            "bewaar de opname opnieuw als {}; een ander bestand hernoemen naar .{ext} maakt er geen {} van",
                            formaat.naam(),
                            formaat.naam()
                        )),
                    );
                    continue;
                }
            }
            if !lijst_talen.contains(taal) {
                gevonden.meldingen.push(
                    Diagnostic::warning(
                        display(&rel),
                        format!(
                            "deze opname wordt niet afgespeeld: de vragenlijst `{id}` is niet vertaald naar `{taal}`"
                        ),
                    )
                    .with_hint(format!(
                        "maak eerst enquetes/{id}.{taal}.toml, of verwijder de opname"
                    )),
                );
            } else if grootte > GROOT {
                gevonden.meldingen.push(
                    Diagnostic::warning(
                        display(&rel),
                        format!(
                            "groot bestand ({} MB): ouders met mobiele data wachten lang",
                            mb(grootte)
                        ),
                    )
                    .with_hint(KLEINER),
                );
            }
            gevonden.opnames.push(Opname {
                vragenlijst: id.clone(),
                vraag: vraag.to_string(),
                taal: taal.to_string(),
                formaat,
                pad: display(&rel),
                inhoud,
            });
        }
    }
    gevonden
}

/// For the coordinator: per questionnaire and language, which items have no recording yet.
/// Lines in Dutch, for `zorgsite check` to print after its findings. Only languages with at
/// least one recording get a list (a school that records only in Arabic is not told about the
/// 16 Dutch items every time); without any recording one line says they are optional.
pub fn overzicht<'a>(
    root: &Path,
    config: &Config,
    lijsten: impl IntoIterator<Item = (&'a str, Option<&'a Vragenlijst>)>,
    gevonden: &Gevonden,
) -> Vec<String> {
    if gevonden.opnames.is_empty() {
        return vec![format!(
            "Opnames om voor te lezen: nog geen (niet verplicht). Een opname per vraag en taal zet je in {DIR}/<vragenlijst>/<vraag>.<taal>.mp3; zonder opname leest de browser de vraag voor als hij een stem heeft."
        )];
    }
    let standaard = config.default_language.as_str();
    let mut regels = vec![format!("Opnames om voor te lezen ({DIR}/):")];
    for (id, lijst) in lijsten {
        let Some(lijst) = lijst else { continue };
        let van_lijst: Vec<&Opname> = gevonden
            .opnames
            .iter()
            .filter(|o| o.vragenlijst == id)
            .collect();
        if van_lijst.is_empty() {
            regels.push(format!("  {id}: nog geen opnames"));
            continue;
        }
        let lijst_talen = talen_van(root, id, standaard);
        let mut zonder: Vec<String> = Vec::new();
        for taal in config.all_languages() {
            if !lijst_talen.contains(taal) {
                continue;
            }
            let naam = format!("{} ({taal})", config.taal_naam(taal));
            let met: BTreeSet<&str> = van_lijst
                .iter()
                .filter(|o| o.taal == taal)
                .map(|o| o.vraag.as_str())
                .collect();
            if met.is_empty() {
                zonder.push(naam);
                continue;
            }
            let ontbrekend: Vec<&str> = lijst
                .vragen
                .iter()
                .map(|v| v.id.as_str())
                .filter(|v| !met.contains(v))
                .collect();
            let totaal = lijst.vragen.len();
            if ontbrekend.is_empty() {
                regels.push(format!(
                    "  {id}, {naam}: alle {totaal} vragen hebben een opname"
                ));
            } else {
                let n = met.len();
                let werkwoord = if n == 1 { "heeft" } else { "hebben" };
                regels.push(format!(
                    "  {id}, {naam}: {n} van de {totaal} vragen {werkwoord} een opname; nog zonder opname: {}",
                    ontbrekend.join(", ")
                ));
            }
        }
        if !zonder.is_empty() {
            regels.push(format!("  {id}: nog geen opnames in {}", zonder.join(", ")));
        }
    }
    regels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Source;

    const LIJST: &str = r#"
id = "ouders"
titel = "T"
intro = "I"
bedankt = "B"

[[vraag]]
id = "zorg-aanspreekpunt"
versie = 1
categorie = "zorgbeleid"
soort = "schaal"
tekst = "Ik weet bij wie ik terechtkan."

[[vraag]]
id = "samen-welkom"
versie = 1
categorie = "samenwerking"
soort = "schaal"
tekst = "Ik voel me welkom."

[[vraag]]
id = "open-beter"
versie = 1
categorie = "samenwerking"
soort = "open"
tekst = "Wat kan beter?"
"#;

    /// A few bytes that start like each format (the check reads only the start).
    const MP3: &[u8] = &[0xff, 0xf3, 0x28, 0xc4, 0, 0, 0, 0];
    const MP3_ID3: &[u8] = b"ID3\x04\x00\x00\x00\x00\x00\x00";
    const OGG: &[u8] = b"OggS\x00\x02\x00\x00";
    const M4A: &[u8] = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00";
    const TALEN: &[&str] = &["nl", "ar", "en", "fr", "tr"];

    struct School {
        tmp: e2e::TempDir,
        lijst: Vragenlijst,
    }

    impl School {
        /// A content root with `enquetes/ouders.toml` and an Arabic translation file.
        fn new() -> School {
            let tmp = e2e::TempDir::new("opname");
            let enquetes = tmp.path().join("enquetes");
            std::fs::create_dir_all(enquetes.join("audio/ouders")).unwrap();
            std::fs::write(enquetes.join("ouders.toml"), LIJST).unwrap();
            std::fs::write(enquetes.join("ouders.ar.toml"), "").unwrap();
            let lijst = vragenlijst::parse(&Source::new("ouders.toml", LIJST), "ouders").unwrap();
            School { tmp, lijst }
        }

        fn root(&self) -> &Path {
            self.tmp.path()
        }

        fn zet(&self, rel: &str, inhoud: &[u8]) -> &School {
            let pad = self.root().join(DIR).join(rel);
            std::fs::create_dir_all(pad.parent().unwrap()).unwrap();
            std::fs::write(pad, inhoud).unwrap();
            self
        }

        fn laad(&self) -> Gevonden {
            laad(self.root(), TALEN, [("ouders", Some(&self.lijst))])
        }
    }

    #[test]
    fn recognises_the_three_formats_by_their_first_bytes() {
        assert_eq!(herken(MP3), Inhoud::Audio(Formaat::Mp3));
        assert_eq!(herken(MP3_ID3), Inhoud::Audio(Formaat::Mp3));
        assert_eq!(herken(OGG), Inhoud::Audio(Formaat::Ogg));
        assert_eq!(herken(M4A), Inhoud::Audio(Formaat::M4a));
        assert_eq!(
            herken(b"RIFF\0\0\0\0WAVEfmt "),
            Inhoud::NietOndersteund("WAV")
        );
        assert_eq!(herken(b"fLaC\0\0"), Inhoud::NietOndersteund("FLAC"));
        // AAC in ADTS also starts with 12 sync bits, but has layer 00.
        assert_eq!(
            herken(&[0xff, 0xf1, 0x50, 0x80]),
            Inhoud::NietOndersteund("AAC")
        );
        assert_eq!(herken(b"<html>"), Inhoud::Onbekend);
        assert_eq!(herken(&[0xff]), Inhoud::Onbekend);
        assert_eq!(herken(b""), Inhoud::Onbekend);
    }

    #[test]
    fn finds_recordings_by_the_naming_convention() {
        let s = School::new();
        s.zet("ouders/zorg-aanspreekpunt.nl.mp3", MP3)
            .zet("ouders/zorg-aanspreekpunt.ar.ogg", OGG)
            .zet("ouders/samen-welkom.nl.M4A", M4A)
            .zet("ouders/open-beter.nl.opus", OGG)
            .zet("ouders/.DS_Store", b"junk")
            .zet("Thumbs.db", b"junk");
        let g = s.laad();
        assert!(g.meldingen.is_empty(), "{:?}", g.meldingen);
        assert!(g.map);
        let gevonden: Vec<(&str, &str, Formaat)> = g
            .opnames
            .iter()
            .map(|o| (o.vraag.as_str(), o.taal.as_str(), o.formaat))
            .collect();
        assert_eq!(
            gevonden,
            [
                ("open-beter", "nl", Formaat::Ogg),
                ("samen-welkom", "nl", Formaat::M4a),
                ("zorg-aanspreekpunt", "ar", Formaat::Ogg),
                ("zorg-aanspreekpunt", "nl", Formaat::Mp3),
            ]
        );
        let o = &g.opnames[3];
        assert_eq!(o.inhoud, MP3);
        assert_eq!(o.vragenlijst, "ouders");
        assert_eq!(
            o.pad,
            s.root()
                .join("enquetes/audio/ouders/zorg-aanspreekpunt.nl.mp3")
        );
    }

    #[test]
    fn without_a_folder_nothing_is_found_and_nothing_is_wrong() {
        let s = School::new();
        std::fs::remove_dir_all(s.root().join(DIR)).unwrap();
        let g = s.laad();
        assert!(!g.map && g.opnames.is_empty() && g.meldingen.is_empty());
    }

    #[test]
    fn each_broken_file_is_an_error_with_its_path_and_a_hint() {
        let groot = vec![0u8; (HOOGSTE_GROOTTE + GROOT) as usize];
        let gevallen: &[(&str, &[u8], &str, &str)] = &[
            (
                "losse.nl.mp3",
                MP3,
                "dit bestand staat niet in de map van een vragenlijst",
                "enquetes/audio/ouders/",
            ),
            (
                "ouder/zorg-aanspreekpunt.nl.mp3",
                MP3,
                "er is geen vragenlijst `ouder`",
                "bedoel je `ouders`?",
            ),
            (
                "ouders/zorg-aanspreekpunt.mp3",
                MP3,
                "de naam van dit bestand volgt de afspraak niet",
                "zorg-aanspreekpunt.nl.mp3",
            ),
            (
                "ouders/zorg-aanspreekpunt.nl.wav",
                b"RIFF\0\0\0\0WAVE",
                "bestanden met `.wav` kan de enquête niet afspelen",
                "Exporteren als MP3",
            ),
            (
                "ouders/zorg-aanspreekpnt.nl.mp3",
                MP3,
                "de vragenlijst `ouders` heeft geen vraag `zorg-aanspreekpnt`",
                "bedoel je `zorg-aanspreekpunt`?",
            ),
            (
                "ouders/zorg-aanspreekpunt.de.mp3",
                MP3,
                "de taal `de` staat niet in config.toml",
                "[languages.de]",
            ),
            (
                "ouders/samen-welkom.nl.mp3",
                b"",
                "het bestand is leeg",
                "opnieuw op",
            ),
            (
                "ouders/samen-welkom.en.mp3",
                b"<html>niet echt</html>",
                "dit is geen MP3-bestand: de inhoud begint niet zoals een geluidsbestand",
                "hernoemen naar .mp3 maakt er geen MP3 van",
            ),
            (
                "ouders/samen-welkom.fr.mp3",
                OGG,
                "dit is een Ogg-bestand met de extensie .mp3",
                "hernoem het naar samen-welkom.fr.ogg",
            ),
            (
                "ouders/samen-welkom.tr.m4a",
                b"fLaC\0\0\0\0",
                "dit is een FLAC-bestand: dat kan de enquête niet afspelen",
                "Exporteren als MP3",
            ),
            (
                "ouders/open-beter.nl.mp3",
                &groot,
                "het bestand is te groot (6,0 MB; hoogstens 5,0 MB)",
                "mono",
            ),
        ];
        for (rel, inhoud, boodschap, hint) in gevallen {
            let s = School::new();
            s.zet(rel, inhoud);
            let g = s.laad();
            assert!(g.opnames.is_empty(), "{rel}: {:?}", g.opnames);
            let fouten = g.fouten();
            assert_eq!(fouten.len(), 1, "{rel}: {fouten:?}");
            let f = &fouten[0];
            assert_eq!(f.message, *boodschap, "{rel}");
            assert!(f.hint.as_deref().unwrap_or("").contains(hint), "{rel}: {f}");
            // An unknown questionnaire is one error at its folder; every other at the file.
            let pad = match rel.split_once('/') {
                Some(("ouder", _)) => s.root().join(DIR).join("ouder"),
                _ => s.root().join(DIR).join(rel),
            };
            assert_eq!(f.path, pad, "{rel}");
            assert!(
                f.to_string()
                    .starts_with(&format!("{}: fout: ", pad.display())),
                "{f}"
            );
        }
    }

    #[test]
    fn a_folder_inside_and_two_files_for_one_item_are_errors() {
        let s = School::new();
        s.zet("ouders/oud/zorg-aanspreekpunt.nl.mp3", MP3)
            .zet("ouders/zorg-aanspreekpunt.nl.mp3", MP3)
            .zet("ouders/zorg-aanspreekpunt.nl.ogg", OGG);
        let g = s.laad();
        let boodschappen: Vec<&str> = g.meldingen.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            boodschappen,
            [
                "een map in de map van een vragenlijst wordt niet gelezen",
                "er is al een opname voor deze vraag in deze taal: zorg-aanspreekpunt.nl.mp3",
            ]
        );
        assert_eq!(g.opnames.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_file_is_an_error() {
        let s = School::new();
        s.zet("ouders/samen-welkom.nl.mp3", MP3);
        let pad = s.root().join(DIR).join("ouders/samen-welkom.nl.mp3");
        // A symlink to nowhere cannot be read, also as root (where chmod 000 does not stop reads).
        std::fs::remove_file(&pad).unwrap();
        std::os::unix::fs::symlink(s.root().join("weg.mp3"), &pad).unwrap();
        let fouten = s.laad().fouten();
        assert_eq!(fouten.len(), 1, "{fouten:?}");
        assert!(
            fouten[0]
                .message
                .starts_with("kan het bestand niet lezen ("),
            "{}",
            fouten[0]
        );
        assert_eq!(fouten[0].path, pad);
    }

    #[test]
    fn a_recording_in_a_language_the_questionnaire_lacks_is_a_warning() {
        let s = School::new();
        s.zet("ouders/samen-welkom.fr.mp3", MP3);
        let g = s.laad();
        assert!(g.fouten().is_empty());
        assert_eq!(g.meldingen.len(), 1);
        assert!(!g.meldingen[0].is_error());
        assert!(
            g.meldingen[0].message.contains("niet vertaald naar `fr`"),
            "{}",
            g.meldingen[0]
        );
        assert_eq!(g.opnames.len(), 1);
    }

    #[test]
    fn a_large_recording_is_kept_with_a_warning() {
        let s = School::new();
        let mut groot = MP3.to_vec();
        groot.resize(GROOT as usize + 1, 0);
        s.zet("ouders/samen-welkom.nl.mp3", &groot);
        let g = s.laad();
        assert_eq!(g.opnames.len(), 1);
        assert_eq!(g.meldingen.len(), 1);
        let w = &g.meldingen[0];
        assert!(!w.is_error());
        assert_eq!(
            w.message,
            "groot bestand (1,0 MB): ouders met mobiele data wachten lang"
        );
        assert!(w.hint.as_deref().unwrap().contains("64 kbit/s"));
    }

    #[test]
    fn a_questionnaire_that_does_not_parse_is_skipped() {
        let s = School::new();
        s.zet("kapot/iets.nl.mp3", b"");
        let g = laad(
            s.root(),
            TALEN,
            [("ouders", Some(&s.lijst)), ("kapot", None)],
        );
        assert!(g.meldingen.is_empty(), "{:?}", g.meldingen);
    }

    #[test]
    fn the_overview_lists_missing_items_per_language_with_recordings() {
        let s = School::new();
        let toml = "base_url = \"https://school.be\"\ndefault_language = \"nl\"\n[languages.ar]\nnaam = \"العربية\"\nrichting = \"rtl\"\n[languages.en]\nnaam = \"English\"\n";
        let config = Config::parse(&Source::new("config.toml", toml)).unwrap();
        let lijsten = || [("ouders", Some(&s.lijst))];
        let leeg = overzicht(s.root(), &config, lijsten(), &s.laad());
        assert_eq!(leeg.len(), 1);
        assert!(leeg[0].starts_with("Opnames om voor te lezen: nog geen (niet verplicht)."));
        s.zet("ouders/samen-welkom.nl.mp3", MP3);
        let regels = overzicht(s.root(), &config, lijsten(), &s.laad());
        assert_eq!(
            regels,
            [
                "Opnames om voor te lezen (enquetes/audio/):",
                "  ouders, Nederlands (nl): 1 van de 3 vragen heeft een opname; nog zonder opname: zorg-aanspreekpunt, open-beter",
                // `en` is a language of the school but not of this questionnaire: not listed.
                "  ouders: nog geen opnames in العربية (ar)",
            ]
        );
        s.zet("ouders/zorg-aanspreekpunt.nl.mp3", MP3)
            .zet("ouders/open-beter.nl.mp3", MP3);
        let regels = overzicht(s.root(), &config, lijsten(), &s.laad());
        assert_eq!(
            regels[1],
            "  ouders, Nederlands (nl): alle 3 vragen hebben een opname"
        );
    }
}
