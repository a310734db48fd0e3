//! Ports, lanes, channels and tracks: where edges leave and enter boxes and how they run,
//! then the heights of layers and channels and the final polylines and labels.

use super::input::Graph;
use super::order::Item;
use super::{
    BACK_LANE_GAP, CHANNEL_PAD_BOTTOM, CHANNEL_PAD_TOP, EPS, EdgeLabel, IN_PORT_GAP, LABEL_HEIGHT,
    MARGIN, MIN_CHANNEL, PlacedEdge, PlacedNode, Point, Rect, Shape, TRACK_GAP, TRACK_SEPARATION,
};

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

/// Where each edge leaves and enters its boxes.
struct Ports {
    /// Exit of each edge.
    out: Vec<Port>,
    /// Entry of each edge: offset from the center of the target's top.
    entry: Vec<f64>,
    /// x of the lane where a side exit turns down (for side exits only).
    side_lane: Vec<Option<f64>>,
}

/// Everything vertical: tops of layers and channels.
struct Vertical {
    rank_top: Vec<f64>,
    rank_height: Vec<f64>,
    channel_top: Vec<f64>,
    /// Space above a channel's first track.
    pad_top: Vec<f64>,
    height: f64,
}

impl Vertical {
    fn track_y(&self, channel: usize, track: usize) -> f64 {
        self.channel_top[channel] + self.pad_top[channel] + track as f64 * TRACK_GAP
    }
}

/// Places the boxes vertically and routes all edges; returns boxes, edges and total height.
pub(super) fn route(
    graph: &Graph,
    items: &[Item],
    chains: &[Vec<usize>],
    x: &[f64],
) -> (Vec<PlacedNode>, Vec<PlacedEdge>, f64) {
    let lane_x = back_lanes(graph, items, x);
    let ports = ports(graph, chains, x, &lane_x);
    let (hops, mut channels) = hops(graph, items, chains, x, &lane_x, &ports);
    for segments in &mut channels {
        assign_tracks(segments);
    }
    let vertical = vertical(graph, &ports, &channels);
    let placed: Vec<PlacedNode> = (0..graph.nodes.len())
        .map(|u| {
            let (w, h) = graph.sizes[u];
            let r = graph.rank[u];
            PlacedNode {
                rect: Rect {
                    x: x[u] - w / 2.0,
                    y: vertical.rank_top[r] + (vertical.rank_height[r] - h) / 2.0,
                    width: w,
                    height: h,
                },
                shape: graph.nodes[u].shape,
                rank: r,
            }
        })
        .collect();
    let routed = polylines(graph, &placed, &ports, &hops, &channels, &vertical);
    (placed, routed, vertical.height)
}

/// x of the lane of each back edge (0 for other edges): left or right of everything,
/// whichever is nearer; shorter loops on the inside.
fn back_lanes(graph: &Graph, items: &[Item], x: &[f64]) -> Vec<f64> {
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
    let mut left: Vec<usize> = Vec::new();
    let mut right: Vec<usize> = Vec::new();
    for (e, spec) in graph.edges.iter().enumerate() {
        if graph.is_back[e] {
            if (x[spec.from] + x[spec.to]) / 2.0 < middle - EPS {
                left.push(e);
            } else {
                right.push(e);
            }
        }
    }
    let span_of = |e: usize| graph.rank[graph.edges[e].from] - graph.rank[graph.edges[e].to];
    left.sort_by_key(|&e| (span_of(e), e));
    right.sort_by_key(|&e| (span_of(e), e));
    let mut lane_x = vec![0.0; graph.edges.len()];
    for (k, &e) in left.iter().enumerate() {
        lane_x[e] = min_x - BACK_LANE_GAP * (k as f64 + 1.0);
    }
    for (k, &e) in right.iter().enumerate() {
        lane_x[e] = max_x + BACK_LANE_GAP * (k as f64 + 1.0);
    }
    lane_x
}

