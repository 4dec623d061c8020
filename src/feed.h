/* feed.h -- the Collaborate tab of a work order: posts, comments, likes,
 * views, @mentions of people and teams, attachments, and the system posts
 * the portal writes (status changes, assignments).  Only the operator and
 * the owning partner reach a feed; callers check the work order first.
 * Owns the post, post_like, post_view, mention and team tables. */
#ifndef FW_FEED_H
#define FW_FEED_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "files.h"
#include "tz.h"
#include "user.h"

#define FEED_BODY_MAX 10000

enum { FEED_OK = 0, FEED_NOT_FOUND = 1, FEED_BAD = 2, FEED_ERROR = -1 };

/* The feed of NUMBER as VIEWER sees it; records a view of each post.
 * SORT is "activity" (Most Recent Activity) or "latest"; Q filters
 * posts and comments by text; at most LIMIT posts after post BEFORE in
 * that order (0: from the start).  NULL on error. */
json_t *feed_list(db_t *db, const struct user *viewer, int64_t number, const char *sort, const char *q,
    int64_t before, int limit, const struct tz *z);

/* Shares an update (PARENT 0) or a comment on post PARENT, with files
 * UPLOADS[0..N).  Mentions (@"Name", or @name for one word) must be
 * people or teams U may tag on this work order.  FEED_OK with *ID, or
 * FEED_BAD / FEED_NOT_FOUND with MSG. */
int feed_add(db_t *db, const struct user *u, int64_t number, int64_t parent, const char *body,
    const struct files_upload *uploads, size_t n, int64_t *id, char *msg, size_t msglen);
/* Likes or unlikes post ID of NUMBER.  FEED_OK / FEED_NOT_FOUND. */
int feed_like(db_t *db, const struct user *u, int64_t number, int64_t id);
/* A post by the portal itself, from LABEL (e.g. the company), telling the
 * followers; its id into *POST_ID (may be NULL), so that whoever else the
 * caller tells about it is told once.  0 or -1.  Runs inside the caller's
 * transaction. */
int feed_system(db_t *db, int64_t number, const char *label, const char *body, int64_t actor_user_id,
    int64_t *post_id);

/* feed_system for a routine event (a status change): the same post and
 * notifications, shown collapsed among the others. */
int feed_status(db_t *db, int64_t number, const char *label, const char *body, int64_t actor_user_id,
    int64_t *post_id);

/* Whom U may tag on NUMBER whose name starts with (or contains) Q: an
 * array of {name, kind (person, team), insert (the text to insert)}. */
json_t *feed_taggable(db_t *db, const struct user *u, int64_t number, const char *q);

/* The label a post shows for U: "Megan's Dispatch Service (Partner)". */
void feed_label(const struct user *u, char *out, size_t n);

#endif
