/* wo_int.h -- what the list's two files share: wo.c (the list views'
 * queries, counts and pages) and wo_search.c (how a search typed into
 * "Search this list..." is read: the plan, its thresholds, the filter each
 * way adds to a list's query).  Nothing outside them includes it. */
#ifndef FW_WO_INT_H
#define FW_WO_INT_H

#include "wo.h"

struct search;

/* The ways a list reads a search (wo_search.c's comment) */
enum { SEARCH_NONE, SEARCH_FEW, SEARCH_MANY, SEARCH_WALK, SEARCH_BITS, SEARCH_DENSE };
#define WO_COUNT_CAP 10000   /* a list's count says "10000+" past it */

/* Each way's condition on a list's row "wo": text joined to a WHERE. */
extern const char *const wo_search_sql[];
/* the filter for a short list (Recently Viewed, a count) */
#define SEARCH_SHORT(search) wo_search_sql[(search) == SEARCH_MANY ? SEARCH_FEW : (search)]

/* Every match of a search, counted when the search was planned: N (up to
 * WO_COUNT_CAP), CAPPED when there are more, KNOWN when N is the list's
 * own count (the search was scoped as the list is). */
struct wo_hits {
	int64_t n;
	int capped, known;
};

/* How the list reads search SRCH (prepared by search_prepare): *SEARCH
 * one of the ways above, *ALL the matches counted.  The matches are
 * gathered here when that is the way.  WO_OK or WO_ERROR. */
int wo_search_plan(db_t *db, struct search *srch, int *search, struct wo_hits *all);
/* Gathers SRCH's matches: into a hit set when MANY are expected (SQLite),
 * else into the connection's table, and sets *SEARCH to how the list then
 * reads them.  WO_OK or WO_ERROR. */
int wo_search_gather(db_t *db, struct search *srch, int many, int *search);
/* Binds ?9 of S, the words a row is tested against in way SEARCH.  This
 * function can't fail. */
void wo_search_bind(db_stmt *s, int search, struct search *srch);
/* SQLite's steps a page's walk may take in way SEARCH before the newest
 * matches are sorted instead (NEWEST_OK: they may be; LATER: a page after
 * the first of a list sorted whole), or (RANKED: the order's places are
 * kept, rank.h) before the page is sorted from them, 0 for no bound;
 * and a count's.  These can't fail. */
long wo_search_budget(int search, int newest_ok, int later, int ranked);
long wo_search_count_steps(void);

#endif
