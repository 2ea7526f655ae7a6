/* model_roots.c — data/bss, finalizers (registered and queued), go1.3 other roots, memory-profile buckets
 * and alloc samples, and memstats.
 *
 * Invariants kept here (FORMAT.md §5.6, §5.7): data precedes bss, neither overlaps the other nor the arena
 * (R2, O7); finalizers sit on distinct live objects (FN1, FN3) with non-zero FuncVal, code and types (FN2);
 * bucket addresses are unique (MP1); unknown-PC frames have the version's text form, file "?" and line 0
 * (MP2); samples sit on distinct live objects and name real buckets (AS1–AS3); memstats satisfy their
 * identities (MS1–MS3). */
#include "model.h"

#include <stdlib.h>
#include <string.h>

void gm_build_segments(gm_model *m, hd_entropy *e)
{
    uint32_t f = m->cfg.features;
    uint64_t size = m->cfg.size, cap;
    gm_segment *seg[2] = {&m->data, &m->bss};
    uint64_t at = gm_align(m->rodata_lo + 0x10000 * hd_ent_range(e, 1, 4), 0x1000);

    for (int i = 0; i < 2; i++) {
        if (f & HD_GF(EMPTY_SEGMENTS))
            cap = 0;
        else if (f & HD_GF(BIG_SEGMENTS))
            cap = hd_ent_logrange(e, 4096, size / 4 > 4096 ? (size / 4 < (UINT64_C(4) << 20) ? size / 4 : UINT64_C(4) << 20) : 4096);
        else
            cap = hd_ent_logrange(e, 16, size / 16 > 16 ? (size / 16 < 65536 ? size / 16 : 65536) : 16);
        seg[i]->addr = at;
        seg[i]->len = cap / m->ps * m->ps;
        seg[i]->seed = hd_ent_u64(e);
        at = gm_align(at + seg[i]->len + 32 * hd_ent_below(e, 64), 32);
    }
    m->rodata_lo = at;    /* nothing else goes there */
}

static int cmp_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;   /* key is the first member */
    return x < y ? -1 : x > y;
}

/* Sort key of an address inside span si: the writer walks spans in allspans order, then each span's
 * specials by offset. */
static uint64_t walk_key(const gm_model *m, uint32_t si, uint64_t addr)
{
    return ((uint64_t)m->spans.v[si].rank << 32) | (addr - m->spans.v[si].base);
}

static bool fin_on_object(gm_model *m, hd_entropy *e, gm_fin *fn, bool registered)
{
    uint32_t si, slot, v;
    if (!gm_take_object(m, e, NULL, 0, &si, &slot))
        return false;
    const gm_span *s = &m->spans.v[si];
    fn->obj = gm_slot_addr(s, slot);
    /* tiny allocations share 16-byte blocks: a finalizer may point inside one (FN1) */
    if (registered && s->elemsize == 16 && hd_ent_chance(e, 1, 4))
        fn->obj += 8;
    fn->key = walk_key(m, si, fn->obj);
    v = (uint32_t)hd_ent_below(e, m->funcvals.n);
    fn->fn = m->funcvals.v[v];
    fn->code = m->funcs.v[v % m->funcs.n].entry;
    fn->fint = m->types.v[hd_ent_below(e, m->types.n)].addr;
    fn->ot = m->types.v[hd_ent_below(e, m->types.n)].addr;
    return true;
}

static void add_finalizers(gm_model *m, hd_entropy *e)
{
    uint32_t f = m->cfg.features;
    uint64_t lim = m->cfg.size / 64 < 4000 ? m->cfg.size / 64 : 4000, nf, nq;
    if (f & HD_GF(NO_FINALIZERS)) {
        nf = nq = 0;
    } else if (f & HD_GF(FINALIZERS)) {
        nf = hd_ent_logrange(e, 4, lim > 4 ? lim : 4);
        nq = hd_ent_logrange(e, 1, nf);
    } else {
        nf = hd_ent_below(e, 9);
        nq = hd_ent_chance(e, 1, 4) ? hd_ent_range(e, 1, 3) : 0;
    }
    for (uint64_t i = 0; i < nf; i++)
        if (!fin_on_object(m, e, GM_PUSH(&m->fins), true)) {
            m->fins.n--;
            break;
        }
    if (m->fins.n > 1)
        qsort(m->fins.v, m->fins.n, sizeof *m->fins.v, cmp_key);   /* keys are distinct: order is fixed */
    for (uint64_t i = 0; i < nq; i++)
        if (!fin_on_object(m, e, GM_PUSH(&m->qfins), false)) {
            m->qfins.n--;
            break;
        }
    /* go1.3: an OTHERROOT "runtime type info" before some spans' finalizers (compressed type tables) */
    if (m->cfg.layout == HD_V13) {
        for (uint32_t r = 0; r < m->order.n; r++)
            if (hd_ent_chance(e, 1, 16))
                *GM_PUSH(&m->otherroots) = r;
    }
}

