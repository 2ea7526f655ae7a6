/* report_sarif.h — SARIF 2.1.0 output for the reporter (internal to report.c). */
#ifndef HD_REPORT_SARIF_H
#define HD_REPORT_SARIF_H

#include "hd/report.h"

void sarif_open(hd_reporter *rp, const char *tool_version);
void sarif_result(hd_reporter *rp, const hd_diag *d);
void sarif_file_end(hd_reporter *rp, const hd_result *res, const char *const *failed, unsigned nfailed);
void sarif_close(hd_reporter *rp);

#endif
