//! Every command: applies, writes its audit row, refuses a stale version,
//! undo restores and is audited. On temporary copies of sample.db.

use std::path::PathBuf;

use chrono::NaiveDate;
use rusqlite::{Connection, TransactionBehavior};

use super::*;
use crate::db::Mode;
use crate::domain::Month;

struct Db {
    _dir: tempfile::TempDir,
    path: PathBuf,
    conn: Connection,
}

fn sample() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &path).unwrap();
    let conn = db::open(&path, Mode::ReadWrite).unwrap();
    Db { _dir: dir, path, conn }
}

fn ctx() -> Context {
    Context::new(
        Actor::os(1001, "wangfang"),
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    )
}

fn other() -> Context {
    Context::new(
        Actor::os(1002, "zhaolei"),
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    )
}

/// A latest report of 2026-10 in `status`: (id, version).
fn report_in(conn: &Connection, status: &str) -> (i64, i64) {
    conn.query_row(
        "SELECT id, version FROM reports WHERE month = '2026-10' AND latest = 1 AND status = ?1 ORDER BY id LIMIT 1",
        [status],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn status_of(conn: &Connection, id: i64) -> (String, String, Option<String>, i64) {
    conn.query_row(
        "SELECT status, return_reason, resubmit_by, version FROM reports WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .unwrap()
}

fn audit_rows(conn: &Connection) -> Vec<(i64, i64, String, String, String, String)> {
    let mut s = conn
        .prepare("SELECT id, uid, user, action, entity_id, result FROM audit_log ORDER BY id")
        .unwrap();
    s.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn applied(o: Outcome) -> Applied {
    match o {
        Outcome::Applied(a) => a,
        other => panic!("expected applied, got {other:?}"),
    }
}

/// A unit that has no report for 2026-10 (overdue on 2026-11-30).
fn missing_unit(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT u.id FROM units u WHERE u.reporting = 1
           AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = u.id AND r.month = '2026-10')
         ORDER BY u.sort LIMIT 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn oct() -> Month {
    "2026-10".parse().unwrap()
}

#[test]
fn accept_applies_is_audited_and_undone() {
    let mut d = sample();
    let (id, v) = report_in(&d.conn, "new");
    let before = audit_rows(&d.conn).len();
    let a = applied(apply(&mut d.conn, &ctx(), &Command::Accept { report: id, version: v }).unwrap());
    assert_eq!(status_of(&d.conn, id).0, "accepted");
    assert_eq!(status_of(&d.conn, id).3, v + 1);
    let rows = audit_rows(&d.conn);
    assert_eq!(rows.len(), before + 1);
    let last = rows.last().unwrap();
    assert_eq!(
        (last.1, last.2.as_str(), last.3.as_str(), last.5.as_str()),
        (1001, "wangfang", "accept", "ok")
    );
    assert_eq!(last.0, a.audit_id);
    assert_eq!(last.4, a.item.entity_key());
    // The chain still verifies.
    assert_eq!(crate::db::audit::verify_chain(&d.conn).unwrap(), None);

    // Undo: back to new, as a new audited transaction.
    let undo = a.undo.unwrap();
    let u = applied(apply(&mut d.conn, &ctx(), &undo).unwrap());
    assert_eq!(status_of(&d.conn, id).0, "new");
    assert_eq!(status_of(&d.conn, id).3, v + 2);
    let rows = audit_rows(&d.conn);
    assert_eq!(rows.len(), before + 2);
    assert_eq!(rows.last().unwrap().3, "restore");
    let new_value: String = d
        .conn
        .query_row("SELECT new_value FROM audit_log WHERE id = ?1", [u.audit_id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(new_value.contains(&format!("\"undoes\":{}", a.audit_id)), "{new_value}");
    assert!(u.undo.is_none(), "an undo is not itself undone");
}

#[test]
fn a_stale_version_is_a_conflict_that_names_the_other_user() {
    let mut d = sample();
    let (id, v) = report_in(&d.conn, "new");
    applied(apply(&mut d.conn, &other(), &Command::Accept { report: id, version: v }).unwrap());
    // Shown at version v, before the other user's change.
    let o = apply(
        &mut d.conn,
        &ctx(),
        &Command::Return {
            report: id,
            version: v,
            reason: "数据有误".into(),
            resubmit_by: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        },
    )
    .unwrap();
    let Outcome::Conflict(c) = o else { panic!("{o:?}") };
    let (user, _, action) = c.by.clone().unwrap();
    assert_eq!((user.as_str(), action.as_str()), ("zhaolei", "accept"));
    assert!(c.to_string().contains("zhaolei"));
    // Nothing written; the conflict is in the audit log.
    assert_eq!(status_of(&d.conn, id).0, "accepted");
    let last = audit_rows(&d.conn).pop().unwrap();
    assert_eq!(
        (last.3.as_str(), last.5.as_str(), last.2.as_str()),
        ("return", "conflict", "wangfang")
    );
}

#[test]
fn return_needs_a_reason_and_a_date_not_in_the_past() {
    let mut d = sample();
    let (id, v) = report_in(&d.conn, "new");
    let ret = |reason: &str, date: &str| Command::Return {
        report: id,
        version: v,
        reason: reason.into(),
        resubmit_by: date.parse().unwrap(),
    };
    let o = apply(&mut d.conn, &ctx(), &ret("   ", "2026-12-05")).unwrap();
    assert_eq!(
        o,
        Outcome::Refused(Refusal::Text(crate::domain::input::TextError::Empty))
    );
    let o = apply(&mut d.conn, &ctx(), &ret(&"长".repeat(501), "2026-12-05")).unwrap();
    assert!(matches!(o, Outcome::Refused(Refusal::Text(_))), "{o:?}");
    let o = apply(&mut d.conn, &ctx(), &ret("数据有误", "2026-11-01")).unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::DateInPast));
    assert_eq!(status_of(&d.conn, id).0, "new");

    let a = applied(
        apply(
            &mut d.conn,
            &ctx(),
            &ret("  第5条数据与上月不一致，请核实 ", "2026-12-05"),
        )
        .unwrap(),
    );
    let (st, reason, by, _) = status_of(&d.conn, id);
    assert_eq!(
        (st.as_str(), reason.as_str(), by.as_deref()),
        ("returned", "第5条数据与上月不一致，请核实", Some("2026-12-05"))
    );
    // Returning again is refused; accepting a returned report is refused.
    let o = apply(&mut d.conn, &ctx(), &ret("again", "2026-12-05")).unwrap();
    assert!(matches!(o, Outcome::Refused(_) | Outcome::Conflict(_)), "{o:?}");
    let o = apply(
        &mut d.conn,
        &ctx(),
        &Command::Accept {
            report: id,
            version: v + 1,
        },
    )
    .unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::IsReturned));
    // Undo restores the earlier state exactly.
    applied(apply(&mut d.conn, &ctx(), &a.undo.unwrap()).unwrap());
    let (st, reason, by, _) = status_of(&d.conn, id);
    assert_eq!((st.as_str(), reason.as_str(), by), ("new", "", None));
}

#[test]
fn undo_is_refused_when_the_row_changed_since() {
    let mut d = sample();
    let (id, v) = report_in(&d.conn, "new");
    let a = applied(apply(&mut d.conn, &ctx(), &Command::Accept { report: id, version: v }).unwrap());
    // Someone returns it meanwhile (after restoring is impossible: they return an accepted report).
    applied(
        apply(
            &mut d.conn,
            &other(),
            &Command::Return {
                report: id,
                version: v + 1,
                reason: "补充材料".into(),
                resubmit_by: "2026-12-10".parse().unwrap(),
            },
        )
        .unwrap(),
    );
    let o = apply(&mut d.conn, &ctx(), &a.undo.unwrap()).unwrap();
    assert!(matches!(o, Outcome::Conflict(_)), "{o:?}");
    assert_eq!(status_of(&d.conn, id).0, "returned");
}

#[test]
fn accepting_twice_is_refused_not_a_crash() {
    let mut d = sample();
    let (id, v) = report_in(&d.conn, "accepted");
    let o = apply(&mut d.conn, &ctx(), &Command::Accept { report: id, version: v }).unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::AlreadyAccepted));
    let o = apply(
        &mut d.conn,
        &ctx(),
        &Command::Accept {
            report: 99_999_999,
            version: 1,
        },
    )
    .unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::NotFound));
}

