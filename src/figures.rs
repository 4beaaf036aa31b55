//! The quarter's figures, computed from facts the database gathered in one
//! read transaction (`db::review::facts`): no SQL, no terminal. Also the
//! review as a reader sees it ([`review`]): this quarter's figures and the
//! previous one's, frozen when a snapshot exists.
//!
//! A quarter's figures are taken as of its last day, or today while it
//! runs ([`Quarter::as_of`]). They serialize to JSON: a snapshot
//! (`quarter_snapshots`) stores them frozen, so later reviews compare
//! against what was reported then.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use rusqlite::Connection;

use crate::db;
use crate::db::alerts::{AlertPolicy, AlertRow, AlertSource};
use crate::db::inbox::on_time;
pub use crate::db::review::{AuthorityFact, Facts, TargetFact};
use crate::domain::{AuthorityDomain, AuthorityStatus, InboxStatus, Quarter, TargetKind};

/// The headline figures (page 1), also the ones compared with the
/// previous quarter (page 7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Headline {
    /// Reports of the quarter's months that were due by the date.
    pub reports_due: i64,
    pub reports_on_time: i64,
    pub reports_late: i64,
    pub reports_missing: i64,
    /// Open items past their due date.
    pub overdue_items: i64,
    /// Checklist items delegated or undertaken, of those not revoked.
    pub checklist_done: i64,
    pub checklist_total: i64,
    pub targets_on_pace: i64,
    pub targets_total: i64,
    pub escalated: i64,
}

impl Headline {
    /// On time, in per cent (rounded), when anything was due.
    pub fn on_time_pct(&self) -> Option<i64> {
        pct(self.reports_on_time, self.reports_due)
    }
    pub fn checklist_pct(&self) -> Option<i64> {
        pct(self.checklist_done, self.checklist_total)
    }
}

/// `part` of `whole` in per cent, rounded half up.
pub fn pct(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 200 + whole) / (whole * 2))
}

/// One indicator against its 2025 goal (page 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetLine {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub target: f64,
    pub comparator: String,
    pub value: Option<f64>,
    /// The latest period reported.
    pub period: Option<String>,
    pub met: bool,
    /// Met, or (before the deadline) at least the straight-line share of
    /// the goal for the time gone by since reporting started.
    pub on_pace: bool,
}

/// One unit's reports of the quarter (page 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitLine {
    pub unit: String,
    pub short: String,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
    /// Not yet due, or settled without a report.
    pub pending: i64,
    /// Open items past due concerning the unit.
    pub overdue_items: i64,
    /// The longest an item of the unit is overdue, in days.
    pub max_days_overdue: i64,
}

impl UnitLine {
    pub fn due(&self) -> i64 {
        self.on_time + self.late + self.missing
    }
}

/// One zone's checklist progress by domain (page 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneLine {
    pub zone: String,
    /// (done, total) per domain, in [`AuthorityDomain::ALL`] order.
    pub domains: Vec<(i64, i64)>,
    pub done: i64,
    pub total: i64,
}

/// An item escalated to the leading group (page 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscalatedLine {
    pub id: String,
    pub source: String,
    pub title: String,
    pub unit: String,
    #[serde(with = "date_str")]
    pub due: NaiveDate,
    /// Days past due (0 when not yet due).
    pub days_overdue: i64,
    pub escalated_at: String,
    pub escalated_by: String,
    pub note: String,
}

/// Everything the review shows for one quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub quarter: String,
    #[serde(with = "date_str")]
    pub as_of: NaiveDate,
    pub headline: Headline,
    pub targets: Vec<TargetLine>,
    /// Sorted: best on-time share first, then fewest missing, then name.
    pub units: Vec<UnitLine>,
    pub zones: Vec<ZoneLine>,
    pub escalated: Vec<EscalatedLine>,
}

/// How many places each side of the ranking lists (ties at the last place
/// are all listed).
pub const RANKING: usize = 10;

/// A unit's place in a ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked<'a> {
    /// Equal records share a rank, and the next rank counts them (1, 2, 2, 4).
    pub rank: usize,
    pub unit: &'a UnitLine,
}

