//! Editing in the console, on screens rendered into a `TestBackend` and on
//! the real database file the writer thread changes: forms, questions,
//! results, undo, marks, details with history, and the defects fixed with
//! the editing overlays.

use crate::common;
use crate::common::screen;

use crossterm::event::KeyCode;
use dudao::i18n::Lang;
use rusqlite::Connection;
use screen::Screen;

fn db(s: &Screen) -> Connection {
    Connection::open(s.path()).unwrap()
}

fn report_state(c: &Connection, unit: &str, month: &str) -> (String, String, Option<String>) {
    c.query_row(
        "SELECT r.status, r.return_reason, r.resubmit_by FROM reports r JOIN units u ON u.id = r.unit_id
         WHERE u.name = ?1 AND r.month = ?2 AND r.latest = 1",
        [unit, month],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

fn footer(text: &str) -> &str {
    text.lines().last().unwrap_or("")
}

#[test]
fn return_form_saves_a_chinese_reason_and_undo_restores() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    insta::assert_snapshot!("return_form_empty", s.keys("r").text());
    s.type_text("第5条数据与上月不一致，请核实后重报");
    let text = s.text();
    assert!(text.contains("18/500"), "{text}");
    insta::assert_snapshot!("return_form_typed", text);
    s.ctrl('s').wait();
    let text = s.text();
    assert!(footer(&text).contains("退回：科技厅 2026-10（u 撤销）"), "{text}");
    assert!(text.contains("↩ 退回"), "{text}");
    let (st, reason, by) = report_state(&db(&s), "科技厅", "2026-10");
    assert_eq!(
        (st.as_str(), reason.as_str(), by.as_deref()),
        // Five days on is Saturday 12-05: the form proposes Monday 12-07.
        ("returned", "第5条数据与上月不一致，请核实后重报", Some("2026-12-07"))
    );
    // Our own change does not show as another user's.
    assert!(!text.lines().next().unwrap().contains('⟳'), "{text}");
    s.keys("u").wait();
    assert!(footer(&s.text()).contains("已撤销：退回 科技厅 2026-10"));
    assert_eq!(report_state(&db(&s), "科技厅", "2026-10").0, "new");
    // Nothing left to undo.
    s.keys("u");
    assert!(footer(&s.text()).contains("没有可撤销的操作"));
}

#[test]
fn a_bad_date_gets_a_message_under_the_field_and_nothing_is_saved() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    s.keys("r").type_text("缺少附表").key(KeyCode::Tab);
    for _ in 0..10 {
        s.key(KeyCode::Backspace);
    }
    s.type_text("2026-02-30").ctrl('s');
    let text = s.text();
    assert!(text.contains("✗ 日历上没有这一天"), "{text}");
    assert!(text.contains("退回月报"), "the form stays open:\n{text}");
    for _ in 0..10 {
        s.key(KeyCode::Backspace);
    }
    s.type_text("明天").ctrl('s');
    assert!(s.text().contains("✗ 不是日期"), "{}", s.text());
    for _ in 0..2 {
        s.key(KeyCode::Backspace);
    }
    // A date before today is refused too.
    s.type_text("2026-11-01").ctrl('s');
    assert!(s.text().contains("✗ 日期不能早于今天"), "{}", s.text());
    assert_eq!(report_state(&db(&s), "科技厅", "2026-10").0, "new", "nothing saved");
    // An empty reason is refused before anything is sent.
    let mut s = Screen::new(80, 24, Lang::Zh);
    s.keys("r").ctrl('s');
    assert!(s.text().contains("✗ 此项必填"), "{}", s.text());
    // Esc with text typed asks first; n keeps the form, y throws it away.
    s.type_text("x").key(KeyCode::Esc);
    assert!(s.text().contains("放弃已输入的内容？"), "{}", s.text());
    s.keys("n");
    assert!(s.text().contains("退回月报"), "{}", s.text());
    s.key(KeyCode::Esc).keys("y");
    assert!(!s.text().contains("退回月报"), "{}", s.text());
    assert_eq!(report_state(&db(&s), "科技厅", "2026-10").0, "new");
}

