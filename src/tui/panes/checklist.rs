//! Pane 2, the delegated-authority checklist: items grouped by high-tech
//! zone, with progress per zone and per domain.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;

use std::collections::HashSet;

use super::{FilterEdit, Handled, PaneCx, PaneState, apply_edit, is_movement};
use crate::db::checklist::AuthorityRow;
use crate::domain::{AuthorityDomain, AuthorityLevel, AuthorityStatus};
use crate::i18n::Strings;
use crate::tui::action::Action;
use crate::tui::ctx::RenderCtx;
use crate::tui::intent::Tone;
use crate::tui::layout;
use crate::tui::list::{ListPane, ListRow, SortOrder};
use crate::tui::theme::Theme;
use crate::tui::widgets::{Cell, Col, empty_state, gauge, label_width, put, readable, table, titled_block};

/// What the checklist shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChecklistView {
    /// Items grouped by zone, each zone a line that folds (`o`).
    #[default]
    Zones,
    /// Zones and levels × the nine domains, counts by status.
    Grid,
}

/// A line of the checklist: a zone's heading or an item.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckRow {
    Zone {
        id: i64,
        name: String,
        short: String,
        /// Delegated or undertaken, of those not revoked.
        done: usize,
        total: usize,
        collapsed: bool,
    },
    Item(AuthorityRow),
}

/// A checklist line's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckKey {
    Zone(i64),
    Item(i64),
}

impl CheckRow {
    pub fn item(&self) -> Option<&AuthorityRow> {
        match self {
            CheckRow::Item(r) => Some(r),
            CheckRow::Zone { .. } => None,
        }
    }

    pub fn zone_id(&self) -> i64 {
        match self {
            CheckRow::Item(r) => r.zone_id,
            CheckRow::Zone { id, .. } => *id,
        }
    }
}

/// The checklist's state: every item, the lines shown, folded zones, the view.
#[derive(Debug, Clone, Default)]
pub struct ChecklistState {
    pub all: Vec<AuthorityRow>,
    pub list: ListPane<CheckRow>,
    pub collapsed: HashSet<i64>,
    pub view: ChecklistView,
    /// The grid's selected line (zone × level) and domain.
    pub grid_row: usize,
    pub grid_col: usize,
    /// The status changes of the item whose detail is open.
    pub history: Option<(i64, Result<Vec<crate::db::checklist::AuthorityEvent>, String>)>,
}

impl ChecklistState {
    /// Every item (a reload).
    pub fn set_all(&mut self, rows: Vec<AuthorityRow>, s: &Strings, page: usize) {
        self.all = rows;
        self.rebuild(s, page);
    }

    /// The lines for the sort in force: grouped by zone (headings, folded
    /// zones without their items) or one list across zones.
    pub fn rebuild(&mut self, s: &Strings, page: usize) {
        let lines = if self.list.sort == ChecklistSort::Zone {
            let mut out = Vec::with_capacity(self.all.len() + 8);
            for (zid, name) in zones(&self.all) {
                let items: Vec<&AuthorityRow> = self.all.iter().filter(|r| r.zone_id == zid).collect();
                let live: Vec<&&AuthorityRow> = items.iter().filter(|r| r.status != AuthorityStatus::Revoked).collect();
                let collapsed = self.collapsed.contains(&zid);
                out.push(CheckRow::Zone {
                    id: zid,
                    short: items.first().map(|r| r.zone_short.clone()).unwrap_or_default(),
                    name,
                    done: live.iter().filter(|r| r.status.is_done()).count(),
                    total: live.len(),
                    collapsed,
                });
                if !collapsed {
                    out.extend(items.into_iter().cloned().map(CheckRow::Item));
                }
            }
            out
        } else {
            self.all.iter().cloned().map(CheckRow::Item).collect()
        };
        self.list.set_rows(lines, s, page);
    }

