/* xref.c — the cross-reference ledger and the sweep that judges it (see xref.h).
 *
 * A ledger entry is two words: the key, and aux = class (2 bits) | record offset (48) | kind (6) | record index
 * modulo 256 (8). Sorted, the entries of one key come together, and inside a key in class order: ends of
 * ranges, then starts of ranges and facts, then queries; each class by record offset. The sweep keeps, beside
 * the ledger, the object index in address order and remembers the object that reaches furthest: a key is inside
 * some object exactly when it lies below that object's end. */
#include "xref.h"
#include "xsort.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CLASS_END = 0, CLASS_START = 1, CLASS_QUERY = 2 };
#define POS_MAX ((UINT64_C(1) << 48) - 1)

/* Where a key must lie (contain), when that is judged (when). */
enum { C_OBJ = 1, C_ONE_PAST = 2, C_STACK = 4, C_SEG = 8 };
enum {
    W_ALWAYS,
    W_OBJECTS,     /* the objects section is over (every object is known) and the dump has objects */
    W_COMPLETE,    /* the dump was read to its end */
    W_SEGMENTS     /* complete, has objects, data and bss */
};
#define NONE (-1)

typedef struct {
    uint8_t     cls;
    uint8_t     tag;            /* the record the entry comes from */
    int8_t      group;          /* uniqueness: entries of one group with one key; NONE */
    int16_t     dup_rule;
    const char *dup_what;
    uint8_t     when;           /* W_*: when the containment or the reference is judged */
    uint8_t     contain;
    int16_t     contain_rule;
    const char *contain_fmt;    /* one %s: the key in hex */
    int8_t      fact;           /* a kind whose entry with the same key must exist; NONE */
    bool        fact_before;    /* ... in an earlier record */
    int16_t     ref_rule;
    const char *ref_fmt;
} kind_info;

#define DUP(g, rule, what) .group = XK_##g, .dup_rule = HD_R_##rule, .dup_what = what
#define IN(where, w, rule, fmt) .contain = (where), .when = (w), .contain_rule = HD_R_##rule, .contain_fmt = fmt
#define REF(f, before, w, rule, fmt) .fact = XK_##f, .fact_before = before, .when = (w), .ref_rule = HD_R_##rule, \
                                     .ref_fmt = fmt
#define NO_DUP .group = NONE, .dup_rule = NONE
#define NO_IN .contain_rule = NONE
#define NO_REF .fact = NONE, .ref_rule = NONE
#define PTR_FMT "a pointer field holds %s, inside the arena but in no object and no dumped stack"

