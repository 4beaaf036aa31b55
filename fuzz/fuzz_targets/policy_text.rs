//! A policy text given to `dudao init --policy`: parsed or refused with a
//! line, never a panic; what is accepted is numbered consecutively.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(p) = dudao::policy::parse(text, None) {
        for (i, a) in p.articles.iter().enumerate() {
            assert_eq!(a.no as usize, i + 1);
        }
        let _ = dudao::policy::model::build(
            p,
            &dudao::policy::catalog::Catalog::bundled(),
            dudao::policy::catalog::Targets::bundled(),
        );
    }
});
