//! Why a report file was refused, in words (the reasons themselves are
//! `intake::Reason`, with where in the file they were found).

use super::Lang;
use crate::intake::{Reason, Refusal};

/// The refusal with its place in the file.
pub fn refusal(r: &Refusal, lang: Lang) -> String {
    match (r.line, r.col, lang) {
        (Some(l), Some(c), Lang::Zh) => format!("第 {l} 行第 {c} 列：{}", reason(&r.reason, lang)),
        (Some(l), Some(c), Lang::En) => format!("line {l}, column {c}: {}", reason(&r.reason, lang)),
        _ => reason(&r.reason, lang),
    }
}

/// A refusal's reason in words, in Chinese (`zh`) or English. Text from the
/// file inside it is not sanitized here; printers sanitize.
pub fn reason(r: &Reason, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let kind_zh = |k: &str| match k {
        "directory" => "目录",
        "symlink" => "符号链接",
        "fifo" => "命名管道",
        "device" => "设备文件",
        "socket" => "套接字",
        "zip" => "ZIP 压缩包（Word .docx / Excel .xlsx？）",
        "pdf" => "PDF 文件",
        "ole" => "旧版 Word/Excel 文件（.doc/.xls）",
        "image" => "图片",
        "gzip" | "archive" => "压缩包",
        "rtf" => "RTF 文档",
        _ => "二进制文件",
    };
    let kind_en = |k: &str| match k {
        "zip" => "a ZIP file — a Word .docx or Excel .xlsx?".to_string(),
        "pdf" => "a PDF file".to_string(),
        "ole" => "an old Word or Excel file (.doc/.xls)".to_string(),
        "image" => "an image".to_string(),
        "gzip" | "archive" => "an archive".to_string(),
        "rtf" => "an RTF document".to_string(),
        "binary" => "binary data".to_string(),
        k => format!("a {k}"),
    };
    match (r, zh) {
        (Reason::NotRegular { kind }, true) => format!("不是普通文件（是{}）", kind_zh(kind)),
        (Reason::NotRegular { kind }, false) => format!("not a regular file ({})", kind_en(kind)),
        (Reason::TooLarge { size, max }, true) => format!("文件过大（{size} 字节，上限 {max}）"),
        (Reason::TooLarge { size, max }, false) => format!("too large ({size} bytes, at most {max})"),
        (Reason::Unreadable { error }, true) => format!("无法读取：{error}"),
        (Reason::Unreadable { error }, false) => format!("cannot be read: {error}"),
        (Reason::Empty, true) => "文件为空".into(),
        (Reason::Empty, false) => "the file is empty".into(),
        (Reason::NotText { kind }, true) => {
            format!(
                "不是文本月报（像是{}）；请按模板另存为 TOML、JSON 或 CSV",
                kind_zh(kind)
            )
        }
        (Reason::NotText { kind }, false) => format!(
            "not a text report: it looks like {}; save it as TOML, JSON or CSV as in the template",
            kind_en(kind)
        ),
        (Reason::BadEncoding, true) => "编码无效：既不是 UTF-8 也不是 GB18030".into(),
        (Reason::BadEncoding, false) => "invalid bytes: neither UTF-8 nor GB18030".into(),
        (Reason::Syntax { format, message }, true) => format!("{format} 格式错误：{}", syntax_zh(message)),
        (Reason::Syntax { format, message }, false) => format!("{format} syntax: {message}"),
        (Reason::Missing { field }, true) => format!("缺少必填项 {field}"),
        (Reason::Missing { field }, false) => format!("required field {field} is missing or empty"),
        (Reason::UnknownField { field, suggest }, true) => match suggest {
            Some(s) => format!("未知字段 {field}（是否应为 {s}？）"),
            None => format!("未知字段 {field}"),
        },
        (Reason::UnknownField { field, suggest }, false) => match suggest {
            Some(s) => format!("unknown field {field} (did you mean {s}?)"),
            None => format!("unknown field {field}"),
        },
        (Reason::WrongType { field, expected, found }, true) => {
            format!("{field} 应为{}，实为{}", type_zh(expected), type_zh(found))
        }
        (Reason::WrongType { field, expected, found }, false) => {
            format!("{field}: expected {expected}, found {found}")
        }
        (Reason::UnknownUnit { name }, true) => format!("未知单位“{name}”"),
        (Reason::UnknownUnit { name }, false) => format!("unknown unit {name:?}"),
        (Reason::InvisibleInUnit { name, char_code }, true) => {
            format!("单位名“{name}”含不可见字符 U+{char_code:04X}（可冒充其他单位）")
        }
        (Reason::InvisibleInUnit { name, char_code }, false) => format!(
            "unit name {name:?} contains the invisible character U+{char_code:04X} (it could pose as another unit)"
        ),
        (Reason::NotReporting { name }, true) => format!("{name} 不报送月报"),
        (Reason::NotReporting { name }, false) => format!("{name} sends no monthly reports"),
        (Reason::BadMonth { text }, true) => format!("月份“{text}”无法识别（应如 2026-10）"),
        (Reason::BadMonth { text }, false) => format!("month {text:?} is not a month (write 2026-10)"),
        (Reason::MonthOutside { month, first, last }, true) => {
            format!("{month} 不在报送期内（{first} 至 {last}）")
        }
        (Reason::MonthOutside { month, first, last }, false) => {
            format!("{month} is outside the reporting schedule ({first} to {last})")
        }
        (Reason::NotYourUnit { unit }, true) => format!("这是{unit}的月报：单位填报员只能报送本单位的月报"),
        (Reason::NotYourUnit { unit }, false) => {
            format!("this is {unit}'s report: a unit reporter sends only its own unit's")
        }
        (Reason::UnknownTask { task }, true) => format!("没有督办事项“{task}”"),
        (Reason::UnknownTask { task }, false) => format!("no task {task:?}"),
        (Reason::NotOnTask { task }, true) => format!("本单位不是 {task} 的牵头或配合单位"),
        (Reason::NotOnTask { task }, false) => format!("the unit is neither lead nor partner of {task}"),
        (Reason::TaskClosed { task }, true) => format!("{task} 已办结销号"),
        (Reason::TaskClosed { task }, false) => format!("{task} is closed"),
        (Reason::DuplicateTask { task }, true) => format!("{task} 出现了两次"),
        (Reason::DuplicateTask { task }, false) => format!("{task} appears twice"),
        (Reason::CloseNotLead { task }, true) => format!("只有牵头单位可以申请 {task} 办结"),
        (Reason::CloseNotLead { task }, false) => format!("only the lead unit asks to close {task}"),
        (Reason::UnknownArticle { article }, true) => format!("政策中没有第 {article} 条"),
        (Reason::UnknownArticle { article }, false) => format!("the policy has no article {article}"),
        (Reason::DuplicateArticle { article }, true) => format!("第 {article} 条出现了两次"),
        (Reason::DuplicateArticle { article }, false) => format!("article {article} appears twice"),
        (Reason::BadStatus { text }, true) => format!("状态“{text}”无效（应为 正常、滞后 或 完成）"),
        (Reason::BadStatus { text }, false) => {
            format!("status {text:?} is not one of 正常 (on_track), 滞后 (lagging), 完成 (done)")
        }
        (Reason::UnknownIndicator { name }, true) => format!("未知指标“{name}”（见目标任务）"),
        (Reason::UnknownIndicator { name }, false) => {
            format!("unknown indicator {name:?} (see the targets)")
        }
        (Reason::DuplicateIndicator { name }, true) => format!("指标“{name}”出现了两次"),
        (Reason::DuplicateIndicator { name }, false) => format!("indicator {name:?} appears twice"),
        (Reason::BadNumber { text }, true) => format!("“{text}”不是数值"),
        (Reason::BadNumber { text }, false) => format!("{text:?} is not a number"),
        (Reason::NegativeValue { name, text }, true) => format!("{name} 不能为负数（{text}）"),
        (Reason::NegativeValue { name, text }, false) => format!("{name} cannot be negative ({text})"),
        (Reason::TooLong { field, max }, true) => format!("{field} 过长（最多 {max} 字）"),
        (Reason::TooLong { field, max }, false) => format!("{field} is too long (at most {max} characters)"),
        (Reason::BadPhone { text }, true) => format!("电话“{text}”无效"),
        (Reason::BadPhone { text }, false) => format!("phone {text:?} is not a phone number"),
        (Reason::CsvHeader { found }, true) => {
            format!("表头中有未知列“{found}”（应为 单位,月份,指标,数值）")
        }
        (Reason::CsvHeader { found }, false) => {
            format!("unknown column {found:?} in the header (expected unit,month,indicator,value)")
        }
        (Reason::CsvColumns { expected, found }, true) => format!("该行有 {found} 列，表头有 {expected} 列"),
        (Reason::CsvColumns { expected, found }, false) => {
            format!("the row has {found} columns, the header {expected}")
        }
        (Reason::CsvMixed { field }, true) => format!("一个指标表只能是一个单位一个月（{field} 不一致）"),
        (Reason::CsvMixed { field }, false) => {
            format!("an indicator table is for one unit and one month ({field} differs)")
        }
        (Reason::CsvNoRows, true) => "指标表没有数据行".into(),
        (Reason::CsvNoRows, false) => "the indicator table has no rows with a value".into(),
    }
}

