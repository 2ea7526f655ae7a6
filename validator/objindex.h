/* objindex.h — the heap-object interval index: which object record covers an address.
 *
 * Objects arrive in allspans order (ascending only within a span, FORMAT.md O6), so the index appends
 * (address, size, record offset) as they come and sorts once, at the first query after an append.
 * An entry is 16 bytes: the address, and a packed word with the record offset (48 bits) and the size
 * (16 bits: 8-byte units below 256 KiB, 8 KiB pages below 256 MiB, which covers every Go size class and
 * large-object span). Anything else (a huge or odd size, an offset past 2^48) escapes to a side table
 * of exact sizes and offsets, so the index stays exact for any input. */
#ifndef HD_OBJINDEX_H
#define HD_OBJINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Two words sorted by the first, then the second. An index entry is (address, packed size and record
 * offset, or escape and side-table index); the checker also sorts (pointer value, record offset) pairs. */
typedef struct {
    uint64_t key, val;
} objindex_pair;

typedef struct {
    uint64_t size, pos;
} objindex_odd;

typedef struct {
    objindex_pair  *v;
    size_t          n, cap;
    size_t          nsorted;  /* v[0, nsorted) is sorted */
    objindex_odd   *odd;
    size_t          nodd, capodd;
    bool            sorted;   /* nsorted == n */
    bool            frozen;   /* lookups see only v[0, nsorted) and never sort (see objindex_freeze) */
    bool            lossy;    /* an allocation failed: some objects are missing, "not found" means nothing */
} objindex;

/* One object as the index knows it. */
typedef struct {
    uint64_t addr, size, pos;
} objindex_obj;

void objindex_init(objindex *x);
void objindex_free(objindex *x);

/* Append an object record; -1 (and x->lossy) when out of memory. */
int  objindex_add(objindex *x, uint64_t addr, uint64_t size, uint64_t pos);

/* Frozen, lookups do not sort: they see the objects up to the first one added out of order. The checker
 * freezes the index when objects come after the objects section (an order error), so that a dump that
 * alternates objects and lookups cannot make every lookup sort the whole index. */
void objindex_freeze(objindex *x, bool frozen);

/* The object whose [addr, addr+size) holds a (sorts first if needed and not frozen). */
bool objindex_find(objindex *x, uint64_t a, objindex_obj *out);
/* Some object that shares a byte with [lo, hi). */
bool objindex_find_range(objindex *x, uint64_t lo, uint64_t hi, objindex_obj *out);

/* (objindex_keep_uncovered and objindex_clashes sort, frozen or not.) */
/* Address-order walk that finds every object sharing an address or a byte with an object before it in
 * address order: calls fn(ctx, earlier, later) with `later` the one written later in the file. */
typedef void (*objindex_clash_fn)(void *ctx, const objindex_obj *first, const objindex_obj *second, bool same_addr);
void objindex_clashes(objindex *x, objindex_clash_fn fn, void *ctx);

/* p (n pairs whose key is an address) sorted by key: keep, in order and in place, those whose key lies in
 * no object (end_ok: nor just at an object's end); returns how many are kept. */
size_t objindex_keep_uncovered(objindex *x, objindex_pair *p, size_t n, bool end_ok);

/* In-place sort (introsort: no allocation, O(n log n)). */
void objindex_sort_pairs(objindex_pair *p, size_t n);

size_t objindex_count(const objindex *x);
size_t objindex_bytes(const objindex *x);       /* heap bytes held (capacity) */

#endif
