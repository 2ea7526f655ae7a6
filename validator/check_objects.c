/* check_objects.c — heap objects and the pointers records hold (FORMAT.md §5.4: O1–O7, and H111).
 *
 * Each object is checked on its own here (size, alignment, arena, field-list shape) and handed to the object
 * index; overlaps (O4) and objects inside data/bss (O7) are found by the end-of-file sweep (xref.c). Every
 * pointer value that an object, a frame, data or bss holds and that falls in the arena is one ledger entry:
 * the sweep checks it against every object and every goroutine stack, however far ahead of the pointer the
 * object it names comes. */
#include "check_internal.h"
#include "xref.h"

#include <inttypes.h>

/* ---- field lists (objects, data, bss) ---------------------------------------------------------- */

/* Words of the field at index i, 1 when it was not kept. */
static unsigned field_words(const hd_checker *c, const hd_fields *fl, uint64_t i)
{
    unsigned w = i < fl->nkept ? hd_field_kind_words(c->layout, fl->v[i].kind) : 1;
    return w == 0 ? 1 : w;
}

/* O1/O2: the reader found the first violation of each shape property; a multi-word field's violation of the
 * width (overlap, or outside only because of its extra words) is O2. */
static void field_shape(hd_checker *c, const hd_fields *fl, uint64_t len, const char *what)
{
    const hd_field_fault *f;

    if ((f = &fl->unsorted)->index != HD_NONE)
        ck_report(c, HD_R_FIELDS_UNSORTED, f->pos, "%s field #%" PRIu64 " at offset %" PRIu64
                  " does not come after the previous field's offset", what, f->index, f->offset);
    if ((f = &fl->overlap)->index != HD_NONE)
        ck_report(c, HD_R_FIELD_MULTIWORD, f->pos, "%s field #%" PRIu64 " at offset %" PRIu64
                  " starts inside the previous multi-word field", what, f->index, f->offset);
    if ((f = &fl->misaligned)->index != HD_NONE)
        ck_report(c, HD_R_FIELD_MISALIGNED, f->pos, "%s field #%" PRIu64 " offset %" PRIu64
                  " is not a multiple of the pointer size %u", what, f->index, f->offset, c->ptrsize);
    if ((f = &fl->outside)->index != HD_NONE) {
        unsigned w = field_words(c, fl, f->index), ps = c->ptrsize != 0 ? c->ptrsize : 8;
        bool word_fits = f->offset <= UINT64_MAX - ps && f->offset + ps <= len;
        ck_report(c, w > 1 && word_fits ? HD_R_FIELD_MULTIWORD : HD_R_FIELD_OUTSIDE, f->pos,
                  "%s field #%" PRIu64 " at offset %" PRIu64 " (%u word%s) runs past the %" PRIu64
                  "-byte contents", what, f->index, f->offset, w, w > 1 ? "s" : "", len);
    }
}

/* ---- pointer values ----------------------------------------------------------------------------- */

/* One ledger entry per arena pointer the fields of a record's contents hold. A pointer into the record's own
 * object is settled at once: it is the commonest kind, and costs the sweep nothing then. */
static void field_pointers(hd_checker *c, const hd_bytes *b, const hd_fields *fl, xref_kind kind, uint64_t self_lo,
                           uint64_t self_hi)
{
    unsigned ps = c->ptrsize;

    if (ps == 0)
        return;
    for (uint32_t i = 0; i < fl->nkept; i++) {
        int w = hd_field_kind_pointer_word(c->layout, fl->v[i].kind);
        uint64_t v, off = fl->v[i].offset;
        if (w < 0 || off > UINT64_MAX - (uint64_t)w * ps || !hd_bytes_word(b, off + (uint64_t)w * ps, ps, c->big_endian, &v))
            continue;
        if (ck_in_arena(c, v) && (v < self_lo || v >= self_hi))
            xref_add(c, kind, v);
    }
}

/* ---- records ------------------------------------------------------------------------------------- */

/* O8, go1.3: dumpobjs writes the kind bits of the span's type word (TypeInfo_SingleObject 0, TypeInfo_Array 1,
 * TypeInfo_Chan 2, with the channel's element type), or TypeInfo_Conservative 127 for a scannable object without
 * type information. Arrays and channels always have a type; a conservative object never has one. */
