//! The checklist's changes in the console: `>` moves an item one step
//! (after a question; a step that needs a 文号 opens the form), `S` sets any
//! status the workflow allows, `N` adds an item, Enter edits one. Each goes
//! through the write path; a change someone else made first is not
//! overwritten, and their version is shown.

use crate::tui::intent::{ChecklistForm, FormPurpose, Intent, Label, Tone, Typed};
use chrono::NaiveDate;

use super::super::App;
use crate::db;
use crate::db::checklist::{AuthorityFields, AuthorityRow};
use crate::domain::input::{MAX_NOTE, MAX_REASON};
use crate::domain::{AuthorityDomain, AuthorityLevel, AuthorityStatus, UnitKind};
use crate::i18n::fill;
use crate::ops::Command;
use crate::tui::action::Action;
use crate::tui::overlay::{Detail, DetailKind, Field, Form, Overlay};
use crate::tui::panes::Pane;
use crate::tui::panes::checklist::{CheckRow, ChecklistView};

fn item_label(r: &AuthorityRow) -> String {
    format!("{} · {}", r.zone_short, r.name)
}

impl App {
    fn checklist_ready(&mut self) -> bool {
        let s = self.lang.s();
        if self.pane != Pane::Checklist {
            return false;
        }
        if self.checklist.view != ChecklistView::Zones {
            self.say(s.view_only, Tone::Info);
            return false;
        }
        if self.read_only {
            self.say(s.read_only_no_edit, Tone::Bad);
            return false;
        }
        if self.writing() {
            self.say(s.busy_writing, Tone::Info);
            return false;
        }
        true
    }

    /// `>`: the selected (or marked) items one step on, after a question.
    pub(in super::super) fn advance(&mut self) {
        if !self.checklist_ready() {
            return;
        }
        let s = self.lang.s();
        let targets: Vec<AuthorityRow> = self
            .checklist
            .list
            .targets()
            .into_iter()
            .filter_map(|r| r.item().cloned())
            .collect();
        let movable: Vec<(AuthorityRow, AuthorityStatus)> = targets
            .iter()
            .filter_map(|r| r.status.next().map(|n| (r.clone(), n)))
            .collect();
        if movable.is_empty() {
            self.say(s.cannot_advance, Tone::Info);
            return;
        }
        // One item whose next step needs a 文号: the form asks for it.
        if let [(r, next)] = movable.as_slice()
            && next.needs_doc()
            && r.doc_no.trim().is_empty()
        {
            let r = r.clone();
            self.open_status_form(&r, Some(*next));
            return;
        }
        let skipped = targets.len() - movable.len();
        let needs_doc = movable
            .iter()
            .filter(|(r, n)| n.needs_doc() && r.doc_no.trim().is_empty())
            .count();
        let cmds: Vec<Command> = movable
            .iter()
            .map(|(r, n)| Command::AuthorityMove {
                item: r.id,
                version: r.version,
                to: *n,
                date: self.today,
                doc_no: String::new(),
                note: String::new(),
                undoes: None,
            })
            .collect();
        let label = Label {
            action: Action::Advance,
            items: movable.iter().map(|(r, _)| item_label(r)).collect(),
            typed: None,
            notices: Vec::new(),
            verb: Some("authority_status"),
        };
        let question = match movable.as_slice() {
            [(r, n)] => fill(
                s.confirm_advance_one,
                &[&item_label(r), &s.authority(r.status), &s.authority(*n)],
            ),
            many => fill(s.confirm_advance, &[&many.len()]),
        };
        let mut question = question;
        if needs_doc > 0 {
            question.push_str(&fill(s.advance_needs_doc, &[&needs_doc]));
        }
        self.ask(question, skipped, Intent::Apply { cmds, label });
    }

    /// `S`: any status the workflow allows for the selected item.
    pub(in super::super) fn set_status(&mut self) {
        if !self.checklist_ready() {
            return;
        }
        let Some(r) = self.checklist.selected_item().cloned() else {
            self.say(self.lang.s().nothing_selected, Tone::Info);
            return;
        };
        self.open_status_form(&r, None);
    }

