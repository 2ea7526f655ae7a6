/* model_gs.c — goroutines with frame chains, defers, panics, and OS threads.
 *
 * Invariants kept here (FORMAT.md §5.5, §5.6): G addresses are the starts of distinct heap objects (L1),
 * ids unique (G3); the dumping goroutine waits with "dumping heap" (G5); frames are contiguous from the
 * goroutine's SP (S1–S4) with entry <= PC (S5); defer and panic chains link in order, with the owning G
 * (D1, D2); panics live in frames of their goroutine, defers in heap objects or in its frames (L1); M
 * addresses are unique, inside a heap object or bss (L1, M1). */
#include "model.h"

#include <string.h>

#define FRAME_MAX_WORDS 512

/* Frames are a pure function of (fseed, depth): the emitter and the model agree without storing them. */
void gm_frame_first(const gm_model *m, const gm_g *g, gm_frame *f)
{
    (void)m;
    memset(f, 0, sizeof *f);
    f->depth = UINT64_MAX;
    f->sp = g->sp;
}

bool gm_frame_next(const gm_model *m, const gm_g *g, gm_frame *f)
{
    const gm_func *fn;
    uint64_t words;
    if (f->depth == UINT64_MAX) {
        f->depth = 0;
        f->child_sp = 0;
    } else {
        f->child_sp = f->sp;
        f->sp += f->len;
        f->depth++;
    }
    if (f->depth >= g->nframes)
        return false;
    f->seed = hd_mix64(g->fseed + f->depth * UINT64_C(0x9e3779b97f4a7c15));
    /* x86 frames are never empty (a return address at least): len >= one word keeps SP strictly rising */
    words = (f->seed & 31) == 0 ? 1 + ((f->seed >> 8) % FRAME_MAX_WORDS) : 1 + ((f->seed >> 8) % 24);
    f->len = words * m->ps;
    if (g->bend != 0 && f->depth == g->bend) {
        /* defect G113: start one word below the callee, and reach as far up as the frame would have */
        uint64_t below = f->child_sp - m->ps;
        f->len += f->sp - below;
        f->sp = below;
    }
    /* the outermost frame is runtime.goexit (function 0) */
    f->func = f->depth + 1 == g->nframes ? 0 : (uint32_t)((f->seed >> 20) % m->funcs.n);
    fn = &m->funcs.v[f->func];
    f->pc = fn->entry + 1 + ((f->seed >> 40) % (fn->size - 1));   /* entry < pc < entry + size (S5) */
    f->contpc = (f->seed >> 36 & 15) == 0 ? 0 : f->pc;
    return true;
}

static uint64_t pc_in(const gm_model *m, hd_entropy *e)
{
    const gm_func *f = &m->funcs.v[hd_ent_below(e, m->funcs.n)];
    return f->entry + 1 + hd_ent_below(e, f->size - 1);
}

/* Frames of one goroutine: on average its share of the goroutine budget (a frame is ~290 bytes of dump on
 * 64-bit targets, ~170 on 32-bit ones). Deep stacks: at least 100 frames, unless the dump is tiny. */
static uint32_t frames_for(gm_model *m, hd_entropy *e)
{
    uint32_t f = m->cfg.features;
    uint64_t per = m->budget_gs / (m->ng ? m->ng : 1) / (m->ps == 8 ? 290 : 170), lo;
    if (f & HD_GF(FEW_GOROUTINES))
        return 1;
    if (per > 1000000)
        per = 1000000;
    if (f & HD_GF(DEEP_STACKS)) {
        lo = per < 8 ? 8 : per < 100 ? per : 100;
        return (uint32_t)hd_ent_range(e, per / 2 > lo ? per / 2 : lo, per * 3 / 2 > lo ? per * 3 / 2 : lo);
    }
    return (uint32_t)hd_ent_range(e, 1, per * 2 > 1 ? per * 2 : 1);
}

