//! A small layered (Sugiyama-style) top-to-bottom layout with orthogonal edges.
//!
//! Stages, each a function below:
//! 1. **ranks**: longest path from the root, ignoring the back edges of a depth-first search
//!    (those close a loop and are drawn along the side);
//! 2. **layers**: edges that skip layers get a chain of dummy items, one per layer they cross;
//! 3. **order**: barycenter sweeps down and up to reduce crossings, keeping the best order;
//! 4. **x**: each item wants to sit at the mean x of its neighbours; a weighted isotonic
//!    regression (pool adjacent violators) finds the closest positions that keep the order
//!    and the minimum gaps, alternately sweeping down and up;
//! 5. **ports**: where edges leave and enter boxes: out of the bottom (a decision's second and
//!    third exit out of its left and right corners), into the top, sorted by direction;
//! 6. **channels**: horizontal edge segments only run in the channels between layers, each on
//!    its own track; back edges run in lanes left or right of everything;
//! 7. **y**: layer and channel heights follow from boxes, labels and tracks.
//!
//! By construction no box overlaps another and no edge runs through a box: vertical segments
//! only cross a layer inside the slot of their own box or dummy, horizontal ones only run in
//! channels. [`Layout::problems`] checks this, and the tests run it on random flows.

use super::graaf;
use super::measure::{LABEL_FONT_SIZE, text_width};

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
pub const LABEL_HEIGHT: f64 = 18.0;
/// Horizontal padding inside an edge label's background.
const LABEL_PAD_X: f64 = 5.0;
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

    /// The outline as a convex polygon (rounded corners count as square: a little larger).
    pub fn polygon(&self) -> Vec<Point> {
        match self.shape {
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

/// One position in a layer: a box, or a point where a long edge crosses the layer.
#[derive(Debug, Clone)]
struct Item {
    node: Option<usize>,
    rank: usize,
    /// Width of the slot the item needs (a decision's includes its side lanes).
    width: f64,
    up: Vec<usize>,
    down: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Port {
    /// Out of the bottom (or into the top), `dx` from the center.
    Vertical(f64),
    /// Out of a decision's left (-1) or right (+1) corner.
    Side(f64),
}

/// A horizontal piece of an edge in a channel, waiting for its track.
#[derive(Debug, Clone)]
struct Segment {
    x1: f64,
    x2: f64,
    /// x positions where a vertical line leaves this segment upwards / downwards.
    ups: Vec<f64>,
    downs: Vec<f64>,
    track: usize,
}

/// One crossing of a channel by an edge, from `from_x` to `to_x`.
#[derive(Debug, Clone)]
struct Hop {
    channel: usize,
    from_x: f64,
    to_x: f64,
    /// Index into the channel's segments, when the hop is not straight.
    segment: Option<usize>,
}

/// Places `nodes` and routes `edges`, top to bottom, starting at `root`.
pub fn layout(nodes: &[NodeSpec], edges: &[EdgeSpec], root: usize) -> Layout {
    let n = nodes.len();
    if n == 0 {
        return Layout::default();
    }
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, spec) in edges.iter().enumerate() {
        outs[spec.from].push(e);
        ins[spec.to].push(e);
    }
    let succ: Vec<Vec<usize>> = outs
        .iter()
        .map(|es| es.iter().map(|&e| edges[e].to).collect())
        .collect();
    let (rank, back_by_exit) = graaf::ranks(&succ, root.min(n - 1));
    let mut is_back = vec![false; edges.len()];
    for u in 0..n {
        for (k, &e) in outs[u].iter().enumerate() {
            is_back[e] = back_by_exit[u][k];
        }
    }
    let label_width: Vec<f64> = edges
        .iter()
        .map(|e| {
            e.label.as_ref().map_or(0.0, |t| {
                text_width(t, LABEL_FONT_SIZE, true) + 2.0 * LABEL_PAD_X
            })
        })
        .collect();

    // Which exits leave a decision sideways: its second and third.
    let side_exits = |u: usize| -> &[usize] {
        if nodes[u].shape == Shape::Diamond && outs[u].len() > 1 {
            &outs[u][1..outs[u].len().min(3)]
        } else {
            &[]
        }
    };
    let bottom_exits = |u: usize| -> Vec<usize> {
        let side = side_exits(u);
        outs[u]
            .iter()
            .copied()
            .filter(|e| !side.contains(e))
            .collect()
    };

    // Box sizes, widened where needed so that the ports fit; lanes beside decisions.
    let mut sizes: Vec<(f64, f64)> = nodes.iter().map(|s| (s.width, s.height)).collect();
    let mut lane = vec![0.0; n];
    let mut out_gap = vec![OUT_PORT_GAP; n];
    for u in 0..n {
        let bottom = bottom_exits(u);
        out_gap[u] = bottom
            .iter()
            .map(|&e| label_width[e] + 6.0)
            .fold(OUT_PORT_GAP, f64::max);
        let need = |count: usize, gap: f64| count.saturating_sub(1) as f64 * gap;
        let (w, _) = &mut sizes[u];
        match nodes[u].shape {
            Shape::Diamond => {
                // Ports spread over the middle half of the diamond.
                let span = need(bottom.len(), out_gap[u]).max(need(ins[u].len(), IN_PORT_GAP));
                *w = w.max(2.0 * span);
                lane[u] = side_exits(u)
                    .iter()
                    .map(|&e| label_width[e] + 14.0)
                    .fold(LANE_MIN, f64::max);
            }
            Shape::Rect | Shape::Rounded => {
                let inset = port_inset(nodes[u].shape, sizes[u].1);
                let span = need(bottom.len(), out_gap[u]).max(need(ins[u].len(), IN_PORT_GAP));
                let (w, _) = &mut sizes[u];
                *w = w.max(span + 2.0 * inset);
            }
        }
    }

    // Layers with dummies for long edges.
    let mut items: Vec<Item> = (0..n)
        .map(|u| Item {
            node: Some(u),
            rank: rank[u],
            width: sizes[u].0 + 2.0 * lane[u],
            up: Vec::new(),
            down: Vec::new(),
        })
        .collect();
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
    // Exits in the order their targets should stand: a decision's bottom exit between its
    // two side exits (the first order decides ties in the crossing reduction).
    let visual_order = (0..n).flat_map(|u| {
        let mut es = outs[u].clone();
        if nodes[u].shape == Shape::Diamond && es.len() >= 3 {
            es.swap(0, 1);
        }
        es
    });
    for e in visual_order {
        let spec = &edges[e];
        if is_back[e] {
            continue;
        }
        let mut chain = vec![spec.from];
        for r in rank[spec.from] + 1..rank[spec.to] {
            items.push(Item {
                node: None,
                rank: r,
                width: 0.0,
                up: Vec::new(),
                down: Vec::new(),
            });
            chain.push(items.len() - 1);
        }
        chain.push(spec.to);
        for pair in chain.windows(2) {
            items[pair[0]].down.push(pair[1]);
            items[pair[1]].up.push(pair[0]);
        }
        chains[e] = chain;
    }
    let layer_count = rank.iter().max().map_or(0, |&r| r + 1);
    let mut layers = initial_order(&items, layer_count, root.min(n - 1));
    reduce_crossings(&items, &mut layers);
    let x = place_x(&items, &layers);

    // Back-edge lanes, left or right of everything.
    let (min_x, max_x) =
        items
            .iter()
            .enumerate()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (i, item)| {
                (
                    lo.min(x[i] - item.width / 2.0),
                    hi.max(x[i] + item.width / 2.0),
                )
            });
    let middle = (min_x + max_x) / 2.0;
    let mut lane_x = vec![0.0; edges.len()];
    let mut left: Vec<usize> = Vec::new();
    let mut right: Vec<usize> = Vec::new();
    for (e, spec) in edges.iter().enumerate() {
        if is_back[e] {
            if (x[spec.from] + x[spec.to]) / 2.0 < middle - EPS {
                left.push(e);
            } else {
                right.push(e);
            }
        }
    }
    let span_of = |e: usize| rank[edges[e].from] - rank[edges[e].to];
    left.sort_by_key(|&e| (span_of(e), e));
    right.sort_by_key(|&e| (span_of(e), e));
    for (k, &e) in left.iter().enumerate() {
        lane_x[e] = min_x - BACK_LANE_GAP * (k as f64 + 1.0);
    }
    for (k, &e) in right.iter().enumerate() {
        lane_x[e] = max_x + BACK_LANE_GAP * (k as f64 + 1.0);
    }

    // Ports: exits sorted by where they head, entries by where they come from.
    let next_x = |e: usize| {
        if is_back[e] {
            lane_x[e]
        } else {
            x[chains[e][1]]
        }
    };
    let prev_x = |e: usize| {
        if is_back[e] {
            lane_x[e]
        } else {
            x[chains[e][chains[e].len() - 2]]
        }
    };
    let mut out_port = vec![Port::Vertical(0.0); edges.len()];
    let mut in_port = vec![0.0; edges.len()];
    for u in 0..n {
        let (w, h) = sizes[u];
        let half_range = match nodes[u].shape {
            Shape::Diamond => w / 4.0,
            shape => w / 2.0 - port_inset(shape, h),
        };
        let side = side_exits(u);
        match *side {
            [only] => {
                let dir = if next_x(only) < x[u] - EPS { -1.0 } else { 1.0 };
                out_port[only] = Port::Side(dir);
            }
            [a, b] => {
                // The one heading further left takes the left corner.
                let (left, right) = if next_x(b) < next_x(a) {
                    (b, a)
                } else {
                    (a, b)
                };
                out_port[left] = Port::Side(-1.0);
                out_port[right] = Port::Side(1.0);
            }
            _ => {}
        }
        let mut bottom = bottom_exits(u);
        bottom.sort_by(|&a, &b| next_x(a).total_cmp(&next_x(b)));
        for (dx, &e) in spread(bottom.len(), out_gap[u], half_range)
            .into_iter()
            .zip(&bottom)
        {
            out_port[e] = Port::Vertical(dx);
        }
        let mut entries = ins[u].clone();
        entries.sort_by(|&a, &b| prev_x(a).total_cmp(&prev_x(b)));
        for (dx, &e) in spread(entries.len(), IN_PORT_GAP, half_range)
            .into_iter()
            .zip(&entries)
        {
            in_port[e] = dx;
        }
    }
    let side_lane_x = |e: usize| -> Option<f64> {
        match out_port[e] {
            Port::Side(dir) => {
                let u = edges[e].from;
                Some(x[u] + dir * (sizes[u].0 / 2.0 + lane[u]))
            }
            Port::Vertical(_) => None,
        }
    };
    let port_x = |e: usize| match out_port[e] {
        Port::Vertical(dx) => x[edges[e].from] + dx,
        Port::Side(_) => side_lane_x(e).unwrap_or_default(),
    };

    // Hops through the channels; horizontal pieces become segments.
    let mut channels: Vec<Vec<Segment>> = vec![Vec::new(); layer_count + 1];
    let mut hops: Vec<Vec<Hop>> = vec![Vec::new(); edges.len()];
    let mut add_hop =
        |e: usize, channel: usize, from_x: f64, to_x: f64, ups: Vec<f64>, downs: Vec<f64>| {
            let segment = ((from_x - to_x).abs() > 1e-6).then(|| {
                channels[channel].push(Segment {
                    x1: from_x.min(to_x),
                    x2: from_x.max(to_x),
                    ups,
                    downs,
                    track: 0,
                });
                channels[channel].len() - 1
            });
            hops[e].push(Hop {
                channel,
                from_x,
                to_x,
                segment,
            });
        };
    for (e, spec) in edges.iter().enumerate() {
        let start_x = port_x(e);
        let end_x = x[spec.to] + in_port[e];
        if is_back[e] {
            let lx = lane_x[e];
            add_hop(
                e,
                rank[spec.from] + 1,
                start_x,
                lx,
                vec![start_x, lx],
                vec![],
            );
            add_hop(e, rank[spec.to], lx, end_x, vec![], vec![lx, end_x]);
        } else {
            let chain = &chains[e];
            let mut cur = start_x;
            for k in 1..chain.len() {
                let next = if k + 1 == chain.len() {
                    end_x
                } else if (x[chain[k]] - cur).abs() <= 2.0 {
                    // A dummy (a point on a long edge) this close: go straight instead of a jog.
                    cur
                } else {
                    x[chain[k]]
                };
                add_hop(e, items[chain[k]].rank, cur, next, vec![cur], vec![next]);
                cur = next;
            }
        }
    }
    for segments in &mut channels {
        assign_tracks(segments);
    }

    // Vertical positions: layers as high as their highest box, channels as high as their
    // labels and tracks need.
    let mut rank_height = vec![0.0f64; layer_count];
    for u in 0..n {
        rank_height[rank[u]] = rank_height[rank[u]].max(sizes[u].1);
    }
    // Bottom of each exit's label below its box, relative to the layer's bottom.
    let label_offset = |e: usize| -> f64 {
        let u = edges[e].from;
        match nodes[u].shape {
            Shape::Diamond => 4.0 + sizes[u].1 / sizes[u].0 * label_width[e] / 2.0,
            _ => 4.0,
        }
    };
    let mut label_need = vec![0.0f64; layer_count + 1];
    for (e, spec) in edges.iter().enumerate() {
        if let (Port::Vertical(dx), Some(_)) = (out_port[e], &spec.label) {
            let u = spec.from;
            let r = rank[u];
            let (w, h) = sizes[u];
            let below_box = (rank_height[r] - h) / 2.0;
            let rise = match nodes[u].shape {
                Shape::Diamond => h / 2.0 * (dx.abs() / (w / 2.0)),
                _ => 0.0,
            };
            let need = label_offset(e) + LABEL_HEIGHT - below_box - rise + 6.0;
            label_need[r + 1] = label_need[r + 1].max(need);
        }
    }
    let mut channel_top = vec![0.0; layer_count + 1];
    let mut pad_top = vec![0.0; layer_count + 1];
    let mut rank_top = vec![0.0; layer_count];
    let mut cursor = 0.0;
    for c in 0..=layer_count {
        let tracks = channels[c].iter().map(|s| s.track + 1).max().unwrap_or(0);
        let outer = c == 0 || c == layer_count;
        pad_top[c] = if c == 0 {
            MARGIN
        } else {
            CHANNEL_PAD_TOP.max(label_need[c])
        };
        let pad_bottom = if c == layer_count {
            MARGIN
        } else {
            CHANNEL_PAD_BOTTOM
        };
        let height = if tracks == 0 {
            if outer {
                MARGIN.max(label_need[c] + 4.0)
            } else {
                MIN_CHANNEL.max(pad_top[c] + pad_bottom)
            }
        } else {
            let need = pad_top[c] + (tracks - 1) as f64 * TRACK_GAP + pad_bottom;
            if outer { need } else { need.max(MIN_CHANNEL) }
        };
        channel_top[c] = cursor;
        cursor += height;
        if c < layer_count {
            rank_top[c] = cursor;
            cursor += rank_height[c];
        }
    }
    let height = cursor;
    let track_y = |c: usize, track: usize| channel_top[c] + pad_top[c] + track as f64 * TRACK_GAP;

    let placed: Vec<PlacedNode> = (0..n)
        .map(|u| {
            let (w, h) = sizes[u];
            let r = rank[u];
            PlacedNode {
                rect: Rect {
                    x: x[u] - w / 2.0,
                    y: rank_top[r] + (rank_height[r] - h) / 2.0,
                    width: w,
                    height: h,
                },
                shape: nodes[u].shape,
                rank: r,
            }
        })
        .collect();

    // Polylines and labels.
    let mut routed: Vec<PlacedEdge> = Vec::with_capacity(edges.len());
    for (e, spec) in edges.iter().enumerate() {
        let source = &placed[spec.from];
        let target = &placed[spec.to];
        let c = source.center();
        let mut points = Vec::new();
        let mut label = None;
        let label_text = spec.label.clone();
        match out_port[e] {
            Port::Vertical(dx) => {
                let p = bottom_point(source, dx);
                points.push(p);
                if let Some(text) = label_text {
                    let w = label_width[e];
                    label = Some(EdgeLabel {
                        text,
                        rect: Rect {
                            x: p.x - w / 2.0,
                            y: p.y + label_offset(e),
                            width: w,
                            height: LABEL_HEIGHT,
                        },
                    });
                }
            }
            Port::Side(dir) => {
                let corner = Point::new(c.x + dir * source.rect.width / 2.0, c.y);
                points.push(corner);
                points.push(Point::new(side_lane_x(e).unwrap_or(corner.x), c.y));
                if let Some(text) = label_text {
                    let w = label_width[e];
                    let lx = if dir > 0.0 {
                        corner.x + 3.0
                    } else {
                        corner.x - 3.0 - w
                    };
                    label = Some(EdgeLabel {
                        text,
                        rect: Rect {
                            x: lx,
                            y: c.y - 3.0 - LABEL_HEIGHT,
                            width: w,
                            height: LABEL_HEIGHT,
                        },
                    });
                }
            }
        }
        for hop in &hops[e] {
            if let Some(s) = hop.segment {
                let y = track_y(hop.channel, channels[hop.channel][s].track);
                points.push(Point::new(hop.from_x, y));
                points.push(Point::new(hop.to_x, y));
            }
        }
        points.push(top_point(target, in_port[e]));
        routed.push(PlacedEdge {
            from: spec.from,
            to: spec.to,
            points: simplify(points),
            label,
            back: is_back[e],
        });
    }

    let mut result = Layout {
        width: 0.0,
        height,
        nodes: placed,
        edges: routed,
    };
    result.normalise();
    result
}

/// How far ports stay from the sides of a (rounded) rectangle.
fn port_inset(shape: Shape, height: f64) -> f64 {
    match shape {
        Shape::Rounded => ROUNDED_RADIUS.min(height / 2.0) + 6.0,
        _ => PORT_INSET,
    }
}

/// `count` offsets around 0, at least `gap` apart where `half_range` allows, spread evenly.
fn spread(count: usize, gap: f64, half_range: f64) -> Vec<f64> {
    if count <= 1 {
        return vec![0.0; count];
    }
    let k = count as f64;
    let room = 2.0 * half_range.max(0.0);
    let step = (room / k).max(gap).min(room / (k - 1.0));
    (0..count)
        .map(|i| (i as f64 - (k - 1.0) / 2.0) * step)
        .collect()
}

fn bottom_point(node: &PlacedNode, dx: f64) -> Point {
    let c = node.center();
    let (a, b) = (node.rect.width / 2.0, node.rect.height / 2.0);
    match node.shape {
        Shape::Diamond => Point::new(c.x + dx, c.y + b * (1.0 - dx.abs() / a)),
        _ => Point::new(c.x + dx, node.rect.bottom()),
    }
}

fn top_point(node: &PlacedNode, dx: f64) -> Point {
    let c = node.center();
    let (a, b) = (node.rect.width / 2.0, node.rect.height / 2.0);
    match node.shape {
        Shape::Diamond => Point::new(c.x + dx, c.y - b * (1.0 - dx.abs() / a)),
        _ => Point::new(c.x + dx, node.rect.y),
    }
}

/// Drops repeated points and the middle of three points on one line.
fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out
            .last()
            .is_some_and(|q| (q.x - p.x).abs() < 1e-9 && (q.y - p.y).abs() < 1e-9)
        {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let vertical = (a.x - b.x).abs() < 1e-9 && (b.x - p.x).abs() < 1e-9;
            let horizontal = (a.y - b.y).abs() < 1e-9 && (b.y - p.y).abs() < 1e-9;
            let same_direction = if vertical {
                (b.y - a.y) * (p.y - b.y) > 0.0
            } else {
                (b.x - a.x) * (p.x - b.x) > 0.0
            };
            if (vertical || horizontal) && same_direction {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// First order: items in depth-first order from the root along the exits, so that the
/// branches of a decision start side by side.
fn initial_order(items: &[Item], layer_count: usize, root: usize) -> Vec<Vec<usize>> {
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    let mut seen = vec![false; items.len()];
    let starts = std::iter::once(root).chain(0..items.len());
    for start in starts {
        if seen[start] {
            continue;
        }
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(i) = stack.pop() {
            layers[items[i].rank].push(i);
            for &j in items[i].down.iter().rev() {
                if !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
    }
    layers
}

/// Barycenter sweeps, down and up, keeping the order with the fewest crossings.
fn reduce_crossings(items: &[Item], layers: &mut [Vec<usize>]) {
    let mut pos = vec![0usize; items.len()];
    let index = |layers: &[Vec<usize>], pos: &mut Vec<usize>| {
        for layer in layers {
            for (p, &i) in layer.iter().enumerate() {
                pos[i] = p;
            }
        }
    };
    index(layers, &mut pos);
    let mut best = layers.to_vec();
    let mut best_crossings = crossings(items, layers, &pos);
    let mut since_better = 0;
    for _ in 0..24 {
        if best_crossings == 0 || since_better >= 4 {
            break;
        }
        for l in 1..layers.len() {
            sort_by_barycenter(&mut layers[l], items, &pos, |item| &item.up);
            index(layers, &mut pos);
        }
        for l in (0..layers.len().saturating_sub(1)).rev() {
            sort_by_barycenter(&mut layers[l], items, &pos, |item| &item.down);
            index(layers, &mut pos);
        }
        let now = crossings(items, layers, &pos);
        if now < best_crossings {
            best_crossings = now;
            best = layers.to_vec();
            since_better = 0;
        } else {
            since_better += 1;
        }
    }
    layers.clone_from_slice(&best);
}

fn sort_by_barycenter(
    layer: &mut [usize],
    items: &[Item],
    pos: &[usize],
    neighbours: impl Fn(&Item) -> &Vec<usize>,
) {
    let keyed: Vec<(f64, usize)> = layer
        .iter()
        .map(|&i| {
            let ns = neighbours(&items[i]);
            let key = if ns.is_empty() {
                pos[i] as f64
            } else {
                ns.iter().map(|&j| pos[j] as f64).sum::<f64>() / ns.len() as f64
            };
            (key, i)
        })
        .collect();
    let mut keyed = keyed;
    // Stable: ties keep their current order.
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (slot, (_, i)) in layer.iter_mut().zip(keyed) {
        *slot = i;
    }
}

/// Number of crossings between consecutive layers.
fn crossings(items: &[Item], layers: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0;
    for layer in layers {
        let mut pairs: Vec<(usize, usize)> = layer
            .iter()
            .flat_map(|&i| items[i].down.iter().map(move |&j| (pos[i], pos[j])))
            .collect();
        pairs.sort_unstable();
        for a in 0..pairs.len() {
            for b in a + 1..pairs.len() {
                if pairs[a].0 < pairs[b].0 && pairs[a].1 > pairs[b].1 {
                    total += 1;
                }
            }
        }
    }
    total
}

/// Horizontal positions (centers) of all items.
fn place_x(items: &[Item], layers: &[Vec<usize>]) -> Vec<f64> {
    let gap = |a: &Item, b: &Item| match (a.node.is_some(), b.node.is_some()) {
        (true, true) => NODE_GAP,
        (false, false) => DUMMY_DUMMY_GAP,
        _ => DUMMY_GAP,
    };
    // Minimum offsets of each item from the first one in its layer.
    let offsets: Vec<Vec<f64>> = layers
        .iter()
        .map(|layer| {
            let mut c = vec![0.0; layer.len()];
            for k in 1..layer.len() {
                let (a, b) = (&items[layer[k - 1]], &items[layer[k]]);
                c[k] = c[k - 1] + (a.width + b.width) / 2.0 + gap(a, b);
            }
            c
        })
        .collect();
    let mut x = vec![0.0; items.len()];
    for (layer, c) in layers.iter().zip(&offsets) {
        let half = c.last().copied().unwrap_or(0.0) / 2.0;
        for (&i, &ci) in layer.iter().zip(c) {
            x[i] = ci - half;
        }
    }
    let weight = |item: &Item| if item.node.is_some() { 1.0 } else { 2.0 };
    let sweep = |x: &mut Vec<f64>, l: usize, down: bool| {
        let layer = &layers[l];
        let desired: Vec<f64> = layer
            .iter()
            .map(|&i| {
                let ns = if down { &items[i].up } else { &items[i].down };
                if ns.is_empty() {
                    x[i]
                } else {
                    ns.iter().map(|&j| x[j]).sum::<f64>() / ns.len() as f64
                }
            })
            .collect();
        let weights: Vec<f64> = layer.iter().map(|&i| weight(&items[i])).collect();
        let placed = isotonic(&offsets[l], &desired, &weights);
        for (&i, xi) in layer.iter().zip(placed) {
            x[i] = xi;
        }
    };
    for _ in 0..6 {
        for l in 1..layers.len() {
            sweep(&mut x, l, true);
        }
        for l in (0..layers.len().saturating_sub(1)).rev() {
            sweep(&mut x, l, false);
        }
    }
    for l in 1..layers.len() {
        sweep(&mut x, l, true);
    }
    x
}

/// Positions closest (weighted least squares) to `desired` with `x[k+1] - x[k] >= c[k+1] - c[k]`:
/// pool adjacent violators on `desired - c`.
fn isotonic(c: &[f64], desired: &[f64], weight: &[f64]) -> Vec<f64> {
    // Blocks of (total weight, weighted sum, length).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(c.len());
    for k in 0..c.len() {
        blocks.push((weight[k], weight[k] * (desired[k] - c[k]), 1));
        while blocks.len() >= 2 {
            let (w2, s2, n2) = blocks[blocks.len() - 1];
            let (w1, s1, n1) = blocks[blocks.len() - 2];
            if s1 / w1 > s2 / w2 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (w1 + w2, s1 + s2, n1 + n2);
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(c.len());
    for (w, s, len) in blocks {
        for _ in 0..len {
            out.push(s / w + c[out.len()]);
        }
    }
    out
}

/// Gives every segment of a channel a track: segments on one track never overlap, and where
/// one segment's line goes up at the x where another's goes down, the first lies higher (so
/// the two vertical lines never run on top of each other).
fn assign_tracks(segments: &mut [Segment]) {
    let m = segments.len();
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); m];
    let mut indegree = vec![0usize; m];
    for a in 0..m {
        for b in 0..m {
            if a != b
                && segments[a]
                    .ups
                    .iter()
                    .any(|&u| segments[b].downs.iter().any(|&d| (u - d).abs() < 2.0))
            {
                after[a].push(b);
                indegree[b] += 1;
            }
        }
    }
    let mut done = vec![false; m];
    let mut min_track = vec![0usize; m];
    let mut tracks: Vec<Vec<(f64, f64)>> = Vec::new();
    for _ in 0..m {
        // The leftmost segment whose predecessors are placed (or, in a cycle, any).
        let pick = (0..m)
            .filter(|&s| !done[s])
            .min_by(|&a, &b| {
                (indegree[a] > 0)
                    .cmp(&(indegree[b] > 0))
                    .then(segments[a].x1.total_cmp(&segments[b].x1))
                    .then(segments[a].x2.total_cmp(&segments[b].x2))
            })
            .expect("a segment is left");
        done[pick] = true;
        let (x1, x2) = (segments[pick].x1, segments[pick].x2);
        let mut t = min_track[pick];
        loop {
            if t == tracks.len() {
                tracks.push(Vec::new());
            }
            let free = tracks[t]
                .iter()
                .all(|&(a, b)| x2 + TRACK_SEPARATION < a || b + TRACK_SEPARATION < x1);
            if free {
                break;
            }
            t += 1;
        }
        tracks[t].push((x1, x2));
        segments[pick].track = t;
        for &b in &after[pick] {
            indegree[b] = indegree[b].saturating_sub(1);
            min_track[b] = min_track[b].max(t + 1);
        }
    }
}

impl Layout {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn node(shape: Shape) -> NodeSpec {
        NodeSpec {
            width: 150.0,
            height: 60.0,
            shape,
        }
    }

    fn edge(from: usize, to: usize, label: Option<&str>) -> EdgeSpec {
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
