//! Command handlers: what each subcommand does, with errors turned into one
//! clear line on stderr and a documented exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

mod accounts;
mod alerts;
mod backup;
mod checklist;
mod ids;
mod intake;
mod meetings;
pub mod msg;
mod report;
mod review;
mod tasks;
mod unit;

use crate::cli::{Cli, Command, DemoArgs, ExportArgs, InitArgs, exit};
use crate::config::{self, Overrides, Settings};
use crate::db::{self, DbError, Mode};
use crate::domain::calendar::parse_date;
use crate::policy::{self, catalog};
use crate::text::sanitize;

/// An error with its exit code.
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl From<DbError> for Failure {
    fn from(e: DbError) -> Self {
        let code = match e {
            DbError::Invalid(_)
            | DbError::Unit { .. }
            | DbError::BadId(_)
            | DbError::BadMonth(_)
            | DbError::QuarterRunning { .. } => exit::INPUT,
            DbError::Io(_)
            | DbError::Sql(_)
            | DbError::BadData(_)
            | DbError::Busy(_)
            | DbError::Locked(_)
            | DbError::ReadOnly
            | DbError::Anchor { .. } => exit::FAILURE,
            _ => exit::DATABASE,
        };
        Failure {
            code,
            message: msg::db_error(&e),
        }
    }
}

/// A value given with `flag` that was refused, in the command line's words.
pub(crate) fn flag_failure(code: i32, flag: &str, e: &DbError) -> Failure {
    fail(
        code,
        crate::i18n::fill(crate::i18n::cli().flag_error, &[&flag, &crate::i18n::db_error(e)]),
    )
}

/// A date given with `flag` that is not one.
pub(crate) fn date_failure(code: i32, flag: &str, e: crate::domain::input::DateError) -> Failure {
    let s = crate::i18n::lang().s();
    let why = match e {
        crate::domain::input::DateError::Shape => s.date_shape,
        crate::domain::input::DateError::NoSuchDay => s.date_no_day,
    };
    fail(code, crate::i18n::fill(crate::i18n::cli().flag_error, &[&flag, &why]))
}

/// A full date (YYYY-MM-DD) given with `flag`.
pub(crate) fn parse_day(flag: &str, t: &str) -> Result<chrono::NaiveDate, Failure> {
    parse_date(t).map_err(|_| {
        fail(
            exit::USAGE,
            crate::i18n::fill(crate::i18n::cli().flag_error, &[&flag, &crate::i18n::cli().not_a_day]),
        )
    })
}

pub(crate) fn fail(code: i32, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
    }
}

/// Large blocks (a month of inbox rows at 16,000 units is 1.5 MB) are
/// mapped and given back to the system when freed. glibc otherwise raises
/// this threshold to the size of the first large block freed, after which
/// such blocks come from the heap, whose high-water mark stays: the
/// console's peak resident memory at a million reports was 1.3 MB higher.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 * 1024);
    }
}

/// When standard output is a pipe or a file, a reader that closes it
/// early (`dudao check | head -1`) ends the program as it ends `cat`:
/// quietly, by SIGPIPE, instead of a panic in `println!`. A write
/// transaction cut short so rolls back like any other interrupted one.
/// The console's terminal is no pipe; it keeps its own handling.
fn quiet_on_closed_pipe() {
    if !std::io::stdout().is_terminal() {
        // SAFETY: restores the default action of one signal before any
        // other thread exists.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
}

/// Entry point of the binary: parses arguments, runs, returns the exit code.
pub fn main() -> i32 {
    use clap::FromArgMatches;
    tune_allocator();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let language = std::env::var("LANGUAGE").ok();
    msg::set_zh(msg::early_lang(&args, language.as_deref()).unwrap_or(true));
    let parse = |args: &[std::ffi::OsString]| {
        let cmd = if msg::zh() {
            msg::chinese_help(Cli::command())
        } else {
            Cli::command()
        };
        cmd.try_get_matches_from(args).and_then(|m| Cli::from_arg_matches(&m))
    };
    let mut parsed = parse(&args);
    // A key line's forced command names the person (`--as`); the command
    // given on the ssh line, if any, runs as them.
    if let Ok(c) = &parsed
        && c.global.as_person.is_some()
        && c.command.is_none()
    {
        let original = std::env::var("SSH_ORIGINAL_COMMAND").ok();
        match accounts::session_args(&args, original.as_deref()) {
            Ok(Some(more)) => parsed = parse(&more),
            Ok(None) => {}
            Err(f) => {
                let _ = writeln!(std::io::stderr(), "dudao: {}", sanitize(&f.message));
                return f.code;
            }
        }
    }
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => match msg::arg_error(&e) {
            // In the command line's words; help and the version as clap prints them.
            Some(text) => {
                let _ = writeln!(std::io::stderr(), "{text}");
                return exit::USAGE;
            }
            None => e.exit(),
        },
    };
    quiet_on_closed_pipe();
    let result = dispatch(cli);
    // Every connection is closed by now.
    db::tidy_after_reading();
    match result {
        Ok(code) => code,
        Err(f) => {
            // Never panic on a closed stderr.
            let _ = writeln!(std::io::stderr(), "dudao: {}", sanitize(&f.message));
            f.code
        }
    }
}

