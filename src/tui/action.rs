//! Everything a key can ask the console to do. The names are the ones used
//! in `config.toml` under `[keys]` (and `[keys.<scope>]` for overlays).

macro_rules! actions {
    ($($(#[$doc:meta])* $var:ident = $name:literal),+ $(,)?) => {
        /// A user action, bound to keys by the keymap.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($(#[$doc])* $var,)+
        }
        impl Action {
            /// Every bindable action.
            pub const ALL: &'static [Action] = &[$(Action::$var),+];
            /// How many actions there are.
            pub const COUNT: usize = Action::ALL.len();
            /// The action's place in [`Self::ALL`] (and in the word lists).
            pub const fn index(self) -> usize {
                let mut i = 0;
                $(if matches!(self, Action::$var) { return i; } i += 1;)+
                let _ = i;
                0
            }
            /// The name used in `config.toml` and the man page.
            pub fn name(self) -> &'static str {
                match self { $(Action::$var => $name),+ }
            }
            pub fn from_name(s: &str) -> Option<Action> {
                match s { $($name => Some(Action::$var),)+ _ => None }
            }
        }
    };
}

actions! {
    /// Quit the console.
    Quit = "quit",
    /// Show the keys of the focused pane.
    Help = "help",
    /// Focus the next pane.
    NextPane = "next_pane",
    /// Focus the previous pane.
    PrevPane = "prev_pane",
    /// Focus the monthly-report inbox.
    PaneInbox = "pane_inbox",
    /// Focus the delegated-authority checklist.
    PaneChecklist = "pane_checklist",
    /// Focus the task matrix.
    PaneMatrix = "pane_matrix",
    /// Focus the deadline alerts.
    PaneAlerts = "pane_alerts",
    /// Move up one row.
    Up = "up",
    /// Move down one row.
    Down = "down",
    /// Move left (previous month in the inbox, previous column in the matrix).
    Left = "left",
    /// Move right (next month in the inbox, next column in the matrix).
    Right = "right",
    /// Go to the first row.
    Top = "top",
    /// Go to the last row.
    Bottom = "bottom",
    /// Move down half a page.
    HalfPageDown = "half_page_down",
    /// Move up half a page.
    HalfPageUp = "half_page_up",
    /// Move down a page.
    PageDown = "page_down",
    /// Move up a page.
    PageUp = "page_up",
    /// Show the previous month (inbox).
    PrevMonth = "prev_month",
    /// Show the next month (inbox).
    NextMonth = "next_month",
    /// Start typing a filter.
    Filter = "filter",
    /// Cycle the sort column of the pane.
    Sort = "sort",
    /// Swap the matrix's rows and columns.
    Transpose = "transpose",
    /// Go to the first column (matrix).
    FirstColumn = "first_column",
    /// Go to the last column (matrix).
    LastColumn = "last_column",
    /// Open the selected row or cell.
    Open = "open",
    /// Close a popup, leave the filter, clear it.
    Back = "back",
    /// Redraw the whole screen.
    Redraw = "redraw",
    /// Undo your last change (as a new, audited change).
    Undo = "undo",
    /// Mark or unmark the selected row.
    Mark = "mark",
    /// Mark every row the filter shows (again: unmark them).
    MarkAll = "mark_all",
    /// Accept the report (已阅).
    Accept = "accept",
    /// Return the report for revision (退回), with a reason and a date.
    Return = "return",
    /// Add a note.
    Note = "note",
    /// Record a reminder (催办).
    Remind = "remind",
    /// Save the form.
    Save = "save",
    /// Close without saving (asks first when something was typed).
    Cancel = "cancel",
    /// Accept what was typed and close.
    Submit = "submit",
    /// Next field of a form.
    NextField = "next_field",
    /// Previous field of a form.
    PrevField = "prev_field",
    /// Answer yes to a question.
    Yes = "yes",
    /// Answer no to a question.
    No = "no",
    /// Extend the due date (延期), with a reason.
    Extend = "extend",
    /// Mark done (办结), with a note.
    Done = "done",
    /// Escalate to the leading group (again: take it back).
    Escalate = "escalate",
    /// Snooze until a date (again: wake it).
    Snooze = "snooze",
    /// Show everything about the selected alert.
    Info = "info",
    /// Cycle the level filter (all, overdue, 通报, red, yellow, blue).
    FilterLevel = "filter_level",
    /// Cycle the source filter (reports, resubmissions, tasks, …).
    FilterSource = "filter_source",
    /// Cycle the unit-kind filter (departments, prefectures, zones, offices).
    FilterKind = "filter_kind",
    /// Hide or show monthly reports that are not yet due.
    TogglePending = "toggle_pending",
    /// Show or hide snoozed items.
    ToggleSnoozed = "toggle_snoozed",
    /// Cycle the inbox's status filter (all, unread, missing, returned, read, late).
    FilterStatus = "filter_status",
    /// Show the imports (files received and refused) instead of the month.
    ToggleImports = "toggle_imports",
    /// Show the unit × month grid of reports received.
    ToggleGrid = "toggle_grid",
    /// Enter a report by hand (from paper).
    EnterReport = "enter_report",
    /// Show what changed from the previous version of the report.
    Versions = "versions",
    /// Fold or unfold the selected zone (checklist).
    ToggleFold = "toggle_fold",
    /// Fold every zone, or unfold them all.
    FoldAll = "fold_all",
    /// Move the item one step along its workflow (after a question).
    Advance = "advance",
    /// Set the item's status: any step its workflow allows.
    SetStatus = "set_status",
    /// A new authority item.
    NewItem = "new_item",
    /// Show only the articles one unit is named in (matrix).
    FocusUnit = "focus_unit",
    /// Go to an article by its number (matrix).
    JumpArticle = "jump_article",
    /// Show collectives as one column, or their members (matrix).
    ToggleCollectives = "toggle_collectives",
    /// Show the measures of every article (matrix).
    ToggleMeasures = "toggle_measures",
}