/// One side of the 通报's ranking: the units listed and how many met its
/// condition. The rule itself is worded in `review::strings`
/// (`best_rule`, `worst_rule`) from these numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking<'a> {
    pub rows: Vec<Ranked<'a>>,
    /// Units that met the condition (listed or not).
    pub eligible: usize,
}

/// Ranks `units` already sorted by `cmp`: equal records (by `cmp`) share a
/// rank; places up to [`RANKING`] are kept, with every tie at the last.
fn rank<'a>(units: Vec<&'a UnitLine>, cmp: impl Fn(&UnitLine, &UnitLine) -> std::cmp::Ordering) -> Ranking<'a> {
    let eligible = units.len();
    let mut rows: Vec<Ranked<'a>> = Vec::new();
    for (i, u) in units.into_iter().enumerate() {
        let rank = match rows.last() {
            Some(prev) if cmp(prev.unit, u) == std::cmp::Ordering::Equal => prev.rank,
            _ => i + 1,
        };
        if rank > RANKING {
            break;
        }
        rows.push(Ranked { rank, unit: u });
    }
    Ranking { rows, eligible }
}

impl Figures {
    /// 表扬 (commended): units with reports due this quarter, every one on
    /// time (none late, none missing) and no overdue item as of the
    /// quarter's end; most reports on time first; equal counts share a
    /// rank; names in character order within a rank.
    pub fn best(&self) -> Ranking<'_> {
        let mut v: Vec<&UnitLine> = self
            .units
            .iter()
            .filter(|u| u.due() > 0 && u.late == 0 && u.missing == 0 && u.overdue_items == 0)
            .collect();
        let record = |a: &UnitLine, b: &UnitLine| b.on_time.cmp(&a.on_time);
        v.sort_by(|a, b| record(a, b).then(a.unit.cmp(&b.unit)));
        rank(v, record)
    }

    /// 通报 (named): units with an overdue item or a missing report as of
    /// the quarter's end; most overdue items first, then most missing
    /// reports, then the longest overdue; equal on all three share a rank.
    pub fn worst(&self) -> Ranking<'_> {
        let mut v: Vec<&UnitLine> = self
            .units
            .iter()
            .filter(|u| u.overdue_items > 0 || u.missing > 0)
            .collect();
        let record = |a: &UnitLine, b: &UnitLine| {
            b.overdue_items
                .cmp(&a.overdue_items)
                .then(b.missing.cmp(&a.missing))
                .then(b.max_days_overdue.cmp(&a.max_days_overdue))
        };
        v.sort_by(|a, b| record(a, b).then(a.unit.cmp(&b.unit)));
        rank(v, record)
    }

    /// Checklist totals per domain over every zone: (done, total).
    pub fn domain_totals(&self) -> Vec<(i64, i64)> {
        let mut t = vec![(0, 0); AuthorityDomain::ALL.len()];
        for z in &self.zones {
            for (i, (d, n)) in z.domains.iter().enumerate() {
                t[i].0 += d;
                t[i].1 += n;
            }
        }
        t
    }
}

/// Where the previous quarter's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrevSource {
    /// Frozen by `dudao snapshot` (what was reported then).
    Snapshot,
    /// Computed now from today's data as of its last day.
    Recomputed,
}

/// One headline figure this quarter and the previous one (page 7).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub metric: Metric,
    pub this: Option<i64>,
    pub prev: Option<i64>,
}

impl Change {
    pub fn delta(&self) -> Option<i64> {
        Some(self.this? - self.prev?)
    }
    /// Whether the change is for the better (None when equal or unknown).
    pub fn better(&self) -> Option<bool> {
        let d = self.delta().filter(|d| *d != 0)?;
        Some((d > 0) == self.metric.higher_is_better())
    }
}

