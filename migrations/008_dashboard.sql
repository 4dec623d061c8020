-- 008: indexes for the Dashboard, so its numbers read index ranges per
-- company rather than the work orders themselves.
--   wo_pace: the 90-day averages (days to accept, to complete) from the
--            index alone.
--   wo_delay: now per company (and class), so "SLA missed by reason" and
--            the operator's queue of delayed open work read one range each.

CREATE INDEX wo_pace ON wo(owner_org_id, assigned_at, accepted_at, completed_at);
DROP INDEX IF EXISTS wo_delay;
CREATE INDEX wo_delay ON wo(owner_org_id, state_class, delay_reason) WHERE delay_reason != '';
