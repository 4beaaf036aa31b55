use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;

fn cat() -> Catalog {
    Catalog {
        tasks: Vec::new(),
        units: vec![
            CatUnit {
                id: 1,
                full_name: "西藏自治区科学技术厅".into(),
                names: vec!["西藏自治区科学技术厅".into(), "科技厅".into(), "自治区科技厅".into()],
                reporting: true,
            },
            CatUnit {
                id: 2,
                full_name: "各地（市）".into(),
                names: vec!["各地（市）".into()],
                reporting: false,
            },
        ],
        articles: (1..=20).collect::<BTreeSet<i64>>(),
        targets: vec![
            CatTarget {
                code: "tech_market".into(),
                name: "技术市场交易额".into(),
                kind: TargetKind::Amount,
                unit: "亿元".into(),
                reporter: Some(1),
            },
            CatTarget {
                code: "rd_growth".into(),
                name: "研发投入增长".into(),
                kind: TargetKind::GrowthRate,
                unit: "%".into(),
                reporter: Some(1),
            },
        ],
        first: Month::new(2021, 7),
        last: Month::new(2026, 11).unwrap(),
    }
}

const GOOD: &str = r#"unit = "科技厅"
month = "2026-10"
summary = "本月概述"
[contact]
name = "卓玛"
phone = "0891-6831234"
[[progress]]
article = 8
status = "正常"
progress = "进展"
[[indicators]]
indicator = "技术市场交易额"
value = 12.5
"#;

fn refusal(text: &str) -> Refusal {
    match parse(text.as_bytes(), &cat()) {
        Err((r, _, _)) => r,
        Ok(p) => panic!("parsed: {p:?}"),
    }
}

#[test]
fn a_good_report_in_toml_and_json() {
    let p = parse(GOOD.as_bytes(), &cat()).unwrap();
    assert_eq!(p.format, Format::Toml);
    assert_eq!(p.encoding, Encoding::Utf8);
    assert_eq!(p.submission.unit_id, 1);
    assert_eq!(p.submission.month, Month::new(2026, 10).unwrap());
    let Body::Report(b) = &p.submission.body else { panic!() };
    assert_eq!(b.items[0].status, Progress::OnTrack);
    assert_eq!(
        b.values,
        vec![Value {
            code: "tech_market".into(),
            value: 12.5
        }]
    );
    assert_eq!(b.contact_phone, "0891-6831234");
    let json = r#"{"unit": "自治区科技厅", "month": "2026-10", "summary": "s",
        "progress": [{"article": "第8条", "status": "done", "progress": "p"}],
        "indicators": [{"indicator": "rd_growth", "value": "-3.5%"}]}"#;
    let p = parse(json.as_bytes(), &cat()).unwrap();
    assert_eq!(p.format, Format::Json);
    let Body::Report(b) = &p.submission.body else { panic!() };
    assert_eq!(b.items[0].article_no, 8);
    assert_eq!(b.values[0].value, -3.5);
}

