-- The contact officer (kontaktbetjent) assigned to a person in custody: part of the projection,
-- from `contact_officer` entries in the current custody episode. Holds the officer's username.
ALTER TABLE persons ADD COLUMN contact_officer TEXT;
CREATE INDEX persons_contact_officer ON persons (contact_officer);

-- An account can be disabled (a member of staff leaves); its sessions stop working at once.
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- Every change to an account: who did what to which account, when and why. Append-only.
CREATE TABLE account_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    by_user_id BIGINT,
    by_username TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX account_log_user ON account_log (user_id, id);

CREATE TRIGGER account_log_no_update BEFORE UPDATE ON account_log
BEGIN SELECT RAISE(ABORT, 'account_log is append-only'); END;
CREATE TRIGGER account_log_no_delete BEFORE DELETE ON account_log
BEGIN SELECT RAISE(ABORT, 'account_log is append-only'); END;
