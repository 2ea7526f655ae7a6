/* test_profile_records.c — memstats, memprof buckets, alloc samples (FORMAT.md §5.7: MS1–MS3, MP1–MP2,
 * AS1–AS3): small realistic dumps stay clean, and each rule has a dump that fires it and only it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "tworld.h"


#define BUCKET  UINT64_C(0x7f0000001000)

/* memstats value indexes (FORMAT.md §3.10) */
enum { MS_ALLOC = 0, MS_MALLOCS = 4, MS_FREES = 5, MS_HEAP_ALLOC = 6, MS_HEAP_SYS = 7, MS_HEAP_IDLE = 8,
       MS_HEAP_INUSE = 9, MS_HEAP_OBJECTS = 11, MS_PAUSE_NS = 24, MS_NUMGC = 280 };

/* Consistent memstats after 3 GCs. */
static hd_record memstats(void)
{
    hd_record r = tdump_simple(HD_TAG_MEMSTATS);
    uint64_t *v = r.u.memstats.v;
    v[MS_ALLOC] = v[MS_HEAP_ALLOC] = 1000;
    v[MS_HEAP_SYS] = 4096;
    v[MS_HEAP_IDLE] = 1024;
    v[MS_HEAP_INUSE] = 3072;
    v[MS_MALLOCS] = 10;
    v[MS_FREES] = 4;
    v[MS_HEAP_OBJECTS] = 6;
    v[MS_NUMGC] = 3;
    v[MS_PAUSE_NS + 0] = 5000;
    v[MS_PAUSE_NS + 1] = 6000;
    v[MS_PAUSE_NS + 2] = 7000;
    return r;
}

static hd_mpframe mpframe(const char *name, const char *file, uint64_t line)
{
    hd_mpframe f;
    f.name = tw_str(name);
    f.file = tw_str(file);
    f.line = line;
    return f;
}

static hd_record memprof(uint64_t addr, const hd_mpframe *f, uint32_t n)
{
    hd_record r = tdump_simple(HD_TAG_MEMPROF);
    r.u.memprof.addr = addr;
    r.u.memprof.size = 64;
    r.u.memprof.nframes = r.u.memprof.nkept = n;
    r.u.memprof.frames = f;
    r.u.memprof.allocs = 3;
    r.u.memprof.frees = 1;
    return r;
}

static hd_record sample(uint64_t addr, uint64_t bucket)
{
    hd_record r = tdump_simple(HD_TAG_ALLOCSAMPLE);
    r.u.sample.addr = addr;
    r.u.sample.bucket = bucket;
    return r;
}

