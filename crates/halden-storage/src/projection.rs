//! From a person's entries to their current state: which entries are in effect after
//! corrections, where the person is, and their key dates from the sentence engine.
//!
//! Pure: the caller supplies the entries, the estate's prisons and nothing else, so the same
//! function serves appends (inside their transaction) and bulk seeding (in memory).

use std::collections::HashMap;

use halden_domain::calendar::add_days;
use halden_domain::{
    queue::{self, PlannedForm},
    register::{CustodyBasis, CustodyState, Movement, MovementError, MovementKind, SecurityLevel},
    validate::FieldError,
};
use jiff::civil::Date;
use serde_json::Value;

use crate::facts::{ExpulsionFact, Fact, Identity, Judgment, SummonsFact, SupervisionFact};

/// An entry as the projection needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryFact {
    /// The entry's id (position in the register).
    pub id: i64,
    /// The entry it corrects, if it is a correction.
    pub corrects: Option<i64>,
    /// What it records.
    pub fact: Fact,
}

/// A prison's facts the projection needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrisonFacts {
    /// Prison unit (fengselsenhet).
    pub unit: String,
    /// Security level of the department.
    pub level: SecurityLevel,
}

/// A person's current state.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// The identity in effect.
    pub identity: Identity,
    /// Custody state from the movements in effect.
    pub custody: CustodyState,
    /// The unit of the current prison.
    pub unit: Option<String>,
    /// The security level in effect: the last decision in the current episode, else the level of
    /// the department the person is placed in.
    pub security_level: Option<SecurityLevel>,
    /// The latest supervision in effect.
    pub supervision: Option<SupervisionFact>,
    /// The contact officer (username) assigned in the current custody episode, while in custody.
    pub contact_officer: Option<String>,
    /// The engine's result for the current serving (the `halden calc --json` document), or its
    /// errors document when the judgments do not compute.
    pub dates: Option<Value>,
    /// End of sentence from `dates`, for lists.
    pub end_of_sentence: Option<Date>,
    /// Every key date from `dates`, `name=date` joined by `;`, for lists.
    pub key_dates: Option<String>,
    /// A judgment received and not yet started, with its summons: the queue (R-QUEUE-1).
    pub awaiting: Option<Awaiting>,
    /// Every place the person has held, oldest first (see [`stays`]).
    pub stays: Vec<Stay>,
    /// The expulsion decision in effect (the latest decided), if any.
    pub expulsion: Option<ExpulsionFact>,
    /// The handover to mandatory psychiatric care that closed the case, when the last episode
    /// ended in one.
    pub handover: Option<Handover>,
    /// The plan for life after release in the current custody episode, and the probation office
    /// it is handed over to (see [`release_plan`]).
    pub release_plan: Option<ReleasePlan>,
}

/// The plan for life after release in the current custody episode (BRIEF §3.5): the probation
/// office it is handed over to, and the latest assessment of each area.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReleasePlan {
    /// The handover in effect: the latest in the episode.
    pub handover: Option<crate::facts::ReleaseHandoverFact>,
    /// The latest assessment of each area assessed, in the order of
    /// [`crate::facts::RELEASE_PLAN_AREAS`].
    pub areas: Vec<crate::facts::ReleasePlanFact>,
}

/// The release plan of the custody episode that began on `episode_start`, while in custody: the
/// entries dated in the episode, the latest of each area (on the same day, the one entered last).
pub fn release_plan(in_effect: &[(i64, &Fact)], episode_start: Date) -> Option<ReleasePlan> {
    let handover = in_effect
        .iter()
        .filter_map(|(_, f)| match f {
            Fact::ReleaseHandover(h) if h.date >= episode_start => Some(h),
            _ => None,
        })
        .max_by_key(|h| h.date)
        .cloned();
    let areas: Vec<crate::facts::ReleasePlanFact> = crate::facts::RELEASE_PLAN_AREAS
        .iter()
        .filter_map(|area| {
            in_effect
                .iter()
                .filter_map(|(_, f)| match f {
                    Fact::ReleasePlan(p) if p.area == *area && p.date >= episode_start => Some(p),
                    _ => None,
                })
                .max_by_key(|p| p.date)
                .cloned()
        })
        .collect();
    (handover.is_some() || !areas.is_empty()).then_some(ReleasePlan { handover, areas })
}

/// A handover to the health service that took the case out of the correctional service.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Handover {
    /// When.
    pub at: jiff::civil::DateTime,
    /// The receiving health institution.
    pub institution: String,
}

/// A place held in one department (prison estate id) over the days `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    /// The department.
    pub prison: String,
    /// The first day the place is held.
    pub from: Date,
    /// The first day it is no longer held; `None` while it still is.
    pub to: Option<Date>,
}

impl Stay {
    /// Whether the place is held on `day`.
    pub fn covers(&self, day: Date) -> bool {
        self.from <= day && self.to.is_none_or(|to| day < to)
    }
}