static void add_memprof(gm_model *m, hd_entropy *e)
{
    uint32_t f = m->cfg.features;
    /* a bucket is ~700 bytes of dump (16 frames): MEMPROF gives the profile about an eighth of the size */
    uint64_t lim = m->cfg.size / 5600 < 20000 ? m->cfg.size / 5600 : 20000, nb, ns, addr = m->offheap_lo;
    unsigned maxf = (f & HD_GF(DEEP_STACKS)) ? 100 : 32;
    if (f & HD_GF(NO_MEMPROF)) {
        nb = ns = 0;
    } else if (f & HD_GF(MEMPROF)) {
        nb = hd_ent_logrange(e, 4, lim > 4 ? lim : 4);
        ns = hd_ent_logrange(e, nb, 4 * nb);
    } else {
        nb = hd_ent_below(e, 12);
        ns = nb ? hd_ent_below(e, 24) : 0;
    }
    for (uint64_t i = 0; i < nb; i++) {
        gm_bucket *b = GM_PUSH(&m->buckets);
        addr += m->ps * hd_ent_range(e, 8, 64);
        b->addr = addr;
        b->size = hd_ent_logrange(e, 1, 1 << 20);
        b->allocs = hd_ent_logrange(e, 1, 100000);
        b->frees = hd_ent_below(e, b->allocs + 1);
        b->f0 = m->mpframes.n;
        b->nf = (uint32_t)hd_ent_logrange(e, 1, maxf);
        for (uint32_t k = 0; k < b->nf; k++) {
            gm_mpframe *fr = GM_PUSH(&m->mpframes);
            if (hd_ent_chance(e, 1, 10)) {
                fr->func = GM_NONE;             /* a PC the runtime cannot name */
                fr->pc = hd_ent_chance(e, 1, 8) ? 0 : hd_ent_range(e, 1, m->ptrmask);
            } else {
                fr->func = (uint32_t)hd_ent_below(e, m->funcs.n);
                fr->pc = m->funcs.v[fr->func].entry + hd_ent_below(e, m->funcs.v[fr->func].size);
                fr->line = hd_ent_logrange(e, 1, 20000);
            }
        }
    }
    m->offheap_lo = gm_align(addr + 0x1000, 0x1000);
    for (uint64_t i = 0; i < ns && m->buckets.n > 0; i++) {
        uint32_t si, slot;
        if (!gm_take_object(m, e, NULL, 0, &si, &slot))
            break;
        gm_sample *s = GM_PUSH(&m->samples);
        const gm_span *sp = &m->spans.v[si];
        s->obj = gm_slot_addr(sp, slot);
        s->key = walk_key(m, si, s->obj);
        s->bucket = (uint32_t)hd_ent_below(e, m->buckets.n);
        /* the bucket's allocation size fits every object sampled into it */
        if (m->buckets.v[s->bucket].size > sp->elemsize)
            m->buckets.v[s->bucket].size = sp->elemsize;
    }
    if (m->samples.n > 1)
        qsort(m->samples.v, m->samples.n, sizeof *m->samples.v, cmp_key);
}

