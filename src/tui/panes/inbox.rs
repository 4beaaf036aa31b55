//! Pane 1, the monthly-report inbox: every reporting unit's report for one
//! month, received or not, and the selected report's detail.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::alerts::KindGroup;
use super::grid::Grid;
use super::{FilterEdit, Handled, PaneCx, PaneState, apply_edit, is_movement};
use crate::db::inbox::{InboxRow, MonthHead, ReportFile};
use crate::db::intake::LogEntry;
use crate::domain::{InboxStatus, ItemKey, Month};
use crate::i18n::Strings;
use crate::text::one_line;
use crate::tui::action::Action;
use crate::tui::ctx::RenderCtx;
use crate::tui::intent::Tone;
use crate::tui::keymap::Scope;
use crate::tui::layout;
use crate::tui::list::{ListPane, ListRow, SortOrder};
use crate::tui::widgets::{Cell, Col, empty_state, label_width, not_read, not_read_state, table, wrap};

/// The selected unit-month's file, or why it could not be read. Always
/// keyed by the row it belongs to: a detail never shows under another row.
pub type Detail = Option<(ItemKey, Result<ReportFile, String>)>;

/// What the inbox shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InboxView {
    /// One month's expected reports.
    #[default]
    Month,
    /// Files received and refused.
    Imports,
    /// Units × months: received, late, missing, with on-time rates.
    Grid,
}

/// The status filter's cycle (`f`): all, then 未阅, 逾期未报, 退回, 已阅, 补报.
pub const STATUS_CYCLE: [Option<InboxStatus>; 6] = [
    None,
    Some(InboxStatus::New),
    Some(InboxStatus::Missing),
    Some(InboxStatus::Returned),
    Some(InboxStatus::Accepted),
    Some(InboxStatus::Late),
];

#[derive(Debug, Clone)]
pub struct InboxState {
    pub month: Month,
    /// Every expected report of the month; the status and unit-kind
    /// filters narrow its view.
    pub list: ListPane<InboxRow>,
    /// How many rows of the unit kind filtered have each status (in
    /// `InboxStatus::ALL` order), counted when rows or filters change.
    counts: [usize; InboxStatus::ALL.len()],
    /// Rows in the month while only its first rows are held (start-up).
    total: Option<usize>,
    pub detail: Detail,
    pub view: InboxView,
    pub status: Option<InboxStatus>,
    pub kind: Option<KindGroup>,
    pub imports: ListPane<LogEntry>,
    pub grid: Option<super::grid::Grid>,
}

fn keeps(status: Option<InboxStatus>, kind: Option<KindGroup>, r: &InboxRow) -> bool {
    status.is_none_or(|st| r.status == st) && kind.is_none_or(|k| KindGroup::of(r.kind) == k)
}

impl InboxState {
    pub fn new(month: Month) -> InboxState {
        InboxState {
            month,
            list: ListPane::default(),
            counts: [0; InboxStatus::ALL.len()],
            total: None,
            detail: None,
            view: InboxView::Month,
            status: None,
            kind: None,
            imports: ListPane::default(),
            grid: None,
        }
    }

    /// The month's rows (a reload or another month).
    pub fn set_all(&mut self, rows: Vec<InboxRow>, s: &Strings, page: usize) {
        let (status, kind) = (self.status, self.kind);
        self.list.set_rows_where(rows, |r| keeps(status, kind, r), s, page);
        self.total = None;
        self.recount();
    }

    /// The month's figures and first rows, before the rest is read; shown
    /// as the whole month is when it is shown unfiltered in unit order.
    pub fn set_head(&mut self, head: MonthHead, s: &Strings, page: usize) {
        self.set_all(head.rows, s, page);
        self.counts = head.counts;
        self.total = Some(self.count(None));
    }

    /// Only the month's first rows are held (see [`InboxState::set_head`]).
    pub fn head_only(&self) -> bool {
        self.total.is_some()
    }

