//! The forms that append an entry to a person's record, one per kind a person at a desk records
//! (movement, security level, remand order, time not counted, probation supervision, contact
//! officer), and the
//! correction form for any entry.
//!
//! Every form posts through [`crate::api::append`], the same path as the API, which checks role,
//! scope and the record's version; the pages ask [`Caller`] only to decide what to offer.

use axum::{
    Form, Router,
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use halden_domain::{
    case::NonCountingReason,
    register::{CustodyBasis, MovementKind, SecurityLevel},
};
use halden_storage::{PersonRow, facts::Fact};
use serde_json::{Map, Value};

use super::{
    Field, FormPage, Values, check_csrf, chrome, form, lang, payload, prison_options, refusal,
    signed_in,
};
use crate::{
    AppState,
    access::{Caller, Role, contact_officer_refusal},
    api,
    error::ApiError,
    i18n::{Lang, Texts, Vocab},
};

/// What a form needs to offer its choices.
pub struct Choices {
    /// The page's language.
    pub lang: Lang,
    /// The prisons the caller may choose, (id, name).
    pub prisons: Vec<(String, String)>,
    /// The probation offices the caller may choose, (id, name).
    pub offices: Vec<(String, String)>,
    /// The contact officers of the person's unit, (username, name).
    pub contact_officers: Vec<(String, String)>,
}

/// One kind of entry's form.
pub struct EntryForm {
    /// The entry kind it records.
    pub kind: &'static str,
    /// Its path under `/persons/{id}/`.
    pub slug: &'static str,
    /// Its heading (and the person page's link).
    pub heading: fn(&'static Texts) -> &'static str,
    /// Its fields, holding `values`.
    fields: fn(&Choices, &Values) -> Vec<Field>,
    /// The payload `values` make.
    payload: fn(&Values, &[Field]) -> Value,
}

impl EntryForm {
    /// The form's address for a person.
    pub fn href(&self, person: i64) -> String {
        format!("/persons/{person}/{}/new", self.slug)
    }
}

/// Every entry form, in the order the person page offers them.
pub const ENTRY_FORMS: [EntryForm; 11] = [
    EntryForm {
        kind: "movement",
        slug: "movements",
        heading: |t| t.record_movement,
        fields: movement_fields,
        payload: |v, f| {
            Value::Object(payload(
                v,
                f,
                &[
                    "movement",
                    "at",
                    "due_back",
                    "prison",
                    "basis",
                    "capacity_override",
                    "youth_exception",
                    "institution",
                    "note",
                ],
            ))
        },
    },
    EntryForm {
        kind: "security_level",
        slug: "security-levels",
        heading: |t| t.record_security_level,
        fields: security_level_fields,
        payload: |v, f| Value::Object(payload(v, f, &["level", "from", "reason"])),
    },
    EntryForm {
        kind: "remand_order",
        slug: "remand-orders",
        heading: |t| t.record_remand_order,
        fields: remand_order_fields,
        payload: remand_order_payload,
    },
    EntryForm {
        kind: "non_counting",
        slug: "non-counting",
        heading: |t| t.record_non_counting,
        fields: non_counting_fields,
        payload: |v, f| Value::Object(payload(v, f, &["from", "to", "reason"])),
    },
    EntryForm {
        kind: "supervision",
        slug: "supervisions",
        heading: |t| t.record_supervision,
        fields: supervision_fields,
        payload: |v, f| {
            Value::Object(payload(
                v,
                f,
                &["supervision", "office", "from", "until", "office_reason"],
            ))
        },
    },
    EntryForm {
        kind: "contact_officer",
        slug: "contact-officers",
        heading: |t| t.record_contact_officer,
        fields: contact_officer_fields,
        payload: |v, f| Value::Object(payload(v, f, &["officer", "from"])),
    },
    EntryForm {
        kind: "summons",
        slug: "summonses",
        heading: |t| t.record_summons,
        fields: summons_fields,
        payload: |v, f| {
            Value::Object(payload(
                v,
                f,
                &["serving_date", "prison", "form", "sent_on", "late_reason"],
            ))
        },
    },
    EntryForm {
        kind: "non_appearance",
        slug: "non-appearances",
        heading: |t| t.record_non_appearance,
        fields: non_appearance_fields,
        payload: |v, f| Value::Object(payload(v, f, &["date", "note"])),
    },
    EntryForm {
        kind: "expulsion",
        slug: "expulsions",
        heading: |t| t.record_expulsion,
        fields: expulsion_fields,
        payload: |v, f| {
            Value::Object(payload(
                v,
                f,
                &["decided_on", "authority", "final_on", "reference"],
            ))
        },
    },
    EntryForm {
        kind: "release_plan",
        slug: "release-plan",
        heading: |t| t.record_release_plan,
        fields: release_plan_fields,
        payload: |v, f| Value::Object(payload(v, f, &["area", "status", "date", "note"])),
    },
    EntryForm {
        kind: "release_handover",
        slug: "release-handover",
        heading: |t| t.record_release_handover,
        fields: release_handover_fields,
        payload: |v, f| Value::Object(payload(v, f, &["office", "date", "note"])),
    },
];

fn release_plan_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    vec![
        Field::new("area", t.plan_area, "select", v.get("area"), true).choose_from(
            c.lang
                .options(Vocab::PlanArea, &halden_storage::facts::RELEASE_PLAN_AREAS),
        ),
        Field::new("status", t.plan_status, "select", v.get("status"), true).choose_from(
            c.lang.options(
                Vocab::PlanStatus,
                &halden_storage::facts::RELEASE_PLAN_STATUSES,
            ),
        ),
        Field::new("date", t.date, "date", v.get("date"), true),
        Field::new("note", t.note, "textarea", v.get("note"), false).help(t.plan_note_help),
    ]
}

fn release_handover_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    vec![
        Field::new("office", t.office, "select", v.get("office"), true)
            .choose_from(c.offices.clone())
            .help(t.release_handover_help),
        Field::new("date", t.date, "date", v.get("date"), true),
        Field::new("note", t.note, "textarea", v.get("note"), false),
    ]
}

