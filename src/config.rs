//! `config.toml` in the user config folder: settings that override defaults
//! only where they are named, and where each effective value came from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::AlertThresholds;

/// The file as written; every field optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Database used when no path is given.
    pub db: Option<PathBuf>,
    /// Folder where units drop report files.
    pub inbox_dir: Option<PathBuf>,
    /// Day of the following month on which a monthly report is due.
    pub report_due_day: Option<u32>,
    /// Days before a due date at which an item turns yellow.
    pub alert_yellow_days: Option<i64>,
    /// Days before a due date at which an item turns blue.
    pub alert_blue_days: Option<i64>,
    /// Count working days (China's calendar) instead of calendar days.
    pub working_days: Option<bool>,
    /// A holidays file whose years replace the bundled ones.
    pub holidays_file: Option<PathBuf>,
    /// Days a reminder stays unanswered before it raises an alert a step.
    pub reminder_wait_days: Option<i64>,
    /// The steps reminders raise an alert through, lowest first.
    pub alert_ladder: Option<Vec<String>>,
    /// Days before a leading-group meeting that its materials are due.
    pub meeting_prep_days: Option<i64>,
    /// The office's name, for notices (催办通知单).
    pub office_name: Option<String>,
    /// The office's contact person and phone, for notices.
    pub office_contact: Option<String>,
    /// Folder where notices are saved.
    pub notices_dir: Option<PathBuf>,
    /// The prefix of 督办编号 (`双创督` gives 双创督〔2026〕12号).
    pub task_prefix: Option<String>,
    /// `default` or `high-contrast`.
    pub theme: Option<String>,
    /// `zh` or `en`.
    pub lang: Option<String>,
    /// The terminal's charset: `utf-8`, `gb18030` or `gbk` (default: the locale's).
    pub charset: Option<String>,
    /// How wide the terminal draws East Asian ambiguous characters, 1 or 2
    /// (default: asked of the terminal at start).
    pub ambiguous_width: Option<u8>,
    /// Action name → key or list of keys.
    #[serde(default)]
    pub keys: BTreeMap<String, KeySpec>,
}

/// One key (`"x"`) or several (`["x", "ctrl-x"]`); or, as `[keys.form]`,
/// the bindings of one overlay or pane.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum KeySpec {
    One(String),
    Many(Vec<String>),
    Scope(BTreeMap<String, KeySpec>),
}

impl KeySpec {
    /// The keys named (none for a scope table).
    pub fn keys(&self) -> Vec<String> {
        match self {
            KeySpec::One(k) => vec![k.clone()],
            KeySpec::Many(v) => v.clone(),
            KeySpec::Scope(_) => Vec::new(),
        }
    }
}

/// Where an effective setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    CommandLine,
    Environment(&'static str),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Default => write!(f, "default"),
            Source::File(p) => write!(f, "{}", p.display()),
            Source::CommandLine => write!(f, "command line"),
            Source::Environment(v) => write!(f, "environment {v}"),
        }
    }
}

/// Effective settings with their sources.
#[derive(Debug, Clone)]
pub struct Settings {
    pub db: (PathBuf, Source),
    pub inbox_dir: (PathBuf, Source),
    pub report_due_day: (u32, Source),
    pub alerts: (AlertThresholds, Source),
    pub working_days: (bool, Source),
    pub holidays_file: (Option<PathBuf>, Source),
    pub reminder_wait_days: (i64, Source),
    pub alert_ladder: (Vec<String>, Source),
    pub meeting_prep_days: (i64, Source),
    pub office_name: (String, Source),
    pub office_contact: (String, Source),
    pub notices_dir: (PathBuf, Source),
    pub task_prefix: (String, Source),
    pub theme: (String, Source),
    pub lang: (String, Source),
    /// `auto` (the locale's), `utf-8` or `gb18030`.
    pub charset: (String, Source),
    /// 1, 2, or `None`: ask the terminal.
    pub ambiguous_width: (Option<u8>, Source),
    pub keys: BTreeMap<String, KeySpec>,
    pub keys_source: Source,
    /// The config file looked at, and whether it existed.
    pub file: Option<(PathBuf, bool)>,
}