/// The places a person has held, from their movements in time order (as the custody fold takes
/// them; movements that do not fold never reach here).
///
/// The convention, by day: admitted or transferred in on D holds the place on D; released,
/// transferred out or escaped on D no longer holds it on D (so a transfer counts in the new
/// department only, on its day). Leave, hospital and court keep the place: the person is still
/// on the department's roll and comes back to it. An escape frees the place from the day of the
/// escape movement (for a failure to return, the day it is recorded); a recapture takes a place
/// in the episode's department again from its day. A place held for no whole day (in and out on
/// the same day) is left out, and a place left and taken again on the same day in the same
/// department is one stay.
pub fn stays(movements: &[Movement]) -> Vec<Stay> {
    let mut done: Vec<Stay> = Vec::new();
    let mut open: Option<(String, Date)> = None;
    let mut episode_prison: Option<String> = None;
    let close = |done: &mut Vec<Stay>, open: &mut Option<(String, Date)>, day: Date| {
        if let Some((prison, from)) = open.take()
            && from < day
        {
            done.push(Stay {
                prison,
                from,
                to: Some(day),
            });
        }
    };
    let start = |done: &mut Vec<Stay>, open: &mut Option<(String, Date)>, prison: String, day| {
        // Taken again the day it was left: the same stay goes on.
        match done.last() {
            Some(last) if last.prison == prison && last.to == Some(day) => {
                let last = done.pop().map_or(day, |l| l.from);
                *open = Some((prison, last));
            }
            _ => *open = Some((prison, day)),
        }
    };
    for m in movements {
        let day = m.at.date();
        match m.kind {
            MovementKind::Admission | MovementKind::Transfer => {
                close(&mut done, &mut open, day);
                if let Some(prison) = m.prison.clone() {
                    episode_prison = Some(prison.clone());
                    start(&mut done, &mut open, prison, day);
                }
            }
            MovementKind::Escape => close(&mut done, &mut open, day),
            MovementKind::Recapture => {
                if open.is_none()
                    && let Some(prison) = episode_prison.clone()
                {
                    start(&mut done, &mut open, prison, day);
                }
            }
            MovementKind::Release | MovementKind::Handover => {
                close(&mut done, &mut open, day);
                episode_prison = None;
            }
            MovementKind::BasisChange
            | MovementKind::LeaveOut
            | MovementKind::LeaveReturn
            | MovementKind::HospitalOut
            | MovementKind::HospitalReturn
            | MovementKind::CourtOut
            | MovementKind::CourtReturn => {}
        }
    }
    if let Some((prison, from)) = open {
        done.push(Stay {
            prison,
            from,
            to: None,
        });
    }
    done
}

/// A judgment received and waiting to be served (R-INNK-1, R-QUEUE-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Awaiting {
    /// The day the service received it (the earliest, when several wait).
    pub received: Date,
    /// The planned form: from the latest summons, else prison.
    pub form: PlannedForm,
    /// The latest summons sent since.
    pub summons: Option<SummonsFact>,
    /// The latest serving date the person failed to report on (R-INNK-3).
    pub missed: Option<Date>,
}

/// The entries in effect: each original entry with its latest correction applied, retracted
/// ones left out, in the order of the originals.
pub fn effective(entries: &[EntryFact]) -> Vec<(i64, &Fact)> {
    let mut root_of: HashMap<i64, i64> = HashMap::new();
    let mut current: HashMap<i64, Option<&Fact>> = HashMap::new();
    let mut order: Vec<i64> = Vec::new();
    for entry in entries {
        let root = match entry.corrects {
            Some(target) => root_of.get(&target).copied().unwrap_or(target),
            None => {
                order.push(entry.id);
                entry.id
            }
        };
        root_of.insert(entry.id, root);
        let fact = match entry.fact {
            Fact::Retraction => None,
            ref fact => Some(fact),
        };
        current.insert(root, fact);
    }
    order
        .into_iter()
        .filter_map(|root| current.get(&root).copied().flatten().map(|f| (root, f)))
        .collect()
}

/// A movement fact as the domain fold takes it.
pub fn movement_of(fact: &crate::facts::MovementFact) -> Option<Movement> {
    Some(Movement {
        kind: MovementKind::parse(&fact.movement)?,
        at: fact.at,
        prison: fact.prison.clone(),
        basis: fact.basis.as_deref().and_then(CustodyBasis::parse),
        due_back: fact.due_back,
    })
}

