//! The file format of a stappenplan (`data/stappenplan/<actor>.toml`) and its validation.
//!
//! ```toml
//! titel = "Ik ben leerkracht en ik maak me zorgen over een leerling"
//! beschrijving = "Zo pak je het aan, stap voor stap."   # optional
//!
//! [[stap]]
//! id = "zorg"                 # your own short name for this step, used in `naar`, `ja`, `nee`
//! soort = "start"             # start | actie | beslissing | einde (default: actie)
//! tekst = "Je merkt iets op bij een leerling."
//! wie = "klasleerkracht"      # a role id from data/rollen.toml
//! hoe = "Schrijf op wat je ziet."   # optional: how; the role's `bereik` if left out
//! wanneer = "Meteen."               # optional
//! naar = "gesprek"            # the next step (start and actie)
//!
//! [[stap]]
//! id = "opgelost"
//! soort = "beslissing"
//! tekst = "Is het opgelost?"
//! wie = "klasleerkracht"
//! ja = "klaar"                # a decision has at least two labelled exits:
//! nee = "zorgleerkracht"      # `ja`, `nee` and/or keuzes = [{ label = "…", naar = "…" }]
//! ```
//!
//! [`parse`] turns the file into a [`Stappenplan`] whose steps are in reading order (top to
//! bottom) with exits as indices, or into Dutch diagnostics that point at the line to fix.

pub mod traversal;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Source, closest};
use crate::model::rollen::Rollen;

/// What kind of step this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Soort {
    /// Where the flow begins (exactly one per flow).
    Start,
    /// Something someone does.
    Actie,
    /// A question with labelled answers ("ja" / "nee" / …).
    Beslissing,
    /// Where the flow ends.
    Einde,
}

impl Soort {
    pub const ALL: [Soort; 4] = [Soort::Start, Soort::Actie, Soort::Beslissing, Soort::Einde];

