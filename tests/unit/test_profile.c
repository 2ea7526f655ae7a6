/* test_profile.c — producer profiles (profile.c): the release range and producer detected from the header,
 * the params version string, --go and --producer; gccgo's known deviations lowered to info (X102); params that
 * contradict the header or --go (X101). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "check_internal.h"
#include "tworld.h"


/* ---- helpers ------------------------------------------------------------------------------------------------- */

static void params_with_version(tdump *t, hd_header_id h, unsigned ps, const char *version)
{
    hd_record p;
    tdump_init(t, h, ps);
    p = tdump_params(t);
    if (version != NULL)
        p.u.params.experiment = tw_str(version);
    tdump_rec(t, &p);
}

/* A gc-shaped dump (objects, goroutine with a frame, thread, data, bss, memstats) with that version. */
static void gc_dump(tdump *t, hd_header_id h, const char *version)
{
    params_with_version(t, h, 8, version);
    tw_w_object(t);
    tw_w_goroutine(t);
    tw_w_thread(t);
    tdump_finish(t);
}

/* What libgo writes: no frames, types, itabs, data or bss; version "unknown". */
static void gccgo_dump(tdump *t, bool memstats)
{
    hd_record g, m = tdump_simple(HD_TAG_MEMSTATS);
    params_with_version(t, HD_H17, 8, "unknown");
    tw_w_object(t);
    g = tw_goroutine_rec(t);
    tdump_rec(t, &g);
    tw_w_thread(t);
    if (memstats)
        tdump_rec(t, &m);
    tdump_eof(t);
}

static void run_opts(tcheck *c, tdump *t, const char *go, const char *producer)
{
    hd_options o;
    hd_options_init(&o);
    o.go_version = go;
    o.producer = producer;
    tcheck_run_opts(c, t->m.p, t->m.len, &o);
    if (go == NULL && producer == NULL)
        assert_true(tcheck_same_via_pipe(c, t->m.p, t->m.len));
}

/* The profile after the params record, read from the checker itself. */
static ck_profile profile_after_params(hd_header_id h, const char *version, const char *go, char *go_version)
{
    tdump t;
    hd_options o;
    hd_checker *c;
    hd_record p;
    ck_profile prof;

    hd_options_init(&o);
    o.go_version = go;
    tdump_init(&t, h, 8);
    p = tdump_params(&t);
    if (version != NULL)
        p.u.params.experiment = tw_str(version);
    p.index = 0;
    c = hd_checker_new(h, &o, NULL);
    assert_non_null(c);
    hd_checker_record(c, &p);
    prof = c->prof;
    strcpy(go_version, c->go_version);
    hd_checker_finish(c, 0, false);
    hd_checker_free(c);
    tdump_free(&t);
    return prof;
}

/* ---- release ranges ------------------------------------------------------------------------------------------- */

