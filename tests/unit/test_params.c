/* test_params.c — the params record (FORMAT.md §5.2 P3–P8: P101–P106): plausible params of every layout and
 * architecture stay clean, each implausible one fires its rule and only it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "tworld.h"


/* ---- dumps with chosen params ------------------------------------------------------------------------------- */

typedef struct {
    const char *arch;       /* GOARCH (go1.7 header); NULL: tdump's ("amd64"/"386") */
    uint64_t    code;       /* char code (go1.3 .. go1.6); 0: tdump's ('6'/'8') */
    const char *version;    /* version / GOEXPERIMENT; NULL: tdump's ("go1.19.8" / "") */
    bool        big;
    uint64_t    lo, hi;     /* arena; 0: tdump's */
    bool        ncpu_zero;
} pspec;

static void dump_with(tdump *t, hd_header_id h, unsigned ps, const pspec *s)
{
    hd_record p;
    tdump_init(t, h, ps);
    p = tdump_params(t);
    if (s->arch != NULL)
        p.u.params.arch = tw_str(s->arch);
    if (s->code != 0)
        p.u.params.arch_code = s->code;
    if (s->version != NULL)
        p.u.params.experiment = tw_str(s->version);
    p.u.params.big_endian = s->big;
    if (s->lo != 0 || s->hi != 0) {
        p.u.params.arena_start = s->lo;
        p.u.params.arena_end = s->hi;
    }
    if (s->ncpu_zero)
        p.u.params.ncpu = 0;
    tdump_rec(t, &p);
    tw_w_object(t);
    tw_w_goroutine(t);
    tw_w_thread(t);
    tdump_finish(t);
}

static void check(tcheck *c, hd_header_id h, unsigned ps, const pspec *s, const char *go)
{
    tdump t;
    hd_options o;
    hd_options_init(&o);
    o.go_version = go;
    dump_with(&t, h, ps, s);
    tcheck_run_opts(c, t.m.p, t.m.len, &o);
    if (go == NULL)
        assert_true(tcheck_same_via_pipe(c, t.m.p, t.m.len));
    tdump_free(&t);
}

static void expect_clean(hd_header_id h, unsigned ps, const pspec *s, const char *go)
{
    tcheck c;
    check(&c, h, ps, s, go);
    if (!tcheck_clean(&c))
        fail_msg("%s %u-byte arch %s code %c version \"%s\" --go=%s", hd_header_name(h), ps, s->arch ? s->arch : "-",
                 s->code ? (int)s->code : '-', s->version ? s->version : "-", go ? go : "-");
}

static void expect_only(hd_header_id h, unsigned ps, const pspec *s, const char *go, hd_rule r)
{
    tcheck c;
    check(&c, h, ps, s, go);
    assert_true(tcheck_only(&c, r));
    assert_int_equal(c.n, 1);
}

/* ---- valid ---------------------------------------------------------------------------------------------------- */

static void test_valid_layouts(void **state)
{
    static const hd_header_id hs[] = {HD_H13, HD_H14, HD_H15, HD_H16, HD_H17};
    pspec s = {0};
    (void)state;
    for (size_t i = 0; i < 5; i++)
        for (unsigned ps = 4; ps <= 8; ps += 4)
            expect_clean(hs[i], ps, &s, NULL);
}

static void test_valid_versions(void **state)
{
    static const char *const versions[] = {
        "go1.19.8", "go1.22.8", "go1.17", "go1.21rc2", "devel go1.22-abc123 Mon Jan 1 00:00:00 2024 +0000",
        "devel +b0a7a38 Tue Apr 20 10:00:00 2021 +0000", "go1.25-devel_c0e149b6b1 Fri May 23 10:41:44 2025 -0700",
        "go1.20.1 X:boringcrypto", "", "fieldtrack,framepointer",
    };
    (void)state;
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        pspec s = {0};
        s.version = versions[i];
        expect_clean(HD_H17, 8, &s, NULL);
    }
}

