/* test_textform_asm.c — hdasm's side of the text form: labels and arithmetic, words in the dump's byte order,
 * the constructs that write what a correct writer never would, byte for byte, and an error with a line and
 * a column for every kind of mistake. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hd/reader.h"
#include "ttext.h"

#define PARAMS8 "params big_endian=false ptrsize=8 arena_start=heap arena_end=heap+0x4000000 arch=\"amd64\" " \
                "version=\"go1.19.8\" ncpu=2\n"

/* Decode the records of an assembled dump. */
static unsigned decode(const hd_membuf *m, hd_record *out, unsigned max)
{
    hd_reader *r = hd_reader_open_mem(m->p, m->len, NULL);
    hd_header_id h;
    unsigned n = 0;
    assert_non_null(r);
    assert_int_equal(hd_reader_header(r, &h), 0);
    while (n < max && hd_reader_next(r, &out[n]) == 1)
        n++;
    hd_reader_free(r);
    return n;
}

/* Labels name a record's key address, may be used before their line, and add and subtract. */
static void test_labels(void **state)
{
    static const char text[] =
        "header go1.7\n"
        "set heap = 0xc000000000\n"
        PARAMS8
        "obj1: object addr=heap+0x100 contents=[w(obj2) w(obj2+8)] fields=[ptr@0 ptr@8]\n"
        "obj2: object addr=obj1+0x10 contents=zero(16) fields=[]\n"
        "g1: goroutine addr=obj2 sp=0x7000 id=-1+2 status=4 waitreason=\"dumping heap\" defer=d1\n"
        "d1: defer addr=(obj1 + 8) - 0 g=g1\n"
        "eof\n";
    hd_membuf m = ttext_must_asm(text);
    hd_record r[8];
    uint64_t w;
    (void)state;
    assert_int_equal(decode(&m, r, 8), 6);
    assert_int_equal(r[1].u.object.addr, UINT64_C(0xc000000100));
    assert_int_equal(r[2].u.object.addr, UINT64_C(0xc000000110));
    assert_true(hd_bytes_word(&r[1].u.object.contents, 8, 8, false, &w));
    assert_int_equal(w, UINT64_C(0xc000000118));
    assert_int_equal(r[2].u.object.contents.len, 16);
    assert_int_equal(r[3].u.goroutine.addr, UINT64_C(0xc000000110));
    assert_int_equal(r[3].u.goroutine.id, 1);
    assert_int_equal(r[3].u.goroutine.defer, UINT64_C(0xc000000108));
    assert_int_equal(r[4].u.defer.g, UINT64_C(0xc000000110));
    free(m.p);
}

/* w() writes pointer-sized words in the byte order of the last params record. */
static void test_words(void **state)
{
    static const char text[] =
        "header go1.7\n"
        "params big_endian=true ptrsize=4 arch=\"mips\"\n"
        "raw [w(0x11223344) w(-1)]\n"
        "params big_endian=false ptrsize=8 arch=\"amd64\"\n"
        "raw [w(0x11223344) \"A\" zero(2) x\"ff\"]\n";
    static const uint8_t want[] = {0x11, 0x22, 0x33, 0x44, 0xff, 0xff, 0xff, 0xff,
                                   0x44, 0x33, 0x22, 0x11, 0, 0, 0, 0, 'A', 0, 0, 0xff};
    hd_membuf m = ttext_must_asm(text);
    size_t p1 = 16 + 1 + 1 + 1 + 1 + 1 + 5 + 1 + 1;   /* header, params: tag, bool, ptrsize, 0, 0, "mips", "", 0 */
    (void)state;
    assert_true(m.len > p1);
    assert_memory_equal(m.p + p1, want, 8);
    assert_memory_equal(m.p + m.len - 12, want + 8, 12);
    free(m.p);
}

/* Byte for byte: the constructs a correct writer never produces. */
static void test_overrides(void **state)
{
    static const struct { const char *line; uint8_t bytes[16]; size_t n; } cases[] = {
        {"osthread addr=0x1000 id=2 procid=3", {9, 0x80, 0x20, 2, 3}, 5},
        {"osthread id=2", {9, 0, 2, 0}, 4},                                      /* fields not given: 0 */
        {"osthread addr=0x1000 cut", {9, 0x80, 0x20}, 3},                        /* cut after the last given */
        {"osthread cut", {9}, 1},
        {"osthread procid=7 addr=1", {9, 1, 0, 7}, 4},                           /* any order */
        {"osthread addr=raw(x\"8100\") id=raw(\"\")", {9, 0x81, 0, 0}, 4},      /* exact bytes, none at all */
        {"type addr=1 size=2 name=(100)\"abc\" cut", {3, 1, 2, 100, 'a', 'b', 'c'}, 7},   /* a lying length */
        {"type name=\"\" indirect=2", {3, 0, 0, 0, 2}, 5},                       /* a bool of 2 */
        {"data addr=0x10 contents=\"\" fields=[ptr@0 ptr@8 cut]", {12, 0x10, 0, 1, 0, 1, 8}, 7},
        {"data addr=0x10 fields=[9@0 0@1]", {12, 0x10, 0, 9, 0, 0, 1, 0}, 8},   /* kinds by number */
        {"memprof addr=1 size=2 frames=(5)[\"f\" \"g\":3] allocs=4", {16, 1, 2, 5, 1, 'f', 1, 'g', 3, 4, 0}, 11},
        {"memprof frames=[[\"a\" x\"62\"] \"\":0]", {16, 0, 0, 1, 2, 'a', 'b', 0, 0, 0, 0}, 11},
        {"allocsample addr=18446744073709551615 bucket='\\x7f'",
         {17, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x7f}, 12},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        hd_membuf m;
        snprintf(text, sizeof text, "layout go1.7\n%s\n", cases[i].line);
        m = ttext_must_asm(text);
        if (m.len != cases[i].n || memcmp(m.p, cases[i].bytes, m.len) != 0) {
            fprintf(stderr, "%s: %zu bytes:", cases[i].line, m.len);
            for (size_t k = 0; k < m.len; k++)
                fprintf(stderr, " %02x", m.p[k]);
            fputc('\n', stderr);
        }
        assert_int_equal(m.len, cases[i].n);
        assert_memory_equal(m.p, cases[i].bytes, m.len);
        free(m.p);
    }
}

