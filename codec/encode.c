/* encode.c — records to bytes (see hd/encode.h). */
#include "hd/encode.h"
#include "hd/uvarint.h"
#include "hd/layouts.h"

#include <stdlib.h>
#include <string.h>

void hd_out_init(hd_out *o, int (*write)(void *, const uint8_t *, size_t), void *ctx)
{
    o->write = write;
    o->ctx = ctx;
    o->n = 0;
    o->total = 0;
    o->err = 0;
}

static int mem_write(void *ctx, const uint8_t *p, size_t n)
{
    hd_membuf *m = ctx;
    if (n > m->cap - m->len) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap - m->len < n) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        uint8_t *q = realloc(m->p, cap);
        if (q == NULL)
            return -1;
        m->p = q;
        m->cap = cap;
    }
    memcpy(m->p + m->len, p, n);
    m->len += n;
    return 0;
}

static int file_write(void *ctx, const uint8_t *p, size_t n)
{
    return fwrite(p, 1, n, ctx) == n ? 0 : -1;
}

void hd_out_init_mem(hd_out *o, hd_membuf *m) { hd_out_init(o, mem_write, m); }
void hd_out_init_file(hd_out *o, FILE *f) { hd_out_init(o, file_write, f); }

int hd_out_flush(hd_out *o)
{
    if (o->err == 0 && o->n > 0 && o->write(o->ctx, o->buf, o->n) < 0)
        o->err = -1;
    o->n = 0;
    return o->err;
}

void hd_out_raw(hd_out *o, const void *p, size_t n)
{
    const uint8_t *b = p;
    o->total += n;
    if (n <= HD_OUT_BUF - o->n) {
        memcpy(o->buf + o->n, b, n);
        o->n += n;
        return;
    }
    hd_out_flush(o);
    if (n >= HD_OUT_BUF) {            /* big ranges go straight through */
        if (o->err == 0 && o->write(o->ctx, b, n) < 0)
            o->err = -1;
        return;
    }
    memcpy(o->buf, b, n);
    o->n = n;
}

void hd_enc_uvarint(hd_out *o, uint64_t v)
{
    uint8_t b[HD_UVARINT_MAX], *p = b;
    size_t n;
    if (HD_OUT_BUF - o->n >= HD_UVARINT_MAX)
        p = o->buf + o->n;             /* fast path: straight into the buffer */
    n = hd_uvarint_put(p, v);
    if (p == b) {
        hd_out_raw(o, b, n);
    } else {
        o->n += n;
        o->total += n;
    }
}

void hd_enc_bool(hd_out *o, bool b) { hd_enc_uvarint(o, b ? 1 : 0); }

void hd_enc_bytes(hd_out *o, const void *p, uint64_t len)
{
    hd_enc_uvarint(o, len);
    if (len > 0)
        hd_out_raw(o, p, (size_t)len);
}

void hd_enc_header(hd_out *o, hd_header_id h) { hd_out_raw(o, hd_header_text(h), HD_HEADER_LEN); }

static bool whole(const hd_bytes *b) { return b->len == 0 || (b->kept == b->len && b->p != NULL); }

/* Can every step of the record be written from what it holds? */
static bool encodable(const layout_step *st, const hd_record *rec)
{
    for (; st->op != ST_END; st++) {
        const void *at = (const char *)rec + st->at;
        if ((st->op == ST_STRING || st->op == ST_CONTENTS || st->op == ST_ARCH_STRING) && !whole(at))
            return false;
        if (st->op == ST_FIELDS && ((const hd_fields *)at)->nkept != ((const hd_fields *)at)->count)
            return false;
        if (st->op == ST_MPFRAMES) {
            if (rec->u.memprof.nkept != rec->u.memprof.nframes)
                return false;
            for (uint32_t i = 0; i < rec->u.memprof.nkept; i++)
                if (!whole(&rec->u.memprof.frames[i].name) || !whole(&rec->u.memprof.frames[i].file))
                    return false;
        }
    }
    return true;
}

static void enc_step(hd_out *o, const layout_step *st, const hd_record *rec)
{
    const void *at = (const char *)rec + st->at;
    switch (st->op) {
    case ST_UINT: case ST_PTR: case ST_EXTENT: case ST_PTRSIZE:
        hd_enc_uvarint(o, *(const uint64_t *)at);
        break;
    case ST_BOOL:
        hd_enc_bool(o, *(const bool *)at);
        break;
    case ST_STRING: case ST_CONTENTS: case ST_ARCH_STRING:
        hd_enc_bytes(o, ((const hd_bytes *)at)->p, ((const hd_bytes *)at)->len);
        break;
    case ST_FIELDS: {
        const hd_fields *f = at;
        for (uint64_t i = 0; i < f->count; i++) {
            if (HD_OUT_BUF - o->n >= 20 && f->v[i].kind < 0x80) {
                /* hot (pointer-heavy dumps): a kind is one byte; the offset straight into the buffer */
                uint8_t *p = o->buf + o->n;
                size_t n;
                p[0] = f->v[i].kind;
                n = 1 + hd_uvarint_put(p + 1, f->v[i].offset);
                o->n += n;
                o->total += n;
            } else {
                hd_enc_uvarint(o, f->v[i].kind);
                hd_enc_uvarint(o, f->v[i].offset);
            }
        }
        hd_enc_uvarint(o, HD_FK_EOL);
        break;
    }
    case ST_MEMSTATS:
        for (unsigned i = 0; i < HD_MEMSTATS_NVALUES; i++)
            hd_enc_uvarint(o, ((const uint64_t *)at)[i]);
        break;
    case ST_MPFRAMES:
        hd_enc_uvarint(o, rec->u.memprof.nframes);
        for (uint32_t i = 0; i < rec->u.memprof.nkept; i++) {
            const hd_mpframe *f = &rec->u.memprof.frames[i];
            hd_enc_bytes(o, f->name.p, f->name.len);
            hd_enc_bytes(o, f->file.p, f->file.len);
            hd_enc_uvarint(o, f->line);
        }
        break;
    case ST_END:
        break;
    }
}

const layout_step *hd_enc_steps(hd_layout layout, unsigned tag)
{
    const layout_step *st = hd_layout_steps(layout, tag);
    return st != NULL ? st : hd_layout_steps(HD_V13, tag);   /* lets tests write a tag the layout never has */
}

int hd_enc_record(hd_out *o, hd_layout layout, const hd_record *rec)
{
    return hd_enc_record_hook(o, layout, rec, NULL, NULL);
}

int hd_enc_record_hook(hd_out *o, hd_layout layout, const hd_record *rec, hd_enc_hook hook, void *ctx)
{
    const layout_step *st = hd_enc_steps(layout, rec->tag);
    int h = HD_ENC_STEP;
    if (st == NULL || !encodable(st, rec))
        return -1;
    if (hook != NULL)
        h = hook(ctx, o, 0, NULL, rec);
    if (h == HD_ENC_CUT)
        return 1;
    if (h == HD_ENC_STEP)
        hd_enc_uvarint(o, rec->tag);
    for (unsigned i = 1; st->op != ST_END; st++, i++) {
        h = hook != NULL ? hook(ctx, o, i, st, rec) : HD_ENC_STEP;
        if (h == HD_ENC_CUT)
            return 1;
        if (h == HD_ENC_STEP)
            enc_step(o, st, rec);
    }
    return 0;
}
