-- 006: the Library's documents and private calendar feed tokens.

CREATE TABLE library_doc (
  id          INTEGER PRIMARY KEY,
  title       TEXT NOT NULL,
  category    TEXT NOT NULL CHECK (category IN ('Price List', 'Program Document', 'Brochure', 'Guide',
                'Data Sheet', 'Branding Guidelines')),
  version     TEXT NOT NULL DEFAULT '',
  doc_date    TEXT NOT NULL,              -- YYYY-MM-DD
  filename    TEXT NOT NULL,
  mime        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  data        BLOB NOT NULL,
  uploaded_by INTEGER NOT NULL REFERENCES users(id),
  uploaded_at INTEGER NOT NULL
);
CREATE INDEX library_recent ON library_doc(category, doc_date DESC);

-- A calendar feed URL: a technician's or a partner company's appointments.
CREATE TABLE cal_token (
  id            INTEGER PRIMARY KEY,
  token_hash    BLOB NOT NULL UNIQUE,
  org_id        INTEGER NOT NULL REFERENCES org(id),   -- whose appointments
  technician_id INTEGER REFERENCES technician(id),     -- only this technician's; NULL: the company's
  created_by    INTEGER NOT NULL REFERENCES users(id),
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER NOT NULL DEFAULT 0
);

-- SLA at risk (Home, Dashboard): open work orders by their target.
CREATE INDEX wo_o_target ON wo(state_class, target_sla_at);
CREATE INDEX wo_p_target ON wo(owner_org_id, state_class, target_sla_at);
