/* gen.h — the random heap model and the dump generator (libhdgen, `hdgen`).
 *
 *   entropy ──► configuration (swarm) ──► heap model ──► emitter (writer order) ──► hd_record ──► encoder
 *
 * A request says what the caller fixes (header, pointer size, byte order, size, a defect to inject); the
 * rest is drawn from the entropy source ("swarm configuration": each seed also picks which features the dump
 * has, so that seeds explore corners rather than an average dump). The model is consistent: it satisfies
 * every invariant of FORMAT.md §5 (G, R and W levels), so a generated dump gives no diagnostic at all —
 * unless a defect is injected, which then breaks exactly one rule (see hd/defects.def).
 *
 * Output is streamed: object, frame and segment contents are derived from per-span / per-goroutine seeds
 * while they are written, so memory stays bounded (model metadata plus one largest object) whatever the size.
 * Same request and same entropy give the same bytes on every machine.
 *
 * From a fuzzer's input (any bytes, the empty input included, give a valid dump without any diagnostic):
 *
 *   hd_entropy e; hd_gen_request q; hd_gen_stats st; hd_membuf m = {0}; hd_out *o = malloc(sizeof *o);
 *   hd_entropy_bytes(&e, data, size);
 *   hd_gen_request_init(&q);
 *   q.max_size = 64 * 1024;                       // keep drawn sizes small
 *   hd_out_init_mem(o, &m);
 *   hd_gen(&q, &e, o, &st);                       // 0; m.p/m.len hold the dump (free m.p and o)
 *
 * or set q.defect = hd_defect_find("S105") for a dump that breaks exactly that rule. */
#ifndef HD_GEN_H
#define HD_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hd/diag.h"
#include "hd/encode.h"
#include "hd/entropy.h"
#include "hd/format.h"

/* Swarm features: X(IDENT, "name", "what it does"). */
#define HD_GEN_FEATURES(X)                                                                                     \
    X(FEW_GOROUTINES, "few-goroutines", "only the dumping goroutine (with one frame)")                          \
    X(ONLY_GOROUTINES, "only-goroutines", "no heap beyond the objects that hold G, M and defer structs")        \
    X(HUGE_OBJECTS, "huge-objects", "large-object spans up to 8 MiB, past the reader's 1 MiB kept prefix")      \
    X(DEEP_STACKS, "deep-stacks", "goroutines hundreds to thousands of frames deep")                             \
    X(DUP_TYPES, "dup-types", "many types in few type-cache buckets: the writer repeats type records")          \
    X(NO_ITABS, "no-itabs", "an empty itab table")                                                              \
    X(TINY_OBJECTS, "tiny-objects", "mostly 8- and 16-byte size classes")                                       \
    X(POINTER_HEAVY, "pointer-heavy", "objects made of pointers")                                               \
    X(NO_POINTERS, "no-pointers", "no pointer fields in heap objects")                                          \
    X(IFACES, "ifaces", "go1.3/go1.4: iface and eface fields everywhere (type records interleaved)")           \
    X(MANY_THREADS, "many-threads", "dozens of OS threads")                                                      \
    X(FINALIZERS, "finalizers", "many registered and queued finalizers")                                         \
    X(NO_FINALIZERS, "no-finalizers", "no finalizer records")                                                   \
    X(MEMPROF, "memprof", "MemProfileRate=1 style: many buckets and alloc samples")                              \
    X(NO_MEMPROF, "no-memprof", "no memory profile records")                                                    \
    X(DEFERS, "defers", "long defer and panic chains")                                                          \
    X(BIG_SEGMENTS, "big-segments", "large data and bss segments")                                              \
    X(EMPTY_SEGMENTS, "empty-segments", "zero-length data and bss segments")

enum {
#define HD_GEN_X(id, name, doc) HD_GF_BIT_##id,
    HD_GEN_FEATURES(HD_GEN_X)
#undef HD_GEN_X
    HD_GF_COUNT
};
#define HD_GF(id) (UINT32_C(1) << HD_GF_BIT_##id)

const char *hd_gen_feature_name(unsigned bit);
const char *hd_gen_feature_doc(unsigned bit);

