//! From a stappenplan to a placed drawing: the text of each box, its size and shape, the layout.

use std::collections::HashMap;

use super::colour::RoleColours;
use super::layout::{EdgeSpec, Layout, NodeSpec, Shape, layout};
use super::measure::{BoxText, initials};
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

/// A laid-out flowchart, ready to be drawn.
#[derive(Debug, Clone)]
pub struct Diagram {
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

/// Measures the boxes of `plan` and lays them out.
pub fn diagram(plan: &Stappenplan, rollen: &Rollen) -> Diagram {
    let initials = role_initials(rollen);
    let mut texts = Vec::with_capacity(plan.stappen.len());
    let mut colours = Vec::with_capacity(plan.stappen.len());
    let mut nodes = Vec::with_capacity(plan.stappen.len());
    for (i, stap) in plan.stappen.iter().enumerate() {
        let rol = rollen.get(&stap.wie);
        let role_name = rol.map_or(stap.wie.as_str(), |r| r.naam.as_str());
        let badge = initials.get(&stap.wie).map_or("?", String::as_str);
        colours.push(RoleColours::from_hex(
            rol.map_or("#606060", |r| r.kleur.as_str()),
        ));
        let body = format!("{}. {}", i + 1, stap.tekst);
        let (text, spec) = match stap.soort {
            Soort::Beslissing => {
                let text = BoxText::new(badge, role_name, &body, DECISION_TEXT_WIDTH);
                // The text block (half sizes x, y) fits a diamond with half diagonals a, b
                // when x / a + y / b <= 1; a flat diamond (a = 2.4 x, b = 1.72 y) saves height.
                let (x, y) = (text.width / 2.0 + 4.0, text.height / 2.0 + 2.0);
                let spec = NodeSpec {
                    width: 2.0 * 2.4 * x,
                    height: 2.0 * 1.72 * y,
                    shape: Shape::Diamond,
                };
                (text, spec)
            }
            soort => {
                let text = BoxText::new(badge, role_name, &body, TEXT_WIDTH);
                let (shape, extra) = match soort {
                    Soort::Start | Soort::Einde => (Shape::Rounded, 12.0),
                    _ => (Shape::Rect, 0.0),
                };
                let spec = NodeSpec {
                    width: (text.width + 2.0 * PAD_X + extra).max(MIN_WIDTH),
                    height: text.height + 2.0 * PAD_Y,
                    shape,
                };
                (text, spec)
            }
        };
        texts.push(text);
        nodes.push(spec);
    }
    let edges: Vec<EdgeSpec> = plan
        .stappen
        .iter()
        .enumerate()
        .flat_map(|(from, stap)| {
            stap.uitgangen.iter().map(move |u| EdgeSpec {
                from,
                to: u.naar,
                label: u.label.clone(),
            })
        })
        .collect();
    Diagram {
        layout: layout(&nodes, &edges, 0),
        texts,
        colours,
    }
}
