/* wo.c -- see wo.h.
 *
 * List views run keyset-paged queries on an index per (company, class,
 * sort key).  "All Work Orders" merges the three status classes in sort
 * order with UNION ALL ... ORDER BY, which SQLite runs as a merge of index
 * scans, and the operator's lists merge every company's scans the same
 * way, so no page ever sorts the table and the operator needs no indexes
 * of its own.  The SQL text is assembled only from the fixed column table
 * below; every value is bound. */
#include "wo_int.h"
#include "search.h"
#include "rank.h"
#include "wo_row.h"
#include "sla.h"
#include "status.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

const struct wo_view_def wo_views[WV__COUNT] = {
	[WV_ALL] = { "all", "All Work Orders", "All work orders", -1, WC_NUMBER, 1 },
	[WV_MY_OPEN] = { "my-open", "My Open Work Orders", "My work orders - Status", 0, WC_NUMBER, 0 },
	[WV_RECENT] = { "recent", "Recently Viewed", "Recently viewed", -1, WC_VIEWED, 1 },
	[WV_RECENT_WO] = { "recently-viewed", "Recently Viewed Work Orders", "Recently viewed work orders", -1, WC_VIEWED, 1 },
	[WV_DONE] = { "completed-closed", "WO Completed / Closed", "All work orders - Status", 1, WC_COMPLETED, 1 },
	[WV_ENDED] = { "rejected-cancelled", "WO Rejected / Cancelled / Cannot Complete", "All work orders - Status", 2, WC_ASSIGNED, 1 },
	/* after the guide's six: open work orders past or near their target */
	[WV_AT_RISK] = { "sla-at-risk", "SLA At Risk", "Open work orders - past or near the Target SLA Date, or scheduled after it", 0, WC_TARGET, 0 },
};

/* A date not set is 0, first in an ascending sort: a dispatcher looks
 * for the soonest Target SLA Date or appointment, and the work orders
 * without one came first (at a million, 13,000-18,000 per company, and a
 * search walking that order met none of its words for as long).  Blank
 * last both ways: descending by the column, ascending by this key, which
 * an index of each store holds (migrations 026, pg/024). */
#define BLANK_LAST(col) "coalesce(nullif(" col ", 0), 9223372036854775807)"

const struct wo_col_def wo_cols[WC__COUNT] = {
	[WC_NUMBER] = { "number", "Work Order Number", "wo.number", 0, NULL },
	[WC_CASE] = { "case", "Case", "wo.case_number", 0, NULL },
	[WC_SUBJECT] = { "subject", "Subject", "wo.subject", 0, NULL },
	[WC_ACCOUNT] = { "account", "Account", "wo.account_name", 0, NULL },
	[WC_TERRITORY] = { "territory", "Service Territory", "wo.territory_name", 0, NULL },
	[WC_STATUS] = { "status", "Status", "wo.status_rank", 1, NULL },   /* lifecycle order */
	[WC_ASSIGNED] = { "assigned", "WO Assigned Date", "wo.assigned_at", 1, NULL },
	[WC_ENTITLEMENT] = { "entitlement", "Entitlement", "wo.entitlement_name", 0, NULL },
	[WC_APPOINTMENT] = { "appointment", "Appointment Date", "wo.appointment_at", 1, BLANK_LAST("wo.appointment_at") },
	[WC_WORK_TYPE] = { "work-type", "Work Type", "wo.work_type_name", 0, NULL },
	[WC_TARGET] = { "target", "Target SLA Date", "wo.target_sla_at", 1, BLANK_LAST("wo.target_sla_at") },
	[WC_COMPLETED] = { "completed", "Completed Date", "wo.completed_at", 1, NULL },
	[WC_VIEWED] = { "viewed", "Last Viewed", "v.viewed_at", 1, NULL },
};

static const char *class_statuses[3] = {
	"'Assigned','Ship-To Received','Parts Ordered','Shipping','Shipped','Parts Delivered','In Progress','On Hold'",
	"'Completed','Closed'",
	"'Cannot Complete','Rejected','Cancelled'",
};

/* A list row is read as two columns: the number, and the list's eleven
 * columns in one text value separated by character 31 (the order wo_row.c
 * reads),
 * which SQLite keeps in wo_row (migrations 019 and 021), joined by the
 * number after the list's index, and PostgreSQL computes (its cost there
 * is the wire's, not the decoding's).  The operator's whole list by
 * number walks wo_row alone when nothing else of wo is asked for. */