    /// The rest of the month never came (it could not be read): the rows
    /// held are all the list has; the figures, read from the whole month,
    /// stay.
    pub fn forget_head(&mut self) {
        self.total = None;
    }

    /// (selected, rows) of the list as shown.
    pub fn position(&self) -> Option<(usize, usize)> {
        let (sel, n) = self.list.position()?;
        Some((sel, self.total.unwrap_or(n)))
    }

    /// Whether the month is shown as a head can show it: every row, in unit
    /// order, unfiltered.
    pub fn shows_all_in_unit_order(&self) -> bool {
        self.status.is_none()
            && self.kind.is_none()
            && self.list.filter.is_empty()
            && self.list.sort == InboxSort::UnitOrder
            && self.view == InboxView::Month
    }

    /// Every row of the month, whatever the filters.
    pub fn all(&self) -> &[InboxRow] {
        &self.list.rows
    }

    /// Applies the status and unit-kind filters.
    pub fn apply_quick(&mut self, s: &Strings, page: usize) {
        let (status, kind) = (self.status, self.kind);
        self.list.show_where(|r| keeps(status, kind, r), s, page);
        self.recount();
    }

    fn recount(&mut self) {
        let mut counts = [0; InboxStatus::ALL.len()];
        for r in self
            .list
            .rows
            .iter()
            .filter(|r| self.kind.is_none_or(|k| KindGroup::of(r.kind) == k))
        {
            counts[r.status as usize] += 1;
        }
        self.counts = counts;
    }

    /// How many of the month's rows (of the unit kind filtered) have `status` (all: `None`).
    pub fn count(&self, status: Option<InboxStatus>) -> usize {
        match status {
            Some(st) => self.counts[st as usize],
            None => self.counts.iter().sum(),
        }
    }

    /// The detail of the selected row, if it is loaded for that row.
    pub fn selected_detail(&self) -> Option<&Result<ReportFile, String>> {
        let key = self.list.selected()?.key();
        match &self.detail {
            Some((k, d)) if *k == key => Some(d),
            _ => None,
        }
    }
}

/// Orders of the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InboxSort {
    #[default]
    UnitOrder,
    Status,
    DaysLate,
    Received,
}

impl SortOrder for InboxSort {
    const ALL: &'static [InboxSort] = &[
        InboxSort::UnitOrder,
        InboxSort::Status,
        InboxSort::DaysLate,
        InboxSort::Received,
    ];
    fn label(self, s: &Strings) -> &'static str {
        s.sort_inbox[match self {
            InboxSort::UnitOrder => 0,
            InboxSort::Status => 1,
            InboxSort::DaysLate => 2,
            InboxSort::Received => 3,
        }]
    }
}

fn severity(s: InboxStatus) -> u8 {
    match s {
        InboxStatus::Missing => 0,
        InboxStatus::Returned => 1,
        InboxStatus::Late => 2,
        InboxStatus::New => 3,
        InboxStatus::Pending => 4,
        InboxStatus::Accepted => 5,
        InboxStatus::Closed => 6,
    }
}

impl ListRow for InboxRow {
    type Key = ItemKey;
    type Sort = InboxSort;

    fn key(&self) -> ItemKey {
        InboxRow::key(self)
    }

    fn search_texts(&self, s: &Strings, add: &mut dyn FnMut(&str)) {
        add(self.unit());
        add(self.short());
        add(s.inbox_status(self.status));
        add(self.received_at.as_deref().unwrap_or(""));
    }

    fn sort(rows: &[Self], view: &mut [usize], sort: InboxSort, _: &Strings) {
        match sort {
            InboxSort::UnitOrder => {}
            InboxSort::Status => view.sort_by_key(|&i| severity(rows[i].status)),
            InboxSort::DaysLate => view.sort_by_key(|&i| std::cmp::Reverse(rows[i].days_late)),
            InboxSort::Received => view.sort_by(|&a, &b| rows[b].received_at.cmp(&rows[a].received_at)),
        }
    }
}

