/* test_addrmap.c — the address hash map (types and itabs since the xref sweep took the rest): insert, replace,
 * add-if-absent, key 0, growth, iteration, and adversarial key sets and orders (crafted collisions, strides of
 * large powers of two, descending and interleaved insertion) that must keep probe runs short. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include "addrmap.h"

static void test_empty(void **state)
{
    addrmap m;
    uint64_t v = 7, k;
    size_t it = 0;
    (void)state;
    addrmap_init(&m, 8);
    assert_false(addrmap_get(&m, 0, &v));
    assert_false(addrmap_get(&m, 0xc000010000, &v));
    assert_int_equal(v, 7);
    assert_int_equal(addrmap_count(&m), 0);
    assert_int_equal(addrmap_bytes(&m), 0);
    assert_false(addrmap_next(&m, &it, &k, &v));
    addrmap_free(&m);
}

static void test_put_get_replace(void **state)
{
    addrmap m;
    uint64_t v;
    (void)state;
    addrmap_init(&m, 8);
    assert_int_equal(addrmap_put(&m, 0xc000010000, 1), 1);
    assert_int_equal(addrmap_put(&m, 0xc000010008, UINT64_MAX), 1);
    assert_true(addrmap_get(&m, 0xc000010000, &v));
    assert_int_equal(v, 1);
    assert_true(addrmap_get(&m, 0xc000010008, &v));
    assert_true(v == UINT64_MAX);
    assert_int_equal(addrmap_put(&m, 0xc000010000, 5), 0);
    assert_true(addrmap_get(&m, 0xc000010000, &v));
    assert_int_equal(v, 5);
    assert_int_equal(addrmap_count(&m), 2);
    assert_true(addrmap_get(&m, 0xc000010000, NULL));
    addrmap_free(&m);
}

static void test_add_keeps_first(void **state)
{
    addrmap m;
    uint64_t old = 0, v;
    (void)state;
    addrmap_init(&m, 4);
    assert_int_equal(addrmap_add(&m, 0x1000, 10, &old), 1);
    assert_int_equal(addrmap_add(&m, 0x1000, 20, &old), 0);
    assert_int_equal(old, 10);
    assert_true(addrmap_get(&m, 0x1000, &v));
    assert_int_equal(v, 10);
    assert_int_equal(addrmap_add(&m, 0x1000, 30, NULL), 0);
    addrmap_free(&m);
}

static void test_key_zero(void **state)
{
    addrmap m;
    uint64_t v, k, old;
    size_t it = 0;
    (void)state;
    addrmap_init(&m, 8);
    assert_int_equal(addrmap_put(&m, 0, 42), 1);
    assert_true(addrmap_get(&m, 0, &v));
    assert_int_equal(v, 42);
    assert_int_equal(addrmap_add(&m, 0, 43, &old), 0);
    assert_int_equal(old, 42);
    assert_int_equal(addrmap_put(&m, 0, 44), 0);
    assert_int_equal(addrmap_count(&m), 1);
    assert_true(addrmap_next(&m, &it, &k, &v));
    assert_int_equal(k, 0);
    assert_int_equal(v, 44);
    assert_false(addrmap_next(&m, &it, &k, &v));
    addrmap_free(&m);
}

static void test_width4_truncates(void **state)
{
    addrmap m;
    uint64_t v;
    (void)state;
    addrmap_init(&m, 4);
    addrmap_put(&m, 0x2000, UINT64_C(0x100000005));
    assert_true(addrmap_get(&m, 0x2000, &v));
    assert_int_equal(v, 5);
    assert_int_equal(addrmap_bytes(&m), 16 * 12);
    addrmap_free(&m);
}

/* Many keys with the layout of heap addresses (aligned, dense) and of sparse ones: all found, none
 * invented, iteration sees each exactly once. */
