//! The delegated-authority checklist's workflow: moving an item along
//! 拟下放 → 已报批 → 已批准 → 已下放 → 已承接 (or 暂缓, 收回), adding and editing
//! items. Each change records an event (date, document number, note, who)
//! and its audit row; each returns its inverse. Nothing is deleted: taking
//! an item away is 收回 with a reason.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::json;

use super::{Applied, Command, Context, Outcome, Refusal, precheck, record};
use crate::db::checklist::{AuthorityFields, AuthorityState};
use crate::db::{self, Result};
use crate::domain::input::{MAX_NOTE, MAX_REASON, clean_text};
use crate::domain::{AuthorityStatus, ItemKey, UnitKind};

use crate::domain::input::{MAX_DOC_NO, MAX_ITEM_NAME as MAX_NAME};

pub(super) fn apply(tx: &Connection, ctx: &Context, at: &str, cmd: &Command) -> Result<Outcome> {
    match cmd {
        Command::AuthorityMove {
            item,
            version,
            to,
            date,
            doc_no,
            note,
            undoes,
        } => move_item(tx, ctx, at, cmd, *item, *version, *to, *date, doc_no, note, *undoes),
        Command::AuthorityRestore {
            item,
            version,
            state,
            undoes,
        } => restore(tx, ctx, at, cmd, *item, *version, state, *undoes),
        Command::AuthorityAdd { fields } => add(tx, ctx, at, cmd, fields),
        Command::AuthorityEdit {
            item,
            version,
            fields,
            undoes,
        } => edit(tx, ctx, at, cmd, *item, *version, fields, *undoes),
        _ => unreachable!("checklist commands only"),
    }
}

fn state_json(s: &AuthorityState) -> serde_json::Value {
    json!({
        "status": s.status.code(), "doc_no": s.doc_no, "proposed_date": s.proposed_date,
        "approved_date": s.approved_date, "delegated_date": s.delegated_date, "version": s.version,
    })
}

#[allow(clippy::too_many_arguments)]
fn move_item(
    tx: &Connection,
    ctx: &Context,
    at: &str,
    cmd: &Command,
    id: i64,
    version: i64,
    to: AuthorityStatus,
    date: NaiveDate,
    doc_no: &str,
    note: &str,
    undoes: Option<i64>,
) -> Result<Outcome> {
    let key = ItemKey::Authority(id);
    if let Some(o) = precheck(tx, ctx, key, Some(version))? {
        return Ok(o);
    }
    let Some(old) = db::checklist::state(tx, id)? else {
        return Ok(Outcome::Refused(Refusal::NotFound));
    };
    let undo_of_add = undoes.is_some();
    if !old.status.may_become(to) {
        return Ok(Outcome::Refused(Refusal::StatusNotAllowed { from: old.status, to }));
    }
    let note = match clean_text(note, MAX_REASON, to.needs_reason() && !undo_of_add) {
        Ok(n) => n,
        Err(crate::domain::input::TextError::Empty) => return Ok(Outcome::Refused(Refusal::NeedsReason)),
        Err(e) => return Ok(Outcome::Refused(Refusal::Text(e))),
    };
    let doc = match clean_text(doc_no, MAX_DOC_NO, false) {
        Ok(d) => d,
        Err(e) => return Ok(Outcome::Refused(Refusal::Text(e))),
    };
    if to.needs_doc() && doc.is_empty() && old.doc_no.trim().is_empty() {
        return Ok(Outcome::Refused(Refusal::NeedsDocNo));
    }
    if date > ctx.today {
        return Ok(Outcome::Refused(Refusal::DateInFuture));
    }
    let mut new = old.clone();
    new.status = to;
    if !doc.is_empty() {
        new.doc_no = doc.clone();
    }
    let d = Some(date.to_string());
    match to {
        AuthorityStatus::Approved => new.approved_date = d,
        AuthorityStatus::Delegated => new.delegated_date = d,
        // Undertaken without a recorded delegation: it was delegated then too.
        AuthorityStatus::Undertaken if new.delegated_date.is_none() => new.delegated_date = d,
        _ => {}
    }
    if !db::checklist::set_state(tx, &new, version)? {
        return super::conflict(tx, key);
    }
    new.version = version + 1;
    db::checklist::insert_event(
        tx,
        id,
        at,
        date,
        Some(old.status),
        to,
        &new.doc_no,
        &note,
        &ctx.actor,
        undo_of_add,
    )?;
    let mut n = state_json(&new);
    n["date"] = json!(date.to_string());
    n["note"] = json!(note);
    if let Some(u) = undoes {
        n["undoes"] = json!(u);
    }
    let audit_id = record(tx, ctx, at, cmd.action(), key, Some(state_json(&old)), n)?;
    let undo = (!cmd.is_undo()).then(|| Command::AuthorityRestore {
        item: id,
        version: new.version,
        state: Box::new(old),
        undoes: Some(audit_id),
    });
    Ok(Outcome::Applied(Applied {
        item: key,
        audit_id,
        undo,
    }))
}

