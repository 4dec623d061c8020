/* db_vfs.c -- SQLite's files read ahead backwards too (see db_int.h).
 *
 * An index walked in descending order (a list sorted Z to A, a search's
 * walk from the newest) reads its leaves from the last to the first, each
 * page the one before the page read last.  Linux reads ahead only what is
 * read forward: where the machine has let the file's pages go, each of
 * those reads waits on the disk alone (some 70 us a page on a virtual
 * disk, against 7 us a page read forward).  This VFS hands everything to
 * SQLite's own and, on a main database file, asks the kernel for the
 * BACK_WINDOW bytes before a read once BACK_RUN reads in a row have each
 * gone one page back: the same pages, read in one go ahead of the walk.
 * Other reads may come between (a walk's rows, a page's list rows): a
 * few such streams are followed at once.  The advice goes through a
 * descriptor of its own, one a file for the process and never closed:
 * closing any descriptor of a file ends every POSIX lock the process
 * holds on it, SQLite's too (another process could then checkpoint and
 * remove the WAL under this one's readers). */
#include "db_int.h"

#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BACK_RUN 2                  /* reads one page back each before asking */
#define BACK_WINDOW (512 * 1024)    /* bytes asked for at a time */
#define BACK_STREAMS 4              /* backward walks followed at once */
#define BACK_FILES 64               /* files given a descriptor for the advice */

struct back_stream {
	sqlite3_int64 last;    /* offset of its last read; -1: none */
	sqlite3_int64 asked;   /* lowest offset asked for; -1: none yet */
	int run;               /* reads in a row one page back each */
};

struct back_file {
	sqlite3_file base;      /* this file's methods: first */
	sqlite3_file *real;     /* the default VFS's file, right after this struct */
	int fd;                 /* the file's descriptor for the advice (back_fd); -1: none */
	unsigned next;          /* the stream a new read replaces */
	struct back_stream s[BACK_STREAMS];
};

#define REAL(f) (((struct back_file *)(f))->real)

/* Follows a read of AMT bytes at OFF and asks for the window before it
 * where it continues a walk backwards.  This function can't fail: the
 * advice is only advice. */
static void
back_follow(struct back_file *f, int amt, sqlite3_int64 off)
{
	struct back_stream *st = NULL;
	for (int i = 0; i < BACK_STREAMS && !st; i++)
		if (f->s[i].last >= 0 && f->s[i].last == off + amt)
			st = &f->s[i];
	if (!st) {
		st = &f->s[f->next++ % BACK_STREAMS];
		st->run = 0;
		st->asked = -1;
	} else {
		st->run++;
	}
	st->last = off;
	if (st->run < BACK_RUN || (st->asked >= 0 && off - st->asked > BACK_WINDOW / 2))
		return;
	sqlite3_int64 top = st->asked >= 0 && st->asked < off ? st->asked : off;
	sqlite3_int64 lo = top > BACK_WINDOW ? top - BACK_WINDOW : 0;
	if (top > lo)
		(void)posix_fadvise(f->fd, (off_t)lo, (off_t)(top - lo), POSIX_FADV_WILLNEED);
	st->asked = lo;
}

static int
back_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
	struct back_file *f = (struct back_file *)file;
	if (f->fd >= 0)
		back_follow(f, amt, off);
	return f->real->pMethods->xRead(f->real, buf, amt, off);
}

static int
back_close(sqlite3_file *file)
{
	struct back_file *f = (struct back_file *)file;
	return f->real->pMethods->xClose(f->real);   /* f->fd stays open: see above */
}

static struct {
	pthread_mutex_t lock;
	int n;
	struct { dev_t dev; ino_t ino; int fd; } f[BACK_FILES];
} back_fds = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The process's descriptor for the advice on the file at NAME, opened on
 * the first call for that file and never closed; -1 when there is none
 * (then no advice).  This function can't fail otherwise. */
static int
back_fd(const char *name)
{
	struct stat st, at;
	if (stat(name, &st) != 0)
		return -1;
	int fd = -1;
	pthread_mutex_lock(&back_fds.lock);
	for (int i = 0; i < back_fds.n && fd < 0; i++)
		if (back_fds.f[i].dev == st.st_dev && back_fds.f[i].ino == st.st_ino)
			fd = back_fds.f[i].fd;
	if (fd < 0 && back_fds.n < BACK_FILES && (fd = open(name, O_RDONLY | O_CLOEXEC)) >= 0) {
		/* another file by now (renamed over): kept open all the same, as
		 * this process may hold locks on that one too */
		int known = fstat(fd, &at) == 0, same = known && at.st_dev == st.st_dev && at.st_ino == st.st_ino;
		if (!known)
			at = st;
		back_fds.f[back_fds.n].dev = at.st_dev;
		back_fds.f[back_fds.n].ino = at.st_ino;
		back_fds.f[back_fds.n++].fd = fd;
		fd = same ? fd : -1;
	}
	pthread_mutex_unlock(&back_fds.lock);
	return fd;
}

