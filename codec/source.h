/* source.h — the reader's byte window over a memory buffer or a file descriptor.
 *
 * One small API serves both inputs: the decoder pulls bytes, skips ranges and keeps bounded prefixes.
 * A memory source hands out pointers into the caller's buffer; a descriptor source refills a fixed
 * window and copies kept bytes into the caller's arena. No allocation happens after src_init_fd. */
#ifndef HD_SOURCE_H
#define HD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SRC_WINDOW (256u * 1024u)

typedef struct {
    const uint8_t *buf;    /* window: buf[pos..len) not yet consumed */
    size_t pos, len;
    uint64_t base;         /* file offset of buf[0] */
    int fd;                /* -1 for a memory source */
    uint8_t *owned;        /* fd window storage (SRC_WINDOW bytes) */
    bool at_end;           /* no more bytes will come */
    bool size_known;       /* total is the input's size */
    uint64_t total;
    int err;               /* errno of a failed read, 0 if none */
    const char *errmsg;    /* or a message of its own (a corrupt compressed stream) */
    struct dz *dz;         /* the decompressor of a compressed input, else NULL */
    int compression;       /* dz_format of the input */
    /* Called just before the window's bytes are replaced, so that whoever borrowed pointers into it (see
     * src_take) can copy what it still needs. */
    void (*evict)(void *ctx);
    void *evict_ctx;
} src_t;

void src_init_mem(src_t *s, const uint8_t *p, size_t len);
/* -1 on allocation failure. A gzip, zstd or xz input is recognised by its magic bytes and decompressed as it
 * is read; one this build cannot decode reads as empty, with errmsg saying why. */
int  src_init_fd(src_t *s, int fd);
/* Did reading fail (a read error, a corrupt compressed stream, a decoder the build lacks)? */
static inline bool src_failed(const src_t *s) { return s->err != 0 || s->errmsg != NULL; }
/* Compressed bytes consumed so far (0 for an uncompressed input). */
uint64_t src_compressed_bytes(const src_t *s);
void src_free(src_t *s);

static inline uint64_t src_offset(const src_t *s) { return s->base + s->pos; }

/* Make at least one byte available. false at the end of input (or on a read error: see err, errmsg). */
bool src_fill(src_t *s);

/* Next byte, or -1 at the end of input. */
static inline int src_byte(src_t *s)
{
    if (s->pos == s->len && !src_fill(s))
        return -1;
    return s->buf[s->pos++];
}

/* Peek at the next byte without consuming it, or -1. */
static inline int src_peek(src_t *s)
{
    if (s->pos == s->len && !src_fill(s))
        return -1;
    return s->buf[s->pos];
}

/* Bytes known to remain (exact when size_known, else a lower bound: what is in the window). */
static inline uint64_t src_left_known(const src_t *s)
{
    return s->size_known ? s->total - src_offset(s) : (uint64_t)(s->len - s->pos);
}

/* Consume everything that is left (after a diagnostic that ends decoding, so that memory, file and pipe
 * input all end at the same offset: the end of the input). Returns the number of bytes skipped. */
uint64_t src_skip_rest(src_t *s);

/* Consume n bytes. Keep the first `keep` (<= n) of them: *out points to them. For a memory source that is the
 * input buffer. For a descriptor source, when all n bytes are in the window, *out points into the window and
 * *borrowed is set: the pointer stays good until the window is refilled (the evict hook runs first); else they
 * are copied to `arena` (which must have room for `keep` bytes). Returns the number of bytes consumed: n, or
 * less if the input ended first. */
uint64_t src_take(src_t *s, uint64_t n, uint64_t keep, uint8_t *arena, const uint8_t **out, bool *borrowed);

#endif
