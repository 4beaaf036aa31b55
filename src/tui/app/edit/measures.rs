//! A measure's form (from a matrix cell's detail or the measures view): its
//! due date, status (open, or done on a date) and owners, among the lead
//! and partner units of its article; saved through the write path.

use super::super::App;
use crate::db;
use crate::db::measures::MeasurePlan;
use crate::domain::MeasureStatus;
use crate::i18n::fill;
use crate::ops::Command;
use crate::tui::action::Action;
use crate::tui::intent::{FormPurpose, Label, MeasureForm, Tone};
use crate::tui::overlay::{Field, Form, Overlay};

impl App {
    /// Opens the form of measure `id`.
    pub(in super::super) fn measure_form(&mut self, id: i64) {
        let s = self.lang.s();
        if self.read_only {
            self.say(s.read_only_no_edit, Tone::Bad);
            return;
        }
        if self.writing() {
            self.say(s.busy_writing, Tone::Info);
            return;
        }
        let read = (|| -> db::Result<_> {
            let Some(m) = db::measures::get(&self.conn, id)? else {
                return Ok(None);
            };
            let units = db::measures::article_units(&self.conn, m.article_no)?;
            Ok(Some((m, units)))
        })();
        let (m, units) = match read {
            Ok(Some(x)) => x,
            Ok(None) => return,
            Err(e) => {
                self.fail(&e);
                return;
            }
        };
        let today = self.today;
        let done = m.status == MeasureStatus::Done;
        let fields = vec![
            Field::date_opt(
                s.col_due,
                m.due,
                None,
                Some(today + chrono::Duration::days(crate::ops::MAX_MEASURE_DUE_DAYS)),
            ),
            Field::choice(s.col_status, vec![s.measure_open, s.measure_done], usize::from(done)),
            Field::date_opt(s.col_done_date, m.done_date, None, Some(today)),
            Field::multi(
                s.col_owners,
                units.iter().map(|u| u.1.clone()).collect(),
                units.iter().map(|u| m.owners.iter().any(|o| o.0 == u.0)).collect(),
            ),
        ];
        let title = fill(
            s.form_measure,
            &[&format!("M{}", m.id), &crate::text::one_line(&m.text)],
        );
        let purpose = FormPurpose::Measure(Box::new(MeasureForm {
            measure: m.id,
            version: m.version,
            units: units.iter().map(|u| u.0).collect(),
        }));
        self.overlays.push(Overlay::Form(Form::new(title, fields, purpose)));
    }

    /// Saves a measure form (after its own checks).
    pub(super) fn save_measure(&mut self) {
        let s = self.lang.s();
        let today = self.today;
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else {
            return;
        };
        let FormPurpose::Measure(f) = form.purpose.clone() else {
            return;
        };
        let owners: Vec<i64> = form
            .picked(3)
            .into_iter()
            .filter_map(|k| f.units.get(k).copied())
            .collect();
        if owners.is_empty() {
            form.set_error(3, s.refusal(&crate::ops::Refusal::NoOwners));
            return;
        }
        let done = form.choice(1) == 1;
        let plan = MeasurePlan {
            due: if form.text(0).is_empty() {
                None
            } else {
                form.date(0, today)
            },
            done: done.then(|| {
                if form.text(2).is_empty() {
                    None
                } else {
                    form.date(2, today)
                }
                .unwrap_or(today)
            }),
            owners,
        };
        let label = Label {
            action: Action::ToggleMeasures,
            items: vec![format!("M{}", f.measure)],
            typed: None,
            notices: Vec::new(),
            verb: Some("measure_set"),
        };
        self.overlays.pop();
        self.submit(
            vec![Command::MeasureSet {
                measure: f.measure,
                version: f.version,
                plan,
                undoes: None,
            }],
            label,
            false,
        );
    }
}
