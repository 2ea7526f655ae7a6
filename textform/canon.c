/* canon.c — how to print a record whose bytes are not canonical (see canon.h). */
#include "canon.h"
#include "names.h"
#include "hd/uvarint.h"

#include <string.h>

void tf_spots_add(tf_spots *s, uint64_t off)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->off[i] == off)
            return;              /* S104 and S105 on one bool */
    if (s->n == TF_SPOTS_MAX)
        s->overflow = true;
    else
        s->off[s->n++] = off;
}

static bool is_spot(const tf_spots *s, uint64_t off)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->off[i] == off)
            return true;
    return false;
}

/* Is there a spot in [from, to)? */
static bool spot_in(const tf_spots *s, uint64_t from, uint64_t to)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->off[i] >= from && s->off[i] < to)
            return true;
    return false;
}

/* The scalar step at *pos: its bytes must decode to the value the reader gave; an odd one gets an override. */
static bool scalar(const layout_step *st, const hd_record *rec, tf_input in, const tf_spots *spots, uint64_t *pos,
                   tf_override *ov, unsigned *matched)
{
    uint64_t start = *pos, v;
    const void *at = (const char *)rec + st->at;
    bool odd = is_spot(spots, start);

    if (tf_input_uvarint(in, pos, &v) < 0)
        return false;
    if (st->op == ST_BOOL ? (v != 0) != *(const bool *)at : v != *(const uint64_t *)at)
        return false;
    if (!odd)
        return true;
    (*matched)++;
    if (st->op == ST_BOOL && *pos - start == hd_uvarint_len(v)) {
        ov->kind = TF_OV_VALUE;    /* a bool of 2, minimal: the number says it */
        ov->value = v;
    } else {
        ov->kind = TF_OV_RAW;
        ov->raw = in.p + start;
        ov->rawlen = *pos - start;
    }
    return true;
}

tf_canon tf_canon_overrides(hd_layout layout, const hd_record *rec, tf_input in, const tf_spots *spots,
                            tf_override ov[TF_MAX_STEPS])
{
    const layout_step *st = tf_steps(layout, rec->tag);
    uint64_t pos = rec->pos, tag;
    unsigned matched = 0;

    memset(ov, 0, TF_MAX_STEPS * sizeof *ov);
    if (in.p == NULL || rec->end > in.len)
        return TF_CANON_UNKNOWN;
    if (spots->overflow || st == NULL || is_spot(spots, pos) || tf_input_uvarint(in, &pos, &tag) < 0 || tag != rec->tag)
        return TF_CANON_RAW;
    for (unsigned i = 0; st[i].op != ST_END; i++) {
        const hd_bytes *b = (const hd_bytes *)((const char *)rec + st[i].at);
        if (i >= TF_MAX_STEPS)
            return TF_CANON_RAW;
        switch (st[i].op) {
        case ST_UINT: case ST_PTR: case ST_BOOL: case ST_EXTENT: case ST_PTRSIZE:
            if (!scalar(&st[i], rec, in, spots, &pos, &ov[i], &matched))
                return TF_CANON_RAW;
            break;
        case ST_STRING: case ST_ARCH_STRING: case ST_CONTENTS:
            if (b->pos < pos || spot_in(spots, pos, b->pos))   /* odd length prefix */
                return TF_CANON_RAW;
            pos = b->pos + b->len;
            break;
        default:
            /* a field list, memstats or memprof frames: the rest of the record must be canonical */
            if (spot_in(spots, pos, rec->end))
                return TF_CANON_RAW;
            return matched == spots->n ? TF_CANON_OVERRIDES : TF_CANON_RAW;
        }
    }
    return matched == spots->n && pos == rec->end ? TF_CANON_OVERRIDES : TF_CANON_RAW;
}