fn overrides(cli: &Cli) -> Overrides {
    Overrides {
        config: cli.global.config.clone(),
        no_config: cli.global.no_config,
        theme: cli.global.theme.map(|t| match t {
            crate::cli::Theme::Default => "default".into(),
            crate::cli::Theme::HighContrast => "high-contrast".into(),
        }),
        lang: cli.global.lang.map(|l| match l {
            crate::cli::Lang::Zh => "zh".into(),
            crate::cli::Lang::En => "en".into(),
        }),
        charset: cli.global.charset.map(|c| match c {
            crate::cli::CharsetArg::Utf8 => "utf-8".into(),
            crate::cli::CharsetArg::Gb18030 => "gb18030".into(),
            crate::cli::CharsetArg::Gbk => "gbk".into(),
        }),
        ambiguous_width: cli.global.ambiguous_width,
    }
}

/// The database path: positional argument, else `--db`, else the config.
pub(crate) fn db_path(positional: Option<&PathBuf>, cli: &Cli, settings: &Settings) -> Result<PathBuf, Failure> {
    match (positional.or(cli.db.as_ref()), cli.global.db_flag.as_ref()) {
        (Some(a), Some(b)) if a != b => Err(fail(
            exit::USAGE,
            crate::i18n::fill(
                crate::i18n::cli().two_different_databases_given,
                &[&a.display(), &b.display()],
            ),
        )),
        (Some(p), _) | (None, Some(p)) => Ok(p.clone()),
        (None, None) => Ok(settings.db.0.clone()),
    }
}

/// Opens the database to change it, warning first when it sits on a
/// network or FUSE filesystem (every command that writes comes here).
pub(crate) fn open_for_writing(path: &Path) -> Result<rusqlite::Connection, Failure> {
    // Known before SQLite tries: say whose permission is missing.
    if path.is_file() && !db::writable(path) {
        let me = db::audit::Actor::current();
        return Err(fail(
            exit::DATABASE,
            crate::i18n::fill(
                crate::i18n::cli().cannot_write_this_database,
                &[&path.display(), &me.user],
            ),
        ));
    }
    let conn = db::open(path, Mode::ReadWrite)?;
    warn_network_fs(path);
    Ok(conn)
}

pub(crate) fn warn_network_fs(path: &Path) {
    if let Some(fs) = db::on_network_fs(path) {
        let p = sanitize(&path.display().to_string()).into_owned();
        eprintln!(
            "dudao: {}",
            crate::i18n::fill(crate::i18n::cli().warning_filesystem_sqlite_s, &[&p, &fs])
        );
    }
}