#define ROW_COLS_LITE "SELECT wo.number, r.list_row"
#define ROW_JOIN_LITE " CROSS JOIN wo_row r ON r.number = wo.number"   /* CROSS: wo's index leads */
#define PG_TEXT(c) "replace(wo." c ", chr(31), ' ')"
#define ROW_COLS_PG "SELECT wo.number, concat_ws(chr(31), " PG_TEXT("case_number") ", " PG_TEXT("subject") ", " \
	PG_TEXT("account_name") ", " PG_TEXT("territory_name") ", wo.status, wo.assigned_at, " \
	PG_TEXT("entitlement_name") ", wo.appointment_at, " PG_TEXT("work_type_name") ", wo.target_sla_at, wo.completed_at)"

int
wo_scope_for(const struct user *u, struct wo_scope *s)
{
	s->user_id = u->id;
	s->org_id = u->org_id;
	s->all = user_is_operator(u);
	s->tech_id = 0;
	return s->all || user_is_partner(u) ? 0 : -1;
}

void
wo_scope_technician(const struct user *u, int64_t tech_id, struct wo_scope *s)
{
	s->user_id = u->id;
	s->org_id = 0;        /* a freelancer may work for any company */
	s->all = 0;
	s->tech_id = tech_id;
}

int
wo_scope_of(db_t *db, const struct user *u, struct wo_scope *s)
{
	if (wo_scope_for(u, s) == 0)
		return 0;
	if (strcmp(u->role, "technician") != 0)
		return -1;
	db_stmt *st = db_prep(db, "SELECT id FROM technician WHERE user_id = ?1");
	if (!st)
		return -1;
	db_bind_int(st, 1, u->id);
	int64_t tech = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (!tech)
		return -1;
	wo_scope_technician(u, tech, s);
	return 0;
}

/* The operator's lists merge per-company index scans, up to this many
 * companies (three arms each, under SQLite's 500-arm limit); beyond it
 * they fall back to one sorted scan, correct but slower. */
#define MERGE_ORGS_MAX 100
#define ORG_PARAM0 10

#define TECH_FILTER "wo.number IN (SELECT wo_number FROM wo_assignment WHERE technician_id = ?7 AND active = 1)"

int
wo_view_find(const char *key)
{
	for (int i = 0; key && i < WV__COUNT; i++)
		if (strcmp(wo_views[i].key, key) == 0)
			return i;
	return -1;
}

int
wo_col_find(const char *key)
{
	for (int i = 0; key && i < WC__COUNT; i++)
		if (strcmp(wo_cols[i].key, key) == 0)
			return i;
	return -1;
}

int
wo_view_has_col(int v, int c)
{
	if (c == WC_COMPLETED)
		return v == WV_DONE;
	if (c == WC_VIEWED)
		return v == WV_RECENT || v == WV_RECENT_WO;
	return 1;
}

static int
is_recent(int v)
{
	return v == WV_RECENT || v == WV_RECENT_WO;
}

/* The expression list Q orders by (its direction's key). */
static const char *
sort_key(const struct wo_query *q)
{
	const struct wo_col_def *c = &wo_cols[q->sort];
	return !q->desc && c->asc ? c->asc : c->sql;
}

#define ROWS_TEXT_MAX (1u << 20)   /* bytes of a page's text: 201 rows of the longest fields */

static void arm_where(buf_t *b, const struct wo_scope *sc, int org_param, int k, int search, char op, int col,
    const char *key, int view);

/* One SELECT over class K (or -1: every class) of the company bound to
 * ?ORG_PARAM, or (0) of the scope's own rule. */
static void
arm(buf_t *b, const struct wo_scope *sc, int org_param, int k, int search, char op, int col, const char *key,
    int view, int pg)
{
	/* a company's open rows by number: their own index holds them in
	 * that order, text and all (migration 027); no sort key third (a
	 * merge by number orders by the first), each column read from an
	 * index entry costs a look through it */
	if (!pg && k == 0 && col == WC_NUMBER && search == SEARCH_NONE && view != WV_AT_RISK &&
	    (org_param || (!sc->all && !sc->tech_id))) {
		buf_printf(b, "SELECT wo.number, wo.list_row, 0, 0 FROM wo_row AS wo"
		    " WHERE wo.owner_org_id = ?%d AND wo.state_class = 0", org_param ? org_param : 1);
		if (op)
			buf_printf(b, " AND wo.number %c ?4", op);
		return;
	}
	/* the sort key third: the merged lists order by column position */
	buf_puts(b, pg ? ROW_COLS_PG : ROW_COLS_LITE);
	buf_printf(b, ", %s, 0 FROM wo%s WHERE ", key, pg ? "" : ROW_JOIN_LITE);
	arm_where(b, sc, org_param, k, search, op, col, key, view);
}

