-- 012: a work order's current technician straight from the index (the
-- Dashboard's technician load reads it for every open work order).

DROP INDEX IF EXISTS wo_assignment_wo;
CREATE INDEX wo_assignment_wo ON wo_assignment(wo_number, active, technician_id);
