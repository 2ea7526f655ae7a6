/* decompress.c — gzip (zlib), zstd (libzstd) and xz (liblzma) behind one streaming interface (decompress.h).
 *
 * Each decoder is three small functions over a shared input buffer that is refilled from the descriptor; a
 * table picks them. Concatenated streams (gzip members, zstd frames, xz streams) are one dump, as gzip -d
 * would give. */
#include "decompress.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HD_HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HD_HAVE_ZSTD
#include <zstd.h>
#endif
#ifdef HD_HAVE_LZMA
#include <lzma.h>
#endif

#define IN_BUF DZ_PRE_MAX

struct dz {
    dz_format fmt;
    int       fd;
    uint8_t   in[IN_BUF];
    size_t    in_pos, in_len;
    bool      in_end;          /* the descriptor has no more bytes */
    bool      done;            /* the compressed stream ended cleanly */
    uint64_t  in_total;
    const char *err;
    union {
#ifdef HD_HAVE_ZLIB
        z_stream z;
#endif
#ifdef HD_HAVE_ZSTD
        ZSTD_DStream *zs;
#endif
#ifdef HD_HAVE_LZMA
        lzma_stream x;
#endif
        int none;
    } u;
    bool in_frame;             /* zstd, gzip: inside a frame/member (the end of input would truncate it) */
};

dz_format dz_detect(const uint8_t *p, size_t n)
{
    static const uint8_t xz[6] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return DZ_GZIP;
    if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
        return DZ_ZSTD;
    if (n >= 6 && memcmp(p, xz, 6) == 0)
        return DZ_XZ;
    return DZ_NONE;
}

const char *dz_name(dz_format f)
{
    static const char *const names[] = {"none", "gzip", "zstd", "xz"};
    return names[f];
}

/* More compressed bytes when the buffer is empty. -1 on a read error (z->err set). */
static int refill(dz *z)
{
    ssize_t k;
    if (z->in_pos < z->in_len || z->in_end)
        return 0;
    do
        k = read(z->fd, z->in, IN_BUF);
    while (k < 0 && errno == EINTR);
    if (k < 0) {
        z->err = "cannot read the compressed input";
        return -1;
    }
    z->in_pos = 0;
    z->in_len = (size_t)k;
    z->in_end = k == 0;
    z->in_total += (uint64_t)k;
    return 0;
}

/* ---- gzip ---- */
#ifdef HD_HAVE_ZLIB
static int gz_init(dz *z)
{
    memset(&z->u.z, 0, sizeof z->u.z);
    return inflateInit2(&z->u.z, 15 + 16) == Z_OK ? 0 : -1;   /* gzip wrapper only */
}

static ssize_t gz_read(dz *z, uint8_t *buf, size_t n)
{
    z_stream *s = &z->u.z;
    s->next_out = buf;
    s->avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
    while (s->avail_out == n) {
        int r;
        if (refill(z) < 0)
            return -1;
        if (z->in_pos == z->in_len)
            return z->in_frame ? (z->err = "gzip: the compressed stream is truncated", -1) : 0;
        s->next_in = z->in + z->in_pos;
        s->avail_in = (uInt)(z->in_len - z->in_pos);
        z->in_frame = true;
        r = inflate(s, Z_NO_FLUSH);
        z->in_pos = z->in_len - s->avail_in;
        if (r == Z_STREAM_END) {        /* a member ended; another may follow */
            z->in_frame = false;
            if (inflateReset(s) != Z_OK)
                return z->err = "gzip: cannot restart", -1;
        } else if (r != Z_OK && r != Z_BUF_ERROR) {
            return z->err = "gzip: the compressed data is corrupt", -1;
        }
    }
    return (ssize_t)(n - s->avail_out);
}

static void gz_free(dz *z) { inflateEnd(&z->u.z); }
#endif

/* ---- zstd ---- */
#ifdef HD_HAVE_ZSTD
static int zs_init(dz *z)
{
    z->u.zs = ZSTD_createDStream();
    return z->u.zs != NULL && !ZSTD_isError(ZSTD_initDStream(z->u.zs)) ? 0 : -1;
}