    /// The selected item (not a zone heading).
    pub fn selected_item(&self) -> Option<&AuthorityRow> {
        self.list.selected().and_then(CheckRow::item)
    }

    /// Folds or unfolds the selected line's zone; the heading stays selected.
    pub fn toggle_zone(&mut self, s: &Strings, page: usize) {
        let Some(z) = self.list.selected().map(CheckRow::zone_id) else {
            return;
        };
        if !self.collapsed.remove(&z) {
            self.collapsed.insert(z);
        }
        self.rebuild(s, page);
        self.list.select_key(&CheckKey::Zone(z), s, page);
    }

    /// Folds every zone, or unfolds them all when all are folded.
    pub fn toggle_all(&mut self, s: &Strings, page: usize) {
        let all: HashSet<i64> = zones(&self.all).into_iter().map(|z| z.0).collect();
        let keep = self.list.selected().map(CheckRow::zone_id);
        if self.collapsed == all {
            self.collapsed.clear();
        } else {
            self.collapsed = all;
        }
        self.rebuild(s, page);
        if let Some(z) = keep {
            self.list.select_key(&CheckKey::Zone(z), s, page);
        }
    }

    /// Selects item `id`, unfolding its zone and clearing the filter if
    /// they hide it.
    pub fn select_item(&mut self, id: i64, s: &Strings, page: usize) -> bool {
        if let Some(z) = self.all.iter().find(|r| r.id == id).map(|r| r.zone_id)
            && self.collapsed.remove(&z)
        {
            self.rebuild(s, page);
        }
        self.list.select_key(&CheckKey::Item(id), s, page)
    }

    pub fn cycle_sort(&mut self, s: &Strings, page: usize) -> &'static str {
        self.list.sort = self.list.sort.next();
        self.rebuild(s, page);
        self.list.sort.label(s)
    }

    /// The grid's lines: each zone at each level.
    pub fn grid_lines(&self) -> Vec<(i64, String, AuthorityLevel)> {
        zones(&self.all)
            .into_iter()
            .flat_map(|(z, name)| AuthorityLevel::ALL.iter().map(move |l| (z, name.clone(), *l)))
            .collect()
    }

    /// A zone's short name.
    fn zone_short(&self, zone: i64) -> &str {
        self.all
            .iter()
            .find(|r| r.zone_id == zone)
            .map(|r| r.zone_short.as_str())
            .unwrap_or("")
    }

    /// Items of a zone, level and domain (revoked ones included).
    pub fn grid_items(&self, zone: i64, level: AuthorityLevel, domain: AuthorityDomain) -> Vec<&AuthorityRow> {
        self.all
            .iter()
            .filter(|r| r.zone_id == zone && r.level == level && r.domain == domain)
            .collect()
    }

    /// Moves in the grid.
    pub fn grid_move(&mut self, a: crate::tui::action::Action) {
        use crate::tui::action::Action;
        let rows = self.grid_lines().len();
        let cols = AuthorityDomain::ALL.len();
        match a {
            Action::Up => self.grid_row = self.grid_row.saturating_sub(1),
            Action::Down => self.grid_row = (self.grid_row + 1).min(rows.saturating_sub(1)),
            Action::Left => self.grid_col = self.grid_col.saturating_sub(1),
            Action::Right => self.grid_col = (self.grid_col + 1).min(cols - 1),
            Action::Top => self.grid_row = 0,
            Action::Bottom => self.grid_row = rows.saturating_sub(1),
            _ => {}
        }
    }
}

/// Orders of the checklist. Sorting by zone keeps the zone groups (rows
/// come in zone order); the others make one list across zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChecklistSort {
    #[default]
    Zone,
    Domain,
    Status,
    Due,
}

impl SortOrder for ChecklistSort {
    const ALL: &'static [ChecklistSort] = &[
        ChecklistSort::Zone,
        ChecklistSort::Domain,
        ChecklistSort::Status,
        ChecklistSort::Due,
    ];
    fn label(self, s: &Strings) -> &'static str {
        s.sort_checklist[match self {
            ChecklistSort::Zone => 0,
            ChecklistSort::Domain => 1,
            ChecklistSort::Status => 2,
            ChecklistSort::Due => 3,
        }]
    }
}