    fn open_status_form(&mut self, r: &AuthorityRow, preset: Option<AuthorityStatus>) {
        let s = self.lang.s();
        let moves = r.status.moves();
        if moves.is_empty() {
            self.say(s.status_final, Tone::Info);
            return;
        }
        let chosen = preset
            .and_then(|p| moves.iter().position(|m| *m == p))
            .or_else(|| r.status.next().and_then(|n| moves.iter().position(|m| *m == n)))
            .unwrap_or(0);
        let options: Vec<String> = moves.iter().map(|m| s.authority(*m).to_string()).collect();
        let today = self.today;
        let again = self
            .retry_for(Action::SetStatus, crate::domain::ItemKey::Authority(r.id))
            .unwrap_or_default();
        let fields = vec![
            Field::choice(s.field_new_status, options, chosen),
            Field::date(
                s.field_effective_date,
                today,
                Some(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(today)),
                Some(today),
            )
            .with_text(again.get(1)),
            Field::text(s.col_doc_no, crate::domain::input::MAX_DOC_NO, false, 1)
                .with_rule(s.doc_no_rule)
                .prefilled(&r.doc_no)
                .with_text(again.get(2)),
            Field::text(s.field_status_note, MAX_REASON, false, 3).with_text(again.get(3)),
        ];
        let title = fill(s.form_status, &[&item_label(r), &s.authority(r.status)]);
        let purpose = FormPurpose::Checklist(Box::new(ChecklistForm::Status {
            item: r.id,
            version: r.version,
            label: item_label(r),
            moves,
        }));
        self.overlays.push(Overlay::Form(Form::new(title, fields, purpose)));
    }

    /// `N` (a new item) or Enter on an item (edit it).
    pub(in super::super) fn item_form(&mut self, edit: bool) {
        if !self.checklist_ready() {
            return;
        }
        let s = self.lang.s();
        let read = (|| -> db::Result<_> {
            let zones = db::units::of_kind(&self.conn, UnitKind::Zone)?;
            let depts = db::units::of_kind(&self.conn, UnitKind::Department)?;
            Ok((zones, depts))
        })();
        let (zones, depts) = match read {
            Ok(x) => x,
            Err(e) => {
                self.fail(&e);
                return;
            }
        };
        let current = if edit {
            let Some(r) = self.checklist.selected_item().cloned() else {
                self.say(s.nothing_selected, Tone::Info);
                return;
            };
            match db::checklist::fields(&self.conn, r.id) {
                Ok(Some((f, v))) => Some((r.id, v, f, r)),
                Ok(None) => return,
                Err(e) => {
                    self.fail(&e);
                    return;
                }
            }
        } else {
            None
        };
        // A new item starts in the zone of the selected line.
        let zone_now = match &current {
            Some((_, _, f, _)) => Some(f.zone_id),
            None => self.checklist.list.selected().map(CheckRow::zone_id),
        };
        let zi = zone_now.and_then(|z| zones.iter().position(|u| u.id == z)).unwrap_or(0);
        let f = current.as_ref().map(|c| &c.2);
        let di = f
            .and_then(|f| AuthorityDomain::ALL.iter().position(|d| *d == f.domain))
            .unwrap_or(0);
        let li = f
            .and_then(|f| AuthorityLevel::ALL.iter().position(|l| *l == f.level))
            .unwrap_or(0);
        let mut grantors: Vec<Option<i64>> = vec![None];
        grantors.extend(depts.iter().map(|d| Some(d.id)));
        let gi = f
            .and_then(|f| grantors.iter().position(|g| *g == f.grantor_id))
            .unwrap_or(0);
        let mut gnames = vec![s.not_recorded.to_string()];
        gnames.extend(depts.iter().map(|d| d.full_name.clone()));
        let today = self.today;
        let fields = vec![
            Field::choice(s.col_zone, zones.iter().map(|z| z.full_name.clone()).collect(), zi),
            Field::choice(
                s.col_domain,
                AuthorityDomain::ALL.iter().map(|d| s.domain(*d)).collect(),
                di,
            ),
            Field::choice(
                s.col_level,
                AuthorityLevel::ALL.iter().map(|l| s.level(*l)).collect(),
                li,
            ),
            Field::text(s.col_item, crate::domain::input::MAX_ITEM_NAME, true, 1)
                .prefilled(f.map(|f| f.name.as_str()).unwrap_or("")),
            Field::choice(s.col_grantor, gnames, gi),
            Field::date_opt(
                s.col_due,
                f.and_then(|f| f.due_date),
                None,
                Some(today + chrono::Duration::days(5 * 366)),
            ),
            Field::text(s.note, MAX_NOTE, false, 3).prefilled(f.map(|f| f.note.as_str()).unwrap_or("")),
        ];
        let title = match &current {
            Some((_, _, _, r)) => fill(s.form_edit_item, &[&item_label(r)]),
            None => s.form_new_item.to_string(),
        };
        let purpose = FormPurpose::Checklist(Box::new(ChecklistForm::Item {
            item: current.as_ref().map(|c| (c.0, c.1)),
            zones: zones.iter().map(|z| z.id).collect(),
            grantors,
        }));
        self.overlays.push(Overlay::Form(Form::new(title, fields, purpose)));
    }

