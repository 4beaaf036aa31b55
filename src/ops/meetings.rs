//! The leading group's meetings: planning one, its agenda (议题), and once
//! held its minutes (attendance) and 议定事项. Every step is audited on
//! the meeting and has its undo.

use rusqlite::Connection;
use serde_json::json;

use super::{Applied, Command, Context, Outcome, Refusal, record};
use crate::db::{self, Result};
use crate::domain::input::{MAX_NOTE, MAX_REASON, clean_text};
use crate::domain::{ItemKey, MeetingStatus};

fn refused(r: Refusal) -> Result<Outcome> {
    Ok(Outcome::Refused(r))
}

fn applied(item: ItemKey, audit_id: i64, undo: Option<Command>) -> Result<Outcome> {
    Ok(Outcome::Applied(Applied { item, audit_id, undo }))
}

fn with_undoes(mut v: serde_json::Value, undoes: &Option<i64>) -> serde_json::Value {
    if let Some(u) = undoes {
        v["undoes"] = json!(u);
    }
    v
}

/// Longest agenda title, decision and attendance list, in characters.
pub const MAX_AGENDA_TITLE: usize = 200;
pub const MAX_DECISION: usize = 2000;
pub const MAX_ATTENDEES: usize = 2000;

pub(super) fn apply(tx: &Connection, ctx: &Context, at: &str, cmd: &Command) -> Result<Outcome> {
    let user = ctx.actor.user.as_str();
    match cmd {
        Command::MeetingPlan { date, title } => {
            let title = match clean_text(title, MAX_AGENDA_TITLE, true) {
                Ok(t) => t,
                Err(e) => return refused(Refusal::Text(e)),
            };
            if *date < ctx.today {
                return refused(Refusal::DateInPast);
            }
            if db::meetings::by_date(tx, *date)?.is_some() {
                return refused(Refusal::DateTaken);
            }
            let id = db::meetings::insert(tx, *date, &title, "quarterly", MeetingStatus::Planned)?;
            let key = ItemKey::Meeting(id);
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                None,
                json!({ "date": date.to_string(), "title": title }),
            )?;
            applied(
                key,
                audit_id,
                Some(Command::MeetingUnplan {
                    meeting: id,
                    undoes: Some(audit_id),
                }),
            )
        }
        Command::MeetingUnplan { meeting, undoes } => {
            let key = ItemKey::Meeting(*meeting);
            if db::meetings::get(tx, *meeting)?.is_none() {
                return refused(Refusal::NotFound);
            }
            if !db::meetings::delete_empty(tx, *meeting)? {
                return refused(Refusal::InUse);
            }
            let audit_id = record(tx, ctx, at, cmd.action(), key, None, with_undoes(json!({}), undoes))?;
            applied(key, audit_id, None)
        }
        Command::AgendaAdd {
            meeting,
            title,
            source,
            item,
            unit,
            note,
        } => {
            let key = ItemKey::Meeting(*meeting);
            let Some(m) = db::meetings::get(tx, *meeting)? else {
                return refused(Refusal::NotFound);
            };
            if m.status == MeetingStatus::Held {
                return refused(Refusal::MeetingHeld);
            }
            let title = match clean_text(title, MAX_AGENDA_TITLE, true) {
                Ok(t) => t,
                Err(e) => return refused(Refusal::Text(e)),
            };
            let note = match clean_text(note, MAX_NOTE, false) {
                Ok(t) => t,
                Err(e) => return refused(Refusal::Text(e)),
            };
            if let Some(i) = item
                && db::meetings::on_agenda(tx, *meeting, *i)?
            {
                return refused(Refusal::AlreadyEscalated);
            }
            let id = db::meetings::add_agenda(tx, *meeting, &title, *source, *item, *unit, &note, at, user)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                None,
                json!({ "agenda": id, "title": title, "source": source.code(),
                        "item": item.map(|k| k.to_string()), "unit": unit, "note": note }),
            )?;
            applied(
                key,
                audit_id,
                Some(Command::AgendaWithdraw {
                    agenda: id,
                    restore: false,
                    undoes: Some(audit_id),
                }),
            )
        }
        Command::AgendaWithdraw {
            agenda,
            restore,
            undoes,
        } => {
            let meeting = db::meetings::agenda_state(tx, *agenda)?.map(|a| a.0);
            let Some(meeting) = meeting else {
                return refused(Refusal::NotFound);
            };
            let key = ItemKey::Meeting(meeting);
            let when = (!restore).then_some(at);
            if !db::meetings::set_agenda_withdrawn(tx, *agenda, when)? {
                return refused(Refusal::AlreadyWithdrawn);
            }
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                None,
                with_undoes(json!({ "agenda": agenda }), undoes),
            )?;
            let undo = undoes.is_none().then(|| Command::AgendaWithdraw {
                agenda: *agenda,
                restore: !restore,
                undoes: Some(audit_id),
            });
            applied(key, audit_id, undo)
        }
        Command::MinutesRecord {
            meeting,
            held_on,
            attendees,
        } => {
            let key = ItemKey::Meeting(*meeting);
            if db::meetings::get(tx, *meeting)?.is_none() {
                return refused(Refusal::NotFound);
            }
            if *held_on > ctx.today {
                return refused(Refusal::DateInFuture);
            }
            let attendees = match clean_lines(attendees, MAX_ATTENDEES) {
                Ok(t) => t,
                Err(e) => return refused(Refusal::Text(e)),
            };
            if !db::meetings::set_minutes(tx, *meeting, *held_on, &attendees, at, user)? {
                return refused(Refusal::MeetingHeld);
            }
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                Some(json!({ "status": "planned" })),
                json!({ "status": "held", "held_on": held_on.to_string(), "attendees": attendees }),
            )?;
            applied(
                key,
                audit_id,
                Some(Command::MinutesClear {
                    meeting: *meeting,
                    undoes: Some(audit_id),
                }),
            )
        }
        Command::MinutesClear { meeting, undoes } => {
            let key = ItemKey::Meeting(*meeting);
            let Some(m) = db::meetings::get(tx, *meeting)? else {
                return refused(Refusal::NotFound);
            };
            if !m.decisions.is_empty() {
                return refused(Refusal::InUse);
            }
            if !db::meetings::clear_minutes(tx, *meeting)? {
                return refused(Refusal::MeetingNotHeld);
            }
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                Some(json!({ "status": "held" })),
                with_undoes(json!({ "status": "planned" }), undoes),
            )?;
            applied(key, audit_id, None)
        }
        Command::DecisionAdd { meeting, text, agenda } => {
            let key = ItemKey::Meeting(*meeting);
            let Some(m) = db::meetings::get(tx, *meeting)? else {
                return refused(Refusal::NotFound);
            };
            if m.minutes.is_none() {
                return refused(Refusal::MeetingNotHeld);
            }
            if agenda.is_some_and(|a| !m.agenda.iter().any(|x| x.id == a)) {
                return refused(Refusal::NotFound);
            }
            let text = match clean_text(text, MAX_DECISION, true) {
                Ok(t) => t,
                Err(e) => return refused(Refusal::Text(e)),
            };
            let (id, ord) = db::meetings::add_decision(tx, *meeting, &text, *agenda, at, user)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                None,
                json!({ "decision": id, "ord": ord, "text": text, "agenda": agenda }),
            )?;
            applied(
                key,
                audit_id,
                Some(Command::DecisionWithdraw {
                    decision: id,
                    restore: false,
                    undoes: Some(audit_id),
                }),
            )
        }
        Command::DecisionWithdraw {
            decision,
            restore,
            undoes,
        } => {
            let Some((meeting, live)) = db::meetings::decision(tx, *decision)? else {
                return refused(Refusal::NotFound);
            };
            let key = ItemKey::Meeting(meeting);
            if live == *restore {
                return refused(Refusal::AlreadyWithdrawn);
            }
            if !db::meetings::set_decision_withdrawn(tx, *decision, (!restore).then_some(at))? {
                return refused(Refusal::InUse);
            }
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                None,
                with_undoes(json!({ "decision": decision }), undoes),
            )?;
            let undo = undoes.is_none().then(|| Command::DecisionWithdraw {
                decision: *decision,
                restore: !restore,
                undoes: Some(audit_id),
            });
            applied(key, audit_id, undo)
        }
        _ => unreachable!("meeting commands only"),
    }
}

/// A list of names, one per line: each line cleaned, blank lines dropped.
fn clean_lines(text: &str, max: usize) -> std::result::Result<String, crate::domain::input::TextError> {
    let lines: Vec<String> = text
        .lines()
        .flat_map(|l| l.split(['、', ',', '，', ';', '；']))
        .map(|l| clean_text(l, MAX_REASON, false))
        .collect::<std::result::Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    let joined = lines.join("\n");
    clean_text(&joined.replace('\n', "、"), max, true).map(|_| joined)
}
