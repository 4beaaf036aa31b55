//! The inbox's filters, views and forms driven by keys on a copy of
//! sample.db: status filter with counts, the unit × month grid, the imports
//! view, a report typed in by hand, and what changed between versions.

use crate::common;
use crate::common::screen;

use crossterm::event::KeyCode;
use dudao::domain::InboxStatus;
use dudao::i18n::Lang;
use rusqlite::Connection;
use screen::Screen;

/// The screen with clock times (and dates next to them) masked: imports and
/// typed reports are stamped with the real time of day.
fn masked(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let d = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_digit());
    let mut i = 0;
    while i < chars.len() {
        // "11-29 16:08" → "mm-dd hh:mm"; "16:08" → "hh:mm".
        if d(i)
            && d(i + 1)
            && chars.get(i + 2) == Some(&'-')
            && d(i + 3)
            && d(i + 4)
            && chars.get(i + 5) == Some(&' ')
            && d(i + 6)
            && d(i + 7)
            && chars.get(i + 8) == Some(&':')
            && d(i + 9)
            && d(i + 10)
        {
            out.push_str("mm-dd hh:mm");
            i += 11;
        } else if d(i) && d(i + 1) && chars.get(i + 2) == Some(&':') && d(i + 3) && d(i + 4) {
            out.push_str("hh:mm");
            i += 5;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn footer(text: &str) -> &str {
    text.lines().last().unwrap_or("")
}

/// Imports `names` from the fixtures into the screen's database, as a
/// drop folder would.
fn import(s: &Screen, names: &[&str]) {
    let mut conn = dudao::db::open(&s.path(), dudao::db::Mode::ReadWrite).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let ctx = dudao::ops::Context::new(screen::deps(&s.path(), Lang::Zh).actor, today);
    let cat = dudao::db::intake::catalog(&conn, today).unwrap();
    let dir = s.path().parent().unwrap().join("drop");
    let folder = dudao::drop_folder::DropFolder::new(&dir);
    folder.ensure().unwrap();
    for n in names {
        // Dropped in the folder, as a unit would: named by its own name.
        let p = dir.join(n);
        std::fs::copy(common::repo_root().join("tests/fixtures/reports").join(n), &p).unwrap();
        dudao::drop_folder::import_path(&mut conn, &ctx, &cat, &folder, &p, dudao::drop_folder::Keep::Move).unwrap();
    }
}

#[test]
fn the_status_filter_cycles_with_counts_and_esc_clears_it() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    let text = s.text();
    let bar = text.lines().nth(2).unwrap();
    let total = s.app.inbox().all().len();
    assert!(bar.contains(&format!("全部 {total}")), "{bar}");
    let missing = s.app.inbox().count(Some(InboxStatus::Missing));
    assert!(bar.contains(&format!("逾期未报 {missing}")), "{bar}");
    // f: unread, then missing.
    s.keys("ff");
    assert_eq!(s.app.inbox().status, Some(InboxStatus::Missing));
    assert_eq!(s.app.inbox().list.view.len(), missing);
    assert!(s.app.inbox().list.passing().all(|r| r.status == InboxStatus::Missing));
    insta::assert_snapshot!("inbox_filter_missing_80x24", s.text());
    // K: the unit kind narrows further; the counts follow it.
    s.keys("K");
    assert!(s.app.inbox().kind.is_some());
    assert!(s.app.inbox().list.passing().count() <= missing);
    s.key(KeyCode::Esc);
    assert_eq!((s.app.inbox().status, s.app.inbox().kind), (None, None));
    assert_eq!(s.app.inbox().list.view.len(), total);
}

#[test]
fn the_grid_shows_twelve_months_with_on_time_rates_and_opens_a_month() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    let text = s.keys("m").text();
    insta::assert_snapshot!("inbox_grid_80x24", text);
    let g = s.app.inbox().grid.clone().unwrap();
    assert_eq!(g.months.len(), 12);
    assert_eq!(g.months.last().unwrap().to_string(), "2026-10");
    assert!(text.contains("按时率"), "{text}");
    // The last row's rate is the whole window's: on time out of counted.
    let (ok, n) = dudao::db::inbox::rate(g.rows.iter().flatten());
    assert!(
        text.lines()
            .rev()
            .nth(1)
            .unwrap()
            .contains(&format!("{}%", (ok * 100 + n / 2) / n))
    );
    // [ moves the window a month back; at the start it stops and says so.
    s.keys("[");
    assert_eq!(
        s.app.inbox().grid.as_ref().unwrap().months.last().unwrap().to_string(),
        "2026-09"
    );
    for _ in 0..80 {
        s.keys("[");
    }
    assert_eq!(
        s.app.inbox().grid.as_ref().unwrap().months.first().unwrap().to_string(),
        "2021-07"
    );
    // Enter on a cell: that unit's report of that month, in the month view.
    s.keys("]]]").keys("jj").key(KeyCode::Enter);
    let g = s.app.inbox().grid.as_ref().unwrap();
    let want = g.rows[g.col][g.unit].key();
    assert_eq!(s.app.inbox().view, dudao::tui::panes::inbox::InboxView::Month);
    assert_eq!(s.app.inbox().list.selected().unwrap().key(), want);
}

