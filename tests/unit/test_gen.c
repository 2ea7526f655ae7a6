/* test_gen.c — generated dumps are valid: no diagnostic at all, for many seeds x versions x pointer sizes x
 * byte orders x swarm features, from the PRNG and from arbitrary fuzzer bytes; and generation is
 * deterministic. HD_GEN_LONG=1 runs 20 times more seeds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hd/diag.h"
#include "hd/gen.h"
#include "tdump.h"

static unsigned scale(void)
{
    const char *s = getenv("HD_GEN_LONG");
    return s != NULL && *s && strcmp(s, "0") != 0 ? 20 : 1;
}

static hd_membuf gen(const hd_gen_request *q, hd_entropy *e, hd_gen_stats *st)
{
    hd_membuf m = {0};
    hd_out *o = malloc(sizeof *o);
    assert_non_null(o);
    hd_out_init_mem(o, &m);
    if (hd_gen(q, e, o, st) != 0)
        fail_msg("hd_gen: %s", st->error);
    free(o);
    return m;
}

static hd_membuf gen_seed(const hd_gen_request *q, uint64_t seed, hd_gen_stats *st)
{
    hd_entropy e;
    hd_entropy_seed(&e, seed);
    return gen(q, &e, st);
}

static unsigned nchecked;

/* The dump must give no diagnostic (or, for a byte order / pointer size no port had, only the architecture
 * findings P103/P104). */
static void check_clean(const hd_membuf *m, const hd_gen_stats *st, const char *what, uint64_t seed)
{
    static tcheck c;
    char desc[256];
    tcheck_run(&c, m->p, m->len);
    hd_gen_config_describe(&st->cfg, desc, sizeof desc);
    if (hd_gen_config_clean(&st->cfg)) {
        if (c.n != 0) {
            tcheck_dump(&c);
            fail_msg("%s seed %llu (%s): %u diagnostics on a generated dump", what, (unsigned long long)seed, desc,
                     c.n);
        }
    } else {
        int p5 = hd_rule_find("P103"), p6 = hd_rule_find("P104");
        assert_true(c.n > 0);
        for (unsigned i = 0; i < c.n; i++)
            if ((int)c.d[i].rule != p5 && (int)c.d[i].rule != p6) {
                tcheck_dump(&c);
                fail_msg("%s seed %llu (%s): a diagnostic other than P103/P104", what, (unsigned long long)seed, desc);
            }
    }
    assert_true(c.res.records >= 8);
    assert_int_equal(c.res.size, m->len);
    nchecked++;
}

/* Every header x pointer size x byte order, the rest drawn by the seed. */
static void test_layout_matrix(void **state)
{
    (void)state;
    for (int h = 0; h < HD_HEADER_COUNT; h++)
        for (unsigned ps = 4; ps <= 8; ps += 4)
            for (int be = 0; be < 2; be++)
                for (uint64_t seed = 1; seed <= 6 * scale(); seed++) {
                    hd_gen_request q;
                    hd_gen_stats st;
                    hd_gen_request_init(&q);
                    q.header = h;
                    q.ptrsize = ps;
                    q.big_endian = be;
                    q.max_size = 48 * 1024;
                    hd_membuf m = gen_seed(&q, seed * 131 + (uint64_t)(h * 4 + (int)ps + be), &st);
                    assert_int_equal(st.cfg.header, h);
                    assert_int_equal(st.cfg.ptrsize, ps);
                    assert_int_equal(st.cfg.big_endian, be);
                    check_clean(&m, &st, "matrix", seed);
                    free(m.p);
                }
}

/* Pure swarm: everything drawn from the seed. */
static void test_swarm_seeds(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 150 * scale(); seed++) {
        hd_gen_request q;
        hd_gen_stats st;
        hd_gen_request_init(&q);
        q.max_size = 64 * 1024;
        hd_membuf m = gen_seed(&q, seed, &st);
        assert_true(hd_gen_config_clean(&st.cfg));    /* the swarm never draws a combination no port had */
        check_clean(&m, &st, "swarm", seed);
        free(m.p);
    }
}

/* Each feature alone, and all compatible features at once, on every header. */
static void test_features(void **state)
{
    (void)state;
    for (unsigned b = 0; b <= HD_GF_COUNT; b++)
        for (int h = 0; h < HD_HEADER_COUNT; h++)
            for (uint64_t seed = 1; seed <= 2 * scale(); seed++) {
                hd_gen_request q;
                hd_gen_stats st;
                hd_gen_request_init(&q);
                q.header = h;
                q.features_set = true;
                q.features = b < HD_GF_COUNT ? UINT32_C(1) << b
                           : HD_GF(DEEP_STACKS) | HD_GF(DUP_TYPES) | HD_GF(TINY_OBJECTS) | HD_GF(IFACES) |
                             HD_GF(MANY_THREADS) | HD_GF(FINALIZERS) | HD_GF(MEMPROF) | HD_GF(DEFERS);
                q.size = 96 * 1024;
                hd_membuf m = gen_seed(&q, seed + 7 * b, &st);
                assert_int_equal(st.cfg.features, q.features);
                check_clean(&m, &st, b < HD_GF_COUNT ? hd_gen_feature_name(b) : "all", seed);
                free(m.p);
            }
}

