/* context.h — hdvalidate --context: a file's diagnostics are held back until the dump has been read, the
 * records that explain them are collected (libhdtext's hd_text_ctx: the record of each diagnostic with N
 * records on either side, and the record a cross-reference rule refers to), and only then are they passed
 * on to the reporter, whose context hook prints each one's records under it.
 *
 * Memory is bounded: at most HD_TEXT_CTX_MAX diagnostics are held. When that many have come, they are
 * released with their context at once and the rest pass straight on, without context, in order. */
#ifndef HDV_CONTEXT_H
#define HDV_CONTEXT_H

#include <stdint.h>
#include <stdio.h>

#include "hd/diag.h"
#include "hd/report.h"

typedef struct hdv_context hdv_context;

/* `p`/`len`: the whole dump as mapped (NULL if it could not be: then no context, the diagnostics only).
 * The reporter's context hook is set for as long as the collector lives. NULL when out of memory. */
hdv_context *hdv_context_new(unsigned around, const uint8_t *p, size_t len, hd_reporter *rp);
/* What the validator writes to. */
hd_diag_sink hdv_context_sink(hdv_context *x);
/* The dump has been read: collect the context and pass every held diagnostic on. */
void hdv_context_flush(hdv_context *x);
/* Flushes, then frees; the reporter's hook is cleared. */
void hdv_context_free(hdv_context *x);

#endif