/// The headline figures compared quarter on quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    OnTimePct,
    OnTime,
    Missing,
    Overdue,
    ChecklistPct,
    TargetsOnPace,
    Escalated,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::OnTimePct,
        Metric::OnTime,
        Metric::Missing,
        Metric::Overdue,
        Metric::ChecklistPct,
        Metric::TargetsOnPace,
        Metric::Escalated,
    ];

    /// Stable key in CSV.
    pub fn code(self) -> &'static str {
        match self {
            Metric::OnTimePct => "on_time_pct",
            Metric::OnTime => "reports_on_time",
            Metric::Missing => "reports_missing",
            Metric::Overdue => "overdue_items",
            Metric::ChecklistPct => "checklist_pct",
            Metric::TargetsOnPace => "targets_on_pace",
            Metric::Escalated => "escalated",
        }
    }

    pub fn higher_is_better(self) -> bool {
        matches!(
            self,
            Metric::OnTimePct | Metric::OnTime | Metric::ChecklistPct | Metric::TargetsOnPace
        )
    }

    pub fn of(self, h: &Headline) -> Option<i64> {
        match self {
            Metric::OnTimePct => h.on_time_pct(),
            Metric::OnTime => Some(h.reports_on_time),
            Metric::Missing => Some(h.reports_missing),
            Metric::Overdue => Some(h.overdue_items),
            Metric::ChecklistPct => h.checklist_pct(),
            Metric::TargetsOnPace => Some(h.targets_on_pace),
            Metric::Escalated => Some(h.escalated),
        }
    }
}

/// The comparison of page 7.
pub fn compare(this: &Headline, prev: &Headline) -> Vec<Change> {
    Metric::ALL
        .iter()
        .map(|m| Change {
            metric: *m,
            this: m.of(this),
            prev: m.of(prev),
        })
        .collect()
}

/// Computes the figures.
pub fn compute(f: &Facts) -> Figures {
    // Reports of the quarter, per unit.
    let mut units: Vec<UnitLine> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for month in &f.months {
        for r in month {
            let i = *index.entry(r.unit().to_string()).or_insert_with(|| {
                units.push(UnitLine {
                    unit: r.unit().to_string(),
                    short: r.short().to_string(),
                    on_time: 0,
                    late: 0,
                    missing: 0,
                    pending: 0,
                    overdue_items: 0,
                    max_days_overdue: 0,
                });
                units.len() - 1
            });
            let u = &mut units[i];
            match (on_time(r), r.status) {
                (Some(true), _) => u.on_time += 1,
                (Some(false), InboxStatus::Missing) => u.missing += 1,
                (Some(false), _) => u.late += 1,
                (None, _) => u.pending += 1,
            }
        }
    }
    // Overdue items, attributed to each unit concerned.
    let overdue: Vec<&AlertRow> = f.alerts.iter().filter(|a| a.days_left < 0).collect();
    for a in &overdue {
        for name in a.search.split('、') {
            if let Some(&i) = index.get(name) {
                units[i].overdue_items += 1;
                units[i].max_days_overdue = units[i].max_days_overdue.max(-a.days_left);
            }
        }
    }
    let mut headline = Headline::default();
    for u in &units {
        headline.reports_on_time += u.on_time;
        headline.reports_late += u.late;
        headline.reports_missing += u.missing;
    }
    headline.reports_due = headline.reports_on_time + headline.reports_late + headline.reports_missing;
    headline.overdue_items = overdue.len() as i64;
    units.sort_by(|a, b| {
        let rate = |u: &UnitLine| pct(u.on_time, u.due()).unwrap_or(-1);
        rate(b)
            .cmp(&rate(a))
            .then(a.missing.cmp(&b.missing))
            .then(b.on_time.cmp(&a.on_time))
            .then(a.unit.cmp(&b.unit))
    });

    // Checklist by zone and domain.
    let mut zones: Vec<ZoneLine> = f
        .zones
        .iter()
        .map(|z| ZoneLine {
            zone: z.clone(),
            domains: vec![(0, 0); AuthorityDomain::ALL.len()],
            done: 0,
            total: 0,
        })
        .collect();
    for it in &f.authority {
        if it.status == AuthorityStatus::Revoked {
            continue;
        }
        let Some(z) = zones.iter_mut().find(|z| z.zone == it.zone) else {
            continue;
        };
        let d = it.domain.index();
        let done = i64::from(it.status.is_done());
        z.domains[d].0 += done;
        z.domains[d].1 += 1;
        z.done += done;
        z.total += 1;
    }
    headline.checklist_done = zones.iter().map(|z| z.done).sum();
    headline.checklist_total = zones.iter().map(|z| z.total).sum();

    // Targets.
    let targets: Vec<TargetLine> = f.targets.iter().map(|t| target_line(t, f.start, f.as_of)).collect();
    headline.targets_total = targets.len() as i64;
    headline.targets_on_pace = targets.iter().filter(|t| t.on_pace).count() as i64;

    // Escalated items still open.
    let mut escalated: Vec<EscalatedLine> = f
        .alerts
        .iter()
        .zip(&f.escalations)
        .filter_map(|(a, e)| {
            let (at, by, note) = e.as_ref()?;
            Some(EscalatedLine {
                id: a.key.to_string(),
                source: a.source.code().to_string(),
                title: a.title.to_string(),
                unit: if a.search.is_empty() {
                    a.unit.to_string()
                } else {
                    a.search.to_string()
                },
                due: a.due,
                days_overdue: (-a.days_left).max(0),
                escalated_at: at.clone(),
                escalated_by: by.clone(),
                note: note.clone(),
            })
        })
        .collect();
    escalated.sort_by(|a, b| a.escalated_at.cmp(&b.escalated_at).then(a.id.cmp(&b.id)));
    headline.escalated = escalated.len() as i64;

    Figures {
        quarter: f.quarter.to_string(),
        as_of: f.as_of,
        headline,
        targets,
        units,
        zones,
        escalated,
    }
}