#[test]
fn notes_apply_and_undo_withdraws_without_deleting() {
    let mut d = sample();
    let unit = missing_unit(&d.conn);
    let item = ItemKey::Report { unit, month: oct() };
    let a = applied(
        apply(
            &mut d.conn,
            &ctx(),
            &Command::Note {
                item,
                text: " 已电话联系，周五前补报 ".into(),
            },
        )
        .unwrap(),
    );
    let notes = db::notes::notes(&d.conn, item).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].text.as_str(), notes[0].user.as_str(), notes[0].withdrawn),
        ("已电话联系，周五前补报", "wangfang", false)
    );
    applied(apply(&mut d.conn, &ctx(), &a.undo.clone().unwrap()).unwrap());
    let notes = db::notes::notes(&d.conn, item).unwrap();
    assert_eq!(notes.len(), 1, "history is never deleted");
    assert!(notes[0].withdrawn);
    // Undoing twice is refused.
    let o = apply(&mut d.conn, &ctx(), &a.undo.unwrap()).unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::AlreadyWithdrawn));
    let hist = db::notes::history(&d.conn, item, 50).unwrap();
    let actions: Vec<(&str, &str)> = hist.iter().map(|h| (h.action.as_str(), h.result.as_str())).collect();
    assert_eq!(
        actions,
        [("note", "ok"), ("withdraw_note", "ok"), ("withdraw_note", "refused")]
    );
    let o = apply(
        &mut d.conn,
        &ctx(),
        &Command::Note {
            item,
            text: String::new(),
        },
    )
    .unwrap();
    assert!(matches!(o, Outcome::Refused(Refusal::Text(_))));
    let o = apply(
        &mut d.conn,
        &ctx(),
        &Command::Note {
            item: ItemKey::Measure(9_999_999),
            text: "x".into(),
        },
    )
    .unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::NotFound));
}

