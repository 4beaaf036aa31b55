//! The quarterly review from the command line: snapshots (`dudao
//! snapshot`), the documents (`review --export md|html|csv`, `circular`)
//! against golden files, the HTML checked with an HTML tokenizer, and the
//! `export alerts` / `export missing` views.

use crate::common;

use crate::common::{dudao, repo_root, sample_copy, stderr, stdout};

const TODAY: &str = "2026-11-30";

fn count(db: &std::path::Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Compares `got` with `tests/golden/<name>`; `DUDAO_UPDATE_GOLDEN=1` writes it.
fn golden(name: &str, got: &[u8]) {
    let path = repo_root().join("tests/golden").join(name);
    if std::env::var_os("DUDAO_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read(&path).expect("golden file (DUDAO_UPDATE_GOLDEN=1 makes it)");
    assert!(
        got == want.as_slice(),
        "output differs from {} (DUDAO_UPDATE_GOLDEN=1 to accept):\n{}",
        path.display(),
        String::from_utf8_lossy(got)
    );
}

fn export(format: &str, quarter: &str, extra: &[&str]) -> std::process::Output {
    dudao()
        .args(["review", "--export", format, "--quarter", quarter, "--today", TODAY])
        .args(extra)
        .arg(repo_root().join("sample.db"))
        .output()
        .unwrap()
}

#[test]
fn snapshot_freezes_a_finished_quarter_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let audits = count(&db, "SELECT count(*) FROM audit_log");
    // The sample freezes the quarter before the last finished one.
    assert_eq!(count(&db, "SELECT count(*) FROM quarter_snapshots"), 1);

    let out = dudao().args(["snapshot", "--today", TODAY]).arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("已存档 2026Q3（截至 2026-09-30）"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM quarter_snapshots WHERE quarter = '2026Q3'"),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action = 'snapshot' AND entity = 'quarter' AND entity_id = '2026Q3'"
        ),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) FROM audit_log"), audits + 1);
    let figures: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT figures FROM quarter_snapshots WHERE quarter = '2026Q3'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    // Again: nothing changes.
    let out = dudao()
        .args(["snapshot", "--quarter", "2026Q3", "--today", TODAY])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("保持不变"), "{}", stderr(&out));
    let out = dudao()
        .args(["--lang", "en", "snapshot", "--today", TODAY])
        .arg(&db)
        .output()
        .unwrap();
    assert!(stderr(&out).contains("left as it is"), "{}", stderr(&out));
    assert_eq!(count(&db, "SELECT count(*) FROM audit_log"), audits + 1);

    // A snapshot cannot be edited, even by hand.
    let c = rusqlite::Connection::open(&db).unwrap();
    assert!(
        c.execute(
            "UPDATE quarter_snapshots SET figures = '{}' WHERE quarter = '2026Q3'",
            []
        )
        .is_err()
    );
    let after: String = c
        .query_row(
            "SELECT figures FROM quarter_snapshots WHERE quarter = '2026Q3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(after, figures);
}

