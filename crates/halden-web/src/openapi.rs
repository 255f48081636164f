//! The OpenAPI 3.1 document served at `/api/v1/openapi.json`.

use halden_domain::decisions::DecisionKind;
use serde_json::{Value, json};

fn errors_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}})
}

fn standard_errors() -> Value {
    json!({
        "400": errors_response("Invalid input; every problem names its field"),
        "401": errors_response("No valid bearer token"),
        "403": errors_response("The caller's role may not do this"),
        "404": errors_response("Not found, or outside the caller's scope"),
    })
}

fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

fn ok(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"type": "object"}}}})
}

/// The document.
pub fn document() -> Value {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}});
    let glass = json!({"name": "X-Break-Glass-Purpose", "in": "header", "required": false,
        "description": "Read outside your scope with this stated purpose (UTF-8); the read is flagged in the access log. A blank purpose is refused (400).",
        "schema": {"type": "string", "minLength": 1}});
    let key = json!({"name": "Idempotency-Key", "in": "header", "required": false,
        "description": "The same key with the same request creates once and returns the first answer",
        "schema": {"type": "string", "maxLength": 200}});
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Halden API",
            "version": "1",
            "description": "The register of a correctional service on the Norwegian model. Every read of a person is logged; every change is an appended entry."
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Errors": {"type": "object", "required": ["errors"], "properties": {"errors": {"type": "array", "items": {
                    "type": "object", "required": ["field", "message"],
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}},
                "Identity": {"type": "object", "required": ["family_name", "given_names", "birth_date", "sex", "citizenship"], "properties": {
                    "identity_number": {"type": "string", "pattern": "^[0-9]{11}$"},
                    "temporary_id": {"type": "string"},
                    "family_name": {"type": "string"}, "given_names": {"type": "string"},
                    "birth_date": {"type": "string", "format": "date"},
                    "sex": {"enum": ["female", "male", "unspecified"]},
                    "citizenship": {"type": "string", "pattern": "^[A-Z]{2}$"},
                    "languages": {"type": "array", "items": {"type": "string"}},
                    "interpreter_needed": {"type": "boolean"},
                    "home_municipality": {"type": "string"}}},
                "Movement": {"type": "object", "required": ["movement", "at"], "properties": {
                    "movement": {"enum": ["admission", "basis_change", "transfer", "leave_out", "leave_return", "escape", "recapture", "hospital_out", "hospital_return", "court_out", "court_return", "release", "handover"]},
                    "at": {"type": "string", "description": "Europe/Oslo civil date-time, e.g. 2025-03-03T10:00"},
                    "due_back": {"type": "string", "description": "leave_out only: when the person is due back (Europe/Oslo). A later return raises an incident and the whole days outside are not counted (R-CALC-5)"},
                    "prison": {"type": "string"}, "basis": {"enum": ["remand", "sentence", "preventive_detention", "fine_default"]},
                    "youth_exception": {"type": "string", "description": "admission and transfer only: the special grounds for placing a person under 18 on the day outside a youth unit (R-YOUTH-2). Without it such a movement is refused (400, payload.prison naming the youth units)"},
                    "institution": {"type": "string", "description": "handover only (required): the health institution receiving the person for mandatory psychiatric care; the handover closes the custody episode and the case"},
                    "capacity_override": {"type": "string", "description": "admission and transfer only: why the person is placed in a department that is full on the day. Without it such a movement is refused (400, payload.prison, naming places and occupancy); with it, it is kept on the entry"},
                    "note": {"type": "string"}}},
                "NewEntry": {"type": "object", "required": ["kind", "version"], "properties": {
                    "kind": {"enum": ["identity", "judgment", "remand_order", "movement", "security_level", "non_counting", "supervision", "contact_officer", "summons", "non_appearance", "expulsion", "release_plan", "release_handover", "retraction"]},
                    "version": {"type": "integer", "description": "The person's version the change is based on; a stale one is refused with 409"},
                    "payload": {"type": "object", "description": "By kind, e.g. movement: see Movement; summons: {serving_date, prison, form (prison|em), sent_on (today), late_reason (required past 60 days from receipt, R-INNK-1)}; non_appearance: {date (not in the future), note}; expulsion: {decided_on, authority, final_on, reference} (closes frigang, § 16, EM and the halfway house in the progression plan); a movement `handover` (to mandatory psychiatric care) needs `institution` and closes the case; release_plan: {area (housing|work_or_school|health|nav), status (arranged|in_progress|needs_help|not_needed), date, note} while in custody, by the prison's staff or the probation office handed over to; release_handover: {office (F…), date, note} by the contact officer or leader: the office then reads the record before supervision starts"},
                    "corrects": {"type": "integer", "description": "The entry this one corrects (same kind) or retracts"},
                    "reason": {"type": "string", "description": "Required for corrections"}}},
                "NewAccount": {"type": "object", "required": ["username", "display_name", "password", "role"], "properties": {
                    "username": {"type": "string", "pattern": "^[a-z0-9._-]{2,40}$"},
                    "display_name": {"type": "string", "maxLength": 100},
                    "password": {"type": "string", "minLength": 12, "maxLength": 200},
                    "role": {"enum": ["officer", "contact", "leader", "placement", "probation", "health", "prisoner", "analyst", "admin"]},
                    "scope": {"type": "string", "description": "The prison unit (officer, contact, leader, health) or the probation office id (probation); none for other roles"},
                    "person_id": {"type": "integer", "description": "A prisoner's account: their person"}}},
                "Reason": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}},
                "CourtFile": {"type": "object", "required": ["judgments"], "properties": {
                    "format": {"type": "string"}, "court": {"type": "string"},
                    "judgments": {"type": "array", "items": {"type": "object", "required": ["person", "case_number", "decision_date"], "properties": {
                        "person": {"$ref": "#/components/schemas/Identity"},
                        "case_number": {"type": "string"}, "court": {"type": "string"},
                        "decision_date": {"type": "string", "format": "date"}, "final_date": {"type": "string", "format": "date"},
                        "remand_deduction_days": {"type": "integer"}, "offence_class": {"enum": ["ordinary", "max_30"]},
                        "sentences": {"type": "array", "items": {"type": "object"}},
                        "preventive_detention": {"type": "object"}, "community_sentence": {"type": "object"},
                        "youth_sentence": {"type": "object", "description": "Ungdomsstraff (strl § 52 a, R-YOUTH-3): {execution_period_months (6–24, up to 36 when the alternative exceeds 2 years), alternative_days | alternative_months | alternative_years}; alone in its judgment, with offence_date; the offender under 18 at the act. Executed by the mediation service: never in the serving queue"},
                        "offence_date": {"type": "string", "format": "date", "description": "Required with a youth sentence"}}}}}}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/health": {"get": {"summary": "Liveness", "security": [], "responses": {"200": ok("The server is up")}}},
            "/api/v1/auth/login": {"post": {"summary": "Sign in; returns a bearer token", "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
                "responses": {"200": ok("{\"token\": …}"), "400": errors_response("Missing fields"), "401": errors_response("Wrong username or password")}}},
            "/api/v1/persons": {
                "get": {"summary": "Persons in the caller's scope", "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 1000}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer"}}],
                    "responses": merge(json!({"200": ok("{\"persons\": […]}")}), standard_errors())},
                "post": {"summary": "Register a person, optionally with the admission", "parameters": [key.clone()],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["identity"], "properties": {
                        "identity": {"$ref": "#/components/schemas/Identity"}, "admission": {"$ref": "#/components/schemas/Movement"}}}}}},
                    "responses": merge(json!({"201": ok("{\"id\", \"version\"}"), "409": errors_response("Idempotency key reused for another request")}), standard_errors())}},
            "/api/v1/persons/{id}": {"get": {"summary": "A person's record (logged)", "parameters": [id.clone(), glass.clone()],
                "responses": merge(json!({"200": ok("The person; service providers get a restricted view")}), standard_errors())}},
            "/api/v1/persons/{id}/dates": {"get": {"summary": "Key dates with explanations, as `halden calc --json` (logged)", "parameters": [id.clone(), glass.clone()],
                "responses": merge(json!({"200": ok("The engine's result")}), standard_errors())}},
            "/api/v1/persons/{id}/entries": {
                "get": {"summary": "The person's entries, corrections included (logged)", "parameters": [id.clone(), glass],
                    "responses": merge(json!({"200": ok("{\"entries\": […]}")}), standard_errors())},
                "post": {"summary": "Append an entry (or a correction of one)", "parameters": [id, key.clone()],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewEntry"}}}},
                    "responses": merge(json!({"201": ok("{\"entry_id\", \"version\"}"), "409": errors_response("Stale version or reused key")}), standard_errors())}},
            "/api/v1/judgments/import": {"post": {"summary": "Import a court file (JSON or CSV); all or nothing", "parameters": [key],
                "requestBody": {"required": true, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/CourtFile"}},
                    "text/csv": {"schema": {"type": "string"}}}},
                "responses": merge(json!({"201": ok("{\"imported\": […]}")}), standard_errors())}},
            "/api/v1/access-log": {"get": {"summary": "Reads of a person's record, or by a user (administrators; a person for their own record)",
                "parameters": [{"name": "person", "in": "query", "schema": {"type": "integer"}}, {"name": "user", "in": "query", "schema": {"type": "integer"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": merge(json!({"200": ok("{\"entries\": […]}")}), standard_errors())}},
            "/api/v1/users": {
                "get": {"summary": "Every account (administrators)", "responses": merge(json!({"200": ok("{\"users\": […]}")}), standard_errors())},
                "post": {"summary": "Create an account with a role and a scope (administrators; logged)", "parameters": [key.clone()],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewAccount"}}}},
                    "responses": merge(json!({"201": ok("{\"id\"}"), "409": errors_response("Idempotency key reused for another request")}), standard_errors())}},
            "/api/v1/users/{id}/disable": {"post": {"summary": "Disable an account, with the reason; its sessions end (administrators; logged)", "parameters": [id.clone()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reason"}}}},
                "responses": merge(json!({"200": ok("The account")}), standard_errors())}},
            "/api/v1/users/{id}/enable": {"post": {"summary": "Enable a disabled account, with the reason (administrators; logged)", "parameters": [id.clone()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reason"}}}},
                "responses": merge(json!({"200": ok("The account")}), standard_errors())}},
            "/api/v1/account-log": {"get": {"summary": "Changes to accounts, newest first (administrators)",
                "parameters": [{"name": "user", "in": "query", "schema": {"type": "integer"}}, {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": merge(json!({"200": ok("{\"changes\": […]}")}), standard_errors())}},
            "/api/v1/prisons": {"get": {"summary": "The estate's prisons", "responses": merge(json!({"200": ok("{\"prisons\": […]}")}), standard_errors())}}
        }
    });
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in decision_paths().as_object().into_iter().flatten() {
            paths.insert(path.clone(), item.clone());
        }
        for (path, item) in probation_paths().as_object().into_iter().flatten() {
            paths.insert(path.clone(), item.clone());
        }
        for (path, item) in statistics_paths().as_object().into_iter().flatten() {
            paths.insert(path.clone(), item.clone());
        }
        for (path, item) in youth_paths().as_object().into_iter().flatten() {
            paths.insert(path.clone(), item.clone());
        }
        for (path, item) in programme_paths().as_object().into_iter().flatten() {
            paths.insert(path.clone(), item.clone());
        }
    }
    // A judgment's programme condition (R-PROG-1), in the court file's records.
    if let Some(record) =
        doc.pointer_mut("/components/schemas/CourtFile/properties/judgments/items/properties")
        && let Some(record) = record.as_object_mut()
    {
        record.insert("driving_programme".into(), driving_programme_schema());
    }
    doc
}