/* Every mistake stops the assembler at its line and column with a reason. */
static void test_errors(void **state)
{
    static const struct { const char *text; unsigned line, col; const char *msg; } cases[] = {
        {"object addr=1\n", 1, 1, "header"},
        {"header go1.9\n", 1, 8, "go1.3"},
        {"header go1.7\nobject adr=1\n", 2, 8, "no such field"},
        {"header go1.7\nobject addr=1 addr=2\n", 2, 15, "twice"},
        {"header go1.7\nobject addr=nolabel\n", 2, 13, "unknown label"},
        {"header go1.7\nset a = b\nset b = a\nobject addr=a\n", 2, 9, "itself"},
        {"header go1.7\na: object addr=1\na: object addr=2\n", 3, 1, "defined twice"},
        {"header go1.7\nobject contents=x\"0\"\n", 2, 17, "odd number"},
        {"header go1.7\nobject contents=x\"00\"...(16)\n", 2, 22, "abbreviated"},
        {"header go1.7\nobject fields=[ptr@0 ...(9)]\n", 2, 22, "abbreviated"},
        {"header go1.7\nobject contents=[w(1)]\n", 2, 18, "params"},
        {"header go1.7\nobject fields=[eface@0]\n", 2, 16, "field kind"},
        {"header go1.7\nobject addr=1 cut fields=[]\n", 2, 19, "cut ends"},
        {"header go1.7\nobject addr=0x1ffffffffffffffff\n", 2, 13, "64 bits"},
        {"header go1.7\nbogus\n", 2, 1, "unknown record tag"},
        {"header go1.7\nobject addr=\"s\"\n", 2, 13, "a number or a label"},
        {"raw \"unterminated\n", 1, 5, "unterminated"},
        {"header go1.7\nmemstats Alloc=1 Bogus=2\n", 2, 18, "no such field"},
        {"header go1.7\nmemstats memstats=1\n", 2, 19, "by name"},
        {"header go1.7\nobject name=\"x\"\n", 2, 8, "no such field"},
        {"header go1.7\nosthread addr 1\n", 2, 15, "'=' expected"},
        {"layout go1.7\nobject contents=\"\\q\"\n", 2, 17, "bad escape"},
        {"layout go1.7\nobject fields=[ptr@0\n", 2, 21, "']'"},
        {"layout go1.7\nobject addr=((((1\n", 2, 18, "')'"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hd_membuf m;
        hd_asm_result res;
        int rc = ttext_asm(cases[i].text, strlen(cases[i].text), &m, &res);
        if (rc != -1 || res.line != cases[i].line || res.col != cases[i].col || strstr(res.msg, cases[i].msg) == NULL)
            fprintf(stderr, "case %zu (%s): rc %d, %u:%u: %s\n", i, cases[i].text, rc, res.line, res.col, res.msg);
        assert_int_equal(rc, -1);
        assert_int_equal(res.line, cases[i].line);
        assert_int_equal(res.col, cases[i].col);
        assert_non_null(strstr(res.msg, cases[i].msg));
        free(m.p);
    }
}

/* The limit bounds what a short text can make the assembler write or hold. */
static void test_limit(void **state)
{
    static const char text[] = "raw zero(1000000000000)\n";
    hd_membuf m = {NULL, 0, 0};
    hd_out o;
    hd_asm_result res;
    (void)state;
    hd_out_init_mem(&o, &m);
    assert_int_equal(hd_asm_mem(text, strlen(text), &o, 4096, &res), -1);
    assert_non_null(strstr(res.msg, "limit"));
    assert_int_equal(m.len, 0);
    free(m.p);
}

/* hd_asm_file reads the text twice: a label may be used before its line. */
static void test_file(void **state)
{
    static const char text[] = "layout go1.7\nosthread addr=m1 id=1\nm1: osthread addr=0x4000 id=2\n";
    static const uint8_t want[] = {9, 0x80, 0x80, 1, 1, 0, 9, 0x80, 0x80, 1, 2, 0};
    FILE *f = tmpfile();
    hd_membuf m = {NULL, 0, 0};
    hd_out o;
    hd_asm_result res;
    (void)state;
    assert_non_null(f);
    fputs(text, f);
    rewind(f);
    hd_out_init_mem(&o, &m);
    assert_int_equal(hd_asm_file(f, &o, 0, &res), 0);
    assert_int_equal(res.records, 2);
    assert_int_equal(m.len, sizeof want);
    assert_memory_equal(m.p, want, sizeof want);
    fclose(f);
    free(m.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
