/* table.c — the seeded address table (see table.h). */
#define _DEFAULT_SOURCE   /* getrandom */
#include "table.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static uint64_t process_seed(void)
{
    static uint64_t seed;
    static bool done;
    if (!done) {
        if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed)
            seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&seed;
        done = true;
    }
    return seed;
}

/* splitmix64's finaliser: every key bit reaches every slot bit */
static size_t slot(const tf_table *t, uint64_t key)
{
    uint64_t z = key ^ t->seed;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    z ^= z >> 31;
    return (size_t)z & (t->cap - 1);
}

void tf_table_init(tf_table *t, size_t max_entries)
{
    memset(t, 0, sizeof *t);
    t->max = max_entries;
    t->seed = process_seed();
}

static bool grow(tf_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    tf_entry *old = t->v, *v = calloc(cap, sizeof *v);
    size_t oldcap = t->cap;
    if (v == NULL)
        return false;
    t->v = v;
    t->cap = cap;
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].used) {
            size_t s = slot(t, old[i].key);
            while (t->v[s].used)
                s = (s + 1) & (cap - 1);
            t->v[s] = old[i];
        }
    }
    free(old);
    return true;
}

tf_entry *tf_table_get(tf_table *t, uint64_t key, bool create)
{
    size_t s;
    if (t->cap == 0 && (!create || !grow(t)))
        return NULL;
    for (s = slot(t, key); t->v[s].used; s = (s + 1) & (t->cap - 1))
        if (t->v[s].key == key)
            return &t->v[s];
    if (!create || t->n >= t->max)
        return NULL;
    if ((t->n + 1) * 2 > t->cap) {     /* at most half full: probes stay short */
        if (!grow(t))
            return NULL;
        for (s = slot(t, key); t->v[s].used; s = (s + 1) & (t->cap - 1))
            ;
    }
    t->v[s].used = true;
    t->v[s].key = key;
    t->v[s].name_off = UINT32_MAX;
    t->n++;
    return &t->v[s];
}

void tf_table_free(tf_table *t)
{
    free(t->v);
    memset(t, 0, sizeof *t);
}