/* An arm's conditions: its company (bound to ?ORG_PARAM, or 0: the
 * scope's own rule), class K (-1: every class), the view's rule, the
 * search, the anchor. */
static void
arm_where(buf_t *b, const struct wo_scope *sc, int org_param, int k, int search, char op, int col, const char *key,
    int view)
{
	if (org_param)
		buf_printf(b, "wo.owner_org_id = ?%d", org_param);
	else
		buf_puts(b, sc->all ? "TRUE" : sc->tech_id ? TECH_FILTER : "wo.owner_org_id = ?1");
	if (k >= 0)
		buf_printf(b, " AND wo.state_class = %d", k);
	if (view == WV_AT_RISK)
		buf_puts(b, " AND " SLA_AT_RISK_SQL(8));
	buf_puts(b, wo_search_sql[search]);
	if (op) {
		if (col == WC_NUMBER)
			buf_printf(b, " AND wo.number %c ?4", op);
		else
			buf_printf(b, " AND (%s, wo.number) %c (?3, ?4)", key, op);
	}
}

/* The operator's whole list by number is the table itself in order: one
 * walk, no merge of per-company scans. */
static int
walks_numbers(const struct wo_scope *sc, const struct wo_query *q)
{
	return sc->all && q->sort == WC_NUMBER && wo_views[q->view].klass < 0 && !is_recent(q->view);
}

/* Whether Q's list is the operator's merge of each company's scans (when
 * there are no more than MERGE_ORGS_MAX companies) rather than one walk.
 * This function can't fail. */
static int
merges(const struct wo_scope *sc, const struct wo_query *q)
{
	return sc->all && !is_recent(q->view) && !walks_numbers(sc, q);
}

/* NORGS > 0: the operator's list, merged from each company's index scans
 * (companies bound from ?ORG_PARAM0 on), so that the operator needs no
 * list indexes of its own.  LIMIT rows at most (SQLite: bound as ?5). */
