/* test_order.c — FORMAT.md §4 emission order (O101–O104): valid orders of every layout stay clean, each
 * kind of misplaced record gives exactly one diagnostic, and the machine resynchronises after it. */
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


static void run(tcheck *c, tdump *t)
{
    tcheck_run(c, t->m.p, t->m.len);
    assert_true(tcheck_same_via_pipe(c, t->m.p, t->m.len));
}

static const hd_header_id headers[] = {HD_H13, HD_H14, HD_H15, HD_H16, HD_H17};

/* ---- valid orders --------------------------------------------------------------------------------------- */

/* params, itabs (with their types from go1.4 on), objects, goroutines, threads, roots, memstats, profile. */
static void full_valid(tdump *t, hd_header_id h, unsigned ps)
{
    hd_record ty = tw_type_rec(0x4a0000, "main.T"), it = tw_itab_rec(0x4b0000, h == HD_H13 ? 0 : 0x4a0000);
    hd_record fin = tdump_simple(HD_TAG_FINALIZER), qf = tdump_simple(HD_TAG_QFINAL);
    hd_record mp = tdump_simple(HD_TAG_MEMPROF), as = tdump_simple(HD_TAG_ALLOCSAMPLE), e = tdump_simple(HD_TAG_EOF);

    tdump_begin(t, h, ps);
    if (h != HD_H13)
        tdump_rec(t, &ty);
    tdump_rec(t, &it);
    tw_w_object(t);
    tw_w_goroutine(t);
    tw_w_thread(t);
    tw_w_data_bss(t);
    fin.u.finalizer.obj = tw_base(t);
    fin.u.finalizer.fn = 0x4c0000;
    fin.u.finalizer.code = 0x401000;
    fin.u.finalizer.fint = 0x4a0000;
    fin.u.finalizer.ot = 0x4a0000;
    qf.u.finalizer = fin.u.finalizer;
    qf.u.finalizer.obj = tw_base(t) + 64;
    tdump_rec(t, &fin);
    if (h == HD_H13) {
        hd_record o = tdump_simple(HD_TAG_OTHERROOT);
        o.u.otherroot.desc = tw_str("runtime type info");
        o.u.otherroot.ptr = 0x4d0000;
        tdump_rec(t, &o);
        fin.u.finalizer.obj = tw_base(t) + 128;
        tdump_rec(t, &fin);    /* otherroot between the finalizers of two spans */
    }
    tdump_rec(t, &qf);
    tw_w_memstats(t);
    mp.u.memprof.addr = 0x4e0000;
    mp.u.memprof.size = 512;
    mp.u.memprof.allocs = 1;
    as.u.sample.addr = tw_base(t);
    as.u.sample.bucket = 0x4e0000;
    tdump_rec(t, &mp);
    tdump_rec(t, &as);
    tdump_rec(t, &e);
    hd_out_flush(&t->o);
}

static void test_valid_every_layout(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        for (unsigned ps = 4; ps <= 8; ps += 4) {
            tdump t;
            tcheck c;
            full_valid(&t, headers[i], ps);
            run(&c, &t);
            if (!tcheck_clean(&c))
                fail_msg("%s, %u-byte pointers", hd_header_name(headers[i]), ps);
            tdump_free(&t);
        }
    }
}

/* Empty sections are fine: params, then straight to the roots. */
static void test_valid_empty_sections(void **state)
{
    tdump t;
    tcheck c;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_clean(&c));
    tdump_free(&t);
}

/* Goroutine groups: frames, defers, panics, each goroutine with its own. */
static void test_valid_goroutine_groups(void **state)
{
    tdump t;
    tcheck c;
    hd_record g = tdump_simple(HD_TAG_GOROUTINE), f0, f1, d = tdump_simple(HD_TAG_DEFER), p = tdump_simple(HD_TAG_PANIC);
    (void)state;
    tdump_begin(&t, HD_H14, 8);
    tw_w_object(&t);
    g = tw_goroutine_rec(&t);
    g.u.goroutine.defer = tw_base(&t) + 384;
    g.u.goroutine.panic = tw_base(&t) + 0x100000 + 8;    /* panics live on the stack */
    f0 = tw_frame_rec(&t, 0);
    f1 = tw_frame_rec(&t, 1);
    d.u.defer.addr = tw_base(&t) + 384;
    d.u.defer.g = tw_base(&t);
    d.u.defer.argp = f1.u.frame.sp;
    d.u.defer.pc = 0x401020;
    d.u.defer.fn = 0x4c0000;
    d.u.defer.code = 0x401100;
    p.u.panic.addr = tw_base(&t) + 0x100000 + 8;
    p.u.panic.g = tw_base(&t);
    tdump_rec(&t, &g);
    tdump_rec(&t, &f0);
    tdump_rec(&t, &f1);
    tdump_rec(&t, &d);
    tdump_rec(&t, &p);
    tw_w_thread(&t);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_clean(&c));
    tdump_free(&t);
}

