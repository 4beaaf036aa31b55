//! `dudao check`: SQLite's own checks, the schema dudao relies on, the
//! audit log (hash chain and its anchor outside the file), the text cells,
//! and the app's invariants. Every check runs, whatever the others found:
//! a check that cannot run is itself a failure, never the end of the run.

use rusqlite::Connection;

use crate::db::check::{
    INVARIANTS, MAX_LINES, capped, foreign_keys, integrity, schema_as_created, schema_version, text_cells,
};
use crate::db::{self, Result, anchor, audit};

/// One named check and what it found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub name: &'static str,
    /// Empty when the check passed.
    pub problems: Vec<String>,
    /// What a passing check saw, when that is worth saying (or empty).
    pub note: String,
}

impl Finding {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn of(name: &'static str, r: Result<Vec<String>>) -> Finding {
        Finding {
            name,
            problems: r.unwrap_or_else(|e| vec![format!("could not run: {e}")]),
            note: String::new(),
        }
    }
}

/// Runs every check; never stops at the first failure.
pub fn run(conn: &Connection) -> Result<Vec<Finding>> {
    let mut out = vec![
        Finding::of("integrity_check", integrity(conn)),
        Finding::of("foreign_key_check", foreign_keys(conn)),
        Finding::of("schema version", schema_version(conn)),
        Finding::of(
            "schema as created (tables, indexes, append-only triggers)",
            schema_as_created(conn),
        ),
        Finding::of(
            "audit log hash chain",
            audit::verify_chain(conn).map(|r| {
                r.map(|id| format!("chain broken at audit row {id}"))
                    .into_iter()
                    .collect()
            }),
        ),
    ];
    out.push(match anchor::verify(conn) {
        Ok(v) => Finding {
            name: "audit log anchor (outside the database)",
            problems: v.problems,
            note: v.summary,
        },
        Err(e) => Finding::of("audit log anchor (outside the database)", Err(e)),
    });
    out.push(Finding::of(
        "every item as its last audited change left it (reports, reminders, notes, checklist, measures, meetings)",
        db::state::verify(conn).map(|v| {
            let total = v.len();
            capped(v.into_iter().take(MAX_LINES).collect(), total)
        }),
    ));
    out.push(Finding::of("text cells are valid UTF-8 text", text_cells(conn)));
    for (name, _) in INVARIANTS {
        out.push(Finding::of(name, crate::db::check::invariant(conn, name)));
    }
    Ok(out)
}
