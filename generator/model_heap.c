/* model_heap.c — spans of objects inside the arena, the allspans order, and picking objects.
 *
 * Spans are laid out upwards from the arena start with occasional holes (free spans); the allspans order
 * the writer walks is a shuffle of them, so objects are ascending within a span only (FORMAT.md §4). Size
 * classes are Go's, every one a multiple of 8 (O5); large objects get a span of their own (one slot). */
#include "model.h"

static const uint16_t classes[] = {
    8,    16,   24,   32,   48,   64,   80,   96,   112,  128,   144,   160,   176,   192,   208,   224,   240,
    256,  288,  320,  352,  384,  416,  448,  480,  512,  576,   640,   704,   768,   896,   1024,  1152,  1280,
    1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096,  4864,  5376,  6144,  6528,  6784,  6912,  8192,
    9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
};
#define NCLASSES (sizeof classes / sizeof classes[0])
#define PAGE 8192u

static uint8_t draw_shape(gm_model *m, hd_entropy *e)
{
    uint32_t f = m->cfg.features;
    bool ifaces = (f & HD_GF(IFACES)) && m->cfg.layout <= HD_V14;
    if (f & HD_GF(NO_POINTERS))
        return SH_NOPTR;
    if (f & HD_GF(POINTER_HEAVY))
        return hd_ent_chance(e, 3, 4) ? SH_ALLPTR : SH_PREFIX;
    if (ifaces && hd_ent_chance(e, 1, 2))
        return SH_IFACE;
    return (uint8_t)hd_ent_below(e, m->cfg.layout <= HD_V14 ? SH_COUNT : SH_IFACE);
}

/* go1.3: the kind and type of the span's objects (see contents.c for how they shape the contents). */
static void draw_kind13(gm_model *m, hd_entropy *e, gm_span *s)
{
    unsigned r = (unsigned)hd_ent_below(e, 16);
    s->type13 = GM_NONE;
    s->kind13 = 0;
    if (r < 2) {
        s->kind13 = 127;                                   /* conservatively scanned, no type */
        return;
    }
    if (r < 4)
        return;                                            /* single object of unknown type */
    if (r < 9 || s->elemsize <= m->chansize + m->ps) {
        s->type13 = gm_type_for_size(m, e, s->elemsize < 4096 ? s->elemsize : 4096, true);
    } else if (r < 13) {
        s->kind13 = 1;                                     /* array of a type without Eface fields */
        s->type13 = gm_type_for_size(m, e, s->elemsize < 4096 ? s->elemsize : 4096, false);
    } else {
        s->kind13 = 2;                                     /* channel: header, then elements */
        uint64_t room = s->elemsize - m->chansize;
        s->type13 = gm_type_for_size(m, e, room < 512 ? room : 512, false);
    }
    if (s->type13 == GM_NONE)
        s->kind13 = 0;
}

static uint64_t live_estimate(const gm_span *s) { return (uint64_t)s->nslots * (65536 - s->freeprob) / 65536 + 1; }

/* Dump bytes one object of the span takes, roughly: contents, address, length, field list. */
static uint64_t object_cost(const gm_model *m, const gm_span *s)
{
    uint64_t words = s->elemsize / m->ps;
    /* field bytes: about 3 per field; prefix objects report ~20% of their words, iface ones ~45% */
    uint64_t f = m->cfg.layout == HD_V13 || s->shape == SH_NOPTR ? 0
               : s->shape == SH_ALLPTR ? words * 3 : s->shape == SH_PREFIX ? words / 2 : words * 4 / 3;
    return s->elemsize + 9 + f;
}