    /// The word used in the TOML file.
    pub fn as_str(self) -> &'static str {
        match self {
            Soort::Start => "start",
            Soort::Actie => "actie",
            Soort::Beslissing => "beslissing",
            Soort::Einde => "einde",
        }
    }

    fn from_word(word: &str) -> Option<Soort> {
        Soort::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// A validated flow: one start, every step reachable from it, an end reachable from every step.
#[derive(Debug, Clone, PartialEq)]
pub struct Stappenplan {
    /// Who the flow is for (the file stem: `ouder`, `leerkracht`, …).
    pub actor: String,
    pub titel: String,
    pub beschrijving: String,
    /// Steps in reading order: top to bottom (by layer), then in file order. `stappen[0]` is
    /// the start; step `i` is shown as "Stap {i + 1}".
    pub stappen: Vec<Stap>,
}

/// One box of the flowchart.
#[derive(Debug, Clone, PartialEq)]
pub struct Stap {
    /// The id from the file.
    pub id: String,
    pub soort: Soort,
    pub tekst: String,
    /// Role id; always present in the [`Rollen`] the plan was parsed with.
    pub wie: String,
    pub hoe: Option<String>,
    pub wanneer: Option<String>,
    /// Exits in order: `ja`, `nee`, the `keuzes`, or the single `naar`.
    pub uitgangen: Vec<Uitgang>,
}

/// A connection to another step.
#[derive(Debug, Clone, PartialEq)]
pub struct Uitgang {
    /// Index of the target in [`Stappenplan::stappen`].
    pub naar: usize,
    /// "ja", "nee" or another answer; `None` for the plain `naar` of an action.
    pub label: Option<String>,
}

impl Stappenplan {
    /// Successor lists (exit targets per step), for graph algorithms.
    pub fn successors(&self) -> Vec<Vec<usize>> {
        self.stappen
            .iter()
            .map(|s| s.uitgangen.iter().map(|u| u.naar).collect())
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    titel: Spanned<String>,
    #[serde(default)]
    beschrijving: Option<String>,
    #[serde(default)]
    stap: Vec<RawStap>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStap {
    id: Spanned<String>,
    #[serde(default)]
    soort: Option<Spanned<String>>,
    tekst: Spanned<String>,
    wie: Spanned<String>,
    #[serde(default)]
    hoe: Option<String>,
    #[serde(default)]
    wanneer: Option<String>,
    #[serde(default)]
    naar: Option<Spanned<String>>,
    #[serde(default)]
    ja: Option<Spanned<String>>,
    #[serde(default)]
    nee: Option<Spanned<String>>,
    #[serde(default)]
    keuzes: Vec<RawKeuze>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeuze {
    label: Spanned<String>,
    naar: Spanned<String>,
}

/// An exit as written, before its target is looked up.
struct RawExit<'a> {
    /// The field it came from (`naar`, `ja`, `nee`, `keuzes`), for messages.
    field: &'static str,
    label: Option<&'a Spanned<String>>,
    target: &'a Spanned<String>,
}

impl RawStap {
    fn exits(&self) -> Vec<RawExit<'_>> {
        let mut exits = Vec::new();
        if let Some(target) = &self.ja {
            exits.push(RawExit {
                field: "ja",
                label: None,
                target,
            });
        }
        if let Some(target) = &self.nee {
            exits.push(RawExit {
                field: "nee",
                label: None,
                target,
            });
        }
        for keuze in &self.keuzes {
            exits.push(RawExit {
                field: "keuzes",
                label: Some(&keuze.label),
                target: &keuze.naar,
            });
        }
        if let Some(target) = &self.naar {
            exits.push(RawExit {
                field: "naar",
                label: None,
                target,
            });
        }
        exits
    }
}

impl RawExit<'_> {
    fn label_text(&self) -> Option<String> {
        match self.field {
            "ja" | "nee" => Some(self.field.to_string()),
            _ => self.label.map(|l| clean(l.get_ref())),
        }
    }
}

/// Collapses runs of whitespace (also newlines in multi-line strings) into single spaces.
pub(crate) fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The actor of a flow file: its file stem (`data/stappenplan/ouder.toml` → `ouder`).
pub fn actor_of(source: &Source) -> String {
    source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Parses and validates one flow file. The actor is the file stem of `source.path`.
pub fn parse(source: &Source, rollen: &Rollen) -> Result<Stappenplan, Vec<Diagnostic>> {
    let raw: RawPlan = source
        .parse_toml(0..source.text.len())
        .map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let at = |span: Range<usize>, message: String, hint: String| {
        source.error_at(span, message).with_hint(hint)
    };

    let actor = actor_of(source);
    if actor.is_empty()
        || !actor
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(
            Diagnostic::error(&source.path, format!("ongeldige bestandsnaam `{actor}`"))
                .with_hint("gebruik alleen kleine letters, cijfers en -, bv. `ouder.toml`"),
        );
    }
    if clean(raw.titel.get_ref()).is_empty() {
        errors.push(at(
            raw.titel.span(),
            "de titel is leeg".into(),
            "schrijf een korte titel, bv. \"Ik ben ouder en ik maak me zorgen\"".into(),
        ));
    }
    if raw.stap.is_empty() {
        errors.push(
            Diagnostic::error(&source.path, "dit stappenplan heeft nog geen stappen")
                .with_hint("voeg stappen toe, elk met een regel [[stap]]"),
        );
        return Err(errors);
    }

    // Ids: unique and not empty.
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, stap) in raw.stap.iter().enumerate() {
        let id = stap.id.get_ref().as_str();
        if id.trim().is_empty() {
            errors.push(at(
                stap.id.span(),
                "de id van deze stap is leeg".into(),
                "geef elke stap een korte naam, bv. id = \"gesprek-ouders\"".into(),
            ));
            continue;
        }
        if let Some(&first) = index.get(id) {
            let (line, _) = source.line_col(raw.stap[first].id.span().start);
            errors.push(at(
                stap.id.span(),
                format!("de id `{id}` komt twee keer voor (ook op regel {line})"),
                "geef elke stap een eigen id".into(),
            ));
        } else {
            index.insert(id, i);
        }
    }

    // Per step: kind, text, role, and exits that fit the kind.
    let mut soorten = Vec::with_capacity(raw.stap.len());
    for stap in &raw.stap {
        let soort = match &stap.soort {
            None => Some(Soort::Actie),
            Some(word) => match Soort::from_word(word.get_ref().trim()) {
                Some(soort) => Some(soort),
                None => {
                    let words = Soort::ALL.map(Soort::as_str);
                    let hint = match closest(word.get_ref(), words) {
                        Some(best) => format!("bedoel je `{best}`?"),
                        None => format!("kies uit: {}", words.join(", ")),
                    };
                    errors.push(at(
                        word.span(),
                        format!("onbekende soort stap `{}`", word.get_ref()),
                        hint,
                    ));
                    None
                }
            },
        };
        soorten.push(soort.unwrap_or(Soort::Actie));
        if clean(stap.tekst.get_ref()).is_empty() {
            errors.push(at(
                stap.tekst.span(),
                "de tekst van deze stap is leeg".into(),
                "zeg in één korte zin wat er gebeurt".into(),
            ));
        }
        if rollen.get(stap.wie.get_ref()).is_none() {
            errors.push(at(
                stap.wie.span(),
                format!("onbekende rol `{}`", stap.wie.get_ref()),
                rollen.suggest(stap.wie.get_ref()),
            ));
        }
        if let Some(soort) = soort {
            check_exits(source, stap, soort, &mut errors);
        }
        for exit in stap.exits() {
            let target = exit.target.get_ref();
            if !index.contains_key(target.as_str()) {
                let hint = match closest(target, index.keys().copied()) {
                    Some(best) => format!("bedoel je `{best}`?"),
                    None => {
                        let mut ids: Vec<&str> =
                            raw.stap.iter().map(|s| s.id.get_ref().as_str()).collect();
                        ids.truncate(8);
                        format!(
                            "gebruik de id van een stap uit dit bestand, bv. {}",
                            ids.join(", ")
                        )
                    }
                };
                errors.push(at(
                    exit.target.span(),
                    format!("onbekende stap `{target}`"),
                    hint,
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(sorted(errors));
    }

    // One start.
    let starts: Vec<usize> = (0..raw.stap.len())
        .filter(|&i| soorten[i] == Soort::Start)
        .collect();
    let Some(&start) = starts.first() else {
        return Err(vec![at(
            raw.stap[0].id.span(),
            "er is geen startstap".into(),
            "zet `soort = \"start\"` bij de stap waar het begint".into(),
        )]);
    };
    if starts.len() > 1 {
        let (line, _) = source.line_col(raw.stap[start].id.span().start);
        for &extra in &starts[1..] {
            let span = raw.stap[extra]
                .soort
                .as_ref()
                .map_or(raw.stap[extra].id.span(), Spanned::span);
            errors.push(at(
                span,
                format!("er is meer dan één startstap (de eerste staat op regel {line})"),
                "een stappenplan begint op één plek: maak van deze stap een `actie`".into(),
            ));
        }
        return Err(errors);
    }

    // Every step reachable from the start; from every step an end reachable.
    let succ: Vec<Vec<usize>> = raw
        .stap
        .iter()
        .map(|s| {
            s.exits()
                .iter()
                .map(|e| index[e.target.get_ref().as_str()])
                .collect()
        })
        .collect();
    let reached = traversal::reachable(&succ, start);
    for (i, stap) in raw.stap.iter().enumerate() {
        if !reached[i] {
            let id = stap.id.get_ref();
            errors.push(at(
                stap.id.span(),
                format!("de stap `{id}` is niet te bereiken vanaf de start"),
                format!("laat een andere stap ernaar verwijzen (bv. `naar = \"{id}\"`), of verwijder deze stap"),
            ));
        }
    }
    let ends: Vec<bool> = soorten.iter().map(|&s| s == Soort::Einde).collect();
    if !ends.contains(&true) {
        errors.push(at(
            raw.stap[start].id.span(),
            "er is geen eindstap".into(),
            "voeg een stap toe met `soort = \"einde\"`, bv. \"Het probleem is opgelost.\"".into(),
        ));
        return Err(sorted(errors));
    }
    let ends_reached = traversal::reaches_any(&succ, &ends);
    for (i, stap) in raw.stap.iter().enumerate() {
        if reached[i] && !ends_reached[i] {
            errors.push(at(
                stap.id.span(),
                format!("vanaf de stap `{}` kom je nooit bij een einde", stap.id.get_ref()),
                "de stappen vanaf hier draaien in een kring: laat er één verder gaan naar een stap met `soort = \"einde\"`".into(),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(sorted(errors));
    }

    // Reading order: by layer, then file order. The start is in layer 0 and comes first.
    let (rank, _) = traversal::ranks(&succ, start);
    let mut order: Vec<usize> = (0..raw.stap.len()).collect();
    order.sort_by_key(|&i| (rank[i], i != start, i));
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let stappen = order
        .iter()
        .map(|&old| {
            let stap = &raw.stap[old];
            Stap {
                id: stap.id.get_ref().clone(),
                soort: soorten[old],
                tekst: clean(stap.tekst.get_ref()),
                wie: stap.wie.get_ref().clone(),
                hoe: stap.hoe.as_deref().map(clean).filter(|s| !s.is_empty()),
                wanneer: stap.wanneer.as_deref().map(clean).filter(|s| !s.is_empty()),
                uitgangen: stap
                    .exits()
                    .iter()
                    .map(|e| Uitgang {
                        naar: new_index[index[e.target.get_ref().as_str()]],
                        label: e.label_text(),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Stappenplan {
        actor,
        titel: clean(raw.titel.get_ref()),
        beschrijving: raw.beschrijving.as_deref().map(clean).unwrap_or_default(),
        stappen,
    })
}

/// Checks that the exits of a step fit its kind.
fn check_exits(source: &Source, stap: &RawStap, soort: Soort, errors: &mut Vec<Diagnostic>) {
    let exits = stap.exits();
    let soort_span = stap.soort.as_ref().map_or(stap.id.span(), Spanned::span);
    match soort {
        Soort::Einde => {
            if let Some(exit) = exits.first() {
                errors.push(
                    source
                        .error_at(exit.target.span(), "een eindstap heeft geen volgende stap")
                        .with_hint(format!(
                            "verwijder `{}`, of kies een andere soort (bv. `soort = \"actie\"`)",
                            exit.field
                        )),
                );
            }
        }
        Soort::Start | Soort::Actie => {
            if let Some(exit) = exits.iter().find(|e| e.field != "naar") {
                errors.push(
                    source
                        .error_at(
                            exit.target.span(),
                            format!("`{}` hoort bij een beslissing, niet bij een {}", exit.field, soort.as_str()),
                        )
                        .with_hint("zet `soort = \"beslissing\"`, of gebruik `naar = \"…\"` voor de volgende stap"),
                );
            } else if exits.is_empty() {
                errors.push(
                    source
                        .error_at(stap.id.span(), "na deze stap komt niets")
                        .with_hint("voeg `naar = \"…\"` toe met de id van de volgende stap, of zet `soort = \"einde\"`"),
                );
            }
        }
        Soort::Beslissing => {
            if let Some(naar) = &stap.naar {
                errors.push(
                    source
                        .error_at(naar.span(), "een beslissing gebruikt `ja` en `nee` (of `keuzes`), niet `naar`")
                        .with_hint("schrijf `ja = \"…\"` en `nee = \"…\"`, of keuzes = [{ label = \"…\", naar = \"…\" }, …]"),
                );
            }
            let labelled: Vec<&RawExit> = exits.iter().filter(|e| e.field != "naar").collect();
            if labelled.len() < 2 {
                errors.push(
                    source
                        .error_at(
                            soort_span,
                            format!(
                                "een beslissing heeft minstens twee uitgangen met een label nodig (nu {})",
                                labelled.len()
                            ),
                        )
                        .with_hint("voeg `ja = \"…\"` en `nee = \"…\"` toe met de ids van de volgende stappen"),
                );
            }
            let mut seen: Vec<String> = Vec::new();
            for exit in &labelled {
                let label = exit.label_text().unwrap_or_default();
                let span = exit.label.map_or(exit.target.span(), Spanned::span);
                if label.is_empty() {
                    errors.push(source.error_at(span, "dit label is leeg").with_hint(
                        "schrijf het antwoord dat bij deze uitgang hoort, bv. label = \"dringend\"",
                    ));
                } else if seen.contains(&label.to_lowercase()) {
                    errors.push(
                        source
                            .error_at(
                                span,
                                format!(
                                    "het label `{label}` komt twee keer voor in deze beslissing"
                                ),
                            )
                            .with_hint("geef elke uitgang een ander label"),
                    );
                } else {
                    seen.push(label.to_lowercase());
                }
            }
        }
    }
}

fn sorted(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors.sort_by_key(|d| (d.line, d.col));
    errors
}

/// Where the flows live, relative to the content directory.
pub const DIR: &str = "data/stappenplan";

/// Reads and validates every `*.toml` in `<content_dir>/data/stappenplan/`, keyed by actor
/// (the file stem), in a stable order. Diagnostics name files relative to the content
/// directory (`data/stappenplan/ouder.toml`). A missing directory means no flows.
pub fn load_all(
    content_dir: &Path,
    rollen: &Rollen,
) -> Result<BTreeMap<String, Stappenplan>, Vec<Diagnostic>> {
    let dir = content_dir.join(DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => {
            return Err(vec![
                Diagnostic::error(DIR, format!("kan de map niet lezen ({e})"))
                    .with_hint("controleer of de map bestaat en leesbaar is"),
            ]);
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        // `ouder.en.toml` holds translated texts of `ouder.toml` (see crate::site::talen).
        .filter(|p| {
            p.file_stem()
                .is_some_and(|s| !s.to_string_lossy().contains('.'))
        })
        .collect();
    files.sort();
    let mut plans = BTreeMap::new();
    let mut errors = Vec::new();
    for file in files {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let display = Path::new(DIR).join(name.as_ref());
        let source = match Source::read(&file, display) {
            Ok(source) => source,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        match parse(&source, rollen) {
            Ok(plan) => {
                plans.insert(plan.actor.clone(), plan);
            }
            Err(mut ds) => errors.append(&mut ds),
        }
    }
    if errors.is_empty() {
        Ok(plans)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn rollen() -> Rollen {
        let mut text = String::new();
        for id in ["klasleerkracht", "zorgcoordinator", "ouder", "clb"] {
            text.push_str(&format!(
                "[[rol]]\nid = \"{id}\"\nnaam = \"Rol {id}\"\nwat = \"w\"\nbereik = \"Bereik {id}\"\nkleur = \"#1f6f8b\"\npictogram = \"p\"\n"
            ));
        }
        Rollen::parse(&Source::new("rollen.toml", text)).unwrap()
    }

    const GOOD: &str = r#"titel = "Ik ben ouder"
[[stap]]
id = "zorg"
soort = "start"
tekst = "Je maakt je zorgen."
wie = "ouder"
naar = "praat"

[[stap]]
id = "praat"
tekst = "Praat met de klasleerkracht."
wie = "klasleerkracht"
wanneer = "Binnen de week."
naar = "opgelost"

[[stap]]
id = "opgelost"
soort = "beslissing"
tekst = "Is het opgelost?"
wie = "ouder"
ja = "klaar"
nee = "zoco"

[[stap]]
id = "zoco"
tekst = "Maak een afspraak met de zorgcoördinator."
wie = "zorgcoordinator"
naar = "opgelost"

[[stap]]
id = "klaar"
soort = "einde"
tekst = "Fijn!"
wie = "ouder"
"#;

    fn parse_text(text: &str) -> Result<Stappenplan, Vec<Diagnostic>> {
        parse(&Source::new("data/stappenplan/ouder.toml", text), &rollen())
    }

    /// The single error of `text`, as (line, message, hint).
    fn only_error(text: &str) -> (usize, String, String) {
        let errors = parse_text(text).expect_err("should not parse");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let e = &errors[0];
        assert_eq!(e.path, std::path::Path::new("data/stappenplan/ouder.toml"));
        (
            e.line,
            e.message.clone(),
            e.hint.clone().unwrap_or_default(),
        )
    }

    #[test]
    fn parses_a_good_flow_in_reading_order() {
        let plan = parse_text(GOOD).unwrap();
        assert_eq!(plan.actor, "ouder");
        let ids: Vec<&str> = plan.stappen.iter().map(|s| s.id.as_str()).collect();
        // opgelost (layer 2) has the back edge from zoco (layer 3); klaar is in layer 3 too.
        assert_eq!(ids, ["zorg", "praat", "opgelost", "zoco", "klaar"]);
        let opgelost = &plan.stappen[2];
        assert_eq!(opgelost.soort, Soort::Beslissing);
        assert_eq!(
            opgelost.uitgangen,
            [
                Uitgang {
                    naar: 4,
                    label: Some("ja".into())
                },
                Uitgang {
                    naar: 3,
                    label: Some("nee".into())
                }
            ]
        );
        assert_eq!(plan.stappen[1].soort, Soort::Actie);
        assert_eq!(plan.stappen[1].wanneer.as_deref(), Some("Binnen de week."));
        assert_eq!(plan.stappen[1].hoe, None);
    }

    /// What a case expects of the hint.
    enum Hint {
        Is(&'static str),
        Contains(&'static str),
        Any,
    }

    #[test]
    fn each_mistake_gives_one_located_error_with_a_hint() {
        use Hint::{Any, Contains, Is};
        let cases: Vec<(&str, String, usize, &str, Hint)> = vec![
            (
                "unknown role suggests the closest",
                GOOD.replace("wie = \"zorgcoordinator\"", "wie = \"zorgcordinator\""),
                27,
                "onbekende rol `zorgcordinator`",
                Is("bedoel je `zorgcoordinator`?"),
            ),
            (
                "unknown step suggests the closest",
                GOOD.replace("nee = \"zoco\"", "nee = \"zocco\""),
                22,
                "onbekende stap `zocco`",
                Is("bedoel je `zoco`?"),
            ),
            (
                "duplicate ids are reported at the second",
                GOOD.replace("id = \"klaar\"", "id = \"zoco\"")
                    .replace("ja = \"klaar\"", "ja = \"zoco\""),
                31,
                "de id `zoco` komt twee keer voor (ook op regel 25)",
                Is("geef elke stap een eigen id"),
            ),
            (
                "no start",
                GOOD.replace("soort = \"start\"", "soort = \"actie\""),
                3,
                "er is geen startstap",
                Contains("soort = \"start\""),
            ),
            (
                "several starts",
                GOOD.replace("id = \"praat\"\n", "id = \"praat\"\nsoort = \"start\"\n"),
                11,
                "er is meer dan één startstap (de eerste staat op regel 3)",
                Contains("`actie`"),
            ),
            (
                "decision with one exit",
                GOOD.replace("ja = \"klaar\"\n", ""),
                18,
                "een beslissing heeft minstens twee uitgangen met een label nodig (nu 1)",
                Contains("`ja = \"…\"` en `nee = \"…\"`"),
            ),
            (
                "keuzes need distinct labels",
                GOOD.replace(
                    "ja = \"klaar\"\nnee = \"zoco\"",
                    "keuzes = [\n  { label = \"Ja\", naar = \"klaar\" },\n  { label = \"ja\", naar = \"zoco\" },\n]",
                ),
                23,
                "het label `ja` komt twee keer voor in deze beslissing",
                Any,
            ),
            (
                "unreachable step",
                format!(
                    "{GOOD}\n[[stap]]\nid = \"vergeten\"\ntekst = \"Niemand komt hier.\"\nwie = \"ouder\"\nnaar = \"klaar\"\n"
                ),
                37,
                "de stap `vergeten` is niet te bereiken vanaf de start",
                Contains("naar = \"vergeten\""),
            ),
            (
                "no end at all",
                GOOD.replace("soort = \"einde\"", "naar = \"zorg\""),
                3,
                "er is geen eindstap",
                Any,
            ),
            (
                "action without next step",
                GOOD.replace(
                    "wanneer = \"Binnen de week.\"\nnaar = \"opgelost\"\n",
                    "wanneer = \"Binnen de week.\"\n",
                ),
                10,
                "na deze stap komt niets",
                Contains("soort = \"einde\""),
            ),
            (
                "end with a next step",
                format!("{GOOD}naar = \"zorg\"\n"),
                35,
                "een eindstap heeft geen volgende stap",
                Any,
            ),
            (
                "yes/no on an action",
                GOOD.replace("wanneer = \"Binnen de week.\"\n", "ja = \"klaar\"\n"),
                13,
                "`ja` hoort bij een beslissing, niet bij een actie",
                Any,
            ),
            (
                "unknown kind suggests the closest",
                GOOD.replace("\"beslissing\"", "\"beslising\""),
                18,
                "onbekende soort stap `beslising`",
                Is("bedoel je `beslissing`?"),
            ),
            (
                "unknown field is located with a hint",
                GOOD.replace("wanneer =", "wanner ="),
                13,
                "onbekend veld `wanner`",
                Is("bedoel je `wanneer`?"),
            ),
        ];
        for (case, text, want_line, want_message, want_hint) in cases {
            assert_ne!(text, GOOD, "{case}: the change changed nothing");
            let (line, message, hint) = only_error(&text);
            assert_eq!(
                (line, message.as_str()),
                (want_line, want_message),
                "{case}"
            );
            match want_hint {
                Is(want) => assert_eq!(hint, want, "{case}"),
                Contains(part) => assert!(hint.contains(part), "{case}: {hint}"),
                Any => {}
            }
        }
    }

    #[test]
    fn decision_with_an_unlabelled_exit() {
        let errors = parse_text(&GOOD.replace("ja = \"klaar\"", "naar = \"klaar\"")).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    18,
                    "een beslissing heeft minstens twee uitgangen met een label nodig (nu 1)"
                ),
                (
                    21,
                    "een beslissing gebruikt `ja` en `nee` (of `keuzes`), niet `naar`"
                ),
            ]
        );
    }

    #[test]
    fn keuzes_give_labelled_exits() {
        let text = GOOD.replace(
            "ja = \"klaar\"\nnee = \"zoco\"",
            "keuzes = [\n  { label = \"dringend\", naar = \"zoco\" },\n  { label = \"kan wachten\", naar = \"klaar\" },\n]",
        );
        let plan = parse_text(&text).unwrap();
        let labels: Vec<Option<&str>> = plan.stappen[2]
            .uitgangen
            .iter()
            .map(|u| u.label.as_deref())
            .collect();
        assert_eq!(labels, [Some("dringend"), Some("kan wachten")]);
    }

    #[test]
    fn steps_that_never_reach_an_end() {
        // With "ja" back to `praat`, every path loops between praat, opgelost and zoco,
        // and `klaar` (the only end) is left behind.
        let text = GOOD.replace("ja = \"klaar\"", "ja = \"praat\"");
        let errors = parse_text(&text).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (3, "vanaf de stap `zorg` kom je nooit bij een einde"),
                (10, "vanaf de stap `praat` kom je nooit bij een einde"),
                (17, "vanaf de stap `opgelost` kom je nooit bij een einde"),
                (25, "vanaf de stap `zoco` kom je nooit bij een einde"),
                (31, "de stap `klaar` is niet te bereiken vanaf de start"),
            ]
        );
        assert!(errors[0].hint.as_deref().unwrap().contains("kring"));
    }

    #[test]
    fn empty_file_has_no_steps() {
        let errors = parse_text("titel = \"Leeg\"\n").unwrap_err();
        assert_eq!(errors[0].message, "dit stappenplan heeft nog geen stappen");
    }
}
