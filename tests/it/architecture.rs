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
