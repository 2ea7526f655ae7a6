/* tworld.h — test-only: small but complete worlds that every rule family accepts, and makers for the
 * records in them. Shared by the checker's unit tests so that each test states only what it breaks.
 *
 * The heap world (amd64, go1.19.8 params from tdump_params, arena [0xc000000000, 0xc004000000)):
 * objects holding a G and an M and a spare object, a goroutine with two frames on STACK, its thread.
 * The mini world (tw_w_*, any header and pointer size): one 512-byte object at the arena base holding
 * the dumping goroutine's G (+0) and M (+256), that goroutine ("dumping heap") with one frame, its thread. */
#ifndef HD_TWORLD_H
#define HD_TWORLD_H

#include <stdbool.h>
#include <stdint.h>
#include "tdump.h"

#define ARENA   UINT64_C(0xc000000000)
#define G_ADDR  (ARENA + 0x10000)      /* the goroutine's G: a heap object */
#define M_ADDR  (ARENA + 0x20000)      /* its M: a heap object */
#define OBJ     (ARENA + 0x30000)      /* a spare heap object of OBJ_SIZE bytes */
#define OBJ_SIZE 64u
#define STACK   (ARENA + 0x100000)     /* the goroutine's frames: [STACK, STACK + 80) */

extern uint8_t tw_zeros[1 << 16];   /* contents of every object (frames: zeros and a return address) */
#define TW_FRAME_ENTRY UINT64_C(0x402000)   /* every heap-world frame's function entry and PC (tw_frame) */
#define TW_FRAME_PC    UINT64_C(0x402020)

/* ---- record makers and the heap world ---- */
hd_bytes tw_bytes(const void *p, uint64_t n);
hd_bytes tw_str(const char *s);
hd_record tw_object(uint64_t addr, uint64_t size);
hd_record tw_goroutine(uint64_t addr, uint64_t id, uint64_t status, uint64_t m, uint64_t defer, uint64_t panic);
hd_record tw_frame(uint64_t sp, uint64_t depth, uint64_t child, uint64_t len, const char *name);
/* Frame contents of len bytes (at most 256): zeros but for the saved return address `ret`, in the first word
 * (link-register ports) or the last (x86, as tw_frame and tw_frame_rec write it) (G128). */
hd_bytes tw_frame_contents(uint64_t len, unsigned ptrsize, bool big_endian, bool first_word, uint64_t ret);
hd_record tw_osthread(uint64_t addr, uint64_t id);
void tw_put(tdump *t, hd_record r);
/* The same, returning the file offset the record starts at. */
uint64_t tw_put_pos(tdump *t, hd_record r);
void tw_objects(tdump *t);
void tw_frames(tdump *t);
bool tw_verdict(tdump *t, int rule);

/* ---- the mini world ---- */
uint64_t tw_base(const tdump *t);
void tw_w_object(tdump *t);
hd_record tw_goroutine_rec(const tdump *t);
hd_record tw_frame_rec(const tdump *t, uint64_t depth);
void tw_w_goroutine(tdump *t);
void tw_w_thread(tdump *t);
void tw_w_data_bss(tdump *t);
void tw_w_memstats(tdump *t);
hd_record tw_type_rec(uint64_t addr, const char *name);
hd_record tw_itab_rec(uint64_t addr, uint64_t type);

#endif
