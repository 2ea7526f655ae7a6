/* emit.c — the model in the writer's order, through the type cache, to the encoder (see emit.h). */
#include "emit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hd_bytes pool_str(const gm_model *m, uint32_t off, uint32_t len) { return hd_bytes_of(gm_strp(m, off), len); }

/* ---- output ----------------------------------------------------------------------------------- */

void gen_put(gen_emitter *g, const hd_record *rec)
{
    if (g->stopped)
        return;
    if (hd_enc_record(g->out, g->layout, rec) == 0) {
        g->count[rec->tag]++;
        g->records++;
        g->last_tag = (int)rec->tag;
        if (g->tap != NULL)
            g->tap(g->tap_ctx, g->layout, rec);
    }
}

void gen_raw(gen_emitter *g, const void *p, size_t n)
{
    if (!g->stopped)
        hd_out_raw(g->out, p, n);
}

void gen_stop(gen_emitter *g) { g->stopped = true; }

/* Every record goes through here: the defect, if any, sees it first. */
static void emit(gen_emitter *g, hd_record *rec)
{
    if (g->stopped)
        return;
    if (g->defect != NULL && g->defect->drop != NULL && g->target != UINT64_MAX && g->defect->drop(g, rec))
        return;
    if (g->defect != NULL && g->defect->candidate != NULL && g->defect->candidate(g, rec) &&
        g->cand++ == g->target && g->defect->apply(g, rec) == GEN_SKIP)
        return;
    gen_put(g, rec);
    if (g->defect != NULL && g->defect->after != NULL && g->target != UINT64_MAX)
        g->defect->after(g, rec);
}

/* ---- types: the writer's dumptype with its cache ---------------------------------------------- */

static void dumptype(gen_emitter *g, uint32_t t)
{
    const gm_type *ty = &g->m->types.v[t];
    uint32_t *b = g->cache[ty->hash & 0xff], key = t + 1;
    hd_record r;

    if (b[0] == key)
        return;
    for (int i = 1; i < 4; i++) {
        if (b[i] == key) {                       /* hit: move to front */
            memmove(b + 1, b, (size_t)i * sizeof *b);
            b[0] = key;
            return;
        }
    }
    memmove(b + 1, b, 3 * sizeof *b);            /* miss: the least recently used falls out */
    b[0] = key;

    gen_type_record(g, t, &r);
    emit(g, &r);
    if (!g->emitted[t]) {
        g->emitted[t] = 1;
        g->emitted_list[g->nemitted++] = t;
    }
}

void gen_type_record(const gen_emitter *g, uint32_t t, hd_record *r)
{
    const gm_type *ty = &g->m->types.v[t];
    *r = hd_record_of(HD_TAG_TYPE);
    r->u.type.addr = ty->addr;
    r->u.type.size = ty->size;
    r->u.type.name = pool_str(g->m, ty->name, ty->name_len);
    /* "not direct-iface OR has pointers": 1 in practice (T8), unless a defect says otherwise */
    r->u.type.indirect = !ty->bool_false;
    /* go1.4+ types have no field entries (and no array to point into: NULL + 0 is undefined) */
    r->u.type.fields = hd_fields_of(ty->nf != 0 ? g->m->tfields.v + ty->f0 : NULL, ty->nf);
}

static void dump_etypes(gen_emitter *g)
{
    for (uint32_t i = 0; i < g->co.netypes; i++)
        dumptype(g, g->co.etypes[i]);
}

/* ---- sections --------------------------------------------------------------------------------- */

static void emit_params(gen_emitter *g)
{
    const gm_model *m = g->m;
    hd_record r = hd_record_of(HD_TAG_PARAMS);
    r.u.params.big_endian = m->cfg.big_endian;
    r.u.params.ptrsize = m->ps;
    r.u.params.chansize = m->chansize;
    r.u.params.arena_start = m->arena_start;
    r.u.params.arena_end = m->arena_end;
    r.u.params.arch_code = m->arch_code;
    r.u.params.arch_is_string = g->layout == HD_V17;
    r.u.params.arch = hd_bytes_of(m->arch, strlen(m->arch));
    r.u.params.experiment = hd_bytes_of(m->experiment, strlen(m->experiment));
    r.u.params.ncpu = m->ncpu;
    emit(g, &r);
}

