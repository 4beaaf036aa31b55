//! The sanitizer: idempotent, and nothing it returns is dangerous.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let once = dudao::text::sanitize(text).into_owned();
    assert!(!once.chars().any(dudao::text::is_dangerous));
    assert_eq!(dudao::text::sanitize(&once), once);
    let _ = dudao::export::csv_field(text, false);
    let _ = dudao::text::truncate(text, 7);
});
