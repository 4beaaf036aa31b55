//! Several staff on one file: 8 processes, each running command-line
//! actions one after another (催办 remind, 延期 extend, 已阅 accept) on the
//! same database. Every action is present exactly once, `dudao check`
//! passes, and no process ever shows "database is locked".
//!
//! `cargo test` runs 8 × 15 actions; `DUDAO_STRESS_ACTIONS=200 cargo test
//! --release --test several_users -- --nocapture` is the full run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use rusqlite::Connection;

const PROCESSES: usize = 8;

fn actions() -> usize {
    std::env::var("DUDAO_STRESS_ACTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15)
}

#[derive(Debug, Clone)]
enum Action {
    Remind {
        measure: String,
        note: String,
    },
    Extend {
        measure: String,
        to: String,
        reason: String,
    },
    Accept {
        report: String,
    },
}

impl Action {
    fn args(&self) -> Vec<String> {
        match self {
            Action::Remind { measure, note } => vec!["remind".into(), measure.clone(), "--note".into(), note.clone()],
            Action::Extend { measure, to, reason } => vec![
                "extend".into(),
                measure.clone(),
                "--to".into(),
                to.clone(),
                "--reason".into(),
                reason.clone(),
                "--late".into(),
            ],
            Action::Accept { report } => vec!["report".into(), "accept".into(), report.clone()],
        }
    }
}

/// Open measures, and reports made 未阅 (new) again for the test to accept:
/// each process gets its own measures to extend and reports to accept (an
/// extension must lie after the one before), and reminds any measure.
fn plan(db: &Path, n: usize) -> Vec<Vec<Action>> {
    let c = Connection::open(db).unwrap();
    // Open measures due by a month from today, from their due date or today.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let due: Vec<(i64, chrono::NaiveDate)> = {
        let mut s = c
            .prepare(
                "SELECT id, COALESCE(due_date, '2026-11-30') FROM measures
                 WHERE status = 'open' AND COALESCE(due_date, '2026-11-30') <= '2026-12-30' ORDER BY id",
            )
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get::<_, String>(1)?)))
            .unwrap()
            .map(|r| {
                let (id, d) = r.unwrap();
                (id, d.parse::<chrono::NaiveDate>().unwrap().max(today))
            })
            .collect()
    };
    assert!(due.len() >= PROCESSES, "{due:?}");
    let measures: Vec<i64> = due.iter().map(|d| d.0).collect();
    let base: std::collections::HashMap<i64, chrono::NaiveDate> = due.into_iter().collect();
    let per = n.div_ceil(3);
    let reports: Vec<(i64, String)> = {
        let mut s = c
            .prepare(
                "SELECT unit_id, month FROM reports WHERE latest = 1 AND status = 'accepted'
                 ORDER BY month DESC, unit_id LIMIT ?1",
            )
            .unwrap();
        s.query_map([(per * PROCESSES) as i64], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(reports.len(), per * PROCESSES, "not enough reports for {n} actions");
    // Test fixture: these reports arrive again as 未阅.
    for (u, m) in &reports {
        c.execute(
            "UPDATE reports SET status = 'new' WHERE unit_id = ?1 AND month = ?2 AND latest = 1",
            rusqlite::params![u, m],
        )
        .unwrap();
    }
    (0..PROCESSES)
        .map(|p| {
            let own: Vec<i64> = measures.iter().copied().skip(p).step_by(PROCESSES).collect();
            let mut extended = std::collections::HashMap::<i64, u32>::new();
            (0..n)
                .map(|i| match i % 3 {
                    0 => Action::Remind {
                        measure: format!("M{}", measures[(p * 7 + i) % measures.len()]),
                        note: format!("p{p}-a{i}"),
                    },
                    1 => {
                        let m = own[(i / 3) % own.len()];
                        let k = extended.entry(m).or_insert(0);
                        *k += 1;
                        Action::Extend {
                            measure: format!("M{m}"),
                            to: (base[&m] + chrono::Days::new(u64::from(*k) * 3)).to_string(),
                            reason: format!("p{p}-a{i}"),
                        }
                    }
                    _ => {
                        let (u, m) = &reports[p * per + i / 3];
                        Action::Accept {
                            report: format!("R{u}-{m}"),
                        }
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn eight_processes_act_at_once_and_every_action_lands_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = sample_copy(dir.path());
    let n = actions();
    let plans = plan(&db, n);
    let started = std::time::Instant::now();
    let workers: Vec<_> = plans
        .clone()
        .into_iter()
        .map(|plan| {
            let db = db.clone();
            std::thread::spawn(move || {
                for a in plan {
                    let out = Command::new(assert_cmd::cargo::cargo_bin!("dudao"))
                        .args(["--no-config", "--today", "2026-11-30"])
                        .args(a.args())
                        .arg(&db)
                        .output()
                        .unwrap();
                    let err = stderr(&out);
                    assert!(
                        !err.contains("locked") && !err.contains("busy") && !err.contains("正忙"),
                        "{a:?} surfaced a lock: {err}"
                    );
                    assert!(out.status.success(), "{a:?}: {err}");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    eprintln!("{PROCESSES} processes × {n} actions in {:?}", started.elapsed());
    let c = Connection::open(&db).unwrap();
    let count = |sql: &str, arg: &str| -> i64 { c.query_row(sql, [arg], |r| r.get(0)).unwrap() };
    for (p, plan) in plans.iter().enumerate() {
        for a in plan {
            match a {
                Action::Remind { note, .. } => {
                    let audited = count(
                        "SELECT count(*) FROM audit_log WHERE action = 'remind' AND result = 'ok'
                         AND json_extract(new_value, '$.note') = ?1",
                        note,
                    );
                    assert_eq!(audited, 1, "process {p}: {a:?}");
                    assert!(
                        count("SELECT count(*) FROM reminders WHERE note = ?1", note) >= 1,
                        "{a:?}"
                    );
                }
                Action::Extend { reason, .. } => {
                    assert_eq!(
                        count("SELECT count(*) FROM extensions WHERE reason = ?1", reason),
                        1,
                        "process {p}: {a:?}"
                    );
                    assert_eq!(
                        count(
                            "SELECT count(*) FROM audit_log WHERE action = 'extend' AND result = 'ok'
                             AND json_extract(new_value, '$.reason') = ?1",
                            reason
                        ),
                        1,
                        "process {p}: {a:?}"
                    );
                }
                Action::Accept { report } => {
                    let (unit, month) = report[1..].split_once('-').unwrap();
                    let key = format!("{unit}:{month}");
                    assert_eq!(
                        count(
                            "SELECT count(*) FROM audit_log WHERE action = 'accept' AND entity_id = ?1",
                            &key
                        ),
                        1,
                        "process {p}: {a:?}"
                    );
                    let status: String = c
                        .query_row(
                            "SELECT status FROM reports WHERE unit_id = ?1 AND month = ?2 AND latest = 1",
                            rusqlite::params![unit.parse::<i64>().unwrap(), month],
                            |r| r.get(0),
                        )
                        .unwrap();
                    assert_eq!(status, "accepted", "{a:?}");
                }
            }
        }
    }
    let out = dudao().arg("check").arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
}

use crate::common::pty;

/// A console left open holds no transaction while it waits: while it
/// watches a stream of others' commits (reloading after each), SQLite can
/// still checkpoint the whole WAL, so the WAL stays bounded.
#[test]
fn a_watching_console_holds_no_transaction_and_the_wal_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let mut t = pty::Pty::console(&db, &[]);
    t.wait_until("the inbox", pty::default_timeout(), |s| s.contains("◀ 2026-10 月报 ▶"));
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    let c = Connection::open(&db).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    let unit: i64 = c
        .query_row("SELECT min(id) FROM units WHERE reporting = 1", [], |r| r.get(0))
        .unwrap();
    let big = "进".repeat(20_000);
    let mut largest = 0;
    for i in 0..300 {
        // Another user's commit (60 kB), which the console sees and reloads.
        c.execute(
            "INSERT INTO notes (entity, entity_key, at, by_uid, by_user, text) VALUES ('report', ?1, '2026-11-30T00:00:00Z', 0, 'other', ?2)",
            rusqlite::params![format!("{unit}:2026-10"), format!("{i}{big}")],
        )
        .unwrap();
        largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
        if i % 50 == 0 {
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
    }
    // 300 × 60 kB = 18 MB written; the automatic checkpoints keep restarting
    // the WAL only if no reader pins an old snapshot.
    assert!(largest < 8 << 20, "the WAL grew to {largest} bytes");
    let (busy, log, done): (i64, i64, i64) = c
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((busy, log, done), (0, 0, 0), "a reader held the WAL");
    t.send(b"q");
    assert!(t.wait_exit().success());
}

/// One member of staff writing (notes, bulk reminders) while another
/// exports the reports in a loop: no command ever refuses the file or
/// advises a restore, and `check` passes afterwards. `cargo test` runs
/// four seconds on the sample; the full run (`scripts/safety-full.sh`) is
/// two minutes on `demo --scale 20` (58 MB), where a checkpoint's header
/// runs ahead of the main file often.
#[test]
fn a_writer_and_an_exporter_at_once_never_see_a_refused_file() {
    let secs: u64 = std::env::var("DUDAO_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let scale: u32 = std::env::var("DUDAO_SOAK_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let dir = tempfile::tempdir().unwrap();
    let db = if scale > 1 {
        let p = dir.path().join("big.db");
        dudao()
            .args(["demo", "--scale", &scale.to_string(), "--out"])
            .arg(&p)
            .assert()
            .success();
        p
    } else {
        sample_copy(dir.path())
    };
    let out = dudao()
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
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let mut c = dudao();
                c.args(["--today", "2026-11-30", "--db"]).arg(&db);
                if n % 2 == 0 {
                    c.args(["report", "note", "R1-2026-10", "--text", &format!("记录{n}")]);
                } else {
                    c.arg("remind").args(&measures).args(["--note", &format!("第{n}次")]);
                }
                let out = c.output().unwrap();
                assert!(out.status.success(), "write {n}: {}", stderr(&out));
                n += 1;
            }
            n
        })
    };
    let start = std::time::Instant::now();
    let mut exports = 0;
    while start.elapsed() < std::time::Duration::from_secs(secs) {
        let out = dudao()
            .args(["export", "reports", "--format", "csv"])
            .arg(&db)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(
            out.status.success() && !err.contains("备份") && !err.contains("截断"),
            "export {exports} refused the file: {err}"
        );
        exports += 1;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let writes = writer.join().unwrap();
    eprintln!("writer and exporter: {writes} writes, {exports} exports in {secs} s, no refusal");
    let out = dudao().arg("check").arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
}
