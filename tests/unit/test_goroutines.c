/* test_goroutines.c — goroutines, tw_frames, defers and panics (FORMAT.md §5.5: G1–G5, S1–S9, D1–D5, L1):
 * small realistic dumps stay clean, and each rule has a dump that fires it and only it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "hd/format.h"
#include "tworld.h"


#define G2_ADDR (ARENA + 0x40000)      /* a second goroutine's G */
#define STACK2  (ARENA + 0x200000)     /* its one frame: [STACK2, STACK2 + 16) */
#define NOWHERE (ARENA + 0x60000)      /* in the arena, in no object and no stack */
#define FN      UINT64_C(0x4b0000)     /* a funcval */
#define CODE    UINT64_C(0x403000)     /* its code */

static hd_record defer_rec(uint64_t addr, uint64_t g, uint64_t fn, uint64_t code, uint64_t link)
{
    hd_record r = tdump_simple(HD_TAG_DEFER);
    r.u.defer.addr = addr;
    r.u.defer.g = g;
    r.u.defer.argp = STACK + 32;
    r.u.defer.pc = 0x402040;
    r.u.defer.fn = fn;
    r.u.defer.code = code;
    r.u.defer.link = link;
    return r;
}

static hd_record panic_rec(uint64_t addr, uint64_t g, uint64_t link)
{
    hd_record r = tdump_simple(HD_TAG_PANIC);
    r.u.panic.addr = addr;
    r.u.panic.g = g;
    r.u.panic.type = 0x4a0000;
    r.u.panic.data = OBJ;
    r.u.panic.link = link;
    return r;
}

/* Header h, params (build version `version` and GOARCH `arch` (big-endian when `big`) if given), and the objects
 * G, M, OBJ, G2. */
static void begin_arch(tdump *t, hd_header_id h, const char *version, const char *arch, bool big)
{
    hd_record p;
    tdump_init(t, h, 8);
    p = tdump_params(t);
    if (version != NULL)
        p.u.params.experiment = tw_str(version);
    if (arch != NULL)
        p.u.params.arch = tw_str(arch);
    p.u.params.big_endian = big;
    tw_put(t, p);
    tw_objects(t);
    tw_put(t, tw_object(G2_ADDR, 384));
}

static void begin_v(tdump *t, hd_header_id h, const char *version) { begin_arch(t, h, version, NULL, false); }
static void begin(tdump *t) { begin_v(t, HD_H17, NULL); }

/* The waiting goroutine G (the one writing the dump) and its two frames. */
static void main_g(tdump *t, uint64_t defer, uint64_t panic)
{
    tw_put(t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, defer, panic));
    tw_frames(t);
}

/* A second tw_goroutine, runnable, whose one frame is [STACK2, +16). */
static hd_record g2(uint64_t defer, uint64_t panic)
{
    hd_record r = tw_goroutine(G2_ADDR, 2, 1, 0, defer, panic);
    r.u.goroutine.sp = STACK2;
    return r;
}

static void g2_frame(tdump *t) { tw_put(t, tw_frame(STACK2, 0, 0, 16, "runtime.goexit")); }

static void end(tdump *t)
{
    tw_put(t, tw_osthread(M_ADDR, 1));
    tdump_finish(t);
}

/* A dump whose only odd part is the main goroutine's tw_frames, given as records, on GOARCH `arch` of Go
 * `version` (NULL: tdump's amd64, go1.19.8). */
