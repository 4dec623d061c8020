/* app.c -- see app.h.
 *
 * Every page handler fills one view-model (a jansson object) and names a
 * template.  The same view-model is the JSON answer under /api/, so each
 * page has its API twin.  Handlers return the HTTP status; 303 sends
 * c->location.  Input is checked where it arrives and every refusal says
 * what is wrong. */
#include "app.h"
#include "pool.h"
#include "auth.h"
#include "db.h"
#include "dash.h"
#include "embed.h"
#include "export.h"
#include "jsonw.h"
#include "feed.h"
#include "files.h"
#include "library.h"
#include "lifecycle.h"
#include "report.h"
#include "notify.h"
#include "status.h"
#include "tech.h"
#include "tmpl.h"
#include "tz.h"
#include "user.h"
#include "wo.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_CAP (8u << 20)
#define DEFAULT_TZ "America/Chicago"

struct ctx {
	struct req *r;
	db_t *db;
	int api;
	const char *path;
	int authed;
	struct user u;
	char csrf[AUTH_TOKEN_LEN];
	const struct tz *z;
	json_t *vm;
	const char *tmpl;
	const char *title;
	const char *tab;
	char location[1024];
	char err[512];
	const char *raw_ctype;   /* a file answer: these bytes as they are */
	char *raw;               /* malloc'd; respond() hands it to the server */
	size_t raw_len;
};

struct asset {
	char url[96];
	const char *data;
	size_t len;
	const char *ctype;
	char etag[24];
};

static const struct app_config *cfg;
static struct asset assets[32];
static size_t nassets;
static char asset_version[17];

/* ---------- helpers ---------- */

static int
fail_msg(struct ctx *c, int status, const char *msg)
{
	str_copy(c->err, msg, sizeof(c->err));
	return status;
}

static int
redirect(struct ctx *c, const char *loc)
{
	str_copy(c->location, loc, sizeof(c->location));
	return 303;
}

static void
vm_set(struct ctx *c, const char *k, json_t *v)
{
	json_object_set_new(c->vm, k, v);
}

static void
vm_str(struct ctx *c, const char *k, const char *v)
{
	json_object_set_new(c->vm, k, json_string(v ? v : ""));
}

static const char *
form(struct ctx *c, const char *k)
{
	const char *v = http_form(c->r, k);
	return v ? v : "";
}

/* Copies a form field, trimmed, into OUT. */
static void
form_trim(struct ctx *c, const char *k, char *out, size_t n)
{
	str_copy(out, form(c, k), n);
	char *t = str_trim(out);
	if (t != out)
		memmove(out, t, strlen(t) + 1);
}

static int
safe_next(const char *n)
{
	return n && n[0] == '/' && n[1] != '/' && n[1] != '\\' && strlen(n) < 512 && !strchr(n, '\r') && !strchr(n, '\n');
}

/* Splits "ID" or "ID/TAIL" (the rest of a path): returns the id, or -1
 * when it is not a number; *TAIL points past the slash, or to "". */
static int64_t
split_id(const char *rest, const char **tail)
{
	char id[24];
	const char *slash = strchr(rest, '/');
	size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
	*tail = slash ? slash + 1 : "";
	if (n == 0 || n >= sizeof(id))
		return -1;
	memcpy(id, rest, n);
	id[n] = '\0';
	return str_to_id(id, 12);
}

/* "ID/ACTION": as split_id, but an action is required. */
static int64_t
id_action(const char *rest, const char **action)
{
	int64_t id = split_id(rest, action);
	return **action ? id : -1;
}

static void
set_cookie(struct ctx *c, const char *name, const char *value, long max_age)
{
	char h[256];
	if (max_age >= 0)
		snprintf(h, sizeof(h), "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%ld%s", name, value, max_age,
		    cfg->secure_cookies ? "; Secure" : "");
	else
		snprintf(h, sizeof(h), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value,
		    cfg->secure_cookies ? "; Secure" : "");
	http_add_header(c->r, "Set-Cookie", h);
}

static int
need_login(struct ctx *c)
{
	if (c->authed)
		return 0;
	if (c->api)
		return fail_msg(c, 401, "Log in first.");
	buf_t uri, b;
	buf_init(&uri, 512);
	buf_init(&b, 1024);
	http_request_uri(c->r, &uri);
	buf_puts(&b, "/login?next=");
	buf_urlenc(&b, uri.overflow ? "/" : uri.data);
	int rc = redirect(c, b.overflow || uri.overflow ? "/login" : b.data);
	buf_free(&uri);
	buf_free(&b);
	return rc;
}

/* The work orders U reaches: the operator all, a partner its company's,
 * a technician those assigned to them.  0, or -1 when none. */
static int
scope(struct ctx *c, struct wo_scope *sc)
{
	if (wo_scope_for(&c->u, sc) == 0)
		return 0;
	if (strcmp(c->u.role, "technician"))
		return -1;
	int64_t t = tech_of_user(c->db, &c->u);
	if (!t)
		return -1;
	wo_scope_technician(&c->u, t, sc);
	return 0;
}

/* ---------- layout ---------- */

static void
add_layout(struct ctx *c)
{
	char title[256];
	snprintf(title, sizeof(title), "%s%s%s Partner Connect", c->title ? c->title : "", c->title ? " | " : "",
	    cfg->brand);
	vm_str(c, "title", title);
	vm_str(c, "brand", cfg->brand);
	vm_str(c, "csrf", c->csrf);
	vm_str(c, "asset_v", asset_version);
	if (!c->authed)
		return;
	json_t *u = json_object();
	json_object_set_new(u, "name", json_string(c->u.name));
	json_object_set_new(u, "email", json_string(c->u.email));
	json_object_set_new(u, "role", json_string(c->u.role));
	json_object_set_new(u, "role_label", json_string(user_role_label(c->u.role)));
	json_object_set_new(u, "company", json_string(c->u.org_name));
	json_object_set_new(u, "time_zone", json_string(tz_name(c->z)));
	vm_set(c, "user", u);
	char label[160], banner[256];
	tz_label(c->z, label, sizeof(label));
	snprintf(banner, sizeof(banner), "All times displayed in this partner portal page are in %s", label);
	vm_str(c, "banner", banner);
	static const struct { const char *key, *label, *href; } tabs[] = {
		{ "home", "Home", "/" },
		{ "work-orders", "Work Orders", "/work-orders" },
		{ "technicians", "Field Technician Management", "/technicians" },
		{ "dashboard", "Dashboard", "/dashboard" },
		{ "library", "Library", "/library" },
		{ "university", "Chargepoint University", "/university" },
	};
	json_t *t = json_array();
	for (size_t i = 0; i < FW_ARRAY_LEN(tabs); i++) {
		if (i >= 2 && !strcmp(c->u.role, "technician"))
			continue;
		json_t *o = json_object();
		/* a technician's list holds only their own work orders */
		json_object_set_new(o, "label", json_string(i == 1 && !strcmp(c->u.role, "technician") ? "My Work Orders"
		    : tabs[i].label));
		json_object_set_new(o, "href", json_string(tabs[i].href));
		json_object_set_new(o, "current", json_boolean(c->tab && !strcmp(c->tab, tabs[i].key)));
		json_array_append_new(t, o);
	}
	vm_set(c, "tabs", t);
	vm_set(c, "can_manage_users", json_boolean(user_is_operator(&c->u) || user_is_partner_admin(&c->u)));
	vm_set(c, "operator_nav", json_boolean(user_is_operator(&c->u)));
	int64_t unread = notify_unread(c->db, c->u.id);
	vm_set(c, "unread", json_integer(unread > 0 ? unread : 0));
}

/* ---------- static assets ---------- */

static const char *
ctype_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot) return "application/octet-stream";
	if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg")) return "image/svg+xml";
	if (!strcmp(dot, ".png")) return "image/png";
	if (!strcmp(dot, ".ico")) return "image/x-icon";
	return "application/octet-stream";
}

static void
load_assets(void)
{
	crypto_generichash_state all;
	crypto_generichash_init(&all, NULL, 0, 8);
	for (const struct embed_file *f = embed_files; f->name && nassets < FW_ARRAY_LEN(assets); f++) {
		if (strncmp(f->name, "static/", 7) != 0)
			continue;
		struct asset *a = &assets[nassets++];
		snprintf(a->url, sizeof(a->url), "/%s", f->name);
		a->data = f->data;
		a->len = *f->size;
		a->ctype = ctype_of(f->name);
		unsigned char h[8];
		crypto_generichash(h, sizeof(h), (const unsigned char *)f->data, a->len, NULL, 0);
		crypto_generichash_update(&all, h, sizeof(h));
		snprintf(a->etag, sizeof(a->etag), "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", h[0], h[1], h[2], h[3], h[4],
		    h[5], h[6], h[7]);
	}
	unsigned char v[8];
	crypto_generichash_final(&all, v, sizeof(v));
	sodium_bin2hex(asset_version, sizeof(asset_version), v, sizeof(v));
}

static void
serve_static(struct req *r)
{
	for (size_t i = 0; i < nassets; i++) {
		struct asset *a = &assets[i];
		if (strcmp(a->url, r->url) != 0)
			continue;
		http_add_header(r, "ETag", a->etag);
		http_add_header(r, "Cache-Control", http_query(r, "v") ? "public, max-age=31536000, immutable"
		    : "public, max-age=3600");
		const char *inm = http_header(r, "If-None-Match");
		if (inm && !strcmp(inm, a->etag)) {
			http_set_body(r, 304, NULL, NULL, 0, 1);
			return;
		}
		http_set_body(r, 200, a->ctype, (char *)a->data, a->len, 1);
		return;
	}
	static char nf[] = "Not found";
	http_set_body(r, 404, "text/plain; charset=utf-8", nf, sizeof(nf) - 1, 1);
}

/* ---------- login, logout, password reset, sign up ---------- */

static int
h_login_form(struct ctx *c)
{
	if (c->authed)
		return redirect(c, "/");
	c->tmpl = "login";
	c->title = "Log in";
	const char *next = http_query(c->r, "next");
	vm_str(c, "next", safe_next(next) ? next : "");
	const char *reset = http_query(c->r, "reset");
	if (reset && !strcmp(reset, "1"))
		vm_str(c, "notice", "Your password has been changed. Log in with your new password.");
	return 200;
}

