/* dash.c -- see dash.h.  Each chart's bars carry their share of the
 * largest value (0-100), so the page draws them as SVG without script. */
#include "dash.h"
#include "sla.h"
#include "wo.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The scope of a statement: one company (?1), or for the operator (?1 = 0)
 * every company, spelled as a list so that the per-company indexes, which
 * all lead with owner_org_id, serve both. */
static const char *
scope_sql(int64_t org)
{
	return org ? "= ?1" : "IN (SELECT id FROM org WHERE ?1 = 0)";
}

/* Each bar's share of MAX, its width and place in the chart.  This
 * function can't fail (a value it cannot set is left out). */
static void
bars_scale(json_t *a, int64_t max)
{
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) {
		int64_t v = json_integer_value(json_object_get(o, "value"));
		json_object_set_new(o, "pct", json_integer(max ? v * 100 / max : 0));
		json_object_set_new(o, "w", json_integer(max ? v * 250 / max : 0));   /* px of a 600 wide chart */
		json_object_set_new(o, "y", json_integer((json_int_t)i * 28));
		json_object_set_new(o, "ty", json_integer((json_int_t)i * 28 + 15));
	}
}

/* An array of {label, value} from SQL (label, count), with bar widths. */
static json_t *
bars(db_t *db, const char *fmt, int64_t org, int64_t now)
{
	char sql[1024];
	snprintf(sql, sizeof(sql), fmt, scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return NULL;
	db_bind_int(s, 1, org);
	db_bind_int(s, 2, now);
	json_t *a = json_array();
	int64_t max = 0;
	while (db_step(s) == DB_ROW) {
		json_t *o = json_object();
		int64_t v = db_col_int(s, 1);
		json_object_set_new(o, "label", json_string(db_col_text(s, 0)));
		json_object_set_new(o, "value", json_integer(v));
		json_array_append_new(a, o);
		if (v > max)
			max = v;
	}
	db_done(s);
	bars_scale(a, max);
	return a;
}

static int
by_value_desc(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	int64_t va = json_integer_value(json_object_get(a, "value")), vb = json_integer_value(json_object_get(b, "value"));
	if (va != vb)
		return va > vb ? -1 : 1;
	return strcmp(json_string_value(json_object_get(a, "label")), json_string_value(json_object_get(b, "label")));
}

/* The bars of BY (label -> count), the largest first.  NULL out of memory. */
static json_t *
bars_of(json_t *by)
{
	size_t n = json_object_size(by), i = 0;
	json_t **v = calloc(n ? n : 1, sizeof(*v));
	json_t *a = json_array();
	if (!v || !a) {
		free(v);
		json_decref(a);
		return NULL;
	}
	const char *k;
	json_t *x;
	int64_t max = 0;
	json_object_foreach(by, k, x) {
		v[i] = json_pack("{s:s, s:I}", "label", k, "value", (json_int_t)json_integer_value(x));
		if (json_integer_value(x) > max)
			max = json_integer_value(x);
		i++;
	}
	qsort(v, n, sizeof(*v), by_value_desc);
	for (i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
	free(v);
	bars_scale(a, max);
	return a;
}

#define SCORE_MONTHS 6

/* What the Dashboard counts of one company, or of every one summed: the
 * network's numbers are the companies' added up, each counted once. */
struct figures {
	int64_t open, risk, missed;
	int64_t done[SCORE_MONTHS], on_time[SCORE_MONTHS];   /* completed (with a target), by it */
	int64_t fixed, ended;          /* first-time fix: no reissue, of every one that ended */
	int64_t accepted, accept_s;    /* assigned in the last 90 days: how many accepted, seconds it took */
	int64_t completed, complete_s;
};

static void
figures_add(struct figures *to, const struct figures *f)
{
	int64_t *a = (int64_t *)to;
	const int64_t *b = (const int64_t *)f;
	for (size_t i = 0; i < sizeof(*f) / sizeof(int64_t); i++)
		a[i] += b[i];
}

/* The first moments of the scorecard's months in Z (the oldest first) and
 * of the month after them, into FROM; their labels into LABEL. */
static void
score_months(int64_t now, const struct tz *z, int64_t from[SCORE_MONTHS + 1], char label[SCORE_MONTHS][16])
{
	static const char *const names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
		"Nov", "Dec" };
	int y, m, dd;
	tz_civil_from_days(tz_local_day(z, now, NULL), &y, &m, &dd);
	for (int k = 0; k <= SCORE_MONTHS; k++) {
		int my = y, mm = m - (SCORE_MONTHS - 1) + k;
		while (mm < 1) {
			mm += 12;
			my--;
		}
		while (mm > 12) {
			mm -= 12;
			my++;
		}
		tz_local_to_utc(z, my, mm, 1, 0, 0, &from[k]);
		if (k < SCORE_MONTHS)
			snprintf(label[k], sizeof(label[k]), "%s %d", names[mm - 1], my);
	}
}

/* The first N columns of S's first row (S bound; stepped and reset here)
 * into OUT, 0 for a null or when there is no row.  0 or -1. */
static int
read_ints(db_stmt *s, int64_t *out, int n)
{
	if (!s)
		return -1;
	int rc = db_step(s);
	for (int i = 0; i < n; i++)
		out[i] = rc == DB_ROW && !db_col_is_null(s, i) ? db_col_int(s, i) : 0;
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* ORG's work orders at risk by sla.h's rule, of its OPEN open ones: the
 * open work orders (the counters) less those the rule leaves out -- no
 * target, or a target after the window's end and no appointment after
 * it; two range scans of the (company, class, target, appointment) index
 * over work not yet due, however much is overdue, neither visiting a
 * row.  -1 on error. */
static int64_t
at_risk_of(db_t *db, int64_t org, int64_t now, int64_t open)
{
	char sql[480];
	snprintf(sql, sizeof(sql), "SELECT (SELECT count(*) FROM wo INDEXED BY wo_p_target WHERE owner_org_id %s"
	    " AND state_class = 0 AND target_sla_at <= 0) + (SELECT count(*) FROM wo INDEXED BY wo_p_target"
	    " WHERE owner_org_id %s AND state_class = 0 AND target_sla_at > ?2 AND appointment_at <= target_sla_at)",
	    scope_sql(org), scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_int(s, 1, org);
	db_bind_int(s, 2, sla_at_risk_until(now));
	int64_t n = db_step(s) == DB_ROW ? open - db_col_int(s, 0) : -1;
	db_done(s);
	return n;
}

/* ORG's figures but missed (which dash_numbers counts for every company at
 * once): open, at risk, the scorecard over the months from FROM, days.
 * Each is one range of an index that covers it.  0 or -1. */
static int
figures_of(db_t *db, int64_t org, int64_t now, const int64_t from[SCORE_MONTHS + 1], struct figures *f)
{
	memset(f, 0, sizeof(*f));
	if (wo_class_count(db, org, 0, &f->open) != WO_OK || (f->risk = at_risk_of(db, org, now, f->open)) < 0)
		return -1;
	db_stmt *s = db_prep(db, "SELECT count(*), COALESCE(SUM(CASE WHEN completed_at <= target_sla_at THEN 1 ELSE 0"
	    " END), 0) FROM wo INDEXED BY wo_hit WHERE owner_org_id = ?1 AND state_class = 1 AND completed_at >= ?2"
	    " AND completed_at < ?3 AND target_sla_at > 0");
	for (int k = 0; k < SCORE_MONTHS; k++) {
		int64_t v[2];
		if (s) {
			db_bind_int(s, 1, org);
			db_bind_int(s, 2, from[k]);
			db_bind_int(s, 3, from[k + 1]);
		}
		if (read_ints(s, v, 2))
			return -1;
		f->done[k] = v[0];
		f->on_time[k] = v[1];
	}
	/* first-time fix: of the work orders that ended in those months --
	 * completed (by their Completed Date) or Could Not Complete (by when
	 * they were marked) -- those completed that are no reissue */
	int64_t v[4];
	s = db_prep(db, "SELECT (SELECT count(*) FROM wo INDEXED BY wo_hit WHERE owner_org_id = ?1 AND state_class = 1"
	    " AND completed_at >= ?2 AND reissued_from IS NULL), (SELECT count(*) FROM wo INDEXED BY wo_hit"
	    " WHERE owner_org_id = ?1 AND state_class = 1 AND completed_at >= ?2) + (SELECT count(*) FROM wo INDEXED BY wo_cc"
	    " WHERE owner_org_id = ?1 AND status = 'Cannot Complete' AND updated_at >= ?2)");
	if (s) {
		db_bind_int(s, 1, org);
		db_bind_int(s, 2, from[0]);
	}
	if (read_ints(s, v, 2))
		return -1;
	f->fixed = v[0];
	f->ended = v[1];
	/* days from WO Assigned Date to acceptance and to completion, over the
	 * work orders assigned in the last 90 days (the recent pace is what a
	 * dispatcher steers by): the window's whole days as the triggers
	 * summed them by day (wo_pace_day, migration 023), its first, partial
	 * day from the index */
	int64_t w = now - 90 * 86400, whole = (w + 86399) / 86400;
	s = db_prep(db, "SELECT COALESCE(SUM(accepted_n), 0), COALESCE(SUM(accepted_s), 0), COALESCE(SUM(completed_n), 0),"
	    " COALESCE(SUM(completed_s), 0) FROM wo_pace_day WHERE owner_org_id = ?1 AND day >= ?2");
	if (s) {
		db_bind_int(s, 1, org);
		db_bind_int(s, 2, whole);
	}
	if (read_ints(s, v, 4))
		return -1;
	int64_t part[4];
	s = db_prep(db, "SELECT count(NULLIF(accepted_at, 0)), SUM(CASE WHEN accepted_at > 0 THEN accepted_at - assigned_at"
	    " END), count(NULLIF(completed_at, 0)), SUM(CASE WHEN completed_at > 0 THEN completed_at - assigned_at END)"
	    " FROM wo INDEXED BY wo_pace WHERE owner_org_id = ?1 AND assigned_at >= ?2 AND assigned_at < ?3");
	if (s) {
		db_bind_int(s, 1, org);
		db_bind_int(s, 2, w);
		db_bind_int(s, 3, whole * 86400);
	}
	if (read_ints(s, part, 4))
		return -1;
	for (int i = 0; i < 4; i++)
		v[i] += part[i];
	f->accepted = v[0];
	f->accept_s = v[1];
	f->completed = v[2];
	f->complete_s = v[3];
	return 0;
}

/* "87 %" of N of D, or null when D is 0. */
static json_t *
pct(int64_t n, int64_t d)
{
	char t[16];
	if (!d)
		return json_null();
	snprintf(t, sizeof(t), "%lld %%", (long long)((n * 100 + d / 2) / d));
	return json_string(t);
}

/* The average of S seconds over N in days to a tenth ("2.5"), or null. */
static json_t *
days(int64_t s, int64_t n)
{
	char t[32];
	if (!n)
		return json_null();
	snprintf(t, sizeof(t), "%.1f", floor((double)s / (double)n / 86400.0 * 10.0 + 0.5) / 10.0);
	return json_string(t);
}

/* F as the Dashboard and the partners table show it, into D: open,
 * at_risk_count, missed_total, the scorecard (hit_rate_months with LABEL,
 * hit_rate, first_time_fix), days_to_accept and days_to_complete. */
static void
figures_json(const struct figures *f, char label[SCORE_MONTHS][16], json_t *d)
{
	json_object_set_new(d, "open", json_integer(f->open));
	json_object_set_new(d, "at_risk_count", json_integer(f->risk));
	json_object_set_new(d, "missed_total", json_integer(f->missed));
	json_t *months = json_array();
	int64_t all = 0, hit = 0;
	for (int k = 0; k < SCORE_MONTHS; k++) {
		json_t *o = json_object();
		json_object_set_new(o, "month", json_string(label[k]));
		json_object_set_new(o, "completed", json_integer(f->done[k]));
		json_object_set_new(o, "on_time", json_integer(f->on_time[k]));
		json_object_set_new(o, "rate", pct(f->on_time[k], f->done[k]));
		json_array_append_new(months, o);
		all += f->done[k];
		hit += f->on_time[k];
	}
	json_object_set_new(d, "hit_rate_months", months);
	json_object_set_new(d, "hit_rate", pct(hit, all));
	json_object_set_new(d, "first_time_fix", pct(f->fixed, f->ended));
	json_object_set_new(d, "days_to_accept", days(f->accept_s, f->accepted));
	json_object_set_new(d, "days_to_complete", days(f->complete_s, f->completed));
}

/* One company of a Dashboard, with its figures. */
struct company {
	int64_t id;
	int partner;
	char name[128];
	struct figures f;
};

/* The companies of a Dashboard, every one (a network's total is their
 * sum: none may be left out), and the scorecard's months. */
struct companies {
	size_t n;
	struct company *c;   /* N of them; freed by companies_free */
	int64_t from[SCORE_MONTHS + 1];
	char label[SCORE_MONTHS][16];
};

static void
companies_free(struct companies *t)
{
	if (t)
		free(t->c);
	free(t);
}

/* The companies ORG stands for (0: every company) into T, which of them
 * are partners, with their names.  0 or -1. */
static int
companies(db_t *db, int64_t org, struct companies *t)
{
	db_stmt *s = db_prep(db, "SELECT id, kind = 'partner', name FROM org WHERE ?1 = 0 OR id = ?1 ORDER BY name, id");
	if (!s)
		return -1;
	db_bind_int(s, 1, org);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (t->n == cap) {
			struct company *more = realloc(t->c, (cap ? cap * 2 : 16) * sizeof(*more));
			if (!more) {
				rc = DB_ERROR;
				break;
			}
			t->c = more;
			cap = cap ? cap * 2 : 16;
		}
		struct company *c = &t->c[t->n++];
		memset(c, 0, sizeof(*c));
		c->id = db_col_int(s, 0);
		c->partner = (int)db_col_int(s, 1);
		str_copy(c->name, db_col_text(s, 2), sizeof(c->name));
	}
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* Missed SLAs -- completed after the Target SLA Date -- of T's
 * companies (those ORG stands for) by the reason given (if any), as the
 * triggers count them (wo_missed_count, migration 024): each company's
 * total into its figures, the bars by reason for them all into *BARS.
 * 0 or -1. */
static int
missed_by_reason(db_t *db, int64_t org, struct companies *t, json_t **bars)
{
	/* *BARS NULL: the totals only */
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT owner_org_id, delay_reason, n FROM wo_missed_count WHERE owner_org_id %s"
	    " AND n > 0", scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return -1;
	db_bind_int(s, 1, org);
	json_t *by = bars ? json_object() : NULL;   /* reason -> count */
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t id = db_col_int(s, 0), k = db_col_int(s, 2);
		const char *why = db_col_text(s, 1);
		why = *why ? why : "No reason given";
		for (size_t i = 0; i < t->n; i++)
			if (t->c[i].id == id)
				t->c[i].f.missed += k;
		if (!bars)
			continue;
		json_t *had = json_object_get(by, why);
		json_object_set_new(by, why, json_integer(k + (had ? json_integer_value(had) : 0)));
	}
	db_done(s);
	if (rc != DB_DONE || !bars) {
		json_decref(by);
		return rc == DB_DONE ? 0 : -1;
	}
	*bars = bars_of(by);
	json_decref(by);
	return *bars ? 0 : -1;
}

/* The first 200 work orders at risk by sla.h's rule, by Target SLA Date. */
static json_t *
at_risk_list(db_t *db, int64_t org, int64_t now, const struct tz *z)
{
	char sql[400];
	snprintf(sql, sizeof(sql), "SELECT number, status, target_sla_at, appointment_at FROM wo WHERE owner_org_id %s"
	    " AND state_class = 0 AND " SLA_AT_RISK_SQL(2) " ORDER BY target_sla_at LIMIT 200", scope_sql(org));
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return NULL;
	db_bind_int(s, 1, org);
	db_bind_int(s, 2, sla_at_risk_until(now));
	json_t *risk = json_array();
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *r = json_object();
		char t[32], a[32];
		tz_fmt_datetime(z, db_col_int(s, 2), t);
		tz_fmt_datetime(z, db_col_int(s, 3), a);
		json_object_set_new(r, "number", json_integer(db_col_int(s, 0)));
		json_object_set_new(r, "status", json_string(db_col_text(s, 1)));
		json_object_set_new(r, "target_sla_local", json_string(t));
		json_object_set_new(r, "appointment_local", json_string(a));
		json_object_set_new(r, "overdue", json_boolean(db_col_int(s, 2) < now));
		json_array_append_new(risk, r);
	}
	db_done(s);
	if (rc != DB_DONE) {
		json_decref(risk);
		return NULL;
	}
	return risk;
}

/* The partners' rows of the operator's table, from their figures. */
static json_t *
partner_rows(struct companies *t)
{
	json_t *a = json_array();
	for (size_t i = 0; i < t->n; i++) {
		if (!t->c[i].partner)
			continue;
		json_t *d = json_object();
		figures_json(&t->c[i].f, t->label, d);
		json_object_set_new(d, "company", json_string(t->c[i].name));
		json_array_append_new(a, d);
	}
	return a;
}

/* The figures of every company ORG stands for at NOW, each counted once;
 * with MISSED, the missed SLAs by reason of them all.  NULL on error; the
 * caller frees the result. */
static struct companies *
company_figures(db_t *db, int64_t org, int64_t now, const struct tz *z, json_t **missed)
{
	struct companies *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	score_months(now, z, t->from, t->label);
	if (companies(db, org, t))
		goto fail;
	for (size_t i = 0; i < t->n; i++)
		if (figures_of(db, t->c[i].id, now, t->from, &t->c[i].f))
			goto fail;
	if (missed_by_reason(db, org, t, missed))
		goto fail;
	return t;
fail:
	companies_free(t);
	return NULL;
}

json_t *
dash_numbers(db_t *db, int64_t org, int64_t now, const struct tz *z, json_t **partners)
{
	json_t *missed = NULL;
	struct companies *t = company_figures(db, org, now, z, &missed);   /* freed below */
	if (!t)
		return NULL;
	/* the network's figures are the sum of its companies' */
	struct figures total = { 0 };
	for (size_t i = 0; i < t->n; i++)
		figures_add(&total, &t->c[i].f);
	/* the counts the triggers keep: no scan of the work orders */
	json_t *by_status = bars(db, "SELECT status, SUM(n) FROM wo_count WHERE owner_org_id %s AND ?2 = ?2"
	    " AND status IN ('Assigned', 'Ship-To Received', 'Parts Ordered', 'Shipping', 'Shipped', 'Parts Delivered',"
	    " 'In Progress', 'On Hold') GROUP BY status HAVING SUM(n) > 0 ORDER BY SUM(n) DESC, status", org, now);
	/* each technician's open work orders with them, counted by triggers
	 * per company (tech_load, migration 022) */
	json_t *load = bars(db, "SELECT t.name, x.n FROM (SELECT technician_id AS tid, CAST(SUM(n) AS BIGINT) AS n"
	    " FROM tech_load WHERE owner_org_id %s AND ?2 = ?2 GROUP BY technician_id HAVING SUM(n) > 0) x"
	    " JOIN technician t ON t.id = x.tid ORDER BY x.n DESC, t.name LIMIT 30", org, now);
	json_t *risk = at_risk_list(db, org, now, z);
	if (!by_status || !load || !risk) {
		json_decref(by_status);
		json_decref(missed);
		json_decref(load);
		json_decref(risk);
		companies_free(t);
		return NULL;
	}
	json_t *d = json_object();
	json_object_set_new(d, "open_by_status", by_status);
	json_object_set_new(d, "missed_by_reason", missed);
	json_object_set_new(d, "technician_load", load);
	json_object_set_new(d, "chart_status_h", json_integer((json_int_t)json_array_size(by_status) * 28));
	json_object_set_new(d, "chart_missed_h", json_integer((json_int_t)json_array_size(missed) * 28));
	json_object_set_new(d, "chart_load_h", json_integer((json_int_t)json_array_size(load) * 28));
	figures_json(&total, t->label, d);
	/* the list shows the first 200 by target; the count is all of them */
	json_object_set_new(d, "at_risk", risk);
	json_object_set_new(d, "at_risk_shown", json_integer((json_int_t)json_array_size(risk)));
	json_object_set_new(d, "at_risk_more", json_boolean(total.risk > (int64_t)json_array_size(risk)));
	if (partners)
		*partners = partner_rows(t);
	companies_free(t);
	return d;
}

json_t *
dash_by_partner(db_t *db, int64_t now, const struct tz *z)
{
	struct companies *t = company_figures(db, 0, now, z, NULL);
	if (!t)
		return NULL;
	json_t *p = partner_rows(t);
	companies_free(t);
	return p;
}

int64_t
dash_at_risk(db_t *db, int64_t org, int64_t now)
{
	int64_t open;
	if (wo_class_count(db, org, 0, &open) != WO_OK)
		return -1;
	return at_risk_of(db, org, now, open);
}
