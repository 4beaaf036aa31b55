//! Command-line definitions (clap). They also feed the man page test and
//! shell completions. Handlers live in [`crate::run`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::export::{Format, View};

/// Exit codes, documented in the man page.
pub mod exit {
    /// Success; `check` found nothing wrong.
    pub const OK: i32 = 0;
    /// `check` found problems, or a command failed for another reason.
    pub const FAILURE: i32 = 1;
    /// Bad command line, bad configuration, or no terminal for the console.
    pub const USAGE: i32 = 2;
    /// The database could not be opened (missing, not a database, damaged,
    /// too new) or would have been overwritten.
    pub const DATABASE: i32 = 3;
    /// An input file (policy, units, targets), id or value was refused.
    pub const INPUT: i32 = 4;
    /// `alerts`: something is overdue (for cron). Used for nothing else.
    pub const OVERDUE: i32 = 5;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Theme {
    Default,
    HighContrast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// 督导 dudao: supervise the Tibet 双创 policy from a terminal.
///
/// With a database path (or the configured one) and no command, opens the
/// console. Commands make the same data scriptable.
#[derive(Debug, Parser)]
#[command(name = "dudao", version, about, long_about, propagate_version = true)]
pub struct Cli {
    /// Database file for the console (default: the config's `db`, else
    /// <data dir>/dudao/dudao.db).
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,

    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command accepts.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Database file (same as the DB argument).
    #[arg(long = "db", value_name = "PATH", global = true)]
    pub db_flag: Option<PathBuf>,
    /// Configuration file (default: <config dir>/dudao/config.toml).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Ignore the configuration file; use defaults.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
    /// Language of the interface.
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,
    /// Colour theme (NO_COLOR is honoured either way).
    #[arg(long, value_enum, global = true)]
    pub theme: Option<Theme>,
    /// Treat this date as today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", global = true)]
    pub today: Option<String>,
    /// Open the database read-only: nothing can be changed.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Run as this person: the account in the database decides what they
    /// may do. Set by the forced command of the person's SSH key line,
    /// which also fixes the database; a command given on the ssh line
    /// (SSH_ORIGINAL_COMMAND) then runs as them, and with none the console opens.
    #[arg(long = "as", value_name = "NAME", global = true)]
    pub as_person: Option<String>,
    /// The fingerprint of the SSH key the session came in by (written into
    /// the key line by `dudao account`; recorded in the audit log).
    #[arg(long = "key-fp", value_name = "FP", global = true, requires = "as_person")]
    pub key_fp: Option<String>,
    /// The terminal's character set (default: the locale's; GBK clients
    /// such as Xshell need gbk or gb18030).
    #[arg(long, value_enum, global = true)]
    pub charset: Option<CharsetArg>,
    /// How many cells the terminal draws East Asian ambiguous characters
    /// (● · “ ” — … box lines) in: 1 or 2 (default: asked of the terminal).
    #[arg(long, value_name = "N", global = true, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub ambiguous_width: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CharsetArg {
    #[value(name = "utf-8")]
    Utf8,
    Gb18030,
    /// GBK only (GB2312 and its extension): characters GBK lacks are
    /// drawn as GBK stand-ins.
    Gbk,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new database from a policy text (never overwrites a file).
    Init(InitArgs),
    /// Create a deterministic sample database.
    Demo(DemoArgs),
    /// Write a view of the database to stdout.
    Export(ExportArgs),
    /// Check integrity and the app's invariants; exit 0 only when all pass.
    Check(CheckArgs),
    /// Copy the database while others keep working (SQLite's online backup),
    /// with its audit anchor; the copy is checked.
    Backup(BackupArgs),
    /// Replace the database with a backup, after confirmation, when nobody
    /// has it open (the file replaced is kept beside it).
    Restore(RestoreArgs),
    /// Monthly reports: list (missing ones too), show, accept, return, note.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Import report files (TOML, JSON, CSV indicator tables); with no
    /// FILE, the files waiting in the drop folder (exit 4 when any is refused).
    Import(ImportArgs),
    /// Print a template of a report file.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// The delegated-authority checklist (授权事项清单): list, show, add, set-status.
    #[command(subcommand)]
    Authority(AuthorityCommand),
    /// Measures (the tasks of each article): list, set due date, status, owners.
    #[command(subcommand)]
    Measure(MeasureCommand),
    /// Record a reminder (催办) about overdue items (reports, measures, …).
    Remind(RemindArgs),
    /// Deadline alerts: overdue and upcoming items (exit 5 when any is overdue).
    Alerts(AlertsArgs),
    /// Extend an item's due date (延期), with a reason.
    Extend(ExtendArgs),
    /// Mark an item done (办结).
    Done(DoneArgs),
    /// Hide an item from the alerts until a date.
    Snooze(SnoozeArgs),
    /// Escalate an item to the leading group (listed for its next review).
    Escalate(EscalateArgs),
    /// Print the reminder notice (催办通知单) of an item.
    Notice(NoticeArgs),
    /// 督办: tasks from meeting decisions, leaders' 批示 and the office's own
    /// 立项, through 交办 → 签收 → 反馈 → 申请办结 → 销号; units' requests;
    /// graded notices (督办单).
    #[command(subcommand)]
    Task(TaskCommand),
    /// The leading group's meetings: plan, agenda (议题), minutes, 议定事项.
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// People who reach the database over SSH, their roles and keys; writes
    /// their key lines (forced commands) into the service account's
    /// authorized_keys.
    #[command(subcommand)]
    Account(AccountCommand),
    /// A unit's own page: what it owes this month, what is overdue, returned
    /// reports with the office's reasons, reminders received, open tasks,
    /// its on-time record.
    Unit(UnitArgs),
    /// The quarterly review (季度审议): full-screen read-only pages for the
    /// meeting room, or the same pages as a document (--export).
    Review(ReviewArgs),
    /// Freeze a finished quarter's figures, so later reviews compare
    /// against what was reported then (default: the last finished quarter).
    Snapshot(SnapshotArgs),
    /// The quarter's 通报 (circular) from the template in assets/: ranking,
    /// overdue list, escalated items.
    Circular(CircularArgs),
    /// Print the effective settings and where each came from.
    Config,
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
    /// Also compare the audit log with a copy of its anchor kept elsewhere
    /// (an older DB.audit-head, or `journalctl -t dudao-audit -o cat`);
    /// repeatable.
    #[arg(long, value_name = "FILE")]
    pub anchor: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The copy to write (never overwritten); an existing folder gets
    /// NAME-YYYYMMDD-HHMMSS.db inside it.
    #[arg(value_name = "DEST")]
    pub dest: PathBuf,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore (it must pass `dudao check`).
    #[arg(value_name = "SRC")]
    pub src: PathBuf,
    /// Database file to replace.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
    /// Do not ask (for scripts); without it a terminal is needed to confirm.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Policy text to read (default: the bundled 2021 policy).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Policy title (default: the bundled title, or guessed from the text).
    #[arg(long)]
    pub title: Option<String>,
    /// Unit catalog (default: the bundled assets/units.toml).
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// Targets file (default: the bundled assets/targets.toml).
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// The new database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The sample's "today": reports run through the month before it.
    #[arg(long, value_name = "DATE", default_value = "2026-11-30")]
    pub as_of: String,
    /// Seed of the generator; the same seed gives the same rows.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Multiply the reporting units (synthetic copies) for benchmarks.
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub scale: u32,
    /// The new database file (must not exist).
    #[arg(long, value_name = "DB")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    pub view: View,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// `matrix` only: what this unit owes — the articles it is named in,
    /// with its role, status and open measures.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

/// A quarter such as 2026Q3.
fn quarter_arg(s: &str) -> Result<crate::domain::Quarter, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// Markdown, for the minutes.
    Md,
    /// One self-contained HTML file (inline CSS and SVG, no script) that prints on A4.
    Html,
    /// CSV of each table (stable English keys).
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewTable {
    Headline,
    Targets,
    Units,
    Ranking,
    Checklist,
    Escalated,
    Compare,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The quarter (default: the one containing today).
    #[arg(long, value_name = "QUARTER", value_parser = quarter_arg)]
    pub quarter: Option<crate::domain::Quarter>,
    /// Advance to the next page every SECONDS (any key pauses; p resumes).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub kiosk: Option<u64>,
    /// Write the pages to stdout as a document instead of showing them.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub export: Option<DocFormat>,
    /// With --export csv: only this table (default: every table, each
    /// after a `# name` line).
    #[arg(long, value_enum, requires = "export")]
    pub table: Option<ReviewTable>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The quarter to freeze (default: the last finished quarter).
    #[arg(long, value_name = "QUARTER", value_parser = quarter_arg)]
    pub quarter: Option<crate::domain::Quarter>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CircularFormat {
    /// Markdown text.
    Md,
    /// A Word document (binary: redirect standard output to a file).
    Docx,
}

#[derive(Debug, Args)]
pub struct CircularArgs {
    /// The quarter (default: the last finished quarter).
    #[arg(long, value_name = "QUARTER", value_parser = quarter_arg)]
    pub quarter: Option<crate::domain::Quarter>,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: CircularFormat,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AuthorityCommand {
    /// Items, by zone and domain, with status, 文号 and dates.
    List(AuthorityListArgs),
    /// One item with its history of status changes.
    Show(AuthorityShowArgs),
    /// A new item (拟下放 from today).
    Add(AuthorityAddArgs),
    /// Move an item along 拟下放 → 已报批 → 已批准 → 已下放 → 已承接, or to
    /// 暂缓 or 收回 (已下放 needs --doc-no; 暂缓 and 收回 need --note).
    SetStatus(SetStatusArgs),
}

#[derive(Debug, Args)]
pub struct AuthorityListArgs {
    /// Only this zone (name, short name or alias).
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// Only this domain (code such as talent, or its name such as 人才引进).
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,
    /// Only this status (code such as delegated, or its name such as 已下放).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuthorityShowArgs {
    /// The item: A3 (or 3).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuthorityAddArgs {
    /// The high-tech zone (name, short name or alias).
    #[arg(long, value_name = "ZONE")]
    pub zone: String,
    /// The domain of article 16 (code or name: sci_tech 科技创新, planning 发展规划, …).
    #[arg(long, value_name = "DOMAIN")]
    pub domain: String,
    /// region (自治区级) or prefecture (地（市）级).
    #[arg(long, value_name = "LEVEL")]
    pub level: String,
    /// What power is delegated.
    #[arg(long, value_name = "TEXT")]
    pub name: String,
    /// The granting department (name, short name or alias).
    #[arg(long, value_name = "UNIT")]
    pub grantor: Option<String>,
    /// When it should be delegated (2027-03-31, +90, …).
    #[arg(long, value_name = "DATE")]
    pub due: Option<String>,
    /// A note.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SetStatusArgs {
    /// The item: A3 (or 3).
    #[arg(value_name = "ID")]
    pub id: String,
    /// The new status: proposed 拟下放, submitted 已报批, approved 已批准,
    /// delegated 已下放, undertaken 已承接, suspended 暂缓, revoked 收回.
    #[arg(value_name = "STATUS")]
    pub status: String,
    /// The document number (文号); needed for 已下放.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub doc_no: String,
    /// When it took effect (default: today; not after today).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// A note; the reason for 暂缓 and 收回.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum MeasureCommand {
    /// Measures with article, owners, due date and status, each with its id (M5).
    List(MeasureListArgs),
    /// Set a measure's due date, status and owners.
    Set(MeasureSetArgs),
}

#[derive(Debug, Args)]
pub struct MeasureListArgs {
    /// Only this article's measures.
    #[arg(long, value_name = "N")]
    pub article: Option<i64>,
    /// Only the measures this unit owns.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Only open measures.
    #[arg(long)]
    pub open: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeasureStatusArg {
    Open,
    Done,
}

#[derive(Debug, Args)]
pub struct MeasureSetArgs {
    /// The measure: M5 (or 5).
    #[arg(value_name = "ID")]
    pub id: String,
    /// The due date (2027-06-30, +90, …), or `none`.
    #[arg(long, value_name = "DATE")]
    pub due: Option<String>,
    /// open, or done (on --done-date, default today).
    #[arg(long, value_enum)]
    pub status: Option<MeasureStatusArg>,
    /// When it was done (with --status done).
    #[arg(long, value_name = "DATE")]
    pub done_date: Option<String>,
    /// The owners (repeat, or separate with commas): lead or partner units of the article.
    #[arg(long = "owner", value_name = "UNIT", value_delimiter = ',')]
    pub owners: Vec<String>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Expected reports of a month, received or not, each with its id.
    List(ReportListArgs),
    /// One report: progress, indicators, reminders, notes, history.
    Show(ShowArgs),
    /// Accept reports (已阅).
    Accept(IdsArgs),
    /// Return a report for revision (退回), with a reason.
    Return(ReturnArgs),
    /// Add a note to a report (received or not).
    Note(NoteArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Report files. A file in the drop folder is moved to its processed/
    /// or quarantine/ folder; a file elsewhere stays and a copy is kept
    /// there. `-`: one file on standard input (`ssh host import - < file`).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Keep watching the drop folder and import each file that arrives
    /// (for a service); stops on Ctrl-C or SIGTERM.
    #[arg(long, conflicts_with = "files")]
    pub watch: bool,
    /// The drop folder (default: the config's inbox_dir).
    #[arg(long, value_name = "DIR")]
    pub inbox: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// A monthly report: the bundled example, or a unit's own template
    /// with its articles and indicators (--unit).
    Report(TemplateArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    Toml,
    Json,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// File format.
    #[arg(long, value_enum, default_value = "toml")]
    pub format: TemplateFormat,
    /// Pre-fill for this unit (name, short name or alias): its articles and
    /// indicators. Reads the database.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// The month reported on (YYYY-MM; default: last month). With --unit.
    #[arg(long, value_name = "MONTH", requires = "unit")]
    pub month: Option<String>,
    /// Database file (read for --unit), as every command takes it.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

/// Inbox statuses as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    /// 待报: not received, not yet due.
    Pending,
    /// 逾期未报: not received, past due.
    Missing,
    /// 未阅: received on time, not read.
    New,
    /// 补报: received late, not read.
    Late,
    /// 已阅: accepted.
    Accepted,
    /// 退回: returned.
    Returned,
    /// 已办结: settled without arriving (marked done).
    Closed,
}

#[derive(Debug, Args)]
pub struct ReportListArgs {
    /// Month (YYYY-MM; default: the month whose reports are due now).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// Only reports in this state.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only this unit (name, short name or alias).
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

/// How `show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The report: R12-2026-10 (as `report list` prints) or UNIT/MONTH.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IdsArgs {
    /// Items (R12-2026-10, UNIT/MONTH, …); a last argument that names an
    /// existing file is the database.
    #[arg(value_name = "ID", required = true, num_args = 1..)]
    pub ids: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ReturnArgs {
    /// The report: R12-2026-10 or UNIT/MONTH.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Why it goes back (required).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Date by which it must come back (default: today + 5 days; also 12-05, +7).
    #[arg(long, value_name = "DATE")]
    pub resubmit_by: Option<String>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// The item: R12-2026-10, UNIT/MONTH, M5, A3, G2.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The note.
    #[arg(long, value_name = "TEXT")]
    pub text: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

/// How a reminder was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    /// 电话
    Phone,
    /// 通知单
    Notice,
    /// 会议
    Meeting,
    /// 系统
    System,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Items to chase: R12-2026-10, UNIT/MONTH, M5, A3, G2; a last argument
    /// that names an existing file is the database.
    #[arg(value_name = "ID", required = true, num_args = 1..)]
    pub ids: Vec<String>,
    /// How the reminder was given.
    #[arg(long, value_enum, default_value = "system")]
    pub channel: ChannelArg,
    /// A note (e.g. who was spoken to).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
}

/// Alert levels on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    /// Past due (red and circular).
    Overdue,
    /// 通报: raised past red by unanswered reminders.
    Circular,
    Red,
    Yellow,
    Blue,
}

/// Alert sources on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// A monthly report not received.
    Report,
    /// A returned report awaiting resubmission.
    Resubmission,
    /// A measure (task) of an article.
    Measure,
    /// A delegated-authority item.
    Authority,
    /// Preparing a leading-group meeting.
    Meeting,
    /// A policy milestone.
    Milestone,
}

#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// Items due within this many days (overdue ones always; default: the
    /// blue threshold, 30).
    #[arg(long, value_name = "DAYS")]
    pub within: Option<i64>,
    /// Only this level.
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Only this source.
    #[arg(long, value_enum)]
    pub source: Option<SourceArg>,
    /// Only items of this unit (name, short name or alias).
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Snoozed items and items due later too.
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExtendArgs {
    /// The item: R12-2026-10, UNIT/MONTH, M5, A3.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The new due date (2026-12-31, 12-31, +14).
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// Why (required).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Confirms extending an item already past its due date (recorded as late).
    #[arg(long)]
    pub late: bool,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The item: R12-2026-10, UNIT/MONTH, M5, G2, P1.
    #[arg(value_name = "ID")]
    pub id: String,
    /// A note on how it was settled.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// The item.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Until this date (2026-12-07, 12-07, +7); `none` wakes it now.
    #[arg(long, value_name = "DATE")]
    pub until: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EscalateArgs {
    /// The item.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Why it goes to the leading group.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// Take the escalation back instead.
    #[arg(long)]
    pub withdraw: bool,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NoticeArgs {
    /// The item.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Save it to this file (never over an existing one) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Tasks, newest first, with 督办编号, lead unit, due date, state.
    List(TaskListArgs),
    /// One task with its origin, units, the loop's steps and requests.
    Show(TaskIdArgs),
    /// Assign a task (交办) with the next 督办编号 of the year.
    Assign(TaskAssignArgs),
    /// The lead unit acknowledges the task (签收).
    Ack(TaskStepArgs),
    /// A unit reports progress (反馈); --text is required.
    Progress(TaskStepArgs),
    /// The lead unit asks to close the task (申请办结).
    RequestClose(TaskStepArgs),
    /// The office closes a task whose unit asked to (办结销号).
    Close(TaskStepArgs),
    /// The office returns a request to close (退回重办); --text gives the reason.
    Return(TaskStepArgs),
    /// A unit asks for a later deadline (--extend-to) or another wording (--wording).
    Ask(TaskAskArgs),
    /// Requests waiting for the office's answer.
    Requests(TaskRequestsArgs),
    /// Approve a request (the deadline or wording changes).
    Approve(TaskDecideArgs),
    /// Refuse a request (--note gives the reason).
    Refuse(TaskDecideArgs),
    /// Graded notices (督办单): 蓝 approaching, 黄 behind, 红 overdue; one
    /// task, or every open task at a grade or above.
    Notice(TaskNoticeArgs),
}

#[derive(Debug, Args)]
pub struct TaskListArgs {
    /// Only tasks not closed.
    #[arg(long)]
    pub open: bool,
    /// Only tasks of this unit (lead or partner).
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Only tasks of this year (by 督办编号).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Only tasks in this state (assigned 已交办, acknowledged 已签收,
    /// in_progress 办理中, close_requested 申请办结, returned 退回重办, closed 已办结).
    #[arg(long, value_name = "STATE")]
    pub state: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TaskIdArgs {
    /// The task: D7, 7, or its 督办编号 (双创督〔2026〕7号).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TaskAssignArgs {
    /// A short title.
    #[arg(long, value_name = "TEXT")]
    pub title: String,
    /// What is to be done.
    #[arg(long, value_name = "TEXT")]
    pub text: String,
    /// The lead unit (name, short name or alias).
    #[arg(long, value_name = "UNIT")]
    pub lead: String,
    /// A partner unit; repeatable.
    #[arg(long, value_name = "UNIT")]
    pub partner: Vec<String>,
    /// The deadline (2027-03-31, +30, …).
    #[arg(long, value_name = "DATE", conflicts_with = "within")]
    pub due: Option<String>,
    /// The deadline as working days from today.
    #[arg(long, value_name = "DAYS")]
    pub within: Option<u32>,
    /// 分管领导, copied on yellow and red notices.
    #[arg(long, value_name = "NAME", default_value = "")]
    pub leader: String,
    /// From this decision of a meeting (its id, as `meeting show` lists it).
    #[arg(long, value_name = "ID", conflicts_with_all = ["instruction", "instruction_by"])]
    pub decision: Option<i64>,
    /// From a 批示 recorded before (its id, as `task show` lists it).
    #[arg(long, value_name = "ID", conflicts_with = "instruction_by")]
    pub instruction: Option<i64>,
    /// From a new 批示: who wrote it.
    #[arg(long, value_name = "NAME", requires_all = ["instruction_date", "instruction_text"])]
    pub instruction_by: Option<String>,
    /// The new 批示's date.
    #[arg(long, value_name = "DATE")]
    pub instruction_date: Option<String>,
    /// The new 批示's words.
    #[arg(long, value_name = "TEXT")]
    pub instruction_text: Option<String>,
    /// The document the 批示 was written on.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub instruction_document: String,
    /// That document's number (文号).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub instruction_doc_no: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TaskStepArgs {
    /// The task: D7, 7, or its 督办编号.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The unit acting (default: the lead unit).
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// When it happened (default: today).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// What was reported, the reason, or a note.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub text: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TaskAskArgs {
    /// The task: D7, 7, or its 督办编号.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The unit asking (default: the lead unit).
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// A later deadline.
    #[arg(
        long,
        value_name = "DATE",
        required_unless_present = "wording",
        conflicts_with = "wording"
    )]
    pub extend_to: Option<String>,
    /// Another wording of the task.
    #[arg(long, value_name = "TEXT")]
    pub wording: Option<String>,
    /// Why (required).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TaskRequestsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TaskDecideArgs {
    /// The request (its number, as `task requests` lists it).
    #[arg(value_name = "REQUEST")]
    pub request: i64,
    /// The office's note (required to refuse).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

/// A 督办单's grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GradeArg {
    /// 蓝色: the deadline is near.
    Blue,
    /// 黄色: behind (near the deadline, or reminded without answer).
    Yellow,
    /// 红色: overdue.
    Red,
}

/// How a document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NoticeFormat {
    Text,
    Md,
    Docx,
}

#[derive(Debug, Args)]
pub struct TaskNoticeArgs {
    /// Tasks (D7, 7 or 督办编号); none: every open task at --grade or
    /// above. A last argument that names an existing file is the database.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// The lowest grade to write notices for (with no ID).
    #[arg(long, value_enum, default_value = "blue")]
    pub grade: GradeArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: NoticeFormat,
    /// Write one file per notice into this folder (never over an existing file).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Meetings, newest first.
    List(MeetingListArgs),
    /// One meeting: agenda, minutes and 议定事项 (as text, Markdown or Word).
    Show(MeetingShowArgs),
    /// Plan a meeting.
    Plan(MeetingPlanArgs),
    /// Add an agenda item (议题) to a planned meeting.
    Agenda(MeetingAgendaArgs),
    /// Record that a meeting was held, and who attended.
    Minutes(MeetingMinutesArgs),
    /// Record a 议定事项 of a held meeting.
    Decide(MeetingDecideArgs),
}

#[derive(Debug, Args)]
pub struct MeetingListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MeetingShowArgs {
    /// The meeting: G3 or 3.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Output format (the minutes as a document: md or docx).
    #[arg(long, value_enum, default_value = "text")]
    pub format: NoticeFormat,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MeetingPlanArgs {
    /// The day it meets.
    #[arg(long, value_name = "DATE")]
    pub date: String,
    /// Its title (自治区推进“双创”领导小组2027年第一季度会议).
    #[arg(long, value_name = "TEXT")]
    pub title: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MeetingAgendaArgs {
    /// The meeting: G3 or 3.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The 议题.
    #[arg(long, value_name = "TEXT")]
    pub title: String,
    /// The unit that submitted it for 审定.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// The escalated item it comes from (M5, A3, D7, …).
    #[arg(long, value_name = "ID")]
    pub item: Option<String>,
    /// A note.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MeetingMinutesArgs {
    /// The meeting: G3 or 3.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The day it was held (default: its planned day).
    #[arg(long, value_name = "DATE")]
    pub held_on: Option<String>,
    /// Who attended: names separated by 、 or commas, or one per line.
    #[arg(long, value_name = "NAMES")]
    pub attendees: String,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MeetingDecideArgs {
    /// The meeting: G3 or 3.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The 议定事项.
    #[arg(long, value_name = "TEXT")]
    pub text: String,
    /// The agenda item it settles (its number on the agenda).
    #[arg(long, value_name = "N")]
    pub agenda: Option<i64>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

/// A role, as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    /// 主任: sign off, escalate, the 通报, accounts.
    Director,
    /// 工作人员: the daily work.
    Staff,
    /// 观察员: reads only.
    Observer,
    /// 单位填报员: one unit's reports and tasks (needs --unit).
    Reporter,
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Accounts with their role, unit and keys.
    List(AccountListArgs),
    /// Add a person (with --key, their SSH public key).
    Add(AccountAddArgs),
    /// Add an SSH public key to a person.
    Key(AccountKeyArgs),
    /// Change a person's role (and unit).
    Role(AccountRoleArgs),
    /// Disable a person: their key lines are removed.
    Disable(AccountNameArgs),
    /// Enable a disabled person again.
    Enable(AccountNameArgs),
}

#[derive(Debug, Args)]
pub struct AccountListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AccountAddArgs {
    /// The person's name (as the audit log will show it).
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Their role.
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// A reporter's unit.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Their SSH public key (a .pub file, one line).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// The authorized_keys file to write (default: ~/.ssh/authorized_keys
    /// of the user running dudao, the service account).
    #[arg(long, value_name = "FILE")]
    pub keys_file: Option<PathBuf>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AccountKeyArgs {
    /// The person's name.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Their SSH public key (a .pub file, one line).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// The authorized_keys file to write.
    #[arg(long, value_name = "FILE")]
    pub keys_file: Option<PathBuf>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AccountRoleArgs {
    /// The person's name.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The new role.
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// A reporter's unit.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// The authorized_keys file to write.
    #[arg(long, value_name = "FILE")]
    pub keys_file: Option<PathBuf>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AccountNameArgs {
    /// The person's name.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The authorized_keys file to write.
    #[arg(long, value_name = "FILE")]
    pub keys_file: Option<PathBuf>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct UnitArgs {
    /// The unit (name, short name or alias); a unit's reporter sees its own.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
}

impl Cli {
    /// All subcommand names and long flags, for the man-page test.
    pub fn command() -> clap::Command {
        <Cli as clap::CommandFactory>::command()
    }
}
