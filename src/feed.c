/* feed.c -- see feed.h. */
#include "feed.h"
#include "hook.h"
#include "files.h"
#include "notify.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MENTIONS 20

void
feed_label(const struct user *u, char *out, size_t n)
{
	snprintf(out, n, "%s (%s)", u->org_name, user_is_operator(u) ? "Operator" : "Partner");
}

/* Everyone U may tag on NUMBER: the work order's Customer Service
 * Executive, the operator's teams, the owning company's people, and for
 * an operator the other operators. */
#define TAGGABLE_SQL \
	"SELECT 'person', u.id, u.name, u.email FROM users u WHERE u.disabled = 0 AND (" \
	" u.id = (SELECT cse_user_id FROM wo WHERE number = ?1)" \
	" OR u.org_id = (SELECT owner_org_id FROM wo WHERE number = ?1)" \
	" OR (?2 = 1 AND u.role = 'operator'))" \
	" UNION ALL SELECT 'team', t.id, t.name, '' FROM team t"

static int
squash_eq(const char *a, const char *b)
{
	/* "JonathanDavidRajan" matches "Jonathan David Rajan" */
	while (*a && *b) {
		if (*b == ' ') {
			b++;
			continue;
		}
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
	while (*b == ' ')
		b++;
	return !*a && !*b;
}

struct mention { char kind[8]; int64_t id; char name[128]; };

/* The next @mention in BODY from P on: @"Two Words" or @word (not an
 * email address).  1 with the name in NAME (K bytes), the token's first
 * byte in *AT and the byte after it in *END; 0 when there is none.  One
 * rule for the posts that are checked and for the posts that are shown. */
static int
next_mention(const char *body, const char *p, char *name, size_t *k, const char **at, const char **end)
{
	for (; (p = strchr(p, '@')); p++) {
		if (p > body && (isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '_'))
			continue;   /* an email address, not a mention */
		size_t n = 0;
		if (p[1] == '"') {
			const char *e = strchr(p + 2, '"');
			if (!e)
				continue;
			n = (size_t)(e - (p + 2));
			if (n == 0 || n >= 128)
				continue;
			memcpy(name, p + 2, n);
			*end = e + 1;
		} else {
			const char *q = p + 1;
			while ((isalnum((unsigned char)*q) || *q == '.' || *q == '-' || *q == '\'' || *q == '_' ||
			    (unsigned char)*q >= 0x80) && n + 1 < 128)
				name[n++] = *q++;
			while (n && (name[n - 1] == '.' || name[n - 1] == '-'))
				n--;
			if (n == 0)
				continue;
			*end = p + 1 + n;
		}
		name[n] = '\0';
		*k = n;
		*at = p;
		return 1;
	}
	return 0;
}

/* Finds the mentions in BODY.  Returns their count, or -1 with MSG when
 * one names nobody taggable. */
static int
parse_mentions(db_t *db, const struct user *u, int64_t number, const char *body, struct mention *out,
    char *msg, size_t ml)
{
	int n = 0;
	char name[128];
	size_t k;
	const char *at, *end;
	for (const char *p = body; next_mention(body, p, name, &k, &at, &end); p = end) {
		int quoted = at[1] == '"';
		db_stmt *s = db_prep(db, TAGGABLE_SQL);
		if (!s)
			return -1;
		db_bind_int(s, 1, number);
		db_bind_int(s, 2, user_is_operator(u));
		int found = 0;
		while (db_step(s) == DB_ROW) {
			const char *nm = db_col_text(s, 2), *email = db_col_text(s, 3);
			const char *ea = strchr(email, '@');
			int local = ea && !quoted && (size_t)(ea - email) == k && !strncasecmp(email, name, k);
			if (!strcasecmp(nm, name) || (!quoted && squash_eq(name, nm)) || local) {
				if (n < MAX_MENTIONS) {
					str_copy(out[n].kind, db_col_text(s, 0), sizeof(out[n].kind));
					out[n].id = db_col_int(s, 1);
					str_copy(out[n].name, nm, sizeof(out[n].name));
					n++;
				}
				found = 1;
				break;
			}
		}
		db_done(s);
		if (!found) {
			snprintf(msg, ml, "\"%s\" cannot be tagged on this work order: tag its Customer Service Executive,"
			    " an operator team such as @\"NA Field Service Team\", or people of the company it is assigned to.",
			    name);
			return -1;
		}
	}
	return n;
}

json_t *
feed_taggable(db_t *db, const struct user *u, int64_t number, const char *q)
{
	db_stmt *s = db_prep(db, TAGGABLE_SQL);
	json_t *a = json_array();
	if (!s)
		return a;
	db_bind_int(s, 1, number);
	db_bind_int(s, 2, user_is_operator(u));
	size_t qn = q ? strlen(q) : 0;
	while (db_step(s) == DB_ROW && json_array_size(a) < 20) {
		const char *name = db_col_text(s, 2);
		if (qn) {
			/* case-insensitive substring */
			int hit = 0;
			for (const char *p = name; *p && !hit; p++)
				hit = !strncasecmp(p, q, qn);
			if (!hit)
				continue;
		}
		json_t *o = json_object();
		char ins[160];
		snprintf(ins, sizeof(ins), "@\"%s\"", name);
		json_object_set_new(o, "name", json_string(name));
		json_object_set_new(o, "kind", json_string(db_col_text(s, 0)));
		json_object_set_new(o, "insert", json_string(ins));
		json_array_append_new(a, o);
	}
	db_done(s);
	return a;
}

static int
notify_mentions(db_t *db, const struct user *u, int64_t number, int64_t post_id, struct mention *m, int n)
{
	char text[300];
	snprintf(text, sizeof(text), "%s mentioned you on Work Order %lld", u->name, (long long)number);
	for (int i = 0; i < n; i++) {
		db_stmt *s = db_prep(db, "INSERT INTO mention(post_id, user_id, team_id) VALUES (?1, ?2, ?3)");
		if (!s)
			return -1;
		db_bind_int(s, 1, post_id);
		if (!strcmp(m[i].kind, "team"))
			db_bind_int(s, 3, m[i].id);
		else
			db_bind_int(s, 2, m[i].id);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			return -1;
		if (!strcmp(m[i].kind, "person")) {
			if (m[i].id != u->id && notify_user(db, m[i].id, number, post_id, "mention", text))
				return -1;
			continue;
		}
		/* a team: every member at once */
		int64_t ids[256];
		size_t k = 0;
		s = db_prep(db, "SELECT user_id FROM team_member WHERE team_id = ?1");
		if (!s)
			return -1;
		db_bind_int(s, 1, m[i].id);
		while (db_step(s) == DB_ROW && k < FW_ARRAY_LEN(ids))
			ids[k++] = db_col_int(s, 0);
		db_done(s);
		char ttext[360];
		snprintf(ttext, sizeof(ttext), "%s mentioned %s on Work Order %lld", u->name, m[i].name, (long long)number);
		for (size_t j = 0; j < k; j++)
			if (ids[j] != u->id && notify_user(db, ids[j], number, post_id, "mention", ttext))
				return -1;
	}
	return 0;
}

int
feed_add(db_t *db, const struct user *u, int64_t number, int64_t parent, const char *body,
    const struct files_upload *uploads, size_t nup, int64_t *id, char *msg, size_t ml)
{
	if (utf8_chars(body) > FEED_BODY_MAX) {
		snprintf(msg, ml, "%s is limited to 10,000 characters.", parent ? "A comment" : "An update");
		return FEED_BAD;
	}
	if (str_is_blank(body) && !nup) {
		snprintf(msg, ml, parent ? "Write a comment first." : "Share an update: write something or attach a file.");
		return FEED_BAD;
	}
	if (db_begin(db)) {
		snprintf(msg, ml, "The database is busy; try again.");
		return FEED_ERROR;
	}
	int64_t parent_author = 0;
	if (parent) {
		db_stmt *s = db_prep(db, "SELECT COALESCE(author_user_id, 0) FROM post WHERE id = ?1 AND wo_number = ?2"
		    " AND parent_id IS NULL");
		if (!s)
			goto fail;
		db_bind_int(s, 1, parent);
		db_bind_int(s, 2, number);
		int rc = db_step(s);
		parent_author = rc == DB_ROW ? db_col_int(s, 0) : -1;
		db_done(s);
		if (parent_author < 0) {
			db_rollback(db);
			snprintf(msg, ml, "That post is not on this work order.");
			return FEED_NOT_FOUND;
		}
	}
	struct mention m[MAX_MENTIONS];
	int nm = parse_mentions(db, u, number, body, m, msg, ml);
	if (nm < 0) {
		db_rollback(db);
		return msg[0] ? FEED_BAD : FEED_ERROR;
	}
	char label[200];
	feed_label(u, label, sizeof(label));
	int64_t now = now_utc();
	db_stmt *s = db_prep(db, "INSERT INTO post(wo_number, parent_id, author_user_id, author_label, body, created_at,"
	    " activity_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
	if (!s)
		goto fail;
	db_bind_int(s, 1, number);
	if (parent)
		db_bind_int(s, 2, parent);
	db_bind_int(s, 3, u->id);
	db_bind_text(s, 4, label);
	db_bind_text(s, 5, body);
	db_bind_int(s, 6, now);
	if (db_step(s) != DB_DONE) {
		db_done(s);
		goto fail;
	}
	db_done(s);
	*id = db_last_id(db);
	if (parent) {
		s = db_prep(db, "UPDATE post SET activity_at = ?2 WHERE id = ?1");
		db_bind_int(s, 1, parent);
		db_bind_int(s, 2, now);
		db_step(s);
		db_done(s);
	}
	for (size_t i = 0; i < nup; i++) {
		int64_t fid;
		int rc = files_add(db, u, number, uploads[i].name, uploads[i].data, uploads[i].len, *id, &fid, msg, ml);
		if (rc != FILES_OK) {
			db_rollback(db);
			return rc == FILES_BAD ? FEED_BAD : FEED_ERROR;
		}
	}
	char text[300];
	if (notify_mentions(db, u, number, *id, m, nm))
		goto fail;
	if (parent && parent_author && parent_author != u->id) {
		snprintf(text, sizeof(text), "%s replied to your post on Work Order %lld", u->name, (long long)number);
		if (notify_user(db, parent_author, number, *id, "reply", text))
			goto fail;
	}
	snprintf(text, sizeof(text), "%s %s on Work Order %lld", u->name, parent ? "commented" : "posted", (long long)number);
	if (notify_followers(db, number, u->id, *id, "post", text))
		goto fail;
	json_t *d = json_pack("{s:I, s:o, s:s, s:s, s:s, s:I}", "post_id", (json_int_t)*id, "parent_id",
	    parent ? json_integer(parent) : json_null(), "author", u->name, "author_label", label, "body", body,
	    "attachments", (json_int_t)nup);
	if (hook_emit(db, "post.added", number, d) || db_commit(db))
		goto fail;
	return FEED_OK;
fail:
	db_rollback(db);
	snprintf(msg, ml, "The update could not be saved; nothing was posted.");
	return FEED_ERROR;
}

int
feed_like(db_t *db, const struct user *u, int64_t number, int64_t id)
{
	db_stmt *s = db_prep(db, "SELECT 1 FROM post WHERE id = ?1 AND wo_number = ?2");
	if (!s)
		return FEED_ERROR;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, number);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? FEED_NOT_FOUND : FEED_ERROR;
	s = db_prep(db, "INSERT INTO post_like(post_id, user_id) VALUES (?1, ?2)");
	if (!s)
		return FEED_ERROR;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, u->id);
	rc = db_step(s);
	db_done(s);
	if (rc == DB_CONSTRAINT) {   /* liked already: unlike */
		s = db_prep(db, "DELETE FROM post_like WHERE post_id = ?1 AND user_id = ?2");
		if (!s)
			return FEED_ERROR;
		db_bind_int(s, 1, id);
		db_bind_int(s, 2, u->id);
		rc = db_step(s);
		db_done(s);
	}
	return rc == DB_DONE ? FEED_OK : FEED_ERROR;
}

