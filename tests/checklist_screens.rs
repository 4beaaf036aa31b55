//! The checklist and the matrix drawn on a copy of sample.db, driven by
//! keys: both checklist views, its forms, folding; snapshots at 80×24 and
//! 160×48.

mod common;
#[path = "common/screen.rs"]
mod screen;

use crossterm::event::KeyCode;
use dudao::tui::i18n::Lang;
use dudao::tui::panes::checklist::{CheckRow, ChecklistView};
use screen::Screen;

#[test]
fn checklist_zones_fold_and_the_grid_at_both_sizes() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = Screen::new(w, h, Lang::Zh);
        let text = s.keys("2").text();
        insta::assert_snapshot!(format!("checklist_zones_{w}x{h}"), text);
        // The first line is a zone heading; o folds it, its items go.
        assert!(matches!(s.app.checklist.list.selected(), Some(CheckRow::Zone { .. })));
        let before = s.app.checklist.list.view.len();
        s.keys("o");
        let zone = s.app.checklist.list.selected().unwrap().zone_id();
        let items = s.app.checklist.all.iter().filter(|r| r.zone_id == zone).count();
        assert_eq!(s.app.checklist.list.view.len(), before - items);
        assert!(s.text().contains("▸ "), "folded");
        // O folds every zone: only headings; again: all open.
        s.keys("O");
        assert!(
            s.app
                .checklist
                .list
                .rows
                .iter()
                .all(|r| matches!(r, CheckRow::Zone { .. }))
        );
        s.keys("O");
        assert_eq!(s.app.checklist.list.view.len(), before);
        // m: the grid.
        let text = s.keys("m").text();
        assert_eq!(s.app.checklist.view, ChecklistView::Grid);
        insta::assert_snapshot!(format!("checklist_grid_{w}x{h}"), text);
        // Every item is counted once in the grid.
        let lines = s.app.checklist.grid_lines();
        let counted: usize = lines
            .iter()
            .map(|(z, _, l)| {
                dudao::domain::AuthorityDomain::ALL
                    .iter()
                    .map(|d| s.app.checklist.grid_items(*z, *l, *d).len())
                    .sum::<usize>()
            })
            .sum();
        assert_eq!(counted, s.app.checklist.all.len());
        // Enter on a cell: its first item, in the list.
        s.keys("lj").key(KeyCode::Enter);
        assert_eq!(s.app.checklist.view, ChecklistView::Zones);
        let it = s.app.checklist.selected_item().cloned();
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
            .checklist
            .all
            .iter()
            .find(|r| r.status == dudao::domain::AuthorityStatus::Approved)
            .unwrap()
            .id;
        let st = Lang::Zh.s();
        assert!(s.app.checklist.select_item(id, st, 20));
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
