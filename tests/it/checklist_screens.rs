//! The checklist and the matrix drawn on a copy of sample.db, driven by
//! keys: both checklist views, its forms, folding; snapshots at 80×24 and
//! 160×48.

use crate::common::screen;

use crossterm::event::KeyCode;
use dudao::i18n::Lang;
use dudao::tui::panes::checklist::{CheckRow, ChecklistView};
use screen::Screen;

#[test]
fn checklist_zones_fold_and_the_grid_at_both_sizes() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = Screen::new(w, h, Lang::Zh);
        let text = s.keys("2").text();
        insta::assert_snapshot!(format!("checklist_zones_{w}x{h}"), text);
        // The first line is a zone heading; o folds it, its items go.
        assert!(matches!(s.app.checklist().list.selected(), Some(CheckRow::Zone { .. })));
        let before = s.app.checklist().list.view.len();
        s.keys("o");
        let zone = s.app.checklist().list.selected().unwrap().zone_id();
        let items = s.app.checklist().all.iter().filter(|r| r.zone_id == zone).count();
        assert_eq!(s.app.checklist().list.view.len(), before - items);
        assert!(s.text().contains("▸ "), "folded");
        // O folds every zone: only headings; again: all open.
        s.keys("O");
        assert!(
            s.app
                .checklist()
                .list
                .rows
                .iter()
                .all(|r| matches!(r, CheckRow::Zone { .. }))
        );
        s.keys("O");
        assert_eq!(s.app.checklist().list.view.len(), before);
        // m: the grid.
        let text = s.keys("m").text();
        assert_eq!(s.app.checklist().view, ChecklistView::Grid);
        insta::assert_snapshot!(format!("checklist_grid_{w}x{h}"), text);
        // Every item is counted once in the grid.
        let lines = s.app.checklist().grid_lines();
        let counted: usize = lines
            .iter()
            .map(|(z, _, l)| {
                dudao::domain::AuthorityDomain::ALL
                    .iter()
                    .map(|d| s.app.checklist().grid_items(*z, *l, *d).len())
                    .sum::<usize>()
            })
            .sum();
        assert_eq!(counted, s.app.checklist().all.len());
        // Enter on a cell: its first item, in the list.
        s.keys("lj").key(KeyCode::Enter);
        assert_eq!(s.app.checklist().view, ChecklistView::Zones);
        let it = s.app.checklist().selected_item().cloned();
        if let Some(it) = it {
            assert_eq!(it.domain, dudao::domain::AuthorityDomain::ALL[1]);
        }
    }
}

#[test]
fn checklist_forms_at_both_sizes() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = Screen::new(w, h, Lang::Zh);
        s.keys("2");
        insta::assert_snapshot!(format!("checklist_new_form_{w}x{h}"), s.keys("N").text());
        s.key(KeyCode::Esc);
        // An approved item: S offers only what the workflow allows.
        let id = s
            .app
            .checklist()
            .all
            .iter()
            .find(|r| r.status == dudao::domain::AuthorityStatus::Approved)
            .unwrap()
            .id;
        assert!(s.app.select(&dudao::domain::ItemKey::Authority(id)));
        let text = s.keys("S").text();
        insta::assert_snapshot!(format!("checklist_status_form_{w}x{h}"), text);
        assert!(text.contains("1 已下放") && text.contains("暂缓") && text.contains("收回"));
        assert!(!text.contains("拟下放 ") || !text.contains("[1 拟下放"), "no way back");
    }
}

#[test]
fn edit_keys_are_refused_read_only_and_in_the_grid() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    s.keys("2m>");
    assert!(s.text().lines().last().unwrap().contains("只供查看"));
}

fn matrix(w: u16, h: u16) -> Screen {
    let mut s = Screen::new(w, h, Lang::Zh);
    s.keys("3");
    s
}

