/* test_structural.c — every structural rule (S1xx) has a minimal dump that fires it and only it, and the
 * memory and stream paths agree on each. The cases are the hand-written ones of corpus/conformance, in the
 * text form (*.hdt), assembled here by libhdtext. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <dirent.h>
#include "tcase.h"
#include "tdump.h"

#define CASES_DIR HD_CORPUS_DIR "/conformance"
#define MAX_CASES 256

static tcase cases[MAX_CASES];
static char names[MAX_CASES][256];
static size_t ncases;

/* Assemble every .hdt case of corpus/conformance once. */
static int load_cases(void **state)
{
    DIR *d = opendir(CASES_DIR);
    struct dirent *e;
    (void)state;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL && ncases < MAX_CASES) {
        size_t n = strlen(e->d_name);
        char path[4096];
        if (n < 5 || strcmp(e->d_name + n - 4, ".hdt") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", CASES_DIR, e->d_name);
        snprintf(names[ncases], sizeof names[ncases], "%s", e->d_name);
        if (tcase_load(path, &cases[ncases]) < 0)
            fprintf(stderr, "%s\n", cases[ncases].error);
        assert_int_equal(cases[ncases].error[0], 0);
        ncases++;
    }
    closedir(d);
    assert_true(ncases > 0);
    return 0;
}

static int free_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < ncases; i++)
        tcase_free(&cases[i]);
    return 0;
}

/* Every hand-written case gets the verdict its header comment states, and the pipe path says exactly what
 * the memory path says. */
static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < ncases; i++) {
        const tcase *c = &cases[i];
        tcheck k;
        tcase_tally t;
        char why[320] = "";
        bool ok;
        fprintf(stderr, "case %s\n", names[i]);
        tcheck_run(&k, c->bytes.p, c->bytes.len);
        memset(&t, 0, sizeof t);
        for (unsigned j = 0; j < k.n; j++) {
            t.count[k.d[j].rule]++;
            t.total++;
        }
        ok = tcase_judge(c, &t, hd_result_valid(&k.res), why, sizeof why);
        if (!ok) {
            fprintf(stderr, "  %s\n", why);
            tcheck_dump(&k);
        }
        assert_true(ok);
        assert_int_equal(tcase_check_name(c, names[i], why, sizeof why), 0);
        assert_true(tcheck_same_via_pipe(&k, c->bytes.p, c->bytes.len));
    }
}

/* Every structural rule has a case that expects it alone. */
static void test_every_structural_rule_has_a_case(void **state)
{
    (void)state;
    for (int r = 0; r < HD_RULE_COUNT; r++) {
        bool found = false;
        if (hd_rule_get((hd_rule)r)->id[0] != 'S')
            continue;
        for (size_t i = 0; i < ncases && !found; i++)
            found = cases[i].verdict == 'n' && cases[i].nrules == 1 && cases[i].rules[0] == r;
        if (!found)
            fprintf(stderr, "no case for %s\n", hd_rule_get((hd_rule)r)->id);
        assert_true(found);
    }
}

/* Every rule family (S, P, O, T, H, G, R, M, X) has at least one hand-written case. */
static void test_every_family_has_a_case(void **state)
{
    static const char families[] = "SPOTHGRMX";
    (void)state;
    for (const char *f = families; *f != 0; f++) {
        bool found = false;
        for (size_t i = 0; i < ncases && !found; i++)
            for (unsigned j = 0; j < cases[i].nrules; j++)
                found |= hd_rule_get((hd_rule)cases[i].rules[j])->id[0] == *f;
        if (!found)
            fprintf(stderr, "no hand-written case for the %c family\n", *f);
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
        cmocka_unit_test(test_every_family_has_a_case),
        cmocka_unit_test(test_max_errors),
        cmocka_unit_test(test_large_contents_stream),
    };
    return cmocka_run_group_tests(tests, load_cases, free_cases);
}
