//! The inbox's unit × month grid (`m`): for twelve months, what each
//! reporting unit sent — on time, late, missing, returned, not yet due —
//! with the on-time rate of each unit (right) and each month (bottom).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::db::inbox::{InboxRow, on_time, rate};
use crate::domain::{InboxStatus, Month};
use crate::tui::ctx::RenderCtx;
use crate::tui::widgets::{put, readable};

/// Months the grid shows.
pub const MONTHS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Oldest first; the last is the month the window ends at.
    pub months: Vec<Month>,
    /// `rows[m][u]`: month `m`, unit `u` (units in the same order each month).
    pub rows: Vec<Vec<InboxRow>>,
    /// Selected unit and month.
    pub unit: usize,
    pub col: usize,
    /// First unit shown.
    pub offset: usize,
}

impl Grid {
    /// The months of a window ending at `last`, not before `first`.
    pub fn window(last: Month, first: Month) -> Vec<Month> {
        let mut v = Vec::with_capacity(MONTHS);
        let mut m = last;
        while v.len() < MONTHS && m >= first {
            v.push(m);
            m = m.prev();
        }
        v.reverse();
        v
    }

    pub fn units(&self) -> usize {
        self.rows.last().map(Vec::len).unwrap_or(0)
    }

    pub fn selected(&self) -> Option<&InboxRow> {
        self.rows.get(self.col)?.get(self.unit)
    }

    /// Keeps the selection inside the grid and the selected unit on screen.
    pub fn clamp(&mut self, page: usize) {
        let n = self.units();
        self.unit = self.unit.min(n.saturating_sub(1));
        self.col = self.col.min(self.months.len().saturating_sub(1));
        let page = page.max(1);
        if self.unit < self.offset {
            self.offset = self.unit;
        } else if self.unit >= self.offset + page {
            self.offset = self.unit + 1 - page;
        }
    }

    /// (on time, counted) of unit `u` across the window.
    pub fn unit_rate(&self, u: usize) -> (usize, usize) {
        rate(self.rows.iter().filter_map(|m| m.get(u)))
    }

    /// (on time, counted) of month `m` across the units.
    pub fn month_rate(&self, m: usize) -> (usize, usize) {
        self.rows.get(m).map(|r| rate(r.iter())).unwrap_or((0, 0))
    }
}

/// "87%" or "—" when nothing counts.
pub fn percent((ok, n): (usize, usize)) -> String {
    match (ok * 100 + n / 2).checked_div(n) {
        Some(p) => format!("{p}%"),
        None => "—".into(),
    }
}

/// The symbol and colour of one cell.
fn cell(ctx: &RenderCtx, r: &InboxRow) -> (&'static str, Style) {
    let th = ctx.theme;
    let (style, sym) = match (r.status, on_time(r)) {
        (InboxStatus::Returned | InboxStatus::Missing | InboxStatus::Pending | InboxStatus::Closed, _) => {
            th.inbox(r.status)
        }
        (_, Some(false)) => th.inbox(InboxStatus::Late),
        _ => (th.green, "✔"),
    };
    (sym, style)
}

pub fn render(ctx: &RenderCtx, g: &Grid, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    if area.height < 4 || g.months.is_empty() {
        return;
    }
    let cw: u16 = if area.width >= 120 { 5 } else { 3 };
    let rate_w: u16 = 5;
    let name_w = area
        .width
        .saturating_sub(cw * g.months.len() as u16 + rate_w + 2)
        .clamp(6, 16);
    let x0 = area.x + name_w + 1;
    // Header: the months (the year where it changes).
    let mut y = area.y;
    put(buf, area.x, y, name_w, s.col_unit, th.title, false);
    for (i, m) in g.months.iter().enumerate() {
        let label = if i == 0 || m.month == 1 {
            format!("{}", m.year % 100)
        } else {
            String::new()
        };
        let x = x0 + i as u16 * cw;
        put(buf, x, y, cw, &label, th.dim, false);
    }
    put(
        buf,
        x0 + cw * g.months.len() as u16,
        y,
        rate_w,
        s.on_time_col,
        th.title,
        true,
    );
    y += 1;
    for (i, m) in g.months.iter().enumerate() {
        let x = x0 + i as u16 * cw;
        let style = if i == g.col { th.key } else { th.title };
        put(buf, x, y, cw, &format!("{:>2}", m.month), style, false);
    }
    y += 1;
    // Units.
    let body = area.bottom().saturating_sub(1).saturating_sub(y) as usize;
    let n = g.units();
    for u in g.offset..n.min(g.offset + body) {
        let name = g.rows.last().and_then(|r| r.get(u)).map(|r| r.short()).unwrap_or("");
        let sel_row = u == g.unit;
        let name_style = if sel_row { th.key } else { th.base };
        put(buf, area.x, y, name_w, name, name_style, false);
        for (i, month) in g.rows.iter().enumerate() {
            let Some(r) = month.get(u) else { continue };
            let (sym, mut style) = cell(ctx, r);
            if sel_row && i == g.col {
                style = readable(style.patch(th.selected), th);
            }
            let x = x0 + i as u16 * cw;
            let text = if cw >= 5 { format!(" {sym} ") } else { format!("{sym} ") };
            put(buf, x, y, cw, &text, style, false);
        }
        put(
            buf,
            x0 + cw * g.months.len() as u16,
            y,
            rate_w,
            &percent(g.unit_rate(u)),
            th.base,
            true,
        );
        y += 1;
    }
    // The months' rates.
    let y = area.bottom() - 1;
    put(buf, area.x, y, name_w, s.on_time_row, th.title, false);
    for i in 0..g.months.len() {
        let x = x0 + i as u16 * cw;
        let p = percent(g.month_rate(i));
        let p = if cw < 5 { p.trim_end_matches('%').to_string() } else { p };
        put(buf, x, y, cw, &p, th.dim, cw < 5);
    }
    let total = rate(g.rows.iter().flatten());
    put(
        buf,
        x0 + cw * g.months.len() as u16,
        y,
        rate_w,
        &percent(total),
        th.title,
        true,
    );
}
