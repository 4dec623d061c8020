/* jsonw.c -- see jsonw.h. */
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define JSONW_MAX_DEPTH 64

static int
put_string(buf_t *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (buf_putc(b, '"'))
		return -1;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (buf_append(b, s + start, i - start))
			return -1;
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
	if (buf_append(b, s + start, n - start))
		return -1;
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

/* "NAME":[{field: value, ...}, ...], after a comma unless FIRST */
static int
dump_rows(const char *name, const struct rowset *rs, int first, buf_t *b)
{
	if ((!first && buf_putc(b, ',')) || put_string(b, name, strlen(name)) || buf_puts(b, ":["))
		return -1;
	for (size_t r = 0; r < rs->nrows; r++) {
		if ((r && buf_putc(b, ',')) || buf_putc(b, '{'))
			return -1;
		for (int c = 0; c < rs->ncols; c++) {
			const struct rs_val *v = rowset_get(rs, r, c);
			if ((c && buf_putc(b, ',')) || put_string(b, rs->cols[c], strlen(rs->cols[c])) || buf_putc(b, ':'))
				return -1;
			int rc = v->kind == RS_STR ? put_string(b, rowset_bytes(rs, v), v->len) :
			    v->kind == RS_INT ? buf_i64(b, v->i) : v->kind == RS_BOOL ? buf_puts(b, v->i ? "true" : "false") :
			    buf_puts(b, "null");
			if (rc)
				return -1;
		}
		if (buf_putc(b, '}'))
			return -1;
	}
	return buf_putc(b, ']');
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
