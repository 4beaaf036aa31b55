//! The dashboard's side column (terminals from about 160×45): what the other
//! panes hold, at a glance, while the focused pane keeps working on the left.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;

use super::Pane;
use crate::db::alerts::AlertRow;
use crate::db::checklist::AuthorityRow;
use crate::domain::{AlertLevel, InboxStatus, Month};
use crate::text::width;
use crate::tui::ctx::RenderCtx;
use crate::tui::digest::{AlertsDigest, InboxDigest};
use crate::tui::widgets::{put, titled_block};

/// What the column shows: the current month's reports (whatever month the
/// inbox is browsing), the alerts and the checklist.
pub struct SideData<'a> {
    pub focused: Pane,
    pub inbox_month: Month,
    pub inbox: &'a InboxDigest,
    /// Alerts at each level (snoozed ones left out).
    pub alert_counts: [usize; AlertLevel::ALL.len()],
    pub alerts: &'a AlertsDigest,
    pub checklist: &'a [AuthorityRow],
    /// The alerts pane's selected alert and its file, when read.
    pub selected_alert: Option<(&'a AlertRow, Option<&'a Result<crate::db::notes::ItemFile, String>>)>,
}

pub fn render(ctx: &RenderCtx, d: &SideData, area: Rect, buf: &mut Buffer) {
    // Show the two panes that are not focused (alerts first: they are the most urgent).
    let mut parts: Vec<Pane> = [Pane::Alerts, Pane::Inbox, Pane::Checklist]
        .into_iter()
        .filter(|p| *p != d.focused)
        .collect();
    parts.truncate(2);
    let [top, bottom] = area.layout(&Layout::vertical([
        Constraint::Percentage(55),
        Constraint::Percentage(45),
    ]));
    // Triaging alerts: the selected one on top, in full.
    if d.focused == Pane::Alerts
        && let Some((r, file)) = d.selected_alert
    {
        selected_alert(ctx, r, file, top, buf);
        inbox(ctx, d.inbox_month, d.inbox, bottom, buf);
        return;
    }
    for (pane, rect) in parts.into_iter().zip([top, bottom]) {
        match pane {
            Pane::Alerts => alerts(ctx, &d.alert_counts, d.alerts, rect, buf),
            Pane::Inbox => inbox(ctx, d.inbox_month, d.inbox, rect, buf),
            _ => checklist(ctx, d.checklist, rect, buf),
        }
    }
}

/// The selected alert: why it is at its level, dates, reminders, notes.
fn selected_alert(
    ctx: &RenderCtx,
    r: &AlertRow,
    file: Option<&Result<crate::db::notes::ItemFile, String>>,
    area: Rect,
    buf: &mut Buffer,
) {
    let (title, text) = crate::tui::describe::alert(ctx, r, file);
    let block = titled_block(ctx.theme, &title);
    let inner = block.inner(area);
    block.render(area, buf);
    let mut y = inner.y;
    for (line, style) in &text {
        let lines = crate::tui::widgets::wrap(line, inner.width as usize);
        if lines.is_empty() {
            y += 1;
        }
        for l in lines {
            if y >= inner.bottom() {
                return;
            }
            put(buf, inner.x, y, inner.width, &l, *style, false);
            y += 1;
        }
    }
}

/// Says why a block has nothing to show yet (see
/// [`crate::tui::widgets::not_read`]); true when it did.
fn not_read_here(ctx: &RenderCtx, loading: bool, unreadable: bool, inner: Rect, buf: &mut Buffer) -> bool {
    match crate::tui::widgets::not_read(ctx.s, loading, unreadable) {
        Some(why) => {
            put(buf, inner.x, inner.y, inner.width, why, ctx.theme.dim, false);
            true
        }
        None => false,
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

fn alerts(ctx: &RenderCtx, counts: &[usize], d: &AlertsDigest, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let b = titled_block(th, s.panes[3]);
    let inner = b.inner(area);
    b.render(area, buf);
    // Counts only once the alerts are read (never zeros that are not).
    if not_read_here(ctx, ctx.loading.alerts, ctx.unreadable.alerts, inner, buf) {
        return;
    }
    let line = AlertLevel::ALL
        .iter()
        .filter(|l| **l != AlertLevel::Circular || counts[**l as usize] > 0)
        .map(|l| {
            let (style, sym) = th.alert(*l);
            (format!("{sym} {} {}", s.alert_level(*l), counts[*l as usize]), style)
        });
    counts_line(buf, inner, line);
    for (k, r) in d
        .urgent
        .iter()
        .take(inner.height.saturating_sub(1) as usize)
        .enumerate()
    {
        let y = inner.y + 1 + k as u16;
        let (style, sym) = th.alert(r.level);
        let days = crate::present::days_text(r.days_left, s);
        put(buf, inner.x, y, 12, &format!("{sym} {days}"), style, false);
        let rest = format!("{} {}", r.unit, crate::present::title(r, s));
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

fn inbox(ctx: &RenderCtx, month: Month, d: &InboxDigest, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let b = titled_block(th, &format!("{} · {}", s.panes[0], month));
    let inner = b.inner(area);
    b.render(area, buf);
    // The digest is read after the month shown (`month` is none until then).
    if not_read_here(
        ctx,
        d.month.is_none() && !ctx.unreadable.current,
        ctx.unreadable.current,
        inner,
        buf,
    ) {
        return;
    }
    let count = |x: InboxStatus| d.count(x);
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
    for (k, r) in d
        .waiting
        .iter()
        .take(inner.height.saturating_sub(1) as usize)
        .enumerate()
    {
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
            &format!("{}{late}", r.unit()),
            th.base,
            false,
        );
    }
}

fn checklist(ctx: &RenderCtx, rows: &[AuthorityRow], area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let b = titled_block(
        ctx.theme,
        &format!("{}{}{}{}", s.panes[1], s.paren.0, s.done_of_total, s.paren.1),
    );
    let inner = b.inner(area);
    b.render(area, buf);
    if not_read_here(ctx, ctx.loading.checklist, ctx.unreadable.checklist, inner, buf) {
        return;
    }
    super::checklist::draw_zone_bars(ctx.theme, rows, inner, buf);
}
