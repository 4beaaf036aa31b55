//! The `?` overlay: every key that does something now, searchable.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::text::{one_line, width};
use crate::tui::ctx::RenderCtx;
use crate::tui::layout;
use crate::tui::widgets::put;

#[derive(Debug, Clone, Default)]
pub struct Help {
    pub query: String,
    pub scroll: usize,
}

/// One line of help: keys, what they do, the action's name.
#[derive(Debug, Clone, PartialEq)]
pub struct HelpLine {
    pub keys: String,
    pub desc: String,
    pub name: &'static str,
}

/// Lines of the list that fit on a screen of `screen` (search line and the
/// read-only note excluded).
pub fn list_rows(screen: Rect, read_only: bool) -> usize {
    let inner_h = layout::help_area(screen).height.saturating_sub(2);
    inner_h.saturating_sub(1 + u16::from(read_only)) as usize
}

/// The lines `query` selects.
pub fn filter(lines: Vec<HelpLine>, query: &str) -> Vec<HelpLine> {
    let q = query.to_lowercase();
    lines
        .into_iter()
        .filter(|l| {
            q.is_empty()
                || l.keys.to_lowercase().contains(&q)
                || l.desc.to_lowercase().contains(&q)
                || l.name.contains(&q)
        })
        .collect()
}

pub fn render(ctx: &RenderCtx, h: &Help, title: &str, items: &[HelpLine], screen: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let area = layout::help_area(screen);
    super::clear(area, buf);
    let rows = list_rows(screen, ctx.read_only);
    let scroll = h.scroll.min(items.len().saturating_sub(rows));
    let more = scroll + rows < items.len();
    let hint = if more {
        format!("{} · {}", s.close_hint, s.more)
    } else {
        s.close_hint.to_string()
    };
    let block = super::block(ctx, title, &hint);
    let inner = block.inner(area);
    block.render(area, buf);
    let mut y = inner.y;
    put(
        buf,
        inner.x,
        y,
        inner.width,
        &format!("{}{}{}▏", s.search, s.colon, one_line(&h.query)),
        th.key,
        false,
    );
    y += 1;
    if ctx.read_only {
        let why = if ctx.read_only_forced {
            s.read_only_file
        } else {
            s.read_only_why
        };
        put(buf, inner.x, y, inner.width, why, th.yellow, false);
        y += 1;
    }
    if items.is_empty() {
        put(buf, inner.x, y, inner.width, s.no_match, th.dim, false);
    }
    // Key, description (cut with … when long), action name on the right.
    let key_w = 14u16.min(inner.width / 4);
    for l in items.iter().skip(scroll).take(rows) {
        let name = format!("({})", l.name);
        let name_w = (width(&name) as u16).min(inner.width.saturating_sub(key_w + 8));
        let desc_w = inner.width.saturating_sub(key_w + 1 + name_w + 1);
        put(buf, inner.x, y, key_w, &l.keys, th.key, false);
        put(buf, inner.x + key_w + 1, y, desc_w, &l.desc, th.base, false);
        put(buf, inner.x + inner.width - name_w, y, name_w, &name, th.dim, true);
        y += 1;
    }
}
