/* search.c -- see search.h. */
#include "search.h"
#include "util.h"

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

/* The next quoted term from *P of an expression search_expr wrote: its
 * text (*T, *LEN, unquoted) and whether it is a prefix ("t"*); moves *P
 * past it.  0 when there is none left.  This function can't fail. */
static int
next_term(const char **p, const char **t, size_t *len, int *prefix)
{
	const char *q = strchr(*p, '"'), *end = q ? strchr(q + 1, '"') : NULL;
	if (!end)
		return 0;
	*t = q + 1;
	*len = (size_t)(end - q - 1);
	*prefix = end[1] == '*';
	*p = end + 1 + *prefix;
	return 1;
}

int
search_prepare(db_t *db, const char *typed, int64_t org, int klass, struct search *s)
{
	if (strlen(typed) > SEARCH_TEXT_MAX)
		return -1;
	char *folded = s->words;
	*folded = '\0';
	if (!db_is_pg(db)) {
		db_stmt *f = db_prep(db, "SELECT fw_fold(?1)");
		if (!f)
			return -2;
		db_bind_text(f, 1, typed);
		int rc = db_step(f);
		size_t n = 0;
		const char *t = rc == DB_ROW ? db_col_textn(f, 0, &n) : "";
		if (n < sizeof(s->words))
			memcpy(folded, t, n);
		folded[n < sizeof(s->words) ? n : 0] = '\0';
		db_done(f);
		if (rc != DB_ROW || n >= sizeof(s->words))
			return rc == DB_ROW ? -1 : -2;
		typed = folded;
	}
	int r = search_expr(typed, s->match, sizeof(s->match) - 32);
	if (r != 0)
		return r;
	s->expanded[0] = '\0';
	s->org = org > 0 ? org : 0;
	s->klass = klass >= 0 && klass <= 2 ? klass : -1;
	if (org > 0 && db_is_pg(db)) {   /* SQLite reads the scoped index */
		size_t n = strlen(s->match);
		snprintf(s->match + n, sizeof(s->match) - n, " \"fwcompany%lld\"", (long long)org);
	}
	return 0;
}

/* Whether S reads the scoped index (SQLite). */
#define SCOPED(s) ((s)->org > 0 || (s)->klass >= 0)

/* Appends to OUT the words of the index (the scoped one when SCOPED) that
 * begin with PREFIX (PLEN) as ("w1" OR "w2" ...), or "PREFIX"* when none
 * or more than EXPANSIONS_MAX do or they do not fit.  0, 1 when no word
 * begins with PREFIX (nothing can match), or -1 on a database error or a
 * full OUT. */
static int
expand_one(db_t *db, int scoped, const char *prefix, size_t plen, buf_t *out)
{
	/* one seek a word: the next word after W is the first >= W + "\1"
	 * (no word holds a control character) */
	db_stmt *s = db_prep(db, scoped ? "SELECT term FROM temp.wo_fts_org_terms WHERE term >= ?1 LIMIT 1"
	    : "SELECT term FROM temp.wo_fts_terms WHERE term >= ?1 LIMIT 1");
	if (!s)
		return -1;
	char key[SEARCH_TEXT_MAX * 3 + 32];   /* a folded term and a company's prefix */
	if (plen + 2 > sizeof(key))
		return -1;
	memcpy(key, prefix, plen);
	key[plen] = '\0';
	buf_t group;
	buf_init(&group, SEARCH_EXPR_MAX);
	int nw = 0, rc;
	do {
		db_bind_text(s, 1, key);
		rc = db_step(s);
		size_t len = 0;
		const char *w = rc == DB_ROW ? db_col_textn(s, 0, &len) : NULL;
		if (w && len >= plen && len + 2 < sizeof(key) && memcmp(w, prefix, plen) == 0) {
			if (nw++ < EXPANSIONS_MAX)
				buf_printf(&group, "%s\"%.*s\"", nw > 1 ? " OR " : "(", (int)len, w);
			memcpy(key, w, len);
			key[len] = '\1';
			key[len + 1] = '\0';
		} else if (rc == DB_ROW) {
			rc = DB_DONE;   /* past the words of PREFIX */
		}
		db_done(s);
	} while (rc == DB_ROW && nw <= EXPANSIONS_MAX);
	int bad = rc == DB_ERROR;
	if (!bad && (nw == 0 || nw > EXPANSIONS_MAX || buf_putc(&group, ')') != 0))
		bad = buf_printf(out, "\"%.*s\"*", (int)plen, prefix);
	else if (!bad)
		bad = buf_append(out, group.data, group.len);
	buf_free(&group);
	return bad ? -1 : nw == 0;
}

