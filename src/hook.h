/* hook.h -- webhooks: endpoints registered by the operator (for the whole
 * network) or a partner admin (for the company's work orders only), the
 * events they subscribe to, and the deliveries queued in the transaction
 * of the change they tell of, signed (HMAC-SHA256 of "TIMESTAMP.BODY"),
 * sent in order per endpoint by one node (a claim), retried with backoff
 * for a day, logged with their answers and re-sendable.  Owns the
 * webhook, webhook_delivery and sla_risk_told tables. */
#ifndef FW_HOOK_H
#define FW_HOOK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "db.h"
#include "tz.h"
#include "user.h"

#define HOOK_URL_MAX 500
#define HOOK_SECRET_LEN 48        /* "whsec_" + 40 hex + NUL, room to spare */
#define HOOK_RETRY_FOR (24 * 3600)
#define HOOK_PER_SCOPE 20         /* endpoints per company (or the network) */

enum { HOOK_OK = 0, HOOK_NOT_FOUND = 1, HOOK_BAD = 2, HOOK_ERROR = -1 };

/* The events, as subscribed and sent. */
extern const char *const hook_events[7];

/* Settings made at start: plain http:// endpoints on this machine are
 * allowed (tests, development; https only otherwise), and the first
 * retry's wait in seconds (doubling each time).  These can't fail. */
void hook_set_allow_http(int allow);
void hook_set_retry_base(int seconds);

/* Registers URL for EVENTS (names of hook_events) on behalf of U: the
 * operator's endpoint hears the network, a partner admin's its company.
 * HOOK_OK with the signing secret in SECRET (shown once), HOOK_BAD with
 * MSG, HOOK_ERROR. */
int hook_add(db_t *db, const struct user *u, const char *url, const char *const *events, size_t nevents,
    char secret[HOOK_SECRET_LEN], char *msg, size_t msglen);
/* Removes endpoint ID of U's scope (its queued deliveries are dropped).
 * HOOK_OK, HOOK_NOT_FOUND. */
int hook_remove(db_t *db, const struct user *u, int64_t id);
/* U's endpoints [{id, url, events, created_local}] and their latest
 * deliveries [{id, endpoint, event, status, attempts, last_code,
 * last_error, created_local, delivered_local}].  NULL on error. */
json_t *hook_list(db_t *db, const struct user *u, const struct tz *z);
/* Sends delivery ID of U's scope again (as a new attempt, now).
 * HOOK_OK, HOOK_NOT_FOUND. */
int hook_resend(db_t *db, const struct user *u, int64_t id);
/* 1 when U may manage webhooks (the operator, a partner admin). */
int hook_may_manage(const struct user *u);

/* Queues EVENT about work order NUMBER for every endpoint that hears it
 * (the network's, and its owner company's), with DATA (may be NULL; the
 * function takes it over) beside a summary of the work order.  Runs in
 * the caller's transaction.  0 or -1. */
int hook_emit(db_t *db, const char *event, int64_t number, json_t *data);

/* For the sender: claims the next due delivery (the oldest waiting of its
 * endpoint) for CLAIM_SECS.  1 with its id, URL, SECRET and BODY
 * (malloc'd, the caller frees it); 0 when none is due; -1 on error. */
int hook_claim(db_t *db, int claim_secs, int64_t *id, char *url, size_t urln, char *secret, size_t secretn,
    char **body, char *event, size_t eventn);
/* Records the answer of delivery ID: CODE (0: no answer) and ERR.  A 2xx
 * delivers it; anything else waits twice as long as before, until a day
 * has passed (then it failed).  This function can't fail. */
void hook_done(db_t *db, int64_t id, int code, const char *err);
/* The signature header of BODY sent at T with SECRET:
 * "t=T,v1=HEX(HMAC-SHA256(SECRET, "T.BODY"))".  This function can't fail. */
void hook_sign(const char *secret, int64_t t, const char *body, size_t len, char out[100]);
/* Announces the open work orders that have come under the SLA At Risk
 * rule since the last look (sla.at_risk), once each until they leave it.
 * Returns how many, or -1 on error. */
int hook_scan_at_risk(db_t *db, int64_t now);

#endif
