/* names.c — field names of every record layout, tag/header/layout/memstats lookups (see names.h). */
#include "names.h"

#include <string.h>

#define AT(f) offsetof(hd_record, u.f)
#define ALL HD_LAYOUT_MASK_ALL
#define ONLY(l) (1u << HD_##l)

typedef struct {
    unsigned    tag;       /* HD_TAG_*; queued finalizers and bss use the finalizer and data lines */
    size_t      at;        /* offsetof(hd_record, …) of the step */
    unsigned    layouts;   /* layouts the name holds in */
    const char *name;
} field_name;

/* One line per part of a record. Names are short, lower case, and the same in the text and in JSON. */
static const field_name names[] = {
    {HD_TAG_OBJECT, AT(object.addr), ALL, "addr"},
    {HD_TAG_OBJECT, AT(object.type), ALL, "type"},
    {HD_TAG_OBJECT, AT(object.kind), ALL, "kind"},
    {HD_TAG_OBJECT, AT(object.contents), ALL, "contents"},
    {HD_TAG_OBJECT, AT(object.fields), ALL, "fields"},
    {HD_TAG_OTHERROOT, AT(otherroot.desc), ALL, "desc"},
    {HD_TAG_OTHERROOT, AT(otherroot.ptr), ALL, "ptr"},
    {HD_TAG_TYPE, AT(type.addr), ALL, "addr"},
    {HD_TAG_TYPE, AT(type.size), ALL, "size"},
    {HD_TAG_TYPE, AT(type.name), ALL, "name"},
    {HD_TAG_TYPE, AT(type.indirect), ALL, "indirect"},
    {HD_TAG_TYPE, AT(type.fields), ALL, "fields"},
    {HD_TAG_GOROUTINE, AT(goroutine.addr), ALL, "addr"},
    {HD_TAG_GOROUTINE, AT(goroutine.sp), ALL, "sp"},
    {HD_TAG_GOROUTINE, AT(goroutine.id), ALL, "id"},
    {HD_TAG_GOROUTINE, AT(goroutine.gopc), ALL, "gopc"},
    {HD_TAG_GOROUTINE, AT(goroutine.status), ALL, "status"},
    {HD_TAG_GOROUTINE, AT(goroutine.system), ALL, "system"},
    {HD_TAG_GOROUTINE, AT(goroutine.background), ALL, "background"},
    {HD_TAG_GOROUTINE, AT(goroutine.waitsince), ALL, "waitsince"},
    {HD_TAG_GOROUTINE, AT(goroutine.waitreason), ALL, "waitreason"},
    {HD_TAG_GOROUTINE, AT(goroutine.ctxt), ALL, "ctxt"},
    {HD_TAG_GOROUTINE, AT(goroutine.m), ALL, "m"},
    {HD_TAG_GOROUTINE, AT(goroutine.defer), ALL, "defer"},
    {HD_TAG_GOROUTINE, AT(goroutine.panic), ALL, "panic"},
    {HD_TAG_FRAME, AT(frame.sp), ALL, "sp"},
    {HD_TAG_FRAME, AT(frame.depth), ALL, "depth"},
    {HD_TAG_FRAME, AT(frame.child_sp), ALL, "child_sp"},
    {HD_TAG_FRAME, AT(frame.contents), ALL, "contents"},
    {HD_TAG_FRAME, AT(frame.entry), ALL, "entry"},
    {HD_TAG_FRAME, AT(frame.pc), ALL, "pc"},
    {HD_TAG_FRAME, AT(frame.contpc), ALL, "contpc"},
    {HD_TAG_FRAME, AT(frame.name), ALL, "name"},
    {HD_TAG_FRAME, AT(frame.fields), ALL, "fields"},
    {HD_TAG_PARAMS, AT(params.big_endian), ALL, "big_endian"},
    {HD_TAG_PARAMS, AT(params.ptrsize), ALL, "ptrsize"},
    {HD_TAG_PARAMS, AT(params.chansize), ALL, "chansize"},
    {HD_TAG_PARAMS, AT(params.arena_start), ALL, "arena_start"},
    {HD_TAG_PARAMS, AT(params.arena_end), ALL, "arena_end"},
    {HD_TAG_PARAMS, AT(params.arch_code), ALL, "arch"},
    {HD_TAG_PARAMS, AT(params.arch), ALL, "arch"},
    /* the same string is GOEXPERIMENT up to go1.6 and, from Go 1.17, the build version (go1.7 header) */
    {HD_TAG_PARAMS, AT(params.experiment), ONLY(V13) | ONLY(V14) | ONLY(V15), "experiment"},
    {HD_TAG_PARAMS, AT(params.experiment), ONLY(V17), "version"},
    {HD_TAG_PARAMS, AT(params.ncpu), ALL, "ncpu"},
    {HD_TAG_FINALIZER, AT(finalizer.obj), ALL, "obj"},
    {HD_TAG_FINALIZER, AT(finalizer.fn), ALL, "fn"},
    {HD_TAG_FINALIZER, AT(finalizer.code), ALL, "code"},
    {HD_TAG_FINALIZER, AT(finalizer.fint), ALL, "fint"},
    {HD_TAG_FINALIZER, AT(finalizer.ot), ALL, "ot"},
    {HD_TAG_ITAB, AT(itab.addr), ALL, "addr"},
    {HD_TAG_ITAB, AT(itab.type), ALL, "type"},
    {HD_TAG_ITAB, AT(itab.ptrdata), ALL, "ptrdata"},
    {HD_TAG_OSTHREAD, AT(osthread.addr), ALL, "addr"},
    {HD_TAG_OSTHREAD, AT(osthread.id), ALL, "id"},
    {HD_TAG_OSTHREAD, AT(osthread.procid), ALL, "procid"},
    {HD_TAG_MEMSTATS, AT(memstats.v), ALL, "memstats"},   /* printed value by value under their own names */
    {HD_TAG_DATA, AT(segment.addr), ALL, "addr"},
    {HD_TAG_DATA, AT(segment.contents), ALL, "contents"},
    {HD_TAG_DATA, AT(segment.fields), ALL, "fields"},
    {HD_TAG_DEFER, AT(defer.addr), ALL, "addr"},
    {HD_TAG_DEFER, AT(defer.g), ALL, "g"},
    {HD_TAG_DEFER, AT(defer.argp), ALL, "argp"},
    {HD_TAG_DEFER, AT(defer.pc), ALL, "pc"},
    {HD_TAG_DEFER, AT(defer.fn), ALL, "fn"},
    {HD_TAG_DEFER, AT(defer.code), ALL, "code"},
    {HD_TAG_DEFER, AT(defer.link), ALL, "link"},
    {HD_TAG_PANIC, AT(panic.addr), ALL, "addr"},
    {HD_TAG_PANIC, AT(panic.g), ALL, "g"},
    {HD_TAG_PANIC, AT(panic.type), ALL, "type"},
    {HD_TAG_PANIC, AT(panic.data), ALL, "data"},
    {HD_TAG_PANIC, AT(panic.defer), ALL, "defer"},
    {HD_TAG_PANIC, AT(panic.link), ALL, "link"},
    {HD_TAG_MEMPROF, AT(memprof.addr), ALL, "addr"},
    {HD_TAG_MEMPROF, AT(memprof.size), ALL, "size"},
    {HD_TAG_MEMPROF, AT(memprof.nframes), ALL, "frames"},
    {HD_TAG_MEMPROF, AT(memprof.allocs), ALL, "allocs"},
    {HD_TAG_MEMPROF, AT(memprof.frees), ALL, "frees"},
    {HD_TAG_ALLOCSAMPLE, AT(sample.addr), ALL, "addr"},
    {HD_TAG_ALLOCSAMPLE, AT(sample.bucket), ALL, "bucket"},
};

