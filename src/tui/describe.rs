//! A record in full, as styled lines: a report with its items and history,
//! a checklist item, an alert with its notes and reminders, a matrix cell,
//! what changed between versions. The detail overlay shows them; the
//! dashboard column shows the selected alert's.

use ratatui::style::Style;

use crate::db::alerts::AlertRow;
use crate::db::checklist::AuthorityRow;
use crate::db::inbox::{InboxRow, ReportFile};
use crate::db::matrix::{CellDetail, CellStatus};
use crate::db::notes::{HistoryLine, ItemFile, Note, Reminder};
use crate::i18n::Strings;
use crate::present;
use crate::tui::ctx::RenderCtx;
use crate::tui::theme::Theme;

/// Unwrapped lines with their styles.
pub type Text = Vec<(String, Style)>;

fn notes_reminders_history(
    s: &Strings,
    th: &Theme,
    notes: &[Note],
    reminders: &[Reminder],
    history: &[HistoryLine],
    t: &mut Text,
) {
    if !reminders.is_empty() {
        t.push((String::new(), th.base));
        t.push((format!("{}{}", s.reminders, s.colon), th.title));
        for r in reminders {
            let gone = if r.withdrawn { s.withdrawn } else { "" };
            let note = if r.note.is_empty() {
                String::new()
            } else {
                format!(" · {}", r.note)
            };
            t.push((
                format!(
                    "  {} {} {}{note}{gone}",
                    crate::text::local_time(&r.at),
                    r.user,
                    s.channel(r.channel)
                ),
                if r.withdrawn { th.dim } else { th.base },
            ));
        }
    }
    if !notes.is_empty() {
        t.push((String::new(), th.base));
        t.push((format!("{}{}", s.notes, s.colon), th.title));
        for n in notes {
            let gone = if n.withdrawn { s.withdrawn } else { "" };
            t.push((format!("  {} {}{gone}", crate::text::local_time(&n.at), n.user), th.dim));
            t.push((format!("    {}", n.text), if n.withdrawn { th.dim } else { th.base }));
        }
    }
    if !history.is_empty() {
        t.push((String::new(), th.base));
        t.push((format!("{}{}", s.audit_trail, s.colon), th.title));
        for h in history {
            let result = match h.result.as_str() {
                "ok" => String::new(),
                "conflict" => format!("（{}）", s.result_conflict),
                _ => format!("（{}）", s.result_refused),
            };
            t.push((
                format!(
                    "  {} {} {}{result}",
                    crate::text::local_time(&h.at),
                    h.user,
                    s.audit_action(&h.action)
                ),
                if h.result == "ok" { th.base } else { th.dim },
            ));
            if let Some(d) = history_detail(s, h) {
                t.push((format!("    {d}"), th.dim));
            }
        }
    }
}

/// What a history line recorded, in words: the reason and date of a
/// return, the text of a note, how a reminder was given, why a change was
/// not made.
fn history_detail(s: &Strings, h: &HistoryLine) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(h.new_value.as_deref()?).ok()?;
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).filter(|x| !x.is_empty());
    if h.result != "ok" {
        return text("reason").map(str::to_string);
    }
    match h.action.as_str() {
        "return" => Some(format!(
            "{}{}{}（{} {}）",
            s.return_reason,
            s.colon,
            text("return_reason")?,
            s.resubmit_by,
            text("resubmit_by").unwrap_or("—")
        )),
        "note" => text("text").map(str::to_string),
        "extend" => Some(format!(
            "→ {} · {}",
            text("due").unwrap_or("—"),
            text("reason").unwrap_or("")
        )),
        "done" | "escalate" => text("note").map(str::to_string),
        "snooze" => text("snoozed_until").map(|d| format!("→ {d}")),
        "remind" => {
            let channel = text("channel")
                .and_then(crate::domain::Channel::from_code)
                .map(|c| s.channel(c))
                .unwrap_or("");
            Some(match text("note") {
                Some(n) => format!("{channel} · {n}"),
                None => channel.to_string(),
            })
        }
        _ => None,
    }
}

