//! What templates get to show a flow: the drawing and its equivalent text version.
//!
//! The text version lists every step with its number, who, how and when, and every exit
//! ("Als ja: ga naar stap 4."), so it says everything the drawing says. It is plain data:
//! the theme decides the HTML (an `<ol>` of steps with `id="{{ id }}-stap-{{ nummer }}"`
//! anchors and links to the roles).

use serde::Serialize;

use super::colour::RoleColours;
use super::diagram::{Diagram, diagram, narrow_diagram, role_initials};
use super::svg;
use crate::model::rollen::Rollen;
use crate::model::stappenplan::{Soort, Stappenplan};

/// Everything a template needs to show one flow.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StappenplanView {
    /// Who the flow is for: the file stem (`ouder`, `leerkracht`, …).
    pub actor: String,
    pub titel: String,
    pub beschrijving: String,
    /// Prefix of every id of this flow on a page: `stappenplan-<actor>`. The SVG uses
    /// `<id>-tekening`, `<id>-titel`, `<id>-desc`; the text version should use `<id>-stap-<n>`.
    pub id: String,
    /// The drawing: one inline `<svg>` element without blank lines (safe inside Markdown),
    /// class `stappenplan-breed`: for wide screens and paper.
    pub svg: String,
    /// The same plan drawn for phones, class `stappenplan-smal`: one column in step order,
    /// [`super::diagram::NARROW_WIDTH`] units wide, every text at least 14 units; its ids
    /// start with `<id>-smal`. The theme shows one of the two with a media query.
    pub svg_smal: String,
    /// The steps in reading order; `stappen[i].nummer == i + 1`.
    pub stappen: Vec<StapView>,
    /// Legend: the roles in this flow, in order of first appearance.
    pub rollen: Vec<RolView>,
    /// Size of the drawing in SVG units (px at 100 %).
    pub breedte: u32,
    pub hoogte: u32,
    /// Paper size on which the drawing prints legibly on one page: `"A4"` or `"A3"` (portrait).
    /// Checked in Chromium with 12 mm page margins, a 14 pt heading and the drawing limited
    /// to the area the choice assumes ([`A4_AREA_MM`]; for A3: 273 × 380 mm), e.g.
    /// `@page { size: A4 portrait; margin: 12mm }` and, for print,
    /// `svg { width: auto; max-width: 100%; max-height: 257mm }` (380mm on A3); the text
    /// version can start on the next page. Step text then prints at 6.5 pt or larger.
    pub afdrukformaat: &'static str,
}

/// One step of the text version.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StapView {
    /// "Stap {nummer}".
    pub nummer: usize,
    /// The step's id from the TOML file.
    pub id: String,
    /// `start`, `actie`, `beslissing` or `einde`.
    pub soort: Soort,
    /// The step's text.
    pub tekst: String,
    /// Role id (for links to the who-is-who page) and what to show.
    pub wie: String,
    pub wie_naam: String,
    /// The person(s) in the role, if the school names them.
    pub wie_persoon: Option<String>,
    /// How: the step's own `hoe`, or else how to reach the role (`bereik` in rollen.toml).
    pub hoe: Option<String>,
    /// When, if the step says.
    pub wanneer: Option<String>,
    /// Phone number or e-mail of the role, if any.
    pub contact: Option<String>,
    /// Where to go next; empty for an end.
    pub volgende: Vec<UitgangView>,
}

/// One exit in the text version.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UitgangView {
    /// "ja", "nee", …; none for the single next step of an action.
    pub label: Option<String>,
    /// Number of the step to go to.
    pub naar: usize,
    /// The sentence to show: "Als ja: ga naar stap 4." or "Ga daarna naar stap 4."
    pub tekst: String,
    /// True when this goes back to an earlier step (a loop).
    pub terug: bool,
}

/// A role in the legend.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RolView {
    pub id: String,
    pub naam: String,
    pub persoon: Option<String>,
    /// Initials shown in the badge of the role's boxes.
    pub initialen: String,
    /// Pictogram name from rollen.toml (an icon in `site/static/icons/`).
    pub pictogram: String,
    /// Border colour of the role's boxes (at least 3:1 on white) and their fill.
    pub kleur: String,
    pub vulkleur: String,
    /// Badge colour (white text on it is at least 4.5:1).
    pub badgekleur: String,
}

/// The phrases of the text version and the drawing's description in one language, and the
/// writing direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Woorden {
    /// "Als {label}: ga naar stap {n}."
    pub als: String,
    /// "Ga daarna naar stap {n}."
    pub daarna: String,
    /// The drawing's description with `{stappen}` and `{start}`; `None`: the Dutch sentences.
    pub beschrijving: Option<String>,
    /// Right-to-left: the drawing is mirrored (first step on the right).
    pub rtl: bool,
}

impl Default for Woorden {
    fn default() -> Self {
        Woorden {
            als: "Als {label}: ga naar stap {n}.".into(),
            daarna: "Ga daarna naar stap {n}.".into(),
            beschrijving: None,
            rtl: false,
        }
    }
}

