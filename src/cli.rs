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
    /// An input file (policy, units, targets) was refused.
    pub const INPUT: i32 = 4;
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
    Check(DbArg),
    /// Print the effective settings and where each came from.
    Config,
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Debug, Args)]
pub struct DbArg {
    /// Database file.
    #[arg(value_name = "DB")]
    pub db: Option<PathBuf>,
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
