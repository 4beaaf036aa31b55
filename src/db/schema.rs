//! Ordered schema migrations. `MIGRATIONS[i]` takes `user_version` i to i+1.
//! Never edit a released migration: add a new one.

/// Marks a database file as dudao's (`PRAGMA application_id`, "DUDA").
pub const APPLICATION_ID: i32 = 0x4455_4441;

pub const MIGRATIONS: &[&str] = &[
    // 1: the whole first schema.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sections (
    no    INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT ''
);

CREATE TABLE articles (
    no      INTEGER PRIMARY KEY,
    section INTEGER NOT NULL REFERENCES sections(no),
    title   TEXT NOT NULL,
    body    TEXT NOT NULL
);

CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    short_name TEXT NOT NULL,
    full_name  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('department','party_office','regulator',
                   'prefecture','zone','office','collective')),
    note       TEXT NOT NULL DEFAULT '',
    supervisor INTEGER NOT NULL DEFAULT 0 CHECK (supervisor IN (0,1)),
    reporting  INTEGER NOT NULL DEFAULT 0 CHECK (reporting IN (0,1)),
    synthetic  INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0,1)),
    sort       INTEGER NOT NULL
);
CREATE INDEX units_reporting ON units(reporting, sort);

CREATE TABLE unit_aliases (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    alias   TEXT NOT NULL UNIQUE,
    PRIMARY KEY (unit_id, alias)
);

CREATE TABLE collective_members (
    collective_id INTEGER NOT NULL REFERENCES units(id),
    member_id     INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (collective_id, member_id)
);

CREATE TABLE assignments (
    id         INTEGER PRIMARY KEY,
    article_no INTEGER NOT NULL REFERENCES articles(no),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    role       TEXT NOT NULL CHECK (role IN ('lead','partner')),
    via_id     INTEGER REFERENCES units(id),
    ord        INTEGER NOT NULL,
    UNIQUE (article_no, unit_id, role, via_id)
);
CREATE INDEX assignments_unit ON assignments(unit_id, article_no);

CREATE TABLE measures (
    id         INTEGER PRIMARY KEY,
    article_no INTEGER NOT NULL REFERENCES articles(no),
    ord        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    due_date   TEXT,
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
    done_date  TEXT,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (article_no, ord)
);
CREATE INDEX measures_due ON measures(status, due_date);

CREATE TABLE measure_owners (
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (measure_id, unit_id)
);
CREATE INDEX measure_owners_unit ON measure_owners(unit_id);

CREATE TABLE targets (
    code       TEXT PRIMARY KEY,
    ord        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    value      REAL NOT NULL,
    unit       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('count','amount','growth_rate','coverage','per_zone')),
    comparator TEXT NOT NULL CHECK (comparator IN ('>=','>')),
    deadline   TEXT NOT NULL,
    reporter_id INTEGER REFERENCES units(id),
    source     TEXT NOT NULL
);

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    encoding      TEXT,
    received_at   TEXT NOT NULL,
    result        TEXT NOT NULL CHECK (result IN ('imported','rejected','duplicate')),
    reason        TEXT NOT NULL DEFAULT '',
    by_uid        INTEGER NOT NULL,
    by_user       TEXT NOT NULL
);

CREATE TABLE reports (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    month         TEXT NOT NULL,
    version_no    INTEGER NOT NULL DEFAULT 1 CHECK (version_no >= 1),
    status        TEXT NOT NULL CHECK (status IN ('new','accepted','returned')),
    due_date      TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    resubmit_by   TEXT,
    source        TEXT NOT NULL DEFAULT 'typed' CHECK (source IN ('file','typed','demo')),
    import_id     INTEGER REFERENCES imports(id),
    version       INTEGER NOT NULL DEFAULT 1,
    -- 1 on the newest version of a unit-month (kept by the trigger below).
    latest        INTEGER NOT NULL DEFAULT 1 CHECK (latest IN (0,1)),
    UNIQUE (unit_id, month, version_no)
);
-- Covers the inbox's month query and the alerts' month scan (no table reads).
CREATE INDEX reports_month ON reports(month, unit_id, latest, status, received_at, due_date, version_no);
CREATE INDEX reports_status ON reports(status, latest, month);
CREATE INDEX reports_open_returned ON reports(month, unit_id) WHERE status = 'returned' AND latest = 1;
CREATE TRIGGER reports_supersede AFTER INSERT ON reports
BEGIN
    UPDATE reports SET latest = 0
    WHERE unit_id = NEW.unit_id AND month = NEW.month AND version_no < NEW.version_no AND latest = 1;
