//! The command line through the real binary, on real temporary databases.

use std::collections::BTreeSet;

use crate::common::*;
use rusqlite::types::Value;

fn rows(conn: &rusqlite::Connection, table: &str) -> Vec<Vec<Value>> {
    let mut s = conn
        .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
        .unwrap();
    let n = s.column_count();
    s.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn tables(conn: &rusqlite::Connection) -> Vec<(String, String)> {
    let mut s = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('table','index','trigger') AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn demo_reproduces_sample_db_row_for_row() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = demo_db(dir.path());
    let a = rusqlite::Connection::open_with_flags(&fresh, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let committed = sample_copy(dir.path());
    let b = rusqlite::Connection::open_with_flags(&committed, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let schema = tables(&a);
    assert_eq!(
        schema,
        tables(&b),
        "schema of sample.db differs: regenerate it with `dudao demo --out sample.db`"
    );
    let mut compared = 0;
    for (name, sql) in &schema {
        if !sql.starts_with("CREATE TABLE") {
            continue;
        }
        let (ra, rb) = (rows(&a, name), rows(&b, name));
        assert_eq!(ra.len(), rb.len(), "table {name}: row count differs");
        for (i, (x, y)) in ra.iter().zip(&rb).enumerate() {
            assert_eq!(x, y, "table {name}, row {i} differs");
        }
        compared += ra.len();
    }
    assert!(compared > 10_000, "only {compared} rows compared");
    let uv = |c: &rusqlite::Connection| {
        c.pragma_query_value(None, "user_version", |r| r.get::<_, i32>(0))
            .unwrap()
    };
    assert_eq!(uv(&a), uv(&b));
}

#[test]
fn demo_is_deterministic_and_seed_matters() {
    let dir = tempfile::tempdir().unwrap();
    let p1 = dir.path().join("a.db");
    let p2 = dir.path().join("b.db");
    dudao()
        .args(["demo", "--seed", "7", "--as-of", "2024-03-15", "--out"])
        .arg(&p1)
        .assert()
        .success();
    dudao()
        .args(["demo", "--seed", "8", "--as-of", "2024-03-15", "--out"])
        .arg(&p2)
        .assert()
        .success();
    let out = |p: &std::path::Path| {
        stdout(
            &dudao()
                .args(["export", "reports", "--format", "csv"])
                .arg(p)
                .output()
                .unwrap(),
        )
    };
    let (a, b) = (out(&p1), out(&p2));
    assert_ne!(a, b, "different seeds gave the same reports");
    // Months run 2021-07 through the month before --as-of.
    assert!(a.contains(",2024-02,") && !a.contains(",2024-03,"));
    assert!(a.contains(",2021-07,"));
}

#[test]
fn demo_scale_multiplies_reporting_units() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.db");
    dudao()
        .args(["demo", "--scale", "3", "--as-of", "2022-01-10", "--out"])
        .arg(&p)
        .assert()
        .success();
    let c = rusqlite::Connection::open(&p).unwrap();
    let (base, synth): (i64, i64) = c
        .query_row(
            "SELECT sum(synthetic = 0), sum(synthetic = 1) FROM units WHERE reporting = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(synth, base * 2);
    let named: i64 = c
        .query_row(
            "SELECT count(*) FROM units WHERE synthetic = 1 AND name LIKE '%（模拟%）'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(named, synth);
    dudao().arg("check").arg(&p).assert().success();
}

/// Every unit the policy's brackets name, read straight from the text.
fn bracket_names() -> Vec<(u32, String, &'static str)> {
    let text = std::fs::read_to_string(repo_root().join("assets/xizang-shuangchuang-2021.txt")).unwrap();
    let mut out = Vec::new();
    let mut article = 0;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('（') && l.contains('）') && l.len() < 80 {
            article += 1;
        }
        let Some(start) = l.find("〔牵头单位") else {
            continue;
        };
        let inner = &l[start + '〔'.len_utf8()..l.find('〕').unwrap()];
        for clause in inner.split('；') {
            let (role, list) = clause.split_once(':').unwrap();
            let role = if role == "牵头单位" { "lead" } else { "partner" };
            let mut depth = 0;
            let mut cur = String::new();
            for c in list.chars().chain(['、']) {
                match c {
                    '（' => depth += 1,
                    '）' => depth -= 1,
                    '、' | '，' if depth == 0 => {
                        out.push((article, std::mem::take(&mut cur), role));
                        continue;
                    }
                    _ => {}
                }
                cur.push(c);
            }
        }
    }
    out
}

#[test]
fn matrix_csv_lists_every_named_unit_and_expands_collectives() {
    let out = dudao()
        .args(["export", "matrix", "--format", "csv"])
        .arg(repo_root().join("sample.db"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = stdout(&out);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("article_no,article_title,unit,role,via"));
    let rows: Vec<Vec<String>> = lines.map(|l| l.split(',').map(String::from).collect()).collect();
    let direct: BTreeSet<(u32, String, String)> = rows
        .iter()
        .filter(|r| r[4].is_empty())
        .map(|r| (r[0].parse().unwrap(), r[2].clone(), r[3].clone()))
        .collect();
    let names = bracket_names();
    assert!(names.len() > 90, "{} names parsed from the text", names.len());
    // A name is present as written, or (拉萨市人民政府, 各成员单位 spellings) as the unit it denotes.
    let same = |written: &str| match written {
        "拉萨市人民政府" => "拉萨市".to_string(),
        "区党委组织部" => "区党委组织部（编办）".to_string(),
        "自治区“双创”领导小组各成员单位" => "自治区推进“双创”领导小组各成员单位".to_string(),
        w => w.to_string(),
    };
    for (article, name, role) in &names {
        assert!(
            direct.contains(&(*article, same(name), role.to_string())),
            "article {article}: {role} {name} missing from the matrix"
        );
    }
    // Collectives expand to their members with `via` set.
    let via = |article: &str, collective: &str| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| r[0] == article && r[4] == collective)
            .map(|r| r[2].clone())
            .collect()
    };
    let prefectures: BTreeSet<String> = ["拉萨市", "日喀则市", "昌都市", "林芝市", "山南市", "那曲市", "阿里地区"]
        .map(String::from)
        .into();
    assert_eq!(via("12", "各地（市）行署（人民政府）"), prefectures);
    assert_eq!(via("12", "各高新区管委会").len(), 5);
    assert!(via("17", "自治区推进“双创”领导小组各成员单位").contains("科技厅"));
    assert_eq!(
        via("20", "自治区推进“双创”领导小组各成员单位"),
        via("17", "自治区推进“双创”领导小组各成员单位")
    );
    assert!(via("16", "自治区科技领导小组各成员单位").contains("地震局"));
    assert!(rows.iter().all(|r| r[0].parse::<u32>().unwrap() >= 4));
}

#[test]
fn exports_in_every_format() {
    let db = repo_root().join("sample.db");
    for view in [
        "articles",
        "units",
        "matrix",
        "measures",
        "targets",
        "reports",
        "authority",
    ] {
        for format in ["csv", "json", "md", "table"] {
            let out = dudao()
                .args(["export", view, "--format", format])
                .arg(&db)
                .output()
                .unwrap();
            assert!(out.status.success(), "{view} {format}: {}", stderr(&out));
            let text = stdout(&out);
            assert!(text.lines().count() > 2, "{view} {format} is nearly empty");
            if format == "json" {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert!(!v.as_array().unwrap().is_empty());
            }
        }
    }
    let targets = stdout(
        &dudao()
            .args(["export", "targets", "--format", "json"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let v: serde_json::Value = serde_json::from_str(&targets).unwrap();
    let turnover = v
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "tech_market_turnover")
        .unwrap();
    assert_eq!(turnover["target"].as_f64(), Some(150.0));
    assert_eq!(turnover["unit"], "亿元");
}

#[test]
fn export_csv_defuses_formulas_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "UPDATE reports SET summary = '=HYPERLINK(\"http://x\",\"y\")' WHERE id = 1",
        [],
    )
    .unwrap();
    c.execute(
        "UPDATE reports SET return_reason = '\u{1b}]0;PWNED\u{7}abc' WHERE id = 1",
        [],
    )
    .unwrap();
    drop(c);
    let out = stdout(
        &dudao()
            .args(["export", "reports", "--format", "csv"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(out.contains("\"'=HYPERLINK("), "formula not defused");
    assert!(!out.contains('\u{1b}'), "escape sequence passed through");
    let table = stdout(
        &dudao()
            .args(["export", "reports", "--format", "table"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(!table.contains('\u{1b}'));
}

#[test]
fn check_passes_on_sample_and_fails_on_broken_invariants() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let out = dudao_en().arg("check").arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("ok    integrity_check"));
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "UPDATE reports SET version_no = 3 WHERE id = (SELECT max(id) FROM reports)",
        [],
    )
    .unwrap();
    drop(c);
    let out = dudao().arg("check").arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // In the default language, Chinese.
    assert!(
        stdout(&out).contains("FAIL  月报版本号从 1 连续编号"),
        "{}",
        stdout(&out)
    );
}

fn assert_refused(path: &std::path::Path, expect: &str) {
    let before = std::fs::read(path).ok();
    for args in [vec!["check"], vec!["export", "units"]] {
        let out = dudao().arg("--lang").arg("en").args(&args).arg(path).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?} {path:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "not one line: {err}");
        assert!(stdout(&out).is_empty());
    }
    assert_eq!(std::fs::read(path).ok(), before, "{path:?} was changed");
}

#[test]
fn bad_database_paths_get_one_clear_line_and_are_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("notes.txt"), "这不是数据库\n").unwrap();
    assert_refused(&d.join("notes.txt"), "not an SQLite database");
    std::fs::write(d.join("empty.db"), "").unwrap();
    assert_refused(&d.join("empty.db"), "empty file");
    assert_refused(d, "is a directory");
    assert_refused(&d.join("missing.db"), "no such file");
    assert!(!d.join("missing.db").exists(), "a missing database was created");

    let sample = std::fs::read(repo_root().join("sample.db")).unwrap();
    std::fs::write(d.join("truncated.db"), &sample[..sample.len() / 2]).unwrap();
    assert_refused(&d.join("truncated.db"), "truncated");

    let other = d.join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x);")
        .unwrap();
    assert_refused(&other, "not a dudao one");

    let newer = sample_copy(d);
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    assert_refused(&newer, "newer than this dudao");
}

#[test]
fn init_creates_from_the_bundled_policy_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let out = dudao().arg("init").arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("20 条"), "{}", stderr(&out));
    dudao().arg("check").arg(&db).assert().success();
    let before = std::fs::read(&db).unwrap();
    let out = dudao().args(["--lang", "en", "init"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("already exists"));
    let out = dudao().arg("init").arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("已存在，不会覆盖"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let out = dudao().args(["demo", "--out"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    // The policy title is recorded, and no temporary files are left behind.
    let c = rusqlite::Connection::open(&db).unwrap();
    let title: String = c
        .query_row("SELECT value FROM meta WHERE key = 'policy_title'", [], |r| r.get(0))
        .unwrap();
    assert!(title.contains("“双创”升级版"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("dudao-tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn init_refuses_a_malformed_policy_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo_root().join("assets/xizang-shuangchuang-2021.txt")).unwrap();
    let cases = [
        (
            text.replacen("〔牵头单位:科技厅；配合单位:各地（市）行署（人民政府）〕", "", 1),
            "no division-of-labour bracket",
        ),
        (text.replacen("各高新区管委会〕", "各高新区管委会", 1), "unclosed 〔"),
        (
            text.replacen("配合单位:发展改革委、教育厅", "协办单位:发展改革委、教育厅", 1),
            "协办单位",
        ),
        (text.replacen("科技厅、文化厅", "科技厅、、文化厅", 1), "empty unit"),
    ];
    for (i, (bad, expect)) in cases.iter().enumerate() {
        assert_ne!(bad, &text, "case {i} did not change the text");
        let p = dir.path().join(format!("bad{i}.txt"));
        std::fs::write(&p, bad).unwrap();
        let db = dir.path().join(format!("bad{i}.db"));
        let out = dudao().args(["init", "--policy"]).arg(&p).arg(&db).output().unwrap();
        assert_eq!(out.status.code(), Some(4), "case {i}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(expect) && err.contains("line "), "case {i}: {err}");
        assert!(!db.exists(), "case {i}: a database was created");
    }
}

#[test]
fn init_reads_another_policy_of_the_same_shape() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("next.txt");
    std::fs::write(
        &p,
        "关于印发某某方案的通知\n一、总体要求\n（一）目标。\n到2030年完成。\n二、重点任务\n（二）建设平台。\n建设一批平台。完善机制。〔牵头单位：科技厅、新设局（分局）；配合单位：各高新区管委会〕\n",
    )
    .unwrap();
    let db = dir.path().join("next.db");
    let out = dudao().args(["init", "--policy"]).arg(&p).arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("新设局"),
        "unknown unit not reported: {}",
        stderr(&out)
    );
    let csv = stdout(
        &dudao()
            .args(["export", "matrix", "--format", "csv"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(csv.contains("2,建设平台,新设局（分局）,lead,"));
    assert!(csv.contains("2,建设平台,那曲高新区,partner,各高新区管委会"));
    let measures = stdout(
        &dudao()
            .args(["export", "measures", "--format", "csv"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(measures.contains("完善机制。"));
}

#[test]
fn two_database_paths_that_differ_are_refused() {
    let out = dudao()
        .args(["--lang", "en", "check", "a.db", "--db", "b.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("two different databases"));
    let out = dudao().args(["check", "a.db", "--db", "b.db"]).output().unwrap();
    assert!(stderr(&out).contains("两个不同的数据库"), "{}", stderr(&out));
}

#[test]
fn console_without_a_terminal_refuses_clearly() {
    let out = dudao().arg(repo_root().join("sample.db")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("控制台需要终端"), "{}", stderr(&out));
    let out = dudao()
        .arg("--lang=en")
        .arg(repo_root().join("sample.db"))
        .output()
        .unwrap();
    assert!(stderr(&out).contains("needs a terminal"), "{}", stderr(&out));
}

#[test]
fn help_everywhere_and_completions() {
    for cmd in [
        vec![],
        vec!["init"],
        vec!["demo"],
        vec!["export"],
        vec!["check"],
        vec!["config"],
        vec!["completions"],
    ] {
        let out = dudao().args(&cmd).arg("--help").output().unwrap();
        assert!(out.status.success(), "{cmd:?}");
        assert!(stdout(&out).contains("用法："), "{cmd:?}");
        let out = dudao()
            .args(["--lang", "en"])
            .args(&cmd)
            .arg("--help")
            .output()
            .unwrap();
        assert!(out.status.success(), "{cmd:?}");
        assert!(stdout(&out).contains("Usage:"), "{cmd:?}");
    }
    for shell in ["bash", "zsh", "fish"] {
        let out = dudao().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        assert!(stdout(&out).contains("export"), "{shell}");
    }
    let out = dudao()
        .args(["demo", "--as-of", "2026-02-30", "--out", "/tmp/never.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--as-of：不是日期"), "{}", stderr(&out));
}

#[test]
fn config_prints_effective_settings_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "report_due_day = 8\n").unwrap();
    let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("dudao"));
    let out = c
        .args(["--config"])
        .arg(&cfg)
        .args(["--lang", "en", "config"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with("report_due_day ")
            && l.contains("= 8 ")
            && l.ends_with(&format!("# {}", cfg.display()))),
        "{text}"
    );
    // The output is valid TOML that the config reader accepts.
    let pasted = dir.path().join("pasted.toml");
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&pasted, body).unwrap();
    let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("dudao"));
    c.args(["--config"]).arg(&pasted).arg("config").assert().success();
    assert!(
        text.lines()
            .any(|l| l.starts_with("lang") && l.contains("command line")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("theme") && l.contains("default")),
        "{text}"
    );
    std::fs::write(&cfg, "[keys]\nsort = \"q\"\n").unwrap();
    let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("dudao"));
    let out = c.args(["--config"]).arg(&cfg).arg("config").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a key clash must be refused");
    assert!(stderr(&out).contains("bound to both"), "{}", stderr(&out));
    std::fs::write(&cfg, "report_due_day = 8\nbogus = 1\n").unwrap();
    let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("dudao"));
    let out = c.args(["--config"]).arg(&cfg).arg("config").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("line 2") && stderr(&out).contains("bogus"),
        "{}",
        stderr(&out)
    );
}

/// RELIABILITY.md, crash consistency: `demo` killed with SIGKILL at random
/// moments never leaves a database (let alone a half-made one) at its
/// target path, and the next run succeeds.
#[test]
fn killing_demo_never_leaves_a_half_made_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big.db");
    for (i, delay_ms) in [50u64, 150, 300, 600].into_iter().enumerate() {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("dudao"))
            .args(["--no-config", "demo", "--scale", "20", "--out"])
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        if finished {
            // It completed before the kill: the file must then be whole.
            dudao().arg("check").arg(&out).assert().success();
            std::fs::remove_file(&out).unwrap();
        } else {
            assert!(
                !out.exists(),
                "run {i}: a database appeared at the target after SIGKILL"
            );
        }
    }
    dudao()
        .args(["demo", "--as-of", "2022-03-01", "--out"])
        .arg(&out)
        .assert()
        .success();
    dudao().arg("check").arg(&out).assert().success();
    // The killed runs' temporary files were cleared by the run that succeeded.
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dudao-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The command line speaks Chinese by default: opening errors, `--help`,
/// `dudao config` (aligned by display width, Chinese paths too); English
/// with `--lang en` or LANGUAGE=en….
#[test]
fn the_command_line_speaks_chinese_by_default_and_english_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("无此文件.db");
    let out = dudao().arg("check").arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("文件不存在"), "{}", stderr(&out));
    let fifo = dir.path().join("管道.db");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let out = dudao().arg("check").arg(&fifo).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("不是普通文件"), "{}", stderr(&out));
    let out = dudao()
        .env("LANGUAGE", "en_US:en")
        .arg("check")
        .arg(&missing)
        .output()
        .unwrap();
    assert!(stderr(&out).contains("no such file"), "{}", stderr(&out));
    let out = dudao().args(["--lang", "en", "check"]).arg(&missing).output().unwrap();
    assert!(stderr(&out).contains("no such file"), "{}", stderr(&out));

    let help = stdout(&dudao().arg("--help").output().unwrap());
    for words in ["用法：", "命令", "选项", "到期预警", "打印帮助"] {
        assert!(help.contains(words), "{words}: {help}");
    }
    let help = stdout(&dudao().args(["report", "--help"]).output().unwrap());
    assert!(help.contains("退回修改"), "{help}");

    // `config`: the `=` and the `#` of every setting line up on screen.
    let cfg = dir.path().join("配置.toml");
    std::fs::write(&cfg, "db = \"/srv/双创办/督导.db\"\nreport_due_day = 8\n").unwrap();
    let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("dudao"));
    let out = c.arg("--config").arg(&cfg).arg("config").output().unwrap();
    let text = stdout(&out);
    assert!(text.starts_with("# 配置文件："), "{text}");
    let cols = |ch: char| -> Vec<usize> {
        text.lines()
            .filter(|l| !l.starts_with('#') && l.contains(" = "))
            .map(|l| dudao::text::width(&l[..l.find(ch).unwrap()]))
            .collect()
    };
    let (eq, hash) = (cols('='), cols('#'));
    assert!(eq.len() >= 8 && eq.iter().all(|&c| c == eq[0]), "{eq:?}\n{text}");
    assert!(hash.iter().all(|&c| c == hash[0]), "{hash:?}\n{text}");
    assert!(text.contains("# 默认"), "{text}");
}

/// `--help` in Chinese fits an 80-column terminal: every line, measured in
/// display columns (a CJK character is two), for the program and each
/// command.
#[test]
fn chinese_help_fits_eighty_columns() {
    let _text = text_shared();
    let top = stdout(&dudao().env("COLUMNS", "80").arg("--help").output().unwrap());
    let mut commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("命令"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'))
        .collect();
    commands.dedup();
    assert!(commands.len() > 15, "{top}");
    for cmd in std::iter::once(None).chain(commands.iter().map(Some)) {
        let mut c = dudao();
        c.env("COLUMNS", "80");
        if let Some(cmd) = cmd {
            c.arg(cmd);
        }
        let text = stdout(&c.arg("--help").output().unwrap());
        for line in text.lines() {
            assert!(
                dudao::text::width(line) <= 80,
                "{cmd:?}: a line of {} columns:\n{line}",
                dudao::text::width(line)
            );
        }
    }
}
