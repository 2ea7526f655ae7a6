/* validate.c — one dump through reader and checker, with counters (see hd/validate.h). */
#include "hd/validate.h"
#include "hd/check.h"
#include "hd/reader.h"
#include "hd/version.h"

#include <stdio.h>
#include <string.h>

/* Counts diagnostics by severity on their way to the caller's sink. */
typedef struct {
    hd_diag_sink      next;
    hd_result        *res;
    const hd_options *opts;
} counting_sink;

static void count_emit(void *ctx, const hd_diag *in)
{
    counting_sink *cs = ctx;
    hd_diag lowered;
    const hd_diag *d = in;

    /* --max-errors: after the Nth error the file is done; what the end-of-file checks would add is not said */
    if (cs->opts != NULL && cs->opts->max_errors != 0 && cs->res->errors >= cs->opts->max_errors)
        return;
    /* a known deviation lowers a finding about content; bytes that could not be read stay an error */
    if (cs->opts != NULL && cs->opts->known[in->rule] && in->severity > HD_SEV_INFO &&
        hd_rule_get(in->rule)->kind == HD_RK_CONTENT) {
        lowered = *in;
        lowered.severity = HD_SEV_INFO;
        d = &lowered;
    }
    cs->res->rule_count[d->rule]++;
    if (d->severity == HD_SEV_ERROR)
        cs->res->errors++;
    else if (d->severity == HD_SEV_WARNING)
        cs->res->warnings++;
    else
        cs->res->infos++;
    if (cs->next.emit != NULL)
        cs->next.emit(cs->next.ctx, d);
}

void hd_options_init(hd_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_errors = 100;
}

#define PROGRESS_STEP (UINT64_C(16) << 20)

static bool too_many(const hd_options *o, const hd_result *res)
{
    return o->max_errors != 0 && res->errors >= o->max_errors;
}

/* Decode and check every record; the reader and checker report through `sink`. */
static void run(hd_reader *r, const hd_options *o, const hd_diag_sink *sink, hd_result *res)
{
    hd_record rec;
    hd_checker *c;
    int st = 0;
    bool complete = false;
    uint64_t next_progress = PROGRESS_STEP;

    if (hd_reader_header(r, &res->header) < 0) {
        res->io_error = hd_reader_io_error(r);
        res->size = hd_reader_offset(r);
        res->compression = hd_reader_compression(r);
        res->compressed_size = hd_reader_compressed_bytes(r);
        return;
    }
    res->header_ok = true;
    res->layout = hd_header_layout(res->header);
    c = hd_checker_new(res->header, o, sink);
    if (c == NULL) {
        res->io_error = "out of memory";
        return;
    }
    while (!too_many(o, res) && hd_checker_failed(c) == NULL && (st = hd_reader_next(r, &rec)) == 1) {
        if (o->progress != NULL && rec.pos >= next_progress) {
            o->progress(o->progress_ctx, rec.pos, hd_reader_size(r));
            next_progress = rec.pos + PROGRESS_STEP;
        }
        res->records++;
        res->count[rec.tag]++;
        res->bytes[rec.tag] += rec.end - rec.pos;
        hd_checker_record(c, &rec);
        if (rec.tag == HD_TAG_EOF) {
            hd_reader_expect_end(r);
            st = 0;
            break;
        }
    }
    complete = st == 0 && !too_many(o, res) && hd_checker_failed(c) == NULL;
    res->stopped = !complete;
    res->io_error = hd_reader_io_error(r);
    res->size = hd_reader_offset(r);
    res->compression = hd_reader_compression(r);
    res->compressed_size = hd_reader_compressed_bytes(r);
    hd_checker_finish(c, res->size, complete && res->io_error == NULL);
    if (res->io_error == NULL)
        res->io_error = hd_checker_failed(c);   /* out of memory or temporary disk: exit 2, never a verdict */
    hd_checker_summary(c, res);
    hd_checker_free(c);
}

static void validate(hd_reader *r, const hd_options *o, const hd_diag_sink *counted, hd_result *res)
{
    hd_options defaults;

    if (o == NULL) {
        hd_options_init(&defaults);
        o = &defaults;
    }
    if (r == NULL) {
        res->io_error = "out of memory";
        return;
    }
    run(r, o, counted, res);
}

static hd_diag_sink make_sink(counting_sink *cs, const hd_options *o, const hd_diag_sink *sink, hd_result *res)
{
    hd_diag_sink s = {count_emit, cs};
    memset(res, 0, sizeof *res);
    memset(cs, 0, sizeof *cs);
    if (sink != NULL)
        cs->next = *sink;
    cs->res = res;
    cs->opts = o;
    return s;
}

void hd_validate_mem(const uint8_t *p, size_t len, const hd_options *o, const hd_diag_sink *sink, hd_result *res)
{
    counting_sink cs;
    hd_diag_sink s = make_sink(&cs, o, sink, res);
    hd_reader *r = hd_reader_open_mem(p, len, &s);
    validate(r, o, &s, res);
    hd_reader_free(r);
}

void hd_validate_fd(int fd, const hd_options *o, const hd_diag_sink *sink, hd_result *res)
{
    counting_sink cs;
    hd_diag_sink s = make_sink(&cs, o, sink, res);
    hd_reader *r = hd_reader_open_fd(fd, &s);
    validate(r, o, &s, res);
    hd_reader_free(r);
}

const char *hd_version(void) { return HD_VERSION_STRING; }
