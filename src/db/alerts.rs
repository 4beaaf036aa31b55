//! The facts behind the deadline alerts: every open dated item from every
//! source, with its reminders, extensions and triage flags, judged by the
//! deadline engine (`domain::deadline`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use compact_str::CompactString;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::flags::Flags;
use super::row::{code, day, text};
use crate::domain::deadline::{self, Calendar, Extension, Facts, Ladder};
use crate::domain::{
    AlertLevel, AlertThresholds, AuthorityStatus, ItemKey, MeasureStatus, MeetingStatus, Month, ReportStatus, UnitKind,
};

/// Where a dated item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertSource {
    /// A monthly report not received.
    MissingReport,
    /// A returned report awaiting resubmission.
    Resubmission,
    /// A measure (task) of an article.
    Measure,
    /// A delegated-authority item.
    Authority,
    /// Preparation of a leading-group meeting.
    Meeting,
    /// A date the policy itself sets.
    Milestone,
}

impl AlertSource {
    pub const ALL: [AlertSource; 6] = [
        AlertSource::MissingReport,
        AlertSource::Resubmission,
        AlertSource::Measure,
        AlertSource::Authority,
        AlertSource::Meeting,
        AlertSource::Milestone,
    ];

    /// The stable code in exports and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            AlertSource::MissingReport => "report",
            AlertSource::Resubmission => "resubmission",
            AlertSource::Measure => "measure",
            AlertSource::Authority => "authority",
            AlertSource::Meeting => "meeting",
            AlertSource::Milestone => "milestone",
        }
    }

    pub fn from_code(s: &str) -> Option<AlertSource> {
        AlertSource::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// How items are judged: thresholds, ladder, calendar, report due day, and
/// how long before a meeting its materials are due.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertPolicy {
    pub thresholds: AlertThresholds,
    pub ladder: Ladder,
    pub calendar: Calendar,
    pub due_day: u32,
    pub meeting_prep_days: i64,
}

impl Default for AlertPolicy {
    fn default() -> Self {
        AlertPolicy {
            thresholds: AlertThresholds::default(),
            ladder: Ladder::default(),
            calendar: Calendar::bundled(),
            due_day: super::load::DEFAULT_REPORT_DUE_DAY,
            meeting_prep_days: 10,
        }
    }
}

/// One dated item, judged.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    pub source: AlertSource,
    /// The item: its identity everywhere.
    pub key: ItemKey,
    /// The article a measure belongs to.
    pub article: Option<i64>,
    /// The full names of the units concerned, joined by 、: what the filter
    /// matches besides what is shown, and whom a notice is addressed to
    /// (the office's own name for meetings and milestones).
    pub search: Arc<str>,
    pub unit: Arc<str>,
    /// The kind of the (first) unit concerned, for the unit-kind filter.
    pub kind: Option<UnitKind>,
    /// Short enough to be held inline (a month, a measure's first words).
    pub title: CompactString,
    /// Why a returned report was returned (empty for other items).
    pub reason: String,
    /// The due date before any extension (原定): for measures and authority
    /// items, whose rows hold the extended date, the first extension's old
    /// date.
    pub base_due: NaiveDate,
    /// The due date in force (extended, rolled to a working day).
    pub due: NaiveDate,
    /// Negative when overdue (working or calendar days, as configured).
    pub days_left: i64,
    pub level: AlertLevel,
    /// Reminders since the last extension.
    pub reminders: u32,
    pub last_reminder: Option<NaiveDate>,
    pub extensions: Vec<Extension>,
    pub snoozed_until: Option<NaiveDate>,
    /// Snoozed past today: hidden unless asked for.
    pub snoozed: bool,
    pub escalated: bool,
    pub notes: u32,
    /// The version guarding the item (triage commands carry it).
    pub version: i64,
}

/// How many months back missing reports are listed.
pub const MISSING_MONTHS: u32 = 12;

/// Reminders in force, by item: the days they were given, oldest first.
fn reminder_days(conn: &Connection) -> Result<HashMap<ItemKey, Vec<NaiveDate>>> {
    let mut s = conn.prepare_cached(
        "SELECT entity, entity_key, at FROM reminders WHERE withdrawn_at IS NULL AND answered = 0 ORDER BY at, id",
    )?;
    let mut out: HashMap<ItemKey, Vec<NaiveDate>> = HashMap::new();
    let mut rows = s.query([])?;
    while let Some(r) = rows.next()? {
        let key = ItemKey::from_stored(&text(r, 0)?, &text(r, 1)?);
        if let (Some(key), Some(d)) = (key, day(&text(r, 2)?)) {
            out.entry(key).or_default().push(d);
        }
    }
    Ok(out)
}

