-- 002: field technicians, the certification catalog, and which
-- certifications each work type requires.  A technician without a company
-- is a freelancer; membership history is kept when they change companies.

CREATE TABLE certification (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,          -- e.g. CT4000-INS
  kind            TEXT NOT NULL CHECK (kind IN ('AC', 'DC', 'micro-credential')),
  validity_months INTEGER NOT NULL CHECK (validity_months > 0),
  description     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE work_type_certification (
  work_type_id     INTEGER NOT NULL REFERENCES work_type(id) ON DELETE CASCADE,
  certification_id INTEGER NOT NULL REFERENCES certification(id) ON DELETE CASCADE,
  PRIMARY KEY (work_type_id, certification_id)
) WITHOUT ROWID;

CREATE TABLE technician (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  email       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  phone       TEXT NOT NULL DEFAULT '',
  street      TEXT NOT NULL DEFAULT '',
  city        TEXT NOT NULL DEFAULT '',
  state       TEXT NOT NULL DEFAULT '',
  postal_code TEXT NOT NULL DEFAULT '',
  country     TEXT NOT NULL DEFAULT 'United States',
  org_id      INTEGER REFERENCES org(id),      -- NULL: a freelancer
  user_id     INTEGER REFERENCES users(id),    -- when the technician has a login
  created_at  INTEGER NOT NULL
);
CREATE INDEX technician_org ON technician(org_id, name);
CREATE INDEX technician_postal ON technician(postal_code);
CREATE INDEX technician_city ON technician(city COLLATE NOCASE);

CREATE TABLE technician_certification (
  technician_id    INTEGER NOT NULL REFERENCES technician(id) ON DELETE CASCADE,
  certification_id INTEGER NOT NULL REFERENCES certification(id),
  earned_on        TEXT NOT NULL,                -- YYYY-MM-DD
  expires_on       TEXT NOT NULL,                -- YYYY-MM-DD; expired ones do not count as skills
  PRIMARY KEY (technician_id, certification_id)
) WITHOUT ROWID;

CREATE TABLE technician_membership (
  id            INTEGER PRIMARY KEY,
  technician_id INTEGER NOT NULL REFERENCES technician(id) ON DELETE CASCADE,
  org_id        INTEGER NOT NULL REFERENCES org(id),
  joined_at     INTEGER NOT NULL,
  left_at       INTEGER NOT NULL DEFAULT 0,
  changed_by    INTEGER REFERENCES users(id)
);
CREATE INDEX technician_membership_tech ON technician_membership(technician_id, joined_at);
