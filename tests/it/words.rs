//! The command line speaks one language at a time: Chinese by default, with
//! no English sentence (paths, ids, flags, codes and key names aside), and
//! English with `--lang en`, with no Chinese outside the data.

use std::path::Path;

use crate::common::{dudao, repo_root, sample_copy, stderr, stdout};

/// Tokens that are not words of a sentence: paths, ids, flags, codes.
fn neutral(token: &str) -> bool {
    const KEEP: &[&str] = &[
        "dudao",
        "sqlite",
        "toml",
        "json",
        "csv",
        "utf",
        "wal",
        "ok",
        "fail",
        "integrity_check",
        "foreign_key_check",
        "user_version",
        "schema_version",
        "office_contact",
        "yyyy",
        "mm",
        "dd",
        "yyyy-mm",
        "audit_baseline",
        "inbox",
        "quarantine",
        "db",
        "shm",
        "journal",
        "gb18030",
        "gbk",
        "root",
        "check",
        "export",
        "import",
        "template",
        "report",
        "help",
        "version",
        "table",
        "md",
        // What the commands below typed: data, not words.
        "xml",
        "foo",
        "frobnicate",
        "pending",
        "missing",
        "new",
        "late",
        "accepted",
        "returned",
        "closed",
        "extend",
        // The report file's keys, named in its comments.
        "progress",
        "status",
        "on_track",
        "lagging",
        "done",
        "difficulties",
        "next_steps",
        "indicator",
        "value",
        "unit",
        "month",
        "summary",
        "contact",
        "name",
        "phone",
        "format",
        "article",
    ];
    let t = token.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-');
    t.is_empty()
        || token.contains('/')
        || token.contains(".db")
        || token.contains(".toml")
        || token.contains(".json")
        || token.starts_with("--")
        || token.starts_with('`')
        || token.starts_with('<')
        || t.chars().any(|c| c.is_ascii_digit())
        || KEEP.contains(&t.to_ascii_lowercase().as_str())
}

/// English words (three letters or more) in `text` that are not neutral.
fn english(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Inline code (`dudao check`) names commands, not words.
    let mut plain = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            plain.push_str(part);
            plain.push(' ');
        }
    }
    for raw in plain.split(|c: char| c.is_whitespace() || "：，；（）。、“”《》→".contains(c)) {
        if neutral(raw) {
            continue;
        }
        let letters: String = raw.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        if letters.len() >= 3 {
            out.push(raw.to_string());
        }
    }
    out
}

fn chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What the commands the office uses most print on standard error (and
/// `check` on standard output), in one language.
fn run_all(db: &Path, dir: &Path, lang: &[&str]) -> Vec<(String, String)> {
    let good = dir.join("r.toml");
    std::fs::write(
        &good,
        "unit = \"文化厅\"\nmonth = \"2026-11\"\nsummary = \"本月进展\"\n\n[[progress]]\narticle = 19\nstatus = \"正常\"\nprogress = \"按时报送\"\n",
    )
    .unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "unit = \"文化厅\nmonth = 1").unwrap();
    let db = db.to_str().unwrap();
    let (good, bad) = (good.to_str().unwrap(), bad.to_str().unwrap());
    let runs: Vec<Vec<&str>> = vec![
        vec!["report", "accept", "R1-2026-10", db],
        vec!["report", "accept", "R1-2026-10", db],
        vec!["report", "accept", "R99-2026-10", "X9", db],
        vec!["report", "list", "--month", "2026-10", db],
        vec!["remind", "M5", db],
        vec!["extend", "M85", "--to", "+10", "--reason", "待批复", db],
        vec!["notice", "M85", db],
        vec!["import", "--db", db, good, bad],
        vec!["export", "reports", "--format", "xml", db],
        vec!["report", "list", "--status", "foo", db],
        vec!["frobnicate", "x"],
        vec!["report", "show", "火星厅/2026-10", db],
        vec!["snapshot", "--quarter", "2026Q4", db],
        vec!["check", db],
    ];
    runs.iter()
        .map(|args| {
            let out = dudao().args(lang).args(args).output().unwrap();
            let mut text = stderr(&out);
            if args[0] == "check" {
                text.push_str(&stdout(&out));
            }
            (args.join(" "), text)
        })
        .collect()
}

#[test]
fn the_default_language_prints_no_english_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    for (cmd, text) in run_all(&db, dir.path(), &[]) {
        assert!(!text.trim().is_empty(), "{cmd}: said nothing");
        let words = english(&text);
        assert!(words.is_empty(), "{cmd}: English {words:?} in:\n{text}");
    }
    // The report template's comments (its keys are key names) and the
    // history of a report too.
    let t = stdout(&dudao().args(["template", "report"]).output().unwrap());
    let comments: String = t
        .lines()
        .filter_map(|l| l.split_once('#').map(|(_, c)| c))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(english(&comments).is_empty(), "{:?}\n{comments}", english(&comments));
    let show = stdout(
        &dudao()
            .args(["report", "show", "R1-2026-10"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(!show.contains("(ok)") && english(&show).is_empty(), "{show}");
}

#[test]
fn english_prints_no_chinese_outside_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    for (cmd, text) in run_all(&db, dir.path(), &["--lang", "en"]) {
        // Unit names, item titles and file names are data; take them out.
        let mut rest = text.clone();
        for data in [
            "科技厅",
            "文化厅",
            "火星厅",
            "待批复",
            "科技型中小企业",
            "强化政策延续，自治区级科技企业…",
        ] {
            rest = rest.replace(data, "");
        }
        let lines: Vec<&str> = rest.lines().filter(|l| chinese(l) && !l.contains(".toml")).collect();
        assert!(lines.is_empty(), "{cmd}: Chinese outside data: {lines:?}\n{text}");
    }
    let _ = repo_root();
}
