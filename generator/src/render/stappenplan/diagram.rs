//! From a stappenplan to a placed drawing: the text of each box, its size and shape, the layout.
//! Two drawings of the same plan: [`diagram`] (wide screens and paper, layered) and
//! [`narrow_diagram`] (phones, one column).

use std::collections::HashMap;

use super::colour::RoleColours;
use super::layout::{EdgeSpec, HEXAGON_DEPTH, Layout, NodeSpec, Shape, column, layout};
use super::measure::{BoxText, Metrics, NARROW, WIDE, initials};
use crate::model::rollen::Rollen;
use crate::model::stappenplan::{Soort, Stappenplan};

/// Text of actions and start/end boxes wraps at this width.
const TEXT_WIDTH: f64 = 230.0;
/// Text of decisions wraps narrower: a diamond is more than twice as wide as its text.
const DECISION_TEXT_WIDTH: f64 = 150.0;
/// Padding between text and border of a rectangle.
const PAD_X: f64 = 14.0;
const PAD_Y: f64 = 8.0;
/// Smallest width of a box.
const MIN_WIDTH: f64 = 150.0;
/// Width of the narrow drawing in SVG units. A 360 px phone shows it at 100 % or a little
/// larger: its content is 360 − 2 × 18 px page padding − 2 × 10 px frame = 304 px wide, so
/// text drawn at 14 units or more is at least 14 CSS px there.
pub const NARROW_WIDTH: f64 = 300.0;

/// Which of the two drawings of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Layered, branches side by side: wide screens and paper.
    Wide,
    /// One column in step order: phones.
    Narrow,
}

impl Variant {
    /// The font sizes of this drawing.
    pub fn metrics(self) -> &'static Metrics {
        match self {
            Variant::Wide => &WIDE,
            Variant::Narrow => &NARROW,
        }
    }

    /// The SVG's class in the theme's stylesheet (which one is shown depends on the screen).
    pub fn class(self) -> &'static str {
        match self {
            Variant::Wide => "stappenplan-breed",
            Variant::Narrow => "stappenplan-smal",
        }
    }
}

/// A laid-out flowchart, ready to be drawn.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub variant: Variant,
    pub layout: Layout,
    /// What is written in each box (same order as the steps).
    pub texts: Vec<BoxText>,
    /// Colours of each box (same order as the steps).
    pub colours: Vec<RoleColours>,
}

/// Initials for every role of the school (stable across flows: computed over all roles).
pub fn role_initials(rollen: &Rollen) -> HashMap<String, String> {
    let names: Vec<&str> = rollen.rollen.iter().map(|r| r.naam.as_str()).collect();
    rollen
        .rollen
        .iter()
        .map(|r| r.id.clone())
        .zip(initials(&names))
        .collect()
}

/// The text of every box (role line and wrapped step text, `width(step)` wide at most) and
/// its colours.
fn box_texts(
    plan: &Stappenplan,
    rollen: &Rollen,
    metrics: &Metrics,
    width: impl Fn(Soort) -> f64,
) -> (Vec<BoxText>, Vec<RoleColours>) {
    let initials = role_initials(rollen);
    plan.stappen
        .iter()
        .enumerate()
        .map(|(i, stap)| {
            let rol = rollen.get(&stap.wie);
            let role_name = rol.map_or(stap.wie.as_str(), |r| r.naam.as_str());
            let badge = initials.get(&stap.wie).map_or("?", String::as_str);
            let body = format!("{}. {}", i + 1, stap.tekst);
            (
                BoxText::new(badge, role_name, &body, width(stap.soort), metrics),
                RoleColours::from_hex(rol.map_or("#606060", |r| r.kleur.as_str())),
            )
        })
        .unzip()
}

/// Every exit of every step, in step order.
fn edges(plan: &Stappenplan) -> Vec<EdgeSpec> {
    plan.stappen
        .iter()
        .enumerate()
        .flat_map(|(from, stap)| {
            stap.uitgangen.iter().map(move |u| EdgeSpec {
                from,
                to: u.naar,
                label: u.label.clone(),
            })
        })
        .collect()
}

/// Measures the boxes of `plan` and lays them out: the wide drawing.
pub fn diagram(plan: &Stappenplan, rollen: &Rollen) -> Diagram {
    let (texts, colours) = box_texts(plan, rollen, &WIDE, |soort| match soort {
        Soort::Beslissing => DECISION_TEXT_WIDTH,
        _ => TEXT_WIDTH,
    });
    let mut nodes = Vec::with_capacity(plan.stappen.len());
    for (stap, text) in plan.stappen.iter().zip(&texts) {
        let spec = match stap.soort {
            Soort::Beslissing => {
                // The text block (half sizes x, y) fits a diamond with half diagonals a, b
                // when x / a + y / b <= 1; a flat diamond (a = 2.4 x, b = 1.72 y) saves height.
                let (x, y) = (text.width / 2.0 + 4.0, text.height / 2.0 + 2.0);
                NodeSpec {
                    width: 2.0 * 2.4 * x,
                    height: 2.0 * 1.72 * y,
                    shape: Shape::Diamond,
                }
            }
            soort => {
                let (shape, extra) = match soort {
                    Soort::Start | Soort::Einde => (Shape::Rounded, 12.0),
                    _ => (Shape::Rect, 0.0),
                };
                NodeSpec {
                    width: (text.width + 2.0 * PAD_X + extra).max(MIN_WIDTH),
                    height: text.height + 2.0 * PAD_Y,
                    shape,
                }
            }
        };
        nodes.push(spec);
    }
    Diagram {
        variant: Variant::Wide,
        layout: layout(&nodes, &edges(plan), 0),
        texts,
        colours,
    }
}

/// The narrow drawing: every box in one column [`NARROW_WIDTH`] wide (lanes included), in
/// step order; decisions are hexagons (a diamond that wide would be far too tall).
pub fn narrow_diagram(plan: &Stappenplan, rollen: &Rollen) -> Diagram {
    let edges = edges(plan);
    let lanes = column::Lanes::new(plan.stappen.len(), &edges);
    let column = lanes.column_width(NARROW_WIDTH);
    let inset = |soort: Soort| match soort {
        Soort::Beslissing => PAD_X + HEXAGON_DEPTH,
        _ => PAD_X,
    };
    let (texts, colours) = box_texts(plan, rollen, &NARROW, |soort| column - 2.0 * inset(soort));
    // A word longer than the column widens every box (and the drawing) rather than overflow.
    let width = plan
        .stappen
        .iter()
        .zip(&texts)
        .map(|(stap, text)| text.width + 2.0 * inset(stap.soort))
        .fold(column, f64::max);
    let nodes: Vec<NodeSpec> = plan
        .stappen
        .iter()
        .zip(&texts)
        .map(|(stap, text)| NodeSpec {
            width,
            height: text.height + 2.0 * PAD_Y,
            shape: match stap.soort {
                Soort::Beslissing => Shape::Hexagon,
                Soort::Start | Soort::Einde => Shape::Rounded,
                Soort::Actie => Shape::Rect,
            },
        })
        .collect();
    Diagram {
        variant: Variant::Narrow,
        layout: column::layout(&nodes, &edges, &lanes, &NARROW),
        texts,
        colours,
    }
}
