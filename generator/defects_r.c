/* defects_r.c — defects for threads, roots and finalizers (R1xx), memstats and the memory profile (M1xx). */
#include "defects.h"

#include <string.h>

static int twice(gen_emitter *g, hd_record *rec)
{
    gen_put(g, rec);
    return GEN_EMIT;
}

/* R101, R102: two threads with one M address / one id. */
static bool two_threads(gm_model *m, hd_entropy *e)
{
    uint64_t a;
    if (m->ms.n < 2) {
        if (!dx_take_object(m, e, m->mspans.v, m->mspans.n, &a))
            return false;
        gm_m *mm = GM_PUSH(&m->ms);
        mm->addr = a;
        mm->id = m->ms.n - 1;
        mm->procid = m->ms.v[HD_MS_ALLOC].procid ? m->ms.v[HD_MS_ALLOC].procid + 1000 : 0;
    }
    return true;
}
static bool same_m(gm_model *m, hd_entropy *e)
{
    uint64_t old;
    if (!two_threads(m, e))
        return false;
    old = m->ms.v[HD_MS_TOTAL_ALLOC].addr;
    m->ms.v[HD_MS_TOTAL_ALLOC].addr = m->ms.v[HD_MS_ALLOC].addr;
    for (uint32_t i = 0; i < m->gs.n; i++)      /* goroutines on the moved thread follow it (G4) */
        if (m->gs.v[i].m == old)
            m->gs.v[i].m = m->ms.v[HD_MS_ALLOC].addr;
    return true;
}
static bool same_m_id(gm_model *m, hd_entropy *e)
{
    if (!two_threads(m, e))
        return false;
    m->ms.v[HD_MS_TOTAL_ALLOC].id = m->ms.v[HD_MS_ALLOC].id;
    return true;
}
const gen_defect_ops defect_osthread_duplicate = {.prepare = same_m};
const gen_defect_ops defect_osthread_id_duplicate = {.prepare = same_m_id};

/* R103: data moved to overlap bss (m0 lives in bss, so bss stays put). */
static bool data_over_bss(gm_model *m, hd_entropy *e)
{
    (void)e;
    if (m->bss.len < 16)
        m->bss.len = 16;
    if (m->data.len < 16)
        m->data.len = 16;
    m->data.addr = m->bss.addr + 8;
    return true;
}
const gen_defect_ops defect_segments_overlap = {.prepare = data_over_bss};

/* R104–R106: finalizers. */
static bool is_fin(const gen_emitter *g, const hd_record *rec)
{
    (void)g;
    return rec->tag == HD_TAG_FINALIZER || rec->tag == HD_TAG_QFINAL;
}
static bool is_registered(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_FINALIZER; }
static bool need_fin(gm_model *m, hd_entropy *e)
{
    uint32_t v;
    uint64_t a;
    if (m->fins.n > 0)
        return true;
    if (!dx_take_object(m, e, NULL, 0, &a))
        return false;
    gm_fin *f = GM_PUSH(&m->fins);
    f->obj = a;
    f->key = dx_walk_key(m, a);
    v = (uint32_t)hd_ent_below(e, m->funcvals.n);
    f->fn = m->funcvals.v[v];
    f->code = m->funcs.v[v % m->funcs.n].entry;
    f->fint = f->ot = m->types.v[HD_MS_ALLOC].addr;
    return true;
}
static int fin_nowhere(gen_emitter *g, hd_record *rec)
{
    rec->u.finalizer.obj = dx_free_arena(g->m, (unsigned)dx_pick(g, 70, 0, 64));
    return GEN_EMIT;
}
static int fin_zero(gen_emitter *g, hd_record *rec)
{
    uint64_t *f[4] = {&rec->u.finalizer.fn, &rec->u.finalizer.code, &rec->u.finalizer.fint, &rec->u.finalizer.ot};
    *f[dx_pick(g, 71, 0, 3)] = 0;
    return GEN_EMIT;
}
const gen_defect_ops defect_finalizer_no_object = {.prepare = need_fin, .candidate = is_fin, .apply = fin_nowhere};
const gen_defect_ops defect_finalizer_field_zero = {.prepare = need_fin, .candidate = is_fin, .apply = fin_zero};
const gen_defect_ops defect_finalizer_duplicate = {.prepare = need_fin, .candidate = is_registered, .apply = twice};

/* M101–M103: memstats. */
static bool is_memstats(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_MEMSTATS; }
static int numgc_wide(gen_emitter *g, hd_record *rec)
{
    rec->u.memstats.v[HD_MS_NUMGC] = (UINT64_C(1) << 32) + dx_pick(g, 72, 0, 1000);
    return GEN_EMIT;
}
static int heapsys_off(gen_emitter *g, hd_record *rec)
{
    rec->u.memstats.v[HD_MS_HEAP_SYS] += 8192 * dx_pick(g, 73, 1, 16);   /* HeapSys != HeapIdle + HeapInuse */
    return GEN_EMIT;
}
static int pause_past_numgc(gen_emitter *g, hd_record *rec)
{
    uint64_t *v = rec->u.memstats.v;
    if (v[HD_MS_NUMGC] >= 256)
        v[HD_MS_NUMGC] = 255;                                        /* PauseNs[255] is set */
    else
        v[HD_MS_PAUSE_NS + v[HD_MS_NUMGC]] = 1000 + dx_pick(g, 74, 0, 100000);
    return GEN_EMIT;
}
const gen_defect_ops defect_memstats_numgc = {.candidate = is_memstats, .apply = numgc_wide};
const gen_defect_ops defect_memstats_inconsistent = {.candidate = is_memstats, .apply = heapsys_off};
const gen_defect_ops defect_memstats_pause = {.candidate = is_memstats, .apply = pause_past_numgc};

