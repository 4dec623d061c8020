-- Ascending by Target SLA Date or Appointment Date, the work orders
-- without one (0) come last (wo.c's BLANK_LAST): the key that order walks,
-- per company and class as the other list indexes.
CREATE INDEX wo_p_sla_key ON wo(owner_org_id, state_class, coalesce(nullif(target_sla_at, 0), 9223372036854775807));
CREATE INDEX wo_p_appt_key ON wo(owner_org_id, state_class, coalesce(nullif(appointment_at, 0), 9223372036854775807));
