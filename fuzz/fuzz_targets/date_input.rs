//! Dates as staff type them (`2026-12-05`, `12-05`, `12月5日`, `+7`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
    let _ = dudao::domain::input::parse_date_input(text, today);
    let _ = dudao::domain::calendar::parse_date(text);
});
