//! Graph traversal on a flow: reachability, back edges and layers. Shared by the validation
//! (here) and the layout ([`crate::render::stappenplan::layout`]).
//!
//! A graph is a successor list: `succ[u]` holds the targets of `u`'s exits, in exit order.

/// Which nodes can be reached from `from` (including `from` itself).
pub fn reachable(succ: &[Vec<usize>], from: usize) -> Vec<bool> {
    let mut seen = vec![false; succ.len()];
    let mut stack = vec![from];
    seen[from] = true;
    while let Some(u) = stack.pop() {
        for &v in &succ[u] {
            if !seen[v] {
                seen[v] = true;
                stack.push(v);
            }
        }
    }
    seen
}

/// Which nodes have a path to at least one node marked in `targets`.
pub fn reaches_any(succ: &[Vec<usize>], targets: &[bool]) -> Vec<bool> {
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); succ.len()];
    for (u, vs) in succ.iter().enumerate() {
        for &v in vs {
            pred[v].push(u);
        }
    }
    let mut seen = targets.to_vec();
    let mut stack: Vec<usize> = (0..succ.len()).filter(|&v| targets[v]).collect();
    while let Some(v) = stack.pop() {
        for &u in &pred[v] {
            if !seen[u] {
                seen[u] = true;
                stack.push(u);
            }
        }
    }
    seen
}

/// Marks the back edges of a depth-first search that starts at `root` (and then at every node
/// not yet visited, in index order): `back[u][k]` is true when exit `k` of `u` points to a node
/// that is still on the search stack. Removing them leaves a graph without cycles.
/// Also returns the nodes in reverse post-order, a topological order of that acyclic graph.
pub fn back_edges(succ: &[Vec<usize>], root: usize) -> (Vec<Vec<bool>>, Vec<usize>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let n = succ.len();
    let mut back: Vec<Vec<bool>> = succ.iter().map(|vs| vec![false; vs.len()]).collect();
    let mut state = vec![State::New; n];
    let mut post = Vec::with_capacity(n);
    let roots = std::iter::once(root).chain(0..n);
    for start in roots {
        if start >= n || state[start] != State::New {
            continue;
        }
        // (node, index of the next exit to look at)
        let mut stack = vec![(start, 0usize)];
        state[start] = State::OnStack;
        while let Some(&mut (u, ref mut k)) = stack.last_mut() {
            if *k < succ[u].len() {
                let exit = *k;
                *k += 1;
                let v = succ[u][exit];
                match state[v] {
                    State::New => {
                        state[v] = State::OnStack;
                        stack.push((v, 0));
                    }
                    State::OnStack => back[u][exit] = true,
                    State::Done => {}
                }
            } else {
                state[u] = State::Done;
                post.push(u);
                stack.pop();
            }
        }
    }
    post.reverse();
    (back, post)
}

/// Layer of every node: the length of the longest path to it from a source, ignoring back
/// edges (see [`back_edges`]). The root is always in layer 0.
pub fn ranks(succ: &[Vec<usize>], root: usize) -> (Vec<usize>, Vec<Vec<bool>>) {
    let (back, topo) = back_edges(succ, root);
    let mut rank = vec![0usize; succ.len()];
    for &u in &topo {
        for (k, &v) in succ[u].iter().enumerate() {
            if !back[u][k] {
                rank[v] = rank[v].max(rank[u] + 1);
            }
        }
    }
    (rank, back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reachability_both_ways() {
        // 0 -> 1 -> 2, 3 -> 2, 4 alone
        let succ = vec![vec![1], vec![2], vec![], vec![2], vec![]];
        assert_eq!(reachable(&succ, 0), [true, true, true, false, false]);
        let ends = [false, false, true, false, false];
        assert_eq!(reaches_any(&succ, &ends), [true, true, true, true, false]);
    }

    #[test]
    fn cycles_are_broken_at_back_edges_and_ranked_by_longest_path() {
        // 0 -> 1 -> 2 -> 1 (back), 0 -> 2, 2 -> 3, 2 -> 2 (self loop)
        let succ = vec![vec![1, 2], vec![2], vec![1, 3, 2], vec![]];
        let (rank, back) = ranks(&succ, 0);
        assert_eq!(
            back,
            vec![
                vec![false, false],
                vec![false],
                vec![true, false, true],
                vec![]
            ]
        );
        assert_eq!(rank, vec![0, 1, 2, 3]);
    }
}
