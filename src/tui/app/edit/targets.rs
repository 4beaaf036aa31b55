//! Which rows an action acts on and whether it is enabled: the marked rows
//! the filter shows (or the selected one), those the action applies to;
//! the rest are counted as skipped.

use crate::tui::intent::Target;

use super::super::App;
use crate::db::alerts::AlertRow;
use crate::db::inbox::InboxRow;
use crate::tui::action::Action;
use crate::tui::panes::{self, Pane};

impl Target {
    fn of_inbox(r: &InboxRow) -> Target {
        Target {
            item: r.key(),
            report: r.report_id.map(|id| (id, r.version)),
            version: 0,
            label: format!("{} {}", r.unit(), r.month),
            due: Some(r.due),
            overdue: r.days_late > 0 && r.report_id.is_none(),
            escalated: false,
            snoozed: false,
        }
    }

    fn of_alert(r: &AlertRow, s: &crate::i18n::Strings) -> Target {
        let what = crate::present::title(r, s);
        Target {
            item: r.key,
            report: None,
            version: r.version,
            label: crate::text::one_line(&format!("{} {}", r.unit, crate::text::truncate(&what, 24))),
            due: Some(r.due),
            overdue: r.days_left < 0,
            escalated: r.escalated,
            snoozed: r.snoozed,
        }
    }
}

/// The edit actions the panes offer.
pub fn is_edit(a: Action) -> bool {
    matches!(
        a,
        Action::Accept
            | Action::Return
            | Action::Note
            | Action::Remind
            | Action::Extend
            | Action::Done
            | Action::Escalate
            | Action::Snooze
    )
}

impl App {
    /// Whether an action does something now: in this pane, for these rows,
    /// with this database. Help and the footer list only these.
    pub fn enabled(&self, a: Action) -> bool {
        use panes::inbox::InboxView;
        let inbox_view = (self.pane == Pane::Inbox).then_some(self.inbox.view);
        match a {
            // The imports view and the grid only look: changes are made in the month's list.
            a if (is_edit(a) && a != Action::Undo || matches!(a, Action::Mark | Action::MarkAll))
                && inbox_view.is_some_and(|v| v != InboxView::Month) =>
            {
                false
            }
            Action::EnterReport | Action::Versions | Action::FilterStatus => {
                self.pane == Pane::Inbox
                    && inbox_view == Some(InboxView::Month)
                    && (a != Action::EnterReport || !self.read_only)
            }
            Action::FilterKind => matches!(inbox_view, None | Some(InboxView::Month)),
            Action::Advance | Action::SetStatus | Action::NewItem => {
                !self.read_only
                    && self.pane == Pane::Checklist
                    && self.checklist.view == panes::checklist::ChecklistView::Zones
            }
            Action::FocusUnit | Action::JumpArticle | Action::ToggleCollectives | Action::ToggleMeasures => {
                self.pane == Pane::Matrix
            }
            Action::ToggleFold | Action::FoldAll => {
                self.checklist.view == panes::checklist::ChecklistView::Zones
                    && self.checklist.list.sort == panes::checklist::ChecklistSort::Zone
            }
            Action::Left | Action::Right => matches!(self.pane, Pane::Inbox | Pane::Matrix),
            a if is_edit(a) => !self.read_only && !self.targets(a).0.is_empty(),
            Action::Mark | Action::MarkAll => {
                !self.read_only
                    && match self.pane {
                        Pane::Inbox => !self.inbox.list.view.is_empty(),
                        Pane::Alerts => !self.alerts.list.view.is_empty(),
                        _ => false,
                    }
            }
            Action::Undo => !self.read_only && !self.pending.undo.is_empty(),
            Action::Info => self.pane == Pane::Alerts && self.alerts.list.selected().is_some(),
            _ => true,
        }
    }

    /// The rows `a` acts on in the focused pane, and how many it skips.
    pub(super) fn targets(&self, a: Action) -> (Vec<Target>, usize) {
        let s = self.lang.s();
        match self.pane {
            Pane::Inbox if self.inbox.view != panes::inbox::InboxView::Month => (Vec::new(), 0),
            Pane::Inbox => {
                let all = self.inbox.list.targets();
                let total = all.len();
                let ok: Vec<Target> = all
                    .into_iter()
                    .filter(|r| panes::inbox::applies(a, r))
                    .map(Target::of_inbox)
                    .collect();
                let skipped = total - ok.len();
                (ok, skipped)
            }
            Pane::Alerts => {
                let all = self.alerts.list.targets();
                let total = all.len();
                let ok: Vec<Target> = all
                    .into_iter()
                    .filter(|r| panes::alerts::applies(a, r))
                    .map(|r| Target::of_alert(r, s))
                    .collect();
                let skipped = total - ok.len();
                (ok, skipped)
            }
            _ => (Vec::new(), 0),
        }
    }
}
