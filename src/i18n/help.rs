//! `--help` in Chinese: each command's summary, the options every command
//! shares, the headings. (The English help is the command line's own: the
//! doc comments of `crate::cli`, which clap reads.)

/// Each command's summary, by its path (`report list`).
pub const ABOUT: &[(&str, &str)] = &[
    ("init", "从政策文本新建数据库（从不覆盖已有文件）"),
    ("demo", "生成确定的示例数据库"),
    ("export", "把数据库的一个视图写到标准输出"),
    ("check", "检查完整性与各项约束；全部通过才返回 0"),
    ("backup", "在线备份数据库及其审计锚点（他人可照常工作），并检查副本"),
    ("restore", "用备份替换数据库（须确认且无人打开；原文件保留）"),
    ("report", "月报：列出（含未报）、查看、已阅、退回、备注"),
    ("import", "导入月报文件；不给文件时导入投递文件夹（有被拒时返回 4）"),
    ("template", "打印月报文件模板"),
    ("authority", "授权事项清单：列出、查看、新增、设置状态"),
    ("measure", "各条目的具体措施：列出，设置截止日期、状态、责任单位"),
    ("remind", "对逾期事项（月报、措施等）记录一次催办"),
    ("alerts", "到期预警：已逾期和即将到期的事项（有逾期时返回 5）"),
    ("extend", "延期：改事项的截止日期，须写理由"),
    ("done", "办结事项"),
    ("snooze", "暂不提醒，直到某日"),
    ("escalate", "提交领导小组（列入下次季度审议）"),
    ("notice", "打印事项的催办通知单"),
    ("task", "督办：交办、签收、反馈、申请办结、销号；单位申请；分级督办单"),
    ("meeting", "领导小组会议：安排、议题、纪要、议定事项"),
    (
        "account",
        "经 SSH 使用的人员、角色和密钥；写入服务账号的 authorized_keys",
    ),
    ("unit", "单位自己的页面：本月应报、逾期、退回、催办、督办事项、按时率"),
    ("review", "季度审议：会议室全屏只读展示，或导出文档（--export）"),
    ("snapshot", "存档已结束季度的数字，供以后审议对比（默认上一季度）"),
    ("circular", "按模板生成季度通报：排名、逾期单位、提请事项"),
    ("config", "打印生效的设置及其来源"),
    ("completions", "打印 shell 补全脚本"),
    ("help", "打印帮助"),
    ("report list", "某月应报的月报，已收未收都列出，各带编号"),
    ("report show", "一份月报：进展、指标、催办、备注、历史"),
    ("report accept", "已阅"),
    ("report return", "退回修改，须写理由"),
    ("report note", "给月报（已收或未收）加备注"),
    (
        "template report",
        "月报文件：内置示例，或某单位自己的条目和指标（--unit）",
    ),
    ("authority list", "按高新区和领域列出事项，含状态、文号和日期"),
    ("authority show", "一个事项及其状态变更历史"),
    ("authority add", "新增事项（自今日起为拟下放）"),
    (
        "authority set-status",
        "推进事项：拟下放 → 已报批 → 已批准 → 已下放 → 已承接，或暂缓、收回",
    ),
    ("measure list", "措施及其条目、责任单位、截止日期和状态，各带编号（M5）"),
    ("measure set", "设置措施的截止日期、状态和责任单位"),
    ("task list", "督办事项：督办编号、牵头单位、办结时限、状态，新的在前"),
    ("task show", "一项督办：来源、单位、办理过程和申请"),
    ("task assign", "交办：按年度顺序编督办编号"),
    ("task ack", "牵头单位签收"),
    ("task progress", "单位反馈进展（须写 --text）"),
    ("task request-close", "牵头单位申请办结"),
    ("task close", "办公室办结销号（须单位已申请办结）"),
    ("task return", "退回重办（--text 写原因）"),
    ("task ask", "单位申请延期（--extend-to）或调整表述（--wording）"),
    ("task requests", "待答复的申请"),
    ("task approve", "同意申请（时限或表述随之改变）"),
    ("task refuse", "不同意申请（--note 写理由）"),
    ("task notice", "分级督办单：蓝色临期、黄色滞后、红色逾期"),
    ("meeting list", "会议，新的在前"),
    (
        "meeting show",
        "一次会议：议题、纪要、议定事项（文本、Markdown 或 Word）",
    ),
    ("meeting plan", "安排会议"),
    ("meeting agenda", "给未召开的会议增加议题"),
    ("meeting minutes", "记录会议已召开及出席人员"),
    ("meeting decide", "记录已召开会议的议定事项"),
    ("account list", "人员及其角色、单位和密钥"),
    ("account add", "添加人员（--key 为其 SSH 公钥）"),
    ("account key", "为人员添加 SSH 公钥"),
    ("account role", "改变人员的角色（和单位）"),
    ("account disable", "停用人员：删去其密钥行"),
    ("account enable", "重新启用人员"),
];
pub const ARGS: &[(&str, &str)] = &[
    ("db", "数据库文件（默认：配置的 db，否则 <数据目录>/dudao/dudao.db）"),
    ("db_flag", "数据库文件（同 DB 参数）"),
    ("config", "配置文件（默认 <配置目录>/dudao/config.toml）"),
    ("no_config", "不读配置文件，使用默认值"),
    ("lang", "界面语言（默认中文）"),
    ("theme", "配色（NO_COLOR 始终有效）"),
    ("today", "把这一天当作今天（YYYY-MM-DD）"),
    ("read_only", "只读打开数据库：不能作任何修改"),
    ("as_person", "以此人员身份运行（由其 SSH 密钥行的强制命令设定）"),
    ("key_fp", "会话所用 SSH 密钥的指纹（记入审计）"),
    (
        "charset",
        "终端字符集（默认随 locale；Xshell 等 GBK 客户端用 gbk 或 gb18030）",
    ),
    (
        "ambiguous_width",
        "终端把 ● · “ ” — … 等字符画成几格：1 或 2（默认询问终端）",
    ),
    ("help", "打印帮助"),
    ("version", "打印版本"),
];

pub const POSITIONALS: &str = "参数";
pub const OPTIONS: &str = "选项";
pub const COMMANDS: &str = "命令";
pub const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";
pub const PROGRAM: &str = "督导 dudao：在终端里督导西藏“双创”政策的落实";
pub const LONG_ABOUT: &str = "督导 dudao：在终端里督导西藏“双创”政策的落实。\n\n\
给出数据库路径（或用配置的路径）且不带命令时，打开控制台；\n\
各个命令让同样的数据可以用脚本处理。";
