-- The plan for life after release and the handover to the probation office before release
-- (issue 6, item 7; BRIEF §3.5), projected on the person from the entries `release_plan` and
-- `release_handover` of the current custody episode: release_office is the office handed over to
-- (it may then read the record), release_plan the plan as JSON. NULL: none. Neither entry kind
-- existed before this migration, so there is nothing to backfill.
ALTER TABLE persons ADD COLUMN release_office TEXT;
ALTER TABLE persons ADD COLUMN release_plan TEXT;
