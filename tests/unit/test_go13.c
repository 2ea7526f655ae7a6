/* test_go13.c — the go1.3-only records and fields (FORMAT.md §5.3 T11, T12; §5.4 O8; §5.6 R3): object kinds
 * and types, type-record field lists, otherroot descriptions. Valid go1.3 shapes stay clean on both pointer
 * sizes; each broken invariant fires its rule (H113, H114, T111, T112, R107) and only it, once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "tworld.h"

#define TA UINT64_C(0x4a0000)   /* type addresses (outside every arena) */
#define TB UINT64_C(0x4a0100)
#define TX UINT64_C(0x4a0900)   /* never written before the object that names it */

/* go1.3 field kinds: 1 Ptr, 2 String (2 words), 3 Slice (3 words), 4 Iface (2), 5 Eface (2). */
enum { K_PTR = 1, K_STRING = 2, K_SLICE = 3, K_IFACE = 4, K_EFACE = 5 };

typedef struct {
    hd_field f[8];
    unsigned n;
} flist;

static hd_fields fields(const flist *l)
{
    hd_fields fl;
    memset(&fl, 0, sizeof fl);
    fl.count = fl.nkept = l->n;
    fl.v = l->f;
    return fl;
}

/* A go1.3 type record: `words` words of `ps` bytes, the given field list. */
static hd_record type13(unsigned ps, uint64_t addr, uint64_t words, const flist *l)
{
    hd_record r = tw_type_rec(addr, "main.T");
    r.u.type.size = words * ps;
    r.u.type.fields = fields(l);
    return r;
}

/* A 64-byte go1.3 object at the arena base + 512 (after the mini world's object) with that type and kind
 * (its words are 0: no pointers to judge). */
static hd_record object13(unsigned ps, uint64_t type, uint64_t kind)
{
    hd_record o = tdump_simple(HD_TAG_OBJECT);
    o.u.object.addr = TD_ARENA_LO(ps) + 512;
    o.u.object.contents = tw_bytes(tw_zeros, 64);
    o.u.object.type = type;
    o.u.object.kind = kind;
    return o;
}

static hd_record otherroot(const char *desc)
{
    hd_record r = tdump_simple(HD_TAG_OTHERROOT);
    r.u.otherroot.desc = tw_str(desc);
    r.u.otherroot.ptr = UINT64_C(0x4d0000);
    return r;
}

/* A go1.3 dump: params; the mini world's object (G and M); the records `objs` (types and objects); the
 * dumping goroutine and its thread; data, bss; an otherroot with `desc`; memstats; EOF. */
static void dump13(tdump *t, unsigned ps, const hd_record *objs, unsigned n, const char *desc)
{
    hd_record d = tdump_simple(HD_TAG_DATA), b = tdump_simple(HD_TAG_BSS), o = otherroot(desc);
    tdump_begin(t, HD_H13, ps);
    tw_w_object(t);
    for (unsigned i = 0; i < n; i++)
        tdump_rec(t, &objs[i]);
    tw_w_goroutine(t);
    tw_w_thread(t);
    d.u.segment.addr = 0x500000;
    b.u.segment.addr = 0x600000;
    tdump_rec(t, &d);
    tdump_rec(t, &b);
    tdump_rec(t, &o);
    tw_w_memstats(t);
    tdump_eof(t);
}

static void expect_only(tdump *t, hd_rule r)
{
    tcheck c;
    tcheck_run(&c, t->m.p, t->m.len);
    assert_true(tcheck_same_via_pipe(&c, t->m.p, t->m.len));
    if (!tcheck_only(&c, r) || c.n != 1) {
        tcheck_dump(&c);
        fail_msg("want exactly one %s", hd_rule_get(r)->id);
    }
    tdump_free(t);
}

static void expect_clean(tdump *t)
{
    tcheck c;
    tcheck_run(&c, t->m.p, t->m.len);
    assert_true(tcheck_same_via_pipe(&c, t->m.p, t->m.len));
    if (!tcheck_clean(&c)) {
        tcheck_dump(&c);
        fail_msg("want no diagnostic");
    }
    tdump_free(t);
}

/* A two-word type with a Ptr field at word 0, its record, then an object of that type and kind. */
static void typed(tdump *t, unsigned ps, uint64_t kind)
{
    flist l = {{{0, K_PTR}}, 1};
    hd_record r[2] = {type13(ps, TA, 2, &l), object13(ps, TA, kind)};
    dump13(t, ps, r, 2, "runtime type info");
}

/* ---- valid ------------------------------------------------------------------------------------------------ */

