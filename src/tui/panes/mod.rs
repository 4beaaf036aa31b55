//! The four panes: each owns its loaded rows, filter, sort and selection,
//! and draws itself from `&App`.

pub mod alerts;
pub mod checklist;
pub mod inbox;
pub mod matrix;
pub mod side;

use super::action::Action;

/// Selection and scroll of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListNav {
    pub sel: usize,
    pub offset: usize,
}

impl ListNav {
    /// Applies a movement; `page` is the number of visible rows.
    /// Returns whether the action was a movement.
    pub fn apply(&mut self, a: Action, len: usize, page: usize) -> bool {
        let page = page.max(1);
        let last = len.saturating_sub(1);
        self.sel = match a {
            Action::Up => self.sel.saturating_sub(1),
            Action::Down => (self.sel + 1).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            Action::HalfPageDown => (self.sel + page / 2).min(last),
            Action::HalfPageUp => self.sel.saturating_sub(page / 2),
            Action::PageDown => (self.sel + page).min(last),
            Action::PageUp => self.sel.saturating_sub(page),
            _ => return false,
        };
        self.clamp(len, page);
        true
    }

    /// Selects `pos` when it is known (the row kept its place after a reload
    /// or filter), then keeps the selection inside the list and visible.
    /// The selected row keeps its line on screen when rows come or go above it.
    pub fn reselect(&mut self, pos: Option<usize>, len: usize, page: usize) {
        if let Some(p) = pos {
            let line = self.sel.saturating_sub(self.offset);
            self.sel = p;
            self.offset = p.saturating_sub(line);
        }
        self.clamp(len, page);
    }

    /// Keeps the selection inside the list and visible.
    pub fn clamp(&mut self, len: usize, page: usize) {
        let page = page.max(1);
        self.sel = self.sel.min(len.saturating_sub(1));
        if self.sel < self.offset {
            self.offset = self.sel;
        }
        if self.sel >= self.offset + page {
            self.offset = self.sel + 1 - page;
        }
        self.offset = self.offset.min(len.saturating_sub(page));
    }
}

/// Case-insensitive match of a filter against any of the texts; a filter of
/// plain letters also matches pinyin initials (`kjt` finds 科技厅).
pub fn matches(filter: &str, texts: &[&str]) -> bool {
    if filter.is_empty() {
        return true;
    }
    let f = filter.to_lowercase();
    let latin = f.chars().all(|c| c.is_ascii_alphanumeric());
    texts
        .iter()
        .any(|t| t.to_lowercase().contains(&f) || (latin && crate::text::initials_contain(t, &f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_keeps_selection_visible() {
        let mut n = ListNav::default();
        n.apply(Action::Bottom, 40, 10);
        assert_eq!((n.sel, n.offset), (39, 30));
        n.apply(Action::PageUp, 40, 10);
        assert_eq!((n.sel, n.offset), (29, 29));
        n.apply(Action::HalfPageUp, 40, 10);
        assert_eq!(n.sel, 24);
        n.clamp(5, 10);
        assert_eq!((n.sel, n.offset), (4, 0));
        n.apply(Action::Down, 0, 10);
        assert_eq!((n.sel, n.offset), (0, 0));
    }

    #[test]
    fn reselect_keeps_the_selected_line() {
        let mut n = ListNav { sel: 15, offset: 8 };
        n.reselect(Some(16), 60, 13);
        assert_eq!((n.sel, n.offset), (16, 9));
        n.reselect(Some(2), 60, 13);
        assert_eq!((n.sel, n.offset), (2, 0));
    }

    #[test]
    fn filter_matches_chinese_and_ignores_case() {
        assert!(matches("科技厅", &["自治区科技厅", "x"]));
        assert!(matches("RED", &["red alert"]));
        assert!(!matches("教育", &["科技厅"]));
        assert!(matches("kjt", &["自治区科技厅"]));
        assert!(matches("KJT", &["科技厅"]));
        assert!(!matches("jyt", &["科技厅"]));
    }
}