/* M104–M108: the memory profile. */
static bool is_bucket(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_MEMPROF; }
static bool is_sample(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_ALLOCSAMPLE; }
static bool need_sample(gm_model *m, hd_entropy *e)
{
    uint64_t a;
    if (m->buckets.n == 0) {
        gm_bucket *b = GM_PUSH(&m->buckets);
        b->addr = m->offheap_lo + 0x400;
        b->size = 8;
        b->allocs = 1;
        b->f0 = m->mpframes.n;
        b->nf = 1;
        gm_mpframe *f = GM_PUSH(&m->mpframes);
        f->func = 1;
        f->pc = m->funcs.v[HD_MS_TOTAL_ALLOC].entry;
        f->line = 1;
    }
    if (m->samples.n > 0)
        return true;
    if (!dx_take_object(m, e, NULL, 0, &a))
        return false;
    gm_sample *s = GM_PUSH(&m->samples);
    s->obj = a;
    s->key = dx_walk_key(m, a);
    s->bucket = 0;
    if (m->buckets.v[HD_MS_ALLOC].size > 64)
        m->buckets.v[HD_MS_ALLOC].size = 64;                 /* fits the smallest object it may sit on here */
    return true;
}
const gen_defect_ops defect_memprof_duplicate = {.prepare = need_sample, .candidate = is_bucket, .apply = twice};

/* M105: an unknown-PC frame in the other version's text form ("(0x…)" in go1.3/1.4, "0x…" later). */
static int wrong_pc_text(gen_emitter *g, hd_record *rec)
{
    static const char v13[] = "(0x4a5b6c)", v15[] = "0x4a5b6c";
    uint64_t n = rec->u.memprof.nframes < HD_KEEP_MPFRAMES ? rec->u.memprof.nframes : HD_KEEP_MPFRAMES;
    hd_mpframe *f = &g->mpf[dx_pick(g, 75, 0, n - 1)];      /* a frame the reader keeps, so it is judged */
    const char *s = g->layout <= HD_V14 ? v13 : v15;
    f->name.len = f->name.kept = strlen(s);
    f->name.p = (const uint8_t *)s;
    f->file.len = f->file.kept = 1;
    f->file.p = (const uint8_t *)"?";
    f->line = 0;
    return GEN_EMIT;
}
static bool bucket_with_frames(const gen_emitter *g, const hd_record *rec)
{
    return rec->tag == HD_TAG_MEMPROF && rec->u.memprof.nframes > 0 && rec->u.memprof.frames == g->mpf;
}
const gen_defect_ops defect_memprof_unknown_pc = {.prepare = need_sample, .candidate = bucket_with_frames,
                                                  .apply = wrong_pc_text};

static int sample_bucket_off(gen_emitter *g, hd_record *rec)
{
    rec->u.sample.bucket += g->m->ps;       /* buckets are at least 8 words apart */
    return GEN_EMIT;
}
static int sample_nowhere(gen_emitter *g, hd_record *rec)
{
    rec->u.sample.addr = dx_free_arena(g->m, (unsigned)dx_pick(g, 76, 0, 64));
    return GEN_EMIT;
}
const gen_defect_ops defect_sample_bucket_unknown = {.prepare = need_sample, .candidate = is_sample,
                                                     .apply = sample_bucket_off};
const gen_defect_ops defect_sample_no_object = {.prepare = need_sample, .candidate = is_sample, .apply = sample_nowhere};
const gen_defect_ops defect_sample_duplicate = {.prepare = need_sample, .candidate = is_sample, .apply = twice};

/* R107 (go1.3): an otherroot with another description than "runtime type info". The model gives some spans
 * an otherroot; a dump without any gets one before the finalizers of a span drawn here. */
static bool need_otherroot(gm_model *m, hd_entropy *e)
{
    if (m->otherroots.n == 0 && m->order.n > 0)
        *GM_PUSH(&m->otherroots) = (uint32_t)hd_ent_below(e, m->order.n);
    return m->otherroots.n > 0;
}
static bool is_otherroot(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_OTHERROOT; }
static int other_description(gen_emitter *g, hd_record *rec)
{
    static const char *const desc[] = {"runtime type inf", "Runtime type info", "runtime type info ", "",
                                       "finalizer", "stack", "runtime type info\n", "data"};
    const char *d = desc[dx_pick(g, 77, 0, sizeof desc / sizeof desc[0] - 1)];
    rec->u.otherroot.desc = hd_bytes_of(d, strlen(d));
    return GEN_EMIT;
}
const gen_defect_ops defect_otherroot_desc = {.prepare = need_otherroot, .candidate = is_otherroot,
                                              .apply = other_description};