/* Makes the connection's table of the words of the index (the scoped one
 * when SCOPED), which expand_one reads (SQLite).  0 or -1. */
static int
vocab_ready(db_t *db, int scoped)
{
	return db_is_pg(db) || db_exec1(db, scoped ? "CREATE VIRTUAL TABLE IF NOT EXISTS temp.wo_fts_org_terms"
	    " USING fts5vocab(main, wo_fts_org, instance)" : "CREATE VIRTUAL TABLE IF NOT EXISTS temp.wo_fts_terms"
	    " USING fts5vocab(main, wo_fts, instance)") == DB_DONE ? 0 : -1;
}

/* Appends S's query to B as the index of ORG's work orders of class KLASS
 * reads it (ORG 0: every company's, KLASS -1: every class's; on SQLite
 * each term behind the scope's prefix in the scoped index, migration 029).
 * 0, 1 when a term begins no word of the index (nothing can match; B is
 * still a query), or -1 on a database error or a full B. */
static int
expand_terms(db_t *db, const struct search *s, int64_t org, int klass, buf_t *b)
{
	const char *t;
	size_t len;
	int prefix, pg = db_is_pg(db), none = 0, scoped = org > 0 || klass >= 0;
	char scope[48] = "";
	if (org > 0 && klass >= 0)
		snprintf(scope, sizeof(scope), "%lldk%dx", (long long)org, klass);
	else if (org > 0)
		snprintf(scope, sizeof(scope), "%lldx", (long long)org);
	else if (klass >= 0)
		snprintf(scope, sizeof(scope), "k%dx", klass);
	for (const char *p = s->match; next_term(&p, &t, &len, &prefix);) {
		if (pg) {   /* PostgreSQL's a:* & b:* */
			if (buf_printf(b, "%s%.*s%s", b->len ? " & " : "", (int)len, t, prefix ? ":*" : ""))
				return -1;
			continue;
		}
		char key[sizeof(s->match) + sizeof(scope)];
		size_t klen = strlen(scope);
		if (klen + len >= sizeof(key))
			return -1;
		memcpy(key, scope, klen);
		memcpy(key + klen, t, len);
		klen += len;
		/* FTS5 takes no implied AND after a parenthesis */
		if (b->len && buf_puts(b, " AND ") != 0)
			return -1;
		int r = prefix ? expand_one(db, scoped, key, klen, b) : buf_printf(b, "\"%.*s\"", (int)klen, key);
		if (r < 0)
			return -1;
		none |= r;
	}
	return b->len ? none : -1;
}

const char *
search_expand(db_t *db, struct search *s)
{
	if (*s->expanded)
		return s->expanded;
	buf_t b;
	buf_init(&b, sizeof(s->expanded) - 1);
	int pg = db_is_pg(db), bad = vocab_ready(db, SCOPED(s)) || expand_terms(db, s, pg ? 0 : s->org,
	    pg ? -1 : s->klass, &b) < 0;
	if (!bad)
		memcpy(s->expanded, b.data, b.len + 1);
	buf_free(&b);
	return bad ? NULL : s->expanded;
}

