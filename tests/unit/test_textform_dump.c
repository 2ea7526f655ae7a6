/* test_textform_dump.c — hddump's side of the text form: every part of every layout has a name; the text of
 * any dump, valid, cut anywhere or written with non-canonical bytes, assembles back to the same bytes; the
 * abbreviated text refuses to; JSON lines are JSON; filters and statistics show what they promise. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"
#include "names.h"
#include "tdump.h"
#include "ttext.h"

/* ---- building dumps --------------------------------------------------------------------------------- */

static uint8_t bytes_a[64] = "\x00\x01\x02\x03 contents with \"quotes\", a \\ and \n a newline \xff";

static hd_record simple(hd_tag tag) { return hd_record_of(tag); }

static hd_record object(const tdump *t, uint64_t addr, const hd_field *f, uint32_t nf)
{
    hd_record r = simple(HD_TAG_OBJECT);
    r.u.object.addr = addr;
    r.u.object.type = t->layout == HD_V13 ? 0x401000 : 0;
    r.u.object.kind = t->layout == HD_V13 ? 1 : 0;
    r.u.object.contents = hd_bytes_of(bytes_a, 8u * t->ptrsize);
    r.u.object.fields = t->layout == HD_V13 ? hd_fields_of(NULL, 0) : hd_fields_of(f, nf);
    return r;
}

/* One record of every tag the layout writes, with distinct values, in the writer's order. */
static void zoo(tdump *t, hd_header_id h, unsigned ps, bool be)
{
    static const hd_field f[] = {{0, HD_FK_PTR}, {8, HD_FK_PTR}};
    hd_mpframe fr[2] = {{hd_bytes_str("main.f"), hd_bytes_str("/src/main.go"), 42},
                        {hd_bytes_str("runtime.main"), hd_bytes_str("proc.go"), 250}};
    hd_record p, r;
    uint64_t heap = TD_ARENA_LO(ps);

    tdump_init(t, h, ps);
    p = tdump_params(t);
    p.u.params.big_endian = be;
    tdump_rec(t, &p);
    r = simple(HD_TAG_TYPE);
    r.u.type.addr = 0x401000;
    r.u.type.size = 16;
    r.u.type.name = hd_bytes_str("main.T");
    r.u.type.indirect = true;
    r.u.type.fields = hd_fields_of(t->layout == HD_V13 ? f : NULL, t->layout == HD_V13 ? 2 : 0);
    tdump_rec(t, &r);
    r = simple(HD_TAG_ITAB);
    r.u.itab.addr = 0x402000;
    r.u.itab.type = t->layout == HD_V13 ? 0 : 0x401000;
    r.u.itab.ptrdata = t->layout == HD_V13;
    tdump_rec(t, &r);
    r = object(t, heap, f, 2);
    tdump_rec(t, &r);
    r = simple(HD_TAG_GOROUTINE);
    r.u.goroutine.addr = heap;
    r.u.goroutine.sp = 0x7000;
    r.u.goroutine.id = 1;
    r.u.goroutine.gopc = 0x401234;
    r.u.goroutine.status = 4;
    r.u.goroutine.system = true;
    r.u.goroutine.waitsince = 12345;
    r.u.goroutine.waitreason = hd_bytes_str("dumping heap");
    r.u.goroutine.m = 0x500000;
    r.u.goroutine.defer = heap + 8;
    r.u.goroutine.panic = 0x7008;
    tdump_rec(t, &r);
    r = simple(HD_TAG_FRAME);
    r.u.frame.sp = 0x7000;
    r.u.frame.contents = hd_bytes_of(bytes_a, 16);
    r.u.frame.entry = 0x401000;
    r.u.frame.pc = 0x401010;
    r.u.frame.contpc = 0x401010;
    r.u.frame.name = hd_bytes_str("main.main");
    r.u.frame.fields = hd_fields_of(f, 2);
    tdump_rec(t, &r);
    r = simple(HD_TAG_DEFER);
    r.u.defer.addr = heap + 8;
    r.u.defer.g = heap;
    r.u.defer.argp = 0x7000;
    r.u.defer.pc = 0x401010;
    r.u.defer.fn = 0x403000;
    r.u.defer.code = 0x401500;
    tdump_rec(t, &r);
    r = simple(HD_TAG_PANIC);
    r.u.panic.addr = 0x7008;
    r.u.panic.g = heap;
    r.u.panic.type = 0x401000;
    r.u.panic.data = heap + 16;
    tdump_rec(t, &r);
    r = simple(HD_TAG_OSTHREAD);
    r.u.osthread.addr = 0x500000;
    r.u.osthread.id = 3;
    r.u.osthread.procid = 999;
    tdump_rec(t, &r);
    r = simple(HD_TAG_DATA);
    r.u.segment.addr = 0x500000;
    r.u.segment.contents = hd_bytes_of(bytes_a, 16);
    r.u.segment.fields = hd_fields_of(f, 1);
    tdump_rec(t, &r);
    r.tag = HD_TAG_BSS;
    r.u.segment.addr = 0x600000;
    tdump_rec(t, &r);
    if (t->layout == HD_V13) {
        r = simple(HD_TAG_OTHERROOT);
        r.u.otherroot.desc = hd_bytes_str("runtime type info");
        r.u.otherroot.ptr = heap;
        tdump_rec(t, &r);
    }
    r = simple(HD_TAG_FINALIZER);
    r.u.finalizer.obj = heap;
    r.u.finalizer.fn = 0x403000;
    r.u.finalizer.code = 0x401500;
    r.u.finalizer.fint = 0x401000;
    r.u.finalizer.ot = 0x401000;
    tdump_rec(t, &r);
    r.tag = HD_TAG_QFINAL;
    tdump_rec(t, &r);
    r = simple(HD_TAG_MEMSTATS);
    for (unsigned i = 0; i < HD_MEMSTATS_NVALUES; i++)
        r.u.memstats.v[i] = i % 7 == 0 ? 0 : (uint64_t)i * 1000;
    tdump_rec(t, &r);
    r = simple(HD_TAG_MEMPROF);
    r.u.memprof.addr = 0x900000;
    r.u.memprof.size = 16;
    r.u.memprof.nframes = r.u.memprof.nkept = 2;
    r.u.memprof.frames = fr;
    r.u.memprof.allocs = 5;
    r.u.memprof.frees = 1;
    tdump_rec(t, &r);
    r = simple(HD_TAG_ALLOCSAMPLE);
    r.u.sample.addr = heap;
    r.u.sample.bucket = 0x900000;
    tdump_rec(t, &r);
    tdump_eof(t);
}

