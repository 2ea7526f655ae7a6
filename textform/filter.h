/* filter.h — which records hddump shows: --tag, --record, --at with -C, --goroutine, --object.
 *
 * --record, --at, --goroutine and --object each select records; together they show the union, and --tag
 * keeps only its tags of that (or of everything when it is alone). --at with context and --object look
 * ahead once (a first pass over the whole input: the record index holding the offset; the object holding
 * the address); every other choice is made record by record as the dump streams past. */
#ifndef TF_FILTER_H
#define TF_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include "pass.h"

#define TF_NOTES_MAX 4

/* Why a record was chosen (--object: "fields ptr@0x10 → 0xc000010008 (object+0x8)"), printed above it. */
typedef struct {
    char     text[TF_NOTES_MAX][192];
    unsigned n;
    uint64_t more;
} tf_notes;

typedef struct {
    const hd_dump_opts *o;
    bool     selectors;          /* --record, --at, --goroutine or --object given */
    bool     range;              /* show records [lo, hi] */
    uint64_t lo, hi;
    bool     at_ahead;           /* --at was resolved by a look-ahead (else chosen as the dump passes) */
    bool     in_group;           /* --goroutine: inside the chosen goroutine's records */
    bool     object;             /* --object: look for [obj_lo, obj_hi) */
    bool     obj_found;
    uint64_t obj_lo, obj_hi, obj_index;
} tf_filter;

/* Look ahead as the options need (in->p must be set for --at with context and --object). Comments about
 * what the look-ahead found go to out. -1 if the input cannot be read again. */
int  tf_filter_prepare(tf_filter *f, const hd_dump_opts *o, hd_text_input *in, FILE *out);
/* Is p->rec shown? notes (may be NULL) get the reasons that are worth a comment. */
bool tf_filter_select(tf_filter *f, const tf_pass *p, tf_notes *notes);

#endif
