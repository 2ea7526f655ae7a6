/* whole.c — record parts past the reader's kept prefixes, from the input (see whole.h). */
#include "whole.h"
#include "hd/uvarint.h"

int tf_input_uvarint(tf_input in, uint64_t *pos, uint64_t *v)
{
    size_t used;
    if (in.p == NULL || *pos >= in.len)
        return -1;
    if (hd_uvarint_get(in.p + *pos, (size_t)(in.len - *pos), v, &used) != HD_UV_OK)
        return -1;
    *pos += used;
    return 0;
}

uint64_t tf_bytes_avail(const hd_bytes *b, tf_input in, const uint8_t **out)
{
    if (b->kept < b->len && in.p != NULL && b->pos <= in.len && in.len - b->pos >= b->len) {
        *out = in.p + b->pos;
        return b->len;
    }
    *out = b->p;
    return b->p != NULL ? b->kept : 0;
}

void tf_field_iter_init(tf_field_iter *it, const hd_fields *f, tf_input in)
{
    it->f = f;
    it->in = in;
    it->i = 0;
    it->pos = 0;
}

int tf_field_next(tf_field_iter *it, uint64_t *kind, uint64_t *off)
{
    const hd_fields *f = it->f;
    if (it->i >= f->count)
        return 0;
    if (it->i < f->nkept) {
        *kind = f->v[it->i].kind;
        *off = f->v[it->i].offset;
        it->i++;
        return 1;
    }
    if (it->pos == 0) {          /* skip the kept entries once: they start at the list's first byte */
        uint64_t pos = f->pos, v;
        for (uint64_t k = 0; k < 2 * (uint64_t)f->nkept; k++)
            if (tf_input_uvarint(it->in, &pos, &v) < 0)
                return -1;
        it->pos = pos;
    }
    if (tf_input_uvarint(it->in, &it->pos, kind) < 0 || tf_input_uvarint(it->in, &it->pos, off) < 0)
        return -1;
    it->i++;
    return 1;
}

void tf_frame_iter_init(tf_frame_iter *it, const hd_record *rec, tf_input in)
{
    it->rec = rec;
    it->in = in;
    it->i = 0;
    it->pos = 0;
}

/* Length-prefixed bytes at *pos, pointing into the input. */
static int input_bytes(tf_input in, uint64_t *pos, hd_bytes *b)
{
    if (tf_input_uvarint(in, pos, &b->len) < 0 || b->len > in.len - *pos)
        return -1;
    b->pos = *pos;
    b->p = in.p + *pos;
    b->kept = b->len;
    *pos += b->len;
    return 0;
}

int tf_frame_next(tf_frame_iter *it, const hd_mpframe **f)
{
    const hd_record *rec = it->rec;
    uint64_t line;
    if (it->i >= rec->u.memprof.nframes)
        return 0;
    if (it->i < rec->u.memprof.nkept) {
        *f = &rec->u.memprof.frames[it->i++];
        return 1;
    }
    if (it->pos == 0) {          /* the frames after the kept ones start after the last kept frame's line */
        const hd_mpframe *last;
        if (rec->u.memprof.nkept == 0)
            return -1;
        last = &rec->u.memprof.frames[rec->u.memprof.nkept - 1];
        it->pos = last->file.pos + last->file.len;
        if (tf_input_uvarint(it->in, &it->pos, &line) < 0)
            return -1;
    }
    if (input_bytes(it->in, &it->pos, &it->cur.name) < 0 || input_bytes(it->in, &it->pos, &it->cur.file) < 0 ||
        tf_input_uvarint(it->in, &it->pos, &it->cur.line) < 0)
        return -1;
    it->i++;
    *f = &it->cur;
    return 1;
}
