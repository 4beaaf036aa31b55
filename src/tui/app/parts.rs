//! The console's own bookkeeping, as plain data: what it asked the reader
//! for and what came ([`Loads`]), and what it sent the writer, its undo
//! stack and the form to offer again ([`Pending`]). The `impl App` blocks
//! beside this file change them.

use std::collections::{HashMap, HashSet};

use crate::db::inbox::InboxRow;
use crate::domain::{ItemKey, Month};
use crate::ops::Command;
use crate::tui::action::Action;
use crate::tui::ctx::{Unreadable, Waiting};
use crate::tui::intent::{Label, Typed};
use crate::tui::loader::Want;

/// The console's side of loading.
#[derive(Debug, Default)]
pub struct Loads {
    /// The last request's number.
    pub seq: u64,
    /// Requests from this number on read the database as it is now (after
    /// the last change seen): months read ahead by older ones are stale.
    pub fresh_from: u64,
    /// Parts not read yet (shown as 读取中…).
    pub waiting: Waiting,
    /// Inbox months read ahead: (month, request, rows).
    pub ahead: Vec<(Month, u64, Vec<InboxRow>)>,
    /// The request the inbox's rows came from.
    pub shown: u64,
    /// The last request answered in full.
    pub answered: u64,
    /// Parts whose last reading failed.
    pub unreadable: Unreadable,
    /// Months to read ahead once the frame a key changed is out (read at
    /// once, they would take the processor from that frame).
    pub after_frame: Option<Want>,
    /// Keys and pastes that came while the inbox held only its month's
    /// first rows, to be handled in order once the rest is in (a few
    /// milliseconds at start-up; see [`Part::InboxHead`]).
    pub held: Vec<Held>,
}

/// Input held until the inbox's month is read in full.
#[derive(Debug)]
pub enum Held {
    Key(crossterm::event::KeyEvent),
    Paste(String),
}

pub(super) struct Job {
    pub(super) label: Label,
    pub(super) undo: bool,
    /// What was sent, in order (a refusal is worded for its command).
    pub(super) cmds: Vec<Command>,
}

pub(super) struct UndoEntry {
    pub(super) label: Label,
    pub(super) cmds: Vec<Command>,
}

/// Jobs sent to the writer, the undo stack, and our own audit rows.
#[derive(Default)]
pub struct Pending {
    pub(super) next_id: u64,
    pub(super) jobs: HashMap<u64, Job>,
    pub(super) undo: Vec<UndoEntry>,
    /// Audit rows this console wrote since the last reload.
    pub own_audit: HashSet<i64>,
    /// Texts of a form whose change was not made (conflict, refusal): the
    /// same form on the same row opens with them again.
    pub(super) retry: Option<Typed>,
    /// The form to open again once the rows are read afresh (after a
    /// conflict), or at once (after a refusal).
    pub(super) reopen: Option<Reopen>,
    /// Where the notices of the last reminder went, added to its message.
    pub(super) notice_message: Option<String>,
}

/// A form whose change was not made, to be opened again on its row with
/// what was typed, after the reading asked for at `after` has come.
#[derive(Debug, Clone)]
pub(super) struct Reopen {
    pub(super) action: Action,
    pub(super) item: ItemKey,
    pub(super) pane: crate::tui::panes::Pane,
    pub(super) after: u64,
}
