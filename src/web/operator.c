/* operator.c -- the operator's own pages: New Work Order, the queue (Request For
 * Assistance, missed SLA) and the SLA settings (entitlements, holidays,
 * covered miles).  Domain: lifecycle.c (create), queue.c, sla.c, user.c. */
#include "handlers.h"
#include "lifecycle.h"
#include "queue.h"
#include "sla.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
operator_wo_new(struct ctx *c)
{
	if (!user_is_operator(&c->u))
		return page_fail(c, 403, "Only the operator creates work orders.");
	int post = page_is_post(c);
	c->tmpl = "wo_new";
	c->title = "New Work Order";
	c->tab = "work-orders";
	json_t *ch = lc_choices(c->db);
	if (!ch)
		return page_fail(c, 500, "The choices could not be read.");
	page_set(c, "choices", ch);
	if (!post) {
		page_set(c, "values", json_object());
		page_set(c, "errors", json_object());
		return 200;
	}
	json_t *f = page_posted(c), *errs = json_object();
	char msg[256] = "";
	int64_t n = 0;
	int rc = lc_create(c->db, &c->u, f, c->z, errs, msg, sizeof(msg), &n);
	if (rc == LC_OK) {
		json_decref(f);
		json_decref(errs);
		char loc[96];
		snprintf(loc, sizeof(loc), "/work-orders/%lld?done=created", (long long)n);
		return page_redirect(c, loc);
	}
	page_set(c, "values", f);
	page_set(c, "errors", errs);
	page_str(c, "error", msg);
	return rc == LC_BAD_INPUT ? 422 : 500;
}

int
operator_queue(struct ctx *c)
{
	if (!user_is_operator(&c->u))
		return page_fail(c, 403, "The queue is the operator's.");
	json_t *q = queue_list(c->db, c->z);
	if (!q)
		return page_fail(c, 500, "The queue could not be read.");
	c->tmpl = "queue";
	c->title = "Queue";
	page_set(c, "queue", q);
	return 200;
}

int
operator_queue_resolve(struct ctx *c)
{
	if (!user_is_operator(&c->u))
		return page_fail(c, 403, "The queue is the operator's.");
	int rc = queue_resolve(c->db, &c->u, c->id[0]);
	if (rc < 0)
		return page_fail(c, 500, "The request could not be updated.");
	if (rc)
		return page_fail(c, 404, "No such open request.");
	return page_redirect(c, "/queue");
}

int
operator_sla(struct ctx *c)
{
	if (!user_is_operator(&c->u))
		return page_fail(c, 403, "The SLA settings are the operator's.");
	int post = page_is_post(c);
	c->tmpl = "sla";
	c->title = "SLA Settings";
	int status = 200;
	if (post) {
		char msg[256] = "";
		const char *what = page_form(c, "what");
		int64_t id = str_to_id(page_form(c, "id"), 12);
		int ok, failed;   /* each module answers in its own codes */
		if (!strcmp(what, "entitlement")) {
			int rc = sla_set_entitlement_days(c->db, id, page_form(c, "business_days"), msg, sizeof(msg));
			ok = rc == SLA_OK, failed = rc == SLA_ERROR;
		} else if (!strcmp(what, "covered-miles")) {
			int rc = org_set_covered_miles(c->db, id, page_form(c, "miles"), msg, sizeof(msg));
			ok = rc == USER_OK, failed = rc == USER_ERROR;
		} else if (!strcmp(what, "holiday") || !strcmp(what, "remove-holiday")) {
			int rc = sla_holiday(c->db, page_form(c, "day"), page_form(c, "name"), !strcmp(what, "remove-holiday"), msg,
			    sizeof(msg));
			ok = rc == SLA_OK, failed = rc == SLA_ERROR;
		} else {
			ok = failed = 0;
		}
		if (ok)
			return page_redirect(c, "/sla?saved=1");
		page_str(c, "error", msg[0] ? msg : "Choose what to change.");
		status = failed ? 500 : 422;
	}
	if (http_query(c->r, "saved"))
		page_str(c, "notice", "The SLA settings are saved. New Target SLA Dates use them.");
	json_t *st = sla_settings(c->db);
	if (!st)
		return page_fail(c, 500, "The settings could not be read.");
	page_set(c, "sla", st);
	return status;
}
