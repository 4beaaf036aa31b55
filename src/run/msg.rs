//! The command line's language — Chinese by default, English with `--lang
//! en` (or `lang = "en"` in the config, or a `LANGUAGE` that starts with
//! `en`) — and the clap plumbing that speaks it: errors of the command
//! line itself, `--help`. The words are in `crate::i18n`.

use clap::Command;

use crate::db::DbError;

/// Sets the command line's language.
pub fn set_zh(zh: bool) {
    crate::i18n::set_lang(if zh {
        crate::i18n::Lang::Zh
    } else {
        crate::i18n::Lang::En
    });
}

/// Whether the command line speaks Chinese.
pub fn zh() -> bool {
    crate::i18n::lang() == crate::i18n::Lang::Zh
}

/// The language asked for before the configuration is read: `--lang X` /
/// `--lang=X` on the command line, else `LANGUAGE` (gettext's list of
/// preferred languages; not `LANG`, which servers set to en_US by
/// default); `None` when neither says.
pub fn early_lang(args: &[std::ffi::OsString], language: Option<&str>) -> Option<bool> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let v = if a == "--lang" {
            it.next().map(|v| v.into_owned())
        } else {
            a.strip_prefix("--lang=").map(str::to_owned)
        };
        match v.as_deref() {
            Some("zh") => return Some(true),
            Some("en") => return Some(false),
            _ => {}
        }
    }
    crate::i18n::language_is_zh(language?)
}

/// "warning: " in the command line's language.
pub fn warning() -> &'static str {
    crate::i18n::cli().warning
}

/// A database error in the command line's language.
pub fn db_error(e: &DbError) -> String {
    crate::i18n::db_error(e)
}

/// A command-line error (an unknown flag, a value not among the choices, a
/// missing argument) in the command line's words, or `None` for what clap
/// prints itself (help, the version).
pub fn arg_error(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let c = crate::i18n::cli();
    let fill = crate::i18n::fill;
    let one = |k: ContextKind| -> String {
        match e.get(k) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join("、"),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、"),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let list = |k: ContextKind| -> Vec<String> {
        match e.get(k) {
            Some(ContextValue::Strings(v)) => v.clone(),
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        }
    };
    let sep = if zh() { "、" } else { ", " };
    let suggest = |k: ContextKind| {
        let s = list(k);
        if s.is_empty() {
            String::new()
        } else {
            fill(c.did_you_mean, &[&s.join(sep)])
        }
    };
    let text = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let (arg, value) = (one(ContextKind::InvalidArg), one(ContextKind::InvalidValue));
            let mut t = if zh() {
                fill(c.invalid_value, &[&arg, &value])
            } else {
                fill(c.invalid_value, &[&value, &arg])
            };
            let valid = list(ContextKind::ValidValue);
            if !valid.is_empty() {
                t.push_str(&fill(c.possible_values, &[&valid.join(sep)]));
            }
            t
        }
        ErrorKind::UnknownArgument => {
            fill(c.unknown_argument, &[&one(ContextKind::InvalidArg)]) + &suggest(ContextKind::SuggestedArg)
        }
        ErrorKind::InvalidSubcommand => {
            fill(c.unknown_command, &[&one(ContextKind::InvalidSubcommand)])
                + &suggest(ContextKind::SuggestedSubcommand)
        }
        ErrorKind::MissingRequiredArgument => fill(c.missing_argument, &[&list(ContextKind::InvalidArg).join(sep)]),
        ErrorKind::ArgumentConflict => fill(
            c.argument_conflict,
            &[&one(ContextKind::InvalidArg), &one(ContextKind::PriorArg)],
        ),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            fill(c.wrong_count, &[&one(ContextKind::InvalidArg)])
        }
        _ => return None,
    };
    Some(fill(c.arg_error, &[&text]))
}

/// `--help` in Chinese: the program's and each command's summary, the
/// options every command shares, and the headings.
pub fn chinese_help(cmd: Command) -> Command {
    use crate::i18n::help::{ABOUT, ARGS, COMMANDS, LONG_ABOUT, OPTIONS, POSITIONALS, PROGRAM, TEMPLATE};
    fn localize(mut c: Command, top: bool, path: &str) -> Command {
        let ids: Vec<(String, bool)> = c
            .get_arguments()
            .map(|a| (a.get_id().to_string(), a.is_positional()))
            .collect();
        for (id, positional) in ids {
            let heading = if positional { POSITIONALS } else { OPTIONS };
            let help = ARGS.iter().find(|(k, _)| *k == id).map(|(_, h)| *h);
            // The shared options' help; a command's own DB argument keeps its words.
            let help = help.filter(|_| top || !positional);
            c = c.mut_arg(id, |a| match help {
                Some(h) => a.help(h).long_help(None).help_heading(heading),
                None => a.help_heading(heading),
            });
        }
        let subs: Vec<String> = c.get_subcommands().map(|s| s.get_name().to_string()).collect();
        for name in subs {
            let full = if path.is_empty() {
                name.clone()
            } else {
                format!("{path} {name}")
            };
            let about = ABOUT
                .iter()
                .find(|(k, _)| *k == full || (name == "help" && *k == "help"))
                .map(|(_, a)| *a);
            c = c.mut_subcommand(name, |s| {
                let s = match about {
                    Some(a) => s.about(a).long_about(None),
                    None => s,
                };
                localize(s, false, &full)
            });
        }
        c.subcommand_help_heading(COMMANDS).help_template(TEMPLATE)
    }
    let mut cmd = cmd;
    // Built first, so that the generated help and version flags and the
    // help command are there to be translated too.
    cmd.build();
    localize(cmd, true, "").about(PROGRAM).long_about(LONG_ABOUT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<std::ffi::OsString> {
        a.iter().map(Into::into).collect()
    }

    #[test]
    fn the_language_from_the_command_line_then_language() {
        assert_eq!(
            early_lang(&args(&["dudao", "--lang", "en", "check"]), None),
            Some(false)
        );
        assert_eq!(
            early_lang(&args(&["dudao", "check", "--lang=zh"]), Some("en")),
            Some(true)
        );
        assert_eq!(early_lang(&args(&["dudao", "check"]), Some("en_US:en")), Some(false));
        assert_eq!(early_lang(&args(&["dudao", "check"]), Some("fr:zh_CN")), Some(true));
        assert_eq!(early_lang(&args(&["dudao", "check"]), None), None);
        assert_eq!(early_lang(&args(&["dudao", "--", "--lang", "en"]), None), None);
    }
}
