/* check_types.c — type and itab records and what refers to them (FORMAT.md §5.3, T1–T10).
 *
 * Two indexes, both compact open-addressing maps (addrmap): type address → 64-bit hash of (size, name,
 * bool) for T1, itab addresses for T7/T10. Memory grows with the number of distinct types and itabs only.
 * The pending run of type records (for T4, T5) is a fixed buffer: a longer run is still counted, only the
 * types beyond the buffer are not matched one by one. */
#include "check_internal.h"
#include "addrmap.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define RUN_MAX 512u

typedef struct { uint64_t addr; uint32_t k; bool matched; } run_entry;

/* The run itself (its length, first record) is the checker's c->run; this family keeps the addresses of its
 * first RUN_MAX types, to match them against what the record after the run names. */
typedef struct {
    addrmap   types;          /* type address -> hash of its first record */
    addrmap   itabs;          /* itab address -> 0 */
    run_entry run[RUN_MAX];   /* the pending run of type records, in file order */
} types_state;

static void types_init(hd_checker *c, void *st)
{
    types_state *t = st;
    (void)c;
    addrmap_init(&t->types, 8);
    addrmap_init(&t->itabs, 4);
}

static void types_free(void *st)
{
    types_state *t = st;
    addrmap_free(&t->types);
    addrmap_free(&t->itabs);
}

/* Insert, or ck_fail: a lost entry would turn into false T102/T106/T110 findings. */
static int map_add(hd_checker *c, addrmap *m, uint64_t key, uint64_t val, uint64_t *old)
{
    int r = addrmap_add(m, key, val, old);
    if (r < 0)
        ck_fail(c, "out of memory for the type and itab index");
    return r;
}

/* FNV-1a over the fields a repeated type record must repeat (T1); the name by its kept prefix and its
 * full length. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

static uint64_t type_hash(const hd_record *rec)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    uint8_t b = rec->u.type.indirect;
    h = fnv(h, &rec->u.type.size, sizeof rec->u.type.size);
    h = fnv(h, &rec->u.type.name.len, sizeof rec->u.type.name.len);
    h = fnv(h, &b, 1);
    return rec->u.type.name.kept > 0 ? fnv(h, rec->u.type.name.p, (size_t)rec->u.type.name.kept) : h;
}

/* T12, go1.3: a type's field list is played from its GC program over one value of the type, in order. */
static void go13_type_fields(hd_checker *c, const hd_record *rec)
{
    const hd_fields *fl = &rec->u.type.fields;
    static const struct { size_t off; const char *what; } faults[] = {
        {offsetof(hd_fields, unsorted), "does not come after the previous field"},
        {offsetof(hd_fields, overlap), "starts inside the previous multi-word field"},
        {offsetof(hd_fields, misaligned), "is not a multiple of the pointer size"},
        {offsetof(hd_fields, outside), "runs past the type's size"},
    };

    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        const hd_field_fault *f = (const hd_field_fault *)(const void *)((const char *)fl + faults[i].off);
        if (f->index != HD_NONE) {
            ck_report(c, HD_R_TYPE_FIELDS, f->pos, "type 0x%" PRIx64 " (size %" PRIu64 ") field #%" PRIu64 " at offset %"
                      PRIu64 " %s", rec->u.type.addr, rec->u.type.size, f->index, f->offset, faults[i].what);
            return;
        }
    }
}

static void on_type(hd_checker *c, types_state *t, const hd_record *rec)
{
    uint64_t h = type_hash(rec), old;

    if (c->layout == HD_V13)
        go13_type_fields(c, rec);

    if (rec->u.type.name.len == 0)
        ck_report(c, HD_R_TYPE_NAME_EMPTY, rec->u.type.name.pos, "type 0x%" PRIx64 " has an empty name", rec->u.type.addr);
    /* go1.3's bool is "size > ptrsize or has pointers", legitimately 0 for small scalars; from go1.4 on it is
     * "indirect or has pointers", which every type that reaches a dump satisfies in practice. */
    if (c->layout != HD_V13 && !rec->u.type.indirect)
        ck_report(c, HD_R_TYPE_BOOL_FALSE, rec->pos, "type 0x%" PRIx64 " has pointer bool 0", rec->u.type.addr);
    if (map_add(c, &t->types, rec->u.type.addr, h, &old) == 0 && old != h)
        ck_report(c, HD_R_TYPE_CONFLICT, rec->pos, "type 0x%" PRIx64 " repeats with a different size, name or bool "
                  "than its earlier record (descriptors are read-only)", rec->u.type.addr);
    if (c->run.len < RUN_MAX) {
        t->run[c->run.len].addr = rec->u.type.addr;
        t->run[c->run.len].k = (uint32_t)c->run.len;
        t->run[c->run.len].matched = false;
    }
}