static void
build_list_sql(buf_t *b, const struct wo_scope *sc, const struct wo_query *q, int search, char op, int desc,
    int norgs, int pg, int limit)
{
	const char *dir = desc ? "DESC" : "ASC", *key = sort_key(q);
	/* PostgreSQL plans a statement again at every run while a plan made
	 * for its values costs less than one made for any: an unknown LIMIT
	 * is a tenth of the rows to its planner, so a bound one was planned
	 * anew for each page (a seventh of the server's time).  Written into
	 * the text, the page's plan is made once. */
	char L[24] = "LIMIT ?5";
	if (pg)
		snprintf(L, sizeof(L), "LIMIT %d", limit);
	const struct wo_view_def *v = &wo_views[q->view];
	if (is_recent(q->view)) {
		buf_puts(b, pg ? ROW_COLS_PG : ROW_COLS_LITE);
		buf_printf(b, ", 0, v.viewed_at FROM wo_view v JOIN wo ON wo.number = v.wo_number%s WHERE v.user_id = ?6",
		    pg ? "" : " JOIN wo_row r ON r.number = wo.number");
		if (!sc->all)
			buf_puts(b, sc->tech_id ? " AND " TECH_FILTER : " AND wo.owner_org_id = ?1");
		if (q->view == WV_RECENT)
			buf_printf(b, " AND v.wo_number IN (SELECT wo_number FROM wo_view WHERE user_id = ?6"
			    " ORDER BY viewed_at DESC LIMIT %d)", WO_RECENT_SHOWN);
		buf_puts(b, SEARCH_SHORT(search));
		if (op)
			buf_printf(b, " AND (%s, wo.number) %c (?3, ?4)", key, op);
		buf_printf(b, " ORDER BY %s %s, wo.number %s %s", key, dir, dir, L);
		return;
	}
	if (walks_numbers(sc, q)) {
		if (pg)
			buf_puts(b, ROW_COLS_PG ", 0, 0 FROM wo WHERE TRUE");
		else if (search == SEARCH_WALK)   /* fw_match reads wo's text */
			buf_puts(b, ROW_COLS_LITE ", 0, 0 FROM wo" ROW_JOIN_LITE " WHERE TRUE");
		else
			buf_puts(b, "SELECT wo.number, wo.list_row, 0, 0 FROM wo_row AS wo WHERE TRUE");
		buf_puts(b, wo_search_sql[search]);
		if (op)
			buf_printf(b, " AND wo.number %c ?4", op);
		buf_printf(b, " ORDER BY wo.number %s %s", dir, L);
		return;
	}
	if (search == SEARCH_FEW && !pg) {
		/* few matches: each looked up once, sorted, and only the page's
		 * rows joined to their text */
		buf_printf(b, "SELECT s.number, r.list_row, s.k, 0 FROM (SELECT wo.number, %s AS k FROM wo WHERE ", key);
		arm_where(b, sc, 0, v->klass, SEARCH_FEW, op, q->sort, key, q->view);
		buf_printf(b, " ORDER BY 2 %s, 1 %s %s) AS s CROSS JOIN wo_row r ON r.number = s.number"
		    " ORDER BY 3 %s, 1 %s", dir, dir, L, dir, dir);
		return;
	}
	if (v->klass >= 0 && !norgs) {
		arm(b, sc, 0, v->klass, search, op, q->sort, key, q->view, pg);
		if (q->sort == WC_NUMBER)
			buf_printf(b, " ORDER BY wo.number %s %s", dir, L);
		else
			buf_printf(b, " ORDER BY %s %s, wo.number %s %s", key, dir, dir, L);
		return;
	}
	/* SQLite merges the arms' index scans in the order asked for; the
	 * PostgreSQL planner appends and sorts them whole, so there each arm
	 * is cut to its own first page first (its index scan), and only those
	 * rows are sorted */
	int arms = 0;
	for (int o = 0; o < (norgs ? norgs : 1); o++) {
		for (int k = 0; k < 3; k++) {
			if (v->klass >= 0 && k != v->klass)
				continue;
			if (arms++)
				buf_puts(b, " UNION ALL ");
			if (pg)
				buf_puts(b, "SELECT * FROM (");
			arm(b, sc, norgs ? ORG_PARAM0 + o : 0, k, search, op, q->sort, key, q->view, pg);
			if (pg && q->sort == WC_NUMBER)
				buf_printf(b, " ORDER BY wo.number %s %s) AS a%d", dir, L, arms);
			else if (pg)
				buf_printf(b, " ORDER BY %s %s, wo.number %s %s) AS a%d", key, dir, dir, L, arms);
		}
	}
	if (q->sort == WC_NUMBER)
		buf_printf(b, " ORDER BY 1 %s %s", dir, L);
	else
		buf_printf(b, " ORDER BY 3 %s, 1 %s %s", dir, dir, L);
}

/* Binds the anchor's sort value.  WO_OK, or WO_BAD_INPUT when the anchor
 * is not a work order this scope sees in this view. */
static int
bind_anchor(db_t *db, const struct wo_scope *sc, const struct wo_query *q, int64_t anchor, db_stmt *list)
{
	char sql[400];
	if (is_recent(q->view))
		snprintf(sql, sizeof(sql), "SELECT %s FROM wo_view v JOIN wo ON wo.number = v.wo_number"
		    " WHERE v.user_id = ?3 AND wo.number = ?1 AND (?2 = 0 OR wo.owner_org_id = ?2)", sort_key(q));
	else
		snprintf(sql, sizeof(sql), "SELECT %s FROM wo WHERE wo.number = ?1 AND (?2 = 0 OR wo.owner_org_id = ?2)"
		    " AND (?4 = 0 OR wo.number IN (SELECT wo_number FROM wo_assignment WHERE technician_id = ?4 AND active = 1))",
		    sort_key(q));
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return WO_ERROR;
	db_bind_int(s, 1, anchor);
	db_bind_int(s, 2, sc->all ? 0 : sc->org_id);
	if (is_recent(q->view))
		db_bind_int(s, 3, sc->user_id);
	else
		db_bind_int(s, 4, sc->tech_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		if (wo_cols[q->sort].is_int || q->sort == WC_NUMBER)
			db_bind_int(list, 3, db_col_int(s, 0));
		else
			db_bind_text(list, 3, db_col_text(s, 0));
		db_bind_int(list, 4, anchor);
	}
	db_done(s);
	return rc == DB_ROW ? WO_OK : rc == DB_DONE ? WO_BAD_INPUT : WO_ERROR;
}

