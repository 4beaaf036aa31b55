//! Rules for what people type: texts are stored as typed, trimmed, within a
//! length limit, without control characters; dates may be written the short
//! ways staff write them.

use chrono::{Datelike, Days, NaiveDate};
use std::fmt;

/// Longest note, in characters.
pub const MAX_NOTE: usize = 2000;
/// Longest reason (return, extension, …) or reminder note, in characters.
pub const MAX_REASON: usize = 500;
/// Furthest a resubmission date may lie ahead, in days.
pub const MAX_RESUBMIT_DAYS: i64 = 180;
/// Furthest ahead of today a new due date (延期) may lie, in days. It must
/// also lie after the due date in force and not before today.
pub const MAX_EXTEND_DAYS: i64 = 366;

/// Longest authority item name and document number (文号).
pub const MAX_ITEM_NAME: usize = 100;
pub const MAX_DOC_NO: usize = 60;
/// Furthest ahead of today an item may be snoozed, in days; the earliest is
/// tomorrow.
pub const MAX_SNOOZE_DAYS: i64 = 366;

/// Why a typed text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// Nothing but spaces where a text is required.
    Empty,
    /// More characters than allowed.
    TooLong { max: usize, len: usize },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Empty => write!(f, "the text is empty"),
            TextError::TooLong { max, len } => write!(f, "the text has {len} characters; at most {max} are allowed"),
        }
    }
}

/// The text as typed, without control and direction-changing characters
/// (`crate::text::is_dangerous`: ESC, BEL, CR, bidi overrides, …; newline
/// and tab stay), trimmed; refused when empty (if `required`) or longer
/// than `max` characters. The console's fields leave the same characters
/// out, so a text is stored alike from either front.
pub fn clean_text(s: &str, max: usize, required: bool) -> Result<String, TextError> {
    let kept: String = s.chars().filter(|c| !crate::text::is_dangerous(*c)).collect();
    let t = kept.trim();
    if required && t.is_empty() {
        return Err(TextError::Empty);
    }
    let len = t.chars().count();
    if len > max {
        return Err(TextError::TooLong { max, len });
    }
    Ok(t.to_string())
}

/// Why a typed date was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not a form of date this field reads.
    Shape,
    /// Shaped like a date, but not in the calendar (2026-02-30).
    NoSuchDay,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Shape => write!(
                f,
                "not a date: write 2026-12-05, 12-05, 12月5日 or +7 (days from today)"
            ),
            DateError::NoSuchDay => write!(f, "no such day in the calendar"),
        }
    }
}