static void test_ranges(void **state)
{
    static const struct {
        hd_header_id h; const char *version, *go; unsigned lo, hi; bool gccgo; const char *shown;
    } cases[] = {
        {HD_H13, NULL, NULL, 3, 3, false, "go1.3"},
        {HD_H14, NULL, NULL, 4, 4, false, "go1.4"},
        {HD_H15, NULL, NULL, 5, 5, false, "go1.5"},
        {HD_H16, NULL, NULL, 6, 6, false, "go1.6"},
        {HD_H17, "go1.19.8", NULL, 19, 19, false, "go1.19.8"},
        {HD_H17, "go1.20.1 X:boringcrypto", NULL, 20, 20, false, "go1.20.1"},
        {HD_H17, "go1.25-devel_c0e149b6b1 Fri May 23 10:41:44 2025 -0700", NULL, 25, 25, false, "go1.25-devel_c0e149b6b1"},
        {HD_H17, "devel go1.22-abc123 Mon Jan 1 00:00:00 2024 +0000", NULL, 22, 22, false, "devel go1.22-abc123"},
        {HD_H17, "devel +b0a7a38 Tue Apr 20 2021", NULL, 17, HD_GO_OPEN, false, "devel +b0a7a38"},
        {HD_H17, "", NULL, 7, 16, false, ""},
        {HD_H17, "fieldtrack", NULL, 7, 16, false, ""},
        {HD_H17, "unknown", NULL, 7, HD_GO_OPEN, true, ""},
        {HD_H17, "", "1.12", 12, 12, false, "1.12"},
        {HD_H17, "go1.19.8", "go1.19.8", 19, 19, false, "go1.19.8"},
        {HD_H14, NULL, "1.4", 4, 4, false, "1.4"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char shown[64];
        ck_profile p = profile_after_params(cases[i].h, cases[i].version, cases[i].go, shown);
        if (p.go_min != cases[i].lo || p.go_max != cases[i].hi || p.gccgo != cases[i].gccgo ||
            strcmp(shown, cases[i].shown) != 0)
            fail_msg("case %zu: got [%u, %u] gccgo=%d \"%s\"", i, p.go_min, p.go_max, p.gccgo, shown);
    }
}

static void test_summary_reports_profile(void **state)
{
    tdump t;
    tcheck c;
    (void)state;
    gc_dump(&t, HD_H17, "go1.22.8");
    run_opts(&c, &t, NULL, NULL);
    assert_true(tcheck_clean(&c));
    assert_string_equal(c.res.producer, "gc");
    assert_string_equal(c.res.go_version, "go1.22.8");
    run_opts(&c, &t, "1.22", NULL);
    assert_string_equal(c.res.go_version, "1.22");
    tdump_free(&t);
}

/* ---- gccgo ---------------------------------------------------------------------------------------------------- */

static void test_gccgo_detected(void **state)
{
    tdump t;
    tcheck c;
    (void)state;
    gccgo_dump(&t, true);
    run_opts(&c, &t, NULL, NULL);
    assert_int_equal(c.res.errors, 0);
    assert_int_equal(c.res.warnings, 0);
    assert_int_equal(tcheck_count(&c, HD_R_PROFILE_APPLIED), 1);
    assert_int_equal(tcheck_count(&c, HD_R_MISSING_SINGLETON), 2);     /* data and bss, as info */
    for (unsigned i = 0; i < c.n; i++)
        assert_int_equal(c.d[i].severity, HD_SEV_INFO);
    assert_string_equal(c.res.producer, "gccgo");
    assert_string_equal(c.res.go_version, "");
    tdump_free(&t);
}

/* --producer=gc: the same dump is judged as gc, so its deviations are errors again. */
static void test_gccgo_forced_gc(void **state)
{
    tdump t;
    tcheck c;
    (void)state;
    gccgo_dump(&t, true);
    run_opts(&c, &t, NULL, "gc");
    assert_int_equal(tcheck_count(&c, HD_R_PROFILE_APPLIED), 0);
    assert_int_equal(c.res.errors, 2);
    assert_string_equal(c.res.producer, "gc");
    tdump_free(&t);
}

/* A deviation is lowered only where gccgo really shows it: a missing memstats stays an error. */
static void test_gccgo_missing_memstats_is_error(void **state)
{
    tdump t;
    tcheck c;
    (void)state;
    gccgo_dump(&t, false);
    run_opts(&c, &t, NULL, NULL);
    assert_int_equal(tcheck_count(&c, HD_R_MISSING_SINGLETON), 3);
    assert_int_equal(c.res.errors, 3);
    tdump_free(&t);
}

static void test_producer_option_gccgo(void **state)
{
    tdump t;
    tcheck c;
    (void)state;
    gc_dump(&t, HD_H17, "go1.19.8");
    run_opts(&c, &t, NULL, "gccgo");
    assert_true(tcheck_only(&c, HD_R_PROFILE_APPLIED));
    assert_int_equal(c.d[0].severity, HD_SEV_INFO);
    assert_string_equal(c.res.producer, "gccgo");
    tdump_free(&t);
}

/* ---- X101: params that contradict the header or --go ----------------------------------------------------------- */

static void expect_x101(tdump *t, const char *go)
{
    tcheck c;
    run_opts(&c, t, go, NULL);
    assert_true(tcheck_only(&c, HD_R_PARAMS_HEADER_MISMATCH));
    assert_int_equal(c.n, 1);
    tdump_free(t);
}

/* A go1.5/go1.6-layout params record (architecture as the char code '6') under a go1.7 header. Decoded with
 * the go1.7 layout, the code becomes a 54-byte "GOARCH" made of the old GOEXPERIMENT, ncpu and what follows;
 * the bytes after it are chosen so that decoding goes on at a record boundary. */
static void test_v15_params_under_go17_header(void **state)
{
    tdump t;
    static const uint8_t filler[52];
    (void)state;
    tdump_init(&t, HD_H17, 8);
    hd_enc_uvarint(&t.o, HD_TAG_PARAMS);
    hd_enc_bool(&t.o, false);
    hd_enc_uvarint(&t.o, 8);
    hd_enc_uvarint(&t.o, TD_ARENA_LO(8));
    hd_enc_uvarint(&t.o, TD_ARENA_HI(8));
    hd_enc_uvarint(&t.o, '6');
    hd_enc_bytes(&t.o, "", 0);          /* GOEXPERIMENT */
    hd_enc_uvarint(&t.o, 2);            /* ncpu */
    hd_out_raw(&t.o, filler, sizeof filler);
    hd_enc_bytes(&t.o, "", 0);          /* read as the version */
    hd_enc_uvarint(&t.o, 2);            /* read as ncpu */
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    expect_x101(&t, NULL);
}

static void test_version_impossible_under_go17(void **state)
{
    tdump t;
    (void)state;
    gc_dump(&t, HD_H17, "go1.5.4");      /* before the go1.7 header existed */
    expect_x101(&t, NULL);
    gc_dump(&t, HD_H17, "go1.12");       /* before 1.17 the field is GOEXPERIMENT */
    expect_x101(&t, NULL);
}

static void test_version_in_old_header(void **state)
{
    tdump t;
    (void)state;
    gc_dump(&t, HD_H14, "go1.19.8");
    expect_x101(&t, NULL);
}

static void test_go_option_contradictions(void **state)
{
    tdump t;
    tcheck c;
    (void)state;
    gc_dump(&t, HD_H14, NULL);
    expect_x101(&t, "1.19");             /* a go1.4 header is Go 1.4's */
    gc_dump(&t, HD_H17, "go1.22.8");
    expect_x101(&t, "1.19");
    gc_dump(&t, HD_H17, "go1.22.8");
    run_opts(&c, &t, "go1.22.8", NULL);
    assert_true(tcheck_clean(&c));
    tdump_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),                       cmocka_unit_test(test_summary_reports_profile),
        cmocka_unit_test(test_gccgo_detected),               cmocka_unit_test(test_gccgo_forced_gc),
        cmocka_unit_test(test_gccgo_missing_memstats_is_error), cmocka_unit_test(test_producer_option_gccgo),
        cmocka_unit_test(test_v15_params_under_go17_header), cmocka_unit_test(test_version_impossible_under_go17),
        cmocka_unit_test(test_version_in_old_header),        cmocka_unit_test(test_go_option_contradictions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
