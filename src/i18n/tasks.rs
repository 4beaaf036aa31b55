//! The 督办 loop's words: task states and sources, the loop's steps, the
//! units' requests and the office's answers, meetings, and the refusals of
//! the loop. Used by the console, the command line and the documents.

use crate::domain::task::{AgendaSource, RequestKind, RequestStatus, TaskSource, TaskState, TaskStep};

words! {
    /// The 督办 words in one language.
    pub struct Tasks {
        // States of the loop.
        state_assigned: "已交办", "assigned";
        state_acknowledged: "已签收", "acknowledged";
        state_in_progress: "办理中", "in progress";
        state_close_requested: "申请办结", "asks to close";
        state_returned: "退回重办", "returned";
        state_closed: "已办结", "closed";
        // Where a task came from.
        source_decision: "会议议定", "meeting decision";
        source_instruction: "领导批示", "leader's instruction";
        source_office: "督办立项", "office's own";
        // Steps.
        step_acknowledge: "签收", "acknowledge";
        step_feedback: "反馈进展", "report progress";
        step_request_close: "申请办结", "ask to close";
        step_close: "办结销号", "close";
        step_return: "退回重办", "return";
        // Requests.
        request_extension: "申请延期", "extension";
        request_wording: "表述调整", "wording";
        request_pending: "待答复", "pending";
        request_approved: "已同意", "approved";
        request_refused: "未同意", "refused";
        // Agenda sources.
        agenda_escalated: "上报事项", "escalated";
        agenda_submitted: "单位提请审定", "submitted";
        agenda_office: "办公室提出", "office";
        // Refusals of the loop.
        use_task_loop: "督办事项通过督办流程办结（签收、反馈、申请办结、销号）", "督办 tasks are closed through their loop (acknowledge, report, ask to close, close)";
        step_not_allowed: "该督办事项{}，不能{}", "the task is {}; it cannot {}";
        not_on_task: "该单位不是这项督办的牵头或配合单位", "the unit is neither the task's lead nor a partner";
        lead_only: "只有牵头单位可以签收或申请办结", "only the lead unit acknowledges a task or asks to close it";
        lead_is_partner: "配合单位不能同时是牵头单位", "a partner unit cannot also be the lead";
        already_decided: "该申请已答复", "the request was answered already";
        meeting_held: "会议已记录纪要", "the meeting's minutes are recorded already";
        meeting_not_held: "会议尚未记录纪要：议定事项随纪要记录", "the meeting has no minutes yet: decisions are recorded with them";
        in_use: "已有记录由此产生，不能撤回", "something came from it; it stays";
        unchanged: "与现在相同，无需修改", "that is how it stands already";
        date_taken: "这一天已安排了会议", "another meeting is planned on that day";
        // The command line.
        assigned: "已交办 {}（{}）", "assigned {} ({})";
        no_tasks: "没有督办事项", "no tasks";
        no_meetings: "没有会议", "no meetings";
        no_requests: "没有待答复的申请", "no requests waiting";
        planned_meeting: "已安排会议 G{}：{} {}", "planned meeting G{}: {} {}";
        agenda_added: "已列入议题 {}", "agenda item {} added";
        minutes_recorded: "已记录纪要：{} 召开", "minutes recorded: held on {}";
        decision_added: "已记录议定事项 {}（编号 {}）", "decision {} recorded (id {})";
        request_recorded: "已记录申请 {}", "request {} recorded";
        request_decided: "申请 {}：{}", "request {}: {}";
        step_done: "{}：{} → {}", "{}: {} → {}";
        // Headings.
        col_no: "督办编号", "number";
        col_title: "事项", "task";
        col_lead: "牵头单位", "lead";
        col_partners: "配合单位", "partners";
        col_due: "办结时限", "due";
        col_state: "状态", "state";
        col_source: "来源", "source";
        col_left: "剩余", "left";
        col_requests: "申请", "requests";
        col_unit: "单位", "unit";
        col_kind: "类别", "kind";
        col_reason: "理由", "reason";
        col_change: "申请内容", "asked";
        col_date: "日期", "date";
        col_meeting: "会议", "meeting";
        col_status: "状态", "status";
        meeting_planned: "待召开", "planned";
        meeting_held_word: "已召开", "held";
        // People and roles.
        role_director: "主任", "director";
        role_staff: "工作人员", "staff";
        role_observer: "观察员", "observer";
        role_reporter: "单位填报员", "unit reporter";
        not_permitted: "你的角色（{}）不能做这件事", "your role ({}) does not take this step";
        not_your_unit: "单位填报员只能办理本单位的事项", "a unit reporter acts only on its own unit's items";
        reporter_needs_unit: "单位填报员须指定单位（--unit）", "a unit reporter needs its unit (--unit)";
        unit_only_reporter: "只有单位填报员有所属单位（--unit）", "only a unit reporter has a unit (--unit)";
        account_added: "已添加 {}（{}）", "added {} ({})";
        key_added: "已为 {0} 添加密钥 {1}", "key {1} added for {0}";
        role_set: "{} 的角色改为 {}", "{} is now {}";
        account_disabled_now: "已停用 {}", "{} disabled";
        account_enabled: "已启用 {}", "{} enabled";
        not_a_key: "不是 SSH 公钥（应如 ssh-ed25519 AAAA… 注释）", "not an SSH public key (ssh-ed25519 AAAA… comment)";
        keys_written: "已写入 {}", "wrote {}";
        h_name: "姓名", "name";
        h_role: "角色", "role";
        h_keys: "密钥", "keys";
        h_disabled: "停用于", "disabled";
        h_created: "添加于", "added";
        ssh_command_unreadable: "无法读取 ssh 命令行（引号不成对？）", "the command on the ssh line cannot be read (unbalanced quotes?)";
        ssh_flag_fixed: "{} 由密钥固定，不能在 ssh 命令行中改变", "{} is fixed by the key line and cannot be changed on the ssh line";
        no_account: "没有账号 {}", "no account {}";
        account_disabled: "账号 {} 已停用", "the account {} is disabled";
        key_not_theirs: "这把密钥不属于 {}", "this key is not {}'s";
        you_are: "{}（{}）", "{} ({})";
        unit_page_needs_unit: "请指定单位（--unit）", "name the unit (--unit)";
        unit_page_as_of: "截至 {}", "as of {}";
        unit_page_this_month: "{} 月报", "report for {}";
        unit_page_record: "按时报送", "on time";
        unit_page_on_time: "近十二个月 {} / {} 份按时", "{} of {} on time over twelve months";
        unit_page_owed: "逾期未报和退回的月报", "reports overdue or returned";
        unit_page_reason: "退回原因", "why";
        unit_page_resubmit_by: "重报期限", "resubmit by";
        unit_page_tasks: "未办结的督办事项", "open tasks";
        unit_page_reminders: "收到的催办", "reminders received";
        unit_page_none: "无", "none";
        // The command line's messages.
        not_task_id: "{}：不是督办事项编号（例如 D7、7 或 双创督〔2026〕7号）", "{}: not a task id (D7, 7 or its 督办编号)";
        no_task: "{}：没有这项督办事项", "{}: no such task";
        not_meeting_id: "{}：不是会议编号（例如 G3 或 3）", "{}: not a meeting id (G3 or 3)";
        no_meeting: "{}：没有这次会议", "{}: no such meeting";
        no_request: "{}：没有这项申请", "{}: no such request";
        need_due: "须给出办结时限：--due 日期 或 --within 工作日数", "a deadline is needed: --due DATE or --within WORKING-DAYS";
        notice_saved: "已保存 {}", "saved {}";
        no_graded: "没有需要发督办单的事项", "no task needs a notice";
        not_graded: "{}：按时推进中，不需要督办单", "{}: on track; it needs no notice";
        docx_binary: "Word 文档是二进制文件：请用 --out 写入文件夹，或把标准输出重定向到文件", "a Word document is binary: write it with --out into a folder, or redirect standard output to a file";
        agenda_no: "{}：议程上没有第 {} 项", "{}: the agenda has no item {}";
        // Headings of `task show` and `meeting show`.
        h_origin: "来源", "from";
        h_instruction: "批示", "instruction";
        h_document: "批示文件", "document";
        h_leader: "分管领导", "leader";
        h_assigned: "交办日期", "assigned";
        h_acknowledged: "签收日期", "acknowledged";
        h_closed: "办结日期", "closed";
        h_close_note: "办结说明", "closing note";
        h_history: "办理过程", "the loop";
        h_requests: "申请", "requests";
        h_undone: "已撤销", "undone";
        h_from_report: "（月报）", " (report)";
        h_agenda: "议题", "agenda";
        h_attendees: "出席", "attended";
        h_decisions: "议定事项", "decisions";
        h_held_on: "召开日期", "held on";
        h_tasks_from: "交办", "tasks";
        h_minutes_title: "会议纪要", " — minutes";
    }
}