/// Default config file location: `<config dir>/dudao/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("dudao").join("config.toml"))
}

/// The drop folder a database has when none is configured: beside it,
/// named after it (`/srv/dudao/dudao.db` → `/srv/dudao/dudao.db.inbox`),
/// so files meant for one database never reach another.
pub fn drop_folder_beside(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".inbox");
    PathBuf::from(p)
}

impl Settings {
    /// The drop folder of the database at `db`: `inbox_dir` when it is
    /// set, else the database's own ([`drop_folder_beside`]).
    pub fn drop_folder(&self, db: &Path) -> (PathBuf, Source) {
        match &self.inbox_dir {
            (_, Source::Default) => (drop_folder_beside(db), Source::Default),
            (dir, src) => (dir.clone(), src.clone()),
        }
    }
}

fn data_dir() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("dudao")
}

/// The 1-based line of `key = …` inside `[table]` of a config file.
pub fn line_of_key(path: &Path, table: &str, key: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut in_table = false;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            in_table = t.trim_matches(['[', ']', ' ']) == table;
        } else if in_table && t.split('=').next().is_some_and(|k| k.trim().trim_matches('"') == key) {
            return Some(n + 1);
        }
    }
    None
}

/// Reads and checks a config file. The message names the key and line.
pub fn read(path: &Path) -> Result<ConfigFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let cfg: ConfigFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
        let msg = e.message().to_string();
        match line {
            Some(l) => format!("{}: line {l}: {msg}", path.display()),
            None => format!("{}: {msg}", path.display()),
        }
    })?;
    let bad = |key: &str, why: &str| {
        let line = text.lines().position(|l| {
            l.trim_start().starts_with(key) && l[l.find(key).unwrap_or(0) + key.len()..].trim_start().starts_with('=')
        });
        Err(match line {
            Some(n) => format!("{}: line {}: {key}: {why}", path.display(), n + 1),
            None => format!("{}: {key}: {why}", path.display()),
        })
    };
    if let Some(d) = cfg.report_due_day
        && !(1..=28).contains(&d)
    {
        return bad("report_due_day", "must be 1–28");
    }
    if let (Some(y), Some(b)) = (cfg.alert_yellow_days, cfg.alert_blue_days)
        && !(0 <= y && y <= b)
    {
        return bad("alert_yellow_days", "must be between 0 and alert_blue_days");
    }
    if let Some(t) = &cfg.theme
        && t != "default"
        && t != "high-contrast"
    {
        return bad("theme", "must be \"default\" or \"high-contrast\"");
    }
    if let Some(l) = &cfg.lang
        && l != "zh"
        && l != "en"
    {
        return bad("lang", "must be \"zh\" or \"en\"");
    }
    if let Some(c) = &cfg.charset
        && !matches!(
            c.to_ascii_lowercase().as_str(),
            "auto" | "utf-8" | "utf8" | "gb18030" | "gbk"
        )
    {
        return bad("charset", "must be \"auto\", \"utf-8\", \"gb18030\" or \"gbk\"");
    }
    if let Some(w) = cfg.ambiguous_width
        && !(1..=2).contains(&w)
    {
        return bad("ambiguous_width", "must be 1 or 2");
    }
    if let Some(d) = cfg.reminder_wait_days
        && !(0..=60).contains(&d)
    {
        return bad("reminder_wait_days", "must be 0–60");
    }
    if let Some(d) = cfg.meeting_prep_days
        && !(0..=90).contains(&d)
    {
        return bad("meeting_prep_days", "must be 0–90");
    }
    if let Some(p) = &cfg.task_prefix
        && (p.trim().is_empty() || p.chars().count() > 20 || p.chars().any(crate::text::is_dangerous))
    {
        return bad("task_prefix", "must be 1–20 printable characters");
    }
    if let Some(l) = &cfg.alert_ladder
        && let Err(e) = ladder_steps(l)
    {
        return bad("alert_ladder", &e);
    }
    Ok(cfg)
}