static void emit_itabs(gen_emitter *g)
{
    const gm_model *m = g->m;
    for (uint32_t i = 0; i < m->itabs.n; i++) {
        const gm_itab *it = &m->itabs.v[i];
        const gm_type *t = &m->types.v[it->type];
        hd_record r = hd_record_of(HD_TAG_ITAB);
        uint32_t named = it->type;
        r.u.itab.addr = it->addr;
        r.u.itab.ptrdata = it->ptrdata;
        if (g->layout != HD_V13) {
            /* go1.4–1.6: the type of the data word (*T for an indirect T, 0 if the binary lacks *T);
             * go1.7+: T itself */
            if (g->layout != HD_V17 && !t->direct_iface)
                named = t->ptrto;
            if (named != GM_NONE) {
                dumptype(g, named);
                r.u.itab.type = m->types.v[named].addr;
            }
        }
        emit(g, &r);
    }
}

static void emit_objects(gen_emitter *g)
{
    const gm_model *m = g->m;
    /* one record reused: hd_record is big (memstats), clearing it per object would cost more than the object */
    hd_record r = hd_record_of(HD_TAG_OBJECT);
    for (uint32_t i = 0; i < m->order.n; i++) {
        const gm_span *s = &m->spans.v[m->order.v[i]];
        for (uint32_t k = 0; k < s->nslots && !g->stopped; k++) {
            if (!gm_slot_live(s, k))
                continue;
            g->cur_span = s;
            g->cur_slot = k;
            gc_object(m, s, k, &g->co);
            if (g->layout == HD_V13 && s->type13 != GM_NONE)
                dumptype(g, s->type13);
            dump_etypes(g);
            r.tag = HD_TAG_OBJECT;
            r.u.object.addr = gm_slot_addr(s, k);
            r.u.object.type = s->type13 != GM_NONE ? m->types.v[s->type13].addr : 0;
            r.u.object.kind = s->kind13;
            r.u.object.contents = hd_bytes_of(g->co.buf, s->elemsize);
            r.u.object.fields = hd_fields_of(g->co.fields, g->co.nfields);
            emit(g, &r);
            g->nobjects++;
            g->objbytes += s->elemsize;
        }
    }
}

static void emit_goroutine(gen_emitter *g, const gm_g *gp)
{
    const gm_model *m = g->m;
    hd_record r = hd_record_of(HD_TAG_GOROUTINE);
    gm_frame f;
    const char *reason = gm_wait_reasons[gp->reason];

    r.u.goroutine.addr = gp->addr;
    r.u.goroutine.sp = gp->sp;
    r.u.goroutine.id = gp->id;
    r.u.goroutine.gopc = gp->gopc;
    r.u.goroutine.status = gp->status;
    r.u.goroutine.system = gp->system;
    r.u.goroutine.background = gp->background;
    r.u.goroutine.waitsince = gp->waitsince;
    r.u.goroutine.waitreason = hd_bytes_of(reason, strlen(reason));
    r.u.goroutine.ctxt = gp->ctxt;
    r.u.goroutine.m = gp->m;
    r.u.goroutine.defer = gp->nd ? m->defers.v[gp->d0].addr : 0;
    r.u.goroutine.panic = gp->np ? m->panics.v[gp->p0].addr : 0;
    g->cur_g = gp;
    emit(g, &r);

    gm_frame_first(m, gp, &f);
    r = hd_record_of(HD_TAG_FRAME);
    while (gm_frame_next(m, gp, &f) && !g->stopped) {
        const gm_func *fn = &m->funcs.v[f.func];
        gm_frame caller = f;
        uint64_t ret = gm_frame_next(m, gp, &caller) ? caller.pc : f.pc;   /* runtime.goexit: no caller */
        g->cur_frame = &f;
        gc_frame(m, &f, ret, &g->co);
        dump_etypes(g);
        r.tag = HD_TAG_FRAME;
        r.u.frame.sp = f.sp;
        r.u.frame.depth = f.depth;
        r.u.frame.child_sp = f.child_sp;
        r.u.frame.contents = hd_bytes_of(g->co.buf, f.len);
        r.u.frame.entry = fn->entry;
        r.u.frame.pc = f.pc;
        r.u.frame.contpc = f.contpc;
        r.u.frame.name = pool_str(m, fn->name, fn->name_len);
        r.u.frame.fields = hd_fields_of(g->co.fields, g->co.nfields);
        emit(g, &r);
    }
    for (uint32_t i = 0; i < gp->nd; i++) {
        gen_defer_record(g, gp, i, &r);
        emit(g, &r);
    }
    for (uint32_t i = 0; i < gp->np; i++) {
        const gm_panic *p = &m->panics.v[gp->p0 + i];
        r = hd_record_of(HD_TAG_PANIC);
        r.u.panic.addr = p->addr;
        r.u.panic.g = gp->addr;
        r.u.panic.type = p->type;
        r.u.panic.data = p->data;
        r.u.panic.defer = p->defer;
        r.u.panic.link = i + 1 < gp->np ? m->panics.v[gp->p0 + i + 1].addr : 0;
        emit(g, &r);
    }
    g->cur_g = NULL;
    g->cur_frame = NULL;
}

