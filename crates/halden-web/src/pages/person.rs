//! The person page: identity, the forms the caller may use, key dates with their explanations,
//! the full history with corrections, and for the person themselves, who has read their record.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use halden_domain::register::{IncidentKind, SecurityLevel};
use halden_storage::{AccessQuery, EntryRow, PersonRow};
use serde::Deserialize;
use serde_json::Value;

use super::{
    Chrome, ENTRY_FORMS, MessagePage, SummaryItem, chrome, form::Message, lang, local_time,
    refusal, render, signed_in,
};
use crate::{
    AppState,
    access::{Caller, Role, View},
    api,
    error::ApiError,
    i18n::{Lang, Texts, Vocab},
};

/// The longest break-glass purpose accepted.
const PURPOSE_MAX_CHARS: usize = 500;

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    p: PersonRow,
    restricted: bool,
    break_glass: bool,
    /// The identity and custody facts, (label, value).
    facts: Vec<(&'static str, String)>,
    /// The restricted view's facts.
    brief: Vec<(&'static str, String)>,
    /// The forms the caller may use for this person, (href, label).
    actions: Vec<(String, &'static str)>,
    dates: Vec<DateLine>,
    /// The day the dates assume serving starts, when they are planned (waiting to serve).
    planned_from: Option<String>,
    /// The first EM day, when the serving began at home with EM (strgjfl § 16 a).
    serving_began_on_em: Option<String>,
    incidents: Vec<String>,
    progression: Option<ProgressionSection>,
    /// The plan for life after release, while in custody.
    release_plan: Option<ReleasePlanSection>,
    history: Vec<HistoryLine>,
    /// Who has read the record, shown to the person themselves.
    readers: Option<Vec<ReaderLine>>,
    /// A youth sentence: executed by the mediation service (R-YOUTH-3).
    youth: Option<super::youth::PersonSection>,
}

/// One key date on a page.
pub struct DateLine {
    /// Name of the date.
    pub name: String,
    /// The date.
    pub date: String,
    /// Rule id and §.
    pub rule: String,
    /// The explanation in the page's language.
    pub explanation: String,
}

/// The key dates of a stored calculation, named and explained in `lang`.
pub fn date_lines(dates_json: Option<&str>, lang: Lang) -> Vec<DateLine> {
    dates_json
        .and_then(|d| serde_json::from_str::<Value>(d).ok())
        .map_or_else(Vec::new, |doc| date_lines_of(&doc, lang))
}

/// [`date_lines`] of a document already parsed.
fn date_lines_of(doc: &Value, lang: Lang) -> Vec<DateLine> {
    let Some(dates) = doc.get("dates").and_then(Value::as_object) else {
        return Vec::new();
    };
    let text = |d: &Value, key: &str| {
        d.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    dates
        .iter()
        .map(|(name, d)| DateLine {
            name: lang.value(Vocab::KeyDate, name),
            date: text(d, "date"),
            rule: format!("{} ({})", text(d, "rule"), text(d, "reference")),
            explanation: d
                .get("explanation")
                .map(|e| text(e, lang.code()))
                .unwrap_or_default(),
        })
        .collect()
}

/// One entry in the person page's history.
pub struct HistoryLine {
    /// Entry id.
    pub id: i64,
    /// Kind, in words.
    pub kind: String,
    /// What it says, compactly, in words.
    pub summary: String,
    /// When recorded (Norwegian time).
    pub recorded_at: String,
    /// By whom.
    pub recorded_by: String,
    /// The entry it corrects.
    pub corrects: Option<i64>,
    /// Why.
    pub reason: String,
    /// Whether a later entry corrects it.
    pub superseded: bool,
    /// The correction form, when the caller may correct this entry.
    pub correct_href: Option<String>,
}

/// The label of a payload field of an entry of `kind`.
fn key_label(t: &'static Texts, kind: &str, key: &str) -> Option<&'static str> {
    Some(match key {
        "reason" if kind == "non_counting" => t.non_counting_reason,
        "movement" => t.movement,
        "at" => t.time,
        "serving_date" => t.serving_date,
        "form" => t.serving_form,
        "sent_on" => t.sent_on,
        "late_reason" => t.late_reason,
        "date" if kind == "non_appearance" => t.missed_date,
        "due_back" => t.due_back,
        "prison" => t.prison,
        "basis" => t.basis,
        "note" => t.note,
        "capacity_override" => t.capacity_override,
        "institution" => t.receiving_institution,
        "area" => t.plan_area,
        "status" if kind == "release_plan" => t.plan_status,
        "date" if kind == "release_plan" || kind == "release_handover" => t.date,
        "youth_exception" => t.youth_exception,
        "decided_on" => t.decided_on,
        "authority" => t.expulsion_authority,
        "final_on" => t.final_on,
        "reference" => t.case_reference,
        "level" => t.security_level,
        "from" => t.from,
        "to" | "until" => t.to,
        "reason" => t.reason,
        "court" => t.court,
        "restrictions" => t.restrictions,
        "placement_wish" => t.placement_wish,
        "supervision" => t.supervision_kind,
        "office" => t.office,
        "case_number" => t.case_number,
        "decision_date" => t.decision_date,
        "final_date" => t.final_date,
        "remand_deduction_days" => t.remand_deduction_days,
        "offence_class" => t.offence_class,
        "sentences" => t.sentences,
        "preventive_detention" => t.preventive_detention,
        "community_sentence" => t.community_sentence,
        "identity_number" => t.identity_number,
        "temporary_id" => t.temporary_id,
        "family_name" => t.family_name,
        "given_names" => t.given_names,
        "birth_date" => t.birth_date,
        "sex" => t.sex,
        "citizenship" => t.citizenship,
        "languages" => t.languages,
        "interpreter_needed" => t.interpreter,
        "home_municipality" => t.home_municipality,
        _ => return None,
    })
}

/// One payload value in words.
fn value_words(kind: &str, key: &str, value: &Value, lang: Lang) -> String {
    let t = lang.texts();
    let vocab = match (kind, key) {
        (_, "movement") => Some(Vocab::Movement),
        (_, "basis") => Some(Vocab::Basis),
        (_, "level") => Some(Vocab::Level),
        (_, "supervision") => Some(Vocab::Supervision),
        (_, "placement_wish") => Some(Vocab::PlacementWish),
        (_, "sex") => Some(Vocab::Sex),
        ("non_counting", "reason") => Some(Vocab::NonCounting),
        ("release_plan", "area") => Some(Vocab::PlanArea),
        ("release_plan", "status") => Some(Vocab::PlanStatus),
        _ => None,
    };
    match (value, vocab) {
        (Value::String(s), Some(vocab)) => lang.value(vocab, s),
        (Value::String(s), None) if key == "at" => s.replace('T', " "),
        (Value::String(s), None) => s.clone(),
        (Value::Bool(b), _) => (if *b { t.yes } else { t.no }).to_string(),
        (Value::Object(map), _) if key == "restrictions" => {
            let on: Vec<&str> = [
                ("full_isolation", t.full_isolation),
                ("partial_isolation", t.partial_isolation),
                ("letter_ban", t.letter_ban),
                ("visit_ban", t.visit_ban),
            ]
            .into_iter()
            .filter(|(k, _)| map.get(*k).and_then(Value::as_bool) == Some(true))
            .map(|(_, label)| label)
            .collect();
            if on.is_empty() {
                "–".into()
            } else {
                on.join(", ")
            }
        }
        (Value::Array(items), _) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        (other, _) => other.to_string(),
    }
}

/// What an entry says, in words: `label: value · label: value`.
fn summary(e: &EntryRow, lang: Lang) -> String {
    let t = lang.texts();
    match e.payload_json().as_object() {
        Some(map) if !map.is_empty() => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| {
                let label =
                    key_label(t, &e.kind, k).map_or_else(|| k.replace('_', " "), str::to_string);
                format!("{label}: {}", value_words(&e.kind, k, v, lang))
            })
            .collect::<Vec<_>>()
            .join(" · "),
        _ => lang.value(Vocab::EntryKind, &e.kind),
    }
}

/// One read of a person's record, as the person sees it.
pub struct ReaderLine {
    /// When (Norwegian time).
    pub at: String,
    /// Who: their name.
    pub name: String,
    /// Their role, in words.
    pub role: String,
    /// What was read, in words.
    pub view: String,
    /// Read outside the reader's scope, with a stated purpose.
    pub break_glass: bool,
}

/// The most recent reads of `person`'s record (who, in which role, when, what, break-glass).
pub async fn readers(
    state: &AppState,
    person: i64,
    lang: Lang,
) -> Result<Vec<ReaderLine>, ApiError> {
    let log = state
        .store
        .access_log(AccessQuery {
            person: Some(person),
            user: None,
            limit: 100,
        })
        .await?;
    let users = state.store.users().await?;
    Ok(log
        .into_iter()
        .map(|r| ReaderLine {
            at: local_time(&r.at),
            name: users
                .iter()
                .find(|u| u.id == r.user_id)
                .map_or_else(|| r.username.clone(), |u| u.display_name.clone()),
            role: lang.value(Vocab::Role, &r.role),
            view: lang.value(Vocab::View, &r.view),
            break_glass: r.is_break_glass(),
        })
        .collect())
}

#[derive(Deserialize)]
pub(super) struct PurposeQuery {
    purpose: Option<String>,
}

/// The break-glass form again, with the purpose's problem (400): the same answer whether the
/// person exists or not.
fn purpose_refused(
    headers: &HeaderMap,
    caller: &Caller,
    id: i64,
    purpose: &str,
    problem: String,
) -> Response {
    let t = lang(headers).texts();
    let here = format!("/persons/{id}");
    let page = MessagePage {
        c: chrome(headers, Some(caller), t.break_glass, &here),
        heading: t.break_glass.to_string(),
        message: t.page_not_found.to_string(),
        break_glass_for: Some(id),
        summary: vec![SummaryItem {
            target: "purpose".into(),
            label: t.purpose.into(),
            message: Message::new(problem.clone()),
        }],
        purpose: purpose.to_string(),
        purpose_error: problem,
    };
    (StatusCode::BAD_REQUEST, render(&page)).into_response()
}

pub(super) async fn person_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<PurposeQuery>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = format!("/persons/{id}");
    let Ok(id) = id.parse::<i64>() else {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    };
    let lang = lang(&headers);
    let t = lang.texts();
    // A stated purpose must say something: an empty one is refused as such, never read as no
    // purpose. Checked before the person is looked up, so the answer reveals nothing.
    if let Some(purpose) = &query.purpose
        && caller.role.may_break_glass()
    {
        let trimmed = purpose.trim();
        if trimmed.is_empty() {
            return purpose_refused(&headers, &caller, id, purpose, t.is_required.into());
        }
        if trimmed.chars().count() > PURPOSE_MAX_CHARS {
            return purpose_refused(
                &headers,
                &caller,
                id,
                purpose,
                format!("{} {PURPOSE_MAX_CHARS} {}", t.too_long, t.characters),
            );
        }
    }
    let result = api::read_person(
        &state,
        &caller,
        id,
        "person_page",
        query.purpose.as_deref().map(str::trim),
        false,
    )
    .await;
    let (person, view, glass) = match result {
        Ok(x) => x,
        Err(e) => return refusal(&headers, Some(&caller), e, &here),
    };
    let today = state.today();
    let restricted = view == View::Restricted;
    let may_write_here = caller.may_write_for(&person, today);
    // The engine's document, parsed once for the dates, the plan and whether they are planned.
    let doc: Option<Value> = if restricted {
        None
    } else {
        person
            .dates_json
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok())
    };
    let progression = doc
        .as_ref()
        .and_then(|doc| crate::progression::plan_with(&person, doc, today))
        .map(|p| progression_section(&p, lang));
    let (dates, history, incidents, youth) = if restricted {
        (Vec::new(), Vec::new(), Vec::new(), None)
    } else {
        let entries = match state.store.entries_at(person.id, person.version).await {
            Ok(e) => e,
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        };
        let incidents = incident_lines(person.incidents.as_deref(), lang);
        let corrected: std::collections::HashSet<i64> =
            entries.iter().filter_map(|e| e.corrects).collect();
        let history = entries
            .iter()
            .map(|e| HistoryLine {
                id: e.id,
                kind: lang.value(Vocab::EntryKind, &e.kind),
                summary: summary(e, lang),
                recorded_at: local_time(&e.recorded_at),
                recorded_by: e.recorded_by_name.clone(),
                corrects: e.corrects,
                reason: e.reason.clone().unwrap_or_default(),
                superseded: corrected.contains(&e.id),
                // An original entry can be corrected by whoever may record its kind here.
                correct_href: (e.corrects.is_none() && may_write_here && caller.may_write(&e.kind))
                    .then(|| format!("/persons/{}/entries/{}/correct", person.id, e.id)),
            })
            .collect();
        (
            doc.as_ref()
                .map_or_else(Vec::new, |doc| date_lines_of(doc, lang)),
            history,
            incidents,
            super::youth::person_section(person.id, &entries, lang),
        )
    };
    let mut actions: Vec<(String, &'static str)> = if restricted || !may_write_here {
        Vec::new()
    } else {
        ENTRY_FORMS
            .iter()
            .filter(|f| caller.may_write(f.kind) && f.applies_to(&person))
            .map(|f| (f.href(person.id), (f.heading)(t)))
            .collect()
    };
    if !restricted {
        actions.insert(
            0,
            (
                format!("/persons/{}/decisions", person.id),
                super::decisions::words(lang).applications_and_decisions,
            ),
        );
    }
    let readers = if caller.role == Role::Prisoner {
        match readers(&state, person.id, lang).await {
            Ok(lines) => Some(lines),
            Err(e) => return refusal(&headers, Some(&caller), e, &here),
        }
    } else {
        None
    };
    let title = person.display_name();
    let person_release_plan = person.release_plan.clone().filter(|_| person.in_custody());
    let planned_from = doc
        .as_ref()
        .and_then(|d| d.get("planned_from")?.as_str().map(String::from));
    let serving_began_on_em = doc
        .as_ref()
        .and_then(|d| d.get("serving_began_on_em")?.as_str().map(String::from));
    // The contact officer by name, as the leader's home page shows them (issue 5, item 8).
    let contact_officer = match person.contact_officer.as_deref() {
        None => "–".to_string(),
        Some(_) if restricted => String::new(),
        Some(username) => match state.store.display_name_of(username).await {
            Ok(Some(name)) => format!("{name} ({username})"),
            Ok(None) => username.to_string(),
            Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
        },
    };
    let page = PersonPage {
        c: chrome(&headers, Some(&caller), &title, &here),
        facts: facts(&person, contact_officer, lang),
        brief: vec![
            (t.status, lang.value(Vocab::Status, &person.status)),
            (t.prison, person.prison_id.clone().unwrap_or_default()),
            (
                t.release_date,
                person.end_of_sentence.clone().unwrap_or_default(),
            ),
        ],
        p: person,
        restricted,
        break_glass: glass,
        actions,
        dates,
        history,
        planned_from,
        serving_began_on_em,
        incidents,
        progression,
        release_plan: (!restricted)
            .then(|| release_plan_section(&person_release_plan, lang))
            .flatten(),
        readers,
        youth,
    };
    render(&page)
}

/// The release plan in words: the office handed over to and each area's latest assessment
/// (every area listed, those not yet assessed said so).
pub struct ReleasePlanSection {
    /// "F001 on 2025-05-20", or empty before the handover.
    pub handover: String,
    /// (area, status, date, note).
    pub areas: Vec<(String, String, String, String)>,
}

fn release_plan_section(json: &Option<String>, lang: Lang) -> Option<ReleasePlanSection> {
    let plan: Value = serde_json::from_str(json.as_deref()?).ok()?;
    let t = lang.texts();
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let handover = plan
        .get("handover")
        .filter(|h| !h.is_null())
        .map(|h| {
            let note = text(h, "note");
            let office = text(h, "office");
            let date = text(h, "date");
            if note.is_empty() {
                format!("{office} · {date}")
            } else {
                format!("{office} · {date} · {note}")
            }
        })
        .unwrap_or_default();
    let assessed = plan
        .get("areas")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let areas = halden_storage::facts::RELEASE_PLAN_AREAS
        .iter()
        .map(|area| {
            let found = assessed
                .iter()
                .find(|a| a.get("area").and_then(Value::as_str) == Some(area));
            (
                lang.value(Vocab::PlanArea, area),
                found.map_or_else(
                    || t.release_plan_not_assessed.to_string(),
                    |a| lang.value(Vocab::PlanStatus, &text(a, "status")),
                ),
                found.map(|a| text(a, "date")).unwrap_or_default(),
                found.map(|a| text(a, "note")).unwrap_or_default(),
            )
        })
        .collect();
    Some(ReleasePlanSection { handover, areas })
}

/// The progression plan in words.
pub struct ProgressionSection {
    /// The level now and the lowest level the rules allow, in words.
    pub levels: String,
    /// Why that level, rule by rule.
    pub reasons: Vec<String>,
    /// Held above the lowest level the rules allow.
    pub above: bool,
    /// (step, date, rule, reached or to come, explanation).
    pub steps: Vec<(String, String, String, String, String)>,
}

fn progression_section(p: &crate::progression::Progression, lang: Lang) -> ProgressionSection {
    let nb = lang == Lang::Nb;
    let level = |l: SecurityLevel| {
        let (en, nb_word) = l.label();
        if nb { nb_word } else { en }
    };
    let now = p.level_now.map_or("–", level);
    let levels = if nb {
        format!(
            "Nå: {now}. Laveste nivå reglene tillater i dag: {}.",
            level(p.recommended)
        )
    } else {
        format!(
            "Now: {now}. The lowest level the rules allow today: {}.",
            level(p.recommended)
        )
    };
    let reasons = p
        .reasons
        .iter()
        .map(|r| {
            format!(
                "{} ({}): {}",
                r.rule.id(),
                r.rule.reference(),
                if nb { &r.nb } else { &r.en }
            )
        })
        .collect();
    let steps = p
        .steps
        .iter()
        .map(|s| {
            let (en, nb_word) = s.planned.step.label();
            let status = match (s.planned.closed, s.planned.reached, nb) {
                (Some(closure), _, _) => {
                    let (en, nb_words) = closure.label();
                    if nb { nb_words } else { en }
                }
                (None, true, true) => "nådd",
                (None, true, false) => "reached",
                (None, false, true) => "kommer",
                (None, false, false) => "to come",
            };
            (
                (if nb { nb_word } else { en }).to_string(),
                s.planned.date.to_string(),
                format!("{} ({})", s.rule, s.reference),
                status.to_string(),
                if nb {
                    s.explanation_nb.clone()
                } else {
                    s.explanation_en.clone()
                },
            )
        })
        .collect();
    ProgressionSection {
        levels,
        reasons,
        above: p.above_recommended(),
        steps,
    }
}

/// One incident in words: what, when due, when back, and the days not counted with their rule.
/// The projected incidents (newest first), one sentence each in the page's language: what, when
/// due, when back, and the days not counted with their rule.
fn incident_lines(json: Option<&str>, lang: Lang) -> Vec<String> {
    let Some(list) = json.and_then(|j| serde_json::from_str::<Vec<Value>>(j).ok()) else {
        return Vec::new();
    };
    list.iter()
        .rev()
        .filter_map(|i| incident_line(i, lang))
        .collect()
}

fn incident_line(incident: &Value, lang: Lang) -> Option<String> {
    let kind = match incident.get("kind")?.as_str()? {
        "late_return" => IncidentKind::LateReturn,
        "failure_to_return" => IncidentKind::FailureToReturn,
        _ => return None,
    };
    let (en, nb) = kind.label();
    // Stored as civil date-times (`2025-05-11T18:00:00`): shown to the minute.
    let time = |key: &str| -> Option<String> {
        let at: jiff::civil::DateTime = incident.get(key)?.as_str()?.parse().ok()?;
        Some(at.strftime("%Y-%m-%d %H:%M").to_string())
    };
    let (due, at) = (time("due")?, time("at")?);
    let days = incident
        .get("not_counted")
        .filter(|n| !n.is_null())
        .and_then(|n| {
            Some((
                n.get("days")?.as_i64()?,
                n.get("from")?.as_str()?.to_string(),
                n.get("to")?.as_str()?.to_string(),
            ))
        });
    Some(match (lang, days) {
        (Lang::Nb, None) => format!(
            "{}: skulle vært tilbake {due}, registrert {at}; ingen hel dag utenfor, ingen dager trekkes fra (R-CALC-5).",
            capitalised(nb)
        ),
        (Lang::Nb, Some((n, from, to))) => format!(
            "{}: skulle vært tilbake {due}, registrert {at}; {n} hele dager utenfor ({from}–{to}) regnes ikke som sonet tid (R-CALC-5, strgjfl § 40).",
            capitalised(nb)
        ),
        (Lang::En, None) => format!(
            "{}: due back {due}, recorded {at}; no whole day outside, so no days are lost (R-CALC-5).",
            capitalised(en)
        ),
        (Lang::En, Some((n, from, to))) => format!(
            "{}: due back {due}, recorded {at}; {n} whole days outside ({from} to {to}) do not count as time served (R-CALC-5, strgjfl § 40).",
            capitalised(en)
        ),
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// "Interpreter: pl, en" when the person needs one, else empty (BRIEF §3.7: shown wherever the
/// person is met).
pub fn interpreter_note(p: &PersonRow, lang: Lang) -> String {
    if p.needs_interpreter() {
        interpreter_words(&p.languages, lang)
    } else {
        String::new()
    }
}

/// "Interpreter: pl, en" for the languages as stored (comma-separated).
pub fn interpreter_words(languages: &str, lang: Lang) -> String {
    let languages = languages.replace(',', ", ");
    match lang {
        Lang::Nb => format!("tolk: {languages}"),
        Lang::En => format!("interpreter: {languages}"),
    }
}

/// The identity and custody facts of the full view, in words; `contact_officer` is the contact
/// officer's name and username, `–` for none.
fn facts(p: &PersonRow, contact_officer: String, lang: Lang) -> Vec<(&'static str, String)> {
    let t = lang.texts();
    let or_dash = |x: &Option<String>| x.clone().unwrap_or_else(|| "–".into());
    let word = |vocab, x: &Option<String>| {
        x.as_deref()
            .map_or_else(|| "–".into(), |code| lang.value(vocab, code))
    };
    let supervision = match &p.supervision_kind {
        None => "–".to_string(),
        Some(kind) => [
            Some(lang.value(Vocab::Supervision, kind)),
            p.supervision_office.clone(),
            p.supervision_until.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
    };
    let mut facts = vec![
        (t.identity_number, or_dash(&p.identity_number)),
        (t.temporary_id, or_dash(&p.temporary_id)),
        (t.birth_date, p.birth_date.clone()),
        (t.sex, lang.value(Vocab::Sex, &p.sex)),
        (t.citizenship, p.citizenship.clone()),
        (t.languages, p.languages.replace(',', ", ")),
        (
            t.interpreter,
            (if p.needs_interpreter() { t.yes } else { t.no }).into(),
        ),
        (t.home_municipality, or_dash(&p.home_municipality)),
        (t.status, lang.value(Vocab::Status, &p.status)),
        (
            t.prison,
            match (&p.prison_id, &p.unit) {
                (Some(prison), Some(unit)) => format!("{prison} ({unit})"),
                (Some(prison), None) => prison.clone(),
                _ => "–".into(),
            },
        ),
        (t.basis, word(Vocab::Basis, &p.basis)),
        (t.security_level, word(Vocab::Level, &p.security_level)),
        (t.contact_officer, contact_officer),
        (t.supervision, supervision),
        (t.queue, waiting(p, lang)),
    ];
    if let Some(e) = p.expulsion() {
        let finality = e.final_on.map_or_else(
            || t.expulsion_pending.to_string(),
            |d| format!("{} {d}", t.final_on.to_lowercase()),
        );
        facts.push((
            t.expulsion_notice,
            format!("{} ({}), {finality}", e.decided_on, e.authority),
        ));
    }
    if let Some(h) = p.handover() {
        facts.push((
            t.handover_notice,
            format!("{} · {}", h.at.date(), h.institution),
        ));
    }
    facts.push((t.version, p.version.to_string()));
    facts
}

/// The judgment waiting to be served, in words: received, the latest serving date and the
/// queue date (R-INNK-1, R-QUEUE-1), the summons and a missed date.
fn waiting(p: &PersonRow, lang: Lang) -> String {
    let Some(received) = p
        .queue_received
        .as_deref()
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
    else {
        return "–".into();
    };
    let latest = halden_domain::queue::latest_start(received);
    let counted = halden_domain::queue::counted_from(received);
    let nb = lang == Lang::Nb;
    let mut parts = vec![if nb {
        format!(
            "dom mottatt {received}; soning senest {latest} (R-INNK-1); i soningskøen fra {counted} (R-QUEUE-1)"
        )
    } else {
        format!(
            "judgment received {received}; serving by {latest} (R-INNK-1); in the queue from {counted} (R-QUEUE-1)"
        )
    }];
    if let (Some(date), Some(prison)) = (&p.summons_date, &p.summons_prison) {
        parts.push(if nb {
            format!("innkalt til {date} i {prison}")
        } else {
            format!("summoned for {date} at {prison}")
        });
    }
    if let Some(missed) = &p.non_appearance {
        parts.push(if nb {
            format!("møtte ikke {missed} (R-INNK-3)")
        } else {
            format!("did not report on {missed} (R-INNK-3)")
        });
    }
    parts.join("; ")
}
