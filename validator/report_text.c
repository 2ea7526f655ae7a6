/* report_text.c — the text format: one line per finding, a verdict line per file (see hd/report.h). */
#include "report_format.h"

#include <inttypes.h>
#include <string.h>

/* -q shows only what fails a file. */
static bool hidden_by_quiet(const hd_reporter *rp, hd_severity s)
{
    return rp->quiet && !(s == HD_SEV_ERROR || (s == HD_SEV_WARNING && rp->fail_on_warning));
}

static void name(const hd_reporter *rp)
{
    hd_escape_text(rp->out, rp->file, strlen(rp->file));
}

static void text_begin(hd_reporter *rp) { (void)rp; }

static void text_diag(hd_reporter *rp, const hd_diag *d)
{
    char where[64];
    if (hidden_by_quiet(rp, d->severity))
        return;
    hd_report_where(where, sizeof where, d);
    name(rp);
    fprintf(rp->out, ":0x%" PRIx64 ": %s[%s]: %s%s\n", d->offset, hd_severity_name(d->severity),
            hd_rule_get(d->rule)->id, d->message, where);
}

static void text_more(hd_reporter *rp, hd_rule r, hd_severity sev, uint64_t n)
{
    const hd_rule_info *ri = hd_rule_get(r);
    if (hidden_by_quiet(rp, sev))
        return;
    name(rp);
    fprintf(rp->out, ": %s[%s]: %" PRIu64 " more %s finding%s not shown (--max-per-rule=0 shows all)\n",
            hd_severity_name(sev), ri->id, n, ri->name, n == 1 ? "" : "s");
}

static void plural(FILE *o, uint64_t n, const char *what)
{
    fprintf(o, "%" PRIu64 " %s%s", n, what, n == 1 ? "" : "s");
}

static void verdict_line(hd_reporter *rp, const hd_result *res, hd_verdict v)
{
    FILE *o = rp->out;

    name(rp);
    if (v == HD_VERDICT_ERROR) {
        fputs(": ERROR: cannot read: ", o);
        hd_escape_text(o, res->io_error, strlen(res->io_error));
        fputc('\n', o);
        return;
    }
    fprintf(o, ": %s: ", hd_verdict_name(v));
    if (res->header_ok)
        fprintf(o, "%s heap dump", hd_header_name(res->header));
    else
        fputs("not a heap dump", o);
    if (res->compression != NULL)
        fprintf(o, " (%s-compressed, %" PRIu64 " bytes)", res->compression, res->compressed_size);
    if (res->ptrsize != 0)
        fprintf(o, ", %u-byte %s-endian", res->ptrsize, res->big_endian ? "big" : "little");
    if (res->producer[0] != 0) {
        fprintf(o, ", producer %s", res->producer);
        if (res->go_version[0] != 0) {
            fputc(' ', o);
            hd_escape_text(o, res->go_version, strlen(res->go_version));
        }
    }
    fprintf(o, ", %" PRIu64 " records, %" PRIu64 " bytes, ", res->records, res->size);
    plural(o, res->errors, "error");
    fputs(", ", o);
    plural(o, res->warnings, "warning");
    fprintf(o, "%s\n", res->stopped ? " (stopped early)" : "");
}

static void summary(hd_reporter *rp, const hd_result *res)
{
    FILE *o = rp->out;
    fprintf(o, "  %-16s %12s %16s\n", "record", "count", "bytes");
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        if (res->count[t] != 0)
            fprintf(o, "  %-16s %12" PRIu64 " %16" PRIu64 "\n", hd_tag_name(t), res->count[t], res->bytes[t]);
    fprintf(o, "  %-16s %12" PRIu64 "\n", "max_frames", res->max_frames);
    fprintf(o, "  %-16s %12" PRIu64 " %16" PRIu64 "  (entries; bytes spilled to a temporary file)\n", "cross-refs",
            res->xref_entries, res->xref_spilled);
    for (int r = 0; r < HD_RULE_COUNT; r++)
        if (res->rule_count[r] != 0)
            fprintf(o, "  %-16s %12" PRIu64 "  %s\n", hd_rule_get((hd_rule)r)->id, res->rule_count[r],
                    hd_rule_get((hd_rule)r)->name);
}

static void text_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed)
{
    hd_verdict v = hd_report_verdict(rp, res, nfailed);

    for (unsigned i = 0; i < nfailed; i++) {
        name(rp);
        fputs(": expectation failed: ", rp->out);
        hd_escape_text(rp->out, failed[i], strlen(failed[i]));
        fputc('\n', rp->out);
    }
    if (rp->quiet && v == HD_VERDICT_VALID)
        return;
    verdict_line(rp, res, v);
    if (rp->summary && v != HD_VERDICT_ERROR)
        summary(rp, res);
}

const hd_report_ops hd_report_text_ops = {
    .name = "text", .begin = text_begin, .diag = text_diag, .more = text_more, .end = text_end,
};
