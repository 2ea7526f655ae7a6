/* report_json.c — JSON Lines: one object per file on one line, its diagnostics streamed (see hd/report.h). */
#include "report_format.h"

#include <inttypes.h>
#include <string.h>

static void str(FILE *o, const char *s) { hd_json_string(o, s, strlen(s)); }

static void json_begin(hd_reporter *rp)
{
    fputs("{\"file\":", rp->out);
    str(rp->out, rp->file);
    fputs(",\"diagnostics\":[", rp->out);
}

static void json_diag(hd_reporter *rp, const hd_diag *d)
{
    const hd_rule_info *ri = hd_rule_get(d->rule);
    FILE *o = rp->out;

    fprintf(o, "%s{\"offset\":%" PRIu64 ",\"severity\":\"%s\",\"rule\":\"%s\",\"name\":\"%s\",\"message\":",
            rp->ndiag > 0 ? "," : "", d->offset, hd_severity_name(d->severity), ri->id, ri->name);
    str(o, d->message);
    if (d->record != HD_NO_RECORD)
        fprintf(o, ",\"record\":%" PRIu64, d->record);
    if (d->record != HD_NO_RECORD && d->tag >= 0 && d->tag < HD_TAG_COUNT)
        fprintf(o, ",\"tag\":\"%s\"", hd_tag_name((unsigned)d->tag));
    fputc('}', o);
}

/* Shown as one more element of the array, so that a reader of "diagnostics" sees that some were left out. */
static void json_more(hd_reporter *rp, hd_rule r, hd_severity sev, uint64_t n)
{
    const hd_rule_info *ri = hd_rule_get(r);
    fprintf(rp->out, "%s{\"severity\":\"%s\",\"rule\":\"%s\",\"name\":\"%s\",\"more\":%" PRIu64 "}",
            rp->ndiag++ > 0 ? "," : "", hd_severity_name(sev), ri->id, ri->name, n);
}

static void tag_table(FILE *o, const char *key, const uint64_t *v)
{
    fprintf(o, ",\"%s\":{", key);
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        fprintf(o, "%s\"%s\":%" PRIu64, t ? "," : "", hd_tag_name(t), v[t]);
    fputc('}', o);
}

static void json_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed)
{
    FILE *o = rp->out;
    hd_verdict v = hd_report_verdict(rp, res, nfailed);
    bool first = true;

    fprintf(o, "],\"verdict\":\"%s\",\"valid\":%s", hd_verdict_name(v), v == HD_VERDICT_VALID ? "true" : "false");
    if (res->io_error != NULL) {
        fputs(",\"io_error\":", o);
        str(o, res->io_error);
    }
    fputs(",\"header\":", o);
    if (res->header_ok) {
        str(o, hd_header_name(res->header));
        fprintf(o, ",\"layout\":\"%s\"", hd_layout_name(res->layout));
    } else {
        fputs("null", o);
    }
    fprintf(o, ",\"ptrsize\":%u,\"byte_order\":\"%s\",\"producer\":", res->ptrsize,
            res->ptrsize == 0 ? "unknown" : res->big_endian ? "big" : "little");
    str(o, res->producer);
    fputs(",\"go_version\":", o);
    str(o, res->go_version);
    fprintf(o, ",\"compression\":%s%s%s,\"compressed_size\":%" PRIu64, res->compression ? "\"" : "",
            res->compression ? res->compression : "null", res->compression ? "\"" : "", res->compressed_size);
    fprintf(o, ",\"size\":%" PRIu64 ",\"records\":%" PRIu64 ",\"errors\":%" PRIu64 ",\"warnings\":%" PRIu64
               ",\"infos\":%" PRIu64 ",\"stopped\":%s,\"max_frames\":%" PRIu64 ",\"xref_entries\":%" PRIu64
               ",\"xref_spilled\":%" PRIu64,
            res->size, res->records, res->errors, res->warnings, res->infos, res->stopped ? "true" : "false",
            res->max_frames, res->xref_entries, res->xref_spilled);
    tag_table(o, "counts", res->count);
    tag_table(o, "bytes", res->bytes);
    fputs(",\"by_rule\":{", o);
    for (int r = 0; r < HD_RULE_COUNT; r++)
        if (res->rule_count[r] != 0) {
            fprintf(o, "%s\"%s\":%" PRIu64, first ? "" : ",", hd_rule_get((hd_rule)r)->id, res->rule_count[r]);
            first = false;
        }
    fputs("},\"failed_expectations\":[", o);
    for (unsigned i = 0; i < nfailed; i++) {
        if (i)
            fputc(',', o);
        str(o, failed[i]);
    }
    fputs("]}\n", o);
}

const hd_report_ops hd_report_json_ops = {
    .name = "json", .begin = json_begin, .diag = json_diag, .more = json_more, .end = json_end,
};