#[test]
fn reminders_only_for_overdue_missing_or_returned_reports() {
    let mut d = sample();
    let c = ctx();
    let remind = |item| Command::Remind {
        item,
        channel: Channel::Phone,
        note: "请尽快报送".into(),
    };
    let unit = missing_unit(&d.conn);
    let item = ItemKey::Report { unit, month: oct() };
    let before = db::notes::reminder_count(&d.conn, item).unwrap();
    let a = applied(apply(&mut d.conn, &c, &remind(item)).unwrap());
    assert_eq!(db::notes::reminder_count(&d.conn, item).unwrap(), before + 1);
    let r = db::notes::reminders(&d.conn, item).unwrap().pop().unwrap();
    assert_eq!(
        (r.channel, r.note.as_str(), r.user.as_str()),
        (Channel::Phone, "请尽快报送", "wangfang")
    );
    // Undo withdraws it: the count goes back, the row stays.
    applied(apply(&mut d.conn, &c, &a.undo.unwrap()).unwrap());
    assert_eq!(db::notes::reminder_count(&d.conn, item).unwrap(), before);
    assert!(db::notes::reminders(&d.conn, item).unwrap().last().unwrap().withdrawn);

    // A received report, a report not yet due, a returned one.
    let (rid, _) = report_in(&d.conn, "new");
    let st = db::reports::state(&d.conn, rid).unwrap().unwrap();
    let received = ItemKey::Report {
        unit: st.unit_id,
        month: st.month,
    };
    assert_eq!(
        apply(&mut d.conn, &c, &remind(received)).unwrap(),
        Outcome::Refused(Refusal::ReportArrived)
    );
    let not_due = ItemKey::Report {
        unit,
        month: "2026-11".parse().unwrap(),
    };
    assert_eq!(
        apply(&mut d.conn, &c, &remind(not_due)).unwrap(),
        Outcome::Refused(Refusal::NotYetDue)
    );
    let (ret, _) = report_in(&d.conn, "returned");
    let st = db::reports::state(&d.conn, ret).unwrap().unwrap();
    let returned = ItemKey::Report {
        unit: st.unit_id,
        month: st.month,
    };
    assert!(apply(&mut d.conn, &c, &remind(returned)).unwrap().is_applied());
    // Closed and unknown items.
    let done: i64 = d
        .conn
        .query_row("SELECT id FROM measures WHERE status = 'done' LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        apply(&mut d.conn, &c, &remind(ItemKey::Measure(done))).unwrap(),
        Outcome::Refused(Refusal::Closed)
    );
    let open: i64 = d
        .conn
        .query_row(
            "SELECT id FROM measures WHERE status = 'open' AND due_date IS NOT NULL LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        apply(&mut d.conn, &c, &remind(ItemKey::Measure(open)))
            .unwrap()
            .is_applied()
    );
    assert_eq!(
        apply(&mut d.conn, &c, &remind(ItemKey::Milestone(1))).unwrap(),
        Outcome::Refused(Refusal::NotApplicable)
    );
}