/* What the caller fixes; everything left open is drawn from the entropy source. */
typedef struct {
    int      header;       /* hd_header_id, or -1 */
    unsigned ptrsize;      /* 4 or 8, or 0 */
    int      big_endian;   /* 0 or 1, or -1 */
    uint64_t size;         /* target bytes (the dump is about this big), 0: drawn up to max_size */
    uint64_t max_size;     /* bound for a drawn size (default 256 KiB) */
    int      defect;       /* index into the defect table (hd_defect_find), -1: a valid dump */
    bool     features_set; /* use `features` as given instead of drawing them */
    uint32_t features;     /* HD_GF(...) bits */
    /* Optional: called with every record as it is encoded (after a defect's edits; bytes a defect writes
     * raw — a broken tag, a cut record — are not records and are not passed). */
    void   (*tap)(void *ctx, hd_layout layout, const hd_record *rec);
    void    *tap_ctx;
} hd_gen_request;

/* A resolved configuration. */
typedef struct {
    hd_header_id header;
    hd_layout    layout;
    unsigned     ptrsize;
    bool         big_endian;
    unsigned     go_minor;   /* the Go 1.x release imitated (3..25): picks release-dependent behaviour */
    uint64_t     size;
    uint32_t     features;
    int          defect;
    void       (*tap)(void *ctx, hd_layout layout, const hd_record *rec);   /* from the request */
    void        *tap_ctx;
} hd_gen_config;

/* What was written. */
typedef struct {
    hd_gen_config cfg;
    uint64_t      bytes;
    uint64_t      records;
    uint64_t      count[HD_TAG_COUNT];
    int           rule;        /* hd_rule the injected defect breaks, -1 if none */
    char          error[160];  /* set when a call returns -1 */
} hd_gen_stats;

void hd_gen_request_init(hd_gen_request *q);

/* Resolve the request (the swarm draw). -1 if it cannot be met (st->error says why). */
int hd_gen_configure(const hd_gen_request *q, hd_entropy *e, hd_gen_config *cfg, hd_gen_stats *st);

/* Build the model for cfg and write the dump to o (flushed). 0, or -1 (st->error; also on a write error). */
int hd_gen_write(const hd_gen_config *cfg, hd_entropy *e, hd_out *o, hd_gen_stats *st);

/* configure + write. */
int hd_gen(const hd_gen_request *q, hd_entropy *e, hd_out *o, hd_gen_stats *st);

/* Would the configuration give a dump without any diagnostic? False only for byte-order / pointer-size /
 * version combinations no Go port ever had (e.g. 4-byte big-endian before go1.7): those dumps carry the
 * architecture findings (P5/P6: P103, P104) and nothing else. */
bool hd_gen_config_clean(const hd_gen_config *cfg);

/* "go1.4 8le few-goroutines,dup-types" */
void hd_gen_config_describe(const hd_gen_config *cfg, char *buf, size_t len);

/* ---- defect injection (the table is include/hd/defects.def) ---- */

typedef struct {
    const char *rule_id;     /* "S105": the ID of the rule the defect breaks (hd_rule_get(rule)->id) */
    hd_rule     rule;        /* HD_R_BOOL_INVALID: that rule (defects.def names it by this identifier) */
    const char *name;        /* "bool_invalid": the defect's own name (also accepted as "bool-invalid") */
    unsigned    layouts;     /* bit (1 << hd_layout) for each layout the defect applies to */
    unsigned    ptrsizes;    /* 4 | 8: pointer sizes it applies to */
    const char *go;          /* NULL, or the release to validate with (hdvalidate --go=…, hd_options.go_version)
                              * because the dump cannot show it by itself */
    const char *how;         /* one line */
} hd_defect_info;

#define HD_DL_ALL 0xfu                               /* every layout */
#define HD_DL(l) (1u << (l))

unsigned hd_defect_count(void);
const hd_defect_info *hd_defect_get(unsigned i);
/* Defect index for a rule ID ("S105"), a rule name ("bool-invalid") or a defect name; -1 if none. */
int hd_defect_find(const char *key);
/* Does defect i apply to this layout and pointer size? */
bool hd_defect_applies(unsigned i, hd_layout l, unsigned ptrsize);

#endif
