/* auth.h -- logging in, server-side sessions, CSRF tokens, login rate
 * limits, one-time password-reset links and sign-up requests.  Owns
 * the session, login_attempt, reset_token, reset_request and
 * signup_request tables.  Tokens are random (libsodium); only their hashes
 * are stored, so a copy of the database cannot be used to log in. */
#ifndef FW_AUTH_H
#define FW_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "db.h"
#include "tz.h"
#include "user.h"

#define AUTH_TOKEN_LEN 44         /* 32 random bytes, base64url, NUL */
#define AUTH_COOKIE "fw_session"
#define AUTH_PRE_COOKIE "fw_pre"  /* double-submit token of the login form */
#define AUTH_SESSION_IDLE (12 * 3600)
#define AUTH_SESSION_MAX (7 * 24 * 3600)
/* Login throttling: failures are counted per account from one address,
 * per address, and per account from anywhere, each forgotten after
 * AUTH_WINDOW without a failure.  Past its threshold a count asks for a
 * wait that doubles with each further failure, up to its cap; nothing is
 * ever locked for good, and an account's owner on another address waits
 * at most AUTH_USER_CAP seconds however hard the account is attacked. */
#define AUTH_WINDOW (15 * 60)
#define AUTH_MAX_USER_FAILS 5     /* account from one address: then 4, 8, 16 ... s */
#define AUTH_PAIR_CAP (15 * 60)
#define AUTH_MAX_ADDR_FAILS 20    /* one address, any account */
#define AUTH_ADDR_CAP (15 * 60)
#define AUTH_MAX_ANY_FAILS 10     /* one account, any address */
#define AUTH_USER_CAP 60
#define AUTH_RESET_TTL (24 * 3600)

/* Initializes libsodium.  0 or -1. */
int auth_init(void);
/* Fills OUT with a new random token.  This function can't fail. */
void auth_random_token(char out[AUTH_TOKEN_LEN]);
/* The hash a token is stored as (BLAKE2b, 32 bytes).  This function can't
 * fail. */
void auth_hash(const char *token, unsigned char out[32]);
/* Constant-time comparison of two tokens; 1 when equal. */
int auth_token_eq(const char *a, const char *b);

enum auth_login_result { AUTH_OK, AUTH_BAD, AUTH_LOCKED, AUTH_ERROR };

/* Checks EMAIL and PASSWORD from client ADDR under the rate limits and, on
 * success, starts a session: TOKEN receives the cookie value.  On
 * AUTH_LOCKED, *RETRY_AFTER holds the seconds to wait.  A disabled or
 * unknown account answers AUTH_BAD, like a wrong password. */
enum auth_login_result auth_login(db_t *db, const char *email, const char *password,
    const char *addr, char token[AUTH_TOKEN_LEN], int *retry_after);

/* Looks up the session of cookie value TOKEN: 0 with U and CSRF filled,
 * 1 when there is no valid session, -1 on a database error. */
int auth_session(db_t *db, const char *token, struct user *u, char csrf[AUTH_TOKEN_LEN]);
/* Ends the session of TOKEN.  0 or -1. */
int auth_logout(db_t *db, const char *token);

/* Sets user ID's password and ends every session of theirs, in one
 * transaction.  0, or -1 with ERR. */
int auth_set_password(db_t *db, int64_t id, const char *password, char *err, size_t errlen);
/* Disables or enables user ID.  Disabling ends every session and
 * password link of theirs, and their calendar feeds stop (a feed lives
 * while its maker may log in).  0 or -1. */
int auth_set_disabled(db_t *db, int64_t id, int disabled);
/* Ends user ID's sessions and retires their password links, inside the
 * caller's transaction.  0 or -1. */
int auth_revoke_user(db_t *db, int64_t id);

/* Issues a one-time reset link token for USER_ID (valid AUTH_RESET_TTL).
 * 0 or -1. */
int auth_reset_issue(db_t *db, int64_t user_id, int64_t issued_by, char token[AUTH_TOKEN_LEN]);
/* 0 with *USER_ID when TOKEN is a live reset token, 1 when not, -1 error. */
int auth_reset_check(db_t *db, const char *token, int64_t *user_id);
/* Sets the password and spends the token; 0, or -1 with ERR. */
int auth_reset_use(db_t *db, const char *token, const char *password, char *err, size_t errlen);
/* Records a "Forgot password?" request for EMAIL (whether or not it exists,
 * so the answer reveals nothing).  0 or -1. */
int auth_reset_request(db_t *db, const char *email);

/* Sign-up requests ("Don't have an account? Sign Up").  Records one and
 * matches COMPANY (or the email's domain) to a partner company.  Returns
 * 0, or -1 with ERR naming the field at fault. */
int auth_signup_add(db_t *db, const char *name, const char *email, const char *company,
    const char *phone, const char *message, char *err, size_t errlen);
/* Pending sign-up requests ORG_ID may decide (0: all, for the operator),
 * as a JSON array the caller owns; NULL on error. */
json_t *auth_signup_pending(db_t *db, int64_t org_id, const struct tz *z);
/* Approves request ID for APPROVER: creates the user in ORG_ID (the
 * request's company when 0) with ROLE and issues a reset link in TOKEN so
 * the new user sets a password.  Returns 0, 1 when the request is not
 * visible or not pending, -1 with ERR. */
int auth_signup_approve(db_t *db, const struct user *approver, int64_t id, int64_t org_id,
    const char *role, char token[AUTH_TOKEN_LEN], char *email_out, size_t email_len,
    char *err, size_t errlen);
/* Rejects it.  0, 1 when not visible or not pending, -1 on error. */
int auth_signup_reject(db_t *db, const struct user *approver, int64_t id);
/* Open "Forgot password?" requests for users of ORG_ID (0: all). */
json_t *auth_reset_pending(db_t *db, int64_t org_id, const struct tz *z);

#endif
