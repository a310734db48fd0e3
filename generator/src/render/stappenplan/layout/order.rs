//! Layers with dummy items for long edges, and their order (crossing reduction).

use super::Shape;
use super::input::Graph;

/// One position in a layer: a box, or a point where a long edge crosses the layer.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub node: Option<usize>,
    pub rank: usize,
    /// Width of the slot the item needs (a decision's includes its side lanes).
    pub width: f64,
    pub up: Vec<usize>,
    pub down: Vec<usize>,
}

/// The items of all layers (boxes first, with the same index as their node, then dummies)
/// and, per edge, the chain of items it passes (empty for back edges).
pub(super) fn items(graph: &Graph) -> (Vec<Item>, Vec<Vec<usize>>) {
    let n = graph.nodes.len();
    let mut items: Vec<Item> = (0..n)
        .map(|u| Item {
            node: Some(u),
            rank: graph.rank[u],
            width: graph.slot_width(u),
            up: Vec::new(),
            down: Vec::new(),
        })
        .collect();
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); graph.edges.len()];
    // Exits in the order their targets should stand: a decision's bottom exit between its
    // two side exits (the first order decides ties in the crossing reduction).
    let visual_order = (0..n).flat_map(|u| {
        let mut es = graph.outs[u].clone();
        if graph.nodes[u].shape == Shape::Diamond && es.len() >= 3 {
            es.swap(0, 1);
        }
        es
    });
    for e in visual_order {
        if graph.is_back[e] {
            continue;
        }
        let (from, to) = (graph.edges[e].from, graph.edges[e].to);
        let mut chain = vec![from];
        for r in graph.rank[from] + 1..graph.rank[to] {
            items.push(Item {
                node: None,
                rank: r,
                width: 0.0,
                up: Vec::new(),
                down: Vec::new(),
            });
            chain.push(items.len() - 1);
        }
        chain.push(to);
        for pair in chain.windows(2) {
            items[pair[0]].down.push(pair[1]);
            items[pair[1]].up.push(pair[0]);
        }
        chains[e] = chain;
    }
    (items, chains)
}

/// First order: items in depth-first order from the root along the exits, so that the
/// branches of a decision start side by side.
pub(super) fn initial_order(items: &[Item], layer_count: usize, root: usize) -> Vec<Vec<usize>> {
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
pub(super) fn reduce_crossings(items: &[Item], layers: &mut [Vec<usize>]) {
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
