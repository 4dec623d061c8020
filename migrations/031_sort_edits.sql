-- 031: the work orders whose place in a list's sort order, company or
-- status class changed, newest last (and those added below the highest
-- number).  A server keeps each work order's place in each sort order,
-- and its company and class, as of a seq of this log (rank.c), and looks
-- up the numbers logged since at each search that uses them; past a few
-- thousand it makes them again.  In the database, so that another
-- process's writes are seen as a server's own.  Only the newest 65,536
-- are kept (pruned each 1,024th): a server further behind makes its
-- places again anyway.  A class follows its status, which is logged.
-- From a random seq, so that no two databases share one (a process may
-- open more than one: the tests); number 0 is no work order.  SQLite only.
CREATE TABLE sort_edit(seq INTEGER PRIMARY KEY, number INTEGER NOT NULL);
INSERT INTO sort_edit(seq, number) VALUES (abs(random() % 1000000000000000), 0);
CREATE TRIGGER sort_edit_upd AFTER UPDATE OF number, case_number, subject, account_name, territory_name, status,
    assigned_at, entitlement_name, appointment_at, work_type_name, target_sla_at, completed_at, owner_org_id ON wo
    WHEN NEW.number IS NOT OLD.number OR NEW.case_number IS NOT OLD.case_number OR NEW.subject IS NOT OLD.subject
      OR NEW.account_name IS NOT OLD.account_name OR NEW.territory_name IS NOT OLD.territory_name
      OR NEW.status IS NOT OLD.status OR NEW.assigned_at IS NOT OLD.assigned_at
      OR NEW.entitlement_name IS NOT OLD.entitlement_name OR NEW.appointment_at IS NOT OLD.appointment_at
      OR NEW.work_type_name IS NOT OLD.work_type_name OR NEW.target_sla_at IS NOT OLD.target_sla_at
      OR NEW.completed_at IS NOT OLD.completed_at OR NEW.owner_org_id IS NOT OLD.owner_org_id BEGIN
  INSERT INTO sort_edit(number) VALUES (NEW.number);
END;
CREATE TRIGGER sort_edit_ins AFTER INSERT ON wo WHEN NEW.number < (SELECT max(number) FROM wo) BEGIN
  INSERT INTO sort_edit(number) VALUES (NEW.number);
END;
CREATE TRIGGER sort_edit_prune AFTER INSERT ON sort_edit WHEN NEW.seq % 1024 = 0 BEGIN
  DELETE FROM sort_edit WHERE seq <= NEW.seq - 65536;
END;
