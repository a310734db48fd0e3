//! A small layered (Sugiyama-style) top-to-bottom layout with orthogonal edges.
//!
//! The stages, one module each, run by [`layout`]:
//! 1. `input`: exits and entries per box; **ranks** by longest path from the root, ignoring
//!    the back edges of a depth-first search (they close a loop and are drawn along the side);
//!    boxes widened so that their ports fit;
//! 2. `order`: edges that skip layers get a chain of dummy items, one per layer they cross;
//!    barycenter sweeps down and up reduce crossings, keeping the best order;
//! 3. `place`: each item wants to sit at the mean x of its neighbours; a weighted isotonic
//!    regression (pool adjacent violators) finds the closest positions that keep the order
//!    and the minimum gaps, alternately sweeping down and up;
//! 4. `route`: **ports** (out of the bottom; a decision's second and third exit out of its
//!    left and right corners; into the top, sorted by direction), **channels** between layers
//!    where all horizontal segments run, each on a track, **lanes** beside everything for
//!    back edges, then the heights of layers and channels and the polylines;
//! 5. `check`: [`Layout::problems`] verifies the geometry.
//!
//! [`column`] is the second layout, for phones: every box in one column in step order, edges
//! that skip boxes in lanes beside it. It gives the same [`Layout`], checked the same way.
//!
//! By construction no box overlaps another and no edge runs through a box: vertical segments
//! only cross a layer inside the slot of their own box or dummy, horizontal ones only run in
//! channels. The tests run [`Layout::problems`] on the example flows and on random flows.

mod check;
pub mod column;
mod input;
mod order;
mod place;
mod route;

/// Minimum free space between two boxes in a layer.
const NODE_GAP: f64 = 32.0;
/// Minimum free space between a box and a dummy (an edge passing through a layer).
const DUMMY_GAP: f64 = 18.0;
/// Minimum space between two dummies.
const DUMMY_DUMMY_GAP: f64 = 12.0;
/// Corner radius of rounded boxes (start and end).
const ROUNDED_RADIUS: f64 = 16.0;
/// Ports stay this far from a rectangle's corners.
const PORT_INSET: f64 = 12.0;
/// Minimum distance between two exits at the bottom of a box.
const OUT_PORT_GAP: f64 = 24.0;
/// Minimum distance between two entries at the top of a box.
const IN_PORT_GAP: f64 = 16.0;
/// Minimum width of the lane beside a decision's corner where a side exit turns down.
const LANE_MIN: f64 = 22.0;
/// Distance between the lanes of back edges, and from the lanes to the boxes.
const BACK_LANE_GAP: f64 = 16.0;
/// Vertical distance between two tracks in a channel.
const TRACK_GAP: f64 = 10.0;
/// Free space above the first track of a channel.
const CHANNEL_PAD_TOP: f64 = 12.0;
/// Free space below the last track of a channel (room for the arrow head).
const CHANNEL_PAD_BOTTOM: f64 = 18.0;
/// Minimum height of a channel between two layers.
const MIN_CHANNEL: f64 = 36.0;
/// Free space around the drawing.
pub const MARGIN: f64 = 12.0;
/// Height of an edge label's background.
pub const LABEL_HEIGHT: f64 = super::measure::WIDE.label_height;
/// How far the pointed ends of a [`Shape::Hexagon`] reach beyond its flat top and bottom.
pub const HEXAGON_DEPTH: f64 = 16.0;
/// Horizontal segments on one track keep this much apart.
const TRACK_SEPARATION: f64 = 10.0;
/// Tolerance for geometry comparisons.
const EPS: f64 = 0.5;

/// The outline of a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Rect,
    /// A rectangle with rounded corners (start and end).
    Rounded,
    /// A diamond touching the middle of each side of its bounding box (decisions).
    Diamond,
    /// A rectangle with pointed left and right ends (decisions in the narrow [`column`]
    /// layout: a diamond as wide as a phone's column would be far too tall).
    Hexagon,
}