/* A complete dump of header h whose tail is memstats `ms`, then `prof` (memprof and sample records). */
static bool dump(hd_header_id h, hd_record ms, const hd_record *prof, size_t n, int rule)
{
    tdump t;
    hd_record d = tdump_simple(HD_TAG_DATA), b = tdump_simple(HD_TAG_BSS);
    d.u.segment.addr = 0x500000;
    b.u.segment.addr = 0x600000;
    tdump_begin(&t, h, 8);
    tw_objects(&t);
    tw_put(&t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    tw_frames(&t);
    tw_put(&t, tw_osthread(M_ADDR, 1));
    tw_put(&t, d);
    tw_put(&t, b);
    tw_put(&t, ms);
    for (size_t i = 0; i < n; i++)
        tw_put(&t, prof[i]);
    tdump_eof(&t);
    return tw_verdict(&t, rule);
}

static bool with_memstats(hd_record ms, int rule) { return dump(HD_H17, ms, NULL, 0, rule); }
static bool with_profile(const hd_record *p, size_t n, int rule) { return dump(HD_H17, memstats(), p, n, rule); }

/* One bucket whose only frame is f, in a dump of header h. */
static bool with_frame(hd_header_id h, hd_mpframe f, int rule)
{
    static hd_mpframe one[1];
    hd_record p[1];
    one[0] = f;
    p[0] = memprof(BUCKET, one, 1);
    return dump(h, memstats(), p, 1, rule);
}

/* ---- clean -------------------------------------------------------------------------------------- */

static void test_clean(void **state)
{
    /* a known tw_frame, unknown PCs (including PC 0), a known function without line info (file "?") */
    static const char *const names[] = {"main.main", "(0x4a2b)", "(0x0)", "runtime.asmcgocall"};
    static const char *const files[] = {"main.go", "?", "?", "?"};
    hd_mpframe f[4];
    hd_record p[4];
    (void)state;
    for (int i = 0; i < 4; i++)
        f[i] = mpframe(names[i], files[i], i == 0 ? 12 : 0);
    p[0] = memprof(BUCKET, f, 4);
    p[1] = memprof(BUCKET + 0x100, f, 1);
    p[2] = sample(OBJ, BUCKET);
    p[3] = sample(G_ADDR + 8, BUCKET + 0x100);    /* 1.22+: object start + 8 after a malloc header */
    assert_true(with_profile(p, 4, -1));
    assert_true(with_memstats(tdump_simple(HD_TAG_MEMSTATS), -1));    /* all zero is consistent too */
}

static void test_clean_go14_unknown_pc(void **state)
{
    (void)state;
    assert_true(with_frame(HD_H14, mpframe("0x4a2b", "?", 0), -1));
    assert_true(with_frame(HD_H14, mpframe("0x0", "?", 0), -1));
    assert_true(with_frame(HD_H14, mpframe("", "runtime/proc.c", 100), -1));   /* go1.4: a nameless function */
}

/* ---- MS1–MS3 -------------------------------------------------------------------------------------- */

static void test_memstats_numgc(void **state)
{
    hd_record ms = memstats();
    (void)state;
    ms.u.memstats.v[MS_NUMGC] = UINT64_C(1) << 32;
    assert_true(with_memstats(ms, HD_R_MEMSTATS_NUMGC));
}

static void test_memstats_inconsistent(void **state)
{
    hd_record ms;
    (void)state;
    ms = memstats();
    ms.u.memstats.v[MS_ALLOC] = 999;
    assert_true(with_memstats(ms, HD_R_MEMSTATS_INCONSISTENT));
    ms = memstats();
    ms.u.memstats.v[MS_HEAP_IDLE] = 0;
    assert_true(with_memstats(ms, HD_R_MEMSTATS_INCONSISTENT));
    ms = memstats();
    ms.u.memstats.v[MS_HEAP_OBJECTS] = 7;
    assert_true(with_memstats(ms, HD_R_MEMSTATS_INCONSISTENT));
    ms = memstats();
    ms.u.memstats.v[MS_FREES] = 11;
    assert_true(with_memstats(ms, HD_R_MEMSTATS_INCONSISTENT));
}

static void test_memstats_pause(void **state)
{
    hd_record ms = memstats();
    (void)state;
    ms.u.memstats.v[MS_PAUSE_NS + 200] = 1;
    assert_true(with_memstats(ms, HD_R_MEMSTATS_PAUSE));
    ms.u.memstats.v[MS_NUMGC] = 300;          /* the ring has wrapped: every slot may be set */
    assert_true(with_memstats(ms, -1));
}

/* ---- MP1, MP2 ------------------------------------------------------------------------------------ */

static void test_memprof_duplicate(void **state)
{
    static hd_mpframe f[1];
    hd_record p[2];
    (void)state;
    f[0] = mpframe("main.main", "main.go", 3);
    p[0] = memprof(BUCKET, f, 1);
    p[1] = memprof(BUCKET, f, 1);
    assert_true(with_profile(p, 2, HD_R_MEMPROF_DUPLICATE));
}

static void test_memprof_unknown_pc(void **state)
{
    (void)state;
    assert_true(with_frame(HD_H17, mpframe("0x4a2b", "?", 0), HD_R_MEMPROF_UNKNOWN_PC));      /* go1.4 form */
    assert_true(with_frame(HD_H14, mpframe("(0x4a2b)", "?", 0), HD_R_MEMPROF_UNKNOWN_PC));    /* go1.5 form */
    assert_true(with_frame(HD_H17, mpframe("(0x4A2B)", "?", 0), HD_R_MEMPROF_UNKNOWN_PC));    /* upper case */
    assert_true(with_frame(HD_H17, mpframe("(0x04a2b)", "?", 0), HD_R_MEMPROF_UNKNOWN_PC));   /* leading zero */
    assert_true(with_frame(HD_H17, mpframe("(0x4a2b)", "main.go", 0), HD_R_MEMPROF_UNKNOWN_PC));
    assert_true(with_frame(HD_H17, mpframe("(0x4a2b)", "?", 7), HD_R_MEMPROF_UNKNOWN_PC));
}

/* ---- AS1–AS3 -------------------------------------------------------------------------------------- */

static void test_samples(void **state)
{
    static hd_mpframe f[1];
    hd_record p[3];
    (void)state;
    f[0] = mpframe("main.main", "main.go", 3);
    p[0] = memprof(BUCKET, f, 1);
    p[1] = sample(OBJ, BUCKET + 8);
    assert_true(with_profile(p, 2, HD_R_SAMPLE_BUCKET_UNKNOWN));
    p[1] = sample(ARENA + 0x60000, BUCKET);
    assert_true(with_profile(p, 2, HD_R_SAMPLE_NO_OBJECT));
    p[1] = sample(OBJ, BUCKET);
    p[2] = sample(OBJ, BUCKET);
    assert_true(with_profile(p, 3, HD_R_SAMPLE_DUPLICATE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),                 cmocka_unit_test(test_clean_go14_unknown_pc),
        cmocka_unit_test(test_memstats_numgc),        cmocka_unit_test(test_memstats_inconsistent),
        cmocka_unit_test(test_memstats_pause),        cmocka_unit_test(test_memprof_duplicate),
        cmocka_unit_test(test_memprof_unknown_pc),    cmocka_unit_test(test_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