#[test]
fn a_batch_is_one_transaction_with_an_outcome_per_command() {
    let mut d = sample();
    let units: Vec<i64> = {
        let mut s = d
            .conn
            .prepare(
                "SELECT u.id FROM units u WHERE u.reporting = 1
                   AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = u.id AND r.month = '2026-10')
                 ORDER BY u.sort LIMIT 3",
            )
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(units.len(), 3);
    let (rid, _) = report_in(&d.conn, "accepted");
    let st = db::reports::state(&d.conn, rid).unwrap().unwrap();
    let mut cmds: Vec<Command> = units
        .iter()
        .map(|&u| Command::Remind {
            item: ItemKey::Report { unit: u, month: oct() },
            channel: Channel::Notice,
            note: String::new(),
        })
        .collect();
    cmds.push(Command::Remind {
        item: ItemKey::Report {
            unit: st.unit_id,
            month: st.month,
        },
        channel: Channel::Notice,
        note: String::new(),
    });
    let out = apply_all(&mut d.conn, &ctx(), &cmds).unwrap();
    assert_eq!(out.iter().filter(|o| o.is_applied()).count(), 3);
    assert_eq!(out[3], Outcome::Refused(Refusal::ReportArrived));
    assert_eq!(crate::db::audit::verify_chain(&d.conn).unwrap(), None);
}

#[test]
fn busy_is_retried_then_reported_with_the_holder() {
    let mut d = sample();
    let unit = missing_unit(&d.conn);
    let item = ItemKey::Report { unit, month: oct() };
    // Another connection holds the write lock briefly: the command waits and succeeds.
    let path = d.path.clone();
    let holder = std::thread::spawn(move || {
        let mut c = Connection::open(&path).unwrap();
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(700));
        tx.commit().unwrap();
    });
    std::thread::sleep(std::time::Duration::from_millis(100));
    let o = apply(
        &mut d.conn,
        &ctx(),
        &Command::Note {
            item,
            text: "等锁".into(),
        },
    )
    .unwrap();
    assert!(o.is_applied(), "{o:?}");
    holder.join().unwrap();
}

#[test]
fn busy_after_every_retry_names_the_process_holding_the_lock() {
    let mut d = sample();
    let script = format!(
        "import sqlite3,time\nc=sqlite3.connect({:?}, isolation_level=None)\nc.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\ntime.sleep(5)\n",
        d.path.display().to_string()
    );
    let Ok(mut child) = std::process::Command::new("python3")
        .args(["-c", &script])
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("python3 not available; skipped");
        return;
    };
    let mut buf = [0u8; 7];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut buf).unwrap();
    let e = retry_within(&mut d.conn, std::time::Duration::from_millis(400), |c| {
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.commit()?;
        Ok(())
    })
    .unwrap_err();
    let _ = child.kill();
    let _ = child.wait();
    let msg = crate::i18n::db_error_in(crate::i18n::Lang::En, &e);
    assert!(matches!(e, DbError::Busy(Some(_))), "{e:?}");
    assert!(
        msg.contains("python3 -c") && msg.contains("busy") && !msg.contains("database is locked"),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "one line: {msg}");
}

#[test]
fn a_read_only_connection_refuses_every_command() {
    let d = sample();
    drop(d.conn);
    let mut ro = db::open(&d.path, Mode::ReadOnly).unwrap();
    let e = apply(
        &mut ro,
        &ctx(),
        &Command::Note {
            item: ItemKey::Measure(1),
            text: "x".into(),
        },
    )
    .unwrap_err();
    assert!(matches!(e, DbError::ReadOnly), "{e:?}");
}

/// An open measure with a due date: (id, version, due).
fn open_measure(conn: &Connection) -> (i64, i64, NaiveDate) {
    conn.query_row(
        "SELECT id, version, due_date FROM measures WHERE status = 'open' AND due_date > '2026-12-31'
         ORDER BY id LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?.parse().unwrap())),
    )
    .unwrap()
}

