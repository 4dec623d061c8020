/* operator.c -- the operator's own pages: New Work Order, the queue (Request For
 * Assistance, missed SLA) and the SLA settings (entitlements, holidays,
 * covered miles).  Domain: lifecycle.c (create), queue.c, sla.c, user.c. */
#include "handlers.h"
#include "csvin.h"
#include "lifecycle.h"
#include "queue.h"
#include "sla.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Marks the choice of each list the form VALUES names as selected, so a
 * form shown again (or pre-filled) keeps what was chosen. */
static void
mark_chosen(json_t *ch, json_t *values)
{
	static const char *const lists[][2] = { { "accounts", "account_id" }, { "stations", "station_id" },
		{ "territories", "territory_id" }, { "entitlements", "entitlement_id" }, { "work_types", "work_type_id" },
		{ "partners", "owner_id" }, { "cses", "cse_id" } };
	for (size_t i = 0; i < FW_ARRAY_LEN(lists); i++) {
		const char *v = json_string_value(json_object_get(values, lists[i][1]));
		size_t j;
		json_t *o;
		json_array_foreach(json_object_get(ch, lists[i][0]), j, o) {
			char id[24];
			snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(o, "id")));
			json_object_set_new(o, "selected", json_boolean(v && !strcmp(v, id)));
		}
	}
}

/* The New Work Order form's choices and limits into C's view-model; the
 * choices (borrowed), or NULL on error. */
static json_t *
choices(struct ctx *c)
{
	json_t *ch = lc_choices(c->db);
	if (!ch)
		return NULL;
	page_set(c, "choices", ch);
	page_set(c, "max", lc_field_limits());
	return ch;
}

int
operator_wo_new(struct ctx *c)
{
	if (!user_is_operator(&c->u))
		return page_fail(c, 403, "Only the operator creates work orders.");
	int post = page_is_post(c);
	c->tmpl = "wo_new";
	c->title = "New Work Order";
	c->tab = "work-orders";
	char msg[256] = "";
	json_t *f = NULL;
	const char *from = post ? page_form(c, "reissue_of") : http_query(c->r, "reissue");
	if (from && *from) {
		/* Reissue: the original's values to correct before saving */
		c->title = "Reissue Work Order";
		page_str(c, "reissue_of", from);
		if (!post) {
			f = lc_reissue_form(c->db, &c->u, str_to_id(from, 12), msg, sizeof(msg));
			if (!f)
				return page_fail(c, strstr(msg, "not found") ? 404 : 409, msg);
		}
	}
	if (!post) {
		json_t *ch = choices(c);
		if (!ch) {
			json_decref(f);
			return page_fail(c, 500, "The choices could not be read.");
		}
		f = f ? f : json_object();
		mark_chosen(ch, f);
		page_set(c, "values", f);
		page_set(c, "errors", json_object());
		return 200;
	}
	f = page_posted(c);
	json_t *errs = json_object();
	int64_t n = 0;
	int rc = lc_create(c->db, &c->u, f, c->z, errs, msg, sizeof(msg), &n);
	if (rc == LC_OK) {
		json_decref(f);
		json_decref(errs);
		char loc[96];
		snprintf(loc, sizeof(loc), "/work-orders/%lld?done=%s", (long long)n, from && *from ? "reissue" : "created");
		c->created = 1;
		return page_redirect(c, loc);
	}
	/* the form again, with what was typed (the choices read only now: a
	 * work order made answers with its own page) */
	json_t *ch = choices(c);
	if (!ch) {
		json_decref(f);
		json_decref(errs);
		return page_fail(c, 500, "The choices could not be read.");
	}
	mark_chosen(ch, f);
	page_set(c, "values", f);
	page_set(c, "errors", errs);
	page_str(c, "error", msg);
	return rc == LC_BAD_INPUT ? 422 : rc == LC_ERROR ? 500 : rc == LC_NOT_FOUND ? 404 : 409;
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

/* A refused SLA form again: what was typed back in that form (the
 * entitlement's days, the partner's miles and rate, the new holiday) and
 * MSG beside it.  This function can't fail. */
static void
sla_refused(struct ctx *c, json_t *st, const char *msg)
{
	const char *what = page_form(c, "what");
	int64_t id = str_to_id(page_form(c, "id"), 12);
	static const struct { const char *what, *list, *fields[2][2]; } forms[] = {
		{ "entitlement", "entitlements", { { "business_days", "business_days" }, { NULL, NULL } } },
		{ "covered-miles", "partners", { { "miles", "covered_miles" }, { "rate", "travel_rate" } } },
	};
	if (!strcmp(what, "holiday")) {
		json_t *h = json_object();
		json_object_set_new(h, "day", json_string(page_form(c, "day")));
		json_object_set_new(h, "name", json_string(page_form(c, "name")));
		json_object_set_new(h, "error", json_string(msg));
		json_object_set_new(st, "new_holiday", h);
		json_object_del(c->vm, "error");
		return;
	}
	for (size_t f = 0; f < FW_ARRAY_LEN(forms); f++) {
		if (strcmp(what, forms[f].what))
			continue;
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(st, forms[f].list), i, o) {
			if (json_integer_value(json_object_get(o, "id")) != id)
				continue;
			for (int k = 0; k < 2 && forms[f].fields[k][0]; k++)
				json_object_set_new(o, forms[f].fields[k][1], json_string(page_form(c, forms[f].fields[k][0])));
			json_object_set_new(o, "form_error", json_string(msg));
			json_object_del(c->vm, "error");
		}
	}
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
			int rc = org_set_travel(c->db, id, page_form(c, "miles"), page_form(c, "rate"), msg, sizeof(msg));
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
	if (status == 422)
		sla_refused(c, st, json_string_value(json_object_get(c->vm, "error")));
	page_set(c, "sla", st);
	return status;
}

