/* parse.c — a line of text to a record builder or a directive (see parse.h). */
#include "parse.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS (UINT32_MAX - 1)   /* hd_fields counts kept entries in 32 bits */

static int fail(tf_parser *p, const char *msg, const char *at)
{
    if (p->err == NULL) {
        p->err = msg;
        p->at = at;
    }
    return -1;
}

static int expect_punct(tf_parser *p, char c, const char *msg)
{
    if (!tok_punct(&p->lx.tok, c))
        return fail(p, msg, p->lx.tok.s);
    lex_next(&p->lx);
    return 0;
}

static int expr(tf_parser *p, uint64_t *v)
{
    const char *err = NULL, *at = NULL;
    if (tf_expr(&p->lx, p->labels, v, &err, &at) < 0)
        return fail(p, err, at);
    return 0;
}

/* ---- growable arrays -------------------------------------------------------------------------------- */

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
    size_t cap2 = *cap ? *cap : 16;
    void *q;
    if (need <= *cap)
        return 0;
    while (cap2 < need) {
        if (cap2 > SIZE_MAX / 2 / size)
            return -1;
        cap2 *= 2;
    }
    q = realloc(*v, cap2 * size);
    if (q == NULL)
        return -1;
    *v = q;
    *cap = cap2;
    return 0;
}

/* Room for n more pool bytes; the record's bytes may not pass max_bytes. */
static int pool_room(tf_parser *p, uint64_t n)
{
    tf_asm_rec *r = p->r;
    if (n > r->max_bytes || r->pool_len > r->max_bytes - n)
        return fail(p, "the record's bytes exceed the assembler's limit", p->lx.tok.s);
    if (grow((void **)&r->pool, &r->pool_cap, r->pool_len + (size_t)n, 1) < 0)
        return fail(p, "out of memory", p->lx.tok.s);
    return 0;
}

/* ---- byte ranges ------------------------------------------------------------------------------------ */

static int literal(tf_parser *p)
{
    const char *err = NULL;
    long long n;
    if (pool_room(p, p->lx.tok.n) < 0)
        return -1;
    n = lex_decode(&p->lx.tok, p->r->pool + p->r->pool_len, &err);
    if (n < 0)
        return fail(p, err, p->lx.tok.s);
    p->r->pool_len += (size_t)n;
    lex_next(&p->lx);
    return 0;
}

/* zero(N) or w(expr), the keyword being the current token. */
static int call(tf_parser *p, bool word)
{
    const char *at = p->lx.tok.s;
    uint64_t v;
    lex_next(&p->lx);
    if (expect_punct(p, '(', "'(' expected") < 0 || expr(p, &v) < 0 || expect_punct(p, ')', "')' expected") < 0)
        return -1;
    if (!word) {
        if (pool_room(p, v) < 0)
            return -1;
        if (v > 0) {                 /* zero(0): the pool may not exist yet */
            memset(p->r->pool + p->r->pool_len, 0, (size_t)v);
            p->r->pool_len += (size_t)v;
        }
        return 0;
    }
    if (p->ptrsize == 0)
        return fail(p, "w() needs the pointer size: write a params record first", at);
    if (pool_room(p, p->ptrsize) < 0)
        return -1;
    for (unsigned i = 0; i < p->ptrsize; i++) {
        unsigned shift = 8 * (p->big_endian ? p->ptrsize - 1 - i : i);
        p->r->pool[p->r->pool_len++] = (uint8_t)(v >> shift);
    }
    return 0;
}

static int part(tf_parser *p)
{
    const token *t = &p->lx.tok;
    if (t->k == TK_STR || t->k == TK_HEX)
        return literal(p);
    if (tok_is(t, TK_IDENT, "zero"))
        return call(p, false);
    if (tok_is(t, TK_IDENT, "w"))
        return call(p, true);
    if (t->k == TK_ERR)
        return fail(p, p->lx.err, t->s);
    return fail(p, "bytes expected: \"text\", x\"hex\", zero(N), w(expr) or [part ...]", t->s);
}

