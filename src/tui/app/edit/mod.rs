//! Changing data from the console: which actions are enabled for the rows
//! they would act on (`targets.rs`), the forms they open (`forms.rs`),
//! sending commands to the writer, reporting what came back, and undo.
//!
//! An action acts on the marked rows (or, with none marked, the selected
//! one) that it applies to; the others are counted as skipped. Several rows
//! are one user action: one confirmation, one transaction, one undo.

mod checklist;
mod entry;
mod forms;
mod measures;
mod targets;

use super::parts::{Job, Reopen, UndoEntry};
use crate::tui::intent::{Intent, Label, Tone};
use std::time::Duration;

use super::App;
use crate::db::DbError;
use crate::domain::ItemKey;
use crate::i18n::fill;
use crate::ops::{Command, Outcome};
use crate::tui::action::Action;
use crate::tui::overlay::Overlay;
use crate::tui::worker::Done;

impl App {
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
    pub(super) fn submit(&mut self, cmds: Vec<Command>, label: Label, undo: bool) {
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
        if !worker.submit(id, cmds.clone()) {
            self.say(s.worker_failed, Tone::Bad);
            return;
        }
        self.pending.jobs.insert(id, Job { label, undo, cmds });
        // The rows acted on are done with: their marks go.
        self.inbox.list.marks.clear();
        self.alerts.list.marks.clear();
        self.say(s.saving, Tone::Info);
    }

