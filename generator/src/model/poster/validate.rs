//! Turns `data/poster.toml` into a [`PosterView`], or into Dutch diagnostics that point at the
//! line to fix: missing or doubled phases, empty panels, unknown roles, and text that does not
//! fit its place on the A3 poster (with how many characters too long).

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::schema::{RawBron, RawFase, RawPoster, RawSleutel, RawWie};
use super::view::{
    BronView, FaseView, PosterView, SamenView, SleutelView, SterView, TitelView, WieView, ZorgView,
    contact_href,
};
use crate::diagnostics::{Diagnostic, Source, closest};
use crate::model::rollen::Rollen;
use crate::model::vragenlijst;

/// How many characters fit in each place on the A3 poster (counted after joining whitespace).
/// The poster test prints a poster with every field at its limit: it must stay one page.
pub mod budget {
    pub const TITEL: usize = 28;
    pub const ONDERTITEL: usize = 100;
    pub const SCHOOLJAAR: usize = 20;
    pub const PANEEL_TITEL: usize = 32;
    pub const PANEEL_INLEIDING: usize = 100;
    pub const FASE_NAAM: usize = 32;
    pub const FASE_KORT: usize = 32;
    /// One point of what the school does in a phase.
    pub const FASE_PUNT: usize = 80;
    /// All points of one phase together.
    pub const FASE_TOTAAL: usize = 210;
    pub const FASE_PUNTEN: usize = 4;
    pub const ROL_NAAM: usize = 30;
    pub const ROL_PERSOON: usize = 36;
    pub const ROL_TAAK: usize = 70;
    pub const ROL_BEREIK: usize = 70;
    pub const ROL_CONTACT: usize = 40;
    pub const ROLLEN: usize = 12;
    pub const STER: usize = 70;
    pub const STERREN: usize = 5;
    pub const SLEUTEL: usize = 70;
    pub const WAAROM: usize = 60;
    pub const SLEUTELS: usize = 5;
}

pub const STANDAARD_TITEL: &str = "Samen zorg dragen";
pub const ZORG_TITEL: &str = "ZORG op onze school";
pub const SAMEN_TITEL: &str = "Dat doen we SAMEN";

/// The usual name of each phase of the care continuum, for hints.
pub const FASE_NAMEN: [&str; 4] = [
    "Brede basiszorg",
    "Verhoogde zorg",
    "Uitbreiding van zorg",
    "Individueel aangepast curriculum",
];

/// Pictogram of a phase when the file names none.
pub const FASE_PICTOGRAMMEN: [&str; 4] = ["team", "leerkracht", "netwerk", "wegwijzer"];

/// What a key's `bron` may point at: the questionnaires in `enquetes/`, each with its item ids
/// and Dutch questions, or `None` when that questionnaire does not parse (the survey service
/// and `zorgsite check` report that; then only the shape of `bron` is checked). An empty map
/// means there is no `enquetes/` folder: again only the shape is checked.
#[derive(Debug, Clone, Default)]
pub struct Bronnen {
    pub lijsten: BTreeMap<String, Option<Vec<(String, String)>>>,
}

impl Bronnen {
    /// The items of every questionnaire in `<root>/enquetes/`, read by
    /// [`crate::model::vragenlijst`], the same parser the survey service uses.
    pub fn load(root: &Path) -> Bronnen {
        let lijsten = vragenlijst::laad_elk(root)
            .into_iter()
            .map(|(id, lijst)| {
                let items = lijst.map(|l| {
                    l.vragen
                        .iter()
                        .map(|v| (v.id.clone(), v.tekst.nl().to_string()))
                        .collect()
                });
                (id, items)
            })
            .collect();
        Bronnen { lijsten }
    }
}

