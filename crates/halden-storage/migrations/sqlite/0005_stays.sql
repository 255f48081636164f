-- Stays: which department (prison estate id) a person held a place in, from which day. Projected
-- from the person's movements in effect and rewritten, like the persons row, in the same
-- transaction as every entry appended for them (entries stay append-only; this table is not
-- history but a projection of it). A stay covers the days [from_day, to_day): admitted or
-- transferred in on D is in on D; released, transferred out or escaped on D is out on D. to_day
-- NULL: still there. On leave, at hospital or at court the person keeps the place; escaped, not.
-- Occupancy on a day D is one indexed count:
--   from_day <= D AND (to_day IS NULL OR to_day > D).
CREATE TABLE stays (
    person_id INTEGER NOT NULL REFERENCES persons (id),
    prison_id TEXT NOT NULL REFERENCES prisons (id),
    from_day TEXT NOT NULL,
    to_day TEXT
);
CREATE INDEX stays_person ON stays (person_id);
CREATE INDEX stays_prison_days ON stays (prison_id, from_day, to_day);

-- Projections the Rust code must (re)build at the next start, because the fold that makes them
-- is not SQL: Store::migrate rebuilds each one named here from the entries, then removes its row,
-- in one transaction. A database migrated with persons already in it gets its stays this way.
CREATE TABLE projection_due (name TEXT PRIMARY KEY);
INSERT INTO projection_due (name) VALUES ('stays');