/* ---- tests ------------------------------------------------------------------------------------------ */

/* Every step of every layout has a name, unique in its record, that finds the step again. */
static void test_names_complete(void **state)
{
    (void)state;
    for (int l = 0; l < HD_LAYOUT_COUNT; l++) {
        for (unsigned tag = 0; tag < HD_TAG_COUNT; tag++) {
            const layout_step *st = tf_steps((hd_layout)l, tag);
            assert_non_null(st);
            for (int i = 0; st[i].op != ST_END; i++) {
                const char *name = tf_step_name((hd_layout)l, tag, &st[i]);
                if (name == NULL)
                    fprintf(stderr, "%s %s step %d has no name\n", hd_layout_name((hd_layout)l), hd_tag_name(tag), i);
                assert_non_null(name);
                assert_int_equal(tf_step_index((hd_layout)l, tag, name, strlen(name)), i);
            }
            assert_true(tf_nsteps(st) <= 16);
        }
    }
}

/* The zoo of every layout, pointer size and byte order, and every prefix of it, round-trips. */
static void test_zoo_roundtrip_every_cut(void **state)
{
    (void)state;
    for (int h = 0; h < HD_HEADER_COUNT; h++) {
        for (unsigned ps = 4; ps <= 8; ps += 4) {
            for (int be = 0; be <= 1; be++) {
                tdump t;
                zoo(&t, (hd_header_id)h, ps, be);
                assert_true(ttext_roundtrip(t.m.p, t.m.len));
                for (size_t cut = 0; cut < t.m.len; cut += (h == HD_H17 && ps == 8 && !be) ? 1 : 7)
                    assert_true(ttext_roundtrip(t.m.p, cut));
                tdump_free(&t);
            }
        }
    }
}