impl ListRow for CheckRow {
    type Key = CheckKey;
    type Sort = ChecklistSort;

    fn key(&self) -> CheckKey {
        match self {
            CheckRow::Zone { id, .. } => CheckKey::Zone(*id),
            CheckRow::Item(r) => CheckKey::Item(r.id),
        }
    }

    fn search_texts(&self, s: &Strings, add: &mut dyn FnMut(&str)) {
        match self {
            CheckRow::Zone { name, short, .. } => {
                add(name);
                add(short);
            }
            CheckRow::Item(r) => {
                for t in [
                    r.zone.as_str(),
                    &r.name,
                    &r.grantor,
                    &r.doc_no,
                    s.domain(r.domain),
                    s.authority(r.status),
                    s.level(r.level),
                ] {
                    add(t);
                }
            }
        }
    }

    fn sort(rows: &[Self], view: &mut [usize], sort: ChecklistSort, _: &Strings) {
        // Grouped by zone, lines come in zone order; the other orders have no headings.
        let item = |i: usize| rows[i].item();
        match sort {
            ChecklistSort::Zone => {}
            ChecklistSort::Domain => view.sort_by_key(|&i| item(i).map(|r| (r.domain, r.id))),
            ChecklistSort::Status => view.sort_by_key(|&i| item(i).map(|r| (r.status, r.id))),
            ChecklistSort::Due => view.sort_by_key(|&i| item(i).map(|r| (r.due_date.is_none(), r.due_date, r.id))),
        }
    }
}

/// (done, total) of all items, revoked ones excluded.
pub fn progress(rows: &[AuthorityRow]) -> (usize, usize) {
    let live = rows.iter().filter(|r| r.status != AuthorityStatus::Revoked);
    let total = live.clone().count();
    (live.filter(|r| r.status.is_done()).count(), total)
}

/// Progress of each zone, in unit order: (name, done, total), revoked items left out.
pub fn zone_progress(rows: &[AuthorityRow]) -> Vec<(String, usize, usize)> {
    zones(rows)
        .into_iter()
        .map(|(zid, zone)| {
            let live = rows
                .iter()
                .filter(|r| r.zone_id == zid && r.status != AuthorityStatus::Revoked);
            let done = live.clone().filter(|r| r.status.is_done()).count();
            (zone, done, live.count())
        })
        .collect()
}

/// How many zones the rows cover (the summary box is as tall as this).
pub fn zone_count(rows: &[AuthorityRow]) -> usize {
    zones(rows).len()
}

/// One bar per zone: name, bar, "done/total pct%".
pub fn draw_zone_bars(theme: &Theme, rows: &[AuthorityRow], area: Rect, buf: &mut Buffer) {
    let name_w = 12u16.min(area.width / 3);
    for (k, (zone, done, total)) in zone_progress(rows).iter().enumerate().take(area.height as usize) {
        let y = area.y + k as u16;
        put(buf, area.x, y, name_w, zone, theme.base, false);
        let count = format!(" {done}/{total} {:>3}%", (done * 100).checked_div(*total).unwrap_or(0));
        let bw = area.width.saturating_sub(name_w + 1 + count.len() as u16);
        gauge(
            buf,
            (area.x + name_w + 1, y, bw),
            *done as f64,
            *total as f64,
            (theme.green, theme.green),
        );
        put(
            buf,
            area.x + name_w + 1 + bw,
            y,
            count.len() as u16,
            &count,
            theme.base,
            false,
        );
    }
}

fn zones(rows: &[AuthorityRow]) -> Vec<(i64, String)> {
    let mut out: Vec<(i64, String)> = Vec::new();
    for r in rows {
        if !out.iter().any(|(id, _)| *id == r.zone_id) {
            out.push((r.zone_id, r.zone.clone()));
        }
    }
    out
}