/// Ports: exits sorted by where they head, entries by where they come from.
fn ports(graph: &Graph, chains: &[Vec<usize>], x: &[f64], lane_x: &[f64]) -> Ports {
    let m = graph.edges.len();
    let next_x = |e: usize| {
        if graph.is_back[e] {
            lane_x[e]
        } else {
            x[chains[e][1]]
        }
    };
    let prev_x = |e: usize| {
        if graph.is_back[e] {
            lane_x[e]
        } else {
            x[chains[e][chains[e].len() - 2]]
        }
    };
    let mut out = vec![Port::Vertical(0.0); m];
    let mut entry = vec![0.0; m];
    for (u, &center) in x.iter().enumerate().take(graph.nodes.len()) {
        let half_range = graph.port_half_range(u);
        match *graph.side_exits(u) {
            [only] => {
                let dir = if next_x(only) < center - EPS {
                    -1.0
                } else {
                    1.0
                };
                out[only] = Port::Side(dir);
            }
            [a, b] => {
                // The one heading further left takes the left corner.
                let (left, right) = if next_x(b) < next_x(a) {
                    (b, a)
                } else {
                    (a, b)
                };
                out[left] = Port::Side(-1.0);
                out[right] = Port::Side(1.0);
            }
            _ => {}
        }
        let mut bottom = graph.bottom_exits(u);
        bottom.sort_by(|&a, &b| next_x(a).total_cmp(&next_x(b)));
        let offsets = spread(bottom.len(), graph.out_gap[u], half_range);
        for (dx, &e) in offsets.into_iter().zip(&bottom) {
            out[e] = Port::Vertical(dx);
        }
        let mut entries = graph.ins[u].clone();
        entries.sort_by(|&a, &b| prev_x(a).total_cmp(&prev_x(b)));
        let offsets = spread(entries.len(), IN_PORT_GAP, half_range);
        for (dx, &e) in offsets.into_iter().zip(&entries) {
            entry[e] = dx;
        }
    }
    let side_lane = (0..m)
        .map(|e| match out[e] {
            Port::Side(dir) => {
                let u = graph.edges[e].from;
                Some(x[u] + dir * (graph.sizes[u].0 / 2.0 + graph.lane[u]))
            }
            Port::Vertical(_) => None,
        })
        .collect();
    Ports {
        out,
        entry,
        side_lane,
    }
}