/// A box to place: its size (bounding box) and shape.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeSpec {
    pub width: f64,
    pub height: f64,
    pub shape: Shape,
}

/// A connection to draw; the exits of a node are in the order of the edge list.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeSpec {
    pub from: usize,
    pub to: usize,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

/// An axis-aligned rectangle (top-left corner and size).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// True when the interiors overlap by more than `eps` in both directions.
    pub fn overlaps(&self, other: &Rect, eps: f64) -> bool {
        self.x + eps < other.right()
            && other.x + eps < self.right()
            && self.y + eps < other.bottom()
            && other.y + eps < self.bottom()
    }

    fn corners(&self) -> [Point; 4] {
        [
            Point::new(self.x, self.y),
            Point::new(self.right(), self.y),
            Point::new(self.right(), self.bottom()),
            Point::new(self.x, self.bottom()),
        ]
    }
}

/// A placed box.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedNode {
    /// Bounding box.
    pub rect: Rect,
    pub shape: Shape,
    /// Layer, 0 at the top.
    pub rank: usize,
}

impl PlacedNode {
    pub fn center(&self) -> Point {
        Point::new(
            self.rect.x + self.rect.width / 2.0,
            self.rect.y + self.rect.height / 2.0,
        )
    }

    /// Corner radius for [`Shape::Rounded`] boxes.
    pub fn corner_radius(&self) -> f64 {
        match self.shape {
            Shape::Rounded => ROUNDED_RADIUS.min(self.rect.height / 2.0),
            _ => 0.0,
        }
    }

    /// How far the pointed ends of a [`Shape::Hexagon`] reach in from its bounding box.
    pub fn hexagon_depth(&self) -> f64 {
        match self.shape {
            Shape::Hexagon => HEXAGON_DEPTH
                .min(self.rect.height / 2.0)
                .min(self.rect.width / 4.0),
            _ => 0.0,
        }
    }

    /// The outline as a convex polygon (rounded corners count as square: a little larger).
    pub fn polygon(&self) -> Vec<Point> {
        match self.shape {
            Shape::Hexagon => {
                let (r, d, c) = (&self.rect, self.hexagon_depth(), self.center());
                vec![
                    Point::new(r.x + d, r.y),
                    Point::new(r.right() - d, r.y),
                    Point::new(r.right(), c.y),
                    Point::new(r.right() - d, r.bottom()),
                    Point::new(r.x + d, r.bottom()),
                    Point::new(r.x, c.y),
                ]
            }
            Shape::Diamond => {
                let c = self.center();
                let (a, b) = (self.rect.width / 2.0, self.rect.height / 2.0);
                vec![
                    Point::new(c.x, c.y - b),
                    Point::new(c.x + a, c.y),
                    Point::new(c.x, c.y + b),
                    Point::new(c.x - a, c.y),
                ]
            }
            _ => self.rect.corners().to_vec(),
        }
    }

    /// The interior's extent along the horizontal line at `y` (open interval), if any.
    fn span_at_y(&self, y: f64) -> Option<(f64, f64)> {
        let c = self.center();
        let (a, b) = (self.rect.width / 2.0, self.rect.height / 2.0);
        let dy = (y - c.y).abs();
        if dy >= b {
            return None;
        }
        let half = match self.shape {
            Shape::Diamond => a * (1.0 - dy / b),
            Shape::Hexagon => a - self.hexagon_depth() * dy / b,
            _ => a,
        };
        Some((c.x - half, c.x + half))
    }

    /// The interior's extent along the vertical line at `x` (open interval), if any.
    fn span_at_x(&self, x: f64) -> Option<(f64, f64)> {
        let c = self.center();
        let (a, b) = (self.rect.width / 2.0, self.rect.height / 2.0);
        let dx = (x - c.x).abs();
        if dx >= a {
            return None;
        }
        let half = match self.shape {
            Shape::Diamond => b * (1.0 - dx / a),
            Shape::Hexagon => {
                let d = self.hexagon_depth();
                if dx <= a - d { b } else { b * (a - dx) / d }
            }
            _ => b,
        };
        Some((c.y - half, c.y + half))
    }

