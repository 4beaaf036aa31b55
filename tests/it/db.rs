//! Database rules from RELIABILITY.md, on real SQLite files.

use crate::common;

use std::time::{Duration, Instant};

use dudao::db::{self, DbError, Mode, audit};
use rusqlite::{Connection, TransactionBehavior};

fn sample(dir: &std::path::Path) -> std::path::PathBuf {
    common::sample_copy(dir)
}

#[test]
fn every_connection_sets_the_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let a = db::open(&p, Mode::ReadWrite).unwrap();
    let b = db::open(&p, Mode::ReadWrite).unwrap();
    for c in [&a, &b] {
        let q = |name: &str| {
            c.pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .unwrap()
        };
        assert_eq!(q("journal_mode"), "wal");
        assert_eq!(q("foreign_keys"), "1");
        assert_eq!(q("busy_timeout"), db::BUSY_TIMEOUT_MS.to_string());
        assert_eq!(q("synchronous"), "2"); // FULL
        // A REPLACE's implicit delete fires the audit log's delete trigger.
        assert_eq!(q("recursive_triggers"), "1");
    }
    let r = db::open(&p, Mode::ReadOnly).unwrap();
    assert_eq!(
        r.pragma_query_value(None, "query_only", |r| r.get::<_, i64>(0))
            .unwrap(),
        1
    );
}

#[test]
fn deferred_read_then_write_fails_fast_immediate_waits() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let mut a = db::open(&p, Mode::ReadWrite).unwrap();
    let mut b = db::open(&p, Mode::ReadWrite).unwrap();
    b.busy_timeout(Duration::from_secs(5)).unwrap();

    // b starts a deferred transaction and reads: it now holds a read snapshot.
    let tb = b.transaction_with_behavior(TransactionBehavior::Deferred).unwrap();
    let _: i64 = tb.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).unwrap();
    // a commits a write meanwhile.
    db::write_tx(&mut a, |tx| {
        Ok(tx.execute("UPDATE meta SET value = 'x' WHERE key = 'demo_seed'", [])?)
    })
    .unwrap();
    // b's upgrade to a writer fails at once, whatever the busy timeout.
    let t0 = Instant::now();
    let e = tb
        .execute("UPDATE meta SET value = 'y' WHERE key = 'demo_seed'", [])
        .unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(2), "deferred upgrade waited");
    assert!(
        e.to_string().contains("locked") || e.to_string().contains("busy") || e.to_string().contains("snapshot"),
        "{e}"
    );
    drop(tb);

    // An immediate writer waits for the other writer instead of failing.
    let ta = a.transaction_with_behavior(TransactionBehavior::Immediate).unwrap();
    ta.execute("UPDATE meta SET value = 'a' WHERE key = 'demo_seed'", [])
        .unwrap();
    let handle = std::thread::spawn(move || {
        let t0 = Instant::now();
        db::write_tx(&mut b, |tx| {
            Ok(tx.execute("UPDATE meta SET value = 'b' WHERE key = 'demo_seed'", [])?)
        })
        .unwrap();
        t0.elapsed()
    });
    std::thread::sleep(Duration::from_millis(300));
    ta.commit().unwrap();
    let waited = handle.join().unwrap();
    assert!(waited >= Duration::from_millis(250), "did not wait: {waited:?}");
    let v: String = a
        .query_row("SELECT value FROM meta WHERE key = 'demo_seed'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, "b");
}

