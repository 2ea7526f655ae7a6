/* tdump.h — test-only helpers: build small dumps in memory and capture what the validator says.
 *
 *   tdump t; tdump_begin(&t, HD_H17, 8);          header + a valid params record
 *   tdump_rec(&t, &rec);                           any record (see tdump_* makers below)
 *   tdump_finish(&t);                              the dumping goroutine (unless written), data, bss, memstats,
 *                                                  EOF: a minimal valid tail
 *   tcheck c; tcheck_run(&c, t.m.p, t.m.len);     validate from memory, keep diagnostics
 *   assert_true(tcheck_only(&c, HD_R_BOOL_INVALID));
 */
#ifndef HD_TDUMP_H
#define HD_TDUMP_H

#include <stdbool.h>
#include <stdint.h>
#include "hd/encode.h"
#include "hd/validate.h"

typedef struct {
    hd_membuf    m;
    hd_out       o;
    hd_header_id header;
    hd_layout    layout;
    unsigned     ptrsize;
    uint32_t     written;      /* HD_TAGMASK of the tags written so far */
} tdump;

/* Arena used by tdump_params: [TD_ARENA_LO, TD_ARENA_HI) for 8-byte pointers, the low 32 bits else. */
#define TD_ARENA_LO(ps) ((ps) == 8 ? UINT64_C(0xc000000000) : UINT64_C(0x18000000))
#define TD_ARENA_HI(ps) ((ps) == 8 ? UINT64_C(0xc004000000) : UINT64_C(0x1c000000))

void tdump_init(tdump *t, hd_header_id h, unsigned ptrsize);   /* header only */
void tdump_begin(tdump *t, hd_header_id h, unsigned ptrsize);  /* header + params */
void tdump_rec(tdump *t, const hd_record *rec);
/* The goroutine that writes the dump (waiting, "dumping heap", one frame) unless a goroutine or a record of a
 * later section (threads, data, bss, …) was written already; then data, bss, memstats. */
void tdump_tail(tdump *t);
void tdump_finish(tdump *t);                                    /* tail + EOF + flush */
void tdump_eof(tdump *t);                                       /* EOF + flush only */
void tdump_free(tdump *t);

/* Record makers: a valid record of each kind for the dump's layout and pointer size. */
hd_record tdump_params(const tdump *t);
hd_record tdump_simple(hd_tag tag);          /* all-zero record of that tag (EOF, memstats, …) */
/* The dumping goroutine and its one frame, at TD_STACK. */
#define TD_STACK(ps) ((ps) == 8 ? UINT64_C(0xc000700000) : UINT64_C(0x18700000))
hd_record tdump_dumping_goroutine(const tdump *t);
hd_record tdump_dumping_frame(const tdump *t);
/* Write both (for dumps that write later sections themselves, before those). */
void tdump_goroutines(tdump *t);

/* Validation with captured diagnostics. */
#define TCHECK_MAX 256
typedef struct {
    hd_diag   d[TCHECK_MAX];
    unsigned  n;            /* captured (all, up to TCHECK_MAX) */
    hd_result res;
} tcheck;

void tcheck_run(tcheck *c, const uint8_t *p, size_t len);
void tcheck_run_opts(tcheck *c, const uint8_t *p, size_t len, const hd_options *o);
/* Also validate through a pipe (the stream path) and compare: true if identical. */
bool tcheck_same_via_pipe(const tcheck *c, const uint8_t *p, size_t len);
unsigned tcheck_count(const tcheck *c, hd_rule r);
/* True if at least one diagnostic has rule r and every other diagnostic also has rule r. */
bool tcheck_only(const tcheck *c, hd_rule r);
/* True if no diagnostic at all. */
bool tcheck_clean(const tcheck *c);
/* Print the diagnostics (for failing tests). */
void tcheck_dump(const tcheck *c);

#endif
