/* print.h — the shared formatter: a record, a raw byte range, a diagnostic as one line of text or JSON.
 * hd_text_record (textform.h) is the public face; hddump's engine also needs the per-step overrides that
 * reproduce non-canonical bytes (see canon.h), the raw directive and the comment lines. */
#ifndef TF_PRINT_H
#define TF_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "hd/diag.h"
#include "hd/textform.h"

/* What a step prints instead of its decoded value: the exact input bytes (a non-minimal uvarint), or a
 * number (a bool written as 2). */
typedef enum { TF_OV_NONE = 0, TF_OV_RAW, TF_OV_VALUE } tf_ov_kind;
typedef struct {
    tf_ov_kind     kind;
    uint64_t       value;
    const uint8_t *raw;
    uint64_t       rawlen;
} tf_override;

#define TF_MAX_STEPS 16   /* the longest layout (goroutine) has 13 steps */

/* hd_text_record with overrides per step (ov[i] for step i, NULL for none) and a mark between the columns
 * and the tag ("> " for the record a diagnostic is in; NULL none). Returns 1 if abbreviated. */
int tf_print_record(FILE *out, hd_layout layout, const hd_record *rec, const hd_text_opts *o,
                    const tf_override *ov, const char *mark);

/* "raw x"…"" for n bytes at p written at file offset pos (len bytes in the file: n < len abbreviates).
 * Returns 1 if abbreviated. */
int tf_print_raw(FILE *out, uint64_t pos, const uint8_t *p, uint64_t n, uint64_t len, const hd_text_opts *o);

/* A diagnostic as a comment line (";; 0x11: error[S105]: message") or a JSON line. `what` names the JSON
 * member: "diagnostic" for one that kept the record boundary, "stop" for the one that ended decoding, "end"
 * for a wrong end of input (S112, S113); in text the latter two prefix the line (";; stop: 0x2a: …"). */
void tf_print_diag(FILE *out, const hd_diag *d, const char *what, const hd_text_opts *o);

/* Escaped string body, without quotes (text: C-like escapes; JSON: \u00XX for every byte outside 0x20..0x7e). */
void tf_put_escaped(FILE *out, const uint8_t *p, uint64_t n, bool json);
void tf_put_hex(FILE *out, const uint8_t *p, uint64_t n);

#endif
