/* test_types.c — type and itab records (FORMAT.md §5.3, T101–T110): valid type/itab patterns of every layout
 * stay clean (itab types, go1.4 type runs before objects, frames and segments, repeated identical types), each
 * broken invariant fires its rule and only it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "tworld.h"

/* ---- a small but complete world: what every rule family expects of a real dump ------------------------
 * One 512-byte object holding the dumping goroutine's G (at +0) and its M (at +256); the goroutine waits
 * in "dumping heap" with one frame; its OS thread. */


/* ---- records with Iface/Eface fields ---------------------------------------------------------------------- */

#define TA UINT64_C(0x4a0000)   /* type addresses (outside every arena) */
#define TB UINT64_C(0x4a0100)
#define TC UINT64_C(0x4a0200)
#define TX UINT64_C(0x4a0900)   /* never written */
#define I1 UINT64_C(0x4b0000)   /* itab addresses */
#define I2 UINT64_C(0x4b0100)
#define IX UINT64_C(0x4b0900)   /* never written */

typedef struct {
    uint8_t  mem[64];
    hd_field f[4];
    unsigned n;
} fieldbuf;

/* A field of `kind` at word `word`, its first word set to v (in little-endian, the dump's byte order). */
static void add_field(fieldbuf *fb, const tdump *t, uint8_t kind, unsigned word, uint64_t v)
{
    uint64_t off = (uint64_t)word * t->ptrsize;
    for (unsigned i = 0; i < t->ptrsize; i++)
        fb->mem[off + i] = (uint8_t)(v >> (8 * i));
    fb->f[fb->n].offset = off;
    fb->f[fb->n].kind = kind;
    fb->n++;
}

static hd_fields fields_of(const fieldbuf *fb)
{
    hd_fields fl;
    memset(&fl, 0, sizeof fl);
    fl.count = fl.nkept = fb->n;
    fl.v = fb->f;
    return fl;
}

/* A 64-byte object at base+512 with those fields. */
static void object_with(tdump *t, const fieldbuf *fb)
{
    hd_record o = tdump_simple(HD_TAG_OBJECT);
    o.u.object.addr = tw_base(t) + 512;
    o.u.object.contents = tw_bytes(fb->mem, 64);
    o.u.object.fields = fields_of(fb);
    tdump_rec(t, &o);
}

static void goroutine_with_frame_fields(tdump *t, const fieldbuf *fb, const hd_record *types, unsigned ntypes)
{
    hd_record g = tw_goroutine_rec(t), f = tw_frame_rec(t, 0);
    f.u.frame.contents = tw_bytes(fb->mem, 32);
    f.u.frame.fields = fields_of(fb);
    tdump_rec(t, &g);
    for (unsigned i = 0; i < ntypes; i++)
        tdump_rec(t, &types[i]);
    tdump_rec(t, &f);
}

static void data_with(tdump *t, const fieldbuf *fb)
{
    hd_record d = tdump_simple(HD_TAG_DATA), b = tdump_simple(HD_TAG_BSS);
    d.u.segment.addr = 0x500000;
    d.u.segment.contents = tw_bytes(fb->mem, 64);
    d.u.segment.fields = fields_of(fb);
    b.u.segment.addr = 0x600000;
    tdump_rec(t, &d);
    tdump_rec(t, &b);
}

/* params, then TYPE(ty) ITAB(it, ty) */
static void type_itab(tdump *t, uint64_t ty, const char *name, uint64_t it)
{
    hd_record a = tw_type_rec(ty, name), i = tw_itab_rec(it, ty);
    tdump_rec(t, &a);
    tdump_rec(t, &i);
}

/* The rest of a valid dump after the itabs. */
static void rest(tdump *t)
{
    tw_w_object(t);
    tw_w_goroutine(t);
    tw_w_thread(t);
    tdump_finish(t);
}

static void expect_only(tdump *t, hd_rule r)
{
    tcheck c;
    tcheck_run(&c, t->m.p, t->m.len);
    assert_true(tcheck_same_via_pipe(&c, t->m.p, t->m.len));
    assert_true(tcheck_only(&c, r));
    assert_int_equal(c.n, 1);
    tdump_free(t);
}

