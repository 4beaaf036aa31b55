//! What an edit key opens: a form (return, note, 催办, extend, done,
//! escalate, snooze), a question, or straight a change; and what a saved
//! form sends.

use crate::tui::intent::{FormPurpose, Intent, Label, Target, Tone, Typed};
use chrono::Duration;
use crossterm::event::KeyEvent;

use super::super::App;
use crate::domain::Channel;
use crate::domain::input::{MAX_NOTE, MAX_REASON};
use crate::i18n::fill;
use crate::ops::Command;
use crate::tui::action::Action;
use crate::tui::overlay::{Confirm, Field, Form, FormEvent, Overlay};
use crate::tui::panes::Pane;

impl App {
    /// An edit key in a pane.
    pub(in super::super) fn edit(&mut self, a: Action) {
        let s = self.lang.s();
        if self.pane == Pane::Inbox
            && self.inbox.view != crate::tui::panes::inbox::InboxView::Month
            && a != Action::Undo
        {
            self.say(s.view_only, Tone::Info);
            return;
        }
        if self.read_only {
            self.say(s.read_only_no_edit, Tone::Bad);
            return;
        }
        // One change at a time: the next one (or an undo) acts on the rows
        // as the last one left them, never on what was shown before it.
        if self.writing() {
            self.say(s.busy_writing, Tone::Info);
            return;
        }
        if a == Action::Undo {
            self.undo();
            return;
        }
        if !matches!(self.pane, Pane::Inbox | Pane::Alerts) {
            return;
        }
        let (mut targets, mut skipped) = self.targets(a);
        // Escalating a batch skips the items already escalated (the key takes
        // an escalation back only when every one of them is).
        if a == Action::Escalate && !targets.iter().all(|t| t.escalated) {
            let before = targets.len();
            targets.retain(|t| !t.escalated);
            skipped += before - targets.len();
        }
        if targets.is_empty() {
            let nothing = match self.pane {
                Pane::Inbox => self.inbox.list.selected().is_none(),
                _ => self.alerts.list.selected().is_none(),
            };
            let why = match a {
                _ if nothing => s.nothing_selected,
                Action::Accept => s.cannot_accept,
                Action::Return => s.cannot_return,
                Action::Extend => s.cannot_extend,
                Action::Done => s.cannot_done,
                Action::Note => s.cannot_note,
                _ => s.cannot_remind,
            };
            self.say(why, Tone::Info);
            return;
        }
        let n = targets.len();
        let what = if n == 1 && skipped == 0 {
            targets[0].label.clone()
        } else {
            fill(s.n_items, &[&n])
        };
        let today = self.today;
        let purpose = |action| FormPurpose::Rows {
            action,
            targets: targets.clone(),
            skipped,
        };
        let again = self.retry_texts(a, &targets).unwrap_or_default();
        let (title, fields) = match a {
            Action::Accept => {
                let cmds: Vec<Command> = targets
                    .iter()
                    .filter_map(|t| t.report.map(|(report, version)| Command::Accept { report, version }))
                    .collect();
                let label = self.label(a, &targets);
                if self.mark_counts().0 > 0 {
                    self.ask(fill(s.confirm_accept, &[&n]), skipped, Intent::Apply { cmds, label });
                } else {
                    self.submit(cmds, label, false);
                }
                return;
            }
            // Already escalated (or snoozed): the key takes it back.
            Action::Escalate if targets.iter().all(|t| t.escalated) => {
                let cmds = targets
                    .iter()
                    .map(|t| Command::Escalate {
                        item: t.item,
                        version: t.version,
                        on: false,
                        note: String::new(),
                        undoes: None,
                    })
                    .collect();
                let mut label = self.label(a, &targets);
                label.verb = Some("unescalate");
                self.ask(
                    fill(s.confirm_unescalate, &[&n]),
                    skipped,
                    Intent::Apply { cmds, label },
                );
                return;
            }
            Action::Snooze if targets.iter().all(|t| t.snoozed) => {
                let cmds = targets
                    .iter()
                    .map(|t| Command::Snooze {
                        item: t.item,
                        version: t.version,
                        until: None,
                        undoes: None,
                    })
                    .collect();
                let mut label = self.label(a, &targets);
                label.verb = Some("unsnooze");
                self.submit(cmds, label, false);
                return;
            }
            Action::Return => (
                s.form_return,
                vec![
                    Field::text(s.return_reason, MAX_REASON, true, 4).with_text(again.first()),
                    Field::date(
                        s.resubmit_by,
                        // Five days on, on a working day.
                        self.policy.calendar.roll_forward(today + Duration::days(5)),
                        Some(today),
                        Some(today + Duration::days(crate::domain::input::MAX_RESUBMIT_DAYS)),
                    )
                    .with_text(again.get(1)),
                ],
            ),
            Action::Note => (
                s.form_note,
                vec![Field::text(s.field_note, MAX_NOTE, true, 5).with_text(again.first())],
            ),
            Action::Remind => (
                s.form_remind,
                vec![
                    Field::choice(s.field_channel, s.channels.to_vec(), 0),
                    Field::text(s.field_remind_note, MAX_REASON, false, 3).with_text(again.get(1)),
                ],
            ),
            Action::Extend => {
                let from = targets.iter().filter_map(|t| t.due).max().unwrap_or(today).max(today);
                (
                    s.form_extend,
                    vec![
                        Field::date(
                            s.field_new_due,
                            from + Duration::days(7),
                            Some(today),
                            Some(today + Duration::days(crate::domain::input::MAX_EXTEND_DAYS)),
                        )
                        .with_text(again.first()),
                        Field::text(s.field_extend_reason, MAX_REASON, true, 3).with_text(again.get(1)),
                    ],
                )
            }
            Action::Done => (
                s.form_done,
                vec![Field::text(s.field_done_note, MAX_REASON, false, 3).with_text(again.first())],
            ),
            Action::Escalate => (
                s.form_escalate,
                vec![Field::text(s.field_escalate_note, MAX_REASON, false, 3).with_text(again.first())],
            ),
            Action::Snooze => (
                s.form_snooze,
                vec![
                    Field::date(
                        s.field_snooze_until,
                        today + Duration::days(7),
                        Some(today + Duration::days(1)),
                        Some(today + Duration::days(crate::domain::input::MAX_SNOOZE_DAYS)),
                    )
                    .with_text(again.first()),
                ],
            ),
            _ => return,
        };
        // Extending one item: its due date in force, in the title.
        let title = match (a, targets.as_slice()) {
            (Action::Extend, [t]) if t.due.is_some() => format!(
                "{title} · {what}（{}）",
                fill(s.extend_from, &[&t.due.map(|d| d.to_string()).unwrap_or_default()])
            ),
            _ => format!("{title} · {what}"),
        };
        self.overlays.push(Overlay::Form(Form::new(title, fields, purpose(a))));
    }

