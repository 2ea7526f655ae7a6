/* reader.h — the strict streaming decoder.
 *
 * bytes ──► hd_reader ──► hd_record (+ structural diagnostics)
 *
 * The reader knows each version's record layouts and the encoding primitives, and nothing about record
 * order or cross-references (that is the checker). It reads through a fixed-size window, from a memory
 * buffer or a file descriptor (file, pipe, stdin); both paths produce identical records and diagnostics.
 * Its memory is allocated once in hd_reader_open_* and never grows with the input. */
#ifndef HD_READER_H
#define HD_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hd/diag.h"
#include "hd/format.h"
#include "hd/record.h"

typedef struct hd_reader hd_reader;

/* Decode `len` bytes at `p` (not copied; must outlive the reader). NULL on allocation failure. */
hd_reader *hd_reader_open_mem(const uint8_t *p, size_t len, const hd_diag_sink *sink);
/* Decode what `fd` yields from its current position. If fd is a regular file its size is used to
 * reject impossible lengths at once; on a pipe the same diagnostics come when the data runs out. */
hd_reader *hd_reader_open_fd(int fd, const hd_diag_sink *sink);
void hd_reader_free(hd_reader *r);

/* Read the 16-byte header. 0 ok, -1 diagnosed (S101) or I/O error. */
int hd_reader_header(hd_reader *r, hd_header_id *out);

/* Decode the next record into *rec.
 *   1   a record (possibly with diagnostics that kept the record boundary)
 *   0   no more input: the byte after the last record is the end of input (S112 is the caller's to judge)
 *  -1   stop: the record boundary is lost (diagnosed), or an I/O error (see hd_reader_io_error)
 * After an EOF record the caller should call hd_reader_expect_end. */
int hd_reader_next(hd_reader *r, hd_record *rec);

/* After the EOF record: diagnose trailing bytes (S113) at the first of them, and stop there (the offset stays
 * just past the EOF record). 0 clean, -1 bytes follow. */
int hd_reader_expect_end(hd_reader *r);

/* Pointer size used to check pointer fields: adopted from the first params record that gives 4 or 8;
 * 0 until then (no width checks). */
unsigned    hd_reader_ptrsize(const hd_reader *r);

uint64_t    hd_reader_offset(const hd_reader *r);   /* bytes consumed so far */
uint64_t    hd_reader_size(const hd_reader *r);     /* the input's size when known (a file), else 0 */
hd_layout   hd_reader_layout(const hd_reader *r);
const char *hd_reader_io_error(const hd_reader *r); /* NULL, or why reading failed */
/* "gzip", "zstd" or "xz" when the input is compressed (it is decompressed as it is read), else NULL; and the
 * compressed bytes read so far. Offsets are always offsets in the decompressed dump. */
const char *hd_reader_compression(const hd_reader *r);
uint64_t    hd_reader_compressed_bytes(const hd_reader *r);

#endif
