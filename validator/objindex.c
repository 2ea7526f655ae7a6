/* objindex.c — see objindex.h. */
#include "objindex.h"

#include <stdlib.h>
#include <string.h>

#define POS_BITS   48
#define POS_MASK   ((UINT64_C(1) << POS_BITS) - 1)
#define OI_ESCAPE  UINT64_C(0xffff)
#define PAGE_FLAG  UINT64_C(0x8000)
#define UNIT_SMALL 8u
#define UNIT_PAGE  8192u

void objindex_init(objindex *x)
{
    memset(x, 0, sizeof *x);
    x->sorted = true;
}

void objindex_free(objindex *x)
{
    free(x->v);
    free(x->odd);
    objindex_init(x);
}

/* ---- packing ------------------------------------------------------------------------------------- */

/* Size code for an exact size, or OI_ESCAPE. */
static uint64_t size_code(uint64_t size)
{
    if (size % UNIT_SMALL == 0 && size / UNIT_SMALL < PAGE_FLAG)
        return size / UNIT_SMALL;
    if (size % UNIT_PAGE == 0 && size / UNIT_PAGE < OI_ESCAPE - PAGE_FLAG)
        return PAGE_FLAG | size / UNIT_PAGE;
    return OI_ESCAPE;
}

static objindex_obj decode(const objindex *x, const objindex_pair *e)
{
    objindex_obj o;
    uint64_t code = e->val >> POS_BITS;

    o.addr = e->key;
    if (code == OI_ESCAPE) {
        o.size = x->odd[e->val & POS_MASK].size;
        o.pos = x->odd[e->val & POS_MASK].pos;
    } else {
        o.size = code & PAGE_FLAG ? (code & ~PAGE_FLAG) * UNIT_PAGE : code * UNIT_SMALL;
        o.pos = e->val & POS_MASK;
    }
    return o;
}

/* Room for one more of *n elements of size sz; growing by half keeps the unused tail under a third. */
static int grow(void **p, size_t *cap, size_t n, size_t sz)
{
    size_t ncap;
    void *q;

    if (n < *cap)
        return 0;
    ncap = *cap < 64 ? 64 : *cap + *cap / 2;
    if (ncap > SIZE_MAX / sz)
        return -1;
    q = realloc(*p, ncap * sz);
    if (q == NULL)
        return -1;
    *p = q;
    *cap = ncap;
    return 0;
}

int objindex_add(objindex *x, uint64_t addr, uint64_t size, uint64_t pos)
{
    uint64_t code = size_code(size);
    objindex_pair e;

    if (grow((void **)&x->v, &x->cap, x->n, sizeof *x->v) < 0)
        goto oom;
    if (code == OI_ESCAPE || pos > POS_MASK) {
        if (grow((void **)&x->odd, &x->capodd, x->nodd, sizeof *x->odd) < 0)
            goto oom;
        x->odd[x->nodd].size = size;
        x->odd[x->nodd].pos = pos;
        e.val = OI_ESCAPE << POS_BITS | x->nodd++;
    } else {
        e.val = code << POS_BITS | pos;
    }
    e.key = addr;
    if (x->n > 0 && x->v[x->n - 1].key > addr)
        x->sorted = false;
    x->v[x->n++] = e;
    if (x->sorted)
        x->nsorted = x->n;
    return 0;
oom:
    x->lossy = true;
    return -1;
}

/* ---- sorting ------------------------------------------------------------------------------------- */

static bool before(const objindex_pair *a, const objindex_pair *b)
{
    return a->key != b->key ? a->key < b->key : a->val < b->val;
}

static void swap(objindex_pair *a, objindex_pair *b)
{
    objindex_pair t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(objindex_pair *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && before(&v[j], &v[j - 1]); j--)
            swap(&v[j], &v[j - 1]);
}

static void sift_down(objindex_pair *v, size_t root, size_t n)
{
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && before(&v[child], &v[child + 1]))
            child++;
        if (!before(&v[root], &v[child]))
            return;
        swap(&v[root], &v[child]);
    }
}

static void heap_sort(objindex_pair *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(v, i, n);
    for (size_t i = n; i-- > 1;) {
        swap(&v[0], &v[i]);
        sift_down(v, 0, i);
    }
}

/* Quicksort with a median-of-three pivot (objects come in runs of ascending addresses), heapsort when
 * the recursion gets too deep, insertion sort for short ranges; recursion only on the smaller part. */
