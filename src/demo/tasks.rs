//! The sample's 督办 work: the leading group's meetings from 2025 with
//! agendas, minutes and 议定事项; leaders' 批示; the office's own 立项; tasks
//! from all three in every state of the loop, with acknowledgments,
//! progress, requests to close, closings, returns, and units' requests
//! answered and waiting. Deterministic, as the rest of the sample.

use chrono::{Datelike, NaiveDate};
use rusqlite::Transaction;

use super::rng::{Rng, key};
use super::{DemoOptions, add_days, date};
use crate::db::audit::Actor;
use crate::db::tasks::{Instruction, NewTask};
use crate::db::{self, Result};
use crate::domain::MeetingStatus;
use crate::domain::task::{
    AgendaSource, DEFAULT_TASK_PREFIX, FeedbackSource, RequestKind, RequestStatus, TaskSource, TaskState,
};

/// Matters article 17 has the leading group 审定, as agenda items.
const MATTERS: &[&str] = &[
    "审定拉萨高新区双创示范基地认定",
    "审定众创空间运营补贴（第{}批）",
    "审定一次性建设资金安排方案",
    "审定科技企业孵化器绩效评价结果",
    "听取各成员单位双创工作进展汇报",
    "审定撤销两家众创空间备案资格",
    "审定年度双创活动周工作方案",
    "研究高校毕业生创业扶持政策落实情况",
];

/// What the leading group decides, as 议定事项.
const DECISIONS: &[&str] = &[
    "由{}牵头，会同相关单位于会后两个月内完成示范基地认定材料复核，报领导小组办公室备案。",
    "同意拨付一次性建设资金，由{}负责资金监管和绩效跟踪，每月报送执行进度。",
    "由{}牵头修订众创空间运营补贴管理办法，征求成员单位意见后报领导小组审定。",
    "各成员单位对照分工方案逐条梳理落实情况，由{}汇总形成专题报告。",
    "由{}会同财政部门开展孵化器绩效评价整改，问题清单逐项销号。",
    "由{}牵头组织双创活动周，活动方案报领导小组办公室备案。",
];

/// Leaders' 批示, as (leader, text, document).
const INSTRUCTIONS: &[(&str, &str, &str)] = &[
    (
        "自治区领导（分管科技）",
        "请科技厅抓紧研究，提出加快科技成果转化的具体措施。",
        "《关于我区科技成果转化情况的调研报告》",
    ),
    (
        "自治区领导（分管发展改革）",
        "高新区双创平台建设要加快进度，请发展改革委督促落实。",
        "《双创工作专报》第12期",
    ),
    (
        "自治区领导（分管人力资源社会保障）",
        "高校毕业生创业担保贷款政策要落实到位，请人社厅牵头梳理堵点。",
        "《关于高校毕业生创业情况的报告》",
    ),
    (
        "自治区领导（分管财政）",
        "双创专项资金使用情况请财政厅会同有关部门开展一次专项检查。",
        "《双创专项资金使用情况汇报》",
    ),
    (
        "自治区领导（分管教育）",
        "请教育厅推动高校创新创业课程建设，年底前报送进展。",
        "《高校创新创业教育情况专报》",
    ),
    (
        "自治区领导（分管市场监管）",
        "请市场监管局研究简化创业企业登记流程。",
        "《优化营商环境工作简报》第8期",
    ),
];

/// The office's own 立项.
const OFFICE_TASKS: &[&str] = &[
    "报送上半年双创工作总结",
    "完成双创示范基地年度评估自评材料",
    "整改季度审议通报指出的逾期问题",
    "更新众创空间和孵化器名录",
    "报送双创活动周总结",
    "梳理授权事项承接情况并提出建议",
];

const FEEDBACK: &[&str] = &[
    "已召开专题会议研究部署，明确责任处室和时间节点。",
    "已形成初步方案，正在征求相关单位意见。",
    "已完成实地调研，正在汇总问题清单。",
    "资金已下达，正在跟踪项目建设进度。",
    "已完成材料复核，待报领导小组办公室备案。",
    "已按要求完成整改，相关材料已归档。",
];

const ATTENDEES: &str =
    "领导小组组长\n领导小组副组长\n科技厅\n发展改革委\n教育厅\n财政厅\n人力资源社会保障厅\n市场监管局\n领导小组办公室";

struct Ctx<'a> {
    tx: &'a Transaction<'a>,
    opts: DemoOptions,
    actor: Actor,
    /// Departments (kind department), for lead and partner units: (id, name).
    units: Vec<(i64, String)>,
}

impl Ctx<'_> {
    fn at(&self, d: NaiveDate) -> String {
        format!("{}T09:00:00Z", date(d))
    }
}

