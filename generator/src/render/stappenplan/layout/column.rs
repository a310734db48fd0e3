//! The narrow layout, for phones: every box in one column, in step order (the order of the
//! text version under the drawing), all as wide as the column. An edge to the next box runs
//! straight down; every other edge runs in a **lane** beside the column: edges that skip
//! boxes on the end side (right in left-to-right languages), edges back to an earlier box on
//! the start side. As in the wide layout, every edge leaves through the bottom of its box and
//! enters through the top, so [`Layout::problems`] checks both layouts the same way.
//!
//! The gap under a box holds, from the top: the labels of its exits (side by side, each on
//! its own line), a **track** for each exit that turns into a lane, then a track for each edge
//! that comes out of a lane into the next box. Lanes are handed out shortest edge first, each
//! to the innermost lane that is free over the edge's whole length, so an edge that spans
//! another always runs outside it. Within one gap, ports and tracks are ordered by lane so
//! that the edges of one box never cross each other; edges whose spans only partly overlap
//! may cross once, beside the column.

use super::route::{bottom_point, simplify, top_point};
use super::{
    EdgeLabel, EdgeSpec, Layout, NodeSpec, PlacedEdge, PlacedNode, Point, ROUNDED_RADIUS, Rect,
};
use crate::render::stappenplan::measure::Metrics;

/// Free space left and right of the drawing.
pub const SIDE_MARGIN: f64 = 4.0;
/// Distance between two lanes, and between the column and its first lane.
pub const LANE_GAP: f64 = 12.0;
/// Minimum distance between two ports on the bottom or the top of a box.
const PORT_GAP: f64 = 14.0;
/// Ports stay this far from the ends of a box (beyond rounded corners and pointed ends).
const PORT_INSET: f64 = ROUNDED_RADIUS + 4.0;
/// Vertical distance between two tracks in a gap.
const TRACK_GAP: f64 = 10.0;
/// From the bottom of a box to the first track when its exits carry no labels.
const GAP_PAD_TOP: f64 = 10.0;
/// From the last track to the top of the next box: room for the arrow head.
const ARROW_ROOM: f64 = 16.0;
/// Smallest gap between two boxes.
const MIN_GAP: f64 = 30.0;
/// Space above and below the labels under a box.
const LABEL_PAD: f64 = 4.0;
/// Horizontal space between two labels side by side.
const LABEL_SEP: f64 = 8.0;
/// Free space above the first box and below the last.
const END_MARGIN: f64 = 4.0;

/// Where an edge runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Straight down into the next box.
    Straight,
    /// Down the lane with this number (0 is next to the column) on the end side: an edge
    /// that skips boxes.
    Ahead(usize),
    /// Up the lane with this number on the start side: an edge back to an earlier box.
    Back(usize),
}

/// The route of every edge and the number of lanes on each side. It depends only on which
/// box connects to which, so the width left for the column is known before text is wrapped.
#[derive(Debug, Clone, PartialEq)]
pub struct Lanes {
    /// Same order as the edges.
    pub routes: Vec<Route>,
    /// Number of lanes on the end side and on the start side.
    pub ahead: usize,
    pub back: usize,
}

