//! `dudao import` and `dudao template` through the real binary, on copies of
//! sample.db, with the committed fixtures in tests/fixtures/reports/ and
//! files made on the spot (oversized, a directory, a symlink, a FIFO):
//! each outcome's exit code, message, folder and database effect.

use std::path::{Path, PathBuf};

use crate::common::*;
use rusqlite::Connection;

struct Env {
    _dir: tempfile::TempDir,
    db: PathBuf,
    drop: PathBuf,
    root: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let drop = dir.path().join("drop");
    let root = dir.path().to_path_buf();
    Env {
        _dir: dir,
        db,
        drop,
        root,
    }
}

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/reports").join(name)
}

impl Env {
    fn import(&self, files: &[&Path]) -> std::process::Output {
        dudao_en()
            .args(["--today", "2026-11-30", "--db"])
            .arg(&self.db)
            .args(["import", "--inbox"])
            .arg(&self.drop)
            .args(files)
            .output()
            .unwrap()
    }

    fn conn(&self) -> Connection {
        Connection::open(&self.db).unwrap()
    }

    /// Everything a report file can change, as one comparable text.
    fn data(&self) -> String {
        let c = self.conn();
        let mut out = String::new();
        for q in [
            "SELECT id, unit_id, month, version_no, status, summary, latest, version FROM reports ORDER BY id",
            "SELECT id, report_id, article_no, progress, status FROM report_items ORDER BY id",
            "SELECT unit_id, period, target_code, value, report_id FROM indicator_values ORDER BY 1, 2, 3",
            "SELECT report_id, target_code, value FROM report_values ORDER BY 1, 2",
            "SELECT id, sha256 FROM imports ORDER BY id",
        ] {
            let mut s = c.prepare(q).unwrap();
            let n = s.column_count();
            let rows = s
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap();
            for r in rows {
                out.push_str(&r.unwrap());
                out.push('\n');
            }
        }
        out
    }

    fn files_in(&self, sub: &str) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.drop.join(sub))
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    fn versions(&self, unit: &str, month: &str) -> Vec<(i64, i64)> {
        let c = self.conn();
        let mut s = c
            .prepare(
                "SELECT r.version_no, r.latest FROM reports r JOIN units u ON u.id = r.unit_id
                 WHERE u.name = ?1 AND r.month = ?2 ORDER BY r.version_no",
            )
            .unwrap();
        s.query_map([unit, month], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
}

#[test]
fn good_files_are_imported_in_every_encoding_and_format() {
    for (name, unit, enc, fmt) in [
        ("ok-utf8.toml", "生态环境厅", "utf-8", "toml"),
        ("ok-bom.json", "银保监局", "utf-8-bom", "json"),
        ("ok-gb18030.toml", "那曲市", "gb18030", "toml"),
    ] {
        let e = env();
        let out = e.import(&[&fixture(name)]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("imported: {unit} 2026-10, version 1")),
            "{name}: {err}"
        );
        assert_eq!(e.versions(unit, "2026-10"), vec![(1, 1)], "{name}");
        // A file named on the command line stays; a copy is kept in processed/.
        assert!(fixture(name).exists());
        let kept = e.files_in("processed");
        assert_eq!(kept.len(), 1, "{name}");
        assert!(kept[0].ends_with(name));
        assert_eq!(
            std::fs::read(e.drop.join("processed").join(&kept[0])).unwrap(),
            std::fs::read(fixture(name)).unwrap()
        );
        let (logged_enc, logged_fmt, result, source): (String, String, String, String) = e
            .conn()
            .query_row(
                "SELECT l.encoding, l.format, l.result, r.source FROM intake_log l JOIN reports r ON r.id = l.report_id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            (
                logged_enc.as_str(),
                logged_fmt.as_str(),
                result.as_str(),
                source.as_str()
            ),
            (enc, fmt, "imported", "file")
        );
        // The inbox shows it as received and unread, with its progress.
        let show = dudao()
            .args(["--today", "2026-11-30", "--db"])
            .arg(&e.db)
            .args(["report", "show", &format!("{unit}/2026-10")])
            .output()
            .unwrap();
        assert!(show.status.success());
        assert!(stdout(&show).contains("版本 1"), "{}", stdout(&show));
    }
}

