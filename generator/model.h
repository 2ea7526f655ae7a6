/* model.h — the generator's heap model (internal to generator/).
 *
 * A plain description of a heap as the runtime would hold it: types and itabs, spans of objects inside
 * the arena, goroutines with frame chains, defers and panics, OS threads, data/bss, finalizers, memprof
 * buckets and alloc samples, memstats. Built once from the entropy source (model*.c), then walked by the
 * emitter (emit.c) in the writer's order.
 *
 * Memory is bounded by design: nothing is stored per heap object. A span holds a seed; whether a slot is
 * allocated, what an object contains and which fields it reports are pure functions of (span seed, slot)
 * (contents.c). Frames likewise are a pure function of (goroutine frame seed, depth). The lists that are
 * stored (goroutines, defers, finalizers, samples, …) are sized by the configuration, not by the dump size
 * in bytes (beyond a few hundred bytes of dump per entry). */
#ifndef HD_GEN_MODEL_H
#define HD_GEN_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include "hd/entropy.h"
#include "hd/gen.h"
#include "hd/record.h"

#define GM_NONE UINT32_MAX

typedef struct {
    uint64_t addr, size;
    uint32_t hash;           /* the runtime's type hash: its low 8 bits pick the writer's type-cache bucket */
    uint32_t name;           /* offset of the name in the string pool */
    uint32_t name_len;
    bool     direct_iface;   /* pointer-shaped: an interface holds the value itself */
    bool     has_eface;      /* go1.3: some field of the type is an Eface */
    bool     bool_false;     /* defect T108: the record's bool is 0 */
    uint32_t ptrto;          /* index of the *T type, GM_NONE when the binary has no *T descriptor */
    uint32_t f0, nf;         /* go1.3: the type's field list, m->tfields[f0 .. f0+nf) */
} gm_type;

typedef struct {
    uint64_t addr;
    uint32_t type;           /* the dynamic type T (the record's type field depends on the version) */
    bool     ptrdata;        /* go1.3 itab bool */
} gm_itab;

/* What the objects of a span hold (contents.c). */
enum { SH_NOPTR, SH_PREFIX, SH_ALLPTR, SH_IFACE, SH_COUNT };

typedef struct {
    uint64_t base, elemsize;
    uint64_t seed;
    uint32_t nslots;
    uint32_t rank;           /* position in allspans order (the order the writer walks spans) */
    uint16_t freeprob;       /* slot k > 0 is free when its hash's low 16 bits are < freeprob */
    uint8_t  shape;          /* SH_* */
    uint8_t  kind13;         /* go1.3 object kind: 0 single, 1 array, 2 channel, 127 conservative */
    uint32_t type13;         /* go1.3 object type (GM_NONE: 0 in the dump) */
} gm_span;

typedef struct {
    uint64_t entry, size;
    uint32_t name, name_len;
    uint32_t file;           /* index into the file-name table */
} gm_func;

typedef struct {
    uint64_t addr, sp, id, gopc, status, waitsince, ctxt, m;
    uint32_t reason;         /* index into the wait-reason table, 0 = "" */
    bool     system, background;
    uint32_t nframes;
    uint64_t fseed;          /* frames are derived from it (model_gs.c: gm_frame_next) */
    uint64_t stack_hi;       /* end of the goroutine's stack region */
    uint32_t bend;           /* defect G113: frame at this depth (> 0) starts below its callee; 0 = none */
    uint32_t d0, nd, p0, np; /* defer / panic chains in m->defers / m->panics, chain order */
} gm_g;

typedef struct { uint64_t addr, argp, pc, fn, code; } gm_defer;
typedef struct { uint64_t addr, type, data, defer; } gm_panic;
typedef struct { uint64_t addr, id, procid; } gm_m;
typedef struct { uint64_t key, obj, fn, code, fint, ot; } gm_fin;       /* key: allspans walk order */
typedef struct { uint64_t addr, size, allocs, frees; uint32_t f0, nf; } gm_bucket;
typedef struct { uint32_t func; uint64_t pc, line; } gm_mpframe;          /* func GM_NONE: unknown PC */
typedef struct { uint64_t key, obj; uint32_t bucket; } gm_sample;
typedef struct { uint64_t addr, len, seed; } gm_segment;

/* One frame, as gm_frame_next derives it. */
typedef struct {
    uint64_t sp, len, depth, child_sp;
    uint32_t func;
    uint64_t pc, contpc, seed;
} gm_frame;

/* A growable array. */
#define GM_VEC(T) struct { T *v; uint32_t n, cap; }

/* A set of 64-bit addresses (distinct picks). */
typedef struct { uint64_t *k; uint32_t n, cap; } gm_set;

