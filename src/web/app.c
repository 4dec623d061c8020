/* app.c -- see app.h.
 *
 * Every page handler fills one view-model (a jansson object) and names a
 * template.  The same view-model is the JSON answer under /api/, so each
 * page has its API twin.  Handlers return the HTTP status; 303 sends
 * c->location.  The route table below is every address the portal
 * answers: who may call it and which handler fills it. */
#include "app.h"
#include "handlers.h"
#include "api.h"
#include "openapi.h"
#include "token.h"
#include "assets.h"
#include "jsonw.h"
#include "notify.h"
#include "pool.h"
#include "tmpl.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_CAP (8u << 20)
#define DEFAULT_TZ "America/Chicago"
#define SEG_MAX 256               /* bytes of one captured path segment */

/* Who may call a route (any of these bits; 0: anyone logged in). */
enum { R_OPERATOR = 1, R_PARTNER = 2, R_ADMIN = 4, R_TECHNICIAN = 8 };

struct route {
	const char *method;      /* "GET" (HEAD too), "POST", or "*" for both */
	const char *pattern;     /* literal segments; {n} and {id} capture a number, {name} text,
	                          * {name}.ext a segment ending in .ext */
	page_fn fn;
	const char *arg;         /* handed to the handler as c->arg */
	int login;               /* 1: a session is needed */
	int roles;
	const char *deny;        /* the 403 message for other roles */
	const char *summary;     /* for the API's description (openapi.c) */
	const char *fields;      /* GET: its query parameters; POST: its form's fields, as
	                          * lc_action's; a leading '+': a POST that makes a resource;
	                          * "QUERY|BODY" for a route of both methods */
};

#define OPERATOR_ONLY R_OPERATOR
#define MANAGERS (R_OPERATOR | R_ADMIN)
static const char DENY_USERS[] = "Only an operator or a partner admin manages users.";
static const char DENY_SIGNUP[] = "Only an operator or a partner admin decides sign-up requests.";
static const char DENY_QUEUE[] = "The queue is the operator's.";
static const char DENY_HOOKS[] = "Webhooks are set up by the operator and partner admins.";
/* technicians record site times and add photos (README); the rest is the office's */
#define STAFF (R_OPERATOR | R_PARTNER)
static const char DENY_TECH[] = PAGE_DENY_TECH;

static int app_openapi(struct ctx *c);
static int app_api_docs(struct ctx *c);

