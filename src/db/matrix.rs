//! Queries of the task matrix: who is lead or partner on which article, and
//! each unit's latest reported status on it.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{Connection, params};

use super::Result;
use super::row::{code, opt_text, text};
use crate::domain::{Month, Progress, Role, UnitKind};

/// How many months back a progress entry still counts as the unit's status.
pub const STATUS_WINDOW_MONTHS: u32 = 6;

/// A unit's status on an article, for the cell symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellStatus {
    OnTrack,
    Lagging,
    Done,
    /// No progress entry in the window.
    NotReported,
    /// A collective: members report, not the collective itself.
    Collective,
    /// Not read yet (large databases read statuses for the columns on screen).
    NotLoaded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixCell {
    pub role: Role,
    /// The collective (unit id) the role came through, if any.
    pub via: Option<i64>,
    pub status: CellStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MatrixUnit {
    pub id: i64,
    /// Shared with the inbox's rows of the unit.
    pub name: Arc<str>,
    pub short: Arc<str>,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MatrixArticle {
    pub no: i64,
    pub title: String,
}

/// The whole matrix: bracketed articles × units with a role.
///
/// Cells are a dense grid, one `u32` per article and unit (articles ×
/// units, by index): at 16,000 units and 20 articles that is 1.3 MB, where
/// a map of cells took about 20 MB and most of the matrix's first open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatrixData {
    pub articles: Vec<MatrixArticle>,
    pub units: Vec<MatrixUnit>,
    /// Packed cells, `article index × units.len() + unit index`: bits 0–1
    /// the role (0 none, 1 lead, 2 partner), bits 2–4 the status, bits
    /// 8–31 the index + 1 of the collective the role came through.
    grid: Vec<u32>,
    /// Unit id → index in `units`.
    unit_ix: super::inbox::IdMap<u32>,
    /// Units whose statuses have been read.
    pub status_loaded: std::collections::HashSet<i64>,
    /// First month whose progress entries count.
    pub from_month: String,
}

const STATUSES: [CellStatus; 6] = [
    CellStatus::OnTrack,
    CellStatus::Lagging,
    CellStatus::Done,
    CellStatus::NotReported,
    CellStatus::Collective,
    CellStatus::NotLoaded,
];

fn status_bits(s: CellStatus) -> u32 {
    STATUSES.iter().position(|x| *x == s).unwrap_or(5) as u32
}

impl MatrixData {
    /// The index of article `no` in `articles` (sorted by number).
    pub fn article_index(&self, no: i64) -> Option<usize> {
        self.articles.binary_search_by_key(&no, |a| a.no).ok()
    }

    /// The index of unit `id` in `units`.
    pub fn unit_index(&self, id: i64) -> Option<usize> {
        self.unit_ix.get(&id).map(|&i| i as usize)
    }

    /// The cell of article `no` and unit `id`, if the unit has a role there.
    pub fn cell(&self, no: i64, id: i64) -> Option<MatrixCell> {
        self.cell_ix(self.article_index(no)?, self.unit_index(id)?)
    }

    /// The cell at article index `a` and unit index `u`.
    pub fn cell_ix(&self, a: usize, u: usize) -> Option<MatrixCell> {
        let v = *self.grid.get(a * self.units.len() + u)?;
        let role = match v & 3 {
            1 => Role::Lead,
            2 => Role::Partner,
            _ => return None,
        };
        let via = match v >> 8 {
            0 => None,
            i => Some(self.units[i as usize - 1].id),
        };
        Some(MatrixCell {
            role,
            via,
            status: STATUSES[((v >> 2) & 7) as usize],
        })
    }

    /// Every cell with a role, by article number and unit id.
    pub fn cells(&self) -> impl Iterator<Item = ((i64, i64), MatrixCell)> + '_ {
        let n = self.units.len();
        (0..self.grid.len()).filter_map(move |i| {
            let (a, u) = (i / n.max(1), i % n.max(1));
            self.cell_ix(a, u).map(|c| ((self.articles[a].no, self.units[u].id), c))
        })
    }

    fn index_units(&mut self) {
        self.unit_ix = super::inbox::IdMap::with_capacity_and_hasher(self.units.len(), Default::default());
        self.unit_ix
            .extend(self.units.iter().enumerate().map(|(i, u)| (u.id, i as u32)));
    }

    /// Keeps only the units `keep` says (by index), and their cells; a role
    /// through a unit dropped keeps its rank but names no collective.
    fn keep_units(&mut self, keep: &[bool]) {
        if keep.iter().all(|&k| k) {
            return;
        }
        let n = self.units.len();
        let mut to = vec![u32::MAX; n];
        let mut kept = Vec::with_capacity(keep.iter().filter(|&&k| k).count());
        for (i, u) in std::mem::take(&mut self.units).into_iter().enumerate() {
            if keep[i] {
                to[i] = kept.len() as u32;
                kept.push(u);
            }
        }
        let m = kept.len();
        let mut grid = vec![0u32; self.articles.len() * m];
        for a in 0..self.articles.len() {
            for (old, &new) in to.iter().enumerate() {
                if new == u32::MAX {
                    continue;
                }
                let v = self.grid[a * n + old];
                let via = match v >> 8 {
                    0 => 0,
                    // A dropped unit (u32::MAX) wraps to 0: none.
                    x => to[x as usize - 1].wrapping_add(1),
                };
                grid[a * m + new as usize] = (v & 0xFF) | (via << 8);
            }
        }
        self.units = kept;
        self.grid = grid;
        self.index_units();
    }

    fn set_status_ix(&mut self, a: usize, u: usize, st: CellStatus) {
        let i = a * self.units.len() + u;
        self.grid[i] = (self.grid[i] & !(7 << 2)) | (status_bits(st) << 2);
    }
}

