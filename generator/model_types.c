/* model_types.c — functions (text), type descriptors, itabs and FuncVals: the read-only side of the model.
 *
 * Addresses: functions in text, type descriptors and FuncVals in rodata after it, itabs off the heap
 * (persistentalloc'd). Type addresses are distinct; names need not be (real dumps repeat them). */
#include "model.h"

#include <stdio.h>
#include <string.h>

const char *const gm_wait_reasons[] = {
    "", "dumping heap", "chan receive", "chan send", "select", "sleep", "semacquire", "IO wait",
    "GC worker (idle)", "finalizer wait", "force gc (idle)", "GC sweep wait", "GC scavenge wait",
    "select (no cases)", "sync.Cond.Wait", "chan receive (nil chan)", "sync.Mutex.Lock", "wait for GC cycle",
};
const unsigned gm_nwait_reasons = sizeof gm_wait_reasons / sizeof gm_wait_reasons[0];

const char *const gm_files[] = {
    "/usr/local/go/src/runtime/proc.go", "/usr/local/go/src/runtime/mgc.go", "/usr/local/go/src/runtime/chan.go",
    "/usr/local/go/src/runtime/malloc.go", "/usr/local/go/src/sync/mutex.go", "/home/gopher/app/main.go",
    "/home/gopher/app/worker.go", "net/http/server.go", "example.com/zoo/cage.go",
};
const unsigned gm_nfiles = sizeof gm_files / sizeof gm_files[0];

static const char *const runtime_funcs[] = {
    "runtime.goexit", "runtime.main", "runtime.gopark", "runtime.mcall", "runtime.chanrecv", "runtime.selectgo",
    "runtime/debug.WriteHeapDump", "runtime.bgsweep", "runtime.forcegchelper", "runtime.runfinq",
    "runtime.gcBgMarkWorker", "runtime.systemstack_switch", "main.main", "sync.(*Mutex).Lock",
    "net/http.(*conn).serve", "main.main.func1",
};

static const char *const pkgs[] = {"main", "net/http", "example.com/zoo", "encoding/json", "sync", "os"};

static void add_funcs(gm_model *m, hd_entropy *e)
{
    uint64_t pc = m->text_lo, n = hd_ent_logrange(e, 16, 16 + (m->cfg.size >> 8 < 4000 ? m->cfg.size >> 8 : 4000));
    char name[96];
    for (uint64_t i = 0; i < n; i++) {
        gm_func *f = GM_PUSH(&m->funcs);
        if (i < sizeof runtime_funcs / sizeof runtime_funcs[0])
            snprintf(name, sizeof name, "%s", runtime_funcs[i]);
        else if (hd_ent_chance(e, 1, 3)) {
            /* one draw per statement: the order of a call's arguments is unspecified, the bytes must not be */
            const char *pkg = pkgs[hd_ent_below(e, 6)];
            snprintf(name, sizeof name, "%s.(*T%u).M%u", pkg, (unsigned)hd_ent_below(e, 500), (unsigned)i);
        } else
            snprintf(name, sizeof name, "%s.f%u", pkgs[hd_ent_below(e, 6)], (unsigned)i);
        f->name = gm_str(m, name, &f->name_len);
        f->entry = pc;
        f->size = 16 * hd_ent_logrange(e, 2, 512);
        f->file = (uint32_t)hd_ent_below(e, gm_nfiles);
        pc += f->size + 16 * hd_ent_below(e, 4);
    }
}

/* go1.3: the field list of a value of type t, kinds 1..5, with the kinds' widths (ptr 1, string 2, slice 3,
 * iface 2, eface 2 words) inside the type's size. */
static void add_fields13(gm_model *m, hd_entropy *e, gm_type *t, bool allow_eface)
{
    uint64_t words = t->size / m->ps, w = 0;
    static const unsigned width[6] = {0, 1, 2, 3, 2, 2};
    t->f0 = m->tfields.n;
    while (w < words) {
        unsigned kind = (unsigned)hd_ent_below(e, 8);   /* 0, 6, 7: a scalar word */
        if (kind == 0 || kind > 5 || (kind == 5 && !allow_eface) || w + width[kind] > words) {
            w++;
            continue;
        }
        hd_field *f = GM_PUSH(&m->tfields);
        f->kind = (uint8_t)kind;
        f->offset = w * m->ps;
        t->has_eface |= kind == 5;
        w += width[kind];
    }
    t->nf = m->tfields.n - t->f0;
}

static uint64_t next_type_addr(gm_model *m, hd_entropy *e)
{
    uint64_t a = m->rodata_lo;
    m->rodata_lo += 8 * hd_ent_range(e, 6, 24);
    return a;
}