// Every action has its words: a new one does not compile until both
// languages name it.
const _: () = assert!(Action::COUNT == crate::i18n::console::ACTIONS);

/// The console's words for its actions (the words are in `i18n::console`,
/// in `Action::ALL` order).
impl crate::i18n::Strings {
    /// (short footer label, description).
    pub fn action(&self, a: Action) -> (&'static str, &'static str) {
        self.actions[a.index()]
    }

    /// Why `action` was refused, in words: some refusals read differently
    /// for extend, snooze and escalate (`verb`: what a take-back did).
    pub fn refusal_in(&self, r: &crate::ops::Refusal, action: Action, verb: Option<&str>) -> String {
        match (r, action, verb) {
            (crate::ops::Refusal::DateTooFar, Action::Extend, _) => {
                crate::i18n::fill(self.too_far_extend, &[&crate::domain::input::MAX_EXTEND_DAYS])
            }
            (crate::ops::Refusal::DateTooFar, Action::Snooze, _) => {
                crate::i18n::fill(self.too_far_snooze, &[&crate::domain::input::MAX_SNOOZE_DAYS])
            }
            (crate::ops::Refusal::AlreadyWithdrawn, Action::Escalate, Some("unescalate")) => {
                self.not_escalated.to_string()
            }
            (crate::ops::Refusal::AlreadyWithdrawn, Action::Snooze, Some("unsnooze")) => self.not_snoozed.to_string(),
            (crate::ops::Refusal::Closed, Action::Escalate | Action::Snooze, _) => self.item_closed.to_string(),
            _ => self.refusal(r),
        }
    }
}

#[cfg(test)]
mod words {
    use super::Action;
    use crate::i18n::{EN, ZH};

    #[test]
    fn every_action_has_words_in_both_languages() {
        assert_eq!(Action::ALL.len(), ZH.actions.len());
        for a in Action::ALL {
            assert!(!ZH.action(*a).1.is_empty() && !EN.action(*a).1.is_empty());
        }
    }
}
