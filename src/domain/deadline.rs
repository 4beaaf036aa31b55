//! The deadline engine: working days, due dates after extensions, how many
//! days are left, the traffic-light level and the 催办 ladder. Pure: the
//! database gathers the facts (`db::alerts`), this decides.
//!
//! - A due date on a weekend or public holiday rolls to the next working
//!   day (China's calendar with its make-up workdays, `assets/holidays-cn.toml`);
//!   with working days off, every day counts.
//! - Day counts are in working days when the calendar is on, calendar days
//!   when off; the thresholds count in the same days.
//! - Levels: overdue is red; due within `yellow_days`, yellow; within
//!   `blue_days`, blue; later, calm. Each reminder (催办) that has gone
//!   unanswered for `reminder_wait_days` working days raises the item one
//!   step up the ladder (blue → yellow → red → 通报), if it came at least
//!   that many working days after the last reminder that did (reminders
//!   given together count once). An extension answers the reminders
//!   before it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

use super::{AlertLevel, AlertThresholds, ItemKey};

/// Working days: weekends and public holidays off, make-up workdays on.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// Off: the calendar is ignored and every day counts.
    pub enabled: bool,
    off: BTreeSet<NaiveDate>,
    work: BTreeSet<NaiveDate>,
    /// Years whose holidays are known, and whether each is provisional.
    years: BTreeMap<i32, bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    #[serde(default)]
    source: String,
    #[serde(default)]
    provisional: bool,
    #[serde(default)]
    off: Vec<String>,
    #[serde(default)]
    work: Vec<String>,
}

/// The bundled calendar (2021–2027).
pub const BUNDLED_HOLIDAYS: &str = include_str!("../../assets/holidays-cn.toml");

fn dates(spec: &str) -> Result<Vec<NaiveDate>, String> {
    let day = |s: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
    };
    match spec.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (day(a)?, day(b)?);
            if b < a || (b - a).num_days() > 31 {
                return Err(format!("{spec:?} is not a range of at most a month"));
            }
            Ok(a.iter_days().take_while(|d| *d <= b).collect())
        }
        None => Ok(vec![day(spec)?]),
    }
}

impl Calendar {
    /// Every day a working day.
    pub fn calendar_days() -> Calendar {
        Calendar {
            enabled: false,
            off: BTreeSet::new(),
            work: BTreeSet::new(),
            years: BTreeMap::new(),
        }
    }

    /// The bundled calendar.
    pub fn bundled() -> Calendar {
        Calendar::from_toml(BUNDLED_HOLIDAYS).expect("the bundled holidays parse")
    }

    /// A calendar from a holidays file (`[YEAR]` tables with `off`, `work`).
    pub fn from_toml(text: &str) -> Result<Calendar, String> {
        let mut c = Calendar::calendar_days();
        c.enabled = true;
        c.extend_toml(text)?;
        Ok(c)
    }

    /// Adds the years of another holidays file; a year it names replaces
    /// the one known.
    pub fn extend_toml(&mut self, text: &str) -> Result<(), String> {
        let file: BTreeMap<String, YearFile> = toml::from_str(text).map_err(|e| e.message().to_string())?;
        for (name, y) in file {
            let year: i32 = name.parse().map_err(|_| format!("[{name}]: not a year"))?;
            let _ = &y.source;
            self.off.retain(|d| d.year() != year);
            self.work.retain(|d| d.year() != year);
            for spec in &y.off {
                for d in dates(spec).map_err(|e| format!("[{name}] off: {e}"))? {
                    self.off.insert(d);
                }
            }
            for spec in &y.work {
                for d in dates(spec).map_err(|e| format!("[{name}] work: {e}"))? {
                    self.work.insert(d);
                }
            }
            self.years.insert(year, y.provisional);
        }
        Ok(())
    }

    /// Whether `year`'s holidays are only provisional (or not known at all).
    pub fn provisional(&self, year: i32) -> bool {
        self.years.get(&year).copied().unwrap_or(true)
    }

    pub fn is_working(&self, d: NaiveDate) -> bool {
        if !self.enabled || self.work.contains(&d) {
            return true;
        }
        !self.off.contains(&d) && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The day `n` working days after `from` (`from` itself not counted).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().unwrap_or(d);
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }

    /// `d`, or the next working day after it.
    pub fn roll_forward(&self, d: NaiveDate) -> NaiveDate {
        let mut x = d;
        for _ in 0..366 {
            if self.is_working(x) {
                return x;
            }
            match x.checked_add_days(Days::new(1)) {
                Some(n) => x = n,
                None => return x,
            }
        }
        d
    }

    /// Working days in `(from, to]` (calendar days when off).
    fn count(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to <= from {
            return 0;
        }
        let days = (to - from).num_days();
        if !self.enabled {
            return days;
        }
        // Weekdays in (from, to], then the exceptions in that range.
        let weeks = days / 7;
        let mut n = weeks * 5;
        let mut d = from + chrono::Duration::days(weeks * 7);
        while d < to {
            d = d.succ_opt().unwrap_or(d);
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                n += 1;
            }
        }
        let range = (std::ops::Bound::Excluded(from), std::ops::Bound::Included(to));
        let weekday = |d: &&NaiveDate| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        n -= self
            .off
            .range(range)
            .filter(weekday)
            .filter(|d| !self.work.contains(d))
            .count() as i64;
        n += self.work.range(range).filter(|d| !weekday(d)).count() as i64;
        n
    }

    /// Days from `today` to `due`: positive when days are left, negative
    /// when overdue, 0 when due today (working days when on).
    pub fn days_left(&self, today: NaiveDate, due: NaiveDate) -> i64 {
        if due >= today {
            self.count(today, due)
        } else {
            -self.count(due, today).max(1)
        }
    }
}

/// How the ladder works (configurable).
#[derive(Debug, Clone, PartialEq)]
pub struct Ladder {
    /// The steps a reminder raises an item through, lowest first.
    pub steps: Vec<AlertLevel>,
    /// Days (working days when the calendar is on) a reminder stays
    /// unanswered before it raises the item, and the least time between two
    /// reminders that both raise it.
    pub wait_days: i64,
}

impl Default for Ladder {
    fn default() -> Self {
        Ladder {
            steps: vec![
                AlertLevel::Calm,
                AlertLevel::Blue,
                AlertLevel::Yellow,
                AlertLevel::Red,
                AlertLevel::Circular,
            ],
            wait_days: 3,
        }
    }
}

/// An extension (延期) of an item's due date.
#[derive(Debug, Clone, PartialEq)]
pub struct Extension {
    pub id: i64,
    pub old_due: NaiveDate,
    pub new_due: NaiveDate,
    pub reason: String,
    pub at: NaiveDate,
    pub by: String,
    /// Made after the old due date had passed.
    pub late: bool,
}

/// What the database knows about one dated item.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub key: ItemKey,
    /// The due date before any extension.
    pub due: NaiveDate,
    /// Extensions in force, oldest first.
    pub extensions: Vec<Extension>,
    /// Days reminders were given (not withdrawn), oldest first.
    pub reminders: Vec<NaiveDate>,
    pub closed: bool,
    pub snoozed_until: Option<NaiveDate>,
    pub escalated: bool,
}

/// The engine's verdict on one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The due date in force: the last extension's, rolled to a working day.
    pub due: NaiveDate,
    /// Negative when overdue; working or calendar days as the calendar says.
    pub days_left: i64,
    pub level: AlertLevel,
    /// The level the dates alone give (before reminders raise it).
    pub base_level: AlertLevel,
    /// Reminders since the last extension (the unit's last answer).
    pub unanswered: u32,
    pub last_reminder: Option<NaiveDate>,
    /// Snoozed until a later date: hidden unless asked for.
    pub snoozed: bool,
    pub escalated: bool,
}

/// Judges one item; `None` when it is closed (办结).
pub fn evaluate(f: &Facts, today: NaiveDate, cal: &Calendar, t: AlertThresholds, ladder: &Ladder) -> Option<Verdict> {
    if f.closed {
        return None;
    }
    let last_ext = f.extensions.last();
    let due = cal.roll_forward(last_ext.map(|e| e.new_due).unwrap_or(f.due));
    let days_left = cal.days_left(today, due);
    let base_level = AlertLevel::classify(days_left, 0, t);
    let answered_until = last_ext.map(|e| e.at);
    let unanswered: Vec<NaiveDate> = f
        .reminders
        .iter()
        .copied()
        .filter(|r| answered_until.is_none_or(|a| *r > a))
        .collect();
    let level = raise(
        base_level,
        counted_reminders(&unanswered, today, cal, ladder.wait_days),
        ladder,
    );
    Some(Verdict {
        due,
        days_left,
        level,
        base_level,
        unanswered: unanswered.len() as u32,
        last_reminder: f.reminders.last().copied(),
        snoozed: f.snoozed_until.is_some_and(|d| d > today),
        escalated: f.escalated,
    })
}

