/* user.h -- organizations (the operator, partner companies) and their
 * users with roles, and password hashing (argon2id).  Owns the org and
 * users tables; sessions are auth's. */
#ifndef FW_USER_H
#define FW_USER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "db.h"

#define USER_PW_MIN 10
#define USER_PW_MAX 256
#define USER_HASH_LEN 128         /* >= crypto_pwhash_STRBYTES */

struct user {
	int64_t id;
	int64_t org_id;
	char email[256];
	char name[128];
	char role[16];        /* operator, dispatcher, admin, technician */
	char phone[40];
	char tz[64];
	char default_view[32];
	char org_name[128];
	char org_kind[16];    /* operator, partner */
	int disabled;
};

/* Role predicates.  These can't fail. */
int user_is_operator(const struct user *u);
int user_is_partner(const struct user *u);          /* dispatcher or admin */
int user_is_partner_admin(const struct user *u);
/* The role as the UI names it: "Operator", "Partner Dispatcher" ... */
const char *user_role_label(const char *role);
int user_role_valid(const char *role);

/* Each returns 0 when found, 1 when not, -1 on a database error. */
int user_load(db_t *db, int64_t id, struct user *u);
int user_find_email(db_t *db, const char *email, struct user *u);
/* Returns the org's id, 0 when there is none of that name, -1 on error. */
int64_t org_find(db_t *db, const char *name);
int64_t org_add(db_t *db, const char *name, const char *kind, const char *domains);

/* Creates a user.  PASSWORD may be NULL (no login until one is set).
 * Returns the new id, or -1 with a message for the caller in ERR. */
int64_t user_add(db_t *db, int64_t org_id, const char *email, const char *name,
    const char *role, const char *password, char *err, size_t errlen);
/* Hashes PW into OUT (argon2id).  0 or -1 (out of memory). */
int user_hash_password(const char *pw, char out[USER_HASH_LEN]);
/* 1 when PW matches HASH.  This function can't fail. */
int user_verify_password(const char *hash, const char *pw);

/* Sets a new password.  0, or -1 with ERR.  Sessions are not touched:
 * auth_set_password() ends them too. */
int user_set_password(db_t *db, int64_t id, const char *password, char *err, size_t errlen);
/* Sets the disabled flag.  0 or -1.  auth_set_disabled() also ends the
 * sessions. */
int user_set_disabled(db_t *db, int64_t id, int disabled);
/* The user's "email me my notifications" choice.  0 or -1. */
int user_set_email_notifications(db_t *db, int64_t id, int on);
int user_set_default_view(db_t *db, int64_t id, const char *view);
/* Sets the user's time zone (an IANA name the caller has checked). 0/-1. */
int user_set_time_zone(db_t *db, int64_t id, const char *zone);
/* Checks the password policy; 0, or -1 with a message. */
int user_password_ok(const char *pw, char *err, size_t errlen);
/* Checks an email address's shape; 1 when plausible. */
int user_email_ok(const char *email);

enum { USER_OK = 0, USER_NOT_FOUND = 1, USER_BAD = 3, USER_ERROR = -1 };
/* Sets partner ORG_ID's travel terms: the round-trip MILES its dispatch
 * rate covers ("0"-"500"), which Travel Distance(mi) excludes, and the
 * contract's Travel Cost/mile RATE ("0.70"; "" or "0": none, any rate
 * is taken).  USER_OK, USER_BAD or USER_NOT_FOUND with MSG, or
 * USER_ERROR. */
int org_set_travel(db_t *db, int64_t org_id, const char *miles, const char *rate, char *msg, size_t msglen);

/* Users of ORG_ID (0: every user, for the operator) as a JSON array the
 * caller owns; NULL on error. */
json_t *user_list(db_t *db, int64_t org_id);
/* Partner companies as a JSON array of {id, name}; NULL on error. */
json_t *org_list_partners(db_t *db);

#endif