/// The ladder's steps from their codes: at least two, each more urgent than
/// the one before.
pub fn ladder_steps(codes: &[String]) -> Result<Vec<crate::domain::AlertLevel>, String> {
    use crate::domain::AlertLevel;
    let steps: Vec<AlertLevel> = codes
        .iter()
        .map(|c| {
            AlertLevel::from_code(c).ok_or_else(|| format!("unknown level {c:?} (calm, blue, yellow, red, circular)"))
        })
        .collect::<Result<_, _>>()?;
    // AlertLevel orders the most urgent first.
    if steps.len() < 2 || steps.windows(2).any(|w| w[1] >= w[0]) {
        return Err("needs two or more levels, each more urgent than the one before, e.g. [\"calm\", \"blue\", \"yellow\", \"red\", \"circular\"]".into());
    }
    Ok(steps)
}

/// Command-line overrides.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub no_config: bool,
    pub theme: Option<String>,
    pub lang: Option<String>,
    pub charset: Option<String>,
    /// `--ambiguous-width`: 1 or 2.
    pub ambiguous_width: Option<u8>,
}

/// Loads the effective settings. A missing default file is fine; a named
/// file that is missing, or any bad file, is an error.
pub fn load(o: &Overrides) -> Result<Settings, String> {
    let (path, explicit) = match &o.config {
        Some(p) => (Some(p.clone()), true),
        None => (default_path(), false),
    };
    let mut file = None;
    let mut cfg = ConfigFile::default();
    if !o.no_config
        && let Some(p) = path
    {
        let exists = p.exists();
        if exists || explicit {
            cfg = read(&p)?;
        }
        file = Some((p, exists));
    }
    let src = |set: bool| match (&file, set) {
        (Some((p, _)), true) => Source::File(p.clone()),
        _ => Source::Default,
    };
    let mut theme = (
        cfg.theme.clone().unwrap_or_else(|| "default".into()),
        src(cfg.theme.is_some()),
    );
    if let Some(t) = &o.theme {
        theme = (t.clone(), Source::CommandLine);
    }
    // The language: the command line, the file, then LANGUAGE (gettext's
    // preference list; LANG is not asked: servers default it to en_US).
    let env_lang = std::env::var("LANGUAGE")
        .ok()
        .and_then(|l| crate::i18n::language_is_zh(&l))
        .map(|zh| if zh { "zh" } else { "en" });
    let mut lang = match (&cfg.lang, env_lang) {
        (Some(l), _) => (l.clone(), src(true)),
        (None, Some(l)) => (l.to_string(), Source::Environment("LANGUAGE")),
        (None, None) => ("zh".to_string(), Source::Default),
    };
    if let Some(l) = &o.lang {
        lang = (l.clone(), Source::CommandLine);
    }
    let d = AlertThresholds::default();
    let alerts = AlertThresholds {
        yellow_days: cfg.alert_yellow_days.unwrap_or(d.yellow_days),
        blue_days: cfg.alert_blue_days.unwrap_or(d.blue_days),
    };
    if alerts.yellow_days > alerts.blue_days {
        return Err("alert_yellow_days must not exceed alert_blue_days".into());
    }
    Ok(Settings {
        db: (
            cfg.db.clone().unwrap_or_else(|| data_dir().join("dudao.db")),
            src(cfg.db.is_some()),
        ),
        // Unset, each database has its own (`Settings::drop_folder`).
        inbox_dir: (
            cfg.inbox_dir
                .clone()
                .unwrap_or_else(|| drop_folder_beside(&cfg.db.clone().unwrap_or_else(|| data_dir().join("dudao.db")))),
            src(cfg.inbox_dir.is_some()),
        ),
        report_due_day: (
            cfg.report_due_day.unwrap_or(crate::db::load::DEFAULT_REPORT_DUE_DAY),
            src(cfg.report_due_day.is_some()),
        ),
        alerts: (
            alerts,
            src(cfg.alert_yellow_days.is_some() || cfg.alert_blue_days.is_some()),
        ),
        working_days: (cfg.working_days.unwrap_or(true), src(cfg.working_days.is_some())),
        holidays_file: (cfg.holidays_file.clone(), src(cfg.holidays_file.is_some())),
        reminder_wait_days: (
            cfg.reminder_wait_days.unwrap_or(3),
            src(cfg.reminder_wait_days.is_some()),
        ),
        alert_ladder: (
            cfg.alert_ladder.clone().unwrap_or_else(|| {
                ["calm", "blue", "yellow", "red", "circular"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            }),
            src(cfg.alert_ladder.is_some()),
        ),
        meeting_prep_days: (
            cfg.meeting_prep_days.unwrap_or(10),
            src(cfg.meeting_prep_days.is_some()),
        ),
        office_name: (
            cfg.office_name
                .clone()
                .unwrap_or_else(|| "自治区推进“双创”领导小组办公室".into()),
            src(cfg.office_name.is_some()),
        ),
        office_contact: (
            cfg.office_contact.clone().unwrap_or_default(),
            src(cfg.office_contact.is_some()),
        ),
        notices_dir: (
            cfg.notices_dir.clone().unwrap_or_else(|| data_dir().join("notices")),
            src(cfg.notices_dir.is_some()),
        ),
        task_prefix: (
            cfg.task_prefix
                .clone()
                .unwrap_or_else(|| crate::domain::task::DEFAULT_TASK_PREFIX.into()),
            src(cfg.task_prefix.is_some()),
        ),
        theme,
        lang,
        charset: match (&o.charset, &cfg.charset) {
            (Some(c), _) => (c.clone(), Source::CommandLine),
            (None, Some(c)) => (c.clone(), src(true)),
            (None, None) => ("auto".into(), Source::Default),
        },
        ambiguous_width: match o.ambiguous_width {
            Some(w) => (Some(w), Source::CommandLine),
            None => (cfg.ambiguous_width, src(cfg.ambiguous_width.is_some())),
        },
        keys_source: src(!cfg.keys.is_empty()),
        keys: cfg.keys,
        file,
    })
}

impl Settings {
    /// The working-day calendar: the bundled one, with the office's file on
    /// top; every day a working day when `working_days` is off.
    pub fn calendar(&self) -> Result<crate::domain::deadline::Calendar, String> {
        use crate::domain::deadline::Calendar;
        if !self.working_days.0 {
            return Ok(Calendar::calendar_days());
        }
        let mut c = Calendar::bundled();
        if let Some(p) = &self.holidays_file.0 {
            let text = std::fs::read_to_string(p).map_err(|e| format!("holidays_file {}: {e}", p.display()))?;
            c.extend_toml(&text).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        Ok(c)
    }

    /// How alerts are judged, with the database's report due day.
    pub fn alert_policy(&self, due_day: u32) -> Result<crate::db::alerts::AlertPolicy, String> {
        Ok(crate::db::alerts::AlertPolicy {
            thresholds: self.alerts.0,
            ladder: crate::domain::deadline::Ladder {
                steps: ladder_steps(&self.alert_ladder.0)?,
                wait_days: self.reminder_wait_days.0,
            },
            calendar: self.calendar()?,
            due_day,
            meeting_prep_days: self.meeting_prep_days.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("config.toml");
        std::fs::write(&p, text).unwrap();
        (d, p)
    }

    #[test]
    fn unknown_key_is_named_with_line() {
        let (_d, p) = write("theme = \"default\"\n\ncolour = 3\n");
        let e = read(&p).unwrap_err();
        assert!(e.contains("line 3") && e.contains("colour"), "{e}");
    }

    #[test]
    fn values_are_checked() {
        let (_d, p) = write("report_due_day = 40\n");
        assert!(read(&p).unwrap_err().contains("report_due_day"));
        let (_d, p) = write("lang = \"zh\"\ntheme = \"pink\"\n");
        let e = read(&p).unwrap_err();
        assert!(e.contains("theme") && e.contains("line 2"), "{e}");
    }

    #[test]
    fn sources_are_tracked() {
        let (_d, p) = write("report_due_day = 10\n[keys]\nquit = [\"q\", \"ctrl-q\"]\n");
        let s = load(&Overrides {
            config: Some(p.clone()),
            lang: Some("en".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.report_due_day, (10, Source::File(p.clone())));
        assert_eq!(s.lang, ("en".into(), Source::CommandLine));
        assert_eq!(s.theme.1, Source::Default);
        assert_eq!(s.keys["quit"].keys(), ["q", "ctrl-q"]);
        let none = load(&Overrides {
            config: Some(p),
            no_config: true,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(none.report_due_day.0, 5);
    }
}
