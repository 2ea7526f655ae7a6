/* defects.c — the defect table (include/hd/defects.def) and helpers for the defect implementations. */
#include "defects.h"
#include "hd/diag.h"

#include <string.h>

/* The rule IDs by rule ("S105" at HD_R_BOOL_INVALID): an element of this array is an address constant, so the
 * table below can name a defect's rule by its enum and still hold the ID string. */
static const char rule_ids[HD_RULE_COUNT][8] = {
#define HD_RULE(ident, id, sev, kind, name, inv, doc) [HD_R_##ident] = id,
#include "hd/rules.def"
#undef HD_RULE
};

static const struct {
    hd_defect_info        info;
    const gen_defect_ops *ops;
} table[] = {
#define HD_DEFECT(rule, name, layouts, ptrsizes, go, how)                                                      \
    {{rule_ids[HD_R_##rule], HD_R_##rule, #name, layouts, ptrsizes, go, how}, &defect_##name},
#include "hd/defects.def"
#undef HD_DEFECT
};

#define NDEFECTS (sizeof table / sizeof table[0])

unsigned hd_defect_count(void) { return (unsigned)NDEFECTS; }

const hd_defect_info *hd_defect_get(unsigned i) { return i < NDEFECTS ? &table[i].info : NULL; }

const gen_defect_ops *gen_defect_ops_get(unsigned i) { return i < NDEFECTS ? table[i].ops : NULL; }

/* Defect names are C identifiers (bool_invalid); accept them with dashes too (bool-invalid). */
static bool same_name(const char *ident, const char *key)
{
    for (; *ident && *key; ident++, key++)
        if (*ident != *key && !(*ident == '_' && *key == '-'))
            return false;
    return *ident == *key;
}

/* By the rule's ID or name (hd_rule_find), else by the defect's own name. */
int hd_defect_find(const char *key)
{
    int rule = hd_rule_find(key);
    for (unsigned i = 0; i < NDEFECTS; i++)
        if ((rule >= 0 && table[i].info.rule == (hd_rule)rule) || same_name(table[i].info.name, key))
            return (int)i;
    return -1;
}

bool hd_defect_applies(unsigned i, hd_layout l, unsigned ptrsize)
{
    return i < NDEFECTS && (table[i].info.layouts & HD_DL(l)) != 0 && (table[i].info.ptrsizes & ptrsize) != 0;
}

/* ---- helpers ---------------------------------------------------------------------------------- */

int dx_put_hook(gen_emitter *g, const hd_record *rec, hd_enc_hook hook, void *ctx)
{
    int r;
    if (g->stopped)
        return 0;
    r = hd_enc_record_hook(g->out, g->layout, rec, hook, ctx);
    if (r >= 0) {                        /* not tapped: its bytes are not what rec says */
        g->count[rec->tag]++;
        g->records++;
    }
    return r == 1;
}

static const layout_step *steps_of(const gen_emitter *g, const hd_record *rec)
{
    return hd_enc_steps(g->layout, rec->tag);
}

unsigned dx_count_steps(const gen_emitter *g, const hd_record *rec, bool (*want)(int op))
{
    const layout_step *st = steps_of(g, rec);
    unsigned n = 0;
    for (; st != NULL && st->op != ST_END; st++)
        n += want(st->op);
    return n;
}

unsigned dx_find_step(const gen_emitter *g, const hd_record *rec, bool (*want)(int op), uint64_t n)
{
    const layout_step *st = steps_of(g, rec);
    for (unsigned i = 1; st != NULL && st->op != ST_END; st++, i++)
        if (want(st->op) && n-- == 0)
            return i;
    return 0;
}

uint64_t dx_pick(const gen_emitter *g, unsigned salt, uint64_t lo, uint64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + hd_mix64(g->dstate[0] + salt) % (hi - lo + 1);
}

/* An itab whose type is pointer-shaped: go1.4+ write a type record (bool 1) before it, go1.3 an itab
 * bool 1. */
static gm_itab *add_direct_itab(gm_model *m)
{
    uint32_t t = 0;
    while (t < m->types.n && !m->types.v[t].direct_iface)
        t++;
    if (t == m->types.n)
        m->types.v[t = 0].direct_iface = true;
    gm_itab *it = GM_PUSH(&m->itabs);
    it->addr = m->offheap_lo;
    it->type = t;
    it->ptrdata = true;
    m->offheap_lo += 0x1000;
    return it;
}

void dx_ensure_itab(gm_model *m)
{
    if (m->itabs.n == 0)
        add_direct_itab(m);
}

/* The type an itab makes dumptype write: go1.7+ T itself, go1.4–1.6 *T for an indirect T (GM_NONE when
 * the binary has no *T), go1.3 none. */
static uint32_t itab_named(const gm_model *m, const gm_itab *it)
{
    const gm_type *t = &m->types.v[it->type];
    if (m->cfg.layout == HD_V13)
        return GM_NONE;
    return m->cfg.layout == HD_V17 || t->direct_iface ? it->type : t->ptrto;
}

uint32_t dx_emitted_type(gm_model *m, hd_entropy *e)
{
    if (m->cfg.layout == HD_V13) {
        for (uint32_t i = 0; i < m->spans.n; i++)
            if (m->spans.v[i].type13 != GM_NONE)
                return m->spans.v[i].type13;
        gm_span *s = &m->spans.v[0];            /* slot 0 is always live: its object's type is written */
        s->type13 = gm_type_for_size(m, e, s->elemsize, false);
        s->kind13 = 0;
        return s->type13;
    }
    for (uint32_t i = 0; i < m->itabs.n; i++)
        if (itab_named(m, &m->itabs.v[i]) != GM_NONE)
            return itab_named(m, &m->itabs.v[i]);
    return itab_named(m, add_direct_itab(m));
}

bool dx_some_type(gm_model *m, hd_entropy *e)
{
    dx_emitted_type(m, e);
    return true;
}

hd_fields *dx_fields(gen_emitter *g, hd_record *rec)
{
    hd_fields *f = rec->tag == HD_TAG_OBJECT ? &rec->u.object.fields
                 : rec->tag == HD_TAG_FRAME ? &rec->u.frame.fields
                 : rec->tag == HD_TAG_DATA || rec->tag == HD_TAG_BSS ? &rec->u.segment.fields : NULL;
    if (f == NULL || f->v != g->co.fields || (rec->tag == HD_TAG_OBJECT && g->layout == HD_V13))
        return NULL;
    return f;
}

hd_bytes *dx_contents(gen_emitter *g, hd_record *rec)
{
    hd_bytes *b = rec->tag == HD_TAG_OBJECT ? &rec->u.object.contents
                : rec->tag == HD_TAG_FRAME ? &rec->u.frame.contents
                : rec->tag == HD_TAG_DATA || rec->tag == HD_TAG_BSS ? &rec->u.segment.contents : NULL;
    return b != NULL && b->p == g->co.buf ? b : NULL;
}

void dx_extra_object(gen_emitter *g, uint64_t addr, uint64_t len)
{
    static const uint8_t zero[64];
    hd_record r;
    memset(&r, 0, sizeof r);
    r.tag = HD_TAG_OBJECT;
    r.u.object.addr = addr;
    r.u.object.contents.len = r.u.object.contents.kept = len;
    r.u.object.contents.p = zero;
    gen_put(g, &r);
}

uint64_t dx_free_arena(const gm_model *m, unsigned k) { return m->heap_end + 64 + 8 * (uint64_t)k; }

/* A live object no role uses yet; when the heap has none left (small dumps), a new one-page span in the
 * free page between the last span and the first stack, last in allspans order. */
bool dx_take_object(gm_model *m, hd_entropy *e, const uint32_t *from, uint32_t nfrom, uint64_t *addr)
{
    uint32_t si, slot;
    if (gm_take_object(m, e, from, nfrom, &si, &slot) || gm_take_object(m, e, NULL, 0, &si, &slot)) {
        *addr = gm_slot_addr(&m->spans.v[si], slot);
        return true;
    }
    gm_span *s = GM_PUSH(&m->spans);
    s->base = m->heap_end;
    s->elemsize = 64;
    s->nslots = 8192 / 64;
    s->seed = m->heap_end;
    s->shape = SH_NOPTR;
    s->type13 = GM_NONE;
    s->rank = m->order.n;
    *GM_PUSH(&m->order) = m->spans.n - 1;
    m->heap_end += 8192;
    if (m->maxelem < 64)
        m->maxelem = 64;
    *addr = s->base;
    return gm_set_add(&m->used, s->base);
}

/* A goroutine with frames, preferably one without defers (panics). */
static gm_g *pick_g(gm_model *m, bool panics)
{
    gm_g *any = NULL;
    for (uint32_t i = 0; i < m->gs.n; i++) {
        gm_g *g = &m->gs.v[i];
        if (g->nframes == 0)
            continue;
        if ((panics ? g->np : g->nd) == 0)
            return g;
        any = any != NULL ? any : g;
    }
    return any;
}

/* Move g's chain to the end of the vector, so that entries can be appended to it. */
static void chain_to_end(gm_model *m, gm_g *g, bool panics)
{
    uint32_t n = panics ? g->np : g->nd, from = panics ? g->p0 : g->d0;
    if (panics) {
        if (from + n == m->panics.n)
            return;
        g->p0 = m->panics.n;
        for (uint32_t i = 0; i < n; i++) {
            gm_panic p = m->panics.v[from + i];   /* copied first: the push may move the vector */
            *GM_PUSH(&m->panics) = p;
        }
    } else {
        if (from + n == m->defers.n)
            return;
        g->d0 = m->defers.n;
        for (uint32_t i = 0; i < n; i++) {
            gm_defer d = m->defers.v[from + i];
            *GM_PUSH(&m->defers) = d;
        }
    }
}

bool dx_add_defers(gm_model *m, hd_entropy *e, unsigned n, bool same)
{
    gm_g *g = pick_g(m, false);
    uint64_t a = 0;
    if (g == NULL)
        return false;
    chain_to_end(m, g, false);
    for (unsigned i = 0; i < n; i++) {
        if ((i == 0 || !same) && !dx_take_object(m, e, m->dspans.v, m->dspans.n, &a))
            return false;
        gm_defer d = {a, g->sp, m->funcs.v[1].entry + 1, m->funcvals.v[0], m->funcs.v[0].entry};
        *GM_PUSH(&m->defers) = d;
        g->nd++;
    }
    return true;
}

bool dx_add_panics(gm_model *m, unsigned n, bool same)
{
    gm_g *g = pick_g(m, true);
    uint64_t a = g != NULL ? g->sp : 0;
    if (g == NULL)
        return false;
    chain_to_end(m, g, true);
    for (unsigned i = 0; i < n; i++) {
        /* on the stack, inside its frames, at addresses no other panic of it has */
        while (!same || i == 0) {
            bool taken = false;
            for (uint32_t k = 0; k < g->np; k++)
                taken |= m->panics.v[g->p0 + k].addr == a;
            if (!taken || a + m->ps >= g->stack_hi)
                break;
            a += m->ps;
        }
        gm_panic p = {a, m->types.v[0].addr, 0, 0};
        *GM_PUSH(&m->panics) = p;
        g->np++;
        if (!same)
            a += m->ps;
    }
    return true;
}

void dx_fields_on(hd_gen_config *cfg)
{
    cfg->features &= ~(HD_GF(NO_POINTERS) | HD_GF(EMPTY_SEGMENTS) | HD_GF(FEW_GOROUTINES));
    cfg->features |= HD_GF(BIG_SEGMENTS);    /* go1.3 objects have no field list: data and bss must */
}

uint64_t dx_walk_key(const gm_model *m, uint64_t addr)
{
    for (uint32_t i = 0; i < m->spans.n; i++) {
        const gm_span *s = &m->spans.v[i];
        if (addr >= s->base && addr - s->base < (uint64_t)s->nslots * s->elemsize)
            return ((uint64_t)s->rank << 32) | (addr - s->base);
    }
    return UINT64_MAX;
}

bool dx_more_frames(gm_model *m, hd_entropy *e)
{
    (void)e;
    if (m->gs.n > 0 && m->gs.v[m->gs.n - 1].nframes < 16)
        m->gs.v[m->gs.n - 1].nframes = 16;
    return true;
}
