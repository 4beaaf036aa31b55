//! Every word the program says, in both languages: Chinese by default,
//! English with `--lang en`. The console's words ([`console`]), the
//! quarterly review's and its documents' ([`review`]), the command line's
//! ([`cli`], [`help`]), `check`'s ([`check`]), errors ([`errors`]) and a
//! refused file's reasons ([`intake`]). Each language is a value of one
//! struct, so a word missing in one language does not compile; enum labels
//! are looked up by an exhaustive index; a test compares the placeholders.
//!
//! One word per meaning (the glossary the words keep to):
//!
//! | 中文 | English | meaning |
//! |---|---|---|
//! | 催办 | remind / reminder | a recorded chase of a unit about an item |
//! | 延期 | extend / extension | a new due date with a reason |
//! | 办结 | done | the item is finished |
//! | 稍后提醒 | snooze | hide an alert until a day (not 暂缓) |
//! | 暂缓 | suspended | a checklist item's status only (授权事项暂缓下放) |
//! | 上报领导小组 | escalate | list for the leading group's next meeting |
//! | 已阅 / 退回 | accept / return | a report read, or sent back for revision |
//! | 逾期 | overdue | past its due date and not done |

/// A struct of words with one value per language, written side by side:
/// `field: "中文", "English";`. Makes the struct, its `ZH` and `EN` values,
/// and `PAIRS` (field, zh, en) for the placeholder test.
macro_rules! words {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* $field:ident : $zh:literal, $en:literal;)* }) => {
        $(#[$m])*
        pub struct $name { $($(#[$fm])* pub $field: &'static str,)* }
        impl $name {
            pub const ZH: $name = $name { $($field: $zh,)* };
            pub const EN: $name = $name { $($field: $en,)* };
            /// Every word: (field, Chinese, English).
            pub const PAIRS: &'static [(&'static str, &'static str, &'static str)] =
                &[$((stringify!($field), $zh, $en),)*];
        }
    };
}

pub mod check;
pub mod cli;
pub mod console;
pub mod errors;
pub mod help;
pub mod intake;
pub mod review;
pub mod tasks;

pub use console::{EN, Strings, ZH};
pub use errors::{db_error, db_error_in};

static CLI_ZH: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Sets the language of the command line (and of the words a command
/// prints).
pub fn set_lang(lang: Lang) {
    CLI_ZH.store(lang == Lang::Zh, std::sync::atomic::Ordering::Relaxed);
}

/// The command line's language: Chinese unless `--lang en`, the config or
/// `LANGUAGE` said English.
pub fn lang() -> Lang {
    if CLI_ZH.load(std::sync::atomic::Ordering::Relaxed) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// `dudao check`'s words in the command line's language.
pub fn check() -> &'static check::Check {
    match lang() {
        Lang::Zh => &check::Check::ZH,
        Lang::En => &check::Check::EN,
    }
}

/// The command line's words in its language.
pub fn cli() -> &'static cli::Cli {
    match lang() {
        Lang::Zh => &cli::Cli::ZH,
        Lang::En => &cli::Cli::EN,
    }
}

impl Lang {
    /// The console's words in this language.
    pub fn s(self) -> &'static Strings {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// Fills a template: each `{}` with the next argument, each `{0}`, `{1}`, …
/// with that argument (so a language can put them in its own order).
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut next = 0;
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let close = after.find('}');
        let index = match close {
            Some(0) => {
                next += 1;
                Some(next - 1)
            }
            Some(j) if after[..j].bytes().all(|b| b.is_ascii_digit()) => after[..j].parse().ok(),
            _ => None,
        };
        match (index, close) {
            (Some(k), Some(j)) => {
                if let Some(a) = args.get(k) {
                    out.push_str(&a.to_string());
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What `LANGUAGE` says: its first entry that is Chinese or English.
pub fn language_is_zh(language: &str) -> Option<bool> {
    language.split(':').find_map(|l| {
        let l = l.to_ascii_lowercase();
        if l.starts_with("zh") {
            Some(true)
        } else if l.starts_with("en") {
            Some(false)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_fill_in_order_or_by_index() {
        assert_eq!(super::fill("{} and {}", &[&1, &2]), "1 and 2");
        assert_eq!(super::fill("{1} 和 {0}", &[&1, &2]), "2 和 1");
        assert_eq!(super::fill("{} and {}", &[&1]), "1 and ");
        assert_eq!(super::fill("a {x} b", &[&1]), "a {x} b");
    }

    /// The string literals of each field of the `ZH` and `EN` values in a
    /// words file, by field name, in order.
    fn fields(source: &str, value: &str) -> Vec<(String, Vec<String>)> {
        let start = source.find(&format!("pub static {value}: ")).expect("the value");
        let body = &source[start..];
        let body = &body[..body.find("\n};").expect("its end")];
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for line in body.lines().skip(1) {
            let field = line
                .strip_prefix("    ")
                .filter(|l| !l.starts_with(' '))
                .and_then(|l| l.split_once(':'))
                .map(|(name, _)| name.trim().to_string())
                .filter(|n| {
                    n.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                });
            if let Some(name) = field {
                out.push((name, Vec::new()));
            }
            if let Some((_, lits)) = out.last_mut() {
                lits.extend(literals(line));
            }
        }
        out
    }

    /// The string literals on a line (no escaped quotes in the words files
    /// but `\"`, which is kept as part of the literal).
    fn literals(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur: Option<String> = None;
        let mut escaped = false;
        for c in line.chars() {
            match (&mut cur, c) {
                (Some(s), '\\') if !escaped => {
                    escaped = true;
                    s.push(c);
                    continue;
                }
                (Some(s), '"') if !escaped => {
                    out.push(std::mem::take(s));
                    cur = None;
                }
                (Some(s), _) => s.push(c),
                (None, '"') => cur = Some(String::new()),
                (None, _) => {}
            }
            escaped = false;
        }
        out
    }

    /// The placeholders a text is filled in at, as `fill` reads them: the
    /// k-th `{}` is `{k}`; `{1}` and `{name}` stand for themselves.
    fn placeholders(s: &str) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        let mut rest = s;
        let mut next = 0;
        while let Some(i) = rest.find('{') {
            let Some(j) = rest[i..].find('}') else { break };
            let p = &rest[i..i + j + 1];
            if p == "{}" {
                v.push(format!("{{{next}}}"));
                next += 1;
            } else {
                v.push(p.to_string());
            }
            rest = &rest[i + j + 1..];
        }
        v.sort();
        v
    }

    /// The same for the words written side by side.
    #[test]
    fn paired_words_have_the_same_placeholders() {
        assert!(super::cli::Cli::PAIRS.len() > 10);
        for (name, zh, en) in super::cli::Cli::PAIRS.iter().chain(super::check::Check::PAIRS) {
            assert_eq!(
                placeholders(zh),
                placeholders(en),
                "cli.rs: {name}: {zh:?} against {en:?}"
            );
            assert!(!zh.is_empty() && !en.is_empty(), "cli.rs: {name} is empty");
        }
    }

    /// Every word of both languages has the same placeholders: a template
    /// filled in one language is filled alike in the other.
    #[test]
    fn both_languages_have_the_same_fields_and_placeholders() {
        for (file, source) in [
            ("console.rs", include_str!("console.rs")),
            ("review.rs", include_str!("review.rs")),
        ] {
            let zh = fields(source, "ZH");
            let en = fields(source, "EN");
            assert!(zh.len() > 20, "{file}: {} fields read", zh.len());
            let zh_names: Vec<&String> = zh.iter().map(|(n, _)| n).collect();
            let en_names: Vec<&String> = en.iter().map(|(n, _)| n).collect();
            assert_eq!(zh_names, en_names, "{file}: fields in another order");
            for ((name, z), (_, e)) in zh.iter().zip(en.iter()) {
                assert_eq!(z.len(), e.len(), "{file}: {name}: a different number of texts");
                for (a, b) in z.iter().zip(e.iter()) {
                    assert_eq!(placeholders(a), placeholders(b), "{file}: {name}: {a:?} against {b:?}");
                }
            }
        }
    }
}
