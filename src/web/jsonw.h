/* jsonw.h -- writes a jansson value as compact JSON into a bounded buffer.
 * The API answers every page's view-model this way; it is several times
 * faster than json_dumps, which escapes through a callback per character.
 * Owns nothing. */
#ifndef FW_JSONW_H
#define FW_JSONW_H

#include <jansson.h>

#include "rowset.h"
#include "util.h"

/* Appends V to OUT.  When ROWS_NAME is not NULL and V is an object, ROWS
 * is written as its last member, under that key, an array of objects (the
 * part of a view-model held outside it, rowset.h).  Returns 0, or -1 when
 * OUT reached its cap or V holds a non-finite number.  Object keys keep
 * their insertion order. */
int jsonw_dump(json_t *v, const char *rows_name, const struct rowset *rows, buf_t *out);

#endif
