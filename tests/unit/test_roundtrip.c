/* test_roundtrip.c — the encoder and the decoder agree, both ways:
 *   bytes:  for every valid dump (corpus/real and generated ones), decode + re-encode gives the same bytes;
 *   values: for every record the generator encodes, the decoder returns the same values.
 * HD_GEN_LONG=1 runs many more seeds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hd/gen.h"
#include "hd/layouts.h"
#include "hd/reader.h"
#include "hd/roundtrip.h"

#ifndef HD_CORPUS_DIR
#define HD_CORPUS_DIR "corpus"
#endif

static unsigned scale(void)
{
    const char *s = getenv("HD_GEN_LONG");
    return s != NULL && *s && strcmp(s, "0") != 0 ? 20 : 1;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *p;
    long n;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)n + 1);
    if (p != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* decode + re-encode; the output must be the input, byte for byte */
static hd_reencode_stats reencode_same(const uint8_t *p, size_t len, const char *what)
{
    hd_membuf m = {0};
    hd_out *o = malloc(sizeof *o);
    hd_reencode_stats st;
    assert_non_null(o);
    hd_out_init_mem(o, &m);
    if (hd_reencode_mem(p, len, o, &st) != 0)
        fail_msg("%s: %s", what, st.error);
    if (m.len != len || memcmp(m.p, p, len) != 0) {
        size_t i = 0;
        while (i < len && i < m.len && m.p[i] == p[i])
            i++;
        fail_msg("%s: re-encoded %zu bytes differ from the %zu input bytes at offset %zu", what, m.len, len, i);
    }
    assert_int_equal(st.diagnostics, 0);
    free(m.p);
    free(o);
    return st;
}

/* Every file of dir whose name starts with `prefix` and ends with `suffix`; returns how many. */
static unsigned reencode_dir(const char *sub, const char *prefix, const char *suffix)
{
    char dir[512], path[1024];
    DIR *d;
    struct dirent *de;
    unsigned n = 0;
    snprintf(dir, sizeof dir, "%s/%s", HD_CORPUS_DIR, sub);
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        size_t len = 0, nl = strlen(de->d_name), np = strlen(prefix), ns = strlen(suffix);
        uint8_t *p;
        if (nl < np + ns || strncmp(de->d_name, prefix, np) != 0 || strcmp(de->d_name + nl - ns, suffix) != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        p = slurp(path, &len);
        assert_non_null(p);
        hd_reencode_stats st = reencode_same(p, len, de->d_name);
        assert_true(st.records > 8);
        free(p);
        n++;
    }
    closedir(d);
    return n;
}

static void test_real_dumps(void **state)
{
    (void)state;
    assert_true(reencode_dir("real", "", ".heapdump") >= 7);
}

static void test_corpus_generated(void **state)
{
    (void)state;
    assert_true(reencode_dir("generated", "y_", ".hd") >= 10);
}

/* ---- generated dumps ---- */

typedef struct {
    hd_layout layout;
    uint64_t  records;
    hd_membuf one;          /* header + the record alone */
} tap_state;

