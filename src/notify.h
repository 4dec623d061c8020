/* notify.h -- notifications (the bell), Follow, and email for each
 * notification through the outbox when the user wants it and a mail
 * server is set.  Owns the notification, follow and email_outbox tables. */
#ifndef FW_NOTIFY_H
#define FW_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"
#include "tz.h"
#include "user.h"

/* Turns email on (a server is set) for notifications made from now on.
 * BASE_URL starts the links in them (may be "").  This function can't fail. */
void notify_email_enable(int on, const char *base_url);
/* That base URL ("" when none).  This function can't fail. */
const char *notify_email_base(void);

/* Notifies USER_ID about work order NUMBER (0: none).  KIND is mention,
 * reply, post, status or assignment.  About a post (POST_ID), a person is
 * told once: a second call for the same person and post does nothing.
 * 0 or -1. */
int notify_user(db_t *db, int64_t user_id, int64_t number, int64_t post_id, const char *kind, const char *text);
/* Notifies everyone following NUMBER but EXCEPT_USER.  0 or -1. */
int notify_followers(db_t *db, int64_t number, int64_t except_user, int64_t post_id, const char *kind, const char *text);
/* Notifies every active dispatcher and admin of ORG_ID; about POST_ID (0:
 * none) once per person.  0 or -1. */
int notify_company(db_t *db, int64_t org_id, int64_t number, int64_t post_id, const char *kind, const char *text);
/* Notifies the technicians assigned to NUMBER who have a login.  0 or -1. */
int notify_technicians(db_t *db, int64_t number, int64_t post_id, const char *kind, const char *text);
/* Notifies the operator's team (every active operator user) but
 * EXCEPT_USER.  0 or -1. */
int notify_operators(db_t *db, int64_t number, int64_t except_user, int64_t post_id, const char *kind,
    const char *text);

/* U's notifications, newest first, older than id BEFORE (0: from the
 * newest), at most LIMIT, as an array the caller owns; NULL on error. */
json_t *notify_list(db_t *db, int64_t user_id, int64_t before, int limit, const struct tz *z);
/* Unread count, counted up to NOTIFY_UNREAD_MAX + 1 (which stands for
 * more: every page shows it, and its work stays bounded however many a
 * busy dispatcher leaves unread); -1 on error. */
#define NOTIFY_UNREAD_MAX 999
int64_t notify_unread(db_t *db, int64_t user_id);
/* Marks all of U's notifications read.  0 or -1. */
int notify_mark_read(db_t *db, int64_t user_id);

/* Follow: 1 when U follows NUMBER, 0 when not, -1 on error. */
int notify_following(db_t *db, int64_t user_id, int64_t number);
/* Toggles it; returns the new state, or -1. */
int notify_toggle_follow(db_t *db, int64_t user_id, int64_t number);
/* U's email preference: 1 on, 0 off, -1 on error. */
int notify_email_pref(db_t *db, int64_t user_id);

/* The kinds of notification a user may turn off, with what Settings calls
 * them; NULL past the last.  This function can't fail. */
const char *notify_kind(size_t i, const char **label);
/* 1 when USER_ID wants KIND (the default), 0 when turned off, -1 on error. */
int notify_wants(db_t *db, int64_t user_id, const char *kind);
/* Turns KIND on or off for USER_ID.  0 or -1. */
int notify_set_wants(db_t *db, int64_t user_id, const char *kind, int on);
/* Settings' notifications in one transaction: email for each event
 * (EMAIL_EACH), the digest's HOUR (-1: none), and ON[i] for notify_kind(i).
 * 0 or -1 (nothing saved). */
int notify_save_prefs(db_t *db, int64_t user_id, int email_each, int hour, const int *on);
/* The daily digest's local hour for USER_ID, -1 when none, -2 on error. */
int notify_digest_hour(db_t *db, int64_t user_id);
/* Sets it (HOUR -1: none).  0 or -1. */
int notify_set_digest(db_t *db, int64_t user_id, int hour);
/* Claims USER_ID's digest for local DAY: 1 when this caller is the one to
 * send it, 0 when it was sent (or claimed) already, -1 on error. */
int notify_digest_claim(db_t *db, int64_t user_id, int64_t day);
/* Queues TEXT as an email to USER_ID (subject SUBJECT), whatever the
 * per-event preference: the digest's way out.  0 or -1. */
int notify_email_direct(db_t *db, int64_t user_id, const char *subject, const char *text);

/* The outbox, for the mail sender: the oldest unsent message tried fewer
 * than MAX_TRIES times (*ID 0 when none; *BODY malloc'd, the caller frees
 * it), and marking it sent or failed with ERR.  These can't fail: a
 * database error reads as an empty outbox, or leaves the mark for the
 * next try. */
void notify_outbox_next(db_t *db, int max_tries, int64_t *id, char *to, size_t ton, char *subject, size_t sn,
    char **body);
void notify_outbox_done(db_t *db, int64_t id, int ok, const char *err);

#endif