/// A value type's name in Chinese.
fn type_zh(t: &str) -> &str {
    match t {
        "string" => "文本",
        "number" => "数值",
        "integer" => "整数",
        "boolean" => "布尔值",
        "null" => "空值",
        "date" => "日期",
        "array" => "数组",
        "array of tables" => "表数组（[[…]]）",
        "table" => "表",
        t => t,
    }
}

/// A parser's message (the TOML reader's, or dudao's own JSON reader's) in
/// Chinese, phrase by phrase; a phrase not in the list stays as it is.
pub fn syntax_zh(message: &str) -> String {
    const PHRASES: &[(&str, &str)] = &[
        // dudao's JSON reader.
        ("unexpected text after the document", "文档结束后还有多余内容"),
        ("the document ends where a value was expected", "文档在应有值的地方结束"),
        (
            "expected a value (a string, number, object, array, true, false or null)",
            "应为一个值（字符串、数值、对象、数组、true、false 或 null）",
        ),
        ("expected a key in double quotes", "应为双引号括起的键名"),
        ("expected ':' after the key", "键名后应为冒号 ':'"),
        ("expected ',' or '}'", "应为逗号 ',' 或 '}'"),
        ("expected ',' or ']'", "应为逗号 ',' 或 ']'"),
        ("expected four hex digits after \\u", "\\u 后应为四位十六进制数"),
        ("the text ends inside a string", "文本在字符串中间结束"),
        ("a lone surrogate in \\u escape", "\\u 转义中有孤立的代理字符"),
        ("unknown escape in a string", "字符串中有未知的转义"),
        (
            "a control character inside a string (write it as \\n, \\t, …)",
            "字符串中有控制字符（请写作 \\n、\\t 等）",
        ),
        ("expected a digit after '.'", "小数点后应为数字"),
        ("expected a digit in the exponent", "指数部分应为数字"),
        ("expected a digit", "应为数字"),
        ("a number may not start with 0", "数值不能以 0 开头"),
        ("duplicate key", "键名重复"),
        ("levels deep", "层"),
        ("nested more than", "嵌套超过"),
        // The TOML reader's.
        ("invalid basic string", "字符串无效"),
        ("invalid multi-line basic string", "多行字符串无效"),
        ("invalid multi-line literal string", "多行原样字符串无效"),
        ("invalid literal string", "原样字符串无效"),
        ("invalid date", "日期无效"),
        ("invalid time", "时间无效"),
        ("invalid boolean", "布尔值无效"),
        ("invalid integer", "整数无效"),
        ("invalid float", "小数无效"),
        ("invalid key", "键名无效"),
        ("invalid table header", "表头无效"),
        ("string values must be quoted", "文字须加引号"),
        ("unquoted keys cannot be empty", "不加引号的键名不能为空"),
        ("missing escaped value", "缺少转义的字符"),
        ("key with no value", "键没有值"),
        ("unclosed array", "数组没有结束"),
        ("unclosed inline table", "内联表没有结束"),
        ("unclosed table header", "表头没有结束"),
        ("missing assignment between key-value pairs", "键值对之间缺少赋值"),
        ("unexpected content", "意外的内容"),
        ("month between 01 and 12", "01 至 12 之间的月份"),
        ("day between 01 and", "01 至"),
        ("letters, numbers", "字母、数字"),
        ("literal string", "原样字符串"),
        ("newline", "换行"),
        ("nothing", "无"),
        (", expected ", "，应为 "),
        ("expected ", "应为 "),
    ];
    let mut out = message.to_string();
    for (en, zh) in PHRASES {
        out = out.replace(en, zh);
    }
    out
}