/// Generates the 督办 sample; how many tasks.
pub fn generate(tx: &Transaction, opts: DemoOptions) -> Result<u64> {
    let units: Vec<(i64, String)> = db::units::reporting(tx)?
        .into_iter()
        .filter(|u| u.kind == crate::domain::UnitKind::Department)
        .map(|u| (u.id, u.name))
        .collect();
    if units.len() < 3 {
        return Ok(0);
    }
    let c = Ctx {
        tx,
        opts,
        actor: Actor::demo(),
        units,
    };
    let mut n = 0;
    n += meetings(&c)?;
    n += instructions(&c)?;
    n += office(&c)?;
    if opts.scale > 1 {
        n += bulk(&c)?;
    }
    Ok(n)
}

/// Meetings from 2025: agendas for every one, minutes and decisions (each
/// a task) for those held.
fn meetings(c: &Ctx) -> Result<u64> {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid");
    let mut n = 0;
    let all = db::meetings::list(c.tx)?;
    let mut list: Vec<_> = all.into_iter().filter(|m| m.date >= start).collect();
    list.sort_by_key(|m| m.date);
    for (mi, m) in list.iter().enumerate() {
        let mut r = Rng::keyed(c.opts.seed, &[key("meeting"), m.id as u64]);
        let prep = add_days(m.date, -14);
        let mut agenda = Vec::new();
        for k in 0..3 {
            let matter = MATTERS[(mi * 3 + k) % MATTERS.len()].replace("{}", &(mi + 1).to_string());
            let (source, unit) = match k {
                0 => (AgendaSource::Submitted, Some(r.pick(&c.units).0)),
                _ => (AgendaSource::Office, None),
            };
            let id = db::meetings::add_agenda(c.tx, m.id, &matter, source, None, unit, "", &c.at(prep), &c.actor.user)?;
            agenda.push(id);
        }
        if m.status != MeetingStatus::Held {
            // The next meeting also takes what was escalated to the group.
            let first_planned = list.iter().find(|x| x.status == MeetingStatus::Planned).map(|x| x.id);
            if first_planned != Some(m.id) {
                continue;
            }
            for (e, k) in escalated(c)?.into_iter().take(3) {
                let title = format!("上报事项：{e}");
                db::meetings::add_agenda(
                    c.tx,
                    m.id,
                    &title,
                    AgendaSource::Escalated,
                    Some(k),
                    None,
                    "",
                    &c.at(prep),
                    &c.actor.user,
                )?;
            }
            continue;
        }
        db::meetings::set_minutes(c.tx, m.id, m.date, ATTENDEES, &c.at(m.date), &c.actor.user)?;
        for k in 0..2 {
            let lead = r.pick(&c.units).clone();
            let text = DECISIONS[(mi * 2 + k) % DECISIONS.len()].replace("{}", &lead.1);
            let (decision, _) =
                db::meetings::add_decision(c.tx, m.id, &text, Some(agenda[k]), &c.at(m.date), &c.actor.user)?;
            let title = format!("落实{}议定事项{}", short_title(&m.title), k + 1);
            task(
                c,
                &mut r,
                TaskSource::Decision,
                Some(decision),
                None,
                &title,
                &text,
                lead.0,
                add_days(m.date, 3),
                None,
            )?;
            n += 1;
        }
    }
    Ok(n)
}

/// Items escalated to the leading group: (what, item), measures first.
fn escalated(c: &Ctx) -> Result<Vec<(String, crate::domain::ItemKey)>> {
    use crate::domain::ItemKey;
    let mut out = Vec::new();
    let mut flags: Vec<_> = db::flags::all_flags(c.tx)?.into_iter().collect();
    flags.sort_by(|a, b| a.0.cmp(&b.0));
    for ((e, k), (f, _)) in flags {
        if f.escalated_at.is_none() {
            continue;
        }
        if let Some(ItemKey::Measure(id)) = ItemKey::from_stored(&e, &k)
            && let Some(m) = db::measures::get(c.tx, id)?
        {
            let head: String = m.text.chars().take(24).collect();
            out.push((format!("第{}条 {head}…", m.article_no), ItemKey::Measure(id)));
        }
    }
    Ok(out)
}

/// "2026年第三季度会议" from the meeting's full title.
fn short_title(t: &str) -> String {
    t.split("领导小组").nth(1).unwrap_or(t).to_string()
}