static int
system_post(db_t *db, int64_t number, const char *label, const char *body, int64_t actor, int64_t *post_id,
    int routine)
{
	int64_t now = now_utc();
	db_stmt *s = db_prep(db, "INSERT INTO post(wo_number, author_label, body, created_at, activity_at, routine)"
	    " VALUES (?1, ?2, ?3, ?4, ?4, ?5)");
	if (!s)
		return -1;
	db_bind_int(s, 1, number);
	db_bind_text(s, 2, label);
	db_bind_text(s, 3, body);
	db_bind_int(s, 4, now);
	db_bind_int(s, 5, routine);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return -1;
	int64_t id = db_last_id(db);
	if (post_id)
		*post_id = id;
	char text[400];
	snprintf(text, sizeof(text), "Work Order %lld: %.300s", (long long)number, body);
	char *nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	return notify_followers(db, number, actor, id, "status", text);
}

int
feed_system(db_t *db, int64_t number, const char *label, const char *body, int64_t actor, int64_t *post_id)
{
	return system_post(db, number, label, body, actor, post_id, 0);
}

int
feed_status(db_t *db, int64_t number, const char *label, const char *body, int64_t actor, int64_t *post_id)
{
	return system_post(db, number, label, body, actor, post_id, 1);
}

static json_t *
attachments(db_t *db, int64_t post_id)
{
	db_stmt *s = db_prep(db, "SELECT id, title, size, mime FROM file WHERE post_id = ?1 ORDER BY id");
	json_t *a = json_array();
	if (!s)
		return a;
	db_bind_int(s, 1, post_id);
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "title", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "bytes", json_integer(db_col_int(s, 2)));
		json_object_set_new(o, "is_image", json_boolean(!strncmp(db_col_text(s, 3), "image/", 6)));
		json_array_append_new(a, o);
	}
	db_done(s);
	return a;
}

