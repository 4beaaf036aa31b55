//! `e` in the inbox: a paper report typed in by hand. One form for the
//! selected unit and month: the summary, the contact, each article the unit
//! is named in (a status — 未填 leaves it out — and its texts) and each
//! indicator it reports. Prefilled from the latest version when there is
//! one. Saved through the write path after the same checks as a file
//! ([`crate::intake::doc::check_report`]); a problem is shown under the
//! field it is about.

use super::super::App;
use crate::db;
use crate::domain::Progress;
use crate::i18n::fill;
use crate::intake::doc::{At, MAX_CONTACT, MAX_SUMMARY, MAX_TEXT, RawItem, RawReport, RawValue, Scalar, check_report};
use crate::ops::Command;
use crate::tui::action::Action;
use crate::tui::intent::{EntryLayout, FormPurpose, Label, Tone};
use crate::tui::overlay::{Field, Form, Overlay};
use crate::tui::panes::Pane;
use crate::tui::panes::inbox::InboxView;

/// The status choices: left out, then the three statuses.
const STATUS: [Option<Progress>; 4] = [
    None,
    Some(Progress::OnTrack),
    Some(Progress::Lagging),
    Some(Progress::Done),
];

impl App {
    /// Opens the entry form for the inbox's selected unit-month.
    pub(in super::super) fn enter_report(&mut self) {
        let s = self.lang.s();
        if self.pane != Pane::Inbox || self.inbox.view != InboxView::Month {
            return;
        }
        if self.read_only {
            self.say(s.read_only_no_edit, Tone::Bad);
            return;
        }
        if self.writing() {
            self.say(s.busy_writing, Tone::Info);
            return;
        }
        let Some(row) = self.inbox.list.selected().cloned() else {
            self.say(s.nothing_selected, Tone::Info);
            return;
        };
        let read = (|| -> db::Result<_> {
            let t = db::intake::unit_template(&self.conn, row.unit_id, row.unit(), row.month)?;
            let latest = match row.report_id {
                Some(id) => db::inbox::report_detail(&self.conn, id)?,
                None => None,
            };
            Ok((t, latest))
        })();
        let (t, latest) = match read {
            Ok(x) => x,
            Err(e) => {
                self.fail(&e);
                return;
            }
        };
        let mut fields = Vec::new();
        let mut add = |f: Field| {
            fields.push(f);
            fields.len() - 1
        };
        let prev = latest.as_ref();
        let summary =
            add(Field::text(s.summary, MAX_SUMMARY, true, 4).prefilled(prev.map(|d| d.summary.as_str()).unwrap_or("")));
        let contact = add(Field::text(s.contact, MAX_CONTACT, false, 1)
            .prefilled(prev.map(|d| d.contact_name.as_str()).unwrap_or("")));
        let phone =
            add(Field::text(s.phone, MAX_CONTACT, false, 1)
                .prefilled(prev.map(|d| d.contact_phone.as_str()).unwrap_or("")));
        // The unit's own articles, then any other article the last version had.
        let mut nos: Vec<(i64, String)> = t.articles.iter().map(|a| (a.no, a.title.clone())).collect();
        if let Some(d) = prev {
            for it in &d.items {
                if !nos.iter().any(|(n, _)| *n == it.article_no) {
                    nos.push((it.article_no, it.article_title.clone()));
                }
            }
        }
        let options: Vec<&'static str> = std::iter::once(s.not_filled)
            .chain(Progress::ALL.iter().map(|p| s.progress(*p)))
            .collect();
        let mut articles = Vec::new();
        for (no, title) in nos {
            let old = prev.and_then(|d| d.items.iter().find(|i| i.article_no == no));
            let chosen = old
                .and_then(|i| STATUS.iter().position(|x| *x == Some(i.status)))
                .unwrap_or(0);
            let head = format!("{} {}", s.article(no), crate::text::one_line(&title));
            let st = add(Field::choice(head, options.clone(), chosen));
            let pr = add(Field::text(format!("  {}", s.progress_label), MAX_TEXT, false, 2)
                .prefilled(old.map(|i| i.progress.as_str()).unwrap_or("")));
            let di = add(Field::text(format!("  {}", s.difficulties), MAX_TEXT, false, 1)
                .prefilled(old.map(|i| i.difficulties.as_str()).unwrap_or("")));
            let nx = add(Field::text(format!("  {}", s.next_steps), MAX_TEXT, false, 1)
                .prefilled(old.map(|i| i.next_steps.as_str()).unwrap_or("")));
            articles.push((no, [st, pr, di, nx]));
        }
        let mut indicators = Vec::new();
        for i in &t.indicators {
            let old = prev
                .and_then(|d| d.indicators.iter().find(|x| x.name == i.name && !x.from_table))
                .map(|x| crate::present::fmt_num(x.value))
                .unwrap_or_default();
            let f =
                add(Field::text(format!("{} · {}（{}）", s.indicators, i.name, i.unit), 30, false, 1).prefilled(&old));
            indicators.push((i.name.clone(), f));
        }
        let layout = EntryLayout {
            item: row.key(),
            unit: row.unit().to_string(),
            month: row.month,
            summary,
            contact,
            phone,
            articles,
            indicators,
        };
        let title = match prev {
            Some(d) => fill(s.form_enter_again, &[&row.unit(), &row.month, &(d.version_no + 1)]),
            None => fill(s.form_enter, &[&row.unit(), &row.month]),
        };
        let purpose = FormPurpose::Entry(Box::new(layout));
        self.overlays.push(Overlay::Form(Form::new(title, fields, purpose)));
    }

