-- An Idempotency-Key's answer is replayed whole: a create's Location too
-- (a client that retried reads where its work order is, as the first
-- answer said).
ALTER TABLE idempotency ADD COLUMN location TEXT NOT NULL DEFAULT '';
