/* wo_actions.c -- the forms and buttons that change a work order: the guide's
 * chapters 5 (Accept), 7 (scheduling), 8 (Shipped), 9 (On Hold), 10
 * (Completed) and 11 (Cancel, Could Not Complete, Reject), and the
 * operator's side of each.  Domain: lifecycle.c. */
#include "handlers.h"
#include "lifecycle.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills the form page of action A for work order WO (GET, or POST again
 * with the user's values and errors). */
static void
action_form(struct ctx *c, const struct lc_action *a, json_t *wo, json_t *values, json_t *errs)
{
	c->tmpl = "wo_action";
	c->title = a->title;
	c->tab = "work-orders";
	page_str(c, "action_title", a->title);
	page_str(c, "action", a->key);
	char flag[48];
	snprintf(flag, sizeof(flag), "form_%s", a->key);
	for (char *p = flag; *p; p++)
		if (*p == '-')
			*p = '_';
	page_set(c, flag, json_true());
	page_set(c, "max", lc_field_limits());
	page_set(c, "values", values ? json_incref(values) : json_object());
	page_set(c, "errors", errs ? json_incref(errs) : json_object());
	const char *reason = values ? json_string_value(json_object_get(values, "reason")) : NULL;
	const char *delay = values ? json_string_value(json_object_get(values, "delay_reason")) : NULL;
	page_set(c, "delay_reasons", page_string_list(lc_delay_reasons, FW_ARRAY_LEN(lc_delay_reasons), delay));
	page_set(c, "could_not_reasons", page_string_list(lc_could_not_reasons, FW_ARRAY_LEN(lc_could_not_reasons), reason));
	page_set(c, "cancel_reasons", page_string_list(lc_cancel_reasons, FW_ARRAY_LEN(lc_cancel_reasons), reason));
	if (!strcmp(a->key, "complete")) {
		json_t *m = lc_missing_for_complete(c->db, json_integer_value(json_object_get(wo, "number")));
		page_set(c, "missing_any", json_boolean(m && json_array_size(m)));
		page_set(c, "missing", m ? m : json_array());
	}
	if (!strcmp(a->key, "accept-shipping"))
		page_set(c, "suggestions", lc_address_suggestions(c->db, json_integer_value(json_object_get(wo, "number")), ""));
	page_set(c, "wo", json_incref(wo));
}

/* The defaults of an action's form: what the work order already holds. */
static json_t *
form_defaults(const struct lc_action *a, json_t *wo)
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
		json_t *tr = json_object_get(wo, "travel");
		json_object_update(v, tr);
		if (!*json_string_value(json_object_get(tr, "travel_cost")))   /* the contract's rate to start from */
			json_object_set(v, "travel_cost", json_object_get(tr, "contract_rate"));
	} else if (!strcmp(a->key, "schedule") || !strcmp(a->key, "site-times")) {
		json_object_update(v, json_object_get(wo, "form"));
	} else if (!strcmp(a->key, "delivery-date")) {
		const char *est = json_string_value(json_object_get(wo, "estimated_delivery_date"));
		if (est && strlen(est) >= 10)
			json_object_set_new(v, "estimated_delivery", json_stringn(est, 10));
	}
	json_object_set(v, "version", json_object_get(wo, "version"));
	return v;
}

/* Loads the work order the action's address names; 0, or a status. */
static int
load_wo(struct ctx *c, json_t **wo)
{
	struct wo_scope sc;
	if (page_scope(c, &sc) != 0)
		return page_fail(c, 404, "Work order not found.");
	int rc = wo_get(c->db, &sc, c->id[0], c->z, wo);
	if (rc != WO_OK)
		return page_fail(c, rc == WO_NOT_FOUND ? 404 : 500, rc == WO_NOT_FOUND ? "Work order not found." :
		    "The work order could not be read.");
	return 0;
}

/* 1 (with the 403 message) when U's role may not take action AI at all:
 * its form is not theirs to open or send (lc_role_may, lc_may's rule). */