/// Whether an inbox action applies to a row as it is shown.
pub fn applies(action: Action, r: &InboxRow) -> bool {
    match action {
        Action::Accept => matches!(r.status, InboxStatus::New | InboxStatus::Late),
        Action::Return => matches!(r.status, InboxStatus::New | InboxStatus::Late | InboxStatus::Accepted),
        Action::Remind => matches!(r.status, InboxStatus::Missing | InboxStatus::Returned),
        Action::Note => true,
        _ => false,
    }
}

pub fn render(ctx: &RenderCtx, st: &InboxState, body: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let key = |a| {
        ctx.keymap
            .key_in(Scope::Inbox, a)
            .map(|k| k.to_string())
            .unwrap_or_default()
    };
    match st.view {
        InboxView::Imports => {
            let [bar, rest] = body.layout(&ratatui::layout::Layout::vertical([
                ratatui::layout::Constraint::Length(1),
                ratatui::layout::Constraint::Fill(1),
            ]));
            let line = Line::from(vec![
                Span::styled(crate::i18n::fill(s.imports_title, &[&super::imports::RECENT]), th.title),
                Span::styled(format!("  ({} {})", key(Action::ToggleImports), s.back_word), th.dim),
                Span::styled(
                    format!(
                        "  {} {}{}",
                        s.drop_folder,
                        crate::text::one_line(&ctx.drop_folder.0.display().to_string()),
                        if ctx.drop_folder.1 { "" } else { s.not_watched }
                    ),
                    th.dim,
                ),
            ]);
            Paragraph::new(line).render(bar, buf);
            super::imports::render(ctx, &st.imports, rest, buf);
            return;
        }
        InboxView::Grid => {
            let [bar, rest] = body.layout(&ratatui::layout::Layout::vertical([
                ratatui::layout::Constraint::Length(1),
                ratatui::layout::Constraint::Fill(1),
            ]));
            if let Some(g) = &st.grid {
                let (first, last) = (g.months.first(), g.months.last());
                let title = match (first, last) {
                    (Some(a), Some(b)) => crate::i18n::fill(s.grid_title, &[a, b]),
                    _ => String::new(),
                };
                let keys = format!("{}/{}", key(Action::PrevMonth), key(Action::NextMonth));
                let line = Line::from(vec![
                    Span::styled(title, th.title),
                    Span::styled(
                        format!("  ({keys} · {} {})  ", key(Action::ToggleGrid), s.back_word),
                        th.dim,
                    ),
                    Span::styled(s.grid_legend, th.dim),
                ]);
                Paragraph::new(line).render(bar, buf);
                super::grid::render(ctx, g, rest, buf);
            }
            return;
        }
        InboxView::Month => {}
    }
    let rows = &st.list.rows;
    let (bar, tarea, darea) = layout::inbox(body);

    // The month, then the status filter's choices with their counts (the
    // one in force highlighted), then the unit-kind filter.
    let keys = format!("{}/{}", key(Action::PrevMonth), key(Action::NextMonth));
    let mut spans = vec![
        Span::styled(format!("◀ {} {} ▶", st.month, s.month_reports), th.title),
        Span::styled(format!(" ({keys}) "), th.dim),
    ];
    // Counts only once the month is read (never zeros that are not).
    if ctx.unreadable.inbox && !ctx.loading.inbox {
        spans.push(Span::styled(s.unreadable, th.dim));
    }
    for f in STATUS_CYCLE
        .iter()
        .copied()
        .filter(|_| !ctx.loading.inbox && !ctx.unreadable.inbox)
    {
        let n = st.count(f);
        let label = match f {
            None => s.all_items.to_string(),
            Some(x) => s.inbox_status(x).to_string(),
        };
        let style = match f {
            _ if st.status == f => th.selected,
            Some(x) => th.inbox(x).0,
            None => th.base,
        };
        spans.push(Span::styled(format!("{label} {n}"), style));
        spans.push(Span::raw(" "));
    }
    if let Some(k) = st.kind {
        spans.push(Span::styled(format!("[{}]", s.kind_group(k)), th.key));
    }
    Paragraph::new(Line::from(spans)).render(bar, buf);

    let cols = [
        Col::flex(s.col_unit),
        Col::new(
            s.col_status,
            label_width(
                s.col_status,
                InboxStatus::ALL
                    .iter()
                    .map(|x| format!("{} {}", th.inbox(*x).1, s.inbox_status(*x))),
            ),
        ),
        Col::new(s.col_due, 10),
        Col::new(s.col_received, 16),
        Col::right(s.col_late, label_width(s.col_late, ["999".to_string()])),
        Col::right(s.col_reminders, label_width(s.col_reminders, ["99".to_string()])),
    ];
    let page = tarea.height.saturating_sub(1) as usize;
    let nav = st.list.nav;
    let shown: Vec<&InboxRow> = st
        .list
        .view
        .iter()
        .skip(nav.offset)
        .take(page)
        .map(|&i| &rows[i])
        .collect();
    let cells: Vec<Vec<Cell>> = shown
        .iter()
        .map(|r| {
            let (style, sym) = th.inbox(r.status);
            vec![
                Cell::plain(r.unit()),
                Cell::new(format!("{sym} {}", s.inbox_status(r.status)), style),
                Cell::plain(r.due.to_string()),
                Cell::plain(r.received_at.as_deref().unwrap_or("—")),
                Cell::plain(if r.days_late > 0 {
                    r.days_late.to_string()
                } else {
                    String::new()
                }),
                Cell::plain(if r.reminders > 0 {
                    r.reminders.to_string()
                } else {
                    String::new()
                }),
            ]
        })
        .collect();
    let marks: Vec<bool> = if st.list.marks.is_empty() {
        Vec::new()
    } else {
        shown.iter().map(|r| st.list.is_marked(r)).collect()
    };
    table(buf, tarea, &cols, &cells, nav.sel.checked_sub(nav.offset), &marks, th);
    let why = not_read(s, ctx.loading.inbox, ctx.unreadable.inbox);
    if let (true, Some(why)) = (st.list.view.is_empty(), why) {
        not_read_state(buf, tarea, why, th);
    } else if st.list.view.is_empty() {
        empty_state(buf, tarea, st.list.passing().next().is_some(), s, th);
    }

    // Detail of the selected unit-month.
    let selected = st.list.selected();
    let title = selected
        .map(|r| format!(" {} · {} ", r.unit(), st.month))
        .unwrap_or_default();
    let borders = if darea.x > body.x {
        Borders::TOP | Borders::LEFT
    } else {
        Borders::TOP
    };
    let block = Block::default()
        .borders(borders)
        .border_style(th.border)
        .title(Span::styled(one_line(&title), th.title));
    let inner = block.inner(darea);
    block.render(darea, buf);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(r) = selected {
        match st.selected_detail() {
            Some(Ok(file)) => summary_lines(ctx, r, file, w, &mut lines),
            Some(Err(e)) => {
                lines.push(Line::styled(s.cannot_read, th.red));
                for l in wrap(e, w) {
                    lines.push(Line::styled(l, th.dim));
                }
            }
            None => {}
        }
    }
    Paragraph::new(lines).render(inner, buf);
}

