/* pass.c — a reader pass that keeps each record's diagnostics (see pass.h). */
#include "pass.h"

#include <string.h>

static void capture(void *ctx, const hd_diag *d)
{
    tf_pass *p = ctx;
    p->diagnostics++;
    if (p->ndiag < TF_DIAGS_KEEP)
        p->diag[p->ndiag++] = *d;
    else
        p->ndiag_more++;
    if (d->rule == HD_R_UVARINT_NONMIN || d->rule == HD_R_BOOL_INVALID)
        tf_spots_add(&p->spots, d->offset);
}

static void reset(tf_pass *p)
{
    p->ndiag = 0;
    p->ndiag_more = 0;
    p->spots.n = 0;
    p->spots.overflow = false;
}

int tf_pass_open(tf_pass *p, hd_text_input *in)
{
    hd_diag_sink sink = {capture, p};

    memset(p, 0, sizeof *p);
    p->src = in;
    p->in.p = in->p;
    p->in.len = in->p != NULL ? in->len : 0;
    /* the sink's ctx is p itself: the pass must not move while the reader lives */
    p->r = in->p != NULL ? hd_reader_open_mem(in->p, (size_t)in->len, &sink) : hd_reader_open_fd(in->fd, &sink);
    if (p->r == NULL)
        return -1;
    if (hd_reader_header(p->r, &p->header) < 0)
        return -1;
    p->header_ok = true;
    p->layout = hd_header_layout(p->header);
    return 0;
}

int tf_pass_next(tf_pass *p)
{
    int st;
    reset(p);
    if (p->records > 0)
        hd_text_input_release(p->src, p->rec.pos);   /* the previous record's pages are not needed again */
    st = hd_reader_next(p->r, &p->rec);
    if (st == 1) {
        p->records++;
        if (p->rec.tag == HD_TAG_PARAMS && p->ptrsize == 0 &&
            (p->rec.u.params.ptrsize == 4 || p->rec.u.params.ptrsize == 8)) {
            p->ptrsize = (unsigned)p->rec.u.params.ptrsize;
            p->big_endian = p->rec.u.params.big_endian;
        }
    }
    return st;
}

int tf_pass_expect_end(tf_pass *p)
{
    reset(p);
    return hd_reader_expect_end(p->r);
}

uint64_t tf_pass_offset(const tf_pass *p) { return hd_reader_offset(p->r); }

void tf_pass_close(tf_pass *p)
{
    hd_reader_free(p->r);
    p->r = NULL;
}