    pub(super) fn undo(&mut self) {
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
        while let Some(ev) = self.worker.as_ref().and_then(|w| w.try_watched()) {
            self.on_watched(ev);
            any = true;
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

    /// Files arrived in the drop folder (imported by the writer): say what
    /// came; the reload that follows shows them.
    fn on_watched(&mut self, ev: crate::tui::worker::WatchEvent) {
        use crate::ops::intake::ImportOutcome as O;
        use crate::tui::worker::WatchEvent;
        let s = self.lang.s();
        let files = match ev {
            WatchEvent::Failed(e) => {
                self.say(fill(s.watch_failed, &[&e]), Tone::Bad);
                return;
            }
            WatchEvent::Files(f) => f,
        };
        let (text, tone) = match files.as_slice() {
            [one] => match &one.outcome {
                O::Imported {
                    unit,
                    month,
                    report: Some(_),
                    ..
                } => (fill(s.import_one, &[unit, month, &one.name]), Tone::Good),
                O::Imported { unit, month, .. } => (fill(s.import_values, &[unit, month, &one.name]), Tone::Good),
                O::Duplicate { .. } => (fill(s.import_dup, &[&one.name]), Tone::Info),
                O::Refused { refusal, .. } => (
                    fill(
                        s.import_refused,
                        &[&one.name, &crate::i18n::intake::refusal(refusal, self.lang)],
                    ),
                    Tone::Bad,
                ),
            },
            many => {
                let count = |f: fn(&O) -> bool| many.iter().filter(|r| f(&r.outcome)).count();
                let imported = count(|o| matches!(o, O::Imported { .. }));
                let dup = count(|o| matches!(o, O::Duplicate { .. }));
                let refused = count(|o| matches!(o, O::Refused { .. }));
                let tone = if refused > 0 { Tone::Bad } else { Tone::Good };
                (fill(s.import_many, &[&many.len(), &imported, &dup, &refused]), tone)
            }
        };
        self.say(text, tone);
    }

    fn finish(&mut self, done: Done) {
        if let Some(w) = &self.worker {
            w.taken();
        }
        let s = self.lang.s();
        let Some(job) = self.pending.jobs.remove(&done.id) else {
            return;
        };
        let verb = match job.label.verb {
            _ if job.undo => s.undone,
            Some(v) => s.audit_action(v),
            None => s.action(job.label.action).0,
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
        // Reminders given as written notices: the notices are saved as files.
        if !job.undo && !job.label.notices.is_empty() && applied > 0 {
            let done: Vec<ItemKey> = outcomes
                .iter()
                .filter_map(|o| match o {
                    Outcome::Applied(a) if job.label.notices.contains(&a.item) => Some(a.item),
                    _ => None,
                })
                .collect();
            let mut saved: Vec<std::path::PathBuf> = Vec::new();
            for key in done {
                if let Some(r) = self.alerts.all().iter().find(|r| r.key == key) {
                    let item = crate::present::title(r, s);
                    let text = crate::notice::fill(
                        crate::notice::TEMPLATE,
                        r,
                        &item,
                        &self.office,
                        self.today,
                        self.policy.calendar.enabled,
                    );
                    if let Ok(p) = crate::notice::save(&self.office.notices_dir, r, self.today, &text) {
                        saved.push(p);
                    }
                }
            }
            let dir = self.office.notices_dir.display().to_string();
            // The file's name first: a narrow status line still shows it.
            self.pending.notice_message = Some(match saved.as_slice() {
                [] => s.notice_failed.to_string(),
                [one] => {
                    let name = one
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    fill(s.notice_saved_one, &[&name, &dir])
                }
                many => fill(s.notices_saved, &[&many.len(), &dir]),
            });
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
                Outcome::Applied(a) => {
                    let item = job.label.item().unwrap_or_default().to_string();
                    let what = if job.undo {
                        format!("{} {item}", s.action(job.label.action).0)
                    } else {
                        item
                    };
                    let hint = if job.undo || a.undo.is_none() { "" } else { s.undo_hint };
                    let notice = self
                        .pending
                        .notice_message
                        .take()
                        .map(|m| format!(" · {m}"))
                        .unwrap_or_default();
                    self.say(
                        format!("{}{hint}{notice}", fill(s.done_one, &[&verb, &what])),
                        Tone::Good,
                    );
                    return;
                }
                Outcome::Conflict(c) if matches!(c.item, ItemKey::Authority(_)) && !job.undo => {
                    // Someone else changed the item first: their version is shown.
                    let ItemKey::Authority(id) = c.item else { unreachable!() };
                    self.report(|app| app.poll_external().map(|_| ()));
                    self.show_their_version(id);
                    match &c.by {
                        Some(_) => {
                            let (user, at, action) = who(c);
                            format!("{prefix}{}", fill(s.conflict_by, &[&user, &at, &action]))
                        }
                        None => format!("{prefix}{}", s.conflict_anon),
                    }
                }
                Outcome::Conflict(c) => match &c.by {
                    Some(_) => {
                        let (user, at, action) = who(c);
                        format!("{prefix}{}", fill(s.conflict_by, &[&user, &at, &action]))
                    }
                    None => format!("{prefix}{}", s.conflict_anon),
                },
                Outcome::Refused(r) => match job.cmds.first() {
                    Some(cmd) => format!("{prefix}{}", s.refusal_for(r, cmd)),
                    None => format!("{prefix}{}", s.refusal(r)),
                },
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
        // A form's texts are offered again when its change was not made:
        // its form opens again on the row, once the row is read afresh
        // when someone else changed it (so a new save carries its version).
        if applied == 0 {
            self.pending.retry = job.label.typed.clone();
        }
        let reopen = (applied == 0 && !job.undo)
            .then_some(job.label.typed.as_ref())
            .flatten()
            .filter(|_| {
                matches!(
                    self.pane,
                    crate::tui::panes::Pane::Inbox | crate::tui::panes::Pane::Alerts
                )
            })
            .map(|t| (t.action, t.item));
        let tone = if conflicts + refused == 0 {
            Tone::Good
        } else {
            Tone::Bad
        };
        let notice = self
            .pending
            .notice_message
            .take()
            .map(|m| format!(" · {m}"))
            .unwrap_or_default();
        self.say(format!("{text}{notice}"), tone);
        if let Some((action, item)) = reopen {
            // Rows read in the background come later; read here, or
            // unchanged, they are current now.
            let mut later = false;
            if conflicts > 0 {
                match self.poll_external() {
                    Ok(reloaded) => later = reloaded && self.loader.is_some(),
                    Err(e) => self.fail(&e),
                }
            }
            self.pending.reopen = Some(Reopen {
                action,
                item,
                pane: self.pane,
                after: self.loads.seq,
            });
            if !later {
                self.reopen_form();
            }
        }
    }

    /// Opens again the form whose change was not made, on its row, with
    /// what was typed, once the reading asked for after the conflict has
    /// come (`answered`: the last reading done). Nothing happens when the
    /// user has gone elsewhere meanwhile or the row is gone.
    pub(in super::super) fn reopen_form_after(&mut self, answered: u64) {
        if self.pending.reopen.as_ref().is_some_and(|r| answered >= r.after) {
            self.reopen_form();
        }
    }

    fn reopen_form(&mut self) {
        let Some(r) = self.pending.reopen.take() else {
            return;
        };
        if self.pane != r.pane || !self.overlays.is_empty() {
            return;
        }
        let s = self.lang.s();
        let page = self.page_of(r.pane);
        let found = match r.pane {
            crate::tui::panes::Pane::Inbox => self.inbox.list.select_key(&r.item, s, page),
            crate::tui::panes::Pane::Alerts => self.alerts.list.select_key(&r.item, s, page),
            _ => false,
        };
        if !found {
            return;
        }
        // The message saying why stays under the form.
        let said = self.message.take();
        self.edit(r.action);
        if self.message.is_none() {
            self.message = said;
        }
    }
}
