/* token.h -- the API's personal access tokens and idempotency keys.  A
 * token acts with exactly its user's permissions and tenant; it reads
 * only, or reads and writes; it may expire and is revoked by its user or
 * a manager.  Only the token's hash is stored.  An Idempotency-Key makes a
 * retried POST answer with the first answer instead of acting twice.
 * Owns the api_token and idempotency tables. */
#ifndef FW_TOKEN_H
#define FW_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "db.h"
#include "tz.h"
#include "user.h"

#define TOKEN_PREFIX "fwp_"
#define TOKEN_LEN 48              /* "fwp_" + 43 base64url characters + NUL */
#define TOKEN_NAME_MAX 100        /* characters */
#define TOKEN_MAX_DAYS 3650
#define TOKEN_IDEM_KEY_MAX 200
#define TOKEN_IDEM_TTL (24 * 3600)
#define TOKEN_IDEM_STALE 300      /* a claim left this long by a crashed request is freed */

enum { TOKEN_OK = 0, TOKEN_NOT_FOUND = 1, TOKEN_BAD = 2, TOKEN_ERROR = -1 };

/* A checked token: who it acts as, and what it may do. */
struct token_info {
	int64_t id;
	int can_write;
};

/* Issues a token named NAME for user USER_ID on behalf of ISSUER (the
 * user themselves; a partner admin for a user of the company; an operator
 * for an operator), reading only unless CAN_WRITE, expiring after DAYS
 * (0: never).  TOKEN_OK with the token in OUT (shown once, never stored),
 * TOKEN_BAD / TOKEN_NOT_FOUND with MSG, TOKEN_ERROR. */
int token_issue(db_t *db, const struct user *issuer, int64_t user_id, const char *name, int can_write, int days,
    char out[TOKEN_LEN], char *msg, size_t msglen);

/* Checks bearer token T: 0 with U and INFO filled (and its last use
 * noted), 1 when it is not a live token of an enabled user (unknown,
 * revoked, expired), -1 on a database error. */
int token_check(db_t *db, const char *t, struct user *u, struct token_info *info);

/* The tokens VIEWER manages: their own, and for a partner admin those of
 * the company's users, for an operator those of operators.  [{id, name,
 * user, user_email, scope, created_local, expires_local, last_used_local,
 * revoked}] newest first, or NULL on error. */
json_t *token_list(db_t *db, const struct user *viewer, const struct tz *z);
/* The users VIEWER may issue tokens for: [{id, name, email}]. */
json_t *token_users(db_t *db, const struct user *viewer);
/* Revokes token ID when VIEWER manages it.  TOKEN_OK, TOKEN_NOT_FOUND. */
int token_revoke(db_t *db, const struct user *viewer, int64_t id);

/* Idempotency: claims KEY of USER_ID for REQUEST ("POST /path").
 * TOKEN_OK: the key is new, run the request, then token_idem_done.
 * TOKEN_IDEM_REPLAY: the key's first answer, *STATUS and *BODY (malloc'd,
 * the caller frees it) and its Location into LOC (LOCLEN bytes; "" for
 * none), to send again.  TOKEN_BAD with MSG: the key was
 * used for another request, or its first use is still running.
 * TOKEN_ERROR on a database error. */
enum { TOKEN_IDEM_REPLAY = 3 };
int token_idem_claim(db_t *db, int64_t user_id, const char *key, const char *request, int *status, char **body,
    char *loc, size_t loclen, char *msg, size_t msglen);
/* Stores the answer of a claimed key (STATUS, BODY, its Location LOC or
 * NULL), or frees the claim when STATUS is 0 (a server error: a retry
 * may run again).  Best effort. */
void token_idem_done(db_t *db, int64_t user_id, const char *key, int status, const char *body, size_t len,
    const char *loc);

#endif
