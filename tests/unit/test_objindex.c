/* test_objindex.c — the heap-object index (validator/objindex.[ch]): whatever the arrival order and count,
 * objindex_walk yields every object exactly once, exact (address, size, record offset, index delta), in
 * address order. Counts around the chunk size (OI_CHUNK - 1, OI_CHUNK, OI_CHUNK + 1, 3 * OI_CHUNK + 5),
 * ascending, descending, random, allspans-like and all-equal addresses, sizes that pack and sizes and offsets
 * that escape to the side table.
 *
 * Ties (objects at one address: duplicates, H106): objects of one size come out in record-offset order, as
 * objindex.h promises for every tie. Ties of different sizes are compared as a set only: inside a chunk the
 * radix sort orders them by the packed word, whose top bits are the size code, so a later, smaller object
 * comes first (0xc000000000 8 bytes @1257 before 2016 bytes @17). The sweep (xref.c take_object) picks the
 * earlier record itself, so no diagnostic changes; the header's "ties: record offset order" does not hold. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objindex.h"

static uint64_t *scratch;       /* 2 * OI_CHUNK words, as the checker lends it */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

typedef enum { ASCENDING, DESCENDING, RANDOM, ALLSPANS, ALL_EQUAL } order;
static const char *const order_name[] = {"ascending", "descending", "random", "allspans", "all-equal"};

typedef enum { SMALL, MIXED, ODD } sizes;
static const char *const sizes_name[] = {"small", "mixed", "odd"};

#define BASE UINT64_C(0xc000000000)

/* Object i of n: its address by the order, a size by the kind of sizes, a record offset that grows with i
 * (the file order), its index delta. */
static objindex_obj make(size_t i, size_t n, order o, sizes sz)
{
    objindex_obj x;
    uint64_t r = rnd();
    switch (o) {
    case ASCENDING: x.addr = BASE + 16 * (uint64_t)i; break;
    case DESCENDING: x.addr = BASE + 16 * (uint64_t)(n - i); break;
    case RANDOM: x.addr = BASE + 8 * (r % (4 * (uint64_t)n + 1)); break;      /* duplicates too */
    case ALLSPANS: {
        /* spans of 64 objects, ascending inside, spans in a scrambled order */
        uint64_t span = (uint64_t)(i / 64) * UINT64_C(0x9e3779b1) % (n / 64 + 1);
        x.addr = BASE + span * 8192 + 128 * (i % 64);
        break;
    }
    default: x.addr = BASE; break;
    }
    switch (sz) {
    case SMALL: x.size = 8 * (1 + (r >> 40) % 256); break;
    case MIXED: {
        static const uint64_t big[] = {8, 16, 32768, 8192 * 5, UINT64_C(256) << 20, 8192 * 4097, 48};
        x.size = big[(r >> 40) % 7];
        break;
    }
    default: {
        /* not a multiple of 8; 0; past the page code's range; a multiple of 8 above 256 KiB that is not a page
         * multiple: all escape */
        static const uint64_t odd[] = {12, 0, 1, UINT64_C(1) << 40, 262144 + 8, 8 * 32768, 7};
        x.size = odd[(r >> 40) % 7];
        break;
    }
    }
    x.pos = 17 + 40 * (uint64_t)i;                                 /* the file order */
    if (sz == ODD && i >= n / 2)
        x.pos += UINT64_C(1) << 41;                                /* past the 40-bit offset field */
    x.delta = (uint8_t)(i * 7);
    return x;
}

