//! The four panes and the dashboard column. Each pane module owns its
//! state type, its keys and a renderer that sees only that state and the
//! render context; the console reaches every pane through one trait,
//! [`PaneState`], as helix reaches its components: a key goes in, and what
//! the pane could not do itself comes back as [`Handled::Ignored`] or as
//! [`Effect`]s for the console. Panes never see the console, the overlays
//! or each other's state.

pub mod alerts;
pub mod checklist;
pub mod grid;
pub mod imports;
pub mod inbox;
pub mod matrix;
pub mod matrix_views;
pub mod side;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::action::Action;
use super::ctx::RenderCtx;
use super::intent::Tone;
use super::keymap::Scope;
use crate::db::DbError;
use crate::db::alerts::AlertPolicy;
use crate::domain::Month;
use crate::i18n::{Lang, Strings};

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
        match self {
            Pane::Inbox => 0,
            Pane::Checklist => 1,
            Pane::Matrix => 2,
            Pane::Alerts => 3,
        }
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

/// What a pane may use while it handles a key: the console's connection
/// for reads (never writes: those go to the writer as the console's
/// effects), the words, the screen and the clock.
pub struct PaneCx<'a> {
    pub conn: &'a Connection,
    pub lang: Lang,
    pub s: &'static Strings,
    /// The whole terminal.
    pub size: Rect,
    pub today: NaiveDate,
    /// The earliest month the inbox can show.
    pub first_month: Month,
    pub policy: &'a AlertPolicy,
}

impl PaneCx<'_> {
    /// Where the pane is drawn.
    pub fn body(&self) -> Rect {
        super::layout::pane_area(self.size)
    }

    /// A read that failed, as the pane keeps it (in the interface's words).
    pub fn error(&self, e: &DbError) -> String {
        crate::i18n::db_error_in(self.lang, e)
    }
}

/// What a pane did with a key.
#[derive(Debug)]
pub enum Handled {
    /// The pane acted; the console shows what it says.
    Consumed(Vec<Effect>),
    /// Not the pane's to do here: the console acts (a detail, a change, a
    /// jump to another pane, another month).
    Ignored,
}

impl Handled {
    /// Consumed, with nothing to say.
    pub fn done() -> Handled {
        Handled::Consumed(Vec::new())
    }

    /// Consumed, with one line for the footer.
    pub fn say(text: impl Into<String>, tone: Tone) -> Handled {
        Handled::Consumed(vec![Effect::Say(text.into(), tone)])
    }
}

/// What a pane asks of the console.
#[derive(Debug)]
pub enum Effect {
    /// A line in the footer.
    Say(String, Tone),
    /// A read failed: shown in the footer, in the interface's words.
    Failed(DbError),
}

impl From<crate::db::Result<()>> for Handled {
    fn from(r: crate::db::Result<()>) -> Handled {
        match r {
            Ok(()) => Handled::done(),
            Err(e) => Handled::Consumed(vec![Effect::Failed(e)]),
        }
    }
}

/// A change to the pane's filter as it is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterEdit<'a> {
    Push(char),
    /// Pasted text (one line).
    Paste(&'a str),
    Pop,
    Clear,
}

/// One pane as the console drives it.
pub trait PaneState {
    /// Rows a page key moves, with the pane drawn in `body`.
    fn page(&self, body: Rect) -> usize;
    /// The selected row and the row count (1-based), for the footer.
    fn position(&self) -> Option<(usize, usize)>;
    /// Rows marked: (shown, hidden by the filter).
    fn mark_counts(&self) -> (usize, usize) {
        (0, 0)
    }
    /// The filter typed (`/`).
    fn filter(&self) -> &str;
    /// The sort in force, in words.
    fn sort_label(&self, s: &Strings) -> &'static str;
    /// A key in the pane: movement, marks, sort, the pane's filters, views
    /// and folds. Opening, changing and jumping are the console's.
    fn handle(&mut self, a: Action, cx: &PaneCx) -> Handled;
    /// The filter as it is typed.
    fn edit_filter(&mut self, edit: FilterEdit, cx: &PaneCx) -> Handled;
    /// The filter line was closed (an empty filter gives its search texts back).
    fn close_filter(&mut self) {}
    /// The screen changed size: the selection stays in view.
    fn fit(&mut self, cx: &PaneCx) -> Handled;
    fn render(&self, ctx: &RenderCtx, area: Rect, buf: &mut Buffer);
}

/// The movement keys every list takes.
pub fn is_movement(a: Action) -> bool {
    matches!(
        a,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::HalfPageUp
            | Action::HalfPageDown
            | Action::Top
            | Action::Bottom
    )
}

/// A filter edit applied to a filter's text.
pub fn apply_edit(filter: &mut String, edit: FilterEdit) {
    match edit {
        FilterEdit::Push(c) => filter.push(c),
        FilterEdit::Paste(t) => filter.push_str(t),
        FilterEdit::Pop => {
            filter.pop();
        }
        FilterEdit::Clear => filter.clear(),
    }
}