/* ---- O101: a record of a section that has ended ---------------------------------------------------------- */

static void test_goroutine_after_threads(void **state)
{
    tdump t;
    tcheck c;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tw_w_object(&t);
    tw_w_thread(&t);
    tw_w_goroutine(&t);          /* goroutine + frame after the threads: one diagnostic, at the goroutine */
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_OUT_OF_ORDER));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].tag, HD_TAG_GOROUTINE);
    assert_non_null(strstr(c.d[0].message, "threads section"));
    tdump_free(&t);
}

/* A late objects section: one diagnostic, not one per object or per later section. */
static void test_late_objects_one_diagnostic(void **state)
{
    tdump t;
    tcheck c;
    (void)state;
    tdump_begin(&t, HD_H15, 4);
    tw_w_goroutine(&t);
    tw_w_object(&t);
    {
        hd_record o = tdump_simple(HD_TAG_OBJECT);
        o.u.object.addr = tw_base(&t) + 512;
        o.u.object.contents = tw_bytes(tw_zeros, 64);
        tdump_rec(&t, &o);
    }
    tw_w_thread(&t);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_OUT_OF_ORDER));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].record, 3);
    tdump_free(&t);
}

/* One stray record early (memstats right after params): one diagnostic, then everything is in place again. */
static void test_early_memstats_one_diagnostic(void **state)
{
    tdump t;
    tcheck c;
    hd_record e = tdump_simple(HD_TAG_EOF);
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tw_w_memstats(&t);
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tw_w_data_bss(&t);
    tdump_rec(&t, &e);
    hd_out_flush(&t.o);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_OUT_OF_ORDER));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].tag, HD_TAG_OBJECT);
    tdump_free(&t);
}

static void test_data_after_bss(void **state)
{
    tdump t;
    tcheck c;
    hd_record d = tdump_simple(HD_TAG_DATA), b = tdump_simple(HD_TAG_BSS);
    (void)state;
    tdump_begin(&t, HD_H13, 8);
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    d.u.segment.addr = 0x500000;
    b.u.segment.addr = 0x600000;
    tdump_rec(&t, &b);
    tdump_rec(&t, &d);
    tw_w_memstats(&t);
    tdump_eof(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_OUT_OF_ORDER));
    assert_int_equal(c.d[0].tag, HD_TAG_DATA);
    tdump_free(&t);
}

/* A frame after the goroutines section ended (in the roots). */
static void test_frame_after_goroutines(void **state)
{
    tdump t;
    tcheck c;
    hd_record f;
    (void)state;
    tdump_begin(&t, HD_H14, 8);
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    f = tw_frame_rec(&t, 1);
    tdump_rec(&t, &f);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_OUT_OF_ORDER));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].tag, HD_TAG_FRAME);
    tdump_free(&t);
}

/* ---- O102: no goroutine before a frame / defer / panic ---------------------------------------------------- */

static void test_frame_without_goroutine(void **state)
{
    tdump t;
    tcheck c;
    hd_record f;
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tw_w_object(&t);
    f = tw_frame_rec(&t, 0);
    tdump_rec(&t, &f);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_NO_GOROUTINE));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].record, 2);
    tdump_free(&t);
}

/* ---- O103: frames, then defers, then panics -------------------------------------------------------------- */

