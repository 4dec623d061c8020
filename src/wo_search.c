/* wo_search.c -- see wo_int.h: how "Search this list..." is read for a
 * list, and the thresholds between its ways.
 *
 * "Search this list..." (search.h), on SQLite: the list's matches (the
 * scoped index's: the company's, the view's class's) are collected into a
 * bitmap while they are no more than search_bits_hits, and counted as they
 * go.  Few (SEARCH_FEW) are gathered into a temporary table of the
 * connection, looked up and sorted: a bounded cost whatever the order.
 * More are tested from the bitmap (SEARCH_BITS) with the index's row
 * number alone while each scan walks its index in sort order.  More
 * still come from the sets the process keeps of their words' matches
 * (search_dense: a hit set made in microseconds, SEARCH_BITS), else are
 * tested by their words row by row while each scan walks its index
 * (SEARCH_WALK: a page of a common word is found at once, and no
 * work grows with the number of matches).  Where the matches are rare in
 * the sort's order -- it puts rows without them first -- a scan could
 * read most rows before its page: the walk gives up after walk_steps (the
 * scan of a bitmap after bits_steps, or a tenth of it where the order's
 * places are kept: the page is then sorted from the matches they put
 * first, rank.h), and the newest WO_SORT_NEWEST matches are sorted
 * instead (WO_SORTED_NEWEST, which the summary says); an export and the
 * number order take every match from the bitmap.
 * Companies without a match are left out of the operator's merge.
 * PostgreSQL gathers into the table (SEARCH_FEW, or SEARCH_MANY: each
 * scan walks and checks the table) up to search_bits_hits matches; more
 * (SEARCH_DENSE: a word most work orders have, whose gathering took 0.14 s
 * at 100,000 and grows with them) are tested by the row's own tsvector
 * where a list takes every match in one walk (the number order, an
 * export, a technician's), else the newest are sorted.  A count stops
 * at the cap or after count_steps; the summary then says "N+". */
#include "wo_int.h"
#include "search.h"
#include "rank.h"

#define SEARCH_MANY_HITS 2000   /* matches looked up and sorted at once: a few milliseconds */
_Static_assert(SEARCH_TEXT_MAX == WO_SEARCH_MAX, "one limit for what is typed");
static int search_bits_hits = WO_COUNT_CAP;   /* fewer are collected into a hit set (more: walked, cheaper) */
static int probe_hits = WO_COUNT_CAP;   /* collected first: past them, the rest only where they may fit */
static long walk_steps = 20000, bits_steps = 5 * 20000, count_steps = 400000;

const char *const wo_search_sql[] = {
	[SEARCH_NONE] = "",
	[SEARCH_FEW] = " AND wo.number IN (SELECT n FROM temp.search_hit)",
	[SEARCH_MANY] = " AND +wo.number IN (SELECT n FROM temp.search_hit)",
	[SEARCH_WALK] = (" AND fw_match(?9, wo.number, wo.case_number, wo.subject, wo.account_name, wo.territory_name,"
	    " wo.work_type_name)"),
	[SEARCH_BITS] = " AND fw_hit(wo.number)",
	[SEARCH_DENSE] = " AND wo.search @@ to_tsquery('simple', ?9)",
};

void
wo_search_tune(int gather_max, long walk, long count, int probe)
{
	search_bits_hits = gather_max > 0 ? gather_max : search_bits_hits;
	probe_hits = probe > 0 ? probe : probe_hits;
	walk_steps = walk ? walk : walk_steps;
	bits_steps = walk ? walk * 5 : bits_steps;   /* a hit set's test is the cheaper */
	count_steps = count ? count : count_steps;
}

/* The columns whose places rank.c keeps, the most used first, each with
 * the index of wo its key is read from and, for a column with a key of
 * its own ascending (wo_cols' asc: blank last), that key's. */
