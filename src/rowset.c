/* rowset.c -- see rowset.h. */
#include "rowset.h"

#include <stdlib.h>
#include <string.h>

int
rowset_init(struct rowset *rs, const char *const *cols, int ncols, size_t max_rows, size_t max_bytes)
{
	memset(rs, 0, sizeof(*rs));
	rs->cols = cols;
	rs->ncols = ncols;
	rs->max_rows = max_rows;
	/* a value's offset and length are 32 bits: the text's cap keeps
	 * every one of them in range, checked here once */
	if (max_bytes > UINT32_MAX)
		return -1;
	buf_init(&rs->text, max_bytes);
	/* rowset_add clears each row it hands out */
	if (ncols <= 0 || max_rows > SIZE_MAX / (size_t)ncols / sizeof(*rs->vals))
		return -1;
	rs->vals = max_rows ? malloc(max_rows * (size_t)ncols * sizeof(*rs->vals)) : NULL;
	if (max_rows && !rs->vals)
		return -1;
	/* a list page's text fits at once: no copy while it fills */
	if (max_bytes && buf_reserve(&rs->text, max_bytes < 64 * 1024 ? max_bytes : 64 * 1024) != 0)
		return -1;
	return 0;
}

struct rs_val *
rowset_add(struct rowset *rs)
{
	if (rs->nrows == rs->max_rows)
		return NULL;
	struct rs_val *row = rs->vals + rs->nrows++ * (size_t)rs->ncols;
	memset(row, 0, (size_t)rs->ncols * sizeof(*row));
	return row;
}

int
rowset_str(struct rowset *rs, struct rs_val *v, const char *s, size_t n)
{
	if (rowset_str_plain(rs, v, s, n) != 0)
		return -1;
	v->plain = str_html_special(s, n) == n;
	return 0;
}

int
rowset_text(struct rowset *rs, const char *s, size_t n, uint32_t *off, int *plain)
{
	if (rowset_copy(rs, s, n, off) != 0)
		return -1;
	*plain = str_html_special(s, n) == n;
	return 0;
}

void
rowset_int(struct rs_val *v, int64_t i)
{
	v->kind = RS_INT;
	v->i = i;
}

void
rowset_bool(struct rs_val *v, int b)
{
	v->kind = RS_BOOL;
	v->i = b != 0;
}

int
rowset_col(const struct rowset *rs, const char *k, size_t n)
{
	for (int i = 0; i < rs->ncols; i++)
		if (n && rs->cols[i][0] == k[0] && strncmp(rs->cols[i], k, n) == 0 && rs->cols[i][n] == '\0')
			return i;
	return -1;
}

void
rowset_pop(struct rowset *rs)
{
	if (rs->nrows)
		rs->nrows--;
}

void
rowset_reverse(struct rowset *rs)
{
	size_t w = (size_t)rs->ncols;
	for (size_t a = 0, b = rs->nrows; b-- > a + 1; a++)
		for (size_t k = 0; k < w; k++) {
			struct rs_val t = rs->vals[a * w + k];
			rs->vals[a * w + k] = rs->vals[b * w + k];
			rs->vals[b * w + k] = t;
		}
}

void
rowset_free(struct rowset *rs)
{
	free(rs->vals);
	rs->vals = NULL;
	rs->nrows = rs->max_rows = 0;
	buf_free(&rs->text);
}
