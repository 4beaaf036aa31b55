//! How a row's parts read in words, shared by the console (its panes and
//! their details) and the command line, so a row reads the same in both.

use crate::db::alerts::{AlertRow, AlertSource};
use crate::db::inbox::IndicatorLine;
use crate::domain::TargetKind;
use crate::i18n::Strings;

/// The same with the unit spelled out ("逾期 12 个工作日"), for text on its own.
pub fn days_words(days_left: i64, working: bool, s: &Strings) -> String {
    let unit = if working { s.workday_unit } else { s.day_unit_long };
    match days_left {
        d if d < 0 => format!("{}{}{unit}", s.days_late_short, -d),
        0 => s.due_today.to_string(),
        d => format!("{}{d}{unit}", s.days_left_short),
    }
}

/// An alert's subject, with its article where it has one.
pub fn title(r: &AlertRow, s: &Strings) -> String {
    let mut t = String::new();
    title_into(&mut t, r, s);
    t
}

/// [`title`], written at the end of `out`.
pub fn title_into(out: &mut String, r: &AlertRow, s: &Strings) {
    use std::fmt::Write;
    let _ = match r.source {
        AlertSource::Milestone => write!(out, "{}", s.milestone_targets),
        AlertSource::Meeting => write!(out, "{}{}", s.meeting_prep, r.title),
        AlertSource::MissingReport => write!(out, "{} {}", r.title, s.month_reports),
        _ => match r.article {
            Some(a) => write!(out, "{} {}", s.article(a), r.title),
            None => write!(out, "{}", r.title),
        },
    };
}

/// "2026-10-15 已批准 → 已下放 藏政发〔2026〕12号 · 正式印发 (wangfang, 2026-10-16 09:12)".
pub fn event_text(e: &crate::db::checklist::AuthorityEvent, s: &Strings) -> String {
    let from = e.from.map(|f| format!("{} → ", s.authority(f))).unwrap_or_default();
    let mut t = format!("{} {from}{}", e.date, s.authority(e.to));
    if e.undo {
        t.push_str(&format!("（{}）", s.undone));
    }
    if !e.doc_no.is_empty() && e.to.needs_doc() {
        t.push_str(&format!(" {}", e.doc_no));
    }
    if !e.note.is_empty() {
        t.push_str(&format!(" · {}", e.note));
    }
    t.push_str(&format!(" ({}, {})", e.user, crate::text::local_time(&e.at)));
    t
}

/// "name value/target unit"; a per-zone target reads as zones reached.
pub fn indicator_text(i: &IndicatorLine, s: &Strings) -> String {
    match i.kind {
        TargetKind::PerZone => {
            format!("{} {}{}", i.name, fmt_num(i.value), s.zones_reached)
        }
        _ => format!("{} {}/{}{}", i.name, fmt_num(i.value), fmt_num(i.target), i.unit),
    }
}

pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// "v2 2026-11-03 10:12 未阅 · 文件 科技厅-10月.toml".
pub fn version_text(v: &crate::db::inbox::VersionLine, s: &Strings) -> String {
    let source = match v.source.as_str() {
        "file" => s.source_file,
        "typed" => s.source_typed,
        _ => s.source_demo,
    };
    let file = v.file_name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
    format!(
        "v{} {} {} · {source}{file}",
        v.version_no,
        v.received_at,
        s.report_status(v.status)
    )
}

/// "overdue 12" / "7 left": the unit (working or calendar days) is in the
/// column's heading, so every count reads the same way.
pub fn days_text(days_left: i64, s: &Strings) -> String {
    match days_left {
        d if d < 0 => format!("{}{}", s.days_late_short, -d),
        0 => s.due_today.to_string(),
        d => format!("{}{d}", s.days_left_short),
    }
}
