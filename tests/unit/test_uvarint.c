/* test_uvarint.c — the encoding primitives: uvarint edge cases, bools, lengths, through the reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "hd/reader.h"
#include "hd/uvarint.h"
#include "tdump.h"

/* params, the dumping goroutine and its frame, data, bss, memstats, EOF */
#define SKELETON_RECORDS 7

/* A go1.7 dump whose params ncpu field (the last uvarint of params) is the given raw bytes. */
static void dump_with_ncpu_bytes(tdump *t, const uint8_t *raw, size_t n)
{
    hd_record p;
    tdump_init(t, HD_H17, 8);
    p = tdump_params(t);
    /* encode params without ncpu: write it by hand, then the raw bytes */
    hd_enc_uvarint(&t->o, HD_TAG_PARAMS);
    hd_enc_bool(&t->o, false);
    hd_enc_uvarint(&t->o, 8);
    hd_enc_uvarint(&t->o, p.u.params.arena_start);
    hd_enc_uvarint(&t->o, p.u.params.arena_end);
    hd_enc_bytes(&t->o, "amd64", 5);
    hd_enc_bytes(&t->o, "go1.19.8", 8);
    hd_out_raw(&t->o, raw, n);
}

static uint64_t ncpu_of(const uint8_t *raw, size_t n, tcheck *c)
{
    tdump t;
    dump_with_ncpu_bytes(&t, raw, n);
    tdump_finish(&t);
    tcheck_run(c, t.m.p, t.m.len);
    assert_true(tcheck_same_via_pipe(c, t.m.p, t.m.len));
    tdump_free(&t);
    return c->res.records;
}

/* The params record of dump_with_ncpu_bytes, decoded by the reader. */
static uint64_t decoded_ncpu(const uint8_t *raw, size_t n)
{
    tdump t;
    hd_reader *r;
    hd_header_id h;
    hd_record rec;
    uint64_t v;

    dump_with_ncpu_bytes(&t, raw, n);
    tdump_finish(&t);
    r = hd_reader_open_mem(t.m.p, t.m.len, NULL);
    assert_non_null(r);
    assert_int_equal(hd_reader_header(r, &h), 0);
    assert_int_equal(hd_reader_next(r, &rec), 1);
    assert_int_equal(rec.tag, HD_TAG_PARAMS);
    v = rec.u.params.ncpu;
    hd_reader_free(r);
    tdump_free(&t);
    return v;
}

/* v encoded by hd_uvarint_put decodes to v: by hd_uvarint_get, and by the reader inside a record (the last
 * field of params), with no diagnostic but P106 for 0. */
static void roundtrip_value(uint64_t v)
{
    uint8_t raw[HD_UVARINT_MAX];
    size_t n = hd_uvarint_put(raw, v), used = 0;
    uint64_t back = ~v;
    tcheck c;

    assert_int_equal(n, hd_uvarint_len(v));
    assert_int_equal(hd_uvarint_get(raw, n, &back, &used), HD_UV_OK);
    assert_int_equal(used, n);
    assert_true(back == v);
    assert_true(decoded_ncpu(raw, n) == v);
    ncpu_of(raw, n, &c);
    if (v == 0)      /* decoded as 0: the runtime never reports 0 CPUs, so P106 (and only it) says so */
        assert_true(tcheck_only(&c, HD_R_NCPU_ZERO));
    else
        assert_true(tcheck_clean(&c));
    assert_int_equal(c.res.records, SKELETON_RECORDS);
}

static void test_valid_values(void **state)
{
    (void)state;
    roundtrip_value(0);
    roundtrip_value(1);
    roundtrip_value(127);
    roundtrip_value(128);
    roundtrip_value(16383);
    roundtrip_value(16384);
    roundtrip_value(UINT64_C(1) << 63);
    roundtrip_value(UINT64_MAX);
}

static void test_ten_byte_max(void **state)
{
    /* 2^64-1: nine 0xff then 0x01 */
    static const uint8_t raw[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    tcheck c;
    (void)state;
    ncpu_of(raw, sizeof raw, &c);
    assert_true(tcheck_clean(&c));
}

static void test_overflow_in_byte_10(void **state)
{
    static const uint8_t raw[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    tcheck c;
    (void)state;
    ncpu_of(raw, sizeof raw, &c);
    assert_true(tcheck_only(&c, HD_R_UVARINT_OVERFLOW));
    assert_int_equal(c.d[0].offset, 16 + 1 + 1 + 1 + 6 + 6 + 6 + 9);
}

static void test_eleven_bytes(void **state)
{
    static const uint8_t raw[11] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    tcheck c;
    (void)state;
    ncpu_of(raw, sizeof raw, &c);
    assert_true(tcheck_only(&c, HD_R_UVARINT_TOO_LONG));
}

static void test_non_minimal(void **state)
{
    static const uint8_t two[2] = {0x82, 0x00};                       /* 2 as 2 bytes */
    static const uint8_t ten[10] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    tcheck c;
    (void)state;
    ncpu_of(two, sizeof two, &c);
    assert_true(tcheck_only(&c, HD_R_UVARINT_NONMIN));
    assert_int_equal(c.res.records, SKELETON_RECORDS);   /* the boundary is kept: decoding went on */
    ncpu_of(ten, sizeof ten, &c);   /* ten-byte zero: not minimal, and ncpu 0 */
    assert_int_equal(tcheck_count(&c, HD_R_UVARINT_NONMIN), 1);
    assert_int_equal(tcheck_count(&c, HD_R_NCPU_ZERO), 1);
    assert_int_equal(c.n, 2);
}

static void test_truncated_in_uvarint(void **state)
{
    static const uint8_t raw[1] = {0x80};
    tdump t;
    tcheck c;
    (void)state;
    dump_with_ncpu_bytes(&t, raw, sizeof raw);
    hd_out_flush(&t.o);
    tcheck_run(&c, t.m.p, t.m.len);
    assert_true(tcheck_only(&c, HD_R_TRUNCATED_RECORD));
    assert_true(tcheck_same_via_pipe(&c, t.m.p, t.m.len));
    tdump_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_values),         cmocka_unit_test(test_ten_byte_max),
        cmocka_unit_test(test_overflow_in_byte_10),  cmocka_unit_test(test_eleven_bytes),
        cmocka_unit_test(test_non_minimal),          cmocka_unit_test(test_truncated_in_uvarint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