/// A unit-month: the report if it arrived, then reminders, notes, history.
pub fn report(ctx: &RenderCtx, row: &InboxRow, file: Option<&Result<ReportFile, String>>) -> (String, Text) {
    let s = ctx.s;
    let th = ctx.theme;
    let title = format!("{} · {}", row.unit(), row.month);
    let mut t: Text = Vec::new();
    let file = match file {
        Some(Ok(f)) => f,
        Some(Err(e)) => {
            t.push((s.cannot_read.to_string(), th.red));
            t.push((e.clone(), th.dim));
            return (title, t);
        }
        None => return (title, t),
    };
    let (style, sym) = th.inbox(row.status);
    match &file.report {
        None => {
            t.push((
                format!("{sym} {} · {}", s.inbox_status(row.status), s.not_received),
                style,
            ));
            t.push((s.kv(s.col_due, row.due), th.base));
            if row.days_late > 0 {
                t.push((s.kv(s.days_overdue, row.days_late), th.base));
            }
            t.push((s.kv(s.reminded, row.reminders), th.base));
            extension_line(file, s, th, &mut t);
        }
        Some(d) => {
            t.push((
                format!(
                    "{sym} {} · {} {} · {} {} · {} {}",
                    s.inbox_status(row.status),
                    s.version,
                    d.version_no,
                    s.col_due,
                    row.due,
                    s.col_received,
                    d.received_at
                ),
                style,
            ));
            if !d.return_reason.is_empty() {
                t.push((
                    format!(
                        "{}{c}{}（{} {}）",
                        s.return_reason,
                        d.return_reason,
                        s.resubmit_by,
                        file.resubmit_by().as_deref().unwrap_or("—"),
                        c = s.colon
                    ),
                    th.magenta,
                ));
            }

            t.push((s.kv(s.summary, &d.summary), th.base));
            t.push((String::new(), th.base));
            t.push((format!("{}{c}", s.progress, c = s.colon), th.title));
            for it in &d.items {
                let (style, sym) = th.progress(it.status);
                t.push((
                    format!(
                        "{sym} {} {} [{}]",
                        s.article(it.article_no),
                        it.article_title,
                        s.progress(it.status)
                    ),
                    style,
                ));
                t.push((format!("    {}", it.progress), th.base));
                if !it.difficulties.is_empty() {
                    t.push((
                        format!("    {}{c}{}", s.difficulties, it.difficulties, c = s.colon),
                        th.yellow,
                    ));
                }
                if !it.next_steps.is_empty() {
                    t.push((
                        format!("    {}{c}{}", s.next_steps, it.next_steps, c = s.colon),
                        th.base,
                    ));
                }
            }
            if !d.indicators.is_empty() {
                t.push((String::new(), th.base));
                t.push((format!("{}{c}", s.indicators, c = s.colon), th.title));
                for i in &d.indicators {
                    t.push((format!("  {}", present::indicator_text(i, s)), th.blue));
                }
            }
        }
    }
    notes_reminders_history(s, th, &file.notes, &file.reminders, &file.history, &mut t);
    (title, t)
}

pub fn authority(
    ctx: &RenderCtx,
    r: &AuthorityRow,
    history: Option<&Result<Vec<crate::db::checklist::AuthorityEvent>, String>>,
) -> (String, Text) {
    let s = ctx.s;
    let th = ctx.theme;
    let (style, sym) = th.authority(r.status);
    let mut t = vec![
        (s.kv(s.col_zone, &r.zone), th.base),
        (
            format!(
                "{}{c}{} · {}{c}{}",
                s.col_domain,
                s.domain(r.domain),
                s.col_level,
                s.level(r.level),
                c = s.colon
            ),
            th.base,
        ),
        (s.kv(s.col_grantor, &r.grantor), th.base),
        (
            format!("{}{c}{sym} {}", s.col_status, s.authority(r.status), c = s.colon),
            style,
        ),
        (
            s.kv(s.col_doc, if r.doc_no.is_empty() { "—" } else { &r.doc_no }),
            th.base,
        ),
        (
            s.kv(
                s.col_due,
                r.due_date.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            ),
            th.base,
        ),
        (s.kv(s.proposed, r.proposed_date.as_deref().unwrap_or("—")), th.base),
        (s.kv(s.approved, r.approved_date.as_deref().unwrap_or("—")), th.base),
        (s.kv(s.delegated, r.delegated_date.as_deref().unwrap_or("—")), th.base),
        (s.kv(s.note, &r.note), th.base),
    ];
    match history {
        Some(Ok(events)) if !events.is_empty() => {
            t.push((String::new(), th.base));
            t.push((format!("{}{}", s.status_history, s.colon), th.title));
            for e in events {
                t.push((format!("  {}", present::event_text(e, s)), th.base));
            }
        }
        Some(Err(e)) => t.push((format!("{}：{e}", s.cannot_read), th.red)),
        _ => {}
    }
    (r.name.clone(), t)
}