fn expulsion_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    vec![
        Field::new(
            "decided_on",
            t.decided_on,
            "date",
            v.get("decided_on"),
            true,
        )
        .help(t.expulsion_help),
        Field::new(
            "authority",
            t.expulsion_authority,
            "text",
            v.get("authority"),
            true,
        ),
        Field::new("final_on", t.final_on, "date", v.get("final_on"), false),
        Field::new(
            "reference",
            t.case_reference,
            "text",
            v.get("reference"),
            false,
        ),
    ]
}

impl EntryForm {
    /// Whether the form applies to `person`: a summons and a missed serving date only while a
    /// judgment waits to be served.
    pub fn applies_to(&self, person: &PersonRow) -> bool {
        match self.kind {
            "summons" | "non_appearance" => person.queue_received.is_some(),
            "release_plan" | "release_handover" => person.in_custody(),
            _ => true,
        }
    }
}

fn summons_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    vec![
        Field::new(
            "serving_date",
            t.serving_date,
            "date",
            v.get("serving_date"),
            true,
        )
        .help(t.serving_date_help),
        Field::new("prison", t.prison, "select", v.get("prison"), true)
            .choose_from(c.prisons.clone()),
        Field::new("form", t.serving_form, "select", v.get("form"), true).choose_from(vec![
            ("prison".into(), t.form_prison.into()),
            ("em".into(), t.form_em.into()),
        ]),
        Field::new("sent_on", t.sent_on, "date", v.get("sent_on"), true).help(t.sent_on_help),
        Field::new(
            "late_reason",
            t.late_reason,
            "textarea",
            v.get("late_reason"),
            false,
        )
        .help(t.late_reason_help),
    ]
}