/* Compare the decoded record with the original, step by step (within what the reader keeps). */
static void same_values(hd_layout layout, const hd_record *a, const hd_record *b)
{
    const layout_step *st = hd_enc_steps(layout, a->tag);
    assert_int_equal(a->tag, b->tag);
    for (; st->op != ST_END; st++) {
        const void *x = (const char *)a + st->at, *y = (const char *)b + st->at;
        switch (st->op) {
        case ST_UINT: case ST_PTR: case ST_EXTENT: case ST_PTRSIZE:
            assert_int_equal(*(const uint64_t *)x, *(const uint64_t *)y);
            break;
        case ST_BOOL:
            assert_int_equal(*(const bool *)x, *(const bool *)y);
            break;
        case ST_STRING: case ST_CONTENTS: case ST_ARCH_STRING: {
            const hd_bytes *p = x, *q = y;
            assert_int_equal(p->len, q->len);
            assert_true(q->kept <= q->len);
            assert_true(q->kept == q->len || q->kept == (st->op == ST_CONTENTS ? HD_KEEP_CONTENTS : HD_KEEP_STRING));
            assert_true(q->kept == 0 || memcmp(p->p, q->p, (size_t)q->kept) == 0);
            break;
        }
        case ST_FIELDS: {
            const hd_fields *p = x, *q = y;
            assert_int_equal(p->count, q->count);
            assert_int_equal(q->nkept, q->count < HD_KEEP_FIELDS ? q->count : HD_KEEP_FIELDS);
            for (uint32_t i = 0; i < q->nkept; i++) {
                assert_int_equal(p->v[i].kind, q->v[i].kind);
                assert_int_equal(p->v[i].offset, q->v[i].offset);
            }
            break;
        }
        case ST_MEMSTATS:
            assert_memory_equal(x, y, HD_MEMSTATS_NVALUES * sizeof(uint64_t));
            break;
        case ST_MPFRAMES:
            assert_int_equal(a->u.memprof.nframes, b->u.memprof.nframes);
            for (uint32_t i = 0; i < b->u.memprof.nkept; i++) {
                const hd_mpframe *p = &a->u.memprof.frames[i], *q = &b->u.memprof.frames[i];
                assert_int_equal(p->name.len, q->name.len);
                assert_int_equal(p->file.len, q->file.len);
                assert_int_equal(p->line, q->line);
                assert_memory_equal(p->name.p, q->name.p, (size_t)q->name.kept);
                assert_memory_equal(p->file.p, q->file.p, (size_t)q->file.kept);
            }
            break;
        case ST_END:
            break;
        }
    }
}

/* Every generated record: encode it alone after a header, decode it, compare values. */
static void tap(void *ctx, hd_layout layout, const hd_record *rec)
{
    static const hd_header_id header_of[HD_LAYOUT_COUNT] = {HD_H13, HD_H14, HD_H15, HD_H17};
    tap_state *t = ctx;
    hd_out *o = malloc(sizeof *o);
    hd_reader *r;
    hd_header_id h;
    hd_record back;
    assert_non_null(o);
    t->one.len = 0;
    hd_out_init_mem(o, &t->one);
    hd_enc_header(o, header_of[layout]);
    assert_int_equal(hd_enc_record(o, layout, rec), 0);
    assert_int_equal(hd_out_flush(o), 0);
    r = hd_reader_open_mem(t->one.p, t->one.len, NULL);
    assert_int_equal(hd_reader_header(r, &h), 0);
    assert_int_equal(hd_reader_next(r, &back), 1);
    assert_int_equal(back.end, t->one.len);
    same_values(layout, rec, &back);
    hd_reader_free(r);
    free(o);
    t->records++;
}

static hd_membuf generate(const hd_gen_request *q, uint64_t seed, tap_state *t)
{
    hd_membuf m = {0};
    hd_out *o = malloc(sizeof *o);
    hd_gen_request r = *q;
    hd_gen_stats st;
    hd_entropy e;
    assert_non_null(o);
    hd_out_init_mem(o, &m);
    hd_entropy_seed(&e, seed);
    if (t != NULL) {
        r.tap = tap;
        r.tap_ctx = t;
    }
    if (hd_gen(&r, &e, o, &st) != 0)
        fail_msg("seed %llu: %s", (unsigned long long)seed, st.error);
    if (t != NULL)
        assert_int_equal(t->records, st.records);
    free(o);
    return m;
}