/* Parts longer than the reader keeps (HD_KEEP_*) print whole from the input. */
static void test_long_parts_roundtrip(void **state)
{
    enum { NF = HD_KEEP_FIELDS + 1000, NM = HD_KEEP_MPFRAMES + 10 };
    size_t big = (size_t)NF * 8 + 8;
    uint8_t *blob = malloc(big), *name = malloc(HD_KEEP_STRING + 100);
    hd_field *f = malloc(NF * sizeof *f);
    hd_mpframe *fr = malloc(NM * sizeof *fr);
    hd_record r;
    tdump t;
    (void)state;
    assert_non_null(blob);
    assert_non_null(name);
    assert_non_null(f);
    assert_non_null(fr);
    for (size_t i = 0; i < big; i++)
        blob[i] = (uint8_t)(i * 7 / 3);
    memset(name, 'n', HD_KEEP_STRING + 100);
    for (uint32_t i = 0; i < NF; i++)
        f[i] = (hd_field){(uint64_t)i * 8, HD_FK_PTR};
    for (uint32_t i = 0; i < NM; i++)
        fr[i] = (hd_mpframe){hd_bytes_of(name, i == NM - 1 ? HD_KEEP_STRING + 100 : i), hd_bytes_str("f.go"), i};
    tdump_begin(&t, HD_H17, 8);
    r = hd_record_of(HD_TAG_OBJECT);
    r.u.object.addr = TD_ARENA_LO(8);
    r.u.object.contents = hd_bytes_of(blob, big);
    r.u.object.fields = hd_fields_of(f, NF);
    tdump_rec(&t, &r);
    r = hd_record_of(HD_TAG_MEMPROF);
    r.u.memprof.nframes = r.u.memprof.nkept = NM;
    r.u.memprof.frames = fr;
    r.u.memprof.allocs = 7;
    tdump_rec(&t, &r);
    tdump_finish(&t);
    assert_true(ttext_roundtrip(t.m.p, t.m.len));
    tdump_free(&t);
    free(blob);
    free(name);
    free(f);
    free(fr);
}

/* Bytes that are not the canonical encoding of their values — a bool of 2, non-minimal uvarints in a
 * scalar, in a length prefix, in a field list, in the tag — print so that they assemble back. */
static void test_noncanonical_roundtrip(void **state)
{
    static const char text[] =
        "header go1.4\n"
        "params big_endian=2 ptrsize=8 arena_start=0xc000000000 arena_end=0xc004000000 arch='6' ncpu=raw(x\"8200\")\n"
        "raw [x\"03\" x\"8020\" x\"9000\" x\"8100\" \"T\" x\"01\"]   ; a type: its name's length is 1 in two bytes\n"
        "osthread addr=raw(x\"9000\") id=raw(x\"808000\") procid=3\n"
        "raw [x\"8100\" x\"8001\" x\"08\" zero(8) x\"0100 00\"]   ; an object with a non-minimal tag\n"
        "raw [x\"0c\" x\"10\" x\"00\" x\"8100 08 00\"]   ; data: a non-minimal kind in its field list\n"
        "bss addr=0x600000 contents=\"\" fields=[]\n"
        "memstats NumGC=1\n"
        "eof\n";
    hd_membuf m = ttext_must_asm(text);
    int rc;
    hd_dump_opts o;
    char *t;
    (void)state;
    assert_true(ttext_roundtrip(m.p, m.len));
    hd_dump_opts_init(&o);
    o.text.contents = true;
    t = ttext_dump(m.p, m.len, &o, &rc);
    assert_int_equal(rc, 1);                                      /* structural diagnostics */
    assert_int_equal(ttext_count(t, "big_endian=2 "), 1);         /* a bool's number */
    assert_int_equal(ttext_count(t, "ncpu=raw(x\"8200\")"), 1);   /* a scalar's exact bytes */
    assert_int_equal(ttext_count(t, "id=raw(x\"808000\")"), 1);
    assert_int_equal(ttext_count(t, "error[S104]"), 7);
    assert_int_equal(ttext_count(t, " raw "), 3);                 /* the type, the object, the data record */
    free(t);
    free(m.p);
}

/* Without --contents long ranges and lists are abbreviated, and the assembler refuses them. */
static void test_abbreviated_refused(void **state)
{
    tdump t;
    hd_membuf m;
    hd_asm_result res;
    int rc;
    char *text;
    (void)state;
    zoo(&t, HD_H17, 8, false);
    text = ttext_dump(t.m.p, t.m.len, NULL, &rc);
    assert_int_equal(rc, 0);
    assert_true(ttext_count(text, "...(64)") > 0);
    assert_int_equal(ttext_asm(text, strlen(text), &m, &res), -1);
    assert_non_null(strstr(res.msg, "abbreviated"));
    free(m.p);
    free(text);
    tdump_free(&t);
}