fn non_appearance_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    vec![
        Field::new("date", t.missed_date, "date", v.get("date"), true).help(t.missed_date_help),
        Field::new("note", t.note, "textarea", v.get("note"), false),
    ]
}

fn contact_officer_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    vec![
        Field::new(
            "officer",
            t.contact_officer,
            "select",
            v.get("officer"),
            true,
        )
        .choose_from(c.contact_officers.clone())
        .help(t.contact_officer_help),
        Field::new("from", t.from, "date", v.get("from"), true),
    ]
}

/// The active contact officers of the unit `person` is held in, (username, name).
async fn contact_officer_options(state: &AppState, person: &PersonRow) -> Vec<(String, String)> {
    state
        .store
        .users()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| contact_officer_refusal(u, person).is_none())
        .map(|u| {
            (
                u.username.clone(),
                format!("{} ({})", u.display_name, u.username),
            )
        })
        .collect()
}

fn movement_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    vec![
        Field::new("movement", t.movement, "select", v.get("movement"), true)
            .choose_from(c.lang.options(
                Vocab::Movement,
                &MovementKind::ALL.map(MovementKind::as_str),
            ))
            // The custody fold names the movement `kind`.
            .alias("kind"),
        Field::new("at", t.time, "datetime-local", v.get("at"), true).help(t.time_help),
        Field::new(
            "due_back",
            t.due_back,
            "datetime-local",
            v.get("due_back"),
            false,
        )
        .help(t.due_back_help),
        Field::new("prison", t.prison, "select", v.get("prison"), false)
            .choose_from(c.prisons.clone())
            .help(t.movement_prison_help),
        Field::new("basis", t.basis, "select", v.get("basis"), false)
            .choose_from(
                c.lang
                    .options(Vocab::Basis, &CustodyBasis::ALL.map(CustodyBasis::as_str)),
            )
            .help(t.movement_basis_help),
        Field::new(
            "capacity_override",
            t.capacity_override,
            "textarea",
            v.get("capacity_override"),
            false,
        )
        .help(t.capacity_override_help),
        Field::new(
            "youth_exception",
            t.youth_exception,
            "textarea",
            v.get("youth_exception"),
            false,
        )
        .help(t.youth_exception_help),
        Field::new(
            "institution",
            t.receiving_institution,
            "text",
            v.get("institution"),
            false,
        )
        .help(t.receiving_institution_help),
        Field::new("note", t.note, "textarea", v.get("note"), false),
    ]
}

fn security_level_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    vec![
        Field::new("level", t.security_level, "select", v.get("level"), true)
            .choose_from(
                c.lang
                    .options(Vocab::Level, &SecurityLevel::ALL.map(SecurityLevel::as_str)),
            )
            .help(t.level_help),
        Field::new("from", t.from, "date", v.get("from"), true),
        Field::new("reason", t.reason, "textarea", v.get("reason"), false)
            .help(t.decision_reason_help),
    ]
}

const RESTRICTIONS: [&str; 4] = [
    "full_isolation",
    "partial_isolation",
    "letter_ban",
    "visit_ban",
];

fn remand_order_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    let mut wishes = vec![(String::new(), t.not_stated.to_string())];
    wishes.extend(c.lang.options(
        Vocab::PlacementWish,
        &halden_storage::facts::PLACEMENT_WISHES,
    ));
    vec![
        Field::new("court", t.court, "text", v.get("court"), true),
        Field::new("from", t.from, "date", v.get("from"), true).help(t.remand_dates_help),
        Field::new("until", t.to, "date", v.get("until"), true),
        Field::new("restrictions", t.restrictions, "checkgroup", "", false)
            .boxes(
                &[
                    (RESTRICTIONS[0], t.full_isolation),
                    (RESTRICTIONS[1], t.partial_isolation),
                    (RESTRICTIONS[2], t.letter_ban),
                    (RESTRICTIONS[3], t.visit_ban),
                ],
                v,
            )
            .help(t.restrictions_help),
        Field::new(
            "placement_wish",
            t.placement_wish,
            "radio",
            v.get("placement_wish"),
            false,
        )
        .options(wishes)
        .help(t.placement_wish_help),
    ]
}

