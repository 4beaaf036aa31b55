//! Every string the console shows, once per language.

use crate::db::alerts::AlertSource;
use crate::db::matrix::CellStatus;
use crate::domain::input::TextError;
use crate::domain::{
    AlertLevel, AuthorityDomain, AuthorityLevel, AuthorityStatus, Channel, InboxStatus, Progress, Role,
};
use crate::ops::Refusal;

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
    pub read_only_file: &'static str,
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
    pub actions: [(&'static str, &'static str); 42],
    /// In `Channel::ALL` order.
    pub channels: [&'static str; 4],
    pub form_return: &'static str,
    pub form_note: &'static str,
    pub form_remind: &'static str,
    pub field_channel: &'static str,
    pub field_remind_note: &'static str,
    pub field_note: &'static str,
    pub required: &'static str,
    /// `{}` = count, `{}` = limit.
    pub chars_used: &'static str,
    pub optional: &'static str,
    pub form_hint: &'static str,
    pub choice_hint: &'static str,
    pub confirm_hint: &'static str,
    pub confirm_title: &'static str,
    pub confirm_discard: &'static str,
    /// `{}` = count of reports.
    pub confirm_accept: &'static str,
    pub confirm_return: &'static str,
    pub confirm_remind: &'static str,
    pub confirm_note: &'static str,
    /// `{}` = count of rows the action does not apply to.
    pub skipped: &'static str,
    pub date_shape: &'static str,
    pub date_no_day: &'static str,
    pub date_past: &'static str,
    /// `{}` = the latest date allowed.
    pub date_after: &'static str,
    pub text_empty: &'static str,
    /// `{}` = characters typed, `{}` = limit.
    pub text_long: &'static str,
    pub saving: &'static str,
    /// `{}` = what was done, `{}` = the item.
    pub done_one: &'static str,
    /// `{}` action, `{}` count, then applied, conflicts, refused, failed.
    /// `{}` action, `{}` count, `{}` the parts below.
    pub done_many: &'static str,
    pub n_ok: &'static str,
    /// Count, then the first conflict: item, user, time.
    pub n_conflict: &'static str,
    pub n_refused: &'static str,
    pub undo_hint: &'static str,
    pub undone: &'static str,
    pub nothing_to_undo: &'static str,
    /// `{}` user, `{}` time, `{}` action.
    pub conflict_by: &'static str,
    pub conflict_anon: &'static str,
    pub not_saved: &'static str,
    pub not_undone: &'static str,
    /// `{}` count, `{}` what is undone.
    pub confirm_undo: &'static str,
    pub clear_marks: &'static str,
    pub marks_hidden: &'static str,
    pub form_hint_one: &'static str,
    pub not_done: &'static str,
    pub failed: &'static str,
    /// `{}` = who holds the lock.
    pub busy_who: &'static str,
    pub busy: &'static str,
    pub read_only_no_edit: &'static str,
    pub cannot_accept: &'static str,
    pub cannot_return: &'static str,
    pub cannot_remind: &'static str,
    pub nothing_selected: &'static str,
    pub marked: &'static str,
    pub notes: &'static str,
    pub reminders: &'static str,
    pub audit_trail: &'static str,
    pub withdrawn: &'static str,
    pub cannot_read: &'static str,
    pub worker_failed: &'static str,
    /// Audit actions in words: accept, return, restore, note, withdraw_note, remind, withdraw_reminder.
    pub audit_actions: [(&'static str, &'static str); 7],
    pub result_conflict: &'static str,
    pub result_refused: &'static str,
    /// Refusals in `Refusal` order (see `Strings::refusal`).
    pub refusals: [&'static str; 12],
    /// `{}` = a count of rows.
    pub n_items: &'static str,
    pub month_col: &'static str,
    pub control_dropped: &'static str,
    pub busy_writing: &'static str,
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
    too_small: "终端太小（此时只有 q 可用），请放大到至少",
    current: "当前",
    read_only_why: "只读模式：数据库以只读方式打开，不能修改",
    read_only_file: "只读模式：你没有修改这个数据库文件（或其所在文件夹）的权限",
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
        ("撤销", "撤销你的上一次修改（作为一次新的、留痕的修改）"),
        ("标记", "标记或取消标记所选行"),
        ("全部标记", "标记筛选出的全部行（再按一次取消）"),
        ("已阅", "将月报标记为已阅"),
        ("退回", "退回月报，注明原因和重报期限"),
        ("备注", "添加备注"),
        ("催办", "登记一次催办"),
        ("保存", "保存表单"),
        ("取消", "关闭而不保存（已输入内容时先确认）"),
        ("确定", "确认输入并关闭"),
        ("下一项", "表单的下一项"),
        ("上一项", "表单的上一项"),
        ("确定", "回答“是”，执行"),
        ("取消", "回答“否”，不执行"),
    ],
    channels: ["电话", "通知单", "会议", "系统"],
    form_return: "退回月报",
    form_note: "备注",
    form_remind: "催办",
    field_channel: "催办方式",
    field_remind_note: "说明",
    field_note: "备注内容",
    required: "必填",
    chars_used: "{}/{} 字",
    optional: "选填",
    form_hint: "Ctrl-S 保存 · Tab 下一项 · Esc 取消",
    choice_hint: "←/→ 或数字键选择",
    confirm_hint: "y 确定 · n 取消",
    confirm_title: "请确认",
    confirm_discard: "放弃已输入的内容？",
    confirm_accept: "将 {} 份月报标记为已阅？",
    confirm_return: "退回 {} 份月报？",
    confirm_remind: "催办 {} 项？",
    confirm_note: "为 {} 项添加同一条备注？",
    skipped: "（另有 {} 项不适用，将跳过）",
    date_shape: "不是日期：请写 2026-12-05、12-05、12月5日 或 +7（今天起第7天）",
    date_no_day: "日历上没有这一天",
    date_past: "日期不能早于今天",
    date_after: "日期不能晚于 {}",
    text_empty: "此项必填",
    text_long: "已输入 {} 字，最多 {} 字",
    saving: "保存中…",
    done_one: "{}：{}",
    done_many: "{} {} 项：{}",
    n_ok: "成功 {}",
    n_conflict: "冲突 {}（{}：{} 已于 {} 修改）",
    n_refused: "不适用 {}",
    undo_hint: "（u 撤销）",
    undone: "已撤销",
    nothing_to_undo: "没有可撤销的操作",
    conflict_by: "{} 已于 {} 修改了这一项（{}），画面已刷新",
    conflict_anon: "他人已修改了这一项，画面已刷新",
    not_saved: "未保存：",
    not_undone: "未撤销：",
    confirm_undo: "撤销 {} 项{}？",
    clear_marks: "Esc 清除",
    marks_hidden: "（另 {} 项未显示）",
    form_hint_one: "Ctrl-S 保存 · Esc 取消",
    not_done: "未执行",
    failed: "保存失败",
    busy_who: "数据库忙：{} 正在写入。未作任何修改，请稍后重试",
    busy: "数据库忙：另一程序正在写入。未作任何修改，请稍后重试",
    read_only_no_edit: "只读模式：不能修改",
    cannot_accept: "只有未阅或补报的月报可以标记已阅",
    cannot_return: "只有已收到、未退回的月报可以退回",
    cannot_remind: "只有逾期未报或已退回的月报可以催办",
    nothing_selected: "没有选中的行",
    marked: "已标记",
    notes: "备注",
    reminders: "催办记录",
    audit_trail: "操作记录",
    withdrawn: "（已撤回）",
    cannot_read: "无法读取这份月报",
    worker_failed: "后台写入线程已停止，无法保存；请重新启动督导台",
    audit_actions: [
        ("accept", "标记已阅"),
        ("return", "退回"),
        ("restore", "撤销"),
        ("note", "备注"),
        ("withdraw_note", "撤回备注"),
        ("remind", "催办"),
        ("withdraw_reminder", "撤回催办"),
    ],
    result_conflict: "冲突，未保存",
    result_refused: "未执行",
    refusals: [
        "找不到这一项",
        "这份月报已有新版本，请对新版本操作",
        "这份月报已是已阅",
        "这份月报已退回",
        "这份月报已退回，等待重报",
        "月报已收到，无需催办",
        "月报尚未到期，无需催办",
        "该事项已办结，无需催办",
        "这类事项不能备注或催办",
        "已经撤回",
        "日期不能早于今天",
        "日期太远：重报期限最多为 180 天以内",
    ],
    n_items: "{} 项",
    month_col: "月份",
    control_dropped: "已忽略无法显示的控制字符",
    busy_writing: "正在保存上一项修改，请稍候",
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
    too_small: "Terminal too small (only q works now); please enlarge it to at least",
    current: "now",
    read_only_why: "Read-only: the database was opened read-only and cannot be changed",
    read_only_file: "Read-only: you may not change this database file (or its folder)",
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
        ("undo", "Undo your last change (as a new, audited change)"),
        ("mark", "Mark or unmark the selected row"),
        ("mark all", "Mark every row the filter shows (again: unmark)"),
        ("accept", "Accept the report (read)"),
        ("return", "Return the report, with a reason and a date"),
        ("note", "Add a note"),
        ("chase", "Record a reminder (催办)"),
        ("save", "Save the form"),
        ("cancel", "Close without saving (asks first if text was typed)"),
        ("ok", "Accept what was typed and close"),
        ("next field", "Next field of the form"),
        ("prev field", "Previous field of the form"),
        ("yes", "Answer yes: do it"),
        ("no", "Answer no: do not"),
    ],
    channels: ["phone", "notice", "meeting", "system"],
    form_return: "Return report",
    form_note: "Note",
    form_remind: "Reminder (催办)",
    field_channel: "How",
    field_remind_note: "Note",
    field_note: "Note",
    required: "required",
    chars_used: "{}/{} chars",
    optional: "optional",
    form_hint: "Ctrl-S save · Tab next · Esc cancel",
    choice_hint: "←/→ or a number",
    confirm_hint: "y yes · n no",
    confirm_title: "Please confirm",
    confirm_discard: "Discard what you typed?",
    confirm_accept: "Accept {} reports?",
    confirm_return: "Return {} reports?",
    confirm_remind: "Record a reminder for {} items?",
    confirm_note: "Add the same note to {} items?",
    skipped: " ({} more do not apply and will be skipped)",
    date_shape: "Not a date: write 2026-12-05, 12-05, 12月5日 or +7 (days from today)",
    date_no_day: "No such day in the calendar",
    date_past: "The date must not be before today",
    date_after: "The date must not be after {}",
    text_empty: "Required",
    text_long: "{} characters typed; at most {}",
    saving: "saving…",
    done_one: "{}: {}",
    done_many: "{} {} items: {}",
    n_ok: "{} done",
    n_conflict: "{} conflicts ({}: changed by {} at {})",
    n_refused: "{} not applicable",
    undo_hint: " (u undoes)",
    undone: "undone",
    nothing_to_undo: "Nothing to undo",
    conflict_by: "{} changed this at {} ({}); the view was reloaded",
    conflict_anon: "someone else changed this; the view was reloaded",
    not_saved: "Not saved: ",
    not_undone: "Not undone: ",
    confirm_undo: "Undo {} items ({})?",
    clear_marks: "Esc clears",
    marks_hidden: " ({} more hidden)",
    form_hint_one: "Ctrl-S save · Esc cancel",
    not_done: "not done",
    failed: "Saving failed",
    busy_who: "The database is busy: {} is writing. Nothing was changed; try again",
    busy: "The database is busy (another program is writing). Nothing was changed; try again",
    read_only_no_edit: "Read-only: nothing can be changed",
    cannot_accept: "Only new or late reports can be accepted",
    cannot_return: "Only received reports that are not returned can be returned",
    cannot_remind: "Only missing or returned reports can be chased",
    nothing_selected: "No row selected",
    marked: "marked",
    notes: "Notes",
    reminders: "Reminders",
    audit_trail: "History",
    withdrawn: " (withdrawn)",
    cannot_read: "This report cannot be read",
    worker_failed: "The writer thread stopped; nothing can be saved; restart the console",
    audit_actions: [
        ("accept", "accepted"),
        ("return", "returned"),
        ("restore", "undone"),
        ("note", "note"),
        ("withdraw_note", "note withdrawn"),
        ("remind", "reminder"),
        ("withdraw_reminder", "reminder withdrawn"),
    ],
    result_conflict: "conflict, not saved",
    result_refused: "not done",
    refusals: [
        "No such item",
        "A newer version of this report has arrived; act on that one",
        "The report is already accepted",
        "The report is already returned",
        "The report was returned and awaits its resubmission",
        "The report has arrived; nothing to chase",
        "The report is not due yet; nothing to chase",
        "The item is closed; nothing to chase",
        "This kind of item takes no notes or reminders",
        "Already withdrawn",
        "The date must not be before today",
        "The date is too far ahead: at most 180 days",
    ],
    n_items: "{} items",
    month_col: "Month",
    control_dropped: "Control characters were left out",
    busy_writing: "Still saving the last change; a moment please",
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
    pub fn channel(&self, c: Channel) -> &'static str {
        self.channels[index(Channel::ALL, &c)]
    }
    /// An audit action in words (unknown ones as stored).
    pub fn audit_action<'a>(&self, action: &'a str) -> &'a str {
        self.audit_actions
            .iter()
            .find(|(k, _)| *k == action)
            .map(|(_, v)| *v)
            .unwrap_or(action)
    }
    /// Why a command was refused, in words.
    pub fn refusal(&self, r: &Refusal) -> String {
        let i = match r {
            Refusal::NotFound => 0,
            Refusal::Superseded => 1,
            Refusal::AlreadyAccepted => 2,
            Refusal::AlreadyReturned => 3,
            Refusal::IsReturned => 4,
            Refusal::ReportArrived => 5,
            Refusal::NotYetDue => 6,
            Refusal::Closed => 7,
            Refusal::NotApplicable => 8,
            Refusal::AlreadyWithdrawn => 9,
            Refusal::DateInPast => 10,
            Refusal::DateTooFar => 11,
            Refusal::Text(e) => return self.text_error(e),
        };
        self.refusals[i].to_string()
    }
    pub fn text_error(&self, e: &TextError) -> String {
        match e {
            TextError::Empty => self.text_empty.to_string(),
            TextError::TooLong { max, len } => fill(self.text_long, &[len, max]),
        }
    }
}

/// Fills the `{}` of a template in order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (k, part) in parts.enumerate() {
        if let Some(a) = args.get(k) {
            out.push_str(&a.to_string());
        }
        out.push_str(part);
    }
    out
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
        assert_eq!(fill(ZH.confirm_accept, &[&3]), "将 3 份月报标记为已阅？");
        assert_eq!(fill("{} and {}", &[&1]), "1 and ");
        assert_eq!(ZH.channel(Channel::Notice), "通知单");
        assert_eq!(ZH.audit_action("return"), "退回");
    }
}
