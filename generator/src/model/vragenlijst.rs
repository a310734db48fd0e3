//! Questionnaires: parsed once from `content/enquetes/<id>.toml` into types the rest trusts.
//!
//! A questionnaire has a stable id (its file name), texts per language (Dutch required) and
//! items. Every item has a stable id, a version that changes when its meaning changes, one of the
//! four care categories and a type. Results of two periods are only compared per id *and* version.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Source, closest};

/// Longest open answer accepted unless the file says otherwise.
pub const STANDAARD_MAX_TEKENS: usize = 2000;
/// Upper bound for `max_tekens` in a file, so one answer can never dwarf the body limit.
pub const HOOGSTE_MAX_TEKENS: usize = 10_000;

/// Text in one or more languages; Dutch (`nl`) is always present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tekst(BTreeMap<String, String>);

impl Tekst {
    pub fn nl(&self) -> &str {
        self.0.get("nl").map_or("", String::as_str)
    }

    /// The text in `taal`, falling back to Dutch.
    pub fn in_taal(&self, taal: &str) -> &str {
        self.0.get(taal).map_or_else(|| self.nl(), String::as_str)
    }

    /// Adds or replaces the text in one language (from `<id>.<taal>.toml`).
    pub fn zet(&mut self, taal: &str, tekst: &str) {
        self.0.insert(taal.to_string(), tekst.to_string());
    }
}

/// What a translation (`<id>.<taal>.toml`) may give: the questionnaire's texts, and per item
/// (`[vraag.<id>]`) its texts and its list of options.
pub const ENQUETE_VELDEN: &[&str] = &["titel", "intro", "bedankt", "aanspreking"];
pub const VRAAG_VELDEN: &[&str] = &["tekst", "uitleg"];
pub const VRAAG_LIJSTEN: &[&str] = &["opties"];

impl<'de> Deserialize<'de> for Tekst {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tekst;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "tekst tussen aanhalingstekens, of een tabel { nl = \"…\", fr = \"…\" }",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Tekst, E> {
                Ok(Tekst(BTreeMap::from([("nl".to_string(), s.to_string())])))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tekst, A::Error> {
                let mut talen = BTreeMap::new();
                while let Some((taal, tekst)) = map.next_entry::<String, String>()? {
                    let geldig = (2..=3).contains(&taal.len())
                        && taal.bytes().all(|b| b.is_ascii_lowercase());
                    if !geldig {
                        return Err(de::Error::custom(format!(
                            "`{taal}` is geen taalcode zoals nl, fr of en"
                        )));
                    }
                    talen.insert(taal, tekst);
                }
                if !talen.contains_key("nl") {
                    return Err(de::Error::custom(
                        "de Nederlandse tekst (nl = \"…\") ontbreekt",
                    ));
                }
                Ok(Tekst(talen))
            }
        }
        d.deserialize_any(V)
    }
}

/// The four categories the seeds group care findings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Categorie {
    Zorgbeleid,
    Leren,
    Welbevinden,
    Samenwerking,
}

impl Categorie {
    pub const ALLE: [Categorie; 4] = [
        Categorie::Zorgbeleid,
        Categorie::Leren,
        Categorie::Welbevinden,
        Categorie::Samenwerking,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Categorie::Zorgbeleid => "zorgbeleid",
            Categorie::Leren => "leren",
            Categorie::Welbevinden => "welbevinden",
            Categorie::Samenwerking => "samenwerking",
        }
    }

    /// Heading shown above the category's items on the form.
    pub fn kop(self) -> &'static str {
        match self {
            Categorie::Zorgbeleid => "Zorg op onze school",
            Categorie::Leren => "Leren",
            Categorie::Welbevinden => "Je goed voelen",
            Categorie::Samenwerking => "Samenwerken",
        }
    }

    pub fn parse(s: &str) -> Option<Categorie> {
        Categorie::ALLE.into_iter().find(|c| c.id() == s)
    }
}

/// What kind of answer an item takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Soort {
    /// 5-point agreement scale (1 = helemaal niet akkoord … 5 = helemaal akkoord) plus
    /// "weet ik niet" (stored as 0).
    Schaal,
    /// Ja (1) / nee (2) / weet ik niet (0).
    JaNee,
    /// One of the listed options (stored as 1-based index).
    Keuze(Vec<Tekst>),
    /// Free text, at most this many characters.
    Open { max_tekens: usize },
}