#[test]
fn audit_log_is_append_only_and_chained() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let mut c = db::open(&p, Mode::ReadWrite).unwrap();
    let e = c.execute("UPDATE audit_log SET user = 'mallory'", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = c.execute("DELETE FROM audit_log", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");

    let me = audit::Actor::current();
    assert_ne!(me.user, "");
    db::write_tx(&mut c, |tx| {
        audit::record(
            tx,
            &me,
            &audit::Entry {
                at: &audit::now_utc(),
                action: "test",
                entity: "meta",
                entity_id: "k",
                old: None,
                new: Some(serde_json::json!({"v": 1})),
                result: "ok",
            },
        )
    })
    .unwrap();
    assert_eq!(audit::verify_chain(&c).unwrap(), None);
    let (uid, user): (i64, String) = c
        .query_row("SELECT uid, user FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(uid, unsafe { libc::getuid() } as i64);
    assert_eq!(user, me.user);

    // Tampering (with the triggers dropped, as an attacker with file access could) is detected.
    c.execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user = 'mallory' WHERE id = 1;")
        .unwrap();
    assert_eq!(audit::verify_chain(&c).unwrap(), Some(1));
}

#[test]
fn an_error_inside_write_rolls_everything_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let mut c = db::open(&p, Mode::ReadWrite).unwrap();
    let before: i64 = c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    let r: Result<(), DbError> = db::write_tx(&mut c, |tx| {
        audit::record(
            tx,
            &audit::Actor::current(),
            &audit::Entry {
                at: "2026-11-29T00:00:00Z",
                action: "x",
                entity: "meta",
                entity_id: "",
                old: None,
                new: None,
                result: "ok",
            },
        )?;
        Err(DbError::Invalid("refused".into()))
    });
    assert!(r.is_err());
    let after: i64 = c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(before, after);
}

#[test]
fn one_report_per_unit_month_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let c = db::open(&p, Mode::ReadWrite).unwrap();
    let e = c
        .execute(
            "INSERT INTO reports (unit_id, month, version_no, status, due_date, received_at)
             SELECT unit_id, month, version_no, 'new', due_date, received_at FROM reports WHERE id = 1",
            [],
        )
        .unwrap_err();
    assert!(e.to_string().contains("UNIQUE"), "{e}");
}

#[test]
fn read_only_refuses_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let before = std::fs::read(&p).unwrap();
    let mut c = db::open(&p, Mode::ReadOnly).unwrap();
    let e = db::write_tx(&mut c, |tx| {
        Ok(tx.execute("UPDATE meta SET value = 'x' WHERE key = 'demo_seed'", [])?)
    })
    .unwrap_err();
    assert!(matches!(e, DbError::ReadOnly), "{e}");
    assert!(dudao::i18n::db_error_in(dudao::i18n::Lang::En, &e).contains("read-only"));
    drop(c);
    assert_eq!(std::fs::read(&p).unwrap(), before);
}

#[test]
fn migrates_every_earlier_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    // Version 0: a file stamped as dudao's but never migrated.
    let v0 = dir.path().join("v0.db");
    {
        let c = Connection::open(&v0).unwrap();
        c.pragma_update(None, "application_id", db::APPLICATION_ID).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    // Version 1: the committed fixture made by `dudao init` at schema 1.
    let v1 = dir.path().join("v1.db");
    std::fs::copy(common::repo_root().join("tests/fixtures/schema-v1.db"), &v1).unwrap();
    // Version 3: a small sample made by `dudao demo --as-of 2021-10-15` at schema 3
    // (reports with indicator values, reminders, escalations).
    let v3 = dir.path().join("v3.db");
    std::fs::copy(common::repo_root().join("tests/fixtures/schema-v3.db"), &v3).unwrap();
    for p in [&v0, &v1, &v3] {
        let ro = db::open(p, Mode::ReadOnly);
        let v: i32 = Connection::open(p)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        if v < db::current_version() {
            assert!(matches!(ro, Err(DbError::NeedsUpgrade { .. })), "{p:?}");
        }
        let c = db::open(p, Mode::ReadWrite).unwrap();
        let v: i32 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, db::current_version(), "{p:?}");
        let failed: Vec<_> = dudao::check::run(&c).unwrap().into_iter().filter(|f| !f.ok()).collect();
        assert!(failed.is_empty(), "{p:?}: {failed:?}");
    }
    // Migration 4 kept each report's indicator values as sent.
    let c = db::open(&v3, Mode::ReadOnly).unwrap();
    let (values, kept): (i64, i64) = c
        .query_row(
            "SELECT (SELECT count(*) FROM indicator_values WHERE report_id IS NOT NULL),
                    (SELECT count(*) FROM report_values)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(values > 0);
    assert_eq!(values, kept);
}

