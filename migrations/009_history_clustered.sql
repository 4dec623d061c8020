-- 009: a work order's history rows stored together, keyed by (work order,
-- sequence), instead of a rowid table plus an index on the work order:
-- the Related tab reads one short range, and each new row is one B-tree
-- insert, not two.

CREATE TABLE wo_history_new (
  wo_number   INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,   -- 1, 2, ... per work order, in order of writing
  at          INTEGER NOT NULL,
  field       TEXT NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  user_label  TEXT NOT NULL,
  old_value   TEXT NOT NULL DEFAULT '',
  new_value   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (wo_number, seq)
) WITHOUT ROWID;

INSERT INTO wo_history_new(wo_number, seq, at, field, user_id, user_label, old_value, new_value)
  SELECT wo_number, row_number() OVER (PARTITION BY wo_number ORDER BY id), at, field, user_id, user_label,
         old_value, new_value
  FROM wo_history;
DROP TABLE wo_history;
ALTER TABLE wo_history_new RENAME TO wo_history;
