/* wo_row.h -- a Work Orders list's rows as the pages and the API show
 * them: a list statement's row (the number; the eleven listed columns in
 * one text separated by character 31, in the order of LIST_ROW in
 * migration 019; the view's own time) into a rowset's fields, named as
 * wo.h says; a row's number; a work order's times, status key and SLA
 * chip as the pages write them.  Owns nothing. */
#ifndef FW_WO_ROW_H
#define FW_WO_ROW_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "rowset.h"
#include "tz.h"

/* The view's own last column: none, the completed date (its time is in
 * the list row), or the last viewed (the statement's fourth column). */
enum { WO_ROW_PLAIN, WO_ROW_COMPLETED, WO_ROW_VIEWED };

/* Makes RS an empty rowset of a list's fields for OWN, room for MAX_ROWS
 * rows and MAX_BYTES of text.  0, or -1 out of memory. */
int wo_row_init(struct rowset *rs, int own, size_t max_rows, size_t max_bytes);
/* Adds statement S's row to RS (made by wo_row_init with OWN), its SLA
 * chip as at NOW, times in zone Z.  0, or -1 past RS's bounds or on a
 * list row that is not whole. */
int wo_row_put(struct rowset *rs, db_stmt *s, int own, int64_t now, const struct tz *z);
/* The number of row I of a page wo_list read.  This function can't fail. */
int64_t wo_list_number(const struct rowset *rows, size_t i);

/* Sets KEY (ISO 8601 UTC, or null for 0) and KEY_local (T in Z) on O:
 * the one way the wo module writes a time.  This function can't fail. */
void wo_json_time(json_t *o, const char *key, int64_t t, const struct tz *z);
/* STATUS as a style name: "Ship-To Received" -> "ship-to-received".
 * Returns OUT.  This function can't fail. */
const char *wo_status_key(const char *status, char *out, size_t n);
/* Sets target_sla_date (as wo_json_time), sla_due (the countdown chip's
 * text, "" when the work order is not open or has no target) and
 * sla_due_level ("none", "ok", "soon", "overdue").  Can't fail. */
void wo_json_sla(json_t *o, int64_t target, const char *status, int64_t now, const struct tz *z);

#endif
