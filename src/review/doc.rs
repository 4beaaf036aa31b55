//! The review as a document: the same seven pages as Markdown (for the
//! minutes), one self-contained HTML file (inline CSS and SVG charts, no
//! script, no URL, fonts by generic family, laid out for A4), or CSV of each
//! table. Labels follow the interface language; CSV keeps English keys and
//! stable codes.

use std::fmt::Write as _;
use std::io::Write;

use super::strings::ReviewStrings;
use crate::domain::AuthorityDomain;
use crate::export::csv_field;
use crate::figures::Review;
use crate::figures::{Figures, PrevSource, compare, num};
use crate::i18n::Lang;
use crate::text::one_line;

/// One cell: what a reader sees, and (when different) the stable code CSV writes.
#[derive(Debug, Clone)]
pub struct V {
    pub human: String,
    pub code: Option<String>,
    pub numeric: bool,
}

fn t(s: impl Into<String>) -> V {
    V {
        human: one_line(&s.into()),
        code: None,
        numeric: false,
    }
}

fn n(v: impl ToString) -> V {
    V {
        human: v.to_string(),
        code: None,
        numeric: true,
    }
}

fn coded(human: &str, code: &str) -> V {
    V {
        human: human.to_string(),
        code: Some(code.to_string()),
        numeric: false,
    }
}

/// One table of a page.
#[derive(Debug, Clone)]
pub struct Table {
    /// Its name in CSV (`# name`) and `--table`.
    pub name: &'static str,
    pub caption: Option<String>,
    /// The rule behind the table's rows and their order, printed under
    /// the caption (a ranking in the office's name states it).
    pub rule: Option<String>,
    pub keys: Vec<&'static str>,
    pub heads: Vec<String>,
    pub rows: Vec<Vec<V>>,
}

impl Table {
    /// The columns a reader sees (a column without a heading is for CSV only).
    fn shown(&self) -> Vec<usize> {
        (0..self.heads.len()).filter(|&i| !self.heads[i].is_empty()).collect()
    }
}

/// A chart drawn in the HTML (as SVG).
#[derive(Debug, Clone)]
pub enum Chart {
    /// Label, filled share (0–1), text at the end, good or not.
    Gauges(Vec<(String, f64, String, bool)>),
    /// Label and on time / late / missing.
    Stacked(Vec<(String, [i64; 3])>),
}

/// One page of the review.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub tables: Vec<Table>,
    pub chart: Option<Chart>,
    pub note: Option<String>,
}

