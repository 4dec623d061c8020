-- A work order's class (0 open; 1 Completed or Closed; 2 Rejected,
-- Cancelled or Cannot Complete) was a column generated from its status:
-- SQLite then rewrote each of the fifteen indexes that hold the class at
-- every change of status, from one open status to another too (an
-- Accept wrote ~30 pages, half of them those indexes).  Now a column of
-- its own, written by a trigger only when the class changes; the
-- counters that follow the class (technicians' load, missed SLAs) watch
-- it instead of the status.  The rule is the one the generated column had
-- (and status.c's status_class).
DROP INDEX wo_p_number;
DROP INDEX wo_p_case;
DROP INDEX wo_p_subject;
DROP INDEX wo_p_account;
DROP INDEX wo_p_terr;
DROP INDEX wo_p_assign;
DROP INDEX wo_p_entitle;
DROP INDEX wo_p_appt;
DROP INDEX wo_p_wtype;
DROP INDEX wo_p_done;
DROP INDEX wo_delay;
DROP INDEX wo_p_target;
DROP INDEX wo_p_sla;
DROP INDEX wo_p_status;
DROP INDEX wo_hit;
DROP TRIGGER tech_load_asg_ins;
DROP TRIGGER tech_load_asg_del;
DROP TRIGGER tech_load_asg_upd;
DROP TRIGGER tech_load_wo_upd;
DROP TRIGGER tech_load_wo_del;
DROP TRIGGER wo_missed_ins;
DROP TRIGGER wo_missed_del;
DROP TRIGGER wo_missed_upd;

ALTER TABLE wo DROP COLUMN state_class;
ALTER TABLE wo ADD COLUMN state_class INTEGER NOT NULL DEFAULT 0;
UPDATE wo SET state_class = CASE WHEN status IN ('Completed', 'Closed') THEN 1 ELSE 2 END
  WHERE status IN ('Completed', 'Closed', 'Rejected', 'Cancelled', 'Cannot Complete');

-- the class follows the status (a write of the class alone is put right too)
CREATE TRIGGER wo_class_ins AFTER INSERT ON wo
    WHEN NEW.state_class IS NOT (CASE WHEN NEW.status IN ('Completed', 'Closed') THEN 1
    WHEN NEW.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END) BEGIN
  UPDATE wo SET state_class = (CASE WHEN NEW.status IN ('Completed', 'Closed') THEN 1
    WHEN NEW.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END) WHERE number = NEW.number;
END;
CREATE TRIGGER wo_class_upd AFTER UPDATE OF status, state_class ON wo
    WHEN NEW.state_class IS NOT (CASE WHEN NEW.status IN ('Completed', 'Closed') THEN 1
    WHEN NEW.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END) BEGIN
  UPDATE wo SET state_class = (CASE WHEN NEW.status IN ('Completed', 'Closed') THEN 1
    WHEN NEW.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END) WHERE number = NEW.number;
END;

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
CREATE TRIGGER tech_load_wo_upd AFTER UPDATE OF state_class, owner_org_id ON wo
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
CREATE TRIGGER tech_load_wo_del BEFORE DELETE ON wo WHEN OLD.state_class = 0 BEGIN
  UPDATE tech_load SET n = n - (SELECT count(*) FROM wo_assignment a WHERE a.wo_number = OLD.number
    AND a.active = 1 AND a.technician_id = tech_load.technician_id)
  WHERE owner_org_id = OLD.owner_org_id
    AND technician_id IN (SELECT technician_id FROM wo_assignment WHERE wo_number = OLD.number AND active = 1);
END;
CREATE TRIGGER wo_missed_ins AFTER INSERT ON wo
    WHEN NEW.state_class = 1 AND NEW.target_sla_at > 0 AND NEW.completed_at > NEW.target_sla_at BEGIN
  INSERT INTO wo_missed_count(owner_org_id, delay_reason, n) VALUES (NEW.owner_org_id, NEW.delay_reason, 1)
    ON CONFLICT(owner_org_id, delay_reason) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER wo_missed_del AFTER DELETE ON wo
    WHEN OLD.state_class = 1 AND OLD.target_sla_at > 0 AND OLD.completed_at > OLD.target_sla_at BEGIN
  UPDATE wo_missed_count SET n = n - 1 WHERE owner_org_id = OLD.owner_org_id AND delay_reason = OLD.delay_reason;
END;
CREATE TRIGGER wo_missed_upd AFTER UPDATE OF state_class, target_sla_at, completed_at, delay_reason, owner_org_id ON wo
    WHEN (OLD.state_class = 1 AND OLD.target_sla_at > 0 AND OLD.completed_at > OLD.target_sla_at)
    OR (NEW.state_class = 1 AND NEW.target_sla_at > 0 AND NEW.completed_at > NEW.target_sla_at) BEGIN
  UPDATE wo_missed_count SET n = n - 1
  WHERE OLD.state_class = 1 AND OLD.target_sla_at > 0 AND OLD.completed_at > OLD.target_sla_at
    AND owner_org_id = OLD.owner_org_id AND delay_reason = OLD.delay_reason;
  INSERT INTO wo_missed_count(owner_org_id, delay_reason, n)
    SELECT NEW.owner_org_id, NEW.delay_reason, 1
    WHERE NEW.state_class = 1 AND NEW.target_sla_at > 0 AND NEW.completed_at > NEW.target_sla_at
    ON CONFLICT(owner_org_id, delay_reason) DO UPDATE SET n = n + 1;
END;

CREATE INDEX wo_p_number  ON wo(owner_org_id, state_class, number);
CREATE INDEX wo_p_case    ON wo(owner_org_id, state_class, case_number);
CREATE INDEX wo_p_subject ON wo(owner_org_id, state_class, subject);
CREATE INDEX wo_p_account ON wo(owner_org_id, state_class, account_name);
CREATE INDEX wo_p_terr    ON wo(owner_org_id, state_class, territory_name);
CREATE INDEX wo_p_assign  ON wo(owner_org_id, state_class, assigned_at);
CREATE INDEX wo_p_entitle ON wo(owner_org_id, state_class, entitlement_name);
CREATE INDEX wo_p_appt    ON wo(owner_org_id, state_class, appointment_at);
CREATE INDEX wo_p_wtype   ON wo(owner_org_id, state_class, work_type_name);
CREATE INDEX wo_p_done    ON wo(owner_org_id, state_class, completed_at);
CREATE INDEX wo_delay ON wo(owner_org_id, state_class, delay_reason) WHERE delay_reason != '';
CREATE INDEX wo_p_target ON wo(owner_org_id, state_class, target_sla_at, appointment_at);
CREATE INDEX wo_p_sla ON wo(owner_org_id, state_class, target_sla_at);
CREATE INDEX wo_p_status ON wo(owner_org_id, state_class, status_rank);
CREATE INDEX wo_hit ON wo(owner_org_id, state_class, completed_at, target_sla_at, reissued_from);
