-- One notification per person per event: before a notification about a
-- post is written, the notify module asks whether that person already has
-- one about the same post (a person mentioned twice, in two teams, or
-- mentioned and following).
CREATE INDEX notification_post ON notification(post_id, user_id) WHERE post_id IS NOT NULL;