END;

CREATE TABLE report_items (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports(id),
    article_no   INTEGER NOT NULL REFERENCES articles(no),
    progress     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('on_track','lagging','done')),
    difficulties TEXT NOT NULL DEFAULT '',
    next_steps   TEXT NOT NULL DEFAULT '',
    UNIQUE (report_id, article_no)
);
CREATE INDEX report_items_article ON report_items(article_no);

CREATE TABLE indicator_values (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    period      TEXT NOT NULL,
    target_code TEXT NOT NULL REFERENCES targets(code),
    value       REAL NOT NULL,
    report_id   INTEGER REFERENCES reports(id),
    UNIQUE (unit_id, period, target_code)
);
CREATE INDEX indicator_values_target ON indicator_values(target_code, period);

CREATE TABLE authority_items (
    id             INTEGER PRIMARY KEY,
    zone_id        INTEGER NOT NULL REFERENCES units(id),
    domain         TEXT NOT NULL CHECK (domain IN ('sci_tech','planning','industry','talent',
                       'market_access','project_approval','finance','infrastructure','environment')),
    level          TEXT NOT NULL CHECK (level IN ('region','prefecture')),
    name           TEXT NOT NULL,
    grantor_id     INTEGER REFERENCES units(id),
    status         TEXT NOT NULL CHECK (status IN ('proposed','submitted','approved','delegated',
                       'undertaken','suspended','revoked')),
    doc_no         TEXT NOT NULL DEFAULT '',
    proposed_date  TEXT,
    approved_date  TEXT,
    delegated_date TEXT,
    due_date       TEXT,
    note           TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (zone_id, name)
);
CREATE INDEX authority_zone ON authority_items(zone_id, domain);

-- 催办: a recorded reminder about a dated item.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('report','measure','authority','meeting')),
    entity_key  TEXT NOT NULL,
    unit_id     INTEGER REFERENCES units(id),
    at          TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    answered    INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0,1))
);
CREATE INDEX reminders_entity ON reminders(entity, entity_key);

-- 延期: new due date with reason; history is every row.
CREATE TABLE extensions (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL CHECK (entity IN ('report','measure','authority','meeting')),
    entity_key TEXT NOT NULL,
    old_due    TEXT NOT NULL,
    new_due    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    CHECK (new_due > old_due)
);
CREATE INDEX extensions_entity ON extensions(entity, entity_key);

CREATE TABLE meetings (
    id      INTEGER PRIMARY KEY,
    date    TEXT NOT NULL UNIQUE,
    title   TEXT NOT NULL,
    kind    TEXT NOT NULL DEFAULT 'quarterly',
    status  TEXT NOT NULL CHECK (status IN ('planned','held')),
    version INTEGER NOT NULL DEFAULT 1
);

-- Append-only: the triggers below refuse UPDATE and DELETE.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    uid       INTEGER NOT NULL,
    user      TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    old_value TEXT,
    new_value TEXT,
    result    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"#,
    // 2: editing. Notes on any item; how a reminder was given and whether it
    // was withdrawn (undo never deletes); history lookups by entity; the
    // report's row version in the inbox's covering index.
    r#"
CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    entity       TEXT NOT NULL CHECK (entity IN ('report','measure','authority','meeting')),
    entity_key   TEXT NOT NULL,
    at           TEXT NOT NULL,
    by_uid       INTEGER NOT NULL,
    by_user      TEXT NOT NULL,
    text         TEXT NOT NULL,
    withdrawn_at TEXT
);
CREATE INDEX notes_entity ON notes(entity, entity_key);

ALTER TABLE reminders ADD COLUMN channel TEXT NOT NULL DEFAULT 'system'
    CHECK (channel IN ('phone','notice','meeting','system'));
ALTER TABLE reminders ADD COLUMN by_uid INTEGER;
ALTER TABLE reminders ADD COLUMN withdrawn_at TEXT;