#[test]
fn grid_160x48() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    insta::assert_snapshot!("inbox_grid_160x48", s.keys("m").text());
}

#[test]
fn the_imports_view_lists_files_and_their_reasons() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    import(&s, &["ok-utf8.toml", "unknown-unit.toml", "ok-utf8.toml"]);
    let text = s.keys("I").text();
    insta::assert_snapshot!("inbox_imports_160x48", masked(&text));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[4].contains("重复"), "{text}");
    assert!(
        lines[5].contains("拒收") && lines[5].contains("未知单位“宇宙管理局”"),
        "{text}"
    );
    assert!(lines[6].contains("已导入") && lines[6].contains("版本 1"), "{text}");
    // Edit keys do nothing here (they would act on a list not shown).
    let before = s.app.inbox().list.selected().cloned();
    s.keys("a");
    assert!(footer(&s.text()).contains("只供查看"), "{}", s.text());
    assert_eq!(s.app.inbox().list.selected().cloned(), before);
    // Enter: the details.
    let text = s.keys("j").key(KeyCode::Enter).text();
    assert!(text.contains("原因：第 2 行第 8 列：未知单位“宇宙管理局”"), "{text}");
    // A filter applies to the imports.
    s.key(KeyCode::Esc);
    s.keys("/").type_text("拒收").key(KeyCode::Enter);
    assert_eq!(s.app.inbox().imports.view.len(), 1);
}

#[test]
fn a_paper_report_is_typed_in_checked_field_by_field_and_saved() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    s.keys("/").type_text("那曲市").key(KeyCode::Enter);
    assert_eq!(s.app.inbox().list.selected().unwrap().unit(), "那曲市");
    let text = s.keys("e").text();
    insta::assert_snapshot!("entry_form_80x24", text);
    // Saving with nothing typed: the summary is required.
    s.ctrl('s');
    assert!(s.text().contains("✗ 此项必填"), "{}", s.text());
    s.type_text("本月举办创业大赛一场");
    // A phone that is not a number is refused under its field.
    s.key(KeyCode::Tab).key(KeyCode::Tab).type_text("找小王");
    s.ctrl('s');
    let text = s.text();
    assert!(text.contains("✗ 电话“找小王”无效"), "{text}");
    for _ in 0..3 {
        s.key(KeyCode::Backspace);
    }
    s.type_text("0896-3822000");
    // An article marked 正常 without its progress: required there.
    s.key(KeyCode::Tab).keys("2").ctrl('s');
    let text = s.text();
    assert!(text.contains("✗ 此项必填"), "{text}");
    assert_eq!(
        s.app.inbox().list.selected().unwrap().report_id,
        None,
        "nothing saved yet"
    );
    s.type_text("创业中心主体完工");
    s.ctrl('s').wait();
    let text = s.text();
    assert!(footer(&text).contains("录入：那曲市 2026-10"), "{text}");
    assert!(!footer(&text).contains("撤销"), "no undo is offered: {text}");
    let c = Connection::open(s.path()).unwrap();
    let (source, summary, phone, items): (String, String, String, i64) = c
        .query_row(
            "SELECT r.source, r.summary, r.contact_phone, (SELECT count(*) FROM report_items i WHERE i.report_id = r.id)
             FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.name = '那曲市' AND r.month = '2026-10'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (source.as_str(), summary.as_str(), phone.as_str(), items),
        ("typed", "本月举办创业大赛一场", "0896-3822000", 1)
    );
    let (action, user): (String, String) = c
        .query_row("SELECT action, user FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((action.as_str(), user.as_str()), ("enter", "tester"));
    // Typed again: a second version, prefilled from the first; v shows what changed.
    s.keys("e");
    assert!(s.text().contains("本月举办创业大赛一场"), "prefilled");
    for _ in 0.."一场".chars().count() {
        s.key(KeyCode::Backspace);
    }
    s.type_text("两场").ctrl('s').wait();
    let text = s.keys("v").text();
    insta::assert_snapshot!("version_diff_80x24", masked(&text));
    assert!(text.contains("− 本月举办创业大赛一场"), "{text}");
    assert!(text.contains("+ 本月举办创业大赛两场"), "{text}");
}

#[test]
fn v_on_a_first_version_says_there_is_nothing_to_compare() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    let text = s.keys("v").text();
    assert!(footer(&text).contains("只有一个版本"), "{text}");
}
