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
    unsigned go_min, go_max;    /* inclusive; go_max = CK_GO_OPEN when the header does not bound it */
} ck_profile;
#define CK_GO_OPEN 999u

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

    /* objects, goroutines, roots, memstats/profile: state */
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

/* objects, goroutines, roots, memstats/profile: hooks */


#endif
