//! One list type for the inbox, the checklist and the alerts: loaded rows, the
//! filtered and sorted view, the selection, and marks by typed row key.
//! After csvlens's `RowsView`: rows are loaded, then refiltered; the
//! selection and marks follow row identity, not position.

use std::collections::HashSet;
use std::hash::Hash;

use super::action::Action;
use crate::i18n::Strings;

/// A row a [`ListPane`] can hold.
pub trait ListRow: Sized {
    /// The row's identity: selection and marks survive reloads by it.
    type Key: Clone + Eq + Hash + std::fmt::Debug;
    /// The orders the pane can be sorted in.
    type Sort: SortOrder;
    fn key(&self) -> Self::Key;
    /// The texts the typed filter looks in, each handed to `add`.
    fn search_texts(&self, s: &Strings, add: &mut dyn FnMut(&str));
    /// Sorts `view` (indices into `rows`, in load order) by `sort`; a stable
    /// sort keeps load order among equals.
    fn sort(rows: &[Self], view: &mut [usize], sort: Self::Sort, s: &Strings);
}

/// A pane's sort orders: `s` cycles through `ALL`.
pub trait SortOrder: Copy + Eq + Default + std::fmt::Debug + 'static {
    const ALL: &'static [Self];
    fn label(self, s: &Strings) -> &'static str;
    fn next(self) -> Self {
        let all = Self::ALL;
        let i = all.iter().position(|x| *x == self).unwrap_or(0);
        all[(i + 1) % all.len()]
    }
}

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

/// Rows, their filtered and sorted view, selection, filter, sort and marks.
#[derive(Debug, Clone)]
pub struct ListPane<R: ListRow> {
    pub rows: Vec<R>,
    /// Which rows the pane's quick filters (status, level, kind…) let
    /// through, by index; empty when they let every row through. The rows
    /// are held once: filters narrow the view, never copy rows.
    pub pass: Vec<bool>,
    /// Indices into `rows` after filter and sort.
    pub view: Vec<usize>,
    pub nav: ListNav,
    pub filter: String,
    pub sort: R::Sort,
    pub marks: HashSet<R::Key>,
    /// The rows matching each filter typed so far (a chain: each filter
    /// contains the one before), by index: a longer filter only looks
    /// among the rows the shorter one found, and a backspace finds its
    /// answer here.
    narrowed: Vec<(String, Vec<u32>)>,
}

impl<R: ListRow> Default for ListPane<R> {
    fn default() -> Self {
        ListPane {
            rows: Vec::new(),
            pass: Vec::new(),
            view: Vec::new(),
            nav: ListNav::default(),
            filter: String::new(),
            sort: R::Sort::default(),
            marks: HashSet::new(),
            narrowed: Vec::new(),
        }
    }
}

impl<R: ListRow> ListPane<R> {
    pub fn selected(&self) -> Option<&R> {
        self.view.get(self.nav.sel).and_then(|&i| self.rows.get(i))
    }

    pub fn selected_key(&self) -> Option<R::Key> {
        self.selected().map(R::key)
    }

    /// Replaces the rows (a reload), keeping the selected row by identity
    /// and dropping marks of rows that are gone.
    pub fn set_rows(&mut self, rows: Vec<R>, s: &Strings, page: usize) {
        self.set_rows_where(rows, |_| true, s, page);
    }

    /// [`ListPane::set_rows`] with a quick filter: `keep` says which rows
    /// are shown at all.
    pub fn set_rows_where(&mut self, rows: Vec<R>, keep: impl Fn(&R) -> bool, s: &Strings, page: usize) {
        let sel = self.selected_key();
        self.rows = rows;
        self.narrowed.clear();
        if !self.marks.is_empty() {
            let present: HashSet<R::Key> = self.rows.iter().map(R::key).collect();
            self.marks.retain(|k| present.contains(k));
        }
        self.pass = mask(&self.rows, keep);
        self.refilter_keeping(sel, s, page, false);
    }

    /// A quick filter changed: marks stay (those it hides are counted, not
    /// acted on) and a selection it hides moves to the top.
    pub fn show_where(&mut self, keep: impl Fn(&R) -> bool, s: &Strings, page: usize) {
        let sel = self.selected_key();
        self.pass = mask(&self.rows, keep);
        self.refilter_keeping(sel, s, page, true);
    }

    /// Whether the quick filters let row `i` through.
    pub fn passes(&self, i: usize) -> bool {
        self.pass.get(i).copied().unwrap_or(true)
    }