/// The compact detail under (or beside) the table.
fn summary_lines(ctx: &RenderCtx, r: &InboxRow, file: &ReportFile, w: usize, lines: &mut Vec<Line<'static>>) {
    let s = ctx.s;
    let th = ctx.theme;
    let (style, sym) = th.inbox(r.status);
    let Some(d) = &file.report else {
        lines.push(Line::styled(s.not_received, th.red));
        lines.push(Line::raw(s.kv(s.col_due, r.due)));
        if r.days_late > 0 {
            lines.push(Line::raw(s.kv(s.days_overdue, r.days_late)));
        }
        lines.push(Line::raw(s.kv(s.reminded, r.reminders)));
        if let Some(n) = file.notes.iter().rev().find(|n| !n.withdrawn) {
            for l in wrap(&s.kv(s.notes, format!("{} {}", n.text, n.user)), w) {
                lines.push(Line::styled(l, th.dim));
            }
        }
        return;
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{sym} {} ", s.inbox_status(r.status)), style),
        Span::styled(
            one_line(&format!(
                "{} {} · {} {}",
                s.version, d.version_no, s.col_received, d.received_at
            )),
            th.dim,
        ),
    ]));
    if !d.return_reason.is_empty() {
        let by = file.resubmit_by().unwrap_or_else(|| "—".into());
        for l in wrap(
            &format!(
                "{}{c}{}（{} {by}）",
                s.return_reason,
                d.return_reason,
                s.resubmit_by,
                c = s.colon
            ),
            w,
        ) {
            lines.push(Line::styled(l, th.magenta));
        }
    }
    for l in wrap(&s.kv(s.summary, &d.summary), w) {
        lines.push(Line::raw(l));
    }
    for it in &d.items {
        let (style, sym) = th.progress(it.status);
        let head = format!("{sym} {} [{}] ", s.article(it.article_no), s.progress(it.status));
        let body = one_line(&it.progress);
        let mut first = true;
        for l in wrap(&format!("{head}{body}"), w) {
            if first {
                // The head (symbol, article, status) in colour, the rest plain.
                let spans = match l.strip_prefix(head.as_str()) {
                    Some(rest) => vec![Span::styled(head.clone(), style), Span::raw(rest.to_string())],
                    None => vec![Span::styled(l, style)],
                };
                lines.push(Line::from(spans));
                first = false;
            } else {
                lines.push(Line::raw(l));
            }
        }
        if !it.difficulties.is_empty() {
            for l in wrap(&format!("  {}{c}{}", s.difficulties, it.difficulties, c = s.colon), w) {
                lines.push(Line::styled(l, th.yellow));
            }
        }
    }
    if !d.indicators.is_empty() {
        let parts: Vec<String> = d
            .indicators
            .iter()
            .map(|i| crate::present::indicator_text(i, s))
            .collect();
        for l in wrap(&s.kv(s.indicators, parts.join("；")), w) {
            lines.push(Line::styled(l, th.blue));
        }
    }
}

