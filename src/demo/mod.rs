//! `dudao demo`: a deterministic sample database. The same options always
//! give the same rows: every random choice comes from a stream keyed by the
//! seed and the record it is for, and no clock or user is read.

pub mod rng;
mod tasks;
mod text;

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, Transaction};

use crate::db::audit::{self, Actor, Entry};
use crate::db::{self, Result};
use crate::domain::{AuthorityDomain, AuthorityStatus, Month, Progress, TargetKind};
use crate::policy::{self, catalog};
use rng::{Rng, key};
use text::*;

/// Options of `dudao demo`.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// The "today" of the sample: reports run through the month before it.
    pub as_of: NaiveDate,
    pub seed: u64,
    /// Multiplies the reporting units (synthetic copies) for benchmarks.
    pub scale: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            as_of: NaiveDate::from_ymd_opt(2026, 11, 30).expect("valid"),
            seed: 1,
            scale: 1,
        }
    }
}

/// The first month the policy's reporting system runs.
pub const FIRST_MONTH: Month = Month { year: 2021, month: 7 };

/// Counts of what was generated.
#[derive(Debug, Default, Clone, Copy)]
pub struct DemoStats {
    pub units: u64,
    pub reports: u64,
    pub items: u64,
    pub authority_items: u64,
    pub tasks: u64,
}

struct UnitInfo {
    id: i64,
    short: String,
    articles: Vec<i64>,
    /// Articles on which the unit is a lead unit.
    lead: Vec<i64>,
    /// 0 = diligent … 1 = often late.
    laziness: f64,
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new((-n) as u64)).unwrap_or(d)
    }
}

/// Fills an empty, migrated database with the bundled policy and sample data.
/// `progress(done, total)` is called now and then while reports are made.
pub fn generate(conn: &mut Connection, opts: DemoOptions, progress: &dyn Fn(u64, u64)) -> Result<DemoStats> {
    if opts.scale == 0 {
        return Err(db::DbError::Invalid("--scale must be at least 1".into()));
    }
    let last = Month::of(opts.as_of).prev();
    if last < FIRST_MONTH {
        return Err(db::DbError::Invalid(format!("--as-of must be after {FIRST_MONTH}")));
    }
    let policy = policy::parse(policy::BUNDLED_TEXT, Some(policy::BUNDLED_TITLE))
        .map_err(|e| db::DbError::Invalid(e.to_string()))?;
    let model = policy::model::build(policy, &catalog::Catalog::bundled(), catalog::Targets::bundled());
    let actor = Actor::demo();
    let at = format!("{}T00:00:00Z", date(opts.as_of));
    let mut stats = DemoStats::default();
    db::write_tx(conn, |tx| {
        db::load::load_model(tx, &model, &actor, &at, crate::db::load::DEFAULT_REPORT_DUE_DAY)?;
        for (k, v) in [
            ("demo_as_of", date(opts.as_of)),
            ("demo_seed", opts.seed.to_string()),
            ("demo_scale", opts.scale.to_string()),
            ("reporting_start", FIRST_MONTH.to_string()),
        ] {
            db::set_meta(tx, k, &v)?;
        }
        if opts.scale > 1 {
            add_synthetic_units(tx, opts.scale)?;
        }
        let units = reporting_units(tx, opts.seed)?;
        stats.units = units.len() as u64;
        let (reports, items) = gen_reports(tx, &units, opts, last, progress)?;
        stats.reports = reports;
        stats.items = items;
        gen_measures(tx, opts)?;
        stats.authority_items = gen_authority(tx, opts)?;
        gen_meetings(tx, opts)?;
        stats.tasks = tasks::generate(tx, opts)?;
        // The quarter before the last finished one is frozen, as the office
        // would have done after that review (the last one is left to
        // `dudao snapshot`), so page 7 of the review compares with it.
        if opts.scale == 1 {
            let q = crate::domain::Quarter::last_finished(opts.as_of).prev();
            let policy = crate::db::alerts::AlertPolicy::default();
            crate::figures::freeze(tx, q, opts.as_of, &policy, &at, &actor)?;
        }
        audit::record(
            tx,
            &actor,
            &Entry {
                at: &at,
                action: "demo",
                entity: "database",
                entity_id: "",
                old: None,
                new: Some(serde_json::json!({
                    "as_of": date(opts.as_of), "seed": opts.seed, "scale": opts.scale,
                    "reports": stats.reports, "items": stats.items,
                })),
                result: "ok",
            },
        )?;
        db::audit::record_baseline(tx, &actor, &at)?;
        Ok(())
    })?;
    Ok(stats)
}