impl Lanes {
    pub fn new(node_count: usize, edges: &[EdgeSpec]) -> Lanes {
        let mut straight_taken = vec![false; node_count];
        let mut routes = vec![Route::Straight; edges.len()];
        // The rows an edge's lane is busy: from the gap under its source to the gap above its
        // target. Exits sit in the upper part of a gap, entries in the lower part, so an edge
        // into a box and an edge out of the same box may share a lane.
        let mut pending: Vec<(usize, bool, f64, f64)> = Vec::new();
        for (e, edge) in edges.iter().enumerate() {
            if edge.to == edge.from + 1 && !straight_taken[edge.from] {
                straight_taken[edge.from] = true;
                continue;
            }
            let (from, to) = (edge.from as f64, edge.to as f64);
            if edge.to > edge.from {
                pending.push((e, true, from + 0.25, to - 0.25));
            } else {
                pending.push((e, false, to - 0.25, from + 0.25));
            }
        }
        pending.sort_by(|a, b| {
            (a.3 - a.2)
                .total_cmp(&(b.3 - b.2))
                .then(a.2.total_cmp(&b.2))
                .then(a.0.cmp(&b.0))
        });
        // Per side (0: back, 1: ahead), per lane, the busy intervals.
        let mut busy: [Vec<Vec<(f64, f64)>>; 2] = [Vec::new(), Vec::new()];
        for (e, ahead, lo, hi) in pending {
            let side = &mut busy[usize::from(ahead)];
            let free = |lane: &Vec<(f64, f64)>| lane.iter().all(|&(a, b)| hi <= a || b <= lo);
            let lane = side.iter().position(free).unwrap_or(side.len());
            if lane == side.len() {
                side.push(Vec::new());
            }
            side[lane].push((lo, hi));
            routes[e] = if ahead {
                Route::Ahead(lane)
            } else {
                Route::Back(lane)
            };
        }
        Lanes {
            routes,
            ahead: busy[1].len(),
            back: busy[0].len(),
        }
    }

    /// Width left for the column in a drawing `width` wide.
    pub fn column_width(&self, width: f64) -> f64 {
        width - 2.0 * SIDE_MARGIN - (self.ahead + self.back) as f64 * LANE_GAP
    }
}

/// Sort key of a port from left to right: edges back, the straight edge, edges ahead; on
/// each side the innermost lane first. With the track order in [`layout`] this keeps the
/// edges of one box from crossing each other.
fn port_order(route: Route) -> (u8, usize) {
    match route {
        Route::Back(lane) => (0, lane),
        Route::Straight => (1, 0),
        Route::Ahead(lane) => (2, lane),
    }
}

