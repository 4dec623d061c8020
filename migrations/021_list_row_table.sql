-- 021: the list's rows in a table of their own.
-- The operator's whole list by number walked wo itself to read list_row:
-- a few work orders to a page, each row's header decoded up to its last
-- column.  wo_row holds list_row alone, keyed by the number: dozens of
-- rows to a page, one column (the first page of that list: 18 to 10 us
-- in SQLite at 100,000).  Lists in another order join it by the number
-- their index gives.  A change of a listed column now writes this small
-- row instead of rewriting the work order a second time.  The triggers
-- below are its one writer; wo.c reads it (LIST_ROW's order).
CREATE TABLE wo_row (
  number   INTEGER PRIMARY KEY,
  list_row TEXT NOT NULL
);
INSERT INTO wo_row(number, list_row) SELECT number, list_row FROM wo;
DROP TRIGGER wo_list_row_ins;
DROP TRIGGER wo_list_row_upd;
ALTER TABLE wo DROP COLUMN list_row;
CREATE TRIGGER wo_row_ins AFTER INSERT ON wo BEGIN
  INSERT INTO wo_row(number, list_row) VALUES (NEW.number, replace(NEW.case_number, char(31), ' ') || char(31) || replace(NEW.subject, char(31), ' ') || char(31) ||
    replace(NEW.account_name, char(31), ' ') || char(31) || replace(NEW.territory_name, char(31), ' ') || char(31) ||
    NEW.status || char(31) || NEW.assigned_at || char(31) || replace(NEW.entitlement_name, char(31), ' ') || char(31) ||
    NEW.appointment_at || char(31) || replace(NEW.work_type_name, char(31), ' ') || char(31) || NEW.target_sla_at ||
    char(31) || NEW.completed_at);
END;
CREATE TRIGGER wo_row_upd AFTER UPDATE OF case_number, subject, account_name, territory_name, status,
    assigned_at, entitlement_name, appointment_at, work_type_name, target_sla_at, completed_at ON wo BEGIN
  UPDATE wo_row SET list_row = replace(NEW.case_number, char(31), ' ') || char(31) || replace(NEW.subject, char(31), ' ') || char(31) ||
    replace(NEW.account_name, char(31), ' ') || char(31) || replace(NEW.territory_name, char(31), ' ') || char(31) ||
    NEW.status || char(31) || NEW.assigned_at || char(31) || replace(NEW.entitlement_name, char(31), ' ') || char(31) ||
    NEW.appointment_at || char(31) || replace(NEW.work_type_name, char(31), ' ') || char(31) || NEW.target_sla_at ||
    char(31) || NEW.completed_at
  WHERE number = NEW.number;
END;
CREATE TRIGGER wo_row_del AFTER DELETE ON wo BEGIN
  DELETE FROM wo_row WHERE number = OLD.number;
END;