static uint32_t add_span(gm_model *m, hd_entropy *e, uint64_t elemsize, uint64_t spanbytes, uint64_t *cursor)
{
    gm_span *s = GM_PUSH(&m->spans);
    if (hd_ent_chance(e, 1, 8))
        *cursor += PAGE * hd_ent_range(e, 1, 16);          /* a free span: a hole in the arena */
    s->base = *cursor;
    s->elemsize = elemsize;
    s->nslots = (uint32_t)(spanbytes / elemsize);
    s->seed = hd_ent_u64(e);
    s->freeprob = hd_ent_chance(e, 1, 3) ? 0 : (uint16_t)hd_ent_below(e, 30000);
    s->shape = draw_shape(m, e);
    s->type13 = GM_NONE;
    *cursor += spanbytes;
    if (elemsize > m->maxelem)
        m->maxelem = elemsize;
    if (m->cfg.layout == HD_V13)
        draw_kind13(m, e, &m->spans.v[m->spans.n - 1]);
    return m->spans.n - 1;
}

static uint64_t small_span_bytes(uint64_t elemsize, uint64_t minspan)
{
    uint64_t b = gm_align(elemsize * 8, PAGE);
    return b < minspan ? minspan : b;
}

/* Spans of one size class until `need` live objects fit; their indexes go to `list`. */
static void add_host_spans(gm_model *m, hd_entropy *e, uint64_t elemsize, uint32_t need, uint64_t *cursor,
                           void *listp)
{
    GM_VEC(uint32_t) *list = listp;
    uint32_t live = 0;
    while (live < need + need / 4 + 1) {
        uint32_t si = add_span(m, e, elemsize, small_span_bytes(elemsize, PAGE), cursor);
        gm_span *s = &m->spans.v[si];
        /* a small dump should not be padded with a full span of them: free what is not needed */
        uint64_t want = need + need / 4 + 1 - live;
        if (want < s->nslots)
            s->freeprob = (uint16_t)(65535 - 65535 * want / s->nslots);
        for (uint32_t k = 0; k < s->nslots; k++)
            live += gm_slot_live(s, k);
        *GM_PUSH(list) = si;
    }
}

static uint64_t draw_elemsize(gm_model *m, hd_entropy *e, uint64_t left)
{
    uint32_t f = m->cfg.features;
    if ((f & HD_GF(HUGE_OBJECTS)) && hd_ent_chance(e, 1, 6) && left > 40 * 1024) {
        uint64_t max = left < (UINT64_C(8) << 20) ? left : UINT64_C(8) << 20;
        return gm_align(hd_ent_logrange(e, 33 * 1024, max), PAGE);
    }
    if (hd_ent_chance(e, 1, 40) && left > 40 * 1024) {
        uint64_t max = left < 256 * 1024 ? left : 256 * 1024;
        return gm_align(hd_ent_logrange(e, 33 * 1024, max), PAGE);
    }
    if (f & HD_GF(TINY_OBJECTS))
        return hd_ent_chance(e, 3, 4) ? classes[hd_ent_below(e, 2)] : classes[hd_ent_below(e, 12)];
    return classes[hd_ent_logrange(e, 0, NCLASSES - 1)];
}