    /// The rows the quick filters let through, before the typed filter.
    pub fn passing(&self) -> impl Iterator<Item = &R> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(i, _)| self.passes(*i))
            .map(|(_, r)| r)
    }

    /// Applies filter and sort again, keeping the selected row; when the
    /// filter hides it, the first row that matches is selected.
    pub fn refilter(&mut self, s: &Strings, page: usize) {
        let keep = self.selected_key();
        self.refilter_keeping(keep, s, page, true);
    }

    fn refilter_keeping(&mut self, keep: Option<R::Key>, s: &Strings, page: usize, top_if_gone: bool) {
        let mut view: Vec<usize> = if self.filter.is_empty() {
            (0..self.rows.len()).filter(|&i| self.passes(i)).collect()
        } else {
            self.narrow(s);
            let matched = self.narrowed.last().map(|(_, v)| v.as_slice()).unwrap_or(&[]);
            matched
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| self.passes(i))
                .collect()
        };
        R::sort(&self.rows, &mut view, self.sort, s);
        self.view = view;
        let pos = keep.and_then(|k| self.view.iter().position(|&i| self.rows[i].key() == k));
        let pos = match pos {
            None if top_if_gone => Some(0),
            p => p,
        };
        self.nav.reselect(pos, self.view.len(), page);
    }

    /// Forgets the matches of the filters typed when no filter is left
    /// (the filter closed).
    pub fn release_filter(&mut self) {
        if self.filter.is_empty() {
            self.narrowed = Vec::new();
        }
    }

    /// Finds the rows the typed filter matches (quick filters aside), in
    /// load order: the last of `narrowed`.
    fn narrow(&mut self, s: &Strings) {
        let f = self.filter.to_lowercase();
        while self.narrowed.last().is_some_and(|(g, _)| !f.contains(g.as_str())) {
            self.narrowed.pop();
        }
        if self.narrowed.last().is_none_or(|(g, _)| *g != f) {
            let latin = f.chars().all(|c| c.is_ascii_alphanumeric());
            // Each row's texts are matched where they are: nothing is kept
            // per row (at tens of thousands of rows that would be
            // megabytes), and only the first keystroke looks at every row.
            // A filter of uncased characters (Chinese) is found in a text
            // exactly when it is found in the text lower-cased.
            let uncased = f.chars().all(uncased);
            let rows = &self.rows;
            let hit = |i: u32| {
                let mut found = false;
                rows[i as usize].search_texts(s, &mut |t| {
                    found = found
                        || if uncased {
                            t.contains(f.as_str())
                        } else {
                            contains_folded(t, &f)
                        }
                        || (latin && crate::text::initials_contain(t, &f));
                });
                found
            };
            let found: Vec<u32> = match self.narrowed.last() {
                Some((_, among)) => among.iter().copied().filter(|&i| hit(i)).collect(),
                None => (0..self.rows.len() as u32).filter(|&i| hit(i)).collect(),
            };
            if self.narrowed.len() == NARROWED {
                self.narrowed.remove(0);
            }
            self.narrowed.push((f, found));
        }
    }

    /// Selects the row `key`, clearing the filter if it hides it; false when
    /// there is no such row.
    pub fn select_key(&mut self, key: &R::Key, s: &Strings, page: usize) -> bool {
        let find = |l: &Self| l.view.iter().position(|&i| l.rows[i].key() == *key);
        let mut pos = find(self);
        if pos.is_none() && !self.filter.is_empty() && self.passing().any(|r| r.key() == *key) {
            self.filter.clear();
            self.refilter(s, page);
            pos = find(self);
        }
        match pos {
            Some(p) => {
                self.nav.sel = p;
                self.nav.clamp(self.view.len(), page);
                true
            }
            None => false,
        }
    }

    /// The next sort order; returns its label.
    pub fn cycle_sort(&mut self, s: &Strings, page: usize) -> &'static str {
        self.sort = self.sort.next();
        self.refilter(s, page);
        self.sort.label(s)
    }

    pub fn is_marked(&self, row: &R) -> bool {
        !self.marks.is_empty() && self.marks.contains(&row.key())
    }

    /// Marks or unmarks the selected row, then moves down a row.
    pub fn toggle_mark(&mut self, page: usize) {
        if let Some(k) = self.selected_key()
            && !self.marks.remove(&k)
        {
            self.marks.insert(k);
        }
        self.nav.apply(Action::Down, self.view.len(), page);
    }

    /// Marks every row the filter shows; when all are marked already, unmarks them.
    pub fn mark_all_shown(&mut self) {
        let shown: Vec<R::Key> = self.view.iter().map(|&i| self.rows[i].key()).collect();
        if !shown.is_empty() && shown.iter().all(|k| self.marks.contains(k)) {
            for k in &shown {
                self.marks.remove(k);
            }
        } else {
            self.marks.extend(shown);
        }
    }

    /// The rows an action applies to: the marked ones the filter shows, in
    /// view order; with none marked, the selected row. Marked rows the
    /// filter hides are not acted on (nobody acts on rows they cannot see).
    pub fn targets(&self) -> Vec<&R> {
        if self.marks.is_empty() {
            return self.selected().into_iter().collect();
        }
        self.view
            .iter()
            .map(|&i| &self.rows[i])
            .filter(|r| self.marks.contains(&r.key()))
            .collect()
    }

    /// (marked rows shown, marked rows the filter hides).
    pub fn mark_counts(&self) -> (usize, usize) {
        if self.marks.is_empty() {
            return (0, 0);
        }
        let shown = self
            .view
            .iter()
            .filter(|&&i| self.marks.contains(&self.rows[i].key()))
            .count();
        (shown, self.marks.len() - shown)
    }

    /// Keeps the selection visible for a new page size.
    pub fn clamp(&mut self, page: usize) {
        self.nav.clamp(self.view.len(), page);
    }

    /// Applies a movement; returns whether the selection moved.
    pub fn navigate(&mut self, a: Action, page: usize) -> bool {
        let before = self.nav.sel;
        self.nav.apply(a, self.view.len(), page) && self.nav.sel != before
    }

    /// (1-based selected, shown) for the footer.
    pub fn position(&self) -> Option<(usize, usize)> {
        (!self.view.is_empty()).then(|| (self.nav.sel + 1, self.view.len()))
    }
}

