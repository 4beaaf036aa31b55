//! Pane 2, the delegated-authority checklist: items grouped by high-tech
//! zone, with progress per zone and per domain.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;
use rusqlite::Connection;

use super::{ListNav, matches};
use crate::db::Result;
use crate::db::checklist::{AuthorityRow, items};
use crate::domain::{AuthorityDomain, AuthorityStatus};
use crate::tui::app::App;
use crate::tui::i18n::Strings;
use crate::tui::widgets::{Cell, Col, bar, empty_state, label_width, put, table, titled_block};

#[derive(Debug, Clone, Default)]
pub struct ChecklistState {
    pub rows: Vec<AuthorityRow>,
    pub view: Vec<usize>,
    pub nav: ListNav,
    pub filter: String,
    pub sort: usize,
}

pub const SORTS: usize = 4;

impl ChecklistState {
    pub fn selected(&self) -> Option<&AuthorityRow> {
        self.view.get(self.nav.sel).map(|&i| &self.rows[i])
    }

    pub fn load(&mut self, conn: &Connection, s: &Strings, page: usize) -> Result<()> {
        let keep = self.selected().map(|r| r.id);
        self.rows = items(conn)?;
        self.refilter(s, keep, page);
        Ok(())
    }

    pub fn refilter(&mut self, s: &Strings, keep: Option<i64>, page: usize) {
        let f = &self.filter;
        let mut view: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let r = &self.rows[i];
                matches(
                    f,
                    &[
                        &r.zone,
                        &r.name,
                        &r.grantor,
                        &r.doc_no,
                        s.domain(r.domain),
                        s.authority(r.status),
                        s.level(r.level),
                    ],
                )
            })
            .collect();
        let rows = &self.rows;
        // Always grouped by zone (rows come in zone order); the sort applies within a zone.
        // Sorting by zone keeps the zone groups (rows come in zone order);
        // the other sorts make one list across zones.
        match self.sort {
            1 => view.sort_by_key(|&i| (rows[i].domain, rows[i].id)),
            2 => view.sort_by_key(|&i| (rows[i].status, rows[i].id)),
            3 => view.sort_by_key(|&i| (rows[i].due_date.is_none(), rows[i].due_date, rows[i].id)),
            _ => {}
        }
        self.view = view;
        let pos = keep.and_then(|id| self.view.iter().position(|&i| self.rows[i].id == id));
        self.nav.reselect(pos, self.view.len(), page);
    }

    /// (done, total) of all items, revoked ones excluded.
    pub fn progress(&self) -> (usize, usize) {
        let live = self.rows.iter().filter(|r| r.status != AuthorityStatus::Revoked);
        let total = live.clone().count();
        (live.filter(|r| r.status.is_done()).count(), total)
    }
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

/// One bar per zone: name, bar, "done/total pct%".
pub fn draw_zone_bars(app: &App, area: Rect, buf: &mut Buffer) {
    let th = &app.theme;
    let name_w = 12u16.min(area.width / 3);
    for (k, (zone, done, total)) in zone_progress(&app.checklist.rows)
        .iter()
        .enumerate()
        .take(area.height as usize)
    {
        let y = area.y + k as u16;
        put(buf, area.x, y, name_w, zone, th.base, false);
        let count = format!(" {done}/{total} {:>3}%", (done * 100).checked_div(*total).unwrap_or(0));
        let bw = area.width.saturating_sub(name_w + 1 + count.len() as u16);
        put(
            buf,
            area.x + name_w + 1,
            y,
            bw,
            &bar(*done, *total, bw as usize),
            th.green,
            false,
        );
        put(
            buf,
            area.x + name_w + 1 + bw,
            y,
            count.len() as u16,
            &count,
            th.base,
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

/// (summary panel, table).
/// Domains shown per line in the summary box of inner width `w`.
fn domains_per_row(w: u16) -> u16 {
    if w >= 60 { 3 } else { 2 }
}

pub fn layout(body: Rect, zone_count: usize) -> (Rect, Rect) {
    // Tall enough for every zone and every domain, at most half the body.
    let per_row = domains_per_row((body.width / 2).saturating_sub(2));
    let domain_rows = (AuthorityDomain::ALL.len() as u16).div_ceil(per_row);
    let h = ((zone_count as u16).max(domain_rows).max(3) + 2).min(body.height / 2);
    let [top, t] = body.layout(&Layout::vertical([Constraint::Length(h), Constraint::Fill(1)]));
    (top, t)
}

pub fn page(body: Rect, zone_count: usize) -> usize {
    layout(body, zone_count).1.height.saturating_sub(1) as usize
}

pub fn render(app: &App, body: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let st = &app.checklist;
    let zs = zones(&st.rows);
    let (top, tarea) = layout(body, zs.len());
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
    draw_zone_bars(app, zi, buf);

    let db = titled_block(
        th,
        &format!("{}{}{}{}", s.by_domain, s.paren.0, s.done_of_total, s.paren.1),
    );
    let di = db.inner(darea);
    db.render(darea, buf);
    let per_row = domains_per_row(di.width);
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
    let rows: Vec<Vec<Cell>> = st
        .view
        .iter()
        .skip(st.nav.offset)
        .take(page)
        .map(|&i| {
            let r = &st.rows[i];
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
            let overdue = r.status.is_open() && r.due_date.is_some_and(|d| d < app.today);
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
    table(buf, tarea, &cols, &rows, st.nav.sel.checked_sub(st.nav.offset), th);
    if st.view.is_empty() {
        empty_state(buf, tarea, !st.rows.is_empty(), s, th);
    }
}
