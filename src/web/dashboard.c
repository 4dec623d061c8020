/* dashboard.c -- the Dashboard tab (numbers for a partner, every partner side by
 * side for the operator) and Chargepoint University.  Domain: dash.c,
 * tech.c (the certification catalog). */
#include "handlers.h"
#include "dash.h"
#include "export.h"
#include "sla.h"
#include "tech.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
dashboard_get(struct ctx *c)
{
	if (!user_is_partner(&c->u) && !user_is_operator(&c->u))
		return page_fail(c, 403, "The Dashboard is for partner dispatchers and admins, and the operator.");
	c->tmpl = "dashboard";
	c->title = "Dashboard";
	c->tab = "dashboard";
	int64_t now = now_utc();
	json_t *p = NULL;
	int op = user_is_operator(&c->u);
	json_t *d = dash_numbers(c->db, op ? 0 : c->u.org_id, now, c->z, op ? &p : NULL);
	if (!d)
		return page_fail(c, 500, "The dashboard could not be read.");
	json_object_set_new(d, "at_risk_hours", json_integer(sla_at_risk_hours()));
	page_set(c, "dash", d);
	if (p)
		page_set(c, "partners", p);
	return 200;
}

int
dashboard_university(struct ctx *c)
{
	c->tmpl = "university";
	c->title = "Chargepoint University";
	c->tab = "university";
	json_t *u = tech_university(c->db, &c->u, now_utc());
	if (!u)
		return page_fail(c, 500, "The certification catalog could not be read.");
	page_set(c, "university", u);
	page_set(c, "show_held", json_boolean(!strcmp(c->u.role, "technician") ? 0 : 1));
	return 200;
}

/* One CSV row of the fields KEYS of O (strings or integers; null empty). */
static void
csv_row(buf_t *b, json_t *o, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(o, keys[i]);
		char num[32] = "";
		if (json_is_integer(v))
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		if (i)
			buf_puts(b, ",");
		ex_csv_field(b, json_is_string(v) ? json_string_value(v) : num);
	}
	buf_puts(b, "\r\n");
}

/* GET /dashboard/scorecard.csv?table=months|reasons|partners: a table of
 * the Dashboard as a spreadsheet (the operator's partners side by side;
 * a partner's only its own). */
int
dashboard_csv(struct ctx *c)
{
	if (!user_is_partner(&c->u) && !user_is_operator(&c->u))
		return page_fail(c, 403, "The Dashboard is for partner dispatchers and admins, and the operator.");
	const char *t = http_query(c->r, "table");
	t = t ? t : "";
	static const char *const months[] = { "month", "completed", "on_time", "rate" };
	static const char *const reasons[] = { "label", "value" };
	static const char *const partners[] = { "company", "open", "at_risk_count", "missed_total", "hit_rate",
		"first_time_fix", "days_to_accept", "days_to_complete" };
	int which = !strcmp(t, "months") ? 0 : !strcmp(t, "reasons") ? 1 : !strcmp(t, "partners") ? 2 : -1;
	if (which < 0)
		return page_fail(c, 400, "Choose a table: months, reasons or partners.");
	if (which == 2 && !user_is_operator(&c->u))
		return page_fail(c, 403, "Partners side by side is the operator's table.");
	int64_t now = now_utc();
	json_t *d = which == 2 ? dash_by_partner(c->db, now, c->z) :
	    dash_numbers(c->db, user_is_operator(&c->u) ? 0 : c->u.org_id, now, c->z, NULL);
	if (!d)
		return page_fail(c, 500, "The dashboard could not be read.");
	buf_t b;
	buf_init(&b, 1u << 20);
	buf_puts(&b, "\xef\xbb\xbf");   /* a byte-order mark: spreadsheets read UTF-8 then */
	json_t *rows = which == 0 ? json_object_get(d, "hit_rate_months") : which == 1 ? json_object_get(d, "missed_by_reason") : d;
	static const char *const heads[3] = { "Month,Completed,Completed by the Target SLA Date,SLA hit rate\r\n",
		"Delay Reason,Missed SLAs\r\n",
		"Partner,Open,SLA at risk,Missed SLAs,SLA hit rate,First-time fix,Days to accept,Days to complete\r\n" };
	buf_puts(&b, heads[which]);
	size_t i;
	json_t *o;
	json_array_foreach(rows, i, o)
		csv_row(&b, o, which == 0 ? months : which == 1 ? reasons : partners,
		    which == 0 ? FW_ARRAY_LEN(months) : which == 1 ? FW_ARRAY_LEN(reasons) : FW_ARRAY_LEN(partners));
	json_decref(d);
	if (b.overflow) {
		buf_free(&b);
		return page_fail(c, 500, "The table is too big.");
	}
	char disp[96];
	snprintf(disp, sizeof(disp), "attachment; filename=\"scorecard-%s.csv\"", t);
	http_add_header(c->r, "Content-Disposition", disp);
	c->raw_ctype = "text/csv; charset=utf-8";
	c->raw = buf_detach(&b, &c->raw_len);
	return 200;
}