/// The whole review as sections.
pub fn sections(r: &Review, lang: Lang) -> Vec<Section> {
    let s = ReviewStrings::of(lang);
    let f = &r.figures;
    let h = &f.headline;
    let pct = |p: Option<i64>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
    let mut out = Vec::new();

    // 1. Overview.
    out.push(Section {
        title: s.pages[0].into(),
        tables: vec![Table {
            name: "headline",
            caption: None,
            rule: None,
            keys: vec!["figure", "value", "detail"],
            heads: vec![s.metric.into(), s.value.into(), s.note.into()],
            rows: vec![
                vec![
                    coded(s.on_time, "on_time_pct"),
                    V {
                        numeric: true,
                        code: Some(h.on_time_pct().map(|p| p.to_string()).unwrap_or_default()),
                        human: pct(h.on_time_pct()),
                    },
                    t(s.reports_line(h)),
                ],
                vec![
                    coded(s.overdue, "overdue_items"),
                    n(h.overdue_items),
                    t(format!("{} {}", s.escalated_n, h.escalated)),
                ],
                vec![
                    coded(s.checklist, "checklist_pct"),
                    V {
                        numeric: true,
                        code: Some(h.checklist_pct().map(|p| p.to_string()).unwrap_or_default()),
                        human: pct(h.checklist_pct()),
                    },
                    t(format!("{}/{}", h.checklist_done, h.checklist_total)),
                ],
                vec![
                    coded(s.on_pace, "targets_on_pace"),
                    V {
                        numeric: true,
                        code: Some(h.targets_on_pace.to_string()),
                        human: format!("{}/{}", h.targets_on_pace, h.targets_total),
                    },
                    t(format!("{} {}", h.targets_total, s.of_targets)),
                ],
            ],
        }],
        chart: None,
        note: None,
    });

    // 2. Targets.
    let mark = |tl: &crate::figures::TargetLine| {
        if tl.met {
            coded(s.met_mark, "met")
        } else if tl.on_pace {
            coded(s.on_pace_mark, "on_pace")
        } else {
            coded(s.behind_mark, "behind")
        }
    };
    out.push(Section {
        title: s.pages[1].into(),
        tables: vec![Table {
            name: "targets",
            caption: None,
            rule: None,
            keys: vec!["code", "indicator", "goal", "unit", "value", "period", "status"],
            heads: vec![
                "".into(),
                s.indicator.into(),
                s.goal.into(),
                "".into(),
                s.value.into(),
                s.period.into(),
                s.status.into(),
            ],
            rows: f
                .targets
                .iter()
                .map(|tl| {
                    vec![
                        t(&tl.code),
                        t(&tl.name),
                        V {
                            human: format!(
                                "{}{}{}",
                                if tl.comparator == ">" { ">" } else { "" },
                                num(tl.target),
                                tl.unit
                            ),
                            code: Some(num(tl.target)),
                            numeric: true,
                        },
                        t(&tl.unit),
                        tl.value.map(|v| n(num(v))).unwrap_or_else(|| coded(s.no_value, "")),
                        t(tl.period.clone().unwrap_or_default()),
                        mark(tl),
                    ]
                })
                .collect(),
        }],
        chart: Some(Chart::Gauges(
            f.targets
                .iter()
                .map(|tl| {
                    let v = tl.value.unwrap_or(0.0);
                    (
                        tl.name.clone(),
                        v / tl.target.max(1e-9),
                        format!(
                            "{}/{}{}",
                            tl.value.map(num).unwrap_or_else(|| "—".into()),
                            num(tl.target),
                            tl.unit
                        ),
                        tl.on_pace,
                    )
                })
                .collect(),
        )),
        note: None,
    });

    // 3. Reports by unit.
    out.push(Section {
        title: s.pages[2].into(),
        tables: vec![Table {
            name: "units",
            caption: None,
            rule: None,
            keys: vec![
                "unit",
                "on_time",
                "late",
                "missing",
                "pending",
                "overdue_items",
                "longest_days",
            ],
            // The last two are the ranking's inputs, for CSV only.
            heads: vec![
                s.unit.into(),
                s.on_time.into(),
                s.late.into(),
                s.missing.into(),
                s.pending.into(),
                String::new(),
                String::new(),
            ],
            rows: f
                .units
                .iter()
                .map(|u| {
                    vec![
                        t(&u.unit),
                        n(u.on_time),
                        n(u.late),
                        n(u.missing),
                        n(u.pending),
                        n(u.overdue_items),
                        n(u.max_days_overdue),
                    ]
                })
                .collect(),
        }],
        chart: Some(Chart::Stacked(
            f.units
                .iter()
                .map(|u| (u.short.clone(), [u.on_time, u.late, u.missing]))
                .collect(),
        )),
        note: None,
    });

    // 4. Ranking: each side with the rule it follows.
    let (best, worst) = (f.best(), f.worst());
    let best_rows: Vec<Vec<V>> = best
        .rows
        .iter()
        .map(|r| vec![n(r.rank), t(&r.unit.unit), n(r.unit.on_time), n(r.unit.due())])
        .collect();
    let worst_rows: Vec<Vec<V>> = worst
        .rows
        .iter()
        .map(|r| {
            vec![
                n(r.rank),
                t(&r.unit.unit),
                n(r.unit.overdue_items),
                n(r.unit.missing),
                n(r.unit.max_days_overdue),
            ]
        })
        .collect();
    out.push(Section {
        title: s.pages[3].into(),
        tables: vec![
            Table {
                name: "ranking_best",
                caption: Some(s.best.into()),
                rule: Some(s.rule(s.best_rule, &best)),
                keys: vec!["rank", "unit", "on_time", "due"],
                heads: vec![s.rank.into(), s.unit.into(), s.on_time.into(), s.due.into()],
                rows: best_rows,
            },
            Table {
                name: "ranking_overdue",
                caption: Some(s.worst.into()),
                rule: Some(s.rule(s.worst_rule, &worst)),
                keys: vec!["rank", "unit", "overdue_items", "missing", "longest_days"],
                heads: vec![
                    s.rank.into(),
                    s.unit.into(),
                    s.overdue_items.into(),
                    s.missing.into(),
                    s.longest.into(),
                ],
                rows: worst_rows,
            },
        ],
        chart: None,
        note: None,
    });

    // 5. Checklist.
    let mut keys = vec!["zone"];
    keys.extend(AuthorityDomain::ALL.iter().map(|d| d.code()));
    keys.extend(["done", "total"]);
    let mut heads = vec![s.zone.to_string()];
    heads.extend(
        AuthorityDomain::ALL
            .iter()
            .map(|d| lang.s().domain_short(*d).to_string()),
    );
    heads.extend([s.done_of.to_string(), s.total.to_string()]);
    let cell = |(d, k): &(i64, i64)| V {
        human: if *k == 0 { "·".into() } else { format!("{d}/{k}") },
        code: Some(format!("{d}/{k}")),
        numeric: false,
    };
    let mut rows: Vec<Vec<V>> = f
        .zones
        .iter()
        .map(|z| {
            let mut r = vec![t(&z.zone)];
            r.extend(z.domains.iter().map(cell));
            r.extend([n(z.done), n(z.total)]);
            r
        })
        .collect();
    let mut total = vec![coded(s.total, "total")];
    total.extend(f.domain_totals().iter().map(cell));
    total.extend([n(h.checklist_done), n(h.checklist_total)]);
    rows.push(total);
    out.push(Section {
        title: s.pages[4].into(),
        tables: vec![Table {
            name: "checklist",
            caption: None,
            rule: None,
            keys,
            heads,
            rows,
        }],
        chart: Some(Chart::Gauges(
            f.zones
                .iter()
                .map(|z| {
                    (
                        z.zone.clone(),
                        z.done as f64 / (z.total.max(1)) as f64,
                        format!("{}/{}", z.done, z.total),
                        true,
                    )
                })
                .collect(),
        )),
        note: None,
    });

    // 6. Escalated.
    out.push(Section {
        title: s.pages[5].into(),
        tables: vec![Table {
            name: "escalated",
            caption: None,
            rule: None,
            keys: vec![
                "id",
                "item",
                "unit",
                "due",
                "days_overdue",
                "escalated_by",
                "escalated_at",
                "note",
            ],
            heads: vec![
                "ID".into(),
                s.item.into(),
                s.unit.into(),
                s.due_date.into(),
                s.days_over.into(),
                s.escalated_by.into(),
                s.escalated_at.into(),
                s.note.into(),
            ],
            rows: f
                .escalated
                .iter()
                .map(|e| {
                    vec![
                        t(&e.id),
                        t(&e.title),
                        t(&e.unit),
                        t(e.due.to_string()),
                        n(e.days_overdue),
                        t(&e.escalated_by),
                        t(e.escalated_at.get(..10).unwrap_or(&e.escalated_at)),
                        t(&e.note),
                    ]
                })
                .collect(),
        }],
        chart: None,
        note: f.escalated.is_empty().then(|| s.none_escalated.to_string()),
    });

    // 7. Quarter on quarter.
    let opt = |v: Option<i64>| v.map(n).unwrap_or_else(|| t(""));
    out.push(Section {
        title: s.pages[6].into(),
        tables: vec![Table {
            name: "compare",
            caption: None,
            rule: None,
            keys: vec!["figure", "this_quarter", "previous_quarter", "change"],
            heads: vec![
                s.metric.into(),
                format!("{} {}", s.this_q, f.quarter),
                format!("{} {}", s.prev_q, r.prev.quarter),
                s.change.into(),
            ],
            rows: compare(&f.headline, &r.prev.headline)
                .iter()
                .map(|c| {
                    let change = match (c.delta(), c.better()) {
                        (Some(d), Some(true)) => V {
                            human: format!("{d:+} {}", s.better),
                            code: Some(d.to_string()),
                            numeric: true,
                        },
                        (Some(d), Some(false)) => V {
                            human: format!("{d:+} {}", s.worse),
                            code: Some(d.to_string()),
                            numeric: true,
                        },
                        (Some(_), None) => V {
                            human: s.same.into(),
                            code: Some("0".into()),
                            numeric: true,
                        },
                        (None, _) => t(""),
                    };
                    vec![
                        coded(s.metric(c.metric), c.metric.code()),
                        opt(c.this),
                        opt(c.prev),
                        change,
                    ]
                })
                .collect(),
        }],
        chart: None,
        note: Some(
            match r.prev_source {
                PrevSource::Snapshot => s.prev_snapshot,
                PrevSource::Recomputed => s.prev_recomputed,
            }
            .to_string(),
        ),
    });
    out
}

