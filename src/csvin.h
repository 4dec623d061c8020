/* csvin.h -- reads a CSV file (RFC 4180, by libcsv) into rows of named
 * fields: the first line names the columns.  Limits are checked as the
 * text is read.  Owns nothing. */
#ifndef FW_CSVIN_H
#define FW_CSVIN_H

#include <jansson.h>
#include <stddef.h>

#define CSVIN_MAX_ROWS 5000
#define CSVIN_MAX_COLS 64
#define CSVIN_MAX_FIELD 10000     /* bytes of one field */

/* Parses DATA[0..LEN) (UTF-8; a leading byte-order mark is skipped):
 * [{column: value, ...}] keyed by the header's names as written, empty
 * lines skipped; the caller owns it.  NULL with MSG when it is not CSV,
 * not UTF-8, has no header, or passes a limit. */
json_t *csvin_parse(const char *data, size_t len, char *msg, size_t msglen);

#endif