    /// Saves a checklist form (after the form's own checks passed).
    pub(super) fn save_checklist(&mut self) {
        let s = self.lang.s();
        let today = self.today;
        let Some(Overlay::Form(form)) = self.overlays.last() else {
            return;
        };
        let FormPurpose::Checklist(kind) = form.purpose.clone() else {
            return;
        };
        let (cmd, label) = match *kind {
            ChecklistForm::Status {
                item,
                version,
                label,
                moves,
            } => {
                let to = moves[form.choice(0).min(moves.len() - 1)];
                let Some(date) = form.date(1, today) else { return };
                // The workflow's needs, under their fields before anything is sent.
                let has_doc = self
                    .checklist
                    .all
                    .iter()
                    .any(|r| r.id == item && !r.doc_no.trim().is_empty());
                if to.needs_doc() && !has_doc && form.text(2).is_empty() {
                    let msg = s.refusal(&crate::ops::Refusal::NeedsDocNo);
                    if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                        f.set_error(2, msg);
                    }
                    return;
                }
                if to.needs_reason() && form.text(3).is_empty() {
                    let msg = s.refusal(&crate::ops::Refusal::NeedsReason);
                    if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                        f.set_error(3, msg);
                    }
                    return;
                }
                (
                    Command::AuthorityMove {
                        item,
                        version,
                        to,
                        date,
                        doc_no: form.text(2),
                        note: form.text(3),
                        undoes: None,
                    },
                    Label {
                        action: Action::SetStatus,
                        items: vec![label],
                        typed: Some(Typed {
                            action: Action::SetStatus,
                            item: crate::domain::ItemKey::Authority(item),
                            texts: (0..4).map(|i| form.text(i)).collect(),
                        }),
                        notices: Vec::new(),
                        verb: Some("authority_status"),
                    },
                )
            }
            ChecklistForm::Item { item, zones, grantors } => {
                let fields = AuthorityFields {
                    zone_id: zones[form.choice(0).min(zones.len().saturating_sub(1))],
                    domain: AuthorityDomain::ALL[form.choice(1).min(8)],
                    level: AuthorityLevel::ALL[form.choice(2).min(1)],
                    name: form.text(3),
                    grantor_id: grantors.get(form.choice(4)).copied().flatten(),
                    due_date: if form.text(5).is_empty() {
                        None
                    } else {
                        form.date(5, today)
                    },
                    note: form.text(6),
                };
                let name = fields.name.clone();
                match item {
                    Some((id, version)) => (
                        Command::AuthorityEdit {
                            item: id,
                            version,
                            fields: Box::new(fields),
                            undoes: None,
                        },
                        Label {
                            action: Action::Open,
                            items: vec![name],
                            typed: None,
                            notices: Vec::new(),
                            verb: Some("authority_edit"),
                        },
                    ),
                    None => (
                        Command::AuthorityAdd {
                            fields: Box::new(fields),
                        },
                        Label {
                            action: Action::NewItem,
                            items: vec![name],
                            typed: None,
                            notices: Vec::new(),
                            verb: Some("authority_add"),
                        },
                    ),
                }
            }
        };
        self.overlays.pop();
        self.submit(vec![cmd], label, false);
    }

    /// After a change to an authority item met someone else's: show the
    /// item as it is now.
    pub(super) fn show_their_version(&mut self, id: i64) {
        if self.pane != Pane::Checklist {
            return;
        }
        self.load_authority_history(id);
        self.overlays.push(Overlay::Detail(Detail {
            kind: DetailKind::Authority(id),
            scroll: 0,
            pick: 0,
        }));
    }
}
