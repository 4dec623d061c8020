/* demo.h -- deterministic, realistic demo data in the guide's image: the
 * operator, partner companies with dispatchers and admins, accounts,
 * stations, work orders over every status with line items, history and
 * part orders. */
#ifndef FW_DEMO_H
#define FW_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define DEMO_PASSWORD "fieldwork-demo"

struct demo_opts {
	long work_orders;     /* how many (default 200) */
	uint64_t seed;        /* same seed, same data */
	int64_t epoch_day;    /* "today" of the data, days since 1970-01-01 */
	const char *brand;    /* the operator's name, "ChargePoint" */
	const char *path;     /* the database's file, or NULL: a bulk load then
	                       * runs in one thread, else in two, the second
	                       * writing into PATH.load (removed after) */
};

/* Fills an empty, migrated database.  Returns 0, or -1 with ERR (e.g. the
 * database already has organizations). */
int demo_fill(db_t *db, const struct demo_opts *o, char *err, size_t errlen);

/* Prints the demo logins to stdout.  This function can't fail. */
void demo_print_logins(const char *brand);

#endif
