//! Reading in the background, through the real binary in a pseudo-terminal:
//! months change at once and show their own rows, however fast the keys
//! come; a month read ahead is read again after someone else's change;
//! the matrix opens while the keyboard keeps working.

use crate::common::pty;

use std::path::{Path, PathBuf};

use crate::common::sample_copy;
use pty::Pty;

fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_copy(dir.path());
    (dir, db)
}

fn start(db: &Path) -> Pty {
    let mut t = Pty::console(db, &["--today", "2026-11-30"]);
    t.wait_until("the inbox", pty::default_timeout(), |s| {
        s.contains("◀ 2026-10 月报 ▶") && s.contains("科技厅") && s.lines().last().is_some_and(|l| l.contains("? 帮助"))
    });
    t
}

/// Reports of `month` accepted (已阅), as the inbox counts them.
fn accepted(db: &Path, month: &str) -> i64 {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row(
        "SELECT count(*) FROM reports r JOIN units u ON u.id = r.unit_id
         WHERE r.month = ?1 AND r.latest = 1 AND r.status = 'accepted' AND u.reporting = 1",
        [month],
        |r| r.get(0),
    )
    .expect("count")
}

/// Waits until the inbox shows `month` with its figures.
fn wait_month(t: &mut Pty, month: &str, accepted: i64) -> String {
    let head = format!("◀ {month} 月报 ▶");
    let figure = format!("已阅 {accepted}");
    t.wait_until(
        &format!("{month} with 已阅 {accepted}"),
        pty::default_timeout(),
        |s| s.contains(&head) && s.contains(&figure) && !s.contains("读取中"),
    )
}

fn quit(t: &mut Pty) {
    t.send(b"q");
    assert!(t.wait_exit().success());
}

#[test]
fn months_change_at_once_and_show_their_own_rows() {
    let (_d, db) = sample();
    let (sep, aug, oct) = (
        accepted(&db, "2026-09"),
        accepted(&db, "2026-08"),
        accepted(&db, "2026-10"),
    );
    assert!(sep != oct || aug != oct, "the sample's months differ");
    let mut t = start(&db);
    t.send(b"[");
    wait_month(&mut t, "2026-09", sep);
    t.send(b"[");
    wait_month(&mut t, "2026-08", aug);
    t.send(b"]");
    wait_month(&mut t, "2026-09", sep);
    // Keys faster than any read: the last month asked for is shown.
    t.send(b"[[[]]]]");
    wait_month(&mut t, "2026-10", oct);
    // And the rows are the month's: the selected row's detail names it.
    t.send(b"j");
    let s = t.wait_for("2/");
    assert!(s.contains("2026-10"), "{s}");
    quit(&mut t);
}

#[test]
fn a_month_read_ahead_is_read_again_after_someone_elses_change() {
    let (_d, db) = sample();
    let mut t = start(&db);
    let sep = accepted(&db, "2026-09");
    // 2026-09 is read ahead (the month `[` goes to).
    t.send(b"[");
    wait_month(&mut t, "2026-09", sep);
    t.send(b"]");
    wait_month(&mut t, "2026-10", accepted(&db, "2026-10"));
    // Another user accepts a report of 2026-09.
    {
        let c = rusqlite::Connection::open(&db).expect("open");
        let n = c
            .execute(
                "UPDATE reports SET status = 'accepted', version = version + 1 WHERE id =
                   (SELECT r.id FROM reports r JOIN units u ON u.id = r.unit_id
                    WHERE r.month = '2026-09' AND r.latest = 1 AND r.status = 'returned' AND u.reporting = 1
                    ORDER BY r.id LIMIT 1)",
                [],
            )
            .expect("update");
        assert_eq!(n, 1, "the sample has a returned report in 2026-09");
    }
    t.wait_for("⟳");
    t.send(b"[");
    wait_month(&mut t, "2026-09", sep + 1);
    quit(&mut t);
}

#[test]
fn the_matrix_opens_while_keys_keep_working() {
    let (_d, db) = sample();
    let mut t = start(&db);
    // Open the matrix and go straight back: nothing waits, nothing is lost.
    t.send(b"31");
    t.wait_until("back on the inbox", pty::default_timeout(), |s| {
        s.contains("◀ 2026-10 月报 ▶") && s.contains("科技厅")
    });
    t.send(b"3");
    t.wait_until("the matrix", pty::default_timeout(), |s| {
        s.contains("●正常 ▲滞后 ✔完成 ○未报") && !s.contains("读取中")
    });
    quit(&mut t);
}

#[test]
fn keys_typed_before_the_first_screen_act_on_the_whole_month() {
    // A user who types as the console starts: the keys reach it before or
    // while the month is read, and act on the whole month, in order.
    let (_d, db) = sample();
    let mut t = Pty::console(&db, &["--today", "2026-11-30"]);
    // End (the month's last unit), then up one.
    t.send(b"jj\x1b[Fk");
    t.wait_until("the last unit but one", pty::default_timeout(), |s| {
        s.contains("◀ 2026-10 月报 ▶") && s.lines().last().is_some_and(|l| l.contains("40/41"))
    });
    quit(&mut t);
}