static void intro_sort(objindex_pair *v, size_t n, unsigned depth)
{
    while (n > 16) {
        size_t mid = n / 2, i = 0, j = n - 1;
        objindex_pair pivot;
        if (depth-- == 0) {
            heap_sort(v, n);
            return;
        }
        if (before(&v[mid], &v[0]))
            swap(&v[mid], &v[0]);
        if (before(&v[n - 1], &v[0]))
            swap(&v[n - 1], &v[0]);
        if (before(&v[n - 1], &v[mid]))
            swap(&v[n - 1], &v[mid]);
        pivot = v[mid];
        for (;;) {                            /* Hoare partition */
            while (before(&v[i], &pivot))
                i++;
            while (before(&pivot, &v[j]))
                j--;
            if (i >= j)
                break;
            swap(&v[i++], &v[j--]);
        }
        if (j + 1 < n - j - 1) {
            intro_sort(v, j + 1, depth);
            v += j + 1;
            n -= j + 1;
        } else {
            intro_sort(v + j + 1, n - j - 1, depth);
            n = j + 1;
        }
    }
    insertion_sort(v, n);
}

/* The index is the checker's biggest structure and qsort may allocate a copy of it: sort in place. */
void objindex_sort_pairs(objindex_pair *p, size_t n)
{
    unsigned depth = 0;
    for (size_t k = n; k > 0; k >>= 1)
        depth += 2;
    intro_sort(p, n, depth);
}

static void ensure_sorted(objindex *x)
{
    if (!x->sorted)
        objindex_sort_pairs(x->v, x->n);
    x->sorted = true;
    x->nsorted = x->n;
}

void objindex_freeze(objindex *x, bool frozen)
{
    x->frozen = frozen;
}

/* ---- queries -------------------------------------------------------------------------------------- */

/* Index of the first entry of the sorted prefix with key > a (nsorted if none). */
static size_t first_above(const objindex *x, uint64_t a)
{
    size_t lo = 0, hi = x->nsorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->v[mid].key <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool holds(const objindex_obj *o, uint64_t a)
{
    return a >= o->addr && a - o->addr < o->size;
}

bool objindex_find(objindex *x, uint64_t a, objindex_obj *out)
{
    size_t i;
    objindex_obj o;

    if (!x->frozen)
        ensure_sorted(x);
    i = first_above(x, a);
    if (i == 0)
        return false;
    o = decode(x, &x->v[i - 1]);
    if (!holds(&o, a))
        return false;
    if (out != NULL)
        *out = o;
    return true;
}

bool objindex_find_range(objindex *x, uint64_t lo, uint64_t hi, objindex_obj *out)
{
    size_t i;
    objindex_obj o;

    if (hi <= lo)
        return false;
    if (objindex_find(x, lo, out))
        return true;
    i = first_above(x, lo);
    if (i >= x->nsorted || x->v[i].key >= hi)
        return false;
    o = decode(x, &x->v[i]);
    if (o.size == 0)
        return false;
    if (out != NULL)
        *out = o;
    return true;
}

/* One merge-like walk over both sorted arrays: each value costs O(1) amortised and memory is read in
 * order, where a binary search per value would miss the cache on every step of a big index. */
size_t objindex_keep_uncovered(objindex *x, objindex_pair *p, size_t n, bool end_ok)
{
    size_t i = 0, k = 0;

    ensure_sorted(x);
    for (size_t j = 0; j < n; j++) {
        uint64_t a = p[j].key;
        objindex_obj o;
        while (i < x->n && x->v[i].key <= a)
            i++;
        if (i > 0) {
            o = decode(x, &x->v[i - 1]);
            if (holds(&o, a) || (end_ok && a - o.addr == o.size))
                continue;
        }
        p[k++] = p[j];
    }
    return k;
}

void objindex_clashes(objindex *x, objindex_clash_fn fn, void *ctx)
{
    objindex_obj far = {0, 0, 0}, prev = {0, 0, 0};   /* the object reaching furthest so far, the last one */
    uint64_t far_end = 0;

    ensure_sorted(x);
    for (size_t i = 0; i < x->n; i++) {
        objindex_obj o = decode(x, &x->v[i]);
        uint64_t end = o.addr + o.size < o.addr ? UINT64_MAX : o.addr + o.size;
        /* of two clashing records, the one written later is reported */
        const objindex_obj *a = o.pos < prev.pos ? &o : &prev, *b = o.pos < prev.pos ? &prev : &o;
        if (i > 0 && o.addr == prev.addr)
            fn(ctx, a, b, true);
        else if (i > 0 && o.addr < far_end)
            fn(ctx, o.pos < far.pos ? &o : &far, o.pos < far.pos ? &far : &o, false);
        if (i == 0 || end > far_end) {
            far = o;
            far_end = end;
        }
        prev = o;
    }
}

size_t objindex_count(const objindex *x)
{
    return x->n;
}

size_t objindex_bytes(const objindex *x)
{
    return x->cap * sizeof *x->v + x->capodd * sizeof *x->odd;
}