CREATE INDEX audit_entity ON audit_log(entity, entity_id);

DROP INDEX reports_month;
CREATE INDEX reports_month ON reports(month, unit_id, latest, status, received_at, due_date, version_no, version);
"#,
    // 3: triage. The state of a dated item that is not a column of its own
    // row: done (办结) for reports and milestones, snoozed, escalated to the
    // leading group, with a row version for reports and milestones (measures,
    // authority items and meetings keep theirs in their own rows).
    // Extensions made after the due date are flagged; undo withdraws one.
    r#"
CREATE TABLE item_flags (
    entity        TEXT NOT NULL CHECK (entity IN ('report','measure','authority','meeting','milestone')),
    entity_key    TEXT NOT NULL,
    closed_at     TEXT,
    closed_by     TEXT,
    close_note    TEXT NOT NULL DEFAULT '',
    snoozed_until TEXT,
    escalated_at  TEXT,
    escalated_by  TEXT,
    escalate_note TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (entity, entity_key)
);
CREATE INDEX item_flags_escalated ON item_flags(escalated_at) WHERE escalated_at IS NOT NULL;

ALTER TABLE extensions ADD COLUMN late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0,1));
ALTER TABLE extensions ADD COLUMN by_uid INTEGER;
ALTER TABLE extensions ADD COLUMN withdrawn_at TEXT;
"#,
    // 4: reports as files. Every file met (imported, duplicate or refused)
    // is logged in intake_log with where it went and why; `imports` keeps
    // one row per imported file's bytes (its SHA-256 is unique, so the
    // same bytes again are a duplicate). A report's contact person and the
    // indicator values of each version as sent (report_values; the
    // indicator_values table keeps the figure in force per unit and month).
    r#"
CREATE TABLE intake_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    by_uid      INTEGER NOT NULL,
    by_user     TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    stored_as   TEXT NOT NULL DEFAULT '',
    sha256      TEXT NOT NULL DEFAULT '',
    size        INTEGER,
    encoding    TEXT NOT NULL DEFAULT '',
    format      TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL CHECK (result IN ('imported','duplicate','refused')),
    reason_code TEXT NOT NULL DEFAULT '',
    -- The refusal as JSON ({"reason": {"code": …}, "line": …, "col": …}).
    reason      TEXT NOT NULL DEFAULT '',
    unit_id     INTEGER REFERENCES units(id),
    month       TEXT,
    report_id   INTEGER REFERENCES reports(id),
    import_id   INTEGER REFERENCES imports(id)
);
CREATE INDEX intake_log_at ON intake_log(at);

ALTER TABLE reports ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';

CREATE TABLE report_values (
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    target_code TEXT NOT NULL REFERENCES targets(code),
    value       REAL NOT NULL,
    PRIMARY KEY (report_id, target_code)
);
INSERT INTO report_values (report_id, target_code, value)
    SELECT report_id, target_code, value FROM indicator_values WHERE report_id IS NOT NULL;

ALTER TABLE indicator_values ADD COLUMN import_id INTEGER REFERENCES imports(id);
"#,
    // 5: the checklist's workflow. Each status change of an authority item
    // (拟下放 → 已报批 → 已批准 → 已下放 → 已承接, 暂缓, 收回) with its
    // effective date, document number, note and who recorded it.
    r#"
CREATE TABLE authority_events (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES authority_items(id),
    at          TEXT NOT NULL,
    date        TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL CHECK (to_status IN ('proposed','submitted','approved','delegated',
                    'undertaken','suspended','revoked')),
    doc_no      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    by_uid      INTEGER NOT NULL,
    by_user     TEXT NOT NULL,
    -- 1 when this event undid an earlier change.
    undo        INTEGER NOT NULL DEFAULT 0 CHECK (undo IN (0,1))
);
CREATE INDEX authority_events_item ON authority_events(item_id, id);
"#,
    // 6: reads that follow open work, not history. The alerts read every
    // open reminder (unanswered, not withdrawn) in order and count every
    // note not withdrawn: partial indexes hold just those rows, so neither
    // read passes over answered reminders or withdrawn notes, and the
    // reminders need no sort.
    r#"