/* A depth to walk to: frames are derived one after the other, so reaching depth d costs d steps. Defers and
 * panics sit in the innermost WALK_MAX frames, which keeps building a model of a million-frame stack linear. */
#define WALK_MAX 4096u
static uint64_t walk_depth(hd_entropy *e, const gm_g *g)
{
    return hd_ent_below(e, g->nframes < WALK_MAX ? g->nframes : WALK_MAX);
}

/* Address inside a random frame of g, not used yet; 0 if none is free. */
static uint64_t addr_in_frame(gm_model *m, hd_entropy *e, const gm_g *g)
{
    for (int tries = 0; tries < 8; tries++) {
        uint64_t want = walk_depth(e, g);
        gm_frame f;
        gm_frame_first(m, g, &f);
        while (gm_frame_next(m, g, &f) && f.depth < want)
            ;
        uint64_t a = f.sp + m->ps * hd_ent_below(e, f.len / m->ps);
        if (gm_set_add(&m->used, a))
            return a;
    }
    return 0;
}

/* SP of a random frame of g (a defer's argp / sp). */
static uint64_t frame_sp(const gm_model *m, hd_entropy *e, const gm_g *g)
{
    uint64_t want = walk_depth(e, g);
    gm_frame f;
    gm_frame_first(m, g, &f);
    while (gm_frame_next(m, g, &f) && f.depth < want)
        ;
    return f.sp;
}

static uint64_t take_addr(gm_model *m, hd_entropy *e, const void *listp)
{
    const GM_VEC(uint32_t) *list = listp;
    uint32_t si, slot;
    if (!gm_take_object(m, e, list->v, list->n, &si, &slot) && !gm_take_object(m, e, NULL, 0, &si, &slot))
        return 0;
    return gm_slot_addr(&m->spans.v[si], slot);
}

static void add_defers(gm_model *m, hd_entropy *e, gm_g *g)
{
    uint32_t f = m->cfg.features;
    uint64_t n = (f & HD_GF(DEFERS)) ? hd_ent_below(e, 13) : hd_ent_chance(e, 1, 4) ? hd_ent_range(e, 1, 2) : 0;
    unsigned minor = m->cfg.go_minor;
    g->d0 = m->defers.n;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t a = 0;
        if (minor >= 13 && hd_ent_chance(e, 1, 2))
            a = addr_in_frame(m, e, g);          /* stack-allocated defer (Go 1.13+) */
        if (a == 0)
            a = take_addr(m, e, &m->dspans);
        if (a == 0)
            break;
        gm_defer *d = GM_PUSH(&m->defers);
        d->addr = a;
        d->argp = frame_sp(m, e, g);
        d->pc = pc_in(m, e);
        /* Go 1.14–1.21: an open-coded defer picked up by a panic has fn = 0 and code 0 (D4) */
        if (minor >= 17 && minor <= 21 && hd_ent_chance(e, 1, 6)) {
            d->fn = d->code = 0;
        } else {
            uint32_t v = (uint32_t)hd_ent_below(e, m->funcvals.n);
            d->fn = m->funcvals.v[v];
            d->code = m->funcs.v[v % m->funcs.n].entry;
        }
    }
    g->nd = m->defers.n - g->d0;
}

static void add_panics(gm_model *m, hd_entropy *e, gm_g *g)
{
    uint32_t f = m->cfg.features;
    uint64_t n = (f & HD_GF(DEFERS)) ? hd_ent_below(e, 4) : hd_ent_chance(e, 1, 16) ? 1 : 0;
    g->p0 = m->panics.n;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t a = addr_in_frame(m, e, g);      /* panics live on the stack (L1) */
        if (a == 0)
            break;
        gm_panic *p = GM_PUSH(&m->panics);
        p->addr = a;
        if (m->cfg.go_minor >= 14 && hd_ent_chance(e, 1, 4)) {
            p->type = p->data = 0;                /* runtime.Goexit's panic record */
        } else {
            p->type = m->types.v[hd_ent_below(e, m->types.n)].addr;
            p->data = m->spans.n ? gm_pick_object(m, hd_ent_u64(e)) : 0;
        }
        /* go1.3 recorded the defer being run; later versions write 0 (D3) */
        if (m->cfg.layout == HD_V13 && g->nd > 0 && hd_ent_chance(e, 1, 2))
            p->defer = m->defers.v[g->d0 + hd_ent_below(e, g->nd)].addr;
    }
    g->np = m->panics.n - g->p0;
}

