/* wo_tabs.c -- the work order page and its tabs: the guide's chapter 4 (Details,
 * Related, Related RMA / FSO, Collaborate, WO Assignment), Print and
 * Create Service Report.  Domain: wo.c (the record), lifecycle.c (which
 * buttons), feed.c, notify.c (Follow), report.c. */
#include "handlers.h"
#include "feed.h"
#include "lifecycle.h"
#include "notify.h"
#include "report.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The Related RMA / FSO tab shows the latest few part orders, and View All
 * (?all=1) every one, as the guide's related lists do.  This function
 * can't fail. */
static void
rma_view_all(struct ctx *c, json_t *wo)
{
	enum { SHOWN = 5 };
	json_t *po = json_object_get(wo, "part_orders");
	size_t n = json_array_size(po);
	const char *all = http_query(c->r, "all");
	page_set(c, "rma_total", json_integer((json_int_t)n));
	if (all && !strcmp(all, "1")) {
		page_set(c, "rma_all", json_true());
		return;
	}
	if (n <= SHOWN)
		return;
	while (json_array_size(po) > SHOWN)
		json_array_remove(po, json_array_size(po) - 1);
	char href[64];
	snprintf(href, sizeof(href), "/work-orders/%lld/rma-fso?all=1", (long long)c->id[0]);
	page_str(c, "rma_view_all", href);
}

/* The feed as the page shows it: people's posts one by one, and each run
 * of routine posts by the portal (status changes nobody commented on)
 * folded into one item [{post} | {group: {count, label, posts}}].  The
 * caller owns the array.  This function can't fail. */
static json_t *
feed_items(json_t *feed)
{
	json_t *items = json_array(), *run = NULL;
	size_t i;
	json_t *p;
	json_array_foreach(feed, i, p) {
		int routine = json_is_true(json_object_get(p, "routine")) && !json_array_size(json_object_get(p, "comments"));
		if (!routine) {
			run = NULL;
			json_t *it = json_object();
			json_object_set(it, "post", p);
			json_array_append_new(items, it);
			continue;
		}
		if (!run) {
			json_t *it = json_object();
			run = json_object();
			json_object_set_new(run, "posts", json_array());
			json_object_set_new(it, "group", run);
			json_array_append_new(items, it);
		}
		json_array_append(json_object_get(run, "posts"), p);
		size_t n = json_array_size(json_object_get(run, "posts"));
		char label[48];
		snprintf(label, sizeof(label), "%zu update%s from the portal", n, n == 1 ? "" : "s");
		json_object_set_new(run, "label", json_string(label));
	}
	return items;
}