/// Projects a person's entries.
///
/// # Errors
///
/// When the movements in effect do not follow each other (the problem names the field of the
/// movement), a movement names an unknown prison, or no identity is in effect.
pub fn project(
    entries: &[EntryFact],
    prisons: &HashMap<String, PrisonFacts>,
) -> Result<Projection, Vec<FieldError>> {
    let in_effect = effective(entries);
    let identity = in_effect
        .iter()
        .rev()
        .find_map(|(_, f)| match f {
            Fact::Identity(identity) => Some(identity.clone()),
            _ => None,
        })
        .ok_or_else(|| {
            vec![FieldError::bilingual(
                "identity",
                None,
                "the person's identity entry cannot be retracted",
                "personens identitet kan ikke trekkes tilbake",
            )]
        })?;

    for (_, fact) in &in_effect {
        if let Fact::Summons(summons) = fact
            && !prisons.contains_key(&summons.prison)
        {
            return Err(vec![FieldError::bilingual(
                "prison",
                None,
                format!("no prison with id '{}' in the estate", summons.prison),
                format!("det finnes ikke noe fengsel med id '{}'", summons.prison),
            )]);
        }
    }
    let mut movements: Vec<Movement> = Vec::new();
    for (_, fact) in &in_effect {
        if let Fact::Movement(m) = fact {
            if let Some(prison) = &m.prison
                && !prisons.contains_key(prison)
            {
                return Err(vec![FieldError::bilingual(
                    "prison",
                    None,
                    format!("no prison with id '{prison}' in the estate"),
                    format!("det finnes ikke noe fengsel med id '{prison}'"),
                )]);
            }
            if let Some(movement) = movement_of(m) {
                movements.push(movement);
            }
        }
    }
    // Movements fold in time order; a late registration slots into place.
    movements.sort_by_key(|m| m.at);
    let custody =
        CustodyState::project(&movements).map_err(|e: MovementError| vec![FieldError::from(e)])?;

    let unit = custody
        .prison
        .as_ref()
        .and_then(|p| prisons.get(p))
        .map(|p| p.unit.clone());
    let decided_level = custody.episode_start.and_then(|start| {
        in_effect.iter().rev().find_map(|(_, f)| match f {
            Fact::SecurityLevel(s) if s.from >= start => SecurityLevel::parse(&s.level),
            _ => None,
        })
    });
    let security_level = decided_level.or_else(|| {
        custody
            .prison
            .as_ref()
            .and_then(|p| prisons.get(p))
            .map(|p| p.level)
    });
    let in_custody = custody.status.in_custody();
    // An assignment holds while the person stays in the unit it was made in: a transfer to
    // another unit ends it, and that unit's leader assigns one of theirs (issue 5, item 8).
    // On the day the stay began, only an assignment entered after the movement that began it
    // counts: one made that morning in the unit the person left lapses with the transfer.
    let contact_officer = unit_since(&movements, &custody, prisons)
        .filter(|_| in_custody)
        .and_then(|since| {
            let unit_now = unit.as_deref();
            let arrived_entry = in_effect
                .iter()
                .filter_map(|(id, f)| match f {
                    Fact::Movement(m)
                        if m.at.date() == since
                            && m.prison
                                .as_ref()
                                .and_then(|p| prisons.get(p))
                                .map(|p| p.unit.as_str())
                                == unit_now =>
                    {
                        Some(*id)
                    }
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            in_effect
                .iter()
                .filter_map(|(id, f)| match f {
                    Fact::ContactOfficer(c)
                        if c.from > since || (c.from == since && *id > arrived_entry) =>
                    {
                        Some((c.from, *id, c))
                    }
                    _ => None,
                })
                .max_by_key(|(from, id, _)| (*from, *id))
                .map(|(_, _, c)| c.officer.clone())
        });
    let supervision = in_effect
        .iter()
        .filter_map(|(_, f)| match f {
            Fact::Supervision(s) => Some(s.clone()),
            _ => None,
        })
        .max_by_key(|s| s.from);

    let awaiting = awaiting(&in_effect, &movements, &custody);
    let stays = stays(&movements);
    let expulsion = in_effect
        .iter()
        .filter_map(|(_, f)| match f {
            Fact::Expulsion(e) => Some(e),
            _ => None,
        })
        .max_by_key(|e| e.decided_on)
        .cloned();
    let release_plan = custody
        .episode_start
        .filter(|_| in_custody)
        .and_then(|start| release_plan(&in_effect, start));
    let handover = custody.handed_over.and_then(|at| {
        in_effect.iter().rev().find_map(|(_, f)| match f {
            Fact::Movement(m) if m.at == at && m.movement == MovementKind::Handover.as_str() => {
                Some(Handover {
                    at,
                    institution: m.institution.clone().unwrap_or_default(),
                })
            }
            _ => None,
        })
    });
    let dates = match &awaiting {
        // Waiting to serve: the dates as they will be if serving starts on the summons date, or
        // else on the latest serving date (R-INNK-1), marked as planned.
        Some(a) if !custody.status.in_custody() => {
            let start = a
                .summons
                .as_ref()
                .map_or_else(|| queue::latest_start(a.received), |s| s.serving_date);
            planned_result(&in_effect, &movements, start)
        }
        _ => engine_result(&in_effect, &movements, &custody),
    };
    let (end_of_sentence, key_dates) = match &dates {
        Some(doc) => summary(doc),
        None => (None, None),
    };
    Ok(Projection {
        identity,
        custody,
        unit,
        security_level,
        supervision,
        contact_officer,
        dates,
        end_of_sentence,
        key_dates,
        awaiting,
        stays,
        expulsion,
        handover,
        release_plan,
    })
}

/// The fold's incidents as the `persons.incidents` column keeps them: a JSON list of
/// `{"kind", "due", "at", "not_counted": {"from", "to", "days"} | null}`, oldest first; `None`
/// when there are none.
pub fn incidents_json(incidents: &[halden_domain::register::Incident]) -> Option<String> {
    if incidents.is_empty() {
        return None;
    }
    let list: Vec<Value> = incidents
        .iter()
        .map(|i| {
            serde_json::json!({
                "kind": i.kind.as_str(),
                "due": i.due.to_string(),
                "at": i.at.to_string(),
                "not_counted": i.not_counted.map(|n| serde_json::json!({
                    "from": n.from.to_string(),
                    "to": n.to.to_string(),
                    "days": halden_domain::calendar::days_between(n.from, n.to) + 1,
                })),
            })
        })
        .collect();
    Some(Value::Array(list).to_string())
}

/// The first day of the person's stay in their current unit: the episode's start, or the day of
/// the last movement into a prison of another unit.
pub fn unit_since(
    movements: &[Movement],
    custody: &CustodyState,
    prisons: &HashMap<String, PrisonFacts>,
) -> Option<Date> {
    let start = custody.episode_start?;
    let unit_of = |prison: &Option<String>| {
        prison
            .as_ref()
            .and_then(|p| prisons.get(p))
            .map(|p| p.unit.as_str())
    };
    let mut since = start;
    let mut unit: Option<&str> = None;
    for m in movements.iter().filter(|m| m.at.date() >= start) {
        if let Some(next) = unit_of(&m.prison) {
            if unit.is_some_and(|u| u != next) {
                since = m.at.date();
            }
            unit = Some(next);
        }
    }
    Some(since)
}

/// The judgments in effect that became final after `previous_release` (all when none): the
/// ones the current or next serving is for. A youth sentence is never among them.
fn judgments_after<'a>(
    in_effect: &'a [(i64, &'a Fact)],
    previous_release: Option<Date>,
) -> impl Iterator<Item = &'a Judgment> {
    in_effect
        .iter()
        .filter_map(|(_, f)| match f {
            // A youth sentence is executed by the mediation service, not served here
            // (R-YOUTH-3, strl § 52 a): it never waits in the queue nor has serving dates.
            Fact::Judgment(j) if j.youth_sentence.is_none() => Some(j),
            _ => None,
        })
        .filter(move |j| {
            let day = j.final_date.unwrap_or(j.decision_date);
            previous_release.is_none_or(|released| day > released)
        })
}

