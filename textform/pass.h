/* pass.h — one pass of the codec's reader over an input, with the diagnostics of each record at hand.
 *
 * hddump's printing, its look-ahead passes (--at, --object), its statistics and hdvalidate's context all
 * walk a dump the same way: header, then records until the reader stops. A pass keeps what the reader said
 * about the current record (its diagnostics, the offsets of non-canonical uvarints) and the params that
 * give pointer size and byte order. */
#ifndef TF_PASS_H
#define TF_PASS_H

#include <stdbool.h>
#include <stdint.h>
#include "hd/reader.h"
#include "hd/textform.h"
#include "canon.h"

#define TF_DIAGS_KEEP 16   /* diagnostics kept per record; the rest are counted */

typedef struct {
    hd_reader   *r;
    hd_text_input *src;       /* its mapped pages are handed back as the pass moves on */
    tf_input     in;          /* the whole input, or {NULL, 0} for a stream */
    hd_header_id header;
    hd_layout    layout;
    bool         header_ok;
    unsigned     ptrsize;     /* from the first params record with 4 or 8; 0 before */
    bool         big_endian;
    hd_record    rec;
    hd_diag      diag[TF_DIAGS_KEEP];
    unsigned     ndiag;       /* kept for the current record */
    uint64_t     ndiag_more;  /* not kept */
    tf_spots     spots;       /* S104/S105 offsets of the current record */
    uint64_t     diagnostics; /* all of the pass */
    uint64_t     records;
} tf_pass;

/* Open a reader over the input and read the header. 0 header read; -1 the header is bad (diag[0] says why)
 * or the reader could not be made (ndiag 0). */
int  tf_pass_open(tf_pass *p, hd_text_input *in);
/* The next record into p->rec, as hd_reader_next (1 record, 0 end of input, -1 stopped). */
int  tf_pass_next(tf_pass *p);
/* After an EOF record: 0 nothing follows, -1 trailing bytes (diag says so). */
int  tf_pass_expect_end(tf_pass *p);
uint64_t tf_pass_offset(const tf_pass *p);
void tf_pass_close(tf_pass *p);

#endif