void gen_defer_record(const gen_emitter *g, const gm_g *gp, uint32_t i, hd_record *r)
{
    const gm_defer *d = &g->m->defers.v[gp->d0 + i];
    *r = hd_record_of(HD_TAG_DEFER);
    r->u.defer.addr = d->addr;
    r->u.defer.g = gp->addr;
    r->u.defer.argp = d->argp;
    r->u.defer.pc = d->pc;
    r->u.defer.fn = d->fn;
    r->u.defer.code = d->code;
    r->u.defer.link = i + 1 < gp->nd ? g->m->defers.v[gp->d0 + i + 1].addr : 0;
}

static void emit_threads(gen_emitter *g)
{
    for (uint32_t i = 0; i < g->m->ms.n; i++) {
        hd_record r = hd_record_of(HD_TAG_OSTHREAD);
        r.u.osthread.addr = g->m->ms.v[i].addr;
        r.u.osthread.id = g->m->ms.v[i].id;
        r.u.osthread.procid = g->m->ms.v[i].procid;
        emit(g, &r);
    }
}

static void emit_segment(gen_emitter *g, hd_tag tag, const gm_segment *seg)
{
    hd_record r = hd_record_of(tag);
    if (g->layout == HD_V13)
        gc_segment(g->m, seg, g->emitted_list, g->nemitted, &g->co);   /* no TYPE before go1.3 data/bss */
    else
        gc_segment(g->m, seg, NULL, 0, &g->co);
    if (g->layout == HD_V14)
        dump_etypes(g);
    r.u.segment.addr = seg->addr;
    r.u.segment.contents = hd_bytes_of(g->co.buf, seg->len);
    r.u.segment.fields = hd_fields_of(g->co.fields, g->co.nfields);
    emit(g, &r);
}

static void emit_fin(gen_emitter *g, hd_tag tag, const gm_fin *f)
{
    hd_record r = hd_record_of(tag);
    r.u.finalizer.obj = f->obj;
    r.u.finalizer.fn = f->fn;
    r.u.finalizer.code = f->code;
    r.u.finalizer.fint = f->fint;
    r.u.finalizer.ot = f->ot;
    emit(g, &r);
}

static void emit_roots(gen_emitter *g)
{
    const gm_model *m = g->m;
    uint32_t fi = 0, oi = 0;
    static const char desc[] = "runtime type info";

    emit_segment(g, HD_TAG_DATA, &m->data);
    emit_segment(g, HD_TAG_BSS, &m->bss);
    /* span walk: go1.3 OTHERROOT of a span, then that span's finalizers */
    for (uint32_t rank = 0; rank < m->order.n; rank++) {
        if (oi < m->otherroots.n && m->otherroots.v[oi] == rank) {
            hd_record r = hd_record_of(HD_TAG_OTHERROOT);
            r.u.otherroot.desc = hd_bytes_of(desc, sizeof desc - 1);
            r.u.otherroot.ptr = m->offheap_lo + 64 * (uint64_t)rank;
            emit(g, &r);
            oi++;
        }
        while (fi < m->fins.n && m->fins.v[fi].key >> 32 == rank)
            emit_fin(g, HD_TAG_FINALIZER, &m->fins.v[fi++]);
    }
    for (uint32_t i = 0; i < m->qfins.n; i++)
        emit_fin(g, HD_TAG_QFINAL, &m->qfins.v[i]);
}

static void emit_memstats(gen_emitter *g)
{
    hd_record r = hd_record_of(HD_TAG_MEMSTATS);
    gm_memstats_fill(g->m, g->nobjects, g->objbytes, r.u.memstats.v);
    emit(g, &r);
}