pub fn render(ctx: &RenderCtx, st: &ChecklistState, body: Rect, buf: &mut Buffer) {
    if st.view == ChecklistView::Grid {
        render_grid(ctx, st, body, buf);
        return;
    }
    let s = ctx.s;
    let th = ctx.theme;
    let (top, tarea) = layout::checklist(body, zone_count(&st.all));
    let [zarea, darea] = top.layout(&Layout::horizontal([
        Constraint::Percentage(50),
        Constraint::Percentage(50),
    ]));

    let zb = titled_block(
        th,
        &format!("{}{}{}{}", s.by_zone, s.paren.0, s.done_of_total, s.paren.1),
    );
    let zi = zb.inner(zarea);
    zb.render(zarea, buf);
    draw_zone_bars(th, &st.all, zi, buf);

    let db = titled_block(
        th,
        &format!("{}{}{}{}", s.by_domain, s.paren.0, s.done_of_total, s.paren.1),
    );
    let di = db.inner(darea);
    db.render(darea, buf);
    let per_row = layout::domains_per_row(di.width);
    let cell_w = di.width / per_row;
    for (k, d) in AuthorityDomain::ALL.iter().enumerate() {
        let live: Vec<&AuthorityRow> = st
            .all
            .iter()
            .filter(|r| r.domain == *d && r.status != AuthorityStatus::Revoked)
            .collect();
        let done = live.iter().filter(|r| r.status.is_done()).count();
        let (row, col) = (k as u16 / per_row, k as u16 % per_row);
        if row >= di.height {
            break;
        }
        let style = if !live.is_empty() && done == live.len() {
            th.green
        } else {
            th.base
        };
        put(
            buf,
            di.x + col * cell_w,
            di.y + row,
            cell_w,
            &format!("{} {done}/{}", s.domain(*d), live.len()),
            style,
            false,
        );
    }

    let zone_w = if tarea.width >= 100 { 10 } else { 6 };
    let cols = [
        Col::new(s.col_zone, zone_w),
        Col::new(
            s.col_domain,
            label_width(
                s.col_domain,
                AuthorityDomain::ALL.iter().map(|d| s.domain(*d).to_string()),
            ),
        ),
        Col::new(
            s.col_level,
            label_width(s.col_level, s.levels_short.iter().map(|l| l.to_string())),
        ),
        Col::flex(s.col_item),
        Col::new(
            s.col_status,
            label_width(
                s.col_status,
                AuthorityStatus::ALL
                    .iter()
                    .map(|a| format!("{} {}", th.authority(*a).1, s.authority(*a))),
            ),
        ),
        Col::new(s.col_doc, 18),
        Col::new(s.col_due, 12),
    ];
    let page = tarea.height.saturating_sub(1) as usize;
    let list = &st.list;
    let grouped = list.sort == ChecklistSort::Zone;
    // Grouped, the zone is named by its heading; otherwise on every row.
    let shown: Vec<&CheckRow> = list
        .view
        .iter()
        .skip(list.nav.offset)
        .take(page)
        .map(|&i| &list.rows[i])
        .collect();
    let rows: Vec<Vec<Cell>> = shown
        .iter()
        .map(|line| match line {
            // Drawn across the row below.
            CheckRow::Zone { .. } => (0..7).map(|_| Cell::plain("")).collect(),
            CheckRow::Item(r) => {
                let (style, sym) = th.authority(r.status);
                let zone = if grouped {
                    String::new()
                } else if zone_w < 10 {
                    r.zone_short.clone()
                } else {
                    r.zone.clone()
                };
                let overdue = r.status.is_open() && r.due_date.is_some_and(|d| d < ctx.today);
                vec![
                    Cell::new(zone, th.title),
                    Cell::plain(s.domain(r.domain)),
                    Cell::plain(s.level_short(r.level)),
                    Cell::plain(&r.name),
                    Cell::new(format!("{sym} {}", s.authority(r.status)), style),
                    Cell::plain(&r.doc_no),
                    // Overdue is marked with "!" as well as colour (NO_COLOR).
                    Cell::new(
                        r.due_date
                            .map(|d| if overdue { format!("{d} !") } else { d.to_string() })
                            .unwrap_or_default(),
                        if overdue { th.red } else { th.base },
                    ),
                ]
            }
        })
        .collect();
    let marks: Vec<bool> = if list.marks.is_empty() {
        Vec::new()
    } else {
        shown.iter().map(|r| list.is_marked(r)).collect()
    };
    table(
        buf,
        tarea,
        &cols,
        &rows,
        list.nav.sel.checked_sub(list.nav.offset),
        &marks,
        th,
    );
    // Zone headings span the row: name, bar, done of total.
    for (k, line) in shown.iter().enumerate() {
        if let CheckRow::Zone {
            name,
            done,
            total,
            collapsed,
            ..
        } = line
        {
            let y = tarea.y + 1 + k as u16;
            let sel = list.nav.sel == list.nav.offset + k;
            let fold = if *collapsed { "▸" } else { "▾" };
            let pct = (done * 100).checked_div(*total).unwrap_or(0);
            let head = format!("{fold} {name}  ");
            let hw = crate::text::width(&head) as u16;
            let style = if sel { th.selected } else { th.title };
            buf.set_style(
                Rect {
                    x: tarea.x,
                    y,
                    width: tarea.width,
                    height: 1,
                },
                if sel { th.selected } else { th.base },
            );
            let gutter = 2;
            put(
                buf,
                tarea.x + gutter,
                y,
                tarea.width.saturating_sub(gutter),
                &head,
                style,
                false,
            );
            let count = format!(" {done}/{total} {pct}%");
            let bw = 20u16.min(tarea.width.saturating_sub(hw + gutter + count.len() as u16 + 1));
            let x = tarea.x + gutter + hw;
            let style = if sel { th.selected } else { th.green };
            gauge(buf, (x, y, bw), *done as f64, *total as f64, (style, style));
            put(buf, x + bw, y, count.len() as u16, &count, style, false);
        }
    }
    let why = crate::tui::widgets::not_read(s, ctx.loading.checklist, ctx.unreadable.checklist);
    if let (true, Some(why)) = (list.view.is_empty(), why) {
        crate::tui::widgets::not_read_state(buf, tarea, why, th);
    } else if list.view.is_empty() {
        empty_state(buf, tarea, !list.rows.is_empty(), s, th);
    }
}