fn remand_order_payload(v: &Values, fields: &[Field]) -> Value {
    let mut order = payload(v, fields, &["court", "from", "until", "placement_wish"]);
    let restrictions: Map<String, Value> = RESTRICTIONS
        .iter()
        .map(|r| (r.to_string(), Value::Bool(v.on(r))))
        .collect();
    order.insert("restrictions".into(), Value::Object(restrictions));
    Value::Object(order)
}

fn non_counting_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    vec![
        Field::new("from", t.from, "date", v.get("from"), true),
        Field::new("to", t.to, "date", v.get("to"), true),
        Field::new(
            "reason",
            t.non_counting_reason,
            "select",
            v.get("reason"),
            true,
        )
        .choose_from(c.lang.options(
            Vocab::NonCounting,
            &NonCountingReason::ALL.map(NonCountingReason::as_str),
        ))
        .help(t.non_counting_help),
    ]
}

fn supervision_fields(c: &Choices, v: &Values) -> Vec<Field> {
    let t = c.lang.texts();
    let mut office = Field::new("office", t.office, "select", v.get("office"), true)
        .choose_from(c.offices.clone());
    if c.offices.len() == 1 {
        office = office.help(t.office_help_own);
    }
    vec![
        Field::new(
            "supervision",
            t.supervision_kind,
            "select",
            v.get("supervision"),
            true,
        )
        .choose_from(c.lang.options(
            Vocab::Supervision,
            &halden_storage::facts::SUPERVISION_KINDS,
        )),
        office,
        Field::new("from", t.from, "date", v.get("from"), true).help(t.supervision_dates_help),
        Field::new("until", t.to, "date", v.get("until"), true),
        Field::new(
            "office_reason",
            crate::pages::probation::words(c.lang).office_reason,
            "textarea",
            v.get("office_reason"),
            false,
        )
        .help(crate::pages::probation::words(c.lang).office_reason_help),
    ]
}

/// The probation offices a caller may choose: a probation officer their own, others all.
async fn office_options(state: &AppState, caller: &Caller) -> Vec<(String, String)> {
    state
        .store
        .probation_offices()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|o| caller.role != Role::Probation || Some(o.id.as_str()) == caller.scope())
        .map(|o| (o.id.clone(), format!("{} ({})", o.office, o.id)))
        .collect()
}

/// The routes of the entry forms and the correction form.
pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for entry in &ENTRY_FORMS {
        router = router.route(
            &format!("/persons/{{id}}/{}/new", entry.slug),
            get(
                move |State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>| {
                    entry_page(state, headers, id, entry, None)
                },
            )
            .post(
                move |State(state): State<AppState>,
                      headers: HeaderMap,
                      Path(id): Path<String>,
                      Form(values): Form<Values>| {
                    entry_page(state, headers, id, entry, Some(values))
                },
            ),
        );
    }
    router.route(
        "/persons/{id}/entries/{entry}/correct",
        get(correction_form).post(correction_submit),
    )
}

/// The heading's subject: the person's name when the caller may read their record, else only
/// their number (writing rights reach further than reading: a form must not show a name the
/// person page would not).
fn subject(caller: &Caller, person: &PersonRow, today: jiff::civil::Date, t: &Texts) -> String {
    if caller.in_scope(person, today) {
        person.display_name()
    } else {
        format!("{} {}", t.person_number, person.id)
    }
}