static void add_threads(gm_model *m, hd_entropy *e)
{
    uint64_t pid = hd_ent_range(e, 1000, 400000);
    bool procids = hd_ent_chance(e, 7, 8);
    for (uint32_t i = 0; i < m->nm; i++) {
        uint64_t a = 0;
        /* m0 is a global in bss when bss has room for it */
        if (i == 0 && m->bss.len >= 8 * m->ps) {
            a = m->bss.addr + m->ps * hd_ent_below(e, m->bss.len / m->ps);
            if (!gm_set_add(&m->used, a))
                a = 0;
        }
        if (a == 0)
            a = take_addr(m, e, &m->mspans);
        if (a == 0)
            break;
        gm_m *mm = GM_PUSH(&m->ms);
        mm->addr = a;
        mm->id = i;
        mm->procid = procids ? pid + i : 0;
    }
}

/* Wait reasons of system goroutines (table indexes, see gm_wait_reasons). */
static bool system_reason(uint32_t r) { return r >= 8 && r <= 12; }

void gm_build_gs(gm_model *m, hd_entropy *e)
{
    uint32_t caller = (uint32_t)hd_ent_below(e, m->ng);
    uint64_t id = hd_ent_range(e, 1, 2), t0 = hd_ent_range(e, 1, UINT64_C(1) << 40);

    add_threads(m, e);
    for (uint32_t i = 0; i < m->ng; i++) {
        uint64_t a = take_addr(m, e, &m->gspans), total = 0;
        gm_frame f;
        if (a == 0)
            break;
        gm_g *g = GM_PUSH(&m->gs);
        g->addr = a;
        g->id = id;
        id += 1 + (hd_ent_chance(e, 1, 4) ? hd_ent_below(e, 20) : 0);
        g->gopc = pc_in(m, e);
        g->nframes = frames_for(m, e);
        g->fseed = hd_ent_u64(e);
        /* stack: frames are contiguous from sp upwards */
        g->sp = m->stack_cursor + m->ps * hd_ent_range(e, 4, 64);
        gm_frame_first(m, g, &f);
        while (gm_frame_next(m, g, &f))
            total += f.len;
        g->stack_hi = g->sp + total;
        m->stack_cursor = gm_align(g->stack_hi + 64, 2048);

        if (i == caller) {
            g->status = 4;                         /* the caller of WriteHeapDump (G5) */
            g->reason = 1;
        } else {
            unsigned r = (unsigned)hd_ent_below(e, 10);
            g->status = r < 7 ? 4 : r < 9 ? 1 : 3;
            if (g->status == 4)
                g->reason = 2 + (uint32_t)hd_ent_below(e, gm_nwait_reasons - 2);
        }
        g->system = system_reason(g->reason);
        g->background = m->cfg.layout == HD_V13 && g->system && hd_ent_chance(e, 1, 2);
        g->waitsince = g->status == 4 && hd_ent_chance(e, 1, 2) ? t0 + hd_ent_below(e, UINT64_C(1) << 36) : 0;
        g->ctxt = hd_ent_chance(e, 1, 8) ? m->funcvals.v[hd_ent_below(e, m->funcvals.n)] : 0;
        if (m->ms.n > 0 && (i == caller || g->status == 3 || hd_ent_chance(e, 1, 8)))
            g->m = m->ms.v[hd_ent_below(e, m->ms.n)].addr;
        add_defers(m, e, g);
        add_panics(m, e, g);
    }
    m->arena_end = gm_align(m->stack_cursor, gm_arena_unit(m->ps));
}