impl Soort {
    pub fn id(&self) -> &'static str {
        match self {
            Soort::Schaal => "schaal",
            Soort::JaNee => "janee",
            Soort::Keuze(_) => "keuze",
            Soort::Open { .. } => "open",
        }
    }
}

/// The labels of the agreement scale, value 1 to 5, then "weet ik niet" (0).
pub const SCHAAL: [(u8, &str); 6] = [
    (1, "Helemaal niet akkoord"),
    (2, "Niet akkoord"),
    (3, "Neutraal"),
    (4, "Akkoord"),
    (5, "Helemaal akkoord"),
    (0, "Weet ik niet"),
];

/// The labels of a yes/no item.
pub const JANEE: [(u8, &str); 3] = [(1, "Ja"), (2, "Nee"), (0, "Weet ik niet")];

/// One item of a questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vraag {
    pub id: String,
    pub versie: u32,
    pub categorie: Categorie,
    pub soort: Soort,
    pub tekst: Tekst,
    pub uitleg: Option<Tekst>,
    pub verplicht: bool,
}

impl Vraag {
    /// The key under which this item's answer is stored: `id@versie`.
    pub fn sleutel(&self) -> String {
        format!("{}@{}", self.id, self.versie)
    }

    /// The answer options as (form value, label), in display order; empty for open items.
    pub fn opties(&self) -> Vec<(u8, String)> {
        match &self.soort {
            Soort::Schaal => SCHAAL.iter().map(|(w, l)| (*w, l.to_string())).collect(),
            Soort::JaNee => JANEE.iter().map(|(w, l)| (*w, l.to_string())).collect(),
            Soort::Keuze(opties) => opties
                .iter()
                .enumerate()
                .map(|(i, t)| (i as u8 + 1, t.nl().to_string()))
                .collect(),
            Soort::Open { .. } => Vec::new(),
        }
    }
}

/// A whole questionnaire, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vragenlijst {
    pub id: String,
    /// Who answers it, in a word or two ("Ouders", "Collega's"): how the dashboard names the
    /// questionnaire, since titles are often the same for every group. `None`: not given.
    pub doelgroep: Option<String>,
    pub titel: Tekst,
    pub intro: Tekst,
    /// What the thank-you page says happens with the answers.
    pub bedankt: Tekst,
    /// How letters with a code greet the reader ("Beste ouder,").
    pub aanspreking: Option<Tekst>,
    pub vragen: Vec<Vraag>,
    /// Languages with a translation file, Dutch first.
    pub talen: Vec<String>,
}

impl Vragenlijst {
    /// The questionnaire's short name for staff: its `doelgroep`, else its id.
    pub fn naam(&self) -> &str {
        self.doelgroep.as_deref().unwrap_or(&self.id)
    }

    pub fn vraag(&self, id: &str) -> Option<&Vraag> {
        self.vragen.iter().find(|v| v.id == id)
    }

