/* textform.h — the text form of a Go heap dump: records as lines of text (hddump) and lines of text back to
 * the exact bytes (hdasm). Both directions stand on the codec: the reader decodes, the encoder writes.
 *
 *   bytes ──► hd_reader ──► hd_record ──► hd_text_record ──► "0x0000002f #1 type addr=0x4a0900 size=16 …"
 *   text  ──► lexer ──► parser ──► hd_record + overrides ──► hd_enc_record_hook ──► bytes
 *
 * The grammar is docs/textform.md. One line per record: the offset and index columns (informational: hdasm
 * skips them), the tag name, then every field of the record's layout as name=value. Byte ranges print whole
 * only with `contents` set; otherwise long ranges and lists are abbreviated as `x"…"...(N)`, which hdasm
 * refuses to assemble. What the reader did not keep (HD_KEEP_*) is taken from `input` when the caller has the
 * whole dump at hand. */
#ifndef HD_TEXTFORM_H
#define HD_TEXTFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "hd/diag.h"
#include "hd/encode.h"
#include "hd/format.h"
#include "hd/record.h"

/* ---- one record as text ------------------------------------------------------------------------------- */

typedef struct {
    bool           contents;   /* print ranges, field lists and memprof stacks whole: the text assembles */
    bool           json;       /* a JSON object (one line) with the same field names instead of the text */
    bool           columns;    /* the offset and index columns (default true) */
    unsigned       abbrev;     /* without contents: bytes shown of a range, entries of a list (default 16) */
    const uint8_t *input;      /* the whole dump, or NULL: the source of what the reader did not keep */
    uint64_t       input_len;
} hd_text_opts;

void hd_text_opts_init(hd_text_opts *o);

/* "header go1.7" (JSON: {"offset":0,"header":"go1.7"}). */
void hd_text_header(FILE *out, hd_header_id h, const hd_text_opts *o);

/* The line of one decoded record, newline included. Returns 0 if it was printed whole (it assembles back to the
 * record's bytes when the record drew no S104/S105), 1 if something had to be abbreviated. */
int hd_text_record(FILE *out, hd_layout layout, const hd_record *rec, const hd_text_opts *o);

/* ---- inputs: a whole file in memory where possible, else a stream ------------------------------------ */

typedef struct {
    const uint8_t *p;          /* the whole input (mapped), or NULL when streamed from fd */
    uint64_t       len;
    int            fd;         /* streamed input (p == NULL) */
    void          *map;        /* internal */
    size_t         maplen;
    uint64_t       released;   /* mapped bytes below this offset were handed back (hd_text_input_release) */
    bool           close_fd;
} hd_text_input;

/* Open PATH ("-" = standard input). A regular file is mapped. Anything else is streamed, unless
 * `random_access`: then it is first copied to an unlinked temporary file (disk, not memory) and mapped.
 * 0, or -1 with a message in err. */
int  hd_text_input_open(hd_text_input *in, const char *path, bool random_access, char *err, size_t errlen);
/* Map the regular file open on fd, from its start (fd stays the caller's). 0, or -1 with a message in err. */
int  hd_text_input_map_fd(hd_text_input *in, int fd, char *err, size_t errlen);
/* Copy what is left to read on fd to an unlinked temporary file: its descriptor (offset at the end), or -1. */
int  hd_text_spool(int fd);
/* Hand the mapped pages below `upto` back to the kernel, so that a pass over a large dump keeps a bounded
 * resident set; they are read again if touched. */
void hd_text_input_release(hd_text_input *in, uint64_t upto);
void hd_text_input_close(hd_text_input *in);

/* ---- hddump: a whole dump as text, filtered, or its statistics --------------------------------------- */

typedef struct {
    hd_text_opts text;         /* text.input is set from the input by hd_dump */
    uint32_t     tags;         /* HD_TAGMASK bits to show; 0 = every tag */
    bool         has_record, has_at, has_goroutine, has_object;
    uint64_t     record;       /* --record=N */
    uint64_t     at;           /* --at=OFFSET */
    uint64_t     goroutine;    /* --goroutine=ID */
    uint64_t     object;       /* --object=ADDR */
    uint64_t     context;      /* -C N: records of context around --record / --at */
    bool         stats;        /* --stats instead of records */
    const char  *name;         /* file name for the first comment line */
} hd_dump_opts;

void hd_dump_opts_init(hd_dump_opts *o);

/* Does this selection need the whole input at hand (hd_text_input_open's random_access)? */
bool hd_dump_needs_random_access(const hd_dump_opts *o);

typedef struct {
    uint64_t records;          /* records decoded */
    uint64_t printed;          /* records printed */
    uint64_t diagnostics;      /* the reader's diagnostics (structural rules) */
    bool     complete;         /* decoded up to an EOF record that ends the input */
    bool     abbreviated;      /* something was printed abbreviated (the text does not assemble) */
    const char *io_error;
} hd_dump_result;

/* Print the input as text (or its statistics). Returns 0 when the dump decoded completely without a
 * diagnostic, 1 when it has structural diagnostics (printed as far as it decodes), 2 on an I/O error. */
int hd_dump(FILE *out, hd_text_input *in, const hd_dump_opts *o, hd_dump_result *res);

/* ---- context for diagnostics (hdvalidate --context) -------------------------------------------------- */

/* Collects the records that explain a set of diagnostics — the record each one is in (with `around` records
 * on either side) and, for cross-reference rules, the record it refers to — in at most two extra passes over
 * the dump, then hands back their lines per diagnostic. Memory: the lines of the records asked for. */
typedef struct hd_text_ctx hd_text_ctx;

hd_text_ctx *hd_text_ctx_new(unsigned around, const hd_text_opts *o);
/* Remember diagnostic number `id` (any caller-chosen number, e.g. its position in the output). Diagnostics
 * without a record (HD_NO_RECORD) get no context. Returns -1 when more than HD_TEXT_CTX_MAX were added. */
#define HD_TEXT_CTX_MAX 10000
int  hd_text_ctx_add(hd_text_ctx *c, unsigned id, const hd_diag *d);
/* Read the dump (whole, in memory) and collect the lines. 0, or -1 (no header / out of memory). */
int  hd_text_ctx_run(hd_text_ctx *c, const uint8_t *p, size_t len);
/* Print the context lines of diagnostic `id`, each prefixed by `indent`: the related record first, marked
 * "refers to", then the records around the diagnostic's own record, which is marked with '>'. */
void hd_text_ctx_print(const hd_text_ctx *c, unsigned id, FILE *out, const char *indent);
void hd_text_ctx_free(hd_text_ctx *c);

/* ---- hdasm: text to bytes ---------------------------------------------------------------------------- */

#define HD_ASM_MSG_MAX 256

typedef struct {
    unsigned line, col;        /* where the first error is (1-based); 0 when not tied to a line */
    char     msg[HD_ASM_MSG_MAX];
    uint64_t records;          /* records written */
    uint64_t bytes;            /* bytes written */
} hd_asm_result;

/* Assemble `len` bytes of text. Output goes to o (flushed). `limit` bounds the output (and so what one
 * record may make the assembler hold: zero(N) is N bytes), 0 for none. 0, or -1 with the first error in res
 * (nothing after the error is written; what was written before it stays in o). */
int hd_asm_mem(const char *text, size_t len, hd_out *o, uint64_t limit, hd_asm_result *res);
/* The same from a seekable FILE (read twice: labels first, then the records; memory grows with the longest
 * line, the largest record and the number of labels, never with the file). */
int hd_asm_file(FILE *in, hd_out *o, uint64_t limit, hd_asm_result *res);

#endif