fn target_line(t: &TargetFact, start: NaiveDate, as_of: NaiveDate) -> TargetLine {
    let value = if t.values.is_empty() {
        None
    } else {
        let sum: f64 = t.values.iter().map(|(_, v)| v).sum();
        Some(if t.kind == TargetKind::GrowthRate {
            sum / t.values.len() as f64
        } else {
            sum
        })
    };
    let period = t.values.iter().map(|(p, _)| p.clone()).max();
    let met = value.is_some_and(|v| {
        if t.comparator == ">" {
            v > t.target
        } else {
            v >= t.target
        }
    });
    let on_pace = met
        || (as_of < t.deadline
            && t.kind != TargetKind::GrowthRate
            && value.is_some_and(|v| {
                let total = (t.deadline - start).num_days().max(1) as f64;
                let gone = (as_of - start).num_days().clamp(0, total as i64) as f64;
                v >= t.target * gone / total
            }));
    TargetLine {
        code: t.code.clone(),
        name: t.name.clone(),
        unit: t.unit.clone(),
        target: t.target,
        comparator: t.comparator.clone(),
        value,
        period,
        met,
        on_pace,
    }
}

/// A number as the office writes it: whole when whole, else one decimal.
pub fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Every source code an escalated item may carry (for labels).
pub fn source_of(code: &str) -> Option<AlertSource> {
    AlertSource::from_code(code)
}

/// Dates as `YYYY-MM-DD` in the snapshot's JSON.
mod date_str {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let t = String::deserialize(d)?;
        t.parse().map_err(serde::de::Error::custom)
    }
}

/// A frozen quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub quarter: Quarter,
    pub as_of: NaiveDate,
    pub taken_at: String,
    pub by_user: String,
    pub figures: Figures,
}

/// What the review shows: this quarter's figures and the previous
/// quarter's, frozen when a snapshot exists, else recomputed.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub figures: Figures,
    /// This quarter's own snapshot, when it has one (its figures are then
    /// the frozen ones).
    pub frozen: Option<String>,
    pub prev: Figures,
    pub prev_source: PrevSource,
}

