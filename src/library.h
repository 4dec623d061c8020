/* library.h -- the Library tab: brochures, guides, data sheets, price
 * lists, program documents and branding guidelines the operator uploads
 * and every partner browses, searches and downloads.  Owns library_doc. */
#ifndef FW_LIBRARY_H
#define FW_LIBRARY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "user.h"

extern const char *const lib_categories[6];

enum { LIB_OK = 0, LIB_NOT_FOUND = 1, LIB_BAD = 2, LIB_ERROR = -1 };

#define LIB_TITLE_MAX 200     /* characters */
#define LIB_VERSION_MAX 40

/* Adds a document (operator only).  LIB_OK with *ID, or LIB_BAD with MSG
 * and, per field (title, category, version, date, file), a message in
 * ERRS (may be NULL). */
int lib_add(db_t *db, const struct user *u, const char *title, const char *category, const char *version,
    const char *date, const char *filename, const void *data, size_t len, int64_t *id, json_t *errs, char *msg,
    size_t ml);
/* Documents matching Q (title or category, may be "") and CATEGORY (""
 * for all), newest first per category.  NULL on error. */
json_t *lib_list(db_t *db, const char *q, const char *category);
/* Loads document ID for download: *DATA is malloc'd (the caller frees it). */
int lib_get(db_t *db, int64_t id, char *filename, size_t fn, char *mime, size_t mn, char **data, size_t *len);
/* Deletes document ID (operator only).  LIB_OK / LIB_NOT_FOUND / LIB_BAD. */
int lib_delete(db_t *db, const struct user *u, int64_t id);

#endif