static ssize_t zs_read(dz *z, uint8_t *buf, size_t n)
{
    ZSTD_outBuffer out = {buf, n, 0};
    while (out.pos == 0) {
        ZSTD_inBuffer in;
        size_t r;
        if (refill(z) < 0)
            return -1;
        if (z->in_pos == z->in_len)
            return z->in_frame ? (z->err = "zstd: the compressed stream is truncated", -1) : 0;
        in.src = z->in;
        in.size = z->in_len;
        in.pos = z->in_pos;
        r = ZSTD_decompressStream(z->u.zs, &out, &in);
        z->in_pos = in.pos;
        if (ZSTD_isError(r))
            return z->err = "zstd: the compressed data is corrupt", -1;
        z->in_frame = r != 0;          /* 0: a frame ended */
    }
    return (ssize_t)out.pos;
}

static void zs_free(dz *z) { ZSTD_freeDStream(z->u.zs); }
#endif

/* ---- xz ---- */
#ifdef HD_HAVE_LZMA
static int xz_init(dz *z)
{
    lzma_stream init = LZMA_STREAM_INIT;
    z->u.x = init;
    return lzma_stream_decoder(&z->u.x, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK ? 0 : -1;
}

static ssize_t xz_read(dz *z, uint8_t *buf, size_t n)
{
    lzma_stream *s = &z->u.x;
    s->next_out = buf;
    s->avail_out = n;
    while (s->avail_out == n && !z->done) {
        lzma_ret r;
        if (refill(z) < 0)
            return -1;
        s->next_in = z->in + z->in_pos;
        s->avail_in = z->in_len - z->in_pos;
        r = lzma_code(s, z->in_pos == z->in_len && z->in_end ? LZMA_FINISH : LZMA_RUN);
        z->in_pos = z->in_len - s->avail_in;
        if (r == LZMA_STREAM_END)
            z->done = true;
        else if (r == LZMA_BUF_ERROR && z->in_end)
            return z->err = "xz: the compressed stream is truncated", -1;
        else if (r != LZMA_OK)
            return z->err = "xz: the compressed data is corrupt", -1;
    }
    return (ssize_t)(n - s->avail_out);
}

static void xz_free(dz *z) { lzma_end(&z->u.x); }
#endif

/* ---- the table ---- */

static const struct {
    int (*init)(dz *);
    ssize_t (*read)(dz *, uint8_t *, size_t);
    void (*free)(dz *);
    const char *missing;
} decoders[] = {
    [DZ_NONE] = {NULL, NULL, NULL, "not compressed"},
#ifdef HD_HAVE_ZLIB
    [DZ_GZIP] = {gz_init, gz_read, gz_free, NULL},
#else
    [DZ_GZIP] = {NULL, NULL, NULL, "gzip-compressed input, but this hdvalidate was built without zlib"},
#endif
#ifdef HD_HAVE_ZSTD
    [DZ_ZSTD] = {zs_init, zs_read, zs_free, NULL},
#else
    [DZ_ZSTD] = {NULL, NULL, NULL, "zstd-compressed input, but this hdvalidate was built without libzstd"},
#endif
#ifdef HD_HAVE_LZMA
    [DZ_XZ] = {xz_init, xz_read, xz_free, NULL},
#else
    [DZ_XZ] = {NULL, NULL, NULL, "xz-compressed input, but this hdvalidate was built without liblzma"},
#endif
};

dz *dz_new(dz_format f, int fd, const uint8_t *pre, size_t npre, const char **err)
{
    dz *z;
    if (decoders[f].init == NULL) {
        *err = decoders[f].missing;
        return NULL;
    }
    if (npre > IN_BUF || (z = calloc(1, sizeof *z)) == NULL) {
        *err = "out of memory for the decompressor";
        return NULL;
    }
    z->fmt = f;
    z->fd = fd;
    memcpy(z->in, pre, npre);
    z->in_len = npre;
    z->in_total = npre;
    if (decoders[f].init(z) < 0) {
        *err = "cannot start the decompressor";
        free(z);
        return NULL;
    }
    return z;
}

ssize_t dz_read(dz *z, uint8_t *buf, size_t n)
{
    if (z->err != NULL)
        return -1;
    return n == 0 ? 0 : decoders[z->fmt].read(z, buf, n);
}

const char *dz_error(const dz *z) { return z->err; }
uint64_t dz_in_bytes(const dz *z) { return z->in_total; }

void dz_free(dz *z)
{
    if (z == NULL)
        return;
    decoders[z->fmt].free(z);
    free(z);
}