    pub(super) fn label(&self, action: Action, targets: &[Target]) -> Label {
        Label {
            action,
            items: targets.iter().map(|t| t.label.clone()).collect(),
            typed: None,
            notices: Vec::new(),
            verb: None,
        }
    }

    /// Texts to offer again in the form of `action` for `item`.
    pub(super) fn retry_for(&mut self, action: Action, item: crate::domain::ItemKey) -> Option<Vec<String>> {
        let r = self.pending.retry.take()?;
        (r.action == action && r.item == item).then_some(r.texts)
    }

    /// Texts to offer again in the form of `action` for `targets`.
    fn retry_texts(&mut self, action: Action, targets: &[Target]) -> Option<Vec<String>> {
        let r = self.pending.retry.take()?;
        (targets.len() == 1 && r.action == action && r.item == targets[0].item).then_some(r.texts)
    }

    /// Asks a yes/no question (with the count of skipped rows).
    pub(in super::super) fn ask(&mut self, message: String, skipped: usize, on_yes: Intent) {
        let s = self.lang.s();
        let mut message = message;
        if skipped > 0 {
            message.push_str(&fill(s.skipped, &[&skipped]));
        }
        self.overlays.push(Overlay::Confirm(Confirm { message, on_yes }));
    }

    pub(in super::super) fn form_key(&mut self, action: Option<Action>, ev: KeyEvent) {
        let s = self.lang.s();
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else {
            return;
        };
        match form.handle(action, ev, s) {
            FormEvent::None => {}
            FormEvent::Cancel => {
                if form.is_dirty() {
                    self.ask(s.confirm_discard.to_string(), 0, Intent::Discard);
                } else {
                    self.overlays.pop();
                }
            }
            FormEvent::Save => self.save_form(),
        }
    }

