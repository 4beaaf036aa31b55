//! The quarter's 通报 (circular, articles 19–20): the template in
//! `assets/circular-template.md` filled with the headline figures, the
//! commended and the most overdue units, and the items escalated to the
//! leading group. The template is Chinese, as the office sends it.

use crate::figures::Review;

/// The bundled template. Fields: `{quarter}`, `{as_of}`, `{headline}`,
/// `{best}`, `{overdue}`, `{escalated}`, `{office}`, `{date}`.
pub const TEMPLATE: &str = include_str!("../../assets/circular-template.md");

/// Fills `template` for the review `r`, sent by `office` on `date`.
pub fn fill(template: &str, r: &Review, office: &str, date: chrono::NaiveDate) -> String {
    let f = &r.figures;
    let h = &f.headline;
    let quarter = f
        .quarter
        .parse::<crate::domain::Quarter>()
        .map(|q| q.zh())
        .unwrap_or_else(|_| f.quarter.clone());
    let pct = |p: Option<i64>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
    let headline = format!(
        "本季度应报月报{}份，按时报送{}份（按时率{}），迟报{}份，未报{}份；逾期未办结事项{}项；授权事项清单完成{}/{}项（{}）；2025年目标{}项指标中{}项达到进度要求；提请领导小组研究事项{}项。",
        h.reports_due,
        h.reports_on_time,
        pct(h.on_time_pct()),
        h.reports_late,
        h.reports_missing,
        h.overdue_items,
        h.checklist_done,
        h.checklist_total,
        pct(h.checklist_pct()),
        h.targets_total,
        h.targets_on_pace,
        h.escalated
    );
    let zh = super::strings::ReviewStrings::of(crate::i18n::Lang::Zh);
    let best = f.best();
    let best = if best.rows.is_empty() {
        format!("无。\n\n{}", zh.rule(zh.best_rule, &best))
    } else {
        let mut s = format!(
            "{}\n\n| 名次 | 单位 | 按时报送（份） |\n|--:|---|--:|\n",
            zh.rule(zh.best_rule, &best)
        );
        for r in &best.rows {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                r.rank,
                cell(&r.unit.unit),
                r.unit.on_time
            ));
        }
        s.trim_end().to_string()
    };
    let worst = f.worst();
    let overdue = if worst.rows.is_empty() {
        format!("无。\n\n{}", zh.rule(zh.worst_rule, &worst))
    } else {
        let mut s = format!(
            "{}\n\n| 名次 | 单位 | 逾期事项（项） | 未报月报（份） | 最长逾期（天） |\n|--:|---|--:|--:|--:|\n",
            zh.rule(zh.worst_rule, &worst)
        );
        for r in &worst.rows {
            let u = r.unit;
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                r.rank,
                cell(&u.unit),
                u.overdue_items,
                u.missing,
                u.max_days_overdue
            ));
        }
        s.trim_end().to_string()
    };
    let escalated = if f.escalated.is_empty() {
        "无。".to_string()
    } else {
        f.escalated
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let over = if e.days_overdue > 0 {
                    format!("，已逾期{}天", e.days_overdue)
                } else {
                    String::new()
                };
                format!(
                    "{}. {}（{}，到期日{}{}）：{}",
                    i + 1,
                    cell(&e.title),
                    cell(&e.unit),
                    e.due,
                    over,
                    cell(&e.note)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let date_zh = format!(
        "{}年{}月{}日",
        chrono::Datelike::year(&date),
        chrono::Datelike::month(&date),
        chrono::Datelike::day(&date)
    );
    template
        .replace("{quarter}", &quarter)
        .replace("{as_of}", &f.as_of.to_string())
        .replace("{headline}", &headline)
        .replace("{best}", &best)
        .replace("{overdue}", &overdue)
        .replace("{escalated}", &escalated)
        .replace("{office}", office)
        .replace("{date}", &date_zh)
}

fn cell(s: &str) -> String {
    crate::text::md_inline(s)
}

/// The filled 通报 (Markdown as [`fill`] makes it) as a Word document:
/// `#` the title (centred, bold), `##` headings, `|` tables as Word tables,
/// other lines as paragraphs; fonts by name (仿宋, 黑体), which Word
/// substitutes where absent.
pub fn docx(markdown: &str) -> std::io::Result<Vec<u8>> {
    use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow};
    let body = || {
        RunFonts::new()
            .east_asia("仿宋")
            .ascii("Times New Roman")
            .hi_ansi("Times New Roman")
    };
    let run = |text: &str| Run::new().add_text(text).fonts(body()).size(32);
    let mut doc = Docx::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let flush = |doc: Docx, table: &mut Vec<Vec<String>>| {
        if table.is_empty() {
            return doc;
        }
        let rows = table
            .drain(..)
            .enumerate()
            .map(|(i, cells)| {
                TableRow::new(
                    cells
                        .iter()
                        .map(|c| {
                            let r = Run::new().add_text(c).fonts(body()).size(28);
                            TableCell::new().add_paragraph(Paragraph::new().add_run(if i == 0 { r.bold() } else { r }))
                        })
                        .collect(),
                )
            })
            .collect();
        doc.add_table(Table::new(rows))
    };
    for line in markdown.lines() {
        let t = line.trim();
        if t.starts_with('|') {
            // The Markdown alignment row carries no text.
            if t.trim_matches(['|', '-', ':', ' ']).is_empty() {
                continue;
            }
            let cells: Vec<String> = t
                .trim_matches('|')
                .split(" | ")
                .map(|c| crate::text::md_unescape(c.trim()))
                .collect();
            table.push(cells);
            continue;
        }
        doc = flush(doc, &mut table);
        if let Some(title) = t.strip_prefix("# ") {
            doc = doc.add_paragraph(
                Paragraph::new().align(AlignmentType::Center).add_run(
                    Run::new()
                        .add_text(title)
                        .fonts(RunFonts::new().east_asia("黑体"))
                        .size(40)
                        .bold(),
                ),
            );
        } else if let Some(h) = t.strip_prefix("## ") {
            doc = doc.add_paragraph(
                Paragraph::new().add_run(
                    Run::new()
                        .add_text(h)
                        .fonts(RunFonts::new().east_asia("黑体"))
                        .size(32)
                        .bold(),
                ),
            );
        } else if !t.is_empty() {
            doc = doc.add_paragraph(Paragraph::new().add_run(run(&crate::text::md_unescape(t))));
        }
    }
    doc = flush(doc, &mut table);
    let mut out = std::io::Cursor::new(Vec::new());
    doc.pack(&mut out).map_err(std::io::Error::other)?;
    Ok(out.into_inner())
}

/// The text of a Word document, one entry per paragraph or table cell, in
/// order (to check a document by reading it back).
pub fn docx_text(bytes: &[u8]) -> Result<Vec<String>, String> {
    use docx_rs::{DocumentChild, TableCellContent, TableChild, TableRowChild};
    let doc = docx_rs::read_docx(bytes).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for child in &doc.document.children {
        match child {
            DocumentChild::Paragraph(p) => out.push(p.raw_text()),
            DocumentChild::Table(t) => {
                for TableChild::TableRow(row) in &t.rows {
                    for TableRowChild::TableCell(cell) in &row.cells {
                        for c in &cell.children {
                            if let TableCellContent::Paragraph(p) = c {
                                out.push(p.raw_text());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}