CREATE INDEX reminders_open ON reminders(at, id) WHERE withdrawn_at IS NULL AND answered = 0;
CREATE INDEX notes_open ON notes(entity, entity_key) WHERE withdrawn_at IS NULL;
"#,
    // 7: `INSERT OR REPLACE` on an existing audit id would delete
    // the old row without firing the delete trigger (unless
    // recursive_triggers is on), so an insert onto an id in use is refused.
    r#"
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"#,
    // 8: the quarterly review's snapshots. The figures of a finished quarter as
    // the review showed them (JSON of `review::figures::Figures`), frozen by
    // `dudao snapshot` (the demo freezes one too), so later reviews compare
    // against what was reported then. One row per quarter; never updated.
    r#"
CREATE TABLE quarter_snapshots (
    quarter  TEXT PRIMARY KEY,
    as_of    TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    by_uid   INTEGER NOT NULL,
    by_user  TEXT NOT NULL,
    figures  TEXT NOT NULL
);
CREATE TRIGGER quarter_snapshots_frozen BEFORE UPDATE ON quarter_snapshots
BEGIN SELECT RAISE(ABORT, 'quarter snapshots are frozen'); END;
"#,
    // 9: changes made outside dudao can be found. Each audit row about an
    // item records the item's state after the change (a digest of its
    // rows, `db::state`; part of the row's hash); `audit_baseline` holds
    // every item's state once, when the database was built or upgraded.
    // `INSERT OR REPLACE` with a new id and an existing row's hash would
    // delete that row through the hash's UNIQUE conflict without firing
    // the delete trigger: an insert of a hash in use is refused first.
    r#"
ALTER TABLE audit_log ADD COLUMN state TEXT;
CREATE TRIGGER audit_log_no_replace_hash BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE hash = NEW.hash)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE audit_baseline (
    entity     TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    state      TEXT NOT NULL,
    PRIMARY KEY (entity, entity_key)
);
CREATE TRIGGER audit_baseline_no_update BEFORE UPDATE ON audit_baseline
BEGIN SELECT RAISE(ABORT, 'audit_baseline is append-only'); END;
CREATE TRIGGER audit_baseline_no_delete BEFORE DELETE ON audit_baseline
BEGIN SELECT RAISE(ABORT, 'audit_baseline is append-only'); END;
CREATE TRIGGER audit_baseline_no_replace BEFORE INSERT ON audit_baseline
WHEN EXISTS (SELECT 1 FROM audit_baseline WHERE entity = NEW.entity AND entity_key = NEW.entity_key)
BEGIN SELECT RAISE(ABORT, 'audit_baseline is append-only'); END;
"#,
    // 10: 督办. Meetings get agendas (议题) and minutes (attendance, 议定
    // 事项); leaders' 批示 are recorded; tasks (督办事项) come from a
    // decision, a 批示 or the office, each with a 督办编号 unique per year,
    // a lead unit and partners, a deadline that an approved extension moves
    // (the old date stays in `extensions`, as for measures), the state of
    // the loop, feedback entries (typed, or read from a monthly report) and
    // the units' requests with the office's answers. Tasks take flags,
    // reminders, notes and extensions: those four tables are rebuilt with
    // 'task' among their entities (renamed aside, made anew, copied, the
    // old dropped; no other table or trigger refers to them).
    r#"
-- Tasks take flags, reminders, notes and extensions as other items do:
-- the four tables are rebuilt with 'task' among their entities.
ALTER TABLE item_flags RENAME TO item_flags_v9;
CREATE TABLE item_flags (
    entity        TEXT NOT NULL CHECK (entity IN ('report','measure','authority','meeting','milestone','task')),
    entity_key    TEXT NOT NULL,
    closed_at     TEXT,
    closed_by     TEXT,
    close_note    TEXT NOT NULL DEFAULT '',
    snoozed_until TEXT,
    escalated_at  TEXT,
    escalated_by  TEXT,
    escalate_note TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (entity, entity_key)
);
INSERT INTO item_flags (entity, entity_key, closed_at, closed_by, close_note, snoozed_until, escalated_at,
                        escalated_by, escalate_note, version)
SELECT entity, entity_key, closed_at, closed_by, close_note, snoozed_until, escalated_at,
       escalated_by, escalate_note, version FROM item_flags_v9;
