/* canon.h — records whose bytes are not the canonical encoding of their values.
 *
 * The reader decodes a non-minimal uvarint (S104) to its value and a bool written as 2 (S105) to true and
 * reads on; encoding the record again would write different bytes. hddump prints such a record so that hdasm
 * writes exactly its bytes: a scalar field as raw(x"…") or, for a bool, its number; a record whose odd
 * uvarint sits anywhere else (the tag, a length prefix, a field list, memstats, memprof frames) as the raw
 * bytes of the whole record. The odd places are known from the diagnostics' offsets; only the scalars' own
 * bytes are read from the input (with the shared uvarint primitive), and each is checked against the value
 * the reader decoded, so any doubt falls back to raw bytes. */
#ifndef TF_CANON_H
#define TF_CANON_H

#include <stdbool.h>
#include <stdint.h>
#include "print.h"
#include "whole.h"

#define TF_SPOTS_MAX 64

/* File offsets of the S104/S105 diagnostics of one record. */
typedef struct {
    uint64_t off[TF_SPOTS_MAX];
    unsigned n;
    bool     overflow;    /* more than TF_SPOTS_MAX: the record prints raw */
} tf_spots;

void tf_spots_add(tf_spots *s, uint64_t off);

typedef enum {
    TF_CANON_OVERRIDES,  /* ov[] says how to print the odd scalars */
    TF_CANON_RAW,        /* print the record's bytes [rec->pos, rec->end) raw */
    TF_CANON_UNKNOWN     /* the input is not at hand: print the decoded values (the text does not assemble) */
} tf_canon;

tf_canon tf_canon_overrides(hd_layout layout, const hd_record *rec, tf_input in, const tf_spots *spots,
                            tf_override ov[TF_MAX_STEPS]);

#endif
