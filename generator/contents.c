/* contents.c — object, frame and segment contents with their field lists (see contents.h).
 *
 * Speed matters here (hdgen --size 1G): contents are first filled with PRNG words in bulk, then the words
 * that a field names are overwritten. */
#include "contents.h"

#include <string.h>

typedef struct {
    const gm_model *m;
    uint64_t        r;            /* splitmix64 state: cheap to seed, one per object */
    gc_out         *o;
    uint64_t        len;          /* contents length */
    const uint32_t *pool;         /* Eface types allowed; NULL: any */
    uint32_t        npool;
} cg;

static uint64_t next(cg *c)
{
    c->r += UINT64_C(0x9e3779b97f4a7c15);
    return hd_mix64(c->r);
}

static bool host_le(void)
{
    const uint16_t one = 1;
    uint8_t b;
    memcpy(&b, &one, 1);
    return b == 1;
}

static uint64_t bswap64(uint64_t v)
{
    v = ((v & UINT64_C(0x00ff00ff00ff00ff)) << 8) | ((v >> 8) & UINT64_C(0x00ff00ff00ff00ff));
    v = ((v & UINT64_C(0x0000ffff0000ffff)) << 16) | ((v >> 16) & UINT64_C(0x0000ffff0000ffff));
    return (v << 32) | (v >> 32);
}

/* Store the ps-byte word v in the dump's byte order. Memory is written through memcpy of a host word,
 * swapped when the host's order differs, so the bytes are the same on every machine. */
static void put(cg *c, uint64_t off, uint64_t v)
{
    uint8_t *p = c->o->buf + off;
    bool swap = c->m->cfg.big_endian == host_le();
    if (c->m->ps == 8) {
        if (swap)
            v = bswap64(v);
        memcpy(p, &v, 8);
    } else {
        uint32_t w = (uint32_t)v;
        if (swap)
            w = (uint32_t)(bswap64(w) >> 32);
        memcpy(p, &w, 4);
    }
}

static void fill_random(cg *c)
{
    uint64_t n = c->len, i = 0;
    bool swap = !host_le();                /* PRNG words go out little-endian everywhere */
    for (; i + 8 <= n; i += 8) {
        uint64_t w = next(c);
        if (swap)
            w = bswap64(w);
        memcpy(c->o->buf + i, &w, 8);
    }
    if (i < n) {
        uint64_t w = next(c);
        if (swap)
            w = bswap64(w);
        memcpy(c->o->buf + i, &w, n - i);
    }
}

static uint64_t ptr_value(cg *c)
{
    uint64_t r = next(c);
    return (r & 3) == 0 || c->m->spans.n == 0 ? 0 : gm_pick_object(c->m, r >> 2);
}

static void add_field(cg *c, unsigned kind, uint64_t off)
{
    hd_field *f = &c->o->fields[c->o->nfields++];
    f->kind = (uint8_t)kind;
    f->offset = off;
}

static void iface_words(cg *c, uint64_t off)
{
    const gm_model *m = c->m;
    uint64_t r = next(c);
    if (m->itabs.n == 0 || r % 5 == 0) {
        put(c, off, 0);
        put(c, off + m->ps, 0);
        return;
    }
    put(c, off, m->itabs.v[(r >> 8) % m->itabs.n].addr);
    put(c, off + m->ps, ptr_value(c));
}

static void eface_words(cg *c, uint64_t off)
{
    const gm_model *m = c->m;
    uint64_t r = next(c);
    uint32_t n = c->pool != NULL ? c->npool : m->types.n, t;
    if (n == 0 || r % 5 == 0) {
        put(c, off, 0);
        put(c, off + m->ps, 0);
        return;
    }
    t = (uint32_t)((r >> 8) % n);
    if (c->pool != NULL)
        t = c->pool[t];
    put(c, off, m->types.v[t].addr);
    put(c, off + m->ps, ptr_value(c));
    c->o->etypes[c->o->netypes++] = t;
}

/* The words of one field of `kind` (numbering of the layout) at `off`. */
static void field_words(cg *c, hd_layout l, unsigned kind, uint64_t off)
{
    unsigned ps = c->m->ps;
    uint64_t p, n;
    if (kind == HD_FK_PTR) {
        put(c, off, ptr_value(c));
    } else if (l == HD_V13 && (kind == HD_FK13_STRING || kind == HD_FK13_SLICE)) {
        p = ptr_value(c);
        n = p ? next(c) % 200 : 0;
        put(c, off, p);
        put(c, off + ps, n);
        if (kind == HD_FK13_SLICE)
            put(c, off + 2 * ps, n + (p ? next(c) % 8 : 0));
    } else if ((l == HD_V13 && kind == HD_FK13_IFACE) || (l == HD_V14 && kind == HD_FK14_IFACE)) {
        iface_words(c, off);
    } else {
        eface_words(c, off);
    }
}