#[allow(clippy::too_many_arguments)]
fn restore(
    tx: &Connection,
    ctx: &Context,
    at: &str,
    cmd: &Command,
    id: i64,
    version: i64,
    state: &AuthorityState,
    undoes: Option<i64>,
) -> Result<Outcome> {
    let key = ItemKey::Authority(id);
    if let Some(o) = precheck(tx, ctx, key, Some(version))? {
        return Ok(o);
    }
    let Some(old) = db::checklist::state(tx, id)? else {
        return Ok(Outcome::Refused(Refusal::NotFound));
    };
    let mut back = state.clone();
    back.id = id;
    if !db::checklist::set_state(tx, &back, version)? {
        return super::conflict(tx, key);
    }
    db::checklist::insert_event(
        tx,
        id,
        at,
        ctx.today,
        Some(old.status),
        back.status,
        &back.doc_no,
        "",
        &ctx.actor,
        true,
    )?;
    let mut n = state_json(&back);
    n["undoes"] = json!(undoes);
    let audit_id = record(tx, ctx, at, cmd.action(), key, Some(state_json(&old)), n)?;
    Ok(Outcome::Applied(Applied {
        item: key,
        audit_id,
        undo: None,
    }))
}

/// Checks an item's fields: a zone, a name not taken in it, a granting
/// department that exists, texts that fit. Returns them cleaned.
fn check_fields(
    tx: &Connection,
    ctx: &Context,
    f: &AuthorityFields,
    except: Option<i64>,
) -> Result<std::result::Result<AuthorityFields, Refusal>> {
    let zone = db::units::by_id(tx, f.zone_id)?;
    if zone.map(|z| z.kind) != Some(UnitKind::Zone) {
        return Ok(Err(Refusal::NotAZone));
    }
    if let Some(g) = f.grantor_id
        && db::units::by_id(tx, g)?.is_none()
    {
        return Ok(Err(Refusal::NotFound));
    }
    let name = match clean_text(&f.name, MAX_NAME, true) {
        Ok(n) => n,
        Err(e) => return Ok(Err(Refusal::Text(e))),
    };
    let note = match clean_text(&f.note, MAX_NOTE, false) {
        Ok(n) => n,
        Err(e) => return Ok(Err(Refusal::Text(e))),
    };
    if let Some(d) = f.due_date
        && (d - ctx.today).num_days() > 5 * 366
    {
        return Ok(Err(Refusal::DateTooFar));
    }
    if db::checklist::name_taken(tx, f.zone_id, &name, except)? {
        return Ok(Err(Refusal::NameTaken));
    }
    Ok(Ok(AuthorityFields {
        name,
        note,
        ..f.clone()
    }))
}

fn fields_json(f: &AuthorityFields) -> serde_json::Value {
    json!({
        "zone": f.zone_id, "domain": f.domain.code(), "level": f.level.code(), "name": f.name,
        "grantor": f.grantor_id, "due_date": f.due_date.map(|d| d.to_string()), "note": f.note,
    })
}

fn add(tx: &Connection, ctx: &Context, at: &str, cmd: &Command, f: &AuthorityFields) -> Result<Outcome> {
    let f = match check_fields(tx, ctx, f, None)? {
        Ok(f) => f,
        Err(r) => return Ok(Outcome::Refused(r)),
    };
    let id = db::checklist::insert(tx, &f, ctx.today)?;
    let key = ItemKey::Authority(id);
    db::checklist::insert_event(
        tx,
        id,
        at,
        ctx.today,
        None,
        AuthorityStatus::Proposed,
        "",
        &f.note,
        &ctx.actor,
        false,
    )?;
    let audit_id = record(tx, ctx, at, cmd.action(), key, None, fields_json(&f))?;
    // Nothing is deleted: an added item is undone by 收回.
    let undo = Command::AuthorityMove {
        item: id,
        version: 1,
        to: AuthorityStatus::Revoked,
        date: ctx.today,
        doc_no: String::new(),
        note: String::new(),
        undoes: Some(audit_id),
    };
    Ok(Outcome::Applied(Applied {
        item: key,
        audit_id,
        undo: Some(undo),
    }))
}

#[allow(clippy::too_many_arguments)]
fn edit(
    tx: &Connection,
    ctx: &Context,
    at: &str,
    cmd: &Command,
    id: i64,
    version: i64,
    f: &AuthorityFields,
    undoes: Option<i64>,
) -> Result<Outcome> {
    let key = ItemKey::Authority(id);
    if let Some(o) = precheck(tx, ctx, key, Some(version))? {
        return Ok(o);
    }
    let Some((old, _)) = db::checklist::fields(tx, id)? else {
        return Ok(Outcome::Refused(Refusal::NotFound));
    };
    let f = match check_fields(tx, ctx, f, Some(id))? {
        Ok(f) => f,
        Err(r) => return Ok(Outcome::Refused(r)),
    };
    if !db::checklist::update(tx, id, version, &f)? {
        return super::conflict(tx, key);
    }
    let mut n = fields_json(&f);
    if let Some(u) = undoes {
        n["undoes"] = json!(u);
    }
    let audit_id = record(tx, ctx, at, cmd.action(), key, Some(fields_json(&old)), n)?;
    let undo = (!cmd.is_undo()).then(|| Command::AuthorityEdit {
        item: id,
        version: version + 1,
        fields: Box::new(old),
        undoes: Some(audit_id),
    });
    Ok(Outcome::Applied(Applied {
        item: key,
        audit_id,
        undo,
    }))
}