/* Queued finalizers share the finalizer struct, bss the data struct. */
static unsigned name_tag(unsigned tag)
{
    return tag == HD_TAG_QFINAL ? HD_TAG_FINALIZER : tag == HD_TAG_BSS ? HD_TAG_DATA : tag;
}

const char *tf_step_name(hd_layout layout, unsigned tag, const layout_step *st)
{
    unsigned t = name_tag(tag);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].tag == t && names[i].at == st->at && (names[i].layouts & (1u << layout)) != 0)
            return names[i].name;
    return NULL;
}

const layout_step *tf_steps(hd_layout layout, unsigned tag)
{
    const layout_step *st = hd_layout_steps(layout, tag);
    return st != NULL ? st : hd_layout_steps(HD_V13, tag);
}

unsigned tf_nsteps(const layout_step *st)
{
    unsigned n = 0;
    while (st[n].op != ST_END)
        n++;
    return n;
}

static bool same(const char *name, const char *s, size_t n)
{
    return strlen(name) == n && memcmp(name, s, n) == 0;
}

int tf_step_index(hd_layout layout, unsigned tag, const char *s, size_t n)
{
    const layout_step *st = tf_steps(layout, tag);
    for (int i = 0; st != NULL && st[i].op != ST_END; i++) {
        const char *name = tf_step_name(layout, tag, &st[i]);
        if (name != NULL && same(name, s, n))
            return i;
    }
    return -1;
}

int tf_tag_by_name(const char *s, size_t n)
{
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        if (same(hd_tag_name(t), s, n))
            return (int)t;
    return -1;
}

int tf_header_by_name(const char *s, size_t n)
{
    for (int h = 0; h < HD_HEADER_COUNT; h++)
        if (same(hd_header_name((hd_header_id)h), s, n))
            return h;
    return -1;
}

int tf_layout_by_name(const char *s, size_t n)
{
    int h = tf_header_by_name(s, n);
    return h < 0 ? -1 : (int)hd_header_layout((hd_header_id)h);
}

int tf_memstat_by_name(const char *s, size_t n)
{
    for (unsigned i = 0; i < HD_MEMSTATS_NVALUES; i++) {
        unsigned sub = 0;
        const char *name = hd_memstat_name(i, &sub);
        if (sub == 0 && name != NULL && same(name, s, n))
            return (int)i;
    }
    return -1;
}

int tf_kind_by_name(hd_layout layout, const char *s, size_t n)
{
    for (unsigned k = 1; k <= HD_FK_MAX; k++) {
        const char *name = hd_field_kind_name(layout, k);
        if (name != NULL && same(name, s, n))
            return (int)k;
    }
    return -1;
}

int tf_key_step(hd_layout layout, unsigned tag)
{
    const layout_step *st = tf_steps(layout, tag);
    for (int i = 0; st != NULL && st[i].op != ST_END; i++)
        if (st[i].op == ST_PTR)
            return i;
    return -1;
}
