/* lifecycle.h -- every change to a work order: the partner's Accept
 * (shipping, then travel), Reject, Could Not Complete, Request For
 * Assistance, scheduling against the Target SLA Date, site times, line
 * items and Completed; the operator's create, parts chain, On Hold and
 * Resume, Cancel, Close or Send Back, and Reissue; and which of them a user
 * may take now (lc_may, the one rule both the buttons and the actions
 * ask).  Each action is one transaction that writes Work Order History
 * rows; a refused call says why and changes nothing.  Owns the writes
 * to wo, wo_station, woli, part_order and wo_history (every history row
 * goes through lc_history).  Three files: lifecycle.c, lc_partner.c,
 * lc_operator.c. */
#ifndef FW_LIFECYCLE_H
#define FW_LIFECYCLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "tz.h"
#include "user.h"

enum lc_result {
	LC_OK = 0,
	LC_NOT_FOUND = 1,     /* no such work order for this user: 404 */
	LC_REFUSED = 2,       /* the status machine or a role says no: 409 / 403 */
	LC_BAD_INPUT = 3,     /* fields are wrong: 422, see the field errors */
	LC_STALE = 4,         /* the form was made for an older version, or says none: 409 */
	LC_CONFIRM = 5,       /* the appointment is past the Target SLA Date */
	LC_ERROR = -1,
};

/* The nine delay reasons of the guide (ch. 8), in its order. */
extern const char *const lc_delay_reasons[9];
extern const char *const lc_could_not_reasons[4];
extern const char *const lc_cancel_reasons[3];

/* What a form sends: name -> value.  The caller owns it. */
typedef json_t lc_form;

/* The actions, in the order the work order page offers them. */
enum lc_action_id {
	LA_ACCEPT_SHIPPING, LA_ACCEPT_TRAVEL, LA_REJECT, LA_COULD_NOT, LA_ASSISTANCE, LA_SCHEDULE, LA_SITE_TIMES,
	LA_WOLI, LA_COMPLETE, LA_PARTS_ORDERED, LA_SHIPPING, LA_SHIPPED, LA_DELIVERED, LA_HOLD, LA_RESUME,
	LA_CANCEL, LA_CLOSE, LA_SEND_BACK, LA_REISSUE, LA_DELIVERY_DATE, LA__COUNT
};

struct lc_action {
	const char *key;      /* the form's and the address's name: "accept-shipping" */
	const char *title;    /* the form's heading; NULL: a button, no form */
	const char *done;     /* what the page says after it */
	int sa;               /* the status machine's action, or -1 */
	/* the form's fields, for the API's description: "name" text, "name*"
	 * required, then ":b" a checkbox (true), ":d" a day YYYY-MM-DD, ":t" a
	 * time HH:MM, ":n" a decimal; every action also takes version* */
	const char *fields;
};
/* The one list of actions, indexed by enum lc_action_id. */
extern const struct lc_action lc_actions[LA__COUNT];
/* Deletes file FILE_ID (named TITLE) of work order NUMBER for U, with a
 * history row: its owner or the operator, and once the work order is
 * Closed the operator only.  LC_OK, LC_REFUSED with MSG, LC_NOT_FOUND,
 * LC_ERROR. */
int lc_file_delete(db_t *db, const struct user *u, int64_t number, int64_t file_id, const char *title, char *msg,
    size_t ml);

/* The index of KEY in lc_actions, or -1.  This function can't fail. */
int lc_action_find(const char *key);

/* What lc_may needs to know of a work order. */
struct lc_state {
	const char *status;
	int parts;
	const char *hold_from;
	int64_t reissued_as;
};
/* 1 when U's role may take action A at all (a technician: site times
 * only), whatever the status; else 0 with MSG.  lc_may asks it first; the
 * pages ask it before showing a form.  This function can't fail. */
int lc_role_may(const struct user *u, int a, char *msg, size_t msglen);
/* 1 when U may take action A on a work order in state ST, else 0 with
 * MSG saying why.  lc_do() asks it before every action; pages ask it for
 * their buttons.  This function can't fail. */