static bool with_frames_on(const char *arch, bool big, const char *version, const hd_record *f, size_t n, int rule)
{
    const hd_arch *a = arch != NULL ? hd_arch_by_name(arch) : NULL;
    tdump t;
    begin_arch(&t, HD_H17, version, arch, big);
    tw_put(&t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    for (size_t i = 0; i < n; i++) {
        hd_record r = f[i];
        /* tw_frame keeps the return address where x86 does; a link-register port keeps it in the first word */
        if (a != NULL && (a->flags & HD_AF_LR))
            r.u.frame.contents = tw_frame_contents(r.u.frame.contents.len, 8, big, true, TW_FRAME_PC);
        tw_put(&t, r);
    }
    end(&t);
    return tw_verdict(&t, rule);
}

static bool with_frames(const hd_record *f, size_t n, int rule) { return with_frames_on(NULL, false, NULL, f, n, rule); }

/* ---- clean dumps --------------------------------------------------------------------------------- */

static void test_clean(void **state)
{
    tdump t;
    (void)state;
    begin(&t);
    main_g(&t, STACK + 40, STACK + 56);
    tw_put(&t, defer_rec(STACK + 40, G_ADDR, FN, CODE, OBJ));     /* on the stack (1.13+) */
    tw_put(&t, defer_rec(OBJ, G_ADDR, 0, 0, 0));                  /* in the heap; open-coded (1.14+): fn 0, code 0 */
    tw_put(&t, panic_rec(STACK + 56, G_ADDR, 0));
    tw_put(&t, g2(0, 0));
    g2_frame(&t);
    end(&t);
    assert_true(tw_verdict(&t, -1));
}

static void test_clean_go14(void **state)
{
    tdump t;
    hd_record p = panic_rec(STACK + 56, G_ADDR, 0);
    (void)state;
    begin_v(&t, HD_H14, NULL);
    main_g(&t, OBJ, STACK + 56);
    tw_put(&t, defer_rec(OBJ, G_ADDR, FN, CODE, 0));
    tw_put(&t, p);
    end(&t);
    assert_true(tw_verdict(&t, -1));
}

/* Go 1.20+ (here 1.22.8): the writer sets the caller's wait reason to "dumping heap". */
static void test_clean_go122(void **state)
{
    tdump t;
    (void)state;
    begin_v(&t, HD_H17, "go1.22.8");
    main_g(&t, 0, 0);
    end(&t);
    assert_true(tw_verdict(&t, -1));
}

/* ---- goroutines: G1–G5 ------------------------------------------------------------------------------ */

static void test_status(void **state)
{
    tdump t;
    hd_record r = g2(0, 0);
    (void)state;
    r.u.goroutine.status = 2;                 /* _Grunning: dumpgs throws instead */
    begin(&t);
    main_g(&t, 0, 0);
    tw_put(&t, r);
    g2_frame(&t);
    end(&t);
    assert_true(tw_verdict(&t, HD_R_GOROUTINE_STATUS));
}

static void test_background(void **state)
{
    tdump t;
    hd_record r = g2(0, 0);
    (void)state;
    r.u.goroutine.background = true;
    begin_v(&t, HD_H14, NULL);
    main_g(&t, 0, 0);
    tw_put(&t, r);
    g2_frame(&t);
    end(&t);
    assert_true(tw_verdict(&t, HD_R_GOROUTINE_BACKGROUND));
}

static void test_duplicate_address_and_id(void **state)
{
    tdump t;
    hd_record r = g2(0, 0);
    (void)state;
    r.u.goroutine.addr = G_ADDR;
    begin(&t);
    main_g(&t, 0, 0);
    tw_put(&t, r);
    g2_frame(&t);
    end(&t);
    assert_true(tw_verdict(&t, HD_R_GOROUTINE_DUPLICATE));

    r = g2(0, 0);
    r.u.goroutine.id = 1;
    begin(&t);
    main_g(&t, 0, 0);
    tw_put(&t, r);
    g2_frame(&t);
    end(&t);
    assert_true(tw_verdict(&t, HD_R_GOROUTINE_ID_DUPLICATE));
}

static void test_m_unknown(void **state)
{
    tdump t;
    (void)state;
    begin(&t);
    main_g(&t, 0, 0);
    tdump_finish(&t);                         /* no OS thread record for M_ADDR */
    assert_true(tw_verdict(&t, HD_R_GOROUTINE_M_UNKNOWN));
}

static void test_no_waiting(void **state)
{
    tdump t;
    (void)state;
    begin(&t);
    tw_put(&t, g2(0, 0));
    g2_frame(&t);
    end(&t);
    assert_true(tw_verdict(&t, HD_R_NO_WAITING_GOROUTINE));
}

static void test_no_dumping_heap(void **state)
{
    tdump t;
    hd_record r = tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0);
    (void)state;
    r.u.goroutine.waitreason = tw_str("chan receive");
    begin_v(&t, HD_H17, "go1.22.8");
    tw_put(&t, r);
    tw_frames(&t);
    end(&t);
    assert_true(tw_verdict(&t, HD_R_NO_DUMPING_HEAP));
    /* before 1.20 the caller's reason is stale: fine */
    begin(&t);
    tw_put(&t, r);
    tw_frames(&t);
    end(&t);
    assert_true(tw_verdict(&t, -1));
}

