-- Probation (issue 6): the work of a probation office on a person under supervision, kept in step
-- with ../postgres/0010_probation.sql.
--
-- probation_events is append-only: the officer assigned, and a community sentence's execution
-- (intake, plan items, sessions of hours, breaches, warnings, the case to the court, completion).
-- A correction is a new row whose `corrects` names the row it replaces (same kind) or retracts
-- (kind 'retraction'), with who, when and a required reason.
CREATE TABLE probation_events (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_by_name TEXT NOT NULL,
    corrects BIGINT REFERENCES probation_events (id),
    reason TEXT
);
CREATE INDEX probation_events_person ON probation_events (person_id, id);

CREATE TRIGGER probation_events_no_update BEFORE UPDATE ON probation_events
BEGIN SELECT RAISE(ABORT, 'probation_events is append-only'); END;
CREATE TRIGGER probation_events_no_delete BEFORE DELETE ON probation_events
BEGIN SELECT RAISE(ABORT, 'probation_events is append-only'); END;

-- The projection of a person's probation events, rewritten with every event in its transaction:
-- `events` counts them (the version a writer checks), the officer assigned, and the community
-- sentence's stage and minutes (for the caseload pages without folding every ledger).
CREATE TABLE probation_cases (
    person_id BIGINT PRIMARY KEY REFERENCES persons (id),
    events BIGINT NOT NULL,
    officer TEXT,
    stage TEXT,
    required_minutes BIGINT,
    credited_minutes BIGINT NOT NULL
);
CREATE INDEX probation_cases_officer ON probation_cases (officer);