static void test_valid_architectures(void **state)
{
    static const struct { const char *arch; unsigned ps; bool big; } v17[] = {
        {"386", 4, false}, {"arm", 4, false}, {"mips", 4, true}, {"mipsle", 4, false}, {"arm64", 8, false},
        {"ppc64", 8, true}, {"ppc64le", 8, false}, {"s390x", 8, true}, {"mips64", 8, true}, {"wasm", 8, false},
        {"riscv64", 8, false}, {"loong64", 8, false}, {"amd64", 8, false},
    };
    static const struct { hd_header_id h; char code; unsigned ps; bool big; } codes[] = {
        {HD_H13, '5', 4, false}, {HD_H13, '6', 4, false}, {HD_H14, '6', 8, false}, {HD_H14, '8', 4, false},
        {HD_H15, '7', 8, false}, {HD_H15, '9', 8, true}, {HD_H15, '9', 8, false}, {HD_H16, '0', 8, true},
    };
    (void)state;
    for (size_t i = 0; i < sizeof v17 / sizeof v17[0]; i++) {
        pspec s = {0};
        s.arch = v17[i].arch;
        s.big = v17[i].big;
        expect_clean(HD_H17, v17[i].ps, &s, NULL);
    }
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        pspec s = {0};
        s.code = (uint64_t)codes[i].code;
        s.big = codes[i].big;
        expect_clean(codes[i].h, codes[i].ps, &s, NULL);
    }
}

/* Before Go 1.11 the arena is [arena_start, arena_used): any alignment. */
static void test_valid_unaligned_arena_before_go111(void **state)
{
    pspec s = {0};
    (void)state;
    s.lo = TD_ARENA_LO(8);
    s.hi = TD_ARENA_HI(8) - 0x1000;
    s.version = "";                  /* Go 1.7 .. 1.16 */
    expect_clean(HD_H17, 8, &s, NULL);
    expect_clean(HD_H17, 8, &s, "1.10");
    s.version = NULL;
    expect_clean(HD_H14, 8, &s, NULL);
}

/* ---- one rule each ----------------------------------------------------------------------------------------- */

static void test_p3_arena_inverted(void **state)
{
    pspec s = {0};
    (void)state;
    s.lo = TD_ARENA_HI(8) + 0x400000;
    s.hi = TD_ARENA_LO(8);
    expect_only(HD_H14, 8, &s, NULL, HD_R_ARENA_INVERTED);
}

static void test_p4_arena_unaligned(void **state)
{
    pspec s = {0};
    (void)state;
    s.lo = TD_ARENA_LO(8);
    s.hi = TD_ARENA_HI(8) - 0x1000;
    expect_only(HD_H17, 8, &s, NULL, HD_R_ARENA_UNALIGNED);                /* version go1.19.8 */
    s.version = "";
    expect_only(HD_H17, 8, &s, "1.11", HD_R_ARENA_UNALIGNED);              /* --go says 1.11+ */
    /* the unit is the port's: 64 MiB where no Windows or iOS target exists (s390x), 4 MiB for amd64 */
    s.version = NULL;
    s.lo = TD_ARENA_LO(8);
    s.hi = TD_ARENA_LO(8) + (UINT64_C(68) << 20);
    s.arch = "amd64";
    expect_clean(HD_H17, 8, &s, NULL);
    s.arch = "s390x";
    s.big = true;
    expect_only(HD_H17, 8, &s, NULL, HD_R_ARENA_UNALIGNED);
    s.hi = TD_ARENA_LO(8) + (UINT64_C(128) << 20);
    expect_clean(HD_H17, 8, &s, NULL);
}

