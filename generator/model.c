/* model.c — model helpers, the params/regions/budget step, and the build sequence (see model.h). */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------------------------- */

void *gm_regrow(void *p, uint32_t n, uint32_t *cap, size_t elem)
{
    if (n == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 16;
        if (nc < *cap)
            abort();                     /* 2^32 entries: never planned by the model */
        p = realloc(p, (size_t)nc * elem);
        if (p == NULL)
            abort();                     /* the generator has no partial-result mode */
        *cap = nc;
    }
    memset((char *)p + (size_t)n * elem, 0, elem);
    return p;
}

uint32_t gm_str(gm_model *m, const char *s, uint32_t *len)
{
    size_t n = strlen(s);
    uint32_t off = m->pool.n;
    for (size_t i = 0; i <= n; i++)
        *GM_PUSH(&m->pool) = s[i];
    if (len != NULL)
        *len = (uint32_t)n;
    return off;
}

const char *gm_strp(const gm_model *m, uint32_t off) { return m->pool.v + off; }

uint64_t gm_align(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

static uint32_t set_slot(const gm_set *s, uint64_t k)
{
    uint32_t i = (uint32_t)hd_mix64(k) & (s->cap - 1);
    while (s->k[i] != 0 && s->k[i] != k)
        i = (i + 1) & (s->cap - 1);
    return i;
}

bool gm_set_has(const gm_set *s, uint64_t k)
{
    return k != 0 && s->cap != 0 && s->k[set_slot(s, k)] == k;
}

/* Key 0 is never a role address (addresses are non-zero), so 0 marks an empty slot. */
bool gm_set_add(gm_set *s, uint64_t k)
{
    uint32_t i;
    if (k == 0 || gm_set_has(s, k))
        return false;
    if ((s->n + 1) * 4 > s->cap * 3) {
        gm_set old = *s;
        s->cap = old.cap ? old.cap * 2 : 64;
        s->k = calloc(s->cap, sizeof *s->k);
        if (s->k == NULL)
            abort();
        s->n = 0;
        for (uint32_t j = 0; j < old.cap; j++)
            if (old.k[j] != 0)
                s->k[set_slot(s, old.k[j])] = old.k[j], s->n++;
        free(old.k);
    }
    i = set_slot(s, k);
    s->k[i] = k;
    s->n++;
    return true;
}

void gm_model_free(gm_model *m)
{
    free(m->pool.v);
    free(m->types.v);
    free(m->tfields.v);
    free(m->itabs.v);
    free(m->funcs.v);
    free(m->funcvals.v);
    free(m->spans.v);
    free(m->order.v);
    free(m->gs.v);
    free(m->defers.v);
    free(m->panics.v);
    free(m->ms.v);
    free(m->fins.v);
    free(m->qfins.v);
    free(m->otherroots.v);
    free(m->buckets.v);
    free(m->mpframes.v);
    free(m->samples.v);
    free(m->used.k);
    free(m->gspans.v);
    free(m->mspans.v);
    free(m->dspans.v);
    memset(m, 0, sizeof *m);
}

/* ---- params ----------------------------------------------------------------------------------- */

/* Architectures the generator names, by (layout, pointer size, byte order): a choice of the generator, the
 * facts (char code, pointer size, byte order, releases) are include/hd/arch.def's. Chosen so that the P5/P6
 * checks hold: go1.3 and go1.4 had only 5 (arm), 6 (amd64) and 8 (386); no port before go1.7 (mips, Go 1.8)
 * was 32-bit big-endian. Combinations with no port use the nearest one and are reported by
 * hd_gen_config_clean. Old layouts name the port by its char code, go1.7 by its GOARCH. */
typedef struct { const char *goarch; } arch_choice;

static const arch_choice le8_old[] = {{"amd64"}};
static const arch_choice le4_old[] = {{"386"}, {"arm"}};
static const arch_choice le8_15[] = {{"amd64"}, {"arm64"}, {"ppc64le"}};
static const arch_choice be8_15[] = {{"ppc64"}};
static const arch_choice le8_17[] = {{"amd64"}, {"arm64"}, {"ppc64le"}};
static const arch_choice le4_17[] = {{"386"}, {"arm"}};
static const arch_choice be8_17[] = {{"ppc64"}, {"s390x"}, {"mips64"}};
static const arch_choice be4_17[] = {{"mips"}};

#define N(a) (sizeof a / sizeof a[0])

/* Does the char-code line's name ("ppc64 or ppc64le") list the port? */
static bool names_port(const char *names, const char *goarch)
{
    size_t n = strlen(goarch);
    for (const char *p = names; p != NULL; p = strstr(p, " or ")) {
        if (p != names)
            p += 4;
        if (strncmp(p, goarch, n) == 0 && (p[n] == 0 || p[n] == ' '))
            return true;
    }
    return false;
}

/* The char code go1.3-go1.6 params write for a port (0 for go1.7 params, which name the GOARCH). */
static unsigned arch_code_of(hd_layout layout, const char *goarch)
{
    if (layout == HD_V17)
        return 0;
    for (unsigned code = '0'; code <= '9'; code++) {
        const hd_arch *a = hd_arch_by_code(code);
        if (a != NULL && names_port(a->name, goarch))
            return code;
    }
    return 0;
}

void gm_set_arch(gm_model *m, const char *goarch)
{
    const hd_arch *a = hd_arch_by_name(goarch);
    m->arch_code = arch_code_of(m->cfg.layout, goarch);
    m->arch = goarch;
    m->ret_last = a != NULL && (a->flags & HD_AF_X86) != 0;
}

static arch_choice pick_arch(const hd_gen_config *c, hd_entropy *e)
{
    const arch_choice *t;
    size_t n;
    if (c->layout == HD_V17) {
        t = c->big_endian ? (c->ptrsize == 8 ? be8_17 : be4_17) : (c->ptrsize == 8 ? le8_17 : le4_17);
        n = c->big_endian ? (c->ptrsize == 8 ? N(be8_17) : N(be4_17)) : (c->ptrsize == 8 ? N(le8_17) : N(le4_17));
    } else if (c->layout == HD_V15) {
        t = c->big_endian ? be8_15 : c->ptrsize == 8 ? le8_15 : le4_old;
        n = c->big_endian ? N(be8_15) : c->ptrsize == 8 ? N(le8_15) : N(le4_old);
    } else {
        t = c->big_endian ? be8_15 : c->ptrsize == 8 ? le8_old : le4_old;
        n = c->big_endian ? N(be8_15) : c->ptrsize == 8 ? N(le8_old) : N(le4_old);
    }
    return t[hd_ent_below(e, n)];
}

static const char *const versions[] = {
    "go1.17.13", "go1.18.10", "go1.19.8", "go1.20.14", "go1.21.13", "go1.22.8", "go1.23.4", "go1.24.1",
};

static void version_string(gm_model *m, hd_entropy *e)
{
    char *buf = m->experiment;
    size_t len = sizeof m->experiment;
    unsigned minor = m->cfg.go_minor;
    buf[0] = 0;                          /* GOEXPERIMENT: empty in release builds */
    if (m->cfg.layout != HD_V17 || minor < 17)
        return;
    if (minor - 17 < N(versions) && hd_ent_chance(e, 3, 4))
        snprintf(buf, len, "%s", versions[minor - 17]);
    else if (hd_ent_chance(e, 1, 2))
        snprintf(buf, len, "go1.%u.%u", minor, (unsigned)hd_ent_below(e, 12));
    else
        snprintf(buf, len, "devel go1.%u-%08x Fri May 23 10:41:44 2025 -0700", minor,
                 (unsigned)(hd_ent_u64(e) & 0xffffffffu));
}

/* Go 1.11+ heap arenas: 64 MiB on 64-bit targets, 4 MiB on 32-bit ones (P4). Older releases do not care,
 * so every version uses the same alignment. */
static uint64_t arena_unit(unsigned ps) { return ps == 8 ? UINT64_C(64) << 20 : UINT64_C(4) << 20; }

void gm_build_base(gm_model *m, hd_entropy *e)
{
    arch_choice a;
    unsigned ps = m->cfg.ptrsize;
    uint64_t size = m->cfg.size;
    uint32_t f = m->cfg.features;

    m->ps = ps;
    m->ptrmask = ps == 8 ? UINT64_MAX : UINT32_MAX;
    a = pick_arch(&m->cfg, e);
    gm_set_arch(m, a.goarch);
    version_string(m, e);
    m->ncpu = hd_ent_logrange(e, 1, 64);
    m->chansize = ps == 8 ? 88 : 48;

    /* regions: text and rodata low (non-PIE), arena where the runtime puts it, off-heap memory high */
    if (ps == 8) {
        m->text_lo = 0x401000 + hd_ent_below(e, 16) * 0x1000;
        m->arena_start = UINT64_C(0xc000000000) + hd_ent_below(e, 4) * arena_unit(8);
        m->offheap_lo = UINT64_C(0x7f0000000000) + hd_ent_below(e, 256) * 0x100000;
    } else {
        m->text_lo = 0x8049000 + hd_ent_below(e, 16) * 0x1000;
        m->arena_start = UINT64_C(0x18000000) + hd_ent_below(e, 4) * arena_unit(4);
        m->offheap_lo = UINT64_C(0xe0000000) + hd_ent_below(e, 64) * 0x100000;
    }
    m->rodata_lo = m->text_lo + 0x200000;

    /* Budget: goroutines take a drawn share of the bytes (ONLY_GOROUTINES almost all of it), the memory
     * profile and data/bss up to an eighth, objects the rest. */
    if (f & HD_GF(FEW_GOROUTINES))
        m->budget_gs = 0;
    else if (f & HD_GF(ONLY_GOROUTINES))
        m->budget_gs = size - size / 8;
    else
        m->budget_gs = size / 100 * hd_ent_range(e, 3, 30);
    /* what is left after data/bss, the memory profile and the small sections (an eighth, at most 4 MiB) */
    m->budget_heap = size - m->budget_gs - (size / 8 < (UINT64_C(4) << 20) ? size / 8 : UINT64_C(4) << 20);

    /* goroutines: about 2 KB of dump each (15 frames of 140 bytes); deep stacks: few goroutines */
    if (f & HD_GF(FEW_GOROUTINES))
        m->ng = 1;
    else if (f & HD_GF(DEEP_STACKS))
        m->ng = (uint32_t)hd_ent_logrange(e, 2, 2 + (m->budget_gs >> 16 < 62 ? m->budget_gs >> 16 : 62));
    else
        m->ng = (uint32_t)hd_ent_range(e, 2, 2 + (m->budget_gs / 2048 < 20000 ? m->budget_gs / 2048 : 20000));
    m->nm = (uint32_t)((f & HD_GF(MANY_THREADS)) ? hd_ent_range(e, 16, 64) : hd_ent_logrange(e, 1, 8));
    if (m->nm > 1 + size / 2048)
        m->nm = (uint32_t)(1 + size / 2048);   /* an M is a 1 KB object: keep small dumps small */
}

uint64_t gm_arena_unit(unsigned ps) { return arena_unit(ps); }

int gm_build(gm_model *m, const hd_gen_config *cfg, hd_entropy *e)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    gm_build_base(m, e);
    gm_build_types(m, e);
    gm_build_segments(m, e);
    gm_build_heap(m, e);
    gm_build_gs(m, e);
    gm_build_roots(m, e);
    return 0;
}
