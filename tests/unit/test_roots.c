/* test_roots.c — OS threads, data and bss, finalizers (FORMAT.md §5.6: M1, R2, FN1–FN3): small realistic
 * dumps stay clean, and each rule has a dump that fires it and only it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "tworld.h"


#define DATA    UINT64_C(0x500000)
#define BSS     UINT64_C(0x600000)

static hd_record finalizer(hd_tag tag, uint64_t obj)
{
    hd_record r = tdump_simple(tag);
    r.u.finalizer.obj = obj;
    r.u.finalizer.fn = 0x4e33c0;
    r.u.finalizer.code = 0x4b0600;
    r.u.finalizer.fint = 0x4b8360;
    r.u.finalizer.ot = 0x4b8360;
    return r;
}

static hd_record segment(hd_tag tag, uint64_t addr, uint64_t len)
{
    hd_record r = tdump_simple(tag);
    r.u.segment.addr = addr;
    r.u.segment.contents = tw_bytes(tw_zeros, len);
    return r;
}

/* Everything up to the threads: params, tw_objects, the goroutine and its frames. */
static void begin(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    tw_objects(t);
    tw_put(t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    tw_frames(t);
}

/* data [DATA, +64), bss [BSS, +64), then `fin` (finalizers), memstats, EOF. */
static void roots(tdump *t, const hd_record *fin, size_t n)
{
    tw_put(t, segment(HD_TAG_DATA, DATA, 64));
    tw_put(t, segment(HD_TAG_BSS, BSS, 64));
    for (size_t i = 0; i < n; i++)
        tw_put(t, fin[i]);
    tw_put(t, tdump_simple(HD_TAG_MEMSTATS));
    tdump_eof(t);
}

static bool with_finalizers(const hd_record *fin, size_t n, int rule)
{
    tdump t;
    begin(&t);
    tw_put(&t, tw_osthread(M_ADDR, 1));
    roots(&t, fin, n);
    return tw_verdict(&t, rule);
}

static bool with_threads(const hd_record *m, size_t n, int rule)
{
    tdump t;
    begin(&t);
    for (size_t i = 0; i < n; i++)
        tw_put(&t, m[i]);
    roots(&t, NULL, 0);
    return tw_verdict(&t, rule);
}

/* ---- clean -------------------------------------------------------------------------------------- */

static void test_clean(void **state)
{
    /* a registered finalizer at the object start, one 8 bytes in (1.22+ malloc header), queued ones at an
     * inner address (tiny block) and on the same object as a registered one */
    const hd_record fin[] = {
        finalizer(HD_TAG_FINALIZER, OBJ), finalizer(HD_TAG_FINALIZER, G_ADDR + 8),
        finalizer(HD_TAG_QFINAL, OBJ + 16), finalizer(HD_TAG_QFINAL, OBJ)};
    const hd_record m[] = {tw_osthread(M_ADDR, 1), tw_osthread(BSS + 16, 0)};   /* m0 lives in bss */
    tdump t;
    (void)state;
    begin(&t);
    tw_put(&t, m[0]);
    tw_put(&t, m[1]);
    roots(&t, fin, 4);
    assert_true(tw_verdict(&t, -1));
}

/* ---- M1 ----------------------------------------------------------------------------------------- */

static void test_thread_duplicates(void **state)
{
    const hd_record addr[] = {tw_osthread(M_ADDR, 1), tw_osthread(M_ADDR, 2)};
    const hd_record id[] = {tw_osthread(M_ADDR, 1), tw_osthread(BSS + 16, 1)};
    (void)state;
    assert_true(with_threads(addr, 2, HD_R_OSTHREAD_DUPLICATE));
    assert_true(with_threads(id, 2, HD_R_OSTHREAD_ID_DUPLICATE));
}

/* ---- R2 ----------------------------------------------------------------------------------------- */

static void test_segments_overlap(void **state)
{
    tdump t;
    (void)state;
    begin(&t);
    tw_put(&t, tw_osthread(M_ADDR, 1));
    tw_put(&t, segment(HD_TAG_DATA, DATA, 64));
    tw_put(&t, segment(HD_TAG_BSS, DATA + 56, 64));
    tw_put(&t, tdump_simple(HD_TAG_MEMSTATS));
    tdump_eof(&t);
    assert_true(tw_verdict(&t, HD_R_SEGMENTS_OVERLAP));
}

/* ---- FN1–FN3 ------------------------------------------------------------------------------------- */

static void test_finalizer_no_object(void **state)
{
    const hd_record reg[] = {finalizer(HD_TAG_FINALIZER, OBJ + OBJ_SIZE)};    /* just past the object */
    const hd_record queued[] = {finalizer(HD_TAG_QFINAL, ARENA + 0x60000)};
    (void)state;
    assert_true(with_finalizers(reg, 1, HD_R_FINALIZER_NO_OBJECT));
    assert_true(with_finalizers(queued, 1, HD_R_FINALIZER_NO_OBJECT));
}

static void test_finalizer_field_zero(void **state)
{
    hd_record f[1];
    (void)state;
    for (int i = 0; i < 4; i++) {
        f[0] = finalizer(i % 2 ? HD_TAG_QFINAL : HD_TAG_FINALIZER, OBJ);
        *(i == 0 ? &f[0].u.finalizer.fn : i == 1 ? &f[0].u.finalizer.code
          : i == 2 ? &f[0].u.finalizer.fint : &f[0].u.finalizer.ot) = 0;
        assert_true(with_finalizers(f, 1, HD_R_FINALIZER_FIELD_ZERO));
    }
}

static void test_finalizer_duplicate(void **state)
{
    const hd_record f[] = {finalizer(HD_TAG_FINALIZER, OBJ), finalizer(HD_TAG_FINALIZER, OBJ)};
    (void)state;
    assert_true(with_finalizers(f, 2, HD_R_FINALIZER_DUPLICATE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),                cmocka_unit_test(test_thread_duplicates),
        cmocka_unit_test(test_segments_overlap),     cmocka_unit_test(test_finalizer_no_object),
        cmocka_unit_test(test_finalizer_field_zero), cmocka_unit_test(test_finalizer_duplicate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