int
wo_tabs_show(struct ctx *c)
{
	struct wo_scope sc;
	if (page_scope(c, &sc) != 0)
		return page_fail(c, 404, "Work order not found.");
	const char *tab = c->arg;
	int64_t number = c->id[0];
	static const struct { const char *key, *label; } tabs[] = {
		{ "", "Details" }, { "related", "Related" }, { "rma-fso", "Related RMA / FSO" }, { "collaborate", "Collaborate" },
		{ "assignment", "WO Assignment" },
	};
	int t = -1;
	for (int i = 0; i < (int)FW_ARRAY_LEN(tabs); i++)
		if (!strcmp(tab, tabs[i].key))
			t = i;
	if (t < 0)
		return page_fail(c, 404, "Work order not found.");
	json_t *wo;
	int rc = wo_get(c->db, &sc, number, c->z, &wo);
	if (rc == WO_NOT_FOUND)
		return page_fail(c, 404, "Work order not found.");
	if (rc != WO_OK)
		return page_fail(c, 500, "The work order could not be read.");
	if (!c->bearer)   /* what a person opened, not what an integration read */
		wo_record_view(c->db, c->u.id, number);
	struct lc_state st = { json_string_value(json_object_get(wo, "status")),
		json_is_true(json_object_get(wo, "parts_needed")), "", json_integer_value(json_object_get(wo, "reissued_as")) };
	json_t *can = lc_allowed(&c->u, &st);
	page_set(c, "can", can);
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
	page_set(c, "is_operator", json_boolean(user_is_operator(&c->u)));
	if (c->cfg->tiles && json_object_get(wo, "map"))
		page_str(c, "map_tiles", c->cfg->tiles);
	const char *done = http_query(c->r, "done");
	int da = done ? lc_action_find(done) : -1;
	if (da >= 0)
		page_str(c, "notice", lc_actions[da].done);
	else if (done && !strcmp(done, "assigned"))
		page_str(c, "notice", "The work order is successfully assigned to the technician.");
	page_set(c, "wo", wo);
	int technician = !strcmp(c->u.role, "technician");
	page_set(c, "is_technician", json_boolean(technician));
	if (technician && t >= 3)
		return page_fail(c, 403, PAGE_DENY_TECH);
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
	page_set(c, "wo_tabs", ta);
	static const char *tab_flags[] = { "tab_details", "tab_related", "tab_rma", "tab_collaborate", "tab_assignment" };
	page_set(c, tab_flags[t], json_true());
	if (t == 2)
		rma_view_all(c, wo);
	if (t == 4 && technicians_assignment_view(c, number) != 0)
		return page_fail(c, 400, c->err[0] ? c->err : "The search could not be run.");
	page_set(c, "following", json_boolean(notify_following(c->db, c->u.id, number) == 1));
	if (t == 3) {
		const char *sort = http_query(c->r, "sort"), *q = http_query(c->r, "q");
		if (sort && strcmp(sort, "activity") && strcmp(sort, "latest"))
			return page_fail(c, 400, "Sort the feed by activity or latest.");
		if (q && strlen(q) > 200)
			return page_fail(c, 400, "Search this feed is limited to 200 characters.");
		enum { PAGE = 50 };
		const char *b = http_query(c->r, "before");
		int64_t before = b ? str_to_id(b, 18) : 0;
		if (before < 0)
			return page_fail(c, 400, "before is the id of a post.");
		json_t *feed = feed_list(c->db, &c->u, number, sort, q, before, PAGE + 1, c->z);
		if (!feed)
			return page_fail(c, 500, "The feed could not be read.");
		if (json_array_size(feed) > PAGE) {   /* a page more: the cursor to it */
			json_array_remove(feed, PAGE);
			buf_t nx;
			buf_init(&nx, 512);
			buf_printf(&nx, "/work-orders/%lld/collaborate?sort=%s&before=%lld", (long long)number,
			    sort ? sort : "activity", (long long)json_integer_value(json_object_get(json_array_get(feed, PAGE - 1), "id")));
			if (q && *q) {
				buf_puts(&nx, "&q=");
				buf_urlenc(&nx, q);
			}
			if (!nx.overflow)
				page_str(c, "next_href", nx.data);
			buf_free(&nx);
		}
		page_set(c, "feed_items", feed_items(feed));
		page_set(c, "feed", feed);
		page_set(c, "feed_latest", json_boolean(sort && !strcmp(sort, "latest")));
		page_str(c, "feed_q", q ? q : "");
		page_set(c, "taggable", feed_taggable(c->db, &c->u, number, ""));
	}
	c->tmpl = "wo_show";
	c->tab = "work-orders";
	char heading[40];
	snprintf(heading, sizeof(heading), "Work Order %lld", (long long)number);
	page_str(c, "heading", heading);
	/* the view-model outlives the handler, so the title may point into it */
	c->title = json_string_value(json_object_get(c->vm, "heading"));
	return 200;
}

int
wo_tabs_print(struct ctx *c)
{
	int64_t number = c->id[0];
	struct wo_scope sc;
	json_t *wo;
	if (page_scope(c, &sc) != 0 || wo_get(c->db, &sc, number, c->z, &wo) != WO_OK)
		return page_fail(c, 404, "Work order not found.");
	json_t *feed = feed_list(c->db, &c->u, number, "latest", NULL, 0, 1000, c->z);
	page_set(c, "wo", wo);
	page_set(c, "feed", feed ? feed : json_array());
	char printed[32];
	tz_fmt_datetime(c->z, now_utc(), printed);
	page_str(c, "printed", printed);
	c->tmpl = "wo_print";
	c->title = json_string_value(json_object_get(wo, "subject"));
	return 200;
}

int
wo_tabs_service_report(struct ctx *c)
{
	int64_t number = c->id[0];
	struct wo_scope sc;
	json_t *wo;
	if (page_scope(c, &sc) != 0 || wo_get(c->db, &sc, number, c->z, &wo) != WO_OK)
		return page_fail(c, 404, "Work order not found.");
	buf_t pdf;
	buf_init(&pdf, 64u << 20);
	char msg[256], printed[32], title[64];
	tz_fmt_datetime(c->z, now_utc(), printed);
	int rc = report_service_pdf(c->db, wo, c->cfg->brand, printed, &pdf, msg, sizeof(msg));
	json_decref(wo);
	if (rc != 0) {
		buf_free(&pdf);
		return page_fail(c, 500, msg);
	}
	snprintf(title, sizeof(title), "Service Report %lld.pdf", (long long)number);
	int64_t id;
	msg[0] = '\0';
	rc = files_replace(c->db, &c->u, number, title, pdf.data, pdf.len, &id, msg, sizeof(msg));   /* one copy */
	buf_free(&pdf);
	if (rc != FILES_OK)
		return page_fail(c, rc == FILES_BAD ? 422 : 500, msg);
	char loc[64];
	snprintf(loc, sizeof(loc), "/files/%lld", (long long)id);
	return page_redirect(c, loc);
}