static const struct {
	int col;
	const char *index, *asc_index;
} rank_orders[] = {
	{ WC_SUBJECT, "wo_p_subject", NULL }, { WC_ACCOUNT, "wo_p_account", NULL }, { WC_STATUS, "wo_p_status", NULL },
	{ WC_TARGET, "wo_p_sla", "wo_p_sla_key" }, { WC_APPOINTMENT, "wo_p_appt", "wo_p_appt_key" },
	{ WC_ASSIGNED, "wo_p_assign", NULL }, { WC_COMPLETED, "wo_p_done", NULL }, { WC_CASE, "wo_p_case", NULL },
	{ WC_TERRITORY, "wo_p_terr", NULL }, { WC_ENTITLEMENT, "wo_p_entitle", NULL },
	{ WC_WORK_TYPE, "wo_p_wtype", NULL },
};

int
wo_rank_warm(db_t *db, int (*busy)(void *), void *arg)
{
	static int registered;
	for (size_t i = 0; !registered && i < sizeof(rank_orders) / sizeof(rank_orders[0]); i++) {
		const struct wo_col_def *c = &wo_cols[rank_orders[i].col];
		if ((c->asc && rank_order(c->asc, rank_orders[i].asc_index) != 0) ||
		    rank_order(c->sql, rank_orders[i].index) != 0)
			return -1;
	}
	registered = 1;
	return rank_warm(db, busy, arg);
}

long
wo_search_budget(int search, int newest_ok, int later, int ranked)
{
	/* a later page of a list sorted whole is read whole too, so that its
	 * rows follow the first page's: a hit set's scan reads the index
	 * alone; where the order's places are kept, a scan that does not find
	 * its page at once gives way to them (rank.h), first page or later */
	if (search == SEARCH_BITS && newest_ok && ranked)
		return bits_steps / 10;
	return search == SEARCH_WALK ? walk_steps : search == SEARCH_BITS && newest_ok && !later ? bits_steps : 0;
}

long
wo_search_count_steps(void)
{
	return count_steps;
}

/* ?9: fw_match's words (SQLite's walk) or the tsquery (PostgreSQL's,
 * made by search_expand already). */
void
wo_search_bind(db_stmt *s, int search, struct search *srch)
{
	if (search == SEARCH_WALK)
		db_bind_text(s, 9, srch->words);
	else if (search == SEARCH_DENSE)
		db_bind_text(s, 9, srch->expanded);
}

int
wo_search_gather(db_t *db, struct search *srch, int many, int *search)
{
	int64_t hits = 0;
	int r = many && !db_is_pg(db) ? search_collect(db, srch, 0, 0, &hits, NULL) : 1;
	if (r < 0)
		return WO_ERROR;
	if (r == 0) {
		*search = SEARCH_BITS;
		return WO_OK;
	}
	if (search_load(db, srch, 0, &hits) != 0)
		return WO_ERROR;
	*search = hits > SEARCH_MANY_HITS ? SEARCH_MANY : SEARCH_FEW;
	return WO_OK;
}

/* Whether search SRCH, whose first N matches end at work order number
 * LAST, may have no more than search_bits_hits in all, guessed from how
 * densely they fill the work orders' numbers at each end: a view's class
 * is not spread evenly (open work orders are mostly the newest), so the
 * denser end decides.  1, 0, or -1 on a database error. */
static int
may_fit(db_t *db, struct search *srch, int64_t n, int64_t last)
{
	/* each an end of the table (min and max together are a scan) */
	db_stmt *s = db_prep(db, "SELECT (SELECT min(number) FROM wo), (SELECT max(number) FROM wo)");
	if (!s)
		return -1;
	int rc = db_step(s);
	int64_t lo = rc == DB_ROW ? db_col_int(s, 0) : 0, hi = rc == DB_ROW ? db_col_int(s, 1) : 0, from;
	db_done(s);
	if (rc != DB_ROW)
		return -1;
	double span = (double)(hi - lo + 1), cap = (double)search_bits_hits;
	if (last > lo && (double)n * span / (double)(last - lo + 1) > cap)
		return 0;
	if (search_top(db, srch, n, &from) != 0)
		return -1;
	if (from <= last)
		return (double)(2 * n) <= cap;   /* the ends meet: fewer than 2N in all */
	return (double)n * span / (double)(hi - from + 1) <= cap;
}