fn instructions(c: &Ctx) -> Result<u64> {
    let mut n = 0;
    for (i, (leader, text, document)) in INSTRUCTIONS.iter().enumerate() {
        let mut r = Rng::keyed(c.opts.seed, &[key("instruction"), i as u64]);
        // Spread over the last eighteen months.
        let on = add_days(c.opts.as_of, -(540 - 90 * i as i64).max(20));
        let ins = Instruction {
            id: 0,
            leader: leader.to_string(),
            date: on,
            text: text.to_string(),
            document: document.to_string(),
            doc_no: format!("批办〔{}〕{}号", on.year(), 20 + i * 7),
        };
        let id = db::tasks::add_instruction(c.tx, &ins, &c.at(on), &c.actor.user)?;
        let lead = unit_named(c, text).unwrap_or_else(|| r.pick(&c.units).0);
        let title = format!(
            "落实领导批示：{}",
            text.split('，').next().unwrap_or(text).trim_end_matches('。')
        );
        task(
            c,
            &mut r,
            TaskSource::Instruction,
            None,
            Some(id),
            &title,
            text,
            lead,
            add_days(on, 2),
            None,
        )?;
        n += 1;
    }
    Ok(n)
}

/// The department a text names ("请科技厅…"), if one.
fn unit_named(c: &Ctx, text: &str) -> Option<i64> {
    c.units.iter().find(|u| text.contains(u.1.as_str())).map(|u| u.0)
}

fn office(c: &Ctx) -> Result<u64> {
    let mut n = 0;
    for (i, t) in OFFICE_TASKS.iter().enumerate() {
        let mut r = Rng::keyed(c.opts.seed, &[key("office task"), i as u64]);
        let on = add_days(c.opts.as_of, -(300 - 50 * i as i64));
        let lead = r.pick(&c.units).0;
        let text = format!("请于办结时限前{t}，并报领导小组办公室。");
        task(c, &mut r, TaskSource::Office, None, None, t, &text, lead, on, None)?;
        n += 1;
    }
    // Recent 立项 standing at each step the older ones have passed, so every
    // state of the loop has a task to show.
    let recent: [(i64, TaskState); 5] = [
        (3, TaskState::Assigned),
        (9, TaskState::Acknowledged),
        (40, TaskState::InProgress),
        (70, TaskState::CloseRequested),
        (80, TaskState::Returned),
    ];
    for (i, (ago, stop)) in recent.into_iter().enumerate() {
        let mut r = Rng::keyed(c.opts.seed, &[key("recent task"), i as u64]);
        let t = OFFICE_TASKS[(i + 2) % OFFICE_TASKS.len()];
        let lead = r.pick(&c.units).0;
        let text = format!("请于办结时限前{t}，并报领导小组办公室。");
        task(
            c,
            &mut r,
            TaskSource::Office,
            None,
            None,
            t,
            &text,
            lead,
            add_days(c.opts.as_of, -ago),
            Some(stop),
        )?;
        n += 1;
    }
    Ok(n)
}

/// For benchmarks: 128 more office tasks per scale step, on the synthetic
/// units as well.
fn bulk(c: &Ctx) -> Result<u64> {
    let all: Vec<(i64, String)> = db::units::reporting(c.tx)?
        .into_iter()
        .map(|u| (u.id, u.short))
        .collect();
    let mut n = 0;
    for k in 0..(c.opts.scale as u64 - 1) * 128 {
        let mut r = Rng::keyed(c.opts.seed, &[key("bulk task"), k]);
        let on = add_days(c.opts.as_of, -r.range(10, 700));
        let lead = r.pick(&all).0;
        let t = OFFICE_TASKS[r.below(OFFICE_TASKS.len() as u64) as usize];
        let text = format!("请于办结时限前{t}，并报领导小组办公室。");
        task(c, &mut r, TaskSource::Office, None, None, t, &text, lead, on, None)?;
        n += 1;
    }
    Ok(n)
}

