-- 022: the Dashboard's days to accept and to complete, summed by the day
-- each work order was assigned, as SQLite's migration 023 keeps them (its
-- comment says why).
CREATE TABLE wo_pace_day (
  owner_org_id BIGINT NOT NULL,
  day          BIGINT NOT NULL,   -- assigned_at / 86400
  accepted_n   BIGINT NOT NULL,
  accepted_s   BIGINT NOT NULL,
  completed_n  BIGINT NOT NULL,
  completed_s  BIGINT NOT NULL,
  PRIMARY KEY (owner_org_id, day)
);
INSERT INTO wo_pace_day(owner_org_id, day, accepted_n, accepted_s, completed_n, completed_s)
  SELECT owner_org_id, assigned_at / 86400, count(NULLIF(accepted_at, 0)),
    COALESCE(SUM(CASE WHEN accepted_at > 0 THEN accepted_at - assigned_at END), 0), count(NULLIF(completed_at, 0)),
    COALESCE(SUM(CASE WHEN completed_at > 0 THEN completed_at - assigned_at END), 0)
  FROM wo WHERE accepted_at > 0 OR completed_at > 0 GROUP BY 1, 2;

CREATE FUNCTION wo_pace_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND (OLD.accepted_at > 0 OR OLD.completed_at > 0) THEN
    UPDATE wo_pace_day SET accepted_n = accepted_n - CASE WHEN OLD.accepted_at > 0 THEN 1 ELSE 0 END,
      accepted_s = accepted_s - CASE WHEN OLD.accepted_at > 0 THEN OLD.accepted_at - OLD.assigned_at ELSE 0 END,
      completed_n = completed_n - CASE WHEN OLD.completed_at > 0 THEN 1 ELSE 0 END,
      completed_s = completed_s - CASE WHEN OLD.completed_at > 0 THEN OLD.completed_at - OLD.assigned_at ELSE 0 END
    WHERE owner_org_id = OLD.owner_org_id AND day = OLD.assigned_at / 86400;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (NEW.accepted_at > 0 OR NEW.completed_at > 0) THEN
    INSERT INTO wo_pace_day(owner_org_id, day, accepted_n, accepted_s, completed_n, completed_s)
      VALUES (NEW.owner_org_id, NEW.assigned_at / 86400, CASE WHEN NEW.accepted_at > 0 THEN 1 ELSE 0 END,
        CASE WHEN NEW.accepted_at > 0 THEN NEW.accepted_at - NEW.assigned_at ELSE 0 END,
        CASE WHEN NEW.completed_at > 0 THEN 1 ELSE 0 END,
        CASE WHEN NEW.completed_at > 0 THEN NEW.completed_at - NEW.assigned_at ELSE 0 END)
      ON CONFLICT (owner_org_id, day) DO UPDATE SET accepted_n = wo_pace_day.accepted_n + excluded.accepted_n,
        accepted_s = wo_pace_day.accepted_s + excluded.accepted_s,
        completed_n = wo_pace_day.completed_n + excluded.completed_n,
        completed_s = wo_pace_day.completed_s + excluded.completed_s;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER wo_pace_ins AFTER INSERT ON wo FOR EACH ROW EXECUTE FUNCTION wo_pace_keep();
CREATE TRIGGER wo_pace_del AFTER DELETE ON wo FOR EACH ROW EXECUTE FUNCTION wo_pace_keep();
CREATE TRIGGER wo_pace_upd AFTER UPDATE OF accepted_at, completed_at, assigned_at, owner_org_id ON wo FOR EACH ROW
  WHEN (OLD.accepted_at <> NEW.accepted_at OR OLD.completed_at <> NEW.completed_at
    OR OLD.assigned_at <> NEW.assigned_at OR OLD.owner_org_id <> NEW.owner_org_id)
  EXECUTE FUNCTION wo_pace_keep();
