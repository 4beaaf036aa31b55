//! The command line's words: what its commands print on standard error
//! (outcomes, refusals, warnings) and the headings of `check` and
//! `config`. Shared words (statuses, refusals, dates) are the console's.

words! {
    /// The command line's messages in one language.
    pub struct Cli {
        warning: "警告：", "warning: ";
        created_policy: "已建立 {}：{} 条，{} 个单位，{} 项分工", "created {} — {} articles, {} units, {} assignments";
        created_demo: "已建立 {}：{} 个报送单位，{} 份月报，{} 条进展，{} 项授权事项，{} 项督办事项", "created {} — {} reporting units, {} reports, {} progress entries, {} authority items, {} tasks";
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
        verb_snoozed: "已设稍后提醒", "snoozed";
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
        // The command line itself (clap's errors).
        arg_error: "错误：{}\n\n用 --help 查看用法。", "error: {}\n\nFor more information, try '--help'.";
        invalid_value: "参数 {} 的值“{}”无效", "invalid value '{}' for '{}'";
        possible_values: "（可选：{}）", " [possible values: {}]";
        unknown_argument: "不认识的参数“{}”", "unexpected argument '{}' found";
        unknown_command: "不认识的命令“{}”", "unrecognized subcommand '{}'";
        did_you_mean: "（是否想用 {}？）", " (did you mean {}?)";
        missing_argument: "缺少必需的参数：{}", "the following required arguments were not provided: {}";
        argument_conflict: "参数 {} 不能与 {} 同时使用", "the argument '{}' cannot be used with '{}'";
        used_twice: "参数 {} 只能给一次", "the argument '{}' cannot be used multiple times";
        wrong_count: "参数 {} 的值个数不对", "wrong number of values for '{}'";
        // Converted from the command line's two-language sites.
        two_different_databases_given: "给出了两个不同的数据库：{} 和 --db {}", "two different databases given: {} and --db {}";
        cannot_write_this_database: "{}：用户 {} 不能写这个数据库（文件或其文件夹对该用户只读）；未作任何修改。可以读取：dudao --read-only、export、check", "{}: {} cannot write this database (the file or its folder is read-only for them); nothing was changed. Reading works: dudao --read-only, export, check";
        warning_filesystem_sqlite_s: "警告：{} 位于 {} 文件系统上，SQLite 的 WAL 模式在那里不安全。请把数据库放在本地磁盘上。", "warning: {} is on a {} filesystem; SQLite's WAL mode is unsafe there. Keep the database on a local disk.";
        n_fix_file_start: "{}\n（请修改该文件，或加 --no-config 以默认设置启动）", "{}\n(fix the file, or start with --no-config to use defaults)";
        read_only_dudao_changes: "--read-only：`dudao {}` 会修改数据库；未作任何修改", "--read-only: `dudao {}` changes the database; nothing was changed";
        more_warnings_2: "……另有 {} 条警告", "… and {} more warnings";
        config_file: "配置文件：{}", "config file: {}";
        config_file_not_present: "配置文件：{}（不存在，使用默认值）", "config file: {} (not present; defaults in use)";
        config_file_not_read: "配置文件：未读取（--no-config）", "config file: not read (--no-config)";
        default_beside_database_one: "默认：数据库旁，每个数据库一个", "default: beside the database, one per database";
        ambiguous_width_asked_terminal: "ambiguous_width：启动时询问终端（设为 1 或 2 可指定）", "ambiguous_width: asked of the terminal at start (1 or 2 to set it)";
        console_needs_terminal_stdin: "控制台需要终端（标准输入和输出都不是 TTY）；脚本请用 `dudao export`、`dudao check`，或看 `dudao --help`", "the console needs a terminal (stdin and stdout are not a TTY); for scripts use `dudao export`, `dudao check` or `dudao --help`";
        database_locked_by_waiting: "数据库被 {} 锁定，等待中（至多 {} 秒；按 q 退出）", "the database is locked by {}; waiting (up to {} seconds); press q to quit";
        database_locked_by_another: "数据库被另一程序锁定，等待中（至多 {} 秒；按 q 退出）", "the database is locked by another program; waiting (up to {} seconds); press q to quit";
        quit_with_q_nothing: "已按 q 退出；未作任何修改", "quit with q; nothing was changed";
        backup_written_but_does: "备份 {} 已写出，但未通过 `dudao check`（数据库本身有这些问题；请对它运行 `dudao check`）", "backup {} written, but it does not pass `dudao check` (the database itself has these problems; run `dudao check` on it)";
        backup_written_checked_audit: "备份 {} 已写出并通过检查（审计日志至第 {} 行，{}）", "backup {} written and checked (audit log up to row {}, {})";
        anchor_file: "锚文件 {}", "anchor {}";
        no_anchor_yet: "原库尚无锚文件", "the database has no anchor yet";
        list_sep: "、", ", ";
        does_not_pass_dudao: "{} 未通过 `dudao check`；未作任何恢复", "{} does not pass `dudao check`; nothing was restored";
        restored_from_new_file: "{} 已从 {} 恢复（新文件）", "{} restored from {} (a new file)";
        open_everyone_must_close: "{} 正被 {} 打开；恢复前所有人都须关闭 dudao（未作任何修改）", "{} is open in {}; everyone must close dudao before a restore (nothing was changed)";
        restore_replaces_database_confirm: "恢复会替换数据库：请在终端上确认，或加 --yes（未作任何修改）", "restore replaces the database: confirm on a terminal, or pass --yes (nothing was changed)";
        replace_with_backup_audit: "用备份 {1}（审计日志至第 {2} 行）替换 {0}？\n现有文件将保留为 {3}。\n输入 yes 确认恢复：", "Replace {} with the backup {} (audit log up to row {})?\nThe current file is kept as {}.\nType yes to restore: ";
        nothing_changed: "未作任何修改", "nothing was changed";
        restored_from_file_replaced: "{} 已从 {} 恢复；被替换的文件保留为 {}", "{} restored from {}; the file it replaced is {}";
        quarter_has_not_begun: "--quarter {}：这个季度还没有开始（今天是 {}）", "--quarter {}: it has not begun yet (today is {})";
        review_needs_terminal_stdin: "季度审议需要终端（标准输入输出不是终端）；要文档请用 `dudao review --export md|html|csv`", "the review needs a terminal (stdin and stdout are not a TTY); for a document use `dudao review --export md|html|csv`";
        table_goes_with_export: "--table 只能和 --export csv 一起用", "--table goes with --export csv";
        has_ended_its_figures: "{} 已经结束，数字尚未存档。现在存档，供以后审议对比吗？[y/N] ", "{} has ended and its figures are not frozen. Freeze them now for later reviews? [y/N] ";
        not_frozen_dudao_snapshot: "未存档；以后可用 `dudao snapshot --quarter {}` 存档", "not frozen; `dudao snapshot --quarter {}` freezes them later";
        froze_as_reports_time: "已存档 {}（截至 {}）：按时报送 {}/{}，逾期事项 {}，授权清单 {}/{}，目标达进度 {}/{}", "froze {} as of {}: {} of {} reports on time, {} overdue items, checklist {}/{}, {} of {} targets on pace";
        frozen_by_left_as: "{} 已于 {} 由 {} 存档；保持不变", "{} was frozen on {} by {}; left as it is";
        word_document_binary_redirect: "Word 文档是二进制文件：请把标准输出重定向到文件（dudao circular --format docx DB > 通报.docx）", "a Word document is binary: redirect standard output to a file (dudao circular --format docx DB > 通报.docx)";
        // `dudao check`.
        check_could_not_run: "无法运行：{}", "could not run: {}";
        // Policy texts.
        more_warnings: "……另有 {} 条警告", "… and {} more warnings";
    }
}
