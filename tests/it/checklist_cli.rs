//! `dudao authority …`, `dudao measure …` and `dudao export matrix --unit`
//! through the real binary on copies of sample.db: every transition of the
//! checklist's workflow allowed and refused as documented.

use std::path::{Path, PathBuf};

use crate::common::*;
use rusqlite::Connection;

fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    (dir, db)
}

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    dudao_en()
        .args(["--today", "2026-11-30", "--db"])
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn status(db: &Path, id: i64) -> (String, String, Option<String>) {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT status, doc_no, delegated_date FROM authority_items WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn first_in(db: &Path, status: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT id FROM authority_items WHERE status = ?1 ORDER BY id LIMIT 1",
            [status],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn every_step_of_the_workflow_allowed_and_refused() {
    let (_d, db) = sample();
    let id = first_in(&db, "proposed");
    let a = format!("A{id}");
    let step = |args: &[&str]| run(&db, &[&["authority", "set-status", &a], args].concat());
    // By code or by Chinese label; one step at a time or skipping.
    assert_eq!(step(&["submitted"]).status.code(), Some(0));
    assert_eq!(status(&db, id).0, "submitted");
    assert_eq!(step(&["已批准", "--date", "2026-11-20"]).status.code(), Some(0));
    // Back is refused.
    let out = step(&["proposed"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("cannot become proposed"), "{}", stderr(&out));
    // 已下放 without a 文号: refused, exit 4, nothing changed.
    let out = step(&["已下放"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("needs the document number"), "{}", stderr(&out));
    assert_eq!(status(&db, id).0, "approved");
    // A date after today: refused.
    let out = step(&["delegated", "--doc-no", "藏政发〔2026〕9号", "--date", "2026-12-05"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("after today"), "{}", stderr(&out));
    // With one: delegated, dated, documented.
    let out = step(&["delegated", "--doc-no", "藏政发〔2026〕9号", "--date", "2026-11-25"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        status(&db, id),
        (
            "delegated".into(),
            "藏政发〔2026〕9号".into(),
            Some("2026-11-25".into())
        )
    );
    // 已承接 keeps the document.
    assert_eq!(step(&["已承接"]).status.code(), Some(0));
    // 暂缓 of an undertaken item is not a move; 收回 needs a reason, then is final.
    assert_eq!(step(&["暂缓", "--note", "x"]).status.code(), Some(4));
    let out = step(&["收回"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("needs a reason"), "{}", stderr(&out));
    assert_eq!(step(&["收回", "--note", "承接后运行不规范"]).status.code(), Some(0));
    assert_eq!(step(&["proposed"]).status.code(), Some(4), "收回 is final");
    // Unknown status names list the choices.
    let out = step(&["done"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("delegated (已下放)"), "{}", stderr(&out));
    // The history shows every step, with the 文号, the reasons and the user.
    let show = dudao()
        .args(["--today", "2026-11-30", "--db"])
        .arg(&db)
        .args(["authority", "show", &a])
        .output()
        .unwrap();
    let text = stdout(&show);
    for want in [
        "拟下放 → 已报批",
        "已报批 → 已批准",
        "已批准 → 已下放 藏政发〔2026〕9号",
        "已承接",
        "已承接 → 收回",
        "承接后运行不规范",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    // Every change is in the audit log; refusals too.
    let c = Connection::open(&db).unwrap();
    let (ok, refused): (i64, i64) = c
        .query_row(
            "SELECT sum(result = 'ok'), sum(result = 'refused') FROM audit_log
             WHERE action = 'authority_status' AND entity_id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((ok, refused), (5, 6));
}

#[test]
fn suspended_items_resume_on_the_line() {
    let (_d, db) = sample();
    let id = first_in(&db, "submitted");
    let a = format!("A{id}");
    assert_eq!(
        run(
            &db,
            &["authority", "set-status", &a, "suspended", "--note", "承接条件不具备"]
        )
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        run(&db, &["authority", "set-status", &a, "submitted"]).status.code(),
        Some(0)
    );
    assert_eq!(status(&db, id).0, "submitted");
}

#[test]
fn adding_an_item_checks_zone_domain_level_and_name() {
    let (_d, db) = sample();
    let add = |extra: &[&str]| {
        run(
            &db,
            &[
                &[
                    "authority",
                    "add",
                    "--zone",
                    "拉萨",
                    "--domain",
                    "人才引进",
                    "--level",
                    "自治区级",
                ][..],
                extra,
            ]
            .concat(),
        )
    };
    let out = add(&["--name", "高层次人才认定", "--grantor", "人社", "--due", "+90"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("added"), "{}", stderr(&out));
    let list = run(&db, &["authority", "list", "--zone", "拉萨高新区", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "高层次人才认定")
        .unwrap();
    assert_eq!(row["status"], "proposed");
    assert_eq!(row["grantor"], "人力资源社会保障厅", "the full name");
    assert_eq!(row["domain"], "talent");
    assert_eq!(row["due"], "2027-02-28");
    // The same name again in the zone: refused.
    let out = add(&["--name", "高层次人才认定"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("already has an item of that name"),
        "{}",
        stderr(&out)
    );
    // A city is not a zone; a domain that is not one of the nine.
    let out = run(
        &db,
        &[
            "authority",
            "add",
            "--zone",
            "财政厅",
            "--domain",
            "talent",
            "--level",
            "region",
            "--name",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("not a high-tech zone"), "{}", stderr(&out));
    let out = run(
        &db,
        &[
            "authority",
            "add",
            "--zone",
            "拉萨",
            "--domain",
            "tourism",
            "--level",
            "region",
            "--name",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("environment (环境保护)"), "{}", stderr(&out));
    // --read-only refuses it before anything.
    let out = dudao_en()
        .args(["--read-only", "--db"])
        .arg(&db)
        .args([
            "authority",
            "add",
            "--zone",
            "拉萨",
            "--domain",
            "talent",
            "--level",
            "region",
            "--name",
            "y",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn measures_list_and_set_with_owners_from_the_article() {
    let (_d, db) = sample();
    let list = run(&db, &["measure", "list", "--article", "5", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let m = &rows.as_array().unwrap()[0];
    let id = m["id"].as_str().unwrap().to_string();
    // Due date and owners; an owner not on the article is refused.
    let out = run(&db, &["measure", "set", &id, "--owner", "财政厅"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("lead or partner unit"), "{}", stderr(&out));
    let out = run(
        &db,
        &[
            "measure",
            "set",
            &id,
            "--due",
            "2027-06-30",
            "--status",
            "open",
            "--owner",
            "科技厅",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let c = Connection::open(&db).unwrap();
    let n: i64 = id[1..].parse().unwrap();
    let (due, st): (String, String) = c
        .query_row("SELECT due_date, status FROM measures WHERE id = ?1", [n], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((due.as_str(), st.as_str()), ("2027-06-30", "open"));
    // Done on a date; not after today.
    let out = run(
        &db,
        &["measure", "set", &id, "--status", "done", "--done-date", "2026-12-05"],
    );
    assert_eq!(out.status.code(), Some(4));
    let out = run(
        &db,
        &["measure", "set", &id, "--status", "done", "--done-date", "2026-11-20"],
    );
    assert_eq!(out.status.code(), Some(0));
    let open = run(
        &db,
        &["measure", "list", "--article", "5", "--open", "--format", "json"],
    );
    let rows: serde_json::Value = serde_json::from_slice(&open.stdout).unwrap();
    assert!(rows.as_array().unwrap().iter().all(|r| r["id"] != id.as_str()));
    // Nothing to set is a usage error.
    assert_eq!(run(&db, &["measure", "set", &id]).status.code(), Some(2));
}

#[test]
fn export_matrix_for_one_unit_lists_what_it_owes() {
    let (_d, db) = sample();
    let out = run(&db, &["export", "matrix", "--unit", "科技厅", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let c = Connection::open(&db).unwrap();
    let named: i64 = c
        .query_row(
            "SELECT count(DISTINCT article_no) FROM assignments x JOIN units u ON u.id = x.unit_id WHERE u.name = '科技厅'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows.len() as i64, named);
    for r in rows {
        assert!(matches!(r["role"].as_str(), Some("lead" | "partner")), "{r}");
        assert!(
            matches!(
                r["status"].as_str(),
                Some("on_track" | "lagging" | "done" | "not_reported")
            ),
            "{r}"
        );
        let open: i64 = c
            .query_row(
                "SELECT count(*) FROM measures m JOIN measure_owners o ON o.measure_id = m.id
                 JOIN units u ON u.id = o.unit_id WHERE u.name = '科技厅' AND m.article_no = ?1 AND m.status = 'open'",
                [r["article_no"].as_i64().unwrap()],
                |x| x.get(0),
            )
            .unwrap();
        assert_eq!(r["open_measures"].as_i64().unwrap(), open, "{r}");
    }
    assert_eq!(
        run(&db, &["export", "units", "--unit", "科技厅"]).status.code(),
        Some(2),
        "--unit goes with the matrix"
    );
}

/// The matrix cell rules, one fixture per state: the unit's latest progress
/// entry on the article from a report of the last six months (returned
/// reports do not count) gives 正常, 滞后 or 完成; none gives 未报; a
/// collective's own cell is 集合 (its members report).
#[test]
fn matrix_cell_status_rules() {
    use dudao::db::matrix::{CellStatus, load};
    let (_d, db) = sample();
    let c = Connection::open(&db).unwrap();
    // A unit and an article it is named in, and a clean slate of its reports.
    let (unit, article): (i64, i64) = c
        .query_row(
            "SELECT x.unit_id, x.article_no FROM assignments x JOIN units u ON u.id = x.unit_id
             WHERE u.kind != 'collective' AND x.via_id IS NULL ORDER BY u.sort, x.article_no LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    c.execute_batch(&format!(
        "DELETE FROM report_items WHERE report_id IN (SELECT id FROM reports WHERE unit_id = {unit});
         DELETE FROM report_values WHERE report_id IN (SELECT id FROM reports WHERE unit_id = {unit});
         UPDATE indicator_values SET report_id = NULL WHERE unit_id = {unit};
         UPDATE intake_log SET report_id = NULL WHERE report_id IN (SELECT id FROM reports WHERE unit_id = {unit});
         DELETE FROM reports WHERE unit_id = {unit};"
    ))
    .unwrap();
    let today: dudao::domain::Month = "2026-11".parse().unwrap();
    let put = |month: &str, v: i64, status: &str, report_status: &str| {
        c.execute(
            "INSERT INTO reports (unit_id, month, version_no, status, due_date, received_at, summary, source, return_reason)
             VALUES (?1, ?2, ?3, ?4, '2026-01-05', '2026-01-03 10:00', 's', 'typed', ?5)",
            rusqlite::params![unit, month, v, report_status, if report_status == "returned" { "x" } else { "" }],
        )
        .unwrap();
        let id = c.last_insert_rowid();
        c.execute(
            "INSERT INTO report_items (report_id, article_no, progress, status) VALUES (?1, ?2, 'p', ?3)",
            rusqlite::params![id, article, status],
        )
        .unwrap();
    };
    let cell = || load(&c, today, usize::MAX).unwrap().cell(article, unit).unwrap().status;
    // Nothing in the window: 未报 (an entry older than six months does not count).
    put("2026-04", 1, "on_track", "accepted");
    assert_eq!(cell(), CellStatus::NotReported);
    // In the window: its status.
    put("2026-06", 1, "lagging", "accepted");
    assert_eq!(cell(), CellStatus::Lagging);
    // The latest month wins.
    put("2026-08", 1, "done", "accepted");
    assert_eq!(cell(), CellStatus::Done);
    // A later version of the same month wins over the earlier one.
    put("2026-09", 1, "lagging", "accepted");
    put("2026-09", 2, "on_track", "new");
    assert_eq!(cell(), CellStatus::OnTrack);
    // A returned report does not count.
    put("2026-10", 1, "lagging", "returned");
    assert_eq!(cell(), CellStatus::OnTrack);
    // A collective's own cell.
    let (coll, carticle): (i64, i64) = c
        .query_row(
            "SELECT x.unit_id, x.article_no FROM assignments x JOIN units u ON u.id = x.unit_id
             WHERE u.kind = 'collective' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        load(&c, today, usize::MAX)
            .unwrap()
            .cell(carticle, coll)
            .unwrap()
            .status,
        CellStatus::Collective
    );
}