int
search_load(db_t *db, struct search *srch, int64_t newest, int64_t *n)
{
	/* PostgreSQL: emptied by TRUNCATE, as a DELETE leaves its rows dead in
	 * the table, which no autovacuum visits (a temporary table's): each
	 * search then scanned every earlier search's rows (0.5 s after a few
	 * hundred) */
	int pg = db_is_pg(db);
	if (db_exec1(db, pg ? "CREATE TEMP TABLE IF NOT EXISTS search_hit(n INTEGER PRIMARY KEY, org BIGINT NOT NULL)"
	    : "CREATE TEMP TABLE IF NOT EXISTS search_hit(n INTEGER PRIMARY KEY)") != DB_DONE ||
	    db_exec1(db, pg ? "TRUNCATE temp.search_hit" : "DELETE FROM temp.search_hit") != DB_DONE)
		return -1;
	/* the search index is FTS5 on SQLite, a tsvector column on PostgreSQL:
	 * the same terms, each a prefix, all of them required */
	const char *q = search_expand(db, srch);
	if (!q)
		return -1;
	static const char *const sql[3][2] = {   /* [index][newest only] */
		{ "INSERT INTO temp.search_hit(n) SELECT rowid FROM wo_fts WHERE wo_fts MATCH ?1",
		  "INSERT INTO temp.search_hit(n) SELECT rowid FROM wo_fts WHERE wo_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2" },
		{ "INSERT INTO temp.search_hit(n) SELECT rowid FROM wo_fts_org WHERE wo_fts_org MATCH ?1",
		  "INSERT INTO temp.search_hit(n) SELECT rowid FROM wo_fts_org WHERE wo_fts_org MATCH ?1"
		  " ORDER BY rowid DESC LIMIT ?2" },
		{ "INSERT INTO temp.search_hit(n, org) SELECT number, owner_org_id FROM wo"
		  " WHERE search @@ to_tsquery('simple', ?1)",
		  "INSERT INTO temp.search_hit(n, org) SELECT number, owner_org_id FROM wo"
		  " WHERE search @@ to_tsquery('simple', ?1) AND (?3 < 0 OR state_class = ?3) ORDER BY number DESC LIMIT ?2" },
	};
	db_stmt *s = db_prep(db, sql[pg ? 2 : SCOPED(srch)][newest > 0]);
	if (!s)
		return -1;
	db_bind_text(s, 1, q);
	if (newest > 0) {
		db_bind_int(s, 2, newest);
		if (pg)   /* the newest of the view's class (SQLite's scoped index has only those) */
			db_bind_int(s, 3, srch->klass);
	}
	int rc = db_step(s);
	db_done(s);
	*n = db_changes(db);
	return rc == DB_DONE ? 0 : -1;
}


static int
collect(db_t *db, struct search *srch, int64_t cap, long steps, int64_t *n, int64_t *last)
{
	static const char *const sql[2][2] = {   /* [scoped][up to a cap] */
		{ "SELECT fw_collect(rowid), max(rowid) FROM wo_fts WHERE wo_fts MATCH ?1",
		  "SELECT fw_collect(rowid), max(rowid) FROM (SELECT rowid FROM wo_fts WHERE wo_fts MATCH ?1 LIMIT ?2)" },
		{ "SELECT fw_collect(rowid), max(rowid) FROM wo_fts_org WHERE wo_fts_org MATCH ?1",
		  "SELECT fw_collect(rowid), max(rowid) FROM (SELECT rowid FROM wo_fts_org WHERE wo_fts_org MATCH ?1 LIMIT ?2)" },
	};
	const char *q = search_expand(db, srch);
	db_stmt *s = !q ? NULL : db_prep(db, sql[SCOPED(srch)][cap > 0]);
	if (!s)
		return -1;
	db_bind_text(s, 1, q);
	if (cap > 0)
		db_bind_int(s, 2, cap + 1);
	if (steps > 0)
		db_budget(db, steps);
	int rc = db_step(s), fits = rc == DB_ROW && !db_col_is_null(s, 0);
	if (steps > 0)
		db_budget(db, 0);
	if (fits)
		*n = db_col_int(s, 0);
	if (last)
		*last = rc == DB_ROW ? db_col_int(s, 1) : 0;
	db_done(s);
	if (rc == DB_BUDGET)
		return 1;
	if (fits && cap > 0 && *n > cap)
		return 2;
	return rc != DB_ROW ? -1 : fits ? 0 : 1;
}

/* The last collection of each worker's connection, whose hit set holds
 * it while the database is unchanged: the same search again (another
 * sort, the next page) is not collected again. */
static _Thread_local struct {
	uint64_t version;   /* db_data_version's, the connection's own; 0: none */
	int64_t cap, n, last;
	long steps;
	int scoped, r;
	char q[SEARCH_EXPR_MAX];
} collected;

/* Whether the connection's last collection (VERSION its db_data_version
 * now, 0 for none) was of the search whose index query is Q.  This
 * function can't fail. */
static int
held(const struct search *srch, const char *q, uint64_t version)
{
	return version && collected.version == version && collected.scoped == SCOPED(srch) && strcmp(collected.q, q) == 0;
}

int
search_collect(db_t *db, struct search *srch, int64_t cap, long steps, int64_t *n, int64_t *last)
{
	const char *q = search_expand(db, srch);
	if (!q)
		return -1;
	uint64_t version = db_data_version(db);
	if (held(srch, q, version) &&
	    ((collected.cap == cap && collected.steps == steps) || (collected.r == 0 && (!cap || collected.n <= cap)))) {
		*n = collected.n;   /* the same collection, or all of the matches held */
		if (last)
			*last = collected.last;
		return collected.r;
	}
	int64_t got = *n, end = 0;
	int r = collect(db, srch, cap, steps, &got, &end);
	collected.version = r >= 0 && strlen(q) < sizeof(collected.q) ? version : 0;
	if (collected.version) {
		collected.cap = cap;
		collected.steps = steps;
		collected.scoped = SCOPED(srch);
		collected.r = r;
		collected.n = got;
		collected.last = end;
		strcpy(collected.q, q);
	}
	*n = got;
	if (last)
		*last = end;
	return r;
}

