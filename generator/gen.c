/* gen.c — the generator's public entry points (see hd/gen.h): swarm configuration, model, emission, and
 * defect injection in two passes (count the places a defect could go, then break one of them). */
#include "hd/gen.h"
#include "hd/diag.h"
#include "defects.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const feature_names[] = {
#define HD_GEN_X(id, name, doc) name,
    HD_GEN_FEATURES(HD_GEN_X)
#undef HD_GEN_X
};
static const char *const feature_docs[] = {
#define HD_GEN_X(id, name, doc) doc,
    HD_GEN_FEATURES(HD_GEN_X)
#undef HD_GEN_X
};

const char *hd_gen_feature_name(unsigned bit) { return bit < HD_GF_COUNT ? feature_names[bit] : "?"; }
const char *hd_gen_feature_doc(unsigned bit) { return bit < HD_GF_COUNT ? feature_docs[bit] : "?"; }

static int fail(hd_gen_stats *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->error, sizeof st->error, fmt, ap);
    va_end(ap);
    return -1;
}

void hd_gen_request_init(hd_gen_request *q)
{
    memset(q, 0, sizeof *q);
    q->header = -1;
    q->big_endian = -1;
    q->max_size = 256 * 1024;
    q->defect = -1;
}

bool hd_gen_config_clean(const hd_gen_config *c)
{
    /* no go1.3/go1.4 port was big-endian; none before go1.7 was 32-bit big-endian (model.c pick_arch) */
    return !c->big_endian || c->layout == HD_V17 || (c->layout == HD_V15 && c->ptrsize == 8);
}

/* Pairs of features that contradict each other: the second one is dropped. */
static const uint32_t conflicts[][2] = {
    {HD_GF(FEW_GOROUTINES), HD_GF(ONLY_GOROUTINES)}, {HD_GF(FEW_GOROUTINES), HD_GF(DEEP_STACKS)},
    {HD_GF(NO_POINTERS), HD_GF(POINTER_HEAVY)},      {HD_GF(FINALIZERS), HD_GF(NO_FINALIZERS)},
    {HD_GF(MEMPROF), HD_GF(NO_MEMPROF)},             {HD_GF(BIG_SEGMENTS), HD_GF(EMPTY_SEGMENTS)},
    {HD_GF(ONLY_GOROUTINES), HD_GF(HUGE_OBJECTS)},
};

static uint32_t draw_features(hd_entropy *e)
{
    uint32_t f = 0;
    if (hd_ent_chance(e, 1, 8))
        return 0;                                  /* now and then a plain dump */
    for (unsigned b = 0; b < HD_GF_COUNT; b++)
        if (hd_ent_chance(e, 1, 6))
            f |= UINT32_C(1) << b;
    for (size_t i = 0; i < sizeof conflicts / sizeof conflicts[0]; i++)
        if ((f & conflicts[i][0]) && (f & conflicts[i][1]))
            f &= ~conflicts[i][1];
    return f;
}

static hd_header_id draw_header(hd_entropy *e)
{
    /* go1.7 is what every release since 2016 writes: give it the largest share */
    static const hd_header_id h[8] = {HD_H13, HD_H14, HD_H14, HD_H15, HD_H16, HD_H17, HD_H17, HD_H17};
    return h[hd_ent_below(e, 8)];
}

static bool fits(const hd_gen_request *q, const hd_gen_config *c)
{
    const gen_defect_ops *ops = q->defect >= 0 ? gen_defect_ops_get((unsigned)q->defect) : NULL;
    return ops == NULL || (hd_defect_applies((unsigned)q->defect, c->layout, c->ptrsize) &&
                           (ops->fits == NULL || ops->fits(c)));
}

/* Header, pointer size and byte order: what the request leaves open is drawn; if the draw is a combination
 * no port had, or one the defect does not apply to, the nearest one that works is taken, searching the open
 * choices in a fixed order (so exhausted fuzzer input, where every draw is 0, still gets a clean one). */
static int pick_layout(const hd_gen_request *q, hd_entropy *e, hd_gen_config *cfg, hd_gen_stats *st)
{
    hd_gen_config c = *cfg, best;
    bool have = false;
    int h0 = q->header >= 0 ? q->header : (int)draw_header(e);
    unsigned p0 = q->ptrsize ? q->ptrsize : hd_ent_chance(e, 2, 3) ? 8 : 4;
    int b0 = q->big_endian >= 0 ? q->big_endian : hd_ent_chance(e, 1, 5);

    for (int hi = 0; hi < HD_HEADER_COUNT; hi++) {
        if (hi > 0 && q->header >= 0)
            break;
        for (int pi = 0; pi < 2; pi++) {
            if (pi > 0 && q->ptrsize)
                break;
            for (int bi = 0; bi < 2; bi++) {
                if (bi > 0 && q->big_endian >= 0)
                    break;
                c.header = (hd_header_id)((h0 + hi) % HD_HEADER_COUNT);
                c.ptrsize = pi == 0 ? p0 : 12 - p0;
                c.big_endian = bi == 0 ? b0 != 0 : b0 == 0;
                c.layout = hd_header_layout(c.header);
                if (!fits(q, &c))
                    continue;
                if (hd_gen_config_clean(&c)) {
                    *cfg = c;
                    return 0;
                }
                if (!have)
                    best = c, have = true;
            }
        }
    }
    if (!have) {
        c.header = (hd_header_id)h0;
        c.ptrsize = p0;
        return fail(st, "defect %s (%s) does not apply to %s dumps with %u-byte pointers",
                    hd_defect_get((unsigned)q->defect)->name, hd_defect_get((unsigned)q->defect)->rule_id,
                    hd_header_name(c.header), c.ptrsize);
    }
    *cfg = best;          /* only what the request fixed makes it unclean: honour it */
    return 0;
}

