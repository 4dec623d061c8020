-- 020: the Dashboard at a million work orders reads indexes, not rows
-- (as SQLite's 020; PostgreSQL's index-only scans need the columns too).
DROP INDEX IF EXISTS wo_missed;
CREATE INDEX wo_missed ON wo(owner_org_id, state_class, delay_reason, target_sla_at, completed_at)
  WHERE target_sla_at > 0 AND completed_at > target_sla_at;
CREATE INDEX wo_hit ON wo(owner_org_id, state_class, completed_at, target_sla_at, reissued_from);
CREATE INDEX wo_cc ON wo(owner_org_id, updated_at) WHERE status = 'Cannot Complete';
