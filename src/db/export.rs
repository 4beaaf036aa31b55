//! The queries behind `dudao export`'s tables: each streamed row by row
//! to a caller that writes it out (a million reports are never held).

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::Result;

/// A table `dudao export` writes straight from a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Articles,
    Units,
    Matrix,
    Measures,
    Targets,
    Reports,
    Authority,
    Tasks,
    Meetings,
}

/// The names of a table's columns, in order.
pub fn columns(conn: &Connection, table: Table) -> Result<Vec<String>> {
    let stmt = conn.prepare(sql(table))?;
    Ok(stmt.column_names().map(|s| s.to_string()).collect())
}

/// Calls `row` with each row's values, in the order of [`columns`].
pub fn stream(conn: &Connection, table: Table, mut row: impl FnMut(&[ValueRef<'_>]) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(sql(table))?;
    let n = stmt.column_count();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let values = (0..n).map(|i| r.get_ref(i)).collect::<rusqlite::Result<Vec<_>>>()?;
        row(&values)?;
    }
    Ok(())
}

fn sql(t: Table) -> &'static str {
    match t {
        Table::Articles => {
            "SELECT a.no AS article_no, a.section, s.title AS section_title, a.title,
                (SELECT group_concat(full_name, '、') FROM (SELECT u.full_name FROM assignments x JOIN units u ON u.id = x.unit_id
                    WHERE x.article_no = a.no AND x.role = 'lead' AND x.via_id IS NULL ORDER BY x.ord)) AS lead,
                (SELECT group_concat(full_name, '、') FROM (SELECT u.full_name FROM assignments x JOIN units u ON u.id = x.unit_id
                    WHERE x.article_no = a.no AND x.role = 'partner' AND x.via_id IS NULL ORDER BY x.ord)) AS partner,
                a.body
             FROM articles a JOIN sections s ON s.no = a.section ORDER BY a.no"
        }
        Table::Units => {
            "SELECT u.id, u.name, u.short_name, u.full_name, u.kind, u.reporting,
                (SELECT group_concat(alias, '、') FROM unit_aliases WHERE unit_id = u.id) AS aliases,
                (SELECT group_concat(name, '、') FROM (SELECT m.name FROM collective_members c JOIN units m ON m.id = c.member_id
                    WHERE c.collective_id = u.id ORDER BY m.sort)) AS members,
                u.note
             FROM units u ORDER BY u.sort, u.id"
        }
        Table::Matrix => {
            "SELECT x.article_no, a.title AS article_title, u.full_name AS unit, x.role,
                COALESCE(v.full_name, '') AS via
             FROM assignments x JOIN articles a ON a.no = x.article_no
             JOIN units u ON u.id = x.unit_id LEFT JOIN units v ON v.id = x.via_id
             ORDER BY x.article_no, x.ord, x.via_id IS NOT NULL, u.sort, u.id"
        }
        Table::Measures => {
            "SELECT m.id, m.article_no, m.ord, m.text,
                (SELECT group_concat(full_name, '、') FROM (SELECT u.full_name FROM measure_owners o JOIN units u ON u.id = o.unit_id
                    WHERE o.measure_id = m.id ORDER BY u.sort)) AS owners,
                m.due_date, m.status, m.done_date,
                (SELECT count(*) FROM extensions e WHERE e.entity = 'measure' AND e.entity_key = CAST(m.id AS TEXT)) AS extensions
             FROM measures m ORDER BY m.article_no, m.ord"
        }
        Table::Targets => {
            "SELECT t.code, t.name, t.comparator, t.value AS target, t.unit, t.kind, t.deadline,
                r.full_name AS reporter,
                (SELECT value FROM indicator_values iv WHERE iv.target_code = t.code ORDER BY period DESC LIMIT 1) AS latest,
                (SELECT period FROM indicator_values iv WHERE iv.target_code = t.code ORDER BY period DESC LIMIT 1) AS latest_period
             FROM targets t LEFT JOIN units r ON r.id = t.reporter_id ORDER BY t.ord"
        }
        Table::Reports => {
            // due_date, days_late and on_time are computed from due_date
            // and received_at with the working-day calendar (see `reports`).
            "SELECT u.full_name AS unit, r.month, r.version_no, r.status,
                coalesce((SELECT e.new_due FROM extensions e WHERE e.entity = 'report'
                    AND e.entity_key = r.unit_id || ':' || r.month AND e.withdrawn_at IS NULL
                    ORDER BY e.id DESC LIMIT 1), r.due_date) AS due_date,
                r.received_at, NULL AS days_late, NULL AS on_time,
                r.summary, r.return_reason, r.resubmit_by, r.source, r.contact_name, r.contact_phone,
                i.original_name AS file
             FROM reports r JOIN units u ON u.id = r.unit_id LEFT JOIN imports i ON i.id = r.import_id
             ORDER BY r.month, u.sort, u.id, r.version_no"
        }
        Table::Authority => {
            "SELECT z.full_name AS zone, i.domain, i.level, i.name, g.full_name AS grantor, i.status, i.doc_no,
                i.proposed_date, i.approved_date, i.delegated_date, i.due_date, i.note
             FROM authority_items i JOIN units z ON z.id = i.zone_id LEFT JOIN units g ON g.id = i.grantor_id
             ORDER BY z.sort, i.domain, i.id"
        }
        Table::Tasks => {
            "SELECT 'D' || t.id AS id, t.code, t.year, t.seq, t.source,
                CASE t.source
                  WHEN 'decision' THEN (SELECT m.title || ' 议定事项' || d.ord FROM decisions d
                                        JOIN meetings m ON m.id = d.meeting_id WHERE d.id = t.decision_id)
                  WHEN 'instruction' THEN (SELECT i.leader || ' ' || i.date || ' ' || i.text FROM instructions i
                                           WHERE i.id = t.instruction_id)
                  ELSE '' END AS origin,
                t.title, t.text, u.full_name AS lead,
                (SELECT group_concat(full_name, '、') FROM (SELECT p2.full_name FROM task_partners p
                    JOIN units p2 ON p2.id = p.unit_id WHERE p.task_id = t.id ORDER BY p2.sort)) AS partners,
                t.leader, t.assigned_on, t.due_date, t.state, t.acknowledged_on, t.closed_on, t.close_note,
                (SELECT count(*) FROM task_events e WHERE e.task_id = t.id AND e.kind = 'feedback'
                    AND e.undone_at IS NULL) AS feedback,
                (SELECT count(*) FROM extensions e WHERE e.entity = 'task' AND e.entity_key = CAST(t.id AS TEXT)
                    AND e.withdrawn_at IS NULL) AS extensions,
                (SELECT count(*) FROM task_requests q WHERE q.task_id = t.id AND q.status = 'pending')
                    AS pending_requests
             FROM tasks t JOIN units u ON u.id = t.lead_unit_id
             ORDER BY t.year, t.seq"
        }
        Table::Meetings => {
            "SELECT 'G' || m.id AS id, m.date, m.title, m.status, n.held_on, n.attendees,
                (SELECT count(*) FROM agenda_items a WHERE a.meeting_id = m.id AND a.withdrawn_at IS NULL) AS agenda,
                (SELECT group_concat(text, char(10)) FROM (SELECT d.ord || '. ' || d.text AS text FROM decisions d
                    WHERE d.meeting_id = m.id AND d.withdrawn_at IS NULL ORDER BY d.ord)) AS decisions
             FROM meetings m LEFT JOIN meeting_minutes n ON n.meeting_id = m.id
             ORDER BY m.date"
        }
    }
}