#[test]
fn matrix_statuses_read_by_window_equal_the_eager_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let c = db::open(&p, Mode::ReadOnly).unwrap();
    let month = dudao::domain::Month::new(2026, 11).unwrap();
    let eager = dudao::db::matrix::load(&c, month, usize::MAX).unwrap();
    let mut lazy = dudao::db::matrix::load(&c, month, 0).unwrap();
    use dudao::db::matrix::CellStatus;
    assert!(
        lazy.cells()
            .all(|(_, x)| matches!(x.status, CellStatus::NotLoaded | CellStatus::Collective))
    );
    assert!(eager.cells().all(|(_, x)| x.status != CellStatus::NotLoaded));
    // Read two units' statuses only: theirs now equal the eager read, the others stay unread.
    let kjt = eager.units.iter().find(|u| &*u.name == "科技厅").unwrap().id;
    let lasa = eager.units.iter().find(|u| &*u.name == "拉萨市").unwrap().id;
    dudao::db::matrix::fill_statuses(&c, &mut lazy, Some(&[kjt, lasa])).unwrap();
    for (key, cell) in lazy.cells() {
        if key.1 == kjt || key.1 == lasa {
            assert_eq!(cell.status, eager.cell(key.0, key.1).unwrap().status, "{key:?}");
        } else if cell.status != CellStatus::Collective {
            assert_eq!(cell.status, CellStatus::NotLoaded, "{key:?}");
        }
    }
    // Reading the rest gives exactly the eager matrix.
    let rest: Vec<i64> = lazy
        .units
        .iter()
        .map(|u| u.id)
        .filter(|id| *id != kjt && *id != lasa)
        .collect();
    dudao::db::matrix::fill_statuses(&c, &mut lazy, Some(&rest)).unwrap();
    assert!(lazy.cells().eq(eager.cells()));
}