    /// The 1-based number an item has on the form.
    pub fn nummer(&self, id: &str) -> Option<usize> {
        self.vragen.iter().position(|v| v.id == id).map(|i| i + 1)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVragenlijst {
    id: Spanned<String>,
    #[serde(default)]
    doelgroep: Option<Spanned<String>>,
    titel: Tekst,
    intro: Tekst,
    bedankt: Tekst,
    #[serde(default)]
    aanspreking: Option<Tekst>,
    #[serde(default)]
    vraag: Vec<Spanned<RawVraag>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVraag {
    id: Spanned<String>,
    versie: Spanned<i64>,
    categorie: Spanned<String>,
    soort: Spanned<String>,
    tekst: Tekst,
    #[serde(default)]
    uitleg: Option<Tekst>,
    #[serde(default)]
    verplicht: Option<bool>,
    #[serde(default)]
    opties: Option<Spanned<Vec<Tekst>>>,
    #[serde(default)]
    max_tekens: Option<Spanned<i64>>,
}

/// Longest `doelgroep` accepted: it names a column and a heading, not a sentence.
pub const HOOGSTE_DOELGROEP: usize = 30;

/// Whether `s` is a valid id for a questionnaire or item: lowercase letters, digits and
/// hyphens, 1 to 40 characters, starting with a letter.
pub fn geldige_id(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.as_bytes()[0].is_ascii_lowercase()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

const ID_HINT: &str = "gebruik kleine letters, cijfers en koppeltekens, bv. `zorg-aanspreekpunt`";

/// Parses one questionnaire file. `stem` is the file name without `.toml`, which must equal the id.
pub fn parse(source: &Source, stem: &str) -> Result<Vragenlijst, Vec<Diagnostic>> {
    let raw: RawVragenlijst = source
        .parse_toml(0..source.text.len())
        .map_err(|d| vec![d])?;
    let mut fouten = Vec::new();

    let id = raw.id.get_ref().clone();
    if !geldige_id(&id) {
        fouten.push(
            source
                .error_at(
                    raw.id.span(),
                    format!("`{id}` is geen geldige naam voor een vragenlijst"),
                )
                .with_hint(ID_HINT),
        );
    } else if id != stem {
        fouten.push(
            source
                .error_at(
                    raw.id.span(),
                    format!("de id `{id}` verschilt van de bestandsnaam `{stem}.toml`"),
                )
                .with_hint(format!(
                    "de id is ook het adres (/enquete/{stem}); maak ze gelijk"
                )),
        );
    }
    let doelgroep = raw.doelgroep.as_ref().and_then(|d| {
        let naam = d.get_ref().trim();
        let fout = if naam.is_empty() {
            Some("de doelgroep is leeg".to_string())
        } else if naam.chars().count() > HOOGSTE_DOELGROEP {
            Some(format!(
                "de doelgroep is langer dan {HOOGSTE_DOELGROEP} tekens"
            ))
        } else if naam.chars().any(char::is_control) {
            Some("de doelgroep past niet op één regel".to_string())
        } else {
            None
        };
        match fout {
            Some(f) => {
                fouten.push(source.error_at(d.span(), f).with_hint(
                    "zeg in een of twee woorden wie de vragenlijst invult, bv. doelgroep = \"Ouders\"",
                ));
                None
            }
            None => Some(naam.to_string()),
        }
    });
    if raw.vraag.is_empty() {
        fouten.push(
            Diagnostic::error(&source.path, "deze vragenlijst heeft geen vragen")
                .with_hint("voeg vragen toe met [[vraag]]"),
        );
    }

    let mut vragen: Vec<Vraag> = Vec::new();
    for spanned in raw.vraag {
        let item_span = spanned.span();
        let rv = spanned.into_inner();
        let vid = rv.id.get_ref().clone();
        if !geldige_id(&vid) {
            fouten.push(
                source
                    .error_at(
                        rv.id.span(),
                        format!("`{vid}` is geen geldige id voor een vraag"),
                    )
                    .with_hint(ID_HINT),
            );
        } else if matches!(vid.as_str(), "csrf" | "periode" | "code") {
            fouten.push(
                source
                    .error_at(rv.id.span(), format!("`{vid}` is een gereserveerde naam"))
                    .with_hint("kies een andere id voor deze vraag"),
            );
        } else if vragen.iter().any(|v| v.id == vid) {
            fouten.push(
                source
                    .error_at(rv.id.span(), format!("de id `{vid}` komt twee keer voor"))
                    .with_hint("elke vraag heeft een eigen id; geef deze vraag een andere"),
            );
        }
        let versie = *rv.versie.get_ref();
        if !(1..=1000).contains(&versie) {
            fouten.push(
                source
                    .error_at(
                        rv.versie.span(),
                        "de versie moet een getal van 1 tot 1000 zijn",
                    )
                    .with_hint("begin bij 1 en tel 1 op als de betekenis van de vraag verandert"),
            );
        }
        let categorie = match Categorie::parse(rv.categorie.get_ref()) {
            Some(c) => c,
            None => {
                let woord = rv.categorie.get_ref();
                let hint = match closest(woord, Categorie::ALLE.iter().map(|c| c.id())) {
                    Some(best) => format!("bedoel je `{best}`?"),
                    None => "kies zorgbeleid, leren, welbevinden of samenwerking".to_string(),
                };
                fouten.push(
                    source
                        .error_at(
                            rv.categorie.span(),
                            format!("onbekende categorie `{woord}`"),
                        )
                        .with_hint(hint),
                );
                Categorie::Zorgbeleid
            }
        };
        let soort_woord = rv.soort.get_ref().as_str();
        let soort = match soort_woord {
            "schaal" => Some(Soort::Schaal),
            "janee" => Some(Soort::JaNee),
            "keuze" => match &rv.opties {
                Some(opties) if (2..=20).contains(&opties.get_ref().len()) => {
                    Some(Soort::Keuze(opties.get_ref().clone()))
                }
                Some(opties) => {
                    fouten.push(
                        source
                            .error_at(opties.span(), "een keuzevraag heeft 2 tot 20 opties")
                            .with_hint("zet de opties in een lijst: opties = [\"…\", \"…\"]"),
                    );
                    None
                }
                None => {
                    fouten.push(
                        source
                            .error_at(rv.soort.span(), "een keuzevraag heeft opties nodig")
                            .with_hint("voeg toe: opties = [\"…\", \"…\"]"),
                    );
                    None
                }
            },
            "open" => {
                let max = match &rv.max_tekens {
                    None => Some(STANDAARD_MAX_TEKENS),
                    Some(m) if (1..=HOOGSTE_MAX_TEKENS as i64).contains(m.get_ref()) => {
                        Some(*m.get_ref() as usize)
                    }
                    Some(m) => {
                        fouten.push(
                            source
                                .error_at(
                                    m.span(),
                                    format!(
                                        "max_tekens moet tussen 1 en {HOOGSTE_MAX_TEKENS} liggen"
                                    ),
                                )
                                .with_hint(format!("laat het weg voor {STANDAARD_MAX_TEKENS}")),
                        );
                        None
                    }
                };
                max.map(|max_tekens| Soort::Open { max_tekens })
            }
            other => {
                let hint = match closest(other, ["schaal", "janee", "keuze", "open"]) {
                    Some(best) => format!("bedoel je `{best}`?"),
                    None => "kies schaal, janee, keuze of open".to_string(),
                };
                fouten.push(
                    source
                        .error_at(rv.soort.span(), format!("onbekende soort vraag `{other}`"))
                        .with_hint(hint),
                );
                None
            }
        };
        if rv.opties.is_some() && soort_woord != "keuze" {
            let span = rv.opties.as_ref().map_or(item_span.clone(), |o| o.span());
            fouten.push(
                source
                    .error_at(span, "alleen een keuzevraag heeft opties")
                    .with_hint("verwijder `opties` of zet soort = \"keuze\""),
            );
        }
        if let (Some(m), false) = (&rv.max_tekens, soort_woord == "open") {
            fouten.push(
                source
                    .error_at(m.span(), "alleen een open vraag heeft max_tekens")
                    .with_hint("verwijder `max_tekens` of zet soort = \"open\""),
            );
        }
        if rv.tekst.nl().trim().is_empty() {
            fouten.push(source.error_at(item_span.clone(), "de vraag heeft geen tekst"));
        }
        if let Some(soort) = soort {
            let verplicht = rv.verplicht.unwrap_or(!matches!(soort, Soort::Open { .. }));
            vragen.push(Vraag {
                id: vid,
                versie: versie.clamp(1, 1000) as u32,
                categorie,
                soort,
                tekst: rv.tekst,
                uitleg: rv.uitleg,
                verplicht,
            });
        }
    }

    if fouten.is_empty() {
        Ok(Vragenlijst {
            id,
            doelgroep,
            titel: raw.titel,
            intro: raw.intro,
            bedankt: raw.bedankt,
            aanspreking: raw.aanspreking,
            vragen,
            talen: vec!["nl".to_string()],
        })
    } else {
        Err(fouten)
    }
}

/// The questionnaires of a school, by id.
#[derive(Debug, Clone, Default)]
pub struct Vragenlijsten(pub BTreeMap<String, Vragenlijst>);

impl Vragenlijsten {
    pub fn get(&self, id: &str) -> Option<&Vragenlijst> {
        self.0.get(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// Where the questionnaires live, relative to the content directory.
pub const DIR: &str = "enquetes";

/// The questionnaire files in `<root>/enquetes/`, sorted by name: (file stem, path).
/// Translations (`ouders.en.toml`) are left out: they are read with their questionnaire.
fn files(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut paden: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| {
            p.file_stem()
                .is_some_and(|s| !s.to_string_lossy().contains('.'))
        })
        .collect();
    paden.sort();
    Ok(paden
        .into_iter()
        .map(|pad| {
            let stem = pad
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (stem, pad)
        })
        .collect())
}

/// How diagnostics name the folder: `content/enquetes`, after the content root's own name.
fn display_dir(root: &Path) -> PathBuf {
    PathBuf::from(root.file_name().unwrap_or(root.as_os_str())).join(DIR)
}

/// Reads and parses one questionnaire file, without its translations.
fn read_one(pad: &Path, stem: &str, display_dir: &Path) -> Result<Vragenlijst, Vec<Diagnostic>> {
    let display = display_dir.join(pad.file_name().unwrap_or_default());
    let source = Source::read(pad, display).map_err(|d| vec![d])?;
    parse(&source, stem)
}

/// Loads every `*.toml` in `<root>/enquetes/` with its translations, sorted by name. All
/// problems are collected. A translation may be in any language of `config.toml`
/// (`[languages.<code>]`); without a `config.toml` the forms are Dutch only.
pub fn laad(root: &Path) -> Result<Vragenlijsten, Vec<Diagnostic>> {
    let talen: Vec<String> = match crate::model::config::Config::load_if_present(root) {
        Ok(Some((config, _))) => config
            .all_languages()
            .into_iter()
            .filter(|t| *t != config.default_language)
            .map(str::to_string)
            .collect(),
        Ok(None) => Vec::new(),
        Err(d) => return Err(vec![d]),
    };
    let talen: Vec<&str> = talen.iter().map(String::as_str).collect();
    let dir = root.join(DIR);
    let display_dir = display_dir(root);
    let paden = files(&dir).map_err(|e| {
        vec![
            Diagnostic::error(
                &dir,
                format!("kan de map met vragenlijsten niet lezen ({e})"),
            )
            .with_hint("maak de map `enquetes` in de inhoudsmap, met bv. ouders.toml"),
        ]
    })?;
    let mut lijsten = BTreeMap::new();
    let mut fouten = Vec::new();
    for (stem, pad) in paden {
        match read_one(&pad, &stem, &display_dir) {
            Ok(mut v) => {
                match vertalingen(&dir, &display_dir, &talen, &mut v) {
                    Ok(()) => {}
                    Err(mut d) => fouten.append(&mut d),
                }
                lijsten.insert(v.id.clone(), v);
            }
            Err(mut d) => fouten.append(&mut d),
        }
    }
    if fouten.is_empty() {
        Ok(Vragenlijsten(lijsten))
    } else {
        Err(fouten)
    }
}

/// Every questionnaire in `<root>/enquetes/` parsed on its own (Dutch texts, no translations),
/// by file stem: `None` for one that does not parse (`zorgenquete` refuses to start on it and
/// says why). Empty without an `enquetes/` folder. For the site, which only refers to items.
pub fn laad_elk(root: &Path) -> BTreeMap<String, Option<Vragenlijst>> {
    let display_dir = display_dir(root);
    files(&root.join(DIR))
        .unwrap_or_default()
        .into_iter()
        .map(|(stem, pad)| {
            let parsed = read_one(&pad, &stem, &display_dir).ok();
            (stem, parsed)
        })
        .collect()
}

/// Reads `<id>.<taal>.toml` beside a questionnaire: translated texts keyed by item id (the
/// same ids, so answers in every language count together). Unknown ids or fields, a language
/// the form has no texts for, or a choice item with a different number of options are errors.
fn vertalingen(
    dir: &Path,
    display_dir: &Path,
    talen: &[&str],
    lijst: &mut Vragenlijst,
) -> Result<(), Vec<Diagnostic>> {
    use crate::model::vertaling;
    let ids: Vec<String> = lijst.vragen.iter().map(|v| v.id.clone()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let schema = vertaling::Schema {
        velden: ENQUETE_VELDEN,
        groep: "vraag",
        ids: &ids,
        item_velden: VRAAG_VELDEN,
        lijst_velden: VRAAG_LIJSTEN,
    };
    let mut fouten = Vec::new();
    for (taal, pad) in vertaling::bestanden(dir, &lijst.id) {
        let display = display_dir.join(format!("{}.{taal}.toml", lijst.id));
        if !talen.contains(&taal.as_str()) {
            fouten.push(vertaling::onbekende_taal(&display, &taal, talen));
            continue;
        }
        let source = match Source::read(&pad, &display) {
            Ok(s) => s,
            Err(d) => {
                fouten.push(d);
                continue;
            }
        };
        let v = match vertaling::parse(&source, &taal, &schema) {
            Ok(v) => v,
            Err(mut d) => {
                fouten.append(&mut d);
                continue;
            }
        };
        for (veld, tekst) in [
            ("titel", &mut lijst.titel),
            ("intro", &mut lijst.intro),
            ("bedankt", &mut lijst.bedankt),
        ] {
            if let Some(t) = v.veld(veld) {
                tekst.zet(&taal, t);
            }
        }
        if let (Some(t), Some(a)) = (v.veld("aanspreking"), lijst.aanspreking.as_mut()) {
            a.zet(&taal, t);
        }
        for vraag in &mut lijst.vragen {
            if let Some(t) = v.tekst(&vraag.id, "tekst") {
                vraag.tekst.zet(&taal, t);
            }
            if let (Some(t), Some(u)) = (v.tekst(&vraag.id, "uitleg"), vraag.uitleg.as_mut()) {
                u.zet(&taal, t);
            }
            if let Some(opties) = v.lijst(&vraag.id, "opties") {
                match &mut vraag.soort {
                    Soort::Keuze(nl) if nl.len() == opties.len() => {
                        for (o, t) in nl.iter_mut().zip(opties) {
                            o.zet(&taal, t);
                        }
                    }
                    _ => {
                        let at = source
                            .text
                            .find(&format!("vraag.{}", vraag.id))
                            .unwrap_or(0);
                        fouten.push(
                            source
                                .error_at(at..at, "de opties passen niet bij de Nederlandse vraag")
                                .with_hint("geef evenveel opties als in het Nederlandse bestand, in dezelfde volgorde (alleen voor een keuzevraag)"),
                        );
                    }
                }
            }
        }
        lijst.talen.push(taal);
    }
    if fouten.is_empty() {
        Ok(())
    } else {
        Err(fouten)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOED: &str = r#"
id = "ouders"
titel = "Hoe ervaar je de zorg?"
intro = "Het duurt vijf minuten."
bedankt = "Het zorgteam leest alles."

[[vraag]]
id = "aanspreekpunt"
versie = 1
categorie = "zorgbeleid"
soort = "schaal"
tekst = { nl = "Ik weet bij wie ik terechtkan.", fr = "Je sais à qui m'adresser." }

[[vraag]]
id = "idee"
versie = 2
categorie = "samenwerking"
soort = "open"
tekst = "Heb je een idee?"
"#;

    #[test]
    fn parses_a_valid_file() {
        let v = parse(&Source::new("ouders.toml", GOED), "ouders").unwrap();
        assert_eq!(v.vragen.len(), 2);
        assert_eq!(v.vragen[0].sleutel(), "aanspreekpunt@1");
        assert!(v.vragen[0].verplicht);
        assert!(!v.vragen[1].verplicht);
        assert_eq!(v.vragen[0].tekst.in_taal("fr"), "Je sais à qui m'adresser.");
        assert_eq!(
            v.vragen[1].soort,
            Soort::Open {
                max_tekens: STANDAARD_MAX_TEKENS
            }
        );
    }

    #[test]
    fn unknown_category_is_located_with_a_hint() {
        let text = GOED.replace("\"zorgbeleid\"", "\"zorgbelied\"");
        let errs = parse(&Source::new("ouders.toml", text), "ouders").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].message, "onbekende categorie `zorgbelied`");
        assert_eq!(errs[0].hint.as_deref(), Some("bedoel je `zorgbeleid`?"));
        assert_eq!((errs[0].line, errs[0].col), (10, 13));
    }

    #[test]
    fn duplicate_ids_and_bad_versions_are_all_reported() {
        let text = GOED
            .replace("id = \"idee\"", "id = \"aanspreekpunt\"")
            .replace("versie = 2", "versie = 0");
        let errs = parse(&Source::new("ouders.toml", text), "ouders").unwrap_err();
        let messages: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
        assert!(messages.contains(&"de id `aanspreekpunt` komt twee keer voor"));
        assert!(messages.contains(&"de versie moet een getal van 1 tot 1000 zijn"));
    }

    #[test]
    fn id_must_match_file_name_and_unknown_fields_are_refused() {
        let errs = parse(&Source::new("collegas.toml", GOED), "collegas").unwrap_err();
        assert!(errs[0].message.contains("verschilt van de bestandsnaam"));
        let text = GOED.replace("soort = \"open\"", "soort = \"open\"\nverplict = true");
        let errs = parse(&Source::new("ouders.toml", text), "ouders").unwrap_err();
        assert_eq!(errs[0].message, "onbekend veld `verplict`");
    }

    #[test]
    fn the_example_school_questionnaires_follow_the_brief() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let lijsten = laad(&root).unwrap_or_else(|d| {
            panic!(
                "{}",
                d.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        for id in ["ouders", "collegas"] {
            let l = lijsten.get(id).unwrap();
            assert!(
                (10..=16).contains(&l.vragen.len()),
                "{id}: {}",
                l.vragen.len()
            );
            for c in Categorie::ALLE {
                assert!(
                    l.vragen.iter().any(|v| v.categorie == c),
                    "{id}: no {c:?} item"
                );
            }
            let open = l
                .vragen
                .iter()
                .filter(|v| matches!(v.soort, Soort::Open { .. }))
                .count();
            assert!((1..=2).contains(&open), "{id}: {open} open questions");
            assert!(
                l.vragen
                    .iter()
                    .all(|v| matches!(v.soort, Soort::Open { .. }) != v.verplicht),
                "{id}: scale items required, open ones optional"
            );
            assert!(l.aanspreking.is_some());
            assert!(l.doelgroep.is_some(), "{id}: no doelgroep");
        }
        assert_ne!(
            lijsten.get("ouders").unwrap().naam(),
            lijsten.get("collegas").unwrap().naam()
        );
    }

    #[test]
    fn doelgroep_names_the_questionnaire_and_bad_ones_are_located() {
        let v = parse(&Source::new("ouders.toml", GOED), "ouders").unwrap();
        assert_eq!((v.doelgroep.as_deref(), v.naam()), (None, "ouders"));
        let text = GOED.replacen("titel =", "doelgroep = \" Ouders \"\ntitel =", 1);
        let v = parse(&Source::new("ouders.toml", text), "ouders").unwrap();
        assert_eq!(v.naam(), "Ouders");
        for (fout, boodschap) in [
            ("\"  \"", "de doelgroep is leeg"),
            (
                "\"Ouders van kinderen in de lagere school\"",
                "de doelgroep is langer dan 30 tekens",
            ),
            (
                "\"Ouders\\nen grootouders\"",
                "de doelgroep past niet op één regel",
            ),
        ] {
            let text = GOED.replacen("titel =", &format!("doelgroep = {fout}\ntitel ="), 1);
            let errs = parse(&Source::new("ouders.toml", text), "ouders").unwrap_err();
            assert_eq!(errs.len(), 1, "{fout}");
            assert_eq!(errs[0].message, boodschap);
            let regel = GOED.lines().position(|l| l.starts_with("titel =")).unwrap() + 1;
            assert_eq!((errs[0].line, errs[0].col), (regel, 13), "{fout}");
            assert!(
                errs[0]
                    .hint
                    .as_deref()
                    .unwrap()
                    .contains("doelgroep = \"Ouders\"")
            );
        }
    }

    #[test]
    fn text_tables_need_dutch() {
        let text = GOED.replace("{ nl = \"Ik weet", "{ en = \"Ik weet");
        let errs = parse(&Source::new("ouders.toml", text), "ouders").unwrap_err();
        assert!(errs[0].message.contains("Nederlandse tekst"), "{}", errs[0]);
    }
}
