//! Editing journeys end to end: the real binary in a pseudo-terminal on a
//! temporary copy of sample.db, keys as a person types them, the screen as
//! a terminal shows it, and the database afterwards.

use crate::common;
use crate::common::pty;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::sample_copy;
use pty::{Pty, contains_bytes, keys};
use rusqlite::Connection;

const INBOX_MONTH: &str = "◀ 2026-10 月报 ▶";
const CTRL_S: &[u8] = b"\x13";

fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_copy(dir.path());
    (dir, db)
}

fn start(db: &Path) -> Pty {
    let mut t = Pty::console(db, &[]);
    t.wait_until("the inbox", pty::default_timeout(), |s| {
        s.contains(INBOX_MONTH) && s.lines().last().is_some_and(|l| l.contains("? 帮助"))
    });
    t
}

fn footer(s: &str) -> String {
    s.lines().last().unwrap_or("").to_string()
}

fn os_user() -> String {
    let out = std::process::Command::new("id").arg("-un").output().expect("id");
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

fn quit(t: &mut Pty) {
    t.send(b"q");
    let exit = t.wait_exit();
    assert!(exit.success(), "{exit:?}");
}

/// Open a received report, return it with a Chinese reason typed into the
/// editor, save, quit, start again: the report is returned with that
/// reason, and the audit log has the change with the OS user.
#[test]
fn returning_a_report_persists_with_its_reason_and_the_os_user() {
    let (_d, db) = sample();
    let mut t = start(&db);
    t.send(keys::ENTER);
    t.wait_for("科技厅 · 2026-10");
    t.send(b"r");
    t.wait_for("退回月报 · 科技厅 2026-10");
    t.type_text("第5条数据与上月不一致，请核实后重报");
    t.wait_for("18/500");
    t.send(CTRL_S);
    let s = t.wait_until("the result", pty::default_timeout(), |s| {
        footer(s).contains("退回：科技厅 2026-10")
    });
    assert!(
        s.contains("退回原因：第5条数据与上月不一致"),
        "the detail follows:\n{s}"
    );
    assert!(
        !s.lines().next().unwrap_or("").contains('⟳'),
        "own change shown as another's:\n{s}"
    );
    t.esc();
    quit(&mut t);

    let mut t = start(&db);
    let s = t.screen();
    let row = s
        .lines()
        .find(|l| l.starts_with("科技厅"))
        .expect("科技厅 row")
        .to_string();
    assert!(row.contains("↩ 退回"), "{row}");
    assert!(
        s.contains("退回原因：第5条数据与上月不一致，请核实后重报（重报期限 2026-12-07）"),
        "{s}"
    );
    quit(&mut t);

    let c = Connection::open(&db).unwrap();
    let (user, action, result): (String, String, String) = c
        .query_row(
            "SELECT user, action, result FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (user.as_str(), action.as_str(), result.as_str()),
        (os_user().as_str(), "return", "ok")
    );
}

/// Mark three missing units, 催办, confirm once: three reminders.
#[test]
fn three_marked_units_are_chased_with_one_confirmation() {
    let (_d, db) = sample();
    let count = |db: &Path| -> i64 {
        Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM reminders WHERE withdrawn_at IS NULL", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    let before = count(&db);
    let mut t = start(&db);
    t.send(b"/");
    t.type_text("逾期未报");
    t.send(keys::ENTER);
    t.wait_until("only missing rows", pty::default_timeout(), |s| {
        !s.contains("科技厅") && s.contains("✗ 逾期未报") && !footer(s).contains('▏')
    });
    t.send(b"   ");
    t.wait_for("已标记 3");
    t.send(b"c");
    t.wait_for("催办 · 3 项");
    t.send(keys::TAB);
    t.type_text("第三次催办");
    t.send(CTRL_S);
    t.wait_for("催办 3 项？");
    t.send(b"y");
    t.wait_until("the result", pty::default_timeout(), |s| {
        footer(s).contains("催办 3 项：成功 3")
    });
    quit(&mut t);
    assert_eq!(count(&db), before + 3);
}

/// Two consoles on one file: the second decides to accept a report (its
/// question is open, the row as it saw it), the first returns the same
/// report meanwhile; the second's accept is refused, naming the change, and
/// the view shows the report as it is now.
#[test]
fn two_consoles_the_stale_accept_is_refused_and_the_view_reloads() {
    let (_d, db) = sample();
    let mut a = start(&db);
    let mut b = start(&db);
    b.send(b" ");
    b.wait_for("已标记 1");
    b.send(b"k");
    b.send(b"a");
    b.wait_for("将 1 份月报标记为已阅？");

    a.send(b"r");
    a.wait_for("退回月报 · 科技厅 2026-10");
    a.type_text("请补充附表");
    a.send(CTRL_S);
    a.wait_until("A's result", pty::default_timeout(), |s| {
        footer(s).contains("退回：科技厅")
    });

    // B notices the other console's change while its question is open.
    b.wait_for("⟳");
    b.send(b"y");
    let s = b.wait_until("the conflict", pty::default_timeout(), |s| footer(s).contains("未保存"));
    let f = footer(&s);
    assert!(f.contains(&os_user()) && f.contains("退回"), "names who and what: {f}");
    let row = s
        .lines()
        .find(|l| l.starts_with("科技厅"))
        .expect("科技厅 row")
        .to_string();
    assert!(row.contains("↩ 退回"), "the view shows the report as it is: {row}");
    quit(&mut a);
    quit(&mut b);

    let c = Connection::open(&db).unwrap();
    let st: String = c
        .query_row(
            "SELECT status FROM reports WHERE unit_id = (SELECT id FROM units WHERE name = '科技厅') AND month = '2026-10' AND latest = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(st, "returned", "nothing overwritten");
    let conflicts: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'accept' AND result = 'conflict'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(conflicts, 1, "the conflict is in the audit log");
}

/// B types a reason to return a report; A accepts it meanwhile; B saves:
/// nothing is overwritten, and B's form opens again on the row with what
/// was typed and the message naming A's change. Saving again returns the
/// report as it is now.
#[test]
fn a_conflict_keeps_what_was_typed_in_the_form() {
    let (_d, db) = sample();
    let mut b = start(&db);
    b.send(b"r");
    b.wait_for("退回月报 · 科技厅 2026-10");
    b.type_text("请补充第5条附表");
    b.wait_for("8/500");
    let out = common::dudao()
        .args(["report", "accept", "科技厅/2026-10"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    b.send(CTRL_S);
    let s = b.wait_until("the form again", pty::default_timeout(), |s| {
        footer(s).contains("未保存") && s.contains("退回月报 · 科技厅 2026-10")
    });
    assert!(s.contains("请补充第5条附表"), "what was typed is gone:\n{s}");
    assert!(
        footer(&s).contains("标记已阅"),
        "names the other change: {}",
        footer(&s)
    );
    b.send(CTRL_S);
    b.wait_until("saved", pty::default_timeout(), |s| footer(s).contains("退回：科技厅"));
    quit(&mut b);
    let c = Connection::open(&db).unwrap();
    let (st, reason): (String, String) = c
        .query_row(
            "SELECT status, return_reason FROM reports WHERE unit_id = (SELECT id FROM units WHERE name = '科技厅') AND month = '2026-10' AND latest = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((st.as_str(), reason.as_str()), ("returned", "请补充第5条附表"));
}

/// Below the smallest size, q does not throw away a form with something
/// typed in it: the screen says the text is kept and how many keys were
/// not acted on; larger again, the form is there with the text.
#[test]
fn a_too_small_terminal_keeps_a_typed_form_and_says_so() {
    let (_d, db) = sample();
    let mut t = start(&db);
    t.send(b"n");
    t.wait_for("备注");
    t.type_text("电话已核实");
    t.wait_for("5/");
    t.resize(18, 60);
    t.wait_for("保留着");
    t.send(b"q");
    t.send(b"x");
    t.wait_until("the dropped keys counted", pty::default_timeout(), |s| {
        pty::squeeze(s).contains("2个按键未执行")
    });
    assert!(t.try_exit().is_none(), "q threw the form away");
    t.resize(24, 80);
    let s = t.wait_for("电话已核实");
    assert!(!s.contains("按键未执行"), "{s}");
    t.esc();
    t.wait_for("放弃");
}

/// A member of staff who may read the file but not write it (so it is read
/// as an immutable snapshot when nobody else has it open) still sees the
/// others' changes: when the file changes, it is read again.
#[test]
fn a_reader_who_cannot_write_sees_others_changes() {
    use std::os::unix::fs::PermissionsExt;
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let setpriv = std::process::Command::new("setpriv").arg("--help").output().is_ok();
    if !root || !setpriv {
        eprintln!("needs root and setpriv; skipped");
        return;
    }
    let (dir, db) = sample();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let args: Vec<&std::ffi::OsStr> = vec![db.as_os_str()];
    let mut t = Pty::spawn_via(
        24,
        80,
        dir.path(),
        &["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
        &args,
        &[("HOME", "/tmp")],
    );
    let s = t.wait_for(INBOX_MONTH);
    assert!(s.contains("未阅 22"), "{s}");
    let accept = |id: &str| {
        let out = common::dudao()
            .args(["report", "accept", id])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", common::stderr(&out));
    };
    accept("科技厅/2026-10");
    t.wait_for("未阅 21");
    // And while a writer keeps it open (its -wal and -shm are there).
    let writer = Connection::open(&db).unwrap();
    let _: i64 = writer
        .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
        .unwrap();
    accept("文化厅/2026-10");
    t.wait_for("未阅 20");
    drop(writer);
    quit(&mut t);
}

/// Hundreds of size changes with a form open and keys typed in between,
/// down to 20×5 and back: no panic, no exit, and nothing typed is left
/// stuck (keys typed while the terminal is too small are dropped on
/// purpose: only q works then, nothing is done blind).
#[test]
fn a_resize_storm_while_typing_in_a_form_neither_panics_nor_quits() {
    let (_d, db) = sample();
    let mut t = start(&db);
    t.send(b"r");
    t.wait_for("退回月报");
    let sizes = [
        (24, 80),
        (5, 20),
        (48, 160),
        (23, 79),
        (30, 100),
        (1, 1),
        (60, 200),
        (24, 81),
    ];
    for i in 0..300 {
        let (rows, cols) = sizes[i % sizes.len()];
        t.resize(rows, cols);
        if i % 10 == 0 {
            t.type_text("字");
        }
        if i % 50 == 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    t.resize(24, 80);
    t.wait_for("退回月报");
    assert!(t.try_exit().is_none(), "the console quit during the storm");
    // What is typed now arrives at once: nothing is stuck behind the storm.
    t.type_text("终");
    let s = t.wait_until("the last character typed", pty::default_timeout(), |s| {
        s.lines().any(|l| l.contains("字终") || l.contains("│  终"))
    });
    assert!(s.contains("退回月报"), "{s}");
    // Leave without saving: Esc asks, y throws away.
    t.esc();
    t.wait_for("放弃已输入的内容？");
    t.send(b"y");
    t.wait_gone("退回月报");
    let mark = t.byte_count();
    t.send(b"q");
    let exit = t.wait_exit();
    assert!(exit.success(), "{exit:?}");
    assert!(contains_bytes(&t.bytes_since(mark), pty::LEAVE_ALT_SCREEN));
}

/// Defect: text pasted or typed faster than the console read it (more than
/// a kilobyte at once) stayed half-shown until the next key press.
#[test]
fn a_long_paste_arrives_whole_without_another_key() {
    let (_d, db) = sample();
    let mut t = start(&db);
    t.send(b"n");
    t.wait_for("备注 · 科技厅 2026-10");
    let text = "已电话联系".repeat(120); // 600 characters, 1800 bytes
    let mut bytes = b"\x1b[200~".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes.extend_from_slice(b"\x1b[201~");
    t.send(&bytes);
    t.wait_for("600/2000");
    // Typed, not pasted: the same.
    t.esc();
    t.wait_for("放弃已输入的内容？");
    t.send(b"y");
    t.wait_gone("备注 · 科技厅");
    t.send(b"n");
    t.wait_for("备注 · 科技厅 2026-10");
    t.type_text(&"催".repeat(700));
    t.wait_for("700/2000");
    t.esc();
    t.wait_for("放弃已输入的内容？");
    t.send(b"y");
    quit(&mut t);
}

/// Resizes with a detail popup open and while scrolling it.
#[test]
fn a_resize_storm_with_the_detail_open_neither_panics_nor_quits() {
    let (_d, db) = sample();
    let mut t = start(&db);
    t.send(keys::ENTER);
    t.wait_for("科技厅 · 2026-10");
    for i in 0..200 {
        t.resize(if i % 2 == 0 { 24 } else { 48 }, if i % 3 == 0 { 80 } else { 160 });
        if i % 7 == 0 {
            t.send(b"G");
        }
        if i % 11 == 0 {
            t.send(b"g");
        }
    }
    t.resize(24, 80);
    t.wait_for("科技厅 · 2026-10");
    assert!(t.try_exit().is_none());
    t.esc();
    quit(&mut t);
}

/// Read-only: edit keys say so and change nothing.
#[test]
fn read_only_refuses_edit_keys_with_a_message() {
    let (_d, db) = sample();
    let before = std::fs::read(&db).unwrap();
    let mut t = Pty::console(&db, &["--read-only"]);
    t.wait_for(INBOX_MONTH);
    for k in [b"a", b"r", b"c", b"n", b"u"] {
        t.send(k);
        t.wait_until("the read-only message", pty::default_timeout(), |s| {
            footer(s).contains("只读模式：不能修改")
        });
        t.send(b"j");
    }
    quit(&mut t);
    assert!(before == std::fs::read(&db).unwrap(), "the file changed");
}

/// Defect: the writer thread's connection was opened after checking the file
/// with a plain open and close, which dropped the POSIX locks SQLite held
/// for the console; another program that then opened and closed the file
/// thought it was the last user, folded the WAL into the file and deleted
/// it, and the console's later saves went into a deleted file. Lost work.
#[test]
fn another_program_closing_the_file_does_not_lose_the_consoles_saves() {
    let (_d, db) = sample();
    let mut t = start(&db);
    t.send(b"a");
    t.wait_until("the first save", pty::default_timeout(), |s| {
        footer(s).contains("已阅：科技厅")
    });
    // Another program reads the file and closes it: Python's sqlite3 (the
    // system SQLite), as an office script would.
    let script = format!(
        "import sqlite3\nc = sqlite3.connect({:?})\nc.execute('SELECT count(*) FROM reports').fetchall()\nc.close()\n",
        db.display().to_string()
    );
    match std::process::Command::new("python3").args(["-c", &script]).status() {
        Ok(st) => assert!(st.success(), "python3 failed"),
        Err(_) => {
            eprintln!("python3 not available; skipped");
            quit(&mut t);
            return;
        }
    }
    let wal = db.with_extension("db-wal");
    assert!(wal.exists(), "the console's WAL was deleted under it");
    t.send(b"j");
    t.send(b"a");
    t.wait_until("the second save", pty::default_timeout(), |s| {
        footer(s).contains("已阅：文化厅")
    });
    // A new reader sees both saves while the console still runs.
    let c = Connection::open(&db).unwrap();
    let accepted: Vec<String> = {
        let mut s = c
            .prepare(
                "SELECT u.name FROM reports r JOIN units u ON u.id = r.unit_id
                 WHERE r.month = '2026-10' AND r.latest = 1 AND r.status = 'accepted' AND u.name IN ('科技厅', '文化厅')
                 ORDER BY u.sort",
            )
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    drop(c);
    assert_eq!(accepted, ["科技厅", "文化厅"]);
    quit(&mut t);
}

/// After a clean quit the changes are in the database file itself, not only
/// in the WAL beside it (people copy the one file).
#[test]
fn quitting_leaves_every_change_in_the_database_file() {
    let (dir, db) = sample();
    let mut t = start(&db);
    t.send(b"a");
    t.wait_until("the save", pty::default_timeout(), |s| {
        footer(s).contains("已阅：科技厅")
    });
    quit(&mut t);
    let wal = db.with_extension("db-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal_len, 0, "the WAL still holds changes after quitting");
    // The file alone, copied elsewhere, has the change.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let st: String = Connection::open(&copy)
        .unwrap()
        .query_row(
            "SELECT status FROM reports WHERE month = '2026-10' AND latest = 1 AND unit_id = (SELECT id FROM units WHERE name = '科技厅')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(st, "accepted");
}

/// A database file this user may not write opens read-only, saying why,
/// instead of offering edits that then fail in English. Needs root (to run
/// the console as `nobody`) and `setpriv`; skipped otherwise.
#[test]
fn a_file_the_user_cannot_write_opens_read_only_and_says_why() {
    use std::os::unix::fs::PermissionsExt;
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let setpriv = std::process::Command::new("setpriv").arg("--help").output().is_ok();
    if !root || !setpriv {
        eprintln!("needs root and setpriv; skipped");
        return;
    }
    let (dir, db) = sample();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let args: Vec<&std::ffi::OsStr> = vec![db.as_os_str()];
    let mut t = Pty::spawn_via(
        24,
        80,
        dir.path(),
        &["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
        &args,
        &[("HOME", "/tmp")],
    );
    let s = t.wait_for(INBOX_MONTH);
    assert!(s.lines().next().unwrap_or("").contains("只读"), "{s}");
    assert!(!footer(&s).contains("已阅"), "no edit keys offered: {}", footer(&s));
    t.send(b"a");
    t.wait_until("the read-only message", pty::default_timeout(), |s| {
        footer(s).contains("只读模式")
    });
    t.send(b"?");
    t.wait_for("你没有修改这个数据库文件");
    t.esc();
    quit(&mut t);
    assert!(before == std::fs::read(&db).unwrap(), "the file changed");
}

/// The triage journey: show overdue only, mark three, 催办 them, undo,
/// extend one with a Chinese reason, quit, start again: everything
/// persisted, audit rows present.
#[test]
fn triage_overdue_alerts_then_everything_persists() {
    let (_d, db) = sample();
    let mut t = Pty::console(&db, &["--today", "2026-11-30"]);
    t.wait_for(INBOX_MONTH);
    t.send(b"4");
    t.wait_for("● 红 ");
    t.send(b"f");
    t.wait_for("[筛选：仅逾期]");
    // By urgency the 通报 items come first; each of them takes a reminder.
    t.send(b"   ");
    t.wait_for("已标记 3");
    t.send(b"c");
    t.wait_for("催办 · 3 项");
    t.send(keys::TAB);
    t.type_text("请于本周内报送");
    t.send(CTRL_S);
    t.wait_for("催办 3 项？");
    t.send(b"y");
    t.wait_until("the reminders", pty::default_timeout(), |s| {
        footer(s).contains("催办 3 项：成功 3")
    });
    // Undo asks first for several rows, then withdraws all three.
    t.send(b"u");
    t.wait_for("撤销 3 项催办？");
    t.send(b"y");
    t.wait_until("the undo", pty::default_timeout(), |s| {
        footer(s).contains("已撤销 3 项：成功 3")
    });
    // Extend the selected item (overdue: confirmed as late).
    t.send(b"e");
    t.wait_for("新的截止日期");
    t.send(keys::TAB);
    t.type_text("受冬季气候影响，施工期顺延");
    t.send(CTRL_S);
    t.wait_for("确认延期？将记为逾期后延期");
    t.send(b"y");
    t.wait_until("the extension", pty::default_timeout(), |s| {
        footer(s).contains("延期：")
    });
    quit(&mut t);

    // Start again: the extension stands, the withdrawn reminders stay withdrawn.
    let c = Connection::open(&db).unwrap();
    let user = os_user();
    let rows: Vec<(String, String, String)> = {
        let mut s = c
            .prepare("SELECT action, result, user FROM audit_log WHERE action IN ('remind','withdraw_reminder','extend') ORDER BY id")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let got: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        got,
        [
            "remind",
            "remind",
            "remind",
            "withdraw_reminder",
            "withdraw_reminder",
            "withdraw_reminder",
            "extend"
        ]
    );
    assert!(rows.iter().all(|r| r.1 == "ok" && r.2 == user), "{rows:?}");
    let (reason, late): (String, bool) = c
        .query_row(
            "SELECT reason, late FROM extensions ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((reason.as_str(), late), ("受冬季气候影响，施工期顺延", true));
    let live: i64 = c
        .query_row(
            "SELECT count(*) FROM reminders WHERE note = '请于本周内报送' AND withdrawn_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(live, 0);
    drop(c);
    let mut t = Pty::console(&db, &["--today", "2026-11-30"]);
    t.wait_for(INBOX_MONTH);
    t.send(b"4");
    t.wait_for("● 红 ");
    t.send(b"Z");
    let s = t.wait_for("延");
    assert!(s.contains("延"), "the extension shows:\n{s}");
    quit(&mut t);
}

/// Enter on a report alert opens that report in the inbox.
#[test]
fn enter_on_a_report_alert_opens_the_report_in_the_inbox() {
    let (_d, db) = sample();
    let mut t = Pty::console(&db, &["--today", "2026-11-30"]);
    t.wait_for(INBOX_MONTH);
    t.send(b"4");
    t.wait_for("● 红 ");
    t.send(b"/");
    t.type_text("2026-06 月报");
    t.send(keys::ENTER);
    t.wait_until("the filtered alert", pty::default_timeout(), |s| {
        s.contains("那曲高新区") && !footer(s).contains('▏')
    });
    t.send(keys::ENTER);
    let s = t.wait_for("那曲高新区 · 2026-06");
    assert!(s.contains("◀ 2026-06 月报 ▶"), "the inbox shows that month:\n{s}");
    assert!(s.contains("催办记录"), "the report's detail is open:\n{s}");
    t.esc();
    quit(&mut t);
}
