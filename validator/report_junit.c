/* report_junit.c — JUnit XML for CI systems that show test reports (GitLab, Jenkins): one test case per file,
 * a <failure> per finding that fails it (errors; warnings too with --fail-on=warning), an <error> when the file
 * cannot be read. The counts belong in the opening tags, so the test cases are gathered in memory (bounded by
 * the per-rule cap) and written out at the end. */
#include "report_format.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void xml(FILE *o, const char *s) { hd_xml_text(o, s, strlen(s)); }

static bool fails(const hd_reporter *rp, hd_severity s)
{
    return s == HD_SEV_ERROR || (s == HD_SEV_WARNING && rp->fail_on_warning);
}

static void junit_open(hd_reporter *rp, const char *tool_version)
{
    (void)tool_version;
    rp->junit = open_memstream(&rp->junit_buf, &rp->junit_len);
    if (rp->junit == NULL)
        rp->failed = true;
    rp->junit_tests = rp->junit_failures = rp->junit_errors = 0;
}

static void junit_begin(hd_reporter *rp)
{
    if (rp->junit == NULL)
        return;
    fputs("  <testcase classname=\"hdvalidate\" name=\"", rp->junit);
    xml(rp->junit, rp->file);
    fputs("\">\n", rp->junit);
    rp->junit_tests++;
}

static void failure(hd_reporter *rp, const char *type, const char *message)
{
    fputs("    <failure type=\"", rp->junit);
    xml(rp->junit, type);
    fputs("\" message=\"", rp->junit);
    xml(rp->junit, message);
    fputs("\"/>\n", rp->junit);
}

static void junit_diag(hd_reporter *rp, const hd_diag *d)
{
    char msg[HD_DIAG_MSG_MAX + 96], where[64];
    if (rp->junit == NULL || !fails(rp, d->severity))
        return;
    hd_report_where(where, sizeof where, d);
    snprintf(msg, sizeof msg, "0x%" PRIx64 ": %s[%s]: %s%s", d->offset, hd_severity_name(d->severity),
             hd_rule_get(d->rule)->id, d->message, where);
    failure(rp, hd_rule_get(d->rule)->id, msg);
}

static void junit_more(hd_reporter *rp, hd_rule r, hd_severity sev, uint64_t n)
{
    char msg[160];
    if (rp->junit == NULL || !fails(rp, sev))
        return;
    snprintf(msg, sizeof msg, "%" PRIu64 " more %s findings not shown (--max-per-rule=0 shows all)", n,
             hd_rule_get(r)->name);
    failure(rp, hd_rule_get(r)->id, msg);
}

static void junit_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed)
{
    FILE *o = rp->junit;
    hd_verdict v = hd_report_verdict(rp, res, nfailed);

    if (o == NULL)
        return;
    for (unsigned i = 0; i < nfailed; i++)
        failure(rp, "expectation", failed[i]);
    if (v == HD_VERDICT_ERROR) {
        fputs("    <error type=\"io-error\" message=\"", o);
        xml(o, res->io_error);
        fputs("\"/>\n", o);
        rp->junit_errors++;
    } else if (v == HD_VERDICT_INVALID) {
        rp->junit_failures++;
    }
    fprintf(o, "    <system-out>%s: %" PRIu64 " records, %" PRIu64 " bytes, %" PRIu64 " errors, %" PRIu64
               " warnings</system-out>\n  </testcase>\n",
            hd_verdict_name(v), res->records, res->size, res->errors, res->warnings);
}

static void junit_close(hd_reporter *rp)
{
    FILE *o = rp->out;
    if (rp->junit != NULL && fclose(rp->junit) != 0)
        rp->failed = true;
    rp->junit = NULL;
    fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hdvalidate\" tests=\"%" PRIu64
               "\" failures=\"%" PRIu64 "\" errors=\"%" PRIu64 "\">\n <testsuite name=\"hdvalidate\" tests=\"%" PRIu64
               "\" failures=\"%" PRIu64 "\" errors=\"%" PRIu64 "\">\n",
            rp->junit_tests, rp->junit_failures, rp->junit_errors, rp->junit_tests, rp->junit_failures,
            rp->junit_errors);
    if (rp->junit_buf != NULL)
        fwrite(rp->junit_buf, 1, rp->junit_len, o);
    fputs(" </testsuite>\n</testsuites>\n", o);
    free(rp->junit_buf);
    rp->junit_buf = NULL;
}

const hd_report_ops hd_report_junit_ops = {
    .name = "junit", .open = junit_open, .begin = junit_begin, .diag = junit_diag, .more = junit_more,
    .end = junit_end, .close = junit_close,
};