static const kind_info kinds[XK_COUNT] = {
    [XK_STACK_HI] = {CLASS_END, HD_TAG_GOROUTINE, NO_DUP, NO_IN, NO_REF},
    [XK_STACK_LO] = {CLASS_START, HD_TAG_GOROUTINE, NO_DUP, NO_IN, NO_REF},
    [XK_M_ADDR] = {CLASS_START, HD_TAG_OSTHREAD, DUP(M_ADDR, OSTHREAD_DUPLICATE, "OS thread M"),
                   IN(C_OBJ | C_SEG, W_SEGMENTS, OUTSIDE_DUMP, "OS thread M %s is inside no object and not in data or bss"),
                   NO_REF},
    [XK_BUCKET] = {CLASS_START, HD_TAG_MEMPROF, DUP(BUCKET, MEMPROF_DUPLICATE, "memprof bucket"), NO_IN, NO_REF},
    [XK_PTR_OBJECT] = {CLASS_QUERY, HD_TAG_OBJECT, NO_DUP, IN(C_OBJ | C_STACK, W_COMPLETE, POINTER_DANGLING, PTR_FMT), NO_REF},
    [XK_PTR_DATA] = {CLASS_QUERY, HD_TAG_DATA, NO_DUP, IN(C_OBJ | C_STACK, W_COMPLETE, POINTER_DANGLING, PTR_FMT), NO_REF},
    [XK_PTR_BSS] = {CLASS_QUERY, HD_TAG_BSS, NO_DUP, IN(C_OBJ | C_STACK, W_COMPLETE, POINTER_DANGLING, PTR_FMT), NO_REF},
    /* go1.4 passes deferArgs(d) = d + sizeof(_defer) to reflectcall: for a defer without arguments that is
     * the end of the defer object (seen in real go1.4.3 gopanic/Goexit frames). Only frames do that. */
    [XK_PTR_FRAME] = {CLASS_QUERY, HD_TAG_FRAME, NO_DUP,
                      IN(C_OBJ | C_ONE_PAST | C_STACK, W_COMPLETE, POINTER_DANGLING, PTR_FMT), NO_REF},
    [XK_G_ADDR] = {CLASS_QUERY, HD_TAG_GOROUTINE, DUP(G_ADDR, GOROUTINE_DUPLICATE, "goroutine"),
                   IN(C_OBJ, W_OBJECTS, OUTSIDE_DUMP, "goroutine address %s is inside no object record"), NO_REF},
    [XK_G_ID] = {CLASS_QUERY, HD_TAG_GOROUTINE, DUP(G_ID, GOROUTINE_ID_DUPLICATE, "goroutine id"), NO_IN, NO_REF},
    [XK_G_M] = {CLASS_QUERY, HD_TAG_GOROUTINE, NO_DUP, NO_IN,
                REF(M_ADDR, false, W_COMPLETE, GOROUTINE_M_UNKNOWN, "goroutine M %s is not the address of an OS thread record")},
    [XK_DEFER] = {CLASS_QUERY, HD_TAG_DEFER, DUP(DEFER, DEFER_DUPLICATE, "defer"), NO_IN, NO_REF},
    [XK_DEFER_OUT] = {CLASS_QUERY, HD_TAG_DEFER, DUP(DEFER, DEFER_DUPLICATE, "defer"),
                      IN(C_OBJ, W_OBJECTS, OUTSIDE_DUMP, "defer %s is inside no object and not in its goroutine's frames"),
                      NO_REF},
    [XK_PANIC] = {CLASS_QUERY, HD_TAG_PANIC, DUP(PANIC, PANIC_DUPLICATE, "panic"), NO_IN, NO_REF},
    [XK_PANIC_OUT] = {CLASS_QUERY, HD_TAG_PANIC, DUP(PANIC, PANIC_DUPLICATE, "panic"),
                      IN(C_OBJ, W_OBJECTS, OUTSIDE_DUMP, "panic %s is inside no object and not in its goroutine's frames"),
                      NO_REF},
    [XK_M_ID] = {CLASS_QUERY, HD_TAG_OSTHREAD, DUP(M_ID, OSTHREAD_ID_DUPLICATE, "OS thread id"), NO_IN, NO_REF},
    /* inner addresses are fine: tiny blocks and 1.22+ malloc headers put the object inside the slot */
    [XK_FINALIZER] = {CLASS_QUERY, HD_TAG_FINALIZER, DUP(FINALIZER, FINALIZER_DUPLICATE, "registered finalizer for object"),
                      IN(C_OBJ, W_OBJECTS, FINALIZER_NO_OBJECT, "finalizer object %s is inside no object record"), NO_REF},
    [XK_QFINAL] = {CLASS_QUERY, HD_TAG_QFINAL, NO_DUP,
                   IN(C_OBJ, W_OBJECTS, FINALIZER_NO_OBJECT, "queuedfinalizer object %s is inside no object record"), NO_REF},
    [XK_SAMPLE] = {CLASS_QUERY, HD_TAG_ALLOCSAMPLE, DUP(SAMPLE, SAMPLE_DUPLICATE, "alloc sample address"),
                   IN(C_OBJ, W_OBJECTS, SAMPLE_NO_OBJECT, "alloc sample address %s is inside no object record"), NO_REF},
    [XK_SAMPLE_BUCKET] = {CLASS_QUERY, HD_TAG_ALLOCSAMPLE, NO_DUP, NO_IN,
                          REF(BUCKET, true, W_ALWAYS, SAMPLE_BUCKET_UNKNOWN,
                              "alloc sample bucket %s is not the address of an earlier memprof record")},
};

struct xref {
    xsort   *ledger;
    objindex objs;
    uint64_t *scratch;
    uint64_t last_object_index;     /* record index of the last object */
};