fn title(f: &Figures, s: &ReviewStrings) -> (String, String) {
    (
        format!("{} {}", s.quarter(&f.quarter), s.doc_title),
        format!("{} {}", s.as_of, f.as_of),
    )
}

fn md_cell(s: &str) -> String {
    crate::text::md_inline(s)
}

/// Markdown for the minutes.
pub fn markdown(r: &Review, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let s = ReviewStrings::of(lang);
    let (t1, t2) = title(&r.figures, s);
    writeln!(out, "# {t1}\n\n{t2}\n")?;
    for (i, sec) in sections(r, lang).iter().enumerate() {
        writeln!(out, "## {} {}\n", i + 1, sec.title)?;
        for tab in &sec.tables {
            if let Some(c) = &tab.caption {
                writeln!(out, "### {c}\n")?;
            }
            if let Some(rule) = &tab.rule {
                writeln!(out, "{rule}\n")?;
            }
            if tab.rows.is_empty() {
                writeln!(out, "{}\n", s.none)?;
                continue;
            }
            let shown = tab.shown();
            writeln!(
                out,
                "| {} |",
                shown
                    .iter()
                    .map(|&i| md_cell(&tab.heads[i]))
                    .collect::<Vec<_>>()
                    .join(" | ")
            )?;
            let align: Vec<&str> = shown
                .iter()
                .map(|&i| if tab.rows[0][i].numeric { "--:" } else { "---" })
                .collect();
            writeln!(out, "|{}|", align.join("|"))?;
            for row in &tab.rows {
                writeln!(
                    out,
                    "| {} |",
                    shown
                        .iter()
                        .map(|&i| md_cell(&row[i].human))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )?;
            }
            writeln!(out)?;
        }
        if let Some(note) = &sec.note {
            writeln!(out, "{note}\n")?;
        }
    }
    Ok(())
}