/// Which of `rows` `keep` lets through; empty when all are.
fn mask<R>(rows: &[R], keep: impl Fn(&R) -> bool) -> Vec<bool> {
    let pass: Vec<bool> = rows.iter().map(keep).collect();
    if pass.iter().all(|&p| p) { Vec::new() } else { pass }
}

/// How many filters typed in a row keep their matches.
const NARROWED: usize = 32;

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
        .any(|t| contains_folded(t, &f) || (latin && crate::text::initials_contain(t, &f)))
}

/// Whether `t`, lower-cased, contains `f` (already lower case); without a
/// copy when `t` has no capitals (Chinese text has none).
fn contains_folded(t: &str, f: &str) -> bool {
    if has_capitals(t) {
        t.to_lowercase().contains(f)
    } else {
        t.contains(f)
    }
}

/// Whether `c` is never part of a lower-cased character: lower-casing
/// turns cased letters into cased letters (and İ into i and a combining
/// dot), so a filter made only of such characters needs no lower-casing.
fn uncased(c: char) -> bool {
    !c.is_lowercase() && !c.is_uppercase() && c != '\u{307}'
}

/// Whether lower-casing `t` changes it, i.e. it has an upper-case letter;
/// CJK and Hangul, which have no case, are passed over without a Unicode
/// table lookup per character.
fn has_capitals(t: &str) -> bool {
    if t.is_ascii() {
        return t.bytes().any(|b| b.is_ascii_uppercase());
    }
    t.chars().any(|c| match c as u32 {
        0..=0x7F => c.is_ascii_uppercase(),
        0x3000..=0x9FFF | 0xAC00..=0xD7FF => false,
        _ => c.is_uppercase(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shortcut agrees with asking Unicode for every character.
        #[test]
        fn capitals_are_found_as_unicode_finds_them(t in "\\PC{0,40}") {
            proptest::prop_assert_eq!(has_capitals(&t), t.chars().any(char::is_uppercase));
        }
    }

    #[test]
    fn lower_casing_makes_no_uncased_characters() {
        for c in '\0'..='\u{10FFFF}' {
            let lower: Vec<char> = c.to_lowercase().collect();
            if lower != [c] {
                assert!(lower.iter().all(|&x| !uncased(x)), "{c:?} → {lower:?}");
            }
        }
    }

    proptest::proptest! {
        /// An uncased filter matches the text as typed exactly when it
        /// matches the text lower-cased.
        #[test]
        fn uncased_filters_need_no_lower_casing(t in "\\PC{0,30}", f in "[科技厅0-9 （）·İΣ]{1,3}") {
            let f = f.to_lowercase();
            if f.chars().all(uncased) {
                proptest::prop_assert_eq!(t.contains(f.as_str()), t.to_lowercase().contains(f.as_str()));
            }
        }
    }

    #[test]
    fn capitals_in_every_script_are_found() {
        for c in ('\0'..='\u{10FFFF}').filter(|c| c.is_uppercase()) {
            assert!(has_capitals(&format!("科技{c}")), "{c:?} U+{:04X}", c as u32);
        }
        assert!(!has_capitals("科技厅 한국 かな"));
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Row(u32, &'static str);

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    enum By {
        #[default]
        Load,
        Name,
    }

    impl SortOrder for By {
        const ALL: &'static [By] = &[By::Load, By::Name];
        fn label(self, _: &Strings) -> &'static str {
            match self {
                By::Load => "load",
                By::Name => "name",
            }
        }
    }

    impl ListRow for Row {
        type Key = u32;
        type Sort = By;
        fn key(&self) -> u32 {
            self.0
        }
        fn search_texts(&self, _: &Strings, add: &mut dyn FnMut(&str)) {
            add(self.1);
        }
        fn sort(rows: &[Self], view: &mut [usize], sort: By, _: &Strings) {
            if sort == By::Name {
                view.sort_by_key(|&i| rows[i].1);
            }
        }
    }

    fn s() -> &'static Strings {
        crate::i18n::Lang::En.s()
    }

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
    fn selection_and_marks_follow_identity() {
        let mut l: ListPane<Row> = ListPane::default();
        l.set_rows(vec![Row(1, "c"), Row(2, "a"), Row(3, "b")], s(), 10);
        l.nav.sel = 2; // row 3
        l.toggle_mark(10);
        l.nav.sel = 0;
        l.toggle_mark(10); // row 1
        assert_eq!(l.marks.len(), 2);
        assert_eq!(l.cycle_sort(s(), 10), "name");
        // Sorted a, b, c: the selection (row 2 after toggling moved down) stays on its row.
        assert_eq!(l.selected().unwrap().0, 2);
        let t: Vec<u32> = l.targets().iter().map(|r| r.0).collect();
        assert_eq!(t, [3, 1], "marked rows in view order");
        // A reload without row 1 drops its mark.
        l.set_rows(vec![Row(2, "a"), Row(3, "b")], s(), 10);
        assert_eq!(l.marks.len(), 1);
        // Filtering hides a marked row: it is counted, not acted on.
        l.filter = "a".into();
        l.refilter(s(), 10);
        l.mark_all_shown();
        let t: Vec<u32> = l.targets().iter().map(|r| r.0).collect();
        assert_eq!(t, [2]);
        assert_eq!(l.mark_counts(), (1, 1));
        // V again with everything shown marked: unmarks them.
        l.mark_all_shown();
        assert_eq!(l.marks.len(), 1);
        l.marks.clear();
        assert_eq!(l.targets().len(), 1, "no marks: the selected row");
    }

    proptest::proptest! {
        /// Typing and deleting filter characters in any order shows exactly
        /// the rows a fresh match over every row finds: narrowing among the
        /// previous matches and the answers kept for backspace lose nothing.
        #[test]
        fn narrowing_filters_equal_matching_every_row(
            texts in proptest::collection::vec("[科技厅拉萨aAbB ]{0,6}", 0..40),
            edits in proptest::collection::vec(proptest::option::of("[科技拉aAbk]"), 0..24),
        ) {
            let names: Vec<&'static str> = texts.iter().map(|t| &*Box::leak(t.clone().into_boxed_str())).collect();
            let mut l: ListPane<Row> = ListPane::default();
            l.set_rows(names.iter().enumerate().map(|(i, t)| Row(i as u32, t)).collect(), s(), 10);
            for e in edits {
                match e {
                    Some(c) => l.filter.push_str(&c),
                    None => {
                        l.filter.pop();
                    }
                }
                l.refilter(s(), 10);
                let want: Vec<u32> = names
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| matches(&l.filter, &[t]))
                    .map(|(i, _)| i as u32)
                    .collect();
                let got: Vec<u32> = l.view.iter().map(|&i| l.rows[i].0).collect();
                proptest::prop_assert_eq!(got, want, "filter {:?}", l.filter);
            }
        }
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
