/* home.c -- Home (the guide's chapter 1 landing page), Settings (time zone,
 * email, calendar feeds) and the notifications page.  Domain: wo.c and
 * dash.c for the numbers, user.c, notify.c, export.c for calendar feeds. */
#include "handlers.h"
#include "dash.h"
#include "export.h"
#include "notify.h"
#include "status.h"
#include "tech.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
home_get(struct ctx *c)
{
	c->tmpl = "home";
	c->title = "Home";
	c->tab = "home";
	const char *seismic = getenv("FIELDWORK_SEISMIC_URL"), *store = getenv("FIELDWORK_STORE_URL");
	if (seismic && !strncmp(seismic, "https://", 8))
		page_str(c, "seismic_url", seismic);
	if (store && !strncmp(store, "https://", 8))
		page_str(c, "store_url", store);
	struct wo_scope sc;
	if (page_scope(c, &sc) == 0 && !sc.tech_id) {   /* a technician's Home has no company numbers */
		json_t *counts;
		if (wo_status_counts(c->db, &sc, &counts) != WO_OK)
			return page_fail(c, 500, "The work order counts could not be read.");
		int64_t open = 0, assigned = json_integer_value(json_object_get(counts, "Assigned"));
		for (size_t i = 0; status_name(i); i++)
			if (status_is_open(status_name(i)))
				open += json_integer_value(json_object_get(counts, status_name(i)));
		json_t *g = json_object();
		json_object_set_new(g, "open", json_integer(open));
		json_object_set_new(g, "assigned", json_integer(assigned));
		json_object_set_new(g, "in_progress", json_integer(json_integer_value(json_object_get(counts, "In Progress"))));
		json_object_set_new(g, "by_status", counts);
		int64_t risk = sc.tech_id ? 0 : dash_at_risk(c->db, sc.all ? 0 : sc.org_id, now_utc());
		json_object_set_new(g, "at_risk", json_integer(risk > 0 ? risk : 0));
		page_set(c, "glance", g);
	}
	return 200;
}

/* Settings' notifications: each kind on or off, and email for each one,
 * once a day as a digest at a local hour, or never.  0, or a status. */
static int
save_notifications(struct ctx *c)
{
	const char *mode = page_form(c, "email_mode");
	const char *hour_s = page_form(c, "digest_hour");
	int hour = -1;
	if (!*mode)
		return 0;   /* a form without them (only the time zone): left as they are */
	if (!strcmp(mode, "digest")) {
		char *end;
		long h = strtol(hour_s, &end, 10);
		if (!*hour_s || *end || h < 0 || h > 23) {
			page_str(c, "error", "Choose the hour of the daily digest.");
			page_str(c, "digest_error", "Choose the hour of the daily digest.");
			return 0;
		}
		hour = (int)h;
	} else if (strcmp(mode, "each") && strcmp(mode, "off")) {
		page_str(c, "error", "Choose how you want email.");
		return 0;
	}
	int on[16] = { 0 };
	for (size_t i = 0; i < 16 && notify_kind(i, NULL); i++) {
		char field[40];
		snprintf(field, sizeof(field), "kind_%s", notify_kind(i, NULL));
		on[i] = !strcmp(page_form(c, field), "on");
	}
	if (notify_save_prefs(c->db, c->u.id, !strcmp(mode, "each"), hour, on))
		return page_fail(c, 500, "The settings could not be saved.");
	return 0;
}

/* The notification settings' view-model. */
static void
notifications_vm(struct ctx *c)
{
	json_t *kinds = json_array();
	const char *label;
	for (size_t i = 0; notify_kind(i, &label); i++) {
		json_t *o = json_object();
		json_object_set_new(o, "key", json_string(notify_kind(i, NULL)));
		json_object_set_new(o, "label", json_string(label));
		json_object_set_new(o, "on", json_boolean(notify_wants(c->db, c->u.id, notify_kind(i, NULL)) != 0));
		json_array_append_new(kinds, o);
	}
	page_set(c, "kinds", kinds);
	int hour = notify_digest_hour(c->db, c->u.id);
	int each = notify_email_pref(c->db, c->u.id) == 1;
	const char *mode = hour >= 0 ? "digest" : each ? "each" : "off";
	json_t *modes = json_array();
	static const char *const mv[3][2] = { { "each", "Email me each notification" },
		{ "digest", "One email a day: the daily digest" }, { "off", "No email" } };
	for (int i = 0; i < 3; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "value", json_string(mv[i][0]));
		json_object_set_new(o, "label", json_string(mv[i][1]));
		json_object_set_new(o, "selected", json_boolean(!strcmp(mode, mv[i][0])));
		json_array_append_new(modes, o);
	}
	page_set(c, "email_modes", modes);
	json_t *hours = json_array();
	for (int h = 0; h < 24; h++) {
		char l[16];
		snprintf(l, sizeof(l), "%d:00 %s", h % 12 ? h % 12 : 12, h < 12 ? "AM" : "PM");
		json_t *o = json_object();
		json_object_set_new(o, "value", json_integer(h));
		json_object_set_new(o, "label", json_string(l));
		json_object_set_new(o, "selected", json_boolean(h == (hour >= 0 ? hour : 7)));
		json_array_append_new(hours, o);
	}
	page_set(c, "digest_hours", hours);
}