static int
h_login(struct ctx *c)
{
	char email[256];
	form_trim(c, "email", email, sizeof(email));
	const char *pw = form(c, "password");
	const char *next = form(c, "next");
	c->tmpl = "login";
	c->title = "Log in";
	vm_str(c, "email", email);
	vm_str(c, "next", safe_next(next) ? next : "");
	if (!*email || !*pw) {
		vm_str(c, "error", "Enter your username and password.");
		return 400;
	}
	char token[AUTH_TOKEN_LEN];
	int retry = 0;
	switch (auth_login(c->db, email, pw, c->r->addr, token, &retry)) {
	case AUTH_OK:
		set_cookie(c, AUTH_COOKIE, token, AUTH_SESSION_MAX);
		set_cookie(c, AUTH_PRE_COOKIE, "", 0);
		sodium_memzero(token, sizeof(token));
		return redirect(c, safe_next(next) ? next : "/");
	case AUTH_BAD:
		vm_str(c, "error", "Your login attempt has failed. Make sure the username and password are correct.");
		return 401;
	case AUTH_LOCKED: {
		char msg[160], ra[16];
		int mins = (retry + 59) / 60;
		snprintf(msg, sizeof(msg), "Too many failed login attempts. Try again in %d minute%s.", mins, mins == 1 ? "" : "s");
		snprintf(ra, sizeof(ra), "%d", retry > 0 ? retry : 1);
		http_add_header(c->r, "Retry-After", ra);
		vm_str(c, "error", msg);
		return 429;
	}
	default:
		return fail_msg(c, 503, "The login service is unavailable; try again in a moment.");
	}
}

static int
h_logout(struct ctx *c)
{
	auth_logout(c->db, http_cookie(c->r, AUTH_COOKIE));
	set_cookie(c, AUTH_COOKIE, "", 0);
	return redirect(c, "/login");
}

static int
h_forgot(struct ctx *c, int post)
{
	c->tmpl = "forgot";
	c->title = "Forgot password?";
	if (!post)
		return 200;
	char email[256];
	form_trim(c, "email", email, sizeof(email));
	vm_str(c, "email", email);
	if (!user_email_ok(email)) {
		vm_str(c, "error", "Enter the email address you log in with.");
		return 422;
	}
	if (auth_reset_request(c->db, email) != 0)
		return fail_msg(c, 503, "The request could not be saved; try again.");
	vm_set(c, "sent", json_true());
	return 200;
}

static int
h_signup(struct ctx *c, int post)
{
	c->tmpl = "signup";
	c->title = "Sign Up";
	if (!post)
		return 200;
	static const char *fields[] = { "name", "email", "company", "phone", "message" };
	char v[5][2048];
	for (int i = 0; i < 5; i++) {
		form_trim(c, fields[i], v[i], sizeof(v[i]));
		vm_str(c, fields[i], v[i]);
	}
	char err[256];
	if (auth_signup_add(c->db, v[0], v[1], v[2], v[3], v[4], err, sizeof(err)) != 0) {
		char *colon = strchr(err, ':');
		char key[32];
		snprintf(key, sizeof(key), "error_%.*s", colon ? (int)(colon - err) : 0, err);
		vm_str(c, "error", colon ? colon + 1 : err);
		if (colon && colon > err)
			vm_str(c, key, colon + 1);
		return colon && colon > err ? 422 : 503;
	}
	vm_set(c, "sent", json_true());
	return 200;
}

static int
h_reset(struct ctx *c, const char *token, int post)
{
	c->tmpl = "reset";
	c->title = "Set a new password";
	int64_t uid;
	int rc = auth_reset_check(c->db, token, &uid);
	if (rc < 0)
		return fail_msg(c, 503, "The database is busy; try again.");
	if (rc == 1)
		return fail_msg(c, 404, "This reset link is not valid any more. Ask your administrator for a new one.");
	vm_str(c, "token", token);
	if (!post)
		return 200;
	const char *pw = form(c, "password"), *pw2 = form(c, "confirm");
	if (strcmp(pw, pw2) != 0) {
		vm_str(c, "error", "The two passwords do not match.");
		return 422;
	}
	char err[256];
	if (auth_reset_use(c->db, token, pw, err, sizeof(err)) != 0) {
		vm_str(c, "error", err);
		return 422;
	}
	return redirect(c, "/login?reset=1");
}

/* ---------- home ---------- */

static int
h_home(struct ctx *c)
{
	c->tmpl = "home";
	c->title = "Home";
	c->tab = "home";
	const char *seismic = getenv("FIELDWORK_SEISMIC_URL"), *store = getenv("FIELDWORK_STORE_URL");
	if (seismic && !strncmp(seismic, "https://", 8))
		vm_str(c, "seismic_url", seismic);
	if (store && !strncmp(store, "https://", 8))
		vm_str(c, "store_url", store);
	struct wo_scope sc;
	if (scope(c, &sc) == 0 && !sc.tech_id) {   /* a technician's Home has no company numbers */
		json_t *counts;
		if (wo_status_counts(c->db, &sc, &counts) != WO_OK)
			return fail_msg(c, 500, "The work order counts could not be read.");
		int64_t open = 0, assigned = json_integer_value(json_object_get(counts, "Assigned"));
		static const char *open_st[] = { "Assigned", "Ship-To Received", "Parts Ordered", "Shipping", "Shipped",
			"Parts Delivered", "In Progress", "On Hold" };
		for (size_t i = 0; i < FW_ARRAY_LEN(open_st); i++)
			open += json_integer_value(json_object_get(counts, open_st[i]));
		json_t *g = json_object();
		json_object_set_new(g, "open", json_integer(open));
		json_object_set_new(g, "assigned", json_integer(assigned));
		json_object_set_new(g, "in_progress", json_integer(json_integer_value(json_object_get(counts, "In Progress"))));
		json_object_set_new(g, "by_status", counts);
		int64_t risk = sc.tech_id ? 0 : dash_at_risk(c->db, sc.all ? 0 : sc.org_id, now_utc());
		json_object_set_new(g, "at_risk", json_integer(risk > 0 ? risk : 0));
		vm_set(c, "glance", g);
	}
	return 200;
}

/* ---------- Work Orders list ---------- */

static void
list_href(buf_t *b, const char *view, const char *sort, const char *dir, const char *q, const char *anchor_key,
    int64_t anchor)
{
	buf_puts(b, "/work-orders?view=");
	buf_urlenc(b, view);
	if (sort) {
		buf_puts(b, "&sort=");
		buf_urlenc(b, sort);
		buf_printf(b, "&dir=%s", dir);
	}
	if (q && *q) {
		buf_puts(b, "&q=");
		buf_urlenc(b, q);
	}
	if (anchor_key)
		buf_printf(b, "&%s=%lld", anchor_key, (long long)anchor);
}

static json_t *
jstr_buf(buf_t *b)
{
	json_t *s = json_string(b->data ? b->data : "");
	buf_reset(b);
	return s;
}

static int
parse_anchor(const char *v, int64_t *out)
{
	if (!v)
		return 0;
	*out = str_to_id(v, 12);
	return *out > 0 ? 0 : -1;
}

/* Reads the list parameters (view, sort, dir, q, after, before, size)
 * into Q.  0, or a 4xx status with c->err. */
static int
list_query(struct ctx *c, struct wo_query *qp)
{
	struct req *r = c->r;
	const char *vk = http_query(r, "view");
	if (!vk || !*vk)
		vk = c->u.default_view[0] && wo_view_find(c->u.default_view) >= 0 ? c->u.default_view : "my-open";
	struct wo_query q = { .limit = WO_PAGE_DEFAULT };
	q.view = wo_view_find(vk);
	if (q.view < 0) {
		snprintf(c->err, sizeof(c->err), "There is no list view \"%.60s\". Choose one of the Work Orders list views.", vk);
		return 400;
	}
	const struct wo_view_def *v = &wo_views[q.view];
	const char *sk = http_query(r, "sort"), *dir = http_query(r, "dir");
	q.sort = sk && *sk ? wo_col_find(sk) : v->sort;
	if (q.sort < 0 || !wo_view_has_col(q.view, q.sort)) {
		snprintf(c->err, sizeof(c->err), "This list cannot be sorted by \"%.60s\".", sk);
		return 400;
	}
	if (dir && *dir && strcmp(dir, "asc") && strcmp(dir, "desc"))
		return fail_msg(c, 400, "The sort direction must be asc or desc.");
	q.desc = dir && *dir ? !strcmp(dir, "desc") : (q.sort == v->sort ? v->desc : 0);
	q.search = http_query(r, "q");
	if (q.search && strlen(q.search) > WO_SEARCH_MAX) {
		snprintf(c->err, sizeof(c->err), "Search is limited to %d characters.", WO_SEARCH_MAX);
		return 400;
	}
	if (parse_anchor(http_query(r, "after"), &q.after) || parse_anchor(http_query(r, "before"), &q.before))
		return fail_msg(c, 400, "The page position is not a work order number.");
	const char *size = http_query(r, "size");
	if (size) {
		int64_t n = str_to_id(size, 4);
		if (n < 1 || n > WO_PAGE_MAX) {
			snprintf(c->err, sizeof(c->err), "Page size must be between 1 and %d.", WO_PAGE_MAX);
			return 400;
		}
		q.limit = (int)n;
	}
	*qp = q;
	return 0;
}