/// Official statistics (issue 7): one path per report, and the public published set.
fn statistics_paths() -> Value {
    let q = |name: &str, schema: Value, description: &str| json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description});
    let date = json!({"type": "string", "format": "date"});
    let parameters = json!([
        q(
            "date",
            date.clone(),
            "Stock date (SPACE I/II, monthly, queue); default today. Anything but YYYY-MM-DD is 400 on field date"
        ),
        q(
            "year",
            json!({"type": "integer", "minimum": 1900, "maximum": 2100}),
            "Flow year (annual, Nordic; default last year)"
        ),
        q(
            "from",
            date.clone(),
            "First day (reconcile; default 1 January of year)"
        ),
        q(
            "to",
            date,
            "Last day (reconcile; default 31 December of year)"
        ),
        q(
            "count_em",
            json!({"type": "boolean"}),
            "Count EM (front and back door) in the stock; default false"
        ),
        q(
            "capacity",
            json!({"type": "integer", "minimum": 1}),
            "Places; default the estate's"
        ),
        q(
            "inhabitants",
            json!({"type": "integer", "minimum": 1}),
            "Inhabitants on 1 January (Nordic: aged 15+)"
        ),
        q(
            "format",
            json!({"enum": ["json", "csv", "meta.csv"]}),
            "JSON (default), long-format CSV `table,row,column,value,unit,numerator,denominator,status,reference_date,period,note`, or its metadata as CSV"
        ),
    ]);
    let summaries = [
        (
            "space1",
            "SPACE I on a date: stock, rate, density, legal status, % pre-trial, women, foreign, under 18, age bands; entries, days, average length (a) and Tournier (b) in the flow year",
        ),
        (
            "space2",
            "SPACE II on a date: persons under community measures (EM here when SPACE I leaves it out), per 100 000, per 100 inmates, entries and exits",
        ),
        (
            "nordic",
            "Nordic Correctional Statistics, Norway's tables 2.1–2.8, for a year",
        ),
        (
            "annual",
            "SSB-style annual figures: stock per 1 January by type, new imprisonments, re-imprisonments, departures by type, transfers, days without EM, averages, with the reconciliation",
        ),
        (
            "monthly",
            "KDI monthly key figures on a date: inmates (EM and queue out), remand, foreign, women, under 18, preventive detention by sex, places, occupancy (day and year to date), queue with EM sub-count, community measures started",
        ),
        (
            "reconcile",
            "Stock-flow reconciliation per category over a period: P0, +E, +T_in, −S, −T_out, P1 computed, P1 observed, residual (0 on the register's own log); days counted two ways",
        ),
        (
            "queue",
            "The serving queue on a date (R-QUEUE-1) with its EM sub-count",
        ),
    ];
    let mut paths = serde_json::Map::new();
    for (report, summary) in summaries {
        paths.insert(
            format!("/api/v1/statistics/{report}"),
            json!({"get": {"summary": format!("{summary}. Analysts only; counts and ratios, never a person. JSON: headline figures, then {{metadata, tables, reconciliation, warnings}}; every ratio with value (half-up, one decimal), numerator, denominator, unit"),
                "parameters": parameters.clone(),
                "responses": merge(json!({"200": ok("{…headline, \"metadata\", \"tables\", \"reconciliation\", \"warnings\"}")}), standard_errors())}}),
        );
    }
    paths.insert(
        "/api/v1/statistics/public".into(),
        json!({"get": {"summary": "The published set, for anyone (no token): KDI key figures at the end of last month, last year's SSB annual figures, month-end inmates for twelve months",
            "security": [],
            "responses": {"200": ok("{\"monthly\", \"annual\", \"month_end_inmates\", \"metadata\"}")}}}),
    );
    Value::Object(paths)
}