async fn entry_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    entry: &'static EntryForm,
    submitted: Option<Values>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = format!("/persons/{id}/{}/new", entry.slug);
    let lang = lang(&headers);
    let t = lang.texts();
    let Ok(id) = id.parse::<i64>() else {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    };
    if !caller.may_write(entry.kind) {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    let today = state.today();
    // A probation office records supervision for anyone it takes on; everything else only for
    // the persons in its scope (its caseload, and those handed over to it before release).
    let scoped = |p: &PersonRow| {
        caller.role != Role::Probation || entry.kind == "supervision" || caller.in_scope(p, today)
    };
    let person = match state.store.person(id).await {
        Ok(Some(p)) if caller.may_write_for(&p, today) && scoped(&p) => p,
        Ok(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
        Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
    };
    let choices = Choices {
        lang,
        prisons: prison_options(&state, &caller, lang).await,
        offices: if matches!(entry.kind, "supervision" | "release_handover") {
            office_options(&state, &caller).await
        } else {
            Vec::new()
        },
        contact_officers: if entry.kind == "contact_officer" {
            contact_officer_options(&state, &person).await
        } else {
            Vec::new()
        },
    };
    let mut problems = Vec::new();
    let values = match submitted {
        None if entry.kind == "summons" => {
            let today = today.to_string();
            Values::of(&[("sent_on", today.as_str()), ("form", "prison")])
        }
        None if entry.kind == "release_plan" || entry.kind == "release_handover" => {
            Values::of(&[("date", today.to_string().as_str())])
        }
        None if choices.offices.len() == 1 => {
            Values::of(&[("office", choices.offices[0].0.as_str())])
        }
        None => Values::default(),
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
            }
            let fields = (entry.fields)(&choices, &values);
            let body = (entry.payload)(&values, &fields);
            problems = form::required_problems(&fields, t);
            if problems.is_empty() {
                let version = values.get("version").parse::<i64>().unwrap_or(-1);
                match api::append(&state, &caller, id, entry.kind, version, body, None, None).await
                {
                    Ok(_) => return Redirect::to(&format!("/persons/{id}")).into_response(),
                    Err(ApiError::Forbidden) => {
                        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
                    }
                    Err(e) => problems = form::problems(&e, lang),
                }
            } else if let Err(more) = Fact::from_payload(entry.kind, &body, "payload") {
                // Nothing is saved; the other fields' problems are named now, not one by one.
                let more = form::problems(&ApiError::Invalid(more), lang);
                form::merge(&mut problems, more, &fields);
            }
            values
        }
    };
    let heading = (entry.heading)(t);
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), heading, &here),
        &format!("{heading} – {}", subject(&caller, &person, today, t)),
        &here,
        (entry.fields)(&choices, &values),
    );
    if caller.in_scope(&person, today) {
        page.intro = format!(
            "{}: {}",
            t.status,
            lang.value(Vocab::Status, &person.status)
        );
    }
    page.hidden = vec![
        ("version".into(), person.version.to_string()),
        ("csrf".into(), caller.csrf_token.clone()),
    ];
    page.submit = t.save.into();
    page.with_problems(problems).respond()
}

async fn correction_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, entry)): Path<(String, String)>,
) -> Response {
    correction_page(state, headers, id, entry, None).await
}

async fn correction_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, entry)): Path<(String, String)>,
    Form(form): Form<Values>,
) -> Response {
    correction_page(state, headers, id, entry, Some(form)).await
}

