//! `dudao check`: SQLite's own checks, the schema dudao relies on, the
//! audit log (hash chain and its anchor outside the file), every item
//! against its last audited state, the text cells, and the app's
//! invariants. Every check runs, whatever the others found: a check that
//! cannot run is itself a failure, never the end of the run. What each
//! found is typed (`db::check::Problem`); here it is worded, in the command
//! line's language.

use std::path::Path;

use rusqlite::Connection;

use crate::db::check::{Invariant, Problem, capped};
use crate::db::{self, Result, anchor, audit};
use crate::i18n::check::Check;
use crate::i18n::fill;

/// One named check and what it found, in words.
#[derive(Debug, Clone)]
pub struct Finding {
    pub name: String,
    /// Empty when the check passed.
    pub problems: Vec<String>,
    /// What a passing check saw, when that is worth saying (or empty).
    pub note: String,
}

impl Finding {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn of(name: &str, r: Result<Vec<Problem>>) -> Finding {
        let w = crate::i18n::check();
        Finding {
            name: name.to_string(),
            problems: match r {
                Ok(v) => v.iter().map(|p| line(w, p)).collect(),
                Err(e) => vec![fill(w.could_not_run, &[&crate::i18n::db_error(&e)])],
            },
            note: String::new(),
        }
    }
}

fn invariant_name(w: &Check, i: Invariant) -> &'static str {
    match i {
        Invariant::ViaMember => w.inv_via_member,
        Invariant::CollectiveReports => w.inv_collective_reports,
        Invariant::VersionGaps => w.inv_version_gaps,
        Invariant::Latest => w.inv_latest,
        Invariant::ReturnReason => w.inv_return_reason,
        Invariant::ImportedFrom => w.inv_imported_from,
        Invariant::MonthShape => w.inv_month_shape,
        Invariant::IndicatorReport => w.inv_indicator_report,
        Invariant::DoneDate => w.inv_done_date,
        Invariant::DocNo => w.inv_doc_no,
        Invariant::AuditedExist => w.inv_audited_exist,
        Invariant::NotesAbout => w.inv_notes_about,
    }
}

fn shown(p: &Path) -> String {
    crate::text::sanitize(&p.display().to_string()).into_owned()
}

/// A problem as one line.
fn line(w: &Check, p: &Problem) -> String {
    use crate::db::anchor::Problem as A;
    use crate::db::schema::Difference as D;
    use crate::db::state::Problem as S;
    let c = |s: &str| crate::text::sanitize(s).into_owned();
    match p {
        Problem::Sqlite(s) => fill(w.sqlite, &[&c(s)]),
        Problem::ForeignKey { table, row, parent } => fill(w.foreign_key, &[&c(table), &c(row), &c(parent)]),
        Problem::UserVersion { found, expected } => fill(w.user_version, &[found, expected]),
        Problem::MetaVersion { recorded, found } => fill(w.meta_version, &[&format!("{recorded:?}"), found]),
        Problem::Schema(D::Missing { kind, name }) => fill(w.schema_missing, &[kind, &c(name)]),
        Problem::Schema(D::Changed { kind, name }) => fill(w.schema_changed, &[kind, &c(name)]),
        Problem::Schema(D::Foreign { kind, name }) => fill(w.schema_foreign, &[kind, &c(name)]),
        Problem::ChainBroken { id } => fill(w.chain_broken, &[id]),
        Problem::Anchor(a) => match a {
            A::FileMissing { file } => fill(w.anchor_file_missing, &[&shown(file)]),
            A::Unreadable { file, error } => fill(w.anchor_unreadable, &[&shown(file), &c(error)]),
            A::NotMarked { file } => fill(w.anchor_not_marked, &[&shown(file)]),
            A::RowMissing { id } => fill(w.row_missing, &[id]),
            A::RowDiffers { id } => fill(w.row_differs, &[id]),
            A::Rewritten { id } => fill(w.rewritten, &[id, id]),
            A::Unanchored { count, head } => fill(w.unanchored, &[head, count]),
            A::Gaps { count, max } => fill(w.gaps, &[count, max]),
            A::NoCommitted { file } => fill(w.no_committed, &[&shown(file)]),
            A::More { count } => fill(w.more, &[count]),
        },
        Problem::Item(s) => {
            let named = |i: &crate::db::state::Named| match &i.name {
                Some(n) => format!("{} {} ({})", i.entity, i.key, c(n)),
                None => format!("{} {}", i.entity, i.key),
            };
            match s {
                S::NoBaseline => w.no_baseline.to_string(),
                S::BaselineChanged { audit_row } => fill(w.baseline_changed, &[audit_row]),
                S::Differs {
                    item,
                    audit_row: Some(row),
                    ..
                } => fill(w.item_differs, &[&named(item), row]),
                S::Differs {
                    item,
                    audit_row: None,
                    baseline_row,
                } => fill(w.item_differs_baseline, &[&named(item), baseline_row]),
                S::Unaudited { item } => fill(w.item_unaudited, &[&named(item)]),
            }
        }
        Problem::TextCell {
            table,
            row,
            column,
            blob: true,
            ..
        } => fill(w.text_blob, &[&c(table), &c(row), &c(column)]),
        Problem::TextCell {
            table,
            row,
            column,
            valid_up_to,
            ..
        } => fill(w.text_utf8, &[&c(table), &c(row), &c(column), valid_up_to]),
        Problem::Invariant { which, values } => {
            let t = match which {
                Invariant::ViaMember => w.via_member,
                Invariant::CollectiveReports => w.collective_report,
                Invariant::VersionGaps => w.version_gaps,
                Invariant::Latest => w.latest_flags,
                Invariant::ReturnReason => w.return_reason,
                Invariant::ImportedFrom => w.imported_from,
                Invariant::MonthShape => w.month_shape,
                Invariant::IndicatorReport => w.indicator_report,
                Invariant::DoneDate => w.done_date,
                Invariant::DocNo => w.doc_no,
                Invariant::AuditedExist => w.audited_missing,
                Invariant::NotesAbout => w.note_about,
            };
            let args: Vec<String> = values.iter().map(|v| c(v)).collect();
            let refs: Vec<&dyn std::fmt::Display> = args.iter().map(|a| a as &dyn std::fmt::Display).collect();
            fill(t, &refs)
        }
        Problem::More { count } => fill(w.more, &[count]),
    }
}

