/* checker.c — feeds each record to the rule families that read its tag (see hd/check.h, check_internal.h).
 *
 * Before the families see a record, the checker keeps the common state they share: per-tag counts, what the
 * first params said (pointer size, byte order, architecture, arena), where the first data and bss lie, the run
 * of type records before the record, and a checkpoint of the record offset every 256 records. At the end the
 * families judge what they kept, then the cross-reference ledger (xref.c) is swept once. */
#include "check_internal.h"
#include "xref.h"

#include <stdarg.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The families, in the order they see each record (CK_F_* order). */
static const ck_family *const families[CK_F_COUNT] = {
    [CK_F_STRUCTURE] = &ck_structure_family, [CK_F_PRODUCER] = &ck_producer_family,
    [CK_F_PARAMS] = &ck_params_family,       [CK_F_ORDER] = &ck_order_family,
    [CK_F_TYPES] = &ck_types_family,         [CK_F_OBJECTS] = &ck_objects_family,
    [CK_F_GOROUTINES] = &ck_goroutines_family, [CK_F_ROOTS] = &ck_roots_family,
    [CK_F_MEMPROF] = &ck_memprof_family,
};

/* ---- diagnostics ---------------------------------------------------------------------------------------- */

static void emit(hd_checker *c, hd_rule rule, uint64_t pos, uint64_t record, int tag, const char *fmt, va_list ap)
{
    hd_diag d;

    memset(&d, 0, sizeof d);
    d.rule = rule;
    d.severity = profile_severity(c, rule);
    d.offset = pos;
    d.record = record;
    d.tag = tag;
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    if (c->sink.emit != NULL)
        c->sink.emit(c->sink.ctx, &d);
}

void ck_report(hd_checker *c, hd_rule rule, uint64_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(c, rule, pos, c->rec != NULL ? c->rec->index : HD_NO_RECORD, c->rec != NULL ? (int)c->rec->tag : -1, fmt, ap);
    va_end(ap);
}

void ck_report_at(hd_checker *c, hd_rule rule, uint64_t pos, uint64_t record, int tag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(c, rule, pos, record, tag, fmt, ap);
    va_end(ap);
}

void ck_fail(hd_checker *c, const char *what)
{
    if (c->failed == NULL)
        c->failed = what != NULL ? what : "out of memory";
}

