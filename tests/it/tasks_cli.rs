//! The 督办 loop through the real binary on a copy of sample.db: a meeting
//! with two 议定事项 → two tasks with 督办编号 → one unit acknowledges,
//! reports progress in its monthly report file, asks for an extension that
//! is approved → the other goes red and gets a 红色督办单 copied to the
//! 分管领导 → both asked to close and closed (销号). Every step leaves its
//! audit row with the OS user; refusals are worded in the user's language.

use std::path::{Path, PathBuf};

use crate::common::*;
use rusqlite::Connection;

fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    (dir, db)
}

/// The command in Chinese (the default) on `today`.
fn run_on(db: &Path, today: &str, args: &[&str]) -> std::process::Output {
    dudao()
        .args(["--today", today, "--db"])
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        stdout(&out),
        stderr(&out)
    );
    format!("{}{}", stdout(&out), stderr(&out))
}

fn one<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_meetings_decisions_go_round_the_loop_and_out_of_it() {
    let (dir, db) = sample();
    let day = "2026-12-01";
    // A meeting held today, with its minutes and two decisions.
    let out = ok(run_on(
        &db,
        day,
        &["meeting", "plan", "--date", day, "--title", "领导小组专题会议"],
    ));
    assert!(out.contains("领导小组专题会议"), "{out}");
    let meeting: i64 = one(&db, "SELECT id FROM meetings WHERE title = '领导小组专题会议'");
    let g = format!("G{meeting}");
    ok(run_on(
        &db,
        day,
        &[
            "meeting",
            "agenda",
            &g,
            "--title",
            "审定众创空间运营补贴",
            "--unit",
            "财政厅",
        ],
    ));
    ok(run_on(
        &db,
        day,
        &["meeting", "minutes", &g, "--attendees", "领导小组组长、科技厅、财政厅"],
    ));
    let d1 = ok(run_on(
        &db,
        day,
        &[
            "meeting",
            "decide",
            &g,
            "--agenda",
            "1",
            "--text",
            "由科技厅牵头复核示范基地材料。",
        ],
    ));
    assert!(d1.contains("议定事项 1"), "{d1}");
    ok(run_on(
        &db,
        day,
        &["meeting", "decide", &g, "--text", "由财政厅拨付运营补贴并跟踪绩效。"],
    ));
    let decisions: Vec<i64> = {
        let c = Connection::open(&db).unwrap();
        let mut s = c
            .prepare("SELECT id FROM decisions WHERE meeting_id = ?1 ORDER BY ord")
            .unwrap();
        s.query_map([meeting], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(decisions.len(), 2);
    // The minutes as a document name both decisions.
    let minutes = ok(run_on(&db, day, &["meeting", "show", &g, "--format", "md"]));
    assert!(minutes.contains("# 领导小组专题会议纪要"), "{minutes}");
    assert!(
        minutes.contains("1. 由科技厅牵头") && minutes.contains("2. 由财政厅拨付"),
        "{minutes}"
    );

    // Two tasks with the next numbers of the year.
    let before: i64 = one(&db, "SELECT max(seq) FROM tasks WHERE year = 2026");
    let a1 = ok(run_on(
        &db,
        day,
        &[
            "task",
            "assign",
            "--decision",
            &decisions[0].to_string(),
            "--title",
            "复核示范基地材料",
            "--text",
            "复核示范基地认定材料并报备案。",
            "--lead",
            "科技厅",
            "--partner",
            "教育厅",
            "--within",
            "20",
            "--leader",
            "自治区领导（分管科技）",
        ],
    ));
    let code1 = format!("双创督〔2026〕{}号", before + 1);
    assert!(a1.contains(&code1), "{a1}");
    let a2 = ok(run_on(
        &db,
        day,
        &[
            "task",
            "assign",
            "--decision",
            &decisions[1].to_string(),
            "--title",
            "拨付运营补贴",
            "--text",
            "拨付运营补贴并跟踪绩效。",
            "--lead",
            "财政厅",
            "--due",
            "2026-12-10",
            "--leader",
            "自治区领导（分管财政）",
        ],
    ));
    let code2 = format!("双创督〔2026〕{}号", before + 2);
    assert!(a2.contains(&code2), "{a2}");
    let t1: i64 = one(&db, &format!("SELECT id FROM tasks WHERE code = '{code1}'"));
    let t2: i64 = one(&db, &format!("SELECT id FROM tasks WHERE code = '{code2}'"));
    let (d1, d2) = (format!("D{t1}"), format!("D{t2}"));
    // 20 working days from 2026-12-01 (no holiday in between).
    let due1: String = one(&db, &format!("SELECT due_date FROM tasks WHERE id = {t1}"));
    assert_eq!(due1, "2026-12-29");

    // Task 1: acknowledged, progress in the unit's report file, an
    // extension asked and approved.
    ok(run_on(&db, day, &["task", "ack", &d1]));
    // Only the lead acknowledges; a unit not on the task reports nothing.
    let partner = run_on(&db, day, &["task", "ack", &d1, "--unit", "教育厅"]);
    assert_eq!(partner.status.code(), Some(4), "{}", stderr(&partner));
    assert!(stderr(&partner).contains("只有牵头单位"), "{}", stderr(&partner));
    let template = ok(run_on(
        &db,
        day,
        &["template", "report", "--unit", "科技厅", "--month", "2026-11"],
    ));
    assert!(
        template.contains(&code1),
        "the template lists the unit's open tasks:\n{template}"
    );
    let file = dir.path().join("科技厅-2026-11.toml");
    std::fs::write(
        &file,
        format!(
            "unit = \"科技厅\"\nmonth = \"2026-11\"\nsummary = \"本月工作概述。\"\n\n\
             [[tasks]]\ntask = \"{code1}\"\nprogress = \"已完成材料初审。\"\n"
        ),
    )
    .unwrap();
    ok(run_on(&db, day, &["import", file.to_str().unwrap()]));
    let (state, from_report): (String, i64) = {
        let c = Connection::open(&db).unwrap();
        c.query_row(
            &format!(
                "SELECT t.state, (SELECT count(*) FROM task_events e WHERE e.task_id = t.id AND e.source = 'report'
                                  AND e.text = '已完成材料初审。') FROM tasks t WHERE t.id = {t1}"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert_eq!((state.as_str(), from_report), ("in_progress", 1));
    ok(run_on(
        &db,
        day,
        &["task", "ask", &d1, "--extend-to", "2027-01-15", "--reason", "需会签"],
    ));
    let requests = ok(run_on(&db, day, &["task", "requests"]));
    assert!(
        requests.contains(&code1) && requests.contains("2027-01-15"),
        "{requests}"
    );
    let q: i64 = one(
        &db,
        &format!("SELECT id FROM task_requests WHERE task_id = {t1} AND status = 'pending'"),
    );
    ok(run_on(&db, day, &["task", "approve", &q.to_string(), "--note", "同意"]));
    let due1: String = one(&db, &format!("SELECT due_date FROM tasks WHERE id = {t1}"));
    assert_eq!(due1, "2027-01-15", "the approved extension moved the deadline");
    let again = run_on(&db, day, &["task", "approve", &q.to_string()]);
    assert_eq!(again.status.code(), Some(4));
    assert!(stderr(&again).contains("该申请已答复"), "{}", stderr(&again));

    // Task 2 goes red after its deadline: a red notice, copied to the leader.
    let late = "2026-12-15";
    let notice = ok(run_on(&db, late, &["task", "notice", &d2]));
    assert!(notice.starts_with("红色督办单"), "{notice}");
    assert!(notice.contains(&code2) && notice.contains("财政厅："), "{notice}");
    assert!(notice.contains("已逾期 3 个工作日"), "{notice}");
    assert!(notice.contains("抄送：自治区领导（分管财政）"), "{notice}");
    // In bulk: every red task, one file each; task 1 (not yet due) is not among them.
    let out_dir = dir.path().join("notices");
    ok(run_on(
        &db,
        late,
        &[
            "task",
            "notice",
            "--grade",
            "red",
            "--format",
            "md",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    ));
    let files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.contains(&format!("{d2}-red-{late}.md")), "{files:?}");
    assert!(!files.iter().any(|f| f.starts_with(&format!("{d1}-"))), "{files:?}");
    let md = std::fs::read_to_string(out_dir.join(format!("{d2}-red-{late}.md"))).unwrap();
    assert!(md.starts_with("# 红色督办单"), "{md}");

    // Both close: the unit asks, the office signs off; nothing closes
    // that was not asked to.
    let early = run_on(&db, late, &["task", "close", &d2]);
    assert_eq!(early.status.code(), Some(4));
    assert!(stderr(&early).contains("不能办结销号"), "{}", stderr(&early));
    // The lead of task 2 never said it received it: progress says so.
    ok(run_on(&db, late, &["task", "progress", &d2, "--text", "补贴已拨付。"]));
    for d in [&d1, &d2] {
        ok(run_on(&db, late, &["task", "request-close", d, "--text", "已办结"]));
        ok(run_on(&db, late, &["task", "close", d, "--text", "同意销号"]));
    }
    let closed: i64 = one(
        &db,
        &format!("SELECT count(*) FROM tasks WHERE id IN ({t1}, {t2}) AND state = 'closed'"),
    );
    assert_eq!(closed, 2);
    let shown = ok(run_on(&db, late, &["task", "show", &d2]));
    assert!(
        shown.contains("已办结") && shown.contains("办结日期：2026-12-15"),
        "{shown}"
    );

    // Each step audited on the task with the OS user; the log verifies.
    let user = dudao::db::audit::Actor::current().user;
    let audited: i64 = one(
        &db,
        &format!(
            "SELECT count(*) FROM audit_log WHERE entity = 'task' AND entity_id = '{t1}' AND result = 'ok'
               AND user = '{user}'"
        ),
    );
    // assign, ack, feedback (from the report), ask, approve, request-close, close.
    assert_eq!(audited, 7);
    let check = dudao().args(["check"]).arg(&db).output().unwrap();
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn the_command_line_lists_and_shows_tasks_in_both_languages() {
    let (_dir, db) = sample();
    let zh = ok(run_on(&db, "2026-11-30", &["task", "list", "--open"]));
    assert!(
        zh.contains("督办编号") && zh.contains("办理中") && zh.contains("已交办"),
        "{zh}"
    );
    let en = dudao_en()
        .args(["--today", "2026-11-30", "--db"])
        .arg(&db)
        .args(["task", "list", "--open"])
        .output()
        .unwrap();
    let en = stdout(&en);
    assert!(en.contains("number") && en.contains("in progress"), "{en}");
    assert!(!en.contains("办理中"), "{en}");
    let csv = ok(run_on(&db, "2026-11-30", &["task", "list", "--format", "csv"]));
    assert!(csv.starts_with("id,code,title,source,lead"), "{csv}");
    let bad = run_on(&db, "2026-11-30", &["task", "show", "D99999"]);
    assert_eq!(bad.status.code(), Some(4));
    assert!(stderr(&bad).contains("没有这项督办事项"), "{}", stderr(&bad));
}

#[test]
fn a_report_file_naming_a_task_of_another_unit_is_refused_and_changes_nothing() {
    let (dir, db) = sample();
    let (code, lead): (String, String) = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT t.code, u.full_name FROM tasks t JOIN units u ON u.id = t.lead_unit_id
             WHERE t.state <> 'closed' AND u.full_name <> '科技厅' ORDER BY t.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_ne!(lead, "科技厅");
    let events: i64 = one(&db, "SELECT count(*) FROM task_events");
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        format!(
            "unit = \"科技厅\"\nmonth = \"2026-11\"\nsummary = \"概述\"\n\n[[tasks]]\ntask = \"{code}\"\nprogress = \"进展\"\n"
        ),
    )
    .unwrap();
    let out = run_on(&db, "2026-11-30", &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("不是") && stderr(&out).contains(&code),
        "{}",
        stderr(&out)
    );
    assert_eq!(one::<i64>(&db, "SELECT count(*) FROM task_events"), events);
}