impl InboxState {
    /// Reads the selected unit-month's file (keyed by its row, so it never
    /// shows under another row; a read error is kept to be shown).
    pub fn load_detail(&mut self, cx: &PaneCx) {
        let Some(row) = self.list.selected() else {
            self.detail = None;
            return;
        };
        let key = row.key();
        let file = crate::db::inbox::report_file(cx.conn, key, row.report_id).map_err(|e| cx.error(&e));
        self.detail = Some((key, file));
    }

    /// `f` and `K`: the status filter (全部 → 未阅 → 逾期未报 → 退回 → 已阅 →
    /// 补报) and the unit-kind filter.
    fn cycle_quick(&mut self, a: Action, cx: &PaneCx) -> Handled {
        let s = cx.s;
        match a {
            Action::FilterStatus => {
                let i = STATUS_CYCLE.iter().position(|x| *x == self.status).unwrap_or(0);
                self.status = STATUS_CYCLE[(i + 1) % STATUS_CYCLE.len()];
            }
            _ => {
                self.kind = match self.kind {
                    None => Some(KindGroup::ALL[0]),
                    Some(k) => KindGroup::ALL
                        .iter()
                        .position(|x| *x == k)
                        .and_then(|i| KindGroup::ALL.get(i + 1).copied()),
                };
            }
        }
        self.apply_quick(s, self.page(cx.body()));
        self.load_detail(cx);
        let mut parts = Vec::new();
        if let Some(x) = self.status {
            parts.push(s.inbox_status(x).to_string());
        }
        if let Some(k) = self.kind {
            parts.push(s.kind_group(k).to_string());
        }
        let text = if parts.is_empty() {
            s.all_items.to_string()
        } else {
            parts.join(" · ")
        };
        Handled::say(format!("{}{}{text}", s.filter, s.colon), Tone::Info)
    }

