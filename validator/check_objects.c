/* check_objects.c — the heap family's entry point, heap objects (FORMAT.md §5.4 O1–O7) and the
 * "pointers into the arena land in an object" check.
 *
 * Objects are indexed as they come (objindex: 16 bytes each); overlaps are found by one address-order
 * walk at the end. Pointer values read from object, frame, data and bss fields that fall in the arena are
 * kept and resolved against the objects and the goroutines' stacks; most are resolved as soon as the
 * objects section ends, so only the few that point into stacks (or nowhere) are carried to the end. */
#include "check_objects.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small shared helpers --------------------------------------------------------------------- */

int ck_vec_push(void **v, size_t *n, size_t *cap, size_t sz, const void *elem)
{
    if (*n == *cap) {
        size_t ncap = *cap < 16 ? 16 : *cap * 2;
        void *p = ncap <= SIZE_MAX / sz ? realloc(*v, ncap * sz) : NULL;
        if (p == NULL)
            return -1;
        *v = p;
        *cap = ncap;
    }
    memcpy((char *)*v + *n * sz, elem, sz);
    (*n)++;
    return 0;
}

int ck_map_add(struct ck_heap *h, addrmap *m, uint64_t key, uint64_t val, uint64_t *old)
{
    int r = addrmap_add(m, key, val, old);
    if (r < 0)
        h->lossy = true;
    return r;
}

void ck_unique(hd_checker *c, addrmap *m, hd_rule rule, const char *what, uint64_t key, uint64_t pos)
{
    uint64_t first;
    if (ck_map_add(c->heap, m, key, pos, &first) == 0)
        ck_report(c, rule, pos, "%s 0x%" PRIx64 " again (first in the record at 0x%" PRIx64 ")", what, key, first);
}

void ck_report_capped(hd_checker *c, hd_rule rule, uint64_t pos, const char *fmt, ...)
{
    char msg[HD_DIAG_MSG_MAX];
    va_list ap;

    if (c->heap->nreported[rule]++ >= CK_REPORT_CAP)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ck_report(c, rule, pos, "%s", msg);
}

/* After the end-of-file checks: one line per rule that went past its cap. */
static void report_cap_summaries(hd_checker *c, uint64_t end)
{
    for (unsigned r = 0; r < HD_RULE_COUNT; r++)
        if (c->heap->nreported[r] > CK_REPORT_CAP)
            ck_report(c, (hd_rule)r, end, "%u more like the above were not shown",
                      c->heap->nreported[r] - CK_REPORT_CAP);
}

/* ---- field lists (objects, data, bss) ---------------------------------------------------------- */

/* Words of the field at index i, 1 when it was not kept. */
static unsigned field_words(const hd_checker *c, const hd_fields *fl, uint64_t i)
{
    unsigned w = i < fl->nkept ? hd_field_kind_words(c->layout, fl->v[i].kind) : 1;
    return w == 0 ? 1 : w;
}

/* O1/O2: the reader found the first violation of each shape property; a multi-word field's violation
 * of the width (overlap, or outside only because of its extra words) is O2. */
void heap_field_shape(hd_checker *c, const hd_record *rec, const hd_fields *fl, const char *what)
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
        bool word_fits = f->offset <= UINT64_MAX - ps && f->offset + ps <= (rec->tag == HD_TAG_OBJECT
                         ? rec->u.object.contents.len : rec->u.segment.contents.len);
        ck_report(c, w > 1 && word_fits ? HD_R_FIELD_MULTIWORD : HD_R_FIELD_OUTSIDE, f->pos,
                  "%s field #%" PRIu64 " at offset %" PRIu64 " (%u word%s) runs past the %" PRIu64
                  "-byte contents", what, f->index, f->offset, w, w > 1 ? "s" : "",
                  rec->tag == HD_TAG_OBJECT ? rec->u.object.contents.len : rec->u.segment.contents.len);
    }
}

/* ---- pointer values ----------------------------------------------------------------------------- */

