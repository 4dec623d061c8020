/* lifecycle.h -- every change to a work order after it exists: the
 * partner's Accept (shipping, then travel), Reject, Could Not Complete,
 * Request For Assistance, scheduling against the Target SLA Date, site
 * times, line items and Completed; the operator's create, parts chain, On
 * Hold and Resume, Cancel, Close or Send Back, and Reissue.  Each call is
 * one transaction that writes Work Order History rows; a refused call says
 * why and changes nothing.  Owns the writes to wo, woli, part_order,
 * wo_history and assistance_request, and the holiday and entitlement
 * settings. */
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
	LC_STALE = 4,         /* the form was made for an older version: 409 */
	LC_CONFIRM = 5,       /* the appointment is past the Target SLA Date */
	LC_ERROR = -1,
};

/* The nine delay reasons of the guide (ch. 8), in its order. */
extern const char *const lc_delay_reasons[9];
extern const char *const lc_could_not_reasons[4];
extern const char *const lc_cancel_reasons[3];

/* What a form sends: name -> value.  The caller owns it. */
typedef json_t lc_form;

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

/* Creates a work order from the operator's form.  LC_OK with *NUMBER, or
 * LC_BAD_INPUT with ERRS. */
int lc_create(db_t *db, const struct user *u, lc_form *f, const struct tz *z, json_t *errs,
    char *msg, size_t msglen, int64_t *number);

/* What still stops Completed: a JSON array of messages (empty when none).
 * NULL on a database error. */
json_t *lc_missing_for_complete(db_t *db, int64_t number);

/* The operator's queue: open assistance requests and open work orders
 * with a missed-SLA delay reason.  NULL on error. */
json_t *lc_queue(db_t *db, const struct tz *z);
/* Marks assistance request ID handled by U.  0, 1 when not open, -1. */
int lc_assistance_resolve(db_t *db, const struct user *u, int64_t id);

/* The choices the operator's forms offer: accounts, territories,
 * entitlements, work types, partners, CSEs, stations. NULL on error. */
json_t *lc_choices(db_t *db);

/* Address suggestions for the Accept form's Shipping Address: the
 * account's and its stations' addresses and earlier shipping addresses of
 * the company's work orders, whose street starts like Q; at most ten.  An
 * empty array when the database fails. */
json_t *lc_address_suggestions(db_t *db, int64_t number, const char *q);

/* Entitlements and holidays (the SLA settings).  NULL on error. */
json_t *lc_sla_settings(db_t *db);
/* Sets entitlement ID's business days (0-30).  LC_OK / LC_BAD_INPUT. */
int lc_set_entitlement_days(db_t *db, int64_t id, const char *days, char *msg, size_t msglen);
/* Sets the round-trip miles partner ORG_ID's dispatch rate covers (0-500),
 * which the Accept form's Travel Distance(mi) excludes.  LC_OK /
 * LC_BAD_INPUT / LC_NOT_FOUND. */
int lc_set_covered_miles(db_t *db, int64_t org_id, const char *miles, char *msg, size_t msglen);
/* Adds or removes a holiday (YYYY-MM-DD).  LC_OK / LC_BAD_INPUT. */
int lc_holiday(db_t *db, const char *day, const char *name, int remove, char *msg, size_t msglen);

/* Parses money typed by a user ("1,250.5" is refused; "1250.50" is
 * 125050 cents).  Returns 0 with *CENTS, 1 for blank, -1 when malformed,
 * negative or too large. */
int lc_parse_money(const char *s, int64_t *cents);

#endif
