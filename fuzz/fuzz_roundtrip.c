/* fuzz_roundtrip.c — decoder and encoder are mirrors: decode(bytes) re-encoded gives the same bytes.
 *
 * Records are decoded from memory with hd_reader_open_mem / hd_reader_next. For every record:
 *   - the record is well-formed: contiguous with the previous one, inside the input, each byte range
 *     inside the record with kept = min(len, HD_KEEP_*) bytes pointing into the input buffer;
 *   - if it is fully kept (every string/contents within HD_KEEP_STRING/HD_KEEP_CONTENTS, every field list
 *     within HD_KEEP_FIELDS, every memprof stack within HD_KEEP_MPFRAMES), hd_enc_record must encode it,
 *     and, unless the record drew a diagnostic that keeps the boundary but means the bytes are not the
 *     canonical encoding of the decoded values (S104 non-minimal uvarint, S105 bool > 1), the encoding must
 *     equal the input bytes [rec.pos, rec.end);
 *   - if it is not fully kept, hd_enc_record must refuse it (-1) and write nothing.
 * Any violation aborts. */
#include "fuzz_common.h"

#include "hd/encode.h"
#include "hd/layouts.h"
#include "hd/reader.h"

typedef struct {
    bool     noncanonical;   /* S104 or S105 in the current record */
    uint64_t n;
} rt_sink;

static void rt_emit(void *ctx, const hd_diag *d)
{
    rt_sink *s = ctx;
    s->n++;
    if (d->rule == HD_R_UVARINT_NONMIN || d->rule == HD_R_BOOL_INVALID)
        s->noncanonical = true;
}

static const uint8_t *base;   /* the input copy: memory records point into it */

static bool check_bytes(const hd_record *rec, const hd_bytes *b, uint64_t keep, const char *what)
{
    uint64_t want = b->len < keep ? b->len : keep;
    FZ_CHECK(b->pos >= rec->pos && b->pos <= rec->end && rec->end - b->pos >= b->len,
             "record #%llu: %s [%llu, +%llu) outside the record [%llu, %llu)", (unsigned long long)rec->index, what,
             (unsigned long long)b->pos, (unsigned long long)b->len, (unsigned long long)rec->pos,
             (unsigned long long)rec->end);
    FZ_CHECK(b->kept == want, "record #%llu: %s keeps %llu of %llu bytes, want %llu", (unsigned long long)rec->index,
             what, (unsigned long long)b->kept, (unsigned long long)b->len, (unsigned long long)want);
    FZ_CHECK(b->kept == 0 || b->p == base + b->pos, "record #%llu: %s does not point at its bytes in the input",
             (unsigned long long)rec->index, what);
    return b->kept == b->len;
}

static bool check_fields(const hd_record *rec, const hd_fields *f)
{
    uint64_t want = f->count < HD_KEEP_FIELDS ? f->count : HD_KEEP_FIELDS;
    FZ_CHECK(f->nkept == want, "record #%llu: %u of %llu field entries kept, want %llu",
             (unsigned long long)rec->index, f->nkept, (unsigned long long)f->count, (unsigned long long)want);
    FZ_CHECK(f->pos > rec->pos && f->pos < rec->end, "record #%llu: field list outside the record",
             (unsigned long long)rec->index);
    FZ_CHECK(f->count == 0 || f->v != NULL, "record #%llu: field entries missing", (unsigned long long)rec->index);
    /* each entry takes at least 2 bytes, the Eol 1 */
    FZ_CHECK((rec->end - f->pos - 1) / 2 >= f->count, "record #%llu: %llu field entries in %llu bytes",
             (unsigned long long)rec->index, (unsigned long long)f->count, (unsigned long long)(rec->end - f->pos));
    for (uint32_t i = 0; i < f->nkept; i++)
        FZ_CHECK(f->v[i].kind >= 1 && f->v[i].kind <= 5, "record #%llu: field %u has kind %u",
                 (unsigned long long)rec->index, i, f->v[i].kind);
    return f->nkept == f->count;
}