/// What waits to be served: for someone not in custody, the judgments to imprisonment that
/// became final after their last release, unless an EM serving has started since receipt.
fn awaiting(
    in_effect: &[(i64, &Fact)],
    movements: &[Movement],
    custody: &CustodyState,
) -> Option<Awaiting> {
    if custody.status.in_custody() {
        return None;
    }
    let previous_release = movements
        .iter()
        .filter(|m| m.kind.ends_episode())
        .map(|m| m.at.date())
        .max();
    // EM serving started on these days: a judgment received on or before one of them has started
    // (EM has no custody movements, so no release marks it served).
    let em_starts: Vec<Date> = in_effect
        .iter()
        .filter_map(|(_, f)| match f {
            Fact::Supervision(s) if s.supervision == "electronic_monitoring" => Some(s.from),
            _ => None,
        })
        .collect();
    let received = judgments_after(in_effect, previous_release)
        .filter(|j| !j.sentences.is_empty() || j.preventive_detention.is_some())
        .map(|j| j.received.or(j.final_date).unwrap_or(j.decision_date))
        .filter(|received| !em_starts.iter().any(|start| start >= received))
        .min()?;
    let summons = in_effect
        .iter()
        .filter_map(|(_, f)| match f {
            Fact::Summons(s) if s.sent_on >= received => Some(s),
            _ => None,
        })
        .max_by_key(|s| s.sent_on)
        .cloned();
    let missed = in_effect
        .iter()
        .filter_map(|(_, f)| match f {
            Fact::NonAppearance(n) if n.date >= received => Some(n.date),
            _ => None,
        })
        .max();
    Some(Awaiting {
        received,
        form: summons
            .as_ref()
            .and_then(|s| PlannedForm::parse(&s.form))
            .unwrap_or(PlannedForm::Prison),
        summons,
        missed,
    })
}

/// The engine's result for the current serving: the judgments that became final after the last
/// release before it, with `admission` on the first day of serving and the non-counting days of
/// this custody episode. `None` when the person is not serving or has no such judgment.
///
/// Days at home with EM are served days (strgjfl § 16 a), so a serving can begin or continue on
/// EM (see [`serving_start`]): a front-door EM serving from its first day, and a custody episode
/// after an EM period that ran up to it (EM revoked back to prison) from where the EM serving
/// began. The document then carries `"serving_began_on_em": first EM day`, and the page says so.
fn engine_result(
    in_effect: &[(i64, &Fact)],
    movements: &[Movement],
    custody: &CustodyState,
) -> Option<Value> {
    let serving = serving_start(in_effect, movements, custody)?;
    let mut doc = calculate(
        in_effect,
        serving.previous_release,
        serving.start,
        &custody.non_counting,
    )?;
    if let (Some(em), Some(obj)) = (serving.began_on_em, doc.as_object_mut()) {
        obj.insert("serving_began_on_em".into(), em.to_string().into());
    }
    Some(doc)
}

/// Where the current serving began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ServingStart {
    /// The engine's `admission`: the first day of serving.
    start: Date,
    /// The last release before the serving: its judgments are those final after it.
    previous_release: Option<Date>,
    /// The first EM day, when the serving began at home with EM.
    began_on_em: Option<Date>,
}

/// A custody episode as the movements give it.
struct Episode {
    serving: Option<Date>,
    end: Option<Date>,
}

