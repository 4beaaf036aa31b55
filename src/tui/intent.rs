//! What the console means to do, as plain data shared by the overlays that
//! ask and the console that acts: a footer message's tone, what a question
//! does when answered yes, what a form is for and the rows it acts on.

use chrono::NaiveDate;

use super::action::Action;
use crate::domain::{AuthorityStatus, ItemKey, Month};
use crate::ops::Command;

/// How a footer message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Bad,
}

/// A one-line message in the footer until the next key.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub tone: Tone,
}

/// What happens when a question is answered yes.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// Send these commands.
    Apply { cmds: Vec<Command>, label: Label },
    /// Undo the last change (a batch asks first).
    Undo,
    /// Throw away the form below.
    Discard,
}

/// How a job is named in its result message.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub action: Action,
    /// The row of each command, in order ("科技厅 2026-10").
    pub items: Vec<String>,
    /// What was typed into the form, to offer again if the change is not made.
    pub typed: Option<Typed>,
    /// Items whose reminders were written notices (通知单): saved as files.
    pub notices: Vec<ItemKey>,
    /// The audit name of what was done when it is not the action's own
    /// (`unsnooze`, `unescalate`: the key took something back).
    pub verb: Option<&'static str>,
}

impl Label {
    /// The one row acted on, if one.
    pub fn item(&self) -> Option<&str> {
        (self.items.len() == 1).then(|| self.items[0].as_str())
    }
}

/// A form's texts, kept for one row and action.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub action: Action,
    pub item: ItemKey,
    pub texts: Vec<String>,
}

/// A row an action targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub item: ItemKey,
    /// The report row and the version shown (inbox rows with a report).
    pub report: Option<(i64, i64)>,
    /// The version guarding the item, as shown (alert rows).
    pub version: i64,
    /// How the row is named in messages ("科技厅 2026-10").
    pub label: String,
    /// The due date in force, and whether it has passed (alert rows).
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    pub escalated: bool,
    pub snoozed: bool,
}

/// What a form's values are for.
#[derive(Debug, Clone, PartialEq)]
pub enum FormPurpose {
    /// A change to rows (return, note, 催办, extend, done, escalate,
    /// snooze): the action, its rows, and how many marked rows it does not
    /// apply to.
    Rows {
        action: Action,
        targets: Vec<Target>,
        skipped: usize,
    },
    /// A report typed in by hand: which field holds what.
    Entry(Box<EntryLayout>),
    /// A checklist form: what it changes and its pickers' choices.
    Checklist(Box<ChecklistForm>),
    /// A measure's form.
    Measure(Box<MeasureForm>),
}

/// Which form field holds what.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryLayout {
    pub item: ItemKey,
    /// The unit's full name, as a file would name it.
    pub unit: String,
    pub month: Month,
    pub summary: usize,
    pub contact: usize,
    pub phone: usize,
    /// Article number and the fields of its status, progress,
    /// difficulties and next steps.
    pub articles: Vec<(i64, [usize; 4])>,
    /// Indicator name and its field.
    pub indicators: Vec<(String, usize)>,
}

/// What a measure form changes, and the units its owner picker offers.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureForm {
    pub measure: i64,
    pub version: i64,
    pub units: Vec<i64>,
}

/// What a checklist form is for, with the choices its pickers offer.
#[derive(Debug, Clone, PartialEq)]
pub enum ChecklistForm {
    /// Fields: status, date, 文号, note.
    Status {
        item: i64,
        version: i64,
        label: String,
        moves: Vec<AuthorityStatus>,
    },
    /// Fields: zone, domain, level, name, grantor, due date, note.
    Item {
        /// `None`: a new item.
        item: Option<(i64, i64)>,
        zones: Vec<i64>,
        /// `None` first: not recorded.
        grantors: Vec<Option<i64>>,
    },
}