/* Remembered by the worker while the database is unchanged. */
int
wo_class_count(db_t *db, int64_t org, int klass, int64_t *total)
{
	static _Thread_local struct { uint64_t version; int64_t org; int klass; int64_t n; } memo;
	uint64_t version = db_data_version(db);
	if (version && memo.version == version && memo.org == org && memo.klass == klass) {
		*total = memo.n;
		return WO_OK;
	}
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT COALESCE(SUM(n), 0) FROM wo_count WHERE (?1 = 0 OR owner_org_id = ?1)%s%s%s",
	    klass >= 0 ? " AND status IN (" : "", klass >= 0 ? class_statuses[klass] : "", klass >= 0 ? ")" : "");
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return WO_ERROR;
	db_bind_int(s, 1, org);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*total = db_col_int(s, 0);
	db_done(s);
	if (rc != DB_ROW)
		return WO_ERROR;
	memo.version = version;
	memo.org = org;
	memo.klass = klass;
	memo.n = *total;
	return WO_OK;
}

static int
count_rows(db_t *db, const struct wo_scope *sc, const struct wo_query *q, int search, struct search *srch,
    const struct wo_hits *all, int64_t *total, int *capped)
{
	enum { CAP = WO_COUNT_CAP };
	const struct wo_view_def *v = &wo_views[q->view];
	char sql[512];
	*capped = 0;
	int recent = is_recent(q->view), bounded = search || sc->tech_id || q->view == WV_AT_RISK;
	int by_index = search && !recent && !sc->tech_id && q->view != WV_AT_RISK;
	if (by_index && all->known) {
		*total = all->n;   /* the plan's count is this list's: the search is the view's class's */
		*capped = all->capped;
		return WO_OK;
	}
	if (recent) {
		snprintf(sql, sizeof(sql), "SELECT 1 FROM wo_view v JOIN wo ON wo.number = v.wo_number"
		    " WHERE v.user_id = ?3 AND (?1 = 0 OR wo.owner_org_id = ?1)%s%s", SEARCH_SHORT(search),
		    q->view == WV_RECENT ? " ORDER BY v.viewed_at DESC LIMIT 25" : "");
	} else if (bounded) {
		/* from the matches (or assignments, or the at-risk rule), up to
		 * the cap: bounded work */
		snprintf(sql, sizeof(sql), "SELECT 1 FROM wo WHERE (?1 = 0 OR wo.owner_org_id = ?1)%s"
		    " AND (?4 = 0 OR wo.number IN (SELECT wo_number FROM wo_assignment WHERE technician_id = ?4 AND active = 1))"
		    "%s%s LIMIT %d",
		    v->klass >= 0 ? (v->klass == 0 ? " AND wo.state_class = 0" : v->klass == 1 ?
		    " AND wo.state_class = 1" : " AND wo.state_class = 2") : "",
		    q->view == WV_AT_RISK ? " AND " SLA_AT_RISK_SQL(8) : "", SEARCH_SHORT(search), CAP + 1);
	} else {
		return wo_class_count(db, sc->all ? 0 : sc->org_id, v->klass, total);
	}
	db_stmt *s = db_prep(db, sql);
	if (!s)
		return WO_ERROR;
	db_bind_int(s, 1, sc->all ? 0 : sc->org_id);
	if (recent)
		db_bind_int(s, 3, sc->user_id);
	else
		db_bind_int(s, 4, sc->tech_id);
	if (q->view == WV_AT_RISK)
		db_bind_int(s, 8, sla_at_risk_until(now_utc()));
	wo_search_bind(s, search, srch);
	int64_t n;
	int rc = db_count_rows(db, s, search == SEARCH_WALK ? wo_search_count_steps() : 0, &n);
	if (rc == DB_ERROR)
		return WO_ERROR;
	*capped = rc == DB_BUDGET || (bounded && !recent && n > CAP);
	*total = !recent && n > CAP ? CAP : n;
	return WO_OK;
}

/* Fills IDS (room for MAX + 1) with the id of every company owning work
 * orders, in order.  Returns how many, 0 when there are more than MAX (the
 * caller then scans unmerged), or -1. */
