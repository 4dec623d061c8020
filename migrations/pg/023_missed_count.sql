-- 023: missed SLAs counted as they happen, per company and Delay Reason,
-- as SQLite's migration 024 keeps them (its comment says why).
CREATE TABLE wo_missed_count (
  owner_org_id BIGINT NOT NULL,
  delay_reason TEXT NOT NULL,
  n            BIGINT NOT NULL,
  PRIMARY KEY (owner_org_id, delay_reason)
);
INSERT INTO wo_missed_count(owner_org_id, delay_reason, n)
  SELECT owner_org_id, delay_reason, count(*) FROM wo
  WHERE state_class = 1 AND target_sla_at > 0 AND completed_at > target_sla_at GROUP BY 1, 2;

-- wo_missed_count takes its place: the partial index has no reader left
DROP INDEX IF EXISTS wo_missed;

CREATE FUNCTION wo_missed_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state_class = 1 AND OLD.target_sla_at > 0
      AND OLD.completed_at > OLD.target_sla_at THEN
    UPDATE wo_missed_count SET n = n - 1 WHERE owner_org_id = OLD.owner_org_id AND delay_reason = OLD.delay_reason;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state_class = 1 AND NEW.target_sla_at > 0
      AND NEW.completed_at > NEW.target_sla_at THEN
    INSERT INTO wo_missed_count(owner_org_id, delay_reason, n) VALUES (NEW.owner_org_id, NEW.delay_reason, 1)
      ON CONFLICT (owner_org_id, delay_reason) DO UPDATE SET n = wo_missed_count.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER wo_missed_ins AFTER INSERT ON wo FOR EACH ROW EXECUTE FUNCTION wo_missed_keep();
CREATE TRIGGER wo_missed_del AFTER DELETE ON wo FOR EACH ROW EXECUTE FUNCTION wo_missed_keep();
CREATE TRIGGER wo_missed_upd AFTER UPDATE OF status, target_sla_at, completed_at, delay_reason, owner_org_id ON wo
  FOR EACH ROW EXECUTE FUNCTION wo_missed_keep();
