/* wo.h -- work orders: the list views of the Work Orders tab (guide ch.
 * 2-3) and the work order record (ch. 4).  Reads the wo, wo_station,
 * woli, wo_history, part_order and file tables (the lifecycle and files
 * modules write them); owns the wo_view table (Recently Viewed) and the
 * rule of who sees which work order.  Two files: wo.c (the lists),
 * wo_record.c (the record).  Knows nothing of HTTP: callers get
 * view-model pieces (jansson) and a status. */
#ifndef FW_WO_H
#define FW_WO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "rowset.h"
#include "tz.h"
#include "user.h"
#include "wo_row.h"   /* a list's rows, times and SLA chip */

#define WO_PAGE_DEFAULT 50
#define WO_PAGE_MAX 200
#define WO_SEARCH_MAX 200      /* bytes of "Search this list..." */
#define WO_RECENT_KEEP 200     /* viewed work orders kept per user */
#define WO_RECENT_SHOWN 25     /* rows of the "Recently Viewed" view */

/* SQL for the next history sequence number of work order ?1, for the
 * seq column of an INSERT INTO wo_history (history is kept per work order,
 * numbered in order of writing). */
#define WO_HISTORY_SEQ "(SELECT COALESCE(MAX(seq), 0) + 1 FROM wo_history WHERE wo_number = ?1)"

enum wo_view {
	WV_ALL, WV_MY_OPEN, WV_RECENT, WV_RECENT_WO, WV_DONE, WV_ENDED, WV_AT_RISK, WV__COUNT
};

enum wo_col {
	WC_NUMBER, WC_CASE, WC_SUBJECT, WC_ACCOUNT, WC_TERRITORY, WC_STATUS, WC_ASSIGNED,
	WC_ENTITLEMENT, WC_APPOINTMENT, WC_WORK_TYPE, WC_TARGET, WC_COMPLETED, WC_VIEWED, WC__COUNT
};

struct wo_view_def {
	const char *key;      /* URL value, e.g. "my-open" */
	const char *label;    /* the guide's name, e.g. "My Open Work Orders" */
	const char *filter;   /* summary line, e.g. "My work orders - Status" */
	int klass;            /* -1 all, 0 open, 1 completed/closed, 2 ended */
	int sort;             /* default sort column */
	int desc;             /* default direction */
};

struct wo_col_def {
	const char *key;      /* URL value, e.g. "assigned" */
	const char *label;    /* column header, e.g. "WO Assigned Date" */
	const char *sql;      /* column in wo (or v. for the view time) */
	int is_int;           /* sorts by an integer (times, the status rank) */
	const char *asc;      /* the key ascending when not SQL itself: a date not set (0) last */
};

extern const struct wo_view_def wo_views[WV__COUNT];
extern const struct wo_col_def wo_cols[WC__COUNT];

/* Who is asking: the operator sees every work order, a partner only its
 * company's. */
struct wo_scope {
	int64_t user_id;
	int64_t org_id;
	int all;              /* operator */
	int64_t tech_id;      /* a technician: only the work orders assigned to them */
};

/* Fills S for U.  Returns 0, or -1 when U's role has no work order list.
 * A technician's scope is the work orders assigned to TECH_ID (0: none). */
int wo_scope_for(const struct user *u, struct wo_scope *s);
void wo_scope_technician(const struct user *u, int64_t tech_id, struct wo_scope *s);
/* The scope of U as the pages and actions use it: wo_scope_for(), and for
 * a technician the technician record linked to the login.  0, or -1 when
 * U reaches no work orders (a technician not linked yet, a database
 * error). */
int wo_scope_of(db_t *db, const struct user *u, struct wo_scope *s);

/* Index into wo_views / wo_cols of KEY, or -1.  These can't fail. */
int wo_view_find(const char *key);
int wo_col_find(const char *key);
/* 1 when view V shows column C. */
int wo_view_has_col(int v, int c);

struct wo_query {
	int view;
	int sort;
	int desc;
	const char *search;   /* NULL or "" for none */
	int64_t after;        /* keyset anchor: rows after this work order */
	int64_t before;       /* or before it (previous page) */
	int limit;
	int exact;            /* every match in order, whatever it costs (an export) */
	int newest;           /* page on among the newest matches (a page said WO_SORTED_NEWEST) */
};

