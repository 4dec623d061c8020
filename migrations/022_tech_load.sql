-- 022: each technician's open work orders, counted as they change.
-- The Dashboard's technician load counted the open work orders with an
-- active assignment on every read: at a million work orders, 280,000
-- index entries and as many assignment lookups (180 ms).  tech_load keeps
-- the count per company (a freelancer works for several) and technician;
-- the triggers below are its one writer, as wo_count's are for the
-- statuses.  An assignment made, ended or moved, and a work order opened,
-- closed, moved to another company or deleted, each change it.
CREATE TABLE tech_load (
  owner_org_id  INTEGER NOT NULL,
  technician_id INTEGER NOT NULL,
  n             INTEGER NOT NULL,
  PRIMARY KEY (owner_org_id, technician_id)
) WITHOUT ROWID;
INSERT INTO tech_load(owner_org_id, technician_id, n)
  SELECT w.owner_org_id, a.technician_id, count(*) FROM wo_assignment a JOIN wo w ON w.number = a.wo_number
  WHERE a.active = 1 AND w.state_class = 0 GROUP BY 1, 2;

CREATE TRIGGER tech_load_asg_ins AFTER INSERT ON wo_assignment WHEN NEW.active = 1 BEGIN
  INSERT INTO tech_load(owner_org_id, technician_id, n)
    SELECT owner_org_id, NEW.technician_id, 1 FROM wo WHERE number = NEW.wo_number AND state_class = 0
    ON CONFLICT(owner_org_id, technician_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tech_load_asg_del AFTER DELETE ON wo_assignment WHEN OLD.active = 1 BEGIN
  UPDATE tech_load SET n = n - 1 WHERE technician_id = OLD.technician_id
    AND owner_org_id = (SELECT owner_org_id FROM wo WHERE number = OLD.wo_number AND state_class = 0);
END;
CREATE TRIGGER tech_load_asg_upd AFTER UPDATE OF active, technician_id, wo_number ON wo_assignment BEGIN
  UPDATE tech_load SET n = n - 1 WHERE OLD.active = 1 AND technician_id = OLD.technician_id
    AND owner_org_id = (SELECT owner_org_id FROM wo WHERE number = OLD.wo_number AND state_class = 0);
  INSERT INTO tech_load(owner_org_id, technician_id, n)
    SELECT owner_org_id, NEW.technician_id, 1 FROM wo WHERE NEW.active = 1 AND number = NEW.wo_number
    AND state_class = 0
    ON CONFLICT(owner_org_id, technician_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tech_load_wo_upd AFTER UPDATE OF status, owner_org_id ON wo
    WHEN (OLD.state_class = 0 OR NEW.state_class = 0)
    AND (OLD.state_class <> NEW.state_class OR OLD.owner_org_id <> NEW.owner_org_id) BEGIN
  UPDATE tech_load SET n = n - (SELECT count(*) FROM wo_assignment a WHERE a.wo_number = OLD.number
    AND a.active = 1 AND a.technician_id = tech_load.technician_id)
  WHERE OLD.state_class = 0 AND owner_org_id = OLD.owner_org_id
    AND technician_id IN (SELECT technician_id FROM wo_assignment WHERE wo_number = OLD.number AND active = 1);
  INSERT INTO tech_load(owner_org_id, technician_id, n)
    SELECT NEW.owner_org_id, technician_id, count(*) FROM wo_assignment
    WHERE NEW.state_class = 0 AND wo_number = NEW.number AND active = 1 GROUP BY technician_id
    ON CONFLICT(owner_org_id, technician_id) DO UPDATE SET n = n + excluded.n;
END;
-- before the row goes: its assignments' own trigger (the foreign key's
-- cascade) no longer finds it open
CREATE TRIGGER tech_load_wo_del BEFORE DELETE ON wo WHEN OLD.state_class = 0 BEGIN
  UPDATE tech_load SET n = n - (SELECT count(*) FROM wo_assignment a WHERE a.wo_number = OLD.number
    AND a.active = 1 AND a.technician_id = tech_load.technician_id)
  WHERE owner_org_id = OLD.owner_org_id
    AND technician_id IN (SELECT technician_id FROM wo_assignment WHERE wo_number = OLD.number AND active = 1);
END;