/// Reads everything for the review of `quarter` in one read transaction.
/// A quarter with a snapshot shows the snapshot.
pub fn review(conn: &Connection, quarter: Quarter, today: NaiveDate, policy: &AlertPolicy) -> db::Result<Review> {
    db::review::in_one_read(conn, |tx| {
        let (figures, frozen) = match snapshot(tx, quarter)? {
            Some(s) => (s.figures, Some(s.taken_at)),
            None => (compute(&db::review::facts(tx, quarter, today, policy)?), None),
        };
        let (prev, prev_source) = match snapshot(tx, quarter.prev())? {
            Some(s) => (s.figures, PrevSource::Snapshot),
            None => (
                compute(&db::review::facts(tx, quarter.prev(), today, policy)?),
                PrevSource::Recomputed,
            ),
        };
        Ok(Review {
            figures,
            frozen,
            prev,
            prev_source,
        })
    })
}

/// The snapshot of `quarter`, if one was taken; stored figures this
/// dudao cannot read are [`db::DbError::BadData`].
pub fn snapshot(conn: &Connection, quarter: Quarter) -> db::Result<Option<Snapshot>> {
    let Some(s) = db::review::snapshot(conn, quarter)? else {
        return Ok(None);
    };
    let figures: Figures =
        serde_json::from_str(&s.figures).map_err(|e| db::DbError::BadData(format!("snapshot of {quarter}: {e}")))?;
    Ok(Some(Snapshot {
        quarter,
        as_of: s.as_of.parse().unwrap_or(figures.as_of),
        taken_at: s.taken_at,
        by_user: s.by_user,
        figures,
    }))
}

