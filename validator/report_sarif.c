/* report_sarif.c — one SARIF 2.1.0 log for all the files of a run, streamed: the rule table becomes
 * tool.driver.rules, each diagnostic a result whose region is the byte offset it points at. Code-scanning
 * services read this; the text and JSON formats remain the primary outputs. */
#include "report_sarif.h"

#include <inttypes.h>
#include <string.h>

static void str(FILE *o, const char *s) { hd_json_string(o, s, strlen(s)); }

static const char *level(hd_severity s)
{
    return s == HD_SEV_ERROR ? "error" : s == HD_SEV_WARNING ? "warning" : "note";
}

void sarif_open(hd_reporter *rp, const char *tool_version)
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
    fputs("]}},\"results\":[", o);
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
    fputs("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", o);
    str(o, rp->file);
    fprintf(o, "},\"region\":{\"byteOffset\":%" PRIu64 "}}}]}", offset);
}

void sarif_result(hd_reporter *rp, const hd_diag *d)
{
    char msg[HD_DIAG_MSG_MAX + 64];
    if (d->record != HD_NO_RECORD)
        snprintf(msg, sizeof msg, "%s (record #%" PRIu64 ", %s)", d->message, d->record, hd_tag_name((unsigned)d->tag));
    else
        snprintf(msg, sizeof msg, "%s", d->message);
    result(rp, hd_rule_get(d->rule)->id, (int)d->rule, d->severity, msg, d->offset);
}

void sarif_file_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed)
{
    /* An unreadable file and a failed expectation have no rule of the table: they get ids of their own. */
    if (res->io_error != NULL)
        result(rp, "io-error", -1, HD_SEV_ERROR, res->io_error, 0);
    for (unsigned i = 0; i < nfailed; i++)
        result(rp, "expectation", -1, HD_SEV_ERROR, failed[i], 0);
}

void sarif_close(hd_reporter *rp)
{
    fputs("]}]}\n", rp->out);
}
