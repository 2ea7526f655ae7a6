/* test_roots.c — OS threads, data and bss, finalizers (FORMAT.md §5.6: M1, R2, FN1–FN3): small realistic
 * dumps stay clean, and each rule has a dump that fires it and only it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "tdump.h"

/* ---- a small realistic dump: amd64, go1.19.8 (tdump_params), arena [0xc000000000, 0xc004000000) ---- */
#define ARENA   UINT64_C(0xc000000000)
#define G_ADDR  (ARENA + 0x10000)      /* the goroutine's G: a heap object */
#define M_ADDR  (ARENA + 0x20000)      /* its M: a heap object */
#define OBJ     (ARENA + 0x30000)      /* a spare heap object of OBJ_SIZE bytes */
#define OBJ_SIZE 64u
#define STACK   (ARENA + 0x100000)     /* the goroutine's frames: [STACK, STACK + 80) */

static uint8_t zeros[1 << 16];

static hd_bytes bytes_of(const void *p, uint64_t n)
{
    hd_bytes b;
    memset(&b, 0, sizeof b);
    b.len = b.kept = n;
    b.p = p;
    return b;
}

static hd_bytes str(const char *s) { return bytes_of(s, strlen(s)); }

static hd_record object(uint64_t addr, uint64_t size)
{
    hd_record r = tdump_simple(HD_TAG_OBJECT);
    r.u.object.addr = addr;
    r.u.object.contents = bytes_of(zeros, size);
    return r;
}

static hd_record goroutine(uint64_t addr, uint64_t id, uint64_t status, uint64_t m, uint64_t defer, uint64_t panic)
{
    hd_record r = tdump_simple(HD_TAG_GOROUTINE);
    r.u.goroutine.addr = addr;
    r.u.goroutine.sp = STACK;
    r.u.goroutine.id = id;
    r.u.goroutine.gopc = 0x401000;
    r.u.goroutine.status = status;
    r.u.goroutine.waitreason = str(status == 4 ? "dumping heap" : "");
    r.u.goroutine.m = m;
    r.u.goroutine.defer = defer;
    r.u.goroutine.panic = panic;
    return r;
}

static hd_record frame(uint64_t sp, uint64_t depth, uint64_t child, uint64_t len, const char *name)
{
    hd_record r = tdump_simple(HD_TAG_FRAME);
    r.u.frame.sp = sp;
    r.u.frame.depth = depth;
    r.u.frame.child_sp = child;
    r.u.frame.contents = bytes_of(zeros, len);
    r.u.frame.entry = 0x402000 + depth * 0x100;
    r.u.frame.pc = r.u.frame.contpc = r.u.frame.entry + 0x20;
    r.u.frame.name = str(name);
    return r;
}

static hd_record osthread(uint64_t addr, uint64_t id)
{
    hd_record r = tdump_simple(HD_TAG_OSTHREAD);
    r.u.osthread.addr = addr;
    r.u.osthread.id = id;
    r.u.osthread.procid = 1000 + id;
    return r;
}

static void put(tdump *t, hd_record r) { tdump_rec(t, &r); }

/* G, M and OBJ objects. */
static void objects(tdump *t)
{
    put(t, object(G_ADDR, 384));
    put(t, object(M_ADDR, 1024));
    put(t, object(OBJ, OBJ_SIZE));
}

/* The two frames of the goroutine: [STACK, +32) and [STACK+32, +48). */
static void frames(tdump *t)
{
    put(t, frame(STACK, 0, 0, 32, "runtime.gopark"));
    put(t, frame(STACK + 32, 1, STACK, 48, "main.main"));
}

/* Validate; true if only `rule` fired (rule < 0: nothing fired) and the pipe path agrees. */
static bool verdict(tdump *t, int rule)
{
    tcheck c;
    bool ok;
    hd_out_flush(&t->o);
    tcheck_run(&c, t->m.p, t->m.len);
    ok = rule < 0 ? tcheck_clean(&c) : tcheck_only(&c, (hd_rule)rule);
    ok = ok && tcheck_same_via_pipe(&c, t->m.p, t->m.len);
    tdump_free(t);
    return ok;
}

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
    r.u.segment.contents = bytes_of(zeros, len);
    return r;
}

/* Everything up to the threads: params, objects, the goroutine and its frames. */
static void begin(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    objects(t);
    put(t, goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    frames(t);
}

/* data [DATA, +64), bss [BSS, +64), then `fin` (finalizers), memstats, EOF. */
static void roots(tdump *t, const hd_record *fin, size_t n)
{
    put(t, segment(HD_TAG_DATA, DATA, 64));
    put(t, segment(HD_TAG_BSS, BSS, 64));
    for (size_t i = 0; i < n; i++)
        put(t, fin[i]);
    put(t, tdump_simple(HD_TAG_MEMSTATS));
    tdump_eof(t);
}

static bool with_finalizers(const hd_record *fin, size_t n, int rule)
{
    tdump t;
    begin(&t);
    put(&t, osthread(M_ADDR, 1));
    roots(&t, fin, n);
    return verdict(&t, rule);
}

static bool with_threads(const hd_record *m, size_t n, int rule)
{
    tdump t;
    begin(&t);
    for (size_t i = 0; i < n; i++)
        put(&t, m[i]);
    roots(&t, NULL, 0);
    return verdict(&t, rule);
}

/* ---- clean -------------------------------------------------------------------------------------- */

static void test_clean(void **state)
{
    /* a registered finalizer at the object start, one 8 bytes in (1.22+ malloc header), queued ones at an
     * inner address (tiny block) and on the same object as a registered one */
    const hd_record fin[] = {
        finalizer(HD_TAG_FINALIZER, OBJ), finalizer(HD_TAG_FINALIZER, G_ADDR + 8),
        finalizer(HD_TAG_QFINAL, OBJ + 16), finalizer(HD_TAG_QFINAL, OBJ)};
    const hd_record m[] = {osthread(M_ADDR, 1), osthread(BSS + 16, 0)};   /* m0 lives in bss */
    tdump t;
    (void)state;
    begin(&t);
    put(&t, m[0]);
    put(&t, m[1]);
    roots(&t, fin, 4);
    assert_true(verdict(&t, -1));
}

/* ---- M1 ----------------------------------------------------------------------------------------- */

static void test_thread_duplicates(void **state)
{
    const hd_record addr[] = {osthread(M_ADDR, 1), osthread(M_ADDR, 2)};
    const hd_record id[] = {osthread(M_ADDR, 1), osthread(BSS + 16, 1)};
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
    put(&t, osthread(M_ADDR, 1));
    put(&t, segment(HD_TAG_DATA, DATA, 64));
    put(&t, segment(HD_TAG_BSS, DATA + 56, 64));
    put(&t, tdump_simple(HD_TAG_MEMSTATS));
    tdump_eof(&t);
    assert_true(verdict(&t, HD_R_SEGMENTS_OVERLAP));
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