/* A few bigger dumps: the checker's cross-references at scale. */
static void test_bigger(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 3 * scale(); seed++) {
        hd_gen_request q;
        hd_gen_stats st;
        hd_gen_request_init(&q);
        q.size = 4u << 20;
        hd_membuf m = gen_seed(&q, 5000 + seed, &st);
        assert_true(m.len > (1u << 20));
        check_clean(&m, &st, "bigger", seed);
        free(m.p);
    }
}

/* Any byte string is a complete set of decisions: empty, all ones, random, truncated. */
static void test_fuzz_bytes(void **state)
{
    static uint8_t buf[4096];
    hd_rng r;
    (void)state;
    hd_rng_seed(&r, 42);
    for (unsigned i = 0; i < 120 * scale(); i++) {
        hd_gen_request q;
        hd_gen_stats st;
        hd_entropy e;
        size_t len = i == 0 ? 0 : (size_t)(hd_rng_next(&r) % sizeof buf);
        for (size_t k = 0; k < len; k++)
            buf[k] = i == 1 ? 0xff : i == 2 ? 0 : (uint8_t)hd_rng_next(&r);
        hd_gen_request_init(&q);
        q.max_size = 32 * 1024;
        hd_entropy_bytes(&e, buf, len);
        hd_membuf m = gen(&q, &e, &st);
        assert_true(hd_gen_config_clean(&st.cfg));
        check_clean(&m, &st, "fuzz bytes", i);
        free(m.p);
    }
}

/* Same request, same bytes; another seed, other bytes. Stream and memory validation agree. */
static void test_deterministic(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        hd_gen_request q;
        hd_gen_stats st;
        tcheck c;
        hd_gen_request_init(&q);
        hd_membuf a = gen_seed(&q, seed, &st), b = gen_seed(&q, seed, &st), d = gen_seed(&q, seed + 100, &st);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.p, b.p, a.len);
        assert_false(a.len == d.len && memcmp(a.p, d.p, a.len) == 0);
        tcheck_run(&c, a.p, a.len);
        assert_true(tcheck_same_via_pipe(&c, a.p, a.len));
        free(a.p);
        free(b.p);
        free(d.p);
    }
}

/* --size: the dump is about that big. */
static void test_size(void **state)
{
    static const uint64_t sizes[] = {64 * 1024, 512 * 1024, 4u << 20};
    (void)state;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (uint64_t seed = 1; seed <= 4; seed++) {
            hd_gen_request q;
            hd_gen_stats st;
            hd_gen_request_init(&q);
            q.size = sizes[i];
            hd_membuf m = gen_seed(&q, seed, &st);
            if (m.len < sizes[i] / 2 || m.len > sizes[i] * 2)
                fail_msg("size %llu seed %llu: %zu bytes", (unsigned long long)sizes[i], (unsigned long long)seed, m.len);
            free(m.p);
        }
}

static void test_requests(void **state)
{
    hd_gen_request q;
    hd_gen_stats st;
    hd_gen_config cfg;
    hd_entropy e;
    (void)state;
    hd_entropy_seed(&e, 1);
    hd_gen_request_init(&q);
    q.ptrsize = 3;
    assert_int_equal(hd_gen_configure(&q, &e, &cfg, &st), -1);
    hd_gen_request_init(&q);
    q.ptrsize = 4;
    q.size = UINT64_C(3) << 30;
    assert_int_equal(hd_gen_configure(&q, &e, &cfg, &st), -1);
    /* an explicitly requested combination no port had is honoured (and reported as not clean) */
    hd_gen_request_init(&q);
    q.header = HD_H14;
    q.ptrsize = 4;
    q.big_endian = 1;
    assert_int_equal(hd_gen_configure(&q, &e, &cfg, &st), 0);
    assert_false(hd_gen_config_clean(&cfg));
}

static int report(void **state)
{
    (void)state;
    fprintf(stderr, "test_gen: %u generated dumps validated\n", nchecked);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_matrix), cmocka_unit_test(test_swarm_seeds), cmocka_unit_test(test_features),
        cmocka_unit_test(test_bigger),        cmocka_unit_test(test_fuzz_bytes),  cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_size),          cmocka_unit_test(test_requests),
    };
    return cmocka_run_group_tests(tests, NULL, report);
}