static void expect_clean(tdump *t)
{
    tcheck c;
    tcheck_run(&c, t->m.p, t->m.len);
    assert_true(tcheck_same_via_pipe(&c, t->m.p, t->m.len));
    assert_true(tcheck_clean(&c));
    tdump_free(t);
}

/* ---- valid dumps ------------------------------------------------------------------------------------------ */

/* go1.4: itab types; an object whose Eface type is cached (no run) and Iface names an itab; an object preceded
 * by the run of its Eface types; a frame and the data segment likewise; a repeated identical type record. */
static void valid_go14(tdump *t, unsigned ps)
{
    fieldbuf x = {0}, y = {0}, fr = {0}, dt = {0};
    hd_record tb = tw_type_rec(TB, "main.B"), tc = tw_type_rec(TC, "main.C"), ta = tw_type_rec(TA, "main.A");

    tdump_begin(t, HD_H14, ps);
    type_itab(t, TA, "main.A", I1);
    tw_w_object(t);
    add_field(&x, t, HD_FK14_EFACE, 0, TA);
    add_field(&x, t, HD_FK14_IFACE, 2, I1);
    add_field(&x, t, HD_FK_PTR, 4, 0);
    object_with(t, &x);
    add_field(&y, t, HD_FK14_EFACE, 0, TB);
    add_field(&y, t, HD_FK14_EFACE, 2, TA);
    add_field(&y, t, HD_FK14_EFACE, 4, 0);      /* nil interface: no type */
    tdump_rec(t, &tb);
    tdump_rec(t, &ta);                          /* evicted from the writer's cache: written again, identical */
    {
        hd_record o;
        memset(&o, 0, sizeof o);
        o.tag = HD_TAG_OBJECT;
        o.u.object.addr = tw_base(t) + 576;
        o.u.object.contents = tw_bytes(y.mem, 64);
        o.u.object.fields = fields_of(&y);
        tdump_rec(t, &o);
    }
    add_field(&fr, t, HD_FK14_EFACE, 0, TC);
    add_field(&fr, t, HD_FK14_IFACE, 2, I1);
    goroutine_with_frame_fields(t, &fr, &tc, 1);
    tw_w_thread(t);
    add_field(&dt, t, HD_FK14_EFACE, 2, TC);
    add_field(&dt, t, HD_FK14_EFACE, 4, TB);
    data_with(t, &dt);
    tw_w_memstats(t);
    tdump_eof(t);
}

static void test_valid_go14(void **state)
{
    tdump t;
    (void)state;
    valid_go14(&t, 8);
    expect_clean(&t);
    valid_go14(&t, 4);
    expect_clean(&t);
}

/* go1.3: a frame's kind-5 Eface type is written before it; type bools of small scalars are 0. */
static void test_valid_go13(void **state)
{
    for (unsigned ps = 4; ps <= 8; ps += 4) {
        tdump t;
        fieldbuf fr = {0};
        hd_record tc = tw_type_rec(TC, "uint8");
        hd_record it = tw_itab_rec(I1, 0);
        (void)state;
        tc.u.type.indirect = false;
        tc.u.type.size = 1;
        tdump_begin(&t, HD_H13, ps);
        tdump_rec(&t, &it);
        tw_w_object(&t);
        add_field(&fr, &t, HD_FK13_EFACE, 0, TC);
        add_field(&fr, &t, HD_FK13_IFACE, 2, IX);   /* go1.3 Iface words are not judged */
        goroutine_with_frame_fields(&t, &fr, &tc, 1);
        tw_w_thread(&t);
        tdump_finish(&t);
        expect_clean(&t);
    }
}

/* go1.5 .. go1.7: each itab preceded by its type unless the type was already written. */
static void test_valid_go15_go17(void **state)
{
    static const hd_header_id hs[] = {HD_H15, HD_H16, HD_H17};
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        for (unsigned ps = 4; ps <= 8; ps += 4) {
            tdump t;
            hd_record second = tw_itab_rec(I2, TA);
            tdump_begin(&t, hs[i], ps);
            type_itab(&t, TA, "main.A", I1);
            tdump_rec(&t, &second);
            type_itab(&t, TB, "*main.B", 0x4b0200);
            rest(&t);
            expect_clean(&t);
        }
    }
}

