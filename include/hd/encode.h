/* encode.h — the writer: records to bytes exactly as the Go runtime writes them.
 *
 * model ──► (emitter) ──► hd_record ──► hd_enc_record ──► hd_out ──► bytes
 *
 * The encoder walks the same layout tables as the reader (hd/layouts.h), so the two cannot disagree
 * on a layout. Output goes through hd_out, a small buffered sink over a memory buffer, a FILE, or a
 * callback; the first write error sticks and is returned by hd_out_flush. */
#ifndef HD_ENCODE_H
#define HD_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "hd/format.h"
#include "hd/layouts.h"
#include "hd/record.h"

#define HD_OUT_BUF 65536

typedef struct hd_out {
    /* write n bytes; return 0 or -1 */
    int  (*write)(void *ctx, const uint8_t *p, size_t n);
    void *ctx;
    uint8_t  buf[HD_OUT_BUF];
    size_t   n;
    uint64_t total;        /* bytes accepted so far */
    int      err;          /* -1 after a failed write */
} hd_out;

/* A growable memory buffer (malloc'd; the caller frees p). */
typedef struct { uint8_t *p; size_t len, cap; } hd_membuf;

void hd_out_init(hd_out *o, int (*write)(void *, const uint8_t *, size_t), void *ctx);
void hd_out_init_mem(hd_out *o, hd_membuf *m);
void hd_out_init_file(hd_out *o, FILE *f);
int  hd_out_flush(hd_out *o);                 /* 0 or -1 */

void hd_out_raw(hd_out *o, const void *p, size_t n);
void hd_enc_uvarint(hd_out *o, uint64_t v);   /* minimal form, as the runtime's dumpint */
void hd_enc_bool(hd_out *o, bool b);
void hd_enc_bytes(hd_out *o, const void *p, uint64_t len);  /* length, then bytes */
void hd_enc_header(hd_out *o, hd_header_id h);

/* Encode one record in `layout`. Byte ranges must be whole (kept == len) and field lists / memprof
 * frames complete (nkept == count); otherwise -1 and nothing is written. */
int  hd_enc_record(hd_out *o, hd_layout layout, const hd_record *rec);

/* Encode one record with a hook that may replace any part of it (defect injection: a bool written as 2, a
 * non-minimal uvarint, a field list without its Eol, a record cut short). The hook is called before each
 * part: step 0 is the tag (st == NULL), step i >= 1 is layout step st = steps[i-1]. It returns: */
enum {
    HD_ENC_STEP,   /* encode this part as usual */
    HD_ENC_DONE,   /* the hook wrote this part's bytes itself */
    HD_ENC_CUT     /* stop: nothing more of the record is written (hd_enc_record_hook returns 1) */
};
typedef int (*hd_enc_hook)(void *ctx, hd_out *o, unsigned step, const layout_step *st, const hd_record *rec);
/* 0 written, 1 cut by the hook, -1 not encodable (as hd_enc_record). */
int  hd_enc_record_hook(hd_out *o, hd_layout layout, const hd_record *rec, hd_enc_hook hook, void *ctx);
/* Steps of the record (as hd_enc_record chooses them: the layout's, or go1.3's for a tag the layout never
 * writes); NULL for an invalid tag. */
const layout_step *hd_enc_steps(hd_layout layout, unsigned tag);

#endif