static void go13_kind(hd_checker *c, const hd_record *rec)
{
    uint64_t kind = rec->u.object.kind, type = rec->u.object.type;

    if (kind != 0 && kind != 1 && kind != 2 && kind != 127)
        ck_report(c, HD_R_OBJECT_KIND, rec->pos, "object 0x%" PRIx64 " has kind %" PRIu64 ": go1.3 writes 0 (single), "
                  "1 (array), 2 (channel) or 127 (conservative)", rec->u.object.addr, kind);
    else if ((kind == 1 || kind == 2) && type == 0)
        ck_report(c, HD_R_OBJECT_KIND_TYPE, rec->pos, "%s object 0x%" PRIx64 " has type 0", kind == 1 ? "array" : "channel",
                  rec->u.object.addr);
    else if (kind == 127 && type != 0)
        ck_report(c, HD_R_OBJECT_KIND_TYPE, rec->pos, "conservatively scanned object 0x%" PRIx64 " has type 0x%" PRIx64
                  " (the writer marks only objects without a type so)", rec->u.object.addr, type);
}

static void on_object(hd_checker *c, const hd_record *rec)
{
    uint64_t a = rec->u.object.addr, n = rec->u.object.contents.len;
    const ck_range *ar = &c->arena;

    if (n == 0 || n % 8 != 0)
        ck_report(c, HD_R_OBJECT_SIZE, rec->u.object.contents.pos, "object at 0x%" PRIx64 " has %" PRIu64
                  " bytes of contents: size classes are non-zero multiples of 8", a, n);
    if (a % 8 != 0)
        ck_report(c, HD_R_OBJECT_MISALIGNED, rec->pos, "object address 0x%" PRIx64 " is not a multiple of 8", a);
    if (ar->hi > ar->lo && (a < ar->lo || a > ar->hi || ar->hi - a < n))
        ck_report(c, HD_R_OBJECT_OUTSIDE_ARENA, rec->pos, "object [0x%" PRIx64 ", +%" PRIu64 ") is not inside the arena"
                  " [0x%" PRIx64 ", 0x%" PRIx64 ")", a, n, ar->lo, ar->hi);
    xref_add_object(c, a, n);
    if (c->layout == HD_V13) {
        go13_kind(c, rec);            /* go1.3 objects carry a type and a kind, not a field list */
        return;
    }
    field_shape(c, &rec->u.object.fields, n, "object");
    field_pointers(c, &rec->u.object.contents, &rec->u.object.fields, XK_PTR_OBJECT, a, a + n < a ? UINT64_MAX : a + n);
}

static void objects_record(hd_checker *c, void *st, const hd_record *rec)
{
    (void)st;
    switch (rec->tag) {
    case HD_TAG_OBJECT:
        on_object(c, rec);
        break;
    case HD_TAG_DATA: case HD_TAG_BSS:
        field_shape(c, &rec->u.segment.fields, rec->u.segment.contents.len, hd_tag_name(rec->tag));
        field_pointers(c, &rec->u.segment.contents, &rec->u.segment.fields,
                       rec->tag == HD_TAG_DATA ? XK_PTR_DATA : XK_PTR_BSS, 0, 0);
        break;
    case HD_TAG_FRAME:
        /* a frame without a pointer map lists every word as a pointer field, and the frame it interrupted is
         * scanned conservatively: their words are whatever registers held, not pointers the writer vouches for */
        if (!c->frame.conservative && !c->frame.after_conservative)
            field_pointers(c, &rec->u.frame.contents, &rec->u.frame.fields, XK_PTR_FRAME, 0, 0);
        break;
    default:
        break;
    }
}

const ck_family ck_objects_family = {
    .name = "objects",
    .tags = HD_TAGMASK(HD_TAG_OBJECT) | HD_TAGMASK(HD_TAG_DATA) | HD_TAGMASK(HD_TAG_BSS) | HD_TAGMASK(HD_TAG_FRAME),
    .on_record = objects_record,
};
