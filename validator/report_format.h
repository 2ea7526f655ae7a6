/* report_format.h — one output format of the reporter (internal to validator/report*.c).
 *
 * report.c decides everything that is the same for all formats (which diagnostics are shown, the per-rule cap,
 * the verdict, write errors) and calls the chosen format's hooks; each report_<format>.c only spells things. */
#ifndef HD_REPORT_FORMAT_H
#define HD_REPORT_FORMAT_H

#include "hd/report.h"

struct hd_report_ops {
    const char *name;
    void (*open)(hd_reporter *rp, const char *tool_version);   /* NULL: nothing before the first file */
    void (*begin)(hd_reporter *rp);                             /* a file begins (rp->file) */
    void (*diag)(hd_reporter *rp, const hd_diag *d);            /* a diagnostic that is shown */
    /* n more findings of rule r (severity sev) were not shown in this file */
    void (*more)(hd_reporter *rp, hd_rule r, hd_severity sev, uint64_t n);
    void (*end)(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed);
    void (*close)(hd_reporter *rp);                             /* NULL: nothing after the last file */
};

extern const hd_report_ops hd_report_text_ops, hd_report_json_ops, hd_report_sarif_ops, hd_report_junit_ops;

/* Shared spellings. */
const char *hd_verdict_name(hd_verdict v);                     /* "valid", "INVALID", "ERROR" */
/* "  (record #12, stackframe)" as the text formats append it; "" when the diagnostic names no record. */
void hd_report_where(char *buf, size_t cap, const hd_diag *d);

#endif