struct xref *xref_new(uint64_t *scratch, bool threaded)
{
    struct xref *x = calloc(1, sizeof *x);
    if (x == NULL)
        return NULL;
    x->scratch = scratch;
    objindex_init(&x->objs);
    /* threaded: two half batches, one filled while a second core sorts and writes the other */
    if ((x->ledger = xsort_new(2, threaded ? XREF_BATCH / 2 : XREF_BATCH, threaded ? NULL : scratch, threaded)) == NULL) {
        free(x);
        return NULL;
    }
    return x;
}

void xref_free(struct xref *x)
{
    if (x == NULL)
        return;
    xsort_free(x->ledger);
    objindex_free(&x->objs);
    free(x);
}

uint64_t xref_entries(const struct xref *x) { return xsort_count(x->ledger) + x->objs.n; }
uint64_t xref_spilled(const struct xref *x) { return xsort_spilled(x->ledger); }

void xref_add(hd_checker *c, xref_kind kind, uint64_t key)
{
    uint64_t pos = c->rec->pos < POS_MAX ? c->rec->pos : POS_MAX;
    uint64_t e[2] = {key, (uint64_t)kinds[kind].cls << 62 | pos << 14 | (uint64_t)kind << 8 | (c->rec->index & 255)};

    if (c->failed == NULL && xsort_add(c->xref->ledger, e) < 0)
        ck_fail(c, xsort_error(c->xref->ledger));
}

void xref_add_object(hd_checker *c, uint64_t addr, uint64_t size)
{
    objindex_obj o = {addr, size, c->rec->pos, (uint8_t)(c->rec->index & 255)};

    c->xref->last_object_index = c->rec->index;
    if (c->failed == NULL && objindex_add(&c->xref->objs, &o, c->scratch) < 0)
        ck_fail(c, "out of memory for the object index");
}

/* ---- the sweep ---------------------------------------------------------------------------------------- */

/* End-of-file findings are sorted into file order before they are reported: 8 words each. */
enum { F_POS, F_META, F_KEY, F_X1, F_X2, F_X3, F_X4, F_WORDS = 8 };
/* F_META: rule << 48 | code << 40 | record index; code is a ledger kind or one of these */
enum { CODE_OBJECT = XK_COUNT, CODE_DATA, CODE_BSS };

typedef struct {
    hd_checker   *c;
    xsort        *findings;
    bool          when[4];          /* W_* */
    /* objects in address order */
    objindex_walk walk;
    bool          have_next, any;
    objindex_obj  next, prev, far;  /* the lookahead, the last taken, the one reaching furthest */
    uint64_t      far_end;
    bool          seg_told[2];
    /* ranges of stacks the key is in */
    uint64_t      stacks;
    /* the current key's group */
    uint64_t      key, gen;
    uint64_t      first_gen[XK_COUNT], first_pos[XK_COUNT];
    uint64_t      fact_gen[XK_COUNT], fact_pos[XK_COUNT];
} sweep;

/* record: the record's index, or for a ledger kind its index modulo 256 (completed here: findings are rare,
 * ledger entries are not). */
static void finding(sweep *s, hd_rule rule, unsigned code, uint64_t pos, uint64_t record, const uint64_t *x, size_t nx)
{
    uint64_t f[F_WORDS];

    if (code < XK_COUNT)
        record = ck_record_index(s->c, pos, (uint8_t)record);
    f[F_POS] = pos;
    f[F_META] = (uint64_t)rule << 48 | (uint64_t)code << 40 | (record & ((UINT64_C(1) << 40) - 1));
    memset(&f[F_KEY], 0, (F_WORDS - F_KEY) * sizeof *f);
    memcpy(&f[F_KEY], x, nx * sizeof *x);
    if (s->c->failed == NULL && xsort_add(s->findings, f) < 0)
        ck_fail(s->c, xsort_error(s->findings));
}

static uint64_t end_of(const objindex_obj *o)
{
    return o->addr + o->size < o->addr ? UINT64_MAX : o->addr + o->size;
}

