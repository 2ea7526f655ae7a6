/* contents.h — the memory contents and field lists of objects, frames and data/bss (internal).
 *
 * Pure functions of the model and a seed: the emitter calls them while writing, nothing is stored.
 * Field lists obey O1/O2/S7/S8 by construction (ascending, aligned, inside the contents, multi-word kinds
 * not overlapping); pointer words hold 0 or a live object's address; iface words hold 0 or an itab address
 * (T10); eface type words hold 0 or a type address, reported in `etypes` so the emitter can write those type
 * records first (go1.3/go1.4 interleaving, T5/T6). */
#ifndef HD_GEN_CONTENTS_H
#define HD_GEN_CONTENTS_H

#include "model.h"

typedef struct {
    uint8_t  *buf;       /* contents; room for the largest object / frame / segment */
    hd_field *fields;    /* room for one entry per word */
    uint32_t  nfields;
    uint32_t *etypes;    /* model type indexes of non-zero Eface type words, in field order */
    uint32_t  netypes;
} gc_out;

/* Object in slot `slot` of span s: contents are s->elemsize bytes. */
void gc_object(const gm_model *m, const gm_span *s, uint32_t slot, gc_out *o);
/* Frame f: contents are f->len bytes, its saved return address `ret` (its caller's PC) where the port's
 * unwinder reads it (m->ret_last: the last word, else the first), never under a field. */
void gc_frame(const gm_model *m, const gm_frame *f, uint64_t ret, gc_out *o);
/* data or bss. go1.3 writes no type records before them, so Eface type words come from `pool` (types
 * written earlier); NULL = any type. */
void gc_segment(const gm_model *m, const gm_segment *seg, const uint32_t *pool, uint32_t npool, gc_out *o);

/* Read / write a pointer-sized word of contents in the dump's byte order. */
uint64_t gc_get_word(const gm_model *m, const uint8_t *p);
void     gc_put_word(const gm_model *m, uint8_t *p, uint64_t v);

#endif
