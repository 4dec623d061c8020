/* lc_int.h -- what the three files of the lifecycle module share:
 * lifecycle.c (loading, history, the action table and the gate every
 * action passes), lc_partner.c (the partner's actions) and lc_operator.c
 * (the operator's actions and forms).  Nothing outside them includes it. */
#ifndef FW_LC_INT_H
#define FW_LC_INT_H

#include "lifecycle.h"

#define LC_BUSINESS_TZ "America/Chicago"   /* the zone SLA days are counted in */
#define LC_TEXT_MAX 2000

/* The work order as an action sees it, loaded in the action's transaction. */
struct lc_wo {
	int64_t number, owner_org, version, assigned_at, appointment_at, target_sla_at, est_delivery_at;
	int64_t arrive_at, depart_at, entitlement_days, covered_miles, hold_since, held_days;
	int parts;
	char status[24], hold_from[24], ship_street[128], scheduling_completed[12];
	char technician_name[128], technician_phone[40], delay_reason[96];
	int64_t reissued_as;
	/* travel: the contract's rate, and what Accept recorded */
	int64_t travel_rate, round_trip_tenths, distance_tenths, cost_cents;
};

/* Form helpers.  These can't fail: a missing field reads "". */
const char *lc_fv(lc_form *f, const char *k);
/* 1 when checkbox K is ticked: a form's "on" (or "yes"), JSON's true, "1".
 * One rule for the pages' forms and the API's JSON. */
int lc_checked(lc_form *f, const char *k);
/* Records MSG for FIELD unless it already has one. */
void lc_field_err(json_t *errs, const char *field, const char *msg);
int lc_role_of(const struct user *u);
/* "YYYY-MM-DD" and "HH:MM" in zone Z to UTC.  0 or -1. */
int lc_parse_local(const char *date, const char *time, const struct tz *z, int64_t *out);
int lc_phone_ok(const char *s);
int lc_one_of(const char *v, const char *const *list, size_t n);
/* 1 when V is present (if REQUIRED) and short enough, else 0 with an error. */
int lc_text_ok(json_t *errs, const char *field, const char *v, int required, const char *what);

/* The delay reason follows the facts: once W's appointment is inside its
 * Target SLA Date again (moved back, or the target moved), a reason given
 * for being late no longer holds and is cleared, with a history row.  0,
 * or -1 on a database error. */
int lc_delay_check(db_t *db, const struct user *u, struct lc_wo *w);

/* Loads NUMBER as U may act on it: LC_OK, LC_NOT_FOUND or LC_ERROR. */
int lc_load(db_t *db, const struct user *u, int64_t number, struct lc_wo *w);
/* The name history shows for U. */
const char *lc_who(const struct user *u);
/* Moves W to status TO: the column, a history row, a feed post (with WHY,
 * the reason given, when not NULL) and lc_tell.  0 or -1. */
int lc_set_status(db_t *db, const struct user *u, struct lc_wo *w, const char *to);
int lc_set_status_why(db_t *db, const struct user *u, struct lc_wo *w, const char *to, const char *why);
/* The same without lc_tell, for a step on the way to the status an action
 * tells about (the followers still see each step in the feed). */
int lc_set_status_quiet(db_t *db, const struct user *u, struct lc_wo *w, const char *to);
/* Tells the partner W's parts arrived (see lc_operator.c).  0 or -1. */
int lc_parts_arrived(db_t *db, const struct user *u, const struct lc_wo *w, const struct tz *z);
int lc_delivery_date(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml);
/* Tells the other side of W about WHAT, post POST_ID (see lifecycle.c):
 * TO_OPERATOR when a partner's action concerns the operator.  0 or -1. */
int lc_tell(db_t *db, const struct user *u, const struct lc_wo *w, int64_t post_id, const char *what, int to_operator);
/* Sets one column of the work order (COL is a constant of the caller). 0/-1. */
int lc_set_col(db_t *db, int64_t number, const char *col, const char *text, int64_t num, int is_text);
/* Formats T in the business time zone. */
void lc_fmt_local(int64_t t, char out[32]);
/* The Target SLA Date DAYS business days after BASE (delivery or
 * assignment), HELD_DAYS of On Hold added: *T, 0 when DAYS or BASE is 0.
 * 0, or -1 when the calendar could not be read. */
int lc_target_of(db_t *db, int64_t days, int64_t base, int64_t held_days, int64_t *t);
/* Recomputes the Target SLA Date from delivery (parts) or assignment. 0/-1. */
int lc_recompute_target(db_t *db, const struct user *u, struct lc_wo *w);
/* status_check() for U on W: LC_OK with *TO, or LC_REFUSED with MSG. */
int lc_check(int action, const struct user *u, struct lc_wo *w, const char **to, char *msg, size_t msglen);

/* The actions.  Each runs inside lc_do()'s transaction after lc_may()
 * allowed it, and returns an lc_result. */
int lc_accept_shipping(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml);
int lc_accept_travel(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml);
int lc_reason_action(db_t *db, const struct user *u, struct lc_wo *w, int action, lc_form *f, json_t *errs,
    char *msg, size_t ml);
int lc_assistance(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml);
int lc_schedule(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml);
int lc_site_times(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml);
int lc_woli_complete(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml);
int lc_complete(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml);
int lc_parts(db_t *db, const struct user *u, struct lc_wo *w, int action, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t ml);
int lc_hold(db_t *db, const struct user *u, struct lc_wo *w, int resume, lc_form *f, json_t *errs, char *msg, size_t ml);
/* Creates the work order of form F inside the caller's transaction: its
 * number into *NUMBER, the owner into *OWNER.  LC_OK, LC_BAD_INPUT (ERRS,
 * MSG), LC_ERROR. */
int lc_create_in(db_t *db, const struct user *u, lc_form *f, json_t *errs, char *msg, size_t ml, int64_t *number,
    int64_t *owner);
/* What follows a new work order N of OWNER in the same transaction: the
 * company told (its Target SLA Date went in with it, lc_create_in).
 * 0 or -1. */
int lc_created(db_t *db, const struct user *u, int64_t n, int64_t owner);
int lc_reissue(db_t *db, const struct user *u, struct lc_wo *w, lc_form *f, json_t *errs, char *msg, size_t ml,
    int64_t *new_number);

#endif