/* BODY as parts [{text, mention}] so that the page can mark the mentions
 * (a post's mentions were all checked when it was shared; a post by the
 * portal has none).  This function can't fail. */
static json_t *
body_parts(const char *body, int system)
{
	json_t *a = json_array();
	char name[128];
	size_t k;
	const char *at, *end, *p = body;
	while (!system && next_mention(body, p, name, &k, &at, &end)) {
		if (!utf8_valid(p, (size_t)(end - p)))
			break;   /* a long name cut inside a character: the rest as text */
		json_t *t = json_object(), *m = json_object();
		json_object_set_new(t, "text", json_stringn(p, (size_t)(at - p)));
		json_object_set_new(t, "mention", json_false());
		json_object_set_new(m, "text", json_stringn(at, (size_t)(end - at)));
		json_object_set_new(m, "mention", json_true());
		json_array_append_new(a, t);
		json_array_append_new(a, m);
		p = end;
	}
	json_t *t = json_object();
	json_object_set_new(t, "text", json_string(p));
	json_object_set_new(t, "mention", json_false());
	json_array_append_new(a, t);
	return a;
}

static json_t *
post_json(db_t *db, db_stmt *s, const struct user *viewer, const struct tz *z)
{
	json_t *o = json_object();
	char when[32];
	int64_t id = db_col_int(s, 0);
	tz_fmt_datetime(z, db_col_int(s, 4), when);
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "author_label", json_string(db_col_text(s, 1)));
	json_object_set_new(o, "author_name", json_string(db_col_text(s, 2)));
	json_object_set_new(o, "system", json_boolean(db_col_int(s, 6) == 0));
	json_object_set_new(o, "routine", json_boolean(db_col_int(s, 7)));
	json_object_set_new(o, "body", json_string(db_col_text(s, 3)));
	json_object_set_new(o, "body_parts", body_parts(db_col_text(s, 3), db_col_int(s, 6) == 0));
	json_object_set_new(o, "created_local", json_string(when));
	json_object_set_new(o, "attachments", attachments(db, id));
	(void)viewer;
	return o;
}

