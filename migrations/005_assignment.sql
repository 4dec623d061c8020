-- 005: technicians assigned to work orders, and the audit of onboarding
-- and offboarding.

CREATE TABLE wo_assignment (
  id              INTEGER PRIMARY KEY,
  wo_number       INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  technician_id   INTEGER NOT NULL REFERENCES technician(id),
  method          TEXT NOT NULL CHECK (method IN ('Skills Match', 'Manual Override')),
  override_reason TEXT NOT NULL DEFAULT '',
  assigned_by     INTEGER NOT NULL REFERENCES users(id),
  assigned_at     INTEGER NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1       -- the current one; earlier ones stay for history
);
CREATE INDEX wo_assignment_wo ON wo_assignment(wo_number, active);
CREATE INDEX wo_assignment_tech ON wo_assignment(technician_id, active);

CREATE TABLE tech_audit (
  id            INTEGER PRIMARY KEY,
  technician_id INTEGER NOT NULL REFERENCES technician(id) ON DELETE CASCADE,
  org_id        INTEGER REFERENCES org(id),
  action        TEXT NOT NULL,                      -- Onboard, Offboard
  detail        TEXT NOT NULL DEFAULT '',
  by_user       INTEGER NOT NULL REFERENCES users(id),
  at            INTEGER NOT NULL
);
CREATE INDEX tech_audit_org ON tech_audit(org_id, at);

ALTER TABLE wo ADD COLUMN needs_reassignment INTEGER NOT NULL DEFAULT 0;
