/* test_objects.c — heap tw_objects (FORMAT.md §5.4: O1–O7) and pointers into the arena: small realistic dumps
 * stay clean, and each rule has a dump that fires it and only it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "tworld.h"
#include "xref.h"   /* XREF_BATCH */


#define NOWHERE (ARENA + 0x60000)      /* in the arena, in no object and no stack */

/* An object whose contents are `words` (little-endian) with a Ptr field at each word index in `at`. */
typedef struct {
    uint8_t  bytes[256];
    hd_field f[32];
} objbuf;

static hd_record object_words(objbuf *b, uint64_t addr, const uint64_t *words, unsigned nwords,
                              const unsigned *at, unsigned nat)
{
    hd_record r = tw_object(addr, 8u * nwords);
    for (unsigned i = 0; i < nwords; i++)
        for (unsigned k = 0; k < 8; k++)
            b->bytes[8 * i + k] = (uint8_t)(words[i] >> (8 * k));
    for (unsigned i = 0; i < nat; i++) {
        b->f[i].offset = 8u * at[i];
        b->f[i].kind = HD_FK_PTR;
    }
    r.u.object.contents = tw_bytes(b->bytes, 8u * nwords);
    r.u.object.fields.v = b->f;
    r.u.object.fields.count = r.u.object.fields.nkept = nat;
    return r;
}

/* An object of `size` zero bytes with the given field list. */
static hd_record object_fields(uint64_t addr, uint64_t size, const hd_field *f, uint32_t n)
{
    hd_record r = tw_object(addr, size);
    r.u.object.fields.v = f;
    r.u.object.fields.count = r.u.object.fields.nkept = n;
    return r;
}

static void begin(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    tw_objects(t);
}

