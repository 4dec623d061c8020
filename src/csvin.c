/* csvin.c -- see csvin.h. */
#include "csvin.h"
#include "util.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>

struct reader {
	json_t *header;       /* [names] */
	json_t *rows;
	json_t *row;          /* the row being read */
	size_t col;
	int bad;
	char *msg;
	size_t ml;
};

static void
refuse(struct reader *r, const char *why)
{
	if (!r->bad)
		snprintf(r->msg, r->ml, "%s", why);
	r->bad = 1;
}

static void
on_field(void *s, size_t n, void *arg)
{
	struct reader *r = arg;
	if (r->bad)
		return;
	if (n > CSVIN_MAX_FIELD || !utf8_valid(s ? s : "", n)) {
		refuse(r, n > CSVIN_MAX_FIELD ? "A field is longer than 10,000 characters." : "The file is not UTF-8 text.");
		return;
	}
	json_t *v = json_stringn(s ? s : "", n);
	if (!r->header) {
		r->header = json_array();
	}
	if (!r->rows) {   /* still the header line */
		if (json_array_size(r->header) == CSVIN_MAX_COLS)
			refuse(r, "The file has more than 64 columns.");
		json_array_append_new(r->header, v);
		return;
	}
	if (!r->row)
		r->row = json_object();
	const char *name = json_string_value(json_array_get(r->header, r->col));
	if (name && *name)
		json_object_set_new(r->row, name, v);
	else
		json_decref(v);
	r->col++;
}

static void
on_row(int c, void *arg)
{
	struct reader *r = arg;
	(void)c;
	if (r->bad)
		return;
	if (!r->rows) {
		r->rows = json_array();
		return;
	}
	json_t *row = r->row;
	r->row = NULL;
	r->col = 0;
	if (!row)
		return;
	int empty = 1;
	const char *k;
	json_t *v;
	json_object_foreach(row, k, v)
		empty &= !*json_string_value(v);
	if (empty) {
		json_decref(row);
		return;
	}
	if (json_array_size(r->rows) == CSVIN_MAX_ROWS) {
		json_decref(row);
		refuse(r, "The file has more than 5,000 rows: import it in parts.");
		return;
	}
	json_array_append_new(r->rows, row);
}

json_t *
csvin_parse(const char *data, size_t len, char *msg, size_t ml)
{
	struct reader r = { .msg = msg, .ml = ml };
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		snprintf(msg, ml, "The file could not be read.");
		return NULL;
	}
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		data += 3;
		len -= 3;
	}
	if (csv_parse(&p, data, len, on_field, on_row, &r) != len || csv_fini(&p, on_field, on_row, &r) != 0)
		refuse(&r, "The file is not valid CSV (a quote is not closed, or a field has a stray quote).");
	csv_free(&p);
	if (!r.bad && !json_array_size(r.header))
		refuse(&r, "The file is empty: its first line names the columns.");
	json_decref(r.header);
	json_decref(r.row);
	if (r.bad) {
		json_decref(r.rows);
		return NULL;
	}
	return r.rows ? r.rows : json_array();
}