    /// Clears the status and unit-kind filters; whether any was set.
    pub fn clear_quick(&mut self, cx: &PaneCx) -> bool {
        if self.status.is_none() && self.kind.is_none() {
            return false;
        }
        self.status = None;
        self.kind = None;
        self.apply_quick(cx.s, self.page(cx.body()));
        self.load_detail(cx);
        true
    }

    /// `I` and `m`: the imports view or the grid, or back to the month.
    fn toggle_view(&mut self, v: InboxView, cx: &PaneCx) -> Handled {
        self.view = if self.view == v { InboxView::Month } else { v };
        match self.view {
            InboxView::Imports => self.load_imports(cx).into(),
            InboxView::Grid => self.load_grid(self.month, cx).into(),
            InboxView::Month => Handled::done(),
        }
    }

    /// Reads the imports or grid view again, when one is shown.
    pub fn reload_view(&mut self, cx: &PaneCx) -> crate::db::Result<()> {
        match self.view {
            InboxView::Imports => self.load_imports(cx),
            InboxView::Grid => {
                let last = self
                    .grid
                    .as_ref()
                    .and_then(|g| g.months.last().copied())
                    .unwrap_or(self.month);
                self.load_grid(last, cx)
            }
            InboxView::Month => Ok(()),
        }
    }

    /// Reads the recent imports (keeping the selection).
    fn load_imports(&mut self, cx: &PaneCx) -> crate::db::Result<()> {
        let rows = crate::db::intake::recent(cx.conn, super::imports::RECENT)?;
        self.imports.set_rows(rows, cx.s, layout::table_page(cx.body()));
        Ok(())
    }

    /// Reads the grid of the twelve months ending at `last`.
    fn load_grid(&mut self, last: Month, cx: &PaneCx) -> crate::db::Result<()> {
        let months = Grid::window(last, cx.first_month);
        let rows = crate::db::inbox::months_rows(cx.conn, &months, cx.policy.due_day, &cx.policy.calendar, cx.today)?;
        let (unit, col) = match &self.grid {
            Some(g) => (g.unit, g.col.min(months.len().saturating_sub(1))),
            None => (0, months.len().saturating_sub(1)),
        };
        let mut g = Grid {
            months,
            rows,
            unit,
            col,
            offset: self.grid.as_ref().map(|g| g.offset).unwrap_or(0),
        };
        g.clamp(layout::grid_page(cx.body()));
        self.grid = Some(g);
        Ok(())
    }

    /// Moves the grid's window by a month.
    fn shift_grid(&mut self, forward: bool, cx: &PaneCx) -> Handled {
        let s = cx.s;
        let Some(&last) = self.grid.as_ref().and_then(|g| g.months.last()) else {
            return Handled::done();
        };
        let mut m = if forward { last.next() } else { last.prev() };
        let newest = Month::of(cx.today);
        if m > newest {
            return Handled::say(s.last_month, Tone::Info);
        }
        // The window keeps twelve months once there are twelve to show.
        let earliest_last = {
            let mut e = cx.first_month;
            for _ in 1..super::grid::MONTHS {
                e = e.next();
            }
            e.min(newest)
        };
        if m < earliest_last {
            if last == earliest_last {
                return Handled::say(s.first_month, Tone::Info);
            }
            m = earliest_last;
        }
        self.load_grid(m, cx).into()
    }

    /// A key moving in the grid.
    fn grid_key(&mut self, a: Action, cx: &PaneCx) -> Handled {
        let gp = layout::grid_page(cx.body());
        let mut shift: Option<bool> = None;
        if let Some(g) = &mut self.grid {
            let n = g.units();
            match a {
                Action::Up => g.unit = g.unit.saturating_sub(1),
                Action::Down => g.unit = (g.unit + 1).min(n.saturating_sub(1)),
                Action::Top => g.unit = 0,
                Action::Bottom => g.unit = n.saturating_sub(1),
                Action::PageDown | Action::HalfPageDown => g.unit = (g.unit + gp).min(n.saturating_sub(1)),
                Action::PageUp | Action::HalfPageUp => g.unit = g.unit.saturating_sub(gp),
                Action::Left if g.col == 0 => shift = Some(false),
                Action::Left => g.col -= 1,
                Action::Right if g.col + 1 >= g.months.len() => shift = Some(true),
                Action::Right => g.col += 1,
                Action::PrevMonth => shift = Some(false),
                Action::NextMonth => shift = Some(true),
                _ => return Handled::Ignored,
            }
            g.clamp(gp);
        }
        match shift {
            Some(forward) => self.shift_grid(forward, cx),
            None => Handled::done(),
        }
    }
}

