/* asm.c — hdasm's driver: two passes over the lines (labels, then output), each record encoded by the codec's
 * encoder with a hook that writes what the text says a correct writer never would (see textform.h).
 *
 * The hook is the encoder's own defect-injection mechanism (hd_enc_record_hook): for each part of the record
 * it either lets the encoder write the value, or writes the text's exact bytes (raw(...)), a bool's number, a
 * length or count that lies, a field list without its Eol; or it cuts the record short. */
#include "hd/textform.h"
#include "labels.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int (*next)(void *src, const char **line, size_t *n);   /* 1 line, 0 end, -1 error */
    int (*rewind)(void *src);
    void *src;
} line_source;

typedef struct {
    tf_parser      p;
    tf_asm_rec     rec;
    tf_labels     *labels;
    hd_out        *o;
    hd_asm_result *res;
    uint64_t       limit;
    uint64_t       start;     /* o->total before the first byte */
    unsigned       line;
} assembler;

/* ---- the encoder hook ------------------------------------------------------------------------------- */

static int last_given(const tf_asm_rec *r)
{
    int last = -1;
    for (unsigned i = 0; i < r->nsteps; i++)
        if (r->given[i])
            last = (int)i;
    return last;
}

static void put_span(hd_out *o, const tf_asm_rec *r, tf_span s)
{
    if (s.len > 0)
        hd_out_raw(o, r->pool + s.off, s.len);
}

/* A length or count that the text gives, then the part itself. */
static void put_with_len(hd_out *o, const tf_asm_rec *r, unsigned i)
{
    hd_enc_uvarint(o, r->ov[i].value);
    if (r->steps[i].op != ST_MPFRAMES) {
        put_span(o, r, r->range[i]);
        return;
    }
    for (size_t k = 0; k < r->nframes; k++) {
        hd_enc_uvarint(o, r->frames[k].name.len);
        put_span(o, r, r->frames[k].name);
        hd_enc_uvarint(o, r->frames[k].file.len);
        put_span(o, r, r->frames[k].file);
        hd_enc_uvarint(o, r->frames[k].line);
    }
}

static int hook(void *ctx, hd_out *o, unsigned step, const layout_step *st, const hd_record *rec)
{
    const tf_asm_rec *r = ctx;
    unsigned i;
    (void)rec;
    if (step == 0)
        return HD_ENC_STEP;              /* the tag */
    i = step - 1;
    if (r->cut && (int)i > last_given(r))
        return HD_ENC_CUT;
    switch (r->ov[i].kind) {
    case AO_RAW:
        put_span(o, r, r->ov[i].bytes);
        return HD_ENC_DONE;
    case AO_VALUE:
        hd_enc_uvarint(o, r->ov[i].value);
        return HD_ENC_DONE;
    case AO_LEN:
        put_with_len(o, r, i);
        return HD_ENC_DONE;
    case AO_NONE:
        break;
    }
    if (st->op == ST_FIELDS && r->fields_cut) {
        for (size_t k = 0; k < r->nfields; k++) {
            hd_enc_uvarint(o, r->fields[k].kind);
            hd_enc_uvarint(o, r->fields[k].offset);
        }
        return HD_ENC_CUT;               /* no Eol: the record, and the text, end inside the list */
    }
    return HD_ENC_STEP;
}

/* ---- lines ------------------------------------------------------------------------------------------ */

static int error_at(assembler *a, const char *line, const char *at, const char *msg)
{
    hd_asm_result *res = a->res;
    res->line = a->line;
    res->col = at != NULL && at >= line ? (unsigned)(at - line) + 1 : 0;
    snprintf(res->msg, sizeof res->msg, "%s", msg != NULL ? msg : "syntax error");
    return -1;
}

static int emit(assembler *a, const tf_line *l, const char *text)
{
    tf_asm_rec *r = &a->rec;
    switch (l->kind) {
    case LINE_HEADER:
        hd_enc_header(a->o, (hd_header_id)l->header);
        break;
    case LINE_RAW:
        put_span(a->o, r, l->raw);
        break;
    case LINE_RECORD:
        if (tf_asm_fix(r) < 0)
            return error_at(a, text, NULL, "out of memory");
        if (hd_enc_record_hook(a->o, r->layout, &r->rec, hook, r) < 0)
            return error_at(a, text, NULL, "the record cannot be encoded");
        a->res->records++;
        if (r->tag == HD_TAG_PARAMS && (r->rec.u.params.ptrsize == 4 || r->rec.u.params.ptrsize == 8) &&
            r->ov[1].kind == AO_NONE) {
            a->p.ptrsize = (unsigned)r->rec.u.params.ptrsize;   /* w() writes words of this size and order */
            a->p.big_endian = r->rec.u.params.big_endian;
        }
        break;
    case LINE_EMPTY: case LINE_LAYOUT: case LINE_SET:
        break;
    }
    if (a->limit != 0 && a->o->total - a->start > a->limit)
        return error_at(a, text, NULL, "the output exceeds the assembler's limit");
    return 0;
}