/// Zones and levels × the nine domains: delegated or undertaken of the
/// items there; the selected cell's items by status below.
fn render_grid(ctx: &RenderCtx, st: &ChecklistState, body: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let lines = st.grid_lines();
    let head_w: u16 = if body.width >= 120 { 20 } else { 14 };
    let cw = (body.width.saturating_sub(head_w + 1) / AuthorityDomain::ALL.len() as u16).clamp(5, 12);
    put(buf, body.x, body.y, body.width, s.grid_checklist_title, th.title, false);
    let hy = body.y + 1;
    for (k, d) in AuthorityDomain::ALL.iter().enumerate() {
        let x = body.x + head_w + 1 + k as u16 * cw;
        let style = if k == st.grid_col { th.key } else { th.title };
        let name = if cw >= 10 { s.domain(*d) } else { s.domain_short(*d) };
        put(buf, x, hy, cw, name, style, false);
    }
    let room = body.bottom().saturating_sub(hy + 4) as usize;
    let first = st.grid_row.saturating_sub(room.saturating_sub(1));
    let mut prev_zone = None;
    for (y, (i, (zone, name, level))) in (hy + 1..).zip(lines.iter().enumerate().skip(first).take(room)) {
        let zname = if head_w >= 20 {
            name.as_str()
        } else {
            st.zone_short(*zone)
        };
        let label = if prev_zone == Some(*zone) && i != first {
            format!("{} {}", " ".repeat(crate::text::width(zname)), s.level_short(*level))
        } else {
            format!("{zname} {}", s.level_short(*level))
        };
        prev_zone = Some(*zone);
        let sel_line = i == st.grid_row;
        put(
            buf,
            body.x,
            y,
            head_w,
            &label,
            if sel_line { th.key } else { th.base },
            false,
        );
        for (k, d) in AuthorityDomain::ALL.iter().enumerate() {
            let items = st.grid_items(*zone, *level, *d);
            let live: Vec<&&AuthorityRow> = items.iter().filter(|r| r.status != AuthorityStatus::Revoked).collect();
            let done = live.iter().filter(|r| r.status.is_done()).count();
            let text = if live.is_empty() {
                "·".to_string()
            } else {
                format!("{done}/{}", live.len())
            };
            let mut style = if live.is_empty() {
                th.dim
            } else if done == live.len() {
                th.green
            } else if done == 0 {
                th.yellow
            } else {
                th.base
            };
            if sel_line && k == st.grid_col {
                style = readable(style.patch(th.selected), th);
            }
            let x = body.x + head_w + 1 + k as u16 * cw;
            put(buf, x, y, cw, &text, style, false);
        }
    }
    // The selected cell, by status.
    if let Some((zone, name, level)) = lines.get(st.grid_row) {
        let d = AuthorityDomain::ALL[st.grid_col.min(AuthorityDomain::ALL.len() - 1)];
        let items = st.grid_items(*zone, *level, d);
        let mut parts = Vec::new();
        for status in AuthorityStatus::ALL {
            let n = items.iter().filter(|r| r.status == *status).count();
            if n > 0 {
                parts.push(format!("{} {n}", s.authority(*status)));
            }
        }
        let text = format!(
            "{name} · {} · {}{}{}",
            s.domain(d),
            s.level(*level),
            s.colon,
            if parts.is_empty() {
                s.no_items.to_string()
            } else {
                parts.join(" · ")
            }
        );
        put(
            buf,
            body.x,
            body.bottom().saturating_sub(2),
            body.width,
            &text,
            th.title,
            false,
        );
        let names: Vec<&str> = items.iter().map(|r| r.name.as_str()).collect();
        put(
            buf,
            body.x,
            body.bottom().saturating_sub(1),
            body.width,
            &names.join("、"),
            th.dim,
            false,
        );
    }
}