/// Places `nodes` in one column and routes `edges` along `lanes` (made from the same edges);
/// label sizes come from `metrics`.
pub fn layout(nodes: &[NodeSpec], edges: &[EdgeSpec], lanes: &Lanes, metrics: &Metrics) -> Layout {
    let n = nodes.len();
    if n == 0 {
        return Layout::default();
    }
    let label_width: Vec<f64> = edges
        .iter()
        .map(|e| e.label.as_deref().map_or(0.0, |t| metrics.label_width(t)))
        .collect();

    // Exits and entries of every box, left to right.
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, edge) in edges.iter().enumerate() {
        outs[edge.from].push(e);
        ins[edge.to].push(e);
    }
    for list in outs.iter_mut().chain(ins.iter_mut()) {
        list.sort_by_key(|&e| (port_order(lanes.routes[e]), e));
    }
    // Offsets of each box's exits from its first: labels side by side, never overlapping.
    // When they do not fit, the column (every box) widens, as it does for a long word.
    let offsets: Vec<Vec<f64>> = outs
        .iter()
        .map(|list| {
            let mut pos = vec![0.0; list.len()];
            for k in 1..list.len() {
                let (a, b) = (label_width[list[k - 1]], label_width[list[k]]);
                let need = if a > 0.0 || b > 0.0 {
                    (a + b) / 2.0 + LABEL_SEP
                } else {
                    0.0
                };
                pos[k] = pos[k - 1] + need.max(PORT_GAP);
            }
            pos
        })
        .collect();
    let column = nodes
        .iter()
        .map(|s| s.width)
        .chain(
            outs.iter()
                .zip(&offsets)
                .filter(|(l, _)| !l.is_empty())
                .map(|(list, pos)| {
                    let span = pos[pos.len() - 1];
                    let labels = (label_width[list[0]] + label_width[list[list.len() - 1]]) / 2.0;
                    (span + 2.0 * PORT_INSET).max(span + labels)
                }),
        )
        .fold(0.0, f64::max);
    let left = SIDE_MARGIN + lanes.back as f64 * LANE_GAP;
    let right = left + column;
    let width = right + lanes.ahead as f64 * LANE_GAP + SIDE_MARGIN;
    let lane_x = |route: Route| match route {
        Route::Ahead(k) => right + (k + 1) as f64 * LANE_GAP,
        Route::Back(k) => left - (k + 1) as f64 * LANE_GAP,
        Route::Straight => unreachable!("a straight edge has no lane"),
    };

    // Track rows, counted from the top of the gap's tracks. Under a box: exits back (inner
    // lane first) beside exits ahead (outer lane first); above the next box: entries ahead
    // (inner lane first) beside entries back (outer lane first).
    let mut out_row = vec![0usize; edges.len()];
    let mut in_row = vec![0usize; edges.len()];
    let rows = |list: &[usize], pick: fn(Route) -> Option<usize>, inner_first: bool| {
        let mut side: Vec<(usize, usize)> = list
            .iter()
            .filter_map(|&e| pick(lanes.routes[e]).map(|lane| (lane, e)))
            .collect();
        side.sort();
        if !inner_first {
            side.reverse();
        }
        side.into_iter().map(|(_, e)| e).collect::<Vec<_>>()
    };
    let back = |r: Route| match r {
        Route::Back(l) => Some(l),
        _ => None,
    };
    let ahead = |r: Route| match r {
        Route::Ahead(l) => Some(l),
        _ => None,
    };
    let mut out_rows = vec![0usize; n];
    let mut in_rows = vec![0usize; n];
    for u in 0..n {
        for list in [rows(&outs[u], back, true), rows(&outs[u], ahead, false)] {
            for (r, &e) in list.iter().enumerate() {
                out_row[e] = r;
            }
            out_rows[u] = out_rows[u].max(list.len());
        }
        for list in [rows(&ins[u], ahead, true), rows(&ins[u], back, false)] {
            for (r, &e) in list.iter().enumerate() {
                in_row[e] = r;
            }
            in_rows[u] = in_rows[u].max(list.len());
        }
    }
    let labelled = |u: usize| outs[u].iter().any(|&e| edges[e].label.is_some());
    let label_band = 2.0 * LABEL_PAD + metrics.label_height;

    // Heights: the gap above the first box, each box, the gap under it.
    let mut top = vec![0.0; n];
    // y of the first track of the gap above each box (that gap's exits come first).
    let mut first_track = vec![0.0; n + 1];
    let mut y = END_MARGIN;
    // Gap above box 0: only entries.
    first_track[0] = y;
    if in_rows[0] > 0 {
        y += (in_rows[0] - 1) as f64 * TRACK_GAP + ARROW_ROOM;
    }
    for u in 0..n {
        top[u] = y;
        y += nodes[u].height;
        let tracks_out = out_rows[u];
        let tracks_in = if u + 1 < n { in_rows[u + 1] } else { 0 };
        let pad = if labelled(u) {
            label_band + 4.0
        } else {
            GAP_PAD_TOP
        };
        first_track[u + 1] = y + pad;
        let tracks = tracks_out + tracks_in;
        let gap = if u + 1 == n {
            if tracks > 0 {
                pad + (tracks - 1) as f64 * TRACK_GAP + END_MARGIN + 2.0
            } else {
                END_MARGIN
            }
        } else if tracks > 0 {
            (pad + (tracks - 1) as f64 * TRACK_GAP + ARROW_ROOM).max(MIN_GAP)
        } else if labelled(u) {
            (label_band + ARROW_ROOM).max(MIN_GAP)
        } else {
            MIN_GAP
        };
        y += gap;
    }
    let height = y;

    let placed: Vec<PlacedNode> = nodes
        .iter()
        .enumerate()
        .map(|(u, spec)| PlacedNode {
            rect: Rect {
                x: left,
                y: top[u],
                width: column,
                height: spec.height,
            },
            shape: spec.shape,
            rank: u,
        })
        .collect();

    // Exits on the bottom, spaced for their labels; entries on the top around the straight
    // edge from the box above.
    let mut out_x = vec![0.0; edges.len()];
    let mut in_x = vec![0.0; edges.len()];
    for u in 0..n {
        let list = &outs[u];
        if list.is_empty() {
            continue;
        }
        let r = &placed[u].rect;
        let pos = &offsets[u];
        let anchor = list
            .iter()
            .position(|&e| lanes.routes[e] == Route::Straight)
            .map_or((pos[0] + pos[list.len() - 1]) / 2.0, |s| pos[s]);
        let bounds: Vec<(f64, f64)> = list
            .iter()
            .map(|&e| {
                let half = label_width[e] / 2.0;
                (
                    (r.x + PORT_INSET).max(r.x + half),
                    (r.right() - PORT_INSET).min(r.right() - half),
                )
            })
            .collect();
        let xs = fit(pos, r.x + r.width / 2.0 - anchor, &bounds);
        for (&e, x) in list.iter().zip(xs) {
            out_x[e] = x;
        }
    }
    for u in 0..n {
        let r = &placed[u].rect;
        let (lo, hi) = (r.x + PORT_INSET, r.right() - PORT_INSET);
        let list = &ins[u];
        let straight = list
            .iter()
            .find(|&&e| lanes.routes[e] == Route::Straight)
            .map(|&e| out_x[e]);
        let (before, after): (Vec<usize>, Vec<usize>) = list
            .iter()
            .copied()
            .filter(|&e| lanes.routes[e] != Route::Straight)
            .partition(|&e| matches!(lanes.routes[e], Route::Back(_)));
        let middle = straight.unwrap_or(r.x + r.width / 2.0);
        let half_gap = if straight.is_some() {
            PORT_GAP
        } else {
            PORT_GAP / 2.0
        };
        // Left of the middle, the last one closest to it.
        let step = if before.is_empty() {
            PORT_GAP
        } else {
            PORT_GAP.min((middle - half_gap - lo) / (before.len() as f64 - 1.0).max(1.0))
        };
        for (k, &e) in before.iter().rev().enumerate() {
            in_x[e] = (middle - half_gap - k as f64 * step).max(lo);
        }
        let step = if after.is_empty() {
            PORT_GAP
        } else {
            PORT_GAP.min((hi - middle - half_gap) / (after.len() as f64 - 1.0).max(1.0))
        };
        for (k, &e) in after.iter().enumerate() {
            in_x[e] = (middle + half_gap + k as f64 * step).min(hi);
        }
        if let Some(x) = straight {
            for &e in list {
                if lanes.routes[e] == Route::Straight {
                    in_x[e] = x;
                }
            }
        }
    }

    let routed = edges
        .iter()
        .enumerate()
        .map(|(e, spec)| {
            let (source, target) = (&placed[spec.from], &placed[spec.to]);
            let start = bottom_point(source, out_x[e] - source.center().x);
            let end = top_point(target, in_x[e] - target.center().x);
            let route = lanes.routes[e];
            let points = match route {
                Route::Straight => vec![start, end],
                _ => {
                    let lane = lane_x(route);
                    let y_out = first_track[spec.from + 1] + out_row[e] as f64 * TRACK_GAP;
                    let y_in = first_track[spec.to]
                        + (if spec.to == 0 {
                            0
                        } else {
                            out_rows[spec.to - 1]
                        } + in_row[e]) as f64
                            * TRACK_GAP;
                    simplify(vec![
                        start,
                        Point::new(start.x, y_out),
                        Point::new(lane, y_out),
                        Point::new(lane, y_in),
                        Point::new(end.x, y_in),
                        end,
                    ])
                }
            };
            let label = spec.label.clone().map(|text| EdgeLabel {
                text,
                rect: Rect {
                    x: start.x - label_width[e] / 2.0,
                    y: start.y + LABEL_PAD,
                    width: label_width[e],
                    height: metrics.label_height,
                },
            });
            PlacedEdge {
                from: spec.from,
                to: spec.to,
                points,
                label,
                back: matches!(route, Route::Back(_)),
            }
        })
        .collect();

    Layout {
        width,
        height,
        nodes: placed,
        edges: routed,
    }
}