/// Up to this many units, every status is read at once when the matrix loads.
pub const EAGER_UNITS: usize = 2000;

/// Loads the matrix; statuses come from progress entries of the last
/// [`STATUS_WINDOW_MONTHS`] months before `today_month`. With more than
/// `eager_units` units (see [`EAGER_UNITS`]) statuses are left
/// [`CellStatus::NotLoaded`] for [`fill_statuses`] to read as columns come
/// into view.
pub fn load(conn: &Connection, today_month: Month, eager_units: usize) -> Result<MatrixData> {
    let mut d = MatrixData::default();
    let mut s = conn.prepare_cached(
        "SELECT no, title FROM articles WHERE no IN (SELECT article_no FROM assignments) ORDER BY no",
    )?;
    d.articles = s
        .query_map([], |r| {
            Ok(MatrixArticle {
                no: r.get(0)?,
                title: text(r, 1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Every unit in table order, sorted here; those without a role are
    // dropped once the assignments are read. (Asking SQLite for the units
    // with a role, in order, built a list of every assignment and a
    // temporary B-tree: 12 of the 40 ms of a first open at 16,000 units.)
    // Names are shared with the inbox's rows of the same units.
    let mut s = conn.prepare_cached("SELECT id, full_name, short_name, kind, sort FROM units")?;
    let mut units: Vec<(i64, MatrixUnit)> = Vec::new();
    let mut q = s.query([])?;
    while let Some(r) = q.next()? {
        let id: i64 = r.get(0)?;
        let names = super::inbox::shared_names_raw(id, r, 1, 2)?;
        units.push((
            r.get(4)?,
            MatrixUnit {
                id,
                name: Arc::clone(&names.full),
                short: Arc::clone(&names.short),
                kind: code(r, 3)?,
            },
        ));
    }
    drop(q);
    units.sort_unstable_by_key(|(sort, u)| (*sort, u.id));
    d.units = units.into_iter().map(|(_, u)| u).collect();
    d.index_units();

    let mut from = today_month;
    for _ in 0..STATUS_WINDOW_MONTHS {
        from = from.prev();
    }
    d.from_month = from.to_string();

    // One role per cell: lead over partner, then a direct role over one
    // through a collective, then the first named (lowest `ord`). Read in
    // table order and kept by that rank: no sort of every assignment.
    let n = d.units.len();
    d.grid = vec![0; d.articles.len() * n];
    // Rank of the role kept: 2 bits of precedence over 28 of `ord`.
    let mut rank: Vec<u32> = vec![u32::MAX; d.grid.len()];
    let mut has_role = vec![false; n];
    let mut s = conn.prepare_cached("SELECT article_no, unit_id, role, via_id, ord FROM assignments")?;
    let mut rows = s.query([])?;
    while let Some(r) = rows.next()? {
        let Some(u) = d.unit_index(r.get(1)?) else {
            continue;
        };
        has_role[u] = true;
        let Some(a) = d.article_index(r.get(0)?) else {
            continue;
        };
        let role: Role = code(r, 2)?;
        let via: Option<i64> = r.get(3)?;
        let ord: i64 = r.get(4)?;
        let i = a * n + u;
        let first = ((role != Role::Lead) as u32) << 1 | via.is_some() as u32;
        let this = first << 28 | ord.clamp(0, (1 << 28) - 1) as u32;
        if this >= rank[i] {
            continue;
        }
        rank[i] = this;
        let status = if d.units[u].kind == UnitKind::Collective {
            CellStatus::Collective
        } else {
            CellStatus::NotLoaded
        };
        let via_bits = via.and_then(|v| d.unit_index(v)).map_or(0, |x| x as u32 + 1);
        let role_bits = if role == Role::Lead { 1 } else { 2 };
        d.grid[i] = role_bits | (status_bits(status) << 2) | (via_bits << 8);
    }
    drop(rows);
    d.keep_units(&has_role);
    if d.units.len() <= eager_units {
        fill_statuses(conn, &mut d, None)?;
    }
    Ok(d)
}

fn cell_status(p: Option<Progress>) -> CellStatus {
    match p {
        Some(Progress::OnTrack) => CellStatus::OnTrack,
        Some(Progress::Lagging) => CellStatus::Lagging,
        Some(Progress::Done) => CellStatus::Done,
        None => CellStatus::NotReported,
    }
}

/// Reads the latest progress status of `units` (all units when `None`) on
/// each of their articles, from entries since `d.from_month`.
pub fn fill_statuses(conn: &Connection, d: &mut MatrixData, units: Option<&[i64]>) -> Result<()> {
    let mut latest: HashMap<(i64, i64), Progress> = HashMap::new();
    let mut read = |sql: &str, ids: &[i64]| -> Result<()> {
        let mut s = conn.prepare_cached(sql)?;
        let mut params: Vec<rusqlite::types::Value> = vec![
            d.from_month.clone().into(),
            crate::domain::ReportStatus::Returned.code().to_string().into(),
        ];
        params.extend(ids.iter().map(|&i| rusqlite::types::Value::Integer(i)));
        let mut rows = s.query(rusqlite::params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            let st: Progress = code(r, 2)?;
            latest.insert((r.get(0)?, r.get(1)?), st);
        }
        Ok(())
    };
    let base = "SELECT r.unit_id, i.article_no, i.status
         FROM reports r JOIN report_items i ON i.report_id = r.id
         WHERE r.month >= ?1 AND r.status != ?2";
    let targets: Vec<i64> = match units {
        None => {
            read(&format!("{base} ORDER BY r.month, r.version_no"), &[])?;
            d.units.iter().map(|u| u.id).collect()
        }
        Some(ids) => {
            for chunk in ids.chunks(400) {
                let marks = vec!["?"; chunk.len()].join(",");
                read(
                    &format!("{base} AND r.unit_id IN ({marks}) ORDER BY r.month, r.version_no"),
                    chunk,
                )?;
            }
            ids.to_vec()
        }
    };
    for &unit in &targets {
        let Some(u) = d.unit_index(unit) else { continue };
        for a in 0..d.articles.len() {
            match d.cell_ix(a, u) {
                Some(c) if c.status != CellStatus::Collective => {
                    let st = cell_status(latest.get(&(unit, d.articles[a].no)).copied());
                    d.set_status_ix(a, u, st);
                }
                _ => {}
            }
        }
    }
    d.status_loaded.extend(targets);
    Ok(())
}

/// One progress entry in a unit's history on an article.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub month: String,
    pub status: Progress,
    pub progress: String,
    pub difficulties: String,
    /// The report (newest version of the month) the entry came from.
    pub report_id: i64,
}

/// A measure (task) of the article owned by the unit.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskLine {
    pub id: i64,
    pub ord: i64,
    pub text: String,
    pub due_date: Option<String>,
    pub done: bool,
}

/// Everything the cell popup shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CellDetail {
    pub article_no: i64,
    pub unit_id: i64,
    /// For a collective: its member units.
    pub members: Vec<String>,
    pub article_title: String,
    pub body: String,
    pub unit: String,
    pub roles: Vec<(Role, Option<String>)>,
    /// The latest versions' entries of the last twelve months, newest first.
    pub history: Vec<HistoryEntry>,
    /// The twelve months before the current one, oldest first, with the
    /// status reported in each (`None`: no entry).
    pub months: Vec<(Month, Option<Progress>)>,
    pub tasks: Vec<TaskLine>,
}

/// Detail of one matrix cell: the article, the unit's roles, its progress
/// month by month over the twelve months before `today_month` and its tasks
/// on the article. `None` when the article or the unit is gone.
pub fn cell_detail(conn: &Connection, article_no: i64, unit_id: i64, today_month: Month) -> Result<Option<CellDetail>> {
    use rusqlite::OptionalExtension;
    let Some((article_title, body)) = conn
        .query_row("SELECT title, body FROM articles WHERE no = ?1", [article_no], |r| {
            Ok((text(r, 0)?, text(r, 1)?))
        })
        .optional()?
    else {
        return Ok(None);
    };
    let Some(unit) = conn
        .query_row("SELECT full_name FROM units WHERE id = ?1", [unit_id], |r| text(r, 0))
        .optional()?
    else {
        return Ok(None);
    };
    let mut s = conn.prepare_cached(
        "SELECT x.role, v.full_name FROM assignments x LEFT JOIN units v ON v.id = x.via_id
         WHERE x.article_no = ?1 AND x.unit_id = ?2 ORDER BY x.ord",
    )?;
    let roles = s
        .query_map(params![article_no, unit_id], |r| {
            Ok((code::<Role>(r, 0)?, opt_text(r, 1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut first = today_month;
    for _ in 0..12 {
        first = first.prev();
    }
    let mut s = conn.prepare_cached(
        "SELECT r.month, i.status, i.progress, i.difficulties, r.id
         FROM reports r JOIN report_items i ON i.report_id = r.id
         WHERE r.unit_id = ?1 AND i.article_no = ?2 AND r.latest = 1 AND r.month >= ?3 AND r.month < ?4
         ORDER BY r.month DESC",
    )?;
    let history: Vec<HistoryEntry> = s
        .query_map(
            params![unit_id, article_no, first.to_string(), today_month.to_string()],
            |r| {
                Ok(HistoryEntry {
                    month: text(r, 0)?,
                    status: code(r, 1)?,
                    progress: text(r, 2)?,
                    difficulties: text(r, 3)?,
                    report_id: r.get(4)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    let months = first
        .through(today_month.prev())
        .map(|m| {
            let st = history.iter().find(|h| h.month == m.to_string()).map(|h| h.status);
            (m, st)
        })
        .collect();
    let mut s = conn.prepare_cached(
        "SELECT m.ord, m.text, m.due_date, m.status, m.id FROM measures m JOIN measure_owners o ON o.measure_id = m.id
         WHERE m.article_no = ?1 AND o.unit_id = ?2 ORDER BY m.ord",
    )?;
    let tasks = s
        .query_map(params![article_no, unit_id], |r| {
            Ok(TaskLine {
                id: r.get(4)?,
                ord: r.get(0)?,
                text: text(r, 1)?,
                due_date: opt_text(r, 2)?,
                done: code::<crate::domain::MeasureStatus>(r, 3)? == crate::domain::MeasureStatus::Done,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut s = conn.prepare_cached(
        "SELECT u.full_name FROM collective_members c JOIN units u ON u.id = c.member_id
         WHERE c.collective_id = ?1 ORDER BY u.sort, u.id",
    )?;
    let members = s
        .query_map([unit_id], |r| text(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(CellDetail {
        article_no,
        unit_id,
        members,
        article_title,
        body,
        unit,
        roles,
        history,
        months,
        tasks,
    }))
}

/// One article a unit is named in, for "what does this unit owe?".
#[derive(Debug, Clone, PartialEq)]
pub struct FocusRow {
    pub article_no: i64,
    pub title: String,
    pub role: Role,
    /// The collective the role came through, if any (its full name).
    pub via: Option<String>,
    pub status: CellStatus,
    /// The unit's open measures on the article: id, text, due date.
    pub open_measures: Vec<(i64, String, Option<String>)>,
}

/// The articles `unit` is named in (lead before partner, direct before
/// through a collective), with its latest status in the window before
/// `today_month` and its open measures.
pub fn unit_focus(conn: &Connection, unit: i64, today_month: Month) -> Result<Vec<FocusRow>> {
    let mut from = today_month;
    for _ in 0..STATUS_WINDOW_MONTHS {
        from = from.prev();
    }
    let mut s = conn.prepare_cached(
        "SELECT x.article_no, a.title, x.role, v.full_name
         FROM assignments x JOIN articles a ON a.no = x.article_no LEFT JOIN units v ON v.id = x.via_id
         WHERE x.unit_id = ?1
         ORDER BY x.article_no, x.role = 'partner', x.via_id IS NOT NULL, x.ord",
    )?;
    let mut out: Vec<FocusRow> = Vec::new();
    let mut rows = s.query([unit])?;
    while let Some(r) = rows.next()? {
        let no: i64 = r.get(0)?;
        if out.last().is_some_and(|f| f.article_no == no) {
            continue;
        }
        out.push(FocusRow {
            article_no: no,
            title: text(r, 1)?,
            role: code(r, 2)?,
            via: opt_text(r, 3)?,
            status: CellStatus::NotReported,
            open_measures: Vec::new(),
        });
    }
    drop(rows);
    let collective = conn.query_row("SELECT kind = 'collective' FROM units WHERE id = ?1", [unit], |r| {
        r.get::<_, bool>(0)
    })?;
    let mut s = conn.prepare_cached(
        "SELECT i.article_no, i.status FROM reports r JOIN report_items i ON i.report_id = r.id
         WHERE r.unit_id = ?1 AND r.month >= ?2 AND r.status != 'returned' ORDER BY r.month, r.version_no",
    )?;
    let mut latest: HashMap<i64, Progress> = HashMap::new();
    let mut rows = s.query(params![unit, from.to_string()])?;
    while let Some(r) = rows.next()? {
        latest.insert(r.get(0)?, code(r, 1)?);
    }
    drop(rows);
    let mut s = conn.prepare_cached(
        "SELECT m.id, m.text, m.due_date FROM measures m JOIN measure_owners o ON o.measure_id = m.id
         WHERE o.unit_id = ?1 AND m.article_no = ?2 AND m.status = 'open' ORDER BY m.ord",
    )?;
    for f in &mut out {
        f.status = if collective {
            CellStatus::Collective
        } else {
            cell_status(latest.get(&f.article_no).copied())
        };
        f.open_measures = s
            .query_map(params![unit, f.article_no], |r| {
                Ok((r.get(0)?, text(r, 1)?, opt_text(r, 2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(out)
}