DROP TABLE item_flags_v9;
CREATE INDEX item_flags_escalated ON item_flags(escalated_at) WHERE escalated_at IS NOT NULL;

ALTER TABLE reminders RENAME TO reminders_v9;
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('report','measure','authority','meeting','task')),
    entity_key  TEXT NOT NULL,
    unit_id     INTEGER REFERENCES units(id),
    at          TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    answered    INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0,1)),
    channel     TEXT NOT NULL DEFAULT 'system' CHECK (channel IN ('phone','notice','meeting','system')),
    by_uid      INTEGER,
    withdrawn_at TEXT
);
INSERT INTO reminders (id, entity, entity_key, unit_id, at, by_user, note, answered, channel, by_uid, withdrawn_at)
SELECT id, entity, entity_key, unit_id, at, by_user, note, answered, channel, by_uid, withdrawn_at FROM reminders_v9;
DROP TABLE reminders_v9;
CREATE INDEX reminders_entity ON reminders(entity, entity_key);
CREATE INDEX reminders_open ON reminders(at, id) WHERE withdrawn_at IS NULL AND answered = 0;

ALTER TABLE notes RENAME TO notes_v9;
CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    entity       TEXT NOT NULL CHECK (entity IN ('report','measure','authority','meeting','task')),
    entity_key   TEXT NOT NULL,
    at           TEXT NOT NULL,
    by_uid       INTEGER NOT NULL,
    by_user      TEXT NOT NULL,
    text         TEXT NOT NULL,
    withdrawn_at TEXT
);
INSERT INTO notes (id, entity, entity_key, at, by_uid, by_user, text, withdrawn_at)
SELECT id, entity, entity_key, at, by_uid, by_user, text, withdrawn_at FROM notes_v9;
DROP TABLE notes_v9;
CREATE INDEX notes_entity ON notes(entity, entity_key);
CREATE INDEX notes_open ON notes(entity, entity_key) WHERE withdrawn_at IS NULL;

ALTER TABLE extensions RENAME TO extensions_v9;
CREATE TABLE extensions (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL CHECK (entity IN ('report','measure','authority','meeting','task')),
    entity_key TEXT NOT NULL,
    old_due    TEXT NOT NULL,
    new_due    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    late       INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0,1)),
    by_uid     INTEGER,
    withdrawn_at TEXT,
    CHECK (new_due > old_due)
);
INSERT INTO extensions (id, entity, entity_key, old_due, new_due, reason, at, by_user, late, by_uid, withdrawn_at)
SELECT id, entity, entity_key, old_due, new_due, reason, at, by_user, late, by_uid, withdrawn_at FROM extensions_v9;
DROP TABLE extensions_v9;
CREATE INDEX extensions_entity ON extensions(entity, entity_key);

CREATE TABLE agenda_items (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    ord         INTEGER NOT NULL,
    title       TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('escalated','submitted','office')),
    entity      TEXT,
    entity_key  TEXT,
    unit_id     INTEGER REFERENCES units(id),
    note        TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    withdrawn_at TEXT
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, ord);

CREATE TABLE meeting_minutes (
    meeting_id  INTEGER PRIMARY KEY REFERENCES meetings(id),
    held_on     TEXT NOT NULL,
    attendees   TEXT NOT NULL,
    at          TEXT NOT NULL,
    by_user     TEXT NOT NULL
);

CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    ord         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    agenda_id   INTEGER REFERENCES agenda_items(id),
    at          TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    withdrawn_at TEXT
);
CREATE INDEX decisions_meeting ON decisions(meeting_id, ord);

CREATE TABLE instructions (
    id          INTEGER PRIMARY KEY,
    leader      TEXT NOT NULL,
    date        TEXT NOT NULL,
    text        TEXT NOT NULL,
    document    TEXT NOT NULL DEFAULT '',
    doc_no      TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL,
    by_user     TEXT NOT NULL
);

CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    code            TEXT NOT NULL UNIQUE,
    source          TEXT NOT NULL CHECK (source IN ('decision','instruction','office')),
    decision_id     INTEGER REFERENCES decisions(id),
    instruction_id  INTEGER REFERENCES instructions(id),
    title           TEXT NOT NULL,
    text            TEXT NOT NULL,
    lead_unit_id    INTEGER NOT NULL REFERENCES units(id),
    leader          TEXT NOT NULL DEFAULT '',
    assigned_on     TEXT NOT NULL,
    due_date        TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN
                        ('assigned','acknowledged','in_progress','close_requested','returned','closed')),
    acknowledged_on TEXT,
    closed_on       TEXT,
    close_note      TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (year, seq),
    CHECK ((source = 'decision') = (decision_id IS NOT NULL)),
    CHECK ((source = 'instruction') = (instruction_id IS NOT NULL))
);
CREATE INDEX tasks_open ON tasks(state, due_date);
CREATE INDEX tasks_lead ON tasks(lead_unit_id, state);

CREATE TABLE task_partners (
    task_id     INTEGER NOT NULL REFERENCES tasks(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_partners_unit ON task_partners(unit_id);

CREATE TABLE task_events (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks(id),
    unit_id     INTEGER REFERENCES units(id),
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN
                    ('acknowledge','feedback','request_close','close','return')),
    text        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT 'typed' CHECK (source IN ('typed','report')),
    report_id   INTEGER REFERENCES reports(id),
    at          TEXT NOT NULL,
    by_uid      INTEGER NOT NULL,
    by_user     TEXT NOT NULL,
    undone_at   TEXT
);
CREATE INDEX task_events_task ON task_events(task_id, id);

CREATE TABLE task_requests (
    id            INTEGER PRIMARY KEY,
    task_id       INTEGER NOT NULL REFERENCES tasks(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    kind          TEXT NOT NULL CHECK (kind IN ('extension','wording')),
    reason        TEXT NOT NULL,
    new_due       TEXT,
    new_text      TEXT,
    status        TEXT NOT NULL CHECK (status IN ('pending','approved','refused')),
    at            TEXT NOT NULL,
    by_user       TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    TEXT,
    decision_note TEXT NOT NULL DEFAULT '',
    CHECK ((kind = 'extension') = (new_due IS NOT NULL)),
    CHECK ((kind = 'wording') = (new_text IS NOT NULL))
);
CREATE INDEX task_requests_task ON task_requests(task_id, status);
CREATE INDEX task_requests_pending ON task_requests(status) WHERE status = 'pending';
"#,
    // 11: people. Accounts with a role (主任, 工作人员, 观察员, 单位填报员 of
    // one unit) and their SSH keys; the audit log records the person and
    // the key's fingerprint beside the OS user (part of the row's hash
    // when present, so rows written before hash as they always did).
    r#"
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('director','staff','observer','reporter')),
    unit_id     INTEGER REFERENCES units(id),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    disabled_at TEXT,
    CHECK ((role = 'reporter') = (unit_id IS NOT NULL))
);
CREATE TABLE account_keys (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    fingerprint TEXT NOT NULL UNIQUE,
    key         TEXT NOT NULL,
    added_at    TEXT NOT NULL
);
ALTER TABLE audit_log ADD COLUMN person TEXT;
ALTER TABLE audit_log ADD COLUMN key_fp TEXT;
"#,
];

/// One object of `sqlite_schema` that is not as dudao's migrations made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    Missing {
        kind: String,
        name: String,
    },
    Changed {
        kind: String,
        name: String,
    },
    /// Not made by dudao (a trigger that rewrites rows, whatever its name:
    /// `PRAGMA writable_schema` can create one called `sqlite_…`).
    Foreign {
        kind: String,
        name: String,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let clean = |s: &str| crate::text::sanitize(s).into_owned();
        match self {
            Difference::Missing { kind, name } => write!(f, "{kind} {} is missing", clean(name)),
            Difference::Changed { kind, name } => {
                write!(f, "{kind} {} differs from the one dudao created", clean(name))
            }
            Difference::Foreign { kind, name } => write!(f, "{kind} {} was not created by dudao", clean(name)),
        }
    }
}

type Objects = std::collections::BTreeMap<(String, String), String>;

