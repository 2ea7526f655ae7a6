/* check_objects.h — state of the heap family: objects, goroutines/frames/defers/panics, threads and roots,
 * memstats and profile (FORMAT.md §5.4–§5.7). Private to check_objects.c, check_goroutines.c,
 * check_roots.c and check_profile.c.
 *
 * One family in checker.c (objects_record / objects_finish): check_objects.c routes each record to the
 * part that owns its tag and, at the end, runs every part's end-of-file checks, then frees the state.
 * Memory grows with what the cross-references need: 16 bytes per heap object (objindex), one map entry
 * per goroutine, thread, defer, panic, finalizer, bucket and sample, one range per goroutine stack, and a
 * bounded list of pointer values still to resolve. */
#ifndef HD_CHECK_OBJECTS_H
#define HD_CHECK_OBJECTS_H

#include "check_internal.h"
#include "addrmap.h"
#include "objindex.h"

/* A value with the offset of the record it came from (a goroutine's M field). */
typedef struct { uint64_t v, pos; } ck_ptrval;
/* [lo, hi) of memory the dump holds outside objects (a goroutine's frames). */
typedef struct { uint64_t lo, hi; } ck_range;

/* Pending pointer values are capped: past this many, further values go unchecked (H112 says so). */
#define CK_PTRS_CAP (1u << 18)
/* End-of-file checks report at most this many diagnostics per rule, then one summary. */
#define CK_REPORT_CAP 100u

/* The goroutine whose frames, defers and panics are being read. */
typedef struct {
    bool     open;
    uint64_t addr, sp, pos;
    uint64_t nframes;
    uint64_t prev_sp, prev_len;      /* the previous frame of this goroutine */
    ck_range stack;                  /* hull of its frames */
    uint64_t next_defer, next_panic; /* the chain's next address: goroutine field, then links */
} ck_cur_g;

struct ck_heap {
    bool      lossy;                 /* some index lost an entry (out of memory): skip "unknown" checks */

    /* params (check_objects.c) */
    uint64_t  arena_lo, arena_hi;    /* arena_hi > arena_lo when known */
    bool      x86;                   /* frames are contiguous on the stack */

    /* objects and pointers (check_objects.c) */
    objindex  objs;
    bool      in_objects;            /* the last record was an object (or a type among them) */
    bool      objects_ended;         /* a record of another section followed objects */
    bool      late_objects;          /* objects came after that (out of order): lookups are partial */
    objindex_pair *ptrs;             /* (pointer value into the arena, record offset) still unresolved */
    size_t    nptrs, capptrs, peak_ptr_bytes;
    bool      ptrs_full;
    uint64_t  ptrs_dropped;

    /* goroutines, frames, defers, panics (check_goroutines.c) */
    ck_cur_g  g;
    addrmap   g_addr, g_id, defers, panics;      /* address or id -> record offset */
    ck_ptrval *gm;                   /* goroutine M fields (v) to resolve against threads at the end */
    size_t    ngm, capgm;
    ck_range  *stacks;               /* every goroutine's frame hull, for pointers into stacks */
    size_t    nstacks, capstacks;
    bool      stacks_sorted;
    bool      any_waiting, dumping_heap;

    /* threads and roots (check_roots.c) */
    addrmap   m_addr, m_id, finalizers;
    ck_range  seg[2];                /* data, bss */
    bool      have_seg[2];

    /* profile (check_profile.c) */
    addrmap   buckets, samples;

    unsigned  nreported[HD_RULE_COUNT];   /* end-of-file reports per rule, for CK_REPORT_CAP */
};

/* Append one element to a growable array (elements of `sz` bytes). 0, or -1 out of memory. */
int  ck_vec_push(void **v, size_t *n, size_t *cap, size_t sz, const void *elem);
/* Map insert that records running out of memory in h->lossy; returns addrmap_add's result. */
int  ck_map_add(struct ck_heap *h, addrmap *m, uint64_t key, uint64_t val, uint64_t *old);
/* Uniqueness: insert key (value: the record offset); a second record with it is reported as `rule`. */
void ck_unique(hd_checker *c, addrmap *m, hd_rule rule, const char *what, uint64_t key, uint64_t pos);
/* An end-of-file report, capped at CK_REPORT_CAP per rule (then one "N more" line at objects_finish). */
void ck_report_capped(hd_checker *c, hd_rule rule, uint64_t pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* check_objects.c */
void heap_field_shape(hd_checker *c, const hd_record *rec, const hd_fields *fl, const char *what);
void heap_field_pointers(hd_checker *c, const hd_record *rec, const hd_bytes *b, const hd_fields *fl);
bool heap_in_object(hd_checker *c, uint64_t a);
bool heap_in_stack(hd_checker *c, uint64_t a);
bool heap_l1_applies(const hd_checker *c);
bool heap_objects_complete(const hd_checker *c);

/* check_goroutines.c */
void goroutines_init(struct ck_heap *h);
void goroutines_free(struct ck_heap *h);
void goroutines_any(hd_checker *c, const hd_record *rec);   /* every record: ends the goroutine group */
void goroutines_goroutine(hd_checker *c, const hd_record *rec);
void goroutines_frame(hd_checker *c, const hd_record *rec);
void goroutines_defer(hd_checker *c, const hd_record *rec);
void goroutines_panic(hd_checker *c, const hd_record *rec);
void goroutines_finish(hd_checker *c, uint64_t end, bool complete);

/* check_roots.c */
void roots_init(struct ck_heap *h);
void roots_free(struct ck_heap *h);
void roots_osthread(hd_checker *c, const hd_record *rec);
void roots_segment(hd_checker *c, const hd_record *rec);
void roots_finalizer(hd_checker *c, const hd_record *rec);
void roots_finish(hd_checker *c, bool complete);

/* check_profile.c */
void heapprof_init(struct ck_heap *h);
void heapprof_free(struct ck_heap *h);
void heapprof_memstats(hd_checker *c, const hd_record *rec);
void heapprof_memprof(hd_checker *c, const hd_record *rec);
void heapprof_sample(hd_checker *c, const hd_record *rec);

#endif
