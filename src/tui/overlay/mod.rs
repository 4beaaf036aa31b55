//! Overlays: one stack above the panes, each kind with its own key scope.
//! The top overlay gets the keys; what it returns (a value, a command to
//! confirm, "close") is handled by the console's update.

pub mod confirm;
pub mod detail;
pub mod form;
pub mod help;
pub mod pick;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::ctx::RenderCtx;
use super::keymap::Scope;
use crate::text::{one_line, width};

pub use confirm::Confirm;
pub use detail::{Detail, DetailKind};
pub use form::{Field, Form, FormEvent};
pub use help::Help;
pub use pick::{Pick, PickPurpose};

/// One overlay of the stack.
pub enum Overlay {
    Detail(Detail),
    Help(Help),
    /// Typing the focused pane's filter (drawn in the footer).
    Filter,
    Form(Form),
    Confirm(Confirm),
    Pick(Pick),
}

impl Overlay {
    /// The key scope of the overlay.
    pub fn scope(&self) -> Scope {
        match self {
            Overlay::Detail(_) => Scope::Detail,
            Overlay::Help(_) => Scope::Help,
            Overlay::Filter => Scope::Filter,
            Overlay::Form(_) => Scope::Form,
            Overlay::Confirm(_) => Scope::Confirm,
            // Letters are the query, as in a filter.
            Overlay::Pick(_) => Scope::Filter,
        }
    }
}

/// Clears an overlay's area, and blanks a double-width character just left
/// of it, whose right half would otherwise cover the overlay's left border.
pub fn clear(area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    if area.x > buf.area.x {
        for y in area.top()..area.bottom() {
            let cell = &mut buf[(area.x - 1, y)];
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

/// An overlay's frame: title on top, a hint at the bottom.
pub fn block<'a>(ctx: &RenderCtx, title: &str, bottom: &str) -> Block<'a> {
    let th = ctx.theme;
    let mut b = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border_focus)
        .title(Span::styled(format!(" {} ", one_line(title)), th.title));
    if !bottom.is_empty() {
        b = b.title_bottom(Span::styled(format!(" {} ", one_line(bottom)), th.dim));
    }
    b
}
