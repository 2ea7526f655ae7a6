/* check_internal.h — what the checker's rule families share (validator/check_*.c, producer.c, xref.c).
 *
 * The families are one flat list in checker.c. Each owns its state (allocated by the checker, sized by the
 * family's table entry), declares the record tags it reads, and sees only those. What families share goes
 * through this header and nothing else:
 *   - the common part of hd_checker below: header, layout, options, what params said (pointer size, byte
 *     order, architecture, arena), where data and bss lie, per-tag counts, the producer profile, the pending
 *     run of type records, the checkpoint table of record offsets;
 *   - ck_report / ck_fail: diagnostics, and the one policy for resource failures;
 *   - the cross-reference ledger (xref.h): every check that needs to know what the rest of the file holds
 *     (is this address inside some object? a second goroutine with this id? a thread record for this M?)
 *     is one entry; all are judged together by one sort-merge sweep at the end (xref.c). */
#ifndef HD_CHECK_INTERNAL_H
#define HD_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "hd/check.h"

typedef struct {
    uint64_t count;           /* records of this tag seen */
    uint64_t first, last;     /* record index of the first / last one */
} tag_seen;

/* Producer profile: which producer and which Go releases could have written this dump, as a range of Go 1.x
 * minor versions. Set from the header, narrowed at params (build version string, --go, --producer) by
 * producer.c. Rules whose truth depends on the release ask ck_go_*. */
typedef struct {
    bool     gccgo;
    unsigned go_min, go_max;    /* inclusive; go_max = HD_GO_OPEN when the header does not bound it */
    bool     v15_params;        /* X101: go1.5/1.6 params under a go1.7 header; GOARCH and version are garbage */
} ck_profile;

/* [lo, hi) */
typedef struct { uint64_t lo, hi; } ck_range;

/* The families, in the order they see each record (checker.c's table). */
typedef enum {
    CK_F_STRUCTURE, CK_F_PRODUCER, CK_F_PARAMS, CK_F_ORDER, CK_F_TYPES, CK_F_OBJECTS, CK_F_GOROUTINES,
    CK_F_ROOTS, CK_F_MEMPROF, CK_F_COUNT
} ck_family_id;

struct xref;

struct hd_checker {
    /* set by checker.c before the families see a record; read-only for them */
    hd_header_id header;
    hd_layout    layout;
    hd_options   opts;
    hd_diag_sink sink;
    const hd_record *rec;        /* record being checked */
    tag_seen     seen[HD_TAG_COUNT];
    uint64_t     nrecords;       /* records seen */
    unsigned     ptrsize;        /* from the first params (4 or 8), 0 before params or if invalid */
    bool         big_endian;
    const hd_arch *arch;         /* the architecture params name, NULL if unknown */
    ck_range     arena;          /* params arena; hi > lo when known */
    ck_range     seg[2];         /* the first data (0) and bss (1) records' ranges */
    bool         have_seg[2];
    /* the current frame, when the record is one: a frame the runtime injected (runtime.sigpanic, asyncPreempt,
     * debugCallV2: the caller's frame is not where the callee's ends on link-register machines), one without a
     * pointer map (asyncPreempt, debugCallV2: every word is listed as a pointer field, and the frame above it is
     * scanned conservatively too), and whether the frame before it in the goroutine was such a frame */
    struct { bool injected, conservative, after_injected, after_conservative; } frame;
    /* the run of type records just before the current record (type records are not a section of their own:
     * a run belongs to the record after it) */
    struct { uint64_t len, first, pos; } run;
    /* the offset of every 256th record, so that a diagnostic found at the end can name its record index */
    uint64_t    *checkpoints;
    size_t       ncheckpoints, capcheckpoints;

    /* the producer profile (producer.c writes it; every family reads it) */
    ck_profile   prof;
    char         producer[16];   /* "gc" or "gccgo" */
    char         go_version[64];
    uint64_t     max_frames;     /* deepest goroutine (structure family) */

    struct xref *xref;           /* the cross-reference ledger (xref.c) */
    uint64_t    *scratch;        /* sort buffer shared by the ledger and the object index (never both at once) */
    const char  *failed;         /* a resource failure: checking cannot go on (see ck_fail) */
    void        *state[CK_F_COUNT];   /* each family's own state */
};

/* Emit a diagnostic about the current record (or, with pos given, at that offset). */
void ck_report(hd_checker *c, hd_rule rule, uint64_t pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The same about any record: its offset, index and tag (end-of-file findings). */
void ck_report_at(hd_checker *c, hd_rule rule, uint64_t pos, uint64_t record, int tag, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* The one policy for running out of memory or temporary disk: checking stops and the run ends with an
 * I/O-class error (exit 2) that says what failed. A check is never silently switched off. */
void ck_fail(hd_checker *c, const char *what);

/* The index of the record at pos, given its index modulo 256 (the checkpoint table holds the rest). */
uint64_t ck_record_index(const hd_checker *c, uint64_t pos, uint8_t delta);

/* May the producer be Go 1.minor or later? (a behaviour that started then is tolerated) */
static inline bool ck_go_maybe_ge(const hd_checker *c, unsigned minor) { return c->prof.go_max >= minor; }
/* Is the producer surely Go 1.minor or later? (a behaviour that started then is required) */
static inline bool ck_go_surely_ge(const hd_checker *c, unsigned minor) { return c->prof.go_min >= minor; }

static inline bool ck_in_arena(const hd_checker *c, uint64_t v)
{
    return c->arena.hi > c->arena.lo && v >= c->arena.lo && v < c->arena.hi;
}

/* Dump bytes as message text: printable ASCII kept, '"', '\\' and the rest as \xNN, "..." when cut. */
const char *ck_quote(char *buf, size_t cap, const hd_bytes *b);

/* The severity a rule has under the producer profile (a known deviation of the detected producer is lowered to
 * INFO); producer.c. */
hd_severity profile_severity(const hd_checker *c, hd_rule rule);

/* ---- the families (checker.c's table) -------------------------------------------------------------------- */

typedef struct {
    const char *name;
    uint32_t    tags;                                   /* HD_TAGMASK bits of the records it reads */
    size_t      size;                                   /* bytes of its state (zeroed), 0: none */
    void (*init)(hd_checker *c, void *st);              /* NULL: zeroed state is ready */
    void (*on_record)(hd_checker *c, void *st, const hd_record *rec);
    void (*on_finish)(hd_checker *c, void *st, uint64_t end, bool complete);   /* NULL: nothing at the end */
    void (*on_free)(void *st);                          /* NULL: nothing to free */
} ck_family;

extern const ck_family ck_structure_family, ck_producer_family, ck_params_family, ck_order_family,
    ck_types_family, ck_objects_family, ck_goroutines_family, ck_roots_family, ck_memprof_family;

#define CK_ALL_TAGS ((uint32_t)((UINT64_C(1) << HD_TAG_COUNT) - 1))

#endif
