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