static int
technician_refused(struct ctx *c, int ai)
{
	char msg[256];
	if (lc_role_may(&c->u, ai, msg, sizeof(msg)))
		return 0;
	page_fail(c, 403, msg);
	return 1;
}

/* GET /work-orders/{n}/{action}: the action's form. */
int
wo_actions_form(struct ctx *c)
{
	int ai = lc_action_find(c->seg[1]);
	if (ai < 0)
		return page_fail(c, 404, "Work order not found.");
	const struct lc_action *a = &lc_actions[ai];
	if (technician_refused(c, ai))
		return 403;
	if (!a->title)
		return page_fail(c, 405, "This action is a button on the work order page.");
	json_t *wo;
	int st = load_wo(c, &wo);
	if (st)
		return st;
	json_t *d = form_defaults(a, wo);
	action_form(c, a, wo, d, NULL);
	json_decref(d);
	json_decref(wo);
	return 200;
}

/* POST /work-orders/{n}/{action}: the action itself. */
int
wo_actions_post(struct ctx *c)
{
	int ai = lc_action_find(c->seg[1]);
	if (ai < 0)
		return page_fail(c, 404, "Work order not found.");
	const struct lc_action *a = &lc_actions[ai];
	const char *key = a->key;
	if (technician_refused(c, ai))
		return 403;
	int64_t number = c->id[0];
	json_t *wo = NULL;   /* read only to show the form again: lc_do checks who may see it */
	json_t *f = page_posted(c), *errs = json_object();
	char msg[512] = "";
	int64_t made = 0;
	int rc = lc_do(c->db, &c->u, number, key, f, c->z, errs, msg, sizeof(msg), &made);
	int status;
	if (rc == LC_OK) {
		char loc[160];
		if (!strcmp(key, "accept-shipping"))
			snprintf(loc, sizeof(loc), "/work-orders/%lld/accept-travel", (long long)number);
		else if (!strcmp(key, "reissue")) {
			snprintf(loc, sizeof(loc), "/work-orders/%lld?done=reissue", (long long)made);
			c->created = 1;
		} else
			snprintf(loc, sizeof(loc), "/work-orders/%lld%s?done=%s", (long long)number,
			    !strcmp(key, "woli") ? "/related" : "", key);
		status = page_redirect(c, loc);
	} else if ((rc == LC_BAD_INPUT || rc == LC_CONFIRM) && a->title) {
		/* the form again, with what was typed; load_wo's 404 if the work
		 * order went meanwhile */
		if ((status = load_wo(c, &wo)) == 0) {
			action_form(c, a, wo, f, errs);
			if (rc == LC_CONFIRM)
				page_set(c, "confirm_sla", json_true());
			else
				page_str(c, "error", msg[0] ? msg : "Some fields need your attention.");
			status = rc == LC_CONFIRM ? 409 : 422;
		}
	} else {
		status = page_fail(c, rc == LC_NOT_FOUND ? 404 : rc == LC_ERROR ? 500 : rc == LC_BAD_INPUT ? 422 : 409, msg);
		if (rc != LC_NOT_FOUND)
			page_set(c, "back", json_integer(number));
	}
	json_decref(f);
	json_decref(errs);
	json_decref(wo);
	return status;
}

int
wo_actions_suggest(struct ctx *c)
{
	int64_t n = str_to_id(http_query(c->r, "wo") ? http_query(c->r, "wo") : "", 12);
	struct wo_scope sc;
	json_t *wo;
	if (n <= 0 || page_scope(c, &sc) || wo_get(c->db, &sc, n, c->z, &wo) != WO_OK)
		return page_fail(c, 404, "Work order not found.");
	json_decref(wo);
	const char *q = http_query(c->r, "q");
	if (!q || strlen(q) > 100)
		return page_fail(c, 400, "Type up to 100 characters of a street.");
	if (!c->api)
		return page_fail(c, 404, "Address suggestions are part of the API: /api/address-suggestions.");
	page_set(c, "suggestions", lc_address_suggestions(c->db, n, q));
	return 200;
}