enum wo_status { WO_OK = 0, WO_NOT_FOUND = 1, WO_BAD_INPUT = 2, WO_ERROR = -1 };

#define WO_COUNT_CAPPED 1     /* flags of wo_list's *TOTAL_CAPPED: see there */
#define WO_SORTED_NEWEST 2
#define WO_SORT_NEWEST 1000   /* matches such a page is sorted from: as many as are sorted at once */

/* Runs Q for SCOPE.  On WO_OK, ROWS holds the page, each row the display
 * fields in zone Z: number, case, subject, account, service_territory,
 * status, status_key, wo_assigned_date (ISO 8601 UTC or null) and
 * wo_assigned_date_local, entitlement, appointment_date(_local),
 * work_type, sla_due, sla_due_level, target_sla_date(_local), and in the
 * views that show them completed_date(_local) or last_viewed(_local);
 * *TOTAL the item count and *TOTAL_CAPPED its flags (WO_COUNT_CAPPED: there
 * are more; WO_SORTED_NEWEST: a search's matches were too many to sort and
 * too rare in the sort's order to find, and the page is the newest
 * WO_SORT_NEWEST matches' in that order -- say so, and ask for the next
 * pages with Q->newest), *HAS_NEXT / *HAS_PREV whether more pages exist.
 * On WO_BAD_INPUT, ERR says what is wrong with the query.  The caller frees
 * ROWS with rowset_free after WO_OK; on any other status it holds nothing. */
int wo_list(db_t *db, const struct wo_scope *scope, const struct wo_query *q, const struct tz *z,
    struct rowset *rows, int64_t *total, int *total_capped, int *has_next, int *has_prev,
    char *err, size_t errlen);
/* The search's thresholds (wo_search.c): up to GATHER_MAX matches are gathered
 * at once (on SQLite, PROBE of them first, and the rest where their
 * density so far says they fit), more are tested while the sort order is
 * walked for up to WALK steps of SQLite (a hit set's scan five times as
 * many), and a count stops after COUNT steps.  0 keeps a value.
 * FIELDWORK_SEARCH_GATHER sets GATHER_MAX, FIELDWORK_SEARCH_STEPS WALK;
 * tests take every path on a small database with them.  This function
 * can't fail. */
void wo_search_tune(int gather_max, long walk, long count, int probe);
/* Makes the places of the work orders in the list's sort orders that a
 * search sorts from when its matches are rare early in the order (rank.h),
 * while BUSY(ARG) answers 0: rank_warm's contract, the orders registered
 * at the first call.  SQLite; one caller, on a connection of its own. */
int wo_rank_warm(db_t *db, int (*busy)(void *), void *arg);

/* WO_OK when SCOPE may see work order NUMBER, WO_NOT_FOUND when it may not
 * (or there is none), WO_ERROR.  One indexed query: the check for pages
 * that need the permission, not the record. */
int wo_visible(db_t *db, const struct wo_scope *scope, int64_t number);

/* Loads work order NUMBER as SCOPE may see it: WO_OK with *OUT (the
 * caller owns it), WO_NOT_FOUND also when it belongs to another company. */
int wo_get(db_t *db, const struct wo_scope *scope, int64_t number, const struct tz *z, json_t **out);

/* Remembers that USER_ID opened NUMBER, for the Recently Viewed views.
 * 0 or -1. */
int wo_record_view(db_t *db, int64_t user_id, int64_t number);

/* The work orders of company ORG (0: every company) in status class KLASS
 * (0 open, 1 Completed or Closed, 2 ended; -1 every class) into *TOTAL,
 * from the counters the triggers keep.  WO_OK or WO_ERROR. */
int wo_class_count(db_t *db, int64_t org, int klass, int64_t *total);

/* Counts SCOPE's work orders by status into *OUT, an object of status ->
 * count (the caller owns it).  WO_OK or WO_ERROR. */
int wo_status_counts(db_t *db, const struct wo_scope *scope, json_t **out);


#endif