/// The programme condition of a suspended sentence (R-PROG-1), as a judgment carries it.
fn driving_programme_schema() -> Value {
    json!({"type": "object", "required": ["hours", "supervision_months", "suspended_days"], "additionalProperties": false,
        "description": "A suspended sentence with the condition of completing the programme against intoxicated driving (program mot ruspåvirket kjøring, R-PROG-1; the strl § is unconfirmed, Q15: probably § 37), run by the probation office. Refused on a judgment decided before 2008-11-01 (the 1996 promilleprogram is a different sanction), naming `driving_programme`. The figures are the court's; the bounds are plausibility checks (INFERENCE; the 1996 programme had 20–30 hours and one year of supervision), each problem naming its field",
        "properties": {
            "hours": {"type": "integer", "minimum": 10, "maximum": 60, "description": "Hours of teaching and treatment"},
            "supervision_months": {"type": "integer", "minimum": 1, "maximum": 60, "description": "The supervision period in months from the enrolment"},
            "suspended_days": {"type": "integer", "minimum": 14, "maximum": 1095, "description": "The prison term suspended on the condition, in days"}}})
}

/// The programme against intoxicated driving (issue 6, item 6; R-PROG-1).
fn programme_paths() -> Value {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}});
    let key = json!({"name": "Idempotency-Key", "in": "header", "required": false,
        "description": "The same key with the same request creates once and returns the first answer",
        "schema": {"type": "string", "maxLength": 200}});
    json!({
        "/api/v1/persons/{id}/programme": {"get": {"summary": "A person's programme against intoxicated driving (the person themselves, their probation office, national placement; logged): the court's condition from the judgment (hours, supervision months, suspended days, rule R-PROG-1 with its unconfirmed §), the stage (awaiting_enrolment, in_progress, warned, with_court, completed), hours credited of those required in minutes (teaching and treatment; supervision meetings counted apart), the supervision period's end (enrolment + months − 1 day), the sessions and the append-only log. The person's own view leaves out the staff-only `note`s",
            "parameters": [id.clone()],
            "responses": merge(json!({"200": ok("{\"person_id\", \"version\", \"supervision\", \"condition\", \"programme\": {\"stage\", \"enrolled\", \"group\", \"supervision_end\", \"required_minutes\", \"credited_minutes\", \"remaining_minutes\", \"sessions\": […], …}, \"events\": […]}")}), standard_errors())}},
        "/api/v1/persons/{id}/programme/events": {"post": {"summary": "Record a programme event (probation officers of the person's location): enrolment (once; not before the judgment), session (teaching | treatment | supervision_meeting, 1–720 minutes, within the hours left and the supervision period), absence, breach, warning (after a breach or an absence), court_case (after a breach, R-PROG-1), completion (only with every minute credited). Every payload may carry a staff-only `note`. A correction names the event it replaces (`corrects`, same kind) or retracts (kind `retraction`), with a reason. `version` is the number of probation events read (409 when stale); an `Idempotency-Key` replays the first answer",
            "parameters": [id, key],
            "requestBody": body(json!({"type": "object", "required": ["kind", "version"], "additionalProperties": false, "properties": {
                "kind": {"enum": ["enrolment", "session", "absence", "breach", "warning", "court_case", "completion", "retraction"]},
                "version": {"type": "integer"}, "corrects": {"type": "integer"}, "reason": {"type": "string"},
                "payload": {"type": "object", "description": "enrolment: {date, group, note?}; session: {date, kind, minutes, note?}; absence, completion: {date, note?}; breach, warning, court_case: {date, description, note?}; retraction: {}"}}})),
            "responses": merge(json!({"201": ok("{\"event\": the new event's id, \"version\": the version after it}")}), standard_errors())}},
    })
}