static void test_growth_and_iteration(void **state)
{
    enum { N = 100000 };
    addrmap m;
    uint64_t k, v, sum = 0;
    size_t it = 0, seen = 0;
    (void)state;
    addrmap_init(&m, 8);
    for (uint64_t i = 0; i < N; i++)
        assert_int_equal(addrmap_put(&m, 0xc000000000 + i * 16, i), 1);
    for (uint64_t i = 0; i < N; i++)
        assert_int_equal(addrmap_put(&m, (i + 1) << 40, N + i), 1);
    assert_int_equal(addrmap_count(&m), 2 * N);
    for (uint64_t i = 0; i < N; i++) {
        assert_true(addrmap_get(&m, 0xc000000000 + i * 16, &v));
        assert_int_equal(v, i);
        assert_false(addrmap_get(&m, 0xc000000000 + i * 16 + 8, NULL));
        assert_true(addrmap_get(&m, (i + 1) << 40, &v));
        assert_int_equal(v, N + i);
    }
    while (addrmap_next(&m, &it, &k, &v)) {
        seen++;
        sum += v;
    }
    assert_int_equal(seen, 2 * N);
    assert_int_equal(sum, (uint64_t)(2 * N) * (2 * N - 1) / 2);
    assert_true(addrmap_bytes(&m) <= (size_t)2 * N * 16 * 3);
    addrmap_free(&m);
    assert_int_equal(addrmap_count(&m), 0);
    assert_int_equal(addrmap_put(&m, 1, 1), 1);   /* usable again after free */
    addrmap_free(&m);
}

/* Keys chosen so that a fixed multiplicative hash (key * 0x9E3779B97F4A7C15, as this map once used) puts
 * them all in one slot: k = i * inverse(C) mod 2^64. A dump of 400,000 such goroutine addresses took 2 min
 * 21 s before the hash was seeded (0.3 s after). The seeded map keeps every probe run short. */
static void test_crafted_collisions(void **state)
{
    const uint64_t c_inv = UINT64_C(0xF1DE83E19937733D);   /* inverse of 0x9E3779B97F4A7C15 mod 2^64 */
    addrmap m;
    (void)state;
    assert_int_equal(UINT64_C(0x9E3779B97F4A7C15) * c_inv, 1);
    addrmap_init(&m, 8);
    for (uint64_t i = 1; i <= 100000; i++)
        assert_int_equal(addrmap_put(&m, i * c_inv, i), 1);
    assert_int_equal(addrmap_count(&m), 100000);
    assert_true(addrmap_longest_run(&m) < 1000);
    addrmap_free(&m);
}

/* Type and itab addresses are aligned, often to large powers of two, and arrive in any order: strides of
 * 2^3 .. 2^44 (so the low bits, or all but the high bits, are equal), ascending, descending and interleaved
 * from both ends. Every key is found with its value, no neighbour is invented, probe runs stay short. */
static void test_strides_and_orders(void **state)
{
    enum { N = 50000 };
    static const unsigned shifts[] = {3, 12, 20, 32, 44};
    (void)state;
    for (size_t si = 0; si < sizeof shifts / sizeof shifts[0]; si++)
        for (int order = 0; order < 3; order++) {
            addrmap m;
            uint64_t v, stride = UINT64_C(1) << shifts[si];
            addrmap_init(&m, 8);
            for (uint64_t i = 0; i < N; i++) {
                uint64_t j = order == 0 ? i : order == 1 ? N - 1 - i : (i % 2 ? N - 1 - i / 2 : i / 2);
                assert_int_equal(addrmap_put(&m, j * stride, j + 1), 1);
            }
            assert_int_equal(addrmap_count(&m), N);
            for (uint64_t j = 0; j < N; j++) {
                assert_true(addrmap_get(&m, j * stride, &v));
                assert_int_equal(v, j + 1);
                assert_false(addrmap_get(&m, j * stride + (stride > 8 ? stride / 2 : 4), NULL));   /* between keys */
            }
            if (addrmap_longest_run(&m) >= 1000)
                fail_msg("stride 2^%u, order %d: a probe run of %zu slots", shifts[si], order, addrmap_longest_run(&m));
            addrmap_free(&m);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),          cmocka_unit_test(test_put_get_replace),
        cmocka_unit_test(test_add_keeps_first), cmocka_unit_test(test_key_zero),
        cmocka_unit_test(test_width4_truncates), cmocka_unit_test(test_growth_and_iteration),
        cmocka_unit_test(test_crafted_collisions), cmocka_unit_test(test_strides_and_orders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
