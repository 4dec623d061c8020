/* db_match.h -- SQL functions on every SQLite connection that read text
 * the way the search index (FTS5, tokenize='unicode61 remove_diacritics
 * 2') does, so a statement can test a row against a search without asking
 * the index for every match first:
 *
 *   fw_fold(TEXT)  the tokens of TEXT as the index keeps them (case and
 *                  diacritics folded), separated by single spaces.
 *   fw_scoped(ORG, CLASS, V1, V2, ...)  the tokens of the values, folded
 *                  the same way, each behind ORG's prefix ("12xword"),
 *                  ORG's and CLASS's ("12k0xword") and CLASS's ("k0xword"):
 *                  the text of the search index scoped by company and
 *                  status class (wo_fts_org).
 *   fw_match(TERMS, V1, V2, ...)  1 when every word of TERMS (folded and
 *                  separated by single spaces, as fw_fold writes them)
 *                  begins a token of one of the values, else 0 -- what
 *                  the index answers for the same words, each a prefix,
 *                  over the same columns.
 *   fw_collect(N)  an aggregate: the numbers N of its rows become the
 *                  connection's hit set (replacing the last); answers how
 *                  many, or NULL when they span more than 2^28.
 *   fw_collect_more(N)  the same, added to the hit set (the numbers
 *                  after the set's first chunk's start).
 *   fw_hit(N)      1 when N is in the hit set: a test that needs no more
 *                  than an index's row number.
 *
 * Used by db.c only; the functions themselves are the contract (db.h). */
#ifndef FW_DB_MATCH_H
#define FW_DB_MATCH_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct matcher;
struct db_hits;

/* Registers the functions on H with a tokenizer of their own, which *OUT
 * then names (SQLite frees it with H).  0, or -1 when FTS5 or its
 * unicode61 tokenizer is missing. */
int db_match_register(sqlite3 *h, struct matcher **out);
/* M's hit set, taken out (M's is then empty), for the caller to free
 * (db_hits_free); NULL when there is no memory or it did not fit. */
struct db_hits *db_match_take(struct matcher *m);
/* Makes D (NULL: an empty set) M's hit set, which owns it from then on.
 * This function can't fail. */
void db_match_give(struct matcher *m, struct db_hits *d);
/* M's hit set read in order (db_hits_scan, db_hit, db.h).  These
 * functions can't fail. */
void db_match_scan(const struct matcher *m, int64_t from, void (*fn)(void *, int64_t, uint64_t), void *arg);
int db_match_has(const struct matcher *m, int64_t number);

#endif