fn add_synthetic_units(tx: &Transaction, scale: u32) -> Result<()> {
    let base = db::units::reporting(tx)?;
    for k in 2..=scale as i64 {
        for u in &base {
            db::units::add_synthetic_copy(tx, u.id, k)?;
        }
    }
    Ok(())
}

fn reporting_units(tx: &Transaction, seed: u64) -> Result<Vec<UnitInfo>> {
    let mut out = Vec::new();
    for u in db::units::reporting(tx)? {
        let articles = db::units::articles(tx, u.id, false)?;
        let lead = db::units::articles(tx, u.id, true)?;
        let mut r = Rng::keyed(seed, &[key("laziness"), key(&u.name)]);
        let laziness = if r.chance(0.2) {
            0.5 + r.unit() * 0.5
        } else {
            r.unit() * 0.3
        };
        out.push(UnitInfo {
            id: u.id,
            short: u.short,
            articles,
            lead,
            laziness,
        });
    }
    Ok(out)
}

type TargetInfo = db::load::Goal;

/// The value an indicator has reached by `m`: a curve from a 2021 baseline to
/// a per-indicator share of the target at 2025-12 (some fall short).
fn indicator_value(t: &TargetInfo, seed: u64, m: Month) -> f64 {
    let mut r = Rng::keyed(seed, &[key("target"), key(&t.code)]);
    let reach = 0.72 + r.unit() * 0.45; // share of the target reached by 2025-12
    let base = 0.15 + r.unit() * 0.25;
    let span = FIRST_MONTH.months_until(Month { year: 2025, month: 12 }) as f64;
    let x = (FIRST_MONTH.months_until(m) as f64 / span).max(0.0);
    let share = base + (reach - base) * x.min(1.0).sqrt() + (x - 1.0).max(0.0) * 0.08;
    match t.kind {
        TargetKind::GrowthRate => {
            let mut j = Rng::keyed(seed, &[key("growth"), key(&t.code), m.year as u64, m.month as u64]);
            ((t.value * (0.6 + j.unit() * 0.7)) * 10.0).round() / 10.0
        }
        TargetKind::Amount => (t.value * share * 10.0).round() / 10.0,
        TargetKind::Coverage => (t.value * share).floor().min(t.value),
        TargetKind::PerZone => (5.0 * share).floor().min(5.0),
        TargetKind::Count => (t.value * share).round(),
    }
}