/* The body of a byte range: one part or [part ...]. Appends to the pool. */
static int bytes_body(tf_parser *p, tf_span *out)
{
    out->off = p->r->pool_len;
    if (tok_punct(&p->lx.tok, '[')) {
        lex_next(&p->lx);
        while (!tok_punct(&p->lx.tok, ']')) {
            if (p->lx.tok.k == TK_END)
                return fail(p, "']' expected", p->lx.tok.s);
            if (part(p) < 0)
                return -1;
        }
        lex_next(&p->lx);
    } else if (part(p) < 0) {
        return -1;
    }
    if (p->lx.tok.k == TK_DOTS)
        return fail(p, "abbreviated bytes cannot be assembled (print them with hddump --contents)", p->lx.tok.s);
    out->len = p->r->pool_len - out->off;
    return 0;
}

/* raw(bytes) after the keyword. */
static int raw_call(tf_parser *p, tf_span *out)
{
    lex_next(&p->lx);
    if (expect_punct(p, '(', "'(' expected after raw") < 0 || bytes_body(p, out) < 0)
        return -1;
    return expect_punct(p, ')', "')' expected");
}

/* ---- field values ----------------------------------------------------------------------------------- */

static void *field_at(tf_asm_rec *r, unsigned i) { return (char *)&r->rec + r->steps[i].at; }

static int scalar(tf_parser *p, unsigned i)
{
    tf_asm_rec *r = p->r;
    const layout_step *st = &r->steps[i];
    uint64_t v;

    if (st->op == ST_BOOL && (tok_is(&p->lx.tok, TK_IDENT, "true") || tok_is(&p->lx.tok, TK_IDENT, "false"))) {
        *(bool *)field_at(r, i) = p->lx.tok.s[0] == 't';
        lex_next(&p->lx);
        return 0;
    }
    if (expr(p, &v) < 0)
        return -1;
    if (st->op != ST_BOOL) {
        *(uint64_t *)field_at(r, i) = v;
    } else if (v <= 1) {
        *(bool *)field_at(r, i) = v == 1;
    } else {                      /* a bool the writer never writes: the number goes out as it is */
        *(bool *)field_at(r, i) = true;
        r->ov[i].kind = AO_VALUE;
        r->ov[i].value = v;
    }
    return 0;
}

/* [(N)] bytes: the range, and the length written before it when (N) says so. */
static int range(tf_parser *p, unsigned i)
{
    tf_asm_rec *r = p->r;
    if (tok_punct(&p->lx.tok, '(')) {
        lex_next(&p->lx);
        if (expr(p, &r->ov[i].value) < 0 || expect_punct(p, ')', "')' expected after the length") < 0)
            return -1;
        r->ov[i].kind = AO_LEN;
    }
    return bytes_body(p, &r->range[i]);
}

static int field_entry(tf_parser *p)
{
    tf_asm_rec *r = p->r;
    const token kt = p->lx.tok;
    uint64_t kind, off;

    if (kt.k == TK_NUM) {
        kind = kt.v;
    } else if (kt.k == TK_IDENT && tf_kind_by_name(r->layout, kt.s, kt.n) > 0) {
        kind = (uint64_t)tf_kind_by_name(r->layout, kt.s, kt.n);
    } else {
        return fail(p, kt.k == TK_IDENT ? "not a field kind of this layout (write its number)"
                                        : "a field kind@offset expected", kt.s);
    }
    if (kind > 255)
        return fail(p, "field kind above 255 (write the list with raw(...))", kt.s);
    lex_next(&p->lx);
    if (expect_punct(p, '@', "'@' expected after the field kind") < 0 || expr(p, &off) < 0)
        return -1;
    if (r->nfields == MAX_FIELDS || grow((void **)&r->fields, &r->fields_cap, r->nfields + 1, sizeof *r->fields) < 0)
        return fail(p, "too many field entries", kt.s);
    r->fields[r->nfields].kind = (uint8_t)kind;
    r->fields[r->nfields].offset = off;
    r->nfields++;
    return 0;
}