static int
h_wo_list(struct ctx *c)
{
	struct wo_scope sc;
	if (scope(c, &sc) != 0)
		return fail_msg(c, 403, "Your login is not linked to a technician record yet; ask your partner admin.");
	c->title = "Work Orders";
	c->tab = "work-orders";
	struct wo_query q;
	int st = list_query(c, &q);
	if (st)
		return st;
	const struct wo_view_def *v = &wo_views[q.view];
	json_t *rows;
	int64_t total;
	int capped, has_next, has_prev;
	char err[256];
	int rc = wo_list(c->db, &sc, &q, c->z, &rows, &total, &capped, &has_next, &has_prev, err, sizeof(err));
	if (rc == WO_BAD_INPUT)
		return fail_msg(c, 400, err);
	if (rc != WO_OK)
		return fail_msg(c, 500, "The work orders could not be read.");
	c->tmpl = "wo_list";

	const char *sortkey = wo_cols[q.sort].key, *dirs = q.desc ? "desc" : "asc";
	const char *search = q.search ? q.search : "";
	buf_t b;
	buf_init(&b, 4096);
	json_t *view = json_object();
	json_object_set_new(view, "key", json_string(v->key));
	json_object_set_new(view, "label", json_string(v->label));
	json_object_set_new(view, "pinned", json_boolean(!strcmp(c->u.default_view, v->key)));
	vm_set(c, "view", view);
	json_t *views = json_array();
	for (int i = 0; i < WV__COUNT; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "key", json_string(wo_views[i].key));
		json_object_set_new(o, "label", json_string(wo_views[i].label));
		list_href(&b, wo_views[i].key, NULL, NULL, NULL, NULL, 0);
		json_object_set_new(o, "href", jstr_buf(&b));
		json_object_set_new(o, "current", json_boolean(i == q.view));
		json_object_set_new(o, "pinned", json_boolean(!strcmp(c->u.default_view, wo_views[i].key)));
		json_array_append_new(views, o);
	}
	vm_set(c, "views", views);
	json_t *cols = json_array();
	for (int i = 0; i < WC__COUNT; i++) {
		if (!wo_view_has_col(q.view, i))
			continue;
		json_t *o = json_object();
		int sorted = i == q.sort;
		json_object_set_new(o, "key", json_string(wo_cols[i].key));
		json_object_set_new(o, "label", json_string(wo_cols[i].label));
		json_object_set_new(o, "sorted", json_boolean(sorted));
		json_object_set_new(o, "aria_sort", json_string(sorted ? (q.desc ? "descending" : "ascending") : "none"));
		json_object_set_new(o, "arrow", json_string(sorted ? (q.desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2") : ""));
		list_href(&b, v->key, wo_cols[i].key, sorted && !q.desc ? "desc" : "asc", search, NULL, 0);
		json_object_set_new(o, "href", jstr_buf(&b));
		json_array_append_new(cols, o);
	}
	vm_set(c, "columns", cols);
	vm_set(c, "has_completed", json_boolean(wo_view_has_col(q.view, WC_COMPLETED)));
	vm_set(c, "has_viewed", json_boolean(wo_view_has_col(q.view, WC_VIEWED)));
	size_t nrows = json_array_size(rows);
	if (has_next && nrows) {
		list_href(&b, v->key, sortkey, dirs, search, "after",
		    json_integer_value(json_object_get(json_array_get(rows, nrows - 1), "number")));
		vm_set(c, "next_href", jstr_buf(&b));
	}
	if (has_prev && nrows) {
		list_href(&b, v->key, sortkey, dirs, search, "before",
		    json_integer_value(json_object_get(json_array_get(rows, 0), "number")));
		vm_set(c, "prev_href", jstr_buf(&b));
	}
	buf_free(&b);
	vm_set(c, "rows", rows);
	vm_set(c, "total", json_integer(total));
	char summary[512];
	snprintf(summary, sizeof(summary), "%lld%s item%s - Sorted by %s - Filtered by %s%s%s - Updated a few seconds ago",
	    (long long)total, capped ? "+" : "", total == 1 && !capped ? "" : "s", wo_cols[q.sort].label, v->filter,
	    *search ? " - Search: " : "", search);
	vm_str(c, "summary", summary);
	list_href(&b, v->key, sortkey, dirs, search, NULL, 0);
	{
		/* the same list, every row, as a file */
		char *h = b.data ? b.data : (char *)"/work-orders?view=all";
		char exp[1200];
		snprintf(exp, sizeof(exp), "/work-orders/export.csv%s", strchr(h, '?') ? strchr(h, '?') : "");
		vm_str(c, "export_href", exp);
		buf_free(&b);
	}
	vm_str(c, "q", search);
	vm_str(c, "sort", sortkey);
	vm_str(c, "dir", dirs);
	return 200;
}

static int
h_wo_pin(struct ctx *c)
{
	const char *vk = form(c, "view");
	if (wo_view_find(vk) < 0)
		return fail_msg(c, 400, "Choose a list view to pin.");
	if (user_set_default_view(c->db, c->u.id, vk) != 0)
		return fail_msg(c, 500, "The default view could not be saved.");
	char loc[128];
	snprintf(loc, sizeof(loc), "/work-orders?view=%s", vk);
	return redirect(c, loc);
}

/* ---------- the lifecycle: action forms and buttons ---------- */

struct act_def {
	const char *key;      /* URL segment and lifecycle action */
	const char *title;    /* the form's heading; NULL: a button, no form */
	const char *done;     /* the success message */
	int action;           /* status machine action, or -1 */
};

static const struct act_def acts[] = {
	{ "accept-shipping", "Accept Work Order", "Shipping information saved. Enter the travel information to accept the work order.", SA_ACCEPT },
	{ "accept-travel", "Accept Work Order", "The work order is accepted successfully.", SA_ACCEPT },
	{ "reject", "Reject", "The work order is rejected.", SA_REJECT },
	{ "could-not-complete", "Could Not Complete", "The work order is marked Could Not Complete.", SA_COULD_NOT },
	{ "assistance", "Request For Assistance", "Your request for assistance was sent.", -1 },
	{ "schedule", "Customer Information", "The scheduling information is saved.", -1 },
	{ "site-times", "Site Visit", "The site times are saved.", -1 },
	{ "woli", NULL, "The line item is completed.", -1 },
	{ "complete", "Completed", "The work order is marked Completed.", SA_COMPLETE },
	{ "parts-ordered", NULL, "Parts Ordered.", SA_PARTS_ORDERED },
	{ "shipping", NULL, "Shipping.", SA_SHIPPING },
	{ "shipped", "Shipped", "The shipment is recorded and the Target SLA Date updated.", SA_SHIPPED },
	{ "parts-delivered", NULL, "Parts Delivered: the work order is In Progress.", SA_DELIVERED },
	{ "hold", "On Hold", "The work order is On Hold.", SA_HOLD },
	{ "resume", NULL, "The work order is resumed.", SA_RESUME },
	{ "cancel", "Cancel a Work Order", "The work order is cancelled.", SA_CANCEL },
	{ "close", NULL, "The work order is Closed.", SA_CLOSE },
	{ "send-back", "Send Back", "The work order is back In Progress.", SA_SEND_BACK },
	{ "reissue", NULL, "The new work order is issued.", SA_REISSUE },
};

static const struct act_def *
act_find(const char *key)
{
	for (size_t i = 0; i < FW_ARRAY_LEN(acts); i++)
		if (!strcmp(acts[i].key, key))
			return &acts[i];
	return NULL;
}

/* Which actions this user may take on WO now: {"accept": true, ...}. */
static json_t *
allowed_actions(struct ctx *c, json_t *wo)
{
	const char *status = json_string_value(json_object_get(wo, "status"));
	int parts = json_is_true(json_object_get(wo, "parts_needed"));
	int role = user_is_operator(&c->u) ? SR_OPERATOR : SR_PARTNER;
	json_t *o = json_object();
	if (!strcmp(c->u.role, "technician")) {
		/* a technician records the visit and adds photos, nothing more */
		json_object_set_new(o, "site-times", json_boolean(status_is_open(status)));
		json_object_set_new(o, "any_technician", json_boolean(status_is_open(status)));
		return o;
	}
	for (size_t i = 0; i < FW_ARRAY_LEN(acts); i++) {
		const char *to;
		char err[256];
		int ok;
		if (acts[i].action >= 0)
			ok = status_check(acts[i].action, role, status, parts, "", &to, err, sizeof(err)) == 0;
		else
			ok = status_is_open(status) && (role == SR_PARTNER || strcmp(acts[i].key, "assistance"));
		if (!strcmp(acts[i].key, "accept-shipping"))
			ok = ok && parts;
		if (!strcmp(acts[i].key, "woli"))
			ok = !strcmp(status, "In Progress");
		if (!strcmp(acts[i].key, "reissue") && !json_is_null(json_object_get(wo, "reissued_as")))
			ok = 0;
		json_object_set_new(o, acts[i].key, json_boolean(ok));
	}
	json_object_set_new(o, "any_partner", json_boolean(role == SR_PARTNER && status_is_open(status)));
	json_object_set_new(o, "any_operator", json_boolean(role == SR_OPERATOR));
	return o;
}

static json_t *
string_list(const char *const *list, size_t n, const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "value", json_string(list[i]));
		json_object_set_new(o, "selected", json_boolean(selected && !strcmp(selected, list[i])));
		json_array_append_new(a, o);
	}
	return a;
}

/* The posted form as a lifecycle form (field -> string). */
static json_t *
posted(struct ctx *c)
{
	json_t *f = json_object();
	http_form(c->r, "csrf");   /* parses the body */
	for (size_t i = 0; i < c->r->nform; i++)
		if (strcmp(c->r->form[i].key, "csrf"))
			json_object_set_new(f, c->r->form[i].key, json_string(c->r->form[i].val));
	return f;
}

/* Fills the form page of action A for work order WO (GET, or POST again
 * with the user's values and errors). */
static void
action_form(struct ctx *c, const struct act_def *a, json_t *wo, json_t *values, json_t *errs)
{
	c->tmpl = "wo_action";
	c->title = a->title;
	c->tab = "work-orders";
	vm_str(c, "action_title", a->title);
	vm_str(c, "action", a->key);
	char flag[48];
	snprintf(flag, sizeof(flag), "form_%s", a->key);
	for (char *p = flag; *p; p++)
		if (*p == '-')
			*p = '_';
	vm_set(c, flag, json_true());
	vm_set(c, "values", values ? json_incref(values) : json_object());
	vm_set(c, "errors", errs ? json_incref(errs) : json_object());
	const char *reason = values ? json_string_value(json_object_get(values, "reason")) : NULL;
	const char *delay = values ? json_string_value(json_object_get(values, "delay_reason")) : NULL;
	vm_set(c, "delay_reasons", string_list(lc_delay_reasons, FW_ARRAY_LEN(lc_delay_reasons), delay));
	vm_set(c, "could_not_reasons", string_list(lc_could_not_reasons, FW_ARRAY_LEN(lc_could_not_reasons), reason));
	vm_set(c, "cancel_reasons", string_list(lc_cancel_reasons, FW_ARRAY_LEN(lc_cancel_reasons), reason));
	if (!strcmp(a->key, "complete")) {
		json_t *m = lc_missing_for_complete(c->db, json_integer_value(json_object_get(wo, "number")));
		vm_set(c, "missing_any", json_boolean(m && json_array_size(m)));
		vm_set(c, "missing", m ? m : json_array());
	}
	if (!strcmp(a->key, "accept-shipping"))
		vm_set(c, "suggestions", lc_address_suggestions(c->db, json_integer_value(json_object_get(wo, "number")), ""));
	vm_set(c, "wo", json_incref(wo));
}

/* The defaults of an action's form: what the work order already holds. */
static json_t *
form_defaults(const struct act_def *a, json_t *wo)
{
	json_t *v = json_object();
	if (!strcmp(a->key, "accept-shipping")) {
		json_t *sh = json_object_get(wo, "shipping"), *ci = json_object_get(wo, "customer_information");
		json_t *addr = json_object_get(ci, "address");
		json_object_update(v, sh);
		if (!*json_string_value(json_object_get(sh, "street")))
			json_object_update(v, addr);
		if (!*json_string_value(json_object_get(sh, "ship_to_name")))
			json_object_set(v, "ship_to_name", json_object_get(ci, "contact"));
		if (!*json_string_value(json_object_get(sh, "ship_to_phone")))
			json_object_set(v, "ship_to_phone", json_object_get(ci, "case_contact_phone"));
		if (!*json_string_value(json_object_get(sh, "country")) && !*json_string_value(json_object_get(addr, "country")))
			json_object_set_new(v, "country", json_string("United States"));
	} else if (!strcmp(a->key, "accept-travel")) {
		json_object_update(v, json_object_get(wo, "travel"));
	} else if (!strcmp(a->key, "schedule") || !strcmp(a->key, "site-times")) {
		json_object_update(v, json_object_get(wo, "form"));
	}
	json_object_set(v, "version", json_object_get(wo, "version"));
	return v;
}

