-- 020: the Dashboard at a million work orders reads indexes, not rows.
-- SLA missed by reason: the partial index holds the times its condition
-- tests, so counting by reason visits no row.
DROP INDEX IF EXISTS wo_missed;
CREATE INDEX wo_missed ON wo(owner_org_id, state_class, delay_reason, target_sla_at, completed_at)
  WHERE target_sla_at > 0 AND completed_at > target_sla_at;
-- The scorecard: completed by month against the target, and first-time
-- fix (the completed that are no reissue) from one covering range.
CREATE INDEX wo_hit ON wo(owner_org_id, state_class, completed_at, target_sla_at, reissued_from);
-- ... and the work orders that ended Could Not Complete, by when.
CREATE INDEX wo_cc ON wo(owner_org_id, updated_at) WHERE status = 'Cannot Complete';
