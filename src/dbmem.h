/* dbmem.h -- the memory SQLite's page caches live in.
 *
 * Each connection keeps its own page cache, and SQLite drops a
 * connection's whole cache when another connection has committed: the
 * next read copies every page it needs in again.  With the C library's
 * allocator those buffers came from memory freshly given back to and
 * taken from the kernel, and on a virtual machine the first touch of each
 * 4 KiB page is a fault costing tens of microseconds: a search at a
 * million work orders read some 3,000 pages and spent 60 ms on faults
 * where a warm one takes 7.  dbmem keeps the page buffers in one region
 * that never goes back to the kernel, asked for in transparent huge pages
 * (one fault per 2 MiB where the kernel allows, "madvise" being Debian's
 * default), reused from a free list as caches are dropped and refilled.
 * Everything else SQLite allocates goes to malloc as before. */
#ifndef FW_DBMEM_H
#define FW_DBMEM_H

#include <stddef.h>

/* Makes SQLite allocate through dbmem: to be called before anything opens
 * a database (SQLite refuses the change once it is initialised).  Under
 * AddressSanitizer it leaves SQLite's allocator alone, so that the page
 * buffers stay checked.  Returns 1 when SQLite allocates through dbmem,
 * 0 under the sanitizer, or -1 when the range could not be reserved or
 * SQLite refused (its own allocator then stays, which is correct, only
 * slower). */
int dbmem_init(void);

/* Has the kernel back the first BYTES of the 4 KiB pages' range now, so
 * that the first reads of a new server fault no more than later ones: a
 * cold search at a million work orders took 25-50 ms where one after
 * another's write takes 13-15.  It counts in the process's memory from
 * then on.  For a thread with nothing else to do: it may take tens of
 * milliseconds.  This function can't fail (a kernel before 5.14 ignores
 * it). */
void dbmem_prefault(size_t bytes);

/* Page buffers handed out from the region and not yet freed, and the
 * region's bytes touched so far (for the tests).  These functions can't
 * fail. */
size_t dbmem_in_use(void);
size_t dbmem_touched(void);

#endif