/// Opening while another connection grows the file (checkpoints moving
/// new pages in) is never mistaken for a truncated database: the header
/// may already count pages the file is about to receive.
#[test]
fn opening_while_another_writer_grows_the_file_is_not_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (p, stop) = (p.clone(), stop.clone());
        std::thread::spawn(move || {
            let c = db::open(&p, Mode::ReadWrite).unwrap();
            c.execute_batch("CREATE TABLE IF NOT EXISTS grow_test(b BLOB)").unwrap();
            let start = Instant::now();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && start.elapsed() < Duration::from_secs(4) {
                c.execute("INSERT INTO grow_test VALUES (zeroblob(200000))", [])
                    .unwrap();
                c.execute_batch("PRAGMA wal_checkpoint(PASSIVE)").unwrap();
            }
        })
    };
    let start = Instant::now();
    let mut opened = 0;
    while start.elapsed() < Duration::from_secs(3) {
        match db::open(&p, Mode::ReadOnly) {
            Ok(_) => opened += 1,
            Err(e @ DbError::Truncated { .. }) => {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                writer.join().unwrap();
                panic!("after {opened} opens: {e}");
            }
            Err(e) => panic!("{e}"),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    assert!(opened > 10, "{opened}");
}

#[test]
fn a_months_figures_and_first_rows_agree_with_its_rows() {
    use dudao::db::inbox::{MonthRead, month_rows};
    use dudao::domain::{InboxStatus, Month};
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    {
        // What the figures must count as the rows do: a unit-month closed
        // without a report, a reminder withdrawn and one keyed in another
        // spelling, two "latest" versions of a report (another tool), a
        // unit that no longer reports.
        let c = Connection::open(&p).unwrap();
        c.execute_batch(
            "INSERT INTO item_flags (entity, entity_key, closed_at, closed_by)
               SELECT 'report', id || ':2026-10', '2026-11-20 10:00', 'test' FROM units
               WHERE reporting = 1 AND id NOT IN (SELECT unit_id FROM reports WHERE month = '2026-10' AND latest = 1)
               ORDER BY sort LIMIT 1;
             UPDATE reminders SET withdrawn_at = '2026-11-21 09:00'
               WHERE id = (SELECT min(id) FROM reminders WHERE entity = 'report');
             INSERT INTO reminders (entity, entity_key, unit_id, at, by_user)
               SELECT 'report', '0' || entity_key, unit_id, at, by_user FROM reminders
               WHERE entity = 'report' AND withdrawn_at IS NULL LIMIT 1;
             UPDATE reports SET latest = 1 WHERE id = (SELECT min(id) FROM reports WHERE latest = 0);
             UPDATE units SET reporting = 0 WHERE id = (SELECT id FROM units WHERE reporting = 1 ORDER BY sort DESC LIMIT 1);",
        )
        .unwrap();
        let closed: i64 = c
            .query_row("SELECT count(*) FROM item_flags WHERE entity = 'report'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(closed, 1, "the sample has a missing report to close");
    }
    let conn = db::open(&p, Mode::ReadOnly).unwrap();
    let cal = dudao::domain::deadline::Calendar::bundled();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let mut m: Month = "2021-07".parse().unwrap();
    let mut seen = [0usize; InboxStatus::ALL.len()];
    while m <= "2026-11".parse().unwrap() {
        let rows = month_rows(&conn, m, 5, &cal, today).unwrap();
        let mut counts = [0usize; InboxStatus::ALL.len()];
        for r in &rows {
            counts[r.status as usize] += 1;
        }
        for n in [0, 1, 7, rows.len(), rows.len() + 5] {
            let mut read = MonthRead::read(&conn, m, 5, &cal, today).unwrap();
            let head = read.head(&conn, n).unwrap();
            assert_eq!(head.rows[..], rows[..n.min(rows.len())], "{m}, first {n}");
            assert_eq!(head.counts, counts, "{m}");
            assert_eq!(head.total(), rows.len(), "{m}");
            // The rows read after the head are the month's rows.
            assert_eq!(read.rows(&conn).unwrap(), rows, "{m}, after a head of {n}");
        }
        for (s, n) in seen.iter_mut().zip(counts) {
            *s += n;
        }
        m = m.next();
    }
    // Every status was among the months compared.
    for st in InboxStatus::ALL {
        assert!(seen[*st as usize] > 0, "no {st:?} row in any month");
    }
}

#[test]
fn the_matrix_leaves_out_units_without_a_role() {
    use dudao::db::matrix::{EAGER_UNITS, MatrixCell, load};
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let month: dudao::domain::Month = "2026-11".parse().unwrap();
    let before = load(&db::open(&p, Mode::ReadOnly).unwrap(), month, EAGER_UNITS).unwrap();
    // A unit with no role, first in unit order; another with no role of
    // its own, through which a role now comes (a cell with one role only).
    let c = Connection::open(&p).unwrap();
    c.execute_batch(
        "INSERT INTO units (name, short_name, full_name, kind, sort) VALUES ('无任务', '无任务', '无任务单位', 'department', -1);
         INSERT INTO units (name, short_name, full_name, kind, sort) VALUES ('经由', '经由', '经由单位', 'collective', -2);",
    )
    .unwrap();
    let via = c.last_insert_rowid();
    let (id, article, unit): (i64, i64, i64) = c
        .query_row(
            "SELECT id, article_no, unit_id FROM assignments a WHERE via_id IS NOT NULL
               AND (SELECT count(*) FROM assignments b WHERE b.article_no = a.article_no AND b.unit_id = a.unit_id) = 1
             ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    c.execute("UPDATE assignments SET via_id = ?1 WHERE id = ?2", [via, id])
        .unwrap();
    drop(c);
    let after = load(&db::open(&p, Mode::ReadOnly).unwrap(), month, EAGER_UNITS).unwrap();
    assert_eq!(after.units, before.units, "only units with a role are columns");
    let mut compared = 0;
    for ((a, u), cell) in before.cells() {
        let expected = if (a, u) == (article, unit) {
            MatrixCell { via: None, ..cell }
        } else {
            cell
        };
        assert_eq!(after.cell(a, u), Some(expected), "article {a}, unit {u}");
        compared += 1;
    }
    assert_eq!(after.cells().count(), compared);
    assert!(before.cell(article, unit).is_some_and(|c| c.via.is_some()));
}