static void test_p5_arch_mismatch(void **state)
{
    pspec s = {0};
    (void)state;
    s.arch = "amd64";
    expect_only(HD_H17, 4, &s, NULL, HD_R_ARCH_MISMATCH);                  /* 4-byte amd64 */
    s.arch = "s390x";
    expect_only(HD_H17, 8, &s, NULL, HD_R_ARCH_MISMATCH);                  /* little-endian s390x */
    memset(&s, 0, sizeof s);
    s.code = '8';
    expect_only(HD_H14, 8, &s, NULL, HD_R_ARCH_MISMATCH);                  /* 8-byte 386 */
}

static void test_p6_arch_unknown(void **state)
{
    pspec s = {0};
    (void)state;
    s.arch = "vax";
    expect_only(HD_H17, 8, &s, NULL, HD_R_ARCH_UNKNOWN);
    s.arch = "";
    expect_only(HD_H17, 8, &s, NULL, HD_R_ARCH_UNKNOWN);
    s.arch = "sparc64";                                                     /* a libgo port, but this is gc */
    s.big = true;
    expect_only(HD_H17, 8, &s, NULL, HD_R_ARCH_UNKNOWN);
    s.arch = "loong64";                                                     /* Go 1.19+, but no build version */
    s.big = false;
    s.version = "";
    expect_only(HD_H17, 8, &s, NULL, HD_R_ARCH_UNKNOWN);
    s.arch = "amd64p32";                                                    /* gone after Go 1.14 */
    s.version = NULL;
    expect_only(HD_H17, 4, &s, NULL, HD_R_ARCH_UNKNOWN);
    memset(&s, 0, sizeof s);
    s.code = '9';                                                           /* ppc64 came with Go 1.5 */
    expect_only(HD_H14, 8, &s, NULL, HD_R_ARCH_UNKNOWN);
    s.code = 'x';
    expect_only(HD_H16, 8, &s, NULL, HD_R_ARCH_UNKNOWN);
}

static void test_p7_version_malformed(void **state)
{
    pspec s = {0};
    (void)state;
    s.version = "";
    expect_only(HD_H17, 8, &s, "1.19", HD_R_VERSION_MALFORMED);
    s.version = "release-branch.go1.20";
    expect_only(HD_H17, 8, &s, "go1.20.3", HD_R_VERSION_MALFORMED);
}

/* Dump bytes in messages are escaped: no control byte reaches a terminal. */
static void test_messages_escape_dump_bytes(void **state)
{
    pspec s = {0};
    tcheck c;
    (void)state;
    s.version = "\x1b[2J\"evil\\";
    check(&c, HD_H17, 8, &s, "1.20");
    assert_true(tcheck_only(&c, HD_R_VERSION_MALFORMED));
    assert_non_null(strstr(c.d[0].message, "\"\\x1b[2J\\x22evil\\x5c\""));
    s.version = NULL;
    s.arch = "am\x07" "d64";
    check(&c, HD_H17, 8, &s, NULL);
    assert_true(tcheck_only(&c, HD_R_ARCH_UNKNOWN));
    assert_non_null(strstr(c.d[0].message, "\"am\\x07d64\""));
}

static void test_p8_ncpu_zero(void **state)
{
    pspec s = {0};
    (void)state;
    s.ncpu_zero = true;
    expect_only(HD_H17, 8, &s, NULL, HD_R_NCPU_ZERO);
    expect_only(HD_H13, 4, &s, NULL, HD_R_NCPU_ZERO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_layouts),        cmocka_unit_test(test_valid_versions),
        cmocka_unit_test(test_valid_architectures),  cmocka_unit_test(test_valid_unaligned_arena_before_go111),
        cmocka_unit_test(test_p3_arena_inverted),    cmocka_unit_test(test_p4_arena_unaligned),
        cmocka_unit_test(test_p5_arch_mismatch),     cmocka_unit_test(test_p6_arch_unknown),
        cmocka_unit_test(test_p7_version_malformed), cmocka_unit_test(test_p8_ncpu_zero),
        cmocka_unit_test(test_messages_escape_dump_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
