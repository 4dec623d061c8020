-- 017: the Target SLA Date as a list column (the countdown) and the SLA At
-- Risk view sorted by it, as SQLite's 016.
CREATE INDEX wo_p_sla ON wo(owner_org_id, state_class, target_sla_at, number);

-- The Dashboard's missed SLAs are the work orders completed after their
-- target (by the reason given, if any), not the reasons stored.
CREATE INDEX wo_missed ON wo(owner_org_id, state_class, delay_reason)
  WHERE target_sla_at > 0 AND completed_at > target_sla_at;

-- On Hold stops the partner's clock (as SQLite's 016).
ALTER TABLE wo ADD COLUMN hold_since BIGINT NOT NULL DEFAULT 0;
ALTER TABLE wo ADD COLUMN held_days BIGINT NOT NULL DEFAULT 0;

-- Notifications by kind and the daily digest (as SQLite's 016).
CREATE TABLE notify_pref (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind    TEXT NOT NULL,
  PRIMARY KEY (user_id, kind)
);
CREATE TABLE digest (
  user_id  BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  hour     BIGINT NOT NULL CHECK (hour BETWEEN 0 AND 23),
  sent_day BIGINT NOT NULL DEFAULT 0
);
