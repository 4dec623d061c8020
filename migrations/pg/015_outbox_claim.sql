-- 015: as SQLite's 015 (this store's 001 stands for SQLite's 001-013, and
-- SQLite's 014 changed only an index 001 here already has).
ALTER TABLE email_outbox ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