/// One task assigned on `on`, taken through the loop as far as the days
/// up to the sample's today allow: older tasks are mostly closed, some
/// overdue; newer ones stand at every step; some units asked for more time
/// or another wording.
#[allow(clippy::too_many_arguments)]
fn task(
    c: &Ctx,
    r: &mut Rng,
    source: TaskSource,
    decision: Option<i64>,
    instruction: Option<i64>,
    title: &str,
    text: &str,
    lead: i64,
    on: NaiveDate,
    stop: Option<TaskState>,
) -> Result<()> {
    let today = c.opts.as_of;
    if on > today {
        return Ok(());
    }
    let due = add_days(on, r.range(30, 100));
    let mut partners: Vec<i64> = (0..r.range(0, 2))
        .map(|_| r.pick(&c.units).0)
        .filter(|p| *p != lead)
        .collect();
    partners.sort_unstable();
    partners.dedup();
    let leader = if r.chance(0.7) {
        "自治区领导（分管科技）"
    } else {
        ""
    };
    let (id, _) = db::tasks::insert(
        c.tx,
        &NewTask {
            prefix: DEFAULT_TASK_PREFIX.into(),
            year: on.year(),
            source,
            decision_id: decision,
            instruction_id: instruction,
            title: title.into(),
            text: text.into(),
            lead,
            partners: partners.clone(),
            leader: leader.into(),
            assigned_on: on,
            due,
        },
    )?;
    // Each step, unless the task is to stay where it stands.
    let mut stopped = stop == Some(TaskState::Assigned);
    let mut step = |kind: &str, d: NaiveDate, unit: Option<i64>, body: &str, state: TaskState| -> Result<bool> {
        if stopped {
            return Ok(false);
        }
        db::tasks::add_event(
            c.tx,
            id,
            unit,
            d,
            kind,
            body,
            FeedbackSource::Typed,
            None,
            &c.at(d),
            &c.actor,
        )?;
        db::tasks::set_state(c.tx, id, state, d, body)?;
        stopped = stop == Some(state);
        Ok(true)
    };
    // How far the loop has come: the older the task, the further.
    let age = (today - on).num_days();
    let slow = r.chance(0.25);
    let ack = add_days(on, r.range(1, 6));
    if (ack > today || (slow && age < 10)) && stop.is_none() {
        return Ok(());
    }
    if !step("acknowledge", ack.min(today), Some(lead), "", TaskState::Acknowledged)? {
        return Ok(());
    }
    let mut d = ack;
    let reports = (age / 30).clamp(0, 4);
    for k in 0..reports {
        d = add_days(d, r.range(20, 35));
        if d > today {
            break;
        }
        let who = if k % 2 == 1 && !partners.is_empty() {
            partners[0]
        } else {
            lead
        };
        let body = *r.pick(FEEDBACK);
        if !step("feedback", d, Some(who), body, TaskState::InProgress)? {
            return Ok(());
        }
    }
    // A unit that asked for more time (answered, or waiting).
    if r.chance(0.3) && d <= today {
        let asked = add_days(d.min(today), 1).min(today);
        let new_due = add_days(due, r.range(15, 45));
        let q = db::tasks::add_request(
            c.tx,
            id,
            lead,
            RequestKind::Extension,
            "涉及多个部门会签，需延长办理时限。",
            Some(new_due),
            None,
            &c.at(asked),
            &c.actor.user,
        )?;
        if age > 60 {
            let approve = r.chance(0.7);
            if approve {
                db::flags::insert_extension(
                    c.tx,
                    crate::domain::ItemKey::Task(id),
                    due,
                    new_due,
                    "涉及多个部门会签，需延长办理时限。",
                    false,
                    &c.actor,
                    &c.at(asked),
                )?;
                db::tasks::set_due(c.tx, id, new_due)?;
            }
            let status = if approve {
                RequestStatus::Approved
            } else {
                RequestStatus::Refused
            };
            let note = if approve {
                ""
            } else {
                "时限已考虑会签时间，请按原时限办结。"
            };
            db::tasks::decide_request(
                c.tx,
                q,
                status,
                note,
                &c.at(add_days(asked, 2).min(today)),
                &c.actor.user,
            )?;
        }
    } else if r.chance(0.1) {
        db::tasks::add_request(
            c.tx,
            id,
            lead,
            RequestKind::Wording,
            "原表述与已出台政策口径不一致。",
            None,
            Some(&format!("{text}（按新出台政策口径执行）")),
            &c.at(today),
            &c.actor.user,
        )?;
    }
    let forced = matches!(
        stop,
        Some(TaskState::CloseRequested | TaskState::Returned | TaskState::Closed)
    );
    if (age < 75 || slow) && !forced {
        return Ok(());
    }
    let asked = add_days(d, r.range(3, 20)).min(today);
    if !step(
        "request_close",
        asked,
        Some(lead),
        "已按要求办结，申请销号。",
        TaskState::CloseRequested,
    )? {
        return Ok(());
    }
    let answered = add_days(asked, r.range(2, 8));
    if answered > today || stop == Some(TaskState::CloseRequested) {
        return Ok(());
    }
    if stop == Some(TaskState::Returned) || (stop.is_none() && r.chance(0.2)) {
        step(
            "return",
            answered,
            None,
            "办结材料不完整，请补充佐证材料。",
            TaskState::Returned,
        )?;
        if r.chance(0.5) {
            let again = add_days(answered, r.range(5, 15));
            if again <= today && stop.is_none() {
                step("feedback", again, Some(lead), "已补充佐证材料。", TaskState::InProgress)?;
            }
        }
        return Ok(());
    }
    step("close", answered, None, "经核实已办结，同意销号。", TaskState::Closed)?;
    Ok(())
}
