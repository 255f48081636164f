-- Two facts about a person that limit or end their case (issue 5, item 9; BRIEF §3.7), projected
-- on the person as JSON like the rest of the projection:
-- expulsion: the expulsion decision in effect (entry kind `expulsion`), which closes frigang,
--   § 16 home serving and EM in the progression plan and the halfway house in placement;
-- handover: the handover to mandatory psychiatric care (movement `handover`) that ended the last
--   custody episode and took the case out of the correctional service.
-- NULL: none. Neither entry kind existed before this migration, so there is nothing to backfill.
ALTER TABLE persons ADD COLUMN expulsion TEXT;
ALTER TABLE persons ADD COLUMN handover TEXT;