/// Computes `quarter`'s figures as of its last day and stores them as its
/// snapshot (call inside the write transaction); the figures, and false
/// when the quarter already had one (it stays).
pub fn freeze(
    conn: &Connection,
    quarter: Quarter,
    today: NaiveDate,
    policy: &AlertPolicy,
    at: &str,
    actor: &db::audit::Actor,
) -> db::Result<(Figures, bool)> {
    let figures = compute(&db::review::facts(conn, quarter, today, policy)?);
    let json = serde_json::to_string(&figures).map_err(|e| db::DbError::Invalid(e.to_string()))?;
    let stored = db::review::insert_snapshot(conn, &figures.quarter, figures.as_of, &json, at, actor)?;
    Ok((figures, stored))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::inbox::InboxRow;
    use crate::domain::{Month, UnitKind};

    fn line(unit: &str, on_time: i64, late: i64, missing: i64, overdue: i64, longest: i64) -> UnitLine {
        UnitLine {
            unit: unit.into(),
            short: unit.into(),
            on_time,
            late,
            missing,
            pending: 0,
            overdue_items: overdue,
            max_days_overdue: longest,
        }
    }

    fn figures(units: Vec<UnitLine>) -> Figures {
        Figures {
            quarter: "2026Q3".into(),
            as_of: "2026-09-30".parse().unwrap(),
            headline: Headline::default(),
            targets: vec![],
            units,
            zones: vec![],
            escalated: vec![],
        }
    }

    /// The 通报's rule, pinned: only units with every report on time and
    /// nothing overdue are commended; equal records share a rank and the
    /// next rank counts them; a tie at the last listed place is listed
    /// whole, never cut by name.
    #[test]
    fn the_ranking_follows_its_stated_rule() {
        let mut units = vec![
            line("甲", 3, 0, 0, 0, 0),
            line("乙", 3, 0, 0, 1, 5), // on time, but an item overdue
            line("丙", 3, 1, 0, 0, 0), // one late
            line("丁", 2, 0, 1, 0, 0), // one missing
        ];
        // Twelve units with an equal record: places 2 to 13 by count.
        for i in 0..12 {
            units.push(line(&format!("单位{i:02}"), 2, 0, 0, 0, 0));
        }
        units.push(line("戊", 1, 0, 0, 0, 0));
        let f = figures(units);
        let best = f.best();
        assert_eq!(best.eligible, 14, "甲, the twelve and 戊");
        let ranks: Vec<(usize, &str)> = best.rows.iter().map(|r| (r.rank, r.unit.unit.as_str())).collect();
        assert_eq!(ranks[0], (1, "甲"));
        assert_eq!(best.rows.len(), 13, "the tie at place 2 is listed whole: {ranks:?}");
        assert!(best.rows[1..].iter().all(|r| r.rank == 2), "{ranks:?}");
        assert!(
            !ranks.iter().any(|(_, u)| matches!(*u, "乙" | "丙" | "丁" | "戊")),
            "{ranks:?}"
        );

        let worst = f.worst();
        assert_eq!(worst.eligible, 2);
        let ranks: Vec<(usize, &str)> = worst.rows.iter().map(|r| (r.rank, r.unit.unit.as_str())).collect();
        assert_eq!(ranks, vec![(1, "乙"), (2, "丁")]);

        // Equal on all three counts: the same rank; then the count goes on.
        let f = figures(vec![
            line("a", 0, 0, 1, 2, 9),
            line("b", 0, 0, 1, 2, 9),
            line("c", 0, 0, 0, 2, 9),
            line("d", 0, 0, 0, 1, 1),
        ]);
        let ranks: Vec<usize> = f.worst().rows.iter().map(|r| r.rank).collect();
        assert_eq!(ranks, vec![1, 1, 3, 4]);
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(unit: &str, month: Month, status: InboxStatus, days_late: i64) -> InboxRow {
        InboxRow {
            unit_id: unit.len() as i64,
            names: std::sync::Arc::new(crate::db::inbox::UnitNames {
                full: unit.into(),
                short: unit.chars().take(2).collect::<String>().into(),
            }),
            kind: UnitKind::Department,
            status,
            due: month.report_due(5),
            received_at: None,
            days_late: days_late as i32,
            report_id: (!matches!(status, InboxStatus::Missing | InboxStatus::Pending)).then_some(1),
            version_no: 1,
            version: 1,
            reminders: 0,
            month,
        }
    }

    fn target(code: &str, goal: f64, cmp: &str, kind: TargetKind, values: &[f64]) -> TargetFact {
        TargetFact {
            code: code.into(),
            name: code.into(),
            unit: "家".into(),
            target: goal,
            comparator: cmp.into(),
            kind,
            deadline: d("2025-12-31"),
            values: values.iter().map(|v| ("2025-06".to_string(), *v)).collect(),
        }
    }

    fn facts() -> Facts {
        let q: Quarter = "2025Q2".parse().unwrap();
        let [m1, m2, m3] = q.months();
        Facts {
            quarter: q,
            as_of: q.last_day(),
            start: d("2021-07-01"),
            months: vec![
                vec![
                    row("科技厅", m1, InboxStatus::Accepted, 0),
                    row("教育厅", m1, InboxStatus::Late, 2),
                    row("拉萨市", m1, InboxStatus::Missing, 9),
                ],
                vec![
                    row("科技厅", m2, InboxStatus::New, 0),
                    row("教育厅", m2, InboxStatus::Accepted, 0),
                    row("拉萨市", m2, InboxStatus::Missing, 3),
                ],
                vec![
                    row("科技厅", m3, InboxStatus::Pending, 0),
                    row("教育厅", m3, InboxStatus::Pending, 0),
                    row("拉萨市", m3, InboxStatus::Closed, 0),
                ],
            ],
            alerts: vec![],
            escalations: vec![],
            authority: vec![
                AuthorityFact {
                    zone: "拉萨高新区".into(),
                    domain: AuthorityDomain::Talent,
                    status: AuthorityStatus::Delegated,
                },
                AuthorityFact {
                    zone: "拉萨高新区".into(),
                    domain: AuthorityDomain::Talent,
                    status: AuthorityStatus::Proposed,
                },
                AuthorityFact {
                    zone: "拉萨高新区".into(),
                    domain: AuthorityDomain::Finance,
                    status: AuthorityStatus::Revoked,
                },
                AuthorityFact {
                    zone: "昌都高新区".into(),
                    domain: AuthorityDomain::SciTech,
                    status: AuthorityStatus::Undertaken,
                },
            ],
            zones: vec!["拉萨高新区".into(), "昌都高新区".into()],
            targets: vec![
                target("met", 2.0, ">=", TargetKind::Count, &[2.0]),
                target("strict", 160.0, ">", TargetKind::Count, &[160.0]),
                // 4 years of 4.5 gone: 40 × 47/54 ≈ 35 needed.
                target("pace", 40.0, ">=", TargetKind::Count, &[36.0]),
                target("behind", 40.0, ">=", TargetKind::Count, &[20.0]),
                target("growth", 10.0, ">=", TargetKind::GrowthRate, &[9.0, 12.0]),
                target("none", 5.0, ">=", TargetKind::Count, &[]),
            ],
        }
    }

    #[test]
    fn headline_counts_reports_checklist_and_targets() {
        let f = compute(&facts());
        let h = f.headline;
        assert_eq!(
            (h.reports_on_time, h.reports_late, h.reports_missing, h.reports_due),
            (3, 1, 2, 6)
        );
        assert_eq!(h.on_time_pct(), Some(50));
        // The revoked item counts for nothing; delegated and undertaken are done.
        assert_eq!((h.checklist_done, h.checklist_total), (2, 3));
        assert_eq!(h.checklist_pct(), Some(67));
        let on: Vec<&str> = f
            .targets
            .iter()
            .filter(|t| t.on_pace)
            .map(|t| t.code.as_str())
            .collect();
        // `>` 160 is not met by 160, but on pace before the deadline;
        // growth rates average (10.5 ≥ 10).
        assert_eq!(on, ["met", "strict", "pace", "growth"]);
        assert_eq!((h.targets_on_pace, h.targets_total), (4, 6));
        assert!(!f.targets[1].met);
        // Past the deadline, only what is met is on pace.
        let mut late = facts();
        late.as_of = d("2026-03-31");
        let f2 = compute(&late);
        let on: Vec<&str> = f2
            .targets
            .iter()
            .filter(|t| t.on_pace)
            .map(|t| t.code.as_str())
            .collect();
        assert_eq!(on, ["met", "growth"]);
        assert_eq!(f.targets[5].value, None);
    }

    #[test]
    fn units_are_sorted_and_ranked() {
        let f = compute(&facts());
        let order: Vec<&str> = f.units.iter().map(|u| u.unit.as_str()).collect();
        assert_eq!(order, ["科技厅", "教育厅", "拉萨市"]);
        let best: Vec<&str> = f.best().rows.iter().map(|r| r.unit.unit.as_str()).collect();
        assert_eq!(best, ["科技厅"]);
        let worst: Vec<&str> = f.worst().rows.iter().map(|r| r.unit.unit.as_str()).collect();
        assert_eq!(worst, ["拉萨市"]);
        let lasa = &f.units[2];
        assert_eq!((lasa.missing, lasa.pending), (2, 1));
    }

    #[test]
    fn checklist_by_zone_and_domain() {
        let f = compute(&facts());
        let talent = AuthorityDomain::ALL
            .iter()
            .position(|d| *d == AuthorityDomain::Talent)
            .unwrap();
        assert_eq!(f.zones[0].domains[talent], (1, 2));
        assert_eq!((f.zones[1].done, f.zones[1].total), (1, 1));
        assert_eq!(f.domain_totals().iter().map(|x| x.1).sum::<i64>(), 3);
    }

    #[test]
    fn comparison_says_better_or_worse() {
        let a = Headline {
            reports_due: 10,
            reports_on_time: 9,
            overdue_items: 5,
            ..Headline::default()
        };
        let b = Headline {
            reports_due: 10,
            reports_on_time: 7,
            overdue_items: 3,
            ..Headline::default()
        };
        let c = compare(&a, &b);
        let get = |m: Metric| c.iter().find(|x| x.metric == m).copied().unwrap();
        assert_eq!(get(Metric::OnTimePct).delta(), Some(20));
        assert_eq!(get(Metric::OnTimePct).better(), Some(true));
        assert_eq!(
            get(Metric::Overdue).better(),
            Some(false),
            "more overdue items is worse"
        );
        assert_eq!(get(Metric::Missing).better(), None);
        assert_eq!(get(Metric::ChecklistPct).delta(), None, "nothing to compare");
    }

    #[test]
    fn figures_survive_json() {
        let f = compute(&facts());
        let back: Figures = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back, f);
        assert_eq!(pct(1, 3), Some(33));
        assert_eq!(pct(2, 3), Some(67));
        assert_eq!(pct(0, 0), None);
    }
}
