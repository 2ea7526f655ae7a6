/* table.h — a small address-keyed hash table for --stats (types by address) and the context collector.
 *
 * Open addressing over a power-of-two array, grown by doubling up to a fixed cap of entries: what a hostile
 * dump can make it remember is bounded. Keys are mixed with a per-process random seed, so a dump cannot
 * choose addresses that collide and turn the probes quadratic. */
#ifndef TF_TABLE_H
#define TF_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t key;
    uint64_t a, b;       /* caller's values (e.g. count and bytes) */
    uint32_t name_off;   /* caller's: an offset into its own name arena, UINT32_MAX none */
    uint16_t name_len;
    bool     used;
} tf_entry;

typedef struct {
    tf_entry *v;
    size_t    cap;       /* slots, a power of two */
    size_t    n;         /* entries */
    size_t    max;       /* most entries it will hold */
    uint64_t  seed;
} tf_table;

void      tf_table_init(tf_table *t, size_t max_entries);
/* The entry for key, created (zeroed, name_off UINT32_MAX) if new; NULL when full or out of memory. */
tf_entry *tf_table_get(tf_table *t, uint64_t key, bool create);
void      tf_table_free(tf_table *t);

#endif
