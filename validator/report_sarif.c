/* report_sarif.c — one SARIF 2.1.0 log for all the files of a run, streamed (see hd/report.h): the rule table
 * becomes tool.driver.rules, each finding a result located at line 1 (code-scanning services require a line;
 * a heap dump has none) and at its byte offset. A file that cannot be read and a failed expectation are results
 * too, under rule ids of their own, so that a failed run never shows an empty log. */
#include "report_format.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void str(FILE *o, const char *s) { hd_json_string(o, s, strlen(s)); }

static const char *level(hd_severity s)
{
    return s == HD_SEV_ERROR ? "error" : s == HD_SEV_WARNING ? "warning" : "note";
}

static void sarif_open(hd_reporter *rp, const char *tool_version)
{
    FILE *o = rp->out;
    fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{"
          "\"tool\":{\"driver\":{\"name\":\"hdvalidate\",\"version\":", o);
    str(o, tool_version);
    fputs(",\"rules\":[", o);
    for (int i = 0; i < HD_RULE_COUNT; i++) {
        const hd_rule_info *r = hd_rule_get((hd_rule)i);
        fprintf(o, "%s{\"id\":\"%s\",\"name\":\"%s\",\"shortDescription\":{\"text\":", i ? "," : "", r->id, r->name);
        str(o, r->doc);
        fprintf(o, "},\"defaultConfiguration\":{\"level\":\"%s\"},\"properties\":{\"invariant\":", level(r->severity));
        str(o, r->invariant);
        fputs("}}", o);
    }
    fputs("]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[", o);
    rp->nresults = 0;
}

static void result(hd_reporter *rp, const char *rule_id, int rule_index, hd_severity sev, const char *msg,
                   uint64_t offset)
{
    FILE *o = rp->out;
    fprintf(o, "%s\n{\"ruleId\":\"%s\",", rp->nresults++ ? "," : "", rule_id);
    if (rule_index >= 0)
        fprintf(o, "\"ruleIndex\":%d,", rule_index);
    fprintf(o, "\"level\":\"%s\",\"message\":{\"text\":", level(sev));
    str(o, msg);
    fputs("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"", o);
    hd_uri(o, strcmp(rp->file, "-") == 0 ? "stdin" : rp->file);
    fprintf(o, "\"},\"region\":{\"startLine\":1,\"byteOffset\":%" PRIu64 "}}}]}", offset);
}

/* Remember the file for run.artifacts: a valid file has no result, yet the log names every file it judged. */
static void sarif_begin(hd_reporter *rp)
{
    if (rp->nfiles == rp->capfiles) {
        size_t cap = rp->capfiles < 16 ? 16 : rp->capfiles * 2;
        const char **v = realloc(rp->files, cap * sizeof *v);
        if (v == NULL) {
            rp->failed = true;
            return;
        }
        rp->files = v;
        rp->capfiles = cap;
    }
    rp->files[rp->nfiles++] = rp->file;
}

static void sarif_diag(hd_reporter *rp, const hd_diag *d)
{
    char msg[HD_DIAG_MSG_MAX + 64], where[64];
    hd_report_where(where, sizeof where, d);
    snprintf(msg, sizeof msg, "%s%s", d->message, where);
    result(rp, hd_rule_get(d->rule)->id, (int)d->rule, d->severity, msg, d->offset);
}

static void sarif_more(hd_reporter *rp, hd_rule r, hd_severity sev, uint64_t n)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%" PRIu64 " more %s finding%s in this file not shown (--max-per-rule=0 shows all)", n,
             hd_rule_get(r)->name, n == 1 ? "" : "s");
    result(rp, hd_rule_get(r)->id, (int)r, sev, msg, 0);
}

static void sarif_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed)
{
    char msg[512];
    if (res->io_error != NULL) {
        snprintf(msg, sizeof msg, "cannot read: %s", res->io_error);
        result(rp, "io-error", -1, HD_SEV_ERROR, msg, 0);
    }
    for (unsigned i = 0; i < nfailed; i++) {
        snprintf(msg, sizeof msg, "expectation failed: %s", failed[i]);
        result(rp, "expectation", -1, HD_SEV_ERROR, msg, 0);
    }
}

static void sarif_close(hd_reporter *rp)
{
    FILE *o = rp->out;
    fputs("],\"artifacts\":[", o);
    for (size_t i = 0; i < rp->nfiles; i++) {
        fputs(i ? ",{\"location\":{\"uri\":\"" : "{\"location\":{\"uri\":\"", o);
        hd_uri(o, strcmp(rp->files[i], "-") == 0 ? "stdin" : rp->files[i]);
        fputs("\"}}", o);
    }
    fputs("]}]}\n", o);
    free(rp->files);
    rp->files = NULL;
    rp->nfiles = rp->capfiles = 0;
}

const hd_report_ops hd_report_sarif_ops = {
    .name = "sarif", .open = sarif_open, .begin = sarif_begin, .diag = sarif_diag, .more = sarif_more,
    .end = sarif_end, .close = sarif_close,
};
