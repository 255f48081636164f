-- The incidents of the custody fold (late and missed returns from leave, with the whole days not
-- counted), projected on the person as JSON like the rest of the projection, so the person page
-- need not fold the history to show them. NULL: none. Leave carried no due-back time before this
-- migration, so no existing person has an incident to backfill.
ALTER TABLE persons ADD COLUMN incidents TEXT;
