/* rank.c -- see rank.h.  The places of an order are an array of buckets
 * indexed by work order number (from the lowest then), each the work
 * order's position in the order scaled to RANK_BUCKETS: a bucket lower
 * than another's is a place before it.  Made whole on the warm
 * connection and swapped in under a lock; the workers read them under
 * the same lock's shared side, for the microseconds of a pick. */
#include "rank.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANK_ORDERS 16
#define RANK_BUCKETS 65535     /* 0xffff: a number that was not a work order then */
#define RANK_ABSENT 0xffff
#define RANK_STALE 4096        /* moved work orders a pick takes as they are; more: made again first */
#define RANK_REMAKE 1024       /* moved work orders after which rank_warm makes an order again */

/* An order's places; or (orders[0], EXPR NULL) each work order's company
 * and class, as a company's index in ORG << 2 | the class, that a pick
 * counts a company's or a class's list's matches only. */
struct order {
	const char *expr, *index;
	uint16_t *bucket;   /* [number - lo], lo..hi; NULL: not made */
	int64_t lo, hi;
	int64_t seq;        /* sort_edit's highest seq when made */
	int64_t *org;       /* orders[0]: the companies in order (NULL: too many to keep) */
	int norg;
};

#define SCOPE_ORGS 16383   /* companies a scope tells apart: 14 bits */
static struct order orders[RANK_ORDERS] = { { NULL, "wo_p_number", NULL, 0, 0, 0, NULL, 0 } };
static int norders = 1;
static size_t mem_max = 12u << 20, mem_used;
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

void
rank_tune(size_t bytes)
{
	mem_max = bytes;
}

int
rank_order(const char *expr, const char *index)
{
	pthread_rwlock_wrlock(&lock);
	int r = 0;
	for (int i = 1; i < norders && r == 0; i++)
		r = strcmp(orders[i].expr, expr) == 0;
	if (r == 0 && norders == RANK_ORDERS)
		r = -1;
	else if (r == 0)
		orders[norders++] = (struct order){ .expr = expr, .index = index };
	pthread_rwlock_unlock(&lock);
	return r < 0 ? -1 : 0;
}

/* The log's highest seq and the work orders' lowest and highest numbers
 * and (N not NULL: a count of the index) how many, in DB's snapshot.  0
 * or -1. */
static int
state(db_t *db, int64_t *seq, int64_t *lo, int64_t *hi, int64_t *n)
{
	db_stmt *s = db_prep(db, n ? "SELECT (SELECT coalesce(max(seq), 0) FROM sort_edit), min(number), max(number),"
	    " count(*) FROM wo" : "SELECT (SELECT coalesce(max(seq), 0) FROM sort_edit), (SELECT min(number) FROM wo),"
	    " (SELECT max(number) FROM wo)");
	int rc = s ? db_step(s) : DB_ERROR;
	if (rc == DB_ROW) {
		*seq = db_col_int(s, 0);
		*lo = db_col_int(s, 1);
		*hi = db_col_int(s, 2);
		if (n)
			*n = db_col_int(s, 3);
	}
	if (s)
		db_done(s);
	return rc == DB_ROW ? 0 : -1;
}

/* Fills B (LO..HI) with order O's places, from its index's entries in
 * DB's snapshot of N work orders.  DB_DONE or DB_ERROR. */
static int
make_order(db_t *db, const struct order *o, uint16_t *b, int64_t lo, int64_t hi, int64_t n)
{
	char sql[384];
	snprintf(sql, sizeof(sql), "SELECT number FROM wo INDEXED BY %s ORDER BY %s, number", o->index, o->expr);
	db_stmt *s = db_prep(db, sql);
	int rc = s ? DB_ROW : DB_ERROR;
	int64_t k = 0;
	while (s && (rc = db_step(s)) == DB_ROW) {
		int64_t x = db_col_int(s, 0);
		if (x < lo || x > hi || k >= n) {
			rc = DB_ERROR;   /* the snapshot's count and range say otherwise: a broken store */
			break;
		}
		b[x - lo] = (uint16_t)(k++ * RANK_BUCKETS / n);
	}
	if (s)
		db_done(s);
	return rc;
}