/// What the anchor vouches for, beside a passing check.
fn summary(w: &Check, s: &anchor::Summary) -> String {
    match s {
        anchor::Summary::None => String::new(),
        anchor::Summary::InMemory => w.anchor_in_memory.to_string(),
        anchor::Summary::NotStarted => w.anchor_not_started.to_string(),
        anchor::Summary::Head {
            file,
            head,
            commits,
            unsettled,
            unreadable,
        } => {
            let mut out = match file {
                Some(f) => fill(w.anchor_copy_head, &[&shown(f), head, commits]),
                None => fill(w.anchor_head, &[head, commits]),
            };
            for (id, there) in unsettled {
                out.push_str(&fill(
                    if *there { w.unsettled_there } else { w.unsettled_absent },
                    &[id],
                ));
            }
            if *unreadable > 0 {
                out.push_str(&fill(w.unreadable_lines, &[unreadable]));
            }
            out
        }
    }
}

/// The anchor's verdict (or why it could not be reached) as a finding.
fn anchored(name: &str, v: Result<anchor::Verdict>) -> Finding {
    let w = crate::i18n::check();
    match v {
        Ok(v) => Finding {
            name: name.to_string(),
            problems: v
                .problems
                .iter()
                .map(|p| line(w, &Problem::Anchor(p.clone())))
                .collect(),
            note: summary(w, &v.summary),
        },
        Err(e) => Finding::of(name, Err(e)),
    }
}

/// Compares the log with a copy of its anchor kept elsewhere.
pub fn anchor_copy(conn: &Connection, copy: &Path) -> Finding {
    anchored(crate::i18n::check().anchor_copy, anchor::verify_copy(conn, copy))
}

/// Runs every check; never stops at the first failure.
pub fn run(conn: &Connection) -> Result<Vec<Finding>> {
    use crate::db::check as q;
    let w = crate::i18n::check();
    let mut out = vec![
        Finding::of(w.integrity, q::integrity(conn)),
        Finding::of(w.foreign_keys, q::foreign_keys(conn)),
        Finding::of(w.schema_version, q::schema_version(conn)),
        Finding::of(w.schema, q::schema_as_created(conn)),
        Finding::of(
            w.chain,
            audit::verify_chain(conn).map(|r| r.map(|id| Problem::ChainBroken { id }).into_iter().collect()),
        ),
        anchored(w.anchor, anchor::verify(conn)),
        Finding::of(
            w.items,
            db::state::verify(conn).map(|v| capped(v.into_iter().map(Problem::Item).collect())),
        ),
        Finding::of(w.text_cells, q::text_cells(conn)),
    ];
    for i in Invariant::ALL {
        out.push(Finding::of(invariant_name(w, i), q::invariant(conn, i)));
    }
    Ok(out)
}
