/* check_roots.c — OS threads, the data and bss segments, finalizers (FORMAT.md §5.6: M1, R2, FN1–FN3, and
 * the M part of L1). The segments' field lists and the objects they may overlap are check_objects.c's. */
#include "check_objects.h"

#include <inttypes.h>
#include <stdlib.h>

void roots_init(struct ck_heap *h)
{
    addrmap_init(&h->m_addr, 8);
    addrmap_init(&h->m_id, 8);
    addrmap_init(&h->finalizers, 8);
}

void roots_free(struct ck_heap *h)
{
    addrmap_free(&h->m_addr);
    addrmap_free(&h->m_id);
    addrmap_free(&h->finalizers);
}

void roots_osthread(hd_checker *c, const hd_record *rec)
{
    ck_unique(c, &c->heap->m_addr, HD_R_OSTHREAD_DUPLICATE, "OS thread M", rec->u.osthread.addr, rec->pos);
    ck_unique(c, &c->heap->m_id, HD_R_OSTHREAD_ID_DUPLICATE, "OS thread id", rec->u.osthread.id, rec->pos);
}

static ck_range seg_range(const hd_record *rec)
{
    ck_range r = {rec->u.segment.addr, rec->u.segment.addr + rec->u.segment.contents.len};
    if (r.hi < r.lo)
        r.hi = UINT64_MAX;
    return r;
}

/* R2: the second segment must not share bytes with the first. Only the first record of each counts
 * (a second one is S117). */
void roots_segment(hd_checker *c, const hd_record *rec)
{
    struct ck_heap *h = c->heap;
    int k = rec->tag == HD_TAG_DATA ? 0 : 1;
    ck_range r = seg_range(rec), o = h->seg[1 - k];

    if (h->have_seg[k])
        return;
    h->seg[k] = r;
    h->have_seg[k] = true;
    if (h->have_seg[1 - k] && r.lo < o.hi && o.lo < r.hi)
        ck_report(c, HD_R_SEGMENTS_OVERLAP, rec->pos, "%s [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps %s [0x%" PRIx64
                  ", 0x%" PRIx64 ")", hd_tag_name(rec->tag), r.lo, r.hi, k == 0 ? "bss" : "data", o.lo, o.hi);
}

void roots_finalizer(hd_checker *c, const hd_record *rec)
{
    static const char *const names[4] = {"funcval", "code PC", "argument type", "object type"};
    const uint64_t v[4] = {rec->u.finalizer.fn, rec->u.finalizer.code, rec->u.finalizer.fint, rec->u.finalizer.ot};
    uint64_t obj = rec->u.finalizer.obj;

    for (int i = 0; i < 4; i++)
        if (v[i] == 0)
            ck_report(c, HD_R_FINALIZER_FIELD_ZERO, rec->pos, "%s for object 0x%" PRIx64 " has %s 0",
                      hd_tag_name(rec->tag), obj, names[i]);
    if (rec->tag == HD_TAG_FINALIZER)
        ck_unique(c, &c->heap->finalizers, HD_R_FINALIZER_DUPLICATE, "registered finalizer for object", obj, rec->pos);
    /* inner addresses are fine: tiny blocks and 1.22+ malloc headers put the object inside the slot */
    if (heap_objects_complete(c) && !heap_in_object(c, obj))
        ck_report(c, HD_R_FINALIZER_NO_OBJECT, rec->pos, "%s object 0x%" PRIx64 " is inside no object record",
                  hd_tag_name(rec->tag), obj);
}

static bool in_segment(const struct ck_heap *h, uint64_t a)
{
    for (int k = 0; k < 2; k++)
        if (h->have_seg[k] && a >= h->seg[k].lo && a < h->seg[k].hi)
            return true;
    return false;
}

/* L1 for threads: an M is a heap object, or m0 in data/bss. A dump without data/bss (gccgo) cannot
 * show where m0 lives, so then nothing is said. Reported in file order (the map's order is random). */
void roots_finish(hd_checker *c, bool complete)
{
    struct ck_heap *h = c->heap;
    size_t it = 0, n = 0;
    uint64_t m, pos;
    objindex_pair *bad;

    if (!complete || !h->have_seg[0] || !h->have_seg[1] || !heap_l1_applies(c))
        return;
    bad = malloc(addrmap_count(&h->m_addr) * sizeof *bad + 1);
    if (bad == NULL)
        return;
    while (addrmap_next(&h->m_addr, &it, &m, &pos))
        if (!heap_in_object(c, m) && !in_segment(h, m))
            bad[n++] = (objindex_pair){pos, m};
    objindex_sort_pairs(bad, n);
    for (size_t i = 0; i < n; i++)
        ck_report_capped(c, HD_R_OUTSIDE_DUMP, bad[i].key, "OS thread M 0x%" PRIx64 " is inside no object and not in"
                         " data or bss", bad[i].val);
    free(bad);
}
