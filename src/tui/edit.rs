//! Changing data from the console: which actions are enabled for the rows
//! they would act on, the forms and questions they open, sending commands to
//! the writer, reporting what came back, and undo.
//!
//! An action acts on the marked rows (or, with none marked, the selected
//! one) that it applies to; the others are counted as skipped. Several rows
//! are one user action: one confirmation, one transaction, one undo.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use crossterm::event::KeyEvent;

use super::action::Action;
use super::app::{App, Tone};
use super::i18n::fill;
use super::overlay::{Confirm, Field, Form, FormEvent, Overlay};
use super::panes::{self, Pane};
use super::worker::Done;
use crate::db::DbError;
use crate::domain::input::{MAX_NOTE, MAX_REASON};
use crate::domain::{Channel, ItemKey};
use crate::ops::{Command, Outcome};

/// A row an action targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub item: ItemKey,
    /// The report row and the version shown, when the item has one.
    pub report: Option<(i64, i64)>,
    /// How the row is named in messages ("科技厅 2026-10").
    pub label: String,
}

/// What a form's values are for.
#[derive(Debug, Clone, PartialEq)]
pub enum FormPurpose {
    Return(Vec<Target>, usize),
    Note(Vec<Target>, usize),
    Remind(Vec<Target>, usize),
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

struct Job {
    label: Label,
    undo: bool,
}

struct UndoEntry {
    label: Label,
    cmds: Vec<Command>,
}

/// Jobs sent to the writer, the undo stack, and our own audit rows.
#[derive(Default)]
pub struct Pending {
    next_id: u64,
    jobs: HashMap<u64, Job>,
    undo: Vec<UndoEntry>,
    /// Audit rows this console wrote since the last reload.
    pub own_audit: HashSet<i64>,
    /// Texts of a form whose change was not made (conflict, refusal): the
    /// same form on the same row opens with them again.
    retry: Option<Typed>,
}

impl App {
    /// Whether an action does something now: in this pane, for these rows,
    /// with this database. Help and the footer list only these.
    pub fn enabled(&self, a: Action) -> bool {
        match a {
            Action::Left | Action::Right => matches!(self.pane, Pane::Inbox | Pane::Matrix),
            Action::Accept | Action::Return | Action::Note | Action::Remind => {
                !self.read_only && self.pane == Pane::Inbox && self.inbox_targets(a).0 > 0
            }
            Action::Mark | Action::MarkAll => {
                !self.read_only && self.pane == Pane::Inbox && !self.inbox.list.view.is_empty()
            }
            Action::Undo => !self.read_only && !self.pending.undo.is_empty(),
            _ => true,
        }
    }

    /// (rows the action applies to, rows it does not) among the targets.
    fn inbox_targets(&self, a: Action) -> (usize, usize) {
        let t = self.inbox.list.targets();
        let ok = t.iter().filter(|r| panes::inbox::applies(a, r)).count();
        (ok, t.len() - ok)
    }

    fn targets(&self, a: Action) -> (Vec<Target>, usize) {
        let all = self.inbox.list.targets();
        let total = all.len();
        let ok: Vec<Target> = all
            .into_iter()
            .filter(|r| panes::inbox::applies(a, r))
            .map(|r| Target {
                item: r.key(),
                report: r.report_id.map(|id| (id, r.version)),
                label: format!("{} {}", r.unit, r.month),
            })
            .collect();
        let skipped = total - ok.len();
        (ok, skipped)
    }

