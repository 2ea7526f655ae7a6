/* defects_s.c — defects for the structural rules (S1xx): broken encodings, cut files, wrong tags.
 *
 * Each breaks its rule and nothing else: a change that loses the record boundary (S102, S103, S106, S107,
 * S110, S111) ends the file right there, so nothing after it could be misread; a change that keeps the
 * boundary (S104, S105, S109) keeps the decoded value's meaning (a bool 2 still reads as true, a
 * non-minimal uvarint has the same value). */
#include "defects.h"
#include "hd/uvarint.h"

#include <string.h>

/* ---- hooks ------------------------------------------------------------------------------------ */

typedef struct {
    gen_emitter *g;
    unsigned     step;      /* the step to act on (0 = tag) */
    uint64_t     arg;
    bool         cut_after; /* cut at the step following `step` */
} hk;

static bool op_value(int op) { return op == ST_UINT || op == ST_PTR || op == ST_EXTENT || op == ST_PTRSIZE || op == ST_BOOL; }
static bool op_string(int op) { return op == ST_STRING || op == ST_CONTENTS || op == ST_ARCH_STRING; }
static bool op_fields(int op) { return op == ST_FIELDS; }
static bool op_not_fields(int op) { return op != ST_FIELDS; }

static uint64_t step_value(const layout_step *st, const hd_record *rec)
{
    const void *at = (const char *)rec + st->at;
    return st->op == ST_BOOL ? *(const bool *)at : *(const uint64_t *)at;
}

static const hd_fields *step_fields(const layout_step *st, const hd_record *rec)
{
    return (const hd_fields *)(const void *)((const char *)rec + st->at);
}

static const hd_bytes *step_bytes(const layout_step *st, const hd_record *rec)
{
    return (const hd_bytes *)(const void *)((const char *)rec + st->at);
}

/* ---- S101: header ----------------------------------------------------------------------------- */

static bool bad_header_write(gen_emitter *g)
{
    static const char *const bad[] = {"go1.8 heap dump\n", "go1.2 heap dump\n", "go1.4 heap dump ", "GO1.7 heap dump\n",
                                      "go1.7 heap dumb\n"};
    hd_out_raw(g->out, bad[dx_pick(g, 1, 0, 4)], HD_HEADER_LEN);
    return true;
}
const gen_defect_ops defect_bad_header = {.header = bad_header_write};

/* ---- S102, S103, S107: a tag that loses the boundary ---------------------------------------------- */

static bool any_record(const gen_emitter *g, const hd_record *rec) { (void)g; (void)rec; return true; }

static int long_tag(gen_emitter *g, hd_record *rec, uint8_t last)
{
    uint8_t b[11];
    b[0] = (uint8_t)(rec->tag | 0x80);
    memset(b + 1, 0x80, 8);
    b[9] = last;
    b[10] = 0;
    gen_raw(g, b, last >= 0x80 ? 11 : 10);
    gen_stop(g);
    return GEN_SKIP;
}

static int too_long_apply(gen_emitter *g, hd_record *rec) { return long_tag(g, rec, 0x80); }
static int overflow_apply(gen_emitter *g, hd_record *rec) { return long_tag(g, rec, (uint8_t)dx_pick(g, 2, 2, 127)); }
const gen_defect_ops defect_uvarint_too_long = {.candidate = any_record, .apply = too_long_apply};
const gen_defect_ops defect_uvarint_overflow = {.candidate = any_record, .apply = overflow_apply};

static int tag_unknown_apply(gen_emitter *g, hd_record *rec)
{
    uint8_t t = (uint8_t)dx_pick(g, 3, HD_TAG_COUNT, 127);
    (void)rec;
    gen_raw(g, &t, 1);
    gen_stop(g);
    return GEN_SKIP;
}
const gen_defect_ops defect_tag_unknown = {.candidate = any_record, .apply = tag_unknown_apply};

/* ---- S104: a non-minimal uvarint (same value) ------------------------------------------------- */

static int nonmin_hook(void *ctx, hd_out *o, unsigned step, const layout_step *st, const hd_record *rec)
{
    hk *h = ctx;
    uint8_t b[12];
    size_t n;
    if (step != h->step)
        return HD_ENC_STEP;
    n = hd_uvarint_put(b, st == NULL ? (uint64_t)rec->tag : step_value(st, rec));
    b[n - 1] |= 0x80;            /* one more group, all zero: a value of the same size, not minimal */
    b[n++] = 0;
    hd_out_raw(o, b, n);
    return HD_ENC_DONE;
}