fn episodes(movements: &[Movement]) -> Vec<Episode> {
    let mut list: Vec<Episode> = Vec::new();
    for m in movements {
        let day = m.at.date();
        match m.kind {
            MovementKind::Admission => list.push(Episode {
                serving: m.basis.filter(|b| b.is_serving()).map(|_| day),
                end: None,
            }),
            MovementKind::BasisChange => {
                if let Some(e) = list.last_mut()
                    && e.serving.is_none()
                    && m.basis.is_some_and(CustodyBasis::is_serving)
                {
                    e.serving = Some(day);
                }
            }
            kind if kind.ends_episode() => {
                if let Some(e) = list.last_mut() {
                    e.end = Some(day);
                }
            }
            _ => {}
        }
    }
    list
}

/// The first day of the current serving, carried back over EM (strgjfl § 16 a).
///
/// - In custody: the episode's serving start; when an EM period ran up to it (began before it
///   and lasted at least to the day before), the serving goes on from the EM period's start, or,
///   when that EM period followed a release from an earlier episode (back-door EM), from that
///   episode's serving start — and so on back.
/// - Not in custody, with an EM period that began after the last episode and did not follow it
///   directly: a front-door EM serving from its first day.
/// - Otherwise the last episode's serving, as recorded.
fn serving_start(
    in_effect: &[(i64, &Fact)],
    movements: &[Movement],
    custody: &CustodyState,
) -> Option<ServingStart> {
    let episodes = episodes(movements);
    let em: Vec<&SupervisionFact> = in_effect
        .iter()
        .filter_map(|(_, f)| match f {
            Fact::Supervision(s) if s.supervision == "electronic_monitoring" => Some(s),
            _ => None,
        })
        .collect();
    // The episode that ended on the EM period's first day or the day before: a back door.
    let back_door_from = |from: Date| {
        episodes.iter().rposition(|e| {
            e.serving.is_some()
                && e.end
                    .is_some_and(|end| end == from || add_days(end, 1).is_ok_and(|d| d == from))
        })
    };
    let end_before = |index: usize| index.checked_sub(1).and_then(|i| episodes[i].end);

    if !custody.status.in_custody() {
        let last_end = episodes.last().and_then(|e| e.end);
        if let Some(front) = em
            .iter()
            .filter(|s| last_end.is_none_or(|end| s.from > end))
            .max_by_key(|s| s.from)
            && back_door_from(front.from).is_none()
        {
            return Some(ServingStart {
                start: front.from,
                previous_release: last_end,
                began_on_em: Some(front.from),
            });
        }
        let last = episodes.len().checked_sub(1)?;
        return Some(ServingStart {
            start: episodes[last].serving?,
            previous_release: end_before(last),
            began_on_em: None,
        });
    }
    let mut index = episodes.len().checked_sub(1)?;
    let mut serving = ServingStart {
        start: custody.serving_start?,
        previous_release: end_before(index),
        began_on_em: None,
    };
    // At most one step back per EM period: the walk ends.
    for _ in 0..=em.len() {
        let Some(period) = em.iter().find(|s| {
            s.from < serving.start
                && add_days(s.until, 1).is_ok_and(|after| after >= serving.start)
                && serving.previous_release.is_none_or(|r| s.from >= r)
        }) else {
            break;
        };
        match back_door_from(period.from) {
            Some(earlier) if earlier < index => {
                index = earlier;
                serving = ServingStart {
                    start: episodes[earlier].serving?,
                    previous_release: end_before(earlier),
                    began_on_em: None,
                };
            }
            _ => {
                serving.start = period.from;
                serving.previous_release = serving.previous_release.filter(|r| *r < period.from);
                serving.began_on_em = Some(period.from);
                break;
            }
        }
    }
    Some(serving)
}

/// The engine's result for a judgment waiting to be served, as if serving starts on `start`:
/// marked `"planned_from": start` so that no one reads it as a serving's dates.
fn planned_result(
    in_effect: &[(i64, &Fact)],
    movements: &[Movement],
    start: Date,
) -> Option<Value> {
    let previous_release = movements
        .iter()
        .filter(|m| m.kind.ends_episode())
        .map(|m| m.at.date())
        .max();
    let mut doc = calculate(in_effect, previous_release, start, &[])?;
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("planned_from".into(), start.to_string().into());
    }
    Some(doc)
}

/// The engine on the judgments final after `previous_release`, serving from `serving_start`,
/// with the fold's non-counting days and the entered ones from `serving_start` on.
fn calculate(
    in_effect: &[(i64, &Fact)],
    previous_release: Option<Date>,
    serving_start: Date,
    fold_non_counting: &[halden_domain::case::NonCountingInterval],
) -> Option<Value> {
    let judgments: Vec<&Judgment> = judgments_after(in_effect, previous_release).collect();
    let latest = judgments.iter().max_by_key(|j| j.decision_date)?;
    let mut input = latest.engine_input(serving_start);
    let obj = input.as_object_mut()?;
    let sentences: Vec<Value> = judgments
        .iter()
        .flat_map(|j| j.sentences.iter().cloned())
        .collect();
    let deduction: u32 = judgments.iter().map(|j| j.remand_deduction_days).sum();
    let max_30 = judgments.iter().any(|j| j.offence_class == "max_30");
    obj.insert("sentences".into(), Value::Array(sentences));
    obj.insert("remand_deduction_days".into(), deduction.into());
    if max_30 {
        obj.insert("offence_class".into(), "max_30".into());
    }
    if let Some(pd) = judgments
        .iter()
        .find_map(|j| j.preventive_detention.clone())
    {
        obj.insert("preventive_detention".into(), pd);
    }
    let mut non_counting: Vec<Value> = fold_non_counting
        .iter()
        .map(|i| {
            serde_json::json!({"from": i.from.to_string(), "to": i.to.to_string(), "reason": i.reason.as_str()})
        })
        .collect();
    non_counting.extend(in_effect.iter().filter_map(|(_, f)| match f {
        Fact::NonCounting(n) if n.from >= serving_start => Some(serde_json::json!({
            "from": n.from.to_string(), "to": n.to.to_string(), "reason": n.reason
        })),
        _ => None,
    }));
    if !non_counting.is_empty() {
        obj.insert("non_counting".into(), Value::Array(non_counting));
    }
    Some(match halden_wire::calculate_case_json(&input) {
        halden_wire::Outcome::Computed(doc) | halden_wire::Outcome::Invalid(doc) => doc,
    })
}

