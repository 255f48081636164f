-- A leave application names its kind (R-LEAVE-4): `ordinary` (counted in the quota, R-LEAVE-2),
-- `welfare` (births, serious illness, funerals, before ordinary leave time) or `short` (a few
-- hours, outside the quota), and a short leave its hours. NULL on other kinds; leave filed before
-- this migration was ordinary leave, which is what NULL reads as on a leave application.
ALTER TABLE applications ADD COLUMN leave_kind TEXT;
ALTER TABLE applications ADD COLUMN leave_hours INTEGER;