static int nonmin_apply(gen_emitter *g, hd_record *rec)
{
    unsigned nv = dx_count_steps(g, rec, op_value);
    uint64_t k = dx_pick(g, 4, 0, nv);
    hk h = {g, 0, 0, false};
    if (k > 0) {
        h.step = dx_find_step(g, rec, op_value, k - 1);
        const layout_step *st = hd_enc_steps(g->layout, rec->tag) + (h.step - 1);
        if (step_value(st, rec) >> 63)
            h.step = 0;          /* a 10-byte uvarint cannot grow: use the tag */
    }
    dx_put_hook(g, rec, nonmin_hook, &h);
    return GEN_SKIP;
}
const gen_defect_ops defect_uvarint_nonmin = {.candidate = any_record, .apply = nonmin_apply};

/* ---- S105: a true bool written as 2..127 -------------------------------------------------------- */

static bool true_bool_step(const gen_emitter *g, const hd_record *rec, uint64_t n, unsigned *step)
{
    const layout_step *st = hd_enc_steps(g->layout, rec->tag);
    for (unsigned i = 1; st != NULL && st->op != ST_END; st++, i++)
        if (st->op == ST_BOOL && step_value(st, rec) == 1 && n-- == 0) {
            *step = i;
            return true;
        }
    return false;
}

static bool bool_candidate(const gen_emitter *g, const hd_record *rec)
{
    unsigned s;
    return true_bool_step(g, rec, 0, &s);
}

static int bool_hook(void *ctx, hd_out *o, unsigned step, const layout_step *st, const hd_record *rec)
{
    hk *h = ctx;
    (void)st;
    (void)rec;
    if (step != h->step)
        return HD_ENC_STEP;
    hd_enc_uvarint(o, h->arg);
    return HD_ENC_DONE;
}

static int bool_apply(gen_emitter *g, hd_record *rec)
{
    hk h = {g, 0, dx_pick(g, 5, 2, 127), false};
    uint64_t n = 0;
    unsigned s;
    while (true_bool_step(g, rec, n, &s))
        n++;
    true_bool_step(g, rec, dx_pick(g, 6, 0, n - 1), &h.step);
    dx_put_hook(g, rec, bool_hook, &h);
    return GEN_SKIP;
}

/* Make sure some record has a true bool: a type record (its bool is 1) in every layout. */
static bool bool_prepare(gm_model *m, hd_entropy *e)
{
    dx_emitted_type(m, e);
    return true;
}
const gen_defect_ops defect_bool_invalid = {.prepare = bool_prepare, .candidate = bool_candidate, .apply = bool_apply};

/* ---- S106: a length past the end ---------------------------------------------------------------- */

static bool has_string(const gen_emitter *g, const hd_record *rec)
{
    return dx_count_steps(g, rec, op_string) > 0;
}

static int length_hook(void *ctx, hd_out *o, unsigned step, const layout_step *st, const hd_record *rec)
{
    hk *h = ctx;
    if (step == h->step) {
        const hd_bytes *b = step_bytes(st, rec);
        hd_enc_uvarint(o, b->len + h->arg);
        if (b->len > 0)
            hd_out_raw(o, b->p, (size_t)b->len);
        return HD_ENC_DONE;
    }
    return step > h->step ? HD_ENC_CUT : HD_ENC_STEP;
}

static int length_apply(gen_emitter *g, hd_record *rec)
{
    hk h = {g, 0, (UINT64_C(1) << 40) + dx_pick(g, 7, 0, 1u << 20), false};
    h.step = dx_find_step(g, rec, op_string, dx_pick(g, 8, 0, dx_count_steps(g, rec, op_string) - 1));
    dx_put_hook(g, rec, length_hook, &h);
    gen_stop(g);
    return GEN_SKIP;
}
const gen_defect_ops defect_length_beyond_end = {.candidate = has_string, .apply = length_apply};

/* ---- S108: OTHERROOT after go1.3 ------------------------------------------------------------------ */

static bool roots_tail(const gen_emitter *g, const hd_record *rec)
{
    (void)g;
    return rec->tag == HD_TAG_FINALIZER || rec->tag == HD_TAG_QFINAL || rec->tag == HD_TAG_MEMSTATS;
}