impl PaneState for ChecklistState {
    fn page(&self, body: Rect) -> usize {
        layout::checklist_page(body, zone_count(&self.all))
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
        match a {
            a if is_movement(a) || matches!(a, Action::Left | Action::Right) => {
                if self.view == ChecklistView::Grid {
                    self.grid_move(a);
                } else {
                    self.list.navigate(a, page);
                }
                Handled::done()
            }
            Action::Sort => {
                let label = self.cycle_sort(s, page);
                Handled::say(format!("{}{}{}", s.sort, s.colon, label), Tone::Info)
            }
            Action::Back => {
                let (shown, hidden) = self.list.mark_counts();
                if shown + hidden > 0 {
                    self.list.marks.clear();
                    Handled::done()
                } else if !self.list.filter.is_empty() {
                    self.edit_filter(FilterEdit::Clear, cx)
                } else {
                    Handled::done()
                }
            }
            Action::ToggleFold => {
                self.toggle_zone(s, page);
                Handled::done()
            }
            Action::FoldAll => {
                self.toggle_all(s, page);
                Handled::done()
            }
            Action::ToggleGrid => {
                self.view = match self.view {
                    ChecklistView::Zones => ChecklistView::Grid,
                    ChecklistView::Grid => ChecklistView::Zones,
                };
                Handled::done()
            }
            _ => Handled::Ignored,
        }
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
