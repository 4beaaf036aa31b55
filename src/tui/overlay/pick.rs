//! A picker: a list narrowed as you type (Chinese text, pinyin initials or
//! a number), ↑/↓ to choose, Enter to take, Esc to leave. Used to focus the
//! matrix on a unit (`f`) and to go to an article (`:`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::tui::ctx::RenderCtx;
use crate::tui::layout;
use crate::tui::list::matches;
use crate::tui::widgets::put;

/// What a picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickPurpose {
    FocusUnit,
    JumpArticle,
}

#[derive(Debug, Clone)]
pub struct Pick {
    pub purpose: PickPurpose,
    pub title: String,
    pub query: String,
    /// Id and label of every option.
    pub options: Vec<(i64, String)>,
    /// Indices of the options the query lets through.
    pub shown: Vec<usize>,
    pub sel: usize,
}

impl Pick {
    pub fn new(purpose: PickPurpose, title: String, options: Vec<(i64, String)>) -> Pick {
        let shown = (0..options.len()).collect();
        Pick {
            purpose,
            title,
            query: String::new(),
            options,
            shown,
            sel: 0,
        }
    }

    /// Narrows the list to the query: a number matches an article's number
    /// exactly first, text matches names and pinyin initials.
    pub fn refilter(&mut self) {
        let q = self.query.trim();
        let exact: Vec<usize> = match q.parse::<i64>() {
            Ok(n) => (0..self.options.len()).filter(|&i| self.options[i].0 == n).collect(),
            Err(_) => Vec::new(),
        };
        let rest: Vec<usize> = (0..self.options.len())
            .filter(|i| !exact.contains(i))
            .filter(|&i| q.is_empty() || matches(q, &[&self.options[i].1]))
            .collect();
        self.shown = exact.into_iter().chain(rest).collect();
        self.sel = 0;
    }

    pub fn chosen(&self) -> Option<i64> {
        self.shown.get(self.sel).map(|&i| self.options[i].0)
    }
}

pub fn render(ctx: &RenderCtx, p: &Pick, screen: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let area = layout::form_area(screen, 20);
    super::clear(area, buf);
    let block = super::block(ctx, &p.title, s.pick_hint);
    let inner = block.inner(area);
    block.render(area, buf);
    put(
        buf,
        inner.x,
        inner.y,
        inner.width,
        &format!("> {}▏", p.query),
        th.input,
        false,
    );
    let rows = inner.height.saturating_sub(2) as usize;
    let first = p.sel.saturating_sub(rows.saturating_sub(1));
    for (k, &i) in p.shown.iter().enumerate().skip(first).take(rows) {
        let y = inner.y + 2 + (k - first) as u16;
        let style = if k == p.sel { th.selected } else { th.base };
        put(buf, inner.x, y, inner.width, &p.options[i].1, style, false);
    }
    if p.shown.is_empty() {
        put(buf, inner.x, inner.y + 2, inner.width, s.no_match, th.dim, false);
    }
}
