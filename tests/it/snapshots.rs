//! Whole screens rendered into a `TestBackend` with a fixed clock, compared
//! with reviewed snapshots (insta). Driven by key presses, as a user would.

use crate::common;
use crate::common::screen;

use crossterm::event::KeyCode;
use dudao::i18n::Lang;
use screen::Screen;

#[test]
fn inbox_80x24() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    insta::assert_snapshot!(s.text());
}

#[test]
fn inbox_160x48() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    insta::assert_snapshot!(s.text());
}

#[test]
fn inbox_english_80x24() {
    let mut s = Screen::new(80, 24, Lang::En);
    insta::assert_snapshot!(s.text());
}

#[test]
fn checklist_80x24() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    insta::assert_snapshot!(s.keys("2").text());
}

#[test]
fn checklist_160x48() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    insta::assert_snapshot!(s.keys("2").text());
}

#[test]
fn matrix_80x24() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    insta::assert_snapshot!(s.keys("3").text());
}

#[test]
fn matrix_160x48() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    insta::assert_snapshot!(s.keys("3").text());
}

#[test]
fn matrix_filtered_to_one_unit_with_cell_popup() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    s.keys("3/科技厅").key(KeyCode::Enter);
    let text = s.text();
    // Under the info and group lines.
    let header = text.lines().nth(4).unwrap();
    assert!(header.contains("科技") && !header.contains("发改"), "{header}");
    insta::assert_snapshot!("matrix_filtered", s.text());
    s.key(KeyCode::Enter);
    insta::assert_snapshot!("matrix_cell_popup", s.text());
}

#[test]
fn matrix_transposed_80x24() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    insta::assert_snapshot!(s.keys("3t").text());
}

#[test]
fn alerts_80x24() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    insta::assert_snapshot!(s.keys("4").text());
}

#[test]
fn alerts_160x48() {
    let mut s = Screen::new(160, 48, Lang::Zh);
    insta::assert_snapshot!(s.keys("4").text());
}

#[test]
fn help_overlay_and_search() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    insta::assert_snapshot!("help_inbox", s.keys("?").text());
    let searched = s.keys("month").text();
    assert!(
        searched.contains("(prev_month)") && !searched.contains("(quit)"),
        "{searched}"
    );
}

#[test]
fn report_popup_80x24() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    insta::assert_snapshot!(s.key(KeyCode::Enter).text());
}

#[test]
fn too_small_terminal() {
    let mut s = Screen::new(20, 5, Lang::Zh);
    insta::assert_snapshot!("too_small_20x5", s.text());
    let mut s = Screen::new(79, 24, Lang::Zh);
    assert!(s.text().contains("80×24"));
}

#[test]
fn empty_database_from_init() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    common::dudao().arg("init").arg(&path).assert().success();
    // Reporting starts the month `init` ran in; the screen is dated 2026-11-30.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE meta SET value = '2026-11' WHERE key = 'reporting_start'", [])
        .unwrap();
    let mut s = Screen::on(dir, &path, 80, 24, Lang::Zh);
    insta::assert_snapshot!("empty_inbox", s.text());
    insta::assert_snapshot!("empty_checklist", s.keys("2").text());
}

#[test]
fn long_cjk_names_are_cut_with_an_ellipsis_never_split() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::sample_copy(dir.path());
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute(
        "UPDATE units SET full_name = '自治区推进“双创”领导小组成员单位科技厅创新创业服务中心（知识产权局）' WHERE name = '科技厅'",
        [],
    )
    .unwrap();
    drop(c);
    let mut s = Screen::on(dir, &path, 80, 24, Lang::Zh);
    let text = s.text();
    let row = text.lines().find(|l| l.contains("自治区推进")).expect("row shown");
    assert!(row.contains('…'), "{row}");
    // Every line is exactly 80 columns wide: nothing spilled or split.
    for (y, line) in text.lines().enumerate() {
        let w = unicode_width::UnicodeWidthStr::width(line);
        assert_eq!(w, 80, "line {y} is {w} columns: {line}");
    }
    insta::assert_snapshot!("long_unit_name", s.text());
}

#[test]
fn hostile_text_from_the_database_is_made_visible() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::sample_copy(dir.path());
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute(
        "UPDATE units SET full_name = 'evil\u{1b}]0;PWNED\u{7}\u{202e}fdp.exe' WHERE name = '科技厅'",
        [],
    )
    .unwrap();
    c.execute("UPDATE reports SET summary = 'x\u{1b}[2J\u{9b}31m y' WHERE id = (SELECT max(id) FROM reports WHERE unit_id = (SELECT id FROM units WHERE name = '科技厅'))", []).unwrap();
    drop(c);
    let mut s = Screen::on(dir, &path, 80, 24, Lang::Zh);
    let text = s.text();
    for bad in ['\u{1b}', '\u{9b}', '\u{202e}', '\u{7}'] {
        assert!(!text.contains(bad), "{bad:?} reached the screen");
    }
    assert!(text.contains("evil␛]0;PWNED␇<U+202E>fdp.exe"), "{text}");
    assert!(text.contains("x␛[2J<U+009B>31m y"), "{text}");
}

