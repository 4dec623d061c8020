-- 017: the first week's rough edges.
-- Files of a refused form, held for the user's retry so that nothing is
-- sent twice (files.c; expired after a day).
CREATE TABLE held_file (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  size       INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  data       BLOB NOT NULL
);
CREATE INDEX held_file_user ON held_file(user_id, created_at);

-- Travel on Accept: the partner enters the round trip; Travel Distance(mi)
-- is computed from it (minus the miles the dispatch rate covers), and
-- Travel Cost/mile is checked against the contract's rate (0: none set).
ALTER TABLE org ADD COLUMN travel_rate_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wo ADD COLUMN travel_round_trip_tenths INTEGER NOT NULL DEFAULT 0;