fn gen_reports(
    tx: &Transaction,
    units: &[UnitInfo],
    opts: DemoOptions,
    last: Month,
    progress: &dyn Fn(u64, u64),
) -> Result<(u64, u64)> {
    use crate::domain::{Channel, ItemKey, ReportStatus};
    use crate::intake::{ReportBody, SubItem, Value};
    let due_day = crate::db::load::DEFAULT_REPORT_DUE_DAY;
    let targets = db::load::goals(tx)?;
    let measures = db::measures::texts(tx)?;
    let staff = |name: &str| Actor::os(-1, name);
    let months: Vec<Month> = FIRST_MONTH.through(last).collect();
    let total = (units.len() * months.len()) as u64;
    let (mut n_reports, mut n_items, mut done) = (0u64, 0u64, 0u64);
    let as_of_month = Month::of(opts.as_of);
    for u in units {
        // The unit's contact person, on its own random stream.
        let (contact_name, contact_phone) = {
            let mut r = Rng::keyed(opts.seed, &[key("contact"), u.id as u64]);
            let name = format!("{}{}", r.pick(SURNAMES), r.pick(GIVEN_NAMES));
            (name, format!("0891-{}", r.range(6_000_000, 6_999_999)))
        };
        for &m in &months {
            done += 1;
            if done % 5000 == 0 {
                progress(done, total);
            }
            let mut r = Rng::keyed(opts.seed, &[key("report"), u.id as u64, m.year as u64, m.month as u64]);
            let due = m.report_due(due_day);
            let age = m.months_until(as_of_month); // 1 = last month
            let p_missing = if age <= 2 {
                0.06 + u.laziness * 0.35
            } else {
                0.004 + u.laziness * 0.01
            };
            let item = ItemKey::Report { unit: u.id, month: m };
            if r.chance(p_missing) {
                // Missing: overdue reports draw reminders (催办), more for older ones.
                let n_rem = if opts.as_of > due { r.below(3) } else { 0 };
                // Channels and notes draw from their own streams, so the
                // rest of the sample does not depend on them.
                let mut extra = Rng::keyed(
                    opts.seed,
                    &[key("follow-up"), u.id as u64, m.year as u64, m.month as u64],
                );
                let mut last_at = None;
                for k in 0..n_rem {
                    let at = add_days(due, 3 + 7 * k as i64).min(opts.as_of);
                    let by = staff(r.pick::<&str>(STAFF));
                    let channel = Channel::from_code(extra.pick::<&str>(CHANNELS)).unwrap_or(Channel::System);
                    db::notes::insert_reminder(
                        tx,
                        item,
                        Some(u.id),
                        &by,
                        &format!("{} 10:00", date(at)),
                        channel,
                        REMINDER_NOTES[k as usize % REMINDER_NOTES.len()],
                    )?;
                    last_at = Some(at);
                }
                if let Some(at) = last_at
                    && extra.chance(0.5)
                {
                    let at = add_days(at, 1).min(opts.as_of);
                    let by = staff(extra.pick::<&str>(STAFF));
                    db::notes::insert_note(
                        tx,
                        item,
                        &by,
                        &format!("{} 16:30", date(at)),
                        extra.pick::<&str>(FOLLOW_UP_NOTES),
                    )?;
                }
                continue;
            }
            let late = r.chance(0.05 + u.laziness * 0.25);
            let received = if late {
                add_days(due, r.range(1, 25))
            } else {
                add_days(due, -r.range(0, 6))
            };
            if received > opts.as_of {
                continue; // not yet in: shows as overdue and unreported
            }
            let returned = r.chance(0.05);
            let status = if returned {
                ReportStatus::Returned
            } else if age <= 1 && r.chance(0.6) {
                ReportStatus::New
            } else {
                ReportStatus::Accepted
            };
            let received_at = format!("{} {:02}:{:02}", date(received), r.range(8, 19), r.range(0, 59));
            let summary = format!(
                "{}年{}月{}“双创”工作月报：{}，{}",
                m.year,
                m.month,
                u.short,
                r.pick(SUMMARY_OPENERS),
                r.pick(SUMMARY_CLOSERS)
            );
            let (reason, resubmit_by) = if returned {
                (r.pick(RETURN_REASONS).to_string(), Some(add_days(received, 7)))
            } else {
                (String::new(), None)
            };
            // Returned long ago: resubmitted as version 2.
            let resubmit = add_days(received, r.range(2, 9));
            let second = if returned && resubmit <= opts.as_of && (age > 2 || r.chance(0.5)) {
                let st2 = if age <= 1 && r.chance(0.5) {
                    ReportStatus::New
                } else {
                    ReportStatus::Accepted
                };
                let at2 = format!("{} {:02}:{:02}", date(resubmit), r.range(8, 19), r.range(0, 59));
                Some((st2, at2))
            } else {
                None
            };
            // Per-article progress: every article the unit leads, and up to two it partners on.
            let mut chosen: Vec<i64> = u.lead.clone();
            let mut partner: Vec<i64> = u.articles.iter().filter(|a| !u.lead.contains(a)).copied().collect();
            for _ in 0..2.min(partner.len()) {
                let j = r.below(partner.len() as u64) as usize;
                chosen.push(partner.swap_remove(j));
            }
            chosen.sort_unstable();
            let mut items = Vec::with_capacity(chosen.len());
            for &art in chosen.iter() {
                let ms: Vec<&String> = measures.iter().filter(|(a, _)| *a == art).map(|(_, t)| t).collect();
                let measure = ms
                    .get(r.below(ms.len().max(1) as u64) as usize)
                    .map(|s| s.as_str())
                    .unwrap_or("");
                let head = measure_head(measure);
                let st = if age > 30 && r.chance(0.05) {
                    Progress::Done
                } else if r.chance(0.08 + u.laziness * 0.3) {
                    Progress::Lagging
                } else {
                    Progress::OnTrack
                };
                let progress_text = format!("围绕“{head}”，{}。", r.pick(PROGRESS_VERBS));
                let diff = if st == Progress::Lagging {
                    r.pick(DIFFICULTIES).to_string()
                } else {
                    String::new()
                };
                items.push(SubItem {
                    article_no: art,
                    status: st,
                    progress: progress_text,
                    difficulties: diff,
                    next_steps: r.pick(NEXT_STEPS).to_string(),
                });
            }
            let values: Vec<Value> = targets
                .iter()
                .filter(|t| t.reporter == Some(u.id))
                .map(|t| Value {
                    code: t.code.clone(),
                    value: indicator_value(t, opts.seed, m),
                })
                .collect();
            let mut body = ReportBody {
                summary,
                contact_name: contact_name.clone(),
                contact_phone: contact_phone.clone(),
                items,
                values,
                tasks: Vec::new(),
            };
            let version = |body: &ReportBody, received_at: &str, status, reason: &str, resubmit_by| {
                db::reports::insert_version(
                    tx,
                    &db::reports::NewVersion {
                        unit_id: u.id,
                        month: m,
                        due_date: due,
                        received_at,
                        body,
                        source: "demo",
                        import_id: None,
                        status,
                        return_reason: reason,
                        resubmit_by,
                    },
                )
            };
            version(&body, &received_at, status, &reason, resubmit_by)?;
            n_reports += 1;
            n_items += body.items.len() as u64;
            if let Some((st2, at2)) = second {
                body.summary.push_str("（修改稿）");
                version(&body, &at2, st2, "", None)?;
                n_reports += 1;
                n_items += body.items.len() as u64;
            }
        }
    }
    progress(total, total);
    Ok((n_reports, n_items))
}