#[test]
fn an_indicator_table_sets_the_figures_and_skips_empty_cells() {
    let e = env();
    let out = e.import(&[&fixture("indicators.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("那曲高新区 2026-10, 1 indicator value"),
        "{}",
        stderr(&out)
    );
    let v: f64 = e
        .conn()
        .query_row(
            "SELECT v.value FROM indicator_values v JOIN units u ON u.id = v.unit_id
             WHERE u.name = '那曲高新区' AND v.period = '2026-10' AND v.target_code = 'tech_market_turnover'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v, 0.8);
}

#[test]
fn each_bad_file_is_refused_with_its_reason_and_place_and_quarantined() {
    type Case<'a> = (&'a str, &'a str, Option<(usize, usize)>);
    let cases: &[Case] = &[
        (
            "bad-bytes.toml",
            "invalid bytes: neither UTF-8 nor GB18030",
            Some((1, 9)),
        ),
        ("empty.toml", "the file is empty", None),
        (
            "wrong-schema.json",
            "progress: expected array of tables, found table",
            Some((5, 15)),
        ),
        ("unknown-unit.toml", "unknown unit \"宇宙管理局\"", Some((2, 8))),
        ("unknown-article.toml", "the policy has no article 99", Some((18, 11))),
        (
            "unknown-indicator.toml",
            "unknown indicator \"幸福指数\"",
            Some((25, 13)),
        ),
        ("bad-number.toml", "\"三点二\" is not a number", Some((26, 9))),
        ("missing-field.toml", "required field summary is missing", Some((1, 1))),
        (
            "month-outside.toml",
            "2027-03 is outside the reporting schedule",
            Some((3, 9)),
        ),
        ("report.docx", "a Word .docx or Excel .xlsx", None),
    ];
    for (name, reason, place) in cases {
        let e = env();
        let before = e.data();
        let out = e.import(&[&fixture(name)]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{name}: {err}");
        assert!(err.contains(reason), "{name}: {err}");
        if let Some((l, c)) = place {
            assert!(err.contains(&format!("line {l}, column {c}:")), "{name}: {err}");
        }
        assert_eq!(e.data(), before, "{name}: the database changed");
        // Quarantined with a sidecar; nothing in processed/; the original stays.
        let q = e.files_in("quarantine");
        assert_eq!(q.len(), 2, "{name}: {q:?}");
        assert!(q[0].ends_with(name) && q[1].ends_with(".reason.txt"), "{q:?}");
        assert!(e.files_in("processed").is_empty());
        assert!(fixture(name).exists());
        let side = std::fs::read_to_string(e.drop.join("quarantine").join(&q[1])).unwrap();
        assert!(side.contains(reason), "{name}: {side}");
        assert!(side.contains("原因"), "{side}");
        assert!(side.contains(&format!("user:     {}", whoami())), "{side}");
        if let Some((l, c)) = place {
            assert!(side.contains(&format!("line:     {l}\n")) && side.contains(&format!("column:   {c}\n")));
        }
        // The refusal is logged and audited.
        let (logged, audited): (i64, i64) = e
            .conn()
            .query_row(
                "SELECT (SELECT count(*) FROM intake_log WHERE result = 'refused'),
                        (SELECT count(*) FROM audit_log WHERE action = 'import' AND result = 'rejected')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((logged, audited), (1, 1), "{name}");
    }
}

fn whoami() -> String {
    let out = std::process::Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn what_is_not_a_regular_file_or_too_big_is_refused() {
    let e = env();
    let dir = e.root.join("a-directory.toml");
    std::fs::create_dir(&dir).unwrap();
    let link = e.root.join("link.toml");
    std::os::unix::fs::symlink(fixture("ok-utf8.toml"), &link).unwrap();
    let fifo = e.root.join("pipe.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let big = e.root.join("big.toml");
    let mut text = std::fs::read_to_string(fixture("ok-utf8.toml")).unwrap();
    while text.len() <= 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&big, text).unwrap();
    let before = e.data();
    let out = e.import(&[&dir, &link, &fifo, &big]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    for msg in [
        "a-directory.toml: refused: not a regular file (a directory)",
        "link.toml: refused: not a regular file (a symlink)",
        "pipe.toml: refused: not a regular file (a fifo)",
        "big.toml: refused: too large",
        "0 imported, 0 duplicate, 4 refused",
    ] {
        assert!(err.contains(msg), "{msg}: {err}");
    }
    assert_eq!(e.data(), before);
    // The link's target was never read; nothing was followed or deleted.
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(dir.is_dir() && fifo.exists() && big.exists());
}

#[test]
fn the_same_bytes_twice_are_a_duplicate_and_a_new_file_is_a_new_version() {
    let e = env();
    assert_eq!(e.import(&[&fixture("ok-utf8.toml")]).status.code(), Some(0));
    let after_first = e.data();
    let again = e.import(&[&fixture("ok-utf8.toml")]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("duplicate: the same bytes were imported"),
        "{}",
        stderr(&again)
    );
    assert_eq!(e.data(), after_first, "a duplicate changes nothing");
    assert_eq!(e.versions("生态环境厅", "2026-10"), vec![(1, 1)]);

    let out = e.import(&[&fixture("resubmission.toml")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("version 2"));
    // The earlier version stays, superseded.
    assert_eq!(e.versions("生态环境厅", "2026-10"), vec![(1, 0), (2, 1)]);
    let c = e.conn();
    let sent: Vec<f64> = c
        .prepare(
            "SELECT v.value FROM report_values v JOIN reports r ON r.id = v.report_id
             JOIN units u ON u.id = r.unit_id WHERE u.name = '生态环境厅' AND r.month = '2026-10'
             ORDER BY r.version_no",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(sent, vec![3.2, 3.4], "each version keeps the values it was sent with");
    // The audit has one import per version and the duplicate.
    let n: i64 = c
        .query_row("SELECT count(*) FROM audit_log WHERE action = 'import'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(n, 3);
    // `report show` lists both versions.
    let show = dudao_en()
        .args(["--today", "2026-11-30", "--db"])
        .arg(&e.db)
        .args(["report", "show", "生态环境厅/2026-10"])
        .output()
        .unwrap();
    let text = stdout(&show);
    assert!(text.contains("Versions"), "{text}");
    assert!(text.contains("v1") && text.contains("v2"), "{text}");
}

#[test]
fn the_drop_folder_is_imported_when_no_file_is_named() {
    let e = env();
    std::fs::create_dir_all(&e.drop).unwrap();
    for n in ["ok-utf8.toml", "unknown-unit.toml"] {
        std::fs::copy(fixture(n), e.drop.join(n)).unwrap();
    }
    // A file still being uploaded is left alone.
    std::fs::write(e.drop.join("half.toml.part"), "unit = ").unwrap();
    let out = e.import(&[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    // Files in the folder are moved, not copied.
    assert!(!e.drop.join("ok-utf8.toml").exists());
    assert!(!e.drop.join("unknown-unit.toml").exists());
    assert!(e.drop.join("half.toml.part").exists());
    assert_eq!(e.files_in("processed").len(), 1);
    assert_eq!(e.files_in("quarantine").len(), 2);
    // Naming a file that sits in the folder moves it too.
    std::fs::copy(fixture("ok-bom.json"), e.drop.join("b.json")).unwrap();
    let out = e.import(&[&e.drop.join("b.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!e.drop.join("b.json").exists());
    let empty = e.import(&[]);
    assert_eq!(empty.status.code(), Some(0));
    assert!(stderr(&empty).contains("nothing to import"), "{}", stderr(&empty));
}

#[test]
fn untrusted_text_from_a_file_is_stored_as_sent_and_printed_sanitized() {
    let e = env();
    let out = e.import(&[&fixture("escape.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: String = e
        .conn()
        .query_row(
            "SELECT summary FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.name = '阿里地区' AND r.month = '2026-10'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(summary.contains("\u{1b}]0;PWNED\u{7}"), "stored as sent");
    for args in [
        vec!["report", "show", "阿里地区/2026-10"],
        vec!["report", "list", "--month", "2026-10"],
        vec!["report", "list", "--month", "2026-10", "--format", "csv"],
        vec!["export", "reports", "--format", "csv"],
        vec!["export", "reports", "--format", "md"],
    ] {
        let out = dudao_en()
            .args(["--today", "2026-11-30", "--db"])
            .arg(&e.db)
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        for bytes in [&out.stdout, &out.stderr] {
            for bad in [&b"\x1b"[..], "\u{9b}".as_bytes(), "\u{202e}".as_bytes(), b"\x07", b"\r"] {
                assert!(
                    !bytes.windows(bad.len()).any(|w| w == bad),
                    "{args:?} printed {bad:?}: {}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
    }
}

#[test]
fn the_template_imports_as_is_and_a_units_template_once_filled() {
    let e = env();
    let t = dudao_en().args(["template", "report"]).output().unwrap();
    assert!(t.status.success());
    let path = e.root.join("example.toml");
    std::fs::write(&path, &t.stdout).unwrap();
    let out = e.import(&[&path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("科技厅 2026-10"), "{}", stderr(&out));

    let j = dudao_en()
        .args(["template", "report", "--format", "json"])
        .output()
        .unwrap();
    let jpath = e.root.join("example.json");
    // The same content as JSON: a resubmission of the same report (new bytes).
    std::fs::write(&jpath, &j.stdout).unwrap();
    let out = e.import(&[&jpath]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A unit's own template: its articles, empty texts to fill in.
    let u = dudao_en()
        .args(["--today", "2026-11-30", "--db"])
        .arg(&e.db)
        .args(["template", "report", "--unit", "那曲市"])
        .output()
        .unwrap();
    assert!(u.status.success(), "{}", stderr(&u));
    let text = stdout(&u);
    assert!(
        text.contains("unit = \"那曲市\"") && text.contains("month = \"2026-10\""),
        "{text}"
    );
    let articles = text.matches("\n[[progress]]\n").count();
    let assigned: i64 = e
        .conn()
        .query_row(
            "SELECT count(DISTINCT article_no) FROM assignments s JOIN units u ON u.id = s.unit_id WHERE u.name = '那曲市'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(articles as i64, assigned);
    // As printed it is refused: the summary is empty.
    let raw = e.root.join("naqu.toml");
    std::fs::write(&raw, &text).unwrap();
    let out = e.import(&[&raw]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("required field summary"), "{}", stderr(&out));
    // Filled in, it imports.
    let filled = text
        .replacen("summary = \"\"\"\n\"\"\"", "summary = \"本月工作概述\"", 1)
        .replace("progress = \"\"", "progress = \"按计划推进\"");
    let path = e.root.join("naqu-filled.toml");
    std::fs::write(&path, filled).unwrap();
    let out = e.import(&[&path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let items: i64 = e
        .conn()
        .query_row(
            "SELECT count(*) FROM report_items i JOIN reports r ON r.id = i.report_id JOIN units u ON u.id = r.unit_id
             WHERE u.name = '那曲市' AND r.month = '2026-10' AND r.latest = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(items as usize, articles);
    // Unknown units and units that send no reports are refused.
    let out = dudao_en()
        .arg("--db")
        .arg(&e.db)
        .args(["template", "report", "--unit", "宇宙管理局"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn a_read_only_database_refuses_the_import_and_keeps_the_file() {
    let e = env();
    let src = e.root.join("r.toml");
    std::fs::copy(fixture("ok-utf8.toml"), &src).unwrap();
    let out = dudao_en()
        .args(["--read-only", "--db"])
        .arg(&e.db)
        .args(["import", "--inbox"])
        .arg(&e.drop)
        .arg(&src)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(src.exists());
}

fn out_json(args: &[&str], db: &Path) -> (serde_json::Value, String) {
    let out = dudao_en()
        .args(["--today", "2026-11-30", "--db"])
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    (
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out))),
        stderr(&out),
    )
}

/// `report list` says whether each report came on time and the month's
/// rate; `export reports` counts working days late; `export ontime` gives
/// each unit's rate over twelve months, as the console's grid does.
#[test]
fn on_time_figures_in_the_list_and_the_exports() {
    let e = env();
    let (rows, err) = out_json(&["report", "list", "--format", "json"], &e.db);
    let rows = rows.as_array().unwrap();
    let counted: Vec<&serde_json::Value> = rows.iter().filter(|r| !r["on_time"].is_null()).collect();
    let ok = counted.iter().filter(|r| r["on_time"] == "yes").count();
    assert!(
        err.contains(&format!(
            "2026-10: {ok} of {} reports due arrived on time",
            counted.len()
        )),
        "{err}"
    );
    for r in rows {
        let expect = match r["status"].as_str().unwrap() {
            "pending" | "closed" => serde_json::Value::Null,
            "missing" => "no".into(),
            _ if r["days_late"] == 0 => "yes".into(),
            _ => "no".into(),
        };
        assert_eq!(r["on_time"], expect, "{r}");
    }
    // The report due Sunday 2021-12-05 and received Monday is on time.
    let (all, _) = out_json(&["export", "reports", "--format", "json"], &e.db);
    let r8 = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == "商务厅" && r["month"] == "2021-11" && r["version_no"] == 1)
        .unwrap();
    assert_eq!(
        (
            r8["due_date"].as_str(),
            r8["days_late"].as_i64(),
            r8["on_time"].as_str()
        ),
        (Some("2021-12-06"), Some(0), Some("yes")),
        "{r8}"
    );
    let (rates, _) = out_json(&["export", "ontime", "--format", "json"], &e.db);
    let kjt = rates
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == "科技厅")
        .unwrap();
    assert_eq!(
        (kjt["from"].as_str(), kjt["to"].as_str()),
        (Some("2025-11"), Some("2026-10"))
    );
    let (counted, ok, late, missing) = (
        kjt["counted"].as_i64().unwrap(),
        kjt["on_time"].as_i64().unwrap(),
        kjt["late"].as_i64().unwrap(),
        kjt["missing"].as_i64().unwrap(),
    );
    assert_eq!(counted, ok + late + missing);
    let rate = kjt["rate"].as_f64().unwrap();
    assert!((rate - ok as f64 * 100.0 / counted as f64).abs() < 0.06, "{kjt}");
}
