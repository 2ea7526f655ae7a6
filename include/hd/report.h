/* report.h — formats diagnostics and verdicts. The only module that prints.
 *
 * Text:   dump.bin:0x1a2b: error[S105]: message (record #1234, stackframe)
 *         dump.bin: INVALID: go1.7 heap dump, 8-byte little-endian, 1234 records, 1 error, 0 warnings
 * JSON:   one object per file on one line (JSON Lines), diagnostics streamed as they are found.
 * SARIF:  one SARIF 2.1.0 log for all files (code-scanning UIs); each result at line 1 and the byte offset.
 * JUnit:  one XML report, a test case per file, a failure per finding that fails the file.
 *
 * Every file named gets an entry in every format, also when it cannot be read. Findings are capped per rule
 * and file (per_rule, default 10): past the cap one line says how many more there were; the exact counts are
 * in the verdict and in the JSON "by_rule" object. Names and strings from the outside are escaped: control
 * bytes and bytes that are not UTF-8 as \xNN in text, UTF-8 passed through and other bytes as the text \xNN
 * in JSON and XML, file names percent-encoded in SARIF URIs (RFC 3986). Any write error is remembered and
 * hd_report_close reports it: a lost report is a failure, never a silent success. */
#ifndef HD_REPORT_H
#define HD_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "hd/diag.h"
#include "hd/validate.h"

typedef enum { HD_FMT_TEXT, HD_FMT_JSON, HD_FMT_SARIF, HD_FMT_JUNIT, HD_FMT_COUNT } hd_format;

/* "text", "json", "sarif", "junit" → the format; -1 if none. */
int         hd_format_find(const char *name);
const char *hd_format_name(hd_format f);

#define HD_REPORT_PER_RULE 10u

typedef struct hd_report_ops hd_report_ops;

typedef struct {
    /* Set by the caller (zero is the default for each) before hd_report_open. */
    FILE       *out;
    hd_format   format;
    bool        quiet;        /* text: nothing for a valid file; the other formats report every file */
    bool        summary;      /* text: per-tag counts and bytes after the verdict */
    uint64_t    per_rule;     /* findings shown per rule and file: 0 = HD_REPORT_PER_RULE, UINT64_MAX = all */
    bool        fail_on_warning;  /* a warning fails the file too (--fail-on=warning) */
    /* Optional (text): called under each shown diagnostic, e.g. to print the records involved. */
    void      (*context)(void *ctx, FILE *out, const hd_diag *d);
    void       *context_ctx;

    /* The reporter's own. */
    const hd_report_ops *ops;
    const char *file;
    uint64_t    ndiag;                      /* diagnostics shown for the current file */
    uint64_t    shown[HD_RULE_COUNT];       /* per rule, for the current file */
    uint64_t    hidden[HD_RULE_COUNT];
    hd_severity hidden_sev[HD_RULE_COUNT];
    uint64_t    nresults;                   /* SARIF: results written so far */
    const char **files;                     /* SARIF: every file of the run, for run.artifacts */
    size_t      nfiles, capfiles;
    FILE       *junit;                      /* JUnit: test cases, written out at close behind their counts */
    char       *junit_buf;
    size_t      junit_len;
    uint64_t    junit_tests, junit_failures, junit_errors;
    bool        failed;                     /* a write went wrong */
} hd_reporter;

/* Before the first file. 0, or -1 (out of memory). */
int  hd_report_open(hd_reporter *rp, const char *tool_version);
void hd_report_begin(hd_reporter *rp, const char *file);
hd_diag_sink hd_report_sink(hd_reporter *rp);
/* `failed` lists failed --expect expressions (may be NULL/0); they make the file invalid. */
void hd_report_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed);
/* A file that could not even be opened: its entry, with the reason. */
void hd_report_unreadable(hd_reporter *rp, const char *file, const char *why);
/* After the last file. 0, or -1 when some of the report could not be written (a full disk, a closed pipe). */
int  hd_report_close(hd_reporter *rp);

typedef enum { HD_VERDICT_VALID, HD_VERDICT_INVALID, HD_VERDICT_ERROR } hd_verdict;
/* What the report says of a file: ERROR when it could not be read, INVALID when it has an error (or, with
 * fail_on_warning, a warning) or a failed expectation, else VALID. */
hd_verdict  hd_report_verdict(const hd_reporter *rp, const hd_result *res, unsigned nfailed);

/* The rule table as text (one rule a line) or as the Markdown of docs/rules.md. */
void hd_report_rules(FILE *out, bool markdown);
/* --explain: everything the table says of one rule (by ID or name), with what its finding looks like.
 * 0, or -1 if there is no such rule. */
int  hd_report_explain(FILE *out, const char *rule);

/* Escaping (report_escape.c). */
void hd_escape_text(FILE *out, const void *p, size_t n);     /* \xNN for control and non-UTF-8 bytes, \\ */
void hd_json_string(FILE *out, const char *s, size_t len);    /* a JSON string literal, quotes included */
void hd_uri(FILE *out, const char *path);                     /* RFC 3986 percent-encoding of a path */
void hd_xml_text(FILE *out, const char *s, size_t len);       /* XML character data or attribute value */

#endif