int lc_may(const struct user *u, int a, const struct lc_state *st, char *msg, size_t msglen);
/* lc_may for every action, as {"accept-shipping": true, ...} plus
 * any_partner / any_operator / any_technician; the caller owns it. */
json_t *lc_allowed(const struct user *u, const struct lc_state *st);

/* One action.  ACTION is the form's name for it (see lifecycle.c: "accept-
 * shipping", "accept-travel", "reject", "could-not-complete", "assistance",
 * "schedule", "site-times", "woli", "complete", "parts-ordered",
 * "shipping", "shipped", "parts-delivered", "hold", "resume", "cancel",
 * "close", "send-back", "reissue").  F holds the fields; "version" in F,
 * when present, must match the work order's.  On LC_BAD_INPUT, ERRS (an
 * object the caller owns) maps field names to messages; on LC_REFUSED,
 * LC_STALE and LC_NOT_FOUND, MSG says why.  *NEW_NUMBER receives the work
 * order a reissue created.  Z reads dates and times the user typed. */
int lc_do(db_t *db, const struct user *u, int64_t number, const char *action, lc_form *f,
    const struct tz *z, json_t *errs, char *msg, size_t msglen, int64_t *new_number);

/* The most characters form field FIELD takes (a limit per field, the
 * same in the form's maxlength and in the message).  This function
 * can't fail. */
int lc_field_max(const char *field);
/* Every field's limit as {field: max, ..., "text": the default}, for the
 * forms' maxlength.  The caller owns it. */
json_t *lc_field_limits(void);

/* The New Work Order form's values for reissuing NUMBER (its case,
 * subject, account, station, territory, entitlement, work type, owner,
 * CSE, parts flag, line items, and reissue_of and version), for the
 * operator to correct before saving it; the saved form reissues it
 * (lc_create with reissue_of, or the "reissue" action with the fields).
 * NULL with MSG when U may not reissue it (status, already reissued). */
json_t *lc_reissue_form(db_t *db, const struct user *u, int64_t number, char *msg, size_t ml);
/* Creates a work order from the operator's form (with reissue_of: the
 * reissue of that work order, as lc_do's "reissue").  LC_OK with *NUMBER,
 * or LC_BAD_INPUT with ERRS. */
int lc_create(db_t *db, const struct user *u, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t msglen, int64_t *number);

/* Makes the new work orders of ROWS (from csvin_parse: Case, Subject,
 * Account, Station, Service Territory, Entitlement, Work Type, Owner, Parts
 * Needed, Line Items; other columns, such as the export's, are ignored)
 * for operator U: all of them, or none.  LC_OK with REPORT.created (their
 * numbers); LC_BAD_INPUT with MSG and REPORT.rows [{line, errors:
 * {column: message}}]; LC_REFUSED; LC_ERROR. */
int lc_import(db_t *db, const struct user *u, json_t *rows, json_t *report, char *msg, size_t msglen);

/* What still stops Completed: a JSON array of messages (empty when none).
 * NULL on a database error. */
json_t *lc_missing_for_complete(db_t *db, int64_t number);


/* The choices the operator's forms offer: accounts, territories,
 * entitlements, work types, partners, CSEs, stations. NULL on error. */
json_t *lc_choices(db_t *db);

/* Address suggestions for the Accept form's Shipping Address: the
 * account's and its stations' addresses and earlier shipping addresses of
 * the company's work orders, whose street starts like Q; at most ten.  An
 * empty array when the database fails. */
json_t *lc_address_suggestions(db_t *db, int64_t number, const char *q);

/* One Work Order History row by U, inside the caller's transaction: the
 * only writer of wo_history.  0 or -1. */
int lc_history(db_t *db, const struct user *u, int64_t number, const char *field, const char *from, const char *to);
/* The technician module's changes, inside its transaction: the work
 * order's technician becomes NEW_LABEL (history from OLD_LABEL), or its
 * technician NAME was offboarded and it needs reassignment.  0 or -1. */
int lc_technician_set(db_t *db, const struct user *u, int64_t number, const char *old_label, const char *new_label);
int lc_technician_gone(db_t *db, const struct user *u, int64_t number, const char *name);


#endif