int
search_collected(db_t *db, struct search *srch, int64_t *n)
{
	const char *q = search_expand(db, srch);
	if (!q || !held(srch, q, db_data_version(db)) || collected.r != 0)
		return 0;
	*n = collected.n;
	return 1;
}

int
search_top(db_t *db, struct search *srch, int64_t n, int64_t *from)
{
	const char *q = search_expand(db, srch);
	db_stmt *s = !q ? NULL : db_prep(db, SCOPED(srch)
	    ? "SELECT min(rowid) FROM (SELECT rowid FROM wo_fts_org WHERE wo_fts_org MATCH ?1 ORDER BY rowid DESC LIMIT ?2)"
	    : "SELECT min(rowid) FROM (SELECT rowid FROM wo_fts WHERE wo_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)");
	if (!s)
		return -1;
	db_bind_text(s, 1, q);
	db_bind_int(s, 2, n);
	int rc = db_step(s);
	*from = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_done(s);
	return rc == DB_ROW ? 0 : -1;
}

int
search_count(db_t *db, struct search *srch, int64_t cap, long steps, int64_t *total, int *capped)
{
	const char *expr = search_expand(db, srch);
	/* PostgreSQL: the index's matches of every class (a view's class is
	 * not in its terms) */
	db_stmt *s = !expr ? NULL : db_prep(db, db_is_pg(db) ? "SELECT 1 FROM wo WHERE search @@ to_tsquery('simple', ?1) LIMIT ?2"
	    : SCOPED(srch) ? "SELECT 1 FROM wo_fts_org WHERE wo_fts_org MATCH ?1 LIMIT ?2"
	    : "SELECT 1 FROM wo_fts WHERE wo_fts MATCH ?1 LIMIT ?2");
	if (!s)
		return -1;
	db_bind_text(s, 1, expr);
	db_bind_int(s, 2, cap + 1);
	int64_t n;
	int rc = db_count_rows(db, s, steps, &n);
	if (rc == DB_ERROR)
		return -1;
	*capped = rc == DB_BUDGET || n > cap;
	*total = n > cap ? cap : n;
	return 0;
}

/* PostgreSQL's search_companies: the companies of the matches search_load
 * gathered, each kept with its work order there (asking the index per
 * company is a GIN search of 10-20 ms a company, or a scan of every row
 * where the planner reads LIMIT 1 as "soon found"). */
static int
companies_gathered(db_t *db, int64_t *orgs, int n)
{
	db_stmt *s = db_prep(db, "SELECT org FROM temp.search_hit GROUP BY org");
	if (!s)
		return -1;
	int k = 0, rc;
	while ((rc = db_step(s)) == DB_ROW) {   /* the companies found move to the front */
		int64_t org = db_col_int(s, 0);
		for (int i = k; i < n; i++)
			if (orgs[i] == org) {
				orgs[i] = orgs[k];
				orgs[k++] = org;
				break;
			}
	}
	db_done(s);
	if (k == 0)
		orgs[k++] = 0;
	return rc == DB_DONE ? k : -1;
}

int
search_companies(db_t *db, struct search *srch, int64_t *orgs, int n)
{
	if (db_is_pg(db))
		return companies_gathered(db, orgs, n);
	/* each company's matches are one list a word in the scoped index; a
	 * word no token of the company begins is known from its words alone */
	db_stmt *s = vocab_ready(db, 1) ? NULL : db_prep(db, "SELECT 1 FROM wo_fts_org WHERE wo_fts_org MATCH ?1 LIMIT 1");
	if (!s)
		return -1;
	buf_t q;
	buf_init(&q, SEARCH_EXPR_MAX);
	int k = 0, bad = 0;
	for (int i = 0; i < n && !bad; i++) {
		buf_reset(&q);
		int r = expand_terms(db, srch, orgs[i], srch->klass, &q), rc = DB_DONE;
		if (r == 0) {
			db_bind_text(s, 1, q.data);
			rc = db_step(s);
			db_done(s);
		}
		bad = r < 0 || rc == DB_ERROR;
		if (rc == DB_ROW)
			orgs[k++] = orgs[i];
	}
	buf_free(&q);
	if (k == 0)
		orgs[k++] = 0;
	return bad ? -1 : k;
}
