-- 003: the work order lifecycle: acceptance (shipping and travel), parts,
-- holds, completion costs, reissue; the holiday calendar behind the Target
-- SLA Date; assistance requests for the operator's queue.

ALTER TABLE wo ADD COLUMN version INTEGER NOT NULL DEFAULT 1;          -- bumped by every change: stale forms are refused
ALTER TABLE wo ADD COLUMN accepted_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wo ADD COLUMN ship_residential INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wo ADD COLUMN ship_name TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN ship_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN shipping_party TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN ship_liftgate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wo ADD COLUMN ship_pallet_jack INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wo ADD COLUMN ship_street TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN ship_city TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN ship_state TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN ship_postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN ship_country TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN travel_distance_tenths INTEGER NOT NULL DEFAULT 0;  -- miles x 10
ALTER TABLE wo ADD COLUMN travel_cost_cents INTEGER NOT NULL DEFAULT 0;       -- per mile
ALTER TABLE wo ADD COLUMN est_delivery_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wo ADD COLUMN hold_from_status TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN hold_resume_on TEXT NOT NULL DEFAULT '';             -- YYYY-MM-DD
ALTER TABLE wo ADD COLUMN rental_details TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN rental_cost_cents INTEGER;                           -- NULL: none
ALTER TABLE wo ADD COLUMN permit_details TEXT NOT NULL DEFAULT '';
ALTER TABLE wo ADD COLUMN permit_cost_cents INTEGER;
ALTER TABLE wo ADD COLUMN reissued_from INTEGER REFERENCES wo(number);
ALTER TABLE wo ADD COLUMN reissued_as INTEGER REFERENCES wo(number);

-- The miles of a round trip the dispatch rate covers, per partner contract.
ALTER TABLE org ADD COLUMN dispatch_covered_miles INTEGER NOT NULL DEFAULT 50;

CREATE TABLE holiday (
  day  TEXT PRIMARY KEY,        -- YYYY-MM-DD, not a business day
  name TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE assistance_request (
  id          INTEGER PRIMARY KEY,
  wo_number   INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  message     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  resolved_at INTEGER NOT NULL DEFAULT 0,
  resolved_by INTEGER REFERENCES users(id)
);
CREATE INDEX assistance_open ON assistance_request(resolved_at, created_at);
CREATE INDEX wo_delay ON wo(delay_reason) WHERE delay_reason != '';
