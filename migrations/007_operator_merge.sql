-- 007: the operator's lists merge each company's index scans (UNION ALL
-- per company and class, as "All Work Orders" merges the classes), so the
-- indexes kept for the operator alone go: every work order write and
-- every bulk load maintains twelve indexes fewer.  wo_owner_org is covered
-- by the wo_p_* indexes, which all lead with owner_org_id.

DROP INDEX IF EXISTS wo_o_number;
DROP INDEX IF EXISTS wo_o_case;
DROP INDEX IF EXISTS wo_o_subject;
DROP INDEX IF EXISTS wo_o_account;
DROP INDEX IF EXISTS wo_o_terr;
DROP INDEX IF EXISTS wo_o_status;
DROP INDEX IF EXISTS wo_o_assign;
DROP INDEX IF EXISTS wo_o_entitle;
DROP INDEX IF EXISTS wo_o_appt;
DROP INDEX IF EXISTS wo_o_wtype;
DROP INDEX IF EXISTS wo_o_done;
DROP INDEX IF EXISTS wo_o_target;
DROP INDEX IF EXISTS wo_owner_org;
