/* emit.h — the emitter: walks a model in the writer's order and hands records to the encoder (internal).
 *
 * Order (FORMAT.md §4): header, params, itabs, objects (allspans order), goroutines (G, frames innermost
 * first, defers, panics), threads, data, bss, finalizers (span walk order; go1.3 OTHERROOTs among them),
 * queued finalizers, memstats, memprof buckets, alloc samples, EOF. Type records come from the writer's
 * 256-bucket x 4-way move-to-front cache, cleared at the start: in the itab section (go1.4+) and, for
 * go1.3/go1.4, before objects, frames and (go1.4) data/bss with Eface fields, and (go1.3) before each
 * object for its own type.
 *
 * A defect (defects.c) hooks in at two points: the header, and every record on its way to the encoder. */
#ifndef HD_GEN_EMIT_H
#define HD_GEN_EMIT_H

#include "contents.h"
#include "hd/encode.h"

typedef struct gen_emitter gen_emitter;

/* What a defect's apply hook did with the record. */
enum { GEN_EMIT, GEN_SKIP };

typedef struct {
    bool (*fits)(const hd_gen_config *cfg);                        /* a configuration it can be shown in,
                                                                    * beyond defects.def's layouts and pointer
                                                                    * sizes (NULL: any) */
    void (*configure)(hd_gen_config *cfg);                         /* adjust the configuration (features …) */
    bool (*prepare)(gm_model *m, hd_entropy *e);                   /* edit the model; false: impossible */
    bool (*header)(gen_emitter *g);                                /* wrote the header itself */
    bool (*candidate)(const gen_emitter *g, const hd_record *rec); /* a place the defect could go */
    int  (*apply)(gen_emitter *g, hd_record *rec);                 /* at the chosen place: GEN_EMIT/SKIP */
    void (*after)(gen_emitter *g, const hd_record *rec);           /* after each record (may be NULL) */
    bool (*drop)(gen_emitter *g, const hd_record *rec);            /* leave this record out (may be NULL) */
} gen_defect_ops;

struct gen_emitter {
    const gm_model *m;
    hd_out        *out;
    hd_layout      layout;
    uint32_t       cache[256][4];    /* type index + 1; 0 = empty */
    uint8_t       *emitted;          /* per type: written at least once */
    uint32_t      *emitted_list;     /* the same, in order (go1.3 data/bss Eface types) */
    uint32_t       nemitted;
    gc_out         co;               /* scratch for contents */
    hd_mpframe    *mpf;              /* scratch for memprof frames */
    char          *mpnames;          /* scratch for unknown-PC names, 24 bytes per frame */
    uint64_t       nobjects, objbytes;
    uint64_t       count[HD_TAG_COUNT];
    uint64_t       records;
    bool           stopped;          /* a defect truncated the file: nothing more is written */

    /* where the walk is, for defects */
    int            last_tag;         /* tag of the last record written, -1 before the first */
    const gm_span *cur_span;         /* object being written */
    uint32_t       cur_slot;
    const gm_g    *cur_g;            /* goroutine being written (its frames, defers, panics), else NULL */
    const gm_frame *cur_frame;       /* frame being written */

    void         (*tap)(void *ctx, hd_layout layout, const hd_record *rec);
    void          *tap_ctx;

    const gen_defect_ops *defect;
    uint64_t       cand, target;     /* candidates seen; the one to break (UINT64_MAX: count only) */
    uint64_t       dstate[4];        /* scratch for the defect: [0] is a random word drawn before the passes */
    hd_record      held;             /* a record a defect holds back to write later */
};

int  gen_emitter_init(gen_emitter *g, const gm_model *m, hd_out *out);
void gen_emitter_free(gen_emitter *g);
/* Write the whole dump (not flushed). */
void gen_emit_dump(gen_emitter *g);

/* For defects: encode a record bypassing the defect hook / write raw bytes / stop all output. */
void gen_put(gen_emitter *g, const hd_record *rec);
void gen_raw(gen_emitter *g, const void *p, size_t n);
void gen_stop(gen_emitter *g);
/* The type record dumptype writes for model type t. */
void gen_type_record(const gen_emitter *g, uint32_t t, hd_record *r);
/* The record of defer i of goroutine gp's chain. */
void gen_defer_record(const gen_emitter *g, const gm_g *gp, uint32_t i, hd_record *r);

#endif