static int
company_ids(db_t *db, int64_t *ids, int max)
{
	/* only companies that own work orders: an arm over none would still
	 * walk an index (on PostgreSQL, whole, under a generic plan) */
	db_stmt *s = db_prep(db, "SELECT DISTINCT owner_org_id FROM wo_count WHERE n > 0 ORDER BY 1 LIMIT ?1");
	if (!s)
		return -1;
	db_bind_int(s, 1, max + 1);
	int n = 0, rc;
	while ((rc = db_step(s)) == DB_ROW)
		ids[n++] = db_col_int(s, 0);
	db_done(s);
	if (rc != DB_DONE)
		return -1;
	return n > max ? 0 : n;
}

/* Reads Q's page into ROWS (initialised here; freed here unless WO_OK),
 * within BUDGET steps of SQLite (db_budget; 0: no bound); *EDGE (when
 * not NULL) the number of the row read past the page, 0 when none was.  WO_OK,
 * WO_BAD_INPUT (the anchor is gone, ERR set), WO_ERROR, or LIST_GAVE_UP
 * when the budget ran out. */
#define LIST_GAVE_UP 10
static int
list_page(db_t *db, const struct wo_scope *sc, const struct wo_query *q, const struct tz *z, int search,
    struct search *srch, long budget, struct rowset *rows, int *has_next, int *has_prev, int64_t *edge, char *err,
    size_t errlen)
{
	int64_t anchor = q->view == WV_RECENT ? 0 : q->after ? q->after : q->before;
	int backwards = anchor && q->before && !q->after;
	int desc = q->desc ^ backwards;
	char op = anchor ? (desc ? '<' : '>') : 0;

	int64_t orgs[MERGE_ORGS_MAX + 1];
	int norgs = 0;
	if (search != SEARCH_FEW && merges(sc, q)) {
		norgs = company_ids(db, orgs, MERGE_ORGS_MAX);
		if (norgs > 0 && (search == SEARCH_WALK || search == SEARCH_BITS || search == SEARCH_MANY))
			norgs = search_companies(db, srch, orgs, norgs);
		if (norgs < 0)
			return WO_ERROR;
	}
	buf_t sql;
	buf_init(&sql, 256 * 1024);
	int limit = q->view == WV_RECENT && q->limit > WO_RECENT_SHOWN ? WO_RECENT_SHOWN : q->limit;
	build_list_sql(&sql, sc, q, search, op, desc, norgs, db_is_pg(db), limit + 1);
	db_stmt *s = sql.overflow ? NULL : db_prep(db, sql.data);
	buf_free(&sql);
	if (!s)
		return WO_ERROR;
	if (!sc->all)
		db_bind_int(s, 1, sc->org_id);
	for (int o = 0; o < norgs; o++)
		db_bind_int(s, ORG_PARAM0 + o, orgs[o]);
	if (is_recent(q->view))
		db_bind_int(s, 6, sc->user_id);
	if (sc->tech_id)
		db_bind_int(s, 7, sc->tech_id);
	int64_t now = now_utc();
	if (q->view == WV_AT_RISK)
		db_bind_int(s, 8, sla_at_risk_until(now));
	wo_search_bind(s, search, srch);
	db_bind_int(s, 5, limit + 1);   /* SQLite's; PostgreSQL's is in the text */
	if (anchor) {
		int rc = bind_anchor(db, sc, q, anchor, s);
		if (rc != WO_OK) {
			db_done(s);
			if (rc == WO_BAD_INPUT)
				snprintf(err, errlen, "That page is not part of this list any more; start from the first page.");
			return rc;
		}
	}
	int own = q->view == WV_DONE ? WO_ROW_COMPLETED : is_recent(q->view) ? WO_ROW_VIEWED : WO_ROW_PLAIN;
	if (wo_row_init(rows, own, (size_t)limit + 1, ROWS_TEXT_MAX) != 0) {
		db_done(s);
		return WO_ERROR;
	}
	int rc, bad = 0;
	if (budget)
		db_budget(db, budget);
	while (!bad && (rc = db_step(s)) == DB_ROW)
		bad = wo_row_put(rows, s, own, now, z);
	if (budget)
		db_budget(db, 0);
	db_done(s);
	if (rc == DB_ERROR || rc == DB_BUDGET || bad) {
		rowset_free(rows);
		return rc == DB_BUDGET && !bad ? LIST_GAVE_UP : WO_ERROR;
	}
	int more = rows->nrows > (size_t)limit;
	if (edge)
		*edge = more ? wo_list_number(rows, rows->nrows - 1) : 0;
	if (more)
		rowset_pop(rows);
	if (backwards) {
		rowset_reverse(rows);   /* fetched in reverse order */
		*has_prev = more;
		*has_next = 1;
	} else {
		*has_prev = anchor != 0;
		*has_next = more;
	}
	return WO_OK;
}

