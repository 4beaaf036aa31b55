//! The review's words, once per language: the presentation, the Markdown
//! and HTML documents and the 通报 use the same labels (Chinese with the zh
//! interface); CSV keeps stable English keys.

use super::Lang;
use crate::figures::{Headline, Metric, RANKING, Ranking};

/// The labels of the review in one language.
pub struct ReviewStrings {
    pub title: &'static str,
    pub pages: [&'static str; 7],
    pub read_only: &'static str,
    /// The file was opened as an immutable snapshot (read-only folder).
    pub immutable: &'static str,
    pub as_of: &'static str,
    /// The quarter's own figures are frozen (taken at …).
    pub frozen: &'static str,
    pub page: &'static str,
    pub kiosk: &'static str,
    pub paused: &'static str,
    pub seconds: &'static str,
    pub keys: &'static str,
    pub keys_short: &'static str,
    pub too_small: &'static str,
    pub updated: &'static str,
    // Page 1.
    pub on_time: &'static str,
    pub overdue: &'static str,
    pub checklist: &'static str,
    pub on_pace: &'static str,
    pub due: &'static str,
    pub on_time_short: &'static str,
    pub late: &'static str,
    pub missing: &'static str,
    pub pending: &'static str,
    pub items: &'static str,
    pub escalated_n: &'static str,
    pub of_targets: &'static str,
    // Page 2.
    pub indicator: &'static str,
    pub goal: &'static str,
    pub value: &'static str,
    pub status: &'static str,
    pub period: &'static str,
    pub on_pace_mark: &'static str,
    pub behind_mark: &'static str,
    pub met_mark: &'static str,
    pub no_value: &'static str,
    // Page 3 and 4.
    pub unit: &'static str,
    pub best: &'static str,
    pub worst: &'static str,
    /// The rule of each side of the ranking: `{n}` units met it, `{places}`
    /// places are listed, `{shown}` units are.
    pub best_rule: &'static str,
    pub worst_rule: &'static str,
    /// The same rules in a line, for a screen without room for the whole.
    pub best_rule_short: &'static str,
    pub worst_rule_short: &'static str,
    pub overdue_items: &'static str,
    pub longest: &'static str,
    pub rank: &'static str,
    // Page 5.
    pub zone: &'static str,
    pub total: &'static str,
    pub done_of: &'static str,
    // Page 6.
    pub item: &'static str,
    pub due_date: &'static str,
    pub days_over: &'static str,
    pub escalated_by: &'static str,
    pub escalated_at: &'static str,
    pub note: &'static str,
    pub none_escalated: &'static str,
    pub none: &'static str,
    // Page 7.
    pub metric: &'static str,
    pub this_q: &'static str,
    pub prev_q: &'static str,
    pub change: &'static str,
    pub prev_snapshot: &'static str,
    pub prev_recomputed: &'static str,
    pub metrics: [&'static str; 7],
    pub better: &'static str,
    pub worse: &'static str,
    pub same: &'static str,
    // Documents.
    pub doc_title: &'static str,
    pub generated: &'static str,
}

pub static ZH: ReviewStrings = ReviewStrings {
    title: "季度审议",
    pages: [
        "总览",
        "2025年目标完成情况",
        "各单位月报报送",
        "通报排名",
        "授权事项清单进展",
        "提请领导小组研究事项",
        "与上季度对比",
    ],
    read_only: "只读",
    immutable: "快照",
    as_of: "截至",
    frozen: "数据已存档",
    page: "页",
    kiosk: "自动翻页",
    paused: "已暂停",
    seconds: "秒",
    keys: "←/→ 翻页  1-7 跳页  p 暂停/继续  q 退出",
    keys_short: "←→ 翻页 q 退出",
    too_small: "窗口太小，请放大",
    updated: "数据已更新",
    on_time: "月报按时报送",
    overdue: "逾期事项",
    checklist: "授权清单完成",
    on_pace: "目标达进度",
    due: "应报",
    on_time_short: "按时",
    late: "迟报",
    missing: "未报",
    pending: "未到期",
    items: "项",
    escalated_n: "提请领导小组",
    of_targets: "项指标",
    indicator: "指标",
    goal: "2025年目标",
    value: "当前",
    status: "状态",
    period: "数据月份",
    on_pace_mark: "✔ 达进度",
    behind_mark: "✘ 滞后",
    met_mark: "✔ 已达标",
    no_value: "未报数",
    unit: "单位",
    best: "表扬：月报全部按时",
    worst: "通报：逾期最多",
    best_rule: "规则：本季度有应报月报、全部按时报送（无迟报、无未报）且截至数据截止日无逾期事项的单位，共{n}家；按按时报送份数从多到少排列，份数相同者名次并列（同名次内按单位名称排列）；列前{places}名（含并列），共{shown}家。",
    best_rule_short: "规则：月报全部按时且无逾期事项，共{n}家；按时份数多者在前，相同并列",
    worst_rule_short: "规则：有逾期事项或未报，共{n}家；按逾期、未报、最长逾期排序，相同并列",
    worst_rule: "规则：截至数据截止日有逾期事项或未报月报的单位，共{n}家；依次按逾期事项数、未报月报份数、最长逾期天数从多到少排列，三项都相同者名次并列（同名次内按单位名称排列）；列前{places}名（含并列），共{shown}家。",
    overdue_items: "逾期事项",
    longest: "最长逾期（天）",
    rank: "名次",
    zone: "高新区",
    total: "合计",
    done_of: "已下放/承接 ÷ 事项",
    item: "事项",
    due_date: "到期日",
    days_over: "逾期（天）",
    escalated_by: "提请人",
    escalated_at: "提请时间",
    note: "说明",
    none_escalated: "本季度没有提请领导小组研究的事项",
    none: "无",
    metric: "指标",
    this_q: "本季度",
    prev_q: "上季度",
    change: "变化",
    prev_snapshot: "上季度数据为存档（当时报告的数字）",
    prev_recomputed: "上季度未存档：按现有数据重算",
    metrics: [
        "月报按时率（%）",
        "按时报送（份）",
        "未报（份）",
        "逾期事项（项）",
        "授权清单完成率（%）",
        "目标达进度（项）",
        "提请领导小组（项）",
    ],
    better: "好转",
    worse: "变差",
    same: "持平",
    doc_title: "季度审议材料",
    generated: "生成",
};

pub static EN: ReviewStrings = ReviewStrings {
    title: "Quarterly review",
    pages: [
        "Overview",
        "Targets vs the 2025 goals",
        "Reports by unit",
        "Ranking for the circular",
        "Checklist progress",
        "Escalated to the leading group",
        "Against the previous quarter",
    ],
    read_only: "read-only",
    immutable: "snapshot",
    as_of: "as of",
    frozen: "figures frozen",
    page: "page",
    kiosk: "auto",
    paused: "paused",
    seconds: "s",
    keys: "←/→ page  1-7 jump  p pause/resume  q quit",
    keys_short: "←→ page q quit",
    too_small: "Window too small",
    updated: "figures updated",
    on_time: "Reports on time",
    overdue: "Overdue items",
    checklist: "Checklist done",
    on_pace: "Targets on pace",
    due: "due",
    on_time_short: "on time",
    late: "late",
    missing: "missing",
    pending: "not yet due",
    items: "items",
    escalated_n: "escalated",
    of_targets: "indicators",
    indicator: "Indicator",
    goal: "2025 goal",
    value: "Now",
    status: "Status",
    period: "Month",
    on_pace_mark: "✔ on pace",
    behind_mark: "✘ behind",
    met_mark: "✔ met",
    no_value: "no figure",
    unit: "Unit",
    best: "Commended: every report on time",
    worst: "Named: most overdue",
    best_rule: "Rule: units with reports due this quarter, every one on time (none late or missing) and no overdue item as of the figures' date: {n}; ordered by reports on time, most first; equal counts share a rank (names in order within it); the first {places} places are listed, ties included: {shown} units.",
    best_rule_short: "Rule: all reports on time, nothing overdue: {n}; most on time first; ties share a rank",
    worst_rule_short: "Rule: overdue items or missing reports: {n}; by overdue, missing, longest; ties share a rank",
    worst_rule: "Rule: units with an overdue item or a missing report as of the figures' date: {n}; ordered by overdue items, then missing reports, then the longest overdue, most first; units equal on all three share a rank (names in order within it); the first {places} places are listed, ties included: {shown} units.",
    overdue_items: "Overdue items",
    longest: "Longest (days)",
    rank: "#",
    zone: "Zone",
    total: "Total",
    done_of: "delegated/undertaken ÷ items",
    item: "Item",
    due_date: "Due",
    days_over: "Days over",
    escalated_by: "By",
    escalated_at: "When",
    note: "Note",
    none_escalated: "Nothing escalated to the leading group this quarter",
    none: "none",
    metric: "Figure",
    this_q: "This quarter",
    prev_q: "Previous",
    change: "Change",
    prev_snapshot: "previous quarter frozen (as reported then)",
    prev_recomputed: "previous quarter not frozen: recomputed from today's data",
    metrics: [
        "On time (%)",
        "Reports on time",
        "Reports missing",
        "Overdue items",
        "Checklist done (%)",
        "Targets on pace",
        "Escalated items",
    ],
    better: "better",
    worse: "worse",
    same: "same",
    doc_title: "Quarterly review",
    generated: "generated",
};

impl ReviewStrings {
    pub fn of(lang: Lang) -> &'static ReviewStrings {
        match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// The review's words applied to its figures .
impl ReviewStrings {
    /// The rule of one side of the ranking, with its numbers.
    pub fn rule(&self, template: &str, r: &Ranking<'_>) -> String {
        template
            .replace("{n}", &r.eligible.to_string())
            .replace("{places}", &RANKING.to_string())
            .replace("{shown}", &r.rows.len().to_string())
    }

    pub fn metric(&self, m: Metric) -> &'static str {
        self.metrics[match m {
            Metric::OnTimePct => 0,
            Metric::OnTime => 1,
            Metric::Missing => 2,
            Metric::Overdue => 3,
            Metric::ChecklistPct => 4,
            Metric::TargetsOnPace => 5,
            Metric::Escalated => 6,
        }]
    }

    /// The overview's line under the on-time figure: on time / due · late · missing.
    pub fn reports_line(&self, h: &Headline) -> String {
        format!(
            "{} {} / {} {} · {} {} · {} {}",
            self.on_time_short,
            h.reports_on_time,
            self.due,
            h.reports_due,
            self.late,
            h.reports_late,
            self.missing,
            h.reports_missing
        )
    }

    /// The quarter as a reader says it: `2026年第三季度` or `2026 Q3`.
    pub fn quarter(&self, q: &str) -> String {
        match q.parse::<crate::domain::Quarter>() {
            Ok(q) if std::ptr::eq(self, &crate::i18n::review::ZH) => q.zh(),
            Ok(q) => format!("{} Q{}", q.year, q.q),
            Err(_) => q.to_string(),
        }
    }
}