fn conflict_by(o: &Outcome) -> (String, String) {
    let Outcome::Conflict(c) = o else {
        panic!("expected a conflict, got {o:?}")
    };
    let (user, _, action) = c.by.clone().expect("the conflict names who");
    (user, action)
}

/// Two staff act on the same row from what each saw: the second is told
/// who changed it (a conflict), not a business rule the first change
/// created ("must be later", "already escalated", "already done").
#[test]
fn a_race_is_a_conflict_naming_the_other_user_before_any_rule() {
    let mut a = sample();
    let mut b = db::open(&a.path, Mode::ReadWrite).unwrap();
    let (m, v, due) = open_measure(&a.conn);
    let item = ItemKey::Measure(m);
    let to = due + chrono::Duration::days(30);
    let extend = |version| Command::Extend {
        item,
        version,
        to,
        reason: "等待批复".into(),
        late: false,
    };
    applied(apply(&mut a.conn, &other(), &extend(v)).unwrap());
    let o = apply(&mut b, &ctx(), &extend(v)).unwrap();
    assert_eq!(conflict_by(&o), ("zhaolei".into(), "extend".into()));
    // An empty reason does not hide the conflict either.
    let o = apply(
        &mut b,
        &ctx(),
        &Command::Extend {
            item,
            version: v,
            to: to + chrono::Duration::days(1),
            reason: " ".into(),
            late: false,
        },
    )
    .unwrap();
    assert!(matches!(o, Outcome::Conflict(_)), "{o:?}");

    // Escalate: both saw version v + 1.
    let esc = |version| Command::Escalate {
        item,
        version,
        on: true,
        note: "多次催办未果".into(),
        undoes: None,
    };
    applied(apply(&mut a.conn, &other(), &esc(v + 1)).unwrap());
    let o = apply(&mut b, &ctx(), &esc(v + 1)).unwrap();
    assert_eq!(conflict_by(&o), ("zhaolei".into(), "escalate".into()));

    // Done: both saw version v + 2.
    let done = |version| Command::Done {
        item,
        version,
        note: String::new(),
    };
    applied(apply(&mut a.conn, &other(), &done(v + 2)).unwrap());
    let o = apply(&mut b, &ctx(), &done(v + 2)).unwrap();
    assert_eq!(conflict_by(&o), ("zhaolei".into(), "done".into()));

    // A report returned by one while the other returns it with a date that
    // the first change does not make wrong: still the conflict.
    let (id, rv) = report_in(&a.conn, "new");
    let ret = |date: &str| Command::Return {
        report: id,
        version: rv,
        reason: "数据有误".into(),
        resubmit_by: date.parse().unwrap(),
    };
    applied(apply(&mut a.conn, &other(), &ret("2026-12-05")).unwrap());
    let o = apply(&mut b, &ctx(), &ret("2026-11-01")).unwrap();
    assert_eq!(conflict_by(&o), ("zhaolei".into(), "return".into()));
}

/// The console goes through the same check as the command line: a report
/// of a month before reporting starts or after the current month is not
/// an item.
#[test]
fn report_items_outside_the_schedule_are_not_found() {
    let mut d = sample();
    let unit = missing_unit(&d.conn);
    for month in ["2030-01", "2026-12", "2021-06"] {
        let item = ItemKey::Report {
            unit,
            month: month.parse().unwrap(),
        };
        for cmd in [
            Command::Note { item, text: "x".into() },
            Command::Done {
                item,
                version: 0,
                note: String::new(),
            },
            Command::Snooze {
                item,
                version: 0,
                until: Some("2026-12-07".parse().unwrap()),
                undoes: None,
            },
            Command::Escalate {
                item,
                version: 0,
                on: true,
                note: String::new(),
                undoes: None,
            },
        ] {
            assert_eq!(
                apply(&mut d.conn, &ctx(), &cmd).unwrap(),
                Outcome::Refused(Refusal::NotFound),
                "{month} {cmd:?}"
            );
        }
    }
    // The current month's report (not yet due) is one.
    let item = ItemKey::Report {
        unit,
        month: "2026-11".parse().unwrap(),
    };
    let note = Command::Note {
        item,
        text: "已提醒".into(),
    };
    assert!(apply(&mut d.conn, &ctx(), &note).unwrap().is_applied());
}