static int otherroot_apply(gen_emitter *g, hd_record *rec)
{
    static const char desc[] = "runtime type info";
    hd_record r;
    (void)rec;
    memset(&r, 0, sizeof r);
    r.tag = HD_TAG_OTHERROOT;
    r.u.otherroot.desc.len = r.u.otherroot.desc.kept = sizeof desc - 1;
    r.u.otherroot.desc.p = (const uint8_t *)desc;
    r.u.otherroot.ptr = g->m->offheap_lo;
    gen_put(g, &r);
    return GEN_EMIT;
}
const gen_defect_ops defect_tag_not_in_version = {.candidate = roots_tail, .apply = otherroot_apply};

/* ---- S109: a field kind the version never writes ---------------------------------------------- */

static uint64_t ptr_entries(const gen_emitter *g, const hd_record *rec, unsigned *fstep)
{
    const layout_step *st = hd_enc_steps(g->layout, rec->tag);
    for (unsigned i = 1; st != NULL && st->op != ST_END; st++, i++) {
        if (st->op == ST_FIELDS) {
            const hd_fields *f = step_fields(st, rec);
            uint64_t n = 0;
            for (uint64_t k = 0; k < f->count; k++)
                n += f->v[k].kind == HD_FK_PTR;
            *fstep = i;
            return n;
        }
    }
    return 0;
}

static bool has_ptr_field(const gen_emitter *g, const hd_record *rec)
{
    unsigned s;
    return ptr_entries(g, rec, &s) > 0;
}

static int kind_hook(void *ctx, hd_out *o, unsigned step, const layout_step *st, const hd_record *rec)
{
    hk *h = ctx;
    const hd_fields *f;
    uint64_t nth = h->arg;
    if (step != h->step)
        return HD_ENC_STEP;
    f = step_fields(st, rec);
    for (uint64_t k = 0; k < f->count; k++) {
        unsigned kind = f->v[k].kind;
        if (kind == HD_FK_PTR && nth-- == 0) {
            /* go1.5+: 2/3 are declared but never written; go1.4: 4/5 are go1.3's; go1.3: no kind above 5 */
            hd_layout l = h->g->layout;
            kind = l >= HD_V15 ? (unsigned)dx_pick(h->g, 9, 2, 3)
                 : l == HD_V14 ? (unsigned)dx_pick(h->g, 9, 4, 5) : (unsigned)dx_pick(h->g, 9, 6, 127);
        }
        hd_enc_uvarint(o, kind);
        hd_enc_uvarint(o, f->v[k].offset);
    }
    hd_enc_uvarint(o, HD_FK_EOL);
    return HD_ENC_DONE;
}

static int kind_apply(gen_emitter *g, hd_record *rec)
{
    hk h = {g, 0, 0, false};
    uint64_t n = ptr_entries(g, rec, &h.step);
    h.arg = dx_pick(g, 10, 0, n - 1);
    dx_put_hook(g, rec, kind_hook, &h);
    if (g->layout == HD_V13)
        gen_stop(g);             /* kinds above 5 lose the boundary: end the file there */
    return GEN_SKIP;
}
const gen_defect_ops defect_field_kind_invalid = {.configure = dx_fields_on, .prepare = dx_more_frames, .candidate = has_ptr_field, .apply = kind_apply};

/* ---- S110, S111: the file ends inside a record ------------------------------------------------ */

static bool has_fields(const gen_emitter *g, const hd_record *rec)
{
    return dx_count_steps(g, rec, op_fields) > 0;
}

static int unterminated_hook(void *ctx, hd_out *o, unsigned step, const layout_step *st, const hd_record *rec)
{
    hk *h = ctx;
    const hd_fields *f;
    uint64_t keep;
    if (st == NULL || st->op != ST_FIELDS)
        return HD_ENC_STEP;
    f = step_fields(st, rec);
    keep = h->arg % (f->count + 1);
    for (uint64_t k = 0; k < keep; k++) {
        hd_enc_uvarint(o, f->v[k].kind);
        hd_enc_uvarint(o, f->v[k].offset);
    }
    if (keep < f->count && (h->arg >> 32 & 1))
        hd_enc_uvarint(o, f->v[keep].kind);       /* half an entry: a kind without its offset */
    (void)step;
    return HD_ENC_CUT;
}

static int unterminated_apply(gen_emitter *g, hd_record *rec)
{
    hk h = {g, 0, hd_mix64(g->dstate[0] + 11), false};
    dx_put_hook(g, rec, unterminated_hook, &h);
    gen_stop(g);
    return GEN_SKIP;
}
const gen_defect_ops defect_fields_unterminated = {.candidate = has_fields, .apply = unterminated_apply};

static bool has_plain_step(const gen_emitter *g, const hd_record *rec)
{
    return dx_count_steps(g, rec, op_not_fields) > 0;
}