impl Tasks {
    pub fn state(&self, s: TaskState) -> &'static str {
        match s {
            TaskState::Assigned => self.state_assigned,
            TaskState::Acknowledged => self.state_acknowledged,
            TaskState::InProgress => self.state_in_progress,
            TaskState::CloseRequested => self.state_close_requested,
            TaskState::Returned => self.state_returned,
            TaskState::Closed => self.state_closed,
        }
    }

    pub fn source(&self, s: TaskSource) -> &'static str {
        match s {
            TaskSource::Decision => self.source_decision,
            TaskSource::Instruction => self.source_instruction,
            TaskSource::Office => self.source_office,
        }
    }

    pub fn step(&self, s: TaskStep) -> &'static str {
        match s {
            TaskStep::Acknowledge => self.step_acknowledge,
            TaskStep::Feedback => self.step_feedback,
            TaskStep::RequestClose => self.step_request_close,
            TaskStep::Close => self.step_close,
            TaskStep::Return => self.step_return,
        }
    }

    /// A recorded step by its stored kind.
    pub fn event_kind(&self, kind: &str) -> &'static str {
        match kind {
            "acknowledge" => self.step_acknowledge,
            "feedback" => self.step_feedback,
            "request_close" => self.step_request_close,
            "close" => self.step_close,
            "return" => self.step_return,
            _ => "?",
        }
    }

    pub fn request_kind(&self, k: RequestKind) -> &'static str {
        match k {
            RequestKind::Extension => self.request_extension,
            RequestKind::Wording => self.request_wording,
        }
    }

    pub fn request_status(&self, s: RequestStatus) -> &'static str {
        match s {
            RequestStatus::Pending => self.request_pending,
            RequestStatus::Approved => self.request_approved,
            RequestStatus::Refused => self.request_refused,
        }
    }

    pub fn role(&self, r: crate::domain::account::AccountRole) -> &'static str {
        use crate::domain::account::AccountRole as R;
        match r {
            R::Director => self.role_director,
            R::Staff => self.role_staff,
            R::Observer => self.role_observer,
            R::Reporter => self.role_reporter,
        }
    }

    pub fn agenda_source(&self, s: AgendaSource) -> &'static str {
        match s {
            AgendaSource::Escalated => self.agenda_escalated,
            AgendaSource::Submitted => self.agenda_submitted,
            AgendaSource::Office => self.agenda_office,
        }
    }
}

impl super::Lang {
    /// The 督办 words in this language.
    pub fn tasks(self) -> &'static Tasks {
        match self {
            super::Lang::Zh => &Tasks::ZH,
            super::Lang::En => &Tasks::EN,
        }
    }
}