#[test]
fn marked_missing_units_are_chased_after_one_confirmation() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    let before: i64 = db(&s)
        .query_row("SELECT count(*) FROM reminders WHERE withdrawn_at IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    // Show the missing ones, mark three, chase them.
    s.keys("/逾期未报").key(KeyCode::Enter);
    s.keys(" ").keys(" ").keys(" ");
    let text = s.text();
    assert!(text.contains("已标记 3"), "{text}");
    assert_eq!(text.matches('✓').count(), 3, "{text}");
    s.keys("c")
        .key(KeyCode::Right)
        .key(KeyCode::Tab)
        .type_text("第三次催办")
        .ctrl('s');
    let text = s.text();
    assert!(text.contains("催办 3 项？"), "{text}");
    insta::assert_snapshot!("remind_confirm", text);
    s.keys("y").wait();
    let text = s.text();
    assert!(footer(&text).contains("催办 3 项：成功 3（u 撤销）"), "{text}");
    assert!(!text.contains('✓'), "marks go after the action:\n{text}");
    let c = db(&s);
    let after: i64 = c
        .query_row("SELECT count(*) FROM reminders WHERE withdrawn_at IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(after, before + 3);
    let notice: i64 = c
        .query_row(
            "SELECT count(*) FROM reminders WHERE channel = 'notice' AND note = '第三次催办' AND by_user = 'tester'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(notice, 3);
    // One undo takes back all three, as one action, after asking.
    assert!(s.keys("u").text().contains("撤销 3 项催办？"), "{}", s.text());
    s.keys("y").wait();
    let back: i64 = c
        .query_row("SELECT count(*) FROM reminders WHERE withdrawn_at IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(back, before);
}

#[test]
fn actions_apply_only_where_they_make_sense() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    // 科技厅 has a new report: accept and return, no chasing.
    let f = footer(&s.text()).to_string();
    assert!(
        f.contains("a 已阅") && f.contains("r 退回") && !f.contains("c 催办"),
        "{f}"
    );
    s.keys("c");
    assert!(footer(&s.text()).contains("只有逾期未报或已退回的月报可以催办"));
    // A missing report: chase, no accept.
    s.keys("/生态环境厅").key(KeyCode::Enter);
    let f = footer(&s.text()).to_string();
    assert!(f.contains("c 催办") && !f.contains("a 已阅"), "{f}");
    s.keys("a");
    assert!(footer(&s.text()).contains("只有未阅或补报的月报可以标记已阅"));
    // Help lists only what applies now.
    let help = s.keys("?").text();
    assert!(help.contains("(remind)") && !help.contains("(accept)"), "{help}");
}

#[test]
fn the_detail_shows_reminders_notes_and_history_and_acts_on_its_row() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    s.keys("/生态环境厅").key(KeyCode::Enter);
    s.keys("n").type_text("已电话联系，承诺周五前补报").ctrl('s').wait();
    s.key(KeyCode::Enter);
    let text = s.text();
    assert!(text.contains("催办记录：") && text.contains("通知单"), "{text}");
    s.keys("G");
    let text = s.text();
    assert!(text.contains("已电话联系，承诺周五前补报"), "{text}");
    assert!(text.contains("操作记录：") && text.contains("tester 备注"), "{text}");
    // From the detail, c chases the report shown; the detail follows.
    s.keys("c").ctrl('s').wait();
    assert!(footer(&s.text()).contains("催办：生态环境厅 2026-10"), "{}", s.text());
    s.keys("G");
    assert!(s.text().contains("tester 催办"), "{}", s.text());
    // ? works over the detail.
    assert!(s.keys("?").text().contains("帮助 · 月报收件箱"));
}

#[test]
fn read_only_offers_no_edit_keys_and_refuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::sample_copy(dir.path());
    let before = std::fs::read(&path).unwrap();
    let mut deps = screen::deps(&path, Lang::Zh);
    deps.conn = dudao::db::open(&path, dudao::db::Mode::ReadOnly).unwrap();
    deps.read_only = true;
    let text = common::text_shared();
    let app = dudao::tui::app::App::new(deps, ratatui::layout::Rect::new(0, 0, 80, 24)).unwrap();
    let mut s = Screen {
        _dir: dir,
        app,
        term: ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap(),
        _text: text,
    };
    let f = footer(&s.text()).to_string();
    assert!(!f.contains("已阅") && !f.contains("退回") && !f.contains("撤销"), "{f}");
    s.keys("r");
    let text = s.text();
    assert!(!text.contains("退回月报"), "{text}");
    assert!(footer(&text).contains("只读模式：不能修改"), "{text}");
    assert!(!s.keys("?").text().contains("(accept)"));
    let after = std::fs::read(&path).unwrap();
    drop(s);
    assert!(before == after, "the file changed");
}