/// A JSON request body of the given schema.
fn body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

/// Probation (issue 6): caseloads, community sentences, parole supervision, EM home detention and
/// pre-sentence reports.
fn probation_paths() -> Value {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}});
    let key = json!({"name": "Idempotency-Key", "in": "header", "required": false,
        "description": "The same key with the same request creates once and returns the first answer",
        "schema": {"type": "string", "maxLength": 200}});
    json!({
        // Probation offices and community sentences (issue 6).
        "/api/v1/probation/caseload": {"get": {"summary": "The probation officer's office today: the persons supervised by their own location (supervision, until, officer, the community sentence's stage and minutes, a parolee's `missed_reports`, a programme participant's `programme_stage` (R-PROG-1), the location nearest the home municipality), and counts per location and per officer across the office",
            "responses": merge(json!({"200": ok("{\"date\", \"location\", \"office\", \"per_location\": […], \"per_officer\": […], \"persons\": […]}")}), standard_errors())}},
        "/api/v1/persons/{id}/community": {"get": {"summary": "A person's community sentence (the person themselves, their probation office, national placement): the judgment's order after the remand deduction (R-SAMF-4: the exact fractions, the Q8 rounding and the explanation), progress against the execution period, and the append-only log of probation events",
            "parameters": [id.clone()],
            "responses": merge(json!({"200": ok("{\"person_id\", \"version\", \"officer\", \"community_sentence\", \"progress\", \"events\": […]}")}), standard_errors())}},
        "/api/v1/persons/{id}/community/events": {"post": {"summary": "Record a probation event (probation officers of the person's location): officer, intake, plan, session (minutes credited), breach, warning, court_case (R-SAMF-5: after a warning and a repeated breach), completion (every minute credited); a correction names the event it replaces (`corrects`, same kind) or retracts (kind `retraction`), with a reason. `version` is the number of events read (409 when stale); an `Idempotency-Key` replays the first answer (the same event; nothing written twice)",
            "parameters": [id.clone(), key.clone()],
            "requestBody": body(json!({"type": "object", "required": ["kind", "version"], "additionalProperties": false, "properties": {
                "kind": {"enum": ["officer", "intake", "plan", "session", "breach", "warning", "court_case", "completion", "retraction"]},
                "version": {"type": "integer"}, "corrects": {"type": "integer"}, "reason": {"type": "string"},
                "payload": {"type": "object", "description": "officer: {officer}; intake: {date, start?}; plan: {activity: unpaid_work|programme|treatment|other, description}; session: {date, minutes, note?}; breach, warning, court_case: {date, description}; completion: {date}; retraction: {}"}}})),
            "responses": merge(json!({"201": ok("The community sentence view, with `event`: the new event's id"), "409": errors_response("Stale version, or Idempotency-Key reused for another request")}), standard_errors())}},
        // Parole supervision (issue 6, item 5).
        "/api/v1/persons/{id}/parole": {"get": {"summary": "A person's parole supervision (the person themselves, their probation office, national placement): the supervision entry, the end of probation on the engine's date (R-PAR-4, with rule, § and explanation), the stage (active, warned, with_court, ended), the conditions in effect (R-PAR-5: reporting with its schedule, sobriety, residence, treatment, work_or_training, no_contact), every report day with the report that met it and the days missed, the next report day, the reports, and the append-only log of parole events",
            "parameters": [id.clone()],
            "responses": merge(json!({"200": ok("{\"person_id\", \"version\", \"supervision\", \"probation_end\", \"parole\": {\"stage\", \"conditions\", \"due\", \"missed\", \"next_due\", \"reports\", \"breaches\", \"warnings\", \"court_case\"}, \"events\": […]}")}), standard_errors())}},
        "/api/v1/persons/{id}/parole/events": {"post": {"summary": "Record a parole event (probation officers of the person's location): condition (from the supervision's first day; a later one is a new condition and needs `payload.reason`; one of a type replaces the earlier from its day), report, breach (of a condition in effect on the day), warning and court_case (after a breach, R-PAR-5); nothing after the end of probation (R-PAR-4). A correction names the event it replaces (`corrects`, same kind) or retracts (kind `retraction`), with a reason. `version` is the number of probation events read (409 when stale); an `Idempotency-Key` replays the first answer",
            "parameters": [id.clone(), key.clone()],
            "requestBody": body(json!({"type": "object", "required": ["kind", "version"], "additionalProperties": false, "properties": {
                "kind": {"enum": ["condition", "report", "breach", "warning", "court_case", "retraction"]},
                "version": {"type": "integer"}, "corrects": {"type": "integer"}, "reason": {"type": "string"},
                "payload": {"type": "object", "description": "condition: {type, from, until?, reason?, …}: reporting {weekday: monday…sunday | every_days, location}, sobriety {substances, testing?}, residence {address, municipality}, treatment {provider, description?}, work_or_training {place, description?}, no_contact {persons: [name, …]}; report: {date, sober, note?}; breach: {date, condition, description}; warning, court_case: {date, description}; retraction: {}"}}})),
            "responses": merge(json!({"201": ok("{\"event\": the new event's id, \"version\": the version after it}")}), standard_errors())}},
        // EM home detention (issue 6, item 4).
        "/api/v1/persons/{id}/em": {"get": {"summary": "A person's EM case (the person themselves, their probation office, national placement): stage (applied, granted, active, breached, revoked), the application (door, from, address, adults with their written consent, daytime activity, R-EM-4), the weekly schedule of when to be at home (per weekday, HH:MM ranges, Europe/Oslo), the device, breaches with their handling, the EM periods in the register, the engine's R-EM-2 / R-EM-3 figures, and the custody state and key dates with rule, § and explanation",
            "parameters": [id.clone()],
            "responses": merge(json!({"200": ok("{\"person_id\", \"version\", \"register_version\", \"stage\", \"application\", \"schedule\", \"device\", \"breaches\": […], \"periods\": […], \"eligibility\", \"custody\", \"end_of_sentence\", \"dates\": […], \"events\": […]}")}), standard_errors())}},
        "/api/v1/persons/{id}/em/events": {"post": {"summary": "Record an EM event (probation officers of the person's location): application (refused with R-EM-2 / R-EM-3 and § when the engine says the person is not eligible; every adult listed needs the day of their written consent; schedule ranges within the day and not overlapping, each problem named by weekday and index), grant, device (fitted/removed, serial), breach (absence, alcohol, tampering; at, description), handling (warning, or tightened_schedule with a schedule that keeps the old home time). A grant for a sentenced person writes the EM period to the register (from the first day applied for, or the grant's day if later, to the end of sentence) in the same transaction. A correction names the event it replaces (`corrects`, same kind) or retracts (kind `retraction`), with a `reason`; it is refused (field `corrects`) when a later event in effect would no longer fit (e.g. the grant while a device depends on it); a revocation is corrected in the register. `version` is the number of probation events read (409 when stale)",
            "parameters": [id.clone(), key.clone()],
            "requestBody": body(json!({"type": "object", "required": ["kind", "version"], "additionalProperties": false, "properties": {
                "kind": {"enum": ["application", "grant", "device", "breach", "handling", "retraction"]},
                "version": {"type": "integer"}, "corrects": {"type": "integer"}, "reason": {"type": "string"},
                "payload": {"type": "object", "description": "application: {date, door: front_door|back_door, from, address, adults: [{name, consent_date}], activity: {kind: work|school|other, description}, schedule: {monday: [{from: \"HH:MM\", until: \"HH:MM\" (24:00 ends a day)}], …}}; grant: {date}; device: {action: fitted|removed, serial, at}; breach: {kind: absence|alcohol|tampering, at, description}; handling: {breach, action: warning|tightened_schedule, date, description, schedule?}"}}})),
            "responses": merge(json!({"201": ok("{\"event\", \"version\"}"), "409": errors_response("Stale version, or Idempotency-Key reused for another request")}), standard_errors())}},
        "/api/v1/persons/{id}/em/revocation": {"post": {"summary": "Revoke EM back to prison (probation officers of the person's location; a written reason is required): in one transaction the EM period in the register is ended the day before the admission (a correction pointing at it, with the reason; retracted when the admission is on its first day), the admission is recorded, and the revocation joins the probation log. The answer carries the new custody state and the recomputed key dates with their rule, § and explanation (EM days are served days, strgjfl § 16 a)",
            "parameters": [id.clone(), key.clone()],
            "requestBody": body(json!({"type": "object", "required": ["version", "register_version", "at", "prison", "reason"], "additionalProperties": false, "properties": {
                "version": {"type": "integer", "description": "probation events read"},
                "register_version": {"type": "integer", "description": "the person's register version read"},
                "at": {"type": "string", "description": "the admission, Europe/Oslo civil time"},
                "prison": {"type": "string"}, "breach": {"type": "integer"}, "reason": {"type": "string"}}})),
            "responses": merge(json!({"201": ok("{\"event\", \"entries\", \"version\", \"register_version\", \"custody\", \"end_of_sentence\", \"dates\": […]}"), "409": errors_response("Stale version, or Idempotency-Key reused for another request")}), standard_errors())}},
        // Pre-sentence reports (personundersøkelse, strpl § 161; issue 6, item 2).
        "/api/v1/presentence-reports": {
            "get": {"summary": "Pre-sentence reports requested by courts: a probation officer's whole office, national placement the country; by deadline, each with its stage and `overdue_days` (deadline passed, not delivered), and the ids of the overdue ones",
                "responses": merge(json!({"200": ok("{\"date\", \"office\", \"requests\": […], \"overdue\": [ids]}")}), standard_errors())},
            "post": {"summary": "Record a court's request at the caller's location (probation officers): the person by `person_id` (registered) or `identity` (found by identity number or temporary id, else registered in the same transaction), court, case number, requested and deadline dates",
                "parameters": [key.clone()],
                "requestBody": body(json!({"type": "object", "required": ["court", "case_number", "requested", "deadline"], "additionalProperties": false, "properties": {
                    "person_id": {"type": "integer"}, "identity": {"$ref": "#/components/schemas/Identity"},
                    "court": {"type": "string"}, "case_number": {"type": "string"},
                    "requested": {"type": "string", "format": "date"}, "deadline": {"type": "string", "format": "date"}}})),
                "responses": merge(json!({"201": ok("{\"id\", \"version\"}"), "409": errors_response("Idempotency key reused for another request")}), standard_errors())}},
        "/api/v1/presentence-reports/{id}": {"get": {"summary": "A pre-sentence request with its report's latest version and the append-only history (the office's probation officers and national placement; logged as a read of the person)",
            "parameters": [id.clone()],
            "responses": merge(json!({"200": ok("{\"id\", \"person\", \"stage\", \"overdue_days\", \"report\", \"events\": […], \"version\"}")}), standard_errors())}},
        "/api/v1/presentence-reports/{id}/events": {"post": {"summary": "Record on a request (probation officers of its office): `request` (the request changed), `assignment` {officer}, `report` (a version of the report), `delivery` {delivered}. A new request, assignment or report replaces the latest of its kind (`corrects`, defaulted) and needs a `reason`; a report needs an officer assigned and is closed once delivered. `version` is the number of events read (409 when stale)",
            "parameters": [id.clone(), key.clone()],
            "requestBody": body(json!({"type": "object", "required": ["kind", "version"], "additionalProperties": false, "properties": {
                "kind": {"enum": ["request", "assignment", "report", "delivery"]},
                "version": {"type": "integer"}, "corrects": {"type": "integer"}, "reason": {"type": "string"},
                "payload": {"type": "object", "description": "request: {court, case_number, requested, deadline}; assignment: {officer}; report: {housing, work, health, substance_use, family, motivation, community_sentence, electronic_monitoring, programme (each suitable|not_suitable|not_assessed), assessment}; delivery: {delivered}"}}})),
            "responses": merge(json!({"201": ok("{\"event\", \"version\"}"), "409": errors_response("Stale version, or idempotency key reused")}), standard_errors())}}
    })
}