async fn correction_page(
    state: AppState,
    headers: HeaderMap,
    id: String,
    entry: String,
    submitted: Option<Values>,
) -> Response {
    let caller = match signed_in(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = format!("/persons/{id}/entries/{entry}/correct");
    let lang = lang(&headers);
    let t = lang.texts();
    let (Ok(id), Ok(entry_id)) = (id.parse::<i64>(), entry.parse::<i64>()) else {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    };
    // A role that may record nothing may correct nothing (403), wherever the person is.
    if !halden_storage::facts::KINDS
        .iter()
        .any(|kind| caller.may_write(kind))
    {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    let today = state.today();
    let person = match state.store.person(id).await {
        Ok(Some(p)) if caller.may_write_for(&p, today) => p,
        Ok(_) => return refusal(&headers, Some(&caller), ApiError::NotFound, &here),
        Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
    };
    let entries = match state.store.entries(id).await {
        Ok(e) => e,
        Err(e) => return refusal(&headers, Some(&caller), e.into(), &here),
    };
    let Some(target) = entries.iter().find(|e| e.id == entry_id) else {
        return refusal(&headers, Some(&caller), ApiError::NotFound, &here);
    };
    if !caller.may_write(&target.kind) {
        return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
    }
    // An identity cannot be retracted, only corrected.
    let may_retract = target.kind != "identity";
    let fields = |values: &Values| {
        let mut fields = vec![
            Field::new(
                "payload",
                t.payload_json,
                "textarea",
                values.get("payload"),
                false,
            )
            .help(t.payload_help),
        ];
        if may_retract {
            fields.push(
                Field::new(
                    "retract",
                    t.retract,
                    "checkbox",
                    if values.on("retract") { "on" } else { "" },
                    false,
                )
                .help(t.retract_help),
            );
        }
        fields.push(
            Field::new("reason", t.reason, "textarea", values.get("reason"), true)
                .help(t.correction_reason_help),
        );
        fields
    };
    let mut problems = Vec::new();
    let values = match submitted {
        None => {
            // Start from the entry's content in effect (its latest correction).
            let current = entries
                .iter()
                .rev()
                .find(|e| e.corrects == Some(entry_id) || e.id == entry_id)
                .map(|e| serde_json::to_string_pretty(&e.payload_json()).unwrap_or_default())
                .unwrap_or_default();
            Values::of(&[("payload", current.as_str())])
        }
        Some(values) => {
            if check_csrf(&caller, values.get("csrf")).is_err() {
                return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
            }
            let retract = may_retract && values.on("retract");
            problems = form::required_problems(&fields(&values), t);
            let content = if retract {
                Ok(("retraction", Value::Object(Map::new())))
            } else {
                serde_json::from_str::<Value>(values.get("payload"))
                    .map(|payload| (target.kind.as_str(), payload))
                    .map_err(|e| {
                        form::Problem::new(
                            "payload",
                            format!(
                                "{} ({} {}, {} {})",
                                t.not_json,
                                t.line,
                                e.line(),
                                t.column,
                                e.column()
                            ),
                        )
                    })
            };
            match content {
                Err(problem) => problems.push(problem),
                Ok((kind, payload)) if problems.is_empty() => {
                    let version = values.get("version").parse::<i64>().unwrap_or(-1);
                    let reason = values.get("reason");
                    match api::append(
                        &state,
                        &caller,
                        id,
                        kind,
                        version,
                        payload,
                        Some(entry_id),
                        Some(reason),
                    )
                    .await
                    {
                        Ok(_) => return Redirect::to(&format!("/persons/{id}")).into_response(),
                        Err(ApiError::Forbidden) => {
                            return refusal(&headers, Some(&caller), ApiError::Forbidden, &here);
                        }
                        Err(e) => problems = form::problems(&e, lang),
                    }
                }
                Ok((kind, payload)) => {
                    if let Err(more) = Fact::from_payload(kind, &payload, "payload") {
                        problems.extend(form::problems(&ApiError::Invalid(more), lang));
                    }
                }
            }
            values
        }
    };
    let mut page = FormPage::new(
        chrome(&headers, Some(&caller), t.correct, &here),
        &format!(
            "{} – {} #{entry_id}",
            t.correct,
            lang.value(Vocab::EntryKind, &target.kind),
        ),
        &here,
        fields(&values),
    );
    page.intro = subject(&caller, &person, today, t);
    page.hidden = vec![
        ("version".into(), person.version.to_string()),
        ("csrf".into(), caller.csrf_token.clone()),
    ];
    page.submit = t.save.into();
    page.with_problems(problems).respond()
}
