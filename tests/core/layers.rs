//! The crate's layers as written in `crate/src/lib.rs` hold in the code: every `crate::X` path
//! in `crate/src` names a module on the same line of the list or a lower one, the modules of
//! one line never import each other in a circle, and `evcxr_display` is implemented only in
//! the `display` module.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// The layer list of the `# Layers` section of lib.rs: one line per layer, lowest last.
fn layers() -> Vec<Vec<String>> {
    let lib = fs::read_to_string(Path::new(SRC).join("lib.rs")).unwrap();
    let section = lib
        .split("//! # Layers")
        .nth(1)
        .expect("lib.rs has a `# Layers` section");
    let block = section
        .split("//! ```text")
        .nth(1)
        .and_then(|b| b.split("//! ```").next())
        .expect("the `# Layers` section has a ```text block");
    block
        .lines()
        .map(|l| l.trim_start_matches("//!").trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`design/rows.rs` -> `design`, `scan.rs` -> `scan`).
fn top_module(path: &Path) -> String {
    let rel = path.strip_prefix(SRC).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The modules named by `crate::NAME` in `text`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `rustystats_crate::`, not ours
        }
        let name: String = text[i + 7..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.insert(name);
        }
    }
    names
}

/// Module -> the other top-level modules it names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(Path::new(SRC), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = top_module(&file);
        let text = fs::read_to_string(&file).unwrap();
        let named = graph.entry(module.clone()).or_default();
        named.extend(crate_paths(&text).into_iter().filter(|m| *m != module));
    }
    graph
}

#[test]
fn every_import_points_to_the_same_layer_or_below() {
    let layers = layers();
    assert!(layers.len() >= 5, "lib.rs lists too few layers: {layers:?}");
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .rev()
        .enumerate()
        .flat_map(|(k, line)| line.iter().map(move |m| (m.as_str(), k)))
        .collect();
    let graph = imports();
    let mut upward = Vec::new();
    for (module, named) in &graph {
        if module == "lib" {
            continue;
        }
        let mine = *rank
            .get(module.as_str())
            .unwrap_or_else(|| panic!("module `{module}` is not in lib.rs's layer list"));
        for other in named {
            if let Some(&theirs) = rank.get(other.as_str()) {
                if theirs > mine {
                    upward.push(format!("{module} -> {other}"));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports from a lower layer to a higher one: {upward:?}"
    );
}

#[test]
fn no_circle_between_modules() {
    let graph = imports();
    // Depth-first search; a module met again while it is on the stack closes a circle.
    fn visit<'a>(
        m: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|s| *s == m) {
            let mut circle: Vec<String> = stack[at..].iter().map(|s| s.to_string()).collect();
            circle.push(m.to_string());
            return Some(circle);
        }
        if !done.insert(m) {
            return None;
        }
        stack.push(m);
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys().filter(|m| *m != "lib") {
        let circle = visit(m, &graph, &mut Vec::new(), &mut done);
        assert!(
            circle.is_none(),
            "modules import each other in a circle: {circle:?}"
        );
    }
}

#[test]
fn evcxr_display_is_implemented_only_in_display() {
    let mut files = Vec::new();
    sources(Path::new(SRC), &mut files);
    let outside: Vec<String> = files
        .iter()
        .filter(|f| top_module(f) != "display")
        .filter(|f| fs::read_to_string(f).unwrap().contains("fn evcxr_display("))
        .map(|f| f.strip_prefix(SRC).unwrap().display().to_string())
        .collect();
    assert!(
        outside.is_empty(),
        "evcxr_display outside display/: {outside:?}"
    );
}

#[test]
fn the_checks_see_an_upward_import() {
    // The parser must find the paths the checks rely on.
    let named = crate_paths("use crate::report::{num, Table};\n/// [`X`](crate::solver::X)");
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        vec!["report".to_string(), "solver".to_string()]
    );
}