    /// True when `p` lies on the outline (within `eps`).
    pub fn on_border(&self, p: Point, eps: f64) -> bool {
        let c = self.center();
        let (a, b) = (self.rect.width / 2.0, self.rect.height / 2.0);
        let (dx, dy) = ((p.x - c.x).abs(), (p.y - c.y).abs());
        match self.shape {
            Shape::Diamond => ((dx / a + dy / b) - 1.0).abs() * a.min(b) <= eps,
            Shape::Hexagon => {
                let d = self.hexagon_depth();
                let flat = (dy - b).abs() <= eps && dx <= a - d + eps;
                // Distance to the slanted side through (a - d, b) and (a, 0).
                let slanted = dy <= b + eps
                    && (dx - (a - d * dy / b)).abs() * b / (b * b + d * d).sqrt() <= eps;
                flat || slanted
            }
            _ => {
                let inside_x = dx <= a + eps;
                let inside_y = dy <= b + eps;
                inside_x && inside_y && ((dx - a).abs() <= eps || (dy - b).abs() <= eps)
            }
        }
    }

    /// True when the axis-aligned segment `p`–`q` runs through the interior (by more than `eps`).
    pub fn segment_enters(&self, p: Point, q: Point, eps: f64) -> bool {
        let overlap = |(lo, hi): (f64, f64), a: f64, b: f64| {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            a.max(lo + eps) < b.min(hi - eps)
        };
        if (p.y - q.y).abs() <= 1e-9 {
            self.span_at_y(p.y)
                .is_some_and(|span| overlap(span, p.x, q.x))
        } else if (p.x - q.x).abs() <= 1e-9 {
            self.span_at_x(p.x)
                .is_some_and(|span| overlap(span, p.y, q.y))
        } else {
            true
        }
    }

    /// True when the outline and `r` overlap by more than `eps` (separating axis test).
    pub fn overlaps_rect(&self, r: &Rect, eps: f64) -> bool {
        let a = self.polygon();
        let b = r.corners();
        let axes = edges_normals(&a).into_iter().chain(edges_normals(&b));
        for axis in axes {
            let project = |pts: &[Point]| {
                pts.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
                    let v = p.x * axis.x + p.y * axis.y;
                    (lo.min(v), hi.max(v))
                })
            };
            let (alo, ahi) = project(&a);
            let (blo, bhi) = project(&b);
            if ahi - eps <= blo || bhi - eps <= alo {
                return false;
            }
        }
        true
    }
}

fn edges_normals(poly: &[Point]) -> Vec<Point> {
    (0..poly.len())
        .map(|i| {
            let (p, q) = (poly[i], poly[(i + 1) % poly.len()]);
            let (nx, ny) = (q.y - p.y, p.x - q.x);
            let len = (nx * nx + ny * ny).sqrt().max(f64::EPSILON);
            Point::new(nx / len, ny / len)
        })
        .collect()
}

/// The text of an edge label with its background rectangle.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeLabel {
    pub text: String,
    pub rect: Rect,
}

/// A routed edge: an orthogonal polyline from the border of `from` to the border of `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedEdge {
    pub from: usize,
    pub to: usize,
    pub points: Vec<Point>,
    pub label: Option<EdgeLabel>,
    /// True for edges that go back up (loops), drawn in a lane beside the boxes.
    pub back: bool,
}

/// The result: positions of all boxes and edges, in a drawing of `width` × `height`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Same order as the input nodes.
    pub nodes: Vec<PlacedNode>,
    /// Same order as the input edges.
    pub edges: Vec<PlacedEdge>,
}

