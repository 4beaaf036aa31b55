//! The four panes and the dashboard column. Each pane module owns its
//! state type and a `render(ctx, state, area, buf)` that sees only that
//! state and the render context.

pub mod alerts;
pub mod checklist;
pub mod grid;
pub mod imports;
pub mod inbox;
pub mod matrix;
pub mod matrix_views;
pub mod side;

use super::keymap::Scope;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Inbox,
    Checklist,
    Matrix,
    Alerts,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Inbox, Pane::Checklist, Pane::Matrix, Pane::Alerts];

    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn scope(self) -> Scope {
        match self {
            Pane::Inbox => Scope::Inbox,
            Pane::Checklist => Scope::Checklist,
            Pane::Matrix => Scope::Matrix,
            Pane::Alerts => Scope::Alerts,
        }
    }

    /// Whether the pane is a list (marks and row movement apply).
    pub fn is_list(self) -> bool {
        self != Pane::Matrix
    }
}