#[test]
fn snapshot_refuses_a_running_quarter_and_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let out = common::dudao_en()
        .args(["snapshot", "--quarter", "2026Q4", "--today", TODAY])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("has not ended"), "{}", stderr(&out));
    let out = dudao()
        .args(["snapshot", "--read-only", "--today", TODAY])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(count(&db, "SELECT count(*) FROM quarter_snapshots"), 1);
    for cmd in ["snapshot", "review", "circular"] {
        let mut args = vec![cmd, "--quarter", "2027Q1", "--today", TODAY];
        if cmd == "review" {
            args.extend(["--export", "md"]);
        }
        let out = dudao().args(&args).arg(&db).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr(&out));
        assert!(stderr(&out).contains("还没有开始"), "{}", stderr(&out));
    }
    let out = dudao()
        .args(["snapshot", "--quarter", "2026Q9"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// A frozen quarter keeps the figures it had; a quarter without a
/// snapshot follows the data.
#[test]
fn frozen_figures_do_not_follow_later_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let headline = |q: &str| {
        let out = dudao()
            .args([
                "review",
                "--export",
                "csv",
                "--table",
                "headline",
                "--quarter",
                q,
                "--today",
                TODAY,
            ])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    assert!(
        dudao()
            .args(["snapshot", "--today", TODAY])
            .arg(&db)
            .output()
            .unwrap()
            .status
            .success()
    );
    let q3 = headline("2026Q3");
    let q4 = headline("2026Q4");
    // Every checklist item delegated behind the write path's back, events and all.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "UPDATE authority_items SET status = 'delegated', doc_no = 'X';
         INSERT INTO authority_events (item_id, at, date, from_status, to_status, doc_no, by_uid, by_user)
             SELECT id, '2026-01-01T00:00:00Z', '2026-01-01', NULL, 'delegated', 'X', 0, 'test' FROM authority_items;",
    )
    .unwrap();
    drop(c);
    assert_eq!(headline("2026Q3"), q3, "a frozen quarter changed");
    assert_ne!(headline("2026Q4"), q4, "the running quarter did not follow the data");
    assert!(
        headline("2026Q4").contains("checklist_pct,100,"),
        "{}",
        headline("2026Q4")
    );
}

#[test]
fn markdown_matches_golden_in_chinese() {
    let out = export("md", "2026Q3", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for want in [
        "# 2026年第三季度 季度审议材料",
        "## 1 总览",
        "## 7 与上季度对比",
        "| 指标 | 2025年目标 |",
        "上季度数据为存档",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    golden("review-2026Q3.md", &out.stdout);
}

#[test]
fn markdown_in_english() {
    let out = export("md", "2026Q3", &["--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("# 2026 Q3 Quarterly review"), "{text}");
    assert!(text.contains("| Indicator | 2025 goal |"), "{text}");
}

#[test]
fn csv_keeps_english_keys_and_codes() {
    let out = export("csv", "2026Q3", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for t in [
        "# headline",
        "# targets",
        "# units",
        "# ranking_best",
        "# ranking_overdue",
        "# checklist",
        "# escalated",
        "# compare",
    ] {
        assert!(text.lines().any(|l| l == t), "{t} missing");
    }
    assert!(text.contains("code,indicator,goal,unit,value,period,status"));
    assert!(
        text.contains(",met\n") && text.contains(",behind\n"),
        "status codes, not labels"
    );
    assert!(!text.contains("已达标"));
    golden("review-2026Q3.csv", &out.stdout);

    // One table is plain CSV.
    let out = export("csv", "2026Q3", &["--table", "compare"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("figure,this_quarter,previous_quarter,change\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 8, "{text}");
    let out = export("md", "2026Q3", &["--table", "compare"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The HTML is well formed (every tag closed in order, no tokenizer error),
/// self-contained (no script, no URL, no external resource) and matches
/// its golden file.
#[test]
fn html_is_well_formed_and_self_contained() {
    let out = export("html", "2026Q3", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = stdout(&out);
    check_html(&html);
    for want in ["@page { size: A4", "<svg ", "拉萨高新区", "科技厅", "2026年第三季度"] {
        assert!(html.contains(want), "{want} missing");
    }
    golden("review-2026Q3.html", &out.stdout);
}

fn check_html(html: &str) {
    use html5gum::{Token, Tokenizer};
    const VOID: [&str; 6] = ["meta", "br", "hr", "img", "input", "link"];
    let mut stack: Vec<String> = Vec::new();
    let mut doctype = false;
    let mut tags = 0;
    for token in Tokenizer::new(html) {
        let token = token.expect("reading a string cannot fail");
        match token {
            Token::Error(e) => panic!("HTML error: {e:?}"),
            Token::Doctype(_) => doctype = true,
            Token::StartTag(t) => {
                tags += 1;
                let name = String::from_utf8_lossy(&t.name).into_owned();
                assert_ne!(name, "script", "a script");
                assert_ne!(name, "iframe");
                assert_ne!(name, "link", "an external stylesheet");
                for (k, v) in &t.attributes {
                    let (k, v) = (String::from_utf8_lossy(k), String::from_utf8_lossy(v));
                    assert!(!k.starts_with("on"), "event handler {k}");
                    assert!(k != "src" && k != "href", "{k}={v}");
                    assert!(!v.contains("://") && !v.starts_with("//"), "URL in {k}={v}");
                }
                if !t.self_closing && !VOID.contains(&name.as_str()) {
                    stack.push(name);
                }
            }
            Token::EndTag(t) => {
                let name = String::from_utf8_lossy(&t.name).into_owned();
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(name.as_str()),
                    "</{name}> closes nothing open"
                );
            }
            Token::String(s) => {
                let s = String::from_utf8_lossy(&s);
                assert!(!s.contains("://"), "a URL in the text: {s}");
                assert!(!s.contains("url("), "a resource in the CSS");
                assert!(!s.contains("@import"));
            }
            Token::Comment(_) => {}
        }
    }
    assert!(doctype, "no doctype");
    assert!(stack.is_empty(), "left open: {stack:?}");
    assert!(tags > 100, "{tags} tags");
}

#[test]
fn circular_matches_golden() {
    let out = dudao()
        .args(["circular", "--quarter", "2026Q3", "--today", TODAY])
        .arg(repo_root().join("sample.db"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for want in [
        "关于2026年第三季度推进“双创”升级版重点任务落实情况的通报",
        "## 三、逾期事项较多的单位",
        "| 1 | 科技厅 | 4 |",
        "2026年11月30日",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    assert!(!text.contains('{'), "a field left unfilled:\n{text}");
    golden("circular-2026Q3.md", &out.stdout);
}

#[test]
fn export_alerts_and_missing() {
    let db = repo_root().join("sample.db");
    let out = dudao()
        .args(["export", "alerts", "--format", "csv", "--today", TODAY])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "an export succeeds: {}", stderr(&out));
    let alerts = dudao()
        .args(["alerts", "--format", "csv", "--today", TODAY])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.stdout, alerts.stdout, "the same rows as `dudao alerts`");

    let out = dudao()
        .args(["export", "missing", "--format", "csv", "--today", TODAY])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("unit,month,status,due,days_late,reminders"));
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.contains(",2026-10,missing,")), "{text}");
    // The same units the inbox lists as 逾期未报.
    let list = dudao()
        .args([
            "report", "list", "--month", "2026-10", "--status", "missing", "--format", "csv", "--today", TODAY,
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(stdout(&list).lines().count(), rows.len() + 1, "{}", stdout(&list));

    // Chinese headings and labels in the table format.
    let out = dudao()
        .args(["export", "missing", "--format", "table", "--today", TODAY])
        .arg(&db)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.starts_with("单位"), "{text}");
    assert!(text.contains("逾期未报") && !text.contains("missing"), "{text}");
}

/// With the Chinese interface, tables and Markdown speak Chinese (状态
/// 已下放, not status delegated); CSV and JSON keep keys and codes.
#[test]
fn exports_in_chinese_for_people_and_codes_for_scripts() {
    let db = repo_root().join("sample.db");
    let run = |args: &[&str]| {
        let out = dudao().args(args).arg(&db).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    let table = run(&["export", "authority", "--format", "table"]);
    let head = table.lines().next().unwrap();
    assert!(
        head.starts_with("高新区") && head.contains("状态") && head.contains("文号"),
        "{head}"
    );
    assert!(table.contains("已下放") && table.contains("人才引进"), "{table}");
    assert!(!table.contains("delegated") && !table.contains("talent"), "{table}");
    let md = run(&["export", "reports", "--format", "md"]);
    assert!(md.starts_with("| 单位 | 月份 | 版本 | 状态 |"), "{}", &md[..200]);
    assert!(md.contains("| 已阅 |"));
    let ontime = run(&["export", "ontime", "--format", "table", "--today", TODAY]);
    assert!(ontime.starts_with("单位"), "{ontime}");
    // Scripts keep the stable words.
    let csv = run(&["export", "authority", "--format", "csv"]);
    assert!(csv.starts_with("zone,domain,level,name,grantor,status,"), "{csv}");
    assert!(csv.contains(",delegated,") && !csv.contains("已下放"));
    let json = run(&["export", "matrix", "--format", "json"]);
    assert!(json.contains("\"role\":\"lead\""), "{}", &json[..300]);
    // The English interface keeps English words.
    let en = run(&["--lang", "en", "export", "authority", "--format", "table"]);
    assert!(en.starts_with("zone") && en.contains("delegated"));
}

/// The 通报 as a Word document, read back: the same title, headings, table
/// cells and text as the Markdown.
#[test]
fn circular_as_docx_reads_back() {
    let out = dudao()
        .args(["circular", "--format", "docx", "--quarter", "2026Q3", "--today", TODAY])
        .arg(repo_root().join("sample.db"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"PK"), "not a zip file");
    let text = dudao::review::circular::docx_text(&out.stdout).expect("a readable Word document");
    assert_eq!(
        text.first().map(String::as_str),
        Some("关于2026年第三季度推进“双创”升级版重点任务落实情况的通报")
    );
    for want in ["三、逾期事项较多的单位", "科技厅", "逾期事项（项）", "2026年11月30日"] {
        assert!(text.iter().any(|t| t == want), "{want} missing: {text:?}");
    }
    // Every line of the Markdown's text is in the document (tables as cells).
    let md = dudao()
        .args(["circular", "--quarter", "2026Q3", "--today", TODAY])
        .arg(repo_root().join("sample.db"))
        .output()
        .unwrap();
    let all = text.join("\n");
    for line in stdout(&md).lines().filter(|l| !l.is_empty() && !l.starts_with('|')) {
        let line = line.trim_start_matches("## ").trim_start_matches("# ");
        assert!(all.contains(line), "{line} missing from the document");
    }
}

/// Hostile text typed into an escalation note reaches no document raw: no
/// tag in the HTML, no control or bidi character anywhere.
#[test]
fn hostile_text_is_escaped_and_sanitized() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let c = rusqlite::Connection::open(&db).unwrap();
    let n = c
        .execute(
            "UPDATE item_flags SET escalate_note = ?1 WHERE escalated_at IS NOT NULL",
            ["<script>alert(1)</script>\u{1b}]0;PWNED\u{7} <img src=x onerror=alert(2)> abc\u{202e}fdp.exe"],
        )
        .unwrap();
    assert!(n > 0);
    drop(c);
    for format in ["html", "md", "csv"] {
        let out = dudao()
            .args(["review", "--export", format, "--quarter", "2026Q3", "--today", TODAY])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("alert(1)"), "{format}: the note is shown");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{format}"
        );
        if format == "html" {
            check_html(&text);
            assert!(text.contains("&lt;script&gt;"), "escaped");
        }
    }
    let out = dudao()
        .args(["circular", "--quarter", "2026Q3", "--today", TODAY])
        .arg(&db)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("alert(1)") && !text.contains('\u{1b}') && !text.contains('\u{202e}'));
}

/// A database just made by `init`: nothing was owed before reporting
/// started, and every document still comes out whole.
#[test]
fn a_new_database_owes_nothing_before_reporting_started() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let out = dudao()
        .args(["init", "--today", "2026-11-10"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Reporting starts in December, as if the office began then.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE meta SET value = '2026-12' WHERE key = 'reporting_start'", [])
        .unwrap();
    let today = "2026-12-20";
    let out = dudao()
        .args([
            "review",
            "--export",
            "csv",
            "--table",
            "headline",
            "--quarter",
            "2026Q4",
            "--today",
            today,
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // October and November were owed by nobody; December is not due yet.
    let line = text.lines().find(|l| l.starts_with("on_time_pct")).unwrap();
    assert_eq!(line, "on_time_pct,,按时 0 / 应报 0 · 迟报 0 · 未报 0", "{text}");
    for format in ["md", "html"] {
        let out = dudao()
            .args(["review", "--export", format, "--today", today])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = dudao().args(["circular", "--today", today]).arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("无。"), "nobody to name yet");
}

/// The 通报 follows the rule it prints: recomputed here from every unit's
/// figures (the review's `units` table), the commended are exactly the
/// units with every report on time and nothing overdue, the named exactly
/// those with something overdue or missing, each with its rank (equal
/// records share one) and the counts the rule line states.
#[test]
fn the_circular_lists_exactly_what_its_rule_says() {
    let csv = stdout(&export("csv", "2026Q3", &["--table", "units"]));
    let mut lines = csv.lines();
    let keys: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |k: &str| keys.iter().position(|x| *x == k).unwrap();
    let (u, on, late, miss, over, long) = (
        col("unit"),
        col("on_time"),
        col("late"),
        col("missing"),
        col("overdue_items"),
        col("longest_days"),
    );
    let rows: Vec<(String, [i64; 5])> = lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            let n = |i: usize| c[i].parse::<i64>().unwrap();
            (c[u].to_string(), [n(on), n(late), n(miss), n(over), n(long)])
        })
        .collect();
    // Competition ranks by `key` (larger first), ties at the 10th place kept.
    fn ranked(mut v: Vec<(String, Vec<i64>)>) -> Vec<(usize, String)> {
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out: Vec<(usize, String, Vec<i64>)> = Vec::new();
        for (i, (name, key)) in v.into_iter().enumerate() {
            let rank = match out.last() {
                Some((r, _, k)) if *k == key => *r,
                _ => i + 1,
            };
            if rank > 10 {
                break;
            }
            out.push((rank, name, key));
        }
        out.into_iter().map(|(r, n, _)| (r, n)).collect()
    }
    let best_pool: Vec<(String, Vec<i64>)> = rows
        .iter()
        .filter(|(_, [on, late, miss, over, _])| on + late + miss > 0 && *late == 0 && *miss == 0 && *over == 0)
        .map(|(n, [on, ..])| (n.clone(), vec![*on]))
        .collect();
    let worst_pool: Vec<(String, Vec<i64>)> = rows
        .iter()
        .filter(|(_, [_, _, miss, over, _])| *over > 0 || *miss > 0)
        .map(|(n, [_, _, miss, over, long])| (n.clone(), vec![*over, *miss, *long]))
        .collect();
    let (best_n, worst_n) = (best_pool.len(), worst_pool.len());
    let (best, worst) = (ranked(best_pool), ranked(worst_pool));
    assert!(best.windows(2).any(|w| w[0].0 == w[1].0), "the sample has ties to test");

    let out = dudao()
        .args(["circular", "--quarter", "2026Q3", "--today", TODAY])
        .arg(repo_root().join("sample.db"))
        .output()
        .unwrap();
    let doc = stdout(&out);
    let table = |heading: &str| -> Vec<(usize, String)> {
        let start = doc.find(heading).unwrap();
        doc[start..]
            .lines()
            .skip_while(|l| !l.starts_with("|--"))
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let c: Vec<&str> = l.split('|').map(str::trim).collect();
                (c[1].parse().unwrap(), c[2].to_string())
            })
            .collect()
    };
    assert_eq!(table("## 二、"), best);
    assert_eq!(table("## 三、"), worst);
    assert!(
        doc.contains(&format!("且截至数据截止日无逾期事项的单位，共{best_n}家"))
            && doc.contains(&format!("列前10名（含并列），共{}家。", best.len())),
        "{doc}"
    );
    assert!(
        doc.contains(&format!("有逾期事项或未报月报的单位，共{worst_n}家")),
        "{doc}"
    );
}
