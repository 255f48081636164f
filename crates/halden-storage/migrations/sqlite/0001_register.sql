-- Halden register, SQLite. Kept in step with ../postgres/0001_register.sql: same tables, columns
-- and meaning; only identity columns and trigger syntax differ.

CREATE TABLE municipalities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    county TEXT NOT NULL,
    population BIGINT NOT NULL
);

CREATE TABLE prisons (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    municipality TEXT NOT NULL,
    region TEXT NOT NULL,
    security_level TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    women BIGINT NOT NULL,
    youth BIGINT NOT NULL,
    remand BIGINT NOT NULL
);
CREATE INDEX prisons_unit ON prisons (unit);

CREATE TABLE probation_offices (
    id TEXT PRIMARY KEY,
    office TEXT NOT NULL,
    location TEXT NOT NULL,
    municipality TEXT NOT NULL,
    region TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_id TEXT,
    person_id BIGINT,
    demo BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- The projection of a person's entries: current identity and custody state. Rewritten in the
-- same transaction as every entry appended for the person; `version` counts those entries.
CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    identity_number TEXT UNIQUE,
    temporary_id TEXT UNIQUE,
    family_name TEXT NOT NULL,
    given_names TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL,
    citizenship TEXT NOT NULL,
    languages TEXT NOT NULL,
    interpreter_needed BIGINT NOT NULL,
    home_municipality TEXT,
    status TEXT NOT NULL,
    prison_id TEXT,
    unit TEXT,
    basis TEXT,
    security_level TEXT,
    episode_start TEXT,
    serving_start TEXT,
    supervision_kind TEXT,
    supervision_office TEXT,
    supervision_until TEXT,
    end_of_sentence TEXT,
    key_dates TEXT,
    dates_json TEXT
);
CREATE INDEX persons_unit_status ON persons (unit, status);
CREATE INDEX persons_supervision ON persons (supervision_office, supervision_until);
CREATE INDEX persons_family_name ON persons (family_name);

-- The register itself: append-only. A correction is a new entry whose `corrects` names the entry
-- it replaces (or retracts), with who and why.
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_by_name TEXT NOT NULL,
    corrects BIGINT REFERENCES entries (id),
    reason TEXT
);
CREATE INDEX entries_person ON entries (person_id, id);

CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;

-- Every read of a person's record. Append-only.
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    person_id BIGINT NOT NULL,
    view TEXT NOT NULL,
    purpose TEXT,
    break_glass BIGINT NOT NULL
);
CREATE INDEX access_log_person ON access_log (person_id, id);
CREATE INDEX access_log_user ON access_log (user_id, id);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;

-- Answers already given to creating requests, by the caller's idempotency key.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
