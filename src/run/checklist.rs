//! `dudao authority …` and `dudao measure …`: the checklist's workflow and
//! the measures from the command line, through the same write path as the
//! console.

use std::io::Write;

use super::{Failure, db_path, fail, lang, today};
use crate::cli::{AuthorityCommand, Cli, MeasureCommand, MeasureStatusArg, exit};
use crate::config::Settings;
use crate::db::{self, Mode, audit::Actor};
use crate::domain::input::parse_date_input;
use crate::domain::{AuthorityDomain, AuthorityLevel, AuthorityStatus, Code, ItemKey, UnitKind};
use crate::export::{Cell, Writer};
use crate::i18n::{EN, Strings, ZH, fill};
use crate::ops::{self, Command, Outcome};
use crate::text::sanitize;

pub(super) fn authority(c: &AuthorityCommand, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    match c {
        AuthorityCommand::List(a) => list(a, cli, settings),
        AuthorityCommand::Show(a) => show(a, cli, settings),
        AuthorityCommand::Add(a) => add(a, cli, settings),
        AuthorityCommand::SetStatus(a) => set_status(a, cli, settings),
    }
}

pub(super) fn measure(c: &MeasureCommand, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    match c {
        MeasureCommand::List(a) => measure_list(a, cli, settings),
        MeasureCommand::Set(a) => measure_set(a, cli, settings),
    }
}

/// A value of a code enum by its code or its name in either language.
fn by_name<T: Code + Copy>(text: &str, label: impl Fn(&Strings, T) -> &'static str) -> Option<T> {
    let t = text.trim();
    T::all().iter().copied().find(|v| {
        v.code().eq_ignore_ascii_case(t)
            || label(&ZH, *v) == t
            || label(&EN, *v).eq_ignore_ascii_case(t)
            || label(&ZH, *v).replace(['（', '）'], "") == t.replace(['（', '）', '(', ')'], "")
    })
}

pub fn status_by_name(t: &str) -> Option<AuthorityStatus> {
    by_name(t, |s, v| s.authority(v))
}

fn domain_by_name(t: &str) -> Option<AuthorityDomain> {
    by_name(t, |s, v| s.domain(v))
}

fn level_by_name(t: &str) -> Option<AuthorityLevel> {
    by_name(t, |s, v| s.level(v))
}

