/* queue.h -- the operator's queue: Request For Assistance messages from
 * partners, and open work orders whose appointment missed the Target SLA
 * Date.  Owns the assistance_request table. */
#ifndef FW_QUEUE_H
#define FW_QUEUE_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"
#include "tz.h"
#include "user.h"

/* Records a request for assistance on NUMBER by USER_ID, inside the
 * caller's transaction.  0 or -1. */
int queue_add(db_t *db, int64_t number, int64_t user_id, const char *message);
/* The queue: {"assistance": [...], "missed_sla": [...]}, the caller owns
 * it.  NULL on error. */
json_t *queue_list(db_t *db, const struct tz *z);
/* Marks request ID handled by U.  0, 1 when not open, -1 on error. */
int queue_resolve(db_t *db, const struct user *u, int64_t id);

#endif