#[test]
fn every_refusal_names_its_place() {
    let cases: &[(&str, &str, usize, usize)] = &[
        (
            "unit = \"财政厅\"\nmonth = \"2026-10\"\nsummary = \"s\"\n",
            "unknown_unit",
            1,
            8,
        ),
        (
            "unit = \"各地（市）\"\nmonth = \"2026-10\"\nsummary = \"s\"\n",
            "not_reporting",
            1,
            8,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"2027-01\"\nsummary = \"s\"\n",
            "month_outside",
            2,
            9,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"2021-06\"\nsummary = \"s\"\n",
            "month_outside",
            2,
            9,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"十月\"\nsummary = \"s\"\n",
            "bad_month",
            2,
            9,
        ),
        ("unit = \"科技厅\"\nmonth = \"2026-10\"\n", "missing", 1, 1),
        (
            "unit = \"科技厅\"\nmonth = \"2026-10\"\nsumary = \"s\"\n",
            "unknown_field",
            3,
            1,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"2026-10\"\nsummary = 5\n",
            "wrong_type",
            3,
            11,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"2026-10\"\nsummary = \"s\"\n[[progress]]\narticle = 99\nstatus = \"正常\"\nprogress = \"p\"\n",
            "unknown_article",
            5,
            11,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"2026-10\"\nsummary = \"s\"\n[[progress]]\narticle = 8\nstatus = \"良好\"\nprogress = \"p\"\n",
            "bad_status",
            6,
            10,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"2026-10\"\nsummary = \"s\"\n[[indicators]]\nindicator = \"GDP\"\nvalue = 1\n",
            "unknown_indicator",
            5,
            13,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"2026-10\"\nsummary = \"s\"\n[[indicators]]\nindicator = \"技术市场交易额\"\nvalue = \"很多\"\n",
            "bad_number",
            6,
            9,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"2026-10\"\nsummary = \"s\"\n[[indicators]]\nindicator = \"技术市场交易额\"\nvalue = -1\n",
            "negative_value",
            6,
            9,
        ),
        (
            "unit = \"科技厅\"\nmonth = \"2026-10\"\nsummary = \"s\"\n[contact]\nphone = \"call me\"\n",
            "bad_phone",
            5,
            9,
        ),
        ("unit = \"科技厅\"\nmonth = \"2026-10\nsummary = 1\n", "syntax", 2, 17),
        ("{\"unit\": \"科技厅\",\n \"month\": 2026}", "wrong_type", 2, 11),
        (
            "unit,month,indicator,value\n科技厅,2026-10,GDP,1\n",
            "unknown_indicator",
            2,
            13,
        ),
    ];
    for (text, code, line, col) in cases {
        let r = refusal(text);
        assert_eq!(r.reason.code(), *code, "{text}: {r:?}");
        assert_eq!((r.line, r.col), (Some(*line), Some(*col)), "{text}: {r:?}");
        // The message reads in both languages.
        use crate::i18n::{Lang, intake::refusal as words};
        assert!(!words(&r, Lang::Zh).is_empty() && !words(&r, Lang::En).is_empty());
    }
}

#[test]
fn duplicates_within_a_file_are_refused() {
    let dup_article = format!("{GOOD}[[progress]]\narticle = 8\nstatus = \"完成\"\nprogress = \"again\"\n");
    assert_eq!(refusal(&dup_article).reason, Reason::DuplicateArticle { article: 8 });
    let dup_value = format!("{GOOD}[[indicators]]\nindicator = \"tech_market\"\nvalue = 1\n");
    assert!(matches!(refusal(&dup_value).reason, Reason::DuplicateIndicator { .. }));
    let long = GOOD.replace("本月概述", &"长".repeat(doc::MAX_SUMMARY + 1));
    assert!(matches!(refusal(&long).reason, Reason::TooLong { .. }));
}

#[test]
fn texts_are_kept_as_sent() {
    let evil = GOOD.replace("本月概述", "a\\u001b]0;PWNED\\u0007b\\u202eexe");
    let p = parse(evil.as_bytes(), &cat()).unwrap();
    let Body::Report(b) = &p.submission.body else { panic!() };
    assert_eq!(b.summary, "a\u{1b}]0;PWNED\u{7}b\u{202e}exe");
}

#[test]
fn gb18030_files_read_and_record_their_encoding() {
    let (bytes, _, _) = encoding_rs::GB18030.encode(GOOD);
    let p = parse(&bytes, &cat()).unwrap();
    assert_eq!(p.encoding, Encoding::Gb18030);
    assert_eq!(p.submission.unit_id, 1);
}

