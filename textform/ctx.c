/* ctx.c — the records that explain diagnostics, for hdvalidate --context (see textform.h).
 *
 * Pass 0 (only for diagnostics that name an offset but no record: findings judged at the end) finds the
 * records that hold those offsets. Pass 1 keeps the lines of the records around each diagnostic's record
 * and, at that record, works out what it refers to (related.c). Relations known by position (its goroutine,
 * the frame before it, the params) name a record index at once; those that need a value looked up (a
 * duplicate's twin, the object that holds an address) are resolved in pass 2, through a hash of the values
 * looked for (equal fields) or a sorted array (addresses inside a record's bytes), together with the lines
 * of related records that pass 1 had already passed. Memory: the wanted lines, each cut at LINE_KEEP
 * characters, and a few words per diagnostic. */
#include "hd/textform.h"
#include "names.h"
#include "pass.h"
#include "print.h"
#include "related.h"
#include "table.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define AROUND_MAX 50u
#define LINE_KEEP 2048u
#define NONE UINT64_MAX

typedef struct {
    unsigned          id;
    hd_rule           rule;
    uint64_t          record;    /* NONE until pass 0 finds the record that holds `offset` */
    uint64_t          offset;
    const tf_related *rel;       /* set when pass 1 reaches the record */
    bool              search;    /* FIELD / CONTAINS: resolved in pass 2 */
    uint64_t          value;
    uint64_t          related;   /* the record it refers to, NONE if not found */
    size_t            next;      /* next want with the same record, or the same search key (+1, 0 ends) */
} want;

struct hd_text_ctx {
    unsigned     around;
    hd_text_opts o;
    want        *w;
    size_t       n, cap;
    tf_table     lines;          /* record index -> a: arena offset (NONE: wanted, not yet kept), b: length */
    char        *arena;
    size_t       alen, acap;
    tf_table     at_record;      /* record index -> a: first want + 1 */
    tf_table     field_keys;     /* (row, value) -> a: first want + 1 */
    struct { unsigned id; size_t want; } *by_id;   /* sorted by id */
    const tf_related *rows[64];  /* the distinct FIELD relations searched in pass 2 */
    size_t       nrows;
    uint64_t     records;        /* decoded in pass 1 */
    struct { uint64_t value; size_t want; } *by_offset;   /* wants without a record index, by offset */
    size_t       nby_offset;
    struct { uint64_t value; size_t want; } *contains;   /* sorted by value */
    size_t       ncontains;
    uint64_t     owner, last_frame, params, first[HD_TAG_COUNT];
};

hd_text_ctx *hd_text_ctx_new(unsigned around, const hd_text_opts *o)
{
    hd_text_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->around = around < AROUND_MAX ? around : AROUND_MAX;
    c->o = *o;
    c->o.json = false;
    c->o.contents = false;
    tf_table_init(&c->lines, SIZE_MAX);
    tf_table_init(&c->at_record, SIZE_MAX);
    tf_table_init(&c->field_keys, SIZE_MAX);
    return c;
}

void hd_text_ctx_free(hd_text_ctx *c)
{
    if (c == NULL)
        return;
    free(c->w);
    free(c->arena);
    free(c->by_id);
    free(c->contains);
    free(c->by_offset);
    tf_table_free(&c->lines);
    tf_table_free(&c->at_record);
    tf_table_free(&c->field_keys);
    free(c);
}

static bool want_line(hd_text_ctx *c, uint64_t index)
{
    tf_entry *e = tf_table_get(&c->lines, index, true);
    if (e == NULL)
        return false;
    if (e->name_off == UINT32_MAX) {   /* new: to be kept when the record passes */
        e->name_off = 0;
        e->a = NONE;
    }
    return true;
}

/* Want the lines around the diagnostic's record and chain it to that record. */
static int place_want(hd_text_ctx *c, size_t i)
{
    want *w = &c->w[i];
    tf_entry *e;
    for (uint64_t k = w->record > c->around ? w->record - c->around : 0; k <= w->record + c->around; k++)
        if (!want_line(c, k))
            return -1;
    if ((e = tf_table_get(&c->at_record, w->record, true)) == NULL)
        return -1;
    w->next = (size_t)e->a;
    e->a = i + 1;
    return 0;
}

int hd_text_ctx_add(hd_text_ctx *c, unsigned id, const hd_diag *d)
{
    want *w;
    if (c->n == HD_TEXT_CTX_MAX)
        return -1;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        want *v = realloc(c->w, cap * sizeof *v);
        if (v == NULL)
            return -1;
        c->w = v;
        c->cap = cap;
    }
    w = &c->w[c->n++];
    memset(w, 0, sizeof *w);
    w->id = id;
    w->rule = d->rule;
    w->record = d->record != HD_NO_RECORD ? d->record : NONE;   /* without one, the record holding the offset */
    w->offset = d->offset;
    w->related = NONE;
    return w->record != NONE ? place_want(c, c->n - 1) : 0;
}

