//! Geometry: where each part of the screen goes, page sizes, overlay boxes,
//! the smallest usable terminal. Update and render both ask here, so what
//! is drawn and what the keys move over never disagree. Every function
//! takes the area being drawn; nothing remembers a size.

use ratatui::layout::{Constraint, Layout, Rect};

/// Smallest terminal the console draws in.
pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

/// Width of the dashboard's side column.
pub const SIDE_W: u16 = 54;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_W || area.height < MIN_H
}

/// The parts of the console screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chrome {
    pub header: Rect,
    pub tabs: Rect,
    /// The focused pane.
    pub body: Rect,
    /// The dashboard column, on large terminals.
    pub side: Option<Rect>,
    pub footer: Rect,
}

pub fn chrome(area: Rect) -> Chrome {
    let [header, tabs, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let (body, side) = if area.width >= 160 && area.height >= 45 {
        let [main, _gap, side] = body.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(SIDE_W),
        ]));
        (main, Some(side))
    } else {
        (body, None)
    };
    Chrome {
        header,
        tabs,
        body,
        side,
        footer,
    }
}

/// Where the focused pane goes on a screen of `area`.
pub fn pane_area(area: Rect) -> Rect {
    chrome(area).body
}

/// A box of `w_pct`×`h_pct` percent of `area`, centred, at least 20×5.
pub fn centered(area: Rect, w_pct: u16, h_pct: u16) -> Rect {
    let pct = |n: u16, p: u16| (u32::from(n) * u32::from(p) / 100) as u16;
    let w = pct(area.width, w_pct).max(20).min(area.width);
    let h = pct(area.height, h_pct).max(5).min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A box `w` wide and `h` tall (both clamped to `area`), centred.
pub fn centered_abs(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The detail popup on a screen of `screen`.
pub fn detail_area(screen: Rect) -> Rect {
    centered(pane_area(screen), 90, 90)
}

/// The help box on a screen of `screen`.
pub fn help_area(screen: Rect) -> Rect {
    centered(pane_area(screen), 80, 96)
}

/// A form `height` rows tall on a screen of `screen`.
pub fn form_area(screen: Rect, height: u16) -> Rect {
    let body = pane_area(screen);
    centered_abs(body, body.width.saturating_sub(6).clamp(20, 76), height)
}

/// A question box `lines` of text tall.
pub fn confirm_area(screen: Rect, lines: u16) -> Rect {
    let body = pane_area(screen);
    centered_abs(body, body.width.saturating_sub(10).clamp(20, 60), lines + 4)
}

/// The inbox's parts: (month bar, table with header, detail).
pub fn inbox(body: Rect) -> (Rect, Rect, Rect) {
    let [bar, rest] = body.layout(&Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]));
    if rest.width >= 140 {
        let [t, d] = rest.layout(&Layout::horizontal([
            Constraint::Percentage(55),
            Constraint::Percentage(45),
        ]));
        (bar, t, d)
    } else {
        let detail_h = (rest.height * 2 / 5).max(6);
        let [t, d] = rest.layout(&Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_h)]));
        (bar, t, d)
    }
}

/// Rows of the inbox table that fit in `body`.
pub fn inbox_page(body: Rect) -> usize {
    inbox(body).1.height.saturating_sub(1) as usize
}

/// Domains shown per line in the checklist's summary box of inner width `w`.
pub fn domains_per_row(w: u16) -> u16 {
    if w >= 60 { 3 } else { 2 }
}

/// The checklist's parts: (summary boxes, table).
pub fn checklist(body: Rect, zone_count: usize) -> (Rect, Rect) {
    // Tall enough for every zone and every domain, at most half the body.
    let per_row = domains_per_row((body.width / 2).saturating_sub(2));
    let domain_rows = 9u16.div_ceil(per_row);
    let h = ((zone_count as u16).max(domain_rows).max(3) + 2).min(body.height / 2);
    let [top, t] = body.layout(&Layout::vertical([Constraint::Length(h), Constraint::Fill(1)]));
    (top, t)
}

pub fn checklist_page(body: Rect, zone_count: usize) -> usize {
    checklist(body, zone_count).1.height.saturating_sub(1) as usize
}

/// The alerts' parts: (counts bar, table).
pub fn alerts(body: Rect) -> (Rect, Rect) {
    let [bar, t] = body.layout(&Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]));
    (bar, t)
}

pub fn alerts_page(body: Rect) -> usize {
    alerts(body).1.height.saturating_sub(1) as usize
}

/// Grid rows of the matrix that fit in `body` (info line, header, totals
/// and legend excluded).
/// Rows of the matrix's grid: under the info, group and header lines,
/// above the totals and the legend.
pub fn matrix_page(body: Rect) -> usize {
    body.height.saturating_sub(5).max(1) as usize
}

/// Rows of a full-width table under the pane's one-line bar.
pub fn table_page(body: Rect) -> usize {
    body.height.saturating_sub(2) as usize
}

/// Units the inbox's grid shows: under the bar and two header lines, above
/// the months' rates.
pub fn grid_page(body: Rect) -> usize {
    body.height.saturating_sub(4) as usize
}