static const struct route routes[] = {
	{ "GET", "/login", login_get, NULL, 0, 0, NULL,
	  "The login page", "" },
	{ "POST", "/login", login_post, NULL, 0, 0, NULL,
	  "Log in with an email and password (a session cookie)", "email*,password*" },
	{ "POST", "/logout", login_logout, NULL, 0, 0, NULL,
	  "End the session", "" },
	{ "*", "/forgot-password", login_forgot, NULL, 0, 0, NULL,
	  "Ask an administrator for a password reset link", "email*" },
	{ "*", "/sign-up", login_signup, NULL, 0, 0, NULL,
	  "Ask for an account", "name*,email*,company*,phone,message" },
	{ "*", "/reset/{token}", login_reset, NULL, 0, 0, NULL,
	  "Set a password with a one-time link", "password*,confirm*" },
	{ "GET", "/calendar/{token}.ics", home_calendar_feed, NULL, 0, 0, NULL,
	  "A calendar feed of appointments (iCalendar)", "" },   /* the token is the key */

	{ "GET", "/openapi.json", app_openapi, NULL, 0, 0, NULL,
	  "This description of the API (OpenAPI 3.1)", "" },
	{ "GET", "/docs", app_api_docs, NULL, 0, 0, NULL,
	  "The API's reference as a page", "" },

	{ "GET", "/", home_get, NULL, 1, 0, NULL,
	  "Home: counts, cards, the pinned list", "" },
	{ "*", "/settings", home_settings, NULL, 1, 0, NULL,
	  "Settings: time zone, notifications, calendar feeds, API tokens", "time_zone*,email_mode,digest_hour" },
	{ "GET", "/notifications", home_notifications, NULL, 1, 0, NULL,
	  "Notifications, newest first", "" },
	{ "POST", "/calendar/new", home_calendar_new, NULL, 1, 0, NULL,
	  "Make a calendar feed link (the company's, or one technician's)", "technician" },
	{ "POST", "/settings/tokens", integrations_token_new, NULL, 1, 0, NULL,
	  "Make an API token (shown once)", "+name*,user,scope,expires_days" },
	{ "POST", "/settings/tokens/{id}/revoke", integrations_token_revoke, NULL, 1, 0, NULL,
	  "Revoke an API token", "" },
	{ "POST", "/settings/webhooks", integrations_webhook_new, NULL, 1, MANAGERS, DENY_HOOKS,
	  "Register a webhook endpoint (its signing secret shown once)", "+url*,events*" },
	{ "POST", "/settings/webhooks/{id}/delete", integrations_webhook_delete, NULL, 1, MANAGERS, DENY_HOOKS,
	  "Remove a webhook endpoint", "" },
	{ "POST", "/settings/webhook-deliveries/{id}/resend", integrations_webhook_resend, NULL, 1, MANAGERS, DENY_HOOKS,
	  "Send a webhook delivery again", "" },
	{ "POST", "/calendar/{id}/revoke", home_calendar_revoke, NULL, 1, 0, NULL,
	  "Revoke a calendar feed link", "" },

	{ "GET", "/work-orders", wo_list_get, NULL, 1, 0, NULL,
	  "A list of work orders: a view, sorted, searched, a page after or before a cursor", "view,sort,dir,q,size,after,before" },
	{ "POST", "/work-orders/pin", wo_list_pin, NULL, 1, 0, NULL,
	  "Pin a list view as the default", "view*" },
	{ "GET", "/work-orders/export.csv", wo_list_csv, NULL, 1, 0, NULL,
	  "The list as CSV (every page)", "view,sort,dir,q" },
	{ "*", "/work-orders/import", operator_wo_import, NULL, 1, OPERATOR_ONLY, "Only the operator imports work orders.",
	  "Import new work orders from a CSV file (multipart/form-data, file; all or none)", "|+file,held" },
	{ "GET", "/work-orders/import/template.csv", operator_wo_import_template, NULL, 1, OPERATOR_ONLY,
	  "Only the operator imports work orders.", "The import's columns, with an example row (CSV)", "" },
	{ "*", "/work-orders/new", operator_wo_new, NULL, 1, OPERATOR_ONLY, "Only the operator creates work orders.",
	  "New Work Order (operator); with reissue_of, the reissue of that work order",
	  "reissue|+case*,subject*,account_id*,station_id*,territory_id*,entitlement_id,work_type_id*,owner_id*,cse_id,"
	  "parts_needed:b,line_items*,reissue_of,version" },

	{ "GET", "/work-orders/{n}", wo_tabs_show, "", 1, 0, NULL,
	  "A work order: Details", "" },
	{ "GET", "/work-orders/{n}/related", wo_tabs_show, "related", 1, 0, NULL,
	  "A work order: Related (line items, history, files)", "" },
	{ "GET", "/work-orders/{n}/rma-fso", wo_tabs_show, "rma-fso", 1, 0, NULL,
	  "A work order: Related RMA / FSO", "all" },
	{ "GET", "/work-orders/{n}/collaborate", wo_tabs_show, "collaborate", 1, STAFF, DENY_TECH,
	  "A work order: Collaborate (the feed)", "sort,q" },
	{ "GET", "/work-orders/{n}/assignment", wo_tabs_show, "assignment", 1, STAFF, DENY_TECH,
	  "A work order: WO Assignment (technicians and their certifications)", "my_org,email,postal_code,city,cert" },
	{ "GET", "/work-orders/{n}/print", wo_tabs_print, NULL, 1, 0, NULL,
	  "A work order as one printable document", "" },
	{ "POST", "/work-orders/{n}/service-report", wo_tabs_service_report, NULL, 1, STAFF, DENY_TECH,
	  "Create Service Report (a PDF among the files)", "" },

	{ "POST", "/work-orders/{n}/collaborate", collaborate_post, NULL, 1, STAFF, DENY_TECH,
	  "Share an update (files as multipart/form-data)", "+body,held" },
	{ "POST", "/work-orders/{n}/collaborate/{id}/comment", collaborate_comment, NULL, 1, STAFF, DENY_TECH,
	  "Comment on a post", "+comment*" },
	{ "POST", "/work-orders/{n}/collaborate/{id}/like", collaborate_like, NULL, 1, STAFF, DENY_TECH,
	  "Like or unlike a post", "" },
	{ "POST", "/work-orders/{n}/files", collaborate_files, NULL, 1, 0, NULL,
	  "Upload files (multipart/form-data)", "+held" },
	{ "POST", "/work-orders/{n}/follow", collaborate_follow, NULL, 1, STAFF, DENY_TECH,
	  "Follow or unfollow a work order", "" },
	{ "GET", "/files/{id}", collaborate_file, "", 1, 0, NULL,
	  "Download a file", "" },
	{ "GET", "/files/{id}/preview", collaborate_file, "preview", 1, 0, NULL,
	  "Show an image file", "" },
	{ "POST", "/files/{id}/delete", collaborate_file, "delete", 1, 0, NULL,
	  "Delete a file", "" },
	{ "GET", "/mentions/{n}", collaborate_mentions, NULL, 1, STAFF, DENY_TECH,
	  "Whom one may tag on a work order", "q" },

	{ "POST", "/work-orders/{n}/assignment", technicians_assign, NULL, 1, STAFF, DENY_TECH,
	  "Assign a technician", "technician*,override_reason" },
	{ "GET", "/technicians", technicians_get, NULL, 1, STAFF, DENY_TECH,
	  "Field Technician Management: search technicians", "my_org,email,postal_code,city,cert" },
	{ "*", "/technicians/onboard", technicians_onboard, NULL, 1, STAFF, DENY_TECH,
	  "Onboard a freelancer onto the company", "technician*,corporate_email*" },
	{ "POST", "/technicians/offboard", technicians_offboard, NULL, 1, STAFF, DENY_TECH,
	  "Offboard a technician: what it will do; with confirm, do it", "technician*,confirm" },

	/* a lifecycle action: its name is one of lc_actions' keys */
	{ "GET", "/work-orders/{n}/{action}", wo_actions_form, NULL, 1, 0, NULL,
	  "A lifecycle action's form", "" },
	{ "POST", "/work-orders/{n}/{action}", wo_actions_post, NULL, 1, 0, NULL,
	  "A lifecycle action", "" },
	{ "GET", "/address-suggestions", wo_actions_suggest, NULL, 1, STAFF, DENY_TECH,
	  "Shipping addresses the portal knows", "wo*,q*" },

	{ "GET", "/queue", operator_queue, NULL, 1, OPERATOR_ONLY, DENY_QUEUE,
	  "The operator's queue: assistance requests and missed SLAs", "" },
	{ "POST", "/queue/assistance/{id}/resolve", operator_queue_resolve, NULL, 1, OPERATOR_ONLY, DENY_QUEUE,
	  "Resolve a request for assistance", "" },
	{ "*", "/sla", operator_sla, NULL, 1, OPERATOR_ONLY, "The SLA settings are the operator's.",
	  "SLA Settings (operator)", "what*,id,business_days,day,name,miles,rate" },

	{ "GET", "/users", users_get, NULL, 1, MANAGERS, DENY_USERS,
	  "Users, sign-up requests and reset requests", "" },
	{ "POST", "/users/{id}/reset-link", users_reset_link, NULL, 1, MANAGERS, DENY_USERS,
	  "Issue a one-time password link", "" },
	{ "POST", "/users/{id}/disable", users_set_disabled, "disable", 1, MANAGERS, DENY_USERS,
	  "Disable a user", "" },
	{ "POST", "/users/{id}/enable", users_set_disabled, "enable", 1, MANAGERS, DENY_USERS,
	  "Enable a user", "" },
	{ "POST", "/sign-up-requests/{id}/approve", users_signup_approve, NULL, 1, MANAGERS, DENY_SIGNUP,
	  "Approve a sign-up request", "company_id,role*" },
	{ "POST", "/sign-up-requests/{id}/reject", users_signup_reject, NULL, 1, MANAGERS, DENY_SIGNUP,
	  "Reject a sign-up request", "" },

	{ "GET", "/dashboard", dashboard_get, NULL, 1, STAFF, DENY_TECH,
	  "The Dashboard: the scorecard, load and SLA figures", "" },
	{ "GET", "/dashboard/scorecard.csv", dashboard_csv, NULL, 1, STAFF, DENY_TECH,
	  "A scorecard table as CSV", "table*" },
	{ "GET", "/university", dashboard_university, NULL, 1, 0, NULL,
	  "Chargepoint University: certifications held", "" },

	{ "GET", "/library", library_get, NULL, 1, 0, NULL,
	  "The Library's documents", "q,category" },
	{ "POST", "/library", library_add, NULL, 1, 0, NULL,
	  "Add a document (multipart/form-data, operator)", "+title*,category*,version,date*:d,held" },
	{ "POST", "/library/{id}/delete", library_delete, NULL, 1, 0, NULL,
	  "Remove a document (operator)", "" },
	{ "GET", "/library/{id}/download", library_download, NULL, 1, 0, NULL,
	  "Download a document", "" },
};

