/* digest.h -- the daily digest: one email a day, at the local hour a user
 * picked in Settings, instead of one per event: their work orders at risk
 * of the Target SLA (overdue first), today's appointments, and unread
 * mentions.  It goes out through the mail outbox like every email; the day
 * is claimed first, so several nodes send it once.  Owns no table: the
 * digest choice and its claim are notify's. */
#ifndef FW_DIGEST_H
#define FW_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* Queues the digests due at NOW (UTC): each user whose local hour has
 * reached the one they chose and who has had none today.  BASE_URL starts
 * the links.  Returns how many were queued, or -1 on a database error
 * (those not queued are tried again on the next call). */
int digest_run(db_t *db, int64_t now, const char *base_url);

/* The digest of USER_ID at NOW as an email: SUBJECT and TEXT.  0, or -1.
 * Exposed for tests; digest_run uses it. */
int digest_compose(db_t *db, int64_t user_id, int64_t now, const char *base_url, char *subject, size_t sn,
    char *text, size_t tn);

#endif