impl PaneState for InboxState {
    fn page(&self, body: Rect) -> usize {
        layout::inbox_page(body)
    }

    fn position(&self) -> Option<(usize, usize)> {
        match self.view {
            InboxView::Imports => self.imports.position(),
            InboxView::Grid => {
                let g = self.grid.as_ref()?;
                (g.units() > 0).then(|| (g.unit + 1, g.units()))
            }
            InboxView::Month => InboxState::position(self),
        }
    }

    fn mark_counts(&self) -> (usize, usize) {
        self.list.mark_counts()
    }

    fn filter(&self) -> &str {
        match self.view {
            InboxView::Imports => &self.imports.filter,
            _ => &self.list.filter,
        }
    }

    fn sort_label(&self, s: &Strings) -> &'static str {
        self.list.sort.label(s)
    }

    fn handle(&mut self, a: Action, cx: &PaneCx) -> Handled {
        let s = cx.s;
        let page = self.page(cx.body());
        match (self.view, a) {
            (InboxView::Grid, a) if is_movement(a) || matches!(a, Action::Left | Action::Right) => self.grid_key(a, cx),
            (InboxView::Grid, Action::PrevMonth | Action::NextMonth) => self.grid_key(a, cx),
            (InboxView::Imports, a) if is_movement(a) => {
                self.imports.navigate(a, page);
                Handled::done()
            }
            (InboxView::Imports, Action::Left | Action::Right) => Handled::done(),
            (InboxView::Month, a) if is_movement(a) => {
                if self.list.navigate(a, page) {
                    self.load_detail(cx);
                }
                Handled::done()
            }
            (InboxView::Month, Action::Mark) => {
                self.list.toggle_mark(page);
                self.load_detail(cx);
                Handled::done()
            }
            (InboxView::Month, Action::MarkAll) => {
                self.list.mark_all_shown();
                Handled::done()
            }
            (_, Action::Sort) => {
                let label = self.list.cycle_sort(s, page);
                self.load_detail(cx);
                Handled::say(format!("{}{}{}", s.sort, s.colon, label), Tone::Info)
            }
            (_, Action::Back) => {
                let (shown, hidden) = self.list.mark_counts();
                if shown + hidden > 0 {
                    self.list.marks.clear();
                } else if !PaneState::filter(self).is_empty() {
                    return self.edit_filter(FilterEdit::Clear, cx);
                } else if self.clear_quick(cx) {
                    return Handled::say(format!("{}{}{}", s.filter, s.colon, s.all_items), Tone::Info);
                } else if self.view != InboxView::Month {
                    self.view = InboxView::Month;
                }
                Handled::done()
            }
            (InboxView::Month, Action::FilterStatus | Action::FilterKind) => self.cycle_quick(a, cx),
            (_, Action::ToggleImports) => self.toggle_view(InboxView::Imports, cx),
            (_, Action::ToggleGrid) => self.toggle_view(InboxView::Grid, cx),
            _ => Handled::Ignored,
        }
    }

    fn edit_filter(&mut self, edit: FilterEdit, cx: &PaneCx) -> Handled {
        let page = self.page(cx.body());
        if self.view == InboxView::Imports {
            apply_edit(&mut self.imports.filter, edit);
            self.imports.refilter(cx.s, page);
        } else {
            apply_edit(&mut self.list.filter, edit);
            self.list.refilter(cx.s, page);
            self.load_detail(cx);
        }
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
