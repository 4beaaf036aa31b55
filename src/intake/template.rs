//! The report template: `assets/report-template.toml` is a filled-in
//! example a unit can copy; for one unit it is generated with that unit's
//! own articles and indicators. JSON carries the same fields.

use serde_json::json;

use super::doc::{RawReport, Scalar, read_report};
use super::tree;

/// The bundled example (TOML, with comments on every field).
pub const EXAMPLE: &str = include_str!("../../assets/report-template.toml");

/// One article a unit reports on.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateArticle {
    pub no: i64,
    pub title: String,
    /// `牵头` or `参与` (lead or partner).
    pub role: String,
}

/// One indicator a unit reports.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateIndicator {
    pub name: String,
    pub unit: String,
}

/// One open 督办 task of the unit.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateTask {
    /// 督办编号.
    pub code: String,
    pub title: String,
    pub due: String,
    /// The unit leads it (it may then ask to close it).
    pub lead: bool,
}

/// What a unit's own template holds.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitTemplate {
    pub unit: String,
    pub month: String,
    pub articles: Vec<TemplateArticle>,
    pub indicators: Vec<TemplateIndicator>,
    pub tasks: Vec<TemplateTask>,
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The example as JSON (the same content as the TOML example).
pub fn example_json() -> String {
    let root = tree::toml(EXAMPLE).expect("the bundled template parses");
    let raw = read_report(&root).expect("the bundled template reads");
    let mut v = raw_json(&raw);
    v["format"] = json!("dudao-report/1");
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

fn raw_json(r: &RawReport) -> serde_json::Value {
    let num = |s: &Scalar| match s {
        Scalar::Num(n) if n.fract() == 0.0 => json!(*n as i64),
        Scalar::Num(n) => json!(n),
        Scalar::Text(t) => json!(t),
    };
    json!({
        "unit": r.unit.v,
        "month": r.month.v,
        "summary": r.summary.v.trim(),
        "contact": {
            "name": r.contact_name.as_ref().map(|c| c.v.clone()).unwrap_or_default(),
            "phone": r.contact_phone.as_ref().map(|c| c.v.clone()).unwrap_or_default(),
        },
        "progress": r.progress.iter().map(|p| json!({
            "article": num(&p.article.v),
            "status": p.status.v,
            "progress": p.progress.v,
            "difficulties": p.difficulties.as_ref().map(|c| c.v.clone()).unwrap_or_default(),
            "next_steps": p.next_steps.as_ref().map(|c| c.v.clone()).unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "indicators": r.indicators.iter().map(|i| json!({
            "indicator": i.indicator.v,
            "value": num(&i.value.v),
        })).collect::<Vec<_>>(),
        "tasks": r.tasks.iter().map(|t| json!({
            "task": t.task.v,
            "progress": t.progress.v,
            "close": t.close.as_ref().is_some_and(|c| c.v),
        })).collect::<Vec<_>>(),
    })
}

/// A unit's own template in TOML: its articles (to fill or delete) and
/// its indicators (left empty until filled).
pub fn unit_toml(t: &UnitTemplate) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# 西藏自治区“双创”政策 月度报告（月报）— {} {}\n\
         # 填写各处 \"\"；本月无进展的条目可整段删除。保存为 UTF-8 或 GB18030。\n\
         # 提交：放入收件目录，或 dudao import 文件名\n\n",
        t.unit, t.month
    ));
    out.push_str("format = \"dudao-report/1\"\n\n");
    out.push_str(&format!("unit = {}\n", q(&t.unit)));
    out.push_str(&format!("month = {}\n\n", q(&t.month)));
    out.push_str("# 必填：本月工作概述\nsummary = \"\"\"\n\"\"\"\n\n");
    out.push_str("[contact]\nname = \"\"\nphone = \"\"\n\n");
    out.push_str("# status：正常 / 滞后 / 完成\n\n");
    for a in &t.articles {
        out.push_str(&format!(
            "[[progress]]\narticle = {}                       # 第{}条 {}（{}）\nstatus = \"正常\"\nprogress = \"\"\ndifficulties = \"\"\nnext_steps = \"\"\n\n",
            a.no, a.no, crate::text::one_line(&a.title), a.role
        ));
    }
    if !t.indicators.is_empty() {
        out.push_str("# 指标：value 留空表示本月不报\n\n");
    }
    for i in &t.indicators {
        out.push_str(&format!(
            "[[indicators]]\nindicator = {}  # {}\nvalue = \"\"\n\n",
            q(&i.name),
            crate::text::one_line(&i.unit)
        ));
    }
    if !t.tasks.is_empty() {
        out.push_str(
            "# 督办事项进展：填写 progress（本月无进展可整段删除）；牵头单位已办结的，\n\
             # 写 close = true 申请办结销号。\n\n",
        );
    }
    for k in &t.tasks {
        out.push_str(&format!(
            "[[tasks]]\ntask = {}  # {}（办结时限 {}{}）\nprogress = \"\"\n{}\n",
            q(&k.code),
            crate::text::one_line(&k.title),
            k.due,
            if k.lead { "，牵头" } else { "，配合" },
            if k.lead { "close = false\n" } else { "" }
        ));
    }
    out
}

/// A unit's own template in JSON.
pub fn unit_json(t: &UnitTemplate) -> String {
    let v = json!({
        "format": "dudao-report/1",
        "unit": t.unit,
        "month": t.month,
        "summary": "",
        "contact": { "name": "", "phone": "" },
        "progress": t.articles.iter().map(|a| json!({
            "article": a.no, "status": "正常", "progress": "", "difficulties": "", "next_steps": "",
        })).collect::<Vec<_>>(),
        "indicators": t.indicators.iter().map(|i| json!({ "indicator": i.name, "value": "" })).collect::<Vec<_>>(),
        "tasks": t.tasks.iter().map(|k| json!({ "task": k.code, "progress": "", "close": false })).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_reads_and_its_json_reads_the_same() {
        let toml_raw = read_report(&tree::toml(EXAMPLE).unwrap()).unwrap();
        let json_raw = read_report(&tree::json(&example_json()).unwrap()).unwrap();
        assert_eq!(toml_raw.unit.v, json_raw.unit.v);
        assert_eq!(toml_raw.summary.v.trim(), json_raw.summary.v);
        assert_eq!(toml_raw.progress.len(), json_raw.progress.len());
        assert_eq!(toml_raw.indicators.len(), json_raw.indicators.len());
        assert!(toml_raw.progress.len() >= 2 && toml_raw.indicators.len() >= 2);
    }

    #[test]
    fn a_units_template_reads_back() {
        let t = UnitTemplate {
            unit: "科技厅".into(),
            month: "2026-10".into(),
            articles: vec![TemplateArticle {
                no: 8,
                title: "培育\"发展\"科技型企业".into(),
                role: "牵头".into(),
            }],
            indicators: vec![TemplateIndicator {
                name: "技术市场交易额".into(),
                unit: "亿元".into(),
            }],
            tasks: vec![TemplateTask {
                code: "双创督〔2026〕3号".into(),
                title: "报送\"总结\"".into(),
                due: "2026-12-31".into(),
                lead: true,
            }],
        };
        let raw = read_report(&tree::toml(&unit_toml(&t)).unwrap()).unwrap();
        assert_eq!(raw.unit.v, "科技厅");
        assert_eq!(raw.tasks.len(), 1);
        assert_eq!(raw.tasks[0].task.v, "双创督〔2026〕3号");
        assert_eq!(raw.tasks[0].close.as_ref().map(|c| c.v), Some(false));
        assert_eq!(raw.progress.len(), 1);
        assert_eq!(raw.indicators[0].value.v, Scalar::Text(String::new()));
        let raw = read_report(&tree::json(&unit_json(&t)).unwrap()).unwrap();
        assert_eq!(raw.progress[0].article.v, Scalar::Num(8.0));
    }
}