static const struct app_config *cfg;

/* ---------- the API's description ---------- */

/* Who may call route RT, in words. */
static const char *
roles_text(const struct route *rt)
{
	if (!rt->login)
		return "Anyone.";
	switch (rt->roles) {
	case 0: return "Any logged-in user (a technician: the work orders assigned to them).";
	case OPERATOR_ONLY: return "The operator.";
	case MANAGERS: return "The operator, or a partner admin for the company.";
	case STAFF: return "The operator, partner dispatchers and admins (not technicians).";
	}
	return "Some roles.";
}

static json_t *
describe(void)
{
	struct openapi_route r[FW_ARRAY_LEN(routes)];
	for (size_t i = 0; i < FW_ARRAY_LEN(routes); i++)
		r[i] = (struct openapi_route){ routes[i].method, routes[i].pattern, routes[i].summary, routes[i].fields,
			roles_text(&routes[i]), routes[i].login };
	return openapi_doc(r, FW_ARRAY_LEN(routes));
}

/* GET /api/openapi.json */
static int
app_openapi(struct ctx *c)
{
	json_t *doc = describe();
	buf_t b;
	buf_init(&b, HTML_CAP);
	int rc = jsonw_dump(doc, NULL, 0, &b);
	json_decref(doc);
	if (rc != 0) {
		buf_free(&b);
		return page_fail(c, 500, "The description could not be written.");
	}
	c->raw = buf_detach(&b, &c->raw_len);   /* as it is: no page layout in it */
	c->raw_ctype = "application/json";
	return 200;
}

