/* rank.h -- each work order's place in the list's sort orders, kept by
 * the process (SQLite), so that a search whose matches are rare early in
 * an order finds its page from its matches alone: a work order's bucket
 * (one of 65,535 runs of the order, two bytes a work order) says which of
 * them come first, and only those are looked up and sorted.
 *
 * The places are made on a connection of their own while the server is
 * quiet (rank_warm), each as of a seq of migration 031's sort_edit, the
 * log of the work orders whose place changed; at each search the numbers
 * logged since, and those above the highest number then, are taken as
 * they are, whatever their bucket says.  Within a memory bound
 * (rank_tune): past it, the later orders are not kept. */
#ifndef FW_RANK_H
#define FW_RANK_H

#include "db.h"

#include <stddef.h>
#include <stdint.h>

/* The work orders a page of a search is sorted from (rank_pick). */
struct rank_pick {
	int64_t *n;       /* the first CHANGED are those whose place moved since the places were made */
	size_t count, changed;
	int whole;        /* every match past the anchor is here */
};

/* Registers the order by EXPR (an ORDER BY expression of wo; with the
 * number after it, ascending) whose places are made from the entries of
 * INDEX, an index of wo that holds EXPR: both static.  Earlier orders are
 * made first.  0, or -1 when there is no room for another.  Once per
 * order, before rank_warm (the server's main thread). */
int rank_order(const char *expr, const char *index);

/* Makes the places of every registered order not made yet, or made long
 * enough ago that more than a thousand work orders have moved since, in
 * the order registered, one order at a time while BUSY(ARG) answers 0.  1
 * when none is left to make, 0 when BUSY stopped it, or -1 on a database
 * error.  One caller at a time (the server's main thread), on a
 * connection of its own (db_background's). */
int rank_warm(db_t *db, int (*busy)(void *), void *arg);

/* Picks from DB's hit set (db.h: every match of a search, or more) the
 * work orders a page of the order by EXPR (DESC: descending) of company
 * ORG's (0: every company's) of status class KLASS (-1: every class) may
 * be made of: those after ANCHOR (a work order number; 0: from the start; its bucket
 * included, the caller's query keeps what follows it) in the buckets
 * that hold WANT matches at least, and every match whose place moved
 * since the places were made.  The page then sorts them: its rows are the
 * order's when the last row it read is not one of P's changed ones, or
 * P->whole.  0 (P filled, rank_pick_free), 1 when the order has no places
 * kept or they are too old, or more than MAX (at least 4,096: the moved
 * ones a pick takes) would be picked, or -1 on a database error or
 * without memory. */
int rank_pick(db_t *db, const char *expr, int desc, int64_t org, int klass, int64_t anchor, int64_t want, size_t max,
    struct rank_pick *p);
/* Whether the places of the order by EXPR are kept (rank_pick may answer
 * from them).  This function can't fail. */
int rank_ready(const char *expr);
/* Whether NUMBER is one of P's changed ones.  This function can't fail. */
int rank_changed(const struct rank_pick *p, int64_t number);
void rank_pick_free(struct rank_pick *p);

/* Bytes the places may take, all orders and the scope together (12 MiB
 * unless set; 0: none are kept).  This function can't fail. */
void rank_tune(size_t bytes);

#endif