/// The date limits hold whichever front sends the command.
#[test]
fn extension_and_snooze_dates_keep_the_limits() {
    use crate::domain::input::{MAX_EXTEND_DAYS, MAX_SNOOZE_DAYS};
    let mut d = sample();
    let (m, v, _) = open_measure(&d.conn);
    let item = ItemKey::Measure(m);
    let today = ctx().today;
    let extend = |to: NaiveDate| Command::Extend {
        item,
        version: v,
        to,
        reason: "等待批复".into(),
        late: true,
    };
    let far = today + chrono::Duration::days(MAX_EXTEND_DAYS + 1);
    assert_eq!(
        apply(&mut d.conn, &ctx(), &extend(far)).unwrap(),
        Outcome::Refused(Refusal::DateTooFar)
    );
    let snooze = |days| Command::Snooze {
        item,
        version: v,
        until: Some(today + chrono::Duration::days(days)),
        undoes: None,
    };
    let o = apply(&mut d.conn, &ctx(), &snooze(MAX_SNOOZE_DAYS + 1)).unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::DateTooFar));
    assert!(
        crate::i18n::Lang::En
            .s()
            .refusal_for(&Refusal::DateTooFar, &snooze(MAX_SNOOZE_DAYS + 1))
            .contains(&MAX_SNOOZE_DAYS.to_string())
    );
    let o = apply(&mut d.conn, &ctx(), &snooze(0)).unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::DateInPast));
    assert_eq!(
        crate::i18n::Lang::En.s().refusal_for(&Refusal::DateInPast, &snooze(0)),
        crate::i18n::Lang::En.s().snooze_past
    );
    assert!(
        apply(
            &mut d.conn,
            &ctx(),
            &extend(today + chrono::Duration::days(MAX_EXTEND_DAYS))
        )
        .unwrap()
        .is_applied()
    );
}

/// The console gets the same refusals as the command line.
#[test]
fn closed_items_meetings_and_taking_back_nothing_are_refused() {
    let mut d = sample();
    let c = ctx();
    let snooze = |item, until: Option<&str>| Command::Snooze {
        item,
        version: db::flags::version(&d.conn, item).unwrap(),
        until: until.map(|u| u.parse().unwrap()),
        undoes: None,
    };
    let escalate = |item, on| Command::Escalate {
        item,
        version: db::flags::version(&d.conn, item).unwrap(),
        on,
        note: String::new(),
        undoes: None,
    };
    let delegated = ItemKey::Authority(3);
    let cmds = [
        (snooze(delegated, Some("2026-12-07")), Refusal::Closed),
        (escalate(delegated, true), Refusal::Closed),
        (snooze(ItemKey::Measure(2), None), Refusal::AlreadyWithdrawn),
        (escalate(ItemKey::Measure(2), false), Refusal::AlreadyWithdrawn),
        (
            Command::Remind {
                item: ItemKey::Meeting(22),
                channel: Channel::Phone,
                note: String::new(),
            },
            Refusal::NotApplicable,
        ),
    ];
    for (cmd, want) in cmds {
        assert_eq!(apply(&mut d.conn, &c, &cmd).unwrap(), Outcome::Refused(want), "{cmd:?}");
    }
}

/// Undoing a take-back puts the escalation back as it was: its note, its
/// time and who escalated it.
#[test]
fn undoing_a_take_back_restores_the_escalation_as_it_was() {
    let mut d = sample();
    let (m, v, _) = open_measure(&d.conn);
    let item = ItemKey::Measure(m);
    applied(
        apply(
            &mut d.conn,
            &other(),
            &Command::Escalate {
                item,
                version: v,
                on: true,
                note: "三次催办未果，提请领导小组督办".into(),
                undoes: None,
            },
        )
        .unwrap(),
    );
    let before = db::flags::flags(&d.conn, item).unwrap();
    assert!(before.escalated_at.is_some());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let back = applied(
        apply(
            &mut d.conn,
            &ctx(),
            &Command::Escalate {
                item,
                version: v + 1,
                on: false,
                note: String::new(),
                undoes: None,
            },
        )
        .unwrap(),
    );
    assert_eq!(db::flags::flags(&d.conn, item).unwrap().escalated_at, None);
    applied(apply(&mut d.conn, &ctx(), &back.undo.unwrap()).unwrap());
    let after = db::flags::flags(&d.conn, item).unwrap();
    assert_eq!(
        (after.escalated_at, after.escalated_by, after.escalate_note),
        (before.escalated_at, before.escalated_by, before.escalate_note)
    );
}

