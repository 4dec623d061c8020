/* search.h -- "Search this list...": what was typed turned into the search
 * index's terms, and the index's answers the work order list needs.  The
 * list (wo.c) either walks its sort order testing each row against the
 * terms (fw_match, db.h) -- a page of a common word is found long before
 * its matches run out -- or, when the matches are few, starts from them:
 * search_load() puts them in a table of the connection.
 *
 * The index is FTS5 on SQLite and a tsvector column on PostgreSQL; every
 * term is a prefix and every term is required.  SQLite keeps two: wo_fts,
 * every work order's words, and wo_fts_org, each word behind the prefixes
 * of its company ("12xhead"), company and status class ("12k0xhead") and
 * class ("k0xhead"), migration 029: a list's matches -- a company's, a
 * view of one class -- are then one list a word. */
#ifndef FW_SEARCH_H
#define FW_SEARCH_H

#include "db.h"

#include <stdint.h>

#define SEARCH_TEXT_MAX 200   /* bytes of "Search this list..." (WO_SEARCH_MAX) */
#define SEARCH_EXPR_MAX 4096  /* bytes of an index query, its expansions included */

struct search {
	char words[SEARCH_TEXT_MAX * 3 + 2];   /* SQLite: the typed words folded (fw_match's) */
	char match[SEARCH_TEXT_MAX * 3 + 96];  /* the index's terms: "a"* "b"* [PostgreSQL: a company's token] */
	int64_t org;                           /* > 0: that company's work orders only */
	int klass;                             /* >= 0: of that status class only */
	char expanded[SEARCH_EXPR_MAX];        /* search_expand()'s, once made */
};

/* Turns the user's words into an FTS5 query ("word"* "word"*: every word a
 * prefix, all required).  Returns 0, 1 when there is nothing to search
 * for, -1 when it is too long. */
int search_expr(const char *in, char *out, size_t outlen);

/* Fills S from TYPED as the index reads it (on SQLite, case and accents
 * folded by the index's own tokenizer first); ORG > 0 limits the index's
 * matches to that company's work orders (the scoped index on SQLite, the
 * company's token on PostgreSQL), KLASS >= 0 to those of that status
 * class (SQLite; -1: every class).  Returns 0, 1 when there is nothing to
 * search for, -1 when TYPED is too long, or -2 on a database error. */
int search_prepare(db_t *db, const char *typed, int64_t org, int klass, struct search *s);

/* S's query in the index's own language: on SQLite each prefix spelled as
 * the words of the index that begin with it (up to 16 a prefix), which
 * FTS5 reads as it goes where a prefix would be gathered whole first (a
 * prefix of more words stays one); on PostgreSQL a tsquery (a:* & b:*).
 * Made once and kept in S.  NULL on a database error. */
const char *search_expand(db_t *db, struct search *s);

/* Puts the work orders S matches into temp.search_hit (this connection's
 * own; emptied by the next search) and their number in *N: the NEWEST
 * (highest numbers) of S's class only when NEWEST > 0.  0 or -1. */
int search_load(db_t *db, struct search *s, int64_t newest, int64_t *n);

/* Puts the COUNT work orders N (SQLite) into temp.search_hit as
 * search_load does.  0 or -1. */
int search_load_numbers(db_t *db, const int64_t *n, size_t count);

/* Makes the work orders S matches the connection's hit set (fw_hit, db.h)
 * and their number *N: a bitmap, quicker to fill than a table; *LAST (when
 * not NULL) the highest work order number among them (the index gives
 * them in number order, so with a CAP the last one taken).  0, 1 when
 * they do not fit one or the work passed about STEPS (> 0; db_budget), 2
 * when there are more than CAP (> 0) -- the hit set then holds some of
 * them only, *N is CAP + 1 --, or -1 on a database error.  SQLite only.
 * The same collection again on a connection, the database unchanged, is
 * answered from the hit set already there. */
int search_collect(db_t *db, struct search *s, int64_t cap, long steps, int64_t *n, int64_t *last);
/* 1 when the connection's hit set holds every match of S, collected
 * while the database was as it is (a search again: another sort, the next
 * page), with their number in *N; else 0.  This function can't fail. */
int search_collected(db_t *db, struct search *s, int64_t *n);
/* Sets *FROM to the lowest work order number among the N highest-numbered
 * matches of S (0 when there are none).  0, or -1 on a database error.
 * SQLite only. */
int search_top(db_t *db, struct search *s, int64_t n, int64_t *from);

/* Counts S's matches (of its company and class; on PostgreSQL of its
 * company, every class) in the index, up to CAP (*CAPPED set when there
 * are more) and about STEPS of work (SQLite's db_budget; past it *TOTAL
 * is what was counted and *CAPPED is set).  0 or -1. */
int search_count(db_t *db, struct search *s, int64_t cap, long steps, int64_t *total, int *capped);

/* Keeps in ORGS (N) the companies with a work order S (of every company,
 * of its class) matches: a walk of a company with none would read every
 * row it has.  SQLite asks its scoped index; PostgreSQL reads the matches
 * search_load gathered (call it first).  Returns how many (at least one:
 * company 0, which owns nothing, stands for none), or -1. */
int search_companies(db_t *db, struct search *s, int64_t *orgs, int n);
/* Makes the connection's hit set every match of S in the whole index
 * (every company's, every class's: a list's scan keeps to its own), from
 * the sets the process keeps of the words most work orders have, made
 * here where missing (SQLite).  0, 1 when the matches are not found this
 * way (a prefix of too many words, PostgreSQL: the caller walks), or -1
 * on a database error. */
int search_dense(db_t *db, struct search *s);
/* Makes the sets search_dense keeps of the words the index finds in more
 * than MANY work orders, the most common first, one word at a time while
 * BUSY(ARG) answers 0 (the server's quiet moments, on a connection of its
 * own, db_background's; one caller: the words are found at the first call, and each call
 * goes on where the last stopped).  1 when every word's set is made, 0
 * when BUSY stopped it first, or -1 on a database error. */
int search_dense_warm(db_t *db, int64_t many, int (*busy)(void *), void *arg);
/* The sets kept from words of KEEP_FROM matches on (20,000 unless set;
 * 0 leaves it).  This function can't fail. */
void search_dense_tune(int64_t keep_from);

#endif