static void emit_memprof(gen_emitter *g)
{
    const gm_model *m = g->m;
    /* unknown PCs: go1.3/go1.4 print "0x…" (C %X through the runtime's hex printer), go1.5+ "(0x…)" */
    const char *fmt = g->layout <= HD_V14 ? "0x%" PRIx64 : "(0x%" PRIx64 ")";
    for (uint32_t i = 0; i < m->buckets.n; i++) {
        const gm_bucket *b = &m->buckets.v[i];
        hd_record r = hd_record_of(HD_TAG_MEMPROF);
        for (uint32_t k = 0; k < b->nf; k++) {
            const gm_mpframe *f = &m->mpframes.v[b->f0 + k];
            hd_mpframe *o = &g->mpf[k];
            if (f->func == GM_NONE) {
                char *name = g->mpnames + 24 * k;
                int n = snprintf(name, 24, fmt, f->pc);
                o->name = hd_bytes_of(name, (uint64_t)n);
                o->file = hd_bytes_of("?", 1);
                o->line = 0;
            } else {
                const gm_func *fn = &m->funcs.v[f->func];
                o->name = pool_str(m, fn->name, fn->name_len);
                o->file = hd_bytes_of(gm_files[fn->file], strlen(gm_files[fn->file]));
                o->line = f->line;
            }
        }
        r.u.memprof.addr = b->addr;
        r.u.memprof.size = b->size;
        r.u.memprof.nframes = r.u.memprof.nkept = b->nf;
        r.u.memprof.frames = g->mpf;
        r.u.memprof.allocs = b->allocs;
        r.u.memprof.frees = b->frees;
        emit(g, &r);
    }
    for (uint32_t i = 0; i < m->samples.n; i++) {
        hd_record r = hd_record_of(HD_TAG_ALLOCSAMPLE);
        r.u.sample.addr = m->samples.v[i].obj;
        r.u.sample.bucket = m->buckets.v[m->samples.v[i].bucket].addr;
        emit(g, &r);
    }
}

void gen_emit_dump(gen_emitter *g)
{
    const gm_model *m = g->m;
    hd_record eof = hd_record_of(HD_TAG_EOF);

    memset(g->cache, 0, sizeof g->cache);
    if (g->defect == NULL || g->defect->header == NULL || !g->defect->header(g))
        hd_enc_header(g->out, m->cfg.header);
    emit_params(g);
    emit_itabs(g);
    emit_objects(g);
    for (uint32_t i = 0; i < m->gs.n && !g->stopped; i++)
        emit_goroutine(g, &m->gs.v[i]);
    emit_threads(g);
    emit_roots(g);
    emit_memstats(g);
    emit_memprof(g);
    emit(g, &eof);
}

/* ---- setup ------------------------------------------------------------------------------------ */

int gen_emitter_init(gen_emitter *g, const gm_model *m, hd_out *out)
{
    uint64_t maxbytes = m->maxelem, maxwords;
    uint32_t maxmp = 1;
    memset(g, 0, sizeof *g);
    g->m = m;
    g->out = out;
    g->layout = m->cfg.layout;
    g->target = UINT64_MAX;
    g->last_tag = -1;
    if (maxbytes < 1026 * (uint64_t)m->ps)
        maxbytes = 1026 * (uint64_t)m->ps;       /* the largest frame (model_gs.c), twice for defect G113 */
    if (maxbytes < m->data.len)
        maxbytes = m->data.len;
    if (maxbytes < m->bss.len)
        maxbytes = m->bss.len;
    maxbytes += 16;                              /* defects may grow a record by a word */
    maxwords = maxbytes / m->ps + 2;
    for (uint32_t i = 0; i < m->buckets.n; i++)
        if (m->buckets.v[i].nf > maxmp)
            maxmp = m->buckets.v[i].nf;
    g->co.buf = malloc(maxbytes);
    g->co.fields = malloc(maxwords * sizeof *g->co.fields);
    g->co.etypes = malloc(maxwords * sizeof *g->co.etypes);
    g->emitted = calloc(m->types.n + 1, 1);
    g->emitted_list = malloc((m->types.n + 1) * sizeof *g->emitted_list);
    g->mpf = malloc(maxmp * sizeof *g->mpf);
    g->mpnames = malloc(24 * (size_t)maxmp);
    if (g->co.buf == NULL || g->co.fields == NULL || g->co.etypes == NULL || g->emitted == NULL ||
        g->emitted_list == NULL || g->mpf == NULL || g->mpnames == NULL) {
        gen_emitter_free(g);
        return -1;
    }
    return 0;
}

void gen_emitter_free(gen_emitter *g)
{
    free(g->co.buf);
    free(g->co.fields);
    free(g->co.etypes);
    free(g->emitted);
    free(g->emitted_list);
    free(g->mpf);
    free(g->mpnames);
    memset(g, 0, sizeof *g);
}
