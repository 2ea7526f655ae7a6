/* check_internal.h — state shared by the checker's rule families (validator/check_*.c).
 *
 * Each family is a module with an on_record and an on_finish hook, listed once in checker.c. A family
 * keeps its own state in its own struct below; it reads (never writes) the common part. */
#ifndef HD_CHECK_INTERNAL_H
#define HD_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "hd/check.h"

typedef struct {
    uint64_t count;           /* records of this tag seen */
    uint64_t first, last;     /* record index of the first / last one */
} tag_seen;

/* Producer profile: which producer and which Go releases could have written this dump, as a range of
 * Go 1.x minor versions. Set from the header by checker.c, narrowed at params (build version string,
 * --go, --producer) by profile.c. Rules whose truth depends on the release ask ck_go_*. */
typedef struct {
    bool     gccgo;
    unsigned go_min, go_max;    /* inclusive; go_max = HD_GO_OPEN when the header does not bound it */
} ck_profile;

struct hd_checker {
    /* common: set by checker.c before the families run */
    hd_header_id header;
    hd_layout    layout;
    hd_options   opts;
    hd_diag_sink sink;
    unsigned     ptrsize;        /* from params (4 or 8), 0 before params or if invalid */
    bool         big_endian;
    const hd_record *rec;        /* record being checked */
    tag_seen     seen[HD_TAG_COUNT];
    ck_profile   prof;
    char         producer[16];   /* "gc" or "gccgo" */
    char         go_version[64];

    /* structure family (check_structure.c) */
    uint64_t     frames_in_g;    /* frames since the last goroutine */
    uint64_t     max_frames;

    /* params, order, types, profiles: state */
    struct {                     /* profile.c */
        unsigned version_minor;  /* Go 1.N from the params version string (or --go), 0 if none */
        bool     go_given;       /* --go parsed: it overrides detection */
        bool     v15_params;     /* X101: go1.5/1.6 params under a go1.7 header; GOARCH/version are garbage */
    } pf;
    struct {                     /* check_order.c: where the record stream is in FORMAT.md §4's grammar */
        uint8_t  section;        /* SEC_* of the last record in place (or resynchronised on) */
        uint8_t  sub;            /* inside a goroutine group: goroutine, frames, defers, panics */
        uint8_t  bad_section;    /* section of the last misplaced record: its run is reported once */
        bool     in_bad;
        uint64_t section_first;  /* record index where `section` began */
        uint64_t g_index;        /* record index of the current goroutine */
        uint64_t run_len, run_first, run_pos;   /* pending run of type records */
    } ord;
    struct ck_types *ty;         /* check_types.c: type and itab indexes, NULL until the first one */

    /* objects, goroutines, roots, memstats/profile: state */
    struct ck_heap *heap;        /* check_objects.h: NULL until the first record, freed by objects_finish */
};

/* Emit a diagnostic about the current record (or, with pos given, at that offset). */
void ck_report(hd_checker *c, hd_rule rule, uint64_t pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* May the producer be Go 1.minor or later? (a behaviour that started then is tolerated) */
static inline bool ck_go_maybe_ge(const hd_checker *c, unsigned minor) { return c->prof.go_max >= minor; }
/* Is the producer surely Go 1.minor or later? (a behaviour that started then is required) */
static inline bool ck_go_surely_ge(const hd_checker *c, unsigned minor) { return c->prof.go_min >= minor; }

/* profile.c: the initial profile from the header, and the severity a rule has under the profile (a known
 * deviation of the detected producer is lowered to INFO). */
void profile_init(hd_checker *c);
hd_severity profile_severity(const hd_checker *c, hd_rule rule);

/* Families. */
void structure_record(hd_checker *c, const hd_record *rec);
void structure_finish(hd_checker *c, uint64_t end, bool complete);
/* params, order, types, profiles: hooks */
void profile_record(hd_checker *c, const hd_record *rec);   /* narrows c->prof at params */
const char *profile_producer(const hd_checker *c);          /* "gc" or "gccgo" */
const char *profile_go_version(const hd_checker *c);        /* "go1.19.8", "1.19", "go1.4", or "" */
/* Dump bytes as message text: printable ASCII kept, '"', '\\' and the rest as \xNN, "..." when cut. */
const char *profile_quote(char *buf, size_t cap, const hd_bytes *b);
void params_record(hd_checker *c, const hd_record *rec);
void order_record(hd_checker *c, const hd_record *rec);
void types_record(hd_checker *c, const hd_record *rec);
void types_free(hd_checker *c);


/* objects, goroutines, roots, memstats/profile: hooks */
void objects_record(hd_checker *c, const hd_record *rec);
void objects_finish(hd_checker *c, uint64_t end, bool complete);
void objects_free(hd_checker *c);


#endif