    /// Saves the entry form: the same checks as a file, then one change.
    pub(super) fn save_entry(&mut self) {
        let s = self.lang.s();
        let today = self.today;
        let cat = match db::intake::catalog(&self.conn, today) {
            Ok(c) => c,
            Err(e) => {
                self.fail(&e);
                return;
            }
        };
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else {
            return;
        };
        let FormPurpose::Entry(l) = form.purpose.clone() else {
            return;
        };
        let text = |i: usize| At::new(form.text(i), i);
        let raw = RawReport {
            unit: At::new(l.unit.clone(), l.summary),
            month: At::new(l.month.to_string(), l.summary),
            summary: text(l.summary),
            contact_name: Some(text(l.contact)),
            contact_phone: Some(text(l.phone)),
            progress: l
                .articles
                .iter()
                .filter_map(|(no, [st, pr, di, nx])| {
                    let status = STATUS[form.choice(*st).min(STATUS.len() - 1)]?;
                    Some(RawItem {
                        article: At::new(Scalar::Num(*no as f64), *st),
                        status: At::new(status.code().to_string(), *st),
                        progress: text(*pr),
                        difficulties: Some(text(*di)),
                        next_steps: Some(text(*nx)),
                    })
                })
                .collect(),
            indicators: l
                .indicators
                .iter()
                .map(|(name, f)| RawValue {
                    indicator: At::new(name.clone(), *f),
                    value: At::new(Scalar::Text(form.text(*f)), *f),
                })
                .collect(),
            tasks: Vec::new(),
        };
        match check_report(&raw, &cat) {
            Err((reason, field)) => {
                // The field is the place: a missing text is just required.
                let msg = match reason {
                    crate::intake::Reason::Missing { .. } => s.text_empty.to_string(),
                    r => crate::i18n::intake::reason(&r, s.lang()),
                };
                form.set_error(field, msg);
            }
            Ok(sub) => {
                let label = Label {
                    action: Action::EnterReport,
                    items: vec![format!("{} {}", l.unit, l.month)],
                    typed: None,
                    notices: Vec::new(),
                    verb: None,
                };
                self.overlays.pop();
                self.submit(
                    vec![Command::Submit {
                        submission: Box::new(sub),
                    }],
                    label,
                    false,
                );
            }
        }
    }
}
