/* page.h -- what every page handler shares: the request context, the
 * view-model helpers, form access, the caller's scope, redirects and
 * refusals.  The dispatcher (app.c) fills a context, the route's handler
 * fills its view-model and returns an HTTP status; app.c renders it.
 * Page handlers call the domain modules and never the database. */
#ifndef FW_PAGE_H
#define FW_PAGE_H

#include <jansson.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "files.h"
#include "http.h"
#include "tz.h"
#include "user.h"
#include "wo.h"

#define PAGE_MAX_PARAMS 3
#define PAGE_ROWSETS 6          /* tables of a view-model held outside jansson */

/* The web side's settings, made at start (main.c) and read by pages. */
struct app_config {
	const char *brand;        /* operator's name shown in the portal */
	int secure_cookies;       /* add Secure to cookies (behind HTTPS) */
	const char *base_url;     /* links in mail and feeds; NULL: from the Host header */
	int readonly;             /* the database cannot be written: refuse changes with 503 */
	const char *tiles;        /* a map tile server ("https://HOST/{z}/{x}/{y}.png"); NULL: a link only */
};

struct ctx {
	struct req *r;
	db_t *db;
	const struct app_config *cfg;
	int api;                 /* under /api/: answer the view-model as JSON */
	const char *path;        /* the path without /api */
	int authed;
	int bearer;              /* authenticated by an API token (no cookie, no CSRF) */
	int token_write;         /* ... which may write */
	int64_t token_id;
	int created;             /* the POST made a resource: the API answers 201 */
	int reading;             /* in a read transaction (db_read_begin), ended after the answer */
	const char *method;      /* the method routed ("GET" when the API follows a redirect) */
	char segbuf[520];        /* the route's text captures */
	struct user u;
	char csrf[AUTH_TOKEN_LEN];
	const struct tz *z;
	/* the route's captures: {n} and {id} as numbers, anything else as text */
	int64_t id[PAGE_MAX_PARAMS];
	const char *seg[PAGE_MAX_PARAMS];
	const char *arg;         /* the route's own argument (a tab, an action) */
	json_t *vm;              /* the view-model: the page's JSON and its template's data */
	/* ... and its tables held outside it (page_rows) */
	struct rowset rowsets[PAGE_ROWSETS];
	struct rowset_named named[PAGE_ROWSETS];
	int nrowsets;
	const char *tmpl;
	const char *title;
	const char *tab;
	char location[1024];
	char err[512];
	const char *raw_ctype;   /* a file answer: these bytes as they are */
	char *raw;               /* malloc'd; the dispatcher hands it to the server */
	size_t raw_len;
};

/* The 403 of what is not a technician's (the route table, the tabs). */
#define PAGE_DENY_TECH "A technician records the site visit times and adds photos; this is the dispatcher's."

/* A handler: fills C and returns the HTTP status (303 sends c->location). */
typedef int (*page_fn)(struct ctx *c);

/* Sets the message of an error page and returns STATUS. */
int page_fail(struct ctx *c, int status, const char *msg);
/* Sets a 303 to LOC and returns 303. */
int page_redirect(struct ctx *c, const char *loc);
/* View-model setters: SET takes V over; STR copies (NULL is ""). */
void page_set(struct ctx *c, const char *k, json_t *v);
void page_str(struct ctx *c, const char *k, const char *v);
/* Sets key K of O to text V without jansson's UTF-8 checks: K a literal,
 * V a literal or text already checked (the database's, a URL this server
 * built).  A page's fixed parts are many of these.  Can't fail. */
void page_lit(json_t *o, const char *k, const char *v);
/* A table of the view-model, shown under key K (a literal) as an array of
 * objects would be: many rows without an object each (rowset.h).  It is
 * the caller's to fill (rowset_init first); it lives as the request does.
 * A page has at most PAGE_ROWSETS: asking for more is a broken invariant
 * (abort). */
struct rowset *page_rows(struct ctx *c, const char *k);
/* A form field, "" when absent. */
const char *page_form(struct ctx *c, const char *k);
/* A form field copied into OUT, trimmed. */
void page_form_trim(struct ctx *c, const char *k, char *out, size_t n);
/* Every posted field but csrf, as an object the caller owns. */
json_t *page_posted(struct ctx *c);
/* The posted files as the domain takes them: fills OUT (room for
 * HTTP_MAX_UPLOADS) and returns how many.  They live as the request does. */
size_t page_uploads(struct ctx *c, struct files_upload *out);
/* The form's files: the ones sent now (OUT[0..]) and the ones held from
 * a refused try that the form lists as "held" (loaded into HELD, which
 * the caller frees with files_held_free and drops with files_held_drop
 * once the form went through).  Returns how many, at most
 * HTTP_MAX_UPLOADS; -1 on a database error. */
long page_uploads_held(struct ctx *c, struct files_upload *out, struct files_held *held);
/* A refused form's files, held for the retry: the view-model's "held"
 * lists KEPT (held before, may be NULL) and the files sent now, which it
 * holds (the form offers each again, ticked).  This function can't fail:
 * on a database error the new ones are not listed. */
void page_hold(struct ctx *c, const struct files_held *kept);
/* [{value, selected}] of LIST; the caller owns it. */
json_t *page_string_list(const char *const *list, size_t n, const char *selected);

/* 1 when the request is a POST.  This function can't fail. */
int page_is_post(struct ctx *c);

/* The work orders the user reaches (wo_scope_of).  0, or -1 when none. */
int page_scope(struct ctx *c, struct wo_scope *sc);
/* 1 when the user may see work order N (callers answer 404 otherwise). */
int page_can_see(struct ctx *c, int64_t n);

/* Sets a cookie (HttpOnly, SameSite=Lax, Secure when configured);
 * MAX_AGE < 0 makes it a session cookie. */
void page_set_cookie(struct ctx *c, const char *name, const char *value, long max_age);
/* 1 when NEXT is a path of this site that login may send the user to. */
int page_safe_next(const char *next);
/* An absolute link to PATH for mail and feeds: the configured base URL,
 * else the request's Host.  This function can't fail. */
void page_link(struct ctx *c, const char *path, char *out, size_t n);

#endif
