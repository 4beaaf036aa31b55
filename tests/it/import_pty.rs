//! Report files arriving while a console runs: the real binary in a
//! pseudo-terminal on a temporary database, with its drop folder; files are
//! written into the folder and the screen shows them without a key press.

use crate::common::pty;

use std::path::{Path, PathBuf};

use crate::common::{repo_root, sample_copy};
use pty::Pty;

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/reports").join(name)
}

/// A temporary database and a config naming its drop folder.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let drop = dir.path().join("drop");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("inbox_dir = {:?}\n", drop.display().to_string())).unwrap();
    (dir, db, drop, config)
}

fn start(db: &Path, config: &Path) -> Pty {
    let mut t = Pty::console(db, &["--config", config.to_str().unwrap(), "--today", "2026-11-30"]);
    t.wait_until("the inbox", pty::default_timeout(), |s| {
        s.contains("◀ 2026-10 月报 ▶") && s.lines().last().is_some_and(|l| l.contains("? 帮助"))
    });
    t
}

/// Writes `name` into the folder the way an upload does: under a
/// temporary name, then renamed.
fn deliver(drop: &Path, name: &str) {
    std::fs::create_dir_all(drop).unwrap();
    let part = drop.join(format!("{name}.part"));
    std::fs::copy(fixture(name), &part).unwrap();
    std::fs::rename(&part, drop.join(name)).unwrap();
}

fn row<'a>(screen: &'a str, unit: &str) -> &'a str {
    screen.lines().find(|l| l.starts_with(unit)).unwrap_or("")
}

#[test]
fn a_report_dropped_in_the_folder_appears_without_a_key_press() {
    let (_dir, db, drop, config) = setup();
    let mut t = start(&db, &config);
    let s = t.screen();
    assert!(row(&s, "生态环境厅").contains("逾期未报"), "{s}");
    deliver(&drop, "ok-utf8.toml");
    let s = t.wait_until(
        "the report to arrive",
        pty::scaled(std::time::Duration::from_secs(15)),
        |s| row(s, "生态环境厅").contains("补报"),
    );
    assert!(
        s.lines().last().unwrap().contains("收到月报：生态环境厅 2026-10"),
        "{s}"
    );
    // Filed away, imported once.
    assert!(!drop.join("ok-utf8.toml").exists());
    let processed: Vec<_> = std::fs::read_dir(drop.join("processed")).unwrap().collect();
    assert_eq!(processed.len(), 1);

    // A refused file: the message says so, the imports view shows why,
    // Enter shows its sidecar.
    deliver(&drop, "unknown-unit.toml");
    let s = t.wait_until("the refusal", pty::scaled(std::time::Duration::from_secs(15)), |s| {
        s.lines().last().is_some_and(|l| l.contains("拒收 unknown-unit.toml"))
    });
    assert!(s.contains("未知单位"), "{s}");
    t.send(b"I");
    let s = t.wait_for("导入记录");
    let refused = s.lines().find(|l| l.contains("unknown-unit")).unwrap_or("").to_string();
    assert!(refused.contains("拒收"), "{s}");
    assert!(
        s.lines().any(|l| l.contains("ok-utf8.toml") && l.contains("已导入")),
        "{s}"
    );
    t.send(b"\r");
    let s = t.wait_for("隔离说明文件");
    assert!(s.contains("第 2 行第 8 列：未知单位“宇宙管理局”"), "{s}");
    assert!(s.contains("dudao: this file was refused"), "{s}");
    t.esc();
    t.send(b"q");
    assert!(t.wait_exit().success());
}

#[test]
fn a_read_only_console_imports_nothing() {
    let (_dir, db, drop, config) = setup();
    let mut t = Pty::console(
        &db,
        &[
            "--config",
            config.to_str().unwrap(),
            "--today",
            "2026-11-30",
            "--read-only",
        ],
    );
    t.wait_for("只读");
    deliver(&drop, "ok-utf8.toml");
    std::thread::sleep(pty::scaled(std::time::Duration::from_secs(3)));
    assert!(
        drop.join("ok-utf8.toml").exists(),
        "a read-only console leaves files alone"
    );
    t.send(b"q");
    assert!(t.wait_exit().success());
}

/// Escape and bidi payloads inside a report file are stored as sent but
/// never reach the terminal: the console shows them made visible.
#[test]
fn hostile_text_in_a_dropped_file_never_reaches_the_terminal() {
    let (_dir, db, drop, config) = setup();
    let mut t = start(&db, &config);
    deliver(&drop, "escape.json");
    t.wait_until(
        "the report to arrive",
        pty::scaled(std::time::Duration::from_secs(15)),
        |s| s.lines().last().is_some_and(|l| l.contains("收到月报：阿里地区")),
    );
    // Select 阿里地区 and open everything about its report.
    t.send(b"/");
    t.type_text("阿里地区");
    t.send(b"\r");
    t.send(b"\r");
    let s = t.wait_for("PWNED");
    assert!(s.contains("␛]0;PWNED"), "{s}");
    let bytes = t.bytes();
    for bad in [
        &b"\x1b]0;PWNED"[..],
        b"\x1b]8;;",
        b"\x1b]52;",
        "\u{9b}".as_bytes(),
        "\u{202e}".as_bytes(),
        b"\x07",
    ] {
        assert!(!pty::contains_bytes(&bytes, bad), "{bad:?} reached the terminal");
    }
    t.esc();
    t.send(b"q");
    assert!(t.wait_exit().success());
}