fn note_counts(conn: &Connection) -> Result<HashMap<ItemKey, u32>> {
    let mut s = conn.prepare_cached(
        "SELECT entity, entity_key, count(*) FROM notes WHERE withdrawn_at IS NULL GROUP BY entity, entity_key",
    )?;
    let rows = s.query_map([], |r| Ok((text(r, 0)?, text(r, 1)?, r.get::<_, u32>(2)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (entity, key, n) = row?;
        if let Some(k) = ItemKey::from_stored(&entity, &key) {
            out.insert(k, n);
        }
    }
    Ok(out)
}

/// A map keyed by stored entity and key, keyed by item instead (rows whose
/// key names no item are left out).
fn by_item<V>(m: HashMap<(String, String), V>) -> HashMap<ItemKey, V> {
    m.into_iter()
        .filter_map(|((e, k), v)| Some((ItemKey::from_stored(&e, &k)?, v)))
        .collect()
}

/// The facts of all items, gathered once per list.
struct Known {
    reminders: HashMap<ItemKey, Vec<NaiveDate>>,
    extensions: HashMap<ItemKey, Vec<Extension>>,
    flags: HashMap<ItemKey, (Flags, i64)>,
    notes: HashMap<ItemKey, u32>,
}

/// One item before it is judged.
struct Item {
    source: AlertSource,
    key: ItemKey,
    unit: Arc<str>,
    kind: Option<UnitKind>,
    title: CompactString,
    due: NaiveDate,
    article: Option<i64>,
    search: Option<Arc<str>>,
    /// Why a returned report was returned.
    reason: String,
    /// The version from the item's own row (measures, authority, meetings).
    own_version: Option<i64>,
}

impl Known {
    fn judge(&self, it: Item, today: NaiveDate, p: &AlertPolicy) -> Option<AlertRow> {
        let k = it.key;
        let (flags, flag_version) = self.flags.get(&k).cloned().unwrap_or_default();
        let extensions = self.extensions.get(&k).cloned().unwrap_or_default();
        let facts = Facts {
            key: it.key,
            due: it.due,
            extensions: extensions.clone(),
            reminders: self.reminders.get(&k).cloned().unwrap_or_default(),
            closed: flags.closed_at.is_some(),
            snoozed_until: flags.snoozed_until.as_deref().and_then(day),
            escalated: flags.escalated_at.is_some(),
        };
        let v = deadline::evaluate(&facts, today, &p.calendar, p.thresholds, &p.ladder)?;
        // Measures and authority items carry the extended date in their
        // rows; the date before any extension is the first one's old date.
        let base_due = match it.key {
            ItemKey::Measure(_) | ItemKey::Authority(_) => extensions.first().map_or(it.due, |e| e.old_due),
            _ => it.due,
        };
        Some(AlertRow {
            source: it.source,
            key: it.key,
            article: it.article,
            search: it.search.unwrap_or_else(|| it.unit.clone()),
            unit: it.unit,
            kind: it.kind,
            title: it.title,
            reason: it.reason,
            base_due,
            due: v.due,
            days_left: v.days_left,
            level: v.level,
            reminders: v.unanswered,
            last_reminder: v.last_reminder,
            extensions,
            snoozed_until: facts.snoozed_until,
            snoozed: v.snoozed,
            escalated: v.escalated,
            notes: self.notes.get(&k).copied().unwrap_or(0),
            version: it.own_version.unwrap_or(flag_version),
        })
    }
}

/// Every open dated item, judged, most urgent first. Missing reports are
/// listed for the last [`MISSING_MONTHS`] months once they are within the
/// blue threshold of their due date.
pub fn list(conn: &Connection, today: NaiveDate, p: &AlertPolicy) -> Result<Vec<AlertRow>> {
    let known = Known {
        reminders: reminder_days(conn)?,
        extensions: by_item(super::flags::all_extensions(conn)?),
        flags: by_item(super::flags::all_flags(conn)?),
        notes: note_counts(conn)?,
    };
    let mut out = Vec::new();
    let mut push = |it: Item| {
        if let Some(r) = known.judge(it, today, p) {
            out.push(r);
        }
    };

    // Missing reports of the last months.
    let mut month = Month::of(today);
    let mut months = vec![month];
    for _ in 0..MISSING_MONTHS {
        month = month.prev();
        months.push(month);
    }
    months.reverse();
    if let Some(start) = super::reporting_start(conn)? {
        months.retain(|m| *m >= start);
    }
    if !months.is_empty() {
        let mut s = conn.prepare_cached(
            "SELECT id, full_name, short_name, kind FROM units WHERE reporting = 1 ORDER BY sort, id",
        )?;
        // Names shared with every month's alerts and the inbox's rows.
        let units: Vec<(i64, Arc<str>, UnitKind)> = s
            .query_map([], |r| {
                let id = r.get(0)?;
                Ok((
                    id,
                    Arc::clone(&super::inbox::shared_names(id, &text(r, 1)?, &text(r, 2)?).full),
                    code(r, 3)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        // Per month, one covering range scan of (month, unit_id) instead of
        // an anti-join.
        let mut got = conn.prepare_cached("SELECT unit_id FROM reports WHERE month = ?1")?;
        let mut received: HashSet<i64> = HashSet::new();
        for m in &months {
            let label = CompactString::from(m.to_string());
            let due = m.report_due(p.due_day);
            // Not yet near its due date: pending, not an alert.
            if p.calendar.days_left(today, p.calendar.roll_forward(due)) > p.thresholds.blue_days {
                continue;
            }
            received.clear();
            let mut rows = got.query(params![label.as_str()])?;
            while let Some(r) = rows.next()? {
                received.insert(r.get(0)?);
            }
            drop(rows);
            for (id, unit, kind) in &units {
                if received.contains(id) {
                    continue;
                }
                push(Item {
                    source: AlertSource::MissingReport,
                    key: ItemKey::Report { unit: *id, month: *m },
                    unit: unit.clone(),
                    kind: Some(*kind),
                    title: label.clone(),
                    due,
                    article: None,
                    search: None,
                    reason: String::new(),
                    own_version: None,
                });
            }
        }
    }

    // Returned reports whose latest version is still the returned one. The
    // status literal matches the partial index it is read through.
    debug_assert_eq!(ReportStatus::Returned.code(), "returned");
    let mut s = conn.prepare_cached(
        "SELECT r.unit_id, r.month, u.full_name, u.kind, COALESCE(r.resubmit_by, r.due_date), r.return_reason
         FROM reports r INDEXED BY reports_open_returned JOIN units u ON u.id = r.unit_id
         WHERE r.status = 'returned' AND r.latest = 1
         ORDER BY r.month, u.sort",
    )?;
    let rows = s.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            text(r, 1)?,
            text(r, 2)?,
            code::<UnitKind>(r, 3)?,
            text(r, 4)?,
            text(r, 5)?,
        ))
    })?;
    for row in rows {
        let (uid, m, unit, kind, due, reason) = row?;
        let (Some(due), Ok(month)) = (day(&due), m.parse::<Month>()) else {
            continue;
        };
        push(Item {
            source: AlertSource::Resubmission,
            key: ItemKey::Report { unit: uid, month },
            unit: unit.into(),
            kind: Some(kind),
            title: compact_str::format_compact!("{m} {reason}"),
            due,
            article: None,
            search: None,
            reason,
            own_version: None,
        });
    }

    // Open measures with a due date.
    let mut s = conn.prepare_cached(
        "SELECT m.id, m.article_no, m.text, m.due_date, m.version,
                COALESCE((SELECT group_concat(short_name, '、') FROM (SELECT u.short_name FROM measure_owners o JOIN units u ON u.id = o.unit_id
                          WHERE o.measure_id = m.id ORDER BY u.sort LIMIT 4)), ''),
                COALESCE((SELECT group_concat(full_name, '、') FROM (SELECT u.full_name FROM measure_owners o JOIN units u ON u.id = o.unit_id
                          WHERE o.measure_id = m.id ORDER BY u.sort)), ''),
                (SELECT u.kind FROM measure_owners o JOIN units u ON u.id = o.unit_id WHERE o.measure_id = m.id ORDER BY u.sort LIMIT 1)
         FROM measures m WHERE m.status = ?1 AND m.due_date IS NOT NULL",
    )?;
    let rows = s.query_map([MeasureStatus::Open.code()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            text(r, 2)?,
            text(r, 3)?,
            r.get::<_, i64>(4)?,
            text(r, 5)?,
            text(r, 6)?,
            super::row::opt_code::<UnitKind>(r, 7)?,
        ))
    })?;
    for row in rows {
        let (id, art, body, due, version, owners, full, kind) = row?;
        if let Some(due) = day(&due) {
            push(Item {
                source: AlertSource::Measure,
                key: ItemKey::Measure(id),
                unit: owners.into(),
                kind,
                title: body.into(),
                due,
                article: Some(art),
                search: Some(full.into()),
                reason: String::new(),
                own_version: Some(version),
            });
        }
    }

    // Open authority items with a due date.
    let open: Vec<&str> = AuthorityStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.code())
        .collect();
    let mut s = conn.prepare_cached(
        "SELECT i.id, z.full_name, i.name, i.due_date, i.version
         FROM authority_items i JOIN units z ON z.id = i.zone_id
         WHERE i.status IN (?1, ?2, ?3) AND i.due_date IS NOT NULL",
    )?;
    let rows = s.query_map(rusqlite::params_from_iter(open.iter()), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            text(r, 1)?,
            text(r, 2)?,
            text(r, 3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (id, zone, name, due, version) = row?;
        if let Some(due) = day(&due) {
            push(Item {
                source: AlertSource::Authority,
                key: ItemKey::Authority(id),
                unit: zone.into(),
                kind: Some(UnitKind::Zone),
                title: name.into(),
                due,
                article: None,
                search: None,
                reason: String::new(),
                own_version: Some(version),
            });
        }
    }

    // Meetings and milestones are the supervising office's own items.
    let office: Arc<str> = conn
        .query_row(
            "SELECT short_name FROM units WHERE supervisor = 1 ORDER BY id LIMIT 1",
            [],
            |r| text(r, 0),
        )
        .optional()?
        .unwrap_or_default()
        .into();

    // Planned meetings: their materials are due some days before.
    let mut s = conn.prepare_cached("SELECT id, title, date, version FROM meetings WHERE status = ?1 ORDER BY date")?;
    let rows = s.query_map([MeetingStatus::Planned.code()], |r| {
        Ok((r.get::<_, i64>(0)?, text(r, 1)?, text(r, 2)?, r.get::<_, i64>(3)?))
    })?;
    for row in rows {
        let (id, title, date, version) = row?;
        if let Some(date) = day(&date) {
            push(Item {
                source: AlertSource::Meeting,
                key: ItemKey::Meeting(id),
                unit: office.clone(),
                kind: Some(UnitKind::Office),
                title: title.into(),
                due: date - chrono::Duration::days(p.meeting_prep_days),
                article: None,
                search: None,
                reason: String::new(),
                own_version: Some(version),
            });
        }
    }

    // Policy milestones: listed until marked done, overdue once past.
    let deadline: Option<String> = super::meta(conn, "targets_deadline")?;
    if let Some(due) = deadline.as_deref().and_then(day) {
        push(Item {
            source: AlertSource::Milestone,
            key: ItemKey::Milestone(1),
            unit: office.clone(),
            kind: Some(UnitKind::Office),
            // The view names the milestone in the user's language.
            title: "targets".into(),
            due,
            article: None,
            search: None,
            reason: String::new(),
            own_version: None,
        });
    }

    // Unstable: no scratch copy of 22,000 rows at a million reports (the
    // item key makes the order total, so it is the same every time).
    out.sort_unstable_by(|a, b| {
        a.days_left
            .cmp(&b.days_left)
            .then_with(|| a.level.cmp(&b.level))
            .then_with(|| a.unit.cmp(&b.unit))
            .then_with(|| a.key.cmp(&b.key))
    });
    // Grown a row at a time: up to half the room unused at 22,000 alerts.
    out.shrink_to_fit();
    Ok(out)
}

/// One item's alert (even when snoozed), or `None` when it is not open or
/// has no date.
pub fn one(conn: &Connection, today: NaiveDate, p: &AlertPolicy, key: ItemKey) -> Result<Option<AlertRow>> {
    Ok(list(conn, today, p)?.into_iter().find(|r| r.key == key))
}
