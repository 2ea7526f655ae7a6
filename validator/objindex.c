/* objindex.c — see objindex.h. */
#include "objindex.h"
#include "bigmem.h"
#include "xsort.h"

#include <stdlib.h>
#include <string.h>

#define POS_BITS   40
#define POS_MASK   ((UINT64_C(1) << POS_BITS) - 1)
#define CODE_SHIFT 48
#define OI_ESCAPE  UINT64_C(0xffff)
#define PAGE_FLAG  UINT64_C(0x8000)
#define UNIT_SMALL 8u
#define UNIT_PAGE  8192u

void objindex_init(objindex *x)
{
    memset(x, 0, sizeof *x);
}

void objindex_free(objindex *x)
{
    bigmem_free(x->v, x->cap * 2 * sizeof *x->v);
    bigmem_free(x->odd, x->capodd * sizeof *x->odd);
    objindex_init(x);
}

/* ---- packing: code << 48 | pos << 8 | delta, or OI_ESCAPE << 48 | side-table index ---- */

static uint64_t size_code(uint64_t size)
{
    if (size % UNIT_SMALL == 0 && size / UNIT_SMALL < PAGE_FLAG)
        return size / UNIT_SMALL;
    if (size % UNIT_PAGE == 0 && size / UNIT_PAGE < OI_ESCAPE - PAGE_FLAG)
        return PAGE_FLAG | size / UNIT_PAGE;
    return OI_ESCAPE;
}

static objindex_obj unpack(const objindex *x, const uint64_t *e)
{
    objindex_obj o;
    uint64_t code = e[1] >> CODE_SHIFT;

    o.addr = e[0];
    if (code == OI_ESCAPE) {
        const objindex_odd *d = &x->odd[e[1] & ((UINT64_C(1) << CODE_SHIFT) - 1)];
        o.size = d->size;
        o.pos = d->pos;
        o.delta = d->delta;
    } else {
        o.size = code & PAGE_FLAG ? (code & ~PAGE_FLAG) * UNIT_PAGE : code * UNIT_SMALL;
        o.pos = (e[1] >> 8) & POS_MASK;
        o.delta = (uint8_t)e[1];
    }
    return o;
}

/* Room for one more of n elements of size sz; growing by half keeps the unused tail under a third (and
 * untouched pages of it never count in the resident set). bigmem: the kernel moves the pages, nothing is copied. */
static int grow(void **p, size_t *cap, size_t n, size_t sz)
{
    size_t ncap;
    void *q;

    if (n < *cap)
        return 0;
    ncap = *cap < 1024 ? 1024 : *cap + *cap / 2;
    if (ncap > SIZE_MAX / sz)
        return -1;
    if ((q = bigmem_grow(*p, *cap * sz, ncap * sz)) == NULL)
        return -1;
    *p = q;
    *cap = ncap;
    return 0;
}

int objindex_add(objindex *x, const objindex_obj *o, uint64_t *scratch)
{
    uint64_t code = size_code(o->size), *e;

    if (grow((void **)&x->v, &x->cap, x->n, 2 * sizeof *x->v) < 0)
        return -1;
    e = &x->v[2 * x->n];
    e[0] = o->addr;
    if (code == OI_ESCAPE || o->pos > POS_MASK) {
        if (grow((void **)&x->odd, &x->capodd, x->nodd, sizeof *x->odd) < 0)
            return -1;
        x->odd[x->nodd].size = o->size;
        x->odd[x->nodd].pos = o->pos;
        x->odd[x->nodd].delta = o->delta;
        e[1] = OI_ESCAPE << CODE_SHIFT | x->nodd++;
    } else {
        e[1] = code << CODE_SHIFT | o->pos << 8 | o->delta;
    }
    x->n++;
    if (x->n % OI_CHUNK == 0)
        xsort_sort_array(&x->v[2 * (x->n - OI_CHUNK)], OI_CHUNK, 2, scratch);
    return 0;
}

/* ---- the merged walk ---- */

/* Entry order: the chunks' own (address, then packed word), so that the merge is one total order. */
static bool before(const objindex_walk *w, size_t a, size_t b)
{
    const uint64_t *ea = &w->x->v[2 * w->next[a]], *eb = &w->x->v[2 * w->next[b]];
    return ea[0] != eb[0] ? ea[0] < eb[0] : ea[1] < eb[1];
}

static size_t chunk_end(const objindex_walk *w, size_t c)
{
    size_t end = (c + 1) * (size_t)OI_CHUNK;
    return end < w->x->n ? end : w->x->n;
}

static void down(objindex_walk *w, size_t i)
{
    for (size_t child; (child = 2 * i + 1) < w->nheap; i = child) {
        if (child + 1 < w->nheap && before(w, w->heap[child + 1], w->heap[child]))
            child++;
        if (!before(w, w->heap[child], w->heap[i]))
            return;
        size_t t = w->heap[i];
        w->heap[i] = w->heap[child];
        w->heap[child] = t;
    }
}

int objindex_walk_init(objindex_walk *w, objindex *x, uint64_t *scratch)
{
    size_t tail = x->n % OI_CHUNK;

    memset(w, 0, sizeof *w);
    w->x = x;
    if (tail != 0)
        xsort_sort_array(&x->v[2 * (x->n - tail)], tail, 2, scratch);
    w->nchunks = (x->n + OI_CHUNK - 1) / OI_CHUNK;
    if (w->nchunks == 0)
        return 0;
    w->next = malloc(w->nchunks * sizeof *w->next);
    w->heap = malloc(w->nchunks * sizeof *w->heap);
    if (w->next == NULL || w->heap == NULL) {
        objindex_walk_free(w);
        return -1;
    }
    for (size_t c = 0; c < w->nchunks; c++) {
        w->next[c] = c * (size_t)OI_CHUNK;
        w->heap[c] = c;
    }
    w->nheap = w->nchunks;
    for (size_t i = w->nheap / 2; i-- > 0;)
        down(w, i);
    return 0;
}

bool objindex_walk_next(objindex_walk *w, objindex_obj *out)
{
    size_t c;
    if (w->nheap == 0)
        return false;
    c = w->heap[0];
    *out = unpack(w->x, &w->x->v[2 * w->next[c]]);
    if (++w->next[c] == chunk_end(w, c))
        w->heap[0] = w->heap[--w->nheap];
    down(w, 0);
    return true;
}

void objindex_walk_free(objindex_walk *w)
{
    free(w->next);
    free(w->heap);
    w->next = w->heap = NULL;
    w->nheap = 0;
}