/* O4 (the later written of two clashing records is reported) and O7, for each object in address order. */
static void take_object(sweep *s, const objindex_obj *o)
{
    hd_checker *c = s->c;
    uint64_t end = end_of(o);
    const objindex_obj *a = NULL;

    if (s->any && o->addr == s->prev.addr)
        a = &s->prev;
    else if (s->any && o->addr < s->far_end)
        a = &s->far;
    if (a != NULL) {
        const objindex_obj *first = o->pos < a->pos ? o : a, *later = o->pos < a->pos ? a : o;
        uint64_t x[5] = {later->addr, later->size, first->addr, first->size, first->pos};
        finding(s, o->addr == s->prev.addr && s->any ? HD_R_OBJECT_DUPLICATE : HD_R_OBJECT_OVERLAP, CODE_OBJECT,
                later->pos, ck_record_index(c, later->pos, later->delta), x, 5);
    }
    for (int k = 0; k < 2; k++) {
        if (!c->have_seg[k] || s->seg_told[k] || o->addr >= c->seg[k].hi || end <= c->seg[k].lo)
            continue;
        uint64_t x[5] = {c->seg[k].lo, c->seg[k].hi, o->addr, o->size, o->pos};
        s->seg_told[k] = true;
        finding(s, HD_R_OBJECT_IN_SEGMENT, CODE_DATA + (unsigned)k, c->seen[k == 0 ? HD_TAG_DATA : HD_TAG_BSS].first,
                c->seen[k == 0 ? HD_TAG_DATA : HD_TAG_BSS].first, x, 5);
    }
    if (!s->any || end > s->far_end) {
        s->far = *o;
        s->far_end = end;
    }
    s->prev = *o;
    s->any = true;
}

static void objects_upto(sweep *s, uint64_t key, bool all)
{
    while (s->have_next && (all || s->next.addr <= key)) {
        objindex_obj o = s->next;
        s->have_next = objindex_walk_next(&s->walk, &s->next);
        take_object(s, &o);
    }
}

static bool in_segment(const hd_checker *c, uint64_t a)
{
    for (int k = 0; k < 2; k++)
        if (c->have_seg[k] && a >= c->seg[k].lo && a < c->seg[k].hi)
            return true;
    return false;
}

static bool contained(const sweep *s, unsigned where, uint64_t key)
{
    if ((where & C_OBJ) && s->any && key < s->far_end)
        return true;
    if ((where & C_ONE_PAST) && s->any && key == s->far_end && s->far.addr < key)
        return true;
    if ((where & C_STACK) && s->stacks > 0)
        return true;
    return (where & C_SEG) && in_segment(s->c, key);
}

static void entry(sweep *s, const uint64_t *e)
{
    unsigned kind = (unsigned)(e[1] >> 8) & 63;
    const kind_info *k = &kinds[kind];
    uint64_t pos = (e[1] >> 14) & POS_MAX, key = e[0];
    uint64_t record = (uint8_t)e[1];     /* index mod 256: finding() completes it, for findings only */

    if (kind == XK_STACK_LO)
        s->stacks++;
    else if (kind == XK_STACK_HI)
        s->stacks -= s->stacks > 0;
    if (k->cls == CLASS_START && s->fact_gen[kind] != s->gen) {
        s->fact_gen[kind] = s->gen;
        s->fact_pos[kind] = pos;
    }
    if (k->group != NONE && s->first_gen[k->group] != s->gen) {
        s->first_gen[k->group] = s->gen;
        s->first_pos[k->group] = pos;
    } else if (k->group != NONE) {
        uint64_t x[2] = {key, s->first_pos[k->group]};
        finding(s, (hd_rule)k->dup_rule, kind, pos, record, x, 2);
    }
    if (k->contain != 0 && s->when[k->when] && !contained(s, k->contain, key))
        finding(s, (hd_rule)k->contain_rule, kind, pos, record, &key, 1);
    if (k->fact != NONE && s->when[k->when] && (s->fact_gen[k->fact] != s->gen || (k->fact_before && s->fact_pos[k->fact] >= pos)))
        finding(s, (hd_rule)k->ref_rule, kind, pos, record, &key, 1);
}

/* ---- reporting the findings in file order -------------------------------------------------------------- */

static int tag_of(unsigned code)
{
    return code < XK_COUNT ? kinds[code].tag : code == CODE_OBJECT ? HD_TAG_OBJECT : code == CODE_DATA ? HD_TAG_DATA
                                                                                                        : HD_TAG_BSS;
}

