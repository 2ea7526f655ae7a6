/* defects_h.c — defects for heap objects, their field lists and pointers (H1xx). */
#include "defects.h"

#include <string.h>

/* Records whose field list obeys O1/O2: objects (go1.4+; go1.3 objects have none), data and bss. */
static bool heap_fields(const gen_emitter *g, const hd_record *rec)
{
    return (rec->tag == HD_TAG_OBJECT && g->layout != HD_V13) || rec->tag == HD_TAG_DATA || rec->tag == HD_TAG_BSS;
}

static const hd_fields *fields_of(const hd_record *rec)
{
    return rec->tag == HD_TAG_OBJECT ? &rec->u.object.fields : &rec->u.segment.fields;
}
static const hd_bytes *contents_of(const hd_record *rec)
{
    return rec->tag == HD_TAG_OBJECT ? &rec->u.object.contents : &rec->u.segment.contents;
}

/* Index of the first Ptr field whose next word is free (inside the contents, no field there); -1 if none. */
static int ptr_then_free(const hd_fields *f, uint64_t len, unsigned ps)
{
    for (uint64_t i = 0; i < f->nkept && i < f->count; i++) {
        uint64_t o = f->v[i].offset;
        if (f->v[i].kind == HD_FK_PTR && o + 2 * ps <= len && (i + 1 == f->count || f->v[i + 1].offset >= o + 2 * ps))
            return (int)i;
    }
    return -1;
}

/* H101: a field entry written twice in a row (the second does not come after the first). Every check
 * that reads the field's words sees the same words again. */
static bool has_field(const gen_emitter *g, const hd_record *rec)
{
    return heap_fields(g, rec) && fields_of(rec)->v == g->co.fields && fields_of(rec)->count > 0 &&
           fields_of(rec)->count == fields_of(rec)->nkept;
}
static int repeat_entry(gen_emitter *g, hd_record *rec)
{
    hd_fields *f = dx_fields(g, rec);
    uint64_t i = dx_pick(g, 52, 0, f->count - 1);
    memmove(g->co.fields + i + 1, g->co.fields + i, (f->count - i) * sizeof *g->co.fields);
    f->count++;
    f->nkept++;
    return GEN_EMIT;
}
const gen_defect_ops defect_fields_unsorted = {.configure = dx_fields_on, .candidate = has_field, .apply = repeat_entry};

/* H102: a Ptr field moved half a word up, over two zeroed words (so the pointer it now reads is 0). */
static bool has_free_next(const gen_emitter *g, const hd_record *rec)
{
    return heap_fields(g, rec) && fields_of(rec)->v == g->co.fields &&
           ptr_then_free(fields_of(rec), contents_of(rec)->len, g->m->ps) >= 0;
}
static int half_word(gen_emitter *g, hd_record *rec)
{
    int i = ptr_then_free(fields_of(rec), contents_of(rec)->len, g->m->ps);
    uint64_t o = g->co.fields[i].offset;
    memset(g->co.buf + o, 0, 2 * g->m->ps);
    g->co.fields[i].offset = o + g->m->ps / 2;
    return GEN_EMIT;
}
const gen_defect_ops defect_field_misaligned = {.configure = dx_fields_on, .candidate = has_free_next, .apply = half_word};

/* H103: one more Ptr field, at the contents' end. */
static bool heap_fields_mut(const gen_emitter *g, const hd_record *rec)
{
    return heap_fields(g, rec) && fields_of(rec)->v == g->co.fields && contents_of(rec)->p == g->co.buf;
}
static int past_end(gen_emitter *g, hd_record *rec)
{
    hd_fields *f = dx_fields(g, rec);
    g->co.fields[f->count].kind = HD_FK_PTR;
    g->co.fields[f->count].offset = contents_of(rec)->len;
    f->count++;
    f->nkept++;
    return GEN_EMIT;
}
const gen_defect_ops defect_field_outside = {.candidate = heap_fields_mut, .apply = past_end};

/* H104 (go1.3/go1.4): a two-word field (go1.3 string, go1.4 iface) on the last word: its second word runs
 * past the contents. Either a new entry on a free last word, or the last entry, a Ptr there, widened. The
 * last word is zeroed, so its itab / pointer word reads as nil. */
static bool last_word_usable(const gen_emitter *g, const hd_record *rec)
{
    const hd_fields *f = fields_of(rec);
    uint64_t len = contents_of(rec)->len, ps = g->m->ps, end = 0;
    if (!heap_fields_mut(g, rec) || len < ps || f->count != f->nkept || len > HD_KEEP_CONTENTS)
        return false;
    if (f->count == 0)
        return true;
    const hd_field *last = &f->v[f->count - 1];
    end = last->offset + ps * hd_field_kind_words(g->layout, last->kind);
    return end <= len - ps || (last->kind == HD_FK_PTR && last->offset == len - ps);
}
static int two_words_at_end(gen_emitter *g, hd_record *rec)
{
    hd_fields *f = dx_fields(g, rec);
    uint64_t len = contents_of(rec)->len, ps = g->m->ps;
    hd_field *last = f->count > 0 ? &g->co.fields[f->count - 1] : NULL;
    memset(g->co.buf + len - ps, 0, ps);
    if (last == NULL || last->offset != len - ps) {
        last = &g->co.fields[f->count];
        f->count++;
        f->nkept++;
    }
    last->kind = g->layout == HD_V13 ? HD_FK13_STRING : HD_FK14_IFACE;
    last->offset = len - ps;
    return GEN_EMIT;
}
const gen_defect_ops defect_field_multiword = {.configure = dx_fields_on, .candidate = last_word_usable,
                                               .apply = two_words_at_end};

