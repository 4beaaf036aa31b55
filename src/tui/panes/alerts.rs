//! Pane 4, deadline alerts: every open item with a date, most urgent first,
//! as traffic lights with a symbol and a word; quick filters by level,
//! source and kind of unit; triage keys act on the selected or marked rows.

pub use crate::domain::KindGroup;
use crate::present::{days_text, title};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{FilterEdit, Handled, PaneCx, PaneState, apply_edit, is_movement};
use crate::db::alerts::{AlertRow, AlertSource};
use crate::db::notes::ItemFile;
use crate::domain::{AlertLevel, ItemKey};
use crate::i18n::Strings;
use crate::tui::action::Action;
use crate::tui::ctx::RenderCtx;
use crate::tui::intent::Tone;
use crate::tui::layout;
use crate::tui::list::{ListPane, ListRow, SortOrder};
use crate::tui::widgets::{Cell, Col, empty_state, label_width, not_read, not_read_state, table};

/// Which levels the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LevelFilter {
    #[default]
    All,
    /// Past due (red and 通报).
    Overdue,
    Only(AlertLevel),
}

impl LevelFilter {
    pub const CYCLE: [LevelFilter; 6] = [
        LevelFilter::All,
        LevelFilter::Overdue,
        LevelFilter::Only(AlertLevel::Circular),
        LevelFilter::Only(AlertLevel::Red),
        LevelFilter::Only(AlertLevel::Yellow),
        LevelFilter::Only(AlertLevel::Blue),
    ];

    fn keeps(self, r: &AlertRow) -> bool {
        match self {
            LevelFilter::All => true,
            LevelFilter::Overdue => r.days_left < 0,
            LevelFilter::Only(l) => r.level == l,
        }
    }
}

/// The quick filters above the free-text filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quick {
    pub level: LevelFilter,
    pub source: Option<AlertSource>,
    pub kind: Option<KindGroup>,
    /// Hide monthly reports that are not yet due (the 1st–5th crowd).
    pub hide_pending: bool,
    /// Show snoozed items too.
    pub show_snoozed: bool,
}

impl Quick {
    pub fn keeps(&self, r: &AlertRow) -> bool {
        self.level.keeps(r)
            && self.source.is_none_or(|s| r.source == s)
            && self.kind.is_none_or(|k| r.kind.map(KindGroup::of) == Some(k))
            && !(self.hide_pending && r.source == AlertSource::MissingReport && r.days_left >= 0)
            && (self.show_snoozed || !r.snoozed)
    }

    pub fn is_default(&self) -> bool {
        *self == Quick::default()
    }
}

/// Everything the pane holds: all alerts (the quick filters narrow the
/// list's view), and the selected item's notes, reminders and history (read
/// when its detail is opened).
#[derive(Debug, Clone, Default)]
pub struct AlertsState {
    pub quick: Quick,
    pub list: ListPane<AlertRow>,
    pub file: Option<(ItemKey, Result<ItemFile, String>)>,
    /// Alerts at each level (snoozed ones left out), in `AlertLevel::ALL`
    /// order, counted when rows change.
    counts: [usize; AlertLevel::ALL.len()],
}

impl AlertsState {
    /// New rows from the database (a reload).
    pub fn set_all(&mut self, rows: Vec<AlertRow>, s: &Strings, page: usize) {
        let q = self.quick;
        // Marks of items that are gone are dropped; those the filter hides stay.
        self.list.set_rows_where(rows, |r| q.keeps(r), s, page);
        let mut counts = [0; AlertLevel::ALL.len()];
        for r in self.list.rows.iter().filter(|r| !r.snoozed) {
            counts[r.level as usize] += 1;
        }
        self.counts = counts;
    }

    /// Every alert, whatever the filters.
    pub fn all(&self) -> &[AlertRow] {
        &self.list.rows
    }

    /// Applies the quick filters to all rows.
    pub fn apply_quick(&mut self, s: &Strings, page: usize) {
        let q = self.quick;
        self.list.show_where(|r| q.keeps(r), s, page);
    }

    /// Alerts at `level` (snoozed ones left out, as the list leaves them).
    pub fn count(&self, level: AlertLevel) -> usize {
        self.counts[level as usize]
    }

    /// The loaded file of `key`, if it is loaded.
    pub fn file_of(&self, key: ItemKey) -> Option<&Result<ItemFile, String>> {
        match &self.file {
            Some((k, f)) if *k == key => Some(f),
            _ => None,
        }
    }
}