/* A pointer held in a stack frame may also sit just past an object's end: go1.4 (and later releases before
 * open-coded defers' args went away) pass deferArgs(d) = d + sizeof(_defer) to reflectcall, which for a
 * defer without arguments is the end of the 48-byte defer object (seen in real go1.4.3 gopanic/Goexit
 * frames). Nothing of the kind holds for objects and segments: there a one-past pointer is dangling. */
static bool points_into_object(hd_checker *c, uint64_t v, bool from_frame)
{
    return heap_in_object(c, v) || (from_frame && v > 0 && heap_in_object(c, v - 1));
}

static bool in_arena(const struct ck_heap *h, uint64_t v)
{
    return h->arena_hi > h->arena_lo && v >= h->arena_lo && v < h->arena_hi;
}

/* Pending pointers in file order, for the final report. */
static void swap_halves(objindex_pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t t = p[i].key;
        p[i].key = p[i].val;
        p[i].val = t;
    }
}

/* Drop the pending values that land in an object (a merge of two sorted arrays). Final: also those in a
 * stack, and report the rest if the dump is complete (a truncated one lacks what they may point to). */
static void ptrs_resolve(hd_checker *c, bool final, bool complete)
{
    struct ck_heap *h = c->heap;
    size_t k = 0;

    if (h->nptrs == 0)
        return;
    objindex_sort_pairs(h->ptrs, h->nptrs);
    /* pending values come from objects (frames come after every object and are settled at once) */
    h->nptrs = objindex_keep_uncovered(&h->objs, h->ptrs, h->nptrs, false);
    /* resolving must leave room to work: if it freed less than a quarter of the cap, collect nothing more
     * until the next resolve (the end of the objects section), rather than resolving ever more often */
    h->ptrs_full = h->nptrs > CK_PTRS_CAP / 4 * 3;
    if (!final)
        return;
    for (size_t i = 0; i < h->nptrs; i++)
        if (!heap_in_stack(c, h->ptrs[i].key))
            h->ptrs[k++] = h->ptrs[i];
    swap_halves(h->ptrs, k);
    objindex_sort_pairs(h->ptrs, k);
    for (size_t i = 0; i < k && complete && heap_objects_complete(c) && !h->lossy; i++)
        ck_report_capped(c, HD_R_POINTER_DANGLING, h->ptrs[i].key, "a pointer field of the record at 0x%" PRIx64
                         " holds 0x%" PRIx64 ", inside the arena but in no object and no dumped stack",
                         h->ptrs[i].key, h->ptrs[i].val);
    h->nptrs = 0;
}

static void ptrs_add(hd_checker *c, uint64_t v, uint64_t pos, bool from_frame)
{
    struct ck_heap *h = c->heap;
    objindex_pair p = {v, pos};

    if (!h->in_objects && points_into_object(c, v, from_frame))
        return;                       /* the objects are all known: settled at once */
    if (h->nptrs >= CK_PTRS_CAP && !h->ptrs_full)
        ptrs_resolve(c, false, false);
    if (h->ptrs_full || h->nptrs >= CK_PTRS_CAP ||
        ck_vec_push((void **)&h->ptrs, &h->nptrs, &h->capptrs, sizeof *h->ptrs, &p) < 0) {
        h->ptrs_dropped++;
        return;
    }
    if (h->capptrs * sizeof *h->ptrs > h->peak_ptr_bytes)
        h->peak_ptr_bytes = h->capptrs * sizeof *h->ptrs;
}

/* Collect the arena pointers held by the fields of a record's contents. */
void heap_field_pointers(hd_checker *c, const hd_record *rec, const hd_bytes *b, const hd_fields *fl)
{
    for (uint32_t i = 0; i < fl->nkept && c->ptrsize != 0; i++) {
        int w = hd_field_kind_pointer_word(c->layout, fl->v[i].kind);
        uint64_t v;
        if (w < 0 || fl->v[i].offset > UINT64_MAX - (uint64_t)w * c->ptrsize ||
            !hd_bytes_word(b, fl->v[i].offset + (uint64_t)w * c->ptrsize, c->ptrsize, c->big_endian, &v))
            continue;
        if (in_arena(c->heap, v))
            ptrs_add(c, v, rec->pos, rec->tag == HD_TAG_FRAME);
    }
}