fn dispatch(mut cli: Cli) -> Result<i32, Failure> {
    let settings = config::load(&overrides(&cli)).map_err(|e| {
        fail(
            exit::USAGE,
            crate::i18n::fill(crate::i18n::cli().n_fix_file_start, &[&e]),
        )
    })?;
    // The configuration may name the language too (the command line wins).
    msg::set_zh(settings.lang.0 != "en");
    // A session that runs as a person: who they are, what their role may
    // run, a reporter's view kept to its own unit, an observer's read-only.
    if cli.global.as_person.is_some() {
        let person = accounts::person(&cli, &settings)?;
        // Set first: a refusal below is recorded as theirs.
        db::audit::set_session_person(person.clone());
        accounts::scope(&mut cli, &person, &settings)?;
        accounts::allowed(cli.command.as_ref(), &person, &cli, &settings)?;
        if person.role == crate::domain::account::AccountRole::Observer {
            cli.global.read_only = true;
        }
    }
    if let Some(t) = &cli.global.today {
        parse_day("--today", t)?;
    }
    if cli.global.read_only
        && let Some(name) = cli.command.as_ref().and_then(writes)
    {
        return Err(fail(
            exit::USAGE,
            crate::i18n::fill(crate::i18n::cli().read_only_dudao_changes, &[&name]),
        ));
    }
    match &cli.command {
        None => {
            let path = db_path(None, &cli, &settings)?;
            console(&cli, &settings, &path)
        }
        Some(Command::Init(a)) => init(a, &db_path(a.db.as_ref(), &cli, &settings)?, settings.report_due_day.0),
        Some(Command::Demo(a)) => demo(a),
        Some(Command::Export(a)) => export(a, &db_path(a.db.as_ref(), &cli, &settings)?, &cli, &settings),
        Some(Command::Check(a)) => check(&db_path(a.db.as_ref(), &cli, &settings)?, &a.anchor),
        Some(Command::Backup(a)) => backup::backup(a, &cli, &settings),
        Some(Command::Restore(a)) => backup::restore(a, &cli, &settings),
        Some(Command::Report(c)) => report::run(c, &cli, &settings),
        Some(Command::Import(a)) => intake::import(a, &cli, &settings),
        Some(Command::Template(c)) => intake::template(c, &cli, &settings),
        Some(Command::Authority(c)) => checklist::authority(c, &cli, &settings),
        Some(Command::Measure(c)) => checklist::measure(c, &cli, &settings),
        Some(Command::Remind(a)) => report::remind(a, &cli, &settings),
        Some(Command::Alerts(a)) => alerts::list(a, &cli, &settings),
        Some(Command::Extend(a)) => alerts::extend(a, &cli, &settings),
        Some(Command::Done(a)) => alerts::done(a, &cli, &settings),
        Some(Command::Snooze(a)) => alerts::snooze(a, &cli, &settings),
        Some(Command::Escalate(a)) => alerts::escalate(a, &cli, &settings),
        Some(Command::Notice(a)) => alerts::notice(a, &cli, &settings),
        Some(Command::Task(c)) => tasks::task(c, &cli, &settings),
        Some(Command::Meeting(c)) => meetings::meeting(c, &cli, &settings),
        Some(Command::Account(c)) => accounts::account(c, &cli, &settings),
        Some(Command::Unit(a)) => unit::unit(a, &cli, &settings),
        Some(Command::Review(a)) => review::review(a, &cli, &settings),
        Some(Command::Snapshot(a)) => review::snapshot(a, &cli, &settings),
        Some(Command::Circular(a)) => review::circular(a, &cli, &settings),
        Some(Command::Config) => print_config(&settings, &db_path(None, &cli, &settings)?),
        Some(Command::Completions { shell }) => {
            let mut cmd = Cli::command();
            let shell = match shell {
                crate::cli::Shell::Bash => clap_complete::Shell::Bash,
                crate::cli::Shell::Zsh => clap_complete::Shell::Zsh,
                crate::cli::Shell::Fish => clap_complete::Shell::Fish,
            };
            clap_complete::generate(shell, &mut cmd, "dudao", &mut std::io::stdout());
            Ok(exit::OK)
        }
    }
}