/* GET /api/docs: the same description as a page. */
static int
app_api_docs(struct ctx *c)
{
	json_t *doc = describe();
	page_set(c, "operations", openapi_page(doc));
	json_decref(doc);
	c->api = 0;
	c->tmpl = "api_docs";
	c->title = "API reference";
	return 200;
}

/* ---------- the route table ---------- */

int
app_match(const char *pattern, const char *path, struct ctx *c, char *buf, size_t n)
{
	int k = 0;
	size_t used = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
		if (*p != '{') {
			if (pl != sl || strncmp(p, s, pl))
				return 0;
		} else {
			const char *close = memchr(p, '}', pl);
			if (!close || k == PAGE_MAX_PARAMS)
				return 0;
			size_t name = (size_t)(close - p - 1), ext = pl - (size_t)(close - p) - 1;
			if (sl <= ext || sl - ext > SEG_MAX || used + sl - ext + 1 > n || strncmp(s + sl - ext, close + 1, ext))
				return 0;
			char *v = buf + used;
			memcpy(v, s, sl - ext);
			v[sl - ext] = '\0';
			used += sl - ext + 1;
			c->seg[k] = v;
			c->id[k] = 0;
			if ((name == 1 && p[1] == 'n') || (name == 2 && !strncmp(p + 1, "id", 2))) {
				c->id[k] = str_to_id(v, 12);
				if (c->id[k] <= 0)
					return 0;
			}
			k++;
		}
		p += pl, s += sl;
	}
	return !*p && !*s;
}

