-- The serving queue (soningskø, R-QUEUE-1) and the summons (R-INNK-1), projected on the person:
-- the day the service received the judgment still to be served (NULL when nothing waits), the
-- planned form (prison or em), the serving date and prison of the latest summons, and the
-- serving date missed (R-INNK-3). Written with every append, like the rest of the projection.
ALTER TABLE persons ADD COLUMN queue_received TEXT;
ALTER TABLE persons ADD COLUMN queue_form TEXT;
ALTER TABLE persons ADD COLUMN summons_date TEXT;
ALTER TABLE persons ADD COLUMN summons_prison TEXT;
ALTER TABLE persons ADD COLUMN non_appearance TEXT;
CREATE INDEX persons_queue_received ON persons (queue_received);
