/* export.h -- what leaves the portal as files: every list view as CSV
 * (streamed, all rows, spreadsheet formulas neutralized) and private
 * iCalendar feeds (RFC 5545) of a company's or a technician's appointments
 * behind revocable tokens.  Owns the cal_token table. */
#ifndef FW_EXPORT_H
#define FW_EXPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "tz.h"
#include "util.h"
#include "user.h"
#include "wo.h"

/* Appends V to OUT as one CSV field: quoted when needed, and with a leading
 * ' when it would start a formula (= + - @ tab CR).  0 or -1 (cap). */
int ex_csv_field(buf_t *out, const char *v);

/* A CSV export of Q for SCOPE, read in pages as the answer is sent.  The
 * caller hands ex_csv_read / ex_csv_free to the HTTP layer.  NULL on
 * error.  Takes copies of what it needs. */
void *ex_csv_open(const struct wo_scope *scope, const struct wo_query *q, const struct tz *z);
long ex_csv_read(void *cls, char *buf, size_t max);
void ex_csv_free(void *cls);

/* Calendar feeds.  U (a partner admin, or any partner user for the
 * company feed) makes one for the company (TECH_ID 0) or one of its
 * technicians: TOKEN receives the secret part of the URL.  EX results. */
enum { EX_OK = 0, EX_NOT_FOUND = 1, EX_BAD = 2, EX_ERROR = -1 };
int ex_cal_issue(db_t *db, const struct user *u, int64_t tech_id, char token[AUTH_TOKEN_LEN], char *msg, size_t ml);
/* U's company's live feeds: [{id, technician, created_local}]. */
json_t *ex_cal_list(db_t *db, const struct user *u, const struct tz *z);
/* Revokes feed ID of U's company.  EX_OK / EX_NOT_FOUND. */
int ex_cal_revoke(db_t *db, const struct user *u, int64_t id);
/* The iCalendar text of feed TOKEN into OUT: EX_OK, EX_NOT_FOUND (unknown
 * or revoked), EX_ERROR. */
int ex_cal_feed(db_t *db, const char *token, const char *brand, buf_t *out);

#endif
