/* filter.c — record selection for hddump (see filter.h). */
#include "filter.h"
#include "names.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

static void note(tf_notes *n, const char *fmt, ...)
{
    va_list ap;
    if (n == NULL)
        return;
    if (n->n == TF_NOTES_MAX) {
        n->more++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(n->text[n->n++], sizeof n->text[0], fmt, ap);
    va_end(ap);
}

/* ---- look-ahead passes -------------------------------------------------------------------------------- */

/* Index of the record that holds byte `at`; false if no decoded record does. */
static bool find_at(hd_text_input *in, uint64_t at, uint64_t *index)
{
    tf_pass p;
    bool found = false;
    if (tf_pass_open(&p, in) == 0) {
        while (!found && tf_pass_next(&p) == 1) {
            found = p.rec.pos <= at && at < p.rec.end;
            if (p.rec.tag == HD_TAG_EOF)
                break;
        }
    }
    *index = p.rec.index;
    tf_pass_close(&p);
    return found;
}

/* The first object record whose bytes hold `addr`. */
static bool find_object(tf_filter *f, hd_text_input *in, uint64_t addr)
{
    tf_pass p;
    if (tf_pass_open(&p, in) == 0) {
        while (!f->obj_found && tf_pass_next(&p) == 1) {
            const hd_record *r = &p.rec;
            if (r->tag == HD_TAG_OBJECT && addr >= r->u.object.addr &&
                addr - r->u.object.addr < r->u.object.contents.len) {
                f->obj_found = true;
                f->obj_lo = r->u.object.addr;
                f->obj_hi = r->u.object.addr + r->u.object.contents.len;
                f->obj_index = r->index;
            }
            if (r->tag == HD_TAG_EOF)
                break;
        }
    }
    tf_pass_close(&p);
    return f->obj_found;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }

int tf_filter_prepare(tf_filter *f, const hd_dump_opts *o, hd_text_input *in, FILE *out)
{
    memset(f, 0, sizeof *f);
    f->o = o;
    f->selectors = o->has_record || o->has_at || o->has_goroutine || o->has_object;
    if (o->has_record) {
        f->range = true;
        f->lo = o->record > o->context ? o->record - o->context : 0;
        f->hi = sat_add(o->record, o->context);
    }
    if (o->has_at && in->p == NULL && o->context > 0)
        return -1;                   /* the records before it are gone from a stream */
    if (o->has_at && in->p != NULL) {
        uint64_t index;
        f->at_ahead = true;
        if (find_at(in, o->at, &index)) {
            uint64_t lo = index > o->context ? index - o->context : 0, hi = sat_add(index, o->context);
            f->lo = f->range && f->lo < lo ? f->lo : lo;
            f->hi = f->range && f->hi > hi ? f->hi : hi;
            f->range = true;
        } else if (!o->text.json) {
            fprintf(out, ";; --at: no decoded record holds offset 0x%" PRIx64 "\n", o->at);
        }
    }
    if (o->has_object) {
        if (in->p == NULL)
            return -1;
        f->object = true;
        if (!find_object(f, in, o->object)) {
            if (!o->text.json)
                fprintf(out, ";; --object: no object record holds 0x%" PRIx64 "; showing what points at it\n",
                        o->object);
            f->obj_lo = o->object;
            f->obj_hi = sat_add(o->object, 1);
            f->obj_index = UINT64_MAX;
        }
    }
    return 0;
}

/* ---- --object: what is inside the object and what points at it ---------------------------------------- */

static bool inside(const tf_filter *f, uint64_t v) { return v >= f->obj_lo && v < f->obj_hi; }

/* Pointer words of a field list that point into the object. */
static unsigned field_pointers(const tf_filter *f, const tf_pass *p, const hd_bytes *contents, const hd_fields *fl,
                               const char *name, tf_notes *n)
{
    tf_field_iter it;
    uint64_t kind, off, v;
    hd_bytes b = *contents;
    unsigned hits = 0;

    if (p->ptrsize == 0)
        return 0;
    b.kept = tf_bytes_avail(contents, p->in, &b.p);
    tf_field_iter_init(&it, fl, p->in);
    while (tf_field_next(&it, &kind, &off) == 1) {
        int w = kind <= HD_FK_MAX ? hd_field_kind_pointer_word(p->layout, (unsigned)kind) : -1;
        uint64_t at = off + (uint64_t)(w < 0 ? 0 : w) * p->ptrsize;
        if (w < 0 || at < off || !hd_bytes_word(&b, at, p->ptrsize, p->big_endian, &v) || !inside(f, v))
            continue;
        hits++;
        note(n, "%s %s@0x%" PRIx64 " -> 0x%" PRIx64 " (object+0x%" PRIx64 ")", name,
             hd_field_kind_name(p->layout, (unsigned)kind), off, v, v - f->obj_lo);
    }
    return hits;
}

static bool object_select(const tf_filter *f, const tf_pass *p, tf_notes *n)
{
    const hd_record *r = &p->rec;
    const layout_step *st = tf_steps(p->layout, r->tag);
    int key = tf_key_step(p->layout, r->tag);
    bool hit = false;

    if (r->index == f->obj_index) {
        note(n, "the object holding 0x%" PRIx64 " (+0x%" PRIx64 ")", f->o->object, f->o->object - f->obj_lo);
        return true;
    }
    for (int i = 0; st != NULL && st[i].op != ST_END; i++) {
        const void *at = (const char *)r + st[i].at;
        uint64_t v;
        if (st[i].op == ST_FIELDS && i > 0 && st[i - 1].op == ST_CONTENTS) {
            hit |= field_pointers(f, p, (const hd_bytes *)((const char *)r + st[i - 1].at), at,
                                  tf_step_name(p->layout, r->tag, &st[i]), n) > 0;
            continue;
        }
        if (st[i].op != ST_PTR || !inside(f, v = *(const uint64_t *)at) || r->tag == HD_TAG_PARAMS)
            continue;
        hit = true;
        note(n, "%s 0x%" PRIx64 " %s the object (+0x%" PRIx64 ")", tf_step_name(p->layout, r->tag, &st[i]), v,
             i == key ? "is inside" : "points into", v - f->obj_lo);
    }
    return hit;
}

/* ---- the choice -------------------------------------------------------------------------------------- */

static bool group_member(unsigned tag)
{
    return tag == HD_TAG_FRAME || tag == HD_TAG_DEFER || tag == HD_TAG_PANIC || tag == HD_TAG_TYPE;
}

bool tf_filter_select(tf_filter *f, const tf_pass *p, tf_notes *notes)
{
    const hd_record *r = &p->rec;
    const hd_dump_opts *o = f->o;
    bool chosen = !f->selectors;

    if (f->range && r->index >= f->lo && r->index <= f->hi)
        chosen = true;
    if (o->has_at && !f->at_ahead && r->pos <= o->at && o->at < r->end)
        chosen = true;               /* streamed input, no context: chosen as it passes */
    if (o->has_goroutine) {
        if (r->tag == HD_TAG_GOROUTINE)
            f->in_group = r->u.goroutine.id == o->goroutine;
        else if (!group_member(r->tag))
            f->in_group = false;
        chosen |= f->in_group;
    }
    if (f->object && object_select(f, p, notes))
        chosen = true;
    return chosen && (o->tags == 0 || (o->tags & HD_TAGMASK(r->tag)) != 0);
}