/* go1.4 and go1.5: an itab whose *T descriptor is absent has type 0 and no type record. */
static void test_valid_itab_type_zero_go14(void **state)
{
    tdump t;
    hd_record it = tw_itab_rec(I1, 0);
    (void)state;
    tdump_begin(&t, HD_H14, 8);
    tdump_rec(&t, &it);
    rest(&t);
    expect_clean(&t);
}

/* ---- one rule each ------------------------------------------------------------------------------------------ */

static void test_t1_type_conflict(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    type_itab(&t, TA, "main.T", I1);
    type_itab(&t, TA, "main.U", I2);
    rest(&t);
    expect_only(&t, HD_R_TYPE_CONFLICT);
}

static void test_t1_size_conflict(void **state)
{
    tdump t;
    hd_record a = tw_type_rec(TA, "main.T"), i = tw_itab_rec(I2, TA);
    (void)state;
    tdump_begin(&t, HD_H15, 4);
    type_itab(&t, TA, "main.T", I1);
    a.u.type.size = 16;
    tdump_rec(&t, &a);
    tdump_rec(&t, &i);
    rest(&t);
    expect_only(&t, HD_R_TYPE_CONFLICT);
}

static void test_t2_itab_type_missing(void **state)
{
    static const hd_header_id hs[] = {HD_H14, HD_H17};
    (void)state;
    for (size_t k = 0; k < 2; k++) {
        tdump t;
        hd_record i = tw_itab_rec(I1, TX);
        tdump_begin(&t, hs[k], 8);
        tdump_rec(&t, &i);
        rest(&t);
        expect_only(&t, HD_R_ITAB_TYPE_MISSING);
    }
}

static void test_t3_itab_type_zero_go17(void **state)
{
    tdump t;
    hd_record i = tw_itab_rec(I1, 0);
    (void)state;
    tdump_begin(&t, HD_H17, 4);
    tdump_rec(&t, &i);
    rest(&t);
    expect_only(&t, HD_R_ITAB_TYPE_ZERO);
}

static void test_t4_type_not_the_itabs(void **state)
{
    tdump t;
    hd_record b = tw_type_rec(TB, "main.B"), i = tw_itab_rec(I2, TA);
    (void)state;
    tdump_begin(&t, HD_H15, 8);
    type_itab(&t, TA, "main.A", I1);
    tdump_rec(&t, &b);
    tdump_rec(&t, &i);        /* names A, but B was written just before it */
    rest(&t);
    expect_only(&t, HD_R_TYPE_NOT_ITABS);
}

static void test_t5_run_type_not_an_eface_type(void **state)
{
    tdump t;
    fieldbuf x = {0};
    hd_record b = tw_type_rec(TB, "main.B");
    (void)state;
    tdump_begin(&t, HD_H14, 8);
    type_itab(&t, TA, "main.A", I1);
    tw_w_object(&t);
    add_field(&x, &t, HD_FK14_EFACE, 0, TA);
    tdump_rec(&t, &b);        /* B is the type of no Eface field of the object */
    object_with(&t, &x);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    expect_only(&t, HD_R_TYPE_RUN_MISMATCH);
}

static void test_t5_run_longer_than_efaces(void **state)
{
    tdump t;
    fieldbuf x = {0};
    hd_record c1 = tw_type_rec(TC, "main.C");
    (void)state;
    tdump_begin(&t, HD_H14, 4);
    tw_w_object(&t);
    add_field(&x, &t, HD_FK14_EFACE, 0, TC);
    tdump_rec(&t, &c1);
    tdump_rec(&t, &c1);       /* two types for one Eface field */
    object_with(&t, &x);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    expect_only(&t, HD_R_TYPE_RUN_MISMATCH);
}

