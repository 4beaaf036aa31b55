//! Queries of the deadline alerts: every open item with a date, from every
//! source, with its urgency.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::row::{day, text};
use crate::domain::{AlertLevel, AlertThresholds, AuthorityStatus, ItemKey, MeasureStatus, Month, ReportStatus};

/// Where a dated item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// One dated item.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    pub source: AlertSource,
    /// The article a measure belongs to.
    pub article: Option<i64>,
    /// Text the filter matches besides what is shown (owners' full names).
    pub search: String,
    /// The item (a unit's report, a measure, …): its identity everywhere.
    pub key: ItemKey,
    pub unit: String,
    pub title: String,
    pub due: NaiveDate,
    /// Negative when overdue.
    pub days_left: i64,
    pub reminders: u32,
    pub level: AlertLevel,
}

/// How many months back missing reports are listed.
pub const MISSING_MONTHS: u32 = 12;

/// Every open dated item, most urgent first.
pub fn list(conn: &Connection, today: NaiveDate, t: AlertThresholds, due_day: u32) -> Result<Vec<AlertRow>> {
    let mut out = Vec::new();
    let mk = |source, key: ItemKey, unit: String, title: String, due: NaiveDate, reminders: i64| {
        let days_left = (due - today).num_days();
        let reminders = reminders.max(0) as u32;
        AlertRow {
            source,
            key,
            search: unit.clone(),
            unit,
            article: None,
            title,
            due,
            days_left,
            reminders,
            level: AlertLevel::classify(days_left, reminders, t),
        }
    };

    // Missing reports of the last months whose due date is near or past.
    let mut month = Month::of(today);
    let mut months = Vec::new();
    for _ in 0..MISSING_MONTHS {
        month = month.prev();
        months.push(month);
    }
    months.push(Month::of(today));
    if let Some(start) = super::reporting_start(conn)? {
        months.retain(|m| *m >= start);
    }
    months.retain(|m| (m.report_due(due_day) - today).num_days() <= t.blue_days);
    if let Some(&first) = months.iter().min() {
        // One covering range scan of (month, unit_id) instead of an anti-join per month.
        let labels: Vec<String> = months.iter().map(|m| m.to_string()).collect();
        let mut received = std::collections::HashSet::new();
        let mut s = conn.prepare_cached("SELECT month, unit_id FROM reports WHERE month >= ?1")?;
        let mut rows = s.query(params![first.to_string()])?;
        while let Some(r) = rows.next()? {
            let month = r.get_ref(0)?.as_str().unwrap_or("");
            if let Some(k) = labels.iter().position(|l| l == month) {
                received.insert((k, r.get::<_, i64>(1)?));
            }
        }
        drop(rows);
        let mut reminders = std::collections::HashMap::new();
        let mut s = conn.prepare_cached(
            "SELECT entity_key, count(*) FROM reminders
             WHERE entity = 'report' AND answered = 0 AND withdrawn_at IS NULL GROUP BY entity_key",
        )?;
        let mut rows = s.query([])?;
        while let Some(r) = rows.next()? {
            reminders.insert(text(r, 0)?, r.get::<_, i64>(1)?);
        }
        drop(rows);
        let mut s = conn.prepare_cached("SELECT id, full_name FROM units WHERE reporting = 1 ORDER BY sort, id")?;
        let units: Vec<(i64, String)> = s
            .query_map([], |r| Ok((r.get(0)?, text(r, 1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (k, m) in months.iter().enumerate() {
            let ms = &labels[k];
            let due = m.report_due(due_day);
            for (id, unit) in &units {
                if received.contains(&(k, *id)) {
                    continue;
                }
                let key = ItemKey::Report { unit: *id, month: *m };
                let rem = reminders.get(&key.entity_key()).copied().unwrap_or(0);
                out.push(mk(AlertSource::MissingReport, key, unit.clone(), ms.clone(), due, rem));
            }
        }
    }

    // Returned reports whose latest version is still the returned one. The
    // status literal matches the partial index it is read through.
    debug_assert_eq!(ReportStatus::Returned.code(), "returned");
    let mut s = conn.prepare_cached(
        "SELECT r.unit_id, r.month, u.full_name, COALESCE(r.resubmit_by, r.due_date), r.return_reason,
                (SELECT count(*) FROM reminders k WHERE k.entity = 'report' AND k.entity_key = r.unit_id || ':' || r.month
                   AND k.answered = 0 AND k.withdrawn_at IS NULL)
         FROM reports r INDEXED BY reports_open_returned JOIN units u ON u.id = r.unit_id
         WHERE r.status = 'returned' AND r.latest = 1
         ORDER BY r.month, u.sort",
    )?;
    let rows = s.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            text(r, 1)?,
            text(r, 2)?,
            text(r, 3)?,
            text(r, 4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (uid, m, unit, due, reason, rem) = row?;
        let (Some(due), Ok(month)) = (day(&due), m.parse::<Month>()) else {
            continue;
        };
        out.push(mk(
            AlertSource::Resubmission,
            ItemKey::Report { unit: uid, month },
            unit,
            format!("{m} {reason}"),
            due,
            rem,
        ));
    }

    // Open measures with a due date.
    let mut s = conn.prepare_cached(
        "SELECT m.id, m.article_no, m.text, m.due_date,
                COALESCE((SELECT group_concat(short_name, '、') FROM (SELECT u.short_name FROM measure_owners o JOIN units u ON u.id = o.unit_id
                          WHERE o.measure_id = m.id ORDER BY u.sort LIMIT 4)), ''),
                (SELECT count(*) FROM reminders k WHERE k.entity = 'measure' AND k.entity_key = CAST(m.id AS TEXT)
                   AND k.answered = 0 AND k.withdrawn_at IS NULL),
                COALESCE((SELECT group_concat(full_name, '、') FROM (SELECT u.full_name FROM measure_owners o JOIN units u ON u.id = o.unit_id
                          WHERE o.measure_id = m.id ORDER BY u.sort)), '')
         FROM measures m WHERE m.status = ?1 AND m.due_date IS NOT NULL",
    )?;
    let rows = s.query_map([MeasureStatus::Open.code()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            text(r, 2)?,
            text(r, 3)?,
            text(r, 4)?,
            r.get::<_, i64>(5)?,
            text(r, 6)?,
        ))
    })?;
    for row in rows {
        let (id, art, body, due, owners, rem, full) = row?;
        if let Some(due) = day(&due) {
            let mut row = mk(AlertSource::Measure, ItemKey::Measure(id), owners, body, due, rem);
            row.article = Some(art);
            row.search = full;
            out.push(row);
        }
    }

    // Open authority items with a due date.
    let open: Vec<&str> = AuthorityStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.code())
        .collect();
    let mut s = conn.prepare_cached(
        "SELECT i.id, z.full_name, i.name, i.due_date,
                (SELECT count(*) FROM reminders k WHERE k.entity = 'authority' AND k.entity_key = CAST(i.id AS TEXT)
                   AND k.answered = 0 AND k.withdrawn_at IS NULL)
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
        let (id, zone, name, due, rem) = row?;
        if let Some(due) = day(&due) {
            out.push(mk(AlertSource::Authority, ItemKey::Authority(id), zone, name, due, rem));
        }
    }

    // Meetings and milestones are the supervising office's own items.
    let office: String = conn
        .query_row(
            "SELECT short_name FROM units WHERE supervisor = 1 ORDER BY id LIMIT 1",
            [],
            |r| text(r, 0),
        )
        .optional()?
        .unwrap_or_default();

    // Planned meetings (preparation is due on the meeting date).
    let mut s = conn.prepare_cached("SELECT id, title, date FROM meetings WHERE status = 'planned' ORDER BY date")?;
    let rows = s.query_map([], |r| Ok((r.get::<_, i64>(0)?, text(r, 1)?, text(r, 2)?)))?;
    for row in rows {
        let (id, title, date) = row?;
        if let Some(due) = day(&date) {
            out.push(mk(
                AlertSource::Meeting,
                ItemKey::Meeting(id),
                office.clone(),
                title,
                due,
                0,
            ));
        }
    }

    // Policy milestones still ahead.
    let deadline: Option<String> = super::meta(conn, "targets_deadline")?;
    if let Some(due) = deadline.as_deref().and_then(day)
        && due >= today
    {
        out.push(mk(
            AlertSource::Milestone,
            ItemKey::Milestone(1),
            office.clone(),
            // The view names the milestone in the user's language.
            "targets".into(),
            due,
            0,
        ));
    }

    out.sort_by(|a, b| {
        a.days_left
            .cmp(&b.days_left)
            .then_with(|| a.unit.cmp(&b.unit))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(out)
}