/// Parses and validates the poster file. Every problem is reported, not only the first.
pub fn parse(
    source: &Source,
    rollen: &Rollen,
    bronnen: &Bronnen,
) -> Result<PosterView, Vec<Diagnostic>> {
    let raw: RawPoster = source
        .parse_toml(0..source.text.len())
        .map_err(|d| vec![d])?;
    let mut c = Checker {
        source,
        errors: Vec::new(),
    };
    let titel = c
        .optional(raw.titel.as_ref(), budget::TITEL, "de titel")
        .unwrap_or_else(|| STANDAARD_TITEL.to_string());
    let ondertitel = c.optional(raw.ondertitel.as_ref(), budget::ONDERTITEL, "de ondertitel");
    let schooljaar = c.optional(
        raw.schooljaar.as_ref(),
        budget::SCHOOLJAAR,
        "het schooljaar",
    );

    let zorg = ZorgView {
        titel: TitelView::new(
            &c.optional(raw.zorg.titel.as_ref(), budget::PANEEL_TITEL, "de titel")
                .unwrap_or_else(|| ZORG_TITEL.to_string()),
        ),
        inleiding: c.optional(
            raw.zorg.inleiding.as_ref(),
            budget::PANEEL_INLEIDING,
            "de inleiding",
        ),
        fasen: c.fasen(&raw.zorg.fase),
    };
    let samen = SamenView {
        titel: TitelView::new(
            &c.optional(raw.samen.titel.as_ref(), budget::PANEEL_TITEL, "de titel")
                .unwrap_or_else(|| SAMEN_TITEL.to_string()),
        ),
        inleiding: c.optional(
            raw.samen.inleiding.as_ref(),
            budget::PANEEL_INLEIDING,
            "de inleiding",
        ),
        rollen: c.rollen(&raw.samen.rol, rollen),
    };
    let sterren = c.sterren(&raw);
    let sleutels = c.sleutels(&raw.sleutel, bronnen);

    if c.errors.is_empty() {
        Ok(PosterView {
            titel,
            ondertitel,
            schooljaar,
            zorg,
            samen,
            sterren,
            sleutels,
        })
    } else {
        Err(c.errors)
    }
}