/* ---- frames: S1–S9 --------------------------------------------------------------------------------- */

static void test_frame_depth(void **state)
{
    const hd_record f[] = {tw_frame(STACK, 0, 0, 32, "a"), tw_frame(STACK + 32, 2, STACK, 48, "b")};
    (void)state;
    assert_true(with_frames(f, 2, HD_R_FRAME_DEPTH));
}

static void test_frame_child_sp(void **state)
{
    const hd_record f[] = {tw_frame(STACK, 0, 0, 32, "a"), tw_frame(STACK + 32, 1, STACK + 8, 48, "b")};
    const hd_record f0[] = {tw_frame(STACK, 0, STACK - 16, 32, "a")};
    (void)state;
    assert_true(with_frames(f, 2, HD_R_FRAME_CHILD_SP));
    assert_true(with_frames(f0, 1, HD_R_FRAME_CHILD_SP));
}

static void test_frame_sp_not_g_sp(void **state)
{
    const hd_record f[] = {tw_frame(STACK + 8, 0, 0, 32, "a")};
    (void)state;
    assert_true(with_frames(f, 1, HD_R_FRAME_SP_NOT_G_SP));
}

static void test_frame_sp_order(void **state)
{
    const hd_record gap[] = {tw_frame(STACK, 0, 0, 32, "a"), tw_frame(STACK + 40, 1, STACK, 48, "b")};
    const hd_record down[] = {tw_frame(STACK, 0, 0, 32, "a"), tw_frame(STACK - 64, 1, STACK, 48, "b")};
    (void)state;
    assert_true(with_frames(gap, 2, HD_R_FRAME_SP_ORDER));     /* amd64: frames are contiguous */
    assert_true(with_frames(down, 2, HD_R_FRAME_SP_ORDER));
}

/* S4 on link-register ports (Go 1.17+): a caller's frame starts where its callee's ends, except after a frame the
 * runtime injected, which the unwinder leaves the port's minimum frame (arch.def: 16 bytes on arm64, 32 on ppc64)
 * below its caller. Before Go 1.17 only "not below" is judged. */
static void test_frame_sp_order_link_register(void **state)
{
    const hd_record gap[] = {tw_frame(STACK, 0, 0, 32, "a"), tw_frame(STACK + 40, 1, STACK, 48, "b")};
    const hd_record inj16[] = {tw_frame(STACK, 0, 0, 32, "runtime.sigpanic"), tw_frame(STACK + 48, 1, STACK, 48, "b")};
    const hd_record inj0[] = {tw_frame(STACK, 0, 0, 32, "runtime.asyncPreempt"), tw_frame(STACK + 32, 1, STACK, 48, "b")};
    const hd_record inj32[] = {tw_frame(STACK, 0, 0, 32, "runtime.sigpanic"), tw_frame(STACK + 64, 1, STACK, 48, "b")};
    (void)state;
    assert_true(with_frames_on("arm64", false, NULL, gap, 2, HD_R_FRAME_SP_ORDER));
    assert_true(with_frames_on("arm64", false, "", gap, 2, -1));    /* Go 1.7-1.16 (no version): not judged */
    assert_true(with_frames_on("arm64", false, NULL, inj16, 2, -1));
    assert_true(with_frames_on("arm64", false, NULL, inj0, 2, HD_R_FRAME_SP_ORDER));
    assert_true(with_frames_on("ppc64le", false, NULL, inj32, 2, -1));
    assert_true(with_frames_on("ppc64le", false, NULL, inj16, 2, HD_R_FRAME_SP_ORDER));
    assert_true(with_frames_on("s390x", true, NULL, gap, 2, HD_R_FRAME_SP_ORDER));
}