static void on_itab(hd_checker *c, types_state *t, const hd_record *rec)
{
    uint64_t addr = rec->u.itab.addr, type = rec->u.itab.type;
    bool named_by_prev = true;

    if (map_add(c, &t->itabs, addr, 0, NULL) == 0)
        ck_report(c, HD_R_ITAB_DUPLICATE, rec->pos, "a second itab record for 0x%" PRIx64, addr);
    if (c->layout == HD_V13)
        return;   /* go1.3 itabs carry a bool, not a type */
    if (c->layout == HD_V17 && type == 0)
        ck_report(c, HD_R_ITAB_TYPE_ZERO, rec->pos, "itab 0x%" PRIx64 " has type 0 (go1.7+ write the dynamic type, "
                  "never nil)", addr);
    /* itab_callback writes the itab's type (unless cached) just before the itab: a type record right before
     * it is that type. Longer runs are O104's; the last type is the one that must match. */
    if (c->run.len > 0 && c->run.len <= RUN_MAX && t->run[c->run.len - 1].addr != type) {
        named_by_prev = false;
        ck_report(c, HD_R_TYPE_NOT_ITABS, rec->pos, "the type record just before itab 0x%" PRIx64 " is 0x%" PRIx64
                  ", but the itab names type 0x%" PRIx64, addr, t->run[c->run.len - 1].addr, type);
    }
    if (type != 0 && named_by_prev && !addrmap_get(&t->types, type, NULL))
        ck_report(c, HD_R_ITAB_TYPE_MISSING, rec->pos, "itab 0x%" PRIx64 " names type 0x%" PRIx64 ", which has no type "
                  "record before it", addr, type);
}

/* What a scan of one record's Iface/Eface fields found. */
typedef struct {
    uint64_t efaces;          /* Eface fields with a readable, non-zero type word */
    bool     unreadable;      /* some Eface field's word is beyond the contents or the kept prefix */
    uint64_t missing_type, missing_type_at, n_missing_type;     /* T6 */
    uint64_t missing_itab, missing_itab_at, n_missing_itab;     /* T10 */
} scan_result;

static int cmp_run(const void *a, const void *b)
{
    const run_entry *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void mark_in_run(types_state *t, size_t n, uint64_t w)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->run[mid].addr < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && t->run[lo].addr == w; lo++)
        t->run[lo].matched = true;
}

static void scan_fields(hd_checker *c, types_state *t, const hd_bytes *b, const hd_fields *fl, scan_result *r)
{
    unsigned eface = c->layout == HD_V13 ? HD_FK13_EFACE : HD_FK14_EFACE;
    size_t nrun = c->run.len < RUN_MAX ? (size_t)c->run.len : RUN_MAX;

    memset(r, 0, sizeof *r);
    r->unreadable = fl->nkept < fl->count;
    for (uint32_t i = 0; i < fl->nkept; i++) {
        const hd_field *f = &fl->v[i];
        uint64_t w;
        if (f->kind != eface && (c->layout != HD_V14 || f->kind != HD_FK14_IFACE))
            continue;
        if (f->offset >= b->len || !hd_bytes_word(b, f->offset, c->ptrsize, c->big_endian, &w)) {
            r->unreadable |= f->kind == eface;
            continue;
        }
        if (w == 0)
            continue;
        if (f->kind == eface) {
            r->efaces++;
            mark_in_run(t, nrun, w);
            if (!addrmap_get(&t->types, w, NULL) && r->n_missing_type++ == 0) {
                r->missing_type = w;
                r->missing_type_at = b->pos + f->offset;
            }
        } else if (!addrmap_get(&t->itabs, w, NULL) && r->n_missing_itab++ == 0) {
            r->missing_itab = w;
            r->missing_itab_at = b->pos + f->offset;
        }
    }
}

/* T5: every type of the run is the type word of one of the record's Eface fields (dumpbvtypes writes one
 * type per Eface field, skipping cached ones). Needs every Eface field readable to judge. */
