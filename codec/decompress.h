/* decompress.h — transparent decompression of gzip, zstd and xz input, beneath the byte window.
 *
 *   fd ──► (gzip | zstd | xz decoder) ──► bytes of the dump ──► source.c's window
 *
 * Users keep dumps compressed (about 10:1). The format is recognised by its magic bytes, so files and pipes
 * need no flag; the decoders stream through fixed buffers (memory does not grow with the input). Offsets in
 * diagnostics are offsets in the decompressed dump. A corrupt or truncated compressed stream is an I/O
 * failure with a message, never a verdict about the dump. A decoder the build lacks (no zlib, libzstd or
 * liblzma found by CMake) makes the input an I/O failure that says so. */
#ifndef HD_DECOMPRESS_H
#define HD_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum { DZ_NONE, DZ_GZIP, DZ_ZSTD, DZ_XZ } dz_format;

/* The format the first n bytes announce (DZ_NONE: not compressed, or too few bytes to tell). */
dz_format   dz_detect(const uint8_t *p, size_t n);
const char *dz_name(dz_format f);          /* "gzip", "zstd", "xz" */

typedef struct dz dz;

/* The most bytes a caller may have read before it knows the format (dz_new's npre). */
#define DZ_PRE_MAX (128u * 1024u)

/* A decoder of format f reading fd; the first npre (<= DZ_PRE_MAX) bytes of the compressed stream were already
 * read into pre (copied). NULL with *err set (static text) when the build lacks the decoder or memory runs
 * out. */
dz *dz_new(dz_format f, int fd, const uint8_t *pre, size_t npre, const char **err);
/* Up to n decompressed bytes: > 0, 0 at the end of the compressed stream, -1 on failure (dz_error). */
ssize_t dz_read(dz *z, uint8_t *buf, size_t n);
const char *dz_error(const dz *z);
uint64_t    dz_in_bytes(const dz *z);      /* compressed bytes consumed so far */
void        dz_free(dz *z);

#endif
