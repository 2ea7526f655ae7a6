/* test_encode.c — the encoder writes exactly the bytes the Go runtime's writer does: primitives, each
 * layout's record shapes, the output sinks, the refusal of partial records, and the defect hook. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hd/encode.h"
#include "hd/entropy.h"

/* Encode with f into a fresh memory buffer and compare with the expected bytes. */
typedef struct { hd_membuf m; hd_out *o; } buf;

static buf *buf_new(void)
{
    buf *b = calloc(1, sizeof *b);
    assert_non_null(b);
    b->o = malloc(sizeof *b->o);
    assert_non_null(b->o);
    hd_out_init_mem(b->o, &b->m);
    return b;
}

static void buf_expect(buf *b, const uint8_t *want, size_t n)
{
    assert_int_equal(hd_out_flush(b->o), 0);
    assert_int_equal(b->m.len, n);
    assert_memory_equal(b->m.p, want, n);
    assert_int_equal(b->o->total, n);
    free(b->m.p);
    free(b->o);
    free(b);
}

static void test_uvarint(void **state)
{
    static const struct { uint64_t v; uint8_t b[10]; size_t n; } cases[] = {
        {0, {0x00}, 1},
        {1, {0x01}, 1},
        {127, {0x7f}, 1},
        {128, {0x80, 0x01}, 2},
        {300, {0xac, 0x02}, 2},
        {16383, {0xff, 0x7f}, 2},
        {16384, {0x80, 0x80, 0x01}, 3},
        {UINT64_C(0xc000000000), {0x80, 0x80, 0x80, 0x80, 0x80, 0x18}, 6},
        {UINT64_C(1) << 63, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 10},
        {UINT64_MAX, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 10},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf *b = buf_new();
        hd_enc_uvarint(b->o, cases[i].v);
        buf_expect(b, cases[i].b, cases[i].n);
    }
}

static void test_primitives(void **state)
{
    static const uint8_t want[] = {0x01, 0x00, 0x03, 'a', 'b', 'c', 0x00,
                                   'g', 'o', '1', '.', '4', ' ', 'h', 'e', 'a', 'p', ' ', 'd', 'u', 'm', 'p', '\n'};
    buf *b = buf_new();
    (void)state;
    hd_enc_bool(b->o, true);
    hd_enc_bool(b->o, false);
    hd_enc_bytes(b->o, "abc", 3);
    hd_enc_bytes(b->o, NULL, 0);
    hd_enc_header(b->o, HD_H14);
    buf_expect(b, want, sizeof want);
}

/* One record of each shape whose layout differs between versions, with bytes worked out by hand from
 * FORMAT.md §3. */
static void test_object_layouts(void **state)
{
    hd_record r = hd_record_of(HD_TAG_OBJECT);
    hd_field f[2] = {{0, HD_FK_PTR}, {8, HD_FK14_EFACE}};
    (void)state;
    r.u.object.addr = 0x1000;
    r.u.object.type = 0x40;
    r.u.object.kind = 1;
    r.u.object.contents = hd_bytes_str("AB");
    r.u.object.fields.v = f;
    r.u.object.fields.count = r.u.object.fields.nkept = 2;
    {   /* go1.4+: addr, contents, fields */
        static const uint8_t want[] = {0x01, 0x80, 0x20, 0x02, 'A', 'B', 0x01, 0x00, 0x03, 0x08, 0x00};
        buf *b = buf_new();
        assert_int_equal(hd_enc_record(b->o, HD_V14, &r), 0);
        buf_expect(b, want, sizeof want);
    }
    {   /* go1.3: addr, type, kind, contents; no field list */
        static const uint8_t want[] = {0x01, 0x80, 0x20, 0x40, 0x01, 0x02, 'A', 'B'};
        buf *b = buf_new();
        assert_int_equal(hd_enc_record(b->o, HD_V13, &r), 0);
        buf_expect(b, want, sizeof want);
    }
}

static void test_params_layouts(void **state)
{
    hd_record r = hd_record_of(HD_TAG_PARAMS);
    (void)state;
    r.u.params.big_endian = true;
    r.u.params.ptrsize = 8;
    r.u.params.chansize = 88;
    r.u.params.arena_start = 0x100;
    r.u.params.arena_end = 0x200;
    r.u.params.arch_code = '9';
    r.u.params.arch = hd_bytes_str("ppc64");
    r.u.params.experiment = hd_bytes_str("go1.19.8");
    r.u.params.ncpu = 4;
    {
        static const uint8_t want[] = {0x06, 0x01, 0x08, 0x58, 0x80, 0x02, 0x80, 0x04, '9', 0x00, 0x04};
        buf *b = buf_new();
        r.u.params.experiment = hd_bytes_str("");
        assert_int_equal(hd_enc_record(b->o, HD_V13, &r), 0);
        buf_expect(b, want, sizeof want);
    }
    {
        static const uint8_t want[] = {0x06, 0x01, 0x08, 0x80, 0x02, 0x80, 0x04, '9', 0x00, 0x04};
        buf *b = buf_new();
        assert_int_equal(hd_enc_record(b->o, HD_V15, &r), 0);
        buf_expect(b, want, sizeof want);
    }
    {
        static const uint8_t want[] = {0x06, 0x01, 0x08, 0x80, 0x02, 0x80, 0x04, 0x05, 'p', 'p', 'c', '6', '4',
                                       0x08, 'g', 'o', '1', '.', '1', '9', '.', '8', 0x04};
        buf *b = buf_new();
        r.u.params.experiment = hd_bytes_str("go1.19.8");
        assert_int_equal(hd_enc_record(b->o, HD_V17, &r), 0);
        buf_expect(b, want, sizeof want);
    }
}