static int
h_wo_action(struct ctx *c, int64_t number, const char *key, int post)
{
	const struct act_def *a = act_find(key);
	struct wo_scope sc;
	if (!a || scope(c, &sc) != 0)
		return fail_msg(c, 404, "Work order not found.");
	json_t *wo;
	int rc = wo_get(c->db, &sc, number, c->z, &wo);
	if (rc != WO_OK)
		return fail_msg(c, rc == WO_NOT_FOUND ? 404 : 500, rc == WO_NOT_FOUND ? "Work order not found." :
		    "The work order could not be read.");
	if (!post) {
		if (!a->title) {
			json_decref(wo);
			return fail_msg(c, 405, "This action is a button on the work order page.");
		}
		json_t *d = form_defaults(a, wo);
		action_form(c, a, wo, d, NULL);
		json_decref(d);
		json_decref(wo);
		return 200;
	}
	json_t *f = posted(c), *errs = json_object();
	char msg[512] = "";
	int64_t made = 0;
	rc = lc_do(c->db, &c->u, number, key, f, c->z, errs, msg, sizeof(msg), &made);
	int status;
	if (rc == LC_OK) {
		char loc[160];
		if (!strcmp(key, "accept-shipping"))
			snprintf(loc, sizeof(loc), "/work-orders/%lld/accept-travel", (long long)number);
		else if (!strcmp(key, "reissue"))
			snprintf(loc, sizeof(loc), "/work-orders/%lld?done=reissue", (long long)made);
		else
			snprintf(loc, sizeof(loc), "/work-orders/%lld%s?done=%s", (long long)number,
			    !strcmp(key, "woli") ? "/related" : "", key);
		status = redirect(c, loc);
	} else if ((rc == LC_BAD_INPUT || rc == LC_CONFIRM) && a->title) {
		action_form(c, a, wo, f, errs);
		if (rc == LC_CONFIRM)
			vm_set(c, "confirm_sla", json_true());
		else
			vm_str(c, "error", msg[0] ? msg : "Some fields need your attention.");
		status = rc == LC_CONFIRM ? 409 : 422;
	} else {
		status = fail_msg(c, rc == LC_NOT_FOUND ? 404 : rc == LC_ERROR ? 500 : rc == LC_BAD_INPUT ? 422 : 409, msg);
		vm_set(c, "back", json_integer(number));
	}
	json_decref(f);
	json_decref(errs);
	json_decref(wo);
	return status;
}

/* ---------- technicians: WO Assignment and Field Technician Management ---------- */

static int can_see(struct ctx *c, int64_t n);
static int h_wo_show(struct ctx *c, const char *rest);
static int h_wo_print(struct ctx *c, int64_t number);

/* Reads the Advanced Search fields from the query (or the form, when
 * POSTED) into F and echoes them in the view-model.  0, or -1 with
 * c->err. */
static int
tech_filters(struct ctx *c, struct tech_filter *f, int posted)
{
	memset(f, 0, sizeof(*f));
	const char *(*get)(struct req *, const char *) = posted ? http_form : http_query;
	f->email = get(c->r, "email");
	f->postal_code = get(c->r, "postal_code");
	f->city = get(c->r, "city");
	const char *mo = get(c->r, "my_org");
	f->my_org = !mo || strcmp(mo, "no") != 0;
	if ((f->email && strlen(f->email) > 254) || (f->postal_code && strlen(f->postal_code) > 20) ||
	    (f->city && strlen(f->city) > 100)) {
		str_copy(c->err, "The search fields are too long.", sizeof(c->err));
		return -1;
	}
	const char *certs[TECH_MAX_CERT_FILTER];
	size_t n = posted ? 0 : http_query_all(c->r, "cert", certs, TECH_MAX_CERT_FILTER);
	if (posted)
		for (size_t i = 0; i < c->r->nform && n < TECH_MAX_CERT_FILTER; i++)
			if (!strcmp(c->r->form[i].key, "cert"))
				certs[n++] = c->r->form[i].val;
	for (size_t i = 0; i < n; i++) {
		int64_t id = str_to_id(certs[i], 9);
		if (id <= 0) {
			str_copy(c->err, "Choose certifications from the list.", sizeof(c->err));
			return -1;
		}
		f->certs[f->ncerts++] = id;
	}
	json_t *echo = json_object();
	json_object_set_new(echo, "email", json_string(f->email ? f->email : ""));
	json_object_set_new(echo, "postal_code", json_string(f->postal_code ? f->postal_code : ""));
	json_object_set_new(echo, "city", json_string(f->city ? f->city : ""));
	json_object_set_new(echo, "my_org_yes", json_boolean(f->my_org));
	vm_set(c, "filters", echo);
	json_t *cat = tech_catalog(c->db);
	if (!cat)
		return -1;
	json_t *avail = json_array(), *sel = json_array();
	size_t i;
	json_t *cert;
	json_array_foreach(cat, i, cert) {
		int picked = 0;
		for (size_t k = 0; k < f->ncerts; k++)
			picked |= f->certs[k] == json_integer_value(json_object_get(cert, "id"));
		json_array_append(picked ? sel : avail, cert);
	}
	json_decref(cat);
	vm_set(c, "certs_available", avail);
	vm_set(c, "certs_selected", sel);
	return 0;
}

static int
assignment_view(struct ctx *c, int64_t number)
{
	struct tech_filter f;
	if (tech_filters(c, &f, c->r->method[0] == 'P') != 0)
		return -1;
	json_t *res = tech_search(c->db, &c->u, &f, number, c->z);
	if (!res)
		return -1;
	vm_set(c, "search", res);
	char action[64];
	snprintf(action, sizeof(action), "/work-orders/%lld/assignment", (long long)number);
	vm_str(c, "search_action", action);
	vm_set(c, "override_reasons", string_list(tech_override_reasons, FW_ARRAY_LEN(tech_override_reasons), NULL));
	return 0;
}

static int
h_wo_assign(struct ctx *c, int64_t number)
{
	if (!strcmp(c->u.role, "technician") || !can_see(c, number))
		return fail_msg(c, 404, "Work order not found.");
	int64_t tech = str_to_id(form(c, "technician"), 12);
	if (tech <= 0) {
		vm_set(c, "back", json_integer(number));
		return fail_msg(c, 422, "Select a technician in the Field Technician list, then Assign To WO.");
	}
	char msg[512] = "";
	int rc = tech_assign(c->db, &c->u, number, tech, form(c, "override_reason"), c->z, msg, sizeof(msg));
	if (rc == TECH_OK) {
		char loc[96];
		snprintf(loc, sizeof(loc), "/work-orders/%lld?done=assigned", (long long)number);
		return redirect(c, loc);
	}
	if (rc != TECH_MISSING_SKILLS) {
		vm_set(c, "back", json_integer(number));
		return fail_msg(c, rc == TECH_NOT_FOUND ? 404 : rc == TECH_BAD ? 422 : 500, msg);
	}
	/* the Missing Skills window: the same tab, with the override form */
	char rest[40];
	snprintf(rest, sizeof(rest), "%lld/assignment", (long long)number);
	int status = h_wo_show(c, rest);
	if (status != 200)
		return status;
	json_t *dlg = json_object();
	json_object_set_new(dlg, "message", json_string(msg));
	json_object_set_new(dlg, "technician", json_integer(tech));
	vm_set(c, "missing_skills", dlg);
	return 409;
}

static int
h_technicians(struct ctx *c, const char *sub, int post)
{
	if (!user_is_partner(&c->u) && !user_is_operator(&c->u))
		return fail_msg(c, 403, "Field Technician Management is for partner dispatchers and admins.");
	c->tmpl = "technicians";
	c->title = "Field Technician Management";
	c->tab = "technicians";
	vm_set(c, "is_admin", json_boolean(user_is_partner_admin(&c->u)));
	char msg[512] = "";
	int status = 200;
	if (!strcmp(sub, "/onboard")) {
		int64_t id = str_to_id(post ? form(c, "technician") : (http_query(c->r, "technician") ?
		    http_query(c->r, "technician") : ""), 12);
		if (id <= 0)
			return fail_msg(c, 422, "Select a technician in Certification Information, then Onboard.");
		vm_set(c, "onboard_id", json_integer(id));
		if (post) {
			const char *email = form(c, "corporate_email");
			vm_str(c, "corporate_email", email);
			int rc = tech_onboard(c->db, &c->u, id, email, msg, sizeof(msg));
			if (rc == TECH_OK)
				return redirect(c, "/technicians?my_org=yes&done=onboarded");
			vm_str(c, "error", msg);
			status = rc == TECH_NOT_FOUND ? 404 : rc == TECH_BAD ? 422 : 500;
		}
		c->tmpl = "onboard";
		return status;
	}
	if (!strcmp(sub, "/offboard") && post) {
		int64_t id = str_to_id(form(c, "technician"), 12);
		if (id <= 0)
			return fail_msg(c, 422, "Select a technician in Certification Information, then Offboard.");
		int rc = tech_offboard(c->db, &c->u, id, msg, sizeof(msg));
		if (rc != TECH_OK)
			return fail_msg(c, rc == TECH_NOT_FOUND ? 404 : rc == TECH_BAD ? 403 : 500, msg);
		vm_str(c, "notice", msg);
	} else if (*sub) {
		return fail_msg(c, 404, "There is no page at this address.");
	}
	const char *done = http_query(c->r, "done");
	if (done && !strcmp(done, "onboarded"))
		vm_str(c, "notice", "The technician is onboarded: they now show with My Organization = Yes.");
	struct tech_filter f;
	if (tech_filters(c, &f, 0) != 0)
		return fail_msg(c, 400, c->err);
	json_t *res = tech_search(c->db, &c->u, &f, 0, c->z);
	if (!res)
		return fail_msg(c, 500, "The technicians could not be read.");
	vm_set(c, "search", res);
	vm_str(c, "search_action", "/technicians");
	return status;
}

/* ---------- the work order page ---------- */

