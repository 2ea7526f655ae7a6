/* dump.c — hddump's engine: one pass of the reader, each record printed (or counted) as it passes, and
 * where decoding ends, why and what is left (see textform.h).
 *
 * The output assembles back to the input when nothing was abbreviated: every record is its line (or, if
 * its bytes are not canonical, its line with raw() overrides, or its raw bytes), the reader's diagnostics
 * are comments, and what the reader could not decode — a record cut short, an unknown tag, bytes after the
 * EOF record — follows as a raw directive. */
#include "hd/textform.h"
#include "canon.h"
#include "filter.h"
#include "pass.h"
#include "print.h"
#include "stats.h"

#include <inttypes.h>
#include <string.h>

typedef struct {
    FILE               *out;
    const hd_dump_opts *o;
    hd_text_opts        t;          /* o->text with the input */
    hd_text_input      *in;
    hd_dump_result     *res;
    tf_pass             pass;
    tf_filter           filter;
    tf_stats           *stats;
    bool                quiet;      /* --stats: print nothing per record */
    hd_diag             stop;       /* the diagnostic that ended decoding */
    bool                stopped;
} dumper;

static void put_diags(dumper *d, const char *last_what)
{
    for (unsigned i = 0; i < d->pass.ndiag; i++)
        tf_print_diag(d->out, &d->pass.diag[i], i + 1 == d->pass.ndiag && last_what != NULL ? last_what : "diagnostic",
                      &d->t);
    if (d->pass.ndiag_more > 0 && !d->t.json)
        fprintf(d->out, ";; and %" PRIu64 " more diagnostics for this record\n", d->pass.ndiag_more);
}

static void put_notes(dumper *d, const tf_notes *n)
{
    if (d->t.json)
        return;
    for (unsigned i = 0; i < n->n; i++)
        fprintf(d->out, ";; %s\n", n->text[i]);
    if (n->more > 0)
        fprintf(d->out, ";; and %" PRIu64 " more\n", n->more);
}

/* The bytes [from, to) of the input as a raw directive (streams cannot show them). */
static void put_raw(dumper *d, uint64_t from, uint64_t to)
{
    if (to <= from)
        return;
    if (d->pass.in.p == NULL) {
        if (!d->t.json)
            fprintf(d->out, ";; the bytes from 0x%" PRIx64 " are not shown: the input is a stream\n", from);
        d->res->abbreviated = true;
        return;
    }
    if (tf_print_raw(d->out, from, d->pass.in.p + from, to - from, to - from, &d->t))
        d->res->abbreviated = true;
}

/* One decoded record: its diagnostics, then its line as canon.c says it must be printed. */
static void put_record(dumper *d, const tf_notes *notes)
{
    const hd_record *r = &d->pass.rec;
    tf_override ov[TF_MAX_STEPS];
    int abbrev = 0;

    put_notes(d, notes);
    put_diags(d, NULL);
    if (d->pass.spots.n == 0 && !d->pass.spots.overflow) {
        abbrev = tf_print_record(d->out, d->pass.layout, r, &d->t, NULL, NULL);
    } else {
        switch (tf_canon_overrides(d->pass.layout, r, d->pass.in, &d->pass.spots, ov)) {
        case TF_CANON_OVERRIDES:
            abbrev = tf_print_record(d->out, d->pass.layout, r, &d->t, ov, NULL);
            break;
        case TF_CANON_RAW:
            if (!d->t.json) {       /* what the bytes mean, for the reader of the text */
                fputs(";; ", d->out);
                tf_print_record(d->out, d->pass.layout, r, &d->t, NULL, NULL);
            }
            put_raw(d, r->pos, r->end);
            break;
        case TF_CANON_UNKNOWN:
            tf_print_record(d->out, d->pass.layout, r, &d->t, NULL, NULL);
            abbrev = 1;             /* the decoded values do not give back the bytes */
            break;
        }
    }
    if (abbrev)
        d->res->abbreviated = true;
    d->res->printed++;
}

/* Decoding stopped inside the record that starts at `from`: say why, then show what is left. */
static void put_stop(dumper *d, uint64_t from)
{
    uint64_t end = d->pass.in.p != NULL ? d->pass.in.len : tf_pass_offset(&d->pass);
    if (d->pass.ndiag > 0) {
        d->stop = d->pass.diag[d->pass.ndiag - 1];
        d->stopped = true;
    }
    if (d->quiet)
        return;
    if (d->pass.ndiag > 0)
        put_diags(d, "stop");
    else if (!d->t.json)
        fprintf(d->out, ";; stop: 0x%" PRIx64 ": %s\n", tf_pass_offset(&d->pass),
                d->res->io_error != NULL ? d->res->io_error : "decoding stopped");
    put_raw(d, from, end);
}

