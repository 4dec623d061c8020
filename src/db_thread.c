/* db_thread.c -- the server's connections (db.h's db_thread*): one per
 * worker thread; the process's writer, one SQLite connection through
 * which every worker's write transaction goes, one at a time; and the
 * thread that checkpoints the WAL.
 *
 * Why one writer: a commit by one connection makes every other one drop
 * its page cache (and unmap the file) at its next transaction.  On
 * connections of their own, each write reloaded, with the write lock
 * held, the pages the write before it by another thread had touched.
 * The writer keeps its cache from one write to the next, and a worker
 * waits for it on a mutex instead of polling SQLite's lock.
 *
 * Why a checkpointer: SQLite copies the WAL's pages back into the
 * database (with fsyncs) inside the commit that filled it, ~7 ms each
 * 1,000 pages with the writer held and every other write waiting.  The
 * writer's WAL hook only notes the WAL's size and wakes this thread,
 * which checkpoints on its own connection while the workers write.  Such
 * a checkpoint never catches up with the writes made meanwhile, and only
 * a WAL copied to its end starts again from its beginning: past
 * CKPT_RESTART pages the rest is copied with the writer held, and past
 * CKPT_LIMIT (writes outrunning the disk) the writer checkpoints itself. */
#include "db_int.h"
#include "util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define CKPT_PAGES 4000       /* a checkpoint each 4,000 pages written (16 MiB of 4 KiB pages) */
#define CKPT_RESTART 8000     /* 32 MiB: the rest copied with the writer held, */
#define WAL_KEEP "67108864"   /* and the file cut back to 64 MiB when it starts again; */
#define CKPT_LIMIT 16000      /* 64 MiB: the thread is behind, the writer checkpoints in its commit */

static char *thread_path;    /* db_thread_init()'s */
static pthread_mutex_t thread_lock = PTHREAD_MUTEX_INITIALIZER;
static db_t *thread_dbs;     /* every worker's, under thread_lock */
static _Thread_local db_t *thread_db;

static pthread_mutex_t writer_mu = PTHREAD_MUTEX_INITIALIZER;
static db_t *writer;         /* opened at the first write, under writer_mu */

static pthread_mutex_t ckpt_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ckpt_cv = PTHREAD_COND_INITIALIZER;
static pthread_t ckpt_thread;
static int ckpt_started, ckpt_wanted, ckpt_stopping;   /* under ckpt_mu */
static atomic_int ckpt_from;   /* the WAL's size when the last checkpoint began */
/* held by the thread while it checkpoints without the writer: SQLite
 * runs one checkpoint at a time, and another one asked for meanwhile
 * gives up (SQLITE_BUSY) instead of waiting */
static pthread_mutex_t ckpt_run_mu = PTHREAD_MUTEX_INITIALIZER;
static db_t *ckpt_db;          /* the checkpointer's connection */

