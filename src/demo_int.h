/* demo_int.h -- what the demo generator's files share; not part of
 * demo.h's contract.  demo.c runs a fill from start to end and owns the
 * random stream; demo_ref.c makes the reference data (people, companies,
 * certifications, technicians, accounts and stations); demo_wo.c makes a
 * work order and its rows; demo_bulk.c what a large load does besides
 * (indexes dropped and built again, SQLite's second thread). */
#ifndef FW_DEMO_INT_H
#define FW_DEMO_INT_H

#include <pthread.h>
#include <stdint.h>

#include "db.h"
#include "demo.h"
#include "tz.h"
#include "util.h"

/* above this many work orders a fill is a bulk load */
#define DEMO_BULK_THRESHOLD 2000

/* The reference tables the work orders draw on (demo_ref.c).  The sizes
 * are part of their types: a table that grows without its size here does
 * not compile. */
#define DEMO_TERRITORIES 12
#define DEMO_PARTNERS 3
#define DEMO_WORK_TYPES 12
#define DEMO_CERTS 8
#define DEMO_OPERATOR_PEOPLE 3

struct demo_terr { const char *name, *zone, *partner; };
struct demo_wtype { const char *name, *short_name; int family; int parts; };
struct demo_partner { const char *name, *domain, *admin, *dispatcher, *techs[4]; };

extern const struct demo_terr demo_territories[DEMO_TERRITORIES];
extern const struct demo_wtype demo_work_types[DEMO_WORK_TYPES];
extern const struct demo_partner demo_partners[DEMO_PARTNERS];
extern const char *const demo_operator_people[DEMO_OPERATOR_PEOPLE];
/* which of a partner's four technicians goes for each station family */
extern const int demo_tech_for_family[3];

/* which of a work order's rows a generator writes */
enum { DEMO_EMIT_WO = 1, DEMO_EMIT_CHILDREN = 2, DEMO_EMIT_ALL = 3, DEMO_EMIT_SEARCH = 4 };

/* An account as the generator keeps it, with its contact and stations. */
struct demo_acct {
	int64_t id;
	char name[80], street[64], city[40], state[32], zip[8];
	int terr;
	int64_t contact;
	int64_t stations[5];
	int nstations;
	int station_family[5];
	const char *station_model[5];
};

/* One generator: the database it writes, the ids of the reference data
 * it made, and its prepared inserts. */
struct demo_ctx {
	db_t *db;
	const struct demo_opts *o;
	char *err;
	size_t errlen;
	int64_t org_operator, org_partner[DEMO_PARTNERS];
	int64_t cse[DEMO_OPERATOR_PEOPLE];
	int64_t terr_id[DEMO_TERRITORIES];
	int64_t ent_assure, ent_nonassure;
	int64_t wtype_id[DEMO_WORK_TYPES];
	int64_t cert_id[DEMO_CERTS];
	int64_t partner_admin[DEMO_PARTNERS];
	int64_t tech_id[DEMO_PARTNERS][4];
	int naccounts;
	/* the hot inserts, prepared once */
	db_stmt *st_hist, *st_wo, *st_wos, *st_woli, *st_po, *st_asg, *st_fts, *st_fts_org, *st_count;
	int emit;   /* DEMO_EMIT_*: which of a work order's rows this generator writes */
	int copy;   /* the hot inserts are bulk inserts (db_prep_bulk), owned here */
	struct demo_acct *accts;   /* naccounts of them, owned here */
};

/* The random stream, per thread: a bulk load runs the same generator in
 * two threads, each from the same state (demo.c). */
extern _Thread_local uint64_t demo_rng;

/* The stream's next number.  This function can't fail. */
uint64_t demo_rnd(void);

/* A number in [0, N) from the stream (inline: the compiler then knows
 * the range where N is a constant).  This function can't fail. */
static inline int
demo_rn(int n)
{
	return (int)(demo_rnd() % (uint64_t)n);
}

/* On a bulk load, says on stderr how long the load has run and WHAT it
 * finished.  This function can't fail. */
void demo_phase(const struct demo_ctx *c, const char *what);

/* Writes "demo: WHAT: <the database's message>" into C's ERR.  Returns
 * -1, for the caller to return. */
int demo_fail(struct demo_ctx *c, const char *what);

/* Steps S once and ends it.  0 when it ran to the end, else -1 with ERR
 * (S NULL: a failed prepare). */
int demo_step_done(struct demo_ctx *c, db_stmt *s, const char *what);

/* demo_ref.c: each 0, or -1 with C's ERR.  In this order: the people,
 * the reference data, the technicians, the accounts (which fill C's
 * accts, freed by the caller). */
int demo_ref_people(struct demo_ctx *c);
int demo_ref_reference(struct demo_ctx *c);
int demo_ref_technicians(struct demo_ctx *c);
int demo_ref_accounts(struct demo_ctx *c);

/* demo_wo.c: work order I of N and those of its rows C's emit names; the
 * first week's scenarios (after all work orders); a site with many part
 * orders (once the part orders are in).  Each 0, or -1 with C's ERR. */
int demo_wo_make(struct demo_ctx *c, long i, long n, const struct tz *central);
int demo_wo_scenarios(struct demo_ctx *c, const struct tz *central);
int demo_wo_many_part_orders(struct demo_ctx *c);

/* demo_bulk.c */

/* Index and trigger definitions dropped for a bulk load, to restore. */
struct demo_saved_sql { char **sql; size_t n; };

/* Drops the list indexes and the search and count triggers (PostgreSQL:
 * the loaded tables' secondary indexes, foreign keys and the counters'
 * triggers) and keeps their definitions in SV.  0, or -1 with ERR. */
int demo_bulk_drop(struct demo_ctx *c, struct demo_saved_sql *sv);

/* Creates again what demo_bulk_drop dropped and frees SV's; then, unless
 * INDEXED_ELSEWHERE (the loader did), counts and indexes the work orders.
 * 0, or -1 with ERR. */
int demo_bulk_restore(struct demo_ctx *c, struct demo_saved_sql *sv, int indexed_elsewhere);

/* Sends the rows the bulk inserts still hold and ends them (SEND 0: drops
 * them, after a failure).  0, or -1 with ERR. */
int demo_bulk_end_copies(struct demo_ctx *c, int send);

/* SQLite's second thread of a bulk load (see demo_bulk.c). */
struct demo_loader {
	struct demo_ctx c;
	const struct tz *central;
	uint64_t rng;
	char path[1024];
	char err[512];
	pthread_t thread;
	int started, rc;
	_Atomic int stop;   /* the first thread failed: give up */
};

/* Starts L on a copy of C and turns C into the work-order-only
 * generator; waits for L; copies L's tables into C's database.  Each 0,
 * or -1 with a message in C's ERR. */
int demo_bulk_loader_start(struct demo_loader *l, struct demo_ctx *c, const struct tz *central);
int demo_bulk_loader_wait(struct demo_loader *l, struct demo_ctx *c);
int demo_bulk_loader_copy(struct demo_loader *l, struct demo_ctx *c);

/* Stops L if it runs and removes its scratch file.  This function can't
 * fail. */
void demo_bulk_loader_abandon(struct demo_loader *l);

#endif
