//! `dudao report …` and `dudao remind` through the real binary on temporary
//! copies of sample.db: the same write path, rules and audit as the console.

use crate::common::*;
use rusqlite::Connection;

fn sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    (dir, db)
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn os_user() -> String {
    let out = std::process::Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn report_list_has_every_expected_report_with_a_stable_id() {
    let (_d, db) = sample();
    let out = dudao_en()
        .args(["report", "list", "--format", "json"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = json(&out);
    let rows = rows.as_array().unwrap();
    let c = Connection::open(&db).unwrap();
    let reporting: i64 = c
        .query_row("SELECT count(*) FROM units WHERE reporting = 1", [], |r| r.get(0))
        .unwrap();
    // Every reporting unit, received or not, for the month due now (2026-10).
    assert_eq!(rows.len() as i64, reporting);
    let missing: Vec<&serde_json::Value> = rows.iter().filter(|r| r["status"] == "missing").collect();
    assert!(!missing.is_empty());
    for r in rows {
        let id = r["id"].as_str().unwrap();
        assert!(id.starts_with('R') && id.ends_with("-2026-10"), "{id}");
        assert_eq!(r["month"], "2026-10");
    }
    // The same ids on a second run, and in CSV.
    let again = dudao_en()
        .args(["report", "list", "--format", "csv"])
        .arg(&db)
        .output()
        .unwrap();
    let csv = stdout(&again);
    for r in rows {
        assert!(csv.contains(r["id"].as_str().unwrap()));
    }
    // Filters.
    let out = dudao_en()
        .args(["report", "list", "--status", "missing", "--format", "json"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(json(&out).as_array().unwrap().len(), missing.len());
    let out = dudao_en()
        .args([
            "report",
            "list",
            "--unit",
            "科技厅",
            "--month",
            "2026-09",
            "--format",
            "json",
        ])
        .arg(&db)
        .output()
        .unwrap();
    let one = json(&out);
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["unit"], "科技厅");
    // The table speaks Chinese by default, English with --lang en.
    let zh = stdout(&dudao().args(["report", "list"]).arg(&db).output().unwrap());
    assert!(
        zh.lines().next().unwrap().contains("单位") && zh.contains("逾期未报"),
        "{zh}"
    );
    let en = stdout(&dudao_en().args(["report", "list"]).arg(&db).output().unwrap());
    assert!(
        en.lines().next().unwrap().contains("Unit") && en.contains("missing"),
        "{en}"
    );
    // Bad input: one clear line, usage or input exit code.
    let out = dudao_en()
        .args(["report", "list", "--month", "2026-13"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--month"), "{}", stderr(&out));
    let out = dudao_en()
        .args(["report", "list", "--unit", "火星厅"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("火星厅"), "{}", stderr(&out));
}

#[test]
fn accept_return_note_and_remind_write_through_the_audited_path() {
    let (_d, db) = sample();
    let c = Connection::open(&db).unwrap();
    let new_id: String = c
        .query_row(
            "SELECT 'R' || unit_id || '-' || month FROM reports WHERE month = '2026-10' AND latest = 1 AND status = 'new' ORDER BY unit_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let out = dudao_en()
        .args(["report", "accept", &new_id])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("accepted"), "{}", stderr(&out));
    // Accepting again is refused with exit 4 and a reason.
    let out = dudao_en()
        .args(["report", "accept", &new_id])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("already accepted"), "{}", stderr(&out));

    // Return by UNIT/MONTH, with a Chinese reason and a short date.
    let out = dudao_en()
        .args([
            "--today",
            "2026-11-30",
            "report",
            "return",
            "文化厅/2026-10",
            "--reason",
            "附表数据有误，请更正",
            "--resubmit-by",
            "12-08",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (status, reason, by): (String, String, String) = c
        .query_row(
            "SELECT r.status, r.return_reason, r.resubmit_by FROM reports r JOIN units u ON u.id = r.unit_id
             WHERE u.name = '文化厅' AND r.month = '2026-10' AND r.latest = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_str(), by.as_str()),
        ("returned", "附表数据有误，请更正", "2026-12-08")
    );
    let out = dudao_en()
        .args([
            "report",
            "return",
            "文化厅/2026-10",
            "--reason",
            "x",
            "--resubmit-by",
            "2026-02-30",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    // A note and reminders on a missing report; a reminder on a received one is refused.
    let missing: String = c
        .query_row(
            "SELECT 'R' || u.id || '-2026-10' FROM units u WHERE u.reporting = 1
               AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = u.id AND r.month = '2026-10') ORDER BY u.sort LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let out = dudao_en()
        .args(["report", "note", &missing, "--text", "已电话联系，承诺周五前补报"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = dudao_en()
        .args([
            "remind",
            &missing,
            &new_id,
            "--channel",
            "phone",
            "--note",
            "第三次催办",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "one of two refused: {}", stderr(&out));
    assert!(stderr(&out).contains("reminder recorded") && stderr(&out).contains("nothing to chase"));

    // Everything is in the audit log with the OS user, and `check` passes.
    let user = os_user();
    let actions: Vec<(String, String, String)> = {
        let mut s = c
            .prepare("SELECT action, result, user FROM audit_log WHERE action IN ('accept','return','note','remind') ORDER BY id")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let summary: Vec<(&str, &str)> = actions.iter().map(|(a, r, _)| (a.as_str(), r.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("accept", "ok"),
            ("accept", "refused"),
            ("return", "ok"),
            ("note", "ok"),
            ("remind", "ok"),
            ("remind", "refused")
        ]
    );
    assert!(actions.iter().all(|(_, _, u)| *u == user), "{actions:?}");
    dudao_en().arg("check").arg(&db).assert().success();

    // `report show` has the note and the reminder, in text and JSON.
    let text = stdout(&dudao_en().args(["report", "show", &missing]).arg(&db).output().unwrap());
    assert!(
        text.contains("已电话联系") && text.contains("第三次催办") && text.contains("电话"),
        "{text}"
    );
    let j = json(
        &dudao_en()
            .args(["report", "show", &missing, "--format", "json"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert_eq!(j["status"], "missing");
    assert_eq!(j["notes"][0]["text"], "已电话联系，承诺周五前补报");
    assert!(
        j["reminders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["channel"] == "phone")
    );
}

#[test]
fn unknown_ids_and_items_are_refused_with_one_line_each() {
    let (_d, db) = sample();
    for (args, expect) in [
        (vec!["report", "accept", "X9"], "X9: not an item id"),
        (vec!["report", "accept", "R9999-2026-10"], "no such item"),
        (vec!["report", "accept", "R7-2026-09"], "no report has arrived"),
        (vec!["report", "show", "火星厅/2026-10"], "火星厅"),
        (vec!["remind", "M99999"], "no such item"),
        (vec!["remind", "P1"], "no notes or reminders"),
    ] {
        let out = dudao_en().args(&args).arg(&db).output().unwrap();
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expect), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
}

#[test]
fn hostile_text_in_the_database_never_reaches_show_raw() {
    let (_d, db) = sample();
    let c = Connection::open(&db).unwrap();
    c.execute(
        "UPDATE reports SET summary = 'x' || char(27) || ']0;PWNED' || char(7) || ' ' || char(8238) || 'fdp.exe'
         WHERE unit_id = 1 AND month = '2026-10'",
        [],
    )
    .unwrap();
    for fmt in ["text", "json"] {
        let out = dudao_en()
            .args(["report", "show", "R1-2026-10", "--format", fmt])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success());
        let raw = &out.stdout;
        assert!(!raw.contains(&0x1b) && !raw.contains(&0x07), "{fmt}");
        assert!(!String::from_utf8_lossy(raw).contains('\u{202e}'), "{fmt}");
        assert!(stdout(&out).contains("PWNED"), "{fmt}");
    }
}

/// Four `dudao remind` processes at once on one file, thirty reminders
/// each (one process per reminder): every reminder is recorded exactly
/// once, and none fails with "locked".
#[test]
fn four_remind_processes_at_once_lose_nothing() {
    let (_d, db) = sample();
    let missing: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT 'R' || u.id || '-2026-10' FROM units u WHERE u.reporting = 1
               AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = u.id AND r.month = '2026-10') ORDER BY u.sort LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    const EACH: usize = 30;
    let handles: Vec<_> = (0..4)
        .map(|p| {
            let db = db.clone();
            let id = missing.clone();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..EACH {
                    let out = dudao_en()
                        .args(["remind", &id, "--note", &format!("p{p}-{i}")])
                        .arg(&db)
                        .output()
                        .unwrap();
                    if !out.status.success() || stderr(&out).to_lowercase().contains("locked") {
                        failures.push(format!("p{p}-{i}: {:?} {}", out.status.code(), stderr(&out)));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    let c = Connection::open(&db).unwrap();
    for p in 0..4 {
        for i in 0..EACH {
            let n: i64 = c
                .query_row(
                    "SELECT count(*) FROM reminders WHERE note = ?1",
                    [format!("p{p}-{i}")],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "p{p}-{i}");
        }
    }
    let audited: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'remind' AND result = 'ok'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 4 * EACH as i64);
    dudao_en().arg("check").arg(&db).assert().success();
}

fn list_rows(db: &std::path::Path, month: &str) -> Vec<serde_json::Value> {
    let out = dudao_en()
        .args([
            "--today",
            "2026-11-30",
            "report",
            "list",
            "--format",
            "json",
            "--month",
            month,
        ])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    json(&out).as_array().unwrap().clone()
}

/// Due dates on a day off roll to the next working day, and days late are
/// working days, as in the alerts: a report due on Sunday 2021-12-05 and
/// received on Monday 12-06 is on time.
#[test]
fn days_late_are_working_days_after_a_rolled_due_date() {
    let (_d, db) = sample();
    let rows = list_rows(&db, "2021-11");
    let r8 = rows.iter().find(|r| r["id"] == "R8-2021-11").unwrap();
    assert_eq!(r8["due"], "2021-12-06", "{r8}");
    assert_eq!(r8["days_late"], 0, "{r8}");
    // Every row of a month shows the same rolled due date, received or not.
    let rows = list_rows(&db, "2026-09");
    let dues: std::collections::BTreeSet<String> =
        rows.iter().map(|r| r["due"].as_str().unwrap().to_string()).collect();
    assert_eq!(dues.len(), 1, "{dues:?}");
    assert_eq!(
        dues.iter().next().unwrap(),
        "2026-10-08",
        "after the National Day holiday"
    );
    // A missing report's days late are working days: the alerts agree.
    let missing = rows.iter().find(|r| r["status"] == "missing").unwrap().clone();
    let id = missing["id"].as_str().unwrap();
    let out = dudao_en()
        .args(["--today", "2026-11-30", "alerts", "--all", "--format", "json"])
        .arg(&db)
        .output()
        .unwrap();
    let alerts = json(&out);
    let a = alerts.as_array().unwrap().iter().find(|a| a["id"] == id).unwrap();
    assert_eq!(
        -a["days_left"].as_i64().unwrap(),
        missing["days_late"].as_i64().unwrap(),
        "{a} {missing}"
    );
}

/// 办结 on a report that never arrived settles it in the inbox too.
#[test]
fn a_missing_report_marked_done_is_settled_in_the_inbox() {
    let (_d, db) = sample();
    let rows = list_rows(&db, "2026-06");
    let missing = rows.iter().find(|r| r["status"] == "missing").unwrap().clone();
    let id = missing["id"].as_str().unwrap();
    let out = dudao_en()
        .args(["--today", "2026-11-30", "done", id, "--note", "单位撤并，免报"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = list_rows(&db, "2026-06");
    let r = rows.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(r["status"], "closed", "{r}");
    assert_eq!(r["days_late"], 0, "{r}");
}

/// Extending a returned report moves its resubmission date everywhere it is shown.
#[test]
fn an_extended_resubmission_shows_its_new_date() {
    let (_d, db) = sample();
    let rows = list_rows(&db, "2026-10");
    let r = rows.iter().find(|r| r["status"] == "returned").unwrap().clone();
    let id = r["id"].as_str().unwrap();
    let out = dudao_en()
        .args([
            "--today",
            "2026-11-30",
            "extend",
            id,
            "--to",
            "2026-12-07",
            "--reason",
            "补充材料",
            "--late",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let show = dudao()
        .args(["--today", "2026-11-30", "report", "show", id])
        .arg(&db)
        .output()
        .unwrap();
    let text = stdout(&show);
    assert!(text.contains("重报期限 2026-12-07"), "{text}");
    assert!(text.contains("已延期至 2026-12-07"), "{text}");
    let rows = list_rows(&db, "2026-10");
    let r = rows.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(r["due"], "2026-12-07", "{r}");
}