static void test_generated_bytes(void **state)
{
    unsigned n = 0;
    (void)state;
    for (int h = 0; h < HD_HEADER_COUNT; h++)
        for (unsigned ps = 4; ps <= 8; ps += 4)
            for (int be = 0; be < 2; be++)
                for (uint64_t seed = 1; seed <= 4 * scale(); seed++) {
                    hd_gen_request q;
                    char what[64];
                    hd_gen_request_init(&q);
                    q.header = h;
                    q.ptrsize = ps;
                    q.big_endian = be;
                    q.max_size = 96 * 1024;
                    hd_membuf m = generate(&q, seed * 1000 + (uint64_t)h, NULL);
                    snprintf(what, sizeof what, "%s %u%s seed %llu", hd_header_name((hd_header_id)h), ps,
                             be ? "be" : "le", (unsigned long long)seed);
                    reencode_same(m.p, m.len, what);
                    free(m.p);
                    n++;
                }
    assert_true(n >= 80);
}

static void test_generated_values(void **state)
{
    (void)state;
    for (int h = 0; h < HD_HEADER_COUNT; h++)
        for (uint64_t seed = 1; seed <= 3 * scale(); seed++) {
            hd_gen_request q;
            tap_state t = {0};
            hd_gen_request_init(&q);
            q.header = h;
            q.max_size = 64 * 1024;
            hd_membuf m = generate(&q, seed * 77 + (uint64_t)h, &t);
            assert_true(t.records > 5);
            free(m.p);
            free(t.one.p);
        }
}

/* Random values in every field of every record of every layout, extremes included (64-bit values, strings
 * and contents past the kept prefixes, field lists past HD_KEEP_FIELDS, memprof stacks past 64 frames):
 * encode, decode, compare. */
static uint64_t rnd_value(hd_rng *r)
{
    switch (hd_rng_next(r) % 6) {
    case 0: return 0;
    case 1: return UINT64_MAX;
    case 2: return hd_rng_next(r) % 128;
    case 3: return UINT64_C(1) << (hd_rng_next(r) % 64);
    default: return hd_rng_next(r) >> (hd_rng_next(r) % 64);
    }
}

static uint64_t rnd_len(hd_rng *r, uint64_t big)
{
    uint64_t k = hd_rng_next(r) % 16;
    return k == 0 ? big + hd_rng_next(r) % 4096 : k < 4 ? 0 : hd_rng_next(r) % 300;
}