fn choices<T: Code + Copy>(label: impl Fn(&Strings, T) -> &'static str) -> String {
    T::all()
        .iter()
        .map(|v| format!("{} ({})", v.code(), label(&ZH, *v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unit_by_name(conn: &rusqlite::Connection, name: &str, flag: &str) -> Result<db::units::UnitRef, Failure> {
    db::units::resolve(conn, name).map_err(|e| super::flag_failure(exit::INPUT, flag, &e))
}

/// `A3` or `3`: an authority item that exists.
fn authority_id(conn: &rusqlite::Connection, id: &str) -> Result<i64, Failure> {
    let t = id.trim();
    let n = t
        .strip_prefix(['A', 'a'])
        .unwrap_or(t)
        .parse::<i64>()
        .map_err(|_| fail(exit::INPUT, fill(crate::i18n::cli().not_authority_id, &[&sanitize(id)])))?;
    match db::checklist::state(conn, n)? {
        Some(_) => Ok(n),
        None => Err(fail(
            exit::INPUT,
            fill(crate::i18n::cli().no_authority_item, &[&sanitize(id)]),
        )),
    }
}

fn write_out(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<i32, Failure> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match f(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(exit::FAILURE, e.to_string())),
        _ => Ok(exit::OK),
    }
}

fn list(a: &crate::cli::AuthorityListArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let zone = match &a.zone {
        Some(z) => Some(match unit_by_name(&conn, z, "--zone") {
            Ok(u) if u.kind == UnitKind::Zone => u.id,
            first => match db::units::resolve(&conn, &format!("{}高新区", z.trim())) {
                Ok(u) if u.kind == UnitKind::Zone => u.id,
                _ => first?.id,
            },
        }),
        None => None,
    };
    let domain = match &a.domain {
        Some(d) => Some(domain_by_name(d).ok_or_else(|| {
            fail(
                exit::INPUT,
                format!(
                    "--domain {}: one of {}",
                    sanitize(d),
                    choices::<AuthorityDomain>(|s, v| s.domain(v))
                ),
            )
        })?),
        None => None,
    };
    let status = match &a.status {
        Some(x) => Some(status_by_name(x).ok_or_else(|| {
            fail(
                exit::INPUT,
                format!(
                    "--status {}: one of {}",
                    sanitize(x),
                    choices::<AuthorityStatus>(|s, v| s.authority(v))
                ),
            )
        })?),
        None => None,
    };
    let rows: Vec<db::checklist::AuthorityRow> = db::checklist::items(&conn)?
        .into_iter()
        .filter(|r| zone.is_none_or(|z| r.zone_id == z))
        .filter(|r| domain.is_none_or(|d| r.domain == d))
        .filter(|r| status.is_none_or(|s| r.status == s))
        .collect();
    let s = lang(settings).s();
    let human = matches!(a.format, crate::export::Format::Table | crate::export::Format::Md);
    let keys = [
        "id",
        "zone",
        "domain",
        "level",
        "name",
        "grantor",
        "status",
        "doc_no",
        "proposed",
        "approved",
        "delegated",
        "due",
    ];
    let heads = [
        "ID",
        s.col_zone,
        s.col_domain,
        s.col_level,
        s.col_item,
        s.col_grantor,
        s.col_status,
        s.col_doc_no,
        s.col_proposed,
        s.col_approved,
        s.col_delegated,
        s.col_due,
    ];
    write_out(|out| {
        let mut w = Writer::begin(
            a.format,
            out,
            keys.iter().map(|k| k.to_string()).collect(),
            heads.iter().map(|k| k.to_string()).collect(),
        )?;
        for r in &rows {
            let (domain, level, st) = if human {
                (s.domain(r.domain), s.level(r.level), s.authority(r.status))
            } else {
                (r.domain.code(), r.level.code(), r.status.code())
            };
            w.row(&[
                Cell::text(ItemKey::Authority(r.id).to_string()),
                Cell::text(&r.zone),
                Cell::text(domain),
                Cell::text(level),
                Cell::text(&r.name),
                Cell::text(&r.grantor),
                Cell::text(st),
                Cell::text(&r.doc_no),
                Cell::opt(r.proposed_date.as_deref()),
                Cell::opt(r.approved_date.as_deref()),
                Cell::opt(r.delegated_date.as_deref()),
                Cell::opt(r.due_date.map(|d| d.to_string())),
            ])?;
        }
        w.finish()
    })
}

fn show(a: &crate::cli::AuthorityShowArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let id = authority_id(&conn, &a.id)?;
    let s = lang(settings).s();
    let Some(r) = db::checklist::items(&conn)?.into_iter().find(|r| r.id == id) else {
        return Err(fail(
            exit::INPUT,
            fill(crate::i18n::cli().no_authority_item, &[&sanitize(&a.id)]),
        ));
    };
    let events = db::checklist::events(&conn, id)?;
    let mut t = String::new();
    let mut line = |l: String| {
        t.push_str(&sanitize(&l));
        t.push('\n');
    };
    line(format!("{}  {} · {}", ItemKey::Authority(id), r.zone, r.name));
    line(s.kv(
        s.col_status,
        format!(
            "{} · {} · {}",
            s.authority(r.status),
            s.domain(r.domain),
            s.level(r.level)
        ),
    ));
    if !r.grantor.is_empty() {
        line(s.kv(s.col_grantor, &r.grantor));
    }
    if !r.doc_no.is_empty() {
        line(s.kv(s.col_doc_no, &r.doc_no));
    }
    if let Some(d) = r.due_date {
        line(s.kv(s.col_due, d));
    }
    if !r.note.is_empty() {
        line(s.kv(s.notes, &r.note));
    }
    if !events.is_empty() {
        line(format!("{}{}", s.status_history, s.colon));
        for e in &events {
            line(format!("  {}", crate::present::event_text(e, s)));
        }
    }
    write_out(|out| out.write_all(t.as_bytes()))
}

fn write_ctx(cli: &Cli, settings: &Settings, conn: &rusqlite::Connection) -> Result<ops::Context, Failure> {
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    Ok(ops::Context::new(Actor::current(), today(cli, conn)?).with_calendar(cal))
}

fn add(a: &crate::cli::AuthorityAddArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    // A zone by any of its names; "拉萨" means 拉萨高新区 here, not 拉萨市.
    let zone = match unit_by_name(&conn, &a.zone, "--zone") {
        Ok(u) if u.kind == UnitKind::Zone => u,
        first => match db::units::resolve(&conn, &format!("{}高新区", a.zone.trim())) {
            Ok(u) if u.kind == UnitKind::Zone => u,
            _ => first?,
        },
    };
    if zone.kind != UnitKind::Zone {
        return Err(fail(
            exit::INPUT,
            format!(
                "--zone {}: {} is not a high-tech zone",
                sanitize(&a.zone),
                zone.full_name
            ),
        ));
    }
    let domain = domain_by_name(&a.domain).ok_or_else(|| {
        fail(
            exit::INPUT,
            format!(
                "--domain {}: one of {}",
                sanitize(&a.domain),
                choices::<AuthorityDomain>(|s, v| s.domain(v))
            ),
        )
    })?;
    let level = level_by_name(&a.level).ok_or_else(|| {
        fail(
            exit::INPUT,
            format!(
                "--level {}: region (自治区级) or prefecture (地（市）级)",
                sanitize(&a.level)
            ),
        )
    })?;
    let grantor = match &a.grantor {
        Some(g) => Some(unit_by_name(&conn, g, "--grantor")?.id),
        None => None,
    };
    let due = match &a.due {
        Some(d) => Some(parse_date_input(d, ctx.today).map_err(|e| super::date_failure(exit::INPUT, "--due", e))?),
        None => None,
    };
    let cmd = Command::AuthorityAdd {
        fields: Box::new(db::checklist::AuthorityFields {
            zone_id: zone.id,
            domain,
            level,
            name: a.name.clone(),
            grantor_id: grantor,
            due_date: due,
            note: a.note.clone(),
        }),
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let what = match &o {
        Outcome::Applied(x) => format!("{} {}", x.item, a.name),
        _ => a.name.clone(),
    };
    let added = format!(
        "{}（{}）",
        crate::i18n::cli().verb_added,
        lang(settings).s().authority(AuthorityStatus::Proposed)
    );
    Ok(super::ids::say_outcome(&what, &o, &cmd, &added))
}

fn set_status(a: &crate::cli::SetStatusArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let id = authority_id(&conn, &a.id)?;
    let to = status_by_name(&a.status).ok_or_else(|| {
        fail(
            exit::INPUT,
            format!(
                "{}: one of {}",
                sanitize(&a.status),
                choices::<AuthorityStatus>(|s, v| s.authority(v))
            ),
        )
    })?;
    let date = match &a.date {
        Some(d) => parse_date_input(d, ctx.today).map_err(|e| super::date_failure(exit::INPUT, "--date", e))?,
        None => ctx.today,
    };
    let st = db::checklist::state(&conn, id)?.ok_or_else(|| {
        fail(
            exit::INPUT,
            fill(crate::i18n::cli().no_authority_item, &[&ItemKey::Authority(id)]),
        )
    })?;
    let cmd = Command::AuthorityMove {
        item: id,
        version: st.version,
        to,
        date,
        doc_no: a.doc_no.clone(),
        note: a.note.clone(),
        undoes: None,
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let what = format!("{} {}", ItemKey::Authority(id), st.name);
    let now = fill(crate::i18n::cli().verb_now, &[&lang(settings).s().authority(to)]);
    Ok(super::ids::say_outcome(&what, &o, &cmd, &now))
}

fn measure_list(a: &crate::cli::MeasureListArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let unit = match &a.unit {
        Some(u) => Some(unit_by_name(&conn, u, "--unit")?.id),
        None => None,
    };
    let rows = db::measures::list(
        &conn,
        &db::measures::MeasureFilter {
            article: a.article,
            unit,
            open_only: a.open,
        },
    )?;
    let s = lang(settings).s();
    let human = matches!(a.format, crate::export::Format::Table | crate::export::Format::Md);
    let keys = ["id", "article", "ord", "text", "owners", "due", "status", "done_date"];
    let heads = [
        "ID",
        s.col_article,
        "#",
        s.col_measure,
        s.col_owners,
        s.col_due,
        s.col_status,
        s.col_done_date,
    ];
    write_out(|out| {
        let mut w = Writer::begin(
            a.format,
            out,
            keys.iter().map(|k| k.to_string()).collect(),
            heads.iter().map(|k| k.to_string()).collect(),
        )?;
        for m in &rows {
            let owners: Vec<&str> = m.owners.iter().map(|o| o.1.as_str()).collect();
            let status = if human {
                s.measure_status(m.status).to_string()
            } else {
                m.status.code().to_string()
            };
            w.row(&[
                Cell::text(ItemKey::Measure(m.id).to_string()),
                Cell::Int(m.article_no),
                Cell::Int(m.ord),
                Cell::text(&m.text),
                Cell::text(owners.join("、")),
                Cell::opt(m.due.map(|d| d.to_string())),
                Cell::Text(status),
                Cell::opt(m.done_date.map(|d| d.to_string())),
            ])?;
        }
        w.finish()
    })
}

fn measure_set(a: &crate::cli::MeasureSetArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let t = a.id.trim();
    let id: i64 = t.strip_prefix(['M', 'm']).unwrap_or(t).parse().map_err(|_| {
        fail(
            exit::INPUT,
            fill(crate::i18n::cli().not_measure_id, &[&sanitize(&a.id)]),
        )
    })?;
    let m = db::measures::get(&conn, id)?
        .ok_or_else(|| fail(exit::INPUT, fill(crate::i18n::cli().no_measure, &[&sanitize(&a.id)])))?;
    if a.due.is_none() && a.status.is_none() && a.done_date.is_none() && a.owners.is_empty() {
        return Err(fail(
            exit::USAGE,
            "nothing to set: give --due, --status, --done-date or --owner",
        ));
    }
    let mut plan = m.plan();
    if let Some(d) = &a.due {
        plan.due = if d.trim().eq_ignore_ascii_case("none") {
            None
        } else {
            Some(parse_date_input(d, ctx.today).map_err(|e| super::date_failure(exit::INPUT, "--due", e))?)
        };
    }
    let done_date = match &a.done_date {
        Some(d) => {
            Some(parse_date_input(d, ctx.today).map_err(|e| super::date_failure(exit::INPUT, "--done-date", e))?)
        }
        None => None,
    };
    match (a.status, done_date) {
        (Some(MeasureStatusArg::Open), Some(_)) => {
            return Err(fail(exit::USAGE, crate::i18n::cli().done_date_with_done));
        }
        (Some(MeasureStatusArg::Open), None) => plan.done = None,
        (Some(MeasureStatusArg::Done), d) => plan.done = Some(d.or(plan.done).unwrap_or(ctx.today)),
        (None, Some(d)) => plan.done = Some(d),
        (None, None) => {}
    }
    if !a.owners.is_empty() {
        plan.owners = a
            .owners
            .iter()
            .filter(|o| !o.trim().is_empty())
            .map(|o| unit_by_name(&conn, o, "--owner").map(|u| u.id))
            .collect::<Result<_, _>>()?;
    }
    let cmd = Command::MeasureSet {
        measure: id,
        version: m.version,
        plan,
        undoes: None,
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    Ok(super::ids::say_outcome(
        &ItemKey::Measure(id).to_string(),
        &o,
        &cmd,
        crate::i18n::cli().verb_measure_set,
    ))
}
