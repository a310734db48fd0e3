//! The input prepared for layout: exits and entries per box, layers, back edges, and box
//! sizes widened so that their ports fit.

use super::super::measure::WIDE;
use super::{
    EdgeSpec, HEXAGON_DEPTH, IN_PORT_GAP, LANE_MIN, NodeSpec, OUT_PORT_GAP, PORT_INSET,
    ROUNDED_RADIUS, Shape,
};
use crate::model::stappenplan::traversal;

pub(super) struct Graph<'a> {
    pub nodes: &'a [NodeSpec],
    pub edges: &'a [EdgeSpec],
    pub root: usize,
    /// Edge ids leaving each node, in exit order, and entering it.
    pub outs: Vec<Vec<usize>>,
    pub ins: Vec<Vec<usize>>,
    /// Layer of each node.
    pub rank: Vec<usize>,
    pub layer_count: usize,
    /// Edges that close a loop (drawn in a lane beside everything).
    pub is_back: Vec<bool>,
    /// Width of each edge's label background (0 without a label).
    pub label_width: Vec<f64>,
    /// Box sizes (width, height), widened so that their ports fit.
    pub sizes: Vec<(f64, f64)>,
    /// Width of the lane on each side of a decision where its side exits turn down.
    pub lane: Vec<f64>,
    /// Distance between the bottom exits of each node.
    pub out_gap: Vec<f64>,
}

impl<'a> Graph<'a> {
    pub fn new(nodes: &'a [NodeSpec], edges: &'a [EdgeSpec], root: usize) -> Graph<'a> {
        let n = nodes.len();
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
        let (rank, back_by_exit) = traversal::ranks(&succ, root);
        let mut is_back = vec![false; edges.len()];
        for (u, es) in outs.iter().enumerate() {
            for (k, &e) in es.iter().enumerate() {
                is_back[e] = back_by_exit[u][k];
            }
        }
        let label_width = edges
            .iter()
            .map(|e| e.label.as_ref().map_or(0.0, |t| WIDE.label_width(t)))
            .collect();
        let layer_count = rank.iter().max().map_or(0, |&r| r + 1);
        let mut graph = Graph {
            nodes,
            edges,
            root,
            outs,
            ins,
            rank,
            layer_count,
            is_back,
            label_width,
            sizes: nodes.iter().map(|s| (s.width, s.height)).collect(),
            lane: vec![0.0; n],
            out_gap: vec![OUT_PORT_GAP; n],
        };
        graph.fit_ports();
        graph
    }

    /// Widens boxes so that their exits (with labels) and entries fit side by side, and
    /// sizes the lanes beside decisions so that side labels fit.
    fn fit_ports(&mut self) {
        let need = |count: usize, gap: f64| count.saturating_sub(1) as f64 * gap;
        for u in 0..self.nodes.len() {
            let bottom = self.bottom_exits(u);
            self.out_gap[u] = bottom
                .iter()
                .map(|&e| self.label_width[e] + 6.0)
                .fold(OUT_PORT_GAP, f64::max);
            let span =
                need(bottom.len(), self.out_gap[u]).max(need(self.ins[u].len(), IN_PORT_GAP));
            let shape = self.nodes[u].shape;
            let (w, h) = self.sizes[u];
            self.sizes[u].0 = match shape {
                // Ports spread over the middle half of a diamond.
                Shape::Diamond => w.max(2.0 * span),
                Shape::Rect | Shape::Rounded | Shape::Hexagon => {
                    w.max(span + 2.0 * port_inset(shape, h))
                }
            };
            if shape == Shape::Diamond {
                self.lane[u] = self
                    .side_exits(u)
                    .iter()
                    .map(|&e| self.label_width[e] + 14.0)
                    .fold(LANE_MIN, f64::max);
            }
        }
    }

    /// The exits that leave a decision through its corners: its second and third.
    pub fn side_exits(&self, u: usize) -> &[usize] {
        let outs = &self.outs[u];
        if self.nodes[u].shape == Shape::Diamond && outs.len() > 1 {
            &outs[1..outs.len().min(3)]
        } else {
            &[]
        }
    }

    /// The exits that leave through the bottom.
    pub fn bottom_exits(&self, u: usize) -> Vec<usize> {
        let side = self.side_exits(u);
        self.outs[u]
            .iter()
            .copied()
            .filter(|e| !side.contains(e))
            .collect()
    }

    /// Width a node takes in its layer: the box and, for a decision, a lane on each side.
    pub fn slot_width(&self, u: usize) -> f64 {
        self.sizes[u].0 + 2.0 * self.lane[u]
    }

    /// How far ports may lie left or right of the center of a box.
    pub fn port_half_range(&self, u: usize) -> f64 {
        let (w, h) = self.sizes[u];
        match self.nodes[u].shape {
            Shape::Diamond => w / 4.0,
            shape => w / 2.0 - port_inset(shape, h),
        }
    }
}

/// How far ports stay from the sides of a (rounded) rectangle.
fn port_inset(shape: Shape, height: f64) -> f64 {
    match shape {
        Shape::Rounded => ROUNDED_RADIUS.min(height / 2.0) + 6.0,
        Shape::Hexagon => HEXAGON_DEPTH.min(height / 2.0) + PORT_INSET,
        _ => PORT_INSET,
    }
}
