/* search.c -- see search.h. */
#include "search.h"
#include "util.h"

#include <pthread.h>
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

/* A word of the index, as prefix_words finds it. */
struct word {
	size_t len;
	char t[SEARCH_TEXT_MAX * 3 + 32];   /* a folded term and a company's prefix */
};

/* Fills W (room for EXPANSIONS_MAX + 1) with the words of the index (the
 * scoped one when SCOPED) that begin with PREFIX (PLEN).  Returns how
 * many, EXPANSIONS_MAX + 1 when there are more, or -1 on a database
 * error or a PREFIX too long. */
static int
prefix_words(db_t *db, int scoped, const char *prefix, size_t plen, struct word *w)
{
	/* one seek a word: the next word after W is the first >= W + "\1"
	 * (no word holds a control character) */
	db_stmt *s = db_prep(db, scoped ? "SELECT term FROM temp.wo_fts_org_terms WHERE term >= ?1 LIMIT 1"
	    : "SELECT term FROM temp.wo_fts_terms WHERE term >= ?1 LIMIT 1");
	char key[sizeof(w->t)];
	if (!s || plen + 2 > sizeof(key))
		return -1;
	memcpy(key, prefix, plen);
	key[plen] = '\0';
	int nw = 0, rc;
	do {
		db_bind_text(s, 1, key);
		rc = db_step(s);
		size_t len = 0;
		const char *t = rc == DB_ROW ? db_col_textn(s, 0, &len) : NULL;
		if (t && len >= plen && len + 2 < sizeof(key) && memcmp(t, prefix, plen) == 0) {
			memcpy(w[nw].t, t, len);
			w[nw].t[len] = '\0';
			w[nw++].len = len;
			memcpy(key, t, len);
			key[len] = '\1';
			key[len + 1] = '\0';
		} else if (rc == DB_ROW) {
			rc = DB_DONE;   /* past the words of PREFIX */
		}
		db_done(s);
	} while (rc == DB_ROW && nw <= EXPANSIONS_MAX);
	return rc == DB_ERROR ? -1 : nw;
}

/* Appends the NW words W to OUT as ("w1" OR "w2" ...).  0, or -1 when
 * OUT is full. */
static int
words_append(buf_t *out, const struct word *w, int nw)
{
	for (int i = 0; i < nw; i++)   /* too long: the putc below fails */
		buf_printf(out, "%s\"%s\"", i ? " OR " : "(", w[i].t);
	return buf_putc(out, ')');
}

/* Appends to OUT the words of the index (the scoped one when SCOPED) that
 * begin with PREFIX (PLEN) as ("w1" OR "w2" ...), or "PREFIX"* when none
 * or more than EXPANSIONS_MAX do or they do not fit.  0, 1 when no word
 * begins with PREFIX (nothing can match), or -1 on a database error or a
 * full OUT. */
