//! Crashes and leftovers: a writer killed with `kill -9` at a random moment
//! leaves a database that passes every check (integrity, foreign keys, the
//! audit log and its anchor, the app's invariants), with no half-imported
//! report and an audit row for every change; temporary files of killed
//! runs are cleaned by the next command; SIGHUP with a form open exits at
//! once with the terminal restored and nothing written.
//!
//! `cargo test` runs a few iterations; `DUDAO_CRASH_ITERATIONS=100 cargo
//! test --release --test crashes -- --nocapture` is the full run.

use crate::common;
use crate::common::pty;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use rusqlite::Connection;

fn bin() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("dudao"));
    c.args(["--no-config", "--today", "2026-11-30"]);
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// A small xorshift: the seed is printed, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("DUDAO_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("crash loop seed {seed} (DUDAO_CRASH_SEED to replay)");
        Rng(seed)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn iterations() -> usize {
    std::env::var("DUDAO_CRASH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6)
}

/// Each reporting unit's own template for 2026-10, filled in: (unit, text, articles).
fn templates(db: &Path) -> Vec<(String, String, usize)> {
    let c = Connection::open(db).unwrap();
    let mut s = c
        .prepare("SELECT name FROM units WHERE reporting = 1 AND synthetic = 0 ORDER BY sort")
        .unwrap();
    let units: Vec<String> = s.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    units
        .into_iter()
        .map(|u| {
            let out = Command::new(assert_cmd::cargo::cargo_bin!("dudao"))
                .args(["--no-config", "--today", "2026-11-30", "--db"])
                .arg(db)
                .args(["template", "report", "--unit", &u])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
            let text = stdout(&out);
            let n = text.matches("\n[[progress]]\n").count();
            let filled = text
                .replacen("summary = \"\"\"\n\"\"\"", "summary = \"ROUND\"", 1)
                .replace("progress = \"\"", "progress = \"按计划推进\"");
            (u, filled, n)
        })
        .collect()
}

/// What must hold after any crash, however the writer was stopped.
fn assert_consistent(db: &Path, round: &str, expected_items: &std::collections::HashMap<String, usize>) {
    let c = Connection::open(db).unwrap();
    let ic: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ic, "ok", "{round}");
    let fk: i64 = c
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 0, "{round}: foreign keys");
    // No half-imported report: every version of this round has all its entries.
    let mut s = c
        .prepare(
            "SELECT u.name, r.id, (SELECT count(*) FROM report_items i WHERE i.report_id = r.id)
             FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.summary = ?1",
        )
        .unwrap();
    let rows: Vec<(String, i64, i64)> = s
        .query_map([round], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for (unit, id, items) in &rows {
        assert_eq!(
            *items as usize, expected_items[unit],
            "{round}: report {id} of {unit} is half there"
        );
    }
    // Every imported version has its log entry and its audit row, and back.
    let imported: i64 = c
        .query_row(
            "SELECT count(*) FROM intake_log l JOIN reports r ON r.id = l.report_id
             WHERE l.result = 'imported' AND r.summary = ?1",
            [round],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(imported as usize, rows.len(), "{round}: a report without its log entry");
    let audit_ok: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log a WHERE a.action = 'import' AND a.result = 'ok'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let log_ok: i64 = c
        .query_row("SELECT count(*) FROM intake_log WHERE result = 'imported'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(audit_ok, log_ok, "{round}: imports and their audit rows");
    drop(s);
    drop(c);
    // dudao's own check: schema, hash chain, anchor, text cells, invariants.
    let out = common::dudao().arg("check").arg(db).output().unwrap();
    assert!(out.status.success(), "{round}: check failed:\n{}", stdout(&out));
}

fn kill9(child: &mut std::process::Child) {
    // SAFETY: the child is ours and has not been waited for.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGKILL) };
    let _ = child.wait();
}

#[test]
fn kill_9_during_bulk_import_and_bulk_triage_leaves_a_consistent_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let files = dir.path().join("files");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&files).unwrap();
    let t = templates(&db);
    let expected: std::collections::HashMap<String, usize> = t.iter().map(|(u, _, n)| (u.clone(), *n)).collect();
    // The overdue measures: a bulk reminder (催办) of all of them is one transaction.
    let out = common::dudao()
        .args(["--today", "2026-11-30", "alerts", "--format", "csv"])
        .arg(&db)
        .output()
        .unwrap();
    let measures: Vec<String> = stdout(&out)
        .lines()
        .filter_map(|l| l.split(',').next())
        .filter(|id| id.starts_with('M'))
        .map(String::from)
        .collect();
    assert!(measures.len() >= 10, "{measures:?}");
    let mut rng = Rng::new();
    let import = |i: usize, round: &str| {
        let mut paths = Vec::new();
        for (k, (_, text, _)) in t.iter().enumerate() {
            let p = files.join(format!("r{i}-{k}.toml"));
            std::fs::write(&p, text.replace("ROUND", round)).unwrap();
            paths.push(p);
        }
        bin()
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg("--inbox")
            .arg(&inbox)
            .args(&paths)
            .spawn()
            .unwrap()
    };
    let remind = |round: &str| {
        bin()
            .arg("remind")
            .args(&measures)
            .args(["--note", round])
            .arg(&db)
            .spawn()
            .unwrap()
    };
    // How long each whole run takes, so that kills land anywhere in it.
    let timed = |mut c: std::process::Child| {
        let start = Instant::now();
        assert!(c.wait().unwrap().success());
        start.elapsed()
    };
    let budgets = [timed(import(usize::MAX, "calibration")), timed(remind("calibration"))];
    eprintln!(
        "a whole bulk import takes {:?}, a bulk reminder {:?}",
        budgets[0], budgets[1]
    );
    let (mut killed, mut finished) = (0, 0);
    for i in 0..iterations() {
        let round = format!("第{i}轮");
        let mut child = if i % 2 == 0 { import(i, &round) } else { remind(&round) };
        let budget = budgets[i % 2];
        let wait = Duration::from_micros(rng.below(budget.as_micros() as u64));
        std::thread::sleep(wait);
        match child.try_wait().unwrap() {
            Some(_) => finished += 1,
            None => {
                kill9(&mut child);
                killed += 1;
            }
        }
        assert_consistent(&db, &round, &expected);
        // A bulk reminder is all or nothing, each with its audit row.
        if i % 2 == 1 {
            let c = Connection::open(&db).unwrap();
            let (rows, audited): (i64, i64) = c
                .query_row(
                    "SELECT (SELECT count(*) FROM reminders WHERE note = ?1),
                            (SELECT count(*) FROM audit_log WHERE action = 'remind' AND result = 'ok' AND new_value LIKE ?2)",
                    [round.clone(), format!("%{round}%")],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert!(
                (rows == 0 && audited == 0) || (rows >= measures.len() as i64 && audited == measures.len() as i64),
                "{round}: {rows} reminders, {audited} audit rows for {} measures",
                measures.len()
            );
        }
    }
    eprintln!(
        "crash loop: {} iterations, {killed} killed mid-run, {finished} finished first",
        iterations()
    );
}

fn touch(p: &Path) {
    std::fs::write(p, b"x").unwrap();
}

fn dead_pid() -> u32 {
    // A PID above every live one (pid_max is at most 2^22).
    (4_194_000..4_194_304)
        .find(|p| !Path::new(&format!("/proc/{p}")).exists())
        .unwrap()
}

#[test]
fn temporary_files_of_killed_runs_are_cleaned_by_the_next_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let dead = dead_pid();
    let live = std::process::id();
    let name = |n: &str| -> PathBuf { dir.path().join(n) };
    let gone = [
        format!(".office.db.dudao-tmp-{dead}"),
        format!(".office.db.dudao-tmp-{dead}-wal"),
        format!(".office.db.dudao-tmp-{dead}-shm"),
        format!(".sample.db.dudao-tmp-{dead}-journal"),
        format!(".sample.db.dudao-tmp-{dead}.audit-head"),
    ];
    // Only dudao's own names: other programs' temporary files that merely
    // look alike stay, whatever their PID.
    let kept = [
        format!(".office.db.dudao-tmp-{live}"),
        format!(".office.db.dudao-tmp-{live}-wal"),
        format!("office.db.dudao-tmp-{dead}"),
        format!(".office.db.dudao-tmp-{dead}x"),
        format!(".budget.xlsx.tmp-{dead}"),
        format!(".notes.tmp-{dead}-wal"),
        format!(".office.db.tmp-{dead}"),
        "notes.txt".to_string(),
    ];
    for f in gone.iter().chain(kept.iter()) {
        touch(&name(f));
    }
    let out = common::dudao()
        .args(["export", "units", "--format", "csv"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for f in &gone {
        assert!(!name(f).exists(), "{f} was left");
    }
    for f in &kept {
        assert!(name(f).exists(), "{f} was removed");
    }
    // `demo` too, for another name in that folder.
    for f in &gone {
        touch(&name(f));
    }
    common::dudao()
        .args(["demo", "--out"])
        .arg(name("new.db"))
        .assert()
        .success();
    for f in &gone {
        assert!(!name(f).exists(), "{f} was left by demo");
    }
}

#[test]
fn sighup_with_a_form_open_exits_at_once_restores_the_terminal_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let count = |db: &Path| -> (i64, i64) {
        let c = Connection::open(db).unwrap();
        c.query_row(
            "SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM reports WHERE status = 'returned')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    let before = count(&db);
    let mut t = pty::Pty::console(&db, &[]);
    t.wait_until("the inbox", pty::default_timeout(), |s| {
        s.contains("◀ 2026-10 月报 ▶") && s.lines().last().is_some_and(|l| l.contains("? 帮助"))
    });
    t.send(pty::keys::ENTER);
    t.wait_for("科技厅 · 2026-10");
    t.send(b"r");
    t.wait_for("退回月报 · 科技厅 2026-10");
    t.type_text("写了一半的退回原因");
    t.wait_for("9/500");
    let mark = t.byte_count();
    let sent = Instant::now();
    // SAFETY: the child is ours.
    unsafe { libc::kill(t.pid() as libc::pid_t, libc::SIGHUP) };
    let exit = t.wait_exit_within(Duration::from_secs(2));
    assert!(sent.elapsed() <= Duration::from_secs(2), "took {:?}", sent.elapsed());
    assert_eq!(exit.signal, None, "{exit:?}");
    assert_eq!(exit.code, 129, "{exit:?}");
    assert!(
        pty::contains_bytes(&t.bytes_since(mark), pty::LEAVE_ALT_SCREEN),
        "the alternate screen was not left"
    );
    assert_eq!(count(&db), before, "something was written");
    let out = common::dudao().arg("check").arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
}