/* [kind@offset ... [cut]] */
static int field_list(tf_parser *p)
{
    if (expect_punct(p, '[', "'[' expected: a field list is [kind@offset ...]") < 0)
        return -1;
    while (!tok_punct(&p->lx.tok, ']')) {
        if (tok_is(&p->lx.tok, TK_IDENT, "cut")) {
            p->r->fields_cut = true;
            lex_next(&p->lx);
            return expect_punct(p, ']', "cut ends a field list: ']' expected");
        }
        if (p->lx.tok.k == TK_DOTS)
            return fail(p, "an abbreviated list cannot be assembled (print it with hddump --contents)", p->lx.tok.s);
        if (p->lx.tok.k == TK_END)
            return fail(p, "']' expected", p->lx.tok.s);
        if (field_entry(p) < 0)
            return -1;
    }
    lex_next(&p->lx);
    return 0;
}

/* [(N)] ["function" "file":line ...] */
static int frame_list(tf_parser *p, unsigned i)
{
    tf_asm_rec *r = p->r;
    if (tok_punct(&p->lx.tok, '(')) {
        lex_next(&p->lx);
        if (expr(p, &r->ov[i].value) < 0 || expect_punct(p, ')', "')' expected after the frame count") < 0)
            return -1;
        r->ov[i].kind = AO_LEN;
    }
    if (expect_punct(p, '[', "'[' expected: memprof frames are [\"function\" \"file\":line ...]") < 0)
        return -1;
    while (!tok_punct(&p->lx.tok, ']')) {
        tf_asm_frame f;
        if (p->lx.tok.k == TK_DOTS)
            return fail(p, "an abbreviated list cannot be assembled (print it with hddump --contents)", p->lx.tok.s);
        if (p->lx.tok.k == TK_END)
            return fail(p, "']' expected", p->lx.tok.s);
        if (bytes_body(p, &f.name) < 0 || bytes_body(p, &f.file) < 0 ||
            expect_punct(p, ':', "':' and the line number expected after the file name") < 0 || expr(p, &f.line) < 0)
            return -1;
        if (r->nframes == MAX_FIELDS || grow((void **)&r->frames, &r->frames_cap, r->nframes + 1, sizeof *r->frames) < 0)
            return fail(p, "out of memory", p->lx.tok.s);
        r->frames[r->nframes++] = f;
    }
    lex_next(&p->lx);
    return 0;
}

/* Name=[v ...] for PauseNs, Name=v for the others. */
static int memstat(tf_parser *p, int first)
{
    unsigned sub, n = 1;
    uint64_t *v = p->r->rec.u.memstats.v;
    const char *name = hd_memstat_name((unsigned)first, &sub);
    while (first + n < HD_MEMSTATS_NVALUES && hd_memstat_name((unsigned)first + n, &sub) == name && sub > 0)
        n++;
    if (n == 1)
        return expr(p, &v[first]);
    if (expect_punct(p, '[', "'[' expected: PauseNs=[n ...]") < 0)
        return -1;
    for (unsigned k = 0; !tok_punct(&p->lx.tok, ']'); k++) {
        if (k == n)
            return fail(p, "PauseNs has 256 values", p->lx.tok.s);
        if (expr(p, &v[first + k]) < 0)
            return -1;
    }
    lex_next(&p->lx);
    return 0;
}

