//! `dudao alerts` and the triage commands through the real binary, on
//! temporary copies of sample.db.

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

/// The cron job's view: byte-for-byte the same every run, exit 5 because
/// something is overdue. The golden file is `tests/golden/alerts-2026-11-30.json`;
/// after a deliberate change, regenerate it with `DUDAO_UPDATE_GOLDEN=1`.
#[test]
fn alerts_json_is_byte_stable_and_exits_5() {
    let golden = repo_root().join("tests/golden/alerts-2026-11-30.json");
    let run = || {
        dudao()
            .args(["alerts", "--format", "json", "--today", "2026-11-30"])
            .arg(repo_root().join("sample.db"))
            .output()
            .unwrap()
    };
    let a = run();
    assert_eq!(a.status.code(), Some(5), "{}", stderr(&a));
    let b = run();
    assert_eq!(a.stdout, b.stdout, "two runs differ");
    if std::env::var_os("DUDAO_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &a.stdout).unwrap();
    }
    let want = std::fs::read(&golden).expect("golden file (DUDAO_UPDATE_GOLDEN=1 makes it)");
    assert!(a.stdout == want, "output differs from {}", golden.display());
    // Every row is well formed.
    let rows = json(&a);
    let rows = rows.as_array().unwrap();
    assert!(rows.len() > 50, "{}", rows.len());
    for r in rows {
        assert!(
            r["id"].as_str().unwrap().parse::<dudao::domain::ItemKey>().is_ok(),
            "{r}"
        );
        assert_eq!(r["day_unit"], "working");
        assert!(r["days_left"].as_i64().unwrap() <= 30);
    }
    // Sorted most urgent first.
    let days: Vec<i64> = rows.iter().map(|r| r["days_left"].as_i64().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
}

#[test]
fn filters_and_the_exit_code_when_nothing_is_overdue() {
    let (_d, db) = sample();
    let all = json(
        &dudao_en()
            .args(["alerts", "--format", "json", "--all"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let n = all.as_array().unwrap().len();
    let overdue = json(
        &dudao_en()
            .args(["alerts", "--format", "json", "--level", "overdue"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(
        overdue
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["days_left"].as_i64().unwrap() < 0)
    );
    let reports = json(
        &dudao_en()
            .args(["alerts", "--format", "json", "--source", "report"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(reports.as_array().unwrap().iter().all(|r| r["source"] == "report"));
    let unit = json(
        &dudao_en()
            .args(["alerts", "--format", "json", "--unit", "那曲高新区"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(!unit.as_array().unwrap().is_empty());
    // Its own items, and the measures it is one of the owners of.
    assert!(
        unit.as_array()
            .unwrap()
            .iter()
            .all(|r| r["unit"] == "那曲高新区" || r["source"] == "measure"),
        "{unit}"
    );
    assert!(n > overdue.as_array().unwrap().len());
    // Only what is not overdue: exit 0.
    let out = dudao_en()
        .args(["alerts", "--level", "yellow", "--within", "7"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The table speaks Chinese, with the day unit in its heading.
    let t = stdout(&dudao().args(["alerts"]).arg(&db).output().unwrap());
    assert!(
        t.lines().next().unwrap().contains("工作日") && t.contains("逾期"),
        "{t}"
    );
    // Calendar days when working days are off.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "working_days = false\n").unwrap();
    let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("dudao"));
    let out = c
        .arg("--config")
        .arg(&cfg)
        .args(["alerts", "--format", "json"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(json(&out)[0]["day_unit"], "calendar");
}

#[test]
fn triage_commands_follow_the_rules_and_are_audited() {
    let (_d, db) = sample();
    let c = Connection::open(&db).unwrap();
    // An overdue measure: extending needs --late.
    let m: i64 = c
        .query_row(
            "SELECT id FROM measures WHERE status = 'open' AND due_date < '2026-11-30' ORDER BY due_date LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let id = format!("M{m}");
    let out = dudao_en()
        .args(["extend", &id, "--to", "2027-01-31", "--reason", "等待上级批复"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("--late"), "{}", stderr(&out));
    let out = dudao_en()
        .args([
            "extend",
            &id,
            "--to",
            "2027-01-31",
            "--reason",
            "等待上级批复",
            "--late",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (due, late): (String, bool) = c
        .query_row(
            "SELECT m.due_date, e.late FROM measures m JOIN extensions e ON e.entity = 'measure' AND e.entity_key = CAST(m.id AS TEXT)
             WHERE m.id = ?1 ORDER BY e.id DESC LIMIT 1",
            [m],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((due.as_str(), late), ("2027-01-31", true));
    // An earlier date than the one in force is refused.
    let out = dudao_en()
        .args(["extend", &id, "--to", "2027-01-15", "--reason", "x"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("after the one in force"), "{}", stderr(&out));

    // Done: a measure yes, an authority item no (its status workflow).
    let out = dudao_en()
        .args(["done", &id, "--note", "已印发"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let st: String = c
        .query_row("SELECT status FROM measures WHERE id = ?1", [m], |r| r.get(0))
        .unwrap();
    assert_eq!(st, "done");
    let a: i64 = c
        .query_row(
            "SELECT id FROM authority_items WHERE status = 'proposed' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let out = dudao_en().args(["done", &format!("A{a}")]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("checklist"), "{}", stderr(&out));

    // Snooze hides from the list; escalate shows in it.
    let first = json(
        &dudao_en()
            .args(["alerts", "--format", "json"])
            .arg(&db)
            .output()
            .unwrap(),
    )[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = dudao_en()
        .args(["snooze", &first, "--until", "+7"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = json(
        &dudao_en()
            .args(["alerts", "--format", "json"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(after.as_array().unwrap().iter().all(|r| r["id"] != first.as_str()));
    let with_all = json(
        &dudao_en()
            .args(["alerts", "--format", "json", "--all"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let snoozed = with_all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == first.as_str())
        .unwrap();
    assert_eq!(snoozed["snoozed_until"], "2026-12-07");
    let out = dudao_en()
        .args(["snooze", &first, "--until", "2026-11-01"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "a past date is refused");
    let out = dudao_en()
        .args(["snooze", &first, "--until", "none"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = dudao_en()
        .args(["escalate", &first, "--note", "三次催办未果"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = dudao_en().args(["escalate", &first]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "already escalated");
    let out = dudao_en()
        .args(["escalate", &first, "--withdraw"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let actions: Vec<(String, String)> = {
        let mut s = c
            .prepare(
                "SELECT action, result FROM audit_log WHERE action IN
                   ('extend','done','snooze','unsnooze','escalate','unescalate') ORDER BY id",
            )
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let got: Vec<(&str, &str)> = actions.iter().map(|(a, r)| (a.as_str(), r.as_str())).collect();
    assert_eq!(
        got,
        [
            ("extend", "refused"),
            ("extend", "ok"),
            ("extend", "refused"),
            ("done", "ok"),
            ("done", "refused"),
            ("snooze", "ok"),
            ("snooze", "refused"),
            ("unsnooze", "ok"),
            ("escalate", "ok"),
            ("escalate", "refused"),
            ("unescalate", "ok"),
        ]
    );
    dudao_en().arg("check").arg(&db).assert().success();
}

#[test]
fn a_notice_names_the_unit_the_item_and_the_lateness() {
    let (_d, db) = sample();
    let rows = json(
        &dudao_en()
            .args(["alerts", "--format", "json", "--source", "report"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let r = &rows[0];
    let id = r["id"].as_str().unwrap();
    let out = dudao_en().args(["notice", id]).arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("催办通知单"), "{text}");
    assert!(text.contains(r["unit"].as_str().unwrap()), "{text}");
    assert!(
        text.contains(&format!("已逾期 {} 个工作日", -r["days_left"].as_i64().unwrap())),
        "{text}"
    );
    assert!(text.contains(r["due"].as_str().unwrap()), "{text}");
    // Saved to a file, never over an existing one.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("n.txt");
    let out = dudao_en()
        .args(["notice", id, "--out"])
        .arg(&f)
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), text);
    let out = dudao_en()
        .args(["notice", id, "--out"])
        .arg(&f)
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "an existing file is never overwritten");
    // An item without an open deadline.
    let out = dudao_en().args(["notice", "R1-2026-10"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}
