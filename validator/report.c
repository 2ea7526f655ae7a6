/* report.c — text and JSON output, and the dispatch to SARIF (report_sarif.c); see hd/report.h. */
#include "hd/report.h"
#include "report_sarif.h"

#include <inttypes.h>
#include <string.h>

void hd_json_string(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20 || ch >= 0x7f)
            fprintf(out, "\\u%04x", ch);  /* bytes from dumps are not trusted to be UTF-8 */
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void json_str(FILE *out, const char *s) { hd_json_string(out, s, strlen(s)); }

void hd_report_begin(hd_reporter *rp, const char *file)
{
    rp->file = file;
    rp->ndiag = 0;
    if (rp->format == HD_FMT_JSON) {
        fputs("{\"file\":", rp->out);
        json_str(rp->out, file);
        fputs(",\"diagnostics\":[", rp->out);
    }
}

static void emit_text(hd_reporter *rp, const hd_diag *d)
{
    const hd_rule_info *ri = hd_rule_get(d->rule);
    if (rp->quiet && d->severity != HD_SEV_ERROR)
        return;
    fprintf(rp->out, "%s:0x%" PRIx64 ": %s[%s]: %s", rp->file, d->offset, hd_severity_name(d->severity), ri->id,
            d->message);
    if (d->record != HD_NO_RECORD)
        fprintf(rp->out, " (record #%" PRIu64 ", %s)", d->record, hd_tag_name((unsigned)d->tag));
    fputc('\n', rp->out);
}

static void emit_json(hd_reporter *rp, const hd_diag *d)
{
    const hd_rule_info *ri = hd_rule_get(d->rule);
    FILE *o = rp->out;
    fprintf(o, "%s{\"offset\":%" PRIu64 ",\"severity\":\"%s\",\"rule\":\"%s\",\"name\":\"%s\",\"message\":",
            rp->ndiag > 0 ? "," : "", d->offset, hd_severity_name(d->severity), ri->id, ri->name);
    json_str(o, d->message);
    if (d->record != HD_NO_RECORD)
        fprintf(o, ",\"record\":%" PRIu64 ",\"tag\":\"%s\"", d->record, hd_tag_name((unsigned)d->tag));
    fputc('}', o);
}

static void report_emit(void *ctx, const hd_diag *d)
{
    hd_reporter *rp = ctx;
    if (rp->format == HD_FMT_JSON)
        emit_json(rp, d);
    else if (rp->format == HD_FMT_SARIF)
        sarif_result(rp, d);
    else
        emit_text(rp, d);
    rp->ndiag++;
}

void hd_report_open(hd_reporter *rp, const char *tool_version)
{
    if (rp->format == HD_FMT_SARIF)
        sarif_open(rp, tool_version);
}

void hd_report_close(hd_reporter *rp)
{
    if (rp->format == HD_FMT_SARIF)
        sarif_close(rp);
    fflush(rp->out);
}

hd_diag_sink hd_report_sink(hd_reporter *rp)
{
    hd_diag_sink s = {report_emit, rp};
    return s;
}

static const char *verdict(const hd_result *res, unsigned nfailed)
{
    if (res->io_error != NULL)
        return "ERROR";
    return hd_result_valid(res) && nfailed == 0 ? "valid" : "INVALID";
}