/// Drawing plus text version of `plan`. Roles missing from `rollen` (impossible for a plan
/// parsed with the same `rollen`) show their id.
pub fn view(plan: &Stappenplan, rollen: &Rollen) -> StappenplanView {
    view_in(plan, rollen, &Woorden::default())
}

/// [`view`] in another language: `plan` and `rollen` already hold the translated texts.
pub fn view_in(plan: &Stappenplan, rollen: &Rollen, woorden: &Woorden) -> StappenplanView {
    let mut drawing: Diagram = diagram(plan, rollen);
    if woorden.rtl {
        drawing.layout.mirror();
    }
    let mut narrow = narrow_diagram(plan, rollen);
    if woorden.rtl {
        narrow.layout.mirror();
    }
    let id = format!("stappenplan-{}", plan.actor);
    let svg = svg::render_in(plan, &drawing, &id, woorden);
    let svg_smal = svg::render_in(plan, &narrow, &format!("{id}-smal"), woorden);
    let stappen = plan
        .stappen
        .iter()
        .enumerate()
        .map(|(i, stap)| {
            let rol = rollen.get(&stap.wie);
            StapView {
                nummer: i + 1,
                id: stap.id.clone(),
                soort: stap.soort,
                tekst: stap.tekst.clone(),
                wie: stap.wie.clone(),
                wie_naam: rol.map_or_else(|| stap.wie.clone(), |r| r.naam.clone()),
                wie_persoon: rol.and_then(|r| r.persoon.clone()),
                hoe: stap.hoe.clone().or_else(|| rol.map(|r| r.bereik.clone())),
                wanneer: stap.wanneer.clone(),
                contact: rol.and_then(|r| r.contact.clone()),
                volgende: stap
                    .uitgangen
                    .iter()
                    .map(|u| UitgangView {
                        label: u.label.clone(),
                        naar: u.naar + 1,
                        tekst: match &u.label {
                            Some(label) => woorden
                                .als
                                .replace("{label}", label)
                                .replace("{n}", &(u.naar + 1).to_string()),
                            None => woorden.daarna.replace("{n}", &(u.naar + 1).to_string()),
                        },
                        terug: u.naar <= i,
                    })
                    .collect(),
            }
        })
        .collect();

    let initials = role_initials(rollen);
    let mut legend: Vec<RolView> = Vec::new();
    for stap in &plan.stappen {
        if legend.iter().any(|r| r.id == stap.wie) {
            continue;
        }
        let rol = rollen.get(&stap.wie);
        let colours = RoleColours::from_hex(rol.map_or("#606060", |r| r.kleur.as_str()));
        legend.push(RolView {
            id: stap.wie.clone(),
            naam: rol.map_or_else(|| stap.wie.clone(), |r| r.naam.clone()),
            persoon: rol.and_then(|r| r.persoon.clone()),
            initialen: initials
                .get(&stap.wie)
                .cloned()
                .unwrap_or_else(|| "?".into()),
            pictogram: rol.map(|r| r.pictogram.clone()).unwrap_or_default(),
            kleur: colours.stroke.hex(),
            vulkleur: colours.fill.hex(),
            badgekleur: colours.badge.hex(),
        });
    }

    let (breedte, hoogte) = (drawing.layout.width, drawing.layout.height);
    StappenplanView {
        actor: plan.actor.clone(),
        titel: plan.titel.clone(),
        beschrijving: plan.beschrijving.clone(),
        id,
        svg,
        svg_smal,
        stappen,
        rollen: legend,
        breedte: breedte.ceil() as u32,
        hoogte: hoogte.ceil() as u32,
        afdrukformaat: paper_size(breedte, hoogte),
    }
}

/// Space for the drawing on a portrait A4 page, in mm: 12 mm margins and room for a heading.
pub const A4_AREA_MM: (f64, f64) = (186.0, 257.0);
/// Step text printed smaller than this (in mm; 6.5 pt) is too small to read.
const MIN_PRINTED_FONT_MM: f64 = 2.3;

/// "A4" when the drawing, scaled to fit an A4 page, keeps its text legible; else "A3".
pub fn paper_size(width: f64, height: f64) -> &'static str {
    // Millimetres per SVG unit when the drawing fills the area (never above 96 dpi size).
    let scale = |(w, h): (f64, f64)| {
        (w / width.max(1.0))
            .min(h / height.max(1.0))
            .min(25.4 / 96.0)
    };
    if super::measure::WIDE.font_size * scale(A4_AREA_MM) >= MIN_PRINTED_FONT_MM {
        "A4"
    } else {
        "A3"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_drawings_print_on_a4_large_ones_on_a3() {
        assert_eq!(paper_size(600.0, 800.0), "A4");
        assert_eq!(paper_size(900.0, 2400.0), "A3");
        assert_eq!(paper_size(1400.0, 1000.0), "A3");
    }
}
