/* roundtrip.h — decode a whole dump held in memory and encode every record again.
 *
 *   bytes ──► hd_reader ──► hd_record ──► hd_enc_record ──► bytes'      (bytes' == bytes for a valid dump)
 *
 * The reader keeps bounded prefixes (HD_KEEP_* in record.h); since the whole file is in memory, the
 * re-encoder completes what it did not keep from the buffer itself: byte ranges beyond `kept` are taken at
 * hd_bytes.pos, field lists longer than HD_KEEP_FIELDS and memprof frame lists longer than HD_KEEP_MPFRAMES
 * are re-read from the buffer (their entries follow the kept ones). Nothing else is taken from the input:
 * every other byte of the output comes from decoded values, so equal output means the decoder and the
 * encoder agree on every layout. Trailing bytes after EOF and anything after a diagnostic that stopped the
 * reader are not reproduced. */
#ifndef HD_ROUNDTRIP_H
#define HD_ROUNDTRIP_H

#include <stddef.h>
#include <stdint.h>
#include "hd/encode.h"

typedef struct {
    uint64_t records;
    uint64_t long_ranges;      /* byte ranges completed from the buffer */
    uint64_t long_fields;      /* field lists completed from the buffer */
    uint64_t long_frames;      /* memprof frame lists completed from the buffer */
    uint64_t diagnostics;      /* the reader's diagnostics (a valid dump has none) */
    char     error[160];
} hd_reencode_stats;

/* 0: every record up to EOF was decoded and re-encoded (o is flushed); -1: the header was bad, the reader
 * stopped, or a record could not be re-encoded (st->error). */
int hd_reencode_mem(const uint8_t *p, size_t len, hd_out *o, hd_reencode_stats *st);

#endif
