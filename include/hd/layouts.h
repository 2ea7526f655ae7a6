/* layouts.h — the record layouts of each format version, as data (FORMAT.md §3).
 *
 * A layout is a list of steps; each step decodes one field into the hd_record at a given offset.
 * The reader walks the list; the encoder (generator/) walks the same list to write. */
#ifndef HD_LAYOUTS_H
#define HD_LAYOUTS_H

#include <stddef.h>
#include "hd/format.h"
#include "hd/record.h"

typedef enum {
    ST_END = 0,
    ST_UINT,      /* uvarint -> uint64_t */
    ST_PTR,       /* uvarint that holds a target address -> uint64_t, checked against ptrsize */
    ST_BOOL,      /* uvarint 0/1 -> bool */
    ST_STRING,    /* length + bytes -> hd_bytes, keeps HD_KEEP_STRING */
    ST_CONTENTS,  /* length + bytes -> hd_bytes, keeps HD_KEEP_CONTENTS; the extent of a later ST_FIELDS */
    ST_EXTENT,    /* uvarint -> uint64_t that is also the extent of a later ST_FIELDS (V13 type size) */
    ST_FIELDS,    /* (kind, offset)* 0 -> hd_fields */
    ST_PTRSIZE,   /* params pointer size -> uint64_t; the reader adopts 4 or 8 */
    ST_MEMSTATS,  /* HD_MEMSTATS_NVALUES uvarints -> uint64_t[] */
    ST_MPFRAMES,  /* count, then count x (string, string, uvarint) -> memprof frames */
    ST_ARCH_STRING /* marks params.arch_is_string; decodes a string into params.arch */
} step_op;

typedef struct {
    step_op     op;
    size_t      at;     /* offsetof(hd_record, …) */
    const char *what;   /* field name for messages: "object address" */
} layout_step;

/* Steps for `tag` in `layout`, terminated by ST_END; NULL if the layout never writes the tag. */
const layout_step *hd_layout_steps(hd_layout layout, unsigned tag);

#endif