/// The youth sentence at the mediation service's boundary (issue 6, item 8; R-YOUTH-3).
fn youth_paths() -> Value {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}});
    let key = json!({"name": "Idempotency-Key", "in": "header", "required": false,
        "description": "The same key with the same request creates once and returns the first answer",
        "schema": {"type": "string", "maxLength": 200}});
    json!({
        "/api/v1/persons/{id}/youth": {"get": {"summary": "A youth sentence (logged): executed by the mediation service (konfliktrådet), strl § 52 a, R-YOUTH-3, not by Kriminalomsorgen; the execution period's end from the engine (R-YOUTH-3, strl § 52 b), the handovers to the mediation service and the § 52 c orders with the serving they started. National placement and the person read it all; the probation office of the person's home sees the handovers only",
            "parameters": [id.clone()],
            "responses": merge(json!({"200": ok("{\"person_id\", \"version\", \"executed_by\", \"handovers\": […], \"youth_sentences\": […], \"orders\": […], \"serving\"}")}), standard_errors())}},
        "/api/v1/persons/{id}/youth/events": {"post": {"summary": "Kriminalomsorgen's part of a youth sentence (national placement): `handover` {date, mediation_service} (a correction or `retraction` names it in `corrects` with a `reason`), or `alternative_ordered` {court, case_number, decided_on, days ≤ the alternative sentence, received, judgment?}: the district court's § 52 c order, appended with a judgment of the days ordered, which then waits to be served from `received` (R-INNK-1, R-QUEUE-1). Anything of the youth plan (plan, meeting, follow_up, …) is refused (400, field kind): the mediation service keeps it",
            "parameters": [id, key],
            "requestBody": body(json!({"type": "object", "required": ["kind", "version"], "additionalProperties": false, "properties": {
                "kind": {"enum": ["handover", "alternative_ordered", "retraction"]},
                "version": {"type": "integer", "description": "The person's probation event count"},
                "payload": {"type": "object"}, "corrects": {"type": "integer"}, "reason": {"type": "string"}}})),
            "responses": merge(json!({"201": ok("handover: {\"event\", \"version\"}; order: {\"event\", \"entries\", \"version\", \"register_version\", \"serving\"}")}), standard_errors())}}
    })
}