/* Check every byte range and list of the record; true if the record is fully kept. */
static bool check_record(const hd_record *rec, const layout_step *st)
{
    bool whole = true;
    for (; st->op != ST_END; st++) {
        const void *at = (const char *)rec + st->at;
        switch (st->op) {
        case ST_STRING: case ST_ARCH_STRING:
            whole &= check_bytes(rec, at, HD_KEEP_STRING, st->what);
            break;
        case ST_CONTENTS:
            whole &= check_bytes(rec, at, HD_KEEP_CONTENTS, st->what);
            break;
        case ST_FIELDS:
            whole &= check_fields(rec, at);
            break;
        case ST_MPFRAMES: {
            uint64_t want = rec->u.memprof.nframes < HD_KEEP_MPFRAMES ? rec->u.memprof.nframes : HD_KEEP_MPFRAMES;
            FZ_CHECK(rec->u.memprof.nkept == want, "record #%llu: %u of %llu memprof frames kept",
                     (unsigned long long)rec->index, rec->u.memprof.nkept, (unsigned long long)rec->u.memprof.nframes);
            FZ_CHECK((rec->end - rec->pos) / 3 >= rec->u.memprof.nframes, "record #%llu: %llu memprof frames in %llu bytes",
                     (unsigned long long)rec->index, (unsigned long long)rec->u.memprof.nframes,
                     (unsigned long long)(rec->end - rec->pos));
            whole &= rec->u.memprof.nkept == rec->u.memprof.nframes;
            for (uint32_t i = 0; i < rec->u.memprof.nkept; i++) {
                whole &= check_bytes(rec, &rec->u.memprof.frames[i].name, HD_KEEP_STRING, "memprof function name");
                whole &= check_bytes(rec, &rec->u.memprof.frames[i].file, HD_KEEP_STRING, "memprof file name");
            }
            break;
        }
        default:
            break;
        }
    }
    return whole;
}

static hd_out out;   /* 64 KiB buffer: not on the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *p = fz_copy(data, size);
    rt_sink rs = {false, 0};
    hd_diag_sink sink = {rt_emit, &rs};
    hd_reader *r;
    hd_header_id h;
    hd_record rec;
    hd_membuf m = {NULL, 0, 0};
    uint64_t prev_end = HD_HEADER_LEN, index = 0;
    int st;

    base = p;
    r = hd_reader_open_mem(p, size, &sink);
    if (r == NULL)
        abort();
    if (hd_reader_header(r, &h) < 0)
        goto done;
    while (rs.noncanonical = false, (st = hd_reader_next(r, &rec)) == 1) {
        hd_layout layout = hd_reader_layout(r);
        const layout_step *steps;
        bool whole;
        int rc;

        FZ_CHECK(rec.index == index, "record index %llu, want %llu", (unsigned long long)rec.index,
                 (unsigned long long)index);
        FZ_CHECK(rec.pos == prev_end, "record #%llu starts at %llu, the previous ended at %llu",
                 (unsigned long long)rec.index, (unsigned long long)rec.pos, (unsigned long long)prev_end);
        FZ_CHECK(rec.end > rec.pos && rec.end <= size, "record #%llu spans [%llu, %llu) of %zu bytes",
                 (unsigned long long)rec.index, (unsigned long long)rec.pos, (unsigned long long)rec.end, size);
        FZ_CHECK((unsigned)rec.tag < HD_TAG_COUNT, "record tag %d", (int)rec.tag);
        FZ_CHECK(hd_reader_offset(r) == rec.end, "reader offset %llu after a record ending at %llu",
                 (unsigned long long)hd_reader_offset(r), (unsigned long long)rec.end);
        index++;
        prev_end = rec.end;

        steps = hd_layout_steps(layout, rec.tag);
        if (steps == NULL)
            steps = hd_layout_steps(HD_V13, rec.tag);   /* as the reader does for a tag the version lacks */
        FZ_CHECK(steps != NULL, "no layout for tag %d", (int)rec.tag);
        whole = check_record(&rec, steps);

        m.len = 0;
        hd_out_init_mem(&out, &m);
        rc = hd_enc_record(&out, layout, &rec);
        FZ_CHECK(hd_out_flush(&out) == 0, "encoder output error");
        if (!whole) {
            FZ_CHECK(rc < 0 && m.len == 0, "record #%llu (%s) is not fully kept but was encoded (%zu bytes)",
                     (unsigned long long)rec.index, hd_tag_name(rec.tag), m.len);
            continue;
        }
        FZ_CHECK(rc == 0, "record #%llu (%s) is fully kept but the encoder refused it", (unsigned long long)rec.index,
                 hd_tag_name(rec.tag));
        if (rs.noncanonical)
            continue;
        if (m.len != rec.end - rec.pos || memcmp(m.p, p + rec.pos, m.len) != 0) {
            size_t k = 0, n = (size_t)(rec.end - rec.pos);
            while (k < m.len && k < n && m.p[k] == p[rec.pos + k])
                k++;
            fz_fail("record #%llu (%s, %s) at %llu: re-encoded %zu bytes, input has %zu; first difference at +%zu "
                    "(0x%02x vs 0x%02x)", (unsigned long long)rec.index, hd_tag_name(rec.tag), hd_layout_name(layout),
                    (unsigned long long)rec.pos, m.len, n, k, k < m.len ? m.p[k] : 0, k < n ? p[rec.pos + k] : 0);
        }
    }
    if (st == 0)
        FZ_CHECK(hd_reader_offset(r) == prev_end, "reader offset moved past the last record");
done:
    hd_reader_free(r);
    free(m.p);
    free(p);
    return 0;
}