/// Defect: drawing a frame whose area differs from the last size event
/// (a resize not yet delivered) panicked with "index outside of buffer"
/// while a popup was open. Every overlay is drawn from the frame's area.
#[test]
fn overlays_draw_in_any_frame_size_without_panicking() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    for opened in ["\r", "?", "r", "n"] {
        let mut s2 = Screen::new(160, 48, Lang::Zh);
        if opened == "\r" {
            s2.key(KeyCode::Enter);
        } else {
            s2.keys(opened);
        }
        for (w, h) in [(80, 24), (20, 5), (1, 1), (300, 100), (81, 25), (79, 23)] {
            s2.term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
            let _ = s2.text();
        }
    }
    // And the scroll of a long detail stays in bounds after shrinking.
    s.key(KeyCode::Enter).keys("G");
    s.app.resize(80, 24);
    s.term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    assert!(s.text().contains("科技厅 · 2026-10"));
}

/// Defect: a report whose text is not valid UTF-8 (written by another tool)
/// stopped the console at start-up, and Enter on it showed the previously
/// opened unit's report under the selected unit's name.
#[test]
fn a_bad_byte_in_a_report_is_shown_replaced_under_its_own_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::sample_copy(dir.path());
    let c = Connection::open(&path).unwrap();
    // The first report shown (科技厅) and the third (教育厅) get invalid UTF-8.
    for unit in ["科技厅", "教育厅"] {
        c.execute(
            "UPDATE reports SET summary = CAST(X'E7A7D1E68AA5' AS TEXT)
             WHERE month = '2026-10' AND unit_id = (SELECT id FROM units WHERE name = ?1)",
            [unit],
        )
        .unwrap();
    }
    drop(c);
    let mut s = Screen::on(dir, &path, 80, 24, Lang::Zh);
    let text = s.text();
    assert!(text.contains('\u{FFFD}'), "shown with a replacement character:\n{text}");
    // Open 文化厅 (good), close, then 教育厅 (bad): its own report is shown.
    s.keys("j").key(KeyCode::Enter);
    assert!(s.text().contains("文化厅 · 2026-10"));
    s.key(KeyCode::Esc).keys("j").key(KeyCode::Enter);
    let text = s.text();
    assert!(
        text.contains("教育厅 · 2026-10") && !text.contains("文化厅 · 2026-10"),
        "{text}"
    );
    assert!(text.contains("摘要：\u{FFFD}"), "{text}");
}

/// Defect: the dashboard's inbox box followed the month being browsed.
#[test]
fn the_dashboard_shows_the_current_month_while_browsing_another() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    s.keys("[[");
    let text = s.text();
    assert!(text.contains("◀ 2026-08 月报 ▶"), "{text}");
    s.keys("2");
    let text = s.text();
    assert!(text.contains("┌ 月报收件箱 · 2026-10"), "{text}");
}

/// Defect: the transposed matrix did not fill the screen again after the
/// window grew.
#[test]
fn the_transposed_matrix_refills_after_the_window_grows() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    s.keys("3tG");
    s.app.resize(160, 48);
    s.term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
    let text = s.text();
    let total = text.lines().position(|l| l.starts_with("合计")).expect("totals row");
    // Rows run down to the totals: no blank grid rows above it.
    let blank = text.lines().take(total).skip(3).filter(|l| l.trim().is_empty()).count();
    assert_eq!(blank, 0, "{text}");
}

/// Another program's commit shows as another user's change; ours do not.
#[test]
fn only_other_users_changes_are_marked_as_theirs() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    s.keys("a").wait();
    assert!(!s.text().lines().next().unwrap().contains('⟳'));
    assert_eq!(s.app.external_update(), None);
    let c = db(&s);
    c.execute(
        "UPDATE reports SET summary = 'x' WHERE id = (SELECT min(id) FROM reports)",
        [],
    )
    .unwrap();
    assert!(s.app.poll_external().unwrap());
    assert!(s.text().lines().next().unwrap().contains('⟳'));
}

#[test]
fn alerts_quick_filters_detail_and_extend_form() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    let text = s.keys("4f").text();
    assert!(text.contains("[筛选：仅逾期]"), "{text}");
    assert!(!text.contains("◐ 黄 ") || text.contains("◐ 黄 43"), "counts stay whole");
    insta::assert_snapshot!("alerts_overdue", text);
    // Source filter: tasks only.
    let text = s.keys("SSS").text();
    assert!(text.contains("仅逾期 · 任务"), "{text}");
    assert!(text.lines().skip(4).take(5).all(|l| l.contains("任务")), "{text}");
    insta::assert_snapshot!("alert_detail", s.keys("i").text());
    s.key(KeyCode::Esc);
    insta::assert_snapshot!("extend_form", s.keys("e").text());
    // An empty reason is refused; a date before today too.
    s.ctrl('s');
    assert!(s.text().contains("✗ 此项必填"), "{}", s.text());
}

