//! Calendar months and report due dates.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A calendar month, the period of one monthly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// Returns `None` unless `month` is 1–12.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    /// The month containing `d`.
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    /// Day `day` of the month, clamped to the month's last day.
    pub fn day(self, day: u32) -> NaiveDate {
        let last = self.next().first_day().pred_opt().expect("date in range");
        NaiveDate::from_ymd_opt(self.year, self.month, day.clamp(1, last.day())).unwrap_or(last)
    }

    /// The due date of this month's report: day `due_day` of the following month.
    pub fn report_due(self, due_day: u32) -> NaiveDate {
        self.next().day(due_day)
    }

    /// Months from `self` to `other` (positive when `other` is later).
    pub fn months_until(self, other: Month) -> i32 {
        (other.year - self.year) * 12 + other.month as i32 - self.month as i32
    }

    /// Iterates `self ..= last`.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self), move |m| (*m < last).then(|| m.next())).take_while(move |m| *m <= last)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for Month {
    type Err = String;
    /// Parses `YYYY-MM`.
    fn from_str(s: &str) -> Result<Month, String> {
        let bad = || format!("invalid month {s:?}: expected YYYY-MM, e.g. 2026-10");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }
}

/// Parses a `YYYY-MM-DD` date with a message a person can act on.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let shaped = s.len() == 10
        && s.char_indices()
            .all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        if shaped {
            format!("{s:?} is not a date in the calendar")
        } else {
            format!("invalid date {s:?}: expected YYYY-MM-DD, e.g. 2026-11-30")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_step() {
        let m: Month = "2021-12".parse().unwrap();
        assert_eq!(m.next().to_string(), "2022-01");
        assert_eq!(m.next().prev(), m);
        assert!("2021-13".parse::<Month>().is_err());
        assert!("2021-1".parse::<Month>().is_err());
        assert_eq!(m.report_due(5).to_string(), "2022-01-05");
        assert_eq!(Month::new(2026, 1).unwrap().report_due(31).to_string(), "2026-02-28");
        let first: Month = "2021-07".parse().unwrap();
        let last: Month = "2026-10".parse().unwrap();
        assert_eq!(first.through(last).count(), 64);
        assert_eq!(first.months_until(last), 63);
    }

    #[test]
    fn dates_are_checked() {
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("30/11/2026").is_err());
        assert!(parse_date("2026-11-30").is_ok());
    }
}