static int
expand_one(db_t *db, int scoped, const char *prefix, size_t plen, buf_t *out)
{
	struct word w[EXPANSIONS_MAX + 1];
	int nw = prefix_words(db, scoped, prefix, plen, w);
	if (nw < 0)
		return -1;
	buf_t group;
	buf_init(&group, SEARCH_EXPR_MAX);
	int bad = 0;
	if (nw == 0 || nw > EXPANSIONS_MAX || words_append(&group, w, nw) != 0)
		bad = buf_printf(out, "\"%.*s\"*", (int)plen, prefix);
	else
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

/* Makes temp.search_hit, the connection's own, empty.  0 or -1. */
static int
hit_table(db_t *db)
{
	/* PostgreSQL: emptied by TRUNCATE, as a DELETE leaves its rows dead in
	 * the table, which no autovacuum visits (a temporary table's): each
	 * search then scanned every earlier search's rows (0.5 s after a few
	 * hundred) */
	int pg = db_is_pg(db);
	return db_exec1(db, pg ? "CREATE TEMP TABLE IF NOT EXISTS search_hit(n INTEGER PRIMARY KEY, org BIGINT NOT NULL)"
	    : "CREATE TEMP TABLE IF NOT EXISTS search_hit(n INTEGER PRIMARY KEY)") == DB_DONE &&
	    db_exec1(db, pg ? "TRUNCATE temp.search_hit" : "DELETE FROM temp.search_hit") == DB_DONE ? 0 : -1;
}

int
search_load(db_t *db, struct search *srch, int64_t newest, int64_t *n)
{
	int pg = db_is_pg(db);
	if (hit_table(db) != 0)
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

int
search_load_numbers(db_t *db, const int64_t *n, size_t count)
{
	if (hit_table(db) != 0)
		return -1;
	db_stmt *s = db_prep(db, "INSERT OR IGNORE INTO temp.search_hit(n) VALUES (?1)");
	int rc = s ? DB_DONE : DB_ERROR;
	for (size_t i = 0; i < count && rc == DB_DONE; i++) {
		db_bind_int(s, 1, n[i]);
		rc = db_step(s);
		db_done(s);
	}
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

/* The matches of the words most work orders have, kept by the process
 * between searches (SQLite): a search of such a word (more matches than a
 * hit set gathers for it) was walked with a read of each row it tested,
 * from disk where the machine had let the page go, and gave up where the
 * sort's order put rows without it first.  From these sets its hit set is
 * made in microseconds, and its walk reads the sort's index alone.  Each
 * set is of the work orders up to the highest number when it was made,
 * while search_edit's count (migration 030) stays what it was then; the
 * newer numbers are looked up again at each search. */
#define DENSE_SETS 32              /* words kept */
#define DENSE_BYTES (16u << 20)    /* their sets' bytes at most */
#define DENSE_AGED 20000           /* numbers past a set's highest before it is made again */
#define DENSE_STEPS (5L << 20)     /* SQLite's steps to gather a word's (some five a match): then walked */

static int64_t dense_min = 20000;   /* a word's matches before its set is kept */

static struct {
	pthread_mutex_t lock;
	uint64_t tick;
	size_t bytes;
	struct dense {
		struct db_hits *hits;   /* NULL: a free slot */
		int64_t edits, top;     /* search_edit's count and the highest number, when made */
		size_t bytes;
		uint64_t used;
		char word[sizeof(((struct word *)0)->t)];
	} set[DENSE_SETS];
} dense = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
dense_drop(struct dense *d)
{
	dense.bytes -= d->bytes;
	db_hits_free(d->hits);
	memset(d, 0, sizeof(*d));
}

/* Adds the kept set of W (made when EDITS, not before TOP - DENSE_AGED) to
 * *G (made when NULL), lowering *UPTO to the set's highest number.  1
 * when no such set is kept, 0, or -1 without memory.  Sets of another
 * count go.  Takes the lock. */
static int
dense_get(const struct word *w, int64_t edits, int64_t top, struct db_hits **g, int64_t *upto)
{
	int r = 1;
	pthread_mutex_lock(&dense.lock);
	for (int i = 0; i < DENSE_SETS; i++) {
		struct dense *d = &dense.set[i];
		if (d->hits && d->edits != edits)
			dense_drop(d);
		if (!d->hits || r != 1 || strcmp(d->word, w->t) != 0 || d->top < top - DENSE_AGED)
			continue;
		if (!*g)
			r = (*g = db_hits_dup(d->hits)) ? 0 : -1;
		else
			r = db_hits_or(*g, d->hits) ? -1 : 0;
		if (r == 0 && *upto > d->top)
			*upto = d->top;
		d->used = ++dense.tick;
	}
	pthread_mutex_unlock(&dense.lock);
	return r;
}

/* Keeps H, the set of W made when EDITS and TOP, in place of the least
 * used set while the sets are too many or too big; frees H where it
 * cannot be kept.  This function can't fail.  Takes the lock. */
static void
dense_put(const struct word *w, struct db_hits *h, int64_t edits, int64_t top)
{
	size_t bytes = db_hits_size(h);
	pthread_mutex_lock(&dense.lock);
	struct dense *slot = NULL;
	for (int i = 0; i < DENSE_SETS; i++) {
		struct dense *d = &dense.set[i];
		if (d->hits && strcmp(d->word, w->t) == 0)
			dense_drop(d);   /* an older set of the word */
	}
	while (bytes <= DENSE_BYTES && !slot) {
		struct dense *lru = NULL;
		for (int i = 0; i < DENSE_SETS && !slot; i++) {
			struct dense *d = &dense.set[i];
			if (!d->hits && dense.bytes + bytes <= DENSE_BYTES)
				slot = d;
			else if (d->hits && (!lru || d->used < lru->used))
				lru = d;
		}
		if (!slot && !lru)
			break;
		if (!slot)
			dense_drop(lru);
	}
	if (slot) {
		slot->hits = h;
		slot->edits = edits;
		slot->top = top;
		slot->bytes = bytes;
		slot->used = ++dense.tick;
		memcpy(slot->word, w->t, w->len + 1);
		dense.bytes += bytes;
		h = NULL;
	}
	pthread_mutex_unlock(&dense.lock);
	db_hits_free(h);
}

/* Adds every match of word W (of the whole index) to *G (made when
 * NULL): from its kept set, else gathered, and kept when they are many.
 * *UPTO: lowered to the highest number the set covers.  0, 1 when they
 * do not fit a hit set or take longer than DENSE_STEPS, or -1. */
static int
word_set(db_t *db, const struct word *w, int64_t edits, int64_t top, struct db_hits **g, int64_t *upto)
{
	int r = dense_get(w, edits, top, g, upto);
	if (r <= 0)
		return r;
	char q[sizeof(w->t) + 4];
	snprintf(q, sizeof(q), "\"%s\"", w->t);
	db_stmt *s = db_prep(db, "SELECT fw_collect(rowid) FROM wo_fts WHERE wo_fts MATCH ?1");
	if (!s)
		return -1;
	db_bind_text(s, 1, q);
	db_budget(db, DENSE_STEPS);
	int rc = db_step(s);
	db_budget(db, 0);
	int64_t n = rc == DB_ROW && !db_col_is_null(s, 0) ? db_col_int(s, 0) : -1;
	db_done(s);
	collected.version = 0;   /* the connection's hit set is this word's now */
	if (rc != DB_ROW)
		return rc == DB_BUDGET ? 1 : -1;
	struct db_hits *h = n >= 0 ? db_hits_take(db) : NULL;
	if (!h)
		return 1;
	if (!*g && n < dense_min) {
		*g = h;
		return 0;
	}
	r = *g ? db_hits_or(*g, h) : (*g = db_hits_dup(h)) ? 0 : -1;
	if (n >= dense_min)
		dense_put(w, h, edits, top);
	else
		db_hits_free(h);
	return r;
}

/* Reads search_edit's count into *EDITS and the highest work order number
 * into *TOP.  0 or -1. */
static int
dense_state(db_t *db, int64_t *edits, int64_t *top)
{
	db_stmt *s = db_prep(db, "SELECT (SELECT n FROM search_edit WHERE id = 1), (SELECT max(number) FROM wo)");
	int rc = s ? db_step(s) : DB_ERROR;
	*edits = rc == DB_ROW ? db_col_int(s, 0) : 0;
	*top = rc == DB_ROW ? db_col_int(s, 1) : 0;
	if (s)
		db_done(s);
	return rc == DB_ROW ? 0 : -1;
}

/* Makes ALL (NULL: none) the connection's hit set, its numbers above
 * UPTO dropped and the matches above it (up to TOP, the highest number)
 * of Q, the search in the whole index, looked up there instead.  0, 1
 * when they do not fit, or -1. */
static int
dense_finish(db_t *db, struct db_hits *all, int64_t upto, int64_t top, const char *q)
{
	if (all && upto < top)
		db_hits_cut(all, upto);
	db_hits_give(db, all);
	collected.version = 0;
	if (upto >= top)
		return 0;
	db_stmt *s = db_prep(db, "SELECT fw_collect_more(rowid) FROM wo_fts WHERE wo_fts MATCH ?1 AND rowid > ?2");
	if (!s)
		return -1;
	db_bind_text(s, 1, q);
	db_bind_int(s, 2, upto);
	int rc = db_step(s), r = rc != DB_ROW ? -1 : db_col_is_null(s, 0) ? 1 : 0;
	db_done(s);
	return r;
}

int
search_dense(db_t *db, struct search *srch)
{
	int64_t edits, top;
	if (db_is_pg(db) || vocab_ready(db, 0) || dense_state(db, &edits, &top) != 0)
		return db_is_pg(db) ? 1 : -1;
	int64_t upto = top;
	struct db_hits *all = NULL;
	buf_t q;   /* the search in the whole index, for the numbers above the sets */
	buf_init(&q, SEARCH_EXPR_MAX);
	const char *t;
	size_t len;
	int prefix, r = 0;
	for (const char *p = srch->match; r == 0 && next_term(&p, &t, &len, &prefix);) {
		struct word w[EXPANSIONS_MAX + 1];
		int nw = prefix_words(db, 0, t, len, w);   /* SQLite's terms are all prefixes */
		if (nw < 0 || nw > EXPANSIONS_MAX || (q.len && buf_puts(&q, " AND ")) || (nw && words_append(&q, w, nw))) {
			r = nw < 0 ? -1 : 1;   /* too many words: as before */
			break;
		}
		if (nw == 0) {   /* no word begins with it: nothing matches */
			db_hits_free(all);
			buf_free(&q);
			return dense_finish(db, NULL, top, top, "");
		}
		struct db_hits *g = NULL;
		for (int i = 0; i < nw && r == 0; i++)
			r = word_set(db, &w[i], edits, top, &g, &upto);
		if (r == 0 && all)
			db_hits_and(all, g);
		else if (r == 0)
			all = g, g = NULL;
		db_hits_free(g);
	}
	if (r == 0)
		r = dense_finish(db, all, upto, top, q.data);
	else
		db_hits_free(all);
	buf_free(&q);
	return r;
}

/* Fills W (room for DENSE_SETS) with the words of the whole index found
 * in more than MANY work orders, the most common first, and *N with how
 * many: one pass over the index's words, some 0.3 s at a million work
 * orders (on a connection of db_background's).  0 or -1. */
static int
dense_words(db_t *db, int64_t many, struct word *w, int *n)
{
	if (db_exec1(db, "CREATE VIRTUAL TABLE IF NOT EXISTS"
	    " temp.wo_fts_rows USING fts5vocab(main, wo_fts, row)") != DB_DONE)
		return -1;
	db_stmt *s = db_prep(db, "SELECT term FROM temp.wo_fts_rows WHERE doc > ?1 ORDER BY doc DESC LIMIT ?2");
	if (!s)
		return -1;
	db_bind_int(s, 1, many);
	db_bind_int(s, 2, DENSE_SETS);
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		size_t len = 0;
		const char *t = db_col_textn(s, 0, &len);
		if (len < sizeof(w[*n].t)) {
			memcpy(w[*n].t, t, len + 1);
			w[(*n)++].len = len;
		}
	}
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

void
search_dense_tune(int64_t keep_from)
{
	dense_min = keep_from > 0 ? keep_from : dense_min;
}

int
search_dense_warm(db_t *db, int64_t many, int (*busy)(void *), void *arg)
{
	/* one caller (the server's main thread): the words found once, then
	 * made one at a time while the server stays quiet */
	static struct word w[DENSE_SETS];
	static int n = -1, done;
	if (db_is_pg(db))
		return 1;
	if (n < 0 && dense_words(db, many, w, &n) != 0)
		return -1;
	if (db_read_begin(db) != 0)
		return -1;
	int64_t edits, top;
	int r = dense_state(db, &edits, &top);
	for (; done < n && r >= 0 && !busy(arg); done++) {
		struct db_hits *g = NULL;
		int64_t upto = top;
		r = word_set(db, &w[done], edits, top, &g, &upto);
		db_hits_free(g);
	}
	db_read_end(db);
	return r < 0 ? -1 : done == n;
}