/* Fills B (LO..HI) with each work order's company and class, and *ORG
 * (*NORG) with the companies (NULL: more than SCOPE_ORGS, B then left
 * absent).  DB_DONE or DB_ERROR. */
static int
make_scope(db_t *db, uint16_t *b, int64_t lo, int64_t hi, int64_t **org, int *norg)
{
	db_stmt *s = db_prep(db, "SELECT owner_org_id, state_class, number FROM wo INDEXED BY wo_p_number"
	    " ORDER BY owner_org_id");   /* the index's order: no sort */
	int64_t *o = malloc(SCOPE_ORGS * sizeof(*o));
	int rc = s && o ? DB_ROW : DB_ERROR, n = 0;
	while (s && o && (rc = db_step(s)) == DB_ROW) {
		int64_t id = db_col_int(s, 0), k = db_col_int(s, 1), x = db_col_int(s, 2);
		if (n == 0 || o[n - 1] != id) {
			if (n == SCOPE_ORGS) {
				free(o);   /* too many companies: no scope */
				o = NULL;
				memset(b, 0xff, (size_t)(hi - lo + 1) * sizeof(*b));
				break;
			}
			o[n++] = id;
		}
		if (x < lo || x > hi || k < 0 || k > 3) {
			rc = DB_ERROR;
			break;
		}
		b[x - lo] = (uint16_t)((n - 1) << 2 | (int)k);
	}
	if (s)
		db_done(s);
	if (rc == DB_ROW && !o)
		rc = DB_DONE;
	*org = o;
	*norg = o ? n : 0;
	if (rc != DB_DONE) {
		free(o);
		*org = NULL;
	}
	return rc;
}

/* The bytes O's places take (0: none made).  The caller holds the lock
 * or is its one writer.  This function can't fail. */
static size_t
bytes_of(const struct order *o)
{
	return o->bucket ? (size_t)(o->hi - o->lo + 1) * sizeof(uint16_t) : 0;
}

/* Makes order I's places (the caller holds no lock; I's expr and index do
 * not change once registered).  0, 1 when they do not fit the memory
 * bound, or -1. */
static int
make(db_t *db, int i)
{
	int64_t seq, lo, hi, n;
	if (db_read_begin(db) != 0)
		return -1;
	int r = state(db, &seq, &lo, &hi, &n);
	if (r != 0 || n == 0)
		lo = 1, hi = 1;
	size_t need = (size_t)(hi - lo + 1) * sizeof(uint16_t), old = bytes_of(&orders[i]);
	pthread_rwlock_rdlock(&lock);
	int fits = mem_used - old + need <= mem_max;
	pthread_rwlock_unlock(&lock);
	uint16_t *b = r == 0 && fits ? malloc(need) : NULL;
	if (r != 0 || !fits || !b) {
		db_read_end(db);
		return r != 0 || fits ? -1 : 1;
	}
	memset(b, 0xff, need);
	int64_t *org = NULL;
	int norg = 0;
	int rc = i == 0 ? make_scope(db, b, lo, hi, &org, &norg) : make_order(db, &orders[i], b, lo, hi, n);
	db_read_end(db);
	if (rc != DB_DONE) {
		free(b);
		free(org);
		return -1;
	}
	pthread_rwlock_wrlock(&lock);
	struct order *o = &orders[i];
	free(o->bucket);
	free(o->org);
	o->org = org;
	o->norg = norg;
	mem_used = mem_used - old + need;
	o->bucket = b;
	o->lo = lo;
	o->hi = hi;
	o->seq = seq;
	pthread_rwlock_unlock(&lock);
	return 0;
}

/* The first order to make of those the memory bound leaves room for; -1
 * when none.  SEQ: the log's highest
 * seq; LO and TOP: the lowest and highest numbers now. */
static int
next_order(int64_t seq, int64_t lo, int64_t top, const int *skip)
{
	size_t need = (size_t)(top >= lo ? top - lo + 1 : 1) * sizeof(uint16_t);
	pthread_rwlock_rdlock(&lock);
	for (int i = 0; i < norders; i++) {
		const struct order *o = &orders[i];
		int old = !o->bucket || seq - o->seq > RANK_REMAKE || top - o->hi > RANK_REMAKE;
		if (!skip[i] && old && mem_used - bytes_of(o) + need <= mem_max) {
			pthread_rwlock_unlock(&lock);
			return i;
		}
	}
	pthread_rwlock_unlock(&lock);
	return -1;
}

