/* objindex.h — the heap-object index: 16 bytes per object, walked in address order at the end.
 *
 * Objects arrive in allspans order: ascending inside a span, spans in no useful order (a real Go 1.19 dump of
 * 283,000 objects has one descent every 32 objects). The index appends (address, size, record offset) as they
 * come; every OI_CHUNK entries the chunk just filled is sorted in place (radix sort, with a scratch buffer the
 * caller lends), and objindex_walk merges the sorted chunks into one address-ordered stream. Nothing is ever
 * sorted twice and no lookup happens before the end, so any arrival order costs the same.
 *
 * An entry is the address and a packed word: a size code (16 bits: 8-byte units below 256 KiB, 8 KiB pages
 * below 256 MiB, which covers every Go size class and large-object span), the record offset (40 bits) and the
 * record's index modulo 256 (8 bits, see ck_record_index). Anything else (an odd size, an offset past 2^40)
 * escapes to a side table of exact values, so the index stays exact for any input. */
#ifndef HD_OBJINDEX_H
#define HD_OBJINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OI_CHUNK (256u * 1024u)    /* entries per sorted chunk; the scratch buffer holds 2 * OI_CHUNK words */

typedef struct { uint64_t size, pos; uint8_t delta; } objindex_odd;

typedef struct {
    uint64_t     *v;       /* 2 words per entry: address, packed */
    size_t        n, cap;  /* entries */
    objindex_odd *odd;
    size_t        nodd, capodd;
} objindex;

/* One object as the index knows it: [addr, addr + size), written by the record at pos whose index is
 * congruent to delta modulo 256. */
typedef struct {
    uint64_t addr, size, pos;
    uint8_t  delta;
} objindex_obj;

void objindex_init(objindex *x);
void objindex_free(objindex *x);

/* Append an object. scratch: 2 * OI_CHUNK words, used when a chunk fills. 0, or -1 out of memory. */
int  objindex_add(objindex *x, const objindex_obj *o, uint64_t *scratch);

/* The address-ordered walk. Objects with one address come out in no particular order (a sorted chunk orders them
 * by their packed word): the sweep compares record offsets itself to tell which was written first.
 * objindex_walk_init sorts the last, partial chunk. */
typedef struct {
    const objindex *x;
    size_t          nchunks;
    size_t         *next;     /* per chunk: its next entry */
    size_t         *heap;     /* chunks by their next entry */
    size_t          nheap;
} objindex_walk;

/* 0, or -1 out of memory (nothing to free then). */
int  objindex_walk_init(objindex_walk *w, objindex *x, uint64_t *scratch);
bool objindex_walk_next(objindex_walk *w, objindex_obj *out);
void objindex_walk_free(objindex_walk *w);

#endif