/* A random layout over `words` words from word `w0`: each word is a scalar or starts a field of a kind the
 * layout writes; `pct` is the chance (of 64) that a word starts a field. */
static void random_fields(cg *c, uint64_t w0, uint64_t words, unsigned pct, bool multi)
{
    hd_layout l = c->m->cfg.layout;
    unsigned maxkind = multi ? hd_layout_max_field_kind(l) : 1, ps = c->m->ps, width[6];
    for (unsigned k = 0; k <= maxkind; k++)
        width[k] = hd_field_kind_words(l, k);
    /* hot loop (--size 1G): one PRNG word decides up to 7 words of the layout, 9 bits each */
    uint64_t r = 0;
    unsigned bits = 0;
    for (uint64_t w = w0; w < words; w++) {
        if (bits < 9) {
            r = next(c);
            bits = 63;
        }
        unsigned v = (unsigned)(r & 511);
        r >>= 9;
        bits -= 9;
        if ((v & 63) >= pct)
            continue;
        unsigned kind = maxkind == 1 || (v >> 6) < 5 ? 1 : 1 + (v >> 6) % maxkind;
        if (w + width[kind] > words)
            continue;
        add_field(c, kind, w * ps);
        field_words(c, l, kind, w * ps);
        w += width[kind] - 1;
    }
}

static void begin(cg *c, const gm_model *m, gc_out *o, uint64_t seed, uint64_t len)
{
    c->m = m;
    c->o = o;
    c->len = len;
    c->pool = NULL;
    c->npool = 0;
    o->nfields = 0;
    o->netypes = 0;
    c->r = seed;
    fill_random(c);
}

/* go1.3: objects carry their type; the pointer words are where the type's field list says, once per element
 * for arrays and channels (channels after the channel header). The dump has no field list for objects. */
static void object13(cg *c, const gm_span *s)
{
    const gm_model *m = c->m;
    const gm_type *t;
    uint64_t start = 0;
    if (s->type13 == GM_NONE) {
        for (uint64_t w = 0; w < s->elemsize / m->ps; w++)
            if ((next(c) & 7) == 0)
                put(c, w * m->ps, ptr_value(c));
        return;
    }
    t = &m->types.v[s->type13];
    if (s->kind13 == 2)
        start = m->chansize;
    for (uint64_t off = start; off + t->size <= s->elemsize; off += t->size) {
        for (uint32_t k = 0; k < t->nf; k++) {
            const hd_field *f = &m->tfields.v[t->f0 + k];
            field_words(c, HD_V13, f->kind, off + f->offset);
        }
        if (s->kind13 == 0)
            break;
    }
}

void gc_object(const gm_model *m, const gm_span *s, uint32_t slot, gc_out *o)
{
    cg c;
    uint64_t words = s->elemsize / m->ps;
    begin(&c, m, o, s->seed ^ ((uint64_t)slot * UINT64_C(0x9e3779b97f4a7c15)), s->elemsize);
    if (m->cfg.layout == HD_V13) {
        object13(&c, s);
        return;
    }
    switch (s->shape) {
    case SH_NOPTR:
        break;
    case SH_PREFIX:     /* the pointer-bearing prefix, as the writer's bitmap walk reports it */
        random_fields(&c, 0, 1 + next(&c) % words, 24, false);
        break;
    case SH_ALLPTR:
        for (uint64_t w = 0; w < words; w++) {
            add_field(&c, HD_FK_PTR, w * m->ps);
            put(&c, w * m->ps, ptr_value(&c));
        }
        break;
    default:
        random_fields(&c, 0, words, 32, m->cfg.layout == HD_V14);
        break;
    }
}

void gc_frame(const gm_model *m, const gm_frame *f, uint64_t ret, gc_out *o)
{
    cg c;
    bool multi = m->cfg.layout <= HD_V14 && (m->cfg.features & HD_GF(IFACES) || (f->seed & 3) == 0);
    uint64_t words = f->len / m->ps, at = m->ret_last ? words - 1 : 0;
    begin(&c, m, o, f->seed, f->len);
    if (words == 0)
        return;
    random_fields(&c, m->ret_last ? 0 : 1, m->ret_last ? words - 1 : words, 20, multi);
    put(&c, at * m->ps, ret);
}

void gc_segment(const gm_model *m, const gm_segment *seg, const uint32_t *pool, uint32_t npool, gc_out *o)
{
    cg c;
    begin(&c, m, o, seg->seed, seg->len);
    c.pool = pool;
    c.npool = npool;
    random_fields(&c, 0, seg->len / m->ps, 16, m->cfg.layout <= HD_V14);
}

uint64_t gc_get_word(const gm_model *m, const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < m->ps; i++)
        v = (v << 8) | p[m->cfg.big_endian ? i : m->ps - 1 - i];
    return v;
}

void gc_put_word(const gm_model *m, uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < m->ps; i++)
        p[m->cfg.big_endian ? m->ps - 1 - i : i] = (uint8_t)(v >> (8 * i));
}
