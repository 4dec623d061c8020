-- 021: each technician's open work orders, counted as they change, as
-- SQLite's migration 022 keeps them (its comment says why).
CREATE TABLE tech_load (
  owner_org_id  BIGINT NOT NULL,
  technician_id BIGINT NOT NULL,
  n             BIGINT NOT NULL,
  PRIMARY KEY (owner_org_id, technician_id)
);
INSERT INTO tech_load(owner_org_id, technician_id, n)
  SELECT w.owner_org_id, a.technician_id, count(*) FROM wo_assignment a JOIN wo w ON w.number = a.wo_number
  WHERE a.active = 1 AND w.state_class = 0 GROUP BY 1, 2;

-- an assignment made, ended or moved
CREATE FUNCTION tech_load_asg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.active = 1 THEN
    UPDATE tech_load SET n = n - 1 WHERE technician_id = OLD.technician_id
      AND owner_org_id = (SELECT owner_org_id FROM wo WHERE number = OLD.wo_number AND state_class = 0);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.active = 1 THEN
    INSERT INTO tech_load(owner_org_id, technician_id, n)
      SELECT owner_org_id, NEW.technician_id, 1 FROM wo WHERE number = NEW.wo_number AND state_class = 0
      ON CONFLICT (owner_org_id, technician_id) DO UPDATE SET n = tech_load.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tech_load_asg_ins AFTER INSERT ON wo_assignment FOR EACH ROW EXECUTE FUNCTION tech_load_asg();
CREATE TRIGGER tech_load_asg_del AFTER DELETE ON wo_assignment FOR EACH ROW EXECUTE FUNCTION tech_load_asg();
CREATE TRIGGER tech_load_asg_upd AFTER UPDATE OF active, technician_id, wo_number ON wo_assignment FOR EACH ROW
  EXECUTE FUNCTION tech_load_asg();

-- a work order opened, closed, moved to another company, or deleted
-- (before it goes: the foreign key's cascade to its assignments no
-- longer finds it open)
CREATE FUNCTION tech_load_wo() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state_class = 0 THEN
    UPDATE tech_load t SET n = t.n - x.n FROM (SELECT technician_id, count(*) AS n FROM wo_assignment
      WHERE wo_number = OLD.number AND active = 1 GROUP BY technician_id) x
      WHERE t.owner_org_id = OLD.owner_org_id AND t.technician_id = x.technician_id;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF NEW.state_class = 0 THEN
    INSERT INTO tech_load(owner_org_id, technician_id, n)
      SELECT NEW.owner_org_id, technician_id, count(*) FROM wo_assignment
      WHERE wo_number = NEW.number AND active = 1 GROUP BY technician_id
      ON CONFLICT (owner_org_id, technician_id) DO UPDATE SET n = tech_load.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tech_load_wo_upd AFTER UPDATE OF status, owner_org_id ON wo FOR EACH ROW
  WHEN ((OLD.state_class = 0 OR NEW.state_class = 0)
    AND (OLD.state_class <> NEW.state_class OR OLD.owner_org_id <> NEW.owner_org_id))
  EXECUTE FUNCTION tech_load_wo();
CREATE TRIGGER tech_load_wo_del BEFORE DELETE ON wo FOR EACH ROW WHEN (OLD.state_class = 0)
  EXECUTE FUNCTION tech_load_wo();
