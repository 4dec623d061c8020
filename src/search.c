/* search.c -- see search.h. */
#include "search.h"

#include <stdio.h>
#include <string.h>

#define EXPANSIONS_MAX 16   /* words spelled out for one prefix */

int
search_expr(const char *in, char *out, size_t outlen)
{
	size_t n = strlen(in), o = 0;
	if (n > SEARCH_TEXT_MAX)
		return -1;
	int terms = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)in[i];
		int word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
		if (!word) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n) {
			unsigned char d = (unsigned char)in[j];
			if (!((d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || d >= 0x80))
				break;
			j++;
		}
		if (o + (j - i) + 5 >= outlen || terms == 16)
			return -1;
		if (terms++)
			out[o++] = ' ';
		out[o++] = '"';
		memcpy(out + o, in + i, j - i);
		o += j - i;
		out[o++] = '"';
		out[o++] = '*';
		i = j;
	}
	out[o] = '\0';
	return terms ? 0 : 1;
}

/* FTS5's "a"* "b"* (search_expr's terms: word characters only) as
 * PostgreSQL's a:* & b:*.  This function can't fail: OUT is at least as
 * long as FTS. */
static void
fts_to_tsquery(const char *fts, char *out, size_t n)
{
	size_t o = 0;
	int terms = 0;
	for (const char *p = fts; *p && o + 8 < n; p++) {
		if (*p != '"')
			continue;
		const char *end = strchr(p + 1, '"');
		if (!end)
			break;
		size_t len = (size_t)(end - p - 1);
		if (o + len + 8 >= n)
			break;
		if (terms++) {
			memcpy(out + o, " & ", 3);
			o += 3;
		}
		memcpy(out + o, p + 1, len);
		o += len;
		if (end[1] == '*') {
			memcpy(out + o, ":*", 2);
			o += 2;
		}
		p = end;
	}
	out[o] = '\0';
}

int
search_prepare(db_t *db, const char *typed, int64_t org, struct search *s)
{
	if (strlen(typed) > SEARCH_TEXT_MAX)
		return -1;
	char folded[SEARCH_TEXT_MAX * 3 + 2];
	if (!db_is_pg(db)) {
		db_stmt *f = db_prep(db, "SELECT fw_fold(?1)");
		if (!f)
			return -2;
		db_bind_text(f, 1, typed);
		int rc = db_step(f);
		size_t n = 0;
		const char *t = rc == DB_ROW ? db_col_textn(f, 0, &n) : "";
		if (n < sizeof(folded))
			memcpy(folded, t, n);
		folded[n < sizeof(folded) ? n : 0] = '\0';
		db_done(f);
		if (rc != DB_ROW || n >= sizeof(folded))
			return rc == DB_ROW ? -1 : -2;
		typed = folded;
	}
	int r = search_expr(typed, s->terms, sizeof(s->terms));
	if (r != 0)
		return r;
	s->expanded[0] = '\0';
	if (org > 0)
		snprintf(s->match, sizeof(s->match), "%s \"fwcompany%lld\"", s->terms, (long long)org);
	else
		snprintf(s->match, sizeof(s->match), "%s", s->terms);
	return 0;
}

/* Appends to OUT (N, at *O) the words of the index that begin with PREFIX
 * as ("w1" OR "w2" ...), or "PREFIX"* when there are more than
 * EXPANSIONS_MAX or they do not fit.  0 or -1. */
static int
expand_one(db_t *db, const char *prefix, size_t plen, char *out, size_t n, size_t *o)
{
	char key[SEARCH_TEXT_MAX * 3 + 2];
	char words[EXPANSIONS_MAX][SEARCH_TEXT_MAX * 3 + 2];
	int nw = 0;
	memcpy(key, prefix, plen);
	key[plen] = '\0';
	/* one seek a word: the next word after W is the first >= W + "\1"
	 * (no word holds a control character) */
	db_stmt *s = db_prep(db, "SELECT term FROM temp.wo_fts_terms WHERE term >= ?1 LIMIT 1");
	if (!s)
		return -1;
	for (;;) {
		db_bind_text(s, 1, key);
		int rc = db_step(s);
		size_t len = 0;
		const char *w = rc == DB_ROW ? db_col_textn(s, 0, &len) : NULL;
		int more = w && len >= plen && len + 2 < sizeof(key) && memcmp(w, prefix, plen) == 0;
		if (more && nw < EXPANSIONS_MAX) {
			memcpy(words[nw], w, len);
			words[nw][len] = '\0';
			memcpy(key, w, len);
			key[len] = '\1';
			key[len + 1] = '\0';
		}
		db_done(s);
		if (rc == DB_ERROR)
			return -1;
		if (!more)
			break;
		if (nw++ == EXPANSIONS_MAX)
			break;
	}
	size_t start = *o;
	int ok = nw <= EXPANSIONS_MAX;
	if (ok) {
		int k = snprintf(out + *o, n - *o, nw ? "(" : "\"%s\"", nw ? "" : key);
		ok = k > 0 && (size_t)k < n - *o;
		if (ok)
			*o += (size_t)k;
		for (int i = 0; ok && i < nw; i++) {
			k = snprintf(out + *o, n - *o, "%s\"%s\"%s", i ? " OR " : "", words[i], i + 1 == nw ? ")" : "");
			ok = k > 0 && (size_t)k < n - *o;
			if (ok)
				*o += (size_t)k;
		}
	}
	if (!ok) {
		*o = start;
		int k = snprintf(out + *o, n - *o, "\"%.*s\"*", (int)plen, prefix);
		if (k < 0 || (size_t)k >= n - *o)
			return -1;
		*o += (size_t)k;
	}
	return 0;
}