/* ---- lines ------------------------------------------------------------------------------------------ */

static void keep_line(hd_text_ctx *c, const tf_pass *p)
{
    tf_entry *e = tf_table_get(&c->lines, p->rec.index, false);
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    if (e == NULL || e->a != NONE || (f = open_memstream(&buf, &len)) == NULL)
        return;
    hd_text_record(f, p->layout, &p->rec, &c->o);
    fclose(f);
    if (len > 0 && buf[len - 1] == '\n')
        len--;
    if (len > LINE_KEEP)
        len = LINE_KEEP;
    if (c->alen + len > c->acap) {
        size_t cap = c->acap ? c->acap : 65536;
        char *a;
        while (cap < c->alen + len)
            cap *= 2;
        if ((a = realloc(c->arena, cap)) == NULL) {
            free(buf);
            return;
        }
        c->arena = a;
        c->acap = cap;
    }
    memcpy(c->arena + c->alen, buf, len);
    e->a = c->alen;
    e->b = len;
    c->alen += len;
    free(buf);
}

/* ---- field values ----------------------------------------------------------------------------------- */

/* The integer field `name` of the record (NULL: its key address). */
static bool field(const tf_pass *p, const char *name, uint64_t *v)
{
    const hd_record *r = &p->rec;
    const layout_step *st = tf_steps(p->layout, r->tag);
    int i = name != NULL ? tf_step_index(p->layout, r->tag, name, strlen(name)) : tf_key_step(p->layout, r->tag);
    if (i < 0 || (st[i].op != ST_PTR && st[i].op != ST_UINT && st[i].op != ST_EXTENT))
        return false;
    *v = *(const uint64_t *)((const char *)r + st[i].at);
    return true;
}

/* [lo, hi) of an object, data or bss record. */
static bool extent(const tf_pass *p, uint64_t *lo, uint64_t *hi)
{
    const hd_record *r = &p->rec;
    if (r->tag == HD_TAG_OBJECT) {
        *lo = r->u.object.addr;
        *hi = *lo + r->u.object.contents.len;
    } else if (r->tag == HD_TAG_DATA || r->tag == HD_TAG_BSS) {
        *lo = r->u.segment.addr;
        *hi = *lo + r->u.segment.contents.len;
    } else {
        return false;
    }
    return *hi >= *lo;
}

/* The key of a FIELD search: which table line, and the value. */
static uint64_t field_key(const tf_related *rel, uint64_t v)
{
    return v * UINT64_C(0x9e3779b97f4a7c15) ^ ((uint64_t)(uintptr_t)rel << 1);
}

/* ---- pass 0: the records of diagnostics that name only an offset (checks judged at the end) ---------- */

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;   /* value is each element's first member */
    return x < y ? -1 : x > y;
}

static int pass0(hd_text_ctx *c, hd_text_input *in)
{
    tf_pass p;
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++)
        c->nby_offset += c->w[i].record == NONE;
    if (c->nby_offset == 0)
        return 0;
    if ((c->by_offset = malloc(c->nby_offset * sizeof *c->by_offset)) == NULL)
        return -1;
    for (size_t i = 0; i < c->n; i++)
        if (c->w[i].record == NONE) {
            c->by_offset[k].value = c->w[i].offset;
            c->by_offset[k++].want = i;
        }
    qsort(c->by_offset, k, sizeof *c->by_offset, by_value);
    k = 0;
    if (tf_pass_open(&p, in) == 0) {
        while (k < c->nby_offset && tf_pass_next(&p) == 1) {
            while (k < c->nby_offset && c->by_offset[k].value < p.rec.pos)
                k++;                     /* in the header, or between records: no record */
            for (; k < c->nby_offset && c->by_offset[k].value < p.rec.end; k++) {
                c->w[c->by_offset[k].want].record = p.rec.index;
                if (place_want(c, c->by_offset[k].want) < 0)
                    break;
            }
            if (p.rec.tag == HD_TAG_EOF)
                break;
        }
    }
    tf_pass_close(&p);
    return 0;
}

/* ---- pass 1 ----------------------------------------------------------------------------------------- */