/// Places `nodes` and routes `edges`, top to bottom, starting at `root`.
pub fn layout(nodes: &[NodeSpec], edges: &[EdgeSpec], root: usize) -> Layout {
    if nodes.is_empty() {
        return Layout::default();
    }
    let graph = input::Graph::new(nodes, edges, root.min(nodes.len() - 1));
    let (items, chains) = order::items(&graph);
    let mut layers = order::initial_order(&items, graph.layer_count, graph.root);
    order::reduce_crossings(&items, &mut layers);
    let x = place::place_x(&items, &layers);
    let (placed, routed, height) = route::route(&graph, &items, &chains, &x);
    let mut result = Layout {
        width: 0.0,
        height,
        nodes: placed,
        edges: routed,
    };
    result.normalise();
    result
}

impl Layout {
    /// Mirrors the drawing left to right, for right-to-left languages: what was on the left
    /// (the first branch, the "ja" exits' side) is now on the right.
    pub fn mirror(&mut self) {
        let width = self.width;
        for node in &mut self.nodes {
            node.rect.x = width - node.rect.x - node.rect.width;
        }
        for edge in &mut self.edges {
            for p in &mut edge.points {
                p.x = width - p.x;
            }
            if let Some(label) = &mut edge.label {
                label.rect.x = width - label.rect.x - label.rect.width;
            }
        }
    }

    /// Moves everything so that the drawing starts at (MARGIN, 0) and sets the width.
    fn normalise(&mut self) {
        let mut min_x = f64::MAX;
        let mut max_x = f64::MIN;
        for node in &self.nodes {
            min_x = min_x.min(node.rect.x);
            max_x = max_x.max(node.rect.right());
        }
        for edge in &self.edges {
            for p in &edge.points {
                min_x = min_x.min(p.x);
                max_x = max_x.max(p.x);
            }
            if let Some(label) = &edge.label {
                min_x = min_x.min(label.rect.x);
                max_x = max_x.max(label.rect.right());
            }
        }
        let shift = MARGIN - min_x;
        for node in &mut self.nodes {
            node.rect.x += shift;
        }
        for edge in &mut self.edges {
            for p in &mut edge.points {
                p.x += shift;
            }
            // Ports and hops are computed along different paths: remove rounding noise.
            for k in 1..edge.points.len() {
                let prev = edge.points[k - 1];
                let p = &mut edge.points[k];
                if (p.x - prev.x).abs() < 1e-6 {
                    p.x = prev.x;
                }
                if (p.y - prev.y).abs() < 1e-6 {
                    p.y = prev.y;
                }
            }
            if let Some(label) = &mut edge.label {
                label.rect.x += shift;
            }
        }
        self.width = max_x - min_x + 2.0 * MARGIN;
    }
}

#[cfg(test)]
mod tests {
    use super::place::isotonic;
    use super::route::spread;
    use super::*;

    fn node(shape: Shape) -> NodeSpec {
        NodeSpec {
            width: 150.0,
            height: 60.0,
            shape,
        }
    }

    /// An edge for a test; shared with the column layout's tests.
    pub(super) fn edge(from: usize, to: usize, label: Option<&str>) -> EdgeSpec {
        EdgeSpec {
            from,
            to,
            label: label.map(String::from),
        }
    }

    #[test]
    fn isotonic_keeps_order_and_gaps() {
        // Both want x = 0; they must be 10 apart.
        let x = isotonic(&[0.0, 10.0], &[0.0, 0.0], &[1.0, 1.0]);
        assert_eq!(x, [-5.0, 5.0]);
        // Far apart already: untouched.
        let x = isotonic(&[0.0, 10.0], &[-50.0, 50.0], &[1.0, 1.0]);
        assert_eq!(x, [-50.0, 50.0]);
    }

    #[test]
    fn spread_centers_ports() {
        assert_eq!(spread(1, 20.0, 50.0), [0.0]);
        assert_eq!(spread(2, 20.0, 50.0), [-25.0, 25.0]);
        let three = spread(3, 20.0, 20.0);
        assert_eq!(three, [-20.0, 0.0, 20.0]);
    }