/// Reads a date as staff type it: `2026-12-05`, `2026/12/5`, `2026年12月5日`,
/// `12-05`, `12月5日` or `12月5号` (this year, or next year when that day has
/// passed), `+7` or `+7d` (days from today), `+2w` (weeks), `+1m` (months);
/// full-width digits as Chinese input methods type them.
pub fn parse_date_input(s: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    // Full-width digits and signs (as Chinese input methods type them) count
    // as their ASCII forms; spaces are ignored.
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' => '-',
            '／' => '/',
            '＋' => '+',
            '．' | '。' => '.',
            'ｄ' => 'd',
            'ｗ' => 'w',
            'ｍ' => 'm',
            c => c,
        })
        .collect();
    if let Some(rest) = t.strip_prefix('+') {
        let (num, unit) = match rest.char_indices().last() {
            Some((i, c @ ('d' | 'D' | '天' | 'w' | 'W' | '周' | 'm' | 'M'))) => (&rest[..i], c),
            _ => (rest, 'd'),
        };
        let n: u32 = num.parse().map_err(|_| DateError::Shape)?;
        return match unit {
            'm' | 'M' => today.checked_add_months(chrono::Months::new(n)),
            'w' | 'W' | '周' => today.checked_add_days(Days::new(u64::from(n) * 7)),
            _ => today.checked_add_days(Days::new(u64::from(n))),
        }
        .ok_or(DateError::Shape);
    }
    // Normalize 年/月/日 and slashes to dashes.
    let norm: String = t
        .trim_end_matches(['日', '号'])
        .chars()
        .map(|c| if matches!(c, '年' | '月' | '/' | '.') { '-' } else { c })
        .collect();
    let parts: Vec<&str> = norm.split('-').collect();
    let num = |p: &str, max_len: usize| -> Result<u32, DateError> {
        if p.is_empty() || p.len() > max_len || !p.chars().all(|c| c.is_ascii_digit()) {
            return Err(DateError::Shape);
        }
        p.parse().map_err(|_| DateError::Shape)
    };
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            let (y, m, d) = (num(y, 4)? as i32, num(m, 2)?, num(d, 2)?);
            NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NoSuchDay)
        }
        [m, d] => {
            let (m, d) = (num(m, 2)?, num(d, 2)?);
            if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                return Err(DateError::NoSuchDay);
            }
            // 02-29 in a year without it: the next year that has it is too far; refuse.
            let this = NaiveDate::from_ymd_opt(today.year(), m, d);
            match this {
                Some(x) if x >= today => Ok(x),
                _ => NaiveDate::from_ymd_opt(today.year() + 1, m, d).ok_or(DateError::NoSuchDay),
            }
        }
        _ => Err(DateError::Shape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn texts_are_trimmed_and_limited() {
        assert_eq!(clean_text("  退回：数据有误 \n", 10, true).unwrap(), "退回：数据有误");
        assert_eq!(clean_text("   ", 10, true), Err(TextError::Empty));
        assert_eq!(clean_text("", 10, false).unwrap(), "");
        assert_eq!(
            clean_text("一二三", 2, false),
            Err(TextError::TooLong { max: 2, len: 3 })
        );
        // Characters, not bytes: three CJK characters fit in three.
        assert!(clean_text("一二三", 3, true).is_ok());
        // Control and direction-changing characters are left out; newlines stay.
        assert_eq!(
            clean_text("a\x1b]0;x\x07b\u{202e}c\r\nd\u{9b}e", 20, true).unwrap(),
            "a]0;xbc\nde"
        );
        assert_eq!(clean_text(" \x1b\x07 ", 10, true), Err(TextError::Empty));
    }

    #[test]
    fn dates_in_the_forms_staff_type() {
        let today = d("2026-11-29");
        assert_eq!(parse_date_input("2026-12-05", today), Ok(d("2026-12-05")));
        assert_eq!(parse_date_input("2026/12/5", today), Ok(d("2026-12-05")));
        assert_eq!(parse_date_input("2026年12月5日", today), Ok(d("2026-12-05")));
        assert_eq!(parse_date_input("12-05", today), Ok(d("2026-12-05")));
        assert_eq!(parse_date_input("12月5日", today), Ok(d("2026-12-05")));
        // A day already past this year means next year.
        assert_eq!(parse_date_input("01-10", today), Ok(d("2027-01-10")));
        assert_eq!(parse_date_input("11-29", today), Ok(d("2026-11-29")));
        assert_eq!(parse_date_input("+7", today), Ok(d("2026-12-06")));
        assert_eq!(parse_date_input("+7d", today), Ok(d("2026-12-06")));
        assert_eq!(parse_date_input("+2w", today), Ok(d("2026-12-13")));
        assert_eq!(parse_date_input("+1m", today), Ok(d("2026-12-29")));
        assert_eq!(parse_date_input("２０２６－１２－０５", today), Ok(d("2026-12-05")));
        assert_eq!(parse_date_input("12月5号", today), Ok(d("2026-12-05")));
        assert_eq!(parse_date_input("＋７", today), Ok(d("2026-12-06")));
        assert_eq!(parse_date_input("2026-02-30", today), Err(DateError::NoSuchDay));
        assert_eq!(parse_date_input("13-01", today), Err(DateError::NoSuchDay));
        for bad in [
            "",
            "tomorrow",
            "12",
            "2026-12",
            "+",
            "+x",
            "2026-12-05-1",
            "+99999999999999999999",
        ] {
            assert!(parse_date_input(bad, today).is_err(), "{bad:?}");
        }
        // 29 February: this year's if it exists and is ahead, else the next one's.
        assert_eq!(parse_date_input("02-29", d("2027-11-01")), Ok(d("2028-02-29")));
        assert_eq!(parse_date_input("02-29", d("2026-11-01")), Err(DateError::NoSuchDay));
    }

    proptest! {
        #[test]
        fn date_input_never_panics(s in "\\PC{0,16}", days in 0i64..100_000) {
            let today = d("2000-01-01") + chrono::Duration::days(days);
            let _ = parse_date_input(&s, today);
        }

        #[test]
        fn full_dates_round_trip(days in 0i64..100_000) {
            let x = d("1900-01-01") + chrono::Duration::days(days);
            prop_assert_eq!(parse_date_input(&x.to_string(), d("2026-01-01")), Ok(x));
        }
    }
}