// ---------------------------------------------------------------- checklist and measures

fn authority_in(conn: &Connection, status: &str) -> (i64, i64) {
    conn.query_row(
        "SELECT id, version FROM authority_items WHERE status = ?1 ORDER BY id LIMIT 1",
        [status],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn mv(item: (i64, i64), to: crate::domain::AuthorityStatus, doc: &str, note: &str) -> Command {
    Command::AuthorityMove {
        item: item.0,
        version: item.1,
        to,
        date: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        doc_no: doc.into(),
        note: note.into(),
        undoes: None,
    }
}

#[test]
fn authority_moves_follow_the_workflow_and_undo_restores() {
    use crate::domain::AuthorityStatus as S;
    let mut d = sample();
    let c = ctx();
    let item = authority_in(&d.conn, "approved");
    // Delegating without a document number is refused; nothing changes.
    let o = apply(&mut d.conn, &c, &mv(item, S::Delegated, "", "")).unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::NeedsDocNo));
    // Backwards is not a move.
    let o = apply(&mut d.conn, &c, &mv(item, S::Proposed, "", "")).unwrap();
    assert!(matches!(o, Outcome::Refused(Refusal::StatusNotAllowed { .. })));
    // A future date is refused.
    let mut future = mv(item, S::Delegated, "藏政发〔2026〕12号", "");
    if let Command::AuthorityMove { date, .. } = &mut future {
        *date = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    }
    assert_eq!(
        apply(&mut d.conn, &c, &future).unwrap(),
        Outcome::Refused(Refusal::DateInFuture)
    );
    // With the 文号: delegated, dated, an event and an audit row.
    let a = applied(
        apply(
            &mut d.conn,
            &c,
            &mv(item, S::Delegated, "藏政发〔2026〕12号", "正式印发"),
        )
        .unwrap(),
    );
    let st = db::checklist::state(&d.conn, item.0).unwrap().unwrap();
    assert_eq!(
        (st.status, st.doc_no.as_str(), st.delegated_date.as_deref(), st.version),
        (S::Delegated, "藏政发〔2026〕12号", Some("2026-11-28"), item.1 + 1)
    );
    let ev = db::checklist::events(&d.conn, item.0).unwrap();
    let last = ev.last().unwrap();
    assert_eq!(
        (last.from, last.to, last.user.as_str()),
        (Some(S::Approved), S::Delegated, "wangfang")
    );
    // A stale version conflicts, naming who changed it.
    let o = apply(&mut d.conn, &other(), &mv(item, S::Undertaken, "", "")).unwrap();
    match o {
        Outcome::Conflict(cf) => assert_eq!(cf.by.unwrap().0, "wangfang"),
        other => panic!("{other:?}"),
    }
    // Undo puts status, document and date back.
    applied(apply(&mut d.conn, &c, &a.undo.unwrap()).unwrap());
    let back = db::checklist::state(&d.conn, item.0).unwrap().unwrap();
    assert_eq!(
        (back.status, back.doc_no.as_str(), back.delegated_date),
        (S::Approved, "", None)
    );
    // 收回 needs a reason; 收回 is final.
    let item = (item.0, back.version);
    assert_eq!(
        apply(&mut d.conn, &c, &mv(item, S::Revoked, "", "")).unwrap(),
        Outcome::Refused(Refusal::NeedsReason)
    );
    applied(apply(&mut d.conn, &c, &mv(item, S::Revoked, "", "职能调整")).unwrap());
    let item = (item.0, item.1 + 1);
    assert!(matches!(
        apply(&mut d.conn, &c, &mv(item, S::Proposed, "", "")).unwrap(),
        Outcome::Refused(Refusal::StatusNotAllowed { .. })
    ));
}