#[test]
fn pinyin_initials_filter_the_matrix() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    let text = s.keys("3/kjt").key(KeyCode::Enter).text();
    let header = text.lines().nth(4).unwrap();
    // kjt is 科技厅; also 科技办 (ke ji ban) is not matched, nor 发改.
    assert!(
        header.contains("科技") && !header.contains("发改") && !header.contains("科技办"),
        "{header}"
    );
    assert!(text.contains("科技厅"), "{text}");
}

#[test]
fn matrix_first_and_last_column_keys() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    let last = s.keys("3$").text();
    let unit = |s: &Screen| {
        let id = s.app.matrix().current_unit().unwrap();
        s.app
            .matrix()
            .data
            .units
            .iter()
            .find(|u| u.id == id)
            .unwrap()
            .name
            .to_string()
    };
    assert_eq!(unit(&s), "自治区推进“双创”领导小组各成员单位");
    assert!(last.lines().nth(4).unwrap().contains("双创组"), "{last}");
    let first = s.keys("0").text();
    assert!(first.lines().nth(2).unwrap().contains("× 科技厅"), "{first}");
    assert_eq!(unit(&s), "科技厅");
    // Help in the checklist leaves out keys that do nothing there.
    let help = s.keys("2?").text();
    assert!(!help.contains("(left)") && help.contains("(down)"), "{help}");
}

#[test]
fn an_open_popup_follows_another_users_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::sample_copy(dir.path());
    let mut s = Screen::on(dir, &path, 80, 24, Lang::Zh);
    // The first item (under its zone's heading); i opens its detail.
    let before = s.keys("2gji").text();
    assert!(before.contains("拟下放"), "{before}");
    let other = rusqlite::Connection::open(&path).unwrap();
    let id: i64 = other
        .query_row(
            "SELECT i.id FROM authority_items i JOIN units z ON z.id = i.zone_id ORDER BY z.sort, i.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    other
        .execute(
            "UPDATE authority_items SET status = 'approved', note = '已同步测试' WHERE id = ?1",
            [id],
        )
        .unwrap();
    assert!(s.app.poll_external().unwrap(), "the change was not noticed");
    let after = s.text();
    assert!(after.contains("已批准") && after.contains("已同步测试"), "{after}");
}

#[test]
fn a_reload_keeps_the_checklist_scrolled_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::sample_copy(dir.path());
    let mut s = Screen::on(dir, &path, 80, 24, Lang::Zh);
    s.keys("2");
    for _ in 0..20 {
        s.key(KeyCode::Down);
    }
    for _ in 0..5 {
        s.key(KeyCode::Up);
    }
    let nav = s.app.checklist().list.nav;
    let item = s.app.checklist().selected_item().unwrap().id;
    assert!(
        nav.offset > 0 && nav.sel > nav.offset,
        "set-up: selection mid-screen, list scrolled: {nav:?}"
    );
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute(
            "INSERT INTO authority_items (zone_id, domain, level, name, status)
             SELECT id, 'sci_tech', 'region', '新增事项', 'proposed' FROM units WHERE name = '拉萨高新区'",
            [],
        )
        .unwrap();
    assert!(s.app.poll_external().unwrap());
    // The same item stays selected on the same screen line: the list did not jump.
    let after = s.app.checklist().list.nav;
    assert_eq!(s.app.checklist().selected_item().unwrap().id, item);
    assert_eq!(
        after.sel - after.offset,
        nav.sel - nav.offset,
        "before {nav:?}, after {after:?}"
    );
}

#[test]
fn hostile_zone_names_are_made_visible_in_the_checklist_and_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::sample_copy(dir.path());
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute(
        "UPDATE units SET full_name = full_name || char(27) || ']0;PWNED' || char(7) WHERE kind = 'zone'",
        [],
    )
    .unwrap();
    drop(c);
    let mut s = Screen::on(dir, &path, 160, 48, Lang::Zh);
    for pane in ["2", "1", "4"] {
        let text = s.keys(pane).text();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "pane {pane}:\n{text}"
        );
        assert!(text.contains("␛]0;PWNED"), "pane {pane} hides the placeholder:\n{text}");
    }
}

#[test]
fn very_large_terminals_draw_popups_and_help() {
    let mut s = Screen::new(800, 200, Lang::Zh);
    let text = s.key(KeyCode::Enter).text();
    assert!(text.contains("摘要"), "report popup missing");
    s.key(KeyCode::Esc);
    let text = s.keys("?").text();
    assert!(text.contains("(quit)"));
}

#[test]
fn shrinking_the_terminal_keeps_every_pane_selection_visible() {
    let mut s = Screen::new(200, 60, Lang::Zh);
    s.keys("G2");
    s.app.resize(80, 24);
    s.keys("1");
    let nav = s.app.inbox().list.nav;
    let page = dudao::tui::layout::inbox_page(dudao::tui::layout::pane_area(s.app.size()));
    assert!(
        nav.sel >= nav.offset && nav.sel < nav.offset + page,
        "{nav:?} page {page}"
    );
    let text = s.text();
    let unit = s.app.inbox().list.selected().unwrap().unit().to_string();
    assert!(text.contains(&*unit), "selected {unit} not on screen:\n{text}");
}
