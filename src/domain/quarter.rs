//! Calendar quarters, the period of the leading group's review (article 17).

use chrono::NaiveDate;
use std::fmt;

use super::Month;

/// A calendar quarter, written `2026Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1–4.
    pub q: u32,
}

impl Quarter {
    pub fn new(year: i32, q: u32) -> Option<Quarter> {
        (1..=4).contains(&q).then_some(Quarter { year, q })
    }

    /// The quarter containing `d`.
    pub fn of(d: NaiveDate) -> Quarter {
        let m = Month::of(d);
        Quarter {
            year: m.year,
            q: (m.month - 1) / 3 + 1,
        }
    }

    pub fn prev(self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// Its three months, in order.
    pub fn months(self) -> [Month; 3] {
        let first = (self.q - 1) * 3 + 1;
        [0, 1, 2].map(|i| Month {
            year: self.year,
            month: first + i,
        })
    }

    pub fn first_day(self) -> NaiveDate {
        self.months()[0].first_day()
    }

    /// The last day of its last month.
    pub fn last_day(self) -> NaiveDate {
        self.months()[2]
            .next()
            .first_day()
            .pred_opt()
            .expect("a day before the first of a month")
    }

    /// Finished on `today`: its last day lies before it.
    pub fn finished(self, today: NaiveDate) -> bool {
        self.last_day() < today
    }

    /// The date its figures are taken at: its last day, or today while it runs.
    pub fn as_of(self, today: NaiveDate) -> NaiveDate {
        self.last_day().min(today)
    }

    /// The last quarter that ended before `today`.
    pub fn last_finished(today: NaiveDate) -> Quarter {
        Quarter::of(today).prev()
    }

    /// `2026年第三季度`.
    pub fn zh(self) -> String {
        const N: [&str; 4] = ["一", "二", "三", "四"];
        format!("{}年第{}季度", self.year, N[(self.q - 1) as usize])
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

impl std::str::FromStr for Quarter {
    type Err = String;
    /// `2026Q3`, `2026q3` or `2026-Q3`.
    fn from_str(s: &str) -> Result<Quarter, String> {
        let bad = || format!("{s:?}: expected a quarter such as 2026Q3");
        let t = s.trim().to_ascii_uppercase().replace('-', "");
        let (y, q) = t.split_once('Q').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let q: u32 = q.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) {
            return Err(bad());
        }
        Quarter::new(year, q).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn quarters() {
        let q: Quarter = "2026Q3".parse().unwrap();
        assert_eq!(q.to_string(), "2026Q3");
        assert_eq!(q.zh(), "2026年第三季度");
        assert_eq!(q.months().map(|m| m.to_string()), ["2026-07", "2026-08", "2026-09"]);
        assert_eq!(q.last_day(), d("2026-09-30"));
        assert_eq!(q.prev().to_string(), "2026Q2");
        assert_eq!("2026q1".parse::<Quarter>().unwrap().prev().to_string(), "2025Q4");
        assert_eq!(Quarter::of(d("2026-11-30")).to_string(), "2026Q4");
        assert_eq!(Quarter::last_finished(d("2026-11-30")).to_string(), "2026Q3");
        assert!(q.finished(d("2026-10-01")));
        assert!(!q.finished(d("2026-09-30")));
        assert_eq!(q.as_of(d("2026-08-15")), d("2026-08-15"));
        assert_eq!(q.as_of(d("2026-11-30")), d("2026-09-30"));
        for bad in ["2026Q5", "2026Q0", "Q3", "2026", "abcdQ1", "1800Q1"] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad}");
        }
    }
}