#[test]
fn enter_on_alerts_goes_to_the_item_in_its_pane() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    // A measure (sources cycle: reports, resubmissions, tasks): its article in the matrix.
    s.keys("4SSS");
    let row = s.app.alerts().list.selected().cloned().unwrap();
    assert_eq!(row.source, dudao::db::alerts::AlertSource::Measure, "{row:?}");
    s.key(KeyCode::Enter);
    assert_eq!(s.app.pane(), dudao::tui::panes::Pane::Matrix);
    assert_eq!(s.app.matrix().current_article(), row.article);
    // An authority item (the next source): its detail in the checklist.
    s.keys("4S");
    let row = s.app.alerts().list.selected().cloned().unwrap();
    assert_eq!(row.source, dudao::db::alerts::AlertSource::Authority, "{row:?}");
    let text = s.key(KeyCode::Enter).text();
    assert_eq!(s.app.pane(), dudao::tui::panes::Pane::Checklist);
    assert!(text.contains(row.title.as_str()), "{text}");
    assert!(text.contains("按高新区"), "{text}");
}

#[test]
fn alerts_160x48_with_the_dashboard() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    insta::assert_snapshot!("alerts_160x48_triage", s.keys("4").text());
}

/// A form whose save met a conflict reopens with every field as typed, each
/// in its own field (the date in the date, the reason in the reason).
#[test]
fn a_conflicted_extension_reopens_with_each_field_in_its_place() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    s.keys("4SSS");
    let row = s.app.alerts().list.selected().cloned().unwrap();
    s.keys("e");
    // Replace the proposed date, move on, type the reason.
    for _ in 0..12 {
        s.key(KeyCode::Backspace);
    }
    s.type_text("2026-12-20").key(KeyCode::Tab).type_text("等待省厅批复");
    // Someone else changes the item before the save.
    let c = db(&s);
    let id = match row.key {
        dudao::domain::ItemKey::Measure(id) => id,
        other => panic!("{other:?}"),
    };
    c.execute("UPDATE measures SET version = version + 1 WHERE id = ?1", [id])
        .unwrap();
    s.ctrl('s');
    if row.days_left < 0 {
        // Past its due date: the extension is confirmed first.
        s.keys("y");
    }
    s.wait();
    let text = s.text();
    assert!(text.contains("未保存"), "{text}");
    let text = s.keys("e").text();
    let lines: Vec<&str> = text.lines().collect();
    let date_line = lines.iter().position(|l| l.contains("新的截止日期")).unwrap();
    assert!(lines[date_line + 1].contains("2026-12-20"), "{text}");
    let reason_line = lines.iter().position(|l| l.contains("延期原因")).unwrap();
    assert!(lines[reason_line + 1].contains("等待省厅批复"), "{text}");
    assert!(!lines[reason_line + 1].contains("2026-12-20"), "{text}");
}

/// Taking back an escalation says so (not "escalated"), and a batch that
/// includes an item already escalated counts it as skipped, not as done.
#[test]
fn take_backs_say_what_they_did_and_batches_count_what_they_skip() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    s.keys("4");
    let escalated = s.app.alerts().list.passing().find(|r| r.escalated).cloned().unwrap();
    assert!(s.app.select(&escalated.key));
    s.keys("x").keys("y").wait();
    let text = s.text();
    let footer = text.lines().last().unwrap();
    assert!(footer.contains("撤回上报"), "{footer}");
    // Mark an escalated item and two that are not: escalating says 2, skips 1.
    let mut s = Screen::new(160, 48, Lang::Zh);
    s.keys("4");
    let rows: Vec<_> = s.app.alerts().list.passing().cloned().collect();
    let one = rows.iter().find(|r| r.escalated).unwrap();
    let others: Vec<_> = rows.iter().filter(|r| !r.escalated && !r.snoozed).take(2).collect();
    for r in std::iter::once(one).chain(others) {
        assert!(s.app.select(&r.key));
        s.key(KeyCode::Char(' '));
    }
    let text = s.keys("x").text();
    assert!(text.contains("2 项"), "{text}");
    s.type_text("督办").ctrl('s');
    let text = s.text();
    assert!(text.contains("跳过 1 项") || text.contains("1 项不适用"), "{text}");
    s.keys("y").wait();
    let text = s.text();
    let footer = text.lines().last().unwrap();
    assert!(footer.contains("2 项"), "{footer}");
}