static int
h_wo_show(struct ctx *c, const char *rest)
{
	struct wo_scope sc;
	if (scope(c, &sc) != 0)
		return fail_msg(c, 404, "Work order not found.");
	const char *tab;
	int64_t number = split_id(rest, &tab);
	static const struct { const char *key, *label; } tabs[] = {
		{ "", "Details" }, { "related", "Related" }, { "rma-fso", "Related RMA / FSO" }, { "collaborate", "Collaborate" },
		{ "assignment", "WO Assignment" },
	};
	int t = -1;
	for (int i = 0; i < (int)FW_ARRAY_LEN(tabs); i++)
		if (!strcmp(tab, tabs[i].key))
			t = i;
	if (number > 0 && t < 0 && act_find(tab))
		return h_wo_action(c, number, tab, 0);
	if (number > 0 && !strcmp(tab, "print"))
		return h_wo_print(c, number);
	if (number <= 0 || t < 0)
		return fail_msg(c, 404, "Work order not found.");
	json_t *wo;
	int rc = wo_get(c->db, &sc, number, c->z, &wo);
	if (rc == WO_NOT_FOUND)
		return fail_msg(c, 404, "Work order not found.");
	if (rc != WO_OK)
		return fail_msg(c, 500, "The work order could not be read.");
	wo_record_view(c->db, c->u.id, number);
	json_t *can = allowed_actions(c, wo);
	vm_set(c, "can", can);
	if (json_is_true(json_object_get(can, "woli"))) {
		/* only the next line item in number order can be completed */
		size_t i;
		json_t *l;
		json_array_foreach(json_object_get(wo, "line_items"), i, l) {
			if (strcmp(json_string_value(json_object_get(l, "status")), "Completed") != 0) {
				json_object_set_new(l, "next", json_true());
				break;
			}
		}
	}
	vm_set(c, "is_operator", json_boolean(user_is_operator(&c->u)));
	const char *done = http_query(c->r, "done");
	const struct act_def *da = done ? act_find(done) : NULL;
	if (da)
		vm_str(c, "notice", da->done);
	else if (done && !strcmp(done, "assigned"))
		vm_str(c, "notice", "The work order is successfully assigned to the technician.");
	vm_set(c, "wo", wo);
	int technician = !strcmp(c->u.role, "technician");
	if (technician && t == 4)
		return fail_msg(c, 404, "Work order not found.");
	json_t *ta = json_array();
	for (int i = 0; i < (int)FW_ARRAY_LEN(tabs); i++) {
		if (technician && i >= 3)
			continue;
		json_t *o = json_object();
		char href[64];
		snprintf(href, sizeof(href), "/work-orders/%lld%s%s", (long long)number, *tabs[i].key ? "/" : "", tabs[i].key);
		json_object_set_new(o, "label", json_string(tabs[i].label));
		json_object_set_new(o, "href", json_string(href));
		json_object_set_new(o, "current", json_boolean(i == t));
		json_array_append_new(ta, o);
	}
	vm_set(c, "wo_tabs", ta);
	static const char *tab_flags[] = { "tab_details", "tab_related", "tab_rma", "tab_collaborate", "tab_assignment" };
	vm_set(c, tab_flags[t], json_true());
	if (t == 4 && assignment_view(c, number) != 0)
		return fail_msg(c, 400, c->err[0] ? c->err : "The search could not be run.");
	vm_set(c, "following", json_boolean(notify_following(c->db, c->u.id, number) == 1));
	if (t == 3) {
		const char *sort = http_query(c->r, "sort"), *q = http_query(c->r, "q");
		if (sort && strcmp(sort, "activity") && strcmp(sort, "latest"))
			return fail_msg(c, 400, "Sort the feed by activity or latest.");
		if (q && strlen(q) > 200)
			return fail_msg(c, 400, "Search this feed is limited to 200 characters.");
		json_t *feed = feed_list(c->db, &c->u, number, sort, q, c->z);
		if (!feed)
			return fail_msg(c, 500, "The feed could not be read.");
		vm_set(c, "feed", feed);
		vm_set(c, "feed_latest", json_boolean(sort && !strcmp(sort, "latest")));
		vm_str(c, "feed_q", q ? q : "");
		vm_set(c, "taggable", feed_taggable(c->db, &c->u, number, ""));
	}
	c->tmpl = "wo_show";
	c->tab = "work-orders";
	char heading[40];
	snprintf(heading, sizeof(heading), "Work Order %lld", (long long)number);
	vm_str(c, "heading", heading);
	/* the view-model outlives the handler, so the title may point into it */
	c->title = json_string_value(json_object_get(c->vm, "heading"));
	return 200;
}

/* ---------- settings: the user's own time zone ---------- */

static int
h_settings(struct ctx *c, int post)
{
	c->tmpl = "settings";
	c->title = "Settings";
	const char *want = post ? form(c, "time_zone") : c->u.tz;
	if (post && notify_set_email(c->db, c->u.id, !strcmp(form(c, "email_notifications"), "on")) != 0)
		return fail_msg(c, 500, "The settings could not be saved.");
	int offered = 0;
	for (size_t i = 0; tz_offered(i); i++)
		if (!strcmp(tz_offered(i), want))
			offered = 1;
	if (post) {
		if (!offered || !tz_get(want)) {
			vm_str(c, "error", "Choose a time zone from the list.");
			want = c->u.tz;
		} else if (user_set_time_zone(c->db, c->u.id, want) != 0) {
			return fail_msg(c, 500, "The time zone could not be saved.");
		} else {
			str_copy(c->u.tz, want, sizeof(c->u.tz));
			c->z = tz_get(want);
			vm_str(c, "notice", "Your settings are saved.");
		}
	}
	json_t *zones = json_array();
	for (size_t i = 0; tz_offered(i); i++) {
		const struct tz *z = tz_get(tz_offered(i));
		if (!z)
			continue;
		char label[160];
		tz_label(z, label, sizeof(label));
		json_t *o = json_object();
		json_object_set_new(o, "value", json_string(tz_offered(i)));
		json_object_set_new(o, "label", json_string(label));
		json_object_set_new(o, "selected", json_boolean(!strcmp(tz_offered(i), c->u.tz)));
		json_array_append_new(zones, o);
	}
	vm_set(c, "zones", zones);
	vm_set(c, "email_notifications", json_boolean(notify_email_pref(c->db, c->u.id) == 1));
	if (user_is_partner(&c->u)) {
		json_t *feeds = ex_cal_list(c->db, &c->u, c->z);
		vm_set(c, "calendar_feeds", feeds ? feeds : json_array());
		vm_set(c, "calendars", json_true());
		vm_set(c, "is_admin", json_boolean(user_is_partner_admin(&c->u)));
		if (user_is_partner_admin(&c->u)) {
			struct tech_filter f = { .my_org = 1 };
			json_t *t = tech_search(c->db, &c->u, &f, 0, c->z);
			vm_set(c, "technicians", t ? json_incref(json_object_get(t, "rows")) : json_array());
			json_decref(t);
		}
	}
	return post && json_object_get(c->vm, "error") ? 422 : 200;
}

/* ---------- users: sign-up requests, reset links ---------- */


static int
can_manage(struct ctx *c)
{
	return user_is_operator(&c->u) || user_is_partner_admin(&c->u);
}

static int64_t
manage_scope(struct ctx *c)
{
	return user_is_operator(&c->u) ? 0 : c->u.org_id;
}

static int
h_users(struct ctx *c)
{
	if (!can_manage(c))
		return fail_msg(c, 403, "Only an operator or a partner admin manages users.");
	c->tmpl = "users";
	c->title = "Users";
	json_t *users = user_list(c->db, manage_scope(c));
	json_t *signups = auth_signup_pending(c->db, manage_scope(c), c->z);
	json_t *resets = auth_reset_pending(c->db, manage_scope(c), c->z);
	if (!users || !signups || !resets) {
		json_decref(users);
		json_decref(signups);
		json_decref(resets);
		return fail_msg(c, 500, "The users could not be read.");
	}
	vm_set(c, "users", users);
	vm_set(c, "signups", signups);
	vm_set(c, "resets", resets);
	vm_set(c, "is_operator", json_boolean(user_is_operator(&c->u)));
	if (user_is_operator(&c->u))
		vm_set(c, "companies", org_list_partners(c->db));
	return 200;
}

static void
reset_link(struct ctx *c, const char *token, char *out, size_t n)
{
	const char *host = http_header(c->r, "Host");
	int host_ok = host && strlen(host) < 200 && !strpbrk(host, "/\\ \"<>");
	snprintf(out, n, "%s%s/reset/%s", host_ok ? "http://" : "", host_ok ? host : "", token);
}

/* Users of the caller's scope only: others answer 404. */
static int
load_managed_user(struct ctx *c, int64_t uid, struct user *u)
{
	if (uid <= 0 || user_load(c->db, uid, u) != 0)
		return -1;
	if (!user_is_operator(&c->u) && u->org_id != c->u.org_id)
		return -1;
	return 0;
}

static int
h_user_action(struct ctx *c, const char *rest)
{
	if (!can_manage(c))
		return fail_msg(c, 403, "Only an operator or a partner admin manages users.");
	const char *action;
	struct user u;
	if (load_managed_user(c, id_action(rest, &action), &u) != 0)
		return fail_msg(c, 404, "No such user.");
	if (!strcmp(action, "reset-link")) {
		char token[AUTH_TOKEN_LEN], link[512];
		if (auth_reset_issue(c->db, u.id, c->u.id, token) != 0)
			return fail_msg(c, 500, "The reset link could not be issued.");
		reset_link(c, token, link, sizeof(link));
		c->tmpl = "link_issued";
		c->title = "Reset link";
		vm_str(c, "name", u.name);
		vm_str(c, "email", u.email);
		vm_str(c, "link", link);
		vm_str(c, "what", "password reset link");
		return 200;
	}
	if (!strcmp(action, "disable") || !strcmp(action, "enable")) {
		if (u.id == c->u.id)
			return fail_msg(c, 400, "You cannot disable your own account.");
		if (user_set_disabled(c->db, u.id, !strcmp(action, "disable")) != 0)
			return fail_msg(c, 500, "The account could not be changed.");
		return redirect(c, "/users");
	}
	return fail_msg(c, 404, "No such action.");
}

static int
h_signup_action(struct ctx *c, const char *rest)
{
	if (!can_manage(c))
		return fail_msg(c, 403, "Only an operator or a partner admin decides sign-up requests.");
	const char *action;
	int64_t rid = id_action(rest, &action);
	if (rid <= 0)
		return fail_msg(c, 404, "No such sign-up request.");
	if (!strcmp(action, "reject")) {
		int rc = auth_signup_reject(c->db, &c->u, rid);
		if (rc == 1)
			return fail_msg(c, 404, "No such sign-up request, or it was already decided.");
		if (rc)
			return fail_msg(c, 500, "The request could not be updated.");
		return redirect(c, "/users");
	}
	if (strcmp(action, "approve") != 0)
		return fail_msg(c, 404, "No such action.");
	const char *org = form(c, "company_id");
	int64_t org_id = *org ? str_to_id(org, 12) : 0;
	if (org_id < 0)
		return fail_msg(c, 400, "Choose the company this person belongs to.");
	char token[AUTH_TOKEN_LEN], email[256], err[256], link[512];
	int rc = auth_signup_approve(c->db, &c->u, rid, org_id, form(c, "role"), token, email, sizeof(email),
	    err, sizeof(err));
	if (rc == 1)
		return fail_msg(c, 404, "No such sign-up request, or it was already decided.");
	if (rc)
		return fail_msg(c, 422, err);
	reset_link(c, token, link, sizeof(link));
	c->tmpl = "link_issued";
	c->title = "Account created";
	vm_str(c, "email", email);
	vm_str(c, "name", email);
	vm_str(c, "link", link);
	vm_str(c, "what", "link to set a password");
	return 200;
}