static int field_value(tf_parser *p, unsigned i)
{
    tf_asm_rec *r = p->r;
    if (tok_is(&p->lx.tok, TK_IDENT, "raw")) {
        r->ov[i].kind = AO_RAW;
        return raw_call(p, &r->ov[i].bytes);
    }
    switch (r->steps[i].op) {
    case ST_UINT: case ST_PTR: case ST_BOOL: case ST_EXTENT: case ST_PTRSIZE:
        return scalar(p, i);
    case ST_STRING: case ST_ARCH_STRING: case ST_CONTENTS:
        return range(p, i);
    case ST_FIELDS:
        return field_list(p);
    case ST_MPFRAMES:
        return frame_list(p, i);
    case ST_MEMSTATS:
        return fail(p, "memstats values are given by name: Alloc=... PauseNs=[...] NumGC=...", p->lx.tok.s);
    case ST_END:
        break;
    }
    return fail(p, "no such field", p->lx.tok.s);
}

/* ---- records ---------------------------------------------------------------------------------------- */

static void rec_reset(tf_asm_rec *r, hd_layout layout, unsigned tag)
{
    r->layout = layout;
    r->tag = tag;
    r->steps = tf_steps(layout, tag);
    r->nsteps = tf_nsteps(r->steps);
    r->rec = hd_record_of((hd_tag)tag);
    memset(r->given, 0, sizeof r->given);
    memset(r->ov, 0, sizeof r->ov);
    memset(r->range, 0, sizeof r->range);
    r->cut = r->fields_cut = false;
    r->pool_len = r->nfields = r->nframes = 0;
    if (tag == HD_TAG_PARAMS && layout == HD_V17)
        r->rec.u.params.arch_is_string = true;
}

static int one_field(tf_parser *p)
{
    tf_asm_rec *r = p->r;
    const token name = p->lx.tok;
    int i = -1, ms = -1;

    if (name.k != TK_IDENT)
        return fail(p, name.k == TK_ERR ? p->lx.err : "a field name= expected", name.s);
    if (r->tag == HD_TAG_MEMSTATS && (ms = tf_memstat_by_name(name.s, name.n)) >= 0)
        i = 0;
    else
        i = tf_step_index(r->layout, r->tag, name.s, name.n);
    if (i < 0)
        return fail(p, "no such field in this record (see docs/textform.md)", name.s);
    lex_next(&p->lx);
    if (expect_punct(p, '=', "'=' expected after the field name") < 0)
        return -1;
    if (ms >= 0) {
        r->given[0] = true;
        return memstat(p, ms);
    }
    if (r->given[i])
        return fail(p, "field given twice", name.s);
    r->given[i] = true;
    return field_value(p, (unsigned)i);
}

static int record(tf_parser *p, unsigned tag)
{
    tf_asm_rec *r = p->r;
    if (!p->have_layout)
        return fail(p, "a header (or layout) line must come before the first record", p->lx.tok.s);
    rec_reset(r, p->layout, tag);
    if (r->nsteps > TF_MAX_STEPS)
        return fail(p, "layout too long", p->lx.tok.s);
    lex_next(&p->lx);
    while (p->lx.tok.k != TK_END) {
        if (tok_is(&p->lx.tok, TK_IDENT, "cut")) {
            r->cut = true;
            lex_next(&p->lx);
            if (p->lx.tok.k != TK_END)
                return fail(p, "cut ends the record: nothing may follow it", p->lx.tok.s);
            break;
        }
        if (r->fields_cut)
            return fail(p, "a field list cut short ends the record: nothing may follow it", p->lx.tok.s);
        if (one_field(p) < 0)
            return -1;
    }
    return 0;
}

/* ---- lines ------------------------------------------------------------------------------------------ */

/* The optional offset and index columns hddump prints. */
static void skip_columns(tf_parser *p)
{
    if (p->lx.tok.k == TK_NUM)
        lex_next(&p->lx);
    if (tok_punct(&p->lx.tok, '#') && lex_peek(&p->lx).k == TK_NUM) {
        lex_next(&p->lx);
        lex_next(&p->lx);
    }
}