/// An alert: why it is at its level, its dates and extensions, and its
/// reminders, notes and history.
pub fn alert(ctx: &RenderCtx, r: &AlertRow, file: Option<&Result<ItemFile, String>>) -> (String, Text) {
    let s = ctx.s;
    let th = ctx.theme;
    let (style, sym) = th.alert(r.level);
    let mut t: Text = vec![
        (
            format!(
                "{sym} {} · {} · {}",
                s.alert_level(r.level),
                present::days_words(r.days_left, ctx.working_days, s),
                r.key
            ),
            style,
        ),
        (s.kv(s.col_source, s.source(r.source)), th.base),
        (s.kv(s.col_unit, &r.unit), th.base),
        (present::title(r, s), th.title),
        (String::new(), th.base),
    ];
    let due = if r.due == r.base_due {
        r.due.to_string()
    } else {
        format!("{}（{} {}）", r.due, s.original_due, r.base_due)
    };
    t.push((s.kv(s.col_due, due), th.base));
    if r.reminders > 0 {
        t.push((
            format!(
                "{}{}{} · {} {}",
                s.unanswered,
                s.colon,
                r.reminders,
                s.last_reminder,
                r.last_reminder.map(|d| d.to_string()).unwrap_or_default()
            ),
            th.yellow,
        ));
    }
    if r.snoozed
        && let Some(d) = r.snoozed_until
    {
        t.push((s.kv(s.form_snooze, d), th.dim));
    }
    if r.escalated {
        t.push((s.escalated_note.to_string(), th.magenta));
        if let Some(Ok(f)) = file
            && let Some(at) = &f.flags.escalated_at
        {
            let by = f.flags.escalated_by.as_deref().unwrap_or("");
            let mut line = format!("  {} {by}", crate::text::local_time(at));
            if !f.flags.escalate_note.is_empty() {
                line.push_str(&format!("{}{}", s.colon, f.flags.escalate_note));
            }
            t.push((line, th.magenta));
        }
    }
    if !r.extensions.is_empty() {
        t.push((String::new(), th.base));
        t.push((format!("{}{}", s.extensions, s.colon), th.title));
        for e in &r.extensions {
            let late = if e.late { s.late_extension } else { "" };
            t.push((
                format!("  {} → {} · {} {}{late}", e.old_due, e.new_due, e.at, e.by),
                if e.late { th.red } else { th.base },
            ));
            t.push((format!("    {}", e.reason), th.dim));
        }
    }
    match file {
        Some(Ok(f)) => notes_reminders_history(s, th, &f.notes, &f.reminders, &f.history, &mut t),
        Some(Err(e)) => t.push((e.clone(), th.red)),
        None => {}
    }
    (s.source(r.source).to_string(), t)
}

/// What a line of a cell's detail opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellPick {
    /// A month's report, in the inbox.
    Report { month: crate::domain::Month },
    /// A measure's form.
    Measure(i64),
}

/// The lines of a cell's detail that open something, in order.
pub fn cell_picks(d: &CellDetail) -> Vec<CellPick> {
    d.history
        .iter()
        .filter_map(|h| h.month.parse().ok().map(|month| CellPick::Report { month }))
        .chain(d.tasks.iter().map(|t| CellPick::Measure(t.id)))
        .collect()
}