static void report(hd_checker *c, const uint64_t *f)
{
    hd_rule rule = (hd_rule)(f[F_META] >> 48);
    unsigned code = (unsigned)(f[F_META] >> 40) & 0xff;
    uint64_t pos = f[F_POS], record = f[F_META] & ((UINT64_C(1) << 40) - 1);
    int tag = tag_of(code);
    char hex[24];

    snprintf(hex, sizeof hex, "0x%" PRIx64, f[F_KEY]);
    if (rule == HD_R_OBJECT_DUPLICATE)
        ck_report_at(c, rule, pos, record, tag, "object at 0x%" PRIx64 " is written again (first record at 0x%" PRIx64
                     ")", f[F_KEY], f[F_X4]);
    else if (rule == HD_R_OBJECT_OVERLAP)
        ck_report_at(c, rule, pos, record, tag, "object [0x%" PRIx64 ", +%" PRIu64 ") overlaps the object [0x%" PRIx64
                     ", +%" PRIu64 ") of the record at 0x%" PRIx64, f[F_KEY], f[F_X1], f[F_X2], f[F_X3], f[F_X4]);
    else if (rule == HD_R_OBJECT_IN_SEGMENT)
        ck_report_at(c, rule, pos, record, tag, "the %s segment [0x%" PRIx64 ", 0x%" PRIx64 ") shares bytes with the "
                     "object [0x%" PRIx64 ", +%" PRIu64 ") at 0x%" PRIx64, hd_tag_name((unsigned)tag), f[F_KEY],
                     f[F_X1], f[F_X2], f[F_X3], f[F_X4]);
    else if ((int)rule == kinds[code].dup_rule)
        ck_report_at(c, rule, pos, record, tag, "%s %s again (first in the record at 0x%" PRIx64 ")",
                     kinds[code].dup_what, hex, f[F_X1]);
    else if ((int)rule == kinds[code].contain_rule)
        ck_report_at(c, rule, pos, record, tag, kinds[code].contain_fmt, hex);
    else
        ck_report_at(c, rule, pos, record, tag, kinds[code].ref_fmt, hex);
}

static void report_all(hd_checker *c, xsort *findings)
{
    uint64_t f[F_WORDS];
    int r;

    if (xsort_finish(findings) < 0) {
        ck_fail(c, xsort_error(findings));
        return;
    }
    while ((r = xsort_next(findings, f)) > 0)
        report(c, f);
    if (r < 0)
        ck_fail(c, xsort_error(findings));
}

/* ---- the sweep itself ------------------------------------------------------------------------------------ */

static void sweep_when(sweep *s, bool complete)
{
    const hd_checker *c = s->c;
    bool objects = c->seen[HD_TAG_OBJECT].count > 0;

    s->when[W_ALWAYS] = true;
    s->when[W_COMPLETE] = complete;
    /* every object is known once a record of a later section has come, or the dump is complete */
    s->when[W_OBJECTS] = objects && (complete || c->xref->last_object_index + 1 < c->nrecords);
    s->when[W_SEGMENTS] = complete && objects && c->have_seg[0] && c->have_seg[1];
}

void xref_resolve(hd_checker *c, bool complete)
{
    struct xref *x = c->xref;
    sweep s;
    uint64_t e[2];
    int r = 0;

    if (x == NULL || c->failed != NULL)
        return;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.gen = 1;
    sweep_when(&s, complete);
    if ((s.findings = xsort_new(F_WORDS, 4096, NULL, false)) == NULL || objindex_walk_init(&s.walk, &x->objs, x->scratch) < 0 ||
        xsort_finish(x->ledger) < 0) {
        ck_fail(c, s.findings == NULL || x->objs.n > 0 ? "out of memory for the end-of-file checks"
                                                       : xsort_error(x->ledger));
        goto out;
    }
    s.have_next = objindex_walk_next(&s.walk, &s.next);
    while (c->failed == NULL && (r = xsort_next(x->ledger, e)) > 0) {
        if (e[0] != s.key || s.gen == 1) {
            s.key = e[0];
            s.gen++;
            objects_upto(&s, s.key, false);
        }
        entry(&s, e);
    }
    if (r < 0)
        ck_fail(c, xsort_error(x->ledger));
    objects_upto(&s, 0, true);
    if (c->failed == NULL)
        report_all(c, s.findings);
out:
    objindex_walk_free(&s.walk);
    xsort_free(s.findings);
}
