/* defects.h — the defect implementations behind include/hd/defects.def (internal).
 *
 * A defect is a gen_defect_ops (emit.h): `prepare` edits the model (e.g. two goroutines get one id),
 * `header` replaces the header, `candidate`/`apply` pick one record on its way to the encoder and break it
 * (edit its values, re-encode it through hd_enc_record_hook, add or drop records, cut the file). The
 * generator first counts the candidates, then draws which one to break, so the defect lands anywhere. */
#ifndef HD_GEN_DEFECTS_H
#define HD_GEN_DEFECTS_H

#include "emit.h"

#define HD_DEFECT(rule, name, layouts, ptrsizes, go, how) extern const gen_defect_ops defect_##name;
#include "hd/defects.def"
#undef HD_DEFECT

const gen_defect_ops *gen_defect_ops_get(unsigned i);

/* ---- helpers shared by the defect files (defects.c) ---- */

/* Encode rec with a hook (see hd_enc_record_hook), honouring a stopped emitter. 1 if the hook cut it. */
int  dx_put_hook(gen_emitter *g, const hd_record *rec, hd_enc_hook hook, void *ctx);
/* Index (1-based, as hook steps) of the n-th step of rec whose op satisfies want(op); 0 if none. */
unsigned dx_find_step(const gen_emitter *g, const hd_record *rec, bool (*want)(int op), uint64_t n);
/* Number of steps of rec whose op satisfies want(op). */
unsigned dx_count_steps(const gen_emitter *g, const hd_record *rec, bool (*want)(int op));
/* Make sure the model has an itab (one whose type record, go1.4+, has bool 1). */
void dx_ensure_itab(gm_model *m);
/* A live object no role uses yet (from `from`, else any span, else a new span); false if none. */
bool dx_take_object(gm_model *m, hd_entropy *e, const uint32_t *from, uint32_t nfrom, uint64_t *addr);
/* The allspans-walk sort key of a heap address (finalizers, samples). */
uint64_t dx_walk_key(const gm_model *m, uint64_t addr);
/* A model type the dump is sure to write a record for (making one so if needed). */
uint32_t dx_emitted_type(gm_model *m, hd_entropy *e);
/* prepare hook: the same, for defects that need some type record (go1.3: a typed object after it). */
bool dx_some_type(gm_model *m, hd_entropy *e);
/* The record's field list / contents when they are the emitter's scratch (mutable), else NULL. */
hd_fields *dx_fields(gen_emitter *g, hd_record *rec);
hd_bytes  *dx_contents(gen_emitter *g, hd_record *rec);
/* Write an extra object record of `len` zero bytes (len <= 64) and no fields. */
void dx_extra_object(gen_emitter *g, uint64_t addr, uint64_t len);
/* An arena address in no object and no stack: between the last span and the first stack. */
uint64_t dx_free_arena(const gm_model *m, unsigned k);
/* Give a goroutine that has none n defers (heap objects) / panics (on its stack), all at one address when
 * `same`; false if no goroutine qualifies. */
bool dx_add_defers(gm_model *m, hd_entropy *e, unsigned n, bool same);
bool dx_add_panics(gm_model *m, unsigned n, bool same);
/* configure hook: records with field lists everywhere (big data/bss, pointers in objects, frames). */
void dx_fields_on(hd_gen_config *cfg);
/* prepare hook: at least 16 frames in the last goroutine (its stack is the last region of the arena, so it
 * can grow), for defects that need a frame with fields. */
bool dx_more_frames(gm_model *m, hd_entropy *e);
/* A value in [lo, hi] from the defect's random word (drawn before the passes) and a salt. */
uint64_t dx_pick(const gen_emitter *g, unsigned salt, uint64_t lo, uint64_t hi);

#endif