int
rank_warm(db_t *db, int (*busy)(void *), void *arg)
{
	if (db_is_pg(db))
		return 1;
	int skip[RANK_ORDERS] = { 0 };
	for (;;) {
		int64_t seq, lo, top;
		if (db_read_begin(db) != 0)
			return -1;
		int r = state(db, &seq, &lo, &top, NULL);
		db_read_end(db);
		if (r != 0)
			return -1;
		int i = next_order(seq, lo, top, skip);
		if (i < 0)
			return 1;
		if (busy(arg))
			return 0;
		r = make(db, i);
		if (r < 0)
			return -1;
		skip[i] = 1;   /* made, or past the memory bound: once a call */
	}
}

/* The numbers logged as moved since SEQ that are matches, into P (which
 * has room for RANK_STALE).  0, 1 when more than RANK_STALE moved or SEQ
 * is not in the log (made more than 65,536 changes ago, or of another
 * database), -1. */
static int
moved(db_t *db, int64_t seq, struct rank_pick *p)
{
	db_stmt *s = db_prep(db, "SELECT seq, number FROM sort_edit WHERE seq >= ?1 ORDER BY seq LIMIT ?2");
	if (!s)
		return -1;
	db_bind_int(s, 1, seq);
	db_bind_int(s, 2, RANK_STALE + 2);
	int rc, seen = 0, ours = 0;
	while ((rc = db_step(s)) == DB_ROW && seen++ <= RANK_STALE) {
		int64_t x = db_col_int(s, 1);
		if (seen == 1)
			ours = db_col_int(s, 0) == seq;
		else if (db_hit(db, x))
			p->n[p->changed++] = x;
	}
	db_done(s);
	return rc == DB_ERROR ? -1 : rc == DB_ROW || !ours ? 1 : 0;
}

static int
cmp_num(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* P's changed ones in order, each once (rank_changed's search). */
static void
changed_sort(struct rank_pick *p)
{
	qsort(p->n, p->changed, sizeof(*p->n), cmp_num);
	size_t k = 0;
	for (size_t i = 0; i < p->changed; i++)
		if (k == 0 || p->n[k - 1] != p->n[i])
			p->n[k++] = p->n[i];
	p->changed = k;
}

/* Bucket B of the order as a pick walks it: descending, from the last. */
#define WALKED(b, desc) ((desc) ? RANK_BUCKETS - 1 - (int)(b) : (int)(b))

/* A pick's pass over the hit set: an order's matches, of a company (its
 * index in the scope's; -1 any, -2 one the scope has not seen) and class
 * (-1 any) where the scope (NULL: none) tells, in the buckets (as walked)
 * from FIRST on.  The first pass counts them in HIST and adds those above
 * the order's highest number to P as moved; the second (HIST NULL) adds
 * those up to LAST.  OVER: more than MAX. */
struct pass {
	const struct order *o, *scope;
	int desc, org, klass;
	int first, last;
	uint32_t *hist;
	struct rank_pick *p;
	size_t max;
	int over;
};

/* Whether the scope puts work order X (at most its highest number) in
 * W's company and class, without a branch on them (a hit set's companies
 * come in no order a branch could guess).  This function can't fail. */
static inline int
in_scope(const struct pass *w, int64_t x)
{
	const struct order *sc = w->scope;
	if (!sc || x < sc->lo || x > sc->hi)
		return 1;
	unsigned v = sc->bucket[x - sc->lo];
	return (v != RANK_ABSENT) & ((w->org == -1) | ((int)(v >> 2) == w->org)) & ((w->klass < 0) | ((int)(v & 3) == w->klass));
}

static void
visit(void *arg, int64_t base, uint64_t bits)
{
	struct pass *w = arg;
	const struct order *o = w->o;
	struct rank_pick *p = w->p;
	for (; bits && !w->over; bits &= bits - 1) {
		int64_t x = base + __builtin_ctzll(bits);
		if (x > o->hi) {
			if (!w->hist)
				return;   /* above the order: moved, taken in the first pass */
			w->over = p->changed == w->max;
			if (!w->over)
				p->n[p->changed++] = x;
			continue;
		}
		unsigned b = o->bucket[x - o->lo];
		int k = WALKED(b, w->desc);
		int keep = (b != RANK_ABSENT) & in_scope(w, x) & (k >= w->first);
		if (w->hist) {
			w->hist[k & 0xffff] += (uint32_t)keep;   /* no branch, and no one counter every row waits on */
		} else if ((keep & (k <= w->last)) && !rank_changed(p, x)) {
			w->over = p->count == w->max;
			if (!w->over)
				p->n[p->count++] = x;
		}
	}
}

