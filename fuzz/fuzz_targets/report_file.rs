//! A report file from another unit: any bytes are decoded, parsed and
//! checked against sample.db's catalog, giving a submission or a refusal
//! with a place, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn catalog() -> &'static dudao::intake::Catalog {
    static CAT: OnceLock<dudao::intake::Catalog> = OnceLock::new();
    CAT.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../sample.db");
        let conn =
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("sample.db");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
        dudao::db::intake::catalog(&conn, today).expect("catalog")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Err((refusal, Some(_), _)) = dudao::intake::parse(data, catalog()) {
        let _ = refusal.text(false);
    }
});