/// A matrix cell in depth: the unit's role, its twelve months at a glance,
/// the article's text, each month's progress and the unit's measures; the
/// chosen month or measure (`pick`) is marked ▶ and opens with Enter.
pub fn cell(ctx: &RenderCtx, d: &CellDetail, pick: usize) -> (String, Text) {
    let s = ctx.s;
    let th = ctx.theme;
    let mut t = vec![];
    let roles: Vec<String> = d
        .roles
        .iter()
        .map(|(r, via)| match via {
            Some(v) => format!("{}（{} {v}）", s.role_long(*r), s.via),
            None => s.role_long(*r).to_string(),
        })
        .collect();
    t.push((s.kv(s.role, roles.join("、")), th.title));
    if !d.members.is_empty() {
        t.push((format!("{}{}{}", s.members, s.colon, d.members.join("、")), th.base));
    }
    // Twelve months at a glance: a symbol a month (· for no entry).
    if let (Some(first), Some(last)) = (d.months.first(), d.months.last()) {
        let marks: String = d
            .months
            .iter()
            .map(|(_, p)| match p {
                Some(p) => th.progress(*p).1,
                None => "·",
            })
            .collect::<Vec<_>>()
            .join(" ");
        t.push((
            format!("{}{}{marks}  ({} – {})", s.twelve_months, s.colon, first.0, last.0),
            th.base,
        ));
    }
    t.push((String::new(), th.base));
    t.push((d.body.clone(), th.base));
    t.push((String::new(), th.base));
    t.push((
        format!("{}{c}（Enter {}）", s.history, s.open_report, c = s.colon),
        th.title,
    ));
    if d.history.is_empty() {
        t.push((format!("  {}", s.cell_status(CellStatus::NotReported)), th.red));
    }
    let mut k = 0;
    let marker = |k: usize| if k == pick { "▶ " } else { "  " };
    for h in &d.history {
        let (style, sym) = th.progress(h.status);
        let line_style = if k == pick { th.selected } else { style };
        t.push((
            format!("{}{} {sym} {} {}", marker(k), h.month, s.progress(h.status), h.progress),
            line_style,
        ));
        k += 1;
        if !h.difficulties.is_empty() {
            t.push((
                format!("      {}{c}{}", s.difficulties, h.difficulties, c = s.colon),
                th.yellow,
            ));
        }
    }
    if !d.tasks.is_empty() {
        t.push((String::new(), th.base));
        t.push((
            format!("{}{c}（Enter {}）", s.tasks, s.edit_word, c = s.colon),
            th.title,
        ));
        for task in &d.tasks {
            let mark = if task.done { "✔" } else { "○" };
            let style = if k == pick { th.selected } else { th.base };
            t.push((
                format!(
                    "{}{mark} M{} {} （{} {}）",
                    marker(k),
                    task.id,
                    task.text,
                    s.col_due,
                    task.due_date.as_deref().unwrap_or("—")
                ),
                style,
            ));
            k += 1;
        }
    }
    (
        format!("{} {} × {}", s.article(d.article_no), d.article_title, d.unit),
        t,
    )
}

/// "已延期至 … （原定 …）：reason" when an extension is in force.
fn extension_line(
    file: &crate::db::inbox::ReportFile,
    s: &crate::i18n::Strings,
    th: &crate::tui::theme::Theme,
    t: &mut Vec<(String, ratatui::style::Style)>,
) {
    if let Some(e) = &file.extension {
        t.push((
            crate::i18n::fill(s.extended_note, &[&e.new_due, &e.old_due, &e.reason]),
            th.yellow,
        ));
    }
}

/// A report version against the one before: each changed field, the old
/// text (−) and the new (+).
pub fn versions(ctx: &RenderCtx, d: &crate::db::inbox::VersionDiff) -> (String, Text) {
    use crate::db::inbox::ChangeField as F;
    let s = ctx.s;
    let th = ctx.theme;
    let title = format!(
        "{} · {} · {}",
        d.unit,
        d.month,
        s.action(crate::tui::action::Action::Versions).0
    );
    let line = |v: &crate::db::inbox::VersionLine| present::version_text(v, s);
    let mut t: Text = vec![
        (format!("− {}", line(&d.old)), th.red),
        (format!("+ {}", line(&d.new)), th.green),
        (String::new(), th.base),
    ];
    if d.changes.is_empty() {
        t.push((s.no_changes.to_string(), th.dim));
    }
    for c in &d.changes {
        let label = match &c.field {
            F::Summary => s.summary.to_string(),
            F::Contact => s.contact.to_string(),
            F::ArticleAdded(a) => format!("{}（{}）", s.article(*a), s.added),
            F::ArticleRemoved(a) => format!("{}（{}）", s.article(*a), s.removed),
            F::Status(a) => format!("{} · {}", s.article(*a), s.col_status),
            F::Progress(a) => format!("{} · {}", s.article(*a), s.progress_label),
            F::Difficulties(a) => format!("{} · {}", s.article(*a), s.difficulties),
            F::NextSteps(a) => format!("{} · {}", s.article(*a), s.next_steps),
            F::Indicator(n) => format!("{} · {n}", s.indicators),
        };
        let show = |v: &str| match &c.field {
            F::Status(_) => crate::domain::Progress::from_code(v)
                .map(|p| s.progress(p).to_string())
                .unwrap_or_else(|| v.to_string()),
            _ => v.to_string(),
        };
        t.push((format!("{label}{}", s.colon), th.title));
        if !c.old.is_empty() {
            t.push((format!("  − {}", show(&c.old)), th.red));
        }
        if !c.new.is_empty() {
            t.push((format!("  + {}", show(&c.new)), th.green));
        }
    }
    (title, t)
}
