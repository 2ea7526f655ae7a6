/* defects_t.c — defects for type and itab records and the iface/eface words that refer to them (T1xx). */
#include "defects.h"

#include <stdlib.h>
#include <string.h>

static bool is_itab(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_ITAB; }

/* An itab right after its own type record / one whose type was a cache hit (no type record before it). */
static bool itab_after_type(const gen_emitter *g, const hd_record *rec)
{
    return rec->tag == HD_TAG_ITAB && g->last_tag == HD_TAG_TYPE;
}
static bool itab_alone(const gen_emitter *g, const hd_record *rec)
{
    return rec->tag == HD_TAG_ITAB && g->last_tag != HD_TAG_TYPE && rec->u.itab.type != 0;
}

/* A second itab for the type of the first, right after it: the cache hit leaves it without a type record. */
static bool twin_itab(gm_model *m, hd_entropy *e)
{
    uint32_t t = dx_emitted_type(m, e);
    for (uint32_t i = 0; i < m->itabs.n; i++) {
        gm_itab *it = &m->itabs.v[i];
        if (it->type == t || m->types.v[it->type].ptrto == t) {
            gm_itab twin = *it;
            twin.addr = m->offheap_lo;
            m->offheap_lo += 0x1000;
            *GM_PUSH(&m->itabs) = twin;
            memmove(m->itabs.v + i + 2, m->itabs.v + i + 1, (m->itabs.n - i - 2) * sizeof *m->itabs.v);
            m->itabs.v[i + 1] = twin;
            return true;
        }
    }
    return false;
}

/* T101: two model types share an address but not a name: both are written, and differ. */
static bool shared_address(gm_model *m, hd_entropy *e)
{
    uint32_t a = dx_emitted_type(m, e), b;
    if (m->cfg.layout == HD_V13) {
        /* another span's objects get another type that fits them (the span with `a` keeps it) */
        uint32_t j = 0;
        while (j < m->spans.n && m->spans.v[j].type13 != a)
            j++;
        gm_span *s = &m->spans.v[(j + 1) % m->spans.n];
        b = GM_NONE;
        for (uint32_t t = 0; t < m->types.n && b == GM_NONE; t++)
            if (t != a && m->types.v[t].size <= s->elemsize && !m->types.v[t].has_eface)
                b = t;
        if (b == GM_NONE)
            return false;
        s->type13 = b;
        s->kind13 = 0;
    } else {
        /* a second itab, naming another pointer-shaped type */
        b = GM_NONE;
        for (uint32_t t = 0; t < m->types.n && b == GM_NONE; t++)
            if (t != a && m->types.v[t].direct_iface)
                b = t;
        if (b == GM_NONE)
            return false;
        gm_itab *it = GM_PUSH(&m->itabs);
        it->addr = m->offheap_lo;
        it->type = b;
        m->offheap_lo += 0x1000;
    }
    m->types.v[b].addr = m->types.v[a].addr;
    if (m->types.v[b].name_len == m->types.v[a].name_len && m->types.v[b].size == m->types.v[a].size)
        m->types.v[b].size += m->ps;
    return true;
}
const gen_defect_ops defect_type_conflict = {.prepare = shared_address};

/* T102: an itab that follows no type record names a type never written. */
static int unwritten_type(gen_emitter *g, hd_record *rec)
{
    rec->u.itab.type = g->m->rodata_lo + 8 * dx_pick(g, 40, 1, 64);   /* past every descriptor */
    return GEN_EMIT;
}
const gen_defect_ops defect_itab_type_missing = {.prepare = twin_itab, .candidate = itab_alone, .apply = unwritten_type};

/* T103: go1.7: an itab (one without a type record before it) with type 0. */
static int zero_type(gen_emitter *g, hd_record *rec)
{
    (void)g;
    rec->u.itab.type = 0;
    return GEN_EMIT;
}
const gen_defect_ops defect_itab_type_zero = {.prepare = twin_itab, .candidate = itab_alone, .apply = zero_type};

