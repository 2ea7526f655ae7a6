/* addrmap.c — see addrmap.h. */
#include "addrmap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define EMPTY 0u
#define MIN_CAP 16u

/* Keys come from the file: with a fixed hash a hostile dump can pick addresses that all land in one slot
 * and make every insertion walk the whole cluster (measured: 40,000 crafted goroutine addresses took 0.9 s,
 * quadratic from there). So the mix is keyed with a per-process random seed the file cannot know. Nothing
 * the checker reports depends on slot order (addrmap_next users sort what they report). */
static uint64_t process_seed(void)
{
    static uint64_t seed;
    static bool have;

    if (!have) {
        if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed)
            seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&seed;
        have = true;
    }
    return seed;
}

/* splitmix64's finaliser over key ^ seed: every key bit reaches every slot bit. */
static size_t slot_of(const addrmap *m, uint64_t key)
{
    uint64_t z = key ^ m->seed;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    z ^= z >> 31;
    return (size_t)z & (m->cap - 1);
}

void addrmap_init(addrmap *m, unsigned vwidth)
{
    memset(m, 0, sizeof *m);
    m->vwidth = vwidth == 4 ? 4 : 8;
    m->seed = process_seed();
}

void addrmap_free(addrmap *m)
{
    free(m->keys);
    free(m->vals);
    addrmap_init(m, m->vwidth);
}

static uint64_t val_at(const addrmap *m, size_t i)
{
    return m->vwidth == 4 ? ((const uint32_t *)m->vals)[i] : ((const uint64_t *)m->vals)[i];
}

static void set_val(addrmap *m, size_t i, uint64_t v)
{
    if (m->vwidth == 4)
        ((uint32_t *)m->vals)[i] = (uint32_t)v;
    else
        ((uint64_t *)m->vals)[i] = v;
}

/* Slot holding key, or the free slot where it would go. The table is never full. */
static size_t find(const addrmap *m, uint64_t key)
{
    size_t i = slot_of(m, key);
    while (m->keys[i] != EMPTY && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int grow(addrmap *m)
{
    addrmap n = *m;
    size_t ncap = m->cap == 0 ? MIN_CAP : m->cap * 2;

    if (ncap > SIZE_MAX / 8)
        return -1;
    n.keys = calloc(ncap, sizeof *n.keys);
    n.vals = malloc(ncap * m->vwidth);
    if (n.keys == NULL || n.vals == NULL) {
        free(n.keys);
        free(n.vals);
        return -1;
    }
    n.cap = ncap;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] != EMPTY) {
            size_t j = find(&n, m->keys[i]);
            n.keys[j] = m->keys[i];
            set_val(&n, j, val_at(m, i));
        }
    }
    free(m->keys);
    free(m->vals);
    *m = n;
    return 0;
}

/* replace: what to do with an existing key. */
static int insert(addrmap *m, uint64_t key, uint64_t val, bool replace, uint64_t *old)
{
    size_t i;

    if (key == EMPTY) {
        if (m->has_zero) {
            if (old != NULL)
                *old = m->zero_val;
            if (replace)
                m->zero_val = m->vwidth == 4 ? (uint32_t)val : val;
            return 0;
        }
        m->has_zero = true;
        m->zero_val = m->vwidth == 4 ? (uint32_t)val : val;
        m->count++;
        return 1;
    }
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return -1;
    i = find(m, key);
    if (m->keys[i] == key) {
        if (old != NULL)
            *old = val_at(m, i);
        if (replace)
            set_val(m, i, val);
        return 0;
    }
    m->keys[i] = key;
    set_val(m, i, val);
    m->count++;
    return 1;
}

int addrmap_put(addrmap *m, uint64_t key, uint64_t val)
{
    return insert(m, key, val, true, NULL);
}

int addrmap_add(addrmap *m, uint64_t key, uint64_t val, uint64_t *old)
{
    return insert(m, key, val, false, old);
}

bool addrmap_get(const addrmap *m, uint64_t key, uint64_t *val)
{
    size_t i;

    if (key == EMPTY) {
        if (m->has_zero && val != NULL)
            *val = m->zero_val;
        return m->has_zero;
    }
    if (m->cap == 0)
        return false;
    i = find(m, key);
    if (m->keys[i] != key)
        return false;
    if (val != NULL)
        *val = val_at(m, i);
    return true;
}

size_t addrmap_count(const addrmap *m)
{
    return m->count;
}

size_t addrmap_bytes(const addrmap *m)
{
    return m->cap * (sizeof(uint64_t) + m->vwidth);
}

size_t addrmap_longest_run(const addrmap *m)
{
    size_t best = 0, run = 0;

    /* twice round the table, so that a run wrapping from the end to the start is counted whole */
    for (size_t i = 0; i < 2 * m->cap; i++) {
        run = m->keys[i & (m->cap - 1)] != EMPTY ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best < m->cap ? best : m->cap;
}

/* Iterator: 0 is key 0 (if present), then slot it-1. */
bool addrmap_next(const addrmap *m, size_t *it, uint64_t *key, uint64_t *val)
{
    if (*it == 0) {
        *it = 1;
        if (m->has_zero) {
            *key = 0;
            *val = m->zero_val;
            return true;
        }
    }
    while (*it - 1 < m->cap) {
        size_t i = (*it)++ - 1;
        if (m->keys[i] != EMPTY) {
            *key = m->keys[i];
            *val = val_at(m, i);
            return true;
        }
    }
    return false;
}
