/* jsonw.h -- writes a jansson value as compact JSON into a bounded buffer.
 * The API answers every page's view-model this way; it is several times
 * faster than json_dumps, which escapes through a callback per character.
 * Owns nothing. */
#ifndef FW_JSONW_H
#define FW_JSONW_H

#include <jansson.h>

#include "rowset.h"
#include "util.h"

/* Appends V to OUT.  When V is an object, each of the NROWS ROWS is
 * written as one more member, under its name, an array of objects (the
 * parts of a view-model held outside it, rowset.h).  Returns 0, or -1 when
 * OUT reached its cap or V holds a non-finite number.  Object keys keep
 * their insertion order. */
int jsonw_dump(json_t *v, const struct rowset_named *rows, size_t nrows, buf_t *out);

#endif