bool heap_in_object(hd_checker *c, uint64_t a)
{
    return objindex_find(&c->heap->objs, a, NULL);
}

/* Can "in no object" be said? Not if an object was lost (out of memory) or came after other sections
 * (then lookups see only the objects before it, see objindex_freeze). */
bool heap_objects_complete(const hd_checker *c)
{
    return !c->heap->objs.lossy && !c->heap->late_objects;
}

/* L1 needs the heap in the dump: every real dump has objects (at least the G and M structures), so a
 * dump without any (a synthetic one) says nothing about where things live. */
bool heap_l1_applies(const hd_checker *c)
{
    return c->seen[HD_TAG_OBJECT].count > 0 && heap_objects_complete(c);
}

/* ---- records ------------------------------------------------------------------------------------- */

static void on_params(hd_checker *c, const hd_record *rec)
{
    struct ck_heap *h = c->heap;
    const hd_bytes *a = &rec->u.params.arch;
    const hd_arch *arch = rec->u.params.arch_is_string ? (a->kept == a->len ? hd_arch_by_goarch(a->p, (size_t)a->len) : NULL)
                                                        : hd_arch_by_code(rec->u.params.arch_code);

    if (c->seen[HD_TAG_PARAMS].count != 1)
        return;
    h->arena_lo = rec->u.params.arena_start;
    h->arena_hi = rec->u.params.arena_end;
    h->x86 = arch != NULL && (arch->flags & HD_AF_X86);
}

static void on_object(hd_checker *c, const hd_record *rec)
{
    struct ck_heap *h = c->heap;
    uint64_t a = rec->u.object.addr, n = rec->u.object.contents.len;

    if (n == 0 || n % 8 != 0)
        ck_report(c, HD_R_OBJECT_SIZE, rec->u.object.contents.pos, "object at 0x%" PRIx64 " has %" PRIu64
                  " bytes of contents: size classes are non-zero multiples of 8", a, n);
    if (a % 8 != 0)
        ck_report(c, HD_R_OBJECT_MISALIGNED, rec->pos, "object address 0x%" PRIx64 " is not a multiple of 8", a);
    if (h->arena_hi > h->arena_lo && (a < h->arena_lo || a > h->arena_hi || h->arena_hi - a < n))
        ck_report(c, HD_R_OBJECT_OUTSIDE_ARENA, rec->pos, "object [0x%" PRIx64 ", +%" PRIu64 ") is not inside the arena"
                  " [0x%" PRIx64 ", 0x%" PRIx64 ")", a, n, h->arena_lo, h->arena_hi);
    if (c->layout != HD_V13)
        heap_field_shape(c, rec, &rec->u.object.fields, "object");
    if (h->objects_ended && !h->late_objects) {
        h->late_objects = true;
        objindex_freeze(&h->objs, true);
    }
    objindex_add(&h->objs, a, n, rec->pos);
    h->in_objects = true;
    if (c->layout != HD_V13)
        heap_field_pointers(c, rec, &rec->u.object.contents, &rec->u.object.fields);
}

/* O7: no object shares a byte with the data or bss segment (both come after every object). */
static void objects_vs_segment(hd_checker *c, const hd_record *rec)
{
    objindex_obj o;
    uint64_t lo = rec->u.segment.addr, len = rec->u.segment.contents.len;
    uint64_t hi = lo + len < lo ? UINT64_MAX : lo + len;

    if (objindex_find_range(&c->heap->objs, lo, hi, &o))
        ck_report(c, HD_R_OBJECT_IN_SEGMENT, rec->pos, "the %s segment [0x%" PRIx64 ", 0x%" PRIx64 ") shares bytes"
                  " with the object [0x%" PRIx64 ", +%" PRIu64 ") at 0x%" PRIx64, hd_tag_name(rec->tag), lo, hi,
                  o.addr, o.size, o.pos);
}

static void on_segment(hd_checker *c, const hd_record *rec)
{
    heap_field_shape(c, rec, &rec->u.segment.fields, hd_tag_name(rec->tag));
    objects_vs_segment(c, rec);
    heap_field_pointers(c, rec, &rec->u.segment.contents, &rec->u.segment.fields);
    roots_segment(c, rec);
}