static void test_valid(void **state)
{
    (void)state;
    for (unsigned ps = 4; ps <= 8; ps += 4) {
        tdump t;
        /* typed single object, array, channel; untyped single object; conservative object */
        for (uint64_t kind = 0; kind <= 2; kind++) {
            typed(&t, ps, kind);
            expect_clean(&t);
        }
        hd_record untyped = object13(ps, 0, 0), conservative = object13(ps, 0, 127);
        dump13(&t, ps, &untyped, 1, "runtime type info");
        expect_clean(&t);
        dump13(&t, ps, &conservative, 1, "runtime type info");
        expect_clean(&t);

        /* field lists of every go1.3 kind, ascending, aligned, multi-word fields not overlapping, inside the
         * size; a type that has no fields; one whose record repeats (identical) before a second object */
        flist all = {{{0, K_PTR}, {1 * ps, K_STRING}, {3 * ps, K_SLICE}, {6 * ps, K_IFACE}, {8 * ps, K_EFACE}}, 5};
        flist none = {{{0, 0}}, 0};
        hd_record r[5] = {type13(ps, TA, 10, &all), type13(ps, TB, 1, &none), object13(ps, TA, 1),
                          type13(ps, TA, 10, &all), object13(ps, TB, 2)};
        r[2].u.object.contents = tw_bytes(tw_zeros, 80);
        r[4].u.object.addr += 80;
        dump13(&t, ps, r, 5, "runtime type info");
        expect_clean(&t);
        /* no otherroot at all is fine too (R3 says what one must say, not that one exists) */
        tdump_begin(&t, HD_H13, ps);
        tw_w_object(&t);
        tw_w_goroutine(&t);
        tw_w_thread(&t);
        tdump_finish(&t);
        expect_clean(&t);
    }
}

/* ---- H113, H114: O8 ------------------------------------------------------------------------------------------ */

static void test_object_kind(void **state)
{
    static const uint64_t bad[] = {3, 4, 64, 126, 128, 255, 1u << 20};
    (void)state;
    for (unsigned ps = 4; ps <= 8; ps += 4)
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            tdump t;
            hd_record o = object13(ps, 0, bad[i]);
            dump13(&t, ps, &o, 1, "runtime type info");
            expect_only(&t, HD_R_OBJECT_KIND);
            typed(&t, ps, bad[i]);                              /* with a type, still the kind */
            expect_only(&t, HD_R_OBJECT_KIND);
        }
}

static void test_object_kind_type(void **state)
{
    (void)state;
    for (unsigned ps = 4; ps <= 8; ps += 4) {
        tdump t;
        hd_record array = object13(ps, 0, 1), chan = object13(ps, 0, 2);
        dump13(&t, ps, &array, 1, "runtime type info");        /* an array without its element type */
        expect_only(&t, HD_R_OBJECT_KIND_TYPE);
        dump13(&t, ps, &chan, 1, "runtime type info");         /* a channel without its element type */
        expect_only(&t, HD_R_OBJECT_KIND_TYPE);
        typed(&t, ps, 127);                                    /* conservative, yet typed */
        expect_only(&t, HD_R_OBJECT_KIND_TYPE);
    }
}

/* ---- T111: T11 ----------------------------------------------------------------------------------------------- */

static void test_object_type_missing(void **state)
{
    (void)state;
    for (unsigned ps = 4; ps <= 8; ps += 4) {
        flist l = {{{0, K_PTR}}, 1};
        tdump t;
        for (uint64_t kind = 0; kind <= 2; kind++) {
            hd_record o = object13(ps, TX, kind);
            dump13(&t, ps, &o, 1, "runtime type info");            /* never written */
            expect_only(&t, HD_R_OBJECT_TYPE_MISSING);
        }
        /* written, but only after the object (before a second one): the writer dumps the type first */
        hd_record r[3] = {object13(ps, TX, 0), type13(ps, TX, 2, &l), object13(ps, TX, 0)};
        r[2].u.object.addr += 64;
        dump13(&t, ps, r, 3, "runtime type info");
        expect_only(&t, HD_R_OBJECT_TYPE_MISSING);
    }
}

/* ---- T112: T12 ----------------------------------------------------------------------------------------------- */

static void test_type_fields(void **state)
{
    (void)state;
    for (unsigned ps = 4; ps <= 8; ps += 4) {
        const flist bad[] = {
            {{{ps, K_PTR}, {ps, K_PTR}}, 2},                  /* an entry twice: not ascending */
            {{{2 * ps, K_PTR}, {0, K_PTR}}, 2},               /* descending */
            {{{ps / 2, K_PTR}}, 1},                           /* half a word off */
            {{{0, K_STRING}, {ps, K_PTR}}, 2},                /* inside the two-word string before it */
            {{{0, K_EFACE}, {ps, K_PTR}}, 2},                 /* inside the two-word eface before it */
            {{{4 * ps, K_PTR}}, 1},                           /* at the type's size */
            {{{3 * ps, K_SLICE}}, 1},                         /* a three-word slice on the last word */
            {{{0, K_PTR}, {100 * ps, K_PTR}}, 2},             /* far past the size */
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            tdump t;
            hd_record r[2] = {type13(ps, TA, 4, &bad[i]), object13(ps, TA, 0)};
            dump13(&t, ps, r, 2, "runtime type info");
            expect_only(&t, HD_R_TYPE_FIELDS);
        }
    }
}

/* ---- R107: R3 ------------------------------------------------------------------------------------------------ */

static void test_otherroot_desc(void **state)
{
    static const char *const bad[] = {"", "runtime type inf", "Runtime type info", "runtime type info ", "finalizer",
                                      "runtime type info\n"};
    (void)state;
    for (unsigned ps = 4; ps <= 8; ps += 4)
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            tdump t;
            dump13(&t, ps, NULL, 0, bad[i]);
            expect_only(&t, HD_R_OTHERROOT_DESC);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_object_kind),
        cmocka_unit_test(test_object_kind_type),
        cmocka_unit_test(test_object_type_missing),
        cmocka_unit_test(test_type_fields),
        cmocka_unit_test(test_otherroot_desc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