/* Too many matches to gather for this search alone (SQLite): a hit set
 * of them all where the process keeps the sets of its words, made from
 * those (search_dense; SEARCH_BITS), else walked.  WO_OK or WO_ERROR. */
static int
walk_or_dense(db_t *db, struct search *srch, int *search)
{
	int r = search_dense(db, srch);
	if (r < 0)
		return WO_ERROR;
	*search = r == 0 ? SEARCH_BITS : SEARCH_WALK;
	return WO_OK;
}

/* How the list reads a search (see SEARCH_WALK): PostgreSQL gathers the
 * matches.  SQLite collects them into a hit set, counting them, while
 * they are no more than search_bits_hits (at 0.1 us a match, 10 ms for
 * 100,000; a walk instead reads wo's row for each row it tests, 70 us
 * where the machine has let the page go); up to SEARCH_MANY_HITS are
 * then looked up and sorted, more tested from the hit set while the
 * sort's index is walked.  More still are tested by their words while
 * the sort order is walked.  *ALL: the count (up to WO_COUNT_CAP).  WO_OK
 * or WO_ERROR. */
int
wo_search_plan(db_t *db, struct search *srch, int *search, struct wo_hits *all)
{
	if (db_is_pg(db)) {   /* its count is the list's where the view has no class */
		if (search_count(db, srch, WO_COUNT_CAP > search_bits_hits ? WO_COUNT_CAP : search_bits_hits, 0, &all->n,
		    &all->capped) != 0)
			return WO_ERROR;
		all->known = srch->klass < 0;
		if (all->capped || all->n > search_bits_hits)
			*search = SEARCH_DENSE;
		all->capped |= all->n > WO_COUNT_CAP;
		all->n = all->n > WO_COUNT_CAP ? WO_COUNT_CAP : all->n;
		return *search == SEARCH_DENSE ? WO_OK : wo_search_gather(db, srch, 0, search);
	}
	/* up to the count's cap first (a millisecond); past it, the rest only
	 * where they look like fitting the hit set: a word in most work orders
	 * would fill it for nothing (some 0.1 us a match) before being walked */
	int64_t n = 0, last = 0, first = search_bits_hits < probe_hits ? search_bits_hits : probe_hits;
	int r = search_collected(db, srch, &n) ? 0 : search_collect(db, srch, first, count_steps, &n, &last);
	if (r == 2 && search_bits_hits > first) {
		/* all of them then, without a LIMIT (which doubled the time of
		 * each match), in the steps of some 1.6 times the cap (five a
		 * match): past them, walked after all */
		int fits = may_fit(db, srch, n, last);
		if (fits < 0)
			return WO_ERROR;
		if (fits)
			r = search_collect(db, srch, 0, 8L * search_bits_hits, &n, NULL);
	}
	if (r < 0)
		return WO_ERROR;
	all->known = 1;
	if (r == 1 || (r == 2 && n <= WO_COUNT_CAP)) {   /* not counted to the cap: the index counts; walked */
		if (search_count(db, srch, WO_COUNT_CAP, count_steps, &all->n, &all->capped) != 0)
			return WO_ERROR;
		return walk_or_dense(db, srch, search);
	}
	all->capped = n > WO_COUNT_CAP;
	all->n = all->capped ? WO_COUNT_CAP : n;
	if (r == 2)
		return walk_or_dense(db, srch, search);
	if (n <= SEARCH_MANY_HITS)
		return wo_search_gather(db, srch, 0, search);
	else
		*search = SEARCH_BITS;
	return WO_OK;
}
