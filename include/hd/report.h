/* report.h — formats diagnostics and verdicts (text or JSON). The only module that prints.
 *
 * Text:  dump.bin:0x1a2b: error[S105]: message (record #1234, stackframe)
 *        dump.bin: INVALID: go1.7 heap dump, 8-byte little-endian, 1234 records, 1 error, 0 warnings
 * JSON:  one object per file on one line (JSON Lines), streamed: diagnostics are written as they are
 *        found, so memory does not grow with their number.
 * SARIF: one SARIF 2.1.0 log for all files (for code-scanning UIs), also streamed; byte offsets are
 *        SARIF regions' byteOffset. hd_report_open/close write its prologue and epilogue. */
#ifndef HD_REPORT_H
#define HD_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "hd/diag.h"
#include "hd/validate.h"

typedef enum { HD_FMT_TEXT, HD_FMT_JSON, HD_FMT_SARIF } hd_format;

typedef struct {
    FILE       *out;
    hd_format   format;
    bool        quiet;       /* text: print nothing for a valid file */
    bool        summary;     /* text: per-tag counts and bytes after the verdict */
    const char *file;        /* name shown for the current file */
    unsigned    ndiag;       /* diagnostics written for the current file */
    unsigned long nresults;  /* SARIF: results written so far, all files */
    /* quiet mode holds back warnings of a file until its verdict is known */
} hd_reporter;

/* Before the first file and after the last (only SARIF writes anything there). */
void hd_report_open(hd_reporter *rp, const char *tool_version);
void hd_report_close(hd_reporter *rp);
void hd_report_begin(hd_reporter *rp, const char *file);
hd_diag_sink hd_report_sink(hd_reporter *rp);
/* `failed` lists failed --expect expressions (may be NULL/0); they make the file invalid. */
void hd_report_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed);

/* The rule table as text (one rule a line) or as the Markdown of docs/rules.md. */
void hd_report_rules(FILE *out, bool markdown);

/* Write s as a JSON string literal (quotes included). */
void hd_json_string(FILE *out, const char *s, size_t len);

#endif
