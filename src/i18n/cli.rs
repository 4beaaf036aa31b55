//! The command line's words: what its commands print on standard error
//! (outcomes, refusals, warnings) and the headings of `check` and
//! `config`. Shared words (statuses, refusals, dates) are the console's.

words! {
    /// The command line's messages in one language.
    pub struct Cli {
        // Outcomes of commands that change items.
        done: "{}：{}", "{}: {}";
        not_done: "{}：未办理：{}", "{}: not done: {}";
        conflict: "{}：冲突：{} 已于 {} 修改了这一项（{}），未覆盖", "{}: conflict: {} changed it at {} ({}); nothing was overwritten";
        conflict_anon: "{}：冲突：他人已修改了这一项，未覆盖", "{}: conflict: someone else changed it; nothing was overwritten";
        late_flag: "已过截止日期：逾期后延期须加 --late 确认，并会标记为逾期延期", "the item is past its due date; extending it now needs confirming (--late) and is flagged";
        doc_no_flag: "已下放、已承接须填写文号（--doc-no）", "delegating needs the document number (--doc-no, 文号)";
        reason_flag: "暂缓或收回须说明原因（--note）", "suspending or revoking needs a reason (--note)";
        use_checklist_flag: "授权事项在授权清单中推进状态（控制台第 2 栏；dudao authority set-status）", "authority items are done by moving their status in the checklist (pane 2 of the console; dudao authority set-status)";
        given_twice: "{}：{} 重复给出", "{}: {} is given twice";
        nothing_changed_ids: "未作任何修改（{} 个编号被拒绝，共 {} 个）", "nothing was changed ({} of {} id(s) refused)";
        verb_accepted: "已标记已阅", "accepted";
        verb_returned: "已退回", "returned";
        verb_note: "已添加备注", "note added";
        verb_reminded: "已记录催办", "reminder recorded";
        verb_extended: "已延期", "extended";
        verb_done: "已办结", "done";
        verb_snoozed: "已暂缓提醒", "snoozed";
        verb_woken: "已恢复提醒", "woken";
        verb_escalated: "已上报领导小组", "escalated";
        verb_unescalated: "已撤回上报", "escalation withdrawn";
        verb_now: "现为{}", "now {}";
        verb_added: "已新增", "added";
        verb_measure_set: "已修改", "changed";
        // Ids.
        not_a_report: "{} 不是月报（月报的编号形如 R12-2026-10）", "{} is not a report (reports are R…)";
        no_reporting_unit: "{}：没有编号为 {} 的报送单位", "{}: no reporting unit has id {}";
        not_found: "{}：找不到", "{}: not found";
        not_an_id: "不是事项编号（月报写 R12-2026-10 或 单位/2026-10，措施 M5，授权事项 A3，会议 G2，政策节点 P1）", "not an item id (R12-2026-10 or UNIT/2026-10 for a report, M5 a measure, A3 an authority item, G2 a meeting, P1 a milestone)";
        no_report_yet: "{} 还没有收到月报", "no report has arrived for {}";
        not_authority_id: "{}：不是授权事项编号（形如 A3）", "{}: not an authority item id (A3)";
        no_authority_item: "{}：没有这个授权事项", "{}: no such authority item";
        not_measure_id: "{}：不是措施编号（形如 M5）", "{}: not a measure id (M5)";
        no_measure: "{}：没有这项措施", "{}: no such measure";
        // Reports.
        on_time_line: "{}：按时 {} 份，共应报 {} 份（{}%）", "{}: {} of {} reports due arrived on time ({}%)";
        // Notices.
        no_open_deadline: "{} 没有待催办的期限（见 `dudao alerts --all`）", "{} has no open deadline to chase (see `dudao alerts --all`)";
        office_own_item: "{} 是办公室自己的事项（会议或政策节点），没有可发通知单的单位", "{} is the office's own item (a meeting or milestone); there is no unit to send a notice to";
        notice_exists: "{} 已存在，未写入（请换一个文件名，或不加 --out 直接输出通知单）", "{} already exists; nothing was written (give a new file name, or leave out --out to print the notice)";
        not_written: "{}：{}；未写入", "{}: {}; nothing was written";
        notice_saved: "{}：通知单已保存到 {}", "{}: notice saved to {}";
        no_contact: "配置中未设 office_contact，通知单上的联系人一栏为空（可在配置文件中填写）", "office_contact is not set in the configuration; the notice's contact line is empty (set it in the configuration file)";
        // Imports.
        drop_folder_error: "投递文件夹 {}：{}", "drop folder {}: {}";
        nothing_to_import: "没有要导入的文件：投递文件夹 {} 是空的", "nothing to import: the drop folder {} is empty";
        import_summary: "导入 {} 个，重复 {} 个，拒收 {} 个", "{} imported, {} duplicate, {} refused";
        watching: "正在监视 {}（Ctrl-C 停止）", "watching {} (Ctrl-C stops)";
        stopped_watching: "已停止监视", "stopped watching";
        import_read_only: "--read-only：导入会修改数据库；未导入任何文件", "--read-only: importing changes the database; nothing was imported";
        imported_version: "已导入：{} {}，第 {} 版（{}）", "imported: {} {}, version {} ({})";
        imported_values: "已导入：{} {}，{}", "imported: {} {}, {}";
        no_values: "无指标数值", "no indicator values";
        one_value: "1 个指标数值", "1 indicator value";
        n_values: "{} 个指标数值", "{} indicator values";
        duplicate: "重复：相同内容已于 {} 作为 {} 导入；未作改动", "duplicate: the same bytes were imported at {} as {}; nothing changed";
        refused: "拒收：{}", "refused: {}";
        file_line: "{}：{}", "{}: {}";
        stored_as: " → {}", " → {}";
        file_stays: "（文件留在原处：{}）", " (the file stays where it is: {})";
        sends_no_reports: "{} 不报送月报", "{} sends no monthly reports";
        not_a_month: "--month {}：不是月份（写作 2026-10）", "--month {}: not a month (write 2026-10)";
        // Flags.
        flag_error: "{}：{}", "{}: {}";
        not_a_day: "不是日期（写作 2026-11-30）", "not a date (write 2026-11-30)";
        unit_with_matrix: "--unit 只能和 matrix 视图一起用", "--unit goes with the matrix view";
        done_date_with_done: "--done-date 只能和 --status done 一起用", "--done-date goes with --status done";
        // `dudao check`.
        check_could_not_run: "无法运行：{}", "could not run: {}";
        // Policy texts.
        more_warnings: "……另有 {} 条警告", "… and {} more warnings";
    }
}