const char *
search_expand(db_t *db, struct search *s)
{
	char *out = s->expanded;
	size_t n = sizeof(s->expanded);
	if (*out)
		return out;
	if (db_is_pg(db)) {
		snprintf(out, n, "%s", s->match);
		return out;
	}
	if (db_exec1(db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.wo_fts_terms USING fts5vocab(main, wo_fts, instance)")
	    != DB_DONE)
		return NULL;
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = s->match; (p = strchr(p, '"'));) {
		const char *end = strchr(p + 1, '"');
		if (!end)
			break;
		/* FTS5 takes no implied AND after a parenthesis */
		if (o && o + 5 < n) {
			memcpy(out + o, " AND ", 5);
			o += 5;
		}
		if (end[1] == '*') {
			if (expand_one(db, p + 1, (size_t)(end - p - 1), out, n, &o) != 0)
				goto fail;
		} else {
			int k = snprintf(out + o, n - o, "%.*s", (int)(end - p + 1), p);
			if (k < 0 || (size_t)k >= n - o)
				goto fail;
			o += (size_t)k;
		}
		p = end + 1 + (end[1] == '*');
	}
	return out;
fail:
	*out = '\0';
	return NULL;
}

int
search_load(db_t *db, struct search *srch, int64_t *n)
{
	if (db_exec1(db, "CREATE TEMP TABLE IF NOT EXISTS search_hit(n INTEGER PRIMARY KEY)") != DB_DONE ||
	    db_exec1(db, "DELETE FROM temp.search_hit") != DB_DONE)
		return -1;
	/* the search index is FTS5 on SQLite, a tsvector column on PostgreSQL:
	 * the same terms, each a prefix, all of them required */
	char tsq[SEARCH_EXPR_MAX];
	int pg = db_is_pg(db);
	const char *q = pg ? tsq : search_expand(db, srch);
	if (pg)
		fts_to_tsquery(srch->match, tsq, sizeof(tsq));
	if (!q)
		return -1;
	db_stmt *s = db_prep(db, pg ? "INSERT INTO temp.search_hit(n) SELECT number FROM wo WHERE search @@ to_tsquery('simple', ?1)"
	    : "INSERT INTO temp.search_hit(n) SELECT rowid FROM wo_fts WHERE wo_fts MATCH ?1");
	if (!s)
		return -1;
	db_bind_text(s, 1, q);
	int rc = db_step(s);
	db_done(s);
	*n = db_changes(db);
	return rc == DB_DONE ? 0 : -1;
}


int
search_collect(db_t *db, struct search *srch, int64_t *n)
{
	const char *q = search_expand(db, srch);
	db_stmt *s = q ? db_prep(db, "SELECT fw_collect(rowid) FROM wo_fts WHERE wo_fts MATCH ?1") : NULL;
	if (!s)
		return -1;
	db_bind_text(s, 1, q);
	int rc = db_step(s), fits = rc == DB_ROW && !db_col_is_null(s, 0);
	if (fits)
		*n = db_col_int(s, 0);
	db_done(s);
	return rc != DB_ROW ? -1 : fits ? 0 : 1;
}

int
search_count(db_t *db, struct search *srch, int klass, int64_t cap, long steps, int64_t *total, int *capped)
{
	const char *expr = search_expand(db, srch);
	db_stmt *s = !expr ? NULL : db_prep(db, klass < 0 ? "SELECT 1 FROM wo_fts WHERE wo_fts MATCH ?1 LIMIT ?2" :
	    "SELECT 1 FROM wo_fts CROSS JOIN wo ON wo.number = wo_fts.rowid WHERE wo_fts MATCH ?1"
	    " AND wo.state_class = ?3 LIMIT ?2");
	if (!s)
		return -1;
	db_bind_text(s, 1, expr);
	db_bind_int(s, 2, cap + 1);
	if (klass >= 0)
		db_bind_int(s, 3, klass);
	int64_t n = 0;
	int rc;
	db_budget(db, steps);
	while ((rc = db_step(s)) == DB_ROW)
		n++;
	db_budget(db, 0);
	db_done(s);
	if (rc == DB_ERROR)
		return -1;
	*capped = rc == DB_BUDGET || n > cap;
	*total = n > cap ? cap : n;
	return 0;
}

int
search_companies(db_t *db, struct search *srch, int64_t *orgs, int n)
{
	const char *expr = search_expand(db, srch);
	db_stmt *s = expr ? db_prep(db, "SELECT 1 FROM wo_fts WHERE wo_fts MATCH ?1 LIMIT 1") : NULL;
	if (!s)
		return -1;
	int k = 0;
	for (int i = 0; i < n; i++) {
		char q[SEARCH_EXPR_MAX + 64];
		snprintf(q, sizeof(q), "(%s) AND \"fwcompany%lld\"", expr, (long long)orgs[i]);
		db_bind_text(s, 1, q);
		int rc = db_step(s);
		db_done(s);
		if (rc == DB_ERROR)
			return -1;
		if (rc == DB_ROW)
			orgs[k++] = orgs[i];
	}
	if (!k)
		orgs[k++] = 0;
	return k;
}