/* T104: an itab that names another type than the type record just before it. */
static int other_type(gen_emitter *g, hd_record *rec)
{
    const gm_model *m = g->m;
    uint64_t t = m->types.v[dx_pick(g, 41, 0, m->types.n - 1)].addr;
    rec->u.itab.type = t != rec->u.itab.type ? t : m->rodata_lo + 8;
    return GEN_EMIT;
}
const gen_defect_ops defect_type_not_itabs = {.prepare = dx_some_type, .candidate = itab_after_type, .apply = other_type};

/* T105: go1.4: a type record before an object that is the type of none of its Eface fields. */
static bool small_object(const gen_emitter *g, const hd_record *rec)
{
    (void)g;
    return rec->tag == HD_TAG_OBJECT && rec->u.object.contents.len <= HD_KEEP_CONTENTS;
}
static int stray_type(gen_emitter *g, hd_record *rec)
{
    static const char name[] = "main.stray";
    hd_record r;
    (void)rec;
    /* a type at an address no model type has: the type of none of the object's Eface fields */
    gen_type_record(g, 0, &r);
    r.u.type.addr = g->m->rodata_lo + 8 * dx_pick(g, 42, 1, 64);
    r.u.type.name.len = r.u.type.name.kept = sizeof name - 1;
    r.u.type.name.p = (const uint8_t *)name;
    gen_put(g, &r);
    return GEN_EMIT;
}
const gen_defect_ops defect_type_run_mismatch = {.candidate = small_object, .apply = stray_type};

/* T106, T110: a new Eface field whose type word no type record names (go1.4 objects, frames, data, bss;
 * go1.3 frames), or a new Iface field whose itab word is no itab (go1.4), on two free words of the
 * contents (or on a Ptr field whose next word is free, widened). Its data word is 0, and the type run
 * before the record (for its other Eface fields) still matches. */
typedef struct { uint64_t index, offset; bool widen; } slot2;

static bool free_pair(const gen_emitter *g, const hd_record *rec, slot2 *out)
{
    const hd_fields *f = rec->tag == HD_TAG_OBJECT ? &rec->u.object.fields
                       : rec->tag == HD_TAG_FRAME ? &rec->u.frame.fields
                       : rec->tag == HD_TAG_DATA || rec->tag == HD_TAG_BSS ? &rec->u.segment.fields : NULL;
    const hd_bytes *b = rec->tag == HD_TAG_OBJECT ? &rec->u.object.contents
                      : rec->tag == HD_TAG_FRAME ? &rec->u.frame.contents : &rec->u.segment.contents;
    uint64_t ps = g->m->ps, end = 0;
    if (f == NULL || f->v != g->co.fields || b->len > HD_KEEP_CONTENTS || f->count != f->nkept)
        return false;
    if (g->layout == HD_V13 && rec->tag != HD_TAG_FRAME)
        return false;                       /* go1.3 checks Eface types in frames only */
    /* walk the gaps between fields: a Ptr followed by a free word, or two free words */
    for (uint64_t i = 0; i <= f->count; i++) {
        uint64_t next = i < f->count ? f->v[i].offset : b->len;
        if (next >= end + 2 * ps && end + 2 * ps <= b->len) {
            out->index = i;
            out->offset = end;
            out->widen = false;
            return true;
        }
        if (i == f->count)
            break;
        if (f->v[i].kind == HD_FK_PTR && f->v[i].offset + 2 * ps <= b->len &&
            (i + 1 == f->count ? b->len : f->v[i + 1].offset) >= f->v[i].offset + 2 * ps) {
            out->index = i;
            out->offset = f->v[i].offset;
            out->widen = true;
            return true;
        }
        end = f->v[i].offset + ps * hd_field_kind_words(g->layout, f->v[i].kind);
    }
    return false;
}
static bool can_promote(const gen_emitter *g, const hd_record *rec)
{
    slot2 s;
    return free_pair(g, rec, &s);
}

