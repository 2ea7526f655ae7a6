/* whole.h — the parts of a record the reader did not keep, taken from the input when the caller has it.
 *
 * The reader keeps bounded prefixes (HD_KEEP_*). To print a record whole, byte ranges past `kept` are read at
 * hd_bytes.pos, and field-list entries past HD_KEEP_FIELDS and memprof frames past HD_KEEP_MPFRAMES are
 * re-read from the input one at a time (they follow the kept ones), so nothing grows with the record. The
 * bytes were already accepted by the reader; every read is still bounds-checked. */
#ifndef TF_WHOLE_H
#define TF_WHOLE_H

#include <stdbool.h>
#include <stdint.h>
#include "hd/record.h"

typedef struct {
    const uint8_t *p;     /* the whole input, or NULL */
    uint64_t       len;
} tf_input;

/* The bytes of b that can be shown: all of them from the input when it is at hand, else the kept prefix.
 * Returns how many are at *out (0 <= n <= b->len). */
uint64_t tf_bytes_avail(const hd_bytes *b, tf_input in, const uint8_t **out);

/* Field-list entries, in order. */
typedef struct {
    const hd_fields *f;
    tf_input         in;
    uint64_t         i;      /* next entry */
    uint64_t         pos;    /* input offset of entry i once past the kept ones (0: not located yet) */
} tf_field_iter;

void tf_field_iter_init(tf_field_iter *it, const hd_fields *f, tf_input in);
/* 1: next entry in *kind, *off; 0: the list is done; -1: the rest is not at hand. */
int  tf_field_next(tf_field_iter *it, uint64_t *kind, uint64_t *off);

/* Memprof frames, in order. */
typedef struct {
    const hd_record *rec;
    tf_input         in;
    uint64_t         i;
    uint64_t         pos;    /* input offset of frame i once past the kept ones */
    hd_mpframe       cur;
} tf_frame_iter;

void tf_frame_iter_init(tf_frame_iter *it, const hd_record *rec, tf_input in);
/* 1: next frame at *f (valid until the next call); 0: done; -1: the rest is not at hand. */
int  tf_frame_next(tf_frame_iter *it, const hd_mpframe **f);

/* A uvarint of the input at *pos (advanced past it). 0, or -1 if not well formed or not inside the input. */
int  tf_input_uvarint(tf_input in, uint64_t *pos, uint64_t *v);

#endif
