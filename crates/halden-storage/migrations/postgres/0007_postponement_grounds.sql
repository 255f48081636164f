-- A postponement application names its ground (R-INNK-2): serious_illness, pregnancy, infant,
-- military_service or other, and for pregnancy the due date, for an infant the birth date; the
-- rules then say whether postponement is mandatory. NULL for every other kind.
ALTER TABLE applications ADD COLUMN postponement_ground TEXT;
ALTER TABLE applications ADD COLUMN ground_date TEXT;