/* The writer's WAL hook, in its commits, with the writer held. */
static int
wal_hook(void *arg, sqlite3 *h, const char *schema, int pages)
{
	if (pages >= CKPT_LIMIT) {
		/* writes faster than the disk takes them back: they wait, as
		 * SQLite's own checkpoints make them -- for the thread's
		 * checkpoint to end, then for their own, which copies the WAL to
		 * its end (no write comes meanwhile; only a reader's old snapshot
		 * can hold frames back), so the next write starts it again.  The
		 * thread takes the writer only after giving ckpt_run_mu back. */
		pthread_mutex_lock(&ckpt_run_mu);
		sqlite3_wal_checkpoint_v2(h, schema, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_unlock(&ckpt_run_mu);
		return SQLITE_OK;
	}
	int from = atomic_load(&ckpt_from);
	if (pages < from)
		atomic_store(&ckpt_from, from = 0);   /* the WAL started again */
	if (pages - from < CKPT_PAGES)
		return SQLITE_OK;
	pthread_mutex_lock(&ckpt_mu);
	ckpt_wanted = 1;
	pthread_cond_signal(&ckpt_cv);
	pthread_mutex_unlock(&ckpt_mu);
	return SQLITE_OK;
}

/* PASSIVE: waits for no reader and no writer; what a reader still sees
 * is copied by a later one. */
static void
checkpoint(void)
{
	int log = 0, done = 0;
	pthread_mutex_lock(&ckpt_run_mu);
	int rc = sqlite3_wal_checkpoint_v2(ckpt_db->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	pthread_mutex_unlock(&ckpt_run_mu);
	atomic_store(&ckpt_from, log);
	if (rc != SQLITE_OK || log < CKPT_RESTART)
		return;
	pthread_mutex_lock(&writer_mu);
	sqlite3_wal_checkpoint_v2(ckpt_db->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	pthread_mutex_unlock(&writer_mu);
}

static void *
ckpt_loop(void *arg)
{
	pthread_mutex_lock(&ckpt_mu);
	for (;;) {
		while (!ckpt_wanted && !ckpt_stopping)
			pthread_cond_wait(&ckpt_cv, &ckpt_mu);
		if (ckpt_stopping)
			break;
		ckpt_wanted = 0;
		pthread_mutex_unlock(&ckpt_mu);
		checkpoint();
		pthread_mutex_lock(&ckpt_mu);
	}
	pthread_mutex_unlock(&ckpt_mu);
	return NULL;
}

/* Opens the writer and starts the checkpointer, under writer_mu.  0 or
 * -1; without the checkpointer the writer checkpoints as SQLite does. */
static int
writer_open(void)
{
	char err[256];
	if (!thread_path || db_open(thread_path, &writer, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "writer connection: %s", thread_path ? err : "no path");
		return -1;
	}
	if (db_open(thread_path, &ckpt_db, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "checkpointer connection: %s", err);
		return 0;
	}
	sqlite3_wal_autocheckpoint(ckpt_db->h, 0);
	ckpt_wanted = ckpt_stopping = 0;
	atomic_store(&ckpt_from, 0);
	if (pthread_create(&ckpt_thread, NULL, ckpt_loop, NULL) != 0) {
		log_msg(LOG_ERR, "checkpointer: cannot start its thread");
		db_close(ckpt_db);
		ckpt_db = NULL;
		return 0;
	}
	ckpt_started = 1;
	sqlite3_wal_hook(writer->h, wal_hook, NULL);   /* no checkpoint inside its commits */
	if (db_exec1(writer, "PRAGMA journal_size_limit=" WAL_KEEP) != DB_DONE)
		log_msg(LOG_WARN, "writer connection: the WAL's size is not limited");
	return 0;
}

int
db_thread_take(db_t *db)
{
	pthread_mutex_lock(&writer_mu);
	if (!writer && writer_open() != 0) {
		pthread_mutex_unlock(&writer_mu);
		return -1;
	}
	db->via = writer;
	return 0;
}

void
db_thread_give(db_t *db)
{
	if (!db->via)
		return;
	db->via = NULL;
	pthread_mutex_unlock(&writer_mu);
}

void
db_thread_end_request(db_t *db)
{
	if (!db->via)
		return;
	log_msg(LOG_ERR, "a request left a write transaction open: rolled back");
	db_rollback(db);
}

void
db_thread_init(const char *path)
{
	free(thread_path);
	thread_path = strdup(path);
}

db_t *
db_thread(void)
{
	if (thread_db)
		return thread_db;
	char err[256];
	db_t *db;
	if (!thread_path || db_open(thread_path, &db, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "worker database: %s", thread_path ? err : "no path");
		return NULL;
	}
	db->shares_writer = !db->pg;
	pthread_mutex_lock(&thread_lock);
	db->next_thread = thread_dbs;
	thread_dbs = db;
	pthread_mutex_unlock(&thread_lock);
	thread_db = db;
	return db;
}

void
db_thread_close_all(void)
{
	pthread_mutex_lock(&ckpt_mu);
	ckpt_stopping = 1;
	pthread_cond_signal(&ckpt_cv);
	pthread_mutex_unlock(&ckpt_mu);
	if (ckpt_started)
		pthread_join(ckpt_thread, NULL);
	ckpt_started = 0;
	db_close(ckpt_db);
	ckpt_db = NULL;
	pthread_mutex_lock(&thread_lock);
	while (thread_dbs) {
		db_t *n = thread_dbs->next_thread;
		db_close(thread_dbs);
		thread_dbs = n;
	}
	pthread_mutex_unlock(&thread_lock);
	pthread_mutex_lock(&writer_mu);
	db_close(writer);
	writer = NULL;
	pthread_mutex_unlock(&writer_mu);
	thread_db = NULL;
	free(thread_path);
	thread_path = NULL;
}