static int pass1(assembler *a, line_source *ls)
{
    const char *line, *name, *def;
    size_t n, nn, dn;
    int st;
    for (a->line = 1; (st = ls->next(ls->src, &line, &n)) == 1; a->line++) {
        int found = tf_scan_label(&a->p, line, n, &name, &nn, &def, &dn);
        if (found < 0)
            return error_at(a, line, a->p.at, a->p.err);
        if (found == 1 && tf_labels_define(a->labels, name, nn, def, dn) < 0)
            return error_at(a, line, name, "label defined twice");
    }
    return st < 0 ? error_at(a, NULL, NULL, "read error") : 0;
}

static int pass2(assembler *a, line_source *ls)
{
    const char *line;
    size_t n;
    int st;
    for (a->line = 1; (st = ls->next(ls->src, &line, &n)) == 1; a->line++) {
        tf_line l;
        if (tf_parse_line(&a->p, line, n, &l) < 0)
            return error_at(a, line, a->p.at, a->p.err);
        if (emit(a, &l, line) < 0)
            return -1;
    }
    return st < 0 ? error_at(a, NULL, NULL, "read error") : 0;
}

static int assemble(line_source *ls, hd_out *o, uint64_t limit, hd_asm_result *res)
{
    assembler a;
    int rc = -1;

    memset(res, 0, sizeof *res);
    memset(&a, 0, sizeof a);
    a.o = o;
    a.res = res;
    a.limit = limit;
    a.start = o->total;
    a.labels = tf_labels_new();
    a.rec.max_bytes = limit != 0 ? limit : UINT64_MAX;
    a.p.r = &a.rec;
    if (a.labels == NULL) {
        snprintf(res->msg, sizeof res->msg, "out of memory");
        return -1;
    }
    if (pass1(&a, ls) == 0) {
        memset(&a.p, 0, sizeof a.p);
        a.p.r = &a.rec;
        a.p.labels = a.labels;
        if (ls->rewind(ls->src) < 0)
            error_at(&a, NULL, NULL, "the input cannot be read twice");
        else if (pass2(&a, ls) == 0)
            rc = 0;
    }
    if (hd_out_flush(o) < 0 && rc == 0) {
        snprintf(res->msg, sizeof res->msg, "write error");
        rc = -1;
    }
    res->bytes = o->total - a.start;
    tf_labels_free(a.labels);
    tf_asm_rec_free(&a.rec);
    return rc;
}

/* ---- sources: memory and FILE ----------------------------------------------------------------------- */

typedef struct { const char *p; size_t len, pos; } mem_src;

static int mem_next(void *src, const char **line, size_t *n)
{
    mem_src *m = src;
    const char *nl;
    if (m->pos >= m->len)
        return 0;
    *line = m->p + m->pos;
    nl = memchr(*line, '\n', m->len - m->pos);
    *n = nl != NULL ? (size_t)(nl - *line) : m->len - m->pos;
    m->pos += *n + (nl != NULL);
    return 1;
}

static int mem_rewind(void *src)
{
    ((mem_src *)src)->pos = 0;
    return 0;
}

int hd_asm_mem(const char *text, size_t len, hd_out *o, uint64_t limit, hd_asm_result *res)
{
    mem_src m = {text, len, 0};
    line_source ls = {mem_next, mem_rewind, &m};
    return assemble(&ls, o, limit, res);
}

typedef struct { FILE *f; long start; char *buf; size_t cap; } file_src;

static int file_next(void *src, const char **line, size_t *n)
{
    file_src *s = src;
    ssize_t got = getline(&s->buf, &s->cap, s->f);
    if (got < 0)
        return ferror(s->f) ? -1 : 0;
    *line = s->buf;
    *n = (size_t)got - (got > 0 && s->buf[got - 1] == '\n');
    return 1;
}

static int file_rewind(void *src)
{
    file_src *s = src;
    return s->start < 0 || fseek(s->f, s->start, SEEK_SET) != 0 ? -1 : 0;
}

int hd_asm_file(FILE *in, hd_out *o, uint64_t limit, hd_asm_result *res)
{
    file_src s = {in, ftell(in), NULL, 0};
    line_source ls = {file_next, file_rewind, &s};
    int rc = assemble(&ls, o, limit, res);
    free(s.buf);
    return rc;
}