/// Positions `pos` (increasing) moved by `shift`, then by as little as possible so that each
/// lies within its `bounds`; when they cannot all fit, spread evenly over the room there is.
fn fit(pos: &[f64], shift: f64, bounds: &[(f64, f64)]) -> Vec<f64> {
    let xs: Vec<f64> = pos.iter().map(|p| p + shift).collect();
    let need_min = xs
        .iter()
        .zip(bounds)
        .map(|(x, (lo, _))| lo - x)
        .fold(f64::MIN, f64::max);
    let need_max = xs
        .iter()
        .zip(bounds)
        .map(|(x, (_, hi))| hi - x)
        .fold(f64::MAX, f64::min);
    if need_min <= need_max {
        let extra = 0.0f64.max(need_min).min(need_max);
        return xs.iter().map(|x| x + extra).collect();
    }
    let (lo, hi) = (bounds[0].0, bounds[bounds.len() - 1].1.max(bounds[0].0));
    let k = xs.len();
    if k == 1 {
        return vec![(lo + hi) / 2.0];
    }
    (0..k)
        .map(|i| lo + (hi - lo) * i as f64 / (k - 1) as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::edge;
    use super::super::{NodeSpec, Shape};
    use super::*;
    use crate::render::stappenplan::measure::NARROW;

    fn node(shape: Shape) -> NodeSpec {
        NodeSpec {
            width: 240.0,
            height: 60.0,
            shape,
        }
    }

    #[test]
    fn lanes_nest_and_share_where_they_can() {
        // 0 -> 1 straight, 0 -> 3 ahead, 1 -> 2 straight, 1 -> 4 ahead (overlaps 0 -> 3),
        // 3 -> 5 ahead (after 0 -> 3 ended: may share its lane), 4 -> 1 back.
        let edges = [
            edge(0, 1, None),
            edge(0, 3, None),
            edge(1, 2, None),
            edge(1, 4, None),
            edge(3, 5, None),
            edge(4, 1, None),
        ];
        let lanes = Lanes::new(6, &edges);
        assert_eq!(
            lanes.routes,
            [
                Route::Straight,
                Route::Ahead(0),
                Route::Straight,
                Route::Ahead(1),
                Route::Ahead(0),
                Route::Back(0),
            ]
        );
        assert_eq!((lanes.ahead, lanes.back), (2, 1));
        // An edge that spans another runs outside it.
        let lanes = Lanes::new(6, &[edge(0, 5, None), edge(1, 3, None)]);
        assert_eq!(lanes.routes, [Route::Ahead(1), Route::Ahead(0)]);
    }

    #[test]
    fn a_decision_with_a_loop_fits_one_column() {
        // 0 start -> 1 decision -(ja)-> 2 action -> 4 end; 1 -(nee)-> 3 -> 1 (back).
        let nodes = [
            node(Shape::Rounded),
            node(Shape::Hexagon),
            node(Shape::Rect),
            node(Shape::Rect),
            node(Shape::Rounded),
        ];
        let edges = [
            edge(0, 1, None),
            edge(1, 2, Some("ja")),
            edge(1, 3, Some("nee")),
            edge(2, 4, None),
            edge(3, 1, None),
        ];
        let lanes = Lanes::new(nodes.len(), &edges);
        let layout = layout(&nodes, &edges, &lanes, &NARROW);
        assert_eq!(layout.problems(), Vec::<String>::new());
        // One column: every box has the same x, in step order top to bottom.
        assert!(
            layout
                .nodes
                .windows(2)
                .all(|w| w[0].rect.x == w[1].rect.x && w[0].rect.bottom() < w[1].rect.y)
        );
        assert_eq!(layout.width, 240.0 + 2.0 * SIDE_MARGIN + 3.0 * LANE_GAP);
        assert!(layout.edges[4].back);
        // The labels of one box do not overlap.
        let (a, b) = (
            layout.edges[1].label.as_ref().unwrap().rect,
            layout.edges[2].label.as_ref().unwrap().rect,
        );
        assert!(!a.overlaps(&b, 0.0), "{a:?} {b:?}");
    }
}
