//! The checklist's workflow end to end: the real binary in a pseudo-terminal
//! on a temporary copy of sample.db, keys as a person types them.

use crate::common::pty;

use std::path::{Path, PathBuf};

use crate::common::sample_copy;
use pty::Pty;
use rusqlite::Connection;

const CTRL_S: &[u8] = b"\x13";

fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_copy(dir.path());
    (dir, db)
}

fn start(db: &Path) -> Pty {
    let mut t = Pty::console(db, &["--today", "2026-11-30"]);
    t.wait_for("◀ 2026-10 月报 ▶");
    t.send(b"2");
    t.wait_for("按高新区");
    t
}

fn footer(s: &str) -> String {
    s.lines().last().unwrap_or("").to_string()
}

/// Selects the item called `name` by filtering for it.
fn select(t: &mut Pty, name: &str) {
    t.send(b"/");
    t.type_text(name);
    t.send(b"\r");
    t.wait_until("the item selected", pty::default_timeout(), |s| {
        s.lines().any(|l| l.contains(name))
    });
}

#[test]
fn add_an_item_advance_it_to_delegated_with_a_document_number_and_it_persists() {
    let (_d, db) = sample();
    let mut t = start(&db);
    // N: a new item in the first zone, domain 人才引进 (4), named in Chinese.
    t.send(b"N");
    t.wait_for("新增授权事项");
    t.send(pty::keys::TAB);
    t.send(b"4");
    t.send(pty::keys::TAB);
    t.send(pty::keys::TAB);
    t.type_text("青年人才认定");
    t.send(CTRL_S);
    t.wait_until("the item added", pty::default_timeout(), |s| {
        footer(s).contains("新增事项：青年人才认定")
    });
    select(&mut t, "青年人才认定");
    // > twice: 已报批, 已批准 (each after a question).
    for next in ["已报批", "已批准"] {
        t.send(b">");
        t.wait_for("推进到“");
        t.send(b"y");
        t.wait_until(next, pty::default_timeout(), |s| {
            footer(s).contains("变更状态") && s.lines().any(|l| l.contains("青年人才认定") && l.contains(next))
        });
    }
    // > to 已下放 asks for the 文号: refused without, accepted with.
    t.send(b">");
    let s = t.wait_for("变更状态 · ");
    // The field says its rule, not 选填.
    let line = s.lines().find(|l| l.contains("文号")).unwrap_or_default().to_string();
    assert!(line.contains("已下放、已承接必填") && !line.contains("选填"), "{line}");
    t.send(CTRL_S);
    t.wait_for("✗ 已下放、已承接须填写文号");
    t.type_text("藏人社发〔2026〕7号");
    t.send(CTRL_S);
    t.wait_until("delegated", pty::default_timeout(), |s| {
        // The table cuts the 文号 at 80 columns.
        s.lines()
            .any(|l| l.contains("青年人才认定") && l.contains("已下放") && l.contains("藏人社发〔2026〕"))
    });
    t.send(b"q");
    assert!(t.wait_exit().success());

    // Start again: persisted, with its history.
    let mut t = start(&db);
    select(&mut t, "青年人才认定");
    t.send(b"i");
    let s = t.wait_for("状态变更");
    for step in [
        "拟下放 (",
        "拟下放 → 已报批",
        "已报批 → 已批准",
        "已批准 → 已下放 藏人社发〔2026〕7号",
    ] {
        assert!(s.contains(step), "{step}:\n{s}");
    }
    t.esc();
    t.send(b"q");
    assert!(t.wait_exit().success());
    let c = Connection::open(&db).unwrap();
    let (status, doc, events): (String, String, i64) = c
        .query_row(
            "SELECT status, doc_no, (SELECT count(*) FROM authority_events e WHERE e.item_id = i.id)
             FROM authority_items i WHERE name = '青年人才认定'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (status.as_str(), doc.as_str(), events),
        ("delegated", "藏人社发〔2026〕7号", 4)
    );
}

#[test]
fn two_consoles_the_second_save_of_the_same_item_reports_the_conflict() {
    let (_d, db) = sample();
    let name: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT name FROM authority_items WHERE status = 'approved' AND doc_no = '' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut a = start(&db);
    let mut b = start(&db);
    select(&mut a, &name);
    select(&mut b, &name);
    // B opens the status form first; A then changes the item.
    b.send(b"S");
    b.wait_for("变更状态 · ");
    a.send(b"S");
    a.wait_for("变更状态 · ");
    // 暂缓 (the third choice after 已下放 and 已承接), with a reason.
    a.send(b"3");
    a.send(pty::keys::TAB);
    a.send(pty::keys::TAB);
    a.send(pty::keys::TAB);
    a.type_text("承接条件尚不具备");
    a.send(CTRL_S);
    a.wait_until("A's change", pty::default_timeout(), |s| footer(s).contains("变更状态"));
    // B saves a 文号 for the version it saw: refused, nothing overwritten,
    // and A's version is shown.
    b.send(pty::keys::TAB);
    b.send(pty::keys::TAB);
    b.type_text("藏发〔2026〕1号");
    b.send(CTRL_S);
    let s = b.wait_until("the conflict", pty::default_timeout(), |s| footer(s).contains("未保存"));
    assert!(s.contains("状态变更"), "their version is shown:\n{s}");
    assert!(s.contains("暂缓"), "{s}");
    let c = Connection::open(&db).unwrap();
    let (status, doc): (String, String) = c
        .query_row(
            "SELECT status, doc_no FROM authority_items WHERE name = ?1",
            [&name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), doc.as_str()), ("suspended", ""));
    for t in [&mut a, &mut b] {
        t.esc();
        t.send(b"q");
        assert!(t.wait_exit().success());
    }
}

/// A unit chosen in a form by typing: letters typed in a row match as the
/// `/` filter does (initials of the whole name), so `scj` reaches 市场监管局
/// among the granting departments, where one initial per key never did.
#[test]
fn a_unit_field_matches_initials_typed_in_a_row() {
    let (_d, db) = sample();
    let mut t = start(&db);
    t.send(b"N");
    t.wait_for("新增授权事项");
    for _ in 0..4 {
        t.send(pty::keys::TAB);
    }
    t.type_text("scj");
    let s = t.wait_for("市场监");
    let line = s
        .lines()
        .skip_while(|l| !l.contains("下放部门"))
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(line.contains("市场监"), "{line}\n{s}");
    t.esc();
}
