//! The quarter's 通报 (circular, articles 19–20): the template in
//! `assets/circular-template.md` filled with the headline figures, the
//! commended and the most overdue units, and the items escalated to the
//! leading group. The template is Chinese, as the office sends it.

use crate::db::review::Review;

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
    let best = f.best();
    let best = if best.is_empty() {
        "无。".to_string()
    } else {
        let mut s = String::from("| 序号 | 单位 | 按时报送（份） |\n|--:|---|--:|\n");
        for (i, u) in best.iter().enumerate() {
            s.push_str(&format!("| {} | {} | {} |\n", i + 1, cell(&u.unit), u.on_time));
        }
        s.trim_end().to_string()
    };
    let worst = f.worst();
    let overdue = if worst.is_empty() {
        "无。".to_string()
    } else {
        let mut s =
            String::from("| 序号 | 单位 | 逾期事项（项） | 未报月报（份） | 最长逾期（天） |\n|--:|---|--:|--:|--:|\n");
        for (i, u) in worst.iter().enumerate() {
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                i + 1,
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
                    crate::text::one_line(&e.title),
                    crate::text::one_line(&e.unit),
                    e.due,
                    over,
                    crate::text::one_line(&e.note)
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
    crate::text::one_line(s).replace('|', "\\|")
}
