/* pool.h -- a memory pool per request: many small allocations, freed in
 * one go when the request ends (as h2o does).  A pool has a hard cap; an
 * allocation past it returns NULL, which callers map to 413/500. */
#ifndef FW_POOL_H
#define FW_POOL_H

#include <stddef.h>

struct pool_chunk;

typedef struct pool {
	struct pool_chunk *head;
	size_t total;   /* bytes handed out so far */
	size_t cap;     /* hard limit on total */
} pool_t;

void pool_init(pool_t *p, size_t cap);
/* Returns zeroed memory aligned for any type, or NULL past the cap. */
void *pool_alloc(pool_t *p, size_t n);
/* Copies S (N bytes) and terminates it; NULL past the cap. */
char *pool_strndup(pool_t *p, const char *s, size_t n);
char *pool_strdup(pool_t *p, const char *s);
char *pool_printf(pool_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees everything the pool handed out; the pool can be used again. */
void pool_clear(pool_t *p);

/* The JSON arena: between pool_json_open() and pool_json_close() on a
 * thread, jansson's allocations on that thread come from a block the
 * thread keeps and are all released at once by the close; every JSON value
 * made in between must be gone (decref'd) by then.  Install once, before
 * any JSON value exists.  These functions can't fail: without memory for
 * the block, jansson simply uses malloc. */
void pool_json_install(void);
void pool_json_open(void);
void pool_json_close(void);

#endif
