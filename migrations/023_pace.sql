-- 023: the Dashboard's days to accept and to complete, summed by the day
-- each work order was assigned.
-- Days to accept and to complete average the work orders assigned in the
-- last 90 days: at a million work orders, a range of some 100,000 index
-- entries per company on every read (20-40 ms each).  wo_pace_day keeps,
-- per company and day of WO Assigned Date (UTC), how many were accepted
-- and completed and the seconds it took; dash.c adds up the whole days of
-- the window and reads the window's first, partial day from the index.
-- The triggers below are its one writer.
CREATE TABLE wo_pace_day (
  owner_org_id INTEGER NOT NULL,
  day          INTEGER NOT NULL,   -- assigned_at / 86400
  accepted_n   INTEGER NOT NULL,
  accepted_s   INTEGER NOT NULL,
  completed_n  INTEGER NOT NULL,
  completed_s  INTEGER NOT NULL,
  PRIMARY KEY (owner_org_id, day)
) WITHOUT ROWID;
INSERT INTO wo_pace_day(owner_org_id, day, accepted_n, accepted_s, completed_n, completed_s)
  SELECT owner_org_id, assigned_at / 86400, count(NULLIF(accepted_at, 0)),
    COALESCE(SUM(CASE WHEN accepted_at > 0 THEN accepted_at - assigned_at END), 0), count(NULLIF(completed_at, 0)),
    COALESCE(SUM(CASE WHEN completed_at > 0 THEN completed_at - assigned_at END), 0)
  FROM wo WHERE accepted_at > 0 OR completed_at > 0 GROUP BY 1, 2;

CREATE TRIGGER wo_pace_ins AFTER INSERT ON wo WHEN NEW.accepted_at > 0 OR NEW.completed_at > 0 BEGIN
  INSERT INTO wo_pace_day(owner_org_id, day, accepted_n, accepted_s, completed_n, completed_s)
    VALUES (NEW.owner_org_id, NEW.assigned_at / 86400, NEW.accepted_at > 0,
      CASE WHEN NEW.accepted_at > 0 THEN NEW.accepted_at - NEW.assigned_at ELSE 0 END, NEW.completed_at > 0,
      CASE WHEN NEW.completed_at > 0 THEN NEW.completed_at - NEW.assigned_at ELSE 0 END)
    ON CONFLICT(owner_org_id, day) DO UPDATE SET accepted_n = accepted_n + excluded.accepted_n,
      accepted_s = accepted_s + excluded.accepted_s, completed_n = completed_n + excluded.completed_n,
      completed_s = completed_s + excluded.completed_s;
END;
CREATE TRIGGER wo_pace_del AFTER DELETE ON wo WHEN OLD.accepted_at > 0 OR OLD.completed_at > 0 BEGIN
  UPDATE wo_pace_day SET accepted_n = accepted_n - (OLD.accepted_at > 0),
    accepted_s = accepted_s - CASE WHEN OLD.accepted_at > 0 THEN OLD.accepted_at - OLD.assigned_at ELSE 0 END,
    completed_n = completed_n - (OLD.completed_at > 0),
    completed_s = completed_s - CASE WHEN OLD.completed_at > 0 THEN OLD.completed_at - OLD.assigned_at ELSE 0 END
  WHERE owner_org_id = OLD.owner_org_id AND day = OLD.assigned_at / 86400;
END;
CREATE TRIGGER wo_pace_upd AFTER UPDATE OF accepted_at, completed_at, assigned_at, owner_org_id ON wo
    WHEN OLD.accepted_at <> NEW.accepted_at OR OLD.completed_at <> NEW.completed_at
    OR OLD.assigned_at <> NEW.assigned_at OR OLD.owner_org_id <> NEW.owner_org_id BEGIN
  UPDATE wo_pace_day SET accepted_n = accepted_n - (OLD.accepted_at > 0),
    accepted_s = accepted_s - CASE WHEN OLD.accepted_at > 0 THEN OLD.accepted_at - OLD.assigned_at ELSE 0 END,
    completed_n = completed_n - (OLD.completed_at > 0),
    completed_s = completed_s - CASE WHEN OLD.completed_at > 0 THEN OLD.completed_at - OLD.assigned_at ELSE 0 END
  WHERE (OLD.accepted_at > 0 OR OLD.completed_at > 0) AND owner_org_id = OLD.owner_org_id
    AND day = OLD.assigned_at / 86400;
  INSERT INTO wo_pace_day(owner_org_id, day, accepted_n, accepted_s, completed_n, completed_s)
    SELECT NEW.owner_org_id, NEW.assigned_at / 86400, NEW.accepted_at > 0,
      CASE WHEN NEW.accepted_at > 0 THEN NEW.accepted_at - NEW.assigned_at ELSE 0 END, NEW.completed_at > 0,
      CASE WHEN NEW.completed_at > 0 THEN NEW.completed_at - NEW.assigned_at ELSE 0 END
    WHERE NEW.accepted_at > 0 OR NEW.completed_at > 0
    ON CONFLICT(owner_org_id, day) DO UPDATE SET accepted_n = accepted_n + excluded.accepted_n,
      accepted_s = accepted_s + excluded.accepted_s, completed_n = completed_n + excluded.completed_n,
      completed_s = completed_s + excluded.completed_s;
END;
