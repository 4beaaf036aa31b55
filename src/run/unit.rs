//! `dudao unit`: one unit's own page, as its reporter sees it over SSH:
//! what it owes this month, what is overdue, returned reports with the
//! office's reasons and resubmission dates, reminders received, its open
//! 督办 tasks with their deadlines, and its on-time record.

use std::io::Write;

use super::{Failure, db_path, fail, lang, today};
use crate::cli::{Cli, UnitArgs, exit};
use crate::config::Settings;
use crate::db::{self, Mode};
use crate::domain::{InboxStatus, ItemKey, Month};
use crate::i18n::fill;
use crate::text::sanitize;

pub(super) fn unit(a: &UnitArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let today = today(cli, &conn)?;
    let name = match (&a.unit, db::audit::session_person().and_then(|p| p.unit)) {
        (Some(n), _) => n.clone(),
        (None, Some(id)) => db::units::by_id(&conn, id)?.map(|u| u.full_name).unwrap_or_default(),
        (None, None) => return Err(fail(exit::USAGE, lang(settings).tasks().unit_page_needs_unit)),
    };
    let u = db::units::resolve(&conn, &name).map_err(|e| super::flag_failure(exit::INPUT, "--unit", &e))?;
    let (l, cal) = (lang(settings), settings.calendar().map_err(|e| fail(exit::USAGE, e))?);
    let (s, w) = (l.s(), l.tasks());
    let due_day = db::reports::due_day(&conn)?;
    let mut t = String::new();
    let mut line = |x: String| {
        t.push_str(&sanitize(&x));
        t.push('\n');
    };
    line(format!("{} · {}", u.full_name, fill(w.unit_page_as_of, &[&today])));
    line(String::new());
    // This month's report and the last twelve months.
    let current = Month::of(today).prev();
    let mut on_time = 0;
    let mut due = 0;
    let mut owed: Vec<String> = Vec::new();
    let mut m = current;
    for _ in 0..12 {
        let rows = db::inbox::month_rows(&conn, m, due_day, &cal, today)?;
        if let Some(r) = rows.iter().find(|r| r.unit_id == u.id) {
            if m == current {
                line(s.kv(
                    &fill(w.unit_page_this_month, &[&m]),
                    format!("{} · {} {}", s.inbox_status(r.status), s.col_due, r.due),
                ));
            }
            if r.due < today {
                due += 1;
                if db::inbox::on_time(r) == Some(true) {
                    on_time += 1;
                }
            }
            match r.status {
                InboxStatus::Missing if r.due < today => owed.push(format!(
                    "{} {} · {}",
                    ItemKey::Report { unit: u.id, month: m },
                    m,
                    s.inbox_status(r.status)
                )),
                InboxStatus::Returned => {
                    let reason = r
                        .report_id
                        .and_then(|id| db::reports::state(&conn, id).ok().flatten())
                        .map(|st| {
                            format!(
                                " · {} · {}",
                                s.kv(w.unit_page_reason, &st.return_reason),
                                s.kv(w.unit_page_resubmit_by, st.resubmit_by.unwrap_or_default())
                            )
                        })
                        .unwrap_or_default();
                    owed.push(format!(
                        "{} {} · {}{reason}",
                        ItemKey::Report { unit: u.id, month: m },
                        m,
                        s.inbox_status(r.status)
                    ))
                }
                _ => {}
            }
        }
        if m <= db::reporting_start(&conn)?.unwrap_or(m) {
            break;
        }
        m = m.prev();
    }
    line(s.kv(w.unit_page_record, fill(w.unit_page_on_time, &[&on_time, &due])));
    line(String::new());
    line(format!("{}{}", w.unit_page_owed, s.colon));
    if owed.is_empty() {
        line(format!("  {}", w.unit_page_none));
    }
    for o in &owed {
        line(format!("  {o}"));
    }
    line(String::new());
    line(format!("{}{}", w.unit_page_tasks, s.colon));
    let tasks = db::tasks::list(
        &conn,
        &db::tasks::TaskFilter {
            open_only: true,
            unit: Some(u.id),
            ..Default::default()
        },
    )?;
    if tasks.is_empty() {
        line(format!("  {}", w.unit_page_none));
    }
    for k in &tasks {
        let left = cal.days_left(today, cal.roll_forward(k.due));
        let role = if k.lead == u.id { w.col_lead } else { w.col_partners };
        line(format!(
            "  {} {} {} · {} {} ({}) · {}",
            ItemKey::Task(k.id),
            k.code,
            k.title,
            w.col_due,
            k.due,
            crate::present::days_words(left, cal.enabled, s),
            format_args!("{} · {role}", w.state(k.state))
        ));
    }
    line(String::new());
    line(format!("{}{}", w.unit_page_reminders, s.colon));
    let reminders = db::notes::reminders_to_unit(&conn, u.id, 10)?;
    if reminders.is_empty() {
        line(format!("  {}", w.unit_page_none));
    }
    for (key, r) in &reminders {
        let note = if r.note.is_empty() {
            String::new()
        } else {
            format!(" · {}", r.note)
        };
        line(format!(
            "  {} {} · {}{note}",
            crate::text::local_time(&r.at),
            key,
            s.channel(r.channel)
        ));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(t.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(exit::FAILURE, e.to_string())),
        _ => Ok(exit::OK),
    }
}