/* The parts of memstats that do not depend on which objects were written (memstats_fill does the rest). */
static void add_memstats(gm_model *m, hd_entropy *e)
{
    uint64_t *v = m->ms_base;
    uint64_t numgc = hd_ent_chance(e, 1, 8) ? 0 : hd_ent_logrange(e, 1, 5000);
    v[HD_MS_FREES] = hd_ent_logrange(e, 0, 1u << 30);                  /* Frees */
    v[HD_MS_TOTAL_ALLOC] = hd_ent_logrange(e, 0, UINT64_C(1) << 36);         /* TotalAlloc beyond Alloc */
    v[HD_MS_LOOKUPS] = hd_ent_below(e, 1000);                            /* Lookups */
    v[HD_MS_HEAP_IDLE] = gm_align(hd_ent_logrange(e, 0, UINT64_C(1) << 32), 8192);   /* HeapIdle */
    v[HD_MS_HEAP_RELEASED] = v[HD_MS_HEAP_IDLE] / 8192 * 8192 / 2;                          /* HeapReleased <= HeapIdle */
    v[HD_MS_MSPAN_SYS] = hd_ent_logrange(e, 16384, 1 << 24);              /* MSpanSys */
    v[HD_MS_MSPAN_INUSE] = v[HD_MS_MSPAN_SYS] / 2;
    v[HD_MS_MCACHE_SYS] = 16384;                                           /* MCacheSys */
    v[HD_MS_MCACHE_INUSE] = hd_ent_below(e, 16385);
    v[HD_MS_BUCK_HASH_SYS] = hd_ent_logrange(e, 1024, 1 << 22);               /* BuckHashSys */
    v[HD_MS_GC_SYS] = hd_ent_logrange(e, 1 << 16, 1 << 26);            /* GCSys */
    v[HD_MS_OTHER_SYS] = hd_ent_logrange(e, 1 << 16, 1 << 24);            /* OtherSys */
    v[HD_MS_LAST_GC] = numgc ? UINT64_C(1700000000000000000) + hd_ent_below(e, UINT64_C(1) << 52) : 0;   /* LastGC */
    for (uint64_t i = 0; i < 256; i++) {
        uint64_t ns = i < numgc ? hd_ent_logrange(e, 1000, 5000000) : 0;   /* MS3: zero past NumGC */
        v[HD_MS_PAUSE_NS + i] = ns;
        v[HD_MS_PAUSE_TOTAL_NS] += ns;
    }
    if (numgc > 256)
        v[HD_MS_PAUSE_TOTAL_NS] += (numgc - 256) * 20000;                      /* pauses that left the circular buffer */
    v[HD_MS_NUMGC] = numgc;
}

void gm_memstats_fill(const gm_model *m, uint64_t nobjects, uint64_t objbytes, uint64_t *v)
{
    uint64_t spanbytes = 0, stacks = 0;
    memcpy(v, m->ms_base, sizeof m->ms_base);
    for (uint32_t i = 0; i < m->spans.n; i++)
        spanbytes += (uint64_t)m->spans.v[i].nslots * m->spans.v[i].elemsize;
    for (uint32_t i = 0; i < m->gs.n; i++)
        stacks += gm_align(m->gs.v[i].stack_hi - m->gs.v[i].sp + 1024, 2048);
    v[HD_MS_ALLOC] = v[HD_MS_HEAP_ALLOC] = objbytes;                                  /* Alloc == HeapAlloc */
    v[HD_MS_TOTAL_ALLOC] += objbytes;                                        /* TotalAlloc >= Alloc */
    v[HD_MS_MALLOCS] = nobjects + v[HD_MS_FREES];                                  /* Mallocs - Frees == HeapObjects */
    v[HD_MS_HEAP_OBJECTS] = nobjects;
    v[HD_MS_HEAP_INUSE] = gm_align(spanbytes, 8192);                        /* HeapInuse >= HeapAlloc */
    v[HD_MS_HEAP_SYS] = v[HD_MS_HEAP_IDLE] + v[HD_MS_HEAP_INUSE];                                      /* HeapSys == HeapIdle + HeapInuse */
    v[HD_MS_STACK_INUSE] = gm_align(stacks, 8192);
    v[HD_MS_STACK_SYS] = v[HD_MS_STACK_INUSE] + 32768;
    v[HD_MS_SYS] = v[HD_MS_HEAP_SYS] + v[HD_MS_STACK_SYS] + v[HD_MS_MSPAN_SYS] + v[HD_MS_MCACHE_SYS] + v[HD_MS_BUCK_HASH_SYS] + v[HD_MS_GC_SYS] + v[HD_MS_OTHER_SYS];   /* Sys: the sum of the *Sys values */
    v[HD_MS_NEXT_GC] = objbytes * 2 > (4u << 20) ? objbytes * 2 : 4u << 20;   /* NextGC */
}

void gm_build_roots(gm_model *m, hd_entropy *e)
{
    add_finalizers(m, e);
    add_memprof(m, e);
    add_memstats(m, e);
}
