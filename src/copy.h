/* copy.h -- `fieldwork copy`: a whole SQLite store into an empty
 * PostgreSQL one, so a team that started with one file can move to a
 * shared database without losing anything.  Every table is copied in an
 * order its references allow (files included), in one transaction on the
 * target; then the identities move past the copied ids and each table's
 * row count is compared.  A tool over every table: it writes rows exactly
 * as the modules that own them wrote them, and nothing else. */
#ifndef FW_COPY_H
#define FW_COPY_H

#include <stddef.h>
#include <stdio.h>

#include "db.h"

/* Copies FROM (SQLite, read in one snapshot) into TO (PostgreSQL, with
 * the schema applied and no rows), saying each table's count on PROGRESS
 * (may be NULL).  0, or -1 with ERR; on -1 the target is left as it was. */
int copy_store(db_t *from, db_t *to, FILE *progress, char *err, size_t errlen);

#endif