static int
method_ok(const struct route *rt, const char *method)
{
	if (!strcmp(rt->method, "*"))
		return !strcmp(method, "GET") || !strcmp(method, "HEAD") || !strcmp(method, "POST");
	if (!strcmp(rt->method, "GET"))
		return !strcmp(method, "GET") || !strcmp(method, "HEAD");
	return !strcmp(rt->method, method);
}

static int
role_bits(const struct user *u)
{
	if (user_is_operator(u))
		return R_OPERATOR;
	if (user_is_partner_admin(u))
		return R_PARTNER | R_ADMIN;
	if (user_is_partner(u))
		return R_PARTNER;
	return R_TECHNICIAN;
}

static int
need_login(struct ctx *c)
{
	if (c->authed)
		return 0;
	if (c->api)
		return page_fail(c, 401, "Log in first.");
	buf_t uri, b;
	buf_init(&uri, 512);
	buf_init(&b, 1024);
	http_request_uri(c->r, &uri);
	buf_puts(&b, "/login?next=");
	buf_urlenc(&b, uri.overflow ? "/" : uri.data);
	int rc = page_redirect(c, b.overflow || uri.overflow ? "/login" : b.data);
	buf_free(&uri);
	buf_free(&b);
	return rc;
}

/* Finds the route of the request and calls it.  Returns the status. */
static int
route(struct ctx *c)
{
	const struct route *found = NULL;
	char allow[32] = "";
	for (size_t i = 0; i < FW_ARRAY_LEN(routes) && !found; i++) {
		if (!app_match(routes[i].pattern, c->path, c, c->segbuf, sizeof(c->segbuf)))
			continue;
		if (method_ok(&routes[i], c->method)) {
			found = &routes[i];
			break;
		}
		const char *m = !strcmp(routes[i].method, "*") ? "GET, HEAD, POST" : !strcmp(routes[i].method, "GET") ?
		    "GET, HEAD" : routes[i].method;
		if (!strstr(allow, m))
			snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s", allow[0] ? ", " : "", m);
	}
	if (!found || found->login) {
		int rc = need_login(c);
		if (rc)
			return rc;
	}
	if (!found && allow[0]) {
		http_add_header(c->r, "Allow", allow);
		return page_fail(c, 405, "This page does not take that kind of request.");
	}
	if (!found)
		return page_fail(c, 404, "There is no page at this address.");
	if (found->roles && !(found->roles & role_bits(&c->u)))
		return page_fail(c, 403, found->deny ? found->deny : "Your role does not open this page.");
	c->arg = found->arg;
	return found->fn(c);
}

/* ---------- layout and answer ---------- */

