/* hdvalidate.h — the public interface of libhdvalidate, in one include (docs/api.md).
 *
 *   hd_options o; hd_result r;
 *   hd_options_init(&o);
 *   hd_validate_mem(buf, len, &o, &sink, &r);     // or hd_validate_fd(fd, …)
 *   if (!hd_result_valid(&r)) …                    // errors, warnings, counts per tag and per rule, profile
 *
 * Diagnostics reach the caller's hd_diag_sink as they are found, in file order; the rule of each is in the rule
 * table (hd_rule_get: ID, severity, name, invariant, doc). Only what these headers declare with HD_API is
 * exported; the rest of the library is internal and may change. */
#ifndef HD_HDVALIDATE_H
#define HD_HDVALIDATE_H

#include "hd/version.h"
#include "hd/format.h"
#include "hd/diag.h"
#include "hd/validate.h"

#endif
