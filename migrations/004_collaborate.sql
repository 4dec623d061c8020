-- 004: the Collaborate feed (posts, comments, likes, views, mentions),
-- operator teams, files attached to posts, Follow, notifications and the
-- email outbox.

CREATE TABLE team (
  id     INTEGER PRIMARY KEY,
  name   TEXT NOT NULL UNIQUE,         -- e.g. NA Field Service Team
  org_id INTEGER NOT NULL REFERENCES org(id)
);
CREATE TABLE team_member (
  team_id INTEGER NOT NULL REFERENCES team(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;

CREATE TABLE post (
  id             INTEGER PRIMARY KEY,
  wo_number      INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  parent_id      INTEGER REFERENCES post(id) ON DELETE CASCADE,   -- a comment's post
  author_user_id INTEGER REFERENCES users(id),                    -- NULL: the system
  author_label   TEXT NOT NULL,                                   -- "Megan's Dispatch Service (Partner)"
  body           TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  activity_at    INTEGER NOT NULL                                 -- last comment or like
);
CREATE INDEX post_feed ON post(wo_number, parent_id, activity_at);
CREATE INDEX post_comments ON post(parent_id, created_at);

CREATE TABLE post_like (
  post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, user_id)
) WITHOUT ROWID;

CREATE TABLE post_view (
  post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, user_id)
) WITHOUT ROWID;

CREATE TABLE mention (
  post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
  team_id INTEGER REFERENCES team(id) ON DELETE CASCADE
);
CREATE INDEX mention_post ON mention(post_id);

ALTER TABLE file ADD COLUMN post_id INTEGER REFERENCES post(id) ON DELETE SET NULL;

CREATE TABLE follow (
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  wo_number INTEGER NOT NULL REFERENCES wo(number) ON DELETE CASCADE,
  PRIMARY KEY (user_id, wo_number)
) WITHOUT ROWID;
CREATE INDEX follow_wo ON follow(wo_number);

CREATE TABLE notification (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  wo_number  INTEGER REFERENCES wo(number) ON DELETE CASCADE,
  post_id    INTEGER REFERENCES post(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,     -- mention, reply, post, status, assignment
  text       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notification_user ON notification(user_id, read_at, created_at);

ALTER TABLE users ADD COLUMN email_notifications INTEGER NOT NULL DEFAULT 1;

CREATE TABLE email_outbox (
  id         INTEGER PRIMARY KEY,
  to_addr    TEXT NOT NULL,
  subject    TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at    INTEGER NOT NULL DEFAULT 0,
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX email_pending ON email_outbox(sent_at, attempts);

-- the operator's team the guide tags: @"NA Field Service Team"
INSERT INTO team(name, org_id) SELECT 'NA Field Service Team', id FROM org WHERE kind = 'operator' ORDER BY id LIMIT 1;