/// Orders of the alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertSort {
    #[default]
    Urgency,
    Due,
    Unit,
    Source,
}

impl SortOrder for AlertSort {
    const ALL: &'static [AlertSort] = &[AlertSort::Urgency, AlertSort::Due, AlertSort::Unit, AlertSort::Source];
    fn label(self, s: &Strings) -> &'static str {
        s.sort_alerts[match self {
            AlertSort::Urgency => 0,
            AlertSort::Due => 1,
            AlertSort::Unit => 2,
            AlertSort::Source => 3,
        }]
    }
}

impl ListRow for AlertRow {
    type Key = ItemKey;
    type Sort = AlertSort;

    fn key(&self) -> ItemKey {
        self.key
    }

    fn search_texts(&self, s: &Strings, add: &mut dyn FnMut(&str)) {
        use std::fmt::Write;
        add(&self.unit);
        if self.search != self.unit {
            add(&self.search);
        }
        // The title and the id are formatted into one buffer: the first
        // keystroke of a filter looks at every row (22,000 at a million
        // reports), and an allocation each would cost more than the match.
        SCRATCH.with_borrow_mut(|b| {
            b.clear();
            crate::present::title_into(b, self, s);
            add(b);
            b.clear();
            let _ = write!(b, "{}", self.key);
            add(b);
        });
        add(s.source(self.source));
        add(s.alert_level(self.level));
    }

    fn sort(rows: &[Self], view: &mut [usize], sort: AlertSort, s: &Strings) {
        match sort {
            // Level first (通报, red, yellow, …), then the most overdue.
            AlertSort::Urgency => view.sort_by_key(|&i| crate::tui::digest::urgency(&rows[i])),
            AlertSort::Due => view.sort_by_key(|&i| (rows[i].due, rows[i].key)),
            AlertSort::Unit => {
                view.sort_by_cached_key(|&i| (crate::text::pinyin_key(&rows[i].unit), rows[i].days_left))
            }
            AlertSort::Source => view.sort_by_key(|&i| (s.source(rows[i].source), rows[i].days_left)),
        }
    }
}

/// Whether a triage action applies to an alert as it is shown.
pub fn applies(action: Action, r: &AlertRow) -> bool {
    use AlertSource as S;
    match action {
        Action::Remind => {
            matches!(r.source, S::MissingReport | S::Resubmission | S::Measure | S::Authority)
                && !(r.source == S::MissingReport && r.days_left >= 0)
        }
        Action::Extend => matches!(r.source, S::MissingReport | S::Resubmission | S::Measure | S::Authority),
        Action::Done => matches!(
            r.source,
            S::MissingReport | S::Resubmission | S::Measure | S::Meeting | S::Milestone
        ),
        Action::Note => r.source != S::Milestone,
        Action::Escalate | Action::Snooze => true,
        _ => false,
    }
}

/// How many alerts are at `level` (snoozed ones left out).
pub fn count(rows: &[AlertRow], level: AlertLevel) -> usize {
    rows.iter().filter(|r| r.level == level && !r.snoozed).count()
}