/* The tw_goroutine (waiting, in G_ADDR, tw_frames [STACK, STACK+80)), its thread, data, bss, memstats, EOF. */
static void end(tdump *t)
{
    tw_put(t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    tw_frames(t);
    tw_put(t, tw_osthread(M_ADDR, 1));
    tdump_finish(t);
}

/* As end(), with the given data and bss records. */
static void end_with_segments(tdump *t, hd_record d, hd_record b)
{
    tw_put(t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    tw_frames(t);
    tw_put(t, tw_osthread(M_ADDR, 1));
    tw_put(t, d);
    tw_put(t, b);
    tw_put(t, tdump_simple(HD_TAG_MEMSTATS));
    tdump_eof(t);
}

/* A dump whose objects section is G, M, OBJ and then `extra`. */
static bool with_objects(const hd_record *extra, size_t n, int rule)
{
    tdump t;
    begin(&t);
    for (size_t i = 0; i < n; i++)
        tw_put(&t, extra[i]);
    end(&t);
    return tw_verdict(&t, rule);
}

/* ---- clean dumps --------------------------------------------------------------------------------- */

/* Two spans written high one first (allspans order), pointers forward, backward, to an inner address,
 * into a goroutine's stack; a segment pointing into the heap. */
static void test_clean(void **state)
{
    static objbuf a, b, seg;
    const uint64_t hi = ARENA + 0x80000, lo = ARENA + 0x70000;
    const uint64_t wa[4] = {lo, lo + 8, STACK + 16, 12345};
    const uint64_t wb[2] = {hi, 0};
    const unsigned at[4] = {0, 1, 2, 3};
    hd_record d = tdump_simple(HD_TAG_DATA), s = tdump_simple(HD_TAG_BSS);
    tdump t;
    (void)state;
    begin(&t);
    tw_put(&t, object_words(&a, hi, wa, 4, at, 4));
    tw_put(&t, object_words(&b, hi + 32, wb, 2, at, 2));
    tw_put(&t, tw_object(lo, 16));
    tw_put(&t, tw_object(lo + 16, 16));
    tw_put(&t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    tw_frames(&t);
    tw_put(&t, tw_osthread(M_ADDR, 1));
    d.u.segment.addr = 0x500000;
    {
        hd_record w = object_words(&seg, 0, wa, 2, at, 2);
        d.u.segment.contents = w.u.object.contents;
        d.u.segment.fields = w.u.object.fields;
    }
    s.u.segment.addr = 0x600000;
    tw_put(&t, d);
    tw_put(&t, s);
    tw_put(&t, tdump_simple(HD_TAG_MEMSTATS));
    tdump_eof(&t);
    assert_true(tw_verdict(&t, -1));
}

/* go1.4: two-word Iface/Eface fields that fit; their data word is a pointer. */
static void test_clean_go14_multiword(void **state)
{
    static const hd_field f[] = {{0, HD_FK14_IFACE}, {16, HD_FK14_EFACE}, {32, HD_FK_PTR}};
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H14, 8);
    tw_objects(&t);
    tw_put(&t, object_fields(ARENA + 0x70000, 48, f, 3));
    end(&t);
    assert_true(tw_verdict(&t, -1));
}

/* go1.4 frames hold a pointer just past a 48-byte defer tw_object (deferArgs of a defer without arguments). */
static void test_pointer_past_end(void **state)
{
    static uint8_t fb[32];
    static const hd_field f[] = {{8, HD_FK_PTR}};
    hd_record fr = tw_frame(STACK, 0, 0, 32, "runtime.gopanic");
    uint64_t v = OBJ + OBJ_SIZE;
    tdump t;
    (void)state;
    for (unsigned k = 0; k < 8; k++) {
        fb[8 + k] = (uint8_t)(v >> (8 * k));
        fb[24 + k] = (uint8_t)(TW_FRAME_PC >> (8 * k));      /* the return address (G128) */
    }
    fr.u.frame.contents = tw_bytes(fb, 32);
    fr.u.frame.fields.v = f;
    fr.u.frame.fields.count = fr.u.frame.fields.nkept = 1;
    begin(&t);
    tw_put(&t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    tw_put(&t, fr);
    tw_put(&t, tw_frame(STACK + 32, 1, STACK, 48, "main.main"));
    tw_put(&t, tw_osthread(M_ADDR, 1));
    tdump_finish(&t);
    assert_true(tw_verdict(&t, -1));
}

/* ---- O1, O2: field lists ------------------------------------------------------------------------ */

static void test_fields(void **state)
{
    static const hd_field unsorted[] = {{8, HD_FK_PTR}, {0, HD_FK_PTR}};
    static const hd_field odd[] = {{4, HD_FK_PTR}};
    static const hd_field past[] = {{32, HD_FK_PTR}};
    hd_record r[1];
    (void)state;
    r[0] = object_fields(ARENA + 0x70000, 32, unsorted, 2);
    assert_true(with_objects(r, 1, HD_R_FIELDS_UNSORTED));
    r[0] = object_fields(ARENA + 0x70000, 32, odd, 1);
    assert_true(with_objects(r, 1, HD_R_FIELD_MISALIGNED));
    r[0] = object_fields(ARENA + 0x70000, 32, past, 1);
    assert_true(with_objects(r, 1, HD_R_FIELD_OUTSIDE));
}

static void test_fields_multiword(void **state)
{
    static const hd_field last[] = {{24, HD_FK14_IFACE}};                 /* second word past the end */
    static const hd_field into[] = {{0, HD_FK14_EFACE}, {8, HD_FK_PTR}};   /* next field inside it */
    const hd_field *lists[2] = {last, into};
    const uint32_t n[2] = {1, 2};
    (void)state;
    for (int i = 0; i < 2; i++) {
        tdump t;
        tdump_begin(&t, HD_H14, 8);
        tw_objects(&t);
        tw_put(&t, object_fields(ARENA + 0x70000, 32, lists[i], n[i]));
        end(&t);
        assert_true(tw_verdict(&t, HD_R_FIELD_MULTIWORD));
    }
}

/* The segments' field lists obey O1 too. */
static void test_segment_fields(void **state)
{
    static const hd_field past[] = {{16, HD_FK_PTR}};
    hd_record d = tdump_simple(HD_TAG_DATA), s = tdump_simple(HD_TAG_BSS);
    tdump t;
    (void)state;
    d.u.segment.addr = 0x500000;
    d.u.segment.contents = tw_bytes(tw_zeros, 16);
    d.u.segment.fields.v = past;
    d.u.segment.fields.count = d.u.segment.fields.nkept = 1;
    s.u.segment.addr = 0x600000;
    begin(&t);
    end_with_segments(&t, d, s);
    assert_true(tw_verdict(&t, HD_R_FIELD_OUTSIDE));
}

/* ---- O3, O5: where and how big --------------------------------------------------------------------- */

static void test_outside_arena(void **state)
{
    const hd_record low[] = {tw_object(0x1000, 16)};
    const hd_record across[] = {tw_object(ARENA + 0x4000000 - 16, 32)};
    (void)state;
    assert_true(with_objects(low, 1, HD_R_OBJECT_OUTSIDE_ARENA));
    assert_true(with_objects(across, 1, HD_R_OBJECT_OUTSIDE_ARENA));
}

static void test_size_and_alignment(void **state)
{
    const hd_record odd[] = {tw_object(ARENA + 0x70000, 12)};
    const hd_record empty[] = {tw_object(ARENA + 0x70000, 0)};
    const hd_record mis[] = {tw_object(ARENA + 0x70004, 16)};
    (void)state;
    assert_true(with_objects(odd, 1, HD_R_OBJECT_SIZE));
    assert_true(with_objects(empty, 1, HD_R_OBJECT_SIZE));
    assert_true(with_objects(mis, 1, HD_R_OBJECT_MISALIGNED));
}

/* ---- O4: overlaps -------------------------------------------------------------------------------- */

static void test_duplicate(void **state)
{
    const hd_record dup[] = {tw_object(OBJ, OBJ_SIZE)};
    (void)state;
    assert_true(with_objects(dup, 1, HD_R_OBJECT_DUPLICATE));
}

static void test_overlap(void **state)
{
    const uint64_t x = ARENA + 0x70000;
    const hd_record one[] = {tw_object(x, 64), tw_object(x + 32, 32)};
    /* a big object holding two small ones that do not touch each other: both reported; the offset is the
     * record written later (here the big one, after the first small one) */
    const hd_record nested[] = {tw_object(x + 16, 16), tw_object(x, 256), tw_object(x + 64, 16)};
    tdump t;
    tcheck c;
    (void)state;
    assert_true(with_objects(one, 2, HD_R_OBJECT_OVERLAP));
    begin(&t);
    for (int i = 0; i < 3; i++)
        tw_put(&t, nested[i]);
    end(&t);
    hd_out_flush(&t.o);
    tcheck_run(&c, t.m.p, t.m.len);
    assert_true(tcheck_only(&c, HD_R_OBJECT_OVERLAP));
    assert_int_equal(c.n, 2);
    tdump_free(&t);
}

/* ---- O7: objects vs segments ------------------------------------------------------------------------ */

static void test_object_in_segment(void **state)
{
    hd_record d = tdump_simple(HD_TAG_DATA), s = tdump_simple(HD_TAG_BSS);
    tdump t;
    (void)state;
    d.u.segment.addr = OBJ + OBJ_SIZE - 8;
    d.u.segment.contents = tw_bytes(tw_zeros, 16);
    s.u.segment.addr = 0x600000;
    begin(&t);
    end_with_segments(&t, d, s);
    assert_true(tw_verdict(&t, HD_R_OBJECT_IN_SEGMENT));
}

/* ---- pointers ------------------------------------------------------------------------------------ */

static void test_pointer_dangling(void **state)
{
    static objbuf a;
    const uint64_t w[2] = {OBJ, NOWHERE};
    const unsigned at[2] = {0, 1};
    hd_record r[1];
    (void)state;
    r[0] = object_words(&a, ARENA + 0x70000, w, 2, at, 2);
    assert_true(with_objects(r, 1, HD_R_POINTER_DANGLING));
}

/* Frames the runtime injected without a pointer map (runtime.asyncPreempt, runtime.debugCallV2) list every word
 * as a pointer field, and the frame they interrupted is scanned conservatively: what those words hold is not a
 * pointer the writer vouches for (seen in real dumps of every port). Any other frame's dangling pointer is H111. */
static bool frames_holding(const char *inner, const char *outer, int rule)
{
    static uint8_t fb[2][48];
    static const hd_field f = {0, HD_FK_PTR};
    hd_record fr[2] = {tw_frame(STACK, 0, 0, 32, inner), tw_frame(STACK + 32, 1, STACK, 48, outer)};
    tdump t;
    for (int k = 0; k < 2; k++) {
        for (unsigned i = 0; i < 8; i++) {
            fb[k][i] = (uint8_t)(NOWHERE >> (8 * i));
            fb[k][24 + i] = (uint8_t)(TW_FRAME_PC >> (8 * i));   /* the return address (G128) */
        }
        fr[k].u.frame.contents = tw_bytes(fb[k], k == 0 ? 32 : 48);
        fr[k].u.frame.fields = hd_fields_of(&f, 1);
    }
    begin(&t);
    tw_put(&t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    tw_put(&t, fr[0]);
    tw_put(&t, fr[1]);
    tw_put(&t, tw_osthread(M_ADDR, 1));
    tdump_finish(&t);
    return tw_verdict(&t, rule);
}

static void test_pointer_in_injected_frames(void **state)
{
    (void)state;
    assert_true(frames_holding("runtime.asyncPreempt", "main.loop", -1));
    assert_true(frames_holding("runtime.debugCallV2", "main.loop", -1));
    assert_true(frames_holding("runtime.gopark", "main.loop", HD_R_POINTER_DANGLING));
    assert_true(frames_holding("runtime.sigpanic", "main.loop", HD_R_POINTER_DANGLING));   /* it has a map */
}

/* A pointer in an object to the byte just past another object (a free slot, or the next span) is dangling:
 * the one-past allowance is for go1.4 deferArgs values in stack frames only. */
static void test_pointer_one_past_object(void **state)
{
    static objbuf a;
    const uint64_t w[1] = {OBJ + OBJ_SIZE};
    const unsigned at[1] = {0};
    hd_record r[1];
    (void)state;
    r[0] = object_words(&a, ARENA + 0x70000, w, 1, at, 1);
    assert_true(with_objects(r, 1, HD_R_POINTER_DANGLING));
}

/* More forward pointers than any buffer of the checker holds (the ledger spills sorted runs to a temporary
 * file and merges them at the end): objects of 1 MiB whose every word points into the object written last,
 * 3 * XREF_BATCH + 1 such values in all, and one word in the middle that points nowhere. Exactly that one is
 * reported, at its record: nothing goes unchecked, nothing is reported twice. */
static void test_pointers_beyond_every_buffer(void **state)
{
    enum { WORDS = 131072, NOBJ = 3 * XREF_BATCH / WORDS + 1 };
    const uint64_t base = ARENA + 0x1000000, last = base + (uint64_t)NOBJ * 8u * WORDS, bad = last + 0x100000;
    uint8_t *buf = malloc(8u * WORDS);
    hd_field *f = malloc(sizeof *f * WORDS);
    uint64_t bad_pos = 0;
    tdump t;
    tcheck c;
    (void)state;
    assert_non_null(buf);
    assert_non_null(f);
    for (unsigned i = 0; i < WORDS; i++) {
        f[i].offset = 8u * i;
        f[i].kind = HD_FK_PTR;
    }
    begin(&t);
    for (unsigned i = 0; i < NOBJ; i++) {
        hd_record r = object_fields(base + (uint64_t)i * 8u * WORDS, 8u * WORDS, f, WORDS);
        for (unsigned w = 0; w < WORDS; w++) {
            uint64_t v = i == NOBJ / 2 && w == WORDS / 3 ? bad : last + 8u * (w % 16);
            for (unsigned k = 0; k < 8; k++)
                buf[8 * w + k] = (uint8_t)(v >> (8 * k));
        }
        r.u.object.contents = tw_bytes(buf, 8u * WORDS);
        if (i == NOBJ / 2)
            bad_pos = tw_put_pos(&t, r);
        else
            tw_put(&t, r);
    }
    tw_put(&t, object_fields(last, 128, f, 0));
    end(&t);
    hd_out_flush(&t.o);
    tcheck_run(&c, t.m.p, t.m.len);
    assert_true(tcheck_only(&c, HD_R_POINTER_DANGLING));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].offset, bad_pos);
    assert_true(strstr(c.d[0].message, "0x") != NULL);
    assert_true(tcheck_same_via_pipe(&c, t.m.p, t.m.len));
    tdump_free(&t);
    free(buf);
    free(f);
}

/* go1.3 objects have no field list: nothing to check there, and nothing is invented. */
static void test_go13_objects(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H13, 8);
    tw_objects(&t);
    end(&t);
    assert_true(tw_verdict(&t, -1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),              cmocka_unit_test(test_clean_go14_multiword),
        cmocka_unit_test(test_pointer_past_end),   cmocka_unit_test(test_fields),
        cmocka_unit_test(test_fields_multiword),   cmocka_unit_test(test_segment_fields),
        cmocka_unit_test(test_outside_arena),      cmocka_unit_test(test_size_and_alignment),
        cmocka_unit_test(test_duplicate),          cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_object_in_segment),  cmocka_unit_test(test_pointer_dangling),
        cmocka_unit_test(test_pointer_one_past_object), cmocka_unit_test(test_pointer_in_injected_frames),
        cmocka_unit_test(test_pointers_beyond_every_buffer), cmocka_unit_test(test_go13_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