typedef struct gm_model {
    hd_gen_config cfg;
    unsigned      ps;            /* pointer size */
    uint64_t      ptrmask;       /* all-ones in ps bytes */

    /* params */
    uint64_t arena_start, arena_end, chansize, ncpu, arch_code;
    const char *arch;            /* GOARCH (static string) */
    bool ret_last;               /* x86: a frame's return address is its last word (else, link register: its
                                  * first) */
    char experiment[80];         /* GOEXPERIMENT, or (Go 1.17+) the build version */

    /* address regions outside the arena */
    uint64_t text_lo, rodata_lo, offheap_lo;

    GM_VEC(char)       pool;     /* names */
    GM_VEC(gm_type)    types;
    GM_VEC(hd_field)   tfields;  /* go1.3 type field lists */
    GM_VEC(gm_itab)    itabs;
    GM_VEC(gm_func)    funcs;
    GM_VEC(uint64_t)   funcvals; /* FuncVal addresses, paired with funcs[i % n] code */
    GM_VEC(gm_span)    spans;    /* by address */
    GM_VEC(uint32_t)   order;    /* allspans order: span indexes */
    GM_VEC(gm_g)       gs;
    GM_VEC(gm_defer)   defers;
    GM_VEC(gm_panic)   panics;
    GM_VEC(gm_m)       ms;
    GM_VEC(gm_fin)     fins;     /* registered finalizers, sorted by key */
    GM_VEC(gm_fin)     qfins;    /* queued finalizers, queue order */
    GM_VEC(uint32_t)   otherroots; /* go1.3: ranks of spans preceded by an OTHERROOT */
    GM_VEC(gm_bucket)  buckets;
    GM_VEC(gm_mpframe) mpframes;
    GM_VEC(gm_sample)  samples;  /* sorted by key */
    gm_segment data, bss;
    gm_set used;                 /* addresses already given a role (G, M, defer, finalizer, sample …) */

    uint64_t maxelem;            /* largest elemsize: the emitter's scratch buffer */
    uint64_t maxframe;           /* largest frame */
    uint64_t ms_base[HD_MEMSTATS_NVALUES];   /* memstats, heap totals filled in by the emitter */
    uint64_t budget_heap, budget_gs;          /* bytes planned for objects / goroutines */
    uint32_t ng, nm;                          /* goroutines and threads planned (gm_build_base) */
    uint64_t stack_cursor;                    /* next free stack address (after the spans) */
    uint64_t heap_end;                        /* end of the last span: [heap_end, first stack) is free */
    GM_VEC(uint32_t) gspans, mspans, dspans;  /* spans whose objects hold G, M and defer structs */
} gm_model;

/* ---- helpers (model.c) ---- */
/* GM_PUSH(&m->types): append one zeroed element, return a pointer to it (aborts when out of memory). */
void *gm_regrow(void *p, uint32_t n, uint32_t *cap, size_t elem);
#define GM_PUSH(vec)                                                                                   \
    ((vec)->v = gm_regrow((vec)->v, (vec)->n, &(vec)->cap, sizeof *(vec)->v), &(vec)->v[(vec)->n++])
uint32_t gm_str(gm_model *m, const char *s, uint32_t *len);  /* copy into the pool, return offset */
const char *gm_strp(const gm_model *m, uint32_t off);
bool   gm_set_add(gm_set *s, uint64_t k);  /* false if present */
bool   gm_set_has(const gm_set *s, uint64_t k);
void   gm_model_free(gm_model *m);
uint64_t gm_align(uint64_t v, uint64_t a);
uint64_t gm_arena_unit(unsigned ps);        /* Go 1.11+ heap-arena size for the pointer size */

/* ---- building (model_*.c), in this order ---- */
void gm_build_base(gm_model *m, hd_entropy *e);      /* params, regions, budget split */
void gm_set_arch(gm_model *m, const char *goarch);   /* the port (static string): params and frame layout */
void gm_build_types(gm_model *m, hd_entropy *e);     /* functions, types, itabs */
void gm_build_segments(gm_model *m, hd_entropy *e);  /* data and bss placement (model_roots.c) */
void gm_build_heap(gm_model *m, hd_entropy *e);      /* spans, allspans order, arena end */
void gm_build_gs(gm_model *m, hd_entropy *e);        /* goroutines, frames, defers, panics, threads */
void gm_build_roots(gm_model *m, hd_entropy *e);     /* data/bss, finalizers, memprof, memstats base */
int  gm_build(gm_model *m, const hd_gen_config *cfg, hd_entropy *e);
/* memstats for the objects actually written (model_roots.c): v gets HD_MEMSTATS_NVALUES values */
void gm_memstats_fill(const gm_model *m, uint64_t nobjects, uint64_t objbytes, uint64_t *v);

/* ---- heap queries (model_heap.c) ---- */
/* [0, n) from the high 32 bits of r: a multiply instead of a division (hot: one per pointer word). */
static inline uint32_t gm_scale(uint64_t r, uint32_t n) { return (uint32_t)(((r >> 32) * n) >> 32); }
static inline bool gm_slot_live(const gm_span *s, uint32_t slot)
{
    /* one multiply (hot: once per slot and per pointer): the top bits of a Weyl sequence seeded per span */
    return slot == 0 || (((s->seed + slot) * UINT64_C(0x9e3779b97f4a7c15)) >> 48) >= s->freeprob;
}
static inline uint64_t gm_slot_addr(const gm_span *s, uint32_t slot) { return s->base + (uint64_t)slot * s->elemsize; }
/* A live slot of span si chosen by r (probing forward from a random slot). */
uint32_t gm_pick_slot(const gm_model *m, uint32_t si, uint64_t r);
/* Address of a live object chosen by r, from any span. */
uint64_t gm_pick_object(const gm_model *m, uint64_t r);
/* A live object not used for any role yet (its address not in m->used), from the spans listed in `from`
 * (NULL: any span); marks it used. False when every candidate is taken. */
bool gm_take_object(gm_model *m, hd_entropy *e, const uint32_t *from, uint32_t nfrom, uint32_t *si, uint32_t *slot);

/* go1.3 object types: a type that fits maxsize bytes (model_types.c). */
uint32_t gm_type_for_size(gm_model *m, hd_entropy *e, uint64_t maxsize, bool allow_eface);

/* ---- frames (model_gs.c) ---- */
/* Iterate a goroutine's frames: f->depth == UINT64_MAX before the first call. false after the last. */
void gm_frame_first(const gm_model *m, const gm_g *g, gm_frame *f);
bool gm_frame_next(const gm_model *m, const gm_g *g, gm_frame *f);

/* ---- names (model_types.c) ---- */
extern const char *const gm_wait_reasons[];
extern const unsigned gm_nwait_reasons;
extern const char *const gm_files[];
extern const unsigned gm_nfiles;

#endif
