/* api.c -- see api.h.  Domain: token.c. */
#include "api.h"
#include "token.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------- the rate per token ---------- */

/* A fixed one-minute window per token, per node: a small table of slots
 * (a token hashes to one; a collision shares a budget, never frees one). */
#define RATE_SLOTS 1024
static struct { int64_t token, window; int count; } slots[RATE_SLOTS];
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;
static int rate_per_minute = 600;

void
api_set_rate(int per_minute)
{
	rate_per_minute = per_minute;
}

/* 0 when token ID may make another request now, else the seconds to wait. */
static int
rate_wait(int64_t id)
{
	int64_t now = now_utc(), window = now / 60;
	int wait = 0;
	pthread_mutex_lock(&rate_lock);
	size_t i = (size_t)((uint64_t)id * 2654435761u % RATE_SLOTS);
	if (slots[i].token != id || slots[i].window != window) {
		slots[i].token = id;
		slots[i].window = window;
		slots[i].count = 0;
	}
	if (slots[i].count >= rate_per_minute)
		wait = (int)(60 - now % 60);
	else
		slots[i].count++;
	pthread_mutex_unlock(&rate_lock);
	return wait;
}

int
api_bearer(struct ctx *c, const char *authz)
{
	const char *t = authz + 7;   /* after "Bearer " */
	while (*t == ' ')
		t++;
	if (!c->api) {
		http_add_header(c->r, "WWW-Authenticate", "Bearer");
		return page_fail(c, 401, "API tokens work on /api/ addresses only.");
	}
	struct token_info ti;
	int rc = token_check(c->db, t, &c->u, &ti);
	if (rc < 0)
		return page_fail(c, 503, "The database is busy; try again.");
	if (rc > 0) {
		http_add_header(c->r, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
		return page_fail(c, 401, "This token is not valid: unknown, revoked or expired.");
	}
	int wait = rate_wait(ti.id);
	if (wait) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%d", wait);
		http_add_header(c->r, "Retry-After", ra);
		return page_fail(c, 429, "Too many requests with this token; wait and try again.");
	}
	c->authed = c->bearer = 1;
	c->token_write = ti.can_write;
	c->token_id = ti.id;
	if (!strcmp(c->r->method, "POST") && !c->token_write)
		return page_fail(c, 403, "This token may only read; make a token with the write scope to change things.");
	return 0;
}

/* ---------- writes ---------- */

/* The path the redirect names, its query dropped, into PATH; and when the
 * write made something, its API address into LOC ("" otherwise).  Can't
 * fail (cuts at the buffers). */
static void
made_at(const struct ctx *c, char *path, size_t pn, char *loc, size_t ln)
{
	str_copy(path, c->location, pn);
	path[strcspn(path, "?#")] = '\0';
	loc[0] = '\0';
	if (c->created)
		snprintf(loc, ln, "/api%s", path);
}

/* After a successful write the API answers with what the redirect names:
 * the path of C's location (its query dropped) routed as a GET. */
static int
follow(struct ctx *c, api_router router)
{
	char path[sizeof(c->location)], loc[sizeof(c->location) + 8];
	made_at(c, path, sizeof(path), loc, sizeof(loc));
	if (*loc)
		http_add_header(c->r, "Location", loc);
	json_decref(c->vm);
	c->vm = json_object();
	c->tmpl = NULL;
	c->err[0] = '\0';
	c->path = pool_strdup(&c->r->pool, path);
	c->method = "GET";
	/* read as a page is: one snapshot, not one per statement (each of
	 * which would find the write just made and reload its cache) */
	if (!c->reading)
		c->reading = db_read_begin(c->db) == 0;
	int st = router(c);
	return st == 200 && c->created ? 201 : st;
}

int
api_post(struct ctx *c, api_router router)
{
	int st = router(c);
	if (c->api && st == 303)
		st = follow(c, router);
	else if (c->api && st == 200 && c->created)
		st = 201;   /* made, and answered with itself (a token, an endpoint's secret) */
	return st;
}

/* ---------- Idempotency-Key ---------- */

int
api_idem_claim(struct ctx *c, const char *key)
{
	size_t n = strlen(key);
	if (!n || n > TOKEN_IDEM_KEY_MAX || strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:")
	    != n)
		return page_fail(c, 400, "An Idempotency-Key is 1 to 200 letters, digits and - _ . : (a UUID will do).");
	char request[600], msg[300] = "";
	snprintf(request, sizeof(request), "POST %.580s", c->r->url);
	int status = 0;
	char *body = NULL, loc[sizeof(c->location) + 8];
	int rc = token_idem_claim(c->db, c->u.id, key, request, &status, &body, loc, sizeof(loc), msg, sizeof(msg));
	if (rc == TOKEN_OK)
		return 0;
	if (rc == TOKEN_IDEM_REPLAY) {
		c->raw = body;
		c->raw_len = strlen(body);
		c->raw_ctype = "application/json";
		c->api = 1;
		http_add_header(c->r, "Idempotent-Replayed", "true");
		if (*loc)
			http_add_header(c->r, "Location", loc);
		return status;
	}
	if (rc == TOKEN_BAD)
		return page_fail(c, 409, msg);
	return page_fail(c, 503, "The database is busy; try again.");
}

void
api_idem_store(struct ctx *c, const char *key, int status)
{
	struct req *r = c->r;
	char path[sizeof(c->location)], loc[sizeof(c->location) + 8];
	made_at(c, path, sizeof(path), loc, sizeof(loc));
	token_idem_done(c->db, c->u.id, key, status >= 500 ? 0 : r->status, r->resp, r->resp ? r->resp_len : 0,
	    r->status < 300 ? loc : NULL);
}