/// The name of a command that writes a database, refused under
/// `--read-only` before any file is opened. (`import` says so itself.)
fn writes(cmd: &Command) -> Option<&'static str> {
    use crate::cli::ReportCommand;
    Some(match cmd {
        Command::Init(_) => "init",
        Command::Demo(_) => "demo",
        Command::Restore(_) => "restore",
        Command::Report(ReportCommand::Accept(_)) => "report accept",
        Command::Report(ReportCommand::Return(_)) => "report return",
        Command::Report(ReportCommand::Note(_)) => "report note",
        Command::Remind(_) => "remind",
        Command::Extend(_) => "extend",
        Command::Done(_) => "done",
        Command::Snooze(_) => "snooze",
        Command::Escalate(_) => "escalate",
        Command::Authority(crate::cli::AuthorityCommand::Add(_)) => "authority add",
        Command::Authority(crate::cli::AuthorityCommand::SetStatus(_)) => "authority set-status",
        Command::Measure(crate::cli::MeasureCommand::Set(_)) => "measure set",
        Command::Snapshot(_) => "snapshot",
        Command::Task(t) => match t {
            crate::cli::TaskCommand::Assign(_) => "task assign",
            crate::cli::TaskCommand::Ack(_) => "task ack",
            crate::cli::TaskCommand::Progress(_) => "task progress",
            crate::cli::TaskCommand::RequestClose(_) => "task request-close",
            crate::cli::TaskCommand::Close(_) => "task close",
            crate::cli::TaskCommand::Return(_) => "task return",
            crate::cli::TaskCommand::Ask(_) => "task ask",
            crate::cli::TaskCommand::Approve(_) => "task approve",
            crate::cli::TaskCommand::Refuse(_) => "task refuse",
            crate::cli::TaskCommand::List(_)
            | crate::cli::TaskCommand::Show(_)
            | crate::cli::TaskCommand::Requests(_)
            | crate::cli::TaskCommand::Notice(_) => return None,
        },
        Command::Account(crate::cli::AccountCommand::List(_)) | Command::Unit(_) => return None,
        Command::Account(_) => "account",
        Command::Meeting(m) => match m {
            crate::cli::MeetingCommand::Plan(_) => "meeting plan",
            crate::cli::MeetingCommand::Agenda(_) => "meeting agenda",
            crate::cli::MeetingCommand::Minutes(_) => "meeting minutes",
            crate::cli::MeetingCommand::Decide(_) => "meeting decide",
            crate::cli::MeetingCommand::List(_) | crate::cli::MeetingCommand::Show(_) => return None,
        },
        Command::Authority(crate::cli::AuthorityCommand::List(_) | crate::cli::AuthorityCommand::Show(_))
        | Command::Measure(crate::cli::MeasureCommand::List(_))
        | Command::Report(ReportCommand::List(_) | ReportCommand::Show(_))
        | Command::Import(_)
        | Command::Export(_)
        | Command::Review(_)
        | Command::Circular(_)
        | Command::Check(_)
        | Command::Backup(_)
        | Command::Template(_)
        | Command::Alerts(_)
        | Command::Notice(_)
        | Command::Config
        | Command::Completions { .. } => return None,
    })
}