/// Applications, decisions, appeals, the catalogue of legal grounds and who decides what.
fn decision_paths() -> Value {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}});
    let key = json!({"name": "Idempotency-Key", "in": "header", "required": false,
        "description": "The same key with the same request creates once and returns the first answer",
        "schema": {"type": "string", "maxLength": 200}});
    let kinds: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.as_str()).collect();
    let created = merge(
        json!({"201": ok("{\"id\"}"), "409": errors_response("Idempotency key reused, or the thing is already decided")}),
        standard_errors(),
    );
    json!({
        "/api/v1/persons/{id}/applications": {
            "get": {"summary": "The person's applications with status and the engine's eligibility date (logged)", "parameters": [id.clone()],
                "responses": merge(json!({"200": ok("{\"applications\": […]}")}), standard_errors())},
            "post": {"summary": "File an application: the person, the unit's officers, the assigned contact officer or national placement on their behalf; routed to the configured authority",
                "parameters": [id.clone(), key.clone()],
                "requestBody": body(json!({"type": "object", "required": ["kind", "details"], "additionalProperties": false, "properties": {
                    "kind": {"enum": kinds}, "details": {"type": "string", "maxLength": 8000},
                    "wanted_from": {"type": "string", "format": "date"}, "wanted_until": {"type": "string", "format": "date"},
                    "postponement_ground": {"enum": ["serious_illness", "pregnancy", "infant", "military_service", "other"], "description": "Postponement only (required there): the ground, which decides whether postponement is mandatory (R-INNK-2); refusing a mandatory one is refused"},
                    "ground_date": {"type": "string", "format": "date", "description": "The due date (pregnancy) or the child's birth date (infant)"},
                    "leave_kind": {"enum": ["ordinary", "welfare", "short"], "description": "Leave only (default ordinary): ordinary leave counts in the quota (R-LEAVE-2); welfare leave before ordinary leave time and short leave after it do not (R-LEAVE-4)"},
                    "leave_hours": {"type": "integer", "minimum": 1, "maximum": 24, "description": "Short leave only (required there): the hours asked for; the rules allow up to 5 (R-LEAVE-4), shown to the decider"}}})),
                "responses": created.clone()}},
        "/api/v1/persons/{id}/decisions": {
            "get": {"summary": "The person's decisions with reasons and appeal deadlines, and their appeals (logged)", "parameters": [id.clone()],
                "responses": merge(json!({"200": ok("{\"decisions\": […], \"appeals\": […]}")}), standard_errors())},
            "post": {"summary": "Decide (the authority configured for the kind). A refusal, a restriction or a placement above the lowest level the rules allow needs `legal_ground` and a `reason` of at least 20 characters; granting needs neither",
                "parameters": [id.clone(), key.clone()],
                "requestBody": body(json!({"type": "object", "required": ["outcome"], "additionalProperties": false, "properties": {
                    "application": {"type": "integer", "description": "The application decided; fixes the kind"},
                    "kind": {"enum": kinds},
                    "outcome": {"enum": ["granted", "partly_granted", "refused", "imposed", "lifted", "placed"]},
                    "legal_ground": {"type": "integer", "description": "A ground in force from /api/v1/legal-grounds that grounds the kind"},
                    "reason": {"type": "string", "maxLength": 8000},
                    "level": {"enum": ["high", "lower", "halfway"], "description": "Placements"},
                    "unit": {"type": "string", "description": "Placements: the prison unit"},
                    "from": {"type": "string", "format": "date"}, "until": {"type": "string", "format": "date"}}})),
                "responses": created.clone()}},
        "/api/v1/decisions/{id}/appeals": {"post": {"summary": "Appeal (klage) a restrictive decision: the person, or their contact officer; within three weeks (forvaltningsloven § 29), later only with `late_reason`",
            "parameters": [id.clone(), key.clone()],
            "requestBody": body(json!({"type": "object", "required": ["grounds"], "additionalProperties": false, "properties": {
                "grounds": {"type": "string", "maxLength": 8000}, "late_reason": {"type": "string"}}})),
            "responses": created.clone()}},
        "/api/v1/appeals/{id}": {"get": {"summary": "An appeal and the decision appealed (logged)", "parameters": [id.clone()],
            "responses": merge(json!({"200": ok("{\"appeal\", \"appealed_decision\"}")}), standard_errors())}},
        "/api/v1/appeals/{id}/decision": {"post": {"summary": "Decide an appeal, one level above the decision and never by its maker; upholding needs a ground and a reason",
            "parameters": [id.clone(), key.clone()],
            "requestBody": body(json!({"type": "object", "required": ["outcome"], "additionalProperties": false, "properties": {
                "outcome": {"enum": ["reversed", "partly_reversed", "upheld"]},
                "legal_ground": {"type": "integer"}, "reason": {"type": "string"}}})),
            "responses": created}},
        "/api/v1/persons/{id}/progression": {"get": {"summary": "The progression plan (logged): level now, the lowest level the rules allow with its reasons, and the steps towards release (lower security, leave, frigang, § 16, EM, parole, end) in date order, each with the engine's rule and explanation",
            "parameters": [id.clone()],
            "responses": merge(json!({"200": ok("{\"level_now\", \"recommended_level\", \"above_recommended\", \"reasons\", \"steps\": […]}")}), standard_errors())}},
        "/api/v1/queue": {"get": {"summary": "The serving queue (national placement): everyone with a judgment received and not started, longest waiting first, with the latest serving date and summons deadline (R-INNK-1), the queue date (R-QUEUE-1), the summons and any missed date; and today's count with its EM sub-count",
            "responses": merge(json!({"200": ok("{\"date\", \"queue\", \"queue_em\", \"waiting_all\", \"waiting\": […]}")}), standard_errors())}},
        "/api/v1/capacity": {"get": {"summary": "Capacity and occupancy on a day (national placement: the whole estate; prison leaders: their unit): per department places, occupied, free and occupancy %, subtotals per unit and security level, and the total. A place is held from the day of admission or transfer in until, not including, the day of release, transfer out or escape; leave, hospital and court keep it",
            "parameters": [{"name": "date", "in": "query", "required": false, "schema": {"type": "string", "format": "date"}, "description": "Today (the default) or a past day, YYYY-MM-DD; anything else is 400 on field date"}],
            "responses": merge(json!({"200": ok("{\"date\", \"scope\": \"estate\" | {\"unit\"}, \"units\": [{\"unit\", places, occupied, free, occupancy_percent, \"departments\": […]}], \"security_levels\": […], \"total\": {…}}")}), standard_errors())}},
        "/api/v1/simulations": {"post": {"summary": "Start a population simulation (analysts, prison leaders): the scenario as TOML text (docs/simulator.md). Runs in the background; at most two at once on the server, and at most 400 million person-journeys. Every problem in the scenario is named as field `scenario.<key>` with its line and column",
            "requestBody": body(json!({"type": "object", "required": ["scenario"], "additionalProperties": false, "properties": {"scenario": {"type": "string", "maxLength": 65536}}})),
            "responses": merge(json!({"202": ok("{\"id\", \"status\": \"running\", \"progress\": {\"done\", \"total\"}, \"href\"}")}), standard_errors())}},
        "/api/v1/simulations/{id}": {"get": {"summary": "A simulation started by the caller: running with its progress, done with the result (as `halden simulate --json`: baseline, policy and delta stock bands, queue, validation, monthly bands, metadata) and `expected`, the steady state by cohort arithmetic (as `halden simulate --expected --json`), or failed; 404 for anyone else's",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9a-f]{24}$"}}],
            "responses": merge(json!({"200": ok("{\"id\", \"status\": \"running\" | \"done\" | \"failed\", \"progress\" | \"result\" | \"errors\", \"href\"}")}), standard_errors())}},
        "/api/v1/in-tray": {"get": {"summary": "Applications and appeals waiting for the caller's decision (prison leaders: their unit; placement: region and nation)",
            "responses": merge(json!({"200": ok("{\"applications\": […], \"appeals\": […]}")}), standard_errors())}},
        "/api/v1/legal-grounds": {
            "get": {"summary": "The catalogue of legal grounds, retired ones marked", "responses": merge(json!({"200": ok("{\"legal_grounds\": […]}")}), standard_errors())},
            "post": {"summary": "Add a ground, or a new wording that replaces one (administrators)", "parameters": [key],
                "requestBody": body(json!({"type": "object", "required": ["paragraph", "title_en", "title_nb", "text", "kinds"], "additionalProperties": false, "properties": {
                    "paragraph": {"type": "string"}, "title_en": {"type": "string"}, "title_nb": {"type": "string"}, "text": {"type": "string"},
                    "kinds": {"type": "array", "items": {"enum": kinds}}, "replaces": {"type": "integer"}}})),
                "responses": merge(json!({"201": ok("The ground")}), standard_errors())}},
        "/api/v1/legal-grounds/{id}/retire": {"post": {"summary": "Retire a ground, with the reason (administrators); it grounds no new decision",
            "parameters": [id],
            "requestBody": body(json!({"$ref": "#/components/schemas/Reason"})),
            "responses": merge(json!({"200": ok("The ground")}), standard_errors())}},
        "/api/v1/decision-authority": {
            "get": {"summary": "Who decides each kind, and where its appeals go", "responses": merge(json!({"200": ok("{\"authority\": […]}")}), standard_errors())},
            "post": {"summary": "Change who decides a kind, with the reason (administrators; appended)",
                "requestBody": body(json!({"type": "object", "required": ["kind", "level", "reason"], "additionalProperties": false, "properties": {
                    "kind": {"enum": kinds}, "level": {"enum": ["prison", "region", "national"]}, "reason": {"type": "string"}}})),
                "responses": merge(json!({"200": ok("The authority in force")}), standard_errors())}}
    })
}