static void test_random_records(void **state)
{
    static uint8_t bytes[HD_KEEP_CONTENTS + 8192];
    static hd_field fl[HD_KEEP_FIELDS + 600];
    static hd_mpframe mf[100];
    static const hd_header_id header_of[HD_LAYOUT_COUNT] = {HD_H13, HD_H14, HD_H15, HD_H17};
    hd_rng r;
    hd_membuf m = {0};
    hd_out *o = malloc(sizeof *o);
    unsigned n = 0;
    (void)state;
    assert_non_null(o);
    hd_rng_seed(&r, 2024);
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)hd_rng_next(&r);
    for (unsigned round = 0; round < 40 * scale(); round++)
        for (unsigned l = 0; l < HD_LAYOUT_COUNT; l++)
            for (unsigned tag = 0; tag < HD_TAG_COUNT; tag++) {
                const layout_step *st = hd_enc_steps((hd_layout)l, tag);
                hd_record a, b;
                hd_reader *rd;
                hd_header_id h;
                memset(&a, 0, sizeof a);
                a.tag = (hd_tag)tag;
                for (; st->op != ST_END; st++) {
                    void *at = (char *)&a + st->at;
                    switch (st->op) {
                    case ST_UINT: case ST_PTR: case ST_EXTENT: case ST_PTRSIZE:
                        *(uint64_t *)at = rnd_value(&r);
                        break;
                    case ST_BOOL:
                        *(bool *)at = hd_rng_next(&r) & 1;
                        break;
                    case ST_STRING: case ST_ARCH_STRING: case ST_CONTENTS: {
                        hd_bytes *bb = at;
                        bb->len = bb->kept = rnd_len(&r, st->op == ST_CONTENTS ? HD_KEEP_CONTENTS : HD_KEEP_STRING);
                        bb->p = bytes + hd_rng_next(&r) % 4096;
                        break;
                    }
                    case ST_FIELDS: {
                        hd_fields *f = at;
                        uint64_t cnt = hd_rng_next(&r) % 64 == 0 ? HD_KEEP_FIELDS + 1 + hd_rng_next(&r) % 500
                                                                 : hd_rng_next(&r) % 40;
                        for (uint64_t k = 0; k < cnt; k++) {
                            fl[k].kind = (uint8_t)(1 + hd_rng_next(&r) % hd_layout_max_field_kind((hd_layout)l));
                            fl[k].offset = hd_rng_next(&r) % 3 == 0 ? rnd_value(&r) : k * 8;
                        }
                        f->v = fl;
                        f->count = f->nkept = (uint32_t)cnt;
                        break;
                    }
                    case ST_MEMSTATS:
                        for (unsigned k = 0; k < HD_MEMSTATS_NVALUES; k++)
                            ((uint64_t *)at)[k] = rnd_value(&r);
                        break;
                    case ST_MPFRAMES:
                        a.u.memprof.nframes = a.u.memprof.nkept = (uint32_t)(hd_rng_next(&r) % 100);
                        for (uint32_t k = 0; k < a.u.memprof.nkept; k++) {
                            mf[k].name.len = mf[k].name.kept = rnd_len(&r, HD_KEEP_STRING);
                            mf[k].name.p = bytes + k;
                            mf[k].file.len = mf[k].file.kept = rnd_len(&r, 0);
                            mf[k].file.p = bytes + 2 * k;
                            mf[k].line = rnd_value(&r);
                        }
                        a.u.memprof.frames = mf;
                        break;
                    case ST_END:
                        break;
                    }
                }
                m.len = 0;
                hd_out_init_mem(o, &m);
                hd_enc_header(o, header_of[l]);
                assert_int_equal(hd_enc_record(o, (hd_layout)l, &a), 0);
                assert_int_equal(hd_out_flush(o), 0);
                rd = hd_reader_open_mem(m.p, m.len, NULL);
                assert_int_equal(hd_reader_header(rd, &h), 0);
                assert_int_equal(hd_reader_next(rd, &b), 1);
                assert_int_equal(b.end, m.len);
                same_values((hd_layout)l, &a, &b);
                hd_reader_free(rd);
                n++;
            }
    free(m.p);
    free(o);
    assert_true(n >= 40 * HD_LAYOUT_COUNT * HD_TAG_COUNT);
}

/* Records past the reader's kept prefixes: contents > 1 MiB, field lists > 131072 entries, memprof stacks
 * deeper than 64 frames. The re-encoder completes them from the buffer; the result must still be exact. */
static void test_beyond_kept(void **state)
{
    hd_gen_request q;
    hd_reencode_stats st;
    uint64_t ranges = 0, fields = 0, frames = 0;
    (void)state;
    hd_gen_request_init(&q);
    q.header = HD_H17;
    q.ptrsize = 8;
    q.size = 24u << 20;
    q.features_set = true;
    q.features = HD_GF(HUGE_OBJECTS) | HD_GF(POINTER_HEAVY) | HD_GF(MEMPROF) | HD_GF(DEEP_STACKS);
    for (uint64_t seed = 1; seed <= 3 && !(ranges && fields && frames); seed++) {
        tap_state t = {0};
        hd_membuf m = generate(&q, seed, &t);
        st = reencode_same(m.p, m.len, "huge");
        ranges += st.long_ranges;
        fields += st.long_fields;
        frames += st.long_frames;
        free(m.p);
        free(t.one.p);
    }
    assert_true(ranges > 0);
    assert_true(fields > 0);
    assert_true(frames > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_dumps),
        cmocka_unit_test(test_corpus_generated),
        cmocka_unit_test(test_generated_bytes),
        cmocka_unit_test(test_generated_values),
        cmocka_unit_test(test_random_records),
        cmocka_unit_test(test_beyond_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