fn read_input(path: &Path, what: &str) -> Result<String, Failure> {
    let bytes = std::fs::read(path).map_err(|e| fail(exit::INPUT, format!("{what} {}: {e}", path.display())))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        fail(
            exit::INPUT,
            format!(
                "{what} {}: not UTF-8 text (byte {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn init(a: &InitArgs, path: &Path, due_day: u32) -> Result<i32, Failure> {
    let (text, title) = match &a.policy {
        Some(p) => (read_input(p, "policy")?, a.title.clone()),
        None => (
            policy::BUNDLED_TEXT.to_string(),
            Some(a.title.clone().unwrap_or_else(|| policy::BUNDLED_TITLE.into())),
        ),
    };
    let name = a
        .policy
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "bundled policy".into());
    let parsed = policy::parse(&text, title.as_deref()).map_err(|e| fail(exit::INPUT, format!("{name}: {e}")))?;
    let cat = match &a.units {
        Some(p) => catalog::Catalog::from_toml(&read_input(p, "units")?)
            .map_err(|e| fail(exit::INPUT, format!("{}: {e}", p.display())))?,
        None => catalog::Catalog::bundled(),
    };
    let targets = match &a.targets {
        Some(p) => catalog::Targets::from_toml(&read_input(p, "targets")?)
            .map_err(|e| fail(exit::INPUT, format!("{}: {e}", p.display())))?,
        None => catalog::Targets::bundled(),
    };
    let model = policy::model::build(parsed, &cat, targets);
    const MAX_WARNINGS: usize = 10;
    for w in model.warnings.iter().take(MAX_WARNINGS) {
        eprintln!("dudao: {}{}", msg::warning(), sanitize(w));
    }
    if model.warnings.len() > MAX_WARNINGS {
        let more = model.warnings.len() - MAX_WARNINGS;
        eprintln!(
            "dudao: {}",
            crate::i18n::fill(crate::i18n::cli().more_warnings_2, &[&more])
        );
    }
    let actor = db::audit::Actor::current();
    let at = db::audit::now_utc();
    db::create_atomically(path, |conn| {
        db::write_tx(conn, |tx| {
            db::load::load_model(tx, &model, &actor, &at, due_day)?;
            db::audit::record_baseline(tx, &actor, &at).map(|_| ())
        })
    })?;
    // The audit anchor starts with the database (`dudao check` compares them).
    db::anchor::start(&mut open_for_writing(path)?)?;
    eprintln!(
        "dudao: {}",
        crate::i18n::fill(
            crate::i18n::cli().created_policy,
            &[
                &sanitize(&path.display().to_string()),
                &model.policy.articles.len(),
                &model.units.len(),
                &model.assignments.len()
            ]
        )
    );
    Ok(exit::OK)
}

fn demo(a: &DemoArgs) -> Result<i32, Failure> {
    let as_of = parse_day("--as-of", &a.as_of)?;
    let opts = crate::demo::DemoOptions {
        as_of,
        seed: a.seed,
        scale: a.scale,
    };
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.set_message("unit-months");
        Some(b)
    } else {
        None
    };
    let progress = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let mut stats = None;
    db::create_atomically(&a.out, |conn| {
        stats = Some(crate::demo::generate(conn, opts, &progress)?);
        Ok(())
    })?;
    warn_network_fs(&a.out);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(s) = stats {
        eprintln!(
            "dudao: {}",
            crate::i18n::fill(
                crate::i18n::cli().created_demo,
                &[
                    &sanitize(&a.out.display().to_string()),
                    &s.units,
                    &s.reports,
                    &s.items,
                    &s.authority_items,
                    &s.tasks
                ]
            )
        );
    }
    Ok(exit::OK)
}

fn export(a: &ExportArgs, path: &Path, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let conn = db::open(path, Mode::ReadOnly)?;
    let env = crate::export::Env {
        calendar: settings.calendar().map_err(|e| fail(exit::USAGE, e))?,
        today: today(cli, &conn)?,
        chinese: lang(settings) == crate::i18n::Lang::Zh,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(u) = &a.unit {
        if a.view != crate::export::View::Matrix {
            return Err(fail(exit::USAGE, crate::i18n::cli().unit_with_matrix));
        }
        let unit = db::units::resolve(&conn, u).map_err(|e| flag_failure(exit::INPUT, "--unit", &e))?;
        let rows = db::matrix::unit_focus(&conn, unit.id, crate::domain::Month::of(env.today))?;
        let s = lang(settings).s();
        let human = matches!(a.format, crate::export::Format::Table | crate::export::Format::Md);
        let r = crate::export::unit_focus(&mut out, a.format, &unit.full_name, &rows, s, human);
        return match r.and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(exit::FAILURE, e.to_string())),
            _ => Ok(exit::OK),
        };
    }
    match a.view {
        crate::export::View::Missing => return review::export_missing(&conn, a.format, settings, env.today),
        crate::export::View::Alerts => {
            drop(conn);
            let args = crate::cli::AlertsArgs {
                within: None,
                level: None,
                source: None,
                unit: None,
                all: false,
                format: a.format,
                db: Some(path.to_path_buf()),
            };
            // The same rows as `dudao alerts`; an export succeeds whatever is overdue.
            return alerts::list(&args, cli, settings).map(|c| if c == exit::OVERDUE { exit::OK } else { c });
        }
        _ => {}
    }
    match crate::export::export(&conn, a.view, a.format, &mut out, &env) {
        Err(DbError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(exit::OK),
        r => r?,
    }
    if let Err(e) = out.flush()
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(fail(exit::FAILURE, e.to_string()));
    }
    Ok(exit::OK)
}