/* A page of a search whose hit set's scan found its matches too rare in
 * the sort's order: sorted from the matches the order's places put first
 * (rank.h), more of them while the last row read could have another
 * before it.  WO_OK, LIST_GAVE_UP (no places kept, or too many to sort:
 * the caller sorts the newest), or as list_page. */
#define RANK_PICK_MAX 8192   /* matches looked up and sorted for a page at most: a few milliseconds */
static int
list_ranked(db_t *db, const struct wo_scope *sc, const struct wo_query *q, const struct tz *z, struct search *srch,
    struct rowset *rows, int *has_next, int *has_prev, char *err, size_t errlen)
{
	int64_t anchor = q->after ? q->after : q->before;
	int desc = q->desc ^ (anchor && q->before && !q->after);
	for (int64_t want = q->limit + 1;; want *= 4) {
		struct rank_pick p;
		int r = rank_pick(db, sort_key(q), desc, sc->all ? 0 : sc->org_id, wo_views[q->view].klass, anchor, want,
		    RANK_PICK_MAX, &p);
		if (r != 0)
			return r < 0 ? WO_ERROR : LIST_GAVE_UP;
		int64_t edge = 0;
		int rc = search_load_numbers(db, p.n, p.count) != 0 ? WO_ERROR :
		    list_page(db, sc, q, z, SEARCH_FEW, srch, 0, rows, has_next, has_prev, &edge, err, errlen);
		int exact = rc != WO_OK || p.whole || (edge && !rank_changed(&p, edge));
		rank_pick_free(&p);
		if (exact)
			return rc;
		rowset_free(rows);
	}
}

/* Whether a search whose matches are too many to sort and rare in the
 * sort's order may show the newest of them sorted (WO_SORTED_NEWEST): not
 * an export, not the order the index keeps them in (numbers), not a
 * technician's or Recently Viewed's short lists.  This function can't
 * fail. */
static int
may_sort_newest(const struct wo_scope *sc, const struct wo_query *q)
{
	return !q->exact && q->sort != WC_NUMBER && !sc->tech_id && !is_recent(q->view);
}

