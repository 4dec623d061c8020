/* dbmem.c -- see dbmem.h.  Two classes of slot, for the buffers of 4 KiB
 * and of 8 KiB database pages (each with SQLite's header for the page),
 * each in its own reserved range of address space: a range is handed out
 * from its start as slots are first needed and freed slots go on a list,
 * newest first, so that a refilled cache takes the memory just dropped.
 * The ranges are reserved, not committed: only slots ever used count in
 * the process's memory. */
#include "dbmem.h"

#include <malloc.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE (2u << 20)
#define CLASS_RANGE ((size_t)1 << 30)   /* per class: a gibibyte of page buffers at most, then malloc */

struct slot { struct slot *next; };

struct cls {
	size_t lo, size;          /* requests of lo+1 .. size bytes */
	char *base, *next, *end;  /* the range, and where unused slots start */
	struct slot *free;
	size_t used;
};

static struct cls classes[] = {
	{ 4096, 4096 + 1024, NULL, NULL, NULL, NULL, 0 },
	{ 8192, 8192 + 1024, NULL, NULL, NULL, NULL, 0 },
};
#define NCLASS (sizeof(classes) / sizeof(classes[0]))

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct cls *
class_for_size(size_t n)
{
	for (size_t i = 0; i < NCLASS; i++)
		if (n > classes[i].lo && n <= classes[i].size)
			return &classes[i];
	return NULL;
}

static struct cls *
class_of(const void *p)
{
	for (size_t i = 0; i < NCLASS; i++)
		if ((const char *)p >= classes[i].base && (const char *)p < classes[i].end)
			return &classes[i];
	return NULL;
}

/* A slot of C, or NULL when its range is spent. */
static void *
slot_get(struct cls *c)
{
	pthread_mutex_lock(&lock);
	void *p = c->free;
	if (p)
		c->free = c->free->next;
	else if ((size_t)(c->end - c->next) >= c->size) {
		p = c->next;
		c->next += c->size;
	}
	if (p)
		c->used++;
	pthread_mutex_unlock(&lock);
	return p;
}

static void
slot_put(struct cls *c, void *p)
{
	struct slot *s = p;
	pthread_mutex_lock(&lock);
	s->next = c->free;
	c->free = s;
	c->used--;
	pthread_mutex_unlock(&lock);
}

static void *
mem_malloc(int n)
{
	struct cls *c = class_for_size((size_t)n);
	void *p = c ? slot_get(c) : NULL;
	return p ? p : malloc((size_t)n);
}

static void
mem_free(void *p)
{
	struct cls *c = class_of(p);
	if (c)
		slot_put(c, p);
	else
		free(p);
}

static int
mem_size(void *p)
{
	struct cls *c = p ? class_of(p) : NULL;
	return c ? (int)c->size : p ? (int)malloc_usable_size(p) : 0;
}

static void *
mem_realloc(void *p, int n)
{
	struct cls *c = class_of(p);
	if (!c)
		return realloc(p, (size_t)n);
	if (class_for_size((size_t)n) == c)
		return p;
	void *q = mem_malloc(n);
	if (q) {
		memcpy(q, p, (size_t)n < c->size ? (size_t)n : c->size);
		slot_put(c, p);
	}
	return q;
}

static int
mem_roundup(int n)
{
	return (n + 7) & ~7;
}

static int
mem_init(void *arg)
{
	return SQLITE_OK;
}

static void
mem_shutdown(void *arg)
{
}

/* Reserves C's range, its start on a huge page.  0 or -1. */
static int
reserve(struct cls *c)
{
	char *p = mmap(NULL, CLASS_RANGE + HUGE_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	char *start = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	(void)madvise(start, CLASS_RANGE, MADV_HUGEPAGE);   /* a kernel without it: 4 KiB pages */
	c->base = c->next = start;
	c->end = start + CLASS_RANGE;
	return 0;
}

int
dbmem_init(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return 0;
#endif
#endif
	static const sqlite3_mem_methods methods = {
		mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup, mem_init, mem_shutdown, NULL,
	};
	for (size_t i = 0; i < NCLASS; i++)
		if (!classes[i].base && reserve(&classes[i]) != 0)
			return -1;
	return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK ? 1 : -1;
}

size_t
dbmem_in_use(void)
{
	pthread_mutex_lock(&lock);
	size_t n = 0;
	for (size_t i = 0; i < NCLASS; i++)
		n += classes[i].used;
	pthread_mutex_unlock(&lock);
	return n;
}

size_t
dbmem_touched(void)
{
	pthread_mutex_lock(&lock);
	size_t n = 0;
	for (size_t i = 0; i < NCLASS; i++)
		n += (size_t)(classes[i].next - classes[i].base);
	pthread_mutex_unlock(&lock);
	return n;
}

void
dbmem_prefault(size_t bytes)
{
	struct cls *c = &classes[0];
	if (c->base)
		(void)madvise(c->base, bytes < CLASS_RANGE ? bytes : CLASS_RANGE, MADV_POPULATE_WRITE);
}