fn check(path: &Path, copies: &[PathBuf]) -> Result<i32, Failure> {
    let conn = db::open(path, Mode::ReadOnly)?;
    let mut findings = crate::check::run(&conn)?;
    for copy in copies {
        findings.push(crate::check::anchor_copy(&conn, copy));
    }
    let mut all_ok = true;
    for f in &findings {
        if f.ok() && f.note.is_empty() {
            println!("ok    {}", f.name);
        } else if f.ok() {
            println!("ok    {}: {}", f.name, sanitize(&f.note));
        } else {
            all_ok = false;
            println!("FAIL  {}", f.name);
            for p in &f.problems {
                println!("      {}", sanitize(p));
            }
        }
    }
    Ok(if all_ok { exit::OK } else { exit::FAILURE })
}

fn print_config(s: &Settings, db: &Path) -> Result<i32, Failure> {
    // The keys are checked first, as the console would check them.
    keymap(s)?;
    let zh = msg::zh();
    match &s.file {
        Some((p, true)) => println!(
            "# {}",
            crate::i18n::fill(crate::i18n::cli().config_file, &[&p.display()])
        ),
        Some((p, false)) => println!(
            "# {}",
            crate::i18n::fill(crate::i18n::cli().config_file_not_present, &[&p.display()])
        ),
        None => println!("# {}", crate::i18n::cli().config_file_not_read),
    }
    // Printed as TOML, so the output can be pasted into config.toml.
    let text = |v: &str| toml::Value::String(v.to_string()).to_string();
    let from = |src: &config::Source| -> String {
        match (zh, src) {
            (false, _) => src.to_string(),
            (true, config::Source::Default) => "默认".into(),
            (true, config::Source::CommandLine) => "命令行".into(),
            (true, config::Source::Environment(v)) => format!("环境变量 {v}"),
            (true, config::Source::File(p)) => p.display().to_string(),
        }
    };
    let mut rows = vec![
        (
            "db",
            text(&db.display().to_string()),
            if db == s.db.0 {
                from(&s.db.1)
            } else {
                from(&config::Source::CommandLine)
            },
        ),
        (
            "inbox_dir",
            text(&s.drop_folder(db).0.display().to_string()),
            match &s.inbox_dir.1 {
                config::Source::Default => crate::i18n::cli().default_beside_database_one.to_string().to_string(),
                other => from(other),
            },
        ),
        (
            "report_due_day",
            s.report_due_day.0.to_string(),
            from(&s.report_due_day.1),
        ),
        (
            "alert_yellow_days",
            s.alerts.0.yellow_days.to_string(),
            from(&s.alerts.1),
        ),
        ("alert_blue_days", s.alerts.0.blue_days.to_string(), from(&s.alerts.1)),
        ("task_prefix", text(&s.task_prefix.0), from(&s.task_prefix.1)),
        ("theme", text(&s.theme.0), from(&s.theme.1)),
        ("lang", text(&s.lang.0), from(&s.lang.1)),
        ("charset", text(&s.charset.0), from(&s.charset.1)),
    ];
    match s.ambiguous_width.0 {
        Some(w) => rows.insert(0, ("ambiguous_width", w.to_string(), from(&s.ambiguous_width.1))),
        None => println!("# {}", crate::i18n::cli().ambiguous_width_asked_terminal),
    }
    // Columns line up by display width: paths and values may be Chinese.
    let key_w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let val_w = rows.iter().map(|r| crate::text::width(&r.1)).max().unwrap_or(0).min(60);
    for (k, v, src) in rows {
        let pad = val_w.saturating_sub(crate::text::width(&v));
        println!("{k:<key_w$} = {v}{}  # {src}", " ".repeat(pad));
    }
    if !s.keys.is_empty() {
        let list = |spec: &config::KeySpec| -> String {
            let keys: Vec<String> = spec.keys().iter().map(|k| text(k)).collect();
            format!("[{}]", keys.join(", "))
        };
        println!("\n[keys]  # {}", s.keys_source);
        for (action, spec) in &s.keys {
            if !matches!(spec, config::KeySpec::Scope(_)) {
                println!("{action} = {}", list(spec));
            }
        }
        for (scope, spec) in &s.keys {
            if let config::KeySpec::Scope(inner) = spec {
                println!("\n[keys.{scope}]");
                for (action, spec) in inner {
                    println!("{action} = {}", list(spec));
                }
            }
        }
    }
    Ok(exit::OK)
}

