/* parse.h — one line of the text form into what hdasm writes: a record (its values, and the overrides that
 * write what a correct writer never would), or a directive (header, layout, raw, set).
 *
 * A record line is  [offset] [#index] [label:] tag {name=value} [cut].  Fields may come in any order; a field
 * not given is 0, false, empty or an empty list. The value syntax follows the field's layout step: numbers
 * and labels with + and - for integers and addresses; true/false (or any number) for bools; "text", x"hex",
 * zero(N), w(expr) and [part …] for byte ranges, with an optional (N) length prefix that may lie; [kind@offset
 * …] for field lists; ["function" "file":line …] for memprof stacks; raw(bytes) for any field's exact bytes.
 * docs/textform.md is the grammar. */
#ifndef TF_PARSE_H
#define TF_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hd/format.h"
#include "hd/layouts.h"
#include "hd/record.h"
#include "labels.h"
#include "lex.h"
#include "print.h"

typedef struct { size_t off, len; } tf_span;   /* bytes in the builder's pool */

typedef enum {
    AO_NONE = 0,
    AO_RAW,       /* write pool bytes `bytes` instead of the field */
    AO_VALUE,     /* write the uvarint `value` (a bool of 2) */
    AO_LEN        /* a range or a frame list with the length/count `value` written before it (it may lie) */
} tf_ao;

typedef struct {
    tf_ao    kind;
    uint64_t value;
    tf_span  bytes;
} tf_asm_ov;

typedef struct { tf_span name, file; uint64_t line; } tf_asm_frame;

/* The record being built. Byte ranges live in `pool` while the line is parsed (it may move as it grows);
 * tf_asm_fix points the record at them before it is encoded. */
typedef struct {
    hd_layout          layout;
    unsigned           tag;
    const layout_step *steps;
    unsigned           nsteps;
    hd_record          rec;
    bool               given[TF_MAX_STEPS];
    tf_asm_ov          ov[TF_MAX_STEPS];
    tf_span            range[TF_MAX_STEPS];
    bool               cut;          /* stop after the last field given (layout order) */
    bool               fields_cut;   /* the field list has no Eol; the record stops there */
    uint8_t           *pool;
    size_t             pool_len, pool_cap;
    hd_field          *fields;
    size_t             nfields, fields_cap;
    tf_asm_frame      *frames;
    size_t             nframes, frames_cap;
    hd_mpframe        *mpf;
    size_t             mpf_cap;
    uint64_t           max_bytes;    /* the most a record (or raw directive) may make the pool hold */
} tf_asm_rec;

typedef enum { LINE_EMPTY, LINE_HEADER, LINE_LAYOUT, LINE_RAW, LINE_SET, LINE_RECORD } tf_line_kind;

typedef struct {
    tf_line_kind kind;
    int          header;      /* LINE_HEADER: hd_header_id */
    hd_layout    layout;      /* LINE_HEADER, LINE_LAYOUT */
    tf_span      raw;         /* LINE_RAW */
} tf_line;

typedef struct {
    lexer       lx;
    tf_labels  *labels;
    const char *err, *at;      /* the first error and where in the line */
    bool        have_layout;
    hd_layout   layout;
    unsigned    ptrsize;       /* for w(): from the last params record written, 0 before */
    bool        big_endian;
    tf_asm_rec *r;
} tf_parser;

/* Parse one line (no newline in it). 0, or -1 with p->err / p->at. */
int  tf_parse_line(tf_parser *p, const char *line, size_t n, tf_line *out);
/* Pass 1: if the line defines a label (NAME: record, or set NAME = expr), its name and the text of its
 * defining expression (the record's key address). 1 found, 0 none, -1 malformed (p->err). Tracks header and
 * layout lines like tf_parse_line. */
int  tf_scan_label(tf_parser *p, const char *line, size_t n, const char **name, size_t *nn, const char **def,
                   size_t *dn);

/* Point the record's byte ranges, field list and frames at the builder's arrays. -1 out of memory. */
int  tf_asm_fix(tf_asm_rec *r);
void tf_asm_rec_free(tf_asm_rec *r);

#endif
