/* test_structural.c — every structural rule (S1xx) has a minimal dump that fires it and only it, and the
 * memory and stream paths agree on each. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
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

static void test_minimal_valid_every_header(void **state)
{
    (void)state;
    for (int h = 0; h < HD_HEADER_COUNT; h++)
        for (unsigned ps = 4; ps <= 8; ps += 4) {
            tdump t;
            tdump_begin(&t, (hd_header_id)h, ps);
            tdump_finish(&t);
            expect_clean(&t);
        }
}

static void test_bad_header(void **state)
{
    static const char *const bad[] = {"go1.8 heap dump\n", "go1.7 heap dump", "", "GO1.7 HEAP DUMP\n"};
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tcheck c;
        tcheck_run(&c, (const uint8_t *)bad[i], strlen(bad[i]));
        assert_true(tcheck_only(&c, HD_R_BAD_HEADER));
        assert_true(tcheck_same_via_pipe(&c, (const uint8_t *)bad[i], strlen(bad[i])));
    }
}

static void test_bool_invalid(void **state)
{
    tdump t;
    hd_record g = tdump_simple(HD_TAG_OSTHREAD);
    (void)state;
    tdump_init(&t, HD_H14, 8);
    /* params by hand, big-endian bool = 2 */
    hd_enc_uvarint(&t.o, HD_TAG_PARAMS);
    hd_enc_uvarint(&t.o, 2);
    hd_enc_uvarint(&t.o, 8);
    hd_enc_uvarint(&t.o, TD_ARENA_LO(8));
    hd_enc_uvarint(&t.o, TD_ARENA_HI(8));
    hd_enc_uvarint(&t.o, '6');
    hd_enc_bytes(&t.o, "", 0);
    hd_enc_uvarint(&t.o, 1);
    g.u.osthread.addr = 0x1000;
    tdump_rec(&t, &g);
    tdump_finish(&t);
    expect_only(&t, HD_R_BOOL_INVALID);
}

static void test_length_beyond_end(void **state)
{
    tdump t;
    (void)state;
    /* a 20-byte file that claims a 2^60-byte string: diagnosed at once, nothing allocated */
    tdump_init(&t, HD_H17, 8);
    hd_enc_uvarint(&t.o, HD_TAG_OBJECT);
    hd_enc_uvarint(&t.o, 0);
    hd_enc_uvarint(&t.o, UINT64_C(1) << 60);
    expect_only(&t, HD_R_LENGTH_BEYOND_END);
}

static void test_length_beyond_end_contents(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    hd_enc_uvarint(&t.o, HD_TAG_OBJECT);
    hd_enc_uvarint(&t.o, TD_ARENA_LO(8));
    hd_enc_uvarint(&t.o, 64);
    hd_out_raw(&t.o, "0123456789", 10);
    expect_only(&t, HD_R_LENGTH_BEYOND_END);
}

static void test_memprof_frame_count_lie(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tdump_tail(&t);
    hd_enc_uvarint(&t.o, HD_TAG_MEMPROF);
    hd_enc_uvarint(&t.o, 0x1000);
    hd_enc_uvarint(&t.o, 16);
    hd_enc_uvarint(&t.o, UINT64_C(1) << 50);
    expect_only(&t, HD_R_TRUNCATED_RECORD);
}

static void test_tag_unknown(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    hd_enc_uvarint(&t.o, 18);
    tdump_finish(&t);
    expect_only(&t, HD_R_TAG_UNKNOWN);
}

static void test_tag_not_in_version(void **state)
{
    tdump t;
    hd_record r = tdump_simple(HD_TAG_OTHERROOT);
    (void)state;
    tdump_begin(&t, HD_H14, 8);
    r.u.otherroot.ptr = 0;
    tdump_rec(&t, &r);   /* encoded with the go1.3 layout: the reader reads on */
    tdump_finish(&t);
    expect_only(&t, HD_R_TAG_NOT_IN_VERSION);
}

/* data record whose field list is given raw */
static void data_with_fields(tdump *t, const uint64_t *pairs, size_t n, bool terminate)
{
    static const uint8_t contents[64];
    hd_enc_uvarint(&t->o, HD_TAG_DATA);
    hd_enc_uvarint(&t->o, 0x500000);
    hd_enc_bytes(&t->o, contents, sizeof contents);
    for (size_t i = 0; i < n; i++)
        hd_enc_uvarint(&t->o, pairs[i]);
    if (terminate)
        hd_enc_uvarint(&t->o, 0);
}

