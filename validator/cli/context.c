/* context.c — see context.h. The collector sits between the validator and the reporter:
 *
 *   validator --diag--> held[] --(dump read: hd_text_ctx_run)--> reporter --hook--> hd_text_ctx_print
 *
 * The reporter's hook gets the diagnostic it has just printed; a held diagnostic is recognised by its
 * address inside held[], whose index is its id in the hd_text_ctx. */
#include "context.h"

#include <stdlib.h>

#include "hd/textform.h"

struct hdv_context {
    hd_text_ctx   *ctx;       /* NULL: no context can be had (no mapping, out of memory) */
    hd_text_opts   opts;      /* opts.input: the dump's bytes */
    hd_reporter   *rp;
    hd_diag_sink   out;       /* the reporter's sink */
    hd_diag       *held;
    unsigned       nheld, cap;
    bool           passing;   /* HD_TEXT_CTX_MAX reached: no more holding back */
};

static void print_context(void *ctx, FILE *out, const hd_diag *d)
{
    hdv_context *x = ctx;
    if (x->ctx != NULL && x->held != NULL && d >= x->held && d < x->held + x->nheld)
        hd_text_ctx_print(x->ctx, (unsigned)(d - x->held), out, "    ");
}

hdv_context *hdv_context_new(unsigned around, const uint8_t *p, size_t len, hd_reporter *rp)
{
    hdv_context *x = calloc(1, sizeof *x);
    if (x == NULL)
        return NULL;
    hd_text_opts_init(&x->opts);
    x->opts.input = p;
    x->opts.input_len = len;
    x->rp = rp;
    x->out = hd_report_sink(rp);
    if (p != NULL)
        x->ctx = hd_text_ctx_new(around, &x->opts);
    rp->context = print_context;
    rp->context_ctx = x;
    return x;
}

/* Room for one more held diagnostic: the array doubles up to HD_TEXT_CTX_MAX. */
static bool make_room(hdv_context *x)
{
    unsigned cap;
    hd_diag *grown;
    if (x->nheld < x->cap)
        return true;
    if (x->cap >= HD_TEXT_CTX_MAX)
        return false;
    cap = x->cap == 0 ? 64 : x->cap * 2 > HD_TEXT_CTX_MAX ? HD_TEXT_CTX_MAX : x->cap * 2;
    grown = realloc(x->held, (size_t)cap * sizeof *grown);
    if (grown == NULL)
        return false;
    x->held = grown;
    x->cap = cap;
    return true;
}

static void hold(void *ctx, const hd_diag *d)
{
    hdv_context *x = ctx;
    if (!x->passing && !make_room(x))
        hdv_context_flush(x);       /* full (or out of memory): release what is held, then pass on */
    if (x->passing) {
        x->out.emit(x->out.ctx, d);
        return;
    }
    x->held[x->nheld] = *d;
    if (x->ctx != NULL && hd_text_ctx_add(x->ctx, x->nheld, d) < 0) {
        hd_text_ctx_free(x->ctx);
        x->ctx = NULL;
    }
    x->nheld++;
}

hd_diag_sink hdv_context_sink(hdv_context *x)
{
    hd_diag_sink s = {hold, x};
    return s;
}

void hdv_context_flush(hdv_context *x)
{
    if (x->passing)
        return;
    x->passing = true;
    if (x->ctx != NULL && x->nheld > 0 && hd_text_ctx_run(x->ctx, x->opts.input, (size_t)x->opts.input_len) < 0) {
        hd_text_ctx_free(x->ctx);
        x->ctx = NULL;                /* not a dump it can read (e.g. compressed): the diagnostics only */
    }
    for (unsigned i = 0; i < x->nheld; i++)
        x->out.emit(x->out.ctx, &x->held[i]);
}

void hdv_context_free(hdv_context *x)
{
    if (x == NULL)
        return;
    hdv_context_flush(x);
    x->rp->context = NULL;
    x->rp->context_ctx = NULL;
    if (x->ctx != NULL)
        hd_text_ctx_free(x->ctx);
    free(x->held);
    free(x);
}
