//! Geometry checks of a finished layout, for tests and debugging.

use super::{EPS, Layout};

impl Layout {
    /// Geometry problems, in English, for tests and debugging; empty when the drawing is sound:
    /// no two boxes overlap, every edge is orthogonal, starts on the border of its source and
    /// ends (going down, with room for the arrow) on the border of its target, no edge runs
    /// through a box, no label covers a box, and everything lies inside the drawing.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let inside = |x: f64, y: f64| {
            x >= -EPS && y >= -EPS && x <= self.width + EPS && y <= self.height + EPS
        };
        for (i, a) in self.nodes.iter().enumerate() {
            if !inside(a.rect.x, a.rect.y) || !inside(a.rect.right(), a.rect.bottom()) {
                problems.push(format!("box {i} lies outside the drawing"));
            }
            for (j, b) in self.nodes.iter().enumerate().skip(i + 1) {
                if a.rect.overlaps(&b.rect, 0.0) {
                    problems.push(format!("boxes {i} and {j} overlap"));
                }
            }
        }
        for (e, edge) in self.edges.iter().enumerate() {
            let pts = &edge.points;
            if pts.len() < 2 {
                problems.push(format!("edge {e} has fewer than two points"));
                continue;
            }
            if !self.nodes[edge.from].on_border(pts[0], EPS) {
                problems.push(format!(
                    "edge {e} does not start on the border of box {}",
                    edge.from
                ));
            }
            let (last, before) = (pts[pts.len() - 1], pts[pts.len() - 2]);
            if !self.nodes[edge.to].on_border(last, EPS) {
                problems.push(format!(
                    "edge {e} does not end on the border of box {}",
                    edge.to
                ));
            }
            if (last.x - before.x).abs() > 1e-9 || last.y - before.y < 10.0 {
                problems.push(format!(
                    "edge {e} does not end going down with room for an arrow"
                ));
            }
            for (k, pair) in pts.windows(2).enumerate() {
                let (p, q) = (pair[0], pair[1]);
                if !inside(p.x, p.y) || !inside(q.x, q.y) {
                    problems.push(format!("edge {e} leaves the drawing"));
                }
                if (p.x - q.x).abs() > 1e-9 && (p.y - q.y).abs() > 1e-9 {
                    problems.push(format!(
                        "edge {e} segment {k} is not horizontal or vertical"
                    ));
                    continue;
                }
                for (i, node) in self.nodes.iter().enumerate() {
                    if node.segment_enters(p, q, EPS) {
                        problems.push(format!("edge {e} segment {k} runs through box {i}"));
                    }
                }
            }
            if let Some(label) = &edge.label {
                let r = &label.rect;
                if !inside(r.x, r.y) || !inside(r.right(), r.bottom()) {
                    problems.push(format!("label of edge {e} lies outside the drawing"));
                }
                for (i, node) in self.nodes.iter().enumerate() {
                    if node.overlaps_rect(r, EPS) {
                        problems.push(format!("label of edge {e} covers box {i}"));
                    }
                }
            }
        }
        problems
    }
}