#[test]
fn line_col_counts_characters() {
    assert_eq!(line_col("ab\n单位x", 0), (1, 1));
    assert_eq!(line_col("ab\n单位x", 3), (2, 1));
    assert_eq!(line_col("ab\n单位x", 9), (2, 3));
    assert_eq!(line_col("ab\n单位x", 4), (2, 1), "inside a character");
    assert_eq!(line_col("ab", 99), (1, 3));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any bytes give a result or a refusal, never a panic; a refusal of
    /// decoded text names a place inside it.
    #[test]
    fn any_bytes_give_a_result_or_a_refusal(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        match parse(&bytes, &cat()) {
            Ok(_) => {}
            Err((r, _, _)) => {
                prop_assert!(r.line.is_none() || r.line >= Some(1));
                prop_assert!(!crate::i18n::intake::refusal(&r, crate::i18n::Lang::En).is_empty());
            }
        }
    }

    /// Mutations of a good report (a character inserted, deleted or
    /// replaced anywhere) give a result or a refusal with a position.
    #[test]
    fn mutated_reports_never_panic(
        base in prop_oneof![Just(GOOD.to_string()), Just(template::EXAMPLE.to_string()), Just(template::example_json())],
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<char>()), 1..6),
    ) {
        let mut chars: Vec<char> = base.chars().collect();
        for (i, op, c) in edits {
            let n = chars.len().max(1);
            let at = i.index(n).min(chars.len());
            match op {
                0 => chars.insert(at, c),
                1 if at < chars.len() => { chars.remove(at); }
                _ if at < chars.len() => chars[at] = c,
                _ => chars.push(c),
            }
        }
        let text: String = chars.into_iter().collect();
        if let Err((r, _, Some(_))) = parse(text.as_bytes(), &cat()) {
            // Decoded text: a syntax or content refusal knows where it is.
            if !matches!(r.reason, Reason::Empty) {
                prop_assert!(r.line.is_some() && r.col.is_some(), "{r:?}");
            }
        }
    }

    /// Encoding detection: any text without NUL comes back as it was, from
    /// UTF-8 with or without a BOM, UTF-16 with its BOM, or GB18030 when
    /// those bytes are not UTF-8; it is never decoded lossily.
    #[test]
    fn text_in_any_supported_encoding_decodes_back(s in "[^\\x00]{1,120}", bom in any::<bool>()) {
        let utf8 = if bom { [&b"\xEF\xBB\xBF"[..], s.as_bytes()].concat() } else { s.as_bytes().to_vec() };
        if let Ok((t, _)) = decode::decode(&utf8) {
            prop_assert_eq!(t.trim_start_matches('\u{feff}'), s.trim_start_matches('\u{feff}'));
        }
        let (gb, _, unmappable) = encoding_rs::GB18030.encode(&s);
        prop_assert!(!unmappable);
        // A few private-use characters (e.g. U+E78D) have no GB18030 bytes
        // of their own since GB18030-2022: they are written as the bytes of
        // the character that took their place (U+FE10), so those strings
        // cannot come back from any GB18030 file and are not asked to.
        let round_trips = encoding_rs::GB18030.decode_without_bom_handling(&gb).0 == s.as_str();
        if round_trips && std::str::from_utf8(&gb).is_err() {
            match decode::decode(&gb) {
                Ok((t, enc)) => {
                    prop_assert_eq!(enc, Encoding::Gb18030);
                    prop_assert_eq!(&t, &s);
                }
                // Refused as a whole (a binary-looking start), never mangled.
                Err(r) => prop_assert!(!matches!(r.reason, Reason::BadEncoding), "{:?}", r),
            }
        }
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        if let Ok((t, enc)) = decode::decode(&le) {
            prop_assert_eq!(enc, Encoding::Utf16Le);
            prop_assert_eq!(t.trim_start_matches('\u{feff}'), s.trim_start_matches('\u{feff}'));
        }
    }

    /// Bytes that are neither UTF-8 nor GB18030 are refused, not guessed.
    #[test]
    fn invalid_bytes_are_refused(prefix in "[a-z]{0,20}") {
        let bytes = [prefix.as_bytes(), b"\x81\x30\xff"].concat();
        prop_assert!(decode::decode(&bytes).is_err());
    }

    /// Any text in the JSON and TOML parsers: a tree or a syntax error inside the text.
    #[test]
    fn parsers_place_errors_inside_the_text(s in "\\PC{0,200}") {
        for r in [tree::json(&s), tree::toml(&s)] {
            if let Err(e) = r {
                prop_assert!(e.at <= s.len());
            }
        }
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    for text in [
        format!("a = {}", "[".repeat(100_000)),
        "[".repeat(100_000),
        format!("a = {}", "{x = ".repeat(50_000)),
    ] {
        let r = refusal(&text);
        assert_eq!(r.reason.code(), "syntax", "{r:?}");
    }
}
