-- As SQLite's 028: a replayed answer keeps its Location.
ALTER TABLE idempotency ADD COLUMN location TEXT NOT NULL DEFAULT '';