static void test_frame_after_defer(void **state)
{
    tdump t;
    tcheck c;
    hd_record g, f0, f1, d = tdump_simple(HD_TAG_DEFER);
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tw_w_object(&t);
    g = tw_goroutine_rec(&t);
    g.u.goroutine.defer = tw_base(&t) + 384;
    f0 = tw_frame_rec(&t, 0);
    f1 = tw_frame_rec(&t, 1);
    d.u.defer.addr = tw_base(&t) + 384;
    d.u.defer.g = tw_base(&t);
    d.u.defer.argp = f1.u.frame.sp;
    d.u.defer.pc = 0x401020;
    d.u.defer.fn = 0x4c0000;
    d.u.defer.code = 0x401100;
    tdump_rec(&t, &g);
    tdump_rec(&t, &f0);
    tdump_rec(&t, &d);
    tdump_rec(&t, &f1);     /* frame after the goroutine's defer */
    tw_w_thread(&t);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_GOROUTINE_GROUP));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].record, 5);
    tdump_free(&t);
}

/* ---- O104: type records where the layout writes none ----------------------------------------------------- */

static void test_type_before_object_go17(void **state)
{
    tdump t;
    tcheck c;
    hd_record ty = tw_type_rec(0x4a0000, "main.T");
    (void)state;
    tdump_begin(&t, HD_H17, 8);
    tdump_rec(&t, &ty);
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_TYPE_MISPLACED));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].record, 1);         /* attributed to the type record itself */
    assert_int_equal(c.d[0].tag, HD_TAG_TYPE);
    tdump_free(&t);
}

static void test_types_before_goroutine_go14(void **state)
{
    tdump t;
    tcheck c;
    hd_record a = tw_type_rec(0x4a0000, "main.T"), b = tw_type_rec(0x4a0100, "main.U");
    (void)state;
    tdump_begin(&t, HD_H14, 4);
    tw_w_object(&t);
    tdump_rec(&t, &a);
    tdump_rec(&t, &b);
    tw_w_goroutine(&t);        /* go1.4 types precede objects, frames, data, bss and itabs only */
    tw_w_thread(&t);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_TYPE_MISPLACED));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].record, 2);
    tdump_free(&t);
}

static void test_two_types_before_itab(void **state)
{
    tdump t;
    tcheck c;
    hd_record a = tw_type_rec(0x4a0000, "main.T"), b = tw_type_rec(0x4a0100, "main.U"), it = tw_itab_rec(0x4b0000, 0x4a0100);
    (void)state;
    tdump_begin(&t, HD_H16, 8);
    tdump_rec(&t, &a);
    tdump_rec(&t, &b);
    tdump_rec(&t, &it);
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_TYPE_MISPLACED));
    assert_int_equal(c.n, 1);
    tdump_free(&t);
}

static void test_type_before_itab_go13(void **state)
{
    tdump t;
    tcheck c;
    hd_record a = tw_type_rec(0x4a0000, "main.T"), it = tw_itab_rec(0x4b0000, 0);
    (void)state;
    tdump_begin(&t, HD_H13, 8);
    tdump_rec(&t, &a);
    tdump_rec(&t, &it);    /* go1.3 itabs carry a bool, their types are never written */
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_finish(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_TYPE_MISPLACED));
    tdump_free(&t);
}

/* A type at the end of the dump precedes nothing. */
static void test_type_before_eof(void **state)
{
    tdump t;
    tcheck c;
    hd_record a = tw_type_rec(0x4a0000, "main.T");
    (void)state;
    tdump_begin(&t, HD_H14, 8);
    tw_w_object(&t);
    tw_w_goroutine(&t);
    tw_w_thread(&t);
    tdump_tail(&t);
    tdump_rec(&t, &a);
    tdump_eof(&t);
    run(&c, &t);
    assert_true(tcheck_only(&c, HD_R_TYPE_MISPLACED));
    tdump_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_every_layout),      cmocka_unit_test(test_valid_empty_sections),
        cmocka_unit_test(test_valid_goroutine_groups),  cmocka_unit_test(test_goroutine_after_threads),
        cmocka_unit_test(test_late_objects_one_diagnostic), cmocka_unit_test(test_early_memstats_one_diagnostic),
        cmocka_unit_test(test_data_after_bss),          cmocka_unit_test(test_frame_after_goroutines),
        cmocka_unit_test(test_frame_without_goroutine), cmocka_unit_test(test_frame_after_defer),
        cmocka_unit_test(test_type_before_object_go17), cmocka_unit_test(test_types_before_goroutine_go14),
        cmocka_unit_test(test_two_types_before_itab),   cmocka_unit_test(test_type_before_itab_go13),
        cmocka_unit_test(test_type_before_eof),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