    #[test]
    fn a_decision_with_a_loop_is_laid_out_cleanly() {
        // 0 start -> 1 decision -(ja)-> 3 end, -(nee)-> 2 action -> 1 (back)
        let nodes = [
            node(Shape::Rounded),
            node(Shape::Diamond),
            node(Shape::Rect),
            node(Shape::Rounded),
        ];
        let edges = [
            edge(0, 1, None),
            edge(1, 3, Some("ja")),
            edge(1, 2, Some("nee")),
            edge(2, 1, None),
        ];
        let layout = layout(&nodes, &edges, 0);
        assert_eq!(layout.problems(), Vec::<String>::new());
        assert!(layout.edges[3].back);
        assert_eq!(
            layout.nodes.iter().map(|n| n.rank).collect::<Vec<_>>(),
            [0, 1, 2, 2]
        );
        // "ja" leaves through the bottom corner, "nee" through a side corner.
        let diamond = &layout.nodes[1];
        let c = diamond.center();
        assert_eq!(
            layout.edges[1].points[0],
            Point::new(c.x, diamond.rect.bottom())
        );
        assert_eq!(layout.edges[2].points[0].y, c.y);
        // The back edge runs beside every box.
        let lane = layout.edges[3].points[2].x;
        assert!(
            layout
                .nodes
                .iter()
                .all(|n| lane < n.rect.x || lane > n.rect.right())
        );
    }

    #[test]
    fn long_edges_do_not_cross_boxes() {
        // A chain 0-1-2-3 and a shortcut 0 -> 3 that must pass layer 1 and 2 beside the chain.
        let nodes = [
            node(Shape::Rect),
            node(Shape::Rect),
            node(Shape::Rect),
            node(Shape::Rect),
        ];
        let edges = [
            edge(0, 1, None),
            edge(1, 2, None),
            edge(2, 3, None),
            edge(0, 3, None),
        ];
        let layout = layout(&nodes, &edges, 0);
        assert_eq!(layout.problems(), Vec::<String>::new());
    }

    #[test]
    fn a_hexagon_has_flat_top_and_bottom_and_pointed_ends() {
        let node = PlacedNode {
            rect: Rect {
                x: 0.0,
                y: 0.0,
                width: 200.0,
                height: 60.0,
            },
            shape: Shape::Hexagon,
            rank: 0,
        };
        assert_eq!(node.hexagon_depth(), HEXAGON_DEPTH);
        assert!(node.on_border(Point::new(100.0, 0.0), EPS));
        assert!(node.on_border(Point::new(30.0, 60.0), EPS));
        assert!(node.on_border(Point::new(200.0, 30.0), EPS));
        // Halfway up the slanted side: 16 × 15 / 30 = 8 in from the right.
        assert!(node.on_border(Point::new(192.0, 15.0), EPS));
        assert!(!node.on_border(Point::new(199.0, 2.0), EPS));
        assert!(!node.on_border(Point::new(100.0, 30.0), EPS));
        // Beside the cut-off corner a line passes; at the point it does not.
        assert!(!node.segment_enters(Point::new(190.0, 4.0), Point::new(230.0, 4.0), EPS));
        assert!(node.segment_enters(Point::new(190.0, 30.0), Point::new(230.0, 30.0), EPS));
        assert!(!node.segment_enters(Point::new(5.0, 0.0), Point::new(5.0, 20.0), EPS));
        assert!(node.segment_enters(Point::new(5.0, 20.0), Point::new(5.0, 40.0), EPS));
    }

    #[test]
    fn problems_are_found() {
        let mut layout = layout(
            &[node(Shape::Rect), node(Shape::Rect)],
            &[edge(0, 1, None)],
            0,
        );
        assert!(layout.problems().is_empty());
        layout.nodes[1].rect.y = layout.nodes[0].rect.y + 10.0;
        let problems = layout.problems();
        assert!(
            problems.contains(&"boxes 0 and 1 overlap".to_string()),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("does not end on the border"))
        );
    }
}
