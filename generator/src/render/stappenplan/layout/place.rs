//! Horizontal positions of the items in their layers.

use super::order::Item;
use super::{DUMMY_DUMMY_GAP, DUMMY_GAP, NODE_GAP};

/// Horizontal positions (centers) of all items.
pub(super) fn place_x(items: &[Item], layers: &[Vec<usize>]) -> Vec<f64> {
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
pub(super) fn isotonic(c: &[f64], desired: &[f64], weight: &[f64]) -> Vec<f64> {
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