/// End of sentence and the compact list of key dates from an engine document.
fn summary(doc: &Value) -> (Option<Date>, Option<String>) {
    let Some(dates) = doc.get("dates").and_then(Value::as_object) else {
        return (None, None);
    };
    let end = dates
        .get("end_of_sentence")
        .and_then(|d| d.get("date"))
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok());
    let list: Vec<String> = dates
        .iter()
        .filter_map(|(name, d)| Some(format!("{name}={}", d.get("date")?.as_str()?)))
        .collect();
    (end, Some(list.join(";")))
}

/// The date of the key `name` in a compact list (`name=date;…`).
pub fn next_key_date_named(key_dates: &str, name: &str) -> Option<Date> {
    key_dates.split(';').find_map(|pair| {
        let (key, date) = pair.split_once('=')?;
        (key == name).then(|| date.parse().ok())?
    })
}

/// The next key date on or after `today` from a compact list (`name=date;…`).
pub fn next_key_date(key_dates: &str, today: Date) -> Option<(String, Date)> {
    key_dates
        .split(';')
        .filter_map(|pair| {
            let (name, date) = pair.split_once('=')?;
            Some((name.to_string(), date.parse::<Date>().ok()?))
        })
        .filter(|(_, date)| *date >= today)
        .min_by_key(|(_, date)| *date)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test fixtures")]
    use super::*;
    use crate::facts::MovementFact;
    use jiff::civil::{date, datetime};

    fn identity(name: &str) -> Fact {
        Fact::Identity(Identity {
            identity_number: None,
            temporary_id: Some("T-1".into()),
            family_name: name.into(),
            given_names: "Kari".into(),
            birth_date: date(1990, 1, 1),
            sex: "female".into(),
            citizenship: "NO".into(),
            languages: vec![],
            interpreter_needed: false,
            home_municipality: None,
        })
    }

    fn entry(id: i64, corrects: Option<i64>, fact: Fact) -> EntryFact {
        EntryFact { id, corrects, fact }
    }

    fn judgment(received: Date) -> Fact {
        Fact::Judgment(Judgment {
            case_number: format!("{received}"),
            court: "Oslo tingrett".into(),
            decision_date: received,
            final_date: Some(received),
            received: Some(received),
            remand_deduction_days: 0,
            offence_class: "ordinary".into(),
            sentences: vec![serde_json::json!({"kind": "prison", "days": 60})],
            preventive_detention: None,
            community_sentence: None,
            youth_sentence: None,
            offence_date: None,
            driving_programme: None,
        })
    }

    #[test]
    fn a_judgment_served_with_em_no_longer_waits_but_a_new_one_does() {
        // 60 days received 2024-01-10, served at home with EM from 2024-02-01 (no custody
        // movement marks it served); a new judgment received 2025-03-01 waits.
        let em = Fact::Supervision(SupervisionFact {
            supervision: "electronic_monitoring".into(),
            office: "F001".into(),
            from: date(2024, 2, 1),
            until: date(2024, 3, 31),
            office_reason: None,
        });
        let entries = vec![
            entry(1, None, identity("Nordmann")),
            entry(2, None, judgment(date(2024, 1, 10))),
            entry(3, None, em),
        ];
        let prisons = HashMap::new();
        assert_eq!(project(&entries, &prisons).unwrap().awaiting, None);
        let mut entries = entries;
        entries.push(entry(4, None, judgment(date(2025, 3, 1))));
        let waiting = project(&entries, &prisons).unwrap().awaiting.unwrap();
        assert_eq!(waiting.received, date(2025, 3, 1));
    }

    fn em(from: Date, until: Date) -> Fact {
        Fact::Supervision(SupervisionFact {
            supervision: "electronic_monitoring".into(),
            office: "F001".into(),
            from,
            until,
            office_reason: None,
        })
    }

    fn movement(kind: &str, day: Date, prison: Option<&str>, basis: Option<&str>) -> Fact {
        Fact::Movement(MovementFact {
            movement: kind.into(),
            at: day.at(10, 0, 0, 0),
            prison: prison.map(Into::into),
            basis: basis.map(Into::into),
            due_back: None,
            note: None,
            capacity_override: None,
            youth_exception: None,
            institution: None,
        })
    }

    fn oslo() -> HashMap<String, PrisonFacts> {
        HashMap::from([(
            "P001".to_string(),
            PrisonFacts {
                unit: "Oslo fengsel".into(),
                level: SecurityLevel::High,
            },
        )])
    }

    /// 60 days (the `judgment` fixture) served at home with EM from 2025-02-01 (front door):
    /// day 1 is 2025-02-01, February's 28 days end on day 28, March's 31 on day 59, so day 60,
    /// the end (C-4), is 2025-04-01. Revoked on 2025-03-01 (admitted to prison): the EM days were
    /// served, so the end stays 2025-04-01; counted from the admission it would be 2025-04-29.
    #[test]
    fn an_em_serving_has_dates_from_its_first_day_and_keeps_them_when_revoked() {
        let mut entries = vec![
            entry(1, None, identity("Nordmann")),
            entry(2, None, judgment(date(2025, 1, 10))),
            entry(3, None, em(date(2025, 2, 1), date(2025, 4, 1))),
        ];
        let at_home = project(&entries, &oslo()).unwrap();
        assert_eq!(at_home.end_of_sentence, Some(date(2025, 4, 1)));
        assert_eq!(
            at_home.dates.as_ref().unwrap()["serving_began_on_em"],
            "2025-02-01"
        );
        // The EM period is cut short (a correction) and the person admitted to prison.
        entries.push(entry(4, Some(3), em(date(2025, 2, 1), date(2025, 2, 28))));
        entries.push(entry(
            5,
            None,
            movement(
                "admission",
                date(2025, 3, 1),
                Some("P001"),
                Some("sentence"),
            ),
        ));
        let revoked = project(&entries, &oslo()).unwrap();
        assert!(revoked.custody.status.in_custody());
        assert_eq!(revoked.end_of_sentence, Some(date(2025, 4, 1)));
        assert_eq!(
            revoked.dates.as_ref().unwrap()["serving_began_on_em"],
            "2025-02-01"
        );
    }

    /// 60 days served in prison from 2025-01-20 (day 1; January's last day is day 12, February's
    /// day 40, so day 60 is 2025-03-20), released to EM on 2025-02-20 (back door), EM revoked and
    /// readmitted on 2025-03-01: one serving from 2025-01-20, ending 2025-03-20.
    #[test]
    fn a_back_door_em_revoked_continues_the_serving_that_began_in_prison() {
        let entries = vec![
            entry(1, None, identity("Nordmann")),
            entry(2, None, judgment(date(2025, 1, 10))),
            entry(
                3,
                None,
                movement(
                    "admission",
                    date(2025, 1, 20),
                    Some("P001"),
                    Some("sentence"),
                ),
            ),
            entry(4, None, movement("release", date(2025, 2, 20), None, None)),
            entry(5, None, em(date(2025, 2, 20), date(2025, 2, 28))),
            entry(
                6,
                None,
                movement(
                    "admission",
                    date(2025, 3, 1),
                    Some("P001"),
                    Some("sentence"),
                ),
            ),
        ];
        let p = project(&entries, &oslo()).unwrap();
        assert_eq!(p.end_of_sentence, Some(date(2025, 3, 20)));
        assert!(
            p.dates
                .as_ref()
                .unwrap()
                .get("serving_began_on_em")
                .is_none()
        );
        // While on EM at home (before the readmission) the same dates hold.
        let at_home = project(&entries[..5], &oslo()).unwrap();
        assert_eq!(at_home.end_of_sentence, Some(date(2025, 3, 20)));
    }

    /// Assigned in Oslo fengsel on 2025-06-01, transferred to Bergen fengsel later that day: the
    /// Oslo assignment lapses with the transfer; one made in Bergen after it that day holds.
    #[test]
    fn an_assignment_made_on_the_day_of_a_transfer_before_it_lapses_with_it() {
        let mut prisons = oslo();
        prisons.insert(
            "P041".into(),
            PrisonFacts {
                unit: "Bergen fengsel".into(),
                level: SecurityLevel::High,
            },
        );
        let assign = |officer: &str| {
            Fact::ContactOfficer(crate::facts::ContactOfficerFact {
                officer: officer.into(),
                from: date(2025, 6, 1),
            })
        };
        let mut entries = vec![
            entry(1, None, identity("Nordmann")),
            entry(2, None, judgment(date(2025, 2, 1))),
            entry(
                3,
                None,
                movement(
                    "admission",
                    date(2025, 3, 3),
                    Some("P001"),
                    Some("sentence"),
                ),
            ),
            entry(4, None, assign("kari")),
        ];
        assert_eq!(
            project(&entries, &prisons)
                .unwrap()
                .contact_officer
                .as_deref(),
            Some("kari")
        );
        entries.push(entry(
            5,
            None,
            movement("transfer", date(2025, 6, 1), Some("P041"), None),
        ));
        assert_eq!(project(&entries, &prisons).unwrap().contact_officer, None);
        entries.push(entry(6, None, assign("ola")));
        assert_eq!(
            project(&entries, &prisons)
                .unwrap()
                .contact_officer
                .as_deref(),
            Some("ola")
        );
    }

    #[test]
    fn a_correction_replaces_and_a_retraction_removes() {
        let admission = Fact::Movement(MovementFact {
            movement: "admission".into(),
            at: datetime(2025, 3, 3, 9, 0, 0, 0),
            prison: Some("P001".into()),
            basis: Some("sentence".into()),
            due_back: None,
            note: None,
            capacity_override: None,
            youth_exception: None,
            institution: None,
        });
        let leave = Fact::Movement(MovementFact {
            movement: "leave_out".into(),
            at: datetime(2025, 3, 10, 9, 0, 0, 0),
            prison: None,
            basis: None,
            due_back: None,
            note: None,
            capacity_override: None,
            youth_exception: None,
            institution: None,
        });
        let entries = vec![
            entry(1, None, identity("Nordmann")),
            entry(2, None, admission),
            entry(3, None, leave),
            entry(4, Some(1), identity("Hansen")),
            entry(5, Some(3), Fact::Retraction),
        ];
        let in_effect = effective(&entries);
        assert_eq!(in_effect.len(), 2, "the leave is retracted");
        assert_eq!(
            in_effect[0].0, 1,
            "the identity keeps its original position"
        );
        assert!(matches!(in_effect[0].1, Fact::Identity(i) if i.family_name == "Hansen"));

        let prisons = HashMap::from([(
            "P001".to_string(),
            PrisonFacts {
                unit: "Oslo fengsel".into(),
                level: SecurityLevel::High,
            },
        )]);
        let projection = project(&entries, &prisons).unwrap();
        assert_eq!(
            projection.custody.status,
            halden_domain::register::CustodyStatus::Present
        );
        assert_eq!(projection.unit.as_deref(), Some("Oslo fengsel"));
        assert_eq!(projection.security_level, Some(SecurityLevel::High));
    }

    fn moved(kind: MovementKind, day: Date, prison: Option<&str>) -> Movement {
        Movement {
            kind,
            at: day.at(10, 0, 0, 0),
            prison: prison.map(Into::into),
            basis: Some(CustodyBasis::Sentence),
            due_back: None,
        }
    }

    fn stay(prison: &str, from: Date, to: Option<Date>) -> Stay {
        Stay {
            prison: prison.into(),
            from,
            to,
        }
    }

    #[test]
    fn a_place_is_held_from_the_day_in_to_the_day_out_and_kept_on_leave() {
        use MovementKind as K;
        let movements = [
            moved(K::Admission, date(2025, 3, 3), Some("P001")),
            moved(K::LeaveOut, date(2025, 3, 10), None),
            moved(K::LeaveReturn, date(2025, 3, 12), None),
            moved(K::Transfer, date(2025, 4, 1), Some("P002")),
            moved(K::HospitalOut, date(2025, 4, 5), None),
            moved(K::HospitalReturn, date(2025, 4, 6), None),
            moved(K::Escape, date(2025, 4, 20), None),
            moved(K::Recapture, date(2025, 4, 25), None),
            moved(K::Release, date(2025, 5, 1), None),
            moved(K::Admission, date(2025, 6, 1), Some("P001")),
        ];
        let found = stays(&movements);
        assert_eq!(
            found,
            [
                // Leave keeps the place; the transfer day counts in P002 only.
                stay("P001", date(2025, 3, 3), Some(date(2025, 4, 1))),
                // Hospital keeps it; the escape frees it from its day.
                stay("P002", date(2025, 4, 1), Some(date(2025, 4, 20))),
                // Recaptured: back in the episode's department; released on 1 May, out that day.
                stay("P002", date(2025, 4, 25), Some(date(2025, 5, 1))),
                stay("P001", date(2025, 6, 1), None),
            ]
        );
        assert!(found[0].covers(date(2025, 3, 3)), "admitted on D is in");
        assert!(found[0].covers(date(2025, 3, 11)), "on leave is in");
        assert!(
            !found[0].covers(date(2025, 4, 1)),
            "transferred out on D is out"
        );
        assert!(
            found[1].covers(date(2025, 4, 1)),
            "transferred in on D is in"
        );
        assert!(!found[1].covers(date(2025, 4, 20)), "escaped on D is out");
        assert!(!found[2].covers(date(2025, 5, 1)), "released on D is out");
        assert!(found[3].covers(date(2030, 1, 1)), "still there");
    }

    #[test]
    fn in_and_out_the_same_day_holds_no_place_and_a_same_day_return_is_one_stay() {
        use MovementKind as K;
        let day = date(2025, 3, 3);
        assert_eq!(
            stays(&[
                moved(K::Admission, day, Some("P001")),
                moved(K::Release, day, None),
            ]),
            []
        );
        assert_eq!(
            stays(&[
                moved(K::Admission, date(2025, 3, 1), Some("P001")),
                moved(K::Escape, day, None),
                moved(K::Recapture, day, None),
            ]),
            [stay("P001", date(2025, 3, 1), None)]
        );
        assert_eq!(
            stays(&[
                moved(K::Admission, day, Some("P001")),
                moved(K::Transfer, day, Some("P002")),
            ]),
            [stay("P002", day, None)]
        );
    }

    #[test]
    fn the_next_key_date_is_the_earliest_not_yet_passed() {
        let list =
            "end_of_sentence=2026-05-01;parole_eligibility=2026-01-10;leave_eligibility=2025-11-01";
        assert_eq!(
            next_key_date(list, date(2025, 12, 1)),
            Some(("parole_eligibility".to_string(), date(2026, 1, 10)))
        );
        assert_eq!(next_key_date(list, date(2026, 6, 1)), None);
    }
}
