-- 010: "SLA at risk" (Home, Dashboard) answered from the index alone: the
-- open work orders by target, with the appointment beside it, so that
-- the many past-target ones need no visit to their rows.

DROP INDEX IF EXISTS wo_p_target;
CREATE INDEX wo_p_target ON wo(owner_org_id, state_class, target_sla_at, appointment_at);
