/* bigmem.c — see bigmem.h. Linux: mmap + mremap; elsewhere plain realloc. */
#define _GNU_SOURCE 1            /* mremap, madvise */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HUGE_FROM ((size_t)64 << 20)   /* below this a 2 MiB granularity would show in the memory budget */

void bigmem_advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1), hi = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);
    if (p != NULL && hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

#ifdef MREMAP_MAYMOVE
void *bigmem_grow(void *p, size_t old, size_t bytes)
{
    void *q = p == NULL ? mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                        : mremap(p, old, bytes, MREMAP_MAYMOVE);
    if (q == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    /* the whole mapping, from its (page-aligned) start: advising only the 2 MiB pages inside would split it
     * into several areas, and mremap cannot grow a range that spans more than one (EFAULT) */
    if (bytes >= HUGE_FROM)
        (void)madvise(q, bytes, MADV_HUGEPAGE);
#endif
    return q;
}

void bigmem_free(void *p, size_t bytes)
{
    if (p != NULL)
        munmap(p, bytes);
}
#else
void *bigmem_grow(void *p, size_t old, size_t bytes)
{
    (void)old;
    return realloc(p, bytes);
}

void bigmem_free(void *p, size_t bytes)
{
    (void)bytes;
    free(p);
}
#endif
