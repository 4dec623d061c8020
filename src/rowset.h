/* rowset.h -- a table of rows held outside jansson: the part of a
 * view-model that is many rows of the same named fields (the Work Orders
 * list).  The domain fills it straight from a statement, with no object
 * or allocation per row; the template renderer walks it as a section and
 * the JSON writer writes it as an array of objects, so the page and its
 * API twin show the same rows from the same source.  A rowset owns its
 * values and their bytes; rowset_free releases them. */
#ifndef FW_ROWSET_H
#define FW_ROWSET_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum { RS_NULL, RS_STR, RS_INT, RS_BOOL };

struct rs_val {
	uint8_t kind;         /* RS_NULL (JSON null, "false" to a template), RS_STR, RS_INT, RS_BOOL */
	uint8_t plain;        /* RS_STR: none of the characters HTML escapes (a page copies it as is) */
	uint32_t off, len;    /* RS_STR: bytes [off, off + len) of the rowset's text */
	int64_t i;            /* RS_INT; RS_BOOL 0 or 1 */
};

struct rowset {
	const char *const *cols;   /* the fields' names, static */
	int ncols;
	size_t nrows, max_rows;
	struct rs_val *vals;       /* row r, field c: vals[r * ncols + c] */
	buf_t text;                /* every string, one after another */
};

/* A rowset as a view-model holds it: under NAME, as an array would be. */
struct rowset_named {
	const char *name;
	const struct rowset *rs;
};

/* Makes RS empty, with room for MAX_ROWS rows of the NCOLS fields COLS
 * (which must outlive it) and at most MAX_BYTES (<= UINT32_MAX) of text.
 * 0, or -1 out of memory or past that bound. */
int rowset_init(struct rowset *rs, const char *const *cols, int ncols, size_t max_rows, size_t max_bytes);
/* A new row, every field RS_NULL; NULL when MAX_ROWS are there. */
struct rs_val *rowset_add(struct rowset *rs);
/* Sets V to a copy of S[0..N).  0, or -1 past MAX_BYTES (V stays null). */
int rowset_str(struct rowset *rs, struct rs_val *v, const char *s, size_t n);
/* As rowset_str, for text this program writes itself with none of the
 * characters HTML escapes (times, keys, countdowns): not looked at.
 * Inline: a list row has seven or more.  (MAX_BYTES is at most
 * UINT32_MAX, so any offset the text's cap lets in fits V.) */
static inline int
rowset_str_plain(struct rowset *rs, struct rs_val *v, const char *s, size_t n)
{
	size_t off = rs->text.len;
	if (buf_append(&rs->text, s, n) != 0)
		return -1;
	v->kind = RS_STR;
	v->plain = 1;
	v->off = (uint32_t)off;
	v->len = (uint32_t)n;
	return 0;
}
/* Copies S[0..N) into RS's text with no value of its own, for several
 * values to be parts of it (rowset_span): one copy and one look for the
 * characters HTML escapes instead of one per value.  *OFF: where it
 * begins; *PLAIN: it has none of them.  0, or -1 past MAX_BYTES. */
int rowset_text(struct rowset *rs, const char *s, size_t n, uint32_t *off, int *plain);
/* As rowset_text, for text this program writes itself with none of the
 * characters HTML escapes: not looked at.  0, or -1 past MAX_BYTES. */
static inline int
rowset_copy(struct rowset *rs, const char *s, size_t n, uint32_t *off)
{
	*off = (uint32_t)rs->text.len;
	return buf_append(&rs->text, s, n);
}
/* Sets V to the N bytes at OFF of RS's text (inside what one rowset_text
 * or rowset_copy copied).  PLAIN: that text had none of the characters
 * HTML escapes; otherwise these bytes are looked at.  This function
 * can't fail.  Inline: a list row has nine. */
static inline void
rowset_span(const struct rowset *rs, struct rs_val *v, uint32_t off, uint32_t n, int plain)
{
	v->kind = RS_STR;
	v->off = off;
	v->len = n;
	v->plain = plain || str_html_special(rs->text.data + off, n) == n;
}
/* Sets V to I, or to true or false.  These functions can't fail. */
void rowset_int(struct rs_val *v, int64_t i);
void rowset_bool(struct rs_val *v, int b);
/* The bytes of string V (not terminated).  This function can't fail.
 * Inline, as rowset_get: a page reads every field of every row. */
static inline const char *
rowset_bytes(const struct rowset *rs, const struct rs_val *v)
{
	return v->kind == RS_STR && rs->text.data ? rs->text.data + v->off : "";
}
/* The field named K[0..N), or -1.  This function can't fail. */
int rowset_col(const struct rowset *rs, const char *k, size_t n);
/* Row R's field C (R < nrows, C < ncols).  This function can't fail. */
static inline const struct rs_val *
rowset_get(const struct rowset *rs, size_t r, int c)
{
	return rs->vals + r * (size_t)rs->ncols + c;
}
/* Drops the last row (the one fetched to learn that a next page exists). */
void rowset_pop(struct rowset *rs);
/* Puts the rows in the opposite order.  This function can't fail. */
void rowset_reverse(struct rowset *rs);
void rowset_free(struct rowset *rs);

#endif