/* The input ended after a record that was not EOF: S112, the validator's judgement, said here too. */
static void put_no_eof(dumper *d, uint64_t at)
{
    hd_diag g;
    memset(&g, 0, sizeof g);
    g.rule = HD_R_NO_EOF;
    g.severity = hd_rule_get(HD_R_NO_EOF)->severity;
    g.offset = at;
    g.record = HD_NO_RECORD;
    g.tag = -1;
    snprintf(g.message, sizeof g.message, "the input ends after %" PRIu64 " records without an EOF record",
             d->pass.records);
    d->stop = g;
    d->stopped = true;
    d->pass.diagnostics++;
    if (!d->quiet)
        tf_print_diag(d->out, &g, "end", &d->t);
}

static void put_header(dumper *d)
{
    if (d->quiet)
        return;
    if (!d->t.json && d->o->name != NULL)
        fprintf(d->out, ";; hddump %s%s\n", d->o->name, d->t.contents ? " --contents" : "");
    hd_text_header(d->out, d->pass.header, &d->t);
}

static void on_record(dumper *d)
{
    const hd_record *r = &d->pass.rec;
    tf_notes notes = {.n = 0};
    if (d->stats != NULL)
        tf_stats_add(d->stats, &d->pass);
    if (tf_filter_select(&d->filter, &d->pass, &notes) || (r->index == 0 && r->tag == HD_TAG_PARAMS))
        if (!d->quiet)
            put_record(d, &notes);
}

/* After the EOF record: bytes that follow it are S113 and shown raw. */
static void after_eof(dumper *d)
{
    uint64_t at = tf_pass_offset(&d->pass);
    if (tf_pass_expect_end(&d->pass) == 0) {
        d->res->complete = true;
        return;
    }
    d->stop = d->pass.diag[0];
    d->stopped = d->pass.ndiag > 0;
    if (!d->quiet) {
        if (d->pass.ndiag > 0)
            put_diags(d, "end");
        put_raw(d, at, d->pass.in.p != NULL ? d->pass.in.len : at);
    }
}

static void run(dumper *d)
{
    int st;
    if (tf_pass_open(&d->pass, d->in) < 0) {
        d->res->io_error = d->pass.r != NULL ? hd_reader_io_error(d->pass.r) : "out of memory";
        if (d->pass.r != NULL && d->res->io_error == NULL)
            put_stop(d, 0);
        return;
    }
    put_header(d);
    while ((st = tf_pass_next(&d->pass)) == 1) {
        on_record(d);
        if (d->pass.rec.tag == HD_TAG_EOF) {
            after_eof(d);
            return;
        }
    }
    d->res->io_error = hd_reader_io_error(d->pass.r);
    if (st < 0)
        put_stop(d, d->pass.rec.pos);
    else
        put_no_eof(d, tf_pass_offset(&d->pass));
}

bool hd_dump_needs_random_access(const hd_dump_opts *o)
{
    return o->text.contents || o->has_object || (o->has_at && o->context > 0);
}

void hd_dump_opts_init(hd_dump_opts *o)
{
    memset(o, 0, sizeof *o);
    hd_text_opts_init(&o->text);
}

int hd_dump(FILE *out, hd_text_input *in, const hd_dump_opts *o, hd_dump_result *res)
{
    dumper d;

    memset(res, 0, sizeof *res);
    memset(&d, 0, sizeof d);
    d.out = out;
    d.o = o;
    d.t = o->text;
    d.t.input = in->p;
    d.t.input_len = in->p != NULL ? in->len : 0;
    d.in = in;
    d.res = res;
    d.quiet = o->stats;
    if (o->stats && (d.stats = tf_stats_new()) == NULL) {
        res->io_error = "out of memory";
        return 2;
    }
    if (!o->stats && tf_filter_prepare(&d.filter, o, in, out) < 0) {
        res->io_error = "this selection needs to read the input twice";
        return 2;
    }
    if (o->stats)
        d.filter.o = o;
    run(&d);
    if (d.stats != NULL)
        tf_stats_print(d.stats, out, d.t.json, o->name != NULL ? o->name : "-", &d.pass,
                       d.stopped ? &d.stop : NULL, d.pass.r != NULL ? tf_pass_offset(&d.pass) : 0);
    res->records = d.pass.records;
    res->diagnostics = d.pass.diagnostics;
    tf_pass_close(&d.pass);
    tf_stats_free(d.stats);
    if (res->io_error != NULL)
        return 2;
    return res->diagnostics == 0 && res->complete ? 0 : 1;
}