/* The rest as the default VFS's file has it. */
static int back_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o) { return REAL(f)->pMethods->xWrite(REAL(f), b, n, o); }
static int back_truncate(sqlite3_file *f, sqlite3_int64 n) { return REAL(f)->pMethods->xTruncate(REAL(f), n); }
static int back_sync(sqlite3_file *f, int flags) { return REAL(f)->pMethods->xSync(REAL(f), flags); }
static int back_size(sqlite3_file *f, sqlite3_int64 *n) { return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int back_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int back_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int back_reserved(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int back_control(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int back_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int back_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int back_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **p) { return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, p); }
static int back_shm_lock(sqlite3_file *f, int o, int n, int fl) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void back_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int back_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int back_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p) { return REAL(f)->pMethods->xFetch(REAL(f), o, n, p); }
static int back_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p) { return REAL(f)->pMethods->xUnfetch(REAL(f), o, p); }

static const sqlite3_io_methods back_methods = {
	3, back_close, back_read, back_write, back_truncate, back_sync, back_size, back_lock, back_unlock,
	back_reserved, back_control, back_sector, back_device, back_shm_map, back_shm_lock, back_shm_barrier,
	back_shm_unmap, back_fetch, back_unfetch,
};

static int
back_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
	sqlite3_vfs *real = vfs->pAppData;
	struct back_file *f = (struct back_file *)file;
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(f + 1);
	f->fd = -1;
	for (int i = 0; i < BACK_STREAMS; i++)
		f->s[i].last = f->s[i].asked = -1;
	int rc = real->xOpen(real, name, f->real, flags, out);
	if (rc != SQLITE_OK || !f->real->pMethods || f->real->pMethods->iVersion < 3) {
		if (rc == SQLITE_OK)   /* a file without WAL's methods: not one of ours */
			f->real->pMethods->xClose(f->real);
		else if (f->real->pMethods)
			f->real->pMethods->xClose(f->real);
		file->pMethods = NULL;
		return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
	}
	if ((flags & SQLITE_OPEN_MAIN_DB) && name)
		f->fd = back_fd(name);   /* none: no advice, reads as before */
	file->pMethods = &back_methods;
	return SQLITE_OK;
}

static sqlite3_vfs back_vfs;
static pthread_once_t back_once = PTHREAD_ONCE_INIT;
static int back_ok;

static int vfs_delete(sqlite3_vfs *v, const char *n, int s) { sqlite3_vfs *r = v->pAppData; return r->xDelete(r, n, s); }
static int vfs_access(sqlite3_vfs *v, const char *n, int fl, int *o) { sqlite3_vfs *r = v->pAppData; return r->xAccess(r, n, fl, o); }
static int vfs_full(sqlite3_vfs *v, const char *n, int sz, char *o) { sqlite3_vfs *r = v->pAppData; return r->xFullPathname(r, n, sz, o); }
static void *vfs_dlopen(sqlite3_vfs *v, const char *n) { sqlite3_vfs *r = v->pAppData; return r->xDlOpen(r, n); }
static void vfs_dlerror(sqlite3_vfs *v, int n, char *m) { sqlite3_vfs *r = v->pAppData; r->xDlError(r, n, m); }
static void (*vfs_dlsym(sqlite3_vfs *v, void *h, const char *s))(void) { sqlite3_vfs *r = v->pAppData; return r->xDlSym(r, h, s); }
static void vfs_dlclose(sqlite3_vfs *v, void *h) { sqlite3_vfs *r = v->pAppData; r->xDlClose(r, h); }
static int vfs_random(sqlite3_vfs *v, int n, char *o) { sqlite3_vfs *r = v->pAppData; return r->xRandomness(r, n, o); }
static int vfs_sleep(sqlite3_vfs *v, int us) { sqlite3_vfs *r = v->pAppData; return r->xSleep(r, us); }
static int vfs_time(sqlite3_vfs *v, double *t) { sqlite3_vfs *r = v->pAppData; return r->xCurrentTime(r, t); }
static int vfs_error(sqlite3_vfs *v, int n, char *m) { sqlite3_vfs *r = v->pAppData; return r->xGetLastError(r, n, m); }
static int vfs_time64(sqlite3_vfs *v, sqlite3_int64 *t) { sqlite3_vfs *r = v->pAppData; return r->xCurrentTimeInt64(r, t); }

static void
back_register(void)
{
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);
	if (!real || real->iVersion < 2)
		return;
	back_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(struct back_file) + real->szOsFile,
		.mxPathname = real->mxPathname,
		.zName = DB_VFS_NAME,
		.pAppData = real,
		.xOpen = back_open, .xDelete = vfs_delete, .xAccess = vfs_access, .xFullPathname = vfs_full,
		.xDlOpen = vfs_dlopen, .xDlError = vfs_dlerror, .xDlSym = vfs_dlsym, .xDlClose = vfs_dlclose,
		.xRandomness = vfs_random, .xSleep = vfs_sleep, .xCurrentTime = vfs_time, .xGetLastError = vfs_error,
		.xCurrentTimeInt64 = vfs_time64,
	};
	back_ok = sqlite3_vfs_register(&back_vfs, 0) == SQLITE_OK;
}

const char *
db_vfs(void)
{
	pthread_once(&back_once, back_register);
	return back_ok ? DB_VFS_NAME : NULL;
}
