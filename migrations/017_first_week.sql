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

-- Status sorts in the lifecycle order the guide shows (status.c's list),
-- not A-Z: a rank computed from the status, with the keyset index on it.
ALTER TABLE wo ADD COLUMN status_rank INTEGER GENERATED ALWAYS AS (CASE status
  WHEN 'Assigned' THEN 1 WHEN 'Ship-To Received' THEN 2 WHEN 'Parts Ordered' THEN 3 WHEN 'Shipping' THEN 4
  WHEN 'Shipped' THEN 5 WHEN 'Parts Delivered' THEN 6 WHEN 'In Progress' THEN 7 WHEN 'On Hold' THEN 8
  WHEN 'Completed' THEN 9 WHEN 'Closed' THEN 10 WHEN 'Cannot Complete' THEN 11 WHEN 'Rejected' THEN 12
  WHEN 'Cancelled' THEN 13 END) VIRTUAL;
DROP INDEX wo_p_status;
CREATE INDEX wo_p_status ON wo(owner_org_id, state_class, status_rank);

-- Where each station is (millionths of a degree; NULL: not known), for
-- the Map of Customer Information.
ALTER TABLE station ADD COLUMN lat_e6 INTEGER;
ALTER TABLE station ADD COLUMN lon_e6 INTEGER;

-- Routine posts by the portal (status changes) are shown collapsed in
-- Collaborate, so that people's messages are not buried.
ALTER TABLE post ADD COLUMN routine INTEGER NOT NULL DEFAULT 0;
