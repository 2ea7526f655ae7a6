/* entropy.c — PRNG and fuzz-byte entropy sources (see hd/entropy.h). */
#include "hd/entropy.h"

#include <string.h>

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void hd_rng_seed(hd_rng *r, uint64_t seed)
{
    /* splitmix64 expansion: never yields the all-zero state xoshiro must avoid */
    for (int i = 0; i < 4; i++) {
        seed += UINT64_C(0x9e3779b97f4a7c15);
        uint64_t z = seed;
        z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
        r->s[i] = z ^ (z >> 31);
    }
}

uint64_t hd_rng_next(hd_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

void hd_entropy_seed(hd_entropy *e, uint64_t seed)
{
    memset(e, 0, sizeof *e);
    hd_rng_seed(&e->rng, seed);
}

void hd_entropy_bytes(hd_entropy *e, const uint8_t *p, size_t len)
{
    memset(e, 0, sizeof *e);
    e->from_bytes = true;
    e->p = p;
    e->len = p != NULL ? len : 0;
}

size_t hd_entropy_left(const hd_entropy *e) { return e->from_bytes ? e->len - e->pos : 0; }

/* `nbytes` (1..8) bytes of entropy as a little-endian number. */
static uint64_t draw(hd_entropy *e, unsigned nbytes)
{
    uint64_t v = 0;
    e->draws++;
    if (!e->from_bytes) {
        v = hd_rng_next(&e->rng);
        return nbytes >= 8 ? v : v & ((UINT64_C(1) << (8 * nbytes)) - 1);
    }
    for (unsigned i = 0; i < nbytes && e->pos < e->len; i++)
        v |= (uint64_t)e->p[e->pos++] << (8 * i);
    return v;
}

static unsigned bytes_for(uint64_t n)
{
    unsigned k = 1;
    while (k < 8 && (n - 1) >> (8 * k) != 0)
        k++;
    return k;
}

uint64_t hd_ent_u64(hd_entropy *e) { return draw(e, 8); }

uint64_t hd_ent_below(hd_entropy *e, uint64_t n)
{
    if (n <= 1)
        return 0;
    /* modulo bias is irrelevant here; what matters is that the mapping is fixed */
    return draw(e, bytes_for(n)) % n;
}

uint64_t hd_ent_range(hd_entropy *e, uint64_t lo, uint64_t hi)
{
    if (hi <= lo)
        return lo;
    if (hi - lo == UINT64_MAX)
        return draw(e, 8);
    return lo + hd_ent_below(e, hi - lo + 1);
}

bool hd_ent_chance(hd_entropy *e, unsigned num, unsigned den)
{
    return den != 0 && hd_ent_below(e, den) < num;
}

uint64_t hd_ent_logrange(hd_entropy *e, uint64_t lo, uint64_t hi)
{
    unsigned bits = 0, b;
    uint64_t top;
    if (hi <= lo)
        return lo;
    while (bits < 64 && ((hi - lo) >> bits) != 0)
        bits++;
    b = (unsigned)hd_ent_below(e, bits + 1);        /* magnitude first, then a value of that magnitude */
    top = b >= 64 ? UINT64_MAX : (UINT64_C(1) << b) - 1;
    if (top > hi - lo)
        top = hi - lo;
    return lo + hd_ent_range(e, top >> 1, top);
}
