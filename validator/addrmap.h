/* addrmap.h — an open-addressing hash map from a 64-bit address to a 32- or 64-bit value.
 *
 * For the checker's cross-reference indexes (goroutine, type, itab, thread addresses, …). Linear
 * probing over a power-of-two table kept at most 3/4 full; every key, 0 included, may be stored.
 * Memory: (8 + value width) bytes per slot, at most ~2.7 slots per entry right after a growth.
 * The map is a plain struct, so it can live inside other state; zero-initialised it is not valid:
 * call addrmap_init first. */
#ifndef HD_ADDRMAP_H
#define HD_ADDRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t *keys;       /* cap slots; EMPTY (0) marks a free slot, key 0 lives in zero_val */
    void     *vals;       /* cap values of vwidth bytes */
    size_t    cap;        /* 0 until the first insertion, then a power of two */
    size_t    count;      /* entries, key 0 included */
    unsigned  vwidth;     /* 4 or 8 */
    bool      has_zero;
    uint64_t  zero_val;
    uint64_t  seed;       /* keys the hash (random per process): a file cannot force collisions */
} addrmap;

/* vwidth: 4 (values are truncated to uint32_t) or 8. */
void   addrmap_init(addrmap *m, unsigned vwidth);
void   addrmap_free(addrmap *m);                   /* back to the empty state; init not needed again */

/* Insert or replace. 1 inserted, 0 replaced an existing value, -1 out of memory (map unchanged). */
int    addrmap_put(addrmap *m, uint64_t key, uint64_t val);
/* Insert only if absent. 1 inserted, 0 already present (*old, if non-NULL, gets the stored value and
 * the map is unchanged), -1 out of memory. */
int    addrmap_add(addrmap *m, uint64_t key, uint64_t val, uint64_t *old);
/* Look up: true and *val (if non-NULL) set when present. */
bool   addrmap_get(const addrmap *m, uint64_t key, uint64_t *val);

size_t addrmap_count(const addrmap *m);
size_t addrmap_bytes(const addrmap *m);            /* heap bytes held */
/* Longest run of occupied slots: what one lookup may have to walk (tests assert it stays short). */
size_t addrmap_longest_run(const addrmap *m);

/* Iteration in unspecified order, which changes from run to run (the hash is seeded): sort before
 * reporting anything found this way. size_t it = 0; while (addrmap_next(m, &it, &k, &v)) … .
 * The map must not be modified during an iteration. */
bool   addrmap_next(const addrmap *m, size_t *it, uint64_t *key, uint64_t *val);

#endif