/// How many of the unanswered reminders raise the item: each that has
/// waited `wait` days unanswered and came at least `wait` days after the
/// previous one that counted (working days when the calendar is on), so
/// reminders given the same day, or in a burst, raise it one step.
fn counted_reminders(reminders: &[NaiveDate], today: NaiveDate, cal: &Calendar, wait: i64) -> usize {
    let mut days = reminders.to_vec();
    days.sort();
    let mut last: Option<NaiveDate> = None;
    let mut n = 0;
    for r in days {
        if cal.days_left(r, today) < wait {
            break;
        }
        if last.is_some_and(|l| cal.days_left(l, r) < wait) {
            continue;
        }
        last = Some(r);
        n += 1;
    }
    n
}

/// `level` raised `steps` steps up the ladder (never past its top).
pub fn raise(level: AlertLevel, steps: usize, ladder: &Ladder) -> AlertLevel {
    let Some(at) = ladder.steps.iter().position(|l| *l == level) else {
        return level;
    };
    ladder.steps[(at + steps).min(ladder.steps.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts(due: &str) -> Facts {
        Facts {
            key: ItemKey::Measure(1),
            due: d(due),
            extensions: vec![],
            reminders: vec![],
            closed: false,
            snoozed_until: None,
            escalated: false,
        }
    }

    #[test]
    fn the_bundled_calendar_knows_holidays_and_make_up_days() {
        let c = Calendar::bundled();
        // National Day 2026: off; 2026-10-10 (a Saturday) is a make-up workday.
        assert!(!c.is_working(d("2026-10-05")));
        assert!(c.is_working(d("2026-10-10")));
        // Spring Festival 2026 runs 02-15..02-23; 02-14 and 02-28 are worked.
        assert!(!c.is_working(d("2026-02-23")));
        assert!(c.is_working(d("2026-02-14")));
        assert!(c.is_working(d("2026-02-24")));
        // An ordinary weekend.
        assert!(!c.is_working(d("2026-11-28")));
        assert!(c.is_working(d("2026-11-30")));
        // Every year 2021–2027 is there; 2027 only provisionally.
        for y in 2021..=2026 {
            assert!(!c.provisional(y), "{y}");
        }
        assert!(c.provisional(2027));
        assert!(c.provisional(2030), "unknown years are not vouched for");
    }

    #[test]
    fn due_dates_roll_to_the_next_working_day() {
        let c = Calendar::bundled();
        // The October report is due on the 5th: in 2026 that is inside the holiday.
        assert_eq!(c.roll_forward(d("2026-10-05")), d("2026-10-08"));
        // A due date on a make-up Saturday stays.
        assert_eq!(c.roll_forward(d("2026-02-28")), d("2026-02-28"));
        // The January report due on 2026-02-05 (a Thursday) stays.
        assert_eq!(c.roll_forward(d("2026-02-05")), d("2026-02-05"));
        // Year boundary: 2025-12-31 is a working day; 2026-01-01..03 are not.
        assert_eq!(c.roll_forward(d("2026-01-01")), d("2026-01-04"));
        // Off: no rolling.
        assert_eq!(Calendar::calendar_days().roll_forward(d("2026-10-05")), d("2026-10-05"));
    }

    #[test]
    fn days_left_count_working_days() {
        let c = Calendar::bundled();
        // Friday to Monday: one working day.
        assert_eq!(c.days_left(d("2026-11-27"), d("2026-11-30")), 1);
        assert_eq!(c.days_left(d("2026-11-30"), d("2026-11-30")), 0);
        // Overdue over a weekend: Monday after a Friday due date is 1 day late.
        assert_eq!(c.days_left(d("2026-11-30"), d("2026-11-27")), -1);
        // Across National Day: 09-30 (Wed) to 10-08 (Thu) is 1 working day
        // (10-01..10-07 off).
        assert_eq!(c.days_left(d("2026-09-30"), d("2026-10-08")), 1);
        // 29 February 2028 (not a holiday year known: weekends only).
        assert_eq!(c.days_left(d("2028-02-28"), d("2028-03-01")), 2);
        // Calendar days when off.
        assert_eq!(Calendar::calendar_days().days_left(d("2026-11-27"), d("2026-11-30")), 3);
        // A weekend due date seen on the same weekend is due "today" in days, not overdue.
        assert!(c.days_left(d("2026-11-28"), d("2026-11-28")) == 0);
    }

    #[test]
    fn count_agrees_with_walking_day_by_day() {
        let c = Calendar::bundled();
        let start = d("2020-12-20");
        for a in 0..800 {
            let from = start + chrono::Duration::days(a);
            let to = from + chrono::Duration::days(a % 45);
            let walked = from
                .iter_days()
                .skip(1)
                .take_while(|x| *x <= to)
                .filter(|x| c.is_working(*x))
                .count() as i64;
            assert_eq!(c.count(from, to), walked, "{from}..{to}");
        }
    }

    #[test]
    fn levels_and_the_ladder() {
        let c = Calendar::calendar_days();
        let t = AlertThresholds::default();
        let l = Ladder::default();
        let today = d("2026-11-30");
        let v = |f: &Facts| evaluate(f, today, &c, t, &l).unwrap();
        assert_eq!(v(&facts("2026-11-29")).level, AlertLevel::Red);
        assert_eq!(v(&facts("2026-12-07")).level, AlertLevel::Yellow);
        assert_eq!(v(&facts("2026-12-30")).level, AlertLevel::Blue);
        assert_eq!(v(&facts("2027-02-01")).level, AlertLevel::Calm);
        // One unanswered reminder older than the wait raises one step; a fresh one does not yet.
        let mut f = facts("2026-12-20");
        f.reminders = vec![d("2026-11-20")];
        assert_eq!(v(&f).level, AlertLevel::Yellow);
        f.reminders.push(d("2026-11-29"));
        assert_eq!(
            v(&f).level,
            AlertLevel::Yellow,
            "a reminder of yesterday has not waited 3 days"
        );
        assert_eq!(v(&f).unanswered, 2);
        // Overdue and chased twice: red, then 通报 at the top.
        let mut f = facts("2026-11-01");
        f.reminders = vec![d("2026-11-05"), d("2026-11-12"), d("2026-11-19")];
        assert_eq!(v(&f).level, AlertLevel::Circular);
        // An extension answers the reminders before it.
        f.extensions.push(Extension {
            id: 1,
            old_due: d("2026-11-01"),
            new_due: d("2026-12-28"),
            reason: "待批复".into(),
            at: d("2026-11-20"),
            by: "wangfang".into(),
            late: true,
        });
        let x = v(&f);
        assert_eq!((x.due, x.level, x.unanswered), (d("2026-12-28"), AlertLevel::Blue, 0));
        // Snoozed and closed.
        let mut f = facts("2026-11-01");
        f.snoozed_until = Some(d("2026-12-05"));
        assert!(v(&f).snoozed);
        f.snoozed_until = Some(d("2026-11-30"));
        assert!(!v(&f).snoozed, "a snooze ends on its day");
        f.closed = true;
        assert_eq!(evaluate(&f, today, &c, t, &l), None);
    }

    #[test]
    fn reminders_raise_only_when_spaced_by_the_wait_in_working_days() {
        let c = Calendar::bundled();
        let t = AlertThresholds::default();
        let l = Ladder::default();
        let today = d("2026-11-30");
        let level = |f: &Facts| evaluate(f, today, &c, t, &l).unwrap().level;
        // Due in 15 working days: blue.
        let mut f = facts("2026-12-21");
        assert_eq!(level(&f), AlertLevel::Blue);
        // Two reminders the same day raise one step, not two.
        f.reminders = vec![d("2026-11-20"), d("2026-11-20")];
        assert_eq!(level(&f), AlertLevel::Yellow);
        assert_eq!(evaluate(&f, today, &c, t, &l).unwrap().unanswered, 2);
        // Two working days apart (Friday, Tuesday over a weekend): still one.
        f.reminders = vec![d("2026-11-20"), d("2026-11-24")];
        assert_eq!(level(&f), AlertLevel::Yellow);
        // Three working days apart, both waited: two steps.
        f.reminders = vec![d("2026-11-20"), d("2026-11-25")];
        assert_eq!(level(&f), AlertLevel::Red);
        // A reminder given once, then again twice the same later day.
        f.reminders = vec![d("2026-11-16"), d("2026-11-20"), d("2026-11-20"), d("2026-11-23")];
        assert_eq!(level(&f), AlertLevel::Red);
        // The wait counts working days: Friday to Monday is one.
        f.reminders = vec![d("2026-11-27")];
        assert_eq!(level(&f), AlertLevel::Blue);
        f.reminders = vec![d("2026-11-25")];
        assert_eq!(level(&f), AlertLevel::Yellow, "Wednesday to Monday is three");
        // With no wait, every reminder counts at once.
        let l0 = Ladder {
            wait_days: 0,
            ..Ladder::default()
        };
        f.reminders = vec![d("2026-11-30"), d("2026-11-30")];
        assert_eq!(evaluate(&f, today, &c, t, &l0).unwrap().level, AlertLevel::Red);
    }

    #[test]
    fn month_quarter_and_year_ends() {
        let c = Calendar::bundled();
        let t = AlertThresholds::default();
        let l = Ladder::default();
        // The December report is due on 2027-01-05; seen on 2026-12-31.
        let v = evaluate(&facts("2027-01-05"), d("2026-12-31"), &c, t, &l).unwrap();
        assert_eq!(v.due, d("2027-01-05"));
        assert_eq!(
            v.days_left, 2,
            "2027-01-01 is a holiday, 01-02/03 a weekend: 01-04, 01-05"
        );
        // A quarter's meeting materials due on a Saturday roll to Monday.
        let v = evaluate(&facts("2026-12-19"), d("2026-12-18"), &c, t, &l).unwrap();
        assert_eq!(v.due, d("2026-12-21"));
    }

    #[test]
    fn a_bad_holidays_file_is_refused_with_the_year() {
        let e = Calendar::from_toml("[2027]\noff = [\"2027-13-01\"]\n").unwrap_err();
        assert!(e.contains("[2027]") && e.contains("2027-13-01"), "{e}");
        let e = Calendar::from_toml("[2027]\noff = [\"2027-01-10..2027-01-01\"]\n").unwrap_err();
        assert!(e.contains("range"), "{e}");
        assert!(Calendar::from_toml("[x]\n").is_err());
        // A file replaces a year.
        let mut c = Calendar::bundled();
        c.extend_toml("[2027]\noff = [\"2027-02-04..2027-02-11\"]\nwork = [\"2027-02-13\"]\n")
            .unwrap();
        assert!(!c.is_working(d("2027-02-10")));
        assert!(c.is_working(d("2027-02-13")));
        assert!(!c.provisional(2027));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn day(n: i64) -> NaiveDate {
            NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(n)
        }

        proptest! {
            /// A due date rolls to the first working day on or after it.
            #[test]
            fn roll_forward_lands_on_the_next_working_day(n in 0i64..3650, on in any::<bool>()) {
                let c = if on { Calendar::bundled() } else { Calendar::calendar_days() };
                let d = day(n);
                let r = c.roll_forward(d);
                prop_assert!(r >= d && c.is_working(r));
                let mut x = d;
                while x < r {
                    prop_assert!(!c.is_working(x), "{} skipped", x);
                    x = x.succ_opt().unwrap();
                }
                prop_assert_eq!(c.roll_forward(r), r);
            }

            /// The fast count of working days equals counting them one by one,
            /// and days left change sign where the due date passes today.
            #[test]
            fn days_left_counts_working_days(a in 0i64..2500, span in -400i64..400, on in any::<bool>()) {
                let c = if on { Calendar::bundled() } else { Calendar::calendar_days() };
                let (today, due) = (day(a), day(a + span));
                let naive = |from: NaiveDate, to: NaiveDate| {
                    let mut n = 0;
                    let mut x = from;
                    while x < to {
                        x = x.succ_opt().unwrap();
                        if c.is_working(x) {
                            n += 1;
                        }
                    }
                    n
                };
                let left = c.days_left(today, due);
                if due >= today {
                    prop_assert_eq!(left, naive(today, due));
                } else {
                    prop_assert_eq!(left, -naive(due, today).max(1));
                    prop_assert!(left < 0);
                }
                if due == today {
                    prop_assert_eq!(left, 0);
                }
            }
        }
    }
}
