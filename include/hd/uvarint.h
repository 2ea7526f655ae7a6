/* uvarint.h — the format's integer encoding (FORMAT.md §1): 7-bit groups, least significant first, the high
 * bit set on every byte but the last; at most 10 bytes for 64 bits. One implementation for the reader, the
 * encoder, the generator's deliberate defects and the tests. */
#ifndef HD_UVARINT_H
#define HD_UVARINT_H

#include <stddef.h>
#include <stdint.h>

#define HD_UVARINT_MAX 10

/* Write v in its minimal form at p (room for HD_UVARINT_MAX bytes); returns the length. */
static inline size_t hd_uvarint_put(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* Bytes hd_uvarint_put writes for v. */
static inline size_t hd_uvarint_len(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

typedef enum {
    HD_UV_OK,        /* *v and *used set */
    HD_UV_SHORT,     /* the n bytes end inside the uvarint */
    HD_UV_TOO_LONG,  /* the 10th byte has the continuation bit */
    HD_UV_OVERFLOW   /* the 10th byte is 2..127: more than 64 bits */
} hd_uv_status;

/* Decode the uvarint at p (n bytes available). On HD_UV_OK, *used is its length; a minimal uvarint of more
 * than one byte never ends in a zero byte (p[*used - 1] == 0 marks a non-minimal form). */
static inline hd_uv_status hd_uvarint_get(const uint8_t *p, size_t n, uint64_t *v, size_t *used)
{
    uint64_t x = 0;
    for (size_t i = 0; i < HD_UVARINT_MAX; i++) {
        uint8_t b;
        if (i == n)
            return HD_UV_SHORT;
        b = p[i];
        if (i == 9 && b >= 0x80)
            return HD_UV_TOO_LONG;
        if (i == 9 && b > 1)
            return HD_UV_OVERFLOW;
        x |= (uint64_t)(b & 0x7f) << (7 * i);
        if (b < 0x80) {
            *v = x;
            *used = i + 1;
            return HD_UV_OK;
        }
    }
    return HD_UV_TOO_LONG;   /* not reached */
}

#endif
