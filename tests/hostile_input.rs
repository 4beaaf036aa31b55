//! Hostile input from other units' files: zero-width characters that let
//! "科\u{200b}技厅" pose as 科技厅, and cells a spreadsheet would run.

mod common;

use common::*;

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
        assert!(err.contains(&code) && err.contains("invisible"), "{err}");
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