/// CSV of each table (`only`: just that one, as plain CSV); several
/// tables each follow a `# name` line and end with a blank line.
pub fn csv(r: &Review, lang: Lang, only: Option<&str>, out: &mut dyn Write) -> std::io::Result<()> {
    for sec in sections(r, lang) {
        for tab in &sec.tables {
            let name = tab.name.split('_').next().unwrap_or(tab.name);
            if only.is_some_and(|o| o != name) {
                continue;
            }
            if only.is_none() {
                writeln!(out, "# {}", tab.name)?;
            } else if tab.name.contains('_') {
                // Both ranking tables under one name: each after its own line.
                writeln!(out, "# {}", tab.name)?;
            }
            writeln!(
                out,
                "{}",
                tab.keys
                    .iter()
                    .map(|k| csv_field(k, false))
                    .collect::<Vec<_>>()
                    .join(",")
            )?;
            for row in &tab.rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|v| csv_field(v.code.as_deref().unwrap_or(&v.human), v.numeric))
                    .collect();
                writeln!(out, "{}", cells.join(","))?;
            }
            if only.is_none() || tab.name.contains('_') {
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

/// Escapes text for HTML content and attributes.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const CSS: &str = "@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Zen Hei\", \"Microsoft YaHei\", sans-serif;
  color: #000; background: #fff; font-size: 10.5pt; line-height: 1.45; margin: 0 auto; max-width: 186mm; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 2px solid #000; break-after: avoid; }
h3 { font-size: 11pt; margin: 3mm 0 1mm; break-after: avoid; }
.sub { margin: 0 0 4mm; }
section { break-inside: auto; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; }
th, td { border: 1px solid #000; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #e6e6e6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
.cards { display: flex; flex-wrap: wrap; gap: 3mm; margin: 0 0 3mm; }
.card { flex: 1 1 40mm; border: 2px solid #000; padding: 2mm 3mm; break-inside: avoid; }
.card .v { font-size: 26pt; font-weight: bold; }
.card .l { font-weight: bold; }
svg { display: block; margin: 0 0 3mm; break-inside: avoid; }
svg text { font-family: inherit; font-size: 9px; }
.note { font-style: italic; }
";

/// One self-contained HTML file.
pub fn html(r: &Review, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let s = ReviewStrings::of(lang);
    let (t1, t2) = title(&r.figures, s);
    let h = &r.figures.headline;
    let mut o = String::new();
    let html_lang = if lang == Lang::Zh { "zh-CN" } else { "en" };
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        esc(&t1),
        esc(&t1),
        esc(&t2)
    );
    for (i, sec) in sections(r, lang).iter().enumerate() {
        let _ = writeln!(o, "<section>\n<h2>{} {}</h2>", i + 1, esc(&sec.title));
        if i == 0 {
            let pct = |p: Option<i64>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
            let cards = [
                (s.on_time, pct(h.on_time_pct())),
                (s.overdue, h.overdue_items.to_string()),
                (s.checklist, pct(h.checklist_pct())),
                (s.on_pace, format!("{}/{}", h.targets_on_pace, h.targets_total)),
            ];
            let _ = writeln!(o, "<div class=\"cards\">");
            for (label, value) in cards {
                let _ = writeln!(
                    o,
                    "<div class=\"card\"><div class=\"l\">{}</div><div class=\"v\">{}</div></div>",
                    esc(label),
                    esc(&value)
                );
            }
            let _ = writeln!(o, "</div>");
        }
        match &sec.chart {
            Some(Chart::Gauges(g)) => gauges_svg(&mut o, g),
            Some(Chart::Stacked(b)) => stacked_svg(&mut o, b, s),
            None => {}
        }
        for tab in &sec.tables {
            if let Some(c) = &tab.caption {
                let _ = writeln!(o, "<h3>{}</h3>", esc(c));
            }
            if let Some(rule) = &tab.rule {
                let _ = writeln!(o, "<p class=\"rule\">{}</p>", esc(rule));
            }
            if tab.rows.is_empty() {
                let _ = writeln!(o, "<p>{}</p>", esc(s.none));
                continue;
            }
            let shown = tab.shown();
            let _ = write!(o, "<table>\n<thead><tr>");
            for &i in &shown {
                let _ = write!(o, "<th>{}</th>", esc(&tab.heads[i]));
            }
            let _ = writeln!(o, "</tr></thead>\n<tbody>");
            for row in &tab.rows {
                let _ = write!(o, "<tr>");
                for v in shown.iter().map(|&i| &row[i]) {
                    if v.numeric {
                        let _ = write!(o, "<td class=\"n\">{}</td>", esc(&v.human));
                    } else {
                        let _ = write!(o, "<td>{}</td>", esc(&v.human));
                    }
                }
                let _ = writeln!(o, "</tr>");
            }
            let _ = writeln!(o, "</tbody>\n</table>");
        }
        if let Some(note) = &sec.note {
            let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(note));
        }
        let _ = writeln!(o, "</section>");
    }
    let _ = writeln!(o, "</body>\n</html>");
    out.write_all(o.as_bytes())
}

const SVG_W: f64 = 680.0;

fn gauges_svg(o: &mut String, g: &[(String, f64, String, bool)]) {
    let row = 16.0;
    let hgt = row * g.len() as f64 + 4.0;
    let (lx, bx, bw) = (0.0, 200.0, 340.0);
    let _ = writeln!(
        o,
        "<svg width=\"{SVG_W}\" height=\"{hgt}\" viewBox=\"0 0 {SVG_W} {hgt}\" role=\"img\">"
    );
    for (i, (label, ratio, text, good)) in g.iter().enumerate() {
        let y = i as f64 * row + 2.0;
        let w = (ratio.clamp(0.0, 1.0) * bw).round();
        let fill = if *good { "#1a7f37" } else { "#c62828" };
        let _ = writeln!(
            o,
            "<text x=\"{lx}\" y=\"{:.0}\">{}</text><rect x=\"{bx}\" y=\"{y:.0}\" width=\"{bw}\" height=\"12\" fill=\"#fff\" stroke=\"#000\"/><rect x=\"{bx}\" y=\"{y:.0}\" width=\"{w}\" height=\"12\" fill=\"{fill}\"/><text x=\"{:.0}\" y=\"{:.0}\">{}</text>",
            y + 10.0,
            esc(label),
            bx + bw + 6.0,
            y + 10.0,
            esc(text)
        );
    }
    let _ = writeln!(o, "</svg>");
}

fn stacked_svg(o: &mut String, b: &[(String, [i64; 3])], s: &ReviewStrings) {
    let row = 13.0;
    let hgt = row * b.len() as f64 + 22.0;
    let max = b.iter().map(|(_, c)| c.iter().sum::<i64>()).max().unwrap_or(1).max(1) as f64;
    let (bx, bw) = (110.0, 420.0);
    let colors = ["#1a7f37", "#e0a800", "#c62828"];
    let _ = writeln!(
        o,
        "<svg width=\"{SVG_W}\" height=\"{hgt}\" viewBox=\"0 0 {SVG_W} {hgt}\" role=\"img\">"
    );
    // Legend (with patterns named in words, not colour alone).
    for (i, (label, c)) in [s.on_time, s.late, s.missing].iter().zip(colors).enumerate() {
        let x = bx + i as f64 * 120.0;
        let _ = writeln!(
            o,
            "<rect x=\"{x}\" y=\"2\" width=\"10\" height=\"10\" fill=\"{c}\" stroke=\"#000\"/><text x=\"{}\" y=\"11\">{}</text>",
            x + 14.0,
            esc(label)
        );
    }
    for (i, (label, counts)) in b.iter().enumerate() {
        let y = 20.0 + i as f64 * row;
        let _ = write!(o, "<text x=\"0\" y=\"{:.0}\">{}</text>", y + 9.0, esc(label));
        let mut x = bx;
        for (k, c) in counts.iter().zip(colors) {
            let w = (*k as f64 / max * bw).round();
            if w > 0.0 {
                let _ = write!(
                    o,
                    "<rect x=\"{x}\" y=\"{y:.0}\" width=\"{w}\" height=\"10\" fill=\"{c}\" stroke=\"#000\"/>"
                );
                x += w;
            }
        }
        let _ = writeln!(
            o,
            "<text x=\"{:.0}\" y=\"{:.0}\">{}/{}/{}</text>",
            bx + bw + 6.0,
            y + 9.0,
            counts[0],
            counts[1],
            counts[2]
        );
    }
    let _ = writeln!(o, "</svg>");
}
