//! Writes a parsed policy model into a fresh database (`dudao init`).

use rusqlite::{Transaction, params};

use super::Result;
use super::audit::{self, Actor, Entry};
use crate::domain::{Role, UnitKind};
use crate::policy::model::Model;

/// Default day of the following month on which a monthly report is due.
pub const DEFAULT_REPORT_DUE_DAY: u32 = 5;

/// Inserts sections, articles, units, assignments, measures and targets,
/// with one audit row. Returns the unit ids in model order.
/// `due_day` is the office-wide day of the following month reports are due.
pub fn load_model(tx: &Transaction, model: &Model, actor: &Actor, at: &str, due_day: u32) -> Result<Vec<i64>> {
    let p = &model.policy;
    let meta = [
        ("policy_title", p.title.clone()),
        ("report_due_day", due_day.to_string()),
        ("targets_deadline", model.targets.deadline.clone()),
        // Reports are expected from the month the database was set up.
        ("reporting_start", at.get(..7).unwrap_or_default().to_string()),
    ];
    for (k, v) in meta {
        tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", params![k, v])?;
    }
    for s in &p.sections {
        tx.execute(
            "INSERT INTO sections (no, title, intro) VALUES (?1, ?2, ?3)",
            params![s.no, s.title, s.intro],
        )?;
    }
    for a in &p.articles {
        tx.execute(
            "INSERT INTO articles (no, section, title, body) VALUES (?1, ?2, ?3, ?4)",
            params![a.no, a.section, a.title, a.body],
        )?;
    }

    let reporting = |i: usize| {
        let u = &model.units[i];
        u.kind != UnitKind::Collective && !u.supervisor && model.assignments.iter().any(|a| a.unit == i)
    };
    let mut ids = Vec::with_capacity(model.units.len());
    for (i, u) in model.units.iter().enumerate() {
        tx.execute(
            "INSERT INTO units (name, short_name, full_name, kind, note, supervisor, reporting, sort)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                u.name,
                u.short,
                u.full_name,
                u.kind.code(),
                u.note,
                u.supervisor,
                reporting(i),
                i as i64
            ],
        )?;
        ids.push(tx.last_insert_rowid());
    }
    for (i, u) in model.units.iter().enumerate() {
        for alias in &u.aliases {
            tx.execute(
                "INSERT INTO unit_aliases (unit_id, alias) VALUES (?1, ?2)",
                params![ids[i], alias],
            )?;
        }
        for &m in &u.members {
            tx.execute(
                "INSERT INTO collective_members (collective_id, member_id) VALUES (?1, ?2)",
                params![ids[i], ids[m]],
            )?;
        }
    }
    {
        let mut ins = tx.prepare(
            "INSERT OR IGNORE INTO assignments (article_no, unit_id, role, via_id, ord) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for a in &model.assignments {
            ins.execute(params![
                a.article_no,
                ids[a.unit],
                a.role.code(),
                a.via.map(|v| ids[v]),
                a.ord
            ])?;
        }
    }

    // Measures: every sentence of a bracketed article, owned by its concrete lead units.
    {
        let mut ins_m = tx.prepare("INSERT INTO measures (article_no, ord, text) VALUES (?1, ?2, ?3)")?;
        let mut ins_o = tx.prepare("INSERT OR IGNORE INTO measure_owners (measure_id, unit_id) VALUES (?1, ?2)")?;
        for a in p.articles.iter().filter(|a| a.division.is_some()) {
            let owners: Vec<i64> = model
                .assignments
                .iter()
                .filter(|x| {
                    x.article_no == a.no && x.role == Role::Lead && model.units[x.unit].kind != UnitKind::Collective
                })
                .map(|x| ids[x.unit])
                .collect();
            for (k, text) in a.measures.iter().enumerate() {
                ins_m.execute(params![a.no, k as i64 + 1, text])?;
                let mid = tx.last_insert_rowid();
                for o in &owners {
                    ins_o.execute(params![mid, o])?;
                }
            }
        }
    }

    for (k, t) in model.targets.targets.iter().enumerate() {
        let reporter = model
            .units
            .iter()
            .position(|u| u.name == t.reporter || u.aliases.contains(&t.reporter))
            .map(|i| ids[i]);
        tx.execute(
            "INSERT INTO targets (code, ord, name, value, unit, kind, comparator, deadline, reporter_id, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                t.code,
                k as i64 + 1,
                t.name,
                t.value,
                t.unit,
                t.kind,
                t.comparator,
                model.targets.deadline,
                reporter,
                t.source
            ],
        )?;
    }

    audit::record(
        tx,
        actor,
        &Entry {
            at,
            action: "init",
            entity: "policy",
            entity_id: "",
            old: None,
            new: Some(serde_json::json!({
                "title": p.title,
                "articles": p.articles.len(),
                "units": model.units.len(),
                "assignments": model.assignments.len(),
            })),
            result: "ok",
        },
    )?;
    Ok(ids)
}

/// A 2025 target as the sample generator needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub code: String,
    pub value: f64,
    pub kind: crate::domain::TargetKind,
    pub reporter: Option<i64>,
}

/// Every target's code, goal, kind and reporting unit, in order.
pub fn goals(conn: &rusqlite::Connection) -> Result<Vec<Goal>> {
    let mut s = conn.prepare("SELECT code, value, kind, reporter_id FROM targets ORDER BY ord")?;
    let v = s
        .query_map([], |r| {
            Ok(Goal {
                code: super::row::text(r, 0)?,
                value: r.get(1)?,
                kind: super::row::code(r, 2)?,
                reporter: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}
