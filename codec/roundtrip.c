/* roundtrip.c — re-encode a dump held in memory (see hd/roundtrip.h). */
#include "hd/roundtrip.h"
#include "hd/layouts.h"
#include "hd/reader.h"
#include "hd/uvarint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t     *p;
    size_t             len;
    hd_reencode_stats *st;
    hd_field          *fields;     /* completed field list */
    hd_mpframe        *frames;     /* completed memprof frames */
    uint64_t           nfields_cap, nframes_cap;
} rt;

static int fail(hd_reencode_stats *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->error, sizeof st->error, fmt, ap);
    va_end(ap);
    return -1;
}

static void count_diag(void *ctx, const hd_diag *d)
{
    (void)d;
    ((hd_reencode_stats *)ctx)->diagnostics++;
}

/* A uvarint at *pos (the reader has already accepted these bytes, so they are well formed). */
static int uvarint(const rt *t, uint64_t *pos, uint64_t *out)
{
    size_t used;
    if (*pos > t->len || hd_uvarint_get(t->p + *pos, (size_t)(t->len - *pos), out, &used) != HD_UV_OK)
        return -1;
    *pos += used;
    return 0;
}

static int whole_bytes(rt *t, hd_bytes *b)
{
    if (b->kept == b->len)
        return 0;
    if (b->pos > t->len || t->len - b->pos < b->len)
        return -1;
    b->p = t->p + b->pos;
    b->kept = b->len;
    t->st->long_ranges++;
    return 0;
}

static int whole_fields(rt *t, hd_fields *f)
{
    uint64_t pos = f->pos;
    if (f->nkept == f->count)
        return 0;
    if (f->count > t->nfields_cap) {
        hd_field *v = realloc(t->fields, f->count * sizeof *v);
        if (v == NULL)
            return -1;
        t->fields = v;
        t->nfields_cap = f->count;
    }
    for (uint64_t i = 0; i < f->count; i++) {     /* re-read all entries: they start at f->pos */
        uint64_t kind, off;
        if (uvarint(t, &pos, &kind) < 0 || uvarint(t, &pos, &off) < 0)
            return -1;
        t->fields[i].kind = (uint8_t)kind;
        t->fields[i].offset = off;
    }
    f->v = t->fields;
    f->nkept = (uint32_t)f->count;
    t->st->long_fields++;
    return 0;
}

static int bytes_at(rt *t, uint64_t *pos, hd_bytes *b)
{
    if (uvarint(t, pos, &b->len) < 0 || b->len > t->len - *pos)
        return -1;
    b->pos = *pos;
    b->p = t->p + *pos;
    b->kept = b->len;
    *pos += b->len;
    return 0;
}

/* Room for n memprof frames in the re-encoder's own array. */
static int frames_room(rt *t, uint64_t n)
{
    hd_mpframe *v;

    if (n <= t->nframes_cap)
        return 0;
    v = realloc(t->frames, n * sizeof *v);
    if (v == NULL)
        return -1;
    t->frames = v;
    t->nframes_cap = n;
    return 0;
}

static int whole_frames(rt *t, hd_record *rec)
{
    uint64_t n = rec->u.memprof.nframes, kept = rec->u.memprof.nkept, pos, line;
    if (kept < n) {
        if (kept == 0 || n > t->len)
            return -1;
        if (frames_room(t, n) < 0)
            return -1;
        memcpy(t->frames, rec->u.memprof.frames, kept * sizeof *t->frames);
        /* the frames after the kept ones start after the last kept frame's file name and line */
        pos = t->frames[kept - 1].file.pos + t->frames[kept - 1].file.len;
        if (uvarint(t, &pos, &line) < 0)
            return -1;
        for (uint64_t i = kept; i < n; i++)
            if (bytes_at(t, &pos, &t->frames[i].name) < 0 || bytes_at(t, &pos, &t->frames[i].file) < 0 ||
                uvarint(t, &pos, &t->frames[i].line) < 0)
                return -1;
        rec->u.memprof.frames = t->frames;
        rec->u.memprof.nkept = (uint32_t)n;
        t->st->long_frames++;
    } else if (n > 0) {
        if (frames_room(t, n) < 0)
            return -1;
        memcpy(t->frames, rec->u.memprof.frames, n * sizeof *t->frames);
        rec->u.memprof.frames = t->frames;
    }
    for (uint64_t i = 0; i < n; i++)
        if (whole_bytes(t, &t->frames[i].name) < 0 || whole_bytes(t, &t->frames[i].file) < 0)
            return -1;
    return 0;
}

/* Make every part of rec whole, walking the same steps the encoder will. */
static int complete(rt *t, hd_layout layout, hd_record *rec)
{
    const layout_step *st = hd_enc_steps(layout, rec->tag);
    for (; st != NULL && st->op != ST_END; st++) {
        void *at = (char *)rec + st->at;
        int rc = 0;
        if (st->op == ST_STRING || st->op == ST_CONTENTS || st->op == ST_ARCH_STRING)
            rc = whole_bytes(t, at);
        else if (st->op == ST_FIELDS)
            rc = whole_fields(t, at);
        else if (st->op == ST_MPFRAMES)
            rc = whole_frames(t, rec);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int hd_reencode_mem(const uint8_t *p, size_t len, hd_out *o, hd_reencode_stats *st)
{
    hd_diag_sink sink = {count_diag, st};
    rt t = {p, len, st, NULL, NULL, 0, 0};
    hd_reader *r;
    hd_header_id h;
    hd_record rec;
    int rc = -1, got;

    memset(st, 0, sizeof *st);
    r = hd_reader_open_mem(p, len, &sink);
    if (r == NULL)
        return fail(st, "out of memory");
    if (hd_reader_header(r, &h) < 0) {
        fail(st, "bad header");
        goto out;
    }
    hd_enc_header(o, h);
    while ((got = hd_reader_next(r, &rec)) == 1) {
        if (complete(&t, hd_reader_layout(r), &rec) < 0) {
            fail(st, "record %llu (%s) at offset %llu cannot be completed from the buffer",
                 (unsigned long long)rec.index, hd_tag_name(rec.tag), (unsigned long long)rec.pos);
            goto out;
        }
        if (hd_enc_record(o, hd_reader_layout(r), &rec) < 0) {
            fail(st, "record %llu (%s) is not encodable", (unsigned long long)rec.index, hd_tag_name(rec.tag));
            goto out;
        }
        st->records++;
        if (rec.tag == HD_TAG_EOF)
            break;
    }
    if (got < 0) {
        fail(st, "the reader stopped at offset %llu", (unsigned long long)hd_reader_offset(r));
        goto out;
    }
    rc = hd_out_flush(o) < 0 ? fail(st, "write error") : 0;
out:
    hd_reader_free(r);
    free(t.fields);
    free(t.frames);
    return rc;
}
