//! Hostile input from other units' files: zero-width characters that let
//! "科\u{200b}技厅" pose as 科技厅, and cells a spreadsheet would run.

use crate::common::*;

fn import(db: &std::path::Path, dir: &std::path::Path, name: &str, text: &str) -> std::process::Output {
    let f = dir.join(name);
    std::fs::write(&f, text).unwrap();
    dudao()
        .args(["--today", "2026-11-30", "--db"])
        .arg(db)
        .args(["import", "--inbox"])
        .arg(dir.join("drop"))
        .arg(&f)
        .output()
        .unwrap()
}

const REPORT: &str = "unit = \"UNIT\"\nmonth = \"2026-10\"\nsummary = \"SUMMARY\"\n\n[[progress]]\narticle = 19\nstatus = \"正常\"\nprogress = \"按时报送\"\n";

#[test]
fn a_unit_name_with_a_zero_width_character_is_flagged_at_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    for (i, zw) in ['\u{200b}', '\u{200d}', '\u{2060}', '\u{feff}'].into_iter().enumerate() {
        let text = REPORT.replace("UNIT", &format!("科{zw}技厅")).replace("SUMMARY", "x");
        let out = import(&db, dir.path(), &format!("r{i}.toml"), &text);
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        let err = stderr(&out);
        let code = format!("U+{:04X}", zw as u32);
        assert!(err.contains(&code) && err.contains("不可见字符"), "{err}");
        // The character itself never reaches the terminal.
        assert!(!err.contains(zw), "{err:?}");
    }
}

#[test]
fn exports_make_zero_width_characters_visible_and_neutralise_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let text = REPORT
        .replace("UNIT", "科技厅")
        .replace("SUMMARY", "＝HYPERLINK(\\\"http://x\\\")\u{200b}");
    let out = import(&db, dir.path(), "r.toml", &text);
    assert!(out.status.success(), "{}", stderr(&out));
    for format in ["csv", "table", "md", "json"] {
        let out = dudao()
            .args(["--today", "2026-11-30", "export", "reports", "--format", format])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let s = stdout(&out);
        if format != "json" {
            assert!(!s.contains('\u{200b}'), "{format}: a zero-width space passed");
        }
        if format == "csv" {
            assert!(s.contains("'＝HYPERLINK"), "{format}: formula not neutralised");
        }
    }
}

#[test]
fn a_damaged_policy_is_refused_with_its_line_and_warnings_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let bundled = std::fs::read_to_string(repo_root().join("assets/xizang-shuangchuang-2021.txt")).unwrap();
    // "五、" renumbered "九十九、": refused, naming the line.
    let p = dir.path().join("damaged.txt");
    std::fs::write(&p, bundled.replacen("五、", "九十九、", 1)).unwrap();
    let out = dudao_en()
        .args(["init", "--policy"])
        .arg(&p)
        .arg(dir.path().join("a.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("line 42"), "{}", stderr(&out));
    assert!(!dir.path().join("a.db").exists());
    // Fifteen units the catalog does not know: ten warnings and a count.
    let many: Vec<String> = (1..=15).map(|i| format!("虚构第{i}局")).collect();
    let p = dir.path().join("many.txt");
    std::fs::write(
        &p,
        bundled.replacen("牵头单位:", &format!("牵头单位:{}、", many.join("、")), 1),
    )
    .unwrap();
    let out = dudao_en()
        .args(["init", "--policy"])
        .arg(&p)
        .arg(dir.path().join("b.db"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("dudao: warning:").count(), 10, "{err}");
    assert!(err.contains("… and 5 more warnings"), "{err}");
}

/// Characters that show as a blank or nothing (Hangul fillers, a soft
/// hyphen, a grapheme joiner, a blank Braille pattern) never reach the
/// screen or an export as themselves; Markdown exports show report text
/// literally, never as HTML or a link.
#[test]
fn blank_looking_characters_and_markdown_in_report_text_are_shown_literally() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let blanks = ['\u{3164}', '\u{115f}', '\u{ffa0}', '\u{ad}', '\u{34f}', '\u{2800}'];
    // In a unit name: refused at import, naming the character.
    for (i, b) in blanks.iter().enumerate() {
        let text = REPORT.replace("UNIT", &format!("科技厅{b}")).replace("SUMMARY", "x");
        let out = import(&db, dir.path(), &format!("u{i}.toml"), &text);
        assert_eq!(out.status.code(), Some(4), "{b:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains(*b), "{b:?} reached the terminal");
    }
    let summary: String = blanks.iter().collect::<String>()
        + "<script>alert(1)</script><img src=x onerror=alert(2)>[点此](javascript:alert(3))";
    let text = REPORT.replace("UNIT", "科技厅").replace("SUMMARY", &summary);
    let out = import(&db, dir.path(), "r.toml", &text);
    assert!(out.status.success(), "{}", stderr(&out));
    for format in ["csv", "table", "md"] {
        let out = dudao()
            .args(["--today", "2026-11-30", "export", "reports", "--format", format])
            .arg(&db)
            .output()
            .unwrap();
        let s = stdout(&out);
        for b in blanks {
            assert!(!s.contains(b), "{format}: {b:?} passed");
        }
        assert!(s.contains("U+3164"), "{format}: not made visible");
        if format == "md" {
            // Every `<`, `[` and `]` comes escaped: no tag, no link.
            let b = s.as_bytes();
            for (i, c) in b.iter().enumerate() {
                if matches!(c, b'<' | b'[' | b']') {
                    assert!(i > 0 && b[i - 1] == b'\\', "md: a raw {} at {i}", *c as char);
                }
            }
            assert!(
                s.contains("\\<script\\>") && s.contains("\\](javascript:"),
                "md escaped"
            );
        }
    }
}
