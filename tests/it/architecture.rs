//! Rules of the code's shape that a reader of one file cannot see, checked
//! over the source text.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The file's code outside its tests (a `tests.rs` module is all test; an
/// inline `#[cfg(test)]` module ends the file's code).
fn code(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// One function commits: `db::write_tx` (src/db/write.rs). A transaction
/// begun or committed anywhere else would skip the anchor, the schema and
/// log guards or the item states.
#[test]
fn only_the_write_path_begins_or_commits_a_transaction() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for f in files {
        if f.ends_with("src/db/write.rs") {
            continue;
        }
        for (n, line) in code(&f).lines().enumerate() {
            let l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            let upper = l.to_ascii_uppercase();
            if l.contains(".commit()")
                || l.contains("transaction_with_behavior")
                || l.contains(".transaction()")
                || upper.contains("\"BEGIN")
                || upper.contains("\"COMMIT")
                || upper.contains("; COMMIT")
            {
                found.push(format!("{}:{}: {}", f.strip_prefix(root).unwrap().display(), n + 1, l));
            }
        }
    }
    assert!(found.is_empty(), "commits outside db::write_tx:\n{}", found.join("\n"));
}

/// No SQL text outside `src/db/` (tests aside): a schema change is made in
/// one place.
#[test]
fn sql_lives_in_db() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let words = [
        "SELECT ",
        "INSERT INTO",
        "UPDATE ",
        "DELETE FROM",
        "CREATE ",
        "DROP ",
        "ALTER TABLE",
        "PRAGMA ",
    ];
    let mut found = Vec::new();
    for f in files {
        if f.starts_with(root.join("src/db")) {
            continue;
        }
        for (n, line) in code(&f).lines().enumerate() {
            let l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            // SQL is written in capitals inside a string literal.
            let in_string = l.split('"').skip(1).step_by(2);
            if in_string
                .into_iter()
                .any(|s| words.iter().any(|w| s.trim_start().starts_with(w)))
            {
                found.push(format!("{}:{}: {}", f.strip_prefix(root).unwrap().display(), n + 1, l));
            }
        }
    }
    assert!(found.is_empty(), "SQL outside src/db:\n{}", found.join("\n"));
}

// ---- The import graph -------------------------------------------------------
//
// A module is a source file (`a/mod.rs` is module `a`). An edge A → B is a
// path in A's code (tests left out) that names B: `crate::b::…`,
// `super::…`, `self::…`, a `use` group's members, or `child::…` for a
// module A declares. A module naming its own ancestor is not an edge: the
// ancestor owns it (its `impl` blocks and private items are the
// ancestor's own code, as `impl App` in `tui/app/` is).

type Module = Vec<String>;

struct Graph {
    modules: std::collections::BTreeMap<Module, PathBuf>,
    edges: std::collections::BTreeMap<Module, std::collections::BTreeSet<Module>>,
}

fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The code without comments (line comments; block comments are not used).
fn without_comments(code: &str) -> String {
    code.lines()
        .map(|l| {
            // A `//` inside a string (a URL) is rare in paths; cut at the
            // first `//` not inside quotes.
            let mut quoted = false;
            let b = l.as_bytes();
            for i in 0..b.len() {
                match b[i] {
                    b'"' if i == 0 || b[i - 1] != b'\\' => quoted = !quoted,
                    b'/' if !quoted && b.get(i + 1) == Some(&b'/') => return &l[..i],
                    _ => {}
                }
            }
            l
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path a piece of code names from `start` (just after a head such
/// as `crate::`), expanding `{…}` groups: each as its segments.
fn paths_at(code: &[char], mut i: usize) -> Vec<Vec<String>> {
    let mut prefix = Vec::new();
    loop {
        while i < code.len() && code[i].is_whitespace() {
            i += 1;
        }
        if i < code.len() && code[i] == '{' {
            // A group: split its members at top-level commas.
            let mut out = Vec::new();
            let mut depth = 0;
            let mut start = i + 1;
            let mut j = i;
            while j < code.len() {
                match code[j] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        for p in paths_at(code, start) {
                            out.push([prefix.clone(), p].concat());
                        }
                        start = j + 1;
                    }
                    _ => {}
                }
                j += 1;
            }
            for p in paths_at(code, start) {
                out.push([prefix.clone(), p].concat());
            }
            return out;
        }
        let s = i;
        while i < code.len() && is_ident(code[i]) {
            i += 1;
        }
        if s == i {
            return vec![prefix];
        }
        prefix.push(code[s..i].iter().collect());
        if i + 1 < code.len() && code[i] == ':' && code[i + 1] == ':' {
            i += 2;
        } else {
            return vec![prefix];
        }
    }
}

fn graph() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut modules = std::collections::BTreeMap::new();
    for f in &files {
        if f.ends_with("src/main.rs") {
            continue;
        }
        modules.insert(module_of(&src, f), f.clone());
    }
    let resolve = |path: &[String]| -> Option<Module> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|m| modules.contains_key(m))
    };
    let mut edges = std::collections::BTreeMap::new();
    for (m, f) in &modules {
        let text = without_comments(&code(f));
        let chars: Vec<char> = text.chars().collect();
        // The module `super::` names from this file.
        let parent: Module = m[..m.len().saturating_sub(1)].to_vec();
        let own: Module = m.clone();
        let declared: Vec<String> = text
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                let l = l
                    .strip_prefix("pub ")
                    .or_else(|| l.strip_prefix("pub(crate) "))
                    .unwrap_or(l);
                let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
                Some(name.trim().to_string())
            })
            .collect();
        let mut deps = std::collections::BTreeSet::new();
        let mut i = 0;
        while i < chars.len() {
            let boundary = i == 0 || !(is_ident(chars[i - 1]) || chars[i - 1] == ':');
            if boundary && is_ident(chars[i]) {
                let s = i;
                while i < chars.len() && is_ident(chars[i]) {
                    i += 1;
                }
                let head: String = chars[s..i].iter().collect();
                if !(i + 1 < chars.len() && chars[i] == ':' && chars[i + 1] == ':') {
                    continue;
                }
                let base: Option<Module> = match head.as_str() {
                    "crate" => Some(Vec::new()),
                    "self" => Some(own.clone()),
                    "super" => Some(parent.clone()),
                    h if declared.iter().any(|d| d == h) => Some([own.clone(), vec![h.to_string()]].concat()),
                    _ => None,
                };
                let Some(base) = base else { continue };
                for p in paths_at(&chars, i + 2) {
                    let mut rest: &[String] = &p;
                    let mut b = base.clone();
                    while rest.first().is_some_and(|s| s == "super") {
                        b.pop();
                        rest = &rest[1..];
                    }
                    let full = [b, rest.to_vec()].concat();
                    if let Some(t) = resolve(&full)
                        && t != *m
                        && !(t.len() < m.len() && m[..t.len()] == t[..])
                    {
                        deps.insert(t);
                    }
                }
                continue;
            }
            i += 1;
        }
        edges.insert(m.clone(), deps);
    }
    Graph { modules, edges }
}

fn name(m: &Module) -> String {
    if m.is_empty() { "crate".into() } else { m.join("::") }
}

