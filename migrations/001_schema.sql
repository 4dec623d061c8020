-- 001: organizations, users, sessions, reference data, work orders.
-- Times are INTEGER seconds since the epoch, UTC; 0 means "not set" on
-- columns that list views sort by, so every sort key is NOT NULL and
-- keyset paging stays simple.

CREATE TABLE org (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL CHECK (kind IN ('operator', 'partner')),
  email_domains TEXT NOT NULL DEFAULT '',   -- space separated
  created_at    INTEGER NOT NULL
);

CREATE TABLE users (
  id           INTEGER PRIMARY KEY,
  org_id       INTEGER NOT NULL REFERENCES org(id),
  email        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name         TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('operator', 'dispatcher', 'admin', 'technician')),
  pw_hash      TEXT NOT NULL DEFAULT '',
  phone        TEXT NOT NULL DEFAULT '',
  time_zone    TEXT NOT NULL DEFAULT 'America/Chicago',
  disabled     INTEGER NOT NULL DEFAULT 0,
  default_view TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL
);
CREATE INDEX user_org ON users(org_id, name);

CREATE TABLE session (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  seen_at    INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);

CREATE TABLE login_attempt (
  key          TEXT PRIMARY KEY,      -- 'user:<email>' or 'addr:<ip>'
  window_start INTEGER NOT NULL,
  failures     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE reset_token (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  issued_by  INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE reset_request (
  id         INTEGER PRIMARY KEY,
  email      TEXT NOT NULL COLLATE NOCASE,
  user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  handled_at INTEGER NOT NULL DEFAULT 0,
  handled_by INTEGER REFERENCES users(id)
);

CREATE TABLE signup_request (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  email      TEXT NOT NULL COLLATE NOCASE,
  company    TEXT NOT NULL,
  org_id     INTEGER REFERENCES org(id),   -- the company it matched, if any
  phone      TEXT NOT NULL DEFAULT '',
  message    TEXT NOT NULL DEFAULT '',
  status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX signup_pending ON signup_request(status, org_id);

CREATE TABLE account (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  street      TEXT NOT NULL DEFAULT '',
  city        TEXT NOT NULL DEFAULT '',
  state       TEXT NOT NULL DEFAULT '',
  postal_code TEXT NOT NULL DEFAULT '',
  country     TEXT NOT NULL DEFAULT 'United States'
);

CREATE TABLE contact (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES account(id),
  name       TEXT NOT NULL,
  email      TEXT NOT NULL DEFAULT '',
  phone      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE territory (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  zone TEXT NOT NULL DEFAULT ''
);

CREATE TABLE entitlement (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  business_days INTEGER NOT NULL        -- SLA after delivery or assignment
);

CREATE TABLE work_type (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE station (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES account(id),
  name        TEXT NOT NULL,
  serial      TEXT NOT NULL,
  mac         TEXT NOT NULL,
  model       TEXT NOT NULL,
  street      TEXT NOT NULL DEFAULT '',
  city        TEXT NOT NULL DEFAULT '',
  state       TEXT NOT NULL DEFAULT '',
  postal_code TEXT NOT NULL DEFAULT '',
  country     TEXT NOT NULL DEFAULT 'United States'
);
CREATE INDEX station_account ON station(account_id);

-- The work order.  Names shown in lists (account, territory, entitlement,
-- work type) are copied in so that every sort has an index of its own.
-- Free text the partner sorts by (subject, account) compares without case;
-- names from the operator's reference lists compare as stored, which is
-- the same order for them and much cheaper to index.
CREATE TABLE wo (
  -- the list columns first: SQLite decodes a row from its start, so the
  -- columns every list page reads cost least there
  number            INTEGER PRIMARY KEY,          -- Work Order Number
  case_number       TEXT NOT NULL,
  subject           TEXT NOT NULL COLLATE NOCASE,
  account_name      TEXT NOT NULL COLLATE NOCASE,
  territory_name    TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('Assigned', 'Ship-To Received', 'Parts Ordered',
                      'Shipping', 'Shipped', 'Parts Delivered', 'In Progress', 'On Hold', 'Completed',
                      'Closed', 'Cannot Complete', 'Rejected', 'Cancelled')),
  assigned_at       INTEGER NOT NULL DEFAULT 0,   -- WO Assigned Date
  entitlement_name  TEXT NOT NULL DEFAULT '',
  appointment_at    INTEGER NOT NULL DEFAULT 0,
  work_type_name    TEXT NOT NULL,
  completed_at      INTEGER NOT NULL DEFAULT 0,
  owner_org_id      INTEGER NOT NULL REFERENCES org(id),
  state_class       INTEGER GENERATED ALWAYS AS (CASE
                      WHEN status IN ('Completed', 'Closed') THEN 1
                      WHEN status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2
                      ELSE 0 END) VIRTUAL,
  account_id        INTEGER NOT NULL REFERENCES account(id),
  territory_id      INTEGER NOT NULL REFERENCES territory(id),
  entitlement_id    INTEGER REFERENCES entitlement(id),
  work_type_id      INTEGER NOT NULL REFERENCES work_type(id),
  cse_user_id       INTEGER REFERENCES users(id),  -- Customer Service Executive
  target_sla_at     INTEGER NOT NULL DEFAULT 0,
  parts_needed      INTEGER NOT NULL DEFAULT 0,
  contact_id        INTEGER REFERENCES contact(id),
  total_stations    INTEGER NOT NULL DEFAULT 0,
  site_validations  INTEGER NOT NULL DEFAULT 0,
  site_street       TEXT NOT NULL DEFAULT '',
  site_city         TEXT NOT NULL DEFAULT '',
  site_state        TEXT NOT NULL DEFAULT '',
  site_postal_code  TEXT NOT NULL DEFAULT '',
  site_country      TEXT NOT NULL DEFAULT '',
  technician_label  TEXT NOT NULL DEFAULT '',     -- Technician Name / Email
  technician_name   TEXT NOT NULL DEFAULT '',
  technician_phone  TEXT NOT NULL DEFAULT '',
  scheduling_completed TEXT NOT NULL DEFAULT '', -- date, YYYY-MM-DD
  delay_reason      TEXT NOT NULL DEFAULT '',
  arrive_at         INTEGER NOT NULL DEFAULT 0,
  depart_at         INTEGER NOT NULL DEFAULT 0,
  closed_at         INTEGER NOT NULL DEFAULT 0,
  status_reason     TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

-- One index per (scope, class, sort key): the partner's views filter on
-- owner_org_id, the operator's do not; "All Work Orders" merges the three
-- classes in order (UNION ALL ... ORDER BY), so it needs no index of its own.
CREATE INDEX wo_p_number  ON wo(owner_org_id, state_class, number);
CREATE INDEX wo_p_case    ON wo(owner_org_id, state_class, case_number);
CREATE INDEX wo_p_subject ON wo(owner_org_id, state_class, subject);
CREATE INDEX wo_p_account ON wo(owner_org_id, state_class, account_name);
CREATE INDEX wo_p_terr    ON wo(owner_org_id, state_class, territory_name);
CREATE INDEX wo_p_status  ON wo(owner_org_id, state_class, status);
CREATE INDEX wo_p_assign  ON wo(owner_org_id, state_class, assigned_at);
CREATE INDEX wo_p_entitle ON wo(owner_org_id, state_class, entitlement_name);
CREATE INDEX wo_p_appt    ON wo(owner_org_id, state_class, appointment_at);
CREATE INDEX wo_p_wtype   ON wo(owner_org_id, state_class, work_type_name);
CREATE INDEX wo_p_done    ON wo(owner_org_id, state_class, completed_at);
CREATE INDEX wo_o_number  ON wo(state_class, number);
CREATE INDEX wo_o_case    ON wo(state_class, case_number);
CREATE INDEX wo_o_subject ON wo(state_class, subject);
CREATE INDEX wo_o_account ON wo(state_class, account_name);
CREATE INDEX wo_o_terr    ON wo(state_class, territory_name);
CREATE INDEX wo_o_status  ON wo(state_class, status);
CREATE INDEX wo_o_assign  ON wo(state_class, assigned_at);
CREATE INDEX wo_o_entitle ON wo(state_class, entitlement_name);
CREATE INDEX wo_o_appt    ON wo(state_class, appointment_at);
CREATE INDEX wo_o_wtype   ON wo(state_class, work_type_name);
CREATE INDEX wo_o_done    ON wo(state_class, completed_at);
CREATE INDEX wo_owner_org ON wo(owner_org_id, status);

-- Item counts for the list summary line without counting rows.
CREATE TABLE wo_count (
  owner_org_id INTEGER NOT NULL,
  status       TEXT NOT NULL,
  n            INTEGER NOT NULL,
  PRIMARY KEY (owner_org_id, status)
) WITHOUT ROWID;

CREATE TRIGGER wo_count_ins AFTER INSERT ON wo BEGIN
  INSERT INTO wo_count(owner_org_id, status, n) VALUES (NEW.owner_org_id, NEW.status, 1)
    ON CONFLICT(owner_org_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER wo_count_del AFTER DELETE ON wo BEGIN
  UPDATE wo_count SET n = n - 1 WHERE owner_org_id = OLD.owner_org_id AND status = OLD.status;
END;
CREATE TRIGGER wo_count_upd AFTER UPDATE OF status, owner_org_id ON wo
  WHEN OLD.status IS NOT NEW.status OR OLD.owner_org_id IS NOT NEW.owner_org_id BEGIN
  UPDATE wo_count SET n = n - 1 WHERE owner_org_id = OLD.owner_org_id AND status = OLD.status;
  INSERT INTO wo_count(owner_org_id, status, n) VALUES (NEW.owner_org_id, NEW.status, 1)
    ON CONFLICT(owner_org_id, status) DO UPDATE SET n = n + 1;
END;

-- "Search this list...": number, case, subject, account, territory, work type.
CREATE VIRTUAL TABLE wo_fts USING fts5(
  number, case_number, subject, account_name, territory_name, work_type_name,
  content='wo', content_rowid='number', tokenize='unicode61 remove_diacritics 2', detail=none
);
CREATE TRIGGER wo_fts_ins AFTER INSERT ON wo BEGIN
  INSERT INTO wo_fts(rowid, number, case_number, subject, account_name, territory_name, work_type_name)
  VALUES (NEW.number, NEW.number, NEW.case_number, NEW.subject, NEW.account_name, NEW.territory_name, NEW.work_type_name);
END;
CREATE TRIGGER wo_fts_del AFTER DELETE ON wo BEGIN
  INSERT INTO wo_fts(wo_fts, rowid, number, case_number, subject, account_name, territory_name, work_type_name)
  VALUES ('delete', OLD.number, OLD.number, OLD.case_number, OLD.subject, OLD.account_name, OLD.territory_name, OLD.work_type_name);
END;
CREATE TRIGGER wo_fts_upd AFTER UPDATE OF case_number, subject, account_name, territory_name, work_type_name ON wo BEGIN
  INSERT INTO wo_fts(wo_fts, rowid, number, case_number, subject, account_name, territory_name, work_type_name)
  VALUES ('delete', OLD.number, OLD.number, OLD.case_number, OLD.subject, OLD.account_name, OLD.territory_name, OLD.work_type_name);
  INSERT INTO wo_fts(rowid, number, case_number, subject, account_name, territory_name, work_type_name)
  VALUES (NEW.number, NEW.number, NEW.case_number, NEW.subject, NEW.account_name, NEW.territory_name, NEW.work_type_name);
END;

CREATE TABLE wo_station (
  wo_number  INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  station_id INTEGER NOT NULL REFERENCES station(id),
  PRIMARY KEY (wo_number, seq)
) WITHOUT ROWID;

CREATE TABLE woli (
  id            INTEGER PRIMARY KEY,
  wo_number     INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  line_number   INTEGER NOT NULL,
  work_type     TEXT NOT NULL,
  station_id    INTEGER REFERENCES station(id),
  warranty_type TEXT NOT NULL DEFAULT '',
  description   TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'New' CHECK (status IN ('New', 'Completed')),
  completed_at  INTEGER NOT NULL DEFAULT 0,
  UNIQUE (wo_number, line_number)
);

CREATE TABLE wo_history (
  id          INTEGER PRIMARY KEY,
  wo_number   INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  at          INTEGER NOT NULL,
  field       TEXT NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  user_label  TEXT NOT NULL,
  old_value   TEXT NOT NULL DEFAULT '',
  new_value   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX wo_history_wo ON wo_history(wo_number, at DESC, id DESC);

CREATE TABLE part_order (
  id            INTEGER PRIMARY KEY,
  wo_number     INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  order_number  TEXT NOT NULL,
  order_class   TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  carrier       TEXT NOT NULL DEFAULT '',
  tracking      TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT '',
  est_delivery  INTEGER NOT NULL DEFAULT 0,
  delivered_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX part_order_wo ON part_order(wo_number, created_at);

CREATE TABLE file (
  id          INTEGER PRIMARY KEY,
  wo_number   INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  owner_label TEXT NOT NULL,
  owner_user_id INTEGER REFERENCES users(id),
  modified_at INTEGER NOT NULL,
  size        INTEGER NOT NULL,
  mime        TEXT NOT NULL,
  data        BLOB NOT NULL
);
CREATE INDEX file_wo ON file(wo_number, modified_at);

-- Recently Viewed: the last work orders each user opened.
CREATE TABLE wo_view (
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  wo_number INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  viewed_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, wo_number)
) WITHOUT ROWID;
CREATE INDEX wo_view_recent ON wo_view(user_id, viewed_at DESC);
