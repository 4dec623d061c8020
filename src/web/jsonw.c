/* jsonw.c -- see jsonw.h. */
#include "jsonw.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSONW_MAX_DEPTH 64

static int
put_string(buf_t *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (buf_putc(b, '"'))
		return -1;
	size_t start = 0;
	for (;;) {
		size_t i = start + str_json_special(s + start, n - start);
		if (buf_append(b, s + start, i - start))
			return -1;
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i];
		char e[6] = { '\\', 0 };
		size_t en = 2;
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			en = 6;
		}
		if (buf_append(b, e, en))
			return -1;
		start = i + 1;
	}
	return buf_putc(b, '"');
}

static int
dump(json_t *v, buf_t *b, int depth)
{
	char num[40];
	if (depth > JSONW_MAX_DEPTH)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *x;
		int first = 1;
		if (buf_putc(b, '{'))
			return -1;
		json_object_foreach(v, k, x) {
			if ((!first && buf_putc(b, ',')) || put_string(b, k, strlen(k)) || buf_putc(b, ':') ||
			    dump(x, b, depth + 1))
				return -1;
			first = 0;
		}
		return buf_putc(b, '}');
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *x;
		if (buf_putc(b, '['))
			return -1;
		json_array_foreach(v, i, x) {
			if ((i && buf_putc(b, ',')) || dump(x, b, depth + 1))
				return -1;
		}
		return buf_putc(b, ']');
	}
	case JSON_STRING:
		return put_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf_puts(b, num);
	case JSON_REAL:
		if (!isfinite(json_real_value(v)))
			return -1;
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		return buf_puts(b, num);
	case JSON_TRUE:
		return buf_puts(b, "true");
	case JSON_FALSE:
		return buf_puts(b, "false");
	default:
		return buf_puts(b, "null");
	}
}

#define JSONW_ROW_KEYS 2048   /* bytes of a rowset's keys written once, quoted */

/* "NAME":[{field: value, ...}, ...], after a comma unless FIRST */
static int
dump_rows(const char *name, const struct rowset *rs, int first, buf_t *b)
{
	if ((!first && buf_putc(b, ',')) || put_string(b, name, strlen(name)) || buf_puts(b, ":["))
		return -1;
	/* each field's ,"key": once, then copied into every row */
	buf_t keys;
	buf_init(&keys, JSONW_ROW_KEYS);
	size_t *at = malloc(((size_t)rs->ncols + 1) * sizeof(*at));   /* freed below */
	int ok = at != NULL;
	for (int c = 0; ok && c < rs->ncols; c++) {
		at[c] = keys.len;
		ok = !(c && buf_putc(&keys, ',')) && !put_string(&keys, rs->cols[c], strlen(rs->cols[c])) &&
		    !buf_putc(&keys, ':');
	}
	if (!ok) {
		free(at);
		buf_free(&keys);
		return -1;
	}
	at[rs->ncols] = keys.len;
	int rc = 0;
	for (size_t r = 0; r < rs->nrows && !rc; r++) {
		if ((r && buf_putc(b, ',')) || buf_putc(b, '{')) {
			rc = -1;
			break;
		}
		for (int c = 0; c < rs->ncols && !rc; c++) {
			const struct rs_val *v = rowset_get(rs, r, c);
			if (buf_append(b, keys.data + at[c], at[c + 1] - at[c])) {
				rc = -1;
				break;
			}
			rc = v->kind == RS_STR ? put_string(b, rowset_bytes(rs, v), v->len) :
			    v->kind == RS_INT ? buf_i64(b, v->i) : v->kind == RS_BOOL ? buf_puts(b, v->i ? "true" : "false") :
			    buf_puts(b, "null");
		}
		if (!rc && buf_putc(b, '}'))
			rc = -1;
	}
	free(at);
	buf_free(&keys);
	return rc ? -1 : buf_putc(b, ']');
}

int
jsonw_dump(json_t *v, const struct rowset_named *rows, size_t nrows, buf_t *out)
{
	if (!nrows || !json_is_object(v))
		return dump(v, out, 0);
	/* the object, then its rowsets as more members */
	if (dump(v, out, 0))
		return -1;
	out->data[--out->len] = '\0';   /* its closing brace */
	for (size_t i = 0; i < nrows; i++)
		if (dump_rows(rows[i].name, rows[i].rs, out->data[out->len - 1] == '{', out))
			return -1;
	return buf_putc(out, '}');
}
