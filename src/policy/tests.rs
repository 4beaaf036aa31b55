use super::*;

fn bundled() -> Policy {
    parse(BUNDLED_TEXT, Some(BUNDLED_TITLE)).expect("bundled policy parses")
}

fn article(p: &Policy, no: u32) -> &Article {
    p.articles.iter().find(|a| a.no == no).expect("article exists")
}

#[test]
fn numerals() {
    assert_eq!(chinese_numeral("一"), Some(1));
    assert_eq!(chinese_numeral("十"), Some(10));
    assert_eq!(chinese_numeral("十七"), Some(17));
    assert_eq!(chinese_numeral("二十"), Some(20));
    assert_eq!(chinese_numeral("二十三"), Some(23));
    assert_eq!(chinese_numeral("甲"), None);
}

#[test]
fn sections_and_articles() {
    let p = bundled();
    assert_eq!(p.sections.len(), 5);
    assert_eq!(p.sections[0].title, "高起点谋划目标定位");
    assert_eq!(p.articles.len(), 20);
    assert_eq!(article(&p, 1).title, "指导思想");
    assert_eq!(article(&p, 4).title, "推进“双创”载体提质增效");
    assert_eq!(article(&p, 4).section, 2);
    assert_eq!(article(&p, 17).section, 5);
    assert!(
        p.preamble
            .contains("各地（市）行署（人民政府），自治区各委、办、厅、局")
    );
    for a in &p.articles {
        assert_eq!(a.division.is_some(), a.no >= 4, "article {}", a.no);
        assert!(!a.body.contains('〔'), "bracket left in body of {}", a.no);
    }
}

#[test]
fn divisions_as_written() {
    let p = bundled();
    let d = |n| article(&p, n).division.clone().unwrap();
    assert_eq!(d(10).lead, ["科技厅", "市场监管局（知识产权局）"]);
    assert_eq!(d(14).lead, ["金融监管局", "人行拉萨中心支行", "证监局"]);
    assert_eq!(d(12).lead, ["各地（市）行署（人民政府）", "各高新区管委会"]);
    assert_eq!(d(20).partner[0], "自治区“双创”领导小组各成员单位");
    assert_eq!(d(17).partner[0], "自治区推进“双创”领导小组各成员单位");
    assert_eq!(
        d(4).partner,
        [
            "发展改革委",
            "经济和信息化厅",
            "人力资源社会保障厅",
            "农业农村厅",
            "商务厅",
            "各地（市）行署（人民政府）",
            "各高新区管委会"
        ]
    );
    assert_eq!(d(10).partner[0], "区党委组织部（编办）");
    assert_eq!(d(10).partner[4], "拉萨市人民政府");
}

#[test]
fn measures_are_sentences() {
    let p = bundled();
    let a10 = article(&p, 10);
    assert!(
        a10.measures
            .contains(&"建立自治区知识产权维权援助工作中心。".to_string())
            || a10
                .measures
                .iter()
                .any(|m| m.ends_with("建立自治区知识产权维权援助工作中心。"))
    );
    for a in &p.articles {
        assert!(!a.measures.is_empty(), "article {} has no measures", a.no);
        for m in &a.measures {
            assert!(!m.contains('〔'));
        }
    }
    assert_eq!(split_sentences("甲。乙“丙。丁”戊。"), ["甲。", "乙“丙。丁”戊。"]);
}

#[test]
fn units_split_outside_parentheses() {
    let v: Vec<String> = split_units("区党委组织部（编办、宣传）、教育厅，各地（市）行署（人民政府）")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        v,
        ["区党委组织部（编办、宣传）", "教育厅", "各地（市）行署（人民政府）"]
    );
}

const MINI: &str =
    "一、总则\n（一）目标。\n做好工作。\n二、任务\n（二）第一项。\n建立中心。〔牵头单位:科技厅；配合单位:教育厅〕\n";

#[test]
fn minimal_policy_parses() {
    let p = parse(MINI, None).unwrap();
    assert_eq!(p.articles.len(), 2);
    assert_eq!(p.articles[1].division.as_ref().unwrap().partner, ["教育厅"]);
}