struct Checker<'a> {
    source: &'a Source,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        self.errors
            .push(self.source.error_at(span, message).with_hint(hint));
    }

    /// A required text: not empty, and within its budget.
    fn text(&mut self, field: &Spanned<String>, max: usize, what: &str, hint: &str) -> String {
        let text = normalise(field.get_ref());
        if text.is_empty() {
            self.error(
                field.span(),
                format!("{what} is leeg"),
                "schrijf een tekst tussen de aanhalingstekens",
            );
        } else {
            self.fits(field.span(), &text, max, what, hint);
        }
        text
    }

    /// An optional text: when present, not empty and within its budget.
    fn optional(
        &mut self,
        field: Option<&Spanned<String>>,
        max: usize,
        what: &str,
    ) -> Option<String> {
        let field = field?;
        let text = normalise(field.get_ref());
        if text.is_empty() {
            self.error(
                field.span(),
                format!("{what} is leeg"),
                "schrijf een tekst, of laat de hele regel weg",
            );
            return None;
        }
        self.fits(field.span(), &text, max, what, KORTER);
        Some(text)
    }

    /// Reports text longer than `max` characters, with how much too long.
    fn fits(&mut self, span: Range<usize>, text: &str, max: usize, what: &str, hint: &str) -> bool {
        let len = text.chars().count();
        if len <= max {
            return true;
        }
        self.error(span, too_long(what, len, max), hint);
        false
    }

    fn fasen(&mut self, raw: &[RawFase]) -> Vec<FaseView> {
        let header = header_span(self.source, "[zorg]")
            .or_else(|| header_span(self.source, "[[zorg.fase]]"))
            .unwrap_or(0..0);
        if raw.is_empty() {
            self.error(
                header,
                format!("het paneel ‘{ZORG_TITEL}’ is leeg: er staan geen fasen in"),
                "voeg vier blokken toe, één per fase: [[zorg.fase]] met nummer = 0, 1, 2 en 3, \
                 een naam en wat = [\"…\"]",
            );
            return Vec::new();
        }
        let mut fasen: [Option<FaseView>; 4] = Default::default();
        for fase in raw {
            let nummer = *fase.nummer.get_ref();
            let view = self.fase(fase, nummer);
            match usize::try_from(nummer).ok().filter(|&n| n < 4) {
                None => self.error(
                    fase.nummer.span(),
                    format!("fase {nummer} bestaat niet"),
                    "het zorgcontinuüm heeft vier fasen: nummer = 0, 1, 2 of 3",
                ),
                Some(n) if fasen[n].is_some() => self.error(
                    fase.nummer.span(),
                    format!("fase {n} staat er twee keer in"),
                    format!(
                        "elke fase komt één keer voor: voeg de twee blokken met nummer = {n} samen, \
                         of geef dit blok het nummer van de fase die ontbreekt"
                    ),
                ),
                Some(n) => fasen[n] = Some(view),
            }
        }
        for (n, fase) in fasen.iter().enumerate() {
            if fase.is_none() {
                self.error(
                    header.clone(),
                    format!("fase {n} ontbreekt in het paneel ‘{ZORG_TITEL}’"),
                    format!(
                        "voeg een blok toe: [[zorg.fase]] met nummer = {n}, naam = \"{}\" en \
                         wat = [\"…\"] (wat de school in die fase doet)",
                        FASE_NAMEN[n]
                    ),
                );
            }
        }
        fasen.into_iter().flatten().collect()
    }

    fn fase(&mut self, fase: &RawFase, nummer: i64) -> FaseView {
        let naam = self.text(&fase.naam, budget::FASE_NAAM, "de naam van de fase", KORTER);
        let kort = self.optional(fase.kort.as_ref(), budget::FASE_KORT, "`kort`");
        let pictogram = match &fase.pictogram {
            Some(p) => {
                if !is_id(p.get_ref()) {
                    self.error(
                        p.span(),
                        format!("ongeldige naam van een pictogram `{}`", p.get_ref()),
                        "gebruik de naam van een bestand in site/static/icons/ zonder .svg, \
                         bv. \"team\"",
                    );
                }
                p.get_ref().clone()
            }
            None => usize::try_from(nummer)
                .ok()
                .and_then(|n| FASE_PICTOGRAMMEN.get(n))
                .unwrap_or(&"zorg")
                .to_string(),
        };
        let punten = fase.wat.get_ref();
        if punten.is_empty() {
            self.error(
                fase.wat.span(),
                format!("fase {nummer} heeft geen tekst: `wat` is leeg"),
                "schrijf in wat = [\"…\", \"…\"] in korte zinnen wat de school in deze fase doet",
            );
        }
        if let Some(extra) = punten.get(budget::FASE_PUNTEN) {
            self.error(
                extra.span(),
                format!(
                    "te veel punten in fase {nummer}: er is plaats voor {} (er staan er {})",
                    budget::FASE_PUNTEN,
                    punten.len()
                ),
                "houd de belangrijkste punten over, of voeg er twee samen",
            );
        }
        let mut wat = Vec::new();
        let mut all_fit = true;
        for punt in punten {
            let before = self.errors.len();
            wat.push(self.text(
                punt,
                budget::FASE_PUNT,
                &format!("dit punt van fase {nummer}"),
                "maak de zin korter, of verdeel hem over twee punten",
            ));
            all_fit &= self.errors.len() == before;
        }
        let total: usize = wat.iter().map(|p| p.chars().count()).sum();
        if all_fit && total > budget::FASE_TOTAAL {
            self.error(
                fase.wat.span(),
                too_long(
                    &format!("de tekst van fase {nummer} (alle punten samen)"),
                    total,
                    budget::FASE_TOTAAL,
                ),
                "schrap een punt of maak de punten korter",
            );
        }
        FaseView {
            nummer: u8::try_from(nummer.clamp(0, 3)).unwrap_or(0),
            naam,
            kort,
            pictogram,
            wat,
        }
    }

    fn rollen(&mut self, raw: &[RawWie], rollen: &Rollen) -> Vec<WieView> {
        if raw.is_empty() {
            let header = header_span(self.source, "[samen]").unwrap_or(0..0);
            self.error(
                header,
                format!("het paneel ‘{SAMEN_TITEL}’ is leeg: er staan geen mensen of groepen in"),
                "voeg voor elke betrokkene een blok toe: [[samen.rol]] met id = \"klasleerkracht\" \
                 (een id uit data/rollen.toml)",
            );
            return Vec::new();
        }
        if let Some(extra) = raw.get(budget::ROLLEN) {
            self.error(
                extra.id.span(),
                format!(
                    "te veel rollen in het paneel ‘{SAMEN_TITEL}’: er is plaats voor {} (er staan er {})",
                    budget::ROLLEN,
                    raw.len()
                ),
                "laat de minst belangrijke weg; op de pagina ‘Wie is wie?’ staan ze allemaal",
            );
        }
        let mut seen = HashSet::new();
        let mut views = Vec::new();
        for wie in raw {
            let id = wie.id.get_ref();
            let Some(rol) = rollen.get(id) else {
                self.error(
                    wie.id.span(),
                    format!("onbekende rol `{id}`"),
                    rollen.suggest(id),
                );
                continue;
            };
            if !seen.insert(id.clone()) {
                self.error(
                    wie.id.span(),
                    format!("de rol `{id}` staat er twee keer in"),
                    "zet elke rol maar één keer op de poster",
                );
                continue;
            }
            let span = wie.id.span();
            let taak = match &wie.taak {
                Some(taak) => self.text(taak, budget::ROL_TAAK, "de taak", KORTER),
                None => self.role_text(&span, id, "wat", &rol.wat, budget::ROL_TAAK, "taak"),
            };
            let bereik = match &wie.bereik {
                Some(bereik) => self.text(bereik, budget::ROL_BEREIK, "`bereik`", KORTER),
                None => self.role_text(
                    &span,
                    id,
                    "bereik",
                    &rol.bereik,
                    budget::ROL_BEREIK,
                    "bereik",
                ),
            };
            let naam = self.role_text(&span, id, "naam", &rol.naam, budget::ROL_NAAM, "");
            let persoon = rol
                .persoon
                .as_deref()
                .map(|p| self.role_text(&span, id, "persoon", p, budget::ROL_PERSOON, ""));
            let contact = rol
                .contact
                .as_deref()
                .map(|c| self.role_text(&span, id, "contact", c, budget::ROL_CONTACT, ""));
            views.push(WieView {
                id: id.clone(),
                naam,
                persoon,
                contact_href: contact.as_deref().map(contact_href),
                contact,
                taak,
                bereik,
                pictogram: rol.pictogram.clone(),
                groep: rol.groep.clone(),
            });
        }
        views
    }

    /// A role's text from `data/rollen.toml`, checked against the poster's budget. Too long
    /// text is reported at the role on the poster, with the poster field that can replace it.
    fn role_text(
        &mut self,
        span: &Range<usize>,
        id: &str,
        field: &str,
        text: &str,
        max: usize,
        poster_field: &str,
    ) -> String {
        let text = normalise(text);
        let len = text.chars().count();
        if len > max {
            let hint = if poster_field.is_empty() {
                format!("maak `{field}` van `{id}` korter in data/rollen.toml")
            } else {
                format!(
                    "schrijf onder deze regel een kortere tekst voor de poster: \
                     {poster_field} = \"…\" (of maak `{field}` korter in data/rollen.toml)"
                )
            };
            self.error(
                span.clone(),
                too_long(
                    &format!("`{field}` van de rol `{id}` (uit data/rollen.toml)"),
                    len,
                    max,
                ),
                hint,
            );
        }
        text
    }

    fn sterren(&mut self, raw: &RawPoster) -> Vec<SterView> {
        if raw.ster.is_empty() {
            self.error(
                last_line_span(self.source),
                "er staan geen sterren op de poster",
                format!(
                    "voeg 1 tot {} sterren toe (waar onze zorg sterk in is): een regel [[ster]] \
                     met daaronder tekst = \"…\"",
                    budget::STERREN
                ),
            );
        }
        if let Some(extra) = raw.ster.get(budget::STERREN) {
            self.error(
                extra.tekst.span(),
                format!(
                    "te veel sterren: er is plaats voor {} (er staan er {})",
                    budget::STERREN,
                    raw.ster.len()
                ),
                "kies de sterren die ouders het meest zeggen",
            );
        }
        raw.ster
            .iter()
            .map(|s| SterView {
                tekst: self.text(&s.tekst, budget::STER, "de tekst van deze ster", KORTER),
            })
            .collect()
    }

    fn sleutels(&mut self, raw: &[RawSleutel], bronnen: &Bronnen) -> Vec<SleutelView> {
        if raw.is_empty() {
            self.error(
                last_line_span(self.source),
                "er staan geen sleutels op de poster",
                format!(
                    "voeg 1 tot {} sleutels toe (waar we aan werken): een regel [[sleutel]] met \
                     daaronder tekst = \"…\"",
                    budget::SLEUTELS
                ),
            );
        }
        if let Some(extra) = raw.get(budget::SLEUTELS) {
            self.error(
                extra.tekst.span(),
                format!(
                    "te veel sleutels: er is plaats voor {} (er staan er {})",
                    budget::SLEUTELS,
                    raw.len()
                ),
                "kies waar jullie dit jaar echt werk van maken",
            );
        }
        raw.iter()
            .map(|s| SleutelView {
                tekst: self.text(
                    &s.tekst,
                    budget::SLEUTEL,
                    "de tekst van deze sleutel",
                    KORTER,
                ),
                waarom: self.optional(s.waarom.as_ref(), budget::WAAROM, "`waarom`"),
                bron: s.bron.as_ref().and_then(|b| self.bron(b, bronnen)),
            })
            .collect()
    }

    fn bron(&mut self, bron: &RawBron, bronnen: &Bronnen) -> Option<BronView> {
        let lijst = bron.vragenlijst.get_ref();
        let item = bron.item.get_ref();
        let mut ok = true;
        for (what, value) in [
            ("naam van een vragenlijst", &bron.vragenlijst),
            ("id van een vraag", &bron.item),
        ] {
            if !is_id(value.get_ref()) {
                ok = false;
                self.error(
                    value.span(),
                    format!("ongeldige {what} `{}`", value.get_ref()),
                    "schrijf de id zoals in content/enquetes/: kleine letters, cijfers en -, \
                     bv. \"zorg-info-duidelijk\"",
                );
            }
        }
        if !ok {
            return None;
        }
        let mut vraag = None;
        if !bronnen.lijsten.is_empty() {
            match bronnen.lijsten.get(lijst) {
                None => {
                    let names: Vec<&str> = bronnen.lijsten.keys().map(String::as_str).collect();
                    self.error(
                        bron.vragenlijst.span(),
                        format!("de vragenlijst `{lijst}` bestaat niet"),
                        match closest(lijst, names.iter().copied()) {
                            Some(best) => format!("bedoel je `{best}`?"),
                            None => format!("kies uit: {}", names.join(", ")),
                        },
                    );
                    return None;
                }
                Some(Some(items)) => match items.iter().find(|(id, _)| id == item) {
                    Some((_, tekst)) => vraag = Some(normalise(tekst)).filter(|t| !t.is_empty()),
                    None => {
                        self.error(
                            bron.item.span(),
                            format!("de vragenlijst `{lijst}` heeft geen vraag `{item}`"),
                            match closest(item, items.iter().map(|(id, _)| id.as_str())) {
                                Some(best) => format!("bedoel je `{best}`?"),
                                None => format!(
                                    "kies een id van een [[vraag]] in content/enquetes/{lijst}.toml"
                                ),
                            },
                        );
                        return None;
                    }
                },
                Some(None) => {}
            }
        }
        Some(BronView {
            vragenlijst: lijst.clone(),
            item: item.clone(),
            wie: match lijst.as_str() {
                "ouders" => "ouders".to_string(),
                "collegas" => "collega's".to_string(),
                other => other.to_string(),
            },
            vraag,
            url: None,
        })
    }
}

const KORTER: &str = "maak de tekst korter: schrap wat niet nodig is, of zeg het eenvoudiger";

fn too_long(what: &str, len: usize, max: usize) -> String {
    let over = len - max;
    let tekens = if over == 1 { "teken" } else { "tekens" };
    format!(
        "{what} is {over} {tekens} te lang voor de poster ({len} tekens, er is plaats voor {max})"
    )
}

/// Joins lines and runs of spaces: `"""…"""` texts may span several lines.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The first line that starts with `header` (e.g. `[zorg]`), without its indentation.
fn header_span(source: &Source, header: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(header) {
            let start = offset + (line.len() - trimmed.len());
            return Some(start..start + header.len());
        }
        offset += line.len();
    }
    None
}

/// The last line with text: where something missing can be added.
fn last_line_span(source: &Source) -> Range<usize> {
    let trimmed = source.text.trim_end();
    let start = trimmed.rfind('\n').map_or(0, |i| i + 1);
    start..trimmed.len()
}