static void track(hd_text_ctx *c, const hd_record *r)
{
    if (c->first[r->tag] == NONE)
        c->first[r->tag] = r->index;
    if (r->tag == HD_TAG_PARAMS && c->params == NONE)
        c->params = r->index;
    if (r->tag == HD_TAG_GOROUTINE) {
        c->owner = r->index;
        c->last_frame = NONE;
    } else if (r->tag != HD_TAG_FRAME && r->tag != HD_TAG_DEFER && r->tag != HD_TAG_PANIC && r->tag != HD_TAG_TYPE) {
        c->owner = c->last_frame = NONE;
    }
}

static void resolve_here(hd_text_ctx *c, const tf_pass *p, want *w)
{
    const hd_record *r = &p->rec;
    tf_entry *e;
    w->rel = tf_related_of(w->rule, r->tag);
    if (w->rel == NULL)
        return;
    switch (w->rel->rel) {
    case REL_OWNER: w->related = c->owner; break;
    case REL_PREV_FRAME: w->related = c->last_frame; break;
    case REL_PARAMS: w->related = c->params; break;
    case REL_FIRST: w->related = c->first[r->tag] != r->index ? c->first[r->tag] : NONE; break;
    case REL_FIELD: case REL_CONTAINS:
        if (!field(p, w->rel->from, &w->value))
            return;
        w->search = true;
        if (w->rel->rel == REL_FIELD && (e = tf_table_get(&c->field_keys, field_key(w->rel, w->value), true)) != NULL) {
            w->next = (size_t)e->a;   /* at_record's chain is done with: reuse the link */
            e->a = (uint64_t)(w - c->w) + 1;
        }
        return;
    }
    if (w->related != NONE)
        want_line(c, w->related);
}

static void pass1(hd_text_ctx *c, tf_pass *p)
{
    for (int st; (st = tf_pass_next(p)) == 1;) {
        const hd_record *r = &p->rec;
        tf_entry *e;
        track(c, r);
        keep_line(c, p);
        if ((e = tf_table_get(&c->at_record, r->index, false)) != NULL) {
            size_t k = (size_t)e->a;
            while (k != 0) {
                want *w = &c->w[k - 1];
                k = w->next;
                w->next = 0;
                resolve_here(c, p, w);
            }
        }
        if (r->tag == HD_TAG_FRAME)
            c->last_frame = r->index;
        if (r->tag == HD_TAG_EOF)
            break;
    }
}

/* ---- pass 2 ----------------------------------------------------------------------------------------- */


static int prepare_contains(hd_text_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        c->ncontains += c->w[i].search && c->w[i].rel->rel == REL_CONTAINS;
    if (c->ncontains == 0)
        return 0;
    if ((c->contains = malloc(c->ncontains * sizeof *c->contains)) == NULL)
        return -1;
    c->ncontains = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->w[i].search && c->w[i].rel->rel == REL_CONTAINS) {
            c->contains[c->ncontains].value = c->w[i].value;
            c->contains[c->ncontains++].want = i;
        }
    qsort(c->contains, c->ncontains, sizeof *c->contains, by_value);
    return 0;
}

static void found(hd_text_ctx *c, const tf_pass *p, want *w)
{
    if (w->related != NONE || w->record == p->rec.index || (w->rel->tags & HD_TAGMASK(p->rec.tag)) == 0)
        return;
    w->related = p->rec.index;
    if (want_line(c, p->rec.index))
        keep_line(c, p);
}

/* The distinct FIELD relations in use, so that each record looks each up once. */
static void prepare_rows(hd_text_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        const tf_related *rel = c->w[i].rel;
        size_t k = 0;
        if (!c->w[i].search || rel->rel != REL_FIELD)
            continue;
        while (k < c->nrows && c->rows[k] != rel)
            k++;
        if (k == c->nrows && c->nrows < sizeof c->rows / sizeof c->rows[0])
            c->rows[c->nrows++] = rel;
    }
}

static void search_fields(hd_text_ctx *c, const tf_pass *p)
{
    for (size_t i = 0; i < c->nrows; i++) {
        const tf_related *rel = c->rows[i];
        uint64_t v;
        tf_entry *e;
        if ((rel->tags & HD_TAGMASK(p->rec.tag)) == 0 || !field(p, rel->to, &v) ||
            (e = tf_table_get(&c->field_keys, field_key(rel, v), false)) == NULL)
            continue;
        bool pending = false;
        for (size_t k = (size_t)e->a; k != 0; k = c->w[k - 1].next) {
            if (c->w[k - 1].rel == rel && c->w[k - 1].value == v)
                found(c, p, &c->w[k - 1]);
            pending |= c->w[k - 1].related == NONE;
        }
        if (!pending)
            e->a = 0;                /* every want of the chain is resolved: later twins need not walk it */
    }
}