/// No circle in the import graph: every module can be read after the ones
/// it imports.
#[test]
fn the_import_graph_has_no_circle() {
    let g = graph();
    assert!(g.modules.len() > 60, "found only {} modules", g.modules.len());
    // Depth-first, reporting the first circle met.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark: std::collections::BTreeMap<&Module, Mark> = g.modules.keys().map(|m| (m, Mark::New)).collect();
    fn visit<'a>(
        m: &'a Module,
        g: &'a Graph,
        mark: &mut std::collections::BTreeMap<&'a Module, Mark>,
        stack: &mut Vec<&'a Module>,
    ) -> Option<Vec<String>> {
        mark.insert(m, Mark::Open);
        stack.push(m);
        for d in &g.edges[m] {
            match mark[d] {
                Mark::Open => {
                    let at = stack.iter().position(|x| *x == d).unwrap();
                    let mut circle: Vec<String> = stack[at..].iter().map(|x| name(x)).collect();
                    circle.push(name(d));
                    return Some(circle);
                }
                Mark::New => {
                    if let Some(c) = visit(d, g, mark, stack) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        mark.insert(m, Mark::Done);
        None
    }
    for m in g.modules.keys() {
        if mark[m] == Mark::New
            && let Some(c) = visit(m, &g, &mut mark, &mut Vec::new())
        {
            panic!("import circle: {}", c.join(" → "));
        }
    }
}

/// The layers of ARCHITECTURE.md: a module imports only from layers below
/// its own (modules of one layer import nothing from each other), and
/// nothing imports `run`.
#[test]
fn modules_import_only_from_lower_layers() {
    const LAYERS: &[&[&str]] = &[
        &["text"],
        &["domain"],
        &["policy"],
        &["intake"],
        &["db"],
        &["figures"],
        &["ops"],
        &["i18n"],
        &["present"],
        &["check", "config", "export", "notice", "drop_folder", "demo"],
        &["review"],
        &["tui"],
        &["cli"],
        &["run"],
    ];
    let layer = |top: &str| LAYERS.iter().position(|l| l.contains(&top));
    let g = graph();
    let mut wrong = Vec::new();
    for (m, deps) in &g.edges {
        let Some(top) = m.first() else { continue };
        let Some(from) = layer(top) else {
            wrong.push(format!("{} is in no layer", name(m)));
            continue;
        };
        for d in deps {
            let Some(to) = d.first().and_then(|t| layer(t)) else {
                continue;
            };
            if d[0] != *top && to >= from {
                wrong.push(format!("{} → {}", name(m), name(d)));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

/// Inside the console: panes never import the overlays, the console state
/// or the screen's frame; overlays never import panes or the console
/// state; the console state (`tui::app`) is imported only by the event loop
/// and by `run`, which builds its dependencies.
#[test]
fn panes_and_overlays_stay_apart() {
    let g = graph();
    let under = |m: &Module, p: &[&str]| m.len() >= p.len() && m.iter().zip(p).all(|(a, b)| a == b);
    let mut wrong = Vec::new();
    for (m, deps) in &g.edges {
        for d in deps {
            let bad = (under(m, &["tui", "panes"])
                && (under(d, &["tui", "overlay"]) || under(d, &["tui", "app"]) || under(d, &["tui", "view"])))
                || (under(m, &["tui", "overlay"]) && (under(d, &["tui", "panes"]) || under(d, &["tui", "app"])))
                || (under(d, &["tui", "app"]) && !under(m, &["tui", "app"]) && *m != ["tui"] && *m != ["run"]);
            if bad {
                wrong.push(format!("{} → {}", name(m), name(d)));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The graph reader finds what it should (so the tests above can fail).
#[test]
fn the_graph_reader_sees_imports() {
    let g = graph();
    let e = |a: &str, b: &str| {
        let a: Module = a.split("::").map(String::from).collect();
        let b: Module = b.split("::").map(String::from).collect();
        g.edges.get(&a).is_some_and(|d| d.contains(&b))
    };
    // `use crate::db::{self, Mode};` and a `use super::{…}` group.
    assert!(e("run", "db"));
    assert!(e("tui::app", "tui::panes"));
    assert!(e("tui::panes::inbox", "tui::panes::grid"));
    // A declared child named bare (`parts::Loads`).
    assert!(e("tui::app", "tui::app::parts"));
    // A child naming its parent is not an edge.
    assert!(!e("tui::app::loading", "tui::app"));
}
