-- Pre-sentence reports (personundersøkelse, straffeprosessloven § 161; issue 6, item 2), kept in
-- step with ../postgres/0023_presentence.sql.
--
-- presentence_events is append-only: the court's request (and changes to it), the officer
-- assigned, each version of the report, and the delivery to the court. A change is a new row
-- whose `corrects` names the row it replaces (same kind), with who, when and a required reason.
--
-- presentence_requests is the projection of a request's events, rewritten with every event in
-- its transaction: `events` counts them (the version a writer checks); the office location the
-- court asked, the request as it stands, the officer, the report versions and the delivery.
CREATE TABLE presentence_requests (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    location TEXT NOT NULL,
    events BIGINT NOT NULL,
    court TEXT NOT NULL,
    case_number TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    officer TEXT,
    report_versions BIGINT NOT NULL,
    delivered_on TEXT
);
CREATE INDEX presentence_requests_location ON presentence_requests (location, deadline);
CREATE INDEX presentence_requests_person ON presentence_requests (person_id);

CREATE TABLE presentence_events (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES presentence_requests (id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_by_name TEXT NOT NULL,
    corrects BIGINT REFERENCES presentence_events (id),
    reason TEXT
);
CREATE INDEX presentence_events_request ON presentence_events (request_id, id);

CREATE TRIGGER presentence_events_no_update BEFORE UPDATE ON presentence_events
BEGIN SELECT RAISE(ABORT, 'presentence_events is append-only'); END;
CREATE TRIGGER presentence_events_no_delete BEFORE DELETE ON presentence_events
BEGIN SELECT RAISE(ABORT, 'presentence_events is append-only'); END;