static void check_run(hd_checker *c, types_state *t, const hd_record *rec, const scan_result *r)
{
    size_t nrun = c->run.len < RUN_MAX ? (size_t)c->run.len : RUN_MAX;
    const run_entry *miss = NULL;

    if (r->unreadable)
        return;
    for (size_t i = 0; i < nrun; i++)
        if (!t->run[i].matched && (miss == NULL || t->run[i].k < miss->k))
            miss = &t->run[i];
    if (miss != NULL)
        ck_report(c, HD_R_TYPE_RUN_MISMATCH, rec->pos, "type record #%" PRIu64 " (0x%" PRIx64 ") just before this %s "
                  "is the type of none of its %" PRIu64 " non-nil Eface fields", c->run.first + miss->k, miss->addr,
                  hd_tag_name(rec->tag), r->efaces);
    else if (c->run.len > r->efaces)
        ck_report(c, HD_R_TYPE_RUN_MISMATCH, rec->pos, "%" PRIu64 " type records just before this %s, which has only %"
                  PRIu64 " non-nil Eface fields (one type is written per field)", c->run.len, hd_tag_name(rec->tag),
                  r->efaces);
}

static void on_fields_record(hd_checker *c, types_state *t, const hd_record *rec)
{
    const hd_bytes *b = rec->tag == HD_TAG_OBJECT ? &rec->u.object.contents
                      : rec->tag == HD_TAG_FRAME ? &rec->u.frame.contents : &rec->u.segment.contents;
    const hd_fields *fl = rec->tag == HD_TAG_OBJECT ? &rec->u.object.fields
                        : rec->tag == HD_TAG_FRAME ? &rec->u.frame.fields : &rec->u.segment.fields;
    scan_result r;

    /* go1.4 writes Eface types before objects, frames, data and bss; go1.3 only before frames (go1.3 objects
     * have no field list, and its data/bss Eface types are never written). */
    if (c->ptrsize == 0 || (c->layout == HD_V13 && rec->tag != HD_TAG_FRAME))
        return;
    if (c->run.len > 0)
        qsort(t->run, c->run.len < RUN_MAX ? (size_t)c->run.len : RUN_MAX, sizeof t->run[0], cmp_run);
    scan_fields(c, t, b, fl, &r);
    if (c->run.len > 0 && c->layout == HD_V14)
        check_run(c, t, rec, &r);
    if (r.n_missing_type > 0)
        ck_report(c, HD_R_EFACE_TYPE_MISSING, r.missing_type_at, "Eface type word 0x%" PRIx64 " has no type record "
                  "before this %s (%" PRIu64 " such field%s)", r.missing_type, hd_tag_name(rec->tag),
                  r.n_missing_type, r.n_missing_type == 1 ? "" : "s");
    if (r.n_missing_itab > 0)
        ck_report(c, HD_R_IFACE_ITAB_MISSING, r.missing_itab_at, "Iface itab word 0x%" PRIx64 " is not the address of "
                  "an itab record (%" PRIu64 " such field%s in this %s)", r.missing_itab, r.n_missing_itab,
                  r.n_missing_itab == 1 ? "" : "s", hd_tag_name(rec->tag));
}

/* T11, go1.3: dumpobj calls dumptype(type) just before the object; the type cache only skips types already
 * written, so a non-zero type always has a record earlier in the file. */
static void go13_object_type(hd_checker *c, types_state *t, const hd_record *rec)
{
    uint64_t type = rec->u.object.type;
    if (type != 0 && !addrmap_get(&t->types, type, NULL))
        ck_report(c, HD_R_OBJECT_TYPE_MISSING, rec->pos, "object 0x%" PRIx64 " has type 0x%" PRIx64 ", which has no type "
                  "record before it", rec->u.object.addr, type);
}

static void types_record(hd_checker *c, void *st, const hd_record *rec)
{
    types_state *t = st;
    bool has_fields = c->layout <= HD_V14 && (rec->tag == HD_TAG_OBJECT || rec->tag == HD_TAG_FRAME ||
                                              rec->tag == HD_TAG_DATA || rec->tag == HD_TAG_BSS);

    if (rec->tag == HD_TAG_TYPE)
        on_type(c, t, rec);
    else if (rec->tag == HD_TAG_OBJECT && c->layout == HD_V13)
        go13_object_type(c, t, rec);
    else if (rec->tag == HD_TAG_ITAB)
        on_itab(c, t, rec);
    else if (has_fields)
        on_fields_record(c, t, rec);
}

const ck_family ck_types_family = {
    .name = "types",
    .tags = HD_TAGMASK(HD_TAG_TYPE) | HD_TAGMASK(HD_TAG_ITAB) | HD_TAGMASK(HD_TAG_OBJECT) | HD_TAGMASK(HD_TAG_FRAME) |
            HD_TAGMASK(HD_TAG_DATA) | HD_TAGMASK(HD_TAG_BSS),
    .size = sizeof(types_state), .init = types_init, .on_record = types_record, .on_free = types_free,
};