json_t *
feed_list(db_t *db, const struct user *viewer, int64_t number, const char *sort, const char *q, int64_t before,
    int limit, const struct tz *z)
{
	char like[FEED_BODY_MAX + 8] = "";
	if (q && *q)
		str_like(q, 1, like, sizeof(like));
	int latest = sort && !strcmp(sort, "latest");
	db_stmt *s = db_prep(db, latest
	    ? "SELECT p.id, p.author_label, COALESCE(u.name, ''), p.body, p.created_at, p.activity_at,"
	      " COALESCE(p.author_user_id, 0), p.routine FROM post p LEFT JOIN users u ON u.id = p.author_user_id"
	      " WHERE p.wo_number = ?1 AND p.parent_id IS NULL AND (?2 = '' OR p.body LIKE ?2 ESCAPE '\\'"
	      " OR EXISTS (SELECT 1 FROM post c WHERE c.parent_id = p.id AND c.body LIKE ?2 ESCAPE '\\'))"
	      " AND (?3 = 0 OR (p.created_at, p.id) < (SELECT b.created_at, b.id FROM post b WHERE b.id = ?3))"
	      " ORDER BY p.created_at DESC, p.id DESC LIMIT ?4"
	    : "SELECT p.id, p.author_label, COALESCE(u.name, ''), p.body, p.created_at, p.activity_at,"
	      " COALESCE(p.author_user_id, 0), p.routine FROM post p LEFT JOIN users u ON u.id = p.author_user_id"
	      " WHERE p.wo_number = ?1 AND p.parent_id IS NULL AND (?2 = '' OR p.body LIKE ?2 ESCAPE '\\'"
	      " OR EXISTS (SELECT 1 FROM post c WHERE c.parent_id = p.id AND c.body LIKE ?2 ESCAPE '\\'))"
	      " AND (?3 = 0 OR (p.activity_at, p.id) < (SELECT b.activity_at, b.id FROM post b WHERE b.id = ?3))"
	      " ORDER BY p.activity_at DESC, p.id DESC LIMIT ?4");
	if (!s)
		return NULL;
	db_bind_int(s, 1, number);
	db_bind_text(s, 2, like);
	db_bind_int(s, 3, before);
	db_bind_int(s, 4, limit);
	json_t *posts = json_array();
	while (db_step(s) == DB_ROW)
		json_array_append_new(posts, post_json(db, s, viewer, z));
	db_done(s);
	size_t i;
	json_t *p;
	json_array_foreach(posts, i, p) {
		int64_t id = json_integer_value(json_object_get(p, "id"));
		/* the view is written beside the page's snapshot (db_side), so
		 * this page counts it itself when it is the viewer's first */
		db_stmt *c = db_prep(db, "SELECT (SELECT count(*) FROM post_like WHERE post_id = ?1),"
		    " (SELECT count(*) FROM post_like WHERE post_id = ?1 AND user_id = ?2),"
		    " (SELECT count(*) FROM post_view WHERE post_id = ?1),"
		    " EXISTS (SELECT 1 FROM post_view WHERE post_id = ?1 AND user_id = ?2)");
		int first = 0;
		if (c) {
			db_bind_int(c, 1, id);
			db_bind_int(c, 2, viewer->id);
			if (db_step(c) == DB_ROW) {
				first = !db_col_int(c, 3);
				int64_t views = db_col_int(c, 2) + first;
				char vl[32];
				snprintf(vl, sizeof(vl), "%lld view%s", (long long)views, views == 1 ? "" : "s");
				json_object_set_new(p, "likes", json_integer(db_col_int(c, 0)));
				json_object_set_new(p, "liked", json_boolean(db_col_int(c, 1)));
				json_object_set_new(p, "views", json_integer(views));
				json_object_set_new(p, "views_label", json_string(vl));
			}
			db_done(c);
		}
		db_stmt *v = first ? db_prep(db_side(db), "INSERT INTO post_view(post_id, user_id) VALUES (?1, ?2)"
		    " ON CONFLICT DO NOTHING") : NULL;   /* both stores' spelling of INSERT OR IGNORE */
		if (v) {
			db_bind_int(v, 1, id);
			db_bind_int(v, 2, viewer->id);
			db_step(v);
			db_done(v);
		}
		db_stmt *cm = db_prep(db, "SELECT p.id, p.author_label, COALESCE(u.name, ''), p.body, p.created_at,"
		    " p.activity_at, COALESCE(p.author_user_id, 0), p.routine FROM post p LEFT JOIN users u ON u.id = p.author_user_id"
		    " WHERE p.parent_id = ?1 ORDER BY p.created_at, p.id LIMIT 500");
		json_t *comments = json_array();
		if (cm) {
			db_bind_int(cm, 1, id);
			while (db_step(cm) == DB_ROW)
				json_array_append_new(comments, post_json(db, cm, viewer, z));
			db_done(cm);
		}
		json_object_set_new(p, "comments", comments);
	}
	return posts;
}