thread_local! {
    static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The flags of an alert in a few characters: extended, snoozed, escalated.
pub fn flags_text(r: &AlertRow, s: &Strings) -> String {
    let mut parts = Vec::new();
    if r.escalated {
        parts.push(s.flag_escalated.to_string());
    }
    if !r.extensions.is_empty() {
        parts.push(format!("{}{}", s.flag_extended, r.extensions.len()));
    }
    if r.snoozed {
        parts.push(s.flag_snoozed.to_string());
    }
    parts.join(" ")
}

/// The quick filters in words, for the bar (empty when none is set).
pub fn quick_text(q: &Quick, s: &Strings) -> String {
    let mut parts = Vec::new();
    match q.level {
        LevelFilter::All => {}
        LevelFilter::Overdue => parts.push(s.only_overdue.to_string()),
        LevelFilter::Only(l) => parts.push(s.alert_level(l).to_string()),
    }
    if let Some(src) = q.source {
        parts.push(s.source(src).to_string());
    }
    if let Some(k) = q.kind {
        parts.push(s.kind_group(k).to_string());
    }
    if q.hide_pending {
        parts.push(s.hiding_pending.to_string());
    }
    if q.show_snoozed {
        parts.push(s.showing_snoozed.to_string());
    }
    parts.join(" · ")
}

pub fn render(ctx: &RenderCtx, st: &AlertsState, body: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let (bar, tarea) = layout::alerts(body);
    let mut spans = Vec::new();
    for l in AlertLevel::ALL {
        let n = st.count(*l);
        if *l == AlertLevel::Circular && n == 0 {
            continue;
        }
        let (style, sym) = th.alert(*l);
        spans.push(Span::styled(format!("{sym} {} {}  ", s.alert_level(*l), n), style));
    }
    let quick = quick_text(&st.quick, s);
    if quick.is_empty() {
        spans.push(Span::styled(
            {
                let unit = if ctx.working_days { s.wd_short } else { s.day_unit };
                format!(
                    "(≤{}{unit} {} · ≤{}{unit} {})",
                    ctx.thresholds.yellow_days,
                    s.alert_level(AlertLevel::Yellow),
                    ctx.thresholds.blue_days,
                    s.alert_level(AlertLevel::Blue)
                )
            },
            th.dim,
        ));
    } else {
        spans.push(Span::styled(format!("[{}{}{quick}]", s.filter, s.colon), th.key));
    }
    Paragraph::new(Line::from(spans)).render(bar, buf);

    let days_head = if ctx.working_days { s.col_workdays } else { s.col_days };
    let cols = [
        Col::new(
            s.col_level_alert,
            label_width(
                s.col_level_alert,
                AlertLevel::ALL
                    .iter()
                    .map(|l| format!("{} {}", th.alert(*l).1, s.alert_level(*l))),
            ),
        ),
        Col::new(
            s.col_source,
            label_width(s.col_source, s.sources.iter().map(|x| x.to_string())),
        ),
        Col::new(s.col_unit, 12),
        Col::flex(s.col_subject),
        Col::new(s.col_due, 10),
        Col::right(days_head, label_width(days_head, [days_text(-999, s)])),
        Col::right(s.col_reminders, label_width(s.col_reminders, ["99".to_string()])),
        Col::new(
            s.col_flags,
            label_width(s.col_flags, [format!("{} {}9", s.flag_escalated, s.flag_extended)]),
        ),
    ];
    let page = tarea.height.saturating_sub(1) as usize;
    let nav = st.list.nav;
    let shown: Vec<&AlertRow> = st
        .list
        .view
        .iter()
        .skip(nav.offset)
        .take(page)
        .map(|&i| &st.list.rows[i])
        .collect();
    let rows: Vec<Vec<Cell>> = shown
        .iter()
        .map(|r| {
            let (style, sym) = th.alert(r.level);
            vec![
                Cell::new(format!("{sym} {}", s.alert_level(r.level)), style),
                Cell::plain(s.source(r.source)),
                Cell::plain(&r.unit),
                Cell::plain(title(r, s)),
                Cell::plain(r.due.to_string()),
                Cell::new(
                    days_text(r.days_left, s),
                    if r.days_left < 0 { th.red } else { th.base },
                ),
                Cell::plain(if r.reminders > 0 {
                    r.reminders.to_string()
                } else {
                    String::new()
                }),
                Cell::new(flags_text(r, s), th.magenta),
            ]
        })
        .collect();
    let marks: Vec<bool> = if st.list.marks.is_empty() {
        Vec::new()
    } else {
        shown.iter().map(|r| st.list.is_marked(r)).collect()
    };
    table(buf, tarea, &cols, &rows, nav.sel.checked_sub(nav.offset), &marks, th);
    let why = not_read(s, ctx.loading.alerts, ctx.unreadable.alerts);
    if let (true, Some(why)) = (st.list.view.is_empty(), why) {
        not_read_state(buf, tarea, why, th);
    } else if st.list.view.is_empty() {
        empty_state(buf, tarea, st.list.passing().next().is_some(), s, th);
    }
}

impl AlertsState {
    /// With the dashboard column shown, it shows the selected alert's file:
    /// read it when the selection moved (or `fresh`, after a reload).
    pub fn sync_file(&mut self, cx: &PaneCx, fresh: bool) {
        if layout::chrome(cx.size).side.is_none() {
            return;
        }
        let Some(key) = self.list.selected().map(|r| r.key) else {
            return;
        };
        if fresh || !matches!(&self.file, Some((k, _)) if *k == key) {
            self.load_file(key, cx);
        }
    }

    /// Reads an alert's notes, reminders and history.
    pub fn load_file(&mut self, key: ItemKey, cx: &PaneCx) {
        let file = crate::db::notes::item_file(cx.conn, key, crate::db::inbox::HISTORY_LINES).map_err(|e| cx.error(&e));
        self.file = Some((key, file));
    }

    /// The quick filters: level, source, unit kind, not yet due, snoozed.
    fn quick_filter(&mut self, a: Action, cx: &PaneCx) -> Handled {
        fn next<T: PartialEq + Copy>(all: &[T], cur: T) -> T {
            let i = all.iter().position(|x| *x == cur).map_or(0, |i| i + 1);
            all[i % all.len()]
        }
        let q = &mut self.quick;
        match a {
            Action::FilterLevel => q.level = next(&LevelFilter::CYCLE, q.level),
            Action::FilterSource => {
                let all: Vec<Option<AlertSource>> = std::iter::once(None)
                    .chain(AlertSource::ALL.into_iter().map(Some))
                    .collect();
                q.source = next(&all, q.source);
            }
            Action::FilterKind => {
                let all: Vec<Option<KindGroup>> = std::iter::once(None).chain(KindGroup::ALL.map(Some)).collect();
                q.kind = next(&all, q.kind);
            }
            Action::TogglePending => q.hide_pending = !q.hide_pending,
            Action::ToggleSnoozed => q.show_snoozed = !q.show_snoozed,
            _ => return Handled::Ignored,
        }
        let s = cx.s;
        self.apply_quick(s, self.page(cx.body()));
        let text = quick_text(&self.quick, s);
        let text = if text.is_empty() { s.all_items.to_string() } else { text };
        Handled::say(format!("{}{}{text}", s.filter, s.colon), Tone::Info)
    }
}

impl PaneState for AlertsState {
    fn page(&self, body: Rect) -> usize {
        layout::alerts_page(body)
    }

    fn position(&self) -> Option<(usize, usize)> {
        self.list.position()
    }

    fn mark_counts(&self) -> (usize, usize) {
        self.list.mark_counts()
    }

    fn filter(&self) -> &str {
        &self.list.filter
    }

    fn sort_label(&self, s: &Strings) -> &'static str {
        self.list.sort.label(s)
    }

    fn handle(&mut self, a: Action, cx: &PaneCx) -> Handled {
        let s = cx.s;
        let page = self.page(cx.body());
        let done = match a {
            a if is_movement(a) => {
                self.list.navigate(a, page);
                Handled::done()
            }
            Action::Mark => {
                self.list.toggle_mark(page);
                Handled::done()
            }
            Action::MarkAll => {
                self.list.mark_all_shown();
                Handled::done()
            }
            Action::Sort => {
                let label = self.list.cycle_sort(s, page);
                Handled::say(format!("{}{}{}", s.sort, s.colon, label), Tone::Info)
            }
            Action::Back => {
                let (shown, hidden) = self.list.mark_counts();
                if shown + hidden > 0 {
                    self.list.marks.clear();
                    Handled::done()
                } else if !self.list.filter.is_empty() {
                    self.edit_filter(FilterEdit::Clear, cx)
                } else if !self.quick.is_default() {
                    // Then the quick filters (f, S, K, p, Z), back to every alert.
                    self.quick = Quick::default();
                    self.apply_quick(s, page);
                    Handled::say(format!("{}{}{}", s.filter, s.colon, s.all_items), Tone::Info)
                } else {
                    Handled::done()
                }
            }
            Action::FilterLevel
            | Action::FilterSource
            | Action::FilterKind
            | Action::TogglePending
            | Action::ToggleSnoozed => self.quick_filter(a, cx),
            _ => return Handled::Ignored,
        };
        self.sync_file(cx, false);
        done
    }

    fn edit_filter(&mut self, edit: FilterEdit, cx: &PaneCx) -> Handled {
        apply_edit(&mut self.list.filter, edit);
        self.list.refilter(cx.s, self.page(cx.body()));
        Handled::done()
    }

    fn close_filter(&mut self) {
        self.list.release_filter();
    }

    fn fit(&mut self, cx: &PaneCx) -> Handled {
        self.list.clamp(self.page(cx.body()));
        Handled::done()
    }

    fn render(&self, ctx: &RenderCtx, area: Rect, buf: &mut Buffer) {
        render(ctx, self, area, buf)
    }
}