static void test_type_itab_layouts(void **state)
{
    hd_record t = hd_record_of(HD_TAG_TYPE), it = hd_record_of(HD_TAG_ITAB);
    hd_field f[1] = {{0, HD_FK13_SLICE}};
    (void)state;
    t.u.type.addr = 0x50;
    t.u.type.size = 24;
    t.u.type.name = hd_bytes_str("[]T");
    t.u.type.indirect = true;
    t.u.type.fields.v = f;
    t.u.type.fields.count = t.u.type.fields.nkept = 1;
    {   /* go1.3 types carry a field list */
        static const uint8_t want[] = {0x03, 0x50, 0x18, 0x03, '[', ']', 'T', 0x01, 0x03, 0x00, 0x00};
        buf *b = buf_new();
        assert_int_equal(hd_enc_record(b->o, HD_V13, &t), 0);
        buf_expect(b, want, sizeof want);
    }
    {
        static const uint8_t want[] = {0x03, 0x50, 0x18, 0x03, '[', ']', 'T', 0x01};
        buf *b = buf_new();
        assert_int_equal(hd_enc_record(b->o, HD_V17, &t), 0);
        buf_expect(b, want, sizeof want);
    }
    it.u.itab.addr = 0x60;
    it.u.itab.type = 0x50;
    it.u.itab.ptrdata = true;
    {   /* go1.3: a bool; later: the type */
        static const uint8_t w13[] = {0x08, 0x60, 0x01}, w14[] = {0x08, 0x60, 0x50};
        buf *b = buf_new();
        assert_int_equal(hd_enc_record(b->o, HD_V13, &it), 0);
        buf_expect(b, w13, sizeof w13);
        b = buf_new();
        assert_int_equal(hd_enc_record(b->o, HD_V14, &it), 0);
        buf_expect(b, w14, sizeof w14);
    }
}

static void test_memstats_memprof(void **state)
{
    hd_record ms = hd_record_of(HD_TAG_MEMSTATS), mp = hd_record_of(HD_TAG_MEMPROF);
    hd_mpframe fr[2];
    (void)state;
    for (unsigned i = 0; i < HD_MEMSTATS_NVALUES; i++)
        ms.u.memstats.v[i] = i == 0 ? 200 : 1;
    {
        uint8_t want[1 + 2 + HD_MEMSTATS_NVALUES - 1];
        buf *b = buf_new();
        want[0] = 0x0a;
        want[1] = 0xc8;
        want[2] = 0x01;
        memset(want + 3, 0x01, HD_MEMSTATS_NVALUES - 1);
        assert_int_equal(hd_enc_record(b->o, HD_V14, &ms), 0);
        buf_expect(b, want, sizeof want);
    }
    fr[0].name = hd_bytes_str("main.f");
    fr[0].file = hd_bytes_str("m.go");
    fr[0].line = 7;
    fr[1].name = hd_bytes_str("(0x0)");
    fr[1].file = hd_bytes_str("?");
    fr[1].line = 0;
    mp.u.memprof.addr = 0x70;
    mp.u.memprof.size = 16;
    mp.u.memprof.nframes = mp.u.memprof.nkept = 2;
    mp.u.memprof.frames = fr;
    mp.u.memprof.allocs = 3;
    mp.u.memprof.frees = 1;
    {
        static const uint8_t want[] = {0x10, 0x70, 0x10, 0x02, 0x06, 'm', 'a', 'i', 'n', '.', 'f', 0x04, 'm', '.', 'g',
                                       'o', 0x07, 0x05, '(', '0', 'x', '0', ')', 0x01, '?', 0x00, 0x03, 0x01};
        buf *b = buf_new();
        assert_int_equal(hd_enc_record(b->o, HD_V17, &mp), 0);
        buf_expect(b, want, sizeof want);
    }
}

/* A record that does not hold all its bytes (a reader's kept prefix) is refused and writes nothing. */
static void test_partial_refused(void **state)
{
    hd_record r = hd_record_of(HD_TAG_OBJECT);
    hd_field f[2] = {{0, HD_FK_PTR}, {8, HD_FK_PTR}};
    buf *b = buf_new();
    (void)state;
    r.u.object.contents = hd_bytes_str("0123456789abcdef");
    r.u.object.contents.kept = 8;
    assert_int_equal(hd_enc_record(b->o, HD_V17, &r), -1);
    r.u.object.contents.kept = 16;
    r.u.object.fields.v = f;
    r.u.object.fields.count = 3;
    r.u.object.fields.nkept = 2;
    assert_int_equal(hd_enc_record(b->o, HD_V17, &r), -1);
    hd_record mp = hd_record_of(HD_TAG_MEMPROF);
    mp.u.memprof.nframes = 70;
    mp.u.memprof.nkept = 64;
    assert_int_equal(hd_enc_record(b->o, HD_V17, &mp), -1);
    buf_expect(b, NULL, 0);
}