uint64_t ck_record_index(const hd_checker *c, uint64_t pos, uint8_t delta)
{
    size_t lo = 0, hi = c->ncheckpoints;
    while (lo < hi) {                /* the last checkpoint at or before pos */
        size_t mid = lo + (hi - lo) / 2;
        if (c->checkpoints[mid] <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? delta : (uint64_t)(lo - 1) * 256 + delta;
}

/* --threads: 0 means one per core, up to the two the checker can use. */
static unsigned hd_threads(const hd_options *o)
{
    long n;
    if (o->threads != 0)
        return o->threads;
    n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 2 ? 2 : 1;
}

/* ---- life cycle --------------------------------------------------------------------------------------- */

hd_checker *hd_checker_new(hd_header_id header, const hd_options *opts, const hd_diag_sink *sink)
{
    hd_checker *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->header = header;
    c->layout = hd_header_layout(header);
    if (opts != NULL)
        c->opts = *opts;
    else
        hd_options_init(&c->opts);
    if (sink != NULL)
        c->sink = *sink;
    c->scratch = malloc(XREF_SCRATCH_WORDS * sizeof *c->scratch);
    c->xref = c->scratch != NULL ? xref_new(c->scratch, hd_threads(&c->opts) > 1) : NULL;
    if (c->xref == NULL) {
        hd_checker_free(c);
        return NULL;
    }
    for (int f = 0; f < CK_F_COUNT; f++) {
        if (families[f]->size > 0 && (c->state[f] = calloc(1, families[f]->size)) == NULL) {
            hd_checker_free(c);
            return NULL;
        }
        if (families[f]->init != NULL)
            families[f]->init(c, c->state[f]);
    }
    return c;
}

void hd_checker_free(hd_checker *c)
{
    if (c == NULL)
        return;
    for (int f = 0; f < CK_F_COUNT; f++) {
        if (c->state[f] != NULL && families[f]->on_free != NULL)
            families[f]->on_free(c->state[f]);
        free(c->state[f]);
    }
    xref_free(c->xref);
    free(c->scratch);
    free(c->checkpoints);
    free(c);
}

/* ---- common state --------------------------------------------------------------------------------------- */

static const hd_arch *arch_of(const hd_record *rec)
{
    const hd_bytes *s = &rec->u.params.arch;
    if (!rec->u.params.arch_is_string)
        return hd_arch_by_code(rec->u.params.arch_code);
    return s->kept == s->len ? hd_arch_by_goarch(s->p, (size_t)s->len) : NULL;
}

static void adopt(hd_checker *c, const hd_record *rec)
{
    if (rec->tag == HD_TAG_PARAMS && c->seen[HD_TAG_PARAMS].count == 1) {
        c->ptrsize = rec->u.params.ptrsize == 4 || rec->u.params.ptrsize == 8 ? (unsigned)rec->u.params.ptrsize : 0;
        c->big_endian = rec->u.params.big_endian;
        c->arch = arch_of(rec);
        c->arena.lo = rec->u.params.arena_start;
        c->arena.hi = rec->u.params.arena_end;
    }
    if ((rec->tag == HD_TAG_DATA || rec->tag == HD_TAG_BSS) && c->seen[rec->tag].count == 1) {
        int k = rec->tag == HD_TAG_DATA ? 0 : 1;
        c->seg[k].lo = rec->u.segment.addr;
        c->seg[k].hi = rec->u.segment.addr + rec->u.segment.contents.len;
        if (c->seg[k].hi < c->seg[k].lo)
            c->seg[k].hi = UINT64_MAX;
        c->have_seg[k] = true;
    }
}

static bool name_is(const hd_bytes *b, const char *s)
{
    size_t n = strlen(s);
    return b->len == n && b->kept == n && memcmp(b->p, s, n) == 0;
}

/* What the frame is (see check_internal.h); the flags of the frame before carry over within a goroutine. */
static void frame_facts(hd_checker *c, const hd_record *rec)
{
    const hd_bytes *name = &rec->u.frame.name;
    bool preempt;

    if (rec->tag == HD_TAG_GOROUTINE)
        c->frame.injected = c->frame.conservative = false;
    if (rec->tag != HD_TAG_FRAME)
        return;
    c->frame.after_injected = c->frame.injected;
    c->frame.after_conservative = c->frame.conservative;
    preempt = name_is(name, "runtime.asyncPreempt") || name_is(name, "runtime.debugCallV2");
    c->frame.conservative = preempt;
    c->frame.injected = preempt || name_is(name, "runtime.sigpanic");
}

static void checkpoint(hd_checker *c, const hd_record *rec)
{
    if (rec->index % 256 != 0)
        return;
    if (c->ncheckpoints == c->capcheckpoints) {
        size_t ncap = c->capcheckpoints < 64 ? 64 : c->capcheckpoints * 2;
        uint64_t *p = realloc(c->checkpoints, ncap * sizeof *p);
        if (p == NULL) {
            ck_fail(c, "out of memory for the record checkpoints");
            return;
        }
        c->checkpoints = p;
        c->capcheckpoints = ncap;
    }
    c->checkpoints[c->ncheckpoints++] = rec->pos;
}

static void run_after(hd_checker *c, const hd_record *rec)
{
    if (rec->tag != HD_TAG_TYPE) {
        c->run.len = 0;
        return;
    }
    if (c->run.len++ == 0) {
        c->run.first = rec->index;
        c->run.pos = rec->pos;
    }
}

void hd_checker_record(hd_checker *c, const hd_record *rec)
{
    tag_seen *s = &c->seen[rec->tag];
    uint32_t bit = HD_TAGMASK(rec->tag);

    c->rec = rec;
    c->nrecords++;
    if (s->count++ == 0)
        s->first = rec->index;
    s->last = rec->index;
    checkpoint(c, rec);
    adopt(c, rec);
    frame_facts(c, rec);
    for (int f = 0; f < CK_F_COUNT; f++)
        if (families[f]->tags & bit)
            families[f]->on_record(c, c->state[f], rec);
    run_after(c, rec);
    c->rec = NULL;
}

void hd_checker_finish(hd_checker *c, uint64_t end, bool complete)
{
    c->rec = NULL;
    for (int f = 0; f < CK_F_COUNT && c->failed == NULL; f++)
        if (families[f]->on_finish != NULL)
            families[f]->on_finish(c, c->state[f], end, complete);
    xref_resolve(c, complete);
}

const char *hd_checker_failed(const hd_checker *c)
{
    return c->failed;
}

void hd_checker_summary(const hd_checker *c, hd_result *res)
{
    res->ptrsize = c->ptrsize;
    res->big_endian = c->big_endian;
    res->max_frames = c->max_frames;
    res->xref_entries = xref_entries(c->xref);
    res->xref_spilled = xref_spilled(c->xref);
    snprintf(res->producer, sizeof res->producer, "%s", c->producer);
    snprintf(res->go_version, sizeof res->go_version, "%s", c->go_version);
}
