-- 015: a message of the outbox is claimed by one sender for a minute
-- before it is sent, so that several servers on one database send it once.
ALTER TABLE email_outbox ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;