/* A tag the layout never writes is encoded with go1.3's steps (tests need otherroot in later versions). */
static void test_foreign_tag(void **state)
{
    static const uint8_t want[] = {0x02, 0x01, 'x', 0x05};
    hd_record r = hd_record_of(HD_TAG_OTHERROOT);
    buf *b = buf_new();
    (void)state;
    r.u.otherroot.desc = hd_bytes_str("x");
    r.u.otherroot.ptr = 5;
    assert_int_equal(hd_enc_record(b->o, HD_V17, &r), 0);
    buf_expect(b, want, sizeof want);
}

/* The defect hook: replace a part, or cut the record short. */
static int hook_bool(void *ctx, hd_out *o, unsigned step, const layout_step *st, const hd_record *r)
{
    (void)ctx;
    (void)r;
    if (step == 0) {
        static const uint8_t tag[2] = {0x89, 0x00};   /* tag 9 with a redundant zero group */
        hd_out_raw(o, tag, 2);
        return HD_ENC_DONE;
    }
    if (st->op == ST_UINT)
        return HD_ENC_CUT;
    return HD_ENC_STEP;
}

static void test_hook(void **state)
{
    static const uint8_t want[] = {0x89, 0x00, 0x10};
    hd_record r = hd_record_of(HD_TAG_OSTHREAD);
    buf *b = buf_new();
    (void)state;
    r.u.osthread.addr = 0x10;
    r.u.osthread.id = 3;
    assert_int_equal(hd_enc_record_hook(b->o, HD_V17, &r, hook_bool, NULL), 1);
    buf_expect(b, want, sizeof want);
}

/* Sinks: bytes arrive in order and complete through the 64 KiB buffer, big ranges pass straight through,
 * the first write error sticks. */
typedef struct { uint8_t *p; size_t len, calls; int fail_after; } sink;

static int sink_write(void *ctx, const uint8_t *p, size_t n)
{
    sink *s = ctx;
    if (s->fail_after >= 0 && s->calls >= (size_t)s->fail_after)
        return -1;
    s->calls++;
    memcpy(s->p + s->len, p, n);
    s->len += n;
    return 0;
}

static void test_sinks(void **state)
{
    size_t total = 3 * HD_OUT_BUF + 12345;
    uint8_t *src = malloc(total);
    sink s = {malloc(total), 0, 0, -1};
    hd_out *o = malloc(sizeof *o);
    hd_rng r;
    size_t off = 0;
    (void)state;
    assert_non_null(src);
    hd_rng_seed(&r, 9);
    for (size_t i = 0; i < total; i++)
        src[i] = (uint8_t)hd_rng_next(&r);
    hd_out_init(o, sink_write, &s);
    while (off < total) {                   /* pieces of every size, one bigger than the buffer */
        size_t n = off == 0 ? HD_OUT_BUF + 7 : 1 + (size_t)(hd_rng_next(&r) % 5000);
        if (n > total - off)
            n = total - off;
        hd_out_raw(o, src + off, n);
        off += n;
    }
    assert_int_equal(hd_out_flush(o), 0);
    assert_int_equal(s.len, total);
    assert_memory_equal(s.p, src, total);
    assert_int_equal(o->total, total);

    /* errors stick: nothing more is written, flush reports it */
    sink f = {malloc(total), 0, 0, 1};
    hd_out_init(o, sink_write, &f);
    hd_out_raw(o, src, HD_OUT_BUF + 1);     /* straight through: call 1 */
    hd_out_raw(o, src, 100);
    hd_out_raw(o, src, HD_OUT_BUF);         /* fails */
    assert_int_equal(hd_out_flush(o), -1);
    assert_int_equal(f.len, HD_OUT_BUF + 1);

    /* FILE sink */
    FILE *fp = tmpfile();
    assert_non_null(fp);
    hd_out_init_file(o, fp);
    hd_out_raw(o, src, 1000);
    assert_int_equal(hd_out_flush(o), 0);
    assert_int_equal(ftell(fp), 1000);
    fclose(fp);
    free(src);
    free(s.p);
    free(f.p);
    free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uvarint),          cmocka_unit_test(test_primitives),
        cmocka_unit_test(test_object_layouts),   cmocka_unit_test(test_params_layouts),
        cmocka_unit_test(test_type_itab_layouts), cmocka_unit_test(test_memstats_memprof),
        cmocka_unit_test(test_partial_refused),  cmocka_unit_test(test_foreign_tag),
        cmocka_unit_test(test_hook),             cmocka_unit_test(test_sinks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
