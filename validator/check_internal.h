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

/* Families. */
void structure_record(hd_checker *c, const hd_record *rec);
void structure_finish(hd_checker *c, uint64_t end, bool complete);
/* params, order, types, profiles: hooks */

/* objects, goroutines, roots, memstats/profile: hooks */


#endif