/* H105–H109: an extra object record next to a real one. */
static bool is_object(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_OBJECT; }

static int below_arena(gen_emitter *g, hd_record *rec)
{
    gen_put(g, rec);             /* after the object: between it and its type records would be T105 */
    dx_extra_object(g, g->m->arena_start - 4096, 16);
    return GEN_SKIP;
}
const gen_defect_ops defect_object_outside_arena = {.candidate = is_object, .apply = below_arena};

static int twice(gen_emitter *g, hd_record *rec)
{
    gen_put(g, rec);
    return GEN_EMIT;
}
const gen_defect_ops defect_object_duplicate = {.candidate = is_object, .apply = twice};

static bool big_object(const gen_emitter *g, const hd_record *rec)
{
    (void)g;
    return rec->tag == HD_TAG_OBJECT && rec->u.object.contents.len >= 16;
}
static int inner_object(gen_emitter *g, hd_record *rec)
{
    gen_put(g, rec);
    dx_extra_object(g, rec->u.object.addr + 8, 8);
    return GEN_SKIP;
}
const gen_defect_ops defect_object_overlap = {.candidate = big_object, .apply = inner_object};

static int odd_size(gen_emitter *g, hd_record *rec)
{
    gen_put(g, rec);             /* after the object: between it and its type records would be T105 */
    dx_extra_object(g, dx_free_arena(g->m, 0), dx_pick(g, 50, 0, 1) ? 12 : 0);
    return GEN_SKIP;
}
const gen_defect_ops defect_object_size = {.candidate = is_object, .apply = odd_size};

static int odd_address(gen_emitter *g, hd_record *rec)
{
    gen_put(g, rec);             /* after the object: between it and its type records would be T105 */
    dx_extra_object(g, dx_free_arena(g->m, 0) + 4, 8);
    return GEN_SKIP;
}
const gen_defect_ops defect_object_misaligned = {.candidate = is_object, .apply = odd_address};

/* H110: the data segment moved over a heap object (nothing lives in data, so nothing else moves). */
static bool data_on_object(gm_model *m, hd_entropy *e)
{
    (void)e;
    m->data.addr = m->spans.v[m->spans.n - 1].base;   /* slot 0: always a live object */
    if (m->data.len < 64)
        m->data.len = 64;
    return true;
}
const gen_defect_ops defect_object_in_segment = {.prepare = data_on_object};

/* H111: a Ptr field (object, frame, data, bss) holding an arena address in no object and no stack. */
static bool has_ptr(const gen_emitter *g, const hd_record *rec)
{
    const hd_fields *f = rec->tag == HD_TAG_FRAME ? &rec->u.frame.fields : heap_fields(g, rec) ? fields_of(rec) : NULL;
    const hd_bytes *b = rec->tag == HD_TAG_FRAME ? &rec->u.frame.contents : contents_of(rec);
    if (f == NULL || f->v != g->co.fields || b->len > HD_KEEP_CONTENTS)
        return false;
    for (uint64_t i = 0; i < f->count; i++)
        if (f->v[i].kind == HD_FK_PTR)
            return true;
    return false;
}
static int dangling(gen_emitter *g, hd_record *rec)
{
    hd_fields *f = dx_fields(g, rec);
    for (uint64_t i = 0; i < f->count; i++)
        if (g->co.fields[i].kind == HD_FK_PTR) {
            gc_put_word(g->m, g->co.buf + g->co.fields[i].offset, dx_free_arena(g->m, (unsigned)dx_pick(g, 51, 0, 64)));
            break;
        }
    return GEN_EMIT;
}
const gen_defect_ops defect_pointer_dangling = {.configure = dx_fields_on, .candidate = has_ptr, .apply = dangling};

/* H113 (go1.3): an object kind the writer never writes (dumpobjs: 0 single, 1 array, 2 channel from the
 * span's type word, 127 conservative). Nothing else reads the kind of an object. */
static int bad_kind(gen_emitter *g, hd_record *rec)
{
    static const uint64_t kinds[] = {3, 4, 5, 7, 63, 126, 128, 255, 1000};
    rec->u.object.kind = kinds[dx_pick(g, 53, 0, sizeof kinds / sizeof kinds[0] - 1)];
    return GEN_EMIT;
}
const gen_defect_ops defect_object_kind = {.candidate = is_object, .apply = bad_kind};

/* H114 (go1.3): a typed object marked conservative (kind 127), or an array / channel object without its
 * type. The object's type record is still written before it (a type record before an object need not be
 * its type in go1.3). */
static bool typed_object(const gen_emitter *g, const hd_record *rec)
{
    (void)g;
    return rec->tag == HD_TAG_OBJECT && rec->u.object.type != 0 && rec->u.object.kind <= 2;
}
static int kind_type_mismatch(gen_emitter *g, hd_record *rec)
{
    if (rec->u.object.kind != 0 && dx_pick(g, 54, 0, 1))
        rec->u.object.type = 0;
    else
        rec->u.object.kind = 127;
    return GEN_EMIT;
}
const gen_defect_ops defect_object_kind_type = {.prepare = dx_some_type, .candidate = typed_object,
                                                .apply = kind_type_mismatch};