#[test]
fn authority_items_are_added_and_edited_never_deleted() {
    let mut d = sample();
    let c = ctx();
    let zone: i64 = d
        .conn
        .query_row(
            "SELECT id FROM units WHERE kind = 'zone' ORDER BY sort LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let dept: i64 = d
        .conn
        .query_row("SELECT id FROM units WHERE name = '科技厅'", [], |r| r.get(0))
        .unwrap();
    let fields = db::checklist::AuthorityFields {
        zone_id: zone,
        domain: crate::domain::AuthorityDomain::Talent,
        level: crate::domain::AuthorityLevel::Region,
        name: "高层次人才认定".into(),
        grantor_id: Some(dept),
        due_date: NaiveDate::from_ymd_opt(2027, 3, 31),
        note: String::new(),
    };
    let a = applied(
        apply(
            &mut d.conn,
            &c,
            &Command::AuthorityAdd {
                fields: Box::new(fields.clone()),
            },
        )
        .unwrap(),
    );
    let ItemKey::Authority(id) = a.item else { panic!() };
    // The same name in the same zone is refused.
    assert_eq!(
        apply(
            &mut d.conn,
            &c,
            &Command::AuthorityAdd {
                fields: Box::new(fields.clone())
            }
        )
        .unwrap(),
        Outcome::Refused(Refusal::NameTaken)
    );
    // A unit that is not a zone is refused.
    let bad = db::checklist::AuthorityFields {
        zone_id: dept,
        name: "x".into(),
        ..fields.clone()
    };
    assert_eq!(
        apply(&mut d.conn, &c, &Command::AuthorityAdd { fields: Box::new(bad) }).unwrap(),
        Outcome::Refused(Refusal::NotAZone)
    );
    // Edit, then undo the edit.
    let renamed = db::checklist::AuthorityFields {
        name: "高层次人才认定（含柔性引进）".into(),
        ..fields.clone()
    };
    let e = applied(
        apply(
            &mut d.conn,
            &c,
            &Command::AuthorityEdit {
                item: id,
                version: 1,
                fields: Box::new(renamed),
                undoes: None,
            },
        )
        .unwrap(),
    );
    applied(apply(&mut d.conn, &c, &e.undo.unwrap()).unwrap());
    assert_eq!(
        db::checklist::fields(&d.conn, id).unwrap().unwrap().0.name,
        "高层次人才认定"
    );
    // Undoing the add withdraws it (收回); the row stays.
    let (_, v) = db::checklist::fields(&d.conn, id).unwrap().unwrap();
    let mut undo = a.undo.unwrap();
    if let Command::AuthorityMove { version, .. } = &mut undo {
        *version = v;
    }
    applied(apply(&mut d.conn, &c, &undo).unwrap());
    let st = db::checklist::state(&d.conn, id).unwrap().unwrap();
    assert_eq!(st.status, crate::domain::AuthorityStatus::Revoked);
}

#[test]
fn measures_take_owners_from_their_article_and_undo_restores() {
    let mut d = sample();
    let c = ctx();
    let m = db::measures::list(&d.conn, &Default::default()).unwrap().remove(0);
    let named = db::measures::article_units(&d.conn, m.article_no).unwrap();
    let stranger: i64 = d
        .conn
        .query_row(
            "SELECT id FROM units WHERE id NOT IN (SELECT unit_id FROM assignments WHERE article_no = ?1) LIMIT 1",
            [m.article_no],
            |r| r.get(0),
        )
        .unwrap();
    let set = |plan: db::measures::MeasurePlan, version: i64| Command::MeasureSet {
        measure: m.id,
        version,
        plan,
        undoes: None,
    };
    let due = NaiveDate::from_ymd_opt(2027, 6, 30);
    let o = apply(
        &mut d.conn,
        &c,
        &set(
            db::measures::MeasurePlan {
                due,
                done: None,
                owners: vec![stranger],
            },
            m.version,
        ),
    )
    .unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::NotOnArticle));
    let o = apply(
        &mut d.conn,
        &c,
        &set(
            db::measures::MeasurePlan {
                due,
                done: None,
                owners: vec![],
            },
            m.version,
        ),
    )
    .unwrap();
    assert_eq!(o, Outcome::Refused(Refusal::NoOwners));
    let plan = db::measures::MeasurePlan {
        due,
        done: NaiveDate::from_ymd_opt(2026, 11, 20),
        owners: vec![named[0].0],
    };
    let a = applied(apply(&mut d.conn, &c, &set(plan.clone(), m.version)).unwrap());
    let now = db::measures::get(&d.conn, m.id).unwrap().unwrap();
    assert_eq!(now.plan(), plan);
    assert_eq!(now.status, crate::domain::MeasureStatus::Done);
    applied(apply(&mut d.conn, &c, &a.undo.unwrap()).unwrap());
    assert_eq!(db::measures::get(&d.conn, m.id).unwrap().unwrap().plan(), m.plan());
}
