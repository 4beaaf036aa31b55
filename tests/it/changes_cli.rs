//! Rules every change from the command line obeys, through the real binary
//! on temporary copies of sample.db: `--read-only`, typed text, batches of
//! ids, the schedule of reports, date limits and the notices.

use crate::common::*;
use rusqlite::Connection;

fn sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    (dir, db)
}

/// `dudao --today 2026-11-30 ARGS… DB`.
fn run(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    dudao_en()
        .args(["--today", "2026-11-30"])
        .args(args)
        .arg(db)
        .output()
        .unwrap()
}

fn audit_count(db: &std::path::Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn read_only_refuses_every_change_and_leaves_the_file_untouched() {
    let (_d, db) = sample();
    let before = std::fs::read(&db).unwrap();
    let changes: &[&[&str]] = &[
        &["extend", "M85", "--to", "+20", "--reason", "x", "--late"],
        &["done", "M85"],
        &["snooze", "M85", "--until", "+7"],
        &["escalate", "M85"],
        &["remind", "M85"],
        &["report", "accept", "R1-2026-10"],
        &["report", "return", "R1-2026-10", "--reason", "x"],
        &["report", "note", "R1-2026-10", "--text", "x"],
    ];
    for args in changes {
        let out = dudao_en()
            .args(["--read-only", "--today", "2026-11-30"])
            .args(*args)
            .arg(&db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("--read-only") && err.contains("nothing was changed"),
            "{args:?}: {err}"
        );
        assert!(std::fs::read(&db).unwrap() == before, "{args:?} changed the file");
    }
    // Reading still works.
    let out = dudao_en()
        .args(["--read-only", "--today", "2026-11-30", "notice", "M85"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&db).unwrap() == before);
}

/// Typed text is stored without control or direction-changing characters,
/// as the console's fields leave them out.
#[test]
fn typed_text_is_stored_without_control_characters() {
    let (_d, db) = sample();
    let hostile = "已电话\x1b]0;PWNED\x07联系\x1b[2J，\u{202e}周五前\u{9b}31m补报\r";
    let out = run(&db, &["report", "note", "R1-2026-10", "--text", hostile]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&db, &["extend", "M85", "--to", "+20", "--reason", hostile, "--late"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&db, &["remind", "M2", "--note", hostile]);
    assert!(out.status.success(), "{}", stderr(&out));
    let c = Connection::open(&db).unwrap();
    let stored: Vec<String> = [
        "SELECT text FROM notes ORDER BY id DESC LIMIT 1",
        "SELECT reason FROM extensions ORDER BY id DESC LIMIT 1",
        "SELECT note FROM reminders ORDER BY id DESC LIMIT 1",
    ]
    .iter()
    .map(|q| c.query_row(q, [], |r| r.get(0)).unwrap())
    .collect();
    for t in &stored {
        assert_eq!(t, "已电话]0;PWNED联系[2J，周五前31m补报", "{t:?}");
        assert!(!t.chars().any(dudao::text::is_dangerous), "{t:?}");
    }
    // Nothing left but control characters is an empty text.
    let out = run(&db, &["report", "note", "R1-2026-10", "--text", "\x1b\x07\u{202e}"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

fn reminders_of(db: &std::path::Path, key: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM reminders WHERE entity = 'measure' AND entity_key = ?1",
            [key],
            |r| r.get(0),
        )
        .unwrap()
}

/// One bad id in a batch changes nothing, so that running the command
/// again after fixing the typo does not remind twice.
#[test]
fn a_batch_with_a_bad_id_changes_nothing() {
    let (_d, db) = sample();
    let (before, audit) = (reminders_of(&db, "2"), audit_count(&db));
    let out = run(&db, &["remind", "M2", "bogus", "M99999"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("bogus") && err.contains("M99999"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(!err.contains("reminder recorded"), "{err}");
    assert_eq!(
        reminders_of(&db, "2"),
        before,
        "M2 was reminded although the batch was refused"
    );
    assert_eq!(audit_count(&db), audit);
    // The same id twice is a mistake too.
    let out = run(&db, &["remind", "M2", "M2"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(reminders_of(&db, "2"), before);
    // Fixed, it reminds once.
    let out = run(&db, &["remind", "M2", "M15"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reminders_of(&db, "2"), before + 1);
    // report accept takes the same path.
    let out = run(&db, &["report", "accept", "R1-2026-10", "nonsense"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

/// A last argument that looks like a database file but does not exist is
/// named as such, not taken for an id (which sent the command to the
/// default database).
#[test]
fn a_mistyped_database_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let before = std::fs::read(&db).unwrap();
    let out = dudao_en()
        .current_dir(dir.path())
        .args(["remind", "M2", "c3-typo.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("c3-typo.db") && err.contains("does not exist"), "{err}");
    assert!(!err.contains("dudao.db"), "{err}");
    assert!(std::fs::read(&db).unwrap() == before);
}

/// Reports are owed from `reporting_start` through the current month; an id
/// outside that is not an item, whatever the command.
#[test]
fn report_ids_outside_the_schedule_are_refused() {
    let (_d, db) = sample();
    let (before, audit) = (std::fs::read(&db).unwrap(), audit_count(&db));
    for args in [
        &["done", "R12-2030-01"][..],
        &["report", "note", "R9-2030-10", "--text", "x"],
        &["snooze", "R9-2026-12", "--until", "+7"],
        &["escalate", "R9-2019-01"],
        &["remind", "R9-2021-06"],
    ] {
        let out = run(&db, args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("no report is expected") && err.contains("2021-07") && err.contains("2026-11"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(audit_count(&db), audit);
    assert!(std::fs::read(&db).unwrap() == before);
    // The current month's report (not yet due) is an item.
    let out = run(&db, &["report", "note", "R9-2026-11", "--text", "已提醒"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The limits on dates are the write path's, so the command line and the
/// console keep the same ones (`domain::input::MAX_EXTEND_DAYS`,
/// `MAX_SNOOZE_DAYS`), and each refusal says which.
#[test]
fn dates_too_far_ahead_or_not_after_today_are_refused_with_the_right_reason() {
    let (_d, db) = sample();
    let audit = audit_count(&db);
    let refused = |args: &[&str], expect: &str| {
        let out = run(&db, args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expect), "{args:?}: {}", stderr(&out));
    };
    refused(
        &[
            "extend",
            "R9-2026-10",
            "--to",
            "2099-01-01",
            "--reason",
            "测试",
            "--late",
        ],
        "at most 366 days",
    );
    refused(
        &["extend", "M85", "--to", "2026-11-20", "--reason", "测试", "--late"],
        "before today",
    );
    refused(&["snooze", "M2", "--until", "+0"], "snooze until a later day");
    refused(&["snooze", "M2", "--until", "2027-12-02"], "at most 366 days");
    assert_eq!(audit_count(&db), audit + 4, "refusals are audited");
    let out = run(&db, &["snooze", "M2", "--until", "2027-12-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(
        &db,
        &[
            "extend",
            "R9-2026-10",
            "--to",
            "2027-12-01",
            "--reason",
            "测试",
            "--late",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

fn alert_level(db: &std::path::Path, id: &str) -> String {
    let out = run(db, &["alerts", "--all", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} not listed"))["level"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Two reminders given together raise an item one step, not two: A38 has
/// 15 working days left (blue) and must not turn red (which means overdue).
#[test]
fn reminders_given_together_raise_one_step() {
    let (_d, db) = sample();
    assert_eq!(alert_level(&db, "A38"), "blue");
    for _ in 0..2 {
        let out = run(&db, &["remind", "A38"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // As if both had been given a week ago (reminders carry the real time).
    let c = Connection::open(&db).unwrap();
    let n = c
        .execute(
            "UPDATE reminders SET at = '2026-11-20T02:00:00Z' WHERE entity = 'authority' AND entity_key = '38'",
            [],
        )
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(alert_level(&db, "A38"), "yellow");
    // The wait is in working days: given on Friday, not yet ripe on Monday.
    c.execute(
        "UPDATE reminders SET at = '2026-11-27T02:00:00Z' WHERE entity = 'authority' AND entity_key = '38'",
        [],
    )
    .unwrap();
    assert_eq!(alert_level(&db, "A38"), "blue");
}

/// Refusals that fit what was asked: closed items take no snooze or
/// escalation (as they take no extension), taking back what is not there
/// is refused instead of recorded as done, meetings and milestones keep
/// their dates, meetings are not chased.
#[test]
fn refusals_are_consistent_and_name_the_right_reason() {
    let (_d, db) = sample();
    let audit_ok = |db: &std::path::Path| -> i64 {
        Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM audit_log WHERE result = 'ok'", [], |r| r.get(0))
            .unwrap()
    };
    let ok_before = audit_ok(&db);
    let refused = |args: &[&str], expect: &str| {
        let out = run(&db, args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expect), "{args:?}: {}", stderr(&out));
    };
    // A3 is delegated (closed), M23 done, G1 held.
    refused(&["extend", "A3", "--to", "+10", "--reason", "x"], "closed");
    refused(&["snooze", "A3", "--until", "+3"], "cannot be snoozed");
    refused(&["escalate", "A3"], "cannot be escalated");
    refused(&["snooze", "M23", "--until", "+3"], "cannot be snoozed");
    refused(&["escalate", "G1"], "cannot be escalated");
    // Nothing to take back.
    refused(&["escalate", "M2", "--withdraw"], "not escalated");
    refused(&["snooze", "M2", "--until", "none"], "not snoozed");
    // Meetings and milestones keep their dates; meetings are not chased.
    refused(&["extend", "G22", "--to", "+10", "--reason", "x"], "cannot be extended");
    refused(&["extend", "P1", "--to", "+10", "--reason", "x"], "cannot be extended");
    refused(&["remind", "G22"], "meeting");
    // The checklist is named as the console shows it.
    refused(&["done", "A5"], "checklist (pane 2");
    assert_eq!(audit_ok(&db), ok_before, "a refusal recorded a change");
    // What is there is taken back.
    assert!(run(&db, &["escalate", "M2"]).status.success());
    assert!(run(&db, &["escalate", "M2", "--withdraw"]).status.success());
    assert!(run(&db, &["snooze", "M2", "--until", "+3"]).status.success());
    assert!(run(&db, &["snooze", "M2", "--until", "none"]).status.success());
}

/// `report list` of a month outside the schedule says so instead of
/// listing every unit as years overdue.
#[test]
fn report_list_refuses_months_outside_the_schedule() {
    let (_d, db) = sample();
    for month in ["2019-01", "2021-06", "2027-01"] {
        let out = run(&db, &["report", "list", "--month", month]);
        assert_eq!(out.status.code(), Some(4), "{month}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("no report is expected") && err.contains("2021-07"),
            "{err}"
        );
        assert!(stdout(&out).is_empty());
    }
    for month in ["2021-07", "2026-11"] {
        let out = run(&db, &["report", "list", "--month", month]);
        assert!(out.status.success(), "{month}: {}", stderr(&out));
    }
}

/// `dudao` reading `config` (not `--no-config`), `--today 2026-11-30`.
fn with_config(config: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("dudao"));
    c.env_remove("NO_COLOR")
        .arg("--config")
        .arg(config)
        .args(["--today", "2026-11-30"]);
    c
}

/// The full names of a measure's owning units, as a notice addresses them.
fn owners_full(db: &std::path::Path, measure: i64) -> String {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT group_concat(full_name, '、') FROM (SELECT u.full_name FROM measure_owners o
               JOIN units u ON u.id = o.unit_id WHERE o.measure_id = ?1 ORDER BY u.sort)",
            [measure],
            |r| r.get(0),
        )
        .unwrap()
}

/// A notice is a document sent to units: addressed by their full names,
/// never to the office itself, with no placeholder left in it; a returned
/// report's notice says what is owed.
#[test]
fn notices_address_units_by_full_name_and_print_no_placeholder() {
    let (_d, db) = sample();
    let out = run(&db, &["notice", "M2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let to = owners_full(&db, 2);
    assert!(to.contains('、') && to.len() > "科技、文化、教育".len(), "{to}");
    assert!(text.contains(&format!("\n{to}：\n")), "{text}");
    assert!(!text.contains("科技、文化、教育"), "{text}");
    // No contact configured: no line for it, and a warning on stderr.
    assert!(!text.contains("联系人") && !text.contains("office_contact"), "{text}");
    assert!(!text.contains("\n\n\n"), "{text}");
    assert!(stderr(&out).contains("office_contact"), "{}", stderr(&out));
    // A meeting is the office's own: no notice.
    let out = run(&db, &["notice", "G22"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("no unit"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    // A returned report: the month's report is owed again, and why.
    let out = run(&db, &["notice", "R25-2026-09"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("事项：2026年9月月报（已退回，请修改后重报；退回原因：附表数据有误，请更正）"),
        "{text}"
    );
    // With a contact configured, it is printed.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "office_contact = \"卓玛 0891-6831234\"\n").unwrap();
    let out = with_config(&cfg).args(["notice", "M2"]).arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("联系人及电话：卓玛 0891-6831234"),
        "{}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("office_contact"), "{}", stderr(&out));
}

/// `--out` onto an existing file says so and writes nothing.
#[test]
fn notice_out_onto_an_existing_file_writes_nothing_and_says_why() {
    let (d, db) = sample();
    let f = d.path().join("n.txt");
    std::fs::write(&f, "earlier notice").unwrap();
    let out = run(&db, &["notice", "M2", "--out", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("already exists") && err.contains("nothing was written"),
        "{err}"
    );
    assert!(!err.contains("os error"), "{err}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "earlier notice");
}

/// A reminder given as a written notice saves the notice, as the console
/// does, in `notices_dir`, and says where.
#[test]
fn remind_by_notice_saves_the_notice() {
    let (d, db) = sample();
    let notices = d.path().join("notices");
    let cfg = d.path().join("config.toml");
    std::fs::write(&cfg, format!("notices_dir = {:?}\n", notices.to_str().unwrap())).unwrap();
    let out = with_config(&cfg)
        .args(["remind", "M2", "R7-2026-09", "--channel", "notice"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for (id, to) in [("M2", owners_full(&db, 2)), ("R7-2026-09", "农业农村厅".to_string())] {
        let path = notices.join(format!("{id}-2026-11-30.txt"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}\n{err}", path.display()));
        assert!(text.contains("催办通知单") && text.contains(&to), "{text}");
        assert!(err.contains(path.to_str().unwrap()), "{err}");
    }
    // Another channel saves nothing.
    let out = with_config(&cfg)
        .args(["remind", "M15", "--channel", "phone"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!notices.join("M15-2026-11-30.txt").exists());
}

/// 原定 (`first_due`) is the due date before any extension, for measures
/// and authority items too (whose rows carry the extended date).
#[test]
fn first_due_is_the_date_before_any_extension() {
    let (_d, db) = sample();
    let c = Connection::open(&db).unwrap();
    let out = run(&db, &["alerts", "--all", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut checked = 0;
    for r in rows.as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let (entity, key) = match id.split_at(1) {
            ("M", k) => ("measure", k),
            ("A", k) => ("authority", k),
            _ => continue,
        };
        let first: Option<String> = c
            .query_row(
                "SELECT old_due FROM extensions WHERE entity = ?1 AND entity_key = ?2 AND withdrawn_at IS NULL
                 ORDER BY id LIMIT 1",
                [entity, key],
                |r| r.get(0),
            )
            .ok();
        let Some(first) = first else { continue };
        assert_eq!(r["first_due"], first.as_str(), "{r}");
        assert_ne!(r["first_due"], r["due"], "{r}");
        checked += 1;
    }
    assert!(
        checked >= 2,
        "extended measures or authority items in the sample: {checked}"
    );
    // An extension from the command line keeps the first date.
    let before = rows.as_array().unwrap().iter().find(|r| r["id"] == "M2").unwrap()["due"].clone();
    let out = run(&db, &["extend", "M2", "--to", "+30", "--reason", "等待批复", "--late"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&db, &["alerts", "--all", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m2 = rows.as_array().unwrap().iter().find(|r| r["id"] == "M2").unwrap();
    assert_eq!(m2["first_due"], before, "{m2}");
}

/// The targets milestone (P1, deadline 2025-12-31) stays listed, overdue,
/// after its deadline until it is marked done.
#[test]
fn a_milestone_past_its_deadline_is_overdue_until_done() {
    let (_d, db) = sample();
    let list = || {
        let out = dudao_en()
            .args([
                "--today",
                "2026-01-15",
                "alerts",
                "--all",
                "--source",
                "milestone",
                "--format",
                "json",
            ])
            .arg(&db)
            .output()
            .unwrap();
        (
            out.status.code(),
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        )
    };
    let (code, rows) = list();
    assert_eq!(code, Some(5), "overdue: {rows}");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["id"], "P1");
    assert_eq!(rows[0]["due"], "2025-12-31");
    assert!(rows[0]["days_left"].as_i64().unwrap() < 0, "{}", rows[0]);
    let out = dudao_en()
        .args(["--today", "2026-01-15", "done", "P1", "--note", "目标任务已考核"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (code, rows) = list();
    assert_eq!(code, Some(0));
    assert!(rows.as_array().unwrap().is_empty(), "{rows}");
}