fn console(cli: &Cli, settings: &Settings, path: &Path) -> Result<i32, Failure> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(fail(
            exit::USAGE,
            crate::i18n::cli().console_needs_terminal_stdin.to_string(),
        ));
    }
    let mut mode = if cli.global.read_only {
        Mode::ReadOnly
    } else {
        Mode::ReadWrite
    };
    // A file this user cannot write is opened read-only, and the console says why.
    let forced = mode == Mode::ReadWrite && !db::writable(path);
    if forced {
        mode = Mode::ReadOnly;
    }
    let conn = open_console(path, mode)?;
    warn_network_fs(path);
    let mut deps = console_deps(cli, settings, path, conn, mode)?;
    deps.read_only_forced = forced;
    Ok(crate::tui::run(deps, term_setup(settings))?)
}

/// Opens the console's database. While another program keeps the file
/// locked, the terminal says so (and by whom, when that can be found) and
/// `q`, `Esc` or Ctrl-C gives up at once instead of waiting out the
/// busy timeout on a blank screen.
fn open_console(path: &Path, mode: Mode) -> Result<rusqlite::Connection, Failure> {
    let mut raw = false;
    let mut shown: Option<String> = None;
    let mut gave_up = false;
    let result = db::open_waiting(path, mode, &mut |holder| {
        let who = holder.map(|h| sanitize(&h.to_string()).into_owned());
        if shown.as_ref() != Some(&who.clone().unwrap_or_default()) {
            let line = match &who {
                Some(w) => crate::i18n::fill(
                    crate::i18n::cli().database_locked_by_waiting,
                    &[&w, &(db::BUSY_TIMEOUT_MS / 1000)],
                ),
                None => crate::i18n::fill(
                    crate::i18n::cli().database_locked_by_another,
                    &[&(db::BUSY_TIMEOUT_MS / 1000)],
                ),
            };
            let _ = write!(std::io::stderr(), "\rdudao: {line}\x1b[K");
            shown = Some(who.unwrap_or_default());
        }
        if !raw {
            raw = crossterm::terminal::enable_raw_mode().is_ok();
        }
        if quit_key_waiting() {
            gave_up = true;
            return false;
        }
        true
    });
    if raw {
        let _ = crossterm::terminal::disable_raw_mode();
    }
    if shown.is_some() {
        let _ = writeln!(std::io::stderr());
    }
    match result {
        Err(DbError::Locked(_)) if gave_up => {
            Err(fail(exit::FAILURE, crate::i18n::cli().quit_with_q_nothing.to_string()))
        }
        r => Ok(r?),
    }
}

/// Whether `q`, `Esc` or Ctrl-C is waiting on standard input (in raw mode),
/// read without blocking.
fn quit_key_waiting() -> bool {
    let mut fds = libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one pollfd we own; a zero timeout never blocks.
    if unsafe { libc::poll(&mut fds, 1, 0) } <= 0 {
        return false;
    }
    let mut buf = [0u8; 64];
    // SAFETY: reads at most buf.len() bytes into buf; stdin is ready.
    let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
    n > 0 && buf[..n as usize].iter().any(|b| matches!(b, b'q' | b'Q' | 0x1b | 0x03))
}

/// How the console talks to this terminal, from the settings and the environment.
pub fn term_setup(settings: &Settings) -> crate::tui::TermSetup {
    crate::tui::TermSetup {
        env: crate::tui::term::TermEnv::from_env(&settings.charset.0),
        ambiguous_wide: settings.ambiguous_width.0.map(|w| w == 2),
    }
}