/* Cut before step h->step, or in the middle of its leading uvarint when that takes several bytes (a string
 * is cut in its length, never in its bytes: that would be S106). */
static int cut_hook(void *ctx, hd_out *o, unsigned step, const layout_step *st, const hd_record *rec)
{
    hk *h = ctx;
    uint8_t b[10];
    size_t n = 0;
    if (step != h->step)
        return HD_ENC_STEP;
    if (op_value(st->op))
        n = hd_uvarint_put(b, step_value(st, rec));
    else if (op_string(st->op))
        n = hd_uvarint_put(b, step_bytes(st, rec)->len);
    if (n > 1)
        hd_out_raw(o, b, (size_t)(h->arg % n));
    return HD_ENC_CUT;
}

static int cut_apply(gen_emitter *g, hd_record *rec)
{
    hk h = {g, 0, dx_pick(g, 12, 0, 9), false};
    h.step = dx_find_step(g, rec, op_not_fields, dx_pick(g, 13, 0, dx_count_steps(g, rec, op_not_fields) - 1));
    dx_put_hook(g, rec, cut_hook, &h);
    gen_stop(g);
    return GEN_SKIP;
}
const gen_defect_ops defect_truncated_record = {.candidate = has_plain_step, .apply = cut_apply};

/* ---- S112, S113: the end ---------------------------------------------------------------------- */

static bool is_eof(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_EOF; }
static int drop(gen_emitter *g, hd_record *rec) { (void)g; (void)rec; return GEN_SKIP; }
const gen_defect_ops defect_no_eof = {.candidate = is_eof, .apply = drop};

static int trailing_apply(gen_emitter *g, hd_record *rec)
{
    uint8_t b[32];
    size_t n = (size_t)dx_pick(g, 14, 1, sizeof b);
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)dx_pick(g, 15 + (unsigned)i, 0, 255);
    gen_put(g, rec);
    gen_raw(g, b, n);
    return GEN_SKIP;
}
const gen_defect_ops defect_trailing_bytes = {.candidate = is_eof, .apply = trailing_apply};

/* ---- S114, S115: pointer sizes ---------------------------------------------------------------- */

static bool is_goroutine(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_GOROUTINE; }

static int wide_apply(gen_emitter *g, hd_record *rec)
{
    /* the sched context register: a pointer no other rule looks at */
    rec->u.goroutine.ctxt = (UINT64_C(1) << 32) | dx_pick(g, 16, 0, UINT32_MAX);
    return GEN_EMIT;
}
const gen_defect_ops defect_ptr_too_wide = {.candidate = is_goroutine, .apply = wide_apply};

static bool is_params(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_PARAMS; }

static int ptrsize_apply(gen_emitter *g, hd_record *rec)
{
    static const uint64_t bad[] = {0, 1, 2, 6, 16, 32, 64};
    rec->u.params.ptrsize = bad[dx_pick(g, 17, 0, 6)];
    return GEN_EMIT;
}
const gen_defect_ops defect_ptrsize_invalid = {.candidate = is_params, .apply = ptrsize_apply};

/* ---- S116: params not first ------------------------------------------------------------------ */

/* params is held back and written just after the first itab (preceded, from go1.4 on, by its type): a
 * record that reads the same without the pointer size, and whose type/itab pairing stays intact. */
static int hold_params(gen_emitter *g, hd_record *rec)
{
    g->held = *rec;
    g->dstate[1] = 1;
    return GEN_SKIP;
}

static void params_after_itab(gen_emitter *g, const hd_record *rec)
{
    if (g->dstate[1] == 1 && rec->tag == HD_TAG_ITAB) {
        g->dstate[1] = 0;
        gen_put(g, &g->held);
    }
}

static bool params_prepare(gm_model *m, hd_entropy *e)
{
    (void)e;
    dx_ensure_itab(m);
    return true;
}
const gen_defect_ops defect_params_not_first = {.prepare = params_prepare, .candidate = is_params,
                                                .apply = hold_params, .after = params_after_itab};

/* ---- S117, S118: singletons ------------------------------------------------------------------- */

static bool is_memstats(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_MEMSTATS; }

static int twice(gen_emitter *g, hd_record *rec)
{
    gen_put(g, rec);
    return GEN_EMIT;
}
const gen_defect_ops defect_duplicate_singleton = {.candidate = is_memstats, .apply = twice};
const gen_defect_ops defect_missing_singleton = {.candidate = is_memstats, .apply = drop};