/* ---------- the operator: new work orders, the queue, SLA settings ---------- */

static int
h_wo_new(struct ctx *c, int post)
{
	if (!user_is_operator(&c->u))
		return fail_msg(c, 403, "Only the operator creates work orders.");
	c->tmpl = "wo_new";
	c->title = "New Work Order";
	c->tab = "work-orders";
	json_t *ch = lc_choices(c->db);
	if (!ch)
		return fail_msg(c, 500, "The choices could not be read.");
	vm_set(c, "choices", ch);
	if (!post) {
		vm_set(c, "values", json_object());
		vm_set(c, "errors", json_object());
		return 200;
	}
	json_t *f = posted(c), *errs = json_object();
	char msg[256] = "";
	int64_t n = 0;
	int rc = lc_create(c->db, &c->u, f, c->z, errs, msg, sizeof(msg), &n);
	if (rc == LC_OK) {
		json_decref(f);
		json_decref(errs);
		char loc[96];
		snprintf(loc, sizeof(loc), "/work-orders/%lld?done=created", (long long)n);
		return redirect(c, loc);
	}
	vm_set(c, "values", f);
	vm_set(c, "errors", errs);
	vm_str(c, "error", msg);
	return rc == LC_BAD_INPUT ? 422 : 500;
}

static int
h_queue(struct ctx *c)
{
	if (!user_is_operator(&c->u))
		return fail_msg(c, 403, "The queue is the operator's.");
	json_t *q = lc_queue(c->db, c->z);
	if (!q)
		return fail_msg(c, 500, "The queue could not be read.");
	c->tmpl = "queue";
	c->title = "Queue";
	vm_set(c, "queue", q);
	return 200;
}

static int
h_queue_resolve(struct ctx *c, const char *rest)
{
	if (!user_is_operator(&c->u))
		return fail_msg(c, 403, "The queue is the operator's.");
	const char *action;
	int64_t id = id_action(rest, &action);
	if (id <= 0 || strcmp(action, "resolve"))
		return fail_msg(c, 404, "No such request.");
	int rc = lc_assistance_resolve(c->db, &c->u, id);
	if (rc < 0)
		return fail_msg(c, 500, "The request could not be updated.");
	if (rc)
		return fail_msg(c, 404, "No such open request.");
	return redirect(c, "/queue");
}

static int
h_sla(struct ctx *c, int post)
{
	if (!user_is_operator(&c->u))
		return fail_msg(c, 403, "The SLA settings are the operator's.");
	c->tmpl = "sla";
	c->title = "SLA Settings";
	int status = 200;
	if (post) {
		char msg[256] = "";
		const char *what = form(c, "what");
		int rc;
		if (!strcmp(what, "entitlement"))
			rc = lc_set_entitlement_days(c->db, str_to_id(form(c, "id"), 12), form(c, "business_days"), msg, sizeof(msg));
		else if (!strcmp(what, "covered-miles"))
			rc = lc_set_covered_miles(c->db, str_to_id(form(c, "id"), 12), form(c, "miles"), msg, sizeof(msg));
		else if (!strcmp(what, "holiday") || !strcmp(what, "remove-holiday"))
			rc = lc_holiday(c->db, form(c, "day"), form(c, "name"), !strcmp(what, "remove-holiday"), msg, sizeof(msg));
		else
			rc = LC_BAD_INPUT;
		if (rc == LC_OK)
			return redirect(c, "/sla?saved=1");
		vm_str(c, "error", msg[0] ? msg : "Choose what to change.");
		status = rc == LC_ERROR ? 500 : 422;
	}
	if (http_query(c->r, "saved"))
		vm_str(c, "notice", "The SLA settings are saved. New Target SLA Dates use them.");
	json_t *st = lc_sla_settings(c->db);
	if (!st)
		return fail_msg(c, 500, "The settings could not be read.");
	vm_set(c, "sla", st);
	return status;
}

static int
h_suggest(struct ctx *c)
{
	int64_t n = str_to_id(http_query(c->r, "wo") ? http_query(c->r, "wo") : "", 12);
	struct wo_scope sc;
	json_t *wo;
	if (n <= 0 || scope(c, &sc) || wo_get(c->db, &sc, n, c->z, &wo) != WO_OK)
		return fail_msg(c, 404, "Work order not found.");
	json_decref(wo);
	const char *q = http_query(c->r, "q");
	if (!q || strlen(q) > 100)
		return fail_msg(c, 400, "Type up to 100 characters of a street.");
	if (!c->api)
		return fail_msg(c, 404, "Address suggestions are part of the API: /api/address-suggestions.");
	vm_set(c, "suggestions", lc_address_suggestions(c->db, n, q));
	return 200;
}

/* ---------- Collaborate, files, Follow, notifications ---------- */

/* 1 when the user may see work order N (callers answer 404 otherwise). */
static int
can_see(struct ctx *c, int64_t n)
{
	struct wo_scope sc;
	return scope(c, &sc) == 0 && wo_visible(c->db, &sc, n) == WO_OK;
}

static int
h_wo_collab(struct ctx *c, int64_t n, const char *key)
{
	if (!can_see(c, n))
		return fail_msg(c, 404, "Work order not found.");
	char msg[512] = "", loc[160];
	vm_set(c, "back", json_integer(n));
	if (!strcmp(key, "follow")) {
		if (notify_toggle_follow(c->db, c->u.id, n) < 0)
			return fail_msg(c, 500, "Follow could not be changed.");
		snprintf(loc, sizeof(loc), "/work-orders/%lld", (long long)n);
		return redirect(c, loc);
	}
	if (!strcmp(key, "files")) {
		if (!c->r->nuploads)
			return fail_msg(c, 422, "Choose one or more files to upload.");
		if (db_begin(c->db))
			return fail_msg(c, 503, "The database is busy; try again.");
		for (size_t i = 0; i < c->r->nuploads; i++) {
			int64_t id;
			struct http_upload *u = &c->r->uploads[i];
			int rc = files_add(c->db, &c->u, n, u->filename, u->data, u->len, 0, &id, msg, sizeof(msg));
			if (rc != FILES_OK) {
				db_rollback(c->db);
				return fail_msg(c, rc == FILES_BAD ? 422 : 500, msg[0] ? msg : "The files could not be saved.");
			}
		}
		if (db_commit(c->db))
			return fail_msg(c, 500, "The files could not be saved; nothing was stored.");
		snprintf(loc, sizeof(loc), "/work-orders/%lld/related?done=files", (long long)n);
		return redirect(c, loc);
	}
	/* collaborate, collaborate/ID/comment, collaborate/ID/like */
	int64_t post = 0;
	const char *what = "";
	if (key[11] == '/') {
		post = id_action(key + 12, &what);
		if (post <= 0 || (strcmp(what, "comment") && strcmp(what, "like")))
			return fail_msg(c, 404, "There is no such post on this work order.");
	} else if (key[11]) {
		return fail_msg(c, 404, "There is no page at this address.");
	}
	int rc;
	int64_t id = 0;
	if (!strcmp(what, "like"))
		rc = feed_like(c->db, &c->u, n, post);
	else
		rc = feed_add(c->db, &c->u, n, post, form(c, post ? "comment" : "body"), post ? NULL : c->r->uploads,
		    post ? 0 : c->r->nuploads, &id, msg, sizeof(msg));
	if (rc == FEED_NOT_FOUND)
		return fail_msg(c, 404, msg[0] ? msg : "There is no such post on this work order.");
	if (rc == FEED_BAD)
		return fail_msg(c, 422, msg);
	if (rc != FEED_OK)
		return fail_msg(c, 500, msg[0] ? msg : "The feed could not be changed.");
	snprintf(loc, sizeof(loc), "/work-orders/%lld/collaborate%s", (long long)n, !strcmp(what, "like") ? "" : "?done=posted");
	return redirect(c, loc);
}

