/* entropy.h — the generator's only source of randomness.
 *
 * Every decision the generator makes (which features a dump has, how many goroutines, which object a
 * finalizer sits on, …) is a draw from an hd_entropy. Two sources feed it:
 *
 *   hd_entropy_seed(&e, 7)            a seeded PRNG (splitmix64 → xoshiro256**): `hdgen --seed 7`
 *   hd_entropy_bytes(&e, data, size)  a fuzzer's input bytes, consumed front to back; once they run out
 *                                     every draw is 0, so ANY byte string (empty included) is a complete,
 *                                     valid set of decisions
 *
 * Draws use integer arithmetic only and no platform facts, so the same seed or the same bytes give the same
 * decisions — and the same dump — on every machine. A draw over a small range consumes few input bytes
 * (1 byte for n <= 256), so a fuzzer's byte mutation changes one decision, not the whole dump.
 *
 * Bulk data (object contents) is not drawn byte by byte: the generator draws one 64-bit seed and expands it
 * with hd_rng, so a 1 GB dump needs only a few thousand draws. */
#ifndef HD_ENTROPY_H
#define HD_ENTROPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct { uint64_t s[4]; } hd_rng;     /* xoshiro256** state */

typedef struct hd_entropy {
    bool           from_bytes;
    hd_rng         rng;        /* from_bytes == false */
    const uint8_t *p;          /* from_bytes == true: not copied, must outlive the draws */
    size_t         len, pos;
    uint64_t       draws;      /* number of draws so far (diagnostics) */
} hd_entropy;

void hd_entropy_seed(hd_entropy *e, uint64_t seed);
void hd_entropy_bytes(hd_entropy *e, const uint8_t *p, size_t len);
/* Input bytes not consumed yet (0 for the PRNG source). */
size_t hd_entropy_left(const hd_entropy *e);

uint64_t hd_ent_u64(hd_entropy *e);                              /* 8 bytes of input */
uint64_t hd_ent_below(hd_entropy *e, uint64_t n);                /* [0, n), 0 when n <= 1 */
uint64_t hd_ent_range(hd_entropy *e, uint64_t lo, uint64_t hi);  /* [lo, hi], lo when hi <= lo */
bool     hd_ent_chance(hd_entropy *e, unsigned num, unsigned den);/* true with probability num/den */
/* A size in [lo, hi] biased towards lo: log-uniform, so both tiny and big values come up. */
uint64_t hd_ent_logrange(hd_entropy *e, uint64_t lo, uint64_t hi);

/* The bulk PRNG (also used inside the PRNG entropy source). */
void     hd_rng_seed(hd_rng *r, uint64_t seed);
uint64_t hd_rng_next(hd_rng *r);
/* splitmix64 finaliser: a cheap, well-mixed hash of one word (deterministic per-slot decisions). */
static inline uint64_t hd_mix64(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

#endif