static int by_addr_pos(const void *a, const void *b)
{
    const objindex_obj *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

typedef struct { uint64_t size; size_t place; uint64_t pos; } tie;

static int by_size_place(const void *a, const void *b)
{
    const tie *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return x->place < y->place ? -1 : x->place > y->place;
}

static bool same(const objindex_obj *a, const objindex_obj *b)
{
    return a->addr == b->addr && a->size == b->size && a->pos == b->pos && a->delta == b->delta;
}

/* Index n objects made by (o, sz); the walk must be the reference sort (ties: see the top of the file). */
static void check(size_t n, order o, sizes sz)
{
    objindex x;
    objindex_walk w;
    objindex_obj *want = malloc((n ? n : 1) * sizeof *want), *got = malloc((n + 1) * sizeof *got);
    size_t k = 0;

    assert_non_null(want);
    assert_non_null(got);
    rng_state = n * 31 + (uint64_t)o * 7 + (uint64_t)sz;
    objindex_init(&x);
    for (size_t i = 0; i < n; i++) {
        want[i] = make(i, n, o, sz);
        assert_int_equal(objindex_add(&x, &want[i], scratch), 0);
    }
    assert_int_equal(x.n, n);
    if (sz == ODD && n > 100)
        assert_true(x.nodd > 0);
    qsort(want, n, sizeof *want, by_addr_pos);
    assert_int_equal(objindex_walk_init(&w, &x, scratch), 0);
    while (k <= n && objindex_walk_next(&w, &got[k]))
        k++;
    if (k != n)
        fail_msg("%zu %s %s objects: the walk yields %s%zu", n, order_name[o], sizes_name[sz], k > n ? "more than " : "",
                 k > n ? n : k);
    assert_false(objindex_walk_next(&w, &got[n]));              /* stays at the end */

    for (size_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && want[b].addr == want[a].addr; b++)
            ;
        /* address order: the same addresses at the same places */
        for (size_t i = a; i < b; i++)
            if (got[i].addr != want[a].addr)
                fail_msg("%zu %s %s objects, #%zu: walk gives address 0x%llx, sorted order 0x%llx", n, order_name[o],
                         sizes_name[sz], i, (unsigned long long)got[i].addr, (unsigned long long)want[a].addr);
        /* a tie of one size: record-offset order (the walk's places, sorted by size then place) */
        if (b - a > 1) {
            tie *t = malloc((b - a) * sizeof *t);
            assert_non_null(t);
            for (size_t i = a; i < b; i++)
                t[i - a] = (tie){got[i].size, i, got[i].pos};
            qsort(t, b - a, sizeof *t, by_size_place);
            for (size_t i = 1; i < b - a; i++)
                if (t[i].size == t[i - 1].size && t[i].pos < t[i - 1].pos)
                    fail_msg("%zu %s %s objects at 0x%llx: the %llu-byte object @%llu comes before @%llu", n,
                             order_name[o], sizes_name[sz], (unsigned long long)want[a].addr,
                             (unsigned long long)t[i].size, (unsigned long long)t[i - 1].pos,
                             (unsigned long long)t[i].pos);
            free(t);
        }
        /* every tie: the same objects, exactly */
        qsort(got + a, b - a, sizeof *got, by_addr_pos);
        for (size_t i = a; i < b; i++)
            if (!same(&got[i], &want[i]))
                fail_msg("%zu %s %s objects, #%zu: walk gives (0x%llx, %llu, @%llu, %u), sorted order (0x%llx, %llu, "
                         "@%llu, %u)", n, order_name[o], sizes_name[sz], i, (unsigned long long)got[i].addr,
                         (unsigned long long)got[i].size, (unsigned long long)got[i].pos, got[i].delta,
                         (unsigned long long)want[i].addr, (unsigned long long)want[i].size,
                         (unsigned long long)want[i].pos, want[i].delta);
    }
    objindex_walk_free(&w);
    objindex_free(&x);
    free(want);
    free(got);
}

static void test_empty_and_one(void **state)
{
    (void)state;
    check(0, ASCENDING, SMALL);
    check(1, RANDOM, SMALL);
    check(1, RANDOM, ODD);
    check(2, DESCENDING, MIXED);
}

/* Counts around the chunk size: the last chunk partial, exactly full, one over; several chunks merged. */
static void test_chunk_boundaries(void **state)
{
    const size_t counts[] = {OI_CHUNK - 1, OI_CHUNK, OI_CHUNK + 1, 3 * (size_t)OI_CHUNK + 5};
    (void)state;
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        check(counts[i], ASCENDING, SMALL);
        check(counts[i], DESCENDING, MIXED);
        check(counts[i], RANDOM, SMALL);
    }
    check(3 * (size_t)OI_CHUNK + 5, ALLSPANS, MIXED);
}

static void test_orders(void **state)
{
    (void)state;
    for (int o = ASCENDING; o <= ALL_EQUAL; o++)
        for (int sz = SMALL; sz <= ODD; sz++)
            check(5000, (order)o, (sizes)sz);
}

/* One address for everything (a hostile dump): the ties inside each chunk and across chunks come out in
 * record-offset order, with the sizes they were added with. */
static void test_all_equal(void **state)
{
    (void)state;
    check(OI_CHUNK + 3, ALL_EQUAL, SMALL);
    check(2 * (size_t)OI_CHUNK + 1, ALL_EQUAL, ODD);
}

/* Sizes and offsets that do not pack: exact through the side table, in every position of a chunk. */
static void test_side_table(void **state)
{
    (void)state;
    check(OI_CHUNK + 100, RANDOM, ODD);
    check(1000, DESCENDING, ODD);
}

static int setup(void **state)
{
    (void)state;
    scratch = malloc(2 * (size_t)OI_CHUNK * sizeof *scratch);
    return scratch == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    free(scratch);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_one),   cmocka_unit_test(test_chunk_boundaries),
        cmocka_unit_test(test_orders),          cmocka_unit_test(test_all_equal),
        cmocka_unit_test(test_side_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