/// The opening clause of a measure, for a progress line that names it.
fn measure_head(measure: &str) -> String {
    let m = measure.trim_end_matches('。');
    let clause = m.split(['，', '；']).next().unwrap_or(m);
    if clause.chars().count() <= 28 {
        clause.to_string()
    } else {
        let mut s: String = clause.chars().take(26).collect();
        s.push('…');
        s
    }
}

fn gen_measures(tx: &Transaction, opts: DemoOptions) -> Result<()> {
    use crate::domain::{Channel, ItemKey};
    let staff = |name: &str| Actor::os(-1, name);
    let first = NaiveDate::from_ymd_opt(2022, 3, 31).expect("valid");
    for id in db::measures::owned(tx)? {
        let item = ItemKey::Measure(id);
        let mut r = Rng::keyed(opts.seed, &[key("measure"), id as u64]);
        let mut due = Month::of(add_days(first, r.range(0, 58) * 30)).day(31);
        let overdue_window = add_days(opts.as_of, -60);
        let done = if due < overdue_window {
            r.chance(0.85)
        } else {
            r.chance(0.1)
        };
        // Open measures long past due were extended towards today (history kept);
        // some others were extended once or twice too.
        if !done && due < add_days(opts.as_of, -200) {
            let new_due = Month::of(add_days(opts.as_of, -r.range(0, 150)))
                .day(31)
                .max(add_days(due, 30));
            let reason = r.pick::<&str>(EXTENSION_REASONS);
            let by = staff(r.pick::<&str>(STAFF));
            let at = format!("{} 15:00", date(add_days(due, -5)));
            db::flags::insert_extension(tx, item, due, new_due, reason, false, &by, &at)?;
            due = new_due;
        } else if !done && r.chance(0.3) {
            let mut old = add_days(due, -r.range(60, 200));
            let n = 1 + r.below(2);
            for _ in 0..n {
                let new_due = if old < due {
                    add_days(old, r.range(30, 120)).min(due)
                } else {
                    due
                };
                if new_due <= old {
                    break;
                }
                let reason = r.pick::<&str>(EXTENSION_REASONS);
                let at = format!("{} 15:00", date(add_days(old, -5)));
                let by = staff(r.pick::<&str>(STAFF));
                db::flags::insert_extension(tx, item, old, new_due, reason, false, &by, &at)?;
                old = new_due;
            }
            due = old;
        }
        let done_date = done.then(|| add_days(due, -r.range(0, 40)).min(opts.as_of));
        db::flags::set_due(tx, item, due)?;
        db::flags::set_measure_status(tx, id, done_date)?;
        if !done && due < opts.as_of && r.chance(0.6) {
            let chased = 1 + r.below(3);
            // Chased three times without result: some go to the leading group
            // (their own stream, so the rest of the sample stays as it was).
            let mut e = Rng::keyed(opts.seed, &[key("escalate"), id as u64]);
            if chased >= 2 && e.chance(0.5) {
                let at = add_days(due, 5 + 14 * chased as i64).min(opts.as_of);
                db::flags::set_flags(
                    tx,
                    item,
                    &db::flags::Flags {
                        escalated_at: Some(format!("{}T02:00:00Z", date(at))),
                        escalated_by: Some(e.pick(STAFF).to_string()),
                        escalate_note: e.pick(ESCALATE_NOTES).to_string(),
                        ..Default::default()
                    },
                )?;
            }
            let owner = db::measures::first_owner(tx, id)?;
            for k in 0..chased {
                let at = add_days(due, 5 + 14 * k as i64).min(opts.as_of);
                let by = staff(r.pick::<&str>(STAFF));
                let channel =
                    Channel::from_code(Rng::keyed(opts.seed, &[key("channel"), id as u64, k]).pick::<&str>(CHANNELS))
                        .unwrap_or(Channel::System);
                db::notes::insert_reminder(
                    tx,
                    item,
                    owner,
                    &by,
                    &format!("{} 11:00", date(at)),
                    channel,
                    REMINDER_NOTES[k as usize % REMINDER_NOTES.len()],
                )?;
            }
        }
    }
    Ok(())
}