/// The effective keymap; a bad `[keys]` entry is reported with the file and
/// the line it is on.
fn keymap(settings: &Settings) -> Result<crate::tui::keymap::Keymap, Failure> {
    crate::tui::keymap::Keymap::with_overrides(&settings.keys).map_err(|e| {
        let place = match &settings.file {
            Some((path, true)) => {
                let line = settings
                    .keys
                    .keys()
                    .find(|k| e.contains(&format!("{k:?}")) || e.contains(&format!(" {k}")))
                    .and_then(|k| config::line_of_key(path, "keys", k));
                match line {
                    Some(n) => format!("{}: line {n}: ", path.display()),
                    None => format!("{}: ", path.display()),
                }
            }
            _ => String::new(),
        };
        fail(exit::USAGE, format!("{place}{e}"))
    })
}

/// "Today": `--today`, else the date a sample database was made for, else
/// the real date.
pub fn today(cli: &Cli, conn: &rusqlite::Connection) -> Result<chrono::NaiveDate, Failure> {
    today_and_whether_set(cli, conn).map(|(d, _)| d)
}

/// [`today`], and whether it was set (by `--today` or the database) rather
/// than read off the clock: the console then says so.
pub fn today_and_whether_set(cli: &Cli, conn: &rusqlite::Connection) -> Result<(chrono::NaiveDate, bool), Failure> {
    Ok(match &cli.global.today {
        Some(t) => (parse_day("--today", t)?, true),
        None => match db::meta(conn, "demo_as_of")?.and_then(|d| parse_date(&d).ok()) {
            Some(d) => (d, true),
            None => (chrono::Local::now().date_naive(), false),
        },
    })
}

/// Who sends notices, from the settings.
pub fn office(settings: &Settings) -> crate::notice::Office {
    crate::notice::Office {
        name: settings.office_name.0.clone(),
        contact: settings.office_contact.0.clone(),
        notices_dir: settings.notices_dir.0.clone(),
    }
}

/// The interface language of the settings.
pub fn lang(settings: &Settings) -> crate::i18n::Lang {
    if settings.lang.0 == "en" {
        crate::i18n::Lang::En
    } else {
        crate::i18n::Lang::Zh
    }
}

/// Everything the console needs, from the command line, config and database.
pub fn console_deps(
    cli: &Cli,
    settings: &Settings,
    path: &Path,
    conn: rusqlite::Connection,
    mode: Mode,
) -> Result<crate::tui::app::Deps, Failure> {
    use crate::i18n::Lang;
    use crate::tui::theme::{Theme, ThemeKind};
    let (today, today_set) = today_and_whether_set(cli, &conn)?;
    let keymap = keymap(settings)?;
    // The database's due day is the office's; the config only seeds `init`.
    let report_due_day = db::meta(&conn, "report_due_day")?
        .and_then(|d| d.parse().ok())
        .unwrap_or(settings.report_due_day.0);
    let policy = settings
        .alert_policy(report_due_day)
        .map_err(|e| fail(exit::USAGE, e))?;
    // NO_COLOR, or a terminal without colours (TERM=dumb, vt100).
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || term_setup(settings).env.colors == crate::tui::term::ColorDepth::None;
    let kind = if settings.theme.0 == "high-contrast" {
        ThemeKind::HighContrast
    } else {
        ThemeKind::Default
    };
    Ok(crate::tui::app::Deps {
        conn,
        path: path.to_path_buf(),
        db_label: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        read_only: mode == Mode::ReadOnly,
        read_only_forced: false,
        today,
        today_set,
        lang: if settings.lang.0 == "en" { Lang::En } else { Lang::Zh },
        theme: {
            let t = Theme::new(kind, no_color);
            if term_setup(settings).env.linux_console {
                t.on_linux_console()
            } else {
                t
            }
        },
        keymap,
        policy,
        actor: db::audit::Actor::current(),
        office: office(settings),
        // The drop folder is watched when it is configured (and made if
        // missing) or when the default one exists; opening the console never
        // creates folders nobody asked for.
        inbox_dir: match settings.drop_folder(path) {
            (dir, config::Source::Default) if !dir.is_dir() => None,
            (dir, _) => Some(dir),
        },
        drop_folder: settings.drop_folder(path).0,
    })
}