/* GET/POST /work-orders/import: new work orders from a CSV file, all or
 * none, with a report per line. */
int
operator_wo_import(struct ctx *c)
{
	c->tmpl = "wo_import";
	c->title = "Import work orders";
	c->tab = "work-orders";
	if (!page_is_post(c))
		return 200;
	struct files_upload up[HTTP_MAX_UPLOADS];
	struct files_held held;
	long n = page_uploads_held(c, up, &held);
	if (n < 0)
		return page_fail(c, 500, "The held file could not be read.");
	char msg[300] = "";
	json_t *report = json_object();
	int rc = LC_BAD_INPUT;
	if (n != 1) {
		snprintf(msg, sizeof(msg), "Choose one CSV file.");
	} else {
		json_t *rows = csvin_parse(up[0].data, up[0].len, msg, sizeof(msg));
		if (rows)
			rc = lc_import(c->db, &c->u, rows, report, msg, sizeof(msg));
		json_decref(rows);
	}
	int st;
	if (rc == LC_OK) {
		files_held_drop(c->db, &held);
		page_set(c, "created", json_incref(json_object_get(report, "created")));
		page_str(c, "notice", msg);
		c->created = 1;
		st = 200;
	} else if (rc == LC_BAD_INPUT) {
		page_hold(c, &held);
		page_str(c, "error", msg);
		json_t *rows = json_object_get(report, "rows"), *fixes = json_array(), *r;
		size_t i;
		json_array_foreach(rows, i, r) {   /* one line per field to fix, for the page */
			const char *col;
			json_t *m;
			json_object_foreach(json_object_get(r, "errors"), col, m) {
				json_t *o = json_object();
				json_object_set(o, "line", json_object_get(r, "line"));
				json_object_set_new(o, "column", json_string(col));
				json_object_set(o, "message", m);
				json_array_append_new(fixes, o);
			}
		}
		page_set(c, "rows", rows ? json_incref(rows) : json_array());
		page_set(c, "fixes_any", json_boolean(json_array_size(fixes) > 0));
		page_set(c, "fixes", fixes);
		st = 422;
	} else {
		st = page_fail(c, rc == LC_REFUSED ? 403 : 500, msg);
	}
	files_held_free(&held);
	json_decref(report);
	return st;
}

/* GET /work-orders/import/template.csv: the columns, and one example. */
int
operator_wo_import_template(struct ctx *c)
{
	static const char csv[] = "Case,Subject,Account,Station,Service Territory,Entitlement,Work Type,Owner,"
	    "Parts Needed,Line Items\r\n"
	    "14509001,Replace the head of charger 2,Kohl's,KOHL'S / LEVEL 1 NORTH,Florida - Orlando Metro,"
	    "Repair SLA Assure,CT4 Head Replacement,Megan's Dispatch Service,Yes,\"Replace the head\r\nTest the charger\"\r\n";
	c->raw = malloc(sizeof(csv));
	if (!c->raw)
		return page_fail(c, 500, "The template could not be made.");
	memcpy(c->raw, csv, sizeof(csv) - 1);
	c->raw_len = sizeof(csv) - 1;
	c->raw_ctype = "text/csv; charset=utf-8";
	http_add_header(c->r, "Content-Disposition", "attachment; filename=\"work-orders-import.csv\"");
	return 200;
}