fn gen_authority(tx: &Transaction, opts: DemoOptions) -> Result<u64> {
    let zones = db::checklist::zones(tx)?;
    let unit_id = |name: &str| -> Result<Option<i64>> {
        Ok(db::units::resolve(tx, name)
            .ok()
            .filter(|u| u.name == name)
            .map(|u| u.id))
    };
    let mut n = 0;
    let mut doc_seq = 0;
    for (zi, (zone_id, zone)) in zones.iter().enumerate() {
        // National demonstration zones are further along than the ones being created.
        let maturity = match zi {
            0 | 1 => 0.8,
            2 => 0.55,
            _ => 0.25,
        };
        for (di, dom) in AuthorityDomain::ALL.iter().enumerate() {
            let mut r = Rng::keyed(opts.seed, &[key("authority"), key(zone), di as u64]);
            let names = AUTHORITY_ITEMS[di];
            let count = 1 + r.below(2) as usize;
            let start = r.below(names.len() as u64) as usize;
            let grantor = GRANTORS[di];
            let grantor_id = unit_id(grantor)?;
            for k in 0..count {
                let name = names[(start + k) % names.len()];
                let x = r.unit() * maturity + r.unit() * 0.3;
                let status = if r.chance(0.04) {
                    AuthorityStatus::Suspended
                } else if r.chance(0.02) {
                    AuthorityStatus::Revoked
                } else if x > 0.75 {
                    AuthorityStatus::Undertaken
                } else if x > 0.55 {
                    AuthorityStatus::Delegated
                } else if x > 0.4 {
                    AuthorityStatus::Approved
                } else if x > 0.25 {
                    AuthorityStatus::Submitted
                } else {
                    AuthorityStatus::Proposed
                };
                let level = if r.chance(0.6) { "region" } else { "prefecture" };
                let proposed = add_days(NaiveDate::from_ymd_opt(2021, 9, 1).expect("valid"), r.range(0, 700));
                let approved = matches!(
                    status,
                    AuthorityStatus::Approved
                        | AuthorityStatus::Delegated
                        | AuthorityStatus::Undertaken
                        | AuthorityStatus::Revoked
                )
                .then(|| add_days(proposed, r.range(30, 200)));
                let delegated = (status.is_done() || status == AuthorityStatus::Revoked)
                    .then(|| add_days(approved.unwrap_or(proposed), r.range(20, 120)));
                let doc_no = match delegated {
                    Some(d) => {
                        doc_seq += 1;
                        format!("{}〔{}〕{}号", doc_prefix(grantor), d.format("%Y"), 10 + doc_seq % 90)
                    }
                    None => String::new(),
                };
                let due = status.is_open().then(|| add_days(opts.as_of, r.range(-90, 200)));
                let note = match status {
                    AuthorityStatus::Suspended => "承接条件尚不具备，暂缓下放",
                    AuthorityStatus::Revoked => "承接后运行不规范，依规收回",
                    _ => "",
                };
                let level =
                    crate::domain::AuthorityLevel::from_code(level).unwrap_or(crate::domain::AuthorityLevel::Region);
                let id = db::checklist::insert(
                    tx,
                    &db::checklist::AuthorityFields {
                        zone_id: *zone_id,
                        domain: *dom,
                        level,
                        name: name.to_string(),
                        grantor_id,
                        due_date: due,
                        note: note.to_string(),
                    },
                    proposed,
                )?;
                db::checklist::set_state(
                    tx,
                    &db::checklist::AuthorityState {
                        id,
                        zone_id: *zone_id,
                        name: name.to_string(),
                        status,
                        doc_no: doc_no.clone(),
                        proposed_date: Some(date(proposed)),
                        approved_date: approved.map(date),
                        delegated_date: delegated.map(date),
                        version: 1,
                    },
                    1,
                )?;
                // The item's history: each step of the workflow it went through.
                use AuthorityStatus as S;
                let rank = S::CHAIN.iter().position(|x| *x == status);
                let mut steps: Vec<(NaiveDate, AuthorityStatus, &str, &str)> = vec![(proposed, S::Proposed, "", "")];
                if rank.is_some_and(|r| r >= 1) || approved.is_some() {
                    steps.push((add_days(proposed, 10), S::Submitted, "", ""));
                }
                if let Some(a) = approved {
                    steps.push((a, S::Approved, "", ""));
                }
                if let Some(d) = delegated {
                    steps.push((d, S::Delegated, doc_no.as_str(), ""));
                    if status == S::Undertaken {
                        steps.push((add_days(d, 15), S::Undertaken, doc_no.as_str(), ""));
                    }
                }
                match status {
                    S::Suspended => steps.push((add_days(proposed, 40), S::Suspended, "", note)),
                    S::Revoked => steps.push((
                        add_days(delegated.unwrap_or(proposed), 60),
                        S::Revoked,
                        doc_no.as_str(),
                        note,
                    )),
                    _ => {}
                }
                let mut from = None;
                for (d, to, doc, why) in steps {
                    let at = format!("{}T01:00:00Z", date(d));
                    db::checklist::insert_event(tx, id, &at, d, from, to, doc, why, &Actor::demo(), false)?;
                    from = Some(to);
                }
                n += 1;
            }
        }
    }
    Ok(n)
}

fn gen_meetings(tx: &Transaction, opts: DemoOptions) -> Result<()> {
    const Q: [&str; 4] = ["一", "二", "三", "四"];
    let mut m = Month { year: 2021, month: 9 };
    let end = Month::of(opts.as_of).next().next().next();
    while m <= end {
        let d = m.day(20);
        let q = (m.month - 1) / 3;
        let title = format!("自治区推进“双创”领导小组{}年第{}季度会议", m.year, Q[q as usize]);
        let status = if d < opts.as_of {
            crate::domain::MeetingStatus::Held
        } else {
            crate::domain::MeetingStatus::Planned
        };
        db::meetings::insert(tx, d, &title, "quarterly", status)?;
        m = m.next().next().next();
    }
    Ok(())
}