static int promote(gen_emitter *g, hd_record *rec, unsigned kind, uint64_t word)
{
    slot2 s;
    hd_fields *f = dx_fields(g, rec);
    uint8_t *w;
    free_pair(g, rec, &s);
    if (!s.widen) {
        memmove(g->co.fields + s.index + 1, g->co.fields + s.index, (f->count - s.index) * sizeof *g->co.fields);
        f->count++;
        f->nkept++;
    }
    g->co.fields[s.index].kind = (uint8_t)kind;
    g->co.fields[s.index].offset = s.offset;
    w = g->co.buf + s.offset;
    gc_put_word(g->m, w, word);
    gc_put_word(g->m, w + g->m->ps, 0);
    return GEN_EMIT;
}
static int bad_eface(gen_emitter *g, hd_record *rec)
{
    return promote(g, rec, g->layout == HD_V13 ? HD_FK13_EFACE : HD_FK14_EFACE,
                   g->m->rodata_lo + 8 * dx_pick(g, 43, 1, 64));
}
static int bad_iface(gen_emitter *g, hd_record *rec)
{
    return promote(g, rec, HD_FK14_IFACE, g->m->offheap_lo + 8 * dx_pick(g, 44, 1, 64));
}
const gen_defect_ops defect_eface_type_missing = {.configure = dx_fields_on, .prepare = dx_more_frames,
                                                  .candidate = can_promote, .apply = bad_eface};
const gen_defect_ops defect_iface_itab_missing = {.configure = dx_fields_on, .prepare = dx_more_frames,
                                                  .candidate = can_promote, .apply = bad_iface};

/* T107: an itab record written twice. */
static int itab_twice(gen_emitter *g, hd_record *rec)
{
    gen_put(g, rec);
    return GEN_EMIT;
}
static bool has_itab(gm_model *m, hd_entropy *e)
{
    (void)e;
    dx_ensure_itab(m);
    return true;
}
const gen_defect_ops defect_itab_duplicate = {.prepare = has_itab, .candidate = is_itab, .apply = itab_twice};

/* T108, T109: a written type's bool is 0 / its name empty, in every record of it (so T1 still holds). */
static bool bool_false(gm_model *m, hd_entropy *e)
{
    m->types.v[dx_emitted_type(m, e)].bool_false = true;
    return true;
}
static bool name_empty(gm_model *m, hd_entropy *e)
{
    m->types.v[dx_emitted_type(m, e)].name_len = 0;
    return true;
}
const gen_defect_ops defect_type_bool_false = {.prepare = bool_false};
const gen_defect_ops defect_type_name_empty = {.prepare = name_empty};

/* T111 (go1.3): an object (not a conservative one: with a type that would also be H114) whose type is an
 * address no type record has. */
static bool typable_object(const gen_emitter *g, const hd_record *rec)
{
    (void)g;
    return rec->tag == HD_TAG_OBJECT && rec->u.object.kind <= 2;
}
static int unwritten_object_type(gen_emitter *g, hd_record *rec)
{
    rec->u.object.type = g->m->rodata_lo + 8 * dx_pick(g, 45, 1, 64);   /* past every descriptor */
    return GEN_EMIT;
}
const gen_defect_ops defect_object_type_missing = {.candidate = typable_object, .apply = unwritten_object_type};

/* T112 (go1.3): one type record whose field list is out of order (an entry written twice in a row) or runs
 * past the type's size (one more Ptr field at offset size). Written from a copy: the model's list is shared
 * by every record of the type. Other records of the same type (cache evictions) stay right. */
static bool is_type(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_TYPE; }
static int type_fields_broken(gen_emitter *g, hd_record *rec)
{
    uint64_t n = rec->u.type.fields.count;
    hd_field *v = malloc((n + 1) * sizeof *v);
    hd_record r = *rec;
    if (v == NULL)
        return GEN_EMIT;                    /* out of memory: test_inject would say the rule did not fire */
    if (n > 0)
        memcpy(v, rec->u.type.fields.v, n * sizeof *v);
    if (n > 0 && dx_pick(g, 46, 0, 1)) {
        uint64_t i = dx_pick(g, 47, 0, n - 1);
        memmove(v + i + 1, v + i, (n - i) * sizeof *v);
    } else {
        v[n].kind = HD_FK_PTR;
        v[n].offset = rec->u.type.size;
    }
    r.u.type.fields = hd_fields_of(v, (uint32_t)n + 1);
    gen_put(g, &r);
    free(v);
    return GEN_SKIP;
}
const gen_defect_ops defect_type_fields = {.prepare = dx_some_type, .candidate = is_type, .apply = type_fields_broken};