void gm_build_heap(gm_model *m, hd_entropy *e)
{
    uint64_t cursor = m->arena_start, spent = 0, minspan;
    unsigned ps = m->ps;
    uint32_t ndefer_host = (m->cfg.features & HD_GF(DEFERS)) ? m->ng * 8 : m->ng;

    /* bound the span count (and so the model) for big dumps: about 100 000 spans at most */
    minspan = gm_align(m->budget_heap / 100000 + 1, PAGE);

    /* objects that hold runtime structures: G (384/224-byte class), M, heap-allocated defers; a defect
     * may need a few more (a second thread, another defer, a finalizer on a free object) */
    uint32_t spare = m->cfg.defect >= 0 ? 8 : 0;
    add_host_spans(m, e, ps == 8 ? 384 : 224, m->ng, &cursor, &m->gspans);
    add_host_spans(m, e, ps == 8 ? 1024 : 640, m->nm + spare, &cursor, &m->mspans);
    add_host_spans(m, e, ps == 8 ? 48 : 32, ndefer_host + spare, &cursor, &m->dspans);
    for (uint32_t i = 0; i < m->spans.n; i++)
        spent += live_estimate(&m->spans.v[i]) * object_cost(m, &m->spans.v[i]);

    if (!(m->cfg.features & HD_GF(ONLY_GOROUTINES))) {
        while (spent < m->budget_heap) {
            uint64_t es = draw_elemsize(m, e, m->budget_heap - spent);
            uint64_t sb = es > 32768 ? es : small_span_bytes(es, minspan);
            uint32_t si = add_span(m, e, es, sb, &cursor);
            gm_span *s = &m->spans.v[si];
            uint64_t cost = object_cost(m, s), left = m->budget_heap - spent;
            /* the last span of a small budget: free most of its slots rather than overshoot */
            if (live_estimate(s) * cost > left && s->nslots > 1) {
                uint64_t want = left / cost + 1;
                uint64_t fp = want >= s->nslots ? 0 : 65535 - 65535 * want / s->nslots;
                if (fp > s->freeprob)
                    s->freeprob = (uint16_t)fp;
            }
            spent += live_estimate(s) * cost;
        }
    }

    /* allspans order: a shuffle (Fisher-Yates) */
    for (uint32_t i = 0; i < m->spans.n; i++)
        *GM_PUSH(&m->order) = i;
    for (uint32_t i = m->spans.n; i > 1; i--) {
        uint32_t j = (uint32_t)hd_ent_below(e, i), t = m->order.v[i - 1];
        m->order.v[i - 1] = m->order.v[j];
        m->order.v[j] = t;
    }
    for (uint32_t i = 0; i < m->order.n; i++)
        m->spans.v[m->order.v[i]].rank = i;

    m->heap_end = cursor;
    /* goroutine stacks go above the spans, still inside the arena */
    m->stack_cursor = gm_align(cursor + PAGE * hd_ent_range(e, 1, 8), PAGE);
}

uint32_t gm_pick_slot(const gm_model *m, uint32_t si, uint64_t r)
{
    const gm_span *s = &m->spans.v[si];
    uint32_t slot = gm_scale(r, s->nslots);
    while (!gm_slot_live(s, slot))          /* slot 0 is always live: the probe ends */
        slot = slot + 1 < s->nslots ? slot + 1 : 0;
    return slot;
}

uint64_t gm_pick_object(const gm_model *m, uint64_t r)
{
    uint32_t si = gm_scale(r, m->spans.n);
    return gm_slot_addr(&m->spans.v[si], gm_pick_slot(m, si, r << 32));
}

static bool take_in_span(gm_model *m, uint32_t si, uint64_t r, uint32_t *slot)
{
    const gm_span *s = &m->spans.v[si];
    uint32_t k = (uint32_t)(r % s->nslots);
    for (uint32_t n = 0; n < s->nslots; n++, k = k + 1 < s->nslots ? k + 1 : 0) {
        if (gm_slot_live(s, k) && gm_set_add(&m->used, gm_slot_addr(s, k))) {
            *slot = k;
            return true;
        }
    }
    return false;
}

bool gm_take_object(gm_model *m, hd_entropy *e, const uint32_t *from, uint32_t nfrom, uint32_t *si, uint32_t *slot)
{
    uint32_t n = from != NULL ? nfrom : m->spans.n;
    if (n == 0)
        return false;
    for (int tries = 0; tries < 16; tries++) {
        uint32_t k = (uint32_t)hd_ent_below(e, n);
        *si = from != NULL ? from[k] : k;
        if (take_in_span(m, *si, hd_ent_u64(e), slot))
            return true;
    }
    for (uint32_t k = 0; k < n; k++) {
        *si = from != NULL ? from[k] : k;
        if (take_in_span(m, *si, 0, slot))
            return true;
    }
    return false;
}
