//! The words of `dudao check`: each check's name and each problem's line.

words! {
    /// `dudao check`'s words in one language.
    pub struct Check {
        // The checks.
        integrity: "SQLite 完整性检查（integrity_check）", "integrity_check";
        foreign_keys: "外键检查（foreign_key_check）", "foreign_key_check";
        schema_version: "数据库结构版本", "schema version";
        schema: "数据库结构与 dudao 创建的一致（表、索引、只追加触发器）", "schema as created (tables, indexes, append-only triggers)";
        chain: "审计日志哈希链", "audit log hash chain";
        anchor: "审计日志锚点（数据库之外）", "audit log anchor (outside the database)";
        anchor_copy: "审计日志与锚点副本相符", "audit log against the anchor copy";
        items: "每一项都与其最后一次审计的改动一致（月报、催办、备注、授权清单、措施、会议）", "every item as its last audited change left it (reports, reminders, notes, checklist, measures, meetings)";
        text_cells: "文本单元格都是有效的 UTF-8 文本", "text cells are valid UTF-8 text";
        inv_via_member: "经由集合单位的分工，单位确属该集合", "assignment via a collective the unit belongs to";
        inv_collective_reports: "集合单位没有直接的月报", "collectives hold no direct reports";
        inv_version_gaps: "月报版本号从 1 连续编号", "report versions are 1..n without gaps";
        inv_latest: "每份月报只有最新版本标为最新", "exactly the newest version of each report is marked latest";
        inv_return_reason: "退回的月报都有原因", "returned reports carry a reason";
        inv_imported_from: "导入的月报都有对应的导入记录", "imported reports come from an accepted import";
        inv_month_shape: "月份都写作 YYYY-MM", "months are YYYY-MM";
        inv_indicator_report: "指标数值与其月报相符", "indicator values match their report";
        inv_done_date: "已完成的措施都有完成日期", "finished measures have a done date";
        inv_doc_no: "已下放的授权事项都有文号", "delegated authority items have a document number";
        inv_audited_exist: "审计记录所指的事项都存在", "audited entities exist";
        inv_notes_about: "备注和催办所指的单位或事项都存在", "every note and reminder is about an existing unit or item";
        // Lines.
        could_not_run: "无法运行：{}", "could not run: {}";
        more: "……另有 {} 项", "… and {} more";
        sqlite: "SQLite：{}", "SQLite: {}";
        foreign_key: "表 {} 第 {} 行 → {}", "{} row {} -> {}";
        user_version: "user_version 为 {}，应为 {}", "user_version {}, expected {}";
        meta_version: "meta 中的 schema_version 为 {}，与 user_version {} 不符", "meta schema_version {} does not match user_version {}";
        schema_missing: "缺少 {} {}", "{} {} is missing";
        schema_changed: "{} {} 与 dudao 创建的不同", "{} {} differs from the one dudao created";
        schema_foreign: "{} {} 不是 dudao 创建的", "{} {} was not created by dudao";
        chain_broken: "哈希链在审计日志第 {} 行断开", "chain broken at audit row {}";
        anchor_file_missing: "{} 不见了，而数据库曾有锚点：无法排除日志末尾的记录被删除（请把锚点与数据库放在一起；`dudao backup` 会一并复制）", "{} is missing, but the database was anchored: removed rows at the end of the log cannot be ruled out (keep the anchor with the database; `dudao backup` copies both)";
        anchor_unreadable: "{}：{}", "{}: {}";
        anchor_not_marked: "{} 存在，但数据库没有记录已建立锚点（meta audit_anchor 被删除？）", "{} exists but the database does not record being anchored (meta audit_anchor removed?)";
        row_missing: "审计日志第 {} 行不见了：锚点记录它已提交（日志中的记录被删除）", "audit row {} is missing: the anchor saw it committed (rows removed from the log)";
        row_differs: "审计日志第 {} 行与锚点记录的哈希不同（日志被改写）", "audit row {} differs from the hash the anchor recorded (the log was rewritten)";
        rewritten: "审计日志第 {} 行已提交，之后锚点又见到另一个第 {} 行：日志被截去后又写入", "audit row {} was committed, then the anchor saw another row {}: rows were cut from the log and written again";
        unanchored: "锚定的最新一行（第 {} 行）之后的 {} 行不是经 dudao 写入的", "after the anchored head (id {}), {} audit row(s) were not written through dudao's write path";
        gaps: "审计日志编号不连续：共 {} 行，最新编号 {}（有记录被删除）", "audit ids are not contiguous: {} rows, newest id {} (rows removed)";
        no_committed: "{}：其中没有已提交的记录（C 编号 哈希）", "{}: no committed head (C id hash) in it";
        anchor_in_memory: "内存中的数据库，没有锚点", "in-memory database, no anchor";
        anchor_not_started: "尚未建立；经 dudao 的第一次修改时建立", "not started yet; the first change through dudao starts it";
        anchor_head: "最新锚定第 {} 行，记录了 {} 次提交", "head id {}, {} commits recorded";
        anchor_copy_head: "{}：最新锚定第 {} 行，{} 次提交", "{}: head id {}, {} commits";
        unsettled_there: "；第 {} 行的 P 记录尚未确认（该行在且哈希相同：已提交；下一次写入时确认）", "; P line of row {} not settled yet (the row is there with that hash: committed; the next write settles it)";
        unsettled_absent: "；第 {} 行的 P 记录尚未确认（该行不在：已回滚，或此后被删除；下一次写入时确认）", "; P line of row {} not settled yet (the row is absent: rolled back, or cut since; the next write settles it)";
        unreadable_lines: "，忽略了 {} 行无法读取的内容", ", {} unreadable line(s) ignored";
        no_baseline: "没有基准审计记录：未经 dudao 修改过的事项无法核对（请用本版 dudao 打开一次该文件以记录）", "no baseline audit row: items not changed through dudao cannot be verified (open the file once with this dudao to record it)";
        baseline_changed: "基准表 audit_baseline 与其审计记录（第 {} 行）所记的摘要不符（在 dudao 之外被改动）", "the audit_baseline table differs from the digest its audit row {} recorded (changed outside dudao)";
        item_differs: "{} 与第 {} 行审计记录所记的状态不同：在 dudao 之外被改动", "{} differs from its state at audit row {}: changed outside dudao";
        item_differs_baseline: "{} 与基准（第 {} 行审计记录）所记的状态不同：在 dudao 之外被改动", "{} differs from its state in the baseline (audit row {}): changed outside dudao";
        item_unaudited: "{} 有数据，却没有审计记录，也不在基准中：在 dudao 之外新建", "{} has rows but no audit row and is not in the baseline: made outside dudao";
        text_blob: "表 {} 第 {} 行 {} 列：应为文本，实为 BLOB", "{} row {} column {}: a BLOB where text is expected";
        text_utf8: "表 {} 第 {} 行 {} 列：不是有效的 UTF-8（第 {} 字节起）", "{} row {} column {}: not valid UTF-8 (byte {})";
        via_member: "分工 {}：单位 {} 不属于集合单位 {}", "assignment {}: unit {} not a member of {}";
        collective_report: "月报 {} 属于集合单位 {}", "report {} belongs to collective {}";
        version_gaps: "单位 {} {}：版本 {}", "unit {} month {}: versions {}";
        latest_flags: "单位 {} {}：最新标记 {}", "unit {} month {}: latest flags {}";
        return_reason: "月报 {} 退回时没有写原因", "report {} returned without a reason";
        imported_from: "月报 {} 来自文件，却没有已导入的文件记录", "report {} has source file but no imported file record";
        month_shape: "月报 {} 的月份 {}", "report {} month {}";
        indicator_report: "指标数值 {}", "indicator value {}";
        done_date: "措施 {}", "measure {}";
        doc_no: "授权事项 {}（{}）", "authority item {} ({})";
        audited_missing: "审计记录 {}：{} {} 不存在", "audit {}: {} {} is missing";
        note_about: "备注 {}：{} {}", "note {}: {} {}";
    }
}