int
wo_list(db_t *db, const struct wo_scope *sc, const struct wo_query *q, const struct tz *z,
    struct rowset *rows, int64_t *total, int *total_capped, int *has_next, int *has_prev,
    char *err, size_t errlen)
{
	memset(rows, 0, sizeof(*rows));
	if (q->view < 0 || q->view >= WV__COUNT || q->sort < 0 || q->sort >= WC__COUNT ||
	    !wo_view_has_col(q->view, q->sort)) {
		snprintf(err, errlen, "That column cannot be sorted in this view.");
		return WO_BAD_INPUT;
	}
	if (q->limit < 1 || q->limit > WO_PAGE_MAX) {
		snprintf(err, errlen, "Page size must be between 1 and %d.", WO_PAGE_MAX);
		return WO_BAD_INPUT;
	}
	struct search srch;
	struct wo_hits all = { 0, 0, 0 };
	int search = SEARCH_NONE;
	if (q->search && *q->search) {
		/* a partner's own matches only, and a view's of its class only:
		 * the index's scopes */
		int r = search_prepare(db, q->search, !sc->all && !sc->tech_id ? sc->org_id : 0,
		    is_recent(q->view) ? -1 : wo_views[q->view].klass, &srch);
		if (r == -1) {
			snprintf(err, errlen, "Search is limited to %d characters and 16 words.", WO_SEARCH_MAX);
			return WO_BAD_INPUT;
		}
		if (r < 0)
			return WO_ERROR;
		if (r == 0 && wo_search_plan(db, &srch, &search, &all) != WO_OK)
			return WO_ERROR;
	}
	/* a walk that gives up, and the scan of a hit set where the newest
	 * matches may be sorted instead, stop after their budget */
	int newest_ok = may_sort_newest(sc, q), planned = search, rc, later = !q->newest && (q->after || q->before);
	int ranked = newest_ok && search == SEARCH_BITS && !q->newest;
	long budget = wo_search_budget(search, newest_ok, later, ranked && rank_ready(sort_key(q)));
	/* PostgreSQL's many matches: the operator's merge of companies needs
	 * the companies with a match, which only gathering them all tells */
	if (search == SEARCH_DENSE && !newest_ok && merges(sc, q) && wo_search_gather(db, &srch, 0, &search) != WO_OK)
		return WO_ERROR;
	if (newest_ok && (search == SEARCH_DENSE || (q->newest && (search == SEARCH_WALK || search == SEARCH_BITS))))
		rc = LIST_GAVE_UP;   /* the pages before sorted the newest: so does this one */
	else
		rc = list_page(db, sc, q, z, search, &srch, budget, rows, has_next, has_prev, NULL, err, errlen);
	if (rc == LIST_GAVE_UP && ranked)
		rc = list_ranked(db, sc, q, z, &srch, rows, has_next, has_prev, err, errlen);
	if (rc == LIST_GAVE_UP && ranked && later)   /* a first page in order: so is the next, whole */
		rc = list_page(db, sc, q, z, search, &srch, 0, rows, has_next, has_prev, NULL, err, errlen);
	int newest = rc == LIST_GAVE_UP && newest_ok;
	if (rc == LIST_GAVE_UP) {
		/* the matches are rare in this order: start from them instead --
		 * all of them in a hit set, or (too many to sort, and the order
		 * could hold most rows before its first match) the newest,
		 * sorted, which the summary then says */
		int64_t n;
		if (newest ? search_load(db, &srch, WO_SORT_NEWEST, &n) != 0 : wo_search_gather(db, &srch, 1, &search) != WO_OK)
			return WO_ERROR;
		if (newest)
			search = SEARCH_FEW;
		rc = list_page(db, sc, q, z, search, &srch, 0, rows, has_next, has_prev, NULL, err, errlen);
	}
	if (rc != WO_OK)
		return rc;
	/* the newest are not the list: a count outside the plan's (SLA At
	 * Risk's rule) tests the rows against the hit set when it holds every
	 * match, else by their words (a walk's plan collected only some) */
	if (count_rows(db, sc, q, newest ? planned : search, &srch, &all, total, total_capped) != WO_OK) {
		rowset_free(rows);
		return WO_ERROR;
	}
	if (newest)
		*total_capped |= WO_SORTED_NEWEST;
	if (*total_capped && *total < (int64_t)rows->nrows)
		*total = (int64_t)rows->nrows;   /* a count cut short: at least this page */
	return WO_OK;
}

int
wo_record_view(db_t *db, int64_t user_id, int64_t number)
{
	db = db_side(db);
	db_stmt *s = db_prep(db, "INSERT INTO wo_view(user_id, wo_number, viewed_at) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT(user_id, wo_number) DO UPDATE SET viewed_at = excluded.viewed_at");
	db_stmt *p = db_prep(db, "DELETE FROM wo_view WHERE user_id = ?1 AND wo_number IN"
	    " (SELECT wo_number FROM wo_view WHERE user_id = ?1 ORDER BY viewed_at DESC LIMIT 1000000000 OFFSET ?2)");
	if (!s || !p)
		return -1;
	db_bind_int(s, 1, user_id);
	db_bind_int(s, 2, number);
	db_bind_int(s, 3, now_utc());
	int rc = db_step(s);
	db_done(s);
	db_bind_int(p, 1, user_id);
	db_bind_int(p, 2, WO_RECENT_KEEP);
	int rc2 = db_step(p);
	db_done(p);
	return rc == DB_DONE && rc2 == DB_DONE ? 0 : -1;
}

int
wo_status_counts(db_t *db, const struct wo_scope *sc, json_t **out)
{
	db_stmt *s = db_prep(db, "SELECT status, SUM(n) FROM wo_count WHERE (?1 = 0 OR owner_org_id = ?1)"
	    " GROUP BY status");
	if (!s)
		return WO_ERROR;
	db_bind_int(s, 1, sc->all ? 0 : sc->org_id);
	json_t *o = json_object();
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		json_object_set_new(o, db_col_text(s, 0), json_integer(db_col_int(s, 1)));
	db_done(s);
	if (rc != DB_DONE) {
		json_decref(o);
		return WO_ERROR;
	}
	*out = o;
	return WO_OK;
}
