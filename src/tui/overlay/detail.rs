//! The detail popup (Enter): a report with its notes, reminders and
//! history; an authority item; an alert; a matrix cell. The text is built
//! from the pane's state each frame, so it follows other users' changes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::db::matrix::CellDetail;
use crate::domain::ItemKey;
use crate::tui::ctx::RenderCtx;
use crate::tui::layout;
use crate::tui::widgets::wrap;

pub use crate::tui::describe::Text;

/// What the popup shows.
#[derive(Debug, Clone, PartialEq)]
pub enum DetailKind {
    /// The inbox's selected unit-month.
    Report,
    /// A checklist item, by id.
    Authority(i64),
    /// An alert, by item.
    Alert(ItemKey),
    /// A matrix cell, read when opened (and again after a reload).
    Cell(Box<CellDetail>),
    /// A file met by an import, with its sidecar when it was refused.
    Import(Box<(crate::db::intake::LogEntry, Option<String>)>),
    /// What changed from a report's previous version.
    Versions(Box<crate::db::inbox::VersionDiff>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub kind: DetailKind,
    pub scroll: u16,
    /// The chosen line, where a detail offers some to open (a matrix cell's
    /// months and measures).
    pub pick: usize,
}

/// The popup's lines wrapped to the width it is drawn at on `screen`.
pub fn wrapped(text: &Text, screen: Rect) -> Text {
    let w = inner(screen).width.saturating_sub(1) as usize;
    text.iter()
        .flat_map(|(t, style)| wrap(t, w).into_iter().map(move |l| (l, *style)))
        .collect()
}

fn inner(screen: Rect) -> Rect {
    let a = layout::detail_area(screen);
    Rect {
        x: a.x + 1,
        y: a.y + 1,
        width: a.width.saturating_sub(2),
        height: a.height.saturating_sub(2),
    }
}

/// How far `text` scrolls on `screen`: its last line at the bottom.
pub fn max_scroll(text: &Text, screen: Rect) -> u16 {
    (wrapped(text, screen).len() as u16).saturating_sub(inner(screen).height)
}

pub fn render(ctx: &RenderCtx, title: &str, text: &Text, scroll: u16, screen: Rect, buf: &mut Buffer) {
    let area = layout::detail_area(screen);
    super::clear(area, buf);
    let lines = wrapped(text, screen);
    let inner = inner(screen);
    let max = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = scroll.min(max);
    let s = ctx.s;
    let hint = if scroll < max {
        format!("{} · {}", s.close_hint, s.more)
    } else {
        s.close_hint.to_string()
    };
    super::block(ctx, title, &hint).render(area, buf);
    let lines: Vec<Line> = lines.into_iter().map(|(l, st)| Line::styled(l, st)).collect();
    Paragraph::new(lines).scroll((scroll, 0)).render(inner, buf);
}

/// The wrapped line (on `screen`) where unwrapped line `line` of `text` starts.
pub fn wrapped_line(text: &Text, screen: Rect, line: usize) -> usize {
    let w = inner(screen).width.saturating_sub(1) as usize;
    text.iter().take(line).map(|(t, _)| wrap(t, w).len().max(1)).sum()
}