fn err(text: &str) -> ParseError {
    parse(text, None).expect_err("should be refused")
}

#[test]
fn malformed_policies_are_refused_with_position() {
    let e = err(&MINI.replace("〔牵头单位:科技厅；配合单位:教育厅〕", ""));
    assert!(e.message.contains("no article has a division"), "{e}");

    let e = err(&format!("{MINI}（三）第二项。\n没有括号。\n"));
    assert_eq!(e.line, 7);
    assert!(e.message.contains("article 3"), "{e}");

    let e = err(&MINI.replace("教育厅〕", "教育厅"));
    assert_eq!((e.line, e.column), (6, 6));
    assert!(e.message.contains("unclosed 〔"), "{e}");

    let e = err(&MINI.replace("配合单位", "协办单位"));
    assert_eq!(e.line, 6);
    assert!(e.message.contains("协办单位"), "{e}");

    let e = err(&MINI.replace("科技厅；", "科技厅、；"));
    assert!(e.message.contains("empty unit"), "{e}");
    assert_eq!(e.line, 6);

    let e = err("随便写的一段话\n没有结构\n");
    assert!(e.message.contains("no section heading"), "{e}");
}

#[test]
fn cited_document_numbers_are_body_text() {
    let text = "一、总则\n（一）任务。\n按照藏政发〔2018〕12号要求推进。〔牵头单位:科技厅〕\n（二）另一项。\n落实国发〔2018〕32号精神。\n继续推进（见藏科发〔2020〕3号）。〔牵头单位:教育厅〕\n";
    let p = parse(text, None).unwrap();
    assert_eq!(p.articles[0].division.as_ref().unwrap().lead, ["科技厅"]);
    assert!(p.articles[0].body.contains("藏政发〔2018〕12号"));
    assert_eq!(p.articles[1].division.as_ref().unwrap().lead, ["教育厅"]);
    assert!(p.articles[1].measures.iter().any(|m| m.contains("国发〔2018〕32号")));
}

#[test]
fn section_introductions_stay_with_their_section() {
    let text = "一、总则\n本部分总体说明。\n（一）任务。\n建立中心。〔牵头单位:科技厅〕\n二、保障\n本部分说明。\n（二）另一项。\n完善机制。〔牵头单位:教育厅〕\n";
    let p = parse(text, None).unwrap();
    assert_eq!(p.sections[0].intro, "本部分总体说明。");
    assert_eq!(p.sections[1].intro, "本部分说明。");
    assert_eq!(p.articles[0].measures, ["建立中心。"]);
    assert!(!p.articles[0].body.contains("本部分说明"));
}

#[test]
fn windows_line_endings_parse_the_same() {
    let p = parse(&BUNDLED_TEXT.replace('\n', "\r\n"), Some(BUNDLED_TITLE)).unwrap();
    assert_eq!(p, bundled());
}