int hd_gen_configure(const hd_gen_request *q, hd_entropy *e, hd_gen_config *cfg, hd_gen_stats *st)
{

    memset(cfg, 0, sizeof *cfg);
    if (q->header >= HD_HEADER_COUNT)
        return fail(st, "unknown header %d", q->header);
    if (q->ptrsize != 0 && q->ptrsize != 4 && q->ptrsize != 8)
        return fail(st, "pointer size must be 4 or 8, not %u", q->ptrsize);
    if (q->defect >= (int)hd_defect_count())
        return fail(st, "unknown defect %d", q->defect);
    if (pick_layout(q, e, cfg, st) < 0)
        return -1;
    cfg->go_minor = cfg->header == HD_H17 ? (unsigned)hd_ent_range(e, 7, 25) : hd_header_go_min(cfg->header);
    cfg->size = q->size ? q->size : hd_ent_logrange(e, 1024, q->max_size > 1024 ? q->max_size : 1024);
    if (cfg->ptrsize == 4 && cfg->size > (UINT64_C(2) << 30))
        return fail(st, "a dump with 4-byte pointers holds at most 2 GiB of heap");
    cfg->features = q->features_set ? q->features : draw_features(e);
    cfg->defect = q->defect;
    if (q->defect >= 0 && gen_defect_ops_get((unsigned)q->defect)->configure != NULL)
        gen_defect_ops_get((unsigned)q->defect)->configure(cfg);
    cfg->tap = q->tap;
    cfg->tap_ctx = q->tap_ctx;
    return 0;
}

void hd_gen_config_describe(const hd_gen_config *c, char *buf, size_t len)
{
    size_t n = (size_t)snprintf(buf, len, "%s %u%s go1.%u size=%llu features=", hd_header_name(c->header), c->ptrsize,
                                c->big_endian ? "be" : "le", c->go_minor, (unsigned long long)c->size);
    bool first = true;
    for (unsigned b = 0; b < HD_GF_COUNT && n < len; b++) {
        if (c->features & (UINT32_C(1) << b)) {
            n += (size_t)snprintf(buf + n, len - n, "%s%s", first ? "" : ",", feature_names[b]);
            first = false;
        }
    }
    if (first && n < len)
        snprintf(buf + n, len - n, "none");
}

static int discard(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return 0;
}

/* One emission of the model; the defect (if any) breaks candidate number `target`. */
static int run(const gm_model *m, hd_out *o, const gen_defect_ops *ops, uint64_t dstate, uint64_t target,
               uint64_t *cands, hd_gen_stats *st)
{
    gen_emitter g;
    if (gen_emitter_init(&g, m, o) < 0)
        return fail(st, "out of memory");
    g.defect = ops;
    g.target = target;
    if (st != NULL)                      /* the real pass only, not the counting one */
        g.tap = m->cfg.tap, g.tap_ctx = m->cfg.tap_ctx;
    g.dstate[0] = dstate;
    gen_emit_dump(&g);
    *cands = g.cand;
    if (st != NULL) {
        st->records = g.records;
        memcpy(st->count, g.count, sizeof st->count);
    }
    gen_emitter_free(&g);
    return 0;
}

int hd_gen_write(const hd_gen_config *cfg, hd_entropy *e, hd_out *o, hd_gen_stats *st)
{
    gm_model m;
    const gen_defect_ops *ops = cfg->defect >= 0 ? gen_defect_ops_get((unsigned)cfg->defect) : NULL;
    uint64_t dstate, target = UINT64_MAX, cands = 0, before = o->total;
    int rc;

    st->cfg = *cfg;
    st->rule = -1;
    if (cfg->defect >= 0) {
        if (ops == NULL)
            return fail(st, "unknown defect %d", cfg->defect);
        st->rule = (int)hd_defect_get((unsigned)cfg->defect)->rule;
    }
    gm_build(&m, cfg, e);
    if (ops != NULL && ops->prepare != NULL && !ops->prepare(&m, e)) {
        gm_model_free(&m);
        return fail(st, "the model has no room for defect %s", hd_defect_get((unsigned)cfg->defect)->name);
    }
    dstate = hd_ent_u64(e);
    if (ops != NULL && ops->candidate != NULL) {
        hd_out *null = malloc(sizeof *null);
        if (null == NULL) {
            gm_model_free(&m);
            return fail(st, "out of memory");
        }
        hd_out_init(null, discard, NULL);
        rc = run(&m, null, ops, dstate, UINT64_MAX, &cands, NULL);
        free(null);
        if (rc == 0 && cands == 0)
            rc = fail(st, "no record of this dump can carry defect %s", hd_defect_get((unsigned)cfg->defect)->name);
        if (rc < 0) {
            gm_model_free(&m);
            return rc;
        }
        target = hd_ent_below(e, cands);
    }
    rc = run(&m, o, ops, dstate, target, &cands, st);
    gm_model_free(&m);
    if (hd_out_flush(o) < 0 && rc == 0)
        rc = fail(st, "write error");
    st->bytes = o->total - before;
    return rc;
}

int hd_gen(const hd_gen_request *q, hd_entropy *e, hd_out *o, hd_gen_stats *st)
{
    hd_gen_config cfg;
    memset(st, 0, sizeof *st);
    st->rule = -1;
    if (hd_gen_configure(q, e, &cfg, st) < 0)
        return -1;
    return hd_gen_write(&cfg, e, o, st);
}
