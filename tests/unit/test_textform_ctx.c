/* test_textform_ctx.c — hd_text_ctx, the context hdvalidate --context prints: the records around each
 * diagnostic's record, that record marked, and for a cross-reference rule the record it refers to (or a
 * note that there is none). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hd/validate.h"
#include "ttext.h"

static const char text[] =
    "header go1.7\n"
    "set heap = 0xc000000000\n"
    "params big_endian=false ptrsize=8 arena_start=heap arena_end=heap+0x4000000 arch=\"amd64\" version=\"go1.19.8\" ncpu=2\n"
    "itab addr=0x4d0000 type=0x4a0000\n"                       /* T102: no type record */
    "g1: object addr=heap contents=zero(512) fields=[]\n"
    "goroutine addr=g1 sp=0x7000 id=1 status=4 waitreason=\"dumping heap\" m=m1\n"
    "stackframe sp=0x7008 depth=0 contents=zero(8) entry=1 pc=2 name=\"main.main\"\n"   /* G112 */
    "m1: osthread addr=g1+0x100 id=1\n"
    "osthread addr=g1+0x100 id=2\n"                               /* R101 */
    "data addr=0x500000 contents=zero(8) fields=[]\n"
    "bss addr=0x600000 contents=zero(8) fields=[]\n"
    "memstats NumGC=0\n"
    "eof\n";

typedef struct {
    hd_text_ctx *cx;
    hd_diag      d[64];
    unsigned     n;
} collected;

static void collect(void *ctx, const hd_diag *d)
{
    collected *c = ctx;
    if (c->n < 64) {
        c->d[c->n] = *d;
        assert_int_equal(hd_text_ctx_add(c->cx, c->n, d), 0);
        c->n++;
    }
}

/* The context printed under the first diagnostic of `rule`. */
static char *context_of(collected *c, hd_rule rule)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    for (unsigned i = 0; i < c->n; i++)
        if (c->d[i].rule == rule) {
            hd_text_ctx_print(c->cx, i, f, "    ");
            break;
        }
    fclose(f);
    return buf;
}

static void test_context(void **state)
{
    hd_membuf m = ttext_must_asm(text);
    hd_text_opts o;
    collected c;
    hd_diag_sink sink = {collect, &c};
    hd_result res;
    char *s;
    (void)state;

    hd_text_opts_init(&o);
    memset(&c, 0, sizeof c);
    c.cx = hd_text_ctx_new(1, &o);
    assert_non_null(c.cx);
    hd_validate_mem(m.p, m.len, NULL, &sink, &res);
    assert_int_equal(hd_text_ctx_run(c.cx, m.p, m.len), 0);

    s = context_of(&c, HD_R_OSTHREAD_DUPLICATE);     /* its record and neighbours, then the first thread */
    assert_int_equal(ttext_count(s, "    > 0x"), 1);
    assert_int_equal(ttext_count(s, "    > 0x0000028e #6 osthread addr=0xc000000100 id=2"), 1);
    assert_int_equal(ttext_count(s, "      0x"), 2);
    assert_int_equal(ttext_count(s, "    = 0x"), 1);
    assert_int_equal(ttext_count(s, "= 0x00000285 #5 osthread addr=0xc000000100 id=1 procid=0   ;; another OS thread with this address"), 1);
    free(s);

    s = context_of(&c, HD_R_FRAME_SP_NOT_G_SP);       /* a frame: its goroutine */
    assert_int_equal(ttext_count(s, "#3 goroutine addr=0xc000000000"), 2);   /* a neighbour, and = */
    assert_int_equal(ttext_count(s, ";; its goroutine"), 1);
    free(s);

    s = context_of(&c, HD_R_ITAB_TYPE_MISSING);       /* what it names is nowhere */
    assert_int_equal(ttext_count(s, "= ;; the type record with the itab's type: none (0x4a0000)"), 1);
    free(s);

    hd_text_ctx_free(c.cx);
    free(m.p);
}

/* A finding judged at the end names only an offset: its record is the one that holds it. */
static void test_offset_only(void **state)
{
    hd_membuf m = ttext_must_asm(text);
    hd_text_opts o;
    hd_text_ctx *cx;
    hd_diag d;
    char *buf = NULL;
    size_t n = 0;
    FILE *f;
    (void)state;
    hd_text_opts_init(&o);
    cx = hd_text_ctx_new(0, &o);
    memset(&d, 0, sizeof d);
    d.rule = HD_R_OSTHREAD_DUPLICATE;
    d.record = HD_NO_RECORD;
    d.offset = 0x28e + 2;                             /* inside the second osthread record */
    assert_int_equal(hd_text_ctx_add(cx, 7, &d), 0);
    d.offset = 0x5;                                   /* in the header: no record */
    assert_int_equal(hd_text_ctx_add(cx, 8, &d), 0);
    assert_int_equal(hd_text_ctx_run(cx, m.p, m.len), 0);
    f = open_memstream(&buf, &n);
    hd_text_ctx_print(cx, 7, f, "");
    hd_text_ctx_print(cx, 8, f, "");
    fclose(f);
    assert_int_equal(ttext_count(buf, "> 0x0000028e #6 osthread addr=0xc000000100 id=2"), 1);
    assert_int_equal(ttext_count(buf, "= 0x00000285 #5 osthread"), 1);
    assert_int_equal(ttext_count(buf, "0x"), 2);
    free(buf);
    hd_text_ctx_free(cx);
    free(m.p);
}

/* A diagnostic without a record gets no context; one past the limit is refused. */
static void test_limits(void **state)
{
    hd_text_opts o;
    hd_text_ctx *cx;
    hd_diag d;
    char *buf = NULL;
    size_t n = 0;
    FILE *f;
    (void)state;
    hd_text_opts_init(&o);
    cx = hd_text_ctx_new(0, &o);
    memset(&d, 0, sizeof d);
    d.record = 3;
    for (unsigned i = 0; i < HD_TEXT_CTX_MAX; i++)
        assert_int_equal(hd_text_ctx_add(cx, i, &d), 0);
    assert_int_equal(hd_text_ctx_add(cx, HD_TEXT_CTX_MAX, &d), -1);
    assert_int_equal(hd_text_ctx_run(cx, (const uint8_t *)"go1.7 heap dump\n\x00", 17), 0);
    f = open_memstream(&buf, &n);
    hd_text_ctx_print(cx, 5, f, "");                 /* record 3 does not exist: nothing */
    fclose(f);
    assert_int_equal(n, 0);
    free(buf);
    hd_text_ctx_free(cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_offset_only),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