/* S10: a frame's PC is the return address its callee saved: on x86 the callee's last word, on link-register
 * ports (Go 1.17+, where S4 is exact) its first. A callee too short to hold one is only allowed on a
 * link-register port, as the innermost frame. */
static bool ret_case(const char *arch, bool big, const char *version, uint64_t len0, bool first_word, uint64_t ret,
                     int rule)
{
    const hd_arch *a = arch != NULL ? hd_arch_by_name(arch) : NULL;
    hd_record f[] = {tw_frame(STACK, 0, 0, len0, "a"), tw_frame(STACK + len0, 1, STACK, 48, "b")};
    tdump t;
    f[0].u.frame.contents = tw_frame_contents(len0, 8, big, first_word, ret);
    if (a != NULL && (a->flags & HD_AF_LR))
        f[1].u.frame.contents = tw_frame_contents(48, 8, big, true, TW_FRAME_PC);
    begin_arch(&t, HD_H17, version, arch, big);
    tw_put(&t, tw_goroutine(G_ADDR, 1, 4, M_ADDR, 0, 0));
    tw_put(&t, f[0]);
    tw_put(&t, f[1]);
    end(&t);
    return tw_verdict(&t, rule);
}

static void test_frame_return_address(void **state)
{
    (void)state;
    /* amd64: the last word */
    assert_true(ret_case(NULL, false, NULL, 32, false, TW_FRAME_PC, -1));
    assert_true(ret_case(NULL, false, NULL, 32, false, TW_FRAME_PC + 8, HD_R_FRAME_RETURN_ADDRESS));
    assert_true(ret_case(NULL, false, NULL, 32, true, TW_FRAME_PC, HD_R_FRAME_RETURN_ADDRESS));
    assert_true(ret_case(NULL, false, NULL, 0, false, 0, HD_R_FRAME_RETURN_ADDRESS));      /* too short */
    /* link register: the first word, in the dump's byte order */
    assert_true(ret_case("arm64", false, NULL, 32, true, TW_FRAME_PC, -1));
    assert_true(ret_case("arm64", false, NULL, 32, false, TW_FRAME_PC, HD_R_FRAME_RETURN_ADDRESS));
    assert_true(ret_case("s390x", true, NULL, 32, true, TW_FRAME_PC, -1));
    assert_true(ret_case("s390x", true, NULL, 32, true, TW_FRAME_PC << 8, HD_R_FRAME_RETURN_ADDRESS));
    assert_true(ret_case("arm64", false, NULL, 0, true, 0, -1));          /* innermost, LR not saved yet */
    assert_true(ret_case("arm64", false, "", 32, false, TW_FRAME_PC, -1)); /* Go 1.7-1.16: not judged */
}

static void test_frame_entry_after_pc(void **state)
{
    hd_record f[] = {tw_frame(STACK, 0, 0, 32, "a")};
    (void)state;
    f[0].u.frame.pc = f[0].u.frame.entry - 1;
    assert_true(with_frames(f, 1, HD_R_FRAME_ENTRY_AFTER_PC));
}

static void test_frame_name_empty(void **state)
{
    const hd_record f[] = {tw_frame(STACK, 0, 0, 32, "")};
    (void)state;
    assert_true(with_frames(f, 1, HD_R_FRAME_NAME_EMPTY));
}

