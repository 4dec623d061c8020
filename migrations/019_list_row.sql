-- 019: the Work Orders list reads one value per row.
-- A list page shows eleven columns of fifty rows; SQLite decodes each
-- column of each row on its own, which was most of a page's time in the
-- database.  list_row holds the eleven, separated by the unit separator
-- (character 31, which no form accepts and which is replaced if it ever
-- came in), kept by the triggers below on every insert and every change
-- of one of them: wo.c reads it as one column (LIST_ROW in wo.c gives the
-- order).  PostgreSQL computes the same value in the query instead.
ALTER TABLE wo ADD COLUMN list_row TEXT NOT NULL DEFAULT '';
UPDATE wo SET list_row = replace(wo.case_number, char(31), ' ') || char(31) || replace(wo.subject, char(31), ' ') || char(31) ||
    replace(wo.account_name, char(31), ' ') || char(31) || replace(wo.territory_name, char(31), ' ') || char(31) ||
    wo.status || char(31) || wo.assigned_at || char(31) || replace(wo.entitlement_name, char(31), ' ') || char(31) ||
    wo.appointment_at || char(31) || replace(wo.work_type_name, char(31), ' ') || char(31) || wo.target_sla_at ||
    char(31) || wo.completed_at;
CREATE TRIGGER wo_list_row_ins AFTER INSERT ON wo BEGIN
  UPDATE wo SET list_row = replace(NEW.case_number, char(31), ' ') || char(31) || replace(NEW.subject, char(31), ' ') || char(31) ||
    replace(NEW.account_name, char(31), ' ') || char(31) || replace(NEW.territory_name, char(31), ' ') || char(31) ||
    NEW.status || char(31) || NEW.assigned_at || char(31) || replace(NEW.entitlement_name, char(31), ' ') || char(31) ||
    NEW.appointment_at || char(31) || replace(NEW.work_type_name, char(31), ' ') || char(31) || NEW.target_sla_at ||
    char(31) || NEW.completed_at
  WHERE number = NEW.number;
END;
CREATE TRIGGER wo_list_row_upd AFTER UPDATE OF case_number, subject, account_name, territory_name, status,
    assigned_at, entitlement_name, appointment_at, work_type_name, target_sla_at, completed_at ON wo BEGIN
  UPDATE wo SET list_row = replace(NEW.case_number, char(31), ' ') || char(31) || replace(NEW.subject, char(31), ' ') || char(31) ||
    replace(NEW.account_name, char(31), ' ') || char(31) || replace(NEW.territory_name, char(31), ' ') || char(31) ||
    NEW.status || char(31) || NEW.assigned_at || char(31) || replace(NEW.entitlement_name, char(31), ' ') || char(31) ||
    NEW.appointment_at || char(31) || replace(NEW.work_type_name, char(31), ' ') || char(31) || NEW.target_sla_at ||
    char(31) || NEW.completed_at
  WHERE number = NEW.number;
END;