/// Every object in `sqlite_schema`, whatever its name, as (type, name) →
/// its SQL. Only the statistics tables `ANALYZE` keeps are left out.
fn objects(conn: &rusqlite::Connection) -> super::Result<Objects> {
    use rusqlite::types::ValueRef;
    let text = |v: ValueRef<'_>| match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => String::from_utf8_lossy(b).into_owned(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) => x.to_string(),
        ValueRef::Null => String::new(),
    };
    let mut s = conn.prepare(
        "SELECT type, name, sql FROM sqlite_schema
         WHERE NOT (type = 'table' AND name IN ('sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', 'sqlite_stat4'))",
    )?;
    let v = s
        .query_map([], |r| {
            Ok(((text(r.get_ref(0)?), text(r.get_ref(1)?)), text(r.get_ref(2)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// The schema the migrations create, made once per process.
fn as_created() -> super::Result<&'static Objects> {
    static MADE: std::sync::OnceLock<Objects> = std::sync::OnceLock::new();
    if let Some(o) = MADE.get() {
        return Ok(o);
    }
    let mut fresh = rusqlite::Connection::open_in_memory()?;
    super::migrate(&mut fresh)?;
    let o = objects(&fresh)?;
    Ok(MADE.get_or_init(|| o))
}

/// How the file's schema differs from the one dudao created: every table,
/// index, view and trigger, `sqlite_…` names included.
pub fn differences(conn: &rusqlite::Connection) -> super::Result<Vec<Difference>> {
    let want = as_created()?;
    let have = objects(conn)?;
    let mut out = Vec::new();
    for ((kind, name), sql) in want {
        match have.get(&(kind.clone(), name.clone())) {
            None => out.push(Difference::Missing {
                kind: kind.clone(),
                name: name.clone(),
            }),
            Some(s) if s != sql => out.push(Difference::Changed {
                kind: kind.clone(),
                name: name.clone(),
            }),
            Some(_) => {}
        }
    }
    for (kind, name) in have.keys() {
        if !want.contains_key(&(kind.clone(), name.clone())) {
            out.push(Difference::Foreign {
                kind: kind.clone(),
                name: name.clone(),
            });
        }
    }
    Ok(out)
}

/// Under the write lock, before a change: the schema must be the one dudao
/// created, or nothing is written (a foreign trigger would run inside the
/// change). Checked again only when SQLite's `schema_version` moved.
pub(crate) fn guard(conn: &rusqlite::Connection) -> super::Result<()> {
    static SEEN: std::sync::Mutex<Vec<(String, i64)>> = std::sync::Mutex::new(Vec::new());
    let version: i64 = conn.pragma_query_value(None, "schema_version", |r| r.get(0))?;
    let key = conn.path().unwrap_or("").to_string();
    let known = |g: &Vec<(String, i64)>| g.iter().any(|(p, v)| *p == key && *v == version);
    if !key.is_empty() && SEEN.lock().is_ok_and(|g| known(&g)) {
        return Ok(());
    }
    let found = differences(conn)?;
    if let Some(d) = found.into_iter().next() {
        return Err(super::DbError::Tampered {
            path: std::path::PathBuf::from(&key),
            what: super::Tamper::Schema(d),
        });
    }
    if !key.is_empty()
        && let Ok(mut g) = SEEN.lock()
    {
        g.retain(|(p, _)| *p != key);
        g.push((key, version));
    }
    Ok(())
}

/// The tables the migrations create, read from their text, so that
/// opening a file needs no schema build. A table rebuilt by a migration
/// (created again under its own name) is listed once; none is dropped
/// for good or renamed for good.
pub fn tables() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in MIGRATIONS
        .iter()
        .flat_map(|m| m.split("CREATE TABLE ").skip(1))
        .filter_map(|rest| rest.split(|c: char| c.is_whitespace() || c == '(').next())
        .filter(|t| !t.is_empty())
    {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// The schema version this binary writes.
pub fn current_version() -> i32 {
    MIGRATIONS.len() as i32
}

#[cfg(test)]
mod tests {
    /// `db::open` reads the table names from the migrations' text: they
    /// must be the tables a migrated database has.
    #[test]
    fn tables_read_from_the_migrations_are_the_real_ones() {
        let mut c = rusqlite::Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut c).unwrap();
        let mut real: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let mut read = super::tables();
        real.sort();
        read.sort();
        assert_eq!(read, real);
    }
}