static int header_line(tf_parser *p, tf_line *out, bool header)
{
    const token t = lex_peek(&p->lx);
    int h = t.k == TK_IDENT ? tf_header_by_name(t.s, t.n) : -1;
    if (h < 0)
        return fail(p, "go1.3, go1.4, go1.5, go1.6 or go1.7 expected", t.s);
    lex_next(&p->lx);
    lex_next(&p->lx);
    out->kind = header ? LINE_HEADER : LINE_LAYOUT;
    out->header = h;
    out->layout = hd_header_layout((hd_header_id)h);
    p->have_layout = true;
    p->layout = out->layout;
    p->ptrsize = 0;
    return 0;
}

int tf_parse_line(tf_parser *p, const char *line, size_t n, tf_line *out)
{
    token t, next;
    int tag;

    p->err = p->at = NULL;
    out->kind = LINE_EMPTY;
    lex_init(&p->lx, line, n);
    skip_columns(p);
    t = p->lx.tok;
    next = lex_peek(&p->lx);
    if (t.k == TK_IDENT && tok_punct(&next, ':')) {
        lex_next(&p->lx);          /* a label: pass 1 knows it */
        lex_next(&p->lx);
        t = p->lx.tok;
    }
    if (t.k == TK_END)
        return 0;
    if (t.k != TK_IDENT)
        return fail(p, t.k == TK_ERR ? p->lx.err : "a record tag or a directive expected", t.s);
    if (tok_is(&t, TK_IDENT, "header") || tok_is(&t, TK_IDENT, "layout")) {
        if (header_line(p, out, t.s[0] == 'h') < 0)
            return -1;
    } else if (tok_is(&t, TK_IDENT, "raw")) {
        lex_next(&p->lx);
        p->r->pool_len = 0;
        out->kind = LINE_RAW;
        if (bytes_body(p, &out->raw) < 0)
            return -1;
    } else if (tok_is(&t, TK_IDENT, "set")) {
        uint64_t v;
        lex_next(&p->lx);
        if (p->lx.tok.k != TK_IDENT || tf_is_keyword(&p->lx.tok))
            return fail(p, "a label name expected after set", p->lx.tok.s);
        lex_next(&p->lx);
        if (expect_punct(p, '=', "'=' expected") < 0 || expr(p, &v) < 0)
            return -1;
        out->kind = LINE_SET;
    } else if ((tag = tf_tag_by_name(t.s, t.n)) >= 0) {
        if (record(p, (unsigned)tag) < 0)
            return -1;
        out->kind = LINE_RECORD;
    } else {
        return fail(p, "unknown record tag or directive", t.s);
    }
    if (p->lx.tok.k != TK_END)
        return fail(p, p->lx.tok.k == TK_ERR ? p->lx.err : "unexpected text at the end of the line", p->lx.tok.s);
    return 0;
}

/* ---- pass 1 ----------------------------------------------------------------------------------------- */

/* The text of the expression that follows the current token, checked but not evaluated. */
static int expr_text(tf_parser *p, const char **def, size_t *dn)
{
    const char *err = NULL, *at = NULL, *start = p->lx.tok.s;
    uint64_t v;
    if (tf_expr(&p->lx, NULL, &v, &err, &at) < 0)
        return fail(p, err, at);
    *def = start;
    *dn = (size_t)(p->lx.tok.s - start);
    return 0;
}

