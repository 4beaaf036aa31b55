//! The dashboard's side column (terminals from about 160×45): what the other
//! panes hold, at a glance, while the focused pane keeps working on the left.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;

use crate::domain::{AlertLevel, InboxStatus};
use crate::text::width;
use crate::tui::app::{App, Pane};
use crate::tui::widgets::{put, titled_block};

/// Width of the side column.
pub const WIDTH: u16 = 54;

/// Splits the body into (focused pane, side column) when the terminal is
/// large enough for a dashboard.
pub fn split(body: Rect, screen: Rect) -> (Rect, Option<Rect>) {
    if screen.width >= 160 && screen.height >= 45 {
        let [main, _gap, side] = body.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(WIDTH),
        ]));
        (main, Some(side))
    } else {
        (body, None)
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    // Show the two panes that are not focused (alerts first: they are the most urgent).
    let mut parts: Vec<Pane> = [Pane::Alerts, Pane::Inbox, Pane::Checklist]
        .into_iter()
        .filter(|p| *p != app.pane)
        .collect();
    parts.truncate(2);
    let [top, bottom] = area.layout(&Layout::vertical([
        Constraint::Percentage(55),
        Constraint::Percentage(45),
    ]));
    for (pane, rect) in parts.into_iter().zip([top, bottom]) {
        match pane {
            Pane::Alerts => alerts(app, rect, buf),
            Pane::Inbox => inbox(app, rect, buf),
            _ => checklist(app, rect, buf),
        }
    }
}

/// One line of "symbol word count" items across the top of `area`.
fn counts_line(buf: &mut Buffer, area: Rect, items: impl Iterator<Item = (String, ratatui::style::Style)>) {
    let mut x = area.x;
    for (text, style) in items {
        let text = format!("{text}  ");
        let w = width(&text) as u16;
        put(
            buf,
            x,
            area.y,
            w.min(area.right().saturating_sub(x)),
            &text,
            style,
            false,
        );
        x += w;
    }
}

fn alerts(app: &App, area: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let b = titled_block(&app.theme, s.panes[3]);
    let inner = b.inner(area);
    b.render(area, buf);
    let counts = AlertLevel::ALL.iter().map(|l| {
        let (style, sym) = th.alert(*l);
        (format!("{sym} {} {}", s.alert_level(*l), app.alerts.count(*l)), style)
    });
    counts_line(buf, inner, counts);
    for (k, r) in app
        .alerts
        .rows
        .iter()
        .take(inner.height.saturating_sub(1) as usize)
        .enumerate()
    {
        let y = inner.y + 1 + k as u16;
        let (style, sym) = th.alert(r.level);
        let days = super::alerts::days_text(r.days_left, s);
        put(buf, inner.x, y, 12, &format!("{sym} {days}"), style, false);
        let rest = format!("{} {}", r.unit, super::alerts::title(r, s));
        put(
            buf,
            inner.x + 13,
            y,
            inner.width.saturating_sub(13),
            &rest,
            th.base,
            false,
        );
    }
}

fn inbox(app: &App, area: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let st = &app.inbox;
    let b = titled_block(&app.theme, &format!("{} · {}", s.panes[0], st.month));
    let inner = b.inner(area);
    b.render(area, buf);
    let count = |x: InboxStatus| st.rows.iter().filter(|r| r.status == x).count();
    let statuses = [
        InboxStatus::Missing,
        InboxStatus::Returned,
        InboxStatus::Late,
        InboxStatus::New,
    ];
    let counts = statuses.into_iter().map(|status| {
        let (style, sym) = th.inbox(status);
        (format!("{sym} {} {}", s.inbox_status(status), count(status)), style)
    });
    counts_line(buf, inner, counts);
    // The units that have not reported, then the returned ones.
    let waiting = st
        .rows
        .iter()
        .filter(|r| matches!(r.status, InboxStatus::Missing | InboxStatus::Returned));
    for (k, r) in waiting.take(inner.height.saturating_sub(1) as usize).enumerate() {
        let (style, sym) = th.inbox(r.status);
        let y = inner.y + 1 + k as u16;
        put(
            buf,
            inner.x,
            y,
            14,
            &format!("{sym} {}", s.inbox_status(r.status)),
            style,
            false,
        );
        let late = if r.days_late > 0 {
            format!("  {}{}{}", s.days_late.0, r.days_late, s.days_late.1)
        } else {
            String::new()
        };
        put(
            buf,
            inner.x + 15,
            y,
            inner.width.saturating_sub(15),
            &format!("{}{late}", r.unit),
            th.base,
            false,
        );
    }
}

fn checklist(app: &App, area: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let b = titled_block(
        &app.theme,
        &format!("{}{}{}{}", s.panes[1], s.paren.0, s.done_of_total, s.paren.1),
    );
    let inner = b.inner(area);
    b.render(area, buf);
    super::checklist::draw_zone_bars(app, inner, buf);
}