/* One named type (and, usually, its *T). `bucket` >= 0 forces the hash's low byte (dup-types). */
static uint32_t add_type(gm_model *m, hd_entropy *e, int bucket, uint64_t size)
{
    char name[96];
    unsigned shape = (unsigned)hd_ent_below(e, 6), ps = m->ps;
    uint32_t idx = m->types.n;
    gm_type *t = GM_PUSH(&m->types);
    const char *pkg = pkgs[hd_ent_below(e, 6)];

    t->addr = next_type_addr(m, e);
    t->hash = (uint32_t)hd_ent_u64(e);
    if (bucket >= 0)
        t->hash = (t->hash & ~0xffu) | (uint32_t)bucket;
    t->ptrto = GM_NONE;
    switch (size != 0 ? 0 : shape) {
    case 1: snprintf(name, sizeof name, "map[string]%s.T%u", pkg, idx); t->size = ps; t->direct_iface = true; break;
    case 2: snprintf(name, sizeof name, "[]%s.T%u", pkg, idx); t->size = 3 * ps; break;
    case 3: snprintf(name, sizeof name, "chan *%s.T%u", pkg, idx); t->size = ps; t->direct_iface = true; break;
    case 4: snprintf(name, sizeof name, "%s", hd_ent_chance(e, 1, 2) ? "string" : "int"); t->size = 2 * ps; break;
    default:
        snprintf(name, sizeof name, "%s.T%u", pkg, idx);
        t->size = size != 0 ? size : ps * hd_ent_logrange(e, 1, 64);
        break;
    }
    t->name = gm_str(m, name, &t->name_len);
    if (m->cfg.layout == HD_V13)
        add_fields13(m, e, &m->types.v[idx], hd_ent_chance(e, 1, 2));
    if (!m->types.v[idx].direct_iface && hd_ent_chance(e, 3, 4)) {
        gm_type *p = GM_PUSH(&m->types);
        char pname[100];
        snprintf(pname, sizeof pname, "*%s", name);
        p->addr = next_type_addr(m, e);
        p->hash = (uint32_t)hd_ent_u64(e);
        if (bucket >= 0)
            p->hash = (p->hash & ~0xffu) | (uint32_t)bucket;
        p->size = ps;
        p->direct_iface = true;
        p->ptrto = GM_NONE;
        p->name = gm_str(m, pname, &p->name_len);
        if (m->cfg.layout == HD_V13) {
            p->f0 = m->tfields.n;
            hd_field *f = GM_PUSH(&m->tfields);
            f->kind = HD_FK_PTR;
            p->nf = 1;
        }
        m->types.v[idx].ptrto = m->types.n - 1;
    }
    return idx;
}

/* go1.3 object types: a type whose size fits the size class (contents.c lays objects out by it). */
uint32_t gm_type_for_size(gm_model *m, hd_entropy *e, uint64_t maxsize, bool allow_eface)
{
    for (int tries = 0; tries < 8 && m->types.n > 0; tries++) {
        uint32_t i = (uint32_t)hd_ent_below(e, m->types.n);
        const gm_type *t = &m->types.v[i];
        if (t->size <= maxsize && t->size > 0 && (allow_eface || !t->has_eface))
            return i;
    }
    uint64_t words = maxsize / m->ps;
    if (words == 0)
        return GM_NONE;
    uint64_t size = m->ps * hd_ent_range(e, words > 64 ? words / 2 : 1, words > 512 ? 512 : words);
    uint32_t before = m->tfields.n, idx = add_type(m, e, -1, size);
    if (!allow_eface && m->types.v[idx].has_eface) {
        /* drop the Eface fields: turn them into plain pointers */
        for (uint32_t k = before; k < m->tfields.n; k++)
            if (m->tfields.v[k].kind == HD_FK13_EFACE)
                m->tfields.v[k].kind = HD_FK_PTR;
        m->types.v[idx].has_eface = false;
    }
    return idx;
}

void gm_build_types(gm_model *m, hd_entropy *e)
{
    uint64_t size = m->cfg.size, maxt = 4 + (size >> 9 < 3000 ? size >> 9 : 3000);
    uint64_t ntypes = hd_ent_logrange(e, 4, maxt), nitabs;
    uint32_t f = m->cfg.features;

    add_funcs(m, e);
    for (uint64_t i = 0; i < ntypes; i++)
        add_type(m, e, -1, 0);
    if (f & HD_GF(DUP_TYPES)) {
        /* many types in 1..4 buckets: each bucket holds 4, so referring to them in turn evicts and re-dumps */
        unsigned nb = (unsigned)hd_ent_range(e, 1, 4), b0 = (unsigned)hd_ent_below(e, 256);
        uint64_t n = hd_ent_range(e, 12, 40 + (size >> 10 < 600 ? size >> 10 : 600));
        for (uint64_t i = 0; i < n; i++)
            add_type(m, e, (int)((b0 + hd_ent_below(e, nb)) & 0xff), 0);
    }

    /* FuncVals: static closures in rodata; FuncVal i calls function i % nfuncs */
    for (uint32_t i = 0; i < 64; i++) {
        *GM_PUSH(&m->funcvals) = m->rodata_lo;
        m->rodata_lo += 8 * hd_ent_range(e, 1, 4);
    }

    nitabs = (f & HD_GF(NO_ITABS)) ? 0 : hd_ent_logrange(e, 1, m->types.n * 2 < 600 ? m->types.n * 2 : 600);
    if (f & HD_GF(DUP_TYPES))
        nitabs += m->types.n;            /* refer to the crowded buckets over and over */
    uint64_t a = m->offheap_lo;
    for (uint64_t i = 0; i < nitabs; i++) {
        gm_itab *it = GM_PUSH(&m->itabs);
        it->addr = a;
        a += m->ps * hd_ent_range(e, 4, 12);
        it->type = (uint32_t)hd_ent_below(e, m->types.n);
        it->ptrdata = hd_ent_chance(e, 3, 4);
    }
    m->offheap_lo = gm_align(a + 0x1000, 0x1000);
}
