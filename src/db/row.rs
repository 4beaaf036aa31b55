//! Reading columns: text lossily (a bad byte written by another tool shows
//! as U+FFFD instead of stopping the console), codes strictly (an unknown
//! status is an error naming the table, column and value, never a default).

use rusqlite::Row;
use rusqlite::types::{Type, ValueRef};

use crate::domain::Code;

/// A text column for display: invalid UTF-8 is replaced, NULL is empty.
pub fn text(r: &Row, i: usize) -> rusqlite::Result<String> {
    Ok(opt_text(r, i)?.unwrap_or_default())
}

/// A nullable text column for display.
pub fn opt_text(r: &Row, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
    })
}

/// A stored code that is not one of the enum's values.
#[derive(Debug)]
pub struct UnknownCode {
    pub what: &'static str,
    pub value: String,
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown {} {:?} in the database (written by another program or a newer dudao?)",
            self.what,
            crate::text::sanitize(&self.value)
        )
    }
}

impl std::error::Error for UnknownCode {}

/// A code column read into its enum; an unknown value is an error.
pub fn code<T: Code>(r: &Row, i: usize) -> rusqlite::Result<T> {
    let v = r.get_ref(i)?;
    // The usual case, without a copy.
    if let ValueRef::Text(b) = v
        && let Some(c) = std::str::from_utf8(b).ok().and_then(T::from_code)
    {
        return Ok(c);
    }
    let raw = match v {
        ValueRef::Text(b) => String::from_utf8_lossy(b).into_owned(),
        ValueRef::Null => String::from("NULL"),
        other => format!("{other:?}"),
    };
    T::from_code(&raw).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            Type::Text,
            Box::new(UnknownCode {
                what: T::WHAT,
                value: raw,
            }),
        )
    })
}

/// A nullable code column.
pub fn opt_code<T: Code>(r: &Row, i: usize) -> rusqlite::Result<Option<T>> {
    match r.get_ref(i)? {
        ValueRef::Null => Ok(None),
        _ => code(r, i).map(Some),
    }
}

/// A `YYYY-MM-DD…` column as a date; anything unreadable is `None`.
pub fn opt_day(r: &Row, i: usize) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    Ok(opt_text(r, i)?.and_then(|s| day(&s)))
}

/// The date at the start of a `YYYY-MM-DD…` string.
pub fn day(s: &str) -> Option<chrono::NaiveDate> {
    // By hand: chrono's format parser costs more than the rest of a row
    // when a million reports are exported.
    let b = s.as_bytes().get(..10)?;
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter()
            .try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32))
    };
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Whether an error is a stored value this binary cannot read.
pub fn is_bad_data(e: &rusqlite::Error) -> Option<String> {
    match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => Some(inner.to_string()),
        rusqlite::Error::InvalidColumnType(_, name, ty) => Some(format!("column {name} holds a {ty} value")),
        _ => None,
    }
}

#[cfg(test)]
mod day_tests {
    use super::day;

    #[test]
    fn days_as_chrono_reads_them() {
        for t in [
            "2026-11-30",
            "2024-02-29",
            "2026-11-30 16:40",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert_eq!(
                day(t),
                chrono::NaiveDate::parse_from_str(&t[..10], "%Y-%m-%d").ok(),
                "{t}"
            );
        }
        for t in [
            "2026-02-30",
            "2026-13-01",
            "2026/11/30",
            "2026-1-30",
            "abcd-ef-gh",
            "2026-11-3",
            "",
            "２０２６-11-30",
        ] {
            assert_eq!(day(t), None, "{t}");
        }
    }
}
