/* test_structural.c — every structural rule (S1xx) has a minimal dump that fires it and only it, and the
 * memory and stream paths agree on each. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "cases.h"
#include "tdump.h"

/* Validate t's bytes; check that exactly `rule` fired; check the pipe path gives the same. */
static void expect_only(tdump *t, hd_rule rule)
{
    tcheck c;
    hd_out_flush(&t->o);
    tcheck_run(&c, t->m.p, t->m.len);
    assert_true(tcheck_only(&c, rule));
    assert_true(tcheck_same_via_pipe(&c, t->m.p, t->m.len));
    tdump_free(t);
}

static void expect_clean(tdump *t)
{
    tcheck c;
    hd_out_flush(&t->o);
    tcheck_run(&c, t->m.p, t->m.len);
    assert_true(tcheck_clean(&c));
    assert_true(tcheck_same_via_pipe(&c, t->m.p, t->m.len));
    tdump_free(t);
}

/* Every hand-built case: valid ones stay clean, each negative one fires its rule and only it, and the
 * pipe path says exactly what the memory path says. */
static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < hd_ncases; i++) {
        tdump t;
        char name[128];
        tcase_filename(&hd_cases[i], name, sizeof name);
        fprintf(stderr, "case %s\n", name);
        hd_cases[i].build(&t);
        if (hd_cases[i].rule < 0)
            expect_clean(&t);
        else
            expect_only(&t, (hd_rule)hd_cases[i].rule);
    }
}

/* Every structural rule has at least one case. */
static void test_every_structural_rule_has_a_case(void **state)
{
    (void)state;
    for (int r = 0; r < HD_RULE_COUNT; r++) {
        bool found = false;
        if (hd_rule_get((hd_rule)r)->id[0] != 'S')
            continue;
        for (size_t i = 0; i < hd_ncases && !found; i++)
            found = hd_cases[i].rule == r;
        if (!found)
            fprintf(stderr, "no case for %s\n", hd_rule_get((hd_rule)r)->id);
        assert_true(found);
    }
}

/* After an error that keeps the boundary, decoding goes on, up to --max-errors. */
static void test_max_errors(void **state)
{
    tdump t;
    tcheck c;
    hd_options o;
    (void)state;
    tdump_begin(&t, HD_H17, 4);
    for (int i = 0; i < 10; i++) {
        hd_record th = tdump_simple(HD_TAG_OSTHREAD);
        th.u.osthread.addr = UINT64_C(0x100000000) + (uint64_t)i * 0x1000;
        tdump_rec(&t, &th);
    }
    tdump_finish(&t);
    hd_out_flush(&t.o);
    tcheck_run(&c, t.m.p, t.m.len);
    assert_int_equal(tcheck_count(&c, HD_R_PTR_TOO_WIDE), 10);
    hd_options_init(&o);
    o.max_errors = 3;
    tcheck_run_opts(&c, t.m.p, t.m.len, &o);
    assert_int_equal(c.n, 3);
    assert_true(c.res.stopped);
    tdump_free(&t);
}

/* A huge kept range from a pipe is bounded by HD_KEEP_CONTENTS and still skipped correctly. */
static void test_large_contents_stream(void **state)
{
    tdump t;
    tcheck c;
    size_t big = 3u << 20;
    uint8_t *blob = calloc(1, big);
    hd_record d = tdump_simple(HD_TAG_DATA), b = tdump_simple(HD_TAG_BSS), m = tdump_simple(HD_TAG_MEMSTATS);
    (void)state;
    assert_non_null(blob);
    tdump_begin(&t, HD_H17, 8);
    tdump_goroutines(&t);
    d.u.segment.addr = 0x500000;
    d.u.segment.contents.p = blob;
    d.u.segment.contents.len = d.u.segment.contents.kept = big;
    b.u.segment.addr = 0x900000;
    tdump_rec(&t, &d);
    tdump_rec(&t, &b);
    tdump_rec(&t, &m);
    tdump_eof(&t);
    tcheck_run(&c, t.m.p, t.m.len);
    assert_true(tcheck_clean(&c));
    assert_int_equal(c.res.count[HD_TAG_DATA], 1);
    assert_true(tcheck_same_via_pipe(&c, t.m.p, t.m.len));
    free(blob);
    tdump_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_every_structural_rule_has_a_case),
        cmocka_unit_test(test_max_errors),
        cmocka_unit_test(test_large_contents_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