#[test]
fn matrix_grouped_expanded_focused_transposed_and_drilled_at_both_sizes() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = matrix(w, h);
        let text = s.text();
        insta::assert_snapshot!(format!("matrix_grouped_{w}x{h}"), text);
        assert!(text.contains("部门 "), "the group line: {text}");
        // Collectives as one column each: a collective column is shown;
        // expanded, the members' roles through it appear instead.
        let collapsed_units = s.app.matrix().units.len();
        s.keys("c");
        insta::assert_snapshot!(format!("matrix_expanded_{w}x{h}"), s.text());
        assert!(s.app.matrix().expanded);
        assert_ne!(s.app.matrix().units.len(), collapsed_units);
        let collective = |s: &Screen| {
            s.app
                .matrix()
                .units
                .iter()
                .any(|&u| s.app.matrix().data.units[u].kind == dudao::domain::UnitKind::Collective)
        };
        assert!(!collective(&s), "expanded: no collective columns");
        s.keys("c");
        assert!(collective(&s), "collapsed: collectives are columns");
        // Row totals are never cut: each shown row's total is on screen whole.
        let text = s.text();
        let shown = (w as usize - 60) / 10;
        let _ = shown;
        for t in s.app.matrix().row_totals.iter().take(8) {
            assert!(text.contains(&format!(" {t}")), "{t} cut: {text}");
        }
        // t: transposed.
        insta::assert_snapshot!(format!("matrix_transposed_{w}x{h}"), s.keys("t").text());
        s.keys("t");
        // f: focused on 科技厅 (typed as pinyin initials).
        s.keys("f").type_text("kjt").key(KeyCode::Enter);
        let text = s.text();
        insta::assert_snapshot!(format!("matrix_focused_{w}x{h}"), text);
        let f = s.app.matrix().focus.clone().expect("focused");
        assert_eq!(f.name, "科技厅");
        // Enter: the drill-down, months and measures to open.
        let text = s.key(KeyCode::Enter).text();
        insta::assert_snapshot!(format!("matrix_drilled_{w}x{h}"), text);
        assert!(text.contains("近12个月"), "{text}");
        s.key(KeyCode::Esc);
        s.keys("f");
        assert!(s.app.matrix().focus.is_none());
    }
}

#[test]
fn go_to_an_article_by_number() {
    let mut s = matrix(80, 24);
    s.keys(":").type_text("12").key(KeyCode::Enter);
    assert_eq!(s.app.matrix().current_article(), Some(12));
    s.keys(":").type_text("99").key(KeyCode::Enter);
    assert_eq!(s.app.matrix().current_article(), Some(12), "no article 99: stays");
}

#[test]
fn a_cell_month_opens_its_report_and_a_measure_its_form() {
    let mut s = matrix(80, 24);
    s.keys("f").type_text("kjt").key(KeyCode::Enter);
    s.key(KeyCode::Enter).keys("j").key(KeyCode::Enter);
    assert_eq!(s.app.pane(), dudao::tui::panes::Pane::Inbox);
    assert_eq!(s.app.inbox().month.to_string(), "2026-09");
    assert_eq!(s.app.inbox().list.selected().unwrap().unit(), "科技厅");
    // M: every measure; Enter: its form; set it done with one owner.
    s.key(KeyCode::Esc).keys("3fM");
    let m = s.app.matrix().measures.as_ref().unwrap().selected().cloned().unwrap();
    let text = s.key(KeyCode::Enter).text();
    insta::assert_snapshot!("measure_form_80x24", text);
    // Status: 已完成; owners: only the first.
    s.key(KeyCode::Tab).keys("2").key(KeyCode::Tab).key(KeyCode::Tab);
    let picked = m.owners.len();
    for _ in 0..picked {
        s.key(KeyCode::Char(' ')).key(KeyCode::Right);
    }
    // Now nobody owns it: refused under the field.
    s.ctrl('s');
    assert!(s.text().contains("✗ 措施至少要有一个责任单位"), "{}", s.text());
    s.key(KeyCode::Home);
    for _ in 0..picked {
        s.key(KeyCode::Left);
    }
    s.key(KeyCode::Char(' '));
    s.ctrl('s').wait();
    let after = dudao::db::measures::get(&dudao::db::open(&s.path(), dudao::db::Mode::ReadOnly).unwrap(), m.id)
        .unwrap()
        .unwrap();
    assert_eq!(after.status, dudao::domain::MeasureStatus::Done);
    assert_eq!(after.owners.len(), 1);
    assert!(s.text().lines().last().unwrap().contains("修改措施"), "{}", s.text());
}