/* The index of company ORG in SCOPE's (-1: any, ORG 0; -2: not there). */
static int
org_index(const struct order *scope, int64_t org)
{
	if (org <= 0)
		return -1;
	const int64_t *at = bsearch(&org, scope->org, (size_t)scope->norg, sizeof(*scope->org), cmp_num);
	return at ? (int)(at - scope->org) : -2;
}

/* Fills P for W's order and filter (rank_pick's contract; the caller
 * holds the lock's shared side): the moved ones, then a pass counting the
 * kept matches per bucket from the anchor's, then one taking those up to
 * the bucket where WANT are reached.  0, 1 (past MAX, or the places too
 * old), or -1. */
static int
pick(db_t *db, struct pass *w, int64_t anchor, int64_t want, struct rank_pick *p)
{
	const struct order *o = w->o;
	int r = moved(db, w->scope && w->scope->seq < o->seq ? w->scope->seq : o->seq, p);
	if (r != 0)
		return r;
	if (!(w->hist = calloc(RANK_BUCKETS + 1, sizeof(*w->hist))))
		return -1;
	/* the pass from the anchor's bucket (its place unmoved; the matches
	 * counted after it), else from the first */
	changed_sort(p);
	int after = anchor >= o->lo && anchor <= o->hi && o->bucket[anchor - o->lo] != RANK_ABSENT &&
	    !rank_changed(p, anchor);
	w->first = after ? WALKED(o->bucket[anchor - o->lo], w->desc) : 0;
	db_hits_scan(db, o->lo, visit, w);
	changed_sort(p);
	int64_t seen = 0;
	w->last = RANK_BUCKETS - 1;
	for (int b = w->first + after; !w->over && b < RANK_BUCKETS; b++) {
		seen += w->hist[b];
		if (seen >= want) {
			w->last = b;
			break;
		}
	}
	free(w->hist);
	w->hist = NULL;
	p->whole = seen < want;
	p->count = p->changed;
	if (!w->over)
		db_hits_scan(db, o->lo, visit, w);
	return w->over ? 1 : 0;
}

int
rank_pick(db_t *db, const char *expr, int desc, int64_t org, int klass, int64_t anchor, int64_t want, size_t max,
    struct rank_pick *p)
{
	memset(p, 0, sizeof(*p));
	if (db_is_pg(db) || max < RANK_STALE)
		return 1;
	if (!(p->n = malloc(max * sizeof(*p->n))))
		return -1;
	pthread_rwlock_rdlock(&lock);
	struct order *o = NULL;
	for (int i = 1; i < norders && !o; i++)
		o = strcmp(orders[i].expr, expr) == 0 ? &orders[i] : NULL;
	const struct order *sc = orders[0].bucket && orders[0].org ? &orders[0] : NULL;
	struct pass w = { o, sc, desc, sc ? org_index(sc, org) : -1, sc ? klass : -1, 0, 0, NULL, p, max, 0 };
	int r = !o || !o->bucket ? 1 : pick(db, &w, anchor, want, p);
	pthread_rwlock_unlock(&lock);
	if (r != 0)
		rank_pick_free(p);
	return r;
}

int
rank_ready(const char *expr)
{
	int r = 0;
	pthread_rwlock_rdlock(&lock);
	for (int i = 1; i < norders; i++)
		if (strcmp(orders[i].expr, expr) == 0)
			r = orders[i].bucket != NULL;
	pthread_rwlock_unlock(&lock);
	return r;
}

int
rank_changed(const struct rank_pick *p, int64_t number)
{
	return p->changed && bsearch(&number, p->n, p->changed, sizeof(*p->n), cmp_num) != NULL;
}

void
rank_pick_free(struct rank_pick *p)
{
	free(p->n);
	memset(p, 0, sizeof(*p));
}