int
home_settings(struct ctx *c)
{
	int post = page_is_post(c);
	c->tmpl = "settings";
	c->title = "Settings";
	const char *want = post ? page_form(c, "time_zone") : c->u.tz;
	if (post) {
		int st = save_notifications(c);
		if (st)
			return st;
	}
	int offered = 0;
	for (size_t i = 0; tz_offered(i); i++)
		if (!strcmp(tz_offered(i), want))
			offered = 1;
	if (post) {
		if (!offered || !tz_get(want)) {
			page_str(c, "error", "Choose a time zone from the list.");
			want = c->u.tz;
		} else if (user_set_time_zone(c->db, c->u.id, want) != 0) {
			return page_fail(c, 500, "The time zone could not be saved.");
		} else {
			str_copy(c->u.tz, want, sizeof(c->u.tz));
			c->z = tz_get(want);
			page_str(c, "notice", "Your settings are saved.");
		}
	}
	home_settings_view(c);
	return post && json_object_get(c->vm, "error") ? 422 : 200;
}

void
home_settings_view(struct ctx *c)
{
	c->tmpl = "settings";
	c->title = "Settings";
	integrations_tokens_view(c);
	const char *done = http_query(c->r, "done");
	static const char *const notices[][2] = {
		{ "token-revoked", "The token is revoked: it no longer opens the API." },
		{ "webhook-removed", "The endpoint is removed: nothing more is sent to it." },
		{ "webhook-resent", "The delivery is queued again: it is sent in a moment." },
	};
	for (size_t i = 0; done && i < FW_ARRAY_LEN(notices); i++)
		if (!strcmp(done, notices[i][0]))
			page_str(c, "notice", notices[i][1]);
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
	page_set(c, "zones", zones);
	notifications_vm(c);
	if (user_is_partner(&c->u)) {
		json_t *feeds = ex_cal_list(c->db, &c->u, c->z);
		page_set(c, "calendar_feeds", feeds ? feeds : json_array());
		page_set(c, "calendars", json_true());
		page_set(c, "is_admin", json_boolean(user_is_partner_admin(&c->u)));
		if (user_is_partner_admin(&c->u)) {
			struct tech_filter f = { .my_org = 1 };
			json_t *t = tech_search(c->db, &c->u, &f, 0, c->z);
			page_set(c, "technicians", t ? json_incref(json_object_get(t, "rows")) : json_array());
			json_decref(t);
		}
	}
}

int
home_notifications(struct ctx *c)
{
	enum { PAGE = 50 };
	const char *b = http_query(c->r, "before");
	int64_t before = b ? str_to_id(b, 18) : 0;
	if (before < 0)
		return page_fail(c, 400, "before is the id of a notification.");
	json_t *list = notify_list(c->db, c->u.id, before, PAGE + 1, c->z);
	if (!list)
		return page_fail(c, 500, "The notifications could not be read.");
	if (json_array_size(list) > PAGE) {   /* a page more: the cursor to it */
		json_array_remove(list, PAGE);
		char next[64];
		snprintf(next, sizeof(next), "/notifications?before=%lld",
		    (long long)json_integer_value(json_object_get(json_array_get(list, PAGE - 1), "id")));
		page_str(c, "next_href", next);
	}
	/* best effort: the page is shown whether or not the mark is saved */
	notify_mark_read(c->db, c->u.id);
	page_set(c, "unread", json_integer(0));
	c->tmpl = "notifications";
	c->title = "Notifications";
	page_set(c, "notifications", list);
	return 200;
}

int
home_calendar_new(struct ctx *c)
{
	if (!user_is_partner(&c->u))
		return page_fail(c, 403, "Calendar feeds are for partner companies and their technicians.");
	char msg[256] = "";
	const char *t = page_form(c, "technician");
	int64_t tech = *t ? str_to_id(t, 12) : 0;
	char token[AUTH_TOKEN_LEN], path[AUTH_TOKEN_LEN + 32], link[768];
	int rc = tech < 0 ? EX_BAD : ex_cal_issue(c->db, &c->u, tech, token, msg, sizeof(msg));
	if (rc == EX_BAD || rc == EX_NOT_FOUND) {
		home_settings_view(c);   /* the form again, the message beside it */
		page_str(c, "calendar_error", msg[0] ? msg : "Choose a technician of your company, or the whole company.");
		return 422;
	}
	if (rc != EX_OK)
		return page_fail(c, 500, msg[0] ? msg : "The calendar link could not be made.");
	snprintf(path, sizeof(path), "/calendar/%s.ics", token);
	page_link(c, path, link, sizeof(link));
	sodium_memzero(token, sizeof(token));
	sodium_memzero(path, sizeof(path));
	c->tmpl = "link_issued";
	c->title = "Calendar feed";
	page_str(c, "name", tech ? "the technician's calendar" : "your calendar");
	page_str(c, "email", c->u.email);
	page_str(c, "link", link);
	page_str(c, "what", "calendar subscription link");
	page_set(c, "calendar", json_true());
	sodium_memzero(link, sizeof(link));
	return 200;
}

int
home_calendar_revoke(struct ctx *c)
{
	if (!user_is_partner(&c->u))
		return page_fail(c, 403, "Calendar feeds are for partner companies and their technicians.");
	int rc = ex_cal_revoke(c->db, &c->u, c->id[0]);
	if (rc == EX_NOT_FOUND)
		return page_fail(c, 404, "No such calendar feed.");
	if (rc != EX_OK)
		return page_fail(c, 500, "The feed could not be revoked.");
	return page_redirect(c, "/settings");
}

/* The feed itself: the token in the address is the key, no login. */
int
home_calendar_feed(struct ctx *c)
{
	buf_t b;
	buf_init(&b, 8u << 20);
	int rc = ex_cal_feed(c->db, c->seg[0], c->cfg->brand, &b);
	if (rc != EX_OK) {
		buf_free(&b);
		return page_fail(c, rc == EX_NOT_FOUND ? 404 : 500, rc == EX_NOT_FOUND ? "No such calendar." :
		    "The calendar could not be made.");
	}
	c->raw_ctype = "text/calendar; charset=utf-8";
	c->raw = buf_detach(&b, &c->raw_len);
	return 200;
}
