/* report.c — what every output format shares (see hd/report.h): the format table, the per-rule cap, the
 * verdict, write errors. The formats themselves are report_text.c, report_json.c, report_sarif.c and
 * report_junit.c. */
#include "report_format.h"

#include <inttypes.h>
#include <string.h>

static const hd_report_ops *const formats[HD_FMT_COUNT] = {
    [HD_FMT_TEXT] = &hd_report_text_ops, [HD_FMT_JSON] = &hd_report_json_ops,
    [HD_FMT_SARIF] = &hd_report_sarif_ops, [HD_FMT_JUNIT] = &hd_report_junit_ops,
};

int hd_format_find(const char *name)
{
    for (int f = 0; f < HD_FMT_COUNT; f++)
        if (strcmp(formats[f]->name, name) == 0)
            return f;
    return -1;
}

const char *hd_format_name(hd_format f) { return formats[f]->name; }

const char *hd_verdict_name(hd_verdict v)
{
    return v == HD_VERDICT_VALID ? "valid" : v == HD_VERDICT_INVALID ? "INVALID" : "ERROR";
}

void hd_report_where(char *buf, size_t cap, const hd_diag *d)
{
    if (d->record == HD_NO_RECORD)
        buf[0] = 0;
    else if (d->tag >= 0 && d->tag < HD_TAG_COUNT)
        snprintf(buf, cap, " (record #%" PRIu64 ", %s)", d->record, hd_tag_name((unsigned)d->tag));
    else
        snprintf(buf, cap, " (record #%" PRIu64 ")", d->record);
}

hd_verdict hd_report_verdict(const hd_reporter *rp, const hd_result *res, unsigned nfailed)
{
    if (res->io_error != NULL)
        return HD_VERDICT_ERROR;
    if (res->errors > 0 || nfailed > 0 || (rp->fail_on_warning && res->warnings > 0))
        return HD_VERDICT_INVALID;
    return HD_VERDICT_VALID;
}

int hd_report_open(hd_reporter *rp, const char *tool_version)
{
    if (rp->format >= HD_FMT_COUNT)
        return -1;
    rp->ops = formats[rp->format];
    if (rp->per_rule == 0)
        rp->per_rule = HD_REPORT_PER_RULE;
    rp->failed = false;
    if (rp->ops->open != NULL)
        rp->ops->open(rp, tool_version);
    return rp->failed ? -1 : 0;
}

void hd_report_begin(hd_reporter *rp, const char *file)
{
    rp->file = file;
    rp->ndiag = 0;
    memset(rp->shown, 0, sizeof rp->shown);
    memset(rp->hidden, 0, sizeof rp->hidden);
    rp->ops->begin(rp);
}

/* The first per_rule findings of each rule are shown; the rest are counted for one "n more" line. */
static void report_emit(void *ctx, const hd_diag *d)
{
    hd_reporter *rp = ctx;

    if (rp->shown[d->rule] >= rp->per_rule) {
        if (rp->hidden[d->rule]++ == 0)
            rp->hidden_sev[d->rule] = d->severity;
        return;
    }
    rp->shown[d->rule]++;
    rp->ops->diag(rp, d);
    rp->ndiag++;
    if (rp->context != NULL && rp->format == HD_FMT_TEXT && !(rp->quiet && d->severity != HD_SEV_ERROR))
        rp->context(rp->context_ctx, rp->out, d);
}

hd_diag_sink hd_report_sink(hd_reporter *rp)
{
    hd_diag_sink s = {report_emit, rp};
    return s;
}

void hd_report_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed)
{
    for (int r = 0; r < HD_RULE_COUNT; r++)
        if (rp->hidden[r] > 0)
            rp->ops->more(rp, (hd_rule)r, rp->hidden_sev[r], rp->hidden[r]);
    rp->ops->end(rp, res, failed, nfailed);
    if (fflush(rp->out) != 0 || ferror(rp->out))
        rp->failed = true;
}

void hd_report_unreadable(hd_reporter *rp, const char *file, const char *why)
{
    hd_result res;
    memset(&res, 0, sizeof res);
    res.io_error = why;
    hd_report_begin(rp, file);
    hd_report_end(rp, &res, NULL, 0);
}

int hd_report_close(hd_reporter *rp)
{
    if (rp->ops != NULL && rp->ops->close != NULL)
        rp->ops->close(rp);
    if (fflush(rp->out) != 0 || ferror(rp->out))
        rp->failed = true;
    return rp->failed ? -1 : 0;
}