/// Every character of the selected row stays readable: its colour is never
/// the selection's background (a 远 level is grey, the selection too).
#[test]
fn the_selected_row_is_readable_whatever_its_colours() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    s.keys("4");
    let calm = s
        .app
        .alerts()
        .list
        .rows
        .iter()
        .find(|r| r.level == dudao::domain::AlertLevel::Calm)
        .cloned()
        .unwrap();
    assert!(s.app.select(&calm.key));
    // Moving to the last row and back brings the selection into view.
    let key = s.app.alerts().list.selected_key();
    s.keys("G");
    while s.app.alerts().list.selected_key() != key {
        s.keys("k");
    }
    let buf = s.draw().buffer().clone();
    // The selected row: the one painted with a background.
    let y = (3..buf.area.height)
        .find(|&y| (0..buf.area.width).any(|x| buf[(x, y)].bg != ratatui::style::Color::Reset))
        .expect("the selected row is on screen");
    let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect();
    assert!(line.contains("远"), "{line}");
    for x in 0..buf.area.width {
        let c = &buf[(x, y)];
        if c.symbol().trim().is_empty() {
            continue;
        }
        assert_ne!(c.fg, c.bg, "column {x} ({:?}) is invisible", c.symbol());
    }
}

/// Sorted by urgency, levels come first: every 通报 above every red, and so on.
#[test]
fn urgency_orders_by_level_then_days() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    s.keys("4");
    let list = &s.app.alerts().list;
    let levels: Vec<_> = list.view.iter().map(|&i| list.rows[i].level).collect();
    let mut sorted = levels.clone();
    sorted.sort();
    assert_eq!(levels, sorted);
    let firsts: Vec<_> = list.view.iter().take(3).map(|&i| list.rows[i].level).collect();
    assert!(
        firsts.iter().all(|l| *l == dudao::domain::AlertLevel::Circular),
        "{firsts:?}"
    );
}

/// Quick filters keep marks (those they hide are counted, not dropped), Esc
/// clears them after the marks and the text filter, and a filter that hides
/// the selected row selects the first row it shows.
#[test]
fn quick_filters_keep_marks_and_esc_clears_them() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    s.keys("4");
    let reports: Vec<_> = s
        .app
        .alerts()
        .list
        .rows
        .iter()
        .filter(|r| r.source == dudao::db::alerts::AlertSource::MissingReport)
        .take(2)
        .map(|r| r.key)
        .collect();
    for k in &reports {
        assert!(s.app.select(k));
        s.key(KeyCode::Char(' '));
    }
    assert_eq!(s.app.alerts().list.marks.len(), 2);
    let marked = s.app.alerts().list.marks.clone();
    // Tasks only: the two marked rows (reports) are hidden but still marked.
    s.keys("SSS");
    assert_eq!(s.app.alerts().list.marks, marked);
    assert_eq!(s.app.alerts().list.mark_counts(), (0, 2), "hidden, counted");
    // The first row shown is selected.
    assert_eq!(s.app.alerts().list.nav.sel, 0);
    // Esc: first the marks, then the quick filters.
    s.key(KeyCode::Esc);
    assert!(s.app.alerts().list.marks.is_empty());
    assert_ne!(s.app.alerts().quick, Default::default());
    s.key(KeyCode::Esc);
    assert_eq!(s.app.alerts().quick, Default::default());
    assert!(s.text().contains("全部"), "{}", s.text());
}

/// Typing a filter that hides the selected row selects the first match, so
/// Enter opens what is shown first.
#[test]
fn a_text_filter_selects_its_first_match() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    s.keys("4jjjjjjjj");
    let st = dudao::i18n::Lang::Zh.s();
    let sel = s.app.alerts().list.selected().cloned().unwrap();
    // A filter the selected row does not match.
    let mut texts = Vec::new();
    dudao::tui::list::ListRow::search_texts(&sel, st, &mut |t| texts.push(t.to_string()));
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let other = s
        .app
        .alerts()
        .list
        .rows
        .iter()
        .find(|r| r.unit != sel.unit && !dudao::tui::list::matches(&r.unit, &texts))
        .cloned()
        .unwrap();
    s.keys("/").type_text(&other.unit).key(KeyCode::Enter);
    assert_eq!(s.app.alerts().list.nav.sel, 0, "the first match is selected");
}