static void test_field_kind_invalid_for_version(void **state)
{
    static const uint64_t pairs[] = {HD_FK_PTR, 0, 2 /* iface: go1.4 only */, 8};
    tdump t;
    hd_record b = tdump_simple(HD_TAG_BSS), m = tdump_simple(HD_TAG_MEMSTATS);
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    data_with_fields(&t, pairs, 4, true);
    b.u.segment.addr = 0x600000;
    tdump_rec(&t, &b);
    tdump_rec(&t, &m);
    tdump_eof(&t);
    expect_only(&t, HD_R_FIELD_KIND_INVALID);
}

static void test_field_kind_never_exists(void **state)
{
    static const uint64_t pairs[] = {9, 0};
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H13, 8);
    data_with_fields(&t, pairs, 2, true);
    expect_only(&t, HD_R_FIELD_KIND_INVALID);
}

static void test_fields_unterminated(void **state)
{
    static const uint64_t pairs[] = {HD_FK_PTR, 0, HD_FK_PTR, 8};
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    data_with_fields(&t, pairs, 4, false);
    expect_only(&t, HD_R_FIELDS_UNTERMINATED);
}

static void test_truncated_record(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    hd_enc_uvarint(&t.o, HD_TAG_OSTHREAD);
    hd_enc_uvarint(&t.o, 0x1000);
    expect_only(&t, HD_R_TRUNCATED_RECORD);
}

static void test_no_eof(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tdump_tail(&t);
    expect_only(&t, HD_R_NO_EOF);
}

static void test_trailing_bytes(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tdump_finish(&t);
    hd_out_raw(&t.o, "\x00\x00junk", 6);
    expect_only(&t, HD_R_TRAILING_BYTES);
}

static void test_ptr_too_wide(void **state)
{
    tdump t;
    hd_record th = tdump_simple(HD_TAG_OSTHREAD);
    (void)state;
    tdump_begin(&t, HD_H17, 4);
    th.u.osthread.addr = UINT64_C(0x100000000);
    tdump_rec(&t, &th);
    tdump_finish(&t);
    expect_only(&t, HD_R_PTR_TOO_WIDE);
}

static void test_ptrsize_invalid(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 6);
    tdump_finish(&t);
    expect_only(&t, HD_R_PTRSIZE_INVALID);
}

static void test_params_not_first(void **state)
{
    tdump t;
    hd_record th = tdump_simple(HD_TAG_OSTHREAD), p;
    (void)state;
    tdump_init(&t, HD_H17, 8);
    th.u.osthread.addr = 0x1000;
    tdump_rec(&t, &th);
    p = tdump_params(&t);
    tdump_rec(&t, &p);
    tdump_finish(&t);
    expect_only(&t, HD_R_PARAMS_NOT_FIRST);
}

static void test_duplicate_singleton(void **state)
{
    tdump t;
    hd_record m = tdump_simple(HD_TAG_MEMSTATS);
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tdump_tail(&t);
    tdump_rec(&t, &m);
    tdump_eof(&t);
    expect_only(&t, HD_R_DUPLICATE_SINGLETON);
}

static void test_missing_singleton(void **state)
{
    tdump t;
    hd_record m = tdump_simple(HD_TAG_MEMSTATS);
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tdump_rec(&t, &m);
    tdump_eof(&t);
    expect_only(&t, HD_R_MISSING_SINGLETON);
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
        cmocka_unit_test(test_minimal_valid_every_header),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_bool_invalid),
        cmocka_unit_test(test_length_beyond_end),
        cmocka_unit_test(test_length_beyond_end_contents),
        cmocka_unit_test(test_memprof_frame_count_lie),
        cmocka_unit_test(test_tag_unknown),
        cmocka_unit_test(test_tag_not_in_version),
        cmocka_unit_test(test_field_kind_invalid_for_version),
        cmocka_unit_test(test_field_kind_never_exists),
        cmocka_unit_test(test_fields_unterminated),
        cmocka_unit_test(test_truncated_record),
        cmocka_unit_test(test_no_eof),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_ptr_too_wide),
        cmocka_unit_test(test_ptrsize_invalid),
        cmocka_unit_test(test_params_not_first),
        cmocka_unit_test(test_duplicate_singleton),
        cmocka_unit_test(test_missing_singleton),
        cmocka_unit_test(test_max_errors),
        cmocka_unit_test(test_large_contents_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