/* --json: every line is one JSON value, one per record (and the header), with the text's field names. */
static void test_json_lines(void **state)
{
    (void)state;
    for (int h = 0; h < HD_HEADER_COUNT; h++) {
        hd_dump_opts o;
        tdump t;
        int rc;
        char *text, *line;
        unsigned n = 0;
        hd_dump_opts_init(&o);
        o.text.json = true;
        zoo(&t, (hd_header_id)h, 8, false);
        text = ttext_dump(t.m.p, t.m.len - 1, &o, &rc);      /* without EOF: a stop line too */
        for (line = text; *line != 0; n++) {
            char *nl = strchr(line, '\n');
            assert_non_null(nl);
            if (!json_check_line(line, (size_t)(nl - line)))
                fprintf(stderr, "not JSON: %.*s\n", (int)(nl - line), line);
            assert_true(json_check_line(line, (size_t)(nl - line)));
            line = nl + 1;
        }
        assert_true(ttext_count(text, "\"tag\":\"goroutine\",\"addr\":\"0x") == 1);
        assert_true(ttext_count(text, "\"waitreason\":\"dumping heap\"") == 1);
        assert_true(ttext_count(text, "\"rule\":\"S112\"") == 1);
        assert_int_equal(n, ttext_count(text, "{\"offset\":"));
        free(text);
        tdump_free(&t);
    }
}

static char *dump_with(const tdump *t, void (*set)(hd_dump_opts *))
{
    hd_dump_opts o;
    int rc;
    hd_dump_opts_init(&o);
    set(&o);
    return ttext_dump(t->m.p, t->m.len, &o, &rc);
}

static void sel_goroutine(hd_dump_opts *o) { o->has_goroutine = true, o->goroutine = 1; }
static void sel_record(hd_dump_opts *o) { o->has_record = true, o->record = 5, o->context = 1; }
static void sel_at(hd_dump_opts *o) { o->has_at = true, o->at = 0x30, o->context = 0; }
static void sel_tag(hd_dump_opts *o) { o->tags = HD_TAGMASK(HD_TAG_FINALIZER) | HD_TAGMASK(HD_TAG_QFINAL); }
static void sel_object(hd_dump_opts *o) { o->has_object = true, o->object = TD_ARENA_LO(8) + 4; }

/* Each selection shows its records, after the header and params. */
static void test_filters(void **state)
{
    tdump t;
    char *s;
    (void)state;
    zoo(&t, HD_H17, 8, false);
    s = dump_with(&t, sel_goroutine);        /* the goroutine, its frame, defer and panic */
    assert_int_equal(ttext_count(s, " #"), 5);
    assert_int_equal(ttext_count(s, "header go1.7"), 1);
    assert_int_equal(ttext_count(s, " defer addr="), 1);
    free(s);
    s = dump_with(&t, sel_record);           /* #4, #5, #6 and params */
    assert_int_equal(ttext_count(s, " #"), 4);
    assert_int_equal(ttext_count(s, " #5 "), 1);
    free(s);
    s = dump_with(&t, sel_at);               /* the record holding 0x30 (the type) and params */
    assert_int_equal(ttext_count(s, " #"), 2);
    assert_int_equal(ttext_count(s, " type addr=0x401000"), 1);
    free(s);
    s = dump_with(&t, sel_tag);
    assert_int_equal(ttext_count(s, "finalizer obj="), 2);
    assert_int_equal(ttext_count(s, " #"), 3);
    free(s);
    /* the object, the goroutine whose G it is, the defer inside it, and what points into it */
    s = dump_with(&t, sel_object);
    assert_int_equal(ttext_count(s, ";; the object holding"), 1);
    assert_int_equal(ttext_count(s, ";; addr 0xc000000000 is inside the object"), 2);   /* goroutine, sample */
    assert_int_equal(ttext_count(s, ";; obj 0xc000000000 is inside the object"), 2);    /* both finalizers */
    assert_int_equal(ttext_count(s, ";; g 0xc000000000 points into the object"), 2);    /* defer, panic */
    assert_int_equal(ttext_count(s, "defer addr=0xc000000008"), 1);
    free(s);
    tdump_free(&t);
}

static void set_stats(hd_dump_opts *o) { o->stats = true; }

static void test_stats(void **state)
{
    tdump t;
    char *s;
    (void)state;
    zoo(&t, HD_H13, 8, false);
    s = dump_with(&t, set_stats);
    assert_int_equal(ttext_count(s, "go1.3 heap dump, "), 1);
    assert_int_equal(ttext_count(s, "  object                          1             "), 1);
    assert_int_equal(ttext_count(s, "  64                              1             64"), 1);   /* size class */
    assert_int_equal(ttext_count(s, "0x401000           \"main.T\""), 1);                       /* go1.3 type */
    assert_int_equal(ttext_count(s, "4 waiting   \"dumping heap\""), 1);
    free(s);
    tdump_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_complete),
        cmocka_unit_test(test_zoo_roundtrip_every_cut),
        cmocka_unit_test(test_long_parts_roundtrip),
        cmocka_unit_test(test_noncanonical_roundtrip),
        cmocka_unit_test(test_abbreviated_refused),
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
