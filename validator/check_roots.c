/* check_roots.c — OS threads, the data and bss segments, finalizers (FORMAT.md §5.6: M1, R2, FN1–FN3, and the
 * M part of L1). Uniqueness, where an M lives and the objects finalizers name go to the cross-reference
 * ledger; the segments' field lists and the objects they may share bytes with are the objects family's. */
#include "check_internal.h"
#include "xref.h"

#include <inttypes.h>
#include <string.h>

/* R2: the second segment must not share bytes with the first. Only the first record of each counts (a second
 * one is S117's). */
static void on_segment(hd_checker *c, const hd_record *rec)
{
    int k = rec->tag == HD_TAG_DATA ? 0 : 1;
    const ck_range *r = &c->seg[k], *o = &c->seg[1 - k];

    if (c->seen[rec->tag].count != 1 || !c->have_seg[1 - k])
        return;
    if (r->lo < o->hi && o->lo < r->hi)
        ck_report(c, HD_R_SEGMENTS_OVERLAP, rec->pos, "%s [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps %s [0x%" PRIx64
                  ", 0x%" PRIx64 ")", hd_tag_name(rec->tag), r->lo, r->hi, k == 0 ? "bss" : "data", o->lo, o->hi);
}

static void on_finalizer(hd_checker *c, const hd_record *rec)
{
    static const char *const names[4] = {"funcval", "code PC", "argument type", "object type"};
    const uint64_t v[4] = {rec->u.finalizer.fn, rec->u.finalizer.code, rec->u.finalizer.fint, rec->u.finalizer.ot};
    uint64_t obj = rec->u.finalizer.obj;

    for (int i = 0; i < 4; i++)
        if (v[i] == 0)
            ck_report(c, HD_R_FINALIZER_FIELD_ZERO, rec->pos, "%s for object 0x%" PRIx64 " has %s 0",
                      hd_tag_name(rec->tag), obj, names[i]);
    xref_add(c, rec->tag == HD_TAG_FINALIZER ? XK_FINALIZER : XK_QFINAL, obj);
}

/* R3, go1.3: dumproots writes one otherroot kind, for MSpan.types arrays: "runtime type info". */
static void on_otherroot(hd_checker *c, const hd_record *rec)
{
    static const char want[] = "runtime type info";
    const hd_bytes *d = &rec->u.otherroot.desc;
    char q[64];

    if (d->len != sizeof want - 1 || d->kept != d->len || memcmp(d->p, want, sizeof want - 1) != 0)
        ck_report(c, HD_R_OTHERROOT_DESC, d->pos, "otherroot description \"%s\": go1.3 writes only \"%s\"",
                  ck_quote(q, sizeof q, d), want);
}

static void roots_record(hd_checker *c, void *st, const hd_record *rec)
{
    (void)st;
    switch (rec->tag) {
    case HD_TAG_OTHERROOT:           /* elsewhere S108 says the version never writes it */
        if (c->layout == HD_V13)
            on_otherroot(c, rec);
        break;
    case HD_TAG_OSTHREAD:
        xref_add(c, XK_M_ADDR, rec->u.osthread.addr);
        xref_add(c, XK_M_ID, rec->u.osthread.id);
        break;
    case HD_TAG_DATA: case HD_TAG_BSS:
        on_segment(c, rec);
        break;
    default:
        on_finalizer(c, rec);
        break;
    }
}

const ck_family ck_roots_family = {
    .name = "roots",
    .tags = HD_TAGMASK(HD_TAG_OTHERROOT) | HD_TAGMASK(HD_TAG_OSTHREAD) | HD_TAGMASK(HD_TAG_DATA) | HD_TAGMASK(HD_TAG_BSS) |
            HD_TAGMASK(HD_TAG_FINALIZER) | HD_TAGMASK(HD_TAG_QFINAL),
    .on_record = roots_record,
};
