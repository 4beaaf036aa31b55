//! Every string the console shows, once per language.

use crate::db::alerts::AlertSource;
use crate::db::matrix::CellStatus;
use crate::domain::{AlertLevel, AuthorityDomain, AuthorityLevel, AuthorityStatus, InboxStatus, Progress, Role};

use super::action::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// The strings of one language.
pub struct Strings {
    pub office: &'static str,
    pub office_short: &'static str,
    pub user: &'static str,
    pub as_of: &'static str,
    pub read_only: &'static str,
    pub updated: &'static str,
    pub panes: [&'static str; 4],
    pub unread: &'static str,
    pub overdue: &'static str,
    pub done: &'static str,
    pub month_reports: &'static str,
    pub expected: &'static str,
    pub received: &'static str,
    pub col_unit: &'static str,
    pub col_status: &'static str,
    pub col_due: &'static str,
    pub col_received: &'static str,
    pub col_late: &'static str,
    pub col_reminders: &'static str,
    pub summary: &'static str,
    pub progress: &'static str,
    pub indicators: &'static str,
    pub difficulties: &'static str,
    pub next_steps: &'static str,
    pub return_reason: &'static str,
    pub resubmit_by: &'static str,
    pub version: &'static str,
    pub not_received: &'static str,
    pub days_overdue: &'static str,
    pub reminded: &'static str,
    pub col_zone: &'static str,
    pub col_domain: &'static str,
    pub col_level: &'static str,
    pub col_item: &'static str,
    pub col_subject: &'static str,
    pub col_doc: &'static str,
    pub col_grantor: &'static str,
    pub by_zone: &'static str,
    pub by_domain: &'static str,
    pub note: &'static str,
    pub article: &'static str,
    pub total: &'static str,
    /// Header of the lead/partner count column.
    pub lead_partner: &'static str,
    pub legend: &'static str,
    pub role: &'static str,
    pub via: &'static str,
    pub history: &'static str,
    pub tasks: &'static str,
    pub no_role: &'static str,
    pub col_level_alert: &'static str,
    pub col_source: &'static str,
    pub col_days: &'static str,
    pub help: &'static str,
    pub search: &'static str,
    pub filter: &'static str,
    pub sort: &'static str,
    pub no_rows: &'static str,
    pub no_match: &'static str,
    pub too_small: &'static str,
    pub current: &'static str,
    pub read_only_why: &'static str,
    pub close_hint: &'static str,
    pub done_of_total: &'static str,
    pub more: &'static str,
    pub milestone_targets: &'static str,
    pub proposed: &'static str,
    pub approved: &'static str,
    pub delegated: &'static str,
    /// Brackets around a note in a title.
    pub paren: (&'static str, &'static str),
    pub members: &'static str,
    pub updated_short: &'static str,
    pub popup_gone: &'static str,
    /// After a count of zones that reached a per-zone target.
    pub zones_reached: &'static str,
    pub nothing_to_open: &'static str,
    pub first_month: &'static str,
    pub last_month: &'static str,
    pub day_unit: &'static str,
    /// Around an article number (第4条 / Art. 4).
    pub article_no: (&'static str, &'static str),
    /// Between a badge word and its count.
    pub gap: &'static str,
    /// Between a label and its value.
    pub colon: &'static str,
    /// Prefix and suffix around a day count.
    pub days_late: (&'static str, &'static str),
    pub days_left: (&'static str, &'static str),
    pub due_today: &'static str,
    pub sort_inbox: [&'static str; 4],
    pub sort_checklist: [&'static str; 4],
    pub sort_matrix: [&'static str; 2],
    pub sort_alerts: [&'static str; 3],
    pub inbox_status: [&'static str; 6],
    pub progress_status: [&'static str; 3],
    pub cell_status: [&'static str; 6],
    pub authority_status: [&'static str; 7],
    pub domains: [&'static str; 9],
    pub levels: [&'static str; 2],
    pub levels_short: [&'static str; 2],
    pub alert_levels: [&'static str; 4],
    pub sources: [&'static str; 6],
    pub roles: [&'static str; 2],
    pub roles_long: [&'static str; 2],
    /// In `Action::ALL` order: (short footer label, description).
    pub actions: [(&'static str, &'static str); 28],
}

pub static ZH: Strings = Strings {
    office: "自治区推进“双创”领导小组办公室",
    office_short: "双创办",
    user: "用户",
    as_of: "截至",
    read_only: "只读",
    updated: "已同步他人修改",
    panes: ["月报收件箱", "授权清单", "任务矩阵", "到期预警"],
    unread: "未阅",
    overdue: "逾期",
    done: "完成",
    month_reports: "月报",
    expected: "应报",
    received: "已收",
    col_unit: "单位",
    col_status: "状态",
    col_due: "截止",
    col_received: "收到时间",
    col_late: "逾期天",
    col_reminders: "催办",
    summary: "摘要",
    progress: "分条进展",
    indicators: "指标",
    difficulties: "困难",
    next_steps: "下一步",
    return_reason: "退回原因",
    resubmit_by: "重报期限",
    version: "版本",
    not_received: "尚未收到本月月报",
    days_overdue: "已逾期（天）",
    reminded: "已催办（次）",
    col_zone: "高新区",
    col_domain: "领域",
    col_level: "层级",
    col_item: "授权事项",
    col_subject: "事项",
    col_doc: "文号",
    col_grantor: "下放部门",
    by_zone: "按高新区",
    by_domain: "按领域",
    note: "备注",
    article: "条目",
    total: "合计",
    lead_partner: "牵/配",
    legend: "●正常 ▲滞后 ✔完成 ○未报 ◇集合  牵=牵头 配=配合",
    role: "分工",
    via: "经由",
    history: "进展记录",
    tasks: "任务",
    no_role: "该单位在本条无分工",
    col_level_alert: "级别",
    col_source: "来源",
    col_days: "天数",
    help: "帮助",
    search: "搜索",
    filter: "筛选",
    sort: "排序",
    no_rows: "没有记录",
    no_match: "没有匹配的记录",
    too_small: "终端太小，请放大到至少",
    current: "当前",
    read_only_why: "只读模式：数据库以只读方式打开，不能修改",
    close_hint: "Esc 关闭",
    done_of_total: "已下放/总数",
    more: "↓ 更多",
    milestone_targets: "2025年目标任务期限",
    proposed: "拟下放日期",
    approved: "批准日期",
    delegated: "下放日期",
    paren: ("（", "）"),
    members: "成员单位",
    updated_short: "已同步",
    popup_gone: "他人已删除或更改了这条记录，弹窗已关闭",
    zones_reached: " 个高新区已达到",
    nothing_to_open: "尚未收到月报，没有可打开的内容",
    first_month: "已是最早的月份",
    last_month: "已是最近的月份",
    day_unit: "天",
    article_no: ("第", "条"),
    gap: "",
    colon: "：",
    days_late: ("逾期", "天"),
    days_left: ("剩", "天"),
    due_today: "今天到期",
    sort_inbox: ["单位顺序", "状态", "逾期天数", "收到时间"],
    sort_checklist: ["高新区", "领域", "状态", "截止日期"],
    sort_matrix: ["条目", "滞后数"],
    sort_alerts: ["紧急程度", "单位（拼音）", "来源"],
    inbox_status: ["待报", "逾期未报", "未阅", "补报", "已阅", "退回"],
    progress_status: ["正常", "滞后", "完成"],
    cell_status: ["正常", "滞后", "完成", "未报", "集合", "读取中"],
    authority_status: ["拟下放", "已报批", "已批准", "已下放", "已承接", "暂缓", "收回"],
    domains: [
        "科技创新",
        "发展规划",
        "产业促进",
        "人才引进",
        "市场准入",
        "项目审批",
        "财政金融",
        "基础建设",
        "环境保护",
    ],
    levels: ["自治区级", "地（市）级"],
    levels_short: ["区级", "市级"],
    alert_levels: ["红", "黄", "蓝", "远"],
    sources: ["月报", "重报", "任务", "授权", "会议", "节点"],
    roles: ["牵", "配"],
    roles_long: ["牵头单位", "配合单位"],
    actions: [
        ("退出", "退出督导台"),
        ("帮助", "显示当前窗格的按键"),
        ("切换", "下一个窗格"),
        ("上一窗格", "上一个窗格"),
        ("收件箱", "月报收件箱"),
        ("清单", "授权事项清单"),
        ("矩阵", "任务矩阵"),
        ("预警", "到期预警"),
        ("上移", "上移一行"),
        ("下移", "下移一行"),
        ("左", "左移（收件箱：上个月；矩阵：左一列）"),
        ("右", "右移（收件箱：下个月；矩阵：右一列）"),
        ("首行", "到第一行"),
        ("末行", "到最后一行"),
        ("下半页", "下移半页"),
        ("上半页", "上移半页"),
        ("下翻页", "下移一页"),
        ("上翻页", "上移一页"),
        ("上月", "上个月（收件箱）"),
        ("下月", "下个月（收件箱）"),
        ("筛选", "输入文字筛选当前窗格"),
        ("排序", "切换排序列"),
        ("转置", "矩阵行列互换"),
        ("首列", "到第一列（矩阵）"),
        ("末列", "到最后一列（矩阵）"),
        ("打开", "打开所选行或单元格"),
        ("返回", "关闭弹窗、清除筛选"),
        ("重绘", "重新绘制屏幕"),
    ],
};

pub static EN: Strings = Strings {
    office: "Innovation Leading-Group Office",
    office_short: "双创办 office",
    user: "user",
    as_of: "as of",
    read_only: "READ-ONLY",
    updated: "others' changes loaded",
    panes: ["Inbox", "Checklist", "Matrix", "Alerts"],
    unread: "new",
    overdue: "overdue",
    done: "done",
    month_reports: "reports",
    expected: "expected",
    received: "received",
    col_unit: "Unit",
    col_status: "Status",
    col_due: "Due",
    col_received: "Received",
    col_late: "Late",
    col_reminders: "Chased",
    summary: "Summary",
    progress: "Progress by article",
    indicators: "Indicators",
    difficulties: "Difficulties",
    next_steps: "Next steps",
    return_reason: "Returned because",
    resubmit_by: "Resubmit by",
    version: "version",
    not_received: "This month's report has not arrived",
    days_overdue: "Days overdue",
    reminded: "Reminders sent",
    col_zone: "Zone",
    col_domain: "Domain",
    col_level: "Level",
    col_item: "Power granted",
    col_subject: "Item",
    col_doc: "Document",
    col_grantor: "Granted by",
    by_zone: "By zone",
    by_domain: "By domain",
    note: "Note",
    article: "Article",
    total: "Total",
    lead_partner: "L/P",
    legend: "●ok ▲lagging ✔done ○none ◇group  L=lead P=partner",
    role: "Role",
    via: "via",
    history: "Progress history",
    tasks: "Tasks",
    no_role: "This unit has no role on this article",
    col_level_alert: "Level",
    col_source: "Source",
    col_days: "Days",
    help: "Help",
    search: "Search",
    filter: "Filter",
    sort: "Sort",
    no_rows: "No rows",
    no_match: "Nothing matches the filter",
    too_small: "Terminal too small; please enlarge it to at least",
    current: "now",
    read_only_why: "Read-only: the database was opened read-only and cannot be changed",
    close_hint: "Esc closes",
    done_of_total: "delegated/total",
    more: "↓ more",
    milestone_targets: "Deadline of the 2025 targets",
    proposed: "Proposed",
    approved: "Approved",
    delegated: "Delegated",
    paren: (" (", ")"),
    members: "Members",
    updated_short: "synced",
    popup_gone: "Someone else removed this record; the popup was closed",
    zones_reached: " zones reached",
    nothing_to_open: "No report received yet: nothing to open",
    first_month: "This is the first month",
    last_month: "This is the latest month",
    day_unit: "d",
    article_no: ("Art. ", ""),
    gap: " ",
    colon: ": ",
    days_late: ("", "d late"),
    days_left: ("", "d left"),
    due_today: "due today",
    sort_inbox: ["unit order", "status", "days late", "received"],
    sort_checklist: ["zone", "domain", "status", "due date"],
    sort_matrix: ["article", "lagging"],
    sort_alerts: ["urgency", "unit (pinyin)", "source"],
    inbox_status: ["pending", "missing", "new", "late", "read", "returned"],
    progress_status: ["on track", "lagging", "done"],
    cell_status: ["on track", "lagging", "done", "not reported", "collective", "loading"],
    authority_status: [
        "proposed",
        "submitted",
        "approved",
        "delegated",
        "undertaken",
        "suspended",
        "revoked",
    ],
    domains: [
        "Sci-tech",
        "Planning",
        "Industry",
        "Talent",
        "Market",
        "Projects",
        "Finance",
        "Infrastr.",
        "Environ.",
    ],
    levels: ["Region", "Prefecture"],
    levels_short: ["Reg", "Pref"],
    alert_levels: ["red", "yellow", "blue", "later"],
    sources: ["report", "resubmit", "task", "authority", "meeting", "milestone"],
    roles: ["L", "P"],
    roles_long: ["lead", "partner"],
    actions: [
        ("quit", "Quit the console"),
        ("help", "Show the keys of this pane"),
        ("pane", "Next pane"),
        ("prev pane", "Previous pane"),
        ("inbox", "Monthly-report inbox"),
        ("checklist", "Delegated-authority checklist"),
        ("matrix", "Task matrix"),
        ("alerts", "Deadline alerts"),
        ("up", "Move up"),
        ("down", "Move down"),
        ("left", "Move left (inbox: previous month; matrix: column)"),
        ("right", "Move right (inbox: next month; matrix: column)"),
        ("top", "First row"),
        ("bottom", "Last row"),
        ("½ down", "Half a page down"),
        ("½ up", "Half a page up"),
        ("page down", "A page down"),
        ("page up", "A page up"),
        ("prev month", "Previous month (inbox)"),
        ("next month", "Next month (inbox)"),
        ("filter", "Type to filter this pane"),
        ("sort", "Cycle the sort column"),
        ("transpose", "Swap the matrix's rows and columns"),
        ("first col", "First column (matrix)"),
        ("last col", "Last column (matrix)"),
        ("open", "Open the selected row or cell"),
        ("back", "Close a popup, clear the filter"),
        ("redraw", "Redraw the screen"),
    ],
};

impl Lang {
    pub fn s(self) -> &'static Strings {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

fn index<T: PartialEq>(all: &[T], v: &T) -> usize {
    all.iter().position(|x| x == v).unwrap_or(0)
}

impl Strings {
    pub fn action(&self, a: Action) -> (&'static str, &'static str) {
        self.actions[index(Action::ALL, &a)]
    }
    pub fn inbox_status(&self, s: InboxStatus) -> &'static str {
        self.inbox_status[index(InboxStatus::ALL, &s)]
    }
    pub fn progress(&self, p: Progress) -> &'static str {
        self.progress_status[index(Progress::ALL, &p)]
    }
    pub fn cell_status(&self, c: CellStatus) -> &'static str {
        let all = [
            CellStatus::OnTrack,
            CellStatus::Lagging,
            CellStatus::Done,
            CellStatus::NotReported,
            CellStatus::Collective,
            CellStatus::NotLoaded,
        ];
        self.cell_status[index(&all, &c)]
    }
    pub fn authority(&self, s: AuthorityStatus) -> &'static str {
        self.authority_status[index(AuthorityStatus::ALL, &s)]
    }
    pub fn domain(&self, d: AuthorityDomain) -> &'static str {
        self.domains[index(AuthorityDomain::ALL, &d)]
    }
    pub fn level(&self, l: AuthorityLevel) -> &'static str {
        self.levels[index(AuthorityLevel::ALL, &l)]
    }
    pub fn level_short(&self, l: AuthorityLevel) -> &'static str {
        self.levels_short[index(AuthorityLevel::ALL, &l)]
    }
    pub fn alert_level(&self, l: AlertLevel) -> &'static str {
        self.alert_levels[index(AlertLevel::ALL, &l)]
    }
    pub fn source(&self, s: AlertSource) -> &'static str {
        let all = [
            AlertSource::MissingReport,
            AlertSource::Resubmission,
            AlertSource::Measure,
            AlertSource::Authority,
            AlertSource::Meeting,
            AlertSource::Milestone,
        ];
        self.sources[index(&all, &s)]
    }
    /// "第4条" / "Art. 4".
    pub fn article(&self, no: i64) -> String {
        format!("{}{no}{}", self.article_no.0, self.article_no.1)
    }
    /// "label：value" / "label: value".
    pub fn kv(&self, label: &str, value: impl std::fmt::Display) -> String {
        format!("{label}{}{value}", self.colon)
    }
    pub fn role(&self, r: Role) -> &'static str {
        self.roles[index(Role::ALL, &r)]
    }
    pub fn role_long(&self, r: Role) -> &'static str {
        self.roles_long[index(Role::ALL, &r)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_description_in_both_languages() {
        assert_eq!(Action::ALL.len(), ZH.actions.len());
        for a in Action::ALL {
            assert!(!ZH.action(*a).1.is_empty() && !EN.action(*a).1.is_empty());
        }
        assert_eq!(ZH.inbox_status(InboxStatus::Missing), "逾期未报");
        assert_eq!(EN.authority(AuthorityStatus::Undertaken), "undertaken");
    }
}