static void search_contains(hd_text_ctx *c, const tf_pass *p)
{
    uint64_t lo, hi;
    size_t a = 0, b = c->ncontains;
    if (c->ncontains == 0 || !extent(p, &lo, &hi))
        return;
    while (a < b) {                  /* first value >= lo */
        size_t m = a + (b - a) / 2;
        if (c->contains[m].value < lo)
            a = m + 1;
        else
            b = m;
    }
    for (; a < c->ncontains && c->contains[a].value < hi; a++)
        found(c, p, &c->w[c->contains[a].want]);
}

static bool pass2_needed(const hd_text_ctx *c)
{
    for (size_t i = 0; i < c->lines.cap; i++)
        if (c->lines.v[i].used && c->lines.v[i].a == NONE && c->lines.v[i].key < c->records)
            return true;
    for (size_t i = 0; i < c->n; i++)
        if (c->w[i].search)
            return true;
    return false;
}

static void pass2(hd_text_ctx *c, tf_pass *p)
{
    for (int st; (st = tf_pass_next(p)) == 1;) {
        keep_line(c, p);
        search_fields(c, p);
        search_contains(c, p);
        if (p->rec.tag == HD_TAG_EOF)
            break;
    }
}

static int by_id(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;   /* id is each element's first member */
    return x < y ? -1 : x > y;
}

int hd_text_ctx_run(hd_text_ctx *c, const uint8_t *p, size_t len)
{
    hd_text_input in;
    tf_pass pass;
    int rc = 0;

    memset(&in, 0, sizeof in);
    in.p = p != NULL ? p : (const uint8_t *)"";   /* memory input, even when empty */
    in.len = len;
    in.fd = -1;
    c->o.input = in.p;
    c->o.input_len = len;
    c->owner = c->last_frame = c->params = NONE;
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        c->first[t] = NONE;
    if (pass0(c, &in) < 0 || tf_pass_open(&pass, &in) < 0)
        rc = -1;
    else
        pass1(c, &pass);
    c->records = pass.records;
    tf_pass_close(&pass);
    prepare_rows(c);
    if (rc == 0 && prepare_contains(c) < 0)
        rc = -1;
    if (rc == 0 && pass2_needed(c)) {
        if (tf_pass_open(&pass, &in) == 0)
            pass2(c, &pass);
        tf_pass_close(&pass);
    }
    if ((c->by_id = malloc((c->n ? c->n : 1) * sizeof *c->by_id)) == NULL)
        return -1;
    for (size_t i = 0; i < c->n; i++) {
        c->by_id[i].id = c->w[i].id;
        c->by_id[i].want = i;
    }
    qsort(c->by_id, c->n, sizeof *c->by_id, by_id);
    return rc;
}

/* ---- printing --------------------------------------------------------------------------------------- */

static const want *want_of(const hd_text_ctx *c, unsigned id)
{
    size_t a = 0, b = c->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (c->by_id[m].id < id)
            a = m + 1;
        else
            b = m;
    }
    return a < c->n && c->by_id[a].id == id ? &c->w[c->by_id[a].want] : NULL;
}

static bool line_of(const hd_text_ctx *c, uint64_t index, const char **s, size_t *n)
{
    tf_entry *e = tf_table_get((tf_table *)&c->lines, index, false);
    if (e == NULL || e->a == NONE)
        return false;
    *s = c->arena + e->a;
    *n = (size_t)e->b;
    return true;
}

void hd_text_ctx_print(const hd_text_ctx *c, unsigned id, FILE *out, const char *indent)
{
    const want *w = c->by_id != NULL ? want_of(c, id) : NULL;
    const char *s;
    size_t n;
    if (w == NULL || w->record == NONE)
        return;
    for (uint64_t k = w->record > c->around ? w->record - c->around : 0; k <= w->record + c->around; k++) {
        if (!line_of(c, k, &s, &n))
            continue;
        fprintf(out, "%s%s", indent, k == w->record ? "> " : "  ");
        fwrite(s, 1, n, out);
        fputc('\n', out);
    }
    if (w->rel == NULL)
        return;
    if (w->related != NONE && line_of(c, w->related, &s, &n)) {
        fprintf(out, "%s= ", indent);
        fwrite(s, 1, n, out);
        fprintf(out, "   ;; %s\n", w->rel->what);
    } else if (w->search) {
        fprintf(out, "%s= ;; %s: none (0x%" PRIx64 ")\n", indent, w->rel->what, w->value);
    } else {
        fprintf(out, "%s= ;; %s: none\n", indent, w->rel->what);
    }
}