    /// An edit key in a pane.
    pub(super) fn edit(&mut self, a: Action) {
        let s = self.lang.s();
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
        if self.pane != Pane::Inbox {
            return;
        }
        let (targets, skipped) = self.targets(a);
        if targets.is_empty() {
            let why = match a {
                _ if self.inbox.list.selected().is_none() => s.nothing_selected,
                Action::Accept => s.cannot_accept,
                Action::Return => s.cannot_return,
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
        match a {
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
            }
            Action::Return => {
                let again = self.retry_texts(a, &targets).unwrap_or_default();
                let fields = vec![
                    Field::text(s.return_reason, MAX_REASON, true, 4).with_text(again.first()),
                    Field::date(
                        s.resubmit_by,
                        self.today + chrono::Duration::days(5),
                        Some(self.today),
                        Some(self.today + chrono::Duration::days(crate::domain::input::MAX_RESUBMIT_DAYS)),
                    ),
                ];
                let title = format!("{} · {what}", s.form_return);
                self.overlays.push(Overlay::Form(Form::new(
                    title,
                    fields,
                    FormPurpose::Return(targets, skipped),
                )));
            }
            Action::Note => {
                let again = self.retry_texts(a, &targets).unwrap_or_default();
                let fields = vec![Field::text(s.field_note, MAX_NOTE, true, 5).with_text(again.first())];
                let title = format!("{} · {what}", s.form_note);
                self.overlays.push(Overlay::Form(Form::new(
                    title,
                    fields,
                    FormPurpose::Note(targets, skipped),
                )));
            }
            Action::Remind => {
                let again = self.retry_texts(a, &targets).unwrap_or_default();
                let fields = vec![
                    Field::choice(s.field_channel, s.channels.to_vec(), 0),
                    Field::text(s.field_remind_note, MAX_REASON, false, 3).with_text(again.first()),
                ];
                let title = format!("{} · {what}", s.form_remind);
                self.overlays.push(Overlay::Form(Form::new(
                    title,
                    fields,
                    FormPurpose::Remind(targets, skipped),
                )));
            }
            _ => {}
        }
    }

    fn label(&self, action: Action, targets: &[Target]) -> Label {
        Label {
            action,
            items: targets.iter().map(|t| t.label.clone()).collect(),
            typed: None,
        }
    }

    /// Texts to offer again in the form of `action` for `targets`.
    fn retry_texts(&mut self, action: Action, targets: &[Target]) -> Option<Vec<String>> {
        let r = self.pending.retry.take()?;
        (targets.len() == 1 && r.action == action && r.item == targets[0].item).then_some(r.texts)
    }

    /// Asks a yes/no question (with the count of skipped rows).
    fn ask(&mut self, message: String, skipped: usize, on_yes: Intent) {
        let s = self.lang.s();
        let mut message = message;
        if skipped > 0 {
            message.push_str(&fill(s.skipped, &[&skipped]));
        }
        self.overlays.push(Overlay::Confirm(Confirm { message, on_yes }));
    }

    pub(super) fn form_key(&mut self, action: Option<Action>, ev: KeyEvent) {
        let s = self.lang.s();
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else {
            return;
        };
        match form.handle(action, ev, s) {
            FormEvent::None => {}
            FormEvent::Cancel => {
                if form.is_dirty() {
                    let s = self.lang.s();
                    self.ask(s.confirm_discard.to_string(), 0, Intent::Discard);
                } else {
                    self.overlays.pop();
                }
            }
            FormEvent::Save => self.save_form(),
        }
    }

    fn save_form(&mut self) {
        let s = self.lang.s();
        let today = self.today;
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else {
            return;
        };
        if !form.check(s, today) {
            return;
        }
        let (cmds, action, targets, skipped) = match &form.purpose {
            FormPurpose::Return(targets, skipped) => {
                let Some(date) = form.date(1, today) else { return };
                let reason = form.text(0);
                let cmds = targets
                    .iter()
                    .filter_map(|t| {
                        t.report.map(|(report, version)| Command::Return {
                            report,
                            version,
                            reason: reason.clone(),
                            resubmit_by: date,
                        })
                    })
                    .collect::<Vec<_>>();
                (cmds, Action::Return, targets.clone(), *skipped)
            }
            FormPurpose::Note(targets, skipped) => {
                let text = form.text(0);
                let cmds = targets
                    .iter()
                    .map(|t| Command::Note {
                        item: t.item,
                        text: text.clone(),
                    })
                    .collect();
                (cmds, Action::Note, targets.clone(), *skipped)
            }
            FormPurpose::Remind(targets, skipped) => {
                let channel = Channel::ALL[form.choice(0).min(Channel::ALL.len() - 1)];
                let note = form.text(1);
                let cmds = targets
                    .iter()
                    .map(|t| Command::Remind {
                        item: t.item,
                        channel,
                        note: note.clone(),
                    })
                    .collect();
                (cmds, Action::Remind, targets.clone(), *skipped)
            }
        };
        let mut label = self.label(action, &targets);
        if targets.len() == 1
            && let Some(Overlay::Form(form)) = self.overlays.last()
        {
            let texts = (0..form.fields.len())
                .map(|i| form.text(i))
                .filter(|t| !t.is_empty())
                .collect();
            label.typed = Some(Typed {
                action,
                item: targets[0].item,
                texts,
            });
        }
        if targets.len() > 1 || skipped > 0 {
            let template = match action {
                Action::Return => s.confirm_return,
                Action::Note => s.confirm_note,
                _ => s.confirm_remind,
            };
            self.ask(
                fill(template, &[&targets.len()]),
                skipped,
                Intent::Apply { cmds, label },
            );
        } else {
            self.overlays.pop();
            self.submit(cmds, label, false);
        }
    }

    pub(super) fn confirm_key(&mut self, action: Option<Action>) {
        match action {
            Some(Action::Yes) => {
                let Some(Overlay::Confirm(c)) = self.overlays.pop() else {
                    return;
                };
                // The form the question came from closes with it.
                if matches!(self.overlays.last(), Some(Overlay::Form(_))) {
                    self.overlays.pop();
                }
                match c.on_yes {
                    Intent::Apply { cmds, label } => self.submit(cmds, label, false),
                    Intent::Undo => self.undo_now(),
                    Intent::Discard => {}
                }
            }
            Some(Action::No) => {
                self.overlays.pop();
            }
            _ => {}
        }
    }

    /// Sends commands to the writer; the result comes back in [`App::on_worker`].
    fn submit(&mut self, cmds: Vec<Command>, label: Label, undo: bool) {
        let s = self.lang.s();
        if cmds.is_empty() {
            return;
        }
        let Some(worker) = &self.worker else {
            self.say(s.worker_failed, Tone::Bad);
            return;
        };
        let id = self.pending.next_id;
        self.pending.next_id += 1;
        if !worker.submit(id, cmds) {
            self.say(s.worker_failed, Tone::Bad);
            return;
        }
        self.pending.jobs.insert(id, Job { label, undo });
        // The rows acted on are done with: their marks go.
        self.inbox.list.marks.clear();
        self.say(s.saving, Tone::Info);
    }

    fn undo(&mut self) {
        let s = self.lang.s();
        let Some(entry) = self.pending.undo.last() else {
            self.say(s.nothing_to_undo, Tone::Info);
            return;
        };
        // Undoing several rows at once asks first.
        if entry.cmds.len() > 1 {
            let what = s.action(entry.label.action).0;
            let n = entry.cmds.len();
            self.ask(fill(s.confirm_undo, &[&n, &what]), 0, Intent::Undo);
            return;
        }
        self.undo_now();
    }

    fn undo_now(&mut self) {
        if let Some(entry) = self.pending.undo.pop() {
            self.submit(entry.cmds, entry.label, true);
        }
    }

    /// Takes every finished job from the writer.
    pub fn on_worker(&mut self) {
        let mut any = false;
        loop {
            let Some(done) = self.worker.as_ref().and_then(|w| w.try_recv()) else {
                break;
            };
            self.finish(done);
            any = true;
        }
        if let Some(w) = &self.worker {
            w.drain_wake();
        }
        if any {
            self.report(|app| app.poll_external().map(|_| ()));
        }
    }

    /// Waits up to `timeout` for the writer's next result and takes it
    /// (tests, and quitting while a change is being saved).
    pub fn wait_worker(&mut self, timeout: Duration) -> bool {
        let Some(done) = self.worker.as_ref().and_then(|w| w.recv_timeout(timeout)) else {
            return false;
        };
        self.finish(done);
        self.on_worker();
        self.report(|app| app.poll_external().map(|_| ()));
        true
    }

    fn finish(&mut self, done: Done) {
        if let Some(w) = &self.worker {
            w.taken();
        }
        let s = self.lang.s();
        let Some(job) = self.pending.jobs.remove(&done.id) else {
            return;
        };
        let verb = if job.undo {
            s.undone
        } else {
            s.action(job.label.action).0
        };
        let batch = match done.result {
            Ok(b) => b,
            Err(e) => {
                self.pending.retry = job.label.typed.clone();
                let text = match &e {
                    DbError::Busy(Some(who)) => fill(s.busy_who, &[who]),
                    DbError::Busy(None) => s.busy.to_string(),
                    DbError::ReadOnly => s.read_only_no_edit.to_string(),
                    other => format!("{}：{other}", s.failed),
                };
                self.say(text, Tone::Bad);
                return;
            }
        };
        self.pending.own_audit.extend(batch.audit_ids.iter().copied());
        let outcomes = &batch.outcomes;
        let applied = outcomes.iter().filter(|o| o.is_applied()).count();
        let conflicts = outcomes.iter().filter(|o| matches!(o, Outcome::Conflict(_))).count();
        let refused = outcomes.len() - applied - conflicts;
        if !job.undo {
            // Undo reverses the applied ones, last first.
            let cmds: Vec<Command> = outcomes
                .iter()
                .rev()
                .filter_map(|o| match o {
                    Outcome::Applied(a) => a.undo.clone(),
                    _ => None,
                })
                .collect();
            if !cmds.is_empty() {
                self.pending.undo.push(UndoEntry {
                    label: job.label.clone(),
                    cmds,
                });
            }
        }
        let prefix = if job.undo { s.not_undone } else { s.not_saved };
        let who = |c: &crate::ops::Conflict| match &c.by {
            Some((user, at, action)) => (
                user.clone(),
                crate::text::local_time(at),
                s.audit_action(action).to_string(),
            ),
            None => ("?".to_string(), "?".to_string(), String::new()),
        };
        let text = if outcomes.len() == 1 {
            match &outcomes[0] {
                Outcome::Applied(_) => {
                    let item = job.label.item().unwrap_or_default().to_string();
                    let what = if job.undo {
                        format!("{} {item}", s.action(job.label.action).0)
                    } else {
                        item
                    };
                    let hint = if job.undo { "" } else { s.undo_hint };
                    self.say(format!("{}{hint}", fill(s.done_one, &[&verb, &what])), Tone::Good);
                    return;
                }
                Outcome::Conflict(c) => match &c.by {
                    Some(_) => {
                        let (user, at, action) = who(c);
                        format!("{prefix}{}", fill(s.conflict_by, &[&user, &at, &action]))
                    }
                    None => format!("{prefix}{}", s.conflict_anon),
                },
                Outcome::Refused(r) => format!("{prefix}{}", s.refusal(r)),
            }
        } else {
            let mut parts = vec![fill(s.n_ok, &[&applied])];
            if let Some((i, Outcome::Conflict(c))) = outcomes
                .iter()
                .enumerate()
                .find(|(_, o)| matches!(o, Outcome::Conflict(_)))
            {
                let (user, at, _) = who(c);
                let item = job.label.items.get(i).cloned().unwrap_or_default();
                parts.push(fill(s.n_conflict, &[&conflicts, &item, &user, &at]));
            }
            if refused > 0 {
                parts.push(fill(s.n_refused, &[&refused]));
            }
            let hint = if applied > 0 && !job.undo { s.undo_hint } else { "" };
            format!(
                "{}{hint}",
                fill(s.done_many, &[&verb, &outcomes.len(), &parts.join("，")])
            )
        };
        // A form's texts are offered again when its change was not made.
        if applied == 0 {
            self.pending.retry = job.label.typed.clone();
        }
        let tone = if conflicts + refused == 0 {
            Tone::Good
        } else {
            Tone::Bad
        };
        self.say(text, tone);
    }
}
