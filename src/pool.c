/* pool.c -- see pool.h.  Chunks are chained; big requests get a chunk of
 * their own so the common small case wastes little. */
#include "pool.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_CHUNK 8192

struct pool_chunk {
	struct pool_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char mem[];
};

void
pool_init(pool_t *p, size_t cap)
{
	p->head = NULL;
	p->total = 0;
	p->cap = cap;
}

void *
pool_alloc(pool_t *p, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	if (p->total + n > p->cap)
		return NULL;
	struct pool_chunk *c = p->head;
	if (!c || c->size - c->used < n) {
		size_t sz = n > POOL_CHUNK / 2 ? n : POOL_CHUNK;
		c = malloc(sizeof(*c) + sz);
		if (!c)
			return NULL;
		c->size = sz;
		c->used = 0;
		if (n > POOL_CHUNK / 2 && p->head) {
			/* keep the current small chunk at the head */
			c->next = p->head->next;
			p->head->next = c;
		} else {
			c->next = p->head;
			p->head = c;
		}
	}
	void *r = c->mem + c->used;
	c->used += n;
	p->total += n;
	memset(r, 0, n);
	return r;
}

char *
pool_strndup(pool_t *p, const char *s, size_t n)
{
	char *d = pool_alloc(p, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
pool_strdup(pool_t *p, const char *s)
{
	return pool_strndup(p, s, strlen(s));
}

char *
pool_printf(pool_t *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *d = pool_alloc(p, (size_t)n + 1);
	if (!d)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

void
pool_clear(pool_t *p)
{
	struct pool_chunk *c = p->head;
	while (c) {
		struct pool_chunk *n = c->next;
		free(c);
		c = n;
	}
	p->head = NULL;
	p->total = 0;
}

/* ---- the JSON arena ----
 *
 * A page's view-model is hundreds of small jansson values that all die
 * together when the page has been rendered.  While a thread has its arena
 * open they are carved from one block the thread keeps (no malloc, no
 * free, no allocator locks); the block is reset when the arena closes.
 * Past the block, and whenever the arena is closed, jansson gets plain
 * malloc.  Freeing tells the two apart by address. */

#define ARENA_SIZE (4u << 20)

struct arena {
	unsigned char *base;
	size_t used;
	int open;
};

static _Thread_local struct arena arena;

static void *
arena_malloc(size_t n)
{
	struct arena *a = &arena;
	if (a->open && a->base) {
		size_t need = (n + 15) & ~(size_t)15;
		if (need <= ARENA_SIZE - a->used) {
			void *p = a->base + a->used;
			a->used += need;
			return p;
		}
	}
	return malloc(n);
}

static void
arena_free(void *p)
{
	struct arena *a = &arena;
	unsigned char *q = p;
	if (a->base && q >= a->base && q < a->base + ARENA_SIZE)
		return;   /* reclaimed when the arena closes */
	free(p);
}

void
pool_json_install(void)
{
	json_set_alloc_funcs(arena_malloc, arena_free);
}

void
pool_json_open(void)
{
	struct arena *a = &arena;
#ifdef __SANITIZE_ADDRESS__
	return;   /* the sanitizer build checks every JSON value's lifetime */
#endif
	if (!a->base)
		a->base = malloc(ARENA_SIZE);   /* NULL: plain malloc throughout */
	a->used = 0;
	a->open = 1;
}

void
pool_json_close(void)
{
	arena.open = 0;
	arena.used = 0;
}