static hd_record frame_fields(const hd_field *fl, uint32_t n)
{
    hd_record r = tw_frame(STACK, 0, 0, 32, "a");
    r.u.frame.fields.v = fl;
    r.u.frame.fields.count = r.u.frame.fields.nkept = n;
    return r;
}

static void test_frame_fields(void **state)
{
    static const hd_field past[] = {{0, HD_FK_PTR}, {32, HD_FK_PTR}};
    static const hd_field odd[] = {{4, HD_FK_PTR}};
    static const hd_field unsorted[] = {{8, HD_FK_PTR}, {0, HD_FK_PTR}};
    hd_record f[1];
    (void)state;
    f[0] = frame_fields(past, 2);
    assert_true(with_frames(f, 1, HD_R_FRAME_FIELD_OUTSIDE));
    f[0] = frame_fields(odd, 1);             /* S7 split: a misaligned offset is corruption, an error of its own */
    assert_true(with_frames(f, 1, HD_R_FRAME_FIELD_MISALIGNED));
    f[0] = frame_fields(unsorted, 2);
    assert_true(with_frames(f, 1, HD_R_FRAME_FIELDS_UNSORTED));
}

static void test_no_frames(void **state)
{
    tdump t;
    (void)state;
    begin(&t);
    main_g(&t, 0, 0);
    tw_put(&t, g2(0, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_GOROUTINE_NO_FRAMES));
}

/* ---- defers and panics: D1–D5 ------------------------------------------------------------------ */

static void test_defer_chain(void **state)
{
    tdump t;
    (void)state;
    /* the first record is not the one the goroutine names */
    begin(&t);
    main_g(&t, STACK + 40, 0);
    tw_put(&t, defer_rec(STACK + 48, G_ADDR, FN, CODE, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_DEFER_CHAIN));
    /* the chain goes on at OBJ, but no record follows */
    begin(&t);
    main_g(&t, STACK + 40, 0);
    tw_put(&t, defer_rec(STACK + 40, G_ADDR, FN, CODE, OBJ));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_DEFER_CHAIN));
    /* a defer record for a goroutine without defers */
    begin(&t);
    main_g(&t, 0, 0);
    tw_put(&t, defer_rec(STACK + 40, G_ADDR, FN, CODE, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_DEFER_CHAIN));
}

static void test_defer_goroutine(void **state)
{
    tdump t;
    (void)state;
    begin(&t);
    main_g(&t, STACK + 40, 0);
    tw_put(&t, defer_rec(STACK + 40, G2_ADDR, FN, CODE, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_DEFER_GOROUTINE));
}

static void test_panic_chain_and_goroutine(void **state)
{
    tdump t;
    (void)state;
    begin(&t);
    main_g(&t, 0, STACK + 56);
    tw_put(&t, panic_rec(STACK + 56, G_ADDR, STACK + 64));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_PANIC_CHAIN));
    begin(&t);
    main_g(&t, 0, 0);
    tw_put(&t, panic_rec(STACK + 56, G_ADDR, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_PANIC_CHAIN));
    begin(&t);
    main_g(&t, 0, STACK + 56);
    tw_put(&t, panic_rec(STACK + 56, G2_ADDR, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_PANIC_GOROUTINE));
}

static void test_panic_defer_set(void **state)
{
    tdump t;
    hd_record p = panic_rec(STACK + 56, G_ADDR, 0);
    (void)state;
    p.u.panic.defer = STACK + 40;
    begin(&t);
    main_g(&t, 0, STACK + 56);
    tw_put(&t, p);
    end(&t);
    assert_true(tw_verdict(&t, HD_R_PANIC_DEFER_SET));
}

static void test_defer_fn_code(void **state)
{
    tdump t;
    (void)state;
    /* 1.14+: no funcval, yet a code PC */
    begin(&t);
    main_g(&t, OBJ, 0);
    tw_put(&t, defer_rec(OBJ, G_ADDR, 0, CODE, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_DEFER_FN_CODE));
    /* go1.4: every defer has a funcval and code */
    begin_v(&t, HD_H14, NULL);
    main_g(&t, OBJ, 0);
    tw_put(&t, defer_rec(OBJ, G_ADDR, 0, 0, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_DEFER_FN_CODE));
}