    pub(super) fn save_form(&mut self) {
        let s = self.lang.s();
        let today = self.today;
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else {
            return;
        };
        if !form.check(s, today) {
            return;
        }
        let (action, targets, skipped) = match form.purpose.clone() {
            FormPurpose::Entry(_) => return self.save_entry(),
            FormPurpose::Checklist(_) => return self.save_checklist(),
            FormPurpose::Measure(_) => return self.save_measure(),
            FormPurpose::Rows {
                action,
                targets,
                skipped,
            } => (action, targets, skipped),
        };
        let text = |i| form.text(i);
        let mut late = false;
        let mut notices = Vec::new();
        let cmds: Vec<Command> = match action {
            Action::Return => {
                let Some(date) = form.date(1, today) else { return };
                let reason = text(0);
                targets
                    .iter()
                    .filter_map(|t| {
                        t.report.map(|(report, version)| Command::Return {
                            report,
                            version,
                            reason: reason.clone(),
                            resubmit_by: date,
                        })
                    })
                    .collect()
            }
            Action::Note => targets
                .iter()
                .map(|t| Command::Note {
                    item: t.item,
                    text: text(0),
                })
                .collect(),
            Action::Remind => {
                let channel = Channel::ALL[form.choice(0).min(Channel::ALL.len() - 1)];
                if channel == Channel::Notice {
                    notices = targets.iter().map(|t| t.item).collect();
                }
                targets
                    .iter()
                    .map(|t| Command::Remind {
                        item: t.item,
                        channel,
                        note: text(1),
                    })
                    .collect()
            }
            Action::Extend => {
                let Some(to) = form.date(0, today) else { return };
                late = targets.iter().any(|t| t.overdue);
                targets
                    .iter()
                    .map(|t| Command::Extend {
                        item: t.item,
                        version: t.version,
                        to,
                        reason: text(1),
                        late: t.overdue,
                    })
                    .collect()
            }
            Action::Done => targets
                .iter()
                .map(|t| Command::Done {
                    item: t.item,
                    version: t.version,
                    note: text(0),
                })
                .collect(),
            Action::Escalate => targets
                .iter()
                .filter(|t| !t.escalated)
                .map(|t| Command::Escalate {
                    item: t.item,
                    version: t.version,
                    on: true,
                    note: text(0),
                    undoes: None,
                })
                .collect(),
            Action::Snooze => {
                let Some(until) = form.date(0, today) else { return };
                targets
                    .iter()
                    .map(|t| Command::Snooze {
                        item: t.item,
                        version: t.version,
                        until: Some(until),
                        undoes: None,
                    })
                    .collect()
            }
            _ => return,
        };
        let typed = (targets.len() == 1).then(|| Typed {
            action,
            item: targets[0].item,
            // One per field, by index (empty where nothing was typed).
            texts: (0..form.fields.len()).map(|i| form.text(i)).collect(),
        });
        let mut label = self.label(action, &targets);
        label.typed = typed;
        label.notices = notices;
        let n = targets.len();
        if late {
            // Past the due date: extending is confirmed and flagged.
            let overdue = targets.iter().filter(|t| t.overdue).count();
            self.ask(
                fill(s.confirm_late_extend, &[&overdue]),
                skipped,
                Intent::Apply { cmds, label },
            );
        } else if n > 1 || skipped > 0 {
            let template = match action {
                Action::Return => s.confirm_return,
                Action::Note => s.confirm_note,
                Action::Extend => s.confirm_extend,
                Action::Done => s.confirm_done,
                Action::Escalate => s.confirm_escalate,
                Action::Snooze => s.confirm_snooze,
                _ => s.confirm_remind,
            };
            self.ask(fill(template, &[&n]), skipped, Intent::Apply { cmds, label });
        } else {
            self.overlays.pop();
            self.submit(cmds, label, false);
        }
    }
}