static void on_frame(hd_checker *c, const hd_record *rec)
{
    goroutines_frame(c, rec);
    heap_field_pointers(c, rec, &rec->u.frame.contents, &rec->u.frame.fields);
}

/* What each tag is checked by (NULL: nothing here). */
static void (*const on_tag[HD_TAG_COUNT])(hd_checker *c, const hd_record *rec) = {
    [HD_TAG_PARAMS] = on_params,         [HD_TAG_OBJECT] = on_object,
    [HD_TAG_GOROUTINE] = goroutines_goroutine, [HD_TAG_FRAME] = on_frame,
    [HD_TAG_DEFER] = goroutines_defer,   [HD_TAG_PANIC] = goroutines_panic,
    [HD_TAG_OSTHREAD] = roots_osthread,  [HD_TAG_DATA] = on_segment, [HD_TAG_BSS] = on_segment,
    [HD_TAG_FINALIZER] = roots_finalizer, [HD_TAG_QFINAL] = roots_finalizer,
    [HD_TAG_MEMSTATS] = heapprof_memstats, [HD_TAG_MEMPROF] = heapprof_memprof,
    [HD_TAG_ALLOCSAMPLE] = heapprof_sample,
};

static struct ck_heap *heap_new(void)
{
    struct ck_heap *h = calloc(1, sizeof *h);
    if (h == NULL)
        return NULL;
    objindex_init(&h->objs);
    goroutines_init(h);
    roots_init(h);
    heapprof_init(h);
    return h;
}

void objects_record(hd_checker *c, const hd_record *rec)
{
    if (c->heap == NULL && (c->heap = heap_new()) == NULL)
        return;                       /* out of memory: this family checks nothing */
    if (c->heap->in_objects && rec->tag != HD_TAG_OBJECT && rec->tag != HD_TAG_TYPE) {
        c->heap->in_objects = false;
        if (!c->heap->objects_ended)  /* the objects section ended: settle what points into objects */
            ptrs_resolve(c, false, false);
        c->heap->objects_ended = true;
    }
    goroutines_any(c, rec);
    if (rec->tag < HD_TAG_COUNT && on_tag[rec->tag] != NULL)
        on_tag[rec->tag](c, rec);
}

/* O4 by one address-order walk. */
static void on_clash(void *ctx, const objindex_obj *a, const objindex_obj *b, bool same)
{
    hd_checker *c = ctx;
    if (same)
        ck_report_capped(c, HD_R_OBJECT_DUPLICATE, b->pos, "object at 0x%" PRIx64 " is written again (first record"
                         " at 0x%" PRIx64 ")", b->addr, a->pos);
    else
        ck_report_capped(c, HD_R_OBJECT_OVERLAP, b->pos, "object [0x%" PRIx64 ", +%" PRIu64 ") overlaps the object"
                         " [0x%" PRIx64 ", +%" PRIu64 ") of the record at 0x%" PRIx64, b->addr, b->size, a->addr,
                         a->size, a->pos);
}

static void heap_free(struct ck_heap *h)
{
    if (h == NULL)
        return;
    objindex_free(&h->objs);
    free(h->ptrs);
    goroutines_free(h);
    roots_free(h);
    heapprof_free(h);
    free(h);
}

void objects_finish(hd_checker *c, uint64_t end, bool complete)
{
    struct ck_heap *h = c->heap;

    if (h == NULL)
        return;
    goroutines_finish(c, end, complete);
    objindex_clashes(&h->objs, on_clash, c);
    ptrs_resolve(c, true, complete);
    if (h->ptrs_dropped > 0)
        ck_report(c, HD_R_POINTER_CHECK_CAPPED, end, "%" PRIu64 " pointer values were not checked: more than %u"
                  " were waiting to be resolved", h->ptrs_dropped, CK_PTRS_CAP);
    roots_finish(c, complete);
    report_cap_summaries(c, end);
}

void objects_free(hd_checker *c)
{
    heap_free(c->heap);
    c->heap = NULL;
}