static int
h_file(struct ctx *c, const char *rest, int post)
{
	const char *tail;
	int64_t id = split_id(rest, &tail);
	struct file_blob f;
	if (id <= 0 || files_get(c->db, id, &f) != FILES_OK)
		return fail_msg(c, 404, "File not found.");
	if (!can_see(c, f.wo_number)) {
		free(f.data);
		return fail_msg(c, 404, "File not found.");
	}
	if (post) {
		free(f.data);
		if (strcmp(tail, "delete"))
			return fail_msg(c, 404, "There is no page at this address.");
		char msg[256] = "";
		int rc = files_delete(c->db, &c->u, id, msg, sizeof(msg));
		if (rc == FILES_BAD)
			return fail_msg(c, 403, msg);
		if (rc != FILES_OK)
			return fail_msg(c, 500, "The file could not be deleted.");
		char loc[96];
		snprintf(loc, sizeof(loc), "/work-orders/%lld/related", (long long)f.wo_number);
		return redirect(c, loc);
	}
	if (*tail && strcmp(tail, "preview")) {
		free(f.data);
		return fail_msg(c, 404, "There is no page at this address.");
	}
	/* Only raster images are ever shown inline; everything else downloads,
	 * and the sandbox keeps an uploaded page from running in the portal. */
	int image = !strncmp(f.mime, "image/", 6);
	char disp[600], ctype[96];
	char ascii[256];
	size_t o = 0;
	for (const char *p = f.title; *p && o + 1 < sizeof(ascii); p++)
		ascii[o++] = (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') ? *p : '_';
	ascii[o] = '\0';
	buf_t enc;
	buf_init(&enc, 1024);
	buf_urlenc(&enc, f.title);
	snprintf(disp, sizeof(disp), "%s; filename=\"%s\"; filename*=UTF-8''%s", image && *tail ? "inline" : "attachment",
	    ascii, enc.overflow ? "file" : enc.data);
	buf_free(&enc);
	snprintf(ctype, sizeof(ctype), "%s%s", f.mime, !strcmp(f.mime, "text/plain") ? "; charset=utf-8" : "");
	http_add_header(c->r, "Content-Disposition", disp);
	http_add_header(c->r, "Content-Security-Policy", "default-src 'none'; sandbox");
	http_add_header(c->r, "Cache-Control", "private, no-store");
	c->raw_ctype = ctype;
	c->raw = f.data;
	c->raw_len = f.len;
	return 200;
}

static int
h_mentions(struct ctx *c, const char *rest)
{
	int64_t n = str_to_id(rest, 12);
	if (n <= 0 || !can_see(c, n))
		return fail_msg(c, 404, "Work order not found.");
	const char *q = http_query(c->r, "q");
	if (q && strlen(q) > 100)
		return fail_msg(c, 400, "Type up to 100 characters of a name.");
	if (!c->api)
		return fail_msg(c, 404, "Mention suggestions are part of the API: /api/mentions/N?q=.");
	vm_set(c, "suggestions", feed_taggable(c->db, &c->u, n, q ? q : ""));
	return 200;
}

static int
h_notifications(struct ctx *c)
{
	json_t *list = notify_list(c->db, c->u.id, c->z);
	if (!list || notify_mark_read(c->db, c->u.id))
		return fail_msg(c, 500, "The notifications could not be read.");
	c->tmpl = "notifications";
	c->title = "Notifications";
	vm_set(c, "notifications", list);
	return 200;
}

/* ---------- Dashboard, Chargepoint University, Print, exports ---------- */

static int
h_dashboard(struct ctx *c)
{
	if (!user_is_partner(&c->u) && !user_is_operator(&c->u))
		return fail_msg(c, 403, "The Dashboard is for partner dispatchers and admins, and the operator.");
	c->tmpl = "dashboard";
	c->title = "Dashboard";
	c->tab = "dashboard";
	int64_t now = now_utc();
	json_t *d = dash_numbers(c->db, user_is_operator(&c->u) ? 0 : c->u.org_id, now, c->z);
	if (!d)
		return fail_msg(c, 500, "The dashboard could not be read.");
	vm_set(c, "dash", d);
	if (user_is_operator(&c->u)) {
		json_t *p = dash_by_partner(c->db, now, c->z);
		if (!p)
			return fail_msg(c, 500, "The dashboard could not be read.");
		vm_set(c, "partners", p);
	}
	return 200;
}

static int
h_university(struct ctx *c)
{
	c->tmpl = "university";
	c->title = "Chargepoint University";
	c->tab = "university";
	json_t *u = tech_university(c->db, &c->u, now_utc());
	if (!u)
		return fail_msg(c, 500, "The certification catalog could not be read.");
	vm_set(c, "university", u);
	vm_set(c, "show_held", json_boolean(!strcmp(c->u.role, "technician") ? 0 : 1));
	return 200;
}

static int
h_wo_print(struct ctx *c, int64_t number)
{
	struct wo_scope sc;
	json_t *wo;
	if (scope(c, &sc) != 0 || wo_get(c->db, &sc, number, c->z, &wo) != WO_OK)
		return fail_msg(c, 404, "Work order not found.");
	json_t *feed = feed_list(c->db, &c->u, number, "latest", NULL, c->z);
	vm_set(c, "wo", wo);
	vm_set(c, "feed", feed ? feed : json_array());
	char printed[32];
	tz_fmt_datetime(c->z, now_utc(), printed);
	vm_str(c, "printed", printed);
	c->tmpl = "wo_print";
	c->title = json_string_value(json_object_get(wo, "subject"));
	return 200;
}

static int
h_service_report(struct ctx *c, int64_t number)
{
	struct wo_scope sc;
	json_t *wo;
	if (scope(c, &sc) != 0 || wo_get(c->db, &sc, number, c->z, &wo) != WO_OK)
		return fail_msg(c, 404, "Work order not found.");
	buf_t pdf;
	buf_init(&pdf, 64u << 20);
	char msg[256], printed[32], title[64];
	tz_fmt_datetime(c->z, now_utc(), printed);
	int rc = report_service_pdf(c->db, wo, cfg->brand, printed, &pdf, msg, sizeof(msg));
	json_decref(wo);
	if (rc != 0) {
		buf_free(&pdf);
		return fail_msg(c, 500, msg);
	}
	snprintf(title, sizeof(title), "Service Report %lld.pdf", (long long)number);
	int64_t id;
	rc = files_add(c->db, &c->u, number, title, pdf.data, pdf.len, 0, &id, msg, sizeof(msg));
	buf_free(&pdf);
	if (rc != FILES_OK)
		return fail_msg(c, rc == FILES_BAD ? 422 : 500, msg);
	char loc[64];
	snprintf(loc, sizeof(loc), "/files/%lld", (long long)id);
	return redirect(c, loc);
}

static int
h_wo_csv(struct ctx *c)
{
	struct wo_scope sc;
	if (scope(c, &sc) != 0)
		return fail_msg(c, 403, "Your login has no work order list.");
	struct wo_query q;
	int st = list_query(c, &q);
	if (st)
		return st;
	q.after = q.before = 0;
	void *csv = ex_csv_open(&sc, &q, c->z);
	if (!csv)
		return fail_msg(c, 500, "The export could not start.");
	char disp[128];
	snprintf(disp, sizeof(disp), "attachment; filename=\"work-orders-%s.csv\"", wo_views[q.view].key);
	http_add_header(c->r, "Content-Disposition", disp);
	c->r->stream_fn = ex_csv_read;
	c->r->stream_free = ex_csv_free;
	c->r->stream_cls = csv;
	c->raw_ctype = "text/csv; charset=utf-8";
	return 200;
}

static int
h_calendar(struct ctx *c, const char *rest, int post)
{
	if (!user_is_partner(&c->u))
		return fail_msg(c, 403, "Calendar feeds are for partner companies and their technicians.");
	char msg[256] = "";
	if (!strcmp(rest, "new") && post) {
		const char *t = form(c, "technician");
		int64_t tech = *t ? str_to_id(t, 12) : 0;
		char token[AUTH_TOKEN_LEN], link[512];
		int rc = tech < 0 ? EX_BAD : ex_cal_issue(c->db, &c->u, tech, token, msg, sizeof(msg));
		if (rc != EX_OK)
			return fail_msg(c, rc == EX_NOT_FOUND ? 404 : rc == EX_BAD ? 422 : 500, msg[0] ? msg : "Choose a technician.");
		const char *host = http_header(c->r, "Host");
		int host_ok = host && strlen(host) < 200 && !strpbrk(host, "/\\ \"<>");
		snprintf(link, sizeof(link), "%s%s/calendar/%s.ics", host_ok ? "http://" : "", host_ok ? host : "", token);
		sodium_memzero(token, sizeof(token));
		c->tmpl = "link_issued";
		c->title = "Calendar feed";
		vm_str(c, "name", tech ? "the technician's calendar" : "your calendar");
		vm_str(c, "email", c->u.email);
		vm_str(c, "link", link);
		vm_str(c, "what", "calendar subscription link (keep it private; revoke it in Settings)");
		return 200;
	}
	const char *action;
	int64_t id = id_action(rest, &action);
	if (id > 0 && !strcmp(action, "revoke") && post) {
		int rc = ex_cal_revoke(c->db, &c->u, id);
		if (rc == EX_NOT_FOUND)
			return fail_msg(c, 404, "No such calendar feed.");
		if (rc != EX_OK)
			return fail_msg(c, 500, "The feed could not be revoked.");
		return redirect(c, "/settings");
	}
	return fail_msg(c, 404, "There is no page at this address.");
}

static int
h_calendar_feed(struct ctx *c, const char *file)
{
	char token[AUTH_TOKEN_LEN + 8];
	size_t n = strlen(file);
	if (n < 5 || n > sizeof(token) - 1 || strcmp(file + n - 4, ".ics"))
		return fail_msg(c, 404, "No such calendar.");
	memcpy(token, file, n - 4);
	token[n - 4] = '\0';
	buf_t b;
	buf_init(&b, 8u << 20);
	int rc = ex_cal_feed(c->db, token, cfg->brand, &b);
	sodium_memzero(token, sizeof(token));
	if (rc != EX_OK) {
		buf_free(&b);
		return fail_msg(c, rc == EX_NOT_FOUND ? 404 : 500, rc == EX_NOT_FOUND ? "No such calendar." : "The calendar could not be made.");
	}
	c->raw_ctype = "text/calendar; charset=utf-8";
	c->raw = buf_detach(&b, &c->raw_len);
	return 200;
}

static int
h_library(struct ctx *c, const char *rest, int post)
{
	char msg[256] = "";
	if (!*rest) {
		if (post) {
			if (c->r->nuploads != 1)
				return fail_msg(c, 422, "Choose one file to upload.");
			int64_t id;
			struct http_upload *u = &c->r->uploads[0];
			int rc = lib_add(c->db, &c->u, form(c, "title"), form(c, "category"), form(c, "version"), form(c, "date"),
			    u->filename, u->data, u->len, &id, msg, sizeof(msg));
			if (rc != LIB_OK)
				return fail_msg(c, rc == LIB_BAD ? 422 : 500, msg[0] ? msg : "The document could not be saved.");
			return redirect(c, "/library?done=added");
		}
		const char *q = http_query(c->r, "q"), *cat = http_query(c->r, "category");
		if ((q && strlen(q) > 200) || (cat && strlen(cat) > 40))
			return fail_msg(c, 400, "The search is too long.");
		json_t *docs = lib_list(c->db, q, cat);
		if (!docs)
			return fail_msg(c, 500, "The Library could not be read.");
		c->tmpl = "library";
		c->title = "Library";
		c->tab = "library";
		vm_set(c, "docs", docs);
		vm_str(c, "q", q ? q : "");
		vm_set(c, "categories", string_list(lib_categories, FW_ARRAY_LEN(lib_categories), cat));
		vm_set(c, "is_operator", json_boolean(user_is_operator(&c->u)));
		if (http_query(c->r, "done"))
			vm_str(c, "notice", "The document is in the Library.");
		return 200;
	}
	const char *tail;
	int64_t id = split_id(rest, &tail);
	if (id <= 0)
		return fail_msg(c, 404, "No such document.");
	if (post && !strcmp(tail, "delete")) {
		int rc = lib_delete(c->db, &c->u, id);
		if (rc == LIB_BAD)
			return fail_msg(c, 403, "Only the operator removes documents from the Library.");
		if (rc != LIB_OK)
			return fail_msg(c, rc == LIB_NOT_FOUND ? 404 : 500, "No such document.");
		return redirect(c, "/library");
	}
	if (post || strcmp(tail, "download"))
		return fail_msg(c, 404, "There is no page at this address.");
	char name[256], mime[64], *data;
	size_t len;
	if (lib_get(c->db, id, name, sizeof(name), mime, sizeof(mime), &data, &len) != LIB_OK)
		return fail_msg(c, 404, "No such document.");
	char disp[400];
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	for (char *p = disp; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '_';
	http_add_header(c->r, "Content-Disposition", disp);
	http_add_header(c->r, "Content-Security-Policy", "default-src 'none'; sandbox");
	c->raw_ctype = !strcmp(mime, "text/plain") ? "text/plain; charset=utf-8" : !strcmp(mime, "application/pdf") ?
	    "application/pdf" : !strncmp(mime, "image/png", 9) ? "image/png" : !strncmp(mime, "image/jpeg", 10) ? "image/jpeg" :
	    "application/octet-stream";
	c->raw = data;
	c->raw_len = len;
	return 200;
}

/* ---------- dispatch ---------- */

static int
prefix(const char *path, const char *p, const char **rest)
{
	size_t n = strlen(p);
	if (strncmp(path, p, n) != 0)
		return 0;
	*rest = path + n;
	return 1;
}

static int
route(struct ctx *c)
{
	const char *p = c->path, *rest;
	int get = !strcmp(c->r->method, "GET") || !strcmp(c->r->method, "HEAD");
	int post = !strcmp(c->r->method, "POST");
	if (!strcmp(p, "/login"))
		return get ? h_login_form(c) : h_login(c);
	if (!strcmp(p, "/logout") && post)
		return h_logout(c);
	if (!strcmp(p, "/forgot-password"))
		return h_forgot(c, post);
	if (!strcmp(p, "/sign-up"))
		return h_signup(c, post);
	if (prefix(p, "/reset/", &rest))
		return h_reset(c, rest, post);
	if (prefix(p, "/calendar/", &rest) && get && strlen(rest) > 4 && !strcmp(rest + strlen(rest) - 4, ".ics"))
		return h_calendar_feed(c, rest);   /* the token is the key: no login */
	int rc = need_login(c);
	if (rc)
		return rc;
	if (!strcmp(p, "/") && get)
		return h_home(c);
	if (!strcmp(p, "/work-orders") && get)
		return h_wo_list(c);
	if (!strcmp(p, "/work-orders/pin") && post)
		return h_wo_pin(c);
	if (!strcmp(p, "/work-orders/new"))
		return h_wo_new(c, post);
	if (!strcmp(p, "/work-orders/export.csv") && get)
		return h_wo_csv(c);
	if (prefix(p, "/calendar/", &rest))
		return h_calendar(c, rest, post);
	if (prefix(p, "/work-orders/", &rest) && get)
		return h_wo_show(c, rest);
	if (prefix(p, "/work-orders/", &rest) && post) {
		const char *key;
		int64_t n = id_action(rest, &key);
		if (n <= 0)
			return fail_msg(c, 404, "Work order not found.");
		if (!strncmp(key, "collaborate", 11) || !strcmp(key, "files") || !strcmp(key, "follow"))
			return h_wo_collab(c, n, key);
		if (!strcmp(key, "assignment"))
			return h_wo_assign(c, n);
		if (!strcmp(key, "service-report"))
			return h_service_report(c, n);
		return h_wo_action(c, n, key, 1);
	}
	if (prefix(p, "/files/", &rest))
		return h_file(c, rest, post);
	if (!strcmp(p, "/notifications") && get)
		return h_notifications(c);
	if (prefix(p, "/mentions/", &rest) && get)
		return h_mentions(c, rest);
	if (!strcmp(p, "/technicians") || !strncmp(p, "/technicians/", 13))
		return h_technicians(c, p + 12, post);
	if (!strcmp(p, "/dashboard") && get)
		return h_dashboard(c);
	if (!strcmp(p, "/library") || !strncmp(p, "/library/", 9))
		return h_library(c, p[8] ? p + 9 : "", post);
	if (!strcmp(p, "/university") && get)
		return h_university(c);
	if (!strcmp(p, "/queue") && get)
		return h_queue(c);
	if (prefix(p, "/queue/assistance/", &rest) && post)
		return h_queue_resolve(c, rest);
	if (!strcmp(p, "/sla"))
		return h_sla(c, post);
	if (!strcmp(p, "/address-suggestions") && get)
		return h_suggest(c);
	if (!strcmp(p, "/settings"))
		return h_settings(c, post);
	if (!strcmp(p, "/users") && get)
		return h_users(c);
	if (prefix(p, "/users/", &rest) && post)
		return h_user_action(c, rest);
	if (prefix(p, "/sign-up-requests/", &rest) && post)
		return h_signup_action(c, rest);
	if (!strcmp(p, "/") || !strcmp(p, "/work-orders") || !strcmp(p, "/users") || !strncmp(p, "/work-orders/", 13) ||
	    !strcmp(p, "/logout")) {
		http_add_header(c->r, "Allow", !strcmp(p, "/logout") || !strcmp(p, "/work-orders/pin") ? "POST" : "GET, HEAD");
		return fail_msg(c, 405, "This page does not take that kind of request.");
	}
	return fail_msg(c, 404, "There is no page at this address.");
}

static void
respond(struct ctx *c, int status)
{
	struct req *r = c->r;
	if (r->stream_fn && status == 200) {
		r->status = 200;
		r->ctype = c->raw_ctype;
		http_add_header(r, "Cache-Control", "no-store");
		return;
	}
	if (c->raw && status == 200) {
		http_set_body(r, 200, c->raw_ctype, c->raw, c->raw_len, 0);
		c->raw = NULL;
		return;
	}
	free(c->raw);
	c->raw = NULL;
	if (status == 303) {
		http_add_header(r, "Location", c->location);
		http_set_body(r, 303, NULL, NULL, 0, 1);
		return;
	}
	if (status >= 400 && !c->tmpl) {
		json_t *back = json_incref(json_object_get(c->vm, "back"));
		json_decref(c->vm);
		c->vm = json_object();
		if (back)
			vm_set(c, "back", back);
		vm_str(c, "error", c->err);
		vm_set(c, "status", json_integer(status));
		vm_str(c, "reason", http_reason(status));
		c->title = http_reason(status);
	}
	if (status >= 400 && c->tmpl && c->err[0])
		vm_str(c, "error", c->err);
	add_layout(c);
	http_add_header(r, "Cache-Control", "no-store");
	buf_t b;
	buf_init(&b, HTML_CAP);
	buf_reserve(&b, 48 * 1024);   /* a list page; bigger pages grow from there */
	if (c->api) {
		if (jsonw_dump(c->vm, &b) != 0) {
			buf_free(&b);
			static char oom[] = "{\"error\":\"The answer could not be written.\"}";
			http_set_body(r, 500, "application/json", oom, sizeof(oom) - 1, 1);
			return;
		}
		size_t n;
		char *d = buf_detach(&b, &n);
		http_set_body(r, status, "application/json", d, n, 0);
		return;
	}
	if (tmpl_render(status >= 400 && !c->tmpl ? "error" : c->tmpl, c->vm, &b) != 0) {
		buf_free(&b);
		static char broken[] = "<!DOCTYPE html><title>Error</title><p>This page could not be shown.</p>";
		http_set_body(r, 500, "text/html; charset=utf-8", broken, sizeof(broken) - 1, 1);
		return;
	}
	size_t n;
	char *d = buf_detach(&b, &n);
	http_set_body(r, status, "text/html; charset=utf-8", d, n, 0);
}

static int
csrf_check(struct ctx *c)
{
	const char *given = http_header(c->r, "X-CSRF-Token");
	if (!given)
		given = http_form(c->r, "csrf");
	return given && c->csrf[0] && auth_token_eq(c->csrf, given);
}

void
app_handle(struct req *r)
{
	if (!strncmp(r->url, "/static/", 8)) {
		serve_static(r);
		return;
	}
	if (!strcmp(r->url, "/healthz")) {
		static char ok[] = "ok\n";
		http_set_body(r, 200, "text/plain; charset=utf-8", ok, 3, 1);
		return;
	}
	struct ctx c = { .r = r, .path = r->url };
	pool_json_open();   /* the view-model dies with this request */
	c.vm = json_object();
	c.z = tz_get(DEFAULT_TZ);
	if (!c.z)
		c.z = tz_utc();
	if (!strncmp(r->url, "/api/", 5) || !strcmp(r->url, "/api")) {
		c.api = 1;
		c.path = r->url[4] ? r->url + 4 : "/";
	}
	int status, reading = 0;
	c.db = db_thread();
	if (r->bad_input) {
		status = fail_msg(&c, 400, "The address contains characters that are not valid UTF-8.");
		goto out;
	}
	if (!c.db) {
		status = fail_msg(&c, 503, "The database is not available.");
		goto out;
	}
	/* A page is read in one transaction: one consistent snapshot, and one
	 * lock round trip instead of one per statement.  Actions (POST) run
	 * their own write transactions. */
	reading = strcmp(r->method, "POST") != 0 && db_exec1(c.db, "BEGIN") == DB_DONE;
	int s = auth_session(c.db, http_cookie(r, AUTH_COOKIE), &c.u, c.csrf);
	if (s < 0) {
		status = fail_msg(&c, 503, "The database is busy; try again.");
		goto out;
	}
	c.authed = s == 0;
	if (c.authed) {
		const struct tz *z = tz_get(c.u.tz);
		if (z)
			c.z = z;
	} else {
		const char *pre = http_cookie(r, AUTH_PRE_COOKIE);
		if (pre && strlen(pre) == AUTH_TOKEN_LEN - 1 && strspn(pre,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == AUTH_TOKEN_LEN - 1) {
			str_copy(c.csrf, pre, sizeof(c.csrf));
		} else {
			auth_random_token(c.csrf);
			set_cookie(&c, AUTH_PRE_COOKIE, c.csrf, -1);
		}
	}
	if (!strcmp(r->method, "POST")) {
		const char *ct = http_header(r, "Content-Type");
		if (r->body.len && !r->multipart && (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)) {
			status = fail_msg(&c, 415, "Send forms as application/x-www-form-urlencoded.");
			goto out;
		}
		if (!http_form_ok(r)) {
			status = fail_msg(&c, 400, "The form contains characters that are not valid UTF-8.");
			goto out;
		}
		if (!csrf_check(&c)) {
			status = fail_msg(&c, 403, "This form has expired or came from another site. Reload the page and try again.");
			goto out;
		}
	}
	status = route(&c);
out:
	if (reading && db_exec1(c.db, "COMMIT") != DB_DONE)
		db_rollback(c.db);
	respond(&c, status);
	json_decref(c.vm);
	pool_json_close();
	sodium_memzero(c.csrf, sizeof(c.csrf));
}

int
app_init(const struct app_config *config, char *err, size_t errlen)
{
	cfg = config;
	pool_json_install();
	if (auth_init() != 0) {
		snprintf(err, errlen, "libsodium could not be initialized");
		return -1;
	}
	if (tmpl_init(err, errlen) != 0)
		return -1;
	load_assets();
	return 0;
}

void
app_shutdown(void)
{
	tmpl_free_all();
}