static void
add_layout(struct ctx *c)
{
	char title[256];
	snprintf(title, sizeof(title), "%s%s%s Partner Connect", c->title ? c->title : "", c->title ? " | " : "",
	    c->cfg->brand);
	page_str(c, "title", title);
	page_str(c, "brand", c->cfg->brand);
	page_lit(c->vm, "csrf", c->csrf);
	page_lit(c->vm, "asset_v", assets_version());
	if (!c->authed)
		return;
	json_t *u = json_object();
	page_lit(u, "name", c->u.name);
	page_lit(u, "email", c->u.email);
	page_lit(u, "role", c->u.role);
	page_lit(u, "role_label", user_role_label(c->u.role));
	page_lit(u, "company", c->u.org_name);
	page_lit(u, "time_zone", tz_name(c->z));
	page_set(c, "user", u);
	char label[160], banner[256];
	tz_label(c->z, label, sizeof(label));
	str_copy(banner, "All times displayed in this partner portal page are in ", sizeof(banner));
	str_copy(banner + strlen(banner), label, sizeof(banner) - strlen(banner));
	page_lit(c->vm, "banner", banner);
	static const struct { const char *key, *label, *href; } tabs[] = {
		{ "home", "Home", "/" },
		{ "work-orders", "Work Orders", "/work-orders" },
		{ "technicians", "Field Technician Management", "/technicians" },
		{ "dashboard", "Dashboard", "/dashboard" },
		{ "library", "Library", "/library" },
		{ "university", "Chargepoint University", "/university" },
	};
	static const char *const tab_fields[] = { "label", "href", "current" };
	struct rowset *t = page_rows(c, "tabs");
	if (rowset_init(t, tab_fields, 3, FW_ARRAY_LEN(tabs), 1024) == 0) {
		for (size_t i = 0; i < FW_ARRAY_LEN(tabs); i++) {
			if (i >= 2 && !strcmp(c->u.role, "technician"))
				continue;
			struct rs_val *o = rowset_add(t);
			/* a technician's list holds only their own work orders */
			const char *tl = i == 1 && !strcmp(c->u.role, "technician") ? "My Work Orders" : tabs[i].label;
			rowset_str(t, &o[0], tl, strlen(tl));
			rowset_str(t, &o[1], tabs[i].href, strlen(tabs[i].href));
			rowset_bool(&o[2], c->tab && !strcmp(c->tab, tabs[i].key));
		}
	}
	page_set(c, "can_manage_users", json_boolean(user_is_operator(&c->u) || user_is_partner_admin(&c->u)));
	page_set(c, "operator_nav", json_boolean(user_is_operator(&c->u)));
	if (json_object_get(c->vm, "unread") || c->bearer)
		return;   /* the page knows better (the notifications page read them all); an integration has no bell */
	int64_t unread = notify_unread(c->db, c->u.id);
	page_set(c, "unread", json_integer(unread < 0 ? 0 : unread > NOTIFY_UNREAD_MAX ? NOTIFY_UNREAD_MAX : unread));
	if (unread > NOTIFY_UNREAD_MAX)
		page_set(c, "unread_more", json_true());   /* "999+" */
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
	if (c->raw && (status == 200 || c->api)) {   /* a file, or an API answer replayed */
		http_set_body(r, status, c->raw_ctype, c->raw, c->raw_len, 0);
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
		c->nrowsets = 0;   /* the error page shows none of them (they are freed at the end) */
		c->vm = json_object();
		if (back)
			page_set(c, "back", back);
		page_str(c, "error", c->err);
		page_set(c, "status", json_integer(status));
		page_str(c, "reason", http_reason(status));
		c->title = http_reason(status);
	}
	if (status >= 400 && c->tmpl && c->err[0])
		page_str(c, "error", c->err);
	add_layout(c);
	http_add_header(r, "Cache-Control", "no-store");
	buf_t b;
	buf_init(&b, HTML_CAP);
	buf_reserve(&b, 96 * 1024);   /* a list page of 50 rows at once (no copy as it grows); bigger ones grow */
	if (c->api) {
		if (jsonw_dump(c->vm, c->named, (size_t)c->nrowsets, &b) != 0) {
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
	if (tmpl_render(status >= 400 && !c->tmpl ? "error" : c->tmpl, c->vm, c->named, (size_t)c->nrowsets, &b) != 0) {
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

/* ---------- the request ---------- */

void
app_handle(struct req *r)
{
	if (!strncmp(r->url, "/static/", 8)) {
		assets_serve(r);
		return;
	}
	if (!strcmp(r->url, "/healthz")) {
		static char ok[] = "ok\n";
		http_set_body(r, 200, "text/plain; charset=utf-8", ok, 3, 1);
		return;
	}
	struct ctx c = { .r = r, .path = r->url, .cfg = cfg, .method = r->method };
	pool_json_open();   /* the view-model dies with this request */
	c.vm = json_object();
	c.z = tz_get(DEFAULT_TZ);
	if (!c.z)
		c.z = tz_utc();
	if (!strncmp(r->url, "/api/", 5) || !strcmp(r->url, "/api")) {
		c.api = 1;
		c.path = r->url[4] ? r->url + 4 : "/";
	}
	int status;
	const char *idem = NULL;   /* the Idempotency-Key claimed for this POST */
	c.db = db_thread();
	if (r->bad_input) {
		status = page_fail(&c, 400, "The address contains characters that are not valid UTF-8.");
		goto out;
	}
	if (!c.db) {
		status = page_fail(&c, 503, "The database is not available.");
		goto out;
	}
	/* A page is read in one transaction: one consistent snapshot, and one
	 * lock round trip instead of one per statement.  Actions (POST) run
	 * their own write transactions. */
	c.reading = strcmp(r->method, "POST") != 0 && db_read_begin(c.db) == 0;
	const char *authz = http_header(r, "Authorization");
	if (authz && !strncasecmp(authz, "Bearer ", 7)) {
		/* a token: no cookie is read, no CSRF token is needed */
		status = api_bearer(&c, authz);
		if (status)
			goto out;
	} else {
		int s = auth_session(c.db, http_cookie(r, AUTH_COOKIE), &c.u, c.csrf);
		if (s < 0) {
			status = page_fail(&c, 503, "The database is busy; try again.");
			goto out;
		}
		c.authed = s == 0;
	}
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
			page_set_cookie(&c, AUTH_PRE_COOKIE, c.csrf, -1);
		}
	}
	if (!strcmp(r->method, "POST") && cfg->readonly) {
		status = page_fail(&c, 503, "The portal is read-only at the moment: nothing can be changed. Try again later.");
		goto out;
	}
	if (!strcmp(r->method, "POST")) {
		const char *ct = http_header(r, "Content-Type");
		char err[200];
		if (ct && c.api && !strncasecmp(ct, "application/json", 16)) {
			if (http_form_from_json(r, err, sizeof(err)) != 0) {
				status = page_fail(&c, 400, err);
				goto out;
			}
		} else if (r->body.len && !r->multipart && (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)) {
			status = page_fail(&c, 415, c.api ? "Send the fields as application/json, a form, or multipart/form-data."
			    : "Send forms as application/x-www-form-urlencoded.");
			goto out;
		}
		if (!http_form_ok(r)) {
			status = page_fail(&c, 400, "The form contains characters that are not valid UTF-8.");
			goto out;
		}
		if (!c.bearer && !csrf_check(&c)) {
			status = page_fail(&c, 403, "This form has expired or came from another site. Reload the page and try again.");
			goto out;
		}
		idem = c.authed && c.api ? http_header(r, "Idempotency-Key") : NULL;
		if (idem && (status = api_idem_claim(&c, idem)) != 0) {
			idem = NULL;
			goto out;
		}
	}
	status = api_post(&c, route);
out:
	respond(&c, status);   /* in the snapshot still: the layout reads the unread count */
	if (c.reading)
		db_read_end(c.db);
	if (c.db)
		db_thread_end_request(c.db);
	if (idem)
		api_idem_store(&c, idem, status);
	json_decref(c.vm);
	for (int i = 0; i < PAGE_ROWSETS; i++)
		rowset_free(&c.rowsets[i]);
	pool_json_close();
	sodium_memzero(c.csrf, sizeof(c.csrf));
}

int
app_admit(struct req *r)
{
	db_t *db = db_thread();
	if (!db)
		return 503;
	struct user u;
	char csrf[AUTH_TOKEN_LEN];
	const char *authz = http_header(r, "Authorization");
	struct token_info ti;
	/* an upload is admitted for a session, or for a token that may write */
	int s = authz && !strncasecmp(authz, "Bearer ", 7) ? token_check(db, authz + 7, &u, &ti) :
	    auth_session(db, http_cookie(r, AUTH_COOKIE), &u, csrf);
	if (s == 0 && authz && !strncasecmp(authz, "Bearer ", 7) && !ti.can_write)
		s = 1;
	sodium_memzero(csrf, sizeof(csrf));
	if (s < 0)
		return 503;
	if (s > 0 || cfg->readonly)
		return s > 0 ? 403 : 503;
	r->uid = u.id;
	return 0;
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
	assets_load();
	return 0;
}

void
app_shutdown(void)
{
	tmpl_free_all();
}
