-- 018: integrations.  Personal access tokens for the API (token.c): only
-- the hash is kept; a token acts as its user, reads only unless CAN_WRITE.
CREATE TABLE api_token (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   BLOB NOT NULL UNIQUE,
  can_write    INTEGER NOT NULL DEFAULT 0,
  created_by   INTEGER NOT NULL REFERENCES users(id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL DEFAULT 0,   -- 0: does not expire
  last_used_at INTEGER NOT NULL DEFAULT 0,
  revoked_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_token_user ON api_token(user_id);

-- A POST sent with an Idempotency-Key answers its retries with the first
-- answer (token.c): STATUS 0 while the first is still running.
CREATE TABLE idempotency (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  request    TEXT NOT NULL,
  status     INTEGER NOT NULL DEFAULT 0,
  body       TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_age ON idempotency(created_at);

-- Webhooks (hook.c): an endpoint of the operator's network (ORG_ID NULL:
-- every work order) or of one partner company (its work orders only),
-- and the deliveries queued for it in the transaction of the change they
-- tell of, sent in order by one node each (claimed), retried a day.
CREATE TABLE webhook (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER REFERENCES org(id),
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  events     TEXT NOT NULL,              -- ",work_order.created,post.added,"
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  removed_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE webhook_delivery (
  id            INTEGER PRIMARY KEY,
  webhook_id    INTEGER NOT NULL REFERENCES webhook(id) ON DELETE CASCADE,
  event         TEXT NOT NULL,
  payload       TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  next_at       INTEGER NOT NULL,
  claimed_until INTEGER NOT NULL DEFAULT 0,
  last_code     INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT NOT NULL DEFAULT '',
  delivered_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_delivery_due ON webhook_delivery(status, next_at);
CREATE INDEX webhook_delivery_line ON webhook_delivery(webhook_id, status, id);
-- the work orders already announced as at risk (announced again once they
-- have left the rule and come back)
CREATE TABLE sla_risk_told (
  wo_number INTEGER PRIMARY KEY REFERENCES wo(number) ON DELETE CASCADE,
  told_at   INTEGER NOT NULL
);

-- Notifications page by page (newest first, after a cursor): by id.
CREATE INDEX notification_user_id ON notification(user_id, id);