/// The bundled text with one line changed by `f` (line numbers are 1-based).
fn damaged(f: impl Fn(usize, &str) -> Vec<String>) -> String {
    BUNDLED_TEXT
        .lines()
        .enumerate()
        .flat_map(|(i, l)| f(i + 1, l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_deleted_section_heading_is_refused_at_the_next_one() {
    let text = damaged(|_, l| {
        if l.starts_with("三、") {
            vec![]
        } else {
            vec![l.into()]
        }
    });
    let e = parse(&text, None).expect_err("refused");
    assert!(
        e.message.contains("section heading 四、 where 三、 was expected"),
        "{e}"
    );
    assert_eq!(e.line, 30, "{e}");
}

#[test]
fn a_misnumbered_section_heading_is_refused() {
    let text = damaged(|_, l| vec![l.replacen("五、", "九十九、", 1)]);
    let e = parse(&text, None).expect_err("refused");
    assert!(
        e.message.contains("section heading 九十九、 where 五、 was expected"),
        "{e}"
    );
    assert_eq!(e.line, 42);
}

#[test]
fn a_duplicated_article_heading_is_refused() {
    let text = damaged(|_, l| {
        if l.starts_with("（六）") {
            vec!["（五）加快布局建设创新创业研究平台。".into(), l.into()]
        } else {
            vec![l.into()]
        }
    });
    let e = parse(&text, None).expect_err("refused");
    assert!(
        e.message
            .contains("article （五） appears again where （六） was expected"),
        "{e}"
    );
    assert_eq!(e.line, 18);
    // A skipped article number too.
    let text = damaged(|_, l| vec![l.replacen("（九）", "（十九）", 1)]);
    let e = parse(&text, None).expect_err("refused");
    assert!(e.message.contains("（十九） where （九） was expected"), "{e}");
}

#[test]
fn the_first_bracketed_article_losing_its_bracket_is_refused() {
    let text = damaged(|n, l| {
        if n == 15 {
            vec![l.split('〔').next().unwrap_or(l).to_string()]
        } else {
            vec![l.into()]
        }
    });
    let e = parse(&text, None).expect_err("refused");
    assert!(
        e.message.contains("article 4") && e.message.contains("no division-of-labour bracket"),
        "{e}"
    );
}

#[test]
fn a_body_line_that_starts_like_a_heading_is_a_warning() {
    let text = damaged(|n, l| {
        if n == 15 {
            vec!["七、是加强平台建设，提升服务能力。".into(), l.into()]
        } else {
            vec![l.into()]
        }
    });
    let p = parse(&text, None).unwrap();
    assert_eq!(p.sections.len(), 5);
    assert!(p.warnings.iter().any(|w| w.starts_with("line 15:")), "{:?}", p.warnings);
}

#[test]
fn a_unit_name_with_a_zero_width_character_is_refused_with_its_place() {
    let text = BUNDLED_TEXT.replacen("牵头单位:科技厅", "牵头单位:科\u{200b}技厅", 1);
    let e = parse(&text, None).expect_err("refused");
    assert!(e.message.contains("U+200B"), "{e}");
    assert_eq!(e.line, 15);
}

mod properties {
    use super::super::*;
    use proptest::prelude::*;

    /// Whatever the structure a parse accepts, it is consecutive.
    fn consistent(p: &Policy) -> Result<(), TestCaseError> {
        for (i, s) in p.sections.iter().enumerate() {
            prop_assert_eq!(s.no as usize, i + 1);
        }
        let first = p.articles.iter().position(|a| a.division.is_some());
        for (i, a) in p.articles.iter().enumerate() {
            prop_assert_eq!(a.no as usize, i + 1);
            prop_assert!(a.section >= 1 && a.section as usize <= p.sections.len());
            if let Some(f) = first {
                prop_assert_eq!(a.division.is_some(), i >= f, "article {}", a.no);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_text_is_parsed_or_refused_with_a_line(s in "\\PC{0,400}") {
            let lines = s.lines().count().max(1);
            match parse(&s, None) {
                Ok(p) => consistent(&p)?,
                Err(e) => prop_assert!(e.line >= 1 && e.line <= lines + 1, "{}", e),
            }
        }

        #[test]
        fn a_damaged_policy_is_refused_or_consistent(
            drop in proptest::collection::vec(0usize..60, 0..4),
            dup in proptest::option::of(0usize..60),
        ) {
            let text: Vec<&str> = BUNDLED_TEXT.lines().collect();
            let mut out = Vec::new();
            for (i, l) in text.iter().enumerate() {
                if drop.contains(&i) {
                    continue;
                }
                out.push(*l);
                if dup == Some(i) {
                    out.push(*l);
                }
            }
            let out = out.join("\n");
            match parse(&out, None) {
                Ok(p) => {
                    consistent(&p)?;
                    // Nothing was lost silently: every heading of the text is one.
                    let heads = out.lines().filter(|l| l.starts_with('（')).count();
                    prop_assert_eq!(p.articles.len(), heads);
                }
                Err(e) => prop_assert!(e.line >= 1 && e.line <= out.lines().count() + 1, "{}", e),
            }
        }
    }
}