static void test_t6_eface_type_missing(void **state)
{
    tdump t;
    fieldbuf x = {0}, dt = {0}, fr = {0};
    (void)state;
    /* go1.4 object */
    tdump_begin(&t, HD_H14, 8);
    tw_w_object(&t);
    add_field(&x, &t, HD_FK14_EFACE, 2, TX);
    object_with(&t, &x);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    expect_only(&t, HD_R_EFACE_TYPE_MISSING);
    /* go1.4 data segment */
    tdump_begin(&t, HD_H14, 4);
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    add_field(&dt, &t, HD_FK14_EFACE, 0, TX);
    data_with(&t, &dt);
    tw_w_memstats(&t);
    tdump_eof(&t);
    expect_only(&t, HD_R_EFACE_TYPE_MISSING);
    /* go1.3 frame, kind 5 */
    tdump_begin(&t, HD_H13, 8);
    tw_w_object(&t);
    add_field(&fr, &t, HD_FK13_EFACE, 0, TX);
    goroutine_with_frame_fields(&t, &fr, NULL, 0);
    tw_w_thread(&t);
    tdump_finish(&t);
    expect_only(&t, HD_R_EFACE_TYPE_MISSING);
}

static void test_t7_itab_duplicate(void **state)
{
    tdump t;
    hd_record i = tw_itab_rec(I1, TA);
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    type_itab(&t, TA, "main.A", I1);
    tdump_rec(&t, &i);
    rest(&t);
    expect_only(&t, HD_R_ITAB_DUPLICATE);
}

static void test_t8_type_bool_false(void **state)
{
    tdump t;
    hd_record a = tw_type_rec(TA, "main.A"), i = tw_itab_rec(I1, TA);
    (void)state;
    a.u.type.indirect = false;
    tdump_begin(&t, HD_H14, 8);
    tdump_rec(&t, &a);
    tdump_rec(&t, &i);
    rest(&t);
    expect_only(&t, HD_R_TYPE_BOOL_FALSE);
}

static void test_t9_type_name_empty(void **state)
{
    tdump t;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    type_itab(&t, TA, "", I1);
    rest(&t);
    expect_only(&t, HD_R_TYPE_NAME_EMPTY);
}

static void test_t10_iface_itab_missing(void **state)
{
    tdump t;
    fieldbuf x = {0}, fr = {0};
    (void)state;
    tdump_begin(&t, HD_H14, 8);
    type_itab(&t, TA, "main.A", I1);
    tw_w_object(&t);
    add_field(&x, &t, HD_FK14_IFACE, 0, I1);
    add_field(&x, &t, HD_FK14_IFACE, 2, IX);
    object_with(&t, &x);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    expect_only(&t, HD_R_IFACE_ITAB_MISSING);
    /* in a frame, 4-byte pointers */
    tdump_begin(&t, HD_H14, 4);
    tw_w_object(&t);
    add_field(&fr, &t, HD_FK14_IFACE, 0, IX);
    goroutine_with_frame_fields(&t, &fr, NULL, 0);
    tw_w_thread(&t);
    tdump_finish(&t);
    expect_only(&t, HD_R_IFACE_ITAB_MISSING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_go14),              cmocka_unit_test(test_valid_go13),
        cmocka_unit_test(test_valid_go15_go17),         cmocka_unit_test(test_valid_itab_type_zero_go14),
        cmocka_unit_test(test_t1_type_conflict),        cmocka_unit_test(test_t1_size_conflict),
        cmocka_unit_test(test_t2_itab_type_missing),    cmocka_unit_test(test_t3_itab_type_zero_go17),
        cmocka_unit_test(test_t4_type_not_the_itabs),   cmocka_unit_test(test_t5_run_type_not_an_eface_type),
        cmocka_unit_test(test_t5_run_longer_than_efaces), cmocka_unit_test(test_t6_eface_type_missing),
        cmocka_unit_test(test_t7_itab_duplicate),       cmocka_unit_test(test_t8_type_bool_false),
        cmocka_unit_test(test_t9_type_name_empty),      cmocka_unit_test(test_t10_iface_itab_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
