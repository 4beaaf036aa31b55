//! A yes/no question that carries what to do on yes (after gitui's
//! `ConfirmAction` → `ConfirmedAction`).

use crate::tui::intent::Intent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::ctx::RenderCtx;
use crate::tui::layout;
use crate::tui::widgets::wrap;

pub struct Confirm {
    pub message: String,
    /// What happens on yes.
    pub on_yes: Intent,
}

/// The question's lines at the width it is drawn.
fn lines(c: &Confirm, w: u16) -> Vec<String> {
    wrap(&c.message, w.saturating_sub(2).max(10) as usize)
}

pub fn render(ctx: &RenderCtx, c: &Confirm, screen: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let probe = layout::confirm_area(screen, 1);
    let text = lines(c, probe.width.saturating_sub(2));
    let area = layout::confirm_area(screen, text.len() as u16);
    super::clear(area, buf);
    let block = super::block(ctx, s.confirm_title, s.confirm_hint);
    let inner = block.inner(area);
    block.render(area, buf);
    let body: Vec<ratatui::text::Line> = text
        .into_iter()
        .map(|l| ratatui::text::Line::styled(format!(" {l}"), ctx.theme.title))
        .collect();
    Paragraph::new(body).render(
        Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(1),
            ..inner
        },
        buf,
    );
}