int tf_scan_label(tf_parser *p, const char *line, size_t n, const char **name, size_t *nn, const char **def,
                  size_t *dn)
{
    token t, label, next;
    int tag, key;
    const char *keyname;

    p->err = p->at = NULL;
    lex_init(&p->lx, line, n);
    skip_columns(p);
    t = p->lx.tok;
    if (tok_is(&t, TK_IDENT, "header") || tok_is(&t, TK_IDENT, "layout")) {
        tf_line ignored;
        return header_line(p, &ignored, true) < 0 ? -1 : 0;
    }
    if (tok_is(&t, TK_IDENT, "set")) {
        lex_next(&p->lx);
        label = p->lx.tok;
        if (label.k != TK_IDENT || tf_is_keyword(&label))
            return fail(p, "a label name expected after set", label.s);
        lex_next(&p->lx);
        if (expect_punct(p, '=', "'=' expected") < 0 || expr_text(p, def, dn) < 0)
            return -1;
        *name = label.s;
        *nn = label.n;
        return 1;
    }
    next = lex_peek(&p->lx);
    if (t.k != TK_IDENT || !tok_punct(&next, ':'))
        return 0;
    label = t;
    if (tf_is_keyword(&label))
        return fail(p, "a keyword cannot be a label", label.s);
    lex_next(&p->lx);
    lex_next(&p->lx);
    t = p->lx.tok;
    if (!p->have_layout || t.k != TK_IDENT || (tag = tf_tag_by_name(t.s, t.n)) < 0)
        return fail(p, "a label must come before a record (after the header line)", t.s);
    if ((key = tf_key_step(p->layout, (unsigned)tag)) < 0)
        return fail(p, "this record has no address a label could name", t.s);
    keyname = tf_step_name(p->layout, (unsigned)tag, &tf_steps(p->layout, (unsigned)tag)[key]);
    *name = label.s;
    *nn = label.n;
    *def = "";
    *dn = 0;
    /* the record's key field, wherever it is on the line (every other token is a single one) */
    for (lex_next(&p->lx); p->lx.tok.k != TK_END && p->lx.tok.k != TK_ERR; lex_next(&p->lx)) {
        next = lex_peek(&p->lx);
        if (tok_is(&p->lx.tok, TK_IDENT, keyname) && tok_punct(&next, '=')) {
            lex_next(&p->lx);
            lex_next(&p->lx);
            if (tok_is(&p->lx.tok, TK_IDENT, "raw"))
                return 1;          /* raw bytes: the label has no value */
            return expr_text(p, def, dn) < 0 ? -1 : 1;
        }
    }
    return 1;
}

/* ---- the builder ------------------------------------------------------------------------------------ */

static hd_bytes pool_bytes(const tf_asm_rec *r, tf_span s)
{
    static const uint8_t none[1];   /* never read: an empty range still needs a pointer */
    return hd_bytes_of(s.len > 0 ? r->pool + s.off : none, s.len);
}

int tf_asm_fix(tf_asm_rec *r)
{
    for (unsigned i = 0; i < r->nsteps; i++) {
        const layout_step *st = &r->steps[i];
        if (st->op == ST_STRING || st->op == ST_ARCH_STRING || st->op == ST_CONTENTS) {
            hd_bytes *b = (hd_bytes *)((char *)&r->rec + st->at);
            *b = pool_bytes(r, r->range[i]);
        } else if (st->op == ST_FIELDS) {
            *(hd_fields *)((char *)&r->rec + st->at) = hd_fields_of(r->fields, (uint32_t)r->nfields);
        } else if (st->op == ST_MPFRAMES) {
            if (grow((void **)&r->mpf, &r->mpf_cap, r->nframes, sizeof *r->mpf) < 0)
                return -1;
            for (size_t k = 0; k < r->nframes; k++) {
                r->mpf[k].name = pool_bytes(r, r->frames[k].name);
                r->mpf[k].file = pool_bytes(r, r->frames[k].file);
                r->mpf[k].line = r->frames[k].line;
            }
            r->rec.u.memprof.frames = r->mpf;
            r->rec.u.memprof.nframes = r->rec.u.memprof.nkept = (uint32_t)r->nframes;
        }
    }
    return 0;
}

void tf_asm_rec_free(tf_asm_rec *r)
{
    free(r->pool);
    free(r->fields);
    free(r->frames);
    free(r->mpf);
    memset(r, 0, sizeof *r);
}