/// The hops of every edge through the channels; the horizontal pieces become segments of
/// their channel (channel `c` lies above layer `c`; the last one below the last layer).
fn hops(
    graph: &Graph,
    items: &[Item],
    chains: &[Vec<usize>],
    x: &[f64],
    lane_x: &[f64],
    ports: &Ports,
) -> (Vec<Vec<Hop>>, Vec<Vec<Segment>>) {
    let mut channels: Vec<Vec<Segment>> = vec![Vec::new(); graph.layer_count + 1];
    let mut hops: Vec<Vec<Hop>> = vec![Vec::new(); graph.edges.len()];
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
    for (e, spec) in graph.edges.iter().enumerate() {
        let start_x = match ports.out[e] {
            Port::Vertical(dx) => x[spec.from] + dx,
            Port::Side(_) => ports.side_lane[e].unwrap_or_default(),
        };
        let end_x = x[spec.to] + ports.entry[e];
        if graph.is_back[e] {
            // Down into the channel below, along the lane up to the channel above the target.
            let lx = lane_x[e];
            let below = graph.rank[spec.from] + 1;
            add_hop(e, below, start_x, lx, vec![start_x, lx], vec![]);
            add_hop(e, graph.rank[spec.to], lx, end_x, vec![], vec![lx, end_x]);
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
    (hops, channels)
}

/// Layers as high as their highest box; channels as high as their labels and tracks need.
fn vertical(graph: &Graph, ports: &Ports, channels: &[Vec<Segment>]) -> Vertical {
    let layers = graph.layer_count;
    let mut rank_height = vec![0.0f64; layers];
    for (u, &(_, h)) in graph.sizes.iter().enumerate() {
        rank_height[graph.rank[u]] = rank_height[graph.rank[u]].max(h);
    }
    // Room that labels under bottom exits need in the channel below their layer.
    let mut label_need = vec![0.0f64; layers + 1];
    for (e, spec) in graph.edges.iter().enumerate() {
        if let (Port::Vertical(dx), Some(_)) = (ports.out[e], &spec.label) {
            let u = spec.from;
            let r = graph.rank[u];
            let (w, h) = graph.sizes[u];
            let below_box = (rank_height[r] - h) / 2.0;
            let rise = match graph.nodes[u].shape {
                Shape::Diamond => h / 2.0 * (dx.abs() / (w / 2.0)),
                _ => 0.0,
            };
            let need = label_offset(graph, e) + LABEL_HEIGHT - below_box - rise + 6.0;
            label_need[r + 1] = label_need[r + 1].max(need);
        }
    }
    let mut channel_top = vec![0.0; layers + 1];
    let mut pad_top = vec![0.0; layers + 1];
    let mut rank_top = vec![0.0; layers];
    let mut cursor = 0.0;
    for c in 0..=layers {
        let tracks = channels[c].iter().map(|s| s.track + 1).max().unwrap_or(0);
        let outer = c == 0 || c == layers;
        pad_top[c] = if c == 0 {
            MARGIN
        } else {
            CHANNEL_PAD_TOP.max(label_need[c])
        };
        let pad_bottom = if c == layers {
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
        if c < layers {
            rank_top[c] = cursor;
            cursor += rank_height[c];
        }
    }
    Vertical {
        rank_top,
        rank_height,
        channel_top,
        pad_top,
        height: cursor,
    }
}

/// Distance from a bottom exit down to its label (more on a diamond's slanted side).
fn label_offset(graph: &Graph, e: usize) -> f64 {
    let u = graph.edges[e].from;
    let (w, h) = graph.sizes[u];
    match graph.nodes[u].shape {
        Shape::Diamond => 4.0 + h / w * graph.label_width[e] / 2.0,
        _ => 4.0,
    }
}

/// The polyline and label of every edge.
fn polylines(
    graph: &Graph,
    placed: &[PlacedNode],
    ports: &Ports,
    hops: &[Vec<Hop>],
    channels: &[Vec<Segment>],
    vertical: &Vertical,
) -> Vec<PlacedEdge> {
    let mut routed: Vec<PlacedEdge> = Vec::with_capacity(graph.edges.len());
    for (e, spec) in graph.edges.iter().enumerate() {
        let source = &placed[spec.from];
        let c = source.center();
        let w = graph.label_width[e];
        let mut points = Vec::new();
        let label_rect = match ports.out[e] {
            Port::Vertical(dx) => {
                // Under the exit, on the line.
                let p = bottom_point(source, dx);
                points.push(p);
                Rect {
                    x: p.x - w / 2.0,
                    y: p.y + label_offset(graph, e),
                    width: w,
                    height: LABEL_HEIGHT,
                }
            }
            Port::Side(dir) => {
                // Above the line, just outside the corner.
                let corner = Point::new(c.x + dir * source.rect.width / 2.0, c.y);
                points.push(corner);
                points.push(Point::new(ports.side_lane[e].unwrap_or(corner.x), c.y));
                Rect {
                    x: if dir > 0.0 {
                        corner.x + 3.0
                    } else {
                        corner.x - 3.0 - w
                    },
                    y: c.y - 3.0 - LABEL_HEIGHT,
                    width: w,
                    height: LABEL_HEIGHT,
                }
            }
        };
        for hop in &hops[e] {
            if let Some(s) = hop.segment {
                let y = vertical.track_y(hop.channel, channels[hop.channel][s].track);
                points.push(Point::new(hop.from_x, y));
                points.push(Point::new(hop.to_x, y));
            }
        }
        points.push(top_point(&placed[spec.to], ports.entry[e]));
        routed.push(PlacedEdge {
            from: spec.from,
            to: spec.to,
            points: simplify(points),
            label: spec.label.clone().map(|text| EdgeLabel {
                text,
                rect: label_rect,
            }),
            back: graph.is_back[e],
        });
    }
    routed
}

/// `count` offsets around 0, at least `gap` apart where `half_range` allows, spread evenly.
pub(super) fn spread(count: usize, gap: f64, half_range: f64) -> Vec<f64> {
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

pub(super) fn bottom_point(node: &PlacedNode, dx: f64) -> Point {
    let c = node.center();
    let (a, b) = (node.rect.width / 2.0, node.rect.height / 2.0);
    match node.shape {
        Shape::Diamond => Point::new(c.x + dx, c.y + b * (1.0 - dx.abs() / a)),
        _ => Point::new(c.x + dx, node.rect.bottom()),
    }
}

pub(super) fn top_point(node: &PlacedNode, dx: f64) -> Point {
    let c = node.center();
    let (a, b) = (node.rect.width / 2.0, node.rect.height / 2.0);
    match node.shape {
        Shape::Diamond => Point::new(c.x + dx, c.y - b * (1.0 - dx.abs() / a)),
        _ => Point::new(c.x + dx, node.rect.y),
    }
}

/// Drops repeated points and the middle of three points on one line.
pub(super) fn simplify(points: Vec<Point>) -> Vec<Point> {
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
