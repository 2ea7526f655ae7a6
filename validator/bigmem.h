/* bigmem.h — memory for the buffers that grow with the dump or are large and long-lived (the object index and
 * its side table, the ledger's batches).
 *
 * Two costs dominated them on large dumps (perf, 1 GB generated dump, 11 M objects): realloc copying the
 * object index each time it grew (8% of the run: glibc copied the 180 MB block rather than remap it), and
 * first-touch page faults (a tenth of the run on a 100 MB dump in a VM). So a growing buffer is its own
 * mapping, grown by mremap (the kernel moves page tables, never bytes), and large ones are backed by
 * transparent huge pages where the kernel offers them (advice only: nothing changes where THP is off). */
#ifndef HD_BIGMEM_H
#define HD_BIGMEM_H

#include <stddef.h>

/* Grow (or first allocate, p == NULL, old == 0) a buffer to `bytes`; its contents are kept. NULL when out of
 * memory, and then p is untouched and still the caller's. */
void *bigmem_grow(void *p, size_t old, size_t bytes);
void  bigmem_free(void *p, size_t bytes);

/* Huge pages for [p, p + n) (the whole 2 MiB pages inside it). */
void  bigmem_advise_huge(void *p, size_t n);

#endif