static void end_json(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed)
{
    FILE *o = rp->out;
    fprintf(o, "],\"verdict\":\"%s\",\"valid\":%s", verdict(res, nfailed),
            hd_result_valid(res) && nfailed == 0 ? "true" : "false");
    if (res->io_error != NULL) {
        fputs(",\"io_error\":", o);
        json_str(o, res->io_error);
    }
    fputs(",\"header\":", o);
    if (res->header_ok) {
        json_str(o, hd_header_name(res->header));
        fprintf(o, ",\"layout\":\"%s\"", hd_layout_name(res->layout));
    } else {
        fputs("null", o);
    }
    fprintf(o, ",\"ptrsize\":%u,\"byte_order\":\"%s\",\"producer\":", res->ptrsize,
            res->ptrsize == 0 ? "unknown" : res->big_endian ? "big" : "little");
    json_str(o, res->producer);
    fputs(",\"go_version\":", o);
    json_str(o, res->go_version);
    fprintf(o, ",\"size\":%" PRIu64 ",\"records\":%" PRIu64 ",\"errors\":%" PRIu64 ",\"warnings\":%" PRIu64
               ",\"infos\":%" PRIu64 ",\"stopped\":%s,\"max_frames\":%" PRIu64 ",\"counts\":{",
            res->size, res->records, res->errors, res->warnings, res->infos, res->stopped ? "true" : "false",
            res->max_frames);
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        fprintf(o, "%s\"%s\":%" PRIu64, t ? "," : "", hd_tag_name(t), res->count[t]);
    fputs("},\"bytes\":{", o);
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        fprintf(o, "%s\"%s\":%" PRIu64, t ? "," : "", hd_tag_name(t), res->bytes[t]);
    fputs("},\"failed_expectations\":[", o);
    for (unsigned i = 0; i < nfailed; i++) {
        if (i)
            fputc(',', o);
        json_str(o, failed[i]);
    }
    fputs("]}\n", o);
}

static void end_text(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed)
{
    FILE *o = rp->out;
    bool ok = hd_result_valid(res) && nfailed == 0;

    for (unsigned i = 0; i < nfailed; i++)
        fprintf(o, "%s: expectation failed: %s\n", rp->file, failed[i]);
    if (rp->quiet && ok)
        return;
    if (res->io_error != NULL) {
        fprintf(o, "%s: ERROR: cannot read: %s\n", rp->file, res->io_error);
        return;
    }
    fprintf(o, "%s: %s: ", rp->file, verdict(res, nfailed));
    if (res->header_ok)
        fprintf(o, "%s heap dump", hd_header_name(res->header));
    else
        fputs("not a heap dump", o);
    if (res->ptrsize != 0)
        fprintf(o, ", %u-byte %s-endian", res->ptrsize, res->big_endian ? "big" : "little");
    if (res->producer[0] != 0)
        fprintf(o, ", producer %s%s%s", res->producer, res->go_version[0] ? " " : "", res->go_version);
    fprintf(o, ", %" PRIu64 " records, %" PRIu64 " bytes, %" PRIu64 " error%s, %" PRIu64 " warning%s%s\n", res->records,
            res->size, res->errors, res->errors == 1 ? "" : "s", res->warnings, res->warnings == 1 ? "" : "s",
            res->stopped ? " (stopped early)" : "");
    if (!rp->summary)
        return;
    fprintf(o, "  %-16s %12s %16s\n", "record", "count", "bytes");
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        if (res->count[t] != 0)
            fprintf(o, "  %-16s %12" PRIu64 " %16" PRIu64 "\n", hd_tag_name(t), res->count[t], res->bytes[t]);
    fprintf(o, "  %-16s %12" PRIu64 "\n", "max_frames", res->max_frames);
}

void hd_report_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed)
{
    if (rp->format == HD_FMT_JSON)
        end_json(rp, res, failed, nfailed);
    else if (rp->format == HD_FMT_SARIF)
        sarif_file_end(rp, res, failed, nfailed);
    else
        end_text(rp, res, failed, nfailed);
    fflush(rp->out);
}

void hd_report_rules(FILE *out, bool markdown)
{
    if (markdown) {
        fputs("# hdvalidate rules\n\n"
              "Generated by `hdvalidate --list-rules=markdown` from include/hd/rules.def; a test checks that this\n"
              "file matches the table. Invariant IDs refer to docs/FORMAT.md §5.\n\n"
              "| ID | severity | name | invariant | what it means |\n|---|---|---|---|---|\n", out);
    }
    for (int i = 0; i < HD_RULE_COUNT; i++) {
        const hd_rule_info *r = hd_rule_get((hd_rule)i);
        if (markdown)
            fprintf(out, "| %s | %s | %s | %s | %s |\n", r->id, hd_severity_name(r->severity), r->name, r->invariant,
                    r->doc);
        else
            fprintf(out, "%-5s %-7s %-24s %-8s %s\n", r->id, hd_severity_name(r->severity), r->name, r->invariant,
                    r->doc);
    }
}
