//! Pane 2, the delegated-authority checklist: items grouped by high-tech
//! zone, with progress per zone and per domain.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;

use crate::db::checklist::AuthorityRow;
use crate::domain::{AuthorityDomain, AuthorityStatus};
use crate::tui::ctx::RenderCtx;
use crate::tui::i18n::Strings;
use crate::tui::layout;
use crate::tui::list::{ListPane, ListRow, SortOrder, matches};
use crate::tui::theme::Theme;
use crate::tui::widgets::{Cell, Col, bar, empty_state, label_width, put, table, titled_block};

pub type ChecklistState = ListPane<AuthorityRow>;

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
        s.sort_checklist[Self::ALL.iter().position(|x| *x == self).unwrap_or(0)]
    }
}

impl ListRow for AuthorityRow {
    type Key = i64;
    type Sort = ChecklistSort;

    fn key(&self) -> i64 {
        self.id
    }

    fn matches(&self, f: &str, s: &Strings) -> bool {
        matches(
            f,
            &[
                &self.zone,
                &self.name,
                &self.grantor,
                &self.doc_no,
                s.domain(self.domain),
                s.authority(self.status),
                s.level(self.level),
            ],
        )
    }

    fn sort(rows: &[Self], view: &mut [usize], sort: ChecklistSort, _: &Strings) {
        match sort {
            ChecklistSort::Zone => {}
            ChecklistSort::Domain => view.sort_by_key(|&i| (rows[i].domain, rows[i].id)),
            ChecklistSort::Status => view.sort_by_key(|&i| (rows[i].status, rows[i].id)),
            ChecklistSort::Due => view.sort_by_key(|&i| (rows[i].due_date.is_none(), rows[i].due_date, rows[i].id)),
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
        put(
            buf,
            area.x + name_w + 1,
            y,
            bw,
            &bar(*done, *total, bw as usize),
            theme.green,
            false,
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
    let s = ctx.s;
    let th = ctx.theme;
    let (top, tarea) = layout::checklist(body, zone_count(&st.rows));
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
    draw_zone_bars(th, &st.rows, zi, buf);

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
            .rows
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
                AuthorityStatus::ALL.iter().map(|a| format!("✔ {}", s.authority(*a))),
            ),
        ),
        Col::new(s.col_doc, 18),
        Col::new(s.col_due, 12),
    ];
    let page = tarea.height.saturating_sub(1) as usize;
    // The first visible row always names its zone.
    let mut prev_zone: Option<i64> = None;
    let shown: Vec<&AuthorityRow> = st
        .view
        .iter()
        .skip(st.nav.offset)
        .take(page)
        .map(|&i| &st.rows[i])
        .collect();
    let rows: Vec<Vec<Cell>> = shown
        .iter()
        .map(|r| {
            let (style, sym) = th.authority(r.status);
            // The zone is named once per group; narrow screens use its short name.
            let zone = if prev_zone == Some(r.zone_id) {
                String::new()
            } else if zone_w < 10 {
                r.zone_short.clone()
            } else {
                r.zone.clone()
            };
            prev_zone = Some(r.zone_id);
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
        })
        .collect();
    let marks: Vec<bool> = if st.marks.is_empty() {
        Vec::new()
    } else {
        shown.iter().map(|r| st.is_marked(r)).collect()
    };
    table(
        buf,
        tarea,
        &cols,
        &rows,
        st.nav.sel.checked_sub(st.nav.offset),
        &marks,
        th,
    );
    if st.view.is_empty() {
        empty_state(buf, tarea, !st.rows.is_empty(), s, th);
    }
}
