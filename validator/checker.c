/* checker.c — runs every rule family over each record (see hd/check.h). */
#include "check_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The families, in the order they see each record. */
static const struct {
    void (*on_record)(hd_checker *c, const hd_record *rec);
    void (*on_finish)(hd_checker *c, uint64_t end, bool complete);   /* NULL: nothing to judge at the end */
    void (*on_free)(hd_checker *c);                                   /* NULL: no state of its own */
} families[] = {
    {structure_record, structure_finish, NULL},
    {profile_record, NULL, NULL},   /* before the rules: narrows c->prof at params */
    {params_record, NULL, NULL},
    {order_record, NULL, NULL},
    {types_record, NULL, types_free},
    {objects_record, objects_finish, objects_free},
};

#define NFAMILIES (sizeof families / sizeof families[0])

void ck_report(hd_checker *c, hd_rule rule, uint64_t pos, const char *fmt, ...)
{
    hd_diag d;
    va_list ap;

    memset(&d, 0, sizeof d);
    d.rule = rule;
    d.severity = profile_severity(c, rule);
    d.offset = pos;
    d.record = c->rec != NULL ? c->rec->index : HD_NO_RECORD;
    d.tag = c->rec != NULL ? (int)c->rec->tag : -1;
    va_start(ap, fmt);
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    va_end(ap);
    if (c->sink.emit != NULL)
        c->sink.emit(c->sink.ctx, &d);
}

hd_checker *hd_checker_new(hd_header_id header, const hd_options *opts, const hd_diag_sink *sink)
{
    hd_checker *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->header = header;
    c->layout = hd_header_layout(header);
    if (opts != NULL)
        c->opts = *opts;
    if (sink != NULL)
        c->sink = *sink;
    snprintf(c->producer, sizeof c->producer, "gc");
    profile_init(c);
    return c;
}

void hd_checker_free(hd_checker *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < NFAMILIES; i++)
        if (families[i].on_free != NULL)
            families[i].on_free(c);
    free(c);
}

static void adopt_params(hd_checker *c, const hd_record *rec)
{
    if (c->seen[HD_TAG_PARAMS].count != 1)
        return;
    c->ptrsize = rec->u.params.ptrsize == 4 || rec->u.params.ptrsize == 8 ? (unsigned)rec->u.params.ptrsize : 0;
    c->big_endian = rec->u.params.big_endian;
}

void hd_checker_record(hd_checker *c, const hd_record *rec)
{
    tag_seen *s = &c->seen[rec->tag];

    c->rec = rec;
    if (s->count++ == 0)
        s->first = rec->index;
    s->last = rec->index;
    if (rec->tag == HD_TAG_PARAMS)
        adopt_params(c, rec);
    for (size_t i = 0; i < NFAMILIES; i++)
        families[i].on_record(c, rec);
    c->rec = NULL;
}

void hd_checker_finish(hd_checker *c, uint64_t end, bool complete)
{
    c->rec = NULL;
    for (size_t i = 0; i < NFAMILIES; i++)
        if (families[i].on_finish != NULL)
            families[i].on_finish(c, end, complete);
}

void hd_checker_summary(const hd_checker *c, hd_result *res)
{
    res->ptrsize = c->ptrsize;
    res->big_endian = c->big_endian;
    res->max_frames = c->max_frames;
    snprintf(res->producer, sizeof res->producer, "%s", c->producer);
    snprintf(res->go_version, sizeof res->go_version, "%s", c->go_version);
}