static void test_duplicates(void **state)
{
    tdump t;
    (void)state;
    begin(&t);
    main_g(&t, OBJ, 0);
    tw_put(&t, defer_rec(OBJ, G_ADDR, FN, CODE, 0));
    tw_put(&t, g2(OBJ, 0));
    g2_frame(&t);
    tw_put(&t, defer_rec(OBJ, G2_ADDR, FN, CODE, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_DEFER_DUPLICATE));
    begin(&t);
    main_g(&t, 0, OBJ);
    tw_put(&t, panic_rec(OBJ, G_ADDR, 0));
    tw_put(&t, g2(0, OBJ));
    g2_frame(&t);
    tw_put(&t, panic_rec(OBJ, G2_ADDR, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_PANIC_DUPLICATE));
}

/* ---- L1 ------------------------------------------------------------------------------------------ */

static void test_outside_dump(void **state)
{
    tdump t;
    hd_record r = g2(0, 0);
    (void)state;
    r.u.goroutine.addr = NOWHERE;             /* a G that is no heap object */
    begin(&t);
    main_g(&t, 0, 0);
    tw_put(&t, r);
    g2_frame(&t);
    end(&t);
    assert_true(tw_verdict(&t, HD_R_OUTSIDE_DUMP));
    begin(&t);                                /* a defer neither in the heap nor on its stack */
    main_g(&t, NOWHERE, 0);
    tw_put(&t, defer_rec(NOWHERE, G_ADDR, FN, CODE, 0));
    end(&t);
    assert_true(tw_verdict(&t, HD_R_OUTSIDE_DUMP));
    begin(&t);                                /* a panic on another goroutine's stack */
    main_g(&t, 0, STACK2);
    tw_put(&t, panic_rec(STACK2, G_ADDR, 0));
    tw_put(&t, g2(0, 0));
    g2_frame(&t);
    end(&t);
    assert_true(tw_verdict(&t, HD_R_OUTSIDE_DUMP));
    begin(&t);                                /* an M neither in the heap nor in data/bss */
    tw_put(&t, tw_goroutine(G_ADDR, 1, 4, NOWHERE, 0, 0));
    tw_frames(&t);
    tw_put(&t, tw_osthread(NOWHERE, 1));
    tdump_finish(&t);
    assert_true(tw_verdict(&t, HD_R_OUTSIDE_DUMP));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),             cmocka_unit_test(test_clean_go14),
        cmocka_unit_test(test_clean_go122),       cmocka_unit_test(test_status),
        cmocka_unit_test(test_background),        cmocka_unit_test(test_duplicate_address_and_id),
        cmocka_unit_test(test_m_unknown),         cmocka_unit_test(test_no_waiting),
        cmocka_unit_test(test_no_dumping_heap),   cmocka_unit_test(test_frame_depth),
        cmocka_unit_test(test_frame_sp_order_link_register),
        cmocka_unit_test(test_frame_return_address),
        cmocka_unit_test(test_frame_child_sp),    cmocka_unit_test(test_frame_sp_not_g_sp),
        cmocka_unit_test(test_frame_sp_order),    cmocka_unit_test(test_frame_entry_after_pc),
        cmocka_unit_test(test_frame_name_empty),  cmocka_unit_test(test_frame_fields),
        cmocka_unit_test(test_no_frames),         cmocka_unit_test(test_defer_chain),
        cmocka_unit_test(test_defer_goroutine),   cmocka_unit_test(test_panic_chain_and_goroutine),
        cmocka_unit_test(test_panic_defer_set),   cmocka_unit_test(test_defer_fn_code),
        cmocka_unit_test(test_duplicates),        cmocka_unit_test(test_outside_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
