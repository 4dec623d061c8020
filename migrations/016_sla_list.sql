-- 016: the Target SLA Date as a list column (the countdown) and the SLA At
-- Risk view sorted by it: a keyset index per (company, class) like every
-- other sort; the rowid (the work order number) breaks ties.
CREATE INDEX wo_p_sla ON wo(owner_org_id, state_class, target_sla_at);

-- The Dashboard's missed SLAs are the work orders completed after their
-- target (by the reason given, if any), not the reasons stored.
CREATE INDEX wo_missed ON wo(owner_org_id, state_class, delay_reason)
  WHERE target_sla_at > 0 AND completed_at > target_sla_at;

-- On Hold stops the partner's clock: when the hold began, and the business
-- days held so far (the Target SLA Date moved by them on each Resume).
ALTER TABLE wo ADD COLUMN hold_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wo ADD COLUMN held_days INTEGER NOT NULL DEFAULT 0;

-- Notifications by kind: a row turns one kind off for one user (no row:
-- on).  And the daily digest: one email a day at the user's local HOUR
-- instead of one per event; SENT_DAY (a day number in the user's zone) is
-- claimed before sending, so several nodes send it once.
CREATE TABLE notify_pref (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind    TEXT NOT NULL,
  PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;
CREATE TABLE digest (
  user_id  INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  hour     INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
  sent_day INTEGER NOT NULL DEFAULT 0
);
