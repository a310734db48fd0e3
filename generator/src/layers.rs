//! Keeps the layers of `lib.rs` honest: reads every source file of this crate and fails when a
//! module uses a higher layer, or when modules of one layer use each other in a circle.
//!
//! Layers, low to high: `diagnostics` and `slug` (0), `model` (1), `render` (2), `site` (3),
//! `cmd` (4). A module may use its own layer and every lower one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn layer(top: &str) -> Option<usize> {
    match top {
        "diagnostics" | "slug" => Some(0),
        "model" => Some(1),
        "render" => Some(2),
        "site" => Some(3),
        "cmd" => Some(4),
        _ => None,
    }
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// `render/stappenplan/svg.rs` → `[render, stappenplan, svg]`; `site/mod.rs` → `[site]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// Every path a source file names through `crate::` or `super::`, resolved to an absolute
/// module path (its first two segments are enough here). Comments are skipped, so doc links
/// may point anywhere.
fn used_paths(text: &str, own: &[String]) -> Vec<Vec<String>> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    for (start, _) in code.match_indices("crate::") {
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        found.extend(expand(&code[start + "crate::".len()..], Vec::new()));
    }
    for (start, _) in code.match_indices("super::") {
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        // `own` is the file's module path (a `mod.rs` file is its folder's module), so each
        // `super` drops one segment.
        let mut base: Vec<String> = own.to_vec();
        let mut rest = &code[start..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            ups += 1;
            rest = r;
        }
        for _ in 0..ups {
            base.pop();
        }
        found.extend(expand(rest, base));
    }
    found
}

/// The paths after a `crate::` (or resolved `super::`): `a::b` or a group `{a::b, c}`.
fn expand(rest: &str, prefix: Vec<String>) -> Vec<Vec<String>> {
    if let Some(group) = rest.strip_prefix('{') {
        let mut depth = 1;
        let mut end = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &group[..end];
        let mut items = Vec::new();
        let mut depth = 0;
        let mut from = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&inner[from..i]);
                    from = i + 1;
                }
                _ => {}
            }
        }
        items.push(&inner[from..]);
        return items
            .into_iter()
            .map(str::trim)
            .filter(|i| !i.is_empty() && *i != "self")
            .flat_map(|i| expand(i, prefix.clone()))
            .collect();
    }
    let mut path = prefix;
    let mut rest = rest;
    loop {
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            break;
        }
        path.push(rest[..len].to_string());
        rest = &rest[len..];
        match rest.strip_prefix("::") {
            Some(r) if r.starts_with('{') => return expand(r, path),
            Some(r) => rest = r,
            None => break,
        }
    }
    vec![path]
}

/// The module a path lands in, at the granularity the rules speak of: `render::markdown`,
/// `site` (the layer's own `mod.rs`), `diagnostics`.
fn unit(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let top = path.first()?;
    layer(top)?;
    let two = path.iter().take(2).cloned().collect::<Vec<_>>();
    if two.len() == 2 && modules.contains(&two) {
        Some(two)
    } else {
        Some(vec![top.clone()])
    }
}

struct Module {
    unit: Vec<String>,
    uses: BTreeSet<Vec<String>>,
}

fn modules() -> BTreeMap<PathBuf, Module> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let paths: Vec<(PathBuf, Vec<String>)> = files
        .iter()
        .map(|f| {
            let relative = f.strip_prefix(&src).unwrap().to_path_buf();
            let path = module_path(&relative);
            (relative, path)
        })
        .filter(|(_, path)| path.first().and_then(|t| layer(t)).is_some())
        .collect();
    let units: BTreeSet<Vec<String>> = paths
        .iter()
        .filter(|(_, p)| p.len() >= 2)
        .map(|(_, p)| p[..2].to_vec())
        .collect();
    let mut found = BTreeMap::new();
    for (relative, path) in paths {
        let text = std::fs::read_to_string(src.join(&relative)).unwrap();
        let own = unit(&path, &units).unwrap();
        let uses = used_paths(&text, &path)
            .iter()
            .filter_map(|p| unit(p, &units))
            .filter(|u| *u != own)
            .collect();
        found.insert(relative, Module { unit: own, uses });
    }
    found
}

#[test]
fn no_module_uses_a_higher_layer() {
    let mut wrong = Vec::new();
    for (file, module) in modules() {
        let own = layer(&module.unit[0]).unwrap();
        for used in &module.uses {
            if layer(&used[0]).unwrap() > own {
                wrong.push(format!("{} uses {}", file.display(), used.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "lower layers must not use higher ones (model < render < site < cmd):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn modules_of_one_layer_use_each_other_without_cycles() {
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for module in modules().into_values() {
        graph
            .entry(module.unit.clone())
            .or_default()
            .extend(module.uses);
    }
    // Depth-first search; a grey node reached again closes a cycle.
    fn visit(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(node.clone(), 1);
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                0 => visit(next, graph, state, stack, cycles),
                1 => {
                    let at = stack.iter().position(|n| n == next).unwrap_or(0);
                    let names: Vec<String> = stack[at..]
                        .iter()
                        .chain(std::iter::once(next))
                        .map(|n| n.join("::"))
                        .collect();
                    cycles.push(names.join(" → "));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.clone(), 2);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for node in graph.keys() {
        if state.get(node).copied().unwrap_or(0) == 0 {
            visit(node, &graph, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_checker_sees_groups_super_and_skips_comments() {
    let text = "//! [`crate::cmd::serve`]\nuse crate::{model::config::Config, render::{markdown, context}};\nuse super::rollen::Rollen;\nuse super::super::site::output;\n";
    let own = vec!["model".to_string(), "config".to_string()];
    let heads: Vec<String> = used_paths(text, &own)
        .iter()
        .map(|p| p[..2].join("::"))
        .collect();
    assert_eq!(
        heads,
        [
            "model::config",
            "render::markdown",
            "render::context",
            "model::rollen",
            "site::output"
        ]
    );
}
